/* SPDX-License-Identifier: MIT */
/*
 * Noise meter throughput: samples per second on one core through the whole
 * per-sample path of sensors/core (A-weighting, Fast/Slow, LAeq, LAFmax,
 * LA10/LA90 ticks), and the multiple of real time at the given rate.
 * usage: sb-bench-noise [RATE_HZ [SECONDS]]   (default 48000, 3)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "sbcore/noise.h"

#define BLOCK 4800 /* 100 ms at 48 kHz: what sensord hands over per read */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	static struct noise_meter m;
	static float x[BLOCK];
	uint32_t rate = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 48000;
	double secs = argc > 2 ? strtod(argv[2], NULL) : 3.0;
	uint32_t s = 2463534242u;
	uint64_t samples = 0, periods = 0;
	double t0, t;
	volatile double sink = 0.0;

	if (noise_init(&m, rate, 120.0, 1) != 0) {
		fprintf(stderr, "sb-bench-noise: rate %u not supported\n", (unsigned)rate);
		return 2;
	}
	for (size_t i = 0; i < BLOCK; i++) { /* white noise around -20 dBFS */
		s ^= s << 13;
		s ^= s >> 17;
		s ^= s << 5;
		x[i] = (float)((double)s / 4294967296.0 - 0.5) * 0.3f;
	}
	t0 = now();
	do {
		for (int k = 0; k < 100; k++) {
			size_t used = 0;

			while (used < BLOCK) {
				struct noise_result r;
				bool done = false;

				used += noise_feed(&m, x + used, BLOCK - used, &r, &done);
				if (done) {
					periods++;
					sink += r.laeq.db;
				}
			}
			samples += BLOCK;
		}
		t = now() - t0;
	} while (t < secs);
	printf("noise meter at %u Hz: %.1f M samples/s on one core = %.0fx real time "
	       "(%llu samples, %llu periods, %.2f s)\n",
	       (unsigned)rate, (double)samples / t / 1e6, (double)samples / t / rate,
	       (unsigned long long)samples, (unsigned long long)periods, t);
	return sink == 0.0 ? 1 : 0;
}
