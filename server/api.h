/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The API's handlers, one per route of server/routes.c. A handler of a
 * ROUTE_TOKEN route finds the caller in r->s; every handler answers (a
 * handler that returns without a response is answered 500 internal). */
#ifndef MC_SERVER_API_H
#define MC_SERVER_API_H
#include "server/http.h"

/* api.c */
void api_healthz(struct req *r);
void api_metrics(struct req *r);
void api_login(struct req *r);
void api_logout(struct req *r);
void api_refresh(struct req *r);
void api_me(struct req *r);
void api_changes(struct req *r);
void api_leases(struct req *r);
void api_lookup(struct req *r);
/* The mark of a change in a feed cursor (SQL over changes.seq, created_at). */
#define CURSOR_MARK "substr(md5(seq::text || ':' || extract(epoch FROM created_at)::text), 1, 8)"
/* The dossiers of ch in the compact form where it is exact against the
 * server's catalogs (protocol 2); -1 when the database failed. */
struct sync_changes;
int compact_feed(PGconn *c, struct sync_changes *ch);
/* snapshot.c: snapshots for new workstations (docs/api.md "Snapshot") */
void api_snapshot(struct req *r);
void api_snapshot_get(struct req *r);
/* The range of a GET of size bytes the request asks for (header Range,
 * "bytes=FROM-" or "bytes=FROM-TO"): 0 the whole, 1 [*from, *to], -1 a
 * range past the end (416 sent, with Content-Range). */
int req_range(struct req *r, long long size, long long *from, long long *to);
/* Answers 200, or 206 with Content-Range, with the bytes [from, to] of a
 * file of size bytes (bytes owned). */
void respond_range(struct req *r, int ranged, long long from, long long to, long long size,
		   const char *ctype, char *bytes, size_t n);
/* push.c */
void api_push(struct req *r);
/* indicators.c */
void api_indicators(struct req *r);

/* files.c: blobs and tus 1.0 uploads */
#define UPLOAD_MAX_DEFAULT (256ull << 20) /* bytes of one file */
void api_blob_head(struct req *r);
void api_blob_get(struct req *r);
void api_upload_options(struct req *r);
void api_upload_create(struct req *r);
void api_upload_head(struct req *r);
void api_upload_delete(struct req *r);
/* The bytes of blob sha (size bytes, as blobs says), 200
 * application/octet-stream; 413, 500 or 503 otherwise. */
void respond_blob(struct req *r, PGconn *c, const char *sha, long long size);
/* papers.c: a citizen's signed papers, for another unit's counter */
void api_papers(struct req *r);
void api_paper_get(struct req *r);
/* PATCH /api/v1/uploads/{id}: the body is written as it arrives; the link
 * cut keeps what arrived. */
extern const struct route_stream upload_patch;
/* The value of key in a tus Upload-Metadata header (base64 decoded, NUL
 * free) into out (n bytes): 0, or -1 when absent or not decodable. */
int tus_metadata_get(const char *md, const char *key, char *out, size_t n);

/* routes.c: the route table served (n set to its rows) */
const struct route *server_routes(size_t *n);

#endif
