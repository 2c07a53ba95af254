/* SPDX-License-Identifier: GPL-3.0-or-later */
/* An encrypting SQLite VFS over the system's libsqlite3 and libsodium: the
 * store's pages are encrypted at rest (docs/security.md says why this and
 * not SQLCipher or SQLite3 Multiple Ciphers).
 *
 * The VFS "motcua" wraps the default one. A database file opened through it
 * is encrypted when a key was registered for its path (cryptvfs_set_key);
 * any other file passes through unchanged, so plain stores work as before.
 *
 * An encrypted database has 4096-byte pages with 40 bytes reserved at the
 * end of each (SQLite's per-page reserved space): every page is sealed with
 * XChaCha20-Poly1305 under a fresh random nonce, the nonce (24 bytes) and
 * the MAC (16) kept in those 40 bytes, the page number as associated data.
 * The first 16 bytes of the file say "MCSTORE1" and the key's id instead of
 * SQLite's "SQLite format 3". The same pages in the -wal file (frame
 * headers stay plain: SQLite checksums the plaintext it hands us) and in a
 * rollback journal (its headers, page numbers and checksums stay plain) are
 * sealed the same way. Temporary files (sorts, statement journals, temp
 * tables) are encrypted with a random key that lives only in memory while
 * the file is open. SQLite's memory-mapped I/O is off for these files.
 *
 * Reading a page that does not authenticate is an I/O error
 * (SQLITE_IOERR_DATA), except where SQLite itself validates what it reads
 * (a WAL being recovered, a journal being played back): there a torn frame
 * or record reads as zeros, which SQLite's checksums then refuse. */
#ifndef MC_CRYPTVFS_H
#define MC_CRYPTVFS_H
#include <stdbool.h>

#include <sodium.h>

#define CRYPTVFS_NAME "motcua"
#define CRYPTVFS_KEYBYTES crypto_aead_xchacha20poly1305_ietf_KEYBYTES
#define CRYPTVFS_PAGE 4096
#define CRYPTVFS_RESERVE (crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + \
			  crypto_aead_xchacha20poly1305_ietf_ABYTES)
#define CRYPTVFS_MAGIC "MCSTORE1"
#define CRYPTVFS_IDBYTES 8

/* Registers the VFS with SQLite (once; safe from any thread). 0 or an
 * SQLite error code. */
int cryptvfs_register(void);

/* The key of the database at path (its -wal and journal follow it): from
 * the next open on, in this process. 0, or -1 when the path cannot be
 * resolved. */
int cryptvfs_set_key(const char *path, const unsigned char key[CRYPTVFS_KEYBYTES]);
void cryptvfs_forget(const char *path);
bool cryptvfs_has_key(const char *path);

/* The id of a key, as a file encrypted with it says in its first bytes. */
void cryptvfs_key_id(const unsigned char key[CRYPTVFS_KEYBYTES], unsigned char id[CRYPTVFS_IDBYTES]);

enum cryptvfs_kind {
	CRYPTVFS_MISSING,   /* no such file */
	CRYPTVFS_EMPTY,     /* an empty file: a store to be */
	CRYPTVFS_PLAIN,     /* an SQLite database */
	CRYPTVFS_ENCRYPTED, /* ours; id filled */
	CRYPTVFS_OTHER      /* anything else, or unreadable */
};
/* What the file at path is, from its first 16 bytes. */
enum cryptvfs_kind cryptvfs_probe(const char *path, unsigned char id[CRYPTVFS_IDBYTES]);

#endif
