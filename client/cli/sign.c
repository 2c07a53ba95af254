/* SPDX-License-Identifier: GPL-3.0-or-later */
/* motcua sign IN.pdf --out OUT.pdf (--pkcs12 FILE | --pkcs11 MODULE
 * [--token LABEL] [--key LABEL]) [--chain CA.pem] [--reason TEXT]
 * [--location TEXT] [--stamp] [--page N] [--rect LLX,LLY,URX,URY]:
 * a PAdES signature added to a PDF (client/sign/sign.h). The password of
 * the .p12 or the token's PIN comes from MOTCUA_PIN, else one line of
 * standard input; it is never stored. Bad input (no such file, not a PDF,
 * wrong PIN, expired certificate): exit 2, nothing written; a disk or token
 * fault: exit 1. */
#include "client/cli/cli.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "client/base/files.h"
#include "client/sign/sign.h"
#include "core/xalloc.h"

static int usage(void)
{
	fputs("Cách dùng: motcua sign TỆP.pdf --out TỆP_ĐÃ_KÝ.pdf\n"
	      "             (--pkcs12 TỆP.p12 | --pkcs11 MÔ_ĐUN.so [--token TÊN_THẺ] [--key TÊN_KHÓA])\n"
	      "             [--chain CA.pem] [--reason LÝ_DO] [--location NƠI_KÝ]\n"
	      "             [--stamp] [--page N] [--rect X1,Y1,X2,Y2]\n"
	      "Ký số tệp PDF (PAdES, SHA-256) bằng khóa trên thẻ ký số (USB token, PKCS#11)\n"
	      "hoặc trong tệp .p12. Mã PIN hoặc mật khẩu lấy từ biến MOTCUA_PIN, nếu không\n"
	      "có thì đọc một dòng từ đầu vào chuẩn; không bao giờ được lưu lại.\n"
	      "  --stamp   hiện dấu chữ ký ở góc dưới bên phải trang (--page N, mặc định trang 1;\n"
	      "            -1 là trang cuối; --rect đặt khung theo điểm, gốc ở góc dưới trái)\n",
	      stdout);
	return CLI_OK;
}

struct opts {
	const char *in, *out, *p12, *module, *token, *key, *chain, *reason, *location;
	struct sign_opts so;
};

static int parse_rect(const char *v, double r[4])
{
	char *end;
	const char *p = v;
	for (int k = 0; k < 4; k++) {
		errno = 0;
		r[k] = strtod(p, &end);
		if (end == p || errno || (k < 3 && *end != ',') || (k == 3 && *end))
			return cli_bad("--rect cần bốn số X1,Y1,X2,Y2 (điểm; nhận «%s»)", v);
		p = end + 1;
	}
	if (r[2] <= r[0] || r[3] <= r[1])
		return cli_bad("--rect: X2 phải lớn hơn X1 và Y2 lớn hơn Y1 (nhận «%s»)", v);
	return CLI_OK;
}

static int parse(int argc, char **argv, struct opts *o)
{
	static const char *const with_value[] = { "--out", "--pkcs12", "--pkcs11", "--token", "--key",
						  "--chain", "--reason", "--location", "--page", "--rect", NULL };
	memset(o, 0, sizeof(*o));
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = NULL;
		int w = cli_options(argc, argv, &i, with_value, SIZE_MAX, &v);
		if (w < 0)
			return CLI_BADINPUT;
		bool takes = with_value[w] != NULL;
		if (takes)
			a = with_value[w];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			return -1;
		} else if (!strcmp(a, "--stamp")) {
			o->so.stamp = true;
		} else if (!takes && a[0] == '-' && a[1]) {
			return cli_bad("tùy chọn không hợp lệ cho sign: %s (xem: motcua sign --help)", a);
		} else if (!takes) {
			if (o->in)
				return cli_bad("chỉ ký một tệp mỗi lần (thừa «%s»)", a);
			o->in = a;
		} else if (!*v) {
			return cli_bad("%s rỗng", a);
		} else if (!strcmp(a, "--out")) {
			o->out = v;
		} else if (!strcmp(a, "--pkcs12")) {
			o->p12 = v;
		} else if (!strcmp(a, "--pkcs11")) {
			o->module = v;
		} else if (!strcmp(a, "--token")) {
			o->token = v;
		} else if (!strcmp(a, "--key")) {
			o->key = v;
		} else if (!strcmp(a, "--chain")) {
			o->chain = v;
		} else if (!strcmp(a, "--reason")) {
			o->so.reason = v;
		} else if (!strcmp(a, "--location")) {
			o->so.location = v;
		} else if (!strcmp(a, "--page")) {
			char *end;
			errno = 0;
			long n = strtol(v, &end, 10);
			if (*end || errno || n < -1 || n == 0 || n > 100000)
				return cli_bad("--page cần số trang từ 1 (hoặc -1: trang cuối), nhận «%s»", v);
			o->so.page = (int)n;
		} else if (!strcmp(a, "--rect")) {
			if (parse_rect(v, o->so.rect))
				return CLI_BADINPUT;
			o->so.stamp = true;
		}
	}
	if (!o->in)
		return cli_bad("thiếu tệp PDF cần ký: motcua sign TỆP.pdf --out TỆP_ĐÃ_KÝ.pdf --pkcs12 TỆP.p12");
	if (!o->out)
		return cli_bad("thiếu --out TỆP_ĐÃ_KÝ.pdf");
	if (!o->p12 == !o->module)
		return cli_bad("cần đúng một khóa: --pkcs12 TỆP.p12 hoặc --pkcs11 MÔ_ĐUN.so");
	if (o->p12 && (o->token || o->key))
		return cli_bad("--token và --key chỉ dùng với --pkcs11");
	return CLI_OK;
}

/* The file to sign is looked at before the PIN is asked. */
static int check_input(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return cli_bad("không mở được tệp %s: %s", path,
			       errno == ENOENT ? "không có tệp này" : files_errno_vn(errno));
	char head[5] = { 0 };
	size_t n = fread(head, 1, sizeof(head), f);
	fclose(f);
	if (n < 5 || memcmp(head, "%PDF-", 5))
		return cli_bad("%s không phải tệp PDF", path);
	return CLI_OK;
}

int cli_sign(int argc, char **argv)
{
	struct opts o;
	int rc = parse(argc, argv, &o);
	if (rc < 0)
		return usage();
	if (rc || (rc = check_input(o.in)))
		return rc;
	struct sign_key key = {
		.kind = o.module ? SIGN_KEY_PKCS11 : SIGN_KEY_PKCS12,
		.file = o.module ? o.module : o.p12,
		.token = o.token,
		.key = o.key,
		.secret = getenv("MOTCUA_PIN"),
		.ask = cli_ask_secret, /* the PIN or password, once the token or file is found */
		.chain = o.chain,
	};
	struct strbuf err = STRBUF_INIT;
	struct signer *s = NULL;
	rc = signer_open(&s, &key, &err);
	if (!rc) {
		struct sign_result res;
		rc = signer_sign_file(s, o.in, o.out, &o.so, &res, &err);
		if (!rc) {
			json_t *j = json_object();
			json_object_set_new(j, "pdf", json_string(o.out));
			json_object_set_new(j, "field", json_string(res.field));
			json_object_set_new(j, "signer", json_string(res.signer));
			json_object_set_new(j, "signed_at", json_string(res.signed_at));
			json_object_set_new(j, "bytes", json_integer((json_int_t)res.bytes));
			json_object_set_new(j, "sha256", json_string(res.sha256));
			cli_print_json(j);
			sign_result_release(&res);
		}
		signer_free(s);
	}
	if (rc)
		cli_say("%s", err.buf);
	strbuf_release(&err);
	return rc;
}
