#!/usr/bin/env bash
# Runs upstream Kubernetes' own end-to-end tests (e2e.test v1.37.2 and ginkgo, built by hack/e2e/build.sh) against
# the local cluster of hack/cluster.sh:
#   hack/e2e.sh [--stack netplane|upstream] [--conformance] [--focus REGEX] [--procs N]
# --stack: which networking the cluster runs (default netplane); when the cluster is up with the other stack it is
#   taken down and brought up with this one (a cluster that is down is brought up). The cluster stays up.
# Default focus: every [sig-network] test but those in hack/e2e/skips.tsv (each with its reason); --conformance: the
# sig-network [Conformance] tests only (what CI runs). Exit status non-zero when a test failed.
# JUnit and log in ${NETPLANE_STATE:-~/.local/state/netplane}/e2e/<stack>-<time>/; hack/e2e/table.py turns the
# latest report of each stack into docs/conformance/sig-network.md.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
stack=netplane
focus='\[sig-network\]'
procs=${NETPLANE_E2E_PROCS:-6}
while [ $# -gt 0 ]; do
  case $1 in
    --stack) stack=$2; shift 2 ;;
    --conformance) focus='\[sig-network\].*\[Conformance\]'; shift ;;
    --focus) focus=$2; shift 2 ;;
    --procs) procs=$2; shift 2 ;;
    *) echo "usage: $0 [--stack netplane|upstream] [--conformance] [--focus REGEX] [--procs N]" >&2; exit 2 ;;
  esac
done
case $stack in netplane | upstream) ;; *) echo "--stack netplane or upstream" >&2; exit 2 ;; esac
# skips.tsv: regex<TAB>reason[<TAB>stack]; a row with a stack applies to that stack only
skip=$(awk -F'\t' -v s="$stack" '!/^#/ && NF >= 2 && ($3 == "" || $3 == s) {print $1}' "$repo/hack/e2e/skips.tsv" \
  | paste -sd '|')

state=${NETPLANE_STATE:-$HOME/.local/state/netplane}
kubeconfig=$state/cluster/control-plane/kubeconfig
running=$(cat "$state/cluster/stack" 2>/dev/null || echo netplane)
if ! { [ -f "$kubeconfig" ] && kubectl --kubeconfig "$kubeconfig" get --raw /readyz >/dev/null 2>&1; }; then
  echo "[e2e] no cluster answers: hack/cluster.sh up --stack $stack" >&2
  NETPLANE_DEMO=0 "$repo/hack/cluster.sh" up --stack "$stack" >/dev/null
elif [ "$running" != "$stack" ]; then
  echo "[e2e] the cluster runs the $running stack: down, then up --stack $stack" >&2
  "$repo/hack/cluster.sh" down
  NETPLANE_DEMO=0 "$repo/hack/cluster.sh" up --stack "$stack" >/dev/null
fi
e2e=$("$repo/hack/e2e/build.sh" | tail -n 1)
report=$state/e2e/$stack-$(date +%Y%m%d-%H%M%S)
mkdir -p "$report"
echo "[e2e] $stack stack; focus '$focus'; $procs processes; report in $report" >&2
start=$(date +%s)
rc=0
# [Serial] tests run after the others, alone, as ginkgo does with --procs
"$e2e/ginkgo" --procs "$procs" --focus "$focus" --skip "$skip" --timeout 3h --no-color --poll-progress-after 5m \
  --junit-report junit.xml --output-dir "$report" "$e2e/e2e.test" -- \
  --kubeconfig "$kubeconfig" --provider local --dns-domain cluster.local --report-dir "$report" \
  >"$report/e2e.log" 2>&1 || rc=$?
echo "$stack" >"$report/stack"
grep -E '^\s*\[FAIL\] ' "$report/e2e.log" | sed 's/^/[e2e] /' >&2 || true
grep -E '^(Ran |FAIL!|SUCCESS!)' "$report/e2e.log" | tail -2 >&2 || true
echo "[e2e] $(($(date +%s) - start))s; log $report/e2e.log" >&2
exit "$rc"
