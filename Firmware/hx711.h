/* Bit-banged HX711 reader: channel A, gain 128, never waits for a conversion. */
#ifndef ROLLSENSE_HX711_H
#define ROLLSENSE_HX711_H

#include <stdint.h>

struct Hx711 {
    uint8_t doutPin;
    uint8_t sckPin;
};

void hx711Begin(const Hx711 &chip);
/* DOUT low means a conversion is waiting (HX711 datasheet, "Serial Interface"). */
bool hx711Ready(const Hx711 &chip);
/* Clocks out the waiting conversion; call only when hx711Ready(). Returns the 24-bit two's
 * complement reading sign-extended to 32 bits. */
int32_t hx711Read(const Hx711 &chip);

/* The HX711 clips at these codes (datasheet, "Output Data Format"). */
const int32_t kHx711Max = 0x7FFFFF;
const int32_t kHx711Min = -0x800000;

#endif
