#!/usr/bin/env bash
# Install kg with its test extras and chromium (once) and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-venv.sh test
echo "kg: running the test suite (pytest)"
.venv/bin/python -m pytest -q "$@"
