# One node of the local cluster: a network namespace joined to the bridge, its own containerd and kubelet
# (sourced by hack/cluster.sh, which sets $state, $bin, $pki and the addresses of cluster.env).
#
# containerd and kubelet run with `nsenter --net` (not `ip netns exec`, whose private mount namespace would hide
# kubelet's volume mounts from containerd); everything they write lives under $state/nodes/<node>.

node_name() { echo "$NODE_PREFIX$1"; }
node_ip4() { echo "${HOST_IP4%.*}.1$1"; }
node_ip6() { echo "${HOST_IP6%::*}::1$1"; }
node_dir() { echo "$state/nodes/$(node_name "$1")"; }

# node_alive PIDFILE NAME: the pid in PIDFILE is alive and runs NAME
node_alive() {
  local pid
  pid=$(cat "$1" 2>/dev/null) || return 1
  [ -n "$pid" ] || return 1
  local cmdline # no pipe into grep -q (see control-plane/up.sh's running)
  cmdline=$( { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null) || return 1
  [[ "$cmdline" == *"$2"* ]]
}

# node_cgroups_create N / node_cgroups_remove N: the node's cgroupRoot in every cgroup v1 hierarchy
node_cgroups() {
  local h
  for h in /sys/fs/cgroup/*/; do
    [ "$(stat -f -c %T "$h")" = cgroupfs ] || [ "$(stat -f -c %T "$h")" = cgroup2fs ] || continue
    echo "${h%/}/$(node_name "$1")"
  done
}
node_cgroups_create() {
  local d
  for d in $(node_cgroups "$1"); do
    mkdir -p "$d"
    case "$d" in
      /sys/fs/cgroup/cpuset/*)
        cat /sys/fs/cgroup/cpuset/cpuset.cpus >"$d/cpuset.cpus"
        cat /sys/fs/cgroup/cpuset/cpuset.mems >"$d/cpuset.mems" ;;
    esac
  done
}
node_cgroups_remove() {
  local d p
  for d in $(node_cgroups "$1"); do
    [ -d "$d" ] || continue
    # every process of the node's Pods still alive lives below its cgroupRoot
    find "$d" -name cgroup.procs -exec cat {} + 2>/dev/null | while read -r p; do kill -9 "$p" 2>/dev/null || true; done
  done
  sleep 0.5
  for d in $(node_cgroups "$1"); do
    [ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} + 2>/dev/null || true
  done
}

node_network_up() {
  local n=$1 name ns host_if
  name=$(node_name "$n")
  ns=$name
  host_if="np-veth$n"
  ip netns list | grep -qx "$ns\( .*\)\?" && return
  ip netns add "$ns"
  ip link add "$host_if" type veth peer name eth0 netns "$ns"
  ip link set "$host_if" master "$BRIDGE" up
  ip -n "$ns" link set lo up
  ip -n "$ns" addr add "$(node_ip4 "$n")/24" dev eth0
  ip -n "$ns" addr add "$(node_ip6 "$n")/64" dev eth0 nodad
  ip -n "$ns" link set eth0 up
  ip -n "$ns" route add default via "$HOST_IP4"
  ip -n "$ns" -6 route add default via "$HOST_IP6"
  ip netns exec "$ns" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 \
    net.bridge.bridge-nf-call-iptables=1 net.bridge.bridge-nf-call-ip6tables=1
}

node_containerd_config() {
  local n=$1 dir
  dir=$(node_dir "$n")
  cat <<EOF
version = 2
root = "$dir/containerd/root"
state = "$dir/containerd/state"
disabled_plugins = ["io.containerd.internal.v1.opt", "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.tracing.processor.v1.otlp"]
[grpc]
  address = "$dir/containerd.sock"
[ttrpc]
  address = "$dir/containerd.ttrpc.sock"
[debug]
  address = ""
[metrics]
  address = ""
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "registry.k8s.io/pause:3.10.2"
  restrict_oom_score_adj = true
  netns_mounts_under_state_dir = true
  stream_server_address = "127.0.0.1"
  enable_unprivileged_ports = true
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$dir/cni"
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        Root = "$dir/runc"
        SystemdCgroup = false
EOF
}

node_kubelet_config() {
  local n=$1 dir name
  dir=$(node_dir "$n")
  name=$(node_name "$n")
  cat <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
# this machine has cgroup v1 hierarchies; containerd 1.6 cannot tell kubelet its cgroup driver
failCgroupV1: false
cgroupDriver: cgroupfs
cgroupRoot: /$name
containerRuntimeEndpoint: unix://$dir/containerd.sock
address: $(node_ip4 "$n")
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
tlsCertFile: $pki/$name-serving.crt
tlsPrivateKeyFile: $pki/$name-serving.key
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: false}
  x509: {clientCAFile: $pki/ca.crt}
authorization: {mode: AlwaysAllow}
clusterDomain: cluster.local
clusterDNS: [$DNS_IP4]
resolvConf: $state/resolv.conf
podLogsDir: $dir/pod-logs
failSwapOn: false
protectKernelDefaults: false
serializeImagePulls: false
evictionHard: {memory.available: 100Mi, nodefs.available: 1%, imagefs.available: 1%, nodefs.inodesFree: 1%}
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
maxPods: 60
syncFrequency: 10s
nodeStatusUpdateFrequency: 5s
EOF
}

node_up() {
  local n=$1 name dir ip4 ip6
  name=$(node_name "$n")
  dir=$(node_dir "$n")
  ip4=$(node_ip4 "$n")
  ip6=$(node_ip6 "$n")
  mkdir -p "$dir/cni" "$dir/pod-logs" "$dir/kubelet" "$dir/certs"
  node_network_up "$n"
  node_cgroups_create "$n"
  pki_issue "$name" "/O=system:nodes/CN=system:node:$name"
  pki_issue "$name-serving" "/CN=system:node:$name" "IP:$ip4,IP:$ip6,DNS:$name"
  pki_kubeconfig "$dir/kubelet.kubeconfig" "$HOST_IP4:$API_PORT" "$name"
  node_containerd_config "$n" >"$dir/containerd.toml"
  node_kubelet_config "$n" >"$dir/kubelet.yaml"
  if ! node_alive "$dir/containerd.pid" containerd; then
    setsid nsenter --net="/run/netns/$name" containerd --config "$dir/containerd.toml" \
      >>"$dir/containerd.log" 2>&1 </dev/null &
    echo $! >"$dir/containerd.pid"
    for _ in $(seq 60); do [ -S "$dir/containerd.sock" ] && break; sleep 0.5; done
    [ -S "$dir/containerd.sock" ] || { log "containerd of $name did not start; see $dir/containerd.log"; exit 1; }
    log "$name: containerd started (log $dir/containerd.log)"
  fi
}

# node_kubelet N: starts the node's kubelet (after its images are imported)
node_kubelet() {
  local n=$1 name dir
  name=$(node_name "$n")
  dir=$(node_dir "$n")
  node_alive "$dir/kubelet.pid" kubelet && return
  setsid nsenter --net="/run/netns/$name" "$bin/kubelet" --config "$dir/kubelet.yaml" \
    --kubeconfig "$dir/kubelet.kubeconfig" --root-dir "$dir/kubelet" --cert-dir "$dir/certs" \
    --hostname-override "$name" --node-ip "$(node_ip4 "$n"),$(node_ip6 "$n")" --v 1 \
    >>"$dir/kubelet.log" 2>&1 </dev/null &
  echo $! >"$dir/kubelet.pid"
  log "$name: kubelet started (log $dir/kubelet.log)"
}

# node_cni N POD_CIDRS: the node's CNI network (bridge + host-local on the Pod CIDRs ipam-service assigned)
node_cni() {
  local n=$1 cidrs=$2 dir ranges="" routes="" c
  dir=$(node_dir "$n")
  for c in ${cidrs//,/ }; do
    ranges="$ranges${ranges:+, }[{\"subnet\": \"$c\"}]"
    case "$c" in
      *:*) routes="$routes${routes:+, }{\"dst\": \"::/0\"}" ;;
      *) routes="$routes${routes:+, }{\"dst\": \"0.0.0.0/0\"}" ;;
    esac
  done
  cat >"$dir/cni/10-netplane.conflist.tmp" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "netplane",
  "plugins": [
    {
      "type": "bridge", "bridge": "cni0", "isGateway": true, "ipMasq": false, "hairpinMode": true,
      "ipam": {"type": "host-local", "dataDir": "$dir/cni-ipam", "ranges": [$ranges], "routes": [$routes]}
    },
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
EOF
  mv "$dir/cni/10-netplane.conflist.tmp" "$dir/cni/10-netplane.conflist"
}

# node_down N: stops the node and removes everything it made (processes, mounts, cgroups, namespace)
node_down() {
  local n=$1 name dir pid m
  name=$(node_name "$n")
  dir=$(node_dir "$n")
  for p in kubelet containerd; do
    if node_alive "$dir/$p.pid" "$p"; then
      pid=$(cat "$dir/$p.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$dir/$p.pid"
  done
  # the shims of this containerd, then every Pod process (all below the node's cgroupRoot)
  pkill -9 -f "containerd-shim-runc-v2 .*-address $dir/containerd.sock" 2>/dev/null || true
  node_cgroups_remove "$n"
  if [ -d "$dir" ]; then
    findmnt -rn -o TARGET | { grep "^$dir/" || true; } | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  fi
  find /var/log/containers -maxdepth 1 -lname "$dir/*" -delete 2>/dev/null || true
  ip netns list | grep -q "^$name\b" && ip netns del "$name"
  ip link del "np-veth$n" 2>/dev/null || true
  log "$name: stopped"
}
