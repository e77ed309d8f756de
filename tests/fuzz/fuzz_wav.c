/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the WAV reader (sensors/gateway/src/wav.c), which
 * takes files from anywhere. Whatever opens must read to its end or fail with
 * -EINVAL and a reason; every sample returned must be finite.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "../../sensors/gateway/src/wav.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wav *w = NULL;
	char err[WAV_ERR_MAX] = "";
	float out[512];
	size_t got = 0;
	uint64_t total = 0;
	int rc;

	rc = wav_open_mem(data, size, &w, err, sizeof(err));
	if (rc != 0) {
		if (w != NULL || rc != -EINVAL || err[0] == '\0')
			abort();
		return 0;
	}
	do {
		rc = wav_read(w, out, sizeof(out) / sizeof(out[0]), &got, err, sizeof(err));
		for (size_t i = 0; rc == 0 && i < got; i++)
			if (!isfinite(out[i]))
				abort();
		total += got;
	} while (rc == 0 && got > 0);
	if (rc != 0 && (rc != -EINVAL || err[0] == '\0'))
		abort();
	if (rc == 0 && total != wav_info(w)->frames)
		abort();
	wav_close(w);
	return 0;
}
