/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of sensord's configuration: the shipped example loads, and bad
 * files give one line naming the file, the line where there is one, and the
 * problem.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "sdconf.h"

static const char *write_ini(const char *text)
{
	static char path[] = "/tmp/sensord-config-test.ini";
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static void test_example_loads(void **state)
{
	struct sdconf c;
	char err[512] = "";
	int rc;

	(void)state;
	rc = sdconf_load(SITEBOARD_SRC "/packaging/sensord.ini.example", &c, err, sizeof(err));
	if (rc != 0)
		fail_msg("%s", err);
	assert_string_equal(c.site, "barton-hill");
	assert_true(c.n_sensors >= 3);
	assert_int_equal(c.sensors[0].kind, SDCONF_DOOR);
	assert_int_equal(c.sensors[0].input, SDCONF_GPIO);
	assert_int_equal(c.sensors[0].line, 17);
	assert_true(c.sensors[0].active_low);
	assert_non_null(c.sensors[0].block);
	sdconf_release(&c);
}

static void test_minimal_and_defaults(void **state)
{
	struct sdconf c;
	char err[512] = "";

	(void)state;
	assert_int_equal(sdconf_load(write_ini("[sensord]\nsite = s\nblock = b\nqueue = /tmp/q\n"
					       "[door:gate-1]\ninput = script\n"
					       "[noise:n-1]\ninput = wav\nfile = x.wav\n"
					       "start = 2026-11-25T07:00:00Z\nrealtime = false\n"
					       "[door:g2]\ninput = gpio\nline = 4\nblock = other\n"),
				     &c, err, sizeof(err)),
			 0);
	assert_string_equal(c.host, "localhost");
	assert_int_equal(c.port, 1883);
	assert_string_equal(c.id, "sensord");
	assert_string_equal(c.client_id, "siteboard-sensord-s-sensord");
	assert_int_equal(c.n_sensors, 3);
	assert_string_equal(c.sensors[0].block, "b");
	assert_int_equal(c.sensors[1].period_s, 60);
	assert_true(c.sensors[1].cal_db == 120.0);
	assert_false(c.sensors[1].realtime);
	assert_int_equal(c.sensors[1].start_ms, INT64_C(1795590000000));
	assert_string_equal(c.sensors[2].chip, "gpiochip0");
	assert_int_equal(c.sensors[2].debounce_ms, 50);
	assert_string_equal(c.sensors[2].block, "other");
	sdconf_release(&c);
}

static void test_serial(void **state)
{
	struct sdconf c;
	char err[512] = "";

	(void)state;
	assert_int_equal(sdconf_load(write_ini("[sensord]\nsite = s\nblock = b\nqueue = /tmp/q\n"
					       "[door:gate-1]\ninput = serial\n"
					       "serial = tcp:127.0.0.1:5555\nnode = 1\n"
					       "[noise:gate-1-noise]\ninput = serial\n"
					       "serial = tcp:127.0.0.1:5555\nnode = 1\n"
					       "[door:store-2]\ninput = serial\n"
					       "serial = /dev/ttyUSB0\nbaud = 9600\nnode = 2\n"),
				     &c, err, sizeof(err)),
			 0);
	assert_int_equal(c.n_sensors, 3);
	assert_int_equal(c.sensors[0].input, SDCONF_SERIAL);
	assert_int_equal(c.sensors[0].kind, SDCONF_DOOR);
	assert_string_equal(c.sensors[0].serial, "tcp:127.0.0.1:5555");
	assert_int_equal(c.sensors[0].baud, 115200);
	assert_int_equal(c.sensors[0].node, 1);
	assert_int_equal(c.sensors[1].kind, SDCONF_NOISE);
	assert_int_equal(c.sensors[1].input, SDCONF_SERIAL);
	assert_int_equal(c.sensors[1].node, 1);
	assert_int_equal(c.sensors[2].baud, 9600);
	assert_int_equal(c.sensors[2].node, 2);
	assert_string_equal(sdconf_input_name(SDCONF_SERIAL), "serial");
	sdconf_release(&c);
}

static void test_bad_files(void **state)
{
	static const struct {
		const char *ini;
		const char *want;
	} bad[] = {
		{"[sensord]\nsite = s\nblock = b\n", "missing required key 'queue' in [sensord]"},
		{"[sensord]\nsite = S!\n", ":2: 'site' in [sensord] must be an id"},
		{"[sensord]\nsite = s\nblock = b\nqueue = q\n[door:Gate]\ninput = gpio\n",
		 ":6: sensor id 'Gate' in [door:Gate] must be"},
		{"[sensord]\nsite = s\nblock = b\nqueue = q\n[door:g]\ninput = alsa\n",
		 ":6: 'input' in [door:g] must be gpio, script or serial"},
		{"[sensord]\nsite = s\nblock = b\nqueue = q\n[noise:g]\ninput = usb\n",
		 ":6: 'input' in [noise:g] must be alsa, wav or serial"},
		{"[sensord]\nsite = s\nblock = b\nqueue = q\n[door:g]\ninput = serial\nnode = 1\n",
		 "missing required key 'serial' in [door:g]"},
		{"[sensord]\nsite = s\nblock = b\nqueue = q\n[door:g]\ninput = serial\n"
		 "serial = /dev/ttyUSB0\n",
		 "missing required key 'node' in [door:g]"},
		{"[sensord]\nsite = s\nblock = b\nqueue = q\n[door:g]\ninput = serial\n"
		 "serial = /dev/ttyUSB0\nnode = 70000\n",
		 ":8: 'node' in [door:g] must be a whole number from 0 to 65535"},
		{"[sensord]\nsite = s\nblock = b\nqueue = q\n[door:g]\ninput = serial\n"
		 "serial = /dev/ttyUSB0\nnode = 1\nbaud = 12345\n",
		 ":9: 'baud' in [door:g] must be a standard rate from 9600 to 921600"},
		{"[sensord]\nsite = s\nblock = b\nqueue = q\n[door:g]\ninput = serial\n"
		 "serial = /dev/ttyUSB0\nnode = 1\nperiod_s = 5\n",
		 ":9: unknown key 'period_s' in [door:g]"},
		{"[sensord]\nsite = s\nblock = b\nqueue = q\n"
		 "[door:a]\ninput = serial\nserial = /dev/ttyS0\nnode = 1\n"
		 "[door:b]\ninput = serial\nserial = /dev/ttyS0\nnode = 1\n",
		 ": [door:a] and [door:b] both take node 1's door frames on /dev/ttyS0"},
		{"[sensord]\nsite = s\nblock = b\nqueue = q\n"
		 "[door:a]\ninput = serial\nserial = /dev/ttyS0\nnode = 1\n"
		 "[noise:b]\ninput = serial\nserial = /dev/ttyS0\nnode = 1\nbaud = 9600\n",
		 ": [door:a] and [noise:b] share serial /dev/ttyS0 but not its baud rate"},
		{"[sensord]\nsite = s\nblock = b\nqueue = q\n[door:g]\nline = 3\n",
		 "missing required key 'input' in [door:g]"},
		{"[sensord]\nsite = s\nblock = b\nqueue = q\n[door:g]\ninput = gpio\n",
		 "missing required key 'line' in [door:g]"},
		{"[sensord]\nsite = s\nblock = b\nqueue = q\n[door:g]\ninput = script\nline = 3\n",
		 ":7: unknown key 'line' in [door:g]"},
		{"[sensord]\nsite = s\nblock = b\nqueue = q\n[noise:g]\ninput = wav\nfile = f\n"
		 "start = today\n",
		 ":8: 'start' in [noise:g] must be an RFC 3339 time"},
		{"[sensord]\nsite = s\nblock = b\nqueue = q\n[noise:g]\ninput = alsa\nperiod_s = 0\n",
		 ":7: 'period_s' in [noise:g] must be a whole number from 1 to 86400"},
		{"[sensord]\nsite = s\nblock = b\nqueue = q\n[door:g]\ninput = script\n"
		 "[noise:g]\ninput = alsa\n",
		 ":8: sensor id 'g' is used by two sections"},
		{"[sensord]\nsite = s\nblock = b\nqueue = q\n[dor:g]\ninput = script\n",
		 ":6: unknown section [dor:g]"},
		{"[mqtt]\nport = 99999\n", ":2: 'port' in [mqtt] must be a whole number"},
		{"[sensord]\nsite = s\nblock = b\nqueue = q\nlog_level = loud\n", "'log_level'"},
	};
	struct sdconf c;
	char err[512];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		assert_int_equal(sdconf_load(write_ini(bad[i].ini), &c, err, sizeof(err)), -EINVAL);
		if (!strstr(err, bad[i].want) || strchr(err, '\n') ||
		    strncmp(err, "/tmp/sensord-config-test.ini", 28) != 0)
			fail_msg("case %zu: got '%s', want '%s'", i, err, bad[i].want);
	}
	assert_int_equal(sdconf_load("/nonexistent/x.ini", &c, err, sizeof(err)), -ENOENT);
	unlink("/tmp/sensord-config-test.ini");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example_loads),
		cmocka_unit_test(test_minimal_and_defaults),
		cmocka_unit_test(test_serial),
		cmocka_unit_test(test_bad_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
