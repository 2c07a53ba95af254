/* SPDX-License-Identifier: GPL-3.0-or-later */
/* motcua search QUERY... [--limit N] [--status S[,S...]] [--db PATH]
 *
 * One JSON line per matching dossier, the best match first (see
 * dossier_search): {"code", "applicant", "id_number", "procedure",
 * "procedure_name", "status", "received_at", "appointment"}. No match: no
 * lines, exit 0. The words of QUERY may come as one argument or several.
 * After those, the dossiers whose scanned papers' OCR text holds every word
 * (dossier_search_papers). */
#include "client/cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "client/store/dossier_query.h"
#include "client/store/store.h"
#include "core/text.h"
#include "core/xalloc.h"

#define DEFAULT_LIMIT 50
#define MAX_LIMIT 1000

static int parse_long(const char *s, long lo, long hi, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (!*s || *end || errno || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* "5" or "2,4": national status codes 1..10. */
static int parse_statuses(const char *s, unsigned *mask)
{
	*mask = 0;
	char *copy = xstrdup(s), *save = NULL;
	int rc = 0;
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		long v;
		if (parse_long(tok, 1, 10, &v)) {
			rc = -1;
			break;
		}
		*mask |= DQ_STATUS(v);
	}
	free(copy);
	return rc || !*mask ? -1 : 0;
}

static json_t *jstr(const char *s)
{
	if (!s || !*s)
		return json_null();
	char *clean = mc_text_sanitize(s);
	json_t *j = json_string(clean);
	free(clean);
	return j ? j : json_null();
}

static void print_row(const struct dossier_row *r)
{
	json_t *o = json_object();
	json_object_set_new(o, "code", jstr(r->code));
	json_object_set_new(o, "applicant", jstr(r->applicant_name));
	json_object_set_new(o, "id_number", jstr(r->id_number));
	json_object_set_new(o, "procedure", jstr(r->procedure_code));
	json_object_set_new(o, "procedure_name", jstr(r->procedure_name));
	json_object_set_new(o, "status", json_integer(r->status));
	json_object_set_new(o, "received_at", jstr(r->received_at));
	json_object_set_new(o, "appointment", jstr(r->appointment));
	json_dumpf(o, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
	putchar('\n');
	json_decref(o);
}

static int run(const char *db_opt, const char *query, long limit, unsigned mask)
{
	struct store st;
	struct strbuf err = STRBUF_INIT;
	int rc = CLI_OK;
	if ((rc = cli_open_store(&st, db_opt, 0, true)))
		goto out;
	struct dossier_rows rows;
	dossier_rows_init(&rows);
	int n = dossier_search(&st, query, mask, 0, (int)limit, &rows, &err);
	if (n >= 0 && n < limit) /* then the dossiers found by their papers' text */
		n = dossier_search_papers(&st, query, mask, (int)limit - n, &rows, &err);
	if (n < 0) {
		rc = cli_fault("%s", err.buf);
	} else {
		for (size_t i = 0; i < rows.n; i++)
			print_row(&rows.v[i]);
		if (fflush(stdout) || ferror(stdout))
			rc = cli_fault("không ghi được kết quả: %s", strerror(errno));
	}
	dossier_rows_release(&rows);
	store_close(&st);
out:
	strbuf_release(&err);
	return rc;
}

int cli_search(int argc, char **argv)
{
	const char *db_opt = NULL;
	long limit = DEFAULT_LIMIT;
	unsigned mask = 0;
	struct strbuf query = STRBUF_INIT;
	int rc = CLI_OK, words_only = 0;
	for (int i = 1; i < argc && rc == CLI_OK; i++) {
		const char *a = argv[i], *v = NULL;
		int r;
		if (words_only || strncmp(a, "--", 2)) {
			if (query.len)
				strbuf_addch(&query, ' ');
			strbuf_addstr(&query, a);
		} else if (!strcmp(a, "--")) {
			words_only = 1;
		} else if ((r = cli_option(argc, argv, &i, "--db", &v))) {
			if (r < 0 || !*v)
				rc = cli_bad("tùy chọn --db cần đường dẫn tới kho dữ liệu");
			db_opt = v;
		} else if ((r = cli_option(argc, argv, &i, "--limit", &v))) {
			if (r < 0 || parse_long(v, 1, MAX_LIMIT, &limit))
				rc = cli_bad("tùy chọn --limit cần một số từ 1 đến %d", MAX_LIMIT);
		} else if ((r = cli_option(argc, argv, &i, "--status", &v))) {
			if (r < 0 || parse_statuses(v, &mask))
				rc = cli_bad("tùy chọn --status cần mã trạng thái từ 1 đến 10,"
					     " cách nhau bởi dấu phẩy (ví dụ: --status 2,4)");
		} else {
			rc = cli_bad("tùy chọn không hợp lệ: %s (dùng: motcua search NỘI_DUNG"
				     " [--limit N] [--status S] [--db PATH])", a);
		}
	}
	if (rc == CLI_OK && dossier_query_kind(query.buf ? query.buf : "") == DQ_KIND_EMPTY)
		rc = cli_bad("thiếu nội dung tìm kiếm: hãy nhập mã hồ sơ, họ tên người nộp"
			     " hoặc số định danh");
	if (rc == CLI_OK)
		rc = run(db_opt, query.buf, limit, mask);
	strbuf_release(&query);
	return rc;
}
