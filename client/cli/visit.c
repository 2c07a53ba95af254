/* SPDX-License-Identifier: GPL-3.0-or-later */
/* motcua refuse --json FILE|- --reason "a; b" [--db PATH] [--user USER]
 * motcua guide  --json FILE|- --papers "a; b" [--db PATH] [--user USER]
 * A counter visit that ends without a received dossier
 * (client/services/visit.h): the reception's JSON (docs/reception.md), the
 * visit recorded, its form (03 or 02) written next to the store; prints
 * {"form": "<pdf path>", "id", "at"}. Bad input: exit 2, nothing written; a
 * store fault: exit 1, nothing written. */
#include "client/cli/cli.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "client/services/visit.h"
#include "client/store/store.h"
#include "core/xalloc.h"

static int usage(enum visit_kind kind)
{
	if (kind == VISIT_REFUSE)
		fputs("Cách dùng: motcua refuse --json TỆP|- --reason \"LÝ_DO; ...\" [--db ĐƯỜNG_DẪN]"
		      " [--user CÁN_BỘ]\n"
		      "Từ chối tiếp nhận hồ sơ tại quầy: ghi lượt tiếp công dân (không cấp mã hồ sơ)\n"
		      "và phiếu từ chối tiếp nhận, giải quyết hồ sơ (mẫu 03). JSON như motcua receive.\n"
		      "In ra {\"form\": \"<tệp PDF>\", \"id\", \"at\"}.\n",
		      stdout);
	else
		fputs("Cách dùng: motcua guide --json TỆP|- --papers \"GIẤY_TỜ; ...\" [--db ĐƯỜNG_DẪN]"
		      " [--user CÁN_BỘ]\n"
		      "Hướng dẫn công dân bổ sung hồ sơ tại quầy: ghi lượt tiếp công dân (không cấp mã\n"
		      "hồ sơ) và phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (mẫu 02). JSON như motcua receive.\n"
		      "In ra {\"form\": \"<tệp PDF>\", \"id\", \"at\"}.\n",
		      stdout);
	return CLI_OK;
}

static int record(const char *db_opt, const char *user, const struct reception_input *in,
		  enum visit_kind kind, const char *items)
{
	struct mc_dt now;
	struct store st;
	int rc = cli_now(&now);
	if (rc || (rc = cli_open_store(&st, db_opt, STORE_EXCLUSIVE, false)))
		return rc;
	char *clerk = cli_pick_clerk(&st, user);
	struct visit_result res;
	struct reception_error err;
	if (!clerk) {
		rc = cli_bad("chưa rõ cán bộ tiếp nhận: dùng --user TÊN_ĐĂNG_NHẬP (kho có không hoặc"
			     " nhiều cán bộ)");
	} else if (visit_record(&st, in, kind, items, clerk, &now, &res, &err)) {
		rc = cli_reception_refused(&err);
	} else {
		struct visit_form f;
		visit_form_prepare(&st, &res, VISIT_FORM_WRITE | VISIT_FORM_PRINT, &f);
		visit_form_write(&f);
		visit_form_print(&f);
		json_t *o = json_object();
		if (!f.written) {
			fprintf(stderr, "motcua: đã ghi lượt tiếp công dân %s nhưng chưa ghi được phiếu: %s\n",
				res.id, f.error ? f.error : "");
			json_object_set_new(o, "form", json_null());
			json_object_set_new(o, "form_error", json_string(f.error ? f.error : ""));
		} else {
			char *abs = realpath(f.path, NULL);
			json_object_set_new(o, "form", json_string(abs ? abs : f.path));
			free(abs);
		}
		json_object_set_new(o, "id", json_string(res.id));
		json_object_set_new(o, "at", json_string(res.at));
		if (f.printer)
			json_object_set_new(o, "printed", json_boolean(f.printed));
		if (f.print_error) {
			fprintf(stderr, "motcua: đã ghi phiếu nhưng chưa in được: %s\n", f.print_error);
			json_object_set_new(o, "print_error", json_string(f.print_error));
		}
		cli_print_json(o);
		visit_form_release(&f);
	}
	free(clerk);
	store_close(&st);
	return rc;
}

static int run(int argc, char **argv, enum visit_kind kind)
{
	const char *items_opt = kind == VISIT_REFUSE ? "--reason" : "--papers";
	const char *json = NULL, *db = NULL, *user = NULL, *items = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **slot = !strcmp(a, "--json")    ? &json
				    : !strcmp(a, "--db")    ? &db
				    : !strcmp(a, "--user")  ? &user
				    : !strcmp(a, items_opt) ? &items
							    : NULL;
		if (!strcmp(a, "--help") || !strcmp(a, "-h"))
			return usage(kind);
		if (!slot)
			return cli_bad("tùy chọn không hợp lệ cho %s: %s (xem: motcua %s --help)", argv[0],
				       a, argv[0]);
		if (++i >= argc)
			return cli_bad("tùy chọn %s cần một giá trị", a);
		*slot = argv[i];
	}
	if (!json)
		return cli_bad("thiếu --json TỆP (hoặc --json - để đọc từ đầu vào chuẩn)");
	if (!items)
		return cli_bad(kind == VISIT_REFUSE
			       ? "thiếu --reason \"LÝ_DO; ...\" (lý do từ chối, ít nhất một)"
			       : "thiếu --papers \"GIẤY_TỜ; ...\" (giấy tờ cần bổ sung, ít nhất một)");
	if (db && !*db)
		return cli_bad("đường dẫn --db rỗng");
	struct reception_input in;
	reception_input_init(&in);
	int rc = cli_read_reception(json, &in);
	if (!rc)
		rc = record(db, user, &in, kind, items);
	reception_input_release(&in);
	return rc;
}

int cli_refuse(int argc, char **argv)
{
	return run(argc, argv, VISIT_REFUSE);
}

int cli_guide(int argc, char **argv)
{
	return run(argc, argv, VISIT_GUIDE);
}
