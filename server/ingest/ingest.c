/* SPDX-License-Identifier: MIT */
/*
 * Sensor ingest (see ingest.h). Two threads share one mutex-guarded state:
 * the MQTT thread decodes a message, appends it raw to the journal file and
 * queues the decoded items; the ingest thread takes everything queued (up to
 * batch_max) and stores it in one transaction, so under load many messages
 * share one fsync (group commit) without waiting for a timer.
 *
 * Why a journal: libmosquitto 2.0 has no manual acknowledgement; it sends the
 * PUBACK of a QoS 1 message once on_message returns. Returning only after a
 * write(2) to the journal makes every acknowledged message survive kill -9 of
 * this process (the kernel has it), at the cost of one small write per
 * message instead of one fsync per message. Each journal record carries an
 * id; the batch transaction records the last id it applied, so replay at
 * start is exact even for mapped sensors whose seq the server assigns. The
 * journal is truncated whenever everything in it is committed.
 *
 * Within a batch each sensor's registry row is read once and written once
 * (struct live, a small table the ingest thread owns for one transaction),
 * not read and updated per event; the sink is told the batch ended (flush)
 * before the commit, or that it was rolled back (discard).
 */
#include "ingest/ingest.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "siteboard/hashmap.h"
#include "siteboard/log.h"
#include "siteboard/sbtime.h"
#include "siteboard/topic.h"
#include "ingest/gateway.h"
#include "store/sensordb.h"

#define QUEUE_DEFAULT 16384
#define BATCH_DEFAULT 4096
#define JOURNAL_MAX (64L * 1024 * 1024) /* beyond this, wait for a drain and truncate */
#define JOURNAL_MAGIC 0x53424a31u       /* "SBJ1" */
#define LOG_WINDOW_MS 10000
#define LOG_PER_WINDOW 20
#define RETRY_MS 1000

enum item_kind { IT_DOOR = 0, IT_NOISE, IT_STATUS };

/* Why a message was not stored; the counter is "rejected.<name>". */
enum reason {
	R_BAD_TOPIC = 0,
	R_BAD_PAYLOAD,
	R_CLOCK_FAULT,
	R_UNKNOWN_SENSOR,
	R_WRONG_BLOCK,
	R_WRONG_KIND,
	R_N,
};

static const char *const reason_names[R_N] = {
	"bad_topic", "bad_payload", "clock_fault", "unknown_sensor", "wrong_block", "wrong_kind",
};

/* One validated message for one sensor, queued for the ingest thread. */
struct item {
	int64_t jid;
	int64_t arrived_ms;
	enum item_kind kind;
	bool mapped;   /* off-the-shelf: seq assigned here, block from the registry */
	bool retained;
	bool via_gateway; /* status: one sensor of a gateway's list (gateway.h) */
	int online;    /* status: 1/0/-1 */
	int battery_pct;
	char sensor[TOPIC_ID_MAX + 1];
	char block[TOPIC_ID_MAX + 1]; /* native only */
	char fw[EVENT_FW_MAX + 1];
	struct event_door door;
	struct event_noise noise;
};

struct journal_hdr {
	uint32_t magic;
	uint32_t topic_len;
	uint32_t payload_len;
	uint32_t flags; /* 1: retained */
	int64_t jid;
	int64_t arrived_ms;
	uint32_t sum;
	uint32_t pad;
};

/* One sensor's registry row as this transaction has it (see the file comment). */
struct live {
	char id[TOPIC_ID_MAX + 1];
	bool registered;
	bool dirty;
	bool fw_set;
	char block[TOPIC_ID_MAX + 1];
	char kind[8];
	char role[24];
	char fw[EVENT_FW_MAX + 1];
	int64_t last_seen;
	int online;
	int battery_pct;
	int64_t first_seq;
	int64_t last_seq;
	int64_t n_events;
};

struct ingest {
	struct store *store;
	struct sensordb *db;
	const struct mapping *map;
	char site[TOPIC_ID_MAX + 1];
	char *journal_path;
	int jfd;
	ingest_sink_fn sink;
	void *sink_ctx;
	ingest_flush_fn sink_flush;
	ingest_discard_fn sink_discard;
	size_t queue_max;
	size_t batch_max;

	/* decoding scratch: MQTT thread (or the replay before it starts) only */
	struct item *scratch;
	size_t n_scratch;
	char err[160];

	pthread_mutex_t mutex; /* guards everything below */
	pthread_cond_t nonempty;
	pthread_cond_t changed; /* space freed, batch done */
	struct item *queue;   /* ring */
	size_t head;
	size_t count;
	bool busy;            /* the ingest thread holds a batch not yet committed */
	bool stopping;
	bool thread_started;
	pthread_t thread;
	int64_t next_jid;
	long journal_size;
	int64_t rejects[R_N]; /* not yet added to the counters table */
	bool rejects_pending;

	/* the ingest thread's own (or the replay's, before it starts) */
	struct item *batch;
	struct hashmap *live; /* sensor id -> struct live, at most one per batch item */
	struct sensordb_sensor *row; /* scratch for reading one registry row */

	/* rate-limited logging, both threads */
	pthread_mutex_t log_mutex;
	int64_t log_window_start;
	int log_count;
	long log_suppressed;
};

static void ilog(struct ingest *in, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Warnings about bad input, at most LOG_PER_WINDOW per window. */
static void ilog(struct ingest *in, const char *fmt, ...)
{
	int64_t now = sbtime_mono_ms();
	char line[400];
	long suppressed = 0;
	bool emit;
	va_list ap;

	pthread_mutex_lock(&in->log_mutex);
	if (now - in->log_window_start >= LOG_WINDOW_MS) {
		suppressed = in->log_suppressed;
		in->log_suppressed = 0;
		in->log_window_start = now;
		in->log_count = 0;
	}
	emit = in->log_count < LOG_PER_WINDOW;
	if (emit)
		in->log_count++;
	else
		in->log_suppressed++;
	pthread_mutex_unlock(&in->log_mutex);
	if (suppressed > 0)
		log_warn("ingest: %ld more warnings suppressed", suppressed);
	if (!emit)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	log_warn("ingest: %s", line);
}

static void reject(struct ingest *in, enum reason r, const char *topic, const char *why)
{
	pthread_mutex_lock(&in->mutex);
	in->rejects[r]++;
	in->rejects_pending = true;
	pthread_cond_signal(&in->nonempty);
	pthread_mutex_unlock(&in->mutex);
	ilog(in, "%s: %s: %s", reason_names[r], topic, why);
}

/* ---- decoding (MQTT thread, or replay) ---- */

static struct item *scratch_add(struct ingest *in, int64_t arrived, bool retained)
{
	struct item *it = &in->scratch[in->n_scratch++];

	memset(it, 0, sizeof(*it));
	it->arrived_ms = arrived;
	it->retained = retained;
	it->online = -1;
	it->battery_pct = -1;
	return it;
}

struct map_ctx {
	struct ingest *in;
	int64_t arrived;
	bool retained;
};

static void map_cb(void *ctx, const struct mapping_msg *msg)
{
	struct map_ctx *mc = ctx;
	struct item *it = NULL;

	if (!msg->has_door && msg->online < 0 && msg->battery_pct < 0)
		return; /* says nothing we use */
	if (mc->in->n_scratch >= MAPPING_MAX)
		return;
	it = scratch_add(mc->in, mc->arrived, mc->retained);
	it->mapped = true;
	snprintf(it->sensor, sizeof(it->sensor), "%s", msg->sensor);
	it->kind = msg->has_door ? IT_DOOR : IT_STATUS;
	it->door.open = msg->open;
	it->door.ts_ms = mc->arrived;
	it->online = msg->online;
	it->battery_pct = msg->battery_pct;
}

/* Split siteboard/<site>/<block>/sensor/<sensor>/<kind>. */
static int native_topic(struct ingest *in, const char *topic, char *block, char *sensor,
			enum item_kind *kind)
{
	char buf[TOPIC_MAX];
	char *part[7] = {NULL};
	char *p = buf;
	int n = 0;

	if (strlen(topic) >= sizeof(buf))
		return -EINVAL;
	snprintf(buf, sizeof(buf), "%s", topic);
	while (n < 7) {
		char *slash = strchr(p, '/');

		part[n++] = p;
		if (slash == NULL)
			break;
		*slash = '\0';
		p = slash + 1;
	}
	if (n != 6 || strchr(p, '/') != NULL || strcmp(part[0], "siteboard") != 0 ||
	    strcmp(part[1], in->site) != 0 || strcmp(part[3], "sensor") != 0 ||
	    !topic_id_valid(part[2]) || !topic_id_valid(part[4]))
		return -EINVAL;
	if (strcmp(part[5], "door") == 0)
		*kind = IT_DOOR;
	else if (strcmp(part[5], "noise") == 0)
		*kind = IT_NOISE;
	else if (strcmp(part[5], "status") == 0)
		*kind = IT_STATUS;
	else
		return -EINVAL;
	snprintf(block, TOPIC_ID_MAX + 1, "%s", part[2]);
	snprintf(sensor, TOPIC_ID_MAX + 1, "%s", part[4]);
	return 0;
}

/*
 * A gateway's status (gateway.h) is the same status of each sensor it
 * lists: replace the one decoded item by one per listed sensor.
 */
static void gateway_items(struct ingest *in, const char *topic, const char *payload, size_t len)
{
	struct gateway_list gl;
	struct item one = in->scratch[0];
	int rc = gateway_list_parse(payload, len, &gl, in->err, sizeof(in->err));

	if (rc == 0)
		return;
	in->n_scratch = 0;
	if (rc < 0)
		reject(in, R_BAD_PAYLOAD, topic, in->err);
	for (size_t i = 0; rc > 0 && i < gl.n && i < MAPPING_MAX; i++) {
		struct item *it = scratch_add(in, one.arrived_ms, one.retained);

		*it = one;
		it->via_gateway = true;
		snprintf(it->sensor, sizeof(it->sensor), "%s", gl.sensors[i]);
	}
}

/*
 * Decode one message into in->scratch (n_scratch items); a bad one is
 * counted and logged and yields none.
 */
static void decode(struct ingest *in, const char *topic, const char *payload, size_t len,
		   int64_t arrived, bool retained)
{
	struct map_ctx mc = {in, arrived, retained};
	struct item *it = NULL;
	struct event_status st;
	char block[TOPIC_ID_MAX + 1];
	char sensor[TOPIC_ID_MAX + 1];
	enum item_kind kind;
	int64_t ts = 0;
	int rc;

	in->n_scratch = 0;
	in->err[0] = '\0';
	if (strncmp(topic, "siteboard/", 10) != 0) {
		rc = mapping_decode(in->map, topic, payload, len, map_cb, &mc, in->err,
				    sizeof(in->err));
		if (rc < 0)
			reject(in, R_BAD_PAYLOAD, topic, in->err);
		else if (rc == 0)
			reject(in, R_BAD_TOPIC, topic, "not a sensor topic");
		return;
	}
	if (native_topic(in, topic, block, sensor, &kind) < 0) {
		reject(in, R_BAD_TOPIC, topic, "not a sensor topic");
		return;
	}
	it = scratch_add(in, arrived, retained);
	it->kind = kind;
	snprintf(it->block, sizeof(it->block), "%s", block);
	snprintf(it->sensor, sizeof(it->sensor), "%s", sensor);
	switch (kind) {
	case IT_DOOR:
		rc = event_door_decode(payload, len, &it->door, in->err, sizeof(in->err));
		ts = it->door.ts_ms;
		break;
	case IT_NOISE:
		rc = event_noise_decode(payload, len, &it->noise, in->err, sizeof(in->err));
		ts = it->noise.ts_ms;
		break;
	case IT_STATUS:
	default:
		memset(&st, 0, sizeof(st)); /* read below even when the decode failed */
		rc = event_status_decode(payload, len, &st, in->err, sizeof(in->err));
		it->online = st.online ? 1 : 0;
		it->battery_pct = st.battery_pct;
		snprintf(it->fw, sizeof(it->fw), "%s", st.fw);
		ts = arrived;
		break;
	}
	if (rc < 0) {
		if (rc == -E2BIG)
			snprintf(in->err, sizeof(in->err), "payload larger than %d bytes",
				 EVENT_MAX_BYTES);
		reject(in, R_BAD_PAYLOAD, topic, in->err);
		in->n_scratch = 0;
		return;
	}
	if (ts > arrived + INGEST_FUTURE_MAX_MS) {
		reject(in, R_CLOCK_FAULT, topic, "event time more than 5 minutes in the future");
		in->n_scratch = 0;
	}
	if (kind == IT_STATUS && in->n_scratch == 1)
		gateway_items(in, topic, payload, len);
}

/* ---- journal ---- */

static uint32_t record_sum(const struct journal_hdr *h, const void *topic, const void *payload)
{
	struct journal_hdr c = *h;
	uint32_t s = HASHMAP_FNV_OFFSET;

	c.sum = 0;
	s = hashmap_fnv1a(s, &c, sizeof(c));
	s = hashmap_fnv1a(s, topic, h->topic_len);
	return hashmap_fnv1a(s, payload, h->payload_len);
}

/* Append one record (mutex held). 0 or -EIO. */
static int journal_append(struct ingest *in, int64_t jid, const char *topic, const void *payload,
			  size_t len, int64_t arrived, bool retained)
{
	struct journal_hdr h = {
		.magic = JOURNAL_MAGIC,
		.topic_len = (uint32_t)strlen(topic),
		.payload_len = (uint32_t)len,
		.flags = retained ? 1u : 0u,
		.jid = jid,
		.arrived_ms = arrived,
	};
	struct iovec iov[3];
	size_t total = sizeof(h) + h.topic_len + len;
	ssize_t n;

	h.sum = record_sum(&h, topic, payload);
	iov[0].iov_base = &h;
	iov[0].iov_len = sizeof(h);
	iov[1].iov_base = (void *)topic;
	iov[1].iov_len = h.topic_len;
	iov[2].iov_base = (void *)payload;
	iov[2].iov_len = len;
	n = writev(in->jfd, iov, 3);
	if (n < 0 || (size_t)n != total) {
		log_error("ingest: cannot write the journal %s: %s", in->journal_path,
			  n < 0 ? strerror(errno) : "short write");
		if (n > 0 && ftruncate(in->jfd, in->journal_size) < 0)
			log_error("ingest: cannot cut a short journal write: %s", strerror(errno));
		return -EIO;
	}
	in->journal_size += (long)total;
	return 0;
}

static void journal_truncate(struct ingest *in)
{
	if (in->journal_size == 0)
		return;
	if (ftruncate(in->jfd, 0) < 0) {
		log_error("ingest: cannot truncate the journal: %s", strerror(errno));
		return;
	}
	in->journal_size = 0;
}

/* ---- storing (ingest thread, or replay) ---- */

/* The sensor's row for this transaction. 0, -ENOENT (not registered), -EIO, -ENOMEM. */
static int live_get(struct ingest *in, const char *id, struct live **out)
{
	struct sensordb_sensor *s = in->row;
	struct live *l = hashmap_get(in->live, id);
	int ret;

	if (l == NULL) {
		ret = sensordb_sensor_get(in->db, id, s);
		if (ret < 0 && ret != -ENOENT)
			return ret;
		if (hashmap_put(in->live, id, (void **)&l, NULL) < 0)
			return -ENOMEM;
		snprintf(l->id, sizeof(l->id), "%s", id);
		l->registered = ret == 0;
		if (l->registered) {
			snprintf(l->block, sizeof(l->block), "%s", s->block);
			snprintf(l->kind, sizeof(l->kind), "%s", s->kind);
			snprintf(l->role, sizeof(l->role), "%s", s->role);
			l->last_seen = s->last_seen;
			l->online = s->online;
			l->battery_pct = s->battery_pct;
			l->first_seq = s->first_seq;
			l->last_seq = s->last_seq;
			l->n_events = s->n_events;
		}
	}
	*out = l;
	return l->registered ? 0 : -ENOENT;
}

/* A status or an event: last_seen rises only; -1 and NULL leave a field alone. */
static void live_status(struct live *l, int64_t seen_ms, int online, int battery_pct,
			const char *fw)
{
	if (l->last_seen < 0 || seen_ms > l->last_seen)
		l->last_seen = seen_ms;
	if (online >= 0)
		l->online = online;
	if (battery_pct >= 0)
		l->battery_pct = battery_pct;
	if (fw != NULL) {
		snprintf(l->fw, sizeof(l->fw), "%s", fw);
		l->fw_set = true;
	}
	l->dirty = true;
}

/* Write every changed row, once. 0 or -EIO. */
static int live_flush(struct ingest *in)
{
	const struct live *l = NULL;
	size_t pos = 0;
	int ret = 0;

	while (ret == 0 && (l = hashmap_next(in->live, &pos, NULL)) != NULL) {
		struct sensordb_live row = {
			.last_seen = l->last_seen,
			.online = l->online,
			.battery_pct = l->battery_pct,
			.fw = l->fw_set ? l->fw : NULL,
			.first_seq = l->first_seq,
			.last_seq = l->last_seq,
			.n_events = l->n_events,
		};

		if (l->dirty)
			ret = sensordb_sensor_live(in->db, l->id, &row);
	}
	return ret;
}

static void live_clear(struct ingest *in)
{
	hashmap_clear(in->live);
}

static void sink_event(struct ingest *in, const struct item *it, const struct live *s,
		       int64_t seq, int *ret)
{
	struct ingest_event ev = {
		.sensor = s->id,
		.block = s->block,
		.kind = it->kind == IT_DOOR ? "door" : it->kind == IT_NOISE ? "noise" : "status",
		.role = s->role,
		.seq = seq,
		.ts_ms = it->kind == IT_DOOR ? it->door.ts_ms
			 : it->kind == IT_NOISE ? it->noise.ts_ms : it->arrived_ms,
		.arrived_ms = it->arrived_ms,
		.open = it->door.open,
		.noise = it->kind == IT_NOISE ? &it->noise : NULL,
		.online = it->online == 1,
		.battery_pct = it->battery_pct,
		.retained = it->retained,
	};

	if (in->sink != NULL && *ret == 0)
		*ret = in->sink(in->sink_ctx, &ev);
}

struct tally {
	int64_t stored, duplicate, unchanged, missing;
	int64_t rejects[R_N];
};

static int store_item(struct ingest *in, const struct item *it, struct tally *t)
{
	struct live *s = NULL;
	struct sensordb_event e = {0};
	bool was_open = false;
	int64_t seq;
	int ret;

	ret = live_get(in, it->sensor, &s);
	if ((ret == -ENOENT || (ret == 0 && strcmp(s->block, it->block) != 0)) && it->via_gateway)
		return 0; /* a gateway speaks for its sensors registered in its block only */
	if (ret == -ENOENT) {
		t->rejects[R_UNKNOWN_SENSOR]++;
		ilog(in, "unknown_sensor: %s is not registered", it->sensor);
		return 0;
	}
	if (ret < 0)
		return ret;
	if (!it->mapped && strcmp(s->block, it->block) != 0) {
		t->rejects[R_WRONG_BLOCK]++;
		ilog(in, "wrong_block: sensor %s is registered in block %s, not %s", it->sensor,
		     s->block, it->block);
		return 0;
	}
	if (it->kind == IT_STATUS) {
		live_status(s, it->arrived_ms, it->online, it->battery_pct,
			    it->mapped ? NULL : it->fw);
		sink_event(in, it, s, -1, &ret);
		return ret;
	}
	if (strcmp(s->kind, it->kind == IT_DOOR ? "door" : "noise") != 0) {
		t->rejects[R_WRONG_KIND]++;
		ilog(in, "wrong_kind: sensor %s is a %s sensor", it->sensor, s->kind);
		return 0;
	}
	if (it->mapped) {
		/* off-the-shelf devices repeat their state; only a change is an event */
		if (it->battery_pct >= 0)
			live_status(s, it->arrived_ms, -1, it->battery_pct, NULL);
		ret = sensordb_last_door(in->db, s->id, &was_open);
		if (ret == 0 && was_open == it->door.open) {
			t->unchanged++;
			live_status(s, it->arrived_ms, -1, -1, NULL);
			return 0;
		}
		if (ret < 0 && ret != -ENOENT)
			return ret;
		seq = s->last_seq < 0 ? 1 : s->last_seq + 1;
	} else {
		seq = it->kind == IT_DOOR ? it->door.seq : it->noise.seq;
	}
	e.sensor = s->id;
	e.block = s->block;
	e.door = it->kind == IT_DOOR;
	e.seq = seq;
	e.ts_ms = e.door ? it->door.ts_ms : it->noise.ts_ms;
	e.arrived_ms = it->arrived_ms;
	e.open = it->door.open;
	e.noise = it->noise;
	ret = sensordb_event_insert(in->db, &e);
	if (ret == -EEXIST) {
		t->duplicate++;
		return 0;
	}
	if (ret < 0)
		return ret;
	t->stored++;
	if (s->last_seq >= 0 && seq > s->last_seq + 1) {
		t->missing += seq - s->last_seq - 1;
		ret = sensordb_gap_add(in->db, s->id, s->last_seq + 1, seq - 1, it->arrived_ms);
		if (ret < 0)
			return ret;
		ilog(in, "seq_gap: sensor %s: seq %lld to %lld missing", s->id,
		     (long long)(s->last_seq + 1), (long long)(seq - 1));
	}
	if (s->first_seq < 0 || seq < s->first_seq)
		s->first_seq = seq;
	if (seq > s->last_seq)
		s->last_seq = seq;
	s->n_events++;
	live_status(s, it->arrived_ms, -1, -1, NULL);
	sink_event(in, it, s, seq, &ret);
	return ret;
}

static int add_counters(struct ingest *in, const struct tally *t, const int64_t *early)
{
	char name[64];
	int ret = 0;

	if (t->stored > 0)
		ret = sensordb_counter_add(in->db, "stored", t->stored);
	if (ret == 0 && t->duplicate > 0)
		ret = sensordb_counter_add(in->db, "duplicate", t->duplicate);
	if (ret == 0 && t->unchanged > 0)
		ret = sensordb_counter_add(in->db, "unchanged", t->unchanged);
	if (ret == 0 && t->missing > 0)
		ret = sensordb_counter_add(in->db, "seq_missing", t->missing);
	for (int r = 0; r < R_N && ret == 0; r++) {
		int64_t n = t->rejects[r] + (early != NULL ? early[r] : 0);

		if (n == 0)
			continue;
		snprintf(name, sizeof(name), "rejected.%s", reason_names[r]);
		ret = sensordb_counter_add(in->db, name, n);
	}
	return ret;
}

/* Store n items and mark applied in one transaction. 0 or -EIO (rolled back). */
static int commit_batch(struct ingest *in, const struct item *items, size_t n, int64_t applied,
			const int64_t *early)
{
	struct tally t;
	int ret;

	memset(&t, 0, sizeof(t));
	store_lock(in->store);
	ret = store_begin(in->store);
	for (size_t i = 0; i < n && ret == 0; i++)
		ret = store_item(in, &items[i], &t);
	if (ret == 0)
		ret = live_flush(in);
	if (ret == 0 && in->sink_flush != NULL)
		ret = in->sink_flush(in->sink_ctx);
	if (ret == 0)
		ret = add_counters(in, &t, early);
	if (ret == 0 && applied > 0)
		ret = sensordb_journal_set_applied(in->db, applied);
	if (ret == 0)
		ret = store_commit(in->store); /* rolls back itself on failure */
	else
		store_rollback(in->store);
	if (ret < 0 && in->sink_discard != NULL)
		in->sink_discard(in->sink_ctx);
	live_clear(in);
	store_unlock(in->store);
	if (ret < 0)
		log_error("ingest: a batch of %zu events could not be stored; retrying", n);
	return ret;
}

static bool stopping(struct ingest *in)
{
	bool s;

	pthread_mutex_lock(&in->mutex);
	s = in->stopping;
	pthread_mutex_unlock(&in->mutex);
	return s;
}

static void *ingest_thread(void *arg)
{
	struct ingest *in = arg;
	struct timespec retry = {RETRY_MS / 1000, 0};
	int64_t early[R_N];
	int64_t applied;
	size_t n;

	for (;;) {
		pthread_mutex_lock(&in->mutex);
		while (in->count == 0 && !in->rejects_pending && !in->stopping)
			pthread_cond_wait(&in->nonempty, &in->mutex);
		if (in->count == 0 && !in->rejects_pending && in->stopping) {
			pthread_mutex_unlock(&in->mutex);
			break;
		}
		n = in->count < in->batch_max ? in->count : in->batch_max;
		for (size_t i = 0; i < n; i++)
			in->batch[i] = in->queue[(in->head + i) % in->queue_max];
		in->head = (in->head + n) % in->queue_max;
		in->count -= n;
		/* a message split over two batches is applied when its last part is */
		applied = n > 0 ? in->batch[n - 1].jid : 0;
		if (n > 0 && in->count > 0 && in->queue[in->head].jid == applied)
			applied--;
		memcpy(early, in->rejects, sizeof(early));
		memset(in->rejects, 0, sizeof(in->rejects));
		in->rejects_pending = false;
		in->busy = true;
		pthread_cond_broadcast(&in->changed);
		pthread_mutex_unlock(&in->mutex);

		while (commit_batch(in, in->batch, n, applied, early) < 0) {
			/* not lost: the journal holds it; a stop now leaves it to the replay */
			if (stopping(in))
				break;
			nanosleep(&retry, NULL);
		}

		pthread_mutex_lock(&in->mutex);
		in->busy = false;
		if (in->count == 0)
			journal_truncate(in);
		pthread_cond_broadcast(&in->changed);
		pthread_mutex_unlock(&in->mutex);
	}
	return NULL;
}

/* ---- public ---- */

size_t ingest_subscriptions(const struct ingest *in, char (*topics)[256], size_t max)
{
	static const char *const kinds[] = {"door", "noise", "status"};
	size_t n = 0;

	for (size_t k = 0; k < 3; k++) {
		if (n < max)
			snprintf(topics[n], 256, "siteboard/%s/+/sensor/+/%s", in->site, kinds[k]);
		n++;
	}
	return n + mapping_subscriptions(in->map, n < max ? topics + n : NULL,
					 n < max ? max - n : 0);
}

void ingest_message(void *ctx, const char *topic, const void *payload, size_t len,
		    bool retained)
{
	struct ingest *in = ctx;
	struct timespec retry = {RETRY_MS / 1000, 0};
	int64_t arrived = sbtime_now_ms();
	size_t n;

	decode(in, topic, payload, len, arrived, retained);
	n = in->n_scratch;
	if (n == 0)
		return;
	pthread_mutex_lock(&in->mutex);
	if (in->journal_size > JOURNAL_MAX) {
		while (in->count > 0 || in->busy)
			pthread_cond_wait(&in->changed, &in->mutex);
		journal_truncate(in);
	}
	while (in->count + n > in->queue_max)
		pthread_cond_wait(&in->changed, &in->mutex);
	/*
	 * Not acknowledged until it is in the journal: on a write error wait and
	 * retry (the broker holds the rest meanwhile) rather than ack a loss.
	 */
	while (journal_append(in, in->next_jid, topic, payload, len, arrived, retained) < 0) {
		pthread_mutex_unlock(&in->mutex);
		nanosleep(&retry, NULL);
		pthread_mutex_lock(&in->mutex);
	}
	for (size_t i = 0; i < n; i++) {
		in->scratch[i].jid = in->next_jid;
		in->queue[(in->head + in->count) % in->queue_max] = in->scratch[i];
		in->count++;
	}
	in->next_jid++;
	pthread_cond_signal(&in->nonempty);
	pthread_mutex_unlock(&in->mutex);
}

/* Replay the journal's unapplied records, committing as the batch fills. */
static int replay(struct ingest *in)
{
	struct journal_hdr h;
	FILE *f = NULL;
	char *topic = NULL;
	char *payload = NULL;
	int64_t applied = 0;
	int64_t last_jid = 0;
	size_t n = 0;
	long replayed = 0;
	int ret = -EIO;

	store_lock(in->store);
	ret = sensordb_journal_applied(in->db, &applied);
	store_unlock(in->store);
	if (ret < 0)
		return ret;
	ret = -ENOMEM;
	topic = malloc(TOPIC_MAX);
	payload = malloc(EVENT_MAX_BYTES);
	if (topic == NULL || payload == NULL)
		goto out;
	ret = -EIO;
	f = fopen(in->journal_path, "rb");
	if (f == NULL) {
		log_error("ingest: cannot read the journal %s: %s", in->journal_path,
			  strerror(errno));
		goto out;
	}
	last_jid = applied;
	while (fread(&h, sizeof(h), 1, f) == 1) {
		if (h.magic != JOURNAL_MAGIC || h.topic_len >= TOPIC_MAX ||
		    h.payload_len > EVENT_MAX_BYTES ||
		    fread(topic, 1, h.topic_len, f) != h.topic_len ||
		    fread(payload, 1, h.payload_len, f) != h.payload_len ||
		    record_sum(&h, topic, payload) != h.sum) {
			log_warn("ingest: journal ends with a torn record; ignored");
			break;
		}
		topic[h.topic_len] = '\0';
		if (h.jid > last_jid)
			last_jid = h.jid;
		if (h.jid <= applied)
			continue;
		decode(in, topic, payload, h.payload_len, h.arrived_ms, h.flags & 1u);
		for (size_t i = 0; i < in->n_scratch; i++) {
			in->scratch[i].jid = h.jid;
			in->batch[n++] = in->scratch[i];
		}
		replayed++;
		if (n + MAPPING_MAX > in->batch_max) {
			if (commit_batch(in, in->batch, n, h.jid, in->rejects) < 0)
				goto out;
			memset(in->rejects, 0, sizeof(in->rejects));
			n = 0;
		}
	}
	if (commit_batch(in, in->batch, n, last_jid, in->rejects) < 0)
		goto out;
	memset(in->rejects, 0, sizeof(in->rejects));
	if (replayed > 0)
		log_info("ingest: replayed %ld journalled messages", replayed);
	in->next_jid = last_jid + 1;
	journal_truncate(in);
	ret = 0;
out:
	if (f != NULL)
		fclose(f);
	free(topic);
	free(payload);
	return ret;
}

/* The highest record id in the journal (headers only), for numbering before the replay. */
static int64_t journal_last_jid(const char *path)
{
	struct journal_hdr h;
	int64_t last = 0;
	FILE *f = fopen(path, "rb");

	if (f == NULL)
		return 0;
	while (fread(&h, sizeof(h), 1, f) == 1 && h.magic == JOURNAL_MAGIC &&
	       fseek(f, (long)h.topic_len + (long)h.payload_len, SEEK_CUR) == 0) {
		if (h.jid > last)
			last = h.jid;
	}
	fclose(f);
	return last;
}

int ingest_open(const struct ingest_options *opt, struct store *store, struct ingest **out)
{
	int64_t applied = 0;
	struct ingest *in = NULL;
	struct stat stbuf;
	int ret = -ENOMEM;

	*out = NULL;
	in = calloc(1, sizeof(*in));
	if (in == NULL)
		return -ENOMEM;
	in->jfd = -1;
	pthread_mutex_init(&in->mutex, NULL);
	pthread_mutex_init(&in->log_mutex, NULL);
	pthread_cond_init(&in->nonempty, NULL);
	pthread_cond_init(&in->changed, NULL);
	in->store = store;
	in->map = opt->map;
	snprintf(in->site, sizeof(in->site), "%s", opt->site_id);
	in->queue_max = opt->queue_max != 0 ? opt->queue_max : QUEUE_DEFAULT;
	in->batch_max = opt->batch_max != 0 ? opt->batch_max : BATCH_DEFAULT;
	/* one message may concern every mapped device; and replay batches need room */
	if (in->queue_max < 2 * MAPPING_MAX)
		in->queue_max = 2 * MAPPING_MAX;
	if (in->batch_max < 2 * MAPPING_MAX)
		in->batch_max = 2 * MAPPING_MAX;
	in->journal_path = strdup(opt->journal_path);
	in->queue = calloc(in->queue_max, sizeof(*in->queue));
	in->batch = calloc(in->batch_max, sizeof(*in->batch));
	in->scratch = calloc(MAPPING_MAX, sizeof(*in->scratch));
	in->row = malloc(sizeof(*in->row));
	if (in->journal_path == NULL || in->queue == NULL || in->batch == NULL ||
	    in->scratch == NULL || in->row == NULL ||
	    hashmap_open(sizeof(struct live), in->batch_max, &in->live) < 0)
		goto out;
	ret = -EIO;
	store_lock(store);
	ret = sensordb_open(store, &in->db);
	if (ret == 0)
		ret = sensordb_journal_applied(in->db, &applied);
	store_unlock(store);
	if (ret < 0)
		goto out;
	ret = -EIO;
	in->jfd = open(in->journal_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (in->jfd < 0 || fstat(in->jfd, &stbuf) < 0) {
		log_error("ingest: cannot open the journal %s: %s", in->journal_path,
			  strerror(errno));
		goto out;
	}
	in->journal_size = (long)stbuf.st_size;
	in->next_jid = journal_last_jid(in->journal_path);
	if (in->next_jid < applied)
		in->next_jid = applied;
	in->next_jid++;
	*out = in;
	in = NULL;
	ret = 0;
out:
	ingest_close(in);
	return ret;
}

void ingest_set_sink(struct ingest *in, ingest_sink_fn fn, void *ctx)
{
	in->sink = fn;
	in->sink_ctx = ctx;
}

void ingest_set_sink_batch(struct ingest *in, ingest_flush_fn flush, ingest_discard_fn discard)
{
	in->sink_flush = flush;
	in->sink_discard = discard;
}

int ingest_start(struct ingest *in)
{
	int ret = replay(in);

	if (ret < 0)
		return ret;
	if (pthread_create(&in->thread, NULL, ingest_thread, in) != 0) {
		log_error("ingest: cannot start the ingest thread");
		return -ENOMEM;
	}
	in->thread_started = true;
	return 0;
}

int ingest_flush(struct ingest *in)
{
	pthread_mutex_lock(&in->mutex);
	while (in->thread_started && (in->count > 0 || in->busy))
		pthread_cond_wait(&in->changed, &in->mutex);
	pthread_mutex_unlock(&in->mutex);
	return 0;
}

void ingest_close(struct ingest *in)
{
	if (in == NULL)
		return;
	pthread_mutex_lock(&in->mutex);
	in->stopping = true;
	pthread_cond_broadcast(&in->nonempty);
	pthread_mutex_unlock(&in->mutex);
	if (in->thread_started)
		pthread_join(in->thread, NULL);
	/* rejects counted since the last batch */
	if (in->db != NULL) {
		struct tally t;

		memset(&t, 0, sizeof(t));
		store_lock(in->store);
		if (add_counters(in, &t, in->rejects) < 0)
			log_warn("ingest: reject counters not saved");
		sensordb_close(in->db);
		store_unlock(in->store);
	}
	if (in->jfd >= 0)
		close(in->jfd);
	pthread_cond_destroy(&in->nonempty);
	pthread_cond_destroy(&in->changed);
	pthread_mutex_destroy(&in->mutex);
	pthread_mutex_destroy(&in->log_mutex);
	free(in->journal_path);
	free(in->queue);
	free(in->batch);
	free(in->scratch);
	free(in->row);
	hashmap_close(in->live);
	free(in);
}
