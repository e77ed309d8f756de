/* SPDX-License-Identifier: MIT */
/*
 * Command-line parsing and request building for siteboardctl (see cli.h).
 * All usage checks live here so that main.c only reports them.
 */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <strings.h>

#include "siteboard/topic.h"

#define ID_RULE "[a-z0-9-]{1,40}"
#define SERVER_MAX 1000

struct action_name {
	const char *name;
	enum cli_action action;
};

static const struct action_name actions[] = {
	{"list", CLI_LIST}, {"add", CLI_ADD},       {"show", CLI_SHOW},
	{"update", CLI_UPDATE}, {"remove", CLI_REMOVE},
};

static int fail(char *err, size_t err_len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t err_len, const char *fmt, ...)
{
	va_list ap;

	if (err_len > 0) {
		va_start(ap, fmt);
		vsnprintf(err, err_len, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static const char *resource_names(char *buf, size_t n)
{
	size_t count = 0;
	const struct resource *all = resource_all(&count);
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < count && used < n; i++) {
		int len = snprintf(buf + used, n - used, "%s, ", all[i].name);

		if (len < 0)
			break;
		used += (size_t)len;
	}
	if (used < n)
		snprintf(buf + used, n - used, "board");
	return buf;
}

int cli_parse_bool(const char *s, bool *out)
{
	if (strcasecmp(s, "yes") == 0 || strcasecmp(s, "true") == 0) {
		*out = true;
		return 0;
	}
	if (strcasecmp(s, "no") == 0 || strcasecmp(s, "false") == 0) {
		*out = false;
		return 0;
	}
	return -EINVAL;
}

static bool choice_ok(const struct resource_field *f, const char *value)
{
	if (f->choices == NULL)
		return true;
	for (size_t i = 0; f->choices[i] != NULL; i++) {
		if (strcmp(f->choices[i], value) == 0)
			return true;
	}
	return false;
}

/* Check one --FIELD value; "" (clear/leave out) is always acceptable here. */
static int check_value(const struct resource *r, const struct resource_field *f,
		       const char *value, char *err, size_t err_len)
{
	bool b = false;
	json_t *probe = NULL;

	if (value[0] == '\0')
		return 0;
	probe = json_string(value); /* NULL for invalid UTF-8 */
	if (probe == NULL)
		return fail(err, err_len, "--%s for %s is not valid UTF-8", f->name, r->name);
	json_decref(probe);
	if (f->type == RESOURCE_BOOL && cli_parse_bool(value, &b) != 0)
		return fail(err, err_len, "--%s for %s must be yes, no, true or false, not '%s'",
			    f->name, r->name, value);
	if (!choice_ok(f, value))
		return fail(err, err_len, "--%s for %s must be %s, not '%s'", f->name, r->name,
			    f->hint, value);
	if (f->id && !topic_id_valid(value))
		return fail(err, err_len, "--%s '%s' is not a valid id (" ID_RULE ")", f->name,
			    value);
	return 0;
}

/*
 * Handle a global option by name. Returns 1 if name is not one; otherwise 0,
 * with *slot set where its value goes (NULL for a plain flag).
 */
static int global_option(struct cli_cmd *cmd, const char *name, const char ***slot)
{
	*slot = NULL;
	if (strcmp(name, "server") == 0)
		*slot = &cmd->server;
	else if (strcmp(name, "token") == 0)
		*slot = &cmd->token;
	else if (strcmp(name, "block") == 0)
		*slot = &cmd->block;
	else if (strcmp(name, "json") == 0)
		cmd->json = true;
	else if (strcmp(name, "quiet") == 0)
		cmd->quiet = true;
	else if (strcmp(name, "help") == 0)
		cmd->help = true;
	else if (strcmp(name, "version") == 0)
		cmd->version = true;
	else
		return 1;
	return 0;
}

static int positional(struct cli_cmd *cmd, const char *arg, size_t *n_pos, char *err,
		      size_t err_len)
{
	char names[128];
	size_t n = (*n_pos)++;

	if (n == 0) {
		if (strcmp(arg, "board") == 0) {
			cmd->action = CLI_BOARD;
			return 0;
		}
		cmd->res = resource_find(arg);
		if (cmd->res == NULL)
			return fail(err, err_len, "unknown resource '%s' (one of: %s)", arg,
				    resource_names(names, sizeof(names)));
		return 0;
	}
	if (n == 1 && cmd->action == CLI_BOARD) {
		if (cmd->block != NULL)
			return fail(err, err_len, "board takes BLOCK or --block, not both");
		cmd->block = arg;
		return 0;
	}
	if (n == 1) {
		for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++) {
			if (strcmp(actions[i].name, arg) == 0) {
				cmd->action = actions[i].action;
				return 0;
			}
		}
		return fail(err, err_len,
			    "unknown action '%s' for %s (one of: list, add, show, update, remove)",
			    arg, cmd->res->name);
	}
	if (n == 2 && (cmd->action == CLI_SHOW || cmd->action == CLI_UPDATE ||
		       cmd->action == CLI_REMOVE)) {
		cmd->id = arg;
		return 0;
	}
	return fail(err, err_len, "unexpected argument '%s'", arg);
}

/* Handle "--name[=value]" at argv[*i]; advances *i past a separate value. */
static int option(struct cli_cmd *cmd, int argc, char *const argv[], int *i, char *err,
		  size_t err_len)
{
	const char *arg = argv[*i] + 2;
	const char *eq = strchr(arg, '=');
	char name[64];
	size_t name_len = eq != NULL ? (size_t)(eq - arg) : strlen(arg);
	const char *value = eq != NULL ? eq + 1 : NULL;
	const char **slot = NULL;
	int idx = -1;
	char list[160];

	if (name_len == 0 || name_len >= sizeof(name))
		return fail(err, err_len, "unknown option '%s'", argv[*i]);
	memcpy(name, arg, name_len);
	name[name_len] = '\0';

	if (global_option(cmd, name, &slot) != 0) {
		if (cmd->res == NULL)
			return fail(err, err_len, "unknown option --%s", name);
		idx = resource_field_index(cmd->res, name);
		if (idx < 0)
			return fail(err, err_len, "unknown field --%s for %s (fields: %s)", name,
				    cmd->res->name,
				    resource_field_list(cmd->res, list, sizeof(list)));
		slot = &cmd->values[idx];
	}

	if (slot == NULL) {
		if (value != NULL)
			return fail(err, err_len, "--%s takes no value", name);
		return 0;
	}
	if (value == NULL) {
		if (*i + 1 >= argc)
			return fail(err, err_len, "--%s needs a value", name);
		*i += 1;
		value = argv[*i];
	}
	if (*slot != NULL)
		return fail(err, err_len, "--%s given twice", name);
	if (idx >= 0) {
		int rc = check_value(cmd->res, &cmd->res->fields[idx], value, err, err_len);

		if (rc != 0)
			return rc;
	}
	*slot = value;
	return 0;
}

static bool any_field(const struct cli_cmd *cmd)
{
	for (size_t i = 0; i < RESOURCE_MAX_FIELDS; i++) {
		if (cmd->values[i] != NULL)
			return true;
	}
	return false;
}

static int check_block(const struct cli_cmd *cmd, char *err, size_t err_len)
{
	const struct resource *r = cmd->res;
	const char *what = cmd->action == CLI_LIST ? "list" : "add";

	if (!r->item) {
		if (cmd->block != NULL)
			return fail(err, err_len, "blocks %s takes no --block", what);
		return 0;
	}
	if (cmd->block == NULL)
		return fail(err, err_len, "%s %s needs --block BLOCK", r->name, what);
	if (!topic_id_valid(cmd->block))
		return fail(err, err_len, "'%s' is not a valid block id (" ID_RULE ")", cmd->block);
	return 0;
}

static int check_action(const struct cli_cmd *cmd, char *err, size_t err_len)
{
	const struct resource *r = cmd->res;
	int rc = 0;

	switch (cmd->action) {
	case CLI_LIST:
		if (any_field(cmd))
			return fail(err, err_len, "%s list takes no --FIELD options", r->name);
		return check_block(cmd, err, err_len);
	case CLI_ADD:
		rc = check_block(cmd, err, err_len);
		if (rc != 0)
			return rc;
		for (size_t i = 0; i < r->n_fields; i++) {
			if (r->fields[i].required && cmd->values[i] == NULL)
				return fail(err, err_len, "%s add needs --%s", r->name,
					    r->fields[i].name);
		}
		return 0;
	case CLI_SHOW:
	case CLI_UPDATE:
	case CLI_REMOVE:
		if (cmd->id == NULL)
			return fail(err, err_len, "%s %s needs an ID", r->name,
				    actions[cmd->action - CLI_LIST].name);
		if (!topic_id_valid(cmd->id))
			return fail(err, err_len, "'%s' is not a valid id (" ID_RULE ")", cmd->id);
		if (cmd->block != NULL)
			return fail(err, err_len, "%s %s takes no --block", r->name,
				    actions[cmd->action - CLI_LIST].name);
		if (cmd->action != CLI_UPDATE) {
			if (any_field(cmd))
				return fail(err, err_len, "%s %s takes no --FIELD options",
					    r->name, actions[cmd->action - CLI_LIST].name);
			return 0;
		}
		if (!any_field(cmd))
			return fail(err, err_len, "%s update needs at least one --FIELD", r->name);
		for (size_t i = 0; i < r->n_fields; i++) {
			if (r->fields[i].id && cmd->values[i] != NULL)
				return fail(err, err_len, "an id cannot be changed: drop --%s",
					    r->fields[i].name);
		}
		return 0;
	case CLI_NONE:
	case CLI_BOARD:
		break;
	}
	return fail(err, err_len, "missing ACTION");
}

int cli_parse(int argc, char *const argv[], struct cli_cmd *cmd, char *err, size_t err_len)
{
	size_t n_pos = 0;
	bool options_done = false;
	int rc = 0;

	memset(cmd, 0, sizeof(*cmd));
	if (err_len > 0)
		err[0] = '\0';

	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (!options_done && strcmp(arg, "--") == 0) {
			options_done = true;
		} else if (!options_done && strncmp(arg, "--", 2) == 0) {
			rc = option(cmd, argc, argv, &i, err, err_len);
		} else if (!options_done && (strcmp(arg, "-q") == 0)) {
			cmd->quiet = true;
		} else if (!options_done && (strcmp(arg, "-h") == 0)) {
			cmd->help = true;
		} else if (!options_done && arg[0] == '-' && arg[1] != '\0') {
			rc = fail(err, err_len, "unknown option '%s'", arg);
		} else {
			rc = positional(cmd, arg, &n_pos, err, err_len);
		}
		if (rc != 0)
			return rc;
	}

	if (cmd->help || cmd->version)
		return 0;
	if (cmd->json && cmd->quiet)
		return fail(err, err_len, "--json and --quiet do not go together");
	if (n_pos == 0)
		return fail(err, err_len, "missing RESOURCE");
	if (cmd->action == CLI_BOARD) {
		if (cmd->block == NULL)
			return fail(err, err_len, "board needs a BLOCK");
		if (!topic_id_valid(cmd->block))
			return fail(err, err_len, "'%s' is not a valid block id (" ID_RULE ")",
				    cmd->block);
		return 0;
	}
	if (cmd->action == CLI_NONE)
		return fail(err, err_len, "missing ACTION for %s (list, add, show, update, remove)",
			    cmd->res->name);
	return check_action(cmd, err, err_len);
}

static bool server_ok(const char *s)
{
	size_t n = strlen(s);
	size_t host = 0;

	if (strncasecmp(s, "http://", 7) == 0)
		host = 7;
	else if (strncasecmp(s, "https://", 8) == 0)
		host = 8;
	else
		return false;
	if (n == host || n > SERVER_MAX || s[host] == '/')
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= 0x20 || c >= 0x7f || c == '?' || c == '#')
			return false;
	}
	return true;
}

static bool token_ok(const char *s)
{
	for (size_t i = 0; s[i] != '\0'; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= 0x20 || c >= 0x7f)
			return false;
	}
	return s[0] != '\0';
}

int cli_resolve(struct cli_cmd *cmd, const char *env_server, const char *env_token, char *err,
		size_t err_len)
{
	if (cmd->server == NULL)
		cmd->server = (env_server != NULL && env_server[0] != '\0') ? env_server
									       : CLI_DEFAULT_SERVER;
	if (cmd->token == NULL && env_token != NULL && env_token[0] != '\0')
		cmd->token = env_token;
	if (!server_ok(cmd->server))
		return fail(err, err_len, "bad server URL '%s': use http://HOST[:PORT]", cmd->server);
	if (cmd->token == NULL || cmd->token[0] == '\0')
		return fail(err, err_len, "no token: give --token TOKEN or set SITEBOARD_TOKEN");
	if (!token_ok(cmd->token))
		return fail(err, err_len, "bad token: it must be printable ASCII without spaces");
	return 0;
}

const char *cli_method(const struct cli_cmd *cmd)
{
	switch (cmd->action) {
	case CLI_ADD:
		return "POST";
	case CLI_UPDATE:
		return "PUT";
	case CLI_REMOVE:
		return "DELETE";
	case CLI_NONE:
	case CLI_LIST:
	case CLI_SHOW:
	case CLI_BOARD:
		break;
	}
	return "GET";
}

static int path_fmt(char *buf, size_t n, const char *a, const char *b, const char *c)
{
	int len = snprintf(buf, n, "/api/v1/%s%s%s%s%s", a, b ? "/" : "", b ? b : "",
			   c ? "/" : "", c ? c : "");

	if (len < 0)
		return -EINVAL;
	if ((size_t)len >= n)
		return -ENOSPC;
	return 0;
}

int cli_path(const struct cli_cmd *cmd, char *buf, size_t n)
{
	const struct resource *r = cmd->res;

	switch (cmd->action) {
	case CLI_BOARD:
		if (!topic_id_valid(cmd->block))
			return -EINVAL;
		return path_fmt(buf, n, "blocks", cmd->block, "board");
	case CLI_LIST:
	case CLI_ADD:
		if (r == NULL)
			return -EINVAL;
		if (!r->item)
			return path_fmt(buf, n, r->name, NULL, NULL);
		if (!topic_id_valid(cmd->block))
			return -EINVAL;
		return path_fmt(buf, n, "blocks", cmd->block, r->name);
	case CLI_SHOW:
	case CLI_UPDATE:
	case CLI_REMOVE:
		if (r == NULL || !topic_id_valid(cmd->id))
			return -EINVAL;
		return path_fmt(buf, n, r->name, cmd->id, NULL);
	case CLI_NONE:
		break;
	}
	return -EINVAL;
}

static json_t *field_json(const struct resource_field *f, const char *value)
{
	bool b = false;

	if (f->type == RESOURCE_BOOL) {
		if (cli_parse_bool(value, &b) != 0)
			return NULL;
		return json_boolean(b);
	}
	return json_string(value);
}

int cli_build_body(const struct cli_cmd *cmd, json_t **out)
{
	const struct resource *r = cmd->res;
	json_t *body = NULL;
	json_t *v = NULL;
	int rc = 0;

	*out = NULL;
	if (cmd->action != CLI_ADD && cmd->action != CLI_UPDATE)
		return 0;
	if (r == NULL)
		return -EINVAL;
	body = json_object();
	if (body == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < r->n_fields; i++) {
		const struct resource_field *f = &r->fields[i];
		const char *value = cmd->values[i];

		if (value == NULL)
			continue;
		if (value[0] == '\0' && !f->required) {
			if (cmd->action == CLI_ADD)
				continue;
			v = json_null();
		} else if (value[0] == '\0' && f->type == RESOURCE_BOOL) {
			rc = -EINVAL;
			goto out;
		} else {
			v = field_json(f, value);
			if (v == NULL) {
				/* json_string refuses invalid UTF-8 as well */
				rc = -EINVAL;
				goto out;
			}
		}
		if (json_object_set_new(body, f->name, v) != 0) {
			rc = -ENOMEM;
			goto out;
		}
	}
	*out = body;
	body = NULL;
out:
	json_decref(body);
	return rc;
}

void cli_usage(FILE *f)
{
	char names[128];

	fprintf(f,
		"usage: siteboardctl [--server URL] [--token TOKEN] [--json | -q] RESOURCE ACTION [ARGS]\n"
		"       siteboardctl board BLOCK\n"
		"       siteboardctl RESOURCE --help | --help | --version\n"
		"\n"
		"Admin client of the siteboard server's HTTP API (/api/v1).\n"
		"\n"
		"RESOURCE: %s\n"
		"ACTION:\n"
		"  list [--block B]                 blocks: all; others need --block B\n"
		"  add [--block B] --FIELD VALUE ... items need --block B\n"
		"  show ID\n"
		"  update ID --FIELD VALUE ...      only the fields given; --FIELD \"\" clears one\n"
		"  remove ID\n"
		"board BLOCK prints the block's current board as JSON.\n"
		"\n"
		"Options:\n"
		"  --server URL   server (default $SITEBOARD_SERVER, else " CLI_DEFAULT_SERVER ")\n"
		"  --token TOKEN  API token (default $SITEBOARD_TOKEN; required)\n"
		"  --json         print the server's JSON answer\n"
		"  -q, --quiet    print only ids (add: the new id)\n"
		"  -h, --help     this help; RESOURCE --help lists its fields\n"
		"  --version      print the version\n"
		"\n"
		"Exit status: 0 success, 1 server or connection error, 2 usage error.\n",
		resource_names(names, sizeof(names)));
}

void cli_resource_usage(FILE *f, const struct resource *r)
{
	const char *block = r->item ? " --block B" : "";

	fprintf(f,
		"usage: siteboardctl %s list%s\n"
		"       siteboardctl %s add%s --FIELD VALUE ...\n"
		"       siteboardctl %s show ID\n"
		"       siteboardctl %s update ID --FIELD VALUE ...\n"
		"       siteboardctl %s remove ID\n"
		"\nFields of a %s (* required on add):\n",
		r->name, block, r->name, block, r->name, r->name, r->name, r->one);
	for (size_t i = 0; i < r->n_fields; i++) {
		const struct resource_field *fl = &r->fields[i];

		fprintf(f, "  --%-10s %c %s\n", fl->name, fl->required ? '*' : ' ', fl->hint);
	}
	fprintf(f, "\nOn update, --FIELD \"\" clears an optional field; the id cannot change.\n");
}
