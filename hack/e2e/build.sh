#!/usr/bin/env bash
# Builds the upstream end-to-end test binary (e2e.test, k8s.io/kubernetes/test/e2e) and ginkgo at the control
# plane's Kubernetes version from the published Go modules, in the wrapper module hack/control-plane/build.sh
# makes, into ${NETPLANE_CACHE:-~/.cache/netplane}/control-plane/<versions>/e2e. Cached: later runs return at
# once. Progress on stderr; the directory as the last line on stdout.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=$("$here/../control-plane/build.sh" | tail -n 1)
root=$(dirname "$bin")
out=$root/e2e
log() { echo "[e2e build] $*" >&2; }
if [ -x "$out/e2e.test" ] && [ -x "$out/ginkgo" ]; then echo "$out"; exit 0; fi
exec 9>"$root/.e2e-lock"
flock 9
if [ -x "$out/e2e.test" ] && [ -x "$out/ginkgo" ]; then echo "$out"; exit 0; fi
export CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-mod=mod PATH="$PATH:/usr/local/go/bin"
# shellcheck disable=SC1091
. "$here/../control-plane/versions.env"
start=$(date +%s)
mkdir -p "$out.tmp"
cd "$root/src/kubernetes"
log "building e2e.test $K8S_VERSION (k8s.io/kubernetes/test/e2e; a while on a cold cache)"
go test -c -trimpath -ldflags "-s -w -X k8s.io/component-base/version.gitVersion=$K8S_VERSION" -o "$out.tmp/e2e.test" k8s.io/kubernetes/test/e2e
log "building ginkgo (the version k8s.io/kubernetes requires)"
go build -trimpath -o "$out.tmp/" github.com/onsi/ginkgo/v2/ginkgo
rm -rf "$out" && mv "$out.tmp" "$out"
log "e2e.test and ginkgo in $out (built in $(($(date +%s) - start))s)"
echo "$out"
