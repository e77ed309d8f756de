/* SPDX-License-Identifier: MIT */
/*
 * Staff sign-in sessions (table sessions, schema 4) and CSRF tokens. A
 * session is a random 256-bit token in an HttpOnly, SameSite=Strict cookie;
 * only its BLAKE2b hash is stored, with the user, an absolute expiry and the
 * session's CSRF token, which every staff form carries in a hidden field.
 * Before sign-in, the login form uses a double-submit token (a cookie and
 * the same value in the form).
 *
 * Not for: passwords (users), throttling (ratelimit), HTTP (web).
 * Threads: callers hold store_lock around session_create/find/delete/purge;
 * session_random and session_csrf_ok need no lock.
 */
#ifndef SITEBOARD_SERVER_SESSION_H
#define SITEBOARD_SERVER_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define SESSION_TOKEN_MAX 48 /* 43 base64url characters + NUL, with room */
#define SESSION_TTL_MS (INT64_C(12) * 3600 * 1000)

struct sessions;

/* @retval 0 and *out set, -EIO (logged), -ENOMEM */
int session_open(struct store *store, struct sessions **out);
/* NULL is fine; call before store_close. */
void session_close(struct sessions *s);

/* 32 random bytes as unpadded base64url into out (n >= SESSION_TOKEN_MAX). 0 or -ENOSPC. */
int session_random(char *out, size_t n);

/*
 * A new session for user_id, expiring SESSION_TTL_MS after now_ms: token and
 * csrf get fresh random values (each SESSION_TOKEN_MAX bytes).
 * @retval 0, -EIO
 */
int session_create(struct sessions *s, int64_t user_id, int64_t now_ms, char *token,
		   char *csrf);

/*
 * The session of token (borrowed): its user and CSRF token (SESSION_TOKEN_MAX bytes).
 * @retval 0, -ENOENT (unknown or expired), -EIO
 */
int session_find(struct sessions *s, const char *token, int64_t now_ms, int64_t *user_id,
		 char *csrf);

/* Sign out: forget the session of token. 0 (also when unknown) or -EIO. */
int session_delete(struct sessions *s, const char *token);

/* Forget expired sessions. 0 or -EIO. */
int session_purge(struct sessions *s, int64_t now_ms);

/* Constant-time comparison; false if either is NULL or empty or lengths differ. */
bool session_csrf_ok(const char *expected, const char *given);

#endif
