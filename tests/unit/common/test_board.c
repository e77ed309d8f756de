/* SPDX-License-Identifier: MIT */
/* Unit tests of the board codec: the DESIGN.md example, round trips, and every file of bad input. */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "siteboard/board.h"
#include "siteboard/sbtime.h"

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static struct board *decode_example(void)
{
	size_t len;
	char *json = read_file(SITEBOARD_FIXTURES "/board-design-example.json", &len);
	struct board *b = NULL;
	char err[256] = "";

	assert_int_equal(board_decode(json, len, &b, err, sizeof(err)), 0);
	free(json);
	return b;
}

static void test_design_example(void **state)
{
	struct board *b = decode_example();
	int64_t t;

	(void)state;
	assert_int_equal(b->version, 42);
	assert_int_equal(sbtime_parse("2026-11-25T10:32:00Z", &t), 0);
	assert_int_equal(b->generated_at_ms, t);
	assert_string_equal(b->site_id, "barton-hill");
	assert_string_equal(b->contractor, "Acme Build Ltd");
	assert_string_equal(b->block_name, "Tower A");
	assert_string_equal(b->timezone, "Europe/London");
	assert_int_equal(b->n_weekly, 1);
	assert_int_equal(b->weekly[0].from_min, 8 * 60);
	assert_int_equal(b->weekly[0].to_min, 17 * 60);
	assert_int_equal(b->n_exceptions, 1);
	assert_string_equal(b->exceptions[0].date, "2026-12-05");
	assert_int_equal(b->exceptions[0].to_min, 13 * 60);
	assert_int_equal(b->n_works, 1);
	assert_true(b->works[0].noisy);
	assert_string_equal(b->works[0].access, "Clear east balconies by 29 Nov");
	assert_int_equal(b->n_delays, 1);
	assert_string_equal(b->delays[0].new_to, "2026-12-11");
	assert_int_equal(b->n_notices, 1);
	assert_int_equal(b->notices[0].priority, BOARD_PRIORITY_URGENT);
	assert_int_equal(b->n_events, 1);
	assert_string_equal(b->events[0].where, "Community room");
	assert_int_equal(b->n_contacts, 2);
	assert_null(b->contacts[1].name);
	assert_string_equal(b->contacts[1].phone, "0117 496 0999");
	assert_string_equal(b->complaint_url, "https://example.org/c/tower-a");
	assert_null(b->survey_url);
	board_free(b);
}

/* The example in docs/board.md is one the decoder accepts. */
static void test_docs_example(void **state)
{
	size_t len;
	char *doc = read_file(SITEBOARD_DOCS "/board.md", &len);
	char *start = strstr(doc, "```json\n");
	char *end = NULL;
	struct board *b = NULL;
	char err[256] = "";

	(void)state;
	assert_non_null(start);
	start += strlen("```json\n");
	end = strstr(start, "```");
	assert_non_null(end);
	if (board_decode(start, (size_t)(end - start), &b, err, sizeof(err)) != 0)
		fail_msg("docs/board.md example rejected: %s", err);
	assert_int_equal(b->version, 42);
	assert_int_equal(b->n_contacts, 2);
	board_free(b);
	free(doc);
}

static void test_round_trip(void **state)
{
	struct board *b = decode_example();
	struct board *b2 = NULL;
	char *json = NULL;
	char *json2 = NULL;
	char err[256];

	(void)state;
	assert_int_equal(board_encode(b, &json), 0);
	assert_int_equal(board_decode(json, strlen(json), &b2, err, sizeof(err)), 0);
	assert_int_equal(board_encode(b2, &json2), 0);
	assert_string_equal(json, json2);
	assert_non_null(strstr(json, "\"schema\":\"siteboard.board/1\""));
	assert_non_null(strstr(json, "\"survey_url\":null"));
	assert_null(strstr(json, "future_field"));
	assert_int_equal(b2->notices[0].until_ms, b->notices[0].until_ms);
	free(json);
	free(json2);
	board_free(b);
	board_free(b2);
}

static void test_minimal_board(void **state)
{
	const char *json = "{\"schema\":\"siteboard.board/1\",\"version\":0,"
			   "\"generated_at\":\"2026-11-25T10:32:00.5+01:00\","
			   "\"site\":{\"id\":\"s\",\"name\":\"S\"},\"block\":{\"id\":\"b\",\"name\":\"B\"},"
			   "\"complaint_url\":\"u\"}";
	struct board *b = NULL;
	char err[256];
	int64_t t;

	(void)state;
	assert_int_equal(board_decode(json, strlen(json), &b, err, sizeof(err)), 0);
	assert_int_equal(sbtime_parse("2026-11-25T09:32:00.500Z", &t), 0);
	assert_int_equal(b->generated_at_ms, t);
	assert_string_equal(b->timezone, "UTC");
	assert_int_equal(b->n_notices + b->n_works + b->n_events + b->n_contacts, 0);
	board_free(b);
}

/* Each bad file is rejected with -EINVAL and a reason; none half-decodes. */
static void test_bad_files(void **state)
{
	DIR *dir = opendir(SITEBOARD_FIXTURES "/boards-bad");
	struct dirent *de;
	int count = 0;

	(void)state;
	assert_non_null(dir);
	while ((de = readdir(dir)) != NULL) {
		char path[512];
		char err[256] = "";
		struct board *b = (struct board *)1;
		size_t len;
		char *json;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/boards-bad/%s", SITEBOARD_FIXTURES, de->d_name);
		json = read_file(path, &len);
		if (board_decode(json, len, &b, err, sizeof(err)) != -EINVAL)
			fail_msg("%s was not rejected", de->d_name);
		assert_null(b);
		if (err[0] == '\0')
			fail_msg("%s: no reason given", de->d_name);
		free(json);
		count++;
	}
	closedir(dir);
	assert_true(count >= 20);
}

static void expect_reason(const char *json, const char *reason)
{
	struct board *b = NULL;
	char err[256] = "";

	assert_int_equal(board_decode(json, strlen(json), &b, err, sizeof(err)), -EINVAL);
	if (strstr(err, reason) == NULL)
		fail_msg("reason '%s' lacks '%s'", err, reason);
}

static void test_reasons_name_the_field(void **state)
{
	(void)state;
	expect_reason("{\"schema\":\"x\"}", "schema");
	expect_reason("not json", "not valid JSON");
	expect_reason("{\"schema\":\"siteboard.board/1\",\"version\":1,"
		      "\"generated_at\":\"2026-11-25T10:32:00Z\","
		      "\"site\":{\"id\":\"s\",\"name\":\"S\"},\"block\":{\"id\":\"b\",\"name\":\"B\"},"
		      "\"complaint_url\":\"u\",\"notices\":[{\"id\":\"a\",\"title\":\"t\"},"
		      "{\"id\":\"b\",\"title\":\"t\",\"priority\":\"high\"}]}",
		      "notices[1].priority");
}

static void test_too_big(void **state)
{
	size_t n = BOARD_MAX_BYTES + 1;
	char *big = malloc(n);
	struct board *b = NULL;
	char err[256];

	(void)state;
	assert_non_null(big);
	memset(big, ' ', n);
	assert_int_equal(board_decode(big, n, &b, err, sizeof(err)), -E2BIG);
	assert_null(b);
	free(big);
}

static void test_notice_active(void **state)
{
	struct board_notice n = {0};

	(void)state;
	n.from_ms = 1000;
	n.until_ms = 2000;
	assert_false(board_notice_active(&n, 999));
	assert_true(board_notice_active(&n, 1000));
	assert_true(board_notice_active(&n, 1999));
	assert_false(board_notice_active(&n, 2000));
	n.until_ms = 0;
	assert_true(board_notice_active(&n, INT64_C(99999999999)));
}

static void test_encode_requires_fields(void **state)
{
	struct board *b = board_new();
	char *json = NULL;

	(void)state;
	assert_int_equal(board_encode(b, &json), -EINVAL);
	assert_null(json);
	board_free(b);
	board_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_design_example),
		cmocka_unit_test(test_docs_example),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_minimal_board),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_reasons_name_the_field),
		cmocka_unit_test(test_too_big),
		cmocka_unit_test(test_notice_active),
		cmocka_unit_test(test_encode_requires_fields),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
