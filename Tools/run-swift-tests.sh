#!/usr/bin/env bash
# Runs the Swift test suites. Under umockdev-wrapper so discovery and hotplug tests can build
# fake udev devices in-process (docs/DEVELOPMENT.md); tests that need no udev ignore it.
# Arguments go to `swift test` (--filter, --skip); without any, the whole run.
set -euo pipefail
# Device tests fail (not skip) when umockdev is missing: `make test` must exercise them.
export ROLLSENSE_REQUIRE_UMOCKDEV=1
# The firmware end-to-end tests fail, rather than skip, when the simulated firmware is missing.
export ROLLSENSE_REQUIRE_FIRMWARE=1
# The terminal view test under tmux runs, rather than skips, under `make test`.
export ROLLSENSE_REQUIRE_TMUX=1
# Every process the tests start inherits this mark; Tools/check-leftovers.sh finds those left.
export ROLLSENSE_TEST_RUN="${ROLLSENSE_TEST_RUN:-$$-$RANDOM$RANDOM}"

# --ignore-lock: nothing is built here (--skip-build), and SwiftPM's build lock would make the
# two runs below wait for each other.
run() {
    if command -v umockdev-wrapper >/dev/null; then
        umockdev-wrapper swift test --skip-build --ignore-lock "$@"
    else
        swift test --skip-build --ignore-lock "$@"
    fi
}

if [ $# -gt 0 ]; then
    status=0
    run "$@" || status=$?
    Tools/check-leftovers.sh "$ROLLSENSE_TEST_RUN" || status=1
    exit "$status"
fi

# The whole run as two processes at once. Swift Testing runs tests on the cooperative pool, one
# thread per core, and most of these tests block a thread waiting on a simulator, a browser or
# a child process: on 2 cores the two long serialized suites, flash (real-time uploads, little
# CPU) and the live page (Chromium), ran after everything else instead of beside it, and the
# CPU stood half idle. Their output is printed after the rest's.
SEPARATE='FlashCommandTests|WebPageTests'
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
run --filter "$SEPARATE" >"$log" 2>&1 &
separate=$!
status=0
run --skip "$SEPARATE" || status=$?
separateStatus=0
wait "$separate" || separateStatus=$?
echo "---- $SEPARATE (run beside the rest) ----"
cat "$log"
if [ "$separateStatus" -ne 0 ]; then status=$separateStatus; fi
Tools/check-leftovers.sh "$ROLLSENSE_TEST_RUN" || status=1
exit "$status"
