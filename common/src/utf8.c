/* SPDX-License-Identifier: MIT */
/* Counting UTF-8 text (see utf8.h): every byte that is not a continuation byte starts a character. */
#include "siteboard/utf8.h"

size_t utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}
