/* SPDX-License-Identifier: GPL-3.0-or-later */
/* motcua online list|show|accept|supplement|refuse: the online dossiers
 * waiting at this workstation's counter (docs/portal.md "At the counter"),
 * with exactly the rules of the "Hồ sơ trực tuyến" screen
 * (client/services/online.h). JSON on stdout; bad input: exit 2, nothing
 * written; a store fault: exit 1. */
#include "client/cli/cli.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "client/base/clock.h"
#include "client/services/online.h"
#include "client/store/online.h"
#include "client/store/store.h"
#include "core/lifecycle.h"
#include "core/xalloc.h"

static int usage(FILE *out)
{
	fputs("Cách dùng: motcua online LỆNH [tùy chọn] [--db ĐƯỜNG_DẪN] [--user CÁN_BỘ]\n"
	      "  list [--all-units]                 hồ sơ trực tuyến chờ tiếp nhận (JSON, mỗi dòng một)\n"
	      "  show MÃ                            một hồ sơ: người nộp, thủ tục, giấy tờ (path: tệp\n"
	      "                                     đã tải về máy)\n"
	      "  accept MÃ                          tiếp nhận: cấp mã hồ sơ, tính ngày hẹn trả\n"
	      "  supplement MÃ --papers \"giấy 1; giấy 2\" [--reason LÝ_DO]\n"
	      "                                     yêu cầu bổ sung (nội dung mẫu 02, gửi qua Cổng)\n"
	      "  refuse MÃ --reason \"lý do 1; lý do 2\"\n"
	      "                                     từ chối (nội dung mẫu 03, gửi qua Cổng)\n",
	      out);
	return out == stdout ? CLI_OK : CLI_BADINPUT;
}

static json_t *str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static json_t *dossier_json(const struct online_dossier *d, const struct mc_dt *now, bool papers)
{
	char waiting[64];
	online_waiting_text(d->submitted_at, now, waiting, sizeof waiting);
	json_t *o = json_object();
	json_object_set_new(o, "code", json_string(d->code));
	json_object_set_new(o, "procedure_code", json_string(d->procedure_code ? d->procedure_code : ""));
	json_object_set_new(o, "procedure_name", json_string(d->procedure_name ? d->procedure_name : ""));
	json_object_set_new(o, "unit", json_string(d->unit_code ? d->unit_code : ""));
	json_object_set_new(o, "applicant", json_string(d->applicant_name ? d->applicant_name : ""));
	json_object_set_new(o, "applicant_kind", json_integer(d->applicant_kind));
	json_object_set_new(o, "id_number", str_or_null(d->id_number));
	json_object_set_new(o, "submitted_at", str_or_null(d->submitted_at));
	json_object_set_new(o, "waiting", json_string(waiting));
	json_object_set_new(o, "status", json_integer(d->status));
	json_object_set_new(o, "status_name", json_string(mc_status_name(d->status) ? mc_status_name(d->status) : ""));
	json_object_set_new(o, "supplement_asked_at", str_or_null(d->supplement_at));
	json_object_set_new(o, "supplemented", json_boolean(d->supplemented));
	json_object_set_new(o, "papers", json_integer((json_int_t)d->npapers));
	json_object_set_new(o, "papers_here", json_integer((json_int_t)d->nhere));
	if (!papers)
		return o;
	json_object_set_new(o, "phone", str_or_null(d->phone));
	json_object_set_new(o, "email", str_or_null(d->email));
	json_object_set_new(o, "address", str_or_null(d->address));
	json_t *list = json_array();
	for (size_t i = 0; i < d->npapers; i++) {
		const struct online_paper *p = &d->papers[i];
		json_array_append_new(list, json_pack("{s:i, s:s, s:o, s:I, s:o}", "seq", p->seq, "name",
						      p->name ? p->name : "", "sha256", str_or_null(p->sha256),
						      "bytes", (json_int_t)p->bytes, "path",
						      str_or_null(p->path)));
	}
	json_object_set_new(o, "paper_list", list);
	return o;
}

struct opts {
	const char *db, *user, *code, *papers, *reason;
	bool all_units;
};

static int parse(int argc, char **argv, struct opts *o, bool wants_code)
{
	memset(o, 0, sizeof(*o));
	struct {
		const char *flag;
		const char **slot;
	} flags[] = { { "--db", &o->db }, { "--user", &o->user }, { "--papers", &o->papers },
		      { "--reason", &o->reason } };
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--all-units")) {
			o->all_units = true;
			continue;
		}
		if (a[0] != '-' || !a[1]) {
			if (!wants_code || o->code)
				return cli_bad("thừa tham số «%.40s» (xem: motcua online --help)", a);
			o->code = a;
			continue;
		}
		size_t k = 0, nf = sizeof flags / sizeof flags[0];
		const char *value = NULL;
		int r = 0;
		while (k < nf && !(r = cli_option(argc, argv, &i, flags[k].flag, &value)))
			k++;
		if (k == nf)
			return cli_bad("tùy chọn không hợp lệ cho online %s: %s (xem: motcua online --help)",
				       argv[1], a);
		if (r < 0)
			return cli_bad("tùy chọn %s cần một giá trị", a);
		if (*flags[k].slot)
			return cli_bad("tùy chọn %s được cho hai lần", flags[k].flag);
		*flags[k].slot = value;
	}
	if (wants_code && !o->code)
		return cli_bad("thiếu mã hồ sơ trực tuyến (xem: motcua online list)");
	if (o->db && !*o->db)
		return cli_bad("đường dẫn --db rỗng");
	return CLI_OK;
}

static int open_store(const struct opts *o, struct store *st, unsigned flags)
{
	char *path = cli_db_path(o->db);
	struct strbuf err = STRBUF_INIT;
	int rc = CLI_OK;
	if (store_open(st, path, flags, &err))
		rc = cli_fault("%s", err.buf);
	strbuf_release(&err);
	free(path);
	return rc;
}

static int list(const struct opts *o, const struct mc_dt *now)
{
	struct store st;
	int rc = open_store(o, &st, STORE_READONLY);
	if (rc)
		return rc;
	char *unit = o->all_units ? NULL : store_get_setting(&st, "unit_code");
	struct online_dossier *items;
	size_t n;
	int sqlrc = online_list(&st, unit, &items, &n);
	if (sqlrc != SQLITE_OK) {
		rc = cli_fault("không đọc được hồ sơ trực tuyến: %s", store_errmsg_vn(sqlrc));
	} else {
		for (size_t i = 0; i < n; i++)
			cli_print_json(dossier_json(&items[i], now, false));
		online_list_free(items, n);
	}
	free(unit);
	store_close(&st);
	return rc;
}

static int show(const struct opts *o, const struct mc_dt *now)
{
	struct store st;
	int rc = open_store(o, &st, STORE_READONLY);
	if (rc)
		return rc;
	char *code = cli_upper_code(o->code);
	struct online_dossier d;
	int sqlrc = online_get(&st, code, &d);
	if (sqlrc == SQLITE_ROW) {
		cli_print_json(dossier_json(&d, now, true));
		online_dossier_release(&d);
	} else if (sqlrc == SQLITE_DONE) {
		rc = cli_bad("không có hồ sơ trực tuyến mã «%.40s»", code);
	} else {
		rc = cli_fault("không đọc được hồ sơ: %s", store_errmsg_vn(sqlrc));
	}
	free(code);
	store_close(&st);
	return rc;
}

static int act(const char *what, const struct opts *o, const struct mc_dt *now)
{
	struct store st;
	int rc = open_store(o, &st, STORE_EXCLUSIVE);
	if (rc)
		return rc;
	char *clerk = cli_pick_clerk(&st, o->user);
	struct online_result res;
	struct strbuf err = STRBUF_INIT;
	if (!clerk) {
		rc = cli_bad("chưa rõ cán bộ thực hiện: dùng --user TÊN_ĐĂNG_NHẬP (kho có không hoặc"
			     " nhiều cán bộ)");
	} else {
		int r = !strcmp(what, "accept")	      ? online_accept(&st, o->code, clerk, now, &res, &err)
			: !strcmp(what, "supplement") ? online_supplement(&st, o->code, o->papers, o->reason,
									  clerk, now, &res, &err)
						      : online_refuse(&st, o->code, o->reason, clerk, now,
								      &res, &err);
		if (r == ONLINE_FAULT) {
			rc = cli_fault("%s", err.buf);
		} else if (r) {
			rc = cli_bad("%s", err.buf);
		} else {
			json_t *out = json_pack("{s:s, s:s, s:i, s:s}", "code", res.code, "portal_code",
						res.portal_code, "status", res.status, "status_name",
						mc_status_name(res.status));
			if (!strcmp(what, "accept")) {
				json_object_set_new(out, "received_at", json_string(res.received_at));
				json_object_set_new(out, "appointment", json_string(res.appointment));
				json_object_set_new(out, "code_review", json_boolean(res.code_review));
			}
			cli_print_json(out);
		}
	}
	free(clerk);
	strbuf_release(&err);
	store_close(&st);
	return rc;
}

int cli_online(int argc, char **argv)
{
	if (argc < 2)
		return usage(stderr);
	const char *sub = argv[1];
	if (!strcmp(sub, "--help") || !strcmp(sub, "-h") || !strcmp(sub, "help"))
		return usage(stdout);
	bool is_list = !strcmp(sub, "list");
	bool is_act = !strcmp(sub, "accept") || !strcmp(sub, "supplement") || !strcmp(sub, "refuse");
	if (!is_list && !is_act && strcmp(sub, "show")) {
		fprintf(stderr, "motcua: lệnh online không rõ «%.20s»\n", sub);
		return usage(stderr);
	}
	struct opts o;
	int rc = parse(argc, argv, &o, !is_list);
	if (rc)
		return rc;
	if (!is_list && o.all_units)
		return cli_bad("--all-units chỉ dùng với online list");
	if (strcmp(sub, "supplement") && o.papers)
		return cli_bad("--papers chỉ dùng với online supplement");
	if ((is_list || !strcmp(sub, "show") || !strcmp(sub, "accept")) && o.reason)
		return cli_bad("--reason chỉ dùng với online supplement và online refuse");
	if (!strcmp(sub, "supplement") && !o.papers)
		return cli_bad("Giấy tờ cần bổ sung: online supplement cần --papers \"giấy 1; giấy 2\"");
	if (!strcmp(sub, "refuse") && !o.reason)
		return cli_bad("Lý do từ chối: online refuse cần --reason \"lý do 1; lý do 2\"");
	struct mc_dt now;
	if (clock_now(&now))
		return cli_bad("MOTCUA_NOW «%s» không hợp lệ: cần dạng YYYY-MM-DDTHH:MM",
			       getenv("MOTCUA_NOW"));
	if (is_list)
		return list(&o, &now);
	if (!strcmp(sub, "show"))
		return show(&o, &now);
	return act(sub, &o, &now);
}
