#!/usr/bin/env bash
# Builds kube-network-policies (SIG Network's NetworkPolicy implementation: nftables + nfqueue, no CNI needed)
# from its published Go module into ${NETPLANE_CACHE:-~/.cache/netplane}/kube-network-policies/<version>/. The
# upstream stack of hack/e2e.sh runs it where Netplane runs policy-operator and node-proxy's policy rules (upstream
# Kubernetes itself ships no NetworkPolicy implementation). Cached; the binary's path as the last line on stdout.
set -euo pipefail
KNP_VERSION=${KNP_VERSION:-v0.8.0}
out=${NETPLANE_CACHE:-$HOME/.cache/netplane}/kube-network-policies/$KNP_VERSION
if [ -x "$out/kube-network-policies" ]; then echo "$out/kube-network-policies"; exit 0; fi
mkdir -p "$out"
exec 9>"$out/.lock"
flock 9
if [ -x "$out/kube-network-policies" ]; then echo "$out/kube-network-policies"; exit 0; fi
export CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-mod=mod PATH="$PATH:/usr/local/go/bin"
start=$(date +%s)
echo "[kube-network-policies build] sigs.k8s.io/kube-network-policies@$KNP_VERSION" >&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# its main package is sigs.k8s.io/kube-network-policies/cmd (go install names the binary "cmd")
GOBIN="$work" nice go install -trimpath -ldflags "-s -w" "sigs.k8s.io/kube-network-policies/cmd@$KNP_VERSION" >&2
mv "$work/cmd" "$out/kube-network-policies"
echo "[kube-network-policies build] $out/kube-network-policies in $(($(date +%s) - start))s" >&2
echo "$out/kube-network-policies"
