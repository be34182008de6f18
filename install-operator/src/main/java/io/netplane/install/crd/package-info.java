/**
 * The {@code netplanes.netplane.io/v1alpha1} resource as Java: plain records for Jackson. Its schema is the
 * hand-written {@code k8s/crds/netplanes.netplane.io.yaml}; {@code CrdSchemaTest} keeps the field names of both equal.
 */
package io.netplane.install.crd;
