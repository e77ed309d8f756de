/* SPDX-License-Identifier: MIT */
/*
 * sb-bench-latency: how long a posted notice takes to reach a lobby screen.
 * Against a running siteboard-server, broker and siteboard-kiosk it posts
 * notices one at a time over one keep-alive HTTP connection and, for each,
 * records when the retained board with the new version reached this tool
 * (post -> board received) and the kiosk's own status `shown_at` for that
 * board version (post -> frame shown). The previous bench notice is deleted
 * after each post, unmeasured, so the board keeps its size.
 *
 * A measuring tool for bench/run, not a test: it prints numbers and never
 * judges them. All clocks are this machine's wall clock (the kiosk's
 * shown_at has ms resolution, truncated).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <jansson.h>
#include <mosquitto.h>

#include <siteboard/parse.h>
#include <siteboard/sbtime.h>
#include <siteboard/topic.h>

#define PROG "sb-bench-latency"
#define REPLY_MAX (64 * 1024) /* an API answer to one notice is far smaller */
#define STARTUP_MS 10000      /* wait this long for the first board and status */

struct opts {
	const char *api;   /* http://127.0.0.1:PORT */
	const char *token; /* from $SITEBOARD_TOKEN */
	const char *host;
	int port;
	const char *site, *block, *kiosk;
	long posts;
	long timeout_ms;  /* per post, for the board and for the frame */
	long max_seconds; /* stop posting after this, whatever the count */
	const char *csv;  /* optional: one line per post */
};

/* What the MQTT thread has seen; guarded by lock, waited on with cond. */
struct seen {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	char board_topic[TOPIC_MAX];
	char status_topic[TOPIC_MAX];
	int subacks;
	int64_t board_version; /* -1 until a board arrives */
	int64_t board_at_us;   /* wall clock when that version arrived */
	int64_t status_version;
	int64_t shown_at_ms;
};

struct reply {
	char buf[REPLY_MAX];
	size_t len;
};

struct sample {
	double http_ms, board_ms, frame_ms;
};

static int64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: " PROG " --api URL --mqtt-port PORT [options]\n"
		"  SITEBOARD_TOKEN (environment)  API token that may post and delete notices\n"
		"  --api URL              server base URL (http://127.0.0.1:PORT)\n"
		"  --mqtt-host HOST       broker (default 127.0.0.1)\n"
		"  --mqtt-port PORT       broker port\n"
		"  --site ID --block ID   (default barton-hill, tower-a)\n"
		"  --kiosk ID             kiosk whose status is watched (default lobby-1)\n"
		"  --posts N              notices to post (default 1000)\n"
		"  --timeout-ms MS        per post, for the board and for the frame (default 5000)\n"
		"  --max-seconds S        stop posting after S seconds (default 300)\n"
		"  --csv FILE             write every sample: i,http_ms,board_ms,frame_ms\n");
}

static int parse_long(const char *s, long lo, long hi, long *out)
{
	int64_t v = 0;

	if (parse_int64(s, lo, hi, &v) < 0)
		return -EINVAL;
	*out = (long)v;
	return 0;
}

/* @retval 0, 1 (--help shown), -EINVAL (message printed) */
static int parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{"api", required_argument, NULL, 'a'},
		{"mqtt-host", required_argument, NULL, 'H'},
		{"mqtt-port", required_argument, NULL, 'p'},
		{"site", required_argument, NULL, 's'},
		{"block", required_argument, NULL, 'b'},
		{"kiosk", required_argument, NULL, 'k'},
		{"posts", required_argument, NULL, 'n'},
		{"timeout-ms", required_argument, NULL, 't'},
		{"max-seconds", required_argument, NULL, 'm'},
		{"csv", required_argument, NULL, 'c'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	long port = 0;
	int ch, idx = 0;

	o->host = "127.0.0.1";
	o->site = "barton-hill";
	o->block = "tower-a";
	o->kiosk = "lobby-1";
	o->posts = 1000;
	o->timeout_ms = 5000;
	o->max_seconds = 300;
	o->token = getenv("SITEBOARD_TOKEN");
	while ((ch = getopt_long(argc, argv, "h", longopts, &idx)) != -1) {
		int rc = 0;

		switch (ch) {
		case 'a': o->api = optarg; break;
		case 'H': o->host = optarg; break;
		case 'p': rc = parse_long(optarg, 1, 65535, &port); break;
		case 's': o->site = optarg; break;
		case 'b': o->block = optarg; break;
		case 'k': o->kiosk = optarg; break;
		case 'n': rc = parse_long(optarg, 1, 1000000, &o->posts); break;
		case 't': rc = parse_long(optarg, 10, 600000, &o->timeout_ms); break;
		case 'm': rc = parse_long(optarg, 1, 86400, &o->max_seconds); break;
		case 'c': o->csv = optarg; break;
		case 'h': usage(stdout); return 1;
		default: usage(stderr); return -EINVAL;
		}
		if (rc < 0) {
			fprintf(stderr, PROG ": bad value for --%s: %s\n", longopts[idx].name, optarg);
			return -EINVAL;
		}
	}
	o->port = (int)port;
	if (!o->api || !o->port || !o->token || !o->token[0]) {
		fprintf(stderr, PROG ": --api, --mqtt-port and SITEBOARD_TOKEN are required\n");
		return -EINVAL;
	}
	return 0;
}

/* ---- MQTT side (libmosquitto's thread) ---- */

static void on_connect(struct mosquitto *mosq, void *obj, int rc)
{
	struct seen *s = obj;

	if (rc != 0) {
		fprintf(stderr, PROG ": broker refused: %s\n", mosquitto_connack_string(rc));
		return;
	}
	mosquitto_subscribe(mosq, NULL, s->board_topic, 1);
	mosquitto_subscribe(mosq, NULL, s->status_topic, 1);
}

static void on_subscribe(struct mosquitto *mosq, void *obj, int mid, int n, const int *granted)
{
	struct seen *s = obj;

	(void)mosq;
	(void)mid;
	(void)n;
	(void)granted;
	pthread_mutex_lock(&s->lock);
	s->subacks++;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
}

static void on_message(struct mosquitto *mosq, void *obj, const struct mosquitto_message *m)
{
	struct seen *s = obj;
	int64_t at = now_us();
	json_t *root = NULL;
	json_int_t v;

	(void)mosq;
	if (m->payloadlen <= 0)
		return;
	root = json_loadb(m->payload, (size_t)m->payloadlen, 0, NULL);
	if (!root)
		return;
	pthread_mutex_lock(&s->lock);
	if (strcmp(m->topic, s->board_topic) == 0) {
		v = json_integer_value(json_object_get(root, "version"));
		if (v > s->board_version) {
			s->board_version = v;
			s->board_at_us = at;
		}
	} else if (strcmp(m->topic, s->status_topic) == 0) {
		const char *shown = json_string_value(json_object_get(root, "shown_at"));
		int64_t ms = 0;

		v = json_integer_value(json_object_get(root, "board_version"));
		if (shown && sbtime_parse(shown, &ms) == 0 && v >= s->status_version) {
			s->status_version = v;
			s->shown_at_ms = ms;
		}
	}
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
	json_decref(root);
}

/* Wait (lock held) until *field reaches at least min, or deadline (wall us). */
static int wait_at_least(struct seen *s, const int64_t *field, int64_t min, int64_t deadline_us)
{
	while (*field < min) {
		struct timespec ts = {.tv_sec = (time_t)(deadline_us / 1000000),
				      .tv_nsec = (long)(deadline_us % 1000000) * 1000};

		if (pthread_cond_timedwait(&s->cond, &s->lock, &ts) == ETIMEDOUT && *field < min)
			return -ETIMEDOUT;
	}
	return 0;
}

/* ---- HTTP side ---- */

static size_t on_body(char *data, size_t size, size_t n, void *userp)
{
	struct reply *r = userp;
	size_t len = size * n;

	if (len > sizeof(r->buf) - 1 - r->len)
		return 0; /* too big: curl fails the transfer */
	memcpy(r->buf + r->len, data, len);
	r->len += len;
	r->buf[r->len] = '\0';
	return len;
}

/* One request on the shared handle. @retval HTTP status, or -EIO */
static long request(CURL *c, const char *method, const char *url, const char *body,
		    struct reply *r)
{
	long code = 0;

	r->len = 0;
	r->buf[0] = '\0';
	curl_easy_setopt(c, CURLOPT_URL, url);
	if (body)
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	else
		curl_easy_setopt(c, CURLOPT_HTTPGET, 1L); /* forget the last body */
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	if (curl_easy_perform(c) != CURLE_OK)
		return -EIO;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	return code;
}

/* POST a notice; its id goes to id (n bytes). @retval 0, -EIO */
static int post_notice(CURL *c, const struct opts *o, long i, char *id, size_t n, struct reply *r)
{
	char url[512], body[512];
	json_t *root = NULL;
	const char *got;
	long code;
	int rc = -EIO;

	snprintf(url, sizeof(url), "%s/api/v1/blocks/%s/notices", o->api, o->block);
	snprintf(body, sizeof(body),
		 "{\"title\":\"Lift 1 out of service (bench %ld)\","
		 "\"body\":\"An engineer is on the way; please use lift 2.\","
		 "\"priority\":\"important\"}",
		 i);
	code = request(c, "POST", url, body, r);
	if (code != 201) {
		fprintf(stderr, PROG ": POST %s: %ld %s\n", url, code, r->buf);
		goto out;
	}
	root = json_loads(r->buf, 0, NULL);
	got = json_string_value(json_object_get(root, "id"));
	if (!got || strlen(got) >= n) {
		fprintf(stderr, PROG ": POST answer without an id: %s\n", r->buf);
		goto out;
	}
	snprintf(id, n, "%s", got);
	rc = 0;
out:
	json_decref(root);
	return rc;
}

static int delete_notice(CURL *c, const struct opts *o, const char *id, struct reply *r)
{
	char url[512];
	long code;

	snprintf(url, sizeof(url), "%s/api/v1/notices/%s", o->api, id);
	code = request(c, "DELETE", url, NULL, r);
	if (code != 204) {
		fprintf(stderr, PROG ": DELETE %s: %ld %s\n", url, code, r->buf);
		return -EIO;
	}
	return 0;
}

/* After a change whose board has version > before: wait for board and frame. */
static int settle(struct seen *s, int64_t before, long timeout_ms, int64_t *board_at_us,
		  int64_t *version, int64_t *shown_at_ms)
{
	int64_t deadline = now_us() + (int64_t)timeout_ms * 1000;
	int rc;

	pthread_mutex_lock(&s->lock);
	rc = wait_at_least(s, &s->board_version, before + 1, deadline);
	if (rc == 0) {
		*version = s->board_version;
		*board_at_us = s->board_at_us;
		deadline = now_us() + (int64_t)timeout_ms * 1000;
		rc = wait_at_least(s, &s->status_version, *version, deadline);
		if (rc == 0)
			*shown_at_ms = s->shown_at_ms;
		else
			rc = -EAGAIN; /* the board came, the frame did not */
	}
	pthread_mutex_unlock(&s->lock);
	return rc;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Nearest-rank percentile of sorted v[0..n). */
static double pct(const double *v, size_t n, double p)
{
	size_t rank = (size_t)(p / 100.0 * (double)n + 0.999999);

	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return v[rank - 1];
}

static void report(const char *name, double *v, size_t n)
{
	double sum = 0;

	if (n == 0) {
		printf("%s n=0\n", name);
		return;
	}
	qsort(v, n, sizeof(*v), cmp_double);
	for (size_t i = 0; i < n; i++)
		sum += v[i];
	printf("%s n=%zu min=%.2f median=%.2f p90=%.2f p99=%.2f max=%.2f mean=%.2f\n", name, n,
	       v[0], pct(v, n, 50), pct(v, n, 90), pct(v, n, 99), v[n - 1], sum / (double)n);
}

int main(int argc, char **argv)
{
	struct opts o;
	struct seen s;
	struct reply *r = NULL;
	struct sample *samples = NULL;
	double *col = NULL;
	struct mosquitto *mosq = NULL;
	struct curl_slist *hdrs = NULL;
	CURL *c = NULL;
	FILE *csv = NULL;
	char auth[1024], prev[64] = "", id[64];
	size_t n = 0;
	long missed_board = 0, missed_frame = 0, errors = 0;
	int64_t start_us, deadline;
	int rc, status = 1;
	bool mqtt_up = false, loop_up = false;

	memset(&o, 0, sizeof(o));
	memset(&s, 0, sizeof(s));
	pthread_mutex_init(&s.lock, NULL);
	pthread_cond_init(&s.cond, NULL);
	s.board_version = -1;
	s.status_version = -1;
	mosquitto_lib_init();
	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = parse_args(argc, argv, &o);
	if (rc != 0) {
		status = rc > 0 ? 0 : 2;
		goto out;
	}
	if (topic_board(s.board_topic, sizeof(s.board_topic), o.site, o.block) < 0 ||
	    topic_kiosk_status(s.status_topic, sizeof(s.status_topic), o.site, o.block, o.kiosk) <
		    0) {
		fprintf(stderr, PROG ": bad --site, --block or --kiosk id\n");
		goto out;
	}
	r = malloc(sizeof(*r));
	samples = calloc((size_t)o.posts, sizeof(*samples));
	col = calloc((size_t)o.posts, sizeof(*col));
	if (!r || !samples || !col) {
		fprintf(stderr, PROG ": out of memory\n");
		goto out;
	}
	if (o.csv) {
		csv = fopen(o.csv, "w");
		if (!csv) {
			fprintf(stderr, PROG ": cannot write %s: %s\n", o.csv, strerror(errno));
			goto out;
		}
		fprintf(csv, "i,http_ms,board_ms,frame_ms\n");
	}

	mosq = mosquitto_new(NULL, true, &s);
	if (!mosq)
		goto out;
	mosquitto_connect_callback_set(mosq, on_connect);
	mosquitto_subscribe_callback_set(mosq, on_subscribe);
	mosquitto_message_callback_set(mosq, on_message);
	if (mosquitto_connect(mosq, o.host, o.port, 30) != MOSQ_ERR_SUCCESS) {
		fprintf(stderr, PROG ": cannot connect to %s:%d\n", o.host, o.port);
		goto out;
	}
	mqtt_up = true;
	if (mosquitto_loop_start(mosq) != MOSQ_ERR_SUCCESS)
		goto out;
	loop_up = true;

	/* Both retained messages first: the board on show and the kiosk showing it. */
	deadline = now_us() + (int64_t)STARTUP_MS * 1000;
	pthread_mutex_lock(&s.lock);
	rc = wait_at_least(&s, &s.board_version, 0, deadline);
	if (rc == 0)
		rc = wait_at_least(&s, &s.status_version, s.board_version, deadline);
	pthread_mutex_unlock(&s.lock);
	if (rc < 0) {
		fprintf(stderr, PROG ": no retained board and matching kiosk status on %s / %s\n",
			s.board_topic, s.status_topic);
		goto out;
	}

	c = curl_easy_init();
	if (!c)
		goto out;
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", o.token);
	hdrs = curl_slist_append(hdrs, auth);
	hdrs = curl_slist_append(hdrs, "Content-Type: application/json");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(c, CURLOPT_TCP_NODELAY, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, o.timeout_ms);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);

	start_us = now_us();
	for (long i = 0; i < o.posts; i++) {
		int64_t before, t0, t_http, board_at = 0, version = 0, shown = 0;

		if (now_us() - start_us > (int64_t)o.max_seconds * 1000000) {
			fprintf(stderr, PROG ": --max-seconds reached after %ld posts\n", i);
			break;
		}
		pthread_mutex_lock(&s.lock);
		before = s.board_version;
		pthread_mutex_unlock(&s.lock);

		t0 = now_us();
		if (post_notice(c, &o, i, id, sizeof(id), r) < 0) {
			if (++errors > 10)
				goto out;
			continue;
		}
		t_http = now_us();
		rc = settle(&s, before, o.timeout_ms, &board_at, &version, &shown);
		if (rc == -ETIMEDOUT) {
			missed_board++;
		} else if (rc == -EAGAIN) {
			missed_frame++;
		} else {
			samples[n].http_ms = (double)(t_http - t0) / 1000.0;
			samples[n].board_ms = (double)(board_at - t0) / 1000.0;
			samples[n].frame_ms = (double)shown - (double)t0 / 1000.0;
			if (csv)
				fprintf(csv, "%ld,%.3f,%.3f,%.3f\n", i, samples[n].http_ms,
					samples[n].board_ms, samples[n].frame_ms);
			n++;
		}

		/* Unmeasured: remove the previous bench notice and let the kiosk draw it. */
		if (prev[0]) {
			pthread_mutex_lock(&s.lock);
			before = s.board_version;
			pthread_mutex_unlock(&s.lock);
			if (delete_notice(c, &o, prev, r) == 0)
				settle(&s, before, o.timeout_ms, &board_at, &version, &shown);
		}
		snprintf(prev, sizeof(prev), "%s", id);
	}
	if (prev[0])
		delete_notice(c, &o, prev, r);

	printf("posts=%zu missed_board=%ld missed_frame=%ld errors=%ld\n", n, missed_board,
	       missed_frame, errors);
	for (size_t i = 0; i < n; i++)
		col[i] = samples[i].http_ms;
	report("http_post_ms", col, n);
	for (size_t i = 0; i < n; i++)
		col[i] = samples[i].board_ms;
	report("post_to_board_ms", col, n);
	for (size_t i = 0; i < n; i++)
		col[i] = samples[i].frame_ms;
	report("post_to_frame_ms", col, n);
	status = n > 0 ? 0 : 1;
out:
	if (loop_up)
		mosquitto_disconnect(mosq);
	if (loop_up)
		mosquitto_loop_stop(mosq, false);
	else if (mqtt_up)
		mosquitto_disconnect(mosq);
	mosquitto_destroy(mosq);
	mosquitto_lib_cleanup();
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(c);
	curl_global_cleanup();
	if (csv)
		fclose(csv);
	free(col);
	free(samples);
	free(r);
	pthread_mutex_destroy(&s.lock);
	pthread_cond_destroy(&s.cond);
	return status;
}
