/* SPDX-License-Identifier: MIT */
/*
 * COBS known answers (the examples of Cheshire & Baker and Wikipedia's
 * table), round trips of every length around the 254-byte group boundary,
 * and rejection of malformed input.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sbcore/cobs.h"

struct vec {
	const uint8_t *in;
	size_t n;
	const uint8_t *out;
	size_t m;
};

#define V(i, o) {(const uint8_t *)(i), sizeof(i) - 1, (const uint8_t *)(o), sizeof(o) - 1}

static void test_known_answers(void **state)
{
	static const struct vec v[] = {
		V("", "\x01"),
		V("\x00", "\x01\x01"),
		V("\x00\x00", "\x01\x01\x01"),
		V("\x00\x11\x00", "\x01\x02\x11\x01"),
		V("\x11\x22\x00\x33", "\x03\x11\x22\x02\x33"),
		V("\x11\x22\x33\x44", "\x05\x11\x22\x33\x44"),
		V("\x11\x00\x00\x00", "\x02\x11\x01\x01\x01"),
	};
	uint8_t buf[16];

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		int m = cobs_encode(v[i].in, v[i].n, buf, sizeof(buf));

		assert_int_equal(m, (int)v[i].m);
		assert_memory_equal(buf, v[i].out, v[i].m);
		assert_int_equal(cobs_decode(v[i].out, v[i].m, buf, sizeof(buf)), (int)v[i].n);
		if (v[i].n)
			assert_memory_equal(buf, v[i].in, v[i].n);
	}
}

/* 254 non-zero bytes: one full group, no trailing code byte. 255: two groups. */
static void test_long_groups(void **state)
{
	uint8_t in[600], enc[COBS_MAX_ENCODED(600)], dec[600];
	int m;

	(void)state;
	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(i % 255 + 1);
	m = cobs_encode(in, 254, enc, sizeof(enc));
	assert_int_equal(m, 255);
	assert_int_equal(enc[0], 0xFF);
	m = cobs_encode(in, 255, enc, sizeof(enc));
	assert_int_equal(m, 257);
	assert_int_equal(enc[0], 0xFF);
	assert_int_equal(enc[255], 0x02);
	assert_int_equal(enc[256], in[254]);
	for (size_t n = 0; n <= sizeof(in); n++) {
		for (int zeros = 0; zeros < 2; zeros++) {
			uint8_t src[600];

			memcpy(src, in, n);
			if (zeros && n)
				for (size_t i = 0; i < n; i += 97)
					src[i] = 0;
			m = cobs_encode(src, n, enc, sizeof(enc));
			assert_true(m >= 1 && (size_t)m <= COBS_MAX_ENCODED(n));
			assert_null(memchr(enc, 0, (size_t)m));
			assert_int_equal(cobs_decode(enc, (size_t)m, dec, sizeof(dec)), (int)n);
			assert_memory_equal(dec, src, n);
		}
	}
}

static void test_no_space(void **state)
{
	uint8_t in[300], out[300];

	(void)state;
	memset(in, 0x55, sizeof(in));
	for (size_t cap = 0; cap < 5; cap++)
		assert_int_equal(cobs_encode((const uint8_t *)"\x11\x22\x33\x44", 4, out, cap), -ENOSPC);
	assert_int_equal(cobs_encode((const uint8_t *)"\x00\x00", 2, out, 2), -ENOSPC);
	assert_int_equal(cobs_encode(in, 255, out, 256), -ENOSPC);
	assert_int_equal(cobs_encode(in, 255, out, 257), 257);
	assert_int_equal(cobs_decode((const uint8_t *)"\x05\x11\x22\x33\x44", 5, out, 3), -ENOSPC);
	assert_int_equal(cobs_decode((const uint8_t *)"\x02\x11\x01", 3, out, 1), -ENOSPC);
}

static void test_malformed(void **state)
{
	uint8_t out[16] = {0};

	(void)state;
	assert_int_equal(cobs_decode(out, 0, out, sizeof(out)), -EINVAL);
	assert_int_equal(cobs_decode((const uint8_t *)"\x00", 1, out, sizeof(out)), -EINVAL);
	assert_int_equal(cobs_decode((const uint8_t *)"\x05\x11\x22", 3, out, sizeof(out)), -EINVAL);
	assert_int_equal(cobs_decode((const uint8_t *)"\x03\x11\x00", 3, out, sizeof(out)), -EINVAL);
	assert_int_equal(cobs_decode((const uint8_t *)"\x02\x11\x00\x01", 4, out, sizeof(out)), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_answers),
		cmocka_unit_test(test_long_groups),
		cmocka_unit_test(test_no_space),
		cmocka_unit_test(test_malformed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
