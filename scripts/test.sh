#!/usr/bin/env bash
# Runs every test: type check, unit and integration tests (SQLite and a
# throwaway PostgreSQL), then the browser test against the running demo in
# Debian's Chromium. Bootstraps Node 22, Yarn 4 and dependencies when missing.
#
#   scripts/test.sh            everything
#   scripts/test.sh --no-e2e   skip the browser test
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh
source scripts/lib/postgres.sh

run_e2e=true
[[ "${1:-}" == "--no-e2e" ]] && run_e2e=false

trap stop_throwaway_postgres EXIT
start_throwaway_postgres

echo "== type check" >&2
yarn tsc --noEmit

echo "== unit and integration tests" >&2
CI=true BACKSTAGE_TEST_DISABLE_DOCKER=1 yarn backstage-cli repo test --ci 2>&1 | tee .cache/jest.log
stop_throwaway_postgres

if [[ "$run_e2e" == "true" ]]; then
  echo "== browser test" >&2
  scripts/lib/ensure-chromium.sh
  yarn workspace app build >&2
  yarn workspace @internal/e2e test
fi
