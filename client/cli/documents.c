/* SPDX-License-Identifier: GPL-3.0-or-later */
/* motcua documents --applicant ID_NUMBER [--all] [--db PATH]
 *
 * The papers of a citizen in the document store that are still valid today
 * (no expiry, or expiring today or later), newest first, as one JSON array:
 *   [{"id","kind","title","number","issuer","issued_on","expires_on","sha256",
 *     "pages","bytes","ocr_state", and when set "paper_type","signer","signed_at","is_result",
 *     "dossiers":[{"code","component","reused"}]}]
 * Exit 2 for bad input (no or malformed ID number, no store). */
#include "client/cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "client/base/clock.h"
#include "client/store/docstore.h"
#include "client/store/store.h"
#include "core/xalloc.h"

static bool id_number_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 9 || n > 12)
		return false;
	for (const char *p = s; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

static int list(const char *db_opt, const char *owner)
{
	struct store st;
	struct strbuf err = STRBUF_INIT;
	int rc = CLI_OK;
	struct mc_dt now;
	if ((rc = cli_open_store(&st, db_opt, STORE_READONLY, true)))
		goto out;
	json_t *arr = NULL;
	if (clock_now(&now)) {
		rc = cli_fault("không đọc được đồng hồ hệ thống");
	} else {
		struct mc_date today = { now.y, now.m, now.d };
		int r = docstore_list_valid(&st, owner, &today, &arr, &err);
		if (r)
			rc = r == DOCSTORE_REFUSED ? cli_bad("%s", err.buf) : cli_fault("%s", err.buf);
	}
	if (arr) {
		char *s = json_dumps(arr, JSON_COMPACT | JSON_PRESERVE_ORDER);
		puts(s);
		free(s);
		json_decref(arr);
		if (fflush(stdout) || ferror(stdout))
			rc = cli_fault("không ghi được kết quả: %s", strerror(errno));
	}
	store_close(&st);
out:
	strbuf_release(&err);
	return rc;
}

int cli_documents(int argc, char **argv)
{
	const char *db = NULL, *owner = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **dst = !strncmp(a, "--db", 4) && (!a[4] || a[4] == '=') ? &db
				   : !strncmp(a, "--applicant", 11) && (!a[11] || a[11] == '=') ? &owner
				   : NULL;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			puts("Cách dùng: motcua documents --applicant SỐ_ĐỊNH_DANH [--db ĐƯỜNG_DẪN]\n"
			     "Liệt kê giấy tờ còn hạn của công dân trong kho (JSON).");
			return CLI_OK;
		}
		if (!dst)
			return cli_bad("tùy chọn không hợp lệ cho documents: %s", a);
		const char *eq = strchr(a, '=');
		if (eq) {
			*dst = eq + 1;
		} else if (++i < argc) {
			*dst = argv[i];
		} else {
			return cli_bad("tùy chọn %s cần một giá trị", a);
		}
	}
	if (!owner)
		return cli_bad("thiếu --applicant SỐ_ĐỊNH_DANH");
	if (!id_number_ok(owner))
		return cli_bad("số định danh gồm 9 đến 12 chữ số (nhận «%s»)", owner);
	return list(db, owner);
}
