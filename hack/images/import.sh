#!/usr/bin/env bash
# Imports image archives into a containerd's k8s.io namespace (the one the kubelet's CRI uses).
# Usage: import.sh <containerd-socket-address> [archive.tar...]
#   Without archives: every *.tar in ${NETPLANE_CACHE:-~/.cache/netplane}/images/ (and images/netplane/).
# NETPLANE_SNAPSHOTTER: the snapshotter to unpack into (ctr's default, overlayfs, unless set; use the one the
# kubelet's CRI uses). An image already present under its name with the same manifest digest is skipped, so re-imports are quick.
set -euo pipefail

[ $# -ge 1 ] || { echo "usage: $0 <containerd-socket-address> [archive.tar...]" >&2; exit 2; }
sock=$1; shift
cache=${NETPLANE_CACHE:-$HOME/.cache/netplane}/images
if [ $# -eq 0 ]; then
  shopt -s nullglob
  set -- "$cache"/*.tar "$cache"/netplane/*.tar
  [ $# -gt 0 ] || { echo "no archives in $cache (run hack/images/build.sh)" >&2; exit 1; }
fi
ctr=(ctr --address "$sock" -n k8s.io)

# name and manifest digest from an archive's index.json (ours, Jib's or docker save's), one per line
archive_images() {
  tar -xOf "$1" index.json | python3 -c '
import json, sys
for m in json.load(sys.stdin).get("manifests", []):
    a = m.get("annotations", {})
    name = a.get("io.containerd.image.name") or a.get("org.opencontainers.image.ref.name", "")
    print(name, m["digest"])'
}

present=$("${ctr[@]}" images ls 2>/dev/null | awk 'NR > 1 {print $1, $3}')
for archive in "$@"; do
  skip=true
  while read -r name digest; do
    grep -qxF "$name $digest" <<<"$present" || skip=false
  done < <(archive_images "$archive" 2>/dev/null || echo "? ?")
  if $skip; then
    echo "[images import] $(basename "$archive"): already present" >&2
    continue
  fi
  start=$(date +%s%N)
  "${ctr[@]}" images import ${NETPLANE_SNAPSHOTTER:+--snapshotter "$NETPLANE_SNAPSHOTTER"} "$archive" >/dev/null
  echo "[images import] $(basename "$archive"): imported in $((($(date +%s%N) - start) / 1000000)) ms" >&2
done
