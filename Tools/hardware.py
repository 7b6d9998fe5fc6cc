#!/usr/bin/env python3
"""`make hardware`: from each Hardware/rigs/*.json, a parts list (Markdown and CSV), a wiring
diagram (WireViz YAML drawn to SVG by WireViz and Graphviz) and the made parts' OpenSCAD sources
rendered to STL with the rig's dimensions. `check` is the consistency check `make test` runs.

    python3 Tools/hardware.py check [--root DIR]     # stdlib only; exit 1 on any disagreement
    python3 Tools/hardware.py generate [--root DIR]  # needs wireviz, dot and openscad (installs them)

Generated: Hardware/generated/<rig>-parts.{md,csv}, <rig>-wiring.{yml,svg} (committed, shown by
docs/HARDWARE.md); Hardware/build/*.stl (build output).
"""
import argparse
import csv
import io
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hardware_check  # noqa: E402
from hardware_check import GRAVITY, load_rigs, over_range_newtons  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def part(name, quantity, search, euros, where):
    return {"part": name, "quantity": quantity, "search": search, "euros": euros, "where": where}


def parts_list(rig):
    """(part, quantity, part number or search term, rough price each in EUR, where it goes)."""
    parts = [part("Arduino Uno Rev3 (or a Nano clone)", 1, "Arduino A000066; 'Arduino Nano ATmega328P'", 25,
                  "on the base, away from the load; USB to the computer")]
    cells = rig.get("loadCells")
    if cells:
        n = cells["count"]
        parts.append(part(f"Load cell, {cells['capacityKilograms']} kg, 4-wire full bridge, {cells['ratedOutputMillivoltsPerVolt']:g} mV/V",
                          n, f"'S-type load cell {cells['capacityKilograms']}kg' (e.g. YZC-516C)", 25 if cells["capacityKilograms"] > 300 else 20,
                          "under each saddle" if n > 1 else "between the wall plate and the ball socket"))
        parts.append(part("HX711 load-cell amplifier board", n, "SparkFun SEN-13879, or 'HX711 module'", 5,
                          "beside its cell; RATE tied to VCC (80 samples/s)"))
        parts.append(part("Bolts for the cell's threads", 2 * n, "M12 x 25 (most 200-500 kg S-type cells; check yours)", 0.5,
                          "cell to base and cell to saddle or socket plate"))
    for fsr in rig.get("fsrs") or []:
        parts.append(part(fsr["sensor"], 1, "Interlink 30-81794 (FSR 402)", 8, "in the cup, under the ball"))
        parts.append(part(f"Resistor {fsr['dividerOhms'] // 1000} kOhm 1/4 W", 1, "metal film 1 %", 0.1, f"{fsr['pin']} to GND (the divider)"))
        parts.append(part(f"Resistor {fsr['bleedOhms'] // 1000} kOhm 1/4 W", 1, "metal film 1 %", 0.1,
                          "across the FSR's legs at the sensor (an unplugged FSR reads 0, an unloaded one 21 counts)"))
    rotation = rig.get("rotation")
    if rotation:
        magnet = rotation["magnet"]
        parts.append(part("AS5600 magnetic angle encoder board", 1, "'AS5600 encoder module'", 4,
                          f"on the bracket at the roller's end, {magnet['gapMillimetres'][0]:g}-{magnet['gapMillimetres'][1]:g} mm from the magnet"))
        parts.append(part(f"Magnet, {magnet['diameterMillimetres']} x {magnet['thicknessMillimetres']} mm, diametrically magnetised", 1,
                          "usually in the AS5600 kit; 'diametric magnet 6x2.5'", 1, "in the printed holder in the roller's end"))
    roller = rig.get("roller")
    if roller:
        cradle = rig["cradle"]
        parts.append(part(f"Foam roller, {2 * roller['radiusMillimetres'] / 10:g} cm x {roller['lengthMillimetres'] / 10:g} cm, smooth", 1,
                          "'foam roller 15 x 45 cm smooth' (a firm core helps the magnet holder)", 20, "on the saddles' bearings"))
        n = cells["count"] * cradle["bearingsPerSaddle"]
        parts.append(part(cradle["bearing"], n, "608-2RS", 1, "two per saddle, on M8 bolts"))
        parts.append(part("M8 x 30 bolt with nut", n, "DIN 933 M8x30", 0.3, "bearing axles in the saddles"))
        parts.append(part(f"Base board, plywood 18 mm, {cradle['baseLengthMillimetres']} x 160 mm", 1, "plywood offcut", 8, "under the cells"))
    if rig.get("motion"):
        parts.append(part("ADNS-3080 optical flow board with M12 lens", 1, "'ADNS-3080 optical flow sensor module'", 15,
                          "behind the socket's window, lens refocused to the ball"))
        parts.append(part("Red LED, 5 mm, with 220 Ohm resistor", 1, "'5mm red LED' + 220R", 0.3,
                          "in the socket wall, at a grazing angle onto the ball under the window"))
    if rig.get("ball"):
        parts.append(part(f"Ball, {rig['ball']['diameterMillimetres']} mm", 1, "tennis ball or lacrosse ball", 3, "in the socket or cup"))
        parts.append(part("Wall plate, plywood 18 mm, 200 x 200 mm", 1, "plywood offcut", 4, "against the wall, carries the cell"))
    if rig.get("painButtonPin") is not None:
        parts.append(part("Momentary push button, 12 mm", 1, "'12mm momentary push button'", 1,
                          f"in reach of the hand; D{rig['painButtonPin']} to GND (the pain button)"))
    parts.append(part("Hook-up wire or 4-core cable, 0.14-0.25 mm²", 1, "'4 core cable 0.25mm2' (metres)", 5, "sensor boards to the Arduino"))
    parts.append(part("USB cable for the board", 1, "USB A to B (Uno) / mini-B (Nano)", 3, "board to computer"))
    for made in made_parts(rig):
        parts.append(part(f"Printed: {made['title']}", made["quantity"], f"Hardware/build/{made['stl']} (PLA or PETG)", 1, made["where"]))
    return parts


def made_parts(rig):
    """The parts a builder prints: OpenSCAD file, output STL and the -D values from the rig."""
    made = []
    if rig.get("roller"):
        r, c = rig["roller"], rig["cradle"]
        made.append({"title": "saddle (bearing cradle)", "scad": "saddle.scad", "stl": f"{rig['name']}-saddle.stl",
                     "quantity": rig["loadCells"]["count"], "where": "on each load cell",
                     "defines": {"roller_radius": r["radiusMillimetres"], "segment": rig["loadCells"]["segmentLengthMillimetres"],
                                 "bearing_spacing": c["bearingSpacingMillimetres"], "width": c["saddleWidthMillimetres"]}})
    if rig.get("rotation"):
        m = rig["rotation"]["magnet"]
        made.append({"title": "magnet holder", "scad": "magnet-holder.scad", "stl": f"{rig['name']}-magnet-holder.stl",
                     "quantity": 1, "where": "glued to the centre of the roller's end",
                     "defines": {"magnet_d": m["diameterMillimetres"], "magnet_h": m["thicknessMillimetres"],
                                 "gap": m["designGapMillimetres"]}})
    if rig.get("motion"):
        b, s = rig["ball"], rig["socket"]
        made.append({"title": "ball socket with sensor window", "scad": "ball-cup.scad", "stl": f"{rig['name']}-socket.stl",
                     "quantity": 1, "where": "on the load cell, on the wall plate",
                     "defines": {"ball_d": b["diameterMillimetres"], "clearance": s["clearanceMillimetres"], "wall": s["wallMillimetres"],
                                 "window_d": s["windowDiameterMillimetres"], "depth_fraction": s["depthFraction"],
                                 "lens_gap": rig["motion"]["lensToBallMillimetres"]}})
    if rig.get("fsrs"):
        b, c = rig["ball"], rig["cup"]
        made.append({"title": "ball cup over the FSR", "scad": "ball-cup.scad", "stl": f"{rig['name']}-cup.stl",
                     "quantity": 1, "where": "over the FSR 402 on the wall plate",
                     "defines": {"ball_d": b["diameterMillimetres"], "clearance": 1.0, "wall": c["wallMillimetres"],
                                 "window_d": 0, "depth_fraction": 0.3, "lens_gap": 0, "pad_d": c["padDiameterMillimetres"]}})
    return made


def parts_markdown(rig, parts):
    out = io.StringIO()
    out.write(f"# Parts: {rig['title']}\n\nGenerated from `Hardware/rigs/{rig['name']}.json` by `make hardware`; "
              "prices are rough (EUR, 2026, one-off), search terms are where to start.\n\n")
    out.write("| part | qty | part number or search term | ~EUR each | where it goes |\n|---|---|---|---|---|\n")
    for p in parts:
        out.write(f"| {p['part']} | {p['quantity']} | {p['search']} | {p['euros']:g} | {p['where']} |\n")
    total = sum(p["quantity"] * p["euros"] for p in parts)
    out.write(f"\nRough total: about {round(total, -1):.0f} EUR.\n")
    cells = rig.get("loadCells")
    if cells:
        out.write(f"\nOver range from {over_range_newtons(rig)} N on one channel (90 % of {cells['capacityKilograms']} kg x {GRAVITY} m/s²).\n")
    return out.getvalue()


def parts_csv(parts):
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["part", "quantity", "search", "euros_each", "where"])
    for p in parts:
        w.writerow([p["part"], p["quantity"], p["search"], p["euros"], p["where"]])
    return out.getvalue()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["check", "generate"])
    parser.add_argument("--root", default=ROOT)
    args = parser.parse_args()
    problems = hardware_check.check(args.root)
    for p in problems:
        print(f"hardware check: {p}", file=sys.stderr)
    if problems:
        print(f"hardware check: {len(problems)} disagreement(s) between Hardware/rigs and the code", file=sys.stderr)
        return 1
    rigs = load_rigs(args.root)
    if args.action == "check":
        print(f"hardware check: {len(rigs)} rigs agree with config.h, the Makefile, the simulators and the profiles")
        return 0
    import hardware_draw  # the drawing tools only for `generate`
    return hardware_draw.generate(args.root, rigs, parts_list, parts_markdown, parts_csv, made_parts)


if __name__ == "__main__":
    sys.exit(main())
