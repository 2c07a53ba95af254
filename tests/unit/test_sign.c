/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Signing in process (client/sign/sign.h) with a key made here: the CMS is
 * what PAdES baseline B-B asks (detached, SHA-256, content-type,
 * message-digest and ESS signing-certificate-v2 signed, no signing-time,
 * the certificate carried), verify_pdf_buffer agrees with pdfsig, the
 * password is asked only when none is given, a file changed after
 * signing is caught. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <openssl/cms.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include "client/base/exitcode.h"
#include "client/sign/sign.h"
#include "core/xalloc.h"

#ifdef __SANITIZE_ADDRESS__
/* fontconfig leaks while it parses its configuration (the stamp is drawn
 * with pango); client/print/pdf.c says the same for the program. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}
#endif

static char dir[] = "/tmp/motcua-sign-XXXXXX";
static char *p12_path, *ca_path, *pdf_path;

static cairo_status_t collect(void *closure, const unsigned char *data, unsigned int len)
{
	strbuf_add(closure, data, len);
	return CAIRO_STATUS_SUCCESS;
}

static int setup(void **state)
{
	assert_non_null(mkdtemp(dir));
	p12_path = xasprintf("%s/key.p12", dir);
	ca_path = xasprintf("%s/cert.pem", dir);
	pdf_path = xasprintf("%s/paper.pdf", dir);
	/* a self-signed ECDSA certificate, its own trust anchor */
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	X509 *x = X509_new();
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 7);
	X509_gmtime_adj(X509_getm_notBefore(x), -3600);
	X509_gmtime_adj(X509_getm_notAfter(x), 30L * 86400);
	X509_NAME *n = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_UTF8, (const unsigned char *)"Trần Thị Bình", -1, -1, 0);
	X509_set_issuer_name(x, n);
	X509_set_pubkey(x, k);
	X509_sign(x, k, EVP_sha256());
	PKCS12 *p = PKCS12_create("mật khẩu", NULL, k, x, NULL, 0, 0, 0, 0, 0);
	FILE *f = fopen(p12_path, "wb");
	i2d_PKCS12_fp(f, p);
	fclose(f);
	f = fopen(ca_path, "w");
	PEM_write_X509(f, x);
	fclose(f);
	PKCS12_free(p);
	X509_free(x);
	EVP_PKEY_free(k);
	/* a two-page PDF from cairo */
	struct strbuf pdf = STRBUF_INIT;
	cairo_surface_t *s = cairo_pdf_surface_create_for_stream(collect, &pdf, 595, 842);
	cairo_t *cr = cairo_create(s);
	cairo_move_to(cr, 72, 72);
	cairo_show_text(cr, "page one");
	cairo_show_page(cr);
	cairo_show_text(cr, "page two");
	cairo_destroy(cr);
	cairo_surface_destroy(s);
	f = fopen(pdf_path, "wb");
	fwrite(pdf.buf, 1, pdf.len, f);
	fclose(f);
	strbuf_release(&pdf);
	return 0;
}

static int teardown(void **state)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(p12_path);
	free(ca_path);
	free(pdf_path);
	return 0;
}

static int asked;

static char *ask(void *ctx, const char *prompt)
{
	asked++;
	assert_non_null(strstr(prompt, "key.p12"));
	return xstrdup(ctx);
}

static void open_signer(struct signer **s)
{
	struct sign_key key = { .kind = SIGN_KEY_PKCS12, .file = p12_path, .secret = "mật khẩu" };
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(signer_open(s, &key, &err), MC_EXIT_OK);
	strbuf_release(&err);
}

static void test_cms(void **state)
{
	struct signer *s;
	struct strbuf err = STRBUF_INIT;
	open_signer(&s);
	assert_string_equal(signer_name(s), "Trần Thị Bình");
	unsigned char *pdf, *out;
	size_t len, outlen;
	FILE *f = fopen(pdf_path, "rb");
	fseek(f, 0, SEEK_END);
	len = (size_t)ftell(f);
	rewind(f);
	pdf = xmalloc(len);
	assert_int_equal(fread(pdf, 1, len, f), len);
	fclose(f);
	struct sign_opts o = { .reason = "Bản sao điện tử", .page = -1 };
	struct sign_result res;
	assert_int_equal(signer_sign_buffer(s, pdf, len, &o, &out, &outlen, &res, &err), MC_EXIT_OK);
	assert_string_equal(res.field, "Signature1");
	assert_int_equal(res.bytes, outlen);
	assert_memory_equal(out, pdf, len);

	/* the CMS in /Contents */
	struct pdfdoc d;
	struct pdf_sig *sigs;
	size_t n;
	assert_int_equal(pdfdoc_open(&d, out, outlen, NULL, &err), 0);
	assert_int_equal(pdf_sig_list(&d, &sigs, &n, &err), 0);
	assert_int_equal(n, 1);
	const unsigned char *p = sigs[0].contents;
	CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &p, (long)sigs[0].contents_len);
	assert_non_null(cms);
	assert_int_equal(OBJ_obj2nid(CMS_get0_type(cms)), NID_pkcs7_signed);
	assert_true(CMS_is_detached(cms));
	CMS_SignerInfo *si = sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms), 0);
	assert_true(CMS_signed_get_attr_by_NID(si, NID_pkcs9_contentType, -1) >= 0);
	assert_true(CMS_signed_get_attr_by_NID(si, NID_pkcs9_messageDigest, -1) >= 0);
	assert_true(CMS_signed_get_attr_by_NID(si, NID_id_smime_aa_signingCertificateV2, -1) >= 0);
	assert_true(CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1) < 0);
	X509_ALGOR *dig;
	CMS_SignerInfo_get0_algs(si, NULL, NULL, &dig, NULL);
	const ASN1_OBJECT *obj;
	X509_ALGOR_get0(&obj, NULL, NULL, dig);
	assert_int_equal(OBJ_obj2nid(obj), NID_sha256);
	STACK_OF(X509) *certs = CMS_get1_certs(cms);
	assert_int_equal(sk_X509_num(certs), 1);
	sk_X509_pop_free(certs, X509_free);
	CMS_ContentInfo_free(cms);
	/* the field is on the last page */
	struct pdf_obj w = PDF_OBJ_INIT;
	struct pdfdoc_page pg;
	assert_int_equal(pdfdoc_page(&d, 1, &pg, &err), 0);
	assert_int_equal(pdfdoc_get(&d, sigs[0].obj + 1, NULL, &w, NULL, &err), 0);
	assert_int_equal(pdf_dict_get(&w, "P")->i, pg.num);
	pdf_obj_release(&w);
	pdf_sig_list_free(sigs, n);
	pdfdoc_release(&d);

	/* checked here and by poppler */
	struct verify_report r;
	assert_int_equal(verify_pdf_buffer(out, outlen, ca_path, &r, &err), MC_EXIT_OK);
	assert_true(r.ok);
	assert_int_equal(r.n, 1);
	assert_true(r.sigs[0].intact && r.sigs[0].trusted && r.sigs[0].covers_whole_file);
	assert_string_equal(r.sigs[0].signer, "Trần Thị Bình");
	assert_string_equal(r.sigs[0].reason, "Bản sao điện tử");
	assert_string_equal(r.sigs[0].signed_at, res.signed_at);
	assert_string_equal(r.sigs[0].serial, "07");
	assert_null(r.sigs[0].problem);
	verify_report_release(&r);
	char *signed_path = xasprintf("%s/signed.pdf", dir);
	f = fopen(signed_path, "wb");
	fwrite(out, 1, outlen, f);
	fclose(f);
	char *cmd = xasprintf("pdfsig -nocert '%s' 2>&1", signed_path);
	FILE *pp = popen(cmd, "r");
	char line[512];
	int valid = 0, total = 0;
	while (fgets(line, sizeof(line), pp)) {
		valid += strstr(line, "Signature Validation: Signature is Valid.") != NULL;
		total += strstr(line, "Total document signed") != NULL;
	}
	pclose(pp);
	assert_int_equal(valid, 1);
	assert_int_equal(total, 1);
	free(cmd);
	free(signed_path);

	/* one byte changed in the signed range */
	out[len / 2] ^= 1;
	assert_int_equal(verify_pdf_buffer(out, outlen, ca_path, &r, &err), MC_EXIT_OK);
	assert_false(r.ok);
	assert_false(r.sigs[0].intact);
	assert_non_null(strstr(r.sigs[0].problem, "nội dung đã bị sửa sau khi ký"));
	verify_report_release(&r);
	/* no trust anchor given: intact, not trusted */
	out[len / 2] ^= 1;
	assert_int_equal(verify_pdf_buffer(out, outlen, NULL, &r, &err), MC_EXIT_OK);
	assert_true(r.sigs[0].intact);
	assert_false(r.sigs[0].trusted);
	assert_false(r.ok);
	verify_report_release(&r);

	sign_result_release(&res);
	free(out);
	free(pdf);
	signer_free(s);
	strbuf_release(&err);
}

static void test_ask(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct signer *s = NULL;
	struct sign_key key = { .kind = SIGN_KEY_PKCS12, .file = p12_path, .ask = ask, .ask_ctx = "sai" };
	asked = 0;
	assert_int_equal(signer_open(&s, &key, &err), MC_EXIT_BADINPUT);
	assert_null(s);
	assert_int_equal(asked, 1);
	assert_non_null(strstr(err.buf, "không đúng"));
	key.ask_ctx = "mật khẩu";
	asked = 0;
	assert_int_equal(signer_open(&s, &key, &err), MC_EXIT_OK);
	assert_int_equal(asked, 1);
	/* the file signed twice through the file API: both signatures hold */
	char *once = xasprintf("%s/once.pdf", dir), *twice = xasprintf("%s/twice.pdf", dir);
	struct sign_opts stamp = { .stamp = true };
	assert_int_equal(signer_sign_file(s, pdf_path, once, NULL, NULL, &err), MC_EXIT_OK);
	assert_int_equal(signer_sign_file(s, once, twice, &stamp, NULL, &err), MC_EXIT_OK);
	struct verify_report r;
	assert_int_equal(verify_pdf_file(twice, ca_path, &r, &err), MC_EXIT_OK);
	assert_int_equal(r.n, 2);
	assert_true(r.ok);
	assert_false(r.sigs[0].covers_whole_file);
	assert_int_equal(r.sigs[0].later, PDF_LATER_SIGNATURES);
	assert_true(r.sigs[1].covers_whole_file);
	verify_report_release(&r);
	/* not there, not a PDF */
	strbuf_reset(&err);
	assert_int_equal(verify_pdf_file(p12_path, NULL, &r, &err), MC_EXIT_BADINPUT);
	assert_non_null(strstr(err.buf, "không phải tệp PDF"));
	strbuf_reset(&err);
	char *none = xasprintf("%s/none.pdf", dir);
	assert_int_equal(signer_sign_file(s, none, twice, NULL, NULL, &err), MC_EXIT_BADINPUT);
	free(none);
	free(once);
	free(twice);
	signer_free(s);
	strbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cms),
		cmocka_unit_test(test_ask),
	};
	return cmocka_run_group_tests_name("sign", tests, setup, teardown);
}
