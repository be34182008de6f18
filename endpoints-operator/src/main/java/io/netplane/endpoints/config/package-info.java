/** The one typed configuration of the endpoints operator and its validation. */
package io.netplane.endpoints.config;
