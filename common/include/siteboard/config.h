/* SPDX-License-Identifier: MIT */
/*
 * INI configuration (libinih), table-driven: each program lists the keys it
 * knows, with type, range and whether required; config_load fills them and,
 * on any problem, writes one clear line ("FILE:LINE: unknown key 'x' in
 * [mqtt]") to err. Unknown sections and keys are errors, so a typo never
 * silently falls back to a default.
 */
#ifndef SITEBOARD_CONFIG_H
#define SITEBOARD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

enum config_type {
	CONFIG_STRING, /* dest is char **: set to a malloc'd copy (caller frees, see config_release) */
	CONFIG_INT,    /* dest is long *: decimal integer within [min, max] */
	CONFIG_BOOL,   /* dest is bool *: true/false, yes/no, on/off, 1/0 */
	CONFIG_DOUBLE, /* dest is double *: decimal number within [min, max] */
};

struct config_key {
	const char *section;
	const char *name;  /* "*": every key of the section is accepted and left alone
			    * (dest NULL), for sections with free key names that the
			    * program reads in a second pass */
	enum config_type type;
	void *dest;    /* borrowed; must stay valid during config_load */
	bool required;
	double min;    /* CONFIG_INT, CONFIG_DOUBLE: inclusive range; ignored if min >= max */
	double max;
};

/*
 * Read path and fill every key it names. Keys absent from the file keep
 * whatever default the caller put in dest (a CONFIG_STRING default must be a
 * malloc'd string or NULL, since a later value replaces and frees it).
 * @retval 0
 * @retval -ENOENT the file cannot be opened (err says so)
 * @retval -EINVAL syntax error, unknown section/key, bad value, missing
 *         required key (err holds one line, no trailing newline)
 */
int config_load(const char *path, const struct config_key *keys, size_t n_keys, char *err,
		size_t err_len);

/* Free every CONFIG_STRING dest in the table and set it to NULL. */
void config_release(const struct config_key *keys, size_t n_keys);

/*
 * Split "host:port" (or "[v6]:port") into host (malloc'd, caller frees) and
 * port 1..65535. Returns 0 or -EINVAL.
 */
int config_split_hostport(const char *s, char **host, int *port);

#endif
