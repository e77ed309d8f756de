/* SPDX-License-Identifier: MIT */
/*
 * Temporary SQLite files for the server unit tests: a fresh path under
 * TMPDIR (or /tmp) and removal of the file with its -wal and -shm.
 */
#ifndef SITEBOARD_TESTS_SERVER_TESTDB_H
#define SITEBOARD_TESTS_SERVER_TESTDB_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static inline void testdb_path(char *buf, size_t n)
{
	const char *dir = getenv("TMPDIR");
	int fd;

	snprintf(buf, n, "%s/sbserver-test-XXXXXX", dir != NULL ? dir : "/tmp");
	fd = mkstemp(buf);
	if (fd >= 0)
		close(fd);
	unlink(buf);
}

static inline void testdb_remove(const char *path)
{
	char side[512];

	unlink(path);
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
}

#endif
