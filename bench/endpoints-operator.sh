#!/usr/bin/env bash
# Benchmark of the endpoints operator: the real slice planner and the real Kafka publishing path (in-JVM KRaft
# broker on loopback), with the API server simulated in memory. Prints its figures.
#   bench/endpoints-operator.sh [services] [podsPerService] [rollPods] [latencySamples]
# Defaults are the issue's sizes: 10000 Services x 10 Pods, a 1000-Pod roll, 500 latency samples.
#   BENCH_API=1 bench/endpoints-operator.sh ...   also measures end to end through a real kube-apiserver + etcd
#   (hack/control-plane/build.sh binaries) and the packaged operator as a process: BENCH_API_PODS (100) Pods,
#   BENCH_API_SAMPLES (200) readiness flips -> EndpointSliceView consumed from Kafka.
set -euo pipefail
cd "$(dirname "$0")/.."
SERVICES=${1:-10000}
PODS=${2:-10}
ROLL=${3:-1000}
SAMPLES=${4:-500}
./mvnw -q -B -pl endpoints-operator test-compile
CP_FILE=endpoints-operator/target/bench.classpath
./mvnw -q -B -pl endpoints-operator dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$(pwd)/$CP_FILE" >/dev/null
CP="endpoints-operator/target/classes:endpoints-operator/target/test-classes:$(cat "$CP_FILE")"
if [[ "${BENCH_API:-0}" == "1" ]]; then
  ./mvnw -q -B -pl endpoints-operator package -DskipTests
  (cd endpoints-operator && timeout 600 java -Xmx1g -cp "${CP//endpoints-operator\//}" \
    -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
    io.netplane.endpoints.bench.ApiLatencyBench "${BENCH_API_PODS:-100}" "${BENCH_API_SAMPLES:-200}") \
    | grep -E '^\[api\]|timed out'
fi
exec timeout 900 java -Xmx${BENCH_HEAP:-2g} -cp "$CP" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -Dlog4j2.level=WARN \
  io.netplane.endpoints.bench.SliceBench "$SERVICES" "$PODS" "$ROLL" "$SAMPLES"
