/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the common MQTT client against a real Mosquitto that the
 * test starts and stops itself (fork/exec, a free loopback port, listening
 * on 127.0.0.1 only): broker down at start, broker restarted, a name that
 * resolves to ::1 then 127.0.0.1, publishing from two threads at once.
 *
 * The dual-stack name: this machine's /etc/hosts maps localhost to
 * 127.0.0.1 only, so the test defines getaddrinfo itself (the executable's
 * definition wins over libc's, for the client and for libmosquitto) and
 * answers for the name "dual.siteboard.test" with the real results for
 * "::1" followed by those for "127.0.0.1"; every other name goes to libc.
 * The broker refuses on ::1 (it is not listening there), so the client only
 * connects if it goes on to the second address. Every wait polls for its
 * condition with a deadline; none sleeps for a timer.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "siteboard/mqtt.h"

#define DUAL_NAME "dual.siteboard.test"
#define TOPIC "siteboard/test/mqtt"
#define PER_THREAD 300

static int dual_lookups; /* how many times the dual name was resolved */

typedef int (*gai_fn)(const char *, const char *, const struct addrinfo *,
		      struct addrinfo **);

int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
		struct addrinfo **res)
{
	void *sym = dlsym(RTLD_NEXT, "getaddrinfo");
	gai_fn real;
	struct addrinfo *v6 = NULL, *v4 = NULL, *last;
	int rc;

	memcpy(&real, &sym, sizeof(real)); /* ISO C has no object-to-function cast */

	if (!node || strcmp(node, DUAL_NAME) != 0)
		return real(node, service, hints, res);
	rc = real("::1", service, hints, &v6);
	if (rc != 0)
		return rc;
	rc = real("127.0.0.1", service, hints, &v4);
	if (rc != 0) {
		freeaddrinfo(v6);
		return rc;
	}
	for (last = v6; last->ai_next; last = last->ai_next)
		;
	last->ai_next = v4; /* glibc's freeaddrinfo frees node by node */
	__atomic_add_fetch(&dual_lookups, 1, __ATOMIC_SEQ_CST);
	*res = v6;
	return 0;
}

/* ---- the broker ---- */

static int broker_port;
static pid_t broker_pid = -1;
static char broker_conf[64];

static int pick_port(void)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	close(fd);
	return ntohs(sa.sin_port);
}

static int64_t now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static bool port_open(int port)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	bool ok = connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;

	close(fd);
	return ok;
}

static bool port_open6(int port)
{
	struct sockaddr_in6 sa = {.sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port),
				  .sin6_addr = IN6ADDR_LOOPBACK_INIT};
	int fd = socket(AF_INET6, SOCK_STREAM, 0);
	bool ok = fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;

	if (fd >= 0)
		close(fd);
	return ok;
}

static void broker_start(void)
{
	struct timespec tick = {0, 20 * 1000 * 1000};
	int64_t deadline = now_ms() + 10000;

	broker_pid = fork();
	assert_true(broker_pid >= 0);
	if (broker_pid == 0) {
		execl(MOSQUITTO_BIN, "mosquitto", "-c", broker_conf, (char *)NULL);
		_exit(127);
	}
	while (!port_open(broker_port)) {
		assert_true(now_ms() < deadline);
		assert_int_equal(waitpid(broker_pid, NULL, WNOHANG), 0);
		nanosleep(&tick, NULL);
	}
}

static void broker_stop(void)
{
	if (broker_pid <= 0)
		return;
	kill(broker_pid, SIGTERM);
	waitpid(broker_pid, NULL, 0);
	broker_pid = -1;
}

static int setup(void **state)
{
	FILE *f;

	(void)state;
	snprintf(broker_conf, sizeof(broker_conf), "/tmp/sb-test-mqtt-%d.conf", (int)getpid());
	broker_port = pick_port();
	f = fopen(broker_conf, "w");
	assert_non_null(f);
	fprintf(f, "listener %d 127.0.0.1\nallow_anonymous true\npersistence false\n",
		broker_port);
	fclose(f);
	return 0;
}

/* After each test, pass or fail, so a failed test leaves no broker behind. */
static int stop_broker(void **state)
{
	(void)state;
	broker_stop();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	broker_stop();
	unlink(broker_conf);
	return 0;
}

/* ---- what the callbacks saw ---- */

struct seen {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int connects, disconnects, subacks, messages, acks;
	char last[64];
};

static void seen_init(struct seen *s)
{
	memset(s, 0, sizeof(*s));
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->cond, NULL);
}

#define BUMP(field)                                                                            \
	static void on_##field(void *ctx)                                                      \
	{                                                                                      \
		struct seen *s = ctx;                                                          \
		pthread_mutex_lock(&s->lock);                                                  \
		s->field++;                                                                    \
		pthread_cond_broadcast(&s->cond);                                              \
		pthread_mutex_unlock(&s->lock);                                                \
	}
BUMP(connects)
BUMP(disconnects)
BUMP(subacks)

static void on_message(void *ctx, const struct mqtt_message *msg)
{
	struct seen *s = ctx;
	size_t n = msg->len < sizeof(s->last) - 1 ? msg->len : sizeof(s->last) - 1;

	pthread_mutex_lock(&s->lock);
	s->messages++;
	memcpy(s->last, msg->payload, n);
	s->last[n] = '\0';
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
}

static void on_publish(void *ctx, int mid)
{
	struct seen *s = ctx;

	pthread_mutex_lock(&s->lock);
	if (mid > 0) /* cmocka's asserts belong on the test's thread: a bad mid is just not counted */
		s->acks++;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
}

/* Wait until *field reaches want, at most secs seconds; returns whether it did. */
static bool wait_count(struct seen *s, const int *field, int want, int secs)
{
	struct timespec until;
	bool ok;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += secs;
	pthread_mutex_lock(&s->lock);
	while (*field < want)
		if (pthread_cond_timedwait(&s->cond, &s->lock, &until) != 0)
			break;
	ok = *field >= want;
	pthread_mutex_unlock(&s->lock);
	return ok;
}

static struct mqtt *open_client(struct seen *s, const char *host)
{
	static const char *const subs[] = {TOPIC};
	struct mqtt_options o = {
		.host = host,
		.port = broker_port,
		.client_id = "sb-test-mqtt",
		.clean_session = true,
		.subscriptions = subs,
		.n_subscriptions = 1,
		.cb = {.on_connect = on_connects,
		       .on_disconnect = on_disconnects,
		       .on_subscribe = on_subacks,
		       .on_message = on_message,
		       .on_publish = on_publish,
		       .ctx = s},
	};
	struct mqtt *m = NULL;

	assert_int_equal(mqtt_open(&o, &m), 0);
	assert_non_null(m);
	return m;
}

/* Publish text on TOPIC and wait for it to come back through our subscription. */
static void round_trip(struct seen *s, struct mqtt *m, const char *text)
{
	int before;

	pthread_mutex_lock(&s->lock);
	before = s->messages;
	pthread_mutex_unlock(&s->lock);
	assert_true(mqtt_publish(m, TOPIC, text, strlen(text), 1, false) > 0);
	assert_true(wait_count(s, &s->messages, before + 1, 10));
	pthread_mutex_lock(&s->lock);
	assert_string_equal(s->last, text);
	pthread_mutex_unlock(&s->lock);
}

static void test_down_at_start(void **state)
{
	struct seen s;
	struct mqtt *m;

	(void)state;
	seen_init(&s);
	m = open_client(&s, "127.0.0.1");
	/* the first attempt fails and is reported; nothing is connected */
	assert_true(wait_count(&s, &s.disconnects, 1, 10));
	assert_false(mqtt_connected(m));
	assert_int_equal(mqtt_publish(m, TOPIC, "x", 1, 1, false), -ENOTCONN);
	broker_start();
	assert_true(wait_count(&s, &s.connects, 1, 15));
	assert_true(wait_count(&s, &s.subacks, 1, 10));
	assert_true(mqtt_connected(m));
	round_trip(&s, m, "first");

	/* broker restarted: reconnect, resubscribe (clean session), messages flow */
	broker_stop();
	assert_true(wait_count(&s, &s.disconnects, 2, 10));
	broker_start();
	assert_true(wait_count(&s, &s.connects, 2, 15));
	assert_true(wait_count(&s, &s.subacks, 2, 10));
	round_trip(&s, m, "after restart");
	mqtt_close(m);
	broker_stop();
}

static void test_dual_stack_name(void **state)
{
	struct seen s;
	struct mqtt *m;

	(void)state;
	seen_init(&s);
	broker_start();
	/* ::1 comes first and is refused: the broker listens on 127.0.0.1 only */
	assert_false(port_open6(broker_port));
	dual_lookups = 0;
	m = open_client(&s, DUAL_NAME);
	assert_true(wait_count(&s, &s.subacks, 1, 15));
	assert_true(__atomic_load_n(&dual_lookups, __ATOMIC_SEQ_CST) >= 1);
	round_trip(&s, m, "dual");
	mqtt_close(m);
	broker_stop();
}

struct pub_arg {
	struct mqtt *m;
	int id;
	int ok;
};

static void *publisher(void *arg)
{
	struct pub_arg *a = arg;
	char text[32];

	for (int i = 0; i < PER_THREAD; i++) {
		int n = snprintf(text, sizeof(text), "t%d-%d", a->id, i);

		if (mqtt_publish(a->m, TOPIC, text, (size_t)n, 1, false) > 0)
			a->ok++;
	}
	return NULL;
}

static void test_two_threads(void **state)
{
	struct seen s;
	struct mqtt *m;
	pthread_t t[2];
	struct pub_arg a[2];

	(void)state;
	seen_init(&s);
	broker_start();
	m = open_client(&s, "127.0.0.1");
	assert_true(wait_count(&s, &s.subacks, 1, 15));
	for (int i = 0; i < 2; i++) {
		a[i] = (struct pub_arg){.m = m, .id = i};
		assert_int_equal(pthread_create(&t[i], NULL, publisher, &a[i]), 0);
	}
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	assert_int_equal(a[0].ok, PER_THREAD);
	assert_int_equal(a[1].ok, PER_THREAD);
	assert_true(wait_count(&s, &s.acks, 2 * PER_THREAD, 20));
	assert_true(wait_count(&s, &s.messages, 2 * PER_THREAD, 20));
	mqtt_close(m);
	broker_stop();
}

static void test_bad_options(void **state)
{
	struct mqtt_options o = {.port = 1, .client_id = "x"};
	struct mqtt *m = NULL;

	(void)state;
	assert_int_equal(mqtt_open(&o, &m), -EINVAL);
	assert_null(m);
	o.host = "127.0.0.1";
	o.cafile = "/nonexistent/ca.crt";
	assert_int_equal(mqtt_open(&o, &m), -EINVAL);
	assert_null(m);
	mqtt_close(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_options),
		cmocka_unit_test_teardown(test_down_at_start, stop_broker),
		cmocka_unit_test_teardown(test_dual_stack_name, stop_broker),
		cmocka_unit_test_teardown(test_two_threads, stop_broker),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, setup, teardown);
}
