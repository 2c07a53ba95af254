/* The local store: one SQLite file in WAL mode, forward-only migrations
 * (PRAGMA user_version). Every user action is one transaction that writes the
 * entity, an event and an outbox row (see ../shared/design/sync.md). */
#ifndef MC_STORE_H
#define MC_STORE_H
#include <sqlite3.h>
#include <stdbool.h>
#include "core/xalloc.h"

enum store_flags {
	STORE_CREATE = 1 << 0,    /* create the file and its folder if missing */
	STORE_EXCLUSIVE = 1 << 1, /* one instance only: take the store's lock file */
	STORE_READONLY = 1 << 2
};

struct store {
	sqlite3 *db;
	char *path;
	int lock_fd; /* -1 when not locked */
};

/* Opens (and migrates) the store. On failure returns -1 with a Vietnamese
 * message in err and leaves st closed. A missing file without STORE_CREATE,
 * a store locked by another instance, a read-only file and a newer schema are
 * all reported clearly. */
int store_open(struct store *st, const char *path, unsigned flags, struct strbuf *err);
void store_close(struct store *st);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK. commit returns -1 (and rolls back)
 * when SQLite refuses, e.g. a full disk; err gets a Vietnamese message. */
int store_begin(struct store *st, struct strbuf *err);
int store_commit(struct store *st, struct strbuf *err);
void store_rollback(struct store *st);

/* Executes SQL without results; -1 with err on failure. */
int store_exec(struct store *st, const char *sql, struct strbuf *err);
/* Prepares or aborts (a statement in our own code that does not prepare is a bug). */
sqlite3_stmt *store_prepare(struct store *st, const char *sql);

/* Settings (key/value, table settings). get returns malloc'd or NULL. */
char *store_get_setting(struct store *st, const char *key);
int store_set_setting(struct store *st, const char *key, const char *value);

/* Translates an SQLite error code into a clear Vietnamese message. */
const char *store_errmsg_vn(int sqlite_rc);

/* store_errmsg_vn of the last statement that failed on st. */
const char *store_last_errmsg_vn(struct store *st);

/* Schema version this build writes. */
int store_schema_version(void);

/* Fresh UUIDv7 (time-ordered) into buf[37]. */
void store_uuid7(char buf[37]);

#endif
