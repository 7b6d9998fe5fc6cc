// RollSense firmware for the Arduino IDE: this file only makes the folder a sketch. The code is in
// RollSense.cpp, hx711.cpp and protocol.c (plain files, so the Makefile and the host-side tests
// build them without the IDE); edit config.h for your sensors. See README.md.
