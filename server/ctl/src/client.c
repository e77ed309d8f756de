/* SPDX-License-Identifier: MIT */
/*
 * libcurl behind http.h. One easy handle per request: siteboardctl makes one
 * call per run, so connection reuse buys nothing and a fresh handle leaves no
 * state behind between calls.
 */
#include "client.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "siteboard/buf.h"

struct client {
	char *base; /* without trailing '/' */
	char *auth; /* "Authorization: Bearer <token>" */
};

static char *dup_str(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = malloc(n);

	if (p != NULL)
		memcpy(p, s, n);
	return p;
}

int client_open(const char *base_url, const char *token, struct client **out)
{
	struct client *h = NULL;
	size_t n = 0;
	int len = 0;
	int rc = -ENOMEM;

	*out = NULL;
	h = calloc(1, sizeof(*h));
	if (h == NULL)
		goto fail;
	h->base = dup_str(base_url);
	if (h->base == NULL)
		goto fail;
	n = strlen(h->base);
	while (n > 0 && h->base[n - 1] == '/')
		h->base[--n] = '\0';
	n = strlen("Authorization: Bearer ") + strlen(token) + 1;
	h->auth = malloc(n);
	if (h->auth == NULL)
		goto fail;
	len = snprintf(h->auth, n, "Authorization: Bearer %s", token);
	if (len < 0 || (size_t)len >= n) {
		rc = -EINVAL;
		goto fail;
	}
	*out = h;
	return 0;
fail:
	client_close(h);
	return rc;
}

void client_close(struct client *h)
{
	if (h == NULL)
		return;
	free(h->base);
	free(h->auth);
	free(h);
}

void client_answer_free(struct client_answer *ans)
{
	if (ans == NULL)
		return;
	free(ans->body);
	ans->body = NULL;
	ans->len = 0;
	ans->status = 0;
}

/* curl's write callback: the answer into a buf capped at CLIENT_MAX_BODY. */
static size_t on_data(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	struct buf *b = userdata;
	size_t n = size * nmemb;

	buf_append(b, ptr, n);
	return buf_err(b) == 0 ? n : 0; /* 0 makes curl stop with CURLE_WRITE_ERROR */
}

static void set_err(char *err, size_t err_len, const char *detail, CURLcode code)
{
	if (err_len == 0)
		return;
	snprintf(err, err_len, "%s", detail[0] != '\0' ? detail : curl_easy_strerror(code));
}

int client_request(struct client *h, const char *method, const char *path, const char *body,
		   struct client_answer *ans, char *err, size_t err_len)
{
	CURL *curl = NULL;
	struct curl_slist *headers = NULL;
	struct curl_slist *more = NULL;
	struct buf sink;
	char errbuf[CURL_ERROR_SIZE] = "";
	char *url = NULL;
	size_t url_len = 0;
	CURLcode code = CURLE_OK;
	long status = 0;
	int rc = -ENOMEM;

	memset(ans, 0, sizeof(*ans));
	buf_init(&sink, CLIENT_MAX_BODY);
	if (err_len > 0)
		err[0] = '\0';

	url_len = strlen(h->base) + strlen(path) + 1;
	url = malloc(url_len);
	if (url == NULL)
		goto out;
	snprintf(url, url_len, "%s%s", h->base, path);

	curl = curl_easy_init();
	if (curl == NULL)
		goto out;
	more = curl_slist_append(headers, h->auth);
	if (more == NULL)
		goto out;
	headers = more;
	more = curl_slist_append(headers, "Accept: application/json");
	if (more == NULL)
		goto out;
	headers = more;
	if (body != NULL) {
		more = curl_slist_append(headers, "Content-Type: application/json");
		if (more == NULL)
			goto out;
		headers = more;
	}

	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, CLIENT_TIMEOUT_S);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, CLIENT_TIMEOUT_S);
	curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)CLIENT_MAX_BODY);
	curl_easy_setopt(curl, CURLOPT_USERAGENT, "siteboardctl/" SITEBOARD_VERSION);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
	if (body != NULL) {
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(body));
	}

	code = curl_easy_perform(curl);
	if (buf_err(&sink) == -ENOMEM) {
		rc = -ENOMEM;
		goto out;
	}
	if (buf_err(&sink) == -E2BIG || code == CURLE_FILESIZE_EXCEEDED) {
		snprintf(err, err_len, "answer larger than %u bytes", CLIENT_MAX_BODY);
		rc = -EFBIG;
		goto out;
	}
	if (code != CURLE_OK) {
		set_err(err, err_len, errbuf, code);
		rc = -EIO;
		goto out;
	}
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	if (buf_take(&sink, &ans->body, &ans->len) < 0)
		goto out;
	ans->status = status;
	rc = 0;
out:
	buf_release(&sink);
	curl_slist_free_all(headers);
	curl_easy_cleanup(curl);
	free(url);
	return rc;
}
