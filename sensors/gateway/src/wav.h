/* SPDX-License-Identifier: MIT */
/*
 * WAV (RIFF/WAVE) reader for the noise tools: PCM 16, 24 and 32-bit integer
 * and 32-bit IEEE float, plain or WAVE_FORMAT_EXTENSIBLE, any channel count
 * (the first channel is returned), as floats where full scale is 1.0.
 *
 * Files are outside input: every chunk size is checked against the RIFF size
 * and the file size when the header is read, reads are bounded (one fixed
 * buffer per reader), and any failure comes back as -EINVAL with one line in
 * err saying why ("truncated data chunk", "not a WAV file: no RIFF header").
 * Not for writing WAVs, RF64, compressed formats or 8-bit PCM.
 * A struct wav is used by one thread at a time.
 */
#ifndef SITEBOARD_WAV_H
#define SITEBOARD_WAV_H

#include <stddef.h>
#include <stdint.h>

#define WAV_ERR_MAX 128 /* err buffers of this size hold every message */

enum wav_encoding {
	WAV_PCM_INT,
	WAV_PCM_FLOAT,
};

struct wav_info {
	uint32_t rate_hz;     /* 1..1000000 */
	uint16_t channels;    /* >= 1 */
	uint16_t bits;        /* container bits per sample: 16, 24 or 32 */
	enum wav_encoding encoding;
	uint64_t frames;      /* in the data chunk */
};

struct wav;

/*
 * Open path and read the header up to the data chunk. *out is the caller's,
 * closed with wav_close. err gets a reason on failure (may be NULL).
 * @retval 0
 * @retval -EINVAL not a WAV file this reader takes, or broken (err says why)
 * @retval -errno the file could not be opened or read (err says why)
 */
int wav_open(const char *path, struct wav **out, char *err, size_t err_len);

/*
 * The same over len bytes at data, borrowed: they must outlive *out.
 */
int wav_open_mem(const void *data, size_t len, struct wav **out, char *err, size_t err_len);

/* The format read by wav_open; borrowed from w. */
const struct wav_info *wav_info(const struct wav *w);

/*
 * Read up to max frames of the first channel into out, converted to float
 * (full scale 1.0). *got is the number read; 0 at the end of the data.
 * @retval 0
 * @retval -EINVAL the data ended early ("truncated data chunk") or a float
 *         sample is not finite
 * @retval -EIO a read error
 */
int wav_read(struct wav *w, float *out, size_t max, size_t *got, char *err, size_t err_len);

/* Close; NULL is fine. */
void wav_close(struct wav *w);

/*
 * Sample conversions for other sources (ALSA capture): n samples taken every
 * stride-th value of in (stride 1 for mono; channels for the first channel of
 * interleaved frames), scaled so that full scale is 1.0.
 */
void wav_s16_to_float(const int16_t *in, size_t stride, float *out, size_t n);
void wav_s32_to_float(const int32_t *in, size_t stride, float *out, size_t n);

#endif
