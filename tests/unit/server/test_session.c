/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the staff session logic and the complaint records over a
 * real temporary store: sessions (create, find, expiry, sign-out, stored
 * only hashed), CSRF comparison, accounts and password hashes, complaint
 * checks, reference numbering per year, retention purge, rate limits.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "complaints/complaints.h"
#include "http/ratelimit.h"
#include "store/session.h"
#include "siteboard/log.h"
#include "store/store.h"
#include "testdb.h"
#include "store/token.h"
#include "store/users.h"

#define DAY_MS (INT64_C(86400) * 1000)
#define T2026 INT64_C(1795000000000) /* 2026-11-18 */
#define T2027 INT64_C(1800000000000) /* 2027-01-15 */

struct fx {
	char path[256];
	struct store *store;
	struct users *users;
	struct sessions *sessions;
	struct complaints *complaints;
	int64_t anna;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	char hash[USERS_HASH_MAX];
	struct user u;

	log_init("test");
	log_set_level(LOG_LEVEL_ERROR);
	if (f == NULL || token_init() < 0)
		return -1;
	testdb_path(f->path, sizeof(f->path));
	if (store_open(f->path, &f->store) < 0 || users_open(f->store, &f->users) < 0 ||
	    session_open(f->store, &f->sessions) < 0 ||
	    complaints_open(f->store, &f->complaints) < 0)
		return -1;
	if (users_hash_password("manager password", hash) < 0 ||
	    users_add(f->users, "anna", TOKEN_ROLE_MANAGER, "", hash, T2026) < 0 ||
	    users_find(f->users, "anna", &u, NULL) < 0)
		return -1;
	f->anna = u.id;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	complaints_close(f->complaints);
	session_close(f->sessions);
	users_close(f->users);
	store_close(f->store);
	testdb_remove(f->path);
	free(f);
	return 0;
}

static void test_session_lifecycle(void **state)
{
	struct fx *f = *state;
	char token[SESSION_TOKEN_MAX];
	char csrf[SESSION_TOKEN_MAX];
	char got[SESSION_TOKEN_MAX];
	int64_t uid = 0;
	char saved;

	assert_int_equal(session_create(f->sessions, f->anna, T2026, token, csrf), 0);
	assert_int_equal(strlen(token), 43);
	assert_int_equal(strlen(csrf), 43);
	assert_string_not_equal(token, csrf);
	assert_int_equal(session_find(f->sessions, token, T2026 + 1000, &uid, got), 0);
	assert_int_equal(uid, f->anna);
	assert_string_equal(got, csrf);
	/* a changed token, an empty one and an expired session are unknown */
	saved = token[5];
	token[5] = saved == 'A' ? 'B' : 'A';
	assert_int_equal(session_find(f->sessions, token, T2026 + 1000, &uid, got), -ENOENT);
	token[5] = saved;
	assert_int_equal(session_find(f->sessions, "", T2026, &uid, got), -ENOENT);
	assert_int_equal(session_find(f->sessions, token, T2026 + SESSION_TTL_MS, &uid, got), -ENOENT);
	assert_int_equal(session_find(f->sessions, token, T2026 + SESSION_TTL_MS - 1, &uid, got), 0);
	assert_int_equal(session_delete(f->sessions, token), 0);
	assert_int_equal(session_find(f->sessions, token, T2026 + 1000, &uid, got), -ENOENT);
	assert_int_equal(session_delete(f->sessions, "never-issued"), 0);
}

static void test_session_removed_with_user(void **state)
{
	struct fx *f = *state;
	char hash[USERS_HASH_MAX];
	char token[SESSION_TOKEN_MAX];
	char csrf[SESSION_TOKEN_MAX];
	struct user u;
	int64_t uid = 0;

	assert_int_equal(users_hash_password("another password", hash), 0);
	assert_int_equal(users_add(f->users, "bob", TOKEN_ROLE_CARETAKER, "tower-a,tower-c", hash, T2026), 0);
	assert_int_equal(users_add(f->users, "bob", TOKEN_ROLE_ADMIN, "", hash, T2026), -EEXIST);
	assert_int_equal(users_find(f->users, "bob", &u, NULL), 0);
	assert_string_equal(u.blocks, "tower-a,tower-c");
	assert_int_equal(session_create(f->sessions, u.id, T2026, token, csrf), 0);
	assert_int_equal(users_remove(f->users, "bob"), 0);
	assert_int_equal(users_remove(f->users, "bob"), -ENOENT);
	assert_int_equal(session_find(f->sessions, token, T2026, &uid, csrf), -ENOENT);
}

static void test_passwords(void **state)
{
	struct fx *f = *state;
	char hash[USERS_HASH_MAX];
	char stored[USERS_HASH_MAX];
	struct user u;

	assert_int_equal(users_find(f->users, "anna", &u, stored), 0);
	assert_int_equal(strncmp(stored, "$argon2id$", 10), 0);
	assert_true(users_check_password(stored, "manager password"));
	assert_false(users_check_password(stored, "manager passwore"));
	assert_false(users_check_password(stored, ""));
	assert_int_equal(users_hash_password("short", hash), -EINVAL);
	assert_int_equal(users_hash_password("a new password", hash), 0);
	assert_int_equal(users_set_password(f->users, "anna", hash), 0);
	assert_int_equal(users_set_password(f->users, "nobody", hash), -ENOENT);
	assert_int_equal(users_find(f->users, "anna", &u, stored), 0);
	assert_true(users_check_password(stored, "a new password"));
	assert_true(users_name_valid("anna.b-2"));
	assert_false(users_name_valid("-anna"));
	assert_false(users_name_valid("Anna"));
	assert_false(users_name_valid(""));
	assert_true(users_blocks_valid("a,b-2"));
	assert_false(users_blocks_valid("a,a"));
	assert_false(users_blocks_valid("a,,b"));
	assert_false(users_blocks_valid("A"));
}

static void test_csrf(void **state)
{
	(void)state;
	assert_true(session_csrf_ok("abcDEF", "abcDEF"));
	assert_false(session_csrf_ok("abcDEF", "abcDEG"));
	assert_false(session_csrf_ok("abcDEF", "abcDE"));
	assert_false(session_csrf_ok("abcDEF", NULL));
	assert_false(session_csrf_ok("", ""));
	assert_false(session_csrf_ok(NULL, "x"));
}

static void test_check(void **state)
{
	struct complaint_in in = {"noise", "Radio", NULL, NULL, NULL, NULL, NULL};
	const char *field = NULL;
	char msg[200];
	char big[COMPLAINT_DESCRIPTION_MAX * 2 + 4];

	(void)state;
	assert_int_equal(complaints_check(&in, &field, msg, sizeof(msg)), 0);
	in.category = "shouting";
	assert_int_equal(complaints_check(&in, &field, msg, sizeof(msg)), -EINVAL);
	assert_string_equal(field, "category");
	in.category = "other";
	in.description = " \n ";
	assert_int_equal(complaints_check(&in, &field, msg, sizeof(msg)), -EINVAL);
	assert_string_equal(field, "description");
	/* the limit is in characters: 4000 two-byte characters are fine, 4001 are not */
	for (int i = 0; i < COMPLAINT_DESCRIPTION_MAX; i++)
		memcpy(big + 2 * i, "\xc3\xa9", 2);
	big[2 * COMPLAINT_DESCRIPTION_MAX] = '\0';
	in.description = big;
	assert_int_equal(complaints_check(&in, &field, msg, sizeof(msg)), 0);
	big[2 * COMPLAINT_DESCRIPTION_MAX] = 'x'; /* one character more */
	big[2 * COMPLAINT_DESCRIPTION_MAX + 1] = '\0';
	assert_int_equal(complaints_check(&in, &field, msg, sizeof(msg)), -EINVAL);
	in.description = "ok";
	in.contact_pref = "email";
	assert_int_equal(complaints_check(&in, &field, msg, sizeof(msg)), -EINVAL);
	assert_string_equal(field, "email");
	in.email = "not an email";
	assert_int_equal(complaints_check(&in, &field, msg, sizeof(msg)), -EINVAL);
	in.email = "jo@example.org";
	assert_int_equal(complaints_check(&in, &field, msg, sizeof(msg)), 0);
	in.phone = "call me maybe";
	assert_int_equal(complaints_check(&in, &field, msg, sizeof(msg)), -EINVAL);
	assert_string_equal(field, "phone");
	in.phone = "+44 (0)117 496-0000";
	assert_int_equal(complaints_check(&in, &field, msg, sizeof(msg)), 0);
	in.contact_pref = "carrier pigeon";
	assert_int_equal(complaints_check(&in, &field, msg, sizeof(msg)), -EINVAL);
	in.contact_pref = "letter";
	assert_int_equal(complaints_check(&in, &field, msg, sizeof(msg)), -EINVAL);
	assert_string_equal(field, "flat");
}

static void test_references(void **state)
{
	struct fx *f = *state;
	struct complaint_in in = {"noise", "Radio", "Jo", "12", "0117 496 0000", NULL, "phone"};
	char ref[COMPLAINT_REF_MAX];
	char buf[8];
	int64_t id = 0;

	assert_int_equal(complaints_ref_format(ref, sizeof(ref), 2026, 42), 0);
	assert_string_equal(ref, "WC-2026-0042");
	assert_int_equal(complaints_ref_format(ref, sizeof(ref), 2026, 12345), 0);
	assert_string_equal(ref, "WC-2026-12345");
	assert_int_equal(complaints_ref_format(buf, sizeof(buf), 2026, 1), -ENOSPC);
	assert_int_equal(complaints_add(f->complaints, &in, "tower-a", "Tower A", "Addr", T2026, &id, ref), 0);
	assert_string_equal(ref, "WC-2026-0001");
	assert_int_equal(complaints_add(f->complaints, &in, "tower-a", "Tower A", NULL, T2026 + 1, &id, ref), 0);
	assert_string_equal(ref, "WC-2026-0002");
	/* numbering starts again each year */
	assert_int_equal(complaints_add(f->complaints, &in, "tower-b", "Tower B", NULL, T2027, &id, ref), 0);
	assert_string_equal(ref, "WC-2027-0001");
	assert_int_equal(complaints_add(f->complaints, &in, "tower-b", "Tower B", NULL, T2027, &id, ref), 0);
	assert_string_equal(ref, "WC-2027-0002");
}

static void test_purge(void **state)
{
	struct fx *f = *state;
	struct complaint_in in = {"mess_waste", "Skip overflowing", "Jo", "12", NULL, "jo@example.org", "email"};
	struct complaint cp;
	char ref[COMPLAINT_REF_MAX];
	int64_t open_id = 0, closed_id = 0;
	int n = -1;

	assert_int_equal(complaints_add(f->complaints, &in, "tower-a", "Tower A", NULL, T2026, &open_id, ref), 0);
	assert_int_equal(complaints_add(f->complaints, &in, "tower-a", "Tower A", NULL, T2026, &closed_id, ref), 0);
	assert_int_equal(complaints_respond(f->complaints, closed_id, "anna", "email", "Skip emptied", T2026, NULL), 0);
	assert_int_equal(complaints_respond(f->complaints, 9999, "anna", NULL, "x", T2026, NULL), -ENOENT);
	assert_int_equal(complaints_set_status(f->complaints, closed_id, "closed", T2026 + DAY_MS), 0);
	assert_int_equal(complaints_set_status(f->complaints, 9999, "closed", T2026), -ENOENT);
	/* 30 days' retention: not yet after 29 days, erased after 30 */
	assert_int_equal(complaints_purge(f->complaints, 30, T2026 + 30 * DAY_MS, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(complaints_purge(f->complaints, 30, T2026 + 31 * DAY_MS, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(complaints_get(f->complaints, closed_id, &cp), 0);
	assert_null(cp.name);
	assert_null(cp.flat);
	assert_null(cp.email);
	assert_true(cp.anonymised_at > 0);
	assert_string_equal(cp.description, "Skip overflowing");
	assert_int_equal(cp.n_responses, 1);
	complaints_release(&cp);
	assert_int_equal(complaints_get(f->complaints, open_id, &cp), 0);
	assert_string_equal(cp.name, "Jo");
	complaints_release(&cp);
	assert_int_equal(complaints_get(f->complaints, 9999, &cp), -ENOENT);
}

static void test_ratelimit(void **state)
{
	struct ratelimit *r = NULL;

	(void)state;
	assert_int_equal(ratelimit_open(0, 1000, 4, &r), -EINVAL);
	assert_int_equal(ratelimit_open(5, 600000, 2, &r), 0);
	for (int i = 0; i < 5; i++)
		assert_true(ratelimit_take(r, "10.0.0.1", 1000 + i));
	assert_false(ratelimit_take(r, "10.0.0.1", 2000));
	assert_true(ratelimit_ok(r, "10.0.0.2", 2000));
	/* the window slides: the first hit leaves it after 10 minutes */
	assert_true(ratelimit_take(r, "10.0.0.1", 1000 + 600000));
	assert_false(ratelimit_take(r, "10.0.0.1", 1001 + 600000 - 1));
	ratelimit_clear(r, "10.0.0.1");
	assert_true(ratelimit_ok(r, "10.0.0.1", 2000));
	/* a full table forgets the oldest key, never refuses a new one */
	ratelimit_hit(r, "a", 1);
	ratelimit_hit(r, "b", 2);
	ratelimit_hit(r, "c", 3);
	assert_true(ratelimit_ok(r, "c", 4));
	ratelimit_close(r);
	ratelimit_close(NULL);
}

/* A taken-back hit leaves the others, in order: the oldest is still the one overwritten. */
static void test_ratelimit_untake(void **state)
{
	struct ratelimit *r = NULL;

	(void)state;
	assert_int_equal(ratelimit_open(2, 1000, 4, &r), 0);
	assert_true(ratelimit_take(r, "k", 100));
	assert_true(ratelimit_take(r, "k", 200));
	assert_false(ratelimit_take(r, "k", 300));
	ratelimit_untake(r, "k", 200);
	ratelimit_untake(r, "k", 999); /* no such hit: nothing */
	ratelimit_untake(r, "none", 1);
	/* one hit (100) left: one more fits, then the ring is full again */
	assert_true(ratelimit_take(r, "k", 400));
	assert_false(ratelimit_take(r, "k", 500));
	/* 100 leaves the window first; 400 must still count */
	assert_true(ratelimit_take(r, "k", 1150));
	assert_false(ratelimit_take(r, "k", 1200));
	ratelimit_untake(r, "k", 400);
	assert_true(ratelimit_take(r, "k", 1250));
	assert_false(ratelimit_take(r, "k", 1300));
	ratelimit_close(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_session_lifecycle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_session_removed_with_user, setup, teardown),
		cmocka_unit_test_setup_teardown(test_passwords, setup, teardown),
		cmocka_unit_test(test_csrf),
		cmocka_unit_test(test_check),
		cmocka_unit_test_setup_teardown(test_references, setup, teardown),
		cmocka_unit_test_setup_teardown(test_purge, setup, teardown),
		cmocka_unit_test(test_ratelimit),
		cmocka_unit_test(test_ratelimit_untake),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
