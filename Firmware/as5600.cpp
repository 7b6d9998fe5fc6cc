#include "as5600.h"

#include <Arduino.h>
#include <util/twi.h>

#include "config.h"

/* 7-bit address, fixed (AS5600 datasheet, "I2C Interface"). */
static const uint8_t kAddress = 0x36;
/* STATUS (0x0B) and RAW ANGLE (0x0C high, 0x0D low) are consecutive: one read of three bytes,
 * the address pointer auto-incrementing from 0x0B (it only stays put when set to 0x0C itself). */
static const uint8_t kFirstRegister = 0x0B;
/* SCL = F_CPU / (16 + 2 * TWBR * prescaler): 400 kHz fast mode with TWBR 12, prescaler 1. The
 * AS5600 supports fast mode; a three-byte read then takes about 0.25 ms on the bus. */
static const uint8_t kTwbr400kHz = 12;

enum Step : uint8_t {
    kIdle,
    kStart,       /* START sent, waiting */
    kAddressW,    /* SLA+W sent */
    kRegister,    /* register pointer sent */
    kRepeated,    /* repeated START sent */
    kAddressR,    /* SLA+R sent */
    kByte0,       /* STATUS being received (ACK) */
    kByte1,       /* RAW ANGLE high (ACK) */
    kByte2,       /* RAW ANGLE low (NACK: last byte) */
};

static Step step = kIdle;
static uint32_t startedMicros;
static uint8_t bytes[3];

static void command(uint8_t bits)
{
    TWCR = _BV(TWINT) | _BV(TWEN) | bits;
}

void as5600Begin()
{
    TWSR = 0; /* prescaler 1 */
    TWBR = kTwbr400kHz;
    TWCR = _BV(TWEN); /* the TWI takes over SDA and SCL; the breakout's pull-ups hold them */
    step = kIdle;
}

bool as5600Busy()
{
    return step != kIdle;
}

bool as5600Start()
{
    if (step != kIdle) {
        return false;
    }
    startedMicros = micros();
    command(_BV(TWSTA));
    step = kStart;
    return true;
}

/* Ends the transaction: STOP on the bus when it is ours, or a TWI reset when it is stuck. */
static bool finish(As5600Reading &out, As5600Result result)
{
    if (result == kAs5600Timeout || result == kAs5600BusError) {
        TWCR = 0; /* releases SDA and SCL and clears the TWI's state */
        TWCR = _BV(TWEN);
    } else {
        command(_BV(TWSTO));
    }
    out.result = result;
    out.atMicros = micros();
    if (result == kAs5600Ok) {
        out.status = bytes[0];
        out.rawAngle = (uint16_t)(((bytes[1] & 0x0F) << 8) | bytes[2]);
    }
    step = kIdle;
    return true;
}

bool as5600Poll(As5600Reading &out)
{
    if (step == kIdle) {
        return false;
    }
    if (!(TWCR & _BV(TWINT))) {
        if ((uint32_t)(micros() - startedMicros) > RS_AS5600_TIMEOUT_US) {
            return finish(out, kAs5600Timeout);
        }
        return false;
    }
    uint8_t status = TW_STATUS;
    switch (step) {
    case kStart:
    case kRepeated:
        if (status != TW_START && status != TW_REP_START) {
            return finish(out, kAs5600BusError);
        }
        TWDR = (uint8_t)((kAddress << 1) | (step == kStart ? TW_WRITE : TW_READ));
        command(0);
        step = step == kStart ? kAddressW : kAddressR;
        return false;
    case kAddressW:
        /* simavr 1.6 (Debian 12) reports an acknowledged SLA+W as 0x28, DATA_ACK; real TWI
         * hardware never gives 0x28 here, so accepting it costs nothing on a board. */
        if (status != TW_MT_SLA_ACK && status != TW_MT_DATA_ACK) {
            /* simavr 1.6 reports a NACKed SLA+W as 0x30, DATA_NACK, likewise. */
            bool nack = status == TW_MT_SLA_NACK || status == TW_MT_DATA_NACK;
            return finish(out, nack ? kAs5600NoAnswer : kAs5600BusError);
        }
        TWDR = kFirstRegister;
        command(0);
        step = kRegister;
        return false;
    case kRegister:
        if (status != TW_MT_DATA_ACK) {
            return finish(out, kAs5600BusError);
        }
        command(_BV(TWSTA));
        step = kRepeated;
        return false;
    case kAddressR:
        if (status != TW_MR_SLA_ACK) {
            return finish(out, status == TW_MR_SLA_NACK ? kAs5600NoAnswer : kAs5600BusError);
        }
        command(_BV(TWEA));
        step = kByte0;
        return false;
    case kByte0:
    case kByte1:
        if (status != TW_MR_DATA_ACK) {
            return finish(out, kAs5600BusError);
        }
        bytes[step - kByte0] = TWDR;
        command(step == kByte0 ? _BV(TWEA) : 0); /* NACK the last byte */
        step = (Step)(step + 1);
        return false;
    case kByte2:
        if (status != TW_MR_DATA_NACK) {
            return finish(out, kAs5600BusError);
        }
        bytes[2] = TWDR;
        return finish(out, kAs5600Ok);
    default:
        return finish(out, kAs5600BusError);
    }
}
