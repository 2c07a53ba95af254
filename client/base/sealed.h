/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Sealed files: the workstation's files that hold personal data, encrypted
 * at rest when their store is (docs/security.md).
 *
 * A store's own folders, <folder of the database>/documents (the papers),
 * /scans (the pages being scanned), /receipts (the receipts) and /ocr (the
 * pages of papers whose text is being read, and that text), are sealed
 * once the store is encrypted and unlocked in this process: the store
 * registers them here with the key of its files (sealed_register, called by
 * client/store/keyring.c), and from then on every file this API writes in
 * them is sealed, whoever writes it. Files anywhere else (a form or a ledger
 * the clerk writes with --out, a file being imported) stay plain.
 *
 * Every reader of those folders goes through sealed_open: a sealed file
 * reads back as its plaintext (in a memory file, never on disk), a plain one
 * (written before the store was encrypted) as it is. The hash of a paper is
 * always the hash of its plaintext.
 *
 * Format: "MCSEAL01", a libsodium secretstream (XChaCha20-Poly1305) header,
 * then chunks of up to 64 KiB of plaintext with their 17 bytes of tag and
 * MAC each; the last chunk carries the FINAL tag, so a cut file is refused.
 *
 * Writers hold a lock (flock) on the file they are writing, so that
 * files_sweep_stale (client/base/files.h) tells a writer's temporary file
 * from one a killed process left behind. */
#ifndef MC_SEALED_H
#define MC_SEALED_H
#include <stdbool.h>
#include <stddef.h>

#include <sodium.h>

#include "core/xalloc.h"

#define SEALED_KEYBYTES crypto_secretstream_xchacha20poly1305_KEYBYTES
#define SEALED_MAGIC "MCSEAL01"
#define SEALED_CHUNK 65536

/* Seals the folders of the store at db_path (which must exist) with key
 * from now on in this process; sealed_forget stops it. 0, or -1 when the
 * folder cannot be resolved. */
int sealed_register(const char *db_path, const unsigned char key[SEALED_KEYBYTES]);
void sealed_forget(const char *db_path);
/* Whether a file written at path (its folder must exist) is sealed. */
bool sealed_wanted(const char *path);

/* ---- writing ---- */

struct sealed_out {
	int fd;
	bool sealed;
	int error; /* errno of the first failure; 0 */
	unsigned long long plain_bytes;
	unsigned char *buf; /* pending plaintext, SEALED_CHUNK bytes, when sealed */
	size_t n;
	crypto_secretstream_xchacha20poly1305_state state;
};

/* Creates (or truncates) path, mode 0600, locked, sealed when
 * sealed_wanted(path). -1 with errno. */
int sealed_out_open(struct sealed_out *o, const char *path);
/* Appends n bytes of plaintext. -1 with errno (o->error keeps it). */
int sealed_out_write(struct sealed_out *o, const void *data, size_t n);
/* Writes the last chunk, fsyncs and closes. -1 with errno. */
int sealed_out_close(struct sealed_out *o);
/* Closes without finishing (the caller removes the file). */
void sealed_out_abort(struct sealed_out *o);

/* Writes data to path atomically: path.tmp (sealed when wanted), fsync,
 * rename, fsync of the folder. -1 with errno. */
int sealed_write_file(const char *path, const void *data, size_t n);

/* ---- reading ---- */

/* Whether the file at path begins as a sealed file. */
bool sealed_is_sealed(const char *path);
/* A read-only descriptor of path's plaintext at offset 0: the file itself
 * when plain, else a memory file (memfd) holding the plaintext. -1 with a
 * Vietnamese message in err (the file cannot be read, is damaged or cut, or
 * is sealed while its store is locked); *e gets the errno when not NULL. */
int sealed_open(const char *path, int *e, struct strbuf *err);
/* The whole plaintext of path in a malloc'd, NUL-terminated buffer. */
int sealed_read_all(const char *path, unsigned char **data, size_t *n, struct strbuf *err);
/* The plaintext size of an open file descriptor of a sealed or plain file
 * as it is on disk (sealed files: from their size, without decrypting). */
long long sealed_plain_size(int fd);

/* Seals the plain file at path in place (a store being encrypted): 1 when
 * sealed now, 0 when it was already sealed or its folder is not sealed, -1
 * with err. The plaintext's blocks are overwritten with zeros before they
 * are let go (best effort: a copy-on-write or flash disk may keep them). */
int sealed_seal_in_place(const char *path, struct strbuf *err);

#endif
