/* SPDX-License-Identifier: MIT */
/*
 * sb-bench-web: does a slow request hold up the others? Against a running
 * siteboard-server (bench/run starts it), one thread times a plain API GET
 * (GET /api/v1/blocks, one keep-alive connection, 2 ms apart), first alone, then while
 * sign-ins (POST /login, Argon2id) and lobby-screen previews (the caretaker
 * page's 1080x1920 PNG) run at once on threads of their own, each on its own
 * connection. Also one sign-in's time alone. Prints one line per measure:
 *   NAME n=N median=MS p90=MS p99=MS max=MS
 * and a line of counts and wrong answers. A report, not a test: no thresholds.
 *
 * Each sign-in thread uses its own account and its own loopback source
 * address (127.0.0.(10+i)): the server counts sign-ins in flight against the
 * per-address and per-name limits (5), and these are not an attack.
 *
 * Not for: throughput (the loads run back to back, one request in flight per
 * thread). Threads: one per load plus the GET's; curl easy handles each.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "siteboard/parse.h"

#include <curl/curl.h>

#define MAX_THREADS 64
#define MAX_SAMPLES 100000
#define BODY_MAX (8 * 1024 * 1024)
#define GET_EVERY_MS 2 /* a pause between GETs: a client, not a flood */

struct opts {
	const char *url;
	const char *token;
	const char *block;
	const char *user_prefix; /* sign-in accounts PREFIX-0 ... PREFIX-(n-1) */
	const char *password;
	const char *viewer; /* account whose session draws the previews */
	int signins;
	int previews;
	int alone_gets;
	int alone_signins;
	double seconds;
};

struct samples {
	double *v;
	size_t n;
	size_t cap;
};

struct body {
	char *buf;
	size_t len;
	bool over;
};

struct worker {
	pthread_t thread;
	const struct opts *o;
	int index;
	bool preview;
	char cookie[256];
	struct samples times;
	long ok;
	long wrong;
};

static atomic_bool stop_load;
static atomic_int started;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static int add_sample(struct samples *s, double v)
{
	if (s->n == s->cap) {
		size_t cap = s->cap != 0 ? s->cap * 2 : 256;
		double *nv = NULL;

		if (cap > MAX_SAMPLES)
			return -ENOSPC;
		nv = realloc(s->v, cap * sizeof(*nv));
		if (nv == NULL)
			return -ENOMEM;
		s->v = nv;
		s->cap = cap;
	}
	s->v[s->n++] = v;
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a;
	double y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Nearest-rank percentile of sorted v. */
static double pct(const double *v, size_t n, double p)
{
	size_t rank = (size_t)(p / 100.0 * (double)n + 0.999999);

	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return v[rank - 1];
}

static void report(const char *name, struct samples *s)
{
	if (s->n == 0) {
		printf("%s n=0\n", name);
		return;
	}
	qsort(s->v, s->n, sizeof(*s->v), cmp_double);
	printf("%s n=%zu median=%.2f p90=%.2f p99=%.2f max=%.2f\n", name, s->n,
	       pct(s->v, s->n, 50), pct(s->v, s->n, 90), pct(s->v, s->n, 99), s->v[s->n - 1]);
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *ctx)
{
	struct body *b = ctx;
	size_t n = size * nmemb;
	char *nb = NULL;

	if (b->over || b->len + n + 1 > BODY_MAX) {
		b->over = true;
		return n;
	}
	nb = realloc(b->buf, b->len + n + 1);
	if (nb == NULL)
		return 0;
	b->buf = nb;
	memcpy(b->buf + b->len, data, n);
	b->len += n;
	b->buf[b->len] = '\0';
	return n;
}

static void body_reset(struct body *b)
{
	b->len = 0;
	b->over = false;
	if (b->buf != NULL)
		b->buf[0] = '\0';
}

/* One request on h; status in *status (0: transport error); body in b. */
static int request(CURL *h, const char *url, struct body *b, long *status)
{
	CURLcode rc;

	body_reset(b);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, b);
	rc = curl_easy_perform(h);
	*status = 0;
	if (rc != CURLE_OK)
		return -EIO;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
	return 0;
}

/* The value of the login form's csrf field (also its sb_login cookie). */
static int csrf_of(const char *page, char *out, size_t n)
{
	const char *p = page != NULL ? strstr(page, "name=\"csrf\" value=\"") : NULL;
	size_t len;

	if (p == NULL)
		return -ENOENT;
	p += strlen("name=\"csrf\" value=\"");
	len = strcspn(p, "\"");
	if (len == 0 || len >= n)
		return -ENOENT;
	memcpy(out, p, len);
	out[len] = '\0';
	return 0;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *ctx)
{
	char *cookie = ctx;
	size_t n = size * nmemb;
	static const char want[] = "set-cookie: sb_session=";

	if (n > sizeof(want) && strncasecmp(data, want, sizeof(want) - 1) == 0) {
		size_t len = strcspn(data + sizeof(want) - 1, ";\r\n");

		if (len + 12 < 256)
			snprintf(cookie, 256, "sb_session=%.*s", (int)len, data + sizeof(want) - 1);
	}
	return n;
}

/*
 * Sign in as user: GET /login for the double-submit token, then the timed
 * POST. *ms is the POST's time; session (256 bytes, may be NULL) gets the
 * sb_session cookie. 0 if the answer was 303.
 */
static int sign_in(CURL *h, const struct opts *o, const char *user, struct body *b, double *ms,
		   char *session)
{
	char url[512];
	char csrf[128];
	char cookie[160];
	char form[512];
	char *u = NULL;
	char *pw = NULL;
	char got[256] = "";
	long status = 0;
	double t0;
	int ret = -EIO;

	snprintf(url, sizeof(url), "%s/login", o->url);
	curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(h, CURLOPT_COOKIE, NULL);
	if (request(h, url, b, &status) < 0 || status != 200 || csrf_of(b->buf, csrf, sizeof(csrf)) < 0)
		return -EIO;
	u = curl_easy_escape(h, user, 0);
	pw = curl_easy_escape(h, o->password, 0);
	if (u == NULL || pw == NULL)
		goto out;
	snprintf(cookie, sizeof(cookie), "sb_login=%s", csrf);
	snprintf(form, sizeof(form), "csrf=%s&username=%s&password=%s", csrf, u, pw);
	curl_easy_setopt(h, CURLOPT_COOKIE, cookie);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, form);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, got);
	t0 = now_ms();
	ret = request(h, url, b, &status);
	*ms = now_ms() - t0;
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, NULL);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, NULL);
	curl_easy_setopt(h, CURLOPT_COOKIE, NULL);
	curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	if (ret == 0 && (status != 303 || got[0] == '\0'))
		ret = -EACCES;
	if (ret == 0 && session != NULL)
		snprintf(session, 256, "%s", got);
out:
	curl_free(u);
	curl_free(pw);
	return ret;
}

static CURL *new_handle(const char *local_addr)
{
	CURL *h = curl_easy_init();

	if (h == NULL)
		return NULL;
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(h, CURLOPT_TCP_NODELAY, 1L);
	if (local_addr != NULL)
		curl_easy_setopt(h, CURLOPT_INTERFACE, local_addr);
	return h;
}

static void *load_thread(void *arg)
{
	struct worker *w = arg;
	const struct opts *o = w->o;
	struct body b = {0};
	char addr[64];
	char user[128];
	char url[512];
	CURL *h = NULL;
	bool first = true;

	snprintf(addr, sizeof(addr), "host!127.0.0.%d", 10 + w->index);
	h = new_handle(w->preview ? NULL : addr);
	if (h == NULL)
		return NULL;
	snprintf(user, sizeof(user), "%s-%d", o->user_prefix, w->index);
	snprintf(url, sizeof(url), "%s/staff/blocks/%s/preview.png", o->url, o->block);
	if (w->preview)
		curl_easy_setopt(h, CURLOPT_COOKIE, w->cookie);
	while (!atomic_load(&stop_load)) {
		double t0 = now_ms();
		double ms = 0;
		long status = 0;
		bool good;

		if (first)
			atomic_fetch_add(&started, 1);
		first = false;
		if (w->preview) {
			good = request(h, url, &b, &status) == 0 && status == 200 && b.len > 8 &&
			       memcmp(b.buf, "\x89PNG", 4) == 0;
			ms = now_ms() - t0;
		} else {
			good = sign_in(h, o, user, &b, &ms, NULL) == 0;
		}
		if (atomic_load(&stop_load))
			break; /* cut short at the end: not a sample */
		if (good) {
			w->ok++;
			add_sample(&w->times, ms);
		} else {
			w->wrong++;
		}
	}
	free(b.buf);
	curl_easy_cleanup(h);
	return NULL;
}

/* GETs back to back on one connection for seconds (or count, if > 0). */
static int time_gets(const struct opts *o, double seconds, int count, struct samples *s,
		     long *wrong)
{
	struct body b = {0};
	struct curl_slist *hdr = NULL;
	char auth[300];
	char url[512];
	CURL *h = new_handle(NULL);
	double end = now_ms() + seconds * 1000.0;

	if (h == NULL)
		return -ENOMEM;
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", o->token);
	snprintf(url, sizeof(url), "%s/api/v1/blocks", o->url);
	hdr = curl_slist_append(NULL, auth);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	for (int i = 0; count > 0 ? i < count : now_ms() < end; i++) {
		double t0 = now_ms();
		long status = 0;
		struct timespec gap = {0, GET_EVERY_MS * 1000000L};

		if (i > 0)
			nanosleep(&gap, NULL);
		t0 = now_ms();

		if (request(h, url, &b, &status) == 0 && status == 200 && b.buf != NULL &&
		    strstr(b.buf, "\"blocks\"") != NULL)
			add_sample(s, now_ms() - t0);
		else
			(*wrong)++;
	}
	curl_slist_free_all(hdr);
	curl_easy_cleanup(h);
	free(b.buf);
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: sb-bench-web --url URL --token TOKEN --block ID --users PREFIX"
		   " --password PW --viewer USER\n"
		   "       [--signins 16] [--previews 4] [--seconds 10] [--alone-gets 1000]"
		   " [--alone-signins 20]\n");
}

static int parse(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{"url", required_argument, NULL, 'u'},	 {"token", required_argument, NULL, 't'},
		{"block", required_argument, NULL, 'b'}, {"users", required_argument, NULL, 'U'},
		{"password", required_argument, NULL, 'p'},
		{"viewer", required_argument, NULL, 'v'},
		{"signins", required_argument, NULL, 's'},
		{"previews", required_argument, NULL, 'P'},
		{"seconds", required_argument, NULL, 'S'},
		{"alone-gets", required_argument, NULL, 'g'},
		{"alone-signins", required_argument, NULL, 'a'},
		{NULL, 0, NULL, 0},
	};
	char *end = NULL;
	int bad = 0;
	int c;

	for (;;) {
		c = getopt_long(argc, argv, "", lo, NULL);
		if (c == -1)
			break;
		switch (c) {
		case 'u': o->url = optarg; break;
		case 't': o->token = optarg; break;
		case 'b': o->block = optarg; break;
		case 'U': o->user_prefix = optarg; break;
		case 'p': o->password = optarg; break;
		case 'v': o->viewer = optarg; break;
		case 's': bad |= parse_int(optarg, 0, 200, &o->signins) < 0; break;
		case 'P': bad |= parse_int(optarg, 0, MAX_THREADS, &o->previews) < 0; break;
		case 'S':
			o->seconds = strtod(optarg, &end);
			bad |= end == optarg || *end != '\0';
			break;
		case 'g': bad |= parse_int(optarg, 0, 10000000, &o->alone_gets) < 0; break;
		case 'a': bad |= parse_int(optarg, 0, 100000, &o->alone_signins) < 0; break;
		default: return -EINVAL;
		}
	}
	if (bad || o->url == NULL || o->token == NULL || o->block == NULL || o->user_prefix == NULL ||
	    o->password == NULL || o->viewer == NULL || o->signins < 0 || o->previews < 0 ||
	    o->signins + o->previews > MAX_THREADS || o->signins > 200 || o->seconds <= 0)
		return -EINVAL;
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o = {.signins = 16, .previews = 4, .seconds = 10, .alone_gets = 1000,
			 .alone_signins = 20};
	struct worker w[MAX_THREADS];
	struct samples get_alone = {0}, get_loaded = {0}, signin_alone = {0};
	struct samples signin_loaded = {0}, preview_loaded = {0};
	struct body b = {0};
	char session[256] = "";
	char user[128];
	long wrong_alone = 0, wrong_loaded = 0, wrong_signin = 0, ok_signin = 0;
	long wrong_preview = 0, ok_preview = 0;
	int n = 0;
	CURL *h = NULL;
	double ms;

	if (parse(argc, argv, &o) < 0) {
		usage(stderr);
		return 2;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	h = new_handle(NULL);
	if (h == NULL || sign_in(h, &o, o.viewer, &b, &ms, session) < 0 || session[0] == '\0') {
		fprintf(stderr, "sb-bench-web: cannot sign in as %s at %s\n", o.viewer, o.url);
		return 1;
	}
	/* alone: GETs, then sign-ins one at a time (account PREFIX-0) */
	time_gets(&o, 0, o.alone_gets, &get_alone, &wrong_alone);
	snprintf(user, sizeof(user), "%s-0", o.user_prefix);
	for (int i = 0; i < o.alone_signins; i++) {
		if (sign_in(h, &o, user, &b, &ms, NULL) == 0)
			add_sample(&signin_alone, ms);
		else
			wrong_signin++;
	}
	curl_easy_cleanup(h);
	/* loaded: the slow requests at once, the GET timed meanwhile */
	memset(w, 0, sizeof(w));
	for (int i = 0; i < o.signins + o.previews; i++) {
		w[i].o = &o;
		w[i].index = i < o.signins ? i : i - o.signins;
		w[i].preview = i >= o.signins;
		snprintf(w[i].cookie, sizeof(w[i].cookie), "%s", session);
		if (pthread_create(&w[i].thread, NULL, load_thread, &w[i]) != 0)
			break;
		n++;
	}
	while (atomic_load(&started) < n) {
		struct timespec t = {0, 1000000};

		nanosleep(&t, NULL);
	}
	{
		struct timespec t = {0, 300 * 1000000}; /* let every slow request get going */

		nanosleep(&t, NULL);
	}
	time_gets(&o, o.seconds, 0, &get_loaded, &wrong_loaded);
	atomic_store(&stop_load, true);
	for (int i = 0; i < n; i++) {
		pthread_join(w[i].thread, NULL);
		for (size_t k = 0; k < w[i].times.n; k++)
			add_sample(w[i].preview ? &preview_loaded : &signin_loaded, w[i].times.v[k]);
		if (w[i].preview) {
			ok_preview += w[i].ok;
			wrong_preview += w[i].wrong;
		} else {
			ok_signin += w[i].ok;
			wrong_signin += w[i].wrong;
		}
		free(w[i].times.v);
	}
	printf("load signins=%d previews=%d seconds=%.1f signins_ok=%ld previews_ok=%ld"
	       " wrong_get=%ld wrong_signin=%ld wrong_preview=%ld\n",
	       o.signins, o.previews, o.seconds, ok_signin, ok_preview, wrong_alone + wrong_loaded,
	       wrong_signin, wrong_preview);
	report("get_alone_ms", &get_alone);
	report("signin_alone_ms", &signin_alone);
	report("get_loaded_ms", &get_loaded);
	report("signin_loaded_ms", &signin_loaded);
	report("preview_loaded_ms", &preview_loaded);
	free(get_alone.v);
	free(get_loaded.v);
	free(signin_alone.v);
	free(signin_loaded.v);
	free(preview_loaded.v);
	free(b.buf);
	curl_global_cleanup();
	return 0;
}
