/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The papers of online dossiers come down (docs/portal.md "At the
 * counter"): after the records, the files of the online dossiers waiting
 * at this workstation's counter that are not here yet are fetched with GET
 * /api/v1/blobs/{sha256} (docs/api.md), checked against their SHA-256 and
 * filed as documents/<sha256>.pdf like a scan, so that the clerk opens
 * them offline. A file the server does not have yet (404) is asked again
 * at the next pass; a link that fails stops the queue (SYNC_OFFLINE). */
#ifndef MC_SYNC_DOWNLOAD_H
#define MC_SYNC_DOWNLOAD_H
#include <stdatomic.h>

#include "client/store/store.h"
#include "sync/http.h"
#include "sync/sync.h"

/* Files the answer's body as documents/<sha256>.pdf (sealed in an
 * encrypted store) when it hashes to sha: 0, 1 (another file: not kept), -1
 * (the disk, err says why). *created (may be NULL): the file was not there
 * before. */
int sync_file_in(struct store *st, const char *sha, const struct sync_reply *r, bool *created,
		 struct strbuf *err);

/* Fetches the missing papers; counts in sum->files_fetched. */
enum sync_outcome sync_download_files(struct store *st, struct sync_http *http,
				      const atomic_int *cancel, struct sync_summary *sum);

#endif
