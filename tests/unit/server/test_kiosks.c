/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of kiosks.c over a real temporary database: the edge (topics
 * of this site only, the status payload's fields, bad input refused), the
 * store (fields a message lacks are kept, retained replays do not move
 * last seen, a cleared status forgets the kiosk).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "devices/kiosks.h"
#include "store/store.h"
#include "testdb.h"

#define T "siteboard/barton-hill/tower-a/kiosk/lobby-1/status"
#define ONLINE "{\"state\":\"online\",\"version\":\"0.1.0\",\"board_version\":42," \
	       "\"shown_at\":\"2026-11-25T10:32:00.412Z\",\"display\":\"on\"}"

static void test_parse(void **state)
{
	struct kiosk_status s;
	static const char *const bad[] = {
		"", "null", "[]", "{}", "{\"state\":\"dancing\"}", "{\"state\":1}",
		"{\"state\":\"online\",\"board_version\":-1}",
		"{\"state\":\"online\",\"board_version\":\"4\"}",
		"{\"state\":\"online\",\"shown_at\":\"yesterday\"}",
		"{\"state\":\"online\",\"version\":\"a\\nb\"}",
		"{\"state\":\"online\",\"display\":\"<b>\"}",
		"{\"state\":\"online\",\"state\":\"offline\"}",
	};

	(void)state;
	assert_int_equal(kiosks_parse("barton-hill", T, ONLINE, strlen(ONLINE), &s), 0);
	assert_string_equal(s.block, "tower-a");
	assert_string_equal(s.id, "lobby-1");
	assert_true(s.online);
	assert_string_equal(s.version, "0.1.0");
	assert_int_equal(s.board_version, 42);
	assert_true(s.shown_at_ms > 0);
	assert_string_equal(s.display, "on");
	assert_int_equal(kiosks_parse("barton-hill", T, "{\"state\":\"offline\"}", 19, &s), 0);
	assert_false(s.online);
	assert_int_equal(s.board_version, -1);
	assert_int_equal(kiosks_parse("barton-hill", T, "", 0, &s), -ENODATA);
	for (size_t i = 1; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(kiosks_parse("barton-hill", T, bad[i], strlen(bad[i]), &s), -EINVAL);
	assert_int_equal(kiosks_parse("other-site", T, ONLINE, strlen(ONLINE), &s), -EINVAL);
	assert_int_equal(kiosks_parse("barton-hill", "siteboard/barton-hill/tower-a/kiosk/lobby-1/cmd",
				      ONLINE, strlen(ONLINE), &s), -EINVAL);
	assert_int_equal(kiosks_parse("barton-hill", "siteboard/barton-hill/Tower/kiosk/x/status",
				      ONLINE, strlen(ONLINE), &s), -EINVAL);
	assert_int_equal(kiosks_parse("barton-hill", "siteboard/barton-hill/a/b/kiosk/x/status",
				      ONLINE, strlen(ONLINE), &s), -EINVAL);
}

struct seen {
	int n;
	struct kiosk_status last;
};

static int collect(void *ctx, const struct kiosk_status *s)
{
	struct seen *sn = ctx;

	sn->n++;
	sn->last = *s;
	return 0;
}

static void test_store(void **state)
{
	char path[256];
	struct store *st = NULL;
	struct kiosks *k = NULL;
	struct seen sn = {0};
	char sub[TOPIC_MAX];

	(void)state;
	testdb_path(path, sizeof(path));
	assert_int_equal(store_open(path, &st), 0);
	store_lock(st);
	assert_int_equal(kiosks_open(st, "barton-hill", &k), 0);
	assert_int_equal(kiosks_subscription(k, sub, sizeof(sub)), 0);
	assert_string_equal(sub, "siteboard/barton-hill/+/kiosk/+/status");
	assert_true(kiosks_topic(k, T));
	assert_false(kiosks_topic(k, "siteboard/barton-hill/tower-a/sensor/mic/noise"));
	/* a retained replay of a kiosk not heard before: last seen is its shown_at */
	assert_int_equal(kiosks_store(k, T, ONLINE, strlen(ONLINE), true, INT64_C(1795700000000)), 0);
	assert_int_equal(kiosks_foreach(k, collect, &sn), 0);
	assert_int_equal(sn.n, 1);
	assert_int_equal(sn.last.last_seen_ms, sn.last.shown_at_ms);
	/* live: last seen is now */
	assert_int_equal(kiosks_store(k, T, ONLINE, strlen(ONLINE), false, INT64_C(1795700001000)), 0);
	/* the last will keeps the version and board version */
	assert_int_equal(kiosks_store(k, T, "{\"state\":\"offline\"}", 19, false,
				      INT64_C(1795700002000)), 0);
	/* a later retained replay does not move last seen */
	assert_int_equal(kiosks_store(k, T, "{\"state\":\"offline\"}", 19, true,
				      INT64_C(1795700009000)), 0);
	sn.n = 0;
	assert_int_equal(kiosks_foreach(k, collect, &sn), 0);
	assert_int_equal(sn.n, 1);
	assert_false(sn.last.online);
	assert_int_equal(sn.last.board_version, 42);
	assert_string_equal(sn.last.version, "0.1.0");
	assert_int_equal(sn.last.last_seen_ms, INT64_C(1795700002000));
	assert_int_equal(sn.last.updated_ms, INT64_C(1795700009000));
	assert_int_equal(kiosks_store(k, T, "{\"state\":2}", 11, false, 1), -EINVAL);
	/* a cleared retained status forgets it */
	assert_int_equal(kiosks_store(k, T, "", 0, false, 1), 0);
	sn.n = 0;
	assert_int_equal(kiosks_foreach(k, collect, &sn), 0);
	assert_int_equal(sn.n, 0);
	kiosks_close(k);
	store_unlock(st);
	store_close(st);
	testdb_remove(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_store),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
