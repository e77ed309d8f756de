/* SPDX-License-Identifier: MIT */
/*
 * siteboard-sensord: the sensor gateway. Door contacts (GPIO or scripted on
 * stdin), noise meters (ALSA or a WAV file) and firmware nodes on serial
 * links (door and noise) feed readings into the on-disk queue; the main loop forwards the queue to the broker at QoS 1 and
 * deletes a row only when its PUBACK arrives (docs/sensord.md).
 *
 * Threads: one per input, one per serial port however many sensors share
 * it (they only call the sink, which writes the queue
 * and wakes the main loop), libmosquitto's network thread (mqttlink.c), and
 * this main thread, which owns the sender, the statuses and shutdown.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <siteboard/event.h>
#include <siteboard/log.h>
#include <siteboard/sbtime.h>
#include <siteboard/sdnotify.h>
#include <siteboard/topic.h>

#include "src/alsa.h"
#include "src/door.h"
#include "src/gpio.h"
#include "src/mqttlink.h"
#include "src/nodelink.h"
#include "src/noisein.h"
#include "src/outbox.h"
#include "src/scriptin.h"
#include "src/sdconf.h"
#include "src/sender.h"
#include "src/status.h"
#include "src/wav.h"

#define PROG "siteboard-sensord"
#define LOOP_MS 200
#define SHUTDOWN_ACK_MS 2000

/* A configured sensor at run time. */
struct sensor {
	const struct sdconf_sensor *cfg;
	char topic[TOPIC_MAX];        /* door or noise */
	char status_topic[TOPIC_MAX];
	struct gpio_line *gpio;
	struct alsa_src *alsa;
	struct wav *wav;
	struct noisein_params np;
	pthread_t thread;
	bool thread_started;
};

/* One serial port and the firmware-node sensors on it. */
struct link {
	struct nodelink_params p;
	struct nodelink_map map[SDCONF_MAX_SENSORS];
	char state_path[4096];
	struct sensord *d;
	pthread_t thread;
	bool thread_started;
};

struct sensord {
	struct sdconf cfg;
	struct link links[SDCONF_MAX_SENSORS];
	size_t n_links;
	struct sensor sensors[SDCONF_MAX_SENSORS];
	const char *script_ids[SDCONF_MAX_SENSORS];
	size_t script_index[SDCONF_MAX_SENSORS];
	size_t n_script;
	pthread_t script_thread;
	bool script_started;
	char gw_topic[TOPIC_MAX];
	struct outbox *ob;
	struct sender *sender;
	struct mqttlink *link;
	struct sink sink;
	atomic_bool stop;
	int wake[2];
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

static void usage(FILE *f)
{
	fprintf(f, "Usage: " PROG " --config FILE\n"
		   "The siteboard sensor gateway: door contacts (GPIO, or JSON lines on stdin),\n"
		   "noise meters (ALSA, or a WAV file) and firmware nodes (serial or tcp:) to\n"
		   "MQTT, through an on-disk queue.\n\n"
		   "  --config FILE   INI configuration (see sensord.ini.example)\n"
		   "  --help, --version\n");
}

static void wake_main(struct sensord *d)
{
	char b = 1;
	ssize_t w = write(d->wake[1], &b, 1);

	(void)w; /* a full pipe already wakes the loop */
}

struct door_enc {
	int64_t ts_ms;
	bool open;
};

static int encode_door(void *ctx, int64_t seq, char *buf, size_t n)
{
	const struct door_enc *in = ctx;
	struct event_door e = {.seq = seq, .ts_ms = in->ts_ms, .open = in->open};

	return event_door_encode(&e, buf, n);
}

static int encode_noise(void *ctx, int64_t seq, char *buf, size_t n)
{
	struct event_noise e = *(const struct event_noise *)ctx;

	e.seq = seq;
	return event_noise_encode(&e, buf, n);
}

static int sink_door(void *ctx, size_t i, int64_t ts_ms, bool open)
{
	struct sensord *d = ctx;
	struct door_enc in = {ts_ms, open};
	int64_t seq = 0;
	int rc;

	rc = outbox_push(d->ob, d->sensors[i].cfg->id, d->sensors[i].topic, encode_door, &in, &seq);
	if (rc == 0) {
		log_debug("door %s: %s, seq %lld", d->sensors[i].cfg->id, open ? "open" : "closed",
			  (long long)seq);
		wake_main(d);
	}
	return rc;
}

static int sink_noise(void *ctx, size_t i, const struct event_noise *e)
{
	struct sensord *d = ctx;
	int64_t seq = 0;
	int rc;

	rc = outbox_push(d->ob, d->sensors[i].cfg->id, d->sensors[i].topic, encode_noise,
			 (void *)e, &seq);
	if (rc == 0) {
		log_debug("noise %s: seq %lld", d->sensors[i].cfg->id, (long long)seq);
		wake_main(d);
	}
	return rc;
}

static int sink_node_door(void *ctx, size_t i, const struct sink_origin *o, int64_t ts_ms,
			  bool open)
{
	struct sensord *d = ctx;
	struct door_enc in = {ts_ms, open};
	struct outbox_origin from = {o->node, o->boot_count, o->boot_ms, o->node_seq};
	int64_t seq = 0;
	bool dup = false;
	int rc;

	rc = outbox_push_node(d->ob, d->sensors[i].cfg->id, d->sensors[i].topic, &from,
			      encode_door, &in, &seq, &dup);
	if (rc == 0) {
		log_debug("door %s: %s, seq %lld (node %u seq %lu%s)", d->sensors[i].cfg->id,
			  open ? "open" : "closed", (long long)seq, o->node,
			  (unsigned long)o->node_seq, dup ? ", queued before" : "");
		wake_main(d);
	}
	return rc;
}

static int sink_node_noise(void *ctx, size_t i, const struct sink_origin *o,
			   const struct event_noise *e)
{
	struct sensord *d = ctx;
	struct outbox_origin from = {o->node, o->boot_count, o->boot_ms, o->node_seq};
	int64_t seq = 0;
	bool dup = false;
	int rc;

	rc = outbox_push_node(d->ob, d->sensors[i].cfg->id, d->sensors[i].topic, &from,
			      encode_noise, (void *)e, &seq, &dup);
	if (rc == 0) {
		log_debug("noise %s: seq %lld (node %u seq %lu%s)", d->sensors[i].cfg->id,
			  (long long)seq, o->node, (unsigned long)o->node_seq,
			  dup ? ", queued before" : "");
		wake_main(d);
	}
	return rc;
}

static int publish_row(void *ctx, const char *topic, const void *payload, size_t len, int *mid)
{
	return mqttlink_publish(ctx, topic, payload, len, false, mid);
}

/* The WAV reader as an audio source. */
static long wav_src_read(void *src, float *x, size_t n)
{
	char err[WAV_ERR_MAX];
	size_t got = 0;
	int rc = wav_read(src, x, n, &got, err, sizeof(err));

	if (rc < 0) {
		log_error("wav: %s", err);
		return rc;
	}
	return (long)got;
}

static const struct audio_ops wav_src_ops = {.read = wav_src_read};

struct thread_arg {
	struct sensord *d;
	size_t i;
};

static struct thread_arg thread_args[SDCONF_MAX_SENSORS];

static void *sensor_thread(void *arg)
{
	const struct thread_arg *a = arg;
	struct sensor *s = &a->d->sensors[a->i];
	int rc = 0;

	switch (s->cfg->input) {
	case SDCONF_GPIO:
		rc = door_run(&gpio_line_ops, s->gpio, (uint32_t)s->cfg->debounce_ms, a->i,
			      &a->d->sink);
		break;
	case SDCONF_ALSA:
		rc = noisein_run(&alsa_ops, s->alsa, &s->np, a->i, &a->d->sink);
		break;
	case SDCONF_WAV:
		rc = noisein_run(&wav_src_ops, s->wav, &s->np, a->i, &a->d->sink);
		if (rc == 0)
			log_info("noise %s: end of %s", s->cfg->id, s->cfg->file);
		break;
	case SDCONF_SCRIPT:
	case SDCONF_SERIAL:
		break;
	}
	if (rc < 0)
		log_error("%s %s: input stopped: %s", sdconf_input_name(s->cfg->input), s->cfg->id,
			  strerror(-rc));
	return NULL;
}

static void *link_thread(void *arg)
{
	struct link *k = arg;
	int rc = nodelink_run(&k->p, &k->d->sink);

	if (rc < 0)
		log_error("serial %s: node link stopped: %s", k->p.port, strerror(-rc));
	return NULL;
}

/*
 * Group the serial sensors by port. Each port's seen-seq windows persist
 * beside the queue, in "<queue>.node-<port with / and : as _>".
 */
static int plan_links(struct sensord *d)
{
	for (size_t i = 0; i < d->cfg.n_sensors; i++) {
		const struct sdconf_sensor *c = &d->cfg.sensors[i];
		struct link *k = NULL;
		char *q;

		if (c->input != SDCONF_SERIAL)
			continue;
		for (size_t j = 0; j < d->n_links && !k; j++)
			if (strcmp(d->links[j].p.port, c->serial) == 0)
				k = &d->links[j];
		if (!k) {
			k = &d->links[d->n_links++];
			k->d = d;
			k->p.port = c->serial;
			k->p.baud = c->baud;
			k->p.map = k->map;
			if (snprintf(k->state_path, sizeof(k->state_path), "%s.node-%s", d->cfg.queue,
				     c->serial) >= (int)sizeof(k->state_path))
				return -ENAMETOOLONG;
			for (q = k->state_path + strlen(d->cfg.queue) + 6; *q; q++)
				if (*q == '/' || *q == ':')
					*q = '_';
			k->p.state_path = k->state_path;
		}
		k->map[k->p.n_map].node = (uint16_t)c->node;
		k->map[k->p.n_map].door = c->kind == SDCONF_DOOR;
		k->map[k->p.n_map].sensor = i;
		k->p.n_map++;
	}
	for (size_t j = 0; j < d->n_links; j++)
		log_info("serial %s: %zu sensor(s), state %s", d->links[j].p.port,
			 d->links[j].p.n_map, d->links[j].state_path);
	return 0;
}

static void *script_thread(void *arg)
{
	struct sensord *d = arg;

	scriptin_run(STDIN_FILENO, d->script_ids, d->script_index, d->n_script, &d->sink);
	return NULL;
}

/* Open every input's device or file now, so that a bad one stops the start. */
static int open_inputs(struct sensord *d)
{
	int64_t now = sbtime_now_ms();
	char err[WAV_ERR_MAX];

	for (size_t i = 0; i < d->cfg.n_sensors; i++) {
		struct sensor *s = &d->sensors[i];
		const struct sdconf_sensor *c = &d->cfg.sensors[i];
		uint32_t rate = 0;
		int rc = 0;

		s->cfg = c;
		rc = topic_sensor(s->topic, sizeof(s->topic), d->cfg.site, c->block, c->id,
				  c->kind == SDCONF_DOOR ? "door" : "noise");
		if (rc == 0)
			rc = topic_sensor(s->status_topic, sizeof(s->status_topic), d->cfg.site,
					  c->block, c->id, "status");
		if (rc < 0) {
			log_error("sensor %s: no topic for it", c->id);
			return rc;
		}
		switch (c->input) {
		case SDCONF_GPIO:
			rc = gpio_line_open(c->chip, (unsigned)c->line, c->active_low, &s->gpio);
			break;
		case SDCONF_SCRIPT:
			d->script_ids[d->n_script] = c->id;
			d->script_index[d->n_script++] = i;
			break;
		case SDCONF_SERIAL:
			/* the port is opened (and reopened) by its link thread */
			break;
		case SDCONF_ALSA:
			rc = alsa_src_open(c->device, &s->alsa, &rate);
			break;
		case SDCONF_WAV:
			rc = wav_open(c->file, &s->wav, err, sizeof(err));
			if (rc < 0)
				log_error("noise %s: %s: %s", c->id, c->file, err);
			else
				rate = wav_info(s->wav)->rate_hz;
			break;
		}
		if (rc < 0)
			return rc;
		s->np.rate_hz = rate;
		s->np.period_s = (uint32_t)c->period_s;
		s->np.cal_db = c->cal_db;
		s->np.realtime = c->input == SDCONF_ALSA || c->realtime;
		s->np.has_start = c->input == SDCONF_WAV;
		s->np.start_ms = c->start ? c->start_ms : now;
		log_info("%s %s: input %s, topic %s", c->kind == SDCONF_DOOR ? "door" : "noise",
			 c->id, sdconf_input_name(c->input), s->topic);
	}
	return plan_links(d);
}

static int start_threads(struct sensord *d)
{
	for (size_t i = 0; i < d->cfg.n_sensors; i++) {
		struct sensor *s = &d->sensors[i];

		if (s->cfg->input == SDCONF_SCRIPT || s->cfg->input == SDCONF_SERIAL)
			continue;
		thread_args[i].d = d;
		thread_args[i].i = i;
		if (pthread_create(&s->thread, NULL, sensor_thread, &thread_args[i]) != 0)
			return -EAGAIN;
		s->thread_started = true;
	}
	for (size_t j = 0; j < d->n_links; j++) {
		if (pthread_create(&d->links[j].thread, NULL, link_thread, &d->links[j]) != 0)
			return -EAGAIN;
		d->links[j].thread_started = true;
	}
	if (d->n_script > 0) {
		if (pthread_create(&d->script_thread, NULL, script_thread, d) != 0)
			return -EAGAIN;
		d->script_started = true;
	}
	return 0;
}

static void stop_threads(struct sensord *d)
{
	atomic_store(&d->stop, true);
	for (size_t i = 0; i < d->cfg.n_sensors; i++)
		if (d->sensors[i].thread_started)
			pthread_join(d->sensors[i].thread, NULL);
	for (size_t j = 0; j < d->n_links; j++)
		if (d->links[j].thread_started)
			pthread_join(d->links[j].thread, NULL);
	if (d->script_started)
		pthread_join(d->script_thread, NULL);
}

/*
 * Retained statuses: every sensor's, then the gateway's (which carries the
 * last will). mids, if not NULL, collects the mids for the shutdown wait.
 */
static size_t publish_statuses(struct sensord *d, bool online, int *mids)
{
	const char *ids[SDCONF_MAX_SENSORS];
	char buf[STATUS_MAX_BYTES];
	size_t n = 0;
	int len, mid;

	for (size_t i = 0; i < d->cfg.n_sensors; i++) {
		ids[i] = d->cfg.sensors[i].id;
		len = status_sensor_json(online, SITEBOARD_VERSION, d->cfg.id, buf, sizeof(buf));
		mid = 0;
		if (len > 0 && mqttlink_publish(d->link, d->sensors[i].status_topic, buf,
						(size_t)len, true, &mid) == 0 && mids)
			mids[n++] = mid;
	}
	len = status_gateway_json(online, SITEBOARD_VERSION, ids, d->cfg.n_sensors, buf,
				  sizeof(buf));
	mid = 0;
	if (len > 0 && mqttlink_publish(d->link, d->gw_topic, buf, (size_t)len, true, &mid) == 0 &&
	    mids)
		mids[n++] = mid;
	return n;
}

/* Hand PUBACKs to the sender; report connection changes. */
static void take_events(struct sensord *d, bool *connected, unsigned *gen, int *pending,
			size_t *n_pending)
{
	int acks[64];
	bool now_connected = false;
	unsigned now_gen = 0;
	size_t n;

	do {
		n = mqttlink_take(d->link, &now_connected, &now_gen, acks, 64);
		for (size_t i = 0; i < n; i++) {
			sender_acked(d->sender, acks[i], sbtime_mono_ms());
			for (size_t j = 0; pending && j < *n_pending; j++) {
				if (pending[j] == acks[i]) {
					pending[j] = pending[--*n_pending];
					break;
				}
			}
		}
	} while (n == 64);
	if (now_gen != *gen) {
		if (*connected)
			sender_disconnected(d->sender);
		if (now_connected) {
			sender_connected(d->sender, sbtime_mono_ms());
			if (!pending)
				publish_statuses(d, true, NULL);
		}
	} else if (*connected && !now_connected) {
		sender_disconnected(d->sender);
	}
	*connected = now_connected;
	*gen = now_gen;
}

static void drain_fd(int fd)
{
	char buf[256];

	while (read(fd, buf, sizeof(buf)) > 0)
		;
}

static int run(struct sensord *d)
{
	struct pollfd pfd[1];
	bool connected = false;
	unsigned gen = 0;
	int64_t last_beat = sbtime_mono_ms();
	int64_t last_backlog_log = 0;
	int64_t watchdog_ms = sdnotify_watchdog_ms(), last_pet = 0;
	int rc;

	pfd[0].fd = d->wake[0];
	pfd[0].events = POLLIN;
	sdnotify_send("READY=1");
	while (!quit_signal) {
		/* systemd's watchdog (WatchdogSec): this loop is alive */
		if (watchdog_ms > 0 && sbtime_mono_ms() - last_pet >= watchdog_ms) {
			sdnotify_send("WATCHDOG=1");
			last_pet = sbtime_mono_ms();
		}
		rc = poll(pfd, 1, LOOP_MS);
		if (rc < 0 && errno != EINTR)
			return -errno;
		drain_fd(d->wake[0]);
		if (quit_signal)
			break;
		take_events(d, &connected, &gen, NULL, NULL);
		rc = sender_pump(d->sender, sbtime_mono_ms());
		if (rc < 0)
			log_error("queue: cannot read the queue; retrying");
		if (connected && d->cfg.heartbeat_s > 0 &&
		    sbtime_mono_ms() - last_beat >= d->cfg.heartbeat_s * 1000) {
			publish_statuses(d, true, NULL);
			last_beat = sbtime_mono_ms();
		}
		if (!connected && sbtime_mono_ms() - last_backlog_log >= 60000 &&
		    outbox_count(d->ob) > 0) {
			log_info("queue: %lld reading(s) waiting for the broker",
				 (long long)outbox_count(d->ob));
			last_backlog_log = sbtime_mono_ms();
		}
	}
	return 0;
}

/* Clean shutdown: statuses offline (the will is not sent on a clean disconnect). */
static void say_goodbye(struct sensord *d)
{
	int pending[SDCONF_MAX_SENSORS + 1];
	size_t n_pending;
	bool connected = false;
	unsigned gen = 0;
	int64_t deadline = sbtime_mono_ms() + SHUTDOWN_ACK_MS;

	take_events(d, &connected, &gen, NULL, NULL);
	if (!connected)
		return;
	n_pending = publish_statuses(d, false, pending);
	while (n_pending > 0 && sbtime_mono_ms() < deadline) {
		struct pollfd pfd = {.fd = d->wake[0], .events = POLLIN};

		poll(&pfd, 1, 50);
		drain_fd(d->wake[0]);
		take_events(d, &connected, &gen, pending, &n_pending);
		if (!connected)
			break;
	}
	if (n_pending > 0)
		log_warn("mqtt: offline status not acknowledged before shutdown");
}

static int parse_args(int argc, char **argv, const char **config)
{
	static const struct option longopts[] = {
		{"config", required_argument, NULL, 'c'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	int ch;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			*config = optarg;
			break;
		case 'h':
			usage(stdout);
			return 1;
		case 'V':
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
	if (!*config) {
		fprintf(stderr, PROG ": --config FILE is required (try --help)\n");
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct sensord d; /* big (per-sensor buffers); one per process */
	const char *config = NULL;
	struct mqttlink_options mo;
	struct sigaction sa;
	char will[STATUS_MAX_BYTES];
	const char *ids[SDCONF_MAX_SENSORS];
	char err[512];
	enum log_level level = LOG_LEVEL_INFO;
	int ret = 1;
	int rc;

	d.wake[0] = d.wake[1] = -1;
	rc = parse_args(argc, argv, &config);
	if (rc != 0)
		return rc > 0 ? 0 : 2;
	log_init(PROG);
	if (sdconf_load(config, &d.cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, PROG ": %s\n", err);
		return 1;
	}
	if (d.cfg.log_level)
		log_level_parse(d.cfg.log_level, &level);
	log_set_level(level);
	if (pipe(d.wake) < 0) {
		log_error("pipe: %s", strerror(errno));
		goto out;
	}
	for (int i = 0; i < 2; i++)
		fcntl(d.wake[i], F_SETFL, O_NONBLOCK);
	/* signals wake the main loop through the same pipe as the inputs */
	signal_fd = d.wake[1];
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (outbox_open(d.cfg.queue, d.cfg.queue_max, &d.ob) < 0) {
		fprintf(stderr, PROG ": %s: cannot open the queue (see above)\n", d.cfg.queue);
		goto out;
	}
	if (outbox_count(d.ob) > 0)
		log_info("queue: %lld reading(s) from before the restart still to send",
			 (long long)outbox_count(d.ob));
	if (outbox_dropped(d.ob) > 0)
		log_warn("queue: %lld reading(s) were dropped so far because the queue was full",
			 (long long)outbox_dropped(d.ob));
	atomic_init(&d.stop, false);
	d.sink.ctx = &d;
	d.sink.door = sink_door;
	d.sink.noise = sink_noise;
	d.sink.node_door = sink_node_door;
	d.sink.node_noise = sink_node_noise;
	d.sink.stop = &d.stop;
	if (open_inputs(&d) < 0) {
		fprintf(stderr, PROG ": cannot open an input (see above)\n");
		goto out;
	}
	if (topic_sensor(d.gw_topic, sizeof(d.gw_topic), d.cfg.site, d.cfg.block, d.cfg.id,
			 "status") < 0)
		goto out;
	for (size_t i = 0; i < d.cfg.n_sensors; i++)
		ids[i] = d.cfg.sensors[i].id;
	if (status_gateway_json(false, NULL, ids, d.cfg.n_sensors, will, sizeof(will)) < 0)
		goto out;
	memset(&mo, 0, sizeof(mo));
	mo.host = d.cfg.host;
	mo.port = (int)d.cfg.port;
	mo.username = d.cfg.username;
	mo.password = d.cfg.password;
	mo.cafile = d.cfg.cafile;
	mo.certfile = d.cfg.certfile;
	mo.keyfile = d.cfg.keyfile;
	mo.client_id = d.cfg.client_id;
	mo.will_topic = d.gw_topic;
	mo.will_payload = will;
	mo.wake_fd = d.wake[1];
	if (mqttlink_open(&mo, &d.link) < 0) {
		fprintf(stderr, PROG ": cannot set up MQTT (see above)\n");
		goto out;
	}
	if (sender_open(d.ob, publish_row, d.link, &d.sender) < 0)
		goto out;
	if (start_threads(&d) < 0) {
		log_error("cannot start the input threads");
		goto out;
	}
	log_info("running: site %s, block %s, gateway %s, %zu sensor(s), queue %s", d.cfg.site,
		 d.cfg.block, d.cfg.id, d.cfg.n_sensors, d.cfg.queue);
	if (run(&d) == 0)
		ret = 0;
	log_info("stopping");
out:
	stop_threads(&d);
	if (d.link && d.sender)
		say_goodbye(&d);
	mqttlink_close(d.link);
	sender_close(d.sender);
	if (d.ob && outbox_count(d.ob) > 0)
		log_info("queue: %lld reading(s) kept on disk for the next start",
			 (long long)outbox_count(d.ob));
	outbox_close(d.ob);
	for (size_t i = 0; i < d.cfg.n_sensors; i++) {
		gpio_line_close(d.sensors[i].gpio);
		alsa_src_close(d.sensors[i].alsa);
		wav_close(d.sensors[i].wav);
	}
	signal_fd = -1;
	for (int i = 0; i < 2; i++)
		if (d.wake[i] >= 0)
			close(d.wake[i]);
	sdconf_release(&d.cfg);
	return ret;
}
