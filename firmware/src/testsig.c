/* SPDX-License-Identifier: MIT */
/* Test-signal source (see testsig.h). */
#include "testsig.h"

#include <math.h>

/* sin(2 pi k / 48), k = 0..47: one cycle of 1 kHz at 48 kHz */
static const float sine48[48] = {
	0.000000000f, 0.130526192f, 0.258819045f, 0.382683432f,
	0.500000000f, 0.608761429f, 0.707106781f, 0.793353340f,
	0.866025404f, 0.923879533f, 0.965925826f, 0.991444861f,
	1.000000000f, 0.991444861f, 0.965925826f, 0.923879533f,
	0.866025404f, 0.793353340f, 0.707106781f, 0.608761429f,
	0.500000000f, 0.382683432f, 0.258819045f, 0.130526192f,
	0.000000000f, -0.130526192f, -0.258819045f, -0.382683432f,
	-0.500000000f, -0.608761429f, -0.707106781f, -0.793353340f,
	-0.866025404f, -0.923879533f, -0.965925826f, -0.991444861f,
	-1.000000000f, -0.991444861f, -0.965925826f, -0.923879533f,
	-0.866025404f, -0.793353340f, -0.707106781f, -0.608761429f,
	-0.500000000f, -0.382683432f, -0.258819045f, -0.130526192f,
};

static float amplitude(float cal_db, float level_db)
{
	if (level_db < cal_db - 170.0f)
		return 0.0f;
	return powf(10.0f, (level_db - cal_db) / 20.0f);
}

void testsig_init(struct testsig *s, float cal_db)
{
	s->cal_db = cal_db;
	s->amp = 0.0f;
	s->base_amp = 0.0f;
	s->burst = 0;
	s->phase = 0;
}

void testsig_tone(struct testsig *s, float level_db)
{
	s->base_amp = amplitude(s->cal_db, level_db);
	if (s->burst == 0)
		s->amp = s->base_amp;
}

void testsig_silence(struct testsig *s)
{
	s->base_amp = 0.0f;
	if (s->burst == 0)
		s->amp = 0.0f;
}

void testsig_burst(struct testsig *s, float level_db, uint32_t samples)
{
	s->amp = amplitude(s->cal_db, level_db);
	s->burst = samples;
}

void testsig_fill(struct testsig *s, float *buf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		buf[i] = s->amp * sine48[s->phase];
		s->phase = s->phase == 47 ? 0 : s->phase + 1;
		if (s->burst && --s->burst == 0)
			s->amp = s->base_amp;
	}
}
