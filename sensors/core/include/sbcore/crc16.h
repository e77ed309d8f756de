/* SPDX-License-Identifier: MIT */
/*
 * CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, not reflected, no final
 * xor): the check value of "123456789" is 0x29B1. Guards every frame of the
 * node <-> sensord serial link. Freestanding, table-free (the firmware's
 * flash budget matters more than a few cycles per byte); pure functions.
 */
#ifndef SBCORE_CRC16_H
#define SBCORE_CRC16_H

#include <stddef.h>
#include <stdint.h>

#define CRC16_INIT 0xFFFFu

/* Continue a CRC over len more bytes (data may be NULL when len is 0). */
uint16_t crc16_update(uint16_t crc, const void *data, size_t len);

/* The CRC of len bytes: crc16_update(CRC16_INIT, data, len). */
uint16_t crc16(const void *data, size_t len);

#endif
