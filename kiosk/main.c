/* SPDX-License-Identifier: MIT */
/*
 * siteboard-kiosk: the lobby screen of one block. Shows the cached board at
 * start, then whatever valid board the broker sends; redraws only when
 * something changed (new board, the clock's minute, a page turn, connection
 * state) and reports what it shows on its status topic.
 *
 * This file: options, start-up order and teardown. The modules are in src/:
 * kconfig (the INI), kboard (board adoption and cache), status (what is
 * published), screen (drawing through sbrender), loop (events and
 * schedules), tzone (TZ, set only while single-threaded).
 *
 * Threads: the MQTT thread (mqttc.c) only pushes SDL events; this main
 * thread owns the board, the cache and all drawing. TZ is set from the
 * cached board before the MQTT thread starts.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <siteboard/log.h>
#include <siteboard/sbtime.h>

#include "src/kiosk.h"
#include "src/status.h"
#include "src/tzone.h"

static int signal_fd = -1;

static void on_signal(int sig)
{
	char b = 0;
	ssize_t w;

	(void)sig;
	loop_quit_signal = 1;
	if (signal_fd >= 0) {
		w = write(signal_fd, &b, 1);
		(void)w;
	}
}

int64_t kiosk_now(const struct kiosk *k)
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
static int parse_args(int argc, char **argv, struct kiosk_opts *o)
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

/* The wake pipe (non-blocking, close-on-exec) and the signal handlers. */
static int init_wake(struct kiosk *k)
{
	struct sigaction sa;

	if (pipe(k->link.wake) != 0) {
		log_error("pipe: %s", strerror(errno));
		return -errno;
	}
	for (int i = 0; i < 2; i++) {
		fcntl(k->link.wake[i], F_SETFL, O_NONBLOCK);
		fcntl(k->link.wake[i], F_SETFD, FD_CLOEXEC);
	}
	signal_fd = k->link.wake[1];
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

/* The cache and its board, and the board's zone set while no thread runs yet. */
static void load_board(struct kiosk *k)
{
	int64_t received = 0;

	k->kb.site = k->cfg.site;
	k->kb.block = k->cfg.block;
	kboard_open_cache(&k->kb, k->cfg.cache_path);
	if (kboard_load_cached(&k->kb, &received) != 0)
		return;
	k->link.last_contact_ms = received;
	k->view.page_turn_mono = sbtime_mono_ms();
	k->view.dirty = true;
	if (tzone_apply(k->kb.board->timezone) < 0)
		log_warn("cannot set the time zone of the cached board");
}

int main(int argc, char **argv)
{
	struct kiosk k;
	char err[512];
	int rc, status = 1;

	memset(&k, 0, sizeof(k));
	k.link.wake[0] = k.link.wake[1] = -1;
	k.view.reported_version = -1;
	log_init(PROG);
	rc = parse_args(argc, argv, &k.o);
	if (rc != 0)
		return rc > 0 ? 0 : 2;
	if (kconfig_load(k.o.config, &k.cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, PROG ": %s\n", err);
		goto out;
	}
	log_set_level(k.cfg.level);
	if (k.o.have_now)
		k.clock_offset_ms = k.o.now_ms - sbtime_now_ms();
	k.start_ms = kiosk_now(&k);
	k.start_mono = sbtime_mono_ms();
	if (init_wake(&k) < 0 || screen_init(&k) < 0)
		goto out;
	load_board(&k);
	if (!k.o.screenshot && screen_redraw(&k) < 0 && !k.t.win)
		log_warn("first frame failed");
	if (loop_start_mqtt(&k) < 0) {
		fprintf(stderr, PROG ": cannot start the MQTT client\n");
		goto out;
	}
	if (k.o.screenshot)
		rc = loop_run_screenshot(&k);
	else
		rc = loop_run_screen(&k);
	status = rc == 0 || rc == -EINTR ? 0 : 1;
	if (rc == -EINTR && k.o.screenshot)
		status = 1;
	log_info("exiting");
out:
	mqttc_close(k.link.mqtt, k.o.screenshot ? NULL : STATUS_OFFLINE);
	if (k.link.ev_type != 0 && k.link.ev_type != (Uint32)-1)
		loop_drop_mqtt_events(&k); /* a board that came after the last frame */
	kboard_close(&k.kb);
	screen_close(&k);
	signal_fd = -1;
	if (k.link.wake[0] >= 0)
		close(k.link.wake[0]);
	if (k.link.wake[1] >= 0)
		close(k.link.wake[1]);
	kconfig_free(&k.cfg);
	return status;
}
