/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Clerk accounts: passwords as Argon2id hashes (libsodium crypto_pwhash_str,
 * interactive limits). Passwords are NFC-normalised first, so a Vietnamese
 * password typed through any input method checks the same. */
#ifndef MC_AUTH_H
#define MC_AUTH_H
#include <sodium.h>
#include <stdbool.h>

#include "client/store/store.h"
#include "core/xalloc.h"

#define CLERK_ROLES(X) \
	X(CLERK,      "clerk",      "Cán bộ tiếp nhận") \
	X(SUPERVISOR, "supervisor", "Lãnh đạo / giám sát") \
	X(ADMIN,      "admin",      "Quản trị")

struct clerk {
	char *username;
	char *full_name;
	char *unit_code;
	char *role; /* "clerk" | "supervisor" | "admin" */
	bool disabled;
};

void clerk_release(struct clerk *c);

/* True for a known role name; the Vietnamese label of one ("" if unknown). */
bool auth_role_valid(const char *role);
const char *auth_role_label(const char *role);
/* True for the roles that supervise (supervisor, admin): the supervisor
 * screens, every clerk's workload, reassignments. */
bool auth_role_supervises(const char *role);
/* 1-32 characters of a-z, 0-9, '.', '_', '-', starting with a letter or digit. */
bool auth_username_valid(const char *username);

/* Returns -1 with a Vietnamese message when libsodium cannot start. */
int auth_init(struct strbuf *err);

/* Reads a clerk (disabled or not). 0 found, 1 not found. */
int auth_load_clerk(struct store *st, const char *username, struct clerk *out);
/* The username of the only enabled clerk (malloc'd), or NULL when there is
 * none or there are several. */
char *auth_sole_clerk(struct store *st);
/* How many accounts the store has, disabled ones included; -1 when it
 * cannot be read. */
long auth_clerk_count(struct store *st);

/* A list of clerks; each owns its strings. */
struct clerk_list {
	struct clerk *v;
	size_t n;
};
void clerk_list_release(struct clerk_list *l);
/* Every account, disabled ones included, by username. 0, or AUTH_FAULT
 * with err (the clerks read before it stay in out). */
int auth_list_clerks(struct store *st, struct clerk_list *out, struct strbuf *err);
/* The enabled clerks of unit, by full name then username. As above. */
int auth_unit_clerks(struct store *st, const char *unit, struct clerk_list *out,
		     struct strbuf *err);

/* The writers below return 0, or AUTH_REFUSED (-1) with err for bad input
 * (bad username, missing name or unit, unknown role, empty password, an
 * existing or unknown clerk), or AUTH_FAULT (-2) when the store fails.
 *
 * Checks a new clerk's fields (username, name, unit, role) without a store. */
int auth_validate(const struct clerk *c, struct strbuf *err);
/* Adds a clerk with the given password. */
int auth_add_clerk(struct store *st, const struct clerk *c, const char *password,
		   struct strbuf *err);
/* Sets a clerk's password. */
int auth_set_password(struct store *st, const char *username, const char *password,
		      struct strbuf *err);
/* Sets a clerk's full name, unit and role as given (as the server knows
 * them) and enables the account; the password stays. */
int auth_update_clerk(struct store *st, const struct clerk *c, struct strbuf *err);
/* Disables (or enables) an account. */
int auth_set_disabled(struct store *st, const char *username, bool disabled, struct strbuf *err);
/* Checks a login. 0 with *out filled, or -1 with a Vietnamese message in err:
 * "Sai tên đăng nhập hoặc mật khẩu" for an unknown user or a wrong password
 * (the same words and the same work for both), or a disabled account (said
 * only to whoever knows its password). */
int auth_check(struct store *st, const char *username, const char *password,
	       struct clerk *out, struct strbuf *err);

enum { AUTH_REFUSED = -1, AUTH_FAULT = -2 };

/* Argon2id costs for new hashes: 16 MiB and 3 passes, p=1: above OWASP's
 * minimum (its equivalent settings include m=12 MiB with t=3 and m=19 MiB
 * with t=2; 16 MiB with t=3 costs an attacker more than either), not
 * libsodium's 64 MiB "interactive" level, so that logging in on a low-end PC
 * stays within the 30 MB memory budget: the base is about 8 MB now that the
 * heavy libraries load on first use (docs/PERFORMANCE.md).
 * Older hashes carry their own costs, verify as they are and are renewed at
 * the next successful login. */
#define AUTH_PWHASH_OPSLIMIT 3ULL
#define AUTH_PWHASH_MEMLIMIT (16UL << 20)

/* The Argon2id string of the NFC form of password. Returns 0, AUTH_REFUSED
 * (empty or invalid password) or AUTH_FAULT, with err. */
int auth_hash_password(const char *password, char out[crypto_pwhash_STRBYTES],
		       struct strbuf *err);

#define AUTH_BAD_LOGIN "Sai tên đăng nhập hoặc mật khẩu"

#endif
