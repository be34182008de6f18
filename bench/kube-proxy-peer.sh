#!/usr/bin/env bash
# The upstream peer of bench/node-proxy.sh: kube-proxy (the version hack/control-plane/build.sh builds) in nftables
# mode, programming the same N Services x M endpoints inside a network namespace of its own, where a private etcd and
# kube-apiserver listen on that namespace's loopback (nothing on the host's addresses, no clash with a local cluster).
# Prints kube-proxy's own sync durations (its metrics), the ruleset size and its RSS, and a machine-readable line
# `KUBEPROXY key=value ...` that bench/node-proxy.sh turns into ratios.
# Usage: bench/kube-proxy-peer.sh [services=10000] [endpoints=10]   (root; nft, ip, kubectl, openssl, curl)
set -euo pipefail
cd "$(dirname "$0")/.."
SERVICES=${1:-10000}
ENDPOINTS=${2:-10}
repo=$(pwd)
bin=$(hack/control-plane/build.sh | tail -n 1)
ns=np-bench-kp-$$
state=$(mktemp -d /tmp/np-bench-kp.XXXXXX)
pki=$state/pki
pids=()

log() { echo "[kube-proxy peer] $(date +%T) $*" >&2; }
in_ns() { ip netns exec "$ns" "$@"; }
cleanup() { # newest first (kube-proxy, then the API server while etcd still answers), each given 15 s
  local i pid t
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    pid=${pids[i]}
    kill "$pid" 2>/dev/null || continue
    for ((t = 0; t < 60; t++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  ip netns del "$ns" 2>/dev/null || true
  if [ -n "${NETPLANE_BENCH_KEEP_LOGS:-}" ]; then mkdir -p "$NETPLANE_BENCH_KEEP_LOGS" && cp "$state"/*.log "$NETPLANE_BENCH_KEEP_LOGS"/ 2>/dev/null; fi
  rm -rf "$state"
}
trap cleanup EXIT

# --- the node: a namespace with loopback and one address (the node's InternalIP) ------------------------------
ip netns add "$ns"
in_ns ip link set lo up
in_ns ip link add np0 type veth peer name np1
in_ns ip addr add 10.240.0.1/24 dev np0
in_ns ip link set np0 up
in_ns ip link set np1 up

# --- control plane on the namespace's loopback --------------------------------------------------------------
# shellcheck disable=SC1091 # the shared certificate functions
. "$repo/hack/lib/pki.sh"
pki_ca
pki_issue apiserver "/CN=kube-apiserver" "IP:127.0.0.1,DNS:localhost"
pki_issue admin "/O=system:masters/CN=netplane-bench"
openssl genrsa -out "$pki/sa.key" 2048 2>/dev/null
openssl rsa -in "$pki/sa.key" -pubout -out "$pki/sa.pub" 2>/dev/null
kubeconfig=$state/kubeconfig
pki_kubeconfig "$kubeconfig" 127.0.0.1:6443 admin
k() { in_ns kubectl --kubeconfig "$kubeconfig" "$@"; }

start() { # start NAME ARGS...: $bin/NAME inside the namespace, niced, logging to $state/NAME.log
  local name=$1
  shift
  ip netns exec "$ns" nice "$bin/$name" "$@" >"$state/$name.log" 2>&1 </dev/null &
  pids+=($!)
}
wait_until() { # wait_until SECONDS WHAT COMMAND...
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

start etcd --name bench --data-dir "$state/etcd" --listen-client-urls http://127.0.0.1:2379 \
  --advertise-client-urls http://127.0.0.1:2379 --listen-peer-urls http://127.0.0.1:2380 \
  --initial-advertise-peer-urls http://127.0.0.1:2380 --initial-cluster bench=http://127.0.0.1:2380 \
  --quota-backend-bytes 4294967296
wait_until 30 etcd in_ns curl -fsS http://127.0.0.1:2379/health
start kube-apiserver --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port 6443 \
  --etcd-servers http://127.0.0.1:2379 --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" \
  --client-ca-file "$pki/ca.crt" --authorization-mode RBAC \
  --service-account-issuer https://kubernetes.default.svc.cluster.local \
  --service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key" \
  --service-cluster-ip-range 10.96.0.0/12 --endpoint-reconciler-type none
wait_until 120 kube-apiserver k get --raw /readyz
log "kube-apiserver ready"

# --- the Services of NodeProxyBench: endpoints 10.128.0.0 + i*(M+1) + e; ClusterIP 10.96.0.0 + i + 2, one above
# NodeProxyBench's, since the API server gives 10.96.0.1 to its own kubernetes Service ----------------------------
objects() { # objects FIRST COUNT SHIFT: Services FIRST.. and their slices, as one YAML stream
  python3 - "$1" "$2" "$3" "$ENDPOINTS" <<'EOF'
import ipaddress, sys
first, count, shift, m = map(int, sys.argv[1:])
out = []
for i in range(first, first + count):
    vip = ipaddress.ip_address("10.96.0.0") + i + 2
    eps = "".join(f"\n  - addresses: [\"{ipaddress.ip_address('10.128.0.0') + i * (m + 1) + e + shift}\"]"
                  f"\n    conditions: {{ready: true}}\n    nodeName: other-node" for e in range(m))
    out.append(f"""apiVersion: v1
kind: Service
metadata: {{name: svc-{i}, namespace: bench}}
spec: {{clusterIP: {vip}, ports: [{{name: http, port: 80, protocol: TCP, targetPort: 8080}}]}}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {{name: svc-{i}-a, namespace: bench, labels: {{kubernetes.io/service-name: svc-{i}}}}}
addressType: IPv4
ports: [{{name: http, port: 8080, protocol: TCP}}]
endpoints:{eps}""")
print("\n---\n".join(out))
EOF
}
k create namespace bench >/dev/null
k apply -f - >/dev/null <<EOF
apiVersion: v1
kind: Node
metadata: {name: bench-node}
status: {addresses: [{type: InternalIP, address: 10.240.0.1}]}
EOF
log "creating $SERVICES Services x $ENDPOINTS endpoints"
objects 0 "$SERVICES" 0 >"$state/objects.yaml"
k create -f "$state/objects.yaml" >/dev/null
log "starting kube-proxy"

# --- kube-proxy ------------------------------------------------------------------------------------------------
# conntrack: leave every sysctl as it is (maxPerCore 0; zero timeouts mean "do not set")
cat >"$state/config.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: nftables
clientConnection: {kubeconfig: $kubeconfig}
hostnameOverride: bench-node
clusterCIDR: 10.244.0.0/16
metricsBindAddress: 127.0.0.1:10249
healthzBindAddress: 127.0.0.1:10256
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s, udpTimeout: 0s, udpStreamTimeout: 0s}
EOF
metric() { # metric NAME: its value (summed over label sets) from kube-proxy's /metrics
  in_ns curl -fsS http://127.0.0.1:10249/metrics | awk -v n="$1" '$1 == n || index($1, n "{") == 1 {s += $2} END {print s + 0}'
}
syncs_beyond() { [ "$(metric "$1")" -gt "$2" ]; }
started=$(date +%s.%N)
start kube-proxy --config "$state/config.yaml" --v=1
kp=${pids[-1]}
wait_until 900 "first sync" syncs_beyond kubeproxy_sync_proxy_rules_duration_seconds_count 0
full_s=$(metric kubeproxy_sync_full_proxy_rules_duration_seconds_sum)
ready=$(date +%s.%N)
listed=$(in_ns nft list table ip kube-proxy)
printf "%s\n" "$listed" >"$state/kube-proxy-table.log"
lines=$(wc -l <<<"$listed")
chains=$(grep -c '^[[:space:]]*chain ' <<<"$listed")
# the figure is kube-proxy's own: its proxier's sync (rules computed and `nft -f` run), as node-proxy's render+apply
full_ms=$(python3 -c "print(round(float('$full_s') * 1000))")
echo "kube-proxy $("$bin/kube-proxy" --version | awk '{print $2}') nftables mode, services=$SERVICES endpoints/service=$ENDPOINTS"
echo "full sync (kube-proxy's sync_full_proxy_rules_duration): $full_ms ms; process start to first sync $(python3 -c "print(round(($ready - $started) * 1000))") ms; 'nft list' $lines lines, $chains chains"

# one Service change (one endpoint replaced) and one Service added: the partial syncs they cause
partial() { # partial COMMAND...: runs it, waits for the next partial sync, prints that sync's duration in ms
  local count sum
  count=$(metric kubeproxy_sync_partial_proxy_rules_duration_seconds_count)
  sum=$(metric kubeproxy_sync_partial_proxy_rules_duration_seconds_sum)
  "$@" >/dev/null
  wait_until 120 "partial sync" syncs_beyond kubeproxy_sync_partial_proxy_rules_duration_seconds_count "$count"
  python3 -c "print(round((float('$(metric kubeproxy_sync_partial_proxy_rules_duration_seconds_sum)') - float('$sum')) * 1000))"
}
objects 7 1 1 | sed -n '/^kind: EndpointSlice/,$p' | sed '1i apiVersion: discovery.k8s.io/v1' >"$state/change.yaml"
change_ms=$(partial k replace -f "$state/change.yaml")
objects "$SERVICES" 1 0 >"$state/add.yaml"
add_ms=$(partial k create -f "$state/add.yaml")
rss_kb=$(awk '/^VmRSS/ {print $2}' "/proc/$kp/status")
echo "one-Service change (1 of $ENDPOINTS endpoints replaced): $change_ms ms; add one Service: $add_ms ms"
echo "resident memory of kube-proxy: $rss_kb kB"
echo "KUBEPROXY full_ms=$full_ms change_ms=$change_ms add_ms=$add_ms lines=$lines chains=$chains rss_kb=$rss_kb"
