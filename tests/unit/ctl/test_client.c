/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of siteboardctl's HTTP module (server/ctl/src/client.c) against a
 * one-shot fake server on a loopback port picked by the kernel: what is sent
 * (method, path, Bearer token, JSON body), what comes back, the body cap and
 * an unreachable server.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "client.h"

#define REQ_MAX 8192

struct fake {
	int listen_fd;
	int port;
	const char *answer_head; /* status line and headers, without the blank line */
	size_t body_len;         /* answer body: body_len bytes of body_byte, or body_text */
	const char *body_text;
	char request[REQ_MAX];   /* what the client sent */
	size_t request_len;
	pthread_t thread;
};

static void write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w <= 0)
			return; /* the client may close early (body cap) */
		p += w;
		n -= (size_t)w;
	}
}

/* Read until the headers and the Content-Length body have arrived. */
static void read_request(struct fake *fk, int fd)
{
	size_t want = 0;
	char *end = NULL;

	while (fk->request_len < REQ_MAX - 1) {
		ssize_t r = read(fd, fk->request + fk->request_len, REQ_MAX - 1 - fk->request_len);
		char *cl = NULL;

		if (r <= 0)
			break;
		fk->request_len += (size_t)r;
		fk->request[fk->request_len] = '\0';
		end = strstr(fk->request, "\r\n\r\n");
		if (end == NULL)
			continue;
		cl = strstr(fk->request, "Content-Length: ");
		want = (size_t)(end + 4 - fk->request);
		if (cl != NULL && cl < end)
			want += strtoul(cl + 16, NULL, 10);
		if (fk->request_len >= want)
			break;
	}
}

static void *serve(void *arg)
{
	struct fake *fk = arg;
	int fd = accept(fk->listen_fd, NULL, NULL);
	char head[512];
	char *body = NULL;
	int n = 0;

	if (fd < 0)
		return NULL;
	read_request(fk, fd);
	n = snprintf(head, sizeof(head), "%s\r\nConnection: close\r\n\r\n", fk->answer_head);
	write_all(fd, head, (size_t)n);
	if (fk->body_text != NULL) {
		write_all(fd, fk->body_text, strlen(fk->body_text));
	} else if (fk->body_len > 0) {
		body = malloc(fk->body_len);
		if (body != NULL) {
			memset(body, 'x', fk->body_len);
			write_all(fd, body, fk->body_len);
			free(body);
		}
	}
	close(fd);
	return NULL;
}

static void fake_start(struct fake *fk, const char *head, const char *body_text, size_t body_len)
{
	struct sockaddr_in addr = {0};
	socklen_t len = sizeof(addr);

	memset(fk, 0, sizeof(*fk));
	fk->answer_head = head;
	fk->body_text = body_text;
	fk->body_len = body_len;
	fk->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fk->listen_fd >= 0);
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fk->listen_fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	assert_int_equal(listen(fk->listen_fd, 1), 0);
	assert_int_equal(getsockname(fk->listen_fd, (struct sockaddr *)&addr, &len), 0);
	fk->port = ntohs(addr.sin_port);
	assert_int_equal(pthread_create(&fk->thread, NULL, serve, fk), 0);
}

static void fake_stop(struct fake *fk)
{
	pthread_join(fk->thread, NULL);
	close(fk->listen_fd);
}

static struct client *client(int port, const char *suffix)
{
	char base[64];
	struct client *h = NULL;

	snprintf(base, sizeof(base), "http://127.0.0.1:%d%s", port, suffix);
	assert_int_equal(client_open(base, "s3cret", &h), 0);
	return h;
}

static void test_post_json(void **state)
{
	struct fake fk;
	struct client *h = NULL;
	struct client_answer ans = {0};
	char err[256];

	(void)state;
	fake_start(&fk, "HTTP/1.1 201 Created\r\nContent-Type: application/json",
		   "{\"id\":\"n1\"}", 0);
	h = client(fk.port, "/");
	assert_int_equal(client_request(h, "POST", "/api/v1/blocks/b/notices", "{\"title\":\"t\"}",
				      &ans, err, sizeof(err)),
			 0);
	fake_stop(&fk);
	assert_int_equal(ans.status, 201);
	assert_string_equal(ans.body, "{\"id\":\"n1\"}");
	assert_int_equal(ans.len, 11);
	assert_non_null(strstr(fk.request, "POST /api/v1/blocks/b/notices HTTP/1.1\r\n"));
	assert_non_null(strstr(fk.request, "\r\nAuthorization: Bearer s3cret\r\n"));
	assert_non_null(strstr(fk.request, "\r\nContent-Type: application/json\r\n"));
	assert_non_null(strstr(fk.request, "\r\n\r\n{\"title\":\"t\"}"));
	client_answer_free(&ans);
	client_close(h);
}

static void test_put_and_delete(void **state)
{
	struct fake fk;
	struct client *h = NULL;
	struct client_answer ans = {0};
	char err[256];

	(void)state;
	fake_start(&fk, "HTTP/1.1 200 OK\r\nContent-Length: 2", "{}", 0);
	h = client(fk.port, "");
	assert_int_equal(client_request(h, "PUT", "/api/v1/notices/n1", "{\"until\":null}", &ans, err,
				      sizeof(err)),
			 0);
	fake_stop(&fk);
	assert_non_null(strstr(fk.request, "PUT /api/v1/notices/n1 HTTP/1.1\r\n"));
	assert_non_null(strstr(fk.request, "\r\n\r\n{\"until\":null}"));
	client_answer_free(&ans);

	client_close(h);
	fake_start(&fk, "HTTP/1.1 204 No Content", NULL, 0);
	h = client(fk.port, "");
	assert_int_equal(client_request(h, "DELETE", "/api/v1/notices/n1", NULL, &ans, err,
				      sizeof(err)),
			 0);
	fake_stop(&fk);
	assert_non_null(strstr(fk.request, "DELETE /api/v1/notices/n1 HTTP/1.1\r\n"));
	assert_null(strstr(fk.request, "Content-Type"));
	assert_int_equal(ans.status, 204);
	assert_string_equal(ans.body, "");
	client_answer_free(&ans);
	client_close(h);
}

static void test_error_status_is_an_answer(void **state)
{
	struct fake fk;
	struct client *h = NULL;
	struct client_answer ans = {0};
	char err[256];

	(void)state;
	fake_start(&fk, "HTTP/1.1 404 Not Found", "{\"error\":\"no such notice\"}", 0);
	h = client(fk.port, "");
	assert_int_equal(client_request(h, "GET", "/api/v1/notices/n9", NULL, &ans, err, sizeof(err)),
			 0);
	fake_stop(&fk);
	assert_int_equal(ans.status, 404);
	assert_string_equal(ans.body, "{\"error\":\"no such notice\"}");
	client_answer_free(&ans);
	client_close(h);
}

static void test_body_cap(void **state)
{
	struct fake fk;
	struct client *h = NULL;
	struct client_answer ans = {0};
	char err[256];

	(void)state;
	/* no Content-Length: the cap is enforced while reading */
	fake_start(&fk, "HTTP/1.1 200 OK", NULL, CLIENT_MAX_BODY + 1);
	h = client(fk.port, "");
	assert_int_equal(client_request(h, "GET", "/api/v1/blocks", NULL, &ans, err, sizeof(err)),
			 -EFBIG);
	fake_stop(&fk);
	assert_null(ans.body);
	client_close(h);

	/* announced as too large: refused before reading */
	fake_start(&fk, "HTTP/1.1 200 OK\r\nContent-Length: 9000000", NULL, 0);
	h = client(fk.port, "");
	assert_int_equal(client_request(h, "GET", "/api/v1/blocks", NULL, &ans, err, sizeof(err)),
			 -EFBIG);
	fake_stop(&fk);
	client_close(h);

	/* exactly at the cap is fine */
	fake_start(&fk, "HTTP/1.1 200 OK", NULL, CLIENT_MAX_BODY);
	h = client(fk.port, "");
	assert_int_equal(client_request(h, "GET", "/api/v1/blocks", NULL, &ans, err, sizeof(err)),
			 0);
	fake_stop(&fk);
	assert_int_equal(ans.len, CLIENT_MAX_BODY);
	client_answer_free(&ans);
	client_close(h);
}

static void test_unreachable(void **state)
{
	struct sockaddr_in addr = {0};
	socklen_t len = sizeof(addr);
	struct client *h = NULL;
	struct client_answer ans = {0};
	char err[256] = "";
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	(void)state;
	/* a port that was free a moment ago and has no listener now */
	assert_true(fd >= 0);
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&addr, &len), 0);
	close(fd);
	h = client(ntohs(addr.sin_port), "");
	assert_int_equal(client_request(h, "GET", "/api/v1/blocks", NULL, &ans, err, sizeof(err)),
			 -EIO);
	assert_true(strlen(err) > 0);
	assert_null(ans.body);
	client_close(h);
}

static int setup(void **state)
{
	(void)state;
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	curl_global_cleanup();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_post_json),
		cmocka_unit_test(test_put_and_delete),
		cmocka_unit_test(test_error_status_is_an_answer),
		cmocka_unit_test(test_body_cap),
		cmocka_unit_test(test_unreachable),
	};

	/* a proxy from the environment would not reach the fake server */
	unsetenv("http_proxy");
	unsetenv("HTTP_PROXY");
	unsetenv("all_proxy");
	unsetenv("ALL_PROXY");
	return cmocka_run_group_tests(tests, setup, teardown);
}
