/* SPDX-License-Identifier: MIT */
/*
 * The receiving half of the link's de-duplication: which sequence numbers
 * of one node's current boot have been seen. Keeps the highest seq and a
 * 64-bit window below it, so retransmissions and reordering within 64
 * frames are recognised; anything older than the window counts as seen
 * (the node's ring holds only LINK_RING < 64 frames, so it cannot be new).
 * Small and plain, so sensord can persist it as it is. Freestanding, pure.
 */
#ifndef SBCORE_SEQWIN_H
#define SBCORE_SEQWIN_H

#include <stdbool.h>
#include <stdint.h>

struct seqwin {
	uint32_t top;  /* highest seq seen, 0 for none */
	uint64_t mask; /* bit i set: seq top - i seen (bit 0 is top itself) */
};

void seqwin_init(struct seqwin *w);

/*
 * Record seq (>= 1). @retval true if it is new, false if seen before (or
 * too old to tell, or 0).
 */
bool seqwin_check(struct seqwin *w, uint32_t seq);

#endif
