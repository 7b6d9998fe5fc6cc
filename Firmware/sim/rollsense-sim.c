/* rollsense-sim: runs the RollSense firmware ELF under simavr (ATmega328P, 16 MHz) with its UART
 * on a pty and simulated sensors driven by a scenario file. A test tool only: libsimavr is GPL-3
 * and is never part of the shipped firmware. Usage and the scenario format: README.md. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <simavr/avr_adc.h>
#include <simavr/avr_ioport.h>
#include <simavr/avr_uart.h>
#include <simavr/sim_avr.h>
#include <simavr/sim_elf.h>
#include <simavr/sim_hex.h>
#include <simavr/sim_io.h>
#include <simavr/sim_irq.h>

#include "adns3080-model.h"
#include "as5600-model.h"
#include "scenario.h"

#define CPU_HZ 16000000UL
#define SUPPLY_MV 5000
/* HX711 with RATE high: 80 conversions a second (datasheet), one every 12.5 ms = 200000 cycles. */
#define HX711_PERIOD_CYCLES (CPU_HZ / 80)
/* A read with no SCK edge for 1 ms is abandoned (the firmware clocks a read out in about 0.3 ms). */
#define READ_ABANDONED_CYCLES (CPU_HZ / 1000)
/* Analog inputs are refreshed from the scenario every millisecond of simulated time. */
#define ADC_PERIOD_CYCLES (CPU_HZ / 1000)
/* How many instructions run between looks at the pty. */
#define SERVICE_EVERY 2000
/* ATmega328P datasheet, USART register summary: UCSR0B at 0xC1, RXEN0 is bit 4. */
#define UCSR0B_ADDRESS 0xC1
#define RXEN0_BIT (1u << 4)
/* Past this much unread output the simulation waits for the host rather than lose bytes. */
#define OUTPUT_HIGH_WATER (256 * 1024)

/* HX711 n on Arduino pins DOUT = 4 + 2n, SCK = 5 + 2n (config.h): D4-D7 are PD4-PD7,
 * D8-D11 are PB0-PB3 on the ATmega328P. */
static const struct {
    char dout_port, sck_port;
    int dout_bit, sck_bit;
} hx711_pins[SCENARIO_HX711_CHIPS] = {{'D', 'D', 4, 5}, {'D', 'D', 6, 7}, {'B', 'B', 0, 1}, {'B', 'B', 2, 3}};

typedef struct {
    int index;
    avr_irq_t *dout;
    int32_t latched; /* the conversion waiting to be read */
    int ready;
    int bit; /* SCK pulses seen in this read */
    int dead;
    avr_cycle_count_t last_edge; /* cycle of the last SCK rising edge */
} hx711_chip;

static avr_t *avr;
static scenario scene;
static hx711_chip chips[SCENARIO_HX711_CHIPS];
static int master_fd = -1;
static int uart_xoff;
static avr_irq_t *uart_input;

static uint8_t *out_buffer;
static size_t out_length, out_capacity;
static FILE *capture_bin, *capture_times;
static unsigned capture_pending;
static volatile sig_atomic_t stop_requested;

static double sim_seconds(void) { return (double)avr->cycle / CPU_HZ; }

static void die(const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    fputs("rollsense-sim: ", stderr);
    vfprintf(stderr, format, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

/* simavr logs to stdout by default, where the pty path goes: keep it on stderr. */
static void logger(avr_t *a, const int level, const char *format, va_list ap)
{
    (void)a;
    if (level <= LOG_WARNING) {
        vfprintf(stderr, format, ap);
    }
}

/* ---- UART <-> pty ------------------------------------------------------------------------ */
/* The sketch's line rate comes from its UBRR0 and U2X0 (ATmega328P datasheet, "USART Baud Rate
 * Registers"); the host's is the rate it set on the pty. When they differ by more than a real
 * UART tolerates, the host gets what its UART would decode from the sketch's bit stream. */
#define UCSR0A_ADDRESS 0xC0
#define U2X0_BIT (1u << 1)
#define UBRR0L_ADDRESS 0xC4
#define UBRR0H_ADDRESS 0xC5
/* Within this ratio of each other both ends decode each other's bytes (2 % per end, the usual
 * design margin for 8N1; an Arduino's 115200 is 117647 with U2X). */
#define RATE_TOLERANCE 0.03
/* Bytes sent at a mismatched rate wait here until the line is idle, then are decoded together. */
#define MISMATCH_PENDING_MAX 512

static double sketch_baud(void)
{
    unsigned ubrr = ((unsigned)(avr->data[UBRR0H_ADDRESS] & 0x0F) << 8) | avr->data[UBRR0L_ADDRESS];
    unsigned divisor = (avr->data[UCSR0A_ADDRESS] & U2X0_BIT) ? 8 : 16;
    return (double)CPU_HZ / (divisor * (ubrr + 1.0));
}

/* The rate the host set on its end of the pty (the master shares the slave's termios); 0 when
 * unknown. */
static double host_baud(void)
{
    static const struct {
        speed_t code;
        double rate;
    } rates[] = {{B1200, 1200},     {B2400, 2400},     {B4800, 4800},     {B9600, 9600},   {B19200, 19200},
                 {B38400, 38400},   {B57600, 57600},   {B115200, 115200}, {B230400, 230400}, {B460800, 460800},
                 {B500000, 500000}, {B921600, 921600}, {B1000000, 1000000}};
    struct termios t;
    if (master_fd < 0 || tcgetattr(master_fd, &t) < 0) {
        return 0;
    }
    speed_t code = cfgetispeed(&t);
    for (size_t i = 0; i < sizeof rates / sizeof rates[0]; i++) {
        if (rates[i].code == code) {
            return rates[i].rate;
        }
    }
    return 0;
}

static void host_receive(uint8_t byte)
{
    if (out_length == out_capacity) {
        out_capacity = out_capacity ? 2 * out_capacity : 65536;
        out_buffer = realloc(out_buffer, out_capacity);
        if (!out_buffer) {
            die("out of memory");
        }
    }
    out_buffer[out_length++] = byte;
}

/* Bytes on a serial line: when each start bit began (simulated seconds) and the sender's rate. */
typedef struct {
    struct {
        double start;
        uint8_t byte;
    } sent[MISMATCH_PENDING_MAX];
    size_t count;
    double sender_baud, receiver_baud;
} serial_line;

static serial_line to_host;
static double line_idle_at; /* simulated seconds the sketch's last stop bit ends */
static double host_rate;    /* the host's rate as last read, 0 when unknown */

/* The sender's line level at time t: idle high, then per byte a start bit (0), 8 data bits LSB
 * first and a stop bit (1). *cursor speeds up the search; times only move forward. */
static int line_level(const serial_line *line, double t, size_t *cursor)
{
    double bit_time = 1.0 / line->sender_baud;
    while (*cursor < line->count && t >= line->sent[*cursor].start + 10 * bit_time) {
        (*cursor)++;
    }
    if (*cursor == line->count || t < line->sent[*cursor].start) {
        return 1;
    }
    int bit = (int)((t - line->sent[*cursor].start) / bit_time);
    if (bit == 0) {
        return 0;
    }
    if (bit >= 9) {
        return 1;
    }
    return (line->sent[*cursor].byte >> (bit - 1)) & 1;
}

/* Decodes a line's bytes as a UART at the receiver's rate would: find a falling edge (16x
 * oversampling), check the start bit at its middle, sample 8 data bits and the stop bit at their
 * middles. A low stop bit is a framing error, which Linux passes on as 0x00 (termios without
 * IGNPAR or PARMRK); the AVR's USART keeps the byte and flags FE0, which sketches ignore. */
static void decode_line(serial_line *line, void (*receive)(uint8_t byte, int framing_error))
{
    if (line->count == 0) {
        return;
    }
    double receive_bit = 1.0 / line->receiver_baud;
    double step = receive_bit / 16;
    double end = line->sent[line->count - 1].start + 10.0 / line->sender_baud + receive_bit;
    size_t cursor = 0;
    double t = line->sent[0].start;
    int previous = 1;
    while (t < end) {
        int level = line_level(line, t, &cursor);
        if (!(previous == 1 && level == 0)) {
            previous = level;
            t += step;
            continue;
        }
        size_t probe = cursor;
        if (line_level(line, t + receive_bit / 2, &probe) != 0) {
            previous = 1; /* a glitch, not a start bit */
            t += step;
            continue;
        }
        uint8_t byte = 0;
        for (int bit = 0; bit < 8; bit++) {
            byte |= (uint8_t)(line_level(line, t + (bit + 1.5) * receive_bit, &probe) << bit);
        }
        int stop = line_level(line, t + 9.5 * receive_bit, &probe);
        receive(byte, !stop);
        t += 9.5 * receive_bit;
        previous = stop;
    }
    line->count = 0;
}

static void host_receive_decoded(uint8_t byte, int framing_error) { host_receive(framing_error ? 0x00 : byte); }

/* Called as the simulation runs: decodes waiting bytes once the line has been idle for a whole
 * byte at the host's rate (or the queue is full). */
static void service_mismatch(void)
{
    if (to_host.count > 0 && (sim_seconds() > line_idle_at + 12 / to_host.receiver_baud || to_host.count == MISMATCH_PENDING_MAX)) {
        decode_line(&to_host, host_receive_decoded);
    }
}

static int rates_match(double sender, double receiver)
{
    return receiver <= 0 || fabs(sender / receiver - 1) <= RATE_TOLERANCE;
}

static void uart_output(avr_irq_t *irq, uint32_t value, void *param)
{
    (void)irq;
    (void)param;
    uint8_t byte = (uint8_t)value;
    if (master_fd >= 0) {
        double sender = sketch_baud();
        double start = sim_seconds() > line_idle_at ? sim_seconds() : line_idle_at;
        line_idle_at = start + 10 / sender;
        if (rates_match(sender, host_rate)) {
            decode_line(&to_host, host_receive_decoded); /* sent before the host changed its rate */
            host_receive(byte);
        } else {
            if (to_host.count > 0 && (sender != to_host.sender_baud || host_rate != to_host.receiver_baud)) {
                decode_line(&to_host, host_receive_decoded);
            }
            to_host.sender_baud = sender;
            to_host.receiver_baud = host_rate;
            to_host.sent[to_host.count].start = start;
            to_host.sent[to_host.count].byte = byte;
            to_host.count++;
            service_mismatch();
        }
    }
    if (capture_bin) {
        fputc(byte, capture_bin);
        capture_pending++;
        /* One line per frame (0x00) or text line (\n): simulated time the last byte left. */
        if (byte == 0x00 || byte == '\n' || capture_pending >= 64) {
            fprintf(capture_times, "%llu %u\n", (unsigned long long)(avr->cycle / (CPU_HZ / 1000000)), capture_pending);
            capture_pending = 0;
        }
    }
}

static void uart_xon(avr_irq_t *irq, uint32_t value, void *param)
{
    (void)irq, (void)value, (void)param;
    uart_xoff = 0;
}

static void uart_xoff_cb(avr_irq_t *irq, uint32_t value, void *param)
{
    (void)irq, (void)value, (void)param;
    uart_xoff = 1;
}

static void flush_output(void)
{
    while (out_length > 0) {
        ssize_t n = write(master_fd, out_buffer, out_length);
        if (n <= 0) {
            return; /* EAGAIN: the host has not read yet */
        }
        memmove(out_buffer, out_buffer + n, out_length - (size_t)n);
        out_length -= (size_t)n;
    }
}

/* Host bytes wait here and go to the UART only while its 64-byte input FIFO has room. */
static uint8_t in_buffer[4096];
static size_t in_length;

/* The host's bytes as the sketch's UART decodes them when the rates differ (sent back to back
 * at the host's rate); the AVR keeps a byte with a framing error (FE0 set), so it arrives as is. */
static uint8_t garbled_input[16 * MISMATCH_PENDING_MAX];
static size_t garbled_input_length;
static void sketch_receive_decoded(uint8_t byte, int framing_error)
{
    (void)framing_error;
    if (garbled_input_length < sizeof garbled_input) {
        garbled_input[garbled_input_length++] = byte;
    }
}

static void garble_host_bytes(size_t count)
{
    double sketch = sketch_baud();
    if (rates_match(sketch, host_rate)) {
        in_length += count;
        return;
    }
    static serial_line from_host;
    if (count > MISMATCH_PENDING_MAX) {
        count = MISMATCH_PENDING_MAX; /* the rest of one huge write is lost, as a real UART's overrun */
    }
    from_host.sender_baud = host_rate;
    from_host.receiver_baud = sketch;
    for (size_t i = 0; i < count; i++) {
        from_host.sent[i].start = i * 10 / host_rate;
        from_host.sent[i].byte = in_buffer[in_length + i];
    }
    from_host.count = count;
    garbled_input_length = 0;
    decode_line(&from_host, sketch_receive_decoded);
    size_t room = sizeof in_buffer - in_length;
    size_t keep = garbled_input_length < room ? garbled_input_length : room;
    memcpy(in_buffer + in_length, garbled_input, keep);
    in_length += keep;
}

/* Returns -1 when the host closed the pty. */
static int service_pty(void)
{
    double rate = host_baud();
    if (rate != host_rate) {
        /* What was on the line at the old rate reached the host as that rate decoded it, and the
         * host flushes it when it changes rates (tcflush): it never arrives at the new rate. */
        to_host.count = 0;
        out_length = 0;
        host_rate = rate;
    }
    service_mismatch();
    flush_output();
    struct pollfd p = {master_fd, POLLIN, 0};
    if (poll(&p, 1, 0) > 0) {
        if (p.revents & POLLIN && in_length < sizeof in_buffer) {
            ssize_t n = read(master_fd, in_buffer + in_length, sizeof in_buffer - in_length);
            if (n > 0) {
                garble_host_bytes((size_t)n);
            }
        } else if (p.revents & (POLLHUP | POLLERR)) {
            return -1;
        }
    }
    return 0;
}

/* Hands waiting host bytes to the UART. */
static void feed_input(void)
{
    size_t fed = 0;
    /* Until the firmware enables its receiver the bytes wait (a real board would lose them). */
    int receiver_on = (avr->data[UCSR0B_ADDRESS] & RXEN0_BIT) != 0;
    while (receiver_on && fed < in_length && !uart_xoff) {
        avr_raise_irq(uart_input, in_buffer[fed++]);
    }
    memmove(in_buffer, in_buffer + fed, in_length - fed);
    in_length -= fed;
}

static void open_pty(const char *path_file, const char *link_path, int wait_for_host)
{
    int slave_fd;
    char name[256];
    if (openpty(&master_fd, &slave_fd, name, NULL, NULL) < 0) {
        die("openpty: %s", strerror(errno));
    }
    /* Raw on the device side too: no echo of the firmware's bytes back into its own UART. */
    struct termios t;
    tcgetattr(slave_fd, &t);
    cfmakeraw(&t);
    tcsetattr(slave_fd, TCSANOW, &t);
    fcntl(master_fd, F_SETFL, fcntl(master_fd, F_GETFL) | O_NONBLOCK);
    printf("%s\n", name);
    fflush(stdout);
    if (path_file) {
        FILE *f = fopen(path_file, "w");
        if (!f) {
            die("%s: %s", path_file, strerror(errno));
        }
        fprintf(f, "%s\n", name);
        fclose(f);
    }
    if (link_path) {
        unlink(link_path);
        if (symlink(name, link_path) < 0) {
            die("symlink %s: %s", link_path, strerror(errno));
        }
    }
    /* With our slave end closed the master reports POLLHUP until the host opens the pty; what
     * the firmware said before that would be lost, so the simulation waits (HELLO at boot). */
    close(slave_fd);
    if (!wait_for_host) {
        return;
    }
    for (;;) {
        struct pollfd p = {master_fd, POLLIN, 0};
        int r = poll(&p, 1, 50);
        if (stop_requested) {
            exit(0);
        }
        if (r == 0 || !(p.revents & POLLHUP)) {
            /* A host sets its line rate right after opening: let it, before the firmware talks. */
            usleep(50000);
            host_rate = host_baud();
            return;
        }
        usleep(20000);
    }
}

/* ---- HX711 emulation --------------------------------------------------------------------- */
/* simavr re-raises every input pin with its pull-up level on each write to the port register
 * (a digitalWrite on SCK would undo DOUT low), unless the pin has an "external" level: DOUT is
 * declared external and its level kept there. */
static uint8_t external_value[2]; /* ports B and D */
static uint8_t external_mask[2];

static void drive_pin(char port, int pin_bit, int level)
{
    int slot = port == 'B' ? 0 : 1;
    uint8_t bit = (uint8_t)(1u << pin_bit);
    external_mask[slot] |= bit;
    external_value[slot] = level ? (external_value[slot] | bit) : (external_value[slot] & (uint8_t)~bit);
    avr_ioport_external_t external = {.name = port, .mask = external_mask[slot], .value = external_value[slot]};
    avr_ioctl(avr, AVR_IOCTL_IOPORT_SET_EXTERNAL(port), &external);
    avr_raise_irq(avr_io_getirq(avr, AVR_IOCTL_IOPORT_GETIRQ(port), pin_bit), level ? 1 : 0);
}

static void drive_dout(hx711_chip *chip, int level)
{
    drive_pin(hx711_pins[chip->index].dout_port, hx711_pins[chip->index].dout_bit, level);
}

/* The pain button on D12 = PB4 of the ATmega328P (config.h's RS_PAIN_BUTTON_PIN): pressed pulls
 * the pin to GND, released leaves it to the firmware's pull-up (driven high here). Only once the
 * scenario has a button line, so a scenario without one leaves the pin alone. */
#define BUTTON_PORT 'B'
#define BUTTON_BIT 4
static int button_level = -1;

static void drive_button(double t)
{
    if (scene.button.count == 0) {
        return;
    }
    int level = track_value(&scene.button, t) > 0.5 ? 0 : 1;
    if (level != button_level) {
        button_level = level;
        drive_pin(BUTTON_PORT, BUTTON_BIT, level);
    }
}

static int32_t clip24(double v)
{
    if (v > 0x7FFFFF) {
        return 0x7FFFFF;
    }
    if (v < -0x800000) {
        return -0x800000;
    }
    return (int32_t)lround(v);
}

/* The firmware makes SCK an output only for the HX711s it was built with (config.h). */
static int sck_is_output(int index)
{
    avr_ioport_state_t state;
    if (avr_ioctl(avr, AVR_IOCTL_IOPORT_GETSTATE(hx711_pins[index].sck_port), &state) != 0) {
        return 0;
    }
    return (state.ddr >> hx711_pins[index].sck_bit) & 1;
}

/* A conversion completes: latch the scenario's value and pull DOUT low, unless the chip is
 * "dead" (unplugged or unpowered), when DOUT stays high as the firmware's pull-up leaves it. */
static avr_cycle_count_t hx711_last_run, adc_last_run;

static avr_cycle_count_t hx711_convert(avr_t *a, avr_cycle_count_t when, void *param)
{
    (void)a, (void)param;
    hx711_last_run = when;
    double t = (double)when / CPU_HZ;
    for (int i = 0; i < SCENARIO_HX711_CHIPS; i++) {
        hx711_chip *chip = &chips[i];
        track *tr = &scene.hx711[i];
        if (!sck_is_output(i)) {
            continue; /* this firmware build has no HX711 here: leave the pin alone */
        }
        chip->dead = track_dead(tr, t);
        if (chip->bit != 0 && when - chip->last_edge > READ_ABANDONED_CYCLES) {
            /* A read left half done (the AVR was reset mid-read, or pin set-up at reset looked
             * like a clock edge): start over, as the next conversion would on the chip. */
            chip->bit = 0;
        }
        if (chip->dead) {
            chip->ready = 0;
            if (chip->bit == 0) {
                drive_dout(chip, 1);
            }
            continue;
        }
        double noise = scenario_noise(&scene, tr->noise);
        if (chip->bit == 0) { /* a read in progress keeps the old conversion */
            chip->latched = clip24(track_value(tr, t) + noise);
            chip->ready = 1;
            drive_dout(chip, 0);
        }
    }
    return when + HX711_PERIOD_CYCLES;
}

/* SCK rising edge: the HX711 shifts the next bit out on DOUT, MSB first; the 25th pulse ends the
 * read (channel A, gain 128 next) and DOUT goes high until the next conversion. */
static void hx711_sck(avr_irq_t *irq, uint32_t value, void *param)
{
    (void)irq;
    hx711_chip *chip = param;
    if (!value || chip->dead || (!chip->ready && chip->bit == 0)) {
        return;
    }
    chip->bit++;
    chip->last_edge = avr->cycle;
    if (chip->bit <= 24) {
        drive_dout(chip, ((uint32_t)chip->latched >> (24 - chip->bit)) & 1);
    } else {
        chip->bit = 0;
        chip->ready = 0;
        drive_dout(chip, 1);
    }
}

/* ---- ADC --------------------------------------------------------------------------------- */
static avr_cycle_count_t adc_update(avr_t *a, avr_cycle_count_t when, void *param)
{
    (void)param;
    adc_last_run = when;
    double t = (double)when / CPU_HZ;
    /* The scenario's own host bytes ("send" lines) join the queue at their time. */
    while (scene.next_send < scene.send_count && scene.sends[scene.next_send].time_s <= t) {
        host_send *send = &scene.sends[scene.next_send++];
        if (in_length + (size_t)send->length <= sizeof in_buffer) {
            memcpy(in_buffer + in_length, send->bytes, (size_t)send->length);
            in_length += (size_t)send->length;
        }
    }
    drive_button(t);
    for (int pin = 0; pin < SCENARIO_ADC_PINS; pin++) {
        track *tr = &scene.adc[pin];
        if (tr->count == 0) {
            continue;
        }
        double mv = track_value(tr, t) + scenario_noise(&scene, tr->noise);
        mv = mv < 0 ? 0 : mv > SUPPLY_MV ? SUPPLY_MV : mv;
        avr_raise_irq(avr_io_getirq(a, AVR_IOCTL_ADC_GETIRQ, ADC_IRQ_ADC0 + pin), (uint32_t)lround(mv));
    }
    return when + ADC_PERIOD_CYCLES;
}

/* A reset of the AVR (the watchdog's, for one) clears simavr's cycle timers, and with them the
 * sensors' clocks: start them again when they have missed their time. */
static void keep_sensor_timers(void)
{
    if (avr->cycle > hx711_last_run + 2 * HX711_PERIOD_CYCLES) {
        hx711_last_run = avr->cycle;
        for (int i = 0; i < SCENARIO_HX711_CHIPS; i++) {
            chips[i].bit = 0;
            chips[i].ready = 0;
        }
        avr_cycle_timer_register(avr, HX711_PERIOD_CYCLES, hx711_convert, NULL);
    }
    if (avr->cycle > adc_last_run + 2 * ADC_PERIOD_CYCLES) {
        adc_last_run = avr->cycle;
        avr_cycle_timer_register(avr, ADC_PERIOD_CYCLES, adc_update, NULL);
    }
}

/* ---- Bootloader and DTR reset ------------------------------------------------------------
 * For `rollsense flash`: the board starts in a bootloader loaded from a HEX file (the BOOTRST
 * fuse's job on a real chip), and every time a host opens the pty the AVR resets with EXTRF set,
 * as an Uno's DTR line pulls RESET through a capacitor when the port opens. Optiboot runs only
 * after an external reset, so this is what lets avrdude find it listening. */
/* ATmega328P/168 datasheets, register summary: MCUSR at data address 0x54, EXTRF is bit 1. */
#define MCUSR_ADDRESS 0x54
#define EXTRF_BIT (1u << 1)

static int reset_on_open;
static unsigned long long host_opens;

/* A worn flash cell: the byte at worn_address keeps the value it had at start whatever the
 * bootloader's SPM writes there, as a cell past its rated erase/write cycles may. It makes
 * avrdude's read-back verify fail for real. */
static long worn_address = -1;
static uint8_t worn_value;

static void load_bootloader(const char *path)
{
    ihex_chunk_p chunks = NULL;
    int count = read_ihex_chunks(path, &chunks);
    if (count <= 0) {
        die("%s: cannot read the bootloader HEX", path);
    }
    uint32_t lowest = UINT32_MAX;
    for (int i = 0; i < count; i++) {
        if (chunks[i].baseaddr + chunks[i].size > avr->flashend + 1) {
            die("%s: data at 0x%x (%u bytes) does not fit the %s flash (end 0x%x)", path, chunks[i].baseaddr, chunks[i].size, avr->mmcu, avr->flashend);
        }
        memcpy(avr->flash + chunks[i].baseaddr, chunks[i].data, chunks[i].size);
        lowest = chunks[i].baseaddr < lowest ? chunks[i].baseaddr : lowest;
    }
    free_ihex_chunks(chunks);
    avr->reset_pc = lowest;
    avr->pc = lowest;
    /* The application the bootloader writes with SPM lies below it: all of flash is code. */
    avr->codeend = avr->flashend;
}

/* The host opened the pty: what was queued either way is lost with the reset, as on a board. */
static void reset_by_dtr(void)
{
    avr_reset(avr);
    avr->data[MCUSR_ADDRESS] |= EXTRF_BIT;
    in_length = 0;
    out_length = 0;
    uart_xoff = 0;
    hx711_last_run = adc_last_run = 0;
    host_opens++;
}

/* The host closed the pty: the board idles (nobody would hear it) until the next open resets it. */
static void wait_for_next_open(void)
{
    fprintf(stderr, "rollsense-sim: host closed the pty at %.3f s simulated; waiting for the next open\n", sim_seconds());
    for (;;) {
        struct pollfd p = {master_fd, POLLIN, 0};
        int r = poll(&p, 1, 50);
        if (stop_requested) {
            return;
        }
        if (r == 0 || !(p.revents & POLLHUP)) {
            break;
        }
        usleep(20000);
    }
    reset_by_dtr();
}

/* simavr stops on what a chip would survive (a stray write past RAM from a bootloader fed another
 * bootloader's protocol): with a host on the pty the board restarts, as after a brown-out,
 * rather than the pty vanishing under it. */
static void restart_after_crash(void)
{
    fprintf(stderr, "rollsense-sim: the AVR crashed at %.6f s (PC 0x%x); restarting it\n", sim_seconds(), avr->pc);
    avr_reset(avr);
    hx711_last_run = adc_last_run = 0;
}

/* ---- Main -------------------------------------------------------------------------------- */
static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static void no_sleep(avr_t *a, avr_cycle_count_t how_long) { (void)a, (void)how_long; }

static void usage(FILE *to)
{
    fprintf(to,
            "usage: rollsense-sim [options] FIRMWARE.elf\n"
            "       rollsense-sim [options] --bootloader BOOT.hex --reset-on-open [APP.elf]\n"
            "Runs the RollSense firmware under simavr with its UART on a pty (path printed on stdout).\n"
            "  -s, --scenario FILE   sensor scenario (format: Firmware/sim/README.md)\n"
            "  -r, --realtime        run at wall-clock speed (default: as fast as possible, deterministic)\n"
            "  -t, --seconds N       stop after N simulated seconds (default: run until the host closes)\n"
            "  -p, --pty-file FILE   also write the pty path to FILE\n"
            "  -l, --link PATH       also make PATH a symlink to the pty\n"
            "  -n, --no-wait         start at once instead of waiting for the host to open the pty\n"
            "  -c, --capture PREFIX  record the firmware's bytes to PREFIX.bin and their times to PREFIX.times\n"
            "      --no-pty          no pty at all (with --capture and --seconds)\n"
            "  -k, --keep-running    keep running after the host closes the pty\n"
            "  -B, --bootloader HEX  load HEX into flash and start there (the BOOTRST fuse)\n"
            "  -R, --reset-on-open   reset (EXTRF) each time a host opens the pty, as an Uno's DTR does\n"
            "  -m, --mcu NAME        simavr core (default atmega328p; atmega168 for wrong-board tests)\n"
            "  -W, --worn-flash ADDR the flash byte at ADDR (e.g. 0x100) keeps its value when written\n"
            "Example: rollsense-sim -s roller.scenario -t 10 build/sim-hx4/rollsense.elf\n");
}

int main(int argc, char **argv)
{
    static const struct option options[] = {
        {"scenario", required_argument, 0, 's'}, {"realtime", no_argument, 0, 'r'},
        {"seconds", required_argument, 0, 't'},  {"pty-file", required_argument, 0, 'p'},
        {"link", required_argument, 0, 'l'},     {"no-wait", no_argument, 0, 'n'},
        {"capture", required_argument, 0, 'c'},  {"no-pty", no_argument, 0, 'N'},
        {"keep-running", no_argument, 0, 'k'},   {"help", no_argument, 0, 'h'},
        {"bootloader", required_argument, 0, 'B'}, {"reset-on-open", no_argument, 0, 'R'},
        {"mcu", required_argument, 0, 'm'},      {"worn-flash", required_argument, 0, 'W'},
        {0, 0, 0, 0}};
    const char *scenario_path = NULL, *pty_file = NULL, *link_path = NULL, *capture = NULL;
    const char *bootloader_path = NULL, *mcu_name = "atmega328p";
    int realtime = 0, wait_for_host = 1, use_pty = 1, keep_running = 0;
    double stop_after_s = 0;
    int c;
    while ((c = getopt_long(argc, argv, "s:rt:p:l:nc:khB:Rm:W:", options, NULL)) != -1) {
        switch (c) {
        case 's': scenario_path = optarg; break;
        case 'r': realtime = 1; break;
        case 't': {
            char *end;
            stop_after_s = strtod(optarg, &end);
            if (*end || stop_after_s <= 0) {
                die("--seconds wants a positive number, got '%s'", optarg);
            }
            break;
        }
        case 'p': pty_file = optarg; break;
        case 'l': link_path = optarg; break;
        case 'n': wait_for_host = 0; break;
        case 'c': capture = optarg; break;
        case 'N': use_pty = 0; break;
        case 'k': keep_running = 1; break;
        case 'B': bootloader_path = optarg; break;
        case 'R': reset_on_open = 1; break;
        case 'm': mcu_name = optarg; break;
        case 'W': {
            char *end;
            worn_address = strtol(optarg, &end, 0);
            if (*end || worn_address < 0) {
                die("--worn-flash wants a flash byte address, got '%s'", optarg);
            }
            break;
        }
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind != argc - 1 && !(bootloader_path && optind == argc)) {
        usage(stderr);
        return 2;
    }
    if (!use_pty && stop_after_s <= 0) {
        die("--no-pty needs --seconds, or it would never stop");
    }
    scenario_init(&scene);
    if (scenario_path && scenario_load(&scene, scenario_path) < 0) {
        return 1;
    }
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGPIPE, SIG_IGN);

    avr_global_logger_set(logger);
    elf_firmware_t firmware;
    memset(&firmware, 0, sizeof firmware);
    const char *elf_path = optind < argc ? argv[optind] : NULL;
    if (elf_path && elf_read_firmware(elf_path, &firmware) != 0) {
        die("%s: cannot read the firmware ELF (run `make -C Firmware`)", elf_path);
    }
    avr = avr_make_mcu_by_name(mcu_name);
    if (!avr) {
        die("simavr has no %s", mcu_name);
    }
    avr_init(avr);
    /* The ELF carries no mmcu section and avr_init leaves 1 MHz: set the board's values. */
    avr->frequency = CPU_HZ;
    avr->vcc = avr->avcc = avr->aref = SUPPLY_MV;
    avr->sleep = no_sleep;
    if (elf_path) {
        avr_load_firmware(avr, &firmware);
    }
    if (bootloader_path) {
        load_bootloader(bootloader_path);
    }
    if (worn_address > (long)avr->flashend) {
        die("--worn-flash 0x%lx is past the %s flash (end 0x%x)", worn_address, avr->mmcu, avr->flashend);
    }
    if (worn_address >= 0) {
        worn_value = avr->flash[worn_address];
    }

    uint32_t flags = 0;
    avr_ioctl(avr, AVR_IOCTL_UART_GET_FLAGS('0'), &flags);
    flags &= ~(AVR_UART_FLAG_STDIO | AVR_UART_FLAG_POLL_SLEEP);
    avr_ioctl(avr, AVR_IOCTL_UART_SET_FLAGS('0'), &flags);
    uart_input = avr_io_getirq(avr, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_INPUT);
    avr_irq_register_notify(avr_io_getirq(avr, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_OUTPUT), uart_output, NULL);
    avr_irq_register_notify(avr_io_getirq(avr, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_OUT_XON), uart_xon, NULL);
    avr_irq_register_notify(avr_io_getirq(avr, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_OUT_XOFF), uart_xoff_cb, NULL);

    for (int i = 0; i < SCENARIO_HX711_CHIPS; i++) {
        chips[i].index = i;
        chips[i].dout = avr_io_getirq(avr, AVR_IOCTL_IOPORT_GETIRQ(hx711_pins[i].dout_port), hx711_pins[i].dout_bit);
        drive_dout(&chips[i], 1);
        avr_irq_register_notify(avr_io_getirq(avr, AVR_IOCTL_IOPORT_GETIRQ(hx711_pins[i].sck_port), hx711_pins[i].sck_bit),
                                hx711_sck, &chips[i]);
    }
    avr_cycle_timer_register(avr, HX711_PERIOD_CYCLES, hx711_convert, NULL);
    /* Rotation sensor: the AS5600 on the TWI bus (as5600-model.c). A build without it never
     * enables its TWI, so the model is never addressed. */
    as5600_model_attach(avr, &scene);
    /* Ball motion sensor: the ADNS-3080 on SPI with NCS on D10 (adns3080-model.c). A build without
     * it sends no SPI byte, so an HX711 toggling D10 never reaches the model. */
    adns3080_model_attach(avr, &scene);
    adc_update(avr, 0, NULL);
    avr_cycle_timer_register(avr, ADC_PERIOD_CYCLES, adc_update, NULL);

    if (capture) {
        char path[4096];
        snprintf(path, sizeof path, "%s.bin", capture);
        capture_bin = fopen(path, "wb");
        snprintf(path, sizeof path, "%s.times", capture);
        capture_times = fopen(path, "w");
        if (!capture_bin || !capture_times) {
            die("cannot write %s: %s", path, strerror(errno));
        }
        fprintf(capture_times, "# simulated_time_us byte_count: the bytes of %s.bin in order; the last of them left the UART at that time\n", capture);
    }
    if (use_pty) {
        open_pty(pty_file, link_path, wait_for_host);
        if (reset_on_open && wait_for_host) {
            reset_by_dtr();
        }
    }

    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    /* Real time is kept from here; a DTR reset after an idle wait starts the count again. */
    avr_cycle_count_t start_cycle = avr->cycle;
    avr_cycle_count_t stop_cycle = stop_after_s > 0 ? (avr_cycle_count_t)(stop_after_s * CPU_HZ) : 0;
    int status = 0;
    while (!stop_requested) {
        for (int i = 0; i < SERVICE_EVERY; i++) {
            int state = avr_run(avr);
            if (worn_address >= 0) {
                avr->flash[worn_address] = worn_value;
            }
            if (state == cpu_Crashed && reset_on_open) {
                restart_after_crash();
                continue;
            }
            if (state == cpu_Done || state == cpu_Crashed) {
                fprintf(stderr, "rollsense-sim: firmware %s at %.6f s\n", state == cpu_Done ? "stopped" : "crashed", sim_seconds());
                status = state == cpu_Crashed ? 3 : 0;
                goto done;
            }
        }
        if (stop_cycle && avr->cycle >= stop_cycle) {
            break;
        }
        feed_input();
        keep_sensor_timers();
        if (master_fd >= 0) {
            int hung_up = service_pty() < 0;
            if (hung_up && reset_on_open) {
                wait_for_next_open();
                clock_gettime(CLOCK_MONOTONIC, &start);
                start_cycle = avr->cycle;
            } else if (hung_up && !keep_running) {
                fprintf(stderr, "rollsense-sim: host closed the pty at %.3f s simulated\n", sim_seconds());
                goto done;
            }
            /* A host that does not keep up pauses the simulation instead of losing bytes. */
            while (out_length > OUTPUT_HIGH_WATER && !stop_requested) {
                struct pollfd p = {master_fd, POLLOUT, 0};
                poll(&p, 1, 20);
                if (p.revents & POLLHUP && !keep_running && !reset_on_open) {
                    goto done;
                }
                flush_output();
            }
        }
        if (realtime) {
            struct timespec now;
            clock_gettime(CLOCK_MONOTONIC, &now);
            double wall = (double)(now.tv_sec - start.tv_sec) + (double)(now.tv_nsec - start.tv_nsec) / 1e9;
            double ahead = (double)(avr->cycle - start_cycle) / CPU_HZ - wall;
            if (ahead > 0.002) {
                usleep((useconds_t)(ahead * 1e6));
            }
        }
    }
done:
    if (master_fd >= 0) {
        /* Give a reading host up to a second to take the last bytes. */
        for (int i = 0; i < 50 && out_length > 0; i++) {
            flush_output();
            if (out_length) {
                usleep(20000);
            }
        }
    }
    if (capture_bin) {
        if (capture_pending) {
            fprintf(capture_times, "%llu %u\n", (unsigned long long)(avr->cycle / (CPU_HZ / 1000000)), capture_pending);
        }
        fclose(capture_bin);
        fclose(capture_times);
    }
    fprintf(stderr, "rollsense-sim: ran %.3f s simulated\n", sim_seconds());
    return status;
}
