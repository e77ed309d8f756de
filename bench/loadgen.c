/* SPDX-License-Identifier: MIT */
/*
 * sb-loadgen: publishes many sensor messages at QoS 1 with a window of
 * messages in flight (libmosquitto), for the ingest benchmark and the burst
 * and kill -9 tests. Sensors lg-0 .. lg-(N-1) of one block; the first
 * --noise of them send noise periods, the others door changes; seq rises per
 * sensor from --seq-start. Prints the achieved publish rate (PUBACKs from the
 * broker per second) and can record every acknowledged (sensor, seq).
 *
 * Not for: checking what the server stored (the tests ask its API).
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <mosquitto.h>

#include "siteboard/event.h"
#include "siteboard/parse.h"
#include "siteboard/sbtime.h"
#include "siteboard/topic.h"

#define PROG "sb-loadgen"
#define MID_SLOTS 65536

struct gen {
	pthread_mutex_t mutex;
	pthread_cond_t cond;
	long inflight;
	long acked;
	bool connected;
	int32_t by_mid[MID_SLOTS]; /* message index of an in-flight mid, -1 */
	long n_sensors;
	int64_t seq_start;
	FILE *acked_file;
};

static void usage(FILE *f)
{
	fprintf(f, "usage: " PROG " [--host H] [--port P] [--site S] [--block B] [--sensors N]\n"
		   "       [--noise K] [--messages M] [--seq-start X] [--inflight W]\n"
		   "       [--acked FILE] [--timeout S]\n");
}

static bool parse_long(const char *s, long min, long max, long *out)
{
	int64_t v = 0;

	if (parse_int64(s, min, max, &v) < 0)
		return false;
	*out = (long)v;
	return true;
}

static void on_connect(struct mosquitto *m, void *obj, int rc)
{
	struct gen *g = obj;

	(void)m;
	pthread_mutex_lock(&g->mutex);
	g->connected = rc == 0;
	pthread_cond_broadcast(&g->cond);
	pthread_mutex_unlock(&g->mutex);
	if (rc != 0)
		fprintf(stderr, PROG ": connection refused: %s\n", mosquitto_connack_string(rc));
}

static void on_publish(struct mosquitto *m, void *obj, int mid)
{
	struct gen *g = obj;
	int32_t idx;

	(void)m;
	pthread_mutex_lock(&g->mutex);
	idx = g->by_mid[mid & (MID_SLOTS - 1)];
	g->by_mid[mid & (MID_SLOTS - 1)] = -1;
	if (idx >= 0) {
		g->inflight--;
		g->acked++;
		if (g->acked_file != NULL)
			fprintf(g->acked_file, "lg-%ld %lld\n", (long)(idx % g->n_sensors),
				(long long)(g->seq_start + idx / g->n_sensors));
	}
	pthread_cond_broadcast(&g->cond);
	pthread_mutex_unlock(&g->mutex);
}

static void deadline_in(struct timespec *ts, long ms)
{
	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"host", required_argument, NULL, 'H'},  {"port", required_argument, NULL, 'p'},
		{"site", required_argument, NULL, 's'},  {"block", required_argument, NULL, 'b'},
		{"sensors", required_argument, NULL, 'n'}, {"noise", required_argument, NULL, 'z'},
		{"messages", required_argument, NULL, 'm'},
		{"seq-start", required_argument, NULL, 'q'},
		{"inflight", required_argument, NULL, 'w'}, {"acked", required_argument, NULL, 'a'},
		{"timeout", required_argument, NULL, 't'}, {"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *host = "127.0.0.1";
	const char *site = "barton-hill";
	const char *block = "tower-a";
	const char *acked_path = NULL;
	long port = 1883, n_noise = 0, messages = 20000, seq_start = 1, window = 1000;
	long timeout_s = 120;
	struct gen *g = NULL;
	struct mosquitto *mosq = NULL;
	struct timespec until;
	char topic[TOPIC_MAX];
	char payload[512];
	char client_id[64];
	int64_t t0, t1, last_ack_ms;
	long prev_acked = -1;
	int ret = EXIT_FAILURE;
	int rc, c, len;

	g = calloc(1, sizeof(*g));
	if (g == NULL)
		return EXIT_FAILURE;
	g->n_sensors = 100;
	for (;;) {
		c = getopt_long(argc, argv, "h", opts, NULL);
		if (c == -1)
			break;
		switch (c) {
		case 'H': host = optarg; break;
		case 's': site = optarg; break;
		case 'b': block = optarg; break;
		case 'a': acked_path = optarg; break;
		case 'p': if (!parse_long(optarg, 1, 65535, &port)) goto bad; break;
		case 'n': if (!parse_long(optarg, 1, 100000, &g->n_sensors)) goto bad; break;
		case 'z': if (!parse_long(optarg, 0, 100000, &n_noise)) goto bad; break;
		case 'm': if (!parse_long(optarg, 1, 1000000000, &messages)) goto bad; break;
		case 'q': if (!parse_long(optarg, 0, 1000000000000L, &seq_start)) goto bad; break;
		case 'w': if (!parse_long(optarg, 1, 60000, &window)) goto bad; break;
		case 't': if (!parse_long(optarg, 1, 86400, &timeout_s)) goto bad; break;
		case 'h': usage(stdout); free(g); return EXIT_SUCCESS;
		default: goto bad;
		}
	}
	if (!topic_id_valid(site) || !topic_id_valid(block)) {
		fprintf(stderr, PROG ": --site and --block must be ids\n");
		goto out;
	}
	g->seq_start = seq_start;
	pthread_mutex_init(&g->mutex, NULL);
	pthread_cond_init(&g->cond, NULL);
	for (long i = 0; i < MID_SLOTS; i++)
		g->by_mid[i] = -1;
	if (acked_path != NULL) {
		g->acked_file = fopen(acked_path, "w");
		if (g->acked_file == NULL) {
			fprintf(stderr, PROG ": cannot write %s: %s\n", acked_path, strerror(errno));
			goto out;
		}
	}
	mosquitto_lib_init();
	snprintf(client_id, sizeof(client_id), "sb-loadgen-%ld", (long)getpid());
	mosq = mosquitto_new(client_id, true, g);
	if (mosq == NULL)
		goto out;
	mosquitto_connect_callback_set(mosq, on_connect);
	mosquitto_publish_callback_set(mosq, on_publish);
	mosquitto_max_inflight_messages_set(mosq, (unsigned int)window);
	rc = mosquitto_connect(mosq, host, (int)port, 60);
	if (rc != MOSQ_ERR_SUCCESS) {
		fprintf(stderr, PROG ": cannot connect to %s:%ld: %s\n", host, port,
			mosquitto_strerror(rc));
		goto out;
	}
	mosquitto_loop_start(mosq);
	pthread_mutex_lock(&g->mutex);
	deadline_in(&until, 10000);
	while (!g->connected && pthread_cond_timedwait(&g->cond, &g->mutex, &until) == 0)
		;
	pthread_mutex_unlock(&g->mutex);
	if (!g->connected) {
		fprintf(stderr, PROG ": not connected\n");
		goto out;
	}
	t0 = sbtime_mono_ms();
	for (long i = 0; i < messages; i++) {
		long sensor = i % g->n_sensors;
		int64_t seq = seq_start + i / g->n_sensors;
		int mid = 0;
		char id[32];

		snprintf(id, sizeof(id), "lg-%ld", sensor);
		if (sensor < n_noise) {
			struct event_noise e = {.seq = seq, .ts_ms = sbtime_now_ms(), .period_s = 60,
						.has_levels = true, .laeq = 50.0 + (double)(seq % 30),
						.lafmax = 85.0, .la90 = 41.0};

			topic_sensor(topic, sizeof(topic), site, block, id, "noise");
			len = event_noise_encode(&e, payload, sizeof(payload));
		} else {
			struct event_door e = {.seq = seq, .ts_ms = sbtime_now_ms(),
					       .open = (seq % 2) == 1};

			topic_sensor(topic, sizeof(topic), site, block, id, "door");
			len = event_door_encode(&e, payload, sizeof(payload));
		}
		if (len < 0)
			goto out;
		pthread_mutex_lock(&g->mutex);
		while (g->inflight >= window)
			pthread_cond_wait(&g->cond, &g->mutex);
		g->inflight++;
		/* hold the lock so the PUBACK cannot be handled before the mid is recorded */
		rc = mosquitto_publish(mosq, &mid, topic, len, payload, 1, false);
		if (rc == MOSQ_ERR_SUCCESS)
			g->by_mid[mid & (MID_SLOTS - 1)] = (int32_t)i;
		else
			g->inflight--;
		pthread_mutex_unlock(&g->mutex);
		if (rc != MOSQ_ERR_SUCCESS) {
			fprintf(stderr, PROG ": publish: %s\n", mosquitto_strerror(rc));
			goto out;
		}
	}
	/* wait for the last PUBACKs, giving up when none came for timeout_s */
	last_ack_ms = sbtime_mono_ms();
	pthread_mutex_lock(&g->mutex);
	while (g->inflight > 0) {
		if (g->acked != prev_acked) {
			prev_acked = g->acked;
			last_ack_ms = sbtime_mono_ms();
		} else if (sbtime_mono_ms() - last_ack_ms > timeout_s * 1000) {
			break;
		}
		deadline_in(&until, 200);
		pthread_cond_timedwait(&g->cond, &g->mutex, &until);
	}
	t1 = sbtime_mono_ms();
	printf("sent %ld acked %ld in %.3f s: %.0f msg/s\n", messages, g->acked,
	       (double)(t1 - t0) / 1000.0,
	       (double)g->acked * 1000.0 / (double)(t1 - t0 > 0 ? t1 - t0 : 1));
	ret = g->acked == messages ? EXIT_SUCCESS : EXIT_FAILURE;
	pthread_mutex_unlock(&g->mutex);
	mosquitto_disconnect(mosq);
	mosquitto_loop_stop(mosq, false);
out:
	if (g->acked_file != NULL && fclose(g->acked_file) != 0)
		ret = EXIT_FAILURE;
	mosquitto_destroy(mosq);
	mosquitto_lib_cleanup();
	free(g);
	return ret;
bad:
	usage(stderr);
	free(g);
	return 2;
}
