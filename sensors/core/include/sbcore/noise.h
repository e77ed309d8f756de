/* SPDX-License-Identifier: MIT */
/*
 * Streaming sound level meter (IEC 61672-1 style): A-weighting, Fast (125 ms)
 * and Slow (1 s) exponential time weighting evaluated every sample, and per
 * period of period_s seconds: LAeq (energy mean), LAFmax and LASmax (per
 * sample), LA10 and LA90 (from the Fast level sampled every 10 ms into a
 * fixed 0.1 dB histogram).
 *
 * Freestanding: no allocation, no I/O, no OS calls; libm only. The caller owns
 * struct noise_meter (it may be static: about 7.4 KiB, no growth however long
 * the period) and calls it from one thread at a time. Samples are floats where
 * a full-scale sine has amplitude 1.0 (peak); they must be finite.
 *
 * Calibration: cal_db is the level in dB that a full-scale sine represents,
 * e.g. 120 for a -26 dBFS MEMS microphone (94 dB SPL gives a sine 26 dB below
 * full scale). A sine of amplitude 10^(-k/20) at 1 kHz reads cal_db - k.
 *
 * Not measurable: a level more than NOISE_RANGE_DB below cal_db (digital
 * silence, or below what 24-bit PCM can hold) has valid = false and db = 0;
 * no level is ever -inf or NaN.
 */
#ifndef SBCORE_NOISE_H
#define SBCORE_NOISE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sbcore/aweight.h"

#define NOISE_PERIOD_MAX_S 86400u
#define NOISE_RANGE_DB 170.0       /* measurable range below cal_db */
#define NOISE_HEADROOM_DB 10.0     /* histogram range above cal_db */
#define NOISE_HIST_STEP_DB 0.1
#define NOISE_HIST_BINS 1801       /* (RANGE + HEADROOM) / STEP + 1 */
#define NOISE_TICK_HZ 100u         /* Fast level samples per second for LA10/LA90 */
#define NOISE_SETTLE_S 0.75        /* 6 Fast time constants: start-up kept out of LA10/LA90 */

struct noise_level {
	double db;  /* dB, calibrated; 0 when !valid */
	bool valid; /* false: not measurable (silence, or no data) */
};

struct noise_result {
	uint64_t index;        /* period number, 0 for the one starting at init */
	uint64_t start_sample; /* first sample of the period, counted from init */
	uint64_t samples;      /* length; less than a full period only from noise_flush */
	struct noise_level laeq;   /* energy mean over the period */
	struct noise_level lafmax; /* highest Fast level, any sample of the period */
	struct noise_level lasmax; /* highest Slow level */
	struct noise_level la10;   /* Fast level exceeded 10% of the time */
	struct noise_level la90;   /* Fast level exceeded 90% of the time */
};

/* Complete so that callers can place it statically; the fields are private. */
struct noise_meter {
	struct aweight aw;
	float z[AWEIGHT_SECTIONS][2]; /* transposed direct form II state */
	float alpha_fast, alpha_slow;
	float fast, slow;             /* time-weighted mean squares */
	float fast_max, slow_max;     /* in this period */
	float tick_energy;            /* sum of squares since the last tick */
	uint32_t rate_hz;
	uint32_t period_s;
	uint32_t tick_len, tick_pos;
	uint32_t settle_ticks;        /* ticks left in the start-up */
	uint64_t period_len, period_pos, period_index, period_start;
	double period_energy;
	double offset_db;             /* level = 10 log10(mean square) + offset_db */
	double floor_ms;              /* smallest measurable mean square */
	double hist_lo_db;            /* centre of bin 0 */
	uint32_t hist_n, hist_under;  /* ticks sampled; of them below bin 0 */
	uint32_t hist[NOISE_HIST_BINS];
};

/*
 * Set up m (any previous content is overwritten; nothing to release later).
 * rate_hz: AWEIGHT_RATE_MIN..AWEIGHT_RATE_MAX (accuracy is specified and
 * tested at 16, 32, 44.1 and 48 kHz); period_s: 1..NOISE_PERIOD_MAX_S;
 * cal_db: -100..250.
 * @retval 0
 * @retval -EINVAL an argument out of range
 * @retval -EDOM the A-weighting design failed for this rate (not expected)
 */
int noise_init(struct noise_meter *m, uint32_t rate_hz, double cal_db, uint32_t period_s);

/*
 * Feed up to n samples (x borrowed for the call). Stops after the last sample
 * of a period: then *done is true and *out holds that period's result,
 * otherwise *done is false and *out is untouched. Returns the number of
 * samples consumed; call again with the rest.
 */
size_t noise_feed(struct noise_meter *m, const float *x, size_t n, struct noise_result *out,
		  bool *done);

/*
 * End the current period early (end of a file, shutdown): *out gets the
 * partial period (out->samples says how long) and the next period starts.
 * @retval 0
 * @retval -ENODATA no sample since the last period ended; *out untouched
 */
int noise_flush(struct noise_meter *m, struct noise_result *out);

/* The current Fast and Slow levels (for a live display). */
struct noise_level noise_fast(const struct noise_meter *m);
struct noise_level noise_slow(const struct noise_meter *m);

/*
 * Energy mean of n levels held for dur_s[i] seconds each:
 * 10 log10(sum dur_i 10^(L_i/10) / sum dur_i). Levels that are not valid are
 * skipped (their time counts as not measured, not as silence).
 * @return the combined level; valid is false if nothing valid was given
 */
struct noise_level noise_laeq_combine(const struct noise_level *laeq, const double *dur_s,
				      size_t n);

#endif
