#!/usr/bin/env bash
# node-proxy benchmark: full sync / one-Service change / ruleset size / RSS at N Services x M endpoints, and the
# data path through a ClusterIP vs straight to the backend, inside network namespaces (root, nft, ip, python3).
# Usage: bench/node-proxy.sh [services=10000] [endpoints=10] [seconds per data-path run=5]
set -euo pipefail
cd "$(dirname "$0")/.."
SERVICES=${1:-10000}
ENDPOINTS=${2:-10}
SECONDS_PER_RUN=${3:-5}
# One reactor build, no install: the sibling modules resolve to their target/classes, so a fresh checkout (or a
# local repository without maven-install-plugin, as right after a CI run) works offline. Every module writes the
# same output file; node-proxy is built last, so its classpath is the one left.
CP_FILE=$(mktemp)
./mvnw -o -q -pl node-proxy -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=test
CP="node-proxy/target/test-classes:node-proxy/target/classes:$(cat "$CP_FILE")"
rm -f "$CP_FILE"
timeout 900 java -Xmx2g -cp "$CP" io.netplane.proxy.bench.NodeProxyBench "$SERVICES" "$ENDPOINTS" "$SECONDS_PER_RUN"
