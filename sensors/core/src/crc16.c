/* SPDX-License-Identifier: MIT */
/* CRC-16/CCITT-FALSE, bitwise (see crc16.h). */
#include "sbcore/crc16.h"

uint16_t crc16_update(uint16_t crc, const void *data, size_t len)
{
	const uint8_t *p = data;

	for (size_t i = 0; i < len; i++) {
		crc ^= (uint16_t)((unsigned)p[i] << 8);
		for (int b = 0; b < 8; b++) {
			if (crc & 0x8000u)
				crc = (uint16_t)(((unsigned)crc << 1) ^ 0x1021u);
			else
				crc = (uint16_t)((unsigned)crc << 1);
		}
	}
	return crc;
}

uint16_t crc16(const void *data, size_t len)
{
	return crc16_update(CRC16_INIT, data, len);
}
