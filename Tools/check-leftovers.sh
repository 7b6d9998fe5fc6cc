#!/usr/bin/env bash
# Lists, ends and fails on processes a test run left behind: every process whose environment holds
# ROLLSENSE_TEST_RUN=$1 (Tools/run-swift-tests.sh exports it, so each child, grandchild and
# browser zygote inherits it), other than this script and its parents. Tests must end what they start.
set -uo pipefail
marker="ROLLSENSE_TEST_RUN=$1"
left=()
for dir in /proc/[0-9]*; do
    pid=${dir#/proc/}
    [ "$pid" = "$$" ] && continue
    # Our own ancestors carry the marker too: the shell that ran the tests, make, CI.
    ancestor=0
    p=$$
    while [ "$p" -gt 1 ] 2>/dev/null; do
        [ "$p" = "$pid" ] && { ancestor=1; break; }
        p=$(awk '{print $4}' "/proc/$p/stat" 2>/dev/null) || break
    done
    [ "$ancestor" = 1 ] && continue
    if { tr "\0" "\n" < "$dir/environ"; } 2>/dev/null | grep -qx "$marker"; then
        left+=("$pid")
    fi
done
[ ${#left[@]} -eq 0 ] && { echo "check-leftovers: no process left by the tests"; exit 0; }
echo "check-leftovers: ${#left[@]} process(es) outlived the tests:" >&2
for pid in "${left[@]}"; do
    echo "  $pid $(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | cut -c1-160)" >&2
done
kill -KILL "${left[@]}" 2>/dev/null
exit 1
