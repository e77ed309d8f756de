/* SPDX-License-Identifier: MIT */
/*
 * sensord configuration, two passes over the file (see sdconf.h). Pass one
 * (our own inih handler) collects the sensor sections, their input kind, and
 * checks the values that need more than a type (ids, times, input names),
 * so those errors carry their line too. Pass two is config_load over a key
 * table listing exactly the keys each section may hold.
 */
#include "sdconf.h"

#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <siteboard/config.h>
#include <siteboard/parse.h>
#include <siteboard/sbtime.h>

#include "serial.h"

#define MAX_KEYS 128
#define SECTION_MAX (TOPIC_ID_MAX + 8)

struct pass1 {
	struct sdconf *c;
	char sections[SDCONF_MAX_SENSORS][SECTION_MAX];
	bool has_input[SDCONF_MAX_SENSORS];
	char msg[256];
};

static const struct {
	const char *name;
	enum sdconf_kind kind;
	enum sdconf_input input;
} inputs[] = {
	{"gpio", SDCONF_DOOR, SDCONF_GPIO},
	{"script", SDCONF_DOOR, SDCONF_SCRIPT},
	{"alsa", SDCONF_NOISE, SDCONF_ALSA},
	{"wav", SDCONF_NOISE, SDCONF_WAV},
	{"serial", SDCONF_DOOR, SDCONF_SERIAL},
	{"serial", SDCONF_NOISE, SDCONF_SERIAL},
};

const char *sdconf_input_name(enum sdconf_input in)
{
	for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++)
		if (inputs[i].input == in)
			return inputs[i].name;
	return "?";
}

static int fail1(struct pass1 *p, const char *msg)
{
	if (p->msg[0] == '\0')
		snprintf(p->msg, sizeof(p->msg), "%s", msg);
	return 0;
}

/* The sensor of a [door:id]/[noise:id] section, created on first sight. */
static int sensor_of(struct pass1 *p, const char *section, struct sdconf_sensor **out,
		     size_t *index)
{
	struct sdconf *c = p->c;
	enum sdconf_kind kind;
	const char *id;
	char msg[200];

	if (strncmp(section, "door:", 5) == 0) {
		kind = SDCONF_DOOR;
		id = section + 5;
	} else if (strncmp(section, "noise:", 6) == 0) {
		kind = SDCONF_NOISE;
		id = section + 6;
	} else {
		*out = NULL;
		return 1;
	}
	for (size_t i = 0; i < c->n_sensors; i++) {
		if (strcmp(p->sections[i], section) == 0) {
			*out = &c->sensors[i];
			*index = i;
			return 1;
		}
	}
	if (!topic_id_valid(id)) {
		snprintf(msg, sizeof(msg), "sensor id '%.60s' in [%.60s] must be [a-z0-9-]{1,40}", id,
			 section);
		return fail1(p, msg);
	}
	for (size_t i = 0; i < c->n_sensors; i++) {
		if (strcmp(c->sensors[i].id, id) == 0) {
			snprintf(msg, sizeof(msg), "sensor id '%s' is used by two sections", id);
			return fail1(p, msg);
		}
	}
	if (c->n_sensors >= SDCONF_MAX_SENSORS) {
		snprintf(msg, sizeof(msg), "more than %d sensor sections", SDCONF_MAX_SENSORS);
		return fail1(p, msg);
	}
	*index = c->n_sensors++;
	*out = &c->sensors[*index];
	(*out)->kind = kind;
	snprintf((*out)->id, sizeof((*out)->id), "%s", id);
	snprintf(p->sections[*index], SECTION_MAX, "%s", section);
	return 1;
}

static int handler1(void *user, const char *section, const char *name, const char *value)
{
	struct pass1 *p = user;
	struct sdconf_sensor *s = NULL;
	size_t idx = 0;
	char msg[200];
	int baud = 0;

	if (p->msg[0] != '\0')
		return 0;
	if (strcmp(section, "sensord") == 0 &&
	    (strcmp(name, "site") == 0 || strcmp(name, "block") == 0 || strcmp(name, "id") == 0) &&
	    !topic_id_valid(value)) {
		snprintf(msg, sizeof(msg), "'%s' in [sensord] must be an id ([a-z0-9-]{1,40})", name);
		return fail1(p, msg);
	}
	if (sensor_of(p, section, &s, &idx) == 0 || !s)
		return p->msg[0] == '\0';
	if (strcmp(name, "input") == 0) {
		for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
			if (inputs[i].kind == s->kind && strcmp(inputs[i].name, value) == 0) {
				s->input = inputs[i].input;
				p->has_input[idx] = true;
				return 1;
			}
		}
		snprintf(msg, sizeof(msg), "'input' in [%s] must be %s, not '%.40s'", p->sections[idx],
			 s->kind == SDCONF_DOOR ? "gpio, script or serial" : "alsa, wav or serial", value);
		return fail1(p, msg);
	}
	if (strcmp(name, "block") == 0 && !topic_id_valid(value)) {
		snprintf(msg, sizeof(msg), "'block' in [%s] must be an id ([a-z0-9-]{1,40})",
			 p->sections[idx]);
		return fail1(p, msg);
	}
	if (strcmp(name, "baud") == 0 &&
	    (parse_int(value, 0, INT_MAX, &baud) < 0 || !serial_baud_ok(baud))) {
		snprintf(msg, sizeof(msg),
			 "'baud' in [%s] must be a standard rate from 9600 to 921600, not '%.40s'",
			 p->sections[idx], value);
		return fail1(p, msg);
	}
	if (strcmp(name, "start") == 0 && sbtime_parse(value, &s->start_ms) < 0) {
		snprintf(msg, sizeof(msg), "'start' in [%s] must be an RFC 3339 time, not '%.40s'",
			 p->sections[idx], value);
		return fail1(p, msg);
	}
	return 1;
}

#define KEY(sec, nm, type, dest, req, lo, hi) \
	(struct config_key){(sec), (nm), (type), (dest), (req), (lo), (hi)}

static size_t sensor_keys(const char *sec, struct sdconf_sensor *s, struct config_key *k)
{
	size_t n = 0;

	k[n++] = KEY(sec, "input", CONFIG_STRING, NULL, true, 0, 0);
	k[n++] = KEY(sec, "block", CONFIG_STRING, &s->block, false, 0, 0);
	switch (s->input) {
	case SDCONF_GPIO:
		k[n++] = KEY(sec, "chip", CONFIG_STRING, &s->chip, false, 0, 0);
		k[n++] = KEY(sec, "line", CONFIG_INT, &s->line, true, 0, 1023);
		k[n++] = KEY(sec, "active_low", CONFIG_BOOL, &s->active_low, false, 0, 0);
		k[n++] = KEY(sec, "debounce_ms", CONFIG_INT, &s->debounce_ms, false, 0, 10000);
		break;
	case SDCONF_SCRIPT:
		break;
	case SDCONF_SERIAL:
		k[n++] = KEY(sec, "serial", CONFIG_STRING, &s->serial, true, 0, 0);
		k[n++] = KEY(sec, "baud", CONFIG_INT, &s->baud, false, 9600, 921600);
		k[n++] = KEY(sec, "node", CONFIG_INT, &s->node, true, 0, 65535);
		break;
	case SDCONF_ALSA:
		k[n++] = KEY(sec, "device", CONFIG_STRING, &s->device, false, 0, 0);
		k[n++] = KEY(sec, "period_s", CONFIG_INT, &s->period_s, false, 1, 86400);
		k[n++] = KEY(sec, "cal_db", CONFIG_DOUBLE, &s->cal_db, false, 60, 200);
		break;
	case SDCONF_WAV:
		k[n++] = KEY(sec, "file", CONFIG_STRING, &s->file, true, 0, 0);
		k[n++] = KEY(sec, "realtime", CONFIG_BOOL, &s->realtime, false, 0, 0);
		k[n++] = KEY(sec, "start", CONFIG_STRING, &s->start, false, 0, 0);
		k[n++] = KEY(sec, "period_s", CONFIG_INT, &s->period_s, false, 1, 86400);
		k[n++] = KEY(sec, "cal_db", CONFIG_DOUBLE, &s->cal_db, false, 60, 200);
		break;
	}
	return n;
}

static void sensor_defaults(struct sdconf_sensor *s)
{
	s->debounce_ms = 50;
	s->period_s = 60;
	s->cal_db = 120;
	s->realtime = true;
	s->baud = 115200;
}

/*
 * Serial sensors: one port has one baud rate, and a node's door (or noise)
 * frames go to one sensor. @retval 0, -EINVAL with err set
 */
static int check_serial(const char *path, const struct pass1 *p, const struct sdconf *c,
			char *err, size_t err_len)
{
	for (size_t i = 0; i < c->n_sensors; i++) {
		const struct sdconf_sensor *a = &c->sensors[i];

		if (a->input != SDCONF_SERIAL)
			continue;
		for (size_t j = 0; j < i; j++) {
			const struct sdconf_sensor *b = &c->sensors[j];

			if (b->input != SDCONF_SERIAL || strcmp(a->serial, b->serial) != 0)
				continue;
			if (a->baud != b->baud) {
				snprintf(err, err_len,
					 "%s: [%s] and [%s] share serial %.60s but not its baud rate",
					 path, p->sections[j], p->sections[i], a->serial);
				return -EINVAL;
			}
			if (a->node == b->node && a->kind == b->kind) {
				snprintf(err, err_len,
					 "%s: [%s] and [%s] both take node %ld's %s frames on %.60s",
					 path, p->sections[j], p->sections[i], a->node,
					 a->kind == SDCONF_DOOR ? "door" : "noise", a->serial);
				return -EINVAL;
			}
		}
	}
	return 0;
}

/* Pass one: the sections and their inputs. 0, -ENOENT, -EINVAL, -ENOMEM (err set). */
static int read_sections(const char *path, struct pass1 *p, char *err, size_t err_len)
{
	int line = ini_parse(path, handler1, p);

	if (line == -1) {
		snprintf(err, err_len, "%s: cannot open: %s", path, strerror(errno));
		return -ENOENT;
	}
	if (line == -2) {
		snprintf(err, err_len, "%s: out of memory", path);
		return -ENOMEM;
	}
	if (line > 0 && p->msg[0] != '\0') {
		snprintf(err, err_len, "%s:%d: %s", path, line, p->msg);
		return -EINVAL;
	}
	/* a syntax error (line > 0, no message) is reported by config_load later */
	for (size_t i = 0; line == 0 && i < p->c->n_sensors; i++) {
		if (!p->has_input[i]) {
			snprintf(err, err_len, "%s: missing required key 'input' in [%s]", path,
				 p->sections[i]);
			return -EINVAL;
		}
	}
	return 0;
}

/* The defaults and the key table of pass two into keys (MAX_KEYS). 0 or -ENOMEM. */
static int build_keys(struct pass1 *p, struct sdconf *c, struct config_key *keys, size_t *count)
{
	size_t n = 0;

	c->port = 1883;
	c->queue_max = 100000;
	c->heartbeat_s = 60; /* the server calls a sensor offline after 3 missed (its [sensors] heartbeat_s, default 60) */
	c->host = strdup("localhost");
	c->id = strdup("sensord");
	if (!c->host || !c->id)
		return -ENOMEM;
	keys[n++] = KEY("mqtt", "host", CONFIG_STRING, &c->host, false, 0, 0);
	keys[n++] = KEY("mqtt", "port", CONFIG_INT, &c->port, false, 1, 65535);
	keys[n++] = KEY("mqtt", "username", CONFIG_STRING, &c->username, false, 0, 0);
	keys[n++] = KEY("mqtt", "password", CONFIG_STRING, &c->password, false, 0, 0);
	keys[n++] = KEY("mqtt", "cafile", CONFIG_STRING, &c->cafile, false, 0, 0);
	keys[n++] = KEY("mqtt", "certfile", CONFIG_STRING, &c->certfile, false, 0, 0);
	keys[n++] = KEY("mqtt", "keyfile", CONFIG_STRING, &c->keyfile, false, 0, 0);
	keys[n++] = KEY("mqtt", "client_id", CONFIG_STRING, &c->client_id, false, 0, 0);
	keys[n++] = KEY("sensord", "site", CONFIG_STRING, &c->site, true, 0, 0);
	keys[n++] = KEY("sensord", "block", CONFIG_STRING, &c->block, true, 0, 0);
	keys[n++] = KEY("sensord", "id", CONFIG_STRING, &c->id, false, 0, 0);
	keys[n++] = KEY("sensord", "queue", CONFIG_STRING, &c->queue, true, 0, 0);
	keys[n++] = KEY("sensord", "queue_max", CONFIG_INT, &c->queue_max, false, 10, 10000000);
	keys[n++] = KEY("sensord", "heartbeat_s", CONFIG_INT, &c->heartbeat_s, false, 0, 86400);
	keys[n++] = KEY("sensord", "log_level", CONFIG_STRING, &c->log_level, false, 0, 0);
	for (size_t i = 0; i < c->n_sensors; i++) {
		struct sdconf_sensor *s = &c->sensors[i];

		sensor_defaults(s);
		if (s->input == SDCONF_GPIO)
			s->chip = strdup("gpiochip0");
		if (s->input == SDCONF_ALSA)
			s->device = strdup("default");
		if ((s->input == SDCONF_GPIO && !s->chip) || (s->input == SDCONF_ALSA && !s->device))
			return -ENOMEM;
		n += sensor_keys(p->sections[i], s, &keys[n]);
	}
	*count = n;
	return 0;
}

/* Pass two. "input" was read in pass one: its keys get a throwaway destination. */
static int read_keys(const char *path, struct config_key *keys, size_t n, char *err,
		     size_t err_len)
{
	char *scratch[SDCONF_MAX_SENSORS] = {NULL};
	size_t j = 0;
	int ret;

	for (size_t i = 0; i < n; i++)
		if (keys[i].dest == NULL && j < SDCONF_MAX_SENSORS)
			keys[i].dest = &scratch[j++];
	ret = config_load(path, keys, n, err, err_len);
	for (size_t i = 0; i < j; i++)
		free(scratch[i]);
	return ret;
}

/* What needs every key read: the log level, the client id, each sensor's block. */
static int finish_config(const char *path, struct sdconf *c, char *err, size_t err_len)
{
	if (c->log_level && strcmp(c->log_level, "error") != 0 &&
	    strcmp(c->log_level, "warn") != 0 && strcmp(c->log_level, "info") != 0 &&
	    strcmp(c->log_level, "debug") != 0) {
		snprintf(err, err_len, "%s: 'log_level' in [sensord] must be error, warn, info or debug",
			 path);
		return -EINVAL;
	}
	if (!c->client_id) {
		char buf[TOPIC_ID_MAX * 2 + 32];

		snprintf(buf, sizeof(buf), "siteboard-sensord-%s-%s", c->site, c->id);
		c->client_id = strdup(buf);
	}
	for (size_t i = 0; i < c->n_sensors && c->client_id; i++) {
		struct sdconf_sensor *s = &c->sensors[i];

		if (!s->block)
			s->block = strdup(c->block);
		if (strcmp(s->id, c->id) == 0) {
			snprintf(err, err_len, "%s: sensor id '%s' is also [sensord] id", path, s->id);
			return -EINVAL;
		}
	}
	if (!c->client_id)
		return -ENOMEM;
	for (size_t i = 0; i < c->n_sensors; i++)
		if (!c->sensors[i].block)
			return -ENOMEM;
	return 0;
}

int sdconf_load(const char *path, struct sdconf *c, char *err, size_t err_len)
{
	struct pass1 *p = NULL;
	struct config_key *keys = NULL;
	size_t n = 0;
	int ret = -ENOMEM;

	memset(c, 0, sizeof(*c));
	if (err_len > 0)
		err[0] = '\0';
	p = calloc(1, sizeof(*p));
	keys = calloc(MAX_KEYS, sizeof(*keys));
	if (!p || !keys) {
		snprintf(err, err_len, "%s: out of memory", path);
		goto out;
	}
	p->c = c;
	ret = read_sections(path, p, err, err_len);
	if (ret == 0)
		ret = build_keys(p, c, keys, &n);
	if (ret == 0)
		ret = read_keys(path, keys, n, err, err_len);
	if (ret == 0)
		ret = check_serial(path, p, c, err, err_len);
	if (ret == 0)
		ret = finish_config(path, c, err, err_len);
out:
	if (ret == -ENOMEM && err_len > 0 && err[0] == '\0')
		snprintf(err, err_len, "%s: out of memory", path);
	if (ret < 0)
		sdconf_release(c);
	free(keys);
	free(p);
	return ret;
}

void sdconf_release(struct sdconf *c)
{
	free(c->host);
	free(c->username);
	free(c->password);
	free(c->cafile);
	free(c->certfile);
	free(c->keyfile);
	free(c->client_id);
	free(c->site);
	free(c->block);
	free(c->id);
	free(c->queue);
	free(c->log_level);
	for (size_t i = 0; i < c->n_sensors; i++) {
		struct sdconf_sensor *s = &c->sensors[i];

		free(s->block);
		free(s->chip);
		free(s->device);
		free(s->file);
		free(s->start);
		free(s->serial);
	}
	memset(c, 0, sizeof(*c));
}
