/* SPDX-License-Identifier: GPL-3.0-or-later */
/* motcua ledger --from DATE [--to DATE] --out FILE.pdf|FILE.csv [--unit CODE]
 * [--db PATH]: the ledger (sổ theo dõi hồ sơ, form 06) of the dossiers
 * received in a day, a month or a year (DATE: YYYY-MM-DD, YYYY-MM or YYYY;
 * --to defaults to --from's own period), numbered through the year
 * (client/print/ledger.h). The file's extension chooses PDF (A4 landscape) or CSV.
 * Prints {"unit", "year", "from", "to", "count", "first", "last", "out"}
 * (first and last: the ledger numbers, null when empty). Bad input: exit 2,
 * nothing written; an unwritable FILE or a store fault: exit 1. */
#include "client/cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "client/print/ledger.h"
#include "client/store/store.h"
#include "core/text.h"
#include "core/xalloc.h"

static int usage(void)
{
	fputs("Cách dùng: motcua ledger --from NGÀY [--to NGÀY] --out TỆP.pdf|TỆP.csv\n"
	      "                     [--unit MÃ_ĐƠN_VỊ] [--db ĐƯỜNG_DẪN]\n"
	      "Sổ theo dõi hồ sơ (mẫu 06) các hồ sơ tiếp nhận trong một ngày, một tháng hoặc một năm.\n"
	      "NGÀY: YYYY-MM-DD, YYYY-MM hoặc YYYY; thiếu --to: hết ngày, tháng, năm của --from.\n"
	      "Tệp .pdf: khổ A4 ngang; tệp .csv: UTF-8 (có BOM), dấu phẩy, mọi ô trong ngoặc kép.\n",
	      stdout);
	return CLI_OK;
}

static void print_result(const struct ledger *lg, const char *out)
{
	json_t *o = json_object();
	json_object_set_new(o, "unit", json_string(lg->unit_code));
	json_object_set_new(o, "year", json_integer(lg->year));
	json_object_set_new(o, "from", json_string(lg->from));
	json_object_set_new(o, "to", json_string(lg->to));
	json_object_set_new(o, "count", json_integer((json_int_t)lg->n));
	json_object_set_new(o, "first", lg->n ? json_integer(lg->rows[0].no) : json_null());
	json_object_set_new(o, "last", lg->n ? json_integer(lg->rows[lg->n - 1].no) : json_null());
	json_object_set_new(o, "out", json_string(out));
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	puts(s);
	free(s);
	json_decref(o);
}

int cli_ledger(int argc, char **argv)
{
	static const char *const names[] = { "--from", "--to", "--out", "--unit", "--db" };
	const char *vals[5] = { NULL, NULL, NULL, NULL, NULL };
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h"))
			return usage();
		size_t k = 0;
		while (k < 5 && strcmp(a, names[k]))
			k++;
		if (k == 5)
			return cli_bad("tham số không hợp lệ cho ledger: %.40s (xem: motcua ledger --help)",
				       mc_text_valid(a) ? a : "?");
		if (++i >= argc)
			return cli_bad("tùy chọn %s cần một giá trị", a);
		if (vals[k])
			return cli_bad("tùy chọn %s chỉ được dùng một lần", a);
		vals[k] = argv[i];
	}
	const char *from = vals[0], *to = vals[1], *out = vals[2], *unit = vals[3], *db = vals[4];
	bool csv;
	int bad = cli_report_out(out, &csv);
	if (bad)
		return bad;
	if (db && !*db)
		return cli_bad("đường dẫn --db rỗng");
	struct strbuf err = STRBUF_INIT;
	char f[11], t[11];
	if (ledger_parse_range(from, to, f, t, &err)) {
		int rc = cli_bad("%s", err.buf);
		strbuf_release(&err);
		return rc;
	}

	char *path = cli_db_path(db);
	struct store st;
	int rc = CLI_OK;
	if (store_open(&st, path, 0, &err)) {
		rc = cli_fault("%s", err.buf);
	} else {
		struct ledger lg;
		int r = ledger_load(&st, unit, from, to, &lg, &err);
		if (r > 0) {
			rc = cli_bad("%s", err.buf);
		} else if (r < 0) {
			rc = cli_fault("%s", err.buf);
		} else {
			if ((csv ? ledger_write_csv : ledger_write_pdf)(&lg, out, &err))
				rc = cli_fault("không ghi được sổ theo dõi hồ sơ: %s", err.buf);
			else
				print_result(&lg, out);
			ledger_release(&lg);
		}
		store_close(&st);
	}
	strbuf_release(&err);
	free(path);
	return rc;
}
