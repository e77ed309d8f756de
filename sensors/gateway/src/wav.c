/* SPDX-License-Identifier: MIT */
/*
 * WAV reader: walks the RIFF chunks up to "data", checking each size against
 * the RIFF size and the file size, then streams the first channel as floats
 * through one fixed buffer. See wav.h for what it takes and refuses.
 */
#include "wav.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define BUF_BYTES 65536u
#define FMT_READ_MAX 40 /* what we use of a fmt chunk; the rest is skipped */
#define RATE_MAX 1000000u
#define TAG_PCM 0x0001
#define TAG_FLOAT 0x0003
#define TAG_EXTENSIBLE 0xFFFE
#define SIZE_UNKNOWN UINT64_MAX

struct wav {
	FILE *f;             /* owned; NULL for memory */
	const uint8_t *mem;  /* borrowed */
	uint64_t size;       /* of the file, or SIZE_UNKNOWN (a pipe) */
	uint64_t pos;        /* read offset */
	uint64_t data_left;  /* bytes of the data chunk not read yet */
	uint16_t block_align;
	struct wav_info info;
	uint8_t buf[BUF_BYTES];
};

static int fail(char *err, size_t err_len, int rc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(char *err, size_t err_len, int rc, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && err_len > 0) {
		va_start(ap, fmt);
		vsnprintf(err, err_len, fmt, ap);
		va_end(ap);
	}
	return rc;
}

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Read up to n bytes; *got < n only at the end of the input. */
static int src_read(struct wav *w, void *dst, size_t n, size_t *got)
{
	if (w->f == NULL) {
		uint64_t left = w->size - w->pos;

		*got = n < left ? n : (size_t)left;
		memcpy(dst, w->mem + w->pos, *got);
	} else {
		*got = fread(dst, 1, n, w->f);
		if (*got < n && ferror(w->f))
			return -EIO;
	}
	w->pos += *got;
	return 0;
}

/* Skip n bytes; false if the input ended first. */
static int src_skip(struct wav *w, uint64_t n, bool *whole)
{
	*whole = true;
	if (w->size != SIZE_UNKNOWN && n > w->size - w->pos) {
		*whole = false;
		return 0;
	}
	if (w->f == NULL) {
		w->pos += n;
		return 0;
	}
	if (w->size != SIZE_UNKNOWN && n <= (uint64_t)INT64_MAX - w->pos) {
		if (fseeko(w->f, (off_t)(w->pos + n), SEEK_SET) != 0)
			return -errno;
		w->pos += n;
		return 0;
	}
	while (n > 0) {
		size_t want = n < BUF_BYTES ? (size_t)n : BUF_BYTES, got = 0;
		int rc = src_read(w, w->buf, want, &got);

		if (rc != 0)
			return rc;
		if (got < want) {
			*whole = false;
			return 0;
		}
		n -= got;
	}
	return 0;
}

/* A chunk id for messages: printable ASCII, anything else as '?'. */
static void chunk_name(const uint8_t *id, char name[5])
{
	for (int i = 0; i < 4; i++)
		name[i] = id[i] >= 0x20 && id[i] < 0x7f ? (char)id[i] : '?';
	name[4] = '\0';
}

static int parse_fmt(struct wav *w, const uint8_t *p, uint32_t size, char *err, size_t err_len)
{
	static const uint8_t guid_tail[14] = { 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80,
					       0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71 };
	uint16_t tag = le16(p), channels = le16(p + 2), align = le16(p + 12), bits = le16(p + 14);
	uint32_t rate = le32(p + 4);

	if (tag == TAG_EXTENSIBLE) {
		if (size < 40 || le16(p + 16) < 22)
			return fail(err, err_len, -EINVAL,
				    "fmt chunk too small for WAVE_FORMAT_EXTENSIBLE (%u bytes)",
				    (unsigned)size);
		if (memcmp(p + 26, guid_tail, sizeof(guid_tail)) != 0)
			return fail(err, err_len, -EINVAL,
				    "unsupported WAVE_FORMAT_EXTENSIBLE sub-format");
		if (le16(p + 18) > bits || le16(p + 18) == 0)
			return fail(err, err_len, -EINVAL, "valid bits %u do not fit %u-bit samples",
				    (unsigned)le16(p + 18), (unsigned)bits);
		tag = le16(p + 24);
	}
	if (tag == TAG_PCM) {
		if (bits != 16 && bits != 24 && bits != 32)
			return fail(err, err_len, -EINVAL,
				    "unsupported PCM sample size: %u bits (16, 24 or 32 only)",
				    (unsigned)bits);
		w->info.encoding = WAV_PCM_INT;
	} else if (tag == TAG_FLOAT) {
		if (bits != 32)
			return fail(err, err_len, -EINVAL,
				    "unsupported float sample size: %u bits (32 only)", (unsigned)bits);
		w->info.encoding = WAV_PCM_FLOAT;
	} else {
		return fail(err, err_len, -EINVAL,
			    "unsupported format tag 0x%04x (PCM or IEEE float only)", (unsigned)tag);
	}
	if (channels == 0)
		return fail(err, err_len, -EINVAL, "fmt chunk has no channels");
	if (rate == 0 || rate > RATE_MAX)
		return fail(err, err_len, -EINVAL, "sample rate %u Hz out of range", (unsigned)rate);
	if ((uint32_t)align != (uint32_t)channels * (bits / 8u))
		return fail(err, err_len, -EINVAL,
			    "block align %u does not match %u channels of %u bits", (unsigned)align,
			    (unsigned)channels, (unsigned)bits);
	w->info.rate_hz = rate;
	w->info.channels = channels;
	w->info.bits = bits;
	w->block_align = align;
	return 0;
}

/* Walk the chunks from just after "WAVE" to the start of the data. */
static int walk(struct wav *w, uint64_t riff_end, char *err, size_t err_len)
{
	bool have_fmt = false;

	for (;;) {
		uint8_t hdr[8], fmt[FMT_READ_MAX];
		char name[5];
		uint64_t body_end;
		uint32_t size;
		size_t got = 0;
		bool whole = true;
		int rc;

		if (w->pos + 8 > riff_end)
			return fail(err, err_len, -EINVAL, have_fmt ? "no data chunk" : "no fmt chunk");
		rc = src_read(w, hdr, sizeof(hdr), &got);
		if (rc != 0)
			return fail(err, err_len, rc, "read error: %s", strerror(-rc));
		if (got < sizeof(hdr))
			return fail(err, err_len, -EINVAL, "truncated chunk header");
		chunk_name(hdr, name);
		size = le32(hdr + 4);
		body_end = w->pos + size;

		if (memcmp(hdr, "data", 4) == 0) {
			if (!have_fmt)
				return fail(err, err_len, -EINVAL, "data chunk before fmt chunk");
			if (w->size != SIZE_UNKNOWN && body_end > w->size)
				return fail(err, err_len, -EINVAL, "truncated data chunk");
			if (body_end > riff_end)
				return fail(err, err_len, -EINVAL,
					    "data chunk runs past the end of the RIFF chunk");
			if (size % w->block_align != 0)
				return fail(err, err_len, -EINVAL,
					    "data chunk size %u is not a whole number of %u-byte frames",
					    (unsigned)size, (unsigned)w->block_align);
			w->data_left = size;
			w->info.frames = size / w->block_align;
			return 0;
		}
		if (body_end > riff_end)
			return fail(err, err_len, -EINVAL, "%s chunk runs past the end of the RIFF chunk",
				    name);
		if (memcmp(hdr, "fmt ", 4) == 0) {
			size_t want = size < FMT_READ_MAX ? size : FMT_READ_MAX;

			if (have_fmt)
				return fail(err, err_len, -EINVAL, "two fmt chunks");
			if (size < 16)
				return fail(err, err_len, -EINVAL, "fmt chunk too small (%u bytes)",
					    (unsigned)size);
			rc = src_read(w, fmt, want, &got);
			if (rc != 0)
				return fail(err, err_len, rc, "read error: %s", strerror(-rc));
			if (got < want)
				return fail(err, err_len, -EINVAL, "truncated fmt chunk");
			rc = parse_fmt(w, fmt, size, err, err_len);
			if (rc != 0)
				return rc;
			have_fmt = true;
			size -= (uint32_t)want;
		}
		/* The rest of the chunk, and the pad byte after an odd size. */
		rc = src_skip(w, (uint64_t)size + (le32(hdr + 4) & 1u), &whole);
		if (rc != 0)
			return fail(err, err_len, rc, "read error: %s", strerror(-rc));
		if (!whole)
			return fail(err, err_len, -EINVAL, "truncated %s chunk", name);
	}
}

static int open_common(struct wav *w, char *err, size_t err_len)
{
	uint8_t hdr[12];
	size_t got = 0;
	int rc = src_read(w, hdr, sizeof(hdr), &got);

	if (rc != 0)
		return fail(err, err_len, rc, "read error: %s", strerror(-rc));
	if (got == 0)
		return fail(err, err_len, -EINVAL, "empty file, not a WAV file");
	if (got >= 4 && memcmp(hdr, "RF64", 4) == 0)
		return fail(err, err_len, -EINVAL, "RF64 is not supported");
	if (got >= 4 && memcmp(hdr, "RIFX", 4) == 0)
		return fail(err, err_len, -EINVAL, "big-endian RIFX is not supported");
	if (got < 4 || memcmp(hdr, "RIFF", 4) != 0)
		return fail(err, err_len, -EINVAL, "not a WAV file: no RIFF header");
	if (got < sizeof(hdr))
		return fail(err, err_len, -EINVAL, "truncated RIFF header");
	if (memcmp(hdr + 8, "WAVE", 4) != 0)
		return fail(err, err_len, -EINVAL, "not a WAV file: RIFF type is not WAVE");
	if (le32(hdr + 4) < 4)
		return fail(err, err_len, -EINVAL, "RIFF size %u is too small",
			    (unsigned)le32(hdr + 4));
	return walk(w, 8 + (uint64_t)le32(hdr + 4), err, err_len);
}

int wav_open(const char *path, struct wav **out, char *err, size_t err_len)
{
	struct wav *w = NULL;
	struct stat st;
	int rc;

	*out = NULL;
	w = calloc(1, sizeof(*w));
	if (w == NULL) {
		rc = fail(err, err_len, -ENOMEM, "out of memory");
		goto fail;
	}
	w->f = fopen(path, "rb");
	if (w->f == NULL) {
		rc = -errno;
		fail(err, err_len, rc, "%s", strerror(errno));
		goto fail;
	}
	if (fstat(fileno(w->f), &st) != 0) {
		rc = -errno;
		fail(err, err_len, rc, "%s", strerror(errno));
		goto fail;
	}
	if (S_ISDIR(st.st_mode)) {
		rc = fail(err, err_len, -EISDIR, "is a directory");
		goto fail;
	}
	w->size = S_ISREG(st.st_mode) ? (uint64_t)st.st_size : SIZE_UNKNOWN;
	rc = open_common(w, err, err_len);
	if (rc != 0)
		goto fail;
	*out = w;
	return 0;
fail:
	wav_close(w);
	return rc;
}

int wav_open_mem(const void *data, size_t len, struct wav **out, char *err, size_t err_len)
{
	struct wav *w = NULL;
	int rc;

	*out = NULL;
	w = calloc(1, sizeof(*w));
	if (w == NULL)
		return fail(err, err_len, -ENOMEM, "out of memory");
	w->mem = data;
	w->size = len;
	rc = open_common(w, err, err_len);
	if (rc != 0) {
		wav_close(w);
		return rc;
	}
	*out = w;
	return 0;
}

const struct wav_info *wav_info(const struct wav *w)
{
	return &w->info;
}

int wav_read(struct wav *w, float *out, size_t max, size_t *got, char *err, size_t err_len)
{
	size_t frames = (size_t)(w->data_left / w->block_align), bytes, n = 0;
	const uint8_t *p = w->buf;
	int rc;

	*got = 0;
	if (frames > BUF_BYTES / w->block_align)
		frames = BUF_BYTES / w->block_align;
	if (frames > max)
		frames = max;
	if (frames == 0)
		return 0;
	bytes = frames * w->block_align;
	rc = src_read(w, w->buf, bytes, &n);
	if (rc != 0)
		return fail(err, err_len, rc, "read error: %s", strerror(-rc));
	if (n < bytes)
		return fail(err, err_len, -EINVAL, "truncated data chunk");
	w->data_left -= bytes;
	for (size_t i = 0; i < frames; i++, p += w->block_align) {
		if (w->info.encoding == WAV_PCM_FLOAT) {
			uint32_t u = le32(p);
			float v;

			memcpy(&v, &u, sizeof(v));
			if (!isfinite(v))
				return fail(err, err_len, -EINVAL, "sample %llu is not a finite number",
					    (unsigned long long)(w->info.frames -
								 w->data_left / w->block_align -
								 frames + i));
			out[i] = v;
		} else if (w->info.bits == 16) {
			out[i] = (float)(int16_t)le16(p) * (1.0f / 32768.0f);
		} else if (w->info.bits == 24) {
			int32_t v = (int32_t)((uint32_t)p[0] << 8 | (uint32_t)p[1] << 16 |
					      (uint32_t)p[2] << 24) / 256;

			out[i] = (float)v * (1.0f / 8388608.0f);
		} else {
			out[i] = (float)(int32_t)le32(p) * (1.0f / 2147483648.0f);
		}
	}
	*got = frames;
	return 0;
}

void wav_close(struct wav *w)
{
	if (w == NULL)
		return;
	if (w->f != NULL)
		fclose(w->f);
	free(w);
}

void wav_s16_to_float(const int16_t *in, size_t stride, float *out, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = (float)in[i * stride] * (1.0f / 32768.0f);
}

void wav_s32_to_float(const int32_t *in, size_t stride, float *out, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = (float)in[i * stride] * (1.0f / 2147483648.0f);
}
