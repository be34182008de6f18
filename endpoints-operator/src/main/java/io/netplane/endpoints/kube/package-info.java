/** The Kubernetes shell: shared informers for the kinds this operator watches. */
package io.netplane.endpoints.kube;
