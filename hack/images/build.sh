#!/usr/bin/env bash
# Builds the local cluster's container images as OCI archives (no registry, no Docker daemon) into
# ${NETPLANE_CACHE:-~/.cache/netplane}/images/:
#   registry.k8s.io/pause:3.10.2                      pause-3.10.2.tar       (hack/images/pause/pause.c, static)
#   registry.k8s.io/e2e-test-images/busybox:1.37.0-2  busybox-1.37.0-2.tar   (Debian's busybox-static)
#   registry.k8s.io/e2e-test-images/agnhost:2.66.1    agnhost-2.66.1.tar     (agnhost from hack/control-plane/build.sh,
#                                                       the tools the e2e tests exec in it, getent against musl,
#                                                       /coredns from hack/coredns/build.sh)
#   registry.k8s.io/e2e-test-images/glibc-dns-testing:2.1.1  glibc-dns-testing-2.1.1.tar  (Debian's dash, coreutils,
#                                                       getent and dig: the glibc resolver probes of the DNS tests)
#   registry.k8s.io/build-image/distroless-iptables:v0.9.9  distroless-iptables-v0.9.9.tar  (dash, coreutils, grep,
#                                                       which, conntrack: the KubeProxy test's host exec pod)
#   registry.k8s.io/e2e-test-images/regression-issue-74839:1.5  regression-issue-74839-1.5.tar  (the Conntrack test's
#                                                       boom-server, built from k8s.io/kubernetes like agnhost)
#   netplane.local/base/jre:17                        jre-17.tar             (Debian's openjdk-17-jre-headless, uid 185)
#   netplane.local/base/jre-netfilter:17              jre-netfilter-17.tar   (the above + nft, conntrack, ip; root)
# The last two are the bases of Netplane's own images (hack/images/netplane.sh, Maven profile "images").
# Each archive holds the OCI layout and Docker's manifest.json: `ctr -n k8s.io images import` and Jib's
# tar:// base images both read it. Layers and archives are cached by their inputs: a rerun with nothing
# changed takes about a second.
#   netplane.local/upstream/{coredns,kube-proxy}:<version>  upstream/*.tar  (--upstream: the upstream stack of
#     hack/cluster.sh, each from its Go build: hack/coredns, hack/control-plane; kube-proxy on Debian's nft,
#     conntrack and ip)
# Usage: build.sh [--netplane] [--upstream]   (--netplane: also build Netplane's seven images, see netplane.sh)
# Progress goes to stderr; stdout gets one "<image name> <archive>" line per image.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=${NETPLANE_CACHE:-$HOME/.cache/netplane}/images
log() { echo "[images build] $*" >&2; }

with_netplane=false
with_upstream=false
for arg in "$@"; do
  case $arg in
    --netplane) with_netplane=true ;;
    --upstream) with_upstream=true ;;
    *) echo "usage: $0 [--netplane] [--upstream]" >&2; exit 2 ;;
  esac
done

# --- what the build needs from Debian --------------------------------------------------------------
need=()
command -v gcc >/dev/null || need+=(gcc)
[ -e /usr/lib/x86_64-linux-gnu/libc.a ] || need+=(libc6-dev)
command -v musl-gcc >/dev/null || need+=(musl-tools)
[ -x /bin/busybox ] && /bin/busybox --list >/dev/null 2>&1 || need+=(busybox-static)
for pkg in openjdk-17-jre-headless ca-certificates-java nftables conntrack iproute2 python3 \
    netcat-openbsd bind9-dnsutils curl wget grep debianutils bash dash ca-certificates; do
  dpkg-query -W -f '${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  apt_get="apt-get"; [ "$(id -u)" = 0 ] || apt_get="sudo apt-get"
  $apt_get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $apt_get install -y -qq --no-install-recommends "${need[@]}" >&2
fi

mkdir -p "$out"
exec 8>"$out/.lock"
flock 8

# --- pause: compiled only when its source or the compiler changed -----------------------------------
pause_key=$( (cat "$here/pause/pause.c"; gcc --version | head -1) | sha256sum | cut -c1-16)
pause_bin=$out/bin/pause-$pause_key
if [ ! -x "$pause_bin" ]; then
  log "compiling pause"
  mkdir -p "$out/bin"
  gcc -static -Os -Wall -Wextra -Werror -o "$pause_bin.tmp" "$here/pause/pause.c"
  strip "$pause_bin.tmp"
  mv "$pause_bin.tmp" "$pause_bin"
fi

# --- getent for agnhost: musl, static (upstream's agnhost is Alpine; its DNS probes test musl's resolver) -----
getent_key=$( (cat "$here/getent/getent.c"; musl-gcc --version 2>&1 | head -1) | sha256sum | cut -c1-16)
getent_bin=$out/bin/getent-$getent_key
if [ ! -x "$getent_bin" ]; then
  log "compiling getent (musl)"
  mkdir -p "$out/bin"
  musl-gcc -static -Os -Wall -Wextra -Werror -o "$getent_bin.tmp" "$here/getent/getent.c"
  strip "$getent_bin.tmp"
  mv "$getent_bin.tmp" "$getent_bin"
fi

# --- agnhost: from the control-plane build (waits on its lock if it is building right now) ----------
bin=$("$repo/hack/control-plane/build.sh" | tail -1)
# shellcheck disable=SC1091
. "$repo/hack/control-plane/versions.env"
agnhost_src=$(GOFLAGS=-mod=mod GOTOOLCHAIN=local go env GOMODCACHE 2>/dev/null || echo "$HOME/go/pkg/mod")/k8s.io/kubernetes@${K8S_VERSION}/test/images/agnhost
[ -f "$agnhost_src/porter/localhost.crt" ] || { log "missing $agnhost_src (run hack/control-plane/build.sh)"; exit 1; }

# regression-issue-74839: the boom-server of the Conntrack e2e test "invalid conntrack state bug", a main package of
# k8s.io/kubernetes built in the control plane's wrapper module (its only dependency is k8s.io/utils)
boom_bin=$out/bin/regression-issue-74839-$K8S_VERSION
if [ ! -x "$boom_bin" ]; then
  log "building regression-issue-74839 $K8S_VERSION"
  mkdir -p "$out/bin"
  (cd "$(dirname "$bin")/src/kubernetes" && CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-mod=mod \
    go build -trimpath -ldflags "-s -w" -o "$boom_bin.tmp" k8s.io/kubernetes/test/images/regression-issue-74839)
  mv "$boom_bin.tmp" "$boom_bin"
fi

# CoreDNS: upstream's agnhost image carries /coredns (the DNS tests run their own name servers with it), and the
# upstream stack runs it as the cluster DNS
coredns=$("$repo/hack/coredns/build.sh" | tail -1)
python3 "$here/images.py" --out "$out" --pause "$pause_bin" --agnhost "$bin/agnhost" --agnhost-src "$agnhost_src" \
  --getent "$getent_bin" --coredns "$coredns" --boom-server "$boom_bin"

if $with_upstream; then
  python3 "$here/images.py" --out "$out" --only upstream --coredns "$coredns" --kube-proxy "$bin/kube-proxy"
fi

if $with_netplane; then
  flock -u 8
  "$here/netplane.sh"
fi
