/* SPDX-License-Identifier: MIT */
/* CRC-16/CCITT-FALSE known-answer vectors (cross-checked with Python's binascii.crc_hqx). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sbcore/crc16.h"

static void test_check_value(void **state)
{
	(void)state;
	assert_int_equal(crc16("123456789", 9), 0x29B1);
}

static void test_vectors(void **state)
{
	static const uint8_t zeros[4] = {0};
	static const uint8_t ff[2] = {0xFF, 0xFF};

	(void)state;
	assert_int_equal(crc16(NULL, 0), 0xFFFF);
	assert_int_equal(crc16("A", 1), 0xB915);
	assert_int_equal(crc16(zeros, 4), 0x84C0);
	assert_int_equal(crc16(ff, 2), 0x0000);
	assert_int_equal(crc16("The quick brown fox jumps over the lazy dog", 43), 0x8FDD);
}

static void test_incremental(void **state)
{
	uint16_t c;

	(void)state;
	c = crc16_update(CRC16_INIT, "1234", 4);
	c = crc16_update(c, "56789", 5);
	assert_int_equal(c, 0x29B1);
}

/* Appending the CRC big-endian gives a residue of zero: how receivers may check. */
static void test_residue(void **state)
{
	uint8_t buf[11];
	uint16_t c;

	(void)state;
	memcpy(buf, "123456789", 9);
	c = crc16(buf, 9);
	buf[9] = (uint8_t)(c >> 8);
	buf[10] = (uint8_t)c;
	assert_int_equal(crc16(buf, 11), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_value),
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_incremental),
		cmocka_unit_test(test_residue),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
