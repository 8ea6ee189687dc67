#!/usr/bin/env bash
# Sourced by scripts/test.sh: makes a real kube-apiserver (and etcd) available
# to the real-cluster test layer in plugins/kubernetes-security-backend.
#
# No binary package ships a kube-apiserver, so it is built from Debian's
# `kubernetes` source package (upstream v1.20.2, vendored dependencies, built
# offline with Debian's Go 1.19). The binary and Go's build cache live outside
# the repository, so only the first run on a machine pays for the build
# (about 8-9 minutes on 2 cores).
#
#   ensure_kube_apiserver   exports KUBERNETES_SECURITY_KUBE_APISERVER and
#                           KUBERNETES_SECURITY_ETCD, or, when the build is
#                           impossible, KUBERNETES_SECURITY_REAL_APISERVER_UNAVAILABLE
#                           with the reason (the tests then skip loudly).
#
# Executed directly (`bash kube-apiserver.sh --build CACHE_DIR REASON_FILE`)
# it runs the build itself under `set -e`; ensure_kube_apiserver does that in
# a child process so a failed build never stops the caller.

KUBE_APISERVER_DEBIAN_VERSION="1.20.5+really1.20.2-1.1+deb12u1"
KUBE_APISERVER_GIT_VERSION="v1.20.2"
# Bump when the build steps below change: cached binaries of another recipe
# are rebuilt.
KUBE_APISERVER_RECIPE=2
KUBE_APISERVER_BUILD_PACKAGES=(golang-1.19-go golang-github-modern-go-reflect2-dev)
KUBE_APISERVER_GO=/usr/lib/go-1.19/bin/go
KUBE_APISERVER_REFLECT2_SRC=/usr/share/gocode/src/github.com/modern-go/reflect2
KUBE_APISERVER_SCRIPT="${BASH_SOURCE[0]}"

kube_apiserver_cache_dir() {
  echo "${KUBERNETES_SECURITY_CACHE_DIR:-$HOME/.cache/kubernetes-security}"
}

kube_apiserver_install_dir() {
  echo "$1/kube-apiserver-$KUBE_APISERVER_GIT_VERSION-r$KUBE_APISERVER_RECIPE"
}

kube_apiserver_stamp_header() {
  echo "kubernetes=$KUBE_APISERVER_DEBIAN_VERSION recipe=$KUBE_APISERVER_RECIPE"
}

# A build counts as finished only when its stamp (written last) names this
# recipe and the binary's checksum, and the binary reports the right version:
# an interrupted build leaves no stamp or a binary that does not match it.
kube_apiserver_is_built() {
  local dir="$1"
  local stamp="$dir/build.stamp" binary="$dir/kube-apiserver"
  [[ -f "$stamp" && -x "$binary" ]] || return 1
  [[ "$(sed -n 1p "$stamp")" == "$(kube_apiserver_stamp_header)" ]] || return 1
  [[ "$(sed -n 's/^sha256=//p' "$stamp")" == "$(sha256sum "$binary" | cut -d' ' -f1)" ]] || return 1
  "$binary" --version 2>/dev/null | grep -qx "Kubernetes $KUBE_APISERVER_GIT_VERSION"
}

kube_apiserver_etcd_path() {
  command -v etcd 2>/dev/null || { [[ -x /usr/bin/etcd ]] && echo /usr/bin/etcd; }
}

kube_apiserver_warn_unavailable() {
  local reason="$1"
  {
    echo
    echo "################################################################################"
    echo "#  WARNING: no real kube-apiserver for the real-cluster test layer"
    echo "#  Reason: $reason"
    echo "#  The tests in plugins/kubernetes-security-backend/src/realCluster are SKIPPED:"
    echo "#  TLS, RBAC, pagination and metadata-only listing against a real API server"
    echo "#  are NOT verified in this run."
    echo "#  Build log (if any): $(kube_apiserver_cache_dir)/kube-apiserver-build.log"
    echo "################################################################################"
    echo
  } >&2
}

ensure_kube_apiserver() {
  local started=$SECONDS
  local cache dir log reason_file etcd
  cache="$(kube_apiserver_cache_dir)"
  dir="$(kube_apiserver_install_dir "$cache")"
  log="$cache/kube-apiserver-build.log"
  unset KUBERNETES_SECURITY_REAL_APISERVER_UNAVAILABLE

  if ! kube_apiserver_is_built "$dir" || [[ -z "$(kube_apiserver_etcd_path)" ]]; then
    if ! mkdir -p "$cache" 2>/dev/null; then
      export KUBERNETES_SECURITY_REAL_APISERVER_UNAVAILABLE="cannot create the cache directory $cache"
      kube_apiserver_warn_unavailable "$KUBERNETES_SECURITY_REAL_APISERVER_UNAVAILABLE"
      return 0
    fi
    echo "== kube-apiserver $KUBE_APISERVER_GIT_VERSION: preparing (first build takes about 9 minutes; log: $log)" >&2
    reason_file="$(mktemp)"
    # fd 3 carries progress lines to the console; everything else goes to the log.
    if ! bash "$KUBE_APISERVER_SCRIPT" --build "$cache" "$reason_file" 3>&2 >"$log" 2>&1; then
      local reason
      reason="$(cat "$reason_file" 2>/dev/null)"
      rm -f "$reason_file"
      echo "-- last lines of $log:" >&2
      tail -n 40 "$log" >&2
      export KUBERNETES_SECURITY_REAL_APISERVER_UNAVAILABLE="${reason:-the build failed (see $log)}"
      kube_apiserver_warn_unavailable "$KUBERNETES_SECURITY_REAL_APISERVER_UNAVAILABLE"
      return 0
    fi
    rm -f "$reason_file"
  fi

  etcd="$(kube_apiserver_etcd_path)"
  export KUBERNETES_SECURITY_KUBE_APISERVER="$dir/kube-apiserver"
  export KUBERNETES_SECURITY_ETCD="$etcd"
  echo "== kube-apiserver $KUBE_APISERVER_GIT_VERSION ready in $((SECONDS - started)) s: $KUBERNETES_SECURITY_KUBE_APISERVER (etcd: $etcd)" >&2
}

# ---- the build itself: runs in a child process under set -euo pipefail ----

kube_apiserver_progress() { echo "   kube-apiserver: $*" >&3; echo "== $*"; }

kube_apiserver_fail() {
  # The first, most specific reason wins over the generic ERR trap's.
  [[ -s "$KUBE_APISERVER_REASON_FILE" ]] || echo "$*" >"$KUBE_APISERVER_REASON_FILE"
  echo "FAILED: $*"
  exit 1
}

kube_apiserver_as_root() {
  if [[ "$(id -u)" == "0" ]]; then
    "$@"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo -n "$@"
  else
    kube_apiserver_fail "needs root (or passwordless sudo) to run: $*"
  fi
}

kube_apiserver_apt() {
  # Other jobs on the machine may hold the dpkg lock for a while.
  kube_apiserver_as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 "$@"
}

kube_apiserver_ensure_packages() {
  local missing=() package
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
  done
  [[ ${#missing[@]} == 0 ]] && return
  command -v apt-get >/dev/null || kube_apiserver_fail "apt-get is not available to install ${missing[*]}"
  kube_apiserver_progress "installing ${missing[*]} with apt-get"
  kube_apiserver_apt update -q || kube_apiserver_fail "apt-get update failed"
  kube_apiserver_apt install -y -q --no-install-recommends "${missing[@]}" ||
    kube_apiserver_fail "apt-get install ${missing[*]} failed"
}

# apt-get source needs deb-src entries. They are derived from the machine's
# own Debian source definition (same mirror, suites and keyring), so no host
# is ever written here.
kube_apiserver_ensure_source_list() {
  apt-cache showsrc kubernetes >/dev/null 2>&1 && return
  local deb822=/etc/apt/sources.list.d/debian.sources
  if [[ -f "$deb822" ]] && grep -q '^Types: deb$' "$deb822"; then
    sed 's/^Types: deb$/Types: deb-src/' "$deb822" |
      kube_apiserver_as_root tee /etc/apt/sources.list.d/kubernetes-security-src.sources >/dev/null
  elif [[ -f /etc/apt/sources.list ]] && grep -q '^deb ' /etc/apt/sources.list; then
    sed -n 's/^deb /deb-src /p' /etc/apt/sources.list |
      kube_apiserver_as_root tee /etc/apt/sources.list.d/kubernetes-security-src.list >/dev/null
  else
    kube_apiserver_fail "no Debian apt source definition to derive deb-src entries from"
  fi
  kube_apiserver_progress "added deb-src entries derived from the machine's apt sources"
  kube_apiserver_apt update -q || kube_apiserver_fail "apt-get update (with deb-src) failed"
  apt-cache showsrc kubernetes >/dev/null 2>&1 || kube_apiserver_fail "Debian's kubernetes source package is not available from apt"
}

kube_apiserver_download_source() {
  local src_dir="$1"
  mkdir -p "$src_dir"
  kube_apiserver_progress "downloading the kubernetes=$KUBE_APISERVER_DEBIAN_VERSION source package"
  # apt verifies the files against the signed index; already downloaded files are reused.
  (cd "$src_dir" && apt-get source --download-only "kubernetes=$KUBE_APISERVER_DEBIAN_VERSION") ||
    kube_apiserver_fail "apt-get source kubernetes=$KUBE_APISERVER_DEBIAN_VERSION failed"
}

# The generated OpenAPI definitions are not in the source tarball; they come
# from openapi-gen over every package that carries an openapi-gen tag, as
# upstream's Makefile does.
kube_apiserver_generate_openapi() {
  local tree="$1" work="$2"
  kube_apiserver_progress "generating OpenAPI definitions"
  go build -o "$work/openapi-gen" k8s.io/kubernetes/vendor/k8s.io/kube-openapi/cmd/openapi-gen
  local inputs
  # -R: vendor/k8s.io/* are symlinks into staging/, which -r would not follow.
  inputs="$(cd "$tree" &&
    grep -Rl --include='*.go' -e '+k8s:openapi-gen=' pkg cmd plugin vendor/k8s.io |
    grep -v -e '/code-generator/' -e '/sample-apiserver/' -e '/testdata/' |
      sed 's|/[^/]*$||' | sort -u | sed 's|^|k8s.io/kubernetes/|' | paste -sd,)"
  [[ -n "$inputs" ]] || kube_apiserver_fail "found no packages tagged for openapi-gen"
  (cd "$tree" && "$work/openapi-gen" -i "$inputs" \
    -p k8s.io/kubernetes/pkg/generated/openapi -O zz_generated.openapi \
    -h vendor/k8s.io/code-generator/hack/boilerplate.go.txt -r "$work/openapi-violations.txt")
  local generated="$tree/pkg/generated/openapi/zz_generated.openapi.go" model
  [[ -f "$generated" ]] || kube_apiserver_fail "openapi-gen did not write pkg/generated/openapi/zz_generated.openapi.go"
  # The apiserver refuses to start without these models; catch that here.
  for model in k8s.io/api/core/v1.Pod k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1.CustomResourceDefinition \
    k8s.io/kube-aggregator/pkg/apis/apiregistration/v1.APIService; do
    grep -q "\"$model\"" "$generated" || kube_apiserver_fail "openapi-gen left out $model"
  done
}

kube_apiserver_build() {
  local cache="$1"
  local dir work tree started=$SECONDS
  dir="$(kube_apiserver_install_dir "$cache")"
  work="$cache/kube-apiserver-build"

  kube_apiserver_ensure_packages etcd-server
  if kube_apiserver_is_built "$dir"; then
    return
  fi
  kube_apiserver_ensure_packages "${KUBE_APISERVER_BUILD_PACKAGES[@]}"
  [[ -x "$KUBE_APISERVER_GO" ]] || kube_apiserver_fail "$KUBE_APISERVER_GO is missing after installing golang-1.19-go"
  kube_apiserver_ensure_source_list
  kube_apiserver_download_source "$cache/sources"

  local tarball="$cache/sources/kubernetes_${KUBE_APISERVER_DEBIAN_VERSION%%-*}.orig.tar.gz"
  [[ -f "$tarball" ]] || kube_apiserver_fail "apt-get source did not produce $tarball"

  # Always unpack afresh: a tree left by an interrupted build is never reused.
  rm -rf "$work"
  tree="$work/gopath/src/k8s.io/kubernetes"
  mkdir -p "$tree"
  kube_apiserver_progress "unpacking $(basename "$tarball")"
  tar -xzf "$tarball" -C "$tree" --strip-components=1
  [[ -d "$tree/cmd/kube-apiserver" && -d "$tree/vendor" ]] || kube_apiserver_fail "unexpected layout in $tarball"

  # The vendored reflect2 v1.0.1 relies on Go runtime internals that changed:
  # built with Go 1.19 it crashes the apiserver on its first JSON list of
  # pods. Debian's packaged v1.0.2 is the fixed, API-compatible release.
  rm -rf "$tree/vendor/github.com/modern-go/reflect2"
  cp -r "$KUBE_APISERVER_REFLECT2_SRC" "$tree/vendor/github.com/modern-go/"

  # GOPATH mode with the vendored tree: `-mod=vendor` rejects this go.mod.
  export PATH="$(dirname "$KUBE_APISERVER_GO"):$PATH"
  export GOPATH="$work/gopath" GOCACHE="$cache/gocache" GO111MODULE=off GOPROXY=off GOFLAGS= CGO_ENABLED=0
  cd "$tree"
  kube_apiserver_generate_openapi "$tree" "$work"

  kube_apiserver_progress "compiling kube-apiserver with $(go version | awk '{print $3}') (several minutes on a cold Go cache)"
  local ldflags="-s -w" version_pkg
  # client-go's version is what the aggregator serves on /version.
  for version_pkg in k8s.io/kubernetes/vendor/k8s.io/component-base/version k8s.io/kubernetes/vendor/k8s.io/client-go/pkg/version; do
    ldflags+=" -X $version_pkg.gitVersion=$KUBE_APISERVER_GIT_VERSION -X $version_pkg.gitMajor=1 -X $version_pkg.gitMinor=20"
    ldflags+=" -X $version_pkg.gitTreeState=clean"
  done
  go build -o "$work/kube-apiserver" -ldflags "$ldflags" k8s.io/kubernetes/cmd/kube-apiserver

  # Install: binary first, stamp last, so only a complete install is ever found.
  mkdir -p "$dir"
  rm -f "$dir/build.stamp"
  mv "$work/kube-apiserver" "$dir/kube-apiserver"
  {
    kube_apiserver_stamp_header
    echo "sha256=$(sha256sum "$dir/kube-apiserver" | cut -d' ' -f1)"
    echo "go=$(go version | awk '{print $3}')"
    echo "built=$(date -u +%Y-%m-%dT%H:%M:%SZ) seconds=$((SECONDS - started))"
  } >"$dir/build.stamp.tmp"
  mv "$dir/build.stamp.tmp" "$dir/build.stamp"
  cd "$cache"
  rm -rf "$work"
  # Binaries of other versions or recipes are never used again.
  find "$cache" -maxdepth 1 -name 'kube-apiserver-v*-r*' ! -path "$dir" -exec rm -rf {} +
  kube_apiserver_is_built "$dir" || kube_apiserver_fail "the built kube-apiserver does not report $KUBE_APISERVER_GIT_VERSION"
  kube_apiserver_progress "built in $((SECONDS - started)) s"
}

if [[ "${BASH_SOURCE[0]}" == "$0" && "${1:-}" == "--build" ]]; then
  set -Eeuo pipefail
  KUBE_APISERVER_REASON_FILE="${3:?usage: kube-apiserver.sh --build CACHE_DIR REASON_FILE}"
  trap 'kube_apiserver_fail "build step failed (exit $?) at line $LINENO: $BASH_COMMAND"' ERR
  { true >&3; } 2>/dev/null || exec 3>/dev/null
  mkdir -p "$2"
  # Two runs on one machine must not build into the same directories at once.
  exec 9>"$2/kube-apiserver-build.lock"
  flock 9
  kube_apiserver_build "$2"
fi
