/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A paper stored on the server, opened on another workstation of the units
 * concerned (docs/sync-client.md "Papers on demand"): a file this
 * workstation does not hold (documents/<sha256>.pdf) is fetched when it is
 * asked for, with GET /api/v1/blobs/{sha256}; the parts that came are kept
 * in the store (paper_chunks), so that a link cut mid-way resumes with HTTP
 * Range where it stopped. Checked against its SHA-256 and filed like a
 * scan; the papers fetched so are a cache (paper_cache) kept under the
 * setting paper_cache_mb, the least recently used evicted first. Offline,
 * the clerk is told in Vietnamese that the paper is on the server only. */
#ifndef MC_SYNC_PAPER_H
#define MC_SYNC_PAPER_H
#include <stdbool.h>

#include "client/store/store.h"
#include "core/xalloc.h"

#define SYNC_PAPER_CACHE_SETTING "paper_cache_mb"
#define SYNC_PAPER_CACHE_MB_DEFAULT 500

struct sync_paper {
	char *path;      /* documents/<sha256>.pdf (malloc'd) */
	long long bytes;
	bool fetched;    /* it came from the server now */
	long evicted;    /* papers evicted from the cache to make room */
};

/* The paper sha256 here, fetched first when it is not. 0 (p filled;
 * release with sync_paper_release), 1 not available now: offline, cut,
 * not on the server, out of scope, no server (err says why, in
 * Vietnamese), -1 a fault of the store or the disk (err). */
int sync_paper_get(struct store *st, const char *sha256, struct sync_paper *p, struct strbuf *err);
void sync_paper_release(struct sync_paper *p);

#endif
