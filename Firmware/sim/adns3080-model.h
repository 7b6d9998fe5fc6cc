/* A model of the ADNS-3080 optical motion sensor on simavr's SPI (docs/HARDWARE.md, "Ball motion
 * sensor"), driven by the scenario's `ball` lines. */
#ifndef ROLLSENSE_SIM_ADNS3080_MODEL_H
#define ROLLSENSE_SIM_ADNS3080_MODEL_H

#include <simavr/sim_avr.h>

#include "scenario.h"

/* Puts the sensor on the AVR's SPI with its NCS on PB2 (Arduino D10). The scenario is read at
 * each read and must outlive the simulation. */
void adns3080_model_attach(avr_t *avr, scenario *scene);

#endif
