#!/usr/bin/env bash
# ingress-operator benchmark: requests/s and p99 latency with wrk (keep-alive HTTP/1.1, one small response) in one
# run against (1) the backend directly, (2) the Netplane gateway fed from a real Kafka broker, (3) nginx configured
# as the same reverse proxy (upstream keepalive, Host and X-Forwarded-* headers, access logs off on both proxies);
# prints the figures and the ratios. Everything on 127.0.0.1. The published anchor: ingress-nginx reached ~46% of
# plain nginx's throughput.
# The machine is shared, so each target is measured in several interleaved rounds and the best round is kept.
# Usage: bench/ingress-operator.sh [seconds per run=15] [connections=64] [wrk threads=2] [rounds=2]
# GATEWAY_OPTS passes extra JVM options to the gateway (e.g. -Dnetplane.ingress.gateway.event-loops=2).
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-15}
CONNS=${2:-64}
THREADS=${3:-2}
ROUNDS=${4:-2}
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

echo "== building ingress-operator"
./mvnw -q -B -pl platform-bom,platform-api,platform-runtime,platform-testing install -DskipTests
./mvnw -q -B -pl ingress-operator package -DskipTests
./mvnw -q -B -pl ingress-operator dependency:build-classpath -Dmdep.outputFile="$WORK/cp" -Dmdep.includeScope=test >/dev/null
CP="ingress-operator/target/test-classes:ingress-operator/target/classes:$(cat "$WORK/cp")"

BACKEND=$(free_port); GATEWAY=$(free_port); HEALTH=$(free_port); NGINX=$(free_port)

echo "== backend: nginx (1 worker) answering 200 on 127.0.0.1:$BACKEND"
cat >"$WORK/backend.conf" <<CONF
worker_processes 1;
pid $WORK/nginx-backend.pid;
error_log $WORK/backend-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path $WORK/b-body; proxy_temp_path $WORK/b-proxy; fastcgi_temp_path $WORK/b-fcgi;
  uwsgi_temp_path $WORK/b-uwsgi; scgi_temp_path $WORK/b-scgi;
  server {
    listen 127.0.0.1:$BACKEND;
    location / { default_type text/plain; return 200 "hello from the backend\n"; }
  }
}
CONF
nginx -c "$WORK/backend.conf" -p "$WORK"

echo "== peer: nginx as the same reverse proxy on 127.0.0.1:$NGINX"
cat >"$WORK/proxy.conf" <<CONF
worker_processes auto;
pid $WORK/nginx-proxy.pid;
error_log $WORK/proxy-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path $WORK/p-body; proxy_temp_path $WORK/p-proxy; fastcgi_temp_path $WORK/p-fcgi;
  uwsgi_temp_path $WORK/p-uwsgi; scgi_temp_path $WORK/p-scgi;
  upstream backend { server 127.0.0.1:$BACKEND; keepalive 256; }
  server {
    listen 127.0.0.1:$NGINX;
    server_name bench.example;
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$http_host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_set_header X-Forwarded-Host \$http_host;
      proxy_set_header X-Real-IP \$remote_addr;
      proxy_connect_timeout 2s;
      proxy_read_timeout 60s;
    }
  }
}
CONF
nginx -c "$WORK/proxy.conf" -p "$WORK"

echo "== Kafka with the route and EndpointSlice"
java -Xmx512m -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$CP" \
  io.netplane.ingress.bench.BenchFeed "$WORK" "$BACKEND" >"$WORK/feed.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 120); do [ -f "$WORK/bootstrap" ] && break; sleep 1; done
[ -f "$WORK/bootstrap" ] || { echo "Kafka did not start"; tail -20 "$WORK/feed.log"; exit 1; }

echo "== gateway on 127.0.0.1:$GATEWAY (controller off, access log off)"
java -Xmx512m -XX:+UseParallelGC ${GATEWAY_OPTS:-} -Dkafka.bootstrap.servers="$(cat "$WORK/bootstrap")" \
  -Dnetplane.ingress.controller.enabled=false -Dnetplane.ingress.gateway.host=127.0.0.1 \
  -Dnetplane.ingress.gateway.http-port="$GATEWAY" -Dnetplane.ingress.gateway.https-port=-1 \
  -Dnetplane.ingress.gateway.access-log=false -Dquarkus.http.port="$HEALTH" -Dquarkus.http.host=127.0.0.1 \
  -Dquarkus.log.level=WARN -jar ingress-operator/target/quarkus-app/quarkus-run.jar >"$WORK/gateway.log" 2>&1 &
PIDS+=($!)
ready() { curl -fs "http://127.0.0.1:$HEALTH/q/health/ready" >/dev/null 2>&1; }
for _ in $(seq 1 120); do ready && break; sleep 1; done
ready || { echo "gateway not ready"; tail -30 "$WORK/gateway.log"; exit 1; }
for port in "$BACKEND" "$GATEWAY" "$NGINX"; do
  body=$(curl -fs -H "Host: bench.example" "http://127.0.0.1:$port/")
  [ "$body" = "hello from the backend" ] || { echo "unexpected answer on port $port: $body"; exit 1; }
done

run() { # name port -> prints "rps p99ms"
  wrk -t"$THREADS" -c"$CONNS" -d"${SECS}s" --latency -H "Host: bench.example" "http://127.0.0.1:$2/" >"$WORK/$1.wrk"
  python3 - "$WORK/$1.wrk" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
m = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
sock = re.search(r"Socket errors: (.*)", text)
print(f"{rps:.0f} {float(m.group(1)) * scale:.2f} {errors.group(1) if errors else 0} {'yes' if sock else 'no'}")
PY
}

echo "== warming up the gateway's JIT (${SECS}s, not counted)"
wrk -t"$THREADS" -c"$CONNS" -d"${SECS}s" -H "Host: bench.example" "http://127.0.0.1:$GATEWAY/" >/dev/null
echo "== measuring: wrk -t$THREADS -c$CONNS -d${SECS}s, targets interleaved, $ROUNDS round(s), best kept (wrk, proxy and backend share the cores)"
D_ALL=(); G_ALL=(); N_ALL=()
for r in $(seq 1 "$ROUNDS"); do
  D_ALL+=("$(run direct "$BACKEND")"); echo "   round $r direct:  ${D_ALL[-1]}  (req/s, p99 ms, non-2xx, socket errors)"
  G_ALL+=("$(run gateway "$GATEWAY")"); echo "   round $r gateway: ${G_ALL[-1]}"
  N_ALL+=("$(run nginx "$NGINX")"); echo "   round $r nginx:   ${N_ALL[-1]}"
done
pick() { printf '%s\n' "$@" | sort -n -r -k1,1 | head -1; }
read -r D_RPS D_P99 D_ERR D_SOCK <<<"$(pick "${D_ALL[@]}")"
read -r G_RPS G_P99 G_ERR G_SOCK <<<"$(pick "${G_ALL[@]}")"
read -r N_RPS N_P99 N_ERR N_SOCK <<<"$(pick "${N_ALL[@]}")"

printf '\n%-34s %12s %10s %8s %13s\n' "target" "req/s" "p99 ms" "non-2xx" "socket errors"
printf '%-34s %12s %10s %8s %13s\n' "backend directly" "$D_RPS" "$D_P99" "$D_ERR" "$D_SOCK"
printf '%-34s %12s %10s %8s %13s\n' "Netplane gateway (Vert.x)" "$G_RPS" "$G_P99" "$G_ERR" "$G_SOCK"
printf '%-34s %12s %10s %8s %13s\n' "nginx reverse proxy" "$N_RPS" "$N_P99" "$N_ERR" "$N_SOCK"
python3 - "$D_RPS" "$G_RPS" "$N_RPS" "$D_P99" "$G_P99" "$N_P99" <<'PY'
import sys
d, g, n, dp, gp, np_ = map(float, sys.argv[1:])
print()
print(f"throughput: gateway/direct = {g / d:.0%}   nginx/direct = {n / d:.0%}   gateway/nginx = {g / n:.0%}")
print(f"p99:        gateway/direct = {gp / dp:.2f}x   nginx/direct = {np_ / dp:.2f}x   gateway/nginx = {gp / np_:.2f}x")
print("anchor: ingress-nginx reached about 46% of plain nginx's throughput")
PY
