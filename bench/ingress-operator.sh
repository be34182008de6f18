#!/usr/bin/env bash
# ingress-operator benchmark: the Netplane gateway (fed its routes from a real Kafka broker) against nginx configured
# as the same reverse proxy (a server per host, upstream keepalive, Host and X-Forwarded-* headers, access logs off
# on both), side by side in one run, behind one backend (nginx, 1 worker, static files). Rows:
#   HTTP/1.1 keep-alive, 1 KB and 64 KB responses, 10 routes     (wrk)
#   HTTP/1.1 a new connection per request (Connection: close)    (wrk)
#   HTTP/2 over TLS (ALPN h2), 1 KB                               (h2load)
#   HTTP/1.1 keep-alive, 1 KB, 1,000 routes                       (wrk; the 990 more routes arrive over Kafka)
# Each request picks one of the routes' hosts at random. Per row and proxy: requests/s, p50, p99, p99.9 latency,
# and gateway/nginx ratios (requests/s above 1 and latency below 1 mean the gateway is ahead). Everything on
# 127.0.0.1; the load generator, both proxies and the backend share the machine's cores, so each row is measured in
# interleaved rounds and each proxy's best round (by requests/s) is kept.
# Usage: bench/ingress-operator.sh [seconds per run=10] [connections=64] [rounds=2]
# GATEWAY_OPTS passes extra JVM options to the gateway; ROWS limits the rows (e.g. ROWS="ka1k h2").
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-10}
CONNS=${2:-64}
ROUNDS=${3:-2}
ROWS=${ROWS:-ka1k ka64k close h2 routes1000}
WORK=$(mktemp -d /tmp/ingress-bench.XXXXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for f in "$WORK"/nginx-*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "${KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
need() { command -v "$1" >/dev/null || { apt-get install -y -qq "$2" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq "$2" >/dev/null; }; }; }
need wrk wrk
need nginx nginx-light
need h2load nghttp2-client

echo "== building ingress-operator"
# the lock keeps this build apart from another Maven run in the same tree
flock /tmp/netplane-mvn.lock ./mvnw -q -B -pl platform-bom,platform-api,platform-runtime,platform-testing install -DskipTests
flock /tmp/netplane-mvn.lock ./mvnw -q -B -pl ingress-operator package -DskipTests
flock /tmp/netplane-mvn.lock ./mvnw -q -B -pl ingress-operator dependency:build-classpath -Dmdep.outputFile="$WORK/cp" -Dmdep.includeScope=test >/dev/null
CP="ingress-operator/target/test-classes:ingress-operator/target/classes:$(cat "$WORK/cp")"

BACKEND=$(free_port); GATEWAY=$(free_port); GATEWAY_TLS=$(free_port); HEALTH=$(free_port)
NGINX=$(free_port); NGINX_TLS=$(free_port)
mkdir -p "$WORK/www" "$WORK/secrets/bench/bench-tls"
chmod 755 "$WORK" "$WORK/www" # the backend's workers run as www-data
# 768 and 49,152 random bytes are exactly 1 KB and 64 KB of base64 (cutting a longer stream with head could
# SIGPIPE base64, which pipefail turned into the whole run exiting silently)
head -c 768 /dev/urandom | base64 -w 0 >"$WORK/www/1k"
head -c 49152 /dev/urandom | base64 -w 0 >"$WORK/www/64k"
chmod 644 "$WORK/www/1k" "$WORK/www/64k"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=*.bench.example" \
  -addext "subjectAltName=DNS:*.bench.example" -keyout "$WORK/secrets/bench/bench-tls/tls.key" \
  -out "$WORK/secrets/bench/bench-tls/tls.crt" 2>/dev/null
temp_paths() { for t in client_body proxy fastcgi uwsgi scgi; do echo "  ${t}_temp_path $WORK/$1-$t;"; done; }

echo "== backend: nginx (1 worker) serving 1 KB and 64 KB files on 127.0.0.1:$BACKEND"
cat >"$WORK/backend.conf" <<CONF
worker_processes 1;
pid $WORK/nginx-backend.pid;
error_log $WORK/backend-error.log warn;
events { worker_connections 8192; }
http {
  access_log off;
  keepalive_requests 1000000;
$(temp_paths b)
  server {
    listen 127.0.0.1:$BACKEND backlog=4096;
    root $WORK/www;
    default_type application/octet-stream;
  }
}
CONF
nginx -c "$WORK/backend.conf" -p "$WORK"

# nginx as the peer proxy: one server block per route host (as ingress-nginx renders Ingresses), for HTTP and HTTPS
nginx_proxy() { # routes
  {
    cat <<CONF
worker_processes auto;
pid $WORK/nginx-proxy.pid;
error_log $WORK/proxy-error.log warn;
events { worker_connections 8192; }
http {
  access_log off;
  keepalive_requests 1000000;
  server_names_hash_max_size 4096;
  server_names_hash_bucket_size 64;
$(temp_paths p)
  upstream backend { server 127.0.0.1:$BACKEND; keepalive 256; }
  ssl_certificate $WORK/secrets/bench/bench-tls/tls.crt;
  ssl_certificate_key $WORK/secrets/bench/bench-tls/tls.key;
CONF
    for i in $(seq 0 $(($1 - 1))); do
      local opts=""; [ "$i" = 0 ] && opts=" backlog=4096" # socket options go on one listen per address
      cat <<CONF
  server {
    listen 127.0.0.1:$NGINX$opts;
    listen 127.0.0.1:$NGINX_TLS ssl http2$opts;
    server_name r$i.bench.example;
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$http_host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_set_header X-Forwarded-Host \$http_host;
      proxy_set_header X-Forwarded-Port \$server_port;
      proxy_set_header X-Real-IP \$remote_addr;
      proxy_connect_timeout 2s;
      proxy_read_timeout 60s;
    }
  }
CONF
    done
    echo "}"
  } >"$WORK/proxy.conf"
}
nginx_proxy 10
nginx -c "$WORK/proxy.conf" -p "$WORK"

echo "== Kafka with 10 routes and the backend's EndpointSlice"
java -Xmx512m -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$CP" \
  io.netplane.ingress.bench.BenchFeed "$WORK" "$BACKEND" 10 >"$WORK/feed.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 120); do [ -f "$WORK/bootstrap" ] && break; sleep 1; done
[ -f "$WORK/bootstrap" ] || { echo "Kafka did not start"; tail -20 "$WORK/feed.log"; exit 1; }

echo "== gateway on 127.0.0.1:$GATEWAY and :$GATEWAY_TLS (controller off, access log off)"
java -Xmx512m ${GATEWAY_OPTS:-} -Dkafka.bootstrap.servers="$(cat "$WORK/bootstrap")" \
  -Dnetplane.ingress.controller.enabled=false -Dnetplane.ingress.gateway.host=127.0.0.1 \
  -Dnetplane.ingress.gateway.http-port="$GATEWAY" -Dnetplane.ingress.gateway.https-port="$GATEWAY_TLS" \
  -Dnetplane.ingress.gateway.secrets-directory="$WORK/secrets" \
  -Dnetplane.ingress.gateway.default-certificate=bench/bench-tls \
  -Dnetplane.ingress.gateway.access-log=false -Dquarkus.http.port="$HEALTH" -Dquarkus.http.host=127.0.0.1 \
  -Dquarkus.log.level=WARN -jar ingress-operator/target/quarkus-app/quarkus-run.jar >"$WORK/gateway.log" 2>&1 &
PIDS+=($!)
ready() { curl -fs "http://127.0.0.1:$HEALTH/q/health/ready" >/dev/null 2>&1; }
for _ in $(seq 1 120); do ready && break; sleep 1; done
ready || { echo "gateway not ready"; tail -30 "$WORK/gateway.log"; exit 1; }
answers() { # url host -> the body's size, failing unless 200
  curl -fsk -o /dev/null -w '%{size_download}' -H "Host: $2" "$1"
}
check_all() { # routes
  local host="r$(($1 - 1)).bench.example"
  for url in "http://127.0.0.1:$GATEWAY/64k" "http://127.0.0.1:$NGINX/64k" "https://127.0.0.1:$GATEWAY_TLS/64k" \
    "https://127.0.0.1:$NGINX_TLS/64k"; do
    [ "$(answers "$url" "$host")" = 65536 ] || { echo "no 64 KB answer from $url for $host"; return 1; }
  done
}
for _ in $(seq 1 60); do check_all 10 2>/dev/null && break; sleep 1; done
check_all 10

cat >"$WORK/wrk.lua" <<'LUA'
-- a random route host per request (ROUTES hosts r<i>.bench.example), optionally Connection: close;
-- prints the figures wrk's own summary lacks (p99.9) on one line
local routes = tonumber(os.getenv("ROUTES"))
local path = os.getenv("BENCH_PATH")
local close = os.getenv("BENCH_CLOSE") == "1"
local hosts = {}
for i = 0, routes - 1 do hosts[#hosts + 1] = "r" .. i .. ".bench.example" end
init = function(args) math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16)) end
request = function()
  local headers = { Host = hosts[math.random(#hosts)] }
  if close then headers["Connection"] = "close" end
  return wrk.format("GET", path, headers)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("NP %.0f %.3f %.3f %.3f %d %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000,
    e.status, e.connect + e.read + e.write + e.timeout))
end
LUA

# one measurement -> "req/s p50 p99 p99.9 non-2xx socket-errors" (latencies in ms)
run_wrk() { # port path routes close
  ROUTES=$3 BENCH_PATH=$2 BENCH_CLOSE=$4 wrk -t2 -c"$CONNS" -d"${SECS}s" -s "$WORK/wrk.lua" \
    "http://127.0.0.1:$1" | awk '/^NP /{print $2, $3, $4, $5, $6, $7}'
}
run_h2() { # port path
  rm -f "$WORK/h2.log"
  h2load -t2 -c16 -m16 -D "$SECS" -H ":authority: r0.bench.example" --log-file="$WORK/h2.log" \
    "https://127.0.0.1:$1$2" >"$WORK/h2.out" 2>&1
  python3 - "$WORK/h2.log" "$WORK/h2.out" "$SECS" <<'PY'
import re, sys
rows = [line.split("\t") for line in open(sys.argv[1]) if line.strip()]
lat = sorted(int(r[2]) / 1000 for r in rows)
bad = sum(1 for r in rows if r[1] != "200")
out = open(sys.argv[2]).read()
m = re.search(r"(\d+) failed, (\d+) errored", out)
failed = int(m.group(1)) + int(m.group(2)) if m else -1
q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] if lat else 0
print(f"{len(lat) / float(sys.argv[3]):.0f} {q(0.5):.3f} {q(0.99):.3f} {q(0.999):.3f} {bad} {failed}")
PY
}
measure() { # row target -> one measurement
  local port path=/1k routes=10 close=0
  case $2 in gateway) port=$GATEWAY ;; nginx) port=$NGINX ;; esac
  case $1 in
    ka64k) path=/64k ;;
    close) close=1 ;;
    routes1000) routes=1000 ;;
    h2) case $2 in gateway) port=$GATEWAY_TLS ;; nginx) port=$NGINX_TLS ;; esac
        run_h2 "$port" "$path"; return ;;
  esac
  run_wrk "$port" "$path" "$routes" "$close"
}
describe() {
  case $1 in
    ka1k) echo "HTTP/1.1 keep-alive, 1 KB, 10 routes" ;;
    ka64k) echo "HTTP/1.1 keep-alive, 64 KB, 10 routes" ;;
    close) echo "HTTP/1.1 new connection per request, 1 KB" ;;
    h2) echo "HTTP/2 over TLS, 1 KB (16 conns x 16 streams)" ;;
    routes1000) echo "HTTP/1.1 keep-alive, 1 KB, 1,000 routes" ;;
  esac
}

echo "== warming up the gateway's JIT (${SECS}s per kind of traffic, not counted)"
run_wrk "$GATEWAY" /1k 10 0 >/dev/null
run_wrk "$GATEWAY" /64k 10 1 >/dev/null
run_h2 "$GATEWAY_TLS" /1k >/dev/null
echo "== measuring: ${SECS}s per run, $CONNS connections (h2: 16 x 16 streams), $ROUNDS interleaved round(s), best kept"
RESULTS=()
for row in $ROWS; do
  if [ "$row" = routes1000 ]; then
    echo "   publishing 990 more routes on Kafka, reloading nginx with 1,000 servers"
    echo 1000 >"$WORK/routes"
    nginx_proxy 1000
    nginx -c "$WORK/proxy.conf" -p "$WORK" -s reload
    for _ in $(seq 1 120); do check_all 1000 2>/dev/null && break; sleep 1; done
    check_all 1000
    sleep 2 # nginx's old workers finish
  fi
  G=(); N=()
  for r in $(seq 1 "$ROUNDS"); do
    G+=("$(measure "$row" gateway)"); echo "   $row round $r gateway: ${G[-1]}  (req/s p50 p99 p99.9 ms, non-2xx, errors)"
    N+=("$(measure "$row" nginx)"); echo "   $row round $r nginx:   ${N[-1]}"
  done
  pick() { printf '%s\n' "$@" | sort -n -r -k1,1 | head -1; }
  RESULTS+=("$row|$(pick "${G[@]}")|$(pick "${N[@]}")")
done

echo
printf '%-46s %-8s %9s %8s %8s %8s %7s %6s\n' "row" "proxy" "req/s" "p50 ms" "p99 ms" "p99.9" "non-2xx" "errors"
for res in "${RESULTS[@]}"; do
  IFS='|' read -r row g n <<<"$res"
  read -r grps gp50 gp99 gp999 gbad gerr <<<"$g"
  read -r nrps np50 np99 np999 nbad nerr <<<"$n"
  printf '%-46s %-8s %9s %8s %8s %8s %7s %6s\n' "$(describe "$row")" gateway "$grps" "$gp50" "$gp99" "$gp999" "$gbad" "$gerr"
  printf '%-46s %-8s %9s %8s %8s %8s %7s %6s\n' "" nginx "$nrps" "$np50" "$np99" "$np999" "$nbad" "$nerr"
  python3 - "$grps" "$gp50" "$gp99" "$gp999" "$nrps" "$np50" "$np99" "$np999" <<'PY'
import sys
g, n = list(map(float, sys.argv[1:5])), list(map(float, sys.argv[5:9]))
cells = [f"{a / b:.2f}" if b else "-" for a, b in zip(g, n)]
print(f"{'':46} {'ratio':8} {cells[0]:>9} {cells[1]:>8} {cells[2]:>8} {cells[3]:>8}")
PY
done
echo "ratio = gateway / nginx: above 1 for req/s, below 1 for latency, means the gateway is ahead"
