/* SPDX-License-Identifier: MIT */
/*
 * The MQTT client (see mqtt.h). The network thread is ours: it connects
 * (blocking, address by address), then drives mosquitto_loop until the
 * connection is lost, then waits out the backoff and connects again. We do
 * not use mosquitto_connect_async + loop_start/loop_forever: libmosquitto
 * 2.0.11's loop gives up for good when the very first connect fails, and a
 * non-blocking connect to a name takes the first address only (::1 for
 * localhost) and never tries 127.0.0.1.
 *
 * Plain TCP: we resolve the name ourselves (getaddrinfo, AF_UNSPEC) and
 * connect to each numeric address in turn. TLS: the certificate is checked
 * against the name, so libmosquitto gets the name, and its blocking connect
 * walks the same getaddrinfo list itself.
 *
 * Shared with other threads: the connected and stopping flags, under m->lock.
 * Everything else belongs to the network thread, or is set before it starts.
 */
#include "siteboard/mqtt.h"

#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <mosquitto.h>

#include "siteboard/log.h"

#define KEEPALIVE_S 30
#define BACKOFF_MIN_MS 500
#define BACKOFF_MAX_MS 30000
#define LOOP_MS 100

struct mqtt {
	struct mosquitto *mosq;
	char *host;
	int port;
	bool tls;
	char **subs;
	int n_subs;
	int sub_mid;
	bool accepted; /* network thread: a CONNACK was accepted on this connection */
	struct mqtt_callbacks cb;
	bool lib_init;
	bool thread_started;
	pthread_t thread;

	pthread_mutex_t lock; /* guards the two flags below */
	pthread_cond_t wake;  /* signalled by mqtt_close to end a backoff early */
	bool connected;
	bool stopping;
};

static bool is_stopping(struct mqtt *m)
{
	bool s;

	pthread_mutex_lock(&m->lock);
	s = m->stopping;
	pthread_mutex_unlock(&m->lock);
	return s;
}

bool mqtt_connected(struct mqtt *m)
{
	bool c;

	pthread_mutex_lock(&m->lock);
	c = m->connected;
	pthread_mutex_unlock(&m->lock);
	return c;
}

/* Mark the connection down; tell the owner if it was up. */
static void went_down(struct mqtt *m)
{
	bool was;

	pthread_mutex_lock(&m->lock);
	was = m->connected;
	m->connected = false;
	pthread_mutex_unlock(&m->lock);
	if (was && m->cb.on_disconnect)
		m->cb.on_disconnect(m->cb.ctx);
}

static void on_connect(struct mosquitto *mosq, void *obj, int rc)
{
	struct mqtt *m = obj;
	int mrc;

	if (rc != 0) {
		log_warn("mqtt: %s:%d refused the connection: %s", m->host, m->port,
			 mosquitto_connack_string(rc));
		return;
	}
	log_info("mqtt: connected to %s:%d", m->host, m->port);
	m->accepted = true;
	if (m->n_subs > 0) {
		mrc = mosquitto_subscribe_multiple(mosq, &m->sub_mid, m->n_subs, m->subs, 1, 0,
						   NULL);
		if (mrc != MOSQ_ERR_SUCCESS)
			log_error("mqtt: cannot subscribe: %s", mosquitto_strerror(mrc));
	}
	pthread_mutex_lock(&m->lock);
	m->connected = true;
	pthread_mutex_unlock(&m->lock);
	if (m->cb.on_connect)
		m->cb.on_connect(m->cb.ctx);
}

static void on_disconnect(struct mosquitto *mosq, void *obj, int rc)
{
	struct mqtt *m = obj;

	(void)mosq;
	if (rc != 0 && mqtt_connected(m))
		log_warn("mqtt: connection to %s:%d lost, reconnecting", m->host, m->port);
	went_down(m);
}

static void on_subscribe(struct mosquitto *mosq, void *obj, int mid, int n, const int *granted)
{
	struct mqtt *m = obj;

	(void)mosq;
	if (mid != m->sub_mid)
		return;
	for (int i = 0; i < n && i < m->n_subs; i++)
		if (granted[i] > 2)
			log_error("mqtt: subscription to %s refused by the broker", m->subs[i]);
	if (m->cb.on_subscribe)
		m->cb.on_subscribe(m->cb.ctx);
}

static void on_message(struct mosquitto *mosq, void *obj, const struct mosquitto_message *msg)
{
	struct mqtt *m = obj;
	struct mqtt_message mm = {
		.topic = msg->topic,
		.payload = msg->payload,
		.len = msg->payloadlen > 0 ? (size_t)msg->payloadlen : 0,
		.qos = msg->qos,
		.retain = msg->retain,
	};

	(void)mosq;
	if (msg->topic && m->cb.on_message)
		m->cb.on_message(m->cb.ctx, &mm);
}

static void on_publish(struct mosquitto *mosq, void *obj, int mid)
{
	struct mqtt *m = obj;

	(void)mosq;
	if (m->cb.on_publish)
		m->cb.on_publish(m->cb.ctx, mid);
}

static void on_log(struct mosquitto *mosq, void *obj, int level, const char *str)
{
	(void)mosq;
	(void)obj;
	if (level == MOSQ_LOG_ERR)
		log_debug("mosquitto: %s", str);
}

/* Wait ms, or less when mqtt_close asks the thread to stop. */
static void backoff(struct mqtt *m, int ms)
{
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&m->lock);
	while (!m->stopping)
		if (pthread_cond_timedwait(&m->wake, &m->lock, &until) != 0)
			break;
	pthread_mutex_unlock(&m->lock);
}

static const char *why(int rc)
{
	return rc == MOSQ_ERR_ERRNO ? strerror(errno) : mosquitto_strerror(rc);
}

/* One round: every address of the name in turn. Returns a MOSQ_ERR_*. */
static int connect_round(struct mqtt *m)
{
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
	struct addrinfo *ai = NULL;
	char addr[NI_MAXHOST];
	int rc = MOSQ_ERR_EAI;

	if (m->tls)
		return mosquitto_connect(m->mosq, m->host, m->port, KEEPALIVE_S);
	if (getaddrinfo(m->host, NULL, &hints, &ai) != 0)
		return MOSQ_ERR_EAI;
	for (struct addrinfo *a = ai; a && !is_stopping(m); a = a->ai_next) {
		if (getnameinfo(a->ai_addr, a->ai_addrlen, addr, sizeof(addr), NULL, 0,
				NI_NUMERICHOST) != 0)
			continue;
		rc = mosquitto_connect(m->mosq, addr, m->port, KEEPALIVE_S);
		if (rc == MOSQ_ERR_SUCCESS)
			break;
		log_debug("mqtt: %s [%s]:%d: %s", m->host, addr, m->port, why(rc));
	}
	freeaddrinfo(ai);
	return rc;
}

/* Drive the connection until it is lost or mqtt_close stops us. */
static void run_connection(struct mqtt *m)
{
	int rc;

	while (!is_stopping(m)) {
		rc = mosquitto_loop(m->mosq, LOOP_MS, 1);
		if (rc != MOSQ_ERR_SUCCESS)
			break;
	}
	if (is_stopping(m)) {
		/* flush the DISCONNECT so the broker drops the last will */
		mosquitto_disconnect(m->mosq);
		for (int i = 0; i < 10; i++)
			if (mosquitto_loop(m->mosq, LOOP_MS, 1) != MOSQ_ERR_SUCCESS)
				break;
	}
	went_down(m);
}

static void *network_thread(void *arg)
{
	struct mqtt *m = arg;
	int delay = BACKOFF_MIN_MS;
	bool warned = false;
	int rc;

	while (!is_stopping(m)) {
		m->accepted = false;
		rc = connect_round(m);
		if (rc == MOSQ_ERR_SUCCESS) {
			run_connection(m);
			/* an accepted connection resets the backoff; a refused one does not */
			if (m->accepted) {
				delay = BACKOFF_MIN_MS;
				warned = false;
			}
		} else {
			if (!warned) {
				/* once per outage, so an operator sees why, not a flood */
				log_warn("mqtt: cannot reach %s:%d (%s); retrying every %d s at most",
					 m->host, m->port, why(rc), BACKOFF_MAX_MS / 1000);
				if (m->cb.on_disconnect)
					m->cb.on_disconnect(m->cb.ctx);
			}
			warned = true;
		}
		if (is_stopping(m))
			break;
		backoff(m, delay);
		delay = delay * 2 < BACKOFF_MAX_MS ? delay * 2 : BACKOFF_MAX_MS;
	}
	return NULL;
}

int mqtt_publish(struct mqtt *m, const char *topic, const void *payload, size_t len, int qos,
		 bool retain)
{
	int mid = 0;
	int rc;

	if (!m || !topic || qos < 0 || qos > 2 || len > 268435455u)
		return -EINVAL;
	if (!mqtt_connected(m))
		return -ENOTCONN;
	rc = mosquitto_publish(m->mosq, &mid, topic, (int)len, payload, qos, retain);
	switch (rc) {
	case MOSQ_ERR_SUCCESS:
		return mid;
	case MOSQ_ERR_NO_CONN:
		return -ENOTCONN;
	case MOSQ_ERR_INVAL:
	case MOSQ_ERR_PAYLOAD_SIZE:
	case MOSQ_ERR_MALFORMED_UTF8:
		return -EINVAL;
	default:
		log_warn("mqtt: publish to %s: %s", topic, why(rc));
		return -EIO;
	}
}

static int copy_subs(struct mqtt *m, const struct mqtt_options *opt)
{
	if (opt->n_subscriptions == 0)
		return 0;
	m->subs = calloc(opt->n_subscriptions, sizeof(*m->subs));
	if (!m->subs)
		return -ENOMEM;
	for (size_t i = 0; i < opt->n_subscriptions; i++) {
		m->subs[i] = strdup(opt->subscriptions[i]);
		if (!m->subs[i])
			return -ENOMEM;
		m->n_subs++;
	}
	return 0;
}

/* Credentials, TLS and last will from the [mqtt] options. */
static int configure(struct mqtt *m, const struct mqtt_options *opt)
{
	int rc;

	if (opt->username) {
		rc = mosquitto_username_pw_set(m->mosq, opt->username, opt->password);
		if (rc != MOSQ_ERR_SUCCESS) {
			log_error("mqtt: username: %s", mosquitto_strerror(rc));
			return -EINVAL;
		}
	}
	if (opt->cafile) {
		rc = mosquitto_tls_set(m->mosq, opt->cafile, NULL, opt->certfile, opt->keyfile,
				       NULL);
		if (rc != MOSQ_ERR_SUCCESS) {
			log_error("mqtt: cafile %s: %s", opt->cafile, mosquitto_strerror(rc));
			return -EINVAL;
		}
		m->tls = true;
	}
	if (opt->will_topic) {
		const char *p = opt->will_payload ? opt->will_payload : "";

		rc = mosquitto_will_set(m->mosq, opt->will_topic, (int)strlen(p), p, 1, true);
		if (rc != MOSQ_ERR_SUCCESS) {
			log_error("mqtt: last will: %s", mosquitto_strerror(rc));
			return -EINVAL;
		}
	}
	return 0;
}

int mqtt_open(const struct mqtt_options *opt, struct mqtt **out)
{
	struct mqtt *m = NULL;
	int ret;

	*out = NULL;
	if (!opt->host || !opt->client_id)
		return -EINVAL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	pthread_mutex_init(&m->lock, NULL);
	pthread_cond_init(&m->wake, NULL);
	m->port = opt->port;
	m->cb = opt->cb;
	m->sub_mid = -1;
	m->host = strdup(opt->host);
	ret = m->host ? copy_subs(m, opt) : -ENOMEM;
	if (ret < 0)
		goto fail;
	mosquitto_lib_init();
	m->lib_init = true;
	m->mosq = mosquitto_new(opt->client_id, opt->clean_session, m);
	if (!m->mosq) {
		ret = -ENOMEM;
		goto fail;
	}
	mosquitto_threaded_set(m->mosq, true);
	mosquitto_connect_callback_set(m->mosq, on_connect);
	mosquitto_disconnect_callback_set(m->mosq, on_disconnect);
	mosquitto_subscribe_callback_set(m->mosq, on_subscribe);
	mosquitto_message_callback_set(m->mosq, on_message);
	mosquitto_publish_callback_set(m->mosq, on_publish);
	mosquitto_log_callback_set(m->mosq, on_log);
	ret = configure(m, opt);
	if (ret < 0)
		goto fail;
	if (pthread_create(&m->thread, NULL, network_thread, m) != 0) {
		log_error("mqtt: cannot start the network thread");
		ret = -ENOMEM;
		goto fail;
	}
	m->thread_started = true;
	*out = m;
	return 0;
fail:
	mqtt_close(m);
	return ret;
}

void mqtt_close(struct mqtt *m)
{
	if (!m)
		return;
	pthread_mutex_lock(&m->lock);
	m->stopping = true;
	pthread_cond_broadcast(&m->wake);
	pthread_mutex_unlock(&m->lock);
	if (m->thread_started)
		pthread_join(m->thread, NULL);
	if (m->mosq)
		mosquitto_destroy(m->mosq);
	if (m->lib_init)
		mosquitto_lib_cleanup();
	pthread_cond_destroy(&m->wake);
	pthread_mutex_destroy(&m->lock);
	for (int i = 0; i < m->n_subs; i++)
		free(m->subs[i]);
	free(m->subs);
	free(m->host);
	free(m);
}
