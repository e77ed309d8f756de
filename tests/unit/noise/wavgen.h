/* SPDX-License-Identifier: MIT */
/*
 * Test helper: builds WAV files in memory (tones at known levels, any of the
 * formats wav.c reads) for the reader and siteboard-noise tests.
 */
#ifndef SITEBOARD_TEST_WAVGEN_H
#define SITEBOARD_TEST_WAVGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct wavgen {
	uint32_t rate_hz;
	uint16_t channels;
	uint16_t bits;       /* 16, 24, 32 */
	bool is_float;       /* 32-bit IEEE float */
	bool extensible;     /* WAVE_FORMAT_EXTENSIBLE fmt chunk */
	bool odd_chunk;      /* an odd-sized LIST chunk (with its pad byte) before data */
	double seconds;
	double amp;          /* peak amplitude of the first channel, full scale 1.0 */
	double freq_hz;      /* 0: silence */
};

/* Bytes the file will take. */
size_t wavgen_size(const struct wavgen *g);

/* Write the file into buf (cap >= wavgen_size); channels after the first get
 * loud noise so that a reader taking the wrong channel is caught. */
size_t wavgen_build(const struct wavgen *g, uint8_t *buf, size_t cap);

/* Write it to path; 0 or -errno. */
int wavgen_write(const struct wavgen *g, const char *path);

#endif
