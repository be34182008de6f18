#!/usr/bin/env bash
# Runs the platform locally: Kafka, a real kube-apiserver + etcd (+ controller manager), and the Netplane
# services as processes, then creates a demo Service and shows the DNS answer the platform gives for it.
#   hack/platform.sh up|down|status
set -euo pipefail
cd "$(dirname "$0")/.."
state="${NETPLANE_STATE:-$HOME/.local/state/netplane}/services"
dns_port="${NETPLANE_DNS_PORT:-10053}"
mkdir -p "$state"
log() { echo "[platform] $*" >&2; }

# name -> extra JVM system properties (Kafka and KUBECONFIG are common to all)
declare -A config=(
  [endpoints-operator]="-Dquarkus.http.port=8081"
  [dns-service]="-Dquarkus.http.port=8082 -Dnetplane.dns.port=$dns_port -Dnetplane.dns.bind-address=127.0.0.1"
)
order="endpoints-operator dns-service"

running() { [ -f "$state/$1.pid" ] && kill -0 "$(cat "$state/$1.pid")" 2>/dev/null; }

up() {
  if [ ! -f dns-service/target/quarkus-app/quarkus-run.jar ] || [ ! -f endpoints-operator/target/quarkus-app/quarkus-run.jar ]; then
    log "building the services (./mvnw package -DskipTests)..."
    ./mvnw -B -q package -DskipTests -DskipITs
  fi
  hack/kafka.sh start >&2
  eval "$(hack/control-plane/up.sh)"
  for svc in $order; do
    if running "$svc"; then log "$svc already running"; continue; fi
    # shellcheck disable=SC2086
    KUBECONFIG="$KUBECONFIG" nohup java -Xmx384m -Dkafka.bootstrap.servers=127.0.0.1:9092 ${config[$svc]} \
      -jar "$svc/target/quarkus-app/quarkus-run.jar" >"$state/$svc.log" 2>&1 &
    echo $! >"$state/$svc.pid"
    port=$(echo "${config[$svc]}" | sed -n 's/.*quarkus.http.port=\([0-9]*\).*/\1/p')
    for _ in $(seq 1 120); do
      curl -fsS "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1 && break
      running "$svc" || { log "$svc exited; log:"; tail -30 "$state/$svc.log" >&2; exit 1; }
      sleep 1
    done
    log "$svc ready (http://127.0.0.1:$port/q/health, log $state/$svc.log)"
  done
  kubectl apply -f k8s/examples/demo-service.yaml >&2
  command -v dig >/dev/null || { log "installing dig (bind9-dnsutils)"; apt-get install -y -qq bind9-dnsutils >/dev/null; }
  for _ in $(seq 1 30); do
    answer=$(dig +short @127.0.0.1 -p "$dns_port" demo.default.svc.cluster.local A)
    [ -n "$answer" ] && break
    sleep 1
  done
  log "kubectl get svc demo: $(kubectl get svc demo -o jsonpath='{.spec.clusterIP}')"
  log "dig @127.0.0.1 -p $dns_port demo.default.svc.cluster.local A -> ${answer:-no answer}"
  echo "export KUBECONFIG=$KUBECONFIG"
}

down() {
  for svc in $order; do
    if running "$svc"; then kill "$(cat "$state/$svc.pid")"; log "$svc stopped"; fi
    rm -f "$state/$svc.pid"
  done
  hack/control-plane/down.sh >&2 || true
  hack/kafka.sh stop >&2
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) for svc in $order; do running "$svc" && log "$svc running" || log "$svc stopped"; done; hack/kafka.sh status >&2 || true ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
