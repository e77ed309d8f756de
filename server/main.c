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

#include "siteboard/config.h"
#include "siteboard/log.h"
#include "siteboard/sbtime.h"
#include "siteboard/topic.h"
#include "src/api.h"
#include "src/boardgen.h"
#include "src/http.h"
#include "src/publish.h"
#include "src/store.h"
#include "src/token.h"

#define PROG "siteboard-server"
#define EXIT_USAGE 2
#define LABEL_MAX 200
#define SHUTDOWN_FLUSH_MS 5000

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
	char *mqtt_client_id;
	char *site_id;
	char *site_name;
	char *contractor;
	char *timezone;
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
		" [--label TEXT]\n"
		"\n"
		"  -c, --config FILE  configuration (INI), see docs/server.md\n"
		"  -h, --help         show this help\n"
		"  -V, --version      show the version\n"
		"\n"
		"token new prints a new API token on stdout; only its hash is stored.\n");
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
	if (s->mqtt_password != NULL && s->mqtt_username == NULL) {
		snprintf(err, err_len, "%s: [mqtt] password needs a username", path);
		return -EINVAL;
	}
	return 0;
}

static int cmd_token_new(struct store *st, int argc, char **argv)
{
	static const struct option opts[] = {
		{"role", required_argument, NULL, 'r'},
		{"label", required_argument, NULL, 'l'},
		{NULL, 0, NULL, 0},
	};
	const char *role_s = NULL;
	const char *label = NULL;
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
	if (token_generate(text, sizeof(text), hash) < 0 ||
	    store_token_add(st, hash, sizeof(hash), token_role_name(role), label,
			    sbtime_now_ms()) < 0) {
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

static int run(struct settings *s, struct store *st)
{
	struct boardgen_site site = {
		.id = s->site_id,
		.name = s->site_name,
		.contractor = s->contractor,
		.timezone = s->timezone,
		.public_url = s->public_url,
	};
	struct publish_options popt = {
		.host = s->mqtt_host,
		.port = (int)s->mqtt_port,
		.username = s->mqtt_username,
		.password = s->mqtt_password,
		.cafile = s->mqtt_cafile,
		.client_id = s->mqtt_client_id,
		.site_id = s->site_id,
	};
	struct publish *pub = NULL;
	struct api *api = NULL;
	struct http *http = NULL;
	sigset_t set;
	int sig = 0;
	int ret = EXIT_FAILURE;

	/* block the signals before any thread starts, so only sigwait sees them */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (publish_open(&popt, st, &pub) < 0) {
		fprintf(stderr, PROG ": cannot set up MQTT (see log)\n");
		goto out;
	}
	if (api_open(st, &site, publish_board, pub, &api) < 0)
		goto out;
	if (http_open(s->http_host, s->http_port, api, &http) < 0) {
		fprintf(stderr, PROG ": cannot listen on %s\n", s->http);
		goto out;
	}
	log_info(strchr(s->http_host, ':') != NULL ? "listening on http://[%s]:%d"
						   : "listening on http://%s:%d",
		 s->http_host, http_port(http));
	if (sigwait(&set, &sig) != 0)
		goto out;
	log_info("%s received, shutting down", sig == SIGTERM ? "SIGTERM" : "SIGINT");
	ret = EXIT_SUCCESS;
out:
	http_close(http);
	publish_close(pub, SHUTDOWN_FLUSH_MS);
	api_close(api);
	return ret;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"config", required_argument, NULL, 'c'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	struct settings s = {
		.mqtt_port = 1883,
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
		{"mqtt", "client_id", CONFIG_STRING, &s.mqtt_client_id, false, 0, 0},
		{"site", "id", CONFIG_STRING, &s.site_id, true, 0, 0},
		{"site", "name", CONFIG_STRING, &s.site_name, true, 0, 0},
		{"site", "contractor", CONFIG_STRING, &s.contractor, false, 0, 0},
		{"site", "timezone", CONFIG_STRING, &s.timezone, false, 0, 0},
	};
	const size_t n_keys = sizeof(keys) / sizeof(keys[0]);
	const char *config = NULL;
	struct store *st = NULL;
	char err[512];
	int ret = EXIT_FAILURE;
	int c;

	log_init(PROG);
	for (;;) {
		c = getopt_long(argc, argv, "+c:hV", opts, NULL);
		if (c == -1)
			break;
		switch (c) {
		case 'c':
			config = optarg;
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
	if (config == NULL) {
		fprintf(stderr, PROG ": --config FILE is required (see --help)\n");
		return EXIT_USAGE;
	}
	if (optind < argc && (strcmp(argv[optind], "token") != 0 || optind + 1 >= argc ||
			      strcmp(argv[optind + 1], "new") != 0)) {
		fprintf(stderr, PROG ": unknown command '%s' (see --help)\n", argv[optind]);
		return EXIT_USAGE;
	}

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
	if (token_init() < 0) {
		fprintf(stderr, PROG ": cannot initialise libsodium\n");
		goto out;
	}
	if (store_open(s.db, &st) < 0) {
		fprintf(stderr, PROG ": cannot open database %s (see log)\n", s.db);
		goto out;
	}
	if (optind < argc)
		ret = cmd_token_new(st, argc - optind - 1, argv + optind + 1);
	else
		ret = run(&s, st);
out:
	store_close(st);
	config_release(keys, n_keys);
	free(s.http_host);
	return ret;
}
