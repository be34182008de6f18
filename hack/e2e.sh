#!/usr/bin/env bash
# Runs upstream Kubernetes' own end-to-end tests (e2e.test v1.37.2, built by hack/e2e/build.sh) against the local
# cluster of hack/cluster.sh, which must be up, with Netplane as its networking.
#   hack/e2e.sh [--focus REGEX] [--skip REGEX]
# Default focus: the sig-network [Conformance] tests. JUnit and logs in ${NETPLANE_STATE:-~/.local/state/netplane}/e2e/.
# Not built yet: --stack upstream (kube-proxy, CoreDNS and the controller manager's EndpointSlice controllers in
# Netplane's place), the results table.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
focus='\[sig-network\].*\[Conformance\]'
# Skipped, each for its reason: nothing here is a cloud provider, and disruptive/serial tests would restart nodes.
skip='\[Disruptive\]|\[Serial\]|\[Feature:|LoadBalancer|\[Flaky\]'
while [ $# -gt 0 ]; do
  case $1 in
    --focus) focus=$2; shift 2 ;;
    --skip) skip=$2; shift 2 ;;
    *) echo "usage: $0 [--focus REGEX] [--skip REGEX]" >&2; exit 2 ;;
  esac
done
state=${NETPLANE_STATE:-$HOME/.local/state/netplane}
kubeconfig=$state/cluster/control-plane/kubeconfig
[ -f "$kubeconfig" ] && kubectl --kubeconfig "$kubeconfig" get --raw /readyz >/dev/null 2>&1 ||
  { echo "no local cluster answers (run hack/cluster.sh up)" >&2; exit 1; }
e2e=$("$repo/hack/e2e/build.sh" | tail -n 1)
report=$state/e2e/$(date +%Y%m%d-%H%M%S)
mkdir -p "$report"
echo "[e2e] focus '$focus', skip '$skip'; report in $report" >&2
"$e2e/e2e.test" --kubeconfig "$kubeconfig" --provider local --dns-domain cluster.local \
  --report-dir "$report" --ginkgo.focus "$focus" --ginkgo.skip "$skip" --ginkgo.timeout 2h \
  --ginkgo.junit-report "$report/junit.xml" --ginkgo.v --ginkgo.no-color 2>&1 | tee "$report/e2e.log" | grep -E '^\s*(•|\[FAIL\]|Ran |FAIL|PASS|SUCCESS)' || true
grep -E '^(Ran |FAIL!|SUCCESS!)' "$report/e2e.log" | tail -2
