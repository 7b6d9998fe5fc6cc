/* Host-side tests of protocol.c against Fixtures/protocol/vectors.txt (the same file the Swift
 * tests read) plus the command handling the vectors imply. Usage: test_protocol VECTORS_FILE */
#include "../protocol.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int checks, failures;

#define CHECK(cond, ...)                                                                       \
    do {                                                                                       \
        checks++;                                                                              \
        if (!(cond)) {                                                                         \
            failures++;                                                                        \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                               \
            fprintf(stderr, __VA_ARGS__);                                                      \
            fputc('\n', stderr);                                                               \
        }                                                                                      \
    } while (0)

#define MAX_INPUT 4096
#define MAX_FRAMES 16
#define MAX_CASES 64

typedef struct {
    uint8_t type;
    size_t length;
    uint8_t body[256];
} expected_frame;

typedef struct {
    char name[128];
    uint8_t input[MAX_INPUT];
    size_t input_length;
    expected_frame frames[MAX_FRAMES];
    int frame_count;
    long counters[8]; /* frames crc oversize malformed unknown gaps missing discarded */
    int has_counters;
    char crc_text[64];
    unsigned crc_value;
    int has_crc;
} vector_case;

static vector_case cases[MAX_CASES];
static int case_count;

static const char *counter_names[8] = {"frames", "crc", "oversize", "malformed", "unknown", "gaps", "missing", "discarded"};

static size_t parse_hex(const char *hex, uint8_t *out, size_t capacity)
{
    size_t n = 0;
    while (hex[0] && hex[1] && hex[0] != '\n' && hex[0] != ' ') {
        unsigned byte;
        if (sscanf(hex, "%2x", &byte) != 1 || n >= capacity) {
            fprintf(stderr, "bad hex near '%.10s'\n", hex);
            exit(2);
        }
        out[n++] = (uint8_t)byte;
        hex += 2;
    }
    return n;
}

static void load_vectors(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        exit(2);
    }
    static char line[16384];
    vector_case *c = NULL;
    while (fgets(line, sizeof line, f)) {
        char word[16] = "";
        if (line[0] == '#' || sscanf(line, "%15s", word) != 1) {
            continue;
        }
        const char *rest = line + strlen(word);
        while (*rest == ' ') {
            rest++;
        }
        if (strcmp(word, "case") == 0) {
            if (case_count >= MAX_CASES) {
                fprintf(stderr, "too many cases\n");
                exit(2);
            }
            c = &cases[case_count++];
            memset(c, 0, sizeof *c);
            snprintf(c->name, sizeof c->name, "%s", rest);
            c->name[strcspn(c->name, "\n")] = 0;
        } else if (!c) {
            continue;
        } else if (strcmp(word, "in") == 0) {
            c->input_length += parse_hex(rest, c->input + c->input_length, MAX_INPUT - c->input_length);
        } else if (strcmp(word, "frame") == 0) {
            expected_frame *e = &c->frames[c->frame_count++];
            unsigned type;
            sscanf(rest, "%2x", &type);
            e->type = (uint8_t)type;
            e->length = parse_hex(rest + 3, e->body, sizeof e->body);
        } else if (strcmp(word, "counters") == 0) {
            c->has_counters = 1;
            for (int k = 0; k < 8; k++) {
                char key[32];
                snprintf(key, sizeof key, " %s=", counter_names[k]);
                const char *at = strstr(line, key);
                c->counters[k] = at ? atol(at + strlen(key)) : -1;
            }
        } else if (strcmp(word, "crc") == 0) {
            c->has_crc = 1;
            sscanf(rest, "%63s %x", c->crc_text, &c->crc_value);
        }
        /* "time", "end" and any future keyword: nothing to check on the device side. */
    }
    fclose(f);
}

static const vector_case *find_case(const char *name)
{
    for (int i = 0; i < case_count; i++) {
        if (strcmp(cases[i].name, name) == 0) {
            return &cases[i];
        }
    }
    fprintf(stderr, "FAIL: vector case '%s' missing\n", name);
    failures++;
    return NULL;
}

static int contains(const uint8_t *hay, size_t hay_length, const uint8_t *needle, size_t length)
{
    for (size_t i = 0; i + length <= hay_length; i++) {
        if (memcmp(hay + i, needle, length) == 0) {
            return 1;
        }
    }
    return 0;
}

/* Every expected frame, encoded by the firmware, is byte for byte in the input the reference
 * encoder wrote: the firmware's COBS and CRC match the reference. */
static void check_encoding(const vector_case *c)
{
    for (int i = 0; i < c->frame_count; i++) {
        uint8_t wire[RS_MAX_WIRE_FRAME];
        size_t n = rs_frame_encode(c->frames[i].type, c->frames[i].body, c->frames[i].length, wire);
        CHECK(n > 0 && contains(c->input, c->input_length, wire, n), "%s: frame %d encodes differently", c->name, i);
    }
}

/* Splits the input at 0x00 and checks COBS + CRC like any receiver: the expected frames come out
 * in order among the good ones, and the CRC failures match. */
static void check_deframing(const vector_case *c)
{
    int expected_index = 0;
    long crc_failures = 0;
    size_t start = 0;
    for (size_t i = 0; i < c->input_length; i++) {
        if (c->input[i] != 0) {
            continue;
        }
        size_t length = i - start;
        uint8_t payload[RS_MAX_WIRE_FRAME * 4];
        int n = length ? rs_cobs_decode(c->input + start, length, payload, sizeof payload) : -1;
        start = i + 1;
        if (n < 3 || n > RS_MAX_PAYLOAD) {
            continue;
        }
        uint16_t crc = (uint16_t)(payload[n - 2] | (payload[n - 1] << 8));
        if (crc != rs_crc16(payload, (size_t)n - 2)) {
            crc_failures++;
            continue;
        }
        if (expected_index < c->frame_count) {
            const expected_frame *e = &c->frames[expected_index];
            if (e->type == payload[0] && e->length == (size_t)n - 3 && memcmp(e->body, payload + 1, e->length) == 0) {
                expected_index++;
            }
        }
    }
    CHECK(expected_index == c->frame_count, "%s: only %d of %d frames deframed", c->name, expected_index, c->frame_count);
    if (c->has_counters) {
        CHECK(crc_failures == c->counters[1], "%s: %ld CRC failures, expected %ld", c->name, crc_failures, c->counters[1]);
    }
}

/* "command ..." cases are decoded as a device does: the firmware's receiver must yield exactly
 * these commands and count exactly like the reference. */
static void check_receiver(const vector_case *c)
{
    rs_receiver rx;
    rs_receiver_init(&rx);
    rs_command command;
    int got = 0;
    for (size_t i = 0; i < c->input_length; i++) {
        if (rs_receiver_feed(&rx, c->input[i], &command)) {
            CHECK(got < c->frame_count, "%s: extra command", c->name);
            if (got < c->frame_count) {
                const expected_frame *e = &c->frames[got];
                CHECK(e->type == command.type && e->length == command.body_length && memcmp(e->body, command.body, e->length) == 0,
                      "%s: command %d differs", c->name, got);
            }
            got++;
        }
    }
    CHECK(got == c->frame_count, "%s: %d commands, expected %d", c->name, got, c->frame_count);
    long actual[8] = {(long)rx.counters.frames, (long)rx.counters.crc_failures, (long)rx.counters.oversize,
                      (long)rx.counters.malformed, (long)rx.counters.unknown, 0, 0, (long)rx.counters.discarded};
    for (int k = 0; k < 8; k++) {
        if (c->counters[k] >= 0) {
            CHECK(actual[k] == c->counters[k], "%s: counter %s is %ld, expected %ld", c->name, counter_names[k], actual[k], c->counters[k]);
        }
    }
}

static void check_wire_equals_case(const uint8_t *wire, size_t n, const char *name)
{
    const vector_case *c = find_case(name);
    if (c) {
        CHECK(n == c->input_length && memcmp(wire, c->input, n) == 0, "firmware bytes differ from vector '%s'", name);
    }
}

/* Feeds a vector's command to the handler; returns the REPLY body length. */
static size_t reply_to_case(const char *name, rs_device_state *state, uint8_t *reply)
{
    const vector_case *c = find_case(name);
    if (!c || c->frame_count != 1) {
        return 0;
    }
    rs_command command;
    command.type = c->frames[0].type;
    command.body_length = (uint8_t)c->frames[0].length;
    memcpy(command.body, c->frames[0].body, c->frames[0].length);
    return rs_handle_command(&command, state, reply);
}

static void test_named_cases(void)
{
    uint8_t body[RS_MAX_BODY], wire[RS_MAX_WIRE_FRAME];
    size_t n;

    /* The frames the firmware builds equal the reference's, byte for byte. */
    rs_hello_info info = {1, 0, 0, RS_BOARD_UNO, 0x12345678, 100, RS_FLAG_STREAMING, 4, {1, 1, 1, 1}, 0, {0}};
    n = rs_frame_encode(RS_HELLO, body, rs_hello_body(&info, body), wire);
    check_wire_equals_case(wire, n, "hello");

    /* The roller rig: two load cells and the AS5600 angle as an extra channel. */
    rs_hello_info roller = {1, 0, 0, RS_BOARD_UNO, 0x12345678, 100, RS_FLAG_STREAMING, 2, {1, 1}, 1, {RS_SENSOR_ANGLE}};
    n = rs_frame_encode(RS_HELLO, body, rs_hello_body(&roller, body), wire);
    check_wire_equals_case(wire, n, "hello with rotation channel");
    {
        /* HELLO, then each sample's extra frame just before it, as the sketch sends them. */
        uint8_t stream[4 * RS_MAX_WIRE_FRAME];
        size_t at = n;
        memcpy(stream, wire, n);
        int32_t angle1[1] = {4095}, loads1[2] = {100, -200};
        int32_t angle2[1] = {RS_NO_READING}, loads2[2] = {101, -201};
        at += rs_frame_encode(RS_SAMPLE_EXTRA, body, rs_sample_extra_body(1, angle1, 1, body), stream + at);
        at += rs_frame_encode(RS_SAMPLE, body, rs_sample_body(1, 1000, loads1, 2, body), stream + at);
        at += rs_frame_encode(RS_SAMPLE_EXTRA, body, rs_sample_extra_body(2, angle2, 1, body), stream + at);
        at += rs_frame_encode(RS_SAMPLE, body, rs_sample_body(2, 11000, loads2, 2, body), stream + at);
        check_wire_equals_case(stream, at, "sample with rotation");
    }
    n = rs_frame_encode(RS_FAULT, body, rs_fault_body(8000, RS_FAULT_MAGNET, RS_EXTRA_CHANNEL_BASE, 0x08, body), wire);
    check_wire_equals_case(wire, n, "fault magnet");

    /* The ball rig: one load cell and the optical sensor's x and y motion as extra channels. */
    rs_hello_info ball = {1, 0, 0, RS_BOARD_UNO, 0x12345678, 100, RS_FLAG_STREAMING, 1, {1}, 2, {RS_SENSOR_MOTION_X, RS_SENSOR_MOTION_Y}};
    n = rs_frame_encode(RS_HELLO, body, rs_hello_body(&ball, body), wire);
    check_wire_equals_case(wire, n, "hello with ball channels");
    {
        uint8_t stream[4 * RS_MAX_WIRE_FRAME];
        size_t at = n;
        memcpy(stream, wire, n);
        int32_t motion1[2] = {-1, 127}, load1[1] = {100};
        int32_t motion2[2] = {RS_NO_MOTION_READING, RS_NO_MOTION_READING}, load2[1] = {101};
        at += rs_frame_encode(RS_SAMPLE_EXTRA, body, rs_sample_extra_body(1, motion1, 2, body), stream + at);
        at += rs_frame_encode(RS_SAMPLE, body, rs_sample_body(1, 1000, load1, 1, body), stream + at);
        at += rs_frame_encode(RS_SAMPLE_EXTRA, body, rs_sample_extra_body(2, motion2, 2, body), stream + at);
        at += rs_frame_encode(RS_SAMPLE, body, rs_sample_body(2, 11000, load2, 1, body), stream + at);
        check_wire_equals_case(stream, at, "sample with ball motion");
    }
    n = rs_frame_encode(RS_FAULT, body, rs_fault_body(9000, RS_FAULT_SATURATED, RS_EXTRA_CHANNEL_BASE + 1, 0x90, body), wire);
    check_wire_equals_case(wire, n, "fault motion overflow");

    int32_t four[4] = {100, -200, 8388607, -8388608};
    n = rs_frame_encode(RS_SAMPLE, body, rs_sample_body(1, 1000, four, 4, body), wire);
    check_wire_equals_case(wire, n, "sample 4 channels");
    int32_t one[1] = {512};
    n = rs_frame_encode(RS_SAMPLE, body, rs_sample_body(7, 123456, one, 1, body), wire);
    check_wire_equals_case(wire, n, "sample 1 channel");
    int32_t zeros[4] = {0, 0, 0, 0};
    n = rs_frame_encode(RS_SAMPLE, body, rs_sample_body(0, 0, zeros, 4, body), wire);
    check_wire_equals_case(wire, n, "sample with zero bytes");

    n = rs_frame_encode(RS_FAULT, body, rs_fault_body(5000, RS_FAULT_SENSOR_NOT_READY, 2, 100, body), wire);
    check_wire_equals_case(wire, n, "fault not ready");
    n = rs_frame_encode(RS_FAULT, body, rs_fault_body(6000, RS_FAULT_DROPPED_SAMPLES, 0xFF, 17, body), wire);
    check_wire_equals_case(wire, n, "fault dropped samples");

    /* The pain button's frame, between two samples in its vector. */
    n = rs_frame_encode(RS_BUTTON, body, rs_button_body(5500, RS_BUTTON_PAIN, body), wire);
    const vector_case *button = find_case("button pain");
    CHECK(button != NULL && contains(button->input, button->input_length, wire, n), "firmware button frame differs from vector 'button pain'");

    /* The reply to the vector's ping command is the vector's ping reply. */
    rs_device_state state = {100, 1, RS_MODE_BINARY, 0};
    n = reply_to_case("command ping", &state, body);
    n = rs_frame_encode(RS_REPLY, body, n, wire);
    check_wire_equals_case(wire, n, "reply ping");

    n = reply_to_case("command set rate 1000", &state, body);
    CHECK(n == 5 && body[0] == RS_CMD_SET_RATE && body[1] == 4 && body[2] == RS_STATUS_OK && body[3] == 0xE8 && body[4] == 0x03,
          "set rate 1000 reply");
    CHECK(state.sample_rate_hz == 1000, "set rate 1000 applied");

    n = reply_to_case("command set mode text", &state, body);
    CHECK(n == 3 && body[2] == RS_STATUS_OK && state.mode == RS_MODE_TEXT, "set mode text");

    /* An unknown command 0x99 with tag 3 is answered exactly as the vector's reply. */
    rs_command unknown = {0x99, 1, {3}};
    n = rs_frame_encode(RS_REPLY, body, rs_handle_command(&unknown, &state, body), wire);
    check_wire_equals_case(wire, n, "reply unknown command");
}

static void test_command_edges(void)
{
    uint8_t reply[RS_MAX_BODY];
    rs_device_state state = {100, 1, RS_MODE_BINARY, 0};
    rs_command c;
    size_t n;

    c = (rs_command){RS_CMD_SET_RATE, 3, {1, 0, 0}};
    n = rs_handle_command(&c, &state, reply);
    CHECK(n == 5 && reply[2] == RS_STATUS_BAD_ARGUMENT && state.sample_rate_hz == 100 && reply[3] == 100, "rate 0 refused");
    c = (rs_command){RS_CMD_SET_RATE, 3, {1, 0xE9, 0x03}};
    rs_handle_command(&c, &state, reply);
    CHECK(reply[2] == RS_STATUS_BAD_ARGUMENT && state.sample_rate_hz == 100, "rate 1001 refused");
    c = (rs_command){RS_CMD_SET_RATE, 2, {1, 50}};
    rs_handle_command(&c, &state, reply);
    CHECK(reply[2] == RS_STATUS_BAD_LENGTH, "rate without two bytes");
    c = (rs_command){RS_CMD_SET_RATE, 3, {1, 1, 0}};
    rs_handle_command(&c, &state, reply);
    CHECK(reply[2] == RS_STATUS_OK && state.sample_rate_hz == 1, "rate 1 accepted");

    c = (rs_command){RS_CMD_SET_MODE, 2, {1, 2}};
    rs_handle_command(&c, &state, reply);
    CHECK(reply[2] == RS_STATUS_BAD_ARGUMENT && state.mode == RS_MODE_BINARY, "mode 2 refused");

    c = (rs_command){RS_CMD_STOP, 1, {7}};
    n = rs_handle_command(&c, &state, reply);
    CHECK(n == 3 && reply[1] == 7 && reply[2] == RS_STATUS_OK && !state.streaming, "stop");
    c = (rs_command){RS_CMD_START, 1, {8}};
    rs_handle_command(&c, &state, reply);
    CHECK(state.streaming, "start");
    c = (rs_command){RS_CMD_GET_INFO, 1, {9}};
    rs_handle_command(&c, &state, reply);
    CHECK(state.send_hello, "get info asks for a hello");

    c.type = RS_CMD_PING;
    c.body_length = 1 + RS_PING_MAX_DATA + 1;
    memset(c.body, 0x55, c.body_length);
    rs_handle_command(&c, &state, reply);
    CHECK(reply[2] == RS_STATUS_BAD_LENGTH, "ping over 32 bytes");
    c.body_length = 1 + RS_PING_MAX_DATA;
    n = rs_handle_command(&c, &state, reply);
    CHECK(reply[2] == RS_STATUS_OK && n == 3 + RS_PING_MAX_DATA, "ping of 32 bytes echoed");
    /* The longest reply still fits one frame. */
    uint8_t wire[RS_MAX_WIRE_FRAME];
    CHECK(rs_frame_encode(RS_REPLY, reply, n, wire) > 0, "ping reply fits a frame");
}

static void test_cobs_edges(void)
{
    uint8_t data[600], encoded[620], decoded[600];
    for (int length = 0; length <= 600; length += (length < 260 ? 1 : 113)) {
        for (int i = 0; i < length; i++) {
            data[i] = (uint8_t)((i * 37 + length) % 7 == 0 ? 0 : 1 + (i % 255));
        }
        size_t n = rs_cobs_encode(data, (size_t)length, encoded);
        CHECK(n <= (size_t)length + (size_t)length / 254 + 1, "cobs overhead at %d", length);
        CHECK(memchr(encoded, 0, n) == NULL, "cobs output has a zero at %d", length);
        int d = rs_cobs_decode(encoded, n, decoded, sizeof decoded);
        CHECK(d == length && memcmp(decoded, data, (size_t)length) == 0, "cobs round trip at %d", length);
    }
    uint8_t zero_code[2] = {0x00, 0x01};
    CHECK(rs_cobs_decode(zero_code, 2, decoded, sizeof decoded) == -1, "zero code byte rejected");
    uint8_t past_end[2] = {0x05, 0x01};
    CHECK(rs_cobs_decode(past_end, 2, decoded, sizeof decoded) == -1, "code past end rejected");
    uint8_t body[RS_MAX_BODY + 1] = {0};
    uint8_t wire[RS_MAX_WIRE_FRAME + 8];
    CHECK(rs_frame_encode(RS_REPLY, body, RS_MAX_BODY + 1, wire) == 0, "over-long body refused");
    CHECK(rs_frame_encode(RS_REPLY, body, RS_MAX_BODY, wire) == RS_MAX_WIRE_FRAME, "max frame is 66 bytes on the wire");
}

/* Resynchronisation and counting on input the vectors do not cover from the device side. */
static void test_receiver_resync(void)
{
    uint8_t stream[400], wire[RS_MAX_WIRE_FRAME], body[RS_MAX_BODY];
    size_t length = 0;
    stream[length++] = 0x13; /* COBS code past the end: malformed */
    stream[length++] = 0x37;
    stream[length++] = 0x00;
    uint8_t ping[4] = {1, 'a', 'b', 'c'};
    size_t n = rs_frame_encode(RS_CMD_PING, ping, sizeof ping, wire);
    memcpy(stream + length, wire, n);
    stream[length + 2] ^= 0x40; /* CRC failure */
    size_t crc_bad_length = n - 1;
    length += n;
    int32_t reading[1] = {5};
    size_t sample_length = rs_frame_encode(RS_SAMPLE, body, rs_sample_body(1, 2, reading, 1, body), wire);
    memcpy(stream + length, wire, sample_length); /* a device frame: unknown to a device */
    length += sample_length;
    memset(stream + length, 0xFF, 100); /* oversize */
    length += 100;
    stream[length++] = 0x00;
    n = rs_frame_encode(RS_CMD_PING, ping, sizeof ping, wire);
    memcpy(stream + length, wire, n);
    length += n;

    rs_receiver rx;
    rs_receiver_init(&rx);
    rs_command command;
    int got = 0;
    for (size_t i = 0; i < length; i++) {
        got += rs_receiver_feed(&rx, stream[i], &command);
    }
    CHECK(got == 1 && command.type == RS_CMD_PING && command.body_length == 4, "good ping after garbage");
    CHECK(rx.counters.malformed == 1 && rx.counters.crc_failures == 1 && rx.counters.unknown == 1 && rx.counters.oversize == 1,
          "resync counters %lu %lu %lu %lu", (unsigned long)rx.counters.malformed, (unsigned long)rx.counters.crc_failures,
          (unsigned long)rx.counters.unknown, (unsigned long)rx.counters.oversize);
    CHECK(rx.counters.discarded == 2 + crc_bad_length + (sample_length - 1) + 100, "discarded %lu", (unsigned long)rx.counters.discarded);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s Fixtures/protocol/vectors.txt\n", argv[0]);
        return 2;
    }
    load_vectors(argv[1]);
    CHECK(case_count > 20, "only %d vector cases read", case_count);
    for (int i = 0; i < case_count; i++) {
        const vector_case *c = &cases[i];
        if (c->has_crc) {
            CHECK(rs_crc16((const uint8_t *)c->crc_text, strlen(c->crc_text)) == c->crc_value, "%s: crc", c->name);
        }
        if (c->input_length == 0) {
            continue;
        }
        if (strncmp(c->name, "command", 7) == 0) {
            check_receiver(c);
        } else {
            check_deframing(c);
        }
        check_encoding(c);
    }
    test_named_cases();
    test_command_edges();
    test_cobs_edges();
    test_receiver_resync();
    printf("test_protocol: %d vector cases, %d checks, %d failures\n", case_count, checks, failures);
    return failures ? 1 : 0;
}
