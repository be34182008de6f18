#!/usr/bin/env bash
# dns-service against its real peer: CoreDNS's `kubernetes` plugin (kubeadm's Corefile: `pods insecure`, `ttl 30`,
# `cache 30`, `forward`), both answering for the same objects of the same kube-apiserver. Netplane's side is the real
# pipeline: endpoints-operator watches the API, writes the EndpointSlices and publishes on Kafka; dns-service reads
# Kafka only. CoreDNS watches the API itself and reads the slices the operator wrote. Everything (etcd,
# kube-apiserver, Kafka, both pipelines, a third DNS server as the common upstream, dnsperf) runs inside a network
# namespace of its own, on its loopback.
# Rows: ClusterIP A, headless A, SRV, PTR of a ClusterIP, NXDOMAIN, a forwarded name. Per row and server: peak QPS
# (dnsperf -c 8 -T 2 -q 200, warm-up, alternating twice, the better one), then p50/p99/p99.9 at the same fixed load
# (half the slower peak). Also RSS (and dns-service's heap after GC) before and after loading, and change-to-answer
# (a new Service → each server's first positive answer, polled every 5 ms). Every figure with netplane/peer.
# Usage: bench/dns-kube.sh [services=1000] [seconds=10]     (root; ip, kubectl, openssl, curl, python3, java, dnsperf)
# NETPLANE_BENCH_KEEP_LOGS=DIR keeps the processes' logs (dns-service's GC log among them).
set -euo pipefail
cd "$(dirname "$0")/.."
SERVICES=${1:-1000}
SECS=${2:-10}
CHANGES=${NETPLANE_BENCH_CHANGES:-20}
repo=$(pwd)
ns=np-bench-dns-$$
state=$(mktemp -d /tmp/np-bench-dns.XXXXXX)
log() { echo "[dns-kube] $(date +%T) $*" >&2; }
# shellcheck source=hack/lib/netns-control-plane.sh # the private control plane (in_ns, k, ncp_run, ncp_start, wait_until, pids, pki)
. "$repo/hack/lib/netns-control-plane.sh"
# shellcheck source=hack/lib/dns-bench.sh # dnsperf's output and the JVM heap
. "$repo/hack/lib/dns-bench.sh"
trap ncp_cleanup EXIT
command -v dnsperf >/dev/null || { apt-get install -y -qq dnsperf >/dev/null || { apt-get update -qq && apt-get install -y -qq dnsperf >/dev/null; }; }
helper() { in_ns python3 "$repo/bench/dns-kube.py" "$@"; }
API=https://127.0.0.1:6443
KAFKA=127.0.0.1:9092
OURS=5301 PEER=5302 UPSTREAM=5399 # DNS ports on the namespace's loopback
OPERATOR_HTTP=8081 DNS_HTTP=8082 COREDNS_READY=8181

log "building endpoints-operator and dns-service"
flock /tmp/netplane-mvn.lock ./mvnw -q -pl platform-bom,platform-api,platform-runtime,platform-testing install -DskipTests
flock /tmp/netplane-mvn.lock ./mvnw -q -pl endpoints-operator,dns-service package -DskipTests
hack/kafka.sh prepare >&2 # the namespace below has no way out to Maven's repositories
bin=$(hack/control-plane/build.sh | tail -n 1)
coredns=$(hack/coredns/build.sh | tail -n 1)

# --- control plane and Kafka on the namespace's loopback ------------------------------------------------------
ncp_up
in_ns env NETPLANE_STATE="$state" NETPLANE_KAFKA_PORT=9092 NETPLANE_KAFKA_HOST=127.0.0.1 hack/kafka.sh start >&2
pids+=("$(cat "$state/kafka/broker.pid")")

# --- Netplane: endpoints-operator (API → slices, Kafka) and dns-service (Kafka → DNS) ---------------------------
http_ready() { in_ns curl -fsS "http://127.0.0.1:$1/q/health/ready"; }
ncp_run endpoints-operator env KUBECONFIG="$kubeconfig" java -Xmx768m -XX:+UseG1GC \
  -Dkafka.bootstrap.servers="$KAFKA" -Dquarkus.kubernetes-client.namespace=default \
  -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$OPERATOR_HTTP" \
  -jar endpoints-operator/target/quarkus-app/quarkus-run.jar
operator_pid=${pids[-1]}
wait_until 180 endpoints-operator http_ready "$OPERATOR_HTTP"
log "endpoints-operator ready"
# the image's JVM options (dns-service/src/main/jvm/jvm.options); -Xmx as the image's 75% of its 512 MiB limit
ncp_run dns-service java @dns-service/src/main/jvm/jvm.options -Xmx384m -Xlog:gc:file="$state/dns-service-gc.log":uptime \
  -Dkafka.bootstrap.servers="$KAFKA" -Dnetplane.dns.port="$OURS" -Dnetplane.dns.bind-address=127.0.0.1 \
  -Dnetplane.dns.pods=insecure -Dnetplane.dns.ttl=30 -Dnetplane.dns.client-rate-limit=0 \
  -Dnetplane.dns.upstreams="127.0.0.1:$UPSTREAM" -Dnetplane.dns.resolv-conf=/nonexistent \
  -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$DNS_HTTP" -Dquarkus.log.level=WARN \
  -jar dns-service/target/quarkus-app/quarkus-run.jar
dns_pid=${pids[-1]}
wait_until 180 dns-service http_ready "$DNS_HTTP"
log "dns-service ready"

# --- the common upstream, then CoreDNS as kubeadm configures it ------------------------------------------------
cat >"$state/Corefile.upstream" <<EOF
example.test:$UPSTREAM {
    bind 127.0.0.1
    template IN A example.test {
        answer "{{ .Name }} 60 IN A 192.0.2.10"
    }
}
EOF
ncp_run upstream "$coredns" -conf "$state/Corefile.upstream"
# kubeadm's Corefile minus `errors` and `health`; `ready` tells when the plugin has synced with the API
cat >"$state/Corefile" <<EOF
.:$PEER {
    bind 127.0.0.1
    ready 127.0.0.1:$COREDNS_READY
    kubernetes cluster.local in-addr.arpa ip6.arpa {
        kubeconfig $kubeconfig netplane
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
        ttl 30
    }
    prometheus 127.0.0.1:9153
    forward . 127.0.0.1:$UPSTREAM
    cache 30
    loop
    reload
    loadbalance
}
EOF
ncp_run coredns "$coredns" -conf "$state/Corefile"
coredns_pid=${pids[-1]}
coredns_ready() { in_ns curl -fsS "http://127.0.0.1:$COREDNS_READY/ready"; }
wait_until 60 coredns coredns_ready
log "CoreDNS ready: $("$coredns" -version | sed -n 1p)"
helper answers "$UPSTREAM" host-0.example.test A 1 || { log "the upstream does not answer"; exit 1; }

# --- memory with an empty cluster, then the objects -------------------------------------------------------------
sleep 5
heap0=$(jvm_heap_kb "$dns_pid") dns0=$(rss_kb "$dns_pid") core0=$(rss_kb "$coredns_pid") op0=$(rss_kb "$operator_pid")
groups=$((SERVICES / 10 > 0 ? SERVICES / 10 : 1))
log "creating $SERVICES ClusterIP Services, $groups headless Services, $SERVICES Pods (10 per headless Service)"
load_start=$(date +%s)
helper load "$API" "$pki" "$SERVICES" >"$state/load.out"
cat "$state/load.out" >&2
load_s=$(($(date +%s) - load_start))
slices_done() { helper slices "$API" "$pki" "$SERVICES" >"$state/slices.out"; }
wait_until $((300 + SERVICES / 10)) "EndpointSlices ($(cat "$state/slices.out" 2>/dev/null))" slices_done
slices_s=$(($(date +%s) - load_start))
log "every Service has its slice with 10 ready endpoints after ${slices_s}s"
helper queries "$state" "$SERVICES"
answers_last() { # PORT: the last ClusterIP and the last headless Service answered in full
  local name type min
  while read -r name type min; do helper answers "$1" "$name" "$type" "$min" || return 1; done <"$state/last-names"
}
# dns-service first: its path (operator → Kafka) is longer than CoreDNS's own watch, so CoreDNS is never asked before
# it has the objects (its cache would keep an early NXDOMAIN for 30 s)
wait_until 300 "dns-service answers" answers_last "$OURS"
answered_s=$(($(date +%s) - load_start))
wait_until 120 "CoreDNS answers" answers_last "$PEER"
sleep 5
heap1=$(jvm_heap_kb "$dns_pid") dns1=$(rss_kb "$dns_pid") core1=$(rss_kb "$coredns_pid") op1=$(rss_kb "$operator_pid")
log "loaded: API calls ${load_s}s, slices complete ${slices_s}s, dns-service answering ${answered_s}s after the first create"

# --- change to answer ---------------------------------------------------------------------------------------------
log "change-to-answer: $CHANGES new Services"
dns_timers() { # count and sum (s) of dns-service's zone-rebuild and programming-latency timers, on one line
  in_ns curl -fsS "http://127.0.0.1:$DNS_HTTP/q/metrics" |
    awk '/^netplane_dns_(zone_rebuild|programming_latency)_seconds_(count|sum)[ {]/ {v[$1] = $NF}
      END {printf "%s %s %s %s", v["netplane_dns_zone_rebuild_seconds_count"], v["netplane_dns_zone_rebuild_seconds_sum"],
        v["netplane_dns_programming_latency_seconds_count"], v["netplane_dns_programming_latency_seconds_sum"]}'
}
timers0=$(dns_timers)
helper changes "$API" "$pki" "$SERVICES" "$CHANGES" "$OURS" "$PEER" >"$state/changes.out"
timers1=$(dns_timers)
change_stats() { # KEY: "p50 max" in ms over the CHANGE lines
  sed -n "s/.* $1=\([0-9.inf]*\).*/\1/p" "$state/changes.out" | sort -g |
    awk '{a[NR]=$1} END {printf "%s %s", a[int((NR+1)/2)], a[NR]}'
}
negatives() { sed -n "s/.* $1=\([0-9]*\).*/\1/p" "$state/changes.out" | awk '$1 > 0 {n++} END {print n + 0}'; }
read -r chg_ours_p50 chg_ours_max <<<"$(change_stats ours_ms)"
read -r chg_peer_p50 chg_peer_max <<<"$(change_stats peer_ms)"
# CoreDNS's polls whose first answer was positive: an early NXDOMAIN stays in its cache for 30 s (cache 30, SOA minimum 30)
read -r chg_clean_p50 chg_clean_max <<<"$(grep 'peer_negatives=0$' "$state/changes.out" | sed 's/.* peer_ms=\([0-9.]*\).*/\1/' |
  sort -g | awk '{a[NR]=$1} END {if (NR == 0) print "n/a n/a"; else printf "%s %s", a[int((NR+1)/2)], a[NR]}')"

# --- queries --------------------------------------------------------------------------------------------------
run() { # PORT FILE SECONDS [dnsperf args...] → dnsperf output
  in_ns timeout $(($3 + 30)) dnsperf -s 127.0.0.1 -p "$1" -d "$2" -l "$3" -c 8 -T 2 -q 200 "${@:4}" 2>&1 || true
}
better() { printf '%s\n%s\n' "$(dnsperf_qps <<<"$1")" "$(dnsperf_qps <<<"$2")" | sort -g | tail -1; }
ROWS="clusterip-a headless-a srv ptr nxdomain forward"
: >"$state/results"
: >"$state/rcodes"
: >"$state/gc"
jvm_uptime() { timeout 30 jcmd "$1" VM.uptime | awk 'NR == 2 {print $1}'; }
gc_in() { # FROM TO (JVM uptime, s): dns-service's GC pauses in that window, from its -Xlog:gc
  awk -v a="$1" -v b="$2" -F'[][]' '/Pause/ {t = $2; sub(/s$/, "", t); if (t < a || t > b) next
    ms = $NF; sub(/.* /, "", ms); sub(/ms/, "", ms); n++; s += ms; if (ms > m) m = ms}
    END {printf "%d pauses (max %.1f ms, total %.0f ms)\n", n, m, s}' "$state/dns-service-gc.log"
}
for row in $ROWS; do
  file=$state/q-$row.txt
  log "row $row: warm-up, throughput, latency"
  run "$OURS" "$file" $(((SECS + 1) / 2)) >/dev/null
  run "$PEER" "$file" $(((SECS + 1) / 2)) >/dev/null
  o1=$(run "$OURS" "$file" "$SECS"); p1=$(run "$PEER" "$file" "$SECS")
  o2=$(run "$OURS" "$file" "$SECS"); p2=$(run "$PEER" "$file" "$SECS")
  qo=$(better "$o1" "$o2") qp=$(better "$p1" "$p2")
  load=$(awk -v a="$qo" -v b="$qp" 'BEGIN {m = a < b ? a : b; printf "%d", m / 2}')
  up0=$(jvm_uptime "$dns_pid")
  lo=$(run "$OURS" "$file" "$SECS" -Q "$load" -v)
  up1=$(jvm_uptime "$dns_pid")
  lp=$(run "$PEER" "$file" "$SECS" -Q "$load" -v)
  # row qps_ours qps_peer load p50 p90 p99 p999 n (ours) p50 p90 p99 p999 n (peer) size_ours size_peer
  echo "$row $qo $qp $load $(dnsperf_pcts bare <<<"$lo") $(dnsperf_pcts bare <<<"$lp")" \
    "$(dnsperf_response_size <<<"$o2") $(dnsperf_response_size <<<"$p2")" >>"$state/results"
  gc_in "$up0" "$up1" >>"$state/gc"
  printf '%s|%s|%s|%s|%s\n' "$row" "$(dnsperf_rcodes <<<"$o2")" "$(dnsperf_rcodes <<<"$p2")" \
    "$(dnsperf_lost <<<"$lo")" "$(dnsperf_lost <<<"$lp")" >>"$state/rcodes"
done
gc_pauses=$(awk '/Pause/ {ms = $NF; sub(/ms/, "", ms); n++; s += ms; if (ms > m) m = ms} END {printf "%d pauses, max %.1f ms, total %.0f ms", n, m, s}' "$state/dns-service-gc.log")

# --- the report -------------------------------------------------------------------------------------------------
echo
echo "dns-service vs CoreDNS's kubernetes plugin: $SERVICES ClusterIP Services, $groups headless Services x 10 ready Pods,"
echo "$SERVICES Pods, $((SERVICES + groups)) EndpointSlices; $(nproc) CPUs shared, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "peer: $("$coredns" -version | sed -n 1p), kubernetes (pods insecure, ttl 30) + cache 30 + forward; dnsperf -c 8 -T 2 -q 200, ${SECS}s runs"
echo
printf '%-12s %10s %10s %6s | %8s %25s %25s | %-22s\n' row "QPS ours" "QPS peer" ratio "at QPS" \
  "ours p50/p99/p99.9 ms" "peer p50/p99/p99.9 ms" "latency ratios"
while read -r row qo qp load o50 _ o99 o999 _ p50 _ p99 p999 _ _ _; do
  printf '%-12s %10.0f %10.0f %6.2f | %8s %25s %25s | %-22s\n' "$row" "$qo" "$qp" "$(awk -v a="$qo" -v b="$qp" 'BEGIN {print a / b}')" \
    "$load" "$o50 / $o99 / $o999" "$p50 / $p99 / $p999" \
    "$(awk -v a="$o50" -v b="$p50" -v c="$o99" -v d="$p99" -v e="$o999" -v f="$p999" 'BEGIN {printf "%.2f / %.2f / %.2f", a / b, c / d, e / f}')"
done <"$state/results"
echo
echo "response codes (a throughput run), average response size, queries lost and dns-service's GC pauses at the fixed load:"
paste -d'|' "$state/rcodes" <(awk '{print $(NF-1) "|" $NF}' "$state/results") "$state/gc" |
  while IFS='|' read -r row ro rp lo lp so sp gc; do
    printf '  %-12s ours: %s; %s B; lost %s; GC %s\n  %-12s peer: %s; %s B; lost %s\n' "$row" "$ro" "$so" "$lo" "$gc" "" "$rp" "$sp" "$lp"
  done
echo
awk -v h0="$heap0" -v h1="$heap1" -v d0="$dns0" -v d1="$dns1" -v c0="$core0" -v c1="$core1" -v o0="$op0" -v o1="$op1" -v n="$SERVICES" 'BEGIN {
  k = n / 1000
  printf "memory, per 1,000 ClusterIP Services (with their 100 headless Services, 1,000 Pods, 1,100 EndpointSlices):\n"
  printf "  dns-service RSS  %6.1f -> %6.1f MiB: +%.2f MiB per 1,000   (heap after GC %.1f -> %.1f MiB: +%.2f MiB per 1,000)\n", d0/1024, d1/1024, (d1-d0)/1024/k, h0/1024, h1/1024, (h1-h0)/1024/k
  printf "  CoreDNS RSS      %6.1f -> %6.1f MiB: +%.2f MiB per 1,000\n", c0/1024, c1/1024, (c1-c0)/1024/k
  printf "  ratio netplane/peer: RSS growth %.2f, heap growth vs CoreDNS RSS growth %.2f, RSS loaded %.2f\n", (d1-d0)/(c1-c0), (h1-h0)/(c1-c0), d1/c1
  printf "  (endpoints-operator, which also replaces the EndpointSlice controller: RSS %.1f -> %.1f MiB)\n", o0/1024, o1/1024 }'
echo
echo "change to answer ($CHANGES new ClusterIP Services; from the API's create response to the first positive answer, polled every 5 ms):"
echo "  dns-service (API -> endpoints-operator -> Kafka -> zone): p50 $chg_ours_p50 ms, max $chg_ours_max ms ($(negatives ours_negatives) of $CHANGES answered NXDOMAIN first)"
echo "  CoreDNS (its own watch):                                  p50 $chg_peer_p50 ms, max $chg_peer_max ms ($(negatives peer_negatives) of $CHANGES answered NXDOMAIN first)"
awk -v a="$timers0" -v b="$timers1" 'BEGIN {split(a, x); split(b, y); rc = y[1] - x[1]; pc = y[3] - x[3]
  printf "  dns-service meanwhile: %d zone rebuilds of %.1f ms on average; operator-observed -> answered %.1f ms on average (its metric)\n",
    rc, rc ? (y[2] - x[2]) * 1000 / rc : 0, pc ? (y[4] - x[4]) * 1000 / pc : 0 }'
echo "  CoreDNS, only the $(grep -c 'peer_negatives=0$' "$state/changes.out") whose first answer was positive:     p50 $chg_clean_p50 ms, max $chg_clean_max ms"
awk -v a="$chg_ours_p50" -v b="$chg_peer_p50" -v c="$chg_ours_max" -v d="$chg_peer_max" -v e="$chg_clean_p50" -v f="$chg_clean_max" 'BEGIN {
  printf "  ratio netplane/peer: p50 %.3g, max %.3g; against CoreDNS without its negative-cache hits: p50 %.3g, max %.3g\n", a / b, c / d, a / e, c / f }'
echo
echo "loading: API calls ${load_s}s ($(grep -o '([0-9]*/s)' "$state/load.out" | tr '\n' ' ')), all slices complete after ${slices_s}s, dns-service answering after ${answered_s}s"
echo "dns-service GC (-Xlog:gc, whole run): $gc_pauses"
