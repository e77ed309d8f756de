/* SPDX-License-Identifier: MIT */
/* Delimiter-based frame assembly (see deframe.h). */
#include "sbcore/deframe.h"

#include <errno.h>

void deframe_init(struct deframe *d)
{
	d->len = 0;
	d->overflow = false;
	d->frames = 0;
	d->bad = 0;
}

int deframe_push(struct deframe *d, uint8_t byte, struct frame *out)
{
	int rc;

	if (byte != 0) {
		if (d->len < sizeof(d->buf))
			d->buf[d->len++] = byte;
		else
			d->overflow = true;
		return 0;
	}
	if (d->overflow) {
		rc = -E2BIG;
	} else if (d->len == 0) {
		return 0;
	} else {
		rc = frame_decode(d->buf, d->len, out);
	}
	d->len = 0;
	d->overflow = false;
	if (rc < 0) {
		d->bad++;
		return rc;
	}
	d->frames++;
	return 1;
}
