/* SPDX-License-Identifier: MIT */
/*
 * siteboard-kiosk: the lobby screen of one block. Shows the cached board at
 * start, then whatever valid board the broker sends; redraws only when
 * something changed (new board, the clock's minute, a page turn, connection
 * state) and reports what it shows on its status topic.
 *
 * Threads: the MQTT thread (mqttc.c) only pushes SDL events; this main
 * thread owns the board, the cache and all drawing.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <SDL.h>
#include <SDL_image.h>
#include <SDL_ttf.h>

#include <siteboard/board.h>
#include <siteboard/config.h>
#include <siteboard/log.h>
#include <siteboard/sbtime.h>
#include <siteboard/sdnotify.h>
#include <siteboard/topic.h>

#include "src/cache.h"
#include <sbrender/layout.h>
#include "src/mqttc.h"
#include <sbrender/render.h>
#include "src/screencare.h"

#define PROG "siteboard-kiosk"
#define SCREENSHOT_TOTAL_MS 20000   /* give up without any board after this */
#define SCREENSHOT_AFTER_SUB_MS 2000 /* wait for a retained board after SUBACK */
#define SCREENSHOT_CONNECT_MS 3000  /* broker unreachable: fall back to the cache */
#define WINDOW_POLL_MS 250          /* pump window events at least this often */
#define PRESENT_FAILURES_MAX 5      /* then exit 1: systemd restarts us on the new screen */

struct opts {
	const char *config;
	const char *screenshot;
	const char *watch;
	int width, height;
	bool fullscreen;
	int page; /* --page: 0-based page for screenshots */
	bool have_now;
	int64_t now_ms;
};

struct kiosk {
	/* configuration (config_load fills these) */
	char *host;
	long port;
	char *username, *password, *cafile, *certfile, *keyfile;
	char *id, *site, *block, *cache_path;
	long stale_after, page_seconds;
	char *font, *font_bold, *log_level;
	char *display_off; /* "HH:MM-HH:MM" local time, or NULL */
	bool burn_in_shift;
	struct screencare_off off;

	struct opts o;
	int64_t clock_offset_ms; /* --now minus the real clock at start */
	int64_t start_ms;
	int64_t start_mono;

	struct cache *cache;
	struct render *render;
	struct mqttc *mqtt;
	uint32_t ev_type;
	int wake[2];

	struct board *board; /* the board on screen (NULL: waiting) */
	char *board_json;
	size_t board_len;
	bool board_from_broker;

	bool connected;
	bool ever_connected;
	bool subscribed;
	int64_t subscribed_mono;
	int64_t last_contact_ms; /* kiosk clock: last time connected */
	bool connect_failed;

	int page, n_pages;
	int64_t page_turn_mono;
	int64_t drawn_minute;
	bool drawn_stale;
	bool dirty;
	int64_t shown_at_ms; /* real clock, when the last frame was presented */
	int64_t reported_version;
	bool status_due;
	bool screen_off;         /* blanked by the display schedule */
	int shift_dx, shift_dy;  /* burn-in shift of the whole layout */
	int present_failures;    /* frames in a row the display refused */

	SDL_Window *win;
	SDL_Surface *surface;   /* headless target */
	SDL_Renderer *renderer; /* software renderer on the window surface or on surface */
	int width, height;
};

static volatile sig_atomic_t quit_signal;
static int signal_fd = -1;

static void on_signal(int sig)
{
	char b = 0;
	ssize_t w;

	(void)sig;
	quit_signal = 1;
	if (signal_fd >= 0) {
		w = write(signal_fd, &b, 1);
		(void)w;
	}
}

static int64_t kiosk_now(const struct kiosk *k)
{
	return sbtime_now_ms() + k->clock_offset_ms;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: " PROG " --config FILE [options]\n"
		"The lobby screen of a siteboard block.\n\n"
		"  --config FILE             INI configuration (required)\n"
		"  --screenshot FILE.png     render the first valid board (or the cached one) to\n"
		"                            FILE.png and exit\n"
		"  --watch-screenshot FILE.png\n"
		"                            run headless; rewrite FILE.png after every redraw\n"
		"  --width W --height H      screen size (default 1080x1920; a window's size wins)\n"
		"  --now RFC3339             pretend the clock says this (tests, previews)\n"
		"  --page N                  with --screenshot: draw page N (default 1; wraps)\n"
		"  --fullscreen              fill the display\n"
		"  --help, --version\n");
}

static int parse_int_arg(const char *s, int min, int max, int *out)
{
	char *end = NULL;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || !end || *end || end == s || v < min || v > max)
		return -EINVAL;
	*out = (int)v;
	return 0;
}

/* Returns 0 to run, 1 to exit 0 (help/version), -1 on a usage error (printed). */
static int parse_args(int argc, char **argv, struct opts *o)
{
	enum { OPT_SHOT = 256, OPT_WATCH, OPT_W, OPT_H, OPT_NOW, OPT_FULL, OPT_HELP, OPT_VER,
	       OPT_PAGE };
	static const struct option longopts[] = {
		{"config", required_argument, NULL, 'c'},
		{"screenshot", required_argument, NULL, OPT_SHOT},
		{"watch-screenshot", required_argument, NULL, OPT_WATCH},
		{"width", required_argument, NULL, OPT_W},
		{"height", required_argument, NULL, OPT_H},
		{"now", required_argument, NULL, OPT_NOW},
		{"fullscreen", no_argument, NULL, OPT_FULL},
		{"page", required_argument, NULL, OPT_PAGE},
		{"help", no_argument, NULL, OPT_HELP},
		{"version", no_argument, NULL, OPT_VER},
		{NULL, 0, NULL, 0},
	};
	int ch;

	o->width = 1080;
	o->height = 1920;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			o->config = optarg;
			break;
		case OPT_SHOT:
			o->screenshot = optarg;
			break;
		case OPT_WATCH:
			o->watch = optarg;
			break;
		case OPT_W:
			if (parse_int_arg(optarg, 320, 8192, &o->width) < 0) {
				fprintf(stderr, PROG ": --width must be 320..8192\n");
				return -1;
			}
			break;
		case OPT_H:
			if (parse_int_arg(optarg, 240, 8192, &o->height) < 0) {
				fprintf(stderr, PROG ": --height must be 240..8192\n");
				return -1;
			}
			break;
		case OPT_NOW:
			if (sbtime_parse(optarg, &o->now_ms) < 0) {
				fprintf(stderr, PROG ": --now: not an RFC 3339 time: %s\n", optarg);
				return -1;
			}
			o->have_now = true;
			break;
		case OPT_FULL:
			o->fullscreen = true;
			break;
		case OPT_PAGE:
			if (parse_int_arg(optarg, 1, 1000, &o->page) < 0) {
				fprintf(stderr, PROG ": --page must be 1..1000\n");
				return -1;
			}
			o->page--;
			break;
		case 'h':
		case OPT_HELP:
			usage(stdout);
			return 1;
		case OPT_VER:
			printf(PROG " " SITEBOARD_VERSION "\n");
			return 1;
		default:
			fprintf(stderr, PROG ": unknown or incomplete option '%s' (try --help)\n",
				argv[optind - 1]);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, PROG ": unexpected argument '%s' (try --help)\n", argv[optind]);
		return -1;
	}
	if (!o->config) {
		fprintf(stderr, PROG ": --config FILE is required (try --help)\n");
		return -1;
	}
	if (o->screenshot && o->watch) {
		fprintf(stderr, PROG ": --screenshot and --watch-screenshot exclude each other\n");
		return -1;
	}
	return 0;
}

static int load_config(struct kiosk *k)
{
	const struct config_key keys[] = {
		{"mqtt", "host", CONFIG_STRING, &k->host, false, 0, 0},
		{"mqtt", "port", CONFIG_INT, &k->port, false, 1, 65535},
		{"mqtt", "username", CONFIG_STRING, &k->username, false, 0, 0},
		{"mqtt", "password", CONFIG_STRING, &k->password, false, 0, 0},
		{"mqtt", "cafile", CONFIG_STRING, &k->cafile, false, 0, 0},
		{"mqtt", "certfile", CONFIG_STRING, &k->certfile, false, 0, 0},
		{"mqtt", "keyfile", CONFIG_STRING, &k->keyfile, false, 0, 0},
		{"kiosk", "id", CONFIG_STRING, &k->id, true, 0, 0},
		{"kiosk", "site", CONFIG_STRING, &k->site, true, 0, 0},
		{"kiosk", "block", CONFIG_STRING, &k->block, true, 0, 0},
		{"kiosk", "cache", CONFIG_STRING, &k->cache_path, true, 0, 0},
		{"kiosk", "stale_after", CONFIG_INT, &k->stale_after, false, 10, 7 * 86400},
		{"kiosk", "page_seconds", CONFIG_INT, &k->page_seconds, false, 3, 3600},
		{"kiosk", "font", CONFIG_STRING, &k->font, false, 0, 0},
		{"kiosk", "font_bold", CONFIG_STRING, &k->font_bold, false, 0, 0},
		{"kiosk", "log_level", CONFIG_STRING, &k->log_level, false, 0, 0},
		{"kiosk", "display_off", CONFIG_STRING, &k->display_off, false, 0, 0},
		{"kiosk", "burn_in_shift", CONFIG_BOOL, &k->burn_in_shift, false, 0, 0},
	};
	char err[512];
	enum log_level lvl;
	int rc;

	k->host = strdup("127.0.0.1");
	k->font = strdup("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
	k->font_bold = strdup("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf");
	k->log_level = strdup("info");
	k->port = 1883;
	k->stale_after = 600;
	k->page_seconds = 15;
	k->burn_in_shift = true;
	if (!k->host || !k->font || !k->font_bold || !k->log_level) {
		fprintf(stderr, PROG ": out of memory\n");
		return -ENOMEM;
	}
	rc = config_load(k->o.config, keys, sizeof(keys) / sizeof(keys[0]), err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, PROG ": %s\n", err);
		return rc;
	}
	if (!topic_id_valid(k->id) || !topic_id_valid(k->site) || !topic_id_valid(k->block)) {
		fprintf(stderr, PROG ": %s: [kiosk] id, site and block must match [a-z0-9-]{1,40}\n",
			k->o.config);
		return -EINVAL;
	}
	if (log_level_parse(k->log_level, &lvl) < 0) {
		fprintf(stderr, PROG ": %s: [kiosk] log_level must be error, warn, info or debug\n",
			k->o.config);
		return -EINVAL;
	}
	if (screencare_parse_off(k->display_off, &k->off) < 0) {
		fprintf(stderr, PROG ": %s: [kiosk] display_off must be HH:MM-HH:MM (e.g. 23:00-06:00)\n",
			k->o.config);
		return -EINVAL;
	}
	if ((k->certfile == NULL) != (k->keyfile == NULL) ||
	    (k->certfile != NULL && k->cafile == NULL)) {
		fprintf(stderr, PROG ": %s: [mqtt] certfile and keyfile go together, with cafile\n",
			k->o.config);
		return -EINVAL;
	}
	log_set_level(lvl);
	return 0;
}

static void free_config(struct kiosk *k)
{
	char **s[] = {&k->host, &k->username, &k->password, &k->cafile, &k->certfile,
		      &k->keyfile, &k->id, &k->site,
		      &k->block, &k->cache_path, &k->font, &k->font_bold, &k->log_level,
		      &k->display_off};

	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		free(*s[i]);
		*s[i] = NULL;
	}
}

static void set_timezone(const struct board *b)
{
	if (!b || !b->timezone)
		return;
	setenv("TZ", b->timezone, 1);
	tzset();
}

/*
 * Decode, check and adopt a board. from_broker: also write it to the cache.
 * Returns 0 if adopted, -EINVAL if rejected (logged), -EALREADY if identical
 * to the one shown.
 */
static int adopt_board(struct kiosk *k, const char *json, size_t len, bool from_broker)
{
	struct board *b = NULL;
	char err[256] = "";
	char *copy = NULL;
	int rc;

	if (k->board && len == k->board_len && memcmp(json, k->board_json, len) == 0) {
		k->board_from_broker |= from_broker;
		return -EALREADY;
	}
	rc = board_decode(json, len, &b, err, sizeof(err));
	if (rc < 0) {
		log_warn("board rejected: %s", err[0] ? err : strerror(-rc));
		return -EINVAL;
	}
	if (strcmp(b->site_id, k->site) != 0 || strcmp(b->block_id, k->block) != 0) {
		log_warn("board for %s/%s rejected: this kiosk shows %s/%s", b->site_id, b->block_id,
			 k->site, k->block);
		board_free(b);
		return -EINVAL;
	}
	copy = malloc(len + 1);
	if (!copy) {
		board_free(b);
		return -ENOMEM;
	}
	memcpy(copy, json, len);
	copy[len] = '\0';
	if (from_broker && k->cache &&
	    cache_put(k->cache, k->site, k->block, b->version, kiosk_now(k), json, len) < 0)
		log_warn("board version %" PRId64 " not cached", b->version);
	log_info("board version %" PRId64 " %s", b->version,
		 from_broker ? "received" : "loaded from the cache");
	board_free(k->board);
	free(k->board_json);
	k->board = b;
	k->board_json = copy;
	k->board_len = len;
	k->board_from_broker = from_broker;
	k->page = 0;
	k->page_turn_mono = sbtime_mono_ms();
	set_timezone(b);
	k->dirty = true;
	return 0;
}

static int open_cache(struct kiosk *k)
{
	int rc = cache_open(k->cache_path, &k->cache);

	if (rc == -EIO) {
		/* a corrupt cache must not keep the screen dark: move it aside */
		char aside[4096];

		snprintf(aside, sizeof(aside), "%s.corrupt", k->cache_path);
		log_warn("cache %s unusable: moved to %s, starting empty", k->cache_path, aside);
		if (rename(k->cache_path, aside) == 0)
			rc = cache_open(k->cache_path, &k->cache);
	}
	if (rc < 0) {
		log_error("running without a cache (%s)", strerror(-rc));
		k->cache = NULL;
	}
	return rc;
}

static void load_cached(struct kiosk *k)
{
	char *json = NULL;
	size_t len = 0;
	int64_t received = 0;

	if (!k->cache)
		return;
	if (cache_get(k->cache, k->site, k->block, &json, &len, NULL, &received) == 0) {
		if (adopt_board(k, json, len, false) == 0)
			k->last_contact_ms = received;
	}
	free(json);
}

static bool is_stale(const struct kiosk *k, int64_t now, int64_t *since)
{
	int64_t ref;

	if (k->connected)
		return false;
	ref = k->ever_connected ? k->last_contact_ms : k->start_ms;
	*since = k->last_contact_ms ? k->last_contact_ms : k->start_ms;
	return now - ref >= k->stale_after * 1000;
}

static int ensure_target(struct kiosk *k)
{
	if (k->win) {
		SDL_Surface *s = SDL_GetWindowSurface(k->win);

		if (!s) {
			log_error("no window surface: %s", SDL_GetError());
			return -EIO;
		}
		if (s != k->surface || !k->renderer) {
			if (k->renderer)
				SDL_DestroyRenderer(k->renderer);
			k->surface = s;
			k->width = s->w;
			k->height = s->h;
			k->renderer = SDL_CreateSoftwareRenderer(s);
		}
	} else if (!k->surface) {
		k->surface = SDL_CreateRGBSurfaceWithFormat(0, k->width, k->height, 32,
							    SDL_PIXELFORMAT_RGB888);
		if (!k->surface) {
			log_error("cannot create a %dx%d surface: %s", k->width, k->height,
				  SDL_GetError());
			return -ENOMEM;
		}
		k->renderer = SDL_CreateSoftwareRenderer(k->surface);
	}
	if (!k->renderer) {
		log_error("cannot create the software renderer: %s", SDL_GetError());
		return -EIO;
	}
	return 0;
}

static int save_png(struct kiosk *k, const char *path)
{
	char tmp[4096];

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (IMG_SavePNG(k->surface, tmp) != 0) {
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

static void format_ms_utc(int64_t ms, char *buf, size_t n)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ms % 1000));
}

static void publish_status(struct kiosk *k)
{
	char shown[64], payload[320];
	int64_t v = k->board ? k->board->version : 0;

	if (!k->mqtt || !k->connected)
		return;
	format_ms_utc(k->shown_at_ms, shown, sizeof(shown));
	snprintf(payload, sizeof(payload),
		 "{\"state\":\"online\",\"version\":\"" SITEBOARD_VERSION
		 "\",\"board_version\":%" PRId64 ",\"shown_at\":\"%s\",\"display\":\"%s\"}",
		 v, shown, k->screen_off ? "off-by-schedule" : "on");
	if (mqttc_publish_status(k->mqtt, payload) == 0) {
		k->reported_version = v;
		k->status_due = false;
		log_debug("status: %s", payload);
	}
}

/* Show the frame in the window; count failures in a row (a screen unplugged). */
static void present(struct kiosk *k)
{
	if (!k->win)
		return;
	if (SDL_UpdateWindowSurface(k->win) != 0) {
		log_warn("cannot update the window: %s", SDL_GetError());
		k->present_failures++;
	} else {
		k->present_failures = 0;
	}
}

/* Off by schedule: one black frame, nothing else drawn. */
static int blank(struct kiosk *k)
{
	int rc = 0;

	SDL_SetRenderDrawColor(k->renderer, 0, 0, 0, 255);
	SDL_RenderClear(k->renderer);
	SDL_RenderPresent(k->renderer);
	present(k);
	if (k->o.watch)
		rc = save_png(k, k->o.watch);
	k->drawn_minute = kiosk_now(k) / 60000;
	k->dirty = false;
	if (k->board && k->board->version != k->reported_version)
		k->status_due = true;
	if (k->status_due)
		publish_status(k);
	return rc;
}

/*
 * Burn-in protection: move everything but the full-screen background by the
 * current shift. The edge it uncovers is painted black first.
 */
static void shift_layout(struct kiosk *k, struct layout *l)
{
	if (k->shift_dx == 0 && k->shift_dy == 0)
		return;
	SDL_SetRenderDrawColor(k->renderer, 0, 0, 0, 255);
	SDL_RenderClear(k->renderer);
	for (size_t i = 0; i < l->n_ops; i++) {
		struct layout_op *op = &l->ops[i];

		if (op->kind == LAYOUT_OP_RECT && op->x == 0 && op->y == 0 &&
		    op->w >= k->width && op->h >= k->height)
			continue;
		op->x += k->shift_dx;
		op->y += k->shift_dy;
	}
}

static int redraw(struct kiosk *k)
{
	struct layout_input in;
	struct layout *l = NULL;
	int64_t now = kiosk_now(k), since = 0;
	int rc;

	rc = ensure_target(k);
	if (rc < 0)
		return rc;
	if (k->screen_off)
		return blank(k);
	memset(&in, 0, sizeof(in));
	in.board = k->board;
	in.now_ms = now;
	in.stale = !k->o.screenshot && is_stale(k, now, &since);
	in.stale_since_ms = since;
	in.width = k->width;
	in.height = k->height;
	in.page = k->page;
	in.qr_modules = k->board ? render_qr_modules(k->render, k->board->complaint_url) : 0;
	in.measure = render_measure;
	in.measure_ctx = k->render;
	rc = layout_build(&in, &l);
	if (rc < 0) {
		log_error("layout failed: %s", strerror(-rc));
		return rc;
	}
	shift_layout(k, l);
	rc = render_draw(k->render, k->renderer, l);
	if (rc == 0) {
		SDL_RenderPresent(k->renderer);
		present(k);
		if (k->o.watch)
			rc = save_png(k, k->o.watch);
	}
	k->shown_at_ms = sbtime_now_ms();
	k->n_pages = l->n_pages;
	k->page = l->page;
	k->drawn_minute = now / 60000;
	k->drawn_stale = in.stale;
	k->dirty = false;
	layout_free(l);
	if (k->board && k->board->version != k->reported_version)
		k->status_due = true;
	if (k->status_due)
		publish_status(k);
	return rc;
}

static void handle_mqtt_event(struct kiosk *k, const SDL_Event *ev)
{
	switch (ev->user.code) {
	case MQTTC_EV_CONNECTED:
		k->connected = true;
		k->ever_connected = true;
		k->last_contact_ms = kiosk_now(k);
		k->status_due = true;
		if (k->drawn_stale)
			k->dirty = true;
		else
			publish_status(k);
		break;
	case MQTTC_EV_DISCONNECTED:
		if (k->connected)
			k->last_contact_ms = kiosk_now(k);
		k->connected = false;
		k->subscribed = false;
		k->connect_failed = true;
		break;
	case MQTTC_EV_SUBSCRIBED:
		k->subscribed = true;
		k->subscribed_mono = sbtime_mono_ms();
		break;
	case MQTTC_EV_MESSAGE: {
		struct mqttc_msg *m = ev->user.data1;

		if (k->connected)
			k->last_contact_ms = kiosk_now(k);
		if (m)
			adopt_board(k, m->data, m->len, true);
		free(m);
		break;
	}
	default:
		break;
	}
}

/* Drain the SDL queue. Returns true when asked to quit. */
static bool drain_events(struct kiosk *k)
{
	SDL_Event ev;
	bool quit = false;

	while (SDL_PollEvent(&ev)) {
		if (ev.type == SDL_QUIT) {
			quit = true;
		} else if (ev.type == k->ev_type) {
			handle_mqtt_event(k, &ev);
		} else if (ev.type == SDL_WINDOWEVENT &&
			   (ev.window.event == SDL_WINDOWEVENT_SIZE_CHANGED ||
			    ev.window.event == SDL_WINDOWEVENT_EXPOSED)) {
			k->dirty = true;
		} else if (ev.type == SDL_KEYDOWN && ev.key.keysym.sym == SDLK_ESCAPE &&
			   !k->o.fullscreen) {
			quit = true;
		}
	}
	return quit || quit_signal;
}

/* Sleep until the wake pipe has data or timeout_ms passes. */
static void wait_wake(struct kiosk *k, int64_t timeout_ms)
{
	struct pollfd p = {.fd = k->wake[0], .events = POLLIN};
	char buf[64];

	if (timeout_ms < 0)
		timeout_ms = 0;
	if (SDL_HasEvents(SDL_FIRSTEVENT, SDL_LASTEVENT))
		timeout_ms = 0;
	if (poll(&p, 1, (int)timeout_ms) > 0)
		while (read(k->wake[0], buf, sizeof(buf)) > 0)
			;
	if (k->win)
		SDL_PumpEvents();
}

static int64_t min64(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

/*
 * The display schedule and the burn-in shift, checked every loop (the loop
 * wakes at least every minute). Blanking lets the OS screensaver/DPMS act
 * where the video driver supports it (X11, Wayland; not KMSDRM in SDL 2.26).
 */
static void screen_care(struct kiosk *k, int64_t now, int64_t mono)
{
	bool off = screencare_is_off(&k->off, now);
	int dx = 0, dy = 0;

	if (off != k->screen_off) {
		log_info("display %s by schedule", off ? "off" : "on");
		k->screen_off = off;
		k->dirty = true;
		k->status_due = true;
		if (off)
			SDL_EnableScreenSaver();
		else
			SDL_DisableScreenSaver();
	}
	if (k->burn_in_shift)
		screencare_shift(mono - k->start_mono, &dx, &dy);
	if (dx != k->shift_dx || dy != k->shift_dy) {
		k->shift_dx = dx;
		k->shift_dy = dy;
		k->dirty = true;
	}
}

/* The kiosk proper: runs until SIGTERM/SIGINT/SDL_QUIT. A failed frame is
 * logged and retried at the next change, never fatal. */
static int run_screen(struct kiosk *k)
{
	int64_t watchdog_ms = sdnotify_watchdog_ms(), last_pet = 0;

	sdnotify_send("READY=1");
	for (;;) {
		int64_t now, mono, timeout, since = 0;
		bool stale;

		if (drain_events(k))
			break;
		now = kiosk_now(k);
		mono = sbtime_mono_ms();
		/* systemd's watchdog (WatchdogSec): this loop is alive */
		if (watchdog_ms > 0 && mono - last_pet >= watchdog_ms) {
			sdnotify_send("WATCHDOG=1");
			last_pet = mono;
		}
		screen_care(k, now, mono);
		if (k->n_pages > 1 && mono - k->page_turn_mono >= k->page_seconds * 1000) {
			k->page = (k->page + 1) % k->n_pages;
			k->page_turn_mono = mono;
			k->dirty = true;
		}
		if (now / 60000 != k->drawn_minute)
			k->dirty = true;
		stale = is_stale(k, now, &since);
		if (stale != k->drawn_stale)
			k->dirty = true;
		if (k->dirty)
			redraw(k);
		else if (k->status_due)
			publish_status(k);
		if (k->present_failures >= PRESENT_FAILURES_MAX) {
			log_error("the display refused %d frames in a row (unplugged?): exiting so"
				  " that the service restarts on the screen there is now",
				  k->present_failures);
			return -EIO;
		}

		now = kiosk_now(k);
		mono = sbtime_mono_ms();
		timeout = (now / 60000 + 1) * 60000 - now;
		if (k->n_pages > 1)
			timeout = min64(timeout, k->page_turn_mono + k->page_seconds * 1000 - mono);
		if (!k->connected && !stale) {
			int64_t ref = k->ever_connected ? k->last_contact_ms : k->start_ms;

			timeout = min64(timeout, ref + k->stale_after * 1000 - now);
		}
		if (k->win)
			timeout = min64(timeout, WINDOW_POLL_MS);
		if (watchdog_ms > 0)
			timeout = min64(timeout, last_pet + watchdog_ms - mono);
		if (k->burn_in_shift)
			timeout = min64(timeout, SCREENCARE_SHIFT_PERIOD_MS -
							 (mono - k->start_mono) %
								 SCREENCARE_SHIFT_PERIOD_MS);
		wait_wake(k, timeout + 1);
	}
	sdnotify_send("STOPPING=1");
	return 0;
}

static int run_screenshot(struct kiosk *k)
{
	int64_t start = sbtime_mono_ms();
	bool have_cached = k->board != NULL;
	bool use = false;

	for (;;) {
		int64_t mono, timeout = SCREENSHOT_TOTAL_MS;

		if (drain_events(k))
			return -EINTR;
		mono = sbtime_mono_ms();
		if (k->board && k->board_from_broker)
			use = true;
		else if (have_cached && k->subscribed &&
			 mono - k->subscribed_mono >= SCREENSHOT_AFTER_SUB_MS)
			use = true;
		else if (have_cached && !k->connected &&
			 (k->connect_failed || mono - start >= SCREENSHOT_CONNECT_MS))
			use = true;
		else if (mono - start >= SCREENSHOT_TOTAL_MS)
			break;
		if (use)
			break;
		timeout = start + SCREENSHOT_TOTAL_MS - mono;
		if (k->subscribed)
			timeout = min64(timeout, k->subscribed_mono + SCREENSHOT_AFTER_SUB_MS - mono);
		if (!k->connected)
			timeout = min64(timeout, start + SCREENSHOT_CONNECT_MS - mono);
		wait_wake(k, timeout + 1);
	}
	if (!k->board) {
		fprintf(stderr, PROG ": no board received within 20 s and none cached\n");
		return -ENOENT;
	}
	k->page = k->o.page;
	if (redraw(k) < 0)
		return -EIO;
	if (save_png(k, k->o.screenshot) < 0)
		return -EIO;
	log_info("screenshot of board version %" PRId64 " written to %s", k->board->version,
		 k->o.screenshot);
	return 0;
}

static int start_mqtt(struct kiosk *k)
{
	char board_topic[TOPIC_MAX], status_topic[TOPIC_MAX], client_id[128];
	struct mqttc_config mc;
	bool with_status = !k->o.screenshot;

	if (topic_board(board_topic, sizeof(board_topic), k->site, k->block) < 0 ||
	    topic_kiosk_status(status_topic, sizeof(status_topic), k->site, k->block, k->id) < 0)
		return -EINVAL;
	snprintf(client_id, sizeof(client_id), "siteboard-kiosk-%s%s", k->id,
		 with_status ? "" : "-shot");
	memset(&mc, 0, sizeof(mc));
	mc.host = k->host;
	mc.port = (int)k->port;
	mc.username = k->username;
	mc.password = k->password;
	mc.cafile = k->cafile;
	mc.certfile = k->certfile;
	mc.keyfile = k->keyfile;
	mc.client_id = client_id;
	mc.board_topic = board_topic;
	mc.status_topic = with_status ? status_topic : NULL;
	mc.event_type = k->ev_type;
	mc.wake_fd = k->wake[1];
	return mqttc_open(&mc, &k->mqtt);
}

static int init_sdl(struct kiosk *k)
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
	k->ev_type = SDL_RegisterEvents(1);
	if (k->ev_type == (uint32_t)-1) {
		log_error("no SDL user event available");
		return -EIO;
	}
	k->width = k->o.width;
	k->height = k->o.height;
	if (!headless) {
		Uint32 flags = k->o.fullscreen ? SDL_WINDOW_FULLSCREEN_DESKTOP : SDL_WINDOW_RESIZABLE;

		k->win = SDL_CreateWindow("siteboard", SDL_WINDOWPOS_CENTERED,
					  SDL_WINDOWPOS_CENTERED, k->width, k->height, flags);
		if (!k->win) {
			log_error("cannot open a window: %s", SDL_GetError());
			return -EIO;
		}
		if (k->o.fullscreen)
			SDL_ShowCursor(SDL_DISABLE);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct kiosk k;
	struct sigaction sa;
	int rc, status = 1;

	memset(&k, 0, sizeof(k));
	k.wake[0] = k.wake[1] = -1;
	k.reported_version = -1;
	log_init(PROG);
	rc = parse_args(argc, argv, &k.o);
	if (rc != 0)
		return rc > 0 ? 0 : 2;
	if (load_config(&k) < 0)
		goto out;
	if (k.o.have_now)
		k.clock_offset_ms = k.o.now_ms - sbtime_now_ms();
	k.start_ms = kiosk_now(&k);
	k.start_mono = sbtime_mono_ms();

	if (pipe(k.wake) != 0) {
		log_error("pipe: %s", strerror(errno));
		goto out;
	}
	fcntl(k.wake[0], F_SETFL, O_NONBLOCK);
	fcntl(k.wake[1], F_SETFL, O_NONBLOCK);
	fcntl(k.wake[0], F_SETFD, FD_CLOEXEC);
	fcntl(k.wake[1], F_SETFD, FD_CLOEXEC);
	signal_fd = k.wake[1];
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (init_sdl(&k) < 0)
		goto out;
	if (render_open(k.font, k.font_bold, &k.render) < 0) {
		fprintf(stderr, PROG ": cannot open fonts %s / %s\n", k.font, k.font_bold);
		goto out;
	}
	open_cache(&k);
	load_cached(&k);
	if (!k.o.screenshot && redraw(&k) < 0 && !k.win)
		log_warn("first frame failed");
	if (start_mqtt(&k) < 0) {
		fprintf(stderr, PROG ": cannot start the MQTT client\n");
		goto out;
	}
	if (k.o.screenshot)
		rc = run_screenshot(&k);
	else
		rc = run_screen(&k);
	status = rc == 0 || rc == -EINTR ? 0 : 1;
	if (rc == -EINTR && k.o.screenshot)
		status = 1;
	log_info("exiting");
out:
	mqttc_close(k.mqtt, k.o.screenshot ? NULL : "{\"state\":\"offline\"}");
	cache_close(k.cache);
	render_close(k.render);
	board_free(k.board);
	free(k.board_json);
	if (k.renderer)
		SDL_DestroyRenderer(k.renderer);
	if (!k.win && k.surface)
		SDL_FreeSurface(k.surface);
	if (k.win)
		SDL_DestroyWindow(k.win);
	if (TTF_WasInit())
		TTF_Quit();
	SDL_Quit();
	signal_fd = -1;
	if (k.wake[0] >= 0)
		close(k.wake[0]);
	if (k.wake[1] >= 0)
		close(k.wake[1]);
	free_config(&k);
	return status;
}
