#!/usr/bin/env bash
# The image-signature integration test pushes to a real OCI registry: Debian's
# docker-registry (CNCF distribution 2.8), which has no referrers API, so the
# tag-schema fallback is exercised against a registry we did not write.
set -euo pipefail
if command -v docker-registry >/dev/null 2>&1; then
  exit 0
fi
if [[ "$(id -u)" != "0" ]]; then
  echo "docker-registry is missing: install Debian's docker-registry package (apt-get install docker-registry)" >&2
  exit 1
fi
echo "Installing Debian's docker-registry package" >&2
apt-get update -qq >&2
# The package's service must not start here: the test runs its own instance.
DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -qq --no-install-recommends docker-registry >&2
