#!/usr/bin/env bash
# Runs the whole platform locally: Kafka, a real kube-apiserver + etcd (+ controller manager), and the six
# Netplane services as processes; then applies demo objects and shows what each component does with them.
#   hack/platform.sh up|down|status
set -euo pipefail
cd "$(dirname "$0")/.."
state="${NETPLANE_STATE:-$HOME/.local/state/netplane}/services"
dns_port="${NETPLANE_DNS_PORT:-10053}"
gateway_port="${NETPLANE_GATEWAY_PORT:-18080}"
mkdir -p "$state"
log() { echo "[platform] $*" >&2; }

# name -> extra JVM system properties (Kafka and KUBECONFIG are common to all; quarkus.http.port is health/API).
# Every listener binds 127.0.0.1 (Quarkus's prod default host is 0.0.0.0).
declare -A config=(
  [ipam-service]="-Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port=8083"
  [endpoints-operator]="-Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port=8081"
  [dns-service]="-Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port=8082 -Dnetplane.dns.port=$dns_port
    -Dnetplane.dns.bind-address=127.0.0.1"
  [policy-operator]="-Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port=8084"
  [ingress-operator]="-Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port=8085 -Dnetplane.ingress.gateway.host=127.0.0.1
    -Dnetplane.ingress.gateway.http-port=$gateway_port -Dnetplane.ingress.gateway.https-port=-1"
  [node-proxy]="-Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port=8086 -Dquarkus.management.host=127.0.0.1
    -Dquarkus.management.port=8087 -Dnetplane.proxy.mode=userspace -Dnetplane.proxy.node-name=localhost
    -Dnetplane.proxy.userspace.listen-cluster-ips=false -Dnetplane.proxy.userspace.node-port-address=127.0.0.1
    -Dnetplane.proxy.health-check-bind-address=127.0.0.1"
)
order="ipam-service endpoints-operator dns-service policy-operator ingress-operator node-proxy"

running() { [ -f "$state/$1.pid" ] && kill -0 "$(cat "$state/$1.pid")" 2>/dev/null; }
port_of() { echo "${config[$1]}" | sed -n 's/.*quarkus.http.port=\([0-9]*\).*/\1/p'; }
retry() { # retry SECONDS COMMAND...: until COMMAND succeeds (its output is kept from the last try)
  local n=$1; shift
  for _ in $(seq 1 "$n"); do "$@" && return 0; sleep 1; done
  return 1
}

start() { # start SERVICE: runs its packaged jar, waits for /q/health/ready
  local svc=$1 port
  port=$(port_of "$svc")
  if running "$svc"; then log "$svc already running"; return; fi
  # shellcheck disable=SC2086
  KUBECONFIG="$KUBECONFIG" nohup java -Xmx384m -Dkafka.bootstrap.servers=127.0.0.1:"${NETPLANE_KAFKA_PORT:-9092}" ${config[$svc]} \
    -jar "$svc/target/quarkus-app/quarkus-run.jar" >"$state/$svc.log" 2>&1 &
  echo $! >"$state/$svc.pid"
  for _ in $(seq 1 120); do
    curl -fsS "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1 && break
    running "$svc" || { log "$svc exited; log:"; tail -30 "$state/$svc.log" >&2; exit 1; }
    sleep 1
  done
  curl -fsS "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1 || { log "$svc not ready in 120 s; log $state/$svc.log"; exit 1; }
  log "$svc ready (http://127.0.0.1:$port, log $state/$svc.log)"
}

up() {
  for svc in $order; do
    [ -f "$svc/target/quarkus-app/quarkus-run.jar" ] && continue
    log "building the services (./mvnw package -DskipTests)..."
    ./mvnw -B -q package -DskipTests -DskipITs
    break
  done
  hack/kafka.sh start >&2
  eval "$(hack/control-plane/up.sh)"
  for svc in $order; do start "$svc"; done

  command -v dig >/dev/null || { log "installing dig (bind9-dnsutils)"; apt-get install -y -qq bind9-dnsutils >/dev/null; }
  command -v jq >/dev/null || { log "installing jq"; apt-get install -y -qq jq >/dev/null; }
  retry 30 kubectl get serviceaccount default >/dev/null 2>&1 # Pods need it; the controller manager creates it
  kubectl apply -f k8s/examples/demo-service.yaml -f k8s/ingress-operator/ingressclass.yaml \
    -f k8s/examples/demo-platform.yaml >&2
  pod_cidr() { kubectl get node localhost -o jsonpath='{.spec.podCIDR}' | grep .; }
  cidr=$(retry 30 pod_cidr) || { log "ipam-service gave Node localhost no podCIDR; log $state/ipam-service.log"; exit 1; }
  n=10
  for pod in demo-server demo-client demo-other; do # what a kubelet would write (the Pods never become Ready)
    n=$((n + 1))
    kubectl patch pod "$pod" --subresource=status --type=merge \
      -p "{\"status\":{\"podIP\":\"${cidr%.*}.$n\",\"podIPs\":[{\"ip\":\"${cidr%.*}.$n\"}]}}" >/dev/null
  done
  ip=$(kubectl get svc demo -o jsonpath='{.spec.clusterIP}')
  dns() { dig +short @127.0.0.1 -p "$dns_port" demo.default.svc.cluster.local A | grep .; }
  log "dns-service: dig @127.0.0.1 -p $dns_port demo.default.svc.cluster.local A -> $(retry 30 dns || echo 'no answer')"
  slice() { kubectl get endpointslice -l kubernetes.io/service-name=demo -o jsonpath='{range .items[*]}{.metadata.name}:{range .endpoints[*]} {.addresses[0]} ready={.conditions.ready}{end}{end}' | grep ' ready='; }
  log "endpoints-operator: EndpointSlice of demo -> $(retry 30 slice || echo none)"
  log "ipam-service: holder of ClusterIP $ip -> $(retry 30 curl -fsS "http://127.0.0.1:8083/api/v1/holders?value=$ip" \
    | jq -r '"\(.owner.kind) \(.owner.namespace)/\(.owner.name) in pool \(.pool)"' || echo none)"
  log "ipam-service: podCIDR of Node localhost -> $cidr"
  log "ipam-service: pools in use -> $(curl -fsS http://127.0.0.1:8083/api/v1/pools \
    | jq -r '[.[] | select(.used > 0) | "\(.name) \(.used)/\(.size)"] | join(", ")')"
  for from in demo-client demo-other; do
    log "policy-operator: explain default/$from -> default/demo-server TCP 8080 -> $(
      curl -sS "http://127.0.0.1:8084/explain?from=default/$from&to=default/demo-server&port=8080&protocol=TCP" \
        | jq -r '"allowed=\(.allowed): \(.ingress.reason)"')"
  done
  gw() { curl -sS -w ' (%{http_code})' -H "Host: $1" "http://127.0.0.1:$gateway_port/" | tr -d '\n'; }
  retry 30 sh -c "curl -s -o /dev/null -w '%{http_code}' -H 'Host: demo.example.com' http://127.0.0.1:$gateway_port/ | grep -q 503" || true
  log "ingress-operator: gateway :$gateway_port Host demo.example.com -> $(gw demo.example.com)"
  log "ingress-operator: gateway :$gateway_port Host other.example.com -> $(gw other.example.com)"
  retry 30 sh -c "ss -Hltn 'sport = :30080' | grep -q ." || true
  log "node-proxy (userspace): NodePort 30080 of demo-nodeport -> $(ss -Hltn 'sport = :30080' | awk '{print "listening on " $4}' | grep . || echo 'not listening');" \
    "/healthz -> $(curl -sS http://127.0.0.1:8086/healthz | jq -c '{rules, lastUpdated}')"
  log "not run locally: ipam-service's admission webhook (it needs TLS and a webhook registration; here the API server"
  log "  allocates ClusterIPs and ipam-service adopts them) and node-proxy's nftables mode (it would rewrite this host's"
  log "  netfilter rules; userspace mode runs instead, NodePorts on 127.0.0.1, no ClusterIP listeners)"
  echo "export KUBECONFIG=$KUBECONFIG"
}

down() {
  for svc in $order; do
    if running "$svc"; then
      kill "$(cat "$state/$svc.pid")"
      retry 30 sh -c "! kill -0 $(cat "$state/$svc.pid") 2>/dev/null" || log "$svc still running after 30 s"
      log "$svc stopped"
    fi
    rm -f "$state/$svc.pid"
  done
  hack/control-plane/down.sh >&2 || true
  hack/kafka.sh stop >&2
}

status() {
  for svc in $order; do
    if running "$svc"; then log "$svc running (pid $(cat "$state/$svc.pid"), http://127.0.0.1:$(port_of "$svc"))"
    else log "$svc stopped"; fi
  done
  hack/kafka.sh status >&2 || true
  if kubectl --kubeconfig "$state/../control-plane/kubeconfig" get --raw /readyz >/dev/null 2>&1; then
    log "kube-apiserver ready on https://127.0.0.1:${NETPLANE_APISERVER_PORT:-6443} (export KUBECONFIG=$(realpath "$state/../control-plane/kubeconfig"))"
  else log "kube-apiserver not running"; fi
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
