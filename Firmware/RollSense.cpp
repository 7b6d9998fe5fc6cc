/* RollSense firmware: samples load cells (HX711) and/or FSRs at a steady rate and streams them
 * in the framed protocol of docs/PROTOCOL.md, or as Serial Plotter text. One loop, no blocking:
 * a sample that does not fit in the serial transmit buffer is dropped and counted. */
#include <Arduino.h>
#include <EEPROM.h>
#include <avr/sleep.h>
#include <avr/wdt.h>

#include "adns3080.h"
#include "as5600.h"
#include "config.h"
#include "hx711.h"
#include "protocol.h"

/* ---- Reset cause --------------------------------------------------------------------------- */
/* MCUSR must be read and the watchdog stopped before the C runtime starts, or a watchdog reset
 * keeps re-triggering (avr-libc <avr/wdt.h> documentation). */
static uint8_t resetFlags __attribute__((section(".noinit")));
extern "C" void captureResetFlags(void) __attribute__((naked, used, section(".init3")));
extern "C" void captureResetFlags(void)
{
    resetFlags = MCUSR;
    MCUSR = 0;
    wdt_disable();
}

/* ---- Constants ----------------------------------------------------------------------------- */
/* A stuck loop resets the board; a normal iteration takes well under 2 ms. */
static const uint8_t kWatchdogTimeout = WDTO_250MS;
/* docs/PROTOCOL.md: a fault is reported when it starts and at most once a second after. */
static const uint16_t kFaultRepeatMs = 1000;
static const uint32_t kMicrosPerSecond = 1000000UL;
/* Timer 0 (micros, millis) interrupts every 1024 us at 16 MHz (Arduino core, wiring.c), waking the
 * CPU from idle; sleep only when the next sample is further away than that. */
static const int32_t kIdleMarginMicros = 1100;
/* EEPROM layout: two magic bytes, then the device id (u32, little-endian). */
static const int kEepromMagicAddress = 0;
static const uint8_t kEepromMagic[2] = {'R', 'S'};
static const int kEepromIdAddress = 2;
/* A floating analog pin for the id's entropy (unused by the sensors, which take A0-A3). */
static const uint8_t kEntropyPin = A5;

#if defined(RS_SIMULATOR)
static const uint8_t kSimulatorHangCommand = 0xF0;
#endif

/* ---- State --------------------------------------------------------------------------------- */
struct FaultState {
    uint8_t activeCode; /* the fault reported for this channel, 0 when none */
    uint16_t lastReportMs;
};

#if RS_HX711_COUNT > 0
static Hx711 hx711s[RS_HX711_COUNT];
static int32_t hx711LastReading[RS_HX711_COUNT];
static uint32_t hx711LastReadyMs[RS_HX711_COUNT];
#endif
static FaultState faults[RS_CHANNEL_COUNT];

#if RS_AS5600
/* Extra channel 0: the AS5600's angle (docs/PROTOCOL.md, "Rotation"). */
static const uint8_t kExtraCount = 1;
/* A read starts once the sample is less than this far away. The loop wakes at least every
 * 1024 us (timer 0), so it is sure to look inside this window and the read (about 0.25 ms) is
 * done before the sample: the angle is at most about 2 ms older than the sample's t_us. */
static const int32_t kRotationLeadMicros = 2200;
static FaultState rotationFault;
static As5600Reading rotationReading;
static bool rotationFinished;     /* a read finished since the last sample */
static bool rotationStarted;      /* the read for the coming sample has started */
static uint32_t rotationLastGoodMs;
#elif RS_ADNS3080
/* Extra channels 0 and 1: the ball's x and y motion (docs/PROTOCOL.md, "Ball motion"). */
static const uint8_t kExtraCount = 2;
static FaultState motionFault;
#else
static const uint8_t kExtraCount = 0;
#endif

static rs_device_state device = {RS_DEFAULT_RATE_HZ, 1, RS_MODE_BINARY, 0};
static uint32_t deviceId;
static uint32_t periodMicros;
static uint32_t nextSampleMicros;
static uint16_t sequence;
static uint32_t droppedUnreported;
static uint16_t droppedLastReportMs;
static bool droppedReportedOnce;
static bool helloSent;

static rs_receiver receiver;

/* Control frames (HELLO, REPLY, FAULT) wait here until the transmit buffer has room for a whole
 * frame; they go out before any sample. Sized for a HELLO and the longest REPLY at once. */
static uint8_t outbox[3 * RS_MAX_WIRE_FRAME];
static uint8_t outboxLength;

/* ---- Output -------------------------------------------------------------------------------- */
static bool queueFrame(uint8_t type, const uint8_t *body, size_t bodyLength)
{
    uint8_t wire[RS_MAX_WIRE_FRAME];
    size_t n = rs_frame_encode(type, body, bodyLength, wire);
    if (n == 0 || outboxLength + n > sizeof outbox) {
        return false;
    }
    memcpy(outbox + outboxLength, wire, n);
    outboxLength += n;
    return true;
}

/* Writes whole frames from the outbox while they fit; never waits. */
static void flushOutbox()
{
    while (outboxLength > 0) {
        uint8_t frameLength = 0;
        while (outbox[frameLength++] != 0) {
        }
        if (Serial.availableForWrite() < frameLength) {
            return;
        }
        Serial.write(outbox, frameLength);
        outboxLength -= frameLength;
        memmove(outbox, outbox + frameLength, outboxLength);
    }
}

static void queueHello()
{
    rs_hello_info info;
    info.firmware_major = RS_FIRMWARE_MAJOR;
    info.firmware_minor = RS_FIRMWARE_MINOR;
    info.firmware_patch = RS_FIRMWARE_PATCH;
    info.board = RS_BOARD;
    info.device_id = deviceId;
    info.sample_rate_hz = device.sample_rate_hz;
    info.flags = (device.streaming ? RS_FLAG_STREAMING : 0) | (device.mode == RS_MODE_TEXT ? RS_FLAG_TEXT_MODE : 0);
    info.channel_count = RS_CHANNEL_COUNT;
    static const uint8_t hx711Count = RS_HX711_COUNT;
    for (uint8_t ch = 0; ch < RS_CHANNEL_COUNT; ch++) {
        info.sensor_kind[ch] = ch + 1u <= hx711Count ? RS_SENSOR_HX711 : RS_SENSOR_FSR;
    }
    info.extra_count = kExtraCount;
#if RS_ADNS3080
    info.extra_kind[0] = RS_SENSOR_MOTION_X;
    info.extra_kind[1] = RS_SENSOR_MOTION_Y;
#else
    info.extra_kind[0] = RS_SENSOR_ANGLE;
#endif
    uint8_t body[RS_MAX_BODY];
    queueFrame(RS_HELLO, body, rs_hello_body(&info, body));
}

static bool queueFault(uint8_t code, uint8_t channel, uint32_t value)
{
    if (device.mode != RS_MODE_BINARY) {
        return true; /* text mode has no fault lines; the plotter would draw them as data */
    }
    uint8_t body[RS_MAX_BODY];
    return queueFrame(RS_FAULT, body, rs_fault_body(micros(), code, channel, value, body));
}

/* Reports `code` on `channel` when it starts and once a second while it lasts; code 0 clears. */
static void updateFault(FaultState &state, uint8_t channel, uint8_t code, uint32_t value)
{
    uint16_t nowMs = (uint16_t)millis();
    if (code == 0) {
        state.activeCode = 0;
        return;
    }
    if (state.activeCode == code && (uint16_t)(nowMs - state.lastReportMs) < kFaultRepeatMs) {
        return;
    }
    if (queueFault(code, channel, value)) {
        state.activeCode = code;
        state.lastReportMs = nowMs;
    }
}

static void updateFault(uint8_t channel, uint8_t code, uint32_t value)
{
    updateFault(faults[channel], channel, code, value);
}

static void reportDrops()
{
    uint16_t nowMs = (uint16_t)millis();
    if (droppedUnreported == 0 || (droppedReportedOnce && (uint16_t)(nowMs - droppedLastReportMs) < kFaultRepeatMs)) {
        return;
    }
    if (queueFault(RS_FAULT_DROPPED_SAMPLES, RS_FAULT_DEVICE_CHANNEL, droppedUnreported)) {
        droppedUnreported = 0;
        droppedLastReportMs = nowMs;
        droppedReportedOnce = true;
    }
}

/* ---- Device id ----------------------------------------------------------------------------- */
static uint32_t randomId()
{
    /* Timing jitter and the floating pin's noise, mixed through the CRC. Good enough to tell a
     * user's boards apart; not a secret. */
    uint16_t high = RS_CRC_INIT, low = 0x1D0F;
    for (uint8_t i = 0; i < 32; i++) {
        uint16_t noise = (uint16_t)analogRead(kEntropyPin) ^ (uint16_t)micros();
        high = rs_crc16_update(high, (uint8_t)noise);
        low = rs_crc16_update(low, (uint8_t)(noise >> 8) ^ (uint8_t)noise);
    }
    return ((uint32_t)high << 16) | low;
}

static uint32_t loadDeviceId()
{
    uint32_t id = 0;
    bool valid = EEPROM.read(kEepromMagicAddress) == kEepromMagic[0] && EEPROM.read(kEepromMagicAddress + 1) == kEepromMagic[1];
    for (uint8_t i = 0; i < 4; i++) {
        id |= (uint32_t)EEPROM.read(kEepromIdAddress + i) << (8 * i);
    }
    if (valid && id != 0 && id != 0xFFFFFFFFUL) {
        return id;
    }
    do {
        id = randomId();
    } while (id == 0 || id == 0xFFFFFFFFUL);
    for (uint8_t i = 0; i < 4; i++) {
        EEPROM.update(kEepromIdAddress + i, (uint8_t)(id >> (8 * i)));
    }
    EEPROM.update(kEepromMagicAddress, kEepromMagic[0]);
    EEPROM.update(kEepromMagicAddress + 1, kEepromMagic[1]);
    return id;
}

/* ---- Sensors ------------------------------------------------------------------------------- */
/* Reads every HX711 that has a new conversion. An HX711 at 80 samples/s has a new value only every
 * 12.5 ms, so at 100 Hz and above a sample carries the latest conversion, repeated until the
 * next one (README.md, "What a sample carries"). */
static void pollHx711s()
{
#if RS_HX711_COUNT > 0
    uint32_t nowMs = millis();
    for (uint8_t i = 0; i < RS_HX711_COUNT; i++) {
        if (hx711Ready(hx711s[i])) {
            hx711LastReading[i] = hx711Read(hx711s[i]);
            hx711LastReadyMs[i] = nowMs;
        }
    }
#endif
}

static void readChannels(int32_t *readings)
{
#if RS_HX711_COUNT > 0
    uint32_t nowMs = millis();
    for (uint8_t i = 0; i < RS_HX711_COUNT; i++) {
        int32_t value = hx711LastReading[i];
        uint32_t waitedMs = nowMs - hx711LastReadyMs[i];
        readings[i] = value;
        if (waitedMs > RS_HX711_TIMEOUT_MS) {
            updateFault(i, RS_FAULT_SENSOR_NOT_READY, waitedMs);
        } else if (value == kHx711Max || value == kHx711Min) {
            updateFault(i, RS_FAULT_SATURATED, (uint32_t)value);
        } else {
            updateFault(i, 0, 0);
        }
    }
#endif
#if RS_FSR_COUNT > 0
    for (uint8_t k = 0; k < RS_FSR_COUNT; k++) {
        uint8_t ch = RS_HX711_COUNT + k;
        int32_t value = analogRead(A0 + k);
        readings[ch] = value;
        if (value < RS_FSR_OPEN_THRESHOLD) {
            updateFault(ch, RS_FAULT_DISCONNECTED, (uint32_t)value);
        } else {
            updateFault(ch, 0, 0);
        }
    }
#endif
}

/* ---- Pain button --------------------------------------------------------------------------- */
#if RS_PAIN_BUTTON_PIN >= 0
static bool buttonStableDown;    /* the debounced state */
static bool buttonLastRawDown;   /* the pin at the last poll */
static uint16_t buttonChangedMs; /* when the pin last changed */

/* Debounces the button (the pin must keep a new level RS_PAIN_BUTTON_DEBOUNCE_MS) and queues one
 * BUTTON frame per press, in binary mode only (a plotter would draw a button line as data). */
static void pollPainButton()
{
    bool down = digitalRead(RS_PAIN_BUTTON_PIN) == LOW;
    uint16_t nowMs = (uint16_t)millis();
    if (down != buttonLastRawDown) {
        buttonLastRawDown = down;
        buttonChangedMs = nowMs;
        return;
    }
    if (down == buttonStableDown || (uint16_t)(nowMs - buttonChangedMs) < RS_PAIN_BUTTON_DEBOUNCE_MS) {
        return;
    }
    buttonStableDown = down;
    if (down && device.mode == RS_MODE_BINARY) {
        uint8_t body[RS_MAX_BODY];
        queueFrame(RS_BUTTON, body, rs_button_body(micros(), RS_BUTTON_PAIN, body));
    }
}
#endif

/* ---- Rotation ---------------------------------------------------------------------------- */
#if RS_AS5600
/* Starts the read for the coming sample and advances one under way; never waits. */
static void pollRotation()
{
    As5600Reading reading;
    if (as5600Poll(reading)) {
        rotationReading = reading;
        rotationFinished = true;
    }
    if (!rotationStarted && (int32_t)(nextSampleMicros - micros()) < kRotationLeadMicros) {
        rotationStarted = as5600Start();
    }
}

/* The angle for this sample, or RS_NO_READING with the fault that says why. */
static int32_t readRotation()
{
    const uint8_t channel = RS_EXTRA_CHANNEL_BASE;
    uint32_t nowMs = millis();
    int32_t value = RS_NO_READING;
    if (rotationFinished) {
        const As5600Reading &r = rotationReading;
        if (r.result == kAs5600Ok) {
            bool magnet = r.status & kAs5600MagnetDetected;
            if (magnet) {
                value = r.rawAngle;
                rotationLastGoodMs = nowMs;
            }
            /* Without a magnet the angle is noise; too weak or too strong still turns but is
             * less accurate: both are said, only the first withholds the angle. */
            bool bad = !magnet || (r.status & (kAs5600MagnetTooWeak | kAs5600MagnetTooStrong));
            updateFault(rotationFault, channel, bad ? RS_FAULT_MAGNET : 0, r.status);
        } else if (r.result == kAs5600Timeout) {
            updateFault(rotationFault, channel, RS_FAULT_SENSOR_NOT_READY, RS_AS5600_TIMEOUT_US / 1000);
        } else {
            updateFault(rotationFault, channel, RS_FAULT_DISCONNECTED, r.result);
        }
    } else if (nowMs - rotationLastGoodMs > RS_AS5600_STALE_MS && rotationFault.activeCode == 0) {
        /* Only when nothing more specific is being reported: two codes taking turns would both
         * be re-sent on every change. */
        updateFault(rotationFault, channel, RS_FAULT_SENSOR_NOT_READY, nowMs - rotationLastGoodMs);
    }
    rotationFinished = false;
    rotationStarted = false;
    return value;
}
#endif

#if RS_ADNS3080
/* The ball's motion since the last sample, or RS_NO_MOTION_READING on both channels with the
 * fault that says why: a sensor that is gone or blind is never a ball that stopped. */
static void readMotion(int32_t *extras)
{
    const uint8_t channel = RS_EXTRA_CHANNEL_BASE;
    Adns3080Motion m = adns3080Take();
    extras[0] = RS_NO_MOTION_READING;
    extras[1] = RS_NO_MOTION_READING;
    if (!m.identified) {
        updateFault(motionFault, channel, RS_FAULT_DISCONNECTED, m.productId);
    } else if (m.overflowed) {
        updateFault(motionFault, channel, RS_FAULT_SATURATED, m.motion);
    } else if (m.lowQuality) {
        updateFault(motionFault, channel, RS_FAULT_SENSOR_NOT_READY, m.squal);
    } else if (m.reads == 0) {
        /* Nothing read since the last sample (the loop was held up): the counts are not lost,
         * they come with the next sample; this one says none. */
        extras[0] = 0;
        extras[1] = 0;
        updateFault(motionFault, channel, 0, 0);
    } else {
        extras[0] = m.dx;
        extras[1] = m.dy;
        updateFault(motionFault, channel, 0, 0);
    }
}
#endif

/* ---- Sampling ------------------------------------------------------------------------------ */
static void applyRate()
{
    periodMicros = kMicrosPerSecond / device.sample_rate_hz;
    nextSampleMicros = micros() + periodMicros;
}

/* One Serial Plotter line, "c1:123 c2:-45\r\n": raw counts, labels without a unit. */
static uint8_t formatText(const int32_t *readings, char *line)
{
    uint8_t n = 0;
    for (uint8_t ch = 0; ch < RS_CHANNEL_COUNT; ch++) {
        if (ch > 0) {
            line[n++] = ' ';
        }
        line[n++] = 'c';
        line[n++] = (char)('1' + ch);
        line[n++] = ':';
        ltoa(readings[ch], line + n, 10);
        n += strlen(line + n);
    }
    line[n++] = '\r';
    line[n++] = '\n';
    return n;
}

static void sendSample(uint32_t timeMicros, const int32_t *readings, const int32_t *extras)
{
    uint16_t seq = sequence++;
    if (device.mode == RS_MODE_TEXT) {
        char line[RS_CHANNEL_COUNT * 13 + 2]; /* "c1:-8388608 " per channel, CR LF */
        uint8_t n = formatText(readings, line);
        if (outboxLength == 0 && Serial.availableForWrite() >= n) {
            Serial.write((const uint8_t *)line, n);
        } else {
            droppedUnreported++;
        }
        return;
    }
    uint8_t body[RS_MAX_BODY];
    /* The extra channels' frame goes just before its SAMPLE, and the two go together or not at
     * all (docs/PROTOCOL.md, "Rotation"). */
    uint8_t wire[2 * RS_MAX_WIRE_FRAME];
    size_t n = 0;
    if (kExtraCount > 0) {
        n = rs_frame_encode(RS_SAMPLE_EXTRA, body, rs_sample_extra_body(seq, extras, kExtraCount, body), wire);
    }
    n += rs_frame_encode(RS_SAMPLE, body, rs_sample_body(seq, timeMicros, readings, RS_CHANNEL_COUNT, body), wire + n);
    /* Control frames go first; a sample that cannot go now is dropped, never waited for. */
    if (outboxLength == 0 && Serial.availableForWrite() >= (int)n) {
        Serial.write(wire, n);
    } else {
        droppedUnreported++;
    }
}

/* Native USB (32u4) has a port state: nobody listens until the host opens it (DTR). A USB-serial
 * bridge has none; an Uno streams from boot. */
static bool hostListening()
{
#if defined(USBCON)
    return (bool)Serial;
#else
    return true;
#endif
}

static void sampleIfDue()
{
    uint32_t now = micros();
    if ((int32_t)(now - nextSampleMicros) < 0) {
        return;
    }
    int32_t readings[RS_CHANNEL_COUNT];
    int32_t extras[kExtraCount > 0 ? kExtraCount : 1] = {RS_NO_READING};
    readChannels(readings);
#if RS_AS5600
    extras[0] = readRotation();
#elif RS_ADNS3080
    readMotion(extras);
#endif
    flushOutbox(); /* a fault just raised goes out first, and the sample after it if both fit */
    bool streaming = device.streaming && hostListening();
    if (streaming) {
        sendSample(now, readings, extras);
    }
    nextSampleMicros += periodMicros;
    if ((int32_t)(now - nextSampleMicros) >= 0) {
        /* The loop fell a whole period behind: those sample times are lost. Count them as dropped
         * so the host sees the gap instead of a silently slower rate. */
        uint32_t missed = (now - nextSampleMicros) / periodMicros + 1;
        if (streaming) {
            sequence += (uint16_t)missed;
            droppedUnreported += missed;
        }
        nextSampleMicros += missed * periodMicros;
    }
}

/* ---- Commands ------------------------------------------------------------------------------ */
static void handleCommands()
{
    /* One command per loop, and only when its HELLO and REPLY are sure to fit the outbox. */
    while (Serial.available() > 0 && outboxLength + 2u * RS_MAX_WIRE_FRAME + 1u <= sizeof outbox) {
        rs_command command;
        if (!rs_receiver_feed(&receiver, (uint8_t)Serial.read(), &command)) {
            continue;
        }
#if defined(RS_SIMULATOR)
        /* Simulator builds only: a command that hangs the loop, so the tests can see the watchdog
         * reset the board and the WATCHDOG_RESET fault after the next HELLO. */
        if (command.type == kSimulatorHangCommand) {
            for (;;) {
            }
        }
#endif
        if (device.mode == RS_MODE_TEXT) {
            /* A lone 0x00 ends the text the host has buffered as one bad frame, so the frames
             * that follow decode (docs/PROTOCOL.md, framing). */
            outbox[outboxLength++] = 0;
        }
        uint16_t oldRate = device.sample_rate_hz;
        uint8_t wasStreaming = device.streaming;
        uint8_t reply[RS_MAX_BODY];
        size_t replyLength = rs_handle_command(&command, &device, reply);
        if (device.send_hello) {
            device.send_hello = 0;
            queueHello();
        }
        /* Replies are frames in both modes: only a host that speaks frames sends commands. */
        queueFrame(RS_REPLY, reply, replyLength);
        if (device.sample_rate_hz != oldRate || (device.streaming && !wasStreaming)) {
            applyRate();
        }
        return;
    }
}

/* ---- Hello on connect ---------------------------------------------------------------------- */
static void sayHello()
{
    /* A lone 0x00 first ends whatever partial frame the host may hold (docs/PROTOCOL.md). */
    outboxLength = 0;
    outbox[outboxLength++] = 0;
    queueHello();
    if (resetFlags & _BV(WDRF)) {
        queueFault(RS_FAULT_WATCHDOG_RESET, RS_FAULT_DEVICE_CHANNEL, 0);
        resetFlags &= (uint8_t)~_BV(WDRF);
    }
    helloSent = true;
}

/* A board with native USB (32u4) is not heard before the host opens the port, so it says hello
 * when the host raises DTR; a USB-serial bridge resets the board on open instead. */
static void helloOnConnect()
{
#if defined(USBCON)
    bool connected = hostListening();
    if (connected && !helloSent) {
        sayHello();
    } else if (!connected) {
        helloSent = false;
    }
#else
    if (!helloSent) {
        sayHello();
    }
#endif
}

/* ---- Idle -------------------------------------------------------------------------------- */
/* Idle sleep keeps timers, UART and USB running and wakes on their interrupts: it saves power
 * between samples (an HX711 is polled again at the next timer tick, well within its 12.5 ms) and
 * lets the simulator skip the idle time. */
static void idleUntilNextTick()
{
    if (Serial.available() > 0 || outboxLength > 0 || (int32_t)(nextSampleMicros - micros()) < kIdleMarginMicros) {
        return;
    }
#if RS_AS5600
    if (as5600Busy()) { /* polled TWI: its steps raise no interrupt to wake us */
        return;
    }
#endif
#if RS_ADNS3080
    if (adns3080Busy()) { /* waiting out the sensor's address-to-data delay */
        return;
    }
#endif
    set_sleep_mode(SLEEP_MODE_IDLE);
    sleep_enable();
    sleep_cpu();
    sleep_disable();
}

/* ---- Arduino entry points ------------------------------------------------------------------ */
void setup()
{
    Serial.begin(RS_BAUD);
#if RS_HX711_COUNT > 0
    for (uint8_t i = 0; i < RS_HX711_COUNT; i++) {
        hx711s[i].doutPin = RS_HX711_FIRST_PIN + 2 * i;
        hx711s[i].sckPin = RS_HX711_FIRST_PIN + 2 * i + 1;
        hx711Begin(hx711s[i]);
        hx711LastReadyMs[i] = millis();
    }
#endif
    /* The id's entropy pin is A5, the Uno's SCL: read it before the TWI takes the pin. */
    deviceId = loadDeviceId();
#if RS_AS5600
    as5600Begin();
    rotationLastGoodMs = millis();
#endif
#if RS_ADNS3080
    adns3080Begin();
#endif
#if RS_PAIN_BUTTON_PIN >= 0
    pinMode(RS_PAIN_BUTTON_PIN, INPUT_PULLUP);
#endif
    rs_receiver_init(&receiver);
    applyRate();
    wdt_enable(kWatchdogTimeout);
}

void loop()
{
    wdt_reset();
    helloOnConnect();
    handleCommands();
    pollHx711s();
#if RS_AS5600
    pollRotation();
#endif
#if RS_ADNS3080
    adns3080Poll();
#endif
#if RS_PAIN_BUTTON_PIN >= 0
#if RS_AS5600
    /* A polled TWI read advances only when the loop comes round: nothing else while it runs
     * (the button waited a few microseconds more is nothing against its 30 ms debounce). */
    if (!as5600Busy())
#endif
        pollPainButton();
#endif
    flushOutbox();
    sampleIfDue();
    reportDrops();
    flushOutbox();
    idleUntilNextTick();
}
