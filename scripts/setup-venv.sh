#!/usr/bin/env bash
# Create .venv and install kg into it, once. Usage: setup-venv.sh [run|test]
#   run  (default): kg and what running it needs (the spaCy model included), as a regular install
#   test: kg as an editable install with the test and analysis extras, and Debian's chromium for
#         the browser tests (a test tool never downloads a browser)
# A later call with nothing changed installs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=${1:-run}
PYTHON=${PYTHON:-python3}
case "$MODE" in run|test) ;; *) echo "usage: $0 [run|test]" >&2; exit 2 ;; esac

editable() {  # kg imported from this checkout (an editable install), seen from outside it
  (cd / && "$OLDPWD/.venv/bin/python" -c "import kg, os, sys; sys.exit(0 if os.path.realpath(kg.__file__).startswith(os.path.realpath('$OLDPWD')) else 1)") 2>/dev/null
}
fingerprint() {  # what the install depends on: the project file, and for a regular install the code and data
  if [ "$MODE" = test ]; then cat pyproject.toml; else find pyproject.toml kg ontology -type f ! -name '*.pyc' | LC_ALL=C sort | xargs cat; fi \
    | "$PYTHON" -c "import hashlib, sys; print(hashlib.sha1(sys.stdin.buffer.read()).hexdigest())"
}

STAMP=.venv/.kg-setup-$MODE
if [ "$MODE" = test ] && [ ! -x /usr/bin/chromium ]; then
  echo "kg: installing Debian's chromium for the browser tests (once)"
  SUDO=""
  if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null \
    || { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null; }
fi
if [ -x .venv/bin/kg ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$(fingerprint)" ] \
    && { [ "$MODE" = run ] || editable; }; then
  exit 0  # installed before, nothing changed
fi
if [ "$MODE" = run ] && [ -x .venv/bin/kg ] && editable; then
  exit 0  # an editable install (from setup-venv.sh test) already runs this checkout's code
fi
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
if [ "$MODE" = test ]; then
  echo "kg: installing kg (editable) with its test and analysis extras into .venv"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[test,analysis]"
else
  echo "kg: installing kg and its runtime dependencies into .venv"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install --quiet --disable-pip-version-check .
fi
fingerprint > "$STAMP"
