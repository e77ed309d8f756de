/* SPDX-License-Identifier: MIT */
/*
 * The running kiosk's state, shared by its modules: the screen (screen.c:
 * the SDL target, drawing a frame, the status it reports), the loop (loop.c:
 * events, the redraw schedule, the display schedule, the MQTT client's
 * lifetime) and main.c (options, start-up, teardown). Configuration is
 * kconfig.h, the board and its cache kboard.h, the time zone tzone.h.
 * Threads: main thread only; the MQTT thread only pushes SDL events and
 * writes the wake pipe.
 */
#ifndef SITEBOARD_KIOSK_KIOSK_H
#define SITEBOARD_KIOSK_KIOSK_H

#include <stdbool.h>
#include <signal.h>
#include <stdint.h>

#include <SDL.h>

#include <sbrender/render.h>

#include "kboard.h"
#include "kconfig.h"
#include "mqttc.h"

#define PROG "siteboard-kiosk"

struct kiosk_opts {
	const char *config;
	const char *screenshot;
	const char *watch;
	int width, height;
	bool fullscreen;
	int page; /* --page: 0-based page for screenshots */
	bool have_now;
	int64_t now_ms;
};

/* The connection as the loop last heard of it. */
struct kiosk_link {
	struct mqttc *mqtt; /* owned */
	uint32_t ev_type;   /* SDL user event of the MQTT client */
	int wake[2];        /* the MQTT thread and signals write wake[1] */
	bool connected, ever_connected, subscribed, connect_failed;
	int64_t subscribed_mono;
	int64_t last_contact_ms; /* kiosk clock: last time connected */
};

/* What is on screen and when it changes next. */
struct kiosk_view {
	int page, n_pages;
	int64_t page_turn_mono;
	int64_t drawn_minute;
	bool drawn_stale;
	bool dirty;
	int64_t shown_at_ms; /* real clock, when the last frame was presented */
	int64_t reported_version;
	bool status_due;
	bool screen_off;        /* blanked by the display schedule */
	int shift_dx, shift_dy; /* burn-in shift of the whole layout */
	int present_failures;   /* frames in a row the display refused */
};

/* Where frames go: a window, or a surface when headless. */
struct kiosk_target {
	SDL_Window *win;
	SDL_Surface *surface;   /* the window's, or owned when headless */
	SDL_Renderer *renderer; /* software renderer on surface */
	int width, height;
	struct render *render; /* owned: fonts and QR cache */
};

struct kiosk {
	struct kconfig cfg;
	struct kiosk_opts o;
	int64_t clock_offset_ms; /* --now minus the real clock at start */
	int64_t start_ms;
	int64_t start_mono;
	struct kboard kb;
	struct kiosk_link link;
	struct kiosk_view view;
	struct kiosk_target t;
};

/* The kiosk's clock (the real one, or --now's). */
int64_t kiosk_now(const struct kiosk *k);

/*
 * screen.c. screen_init: SDL, SDL_ttf, the MQTT event type, the window
 * (unless headless) and the fonts; errors logged.
 * @retval 0, -EIO
 */
int screen_init(struct kiosk *k);
/* Free what screen_init made (safe after a failed init). */
void screen_close(struct kiosk *k);
/*
 * Lay out and draw a frame (or the black one when off by schedule), show it,
 * rewrite --watch-screenshot's PNG, publish the status when due. Errors logged.
 * @retval 0, -EIO, -ENOMEM
 */
int screen_redraw(struct kiosk *k);
/* Write the current frame to path (through path.tmp). @retval 0, -EIO (logged) */
int screen_save_png(struct kiosk *k, const char *path);
/* Publish the online status if connected; clears status_due on success. */
void screen_publish_status(struct kiosk *k);
/* Whether the board is stale at now (not connected for stale_after); *since: from when. */
bool screen_is_stale(const struct kiosk *k, int64_t now, int64_t *since);

/*
 * loop.c. loop_start_mqtt: start the MQTT client on the block's topics.
 * @retval 0, or mqttc_open's errors
 */
int loop_start_mqtt(struct kiosk *k);
/* The kiosk proper, until SIGTERM/SIGINT/SDL_QUIT. @retval 0, -EIO (exit 1) */
int loop_run_screen(struct kiosk *k);
/* --screenshot: wait for a board, draw it, write the PNG. @retval 0, -EINTR, -ENOENT, -EIO */
int loop_run_screenshot(struct kiosk *k);
/* Drop (and free) the MQTT events still queued, once the client is stopped. */
void loop_drop_mqtt_events(struct kiosk *k);
extern volatile sig_atomic_t loop_quit_signal;

#endif
