/* SPDX-License-Identifier: MIT */
/*
 * Scripted door events from stdin (see scriptin.h). poll() with a short
 * timeout keeps the thread responsive to shutdown; a line longer than the
 * buffer is reported and skipped to its end.
 */
#include "scriptin.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <siteboard/log.h>
#include <siteboard/sbtime.h>

#include "script.h"

#define POLL_MS 200

struct reader {
	char buf[SCRIPT_LINE_MAX + 2];
	size_t len;
	bool skipping; /* inside an over-long line */
	unsigned long line;
};

static void nap(int64_t ms, atomic_bool *stop)
{
	while (ms > 0 && !atomic_load(stop)) {
		int64_t step = ms < POLL_MS ? ms : POLL_MS;
		struct timespec ts = {(time_t)(step / 1000), (long)(step % 1000) * 1000000L};

		nanosleep(&ts, NULL);
		ms -= step;
	}
}

static void handle_line(struct reader *r, const char *line, size_t len, const char *const *ids,
			const size_t *index, size_t n, const struct sink *sink)
{
	struct script_cmd cmd;
	char err[160];
	int rc;

	rc = script_parse(line, len, &cmd, err, sizeof(err));
	if (rc == -ENODATA)
		return;
	if (rc < 0) {
		log_warn("script: line %lu skipped: %s", r->line, err);
		return;
	}
	if (cmd.kind == SCRIPT_SLEEP) {
		nap(cmd.sleep_ms, sink->stop);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (strcmp(ids[i], cmd.sensor) != 0)
			continue;
		rc = sink->door(sink->ctx, index[i], cmd.has_ts ? cmd.ts_ms : sbtime_now_ms(),
				cmd.open);
		if (rc < 0)
			log_error("script: line %lu: reading not queued (%d)", r->line, rc);
		return;
	}
	log_warn("script: line %lu skipped: sensor '%s' is not a [door:...] with input = script",
		 r->line, cmd.sensor);
}

int scriptin_run(int fd, const char *const *ids, const size_t *index, size_t n,
		 const struct sink *sink)
{
	static struct reader r; /* one stdin, one runner */
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	ssize_t got;

	memset(&r, 0, sizeof(r));
	while (!atomic_load(sink->stop)) {
		char *nl;
		int rc = poll(&pfd, 1, POLL_MS);

		if (rc < 0 && errno != EINTR)
			return -errno;
		if (rc <= 0)
			continue;
		got = read(fd, r.buf + r.len, sizeof(r.buf) - 1 - r.len);
		if (got < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			log_error("script: read: %s", strerror(errno));
			return -errno;
		}
		if (got == 0)
			break;
		r.len += (size_t)got;
		r.buf[r.len] = '\0';
		/* handle every complete line; the rest waits for more input */
		for (;;) {
			size_t llen;

			nl = memchr(r.buf, '\n', r.len);
			if (!nl)
				break;
			llen = (size_t)(nl - r.buf);

			r.line++;
			if (r.skipping)
				r.skipping = false;
			else
				handle_line(&r, r.buf, llen, ids, index, n, sink);
			memmove(r.buf, nl + 1, r.len - llen - 1);
			r.len -= llen + 1;
			if (atomic_load(sink->stop))
				return 0;
		}
		if (r.len == sizeof(r.buf) - 1) {
			if (!r.skipping)
				log_warn("script: line %lu skipped: longer than %d bytes", r.line + 1,
					 SCRIPT_LINE_MAX);
			r.skipping = true;
			r.len = 0;
		}
	}
	if (r.len > 0 && !r.skipping && !atomic_load(sink->stop)) {
		r.line++;
		handle_line(&r, r.buf, r.len, ids, index, n, sink);
	}
	log_info("script: end of input after %lu line(s)", r.line);
	return 0;
}
