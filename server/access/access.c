/* SPDX-License-Identifier: MIT */
/*
 * Roles, ranks and block scope (see access.h). Roles' names are token.c's.
 */
#include "access/access.h"

#include <stdio.h>
#include <string.h>

struct role_rule {
	enum token_role role;
	int rank;		/* higher may do more */
	bool all_blocks;	/* an empty block list means every block */
	bool site;		/* may change what belongs to no block */
};

static const struct role_rule rules[] = {
	{TOKEN_ROLE_CARETAKER, 0, false, false},
	{TOKEN_ROLE_MANAGER, 1, true, true},
	{TOKEN_ROLE_ADMIN, 2, true, true},
};

/* Unknown roles get the least. */
static const struct role_rule *rule_of(enum token_role role)
{
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (rules[i].role == role)
			return &rules[i];
	return &rules[0];
}

void access_principal_set(struct principal *out, const char *name, enum token_role role,
			  const char *blocks)
{
	memset(out, 0, sizeof(*out));
	out->role = role;
	snprintf(out->name, sizeof(out->name), "%s",
		 name != NULL && name[0] != '\0' ? name : token_role_name(role));
	snprintf(out->blocks, sizeof(out->blocks), "%s", blocks != NULL ? blocks : "");
}

void access_principal_from_user(struct principal *out, const struct user *user)
{
	access_principal_set(out, user->name, user->role, user->blocks);
}

bool access_role_at_least(const struct principal *p, enum token_role min)
{
	return rule_of(p->role)->rank >= rule_of(min)->rank;
}

static bool in_list(const char *list, const char *block)
{
	size_t n = strlen(block);
	const char *p = list;

	while (*p != '\0') {
		const char *comma = strchr(p, ',');
		size_t len = comma != NULL ? (size_t)(comma - p) : strlen(p);

		if (len == n && strncmp(p, block, n) == 0)
			return true;
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	return false;
}

bool access_may_change_block(const struct principal *p, const char *block)
{
	if (p == NULL || block == NULL || block[0] == '\0')
		return false;
	if (p->blocks[0] == '\0')
		return rule_of(p->role)->all_blocks;
	return in_list(p->blocks, block);
}

bool access_may_change_site(const struct principal *p)
{
	return p != NULL && rule_of(p->role)->site && p->blocks[0] == '\0';
}
