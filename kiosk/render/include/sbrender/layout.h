/* SPDX-License-Identifier: MIT */
/*
 * Screen layout of the lobby board: a pure function from a decoded board, the
 * kiosk's clock and the screen size to a list of draw operations (filled
 * rectangles, text runs, the QR square) for one page. No SDL here: text is
 * measured through a callback, so the layout is unit-tested with a fake
 * measurer and drawn by render.c with SDL_ttf.
 *
 * Local dates and times are formatted with localtime_r: the caller sets TZ
 * (the board's hours.timezone) and calls tzset before layout_build.
 * Not thread-safe only in that sense; otherwise re-entrant.
 */
#ifndef SBRENDER_LAYOUT_H
#define SBRENDER_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <siteboard/board.h>

/* Before this instant (2024-01-01T00:00:00Z) the kiosk's clock is "not set". */
#define LAYOUT_CLOCK_VALID_MS INT64_C(1704067200000)

enum layout_op_kind {
	LAYOUT_OP_RECT, /* filled rectangle x,y,w,h in color */
	LAYOUT_OP_TEXT, /* one line of text, top-left at x,y; w,h as measured */
	LAYOUT_OP_QR,   /* QR code of text, filling the square x,y,w,h (quiet zone included) */
};

struct layout_op {
	enum layout_op_kind kind;
	int x, y, w, h;
	uint32_t color; /* 0xRRGGBB: fill (RECT) or text colour (TEXT) */
	int font_px;    /* TEXT: font size in pixels */
	bool bold;      /* TEXT */
	bool paged;     /* part of the paged area (between flow_top and flow_bottom) */
	char *text;     /* TEXT: UTF-8 run; QR: the URL. Owned by the layout */
};

/*
 * Measure one line of text at font_px (bold or not): *w its advance width,
 * *h the font's line height, both in pixels. Returns 0 or a negative errno.
 */
typedef int (*layout_measure_fn)(void *ctx, const char *text, int font_px, bool bold, int *w,
				 int *h);

struct layout_input {
	const struct board *board; /* borrowed; NULL draws the "waiting" screen */
	int64_t now_ms;            /* the kiosk's clock */
	bool stale;                /* show the "may be out of date" line */
	int64_t stale_since_ms;    /* last time the kiosk heard from the broker */
	int width, height;         /* screen size in pixels */
	int page;                  /* wanted page; taken modulo the page count */
	int qr_modules;            /* side of the complaint_url QR in modules, quiet zone included */
	layout_measure_fn measure;
	void *measure_ctx;
};

struct layout {
	struct layout_op *ops; /* in drawing order */
	size_t n_ops;
	size_t cap;
	int n_pages; /* >= 1 */
	int page;    /* the page these ops show, 0-based */
	int flow_top, flow_bottom; /* the paged area; fixed panels are outside it */
};

/*
 * Lay out one page.
 * @retval 0 and *out set (free with layout_free)
 * @retval -EINVAL bad input (size below 320x240, no measurer)
 * @retval -ENOMEM
 * @retval other negative errno passed up from the measurer
 */
int layout_build(const struct layout_input *in, struct layout **out);

/* Free a layout. NULL is fine. */
void layout_free(struct layout *l);

/* True if the contact is the out-of-hours/emergency one (role or hours say so). */
bool layout_contact_is_emergency(const struct board_contact *c);

#endif
