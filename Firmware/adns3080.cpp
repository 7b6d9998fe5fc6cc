#include "adns3080.h"

#include <Arduino.h>

#include "config.h"

/* Registers and delays from the ADNS-3080 datasheet (Avago AV02-0366EN). */
static const uint8_t kRegProductId = 0x00;
static const uint8_t kRegConfigurationBits = 0x0A;
static const uint8_t kRegMotionBurst = 0x50;
static const uint8_t kProductId = 0x17;
static const uint8_t kMotionMot = 0x80;   /* Motion: motion since the last report */
static const uint8_t kMotionOvf = 0x10;   /* Motion: the motion buffer overflowed */
static const uint8_t kConfigResolution1600 = 0x10;
static const uint8_t kWriteBit = 0x80;
/* tSRAD: address to data for a register read; tSRAD-MOT for Motion_Burst; tSWW/tSWR after a write. */
static const uint8_t kReadDelayMicros = 50;
static const uint8_t kBurstDelayMicros = 75;
static const uint8_t kWriteDelayMicros = 50;
/* One Product_ID read among this many reads: a sensor that drops off the bus reads 0x00 or 0xFF,
 * which a motion read alone could take for "no motion" (its SQUAL check catches most of those). */
static const uint8_t kIdCheckEvery = 16;

enum Step : uint8_t { kIdle, kBurstAddressed, kIdAddressed };

static Step step = kIdle;
static uint32_t stepMicros;
static uint32_t lastReadMicros;
static uint8_t readsSinceIdCheck;
static Adns3080Motion sum;

/* One SPI byte both ways. The master clocks it in 8 µs at 1 MHz whatever the sensor does, so this
 * ends; the count only guards against SPI having been turned off. */
static uint8_t transfer(uint8_t out)
{
    SPDR = out;
    for (uint8_t guard = 255; !(SPSR & _BV(SPIF)) && guard; guard--) {
    }
    return SPDR;
}

static void select(bool on)
{
    digitalWrite(RS_ADNS3080_NCS_PIN, on ? LOW : HIGH);
}

void adns3080Begin()
{
    pinMode(RS_ADNS3080_NCS_PIN, OUTPUT);
    select(false);
    pinMode(SS, OUTPUT); /* SPI master mode needs SS as an output (ATmega328P datasheet 19.3.2) */
    pinMode(MOSI, OUTPUT);
    pinMode(SCK, OUTPUT);
    pinMode(MISO, INPUT);
    /* Mode 3 (CPOL 1, CPHA 1), MSB first, F_CPU/16 = 1 MHz (the sensor takes up to 2 MHz). */
    SPCR = _BV(SPE) | _BV(MSTR) | _BV(CPOL) | _BV(CPHA) | _BV(SPR0);
    SPSR = 0;
    select(true);
    transfer(kRegConfigurationBits | kWriteBit);
    transfer(RS_ADNS3080_CPI == 1600 ? kConfigResolution1600 : 0);
    delayMicroseconds(kWriteDelayMicros);
    select(false);
    step = kIdle;
    readsSinceIdCheck = kIdCheckEvery; /* identify on the first poll */
    sum = Adns3080Motion();
}

bool adns3080Busy()
{
    return step != kIdle;
}

void adns3080Poll()
{
    uint32_t now = micros();
    switch (step) {
    case kIdle:
        if (now - lastReadMicros < RS_ADNS3080_POLL_US) {
            return;
        }
        lastReadMicros = now;
        stepMicros = now;
        select(true);
        if (readsSinceIdCheck >= kIdCheckEvery) {
            transfer(kRegProductId);
            step = kIdAddressed;
        } else {
            transfer(kRegMotionBurst);
            step = kBurstAddressed;
        }
        return;
    case kIdAddressed:
        if (now - stepMicros < kReadDelayMicros) {
            return;
        }
        sum.productId = transfer(0);
        sum.identified = sum.productId == kProductId;
        readsSinceIdCheck = 0;
        break;
    case kBurstAddressed: {
        if (now - stepMicros < kBurstDelayMicros) {
            return;
        }
        /* Motion_Burst: Motion, Delta_X, Delta_Y, SQUAL, then more we do not need. Reading Motion
         * latches the deltas and reading them clears them. */
        uint8_t motion = transfer(0);
        int8_t dx = (int8_t)transfer(0);
        int8_t dy = (int8_t)transfer(0);
        uint8_t squal = transfer(0);
        sum.motion = motion;
        sum.squal = squal;
        if (motion & kMotionMot) {
            sum.dx += dx;
            sum.dy += dy;
        }
        if (motion & kMotionOvf) {
            sum.overflowed = true;
        }
        if (squal < RS_ADNS3080_MIN_SQUAL) {
            sum.lowQuality = true;
        }
        sum.reads++;
        readsSinceIdCheck++;
        break;
    }
    }
    select(false);
    step = kIdle;
}

Adns3080Motion adns3080Take()
{
    Adns3080Motion taken = sum;
    sum.dx = 0;
    sum.dy = 0;
    sum.overflowed = false;
    sum.lowQuality = false;
    sum.reads = 0;
    return taken;
}
