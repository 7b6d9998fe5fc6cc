/* The ADNS-3080 as the firmware sees it on SPI (ADNS-3080 datasheet, Avago AV02-0366EN):
 * - Registers Product_ID 0x00 = 0x17, Motion 0x02 (bit 7 MOT, bit 4 OVF, bit 0 resolution),
 *   Delta_X 0x03, Delta_Y 0x04 (8-bit two's complement), SQUAL 0x05, Configuration_bits 0x0A
 *   (bit 4: 1600 counts per inch, else 400), Inverse_Product_ID 0x3F = 0xE8, Motion_Burst 0x50
 *   (Motion, Delta_X, Delta_Y, SQUAL, Shutter_Upper, Shutter_Lower, Maximum_Pixel).
 * - A transaction starts when NCS falls. The first byte is the address, bit 7 set for a write;
 *   a read's data comes in the transfer after it, no sooner than tSRAD (50 us; 75 us for
 *   Motion_Burst) after the address: a firmware that reads early gets 0xFF here.
 * - Reading Motion (or starting a Motion_Burst) latches the motion since the last latch; an
 *   amount beyond -128..127 is clipped and sets OVF (counts lost).
 * The motion comes from the scenario's true ball surface travel, times a scale error, with a
 * relative noise on each read's displacement; fractions of a count carry over as in the chip.
 * simavr's SPI master raises its output IRQ for each byte sent and takes the byte that comes back
 * on its input IRQ (simavr avr_spi.c); a sensor that does not answer leaves the AVR reading 0x00. */
#include "adns3080-model.h"

#include <math.h>
#include <stddef.h>

#include <simavr/avr_ioport.h>
#include <simavr/avr_spi.h>
#include <simavr/sim_irq.h>

#define REG_PRODUCT_ID 0x00
#define REG_MOTION 0x02
#define REG_DELTA_X 0x03
#define REG_DELTA_Y 0x04
#define REG_SQUAL 0x05
#define REG_CONFIGURATION_BITS 0x0A
#define REG_INVERSE_PRODUCT_ID 0x3F
#define REG_MOTION_BURST 0x50
#define PRODUCT_ID 0x17
#define MOTION_MOT 0x80
#define MOTION_OVF 0x10
#define CONFIG_1600 0x10
#define CPU_HZ 16000000.0
#define T_SRAD_S 50e-6
#define T_SRAD_MOT_S 75e-6
/* A ball's matte surface under the sensor's LED: well featured (SQUAL of a good surface is tens). */
#define SQUAL_SEEN 48
#define SQUAL_BLIND 2

enum state { IDLE, ADDRESS, READ_DATA, BURST, WRITE_DATA };

static struct {
    avr_t *avr;
    scenario *scene;
    avr_irq_t *to_avr;
    int selected;
    enum state state;
    uint8_t address;
    double addressed_s;
    int burst_index;
    uint8_t burst[7];
    uint8_t registers[128];
    double last_x_mm, last_y_mm; /* true travel at the last latch */
    double carry_x, carry_y;     /* counts measured but not yet reported (fractions included) */
} chip;

static double now_s(void)
{
    return (double)chip.avr->cycle / CPU_HZ;
}

static int8_t take_counts(double *carry, int *overflow)
{
    double whole = trunc(*carry);
    if (whole > 127 || whole < -128) {
        *overflow = 1;
        whole = whole > 0 ? 127 : -128;
        *carry = 0; /* the rest is lost, as the chip loses it */
    } else {
        *carry -= whole;
    }
    return (int8_t)whole;
}

/* The motion since the last latch, into Motion, Delta_X, Delta_Y and SQUAL. */
static void latch(double t)
{
    scenario *s = chip.scene;
    double x = track_value(&s->ball_x, t), y = track_value(&s->ball_y, t);
    double cpi = chip.registers[REG_CONFIGURATION_BITS] & CONFIG_1600 ? 1600 : 400;
    double per_mm = cpi / 25.4 * s->ball_scale;
    chip.carry_x += (x - chip.last_x_mm) * per_mm * (1 + scenario_noise(s, s->ball_x.noise));
    chip.carry_y += (y - chip.last_y_mm) * per_mm * (1 + scenario_noise(s, s->ball_x.noise));
    chip.last_x_mm = x;
    chip.last_y_mm = y;
    int overflow = 0;
    int8_t dx = take_counts(&chip.carry_x, &overflow), dy = take_counts(&chip.carry_y, &overflow);
    int blind = s->ball_blind.count && t >= s->ball_blind.keys[0].time_s && track_value(&s->ball_blind, t) != 0;
    chip.registers[REG_MOTION] = (uint8_t)((dx || dy || overflow ? MOTION_MOT : 0) | (overflow ? MOTION_OVF : 0)
                                           | (cpi == 1600 ? 1 : 0));
    chip.registers[REG_DELTA_X] = (uint8_t)dx;
    chip.registers[REG_DELTA_Y] = (uint8_t)dy;
    chip.registers[REG_SQUAL] = blind ? SQUAL_BLIND : SQUAL_SEEN;
}

static void answer(uint8_t byte)
{
    avr_raise_irq(chip.to_avr, byte);
}

static void on_ncs(avr_irq_t *irq, uint32_t value, void *param)
{
    (void)irq, (void)param;
    chip.selected = !value;
    chip.state = chip.selected ? ADDRESS : IDLE;
}

static void on_byte(avr_irq_t *irq, uint32_t value, void *param)
{
    (void)irq, (void)param;
    double t = now_s();
    if (!chip.selected || track_dead(&chip.scene->ball_x, t)) {
        return; /* MISO not driven: the AVR reads what its SPI register was cleared to */
    }
    uint8_t byte = (uint8_t)value;
    switch (chip.state) {
    case IDLE:
        return;
    case ADDRESS:
        chip.address = byte & 0x7F;
        chip.addressed_s = t;
        if (byte & 0x80) {
            chip.state = WRITE_DATA;
        } else if (chip.address == REG_MOTION_BURST) {
            latch(t);
            chip.burst[0] = chip.registers[REG_MOTION];
            chip.burst[1] = chip.registers[REG_DELTA_X];
            chip.burst[2] = chip.registers[REG_DELTA_Y];
            chip.burst[3] = chip.registers[REG_SQUAL];
            chip.burst[4] = 0x01; /* shutter: a short exposure, the LED on a near, bright ball */
            chip.burst[5] = 0x00;
            chip.burst[6] = 0x30;
            chip.burst_index = 0;
            chip.state = BURST;
        } else {
            if (chip.address == REG_MOTION) {
                latch(t);
            }
            chip.state = READ_DATA;
        }
        answer(0);
        return;
    case WRITE_DATA:
        chip.registers[chip.address] = byte;
        chip.state = ADDRESS;
        answer(0);
        return;
    case READ_DATA:
        /* Read too early: the sensor has not fetched the register yet. */
        answer(t - chip.addressed_s < T_SRAD_S ? 0xFF : chip.registers[chip.address]);
        chip.state = ADDRESS;
        return;
    case BURST:
        answer(t - chip.addressed_s < T_SRAD_MOT_S ? 0xFF : chip.burst_index < 7 ? chip.burst[chip.burst_index] : 0);
        chip.burst_index++;
        return;
    }
}

void adns3080_model_attach(avr_t *avr, scenario *scene)
{
    chip.avr = avr;
    chip.scene = scene;
    chip.registers[REG_PRODUCT_ID] = PRODUCT_ID;
    chip.registers[REG_INVERSE_PRODUCT_ID] = (uint8_t)~PRODUCT_ID;
    chip.to_avr = avr_io_getirq(avr, AVR_IOCTL_SPI_GETIRQ(0), SPI_IRQ_INPUT);
    avr_irq_register_notify(avr_io_getirq(avr, AVR_IOCTL_SPI_GETIRQ(0), SPI_IRQ_OUTPUT), on_byte, NULL);
    avr_irq_register_notify(avr_io_getirq(avr, AVR_IOCTL_IOPORT_GETIRQ('B'), 2), on_ncs, NULL);
    chip.selected = 0;
    chip.state = IDLE;
}
