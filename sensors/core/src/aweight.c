/* SPDX-License-Identifier: MIT */
/*
 * A-weighting design: Annex E poles, bilinear low sections, matched high
 * section with a least-squares magnitude fit of its zeros. See aweight.h.
 * Runs once per noise_init; all double maths, nothing kept between calls.
 */
#include "sbcore/aweight.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>

#define PI 3.14159265358979323846
#define FIT_POINTS 160
#define FIT_ROUNDS 30

/* Pole frequencies of IEC 61672-1:2013 Annex E, equations (E.1) to (E.6). */
struct poles {
	double f1, f2, f3, f4;
};

static struct poles annex_e(void)
{
	const double fr = 1000.0;
	const double fl = pow(10.0, 1.5);
	const double fh = pow(10.0, 3.9);
	const double d = sqrt(0.5);
	const double fa = pow(10.0, 2.45);
	double b, c;
	struct poles p;

	b = (1.0 / (1.0 - d)) * (fr * fr + fl * fl * fh * fh / (fr * fr) - d * (fl * fl + fh * fh));
	c = fl * fl * fh * fh;
	p.f1 = sqrt((-b - sqrt(b * b - 4.0 * c)) / 2.0);
	p.f4 = sqrt((-b + sqrt(b * b - 4.0 * c)) / 2.0);
	p.f2 = (3.0 - sqrt(5.0)) / 2.0 * fa;
	p.f3 = (3.0 + sqrt(5.0)) / 2.0 * fa;
	return p;
}

/* Unnormalised analogue A-weighting magnitude, squared. */
static double goal_pow(const struct poles *p, double f)
{
	double f2 = f * f;
	double num = p->f4 * p->f4 * f2 * f2;
	double den = (f2 + p->f1 * p->f1) * sqrt((f2 + p->f2 * p->f2) * (f2 + p->f3 * p->f3)) *
		     (f2 + p->f4 * p->f4);

	return (num / den) * (num / den);
}

double aweight_goal_db(double f_hz)
{
	struct poles p = annex_e();

	return 10.0 * log10(goal_pow(&p, f_hz) / goal_pow(&p, 1000.0));
}

/* |H(e^jw)|^2 of one section with double coefficients. */
static double biquad_pow(double b0, double b1, double b2, double a1, double a2, double w)
{
	double c1 = cos(w), s1 = sin(w), c2 = cos(2.0 * w), s2 = sin(2.0 * w);
	double nr = b0 + b1 * c1 + b2 * c2, ni = -(b1 * s1 + b2 * s2);
	double dr = 1.0 + a1 * c1 + a2 * c2, di = -(a1 * s1 + a2 * s2);

	return (nr * nr + ni * ni) / (dr * dr + di * di);
}

static double section_pow(const struct aweight_biquad *s, double w)
{
	return biquad_pow(s->b0, s->b1, s->b2, s->a1, s->a2, w);
}

/*
 * Two real analogue poles at fa, fb over two zeros at s = 0, by bilinear
 * transform: K (1 - z^-1)^2 / ((1 - pa z^-1)(1 - pb z^-1)), unit gain at
 * Nyquist as the analogue section has at infinity.
 */
static void highpass(double fa, double fb, double fs, double out[5])
{
	double k = 2.0 * fs;
	double wa = 2.0 * PI * fa, wb = 2.0 * PI * fb;
	double pa = (k - wa) / (k + wa), pb = (k - wb) / (k + wb);
	double g = k * k / ((k + wa) * (k + wb));

	out[0] = g;
	out[1] = -2.0 * g;
	out[2] = g;
	out[3] = -(pa + pb);
	out[4] = pa * pb;
}

/* Solve the 3x3 system m x = v by Gaussian elimination with pivoting. */
static int solve3(double m[3][3], double v[3], double x[3])
{
	for (int col = 0; col < 3; col++) {
		int piv = col;

		for (int r = col + 1; r < 3; r++)
			if (fabs(m[r][col]) > fabs(m[piv][col]))
				piv = r;
		if (fabs(m[piv][col]) < 1e-300)
			return -EDOM;
		if (piv != col) {
			for (int k = 0; k < 3; k++) {
				double t = m[col][k];

				m[col][k] = m[piv][k];
				m[piv][k] = t;
			}
			double t = v[col];

			v[col] = v[piv];
			v[piv] = t;
		}
		for (int r = col + 1; r < 3; r++) {
			double f = m[r][col] / m[col][col];

			for (int k = col; k < 3; k++)
				m[r][k] -= f * m[col][k];
			v[r] -= f * v[col];
		}
	}
	for (int r = 2; r >= 0; r--) {
		double s = v[r];

		for (int k = r + 1; k < 3; k++)
			s -= m[r][k] * x[k];
		x[r] = s / m[r][r];
	}
	return 0;
}

/*
 * Fit P(w) = c0 + 2 c1 cos w + 2 c2 cos 2w, the squared magnitude of a
 * two-zero section, to want[] at w[] with relative error, reweighted
 * (Lawson) towards the smallest largest error.
 */
static int fit_power(const double *w, const double *want, int n, double c[3])
{
	double wt[FIT_POINTS];
	int rc = 0;

	for (int i = 0; i < n; i++)
		wt[i] = 1.0;
	for (int round = 0; round < FIT_ROUNDS; round++) {
		double m[3][3] = { { 0 } }, v[3] = { 0 }, sum = 0.0;

		for (int i = 0; i < n; i++) {
			double phi[3] = { 1.0, 2.0 * cos(w[i]), 2.0 * cos(2.0 * w[i]) };
			double s = wt[i] / (want[i] * want[i]);

			for (int r = 0; r < 3; r++) {
				for (int k = 0; k < 3; k++)
					m[r][k] += s * phi[r] * phi[k];
				v[r] += s * phi[r] * want[i];
			}
		}
		rc = solve3(m, v, c);
		if (rc != 0)
			return rc;
		for (int i = 0; i < n; i++) {
			double p = c[0] + 2.0 * c[1] * cos(w[i]) + 2.0 * c[2] * cos(2.0 * w[i]);

			wt[i] *= fabs(p / want[i] - 1.0) + 1e-12;
			sum += wt[i];
		}
		for (int i = 0; i < n; i++)
			wt[i] /= sum;
	}
	return 0;
}

/*
 * Spectral factor of P: b0 + b1 z^-1 + b2 z^-2 with |B|^2 = P and both zeros
 * inside or on the unit circle. In x = cos w, P = 4 c2 x^2 + 2 c1 x + c0 - 2 c2
 * and a zero r of B gives a root x = (r + 1/r) / 2 of P.
 */
static int factor(const double c[3], double b[3])
{
	double qa = 4.0 * c[2], qb = 2.0 * c[1], qc = c[0] - 2.0 * c[2];
	double disc, sum, prod, g2;

	if (fabs(qa) < 1e-12 * (fabs(qb) + fabs(qc))) {
		/* One zero: P = qb x + qc. */
		double x0, r;

		if (qb == 0.0 || qc <= fabs(qb))
			return qb == 0.0 && qc > 0.0 ? (b[0] = sqrt(qc), b[1] = b[2] = 0.0, 0) : -EDOM;
		x0 = -qc / qb;
		r = x0 > 0 ? x0 - sqrt(x0 * x0 - 1.0) : x0 + sqrt(x0 * x0 - 1.0);
		g2 = qb / (-2.0 * r);
		b[0] = sqrt(g2);
		b[1] = -r * b[0];
		b[2] = 0.0;
		return 0;
	}
	disc = qb * qb - 4.0 * qa * qc;
	if (disc >= 0.0) {
		double x1 = (-qb + sqrt(disc)) / (2.0 * qa), x2 = (-qb - sqrt(disc)) / (2.0 * qa);
		double r1, r2;

		if (fabs(x1) < 1.0 || fabs(x2) < 1.0)
			return -EDOM; /* P changes sign on the unit circle */
		r1 = x1 > 0 ? x1 - sqrt(x1 * x1 - 1.0) : x1 + sqrt(x1 * x1 - 1.0);
		r2 = x2 > 0 ? x2 - sqrt(x2 * x2 - 1.0) : x2 + sqrt(x2 * x2 - 1.0);
		sum = r1 + r2;
		prod = r1 * r2;
	} else {
		/* x0 = u + jv; r = x0 - sqrt(x0^2 - 1), the root inside the circle. */
		double u = -qb / (2.0 * qa), v = sqrt(-disc) / (2.0 * fabs(qa));
		double zr = u * u - v * v - 1.0, zi = 2.0 * u * v;
		double mod = sqrt(zr * zr + zi * zi);
		double sr = sqrt((mod + zr) / 2.0), si = copysign(sqrt((mod - zr) / 2.0), zi);
		double rr = u - sr, ri = v - si;

		if (rr * rr + ri * ri > 1.0) {
			rr = u + sr;
			ri = v + si;
		}
		sum = 2.0 * rr;
		prod = rr * rr + ri * ri;
	}
	g2 = c[2] / prod;
	if (!(g2 > 0.0))
		return -EDOM;
	b[0] = sqrt(g2);
	b[1] = -sum * b[0];
	b[2] = prod * b[0];
	return 0;
}

static void store(struct aweight_biquad *s, const double d[5])
{
	s->b0 = (float)d[0];
	s->b1 = (float)d[1];
	s->b2 = (float)d[2];
	s->a1 = (float)d[3];
	s->a2 = (float)d[4];
}

static double cascade_pow(const struct aweight *aw, double w)
{
	double p = 1.0;

	for (int i = 0; i < AWEIGHT_SECTIONS; i++)
		p *= section_pow(&aw->sec[i], w);
	return p;
}

int aweight_design(struct aweight *aw, uint32_t rate_hz)
{
	struct poles p = annex_e();
	double fs = (double)rate_hz;
	double hpa[5], hpb[5], lp[5], c[3], b[3];
	double w[FIT_POINTS], want[FIT_POINTS];
	double a, f_lo = 20.0, f_hi, norm;
	int rc;

	if (rate_hz < AWEIGHT_RATE_MIN || rate_hz > AWEIGHT_RATE_MAX)
		return -EINVAL;
	aw->rate_hz = rate_hz;
	highpass(p.f1, p.f2, fs, hpa);
	highpass(p.f1, p.f3, fs, hpb);
	a = exp(-2.0 * PI * p.f4 / fs);

	/* What the zeros of the high section must supply, on a log grid. */
	f_hi = fmin(13000.0, 0.4 * fs);
	for (int i = 0; i < FIT_POINTS; i++) {
		double f = f_lo * pow(f_hi / f_lo, (double)i / (FIT_POINTS - 1));
		double wi = 2.0 * PI * f / fs;
		double poles = biquad_pow(1.0, 0.0, 0.0, -2.0 * a, a * a, wi);

		w[i] = wi;
		want[i] = goal_pow(&p, f) /
			  (biquad_pow(hpa[0], hpa[1], hpa[2], hpa[3], hpa[4], wi) *
			   biquad_pow(hpb[0], hpb[1], hpb[2], hpb[3], hpb[4], wi) * poles);
	}
	rc = fit_power(w, want, FIT_POINTS, c);
	if (rc != 0)
		return rc;
	rc = factor(c, b);
	if (rc != 0)
		return rc;
	lp[0] = b[0];
	lp[1] = b[1];
	lp[2] = b[2];
	lp[3] = -2.0 * a;
	lp[4] = a * a;

	/* Unit gain at 1 kHz in the high section before rounding to float. */
	norm = sqrt(goal_pow(&p, 1000.0) /
		    (biquad_pow(hpa[0], hpa[1], hpa[2], hpa[3], hpa[4], 2.0 * PI * 1000.0 / fs) *
		     biquad_pow(hpb[0], hpb[1], hpb[2], hpb[3], hpb[4], 2.0 * PI * 1000.0 / fs) *
		     biquad_pow(lp[0], lp[1], lp[2], lp[3], lp[4], 2.0 * PI * 1000.0 / fs)));
	norm /= sqrt(goal_pow(&p, 1000.0));
	for (int i = 0; i < 3; i++)
		lp[i] *= norm;
	store(&aw->sec[0], hpa);
	store(&aw->sec[1], hpb);
	store(&aw->sec[2], lp);
	aw->gain_db = 0.0;
	aw->gain_db = -10.0 * log10(cascade_pow(aw, 2.0 * PI * 1000.0 / fs));
	return 0;
}

double aweight_response_db(const struct aweight *aw, double f_hz)
{
	return 10.0 * log10(cascade_pow(aw, 2.0 * PI * f_hz / (double)aw->rate_hz)) + aw->gain_db;
}
