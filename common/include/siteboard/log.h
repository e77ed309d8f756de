/* SPDX-License-Identifier: MIT */
/*
 * Logging for every siteboard program: one line per message on stderr
 * ("2026-11-25T18:02:11.250Z siteboard-server[42] error: ..."), which
 * journald or the terminal picks up. Not for tenant data: callers must never
 * pass personal data (names, phones, complaint text) to these functions.
 * Thread-safe: each message is written with a single locked fprintf.
 */
#ifndef SITEBOARD_LOG_H
#define SITEBOARD_LOG_H

enum log_level {
	LOG_LEVEL_ERROR = 0,
	LOG_LEVEL_WARN = 1,
	LOG_LEVEL_INFO = 2,
	LOG_LEVEL_DEBUG = 3,
};

/* Set the program name shown on every line (borrowed: must outlive logging). */
void log_init(const char *program);

/* Messages above this level are dropped. Default LOG_LEVEL_INFO. */
void log_set_level(enum log_level level);

/* Parse "error", "warn", "info" or "debug". Returns 0 or -EINVAL. */
int log_level_parse(const char *name, enum log_level *out);

void log_msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define log_error(...) log_msg(LOG_LEVEL_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_LEVEL_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_LEVEL_DEBUG, __VA_ARGS__)

#endif
