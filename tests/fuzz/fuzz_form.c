/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the web pages' edge: form_parse on URL-encoded
 * bodies and form_cookie on Cookie headers. Whatever the input, no crash,
 * no leak, and what is accepted keeps form.h's promises (valid names, at
 * most FORM_MAX_FIELDS, values without control characters but TAB and LF).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../server/http/form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct form *f = NULL;
	char cookie[64];
	char *text = NULL;

	if (form_parse((const char *)data, size, &f) == 0) {
		if (f->n > FORM_MAX_FIELDS)
			abort();
		for (size_t i = 0; i < f->n; i++) {
			const char *v = f->f[i].value;

			if (strlen(f->f[i].name) == 0 || strlen(f->f[i].name) > FORM_NAME_MAX)
				abort();
			if (form_get(f, f->f[i].name) == NULL)
				abort();
			for (; *v != '\0'; v++)
				if (((unsigned char)*v < 0x20 && *v != '\t' && *v != '\n' && *v != '\r') ||
				    *v == 0x7f)
					abort();
		}
		form_free(f);
	}
	text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	form_cookie(text, "sb_session", cookie, sizeof(cookie));
	free(text);
	return 0;
}
