/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of layout.c with a fake text measurer (fixed advance per
 * character): wrapping, paging, date filtering, unset clock, priority order,
 * the delay banner, bounds at the three supported sizes, and the emergency
 * contact that must always be on screen.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <siteboard/board.h>
#include <siteboard/sbtime.h>

#include <sbrender/layout.h>

#define NOW "2026-11-25T14:05:00Z"

static int fake_calls;

/* Every character (UTF-8 code point) is 0.6 em wide; lines are 1.2 em. */
static int fake_measure(void *ctx, const char *text, int px, bool bold, int *w, int *h)
{
	int n = 0;

	(void)ctx;
	fake_calls++;
	for (const char *p = text; *p; p++)
		if (((unsigned char)*p & 0xC0u) != 0x80u)
			n++;
	*w = n * px * (bold ? 13 : 12) / 20;
	*h = px * 6 / 5;
	return 0;
}

static char *read_fixture(void)
{
	FILE *f = fopen(SITEBOARD_FIXTURES "/board-tower-a.json", "rb");
	char *buf = NULL;
	size_t n;

	assert_non_null(f);
	buf = calloc(1, 65536);
	assert_non_null(buf);
	n = fread(buf, 1, 65535, f);
	fclose(f);
	assert_true(n > 0);
	return buf;
}

static struct board *decode(const char *json)
{
	struct board *b = NULL;
	char err[256] = "";
	int rc = board_decode(json, strlen(json), &b, err, sizeof(err));

	if (rc != 0)
		fprintf(stderr, "decode: %s\n", err);
	assert_int_equal(rc, 0);
	return b;
}

static struct board *fixture_board(void)
{
	char *json = read_fixture();
	struct board *b = decode(json);

	free(json);
	return b;
}

static int64_t at(const char *rfc3339)
{
	int64_t ms = 0;

	assert_int_equal(sbtime_parse(rfc3339, &ms), 0);
	return ms;
}

static struct layout *build(const struct board *b, int64_t now, int w, int h, int page)
{
	struct layout_input in;
	struct layout *l = NULL;

	memset(&in, 0, sizeof(in));
	in.board = b;
	in.now_ms = now;
	in.width = w;
	in.height = h;
	in.page = page;
	in.qr_modules = 37;
	in.measure = fake_measure;
	assert_int_equal(layout_build(&in, &l), 0);
	assert_non_null(l);
	return l;
}

static const struct layout_op *find_text(const struct layout *l, const char *needle)
{
	for (size_t i = 0; i < l->n_ops; i++)
		if (l->ops[i].kind == LAYOUT_OP_TEXT && strstr(l->ops[i].text, needle))
			return &l->ops[i];
	return NULL;
}

/* Is needle on any page? */
static bool on_any_page(const struct board *b, int64_t now, int w, int h, const char *needle)
{
	struct layout *l = build(b, now, w, h, 0);
	int n = l->n_pages;
	bool found = find_text(l, needle) != NULL;

	layout_free(l);
	for (int p = 1; p < n && !found; p++) {
		l = build(b, now, w, h, p);
		found = find_text(l, needle) != NULL;
		layout_free(l);
	}
	return found;
}

static void assert_in_bounds(const struct layout *l, int w, int h)
{
	for (size_t i = 0; i < l->n_ops; i++) {
		const struct layout_op *op = &l->ops[i];

		assert_true(op->x >= 0);
		assert_true(op->y >= 0);
		assert_true(op->x + op->w <= w);
		assert_true(op->y + op->h <= h);
		if (op->paged) {
			assert_true(op->y >= l->flow_top);
			assert_true(op->y + op->h <= l->flow_bottom);
		}
	}
}

/* A board with n extra normal notices, each with a long body. */
static struct board *board_with_notices(int n, int n_contacts)
{
	size_t cap = 4096 + (size_t)n * 700 + (size_t)n_contacts * 200;
	char *json = malloc(cap);
	size_t o = 0;
	struct board *b = NULL;

	assert_non_null(json);
	o += (size_t)snprintf(json + o, cap - o,
		"{\"schema\":\"siteboard.board/1\",\"version\":7,"
		"\"generated_at\":\"2026-11-25T10:32:00Z\","
		"\"site\":{\"id\":\"barton-hill\",\"name\":\"Barton Hill\"},"
		"\"block\":{\"id\":\"tower-a\",\"name\":\"Tower A\"},"
		"\"hours\":{\"timezone\":\"Europe/London\",\"weekly\":[]},"
		"\"works\":[],\"delays\":[],\"events\":[],\"notices\":[");
	for (int i = 0; i < n; i++)
		o += (size_t)snprintf(json + o, cap - o,
			"%s{\"id\":\"n%d\",\"title\":\"Notice number %d\",\"priority\":\"%s\","
			"\"body\":\"Marker%dA Lorem ipsum dolor sit amet, consectetur adipiscing "
			"elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. "
			"Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris. "
			"Marker%dZ\"}",
			i ? "," : "", i, i, i % 7 == 3 ? "urgent" : "normal", i, i);
	o += (size_t)snprintf(json + o, cap - o, "],\"contacts\":[");
	for (int i = 0; i < n_contacts; i++)
		o += (size_t)snprintf(json + o, cap - o,
			"{\"role\":\"Helper %d\",\"name\":\"Person %d\",\"phone\":\"0117 000 %04d\","
			"\"hours\":\"Mon-Fri 8-5\"},", i, i, i);
	o += (size_t)snprintf(json + o, cap - o,
		"{\"role\":\"Out of hours emergency\",\"phone\":\"0117 496 0999\","
		"\"hours\":\"24 hours\"}],\"complaint_url\":\"https://example.org/c/tower-a\"}");
	assert_true(o < cap);
	b = decode(json);
	free(json);
	return b;
}

static void test_wrap_long_word(void **state)
{
	struct board *b = board_with_notices(1, 0);
	char *word = malloc(301);
	size_t got = 0;
	struct layout *l;

	(void)state;
	memset(word, 'x', 300);
	word[300] = '\0';
	free(b->notices[0].body);
	b->notices[0].body = word;
	l = build(b, at(NOW), 800, 480, 0);
	assert_in_bounds(l, 800, 480);
	/* the word is broken over several lines, none wider than the screen */
	for (int p = 0; p < l->n_pages; p++) {
		struct layout *lp = build(b, at(NOW), 800, 480, p);

		for (size_t i = 0; i < lp->n_ops; i++) {
			const char *t = lp->ops[i].text;

			if (lp->ops[i].kind == LAYOUT_OP_TEXT && t[0] == 'x' &&
			    strspn(t, "x") == strlen(t)) {
				assert_true(strlen(t) < 300);
				got += strlen(t);
			}
		}
		layout_free(lp);
	}
	assert_int_equal(got, 300);
	layout_free(l);
	board_free(b);
}

static void test_wrap_words_and_fit(void **state)
{
	struct board *b = board_with_notices(1, 0);
	struct layout *l;
	const struct layout_op *op;

	(void)state;
	/* a short title stays on one line */
	l = build(b, at(NOW), 1080, 1920, 0);
	op = find_text(l, "Notice number 0");
	assert_non_null(op);
	assert_string_equal(op->text, "Notice number 0");
	/* the body wraps at word boundaries: every line starts and ends with a whole word */
	for (size_t i = 0; i < l->n_ops; i++) {
		const char *t = l->ops[i].text;

		if (l->ops[i].kind != LAYOUT_OP_TEXT || !l->ops[i].paged)
			continue;
		assert_true(t[0] != ' ');
		assert_true(t[strlen(t) - 1] != ' ');
	}
	assert_non_null(find_text(l, "Marker0A"));
	assert_non_null(find_text(l, "Marker0Z"));
	assert_in_bounds(l, 1080, 1920);
	layout_free(l);
	board_free(b);
}

static void test_paging(void **state)
{
	struct board *b = board_with_notices(30, 0);
	struct layout *l = build(b, at(NOW), 1080, 1920, 0);
	int pages = l->n_pages;
	int seen[30] = {0};

	(void)state;
	assert_true(pages > 1);
	assert_non_null(find_text(l, "Page 1 of"));
	layout_free(l);
	for (int p = 0; p < pages; p++) {
		l = build(b, at(NOW), 1080, 1920, p);
		assert_int_equal(l->page, p);
		assert_in_bounds(l, 1080, 1920);
		for (int i = 0; i < 30; i++) {
			char a[32], z[32];
			bool ha, hz;

			snprintf(a, sizeof(a), "Marker%dA", i);
			snprintf(z, sizeof(z), "Marker%dZ", i);
			ha = find_text(l, a) != NULL;
			hz = find_text(l, z) != NULL;
			/* an item is never split between pages */
			assert_int_equal(ha, hz);
			seen[i] += ha;
		}
		layout_free(l);
	}
	for (int i = 0; i < 30; i++)
		assert_int_equal(seen[i], 1);
	/* the page index wraps */
	l = build(b, at(NOW), 1080, 1920, pages);
	assert_int_equal(l->page, 0);
	layout_free(l);
	board_free(b);
}

static void test_date_filtering(void **state)
{
	struct board *b = fixture_board();

	(void)state;
	/* notices: n4 expired, n5 not yet */
	assert_true(on_any_page(b, at(NOW), 1080, 1920, "Water off Thursday 9-12"));
	assert_false(on_any_page(b, at(NOW), 1080, 1920, "Expired notice"));
	assert_false(on_any_page(b, at(NOW), 1080, 1920, "Future notice"));
	assert_true(on_any_page(b, at("2026-12-01T00:00:00Z"), 1080, 1920, "Future notice"));
	assert_false(on_any_page(b, at("2026-11-27T12:00:00Z"), 1080, 1920, "Water off"));
	assert_false(on_any_page(b, at("2026-11-24T23:59:59Z"), 1080, 1920, "Water off"));
	/* works: w3 is in January, outside this week and next */
	assert_true(on_any_page(b, at(NOW), 1080, 1920, "Window survey"));
	assert_true(on_any_page(b, at(NOW), 1080, 1920, "Scaffold erection"));
	assert_false(on_any_page(b, at(NOW), 1080, 1920, "Roof works"));
	assert_true(on_any_page(b, at("2027-01-06T12:00:00Z"), 1080, 1920, "Roof works"));
	/* the week starts on Monday: on Sunday 29 Nov, next week ends on 6 Dec */
	assert_false(on_any_page(b, at("2026-12-07T09:00:00Z"), 1080, 1920, "Window survey"));
	/* events: e0 is past */
	assert_true(on_any_page(b, at(NOW), 1080, 1920, "Drop-in coffee morning"));
	assert_false(on_any_page(b, at(NOW), 1080, 1920, "Past meeting"));
	assert_false(on_any_page(b, at("2026-12-03T10:00:00Z"), 1080, 1920, "Drop-in coffee"));
	board_free(b);
}

static void test_unset_clock(void **state)
{
	struct board *b = fixture_board();
	int64_t now = at("2001-01-01T00:03:00Z");
	struct layout *l = build(b, now, 1080, 1920, 0);

	(void)state;
	assert_non_null(find_text(l, "Clock not set: dates cannot be checked"));
	layout_free(l);
	/* nothing is hidden by a wrong date */
	assert_true(on_any_page(b, now, 1080, 1920, "Expired notice"));
	assert_true(on_any_page(b, now, 1080, 1920, "Future notice"));
	assert_true(on_any_page(b, now, 1080, 1920, "Roof works"));
	assert_true(on_any_page(b, now, 1080, 1920, "Past meeting"));
	/* and a set clock shows no such line */
	l = build(b, at(NOW), 1080, 1920, 0);
	assert_null(find_text(l, "Clock not set"));
	layout_free(l);
	board_free(b);
}

static void test_priority_order(void **state)
{
	struct board *b = fixture_board();
	struct layout *l = build(b, at(NOW), 1920, 1080, 0);
	int pages = l->n_pages;
	int pu = -1, pi = -1, pn = -1, yu = 0, yi = 0, yn = 0;

	(void)state;
	layout_free(l);
	for (int p = 0; p < pages; p++) {
		const struct layout_op *op;

		l = build(b, at(NOW), 1920, 1080, p);
		op = find_text(l, "Water off Thursday");
		if (op) {
			pu = p;
			yu = op->y;
			assert_non_null(find_text(l, "URGENT"));
		}
		op = find_text(l, "Lift 2 out of service");
		if (op) {
			pi = p;
			yi = op->y;
		}
		op = find_text(l, "Bin store moved");
		if (op) {
			pn = p;
			yn = op->y;
		}
		layout_free(l);
	}
	assert_int_equal(pu, 0); /* urgent on the first page */
	assert_true(pi >= 0 && pn >= 0);
	assert_true(pu < pi || (pu == pi && yu < yi));
	assert_true(pi < pn || (pi == pn && yi < yn));
	board_free(b);
}

static void test_delay_banner(void **state)
{
	static const int sizes[3][2] = {{1080, 1920}, {1920, 1080}, {800, 480}};
	struct board *b = fixture_board();

	(void)state;
	for (int s = 0; s < 3; s++) {
		struct layout *l = build(b, at(NOW), sizes[s][0], sizes[s][1], 0);
		const struct layout_op *op = find_text(l, "DELAYED: Scaffold erection");
		bool yellow = false;

		assert_non_null(op);
		assert_non_null(find_text(l, "New dates: Mon 7 Dec to Fri 11 Dec"));
		assert_non_null(find_text(l, "Why: High winds"));
		for (size_t i = 0; i < l->n_ops; i++)
			if (l->ops[i].kind == LAYOUT_OP_RECT && l->ops[i].color == 0xFFD500u &&
			    l->ops[i].x <= op->x && l->ops[i].y <= op->y)
				yellow = true;
		assert_true(yellow);
		layout_free(l);
	}
	board_free(b);
}

static void test_sizes_in_bounds(void **state)
{
	static const int sizes[3][2] = {{1080, 1920}, {1920, 1080}, {800, 480}};
	struct board *boards[2] = {fixture_board(), board_with_notices(12, 4)};

	(void)state;
	for (int k = 0; k < 2; k++) {
		for (int s = 0; s < 3; s++) {
			int w = sizes[s][0], h = sizes[s][1];
			struct layout *l = build(boards[k], at(NOW), w, h, 0);
			int pages = l->n_pages;
			int qr = 0;

			layout_free(l);
			for (int p = 0; p < pages; p++) {
				l = build(boards[k], at(NOW), w, h, p);
				assert_in_bounds(l, w, h);
				qr = 0;
				for (size_t i = 0; i < l->n_ops; i++) {
					const struct layout_op *op = &l->ops[i];

					if (op->kind == LAYOUT_OP_QR) {
						qr++;
						assert_int_equal(op->w, op->h);
						assert_int_equal(op->w % 37, 0);
						assert_true(op->w / 37 >= 3);
						assert_string_equal(op->text,
								    "https://example.org/c/tower-a");
					}
					/* body text at least 1/36 of the short side */
					if (op->kind == LAYOUT_OP_TEXT)
						assert_true(op->font_px * 36 >= (w < h ? w : h));
				}
				assert_int_equal(qr, 1);
				assert_non_null(find_text(l, "Scan to make"));
				assert_non_null(find_text(l, "Updated Wed 25 Nov 2026, 10:32"));
				layout_free(l);
			}
		}
		board_free(boards[k]);
	}
}

static void test_emergency_contact_always(void **state)
{
	static const int sizes[3][2] = {{1080, 1920}, {1920, 1080}, {800, 480}};
	struct board *b = board_with_notices(10, 25);

	(void)state;
	for (int s = 0; s < 3; s++) {
		struct layout *l = build(b, at(NOW), sizes[s][0], sizes[s][1], 0);
		int pages = l->n_pages;

		layout_free(l);
		for (int p = 0; p < pages; p++) {
			const struct layout_op *op;

			l = build(b, at(NOW), sizes[s][0], sizes[s][1], p);
			assert_in_bounds(l, sizes[s][0], sizes[s][1]);
			op = find_text(l, "0117\xC2\xA0" "496\xC2\xA0" "0999");
			assert_non_null(op);
			assert_true(op->bold);
			assert_false(op->paged);
			layout_free(l);
		}
	}
	board_free(b);
	/* detection */
	{
		struct board_contact c1 = {.role = "Site manager", .phone = "1", .hours = "Mon-Fri"};
		struct board_contact c2 = {.role = "Scaffolder", .phone = "1", .hours = "24 hours"};
		struct board_contact c3 = {.role = "Out-of-hours line", .phone = "1"};
		struct board_contact c4 = {.role = "EMERGENCY repairs", .phone = "1"};

		assert_false(layout_contact_is_emergency(&c1));
		assert_true(layout_contact_is_emergency(&c2));
		assert_true(layout_contact_is_emergency(&c3));
		assert_true(layout_contact_is_emergency(&c4));
	}
}

static void test_waiting_and_stale(void **state)
{
	struct layout_input in;
	struct layout *l = NULL;
	struct board *b = fixture_board();

	(void)state;
	memset(&in, 0, sizeof(in));
	in.now_ms = at(NOW);
	in.width = 800;
	in.height = 480;
	in.measure = fake_measure;
	assert_int_equal(layout_build(&in, &l), 0);
	assert_non_null(find_text(l, "Waiting for the notice board"));
	assert_non_null(find_text(l, "14:05"));
	assert_in_bounds(l, 800, 480);
	layout_free(l);

	in.board = b;
	in.stale = true;
	in.stale_since_ms = at("2026-11-25T13:50:00Z");
	in.qr_modules = 37;
	assert_int_equal(layout_build(&in, &l), 0);
	assert_non_null(find_text(l, "This board may be out of date (no connection since 13:50)"));
	layout_free(l);
	in.stale = false;
	assert_int_equal(layout_build(&in, &l), 0);
	assert_null(find_text(l, "out of date"));
	layout_free(l);

	in.width = 100; /* too small */
	assert_int_equal(layout_build(&in, &l), -22);
	board_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wrap_long_word),
		cmocka_unit_test(test_wrap_words_and_fit),
		cmocka_unit_test(test_paging),
		cmocka_unit_test(test_date_filtering),
		cmocka_unit_test(test_unset_clock),
		cmocka_unit_test(test_priority_order),
		cmocka_unit_test(test_delay_banner),
		cmocka_unit_test(test_sizes_in_bounds),
		cmocka_unit_test(test_emergency_contact_always),
		cmocka_unit_test(test_waiting_and_stale),
	};

	setenv("TZ", "Europe/London", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
