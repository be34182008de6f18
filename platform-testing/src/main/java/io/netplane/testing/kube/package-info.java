/**
 * A real Kubernetes API for tests: etcd and kube-apiserver built from source by
 * {@code hack/control-plane/build.sh}, started on free loopback ports with a temporary data directory.
 * {@link io.netplane.testing.kube.KubeApiServerExtension} serves plain JUnit 5 tests,
 * {@link io.netplane.testing.kube.KubeApiServerTestResource} serves {@code @QuarkusTest}s.
 */
package io.netplane.testing.kube;
