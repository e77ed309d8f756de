/* SPDX-License-Identifier: MIT */
/*
 * siteboard-noise: offline noise meter. Reads a WAV file and prints one JSON
 * line per period from the start of the file:
 *   {"start_s":0,"period_s":60,"laeq":63.2,"lafmax":78.9,"la90":41.0,"la10":66.0}
 * Levels have one decimal; a level that is not measurable (silence) is null.
 * A final part-period is printed if it is at least half a period long, or if
 * it is the whole file; its period_s is its real length in seconds.
 * Exit status: 0 done, 1 unreadable or broken file, 2 usage.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sbcore/noise.h"
#include "wav.h"

#define PROG "siteboard-noise"
#define CHUNK 4096
#define DEFAULT_PERIOD_S 60
#define DEFAULT_CAL_DB 120.0

static void usage(FILE *to)
{
	fprintf(to,
		"usage: " PROG " [--period S] [--cal-db DB] FILE.wav\n"
		"A-weighted levels of a WAV file, one JSON line per period:\n"
		"LAeq, LAFmax, LA90, LA10 (IEC 61672-1 A and Fast weighting).\n"
		"  -p, --period S    period length in whole seconds, 1..%u (default %d)\n"
		"  -c, --cal-db DB   dB SPL that a full-scale sine represents (default %.0f:\n"
		"                    a -26 dBFS microphone)\n"
		"  -h, --help        this text\n"
		"  -V, --version     print the version\n"
		"WAV: PCM 16, 24 or 32-bit integer or 32-bit float, any channel count\n"
		"(the first is measured), 8 to 192 kHz. Exit 1 on a broken file, 2 on usage.\n",
		NOISE_PERIOD_MAX_S, DEFAULT_PERIOD_S, DEFAULT_CAL_DB);
}

static void print_level(const char *key, struct noise_level l)
{
	double v = round(l.db * 10.0) / 10.0;

	if (!l.valid)
		printf(",\"%s\":null", key);
	else
		printf(",\"%s\":%.1f", key, v == 0.0 ? 0.0 : v); /* no "-0.0" */
}

static void print_result(const struct noise_result *r, uint32_t rate, uint32_t period_s)
{
	printf("{\"start_s\":%llu", (unsigned long long)(r->index * period_s));
	if (r->samples == (uint64_t)rate * period_s) {
		printf(",\"period_s\":%u", (unsigned)period_s);
	} else {
		char len[32];
		size_t n = (size_t)snprintf(len, sizeof(len), "%.3f", (double)r->samples / rate);

		while (n > 1 && len[n - 1] == '0' && len[n - 2] != '.')
			len[--n] = '\0';
		printf(",\"period_s\":%s", len);
	}
	print_level("laeq", r->laeq);
	print_level("lafmax", r->lafmax);
	print_level("la90", r->la90);
	print_level("la10", r->la10);
	printf("}\n");
}

static int parse_uint(const char *s, unsigned long lo, unsigned long hi, uint32_t *out)
{
	char *end = NULL;
	unsigned long v;

	if (s[0] < '0' || s[0] > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < lo || v > hi)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

static int parse_double(const char *s, double lo, double hi, double *out)
{
	char *end = NULL;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !(v >= lo && v <= hi))
		return -EINVAL;
	*out = v;
	return 0;
}

/* Measure the whole file; results go to stdout, one error line to stderr. */
static int measure(const char *path, uint32_t period_s, double cal_db)
{
	static struct noise_meter meter;
	static float buf[CHUNK];
	struct wav *w = NULL;
	struct noise_result res;
	char err[WAV_ERR_MAX] = "";
	uint32_t rate;
	uint64_t frames = 0;
	int status = 1;
	int rc;

	rc = wav_open(path, &w, err, sizeof(err));
	if (rc != 0) {
		fprintf(stderr, PROG ": %s: %s\n", path, err);
		goto out;
	}
	rate = wav_info(w)->rate_hz;
	if (wav_info(w)->frames == 0) {
		fprintf(stderr, PROG ": %s: no audio samples\n", path);
		goto out;
	}
	rc = noise_init(&meter, rate, cal_db, period_s);
	if (rc != 0) {
		fprintf(stderr, PROG ": %s: sample rate %u Hz not supported (%u to %u)\n", path,
			(unsigned)rate, AWEIGHT_RATE_MIN, AWEIGHT_RATE_MAX);
		goto out;
	}
	for (;;) {
		size_t got = 0, used = 0;

		rc = wav_read(w, buf, CHUNK, &got, err, sizeof(err));
		if (rc != 0) {
			fflush(stdout);
			fprintf(stderr, PROG ": %s: %s\n", path, err);
			goto out;
		}
		if (got == 0)
			break;
		frames += got;
		while (used < got) {
			bool done = false;

			used += noise_feed(&meter, buf + used, got - used, &res, &done);
			if (done)
				print_result(&res, rate, period_s);
		}
	}
	/* The rest: if at least half a period, or all there is. */
	if (noise_flush(&meter, &res) == 0 &&
	    (res.samples * 2 >= (uint64_t)rate * period_s || res.index == 0))
		print_result(&res, rate, period_s);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, PROG ": writing output: %s\n", strerror(errno));
		goto out;
	}
	status = 0;
out:
	wav_close(w);
	return status;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "period", required_argument, NULL, 'p' },
		{ "cal-db", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	uint32_t period_s = DEFAULT_PERIOD_S;
	double cal_db = DEFAULT_CAL_DB;
	int c;

	opterr = 0; /* one line of our own instead of getopt's */
	while ((c = getopt_long(argc, argv, "p:c:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (parse_uint(optarg, 1, NOISE_PERIOD_MAX_S, &period_s) != 0) {
				fprintf(stderr, PROG ": --period: want whole seconds 1..%u, not \"%s\"\n",
					NOISE_PERIOD_MAX_S, optarg);
				return 2;
			}
			break;
		case 'c':
			if (parse_double(optarg, -100.0, 250.0, &cal_db) != 0) {
				fprintf(stderr, PROG ": --cal-db: want a number of dB, -100..250, not \"%s\"\n",
					optarg);
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf(PROG " %s\n", SITEBOARD_VERSION);
			return 0;
		default:
			fprintf(stderr, PROG ": bad option or missing value: %s (try --help)\n",
				argv[optind - 1]);
			return 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, PROG ": %s (try --help)\n",
			optind >= argc ? "no WAV file given" : "one WAV file only");
		return 2;
	}
	return measure(argv[optind], period_s, cal_db);
}
