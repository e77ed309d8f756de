/* SPDX-License-Identifier: MIT */
/*
 * A door contact on a GPIO line through libgpiod (v1 API, as in Debian 12):
 * both edges requested, the level read after each edge, active-low handled
 * by the kernel. A thin door_line_ops implementation; the logic is in door.c
 * and is tested with a fake line.
 */
#ifndef SENSORD_GPIO_H
#define SENSORD_GPIO_H

#include <stdbool.h>

#include "door.h"

struct gpio_line;

extern const struct door_line_ops gpio_line_ops;

/*
 * Open line (offset) of chip ("gpiochip0", or a path) for edge events.
 * @retval 0, -ENODEV (chip or line missing), -EBUSY, or another negative
 *         errno; the reason is logged
 */
int gpio_line_open(const char *chip, unsigned line, bool active_low, struct gpio_line **out);

/* NULL-safe. */
void gpio_line_close(struct gpio_line *g);

#endif
