/* SPDX-License-Identifier: MIT */
/*
 * Noise sensor loop (see noisein.h): reads blocks of samples, feeds the
 * meter, turns each period's result into a DESIGN.md noise reading. The
 * meter is about 7 KiB, so it lives on the heap, not the thread's stack.
 */
#include "noisein.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sbcore/noise.h>
#include <siteboard/log.h>
#include <siteboard/sbtime.h>

#define BLOCK 1024

static void emit(const struct noisein_params *p, const struct noise_result *r, size_t sensor,
		 const struct sink *sink)
{
	struct event_noise e;
	int64_t offset_ms = (int64_t)(r->start_sample * 1000u / p->rate_hz);
	int rc;

	memset(&e, 0, sizeof(e));
	if (p->has_start)
		e.ts_ms = p->start_ms + offset_ms;
	else
		e.ts_ms = sbtime_now_ms() - (int64_t)(r->samples * 1000u / p->rate_hz);
	e.period_s = (int)p->period_s;
	e.has_levels = r->laeq.valid && r->lafmax.valid && r->la90.valid;
	if (e.has_levels) {
		e.laeq = r->laeq.db;
		e.lafmax = r->lafmax.db;
		e.la90 = r->la90.db;
		e.has_la10 = r->la10.valid;
		e.la10 = r->la10.valid ? r->la10.db : 0;
	}
	rc = sink->noise(sink->ctx, sensor, &e);
	if (rc < 0)
		log_error("noise: reading not queued (%d)", rc);
}

/* Sleep until the sample clock catches up with the wall clock (realtime). */
static void pace(int64_t t0, uint64_t samples, uint32_t rate, atomic_bool *stop)
{
	int64_t due = t0 + (int64_t)(samples * 1000u / rate);

	while (!atomic_load(stop)) {
		int64_t wait = due - sbtime_mono_ms();
		struct timespec ts;

		if (wait <= 0)
			return;
		if (wait > 200)
			wait = 200;
		ts.tv_sec = 0;
		ts.tv_nsec = (long)wait * 1000000L;
		nanosleep(&ts, NULL);
	}
}

int noisein_run(const struct audio_ops *ops, void *src, const struct noisein_params *p,
		size_t sensor, const struct sink *sink)
{
	struct noise_meter *m = NULL;
	struct noise_result r;
	float x[BLOCK];
	uint64_t total = 0;
	int64_t t0 = sbtime_mono_ms();
	int ret = -ENOMEM;
	long got;

	m = malloc(sizeof(*m));
	if (!m)
		goto out;
	ret = noise_init(m, p->rate_hz, p->cal_db, p->period_s);
	if (ret < 0) {
		log_error("noise: cannot measure at %u Hz", (unsigned)p->rate_hz);
		goto out;
	}
	while (!atomic_load(sink->stop)) {
		size_t used = 0;

		got = ops->read(src, x, BLOCK);
		if (got < 0) {
			ret = (int)got;
			goto out;
		}
		if (got == 0)
			break;
		while (used < (size_t)got) {
			bool done = false;

			used += noise_feed(m, x + used, (size_t)got - used, &r, &done);
			if (done)
				emit(p, &r, sensor, sink);
		}
		total += (uint64_t)got;
		if (p->realtime)
			pace(t0, total, p->rate_hz, sink->stop);
	}
	if (noise_flush(m, &r) == 0)
		log_info("noise: last %.1f s of input are less than a period and not reported",
			 (double)r.samples / p->rate_hz);
	ret = 0;
out:
	free(m);
	return ret;
}
