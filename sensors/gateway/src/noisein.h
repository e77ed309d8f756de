/* SPDX-License-Identifier: MIT */
/*
 * A noise sensor: samples from an audio source (ALSA in alsa.c, a WAV file
 * in wavsrc.c, or a fake) through the core noise meter, one reading per
 * complete period to the sink. Timestamps: with a start time, start + sample
 * time (a WAV replayed as a recorded day); without, the wall clock at the
 * period's end minus its length (live capture).
 */
#ifndef SENSORD_NOISEIN_H
#define SENSORD_NOISEIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sink.h"

struct audio_ops {
	/*
	 * Read up to n samples of the first channel as floats (full-scale sine:
	 * amplitude 1.0). Returns how many (may be fewer), 0 at the end of the
	 * input, or a negative errno. May block for up to about 200 ms.
	 */
	long (*read)(void *src, float *x, size_t n);
};

struct noisein_params {
	uint32_t rate_hz;
	uint32_t period_s;
	double cal_db;
	bool has_start; /* timestamps from start_ms plus sample time */
	int64_t start_ms;
	bool realtime; /* pace reading to the sample clock (a WAV played live) */
};

/*
 * Run until the source ends, fails, or *sink->stop is set. A trailing
 * partial period is not reported (logged).
 * @retval 0 ended or stopped; a negative errno (logged) on failure
 */
int noisein_run(const struct audio_ops *ops, void *src, const struct noisein_params *p,
		size_t sensor, const struct sink *sink);

#endif
