/* SPDX-License-Identifier: MIT */
/*
 * Sensor payloads on the wire (DESIGN.md): door, noise and status messages of
 * siteboard/<site>/<block>/sensor/<sensor>/{door,noise,status}. sensord and
 * the firmware gateway encode them; the server decodes them, and since they
 * come from outside, decoding checks everything once, here.
 * Plain structs, no allocation: safe to use on any thread.
 */
#ifndef SITEBOARD_EVENT_H
#define SITEBOARD_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EVENT_MAX_BYTES 4096      /* largest payload accepted */
#define EVENT_SEQ_MAX INT64_C(9007199254740991) /* 2^53 - 1: exact in JSON */
#define EVENT_FW_MAX 64

/* {"seq":N,"ts":"2026-11-25T18:02:11.250Z","state":"open"|"closed"} */
struct event_door {
	int64_t seq;   /* 0..EVENT_SEQ_MAX, rises per sensor */
	int64_t ts_ms; /* event time */
	bool open;
};

/*
 * {"seq":N,"ts":"<interval start>","period_s":60,"laeq":63.2,"lafmax":78.9,"la90":41.0}
 * "la10" is optional. A level may be null (nothing measurable, e.g. digital
 * silence): has_levels is then false and the level fields are 0.
 */
struct event_noise {
	int64_t seq;
	int64_t ts_ms;    /* start of the period */
	int period_s;     /* 1..86400 */
	bool has_levels;
	double laeq;      /* dB, -50..200 */
	double lafmax;
	double la90;
	bool has_la10;
	double la10;
};

/* {"state":"online","battery_pct":87,"fw":"..."} or {"state":"offline"} */
struct event_status {
	bool online;
	int battery_pct;          /* 0..100, or -1 when absent */
	char fw[EVENT_FW_MAX + 1]; /* "" when absent */
};

/*
 * Decode len bytes (need not be NUL-terminated). Unknown fields are ignored.
 * @retval 0, or -EINVAL with one line in err naming the field ("ts: must be
 *         an RFC 3339 time"), or -E2BIG over EVENT_MAX_BYTES
 */
int event_door_decode(const char *json, size_t len, struct event_door *out, char *err,
		      size_t err_len);
int event_noise_decode(const char *json, size_t len, struct event_noise *out, char *err,
		       size_t err_len);
int event_status_decode(const char *json, size_t len, struct event_status *out, char *err,
			size_t err_len);

/*
 * Encode compact JSON into buf (n >= 256 is always enough).
 * @retval length written (excluding the NUL), -EINVAL for a value out of
 *         range, -ENOSPC if buf is too small
 */
int event_door_encode(const struct event_door *e, char *buf, size_t n);
int event_noise_encode(const struct event_noise *e, char *buf, size_t n);
int event_status_encode(const struct event_status *e, char *buf, size_t n);

#endif
