/* SPDX-License-Identifier: MIT */
/*
 * One-line log messages on stderr with a UTC timestamp, program name and pid.
 * Not a log router: systemd's journal or the terminal takes it from there.
 */
#include "siteboard/log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "siteboard/sbtime.h"

static const char *log_program = "siteboard";
static enum log_level log_max = LOG_LEVEL_INFO;

static const char *const level_names[] = {"error", "warn", "info", "debug"};

void log_init(const char *program)
{
	if (program != NULL)
		log_program = program;
}

void log_set_level(enum log_level level)
{
	log_max = level;
}

int log_level_parse(const char *name, enum log_level *out)
{
	for (size_t i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++) {
		if (name != NULL && strcmp(name, level_names[i]) == 0) {
			*out = (enum log_level)i;
			return 0;
		}
	}
	return -EINVAL;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	char stamp[SBTIME_BUFSZ];
	char text[1024];
	va_list ap;

	if (level > log_max)
		return;
	if (sbtime_format(sbtime_now_ms(), stamp, sizeof(stamp)) != 0)
		stamp[0] = '\0';
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	/* Keep every message on one line, whatever the caller passed in. */
	for (char *p = text; *p != '\0'; p++) {
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	}
	fprintf(stderr, "%s %s[%ld] %s: %s\n", stamp, log_program, (long)getpid(),
		level_names[level], text);
}
