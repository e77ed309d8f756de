/* SPDX-License-Identifier: MIT */
/*
 * The lobby screen as a PNG for the caretakers' pages, drawn by the kiosk's
 * own renderer library (sbrender: layout, drawing with SDL2_ttf, QR)
 * on an off-screen software surface, and encoded with SDL2_image into
 * memory. What the caretaker sees is what the kiosk will draw for the board
 * at that moment (notices before their `from` or after their `until` are
 * left out, as on the kiosk).
 *
 * Local times on the board use the process's TZ: main.c sets it to the
 * site's time zone before any thread starts.
 * Not for: building the board (boardgen).
 * Threads: any thread; one mutex serialises drawing.
 */
#ifndef SITEBOARD_SERVER_PREVIEW_H
#define SITEBOARD_SERVER_PREVIEW_H

#include <stddef.h>
#include <stdint.h>

#define PREVIEW_FONT "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
#define PREVIEW_FONT_BOLD "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"

struct preview;

/*
 * Open the fonts (paths borrowed). Cheap to keep: fonts open once.
 * @retval 0 and *out set, -ENOENT (a font cannot be opened; logged), -EIO, -ENOMEM
 */
int preview_open(const char *font, const char *font_bold, struct preview **out);
/* NULL is fine. */
void preview_close(struct preview *p);

/*
 * Draw board_json (borrowed) as the kiosk would at now_ms on a width x height
 * screen, page 0. *png is malloc'd (caller frees), *len its size.
 * @retval 0, -EINVAL (the board does not decode, or a bad size), -EIO, -ENOMEM
 */
int preview_png(struct preview *p, const char *board_json, int64_t now_ms, int width,
		int height, unsigned char **png, size_t *len);

#endif
