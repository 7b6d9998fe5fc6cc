#!/usr/bin/env python3
"""Writes the sketch-text fixtures: what popular load-cell and FSR example sketches print, byte for
byte as Arduino's Serial.print/println make it (println ends lines with \\r\\n), with the values
the host must read from each. The print statements are those of the libraries' published
examples (named in manifest.json); the numbers are made up. Deterministic:
    python3 Fixtures/sketch-text/make_fixtures.py
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
LBF = 4.448222      # newtons per pound-force (NIST SP 811)
G0 = 9.80665        # standard gravity


def arduino_float(value, digits=2):
    """Serial.print(float, digits): fixed point, no exponent."""
    return f"{value:.{digits}f}"


def line(text):
    return text + "\r\n"


FORMATS = []


def fixture(name, sketch, baud, labels, unit, banner, body, values, partial_first_line=""):
    """banner: lines before the readings; body: the reading lines; values: per reading line, the
    channel values the host must give (newtons when `unit` is set, else the printed raw numbers)."""
    text = partial_first_line + "".join(banner) + "".join(body)
    with open(os.path.join(HERE, name + ".txt"), "w", newline="") as f:
        f.write(text)
    FORMATS.append({
        "name": name, "sketch": sketch, "baud": baud, "labels": labels, "unit": unit,
        "startsMidLine": partial_first_line != "", "values": values,
    })


raw = [84111, 84190, 120455, 251002, 250870, 84120]
fixture("bogde-hx711-basic", "bogde/HX711 HX711_basic_example", 57600, ["HX711 reading"], None,
        [], [line(f"HX711 reading: {v}") for v in raw], [[v] for v in raw], partial_first_line="ng: 84099\r\n")

units = [1.2, 1.3, 10.4, 25.0, -0.1, 0.0]
banner = [line("HX711 Demo"), line("Initializing the scale"), line("Before setting up the scale:"),
          line("read: \t\t8345671"), line("read average: \t\t8345690"), line("get value: \t\t8345690.00"),
          line("get units: \t\t8345690.0"), line("After setting up the scale:"), line("read: \t\t8345672"),
          line("read average: \t\t8345665"), line("get value: \t\t-25.00"), line("get units: \t\t-0.0"),
          line("Readings:")]
fixture("bogde-hx711-full", "bogde/HX711 HX711_full_example", 38400, ["one reading"], None, banner,
        [line(f"one reading:\t{arduino_float(u, 1)}\t| average:\t{arduino_float(u + 0.01234, 5)}") for u in units],
        [[u] for u in units])

cal = [12.34, 15.0, 250.5, 0.0, -1.25]
fixture("olkal-hx711-adc-1x", "olkal/HX711_ADC Read_1x_load_cell", 57600, ["Load_cell output val"], None,
        [line(""), line("Starting..."), line("Startup is complete")],
        [line(f"Load_cell output val: {arduino_float(c)}") for c in cal] + [line("Tare complete")]
        + [line(f"Load_cell output val: {arduino_float(c)}") for c in cal[:2]],
        [[c] for c in cal + cal[:2]])

pairs = [(1.2, 3.4), (10.0, 12.5), (0.0, -0.25)]
fixture("olkal-hx711-adc-2x", "olkal/HX711_ADC Read_2x_load_cell", 57600,
        ["Load_cell 1 output val", "Load_cell 2 output val"], None,
        [line(""), line("Starting..."), line("Startup is complete")],
        [line(f"Load_cell 1 output val: {arduino_float(a)}    Load_cell 2 output val: {arduino_float(b)}") for a, b in pairs],
        [[a, b] for a, b in pairs])

lbs = [1.2, 0.0, 22.5, 40.1]
fixture("sparkfun-hx711", "SparkFun HX711 SparkFun_HX711_Example", 9600, ["Reading"], "lb",
        [line("HX711 scale demo"), line("Readings:")],
        [line(f"Reading: {arduino_float(p, 1)} lbs") for p in lbs], [[p * LBF] for p in lbs])

fixture("sparkfun-hx711-calibration", "SparkFun HX711 SparkFun_HX711_Calibration", 9600, ["Reading"], "lb",
        [line("HX711 calibration sketch"), line("Remove all weight from scale"),
         line("After readings begin, place known weight on scale"),
         line("Press + or a to increase calibration factor"), line("Press - or z to decrease calibration factor"),
         line("Zero factor: 8417")],
        [line(f"Reading: {arduino_float(p, 1)} lbs calibration_factor: -7050.00") for p in lbs],
        [[p * LBF] for p in lbs])


def fsr_words(reading):
    if reading < 10:
        return " - No pressure"
    if reading < 200:
        return " - Light touch"
    if reading < 500:
        return " - Light squeeze"
    if reading < 800:
        return " - Medium squeeze"
    return " - Big squeeze"


fsr = [0, 150, 512, 790, 950]
fixture("adafruit-fsr-simple", "Adafruit FSR tutorial, simple analog reading", 9600, ["Analog reading"], None,
        [], [line(f"Analog reading = {r}{fsr_words(r)}") for r in fsr], [[r] for r in fsr],
        partial_first_line="eze\r\n")

# The tutorial's second sketch prints a block of lines per reading; only its force line has a unit.
forces = [0.25, 1.5, 3.75]
block = []
for n in forces:
    block += [line("Analog reading = 600"), line("Voltage reading in mV = 2932"), line("FSR resistance in ohms = 7053"),
              line("Conductance in microMhos: 141"), line(f"Force in Newtons: {n}"), line("--------------------")]
fixture("adafruit-fsr-force", "Adafruit FSR tutorial, force in newtons", 9600, ["Force in Newtons"], "N",
        [], block, [[n] for n in forces])

plot = [123.4, 130.0, -5.5, 2000.25]
fixture("robtillaart-hx711-plotter", "RobTillaart/HX711 HX711_plotter", 115200, [], None,
        [], [line(str(p)) for p in plot], [[p] for p in plot], partial_first_line="4\r\n")

kg = [0.5, 12.25, 30.0]
fixture("weight-kg-equals", "tutorial style: Weight = 12.25 kg", 9600, ["Weight"], "kg",
        [line("Scale ready"), line("Place weight")], [line(f"Weight = {arduino_float(k)} kg") for k in kg],
        [[k * G0] for k in kg])

grams = [450.0, 1200.5, 0.0]
fixture("load-grams-glued", "tutorial style: Load: 450.0g", 115200, ["Load"], "g",
        [line("Calibrating... done")], [line(f"Load: {arduino_float(g, 1)}g") for g in grams],
        [[g * G0 / 1000] for g in grams])

newtons = [(10.5, 20.25), (0.0, 1.0)]
fixture("two-forces-labelled-units", "tutorial style: Left (N): 10.5, Right (N): 20.25", 19200, ["Left (N)", "Right (N)"],
        "N", [line("Two load cells ready")], [line(f"Left (N): {a}, Right (N): {b}") for a, b in newtons], [[a, b] for a, b in newtons])

with open(os.path.join(HERE, "manifest.json"), "w") as f:
    json.dump(FORMATS, f, indent=1)
    f.write("\n")
