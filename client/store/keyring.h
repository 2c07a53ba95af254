/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The keys of an encrypted store (docs/security.md).
 *
 * A store's data key is 32 random bytes made when the store is encrypted.
 * From it (libsodium's KDF) come the key of its pages (client/store/
 * cryptvfs.h), the key of its files (client/base/sealed.h) and the key of
 * the secrets it keeps (the server token). The data key itself is kept in
 * "<store>.keys", a small plain SQLite file beside the store, wrapped
 * (XSalsa20-Poly1305 secretbox) once per clerk under a key derived with
 * Argon2id from the clerk's password and bound to the clerk's username: any
 * clerk of the workstation unlocks the store with the password of the
 * login; a new password wraps it again; a disabled clerk's wrap is removed.
 *
 * Unlocking registers the keys in this process (every connection and every
 * thread of the process then opens the store); nothing is written to disk.
 * A store made with `motcua init` is encrypted (keyring_encrypt) as soon as
 * it has its first clerk, before it can hold any citizen's data; an older
 * store, by `motcua encrypt`.
 *
 * Functions that can fail return KEYRING_REFUSED (-1: a wrong username or
 * password, a clerk with no wrap, a store not encrypted) or KEYRING_FAULT
 * (-2: the disk or a file), with a Vietnamese message in err. */
#ifndef MC_KEYRING_H
#define MC_KEYRING_H
#include <stdbool.h>
#include <stddef.h>

#include "client/store/store.h"
#include "core/xalloc.h"

enum { KEYRING_REFUSED = -1, KEYRING_FAULT = -2 };

#define KEYRING_SUFFIX ".keys"

/* Whether the database file at path is encrypted (from its first bytes). */
bool keyring_is_encrypted(const char *db_path);
/* Whether this process knows the key of the encrypted store at db_path. */
bool keyring_unlocked(const char *db_path);

/* Unlocks the store at db_path with username's password. */
int keyring_unlock(const char *db_path, const char *username, const char *password,
		   struct strbuf *err);
/* Forgets the store's keys in this process. */
void keyring_lock(const char *db_path);

/* The usernames that can unlock the store, sorted (a NULL-terminated,
 * malloc'd array of malloc'd strings; NULL when none or unreadable). */
char **keyring_users(const char *db_path);
void keyring_users_free(char **users);
/* Whether username can unlock the store. */
bool keyring_has_user(const char *db_path, const char *username);

/* Wraps the (unlocked) store's data key for username under password:
 * added, or replacing the wrap username had. 0 when the store is plain
 * (nothing to wrap). */
int keyring_set_user(const char *db_path, const char *username, const char *password,
		     struct strbuf *err);
/* Removes username's wrap (a disabled clerk). 0 when it had none. */
int keyring_remove_user(const char *db_path, const char *username, struct strbuf *err);

/* Encrypts the plain store st (open, read-write) under a new data key
 * wrapped for username's password: the database is written again
 * encrypted beside itself, checked, and put in its place; the old file's
 * blocks are overwritten with zeros (best effort); st is reopened on the
 * new file, with the lock it had (taken here when it had none: refused
 * while another session uses the store). Then the files under documents/,
 * scans/ and receipts/ are sealed (keyring_seal_files; *files_sealed
 * counts them when not NULL). */
int keyring_encrypt(struct store *st, const char *username, const char *password,
		    int *files_sealed, struct strbuf *err);
/* A store waiting for its first clerk to be encrypted (setting
 * "encryption" = "pending", client/store/store.h): encrypted now under the
 * clerk's password, the setting then "on". 0 when done, 1 when there was
 * nothing to do or another session holds the store (it is done at the
 * next login on it), or an error with err. */
int keyring_encrypt_pending(struct store *st, const char *username, const char *password,
			    struct strbuf *err);
/* Seals every plain file left under the (unlocked) store's folders; safe to
 * run again (a conversion cut short goes on). *sealed counts them. */
int keyring_seal_files(const char *db_path, int *sealed, struct strbuf *err);
/* Whether a conversion left files to seal (then keyring_seal_files). */
bool keyring_files_pending(const char *db_path);

/* A secret to keep in the store (the server token): sealed under the
 * store's secrets key as "sealed1:<base64>" when the store is encrypted
 * and unlocked, else a plain copy. */
char *keyring_seal_secret(const char *db_path, const char *plain);
/* The secret back from what the store keeps (a plain value as it is);
 * NULL when a sealed value does not open (another store's, or locked). */
char *keyring_open_secret(const char *db_path, const char *stored);
/* Frees a secret after wiping it. */
void keyring_free_secret(char *secret);

#endif
