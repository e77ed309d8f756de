/* SPDX-License-Identifier: MIT */
/*
 * The stdin runner of scripted door events (language in script.h): reads
 * lines from fd with a bounded buffer, hands door events of the configured
 * script doors to the sink, sleeps on sleep_ms, logs and skips bad lines.
 */
#ifndef SENSORD_SCRIPTIN_H
#define SENSORD_SCRIPTIN_H

#include <stddef.h>

#include "sink.h"

/*
 * Run until the end of fd's input or *sink->stop. ids[i] is the id of the
 * sensor with index index[i] (n script doors). Times default to now.
 * @retval 0 at the end of input or when stopped; a negative errno on a read error
 */
int scriptin_run(int fd, const char *const *ids, const size_t *index, size_t n,
		 const struct sink *sink);

#endif
