#!/usr/bin/env bash
# Policy operator benchmark: compile time and retained heap of the NetworkPolicy compiler, incremental Pod label
# change cost (ratio against the full compile of the same cluster, measured in the same run), and Pod label change
# -> updated address set received from a real in-JVM Kafka broker (loopback only).
#
# usage: bench/policy-operator.sh [small|medium|full|PODS POLICIES NAMESPACES]
#   small  : 10k Pods / 10k policies / 2.5k namespaces
#   full   : 10k/10k/2.5k, then 100k Pods / 75k policies / 25k namespaces
#   env HEAP (default 6g), CHANGES (default 1000), KAFKA_SAMPLES (default 200)
set -euo pipefail
cd "$(dirname "$0")/.."

./mvnw -B -q -pl platform-bom,platform-api,platform-runtime,platform-testing install -DskipTests
./mvnw -B -q -pl policy-operator test-compile
cp_file=policy-operator/target/bench.classpath
./mvnw -B -q -pl policy-operator org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
  -Dmdep.outputFile="$PWD/$cp_file" -Dmdep.includeScope=test >/dev/null
cp="policy-operator/target/classes:policy-operator/target/test-classes:$(cat "$cp_file")"

run() {
  timeout 1200 java -Xmx"${HEAP:-6g}" -XX:+UseParallelGC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp "$cp" io.netplane.policy.bench.PolicyBench "$1" "$2" "$3" "${CHANGES:-1000}" "${KAFKA_SAMPLES:-200}" 2>&1 \
    | grep -v -E '^\s*(at |SLF4J)|INFO|DEBUG|LogManager|JBossLoggerFinder' || true
}

case "${1:-full}" in
  small) run 10000 10000 2500 ;;
  full) run 10000 10000 2500; run 100000 75000 25000 ;;
  *) run "$1" "$2" "$3" ;;
esac
