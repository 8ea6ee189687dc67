#!/usr/bin/env bash
# Starts the demo: two simulated clusters (prod on :6551, staging on :6552),
# the demo image registry on :6560, the backend on http://localhost:7007 and
# the app on http://localhost:3000.
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

# The demo registry on :6560 serves the example workloads' images, signed in a
# fake sigstore world. The backend reads that world's trusted root and the
# platform key at start-up, so wait until the registry has written them.
registry_dir="$REPO_ROOT/.cache/demo-registry"
mkdir -p "$registry_dir"
rm -f "$registry_dir/trusted_root.json" "$registry_dir/cosign.pub"
(cd packages/simulated-cluster && exec node --require @backstage/cli/config/nodeTransform.cjs src/registry/bin.ts 6560 "$registry_dir") &
registry_pid=$!
pids+=("$registry_pid")
for _ in $(seq 1 240); do
  [[ -s "$registry_dir/cosign.pub" ]] && break
  kill -0 "$registry_pid" 2>/dev/null || { echo "The demo registry did not start (is port 6560 free?)" >&2; exit 1; }
  sleep 0.5
done
[[ -s "$registry_dir/cosign.pub" ]] || { echo "The demo registry did not start within 2 minutes" >&2; exit 1; }

mkdir -p .cache/demo-db
yarn start
