/* SPDX-License-Identifier: MIT */
/*
 * How long hours_permitted takes per call: the rules engine asks it for every
 * sensor event, so at the 20,000 events/s ingest target it must be cheap.
 * Prints ns/call for a live stream, a 3-year backlog and the worst case (a new
 * date every call). A report, never a pass/fail test.
 * usage: sb-bench-hours BANK_HOLIDAYS.json
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "siteboard/hours.h"
#include "siteboard/sbtime.h"

#define HOUR INT64_C(3600000)

static double ns_per_call(const struct hours_policy *p, int64_t start, int64_t step, int n)
{
	struct timespec a, b;
	volatile int yes = 0;

	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 0; i < n; i++)
		yes += hours_permitted(p, start + i * step);
	clock_gettime(CLOCK_MONOTONIC, &b);
	return ((double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec)) / n;
}

int main(int argc, char **argv)
{
	struct hours_policy *p = NULL;
	char err[256];
	int64_t live_start, backlog_start;

	if (argc != 2) {
		fprintf(stderr, "usage: sb-bench-hours BANK_HOLIDAYS.json\n");
		return 2;
	}
	setenv("TZ", "Europe/London", 1);
	tzset();
	if (hours_open("mon-fri 08:00-17:00, sat 09:00-13:00", &p, err, sizeof(err)) != 0 ||
	    hours_load_bank_holidays(p, argv[1], err, sizeof(err)) != 0 ||
	    sbtime_parse("2026-03-27T12:00:00Z", &live_start) != 0 ||
	    sbtime_parse("2024-01-01T00:00:00Z", &backlog_start) != 0) {
		fprintf(stderr, "sb-bench-hours: %s\n", err);
		hours_close(p);
		return 1;
	}
	printf("hours_permitted ns/call: live %.1f, 3-year backlog %.1f, new date every call %.1f\n",
	       ns_per_call(p, live_start, 1, 2000000), ns_per_call(p, backlog_start, 7200000, 13000),
	       ns_per_call(p, backlog_start, 25 * HOUR, 5000));
	hours_close(p);
	return 0;
}
