#!/usr/bin/env bash
# Validates every checked-in OLM bundle (bundle/<package>/<version>/) with operator-framework/api's validators
# (CSV, CRD, bundle, OperatorHub v2, good practices, deprecated/removed APIs, objects) and the check of which kinds
# a bundle may hold: hack/olm/validate, built by build.sh. Exits non-zero on any error or warning.
# Needs no cluster and no container runtime.
#
#   hack/olm/validate.sh [BUNDLE_DIR...]    # default: all of bundle/*/*/
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
bin=$("$here/build.sh" validate | tail -1)
if [ "$#" -eq 0 ]; then
  set -- "$repo"/bundle/*/*/
fi
# the removed-API check targets the newest Kubernetes the project runs on (hack/control-plane/versions.env)
# shellcheck disable=SC1091
. "$repo/hack/control-plane/versions.env"
k8s=${K8S_VERSION#v}
exec "$bin/validate" -warnings-fail -k8s-version "${k8s%.*}" "$@"
