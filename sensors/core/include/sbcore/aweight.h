/* SPDX-License-Identifier: MIT */
/*
 * A-weighting filter design (IEC 61672-1:2013) for a given sample rate.
 *
 * The analogue design goal of IEC 61672-1 Annex E is turned into three
 * biquads at init time, in double maths, with no tables: the four poles below
 * 1 kHz by bilinear transform (paired so that no section holds a double pole
 * near z = 1, which single-precision coefficients would move), the double pole
 * at 12.2 kHz by matched z-transform, and that section's two zeros fitted by
 * weighted least squares to what the other sections leave of the analogue
 * magnitude, so the cascade follows the design goal to about 0.02 dB up to
 * 12.5 kHz at 44.1 and 48 kHz without oversampling.
 *
 * This module only designs and evaluates; noise.c runs the sections.
 * Freestanding: no allocation, no I/O; uses libm. Safe on any thread.
 */
#ifndef SBCORE_AWEIGHT_H
#define SBCORE_AWEIGHT_H

#include <stdint.h>

#define AWEIGHT_SECTIONS 3
#define AWEIGHT_RATE_MIN 8000u
#define AWEIGHT_RATE_MAX 192000u

/* One section, y = (b0 + b1 z^-1 + b2 z^-2) / (1 + a1 z^-1 + a2 z^-2) x */
struct aweight_biquad {
	float b0, b1, b2, a1, a2;
};

struct aweight {
	uint32_t rate_hz;
	struct aweight_biquad sec[AWEIGHT_SECTIONS];
	/*
	 * dB to add to a level measured through sec[] so that 1 kHz reads
	 * exactly 0 dB: the gain left after rounding coefficients to float.
	 */
	double gain_db;
};

/*
 * Design the filter for rate_hz.
 * @retval 0
 * @retval -EINVAL rate_hz outside AWEIGHT_RATE_MIN..AWEIGHT_RATE_MAX
 * @retval -EDOM the fit did not give a realisable section (not expected for
 *         any rate in range; tested for the common ones)
 */
int aweight_design(struct aweight *w, uint32_t rate_hz);

/*
 * Magnitude in dB at f_hz (0 < f_hz < rate/2) of the designed filter as it
 * runs: float coefficients, gain_db included.
 */
double aweight_response_db(const struct aweight *w, double f_hz);

/* The analogue design goal of IEC 61672-1 Annex E, 0 dB at 1 kHz; f_hz > 0. */
double aweight_goal_db(double f_hz);

#endif
