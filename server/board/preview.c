/* SPDX-License-Identifier: MIT */
/*
 * Kiosk preview rendering (see preview.h). The PNG is written through an
 * SDL_RWops of our own that appends to a growing buffer, capped at
 * PNG_MAX bytes.
 */
#include "board/preview.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>
#include <SDL_image.h>
#include <SDL_ttf.h>

#include <sbrender/layout.h>
#include <sbrender/render.h>
#include "siteboard/board.h"
#include "siteboard/log.h"

#define PNG_MAX (16 * 1024 * 1024)

struct preview {
	pthread_mutex_t mutex;
	struct render *render;
	bool ttf;
};

struct membuf {
	unsigned char *buf;
	size_t len;
	size_t cap;
	bool failed;
};

static size_t mem_write(SDL_RWops *ctx, const void *ptr, size_t size, size_t num)
{
	struct membuf *m = ctx->hidden.unknown.data1;
	size_t n = size * num;
	unsigned char *nb = NULL;
	size_t ncap;

	if (m->failed || (num != 0 && n / num != size) || n > PNG_MAX - m->len) {
		m->failed = true;
		return 0;
	}
	if (m->len + n > m->cap) {
		ncap = m->cap == 0 ? 65536 : m->cap;
		while (ncap < m->len + n)
			ncap *= 2;
		nb = realloc(m->buf, ncap);
		if (nb == NULL) {
			m->failed = true;
			return 0;
		}
		m->buf = nb;
		m->cap = ncap;
	}
	memcpy(m->buf + m->len, ptr, n);
	m->len += n;
	return num;
}

static Sint64 mem_size(SDL_RWops *ctx)
{
	struct membuf *m = ctx->hidden.unknown.data1;

	return (Sint64)m->len;
}

static Sint64 mem_seek(SDL_RWops *ctx, Sint64 offset, int whence)
{
	struct membuf *m = ctx->hidden.unknown.data1;

	/* libpng only writes forward; report the position for tell() */
	if (whence == RW_SEEK_CUR && offset == 0)
		return (Sint64)m->len;
	return -1;
}

static int mem_close(SDL_RWops *ctx)
{
	SDL_FreeRW(ctx);
	return 0;
}

int preview_open(const char *font, const char *font_bold, struct preview **out)
{
	struct preview *p = calloc(1, sizeof(*p));
	int ret;

	*out = NULL;
	if (p == NULL)
		return -ENOMEM;
	pthread_mutex_init(&p->mutex, NULL);
	if (TTF_Init() != 0) {
		log_error("preview: cannot initialise SDL_ttf: %s", TTF_GetError());
		ret = -EIO;
		goto fail;
	}
	p->ttf = true;
	ret = render_open(font, font_bold, &p->render);
	if (ret < 0)
		goto fail;
	*out = p;
	return 0;
fail:
	preview_close(p);
	return ret;
}

void preview_close(struct preview *p)
{
	if (p == NULL)
		return;
	render_close(p->render);
	if (p->ttf)
		TTF_Quit();
	pthread_mutex_destroy(&p->mutex);
	free(p);
}

static int draw(struct preview *p, const struct board *b, int64_t now_ms, int width,
		int height, struct membuf *m)
{
	struct layout_input in;
	struct layout *l = NULL;
	SDL_Surface *surface = NULL;
	SDL_Renderer *ren = NULL;
	SDL_RWops *rw = NULL;
	int ret = -EIO;

	surface = SDL_CreateRGBSurfaceWithFormat(0, width, height, 32, SDL_PIXELFORMAT_RGB888);
	if (surface == NULL) {
		ret = -ENOMEM;
		goto out;
	}
	ren = SDL_CreateSoftwareRenderer(surface);
	if (ren == NULL) {
		log_error("preview: no software renderer: %s", SDL_GetError());
		goto out;
	}
	memset(&in, 0, sizeof(in));
	in.board = b;
	in.now_ms = now_ms;
	in.width = width;
	in.height = height;
	in.qr_modules = render_qr_modules(p->render, b->complaint_url);
	in.measure = render_measure;
	in.measure_ctx = p->render;
	ret = layout_build(&in, &l);
	if (ret < 0)
		goto out;
	ret = render_draw(p->render, ren, l);
	if (ret < 0)
		goto out;
	SDL_RenderPresent(ren);
	rw = SDL_AllocRW();
	if (rw == NULL) {
		ret = -ENOMEM;
		goto out;
	}
	rw->type = SDL_RWOPS_UNKNOWN;
	rw->size = mem_size;
	rw->seek = mem_seek;
	rw->write = mem_write;
	rw->close = mem_close;
	rw->hidden.unknown.data1 = m;
	/* IMG_SavePNG_RW closes rw (freeclose 1) */
	if (IMG_SavePNG_RW(surface, rw, 1) != 0 || m->failed) {
		log_error("preview: PNG encoding failed: %s", IMG_GetError());
		ret = m->failed ? -ENOMEM : -EIO;
		goto out;
	}
	ret = 0;
out:
	layout_free(l);
	if (ren != NULL)
		SDL_DestroyRenderer(ren);
	SDL_FreeSurface(surface);
	return ret;
}

int preview_png(struct preview *p, const char *board_json, int64_t now_ms, int width,
		int height, unsigned char **png, size_t *len)
{
	struct board *b = NULL;
	struct membuf m = {0};
	char err[256];
	int ret;

	*png = NULL;
	*len = 0;
	if (width < 320 || height < 240 || width > 4096 || height > 4096)
		return -EINVAL;
	ret = board_decode(board_json, strlen(board_json), &b, err, sizeof(err));
	if (ret < 0) {
		log_warn("preview: stored board does not decode: %s", err);
		return -EINVAL;
	}
	pthread_mutex_lock(&p->mutex);
	ret = draw(p, b, now_ms, width, height, &m);
	pthread_mutex_unlock(&p->mutex);
	board_free(b);
	if (ret < 0) {
		free(m.buf);
		return ret;
	}
	*png = m.buf;
	*len = m.len;
	return 0;
}
