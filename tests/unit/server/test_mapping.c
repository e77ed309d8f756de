/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the off-the-shelf mappings: config sections (and their one
 * error line), subscriptions, and each family's payloads, good and bad.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ingest/mapping.h"

static const char *const ini =
	"[server]\ndb = x\n"
	"[zigbee2mqtt]\nbase_topic = zigbee2mqtt\nfront/gate = z-gate\n"
	"[esphome]\nprefix = site-esp\nstore_door = e-store\nbin_door = e-bin\n"
	"[tasmota]\ntasmota_ab12 = t-door\n"
	"[shelly]\nshellydw2-1 = s-door\n";

struct got {
	int n;
	struct mapping_msg last;
	char sensor[64];
};

static void cb(void *ctx, const struct mapping_msg *m)
{
	struct got *g = ctx;

	g->n++;
	g->last = *m;
	snprintf(g->sensor, sizeof(g->sensor), "%s", m->sensor);
}

static int dec(struct mapping *m, const char *topic, const char *payload, struct got *g)
{
	char err[200];

	memset(g, 0, sizeof(*g));
	return mapping_decode(m, topic, payload, strlen(payload), cb, g, err, sizeof(err));
}

static void test_families(void **state)
{
	struct mapping *m = NULL;
	struct got g;
	char err[200];
	char topics[16][256];

	(void)state;
	assert_int_equal(mapping_load_string(ini, "t.ini", &m, err, sizeof(err)), 0);
	assert_int_equal(mapping_count(m), 5);
	/* esphome's status topic is shared by its two devices */
	assert_int_equal(mapping_subscriptions(m, topics, 16), 9);

	assert_int_equal(dec(m, "zigbee2mqtt/front/gate", "{\"contact\":true,\"battery\":97}", &g), 1);
	assert_string_equal(g.sensor, "z-gate");
	assert_true(g.last.has_door);
	assert_false(g.last.open); /* contact true is closed */
	assert_int_equal(g.last.battery_pct, 97);
	assert_int_equal(dec(m, "zigbee2mqtt/front/gate", "{\"contact\":false}", &g), 1);
	assert_true(g.last.open);
	assert_int_equal(g.last.battery_pct, -1);
	assert_int_equal(dec(m, "zigbee2mqtt/front/gate", "{\"linkquality\":3}", &g), 1);
	assert_false(g.last.has_door);
	assert_int_equal(dec(m, "zigbee2mqtt/front/gate/availability", "offline", &g), 1);
	assert_int_equal(g.last.online, 0);
	assert_int_equal(dec(m, "zigbee2mqtt/front/gate/availability", "{\"state\":\"online\"}", &g), 1);
	assert_int_equal(g.last.online, 1);

	assert_int_equal(dec(m, "site-esp/binary_sensor/store_door/state", "ON", &g), 1);
	assert_true(g.last.open);
	assert_string_equal(g.sensor, "e-store");
	assert_int_equal(dec(m, "site-esp/binary_sensor/bin_door/state", "OFF", &g), 1);
	assert_false(g.last.open);
	assert_int_equal(dec(m, "site-esp/status", "online", &g), 2);

	assert_int_equal(dec(m, "tele/tasmota_ab12/SENSOR", "{\"Time\":\"x\",\"Switch1\":\"ON\"}", &g), 1);
	assert_true(g.last.open);
	assert_int_equal(dec(m, "tele/tasmota_ab12/LWT", "Offline", &g), 1);
	assert_int_equal(g.last.online, 0);

	assert_int_equal(dec(m, "shellies/shellydw2-1/sensor/state", "close", &g), 1);
	assert_false(g.last.open);
	assert_int_equal(dec(m, "shellies/shellydw2-1/sensor/battery", "88", &g), 1);
	assert_int_equal(g.last.battery_pct, 88);

	assert_int_equal(dec(m, "shellies/other/sensor/state", "open", &g), 0);
	mapping_free(m);
}

static void test_bad_payloads(void **state)
{
	static const char *const bad[][2] = {
		{"zigbee2mqtt/front/gate", "{\"contact\":\"yes\"}"},
		{"zigbee2mqtt/front/gate", "{\"contact\":true,\"battery\":101}"},
		{"zigbee2mqtt/front/gate", "[true]"},
		{"zigbee2mqtt/front/gate", "{\"contact\":true,\"contact\":false}"},
		{"zigbee2mqtt/front/gate/availability", "maybe"},
		{"zigbee2mqtt/front/gate/availability", "{\"state\":1}"},
		{"site-esp/binary_sensor/store_door/state", "on"},
		{"site-esp/status", "Online"},
		{"tele/tasmota_ab12/SENSOR", "{\"Switch1\":1}"},
		{"tele/tasmota_ab12/LWT", "online"},
		{"shellies/shellydw2-1/sensor/state", "ajar"},
		{"shellies/shellydw2-1/sensor/battery", "-1"},
		{"shellies/shellydw2-1/sensor/battery", "1000"},
	};
	struct mapping *m = NULL;
	struct got g;
	char err[200];

	(void)state;
	assert_int_equal(mapping_load_string(ini, "t.ini", &m, err, sizeof(err)), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (dec(m, bad[i][0], bad[i][1], &g) != -EINVAL)
			fail_msg("accepted %s %s", bad[i][0], bad[i][1]);
		assert_int_equal(g.n, 0);
	}
	mapping_free(m);
}

static void test_bad_config(void **state)
{
	static const char *const bad[][2] = {
		{"[shelly]\ns1 = Bad_Id\n", "t.ini:2: sensor id 'Bad_Id'"},
		{"[tasmota]\na/b = t1\n", "t.ini:2: device name 'a/b'"},
		{"[zigbee2mqtt]\nx+y = z1\n", "t.ini:2: device name 'x+y'"},
		{"[zigbee2mqtt]\nbase_topic = z/#\n", "t.ini:2: base_topic"},
		{"[shelly]\na = s1\nb = s1\n", "t.ini:3: sensor 's1' is mapped twice"},
		{"[esphome]\nstore = e1\n", "t.ini: [esphome] needs a prefix"},
	};
	struct mapping *m = NULL;
	char err[200];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		assert_int_equal(mapping_load_string(bad[i][0], "t.ini", &m, err, sizeof(err)), -EINVAL);
		assert_null(m);
		if (strncmp(err, bad[i][1], strlen(bad[i][1])) != 0)
			fail_msg("%s: got '%s'", bad[i][0], err);
		assert_null(strchr(err, '\n'));
	}
	assert_int_equal(mapping_load_string("[server]\ndb = x\n", "t.ini", &m, err, sizeof(err)), 0);
	assert_int_equal(mapping_count(m), 0);
	mapping_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_families),
		cmocka_unit_test(test_bad_payloads),
		cmocka_unit_test(test_bad_config),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
