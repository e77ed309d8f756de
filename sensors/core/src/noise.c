/* SPDX-License-Identifier: MIT */
/*
 * The sound level meter of noise.h. The per-sample loop runs in float (the
 * Cortex-M4F has a single-precision FPU) over runs that end at a tick or a
 * period boundary, so it holds no branches but the two running maxima; sums
 * over a tick (at most 10 ms) are folded into a double for the period.
 */
#include "sbcore/noise.h"

#include <errno.h>
#include <math.h>

#define FAST_TAU_S 0.125
#define SLOW_TAU_S 1.0
#define FULL_SCALE_SINE_MS 0.5 /* mean square of a sine of amplitude 1 */

static void reset_period(struct noise_meter *m)
{
	m->period_pos = 0;
	m->period_energy = 0.0;
	m->fast_max = 0.0f;
	m->slow_max = 0.0f;
	m->hist_n = 0;
	m->hist_under = 0;
	for (size_t i = 0; i < NOISE_HIST_BINS; i++)
		m->hist[i] = 0;
}

int noise_init(struct noise_meter *m, uint32_t rate_hz, double cal_db, uint32_t period_s)
{
	int rc;

	if (period_s < 1 || period_s > NOISE_PERIOD_MAX_S || !(cal_db >= -100.0 && cal_db <= 250.0))
		return -EINVAL;
	rc = aweight_design(&m->aw, rate_hz);
	if (rc != 0)
		return rc;
	for (size_t i = 0; i < AWEIGHT_SECTIONS; i++)
		m->z[i][0] = m->z[i][1] = 0.0f;
	m->rate_hz = rate_hz;
	m->period_s = period_s;
	m->alpha_fast = (float)(1.0 - exp(-1.0 / (FAST_TAU_S * rate_hz)));
	m->alpha_slow = (float)(1.0 - exp(-1.0 / (SLOW_TAU_S * rate_hz)));
	m->fast = m->slow = 0.0f;
	m->tick_energy = 0.0f;
	m->tick_len = (rate_hz + NOISE_TICK_HZ / 2) / NOISE_TICK_HZ;
	m->tick_pos = 0;
	m->settle_ticks = (uint32_t)(NOISE_SETTLE_S * NOISE_TICK_HZ + 0.5);
	m->period_len = (uint64_t)rate_hz * period_s;
	m->period_index = 0;
	m->period_start = 0;
	m->offset_db = cal_db - 10.0 * log10(FULL_SCALE_SINE_MS) + m->aw.gain_db;
	m->floor_ms = pow(10.0, (cal_db - NOISE_RANGE_DB - m->offset_db) / 10.0);
	m->hist_lo_db = floor((cal_db - NOISE_RANGE_DB) / NOISE_HIST_STEP_DB + 0.5) * NOISE_HIST_STEP_DB;
	reset_period(m);
	return 0;
}

static struct noise_level level(const struct noise_meter *m, double ms)
{
	struct noise_level l = { 0.0, false };

	if (ms >= m->floor_ms) {
		l.db = 10.0 * log10(ms) + m->offset_db;
		l.valid = true;
	}
	return l;
}

struct noise_level noise_fast(const struct noise_meter *m)
{
	return level(m, m->fast);
}

struct noise_level noise_slow(const struct noise_meter *m)
{
	return level(m, m->slow);
}

/* A-weight, square, time-weight n samples; adds their energy to the tick. */
static void run(struct noise_meter *m, const float *x, size_t n)
{
	const struct aweight_biquad *s = m->aw.sec;
	float z00 = m->z[0][0], z01 = m->z[0][1];
	float z10 = m->z[1][0], z11 = m->z[1][1];
	float z20 = m->z[2][0], z21 = m->z[2][1];
	const float af = m->alpha_fast, as = m->alpha_slow;
	float fast = m->fast, slow = m->slow, fmax = m->fast_max, smax = m->slow_max;
	float sum = m->tick_energy; /* same order of additions however the calls split */

	for (size_t i = 0; i < n; i++) {
		float v = x[i], y;

		y = s[0].b0 * v + z00;
		z00 = s[0].b1 * v - s[0].a1 * y + z01;
		z01 = s[0].b2 * v - s[0].a2 * y;
		v = y;
		y = s[1].b0 * v + z10;
		z10 = s[1].b1 * v - s[1].a1 * y + z11;
		z11 = s[1].b2 * v - s[1].a2 * y;
		v = y;
		y = s[2].b0 * v + z20;
		z20 = s[2].b1 * v - s[2].a1 * y + z21;
		z21 = s[2].b2 * v - s[2].a2 * y;
		y *= y;
		sum += y;
		fast += af * (y - fast);
		slow += as * (y - slow);
		fmax = fast > fmax ? fast : fmax;
		smax = slow > smax ? slow : smax;
	}
	m->z[0][0] = z00;
	m->z[0][1] = z01;
	m->z[1][0] = z10;
	m->z[1][1] = z11;
	m->z[2][0] = z20;
	m->z[2][1] = z21;
	m->fast = fast;
	m->slow = slow;
	m->fast_max = fmax;
	m->slow_max = smax;
	m->tick_energy = sum;
}

/* End of a tick: fold its energy into the period, sample the Fast level. */
static void tick(struct noise_meter *m)
{
	struct noise_level l;

	m->period_energy += (double)m->tick_energy;
	m->tick_energy = 0.0f;
	m->tick_pos = 0;
	if (m->settle_ticks > 0) {
		m->settle_ticks--;
		return;
	}
	l = level(m, m->fast);
	m->hist_n++;
	if (!l.valid) {
		m->hist_under++;
	} else {
		double k = floor((l.db - m->hist_lo_db) / NOISE_HIST_STEP_DB + 0.5);

		if (k < 0.0)
			m->hist_under++;
		else
			m->hist[k >= NOISE_HIST_BINS - 1 ? NOISE_HIST_BINS - 1 : (size_t)k]++;
	}
}

/* The level exceeded pct% of the ticks, or not valid if that is below range. */
static struct noise_level percentile(const struct noise_meter *m, uint32_t pct)
{
	struct noise_level l = { 0.0, false };
	uint64_t need = (uint64_t)pct * m->hist_n, cum = 0;

	if (m->hist_n == 0)
		return l;
	for (size_t i = NOISE_HIST_BINS; i-- > 0;) {
		cum += m->hist[i];
		if (cum * 100u >= need) {
			l.db = m->hist_lo_db + (double)i * NOISE_HIST_STEP_DB;
			l.valid = true;
			break;
		}
	}
	return l;
}

static void finish(struct noise_meter *m, struct noise_result *out)
{
	out->index = m->period_index;
	out->start_sample = m->period_start;
	out->samples = m->period_pos;
	out->laeq = level(m, m->period_energy / (double)m->period_pos);
	out->lafmax = level(m, m->fast_max);
	out->lasmax = level(m, m->slow_max);
	out->la10 = percentile(m, 10);
	out->la90 = percentile(m, 90);
	m->period_index++;
	m->period_start += m->period_pos;
	reset_period(m);
}

size_t noise_feed(struct noise_meter *m, const float *x, size_t n, struct noise_result *out,
		  bool *done)
{
	size_t used = 0;

	*done = false;
	while (used < n) {
		uint64_t left = m->period_len - m->period_pos;
		size_t k = m->tick_len - m->tick_pos;

		if (k > n - used)
			k = n - used;
		if (k > left)
			k = (size_t)left;
		run(m, x + used, k);
		used += k;
		m->tick_pos += (uint32_t)k;
		m->period_pos += k;
		if (m->tick_pos == m->tick_len || m->period_pos == m->period_len)
			tick(m);
		if (m->period_pos == m->period_len) {
			finish(m, out);
			*done = true;
			break;
		}
	}
	return used;
}

int noise_flush(struct noise_meter *m, struct noise_result *out)
{
	if (m->period_pos == 0)
		return -ENODATA;
	if (m->tick_pos > 0)
		tick(m);
	finish(m, out);
	return 0;
}

struct noise_level noise_laeq_combine(const struct noise_level *laeq, const double *dur_s,
				      size_t n)
{
	struct noise_level l = { 0.0, false };
	double e = 0.0, t = 0.0, ref = 0.0;

	/* Relative to the loudest level, so that 10^(L/10) cannot overflow. */
	for (size_t i = 0; i < n; i++)
		if (laeq[i].valid && dur_s[i] > 0.0 && (t == 0.0 || laeq[i].db > ref)) {
			ref = laeq[i].db;
			t = 1.0;
		}
	t = 0.0;
	for (size_t i = 0; i < n; i++) {
		if (!laeq[i].valid || !(dur_s[i] > 0.0))
			continue;
		e += dur_s[i] * pow(10.0, (laeq[i].db - ref) / 10.0);
		t += dur_s[i];
	}
	if (t > 0.0) {
		l.db = ref + 10.0 * log10(e / t);
		l.valid = true;
	}
	return l;
}
