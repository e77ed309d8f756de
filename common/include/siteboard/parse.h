/* SPDX-License-Identifier: MIT */
/*
 * Checked whole-number parsing for text from outside (config values, query
 * parameters, ids in paths, environment variables, command-line flags): one
 * strict decimal grammar instead of strtol with its four ways to go wrong
 * (empty input, trailing junk, overflow via errno, leading spaces and '+'
 * silently accepted).
 *
 * Grammar: an optional '-' then 1 to 19 decimal digits, nothing else: no
 * spaces, no '+', no base prefix. Leading zeros are allowed ("007").
 * Not for: numbers inside a larger text (use a lexer), floating point.
 * Pure functions; any thread.
 */
#ifndef SITEBOARD_PARSE_H
#define SITEBOARD_PARSE_H

#include <stdint.h>

/*
 * Parse s (borrowed, NUL-terminated) as a whole number in [min, max].
 * *out is written only on success.
 * @retval 0
 * @retval -EINVAL s is NULL, empty, not the grammar above
 * @retval -ERANGE a number, but outside [min, max] (or outside int64_t)
 */
int parse_int64(const char *s, int64_t min, int64_t max, int64_t *out);

/* The same into an int; min and max are ints. @retval 0, -EINVAL, -ERANGE */
int parse_int(const char *s, int min, int max, int *out);

#endif
