#!/usr/bin/env bash
# Install kg (once) and build the bundled example: outputs/russia-hamas-hostages.{ttl,html}.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-venv.sh run
echo "kg: building the graph and the view of examples/russia-hamas-hostages.txt into outputs/"
.venv/bin/kg build examples/russia-hamas-hostages.txt -o outputs
