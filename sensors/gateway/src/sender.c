/* SPDX-License-Identifier: MIT */
/*
 * Store-and-forward sending (see sender.h). The flight list holds, in send
 * order, the mid and row id of every unacknowledged publish; the cursor is
 * the last row id published, so the next row to send is the first after it.
 */
#include "sender.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <siteboard/log.h>

struct flight {
	int mid;
	int64_t id;
};

struct sender {
	struct outbox *ob;
	sender_publish_fn publish;
	void *ctx;
	bool connected;
	bool draining;       /* reconnected with messages in flight: wait for them */
	int64_t progress_ms; /* last connect or PUBACK */
	int64_t cursor;
	struct flight fl[SENDER_WINDOW];
	size_t n;
};

int sender_open(struct outbox *ob, sender_publish_fn publish, void *ctx, struct sender **out)
{
	struct sender *s = NULL;

	*out = NULL;
	if (!ob || !publish)
		return -EINVAL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->ob = ob;
	s->publish = publish;
	s->ctx = ctx;
	*out = s;
	return 0;
}

void sender_close(struct sender *s)
{
	free(s);
}

void sender_connected(struct sender *s, int64_t now_ms)
{
	s->connected = true;
	s->progress_ms = now_ms;
	if (s->n > 0) {
		s->draining = true;
	} else {
		s->draining = false;
		s->cursor = 0;
	}
}

void sender_disconnected(struct sender *s)
{
	s->connected = false;
}

void sender_acked(struct sender *s, int mid, int64_t now_ms)
{
	for (size_t i = 0; i < s->n; i++) {
		if (s->fl[i].mid != mid)
			continue;
		/* a row that cannot be deleted now is sent again later: a duplicate, not a loss */
		outbox_ack(s->ob, s->fl[i].id);
		memmove(&s->fl[i], &s->fl[i + 1], (s->n - i - 1) * sizeof(s->fl[0]));
		s->n--;
		s->progress_ms = now_ms;
		return;
	}
}

int sender_pump(struct sender *s, int64_t now_ms)
{
	struct outbox_row row;
	int sent = 0;
	int rc, mid;

	if (!s->connected)
		return 0;
	if (s->n > 0 && now_ms - s->progress_ms >= SENDER_ACK_TIMEOUT_MS) {
		log_warn("mqtt: no PUBACK for %zu message(s) in %d s; sending every unacknowledged "
			 "reading again",
			 s->n, SENDER_ACK_TIMEOUT_MS / 1000);
		s->n = 0;
		s->cursor = 0;
		s->draining = false;
		s->progress_ms = now_ms;
	}
	if (s->draining) {
		if (s->n > 0)
			return 0;
		s->draining = false;
	}
	while (s->n < SENDER_WINDOW) {
		rc = outbox_next(s->ob, s->cursor, &row);
		if (rc == -ENOENT)
			break;
		if (rc < 0)
			return rc;
		mid = 0;
		rc = s->publish(s->ctx, row.topic, row.payload, row.len, &mid);
		if (rc < 0) {
			if (rc != -ENOTCONN)
				log_warn("mqtt: cannot publish %s seq %lld now; will retry", row.sensor,
					 (long long)row.seq);
			break;
		}
		if (s->n == 0)
			s->progress_ms = now_ms;
		s->fl[s->n].mid = mid;
		s->fl[s->n].id = row.id;
		s->n++;
		s->cursor = row.id;
		sent++;
	}
	return sent;
}

size_t sender_inflight(const struct sender *s)
{
	return s->n;
}
