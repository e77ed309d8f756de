/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the off-the-shelf mapping parsers (server/ingest/mapping.c):
 * an input starting with '[' is loaded as config text; otherwise it is
 * "topic\npayload", decoded against a fixed mapping of every family.
 * Nothing may crash, leak or read out of bounds, and an accepted message
 * must make sense (battery 0..100, online -1..1).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../server/ingest/mapping.h"

static const char *const ini = "[zigbee2mqtt]\nbase_topic = zigbee2mqtt\ngate = z-gate\n"
			       "[esphome]\nprefix = esp\ndoor = e-door\n"
			       "[tasmota]\ntas = t-door\n"
			       "[shelly]\nsh1 = s-door\n";

static void check(void *ctx, const struct mapping_msg *m)
{
	(void)ctx;
	if (m->battery_pct < -1 || m->battery_pct > 100 || m->online < -1 || m->online > 1 ||
	    m->sensor == NULL)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mapping *fixed;
	struct mapping *m = NULL;
	char err[256];
	char *text = NULL;
	const char *nl = NULL;

	if (fixed == NULL && mapping_load_string(ini, "fuzz", &fixed, err, sizeof(err)) < 0)
		abort();
	text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (size > 0 && text[0] == '[') {
		if (mapping_load_string(text, "fuzz", &m, err, sizeof(err)) == 0) {
			char (*topics)[256] = calloc(4096, sizeof(*topics));

			if (topics != NULL)
				mapping_subscriptions(m, topics, 4096);
			free(topics);
		}
		mapping_free(m);
	} else {
		nl = memchr(text, '\n', size);
		if (nl != NULL) {
			text[nl - text] = '\0';
			mapping_decode(fixed, text, nl + 1, size - (size_t)(nl - text) - 1, check, NULL,
				       err, sizeof(err));
		}
	}
	free(text);
	return 0;
}
