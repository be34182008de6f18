/**
 * The Kubernetes shell: cuts Services and pools down at the edge ({@code *Inputs}), watches Services, pools and Nodes
 * on the shared control loop, runs the repair passes, and records Events through the shared recorder; asks the REST
 * API's TokenReviews and SubjectAccessReviews ({@code KubernetesReviews}).
 */
package io.netplane.ipam.kube;
