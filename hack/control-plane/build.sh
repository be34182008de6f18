#!/usr/bin/env bash
# Builds the Kubernetes binaries of the local cluster (kube-apiserver, kube-controller-manager,
# kube-scheduler, kubelet, kube-proxy as the upstream peer, agnhost for test Pods) and etcd from their
# published Go modules (no Docker, no prebuilt downloads) into a cache outside the source tree.
# Prints progress on stderr and the bin directory as the last line on stdout.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck disable=SC1091 # versions.env sits next to this script
. "$here/versions.env"
K8S_VERSION=${NETPLANE_K8S_VERSION:-$K8S_VERSION}
ETCD_VERSION=${NETPLANE_ETCD_VERSION:-$ETCD_VERSION}

root=${NETPLANE_CACHE:-$HOME/.cache/netplane}/control-plane/${K8S_VERSION}_etcd-${ETCD_VERSION}
bin=$root/bin
binaries="kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy agnhost etcd"

log() { echo "[control-plane build] $*" >&2; }

complete() {
  for b in $binaries; do [ -x "$bin/$b" ] || return 1; done
}

if complete; then
  echo "$bin"
  exit 0
fi

mkdir -p "$root"
exec 9>"$root/.lock"
flock 9
if complete; then # built by a concurrent run while we waited
  echo "$bin"
  exit 0
fi

export CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-mod=mod
start=$(date +%s)

# modfield MODULE@VERSION FIELD: a field of `go mod download -json` (downloads the module if needed)
modfield() {
  go mod download -json "$1" | sed -n "s/^[[:space:]]*\"$2\": \"\(.*\)\",\{0,1\}\$/\1/p"
}

# make_wrapper DIR MODULE VERSION STAGING_VERSION
# Turns MODULE@VERSION's own go.mod into a main module that depends on it: every replace that
# points into MODULE's source tree is rewritten to the published module at STAGING_VERSION.
make_wrapper() {
  local dir=$1 module=$2 version=$3 pinned=$4 gomod required mod
  log "resolving $module@$version"
  gomod=$(modfield "$module@$version" GoMod)
  [ -n "$gomod" ] || { log "could not download $module@$version"; exit 1; }
  rm -rf "$dir" && mkdir -p "$dir"
  cp "$gomod" "$dir/go.mod" && chmod u+w "$dir/go.mod"
  cd "$dir"
  go mod edit -module "netplane.local/wrapper/$(basename "$dir")" -toolchain=none -require "$module@$version"
  required=$(go mod edit -json | awk -F'"' '/^\t"/{r = ($2 == "Require")} r && $2 == "Path" {print $4}')
  # replace lines inside a block: "<module> => ./path" or "<module> => ../path"
  awk '$2 == "=>" && $3 ~ /^\.\.?\// {print $1} $1 == "replace" && $3 == "=>" && $4 ~ /^\.\.?\// {print $2}' go.mod |
    while read -r mod; do
      if grep -qx "$mod" <<<"$required"; then
        go mod edit -replace "$mod=$mod@$pinned"
      else
        go mod edit -dropreplace "$mod"
      fi
    done
  cd - >/dev/null
}

work=$root/src
out=$root/bin.tmp
rm -rf "$out" && mkdir -p "$out"

# --- Kubernetes: staging modules k8s.io/* are published as v0.<minor>.<patch> ---------------------
make_wrapper "$work/kubernetes" k8s.io/kubernetes "$K8S_VERSION" "v0.${K8S_VERSION#v1.}"
major=${K8S_VERSION#v}; major=${major%%.*}
minor=${K8S_VERSION#v*.}; minor=${minor%%.*}
# buildDate is the release's publication time, so the stamp is reproducible; the proxy does not tell the commit
released=$(sed -n 's/.*"Time": *"\([^"]*\)".*/\1/p' "$(modfield "k8s.io/kubernetes@$K8S_VERSION" Info)")
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags="$ldflags -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor"
  ldflags="$ldflags -X $pkg.gitCommit= -X $pkg.gitTreeState=clean -X $pkg.buildDate=$released"
done
log "building kube-apiserver, kube-controller-manager, kube-scheduler, kubelet, kube-proxy, agnhost $K8S_VERSION (takes a while on a cold cache)"
(cd "$work/kubernetes" && go build -trimpath -ldflags "$ldflags" -o "$out/" \
  k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
  k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubelet k8s.io/kubernetes/cmd/kube-proxy \
  k8s.io/kubernetes/test/images/agnhost)
log "kubernetes done after $(($(date +%s) - start))s"

# --- etcd: the server module's main package; its sibling modules share the release version ---------
make_wrapper "$work/etcd" go.etcd.io/etcd/server/v3 "$ETCD_VERSION" "$ETCD_VERSION"
log "building etcd $ETCD_VERSION"
(cd "$work/etcd" && go build -trimpath -ldflags "-s -w" -o "$out/etcd" go.etcd.io/etcd/server/v3)
log "etcd done after $(($(date +%s) - start))s"

for b in $binaries; do [ "$b" = agnhost ] || log "$("$out/$b" --version 2>&1 | head -1)"; done
rm -rf "$bin" && mv "$out" "$bin"
log "binaries in $bin (built in $(($(date +%s) - start))s)"
echo "$bin"
