#!/usr/bin/env bash
# Runs every benchmark script in Tools/bench/ in name order. Each prints its figures beside a
# baseline run in the same command, as a ratio; results also land in bench-out/.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench-out
status=0
for script in Tools/bench/*.sh; do
    [ -e "$script" ] || continue
    echo "== $(basename "$script" .sh)"
    bash "$script" || { echo "bench: $script failed" >&2; status=1; }
done
exit $status
