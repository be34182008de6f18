/** The install operator's one typed configuration ({@code netplane.install.*}), and its JOSDK leader election. */
package io.netplane.install.config;
