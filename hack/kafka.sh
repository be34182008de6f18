#!/usr/bin/env bash
# Runs a real single-node Apache Kafka broker (KRaft) as a local process on 127.0.0.1:9092 (NETPLANE_KAFKA_HOST and
# NETPLANE_KAFKA_PORT choose another address; hack/cluster.sh puts it on the nodes' bridge), with its
# data outside the source tree, and stops it. The broker is the same code the tests run in-JVM
# (platform-testing's KafkaBroker), started from the official org.apache.kafka artifacts.
#   hack/kafka.sh prepare|start|stop|status    (prepare: only build the launcher)
set -euo pipefail
cd "$(dirname "$0")/.."
state="${NETPLANE_STATE:-$HOME/.local/state/netplane}/kafka"
mkdir -p "$state"
port="${NETPLANE_KAFKA_PORT:-$(cat "$state/port" 2>/dev/null || echo 9092)}"
host="${NETPLANE_KAFKA_HOST:-127.0.0.1}"
pidfile="$state/broker.pid"

running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

prepare() {
  if [ ! -f platform-testing/target/classpath.txt ] || [ ! -f platform-testing/target/platform-testing-*.jar ]; then
    echo "building platform-testing (the broker launcher)..."
    ./mvnw -B -q -pl platform-bom,platform-api,platform-testing -am install -DskipTests
    ./mvnw -B -q -pl platform-testing dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
  fi
}

case "${1:-}" in
  prepare)
    # the broker launcher, built where Maven can reach its repositories (a caller about to start the broker
    # inside a network namespace runs this first, outside it)
    prepare
    ;;
  start)
    if running; then echo "Kafka already running (pid $(cat "$pidfile")) on $host:$port"; exit 0; fi
    prepare
    # NETPLANE_KAFKA_DATA_SIZE (e.g. 1g): the data directory is a tmpfs of that size, mounted once (hack/cluster.sh
    # down unmounts it), so the broker's disk can fill without filling the host's
    if [ -n "${NETPLANE_KAFKA_DATA_SIZE:-}" ] && ! mountpoint -q "$state/data"; then
      mkdir -p "$state/data"
      mount -t tmpfs -o "size=$NETPLANE_KAFKA_DATA_SIZE,mode=0700" netplane-kafka "$state/data"
    fi
    # a copy of the launcher: a build rewriting platform-testing's jar must not pull it from under a running broker
    cp "$(ls platform-testing/target/platform-testing-*.jar | head -1)" "$state/launcher.jar"
    cp="$state/launcher.jar:$(cat platform-testing/target/classpath.txt)"
    nohup java -Xmx512m -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$cp" io.netplane.testing.kafka.KafkaBroker "$port" "$state/data" "$host" >"$state/broker.log" 2>&1 &
    echo $! >"$pidfile"
    echo "$port" >"$state/port"
    for _ in $(seq 1 60); do
      if grep -q "listening on" "$state/broker.log"; then echo "Kafka running on $host:$port (pid $(cat "$pidfile")), log $state/broker.log"; exit 0; fi
      running || { echo "Kafka failed to start; log:"; tail -20 "$state/broker.log"; exit 1; }
      sleep 1
    done
    echo "Kafka did not report ready in 60 s; log $state/broker.log"; exit 1 ;;
  stop)
    if running; then kill "$(cat "$pidfile")"; echo "Kafka stopped"; else echo "Kafka not running"; fi
    rm -f "$pidfile" ;;
  status)
    if running; then echo "Kafka running (pid $(cat "$pidfile")) on $host:$port"; else echo "Kafka not running"; exit 1; fi ;;
  *) echo "usage: $0 prepare|start|stop|status" >&2; exit 2 ;;
esac
