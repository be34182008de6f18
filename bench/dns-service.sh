#!/usr/bin/env bash
# dns-service benchmark: QPS and latency percentiles with dnsperf against this server and, in the same run,
# against a peer serving the same names (CoreDNS built from its Go module with the `file` plugin when that
# builds; otherwise NSD from Debian), the ratio; and heap per 1,000 Services + Pods. Loopback only.
# Usage: bench/dns-service.sh [services=1000] [seconds per run=10] [peer=auto|coredns|nsd]
set -euo pipefail
cd "$(dirname "$0")/.."
SERVICES=${1:-1000}
SECS=${2:-10}
PEER=${3:-auto}
WORK=$(mktemp -d /tmp/dns-bench.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$WORK"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
need() { command -v "$1" >/dev/null || { apt-get install -y -qq "$2" >/dev/null || { apt-get update -qq && apt-get install -y -qq "$2" >/dev/null; }; }; }
need dnsperf dnsperf
# shellcheck disable=SC1091 # dnsperf's output and the JVM heap (dnsperf_qps, dnsperf_pcts, jvm_heap_kb, ...)
. hack/lib/dns-bench.sh

echo "== building dns-service"
./mvnw -q -pl platform-bom,platform-api,platform-runtime,platform-testing install -DskipTests
./mvnw -q -pl dns-service package -DskipTests
./mvnw -q -pl dns-service test-compile
./mvnw -q -pl dns-service dependency:build-classpath -Dmdep.outputFile="$WORK/cp" -Dmdep.includeScope=test
CP="dns-service/target/test-classes:dns-service/target/classes:$(cat "$WORK/cp")"

# --- the peer ---------------------------------------------------------------------------------------------
COREDNS=
if [ "$PEER" != nsd ]; then
  # the CoreDNS the local cluster and bench/dns-kube.sh use (built once from its Go module, cached)
  COREDNS=$(hack/coredns/build.sh | tail -1) || { echo "   CoreDNS did not build; falling back to NSD"; COREDNS=; }
fi
if [ "$PEER" = coredns ] || { [ "$PEER" = auto ] && [ -n "$COREDNS" ] && [ -x "$COREDNS" ]; }; then PEER=coredns; else PEER=nsd; need nsd nsd; fi

# --- Kafka and the data ---------------------------------------------------------------------------------
echo "== starting Kafka"
java -Xmx768m -cp "$CP" io.netplane.dns.bench.BenchFeed "$SERVICES" "$WORK" >"$WORK/feed.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 120); do [ -f "$WORK/bootstrap" ] && break; sleep 1; done
[ -f "$WORK/bootstrap" ] || { echo "Kafka did not start"; tail -20 "$WORK/feed.log"; exit 1; }

DNS_PORT=$(free_port); HTTP_PORT=$(free_port); PEER_PORT=$(free_port)
echo "== starting dns-service on 127.0.0.1:$DNS_PORT (empty cluster)"
java -Xmx512m -XX:+UseG1GC -Dnetplane.dns.port="$DNS_PORT" -Dnetplane.dns.bind-address=127.0.0.1 \
  -Dkafka.bootstrap.servers="$(cat "$WORK/bootstrap")" -Dnetplane.dns.client-rate-limit=0 -Dnetplane.dns.pods=verified \
  -Dnetplane.dns.upstreams= -Dnetplane.dns.resolv-conf=/nonexistent -Dquarkus.http.port="$HTTP_PORT" \
  -Dquarkus.log.level=WARN -jar dns-service/target/quarkus-app/quarkus-run.jar >"$WORK/dns.log" 2>&1 &
DNS_PID=$!; PIDS+=("$DNS_PID")
ready() { curl -fs "http://127.0.0.1:$HTTP_PORT/q/health/ready" >/dev/null 2>&1; }
for _ in $(seq 1 120); do ready && break; sleep 1; done
ready || { echo "dns-service not ready"; tail -30 "$WORK/dns.log"; exit 1; }

BASE_HEAP=$(jvm_heap_kb "$DNS_PID")
echo "== publishing $SERVICES Services + $SERVICES Pods"
touch "$WORK/go"
for _ in $(seq 1 300); do [ -f "$WORK/published" ] && break; sleep 1; done
LAST="svc-$((SERVICES - 1)).ns-$(((SERVICES - 1) % 20)).svc.cluster.local"
for _ in $(seq 1 120); do
  python3 - "$DNS_PORT" "$LAST" <<'PY' 2>/dev/null && break
import socket, struct, sys
port, name = int(sys.argv[1]), sys.argv[2]
q = struct.pack(">HHHHHH", 7, 0x0100, 1, 0, 0, 0) + b"".join(bytes([len(l)]) + l.encode() for l in name.split(".")) + b"\0" + struct.pack(">HH", 1, 1)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(1); s.sendto(q, ("127.0.0.1", port))
r = s.recv(512); sys.exit(0 if struct.unpack(">H", r[6:8])[0] > 0 else 1)
PY
  sleep 1
done
LOADED_HEAP=$(jvm_heap_kb "$DNS_PID")
RSS_KB=$(rss_kb "$DNS_PID")

echo "== starting the peer: $PEER on 127.0.0.1:$PEER_PORT"
if [ "$PEER" = coredns ]; then
  printf 'cluster.local:%s {\n  bind 127.0.0.1\n  file %s cluster.local\n}\n' "$PEER_PORT" "$WORK/zone.db" >"$WORK/Corefile"
  "$COREDNS" -conf "$WORK/Corefile" -quiet >"$WORK/peer.log" 2>&1 &
  PEER_VERSION=$("$COREDNS" -version | sed -n 1p)
else
  cat >"$WORK/nsd.conf" <<CONF
server:
  ip-address: 127.0.0.1@$PEER_PORT
  server-count: 2
  username: ""
  zonesdir: "$WORK"
  pidfile: "$WORK/nsd.pid"
  database: ""
  xfrdfile: "$WORK/xfrd.state"
  zonelistfile: "$WORK/zone.list"
  logfile: "$WORK/peer.log"
  verbosity: 0
  rrl-ratelimit: 0
remote-control:
  control-enable: no
zone:
  name: cluster.local
  zonefile: "$WORK/zone.db"
CONF
  nsd -d -c "$WORK/nsd.conf" >"$WORK/peer.out" 2>&1 &
  PEER_VERSION=$(nsd -v 2>&1 | sed -n 1p)
fi
PIDS+=($!)
sleep 2

run() { # port seconds extra-args... → dnsperf output
  timeout $(($2 + 30)) dnsperf -s 127.0.0.1 -p "$1" -d "$WORK/queries.txt" -l "$2" -c 8 -T 2 -q 200 "${@:3}" 2>&1 || true
}
echo "== warming up both (JIT) for $SECS s each"
run "$DNS_PORT" "$SECS" >/dev/null
run "$PEER_PORT" "$SECS" >/dev/null
echo "== throughput: $SECS s each, alternating twice"
O1=$(run "$DNS_PORT" "$SECS"); P1=$(run "$PEER_PORT" "$SECS")
O2=$(run "$DNS_PORT" "$SECS"); P2=$(run "$PEER_PORT" "$SECS")
OURS=$(printf '%s\n%s\n' "$(echo "$O1" | dnsperf_qps)" "$(echo "$O2" | dnsperf_qps)" | sort -g | tail -1)
THEIRS=$(printf '%s\n%s\n' "$(echo "$P1" | dnsperf_qps)" "$(echo "$P2" | dnsperf_qps)" | sort -g | tail -1)
LOST_OURS=$(echo "$O2" | awk '/Queries lost/ {print $3}')
LOST_THEIRS=$(echo "$P2" | awk '/Queries lost/ {print $3}')
RCODES=$(echo "$O2" | dnsperf_rcodes)
PEER_RCODES=$(echo "$P2" | dnsperf_rcodes)
# latency at the same fixed load for both: half of the slower one's peak
LOAD=$(awk -v a="$OURS" -v b="$THEIRS" 'BEGIN {m = a < b ? a : b; printf "%d", m / 2}')
echo "== latency at a fixed $LOAD QPS, $SECS s each"
LAT_OURS=$(run "$DNS_PORT" "$SECS" -Q "$LOAD" -v | dnsperf_pcts words)
LAT_THEIRS=$(run "$PEER_PORT" "$SECS" -Q "$LOAD" -v | dnsperf_pcts words)

echo
echo "dns-service benchmark: $SERVICES Services + $SERVICES Pods, dnsperf -c 8 -T 2 -q 200, $(nproc) CPUs shared, load average $(cut -d' ' -f1 /proc/loadavg)"
echo "  query mix: 3/7 Service A, 1/7 AAAA NODATA, 1/7 SRV, 1/7 Pod A (verified), 1/7 NXDOMAIN"
printf "  %-34s %10s QPS   %s   (lost %s; %s)\n" "netplane dns-service" "$OURS" "$LAT_OURS" "$LOST_OURS" "$RCODES"
printf "  %-34s %10s QPS   %s   (lost %s; %s)\n" "peer: $PEER_VERSION" "$THEIRS" "$LAT_THEIRS" "$LOST_THEIRS" "$PEER_RCODES"
awk -v a="$OURS" -v b="$THEIRS" 'BEGIN {printf "  QPS ratio netplane/peer: %.2f\n", a / b}'
awk -v base="$BASE_HEAP" -v loaded="$LOADED_HEAP" -v n="$SERVICES" -v rss="$RSS_KB" 'BEGIN {
  printf "  heap after GC: %.1f MiB empty, %.1f MiB loaded -> %.2f MiB per 1,000 Services + 1,000 Pods (RSS %.0f MiB)\n",
    base / 1024, loaded / 1024, (loaded - base) / 1024 / (n / 1000), rss / 1024 }'
echo "  note: the peer answers from a zone file (CoreDNS 'file' plugin / NSD) and, as authoritative servers do, adds"
echo "        NS and glue to positive answers; this server sends minimal responses like CoreDNS's kubernetes plugin"
echo "  anchor: CoreDNS's scaling guide reports ~33k QPS on 2 vCPUs for in-cluster names (kubernetes plugin)"
