/* SPDX-License-Identifier: MIT */
/*
 * Who is asking, and what they may change: the one place that decides.
 * A principal is a staff member signed in to the web pages or the holder
 * of an API token: a name (recorded in the audit log and on
 * acknowledgements), a role and the blocks they look after. Roles are
 * ranked caretaker < manager < admin (the table in access.c; adding a role
 * is one entry there and one in token.c's names).
 *
 * Block scope: a caretaker may change only the blocks in its list (an
 * empty list: none); a manager or admin with an empty list may change
 * every block, with a list only those.
 *
 * Not for: authenticating (api.c looks up tokens, session.c sessions).
 * Threads: no state; any thread.
 */
#ifndef SITEBOARD_SERVER_ACCESS_H
#define SITEBOARD_SERVER_ACCESS_H

#include <stdbool.h>

#include "store/token.h"
#include "store/users.h"

#define ACCESS_NAME_MAX 64
#define ACCESS_BLOCKS_MAX USERS_BLOCKS_MAX

struct principal {
	char name[ACCESS_NAME_MAX + 1];		/* user name, token name; never "" */
	enum token_role role;
	char blocks[ACCESS_BLOCKS_MAX + 1];	/* comma list of block ids; "" = see above */
};

/*
 * Fill *out. Strings borrowed and copied (truncated to the bounds); a NULL
 * or empty name becomes the role's name, NULL blocks "".
 */
void access_principal_set(struct principal *out, const char *name, enum token_role role,
			  const char *blocks);
/* The principal of a signed-in staff account. */
void access_principal_from_user(struct principal *out, const struct user *user);

/* True if p's role ranks at least min (caretaker < manager < admin). */
bool access_role_at_least(const struct principal *p, enum token_role min);

/* True if p may change (and, for caretakers, see the staff pages of) block. */
bool access_may_change_block(const struct principal *p, const char *block);

/* True if p may change things that belong to no block (blocks themselves, sensors). */
bool access_may_change_site(const struct principal *p);

#endif
