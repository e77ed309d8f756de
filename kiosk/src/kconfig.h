/* SPDX-License-Identifier: MIT */
/*
 * The kiosk's INI configuration ([mqtt] and [kiosk] sections, see
 * docs/kiosk.md): loading with defaults, and checking what config_load cannot
 * (ids, log level, display schedule, TLS files that go together).
 * Not for: command-line options (main.c). Threads: main thread, at start-up.
 */
#ifndef SITEBOARD_KIOSK_KCONFIG_H
#define SITEBOARD_KIOSK_KCONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include <siteboard/log.h>

#include "screencare.h"

struct kconfig {
	/* every string owned by the struct (kconfig_free) */
	char *host;
	long port;
	char *username, *password, *cafile, *certfile, *keyfile;
	char *id, *site, *block, *cache_path;
	long stale_after, page_seconds;
	char *font, *font_bold, *log_level;
	char *display_off; /* "HH:MM-HH:MM" local time, or NULL */
	bool burn_in_shift;
	struct screencare_off off; /* display_off parsed */
	enum log_level level;      /* log_level parsed */
};

/*
 * Load path into *c (zeroed first) with the documented defaults.
 * @retval 0
 * @retval -ENOMEM
 * @retval -EINVAL, -ENOENT, -EIO the file is missing or wrong: err says why
 *         (path and key included); c must still be freed with kconfig_free
 */
int kconfig_load(const char *path, struct kconfig *c, char *err, size_t errsz);

/* Free the strings of c (NULL-safe) and zero it. */
void kconfig_free(struct kconfig *c);

#endif
