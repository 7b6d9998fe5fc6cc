#!/usr/bin/env python3
"""Writes the labelled session corpus (one JSON file per session, see README.md).

Each file is a `rollsense simulate --scenario` file (extra keys are ignored by the simulator)
plus the labels: the profile and body mass `rollsense live` runs with, the length, and the
alerts the session must give (reason, level, window in session seconds, count) and must not
give. Run it after changing a session here; the files are committed.
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def seg(label, seconds, load, centroid, stroke=(0, 0), spread=300, fault=None):
    s = {"label": label, "seconds": seconds,
         "fromLoadPercent": load[0], "toLoadPercent": load[1],
         "fromCentroidMillimetres": centroid[0], "toCentroidMillimetres": centroid[1],
         "strokePercent": stroke[0], "strokeHertz": stroke[1]}
    if spread:
        s["spreadMillimetres"] = spread
    if fault:
        s["fault"] = {"kind": fault[0], "channel": fault[1]}
    return s


def rolling(seconds, percent, amplitude, hertz, centroid, spread=300, label="ordinary rolling strokes", fault=None):
    return seg(label, seconds, (percent, percent), (centroid, centroid), (amplitude, hertz), spread, fault)


def on(percent, centroid, spread=300):
    return seg("getting on", 1.5, (0, percent), (centroid, centroid), spread=spread)


def off(percent, centroid, spread=300):
    return seg("getting off", 1.5, (percent, 0), (centroid, centroid), spread=spread)


def rest(seconds, centroid=0):
    return seg("nothing on the tool", seconds, (0, 0), (centroid, centroid))


def session(name, description, mass, segments, expect=(), must_not=(), profile="foam-roller-lower-back",
            speed="max", text=False, burst=0, noise=1.0, rate=80, holds=None, pain_button=None):
    body = {
        "description": description,
        "profile": profile,
        "bodyMassKilograms": mass,
        "sampleRateHz": rate,
        "repeats": False,
        "noiseNewtons": noise,
        "speed": speed,
        "seconds": round(sum(s["seconds"] for s in segments), 3),
        "segments": segments,
        "expect": [dict(zip(("reason", "level", "from", "to", "count", "overLimitAt"), e)) for e in expect],
        "mustNot": list(must_not),
    }
    if holds is not None:
        body["holds"] = holds
    if pain_button:
        # Pressed on the board (a BUTTON frame): each press is one pain mark, as the `p` key.
        body["painButtonSeconds"] = pain_button
        body["painMarks"] = len(pain_button)
    if text:
        body["textMode"] = True
        body["startupBurstLines"] = burst
    with open(os.path.join(HERE, name + ".json"), "w") as f:
        json.dump(body, f, indent=1)
        f.write("\n")


QUIET = ["zoneCaution", "zoneStop", "holdCaution", "loadOnSpine", "overRange", "clockJump", "jump"]

# Ordinary rolling: Baumgart et al. 2019 mean loads 32-34 % of body weight, strokes at a
# self-chosen 33 +- 10 per minute (Sezik et al. 2024), sets of 30-120 s (Behm et al. 2020).
session("roller-100kg-ordinary-110s", "The issue's case: 100 kg, 34 % +- 8 % at 0.4 Hz beside the spine for 110 s.",
        100, [on(34, -90), rolling(110, 34, 8, 0.4, -90), off(34, -90), rest(2)], must_not=QUIET, holds=0)
session("roller-45kg-both-sides", "45 kg, 30 % +- 6 % at 0.6 Hz, 60 s left of the spine then 60 s right.",
        45, [on(30, -90), rolling(60, 30, 6, 0.6, -90), seg("moving across", 3, (30, 30), (-90, 90)),
             rolling(60, 30, 6, 0.6, 90), off(30, 90), rest(2)], must_not=QUIET)
session("roller-140kg-centred-2min", "140 kg, 35 % +- 8 % at 0.38 Hz, roller across the back, load centred (the standard position), 2 minutes.",
        140, [on(35, 0), rolling(120, 35, 8, 0.38, 0), off(35, 0), rest(2)], must_not=QUIET)
session("roller-60kg-fast-cadence", "60 kg, 32 % +- 7 % at 0.72 Hz (43 strokes/min) off-centre right, 90 s.",
        60, [on(32, 70), rolling(90, 32, 7, 0.72, 70), off(32, 70), rest(2)], must_not=QUIET)
session("roller-75kg-on-and-off", "75 kg gets on, rolls 15 s and gets off, four times.",
        75, [x for _ in range(4) for x in (on(33, -80), rolling(15, 33, 6, 0.5, -80), off(33, -80), rest(4, -80))],
        must_not=QUIET)
# Danger: a hard lean well past the stop limit (65 % of body weight, an estimate, docs/SAFETY.md).
session("roller-80kg-hard-lean", "80 kg rolls 30 s, leans hard to 80 % of body weight for 4 s, rolls on 20 s.",
        80, [on(33, -90), rolling(30, 33, 6, 0.5, -90), seg("leaning hard", 1, (33, 80), (-90, -90)),
             seg("held hard", 4, (80, 80), (-90, -90)), seg("easing off", 1, (80, 33), (-90, -90)),
             rolling(20, 33, 6, 0.5, -90), off(33, -90), rest(2)],
        # The load passes 65 % at 31.5 + 0.68 s; stop within on-delay 0.5 s + 1.0 s of that.
        expect=[("zoneCaution", "caution", 31.5, 34, 1), ("zoneStop", "stop", 32.2, 33.7, 1, 32.18)],
        must_not=["holdCaution", "loadOnSpine", "overRange", "clockJump"])
session("roller-80kg-staying-still", "80 kg lies still on one spot at 33 % for 100 s.",
        80, [on(33, -90), seg("still on one spot", 100, (33, 33), (-90, -90)), off(33, -90), rest(2)],
        # Hold limit 90 s still (Hou et al. 2002: 90 s compression at the pain threshold).
        expect=[("holdCaution", "caution", 90, 94, 1)],
        must_not=["zoneCaution", "zoneStop", "loadOnSpine", "overRange", "clockJump", "jump"])
session("roller-90kg-fall", "90 kg rolls 20 s, then falls onto the roller's centre: 150 % of body weight on a narrow band within 0.15 s for 3 s.",
        90, [on(33, -90), rolling(20, 33, 6, 0.5, -90), seg("falling", 0.15, (33, 150), (0, 0), spread=100),
             seg("on the roller hard", 3, (150, 150), (0, 0), spread=100), seg("getting up", 1, (150, 0), (0, 0), spread=100), rest(3)],
        expect=[("jump", "caution", 21.5, 22.2, 1), ("zoneCaution", "caution", 21.5, 22.5, 1),
                ("zoneStop", "stop", 21.5, 23.1, 1, 21.54), ("overRange", "caution", 21.5, 23.2, 1),
                ("loadOnSpine", "caution", 21.5, 24, 1)],
        must_not=["holdCaution", "clockJump"])
session("roller-70kg-narrow-on-spine", "70 kg rolls left, then a narrow load sits on the centre line for 10 s, then rolls right.",
        70, [on(33, -90), rolling(20, 33, 6, 0.5, -90), seg("onto the centre line, narrow", 2, (33, 33), (-90, 0), spread=100),
             seg("narrow load on the spine", 10, (33, 33), (0, 0), spread=100), seg("off the centre", 2, (33, 33), (0, 90)),
             rolling(20, 33, 6, 0.5, 90), off(33, 90), rest(2)],
        expect=[("loadOnSpine", "caution", 22.5, 25.5, 1)],
        must_not=["zoneCaution", "zoneStop", "overRange", "clockJump", "jump"])

# The ball on a load cell (docs/HARDWARE.md): trigger-point presses of about 5 s (source article).
BALL = "massage-ball-lower-back"
press = lambda n: [seg("press", 0.5, (0, n), (-150, -150), spread=0), seg("held press", 6, (n, n), (-150, -150), spread=0),
                   seg("release", 0.5, (n, 0), (-150, -150), spread=0), seg("between presses", 4, (0, 0), (-150, -150), spread=0)]
session("ball-70kg-trigger-presses", "Six trigger-point presses of 6 s at 30 N (4.4 % of 70 kg) with the ball on a load cell.",
        70, [x for _ in range(6) for x in press(4.4)], profile=BALL, must_not=QUIET, holds=6)
session("ball-70kg-over-limit", "Two presses at 30 N, then one at 100 N (over the 80 N stop) for 6 s.",
        70, press(4.4) + press(4.4) + press(14.6), profile=BALL,
        # The third press passes 80 N at 22 + 0.41 s.
        expect=[("zoneCaution", "caution", 22.2, 23.5, 1), ("zoneStop", "stop", 22.4, 23.9, 1, 22.4)],
        must_not=["holdCaution", "overRange", "clockJump", "jump"])

# A foreign text sketch (newtons per channel) whose port held 95 lines before it was opened.
session("text-75kg-startup-burst", "A Serial Plotter sketch with 95 buffered lines at open, then 12 s of ordinary rolling, in real time.",
        75, [on(33, -90), rolling(12, 33, 6, 0.5, -90)], text=True, burst=95, speed="1", must_not=QUIET)

# Sensor faults mid-set, played as the firmware plays them (docs/PROTOCOL.md, FAULT): the fault is
# said (a caution), and the garbage never becomes a jump. A fault can only make the tool more
# careful: a channel at full scale counts as at least its rated range (docs/SAFETY.md, "Faults").
PRESSURE = ["zoneCaution", "zoneStop", "jump", "holdCaution", "loadOnSpine", "clockJump"]
session("roller-80kg-channel-saturates", "80 kg rolls 20 s; load cell 0 then sits at the HX711's full scale for 6 s (SATURATED) while the rolling goes on; 15 s more.",
        80, [on(33, -90), rolling(20, 33, 6, 0.5, -90), rolling(6, 33, 6, 0.5, -90, label="cell 0 saturated", fault=("saturated", 0)),
             rolling(15, 33, 6, 0.5, -90), off(33, -90), rest(2)],
        # Saturated and over range (the cell cannot measure higher) at once, one each; a reading
        # at full scale is not also a flat line. Cell 0 at its rated 441 N plus the other cells'
        # share of 33 % is over the stop level (65 % of 80 kg, 510 N): stop, once, after its on-delay.
        expect=[("saturated", "caution", 21.5, 21.7, 1), ("overRange", "caution", 21.5, 21.7, 1),
                ("zoneCaution", "caution", 21.5, 22.2, 1), ("zoneStop", "stop", 21.5, 22.2, 1)],
        must_not=["jump", "holdCaution", "loadOnSpine", "clockJump", "flatLine"])
session("roller-75kg-cell-unplugged", "75 kg rolls 20 s; load cell 2 stops converting (unplugged: HX711 not ready, its last reading repeats) for 5 s; 15 s more.",
        75, [on(33, -90), rolling(20, 33, 6, 0.5, -90), rolling(5, 33, 6, 0.5, -90, label="cell 2 not ready", fault=("notReady", 2)),
             rolling(15, 33, 6, 0.5, -90), off(33, -90), rest(2)],
        # Reported 100 ms after the last conversion; its repeated reading is that fault, not a flat line too.
        expect=[("sensorNotReady", "caution", 21.6, 21.8, 1)],
        must_not=PRESSURE + ["overRange", "flatLine"])
session("roller-80kg-stuck-reading", "80 kg rolls 20 s; load cell 1's reading freezes for 8 s with no fault from the board; 15 s more.",
        80, [on(33, -90), rolling(20, 33, 6, 0.5, -90), rolling(8, 33, 6, 0.5, -90, label="cell 1 frozen", fault=("stuck", 1)),
             rolling(15, 33, 6, 0.5, -90), off(33, -90), rest(2)],
        # Only the host's flat-line check sees it: 2 s unchanged (faults.flatLineSeconds).
        expect=[("flatLine", "caution", 23.5, 23.8, 1)],
        must_not=PRESSURE + ["overRange"])

# The ball: getting on and off (rolled about, not pressed), and presses on both sides of the spine
# (one load cell cannot tell the side, docs/HARDWARE.md: the same rules hold on either).
ball_roll = lambda: [seg("leaning onto the ball", 1, (0, 4.5), (-150, -150), spread=0),
                     seg("rolling the ball about", 10, (4.5, 4.5), (-150, -150), (1.5, 0.5), spread=0),
                     seg("stepping off", 1, (4.5, 0), (-150, -150), spread=0), seg("off the ball", 3, (0, 0), (-150, -150), spread=0)]
session("ball-65kg-on-and-off", "65 kg leans onto the ball and rolls it about at 30 N +- 10 N for 10 s, steps off, four times.",
        65, [x for _ in range(4) for x in ball_roll()], profile=BALL, must_not=QUIET, holds=0)
press_at = lambda n, c: [seg("press", 0.5, (0, n), (c, c), spread=0), seg("held press", 6, (n, n), (c, c), spread=0),
                         seg("release", 0.5, (n, 0), (c, c), spread=0), seg("between presses", 4, (0, 0), (c, c), spread=0)]
session("ball-80kg-both-sides", "80 kg: four 6 s presses at 35 N left of the spine, then four right of it.",
        80, [x for c in (-150, 150) for _ in range(4) for x in press_at(4.5, c)], profile=BALL, must_not=QUIET, holds=8)

# The board's pain button (docs/PROTOCOL.md, BUTTON): pressed twice during a firm set; each press
# is a pain mark (an info event, no alert), as the live view's `p` key.
session("roller-70kg-pain-button", "70 kg rolls 40 s at 40 % +- 6 %, pressing the board's pain button at 15 s and 30 s.",
        70, [on(40, -90), rolling(40, 40, 6, 0.5, -90), off(40, -90), rest(2)], must_not=QUIET, pain_button=[15.0, 30.0])
