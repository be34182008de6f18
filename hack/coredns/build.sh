#!/usr/bin/env bash
# Builds CoreDNS (its default plugin set, `kubernetes` and `cache` among them) from its published Go module into
# ${NETPLANE_CACHE:-~/.cache/netplane}/coredns/<version>/coredns. The peer of dns-service: the upstream stack of
# hack/e2e.sh runs it as the cluster DNS, bench/dns-service.sh measures against it. Cached: later runs return at
# once. Progress on stderr; the binary's path as the last line on stdout.
set -euo pipefail
COREDNS_VERSION=${COREDNS_VERSION:-v1.15.0}
out=${NETPLANE_CACHE:-$HOME/.cache/netplane}/coredns/$COREDNS_VERSION
if [ -x "$out/coredns" ]; then echo "$out/coredns"; exit 0; fi
mkdir -p "$out"
exec 9>"$out/.lock"
flock 9
if [ -x "$out/coredns" ]; then echo "$out/coredns"; exit 0; fi
export CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-mod=mod PATH="$PATH:/usr/local/go/bin"
start=$(date +%s)
echo "[coredns build] go install github.com/coredns/coredns@$COREDNS_VERSION (a few minutes cold)" >&2
GOBIN="$out.tmp" nice go install -trimpath -ldflags "-s -w" "github.com/coredns/coredns@$COREDNS_VERSION" >&2
mv "$out.tmp/coredns" "$out/coredns" && rmdir "$out.tmp"
echo "[coredns build] $out/coredns in $(($(date +%s) - start))s" >&2
echo "$out/coredns"
