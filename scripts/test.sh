#!/usr/bin/env bash
# Runs every test: type check, lint, unit and integration tests (SQLite and a
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
scripts/lib/ensure-docker-registry.sh

echo "== type check and lint" >&2
yarn tsc --noEmit
yarn backstage-cli repo lint >&2

source scripts/lib/kube-apiserver.sh && ensure_kube_apiserver
echo "== unit and integration tests" >&2
# Fuzz cases follow the code: the seed comes from the committed trees of
# plugins/ and packages/, so a clean clone of the same code always sees the
# same cases and each change of code explores new ones.
if [[ -z "${FUZZ_SEED:-}" ]]; then
  code=$(git rev-parse HEAD:plugins HEAD:packages 2>/dev/null | sha1sum)
  FUZZ_SEED=$(( 16#${code:0:7} ))
fi
export FUZZ_SEED
echo "fuzz seed: $FUZZ_SEED" >&2
mkdir -p .cache
set +e
CI=true BACKSTAGE_TEST_DISABLE_DOCKER=1 yarn backstage-cli repo test --ci 2>&1 | tee .cache/jest.log
jest_status=${PIPESTATUS[0]}
set -e
stop_throwaway_postgres
jest_passed=$(sed -n 's/^Tests:.* \([0-9]*\) passed.*/\1/p' .cache/jest.log | tail -1)
jest_failed=$(sed -n 's/^Tests:.* \([0-9]*\) failed.*/\1/p' .cache/jest.log | tail -1)
[[ "$jest_status" == "0" ]] || jest_failed=${jest_failed:-1}

e2e_passed=0
e2e_failed=0
if [[ "$run_e2e" == "true" ]]; then
  echo "== browser test" >&2
  scripts/lib/ensure-chromium.sh
  yarn workspace app build >&2
  set +e
  yarn workspace @internal/e2e test 2>&1 | tee .cache/e2e.log
  e2e_status=${PIPESTATUS[0]}
  set -e
  e2e_passed=$(sed -n 's/^e2e: \([0-9]*\) passed.*/\1/p' .cache/e2e.log | tail -1)
  e2e_failed=$(sed -n 's/^e2e: .* \([0-9]*\) failed.*/\1/p' .cache/e2e.log | tail -1)
  [[ "$e2e_status" == "0" ]] || e2e_failed=${e2e_failed:-1}
fi

echo "tests: $(( ${jest_passed:-0} + ${e2e_passed:-0} )) passed, $(( ${jest_failed:-0} + ${e2e_failed:-0} )) failed"
[[ $(( ${jest_failed:-0} + ${e2e_failed:-0} )) == 0 ]]
