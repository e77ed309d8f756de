/* SPDX-License-Identifier: MIT */
/*
 * Mosquitto's password-file hash, so that the server can write the broker's
 * password_file itself: "$7$<iterations>$<base64 salt>$<base64 hash>", the
 * PBKDF2-HMAC-SHA512 format of mosquitto 2.0 (12-byte salt, 64-byte hash,
 * 101 iterations by default, standard base64 with padding). libsodium has no
 * PBKDF2, so this uses OpenSSL's libcrypto (PKCS5_PBKDF2_HMAC), already on
 * every machine through libmosquitto: Mosquitto's own format requires it.
 * Also makes the random passwords that devices are given.
 *
 * Not for: staff passwords (Argon2id, users.c).
 * Threads: any; needs sodium_init (token_init) done first.
 */
#ifndef SITEBOARD_SERVER_MQTTPW_H
#define SITEBOARD_SERVER_MQTTPW_H

#include <stddef.h>
#include <stdint.h>

#define MQTTPW_ITERATIONS 101
#define MQTTPW_SALT_BYTES 12
#define MQTTPW_HASH_MAX 160     /* the "$7$..." string with its NUL */
#define MQTTPW_PASSWORD_MAX 64  /* a generated password with its NUL */

/*
 * Hash password (borrowed) with salt (salt_len bytes) into out.
 * @retval 0, -ENOSPC out too small, -EINVAL bad arguments, -EIO libcrypto failed
 */
int mqttpw_hash_salt(const char *password, const uint8_t *salt, size_t salt_len, int iterations,
		     char *out, size_t out_len);

/* The same with a fresh random salt and MQTTPW_ITERATIONS. */
int mqttpw_hash(const char *password, char *out, size_t out_len);

/*
 * A new random password: 24 random bytes as URL-safe base64 (32 characters,
 * safe in INI files and shells).
 * @retval 0, -ENOSPC (out_len < 33)
 */
int mqttpw_generate(char *out, size_t out_len);

#endif
