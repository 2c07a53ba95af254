/* SPDX-License-Identifier: GPL-3.0-or-later */
/* motcua form CODE 02|03|04|05 --out FILE.pdf [--db PATH]: writes one of the
 * standard forms of a dossier from the store (client/print/forms.h): 02 supplement
 * request, 03 refusal, 04 apology with a new date, 05 control slip. A form
 * whose event does not exist (04 for a dossier never apologised for), an
 * unknown code or form: exit 2, nothing written; an unwritable FILE or a
 * store fault: exit 1. Prints {"code", "form", "out"}. */
#include "client/cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "client/print/forms.h"
#include "client/store/store.h"
#include "core/text.h"
#include "core/xalloc.h"

static int usage(void)
{
	fputs("Cách dùng: motcua form MÃ_HỒ_SƠ 02|03|04|05 --out TỆP.pdf [--db ĐƯỜNG_DẪN]\n"
	      "Ghi một biểu mẫu của hồ sơ (docs/forms.md):\n"
	      "  02  Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ\n"
	      "  03  Phiếu từ chối tiếp nhận giải quyết hồ sơ\n"
	      "  04  Phiếu xin lỗi và hẹn lại ngày trả kết quả\n"
	      "  05  Phiếu kiểm soát quá trình giải quyết hồ sơ\n"
	      "(Giấy tiếp nhận, mẫu 01: motcua receipt.)\n",
	      stdout);
	return CLI_OK;
}

/* "02".."05" (or "2".."5") -> 2..5; -1 otherwise. */
static int parse_kind(const char *s)
{
	if (s[0] == '0' && s[1])
		s++;
	if (s[0] >= '2' && s[0] <= '5' && !s[1])
		return s[0] - '0';
	return -1;
}

struct paper {
	int kind;
	const char *out;
};

static int write_form(struct store *st, const char *code, void *arg, struct strbuf *err)
{
	const struct paper *p = arg;
	return form_write(st, code, p->kind, p->out, err);
}

int cli_form(int argc, char **argv)
{
	const char *code = NULL, *kind_text = NULL, *out = NULL, *db = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h"))
			return usage();
		if (!strcmp(a, "--out") || !strcmp(a, "--db")) {
			if (++i >= argc)
				return cli_bad("tùy chọn %s cần một giá trị", a);
			const char **slot = a[2] == 'o' ? &out : &db;
			if (*slot)
				return cli_bad("tùy chọn %s chỉ được dùng một lần", a);
			*slot = argv[i];
		} else if (a[0] == '-' && a[1]) {
			return cli_bad("tùy chọn không hợp lệ cho form: %.40s (xem: motcua form --help)",
				       mc_text_valid(a) ? a : "?");
		} else if (!code) {
			code = a;
		} else if (!kind_text) {
			kind_text = a;
		} else {
			return cli_bad("thừa tham số «%.40s»: motcua form MÃ_HỒ_SƠ MẪU --out TỆP.pdf",
				       mc_text_valid(a) ? a : "?");
		}
	}
	if (!code || !*code)
		return cli_bad("thiếu mã hồ sơ: motcua form MÃ_HỒ_SƠ 02|03|04|05 --out TỆP.pdf");
	if (!kind_text)
		return cli_bad("thiếu số mẫu: 02, 03, 04 hoặc 05");
	int kind = parse_kind(kind_text);
	if (kind < 0)
		return cli_bad("không có mẫu số «%.20s»: chọn 02, 03, 04 hoặc 05 (giấy tiếp nhận,"
			       " mẫu 01: motcua receipt)", mc_text_valid(kind_text) ? kind_text : "?");
	char form[4], what[16];
	snprintf(form, sizeof form, "%02d", kind);
	snprintf(what, sizeof what, "mẫu %s", form);
	struct paper p = { kind, out };
	return cli_write_paper(code, out, db, 0, write_form, &p, what,
			       json_pack("{s:s, s:s}", "form", form, "out", out ? out : ""));
}
