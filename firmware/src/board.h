/* SPDX-License-Identifier: MIT */
/*
 * The board interface of the sensor node: everything the node needs from
 * the hardware, small enough that a new board port is one file
 * (boards/<name>/board_<name>.c). Ports: mps2-an386 (QEMU; audio from a
 * built-in test-signal source, door edges from stimulus frames in test
 * builds). All functions are called from the main loop only, after
 * board_init; interrupt handlers live inside the port.
 */
#ifndef SBFW_BOARD_H
#define SBFW_BOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BOARD_AUDIO_RATE_HZ 48000u

/* Clocks, UART, door input, audio, watchdog. Called once, first thing in main. */
void board_init(void);

/* Milliseconds since board_init, free running (wraps after 49 days). */
uint32_t board_millis(void);

/* Bytes received on the link UART since the last call, at most n (never blocks). */
size_t board_uart_read(uint8_t *buf, size_t n);

/* Send n bytes on the link UART; returns when they are queued or sent. */
void board_uart_write(const uint8_t *buf, size_t n);

/*
 * The next raw edge of the door contact, in order: true and *open, *at_ms
 * (board_millis of the edge) set, or false when none is waiting.
 */
bool board_door_edge(bool *open, uint32_t *at_ms);

/* The raw door contact level now (true: open). */
bool board_door_level(void);

/*
 * Up to n audio samples (full-scale sine = 1.0) that have arrived since the
 * last call, at BOARD_AUDIO_RATE_HZ; *first_ms is set to the board_millis of
 * the first of them. Returns how many were written (0: none yet).
 */
size_t board_audio_read(float *buf, size_t n, uint32_t *first_ms);

/* The level in dB that a full-scale sine represents (the microphone's calibration). */
double board_audio_cal_db(void);

/* Supply voltage in millivolts, 0 when the board cannot measure it. */
uint16_t board_battery_mv(void);

/* Boots since power-up as far as the board can tell (0: cannot count). */
uint32_t board_boot_count(void);

/* Capabilities to announce in HELLO (FRAME_CAP_*). */
uint8_t board_caps(void);

/* Restart the watchdog's countdown. */
void board_watchdog_kick(void);

/* Sleep until the next interrupt (the 1 ms tick at the latest). */
void board_sleep(void);

/* Reset the microcontroller. */
__attribute__((noreturn)) void board_reset(void);

#endif
