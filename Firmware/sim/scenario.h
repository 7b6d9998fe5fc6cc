/* Time-stamped sensor scenarios for the harness (format in README.md). */
#ifndef ROLLSENSE_SIM_SCENARIO_H
#define ROLLSENSE_SIM_SCENARIO_H

#include <stdint.h>

#define SCENARIO_HX711_CHIPS 4
#define SCENARIO_ADC_PINS 8

enum target_kind { TARGET_HX711 = 0, TARGET_ADC = 1 };

typedef struct {
    double time_s;
    double value;
    int ramp; /* 1: reached linearly from the previous keyframe of this target */
} keyframe;

typedef struct {
    keyframe *keys;
    int count, capacity;
    int cursor; /* index of the last keyframe at or before the last time asked */
    double noise; /* +- uniform noise amplitude */
    /* hx711 only: periods in which the chip stops answering */
    double *dead_from, *dead_until;
    int dead_count, dead_capacity;
} track;

/* Bytes the "host" sends at a simulated time (commands in a deterministic run). */
typedef struct {
    double time_s;
    uint8_t *bytes;
    int length;
} host_send;

typedef struct {
    track hx711[SCENARIO_HX711_CHIPS];
    host_send *sends;
    int send_count, send_capacity, next_send;
    track adc[SCENARIO_ADC_PINS];
    /* The AS5600 on the roller's axle (as5600-model.c): the true rotation in degrees, with
     * dead/alive for the chip; `magnet` keyframes 1 present, 0 gone (default present); and the
     * sensor's errors: a scale factor, a zero offset and a once-a-turn wobble (degrees). */
    track angle;
    track magnet;
    /* The pain button on D12 (config.h): keyframes 1 pressed (pin pulled to GND), 0 released. */
    track button;
    double angle_scale, angle_offset_deg, angle_wobble_deg;
    /* The ball's optical sensor (adns3080-model.c): how far the ball's surface has moved under
     * the sensor, in mm along its x and y, as keyframes; `ball_x` also holds dead/alive and the
     * noise (a relative error on each read's displacement); `ball_blind` keyframes 1: the sensor
     * sees no surface (SQUAL falls); and a scale error for the whole run. */
    track ball_x, ball_y, ball_blind;
    double ball_scale;
    uint64_t seed;
    double end_s; /* time of the last line, for --seconds defaults */
} scenario;

/* Reads FILE; on error prints "FILE:LINE: what" to stderr and returns -1. */
int scenario_load(scenario *s, const char *path);
void scenario_init(scenario *s);
/* The value of a track at time t (keyframes hold, ramps interpolate); 0 before the first. */
double track_value(track *t, double time_s);
int track_dead(const track *t, double time_s);
/* Deterministic noise in [-amplitude, amplitude] from the scenario's seed. */
double scenario_noise(scenario *s, double amplitude);

#endif
