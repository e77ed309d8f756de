/* SPDX-License-Identifier: MIT */
/*
 * API token generation and hashing (see token.h). Storing and looking up the
 * hash is the store's job; deciding what a role may do is the api's.
 */
#include "store/token.h"

#include <errno.h>
#include <string.h>

#include <sodium.h>

#define TOKEN_RANDOM_BYTES 32

static const char *const role_names[] = {"caretaker", "manager", "admin"};

int token_init(void)
{
	return sodium_init() < 0 ? -EIO : 0;
}

const char *token_role_name(enum token_role role)
{
	if ((unsigned)role >= sizeof(role_names) / sizeof(role_names[0]))
		return "caretaker";
	return role_names[role];
}

int token_role_parse(const char *s, enum token_role *out)
{
	for (size_t i = 0; i < sizeof(role_names) / sizeof(role_names[0]); i++) {
		if (s != NULL && strcmp(s, role_names[i]) == 0) {
			*out = (enum token_role)i;
			return 0;
		}
	}
	return -EINVAL;
}

int token_hash(const char *text, size_t len, uint8_t hash[TOKEN_HASH_BYTES])
{
	if (crypto_generichash(hash, TOKEN_HASH_BYTES, (const unsigned char *)text, len, NULL,
			       0) != 0)
		return -EIO;
	return 0;
}

int token_generate(char *text, size_t n, uint8_t hash[TOKEN_HASH_BYTES])
{
	unsigned char raw[TOKEN_RANDOM_BYTES];
	size_t prefix = strlen(TOKEN_PREFIX);
	int ret = 0;

	if (n < TOKEN_TEXT_MAX ||
	    n - prefix < sodium_base64_ENCODED_LEN(TOKEN_RANDOM_BYTES,
						   sodium_base64_VARIANT_URLSAFE_NO_PADDING))
		return -ENOSPC;
	randombytes_buf(raw, sizeof(raw));
	memcpy(text, TOKEN_PREFIX, prefix);
	sodium_bin2base64(text + prefix, n - prefix, raw, sizeof(raw),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	ret = token_hash(text, strlen(text), hash);
	sodium_memzero(raw, sizeof(raw));
	return ret;
}
