#!/usr/bin/env bash
# Browser tests use Debian's Chromium: a test tool's own browser download
# cannot work here.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [[ "$(id -u)" != "0" ]]; then
  echo "Chromium is missing: install Debian's chromium package (apt-get install chromium)" >&2
  exit 1
fi
echo "Installing Debian's chromium package" >&2
apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
