#!/usr/bin/env python3
"""The issue-13 table: each Firmware/examples format under the simavr harness at its real baud,
read by `rollsense live --baud auto --json`; prints detected baud, the last force against the
truth and the wall time from starting `live` to its first reading. Run after `make -C Firmware`
and `swift build`:  python3 Tools/bench/sketch-formats.py"""
import json, os, subprocess, sys, tempfile, time
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CPN = 9525.0 / 4.448222
SCEN = f"seed 5\n0 hx711 0 8000\n0 hx711 1 -3000\n0 adc 0 0\n2 hx711 0 {int(8000 + 60 * CPN)}\n2 hx711 1 {int(-3000 + 30 * CPN)}\n2 adc 0 2500\n"
CASES = [(1, "bogde basic", 57600, [1 / CPN], 8000, 6, 60), (2, "bogde full", 38400, [2280 / CPN], 0, 16, 60),
         (3, "olkal 1x", 57600, [696 / CPN], 0, 6, 60), (4, "olkal 2x", 57600, [696 / CPN, 696 / CPN], 0, 6, 90),
         (5, "SparkFun lbs", 9600, None, 0, 4, 60), (6, "Adafruit FSR", 9600, [60 / 511.5], 0, 6, 60),
         (7, "RobTillaart plotter", 115200, [420 / CPN], 0, 6, 60)]
work = tempfile.mkdtemp()
open(f"{work}/s.scenario", "w").write(SCEN)
print("| format | baud | detected as | last force / truth | within 2 % | open to first reading |")
print("|---|---|---|---|---|---|")
for fmt, name, baud, scale, offset, duration, truth in CASES:
    link = f"{work}/dev{fmt}"
    sim = subprocess.Popen([f"{ROOT}/Firmware/build/sim/rollsense-sim", "--realtime", "--seconds", "60", "--scenario", f"{work}/s.scenario",
                            "--link", link, f"{ROOT}/Firmware/build/examples/format-{fmt}.elf"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while not os.path.exists(link):
        time.sleep(0.01)
    args = [f"{ROOT}/.build/debug/rollsense", "live", "--json", "--device", link, "--baud", "auto", "--duration", str(duration)]
    if scale:
        cal = {"offsetCounts": [offset, 0, 0, 0], "curves": [{"linear": {"newtonsPerCount": scale[min(i, len(scale) - 1)]}} for i in range(4)]}
        json.dump(cal, open(f"{work}/cal{fmt}.json", "w"))
        args += ["--calibration", f"{work}/cal{fmt}.json"]
    env = dict(os.environ, XDG_CONFIG_HOME=f"{work}/cfg", ROLLSENSE_DATA_DIR=f"{work}/data")
    start = time.monotonic()
    p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    first, last = None, None
    for line in p.stdout:
        o = json.loads(line)
        if o.get("type") == "reading":
            first = first or time.monotonic() - start
            last = o["forceN"]
    err = p.stderr.read()
    p.wait(); sim.terminate(); sim.wait()
    detected = err.split("baud: ")[1].split(".")[0] if "baud: " in err else "?"
    det_baud = err.split(" at ")[1].split(" baud")[0] if " at " in err else "?"
    ok = last is not None and abs(last - truth) <= 0.02 * truth
    kind = "direct (lbs)" if scale is None else "after calibration"
    print(f"| {fmt} {name} | {baud} | {det_baud} baud, {detected} | {last:.1f} / {truth} N ({kind}) | {'yes' if ok else 'NO'} | {first:.1f} s |" if last else f"| {fmt} {name} | {baud} | {detected} | none | NO | - |")
