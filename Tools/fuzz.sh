#!/usr/bin/env bash
# Builds the libFuzzer targets in Fuzz/ and runs each for FUZZ_SECONDS (default 60) from its seed
# corpus. A crash fails the run and leaves its input in bench-out/fuzz/.
set -euo pipefail
cd "$(dirname "$0")/.."
for script in Tools/fuzz/*.sh; do
    [ -e "$script" ] || continue
    bash "$script"
done
