#!/usr/bin/env bash
# A real local Kubernetes cluster with Netplane as its networking:
#   - control plane (etcd, kube-apiserver, kube-controller-manager without its EndpointSlice/Endpoints
#     controllers, kube-scheduler) on the host, the API server on the nodes' bridge address;
#   - NODE_COUNT nodes, each a network namespace on the bridge with its own containerd and kubelet,
#     dual-stack, Pod networking with the CNI bridge + host-local plugins on the podCIDRs ipam-service assigns;
#   - one Kafka broker on the bridge address (node-proxy needs no Service IP to reach it);
#   - Netplane deployed from hack/cluster/overlay as Pods: no kube-proxy, no CoreDNS.
#   With --stack olm Netplane is installed through OLM instead (hack/olm/olm.sh runs OLM and serves the catalog of
#   bundle/; hack/cluster/olm: CatalogSource, OperatorGroup, Subscription, then the Netplane resource for the install
#   operator); NETPLANE_OLM_INSTALL=0 stops after the catalog, with nothing subscribed (the OLM test's start).
#   With --stack upstream the same cluster runs the components Netplane replaces instead (hack/cluster/upstream:
#   kube-proxy in nftables mode, CoreDNS, the controller manager with all its controllers and
#   node IPAM), no Kafka and nothing of Netplane: the peer for hack/e2e.sh and the benchmarks.
#
#   hack/cluster.sh up [--stack netplane|olm|upstream]
#                            builds what is missing, starts everything, deploys the stack, shows real traffic
#   hack/cluster.sh wire     once ipam-service runs: each Node's CNI network and routes on its podCIDRs (up does it)
#   hack/cluster.sh down     stops everything and leaves the machine as it was; the next up starts afresh
#                            (logs stay in the state directory; --purge: they go too)
#   hack/cluster.sh status   what runs
#   hack/cluster.sh restart kafka|kube-apiserver
#                            kill -9 and start again on the same data (the fault suite, hack/faults.sh)
#   hack/cluster.sh demo     the traffic demonstration again
# Progress goes to stderr; `up` ends with `export KUBECONFIG=...` on stdout.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
# shellcheck disable=SC1091
. hack/cluster/cluster.env
state=${NETPLANE_STATE:-$HOME/.local/state/netplane}/cluster
export NETPLANE_STATE=$state # control plane and Kafka keep their state below the cluster's
pki=$state/control-plane/pki
kubeconfig=$state/control-plane/kubeconfig
images=${NETPLANE_CACHE:-$HOME/.cache/netplane}/images
export PATH="$PATH:/usr/local/go/bin"

t0=$(date +%s)
log() { echo "[cluster $(($(date +%s) - t0))s] $*" >&2; }
kc() { kubectl --kubeconfig "$kubeconfig" "$@"; }
# retry SECONDS COMMAND...: until COMMAND succeeds
retry() {
  local end=$(($(date +%s) + $1))
  shift
  until "$@"; do [ "$(date +%s)" -lt "$end" ] || return 1; sleep 1; done
}

# shellcheck disable=SC1091
. hack/lib/pki.sh
# shellcheck disable=SC1091
. hack/cluster/node.sh

packages="containerd runc containernetworking-plugins nftables iproute2 conntrack openssl util-linux procps"
ensure_packages() {
  local missing="" p
  for p in $packages; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
  done
  [ -z "$missing" ] && return
  log "installing Debian packages:$missing"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >&2
}

# kubelet sets these machine-wide kernel settings at start; down puts the old values back
kernel_settings="vm.overcommit_memory kernel.panic kernel.panic_on_oops"
save_kernel_settings() {
  [ -f "$state/sysctl.saved" ] && return
  local k
  for k in $kernel_settings; do echo "$k=$(sysctl -n "$k")"; done >"$state/sysctl.saved"
}
restore_kernel_settings() {
  [ -f "$state/sysctl.saved" ] || return 0
  sysctl -q -p "$state/sysctl.saved" >/dev/null
  rm "$state/sysctl.saved"
}

bridge_up() {
  ip link show "$BRIDGE" >/dev/null 2>&1 && return
  ip link add "$BRIDGE" type bridge
  ip addr add "$HOST_IP4/24" dev "$BRIDGE"
  ip addr add "$HOST_IP6/64" dev "$BRIDGE" nodad
  ip link set "$BRIDGE" up
  log "bridge $BRIDGE: $HOST_IP4/24 $HOST_IP6/64"
}

build() {
  log "control plane and node binaries (built once from the Go modules, then cached)"
  bin=$(hack/control-plane/build.sh | tail -n 1)
  if [ "$1" = upstream ]; then
    log "images (pause, busybox, agnhost, glibc-dns-testing, distroless-iptables, regression-issue-74839, the upstream stack's two)"
    hack/images/build.sh --upstream >/dev/null
    return
  fi
  # packaged jars older than any main source or pom would put yesterday's code into today's images
  local jars oldest newer=""
  jars=$(ls -tr ./*/target/quarkus-app/quarkus-run.jar 2>/dev/null || true)
  oldest=$(head -n 1 <<<"$jars")
  [ -n "$oldest" ] && newer=$(find . -path '*/target' -prune -o \( -path '*/src/main/*' -o -name pom.xml \) \
    -newer "$oldest" -print -quit)
  if [ "$(grep -c . <<<"$jars")" -lt 7 ] || [ -n "$newer" ]; then
    log "packaging the Netplane services (./mvnw package -DskipTests${newer:+; $newer is newer than $oldest})"
    ./mvnw -B -q package -DskipTests >&2
  fi
  log "images (pause, busybox, agnhost, glibc-dns-testing, distroless-iptables, regression-issue-74839, Netplane's seven)"
  hack/images/build.sh --netplane >/dev/null
}

# pod_cidrs NODE: the Node's spec.podCIDRs, comma-separated (empty until ipam-service, or the controller manager
# on the upstream stack, assigned them)
pod_cidrs() { kc get node "$1" -o jsonpath='{.spec.podCIDRs}' 2>/dev/null | tr -d '[]"'; }

# wire_node N: once ipam-service gave the Node its podCIDRs, the node's CNI network and the routes to it
wire_node() {
  local n=$1 name cidrs c m via
  name=$(node_name "$n")
  cidrs=$(pod_cidrs "$name")
  [ -n "$cidrs" ] || return 1
  node_cni "$n" "$cidrs"
  for c in ${cidrs//,/ }; do
    case "$c" in *:*) via=$(node_ip6 "$n") ;; *) via=$(node_ip4 "$n") ;; esac
    ip route replace "$c" via "$via" dev "$BRIDGE"
    for m in $(seq "$NODE_COUNT"); do
      [ "$m" = "$n" ] || ip -n "$(node_name "$m")" route replace "$c" via "$via" dev eth0
    done
  done
  log "$name: podCIDRs $cidrs; CNI bridge network and routes written"
}

deploy() {
  log "deploying Netplane (kubectl apply -k hack/cluster/overlay)"
  retry 60 kc get serviceaccount default >/dev/null 2>&1
  kc apply --server-side -f k8s/namespace.yaml >/dev/null
  # ipam-service's webhook certificate, signed by the cluster CA (no cert-manager here)
  pki_issue ipam-webhook "/CN=ipam-service.netplane-system.svc" \
    "DNS:ipam-service,DNS:ipam-service.netplane-system,DNS:ipam-service.netplane-system.svc"
  kc -n netplane-system create secret tls ipam-service-tls --cert "$pki/ipam-webhook.crt" \
    --key "$pki/ipam-webhook.key" --dry-run=client -o yaml | kc apply --server-side -f - >/dev/null
  kc apply --server-side --force-conflicts -k hack/cluster/overlay >&2
  kc patch mutatingwebhookconfiguration ipam-service --type=json \
    -p "[{\"op\":\"add\",\"path\":\"/webhooks/0/clientConfig/caBundle\",\"value\":\"$(base64 -w0 "$pki/ca.crt")\"}]" >/dev/null
}

# deploy_olm: OLM and Netplane's catalog; then (unless NETPLANE_OLM_INSTALL=0) the Subscription and, as soon as
# OLM has created its CRD, the Netplane resource (the components start once it is there), and the CSV Succeeded
deploy_olm() {
  log "OLM and Netplane's catalog (hack/olm/olm.sh, hack/cluster/olm/catalog.yaml)"
  retry 60 kc get serviceaccount default >/dev/null 2>&1
  hack/olm/olm.sh start "$kubeconfig" >&2
  kc apply --server-side -f hack/cluster/olm/catalog.yaml >&2
  [ "${NETPLANE_OLM_INSTALL:-1}" = 1 ] || return 0
  log "subscribing to Netplane (hack/cluster/olm/subscription.yaml)"
  kc apply --server-side -f hack/cluster/olm/subscription.yaml >&2
  local csv=""
  retry 300 eval 'csv=$(kc -n netplane-system get subscription netplane -o jsonpath="{.status.installedCSV}" 2>/dev/null) && [ -n "$csv" ]' ||
    { log "OLM installed no CSV"; kc -n netplane-system get subscription netplane -o yaml >&2; exit 1; }
  retry 300 kc wait --for condition=Established --timeout 10s crd/netplanes.netplane.io >/dev/null 2>&1 ||
    { log "OLM did not install the Netplane CRD"; exit 1; }
  log "$csv installing; the Netplane resource (hack/cluster/olm/netplane.yaml)"
  kc apply --server-side -f hack/cluster/olm/netplane.yaml >&2
}

wire() {
  local n
  for n in $(seq "$NODE_COUNT"); do
    retry 180 wire_node "$n" || { log "$(node_name "$n") got no podCIDRs"; exit 1; }
  done
}

deploy_upstream() {
  log "deploying the upstream stack (kubectl apply -k hack/cluster/upstream)"
  retry 60 kc -n kube-system get serviceaccount default >/dev/null 2>&1
  kc apply --server-side --force-conflicts -k hack/cluster/upstream >&2
}

up() {
  local stack=${1:-netplane}
  case $stack in netplane | olm | upstream) ;; *) echo "unknown stack '$stack' (netplane, olm or upstream)" >&2; exit 2 ;; esac
  if [ -f "$state/stack" ] && [ "$(cat "$state/stack")" != "$stack" ] && kc get --raw /readyz >/dev/null 2>&1; then
    log "a cluster with the $(cat "$state/stack") stack is up; hack/cluster.sh down first"
    exit 1
  fi
  # the daemons started below must not inherit descriptors of the caller (a `flock LOCKFILE hack/cluster.sh up`
  # would otherwise stay locked for as long as the cluster runs)
  local fd
  for fd in $(ls /proc/$$/fd); do
    if [ "$fd" -gt 2 ] && [ "$fd" -lt 255 ]; then eval "exec $fd>&-" 2>/dev/null || true; fi # 255: bash's script
  done
  mkdir -p "$state"
  echo "$stack" >"$state/stack"
  ensure_packages
  build "$stack"
  bridge_up
  save_kernel_settings
  echo "nameserver $HOST_IP4" >"$state/resolv.conf" # Pods' upstream: nothing off the machine
  log "control plane on $HOST_IP4:$API_PORT"
  local upstream_env=() stack_images=("$images"/netplane/*.tar) # the JRE bases are inside Netplane's images
  if [ "$stack" = upstream ]; then
    upstream_env=(NETPLANE_KCM_CONTROLLERS='*' NETPLANE_CLUSTER_CIDR="$CLUSTER_CIDRS")
    stack_images=("$images"/upstream/*.tar)
  fi
  env "${upstream_env[@]}" NETPLANE_APISERVER_ADDRESS=$HOST_IP4 NETPLANE_APISERVER_PORT=$API_PORT \
    NETPLANE_SERVICE_CIDR=$SERVICE_CIDRS NETPLANE_SCHEDULER=1 hack/control-plane/up.sh >/dev/null
  if [ "$stack" != upstream ]; then
    log "Kafka on $HOST_IP4:$KAFKA_PORT"
    kafka_start
  fi
  local n
  for n in $(seq "$NODE_COUNT"); do
    node_up "$n"
    hack/images/import.sh "$(node_dir "$n")/containerd.sock" "$images"/{pause,busybox,agnhost,glibc-dns-testing,distroless-iptables,regression-issue-74839}-*.tar "${stack_images[@]}" >&2
    node_kubelet "$n"
  done
  for n in $(seq "$NODE_COUNT"); do
    retry 60 kc get node "$(node_name "$n")" >/dev/null 2>&1 || { log "$(node_name "$n") did not register"; exit 1; }
  done
  # Netplane runs in netplane-system and its DNS in kube-system (as kube-dns); the upstream stack in kube-system
  local ns namespaces="netplane-system kube-system"
  case $stack in
    netplane) deploy ;;
    olm)
      deploy_olm
      namespaces=netplane-system
      if [ "${NETPLANE_OLM_INSTALL:-1}" != 1 ]; then
        log "cluster up with OLM and Netplane's catalog; nothing subscribed (hack/cluster/olm/subscription.yaml)"
        echo "export KUBECONFIG=$kubeconfig"
        return
      fi ;;
    upstream) deploy_upstream; namespaces=kube-system ;;
  esac
  wire
  if [ "$stack" = olm ]; then
    kc -n netplane-system wait --for jsonpath='{.status.phase}'=Succeeded --timeout 600s \
      "csv/$(kc -n netplane-system get subscription netplane -o jsonpath='{.status.installedCSV}')" >&2
  fi
  kc wait --for condition=Ready --timeout 120s node --all >&2
  log "waiting for the $stack stack's Pods"
  local r
  for ns in $namespaces; do
    for r in $(kc -n "$ns" get daemonset,deploy -o name); do kc -n "$ns" rollout status --timeout 300s "$r" >&2; done
  done
  log "cluster up ($stack stack): $(kc get nodes --no-headers | awk '{print $1 "=" $2}' | tr '\n' ' ')"
  [ "${NETPLANE_DEMO:-1}" = 1 ] && [ "$stack" != upstream ] && hack/cluster/demo.sh "$kubeconfig" >&2
  echo "export KUBECONFIG=$kubeconfig"
}

# the broker's data is a tmpfs of its own (down empties it anyway): a full disk stays the broker's, never the host's
kafka_start() {
  NETPLANE_KAFKA_HOST=$HOST_IP4 NETPLANE_KAFKA_PORT=$KAFKA_PORT NETPLANE_KAFKA_DATA_SIZE=${NETPLANE_KAFKA_DATA_SIZE:-1g} \
    hack/kafka.sh start >&2
}

# restart kafka|kube-apiserver: kill -9, then start it again on the same data (the fault suite's restarts); a
# process already gone is only started
restart() {
  local pidfile pid
  case ${1:-} in
    kafka) pidfile=$state/kafka/broker.pid ;;
    kube-apiserver) pidfile=$state/control-plane/kube-apiserver.pid ;;
    *) echo "usage: $0 restart kafka|kube-apiserver" >&2; exit 2 ;;
  esac
  pid=$(cat "$pidfile" 2>/dev/null || true)
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -9 "$pid"
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
    log "killed $1 (pid $pid)"
  fi
  case $1 in
    kafka) kafka_start ;;
    kube-apiserver)
      NETPLANE_APISERVER_ADDRESS=$HOST_IP4 NETPLANE_APISERVER_PORT=$API_PORT NETPLANE_SERVICE_CIDR=$SERVICE_CIDRS \
        NETPLANE_SCHEDULER=1 hack/control-plane/up.sh >/dev/null
      retry 120 kc get --raw /readyz >/dev/null 2>&1 ;;
  esac
  log "$1 running again"
}

down() {
  local n
  for n in $(seq "$NODE_COUNT"); do node_down "$n"; done
  hack/olm/olm.sh stop >&2 || true
  hack/kafka.sh stop >&2 || true
  if mountpoint -q "$state/kafka/data" 2>/dev/null; then umount -l "$state/kafka/data"; fi
  hack/control-plane/down.sh >&2 || true
  ip link show "$BRIDGE" >/dev/null 2>&1 && ip link del "$BRIDGE"
  restore_kernel_settings
  # kubelet's hard-coded device-plugin socket
  rm -f /var/lib/kubelet/device-plugins/kubelet.sock
  rmdir -p /var/lib/kubelet/device-plugins 2>/dev/null || true
  # the next `up` is a new cluster: no Pods, Services or images carried over from this one; logs stay
  # (--purge: they go too)
  rm -f "$state/stack"
  if [ "${1:-}" = --purge ]; then
    rm -rf "$state"
  elif [ -d "$state" ]; then
    rm -rf "$state/control-plane/data" "$state/control-plane/etcd" "$state/kafka/data"
    for n in "$state"/nodes/*/; do
      [ -d "$n" ] && find "$n" -mindepth 1 -maxdepth 1 ! -name '*.log' -exec rm -rf {} +
    done
  fi
  log "down"
}

status() {
  local n
  ip link show "$BRIDGE" >/dev/null 2>&1 && echo "bridge $BRIDGE up" || echo "bridge $BRIDGE absent"
  for n in $(seq "$NODE_COUNT"); do
    echo "$(node_name "$n"): containerd $(node_alive "$(node_dir "$n")/containerd.pid" containerd && echo running || echo stopped)," \
      "kubelet $(node_alive "$(node_dir "$n")/kubelet.pid" kubelet && echo running || echo stopped)"
  done
  hack/kafka.sh status || true
  if kc get --raw /readyz >/dev/null 2>&1; then
    echo "stack: $(cat "$state/stack" 2>/dev/null || echo netplane)"
    kc get nodes -o wide
    kc -n netplane-system get pods -o wide
    kc -n kube-system get pods -o wide
  else
    echo "kube-apiserver not answering"
  fi
}

case "${1:-}" in
  up)
    case "${2:-}" in
      "") up netplane ;;
      --stack) up "${3:?--stack netplane|upstream}" ;;
      --stack=*) up "${2#--stack=}" ;;
      *) echo "usage: $0 up [--stack netplane|olm|upstream]" >&2; exit 2 ;;
    esac ;;
  wire) wire ;;
  down) down "${2:-}" ;;
  status) status ;;
  restart) restart "${2:-}" ;;
  demo) hack/cluster/demo.sh "$kubeconfig" ;;
  *) echo "usage: $0 up [--stack netplane|olm|upstream]|down [--purge]|wire|status|restart kafka|kube-apiserver|demo" >&2; exit 2 ;;
esac
