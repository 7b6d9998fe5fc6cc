/* sketch-formats: prints what popular load-cell and FSR example sketches print, through the
 * project's own HX711 reader (../hx711.cpp), so the host's text reader can be tested against the
 * real toolchain, the real UART at the sketch's baud rate and the simulator (README.md here).
 * Not the libraries' code: only the shape of their output lines, baud rates and pacing.
 *
 * Build one format with -DSKETCH_FORMAT=n (the Makefile builds them all):
 *   1 bogde/HX711 HX711_basic_example         57600  "HX711 reading: 84111" every 1 s
 *   2 bogde/HX711 HX711_full_example          38400  banner, "one reading:\t1.2\t| average:\t1.32145", ~every 5 s
 *   3 olkal/HX711_ADC Read_1x_load_cell       57600  "Starting...", "Load_cell output val: 12.34" per conversion
 *   4 olkal/HX711_ADC Read_2x_load_cell       57600  "Load_cell 1 output val: 1.20    Load_cell 2 output val: 3.40"
 *   5 SparkFun HX711 example                   9600  "Reading: 1.2 lbs" per conversion
 *   6 Adafruit FSR tutorial                    9600  "Analog reading = 512 - Medium squeeze" every 1 s
 *   7 RobTillaart/HX711 HX711_plotter        115200  "123.4" every 250 ms
 */
#include <Arduino.h>

#include "hx711.h"

#ifndef SKETCH_FORMAT
#error "build with -DSKETCH_FORMAT=1..7"
#endif

/* The sketches' own "calibration": an offset taken at start-up (tare) and a scale factor, as the
 * examples hard-code them. The host never knows them; it calibrates unitless values itself. */
static const float kCountsPerPound = 9525.0f; /* about 2141 counts per newton */
static const float kBogdeScale = 2280.0f;
static const float kOlkalCalibration = 696.0f;
static const float kPlotterScale = 420.0f;

static const Hx711 kChip0 = {4, 5};
static int32_t offset0;
#if SKETCH_FORMAT == 4
static const Hx711 kChip1 = {6, 7};
static int32_t offset1;
#endif

static int32_t readBlocking(const Hx711 &chip)
{
    while (!hx711Ready(chip)) {
    }
    return hx711Read(chip);
}

static float averageCounts(const Hx711 &chip, uint8_t times)
{
    float sum = 0;
    for (uint8_t i = 0; i < times; i++) {
        sum += readBlocking(chip);
    }
    return sum / times;
}

#if SKETCH_FORMAT == 1 || SKETCH_FORMAT == 3 || SKETCH_FORMAT == 4
static const long kBaud = 57600;
#elif SKETCH_FORMAT == 2
static const long kBaud = 38400;
#elif SKETCH_FORMAT == 5 || SKETCH_FORMAT == 6
static const long kBaud = 9600;
#else
static const long kBaud = 115200;
#endif

void setup()
{
    Serial.begin(kBaud);
    hx711Begin(kChip0);
#if SKETCH_FORMAT == 4
    hx711Begin(kChip1);
#endif
#if SKETCH_FORMAT == 2
    Serial.println("HX711 Demo");
    Serial.println("Initializing the scale");
    Serial.println("Before setting up the scale:");
    Serial.print("read: \t\t");
    Serial.println(readBlocking(kChip0));
    Serial.print("read average: \t\t");
    Serial.println((long)averageCounts(kChip0, 20));
#endif
#if SKETCH_FORMAT == 3 || SKETCH_FORMAT == 4
    Serial.println();
    Serial.println("Starting...");
#endif
#if SKETCH_FORMAT == 5
    Serial.println("HX711 scale demo");
#endif
    /* The tare the examples do at start-up: the scenario starts unloaded. */
    offset0 = (int32_t)averageCounts(kChip0, 10);
#if SKETCH_FORMAT == 4
    offset1 = (int32_t)averageCounts(kChip1, 10);
#endif
#if SKETCH_FORMAT == 2
    Serial.println("After setting up the scale:");
    Serial.print("get units: \t\t");
    Serial.println((averageCounts(kChip0, 5) - offset0) / kBogdeScale, 1);
    Serial.println("Readings:");
#endif
#if SKETCH_FORMAT == 3 || SKETCH_FORMAT == 4
    Serial.println("Startup is complete");
#endif
#if SKETCH_FORMAT == 5
    Serial.println("Readings:");
#endif
}

void loop()
{
#if SKETCH_FORMAT == 1
    Serial.print("HX711 reading: ");
    Serial.println(readBlocking(kChip0));
    delay(1000);
#elif SKETCH_FORMAT == 2
    Serial.print("one reading:\t");
    Serial.print((readBlocking(kChip0) - offset0) / kBogdeScale, 1);
    Serial.print("\t| average:\t");
    Serial.println((averageCounts(kChip0, 10) - offset0) / kBogdeScale, 5);
    delay(5000);
#elif SKETCH_FORMAT == 3
    Serial.print("Load_cell output val: ");
    Serial.println((readBlocking(kChip0) - offset0) / kOlkalCalibration);
#elif SKETCH_FORMAT == 4
    float a = (readBlocking(kChip0) - offset0) / kOlkalCalibration;
    float b = (readBlocking(kChip1) - offset1) / kOlkalCalibration;
    Serial.print("Load_cell 1 output val: ");
    Serial.print(a);
    Serial.print("    Load_cell 2 output val: ");
    Serial.println(b);
#elif SKETCH_FORMAT == 5
    Serial.print("Reading: ");
    Serial.print((readBlocking(kChip0) - offset0) / kCountsPerPound, 1);
    Serial.print(" lbs");
    Serial.println();
#elif SKETCH_FORMAT == 6
    int reading = analogRead(A0);
    Serial.print("Analog reading = ");
    Serial.print(reading);
    if (reading < 10) {
        Serial.println(" - No pressure");
    } else if (reading < 200) {
        Serial.println(" - Light touch");
    } else if (reading < 500) {
        Serial.println(" - Light squeeze");
    } else if (reading < 800) {
        Serial.println(" - Medium squeeze");
    } else {
        Serial.println(" - Big squeeze");
    }
    delay(1000);
#else
    Serial.println((readBlocking(kChip0) - offset0) / kPlotterScale, 1);
    delay(250);
#endif
}
