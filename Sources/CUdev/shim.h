#ifndef ROLLSENSE_CUDEV_SHIM_H
#define ROLLSENSE_CUDEV_SHIM_H
#include <libudev.h>
#endif
