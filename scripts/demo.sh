#!/usr/bin/env bash
# Starts the demo: two simulated clusters (prod on :6551, staging on :6552),
# the backend on http://localhost:7007 and the app on http://localhost:3000.
# Bootstraps Node 22, Yarn 4 and dependencies when missing. Ctrl-C stops all.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM

yarn workspace @internal/simulated-cluster start "$REPO_ROOT/examples/clusters/simulator.yaml" &
pids+=($!)

mkdir -p .cache/demo-db
yarn start
