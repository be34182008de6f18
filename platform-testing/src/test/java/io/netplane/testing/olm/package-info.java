/**
 * The OLM bundle of Netplane, generated from the install manifests in {@code k8s/}:
 * {@link io.netplane.testing.olm.BundleGenerator} turns the objects {@code k8s/kustomization.yaml} lists, plus the
 * metadata in {@code hack/olm/csv.yaml}, into {@code bundle/netplane/<version>/}; {@code BundleTest} fails when the
 * checked-in bundle drifts from that. {@code BindAddressTest} checks the same manifests' listeners: where each binds
 * and that the probes and Prometheus annotations point there.
 */
package io.netplane.testing.olm;
