/* SPDX-License-Identifier: MIT */
/*
 * The command line of siteboardctl: parsing argv into a checked struct
 * cli_cmd, and turning that into what goes on the wire (method, path and
 * query, JSON body). No network and no environment access here, so every
 * rule is unit tested directly; main.c passes getenv() results to
 * cli_resolve.
 *
 * Flags are parsed by hand rather than with getopt_long: the --FIELD options
 * depend on the resource and action named on the same line (resource.h), and getopt's
 * global state would make the parser awkward to test.
 *
 * Ownership: every string in a struct cli_cmd is borrowed from argv (or from
 * the strings given to cli_resolve) and must outlive the cmd; a cmd owns
 * nothing and needs no freeing.
 */
#ifndef SITEBOARDCTL_CLI_H
#define SITEBOARDCTL_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "resource.h"

#define CLI_DEFAULT_SERVER "http://127.0.0.1:8080"
#define CLI_PATH_MAX 2048 /* path and query string */
#define CLI_ERR_MAX 512

enum cli_action {
	CLI_NONE = 0,
	CLI_LIST,
	CLI_ADD,
	CLI_SHOW,
	CLI_UPDATE,
	CLI_REMOVE,
	CLI_BOARD, /* siteboardctl board BLOCK */
	CLI_VERB,  /* one of the resource's extra actions (cmd->verb) */
};

struct cli_cmd {
	const char *server; /* --server, NULL until given or resolved */
	const char *token;  /* --token, NULL until given or resolved */
	bool json;          /* --json: print the server's JSON */
	bool quiet;         /* -q/--quiet: print ids only */
	bool help;          /* --help / -h (for res, if one was named) */
	bool version;       /* --version */
	const struct resource *res; /* NULL for board and top-level help */
	enum cli_action action;
	const struct resource_verb *verb; /* the extra action when action == CLI_VERB */
	const char *block;  /* --block B of an item resource, or BLOCK of "board" */
	const char *id;     /* ID of show, update, remove and extra actions */
	/*
	 * --FIELD values, by index in the action's field set (cli_fields): the
	 * body fields of add/update, the filters of list, an extra action's
	 * fields. NULL = not given. For a resource that is not inside a block,
	 * --block B is the field or filter named "block", if it has one.
	 */
	const char *values[RESOURCE_MAX_FIELDS];
};

/*
 * Parse argv[1..argc-1] into *cmd (zeroed first). When --help or --version is
 * given, the rest is not checked beyond being well-formed. On error err gets
 * one line (no program name, no newline) and cmd->res is still set if the
 * resource was recognised, so the caller can point at its help.
 * @retval 0
 * --FIELD options may come before or after the action, but after the
 * resource: which names exist depends on both.
 * @retval -EINVAL usage error (unknown resource, action or --FIELD, an action
 *         the resource does not allow, missing or extra argument, bad id, bad
 *         yes/no, number or choice value)
 */
int cli_parse(int argc, char *const argv[], struct cli_cmd *cmd, char *err, size_t err_len);

/*
 * Fill server and token from env_server / env_token (getenv results, may be
 * NULL) when not given on the command line, then check them: the server
 * must be an http:// or https:// URL, the token non-empty printable ASCII.
 * @retval 0
 * @retval -EINVAL with err set
 */
int cli_resolve(struct cli_cmd *cmd, const char *env_server, const char *env_token, char *err,
		size_t err_len);

/*
 * The field set the action of cmd takes --FIELD options from (see
 * cli_cmd.values); *n gets its length (0 and NULL for show, remove, board).
 */
const struct resource_field *cli_fields(const struct cli_cmd *cmd, size_t *n);

/* The ACTION word of cmd ("list", "ack", "board", ...); "" if none. */
const char *cli_action_name(const struct cli_cmd *cmd);

/* "GET", "POST", "PUT" or "DELETE" for cmd's action. */
const char *cli_method(const struct cli_cmd *cmd);

/*
 * Write the request path ("/api/v1/blocks/tower-a/notices",
 * "/api/v1/breaches/7/ack") into buf; for list, the filters given follow as
 * a query string in table order ("?state=open&from=2026-11-24T17%3A00%3A00Z"),
 * values percent-encoded (curl_easy_escape), yes/no as true/false, empty
 * values left out. Ids are checked again, so they need no escaping.
 * @retval 0, -EINVAL (no action or bad id), -ENOSPC (buf too short), -ENOMEM
 */
int cli_path(const struct cli_cmd *cmd, char *buf, size_t n);

/*
 * Build the JSON body of add, update or an extra action: the given fields in
 * table order; yes/no fields become JSON booleans. On add and extra actions
 * an empty optional field is left out; on update it becomes null (clears
 * it). For other actions *out = NULL.
 * @retval 0 and *out set (new reference, caller json_decref's; may be NULL)
 * @retval -EINVAL a value the parser should have refused, -ENOMEM
 */
int cli_build_body(const struct cli_cmd *cmd, json_t **out);

/* The general help text. */
void cli_usage(FILE *f);

/* Help for one resource: its actions, fields and filters. */
void cli_resource_usage(FILE *f, const struct resource *r);

/* Parse yes/no/true/false (any case). @retval 0, -EINVAL */
int cli_parse_bool(const char *s, bool *out);

#endif
