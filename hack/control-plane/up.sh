#!/usr/bin/env bash
# Starts etcd, kube-apiserver and kube-controller-manager (and kube-scheduler with NETPLANE_SCHEDULER=1) as
# background processes, builds them first if needed (build.sh), and applies the CRDs under k8s/crds/.
# kube-apiserver listens on NETPLANE_APISERVER_ADDRESS (127.0.0.1 by default; hack/cluster.sh gives it the nodes'
# bridge address); etcd and the controllers stay on loopback.
# NETPLANE_KCM_CONTROLLERS overrides the controller manager's --controllers (default: all but the three Netplane
# replaces); NETPLANE_CLUSTER_CIDR makes it allocate Node podCIDRs from those CIDRs (/24 and /64 per node).
# Progress goes to stderr; stdout is only `export KUBECONFIG=...`, so `eval "$(hack/control-plane/up.sh)"` works.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
state=${NETPLANE_STATE:-$HOME/.local/state/netplane}/control-plane
etcd_port=${NETPLANE_ETCD_PORT:-2379}
etcd_peer_port=${NETPLANE_ETCD_PEER_PORT:-2380}
api_port=${NETPLANE_APISERVER_PORT:-6443}
kcm_port=${NETPLANE_KCM_PORT:-10257}
sched_port=${NETPLANE_SCHEDULER_PORT:-10259}
api_address=${NETPLANE_APISERVER_ADDRESS:-127.0.0.1}
service_cidr=${NETPLANE_SERVICE_CIDR:-10.96.0.0/16} # one CIDR per family, primary first, comma-separated
kubeconfig=$state/kubeconfig

log() { echo "[control-plane up] $*" >&2; }

running() { # running NAME: the pid in $state/NAME.pid is alive and is that program
  local pid
  pid=$(cat "$state/$1.pid" 2>/dev/null) || return 1
  [ -n "$pid" ] || return 1
  # no pipe into grep -q: under pipefail an early exit of grep could fail the check for a live process
  local cmdline
  cmdline=$( { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null) || return 1
  [[ "$cmdline" == *"/$1 "* ]]
}

start() { # start NAME ARGS...: runs $bin/NAME detached, logs to $state/logs/NAME.log
  local name=$1
  shift
  if running "$name"; then
    log "$name already running (pid $(cat "$state/$name.pid"))"
    return
  fi
  setsid "$bin/$name" "$@" >>"$state/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$state/$name.pid"
  log "started $name (pid $!, log $state/logs/$name.log)"
}

# alive NAME: the pid in $state/NAME.pid lives. Not `running`: just after start the child may not have exec'd the
# program yet, and its cmdline is still the shell's (both CI failures of kube-scheduler and kube-controller-manager
# "exiting" while they were starting were that)
alive() {
  local pid
  pid=$(cat "$state/$1.pid" 2>/dev/null) || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

wait_for() { # wait_for NAME SECONDS COMMAND...: until COMMAND succeeds, while process NAME lives
  local name=$1 seconds=$2 i
  shift 2
  for ((i = 0; i < seconds * 2; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    if ! alive "$name"; then
      log "$name exited; last lines of $state/logs/$name.log:"
      tail -n 5 "$state/logs/$name.log" >&2
      exit 1
    fi
    sleep 0.5
  done
  log "$name not ready after ${seconds}s; see $state/logs/$name.log"
  exit 1
}

bin=$("$here/build.sh" | tail -n 1)
mkdir -p "$state/pki" "$state/logs"
pki=$state/pki

# --- certificates: a CA, the serving cert, client certs, the service-account key pair ----------------
# shellcheck disable=SC1091 # the shared certificate functions
. "$here/../lib/pki.sh"
if [ ! -f "$pki/sa.key" ]; then log "generating certificates in $pki"; fi
pki_ca
# the first address of each Service range is the kubernetes Service's ClusterIP
sans="IP:127.0.0.1,IP:$api_address"
for cidr in ${service_cidr//,/ }; do
  sans="$sans,IP:$(python3 -c 'import ipaddress,sys; print(ipaddress.ip_network(sys.argv[1])[1])' "$cidr")"
done
pki_issue apiserver "/CN=kube-apiserver" \
  "$sans,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
pki_issue admin "/O=system:masters/CN=netplane-admin"
pki_issue kube-controller-manager "/CN=system:kube-controller-manager"
pki_issue kube-scheduler "/CN=system:kube-scheduler"
pki_issue apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client"
if [ ! -f "$pki/sa.key" ]; then
  openssl genrsa -out "$pki/sa.key" 2048 2>/dev/null
  openssl rsa -in "$pki/sa.key" -pubout -out "$pki/sa.pub" 2>/dev/null
fi
pki_kubeconfig "$kubeconfig" "$api_address:$api_port" admin
pki_kubeconfig "$state/kube-controller-manager.kubeconfig" "$api_address:$api_port" kube-controller-manager
pki_kubeconfig "$state/kube-scheduler.kubeconfig" "$api_address:$api_port" kube-scheduler

# --- processes ---------------------------------------------------------------------------------------
start etcd --name netplane --data-dir "$state/etcd" \
  --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
  --listen-peer-urls "http://127.0.0.1:$etcd_peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer_port" \
  --initial-cluster "netplane=http://127.0.0.1:$etcd_peer_port"
wait_for etcd 30 curl -fsS "http://127.0.0.1:$etcd_port/health"

if [ "$api_address" = 127.0.0.1 ]; then
  reconciler=none # it refuses a loopback advertise address; nothing outside needs the endpoints
else
  reconciler=lease # the kubernetes Service gets the API server's address as its endpoint, as in any cluster
fi
start kube-apiserver --bind-address "$api_address" --advertise-address "$api_address" --secure-port "$api_port" \
  --etcd-servers "http://127.0.0.1:$etcd_port" \
  --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" \
  --client-ca-file "$pki/ca.crt" --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction \
  --service-account-issuer https://kubernetes.default.svc.cluster.local \
  --service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key" \
  --service-cluster-ip-range "$service_cidr" --allow-privileged=true \
  --kubelet-client-certificate "$pki/apiserver-kubelet-client.crt" --kubelet-client-key "$pki/apiserver-kubelet-client.key" \
  --kubelet-certificate-authority "$pki/ca.crt" --kubelet-preferred-address-types InternalIP \
  --enable-aggregator-routing=true \
  --endpoint-reconciler-type "$reconciler"
wait_for kube-apiserver 120 kubectl --kubeconfig "$kubeconfig" get --raw /readyz

start kube-controller-manager --bind-address 127.0.0.1 --secure-port "$kcm_port" \
  --kubeconfig "$state/kube-controller-manager.kubeconfig" \
  --authentication-kubeconfig "$state/kube-controller-manager.kubeconfig" \
  --authorization-kubeconfig "$state/kube-controller-manager.kubeconfig" \
  --controllers "${NETPLANE_KCM_CONTROLLERS:-*,-endpointslice-controller,-endpointslice-mirroring-controller,-endpoints-controller}" \
  ${NETPLANE_CLUSTER_CIDR:+--allocate-node-cidrs=true --cluster-cidr "$NETPLANE_CLUSTER_CIDR" --service-cluster-ip-range "$service_cidr" --node-cidr-mask-size-ipv4 24 --node-cidr-mask-size-ipv6 64} \
  --service-account-private-key-file "$pki/sa.key" --root-ca-file "$pki/ca.crt" \
  --use-service-account-credentials=true --leader-elect=false
wait_for kube-controller-manager 60 curl -fsSk "https://127.0.0.1:$kcm_port/healthz"

if [ "${NETPLANE_SCHEDULER:-0}" = 1 ]; then
  start kube-scheduler --bind-address 127.0.0.1 --secure-port "$sched_port" \
    --kubeconfig "$state/kube-scheduler.kubeconfig" \
    --authentication-kubeconfig "$state/kube-scheduler.kubeconfig" \
    --authorization-kubeconfig "$state/kube-scheduler.kubeconfig" --leader-elect=false
  wait_for kube-scheduler 60 curl -fsSk "https://127.0.0.1:$sched_port/healthz"
fi

# --- CRDs ----------------------------------------------------------------------------------------------
crds=
[ -d "$repo/k8s/crds" ] && crds=$(find "$repo/k8s/crds" -maxdepth 1 -name '*.yaml' | sort)
if [ -n "$crds" ]; then
  log "applying CRDs from k8s/crds/"
  for f in $crds; do kubectl --kubeconfig "$kubeconfig" apply --server-side -f "$f" >&2; done
  kubectl --kubeconfig "$kubeconfig" wait --for condition=Established --timeout 60s crd --all >&2
fi

log "ready: kube-apiserver $(kubectl --kubeconfig "$kubeconfig" get --raw /version | sed -n 's/.*"gitVersion": "\(.*\)".*/\1/p')"
echo "export KUBECONFIG=$kubeconfig"
