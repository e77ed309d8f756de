/* SPDX-License-Identifier: MIT */
/*
 * sensord_gen_wav: writes a mono 16-bit PCM WAV for the tests and the demo.
 *   sensord_gen_wav OUT.wav RATE SEGMENT...
 * Each SEGMENT is SECONDS:DBFS[:noise]: a 1 kHz sine whose peak is DBFS
 * below full scale (so with cal_db = C it reads C + DBFS dB), or with
 * ":noise" uniform white noise of that RMS relative to a full-scale sine.
 * A test and demo tool, not for shipping.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void put16(FILE *f, unsigned v)
{
	fputc((int)(v & 0xff), f);
	fputc((int)((v >> 8) & 0xff), f);
}

static void put32(FILE *f, uint32_t v)
{
	put16(f, v & 0xffff);
	put16(f, v >> 16);
}

int main(int argc, char **argv)
{
	FILE *f = NULL;
	uint64_t frames = 0;
	uint32_t rate;
	uint32_t seed = 12345;
	uint64_t t = 0;

	if (argc < 4) {
		fprintf(stderr, "usage: sensord_gen_wav OUT.wav RATE SECONDS:DBFS[:noise]...\n");
		return 2;
	}
	rate = (uint32_t)strtoul(argv[2], NULL, 10);
	if (rate < 8000 || rate > 192000) {
		fprintf(stderr, "sensord_gen_wav: bad rate %s\n", argv[2]);
		return 2;
	}
	for (int i = 3; i < argc; i++)
		frames += (uint64_t)(strtod(argv[i], NULL) * rate);
	if (frames * 2 > UINT32_MAX - 64) {
		fprintf(stderr, "sensord_gen_wav: too long\n");
		return 2;
	}
	f = fopen(argv[1], "wb");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	fwrite("RIFF", 1, 4, f);
	put32(f, (uint32_t)(36 + frames * 2));
	fwrite("WAVEfmt ", 1, 8, f);
	put32(f, 16);
	put16(f, 1);
	put16(f, 1);
	put32(f, rate);
	put32(f, rate * 2);
	put16(f, 2);
	put16(f, 16);
	fwrite("data", 1, 4, f);
	put32(f, (uint32_t)(frames * 2));
	for (int i = 3; i < argc; i++) {
		char *end = NULL;
		double secs = strtod(argv[i], &end);
		double dbfs = end && *end == ':' ? strtod(end + 1, &end) : 0;
		int noise = end && strstr(end, ":noise") != NULL;
		double amp = pow(10.0, dbfs / 20.0);
		uint64_t n = (uint64_t)(secs * rate);

		for (uint64_t k = 0; k < n; k++, t++) {
			double x;
			long v;

			if (noise) {
				seed = seed * 1664525u + 1013904223u;
				/* uniform in [-1, 1) has RMS 1/sqrt(3); a sine's is 1/sqrt(2) */
				x = amp * sqrt(1.5) * ((double)seed / 2147483648.0 - 1.0);
			} else {
				x = amp * sin(2.0 * M_PI * 1000.0 * (double)t / rate);
			}
			v = lround(x * 32767.0);
			if (v > 32767)
				v = 32767;
			if (v < -32768)
				v = -32768;
			put16(f, (unsigned)(uint16_t)(int16_t)v);
		}
	}
	if (fclose(f) != 0) {
		perror(argv[1]);
		return 1;
	}
	return 0;
}
