#!/usr/bin/env bash
# Set up and run the main job on the bundled example: outputs/russia-hamas-hostages.{ttl,html}.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-venv.sh
.venv/bin/kg build examples/russia-hamas-hostages.txt -o outputs
