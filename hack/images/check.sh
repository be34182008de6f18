#!/usr/bin/env bash
# Checks that the image archives work: starts a throwaway containerd (its own root, state and socket under
# a temporary directory), imports the archives with import.sh and runs each image once with `ctr run --rm`
# (no network namespace setup beyond the container's own loopback-only one; the host's network is untouched).
# Everything it started or created is removed on exit.
# Usage: check.sh [--build]   (--build: run build.sh first; the Netplane images are checked when present)
# Needs root (containerd, runc).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${NETPLANE_CACHE:-$HOME/.cache/netplane}/images
log() { echo "[images check] $*" >&2; }

if [ "${1:-}" = --build ]; then "$here/build.sh" >/dev/null; fi
for f in pause-3.10.2 busybox-1.37.0-2 agnhost-2.66.1 jre-17 jre-netfilter-17; do
  [ -f "$cache/$f.tar" ] || { log "missing $cache/$f.tar (run hack/images/build.sh)"; exit 1; }
done

tmp=$(mktemp -d /tmp/netplane-images-check.XXXXXX)
sock=$tmp/containerd.sock
pid=
cleanup() {
  set +e
  if [ -n "$pid" ]; then
    # containers are --rm; stop any a failed run left behind, then the daemon
    for t in $(ctr --address "$sock" -n k8s.io tasks ls -q 2>/dev/null); do
      ctr --address "$sock" -n k8s.io tasks kill -s KILL "$t" >/dev/null 2>&1 || true
    done
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  # unmount whatever a killed container may have left mounted under the temporary root
  awk -v t="$tmp/" 'index($2, t) == 1 {print $2}' /proc/mounts | sort -r | while read -r m; do umount -l "$m"; done
  rm -rf "$tmp"
}
trap cleanup EXIT

cat >"$tmp/config.toml" <<EOF
version = 2
root = "$tmp/root"
state = "$tmp/state"
[grpc]
  address = "$sock"
[ttrpc]
  address = "$sock.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
[plugins."io.containerd.grpc.v1.cri"]
  restrict_oom_score_adj = true
  disable_cgroup = false
[plugins."io.containerd.grpc.v1.cri".cni]
  bin_dir = "$tmp/cni-bin"
  conf_dir = "$tmp/cni-conf"
EOF
containerd --config "$tmp/config.toml" >"$tmp/containerd.log" 2>&1 &
pid=$!
for _ in $(seq 100); do
  ctr --address "$sock" version >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { cat "$tmp/containerd.log" >&2; log "containerd did not start"; exit 1; }
  sleep 0.1
done

# overlayfs where the kernel and the file system allow it, else the native (copying) snapshotter
snapshotter=overlayfs
if ! ctr --address "$sock" plugins ls 2>/dev/null | awk '$2 == "overlayfs" {print $4}' | grep -qx ok; then
  snapshotter=native
fi
log "containerd $(containerd --version | awk '{print $3}') in $tmp, snapshotter $snapshotter"

archives=("$cache"/*.tar)
shopt -s nullglob
archives+=("$cache"/netplane/*.tar)
start=$(date +%s%N)
NETPLANE_SNAPSHOTTER=$snapshotter "$here/import.sh" "$sock" "${archives[@]}"
log "imported ${#archives[@]} archives in $((($(date +%s%N) - start) / 1000000)) ms"
start=$(date +%s%N)
NETPLANE_SNAPSHOTTER=$snapshotter "$here/import.sh" "$sock" "${archives[@]}" 2>/dev/null
log "re-import (all present) took $((($(date +%s%N) - start) / 1000000)) ms"

failures=0
n=0
# expect IMAGE PATTERN CMD...: runs CMD in IMAGE (entrypoint replaced when CMD is given) and greps its output
expect() {
  local image=$1 pattern=$2 out rc=0
  shift 2
  n=$((n + 1))
  out=$(timeout 120 ctr --address "$sock" -n k8s.io run --rm --snapshotter "$snapshotter" "$image" "check-$n" "$@" 2>&1) || rc=$?
  if [ $rc -eq 0 ] && grep -qE "$pattern" <<<"$out"; then
    log "ok   $image: $* -> $(grep -m1 -E "$pattern" <<<"$out")"
  else
    log "FAIL $image: $* (exit $rc)"
    sed 's/^/    /' <<<"$out" >&2
    failures=$((failures + 1))
  fi
}

expect registry.k8s.io/pause:3.10.2 'pause \(netplane\)' /pause --version
expect registry.k8s.io/e2e-test-images/busybox:1.37.0-2 '^ok$' sh -c 'echo ok'
expect registry.k8s.io/e2e-test-images/busybox:1.37.0-2 'nobody' sh -c 'id; cat /etc/passwd; ls -ld /tmp'
expect registry.k8s.io/e2e-test-images/agnhost:2.66.1 'serve-hostname' /agnhost --help
expect registry.k8s.io/e2e-test-images/agnhost:2.66.1 'group-defined-in-image' sh -c 'ls /agnhost-2 /uploads /localhost.crt && id user-defined-in-image'
# an agnhost server answering on its own loopback (the container's network namespace)
expect registry.k8s.io/e2e-test-images/agnhost:2.66.1 '.' sh -c \
  '/agnhost serve-hostname --port 9376 & for i in 1 2 3 4 5 6 7 8 9 10; do wget -qO- http://127.0.0.1:9376 2>/dev/null && exit 0; sleep 0.5; done; exit 1'
expect netplane.local/base/jre:17 'openjdk version "17' java -version
expect netplane.local/base/jre:17 'user.name = default' java -XshowSettings:properties -version
expect netplane.local/base/jre-netfilter:17 'nftables v1' nft --version
expect netplane.local/base/jre-netfilter:17 'conntrack v1' conntrack --version
expect netplane.local/base/jre-netfilter:17 'iproute2' ip -V

# Netplane's images: the image's own entrypoint (java on /deployments/quarkus-run.jar) until Quarkus logs
# that it started (or, with no Kafka or API server around, why it stopped), then SIGTERM.
boot() {
  local image=$1 id=boot-$2 out=$tmp/$2.log rc=0
  n=$((n + 1))
  ctr --address "$sock" -n k8s.io run --rm --snapshotter "$snapshotter" "$image" "$id" >"$out" 2>&1 &
  local runner=$!
  for _ in $(seq 80); do
    grep -qE 'started in| ERROR ' "$out" && break
    kill -0 $runner 2>/dev/null || break
    sleep 0.5
  done
  ctr --address "$sock" -n k8s.io tasks kill -s TERM "$id" >/dev/null 2>&1 || true
  for _ in $(seq 20); do kill -0 $runner 2>/dev/null || break; sleep 0.5; done
  ctr --address "$sock" -n k8s.io tasks kill -s KILL "$id" >/dev/null 2>&1 || true
  wait $runner || rc=$?
  if grep -qE '(io\.quarkus|Quarkus)' "$out" && grep -qE 'started in' "$out"; then
    log "ok   $image: $(grep -m1 -oE '[a-z-]+ [^ ]+ on JVM .*started in [0-9.]+s' "$out" || grep -m1 'started in' "$out")"
  elif grep -qE '(io\.quarkus|Quarkus)' "$out"; then
    log "ok   $image: Quarkus ran (exit $rc, did not finish starting without its peers): $(grep -m1 -E 'ERROR|Failed' "$out" | cut -c1-160)"
  else
    log "FAIL $image: no Quarkus output (exit $rc)"
    sed 's/^/    /' "$out" | tail -20 >&2
    failures=$((failures + 1))
  fi
}

for archive in "$cache"/netplane/*.tar; do
  module=$(basename "$archive" .tar)
  module=${module%-*}
  image=ghcr.io/netplane/$module:0.1.0
  expect "$image" 'openjdk version "17' java -version
  [ "$module" != node-proxy ] || expect "$image" 'nftables v1' nft --version
  boot "$image" "$module"
done

if [ $failures -gt 0 ]; then
  log "$failures of $n checks failed; containerd log: (kept below)"
  tail -20 "$tmp/containerd.log" >&2
  exit 1
fi
log "all $n checks passed"
