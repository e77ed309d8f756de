/* SPDX-License-Identifier: MIT */
/*
 * siteboard-noise end to end: WAVs of known tones written here at several
 * rates and formats, partial periods, silence, every bad fixture (one error
 * line, exit 1) and usage errors (exit 2). argv[1] is the program.
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
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "wavgen.h"

static const char *prog;
static char dir[] = "/tmp/sb-noise-test-XXXXXX";
static char out[65536], err[4096];

static void slurp(const char *name, char *buf, size_t n)
{
	char path[512];
	FILE *f;
	size_t got;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	assert_non_null(f);
	got = fread(buf, 1, n - 1, f);
	buf[got] = '\0';
	fclose(f);
}

/* Run prog with args (shell words, trusted); stdout/stderr into out/err. */
static int run(const char *args)
{
	char cmd[2048];
	int st;

	snprintf(cmd, sizeof(cmd), "'%s' %s >'%s/out' 2>'%s/err'", prog, args, dir, dir);
	st = system(cmd);
	assert_true(st != -1 && WIFEXITED(st));
	slurp("out", out, sizeof(out));
	slurp("err", err, sizeof(err));
	return WEXITSTATUS(st);
}

static const char *make(const char *name, const struct wavgen *g)
{
	static char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(wavgen_write(g, path), 0);
	return path;
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s != '\0'; s++)
		n += *s == '\n';
	return n;
}

/* The value of "key": in the line-th line of out; NAN for null. */
static double field(int line, const char *key)
{
	const char *p = out;
	char pat[64];

	for (int i = 0; i < line; i++) {
		p = strchr(p, '\n');
		assert_non_null(p);
		p++;
	}
	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = strstr(p, pat);
	assert_non_null(p);
	p += strlen(pat);
	if (strncmp(p, "null", 4) == 0)
		return NAN;
	return strtod(p, NULL);
}

static void check_tone(const char *file, const char *args, int lines, double want)
{
	char a[1024];

	snprintf(a, sizeof(a), "%s '%s'", args, file);
	assert_int_equal(run(a), 0);
	printf("  %s\n%s", a, out);
	assert_int_equal(count_lines(out), lines);
	assert_string_equal(err, "");
	for (int i = 0; i < lines; i++) {
		static const char *keys[] = { "laeq", "lafmax", "la90", "la10" };

		for (size_t k = 0; k < 4; k++)
			assert_true(fabs(field(i, keys[k]) - want) <= 0.1);
	}
}

/* cal_db is what a full-scale sine reads: a sine 20 dB below reads cal - 20. */
static void test_tones(void **state)
{
	struct wavgen g = { .rate_hz = 48000, .channels = 1, .bits = 16, .seconds = 3.0,
			    .amp = 0.1, .freq_hz = 1000.0 };

	(void)state;
	check_tone(make("a.wav", &g), "--period 1 --cal-db 120", 3, 100.0);
	assert_non_null(strstr(out, "{\"start_s\":0,\"period_s\":1,\"laeq\":100.0,\"lafmax\":100.0,"
				    "\"la90\":100.0,\"la10\":100.0}\n"));
	assert_non_null(strstr(out, "{\"start_s\":2,\"period_s\":1,"));
	g.rate_hz = 44100;
	g.bits = 24;
	g.channels = 2;
	g.amp = pow(10.0, -26.0 / 20.0);
	check_tone(make("b.wav", &g), "-p 1", 3, 94.0); /* default cal 120 */
	g.rate_hz = 32000;
	g.bits = 32;
	g.is_float = true;
	g.extensible = true;
	g.channels = 6;
	check_tone(make("c.wav", &g), "--period=3 --cal-db=110", 1, 84.0);
	g.rate_hz = 16000;
	g.is_float = false;
	g.extensible = false;
	g.channels = 1;
	g.amp = 1.0;
	check_tone(make("d.wav", &g), "-p 1 -c 94", 3, 94.0);
}

/* A last part-period prints if it is half a period or the whole file. */
static void test_partial(void **state)
{
	struct wavgen g = { .rate_hz = 16000, .channels = 1, .bits = 16, .seconds = 2.6,
			    .amp = 0.1, .freq_hz = 1000.0 };

	(void)state;
	assert_int_equal(run(make("p.wav", &g)), 0); /* default period 60: the whole file */
	assert_int_equal(count_lines(out), 1);
	assert_non_null(strstr(out, "{\"start_s\":0,\"period_s\":2.6,\"laeq\":100.0,"));
	check_tone(make("p.wav", &g), "-p 1", 3, 100.0);
	assert_non_null(strstr(out, "{\"start_s\":2,\"period_s\":0.6,"));
	g.seconds = 2.4;
	check_tone(make("p.wav", &g), "-p 1", 2, 100.0);
}

static void test_silence(void **state)
{
	struct wavgen g = { .rate_hz = 48000, .channels = 1, .bits = 16, .seconds = 2.0 };
	char a[600];

	(void)state;
	snprintf(a, sizeof(a), "-p 1 '%s'", make("s.wav", &g));
	assert_int_equal(run(a), 0);
	assert_string_equal(out, "{\"start_s\":0,\"period_s\":1,\"laeq\":null,\"lafmax\":null,\"la90\":null,\"la10\":null}\n"
				 "{\"start_s\":1,\"period_s\":1,\"laeq\":null,\"lafmax\":null,\"la90\":null,\"la10\":null}\n");
	assert_null(strstr(out, "inf"));
}

static void test_bad_files(void **state)
{
	DIR *d = opendir(SITEBOARD_FIXTURES "/wav-bad");
	struct dirent *e;
	struct wavgen g = { .rate_hz = 48000, .channels = 1, .bits = 16, .seconds = 0.0 };
	char a[600];

	(void)state;
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		char want[600];

		if (e->d_name[0] == '.')
			continue;
		snprintf(a, sizeof(a), "'%s/wav-bad/%s'", SITEBOARD_FIXTURES, e->d_name);
		assert_int_equal(run(a), 1);
		snprintf(want, sizeof(want), "siteboard-noise: %s/wav-bad/%s: ", SITEBOARD_FIXTURES,
			 e->d_name);
		assert_int_equal(strncmp(err, want, strlen(want)), 0);
		assert_int_equal(count_lines(err), 1);
		assert_string_equal(out, "");
	}
	closedir(d);
	assert_int_equal(run("'" SITEBOARD_FIXTURES "/wav-bad/truncated-data.wav'"), 1);
	assert_string_equal(err, "siteboard-noise: " SITEBOARD_FIXTURES
				 "/wav-bad/truncated-data.wav: truncated data chunk\n");
	snprintf(a, sizeof(a), "'%s'", make("empty-data.wav", &g));
	assert_int_equal(run(a), 1);
	assert_non_null(strstr(err, ": no audio samples\n"));
	assert_int_equal(run("/nonexistent/x.wav"), 1);
	assert_string_equal(err, "siteboard-noise: /nonexistent/x.wav: No such file or directory\n");
	g.rate_hz = 4000;
	g.seconds = 1.0;
	snprintf(a, sizeof(a), "'%s'", make("rate.wav", &g));
	assert_int_equal(run(a), 1);
	assert_non_null(strstr(err, "sample rate 4000 Hz not supported"));
}

static void test_usage(void **state)
{
	(void)state;
	assert_int_equal(run(""), 2);
	assert_int_equal(count_lines(err), 1);
	assert_int_equal(run("a.wav b.wav"), 2);
	assert_int_equal(run("--period 0 a.wav"), 2);
	assert_int_equal(run("--period 1.5 a.wav"), 2);
	assert_int_equal(run("--period 86401 a.wav"), 2);
	assert_int_equal(run("--period -1 a.wav"), 2);
	assert_int_equal(run("--cal-db abc a.wav"), 2);
	assert_int_equal(run("--cal-db nan a.wav"), 2);
	assert_int_equal(run("--bogus a.wav"), 2);
	assert_int_equal(count_lines(err), 1);
	assert_int_equal(run("--period"), 2);
	assert_int_equal(run("--help"), 0);
	assert_non_null(strstr(out, "usage: siteboard-noise"));
	assert_int_equal(run("--version"), 0);
	assert_int_equal(strncmp(out, "siteboard-noise ", 16), 0);
}

static int teardown(void **state)
{
	char cmd[600];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tones),
		cmocka_unit_test(test_partial),
		cmocka_unit_test(test_silence),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_usage),
	};

	if (argc != 2) {
		fprintf(stderr, "usage: %s PATH-TO-siteboard-noise\n", argv[0]);
		return 2;
	}
	prog = argv[1];
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, teardown);
}
