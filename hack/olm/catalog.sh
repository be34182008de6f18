#!/usr/bin/env bash
# Writes Netplane's file-based catalog (FBC) for `opm serve` into DIR: every bundle of bundle/netplane/ as
# `opm render` makes it (its manifests inline as olm.bundle.object, so OLM installs it without unpacking a bundle
# image: no registry is needed), the package and the channel of hack/olm/csv.yaml with the `replaces` chain the
# CSVs declare; then `opm validate`s it.
#   hack/olm/catalog.sh DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=${1:?usage: $0 DIR}
bin=$("$here/build.sh" opm | tail -n 1)
package=$(sed -n 's/^package: *//p' "$here/csv.yaml")
channel=$(sed -n 's/^channel: *//p' "$here/csv.yaml")

rm -rf "$out" && mkdir -p "$out/$package"
catalog=$out/$package/catalog.yaml
{
  printf 'schema: olm.package\nname: %s\ndefaultChannel: %s\n' "$package" "$channel"
  printf -- '---\nschema: olm.channel\npackage: %s\nname: %s\nentries:\n' "$package" "$channel"
  for dir in "$repo"/bundle/"$package"/*/; do
    csv=$dir/manifests/$package.clusterserviceversion.yaml
    name=$(sed -n 's/^  name: *//p' "$csv" | head -n 1)
    replaces=$(sed -n 's/^  replaces: *//p' "$csv")
    printf '  - name: %s\n' "$name"
    [ -n "$replaces" ] && printf '    replaces: %s\n' "$replaces"
  done
  for dir in "$repo"/bundle/"$package"/*/; do
    echo "---"
    "$bin/opm" render "$dir" -o yaml
  done
} >"$catalog"
"$bin/opm" validate "$out"
echo "$out"
