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

#include <curl/curl.h>

#include "siteboard/topic.h"

#define ID_RULE "[a-z0-9-]{1,40}"
#define SERVER_MAX 1000
#define MAX_OPTIONS 32    /* --FIELD options on one line */
#define OPTION_NAME_MAX 64
#define NUMBER_DIGITS_MAX 10 /* limit, offset */
#define ROW_ID_DIGITS_MAX 18 /* a database row id fits an int64 */

struct action_name {
	const char *name;
	enum cli_action action;
	unsigned bit; /* enum resource_action */
};

static const struct action_name actions[] = {
	{"list", CLI_LIST, RESOURCE_LIST},       {"add", CLI_ADD, RESOURCE_ADD},
	{"show", CLI_SHOW, RESOURCE_SHOW},       {"update", CLI_UPDATE, RESOURCE_UPDATE},
	{"remove", CLI_REMOVE, RESOURCE_REMOVE},
};

#define N_ACTIONS (sizeof(actions) / sizeof(actions[0]))

/*
 * A --FIELD option, kept until the whole line is read: which fields exist
 * depends on the action, which may come later on the line.
 */
struct pending {
	char name[OPTION_NAME_MAX];
	const char *value; /* borrowed from argv */
};

struct pending_list {
	struct pending v[MAX_OPTIONS];
	size_t n;
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

/* Append s to buf[0..n) at *used. @retval 0, -ENOSPC (buf holds what fitted) */
static int append(char *buf, size_t n, size_t *used, const char *s)
{
	int len = snprintf(buf + *used, n - *used, "%s", s);

	if (len < 0 || (size_t)len >= n - *used) {
		*used = n - 1;
		return -ENOSPC;
	}
	*used += (size_t)len;
	return 0;
}

static const char *resource_names(char *buf, size_t n)
{
	size_t count = 0;
	const struct resource *all = resource_all(&count);
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < count; i++) {
		if (append(buf, n, &used, all[i].name) != 0 || append(buf, n, &used, ", ") != 0)
			return buf;
	}
	append(buf, n, &used, "board");
	return buf;
}

/* "list, show, ack": the actions r allows, standard ones first. */
static const char *action_names(const struct resource *r, char *buf, size_t n)
{
	size_t used = 0;
	const char *sep = "";

	buf[0] = '\0';
	for (size_t i = 0; i < N_ACTIONS; i++) {
		if ((r->actions & actions[i].bit) == 0)
			continue;
		if (append(buf, n, &used, sep) != 0 || append(buf, n, &used, actions[i].name) != 0)
			return buf;
		sep = ", ";
	}
	for (size_t i = 0; i < r->n_verbs; i++) {
		if (append(buf, n, &used, sep) != 0 || append(buf, n, &used, r->verbs[i].name) != 0)
			return buf;
		sep = ", ";
	}
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

/* 1 to max decimal digits; no leading zero when positive is set. */
static bool digits_ok(const char *s, size_t max, bool positive)
{
	size_t n = strlen(s);

	if (n == 0 || n > max || (positive && s[0] == '0'))
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
	}
	return true;
}

/* An item id as r's URLs take it. */
static bool id_ok(const struct resource *r, const char *id)
{
	if (r->id_kind == RESOURCE_ID_NUMBER)
		return digits_ok(id, ROW_ID_DIGITS_MAX, true);
	return topic_id_valid(id);
}

static const char *id_rule(const struct resource *r)
{
	return r->id_kind == RESOURCE_ID_NUMBER ? "a whole number from 1" : ID_RULE;
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
	switch (f->type) {
	case RESOURCE_BOOL:
		if (cli_parse_bool(value, &b) != 0)
			return fail(err, err_len,
				    "--%s for %s must be yes, no, true or false, not '%s'", f->name,
				    r->name, value);
		break;
	case RESOURCE_ID:
		if (!topic_id_valid(value))
			return fail(err, err_len, "--%s '%s' is not a valid id (" ID_RULE ")",
				    f->name, value);
		break;
	case RESOURCE_NUMBER:
		if (!digits_ok(value, NUMBER_DIGITS_MAX, false))
			return fail(err, err_len, "--%s for %s must be a whole number, not '%s'",
				    f->name, r->name, value);
		break;
	case RESOURCE_STRING:
		break;
	}
	if (!choice_ok(f, value))
		return fail(err, err_len, "--%s for %s must be %s, not '%s'", f->name, r->name,
			    f->hint, value);
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

static int find_action(struct cli_cmd *cmd, const char *arg, char *err, size_t err_len)
{
	char names[128];

	for (size_t i = 0; i < N_ACTIONS; i++) {
		if (strcmp(actions[i].name, arg) == 0 &&
		    (cmd->res->actions & actions[i].bit) != 0) {
			cmd->action = actions[i].action;
			return 0;
		}
	}
	cmd->verb = resource_verb_find(cmd->res, arg);
	if (cmd->verb != NULL) {
		cmd->action = CLI_VERB;
		return 0;
	}
	return fail(err, err_len, "unknown action '%s' for %s (one of: %s)", arg, cmd->res->name,
		    action_names(cmd->res, names, sizeof(names)));
}

static int positional(struct cli_cmd *cmd, const char *arg, size_t *n_pos, char *err,
		      size_t err_len)
{
	char names[256];
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
	if (n == 1)
		return find_action(cmd, arg, err, err_len);
	if (n == 2 && (cmd->action == CLI_SHOW || cmd->action == CLI_UPDATE ||
		       cmd->action == CLI_REMOVE || cmd->action == CLI_VERB)) {
		cmd->id = arg;
		return 0;
	}
	return fail(err, err_len, "unexpected argument '%s'", arg);
}

/* Handle "--name[=value]" at argv[*i]; advances *i past a separate value. */
static int option(struct cli_cmd *cmd, struct pending_list *pl, int argc, char *const argv[],
		  int *i, char *err, size_t err_len)
{
	const char *arg = argv[*i] + 2;
	const char *eq = strchr(arg, '=');
	char name[OPTION_NAME_MAX];
	size_t name_len = eq != NULL ? (size_t)(eq - arg) : strlen(arg);
	const char *value = eq != NULL ? eq + 1 : NULL;
	const char **slot = NULL;
	bool global = false;

	if (name_len == 0 || name_len >= sizeof(name))
		return fail(err, err_len, "unknown option '%s'", argv[*i]);
	memcpy(name, arg, name_len);
	name[name_len] = '\0';

	global = global_option(cmd, name, &slot) == 0;
	if (!global && cmd->res == NULL)
		return fail(err, err_len, "unknown option --%s", name);
	if (global && slot == NULL) {
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
	if (global) {
		if (*slot != NULL)
			return fail(err, err_len, "--%s given twice", name);
		*slot = value;
		return 0;
	}
	if (pl->n == MAX_OPTIONS)
		return fail(err, err_len, "too many options");
	memcpy(pl->v[pl->n].name, name, name_len + 1);
	pl->v[pl->n].value = value;
	pl->n++;
	return 0;
}

const struct resource_field *cli_fields(const struct cli_cmd *cmd, size_t *n)
{
	const struct resource *r = cmd->res;

	*n = 0;
	if (r == NULL)
		return NULL;
	switch (cmd->action) {
	case CLI_LIST:
		*n = r->n_filters;
		return r->filters;
	case CLI_ADD:
	case CLI_UPDATE:
		*n = r->n_fields;
		return r->fields;
	case CLI_VERB:
		if (cmd->verb == NULL)
			return NULL;
		*n = cmd->verb->n_fields;
		return cmd->verb->fields;
	case CLI_NONE:
	case CLI_SHOW:
	case CLI_REMOVE:
	case CLI_BOARD:
		break;
	}
	return NULL;
}

const char *cli_action_name(const struct cli_cmd *cmd)
{
	if (cmd->action == CLI_VERB)
		return cmd->verb != NULL ? cmd->verb->name : "";
	if (cmd->action == CLI_BOARD)
		return "board";
	for (size_t i = 0; i < N_ACTIONS; i++) {
		if (actions[i].action == cmd->action)
			return actions[i].name;
	}
	return "";
}

/* Put each pending --FIELD into cmd->values, now that the action is known. */
static int resolve_fields(struct cli_cmd *cmd, const struct pending_list *pl, char *err,
			  size_t err_len)
{
	const struct resource *r = cmd->res;
	size_t n = 0;
	const struct resource_field *fields = cli_fields(cmd, &n);
	const char *what = cli_action_name(cmd);
	bool body = cmd->action == CLI_ADD || cmd->action == CLI_UPDATE;
	const char *word = cmd->action == CLI_LIST ? "filter" : "option";
	char list[256];

	for (size_t i = 0; i < pl->n; i++) {
		const char *name = pl->v[i].name;
		int idx = resource_field_index(fields, n, name);
		int rc = 0;

		if (n == 0)
			return fail(err, err_len, "%s %s takes no --FIELD options", r->name, what);
		if (idx < 0 && body)
			return fail(err, err_len, "unknown field --%s for %s (fields: %s)", name,
				    r->name, resource_field_list(fields, n, list, sizeof(list)));
		if (idx < 0)
			return fail(err, err_len, "unknown %s --%s for %s %s (%ss: %s)", word, name,
				    r->name, what, word,
				    resource_field_list(fields, n, list, sizeof(list)));
		if (cmd->values[idx] != NULL)
			return fail(err, err_len, "--%s given twice", name);
		rc = check_value(r, &fields[idx], pl->v[i].value, err, err_len);
		if (rc != 0)
			return rc;
		cmd->values[idx] = pl->v[i].value;
	}
	return 0;
}

/*
 * --block B of a resource that is not inside a block is its field or filter
 * "block" (sensors add, breaches list), if the action has one.
 */
static int place_block(struct cli_cmd *cmd, char *err, size_t err_len)
{
	size_t n = 0;
	const struct resource_field *fields = cli_fields(cmd, &n);
	int idx = resource_field_index(fields, n, "block");
	int rc = 0;

	if (cmd->block == NULL || cmd->res->item)
		return 0;
	if (idx < 0)
		return fail(err, err_len, "%s %s takes no --block", cmd->res->name,
			    cli_action_name(cmd));
	rc = check_value(cmd->res, &fields[idx], cmd->block, err, err_len);
	if (rc != 0)
		return rc;
	cmd->values[idx] = cmd->block;
	cmd->block = NULL;
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

	if (!r->item)
		return 0; /* place_block has taken or refused --block */
	if (cmd->block == NULL)
		return fail(err, err_len, "%s %s needs --block BLOCK", r->name,
			    cli_action_name(cmd));
	if (!topic_id_valid(cmd->block))
		return fail(err, err_len, "'%s' is not a valid block id (" ID_RULE ")", cmd->block);
	return 0;
}

static int check_required(const struct cli_cmd *cmd, char *err, size_t err_len)
{
	size_t n = 0;
	const struct resource_field *fields = cli_fields(cmd, &n);

	for (size_t i = 0; i < n; i++) {
		if (fields[i].required && cmd->values[i] == NULL)
			return fail(err, err_len, "%s %s needs --%s", cmd->res->name,
				    cli_action_name(cmd), fields[i].name);
	}
	return 0;
}

static int check_action(const struct cli_cmd *cmd, char *err, size_t err_len)
{
	const struct resource *r = cmd->res;
	const char *what = cli_action_name(cmd);
	int rc = 0;

	switch (cmd->action) {
	case CLI_LIST:
		return check_block(cmd, err, err_len);
	case CLI_ADD:
		rc = check_block(cmd, err, err_len);
		if (rc != 0)
			return rc;
		return check_required(cmd, err, err_len);
	case CLI_SHOW:
	case CLI_UPDATE:
	case CLI_REMOVE:
	case CLI_VERB:
		if (cmd->id == NULL)
			return fail(err, err_len, "%s %s needs an ID", r->name, what);
		if (!id_ok(r, cmd->id))
			return fail(err, err_len, "'%s' is not a valid id (%s)", cmd->id,
				    id_rule(r));
		if (cmd->block != NULL)
			return fail(err, err_len, "%s %s takes no --block", r->name, what);
		if (cmd->action == CLI_VERB)
			return check_required(cmd, err, err_len);
		if (cmd->action != CLI_UPDATE)
			return 0;
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
	struct pending_list pl = {.n = 0};
	size_t n_pos = 0;
	bool options_done = false;
	char names[128];
	int rc = 0;

	memset(cmd, 0, sizeof(*cmd));
	if (err_len > 0)
		err[0] = '\0';

	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (!options_done && strcmp(arg, "--") == 0) {
			options_done = true;
		} else if (!options_done && strncmp(arg, "--", 2) == 0) {
			rc = option(cmd, &pl, argc, argv, &i, err, err_len);
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
		return fail(err, err_len, "missing ACTION for %s (%s)", cmd->res->name,
			    action_names(cmd->res, names, sizeof(names)));
	rc = resolve_fields(cmd, &pl, err, err_len);
	if (rc == 0)
		rc = place_block(cmd, err, err_len);
	if (rc == 0)
		rc = check_action(cmd, err, err_len);
	return rc;
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
	case CLI_VERB:
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

/* "?a=1&b=x%20y": the list filters given, in table order. */
static int append_query(const struct cli_cmd *cmd, char *buf, size_t n, size_t *used)
{
	const struct resource *r = cmd->res;
	const char *sep = "?";
	int rc = 0;

	for (size_t i = 0; i < r->n_filters && rc == 0; i++) {
		const struct resource_field *f = &r->filters[i];
		const char *value = cmd->values[i];
		char *esc = NULL;
		bool b = false;

		if (value == NULL || value[0] == '\0')
			continue;
		if (f->type == RESOURCE_BOOL) {
			if (cli_parse_bool(value, &b) != 0)
				return -EINVAL;
			value = b ? "true" : "false";
		}
		esc = curl_easy_escape(NULL, value, 0); /* the handle is ignored since 7.82 */
		if (esc == NULL)
			return -ENOMEM;
		rc = append(buf, n, used, sep);
		if (rc == 0)
			rc = append(buf, n, used, f->name);
		if (rc == 0)
			rc = append(buf, n, used, "=");
		if (rc == 0)
			rc = append(buf, n, used, esc);
		curl_free(esc);
		sep = "&";
	}
	return rc;
}

int cli_path(const struct cli_cmd *cmd, char *buf, size_t n)
{
	const struct resource *r = cmd->res;
	size_t used = 0;
	int rc = 0;

	if (n == 0)
		return -ENOSPC;
	buf[0] = '\0';
	rc = append(buf, n, &used, "/api/v1/");
	switch (cmd->action) {
	case CLI_BOARD:
		if (!topic_id_valid(cmd->block))
			return -EINVAL;
		if (rc == 0)
			rc = append(buf, n, &used, "blocks/");
		if (rc == 0)
			rc = append(buf, n, &used, cmd->block);
		if (rc == 0)
			rc = append(buf, n, &used, "/board");
		return rc;
	case CLI_LIST:
	case CLI_ADD:
		if (r == NULL || (r->item && !topic_id_valid(cmd->block)))
			return -EINVAL;
		if (rc == 0 && r->item) {
			rc = append(buf, n, &used, "blocks/");
			if (rc == 0)
				rc = append(buf, n, &used, cmd->block);
			if (rc == 0)
				rc = append(buf, n, &used, "/");
		}
		if (rc == 0)
			rc = append(buf, n, &used, r->path);
		if (rc == 0 && cmd->action == CLI_LIST)
			rc = append_query(cmd, buf, n, &used);
		return rc;
	case CLI_SHOW:
	case CLI_UPDATE:
	case CLI_REMOVE:
	case CLI_VERB:
		if (r == NULL || cmd->id == NULL || !id_ok(r, cmd->id) ||
		    (cmd->action == CLI_VERB && cmd->verb == NULL))
			return -EINVAL;
		if (rc == 0)
			rc = append(buf, n, &used, r->path);
		if (rc == 0)
			rc = append(buf, n, &used, "/");
		if (rc == 0)
			rc = append(buf, n, &used, cmd->id);
		if (rc == 0 && cmd->action == CLI_VERB) {
			rc = append(buf, n, &used, "/");
			if (rc == 0)
				rc = append(buf, n, &used, cmd->verb->segment);
		}
		return rc;
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
	size_t n = 0;
	const struct resource_field *fields = cli_fields(cmd, &n);
	json_t *body = NULL;
	json_t *v = NULL;
	int rc = 0;

	*out = NULL;
	if (cmd->action != CLI_ADD && cmd->action != CLI_UPDATE && cmd->action != CLI_VERB)
		return 0;
	if (cmd->res == NULL || (cmd->action == CLI_VERB && cmd->verb == NULL))
		return -EINVAL;
	body = json_object();
	if (body == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const struct resource_field *f = &fields[i];
		const char *value = cmd->values[i];

		if (value == NULL)
			continue;
		if (value[0] == '\0' && !f->required) {
			if (cmd->action != CLI_UPDATE)
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
	char names[256];

	fprintf(f,
		"usage: siteboardctl [--server URL] [--token TOKEN] [--json | -q] RESOURCE ACTION [ARGS]\n"
		"       siteboardctl board BLOCK\n"
		"       siteboardctl RESOURCE --help | --help | --version\n"
		"\n"
		"Admin client of the siteboard server's HTTP API (/api/v1).\n"
		"\n"
		"RESOURCE: %s\n"
		"ACTION (each resource allows some; RESOURCE --help lists them):\n"
		"  list [--block B] [--FILTER VALUE ...]\n"
		"                                   board items need --block B; filters: a query\n"
		"  add [--block B] --FIELD VALUE ... board items need --block B\n"
		"  show ID\n"
		"  update ID --FIELD VALUE ...      only the fields given; --FIELD \"\" clears one\n"
		"  remove ID\n"
		"  breaches ack ID --note TEXT      acknowledge a breach\n"
		"  complaints respond ID --text TEXT [--channel C]\n"
		"board BLOCK prints the block's current board as JSON.\n"
		"\n"
		"Options:\n"
		"  --server URL   server (default $SITEBOARD_SERVER, else " CLI_DEFAULT_SERVER ")\n"
		"  --token TOKEN  API token (default $SITEBOARD_TOKEN; required)\n"
		"  --json         print the server's JSON answer\n"
		"  -q, --quiet    print only ids (add: the new id)\n"
		"  -h, --help     this help; RESOURCE --help lists its actions and fields\n"
		"  --version      print the version\n"
		"\n"
		"Exit status: 0 success, 1 server or connection error, 2 usage error.\n",
		resource_names(names, sizeof(names)));
}

static void field_lines(FILE *f, const struct resource_field *fields, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct resource_field *fl = &fields[i];

		fprintf(f, "  --%-10s %c %s\n", fl->name, fl->required ? '*' : ' ', fl->hint);
	}
}

/* " --note VALUE [--channel VALUE]": a field set as it goes on a usage line. */
static void field_synopsis(FILE *f, const struct resource_field *fields, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(f, fields[i].required ? " --%s VALUE" : " [--%s VALUE]", fields[i].name);
}

void cli_resource_usage(FILE *f, const struct resource *r)
{
	const char *block = r->item ? " --block B" : "";
	const char *lead = "usage:";

	for (size_t i = 0; i < N_ACTIONS; i++) {
		if ((r->actions & actions[i].bit) == 0)
			continue;
		fprintf(f, "%-6s siteboardctl %s %s", lead, r->name, actions[i].name);
		lead = "";
		switch (actions[i].action) {
		case CLI_LIST:
			fprintf(f, "%s%s\n", block,
				r->n_filters > 0 ? " [--FILTER VALUE ...]" : "");
			break;
		case CLI_ADD:
			fprintf(f, "%s --FIELD VALUE ...\n", block);
			break;
		case CLI_UPDATE:
			fprintf(f, " ID --FIELD VALUE ...\n");
			break;
		case CLI_NONE:
		case CLI_SHOW:
		case CLI_REMOVE:
		case CLI_BOARD:
		case CLI_VERB:
			fprintf(f, " ID\n");
			break;
		}
	}
	for (size_t i = 0; i < r->n_verbs; i++) {
		fprintf(f, "%-6s siteboardctl %s %s ID", lead, r->name, r->verbs[i].name);
		field_synopsis(f, r->verbs[i].fields, r->verbs[i].n_fields);
		fprintf(f, "\n         %s\n", r->verbs[i].hint);
		lead = "";
	}
	if (r->id_kind == RESOURCE_ID_NUMBER)
		fprintf(f, "\nID is the number the server gave the %s.\n", r->one);
	else
		fprintf(f, "\nIDs are " ID_RULE ".\n");
	if (r->n_fields > 0 && (r->actions & (RESOURCE_ADD | RESOURCE_UPDATE))) {
		fprintf(f, "\nFields%s:\n",
			(r->actions & RESOURCE_ADD) ? " (* required on add)" : "");
		field_lines(f, r->fields, r->n_fields);
	}
	if (r->n_filters > 0) {
		fprintf(f, "\nFilters of list (all optional):\n");
		field_lines(f, r->filters, r->n_filters);
	}
	for (size_t i = 0; i < r->n_verbs; i++) {
		fprintf(f, "\nOptions of %s (* required):\n", r->verbs[i].name);
		field_lines(f, r->verbs[i].fields, r->verbs[i].n_fields);
	}
	if (r->actions & RESOURCE_UPDATE)
		fprintf(f, "\nOn update, --FIELD \"\" clears an optional field; "
			   "the id cannot change.\n");
}
