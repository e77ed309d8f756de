/* SPDX-License-Identifier: MIT */
/*
 * siteboard-sensord's configuration (docs/sensord.md, packaging/
 * sensord.ini.example): [mqtt], [sensord] and one [door:<id>] or
 * [noise:<id>] section per sensor. Read in two passes: the first finds the
 * sensor sections and their inputs, the second is config_load over a table
 * built for exactly those sections, so every problem is one line
 * ("FILE:LINE: ...") and a typo is never a silent default. Checks across
 * sections (serial ports, nodes) come last and name both sections.
 */
#ifndef SENSORD_SDCONF_H
#define SENSORD_SDCONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <siteboard/topic.h>

#define SDCONF_MAX_SENSORS 16

enum sdconf_kind {
	SDCONF_DOOR,
	SDCONF_NOISE,
};

enum sdconf_input {
	SDCONF_GPIO,   /* door */
	SDCONF_SCRIPT, /* door */
	SDCONF_ALSA,   /* noise */
	SDCONF_WAV,    /* noise */
	SDCONF_SERIAL, /* door or noise: a firmware node's frames (nodelink.h) */
};

struct sdconf_sensor {
	enum sdconf_kind kind;
	enum sdconf_input input;
	char id[TOPIC_ID_MAX + 1];
	char *block; /* never NULL after load: the [sensord] block when not set */
	/* gpio */
	char *chip;
	long line;
	bool active_low;
	long debounce_ms;
	/* alsa */
	char *device;
	/* wav */
	char *file;
	bool realtime;
	char *start;      /* RFC 3339, or NULL: the time sensord starts */
	int64_t start_ms; /* parsed start */
	/* serial */
	char *serial;     /* device path or "tcp:HOST:PORT" */
	long baud;        /* 115200 by default; sensors on one port agree */
	long node;        /* the node id whose DOOR (door) or NOISE (noise) frames these are */
	/* noise */
	long period_s;
	double cal_db;
};

struct sdconf {
	char *host;
	long port;
	char *username, *password, *cafile, *client_id;
	char *certfile, *keyfile;
	char *site, *block, *id, *queue, *log_level;
	long queue_max;
	long heartbeat_s;
	size_t n_sensors;
	struct sdconf_sensor sensors[SDCONF_MAX_SENSORS];
};

/*
 * Load path into *c (which must be zeroed or freshly released).
 * @retval 0
 * @retval -ENOENT cannot open; -EINVAL anything wrong; -ENOMEM. err holds
 *         one line without a newline.
 */
int sdconf_load(const char *path, struct sdconf *c, char *err, size_t err_len);

/* Free every string and zero *c. */
void sdconf_release(struct sdconf *c);

const char *sdconf_input_name(enum sdconf_input in);

#endif
