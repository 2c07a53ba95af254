/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Settings of a server command read from a "key = value" file, then from
 * the environment (PREFIX + the key in capitals), into a struct described
 * by a table of keys: `motcua-server portal` (portal.c) and `motcua-server
 * notify` (notify.c). A secret key in a file that everyone may read is
 * refused. Messages are Vietnamese, "FILE:LINE: ..." or "ENV: ...". */
#ifndef MC_SERVER_KEYFILE_H
#define MC_SERVER_KEYFILE_H
#include <stdbool.h>
#include <stddef.h>

#include "core/xalloc.h"

enum keyfile_type {
	KF_STR,    /* char * (owned) */
	KF_LONG,   /* long, 0 .. one year of seconds */
	KF_BOOL,   /* bool: yes/no, true/false, 1/0 */
	KF_DOUBLE, /* double, > 0 and <= 86400 */
	KF_SIZE    /* long long, > 0 */
};

struct keyfile_key {
	const char *name;
	enum keyfile_type type;
	size_t off;  /* of the value in the settings struct */
	bool secret; /* never in a file everyone may read */
};

#define KEYFILE_KEY(st, name, type) { #name, type, offsetof(st, name), false }
#define KEYFILE_SECRET(st, name) { #name, KF_STR, offsetof(st, name), true }

/* Reads path (NULL: none), then env_prefix + KEY for each key. 0, or -1
 * with the message in err. */
int keyfile_load(const struct keyfile_key *keys, size_t n, void *settings, const char *path,
		 const char *env_prefix, struct strbuf *err);
/* Frees the strings. */
void keyfile_release(const struct keyfile_key *keys, size_t n, void *settings);

#endif
