/* SPDX-License-Identifier: GPL-3.0-or-later */
/* motcua receipt CODE --out FILE.pdf [--db PATH]: writes the receipt (form 01)
 * of an existing dossier again, from the store alone: the same form the
 * reception printed. Unknown code: exit 2; unwritable FILE or store fault:
 * exit 1. */
#include "client/cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "client/services/reception.h"
#include "client/store/store.h"
#include "core/xalloc.h"

static int usage(void)
{
	fputs("Cách dùng: motcua receipt MÃ_HỒ_SƠ --out TỆP.pdf [--db ĐƯỜNG_DẪN]\n"
	      "Ghi lại giấy tiếp nhận hồ sơ và hẹn trả kết quả (mẫu 01) của một hồ sơ đã tiếp nhận.\n",
	      stdout);
	return CLI_OK;
}

int cli_receipt(int argc, char **argv)
{
	const char *code = NULL, *out = NULL, *db = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h"))
			return usage();
		if (!strcmp(a, "--out") || !strcmp(a, "--db")) {
			if (++i >= argc)
				return cli_bad("tùy chọn %s cần một giá trị", a);
			*(a[2] == 'o' ? &out : &db) = argv[i];
		} else if (!strncmp(a, "--out=", 6)) {
			out = a + 6;
		} else if (!strncmp(a, "--db=", 5)) {
			db = a + 5;
		} else if (a[0] == '-' && a[1]) {
			return cli_bad("tùy chọn không hợp lệ cho receipt: %s (xem: motcua receipt --help)", a);
		} else if (code) {
			return cli_bad("chỉ nhận một mã hồ sơ (thừa «%s»)", a);
		} else {
			code = a;
		}
	}
	if (!code || !*code)
		return cli_bad("thiếu mã hồ sơ: motcua receipt MÃ_HỒ_SƠ --out TỆP.pdf");
	if (!out || !*out)
		return cli_bad("thiếu --out TỆP.pdf");
	if (db && !*db)
		return cli_bad("đường dẫn --db rỗng");

	/* Codes are stored upper case; accept them typed in lower case. */
	char *upper = cli_upper_code(code);

	struct store st;
	struct strbuf err = STRBUF_INIT;
	int rc = CLI_OK;
	if ((rc = cli_open_store(&st, db, STORE_READONLY, false)) == CLI_OK) {
		int w = reception_write_receipt(&st, upper, out, &err);
		if (w > 0) {
			rc = cli_bad("%s", err.buf);
		} else if (w < 0) {
			rc = cli_fault("không ghi được giấy tiếp nhận %s: %s", out, err.buf);
		} else {
			json_t *o = json_object();
			json_object_set_new(o, "code", json_string(upper));
			json_object_set_new(o, "receipt", json_string(out));
			cli_print_json(o);
		}
		store_close(&st);
	}
	strbuf_release(&err);
	free(upper);
	return rc;
}
