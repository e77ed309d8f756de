/* SPDX-License-Identifier: MIT */
/*
 * sd_notify protocol (see sdnotify.h): a datagram to $NOTIFY_SOCKET.
 */
#include "siteboard/sdnotify.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "siteboard/parse.h"

int sdnotify_send(const char *state)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa;
	size_t len;
	socklen_t sa_len;
	int fd = -1;
	int ret = 0;

	if (path == NULL || path[0] == '\0')
		return 0;
	len = strlen(path);
	if ((path[0] != '/' && path[0] != '@') || len >= sizeof(sa.sun_path))
		return -EINVAL;
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, path, len);
	if (path[0] == '@')
		sa.sun_path[0] = '\0'; /* abstract namespace */
	sa_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len +
			     (path[0] == '/' ? 1 : 0));
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		ret = -errno;
		goto out;
	}
	if (sendto(fd, state, strlen(state), MSG_NOSIGNAL, (const struct sockaddr *)&sa,
		   sa_len) < 0)
		ret = -errno;
out:
	if (fd >= 0)
		close(fd);
	return ret;
}

int64_t sdnotify_watchdog_ms(void)
{
	const char *usec = getenv("WATCHDOG_USEC");
	const char *pid = getenv("WATCHDOG_PID");
	int64_t v = 0;

	if (usec == NULL || usec[0] == '\0')
		return 0;
	if (pid != NULL && pid[0] != '\0') {
		if (parse_int64(pid, INT64_MIN, INT64_MAX, &v) < 0 || v != (int64_t)getpid())
			return 0;
	}
	if (parse_int64(usec, 1, INT64_MAX, &v) < 0)
		return 0;
	return v / 2000 > 0 ? v / 2000 : 1;
}
