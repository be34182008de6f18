#!/usr/bin/env bash
# Starts etcd, kube-apiserver and kube-controller-manager on loopback as background processes,
# builds them first if needed (build.sh), and applies the CRDs under k8s/crds/.
# Progress goes to stderr; stdout is only `export KUBECONFIG=...`, so `eval "$(hack/control-plane/up.sh)"` works.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
state=${NETPLANE_STATE:-$HOME/.local/state/netplane}/control-plane
etcd_port=${NETPLANE_ETCD_PORT:-2379}
etcd_peer_port=${NETPLANE_ETCD_PEER_PORT:-2380}
api_port=${NETPLANE_APISERVER_PORT:-6443}
kcm_port=${NETPLANE_KCM_PORT:-10257}
service_cidr=${NETPLANE_SERVICE_CIDR:-10.96.0.0/16}
kubeconfig=$state/kubeconfig

log() { echo "[control-plane up] $*" >&2; }

running() { # running NAME: the pid in $state/NAME.pid is alive and is that program
  local pid
  pid=$(cat "$state/$1.pid" 2>/dev/null) || return 1
  [ -n "$pid" ] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "/$1 "
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

wait_for() { # wait_for NAME SECONDS COMMAND...: until COMMAND succeeds, while process NAME lives
  local name=$1 seconds=$2 i
  shift 2
  for ((i = 0; i < seconds * 2; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    if ! running "$name"; then
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
if [ ! -f "$pki/ca.crt" ]; then
  log "generating certificates in $pki"
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=netplane-local-ca" \
    -keyout "$pki/ca.key" -out "$pki/ca.crt" 2>/dev/null
  issue() { # issue NAME SUBJECT [SAN]
    openssl req -newkey rsa:2048 -nodes -subj "$2" -keyout "$pki/$1.key" -out "$pki/$1.csr" 2>/dev/null
    printf '%s\n' "keyUsage=critical,digitalSignature,keyEncipherment" \
      "extendedKeyUsage=${3:+serverAuth,}clientAuth" ${3:+"subjectAltName=$3"} >"$pki/$1.ext"
    openssl x509 -req -in "$pki/$1.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial \
      -days 3650 -extfile "$pki/$1.ext" -out "$pki/$1.crt" 2>/dev/null
    rm "$pki/$1.csr" "$pki/$1.ext"
  }
  issue apiserver "/CN=kube-apiserver" \
    "IP:127.0.0.1,IP:${service_cidr%.*/*}.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  issue admin "/O=system:masters/CN=netplane-admin"
  issue kube-controller-manager "/CN=system:kube-controller-manager"
  openssl genrsa -out "$pki/sa.key" 2048 2>/dev/null
  openssl rsa -in "$pki/sa.key" -pubout -out "$pki/sa.pub" 2>/dev/null
fi

write_kubeconfig() { # write_kubeconfig FILE USER
  kubectl config --kubeconfig "$1" set-cluster netplane --server "https://127.0.0.1:$api_port" \
    --certificate-authority "$pki/ca.crt" --embed-certs >/dev/null
  kubectl config --kubeconfig "$1" set-credentials "$2" --client-certificate "$pki/$2.crt" \
    --client-key "$pki/$2.key" --embed-certs >/dev/null
  kubectl config --kubeconfig "$1" set-context netplane --cluster netplane --user "$2" >/dev/null
  kubectl config --kubeconfig "$1" use-context netplane >/dev/null
}
write_kubeconfig "$kubeconfig" admin
write_kubeconfig "$state/kube-controller-manager.kubeconfig" kube-controller-manager

# --- processes ---------------------------------------------------------------------------------------
start etcd --name netplane --data-dir "$state/etcd" \
  --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
  --listen-peer-urls "http://127.0.0.1:$etcd_peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer_port" \
  --initial-cluster "netplane=http://127.0.0.1:$etcd_peer_port"
wait_for etcd 30 curl -fsS "http://127.0.0.1:$etcd_port/health"

start kube-apiserver --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$api_port" \
  --etcd-servers "http://127.0.0.1:$etcd_port" \
  --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" \
  --client-ca-file "$pki/ca.crt" --authorization-mode RBAC \
  --service-account-issuer https://kubernetes.default.svc.cluster.local \
  --service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key" \
  --service-cluster-ip-range "$service_cidr" --allow-privileged=true \
  --endpoint-reconciler-type none # it refuses a loopback advertise address; nothing outside needs the endpoints
wait_for kube-apiserver 120 kubectl --kubeconfig "$kubeconfig" get --raw /readyz

start kube-controller-manager --bind-address 127.0.0.1 --secure-port "$kcm_port" \
  --kubeconfig "$state/kube-controller-manager.kubeconfig" \
  --authentication-kubeconfig "$state/kube-controller-manager.kubeconfig" \
  --authorization-kubeconfig "$state/kube-controller-manager.kubeconfig" \
  --controllers '*,-endpointslice-controller,-endpointslice-mirroring-controller,-endpoints-controller' \
  --service-account-private-key-file "$pki/sa.key" --root-ca-file "$pki/ca.crt" \
  --use-service-account-credentials=true --leader-elect=false
wait_for kube-controller-manager 60 curl -fsSk "https://127.0.0.1:$kcm_port/healthz"

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
