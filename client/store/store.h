/* SPDX-License-Identifier: GPL-3.0-or-later */
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
	STORE_READONLY = 1 << 2,
	STORE_HAVE_LOCK = 1 << 3  /* st already holds the lock (store_lock): keep it */
};

struct store {
	sqlite3 *db;
	char *path;
	int lock_fd; /* -1 when not locked */
	bool encrypted; /* its pages are encrypted (client/store/keyring.h) */
};

/* Opens (and migrates) the store. On failure returns -1 with a Vietnamese
 * message in err and leaves st closed. A missing file without STORE_CREATE,
 * a store locked by another instance, a read-only file, a newer schema, a
 * file that is not a motcua store and a damaged one (every table's first
 * page is read) are all reported clearly. A new store's file, its -wal and -shm and its
 * folder are created for its owner only (0600, 0700); an older store's are
 * made so. An encrypted store opens once its key is known in this process
 * (client/store/keyring.h): else the unlock hook is asked, if any. */
int store_open(struct store *st, const char *path, unsigned flags, struct strbuf *err);
void store_close(struct store *st);
/* Runs the migrations an open store still lacks (after its pages were
 * replaced by an older copy). 0 or -1 with err. */
int store_upgrade(struct store *st, struct strbuf *err);

/* Sets st up closed, for path: no connection, no lock. */
void store_init(struct store *st, const char *path);
/* Takes the store's lock (what STORE_EXCLUSIVE takes) for st, open or set
 * up by store_init; -1 with err when another session holds it. */
int store_lock(struct store *st, struct strbuf *err);
/* Closes st's connection, keeping its path and lock (store_open with
 * STORE_HAVE_LOCK opens it again). */
void store_close_keep_lock(struct store *st);

/* Asked by store_open for an encrypted store whose key this process does
 * not know: unlocks it (keyring_unlock) and returns 0, or -1 with err. The
 * CLI sets one that asks for a clerk's password; the TUI has its login. */
typedef int store_unlock_fn(const char *path, struct strbuf *err);
void store_set_unlock_hook(store_unlock_fn *fn);

/* What must happen once before SQLite is first used in the process (the
 * encrypting VFS registered); every path of the store layer into SQLite
 * calls it. */
void store_sqlite_init(void);

/* The store's encryption as its settings say: "off" (made with
 * --no-encrypt, or before encryption existed), "pending" (encrypted as soon
 * as it has a clerk: keyring_encrypt), or "on". */
#define STORE_ENCRYPTION_KEY "encryption"
/* Whether st is plain and waits to be encrypted ("pending"). */
bool store_encryption_pending(struct store *st);
/* Removes from the store's folders (documents/, receipts/, scans/) what
 * killed writers left (client/base/files.h files_sweep_stale). */
void store_sweep(const char *path);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK. begin returns -1 on a faulty store
 * (store_damaged); commit returns -1 (and rolls back) when SQLite refuses,
 * e.g. a full disk; err gets a Vietnamese message. */
int store_begin(struct store *st, struct strbuf *err);
int store_commit(struct store *st, struct strbuf *err);
void store_rollback(struct store *st);

/* Executes SQL without results; -1 with err on failure. */
int store_exec(struct store *st, const char *sql, struct strbuf *err);
/* Prepares a statement of our own code. One that does not prepare (a file
 * that is not a sound motcua store, or a bug) marks the store faulty
 * (store_damaged) and gives NULL, on which SQLite's calls fail harmlessly:
 * sqlite3_step answers SQLITE_MISUSE, bind and column do nothing. */
sqlite3_stmt *store_prepare(struct store *st, const char *sql);

/* Column i of the current row as text: a new string (xstrdup) or NULL.
 * store_col_text keeps SQL NULL as NULL; store_col_nonempty also gives NULL
 * for an empty text; store_col_str gives "" for NULL. store_col_copy writes
 * the text (or "") into buf, cut to n - 1 bytes. */
char *store_col_text(sqlite3_stmt *q, int i);
char *store_col_nonempty(sqlite3_stmt *q, int i);
char *store_col_str(sqlite3_stmt *q, int i);
void store_col_copy(sqlite3_stmt *q, int i, char *buf, size_t n);
/* Binds parameter i to a copy of s, or to NULL: store_bind_text when s is
 * NULL, store_bind_nonempty when s is NULL or empty. */
void store_bind_text(sqlite3_stmt *q, int i, const char *s);
void store_bind_nonempty(sqlite3_stmt *q, int i, const char *s);

/* Whether the store failed in a way no caller repairs: a corrupt or
 * unreadable file (seen by any statement of any thread: SQLite's log) or a
 * statement that did not prepare. 0, or -1 with a Vietnamese message in err
 * (when not NULL). From the first fault on, store_begin refuses to write;
 * the program ends with status 1 and the message (client/cli/common.c
 * cli_exit, the TUI's loop). */
int store_damaged(struct strbuf *err);

/* Settings (key/value, table settings). get returns malloc'd or NULL when
 * the key is not set (a file that does not read is store_damaged's);
 * set returns 0, or -1 with a Vietnamese message in err (when not NULL). */
char *store_get_setting(struct store *st, const char *key);
int store_set_setting(struct store *st, const char *key, const char *value, struct strbuf *err);

/* Translates an SQLite error code into a clear Vietnamese message. */
const char *store_errmsg_vn(int sqlite_rc);

/* store_errmsg_vn of the last statement that failed on st. */
const char *store_last_errmsg_vn(struct store *st);

/* Schema version this build writes. */
int store_schema_version(void);

/* Fresh UUIDv7 (time-ordered) into buf[37]. */
void store_uuid7(char buf[37]);

#endif
