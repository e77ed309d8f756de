/* SPDX-License-Identifier: MIT */
/*
 * Byte stream -> frames for the serial link: collects bytes up to each 0x00
 * delimiter into a fixed buffer and decodes them with frame_decode. Runs of
 * delimiters (empty frames) are ignored, so a sender may lead with 0x00 to
 * resynchronise; anything longer than FRAME_WIRE_MAX is discarded up to the
 * next delimiter. Every discarded frame is counted, never silently lost.
 * Freestanding, caller-allocated, one owner (e.g. the main loop, fed from
 * an ISR's ring, not from the ISR itself); no locking.
 */
#ifndef SBCORE_DEFRAME_H
#define SBCORE_DEFRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sbcore/frame.h"

struct deframe {
	uint8_t buf[FRAME_WIRE_MAX];
	size_t len;
	bool overflow;   /* bytes were lost from the current frame */
	uint32_t frames; /* frames accepted */
	uint32_t bad;    /* frames discarded: malformed, corrupt, oversize */
};

void deframe_init(struct deframe *d);

/*
 * Feed one byte.
 * @retval 1 a frame ended and was valid: *out holds it;
 *         0 no frame ended (or an empty one);
 *         a negative errno from frame_decode when a frame ended and was
 *         discarded (-E2BIG for oversize); d->bad has been counted
 */
int deframe_push(struct deframe *d, uint8_t byte, struct frame *out);

#endif
