/* SPDX-License-Identifier: MIT */
/*
 * Mosquitto password hashes and device passwords (see mqttpw.h).
 */
#include "devices/mqttpw.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <sodium.h>

#define HASH_BYTES 64

int mqttpw_hash_salt(const char *password, const uint8_t *salt, size_t salt_len, int iterations,
		     char *out, size_t out_len)
{
	uint8_t hash[HASH_BYTES];
	char salt64[64], hash64[128];
	int n;

	if (password == NULL || salt == NULL || salt_len == 0 || salt_len > 32 || iterations < 1)
		return -EINVAL;
	if (PKCS5_PBKDF2_HMAC(password, (int)strlen(password), salt, (int)salt_len, iterations,
			      EVP_sha512(), (int)sizeof(hash), hash) != 1)
		return -EIO;
	sodium_bin2base64(salt64, sizeof(salt64), salt, salt_len, sodium_base64_VARIANT_ORIGINAL);
	sodium_bin2base64(hash64, sizeof(hash64), hash, sizeof(hash),
			  sodium_base64_VARIANT_ORIGINAL);
	sodium_memzero(hash, sizeof(hash));
	n = snprintf(out, out_len, "$7$%d$%s$%s", iterations, salt64, hash64);
	if (n < 0 || (size_t)n >= out_len)
		return -ENOSPC;
	return 0;
}

int mqttpw_hash(const char *password, char *out, size_t out_len)
{
	uint8_t salt[MQTTPW_SALT_BYTES];

	randombytes_buf(salt, sizeof(salt));
	return mqttpw_hash_salt(password, salt, sizeof(salt), MQTTPW_ITERATIONS, out, out_len);
}

int mqttpw_generate(char *out, size_t out_len)
{
	uint8_t raw[24];

	if (out_len < sodium_base64_ENCODED_LEN(sizeof(raw),
						 sodium_base64_VARIANT_URLSAFE_NO_PADDING))
		return -ENOSPC;
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, out_len, raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
	return 0;
}
