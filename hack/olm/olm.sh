#!/usr/bin/env bash
# OLM (v0: the olm and catalog operators, built from their Go modules by build.sh) for a cluster whose control
# plane runs on this machine, as processes on the host beside the API server (as the control plane itself runs),
# and `opm serve` serving Netplane's catalog (catalog.sh) over gRPC, for a CatalogSource with spec.address.
# OLM's CRDs are applied, its namespace olm created; no packageserver (its package API only lists catalogs).
#   hack/olm/olm.sh start KUBECONFIG [CATALOG_PORT]   (default port 50051; opm serves on every address of the host:
#                                                      its --port takes no address)
#   hack/olm/olm.sh stop | status
# State and logs: ${NETPLANE_STATE:-~/.local/state/netplane}/olm.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
state=${NETPLANE_STATE:-$HOME/.local/state/netplane}/olm
daemons="opm olm catalog"
log() { echo "[olm] $*" >&2; }
alive() { [ -f "$state/$1.pid" ] && kill -0 "$(cat "$state/$1.pid")" 2>/dev/null; }

start() {
  local kubeconfig=$1 port=${2:-50051} bin d
  export KUBECONFIG=$kubeconfig
  bin=$("$here/build.sh" olm opm | tail -n 1)
  mkdir -p "$state"
  kubectl apply --server-side --force-conflicts -f "$(dirname "$bin")/crds" >/dev/null
  kubectl wait --for condition=Established --timeout 60s -f "$(dirname "$bin")/crds" >/dev/null
  kubectl create namespace olm --dry-run=client -o yaml | kubectl apply --server-side -f - >/dev/null
  "$here/catalog.sh" "$state/catalog" >/dev/null
  for d in $daemons; do
    if alive "$d"; then log "$d already running (pid $(cat "$state/$d.pid"))"; continue; fi
    case $d in
      opm) set -- "$bin/opm" serve "$state/catalog" --port "$port" --pprof-addr "" --termination-log /dev/null ;;
      # OPERATOR_NAMESPACE: where OLM keeps its own objects; no ClusterOperator status (that is OpenShift's)
      olm) set -- env OPERATOR_NAMESPACE=olm OPERATOR_NAME=olm-operator "$bin/olm" --namespace olm --writeStatusName "" ;;
      catalog) set -- "$bin/catalog" --kubeconfig "$kubeconfig" --namespace olm --writeStatusName "" ;;
    esac
    nohup "$@" >"$state/$d.log" 2>&1 </dev/null &
    echo $! >"$state/$d.pid"
  done
  sleep 2
  for d in $daemons; do
    alive "$d" || { log "$d exited; log $state/$d.log:"; tail -20 "$state/$d.log" >&2; exit 1; }
  done
  log "olm, catalog and opm (catalog on port $port) running; logs in $state"
}

stop() {
  local d
  for d in $daemons; do
    if alive "$d"; then kill "$(cat "$state/$d.pid")"; log "$d stopped"; fi
    rm -f "$state/$d.pid"
  done
}

case "${1:-}" in
  start) start "${2:?usage: $0 start KUBECONFIG [CATALOG_PORT]}" "${3:-}" ;;
  stop) stop ;;
  status)
    rc=0
    for d in $daemons; do if alive "$d"; then echo "$d running"; else echo "$d not running"; rc=1; fi; done
    exit $rc ;;
  *) echo "usage: $0 start KUBECONFIG [CATALOG_PORT] | stop | status" >&2; exit 2 ;;
esac
