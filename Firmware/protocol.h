/* The wire protocol of docs/PROTOCOL.md, device side: COBS framing, CRC-16/CCITT-FALSE, frame
 * bodies and command handling. Plain C with no Arduino dependency, so the same file builds for
 * the AVR and for the host-side tests in tests/ (gcc), which check it against
 * Fixtures/protocol/vectors.txt. */
#ifndef ROLLSENSE_PROTOCOL_H
#define ROLLSENSE_PROTOCOL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RS_PROTOCOL_VERSION 1
/* docs/PROTOCOL.md "Size limit": type + body + CRC. */
#define RS_MAX_PAYLOAD 64
#define RS_MAX_BODY (RS_MAX_PAYLOAD - 3)
/* COBS adds one code byte per 254 payload bytes (one here), plus the 0x00 delimiter. */
#define RS_MAX_WIRE_FRAME (RS_MAX_PAYLOAD + 2)
#define RS_MAX_CHANNELS 4
#define RS_PING_MAX_DATA 32

/* Device frame types. */
#define RS_HELLO 0x01
#define RS_SAMPLE 0x02
#define RS_FAULT 0x03
#define RS_REPLY 0x04
/* The readings of the extra channels (rotation), sent just before the SAMPLE of the same seq. */
#define RS_SAMPLE_EXTRA 0x05
/* A button on the board was pressed (docs/PROTOCOL.md, "BUTTON"): t_us u32, button u8. */
#define RS_BUTTON 0x06
#define RS_BUTTON_PAIN 0 /* "it hurts more": the host marks pain, as its own pain key does */

/* Command types. */
#define RS_CMD_PING 0x81
#define RS_CMD_GET_INFO 0x82
#define RS_CMD_START 0x83
#define RS_CMD_STOP 0x84
#define RS_CMD_SET_RATE 0x85
#define RS_CMD_SET_MODE 0x86
#define RS_FIRST_COMMAND 0x81

/* REPLY status. */
#define RS_STATUS_OK 0
#define RS_STATUS_UNKNOWN_COMMAND 1
#define RS_STATUS_BAD_ARGUMENT 2
#define RS_STATUS_BAD_LENGTH 3

/* FAULT codes. */
#define RS_FAULT_SENSOR_NOT_READY 1
#define RS_FAULT_SATURATED 2
#define RS_FAULT_DISCONNECTED 3
#define RS_FAULT_DROPPED_SAMPLES 4
#define RS_FAULT_WATCHDOG_RESET 5
#define RS_FAULT_MAGNET 6 /* an angle encoder's STATUS: magnet missing, too weak or too strong */
#define RS_FAULT_DEVICE_CHANNEL 0xFF

/* HELLO board codes. */
#define RS_BOARD_UNKNOWN 0
#define RS_BOARD_UNO 1
#define RS_BOARD_NANO 2
#define RS_BOARD_LEONARDO 3
#define RS_BOARD_MICRO 4
#define RS_BOARD_SIMULATOR 5

/* HELLO sensor kinds. */
#define RS_SENSOR_NONE 0
#define RS_SENSOR_HX711 1
#define RS_SENSOR_FSR 2
#define RS_SENSOR_ANGLE 4 /* extra channel: rotation angle, AS5600 raw counts 0-4095 per turn */
/* Extra channels: a ball's motion, optical sensor counts since the previous sample. */
#define RS_SENSOR_MOTION_X 5
#define RS_SENSOR_MOTION_Y 6
/* FAULT `channel` of extra channel k; the force channels keep 0-3. */
#define RS_EXTRA_CHANNEL_BASE 4
/* An extra channel's reading when the sensor gave none this sample (absent, failing). */
#define RS_NO_READING (-1)
/* The same for the motion kinds, whose -1 is a motion: the i24's lowest value. */
#define RS_NO_MOTION_READING (-8388608L)
#define RS_MAX_EXTRA_CHANNELS 4

/* HELLO flags. */
#define RS_FLAG_STREAMING 0x01
#define RS_FLAG_TEXT_MODE 0x02

#define RS_MODE_BINARY 0
#define RS_MODE_TEXT 1
#define RS_MIN_RATE_HZ 1
#define RS_MAX_RATE_HZ 1000

/* CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF, not reflected, no final XOR. */
#define RS_CRC_INIT 0xFFFF
uint16_t rs_crc16_update(uint16_t crc, uint8_t byte);
uint16_t rs_crc16(const uint8_t *data, size_t length);

/* Encodes `length` bytes into `out` (room for length + length / 254 + 1); no delimiter.
 * Returns the encoded length. */
size_t rs_cobs_encode(const uint8_t *data, size_t length, uint8_t *out);
/* Decodes into `out` (room for `capacity`); returns the decoded length or -1 on a COBS error
 * (a zero code byte, a code pointing past the end, or output over capacity). */
int rs_cobs_decode(const uint8_t *data, size_t length, uint8_t *out, size_t capacity);

/* Builds type | body | crc, COBS-encodes it and appends 0x00. `out` holds RS_MAX_WIRE_FRAME.
 * Returns the wire length, or 0 when the body is longer than RS_MAX_BODY. */
size_t rs_frame_encode(uint8_t type, const uint8_t *body, size_t body_length, uint8_t *out);

/* Body builders; each returns the body length. */
typedef struct {
    uint8_t firmware_major, firmware_minor, firmware_patch;
    uint8_t board;
    uint32_t device_id;
    uint16_t sample_rate_hz;
    uint8_t flags;
    uint8_t channel_count;
    uint8_t sensor_kind[RS_MAX_CHANNELS];
    /* Extra channels (docs/PROTOCOL.md, "Rotation"): written after the kinds only when there
     * are any, so a board without them sends the HELLO it always sent. */
    uint8_t extra_count;
    uint8_t extra_kind[RS_MAX_EXTRA_CHANNELS];
} rs_hello_info;

size_t rs_hello_body(const rs_hello_info *info, uint8_t *out);
size_t rs_sample_body(uint16_t seq, uint32_t t_us, const int32_t *readings, uint8_t count, uint8_t *out);
size_t rs_sample_extra_body(uint16_t seq, const int32_t *readings, uint8_t count, uint8_t *out);
size_t rs_fault_body(uint32_t t_us, uint8_t code, uint8_t channel, uint32_t value, uint8_t *out);
size_t rs_button_body(uint32_t t_us, uint8_t button, uint8_t *out);

/* Receiving commands: a streaming deframer fed one byte at a time. It counts like the reference
 * decoder (Tools/wire_reference.py, device side) so the vectors check it. */
typedef struct {
    uint32_t frames, crc_failures, oversize, malformed, unknown, discarded;
} rs_rx_counters;

typedef struct {
    uint8_t buffer[RS_MAX_WIRE_FRAME];
    uint8_t length;
    uint8_t overflowed;
    rs_rx_counters counters;
} rs_receiver;

/* A command that passed COBS, CRC and the type check: body[0] is the tag. */
typedef struct {
    uint8_t type;
    uint8_t body_length;
    uint8_t body[RS_MAX_BODY];
} rs_command;

void rs_receiver_init(rs_receiver *rx);
/* Returns 1 and fills `command` when `byte` completes a command frame, 0 otherwise. */
int rs_receiver_feed(rs_receiver *rx, uint8_t byte, rs_command *command);

/* What the device state a command may change; the sketch owns the state and applies it. */
typedef struct {
    uint16_t sample_rate_hz;
    uint8_t streaming;
    uint8_t mode;
    uint8_t send_hello; /* set by GET_INFO: send a HELLO before the REPLY */
} rs_device_state;

/* Applies `command` to `state` and builds the REPLY body in `reply` (room for RS_MAX_BODY).
 * Returns the reply body length. */
size_t rs_handle_command(const rs_command *command, rs_device_state *state, uint8_t *reply);

#ifdef __cplusplus
}
#endif
#endif
