/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Small file helpers of the workstation, below the store: a Vietnamese reason
 * for an errno value, hex digests, the SHA-256 of a file, the sweep of
 * temporary files. */
#ifndef MC_FILES_H
#define MC_FILES_H
#include <stddef.h>
#include <sys/types.h>

#include "core/xalloc.h"

/* The whole of a file (plaintext, not sealed) appended to out, which ends
 * up a string ("" for an empty file). 0, or -1 (errno says why). */
int files_read(const char *path, struct strbuf *out);
/* A Vietnamese reason for an errno value (full disk, permissions...). */
const char *files_errno_vn(int e);
/* Writes len bytes of data to path (plaintext, not sealed: see sealed.h for
 * documents/) through path.tmp, created with mode, fsynced, renamed over
 * path, then the folder fsynced (best effort): a reader sees the old file
 * or the new one, never half of one. On failure path.tmp is gone, path is
 * as it was and err says "không ghi được tệp PATH: reason". 0, or -1. */
int files_write_atomic(const char *path, const void *data, size_t len, mode_t mode,
		       struct strbuf *err);
/* fsyncs the folder that holds path, so that a rename into it is on disk.
 * 0, also when the folder does not open or its file system does not sync
 * folders (best effort); -1 when the sync fails (errno says why). */
int files_sync_dir(const char *path);
/* fsyncs the file path (opened for writing). 0, or -1 (errno says why). */
int files_fsync(const char *path);
/* Removes the files directly in dir, then dir itself (best effort: what
 * does not go stays). */
void files_remove_dir(const char *dir);
/* n bytes as 2n lower-case hex digits and a NUL. */
void files_hex(const unsigned char *d, size_t n, char *hex);
/* The SHA-256 of a file's plaintext (client/base/sealed.h), in hex. -1
 * with err. */
int files_sha256(const char *path, char hex[65], struct strbuf *err);
/* Opens path with the desktop's viewer, $MOTCUA_VIEWER or else xdg-open,
 * in the background (its own session, no terminal: the program neither
 * waits for it nor shares the screen). The viewer's name into viewer
 * (when not NULL). A sealed paper (client/base/sealed.h) is shown from a
 * plaintext copy in a private folder in memory ($XDG_RUNTIME_DIR or
 * /dev/shm, 0600), never written to disk. 0, or -1 with err (no such file,
 * no process, no folder in memory for a sealed paper). */
int files_open(const char *path, const char **viewer, struct strbuf *err);

/* Removes from dir what killed writers left: "*.tmp" files no writer holds
 * (writers lock the file they write, see sealed.h) and papers made but
 * never filed (".incoming-*") older than FILES_STALE_SECONDS. Returns how
 * many went. */
#define FILES_STALE_SECONDS 3600
int files_sweep_stale(const char *dir);

#endif
