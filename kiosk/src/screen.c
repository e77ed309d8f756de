/* SPDX-License-Identifier: MIT */
/*
 * The kiosk's screen (see kiosk.h): the SDL target, one frame drawn through
 * sbrender (or a black one when off by schedule), the PNG of
 * --watch-screenshot and --screenshot, and the status published after a frame.
 * Not for: deciding when to redraw (loop.c). Threads: main thread only.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <SDL_image.h>
#include <SDL_ttf.h>

#include <sbrender/layout.h>
#include <siteboard/log.h>
#include <siteboard/sbtime.h>

#include "kiosk.h"
#include "status.h"

int screen_init(struct kiosk *k)
{
	bool headless = k->o.screenshot || k->o.watch;

	SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
	SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
	SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
	if (SDL_Init(headless ? SDL_INIT_EVENTS : SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
		log_error("cannot start SDL: %s", SDL_GetError());
		return -EIO;
	}
	if (TTF_Init() != 0) {
		log_error("cannot start SDL_ttf: %s", TTF_GetError());
		return -EIO;
	}
	k->link.ev_type = SDL_RegisterEvents(1);
	if (k->link.ev_type == (uint32_t)-1) {
		log_error("no SDL user event available");
		return -EIO;
	}
	k->t.width = k->o.width;
	k->t.height = k->o.height;
	if (!headless) {
		Uint32 flags = k->o.fullscreen ? SDL_WINDOW_FULLSCREEN_DESKTOP : SDL_WINDOW_RESIZABLE;

		k->t.win = SDL_CreateWindow("siteboard", SDL_WINDOWPOS_CENTERED,
					    SDL_WINDOWPOS_CENTERED, k->t.width, k->t.height, flags);
		if (!k->t.win) {
			log_error("cannot open a window: %s", SDL_GetError());
			return -EIO;
		}
		if (k->o.fullscreen)
			SDL_ShowCursor(SDL_DISABLE);
	}
	if (render_open(k->cfg.font, k->cfg.font_bold, &k->t.render) < 0) {
		fprintf(stderr, PROG ": cannot open fonts %s / %s\n", k->cfg.font, k->cfg.font_bold);
		return -EIO;
	}
	return 0;
}

void screen_close(struct kiosk *k)
{
	render_close(k->t.render);
	k->t.render = NULL;
	if (k->t.renderer)
		SDL_DestroyRenderer(k->t.renderer);
	if (!k->t.win && k->t.surface)
		SDL_FreeSurface(k->t.surface);
	if (k->t.win)
		SDL_DestroyWindow(k->t.win);
	k->t.renderer = NULL;
	k->t.surface = NULL;
	k->t.win = NULL;
	if (TTF_WasInit())
		TTF_Quit();
	SDL_Quit();
}

bool screen_is_stale(const struct kiosk *k, int64_t now, int64_t *since)
{
	int64_t ref;

	if (k->link.connected)
		return false;
	ref = k->link.ever_connected ? k->link.last_contact_ms : k->start_ms;
	*since = k->link.last_contact_ms ? k->link.last_contact_ms : k->start_ms;
	return now - ref >= k->cfg.stale_after * 1000;
}

static int ensure_target(struct kiosk_target *t)
{
	if (t->win) {
		SDL_Surface *s = SDL_GetWindowSurface(t->win);

		if (!s) {
			log_error("no window surface: %s", SDL_GetError());
			return -EIO;
		}
		if (s != t->surface || !t->renderer) {
			if (t->renderer)
				SDL_DestroyRenderer(t->renderer);
			t->surface = s;
			t->width = s->w;
			t->height = s->h;
			t->renderer = SDL_CreateSoftwareRenderer(s);
		}
	} else if (!t->surface) {
		t->surface = SDL_CreateRGBSurfaceWithFormat(0, t->width, t->height, 32,
							    SDL_PIXELFORMAT_RGB888);
		if (!t->surface) {
			log_error("cannot create a %dx%d surface: %s", t->width, t->height,
				  SDL_GetError());
			return -ENOMEM;
		}
		t->renderer = SDL_CreateSoftwareRenderer(t->surface);
	}
	if (!t->renderer) {
		log_error("cannot create the software renderer: %s", SDL_GetError());
		return -EIO;
	}
	return 0;
}

int screen_save_png(struct kiosk *k, const char *path)
{
	char tmp[4096];

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (IMG_SavePNG(k->t.surface, tmp) != 0) {
		log_error("cannot write %s: %s", tmp, IMG_GetError());
		return -EIO;
	}
	if (rename(tmp, path) != 0) {
		log_error("cannot rename %s to %s: %s", tmp, path, strerror(errno));
		unlink(tmp);
		return -EIO;
	}
	return 0;
}

void screen_publish_status(struct kiosk *k)
{
	char payload[STATUS_BUFSZ];
	int64_t v = k->kb.board ? k->kb.board->version : 0;

	if (!k->link.mqtt || !k->link.connected)
		return;
	if (status_format(v, k->view.shown_at_ms, k->view.screen_off, payload,
			  sizeof(payload)) < 0)
		return;
	if (mqttc_publish_status(k->link.mqtt, payload) == 0) {
		k->view.reported_version = v;
		k->view.status_due = false;
		log_debug("status: %s", payload);
	}
}

/* Show the frame in the window; count failures in a row (a screen unplugged). */
static void present(struct kiosk *k)
{
	if (!k->t.win)
		return;
	if (SDL_UpdateWindowSurface(k->t.win) != 0) {
		log_warn("cannot update the window: %s", SDL_GetError());
		k->view.present_failures++;
	} else {
		k->view.present_failures = 0;
	}
}

/* After a frame: the watch PNG, the bookkeeping, the status when due. */
static int frame_done(struct kiosk *k, int64_t now)
{
	int rc = 0;

	SDL_RenderPresent(k->t.renderer);
	present(k);
	if (k->o.watch)
		rc = screen_save_png(k, k->o.watch);
	k->view.drawn_minute = now / 60000;
	k->view.dirty = false;
	if (k->kb.board && k->kb.board->version != k->view.reported_version)
		k->view.status_due = true;
	return rc;
}

/*
 * Burn-in protection: move everything but the full-screen background by the
 * current shift. The edge it uncovers is painted black first.
 */
static void shift_layout(struct kiosk *k, struct layout *l)
{
	if (k->view.shift_dx == 0 && k->view.shift_dy == 0)
		return;
	SDL_SetRenderDrawColor(k->t.renderer, 0, 0, 0, 255);
	SDL_RenderClear(k->t.renderer);
	for (size_t i = 0; i < l->n_ops; i++) {
		struct layout_op *op = &l->ops[i];

		if (op->kind == LAYOUT_OP_RECT && op->x == 0 && op->y == 0 &&
		    op->w >= k->t.width && op->h >= k->t.height)
			continue;
		op->x += k->view.shift_dx;
		op->y += k->view.shift_dy;
	}
}

static int draw_board(struct kiosk *k, int64_t now)
{
	struct layout_input in;
	struct layout *l = NULL;
	int64_t since = 0;
	int rc;

	memset(&in, 0, sizeof(in));
	in.board = k->kb.board;
	in.now_ms = now;
	in.stale = !k->o.screenshot && screen_is_stale(k, now, &since);
	in.stale_since_ms = since;
	in.width = k->t.width;
	in.height = k->t.height;
	in.page = k->view.page;
	in.qr_modules = k->kb.board ? render_qr_modules(k->t.render, k->kb.board->complaint_url)
				    : 0;
	in.measure = render_measure;
	in.measure_ctx = k->t.render;
	rc = layout_build(&in, &l);
	if (rc < 0) {
		log_error("layout failed: %s", strerror(-rc));
		return rc;
	}
	shift_layout(k, l);
	rc = render_draw(k->t.render, k->t.renderer, l);
	if (rc == 0)
		rc = frame_done(k, now);
	k->view.shown_at_ms = sbtime_now_ms();
	k->view.n_pages = l->n_pages;
	k->view.page = l->page;
	k->view.drawn_minute = now / 60000;
	k->view.drawn_stale = in.stale;
	k->view.dirty = false;
	layout_free(l);
	return rc;
}

int screen_redraw(struct kiosk *k)
{
	int64_t now = kiosk_now(k);
	int rc;

	rc = ensure_target(&k->t);
	if (rc < 0)
		return rc;
	if (k->view.screen_off) {
		/* off by schedule: one black frame, nothing else drawn */
		SDL_SetRenderDrawColor(k->t.renderer, 0, 0, 0, 255);
		SDL_RenderClear(k->t.renderer);
		rc = frame_done(k, now);
	} else {
		rc = draw_board(k, now);
	}
	if (k->kb.board && k->kb.board->version != k->view.reported_version)
		k->view.status_due = true;
	if (k->view.status_due)
		screen_publish_status(k);
	return rc;
}
