/* SPDX-License-Identifier: MIT */
/*
 * The byte stream to a firmware node: a tty device in raw mode at a given
 * baud rate (termios), or "tcp:HOST:PORT", a TCP connection (how the tests
 * reach QEMU's emulated UART, and how a serial-to-network adapter would).
 * Only opens; the caller reads and writes the fd and closes it.
 */
#ifndef SENSORD_SERIAL_H
#define SENSORD_SERIAL_H

/* True when baud is a rate serial_open can set (9600 .. 921600). */
int serial_baud_ok(long baud);

/*
 * Open port (borrowed). The fd is non-blocking and close-on-exec.
 * @retval 0 and *fd set; -EINVAL for a malformed "tcp:" address or an
 *         unsupported baud rate; or the negative errno of open, tcsetattr,
 *         getaddrinfo (as -EHOSTUNREACH) or connect
 */
int serial_open(const char *port, long baud, int *fd);

#endif
