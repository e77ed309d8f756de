/* SPDX-License-Identifier: MIT */
/*
 * The node's main-loop step (see node.h). Order within a step: take ACKs
 * first (so nothing acknowledged is resent), then door, then audio (bounded
 * work per step), then send what is due.
 */
#include "node.h"

#include <math.h>
#include <string.h>

#include "board.h"
#include "sbcore/frame.h"

/* Audio blocks per step: enough to keep up, few enough to keep the link lively. */
#define AUDIO_BLOCKS_PER_STEP 8

static int16_t centi_db(struct noise_level l)
{
	double v;

	if (!l.valid)
		return FRAME_LEVEL_NONE;
	v = l.db * 100.0;
	if (v > INT16_MAX)
		return INT16_MAX;
	if (v < INT16_MIN + 1)
		return INT16_MIN + 1;
	return (int16_t)lround(v);
}

int node_init(struct node *n, const struct node_config *cfg)
{
	struct frame f;
	uint32_t now = board_millis();
	int rc;

	memset(n, 0, sizeof(*n));
	n->cfg = *cfg;
	link_init(&n->link, cfg->id);
	deframe_init(&n->rx);
	debounce_init(&n->door, board_door_level(), NODE_DOOR_HOLD_MS, now);
	rc = noise_init(&n->meter, BOARD_AUDIO_RATE_HZ, board_audio_cal_db(), cfg->noise_period_s);
	n->meter_ok = rc == 0;
	n->next_heartbeat_ms = now + cfg->heartbeat_ms;

	memset(&f, 0, sizeof(f));
	f.type = FRAME_HELLO;
	f.u.hello.fw_major = cfg->fw_major;
	f.u.hello.fw_minor = cfg->fw_minor;
	f.u.hello.fw_patch = cfg->fw_patch;
	f.u.hello.caps = board_caps();
	if (!n->meter_ok)
		f.u.hello.caps &= (uint8_t)~FRAME_CAP_NOISE;
	f.u.hello.boot_count = board_boot_count();
	f.u.hello.uptime_ms = now;
	(void)link_queue(&n->link, &f, now);
	return rc;
}

static void send(struct node *n, const struct frame *f)
{
	int len = frame_encode(f, n->io, sizeof(n->io));

	if (len > 0)
		board_uart_write(n->io, (size_t)len);
}

static void receive(struct node *n, uint32_t now)
{
	uint8_t buf[32];
	size_t got;
	struct frame f;

	while ((got = board_uart_read(buf, sizeof(buf))) > 0) {
		for (size_t i = 0; i < got; i++) {
			if (deframe_push(&n->rx, buf[i], &f) != 1)
				continue;
			if (f.type == FRAME_ACK && f.node == n->cfg.id)
				(void)link_ack(&n->link, f.u.ack.seq, now);
		}
	}
}

static void queue_door(struct node *n, bool open, uint32_t at_ms)
{
	struct frame f;

	memset(&f, 0, sizeof(f));
	f.type = FRAME_DOOR;
	f.u.door.open = open ? 1 : 0;
	f.u.door.uptime_ms = at_ms;
	(void)link_queue(&n->link, &f, at_ms);
}

static void door(struct node *n, uint32_t now)
{
	bool open;
	uint32_t edge_ms, at_ms;

	while (board_door_edge(&open, &edge_ms)) {
		/* an edge that settles the previous change first reports that one */
		if (debounce_update(&n->door, n->door.raw, edge_ms, &at_ms))
			queue_door(n, n->door.stable, at_ms);
		if (debounce_update(&n->door, open, edge_ms, &at_ms))
			queue_door(n, n->door.stable, at_ms);
	}
	if (debounce_update(&n->door, n->door.raw, now, &at_ms))
		queue_door(n, n->door.stable, at_ms);
}

static void audio(struct node *n)
{
	for (int b = 0; b < AUDIO_BLOCKS_PER_STEP; b++) {
		uint32_t first_ms;
		size_t got = board_audio_read(n->audio, NODE_AUDIO_BLOCK, &first_ms);
		size_t used = 0;

		if (got == 0)
			return;
		if (!n->audio_started) {
			n->audio_started = true;
			n->audio_origin_ms = first_ms;
		}
		if (!n->meter_ok)
			continue;
		while (used < got) {
			struct noise_result r;
			bool done = false;
			struct frame f;
			uint32_t start_ms;

			used += noise_feed(&n->meter, n->audio + used, got - used, &r, &done);
			if (!done)
				continue;
			start_ms = n->audio_origin_ms +
				   (uint32_t)(r.start_sample * 1000u / BOARD_AUDIO_RATE_HZ);
			memset(&f, 0, sizeof(f));
			f.type = FRAME_NOISE;
			f.u.noise.period_s = (uint16_t)n->cfg.noise_period_s;
			f.u.noise.laeq = centi_db(r.laeq);
			f.u.noise.lafmax = centi_db(r.lafmax);
			f.u.noise.la90 = centi_db(r.la90);
			(void)link_queue(&n->link, &f, start_ms);
		}
	}
}

static void heartbeat(struct node *n, uint32_t now)
{
	struct frame f;

	if ((int32_t)(now - n->next_heartbeat_ms) < 0)
		return;
	n->next_heartbeat_ms = now + n->cfg.heartbeat_ms;
	memset(&f, 0, sizeof(f));
	f.type = FRAME_HEARTBEAT;
	f.node = n->cfg.id;
	f.u.heartbeat.uptime_ms = now;
	f.u.heartbeat.battery_mv = board_battery_mv();
	f.u.heartbeat.dropped = n->link.dropped;
	f.u.heartbeat.rx_bad = n->rx.bad;
	send(n, &f);
}

void node_step(struct node *n)
{
	struct frame f;
	uint32_t now = board_millis();

	receive(n, now);
	door(n, now);
	audio(n);
	now = board_millis();
	while (link_poll(&n->link, now, &f))
		send(n, &f);
	heartbeat(n, now);
}
