/* A model of the AS5600 magnetic angle encoder on simavr's TWI (docs/HARDWARE.md, "Rotation
 * sensor"), driven by the scenario's `angle` lines. */
#ifndef ROLLSENSE_SIM_AS5600_MODEL_H
#define ROLLSENSE_SIM_AS5600_MODEL_H

#include <simavr/sim_avr.h>

#include "scenario.h"

/* Puts the sensor on the AVR's TWI bus at address 0x36. The scenario is read at each transaction
 * and must outlive the simulation. */
void as5600_model_attach(avr_t *avr, scenario *scene);

#endif
