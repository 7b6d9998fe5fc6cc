/* RollSense firmware configuration: edit this file to match your wiring, then build and flash
 * (README.md). Every setting can also be given on the compiler command line (-DNAME=value), which
 * is how the Makefile builds its simulator variants. */
#ifndef ROLLSENSE_CONFIG_H
#define ROLLSENSE_CONFIG_H

#define RS_FIRMWARE_MAJOR 1
#define RS_FIRMWARE_MINOR 0
#define RS_FIRMWARE_PATCH 0

/* ---- Sensors --------------------------------------------------------------------------------
 * Channels are numbered HX711 load cells first, then FSRs: with 2 load cells and 1 FSR, channels
 * 0 and 1 are the load cells and channel 2 is the FSR on A0. At most 4 channels in all. */
#ifndef RS_HX711_COUNT
#define RS_HX711_COUNT 4 /* load cells through HX711 boards, 0 to 4 */
#endif
#ifndef RS_FSR_COUNT
#define RS_FSR_COUNT 0 /* force-sensitive resistors on A0, A1, A2, A3, 0 to 4 */
#endif

/* HX711 n uses DOUT on digital pin RS_HX711_FIRST_PIN + 2n and SCK on the pin after it:
 * load cell 0 = D4/D5, 1 = D6/D7, 2 = D8/D9, 3 = D10/D11 (README.md, wiring). D2/D3 stay free:
 * they are the external-interrupt pins, and I2C on the Leonardo/Micro. (They also cost the
 * simulator dearly: simavr polls a low INT0/INT1 pin on every cycle.) Each HX711's RATE pin must
 * be tied to VCC for 80 samples/s. */
#ifndef RS_HX711_FIRST_PIN
#define RS_HX711_FIRST_PIN 4
#endif

/* An HX711 at 80 samples/s signals a new conversion every 12.5 ms and settles in 50 ms after
 * power-up (HX711 datasheet, "Output settling time"); 100 ms without one means it is unplugged,
 * unpowered or broken: a SENSOR_NOT_READY fault. */
#ifndef RS_HX711_TIMEOUT_MS
#define RS_HX711_TIMEOUT_MS 100
#endif

/* FSR wiring (README.md): FSR from 5 V to the analog pin, 10 kOhm from the pin to GND, and a
 * 470 kOhm "bleed" resistor across the FSR's own legs at the sensor end. An unloaded FSR 402 is
 * over 10 MOhm (Interlink datasheet), so the bleed keeps an intact, unloaded sensor at about
 * 5 V * 10k / 480k = 0.10 V = 21 counts, while an unplugged one reads 0. Readings below this
 * threshold are reported as DISCONNECTED. Without the bleed resistor an unloaded FSR also reads
 * 0: set RS_FSR_OPEN_THRESHOLD to 0 to turn the check off. */
#ifndef RS_FSR_OPEN_THRESHOLD
#define RS_FSR_OPEN_THRESHOLD 5
#endif

/* ---- Rotation sensor (docs/HARDWARE.md, "Rotation sensor") -----------------------------------
 * 1: an AS5600 magnetic angle encoder on the roller's axle end, on I2C: SDA A4 / SCL A5 on an
 * Uno or Nano, SDA D2 / SCL D3 on a Leonardo or Micro. Its angle goes out as an extra channel
 * (docs/PROTOCOL.md, "Rotation"); a missing or failing sensor is a FAULT and a sample without an
 * angle, never an angle that stops changing. The reference roller rig (Hardware/rigs/roller.json):
 * 4 load cells + AS5600 (-DRS_HX711_COUNT=4 -DRS_AS5600=1, the uno-roller build). */
#ifndef RS_AS5600
#define RS_AS5600 0
#endif
/* A read takes about 0.25 ms at 400 kHz; one not finished in 2 ms is abandoned (bus held by a
 * wedged sensor, or a cut SCL) and reported as SENSOR_NOT_READY. */
#ifndef RS_AS5600_TIMEOUT_US
#define RS_AS5600_TIMEOUT_US 2000
#endif
/* No good angle for this long (every read failed or none finished): SENSOR_NOT_READY. */
#ifndef RS_AS5600_STALE_MS
#define RS_AS5600_STALE_MS 50
#endif

/* ---- Ball motion sensor (docs/HARDWARE.md, "Ball motion sensor") -------------------------------
 * 1: an ADNS-3080 optical motion sensor reading the ball from below in its socket, on the hardware
 * SPI: MOSI D11, MISO D12, SCK D13 and NCS on RS_ADNS3080_NCS_PIN on an Uno or Nano (on a Leonardo
 * or Micro MOSI/MISO/SCK are on the ICSP header). The x and y counts go out as two extra channels
 * (docs/PROTOCOL.md, "Ball motion"); a missing or failing sensor is a FAULT and a sample without
 * motion counts, never a ball that stopped. The reference ball rig (Hardware/rigs/ball.json): 1 load cell + ADNS-3080
 * (-DRS_HX711_COUNT=1 -DRS_ADNS3080=1). D10 and D11 are load cell 3's pins, so at most 3 load cells. */
#ifndef RS_ADNS3080
#define RS_ADNS3080 0
#endif
#ifndef RS_ADNS3080_NCS_PIN
#define RS_ADNS3080_NCS_PIN 10
#endif
/* 400 or 1600 counts per inch (Configuration_bits bit 4). 400: 8-bit deltas read every
 * millisecond follow 127/400 inch per ms = 8 m/s, far beyond any rolling. */
#ifndef RS_ADNS3080_CPI
#define RS_ADNS3080_CPI 400
#endif
/* Read every millisecond, whatever the sample rate: a sum over many reads cannot overflow the
 * sensor's 8-bit deltas, and SET_RATE 1 still gets every count. */
#ifndef RS_ADNS3080_POLL_US
#define RS_ADNS3080_POLL_US 1000
#endif
/* SQUAL (a quarter of the features the sensor sees) under this: it cannot see the ball's surface
 * (a dirty lens, the ball gone, or no sensor answering, which reads 0): SENSOR_NOT_READY. */
#ifndef RS_ADNS3080_MIN_SQUAL
#define RS_ADNS3080_MIN_SQUAL 8
#endif
#if RS_ADNS3080 && RS_HX711_COUNT > 3
#error "config.h: the ADNS-3080 takes D10/D11, load cell 3's pins: at most 3 load cells with it"
#endif
#if RS_ADNS3080 && RS_AS5600
#error "config.h: one rotation sensor per rig (the extra channels hold the roller's or the ball's)"
#endif
/* ---- Pain button (docs/PROTOCOL.md, "BUTTON") -----------------------------------------------
 * A push button from this pin to GND; the internal pull-up holds the pin high, so a board
 * without a button never sends a press. Pressing it means "it hurts more": the host marks pain
 * exactly as its own `p` key does. D12 is free on every reference rig (the HX711s take D4-D11,
 * the AS5600 the I2C pins, the FSRs A0-A3). -1: no button. */
#ifndef RS_PAIN_BUTTON_PIN
#if RS_ADNS3080
#define RS_PAIN_BUTTON_PIN -1 /* D12 is the ball sensor's MISO: give the ball rig a free pin (D6 with one load cell) */
#else
#define RS_PAIN_BUTTON_PIN 12
#endif
#endif
#if RS_ADNS3080 && RS_PAIN_BUTTON_PIN >= 10 && RS_PAIN_BUTTON_PIN <= 13
#error "config.h: D10-D13 are the ball sensor's SPI pins: put the pain button on a free pin"
#endif
/* A contact bounces for up to a few milliseconds (estimate, typical of small tactile switches):
 * the pin must hold its new level this long before the press counts, and a press is one frame
 * however long it is held. */
#ifndef RS_PAIN_BUTTON_DEBOUNCE_MS
#define RS_PAIN_BUTTON_DEBOUNCE_MS 30
#endif

/* ---- Sampling and link ---------------------------------------------------------------------- */
#ifndef RS_DEFAULT_RATE_HZ
#define RS_DEFAULT_RATE_HZ 100 /* docs/PROTOCOL.md default; SET_RATE changes it (1 to 1000) */
#endif
#define RS_BAUD 115200 /* Uno/Nano USB-serial bridge; ignored by native USB (Leonardo/Micro) */

/* ---- Board code sent in HELLO ---------------------------------------------------------------- */
#ifndef RS_BOARD
#if defined(RS_SIMULATOR)
#define RS_BOARD RS_BOARD_SIMULATOR
#elif defined(ARDUINO_AVR_NANO)
#define RS_BOARD RS_BOARD_NANO
#elif defined(ARDUINO_AVR_UNO)
#define RS_BOARD RS_BOARD_UNO
#elif defined(ARDUINO_AVR_LEONARDO)
#define RS_BOARD RS_BOARD_LEONARDO
#elif defined(ARDUINO_AVR_MICRO)
#define RS_BOARD RS_BOARD_MICRO
#else
#define RS_BOARD RS_BOARD_UNKNOWN
#endif
#endif

#define RS_CHANNEL_COUNT (RS_HX711_COUNT + RS_FSR_COUNT)
#if RS_CHANNEL_COUNT < 1 || RS_CHANNEL_COUNT > 4
#error "config.h: RS_HX711_COUNT + RS_FSR_COUNT must be 1 to 4"
#endif

#endif
