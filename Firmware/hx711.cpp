#include "hx711.h"

#include <Arduino.h>

/* 24 data pulses, then one more to select channel A, gain 128 for the next conversion
 * (HX711 datasheet, Table 3). */
static const uint8_t kDataBits = 24;
static const uint8_t kGain128ExtraPulses = 1;

void hx711Begin(const Hx711 &chip)
{
    /* The pull-up makes an unplugged board read "not ready" forever rather than float. */
    pinMode(chip.doutPin, INPUT_PULLUP);
    pinMode(chip.sckPin, OUTPUT);
    digitalWrite(chip.sckPin, LOW);
}

bool hx711Ready(const Hx711 &chip)
{
    return digitalRead(chip.doutPin) == LOW;
}

/* One SCK pulse; returns DOUT sampled while SCK is high. Interrupts are off only for the pulse
 * itself: SCK high for more than 60 us powers the HX711 down (datasheet), and keeping the whole
 * 25-pulse read atomic would hold off the UART interrupts for a few hundred microseconds. */
static uint8_t pulse(const Hx711 &chip)
{
    noInterrupts();
    digitalWrite(chip.sckPin, HIGH);
    delayMicroseconds(1);
    uint8_t bit = digitalRead(chip.doutPin) == HIGH ? 1 : 0;
    digitalWrite(chip.sckPin, LOW);
    interrupts();
    return bit;
}

int32_t hx711Read(const Hx711 &chip)
{
    uint32_t value = 0;
    for (uint8_t i = 0; i < kDataBits; i++) {
        value = (value << 1) | pulse(chip);
    }
    for (uint8_t i = 0; i < kGain128ExtraPulses; i++) {
        pulse(chip);
    }
    if (value & 0x800000UL) {
        value |= 0xFF000000UL;
    }
    return (int32_t)value;
}
