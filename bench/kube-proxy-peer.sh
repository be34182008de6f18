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
log() { echo "[kube-proxy peer] $(date +%T) $*" >&2; }
# shellcheck source=hack/lib/netns-control-plane.sh # the shared private control plane (in_ns, k, ncp_start, wait_until, pids, kubeconfig)
. "$repo/hack/lib/netns-control-plane.sh"
trap ncp_cleanup EXIT
start() { # start NAME ARGS...: $bin/NAME inside the namespace, niced, logging to $state/NAME.log
  local name=$1
  shift
  ncp_start "$name" "$bin/$name" "$@"
}

# --- control plane on the namespace's loopback, and the node's one address (its InternalIP) ------------------
ncp_up
in_ns ip link add np0 type veth peer name np1
in_ns ip addr add 10.240.0.1/24 dev np0
in_ns ip link set np0 up
in_ns ip link set np1 up

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
# bench/node-proxy.sh passes a directory whose nft records each run's peak memory
PATH="${NETPLANE_NFT_WRAPPER_DIR:+$NETPLANE_NFT_WRAPPER_DIR:}$PATH" start kube-proxy --config "$state/config.yaml" --v=1
kp=${pids[-1]}
wait_until 900 "first sync" syncs_beyond kubeproxy_sync_proxy_rules_duration_seconds_count 0
full_s=$(metric kubeproxy_sync_full_proxy_rules_duration_seconds_sum)
ready=$(date +%s.%N)
start_ms=$(python3 -c "print(round(($ready - $started) * 1000))")
listed=$(in_ns nft list table ip kube-proxy)
printf "%s\n" "$listed" >"$state/kube-proxy-table.log"
lines=$(wc -l <<<"$listed")
chains=$(grep -c '^[[:space:]]*chain ' <<<"$listed")
# the figure is kube-proxy's own: its proxier's sync (rules computed and `nft -f` run), as node-proxy's render+apply
full_ms=$(python3 -c "print(round(float('$full_s') * 1000))")
echo "kube-proxy $("$bin/kube-proxy" --version | awk '{print $2}') nftables mode, services=$SERVICES endpoints/service=$ENDPOINTS"
echo "full sync (kube-proxy's sync_full_proxy_rules_duration): $full_ms ms; process start to first sync $start_ms ms; 'nft list' $lines lines, $chains chains"

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
echo "one-Service change (1 of $ENDPOINTS endpoints replaced): $change_ms ms; add one Service: $add_ms ms"

# event to rules: single slice changes, each a second and a bit after the last (kube-proxy's min-sync-period), each
# stamped with the endpoints.kubernetes.io/last-change-trigger-time annotation at the instant it is written to the
# API (one kept-alive HTTPS connection), from which kube-proxy's own network_programming_duration histogram counts
latency=$(in_ns python3 - "$pki" "$SERVICES" "$ENDPOINTS" "${LATENCY_CHANGES:-30}" <<'EOF'
import datetime, http.client, ipaddress, json, ssl, sys, time, urllib.request
pki, services, m, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
ctx = ssl.create_default_context(cafile=f"{pki}/ca.crt")
ctx.load_cert_chain(f"{pki}/admin.crt", f"{pki}/admin.key")
api = http.client.HTTPSConnection("127.0.0.1", 6443, context=ctx)
def metrics():
    return urllib.request.urlopen("http://127.0.0.1:10249/metrics").read().decode()
def value(text, name):
    return sum(float(l.split()[-1]) for l in text.splitlines() if l.startswith(name + " ") or l.startswith(name + "{"))
external = []
for c in range(n):
    i = (c * 97) % services
    shift = 2 + i % 7
    eps = [{"addresses": [str(ipaddress.ip_address("10.128.0.0") + i * (m + 1) + e + shift)],
            "conditions": {"ready": True}, "nodeName": "other-node"} for e in range(m)]
    before = value(metrics(), "kubeproxy_sync_partial_proxy_rules_duration_seconds_count")
    now = datetime.datetime.now(datetime.timezone.utc)
    body = {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "addressType": "IPv4",
            "metadata": {"name": f"svc-{i}-a", "namespace": "bench",
                         "labels": {"kubernetes.io/service-name": f"svc-{i}"},
                         "annotations": {"endpoints.kubernetes.io/last-change-trigger-time":
                                         now.strftime("%Y-%m-%dT%H:%M:%S.%fZ")}},
            "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}], "endpoints": eps}
    t0 = time.monotonic()
    api.request("PUT", f"/apis/discovery.k8s.io/v1/namespaces/bench/endpointslices/svc-{i}-a", json.dumps(body),
                {"Content-Type": "application/json"})
    r = api.getresponse(); r.read()
    if r.status != 200:
        sys.exit(f"PUT svc-{i}-a: {r.status}")
    while value(metrics(), "kubeproxy_sync_partial_proxy_rules_duration_seconds_count") <= before:
        time.sleep(0.005)
    external.append((time.monotonic() - t0) * 1000)
    time.sleep(1.1)
# kube-proxy's histogram: the quantile as Prometheus' histogram_quantile interpolates it within a bucket
text = metrics()
buckets = sorted((float(l.split('le="')[1].split('"')[0].replace("+Inf", "inf")), float(l.split()[-1]))
                 for l in text.splitlines() if l.startswith("kubeproxy_network_programming_duration_seconds_bucket"))
total = buckets[-1][1]
def quantile(q):
    rank, lo, below = q * total, 0.0, 0.0
    for le, cum in buckets:
        if cum >= rank:
            return (lo + (le - lo) * (rank - below) / max(cum - below, 1e-9)) * 1000 if le != float("inf") else lo * 1000
        lo, below = le, cum
ext = sorted(external)
print(f"{quantile(0.5):.0f} {quantile(0.99):.0f} {int(total)} {ext[len(ext) // 2]:.0f} {ext[min(len(ext) - 1, int(len(ext) * 0.99))]:.0f}")
EOF
)
read -r lat50 lat99 latn ext50 ext99 <<<"$latency"
echo "event to rules, $latn samples in kube-proxy's network_programming_duration histogram: p50 $lat50 ms, p99 $lat99 ms (interpolated in its buckets); API write to its sync done, measured outside: p50 $ext50 ms, p99 $ext99 ms"
rss_kb=$(awk '/^VmRSS/ {print $2}' "/proc/$kp/status")
echo "resident memory of kube-proxy: $rss_kb kB"
echo "KUBEPROXY full_ms=$full_ms first_ms=$full_ms change_ms=$change_ms add_ms=$add_ms latency_p50_ms=$lat50 latency_p99_ms=$lat99 outside_p50_ms=$ext50 outside_p99_ms=$ext99 start_ms=$start_ms lines=$lines chains=$chains rss_kb=$rss_kb"
