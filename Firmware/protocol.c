/* See protocol.h. Written for an 8-bit AVR first: no division, no 32-bit shifts in loops. */
#include "protocol.h"

#include <string.h>

#ifdef __AVR__
#include <util/crc16.h>
#endif

uint16_t rs_crc16_update(uint16_t crc, uint8_t byte)
{
#ifdef __AVR__
    /* avr-libc's XMODEM update is the CCITT polynomial, MSB first; started from 0xFFFF it gives
     * CRC-16/CCITT-FALSE (docs/PROTOCOL.md). */
    return _crc_xmodem_update(crc, byte);
#else
    /* The equivalent C code given in avr-libc's <util/crc16.h> documentation. */
    crc ^= (uint16_t)byte << 8;
    for (uint8_t i = 0; i < 8; i++) {
        crc = (crc & 0x8000) ? (uint16_t)((crc << 1) ^ 0x1021) : (uint16_t)(crc << 1);
    }
    return crc;
#endif
}

uint16_t rs_crc16(const uint8_t *data, size_t length)
{
    uint16_t crc = RS_CRC_INIT;
    for (size_t i = 0; i < length; i++) {
        crc = rs_crc16_update(crc, data[i]);
    }
    return crc;
}

size_t rs_cobs_encode(const uint8_t *data, size_t length, uint8_t *out)
{
    size_t code_at = 0;
    size_t written = 1;
    uint8_t code = 1;
    for (size_t i = 0; i < length; i++) {
        if (data[i] == 0) {
            out[code_at] = code;
            code_at = written++;
            code = 1;
            continue;
        }
        out[written++] = data[i];
        if (++code == 0xFF) {
            out[code_at] = code;
            code_at = written++;
            code = 1;
        }
    }
    out[code_at] = code;
    return written;
}

int rs_cobs_decode(const uint8_t *data, size_t length, uint8_t *out, size_t capacity)
{
    size_t i = 0;
    size_t written = 0;
    while (i < length) {
        uint8_t code = data[i];
        if (code == 0 || i + code > length) {
            return -1;
        }
        for (uint8_t k = 1; k < code; k++) {
            if (written >= capacity) {
                return -1;
            }
            out[written++] = data[i + k];
        }
        i += code;
        if (code != 0xFF && i < length) {
            if (written >= capacity) {
                return -1;
            }
            out[written++] = 0;
        }
    }
    return (int)written;
}

size_t rs_frame_encode(uint8_t type, const uint8_t *body, size_t body_length, uint8_t *out)
{
    if (body_length > RS_MAX_BODY) {
        return 0;
    }
    uint8_t payload[RS_MAX_PAYLOAD];
    payload[0] = type;
    memcpy(payload + 1, body, body_length);
    uint16_t crc = rs_crc16(payload, body_length + 1);
    payload[body_length + 1] = (uint8_t)crc;
    payload[body_length + 2] = (uint8_t)(crc >> 8);
    size_t n = rs_cobs_encode(payload, body_length + 3, out);
    out[n++] = 0;
    return n;
}

static uint8_t *put_u16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    return p + 2;
}

static uint8_t *put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
    return p + 4;
}

size_t rs_hello_body(const rs_hello_info *info, uint8_t *out)
{
    uint8_t *p = out;
    *p++ = RS_PROTOCOL_VERSION;
    *p++ = info->firmware_major;
    *p++ = info->firmware_minor;
    *p++ = info->firmware_patch;
    *p++ = info->board;
    p = put_u32(p, info->device_id);
    p = put_u16(p, info->sample_rate_hz);
    *p++ = info->flags;
    uint8_t count = info->channel_count > RS_MAX_CHANNELS ? RS_MAX_CHANNELS : info->channel_count;
    *p++ = count;
    for (uint8_t i = 0; i < count; i++) {
        *p++ = info->sensor_kind[i];
    }
    uint8_t extras = info->extra_count > RS_MAX_EXTRA_CHANNELS ? RS_MAX_EXTRA_CHANNELS : info->extra_count;
    if (extras > 0) {
        *p++ = extras;
        for (uint8_t i = 0; i < extras; i++) {
            *p++ = info->extra_kind[i];
        }
    }
    return (size_t)(p - out);
}

static uint8_t *put_i24s(uint8_t *p, const int32_t *readings, uint8_t count)
{
    for (uint8_t i = 0; i < count; i++) {
        uint32_t v = (uint32_t)readings[i];
        *p++ = (uint8_t)v;
        *p++ = (uint8_t)(v >> 8);
        *p++ = (uint8_t)(v >> 16);
    }
    return p;
}

size_t rs_sample_body(uint16_t seq, uint32_t t_us, const int32_t *readings, uint8_t count, uint8_t *out)
{
    uint8_t *p = put_u16(out, seq);
    p = put_u32(p, t_us);
    return (size_t)(put_i24s(p, readings, count) - out);
}

size_t rs_sample_extra_body(uint16_t seq, const int32_t *readings, uint8_t count, uint8_t *out)
{
    return (size_t)(put_i24s(put_u16(out, seq), readings, count) - out);
}

size_t rs_fault_body(uint32_t t_us, uint8_t code, uint8_t channel, uint32_t value, uint8_t *out)
{
    uint8_t *p = put_u32(out, t_us);
    *p++ = code;
    *p++ = channel;
    p = put_u32(p, value);
    return (size_t)(p - out);
}

size_t rs_button_body(uint32_t t_us, uint8_t button, uint8_t *out)
{
    uint8_t *p = put_u32(out, t_us);
    *p++ = button;
    return (size_t)(p - out);
}

void rs_receiver_init(rs_receiver *rx)
{
    memset(rx, 0, sizeof *rx);
}

/* Decodes a complete encoded frame; returns 1 for a good command. */
static int finish_frame(rs_receiver *rx, rs_command *command)
{
    uint8_t payload[RS_MAX_WIRE_FRAME];
    int n = rs_cobs_decode(rx->buffer, rx->length, payload, sizeof payload);
    if (n < 3) {
        rx->counters.malformed++;
        return 0;
    }
    if (n > RS_MAX_PAYLOAD) {
        rx->counters.oversize++;
        return 0;
    }
    uint16_t crc = (uint16_t)(payload[n - 2] | (payload[n - 1] << 8));
    if (crc != rs_crc16(payload, (size_t)n - 2)) {
        rx->counters.crc_failures++;
        return 0;
    }
    if (payload[0] < RS_FIRST_COMMAND) {
        /* A device frame echoed back, or a future device type: not for us. */
        rx->counters.unknown++;
        return 0;
    }
    if (n - 3 < 1) {
        /* No tag: nothing to answer with. */
        rx->counters.malformed++;
        return 0;
    }
    command->type = payload[0];
    command->body_length = (uint8_t)(n - 3);
    memcpy(command->body, payload + 1, command->body_length);
    rx->counters.frames++;
    return 1;
}

int rs_receiver_feed(rs_receiver *rx, uint8_t byte, rs_command *command)
{
    if (byte != 0) {
        if (rx->overflowed) {
            rx->counters.discarded++;
        } else if (rx->length >= RS_MAX_WIRE_FRAME) {
            rx->overflowed = 1;
            rx->counters.discarded += rx->length + 1u;
            rx->length = 0;
        } else {
            rx->buffer[rx->length++] = byte;
        }
        return 0;
    }
    if (rx->overflowed) {
        rx->counters.oversize++;
        rx->overflowed = 0;
        return 0;
    }
    if (rx->length == 0) {
        return 0; /* empty frame: a flush, not counted */
    }
    int got = finish_frame(rx, command);
    if (!got) {
        rx->counters.discarded += rx->length;
    }
    rx->length = 0;
    return got;
}

size_t rs_handle_command(const rs_command *command, rs_device_state *state, uint8_t *reply)
{
    const uint8_t *args = command->body + 1;
    uint8_t arg_length = (uint8_t)(command->body_length - 1);
    reply[0] = command->type;
    reply[1] = command->body[0];
    reply[2] = RS_STATUS_OK;
    size_t length = 3;
    /* Trailing bytes after the arguments a command knows are ignored, like the fields a
     * receiver does not know at the end of device frames (docs/PROTOCOL.md, Versioning). */
    switch (command->type) {
    case RS_CMD_PING:
        if (arg_length > RS_PING_MAX_DATA) {
            reply[2] = RS_STATUS_BAD_LENGTH;
            break;
        }
        memcpy(reply + 3, args, arg_length);
        length += arg_length;
        break;
    case RS_CMD_GET_INFO:
        state->send_hello = 1;
        break;
    case RS_CMD_START:
        state->streaming = 1;
        break;
    case RS_CMD_STOP:
        state->streaming = 0;
        break;
    case RS_CMD_SET_RATE:
        if (arg_length < 2) {
            reply[2] = RS_STATUS_BAD_LENGTH;
        } else {
            uint16_t rate = (uint16_t)(args[0] | (args[1] << 8));
            if (rate < RS_MIN_RATE_HZ || rate > RS_MAX_RATE_HZ) {
                reply[2] = RS_STATUS_BAD_ARGUMENT;
            } else {
                state->sample_rate_hz = rate;
            }
        }
        /* The rate in force, also on refusal, so the host always learns it. */
        put_u16(reply + 3, state->sample_rate_hz);
        length += 2;
        break;
    case RS_CMD_SET_MODE:
        if (arg_length < 1) {
            reply[2] = RS_STATUS_BAD_LENGTH;
        } else if (args[0] != RS_MODE_BINARY && args[0] != RS_MODE_TEXT) {
            reply[2] = RS_STATUS_BAD_ARGUMENT;
        } else {
            state->mode = args[0];
        }
        break;
    default:
        reply[2] = RS_STATUS_UNKNOWN_COMMAND;
        break;
    }
    return length;
}
