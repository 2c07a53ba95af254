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

static int write_receipt(struct store *st, const char *code, void *out, struct strbuf *err)
{
	return reception_write_receipt(st, code, out, err);
}

int cli_receipt(int argc, char **argv)
{
	static const char *const names[] = { "--out", "--db" };
	const char *code = NULL, *out = NULL, *db = NULL;
	const char **slots[] = { &out, &db };
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = NULL;
		if (!strcmp(a, "--help") || !strcmp(a, "-h"))
			return usage();
		int k = cli_options(argc, argv, &i, names, 2, &v);
		if (k < 0) {
			return CLI_BADINPUT;
		} else if (k < 2) {
			*slots[k] = v;
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
	char *what = xasprintf("giấy tiếp nhận %s", out ? out : "");
	int rc = cli_write_paper(code, out, db, STORE_READONLY, write_receipt, (void *)out, what,
				 json_pack("{s:s}", "receipt", out ? out : ""));
	free(what);
	return rc;
}
