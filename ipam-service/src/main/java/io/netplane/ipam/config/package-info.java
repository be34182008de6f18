/** The one typed configuration of ipam-service ({@code netplane.ipam.*}). */
package io.netplane.ipam.config;
