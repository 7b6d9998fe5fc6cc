/* ADNS-3080 optical motion sensor reading a ball from below, on the AVR's hardware SPI, polled
 * without waiting out the sensor's delays: the loop advances a small state machine
 * (docs/HARDWARE.md, "Ball motion sensor"). */
#ifndef ROLLSENSE_ADNS3080_H
#define ROLLSENSE_ADNS3080_H

#include <stdint.h>

/* What the sensor said since the last take. */
struct Adns3080Motion {
    int32_t dx, dy;       /* counts summed over the reads since the last take */
    uint8_t productId;    /* the last Product_ID read (0x17 when the sensor is there) */
    uint8_t squal;        /* the last SQUAL (surface quality) read */
    uint8_t motion;       /* the last Motion register read */
    bool identified;      /* the last Product_ID check found an ADNS-3080 */
    bool overflowed;      /* a read since the last take had OVF set: counts were lost */
    bool lowQuality;      /* a read since the last take had SQUAL under RS_ADNS3080_MIN_SQUAL */
    uint16_t reads;       /* motion reads since the last take */
};

/* Sets up SPI (mode 3, 1 MHz) and the sensor's resolution; blocks about 0.2 ms (setup only). */
void adns3080Begin();
/* Advances the read under way, or starts the next one when it is due; never waits. */
void adns3080Poll();
/* Whether a read is waiting out a sensor delay (the loop must not sleep then). */
bool adns3080Busy();
/* The motion since the last take, and starts a new sum. */
Adns3080Motion adns3080Take();

#endif
