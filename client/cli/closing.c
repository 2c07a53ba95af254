/* SPDX-License-Identifier: GPL-3.0-or-later */
/* motcua closing --date YYYY-MM-DD --out FILE.pdf|FILE.csv [--clerk USER]
 * [--db PATH]: the end-of-day closing report (client/print/closing.h) of the
 * dossiers received on the day, per unit and clerk, with their fees. The
 * file's extension chooses PDF or CSV. Prints {"date", "clerk", "received",
 * "collected", "collected_amount", "exempt", "later", "later_amount",
 * "unrecorded", "out"}. Bad input: exit 2, nothing written; an unwritable
 * FILE or a store fault: exit 1. */
#include "client/cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "client/print/closing.h"
#include "client/store/auth.h"
#include "client/store/store.h"
#include "core/datetime.h"
#include "core/text.h"
#include "core/xalloc.h"

static int usage(void)
{
	fputs("Cách dùng: motcua closing --date YYYY-MM-DD --out TỆP.pdf|TỆP.csv [--clerk CÁN_BỘ]\n"
	      "                      [--db ĐƯỜNG_DẪN]\n"
	      "Báo cáo cuối ngày: số hồ sơ tiếp nhận trong ngày và phí, lệ phí (đã thu, miễn, nộp sau)\n"
	      "theo đơn vị và cán bộ, có dòng tổng cộng; --clerk: chỉ của một cán bộ.\n"
	      "Tệp .pdf: khổ A4 đứng; tệp .csv: UTF-8 (có BOM), dòng tiêu đề, dấu phẩy.\n",
	      stdout);
	return CLI_OK;
}

static void print_result(const struct closing *c, const char *clerk, const char *out)
{
	const struct closing_row *t = &c->total;
	json_t *o = json_object();
	json_object_set_new(o, "date", json_string(c->day));
	json_object_set_new(o, "clerk", clerk ? json_string(clerk) : json_null());
	json_object_set_new(o, "received", json_integer(t->received));
	json_object_set_new(o, "collected", json_integer(t->collected));
	json_object_set_new(o, "collected_amount", json_integer(t->collected_amount));
	json_object_set_new(o, "exempt", json_integer(t->exempt));
	json_object_set_new(o, "later", json_integer(t->later));
	json_object_set_new(o, "later_amount", json_integer(t->later_amount));
	json_object_set_new(o, "unrecorded", json_integer(t->unrecorded));
	json_object_set_new(o, "out", json_string(out));
	cli_print_json(o);
}

static int report(struct store *st, const char *day, const char *clerk, const char *out,
		  bool csv)
{
	if (clerk) {
		struct clerk c;
		if (auth_load_clerk(st, clerk, &c))
			return cli_bad("không có cán bộ «%.40s» trong kho dữ liệu",
				       mc_text_valid(clerk) ? clerk : "?");
		clerk_release(&c);
	}
	struct closing c;
	int rc = fees_closing(st, day, clerk, &c);
	if (rc != SQLITE_OK)
		return cli_fault("không đọc được hồ sơ của ngày %s: %s", day, store_errmsg_vn(rc));
	struct strbuf err = STRBUF_INIT;
	int w;
	if (csv) {
		w = closing_write_csv(&c, out, &err);
	} else {
		char *unit = store_get_setting(st, "unit_code");
		struct form_unit u;
		form_unit_load(st, unit, &u);
		w = closing_write_pdf(&c, &u, out, &err);
		form_unit_release(&u);
		free(unit);
	}
	if (w)
		rc = cli_fault("không ghi được báo cáo cuối ngày: %s", err.buf);
	else
		print_result(&c, clerk, out);
	strbuf_release(&err);
	closing_release(&c);
	return w ? rc : CLI_OK;
}

int cli_closing(int argc, char **argv)
{
	static const char *const names[] = { "--date", "--out", "--clerk", "--db" };
	enum { NOPT = 4 };
	const char *vals[NOPT] = { NULL, NULL, NULL, NULL };
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h"))
			return usage();
		size_t k = 0;
		while (k < NOPT && strcmp(a, names[k]))
			k++;
		if (k == NOPT)
			return cli_bad("tham số không hợp lệ cho closing: %.40s (xem: motcua closing"
				       " --help)", mc_text_valid(a) ? a : "?");
		if (++i >= argc)
			return cli_bad("tùy chọn %s cần một giá trị", a);
		if (vals[k])
			return cli_bad("tùy chọn %s chỉ được dùng một lần", a);
		vals[k] = argv[i];
	}
	const char *day = vals[0], *out = vals[1], *clerk = vals[2], *db = vals[3];
	struct mc_date d;
	if (!day)
		return cli_bad("thiếu --date YYYY-MM-DD (ngày của báo cáo)");
	if (strlen(day) != 10 || mc_parse_date(day, &d))
		return cli_bad("--date phải là một ngày có thật dạng YYYY-MM-DD (gặp «%.20s»)",
			       mc_text_valid(day) ? day : "?");
	bool csv;
	int bad = cli_report_out(out, &csv);
	if (bad)
		return bad;
	if (clerk && !*clerk)
		return cli_bad("--clerk rỗng");
	if (db && !*db)
		return cli_bad("đường dẫn --db rỗng");
	struct store st;
	int rc = cli_open_store(&st, db, 0, true);
	if (rc)
		return rc;
	rc = report(&st, day, clerk, out, csv);
	store_close(&st);
	return rc;
}
