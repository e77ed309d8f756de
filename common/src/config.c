/* SPDX-License-Identifier: MIT */
/*
 * Table-driven INI loading over libinih. The handler checks each key against
 * the caller's table and converts it; the first problem becomes the one line
 * reported, prefixed with the file and the line inih reports for it.
 */
#include "siteboard/config.h"

#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "siteboard/parse.h"

#define CONFIG_MAX_KEYS 128

struct load_state {
	const struct config_key *keys;
	size_t n_keys;
	bool seen[CONFIG_MAX_KEYS];
	char msg[256]; /* first problem, without file and line */
};

static int set_value(const struct config_key *k, const char *value, char *msg, size_t msg_len)
{
	char *end = NULL;
	bool ranged = k->min < k->max;

	switch (k->type) {
	case CONFIG_STRING: {
		char *copy = strdup(value);
		char **dest = k->dest;

		if (copy == NULL) {
			snprintf(msg, msg_len, "out of memory");
			return -ENOMEM;
		}
		free(*dest);
		*dest = copy;
		return 0;
	}
	case CONFIG_INT: {
		int64_t v = 0;

		if (parse_int64(value, ranged ? (int64_t)k->min : LONG_MIN,
				ranged ? (int64_t)k->max : LONG_MAX, &v) < 0) {
			if (ranged)
				snprintf(msg, msg_len, "'%s' in [%s] must be a whole number from %.0f to %.0f, not '%s'",
					 k->name, k->section, k->min, k->max, value);
			else
				snprintf(msg, msg_len, "'%s' in [%s] must be a whole number, not '%s'",
					 k->name, k->section, value);
			return -EINVAL;
		}
		*(long *)k->dest = (long)v;
		return 0;
	}
	case CONFIG_DOUBLE: {
		double v;

		errno = 0;
		v = strtod(value, &end);
		if (errno != 0 || end == value || *end != '\0' || !isfinite(v) ||
		    (ranged && (v < k->min || v > k->max))) {
			if (ranged)
				snprintf(msg, msg_len, "'%s' in [%s] must be a number from %g to %g, not '%s'",
					 k->name, k->section, k->min, k->max, value);
			else
				snprintf(msg, msg_len, "'%s' in [%s] must be a number, not '%s'",
					 k->name, k->section, value);
			return -EINVAL;
		}
		*(double *)k->dest = v;
		return 0;
	}
	case CONFIG_BOOL:
		if (strcasecmp(value, "true") == 0 || strcasecmp(value, "yes") == 0 ||
		    strcasecmp(value, "on") == 0 || strcmp(value, "1") == 0) {
			*(bool *)k->dest = true;
			return 0;
		}
		if (strcasecmp(value, "false") == 0 || strcasecmp(value, "no") == 0 ||
		    strcasecmp(value, "off") == 0 || strcmp(value, "0") == 0) {
			*(bool *)k->dest = false;
			return 0;
		}
		snprintf(msg, msg_len, "'%s' in [%s] must be true or false, not '%s'", k->name,
			 k->section, value);
		return -EINVAL;
	}
	snprintf(msg, msg_len, "'%s' in [%s] has an unknown type", k->name, k->section);
	return -EINVAL;
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
	struct load_state *st = user;
	bool section_known = false;
	char msg[sizeof(st->msg)];

	for (size_t i = 0; i < st->n_keys; i++) {
		const struct config_key *k = &st->keys[i];

		if (strcmp(k->section, section) != 0)
			continue;
		section_known = true;
		if (strcmp(k->name, "*") == 0)
			return 1; /* a free-key section, read by a second pass */
		if (strcmp(k->name, name) != 0)
			continue;
		if (set_value(k, value, msg, sizeof(msg)) != 0)
			goto fail;
		st->seen[i] = true;
		return 1;
	}
	if (section_known)
		snprintf(msg, sizeof(msg), "unknown key '%s' in [%s]", name, section);
	else if (section[0] == '\0')
		snprintf(msg, sizeof(msg), "key '%s' is outside any [section]", name);
	else
		snprintf(msg, sizeof(msg), "unknown section [%s]", section);
fail:
	if (st->msg[0] == '\0')
		snprintf(st->msg, sizeof(st->msg), "%s", msg);
	return 0;
}

int config_load(const char *path, const struct config_key *keys, size_t n_keys, char *err,
		size_t err_len)
{
	struct load_state st;
	int line;

	if (n_keys > CONFIG_MAX_KEYS) {
		snprintf(err, err_len, "%s: too many configuration keys", path);
		return -EINVAL;
	}
	memset(&st, 0, sizeof(st));
	st.keys = keys;
	st.n_keys = n_keys;
	line = ini_parse(path, handler, &st);
	if (line == -1) {
		snprintf(err, err_len, "%s: cannot open: %s", path, strerror(errno));
		return -ENOENT;
	}
	if (line == -2) {
		snprintf(err, err_len, "%s: out of memory", path);
		return -ENOMEM;
	}
	if (line > 0) {
		if (st.msg[0] != '\0')
			snprintf(err, err_len, "%s:%d: %s", path, line, st.msg);
		else
			snprintf(err, err_len, "%s:%d: syntax error (expected [section] or key = value)",
				 path, line);
		return -EINVAL;
	}
	for (size_t i = 0; i < n_keys; i++) {
		if (keys[i].required && !st.seen[i]) {
			snprintf(err, err_len, "%s: missing required key '%s' in [%s]", path,
				 keys[i].name, keys[i].section);
			return -EINVAL;
		}
	}
	return 0;
}

void config_release(const struct config_key *keys, size_t n_keys)
{
	for (size_t i = 0; i < n_keys; i++) {
		if (keys[i].type == CONFIG_STRING && keys[i].dest != NULL) {
			char **dest = keys[i].dest;

			free(*dest);
			*dest = NULL;
		}
	}
}

int config_split_hostport(const char *s, char **host, int *port)
{
	const char *colon;
	const char *h;
	size_t hlen;
	int p = 0;

	if (s == NULL)
		return -EINVAL;
	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (close == NULL || close[1] != ':')
			return -EINVAL;
		h = s + 1;
		hlen = (size_t)(close - h);
		colon = close + 1;
	} else {
		colon = strrchr(s, ':');
		if (colon == NULL || memchr(s, ':', (size_t)(colon - s)) != NULL)
			return -EINVAL;
		h = s;
		hlen = (size_t)(colon - s);
	}
	if (hlen == 0)
		return -EINVAL;
	if (parse_int(colon + 1, 1, 65535, &p) < 0)
		return -EINVAL;
	*host = strndup(h, hlen);
	if (*host == NULL)
		return -ENOMEM;
	*port = p;
	return 0;
}
