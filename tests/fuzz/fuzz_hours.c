/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the two parsers of the hours policy: each input is
 * tried as a weekly spec ("mon-fri 08:00-17:00") and as a GOV.UK
 * bank-holidays.json. A spec that parses must print normalised and parse
 * back to the same text, and its boundaries must be where hours_permitted
 * really changes; a file that parses must answer holiday queries.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "siteboard/hours.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_spec(const char *spec, int64_t t)
{
	struct hours_policy *p = NULL;
	struct hours_policy *q = NULL;
	char err[256];
	char text[1024];
	char text2[1024];
	struct hours_span sp[HOURS_MAX_WINDOWS];
	int64_t next, end;

	if (hours_open(spec, &p, err, sizeof(err)) != 0) {
		if (p != NULL || err[0] == '\0' || strchr(err, '\n') != NULL)
			abort();
		return;
	}
	if (hours_weekly_text(p, text, sizeof(text)) != 0)
		abort();
	if (hours_open(text, &q, err, sizeof(err)) != 0)
		abort();
	if (hours_weekly_text(q, text2, sizeof(text2)) != 0 || strcmp(text, text2) != 0)
		abort();
	/* Both clock-change days of 2026 and the instant given. */
	if (hours_spans_for_date(p, 2026, 3, 29, sp, HOURS_MAX_WINDOWS) > HOURS_MAX_WINDOWS)
		abort();
	hours_spans_for_date(p, 2026, 10, 25, sp, HOURS_MAX_WINDOWS);
	if (hours_next_boundary(p, t, &next) == 0) {
		if (next <= t || hours_permitted(p, next) == hours_permitted(p, next - 1) ||
		    hours_permitted(p, next - 1) != hours_permitted(p, t))
			abort();
	}
	if (hours_last_end(p, t, &end) == 0) {
		if (end > t || hours_permitted(p, end) || !hours_permitted(p, end - 1))
			abort();
	}
	hours_close(q);
	hours_close(p);
}

static void check_json(const uint8_t *data, size_t size)
{
	struct hours_policy *p = NULL;
	char err[256];

	if (hours_open(HOURS_DEFAULT_WEEKLY, &p, err, sizeof(err)) != 0)
		abort();
	if (hours_parse_bank_holidays_json(p, (const char *)data, size, err, sizeof(err)) != 0) {
		if (err[0] == '\0' || strchr(err, '\n') != NULL)
			abort();
	} else {
		const char *name = NULL;

		for (int y = 2019; y <= 2028; y++) {
			for (int d = 1; d <= 31; d++) {
				if (hours_is_bank_holiday(p, y, 12, d, &name) && name == NULL)
					abort();
			}
		}
		hours_permitted(p, INT64_C(1780000000000));
	}
	hours_close(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int tz_set;
	char *spec = NULL;
	uint32_t h = 2166136261u;
	int64_t t;

	if (!tz_set) {
		setenv("TZ", "Europe/London", 1);
		tzset();
		tz_set = 1;
	}
	spec = malloc(size + 1);
	if (spec == NULL)
		return 0;
	memcpy(spec, data, size);
	spec[size] = '\0';
	/* An instant from a hash of the input, within two years of 2026-01-01. */
	for (size_t i = 0; i < size; i++)
		h = (h ^ data[i]) * 16777619u;
	t = INT64_C(1767225600000) + (int64_t)(h % (2u * 366 * 86400)) * 1000 + h % 1000;
	check_spec(spec, t);
	check_json(data, size);
	free(spec);
	return 0;
}
