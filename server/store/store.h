/* SPDX-License-Identifier: MIT */
/*
 * The server's database: one SQLite file (WAL, synchronous=FULL, foreign
 * keys on) holding blocks with their last published board, the items shown on
 * boards (notices, works, delays, events, contacts) and hashed API tokens.
 * The schema is versioned with PRAGMA user_version and migrated at open.
 *
 * Items are stored as a validated, canonical JSON object (the api module's
 * job) plus a sort key and a creation order; the store does not look inside
 * them. Every statement is prepared once at open.
 *
 * Not for: validation of outside input (api), board layout (boardgen).
 *
 * Threads: a store may be used from several threads, but only by one at a
 * time: callers hold store_lock() around every use, including a whole
 * transaction (begin ... commit) so that a change and its board are atomic.
 * The lock is the only protection: the connection is opened without SQLite's
 * own mutex (SQLITE_OPEN_NOMUTEX), so every statement of every module that
 * uses store_db/store_sqlite must run under it.
 */
#ifndef SITEBOARD_SERVER_STORE_H
#define SITEBOARD_SERVER_STORE_H

#include <stddef.h>
#include <stdint.h>

struct store;

enum store_kind {
	STORE_NOTICES = 0,
	STORE_WORKS,
	STORE_DELAYS,
	STORE_EVENTS,
	STORE_CONTACTS,
	STORE_N_KINDS,
};

/* The schema version this build migrates to. */
#define STORE_SCHEMA_VERSION 7

/* One block row. Strings are owned by the struct; release with store_block_release. */
struct store_block {
	char *id;
	char *name;
	char *address; /* NULL when absent */
	int64_t board_version;
};

/*
 * Open (creating if needed) and migrate the database at path (borrowed).
 * @retval 0 and *out set; close with store_close
 * @retval -EIO the file cannot be opened or migrated (logged)
 * @retval -ENOMEM
 */
int store_open(const char *path, struct store **out);

/* Finalize every statement and close. NULL is fine. */
void store_close(struct store *s);

/* Serialise users of the store, first come first served (not recursive). */
void store_lock(struct store *s);
void store_unlock(struct store *s);

/*
 * The connection (borrowed), for modules that keep their own tables and
 * prepared statements (sensordb). Use it only under store_lock, and finalize
 * those statements before store_close.
 */
struct sqlite3;
struct sqlite3 *store_db(struct store *s);

/*
 * The connection, for modules that own tables of their own (rules,
 * sitehours): they prepare their statements once at their open, finalize
 * them at their close (before store_close), and use them with the store lock
 * held, like everything here. Borrowed.
 */
struct sqlite3;
struct sqlite3 *store_sqlite(struct store *s);

/* PRAGMA user_version, or a negative errno. */
int store_schema_version(struct store *s);

/* Transactions: BEGIN IMMEDIATE / COMMIT / ROLLBACK. 0 or -EIO. */
int store_begin(struct store *s);
int store_commit(struct store *s);
void store_rollback(struct store *s);

/*
 * Blocks. Strings are borrowed. board_version starts at 0.
 * @retval 0, -EEXIST (insert: id taken), -ENOENT (no such block), -EIO
 */
int store_block_insert(struct store *s, const char *id, const char *name, const char *address);
int store_block_update(struct store *s, const char *id, const char *name, const char *address);
int store_block_delete(struct store *s, const char *id);
/* Fill *out (caller releases). 0, -ENOENT, -EIO, -ENOMEM. */
int store_block_get(struct store *s, const char *id, struct store_block *out);
void store_block_release(struct store_block *b);
/* Set the board version and its encoded JSON (borrowed). 0, -ENOENT, -EIO. */
int store_block_set_board(struct store *s, const char *id, int64_t version, const char *json);
/* The stored board JSON: *json malloc'd (caller frees), NULL if none yet. 0, -ENOENT, -EIO. */
int store_block_board(struct store *s, const char *id, char **json);

/*
 * Call fn for every block in creation order; board_json is NULL if the block
 * has no board yet. Everything passed to fn is borrowed for the call only.
 * A non-zero return from fn stops the walk and is returned.
 */
typedef int (*store_block_fn)(void *ctx, const struct store_block *b, const char *board_json);
int store_block_foreach(struct store *s, store_block_fn fn, void *ctx);

/*
 * Items of one kind. Ids are unique per kind across all blocks. data is the
 * item's JSON (borrowed); sortkey orders items within a block, then creation.
 * @retval 0, -EEXIST (insert: id taken), -ENOENT, -EIO
 */
int store_item_insert(struct store *s, enum store_kind kind, const char *id, const char *block,
		      int64_t sortkey, const char *data);
int store_item_update(struct store *s, enum store_kind kind, const char *id, int64_t sortkey,
		      const char *data);
int store_item_delete(struct store *s, enum store_kind kind, const char *id);
/* *block and *data are malloc'd (caller frees); either out pointer may be NULL. */
int store_item_get(struct store *s, enum store_kind kind, const char *id, char **block,
		   char **data);
/* Number of items of a kind in a block. 0 or -EIO. */
int store_item_count(struct store *s, enum store_kind kind, const char *block, int64_t *count);
/* The next creation number for a kind (max + 1), for making ids. 0 or -EIO. */
int store_item_next_seq(struct store *s, enum store_kind kind, int64_t *seq);

/* Walk one block's items of a kind by sortkey, then creation. Like store_block_foreach. */
typedef int (*store_item_fn)(void *ctx, const char *id, const char *data);
int store_item_foreach(struct store *s, enum store_kind kind, const char *block,
		       store_item_fn fn, void *ctx);

/*
 * API tokens, by hash only (the token text never reaches the store).
 * role, label, name and blocks are borrowed; label and name may be NULL,
 * blocks NULL or "" (see migration 7). store_token_find copies the role,
 * the name (the name, else the label, else the role) and the blocks (a
 * comma list, or "") into the buffers, truncating to their sizes.
 * @retval 0, -EEXIST (add: same hash), -ENOENT (find), -EIO
 */
int store_token_add(struct store *s, const uint8_t *hash, size_t hash_len, const char *role,
		    const char *label, const char *name, const char *blocks,
		    int64_t created_at_ms);
int store_token_find(struct store *s, const uint8_t *hash, size_t hash_len, char *role,
		     size_t role_len, char *name, size_t name_len, char *blocks, size_t blocks_len);

#endif
