/* SPDX-License-Identifier: MIT */
/*
 * "siteboard-server user ..." (see usercmd.h).
 */
#include "cmd/usercmd.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "siteboard/sbtime.h"
#include "store/users.h"

#define PROG "siteboard-server"
#define EXIT_USAGE 2

/* One line from stdin into buf; 0 or -1 with the reason printed. */
static int read_password(char *buf, size_t n)
{
	size_t len;

	if (isatty(STDIN_FILENO))
		fprintf(stderr, "Password (%d to %d characters): ", USERS_PASSWORD_MIN,
			USERS_PASSWORD_MAX);
	if (fgets(buf, (int)n, stdin) == NULL) {
		fprintf(stderr, PROG ": user: no password on standard input\n");
		return -1;
	}
	len = strlen(buf);
	if (len > 0 && buf[len - 1] != '\n' && !feof(stdin)) {
		fprintf(stderr, PROG ": user: the password is longer than %d bytes\n",
			USERS_PASSWORD_MAX);
		return -1;
	}
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		buf[--len] = '\0';
	if (len < USERS_PASSWORD_MIN || len > USERS_PASSWORD_MAX) {
		fprintf(stderr, PROG ": user: the password must be %d to %d bytes\n",
			USERS_PASSWORD_MIN, USERS_PASSWORD_MAX);
		return -1;
	}
	return 0;
}

static int with_users(struct store *st, struct users **u)
{
	int ret;

	store_lock(st);
	ret = users_open(st, u);
	store_unlock(st);
	if (ret < 0)
		fprintf(stderr, PROG ": user: cannot use the database (see log)\n");
	return ret;
}

static int cmd_add(struct store *st, int argc, char **argv)
{
	static const struct option opts[] = {
		{"role", required_argument, NULL, 'r'},
		{"blocks", required_argument, NULL, 'b'},
		{NULL, 0, NULL, 0},
	};
	const char *role_s = NULL;
	const char *blocks = "";
	const char *name = NULL;
	enum token_role role;
	char pw[USERS_PASSWORD_MAX + 2];
	char hash[USERS_HASH_MAX];
	struct users *u = NULL;
	int ret = EXIT_FAILURE;
	int c;

	optind = 0;
	for (;;) {
		c = getopt_long(argc, argv, "", opts, NULL);
		if (c == -1)
			break;
		if (c == 'r')
			role_s = optarg;
		else if (c == 'b')
			blocks = optarg;
		else
			return EXIT_USAGE;
	}
	if (optind + 1 != argc) {
		fprintf(stderr, PROG ": user add: give exactly one NAME\n");
		return EXIT_USAGE;
	}
	name = argv[optind];
	if (!users_name_valid(name)) {
		fprintf(stderr, PROG ": user add: NAME must match [a-z0-9][a-z0-9._-]{0,39}\n");
		return EXIT_USAGE;
	}
	if (role_s == NULL || token_role_parse(role_s, &role) < 0) {
		fprintf(stderr, PROG ": user add: --role must be caretaker, manager or admin\n");
		return EXIT_USAGE;
	}
	if (!users_blocks_valid(blocks)) {
		fprintf(stderr, PROG ": user add: --blocks must be block ids separated by commas\n");
		return EXIT_USAGE;
	}
	if (role == TOKEN_ROLE_CARETAKER && blocks[0] == '\0') {
		fprintf(stderr, PROG ": user add: a caretaker needs --blocks\n");
		return EXIT_USAGE;
	}
	if (read_password(pw, sizeof(pw)) < 0 || users_hash_password(pw, hash) < 0)
		goto out;
	if (with_users(st, &u) < 0)
		goto out;
	store_lock(st);
	c = users_add(u, name, role, role == TOKEN_ROLE_CARETAKER ? blocks : "", hash,
		      sbtime_now_ms());
	if (c == 0)
		users_audit(u, "cli", "user.add", name, token_role_name(role), sbtime_now_ms());
	store_unlock(st);
	if (c == -EEXIST)
		fprintf(stderr, PROG ": user add: user %s already exists\n", name);
	else if (c < 0)
		fprintf(stderr, PROG ": user add: cannot store the user (see log)\n");
	else
		ret = EXIT_SUCCESS;
out:
	sodium_memzero(pw, sizeof(pw));
	if (u != NULL) {
		store_lock(st);
		users_close(u);
		store_unlock(st);
	}
	return ret;
}

static int cmd_name_only(struct store *st, const char *cmd, int argc, char **argv)
{
	char pw[USERS_PASSWORD_MAX + 2];
	char hash[USERS_HASH_MAX];
	struct users *u = NULL;
	bool passwd = strcmp(cmd, "passwd") == 0;
	int ret = EXIT_FAILURE;
	int rc;

	if (argc != 2 || !users_name_valid(argv[1])) {
		fprintf(stderr, PROG ": user %s: give exactly one valid NAME\n", cmd);
		return EXIT_USAGE;
	}
	if (passwd && (read_password(pw, sizeof(pw)) < 0 || users_hash_password(pw, hash) < 0))
		goto out;
	if (with_users(st, &u) < 0)
		goto out;
	store_lock(st);
	rc = passwd ? users_set_password(u, argv[1], hash) : users_remove(u, argv[1]);
	if (rc == 0)
		users_audit(u, "cli", passwd ? "user.passwd" : "user.remove", argv[1], NULL,
			    sbtime_now_ms());
	store_unlock(st);
	if (rc == -ENOENT)
		fprintf(stderr, PROG ": user %s: no user %s\n", cmd, argv[1]);
	else if (rc < 0)
		fprintf(stderr, PROG ": user %s: cannot change the user (see log)\n", cmd);
	else
		ret = EXIT_SUCCESS;
out:
	sodium_memzero(pw, sizeof(pw));
	if (u != NULL) {
		store_lock(st);
		users_close(u);
		store_unlock(st);
	}
	return ret;
}

int usercmd_run(struct store *st, int argc, char **argv)
{
	if (argc < 1) {
		fprintf(stderr, PROG ": user: add, passwd or remove?\n");
		return EXIT_USAGE;
	}
	if (strcmp(argv[0], "add") == 0)
		return cmd_add(st, argc, argv);
	if (strcmp(argv[0], "passwd") == 0 || strcmp(argv[0], "remove") == 0)
		return cmd_name_only(st, argv[0], argc, argv);
	fprintf(stderr, PROG ": user: unknown command '%s' (add, passwd, remove)\n", argv[0]);
	return EXIT_USAGE;
}
