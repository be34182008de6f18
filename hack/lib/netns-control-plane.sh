# shellcheck shell=bash disable=SC2154 # ns, state, bin, repo are set by the caller
# A private etcd + kube-apiserver (hack/control-plane/build.sh's binaries) on the loopback of a network namespace of
# its own, so that a benchmark's processes clash with nothing on the host (a local cluster, a broker on 9092).
# Sourced by the benchmarks. The caller sets `ns` (the namespace to create), `state` (a temporary directory, removed
# at the end), `bin` (the binaries' directory) and `repo`, defines log(), and calls `trap ncp_cleanup EXIT`.
# Provides: in_ns, k (kubectl as admin), ncp_run, ncp_start, wait_until, ncp_up, ncp_cleanup; `pids` (processes to stop),
# `pki`, `kubeconfig`.
pids=()
pki=$state/pki
kubeconfig=$state/kubeconfig

in_ns() { ip netns exec "$ns" "$@"; }
k() { in_ns kubectl --kubeconfig "$kubeconfig" "$@"; }

# ncp_run NAME PROGRAM ARGS...: PROGRAM inside the namespace, logging to $state/NAME.log; its pid in pids
ncp_run() {
  local name=$1
  shift
  ip netns exec "$ns" "$@" >"$state/$name.log" 2>&1 </dev/null &
  pids+=($!)
}

# ncp_start NAME PROGRAM ARGS...: as ncp_run, niced (the control plane, so it takes no CPU from what is measured)
ncp_start() {
  local name=$1
  shift
  ncp_run "$name" nice "$@"
}

# wait_until SECONDS WHAT COMMAND...: until COMMAND succeeds; otherwise prints the logs' tails and exits
wait_until() {
  local seconds=$1 what=$2 i
  shift 2
  for ((i = 0; i < seconds * 4; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.25
  done
  log "$what not ready after ${seconds}s"
  tail -n 20 "$state"/*.log >&2
  exit 1
}

# ncp_up: the namespace with its loopback up, certificates (admin is system:masters), etcd and kube-apiserver
# (127.0.0.1:6443, Services from 10.96.0.0/12) ready
ncp_up() {
  ip netns add "$ns"
  in_ns ip link set lo up
  # shellcheck disable=SC1091 # the shared certificate functions
  . "$repo/hack/lib/pki.sh"
  pki_ca
  pki_issue apiserver "/CN=kube-apiserver" "IP:127.0.0.1,DNS:localhost"
  pki_issue admin "/O=system:masters/CN=netplane-bench"
  openssl genrsa -out "$pki/sa.key" 2048 2>/dev/null
  openssl rsa -in "$pki/sa.key" -pubout -out "$pki/sa.pub" 2>/dev/null
  pki_kubeconfig "$kubeconfig" 127.0.0.1:6443 admin
  ncp_start etcd "$bin/etcd" --name bench --data-dir "$state/etcd" --listen-client-urls http://127.0.0.1:2379 \
    --advertise-client-urls http://127.0.0.1:2379 --listen-peer-urls http://127.0.0.1:2380 \
    --initial-advertise-peer-urls http://127.0.0.1:2380 --initial-cluster bench=http://127.0.0.1:2380 \
    --quota-backend-bytes 4294967296 --unsafe-no-fsync # throw-away data: loading is not bound by the disk
  wait_until 30 etcd in_ns curl -fsS http://127.0.0.1:2379/health
  ncp_start kube-apiserver "$bin/kube-apiserver" --bind-address 127.0.0.1 --advertise-address 127.0.0.1 \
    --secure-port 6443 --etcd-servers http://127.0.0.1:2379 \
    --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" \
    --client-ca-file "$pki/ca.crt" --authorization-mode RBAC \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key" \
    --service-cluster-ip-range 10.96.0.0/12 --endpoint-reconciler-type none
  wait_until 120 kube-apiserver k get --raw /readyz
  log "kube-apiserver ready"
}

# ncp_cleanup: stops pids newest first (each given 15 s, so the API server stops while etcd still answers), deletes
# the namespace, keeps the logs in $NETPLANE_BENCH_KEEP_LOGS if set, removes $state
ncp_cleanup() {
  local i pid t
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    pid=${pids[i]}
    kill "$pid" 2>/dev/null || continue
    for ((t = 0; t < 60; t++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  ip netns del "$ns" 2>/dev/null || true
  if [ -n "${NETPLANE_BENCH_KEEP_LOGS:-}" ]; then
    mkdir -p "$NETPLANE_BENCH_KEEP_LOGS"
    cp "$state"/*.log "$NETPLANE_BENCH_KEEP_LOGS"/ 2>/dev/null || true
  fi
  rm -rf "$state"
}
