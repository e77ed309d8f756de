/* SPDX-License-Identifier: MIT */
/*
 * Drawing of a layout (layout.h) with SDL2 and SDL2_ttf on an SDL_Renderer
 * the caller gives (the kiosk uses the software renderer, on the window
 * surface or on an off-screen surface for screenshots). Fonts are opened
 * once per size and kept; the QR code of the last URL is kept too.
 * Main thread only.
 */
#ifndef SBRENDER_RENDER_H
#define SBRENDER_RENDER_H

#include <stdbool.h>

#include <SDL.h>

#include <sbrender/layout.h>

struct render;

/*
 * Open with the regular and bold font files (borrowed paths). TTF_Init must
 * have been called. Fails early if a font cannot be opened.
 * @retval 0 and *out set
 * @retval -ENOENT a font file cannot be opened (logged)
 * @retval -ENOMEM
 */
int render_open(const char *font, const char *font_bold, struct render **out);

/* Close fonts and caches. NULL is fine. */
void render_close(struct render *r);

/* A layout_measure_fn; ctx is the struct render. */
int render_measure(void *ctx, const char *text, int font_px, bool bold, int *w, int *h);

/*
 * Side in modules (quiet zone included) of the QR code for url, or 0 if it
 * cannot be encoded. Keeps the code for render_draw.
 */
int render_qr_modules(struct render *r, const char *url);

/*
 * Draw every op of l on ren (borrowed). Does not present.
 * @retval 0, -EIO on an SDL error (logged), -ENOMEM
 */
int render_draw(struct render *r, SDL_Renderer *ren, const struct layout *l);

#endif
