/* SPDX-License-Identifier: MIT */
/*
 * The scripted-events language of sensord's `script` door inputs: one JSON
 * object per line on stdin, for tests and demos.
 *   {"sensor":"gate-1","state":"open","ts":"2026-11-25T18:02:11Z"}   ts optional (= now)
 *   {"sleep_ms":500}                                                 pause the script
 * Blank lines and lines starting with '#' are comments. Parsing is a pure
 * function of the line (it validates everything once, here), so the fuzz
 * target and the tests call it directly.
 */
#ifndef SENSORD_SCRIPT_H
#define SENSORD_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <siteboard/topic.h>

#define SCRIPT_LINE_MAX 1024     /* longer lines are errors */
#define SCRIPT_SLEEP_MAX_MS 86400000

enum script_kind {
	SCRIPT_DOOR,
	SCRIPT_SLEEP,
};

struct script_cmd {
	enum script_kind kind;
	char sensor[TOPIC_ID_MAX + 1]; /* SCRIPT_DOOR: a valid id */
	bool open;                     /* SCRIPT_DOOR */
	bool has_ts;                   /* SCRIPT_DOOR: ts given */
	int64_t ts_ms;
	int64_t sleep_ms; /* SCRIPT_SLEEP: 0..SCRIPT_SLEEP_MAX_MS */
};

/*
 * Parse one line of len bytes (need not be NUL-terminated; a trailing
 * newline is allowed).
 * @retval 0 and *out filled
 * @retval -ENODATA a blank or comment line: nothing to do
 * @retval -EINVAL with one line in err saying why ("state: must be \"open\" or \"closed\"")
 */
int script_parse(const char *line, size_t len, struct script_cmd *out, char *err, size_t err_len);

#endif
