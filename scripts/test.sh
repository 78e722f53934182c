#!/usr/bin/env bash
# From nothing to the full test suite: unit, golden, CLI, store, browser and notebook tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
.venv/bin/python -m pytest -q "$@"
