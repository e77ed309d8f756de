/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of a gateway's status (gateway.c) and how ingest reads it: the
 * "sensors" list parsed (and its bad forms rejected), and a gateway's
 * offline/online status on its own topic fed to the sink as the status of
 * each listed sensor registered in that block, the others ignored without
 * a reject (the gateway is not a sensor).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ingest/gateway.h"
#include "ingest/ingest.h"
#include "store/sensordb.h"
#include "siteboard/log.h"
#include "store/store.h"
#include "testdb.h"

#define GW "siteboard/site-1/tower-a/sensor/gw-1/status"

static int parse(const char *json, struct gateway_list *gl)
{
	char err[160] = "";
	int rc = gateway_list_parse(json, strlen(json), gl, err, sizeof(err));

	if (rc < 0 && (err[0] == '\0' || strchr(err, '\n')))
		fail_msg("no one-line reason for %s", json);
	return rc;
}

static void test_parse(void **state)
{
	struct gateway_list gl;
	char big[4096];
	size_t n;

	(void)state;
	assert_int_equal(parse("{\"state\":\"offline\",\"sensors\":[\"gate-1\",\"noise-1\",\"gate-1\"]}",
			       &gl),
			 1);
	assert_int_equal(gl.n, 2);
	assert_string_equal(gl.sensors[0], "gate-1");
	assert_string_equal(gl.sensors[1], "noise-1");
	assert_int_equal(parse("{\"state\":\"online\",\"sensors\":[]}", &gl), 1);
	assert_int_equal(gl.n, 0);
	/* a sensor's own status, or not JSON at all: not a gateway's */
	assert_int_equal(parse("{\"state\":\"offline\",\"gateway\":\"gw-1\"}", &gl), 0);
	assert_int_equal(parse("offline", &gl), 0);
	assert_int_equal(parse("{\"state\":\"offline\",\"sensors\":\"gate-1\"}", &gl), -EINVAL);
	assert_int_equal(parse("{\"state\":\"offline\",\"sensors\":[\"Gate 1\"]}", &gl), -EINVAL);
	assert_int_equal(parse("{\"state\":\"offline\",\"sensors\":[1]}", &gl), -EINVAL);
	assert_int_equal(gl.n, 0);
	n = (size_t)snprintf(big, sizeof(big), "{\"state\":\"offline\",\"sensors\":[");
	for (int i = 0; i <= GATEWAY_MAX_SENSORS; i++)
		n += (size_t)snprintf(big + n, sizeof(big) - n, "%s\"s-%d\"", i ? "," : "", i);
	snprintf(big + n, sizeof(big) - n, "]}");
	assert_int_equal(parse(big, &gl), -EINVAL);
}

struct fixture {
	char path[256];
	char journal[300];
	struct store *s;
	struct sensordb *db;
	struct ingest *in;
	int calls;
	char seen[8][48]; /* "sensor:online|offline" */
};

static int sink(void *ctx, const struct ingest_event *ev)
{
	struct fixture *f = ctx;

	if (f->calls < 8)
		snprintf(f->seen[f->calls], sizeof(f->seen[0]), "%s:%s:%s", ev->kind, ev->sensor,
			 ev->online ? "online" : "offline");
	f->calls++;
	return 0;
}

static void add_sensor(struct fixture *f, const char *id, const char *block, const char *kind)
{
	struct sensordb_sensor s = {0};

	snprintf(s.id, sizeof(s.id), "%s", id);
	snprintf(s.block, sizeof(s.block), "%s", block);
	snprintf(s.kind, sizeof(s.kind), "%s", kind);
	snprintf(s.role, sizeof(s.role), "%s", strcmp(kind, "noise") == 0 ? "noise" : "site_access");
	store_lock(f->s);
	assert_int_equal(sensordb_sensor_insert(f->db, &s), 0);
	store_unlock(f->s);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct ingest_options o = {.site_id = "site-1"};

	if (f == NULL)
		return -1;
	log_init("unit_server_gateway");
	log_set_level(LOG_LEVEL_ERROR);
	testdb_path(f->path, sizeof(f->path));
	snprintf(f->journal, sizeof(f->journal), "%s-journal", f->path);
	o.journal_path = f->journal;
	if (store_open(f->path, &f->s) < 0)
		return -1;
	store_lock(f->s);
	if (sensordb_open(f->s, &f->db) < 0 ||
	    store_block_insert(f->s, "tower-a", "Tower A", NULL) < 0 ||
	    store_block_insert(f->s, "tower-b", "Tower B", NULL) < 0) {
		store_unlock(f->s);
		return -1;
	}
	store_unlock(f->s);
	add_sensor(f, "gate-1", "tower-a", "door");
	add_sensor(f, "noise-1", "tower-a", "noise");
	add_sensor(f, "far-1", "tower-b", "door");
	if (ingest_open(&o, f->s, &f->in) < 0)
		return -1;
	ingest_set_sink(f->in, sink, f);
	if (ingest_start(f->in) < 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	ingest_close(f->in);
	store_lock(f->s);
	sensordb_close(f->db);
	store_unlock(f->s);
	store_close(f->s);
	testdb_remove(f->path);
	unlink(f->journal);
	free(f);
	return 0;
}

static void msg(struct fixture *f, const char *topic, const char *payload, bool retained)
{
	ingest_message(f->in, topic, payload, strlen(payload), retained);
	assert_int_equal(ingest_flush(f->in), 0);
}

static int online(struct fixture *f, const char *id)
{
	struct sensordb_sensor s;

	store_lock(f->s);
	assert_int_equal(sensordb_sensor_get(f->db, id, &s), 0);
	store_unlock(f->s);
	return s.online;
}

static int count_rejects(void *ctx, const char *name, int64_t count)
{
	if (strncmp(name, "rejected.", 9) == 0)
		*(int64_t *)ctx += count;
	return 0;
}

static int64_t rejects(struct fixture *f)
{
	int64_t n = 0;

	store_lock(f->s);
	assert_int_equal(sensordb_counter_foreach(f->db, count_rejects, &n), 0);
	store_unlock(f->s);
	return n;
}

static void test_will_and_back(void **state)
{
	struct fixture *f = *state;

	/* the last will: each listed sensor of the block offline; unknown and other-block ignored */
	msg(f, GW, "{\"state\":\"offline\",\"sensors\":[\"gate-1\",\"noise-1\",\"ghost\",\"far-1\"]}",
	    true);
	assert_int_equal(f->calls, 2);
	assert_string_equal(f->seen[0], "status:gate-1:offline");
	assert_string_equal(f->seen[1], "status:noise-1:offline");
	assert_int_equal(online(f, "gate-1"), 0);
	assert_int_equal(online(f, "noise-1"), 0);
	assert_int_equal(online(f, "far-1"), -1);
	assert_int_equal(rejects(f), 0);
	/* back: online, with the gateway's fw */
	msg(f, GW, "{\"state\":\"online\",\"fw\":\"0.1.0\",\"sensors\":[\"gate-1\",\"noise-1\"]}",
	    false);
	assert_int_equal(f->calls, 4);
	assert_string_equal(f->seen[2], "status:gate-1:online");
	assert_string_equal(f->seen[3], "status:noise-1:online");
	assert_int_equal(online(f, "gate-1"), 1);
	assert_int_equal(online(f, "noise-1"), 1);
	assert_int_equal(rejects(f), 0);
}

static void test_not_a_gateway(void **state)
{
	struct fixture *f = *state;

	/* without "sensors" the gateway is just an unknown sensor, as before */
	msg(f, GW, "{\"state\":\"offline\"}", false);
	assert_int_equal(f->calls, 0);
	assert_int_equal(rejects(f), 1);
	/* a bad list is a bad payload, and nobody goes offline */
	msg(f, GW, "{\"state\":\"offline\",\"sensors\":[\"gate-1\",7]}", false);
	assert_int_equal(f->calls, 0);
	assert_int_equal(online(f, "gate-1"), -1);
	/* a sensor's own status still works (and the batch adds the pending reject) */
	msg(f, "siteboard/site-1/tower-a/sensor/gate-1/status",
	    "{\"state\":\"online\",\"gateway\":\"gw-1\"}", false);
	assert_int_equal(f->calls, 1);
	assert_int_equal(online(f, "gate-1"), 1);
	assert_int_equal(rejects(f), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test_setup_teardown(test_will_and_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_a_gateway, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
