/* SPDX-License-Identifier: MIT */
/*
 * Counting UTF-8 text: the one place that knows how many characters a
 * validated string holds, for every length limit written in characters
 * (board items, forms, complaints). Pure; any thread.
 *
 * Not for: validating UTF-8 (jansson and the form parser do that at the
 * edge, before anything here sees the text).
 */
#ifndef SITEBOARD_UTF8_H
#define SITEBOARD_UTF8_H

#include <stddef.h>

/* Number of characters (code points) of valid UTF-8 text s (borrowed). */
size_t utf8_chars(const char *s);

#endif
