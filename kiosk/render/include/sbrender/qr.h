/* SPDX-License-Identifier: MIT */
/*
 * QR code of a URL (libqrencode, error correction level M, 8-bit mode), as a
 * grid of modules with the 4-module quiet zone included, so that the caller
 * can draw crisp squares of an integer number of pixels. Not for drawing.
 */
#ifndef SBRENDER_QR_H
#define SBRENDER_QR_H

#include <stdbool.h>

struct qr;

/*
 * Encode text (borrowed, NUL-terminated).
 * @retval 0 and *out set (free with qr_free)
 * @retval -EINVAL empty or too long for a QR code
 * @retval -ENOMEM
 */
int qr_encode(const char *text, struct qr **out);

/* Free a code. NULL is fine. */
void qr_free(struct qr *q);

/* Side in modules, quiet zone included. */
int qr_size(const struct qr *q);

/* True if module (x, y) is dark; 0 <= x, y < qr_size (quiet zone is light). */
bool qr_dark(const struct qr *q, int x, int y);

/* The text this code encodes (owned by q). */
const char *qr_text(const struct qr *q);

#endif
