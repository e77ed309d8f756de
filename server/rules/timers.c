/* SPDX-License-Identifier: MIT */
/*
 * The rules' deadlines (table rule_timers): held open, left insecure and
 * a sensor's heartbeat, written, removed and computed here; fired by the
 * engine (rules.c) when an event's time or the wall clock passes them.
 */
#include "rules/rules_priv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- timers ---- */

int timer_write(struct rules *r, const char *sensor, const char *rule,
		       const char *block, int64_t due, int64_t since)
{
	sqlite3_stmt *st = r->st[S_TIMER_PUT];

	bind_text(st, 1, sensor);
	bind_text(st, 2, rule);
	bind_text(st, 3, block);
	sqlite3_bind_int64(st, 4, due);
	sqlite3_bind_int64(st, 5, since);
	return step_done(r, st, "put timer");
}

int timer_remove(struct rules *r, const char *sensor, const char *rule)
{
	sqlite3_stmt *st = r->st[S_TIMER_DEL];

	bind_text(st, 1, sensor);
	bind_text(st, 2, rule);
	return step_done(r, st, "delete timer");
}

/*
 * Set a timer. In a batch the silence timer (read only by rules_tick, never
 * inside an ingest transaction) waits for the flush: the last one wins.
 */
int timer_put(struct rules *r, const char *sensor, const char *rule, const char *block,
		     int64_t due, int64_t since)
{
	struct batch_sensor *b = rules_batch_get(r, sensor);

	if (b != NULL && strcmp(rule, R_OFFLINE) == 0) {
		b->hb = HB_PUT;
		b->hb_due = due;
		b->hb_since = since;
		snprintf(b->block, sizeof(b->block), "%s", block);
		return 0;
	}
	if (b != NULL && due < b->door_due_lb)
		b->door_due_lb = due;
	return timer_write(r, sensor, rule, block, due, since);
}

/* Delete one timer, or (rule NULL) every door timer of the sensor. */
int timer_del(struct rules *r, const char *sensor, const char *rule)
{
	struct batch_sensor *b = rules_batch_get(r, sensor);

	if (b != NULL && rule != NULL && strcmp(rule, R_OFFLINE) == 0) {
		b->hb = HB_DEL;
		return 0;
	}
	if (b != NULL && rule == NULL)
		b->door_due_lb = INT64_MAX;
	return timer_remove(r, sensor, rule);
}

/*
 * When a door opened at opened_ms becomes "left insecure": the first instant
 * that is outside permitted hours, at least grace after the door opened or
 * after the end of a span it was open through, with no span starting within
 * the grace. A door opened before work starts and open into the day is fine;
 * one opened out of hours and left open is insecure once the grace is over.
 */
int timer_insecure_deadline(struct rules *r, int64_t opened_ms, int64_t *out)
{
	const struct hours_policy *p = policy(r);
	int64_t grace = (int64_t)r->cfg.insecure_grace_min * 60 * 1000;
	int64_t c = opened_ms;
	int64_t nb = 0;

	for (int i = 0; i < 1000; i++) {
		if (hours_permitted(p, c)) {
			if (hours_next_boundary(p, c, &nb) < 0)
				return -ENOENT; /* permitted for ever */
			c = nb;
			continue;
		}
		if (hours_next_boundary(p, c, &nb) < 0 || nb > c + grace) {
			*out = c + grace;
			return 0;
		}
		c = nb;
	}
	return -ENOENT;
}

