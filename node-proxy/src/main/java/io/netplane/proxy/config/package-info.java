/** The node proxy's one typed configuration mapping ({@code netplane.proxy.*}). */
package io.netplane.proxy.config;
