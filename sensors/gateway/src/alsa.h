/* SPDX-License-Identifier: MIT */
/*
 * Microphone capture through ALSA for the noise meter: 48 kHz, S32 or S16,
 * mono or the first channel of whatever the device offers. An audio_ops
 * source (noisein.h); the maths never sees ALSA.
 */
#ifndef SENSORD_ALSA_H
#define SENSORD_ALSA_H

#include <stdint.h>

#include "noisein.h"

struct alsa_src;

extern const struct audio_ops alsa_ops;

/*
 * Open device ("default", "hw:1,0", ...) for capture. *rate_hz gets the rate
 * the device actually runs at.
 * @retval 0, or a negative errno with the reason logged
 */
int alsa_src_open(const char *device, struct alsa_src **out, uint32_t *rate_hz);

/* NULL-safe. */
void alsa_src_close(struct alsa_src *a);

#endif
