/* SPDX-License-Identifier: MIT */
/*
 * ALSA capture source (see alsa.h). Reads are bounded by the buffer made at
 * open (ALSA_FRAMES frames of at most ALSA_MAX_CH channels); overruns are
 * recovered with snd_pcm_recover and logged, since a gap in the samples is
 * a gap in the measurement.
 */
#include "alsa.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <alsa/asoundlib.h>

#include <siteboard/log.h>

#define ALSA_RATE 48000u
#define ALSA_FRAMES 1024
#define ALSA_MAX_CH 16

struct alsa_src {
	snd_pcm_t *pcm;
	bool s32;
	unsigned channels;
	int32_t buf[ALSA_FRAMES * ALSA_MAX_CH];
};

int alsa_src_open(const char *device, struct alsa_src **out, uint32_t *rate_hz)
{
	struct alsa_src *a = NULL;
	snd_pcm_hw_params_t *hw = NULL;
	unsigned rate = ALSA_RATE;
	int ret = -ENOMEM;
	int rc;

	*out = NULL;
	a = calloc(1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	rc = snd_pcm_open(&a->pcm, device, SND_PCM_STREAM_CAPTURE, 0);
	if (rc < 0) {
		log_error("alsa: cannot open %s: %s", device, snd_strerror(rc));
		a->pcm = NULL;
		ret = rc;
		goto fail;
	}
	rc = snd_pcm_hw_params_malloc(&hw);
	if (rc < 0)
		goto fail;
	snd_pcm_hw_params_any(a->pcm, hw);
	rc = snd_pcm_hw_params_set_access(a->pcm, hw, SND_PCM_ACCESS_RW_INTERLEAVED);
	if (rc == 0) {
		a->s32 = snd_pcm_hw_params_set_format(a->pcm, hw, SND_PCM_FORMAT_S32_LE) == 0;
		if (!a->s32)
			rc = snd_pcm_hw_params_set_format(a->pcm, hw, SND_PCM_FORMAT_S16_LE);
	}
	if (rc == 0 && snd_pcm_hw_params_set_channels(a->pcm, hw, 1) < 0) {
		unsigned ch = 0;

		rc = snd_pcm_hw_params_set_channels_first(a->pcm, hw, &ch);
	}
	if (rc == 0)
		rc = snd_pcm_hw_params_set_rate_near(a->pcm, hw, &rate, NULL);
	if (rc == 0)
		rc = snd_pcm_hw_params(a->pcm, hw);
	if (rc == 0)
		rc = snd_pcm_hw_params_get_channels(hw, &a->channels);
	if (rc < 0 || a->channels < 1 || a->channels > ALSA_MAX_CH) {
		log_error("alsa: %s cannot capture 48 kHz S32/S16: %s", device,
			  rc < 0 ? snd_strerror(rc) : "too many channels");
		ret = rc < 0 ? rc : -EINVAL;
		goto fail;
	}
	if (rate != ALSA_RATE)
		log_warn("alsa: %s runs at %u Hz, not 48000", device, rate);
	rc = snd_pcm_prepare(a->pcm);
	if (rc < 0) {
		log_error("alsa: cannot start %s: %s", device, snd_strerror(rc));
		ret = rc;
		goto fail;
	}
	log_info("alsa: capturing from %s at %u Hz, %s, %u channel(s)", device, rate,
		 a->s32 ? "S32" : "S16", a->channels);
	*rate_hz = rate;
	*out = a;
	a = NULL;
	ret = 0;
fail:
	snd_pcm_hw_params_free(hw);
	alsa_src_close(a);
	return ret;
}

void alsa_src_close(struct alsa_src *a)
{
	if (!a)
		return;
	if (a->pcm)
		snd_pcm_close(a->pcm);
	free(a);
}

static long alsa_read(void *src, float *x, size_t n)
{
	struct alsa_src *a = src;
	snd_pcm_sframes_t got;
	size_t frames = n < ALSA_FRAMES ? n : ALSA_FRAMES;

	got = snd_pcm_readi(a->pcm, a->buf, frames);
	while (got < 0) {
		log_warn("alsa: %s; recovering (a gap in the measurement)", snd_strerror((int)got));
		if (snd_pcm_recover(a->pcm, (int)got, 1) < 0)
			return (long)got;
		got = snd_pcm_readi(a->pcm, a->buf, frames);
	}
	for (snd_pcm_sframes_t i = 0; i < got; i++) {
		if (a->s32)
			x[i] = (float)((double)a->buf[(size_t)i * a->channels] / 2147483648.0);
		else
			x[i] = (float)((const int16_t *)a->buf)[(size_t)i * a->channels] / 32768.0f;
	}
	return (long)got;
}

const struct audio_ops alsa_ops = {
	.read = alsa_read,
};
