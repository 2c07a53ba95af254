/* SPDX-License-Identifier: GPL-3.0-or-later */
/* motcua paper SHA256 [--open] [--db PATH]
 *
 * A paper of a dossier, by its SHA-256: the file of this workstation
 * (documents/<sha256>.pdf), fetched from the server first when it is stored
 * there only (sync/paper.h: resumed after a cut, kept in a cache under the
 * setting paper_cache_mb). Prints {"sha256","path","bytes","fetched",
 * "evicted"}; --open shows it in the viewer ($MOTCUA_VIEWER, else
 * xdg-open). Exit 2 for a malformed hash or no store; 1 when the paper
 * cannot be had now (offline, not on the server, not in the user's units),
 * with the reason in Vietnamese on stderr. */
#include "client/cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "client/base/files.h"
#include "client/store/store.h"
#include "core/syncproto.h"
#include "core/xalloc.h"
#include "sync/paper.h"

int cli_paper(int argc, char **argv)
{
	const char *db = NULL, *sha = NULL;
	bool open_it = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			puts("Cách dùng: motcua paper MÃ_BĂM_SHA256 [--open] [--db ĐƯỜNG_DẪN]\n"
			     "Giấy tờ của hồ sơ theo mã băm: tải từ máy chủ khi máy này chưa có (JSON);\n"
			     "--open mở xem.");
			return CLI_OK;
		}
		if (!strcmp(a, "--open")) {
			open_it = true;
		} else if (!strncmp(a, "--db=", 5)) {
			db = a + 5;
		} else if (!strcmp(a, "--db")) {
			if (++i >= argc)
				return cli_bad("tùy chọn --db cần một giá trị");
			db = argv[i];
		} else if (a[0] != '-' && !sha) {
			sha = a;
		} else {
			return cli_bad("tùy chọn không hợp lệ cho paper: %s", a);
		}
	}
	if (!sha)
		return cli_bad("thiếu MÃ_BĂM_SHA256 của giấy tờ");
	if (!sync_hash_valid(sha))
		return cli_bad("mã băm SHA-256 gồm 64 chữ số hex thường (nhận «%s»)", sha);
	struct store st;
	int rc = cli_open_store(&st, db, 0, true);
	if (rc)
		return rc;
	struct sync_paper p;
	struct strbuf err = STRBUF_INIT;
	int r = sync_paper_get(&st, sha, &p, &err);
	if (r) {
		rc = cli_fault("%s", err.buf);
	} else {
		json_t *o = json_pack("{s:s, s:s, s:I, s:b, s:i}", "sha256", sha, "path", p.path, "bytes",
				      (json_int_t)p.bytes, "fetched", p.fetched, "evicted", (int)p.evicted);
		char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
		puts(s);
		free(s);
		json_decref(o);
		if (fflush(stdout) || ferror(stdout))
			rc = cli_fault("không ghi được kết quả: %s", strerror(errno));
		strbuf_reset(&err);
		if (!rc && open_it && files_open(p.path, NULL, &err))
			rc = cli_fault("%s", err.buf);
	}
	sync_paper_release(&p);
	strbuf_release(&err);
	store_close(&st);
	return rc;
}
