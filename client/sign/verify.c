/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Checking the signatures of a PDF file; see sign.h. */
#include "client/sign/sign.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "client/base/exitcode.h"
#include "client/sign/signutil.h"
/* last: they rename the library functions above (client/base/lazylib.h) */
#include "client/base/lazy_crypto.h"

const char *verify_later_name(enum pdf_later l)
{
	return l == PDF_LATER_NONE ? "none" : l == PDF_LATER_SIGNATURES ? "signatures" : "other";
}

void verify_report_release(struct verify_report *r)
{
	for (size_t i = 0; i < r->n; i++) {
		struct verify_sig *v = &r->sigs[i];
		free(v->field);
		free(v->signer);
		free(v->subject);
		free(v->issuer);
		free(v->serial);
		free(v->not_after);
		free(v->subfilter);
		free(v->digest);
		free(v->reason);
		free(v->location);
		free(v->problem);
	}
	free(r->sigs);
	memset(r, 0, sizeof(*r));
}

static void problem(struct strbuf *p, const char *fmt, const char *arg)
{
	if (p->len)
		strbuf_addstr(p, "; ");
	strbuf_addf(p, fmt, arg ? arg : "");
}

static void iso_utc(const ASN1_TIME *t, char *buf, size_t n)
{
	struct tm tm;
	if (!t || !ASN1_TIME_to_tm(t, &tm)) {
		if (n)
			buf[0] = '\0';
		return;
	}
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Why a chain did not verify, in Vietnamese. */
static const char *trust_reason(int e)
{
	switch (e) {
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
	case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
		return "chứng thư số không do tổ chức chứng thực tin cậy cấp";
	case X509_V_ERR_CERT_HAS_EXPIRED:
		return "chứng thư số đã hết hạn";
	case X509_V_ERR_CERT_NOT_YET_VALID:
		return "chứng thư số chưa có hiệu lực";
	case X509_V_ERR_CERT_SIGNATURE_FAILURE:
		return "chữ ký của tổ chức chứng thực trên chứng thư số không đúng";
	case X509_V_ERR_INVALID_CA:
		return "chứng thư cấp trên không phải của một tổ chức chứng thực";
	default:
		return NULL;
	}
}

static void check_trust(CMS_ContentInfo *cms, X509 *signer, X509_STORE *store, time_t now,
			struct verify_sig *v, struct strbuf *p)
{
	uint32_t ku = X509_get_key_usage(signer);
	if (ku != UINT32_MAX && !(ku & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION))) {
		problem(p, "chứng thư số không dùng để ký%s", NULL);
		return;
	}
	if (!store) {
		problem(p, "chưa có chứng thư gốc tin cậy để kiểm tra người ký (--ca)%s", NULL);
		return;
	}
	STACK_OF(X509) *certs = CMS_get1_certs(cms);
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	if (ctx && X509_STORE_CTX_init(ctx, store, signer, certs)) {
		X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx), now);
		if (X509_verify_cert(ctx) == 1) {
			v->trusted = true;
		} else {
			int e = X509_STORE_CTX_get_error(ctx);
			const char *why = trust_reason(e);
			if (why)
				problem(p, "%s", why);
			else
				problem(p, "không xác minh được chứng thư số (%s)", X509_verify_cert_error_string(e));
		}
	} else {
		problem(p, "không kiểm tra được chứng thư số%s", NULL);
	}
	X509_STORE_CTX_free(ctx);
	sk_X509_pop_free(certs, X509_free);
	ERR_clear_error();
}

static void check_one(const unsigned char *pdf, const struct pdf_sig *ps, X509_STORE *store, time_t now,
		      struct verify_sig *v)
{
	struct strbuf p = STRBUF_INIT;
	CMS_ContentInfo *cms = NULL;
	unsigned char *content = NULL;
	v->field = xstrdup(ps->field);
	v->subfilter = ps->subfilter ? xstrdup(ps->subfilter) : NULL;
	v->reason = ps->reason ? xstrdup(ps->reason) : NULL;
	v->location = ps->location ? xstrdup(ps->location) : NULL;
	memcpy(v->range, ps->range, sizeof(v->range));
	v->covers_whole_file = ps->covers_whole_file;
	v->later = ps->later;
	if (ps->m)
		pdf_date_iso(ps->m, v->signed_at, sizeof(v->signed_at));

	if (ps->doc_timestamp) {
		problem(&p, "đây là dấu thời gian của tài liệu (ETSI.RFC3161), chưa kiểm tra được%s", NULL);
		goto out;
	}
	if (!ps->subfilter || (strcmp(ps->subfilter, "ETSI.CAdES.detached") &&
			       strcmp(ps->subfilter, "adbe.pkcs7.detached"))) {
		problem(&p, "kiểu chữ ký /%s chưa được hỗ trợ", ps->subfilter ? ps->subfilter : "?");
		goto out;
	}
	if (!ps->range_ok)
		problem(&p, "%s", ps->range_problem);
	const unsigned char *der = ps->contents;
	cms = ps->contents_len ? d2i_CMS_ContentInfo(NULL, &der, (long)ps->contents_len) : NULL;
	if (!cms || OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed) {
		problem(&p, "nội dung chữ ký (CMS) không đọc được%s", NULL);
		goto out;
	}
	STACK_OF(CMS_SignerInfo) *sis = CMS_get0_SignerInfos(cms);
	if (sk_CMS_SignerInfo_num(sis) != 1) {
		problem(&p, "chữ ký phải có đúng một người ký%s", NULL);
		goto out;
	}
	CMS_SignerInfo *si = sk_CMS_SignerInfo_value(sis, 0);
	CMS_set1_signers_certs(cms, NULL, 0);
	X509 *signer = NULL;
	X509_ALGOR *dig = NULL;
	CMS_SignerInfo_get0_algs(si, NULL, &signer, &dig, NULL);
	const ASN1_OBJECT *dobj = NULL;
	if (dig)
		X509_ALGOR_get0(&dobj, NULL, NULL, dig);
	int dnid = dobj ? OBJ_obj2nid(dobj) : NID_undef;
	v->digest = xstrdup(dnid != NID_undef ? OBJ_nid2sn(dnid) : "?");
	if (signer) {
		v->signer = signutil_cn(signer);
		v->subject = signutil_name(X509_get_subject_name(signer));
		v->issuer = signutil_name(X509_get_issuer_name(signer));
		BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(signer), NULL);
		char *hex = bn ? BN_bn2hex(bn) : NULL;
		v->serial = xstrdup(hex ? hex : "");
		OPENSSL_free(hex);
		BN_free(bn);
		char na[32];
		iso_utc(X509_get0_notAfter(signer), na, sizeof(na));
		v->not_after = xstrdup(na);
	} else {
		problem(&p, "chữ ký không mang chứng thư số của người ký%s", NULL);
	}
	if (!v->signed_at[0]) {
		int idx = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1);
		ASN1_TYPE *t = idx >= 0 ? X509_ATTRIBUTE_get0_type(CMS_signed_get_attr(si, idx), 0) : NULL;
		if (t && (t->type == V_ASN1_UTCTIME || t->type == V_ASN1_GENERALIZEDTIME))
			iso_utc(t->value.utctime, v->signed_at, sizeof(v->signed_at));
	}
	if (ps->range_ok && signer) {
		size_t a = (size_t)ps->range[1], b = (size_t)ps->range[3];
		content = xmalloc(a + b + 1);
		memcpy(content, pdf, a);
		memcpy(content + a, pdf + ps->range[2], b);
		/* the digest the signer signed, against the file's */
		const EVP_MD *md = dnid != NID_undef ? EVP_get_digestbynid(dnid) : NULL;
		ASN1_OCTET_STRING *want = CMS_signed_get0_data_by_OBJ(si, OBJ_nid2obj(NID_pkcs9_messageDigest),
								      -3, V_ASN1_OCTET_STRING);
		unsigned char got[EVP_MAX_MD_SIZE];
		unsigned int gotlen = 0;
		if (md && want && EVP_Digest(content, a + b, got, &gotlen, md, NULL) &&
		    (gotlen != (unsigned)ASN1_STRING_length(want) ||
		     memcmp(got, ASN1_STRING_get0_data(want), gotlen))) {
			problem(&p, "nội dung đã bị sửa sau khi ký (mã băm không khớp)%s", NULL);
		} else {
			BIO *in = BIO_new_mem_buf(content, (int)(a + b));
			if (CMS_verify(cms, NULL, NULL, in, NULL, CMS_NO_SIGNER_CERT_VERIFY | CMS_BINARY) == 1) {
				v->intact = !p.len;
			} else {
				unsigned long e = ERR_peek_last_error();
				char buf[200];
				ERR_error_string_n(e, buf, sizeof(buf));
				problem(&p, "chữ ký không hợp lệ (%s)", buf);
			}
			BIO_free(in);
		}
		ERR_clear_error();
	}
	if (signer)
		check_trust(cms, signer, store, now, v, &p);
	if (v->later == PDF_LATER_OTHER && ps->range_ok)
		problem(&p, "tệp bị sửa sau khi ký: %s",
			ps->later_detail ? ps->later_detail : "có thay đổi ngoài chữ ký");
out:
	if (!ps->range_ok)
		v->intact = false;
	if (p.len)
		v->problem = strbuf_detach(&p);
	strbuf_release(&p);
	free(content);
	CMS_ContentInfo_free(cms);
	ERR_clear_error();
}

int verify_pdf_buffer(const unsigned char *pdf, size_t len, const char *ca_file, struct verify_report *r,
		      struct strbuf *err)
{
	struct pdfdoc d;
	struct pdf_sig *sigs = NULL;
	size_t n = 0;
	X509_STORE *store = NULL;
	time_t now;
	int rc = MC_EXIT_BADINPUT;
	memset(r, 0, sizeof(*r));
	memset(&d, 0, sizeof(d));
	if (signutil_now(&now, err))
		return MC_EXIT_BADINPUT;
	if (ca_file) {
		store = X509_STORE_new();
		if (!store || !X509_STORE_load_file(store, ca_file)) {
			ERR_clear_error();
			strbuf_addf(err, "không đọc được chứng thư gốc tin cậy trong tệp %s (cần tệp PEM)", ca_file);
			goto out;
		}
	}
	if (pdfdoc_open(&d, pdf, len, signutil_inflate, err))
		goto out;
	if (d.encrypted) {
		strbuf_addstr(err, "tệp PDF được mã hóa (có mật khẩu): chưa kiểm tra được");
		goto out;
	}
	if (pdf_sig_list(&d, &sigs, &n, err))
		goto out;
	r->sigs = xcalloc(n + 1, sizeof(*r->sigs));
	r->n = n;
	r->ok = n > 0;
	for (size_t i = 0; i < n; i++) {
		struct verify_sig *v = &r->sigs[i];
		check_one(pdf, &sigs[i], store, now, v);
		if (!v->intact || !v->trusted || !(v->covers_whole_file || v->later == PDF_LATER_SIGNATURES))
			r->ok = false;
	}
	rc = MC_EXIT_OK;
out:
	pdf_sig_list_free(sigs, n);
	pdfdoc_release(&d);
	X509_STORE_free(store);
	return rc;
}

int verify_pdf_file(const char *path, const char *ca_file, struct verify_report *r, struct strbuf *err)
{
	unsigned char *pdf = NULL;
	size_t len = 0;
	memset(r, 0, sizeof(*r));
	int rc = signutil_read(path, &pdf, &len, err);
	if (!rc)
		rc = verify_pdf_buffer(pdf, len, ca_file, r, err);
	free(pdf);
	return rc;
}

int verify_for_reuse(const char *path, const char *ca_file, struct strbuf *why, struct strbuf *err)
{
	struct verify_report r;
	int rc = verify_pdf_file(path, ca_file, &r, err);
	if (rc)
		return rc;
	strbuf_reset(why);
	if (!r.n)
		strbuf_addstr(why, "tệp không còn chữ ký số nào");
	for (size_t i = 0; i < r.n && !why->len; i++) {
		const struct verify_sig *s = &r.sigs[i];
		const char *who = s->signer ? s->signer : "không rõ người ký";
		if (!s->intact)
			strbuf_addf(why, "chữ ký của %s không còn nguyên vẹn: tệp đã bị sửa sau khi ký", who);
		else if (!s->covers_whole_file && s->later != PDF_LATER_SIGNATURES)
			strbuf_addf(why, "tệp đã bị thêm nội dung sau chữ ký của %s", who);
		else if (ca_file && !s->trusted)
			strbuf_addf(why, "chữ ký của %s không được tin cậy: %s", who,
				    s->problem ? s->problem : "chứng thư không do CA đã cấu hình cấp");
	}
	verify_report_release(&r);
	return MC_EXIT_OK;
}
