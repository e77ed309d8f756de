/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the core noise meter (sensors/core): the A-weighting response
 * against IEC 61672-1:2013 Table 3 (printed, for docs/noise.md), sine tones
 * through the running float filter, calibration, the Table 4 tonebursts,
 * LAeq energy means, LA10/LA90, silence, chunking and argument checks.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sbcore/aweight.h"
#include "sbcore/noise.h"

#define INF_DB 99.0

/* IEC 61672-1:2013 Table 3, class 1 acceptance limits, n = 10 (10 Hz) .. 43 (20 kHz). */
static const double class1_up[34] = { 3.5, 3.0, 2.5, 2.5, 2.5, 2.0, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5,
				      1.5, 1.5, 1.4, 1.4, 1.4, 1.4, 1.4, 1.4, 1.1, 1.4, 1.6, 1.6,
				      1.6, 1.6, 1.6, 2.1, 2.1, 2.1, 2.6, 3.0, 3.5, 4.0 };
static const double class1_down[34] = { INF_DB, INF_DB, 4.5, 2.5, 2.0, 2.0, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5,
					1.5, 1.5, 1.4, 1.4, 1.4, 1.4, 1.4, 1.4, 1.1, 1.4, 1.6, 1.6,
					1.6, 1.6, 1.6, 2.1, 2.6, 3.1, 3.6, 6.0, 17.0, INF_DB };

static double table3_freq(int n)
{
	return 1000.0 * pow(10.0, (n - 30) / 10.0);
}

/* Feed n samples of a generator, collecting the last completed result. */
static int feed_all(struct noise_meter *m, const float *x, size_t n, struct noise_result *res,
		    int max_res)
{
	size_t used = 0;
	int got = 0;

	while (used < n) {
		bool done = false;
		struct noise_result r;

		used += noise_feed(m, x + used, n - used, &r, &done);
		if (done && got < max_res)
			res[got++] = r;
	}
	return got;
}

static float *sine(uint32_t rate, double freq, double amp, double seconds, size_t *n)
{
	size_t len = (size_t)llround(rate * seconds);
	float *x = malloc(len * sizeof(*x));

	assert_non_null(x);
	for (size_t i = 0; i < len; i++)
		x[i] = (float)(amp * sin(2.0 * M_PI * freq * (double)i / rate));
	*n = len;
	return x;
}

static void response_table(uint32_t rate, bool strict)
{
	struct aweight aw;
	double worst = 0.0, margin = INF_DB;

	assert_int_equal(aweight_design(&aw, rate), 0);
	printf("A-weighting at %u Hz: nominal, exact f, goal dB, filter dB, error dB, class 1 limits\n",
	       (unsigned)rate);
	for (int n = 10; n <= 43; n++) {
		double f = table3_freq(n), goal, got, e;

		if (f >= rate / 2.0)
			break;
		goal = aweight_goal_db(f);
		got = aweight_response_db(&aw, f);
		e = got - goal;
		printf("  n=%2d %9.2f Hz %8.3f %8.3f %+7.4f  (+%.1f/-%.1f)\n", n, f, goal, got, e,
		       class1_up[n - 10], class1_down[n - 10]);
		if (n >= 11 && n <= 42) {
			/* Class 1 from 12.5 Hz to 16 kHz. */
			assert_true(e <= class1_up[n - 10]);
			assert_true(e >= -class1_down[n - 10]);
			margin = fmin(margin, fmin(class1_up[n - 10] - e, class1_down[n - 10] + e));
		}
		if (strict && n >= 14 && n <= 41)
			worst = fmax(worst, fabs(e));
	}
	if (strict) {
		printf("  max |error| 25 Hz..12.5 kHz: %.4f dB; least class 1 margin %.2f dB\n", worst,
		       margin);
		assert_true(worst <= 0.1);
	}
	assert_true(fabs(aweight_response_db(&aw, 1000.0)) < 1e-9);
}

static void test_aweight_table_48k(void **state)
{
	(void)state;
	response_table(48000, true);
}

static void test_aweight_table_44k1(void **state)
{
	(void)state;
	response_table(44100, true);
}

static void test_aweight_table_other_rates(void **state)
{
	(void)state;
	response_table(32000, false);
	response_table(16000, false);
	response_table(96000, true);
}

static void test_aweight_rates(void **state)
{
	struct aweight aw;

	(void)state;
	assert_int_equal(aweight_design(&aw, AWEIGHT_RATE_MIN - 1), -EINVAL);
	assert_int_equal(aweight_design(&aw, AWEIGHT_RATE_MAX + 1), -EINVAL);
	for (uint32_t r = AWEIGHT_RATE_MIN; r <= AWEIGHT_RATE_MAX; r += 50) {
		assert_int_equal(aweight_design(&aw, r), 0);
		assert_true(fabs(aweight_response_db(&aw, 1000.0)) < 1e-9);
	}
}

/* Known-answer values of the design goal (IEC 61672-1 Table 3, rounded). */
static void test_aweight_goal(void **state)
{
	static const struct {
		double f, db;
	} kat[] = { { 10, -70.4 }, { 31.5, -39.4 }, { 100, -19.1 }, { 1000, 0.0 },
		    { 2000, 1.2 }, { 4000, 1.0 }, { 10000, -2.5 }, { 20000, -9.3 } };

	(void)state;
	for (size_t i = 0; i < sizeof(kat) / sizeof(kat[0]); i++) {
		int n = (int)lround(30 + 10 * log10(kat[i].f / 1000.0));

		assert_true(fabs(aweight_goal_db(table3_freq(n)) - kat[i].db) <= 0.05);
	}
}

/* Sines through the running (float) filter read cal + goal, within 0.1 dB. */
static void test_sines_through_meter(void **state)
{
	static const uint32_t rates[] = { 44100, 48000 };
	static const int ns[] = { 15, 20, 25, 30, 33, 36, 39, 40, 41 };

	(void)state;
	for (size_t r = 0; r < 2; r++) {
		for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
			static struct noise_meter m;
			struct noise_result res[3];
			double f = table3_freq(ns[i]), want;
			size_t n;
			float *x = sine(rates[r], f, 0.5, 3.0, &n);

			assert_int_equal(noise_init(&m, rates[r], 100.0, 1), 0);
			assert_int_equal(feed_all(&m, x, n, res, 3), 3);
			want = 100.0 + 20.0 * log10(0.5) + aweight_goal_db(f);
			printf("  sine %u Hz %8.1f Hz: LAeq %.3f, want %.3f\n", (unsigned)rates[r], f,
			       res[2].laeq.db, want);
			assert_true(res[2].laeq.valid);
			assert_true(fabs(res[2].laeq.db - want) <= 0.1);
			free(x);
		}
	}
}

/* cal_db is what a full-scale sine reads; 94 dB SPL at -26 dBFS reads 94.0. */
static void test_calibration(void **state)
{
	static const uint32_t rates[] = { 16000, 32000, 44100, 48000 };

	(void)state;
	for (size_t r = 0; r < 4; r++) {
		static struct noise_meter m;
		struct noise_result res[2];
		size_t n;
		float *x = sine(rates[r], 1000.0, pow(10.0, -26.0 / 20.0), 2.0, &n);

		assert_int_equal(noise_init(&m, rates[r], 120.0, 1), 0);
		assert_int_equal(feed_all(&m, x, n, res, 2), 2);
		for (int i = 0; i < 2; i++) {
			assert_true(fabs(res[i].laeq.db - 94.0) <= 0.1);
			assert_true(fabs(res[i].lafmax.db - 94.0) <= 0.1);
			assert_true(fabs(res[i].la90.db - 94.0) <= 0.1);
			assert_true(fabs(res[i].la10.db - 94.0) <= 0.1);
		}
		free(x);

		/* A full-scale sine reads cal_db; Slow has settled after 6 s. */
		x = sine(rates[r], 1000.0, 1.0, 6.0, &n);
		assert_int_equal(noise_init(&m, rates[r], 120.0, 3), 0);
		assert_int_equal(feed_all(&m, x, n, res, 2), 2);
		assert_true(fabs(res[1].laeq.db - 120.0) <= 0.1);
		assert_true(fabs(res[1].lasmax.db - 120.0) <= 0.1);
		free(x);
	}
}

/*
 * IEC 61672-1:2013 Table 4: 4 kHz tonebursts, maximum time-weighted level
 * relative to the steady level, with class 1 limits.
 */
static void test_tonebursts(void **state)
{
	static const struct {
		double ms;
		bool slow;
		double want, up, down;
	} cases[] = {
		{ 200.0, false, -1.0, 0.5, 0.5 }, { 2.0, false, -18.0, 1.0, 1.5 },
		{ 0.25, false, -27.0, 1.0, 3.0 }, { 200.0, true, -7.4, 0.5, 0.5 },
		{ 2.0, true, -27.0, 1.0, 3.0 },
	};
	const uint32_t rate = 48000;
	static struct noise_meter m;
	struct noise_result res[4];
	size_t n;
	float *x = sine(rate, 4000.0, 0.5, 4.0, &n);
	double steady_f, steady_s;

	(void)state;
	assert_int_equal(noise_init(&m, rate, 100.0, 1), 0);
	assert_int_equal(feed_all(&m, x, n, res, 4), 4);
	steady_f = res[3].lafmax.db;
	steady_s = res[3].lasmax.db;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t burst = (size_t)llround(cases[i].ms * rate / 1000.0); /* whole cycles */
		float *b = calloc((size_t)rate * 2, sizeof(*b));
		double got, sel;

		assert_non_null(b);
		memcpy(b + rate / 2, x, burst * sizeof(*b));
		assert_int_equal(noise_init(&m, rate, 100.0, 2), 0);
		assert_int_equal(feed_all(&m, b, (size_t)rate * 2, res, 1), 1);
		got = (cases[i].slow ? res[0].lasmax.db - steady_s : res[0].lafmax.db - steady_f);
		/* Sound exposure level of the burst, from LAeq over 2 s. */
		sel = res[0].laeq.db + 10.0 * log10(2.0) - steady_f;
		printf("  toneburst %6.2f ms %s: %+.2f dB (want %+.1f, +%.1f/-%.1f); SEL %+.2f dB (want %+.1f)\n",
		       cases[i].ms, cases[i].slow ? "Slow" : "Fast", got, cases[i].want, cases[i].up,
		       cases[i].down, sel, 10.0 * log10(cases[i].ms / 1000.0));
		assert_true(got <= cases[i].want + cases[i].up);
		assert_true(got >= cases[i].want - cases[i].down);
		assert_true(fabs(sel - 10.0 * log10(cases[i].ms / 1000.0)) <= 0.5);
		free(b);
	}
	free(x);
}

static void test_laeq_combine(void **state)
{
	struct noise_level l[3] = { { 70.0, true }, { 50.0, true }, { 0.0, false } };
	double d[3] = { 1800.0, 1800.0, 600.0 };
	struct noise_level got;

	(void)state;
	got = noise_laeq_combine(l, d, 3);
	assert_true(got.valid);
	printf("  30 min at 70 dB + 30 min at 50 dB: %.3f dB\n", got.db);
	assert_true(fabs(got.db - 67.03) < 0.005);
	got = noise_laeq_combine(l + 2, d + 2, 1);
	assert_false(got.valid);
	assert_true(got.db == 0.0);
	l[0].db = 240.0; /* no overflow for high levels */
	got = noise_laeq_combine(l, d, 1);
	assert_true(fabs(got.db - 240.0) < 1e-9);
}

/* The same through the meter: one 3600 s period, 1800 s at 70 then 50 dB. */
static void test_laeq_through_meter(void **state)
{
	const uint32_t rate = 16000;
	static struct noise_meter m;
	struct noise_result res[1];
	size_t n;
	float *loud = sine(rate, 1000.0, pow(10.0, -50.0 / 20.0), 1.0, &n);
	float *quiet = sine(rate, 1000.0, pow(10.0, -70.0 / 20.0), 1.0, &n);
	int got = 0;

	(void)state;
	assert_int_equal(noise_init(&m, rate, 120.0, 3600), 0);
	for (int s = 0; s < 3600; s++)
		got += feed_all(&m, s < 1800 ? loud : quiet, n, res, 1);
	assert_int_equal(got, 1);
	printf("  meter: LAeq %.3f LA10 %.1f LA90 %.1f LAFmax %.2f\n", res[0].laeq.db, res[0].la10.db,
	       res[0].la90.db, res[0].lafmax.db);
	assert_true(fabs(res[0].laeq.db - 67.03) <= 0.05);
	assert_true(fabs(res[0].la10.db - 70.0) <= 0.1);
	assert_true(fabs(res[0].la90.db - 50.0) <= 0.1);
	assert_true(fabs(res[0].lafmax.db - 70.0) <= 0.1);
	free(loud);
	free(quiet);
}

/* 10 s: 8 s at 60 dB, 2 s at 80 dB; LA10 hears the loud part, LA90 the quiet. */
static void test_percentiles(void **state)
{
	const uint32_t rate = 32000;
	static struct noise_meter m;
	struct noise_result res[2];
	size_t n;
	float *q = sine(rate, 1000.0, pow(10.0, -60.0 / 20.0), 1.0, &n);
	float *l = sine(rate, 1000.0, pow(10.0, -40.0 / 20.0), 1.0, &n);
	int got = 0;

	(void)state;
	assert_int_equal(noise_init(&m, rate, 120.0, 10), 0);
	for (int s = 0; s < 20; s++)
		got += feed_all(&m, (s % 10) >= 4 && (s % 10) < 6 ? l : q, n, res + (got > 0), 1);
	assert_int_equal(got, 2);
	printf("  percentiles: LA10 %.1f LA90 %.1f LAeq %.2f\n", res[1].la10.db, res[1].la90.db,
	       res[1].laeq.db);
	assert_true(fabs(res[1].la10.db - 80.0) <= 0.2);
	assert_true(fabs(res[1].la90.db - 60.0) <= 0.2);
	assert_true(fabs(res[1].laeq.db - 10.0 * log10(0.8e6 + 0.2e8)) <= 0.05);
	free(q);
	free(l);
}

static void test_silence(void **state)
{
	static struct noise_meter m;
	float *z = calloc(48000, sizeof(*z));
	struct noise_result res[2];
	size_t n;
	float *x = sine(48000, 1000.0, 0.1, 1.0, &n);

	(void)state;
	assert_non_null(z);
	assert_int_equal(noise_init(&m, 48000, 120.0, 1), 0);
	assert_false(noise_fast(&m).valid);
	assert_int_equal(feed_all(&m, z, 48000, res, 1), 1);
	assert_false(res[0].laeq.valid);
	assert_false(res[0].lafmax.valid);
	assert_false(res[0].lasmax.valid);
	assert_false(res[0].la10.valid);
	assert_false(res[0].la90.valid);
	assert_true(res[0].laeq.db == 0.0 && res[0].la90.db == 0.0);
	assert_false(noise_slow(&m).valid);

	/* Sound, then silence: the silent period's max still holds the decay. */
	assert_int_equal(feed_all(&m, x, n, res, 1), 1);
	assert_true(res[0].laeq.valid && fabs(res[0].laeq.db - 100.0) < 0.1);
	assert_true(noise_fast(&m).valid && fabs(noise_fast(&m).db - 100.0) < 0.2);
	/* Fast falls 35 dB a second: 100 dB is below range within 5 s. */
	for (int i = 0; i < 6; i++)
		assert_int_equal(feed_all(&m, z, 48000, res, 1), 1);
	assert_false(res[0].la90.valid);
	assert_false(res[0].la10.valid);
	assert_true(!res[0].laeq.valid || isfinite(res[0].laeq.db));
	free(z);
	free(x);
}

/* Results do not depend on how the samples are split into calls. */
static void test_chunking(void **state)
{
	static struct noise_meter a, b;
	struct noise_result ra[2], rb[2];
	size_t n, used = 0;
	int got = 0;
	float *x = sine(44100, 440.0, 0.3, 2.0, &n);

	(void)state;
	assert_int_equal(noise_init(&a, 44100, 110.0, 1), 0);
	assert_int_equal(noise_init(&b, 44100, 110.0, 1), 0);
	assert_int_equal(feed_all(&a, x, n, ra, 2), 2);
	while (used < n) {
		bool done = false;
		size_t k = 1 + used % 613;

		if (k > n - used)
			k = n - used;
		used += noise_feed(&b, x + used, k, &rb[got], &done);
		if (done)
			got++;
	}
	assert_int_equal(got, 2);
	for (int i = 0; i < 2; i++) {
		assert_true(ra[i].laeq.db == rb[i].laeq.db && ra[i].lafmax.db == rb[i].lafmax.db);
		assert_true(ra[i].lasmax.db == rb[i].lasmax.db && ra[i].la10.db == rb[i].la10.db);
		assert_true(ra[i].la90.db == rb[i].la90.db);
	}
	assert_int_equal(rb[1].index, 1);
	assert_int_equal(rb[1].start_sample, 44100);
	assert_int_equal(rb[1].samples, 44100);
	free(x);
}

static void test_flush(void **state)
{
	static struct noise_meter m;
	struct noise_result r;
	bool done = true;
	size_t n;
	float *x = sine(48000, 1000.0, 0.1, 0.5, &n);

	(void)state;
	assert_int_equal(noise_init(&m, 48000, 120.0, 1), 0);
	assert_int_equal(noise_flush(&m, &r), -ENODATA);
	assert_int_equal(noise_feed(&m, x, n, &r, &done), n);
	assert_false(done);
	assert_int_equal(noise_flush(&m, &r), 0);
	assert_int_equal(r.samples, 24000);
	assert_true(fabs(r.laeq.db - 100.0) < 0.1);
	assert_int_equal(noise_flush(&m, &r), -ENODATA);
	assert_int_equal(noise_feed(&m, x, n, &r, &done), n);
	assert_int_equal(noise_flush(&m, &r), 0);
	assert_int_equal(r.index, 1);
	assert_int_equal(r.start_sample, 24000);
	free(x);
}

static void test_init_args(void **state)
{
	static struct noise_meter m;

	(void)state;
	assert_true(sizeof(struct noise_meter) <= 8192);
	assert_int_equal(noise_init(&m, 48000, 120.0, 0), -EINVAL);
	assert_int_equal(noise_init(&m, 48000, 120.0, NOISE_PERIOD_MAX_S + 1), -EINVAL);
	assert_int_equal(noise_init(&m, 48000, NAN, 1), -EINVAL);
	assert_int_equal(noise_init(&m, 48000, INFINITY, 1), -EINVAL);
	assert_int_equal(noise_init(&m, 4000, 120.0, 1), -EINVAL);
	assert_int_equal(noise_init(&m, 48000, 120.0, NOISE_PERIOD_MAX_S), 0);
	assert_int_equal(noise_init(&m, 192000, 120.0, NOISE_PERIOD_MAX_S), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_aweight_goal),
		cmocka_unit_test(test_aweight_table_48k),
		cmocka_unit_test(test_aweight_table_44k1),
		cmocka_unit_test(test_aweight_table_other_rates),
		cmocka_unit_test(test_aweight_rates),
		cmocka_unit_test(test_sines_through_meter),
		cmocka_unit_test(test_calibration),
		cmocka_unit_test(test_tonebursts),
		cmocka_unit_test(test_laeq_combine),
		cmocka_unit_test(test_laeq_through_meter),
		cmocka_unit_test(test_percentiles),
		cmocka_unit_test(test_silence),
		cmocka_unit_test(test_chunking),
		cmocka_unit_test(test_flush),
		cmocka_unit_test(test_init_args),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
