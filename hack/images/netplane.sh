#!/usr/bin/env bash
# Builds Netplane's seven images ghcr.io/netplane/<module>:0.1.0 (the names k8s/ deploys) as OCI archives from
# the already-packaged modules (target/quarkus-app), with Jib (Maven profile "images", configured in
# platform-bom/pom.xml) on the JRE base images hack/images/build.sh makes from Debian's packages.
# Archives: ${NETPLANE_CACHE:-~/.cache/netplane}/images/netplane/<module>-0.1.0.tar (copied from each module's
# target/jib-image.tar). stdout: one "<image name> <archive>" line per image.
# Usage: netplane.sh [--package]   (--package: package the modules first, tests skipped: `./mvnw -Pimages package`)
# The same images come out of `./mvnw -B -Pimages -DskipTests package` (the profile binds jib:buildTar to
# package); this script only runs the image goal, so it takes seconds when the modules are packaged.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=${NETPLANE_CACHE:-$HOME/.cache/netplane}/images
modules="endpoints-operator ipam-service dns-service ingress-operator policy-operator node-proxy install-operator"
tag=0.1.0
log() { echo "[images netplane] $*" >&2; }

package=false
for arg in "$@"; do
  case $arg in
    --package) package=true ;;
    *) echo "usage: $0 [--package]" >&2; exit 2 ;;
  esac
done

# the bases (about a second when cached)
mkdir -p "$out"
(exec 8>"$out/.lock"; flock 8; python3 "$here/images.py" --out "$out" --only jre >/dev/null)

cd "$repo"
pl=$(tr ' ' ',' <<<"$modules")
mvn=(./mvnw -B -q -Pimages "-Dnetplane.images.dir=$out")
# offline once Jib and its extension are in the local repository (no snapshot or update checks)
[ -d "$HOME/.m2/repository/com/google/cloud/tools/jib-layer-filter-extension-maven" ] && mvn+=(-o)
start=$(date +%s)
if $package; then
  log "packaging $modules (tests skipped) and building their images"
  "${mvn[@]}" -DskipTests -pl "$pl" -am package
else
  for m in $modules; do
    [ -f "$m/target/quarkus-app/quarkus-run.jar" ] ||
      { log "$m is not packaged: run $0 --package (or ./mvnw -B -DskipTests -pl $m -am package)"; exit 1; }
  done
  # the Maven build already made the image when the base archive was there (the profile turns itself on)
  stale=()
  for m in $modules; do
    [ "$m/target/jib-image.tar" -nt "$m/target/quarkus-app/quarkus-run.jar" ] || stale+=("$m")
  done
  if [ ${#stale[@]} -gt 0 ]; then
    "${mvn[@]}" -pl "$(IFS=,; echo "${stale[*]}")" com.google.cloud.tools:jib-maven-plugin:buildTar
  fi
fi
mkdir -p "$out/netplane"
for m in $modules; do
  cp -f "$m/target/jib-image.tar" "$out/netplane/$m-$tag.tar.tmp"
  mv -f "$out/netplane/$m-$tag.tar.tmp" "$out/netplane/$m-$tag.tar"
  log "ghcr.io/netplane/$m:$tag $(du -m "$out/netplane/$m-$tag.tar" | cut -f1) MB"
  echo "ghcr.io/netplane/$m:$tag $out/netplane/$m-$tag.tar"
done
log "six images in $(($(date +%s) - start))s"
