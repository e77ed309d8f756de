/* SPDX-License-Identifier: MIT */
/*
 * Off-the-shelf sensor mappings (see mapping.h). Each mapped device gets its
 * exact topics built at load time, so decoding is a lookup by topic and a
 * small payload parser per family. Payloads that do not say anything we use
 * (a Zigbee2MQTT state with neither contact nor battery) are valid and yield
 * a message with nothing set.
 */
#include "ingest/mapping.h"

#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "siteboard/event.h"
#include "siteboard/topic.h"

enum family {
	FAM_Z2M = 0,
	FAM_ESPHOME,
	FAM_TASMOTA,
	FAM_SHELLY,
	FAM_N,
};

static const char *const family_names[FAM_N] = {"zigbee2mqtt", "esphome", "tasmota", "shelly"};

enum topic_role {
	T_STATE = 0, /* door state (z2m: full state JSON) */
	T_AVAIL,     /* availability / LWT */
	T_BATTERY,   /* shelly battery */
	T_N,
};

struct device {
	enum family fam;
	char sensor[TOPIC_ID_MAX + 1];
	char topic[T_N][TOPIC_MAX]; /* "" when the family has no such topic */
};

struct mapping {
	struct device *dev;
	size_t n;
	char z2m_base[MAPPING_NAME_MAX + 1];
	char esphome_prefix[MAPPING_NAME_MAX + 1];
};

struct load_state {
	struct mapping *m;
	char msg[200];
};

static int family_of(const char *section)
{
	for (int f = 0; f < FAM_N; f++)
		if (strcmp(section, family_names[f]) == 0)
			return f;
	return -1;
}

/* A topic part: printable ASCII without MQTT wildcards; '/' only where allowed. */
static bool name_ok(const char *s, bool slash_ok)
{
	size_t n = strlen(s);

	if (n == 0 || n > MAPPING_NAME_MAX || s[0] == '/' || s[n - 1] == '/')
		return false;
	for (; *s != '\0'; s++) {
		if (*s <= ' ' || *s > '~' || *s == '+' || *s == '#')
			return false;
		if (*s == '/' && !slash_ok)
			return false;
	}
	return true;
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
	struct load_state *st = user;
	struct mapping *m = st->m;
	int fam = family_of(section);
	struct device *d = NULL;

	if (fam < 0)
		return 1; /* someone else's section */
	if (fam == FAM_Z2M && strcmp(name, "base_topic") == 0) {
		if (!name_ok(value, true)) {
			snprintf(st->msg, sizeof(st->msg), "base_topic in [%s] must be a topic without + or #",
				 section);
			return 0;
		}
		snprintf(m->z2m_base, sizeof(m->z2m_base), "%s", value);
		return 1;
	}
	if (fam == FAM_ESPHOME && strcmp(name, "prefix") == 0) {
		if (!name_ok(value, true)) {
			snprintf(st->msg, sizeof(st->msg), "prefix in [%s] must be a topic without + or #",
				 section);
			return 0;
		}
		snprintf(m->esphome_prefix, sizeof(m->esphome_prefix), "%s", value);
		return 1;
	}
	if (!name_ok(name, fam == FAM_Z2M)) {
		snprintf(st->msg, sizeof(st->msg),
			 "device name '%.60s' in [%s] must be 1 to %d printable characters without + # %s",
			 name, section, MAPPING_NAME_MAX, fam == FAM_Z2M ? "" : "or /");
		return 0;
	}
	if (!topic_id_valid(value)) {
		snprintf(st->msg, sizeof(st->msg),
			 "sensor id '%.60s' for %.60s in [%s] must match [a-z0-9-]{1,40}", value, name,
			 section);
		return 0;
	}
	for (size_t i = 0; i < m->n; i++) {
		if (strcmp(m->dev[i].sensor, value) == 0) {
			snprintf(st->msg, sizeof(st->msg), "sensor '%s' is mapped twice", value);
			return 0;
		}
	}
	if (m->n >= MAPPING_MAX) {
		snprintf(st->msg, sizeof(st->msg), "more than %d mapped devices", MAPPING_MAX);
		return 0;
	}
	d = &m->dev[m->n];
	memset(d, 0, sizeof(*d));
	d->fam = (enum family)fam;
	snprintf(d->sensor, sizeof(d->sensor), "%s", value);
	/* topics are completed at the end, when base_topic/prefix are known */
	snprintf(d->topic[T_STATE], sizeof(d->topic[T_STATE]), "%s", name);
	m->n++;
	return 1;
}

/* Build every device's topics from its name (kept in topic[T_STATE] while loading). */
static int build_topics(struct mapping *m, char *msg, size_t msg_len)
{
	for (size_t i = 0; i < m->n; i++) {
		struct device *d = &m->dev[i];
		char name[TOPIC_MAX];
		int a = 0, b = 0, c = 0;

		memcpy(name, d->topic[T_STATE], sizeof(name));
		switch (d->fam) {
		case FAM_Z2M:
			a = snprintf(d->topic[T_STATE], TOPIC_MAX, "%s/%s", m->z2m_base, name);
			b = snprintf(d->topic[T_AVAIL], TOPIC_MAX, "%s/%s/availability", m->z2m_base,
				     name);
			break;
		case FAM_ESPHOME:
			if (m->esphome_prefix[0] == '\0') {
				snprintf(msg, msg_len, "[esphome] needs a prefix");
				return -EINVAL;
			}
			a = snprintf(d->topic[T_STATE], TOPIC_MAX, "%s/binary_sensor/%s/state",
				     m->esphome_prefix, name);
			b = snprintf(d->topic[T_AVAIL], TOPIC_MAX, "%s/status", m->esphome_prefix);
			break;
		case FAM_TASMOTA:
			a = snprintf(d->topic[T_STATE], TOPIC_MAX, "tele/%s/SENSOR", name);
			b = snprintf(d->topic[T_AVAIL], TOPIC_MAX, "tele/%s/LWT", name);
			break;
		case FAM_SHELLY:
			a = snprintf(d->topic[T_STATE], TOPIC_MAX, "shellies/%s/sensor/state", name);
			c = snprintf(d->topic[T_BATTERY], TOPIC_MAX, "shellies/%s/sensor/battery",
				     name);
			break;
		case FAM_N:
			break;
		}
		if (a < 0 || a >= TOPIC_MAX || b < 0 || b >= TOPIC_MAX || c < 0 || c >= TOPIC_MAX) {
			snprintf(msg, msg_len, "topic for '%.60s' is too long", name);
			return -EINVAL;
		}
	}
	return 0;
}

static int new_mapping(struct mapping **out)
{
	struct mapping *m = calloc(1, sizeof(*m));

	*out = NULL;
	if (m == NULL)
		return -ENOMEM;
	m->dev = calloc(MAPPING_MAX, sizeof(*m->dev));
	if (m->dev == NULL) {
		free(m);
		return -ENOMEM;
	}
	snprintf(m->z2m_base, sizeof(m->z2m_base), "zigbee2mqtt");
	*out = m;
	return 0;
}

static int finish_load(struct load_state *st, int line, const char *name, struct mapping **out,
		       char *err, size_t err_len)
{
	char msg[200];
	int ret = -EINVAL;

	if (line == -1) {
		snprintf(err, err_len, "%s: cannot open: %s", name, strerror(errno));
		ret = -ENOENT;
		goto out;
	}
	if (line == -2) {
		snprintf(err, err_len, "%s: out of memory", name);
		ret = -ENOMEM;
		goto out;
	}
	if (line > 0) {
		snprintf(err, err_len, "%s:%d: %s", name, line,
			 st->msg[0] != '\0' ? st->msg : "syntax error");
		goto out;
	}
	msg[0] = '\0';
	if (build_topics(st->m, msg, sizeof(msg)) < 0) {
		snprintf(err, err_len, "%s: %s", name, msg);
		goto out;
	}
	*out = st->m;
	st->m = NULL;
	ret = 0;
out:
	mapping_free(st->m);
	return ret;
}

int mapping_load(const char *path, struct mapping **out, char *err, size_t err_len)
{
	struct load_state st = {0};
	int ret;

	*out = NULL;
	ret = new_mapping(&st.m);
	if (ret < 0)
		return ret;
	return finish_load(&st, ini_parse(path, handler, &st), path, out, err, err_len);
}

int mapping_load_string(const char *text, const char *name, struct mapping **out, char *err,
			size_t err_len)
{
	struct load_state st = {0};
	int ret;

	*out = NULL;
	ret = new_mapping(&st.m);
	if (ret < 0)
		return ret;
	return finish_load(&st, ini_parse_string(text, handler, &st), name, out, err, err_len);
}

void mapping_free(struct mapping *m)
{
	if (m == NULL)
		return;
	free(m->dev);
	free(m);
}

size_t mapping_count(const struct mapping *m)
{
	return m != NULL ? m->n : 0;
}

size_t mapping_subscriptions(const struct mapping *m, char (*topics)[256], size_t max)
{
	size_t n = 0;

	if (m == NULL)
		return 0;
	for (size_t i = 0; i < m->n; i++) {
		for (int t = 0; t < T_N; t++) {
			const char *topic = m->dev[i].topic[t];
			bool seen = false;

			if (topic[0] == '\0')
				continue;
			for (size_t j = 0; j < n && j < max && !seen; j++)
				seen = strcmp(topics[j], topic) == 0;
			if (seen)
				continue;
			if (n < max)
				snprintf(topics[n], 256, "%s", topic);
			n++;
		}
	}
	return n;
}

/* Exactly one of the words (case-sensitive), nothing else. */
static int word_is(const char *p, size_t len, const char *word)
{
	return strlen(word) == len && memcmp(p, word, len) == 0;
}

static int parse_online(enum family fam, const char *p, size_t len, int *online, char *err,
			size_t err_len)
{
	json_t *root = NULL;
	json_t *state = NULL;
	int ret = -EINVAL;

	if (word_is(p, len, fam == FAM_TASMOTA ? "Online" : "online")) {
		*online = 1;
		return 0;
	}
	if (word_is(p, len, fam == FAM_TASMOTA ? "Offline" : "offline")) {
		*online = 0;
		return 0;
	}
	if (fam == FAM_Z2M) {
		/* Zigbee2MQTT 2.x: {"state":"online"} */
		root = json_loadb(p, len, JSON_REJECT_DUPLICATES, NULL);
		state = json_is_object(root) ? json_object_get(root, "state") : NULL;
		if (json_is_string(state) && strcmp(json_string_value(state), "online") == 0) {
			*online = 1;
			ret = 0;
		} else if (json_is_string(state) && strcmp(json_string_value(state), "offline") == 0) {
			*online = 0;
			ret = 0;
		}
	}
	if (ret < 0)
		snprintf(err, err_len, "availability must be online or offline");
	json_decref(root);
	return ret;
}

static int parse_battery(json_t *v, int *battery, char *err, size_t err_len)
{
	double d;

	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_number(v)) {
		snprintf(err, err_len, "battery must be a number");
		return -EINVAL;
	}
	d = json_number_value(v);
	if (!(d >= 0 && d <= 100)) {
		snprintf(err, err_len, "battery must be 0 to 100");
		return -EINVAL;
	}
	*battery = (int)(d + 0.5);
	return 0;
}

/* The state topic of one family into msg. */
static int parse_state(enum family fam, const char *p, size_t len, struct mapping_msg *msg,
		       char *err, size_t err_len)
{
	json_t *root = NULL;
	json_t *v = NULL;
	int ret = -EINVAL;

	switch (fam) {
	case FAM_ESPHOME:
	case FAM_SHELLY: {
		const char *on = fam == FAM_ESPHOME ? "ON" : "open";
		const char *off = fam == FAM_ESPHOME ? "OFF" : "close";

		msg->has_door = true;
		if (word_is(p, len, on)) {
			msg->open = true;
			return 0;
		}
		if (word_is(p, len, off)) {
			msg->open = false;
			return 0;
		}
		snprintf(err, err_len, "state must be %s or %s", on, off);
		return -EINVAL;
	}
	case FAM_Z2M:
	case FAM_TASMOTA:
		break;
	case FAM_N:
		return -EINVAL;
	}
	root = json_loadb(p, len, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(root)) {
		snprintf(err, err_len, "payload must be a JSON object");
		goto out;
	}
	if (fam == FAM_Z2M) {
		v = json_object_get(root, "contact");
		if (v != NULL && !json_is_null(v)) {
			if (!json_is_boolean(v)) {
				snprintf(err, err_len, "contact must be true or false");
				goto out;
			}
			msg->has_door = true;
			msg->open = !json_is_true(v); /* contact: true means closed */
		}
		if (parse_battery(json_object_get(root, "battery"), &msg->battery_pct, err,
				  err_len) < 0)
			goto out;
	} else {
		v = json_object_get(root, "Switch1");
		if (v != NULL) {
			if (json_is_string(v) && strcmp(json_string_value(v), "ON") == 0) {
				msg->open = true;
			} else if (json_is_string(v) && strcmp(json_string_value(v), "OFF") == 0) {
				msg->open = false;
			} else {
				snprintf(err, err_len, "Switch1 must be ON or OFF");
				goto out;
			}
			msg->has_door = true;
		}
	}
	ret = 0;
out:
	json_decref(root);
	return ret;
}

static int parse_shelly_battery(const char *p, size_t len, int *battery, char *err,
				size_t err_len)
{
	int v = 0;

	if (len == 0 || len > 3)
		goto bad;
	for (size_t i = 0; i < len; i++) {
		if (p[i] < '0' || p[i] > '9')
			goto bad;
		v = v * 10 + (p[i] - '0');
	}
	if (v > 100)
		goto bad;
	*battery = v;
	return 0;
bad:
	snprintf(err, err_len, "battery must be 0 to 100");
	return -EINVAL;
}

int mapping_decode(const struct mapping *m, const char *topic, const char *payload, size_t len,
		   mapping_fn fn, void *ctx, char *err, size_t err_len)
{
	int matched = 0;

	if (m == NULL)
		return 0;
	if (len > EVENT_MAX_BYTES) {
		snprintf(err, err_len, "payload larger than %d bytes", EVENT_MAX_BYTES);
		return -EINVAL;
	}
	for (size_t i = 0; i < m->n; i++) {
		const struct device *d = &m->dev[i];
		struct mapping_msg msg = {
			.sensor = d->sensor,
			.family = family_names[d->fam],
			.online = -1,
			.battery_pct = -1,
		};
		int t;
		int rc;

		for (t = 0; t < T_N; t++)
			if (d->topic[t][0] != '\0' && strcmp(d->topic[t], topic) == 0)
				break;
		if (t == T_N)
			continue;
		if (t == T_STATE)
			rc = parse_state(d->fam, payload, len, &msg, err, err_len);
		else if (t == T_AVAIL)
			rc = parse_online(d->fam, payload, len, &msg.online, err, err_len);
		else
			rc = parse_shelly_battery(payload, len, &msg.battery_pct, err, err_len);
		if (rc < 0)
			return rc;
		if (d->fam == FAM_Z2M && t == T_STATE)
			msg.online = -1; /* a state says nothing about availability */
		fn(ctx, &msg);
		matched++;
	}
	return matched;
}
