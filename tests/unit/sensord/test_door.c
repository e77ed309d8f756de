/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the door event path (door.c) over a fake line: the initial
 * state is reported, bounce gives one event per real change, the event time
 * is when the contact settled, and stop ends the run.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include <siteboard/sbtime.h>

#include "door.h"

/* A scripted line: edges at given offsets (ms from the first wait). */
struct edge {
	int64_t at;
	bool open;
};

struct fake_line {
	const struct edge *edges;
	size_t n, next;
	int64_t t0;
	bool level;
	int64_t end; /* stop after this offset */
	atomic_bool *stop;
};

struct rec {
	int n;
	bool open[16];
	int64_t ts[16];
};

static int fake_read(void *line, bool *open)
{
	struct fake_line *f = line;

	*open = f->level;
	return 0;
}

static void sleep_until(int64_t mono)
{
	int64_t wait = mono - sbtime_mono_ms();
	struct timespec ts;

	if (wait <= 0)
		return;
	ts.tv_sec = (time_t)(wait / 1000);
	ts.tv_nsec = (long)(wait % 1000) * 1000000L;
	nanosleep(&ts, NULL);
}

static int fake_wait(void *line, int timeout_ms, bool *open, int64_t *at_ms)
{
	struct fake_line *f = line;
	int64_t now = sbtime_mono_ms();

	if (f->t0 == 0)
		f->t0 = now;
	if (now - f->t0 >= f->end)
		atomic_store(f->stop, true);
	if (f->next < f->n && f->t0 + f->edges[f->next].at <= now + timeout_ms) {
		sleep_until(f->t0 + f->edges[f->next].at);
		f->level = f->edges[f->next].open;
		*open = f->level;
		*at_ms = f->t0 + f->edges[f->next].at;
		f->next++;
		return 1;
	}
	sleep_until(now + timeout_ms);
	return 0;
}

static const struct door_line_ops fake_ops = {fake_read, fake_wait};

static int rec_door(void *ctx, size_t sensor, int64_t ts_ms, bool open)
{
	struct rec *r = ctx;

	assert_int_equal(sensor, 3);
	assert_true(r->n < 16);
	r->open[r->n] = open;
	r->ts[r->n++] = ts_ms;
	return 0;
}

static void test_bounce_and_times(void **state)
{
	static const struct edge edges[] = {
		/* opens with bounce, settles at 120 */
		{100, true}, {105, false}, {110, true}, {120, true},
		/* a 10 ms glitch closed: no event */
		{400, false}, {410, true},
		/* closes at 600 for good */
		{600, false},
	};
	atomic_bool stop;
	struct fake_line f = {edges, sizeof(edges) / sizeof(edges[0]), 0, 0, false, 900, &stop};
	struct rec r;
	struct sink sink = {&r, rec_door, NULL, &stop, NULL, NULL};
	int64_t start = sbtime_now_ms();

	(void)state;
	memset(&r, 0, sizeof(r));
	atomic_init(&stop, false);
	assert_int_equal(door_run(&fake_ops, &f, 50, 3, &sink), 0);
	assert_int_equal(r.n, 3);
	assert_false(r.open[0]); /* initial state */
	assert_true(r.open[1]);
	assert_false(r.open[2]);
	/* times: settled at 110 (last real change to open) and 600, within scheduling slack */
	assert_in_range(r.ts[1] - start, 100, 160);
	assert_in_range(r.ts[2] - start, 590, 650);
	assert_true(r.ts[1] < r.ts[2]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bounce_and_times),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
