/* SPDX-License-Identifier: MIT */
/*
 * The kiosk's loop (see kiosk.h): MQTT and window events, the redraw
 * schedule (new board, the clock's minute, page turns, staleness), the
 * display schedule and burn-in shift, systemd's watchdog, and the MQTT
 * client's lifetime, which includes a new time zone: when an adopted board
 * brings a zone other than the one set, the client (the only other thread)
 * is stopped, TZ set (tzone.h) and the client started again.
 * Threads: main thread only.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <siteboard/log.h>
#include <siteboard/sbtime.h>
#include <siteboard/sdnotify.h>
#include <siteboard/topic.h>

#include "kiosk.h"
#include "screencare.h"
#include "status.h"
#include "tzone.h"

#define SCREENSHOT_TOTAL_MS 20000    /* give up without any board after this */
#define SCREENSHOT_AFTER_SUB_MS 2000 /* wait for a retained board after SUBACK */
#define SCREENSHOT_CONNECT_MS 3000   /* broker unreachable: fall back to the cache */
#define WINDOW_POLL_MS 250           /* pump window events at least this often */
#define PRESENT_FAILURES_MAX 5       /* then exit 1: systemd restarts us on the new screen */

volatile sig_atomic_t loop_quit_signal;

static int64_t min64(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

int loop_start_mqtt(struct kiosk *k)
{
	char board_topic[TOPIC_MAX], status_topic[TOPIC_MAX], client_id[128];
	struct mqttc_config mc;
	bool with_status = !k->o.screenshot;

	if (topic_board(board_topic, sizeof(board_topic), k->cfg.site, k->cfg.block) < 0 ||
	    topic_kiosk_status(status_topic, sizeof(status_topic), k->cfg.site, k->cfg.block,
			       k->cfg.id) < 0)
		return -EINVAL;
	snprintf(client_id, sizeof(client_id), "siteboard-kiosk-%s%s", k->cfg.id,
		 with_status ? "" : "-shot");
	memset(&mc, 0, sizeof(mc));
	mc.host = k->cfg.host;
	mc.port = (int)k->cfg.port;
	mc.username = k->cfg.username;
	mc.password = k->cfg.password;
	mc.cafile = k->cfg.cafile;
	mc.certfile = k->cfg.certfile;
	mc.keyfile = k->cfg.keyfile;
	mc.client_id = client_id;
	mc.board_topic = board_topic;
	mc.status_topic = with_status ? status_topic : NULL;
	mc.event_type = k->link.ev_type;
	mc.wake_fd = k->link.wake[1];
	return mqttc_open(&mc, &k->link.mqtt);
}

/* Drop the events the stopped client left in the queue (their messages too). */
void loop_drop_mqtt_events(struct kiosk *k)
{
	SDL_Event ev;

	while (SDL_PeepEvents(&ev, 1, SDL_GETEVENT, k->link.ev_type, k->link.ev_type) == 1)
		if (ev.user.code == MQTTC_EV_MESSAGE)
			free(ev.user.data1);
}

/*
 * The board on screen is in another zone than TZ: stop the MQTT client so
 * that this is the only thread, set TZ, start the client again (it gets the
 * retained board again, identical, and reports the status anew).
 * @retval 0, or the errors of loop_start_mqtt (logged)
 */
static int change_zone(struct kiosk *k, const char *zone)
{
	int rc;

	log_info("the board's time zone is %s: restarting the MQTT client to apply it", zone);
	mqttc_close(k->link.mqtt, NULL);
	k->link.mqtt = NULL;
	loop_drop_mqtt_events(k);
	if (k->link.connected)
		k->link.last_contact_ms = kiosk_now(k);
	k->link.connected = false;
	k->link.subscribed = false;
	rc = tzone_apply(zone);
	if (rc < 0)
		log_warn("cannot set the time zone %s: %s", zone, strerror(-rc));
	rc = loop_start_mqtt(k);
	if (rc < 0)
		log_error("cannot restart the MQTT client: %s", strerror(-rc));
	return rc;
}

/* A board from the broker. @retval 0, or change_zone's errors */
static int on_board(struct kiosk *k, const char *json, size_t len)
{
	if (kboard_adopt(&k->kb, json, len, true, kiosk_now(k)) != 0)
		return 0;
	k->view.page = 0;
	k->view.page_turn_mono = sbtime_mono_ms();
	k->view.dirty = true;
	if (tzone_differs(k->kb.board->timezone))
		return change_zone(k, k->kb.board->timezone);
	return 0;
}

/* @retval 0, or on_board's errors */
static int handle_mqtt_event(struct kiosk *k, const SDL_Event *ev)
{
	struct kiosk_link *n = &k->link;
	struct mqttc_msg *m = NULL;
	int rc = 0;

	switch (ev->user.code) {
	case MQTTC_EV_CONNECTED:
		n->connected = true;
		n->ever_connected = true;
		n->last_contact_ms = kiosk_now(k);
		k->view.status_due = true;
		if (k->view.drawn_stale)
			k->view.dirty = true;
		else
			screen_publish_status(k);
		break;
	case MQTTC_EV_DISCONNECTED:
		if (n->connected)
			n->last_contact_ms = kiosk_now(k);
		n->connected = false;
		n->subscribed = false;
		n->connect_failed = true;
		break;
	case MQTTC_EV_SUBSCRIBED:
		n->subscribed = true;
		n->subscribed_mono = sbtime_mono_ms();
		break;
	case MQTTC_EV_MESSAGE:
		m = ev->user.data1;
		if (n->connected)
			n->last_contact_ms = kiosk_now(k);
		if (m)
			rc = on_board(k, m->data, m->len);
		free(m);
		break;
	default:
		break;
	}
	return rc;
}

/* Drain the SDL queue. Returns true when asked to quit (or the client is lost). */
static bool drain_events(struct kiosk *k)
{
	SDL_Event ev;
	bool quit = false;

	while (!quit && SDL_PollEvent(&ev)) {
		if (ev.type == SDL_QUIT) {
			quit = true;
		} else if (ev.type == k->link.ev_type) {
			quit = handle_mqtt_event(k, &ev) < 0;
		} else if (ev.type == SDL_WINDOWEVENT &&
			   (ev.window.event == SDL_WINDOWEVENT_SIZE_CHANGED ||
			    ev.window.event == SDL_WINDOWEVENT_EXPOSED)) {
			k->view.dirty = true;
		} else if (ev.type == SDL_KEYDOWN && ev.key.keysym.sym == SDLK_ESCAPE &&
			   !k->o.fullscreen) {
			quit = true;
		}
	}
	return quit || loop_quit_signal;
}

/* Sleep until the wake pipe has data or timeout_ms passes. */
static void wait_wake(struct kiosk *k, int64_t timeout_ms)
{
	struct pollfd p = {.fd = k->link.wake[0], .events = POLLIN};
	char buf[64];

	if (timeout_ms < 0)
		timeout_ms = 0;
	if (SDL_HasEvents(SDL_FIRSTEVENT, SDL_LASTEVENT))
		timeout_ms = 0;
	if (poll(&p, 1, (int)timeout_ms) > 0)
		while (read(k->link.wake[0], buf, sizeof(buf)) > 0)
			;
	if (k->t.win)
		SDL_PumpEvents();
}

/*
 * The display schedule and the burn-in shift, checked every loop (the loop
 * wakes at least every minute). Blanking lets the OS screensaver/DPMS act
 * where the video driver supports it (X11, Wayland; not KMSDRM in SDL 2.26).
 */
static void screen_care(struct kiosk *k, int64_t now, int64_t mono)
{
	bool off = screencare_is_off(&k->cfg.off, now);
	int dx = 0, dy = 0;

	if (off != k->view.screen_off) {
		log_info("display %s by schedule", off ? "off" : "on");
		k->view.screen_off = off;
		k->view.dirty = true;
		k->view.status_due = true;
		if (off)
			SDL_EnableScreenSaver();
		else
			SDL_DisableScreenSaver();
	}
	if (k->cfg.burn_in_shift)
		screencare_shift(mono - k->start_mono, &dx, &dy);
	if (dx != k->view.shift_dx || dy != k->view.shift_dy) {
		k->view.shift_dx = dx;
		k->view.shift_dy = dy;
		k->view.dirty = true;
	}
}

/* What needs a redraw now: page turn, minute, staleness. Returns stale. */
static bool schedule(struct kiosk *k, int64_t now, int64_t mono)
{
	int64_t since = 0;
	bool stale;

	screen_care(k, now, mono);
	if (k->view.n_pages > 1 && mono - k->view.page_turn_mono >= k->cfg.page_seconds * 1000) {
		k->view.page = (k->view.page + 1) % k->view.n_pages;
		k->view.page_turn_mono = mono;
		k->view.dirty = true;
	}
	if (now / 60000 != k->view.drawn_minute)
		k->view.dirty = true;
	stale = screen_is_stale(k, now, &since);
	if (stale != k->view.drawn_stale)
		k->view.dirty = true;
	return stale;
}

/* How long the loop may sleep: until the next minute, page turn, staleness... */
static int64_t next_timeout(struct kiosk *k, bool stale, int64_t watchdog_ms, int64_t last_pet)
{
	int64_t now = kiosk_now(k), mono = sbtime_mono_ms();
	int64_t timeout = (now / 60000 + 1) * 60000 - now;

	if (k->view.n_pages > 1)
		timeout = min64(timeout,
				k->view.page_turn_mono + k->cfg.page_seconds * 1000 - mono);
	if (!k->link.connected && !stale) {
		int64_t ref = k->link.ever_connected ? k->link.last_contact_ms : k->start_ms;

		timeout = min64(timeout, ref + k->cfg.stale_after * 1000 - now);
	}
	if (k->t.win)
		timeout = min64(timeout, WINDOW_POLL_MS);
	if (watchdog_ms > 0)
		timeout = min64(timeout, last_pet + watchdog_ms - mono);
	if (k->cfg.burn_in_shift)
		timeout = min64(timeout, SCREENCARE_SHIFT_PERIOD_MS -
						 (mono - k->start_mono) % SCREENCARE_SHIFT_PERIOD_MS);
	return timeout;
}

int loop_run_screen(struct kiosk *k)
{
	int64_t watchdog_ms = sdnotify_watchdog_ms(), last_pet = 0;
	int rc = 0;

	sdnotify_send("READY=1");
	for (;;) {
		int64_t mono;
		bool stale;

		if (drain_events(k))
			break;
		mono = sbtime_mono_ms();
		/* systemd's watchdog (WatchdogSec): this loop is alive */
		if (watchdog_ms > 0 && mono - last_pet >= watchdog_ms) {
			sdnotify_send("WATCHDOG=1");
			last_pet = mono;
		}
		stale = schedule(k, kiosk_now(k), mono);
		if (k->view.dirty)
			screen_redraw(k);
		else if (k->view.status_due)
			screen_publish_status(k);
		if (k->view.present_failures >= PRESENT_FAILURES_MAX) {
			log_error("the display refused %d frames in a row (unplugged?): exiting so"
				  " that the service restarts on the screen there is now",
				  k->view.present_failures);
			rc = -EIO;
			break;
		}
		wait_wake(k, next_timeout(k, stale, watchdog_ms, last_pet) + 1);
	}
	if (!k->link.mqtt && !loop_quit_signal)
		rc = -EIO; /* the MQTT client could not be restarted: systemd starts us again */
	sdnotify_send("STOPPING=1");
	return rc;
}

/* Whether --screenshot has what it waits for: a board from the broker, or
 * the cached one once the broker had its chance. */
static bool shot_ready(const struct kiosk *k, bool have_cached, int64_t start, int64_t mono)
{
	if (k->kb.board && k->kb.from_broker)
		return true;
	if (have_cached && k->link.subscribed &&
	    mono - k->link.subscribed_mono >= SCREENSHOT_AFTER_SUB_MS)
		return true;
	return have_cached && !k->link.connected &&
	       (k->link.connect_failed || mono - start >= SCREENSHOT_CONNECT_MS);
}

int loop_run_screenshot(struct kiosk *k)
{
	int64_t start = sbtime_mono_ms();
	bool have_cached = k->kb.board != NULL;

	for (;;) {
		int64_t mono, timeout;

		if (drain_events(k))
			return -EINTR;
		mono = sbtime_mono_ms();
		if (shot_ready(k, have_cached, start, mono) || mono - start >= SCREENSHOT_TOTAL_MS)
			break;
		timeout = start + SCREENSHOT_TOTAL_MS - mono;
		if (k->link.subscribed)
			timeout = min64(timeout,
					k->link.subscribed_mono + SCREENSHOT_AFTER_SUB_MS - mono);
		if (!k->link.connected)
			timeout = min64(timeout, start + SCREENSHOT_CONNECT_MS - mono);
		wait_wake(k, timeout + 1);
	}
	if (!k->kb.board) {
		fprintf(stderr, PROG ": no board received within 20 s and none cached\n");
		return -ENOENT;
	}
	k->view.page = k->o.page;
	if (screen_redraw(k) < 0)
		return -EIO;
	if (screen_save_png(k, k->o.screenshot) < 0)
		return -EIO;
	log_info("screenshot of board version %" PRId64 " written to %s", k->kb.board->version,
		 k->o.screenshot);
	return 0;
}
