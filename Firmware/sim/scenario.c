#include "scenario.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void scenario_init(scenario *s)
{
    memset(s, 0, sizeof *s);
    s->seed = 0x2545F4914F6CDD1DULL;
    s->angle_scale = 1.0;
    s->ball_scale = 1.0;
}

static void add_key(track *t, double time_s, double value, int ramp)
{
    if (t->count == t->capacity) {
        t->capacity = t->capacity ? 2 * t->capacity : 64;
        t->keys = realloc(t->keys, (size_t)t->capacity * sizeof *t->keys);
        if (!t->keys) {
            perror("scenario");
            exit(1);
        }
    }
    t->keys[t->count++] = (keyframe){time_s, value, ramp};
}

static void add_dead(track *t, double from_s)
{
    if (t->dead_count == t->dead_capacity) {
        t->dead_capacity = t->dead_capacity ? 2 * t->dead_capacity : 8;
        t->dead_from = realloc(t->dead_from, (size_t)t->dead_capacity * sizeof(double));
        t->dead_until = realloc(t->dead_until, (size_t)t->dead_capacity * sizeof(double));
        if (!t->dead_from || !t->dead_until) {
            perror("scenario");
            exit(1);
        }
    }
    t->dead_from[t->dead_count] = from_s;
    t->dead_until[t->dead_count] = INFINITY;
    t->dead_count++;
}

int scenario_load(scenario *s, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "%s: cannot open scenario\n", path);
        return -1;
    }
    char line[512];
    int number = 0;
    double last_time = 0;
    while (fgets(line, sizeof line, f)) {
        number++;
        char *hash = strchr(line, '#');
        if (hash) {
            *hash = 0;
        }
        char word[5][64];
        int n = sscanf(line, "%63s %63s %63s %63s %63s", word[0], word[1], word[2], word[3], word[4]);
        if (n <= 0) {
            continue;
        }
#define FAIL(...)                                                                              \
    do {                                                                                       \
        fprintf(stderr, "%s:%d: ", path, number);                                              \
        fprintf(stderr, __VA_ARGS__);                                                          \
        fputc('\n', stderr);                                                                   \
        fclose(f);                                                                             \
        return -1;                                                                             \
    } while (0)
        if (strcmp(word[0], "seed") == 0) {
            if (n != 2) {
                FAIL("expected: seed NUMBER");
            }
            s->seed = strtoull(word[1], NULL, 0) | 1;
            continue;
        }
        char *end;
        double time_s = strtod(word[0], &end);
        if (*end == 0 && n == 3 && strcmp(word[1], "send") == 0) {
            size_t hex_length = strlen(word[2]);
            if (hex_length == 0 || hex_length % 2) {
                FAIL("send wants an even number of hex digits");
            }
            if (s->send_count == s->send_capacity) {
                s->send_capacity = s->send_capacity ? 2 * s->send_capacity : 8;
                s->sends = realloc(s->sends, (size_t)s->send_capacity * sizeof *s->sends);
            }
            host_send *send = &s->sends[s->send_count++];
            send->time_s = time_s;
            send->length = (int)(hex_length / 2);
            send->bytes = malloc((size_t)send->length);
            for (int i = 0; i < send->length; i++) {
                unsigned byte;
                if (sscanf(word[2] + 2 * i, "%2x", &byte) != 1) {
                    FAIL("bad hex '%s'", word[2]);
                }
                send->bytes[i] = (uint8_t)byte;
            }
            if (time_s < last_time) {
                FAIL("time %g goes back (previous line at %g); lines must be in time order", time_s, last_time);
            }
            last_time = time_s;
            continue;
        }
        if (*end || time_s < 0) {
            FAIL("expected a time in seconds or 'seed', got '%s'", word[0]);
        }
        if (time_s < last_time) {
            FAIL("time %g goes back (previous line at %g); lines must be in time order", time_s, last_time);
        }
        last_time = time_s;
        if (n < 4) {
            FAIL("expected: TIME hx711|adc CHANNEL VALUE [ramp] | dead | alive | noise AMPLITUDE, or TIME send HEX");
        }
        int channel = atoi(word[2]);
        track *t;
        if (strcmp(word[1], "ball") == 0) {
            /* x and y take motion keyframes; 0 takes the sensor's own words. */
            if (strcmp(word[2], "x") == 0 || strcmp(word[2], "y") == 0) {
                double v = strtod(word[3], &end);
                if (*end || (n == 5 && strcmp(word[4], "ramp") != 0)) {
                    FAIL("expected: TIME ball x|y MM [ramp]");
                }
                add_key(word[2][0] == 'x' ? &s->ball_x : &s->ball_y, time_s, v, n == 5);
                continue;
            }
            if (strcmp(word[2], "0") != 0) {
                FAIL("ball axis '%s': x, y, or 0 for the sensor", word[2]);
            }
            if (strcmp(word[3], "scale") == 0 || strcmp(word[3], "blind") == 0) {
                double v = n >= 5 ? strtod(word[4], &end) : NAN;
                if (n < 5 || *end || isnan(v)) {
                    FAIL("expected: TIME ball 0 scale|blind NUMBER");
                }
                if (word[3][0] == 's') {
                    s->ball_scale = v;
                } else {
                    add_key(&s->ball_blind, time_s, v, 0);
                }
                continue;
            }
            t = &s->ball_x;
            if (strcmp(word[3], "dead") != 0 && strcmp(word[3], "alive") != 0 && strcmp(word[3], "noise") != 0) {
                FAIL("expected: TIME ball 0 dead|alive|noise F|scale F|blind 0|1");
            }
        } else if (strcmp(word[1], "hx711") == 0) {
            if (channel < 0 || channel >= SCENARIO_HX711_CHIPS) {
                FAIL("hx711 channel %d out of 0-%d", channel, SCENARIO_HX711_CHIPS - 1);
            }
            t = &s->hx711[channel];
        } else if (strcmp(word[1], "adc") == 0) {
            if (channel < 0 || channel >= SCENARIO_ADC_PINS) {
                FAIL("adc pin %d out of 0-%d", channel, SCENARIO_ADC_PINS - 1);
            }
            t = &s->adc[channel];
        } else if (strcmp(word[1], "angle") == 0) {
            if (channel != 0) {
                FAIL("angle channel %d: there is one AS5600, channel 0", channel);
            }
            t = &s->angle;
            /* Sensor errors and the magnet: words only the angle has. */
            double *parameter = strcmp(word[3], "scale") == 0     ? &s->angle_scale
                                : strcmp(word[3], "offset") == 0  ? &s->angle_offset_deg
                                : strcmp(word[3], "wobble") == 0  ? &s->angle_wobble_deg
                                                                  : NULL;
            if (parameter || strcmp(word[3], "magnet") == 0) {
                double v = n >= 5 ? strtod(word[4], &end) : NAN;
                if (n < 5 || *end || isnan(v)) {
                    FAIL("expected: TIME angle 0 scale|offset|wobble|magnet NUMBER");
                }
                if (parameter) {
                    *parameter = v;
                } else {
                    add_key(&s->magnet, time_s, v, 0);
                }
                continue;
            }
        } else if (strcmp(word[1], "button") == 0) {
            if (channel != 0 || (strcmp(word[3], "0") != 0 && strcmp(word[3], "1") != 0) || n != 4) {
                FAIL("expected: TIME button 0 1|0 (the pain button pressed or released)");
            }
            add_key(&s->button, time_s, word[3][0] == '1', 0);
            continue;
        } else {
            FAIL("unknown target '%s' (hx711, adc, angle, ball or button)", word[1]);
        }
        if (strcmp(word[3], "dead") == 0) {
            if (t == &s->adc[channel]) {
                FAIL("only an hx711 or the angle sensor can be dead; unplug an FSR with value 0");
            }
            if (t->dead_count && isinf(t->dead_until[t->dead_count - 1])) {
                FAIL("hx711 %d is already dead", channel);
            }
            add_dead(t, time_s);
        } else if (strcmp(word[3], "alive") == 0) {
            if (!t->dead_count || !isinf(t->dead_until[t->dead_count - 1])) {
                FAIL("'alive' without an earlier 'dead'");
            }
            t->dead_until[t->dead_count - 1] = time_s;
        } else if (strcmp(word[3], "noise") == 0) {
            if (n < 5) {
                FAIL("expected: noise AMPLITUDE");
            }
            t->noise = strtod(word[4], &end);
            if (*end || t->noise < 0) {
                FAIL("bad noise amplitude '%s'", word[4]);
            }
        } else {
            double value = strtod(word[3], &end);
            if (*end) {
                FAIL("bad value '%s'", word[3]);
            }
            int ramp = 0;
            if (n == 5) {
                if (strcmp(word[4], "ramp") != 0) {
                    FAIL("unknown word '%s' (only 'ramp' may follow a value)", word[4]);
                }
                ramp = 1;
            }
            add_key(t, time_s, value, ramp);
        }
#undef FAIL
    }
    s->end_s = last_time;
    fclose(f);
    return 0;
}

double track_value(track *t, double time_s)
{
    if (t->count == 0 || time_s < t->keys[0].time_s) {
        return 0;
    }
    if (t->cursor >= t->count || t->keys[t->cursor].time_s > time_s) {
        t->cursor = 0; /* asked about an earlier time: search again */
    }
    while (t->cursor + 1 < t->count && t->keys[t->cursor + 1].time_s <= time_s) {
        t->cursor++;
    }
    const keyframe *k = &t->keys[t->cursor];
    if (t->cursor + 1 < t->count && t->keys[t->cursor + 1].ramp) {
        const keyframe *next = &t->keys[t->cursor + 1];
        double span = next->time_s - k->time_s;
        if (span > 0) {
            return k->value + (next->value - k->value) * (time_s - k->time_s) / span;
        }
    }
    return k->value;
}

int track_dead(const track *t, double time_s)
{
    for (int i = 0; i < t->dead_count; i++) {
        if (time_s >= t->dead_from[i] && time_s < t->dead_until[i]) {
            return 1;
        }
    }
    return 0;
}

double scenario_noise(scenario *s, double amplitude)
{
    if (amplitude <= 0) {
        return 0;
    }
    /* xorshift64*: deterministic across runs and machines. */
    s->seed ^= s->seed >> 12;
    s->seed ^= s->seed << 25;
    s->seed ^= s->seed >> 27;
    uint64_t r = s->seed * 0x2545F4914F6CDD1DULL;
    double unit = (double)(r >> 11) / (double)(1ULL << 53);
    return (2 * unit - 1) * amplitude;
}
