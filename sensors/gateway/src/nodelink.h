/* SPDX-License-Identifier: MIT */
/*
 * sensord's end of the firmware node link (docs/firmware.md): reads frames
 * from a serial port (serial.h), ACKs every good event frame once the sink
 * has taken it (the sink queues on disk, so an ACK means stored), drops
 * retransmissions it has seen before, and maps (node id, door|noise) to the
 * configured sensors. Event times are now - age, so a backlog keeps its
 * true times. The seen-seq windows of each node persist in state_path
 * (rewritten atomically before each ACK), so a restarted sensord does not
 * queue again what it had already acknowledged.
 *
 * A new boot of a node (a HELLO with another boot count, or a boot time
 * more than NODELINK_REBOOT_MS from the last) starts a fresh window.
 * Malformed or corrupt frames are discarded and counted (nodelink_stats).
 * Runs on its own input thread; no other thread touches its state.
 */
#ifndef SENSORD_NODELINK_H
#define SENSORD_NODELINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sbcore/deframe.h"
#include "sbcore/seqwin.h"
#include "sink.h"

#define NODELINK_MAX_NODES 16
#define NODELINK_REBOOT_MS 10000
/*
 * Frames are taken in sequence order only. One that comes after a gap (an
 * older frame still missing, e.g. lost and not yet resent after an outage)
 * is held back unacknowledged, so the node sends it again after the missing
 * one; the events reach the server oldest first, as they happened. A gap
 * older than this (several of the node's longest retransmission intervals)
 * means the node dropped the missing frame from its full ring: go on.
 */
#define NODELINK_GAP_WAIT_MS 15000
#define NODELINK_RETRY_MS 1000 /* between attempts to (re)open the port */

struct nodelink_map {
	uint16_t node;
	bool door;     /* true: DOOR frames; false: NOISE frames */
	size_t sensor; /* index handed to the sink */
};

struct nodelink_params {
	const char *port;       /* "/dev/ttyUSB0" or "tcp:HOST:PORT"; borrowed */
	long baud;              /* ignored for tcp: */
	const char *state_path; /* borrowed; NULL: nothing persists */
	const struct nodelink_map *map; /* borrowed, n_map entries */
	size_t n_map;
};

struct nodelink_node {
	uint16_t id;
	uint32_t boot_count;
	int64_t boot_ms; /* wall-clock estimate of the node's boot */
	struct seqwin win;
	int64_t gap_since_ms; /* when a frame past a gap was first held back; 0: none */
};

struct nodelink {
	struct nodelink_params p;
	const struct sink *sink;
	struct deframe rx;
	struct nodelink_node nodes[NODELINK_MAX_NODES];
	size_t n_nodes;
	uint64_t bad_frames, duplicates, events, unmapped, held;
};

/*
 * Set up l (p and sink borrowed, must outlive l) and read the state file.
 * @retval 0, -EINVAL (bad params or a corrupt state file, logged)
 */
int nodelink_init(struct nodelink *l, const struct nodelink_params *p, const struct sink *sink);

/*
 * Feed bytes read from the port at wall-clock now_ms; ACKs to send are
 * written to fd (-1: none are sent, for tests that only parse).
 */
void nodelink_feed(struct nodelink *l, const uint8_t *buf, size_t n, int64_t now_ms, int fd);

/*
 * Open the port, feed what arrives, reopen after errors or EOF, until
 * *sink->stop. @retval 0 when stopped
 */
int nodelink_run(const struct nodelink_params *p, const struct sink *sink);

#endif
