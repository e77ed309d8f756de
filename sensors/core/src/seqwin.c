/* SPDX-License-Identifier: MIT */
/* Sliding window of seen sequence numbers (see seqwin.h). */
#include "sbcore/seqwin.h"

void seqwin_init(struct seqwin *w)
{
	w->top = 0;
	w->mask = 0;
}

bool seqwin_check(struct seqwin *w, uint32_t seq)
{
	uint32_t back;

	if (seq == 0)
		return false;
	if (seq > w->top) {
		uint32_t shift = seq - w->top;

		w->mask = shift >= 64 ? 0 : w->mask << shift;
		w->mask |= 1;
		w->top = seq;
		return true;
	}
	back = w->top - seq;
	if (back >= 64 || (w->mask >> back) & 1u)
		return false;
	w->mask |= (uint64_t)1 << back;
	return true;
}
