/* AS5600 magnetic angle encoder on the AVR's TWI (I2C), read without ever waiting: a polled state
 * machine that the loop advances by whatever the hardware has finished (docs/HARDWARE.md,
 * "Rotation sensor"). A transaction that does not finish in time is abandoned and reported. */
#ifndef ROLLSENSE_AS5600_H
#define ROLLSENSE_AS5600_H

#include <stdint.h>

/* What the last finished (or abandoned) transaction found. */
enum As5600Result : uint8_t {
    kAs5600Ok = 0,
    kAs5600NoAnswer, /* no ACK to the address: absent, unpowered, or SDA/SCL not connected */
    kAs5600Timeout,  /* a step did not complete in time: bus held, or a wedged sensor */
    kAs5600BusError, /* an unexpected TWI status (arbitration lost, bus error) */
};

struct As5600Reading {
    uint16_t rawAngle;   /* RAW ANGLE, 0-4095 for one turn */
    uint8_t status;      /* STATUS register: bit 5 MD, bit 4 ML, bit 3 MH */
    As5600Result result; /* kAs5600Ok when rawAngle and status are from this read */
    uint32_t atMicros;   /* when the read finished */
};

/* STATUS bits (AS5600 datasheet, STATUS register 0x0B). */
const uint8_t kAs5600MagnetDetected = 0x20;
const uint8_t kAs5600MagnetTooWeak = 0x10;
const uint8_t kAs5600MagnetTooStrong = 0x08;

void as5600Begin();
/* Starts a read of STATUS and RAW ANGLE unless one is under way; returns whether it started. */
bool as5600Start();
/* Advances a read under way; returns true once when it finishes (or is abandoned), filling `out`. */
bool as5600Poll(As5600Reading &out);
/* Whether a read is under way (the loop does not sleep then: TWI steps raise no interrupt). */
bool as5600Busy();

#endif
