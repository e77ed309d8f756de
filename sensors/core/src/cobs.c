/* SPDX-License-Identifier: MIT */
/*
 * COBS encoder and decoder (see cobs.h). Each group is a code byte k
 * followed by k-1 data bytes; a group shorter than 255 implies a zero after
 * it, except at the very end of the block.
 */
#include "sbcore/cobs.h"

#include <errno.h>

int cobs_encode(const uint8_t *in, size_t n, uint8_t *out, size_t cap)
{
	size_t o = 1, code_at = 0;
	uint8_t code = 1;

	if (cap < 1)
		return -ENOSPC;
	for (size_t i = 0; i < n; i++) {
		if (in[i] == 0) {
			out[code_at] = code;
			code_at = o++;
			code = 1;
			if (o > cap)
				return -ENOSPC;
			continue;
		}
		if (o >= cap)
			return -ENOSPC;
		out[o++] = in[i];
		code++;
		if (code == 0xFF) {
			out[code_at] = code;
			code_at = o++;
			code = 1;
			/* a full group at the very end needs no trailing code byte */
			if (i + 1 == n) {
				o--;
				return (int)o;
			}
			if (o > cap)
				return -ENOSPC;
		}
	}
	out[code_at] = code;
	return (int)o;
}

int cobs_decode(const uint8_t *in, size_t n, uint8_t *out, size_t cap)
{
	size_t i = 0, o = 0;

	if (n == 0)
		return -EINVAL;
	while (i < n) {
		uint8_t code = in[i++];

		if (code == 0 || (size_t)(code - 1) > n - i)
			return -EINVAL;
		for (uint8_t k = 1; k < code; k++) {
			if (in[i] == 0)
				return -EINVAL;
			if (o >= cap)
				return -ENOSPC;
			out[o++] = in[i++];
		}
		if (code != 0xFF && i < n) {
			if (o >= cap)
				return -ENOSPC;
			out[o++] = 0;
		}
	}
	return (int)o;
}
