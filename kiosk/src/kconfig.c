/* SPDX-License-Identifier: MIT */
/*
 * The kiosk's configuration (see kconfig.h): config_load with the defaults
 * set first, then the checks across keys.
 */
#include "kconfig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <siteboard/config.h>
#include <siteboard/topic.h>

static int set_defaults(struct kconfig *c)
{
	c->host = strdup("127.0.0.1");
	c->font = strdup("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
	c->font_bold = strdup("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf");
	c->log_level = strdup("info");
	c->port = 1883;
	c->stale_after = 600;
	c->page_seconds = 15;
	c->burn_in_shift = true;
	if (!c->host || !c->font || !c->font_bold || !c->log_level)
		return -ENOMEM;
	return 0;
}

/* The checks config_load cannot make. 0 or -EINVAL with err set. */
static int check(const char *path, struct kconfig *c, char *err, size_t errsz)
{
	if (!topic_id_valid(c->id) || !topic_id_valid(c->site) || !topic_id_valid(c->block)) {
		snprintf(err, errsz, "%s: [kiosk] id, site and block must match [a-z0-9-]{1,40}",
			 path);
		return -EINVAL;
	}
	if (log_level_parse(c->log_level, &c->level) < 0) {
		snprintf(err, errsz, "%s: [kiosk] log_level must be error, warn, info or debug",
			 path);
		return -EINVAL;
	}
	if (screencare_parse_off(c->display_off, &c->off) < 0) {
		snprintf(err, errsz,
			 "%s: [kiosk] display_off must be HH:MM-HH:MM (e.g. 23:00-06:00)", path);
		return -EINVAL;
	}
	if ((c->certfile == NULL) != (c->keyfile == NULL) ||
	    (c->certfile != NULL && c->cafile == NULL)) {
		snprintf(err, errsz, "%s: [mqtt] certfile and keyfile go together, with cafile",
			 path);
		return -EINVAL;
	}
	return 0;
}

int kconfig_load(const char *path, struct kconfig *c, char *err, size_t errsz)
{
	const struct config_key keys[] = {
		{"mqtt", "host", CONFIG_STRING, &c->host, false, 0, 0},
		{"mqtt", "port", CONFIG_INT, &c->port, false, 1, 65535},
		{"mqtt", "username", CONFIG_STRING, &c->username, false, 0, 0},
		{"mqtt", "password", CONFIG_STRING, &c->password, false, 0, 0},
		{"mqtt", "cafile", CONFIG_STRING, &c->cafile, false, 0, 0},
		{"mqtt", "certfile", CONFIG_STRING, &c->certfile, false, 0, 0},
		{"mqtt", "keyfile", CONFIG_STRING, &c->keyfile, false, 0, 0},
		{"kiosk", "id", CONFIG_STRING, &c->id, true, 0, 0},
		{"kiosk", "site", CONFIG_STRING, &c->site, true, 0, 0},
		{"kiosk", "block", CONFIG_STRING, &c->block, true, 0, 0},
		{"kiosk", "cache", CONFIG_STRING, &c->cache_path, true, 0, 0},
		{"kiosk", "stale_after", CONFIG_INT, &c->stale_after, false, 10, 7 * 86400},
		{"kiosk", "page_seconds", CONFIG_INT, &c->page_seconds, false, 3, 3600},
		{"kiosk", "font", CONFIG_STRING, &c->font, false, 0, 0},
		{"kiosk", "font_bold", CONFIG_STRING, &c->font_bold, false, 0, 0},
		{"kiosk", "log_level", CONFIG_STRING, &c->log_level, false, 0, 0},
		{"kiosk", "display_off", CONFIG_STRING, &c->display_off, false, 0, 0},
		{"kiosk", "burn_in_shift", CONFIG_BOOL, &c->burn_in_shift, false, 0, 0},
	};
	int rc;

	memset(c, 0, sizeof(*c));
	if (errsz > 0)
		err[0] = '\0';
	rc = set_defaults(c);
	if (rc < 0) {
		snprintf(err, errsz, "out of memory");
		return rc;
	}
	rc = config_load(path, keys, sizeof(keys) / sizeof(keys[0]), err, errsz);
	if (rc < 0)
		return rc;
	return check(path, c, err, errsz);
}

void kconfig_free(struct kconfig *c)
{
	char **s[] = {&c->host, &c->username, &c->password, &c->cafile, &c->certfile,
		      &c->keyfile, &c->id, &c->site, &c->block, &c->cache_path,
		      &c->font, &c->font_bold, &c->log_level, &c->display_off};

	if (!c)
		return;
	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		free(*s[i]);
	memset(c, 0, sizeof(*c));
}
