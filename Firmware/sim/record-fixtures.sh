#!/usr/bin/env bash
# Regenerates the recorded firmware sessions in Fixtures/firmware/captures/ (Fixtures/README.md):
# writes the scenarios from physical forces (make-scenarios.py), runs each through the real
# firmware under the simulator, unthrottled and deterministic, and records the exact bytes the
# firmware sent (NAME.bin) with the simulated time each frame left the UART (NAME.times).
# Same bytes on every run: `git diff --stat Fixtures/firmware` after running shows no change.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
sim=$root/Firmware/build/sim/rollsense-sim
scenarios=$root/Fixtures/firmware/scenarios
captures=$root/Fixtures/firmware/captures
[ -x "$sim" ] || { echo "record-fixtures: $sim missing: run \`make -C Firmware\`" >&2; exit 1; }

only=("$@")
python3 "$here/make-scenarios.py" "$scenarios"
mkdir -p "$captures"

# name, firmware build, scenario, simulated seconds. With names on the command line, only those.
record() {
    local name=$1 build=$2 scenario=$3 seconds=$4
    if [ "${#only[@]}" -gt 0 ] && [[ " ${only[*]} " != *" $name "* ]]; then return; fi
    "$sim" --no-pty --seconds "$seconds" --scenario "$scenarios/$scenario" \
        --capture "$captures/$name" "$root/Firmware/build/$build/rollsense.elf" 2>/dev/null
    # Relative names in the times file's header, so regenerating anywhere gives the same file.
    sed -i "1s|.*|# simulated_time_us byte_count: the bytes of $name.bin in order; the last of them left the UART at that time|" \
        "$captures/$name.times"
    python3 - "$captures/$name.bin" "$root/Tools" <<'PY'
import collections, os, struct, sys
sys.path.insert(0, sys.argv[2])
import wire_reference as w
data = open(sys.argv[1], "rb").read()
d = w.Decoder()
frames = d.feed(data)
kinds = collections.Counter(t for t, _ in frames)
faults = collections.Counter(struct.unpack("<IBBI", b[:10])[1:3] for t, b in frames if t == w.FAULT)
bad = d.counters["crc"] + d.counters["malformed"] + d.counters["gaps"]
print(f"record-fixtures: {os.path.basename(sys.argv[1])}: {len(data)} bytes, {kinds[w.SAMPLE]} samples, "
      f"{kinds[w.HELLO]} hello, faults (code, channel): {dict(faults)}")
if bad:
    sys.exit(f"record-fixtures: bad frames or gaps: {d.counters}")
PY
}

record foam-roller-lower-back sim-hx4 foam-roller-lower-back.scenario 135
record massage-ball sim-fsr1 massage-ball.scenario 85
record sensor-unplugged sim-mix sensor-unplugged.scenario 60
record roller-rotation sim-roller roller-rotation.scenario 105
record rotation-faults sim-roller rotation-faults.scenario 12
record rotation-fault-hard-lean sim-roller rotation-fault-hard-lean.scenario 34
record ball-motion sim-ball ball-motion.scenario 100
record ball-faults sim-ball ball-faults.scenario 8
