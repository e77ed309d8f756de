/* SPDX-License-Identifier: MIT */
/*
 * Built-in test-signal source for boards without a microphone (QEMU): a
 * 1 kHz sine at a set level, silence, or a burst of tone for a while before
 * returning to what was playing. Levels are calibrated like the meter: a
 * full-scale sine is cal_db. Exactly 48 samples per cycle at 48 kHz from a
 * table, so the level does not drift however long it plays. Pure; one owner.
 */
#ifndef SBFW_TESTSIG_H
#define SBFW_TESTSIG_H

#include <stddef.h>
#include <stdint.h>

struct testsig {
	float cal_db;
	float amp;       /* current amplitude, 0: silence */
	float base_amp;  /* what plays after a burst */
	uint32_t burst;  /* samples of burst left */
	uint32_t phase;  /* 0..47 */
};

/* Start silent. */
void testsig_init(struct testsig *s, float cal_db);

/* Play the tone at level_db from now on (below cal_db - 170: silence). */
void testsig_tone(struct testsig *s, float level_db);

void testsig_silence(struct testsig *s);

/* Play the tone at level_db for samples samples, then what was playing before. */
void testsig_burst(struct testsig *s, float level_db, uint32_t samples);

/* The next n samples. */
void testsig_fill(struct testsig *s, float *buf, size_t n);

#endif
