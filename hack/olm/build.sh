#!/usr/bin/env bash
# Builds OLM (the `olm` and `catalog` binaries of operator-lifecycle-manager), `opm` (operator-registry) and
# Netplane's bundle validator (validate/, on operator-framework/api) from their published Go modules into a cache
# outside the source tree, and copies OLM's own CRDs next to them. The wrapper modules olm/, opm/ and validate/
# here pin every dependency (go.mod/go.sum), so a build is reproducible; each binary is rebuilt only when its
# wrapper module changed. Prints progress on stderr and the bin directory as the last line on stdout.
#
#   hack/olm/build.sh [olm] [opm] [validate]    # default: all three (olm includes catalog and OLM's CRDs)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck disable=SC1091 # versions.env sits next to this script
. "$here/versions.env"

root=${NETPLANE_CACHE:-$HOME/.cache/netplane}/olm/olm-${OLM_VERSION}_opm-${OPM_VERSION}
bin=$root/bin
olm_module=github.com/operator-framework/operator-lifecycle-manager
opm_module=github.com/operator-framework/operator-registry

log() { echo "[olm build] $*" >&2; }

# wrapper_files NAME: the files of hack/olm/NAME that a build of NAME depends on
wrapper_files() {
  case $1 in
    validate) echo go.mod go.sum main.go ;;
    *) echo go.mod go.sum ;;
  esac
}

# current NAME BINARY...: the binaries exist and were built from the wrapper module as it is checked in now
current() {
  local name=$1 f b
  shift
  for f in $(wrapper_files "$name"); do cmp -s "$here/$name/$f" "$root/src/$name/$f" || return 1; done
  for b in "$@"; do [ -x "$bin/$b" ] || return 1; done
}

targets=${*:-olm opm validate}
for t in $targets; do
  case $t in olm | opm | validate) ;; *) echo "usage: $0 [olm] [opm] [validate]" >&2; exit 2 ;; esac
done
wanted() { [[ " $targets " == *" $1 "* ]]; }

complete() {
  if wanted olm; then current olm olm catalog && [ -n "$(ls "$root/crds" 2>/dev/null)" ] || return 1; fi
  if wanted opm; then current opm opm || return 1; fi
  if wanted validate; then current validate validate || return 1; fi
}

if complete; then
  echo "$bin"
  exit 0
fi

mkdir -p "$root" "$bin"
exec 9>"$root/.lock"
flock 9
if complete; then # built by a concurrent run while we waited
  echo "$bin"
  exit 0
fi

# -mod=readonly: the checked-in go.sum must already hold every module, so nothing is resolved anew at build time
export CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-mod=readonly
# the tags upstream's release builds use: sqlite's JSON functions, and container image signatures without gpgme
tags=json1,containers_image_openpgp
# no build ID: the same wrapper module gives the same bytes whatever the cache directory
ldflags="-s -w -buildid="
start=$(date +%s)

# build NAME LDFLAGS PACKAGE...: builds PACKAGE... of a copy of the wrapper module into bin/. The copy takes the
# place of src/NAME (what current() compares with) only after a successful build, so a failed one is redone.
build() {
  local name=$1 ldflags=$2 f tmp
  shift 2
  tmp=$root/src/$name.tmp
  rm -rf "$tmp" && mkdir -p "$tmp" "$root/bin.tmp"
  for f in $(wrapper_files "$name"); do cp "$here/$name/$f" "$tmp/"; done
  (cd "$tmp" && go build -trimpath -tags "$tags" -ldflags "$ldflags" -o "$root/bin.tmp/" "$@")
  mv "$root"/bin.tmp/* "$bin/"
  rm -rf "$root/src/$name" && mv "$tmp" "$root/src/$name"
}

if wanted olm && ! current olm olm catalog; then
  log "building olm and catalog $OLM_VERSION (a few minutes on a cold cache)"
  build olm "$ldflags -X $olm_module/pkg/version.OLMVersion=$OLM_VERSION" "$olm_module/cmd/olm" "$olm_module/cmd/catalog"
fi
if wanted opm && ! current opm opm; then
  log "building opm $OPM_VERSION"
  build opm "$ldflags -X $opm_module/cmd/opm/version.opmVersion=$OPM_VERSION" "$opm_module/cmd/opm"
fi
if wanted validate && ! current validate validate; then
  log "building the bundle validator"
  build validate "$ldflags" .
  [ -x "$bin/validate" ] || { log "validate not built"; exit 1; }
fi
if wanted olm && [ -z "$(ls "$root/crds" 2>/dev/null)" ]; then
  # OLM's own CRDs (CatalogSource, ClusterServiceVersion, Subscription, ...), for installing OLM on a cluster
  crds=$(cd "$root/src/olm" && go list -m -f '{{.Dir}}' "$olm_module")/deploy/chart/crds
  rm -rf "$root/crds.tmp" && mkdir -p "$root/crds.tmp"
  cp "$crds"/*.yaml "$root/crds.tmp/" && chmod u+w "$root"/crds.tmp/*
  mv "$root/crds.tmp" "$root/crds"
fi
rm -rf "$root/bin.tmp"
wanted olm && log "$("$bin/olm" --version 2>&1 | head -1)"
wanted opm && log "opm $("$bin/opm" version 2>&1 | sed -n 's/.*OpmVersion:"\([^"]*\)".*/\1/p')"
log "binaries in $bin (built in $(($(date +%s) - start))s)"
echo "$bin"
