#ifndef ROLLSENSE_CESPEAKNG_SHIM_H
#define ROLLSENSE_CESPEAKNG_SHIM_H
#include <espeak-ng/speak_lib.h>
#include <stdlib.h>
#include <string.h>

// Speech lands in a growing buffer instead of a sound device (AUDIO_OUTPUT_SYNCHRONOUS):
// the host mixes it with the tone and places it on the session's timeline itself.
struct rollsense_pcm {
    short *samples;
    int count;
    int capacity;
    int failed;
};

// espeak-ng's callback has no context argument of its own: the buffer travels as user_data.
static int rollsense_espeak_collect(short *wav, int count, espeak_EVENT *events) {
    if (wav == NULL || count <= 0 || events == NULL) return 0;
    struct rollsense_pcm *pcm = (struct rollsense_pcm *)events[0].user_data;
    if (pcm == NULL || pcm->failed) return 1;
    if (pcm->count + count > pcm->capacity) {
        int capacity = pcm->capacity ? pcm->capacity : 16384;
        while (capacity < pcm->count + count) capacity *= 2;
        short *grown = (short *)realloc(pcm->samples, (size_t)capacity * sizeof(short));
        if (grown == NULL) { pcm->failed = 1; return 1; }
        pcm->samples = grown;
        pcm->capacity = capacity;
    }
    memcpy(pcm->samples + pcm->count, wav, (size_t)count * sizeof(short));
    pcm->count += count;
    return 0;
}

// Starts espeak-ng in synchronous retrieval mode; returns the sample rate or a negative error.
// 0x8000: do not exit the process when espeak-ng-data is missing (the caller reports it).
static inline int rollsense_espeak_initialize(void) {
    int rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 100, NULL, espeakINITIALIZE_DONT_EXIT);
    if (rate > 0) espeak_SetSynthCallback(rollsense_espeak_collect);
    return rate;
}

// Synthesises UTF-8 `text` into `pcm` (caller frees pcm->samples); returns EE_OK or an error.
static inline int rollsense_espeak_synthesize(const char *text, struct rollsense_pcm *pcm) {
    int result = espeak_Synth(text, strlen(text) + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, NULL, pcm);
    if (result == EE_OK && pcm->failed) return EE_INTERNAL_ERROR;
    return result;
}

#endif
