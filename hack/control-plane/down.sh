#!/usr/bin/env bash
# Stops what up.sh started. Data and certificates stay; `down.sh --purge` deletes them too.
set -euo pipefail

state=${NETPLANE_STATE:-$HOME/.local/state/netplane}/control-plane
log() { echo "[control-plane down] $*" >&2; }

for name in kube-scheduler kube-controller-manager kube-apiserver etcd; do
  pid=$(cat "$state/$name.pid" 2>/dev/null) || continue
  rm -f "$state/$name.pid"
  # only signal the pid if it is still that program (pids get reused)
  tr "\\0" " " 2>/dev/null <"/proc/$pid/cmdline" | grep -q "/$name " || continue
  kill "$pid"
  for _ in $(seq 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid"; fi
  log "stopped $name (pid $pid)"
done

if [ "${1:-}" = --purge ]; then
  rm -rf "$state"
  log "removed $state"
fi
