#!/usr/bin/env python3
"""Writes the sensor scenarios behind the recorded fixtures (Fixtures/firmware/scenarios/) from
physical forces, so each number has a source. Deterministic: same files on every run.

Load cells: a board under the foam roller stands on four load cells (channels 0-1 at the head
end, 2-3 at the foot end; left, right). Forces convert to HX711 counts with the calibration below.
FSR: an Interlink FSR 402 under a massage ball, in the divider of Firmware/config.h.
"""
import math
import os
import sys

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "Fixtures", "firmware", "scenarios")

GRAVITY = 9.80665  # m/s^2, standard gravity
BODY_MASS_KG = 75.0
BODY_WEIGHT_N = BODY_MASS_KG * GRAVITY  # 735.5 N

# HX711 counts per newton for a 50 kg (490 N) cell of 1 mV/V on the HX711's ~4.3 V excitation:
# full scale 4.3 mV; gain 128 spans +-0.5 * 4.3 V / 128 = +-16.8 mV over 2^23 counts
# (HX711 datasheet), so 4.3 mV is 2.15e6 counts, 4382 counts per newton.
COUNTS_PER_NEWTON = 4.3 * (2 ** 23 / 16.8) / (50 * GRAVITY)
# Each real cell has its own zero offset; these are typical magnitudes (tens of thousands of counts).
ZERO_OFFSET_COUNTS = [84213, -31022, 152660, 8741]
# The board and roller (about 1.6 kg) rest on the cells all the time, a quarter each.
TARE_N = 1.6 * GRAVITY / 4
# HX711 input noise at 80 SPS, gain 128: 90 nV rms (datasheet) = about 45 counts rms; uniform +-75
# has the same rms.
NOISE_COUNTS = 75
KEY_STEP_S = 0.1  # keyframe spacing; the harness interpolates linearly between them


def fraction_of_body_weight(f):
    return f * BODY_WEIGHT_N


def write(name, header, lines):
    path = os.path.join(OUT, name)
    with open(path, "w") as f:
        f.write(header)
        f.writelines(lines)
    print(f"make-scenarios: wrote {path} ({len(lines)} lines)")


def roller_profile(t):
    """(total force N, head-end fraction 0-1, left fraction 0-1) at time t of the roller session.

    Loads follow Baumgart et al. 2019 (Sports 7(1):27): mean 32-34 % of body weight on the roller,
    individual peaks 51-55 %; rolling cadence 0.3 Hz (platform facts: 0.25-0.5 Hz).
    """
    if t < 5:  # nobody on it
        return 0.0, 0.5, 0.5
    if t < 9:  # approach: sitting down onto the roller
        return fraction_of_body_weight(0.30) * (t - 5) / 4, 0.5, 0.5
    if t < 69:  # rolling strokes along the lower back at 0.3 Hz for 60 s
        phase = 2 * math.pi * 0.3 * (t - 9)
        load = 0.33 + 0.06 * math.sin(phase)
        if 40 <= t < 52:  # a few harder strokes reaching Baumgart's individual peaks
            load += 0.14 * max(0.0, math.sin(phase))
        return fraction_of_body_weight(load), 0.5 + 0.2 * math.sin(phase), 0.5 + 0.03 * math.sin(phase / 3)
    if t < 71:  # settle onto a trigger point
        return fraction_of_body_weight(0.33 + 0.09 * (t - 69) / 2), 0.56, 0.55
    if t < 116:  # trigger-point hold, 45 s, breathing at 0.25 Hz moves the load a little
        return fraction_of_body_weight(0.42 + 0.02 * math.sin(2 * math.pi * 0.25 * (t - 71))), 0.56, 0.55
    if t < 117:  # over-pressure: pushing down well past the 55 % peaks
        return fraction_of_body_weight(0.42 + 0.20 * (t - 116)), 0.56, 0.55
    if t < 119:
        return fraction_of_body_weight(0.62), 0.56, 0.55
    if t < 120:
        return fraction_of_body_weight(0.62 - 0.20 * (t - 119)), 0.56, 0.55
    if t < 122:  # lifting off
        return fraction_of_body_weight(0.42 * (122 - t) / 2), 0.56, 0.55
    return 0.0, 0.5, 0.5  # rest


def cell_counts(force_n, head, left):
    shares = [head * left, head * (1 - left), (1 - head) * left, (1 - head) * (1 - left)]
    return [round(ZERO_OFFSET_COUNTS[i] + (TARE_N + force_n * shares[i]) * COUNTS_PER_NEWTON) for i in range(4)]



def foam_roller():
    end_s = 135.0
    lines = ["seed 20261126\n"] + [f"0 hx711 {ch} noise {NOISE_COUNTS}\n" for ch in range(4)]
    steps = int(end_s / KEY_STEP_S)
    for k in range(steps + 1):
        t = round(k * KEY_STEP_S, 3)
        counts = cell_counts(*roller_profile(t))
        for ch in range(4):
            lines.append(f"{t} hx711 {ch} {counts[ch]}{' ramp' if k else ''}\n")
    header = (
        "# Foam roller on the lower back, 75 kg person, four load cells under the roller's board\n"
        "# (channels 0-1 head end left/right, 2-3 foot end). Written by Firmware/sim/make-scenarios.py:\n"
        "# 0-5 s empty, 5-9 s approach, 9-69 s rolling strokes at 0.3 Hz (33 % +- 6 % body weight,\n"
        "# peaks to ~53 % at 40-52 s), 69-116 s trigger-point hold (42 % +- 2 %, breathing), 116-120 s\n"
        "# over-pressure (62 %), 120-122 s lift-off, 122-135 s rest. Raw HX711 counts.\n")
    write("foam-roller-lower-back.scenario", header, lines)
    return end_s


# FSR 402 under a ball: resistance falls roughly as 1/F (Interlink datasheet curve, about 30 kOhm
# at 1 N and 1.5-2 kOhm at 20 N); qualitative only (+-2 % repeatability, +10 % hysteresis).
FSR_OHMS_AT_1N = 30_000.0
FSR_EXPONENT = 0.9
DIVIDER_OHMS = 10_000.0  # config.h wiring
BLEED_OHMS = 470_000.0
SUPPLY_MV = 5000.0


def fsr_millivolts(force_n):
    bleed = 1 / BLEED_OHMS
    fsr = (force_n ** FSR_EXPONENT) / FSR_OHMS_AT_1N if force_n > 0 else 0.0
    upper = 1 / (bleed + fsr)
    return SUPPLY_MV * DIVIDER_OHMS / (DIVIDER_OHMS + upper)


def ball_force(t):
    """Massage ball between the lower back and a wall, standing and leaning in."""
    if t < 3:
        return 0.0
    if t < 5:  # leaning in
        return 18.0 * (t - 3) / 2
    if t < 35:  # slow circles over the muscle, 0.4 Hz
        return 18.0 + 8.0 * math.sin(2 * math.pi * 0.4 * (t - 5))
    if t < 70:  # five trigger-point presses of about 5 s (the source article's advice), 2 s apart
        k, phase = divmod(t - 35, 7.0)
        if phase < 1:
            return 18.0 + 17.0 * phase
        if phase < 5:
            return 35.0 + 1.5 * math.sin(2 * math.pi * 0.25 * phase)
        if phase < 6:
            return 35.0 - 17.0 * (phase - 5)
        return 18.0
    if t < 72:  # stepping away
        return 18.0 * (72 - t) / 2
    return 0.0


def massage_ball():
    end_s = 85.0
    lines = ["seed 7\n", "0 adc 0 noise 4\n"]  # a few mV of ADC noise, a count or so
    steps = int(end_s / KEY_STEP_S)
    for k in range(steps + 1):
        t = round(k * KEY_STEP_S, 3)
        lines.append(f"{t} adc 0 {fsr_millivolts(ball_force(t)):.1f}{' ramp' if k else ''}\n")
    header = (
        "# Massage ball between the lower back and a wall, one FSR 402 under the ball on A0\n"
        "# (divider and bleed resistor of Firmware/config.h). Written by Firmware/sim/make-scenarios.py:\n"
        "# 0-3 s no contact, 3-5 s leaning in to 18 N, 5-35 s circles (18 +- 8 N at 0.4 Hz),\n"
        "# 35-70 s five 5-second trigger-point presses at ~35 N, 70-72 s stepping away, 72-85 s rest.\n"
        "# Analog millivolts on A0.\n")
    write("massage-ball.scenario", header, lines)
    return end_s


def unplugged():
    """Two load cells and two FSRs (sim-mix): rolling, then load cell 1's cable comes out, then
    the FSR on A1 is unplugged; both go back in."""
    end_s = 60.0
    lines = ["seed 99\n", f"0 hx711 0 noise {NOISE_COUNTS}\n", f"0 hx711 1 noise {NOISE_COUNTS}\n",
             "0 adc 0 noise 4\n", "0 adc 1 noise 4\n"]
    steps = int(end_s / KEY_STEP_S)
    for k in range(steps + 1):
        t = round(k * KEY_STEP_S, 3)
        force, head, _ = roller_profile(t + 5 if t < 60 else 0)  # starts at the approach
        ramp = " ramp" if k else ""
        lines.append(f"{t} hx711 0 {round(ZERO_OFFSET_COUNTS[0] + (TARE_N + force * head) * COUNTS_PER_NEWTON)}{ramp}\n")
        lines.append(f"{t} hx711 1 {round(ZERO_OFFSET_COUNTS[1] + (TARE_N + force * (1 - head)) * COUNTS_PER_NEWTON)}{ramp}\n")
        contact_n = min(15.0, force / 20)  # FSRs on the roller's surface see a little of the load
        unplugged_fsr = 30 <= t < 45
        lines.append(f"{t} adc 0 {fsr_millivolts(contact_n):.1f}{ramp}\n")
        lines.append(f"{t} adc 1 {0.0 if unplugged_fsr else fsr_millivolts(contact_n * 0.8):.1f}\n")
        if t == 20:
            lines.append(f"{t} hx711 1 dead\n")
        if t == 40:
            lines.append(f"{t} hx711 1 alive\n")
    header = (
        "# A sensor unplugged mid-session: two load cells (channels 0-1) and two FSRs (channels 2-3,\n"
        "# A0-A1) on the sim-mix build. Rolling as in foam-roller-lower-back.scenario; at 20 s load\n"
        "# cell 1's HX711 stops answering (cable out) and comes back at 40 s; at 30 s the FSR on A1\n"
        "# is unplugged (0 V) and plugged back at 45 s. Written by Firmware/sim/make-scenarios.py.\n")
    write("sensor-unplugged.scenario", header, lines)
    return end_s


# The reference roller rig (docs/HARDWARE.md, "Rotation sensor"): the roller turns on an axle in
# a cradle whose two ends rest on load cells (channels 0 left, 1 right), an AS5600 on the axle.
ROLLER_RADIUS_MM = 75.0  # a 15 cm foam roller; the profile's radius
# Rolling strokes: one stroke is one pass in one direction, so a back-and-forth cycle is two.
# 33 strokes/min is the self-chosen cadence of Sezik et al. 2024 (J Sports Sci Med 23:684).
STROKES_PER_MIN = 33.0
STROKE_HALF_RANGE_MM = 60.0  # a pass of 12 cm
DRIFT_UP_THE_BACK_MM = 80.0  # the strokes move up the back by 8 cm over the minute
# The sensor's errors (as5600-model.c): the effective rolling radius is 1 % smaller than the
# profile's (foam compressed under the body), so the roller turns 1 % more than the profile
# predicts; the magnet glued at an arbitrary zero; 0.4 degrees of once-a-turn wobble from a
# magnet slightly off centre; +-0.1 degree uniform noise (0.06 degrees rms, an estimate of the
# datasheet's order; docs/HARDWARE.md).
ANGLE_SCALE = 1.01
ANGLE_OFFSET_DEG = 137.5
ANGLE_WOBBLE_DEG = 0.4
ANGLE_NOISE_DEG = 0.1
# While lifted the person spins the roller by hand, then puts it back 5 cm further up the back.
LIFT_SPIN_DEG = 400.0
REPLACE_SHIFT_MM = 50.0


def rolling_position_mm(t, start_s, seconds):
    """Position of the contact along the back, mm from where rolling began."""
    u = min(max(t - start_s, 0.0), seconds)
    cycle_hz = STROKES_PER_MIN / 60 / 2
    return STROKE_HALF_RANGE_MM * (1 - math.cos(2 * math.pi * cycle_hz * u)) + DRIFT_UP_THE_BACK_MM * u / 60


def roller_rotation_state(t):
    """(force N, left fraction, true position mm along the back, roller angle degrees, in contact)."""
    load = fraction_of_body_weight(0.33)
    hold_at = rolling_position_mm(65, 5, 60)
    if t < 3:
        return 0.0, 0.5, 0.0, 0.0, False
    if t < 5:  # sitting down onto the roller at the first contact point
        return load * (t - 3) / 2, 0.5, 0.0, 0.0, True
    if t < 65:  # a minute of rolling strokes
        s = rolling_position_mm(t, 5, 60)
        phase = 2 * math.pi * STROKES_PER_MIN / 120 * (t - 5)
        return load * (1 + 0.15 * math.sin(phase)), 0.5 + 0.03 * math.sin(phase / 3), s, s, True
    if t < 80:  # a 15 s hold on one spot, breathing
        return fraction_of_body_weight(0.40 + 0.02 * math.sin(2 * math.pi * 0.25 * (t - 65))), 0.52, hold_at, hold_at, True
    if t < 81:  # lifting off
        return fraction_of_body_weight(0.40) * (81 - t), 0.52, hold_at, hold_at, t < 80.5
    if t < 83:  # lifted: the roller is spun by hand, the body moves 5 cm
        spin = LIFT_SPIN_DEG * (t - 81) / 2 * math.pi / 180 * ROLLER_RADIUS_MM
        return 0.0, 0.5, hold_at + REPLACE_SHIFT_MM, hold_at + spin, False
    base_angle = hold_at + LIFT_SPIN_DEG * math.pi / 180 * ROLLER_RADIUS_MM
    if t < 84:  # put back down
        return load * (t - 83), 0.5, hold_at + REPLACE_SHIFT_MM, base_angle, True
    if t < 99:  # 15 s more rolling from there
        s = rolling_position_mm(t, 84, 15)
        return load, 0.5, hold_at + REPLACE_SHIFT_MM + s, base_angle + s, True
    if t < 100:
        s = rolling_position_mm(99, 84, 15)
        return load * (100 - t), 0.5, hold_at + REPLACE_SHIFT_MM + s, base_angle + s, t < 99.5
    s = rolling_position_mm(99, 84, 15)
    return 0.0, 0.5, hold_at + REPLACE_SHIFT_MM + s, base_angle + s, False


def roller_rotation():
    end_s = 105.0
    lines = ["seed 1818\n", f"0 hx711 0 noise {NOISE_COUNTS}\n", f"0 hx711 1 noise {NOISE_COUNTS}\n",
             f"0 angle 0 scale {ANGLE_SCALE}\n", f"0 angle 0 offset {ANGLE_OFFSET_DEG}\n",
             f"0 angle 0 wobble {ANGLE_WOBBLE_DEG}\n", f"0 angle 0 noise {ANGLE_NOISE_DEG}\n"]
    truth = ["# time_s true_position_mm in_contact: the scenario's truth, for the position tests\n"]
    steps = int(end_s / KEY_STEP_S)
    for k in range(steps + 1):
        t = round(k * KEY_STEP_S, 3)
        force, left, position_mm, rolled_mm, contact = roller_rotation_state(t)
        ramp = " ramp" if k else ""
        for ch, share in ((0, left), (1, 1 - left)):
            counts = round(ZERO_OFFSET_COUNTS[ch] + (2 * TARE_N + force * share) * COUNTS_PER_NEWTON)
            lines.append(f"{t} hx711 {ch} {counts}{ramp}\n")
        # The body moving by s turns the roller by s / r (docs/HARDWARE.md, "The geometry").
        lines.append(f"{t} angle 0 {math.degrees(rolled_mm / ROLLER_RADIUS_MM):.4f}{ramp}\n")
        truth.append(f"{t} {position_mm:.3f} {int(contact)}\n")
    header = (
        "# The reference roller rig: a 15 cm roller on an axle in a cradle over two load cells\n"
        "# (channels 0-1, left/right), an AS5600 on the axle (angle). Written by\n"
        "# Firmware/sim/make-scenarios.py: 0-3 s empty, 3-5 s sitting down, 5-65 s rolling strokes\n"
        "# (33 strokes/min, 12 cm passes moving 8 cm up the back), 65-80 s hold, 80-81 s lift-off,\n"
        "# 81-83 s lifted (roller spun 400 degrees by hand, body moves 5 cm), 83-84 s put back,\n"
        "# 84-99 s rolling, 99-100 s off. Sensor errors: scale 1.01, offset, wobble, noise.\n")
    write("roller-rotation.scenario", header, lines)
    write("roller-rotation.truth", "", truth)
    return end_s


def rotation_faults():
    """The AS5600 unplugged mid-session, then its magnet lost: faults, never a still angle."""
    end_s = 12.0
    # Someone on the roller throughout: 200 N over the two cells (the cells' zero offsets added).
    load = [round(ZERO_OFFSET_COUNTS[ch] + (2 * TARE_N + 100) * COUNTS_PER_NEWTON) for ch in range(2)]
    lines = ["seed 5\n", "0 hx711 0 noise 75\n", "0 hx711 1 noise 75\n", "0 angle 0 noise 0.1\n",
             f"0 hx711 0 {load[0]}\n", f"0 hx711 1 {load[1]}\n"]
    for k in range(int(end_s / KEY_STEP_S) + 1):
        t = round(k * KEY_STEP_S, 3)
        lines.append(f"{t} angle 0 {30.0 * t:.2f}{' ramp' if k else ''}\n")
    lines += ["3 angle 0 dead\n", "5 angle 0 alive\n", "7 angle 0 magnet 0\n", "9 angle 0 magnet 1\n"]
    lines.sort(key=lambda line: float(line.split()[0]) if line[0].isdigit() else -1)
    header = ("# 200 N on the cradle; the AS5600 turning steadily (30 degrees/s); unplugged at 3 s, back at 5 s; magnet gone\n"
              "# at 7 s, back at 9 s. sim-roller build. Written by Firmware/sim/make-scenarios.py.\n")
    write("rotation-faults.scenario", header, lines)
    return end_s


def rotation_fault_hard_lean():
    """The AS5600's magnet lost while the person leans hard: the position is unknown, the force is
    not, and the stop alarm must still sound (issue "The stop alarm is never silently lost")."""
    end_s = 34.0
    lines = ["seed 21\n", f"0 hx711 0 noise {NOISE_COUNTS}\n", f"0 hx711 1 noise {NOISE_COUNTS}\n",
             f"0 angle 0 noise {ANGLE_NOISE_DEG}\n"]

    def force_at(t):
        if t < 2:
            return 0.0
        if t < 4:  # sitting down
            return fraction_of_body_weight(0.33) * (t - 2) / 2
        if t < 14:  # ordinary rolling strokes
            return fraction_of_body_weight(0.33)
        if t < 15:  # leaning in hard
            return fraction_of_body_weight(0.33 + (0.80 - 0.33) * (t - 14))
        if t < 25:  # a hard lean, 80 % of body weight, still rolling
            return fraction_of_body_weight(0.80)
        if t < 26:
            return fraction_of_body_weight(0.80 - (0.80 - 0.33) * (t - 25))
        if t < 31:
            return fraction_of_body_weight(0.33)
        if t < 32:  # getting off
            return fraction_of_body_weight(0.33) * (32 - t)
        return 0.0

    for k in range(int(end_s / KEY_STEP_S) + 1):
        t = round(k * KEY_STEP_S, 3)
        ramp = " ramp" if k else ""
        force = force_at(t)
        for ch in range(2):
            counts = round(ZERO_OFFSET_COUNTS[ch] + (2 * TARE_N + force / 2) * COUNTS_PER_NEWTON)
            lines.append(f"{t} hx711 {ch} {counts}{ramp}\n")
        rolled_mm = rolling_position_mm(t, 4, 28) if t >= 4 else 0.0
        lines.append(f"{t} angle 0 {math.degrees(rolled_mm / ROLLER_RADIUS_MM):.4f}{ramp}\n")
    lines += ["13 angle 0 magnet 0\n", "28 angle 0 magnet 1\n"]
    lines.sort(key=lambda line: float(line.split()[0]) if line[0].isdigit() else -1)
    header = ("# The reference roller rig, 75 kg: sitting down 2-4 s, rolling at 33 % of body weight, the AS5600's magnet\n"
              "# lost at 13 s (a MAGNET fault), a hard lean to 80 % of body weight 14-26 s while rolling, the magnet back\n"
              "# at 28 s, off at 31-32 s. sim-roller build. Written by Firmware/sim/make-scenarios.py.\n")
    write("rotation-fault-hard-lean.scenario", header, lines)
    return end_s


# The reference ball rig (docs/HARDWARE.md, "Ball motion sensor"): a ball in a socket on a wall
# plate that stands on one load cell (channel 0); an ADNS-3080 reads the ball's surface from the
# socket's bottom, facing the back's contact across the ball, its x across the back and y along it.
BALL_DIAMETER_MM = 67.0  # a tennis ball, 6.54-6.86 cm (ITF Rules of Tennis, Appendix I)
# The ball is flattened where the back presses it, so the back moves (1 - 2c/d) times the surface
# under the sensor (docs/HARDWARE.md, "The geometry"); c the profile's estimate.
BALL_COMPRESSION_MM = 3.0
BALL_ROLLING_SCALE = 1 - 2 * BALL_COMPRESSION_MM / BALL_DIAMETER_MM
# The sensor's errors (adns3080-model.c): the true compression differs from the profile's, so the
# sensor sees 1 % more than the profile predicts; +-5 % relative noise on each read's displacement.
BALL_SCALE = 1.01
BALL_NOISE = 0.05
BALL_STROKES_PER_MIN = 30.0  # inside the 15-40 a minute people use (docs/SAFETY.md)
BALL_STROKE_HALF_RANGE_MM = 50.0  # passes of 10 cm along the spine
BALL_ACROSS_MM = 40.0  # the strokes wander 4 cm across the back over the minute
BALL_DRIFT_UP_MM = 60.0  # and 6 cm up it, so the minute ends away from where it began
BALL_LIFT_SHIFT_MM = (40.0, -30.0)  # the back moves while off the ball, turning nothing


def ball_stroke_mm(t, start_s, seconds):
    """(x across, y along) of the back over the ball, mm from where strokes began."""
    u = min(max(t - start_s, 0.0), seconds)
    cycle_hz = BALL_STROKES_PER_MIN / 60 / 2
    y = BALL_STROKE_HALF_RANGE_MM * (1 - math.cos(2 * math.pi * cycle_hz * u)) + BALL_DRIFT_UP_MM * u / 60
    x = BALL_ACROSS_MM * math.sin(math.pi * u / 120) ** 2 + 8 * math.sin(2 * math.pi * 0.2 * u)
    return x, y


def ball_motion_state(t):
    """(force N, back x mm, back y mm, ball surface travel x mm, y mm, in contact)."""
    press = 25.0
    hold = ball_stroke_mm(65, 5, 60)
    if t < 3:
        return 0.0, 0.0, 0.0, 0.0, 0.0, False
    if t < 5:  # leaning in at the first contact point
        return press * (t - 3) / 2, 0.0, 0.0, 0.0, 0.0, t >= 3.3
    if t < 65:  # a minute of strokes in 2-D
        x, y = ball_stroke_mm(t, 5, 60)
        return press + 6 * math.sin(2 * math.pi * 0.25 * (t - 5)), x, y, x, y, True
    if t < 80:  # a 15 s press on one spot
        return 35.0 + 1.5 * math.sin(2 * math.pi * 0.25 * (t - 65)), hold[0], hold[1], hold[0], hold[1], True
    if t < 81:  # stepping off
        return 35.0 * (81 - t), hold[0], hold[1], hold[0], hold[1], t < 80.9
    moved = (hold[0] + BALL_LIFT_SHIFT_MM[0], hold[1] + BALL_LIFT_SHIFT_MM[1])
    if t < 83:  # off: the back moves, the ball does not turn
        return 0.0, moved[0], moved[1], hold[0], hold[1], False
    if t < 84:  # leaning back in
        return press * (t - 83), moved[0], moved[1], hold[0], hold[1], t >= 83.15
    if t < 96:
        x, y = ball_stroke_mm(t, 84, 12)
        f = press if t < 95 else press * (96 - t)
        return f, moved[0] + x, moved[1] + y, hold[0] + x, hold[1] + y, t < 95.9
    x, y = ball_stroke_mm(96, 84, 12)
    return 0.0, moved[0] + x, moved[1] + y, hold[0] + x, hold[1] + y, False


def ball_motion():
    end_s = 100.0
    lines = ["seed 2718\n", f"0 hx711 0 noise {NOISE_COUNTS}\n",
             f"0 ball 0 scale {BALL_SCALE}\n", f"0 ball 0 noise {BALL_NOISE}\n"]
    truth = ["# time_s back_x_mm back_y_mm in_contact: the scenario's truth, for the position tests\n"]
    steps = int(end_s / KEY_STEP_S)
    for k in range(steps + 1):
        t = round(k * KEY_STEP_S, 3)
        force, x, y, ball_x, ball_y, contact = ball_motion_state(t)
        ramp = " ramp" if k else ""
        lines.append(f"{t} hx711 0 {round(ZERO_OFFSET_COUNTS[0] + (4 * TARE_N + force) * COUNTS_PER_NEWTON)}{ramp}\n")
        # The sensor sees the ball's surface, which moves 1 / (1 - 2c/d) times the back.
        lines.append(f"{t} ball x {ball_x / BALL_ROLLING_SCALE:.4f}{ramp}\n")
        lines.append(f"{t} ball y {ball_y / BALL_ROLLING_SCALE:.4f}{ramp}\n")
        truth.append(f"{t} {x:.3f} {y:.3f} {int(contact)}\n")
    header = (
        "# The reference ball rig: a tennis ball in a socket on a wall plate over one load cell\n"
        "# (channel 0), an ADNS-3080 reading the ball from the socket's bottom (ball x, y: surface\n"
        "# travel in mm). Written by Firmware/sim/make-scenarios.py: 0-3 s empty, 3-5 s leaning in,\n"
        "# 5-65 s strokes in 2-D (30 strokes/min, 10 cm passes along the spine moving 6 cm up the back\n"
        "# and wandering 4 cm across), 65-80 s a press on one spot, 80-81 s stepping off, 81-83 s off (the back moves\n"
        "# 4 cm across and 3 cm down, the ball does not turn), 83-84 s back on, 84-95 s strokes,\n"
        "# 95-96 s off. Sensor errors: scale 1.01, +-5 % noise on each read.\n")
    write("ball-motion.scenario", header, lines)
    write("ball-motion.truth", "", truth)
    return end_s


def ball_faults():
    """The ball sensor unplugged, then blind, then back: faults and no reading, never a still ball."""
    end_s = 8.0
    load = round(ZERO_OFFSET_COUNTS[0] + (4 * TARE_N + 25) * COUNTS_PER_NEWTON)
    lines = ["seed 6\n", "0 hx711 0 noise 75\n", f"0 hx711 0 {load}\n"]
    for k in range(int(end_s / KEY_STEP_S) + 1):
        t = round(k * KEY_STEP_S, 3)
        lines.append(f"{t} ball y {40.0 * t:.2f}{' ramp' if k else ''}\n")
    lines += ["2 ball 0 dead\n", "4 ball 0 alive\n", "5 ball 0 blind 1\n", "6 ball 0 blind 0\n"]
    lines.sort(key=lambda line: float(line.split()[0]) if line[0].isdigit() else -1)
    header = ("# 25 N on the ball; the ball turning steadily (40 mm/s along y); the sensor unplugged at 2 s,\n"
              "# back at 4 s; blind at 5 s, seeing again at 6 s. sim-ball build. Written by Firmware/sim/make-scenarios.py.\n")
    write("ball-faults.scenario", header, lines)
    return end_s


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    for make in (foam_roller, massage_ball, unplugged, roller_rotation, rotation_faults, rotation_fault_hard_lean,
                 ball_motion, ball_faults):
        print(f"  ends at {make()} s")
