/** Pure planning of the legacy core/v1 Endpoints object of a Service with a selector (the upstream endpoints controller). */
package io.netplane.endpoints.legacy;
