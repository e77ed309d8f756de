/* SPDX-License-Identifier: MIT */
/*
 * Strict decimal parsing (see parse.h). Accumulates as a negative number so
 * INT64_MIN parses without overflow, then checks the range.
 */
#include "siteboard/parse.h"

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>

int parse_int64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	bool neg = false;
	bool range = false;
	int64_t v = 0; /* minus the magnitude read so far */
	size_t i = 0;

	if (s == NULL)
		return -EINVAL;
	if (s[0] == '-') {
		neg = true;
		i = 1;
	}
	if (s[i] == '\0')
		return -EINVAL;
	for (; s[i] != '\0'; i++) {
		int d;

		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		d = s[i] - '0';
		if (v < (INT64_MIN + d) / 10)
			range = true; /* keep reading: junk after a long number is -EINVAL */
		else
			v = v * 10 - d;
	}
	if (range || (!neg && v == INT64_MIN))
		return -ERANGE;
	if (!neg)
		v = -v;
	if (v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int parse_int(const char *s, int min, int max, int *out)
{
	int64_t v = 0;
	int ret = parse_int64(s, min, max, &v);

	if (ret == 0)
		*out = (int)v;
	return ret;
}
