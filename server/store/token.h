/* SPDX-License-Identifier: MIT */
/*
 * API tokens: "sbt_" followed by 32 random bytes in unpadded base64url
 * (libsodium). Only a BLAKE2b hash (crypto_generichash) of the whole token
 * text is ever stored; a request is authenticated by looking that hash up.
 * Also the staff roles a token carries. Thread-safe (no state), but
 * token_init must have succeeded once before any other call.
 */
#ifndef SITEBOARD_SERVER_TOKEN_H
#define SITEBOARD_SERVER_TOKEN_H

#include <stddef.h>
#include <stdint.h>

#define TOKEN_PREFIX "sbt_"
#define TOKEN_HASH_BYTES 32
#define TOKEN_TEXT_MAX 64 /* "sbt_" + 43 base64url characters + NUL fits */

enum token_role {
	TOKEN_ROLE_CARETAKER = 0,
	TOKEN_ROLE_MANAGER,
	TOKEN_ROLE_ADMIN,
};

/* Initialise libsodium. 0 or -EIO. */
int token_init(void);

/* "admin", "manager", "caretaker"; parse returns 0 or -EINVAL. */
const char *token_role_name(enum token_role role);
int token_role_parse(const char *s, enum token_role *out);

/*
 * Make a new token: text (n >= TOKEN_TEXT_MAX bytes) and its hash.
 * @retval 0, -ENOSPC if n is too small
 */
int token_generate(char *text, size_t n, uint8_t hash[TOKEN_HASH_BYTES]);

/* Hash len bytes of token text (borrowed). 0 or -EIO. */
int token_hash(const char *text, size_t len, uint8_t hash[TOKEN_HASH_BYTES]);

#endif
