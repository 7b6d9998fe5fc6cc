/* The AS5600 as the firmware sees it on the bus (AS5600 datasheet, ams, v1-06):
 * - 7-bit address 0x36; registers STATUS 0x0B (bit 5 MD magnet detected, 4 ML too weak, 3 MH too
 *   strong), RAW ANGLE 0x0C/0x0D (12 bits, high byte first), ANGLE 0x0E/0x0F, AGC 0x1A,
 *   MAGNITUDE 0x1B/0x1C; others read 0.
 * - The address pointer is set by the first byte written after SLA+W and increments after each
 *   byte read, except that a pointer set to the high byte of RAW ANGLE, ANGLE or MAGNITUDE stays
 *   on that register pair, so it can be re-read without a write.
 * - 4096 counts a turn. Errors a real one has, from the scenario: a scale factor (the 1 % of a
 *   rolling radius that is not the profile's), a zero offset (where the magnet was glued), a
 *   once-a-turn wobble (a magnet off the axle's centre) and noise.
 * simavr's TWI master sends one IRQ message per bus event and expects the slave to answer ACK or
 * data on its input IRQ at once (simavr avr_twi.c); no answer is a NACK, which is how a "dead"
 * sensor looks. */
#include "as5600-model.h"

#include <math.h>
#include <stddef.h>

#include <simavr/avr_twi.h>
#include <simavr/sim_irq.h>

#define AS5600_ADDRESS 0x36
#define REG_STATUS 0x0B
#define REG_RAW_ANGLE 0x0C
#define REG_ANGLE 0x0E
#define REG_AGC 0x1A
#define REG_MAGNITUDE 0x1B
#define STATUS_MD 0x20
#define COUNTS_PER_TURN 4096
#define CPU_HZ 16000000.0
/* A typical magnet at its nominal distance: AGC mid-range, MAGNITUDE a few thousand. */
#define NOMINAL_AGC 0x80
#define NOMINAL_MAGNITUDE 0x0900

static struct {
    avr_t *avr;
    scenario *scene;
    avr_irq_t *to_avr;
    int selected;     /* addressed since the last START/STOP */
    int expect_pointer; /* the next byte written sets the pointer */
    uint8_t pointer;
    int sticky_base;  /* pointer set to a register pair's high byte: it stays on the pair (0: no) */
    uint8_t registers[256];
} chip;

static int magnet_present(double t)
{
    const track *magnet = &chip.scene->magnet;
    return magnet->count == 0 || t < magnet->keys[0].time_s || track_value(&chip.scene->magnet, t) != 0;
}

/* The registers as the chip would hold them at this instant: latched at SLA+R, so the three
 * bytes of one read belong together. */
static void latch(double t)
{
    scenario *s = chip.scene;
    double true_deg = track_value(&s->angle, t);
    uint16_t raw;
    uint8_t status;
    if (magnet_present(t)) {
        double measured = true_deg * s->angle_scale + s->angle_offset_deg
                          + s->angle_wobble_deg * sin(true_deg * M_PI / 180.0)
                          + scenario_noise(s, s->angle.noise);
        long counts = lround(measured * COUNTS_PER_TURN / 360.0) % COUNTS_PER_TURN;
        raw = (uint16_t)(counts < 0 ? counts + COUNTS_PER_TURN : counts);
        status = STATUS_MD;
    } else {
        /* No field: the output is whatever the Hall sensors' noise makes of it. */
        raw = (uint16_t)lround((scenario_noise(s, 1.0) + 1.0) * (COUNTS_PER_TURN / 2 - 1));
        status = 0x10; /* ML: AGC at its maximum, field too weak */
    }
    chip.registers[REG_STATUS] = status;
    chip.registers[REG_RAW_ANGLE] = (uint8_t)(raw >> 8);
    chip.registers[REG_RAW_ANGLE + 1] = (uint8_t)raw;
    chip.registers[REG_ANGLE] = (uint8_t)(raw >> 8); /* ZPOS/MPOS not programmed: ANGLE = RAW ANGLE */
    chip.registers[REG_ANGLE + 1] = (uint8_t)raw;
    chip.registers[REG_AGC] = status & STATUS_MD ? NOMINAL_AGC : 0xFF;
    uint16_t magnitude = status & STATUS_MD ? NOMINAL_MAGNITUDE : 0x0040;
    chip.registers[REG_MAGNITUDE] = (uint8_t)(magnitude >> 8);
    chip.registers[REG_MAGNITUDE + 1] = (uint8_t)magnitude;
}

static void answer(uint8_t condition, uint8_t address, uint8_t data)
{
    avr_raise_irq(chip.to_avr, avr_twi_irq_msg(condition, address, data));
}

static void on_bus(avr_irq_t *irq, uint32_t value, void *param)
{
    (void)irq, (void)param;
    avr_twi_msg_irq_t message;
    message.u.v = value;
    uint8_t condition = message.u.twi.msg;
    uint8_t address = message.u.twi.addr;
    double t = (double)chip.avr->cycle / CPU_HZ;
    if (condition & TWI_COND_STOP) {
        chip.selected = 0;
    }
    if (condition & TWI_COND_START) {
        /* simavr sends START with the SLA+R/W byte once the firmware has written it. */
        chip.selected = 0;
        if ((address >> 1) != AS5600_ADDRESS || track_dead(&chip.scene->angle, t)) {
            return; /* someone else's address, or unplugged: no ACK */
        }
        chip.selected = 1;
        chip.expect_pointer = !(address & 1);
        if (address & 1) {
            latch(t);
        }
        answer(TWI_COND_ACK, address, 1);
        return;
    }
    if (!chip.selected) {
        return;
    }
    if (condition & TWI_COND_WRITE) {
        if (chip.expect_pointer) {
            chip.pointer = message.u.twi.data;
            int pair = chip.pointer == REG_RAW_ANGLE || chip.pointer == REG_ANGLE || chip.pointer == REG_MAGNITUDE;
            chip.sticky_base = pair ? chip.pointer : 0;
            chip.expect_pointer = 0;
        }
        /* Writes to configuration registers are accepted and ignored: the firmware writes none. */
        answer(TWI_COND_ACK, address, 1);
    } else if (condition & TWI_COND_READ) {
        uint8_t data = chip.registers[chip.pointer];
        if (chip.sticky_base) {
            chip.pointer = chip.pointer == chip.sticky_base ? (uint8_t)(chip.sticky_base + 1) : (uint8_t)chip.sticky_base;
        } else {
            chip.pointer++;
        }
        answer(TWI_COND_READ, address, data);
    }
}

void as5600_model_attach(avr_t *avr, scenario *scene)
{

    chip.avr = avr;
    chip.scene = scene;
    chip.to_avr = avr_io_getirq(avr, AVR_IOCTL_TWI_GETIRQ(0), TWI_IRQ_INPUT);
    avr_irq_register_notify(avr_io_getirq(avr, AVR_IOCTL_TWI_GETIRQ(0), TWI_IRQ_OUTPUT), on_bus, NULL);
}
