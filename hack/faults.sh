#!/usr/bin/env bash
# The whole fault suite (integration-tests' FaultSuiteIT with -Dnetplane.faults=all): on the local cluster
# (hack/cluster.sh, brought up when none runs), under a steady churn of Services, Pods, Ingresses and a
# NetworkPolicy, kill -9 of each component, SIGSTOP of every leader past its Lease, a Kafka broker restart, a
# kube-apiserver restart and 30 s freeze, node 2 cut off from Kafka for a minute, the broker's disk full; after each,
# every consumer must agree with the API. The CI subset runs in `./mvnw verify` (every kind once).
#   hack/faults.sh [extra Maven arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
exec ./mvnw -B -pl integration-tests -am verify -Dnetplane.faults=all -Dit.test=FaultSuiteIT -Dtest=none \
  -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false "$@"
