/* SPDX-License-Identifier: MIT */
/*
 * siteboardctl: command-line admin client of the siteboard server's HTTP API
 * (docs/api.md, docs/siteboardctl.md). Parses the command line (cli), sends
 * one request (client) and prints the answer (output). Exit status: 0 success,
 * 1 server or connection error, 2 usage error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <jansson.h>

#include "cli.h"
#include "client.h"
#include "output.h"

#define EXIT_USAGE 2
#define PROG "siteboardctl"

static int usage_error(const struct cli_cmd *cmd, const char *msg)
{
	fprintf(stderr, PROG ": %s\n", msg);
	if (cmd->res != NULL)
		fprintf(stderr, "try '" PROG " %s --help'\n", cmd->res->name);
	else
		fprintf(stderr, "try '" PROG " --help'\n");
	return EXIT_USAGE;
}

/* Print a successful answer; returns the exit status. */
static int print_answer(const struct cli_cmd *cmd, const struct client_answer *ans)
{
	json_t *root = NULL;
	json_error_t jerr;
	int rc = 0;
	int status = EXIT_FAILURE;

	if (cmd->action == CLI_REMOVE) {
		if (!cmd->quiet && !cmd->json)
			printf("removed %s %s\n", cmd->res->one, cmd->id);
		return EXIT_SUCCESS;
	}
	root = json_loadb(ans->body, ans->len, 0, &jerr);
	if (root == NULL) {
		fprintf(stderr, PROG ": %ld: the answer is not JSON (%s)\n", ans->status, jerr.text);
		goto out;
	}
	if (cmd->json || cmd->action == CLI_BOARD)
		rc = output_json(stdout, root);
	else if (cmd->action == CLI_LIST)
		rc = output_list(stdout, cmd->res, root, cmd->quiet);
	else
		rc = output_item(stdout, cmd->res, root, cmd->quiet);
	if (rc == -ENOMEM) {
		fprintf(stderr, PROG ": out of memory\n");
		goto out;
	}
	if (rc != 0) {
		fprintf(stderr, PROG ": %ld: unexpected answer from the server\n", ans->status);
		goto out;
	}
	status = EXIT_SUCCESS;
out:
	json_decref(root);
	return status;
}

static int run(const struct cli_cmd *cmd)
{
	struct client *h = NULL;
	struct client_answer ans = {0};
	json_t *body = NULL;
	char *body_text = NULL;
	char path[CLI_PATH_MAX];
	char err[CLI_ERR_MAX];
	int rc = 0;
	int status = EXIT_FAILURE;

	rc = cli_path(cmd, path, sizeof(path));
	if (rc == -ENOSPC) {
		fprintf(stderr, PROG ": the request path is longer than %d bytes\n",
			CLI_PATH_MAX - 1);
		status = EXIT_USAGE;
		goto out;
	}
	if (rc != 0) {
		fprintf(stderr, PROG ": cannot build the request path\n");
		goto out;
	}
	rc = cli_build_body(cmd, &body);
	if (rc == -EINVAL) {
		fprintf(stderr, PROG ": cannot build the request body\n");
		status = EXIT_USAGE;
		goto out;
	}
	if (rc == 0 && body != NULL) {
		body_text = json_dumps(body, JSON_COMPACT);
		if (body_text == NULL)
			rc = -ENOMEM;
	}
	if (rc == 0)
		rc = client_open(cmd->server, cmd->token, &h);
	if (rc != 0) {
		fprintf(stderr, PROG ": out of memory\n");
		goto out;
	}

	rc = client_request(h, cli_method(cmd), path, body_text, &ans, err, sizeof(err));
	if (rc == -EIO) {
		fprintf(stderr, PROG ": cannot reach %s: %s\n", cmd->server, err);
		goto out;
	}
	if (rc == -EFBIG) {
		fprintf(stderr, PROG ": %s: %s\n", cmd->server, err);
		goto out;
	}
	if (rc != 0) {
		fprintf(stderr, PROG ": out of memory\n");
		goto out;
	}
	if (ans.status < 200 || ans.status > 299) {
		output_error_text(ans.body, ans.len, err, sizeof(err));
		fprintf(stderr, PROG ": %ld: %s\n", ans.status, err);
		goto out;
	}
	status = print_answer(cmd, &ans);
out:
	client_answer_free(&ans);
	client_close(h);
	free(body_text);
	json_decref(body);
	return status;
}

int main(int argc, char *argv[])
{
	struct cli_cmd cmd;
	char err[CLI_ERR_MAX];
	int status = EXIT_FAILURE;

	if (cli_parse(argc, argv, &cmd, err, sizeof(err)) != 0)
		return usage_error(&cmd, err);
	if (cmd.help) {
		if (cmd.res != NULL)
			cli_resource_usage(stdout, cmd.res);
		else
			cli_usage(stdout);
		return EXIT_SUCCESS;
	}
	if (cmd.version) {
		printf(PROG " %s\n", SITEBOARD_VERSION);
		return EXIT_SUCCESS;
	}
	if (cli_resolve(&cmd, getenv("SITEBOARD_SERVER"), getenv("SITEBOARD_TOKEN"), err,
			sizeof(err)) != 0)
		return usage_error(&cmd, err);

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		fprintf(stderr, PROG ": cannot initialise libcurl\n");
		return EXIT_FAILURE;
	}
	status = run(&cmd);
	curl_global_cleanup();
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, PROG ": cannot write the output\n");
		status = EXIT_FAILURE;
	}
	return status;
}
