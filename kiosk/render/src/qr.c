/* SPDX-License-Identifier: MIT */
/*
 * QR encoding for the complaint link (see qr.h). A thin wrapper over
 * libqrencode that adds the quiet zone and keeps the encoded text, so the
 * renderer can cache one code per URL.
 */
#include <sbrender/qr.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>

#define QR_QUIET 4

struct qr {
	QRcode *code;
	char *text;
};

int qr_encode(const char *text, struct qr **out)
{
	struct qr *q = NULL;
	int rc = 0;

	if (!text || !text[0])
		return -EINVAL;
	q = calloc(1, sizeof(*q));
	if (!q)
		return -ENOMEM;
	q->text = strdup(text);
	if (!q->text) {
		rc = -ENOMEM;
		goto fail;
	}
	errno = 0;
	q->code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!q->code) {
		rc = errno == ENOMEM ? -ENOMEM : -EINVAL;
		goto fail;
	}
	*out = q;
	return 0;
fail:
	qr_free(q);
	return rc;
}

void qr_free(struct qr *q)
{
	if (!q)
		return;
	if (q->code)
		QRcode_free(q->code);
	free(q->text);
	free(q);
}

int qr_size(const struct qr *q)
{
	return q->code->width + 2 * QR_QUIET;
}

bool qr_dark(const struct qr *q, int x, int y)
{
	int w = q->code->width;

	x -= QR_QUIET;
	y -= QR_QUIET;
	if (x < 0 || y < 0 || x >= w || y >= w)
		return false;
	return (q->code->data[y * w + x] & 1u) != 0;
}

const char *qr_text(const struct qr *q)
{
	return q->text;
}
