#!/usr/bin/env bash
# node-proxy benchmark: full sync / one-Service change / ruleset size / RSS at N Services x M endpoints, and the
# data path through a ClusterIP vs straight to the backend, inside network namespaces (root, nft, ip, python3):
# first node-proxy's engine (its sync loop and data plane in a bench JVM, NodeProxyBench), then the whole node-proxy
# process (its Quarkus jar, fed from a real broker: NodeProxyProcessBench) for start-up, event to rules from
# outside and resident memory.
# Then the same Services through kube-proxy in nftables mode (bench/kube-proxy-peer.sh; its binaries come from
# hack/control-plane/build.sh, cached after the first build; NETPLANE_BENCH_PEER=0 skips it), one after the other
# on the same machine, and the ratios node-proxy / kube-proxy.
# Usage: bench/node-proxy.sh [services=10000] [endpoints=10] [seconds per data-path run=5]
set -euo pipefail
cd "$(dirname "$0")/.."
SERVICES=${1:-10000}
ENDPOINTS=${2:-10}
SECONDS_PER_RUN=${3:-5}
# One reactor build, no install: the sibling modules resolve to their target/classes, so a fresh checkout (or a
# local repository without maven-install-plugin, as right after a CI run) works. Every module writes the same
# output file; node-proxy is built last, so its classpath is the one left. package: node-proxy's Quarkus jar
# (target/quarkus-app) for the process bench; no image.
CP_FILE=$(mktemp)
flock /tmp/netplane-mvn.lock ./mvnw -q -pl node-proxy -am package -DskipTests -P '!images' dependency:build-classpath \
    -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=test
CP="node-proxy/target/test-classes:node-proxy/target/classes:$(cat "$CP_FILE")"
rm -f "$CP_FILE"
OUT=$(mktemp)
WRAP=$(mktemp -d)
PNS=np-bench-proc-$$
trap 'ip netns del "$PNS" 2>/dev/null || true; rm -rf "$OUT" "$WRAP"' EXIT
[ -x /usr/bin/time ] || apt-get install -y -qq time >/dev/null
# nft's peak resident memory: every nft run of each proxy goes through this wrapper (the largest is the full sync)
printf '#!/bin/sh\nexec /usr/bin/time -a -o "%s/nft-rss" -f %%M %s "$@"\n' "$WRAP" "$(command -v nft)" >"$WRAP/nft"
chmod +x "$WRAP/nft"
nft_peak() { sort -n "$WRAP/nft-rss" | tail -n 1; : >"$WRAP/nft-rss"; }
# node-proxy's own JVM options, the file its image starts java with, under the memory limit of its DaemonSet:
# -XX:MaxRAM stands for the container's limit, which the JVM in the Pod reads from its cgroup
LIMIT=$(sed -nE 's/.*limits: \{memory: ([0-9]+)([MG])i\}.*/\1\2/p' k8s/node-proxy/daemonset.yaml)
[ -n "$LIMIT" ] || { echo "no memory limit found in k8s/node-proxy/daemonset.yaml" >&2; exit 1; }
timeout 900 java @node-proxy/src/main/jvm/jvm.options -XX:MaxRAM="$LIMIT" -Dnetplane.bench.nft="$WRAP/nft" -cp "$CP" \
    io.netplane.proxy.bench.NodeProxyBench \
    "$SERVICES" "$ENDPOINTS" "$SECONDS_PER_RUN" | tee "$OUT"
# the whole process, in a namespace of its own: the broker and the publisher in the bench JVM on its loopback,
# node-proxy's jar as the image starts it, programming that namespace (its node address on a veth pair inside it)
ip netns add "$PNS"
ip -n "$PNS" link set lo up
ip -n "$PNS" link add np0 type veth peer name np1
ip -n "$PNS" addr add 10.240.0.1/24 dev np0
ip -n "$PNS" link set np0 up
ip -n "$PNS" link set np1 up
echo
ip netns exec "$PNS" timeout 1200 java -cp "$CP" io.netplane.proxy.bench.NodeProxyProcessBench \
    "$SERVICES" "$ENDPOINTS" node-proxy/target/quarkus-app/quarkus-run.jar node-proxy/src/main/jvm/jvm.options \
    "$LIMIT" node-proxy/target/netplane-nl/netplane-nl "$WRAP/nft" | tee -a "$OUT"
ip netns del "$PNS"
echo "NODEPROXY nft_peak_kb=$(nft_peak)" | tee -a "$OUT"
[ "${NETPLANE_BENCH_PEER:-1}" = 1 ] || exit 0
echo
NETPLANE_NFT_WRAPPER_DIR="$WRAP" timeout 1800 bench/kube-proxy-peer.sh "$SERVICES" "$ENDPOINTS" | tee -a "$OUT"
echo "KUBEPROXY nft_peak_kb=$(nft_peak)" | tee -a "$OUT"
echo
python3 - "$OUT" <<'EOF'
import sys
rows = {}
for line in open(sys.argv[1]):
    if line.startswith(("NODEPROXY ", "KUBEPROXY ")):
        who, *pairs = line.split()
        rows.setdefault(who, {}).update({k: float(v) for k, v in (p.split("=") for p in pairs)})
n, k = rows["NODEPROXY"], rows["KUBEPROXY"]
# (node-proxy's key, kube-proxy's key, row); the engine's RSS is set against kube-proxy's whole process for context
names = [("first_ms", "first_ms", "first start sync"), ("full_ms", "full_ms", "full sync (restart)"),
         ("change_ms", "change_ms", "one-Service change"), ("add_ms", "add_ms", "add one Service"),
         ("latency_p50_ms", "latency_p50_ms", "event to rules p50"), ("latency_p99_ms", "latency_p99_ms", "event to rules p99"),
         ("outside_p50_ms", "outside_p50_ms", "outside: write to rules p50"),
         ("outside_p99_ms", "outside_p99_ms", "outside: write to rules p99"),
         ("start_ms", "start_ms", "process start to synced"), ("lines", "lines", "'nft list' lines"),
         ("chains", "chains", "chains"), ("rss_kb", "rss_kb", "proxy RSS (process)"),
         ("engine_rss_kb", "rss_kb", "engine JVM RSS"), ("nft_peak_kb", "nft_peak_kb", "nft peak RSS")]
print("ratio node-proxy / kube-proxy (same run, same Services):")
for key, peer, name in names:
    ratio = n[key] / k[peer] if k[peer] else float("inf")
    print(f"  {name:28s} {ratio:6.2f}  ({n[key]:.0f} / {k[peer]:.0f})")
EOF
