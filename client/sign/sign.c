/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Signing PDF files; see sign.h. */
#include "client/sign/sign.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/provider.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "client/base/exitcode.h"
#include "client/base/files.h"
#include "client/sign/pkcs11.h"
#include "client/sign/signutil.h"
#include "client/sign/stamp.h"
/* last: they rename the library functions above (client/base/lazylib.h) */
#include "client/base/lazy_crypto.h"

/* Room for the CMS beyond its certificates: the signature (up to RSA 8192),
 * the signed attributes and the structure around them. */
#define CMS_SLACK 3072
/* The stamp's size and its distance from the page's edges, in points. */
#define STAMP_W 180.0
#define STAMP_H 42.0
#define STAMP_MARGIN 28.0

struct signer {
	X509 *cert;
	STACK_OF(X509) *chain;  /* the CA certificates carried in the CMS */
	EVP_PKEY *pkey;         /* PKCS#12: the private key; PKCS#11: the public one */
	struct p11 *token;
	char *name;
};

const char *signer_name(const struct signer *s)
{
	return s->name;
}

void signer_free(struct signer *s)
{
	if (!s)
		return;
	X509_free(s->cert);
	sk_X509_pop_free(s->chain, X509_free);
	EVP_PKEY_free(s->pkey);
	p11_close(s->token);
	free(s->name);
	free(s);
}

void sign_result_release(struct sign_result *r)
{
	free(r->field);
	free(r->signer);
	memset(r, 0, sizeof(*r));
}

/* OpenSSL's last error as text, after what. */
static void ssl_error(struct strbuf *err, const char *what)
{
	unsigned long e = ERR_peek_last_error();
	char buf[256];
	strbuf_addstr(err, what);
	if (e) {
		ERR_error_string_n(e, buf, sizeof(buf));
		strbuf_addf(err, " (%s)", buf);
	}
	ERR_clear_error();
}

/* PKCS#12 files exported by older tools protect the key with RC2 or 3DES,
 * which OpenSSL 3 keeps in its legacy provider: loaded once, when needed,
 * and unloaded at exit. */
static OSSL_PROVIDER *legacy_provider, *default_provider;

static void unload_legacy(void)
{
	OSSL_PROVIDER_unload(legacy_provider);
	OSSL_PROVIDER_unload(default_provider);
}

static void load_legacy(void)
{
	if (legacy_provider)
		return;
	legacy_provider = OSSL_PROVIDER_load(NULL, "legacy");
	if (legacy_provider) {
		default_provider = OSSL_PROVIDER_load(NULL, "default");
		atexit(unload_legacy);
	}
	ERR_clear_error();
}

static int open_pkcs12(struct signer *s, const struct sign_key *k, STACK_OF(X509) **cas,
		       struct strbuf *err)
{
	BIO *b = BIO_new_file(k->file, "rb");
	if (!b) {
		ERR_clear_error();
		strbuf_addf(err, "không mở được tệp khóa %s", k->file);
		return MC_EXIT_BADINPUT;
	}
	PKCS12 *p12 = d2i_PKCS12_bio(b, NULL);
	BIO_free(b);
	if (!p12) {
		ERR_clear_error();
		strbuf_addf(err, "%s không phải tệp PKCS#12 (.p12, .pfx)", k->file);
		return MC_EXIT_BADINPUT;
	}
	char *asked = NULL;
	const char *pass = k->secret;
	if (!pass) {
		char *prompt = xasprintf("Nhập mật khẩu của tệp khóa %s.", k->file);
		pass = asked = k->ask ? k->ask(k->ask_ctx, prompt) : NULL;
		free(prompt);
		if (!pass) {
			PKCS12_free(p12);
			strbuf_addf(err, "thiếu mật khẩu của tệp khóa %s", k->file);
			return MC_EXIT_BADINPUT;
		}
	}
	int rc = MC_EXIT_OK;
	if (!PKCS12_verify_mac(p12, pass, -1)) {
		ERR_clear_error();
		strbuf_addf(err, "mật khẩu của tệp khóa %s không đúng", k->file);
		rc = MC_EXIT_BADINPUT;
	}
	if (!rc && !PKCS12_parse(p12, pass, &s->pkey, &s->cert, cas)) {
		load_legacy();
		ERR_clear_error();
		if (!PKCS12_parse(p12, pass, &s->pkey, &s->cert, cas)) {
			ssl_error(err, "không đọc được khóa trong tệp PKCS#12");
			rc = MC_EXIT_BADINPUT;
		}
	}
	PKCS12_free(p12);
	if (asked) {
		OPENSSL_cleanse(asked, strlen(asked));
		free(asked);
	}
	if (!rc && (!s->pkey || !s->cert)) {
		strbuf_addf(err, "tệp %s không có cả khóa bí mật lẫn chứng thư số", k->file);
		rc = MC_EXIT_BADINPUT;
	}
	return rc;
}

static int open_pkcs11(struct signer *s, const struct sign_key *k, STACK_OF(X509) **cas,
		       struct strbuf *err)
{
	int rc = p11_open(&s->token, k->file, k->token, k->key, k->secret, k->ask, k->ask_ctx, err);
	if (rc)
		return rc;
	size_t len;
	const unsigned char *der = p11_cert(s->token, &len);
	s->cert = d2i_X509(NULL, &der, (long)len);
	if (!s->cert) {
		ERR_clear_error();
		strbuf_addstr(err, "chứng thư số trên thẻ không đọc được (không phải X.509)");
		return MC_EXIT_BADINPUT;
	}
	s->pkey = X509_get_pubkey(s->cert);
	if (!s->pkey) {
		ssl_error(err, "không đọc được khóa công khai của chứng thư số");
		return MC_EXIT_BADINPUT;
	}
	*cas = sk_X509_new_null();
	for (size_t i = 0; i < p11_other_certs(s->token); i++) {
		der = p11_other_cert(s->token, i, &len);
		X509 *x = d2i_X509(NULL, &der, (long)len);
		if (x)
			sk_X509_push(*cas, x);
	}
	ERR_clear_error();
	return MC_EXIT_OK;
}

static int add_pem_file(STACK_OF(X509) *cas, const char *path, struct strbuf *err)
{
	BIO *b = BIO_new_file(path, "r");
	if (!b) {
		ERR_clear_error();
		strbuf_addf(err, "không mở được tệp chứng thư %s", path);
		return MC_EXIT_BADINPUT;
	}
	X509 *x;
	int n = 0;
	while ((x = PEM_read_bio_X509(b, NULL, NULL, NULL))) {
		sk_X509_push(cas, x);
		n++;
	}
	BIO_free(b);
	ERR_clear_error();
	if (!n) {
		strbuf_addf(err, "tệp %s không có chứng thư PEM nào", path);
		return MC_EXIT_BADINPUT;
	}
	return MC_EXIT_OK;
}

/* The chain from the signer up, from the candidates: each certificate's
 * issuer, until a self-signed one or none. */
static STACK_OF(X509) *build_chain(X509 *cert, STACK_OF(X509) *cas)
{
	STACK_OF(X509) *chain = sk_X509_new_null();
	X509 *cur = cert;
	for (int depth = 0; depth < 10; depth++) {
		if (X509_check_issued(cur, cur) == X509_V_OK)
			break;
		X509 *up = NULL;
		for (int i = 0; i < sk_X509_num(cas) && !up; i++) {
			X509 *c = sk_X509_value(cas, i);
			if (X509_check_issued(c, cur) == X509_V_OK && X509_cmp(c, cur))
				up = c;
		}
		if (!up)
			break;
		X509_up_ref(up);
		sk_X509_push(chain, up);
		cur = up;
	}
	return chain;
}

/* A certificate one may sign with now. */
static int check_cert(X509 *cert, struct strbuf *err)
{
	time_t now;
	if (signutil_now(&now, err))
		return MC_EXIT_BADINPUT;
	char when[32];
	if (X509_cmp_time(X509_get0_notAfter(cert), &now) < 0) {
		struct tm tm;
		ASN1_TIME_to_tm(X509_get0_notAfter(cert), &tm);
		strftime(when, sizeof(when), "%d/%m/%Y", &tm);
		strbuf_addf(err, "chứng thư số đã hết hạn ngày %s: không ký được", when);
		return MC_EXIT_BADINPUT;
	}
	if (X509_cmp_time(X509_get0_notBefore(cert), &now) > 0) {
		strbuf_addstr(err, "chứng thư số chưa đến ngày có hiệu lực: không ký được");
		return MC_EXIT_BADINPUT;
	}
	uint32_t ku = X509_get_key_usage(cert);
	if (ku != UINT32_MAX && !(ku & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION))) {
		strbuf_addstr(err, "chứng thư số không dùng để ký (thiếu digitalSignature/nonRepudiation)");
		return MC_EXIT_BADINPUT;
	}
	return MC_EXIT_OK;
}

int signer_open(struct signer **out, const struct sign_key *k, struct strbuf *err)
{
	struct signer *s = xcalloc(1, sizeof(*s));
	STACK_OF(X509) *cas = NULL;
	*out = NULL;
	int rc = k->kind == SIGN_KEY_PKCS11 ? open_pkcs11(s, k, &cas, err) : open_pkcs12(s, k, &cas, err);
	if (!rc && !cas)
		cas = sk_X509_new_null();
	if (!rc && k->chain)
		rc = add_pem_file(cas, k->chain, err);
	if (!rc)
		rc = check_cert(s->cert, err);
	if (!rc) {
		s->chain = build_chain(s->cert, cas);
		s->name = signutil_cn(s->cert);
	}
	sk_X509_pop_free(cas, X509_free);
	if (rc) {
		signer_free(s);
		return rc;
	}
	*out = s;
	return MC_EXIT_OK;
}

/* ---- the CMS ------------------------------------------------------------ */

struct der {
	unsigned char *p;
	int n;
};

static int der_cmp(const void *a, const void *b)
{
	const struct der *x = a, *y = b;
	int c = memcmp(x->p, y->p, (size_t)(x->n < y->n ? x->n : y->n));
	return c ? c : x->n - y->n;
}

/* The signed attributes as they are signed: a DER SET OF, its members in
 * the order DER wants (by their encodings), which is also the order
 * OpenSSL writes them in the SignerInfo. */
static int signed_attrs_der(CMS_SignerInfo *si, struct strbuf *out)
{
	int n = CMS_signed_get_attr_count(si);
	if (n <= 0)
		return -1;
	struct der *v = xcalloc((size_t)n, sizeof(*v));
	size_t total = 0;
	int rc = 0;
	for (int i = 0; i < n; i++) {
		v[i].n = i2d_X509_ATTRIBUTE(CMS_signed_get_attr(si, i), &v[i].p);
		if (v[i].n <= 0)
			rc = -1;
		else
			total += (size_t)v[i].n;
	}
	if (!rc) {
		qsort(v, (size_t)n, sizeof(*v), der_cmp);
		unsigned char head[6];
		size_t h = 0;
		head[h++] = 0x31;
		if (total < 0x80) {
			head[h++] = (unsigned char)total;
		} else if (total < 0x100) {
			head[h++] = 0x81;
			head[h++] = (unsigned char)total;
		} else if (total < 0x10000) {
			head[h++] = 0x82;
			head[h++] = (unsigned char)(total >> 8);
			head[h++] = (unsigned char)total;
		} else {
			rc = -1;
		}
		strbuf_add(out, head, h);
		for (int i = 0; i < n; i++)
			strbuf_add(out, v[i].p, (size_t)v[i].n);
	}
	for (int i = 0; i < n; i++)
		OPENSSL_free(v[i].p);
	free(v);
	return rc;
}

/* A detached CMS SignedData over a SHA-256 digest, PAdES baseline B-B:
 * content-type, message-digest and ESS signing-certificate-v2 signed;
 * no signing-time attribute (the time is the signature dictionary's /M). */
static int build_cms(struct signer *s, const unsigned char digest[32], unsigned char **der, size_t *len,
		     struct strbuf *err)
{
	unsigned int flags = CMS_PARTIAL | CMS_DETACHED | CMS_BINARY;
	CMS_ContentInfo *cms = CMS_sign(NULL, NULL, NULL, NULL, flags);
	struct strbuf tbs = STRBUF_INIT;
	unsigned char *sig = NULL;
	size_t siglen = 0;
	int rc = MC_EXIT_FAULT;
	*der = NULL;
	if (!cms) {
		ssl_error(err, "không tạo được cấu trúc CMS");
		return MC_EXIT_FAULT;
	}
	CMS_SignerInfo *si = CMS_add1_signer(cms, s->cert, s->pkey, EVP_sha256(),
					     flags | CMS_NOSMIMECAP | CMS_CADES);
	if (!si) {
		ssl_error(err, "không thêm được người ký vào CMS");
		goto out;
	}
	for (int i = 0; i < sk_X509_num(s->chain); i++)
		if (CMS_add1_cert(cms, sk_X509_value(s->chain, i)) <= 0)
			ERR_clear_error(); /* already there */
	if (!CMS_signed_add1_attr_by_NID(si, NID_pkcs9_contentType, V_ASN1_OBJECT,
					 OBJ_nid2obj(NID_pkcs7_data), -1) ||
	    !CMS_signed_add1_attr_by_NID(si, NID_pkcs9_messageDigest, V_ASN1_OCTET_STRING, digest, 32)) {
		ssl_error(err, "không thêm được thuộc tính vào CMS");
		goto out;
	}
	if (signed_attrs_der(si, &tbs)) {
		ssl_error(err, "không mã hóa được các thuộc tính được ký");
		goto out;
	}
	if (s->token) {
		if ((rc = p11_sign(s->token, (unsigned char *)tbs.buf, tbs.len, &sig, &siglen, err)))
			goto out;
		rc = MC_EXIT_FAULT;
	} else {
		EVP_MD_CTX *md = EVP_MD_CTX_new();
		if (!md || EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, s->pkey) <= 0 ||
		    EVP_DigestSign(md, NULL, &siglen, (unsigned char *)tbs.buf, tbs.len) <= 0) {
			EVP_MD_CTX_free(md);
			ssl_error(err, "không ký được bằng khóa trong tệp PKCS#12");
			goto out;
		}
		sig = xmalloc(siglen);
		if (EVP_DigestSign(md, sig, &siglen, (unsigned char *)tbs.buf, tbs.len) <= 0) {
			EVP_MD_CTX_free(md);
			ssl_error(err, "không ký được bằng khóa trong tệp PKCS#12");
			goto out;
		}
		EVP_MD_CTX_free(md);
	}
	if (!ASN1_STRING_set(CMS_SignerInfo_get0_signature(si), sig, (int)siglen)) {
		ssl_error(err, "không đặt được chữ ký vào CMS");
		goto out;
	}
	unsigned char *p = NULL;
	int n = i2d_CMS_ContentInfo(cms, &p);
	if (n <= 0) {
		ssl_error(err, "không mã hóa được CMS");
		goto out;
	}
	*der = xmalloc((size_t)n);
	memcpy(*der, p, (size_t)n);
	*len = (size_t)n;
	OPENSSL_free(p);
	rc = MC_EXIT_OK;
out:
	free(sig);
	strbuf_release(&tbs);
	CMS_ContentInfo_free(cms);
	return rc;
}

/* ---- the file ----------------------------------------------------------- */

/* "D:YYYYMMDDHHmmSS+HH'mm'" for t in local time. */
static void pdf_date(time_t t, char *buf, size_t n)
{
	struct tm tm;
	localtime_r(&t, &tm);
	int off = (int)(tm.tm_gmtoff / 60 % (24 * 60));
	char sign = off < 0 ? '-' : '+';
	if (off < 0)
		off = -off;
	snprintf(buf, n, "D:%04d%02d%02d%02d%02d%02d%c%02d'%02d'", (tm.tm_year + 1900) % 10000,
		 (tm.tm_mon + 1) % 100, tm.tm_mday % 100, tm.tm_hour % 100, tm.tm_min % 100, tm.tm_sec % 100,
		 sign, off / 60, off % 60);
}

static size_t certs_size(const struct signer *s)
{
	size_t n = (size_t)i2d_X509(s->cert, NULL);
	for (int i = 0; i < sk_X509_num(s->chain); i++)
		n += (size_t)i2d_X509(sk_X509_value(s->chain, i), NULL);
	return n;
}

int signer_sign_buffer(struct signer *s, const unsigned char *pdf, size_t len, const struct sign_opts *o,
		       unsigned char **signed_pdf, size_t *signed_len, struct sign_result *res,
		       struct strbuf *err)
{
	static const struct sign_opts none;
	struct pdfdoc d;
	struct pdf_sig_layout lay;
	struct strbuf out = STRBUF_INIT;
	struct stamp_image img = { 0 };
	unsigned char *cms = NULL;
	size_t cmslen = 0;
	int rc = MC_EXIT_BADINPUT;
	if (!o)
		o = &none;
	memset(&d, 0, sizeof(d));
	*signed_pdf = NULL;
	*signed_len = 0;
	memset(&lay, 0, sizeof(lay));
	if (pdfdoc_open(&d, pdf, len, signutil_inflate, err))
		goto out;

	time_t now;
	char m[40], iso[32];
	if (signutil_now(&now, err))
		goto out;
	pdf_date(now, m, sizeof(m));
	signutil_iso_local(now, iso, sizeof(iso));

	struct pdfdoc_page pg;
	if (pdfdoc_page(&d, -1, &pg, err))
		goto out;
	int page = o->page == 0 ? 0 : o->page < 0 ? pg.count - 1 : o->page - 1;
	if (page < 0 || page >= pg.count) {
		strbuf_addf(err, "tệp PDF có %d trang, không có trang %d", pg.count, o->page);
		goto out;
	}
	if (pdfdoc_page(&d, page, &pg, err))
		goto out;

	struct pdf_sig_request rq = {
		.page = page,
		.name = s->name,
		.reason = o->reason,
		.location = o->location,
		.m = m,
		.contents_max = certs_size(s) + CMS_SLACK,
	};
	unsigned char id[32];
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	EVP_DigestInit_ex(md, EVP_sha256(), NULL);
	EVP_DigestUpdate(md, pdf, len);
	EVP_DigestUpdate(md, m, strlen(m));
	EVP_DigestFinal_ex(md, id, NULL);
	EVP_MD_CTX_free(md);
	rq.new_id = id;
	if (o->stamp) {
		if (o->rect[2] > o->rect[0] && o->rect[3] > o->rect[1]) {
			memcpy(rq.rect, o->rect, sizeof(rq.rect));
		} else {
			double w = STAMP_W, h = STAMP_H;
			double pw = pg.box[2] - pg.box[0], ph = pg.box[3] - pg.box[1];
			if (w > pw - 2 * STAMP_MARGIN)
				w = pw - 2 * STAMP_MARGIN;
			if (h > ph - 2 * STAMP_MARGIN)
				h = ph - 2 * STAMP_MARGIN;
			/* a blank place, else the bottom right corner */
			if (stamp_place(pdf, len, page, pg.box, pg.rotate, w, h, rq.rect)) {
				rq.rect[0] = pg.box[2] - STAMP_MARGIN - w;
				rq.rect[1] = pg.box[1] + STAMP_MARGIN;
				rq.rect[2] = pg.box[2] - STAMP_MARGIN;
				rq.rect[3] = pg.box[1] + STAMP_MARGIN + h;
			}
		}
		char when[40], *l1 = xasprintf("Ký số bởi: %s", s->name), *l3 = NULL;
		struct tm tm;
		localtime_r(&now, &tm);
		strftime(when, sizeof(when), "Thời gian: %d/%m/%Y %H:%M:%S", &tm);
		const char *lines[3] = { l1, when, NULL };
		size_t nl = 2;
		if (o->reason && *o->reason)
			lines[nl++] = l3 = xasprintf("Lý do: %s", o->reason);
		int sr = stamp_render(lines, nl, rq.rect[2] - rq.rect[0], rq.rect[3] - rq.rect[1], &img, err);
		free(l1);
		free(l3);
		if (sr)
			goto out;
		rq.image = img.data;
		rq.image_len = img.len;
		rq.image_w = img.w;
		rq.image_h = img.h;
		rq.image_components = 3;
		rq.image_flate = true;
	}
	if (pdf_sig_prepare(&d, &rq, &out, &lay, err))
		goto out;

	/* the digest of everything but the placeholder, then the CMS in it */
	unsigned char digest[32];
	md = EVP_MD_CTX_new();
	EVP_DigestInit_ex(md, EVP_sha256(), NULL);
	EVP_DigestUpdate(md, out.buf, (size_t)lay.range[1]);
	EVP_DigestUpdate(md, out.buf + lay.range[2], (size_t)lay.range[3]);
	EVP_DigestFinal_ex(md, digest, NULL);
	EVP_MD_CTX_free(md);
	if ((rc = build_cms(s, digest, &cms, &cmslen, err)))
		goto out;
	rc = MC_EXIT_FAULT;
	if (pdf_sig_fill((unsigned char *)out.buf, out.len, &lay, cms, cmslen, err))
		goto out;

	/* Checked as a reader will check it before it is handed out: a token
	 * that signed with another key, or a mistake here, fails now. */
	struct verify_report vr;
	struct strbuf verr = STRBUF_INIT;
	int vrc = verify_pdf_buffer((unsigned char *)out.buf, out.len, NULL, &vr, &verr);
	if (vrc || vr.n == 0 || !vr.sigs[vr.n - 1].intact || !vr.sigs[vr.n - 1].covers_whole_file) {
		const char *why = verr.len ? verr.buf : vr.n && vr.sigs[vr.n - 1].problem ? vr.sigs[vr.n - 1].problem : "";
		strbuf_addf(err, "chữ ký vừa tạo không kiểm tra lại được%s%s", *why ? ": " : "", why);
		verify_report_release(&vr);
		strbuf_release(&verr);
		goto out;
	}
	verify_report_release(&vr);
	strbuf_release(&verr);

	if (res) {
		memset(res, 0, sizeof(*res));
		res->field = xstrdup(lay.field);
		res->signer = xstrdup(s->name);
		snprintf(res->signed_at, sizeof(res->signed_at), "%s", iso);
		res->bytes = out.len;
		unsigned char h[32];
		EVP_Digest(out.buf, out.len, h, NULL, EVP_sha256(), NULL);
		files_hex(h, 32, res->sha256);
	}
	*signed_len = out.len;
	*signed_pdf = (unsigned char *)strbuf_detach(&out);
	rc = MC_EXIT_OK;
out:
	free(cms);
	stamp_image_release(&img);
	pdf_sig_layout_release(&lay);
	strbuf_release(&out);
	pdfdoc_release(&d);
	return rc;
}

int signer_sign_file(struct signer *s, const char *in, const char *out, const struct sign_opts *o,
		     struct sign_result *res, struct strbuf *err)
{
	unsigned char *pdf = NULL, *signed_pdf = NULL;
	size_t len = 0, signed_len = 0;
	int rc = signutil_read(in, &pdf, &len, err);
	if (!rc)
		rc = signer_sign_buffer(s, pdf, len, o, &signed_pdf, &signed_len, res, err);
	if (!rc && (rc = signutil_write(out, signed_pdf, signed_len, err)) && res)
		sign_result_release(res);
	free(pdf);
	free(signed_pdf);
	return rc;
}

int sign_pdf_file(const char *in, const char *out, const struct sign_key *key, const struct sign_opts *o,
		  struct sign_result *res, struct strbuf *err)
{
	struct signer *s;
	int rc = signer_open(&s, key, err);
	if (rc)
		return rc;
	rc = signer_sign_file(s, in, out, o, res, err);
	signer_free(s);
	return rc;
}
