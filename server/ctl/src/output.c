/* SPDX-License-Identifier: MIT */
/*
 * Printing server answers (see output.h). Widths are counted in UTF-8 code
 * points, which is right for the Latin text on site boards and harmless
 * otherwise; jansson has already refused invalid UTF-8.
 */
#include "output.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define COL_SEP "  "
#define ELLIPSIS "\xe2\x80\xa6" /* U+2026 */

/* Length in bytes of the UTF-8 sequence starting with byte c. */
static size_t seq_len(unsigned char c)
{
	if (c >= 0xf0)
		return 4;
	if (c >= 0xe0)
		return 3;
	if (c >= 0xc0)
		return 2;
	return 1;
}

/* True if the character at s must not reach a terminal (C0, DEL, C1). */
static bool is_control(const unsigned char *s)
{
	if (s[0] < 0x20 || s[0] == 0x7f)
		return true;
	return s[0] == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f;
}

static size_t width(const char *s)
{
	size_t w = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
		if ((*p & 0xc0) != 0x80)
			w++;
	}
	return w;
}

/*
 * Print at most max characters of s (0: all), ending in an ellipsis when cut.
 * Newlines become cont (NULL: a space), other control characters a space.
 * Returns the characters printed on the last line.
 */
static size_t put_text(FILE *f, const char *s, size_t max, const char *cont)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t limit = (max > 0 && width(s) > max) ? max - 1 : 0;
	size_t w = 0;

	while (*p != '\0') {
		size_t n = seq_len(*p);

		if (limit > 0 && w == limit) {
			fputs(ELLIPSIS, f);
			return w + 1;
		}
		if (*p == '\n' && cont != NULL) {
			fputs(cont, f);
			w = 0;
			p++;
			continue;
		}
		if (is_control(p)) {
			fputc(' ', f);
		} else {
			for (size_t i = 0; i < n && p[i] != '\0'; i++)
				fputc(p[i], f);
		}
		w++;
		for (size_t i = 0; i < n && *p != '\0'; i++)
			p++;
	}
	return w;
}

/* The text of a scalar JSON value: a borrowed string or one formatted in tmp. */
static const char *value_text(const json_t *v, char *tmp, size_t n)
{
	char *dump = NULL;

	tmp[0] = '\0';
	switch (json_typeof(v)) {
	case JSON_STRING:
		return json_string_value(v);
	case JSON_TRUE:
		return "yes";
	case JSON_FALSE:
		return "no";
	case JSON_NULL:
		return "";
	case JSON_INTEGER:
		snprintf(tmp, n, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return tmp;
	case JSON_REAL:
		snprintf(tmp, n, "%g", json_real_value(v));
		return tmp;
	case JSON_OBJECT:
	case JSON_ARRAY:
		dump = json_dumps(v, JSON_COMPACT);
		if (dump != NULL) {
			snprintf(tmp, n, "%s", dump);
			free(dump);
		}
		return tmp;
	}
	return tmp;
}

static const char *cell(const json_t *item, const char *key, char *tmp, size_t n)
{
	const json_t *v = json_object_get(item, key);

	if (v == NULL) {
		tmp[0] = '\0';
		return tmp;
	}
	return value_text(v, tmp, n);
}

static void put_header(FILE *f, const char *name, size_t pad, bool last)
{
	size_t i = 0;

	for (; name[i] != '\0'; i++)
		fputc(toupper((unsigned char)name[i]), f);
	if (last)
		return;
	for (; i < pad; i++)
		fputc(' ', f);
	fputs(COL_SEP, f);
}

int output_list(FILE *f, const struct resource *r, const json_t *answer, bool quiet)
{
	const json_t *items = json_object_get(answer, r->list_key);
	const json_t *total = json_object_get(answer, "total");
	size_t widths[RESOURCE_MAX_COLUMNS] = {0};
	size_t n_cols = 0;
	size_t i = 0;
	const json_t *item = NULL;
	char tmp[256];

	if (!json_is_array(items))
		return -EINVAL;
	json_array_foreach(items, i, item) {
		if (!json_is_object(item))
			return -EINVAL;
	}
	if (quiet) {
		json_array_foreach(items, i, item) {
			put_text(f, cell(item, r->key, tmp, sizeof(tmp)), 0, NULL);
			fputc('\n', f);
		}
		return 0;
	}

	while (n_cols < RESOURCE_MAX_COLUMNS && r->columns[n_cols] != NULL) {
		widths[n_cols] = strlen(r->columns[n_cols]);
		n_cols++;
	}
	json_array_foreach(items, i, item) {
		for (size_t c = 0; c < n_cols; c++) {
			size_t w = width(cell(item, r->columns[c], tmp, sizeof(tmp)));

			if (w > OUTPUT_CELL_MAX)
				w = OUTPUT_CELL_MAX;
			if (w > widths[c])
				widths[c] = w;
		}
	}

	for (size_t c = 0; c < n_cols; c++)
		put_header(f, r->columns[c], widths[c], c + 1 == n_cols);
	fputc('\n', f);
	json_array_foreach(items, i, item) {
		for (size_t c = 0; c < n_cols; c++) {
			bool last = c + 1 == n_cols;
			const char *text = cell(item, r->columns[c], tmp, sizeof(tmp));
			size_t w = put_text(f, text, last ? 0 : OUTPUT_CELL_MAX, NULL);

			if (last)
				break;
			for (; w < widths[c]; w++)
				fputc(' ', f);
			fputs(COL_SEP, f);
		}
		fputc('\n', f);
	}
	if (json_is_integer(total) &&
	    json_integer_value(total) > (json_int_t)json_array_size(items))
		fprintf(f, "(%zu of %" JSON_INTEGER_FORMAT
			   " shown; page with --limit and --offset)\n",
			json_array_size(items), json_integer_value(total));
	return 0;
}

static void put_pair(FILE *f, const char *key, const json_t *v)
{
	char tmp[4096];
	const char *text = NULL;
	size_t i = 0;
	const json_t *elem = NULL;

	put_text(f, key, 0, NULL);
	fputc(':', f);
	if (json_is_array(v) && json_array_size(v) > 0) {
		/* a breach's audit, a complaint's responses: one element a line */
		json_array_foreach(v, i, elem) {
			fputs("\n  ", f);
			put_text(f, value_text(elem, tmp, sizeof(tmp)), 0, " ");
		}
		fputc('\n', f);
		return;
	}
	text = value_text(v, tmp, sizeof(tmp));
	if (text[0] != '\0') {
		fputc(' ', f);
		put_text(f, text, 0, "\n  ");
	}
	fputc('\n', f);
}

static bool printed_already(const struct resource *r, const char *key)
{
	if (strcmp(key, "id") == 0 || strcmp(key, "block") == 0)
		return true;
	return r != NULL && resource_field_index(r->fields, r->n_fields, key) >= 0;
}

int output_item(FILE *f, const struct resource *r, const json_t *item, bool quiet)
{
	const char *key = NULL;
	const json_t *v = NULL;
	char tmp[64];

	if (!json_is_object(item))
		return -EINVAL;
	if (quiet) {
		put_text(f, cell(item, "id", tmp, sizeof(tmp)), 0, NULL);
		fputc('\n', f);
		return 0;
	}
	v = json_object_get(item, "id");
	if (v != NULL)
		put_pair(f, "id", v);
	v = json_object_get(item, "block");
	if (v != NULL)
		put_pair(f, "block", v);
	for (size_t i = 0; r != NULL && i < r->n_fields; i++) {
		v = json_object_get(item, r->fields[i].name);
		if (v != NULL && strcmp(r->fields[i].name, "id") != 0 &&
		    strcmp(r->fields[i].name, "block") != 0)
			put_pair(f, r->fields[i].name, v);
	}
	json_object_foreach((json_t *)item, key, v) {
		if (!printed_already(r, key))
			put_pair(f, key, v);
	}
	return 0;
}

int output_json(FILE *f, const json_t *v)
{
	char *text = json_dumps(v, JSON_INDENT(2) | JSON_ENCODE_ANY);

	if (text == NULL)
		return -ENOMEM;
	fputs(text, f);
	fputc('\n', f);
	free(text);
	return 0;
}

void output_error_text(const char *body, size_t len, char *buf, size_t n)
{
	json_t *root = NULL;
	const char *msg = NULL;
	size_t used = 0;

	if (n == 0)
		return;
	root = json_loadb(body, len, 0, NULL);
	msg = json_string_value(json_object_get(root, "error"));
	if (msg == NULL)
		msg = "(no error message in the answer)";
	for (const unsigned char *p = (const unsigned char *)msg; *p != '\0' && used + 1 < n;) {
		size_t k = seq_len(*p);

		if (used + k >= n)
			break;
		if (is_control(p)) {
			buf[used++] = ' ';
		} else {
			for (size_t i = 0; i < k && p[i] != '\0'; i++)
				buf[used++] = (char)p[i];
		}
		for (size_t i = 0; i < k && *p != '\0'; i++)
			p++;
	}
	buf[used] = '\0';
	json_decref(root);
}
