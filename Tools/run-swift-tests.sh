#!/usr/bin/env bash
# Runs the Swift test suites. Under umockdev-wrapper so discovery and hotplug tests can build
# fake udev devices in-process (docs/DEVELOPMENT.md); tests that need no udev ignore it.
set -euo pipefail
# Device tests fail (not skip) when umockdev is missing: `make test` must exercise them.
export ROLLSENSE_REQUIRE_UMOCKDEV=1
# The firmware end-to-end tests fail, rather than skip, when the simulated firmware is missing.
export ROLLSENSE_REQUIRE_FIRMWARE=1
# The terminal view test under tmux runs, rather than skips, under `make test`.
export ROLLSENSE_REQUIRE_TMUX=1
if command -v umockdev-wrapper >/dev/null; then
    exec umockdev-wrapper swift test --skip-build "$@"
fi
exec swift test --skip-build "$@"
