/* SPDX-License-Identifier: MIT */
/*
 * SDL2 execution of layout ops (see render.h): rectangles with
 * SDL_RenderFillRect, text as blended SDL_ttf surfaces turned into textures,
 * the QR code as one filled square per dark module. Not for deciding where
 * anything goes: that is layout.c.
 */
#include <sbrender/render.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <SDL_ttf.h>

#include <siteboard/log.h>

#include <sbrender/qr.h>

#define RENDER_MAX_FONTS 24

struct font_slot {
	int px;
	bool bold;
	TTF_Font *font;
	int line_h;
};

struct render {
	char *path[2]; /* regular, bold */
	struct font_slot fonts[RENDER_MAX_FONTS];
	int n_fonts;
	struct qr *qr;
};

static TTF_Font *get_font(struct render *r, int px, bool bold, int *line_h)
{
	TTF_Font *f = NULL;

	for (int i = 0; i < r->n_fonts; i++) {
		if (r->fonts[i].px == px && r->fonts[i].bold == bold) {
			*line_h = r->fonts[i].line_h;
			return r->fonts[i].font;
		}
	}
	f = TTF_OpenFont(r->path[bold ? 1 : 0], px);
	if (!f) {
		log_error("cannot open font %s: %s", r->path[bold ? 1 : 0], TTF_GetError());
		return NULL;
	}
	TTF_SetFontHinting(f, TTF_HINTING_LIGHT);
	if (r->n_fonts == RENDER_MAX_FONTS) {
		/* a layout uses a handful of sizes; recycle the oldest slot */
		TTF_CloseFont(r->fonts[0].font);
		memmove(&r->fonts[0], &r->fonts[1], sizeof(r->fonts[0]) * (RENDER_MAX_FONTS - 1));
		r->n_fonts--;
	}
	r->fonts[r->n_fonts] = (struct font_slot){.px = px, .bold = bold, .font = f,
						  .line_h = TTF_FontLineSkip(f)};
	*line_h = r->fonts[r->n_fonts].line_h;
	r->n_fonts++;
	return f;
}

int render_open(const char *font, const char *font_bold, struct render **out)
{
	struct render *r = NULL;
	int lh = 0;
	int rc = 0;

	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->path[0] = strdup(font);
	r->path[1] = strdup(font_bold);
	if (!r->path[0] || !r->path[1]) {
		rc = -ENOMEM;
		goto fail;
	}
	if (!get_font(r, 20, false, &lh) || !get_font(r, 20, true, &lh)) {
		rc = -ENOENT;
		goto fail;
	}
	*out = r;
	return 0;
fail:
	render_close(r);
	return rc;
}

void render_close(struct render *r)
{
	if (!r)
		return;
	for (int i = 0; i < r->n_fonts; i++)
		TTF_CloseFont(r->fonts[i].font);
	qr_free(r->qr);
	free(r->path[0]);
	free(r->path[1]);
	free(r);
}

int render_measure(void *ctx, const char *text, int font_px, bool bold, int *w, int *h)
{
	struct render *r = ctx;
	int lh = 0, tw = 0, th = 0;
	TTF_Font *f = get_font(r, font_px, bold, &lh);

	if (!f)
		return -ENOENT;
	if (text[0] && TTF_SizeUTF8(f, text, &tw, &th) != 0)
		return -EINVAL;
	*w = tw;
	*h = lh;
	return 0;
}

int render_qr_modules(struct render *r, const char *url)
{
	struct qr *q = NULL;

	if (!url)
		return 0;
	if (r->qr && strcmp(qr_text(r->qr), url) == 0)
		return qr_size(r->qr);
	if (qr_encode(url, &q) < 0) {
		log_warn("cannot encode the complaint URL as a QR code");
		return 0;
	}
	qr_free(r->qr);
	r->qr = q;
	return qr_size(q);
}

static void set_color(SDL_Renderer *ren, uint32_t c)
{
	SDL_SetRenderDrawColor(ren, (Uint8)(c >> 16), (Uint8)(c >> 8), (Uint8)c, 255);
}

static int draw_text(struct render *r, SDL_Renderer *ren, const struct layout_op *op)
{
	SDL_Color col = {(Uint8)(op->color >> 16), (Uint8)(op->color >> 8), (Uint8)op->color, 255};
	SDL_Surface *s = NULL;
	SDL_Texture *t = NULL;
	TTF_Font *f = NULL;
	SDL_Rect dst;
	int lh = 0;
	int rc = 0;

	f = get_font(r, op->font_px, op->bold, &lh);
	if (!f)
		return -ENOENT;
	s = TTF_RenderUTF8_Blended(f, op->text, col);
	if (!s) {
		log_error("text rendering failed: %s", TTF_GetError());
		return -EIO;
	}
	t = SDL_CreateTextureFromSurface(ren, s);
	if (!t) {
		log_error("cannot create texture: %s", SDL_GetError());
		rc = -EIO;
		goto out;
	}
	dst = (SDL_Rect){op->x, op->y, s->w, s->h};
	if (SDL_RenderCopy(ren, t, NULL, &dst) != 0) {
		log_error("cannot draw text: %s", SDL_GetError());
		rc = -EIO;
	}
out:
	SDL_DestroyTexture(t);
	SDL_FreeSurface(s);
	return rc;
}

static int draw_qr(struct render *r, SDL_Renderer *ren, const struct layout_op *op)
{
	int n, k, ox, oy;
	SDL_Rect bg = {op->x, op->y, op->w, op->h};

	n = render_qr_modules(r, op->text);
	if (n <= 0)
		return 0;
	k = op->w / n;
	if (k < 1)
		k = 1;
	/* integer module size, centred in the square */
	ox = op->x + (op->w - k * n) / 2;
	oy = op->y + (op->h - k * n) / 2;
	set_color(ren, 0xFFFFFFu);
	SDL_RenderFillRect(ren, &bg);
	set_color(ren, 0x000000u);
	for (int y = 0; y < n; y++) {
		for (int x = 0; x < n; x++) {
			SDL_Rect m = {ox + x * k, oy + y * k, k, k};

			if (qr_dark(r->qr, x, y))
				SDL_RenderFillRect(ren, &m);
		}
	}
	return 0;
}

int render_draw(struct render *r, SDL_Renderer *ren, const struct layout *l)
{
	int rc = 0;

	SDL_SetRenderDrawBlendMode(ren, SDL_BLENDMODE_NONE);
	for (size_t i = 0; i < l->n_ops && rc == 0; i++) {
		const struct layout_op *op = &l->ops[i];

		switch (op->kind) {
		case LAYOUT_OP_RECT: {
			SDL_Rect rect = {op->x, op->y, op->w, op->h};

			set_color(ren, op->color);
			if (SDL_RenderFillRect(ren, &rect) != 0) {
				log_error("cannot fill: %s", SDL_GetError());
				rc = -EIO;
			}
			break;
		}
		case LAYOUT_OP_TEXT:
			rc = draw_text(r, ren, op);
			break;
		case LAYOUT_OP_QR:
			rc = draw_qr(r, ren, op);
			break;
		}
	}
	return rc;
}
