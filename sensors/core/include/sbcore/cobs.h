/* SPDX-License-Identifier: MIT */
/*
 * Consistent Overhead Byte Stuffing (Cheshire & Baker, 1999): rewrites a
 * block so that it contains no 0x00, which then delimits frames on the
 * serial link. The encoded form is at most COBS_MAX_ENCODED(n) bytes and
 * never carries the delimiter itself. Freestanding, caller-provided
 * buffers, pure functions; input and output must not overlap.
 */
#ifndef SBCORE_COBS_H
#define SBCORE_COBS_H

#include <stddef.h>
#include <stdint.h>

/* Worst case encoded size of n bytes: one code byte per 254 data bytes, plus one. */
#define COBS_MAX_ENCODED(n) ((n) + (n) / 254u + 1u)

/*
 * Encode n bytes of in into out (capacity cap).
 * @retval the encoded length (>= 1), or -ENOSPC when cap is too small
 */
int cobs_encode(const uint8_t *in, size_t n, uint8_t *out, size_t cap);

/*
 * Decode n encoded bytes (without the 0x00 delimiter) into out (capacity cap).
 * @retval the decoded length, -EINVAL when in holds a 0x00 or a code byte
 *         that runs past the end (n == 0 is invalid too), -ENOSPC when cap
 *         is too small
 */
int cobs_decode(const uint8_t *in, size_t n, uint8_t *out, size_t cap);

#endif
