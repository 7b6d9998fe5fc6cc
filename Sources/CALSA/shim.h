#ifndef ROLLSENSE_CALSA_SHIM_H
#define ROLLSENSE_CALSA_SHIM_H
#include <alsa/asoundlib.h>

// alsa-lib prints its own errors to stderr (three lines for a missing card); the session says
// "no sound device" once instead, so the library's handler is replaced by a silent one.
static void rollsense_alsa_quiet(const char *file, int line, const char *function, int err, const char *fmt, ...) {
    (void)file; (void)line; (void)function; (void)err; (void)fmt;
}
static inline void rollsense_alsa_silence_errors(void) {
    snd_lib_error_set_handler(rollsense_alsa_quiet);
}

#endif
