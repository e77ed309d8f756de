/* SPDX-License-Identifier: MIT */
/*
 * The node link on the sensord side (see nodelink.h). The state file is
 * text, one line per node: "node boot_count boot_ms top mask", written to a
 * temporary file, fsynced and renamed over the old one.
 */
#include "nodelink.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <siteboard/log.h>
#include <siteboard/sbtime.h>

#include "sbcore/frame.h"
#include "serial.h"

static int load_state(struct nodelink *l)
{
	FILE *f;
	char line[160];
	int rc = 0;

	if (!l->p.state_path)
		return 0;
	f = fopen(l->p.state_path, "re");
	if (!f)
		return errno == ENOENT ? 0 : -errno;
	while (fgets(line, sizeof(line), f)) {
		struct nodelink_node *nd;
		unsigned id;
		uint32_t boot, top;
		int64_t boot_ms;
		uint64_t mask;

		if (l->n_nodes == NODELINK_MAX_NODES ||
		    sscanf(line, "%u %" SCNu32 " %" SCNd64 " %" SCNu32 " %" SCNx64, &id, &boot,
			   &boot_ms, &top, &mask) != 5 ||
		    id > UINT16_MAX) {
			log_error("%s: corrupt node link state: %.60s", l->p.state_path, line);
			rc = -EINVAL;
			break;
		}
		nd = &l->nodes[l->n_nodes++];
		nd->id = (uint16_t)id;
		nd->boot_count = boot;
		nd->boot_ms = boot_ms;
		nd->win.top = top;
		nd->win.mask = mask;
	}
	fclose(f);
	return rc;
}

static int save_state(const struct nodelink *l)
{
	char tmp[4096];
	FILE *f;
	int rc = 0;

	if (!l->p.state_path)
		return 0;
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", l->p.state_path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	f = fopen(tmp, "we");
	if (!f)
		return -errno;
	for (size_t i = 0; i < l->n_nodes; i++) {
		const struct nodelink_node *nd = &l->nodes[i];

		fprintf(f, "%u %" PRIu32 " %" PRId64 " %" PRIu32 " %" PRIx64 "\n", nd->id,
			nd->boot_count, nd->boot_ms, nd->win.top, nd->win.mask);
	}
	if (fflush(f) != 0 || fsync(fileno(f)) != 0)
		rc = -errno;
	if (fclose(f) != 0 && rc == 0)
		rc = -errno;
	if (rc == 0 && rename(tmp, l->p.state_path) != 0)
		rc = -errno;
	if (rc < 0)
		log_error("%s: cannot save node link state: %s", l->p.state_path, strerror(-rc));
	return rc;
}

int nodelink_init(struct nodelink *l, const struct nodelink_params *p, const struct sink *sink)
{
	memset(l, 0, sizeof(*l));
	if (!p->port || (p->n_map && !p->map))
		return -EINVAL;
	l->p = *p;
	l->sink = sink;
	deframe_init(&l->rx);
	return load_state(l);
}

static struct nodelink_node *node(struct nodelink *l, uint16_t id)
{
	struct nodelink_node *nd;

	for (size_t i = 0; i < l->n_nodes; i++)
		if (l->nodes[i].id == id)
			return &l->nodes[i];
	if (l->n_nodes == NODELINK_MAX_NODES)
		return NULL;
	nd = &l->nodes[l->n_nodes++];
	memset(nd, 0, sizeof(*nd));
	nd->id = id;
	seqwin_init(&nd->win);
	return nd;
}

static const struct nodelink_map *mapping(const struct nodelink *l, uint16_t id, bool door)
{
	for (size_t i = 0; i < l->p.n_map; i++)
		if (l->p.map[i].node == id && l->p.map[i].door == door)
			return &l->p.map[i];
	return NULL;
}

static void send_ack(struct nodelink *l, const struct frame *f, int fd)
{
	struct frame ack;
	uint8_t buf[FRAME_WIRE_MAX];
	int n;

	(void)l;
	if (fd < 0)
		return;
	memset(&ack, 0, sizeof(ack));
	ack.type = FRAME_ACK;
	ack.node = f->node;
	ack.u.ack.seq = f->seq;
	n = frame_encode(&ack, buf, sizeof(buf));
	/* a short or failed write loses the ACK: the node retransmits, we ACK again */
	if (n > 0 && write(fd, buf, (size_t)n) != n)
		log_debug("node %u: ACK %" PRIu32 " not written", f->node, f->seq);
}

static double level(int16_t v)
{
	return v / 100.0;
}

/* Hand an event to the sink. @retval 0 taken (or nothing to take), <0 not taken: no ACK */
static int deliver(struct nodelink *l, const struct nodelink_node *nd, const struct frame *f,
		   int64_t now_ms)
{
	const struct nodelink_map *m;
	struct event_noise e;
	struct sink_origin o = {
		.node = f->node,
		.boot_count = nd->boot_count,
		.boot_ms = nd->boot_ms,
		.node_seq = f->seq,
	};

	switch (f->type) {
	case FRAME_DOOR:
		m = mapping(l, f->node, true);
		if (!m)
			break;
		if (l->sink->node_door)
			return l->sink->node_door(l->sink->ctx, m->sensor, &o,
						  now_ms - f->u.door.age_ms, f->u.door.open != 0);
		return l->sink->door(l->sink->ctx, m->sensor, now_ms - f->u.door.age_ms,
				     f->u.door.open != 0);
	case FRAME_NOISE:
		m = mapping(l, f->node, false);
		if (!m)
			break;
		memset(&e, 0, sizeof(e));
		e.ts_ms = now_ms - f->u.noise.age_ms;
		e.period_s = f->u.noise.period_s;
		e.has_levels = f->u.noise.laeq != FRAME_LEVEL_NONE &&
			       f->u.noise.lafmax != FRAME_LEVEL_NONE &&
			       f->u.noise.la90 != FRAME_LEVEL_NONE;
		if (e.has_levels) {
			e.laeq = level(f->u.noise.laeq);
			e.lafmax = level(f->u.noise.lafmax);
			e.la90 = level(f->u.noise.la90);
		}
		if (l->sink->node_noise)
			return l->sink->node_noise(l->sink->ctx, m->sensor, &o, &e);
		return l->sink->noise(l->sink->ctx, m->sensor, &e);
	default:
		return 0;
	}
	l->unmapped++;
	if (l->unmapped == 1 || l->unmapped % 100 == 0)
		log_warn("node %u: no %s sensor configured for it; not acknowledged (%" PRIu64
			 " so far)",
			 f->node, f->type == FRAME_DOOR ? "door" : "noise", l->unmapped);
	return -ENOENT;
}

static void hello(struct nodelink_node *nd, const struct frame *f, int64_t now_ms)
{
	int64_t boot_ms = now_ms - f->u.hello.age_ms - f->u.hello.uptime_ms;
	int64_t diff = boot_ms - nd->boot_ms;

	if (f->u.hello.boot_count != nd->boot_count || diff > NODELINK_REBOOT_MS ||
	    diff < -NODELINK_REBOOT_MS) {
		if (nd->win.top)
			log_info("node %u restarted (boot %" PRIu32 ")", nd->id,
				 f->u.hello.boot_count);
		seqwin_init(&nd->win);
		nd->boot_count = f->u.hello.boot_count;
		nd->boot_ms = boot_ms;
	}
	log_info("node %u: HELLO firmware %u.%u.%u, capabilities 0x%02x, boot %" PRIu32, nd->id,
		 f->u.hello.fw_major, f->u.hello.fw_minor, f->u.hello.fw_patch, f->u.hello.caps,
		 f->u.hello.boot_count);
}

static void frame_in(struct nodelink *l, const struct frame *f, int64_t now_ms, int fd)
{
	struct nodelink_node *nd;
	struct seqwin w;

	if (f->type == FRAME_HEARTBEAT) {
		log_debug("node %u: uptime %" PRIu32 " ms, %u mV, %" PRIu32 " dropped, %" PRIu32
			  " bad frames received",
			  f->node, f->u.heartbeat.uptime_ms, f->u.heartbeat.battery_mv,
			  f->u.heartbeat.dropped, f->u.heartbeat.rx_bad);
		if (f->u.heartbeat.dropped)
			log_warn("node %u has dropped %" PRIu32 " frames from its full ring", f->node,
				 f->u.heartbeat.dropped);
		return;
	}
	if (!frame_sequenced(f->type))
		return;
	nd = node(l, f->node);
	if (!nd) {
		log_warn("node %u: more than %d nodes on one link; ignored", f->node,
			 NODELINK_MAX_NODES);
		return;
	}
	if (f->type == FRAME_HELLO)
		hello(nd, f, now_ms);
	w = nd->win;
	if (w.top != 0 && f->seq > w.top + 1) {
		/* in order only (see NODELINK_GAP_WAIT_MS) */
		if (nd->gap_since_ms == 0)
			nd->gap_since_ms = now_ms;
		if (now_ms - nd->gap_since_ms < NODELINK_GAP_WAIT_MS) {
			l->held++;
			return;
		}
		log_warn("node %u: frames %" PRIu32 " to %" PRIu32 " never came (dropped from its "
			 "ring?); going on",
			 f->node, w.top + 1, f->seq - 1);
	}
	if (!seqwin_check(&w, f->seq)) {
		l->duplicates++;
		send_ack(l, f, fd);
		return;
	}
	if (deliver(l, nd, f, now_ms) < 0)
		return;
	nd->win = w;
	nd->gap_since_ms = 0;
	if (f->type != FRAME_HELLO)
		l->events++;
	/* not stored: no ACK, the node sends it again */
	if (save_state(l) < 0)
		return;
	send_ack(l, f, fd);
}

void nodelink_feed(struct nodelink *l, const uint8_t *buf, size_t n, int64_t now_ms, int fd)
{
	struct frame f;

	for (size_t i = 0; i < n; i++) {
		int rc = deframe_push(&l->rx, buf[i], &f);

		if (rc == 1) {
			frame_in(l, &f, now_ms, fd);
		} else if (rc < 0) {
			l->bad_frames++;
			log_info("%s: discarded a bad frame (%s; %" PRIu64 " so far)", l->p.port,
				 strerror(-rc), l->bad_frames);
		}
	}
}

static bool stopped(const struct sink *sink)
{
	return sink->stop && atomic_load(sink->stop);
}

int nodelink_run(const struct nodelink_params *p, const struct sink *sink)
{
	struct nodelink l; /* about 1 KiB: one per link thread */
	int rc = nodelink_init(&l, p, sink);
	bool warned = false;

	if (rc < 0)
		return rc;
	while (!stopped(sink)) {
		int fd = -1;

		rc = serial_open(p->port, p->baud, &fd);
		if (rc < 0) {
			if (!warned)
				log_warn("%s: cannot open: %s; retrying", p->port, strerror(-rc));
			warned = true;
			usleep(NODELINK_RETRY_MS * 1000);
			continue;
		}
		warned = false;
		log_info("%s: node link open", p->port);
		deframe_init(&l.rx);
		while (!stopped(sink)) {
			struct pollfd pfd = {.fd = fd, .events = POLLIN};
			uint8_t buf[512];
			ssize_t got;

			if (poll(&pfd, 1, 200) <= 0)
				continue;
			got = read(fd, buf, sizeof(buf));
			if (got > 0) {
				nodelink_feed(&l, buf, (size_t)got, sbtime_now_ms(), fd);
				continue;
			}
			if (got < 0 && (errno == EAGAIN || errno == EINTR))
				continue;
			log_warn("%s: node link %s; reopening", p->port,
				 got == 0 ? "closed" : strerror(errno));
			break;
		}
		close(fd);
	}
	return 0;
}
