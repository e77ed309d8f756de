/* SPDX-License-Identifier: MIT */
/*
 * What siteboardctl prints: server answers as a table (list), as "key: value"
 * lines (one item), as pretty JSON (--json), or ids only (--quiet); and the
 * server's {"error":...} as one line. Text from the server is outside input:
 * control characters are never passed to the terminal.
 *
 * All functions borrow their arguments and write to the FILE given (tests
 * use open_memstream).
 */
#ifndef SITEBOARDCTL_OUTPUT_H
#define SITEBOARDCTL_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "resource.h"

#define OUTPUT_CELL_MAX 40 /* widest table column except the last, in characters */

/*
 * Print a list answer {"<r->list_key>":[...]}: a header and one row per item
 * with r->columns, or (quiet) each item's r->key, one per line. When the
 * answer's "total" says there are more than it holds, a last line says so.
 * @retval 0, -EINVAL if the answer has not that shape
 */
int output_list(FILE *f, const struct resource *r, const json_t *answer, bool quiet);

/*
 * Print one item as "key: value" lines: id first, then block, then r's
 * fields, then any other keys; or (quiet) just the id. Booleans print as
 * yes/no, null as nothing. r may be NULL (no preferred order).
 * @retval 0, -EINVAL if item is not an object
 */
int output_item(FILE *f, const struct resource *r, const json_t *item, bool quiet);

/* Print v as indented JSON and a newline. @retval 0, -ENOMEM */
int output_json(FILE *f, const json_t *v);

/*
 * Write the server's error message from an error answer body into buf as one
 * sanitised line: the "error" string of a JSON object, else a placeholder.
 */
void output_error_text(const char *body, size_t len, char *buf, size_t n);

#endif
