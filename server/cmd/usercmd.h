/* SPDX-License-Identifier: MIT */
/*
 * The "user" subcommands of siteboard-server (docs/web.md):
 *   user add NAME --role caretaker|manager|admin [--blocks a,b]
 *   user passwd NAME
 *   user remove NAME
 * The password is read from standard input (one line; a terminal is
 * prompted). Checks its arguments, prints one line on failure.
 *
 * Not for: the accounts' storage (users).
 * Threads: main thread, before the server runs (or beside a running one:
 * SQLite serialises the writes).
 */
#ifndef SITEBOARD_SERVER_USERCMD_H
#define SITEBOARD_SERVER_USERCMD_H

#include "store/store.h"

/*
 * Run "user ..." with argv[0] == "add" | "passwd" | "remove" (argv borrowed).
 * @retval the exit status: 0, 1 (failure), 2 (bad arguments)
 */
int usercmd_run(struct store *st, int argc, char **argv);

#endif
