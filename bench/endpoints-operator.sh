#!/usr/bin/env bash
# Benchmark of the endpoints operator: the real slice planner and the real Kafka publishing path (in-JVM KRaft
# broker on loopback), with the API server simulated in memory. Prints its figures.
#   bench/endpoints-operator.sh [services] [podsPerService] [rollPods] [latencySamples]
# Defaults are the issue's sizes: 10000 Services x 10 Pods, a 1000-Pod roll, 500 latency samples.
set -euo pipefail
cd "$(dirname "$0")/.."
SERVICES=${1:-10000}
PODS=${2:-10}
ROLL=${3:-1000}
SAMPLES=${4:-500}
./mvnw -o -q -B -pl endpoints-operator test-compile
CP_FILE=endpoints-operator/target/bench.classpath
./mvnw -o -q -B -pl endpoints-operator dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$(pwd)/$CP_FILE" >/dev/null
CP="endpoints-operator/target/classes:endpoints-operator/target/test-classes:$(cat "$CP_FILE")"
exec timeout 900 java -Xmx${BENCH_HEAP:-2g} -cp "$CP" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -Dlog4j2.level=WARN \
  io.netplane.endpoints.bench.SliceBench "$SERVICES" "$PODS" "$ROLL" "$SAMPLES"
