/* SPDX-License-Identifier: MIT */
/* Test helper: in-memory WAV writer, see wavgen.h. */
#include "wavgen.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint8_t *put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	return p + 2;
}

static uint8_t *put32(uint8_t *p, uint32_t v)
{
	p = put16(p, v & 0xffffu);
	return put16(p, v >> 16);
}

static uint64_t frames(const struct wavgen *g)
{
	return (uint64_t)llround(g->seconds * g->rate_hz);
}

size_t wavgen_size(const struct wavgen *g)
{
	size_t fmt = g->extensible ? 40 : 16;

	return 12 + 8 + fmt + (g->odd_chunk ? 8 + 5 + 1 : 0) + 8 +
	       (size_t)frames(g) * g->channels * (g->bits / 8u);
}

static uint8_t *put_sample(uint8_t *p, const struct wavgen *g, double v)
{
	if (g->is_float) {
		float f = (float)v;
		uint32_t u;

		memcpy(&u, &f, sizeof(u));
		return put32(p, u);
	}
	if (v > 1.0)
		v = 1.0;
	if (v < -1.0)
		v = -1.0;
	if (g->bits == 16) {
		double s = fmin(round(v * 32768.0), 32767.0);

		return put16(p, (uint32_t)(int32_t)s);
	}
	if (g->bits == 24) {
		uint32_t u = (uint32_t)(int32_t)fmin(round(v * 8388608.0), 8388607.0);

		p[0] = (uint8_t)u;
		p[1] = (uint8_t)(u >> 8);
		p[2] = (uint8_t)(u >> 16);
		return p + 3;
	}
	return put32(p, (uint32_t)(int64_t)fmin(round(v * 2147483648.0), 2147483647.0));
}

size_t wavgen_build(const struct wavgen *g, uint8_t *buf, size_t cap)
{
	size_t size = wavgen_size(g);
	uint16_t align = (uint16_t)(g->channels * (g->bits / 8u));
	uint16_t tag = g->is_float ? 3 : 1;
	uint64_t n = frames(g);
	uint8_t *p = buf;
	uint32_t noise = 12345;

	if (cap < size)
		return 0;
	memcpy(p, "RIFF", 4);
	p = put32(p + 4, (uint32_t)(size - 8));
	memcpy(p, "WAVEfmt ", 8);
	p = put32(p + 8, g->extensible ? 40 : 16);
	p = put16(p, g->extensible ? 0xFFFE : tag);
	p = put16(p, g->channels);
	p = put32(p, g->rate_hz);
	p = put32(p, g->rate_hz * align);
	p = put16(p, align);
	p = put16(p, g->bits);
	if (g->extensible) {
		static const uint8_t tail[14] = { 0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xAA, 0, 0x38, 0x9B, 0x71 };

		p = put16(p, 22);
		p = put16(p, g->bits);
		p = put32(p, 0);
		p = put16(p, tag);
		memcpy(p, tail, sizeof(tail));
		p += sizeof(tail);
	}
	if (g->odd_chunk) {
		memcpy(p, "LIST", 4);
		p = put32(p + 4, 5);
		memcpy(p, "INFOx\0", 6);
		p += 6;
	}
	memcpy(p, "data", 4);
	p = put32(p + 4, (uint32_t)(n * align));
	for (uint64_t i = 0; i < n; i++) {
		double t = (double)i / g->rate_hz;

		p = put_sample(p, g, g->freq_hz > 0 ? g->amp * sin(2.0 * M_PI * g->freq_hz * t) : 0.0);
		for (uint16_t c = 1; c < g->channels; c++) {
			noise = noise * 1103515245u + 12345u;
			p = put_sample(p, g, ((double)(noise >> 8) / 8388608.0 - 1.0) * 0.9);
		}
	}
	return (size_t)(p - buf);
}

int wavgen_write(const struct wavgen *g, const char *path)
{
	size_t size = wavgen_size(g);
	uint8_t *buf = malloc(size);
	FILE *f = NULL;
	int rc = 0;

	if (buf == NULL)
		return -ENOMEM;
	wavgen_build(g, buf, size);
	f = fopen(path, "wb");
	if (f == NULL || fwrite(buf, 1, size, f) != size)
		rc = -EIO;
	if (f != NULL && fclose(f) != 0)
		rc = -EIO;
	free(buf);
	return rc;
}
