/* SPDX-License-Identifier: MIT */
/* API answers (see reply.h). */
#include "http/reply.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void reply_json(struct reply *r, int status, json_t *obj)
{
	free(r->response);
	r->response = NULL;
	r->status = status;
	if (obj == NULL) {
		r->status = 500;
		return;
	}
	r->response = json_dumps(obj, JSON_COMPACT);
	if (r->response == NULL)
		r->status = 500;
	json_decref(obj);
}

void reply_error(struct reply *r, int status, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	reply_json(r, status, json_pack("{s:s}", "error", msg));
}

void reply_internal(struct reply *r)
{
	reply_error(r, 500, "internal error");
}
