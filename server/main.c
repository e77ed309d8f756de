/* SPDX-License-Identifier: MIT */
/*
 * siteboard-server: flags, configuration and wiring of the store, the MQTT
 * publisher and the HTTP API; then waits for SIGTERM/SIGINT and shuts down
 * in order (HTTP, MQTT after the last board is acknowledged, store).
 * Also the "token new" subcommand that makes an API token.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "siteboard/config.h"
#include "siteboard/log.h"
#include "siteboard/sbtime.h"
#include "siteboard/sdnotify.h"
#include "siteboard/topic.h"
#include "api/api.h"
#include "api/api_breaches.h"
#include "board/boardgen.h"
#include "cmd/devicecmd.h"
#include "http/http.h"
#include "ingest/ingest.h"
#include "devices/kiosks.h"
#include "ingest/mapping.h"
#include "board/publish.h"
#include "rules/rules.h"
#include "hours/sitehours.h"
#include "store/store.h"
#include "store/token.h"
#include "store/users.h"
#include "api/api_complaints.h"
#include "cmd/usercmd.h"
#include "web/web.h"

#define PROG "siteboard-server"
#define EXIT_USAGE 2
#define LABEL_MAX 200
#define SHUTDOWN_FLUSH_MS 5000
#define INGEST_SUBS_MAX (3 + 3 * MAPPING_MAX)
#define SUBS_MAX (INGEST_SUBS_MAX + 1) /* and the kiosks' status */

struct settings {
	char *db;
	char *http;
	char *public_url;
	char *log_level;
	char *mqtt_host;
	long mqtt_port;
	char *mqtt_username;
	char *mqtt_password;
	char *mqtt_cafile;
	char *mqtt_certfile;
	char *mqtt_keyfile;
	char *mqtt_client_id;
	char *site_id;
	char *site_name;
	char *contractor;
	char *timezone;
	long retention_days; /* [privacy] complaint_retention_days */
	struct mapping *map; /* [zigbee2mqtt] [esphome] [tasmota] [shelly] */
	char *hours_weekly;  /* [hours] */
	char *bank_holidays;
	struct rules_config rules; /* [doors] [noise] [sensors] */
	/* derived */
	char *http_host;
	int http_port;
	enum log_level level;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: " PROG " --config FILE\n"
		"       " PROG " --config FILE token new --role admin|manager|caretaker"
		" [--name N] [--blocks a,b] [--label TEXT]\n"
		"\n"
		"  -c, --config FILE  configuration (INI), see docs/server.md\n"
		"  -h, --help         show this help\n"
		"  -V, --version      show the version\n"
		"\n"
		"       " PROG " --config FILE user add NAME --role caretaker|manager|admin"
		" [--blocks a,b]\n"
		"       " PROG " --config FILE user passwd|remove NAME\n"
		"       " PROG " --config FILE device add kiosk|sensor|sensord|server|bridge ID"
		" [--block B] [--sensors a,b] [--prefix P]\n"
		"       " PROG " --config FILE device remove ID | device list\n"
		"       " PROG " --config FILE mqtt-acl DIR\n"
		"token new prints a new API token on stdout; only its hash is stored. Its --name\n"
		"is recorded in the audit log (default: the label, else the role); --blocks are\n"
		"the blocks it may change (without: every block, but none for a caretaker).\n"
		"device add prints the device's [mqtt] credentials; mqtt-acl writes DIR/passwd\n"
		"and DIR/acl for mosquitto (see docs/install-server.md).\n"
		"user add and user passwd read the password from standard input.\n");
}

static bool timezone_valid(const char *tz)
{
	if (tz[0] == '\0' || tz[0] == '/' || strstr(tz, "..") != NULL || strlen(tz) > 64)
		return false;
	for (const char *p = tz; *p != '\0'; p++) {
		bool ok = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
			  (*p >= '0' && *p <= '9') || strchr("/_+-", *p) != NULL;

		if (!ok)
			return false;
	}
	return true;
}

/* The zone exists in the system tz database (TZDIR or /usr/share/zoneinfo). */
static bool timezone_installed(const char *tz)
{
	const char *dir = getenv("TZDIR");
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir != NULL ? dir : "/usr/share/zoneinfo", tz);
	return access(path, R_OK) == 0;
}

static char *join(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 1;
	char *s = malloc(n);

	if (s != NULL)
		snprintf(s, n, "%s%s", a, b);
	return s;
}

/* Load and check the configuration; on failure err holds one line. */
static int load_settings(const char *path, struct settings *s, const struct config_key *keys,
			 size_t n_keys, char *err, size_t err_len)
{
	size_t len;
	int ret;

	ret = config_load(path, keys, n_keys, err, err_len);
	if (ret < 0)
		return ret;
	if (!topic_id_valid(s->site_id)) {
		snprintf(err, err_len, "%s: [site] id '%.60s' must match [a-z0-9-]{1,40}", path,
			 s->site_id);
		return -EINVAL;
	}
	if (s->site_name[0] == '\0') {
		snprintf(err, err_len, "%s: [site] name must not be empty", path);
		return -EINVAL;
	}
	if (config_split_hostport(s->http, &s->http_host, &s->http_port) < 0) {
		snprintf(err, err_len, "%s: [server] http '%.100s' must be HOST:PORT", path,
			 s->http);
		return -EINVAL;
	}
	if (log_level_parse(s->log_level, &s->level) < 0) {
		snprintf(err, err_len, "%s: [server] log_level must be error, warn, info or debug",
			 path);
		return -EINVAL;
	}
	if (!timezone_valid(s->timezone)) {
		snprintf(err, err_len, "%s: [site] timezone '%.60s' is not a time zone name", path,
			 s->timezone);
		return -EINVAL;
	}
	if (s->public_url == NULL)
		s->public_url = join("http://", s->http);
	if (s->public_url == NULL)
		return -ENOMEM;
	if (strncmp(s->public_url, "http://", 7) != 0 &&
	    strncmp(s->public_url, "https://", 8) != 0) {
		snprintf(err, err_len, "%s: [server] public_url must start with http:// or https://",
			 path);
		return -EINVAL;
	}
	len = strlen(s->public_url);
	while (len > 0 && s->public_url[len - 1] == '/')
		s->public_url[--len] = '\0';
	if (s->mqtt_client_id == NULL)
		s->mqtt_client_id = join("siteboard-server-", s->site_id);
	if (s->mqtt_client_id == NULL)
		return -ENOMEM;
	if ((s->mqtt_certfile == NULL) != (s->mqtt_keyfile == NULL) ||
	    (s->mqtt_certfile != NULL && s->mqtt_cafile == NULL)) {
		snprintf(err, err_len, "%s: [mqtt] certfile and keyfile go together, with cafile",
			 path);
		return -EINVAL;
	}
	if (s->mqtt_password != NULL && s->mqtt_username == NULL) {
		snprintf(err, err_len, "%s: [mqtt] password needs a username", path);
		return -EINVAL;
	}
	/* the sections with free key names (device = sensor id): a second pass */
	return mapping_load(path, &s->map, err, err_len);
}

static int cmd_token_new(struct store *st, int argc, char **argv)
{
	static const struct option opts[] = {
		{"role", required_argument, NULL, 'r'},
		{"label", required_argument, NULL, 'l'},
		{"name", required_argument, NULL, 'n'},
		{"blocks", required_argument, NULL, 'b'},
		{NULL, 0, NULL, 0},
	};
	const char *role_s = NULL;
	const char *label = NULL;
	const char *name = NULL;
	const char *blocks = "";
	enum token_role role;
	char text[TOKEN_TEXT_MAX];
	uint8_t hash[TOKEN_HASH_BYTES];
	int c;

	optind = 0;
	for (;;) {
		c = getopt_long(argc, argv, "", opts, NULL);
		if (c == -1)
			break;
		if (c == 'r') {
			role_s = optarg;
		} else if (c == 'l') {
			label = optarg;
		} else if (c == 'n') {
			name = optarg;
		} else if (c == 'b') {
			blocks = optarg;
		} else {
			fprintf(stderr, PROG ": token new: bad option\n");
			return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, PROG ": token new: unexpected argument '%s'\n", argv[optind]);
		return EXIT_USAGE;
	}
	if (role_s == NULL || token_role_parse(role_s, &role) < 0) {
		fprintf(stderr, PROG ": token new: --role must be admin, manager or caretaker\n");
		return EXIT_USAGE;
	}
	if (label != NULL && strlen(label) > LABEL_MAX) {
		fprintf(stderr, PROG ": token new: --label is longer than %d bytes\n", LABEL_MAX);
		return EXIT_USAGE;
	}
	if ((name != NULL && !users_name_valid(name)) || !users_blocks_valid(blocks)) {
		fprintf(stderr, PROG ": token new: bad --name (like a user name) or --blocks (a,b)\n");
		return EXIT_USAGE;
	}
	if (token_generate(text, sizeof(text), hash) < 0 ||
	    store_token_add(st, hash, sizeof(hash), token_role_name(role), label, name,
			    blocks, sbtime_now_ms()) < 0) {
		fprintf(stderr, PROG ": token new: cannot store the token\n");
		return EXIT_FAILURE;
	}
	printf("%s\n", text);
	if (fflush(stdout) != 0) {
		fprintf(stderr, PROG ": token new: cannot write the token\n");
		return EXIT_FAILURE;
	}
	return EXIT_SUCCESS;
}

/* Complaint announcements go out like the rules' alerts (web_alert_fn over publish_alert). */
static void alert_complaint(void *ctx, const char *payload)
{
	if (publish_alert(ctx, payload) < 0)
		log_warn("mqtt: complaint alert not sent (broker unreachable)");
}

struct republish {
	struct api *api;
	struct store *store;
};

/* A new local day: every board's hours show a different week. Store lock held. */
static void republish_day(void *ctx)
{
	struct republish *rp = ctx;

	if (store_begin(rp->store) == 0 && api_commit_all_boards(rp->api) < 0)
		log_error("cannot republish the boards for the new day");
}

/* MQTT messages, on the network thread: kiosk statuses to kiosks, the rest to ingest. */
struct mqtt_route {
	struct kiosks *kiosks;
	struct ingest *ingest;
};

static void route_message(void *ctx, const char *topic, const void *payload, size_t len,
			  bool retained)
{
	struct mqtt_route *mr = ctx;

	if (mr->kiosks != NULL && kiosks_topic(mr->kiosks, topic))
		kiosks_message(mr->kiosks, topic, payload, len, retained);
	else
		ingest_message(mr->ingest, topic, payload, len, retained);
}

/*
 * Tell systemd we are up, then wait for a signal, petting its watchdog
 * (WatchdogSec) meanwhile. Outside systemd this is sigwait.
 */
static int wait_for_signal(const sigset_t *set, int *sig)
{
	int64_t every = sdnotify_watchdog_ms();
	struct timespec ts = {.tv_sec = (time_t)(every / 1000),
			      .tv_nsec = (long)(every % 1000) * 1000000L};
	int rc;

	sdnotify_send("READY=1");
	if (every == 0)
		return sigwait(set, sig);
	for (;;) {
		sdnotify_send("WATCHDOG=1");
		rc = sigtimedwait(set, NULL, &ts);
		if (rc > 0) {
			*sig = rc;
			sdnotify_send("STOPPING=1");
			return 0;
		}
		if (errno != EAGAIN && errno != EINTR)
			return -1;
	}
}

/* Every part of the running server, opened by the server_open_* steps in order. */
struct server {
	struct settings *s;
	struct store *st;
	struct boardgen_site site;
	struct sitehours *hours;
	struct rules *rules;
	struct api_breaches *breaches;
	struct republish rp;
	char (*subs)[256]; /* SUBS_MAX topic filters */
	struct kiosks *kiosks;
	struct mqtt_route route;
	char *journal;
	struct ingest *ing;
	struct publish *pub;
	struct api *api;
	struct http *http;
	struct api_complaints *complaints;
	struct web *web;
};

/* The site's rules: hours, the rules engine, sensor ingest. 0 or -1 (said on stderr). */
static int server_open_domain(struct server *v)
{
	struct settings *s = v->s;
	struct ingest_options iopt = {
		.site_id = s->site_id,
		.map = s->map,
	};
	struct sitehours_options hopt = {
		.weekly = s->hours_weekly,
		.bank_holidays = s->bank_holidays,
	};
	char err[512];

	v->journal = join(s->db, "-ingest.journal");
	v->subs = calloc(SUBS_MAX, sizeof(*v->subs));
	if (v->journal == NULL || v->subs == NULL)
		return -1;
	iopt.journal_path = v->journal;
	err[0] = '\0';
	if (sitehours_open(v->st, &hopt, &v->hours, err, sizeof(err)) < 0) {
		fprintf(stderr, PROG ": [hours]: %s\n", err[0] != '\0' ? err : "cannot set up");
		return -1;
	}
	v->site.hours = v->hours;
	if (rules_open(v->st, v->hours, &s->rules, &v->rules) < 0 ||
	    api_breaches_open(v->rules, v->hours, &v->breaches) < 0) {
		fprintf(stderr, PROG ": cannot set up the rules (see log)\n");
		return -1;
	}
	if (ingest_open(&iopt, v->st, &v->ing) < 0) {
		fprintf(stderr, PROG ": cannot set up sensor ingest (see log)\n");
		return -1;
	}
	ingest_set_sink(v->ing, rules_ingest_sink, v->rules);
	ingest_set_sink_batch(v->ing, rules_ingest_flush, rules_ingest_discard);
	if (ingest_start(v->ing) < 0) {
		fprintf(stderr, PROG ": cannot set up sensor ingest (see log)\n");
		return -1;
	}
	return 0;
}

/* The kiosks' status and the MQTT connection with every subscription. 0 or -1. */
static int server_open_mqtt(struct server *v)
{
	struct settings *s = v->s;
	struct publish_options popt = {
		.host = s->mqtt_host,
		.port = (int)s->mqtt_port,
		.username = s->mqtt_username,
		.password = s->mqtt_password,
		.cafile = s->mqtt_cafile,
		.certfile = s->mqtt_certfile,
		.keyfile = s->mqtt_keyfile,
		.client_id = s->mqtt_client_id,
		.site_id = s->site_id,
	};
	int k_ret;

	popt.n_subscriptions = ingest_subscriptions(v->ing, v->subs, INGEST_SUBS_MAX);
	if (popt.n_subscriptions > INGEST_SUBS_MAX) {
		fprintf(stderr, PROG ": too many mapped sensors\n");
		return -1;
	}
	store_lock(v->st);
	k_ret = kiosks_open(v->st, s->site_id, &v->kiosks);
	store_unlock(v->st);
	if (k_ret < 0 ||
	    kiosks_subscription(v->kiosks, v->subs[popt.n_subscriptions], sizeof(v->subs[0])) < 0) {
		fprintf(stderr, PROG ": cannot set up the kiosks (see log)\n");
		return -1;
	}
	popt.n_subscriptions++;
	v->route.kiosks = v->kiosks;
	v->route.ingest = v->ing;
	popt.subscriptions = v->subs;
	popt.on_message = route_message;
	popt.message_ctx = &v->route;
	if (publish_open(&popt, v->st, &v->pub) < 0) {
		fprintf(stderr, PROG ": cannot set up MQTT (see log)\n");
		return -1;
	}
	return 0;
}

/* The API, the pages, the rules thread and the HTTP server. 0 or -1. */
static int server_open_front(struct server *v)
{
	struct settings *s = v->s;
	struct web_options wopt = {
		.site = &v->site,
		.secure_cookies = strncmp(s->public_url, "https://", 8) == 0,
		.retention_days = s->retention_days,
		.alert = alert_complaint,
		.alert_ctx = v->pub,
		.rules = v->rules,
		.hours = v->hours,
		.kiosks = v->kiosks,
	};
	struct http_handlers handlers;
	int c_ret;

	if (api_open(v->st, &v->site, publish_board, v->pub, &v->api) < 0)
		return -1;
	api_set_breaches(v->api, v->breaches);
	store_lock(v->st);
	c_ret = api_complaints_open(v->st, alert_complaint, v->pub, &v->complaints);
	store_unlock(v->st);
	if (c_ret < 0)
		return -1;
	api_set_complaints(v->api, v->complaints);
	if (web_open(v->st, v->api, &wopt, &v->web) < 0) {
		fprintf(stderr, PROG ": cannot set up the web pages (see log)\n");
		return -1;
	}
	v->rp.api = v->api;
	v->rp.store = v->st;
	if (rules_start(v->rules, publish_alert_outbox, v->pub, republish_day, &v->rp) < 0) {
		fprintf(stderr, PROG ": cannot start the rules thread\n");
		return -1;
	}
	handlers = (struct http_handlers){api_http_handler, v->api,
					  v->web != NULL ? web_http_handler : NULL, v->web,
					  web_handles};
	if (http_open(s->http_host, s->http_port, &handlers, &v->http) < 0) {
		fprintf(stderr, PROG ": cannot listen on %s\n", s->http);
		return -1;
	}
	log_info(strchr(s->http_host, ':') != NULL ? "listening on http://[%s]:%d"
						   : "listening on http://%s:%d",
		 s->http_host, http_port(v->http));
	return 0;
}

/* Shut down in order. Every part may be NULL. */
static void server_close(struct server *v)
{
	http_close(v->http);
	web_close(v->web);
	/* alerts not yet sent stay in the outbox for the next start */
	rules_stop(v->rules);
	/* MQTT first: nothing new arrives while ingest commits what it holds */
	publish_close(v->pub, SHUTDOWN_FLUSH_MS);
	ingest_close(v->ing);
	store_lock(v->st);
	kiosks_close(v->kiosks);
	store_unlock(v->st);
	free(v->journal);
	free(v->subs);
	api_close(v->api);
	api_complaints_close(v->complaints);
	api_breaches_close(v->breaches);
	rules_close(v->rules);
	sitehours_close(v->hours);
}

static int run(struct settings *s, struct store *st)
{
	struct server v = {
		.s = s,
		.st = st,
		.site = {
			.id = s->site_id,
			.name = s->site_name,
			.contractor = s->contractor,
			.timezone = s->timezone,
			.public_url = s->public_url,
		},
	};
	sigset_t set;
	int sig = 0;
	int ret = EXIT_FAILURE;

	/* block the signals before any thread starts, so only sigwait sees them */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (server_open_domain(&v) < 0 || server_open_mqtt(&v) < 0 || server_open_front(&v) < 0)
		goto out;
	if (wait_for_signal(&set, &sig) != 0)
		goto out;
	log_info("%s received, shutting down", sig == SIGTERM ? "SIGTERM" : "SIGINT");
	ret = EXIT_SUCCESS;
out:
	server_close(&v);
	return ret;
}

/*
 * The flags and the subcommand's name: *config set (borrowed from argv) and
 * -1 to go on, or the exit status (help, version, usage errors).
 */
static int parse_flags(int argc, char **argv, const char **config)
{
	static const struct option opts[] = {
		{"config", required_argument, NULL, 'c'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	int c;

	for (;;) {
		c = getopt_long(argc, argv, "+c:hV", opts, NULL);
		if (c == -1)
			break;
		switch (c) {
		case 'c':
			*config = optarg;
			break;
		case 'h':
			usage(stdout);
			return EXIT_SUCCESS;
		case 'V':
			printf(PROG " %s\n", SITEBOARD_VERSION);
			return EXIT_SUCCESS;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (*config == NULL) {
		fprintf(stderr, PROG ": --config FILE is required (see --help)\n");
		return EXIT_USAGE;
	}
	if (optind < argc && strcmp(argv[optind], "user") != 0 &&
	    !devicecmd_is_command(argv[optind]) &&
	    (strcmp(argv[optind], "token") != 0 || optind + 1 >= argc ||
	     strcmp(argv[optind + 1], "new") != 0)) {
		fprintf(stderr, PROG ": unknown command '%s' (see --help)\n", argv[optind]);
		return EXIT_USAGE;
	}
	return -1;
}

int main(int argc, char **argv)
{
	struct settings s = {
		.mqtt_port = 1883,
		.retention_days = WEB_RETENTION_DEFAULT_DAYS,
		.rules = RULES_CONFIG_DEFAULT,
	};
	const struct config_key keys[] = {
		{"server", "db", CONFIG_STRING, &s.db, true, 0, 0},
		{"server", "http", CONFIG_STRING, &s.http, false, 0, 0},
		{"server", "public_url", CONFIG_STRING, &s.public_url, false, 0, 0},
		{"server", "log_level", CONFIG_STRING, &s.log_level, false, 0, 0},
		{"mqtt", "host", CONFIG_STRING, &s.mqtt_host, false, 0, 0},
		{"mqtt", "port", CONFIG_INT, &s.mqtt_port, false, 1, 65535},
		{"mqtt", "username", CONFIG_STRING, &s.mqtt_username, false, 0, 0},
		{"mqtt", "password", CONFIG_STRING, &s.mqtt_password, false, 0, 0},
		{"mqtt", "cafile", CONFIG_STRING, &s.mqtt_cafile, false, 0, 0},
		{"mqtt", "certfile", CONFIG_STRING, &s.mqtt_certfile, false, 0, 0},
		{"mqtt", "keyfile", CONFIG_STRING, &s.mqtt_keyfile, false, 0, 0},
		{"mqtt", "client_id", CONFIG_STRING, &s.mqtt_client_id, false, 0, 0},
		{"site", "id", CONFIG_STRING, &s.site_id, true, 0, 0},
		{"site", "name", CONFIG_STRING, &s.site_name, true, 0, 0},
		{"site", "contractor", CONFIG_STRING, &s.contractor, false, 0, 0},
		{"site", "timezone", CONFIG_STRING, &s.timezone, false, 0, 0},
		{"privacy", "complaint_retention_days", CONFIG_INT, &s.retention_days, false, 0,
		 36500},
		{"hours", "weekly", CONFIG_STRING, &s.hours_weekly, false, 0, 0},
		{"hours", "bank_holidays", CONFIG_STRING, &s.bank_holidays, false, 0, 0},
		{"doors", "insecure_grace_min", CONFIG_INT, &s.rules.insecure_grace_min, false, 0,
		 24 * 60},
		{"doors", "held_open_s", CONFIG_INT, &s.rules.held_open_s, false, 1, 86400},
		{"noise", "out_of_hours_laeq", CONFIG_DOUBLE, &s.rules.out_of_hours_laeq, false, 0,
		 200},
		{"noise", "in_hours_laeq", CONFIG_DOUBLE, &s.rules.in_hours_laeq, false, 0, 200},
		{"noise", "in_hours_window_min", CONFIG_INT, &s.rules.in_hours_window_min, false, 1,
		 24 * 60},
		{"sensors", "heartbeat_s", CONFIG_INT, &s.rules.heartbeat_s, false, 0, 86400},
		{"zigbee2mqtt", "*", CONFIG_BOOL, NULL, false, 0, 0},
		{"esphome", "*", CONFIG_BOOL, NULL, false, 0, 0},
		{"tasmota", "*", CONFIG_BOOL, NULL, false, 0, 0},
		{"shelly", "*", CONFIG_BOOL, NULL, false, 0, 0},
	};
	const size_t n_keys = sizeof(keys) / sizeof(keys[0]);
	const char *config = NULL;
	struct store *st = NULL;
	char err[512];
	int ret = EXIT_FAILURE;
	int c;

	log_init(PROG);
	c = parse_flags(argc, argv, &config);
	if (c >= 0)
		return c;
	s.http = strdup("127.0.0.1:8080");
	s.log_level = strdup("info");
	s.mqtt_host = strdup("127.0.0.1");
	s.timezone = strdup("Europe/London");
	if (s.http == NULL || s.log_level == NULL || s.mqtt_host == NULL || s.timezone == NULL)
		goto out;
	err[0] = '\0';
	if (load_settings(config, &s, keys, n_keys, err, sizeof(err)) < 0) {
		fprintf(stderr, PROG ": %s\n", err[0] != '\0' ? err : "out of memory");
		goto out;
	}
	log_set_level(s.level);
	/*
	 * The hours are judged in the site's local time: the process zone is
	 * the site's, set once here before any thread (localtime_r then reads it).
	 */
	if (!timezone_installed(s.timezone)) {
		fprintf(stderr, PROG ": %s: [site] timezone '%.60s' is not in the system tz database\n",
			config, s.timezone);
		goto out;
	}
	if (setenv("TZ", s.timezone, 1) != 0)
		goto out;
	tzset();
	if (token_init() < 0) {
		fprintf(stderr, PROG ": cannot initialise libsodium\n");
		goto out;
	}
	if (store_open(s.db, &st) < 0) {
		fprintf(stderr, PROG ": cannot open database %s (see log)\n", s.db);
		goto out;
	}
	if (optind < argc && strcmp(argv[optind], "user") == 0)
		ret = usercmd_run(st, argc - optind - 1, argv + optind + 1);
	else if (optind < argc && devicecmd_is_command(argv[optind]))
		ret = devicecmd_run(st, s.site_id, s.map, argc - optind, argv + optind);
	else if (optind < argc)
		ret = cmd_token_new(st, argc - optind - 1, argv + optind + 1);
	else
		ret = run(&s, st);
out:
	store_close(st);
	config_release(keys, n_keys);
	mapping_free(s.map);
	free(s.http_host);
	return ret;
}
