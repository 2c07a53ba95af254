/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The papers of online dossiers, fetched: see download.h. */
#include "sync/download.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "client/base/files.h"
#include "client/base/sealed.h"
#include "client/store/docstore.h"
#include "client/store/online.h"

static void note(struct sync_summary *s, char *msg)
{
	s->errors = xrealloc(s->errors, (s->nerrors + 1) * sizeof(*s->errors));
	s->errors[s->nerrors++] = msg;
}

/* Writes the answer as documents/<sha256>.pdf, when it hashes to sha. 0, 1
 * (not the file asked for: not kept), -1 (the disk). */
int sync_file_in(struct store *st, const char *sha, const struct sync_reply *r, bool *created,
		 struct strbuf *err)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[2 * crypto_hash_sha256_BYTES + 1];
	crypto_hash_sha256(h, (const unsigned char *)(r->body.buf ? r->body.buf : ""), r->body.len);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	if (strcmp(hex, sha))
		return 1;
	char *dir = docstore_dir(st->path);
	/* named .incoming-: the sweep of what killed writers left, run as a
	 * paper is filed (files_sweep_stale), spares it for a while */
	char *tmp = xasprintf("%s/.incoming-fetch-%s", dir, sha);
	int rc = -1;
	if (mkdir(dir, 0700) && errno != EEXIST) {
		strbuf_addf(err, "không tạo được thư mục %s: %s", dir, strerror(errno));
		goto out;
	}
	/* sealed under an encrypted store's key, like every paper of documents/ */
	if (sealed_write_file(tmp, r->body.buf ? r->body.buf : "", r->body.len)) {
		strbuf_addf(err, "không ghi được %s: %s", tmp, strerror(errno));
		goto out;
	}
	bool made;
	rc = docstore_file_in(st->path, tmp, sha, &made, err) ? -1 : 0;
	if (created)
		*created = !rc && made;
out:
	if (rc)
		unlink(tmp);
	free(tmp);
	free(dir);
	return rc;
}

enum sync_outcome sync_download_files(struct store *st, struct sync_http *http,
				      const atomic_int *cancel, struct sync_summary *sum)
{
	char **shas = NULL;
	size_t n = 0;
	int sqlrc = online_missing_files(st, &shas, &n);
	if (sqlrc != SQLITE_OK) {
		note(sum, xasprintf("Không đọc được giấy tờ của hồ sơ trực tuyến: %s",
				    store_errmsg_vn(sqlrc)));
		return SYNC_FAULT;
	}
	enum sync_outcome o = SYNC_DONE;
	for (size_t i = 0; i < n && o == SYNC_DONE; i++) {
		if (cancel && atomic_load(cancel)) {
			o = SYNC_CANCELLED;
			break;
		}
		char *path = xasprintf("/api/v1/blobs/%s", shas[i]);
		struct sync_reply r;
		int rc = sync_http_request(http, "GET", path, NULL, &r);
		free(path);
		if (rc || r.status >= 500) {
			o = SYNC_OFFLINE;
		} else if (r.status == 401 || r.status == 403) {
			o = SYNC_DENIED;
		} else if (r.status == 200) {
			struct strbuf err = STRBUF_INIT;
			int f = sync_file_in(st, shas[i], &r, NULL, &err);
			if (f < 0) {
				note(sum, xasprintf("Không lưu được giấy tờ tải về: %s", err.buf));
				o = SYNC_FAULT;
			} else if (f > 0) {
				note(sum, xasprintf("Tệp %.12s… tải về không khớp mã băm: bỏ qua, tải lại lần"
						    " sau", shas[i]));
			} else {
				sum->files_fetched++;
			}
			strbuf_release(&err);
		}
		/* 404: not on the server yet (or not ours): the next pass asks again */
		sync_reply_release(&r);
	}
	for (size_t i = 0; i < n; i++)
		free(shas[i]);
	free(shas);
	return o;
}
