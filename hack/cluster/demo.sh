#!/usr/bin/env bash
# Shows Netplane serving real Pod traffic on the local cluster: DNS through dns-service, Service traffic through
# node-proxy's nftables rules (IPv4 and IPv6), a NodePort from outside the nodes, a NetworkPolicy, an Ingress.
#   hack/cluster/demo.sh KUBECONFIG
set -euo pipefail
cd "$(dirname "$0")"
# shellcheck disable=SC1091
. ./cluster.env
kc() { kubectl --kubeconfig "$1" "${@:2}"; }
k=$1
say() { echo "[demo] $*"; }
retry() { local n=$1; shift; for _ in $(seq "$n"); do "$@" && return 0; sleep 1; done; return 1; }

kc "$k" apply -f demo.yaml >/dev/null
kc "$k" -n netplane-demo rollout status --timeout 120s deploy/demo >/dev/null
kc "$k" -n netplane-demo wait --for condition=Ready --timeout 120s pod/client-allowed pod/client-denied >/dev/null
ip_of() { kc "$k" -n netplane-demo get pod "$1" -o jsonpath='{.status.podIP}'; }
# dial CLIENT HOST PORT: what the client Pod gets when it asks HOST:PORT for its hostname (netexec /dial)
dial() { curl -fsS --max-time 30 "http://$(ip_of "$1"):8080/dial?request=hostname&protocol=http&tries=2&host=$2&port=$3"; echo; }
answers() { dial "$@" | grep -q '"responses":\["'; }

name=demo.netplane-demo.svc.cluster.local
v6=$(kc "$k" -n netplane-demo get svc demo -o jsonpath='{.spec.clusterIPs[1]}')
nodeport=$(kc "$k" -n netplane-demo get svc demo -o jsonpath='{.spec.ports[0].nodePort}')
retry 30 answers client-allowed "$name" 80 || true
say "client-allowed (np-node-1) -> http://$name/ : $(dial client-allowed "$name" 80)"
say "client-allowed (np-node-1) -> http://[$v6]/ : $(dial client-allowed "$v6" 80)"
say "client-denied  (np-node-2) -> http://$name/ : $(dial client-denied "$name" 80) (NetworkPolicy demo-allow-labelled)"
say "host -> NodePort http://10.77.0.11:$nodeport/hostname : $(curl -fsS --max-time 5 "http://10.77.0.11:$nodeport/hostname" || echo failed)"
gw=$(kc "$k" -n netplane-system get svc ingress-gateway -o jsonpath='{.spec.ports[?(@.name=="http")].nodePort}')
gwnode=$(kc "$k" -n netplane-system get pod -l app.kubernetes.io/name=ingress-gateway -o jsonpath='{.items[0].status.hostIP}')
ingress() { curl -fsS --max-time 5 -H 'Host: demo.example' "http://$gwnode:$gw/hostname"; }
retry 30 ingress >/dev/null || true
say "host -> Ingress demo.example/hostname via the gateway (NodePort $gwnode:$gw) : $(ingress || echo failed)"
