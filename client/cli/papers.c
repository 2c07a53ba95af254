/* SPDX-License-Identifier: GPL-3.0-or-later */
/* motcua papers --id-number ID_NUMBER [--online --dossier CODE] [--db PATH]
 *
 * A citizen's valid papers for reuse (docs/reuse.md). Without --online,
 * those of this workstation's store (as `motcua documents`); with --online,
 * the signed, unexpired papers the server holds for the citizen, asked for
 * dossier CODE, a dossier of that citizen this clerk's unit is receiving
 * (the server's scope rule; each look-up is logged there). JSON on stdout:
 *   {"source": "store"|"server", "id_number", "dossier"?, "papers": [{"id",
 *    "paper_type", "type_name", "number", "issued_on", "expires_on",
 *    "signer", "signed_at", "sha256", "bytes", ...}]}
 * A server paper is reused with `motcua attach CODE --component N
 * --reuse-server ID`, which fetches its file and verifies its signature.
 * Exit 2 for bad input or a look-up the server refuses (its reason and
 * code on stderr), 1 when the server's papers cannot be seen now (offline,
 * not logged in) or a fault. */
#include "client/cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "client/store/docstore.h"
#include "client/store/store.h"
#include "core/datetime.h"
#include "core/papertype.h"
#include "core/xalloc.h"
#include "sync/papers.h"

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

/* Each paper gets the Vietnamese name of its type, when it has one. */
static void name_types(json_t *papers)
{
	size_t i;
	json_t *p;
	json_array_foreach(papers, i, p) {
		enum mc_paper_type t =
			mc_paper_type_from_code(json_string_value(json_object_get(p, "paper_type")));
		if (t != MC_PT_COUNT)
			json_object_set_new(p, "type_name", json_string(mc_paper_type_name(t)));
	}
}

static int list(const char *db, const char *idn, const char *dossier, bool online)
{
	struct store st;
	struct strbuf err = STRBUF_INIT;
	int rc = cli_open_store(&st, db, online ? 0 : STORE_READONLY, true);
	if (rc)
		return rc;
	json_t *papers = NULL;
	char *code = NULL;
	if (online) {
		int r = sync_papers_list(&st, idn, dossier, &papers, &code, &err);
		if (r == SYNC_PAPERS_REFUSED)
			rc = cli_bad("máy chủ từ chối: %s%s%s%s", err.buf, code ? " (" : "",
				     code ? code : "", code ? ")" : "");
		else if (r)
			rc = cli_fault("%s", err.buf);
	} else {
		struct mc_dt now;
		if ((rc = cli_now(&now)) == CLI_OK) {
			struct mc_date today = { now.y, now.m, now.d };
			int r = docstore_list_valid(&st, idn, &today, &papers, &err);
			if (r)
				rc = r == DOCSTORE_REFUSED ? cli_bad("%s", err.buf)
							   : cli_fault("%s", err.buf);
		}
	}
	if (!rc && papers) {
		name_types(papers);
		json_t *o = json_pack("{s:s, s:s}", "source", online ? "server" : "store", "id_number",
				      idn);
		if (dossier)
			json_object_set_new(o, "dossier", json_string(dossier));
		json_object_set_new(o, "papers", papers);
		papers = NULL;
		cli_print_json(o);
	}
	json_decref(papers);
	free(code);
	store_close(&st);
	strbuf_release(&err);
	return rc;
}

int cli_papers(int argc, char **argv)
{
	const char *db = NULL, *idn = NULL, *dossier = NULL;
	bool online = false;
	static const char *const names[] = { "--db", "--id-number", "--dossier" };
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = NULL;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			puts("Cách dùng: motcua papers --id-number SỐ_ĐỊNH_DANH [--online --dossier MÃ_HỒ_SƠ]\n"
			     "                     [--db ĐƯỜNG_DẪN]\n"
			     "Giấy tờ còn hạn của công dân để dùng lại (JSON): trong kho của máy này, hoặc\n"
			     "(--online) giấy tờ đã ký số lưu trên máy chủ, xem cho hồ sơ đang tiếp nhận của\n"
			     "công dân; dùng lại bằng motcua attach MÃ_HỒ_SƠ --component SỐ --reuse-server MÃ.");
			return CLI_OK;
		}
		if (!strcmp(a, "--online")) {
			online = true;
			continue;
		}
		int k = cli_options(argc, argv, &i, names, 3, &v);
		if (k < 0)
			return CLI_BADINPUT;
		if (k == 3)
			return cli_bad("tùy chọn không hợp lệ cho papers: %s (xem: motcua papers --help)", a);
		const char **dst = k == 0 ? &db : k == 1 ? &idn : &dossier;
		*dst = v;
	}
	if (!idn)
		return cli_bad("thiếu --id-number SỐ_ĐỊNH_DANH");
	if (!id_number_ok(idn))
		return cli_bad("số định danh gồm 9 đến 12 chữ số (nhận «%s»)", idn);
	if (online && (!dossier || !*dossier))
		return cli_bad("--online cần --dossier MÃ_HỒ_SƠ: hồ sơ của công dân đang tiếp nhận");
	if (dossier && !online)
		return cli_bad("--dossier chỉ dùng cùng --online");
	return list(db, idn, dossier, online);
}
