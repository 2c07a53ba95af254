/* SPDX-License-Identifier: GPL-3.0-or-later */
/* motcua verify FILE.pdf [--ca CA.pem]: every signature of a PDF checked
 * (client/sign/sign.h), as JSON: for each, the signer, the signing time,
 * whether it is intact, covers the whole file, and chains to a CA of
 * CA.pem (else $MOTCUA_CA). Exit 0 only when there are signatures and each
 * is intact, trusted and covers the file (or is followed by signatures
 * only); 1 otherwise; 2 for bad input (no such file, not a PDF). */
#include "client/cli/cli.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "client/sign/sign.h"
#include "core/xalloc.h"

static int usage(void)
{
	fputs("Cách dùng: motcua verify TỆP.pdf [--ca CA.pem]\n"
	      "Kiểm tra các chữ ký số trong tệp PDF: còn nguyên vẹn, phủ cả tệp, do tổ chức\n"
	      "chứng thực tin cậy (chứng thư gốc trong CA.pem, hoặc biến MOTCUA_CA) cấp.\n"
	      "Thoát 0 khi mọi chữ ký đều hợp lệ, 1 khi không, 2 khi tệp không dùng được.\n",
	      stdout);
	return CLI_OK;
}

static void set_str(json_t *o, const char *k, const char *v)
{
	if (v && *v)
		json_object_set_new(o, k, json_string(v));
}

int cli_verify(int argc, char **argv)
{
	const char *path = NULL, *ca = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h"))
			return usage();
		if (!strcmp(a, "--ca")) {
			if (++i >= argc)
				return cli_bad("tùy chọn --ca cần một giá trị");
			ca = argv[i];
		} else if (!strncmp(a, "--ca=", 5)) {
			ca = a + 5;
		} else if (a[0] == '-' && a[1]) {
			return cli_bad("tùy chọn không hợp lệ cho verify: %s (xem: motcua verify --help)", a);
		} else if (path) {
			return cli_bad("chỉ kiểm tra một tệp mỗi lần (thừa «%s»)", a);
		} else {
			path = a;
		}
	}
	if (!path)
		return cli_bad("thiếu tệp PDF cần kiểm tra: motcua verify TỆP.pdf [--ca CA.pem]");
	if (!ca || !*ca)
		ca = getenv("MOTCUA_CA");
	if (ca && !*ca)
		ca = NULL;
	struct verify_report r;
	struct strbuf err = STRBUF_INIT;
	int rc = verify_pdf_file(path, ca, &r, &err);
	if (rc) {
		rc = rc == CLI_BADINPUT ? cli_bad("%s", err.buf) : cli_fault("%s", err.buf);
		strbuf_release(&err);
		return rc;
	}
	json_t *o = json_object(), *list = json_array();
	json_object_set_new(o, "file", json_string(path));
	json_object_set_new(o, "valid", json_boolean(r.ok));
	for (size_t i = 0; i < r.n; i++) {
		const struct verify_sig *v = &r.sigs[i];
		json_t *s = json_object();
		set_str(s, "field", v->field);
		json_object_set_new(s, "signer", v->signer ? json_string(v->signer) : json_null());
		json_object_set_new(s, "signed_at", v->signed_at[0] ? json_string(v->signed_at) : json_null());
		json_object_set_new(s, "intact", json_boolean(v->intact));
		json_object_set_new(s, "covers_whole_file", json_boolean(v->covers_whole_file));
		json_object_set_new(s, "later_changes", json_string(verify_later_name(v->later)));
		json_object_set_new(s, "trusted", json_boolean(v->trusted));
		set_str(s, "subfilter", v->subfilter);
		set_str(s, "digest", v->digest);
		set_str(s, "subject", v->subject);
		set_str(s, "issuer", v->issuer);
		set_str(s, "serial", v->serial);
		set_str(s, "not_after", v->not_after);
		set_str(s, "reason", v->reason);
		set_str(s, "location", v->location);
		json_t *br = json_array();
		for (int k = 0; k < 4; k++)
			json_array_append_new(br, json_integer(v->range[k]));
		json_object_set_new(s, "byte_range", br);
		set_str(s, "problem", v->problem);
		json_array_append_new(list, s);
	}
	json_object_set_new(o, "signatures", list);
	cli_print_json(o);
	if (r.n == 0)
		fputs("motcua: tệp không có chữ ký số nào\n", stderr);
	rc = r.ok ? CLI_OK : 1;
	verify_report_release(&r);
	strbuf_release(&err);
	return rc;
}
