"""The consistency check behind `make test`: Hardware/rigs/*.json against Firmware/config.h and the
Makefile's builds, the simulators (Firmware/sim, RollSenseKit's SyntheticScenario) and the profiles
(Profiles/*.json, Sources/RollSenseSignal/BuiltInProfiles.swift). Standard library only, so `make
test` needs nothing more. Every problem names the file and the value, and the rig file's value.
"""
import json
import os
import re

GRAVITY = 9.80665  # m/s^2, standard gravity: kilograms of capacity to newtons

# The files the check reads, relative to the repository root (the test copies exactly these).
FILES = [
    "Firmware/config.h", "Firmware/Makefile", "Firmware/sim/rollsense-sim.c", "Firmware/sim/make-scenarios.py",
    "Sources/RollSenseSignal/BuiltInProfiles.swift", "Sources/RollSenseKit/SyntheticScenario.swift",
]
FOLDERS = ["Hardware/rigs", "Profiles"]


def load_rigs(root):
    """Every rig file, by name, in name order."""
    folder = os.path.join(root, "Hardware", "rigs")
    rigs = {}
    for name in sorted(os.listdir(folder)):
        if name.endswith(".json"):
            with open(os.path.join(folder, name)) as f:
                rigs[name[:-5]] = json.load(f)
    return rigs


def over_range_newtons(rig):
    """One channel's over-range force: 90 % (the rig's fraction) of a cell's capacity, or the FSR's top."""
    cells = rig.get("loadCells")
    if cells:
        return round(cells["capacityKilograms"] * GRAVITY * cells["overRangeFractionOfCapacity"])
    return rig["fsrs"][0]["overRangeNewtons"]


def fsr_counts(fsr, newtons):
    """The nominal ADC reading of an FSR divider at `newtons` (the simulator's FSR model)."""
    conductance = 1 / fsr["bleedOhms"] + newtons ** fsr["nominalExponent"] / fsr["nominalOhmsAt1Newton"]
    return fsr["adcFullScaleCounts"] * fsr["dividerOhms"] / (fsr["dividerOhms"] + 1 / conductance)


def channel_count(rig):
    return len((rig.get("loadCells") or {}).get("pins", [])) + len(rig.get("fsrs") or [])


def read(root, path):
    with open(os.path.join(root, path)) as f:
        return f.read()


def makefile_defines(makefile, build):
    m = re.search(rf"^{re.escape(build)}_DEFS\s*:=(.*)$", makefile, re.M)
    if not m:
        return None
    return {k: int(v) for k, v in re.findall(r"-D(RS_\w+)=(-?\d+)", m.group(1))}


def config_value(config, name):
    m = re.search(rf"^#define {name} (-?\d+)", config, re.M)
    return int(m.group(1)) if m else None


def arduino_pin(port, bit):
    """An ATmega328P port bit as an Uno pin number: PD0-7 are D0-7, PB0-5 are D8-13."""
    return {"D": 0, "B": 8}[port] + bit


def swift_profiles(source):
    """name -> the values the check compares, read from BuiltInProfiles.swift's literals."""
    profiles = {}
    for block in re.split(r"public static let \w+ = Profile\(", source)[1:]:
        def number(key):
            m = re.search(rf"\b{key}: (-?[\d_.]+)", block)
            return float(m.group(1).replace("_", "")) if m else None
        name = re.search(r'name: "([^"]+)"', block).group(1)
        positions = re.search(r"channelPositionsMillimetres: \[([^\]]*)\]", block).group(1)
        profiles[name] = {
            "positions": [float(x) for x in positions.split(",") if x.strip()],
            "overRangeChannelNewtons": number("overRangeChannelNewtons"),
            "rollerRadiusMillimetres": number("rollerRadiusMillimetres"),
            "diameterMillimetres": number("diameterMillimetres"),
            "compressionMillimetres": number("compressionMillimetres"),
            "sensorCountsPerInch": number("sensorCountsPerInch"),
            "overRangeCounts": number("overRangeCounts"),
            "zonesUnit": re.search(r"unit: \.(\w+)", block).group(1),
            "stop": number("stop"),
        }
    return profiles


def json_profile(profile):
    return {
        "positions": [float(x) for x in profile["spine"]["channelPositionsMillimetres"]],
        "overRangeChannelNewtons": float(profile["range"]["overRangeChannelNewtons"]),
        "rollerRadiusMillimetres": (profile.get("rotation") or {}).get("rollerRadiusMillimetres"),
        "diameterMillimetres": (profile.get("ball") or {}).get("diameterMillimetres"),
        "compressionMillimetres": (profile.get("ball") or {}).get("compressionMillimetres"),
        "sensorCountsPerInch": (profile.get("ball") or {}).get("sensorCountsPerInch"),
        "overRangeCounts": float(profile["range"]["overRangeCounts"]),
        "zonesUnit": profile["zones"]["unit"],
        "stop": float(profile["zones"]["stop"]),
    }


def check(root):
    """Every disagreement as a line of text; an empty list when all agree."""
    problems = []
    rigs = load_rigs(root)
    config = read(root, "Firmware/config.h")
    makefile = read(root, "Firmware/Makefile")
    sim_c = read(root, "Firmware/sim/rollsense-sim.c")
    scenarios = read(root, "Firmware/sim/make-scenarios.py")
    swift = swift_profiles(read(root, "Sources/RollSenseSignal/BuiltInProfiles.swift"))
    synthetic = read(root, "Sources/RollSenseKit/SyntheticScenario.swift")

    first_pin = config_value(config, "RS_HX711_FIRST_PIN")
    sim_pins = [(arduino_pin(a, int(c)), arduino_pin(b, int(d)))
                for a, b, c, d in re.findall(r"\{'(\w)', '(\w)', (\d+), (\d+)\}", sim_c)]
    button = re.search(r"#define BUTTON_PORT '(\w)'\s*#define BUTTON_BIT (\d+)", sim_c)
    sim_button = arduino_pin(button.group(1), int(button.group(2))) if button else None
    button_default = re.search(r"#if RS_ADNS3080\n#define RS_PAIN_BUTTON_PIN (-?\d+).*?\n#else\n#define RS_PAIN_BUTTON_PIN (-?\d+)",
                               config)

    for name, rig in rigs.items():
        where = f"Hardware/rigs/{name}.json"
        cells = rig.get("loadCells") or {}
        fsrs = rig.get("fsrs") or []

        # Firmware: each board's build in the Makefile has the rig's sensor defines.
        for board, fw in rig["firmware"].items():
            defines = makefile_defines(makefile, fw["build"])
            if defines is None:
                problems.append(f"{where}: firmware.{board}.build {fw['build']} is not a build in Firmware/Makefile")
                continue
            for key, value in fw["defines"].items():
                if defines.get(key) != value:
                    problems.append(f"Firmware/Makefile: {fw['build']}_DEFS has {key}={defines.get(key)}, {where} says {value}")
            if fw["defines"].get("RS_HX711_COUNT") != len(cells.get("pins", [])):
                problems.append(f"{where}: firmware.{board} builds {fw['defines'].get('RS_HX711_COUNT')} load cells, the rig has {len(cells.get('pins', []))}")
            if fw["defines"].get("RS_FSR_COUNT") != len(fsrs):
                problems.append(f"{where}: firmware.{board} builds {fw['defines'].get('RS_FSR_COUNT')} FSRs, the rig has {len(fsrs)}")
            if fw["defines"].get("RS_AS5600") != int(bool(rig.get("rotation"))):
                problems.append(f"{where}: firmware.{board} RS_AS5600 disagrees with the rig's rotation sensor")
            if fw["defines"].get("RS_ADNS3080") != int(bool(rig.get("motion"))):
                problems.append(f"{where}: firmware.{board} RS_ADNS3080 disagrees with the rig's motion sensor")
        if not 1 <= channel_count(rig) <= 4:
            problems.append(f"{where}: {channel_count(rig)} force channels; Firmware/config.h takes 1 to 4")
        if rig.get("motion") and len(cells.get("pins", [])) > 3:
            problems.append(f"{where}: the ADNS-3080 takes load cell 3's pins (Firmware/config.h): at most 3 load cells")

        # Pins: config.h's HX711 rule and the simulator's emulated chips.
        for i, pins in enumerate(cells.get("pins", [])):
            expected = (first_pin + 2 * i, first_pin + 2 * i + 1)
            if (pins["dout"], pins["sck"]) != expected:
                problems.append(f"Firmware/config.h: load cell {i} is on D{expected[0]}/D{expected[1]} (RS_HX711_FIRST_PIN {first_pin}), {where} says D{pins['dout']}/D{pins['sck']}")
            if i >= len(sim_pins) or sim_pins[i] != (pins["dout"], pins["sck"]):
                got = sim_pins[i] if i < len(sim_pins) else None
                problems.append(f"Firmware/sim/rollsense-sim.c: HX711 {i} emulated on {got}, {where} says D{pins['dout']}/D{pins['sck']}")
        if cells and cells.get("bridge") != "full" and not cells.get("completion"):
            problems.append(f"{where}: loadCells.bridge {cells.get('bridge')!r} without a completion: an HX711 needs a full bridge")
        for i, fsr in enumerate(fsrs):
            if fsr["pin"] != f"A{i}":
                problems.append(f"Firmware/config.h: FSR {i} is on A{i}, {where} says {fsr['pin']}")
            for key, var in (("dividerOhms", "DIVIDER_OHMS"), ("bleedOhms", "BLEED_OHMS"),
                             ("nominalOhmsAt1Newton", "FSR_OHMS_AT_1N"), ("nominalExponent", "FSR_EXPONENT")):
                m = re.search(rf"^{var} = ([\d_.]+)", scenarios, re.M)
                if not m or float(m.group(1).replace("_", "")) != fsr[key]:
                    problems.append(f"Firmware/sim/make-scenarios.py: {var} is {m and m.group(1)}, {where} says fsrs[{i}].{key} {fsr[key]}")
        motion = rig.get("motion")
        if motion:
            if config_value(config, "RS_ADNS3080_NCS_PIN") != motion["ncsPin"]:
                problems.append(f"Firmware/config.h: RS_ADNS3080_NCS_PIN is {config_value(config, 'RS_ADNS3080_NCS_PIN')}, {where} says {motion['ncsPin']}")
            if config_value(config, "RS_ADNS3080_CPI") != motion["countsPerInch"]:
                problems.append(f"Firmware/config.h: RS_ADNS3080_CPI is {config_value(config, 'RS_ADNS3080_CPI')}, {where} says {motion['countsPerInch']}")
        if button_default:
            default = int(button_default.group(1 if motion else 2))
            wanted = -1 if rig.get("painButtonPin") is None else rig["painButtonPin"]
            if default != wanted:
                problems.append(f"Firmware/config.h: the pain button defaults to {default} for this build, {where} says {wanted}")
            if wanted >= 0 and sim_button != wanted:
                problems.append(f"Firmware/sim/rollsense-sim.c: the pain button is emulated on D{sim_button}, {where} says D{wanted}")
        else:
            problems.append("Firmware/config.h: RS_PAIN_BUTTON_PIN's defaults not found")

        # Simulators' geometry.
        roller = rig.get("roller")
        if roller:
            m = re.search(r"^ROLLER_RADIUS_MM = ([\d.]+)", scenarios, re.M)
            if not m or float(m.group(1)) != roller["radiusMillimetres"]:
                problems.append(f"Firmware/sim/make-scenarios.py: ROLLER_RADIUS_MM is {m and m.group(1)}, {where} says {roller['radiusMillimetres']}")
        if cells.get("segmentLengthMillimetres"):
            m = re.search(r"segmentHalfWidthMillimetres = ([\d.]+)", synthetic)
            if not m or float(m.group(1)) * 2 != cells["segmentLengthMillimetres"]:
                problems.append(f"Sources/RollSenseKit/SyntheticScenario.swift: segments of {m and float(m.group(1)) * 2} mm, {where} says {cells['segmentLengthMillimetres']}")
            if f"Profile.{'foamRollerLowerBack'}.spine.channelPositionsMillimetres" not in synthetic or rig["profile"] != "foam-roller-lower-back":
                problems.append("Sources/RollSenseKit/SyntheticScenario.swift: the simulator's cells must be the roller rig's profile's")

        # Profiles: the JSON file and the Swift literal, each against the rig.
        profile_name = rig.get("profile")
        if profile_name is None:
            continue  # no host profile for this rig yet: it is read as its firmware's raw channels
        path = os.path.join(root, "Profiles", f"{profile_name}.json")
        if not os.path.exists(path):
            problems.append(f"{where}: profile {profile_name} has no Profiles/{profile_name}.json")
            continue
        with open(path) as f:
            views = {f"Profiles/{profile_name}.json": json_profile(json.load(f))}
        if profile_name in swift:
            views["Sources/RollSenseSignal/BuiltInProfiles.swift"] = swift[profile_name]
        else:
            problems.append(f"Sources/RollSenseSignal/BuiltInProfiles.swift: no built-in profile {profile_name}")
        observes = rig["observes"]
        for source, p in views.items():
            def differs(label, got, want):
                problems.append(f"{source}: {label} is {got}, {where} says {want}")
            positions = [float(x) for x in cells.get("positionsMillimetres", [])]
            if observes.get("spine") and p["positions"] != positions:
                differs("spine.channelPositionsMillimetres", p["positions"], positions)
            if not observes.get("spine") and len(p["positions"]) >= 3:
                differs("spine.channelPositionsMillimetres (a spine rule the rig cannot see)", p["positions"], "fewer than 3")
            if p["overRangeChannelNewtons"] != over_range_newtons(rig):
                differs("range.overRangeChannelNewtons", p["overRangeChannelNewtons"], over_range_newtons(rig))
            radius = roller["radiusMillimetres"] if rig.get("rotation") and roller else None
            if (p["rollerRadiusMillimetres"] or None) != radius:
                differs("rotation.rollerRadiusMillimetres", p["rollerRadiusMillimetres"], radius)
            ball = rig.get("ball") if motion else None
            if (p["diameterMillimetres"] or None) != (ball and ball["diameterMillimetres"]):
                differs("ball.diameterMillimetres", p["diameterMillimetres"], ball and ball["diameterMillimetres"])
            if ball and p["compressionMillimetres"] != ball["compressionMillimetres"]:
                differs("ball.compressionMillimetres", p["compressionMillimetres"], ball["compressionMillimetres"])
            if motion and p["sensorCountsPerInch"] != motion["countsPerInch"]:
                differs("ball.sensorCountsPerInch", p["sensorCountsPerInch"], motion["countsPerInch"])
            if fsrs and p["overRangeCounts"] != round(fsr_counts(fsrs[0], fsrs[0]["overRangeNewtons"])):
                differs("range.overRangeCounts (the FSR's nominal reading at its top)", p["overRangeCounts"],
                        round(fsr_counts(fsrs[0], fsrs[0]["overRangeNewtons"])))
            if p["zonesUnit"] == "newtons" and p["stop"] >= over_range_newtons(rig):
                differs("zones.stop (not measurable: at or over the rig's range)", p["stop"], f"below {over_range_newtons(rig)}")

        # Dimensioning: the heaviest accepted person at the design load on the worst channel.
        dim = rig["dimensioning"]
        if dim.get("bodyMassKilograms"):
            load = dim["bodyMassKilograms"][1] * GRAVITY * dim["loadFractionOfBodyWeight"] * dim["worstChannelShare"]
            if dim.get("survivesOnly"):
                limit = cells["capacityKilograms"] * GRAVITY * cells["safeOverloadPercent"] / 100
                if load > limit + 0.5:
                    problems.append(f"{where}: {load:.0f} N on one cell at {dim['bodyMassKilograms'][1]} kg is past its safe overload ({limit:.0f} N)")
            elif load > over_range_newtons(rig):
                problems.append(f"{where}: {load:.0f} N on one channel at {dim['bodyMassKilograms'][1]} kg reads over range ({over_range_newtons(rig)} N)")
    return problems
