/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the WAV reader: every format it takes (generated here), the
 * first channel of many, odd chunks with their pad byte, and every file in
 * tests/fixtures/wav-bad refused with -EINVAL and a reason.
 */
#include <dirent.h>
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

#include "wav.h"
#include "wavgen.h"

/* Read all of g through wav_open_mem and check the samples of the first channel. */
static void roundtrip(const struct wavgen *g, double tol)
{
	size_t size = wavgen_size(g), got = 0, total = 0;
	uint8_t *buf = malloc(size);
	float out[1000];
	char err[WAV_ERR_MAX] = "";
	struct wav *w = NULL;
	const struct wav_info *info;

	assert_non_null(buf);
	assert_int_equal(wavgen_build(g, buf, size), size);
	assert_int_equal(wav_open_mem(buf, size, &w, err, sizeof(err)), 0);
	info = wav_info(w);
	assert_int_equal(info->rate_hz, g->rate_hz);
	assert_int_equal(info->channels, g->channels);
	assert_int_equal(info->bits, g->bits);
	assert_int_equal(info->encoding, g->is_float ? WAV_PCM_FLOAT : WAV_PCM_INT);
	assert_int_equal(info->frames, (uint64_t)llround(g->seconds * g->rate_hz));
	do {
		assert_int_equal(wav_read(w, out, 1000, &got, err, sizeof(err)), 0);
		for (size_t i = 0; i < got; i++) {
			double t = (double)(total + i) / g->rate_hz;
			double want = g->amp * sin(2.0 * M_PI * g->freq_hz * t);

			assert_true(fabs(out[i] - want) <= tol);
		}
		total += got;
	} while (got > 0);
	assert_int_equal(total, info->frames);
	wav_close(w);
	free(buf);
}

static void test_formats(void **state)
{
	struct wavgen g = { .rate_hz = 48000, .channels = 1, .bits = 16, .seconds = 0.1,
			    .amp = 0.5, .freq_hz = 1000.0 };

	(void)state;
	roundtrip(&g, 1.0 / 32768);
	g.bits = 24;
	g.channels = 2;
	roundtrip(&g, 1.0 / 8388608);
	g.bits = 32;
	g.channels = 6;
	g.rate_hz = 44100;
	roundtrip(&g, 1e-7);
	g.is_float = true;
	g.channels = 3;
	roundtrip(&g, 1e-7);
	g.extensible = true;
	roundtrip(&g, 1e-7);
	g.is_float = false;
	g.bits = 24;
	g.rate_hz = 16000;
	roundtrip(&g, 1.0 / 8388608);
	g.odd_chunk = true;
	g.bits = 16;
	g.channels = 1;
	roundtrip(&g, 1.0 / 32768);
	g.extensible = false;
	g.seconds = 3.0; /* more than one internal buffer */
	g.channels = 8;
	roundtrip(&g, 1.0 / 32768);
}

static void test_full_scale(void **state)
{
	int16_t s16[4] = { -32768, 1, 2, 16384 };
	int32_t s32[2] = { INT32_MIN, 1 << 30 };
	float out[2];

	(void)state;
	wav_s16_to_float(s16, 3, out, 2);
	assert_true(out[0] == -1.0f && out[1] == 0.5f);
	wav_s32_to_float(s32, 1, out, 2);
	assert_true(out[0] == -1.0f && out[1] == 0.5f);
}

static void test_empty_data(void **state)
{
	struct wavgen g = { .rate_hz = 8000, .channels = 1, .bits = 16, .seconds = 0.0 };
	uint8_t buf[128];
	size_t n = wavgen_build(&g, buf, sizeof(buf)), got = 7;
	struct wav *w = NULL;
	float out[4];
	char err[WAV_ERR_MAX];

	(void)state;
	assert_int_equal(wav_open_mem(buf, n, &w, err, sizeof(err)), 0);
	assert_int_equal(wav_info(w)->frames, 0);
	assert_int_equal(wav_read(w, out, 4, &got, err, sizeof(err)), 0);
	assert_int_equal(got, 0);
	wav_close(w);
	wav_close(NULL);
}

/* Every cut of a good file is refused or reads short with a reason. */
static void test_every_truncation(void **state)
{
	struct wavgen g = { .rate_hz = 8000, .channels = 2, .bits = 24, .seconds = 0.01,
			    .amp = 0.5, .freq_hz = 440.0, .odd_chunk = true, .extensible = true };
	size_t size = wavgen_size(&g);
	uint8_t *buf = malloc(size);

	(void)state;
	assert_non_null(buf);
	wavgen_build(&g, buf, size);
	for (size_t cut = 0; cut < size; cut++) {
		struct wav *w = NULL;
		char err[WAV_ERR_MAX] = "";
		int rc = wav_open_mem(buf, cut, &w, err, sizeof(err));

		if (rc == 0) {
			float out[256];
			size_t got = 0;

			do
				rc = wav_read(w, out, 256, &got, err, sizeof(err));
			while (rc == 0 && got > 0);
			wav_close(w);
		}
		assert_int_equal(rc, -EINVAL);
		assert_true(err[0] != '\0');
	}
	free(buf);
}

static const struct {
	const char *file, *why;
} expect[] = {
	{ "truncated-data.wav", "truncated data chunk" },
	{ "empty.wav", "empty file, not a WAV file" },
	{ "garbage.wav", "not a WAV file: no RIFF header" },
	{ "float-nan.wav", "sample 1 is not a finite number" },
	{ "odd-chunk-no-pad.wav", "no data chunk" },
};

static void test_bad_fixtures(void **state)
{
	DIR *d = opendir(SITEBOARD_FIXTURES "/wav-bad");
	struct dirent *e;
	int seen = 0;

	(void)state;
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		char path[512], err[WAV_ERR_MAX] = "";
		struct wav *w = NULL;
		int rc;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/wav-bad/%s", SITEBOARD_FIXTURES, e->d_name);
		rc = wav_open(path, &w, err, sizeof(err));
		if (rc == 0) {
			float out[64];
			size_t got = 0;

			do
				rc = wav_read(w, out, 64, &got, err, sizeof(err));
			while (rc == 0 && got > 0);
			wav_close(w);
		}
		printf("  %-26s %s\n", e->d_name, err);
		assert_int_equal(rc, -EINVAL);
		assert_true(err[0] != '\0' && strchr(err, '\n') == NULL);
		for (size_t i = 0; i < sizeof(expect) / sizeof(expect[0]); i++)
			if (strcmp(e->d_name, expect[i].file) == 0)
				assert_string_equal(err, expect[i].why);
		seen++;
	}
	closedir(d);
	assert_true(seen >= 20);
}

static void test_open_errors(void **state)
{
	struct wav *w = (struct wav *)1;
	char err[WAV_ERR_MAX] = "";

	(void)state;
	assert_int_equal(wav_open("/nonexistent/x.wav", &w, err, sizeof(err)), -ENOENT);
	assert_null(w);
	assert_true(err[0] != '\0');
	assert_int_equal(wav_open(SITEBOARD_FIXTURES, &w, err, sizeof(err)), -EISDIR);
	assert_string_equal(err, "is a directory");
	assert_int_equal(wav_open_mem("", 0, &w, NULL, 0), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_full_scale),
		cmocka_unit_test(test_empty_data),
		cmocka_unit_test(test_every_truncation),
		cmocka_unit_test(test_bad_fixtures),
		cmocka_unit_test(test_open_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
