/* SPDX-License-Identifier: MIT */
/* Opening a tty (termios raw mode) or a TCP stream for the node link (see serial.h). */
#include "serial.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

static const struct {
	long baud;
	speed_t speed;
} rates[] = {
	{9600, B9600},     {19200, B19200},   {38400, B38400},   {57600, B57600},
	{115200, B115200}, {230400, B230400}, {460800, B460800}, {921600, B921600},
};

int serial_baud_ok(long baud)
{
	for (size_t i = 0; i < sizeof(rates) / sizeof(rates[0]); i++)
		if (rates[i].baud == baud)
			return 1;
	return 0;
}

static int open_tcp(const char *addr, int *out)
{
	char host[256];
	const char *colon = strrchr(addr, ':');
	struct addrinfo hints, *res = NULL, *ai;
	size_t hl;
	int fd = -1, rc = -EHOSTUNREACH;

	if (!colon || colon == addr || !colon[1])
		return -EINVAL;
	hl = (size_t)(colon - addr);
	if (hl >= sizeof(host))
		return -EINVAL;
	memcpy(host, addr, hl);
	host[hl] = '\0';
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, colon + 1, &hints, &res) != 0)
		return -EHOSTUNREACH;
	for (ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		if (fd < 0) {
			rc = -errno;
			continue;
		}
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		rc = -errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0)
		return rc;
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0) {
		rc = -errno;
		close(fd);
		return rc;
	}
	*out = fd;
	return 0;
}

static int open_tty(const char *path, long baud, int *out)
{
	struct termios t;
	speed_t speed = B0;
	int fd, rc;

	for (size_t i = 0; i < sizeof(rates) / sizeof(rates[0]); i++)
		if (rates[i].baud == baud)
			speed = rates[i].speed;
	if (speed == B0)
		return -EINVAL;
	fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (tcgetattr(fd, &t) < 0)
		goto fail;
	cfmakeraw(&t);
	t.c_cflag |= CLOCAL | CREAD;
	t.c_cflag &= ~(tcflag_t)(CSTOPB | CRTSCTS);
	t.c_cc[VMIN] = 0;
	t.c_cc[VTIME] = 0;
	if (cfsetispeed(&t, speed) < 0 || cfsetospeed(&t, speed) < 0)
		goto fail;
	if (tcsetattr(fd, TCSANOW, &t) < 0)
		goto fail;
	tcflush(fd, TCIOFLUSH);
	*out = fd;
	return 0;
fail:
	rc = -errno;
	close(fd);
	return rc;
}

int serial_open(const char *port, long baud, int *fd)
{
	if (strncmp(port, "tcp:", 4) == 0)
		return open_tcp(port + 4, fd);
	return open_tty(port, baud, fd);
}
