/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the server store against real temporary SQLite files:
 * migrations and idempotent re-open, CRUD, cascades, and a board version
 * that changes only together with its change.
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
#include <sqlite3.h>

#include "siteboard/log.h"
#include "store/store.h"
#include "testdb.h"

struct fixture {
	char path[256];
	struct store *s;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	log_init("unit_server_store");
	log_set_level(LOG_LEVEL_WARN);
	testdb_path(f->path, sizeof(f->path));
	if (store_open(f->path, &f->s) < 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	store_close(f->s);
	testdb_remove(f->path);
	free(f);
	return 0;
}

static void test_migrate_and_reopen(void **state)
{
	struct fixture *f = *state;
	struct store_block b = {0};

	assert_int_equal(store_schema_version(f->s), STORE_SCHEMA_VERSION);
	assert_int_equal(store_block_insert(f->s, "tower-a", "Tower A", NULL), 0);
	store_close(f->s);
	f->s = NULL;
	assert_int_equal(store_open(f->path, &f->s), 0);
	assert_int_equal(store_schema_version(f->s), STORE_SCHEMA_VERSION);
	assert_int_equal(store_block_get(f->s, "tower-a", &b), 0);
	assert_string_equal(b.name, "Tower A");
	assert_null(b.address);
	store_block_release(&b);
}

static void test_block_crud(void **state)
{
	struct fixture *f = *state;
	struct store_block b = {0};
	char *json = NULL;

	assert_int_equal(store_block_insert(f->s, "a", "A", "1 Road"), 0);
	assert_int_equal(store_block_insert(f->s, "a", "A2", NULL), -EEXIST);
	assert_int_equal(store_block_update(f->s, "a", "A3", NULL), 0);
	assert_int_equal(store_block_update(f->s, "zz", "Z", NULL), -ENOENT);
	assert_int_equal(store_block_get(f->s, "a", &b), 0);
	assert_string_equal(b.name, "A3");
	assert_null(b.address);
	assert_int_equal(b.board_version, 0);
	store_block_release(&b);
	assert_int_equal(store_block_board(f->s, "a", &json), 0);
	assert_null(json);
	assert_int_equal(store_block_set_board(f->s, "a", 1, "{\"x\":1}"), 0);
	assert_int_equal(store_block_board(f->s, "a", &json), 0);
	assert_string_equal(json, "{\"x\":1}");
	free(json);
	assert_int_equal(store_block_delete(f->s, "a"), 0);
	assert_int_equal(store_block_delete(f->s, "a"), -ENOENT);
	assert_int_equal(store_block_get(f->s, "a", &b), -ENOENT);
}

static int collect_ids(void *ctx, const char *id, const char *data)
{
	char *buf = ctx;
	size_t len = strlen(buf);

	(void)data;
	snprintf(buf + len, 128 - len, "%s,", id);
	return 0;
}

static void test_item_crud_and_cascade(void **state)
{
	struct fixture *f = *state;
	char ids[128] = "";
	char *block = NULL;
	char *data = NULL;
	int64_t n = 0;

	assert_int_equal(store_block_insert(f->s, "a", "A", NULL), 0);
	assert_int_equal(store_block_insert(f->s, "b", "B", NULL), 0);
	assert_int_equal(store_item_insert(f->s, STORE_NOTICES, "n1", "a", 5, "{}"), 0);
	assert_int_equal(store_item_insert(f->s, STORE_NOTICES, "n2", "a", 1, "{}"), 0);
	assert_int_equal(store_item_insert(f->s, STORE_NOTICES, "n3", "a", 5, "{}"), 0);
	/* ids are unique per kind across blocks */
	assert_int_equal(store_item_insert(f->s, STORE_NOTICES, "n1", "b", 0, "{}"), -EEXIST);
	/* the same id may exist in another kind */
	assert_int_equal(store_item_insert(f->s, STORE_WORKS, "n1", "b", 0, "{}"), 0);
	/* unknown block: foreign key */
	assert_int_equal(store_item_insert(f->s, STORE_NOTICES, "n9", "zz", 0, "{}"), -ENOENT);
	assert_int_equal(store_item_foreach(f->s, STORE_NOTICES, "a", collect_ids, ids), 0);
	assert_string_equal(ids, "n2,n1,n3,");
	assert_int_equal(store_item_count(f->s, STORE_NOTICES, "a", &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(store_item_next_seq(f->s, STORE_NOTICES, &n), 0);
	assert_int_equal(n, 4);
	assert_int_equal(store_item_update(f->s, STORE_NOTICES, "n1", 0, "{\"t\":2}"), 0);
	assert_int_equal(store_item_update(f->s, STORE_NOTICES, "nx", 0, "{}"), -ENOENT);
	assert_int_equal(store_item_get(f->s, STORE_NOTICES, "n1", &block, &data), 0);
	assert_string_equal(block, "a");
	assert_string_equal(data, "{\"t\":2}");
	free(block);
	free(data);
	assert_int_equal(store_item_delete(f->s, STORE_NOTICES, "n2"), 0);
	assert_int_equal(store_item_delete(f->s, STORE_NOTICES, "n2"), -ENOENT);
	assert_int_equal(store_block_delete(f->s, "a"), 0);
	assert_int_equal(store_item_get(f->s, STORE_NOTICES, "n1", NULL, NULL), -ENOENT);
	assert_int_equal(store_item_get(f->s, STORE_WORKS, "n1", NULL, NULL), 0);
}

static void test_version_atomic(void **state)
{
	struct fixture *f = *state;
	struct store_block b = {0};
	char *json = NULL;

	assert_int_equal(store_block_insert(f->s, "a", "A", NULL), 0);
	/* a change and its board roll back together */
	assert_int_equal(store_begin(f->s), 0);
	assert_int_equal(store_item_insert(f->s, STORE_NOTICES, "n1", "a", 0, "{}"), 0);
	assert_int_equal(store_block_set_board(f->s, "a", 1, "{\"v\":1}"), 0);
	store_rollback(f->s);
	assert_int_equal(store_item_get(f->s, STORE_NOTICES, "n1", NULL, NULL), -ENOENT);
	assert_int_equal(store_block_get(f->s, "a", &b), 0);
	assert_int_equal(b.board_version, 0);
	store_block_release(&b);
	/* and commit together, surviving a re-open */
	assert_int_equal(store_begin(f->s), 0);
	assert_int_equal(store_item_insert(f->s, STORE_NOTICES, "n1", "a", 0, "{}"), 0);
	assert_int_equal(store_block_set_board(f->s, "a", 1, "{\"v\":1}"), 0);
	assert_int_equal(store_commit(f->s), 0);
	store_close(f->s);
	f->s = NULL;
	assert_int_equal(store_open(f->path, &f->s), 0);
	assert_int_equal(store_item_get(f->s, STORE_NOTICES, "n1", NULL, NULL), 0);
	assert_int_equal(store_block_get(f->s, "a", &b), 0);
	assert_int_equal(b.board_version, 1);
	store_block_release(&b);
	assert_int_equal(store_block_board(f->s, "a", &json), 0);
	assert_string_equal(json, "{\"v\":1}");
	free(json);
}

static void test_tokens(void **state)
{
	struct fixture *f = *state;
	uint8_t h1[32] = {1};
	uint8_t h2[32] = {2};
	uint8_t h3[32] = {3};
	char role[16];
	char name[65];
	char blocks[256];

	assert_int_equal(store_token_add(f->s, h1, sizeof(h1), "admin", "ops", NULL, NULL, 1), 0);
	assert_int_equal(store_token_add(f->s, h1, sizeof(h1), "admin", NULL, NULL, NULL, 1), -EEXIST);
	assert_int_equal(store_token_find(f->s, h1, sizeof(h1), role, sizeof(role), name,
					  sizeof(name), blocks, sizeof(blocks)), 0);
	assert_string_equal(role, "admin");
	assert_string_equal(name, "ops"); /* no name: the label */
	assert_string_equal(blocks, "");
	assert_int_equal(store_token_add(f->s, h3, sizeof(h3), "caretaker", NULL, "bob", "a,b", 1), 0);
	assert_int_equal(store_token_find(f->s, h3, sizeof(h3), role, sizeof(role), name,
					  sizeof(name), blocks, sizeof(blocks)), 0);
	assert_string_equal(name, "bob");
	assert_string_equal(blocks, "a,b");
	assert_int_equal(store_token_add(f->s, h2, sizeof(h2), "manager", NULL, NULL, NULL, 1), 0);
	assert_int_equal(store_token_find(f->s, h2, sizeof(h2), role, sizeof(role), name,
					  sizeof(name), blocks, sizeof(blocks)), 0);
	assert_string_equal(name, "manager"); /* no name, no label: the role */
	memset(h2, 9, sizeof(h2));
	assert_int_equal(store_token_find(f->s, h2, sizeof(h2), role, sizeof(role), name,
					  sizeof(name), blocks, sizeof(blocks)), -ENOENT);
}

/* A schema-6 database's tokens (no name, no blocks) keep working after migration 7. */
static void test_tokens_from_schema6(void **state)
{
	struct fixture *f = *state;
	sqlite3 *db = NULL;
	char role[16];
	char name[65];
	char blocks[256];
	uint8_t h[32] = {7};

	store_close(f->s);
	f->s = NULL;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
				      "ALTER TABLE tokens DROP COLUMN name;"
				      "ALTER TABLE tokens DROP COLUMN blocks;"
				      "INSERT INTO tokens (hash, role, label, created_at)"
				      " VALUES (zeroblob(32), 'caretaker', NULL, 1);"
				      "INSERT INTO tokens (hash, role, label, created_at)"
				      " VALUES (X'07000000000000000000000000000000"
				      "00000000000000000000000000000000', 'manager', 'ops laptop', 1);"
				      "PRAGMA user_version = 6;",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_open(f->path, &f->s), 0);
	assert_int_equal(store_schema_version(f->s), STORE_SCHEMA_VERSION);
	assert_int_equal(store_token_find(f->s, h, sizeof(h), role, sizeof(role), name,
					  sizeof(name), blocks, sizeof(blocks)), 0);
	assert_string_equal(role, "manager");
	assert_string_equal(name, "ops laptop");
	assert_string_equal(blocks, "");
	memset(h, 0, sizeof(h));
	assert_int_equal(store_token_find(f->s, h, sizeof(h), role, sizeof(role), name,
					  sizeof(name), blocks, sizeof(blocks)), 0);
	assert_string_equal(role, "caretaker");
	assert_string_equal(name, "caretaker");
	assert_string_equal(blocks, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_migrate_and_reopen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_block_crud, setup, teardown),
		cmocka_unit_test_setup_teardown(test_item_crud_and_cascade, setup, teardown),
		cmocka_unit_test_setup_teardown(test_version_atomic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tokens, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tokens_from_schema6, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
