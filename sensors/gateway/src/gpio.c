/* SPDX-License-Identifier: MIT */
/*
 * libgpiod v1 door line (see gpio.h). gpiod_line_event_wait/read give the
 * edges; the level is read back after draining them rather than inferred
 * from the edge type, which contact bounce makes unreliable.
 */
#include "gpio.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gpiod.h>

#include <siteboard/log.h>
#include <siteboard/sbtime.h>

struct gpio_line {
	struct gpiod_chip *chip;
	struct gpiod_line *line;
};

int gpio_line_open(const char *chip, unsigned line, bool active_low, struct gpio_line **out)
{
	struct gpio_line *g = NULL;
	int flags = active_low ? GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW : 0;
	int ret = -ENOMEM;

	*out = NULL;
	g = calloc(1, sizeof(*g));
	if (!g)
		return -ENOMEM;
	g->chip = chip[0] == '/' ? gpiod_chip_open(chip) : gpiod_chip_open_by_name(chip);
	if (!g->chip) {
		ret = errno ? -errno : -ENODEV;
		log_error("gpio: cannot open %s: %s", chip, strerror(-ret));
		goto fail;
	}
	g->line = gpiod_chip_get_line(g->chip, line);
	if (!g->line) {
		ret = errno ? -errno : -ENODEV;
		log_error("gpio: %s has no line %u: %s", chip, line, strerror(-ret));
		goto fail;
	}
	if (gpiod_line_request_both_edges_events_flags(g->line, "siteboard-sensord", flags) < 0) {
		ret = errno ? -errno : -EIO;
		log_error("gpio: cannot request %s line %u: %s", chip, line, strerror(-ret));
		g->line = NULL;
		goto fail;
	}
	*out = g;
	g = NULL;
	ret = 0;
fail:
	gpio_line_close(g);
	return ret;
}

void gpio_line_close(struct gpio_line *g)
{
	if (!g)
		return;
	if (g->line)
		gpiod_line_release(g->line);
	if (g->chip)
		gpiod_chip_close(g->chip);
	free(g);
}

static int gpio_read(void *line, bool *open)
{
	struct gpio_line *g = line;
	int v = gpiod_line_get_value(g->line);

	if (v < 0)
		return errno ? -errno : -EIO;
	*open = v != 0;
	return 0;
}

static int gpio_wait(void *line, int timeout_ms, bool *open, int64_t *at_ms)
{
	struct gpio_line *g = line;
	struct timespec ts = {timeout_ms / 1000, (long)(timeout_ms % 1000) * 1000000L};
	struct gpiod_line_event ev;
	int rc;

	rc = gpiod_line_event_wait(g->line, &ts);
	if (rc < 0)
		return errno ? -errno : -EIO;
	if (rc == 0)
		return 0;
	if (gpiod_line_event_read(g->line, &ev) < 0)
		return errno ? -errno : -EIO;
	/* kernel event times are CLOCK_MONOTONIC, like sbtime_mono_ms */
	*at_ms = (int64_t)ev.ts.tv_sec * 1000 + ev.ts.tv_nsec / 1000000;
	/* kernels before 5.7 stamp with CLOCK_REALTIME: fall back to now */
	if (*at_ms > sbtime_mono_ms() || sbtime_mono_ms() - *at_ms > 60000)
		*at_ms = sbtime_mono_ms();
	rc = gpio_read(line, open);
	return rc < 0 ? rc : 1;
}

const struct door_line_ops gpio_line_ops = {
	.read = gpio_read,
	.wait = gpio_wait,
};
