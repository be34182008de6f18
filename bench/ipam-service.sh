#!/usr/bin/env bash
# Benchmark of ipam-service: allocations/s (bare range, Service admission through the authority with the memory
# store and with the Kubernetes store against a real kube-apiserver on loopback), single-threaded and concurrent;
# memory of a full /12 IPv4 and /108 IPv6 range; time to repair 10k allocations. Prints its figures.
#   bench/ipam-service.sh [allocations] [threads] [repairSize] [apiServerAllocations]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-200000}
THREADS=${2:-4}
REPAIR=${3:-10000}
KUBE=${4:-500}
./mvnw -q -B -pl ipam-service test-compile
CP_FILE=ipam-service/target/bench.classpath
./mvnw -q -B -pl ipam-service dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$(pwd)/$CP_FILE" >/dev/null
CP="ipam-service/target/classes:ipam-service/target/test-classes:$(cat "$CP_FILE")"
exec timeout 900 java -Xmx${BENCH_HEAP:-1g} -cp "$CP" \
  -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  io.netplane.ipam.bench.IpamBench "$N" "$THREADS" "$REPAIR" "$KUBE"
