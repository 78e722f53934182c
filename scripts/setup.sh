#!/usr/bin/env bash
# Make ./.venv with kg and everything it needs; idempotent. With "test", also the test tools and Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
if [ "${1:-}" = "test" ]; then
  .venv/bin/python -m pip install -q -e ".[test]"
  # The browser tests drive Debian's Chromium; install it when we may (CI runs as root).
  if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null 2>&1 \
      || echo "setup: chromium could not be installed; browser tests will be skipped" >&2
  fi
else
  .venv/bin/python -m pip install -q -e .
fi
