#!/usr/bin/env bash
# Install kg with its test extras and chromium (once) and run the whole test suite:
# on two processes (pytest-xdist), then the tests marked `alone` (they time queries) by themselves.
# With arguments, runs `pytest -q ARGS` instead, on one process.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-venv.sh test
# The suite starts many Python processes (kg commands, workers): each reads kg's bytecode
# cached in __pycache__ (ignored by git) instead of compiling kg anew.
unset PYTHONDONTWRITEBYTECODE
if [ "$#" -gt 0 ]; then
  echo "kg: running pytest -q $*"
  exec .venv/bin/python -m pytest -q "$@"
fi
echo "kg: running the test suite (pytest on two processes, then the timed tests alone)"
status=0 alone=0
.venv/bin/python -m pytest -q -n 2 --dist loadscope -m "not alone" || status=$?
.venv/bin/python -m pytest -q -p no:xdist -m alone || alone=$?
if [ "$status" = 0 ] && [ "$alone" != 5 ]; then status=$alone; fi  # 5: no test is marked alone
exit "$status"
