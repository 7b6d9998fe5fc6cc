#!/usr/bin/env bash
# `rollsense devices` start-up time (release build): process start to exit, listing the serial
# ports through libudev, median and p90 of DEVICES_BENCH_RUNS (default 30) runs, beside two
# baselines run the same way in the same script: pyserial's list_ports (what a Python tool does;
# pip-installed quietly into a venv under bench-out/) and `udevadm info --export-db` (the udev
# database dump, a C floor). Run under umockdev with Fixtures/udev/uno.umockdev when umockdev-run
# exists, so every program sees the same one-board system. Results in bench-out/80-devices-startup.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${DEVICES_BENCH_RUNS:-30}"
out=bench-out/80-devices-startup.txt
mkdir -p bench-out
PYTHON=${PYTHON:-python3}

swift build -c release --product rollsense >/dev/null
rollsense="$(swift build -c release --show-bin-path)/rollsense"

venv=bench-out/venv-pyserial
if [ ! -x "$venv/bin/python" ]; then
    "$PYTHON" -m venv "$venv" >/dev/null
    "$venv/bin/pip" install --quiet --disable-pip-version-check pyserial >/dev/null
fi

wrap=()
if command -v umockdev-run >/dev/null; then wrap=(umockdev-run -d Fixtures/udev/uno.umockdev --); fi

# Prints "median p90" in milliseconds of running "$@" $runs times (after one warm-up run).
timeit() {
    "$@" >/dev/null 2>&1 || true
    local samples=()
    for _ in $(seq "$runs"); do
        local start end
        start=$(date +%s%N)
        "$@" >/dev/null 2>&1 || true
        end=$(date +%s%N)
        samples+=($(( (end - start) / 1000 )))
    done
    printf '%s\n' "${samples[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "%.2f %.2f", a[int((NR + 1) / 2)] / 1000, a[int(NR * 0.9 + 0.5)] / 1000 }'
}

swift_ms=$(timeit "${wrap[@]}" "$rollsense" devices)
python_ms=$(timeit "${wrap[@]}" "$venv/bin/python" -c 'import serial.tools.list_ports as p; [print(x.device, x.vid, x.pid, x.serial_number) for x in p.comports()]')
udevadm_ms=$(timeit "${wrap[@]}" udevadm info --export-db)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
{
    echo "devices start-up, ${runs} runs each, ${wrap[*]:-no umockdev}: median / p90 ms"
    echo "rollsense devices:            ${swift_ms% *} / ${swift_ms#* }"
    echo "pyserial list_ports.comports: ${python_ms% *} / ${python_ms#* }  (rollsense is $(ratio "${python_ms% *}" "${swift_ms% *}")x faster)"
    echo "udevadm info --export-db:     ${udevadm_ms% *} / ${udevadm_ms#* }  (rollsense/udevadm $(ratio "${swift_ms% *}" "${udevadm_ms% *}"))"
} | tee "$out"
