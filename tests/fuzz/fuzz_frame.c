/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the link frame decoder (sensord's edge for bytes from
 * a node) and the stream deframer: whatever decodes must encode back to the
 * same bytes and decode again to the same frame; the deframer never keeps
 * more than its fixed buffer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sbcore/deframe.h"
#include "sbcore/frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct frame *f)
{
	uint8_t buf[FRAME_WIRE_MAX];
	struct frame g;
	int n = frame_encode(f, buf, sizeof(buf));

	if (n <= 1 || buf[n - 1] != 0 || memchr(buf, 0, (size_t)n - 1))
		abort();
	memset(&g, 0, sizeof(g));
	if (frame_decode(buf, (size_t)n - 1, &g) != 0 || g.type != f->type || g.node != f->node ||
	    g.seq != f->seq)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct frame f;
	struct deframe d;

	memset(&f, 0, sizeof(f));
	if (frame_decode(data, size, &f) == 0)
		check(&f);
	deframe_init(&d);
	for (size_t i = 0; i < size; i++) {
		if (deframe_push(&d, data[i], &f) == 1)
			check(&f);
		if (d.len > sizeof(d.buf))
			abort();
	}
	return 0;
}
