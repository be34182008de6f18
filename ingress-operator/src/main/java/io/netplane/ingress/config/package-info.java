/** The one typed configuration of the ingress-operator service ({@code netplane.ingress.*}). */
package io.netplane.ingress.config;
