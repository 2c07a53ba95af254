/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A signing key on a PKCS#11 token; see pkcs11.h. */
#include "client/sign/pkcs11.h"

#include <dlfcn.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <p11-kit/pkcs11.h>

#include "client/base/exitcode.h"
/* last: they rename the library functions above (client/base/lazylib.h) */
#include "client/base/lazy_crypto.h"

struct der {
	unsigned char *p;
	size_t n;
};

struct p11 {
	void *lib;
	CK_FUNCTION_LIST *f;
	bool initialized;   /* by us: C_Finalize at close */
	CK_SESSION_HANDLE session;
	bool open, logged_in;
	CK_OBJECT_HANDLE key;
	CK_KEY_TYPE key_type;
	bool always_auth;
	char *pin;          /* kept only for a key that asks for it at every signature */
	struct der cert;
	struct der *others;
	size_t nothers;
};

static const char *rv_name(CK_RV rv)
{
	switch (rv) {
	case CKR_PIN_INCORRECT: return "CKR_PIN_INCORRECT";
	case CKR_PIN_LOCKED: return "CKR_PIN_LOCKED";
	case CKR_PIN_LEN_RANGE: return "CKR_PIN_LEN_RANGE";
	case CKR_PIN_EXPIRED: return "CKR_PIN_EXPIRED";
	case CKR_TOKEN_NOT_PRESENT: return "CKR_TOKEN_NOT_PRESENT";
	case CKR_DEVICE_REMOVED: return "CKR_DEVICE_REMOVED";
	case CKR_DEVICE_ERROR: return "CKR_DEVICE_ERROR";
	case CKR_MECHANISM_INVALID: return "CKR_MECHANISM_INVALID";
	case CKR_KEY_TYPE_INCONSISTENT: return "CKR_KEY_TYPE_INCONSISTENT";
	case CKR_USER_NOT_LOGGED_IN: return "CKR_USER_NOT_LOGGED_IN";
	case CKR_FUNCTION_FAILED: return "CKR_FUNCTION_FAILED";
	case CKR_GENERAL_ERROR: return "CKR_GENERAL_ERROR";
	default: return NULL;
	}
}

static int token_fault(struct strbuf *err, const char *what, CK_RV rv)
{
	const char *name = rv_name(rv);
	if (name)
		strbuf_addf(err, "thẻ ký số báo lỗi khi %s (%s)", what, name);
	else
		strbuf_addf(err, "thẻ ký số báo lỗi khi %s (mã 0x%lx)", what, (unsigned long)rv);
	return rv == CKR_TOKEN_NOT_PRESENT || rv == CKR_DEVICE_REMOVED ? MC_EXIT_BADINPUT : MC_EXIT_FAULT;
}

/* A fixed-width, blank-padded PKCS#11 label as a C string. */
static void label_of(const unsigned char *l, size_t n, char *out)
{
	while (n > 0 && (l[n - 1] == ' ' || l[n - 1] == '\0'))
		n--;
	memcpy(out, l, n);
	out[n] = '\0';
}

/* An attribute's value, malloc'd (NULL when the object has none). */
static unsigned char *get_attr(struct p11 *t, CK_OBJECT_HANDLE o, CK_ATTRIBUTE_TYPE type, size_t *len)
{
	CK_ATTRIBUTE a = { type, NULL, 0 };
	if (t->f->C_GetAttributeValue(t->session, o, &a, 1) != CKR_OK ||
	    a.ulValueLen == (CK_ULONG)-1)
		return NULL;
	unsigned char *v = xmalloc(a.ulValueLen + 1);
	a.pValue = v;
	if (t->f->C_GetAttributeValue(t->session, o, &a, 1) != CKR_OK) {
		free(v);
		return NULL;
	}
	v[a.ulValueLen] = '\0';
	*len = a.ulValueLen;
	return v;
}

/* Objects matching tmpl: up to max handles into found. */
static CK_RV find(struct p11 *t, CK_ATTRIBUTE *tmpl, CK_ULONG n, CK_OBJECT_HANDLE *found, CK_ULONG max,
		  CK_ULONG *nfound)
{
	CK_RV rv = t->f->C_FindObjectsInit(t->session, tmpl, n);
	*nfound = 0;
	if (rv != CKR_OK)
		return rv;
	rv = t->f->C_FindObjects(t->session, found, max, nfound);
	t->f->C_FindObjectsFinal(t->session);
	return rv;
}

static int pick_slot(struct p11 *t, const char *token, CK_SLOT_ID *slot, char label_out[33],
		     struct strbuf *err)
{
	CK_ULONG n = 0;
	CK_RV rv = t->f->C_GetSlotList(CK_TRUE, NULL, &n);
	if (rv != CKR_OK)
		return token_fault(err, "liệt kê khe cắm", rv);
	CK_SLOT_ID *slots = xcalloc(n + 1, sizeof(*slots));
	rv = t->f->C_GetSlotList(CK_TRUE, slots, &n);
	if (rv != CKR_OK) {
		free(slots);
		return token_fault(err, "liệt kê khe cắm", rv);
	}
	struct strbuf seen = STRBUF_INIT;
	int matches = 0;
	for (CK_ULONG i = 0; i < n; i++) {
		CK_TOKEN_INFO info;
		char label[33];
		/* a blank token (SoftHSM2 always offers one) cannot hold a key */
		if (t->f->C_GetTokenInfo(slots[i], &info) != CKR_OK ||
		    !(info.flags & CKF_TOKEN_INITIALIZED))
			continue;
		label_of(info.label, sizeof(info.label), label);
		strbuf_addf(&seen, "%s«%s»", seen.len ? ", " : "", label);
		if (!token || !strcmp(label, token)) {
			if (matches++ == 0) {
				*slot = slots[i];
				memcpy(label_out, label, sizeof(label));
			}
		}
	}
	free(slots);
	int rc = MC_EXIT_OK;
	if (!seen.len) {
		strbuf_addstr(err, "không thấy thẻ ký số nào: hãy cắm thẻ (USB token) vào máy");
		rc = MC_EXIT_BADINPUT;
	} else if (matches == 0) {
		strbuf_addf(err, "không có thẻ ký số tên «%s»; các thẻ đang cắm: %s", token, seen.buf);
		rc = MC_EXIT_BADINPUT;
	} else if (matches > 1) {
		strbuf_addf(err, "có nhiều thẻ ký số (%s): chọn một bằng --token", seen.buf);
		rc = MC_EXIT_BADINPUT;
	}
	strbuf_release(&seen);
	return rc;
}

static int login(struct p11 *t, CK_SLOT_ID slot, const char *pin, struct strbuf *err)
{
	CK_RV rv = t->f->C_Login(t->session, CKU_USER, (CK_UTF8CHAR *)pin, (CK_ULONG)strlen(pin));
	if (rv == CKR_OK || rv == CKR_USER_ALREADY_LOGGED_IN) {
		t->logged_in = rv == CKR_OK;
		return MC_EXIT_OK;
	}
	if (rv == CKR_PIN_INCORRECT || rv == CKR_PIN_LEN_RANGE) {
		CK_TOKEN_INFO info;
		strbuf_addstr(err, "mã PIN của thẻ ký số không đúng");
		if (t->f->C_GetTokenInfo(slot, &info) == CKR_OK) {
			if (info.flags & CKF_USER_PIN_FINAL_TRY)
				strbuf_addstr(err, "; chỉ còn một lần thử trước khi thẻ bị khóa");
			else if (info.flags & CKF_USER_PIN_COUNT_LOW)
				strbuf_addstr(err, "; thẻ sắp bị khóa nếu nhập sai nữa");
		}
		return MC_EXIT_BADINPUT;
	}
	if (rv == CKR_PIN_LOCKED) {
		strbuf_addstr(err, "thẻ ký số đã bị khóa vì nhập sai mã PIN quá số lần cho phép; "
				   "hãy liên hệ tổ chức cung cấp chứng thư số để mở khóa");
		return MC_EXIT_BADINPUT;
	}
	if (rv == CKR_PIN_EXPIRED) {
		strbuf_addstr(err, "mã PIN của thẻ ký số đã hết hạn: hãy đổi mã PIN bằng phần mềm của thẻ");
		return MC_EXIT_BADINPUT;
	}
	return token_fault(err, "đăng nhập bằng mã PIN", rv);
}

static int find_key(struct p11 *t, const char *key, struct strbuf *err)
{
	CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
	CK_ATTRIBUTE tmpl[2] = { { CKA_CLASS, &cls, sizeof(cls) }, { CKA_LABEL, (void *)key, key ? strlen(key) : 0 } };
	CK_OBJECT_HANDLE found[16];
	CK_ULONG n;
	CK_RV rv = find(t, tmpl, key ? 2 : 1, found, 16, &n);
	if (rv != CKR_OK)
		return token_fault(err, "tìm khóa", rv);
	if (n == 1) {
		t->key = found[0];
		return MC_EXIT_OK;
	}
	/* say which keys there are */
	bool many = n > 1;
	struct strbuf names = STRBUF_INIT;
	CK_ULONG all;
	if (key && find(t, tmpl, 1, found, 16, &all) == CKR_OK)
		n = all;
	for (CK_ULONG i = 0; i < n; i++) {
		size_t len;
		unsigned char *l = get_attr(t, found[i], CKA_LABEL, &len);
		strbuf_addf(&names, "%s«%s»", names.len ? ", " : "", l ? (char *)l : "");
		free(l);
	}
	if (n == 0)
		strbuf_addstr(err, "thẻ ký số không có khóa bí mật nào");
	else if (key && !many)
		strbuf_addf(err, "thẻ ký số không có khóa «%s»; các khóa trên thẻ: %s", key, names.buf);
	else if (key)
		strbuf_addf(err, "thẻ ký số có nhiều khóa cùng tên «%s»", key);
	else
		strbuf_addf(err, "thẻ ký số có nhiều khóa (%s): chọn một bằng --key", names.buf);
	strbuf_release(&names);
	return MC_EXIT_BADINPUT;
}

static int load_certs(struct p11 *t, struct strbuf *err)
{
	size_t idlen = 0, labellen = 0;
	unsigned char *id = get_attr(t, t->key, CKA_ID, &idlen);
	unsigned char *label = get_attr(t, t->key, CKA_LABEL, &labellen);
	CK_OBJECT_CLASS cls = CKO_CERTIFICATE;
	CK_OBJECT_HANDLE found[64];
	CK_ULONG n = 0;
	CK_OBJECT_HANDLE mine = CK_INVALID_HANDLE;
	/* the key's certificate: the same CKA_ID, else the same label */
	if (id && idlen) {
		CK_ATTRIBUTE tmpl[2] = { { CKA_CLASS, &cls, sizeof(cls) }, { CKA_ID, id, idlen } };
		if (find(t, tmpl, 2, found, 1, &n) == CKR_OK && n == 1)
			mine = found[0];
	}
	if (mine == CK_INVALID_HANDLE && label && labellen) {
		CK_ATTRIBUTE tmpl[2] = { { CKA_CLASS, &cls, sizeof(cls) }, { CKA_LABEL, label, labellen } };
		if (find(t, tmpl, 2, found, 1, &n) == CKR_OK && n == 1)
			mine = found[0];
	}
	free(id);
	free(label);
	if (mine == CK_INVALID_HANDLE) {
		strbuf_addstr(err, "thẻ ký số không có chứng thư số đi kèm khóa đã chọn");
		return MC_EXIT_BADINPUT;
	}
	t->cert.p = get_attr(t, mine, CKA_VALUE, &t->cert.n);
	if (!t->cert.p) {
		strbuf_addstr(err, "không đọc được chứng thư số trên thẻ");
		return MC_EXIT_FAULT;
	}
	CK_ATTRIBUTE all = { CKA_CLASS, &cls, sizeof(cls) };
	if (find(t, &all, 1, found, 64, &n) != CKR_OK)
		n = 0;
	t->others = xcalloc(n + 1, sizeof(*t->others));
	for (CK_ULONG i = 0; i < n; i++) {
		if (found[i] == mine)
			continue;
		struct der d;
		d.p = get_attr(t, found[i], CKA_VALUE, &d.n);
		if (d.p)
			t->others[t->nothers++] = d;
	}
	return MC_EXIT_OK;
}

int p11_open(struct p11 **out, const char *module, const char *token, const char *key,
	     const char *pin, char *(*ask)(void *ctx, const char *prompt), void *ctx,
	     struct strbuf *err)
{
	char *asked = NULL;
	struct p11 *t = xcalloc(1, sizeof(*t));
	int rc = MC_EXIT_BADINPUT;
	*out = NULL;
	t->lib = dlopen(module, RTLD_NOW | RTLD_LOCAL);
	if (!t->lib) {
		strbuf_addf(err, "không nạp được mô-đun PKCS#11 «%s» của thẻ ký số: %s", module, dlerror());
		goto fail;
	}
	CK_C_GetFunctionList get = (CK_C_GetFunctionList)dlsym(t->lib, "C_GetFunctionList");
	if (!get || get(&t->f) != CKR_OK || !t->f) {
		strbuf_addf(err, "«%s» không phải mô-đun PKCS#11 (không có C_GetFunctionList)", module);
		goto fail;
	}
	CK_C_INITIALIZE_ARGS args;
	memset(&args, 0, sizeof(args));
	args.flags = CKF_OS_LOCKING_OK;
	CK_RV rv = t->f->C_Initialize(&args);
	if (rv != CKR_OK && rv != CKR_CRYPTOKI_ALREADY_INITIALIZED) {
		rc = token_fault(err, "khởi động mô-đun", rv);
		goto fail;
	}
	t->initialized = rv == CKR_OK;
	CK_SLOT_ID slot = 0;
	char label[33] = "";
	if ((rc = pick_slot(t, token, &slot, label, err)))
		goto fail;
	if (!pin) {
		char *prompt = xasprintf("Nhập mã PIN của thẻ ký số «%s».", label);
		pin = asked = ask ? ask(ctx, prompt) : NULL;
		free(prompt);
		if (!pin) {
			strbuf_addstr(err, "thiếu mã PIN của thẻ ký số");
			rc = MC_EXIT_BADINPUT;
			goto fail;
		}
	}
	rv = t->f->C_OpenSession(slot, CKF_SERIAL_SESSION, NULL, NULL, &t->session);
	if (rv != CKR_OK) {
		rc = token_fault(err, "mở phiên làm việc", rv);
		goto fail;
	}
	t->open = true;
	if ((rc = login(t, slot, pin, err)) || (rc = find_key(t, key, err)) || (rc = load_certs(t, err)))
		goto fail;
	size_t len;
	unsigned char *v = get_attr(t, t->key, CKA_KEY_TYPE, &len);
	if (v && len == sizeof(CK_KEY_TYPE))
		memcpy(&t->key_type, v, sizeof(CK_KEY_TYPE));
	free(v);
	if (t->key_type != CKK_RSA && t->key_type != CKK_EC) {
		strbuf_addstr(err, "khóa trên thẻ không phải RSA hay ECDSA: không ký được");
		rc = MC_EXIT_BADINPUT;
		goto fail;
	}
	v = get_attr(t, t->key, CKA_ALWAYS_AUTHENTICATE, &len);
	t->always_auth = v && len == sizeof(CK_BBOOL) && v[0];
	free(v);
	if (t->always_auth)
		t->pin = xstrdup(pin);
	*out = t;
	rc = MC_EXIT_OK;
	t = NULL;
fail:
	if (asked) {
		OPENSSL_cleanse(asked, strlen(asked));
		free(asked);
	}
	p11_close(t);
	return rc;
}

void p11_close(struct p11 *t)
{
	if (!t)
		return;
	if (t->f) {
		if (t->logged_in)
			t->f->C_Logout(t->session);
		if (t->open)
			t->f->C_CloseSession(t->session);
		if (t->initialized)
			t->f->C_Finalize(NULL);
	}
	/* The module stays loaded: some drivers keep threads or atexit
	 * handlers that would run from unmapped code after dlclose. */
	free(t->cert.p);
	for (size_t i = 0; i < t->nothers; i++)
		free(t->others[i].p);
	free(t->others);
	if (t->pin) {
		OPENSSL_cleanse(t->pin, strlen(t->pin));
		free(t->pin);
	}
	free(t);
}

const unsigned char *p11_cert(const struct p11 *t, size_t *len)
{
	*len = t->cert.n;
	return t->cert.p;
}

size_t p11_other_certs(const struct p11 *t)
{
	return t->nothers;
}

const unsigned char *p11_other_cert(const struct p11 *t, size_t i, size_t *len)
{
	*len = t->others[i].n;
	return t->others[i].p;
}

/* The DER prefix of a DigestInfo for SHA-256 (RFC 8017, 9.2 note 1). */
static const unsigned char sha256_prefix[] = { 0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
					       0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20 };

static CK_RV sign_with(struct p11 *t, CK_MECHANISM_TYPE mech, const unsigned char *data, size_t n,
		       unsigned char *out, CK_ULONG *outlen)
{
	CK_MECHANISM m = { mech, NULL, 0 };
	CK_RV rv = t->f->C_SignInit(t->session, &m, t->key);
	if (rv != CKR_OK)
		return rv;
	if (t->always_auth) {
		rv = t->f->C_Login(t->session, CKU_CONTEXT_SPECIFIC, (CK_UTF8CHAR *)t->pin,
				   (CK_ULONG)strlen(t->pin));
		if (rv != CKR_OK)
			return rv;
	}
	return t->f->C_Sign(t->session, (CK_BYTE *)data, (CK_ULONG)n, out, outlen);
}

int p11_sign(struct p11 *t, const unsigned char *tbs, size_t n, unsigned char **sig, size_t *siglen,
	     struct strbuf *err)
{
	unsigned char md[32], buf[1024];
	CK_ULONG len = sizeof(buf);
	CK_RV rv;
	*sig = NULL;
	if (!EVP_Digest(tbs, n, md, NULL, EVP_sha256(), NULL)) {
		strbuf_addstr(err, "không tính được SHA-256");
		return MC_EXIT_FAULT;
	}
	if (t->key_type == CKK_RSA) {
		rv = sign_with(t, CKM_SHA256_RSA_PKCS, tbs, n, buf, &len);
		if (rv == CKR_MECHANISM_INVALID) {
			/* an older token: PKCS#1 v1.5 over the DigestInfo we make */
			unsigned char di[sizeof(sha256_prefix) + 32];
			memcpy(di, sha256_prefix, sizeof(sha256_prefix));
			memcpy(di + sizeof(sha256_prefix), md, 32);
			len = sizeof(buf);
			rv = sign_with(t, CKM_RSA_PKCS, di, sizeof(di), buf, &len);
		}
		if (rv != CKR_OK)
			return token_fault(err, "ký", rv);
		*sig = xmalloc(len);
		memcpy(*sig, buf, len);
		*siglen = len;
		return MC_EXIT_OK;
	}
	rv = sign_with(t, CKM_ECDSA, md, sizeof(md), buf, &len);
	if (rv != CKR_OK)
		return token_fault(err, "ký", rv);
	if (len == 0 || len % 2) {
		strbuf_addstr(err, "thẻ ký số trả về chữ ký ECDSA sai độ dài");
		return MC_EXIT_FAULT;
	}
	/* r || s, as PKCS#11 gives it, into the DER SEQUENCE CMS carries */
	ECDSA_SIG *es = ECDSA_SIG_new();
	BIGNUM *r = BN_bin2bn(buf, (int)(len / 2), NULL), *s = BN_bin2bn(buf + len / 2, (int)(len / 2), NULL);
	unsigned char *der = NULL;
	int dlen = -1;
	if (es && r && s && ECDSA_SIG_set0(es, r, s)) {
		r = s = NULL;
		dlen = i2d_ECDSA_SIG(es, &der);
	}
	BN_free(r);
	BN_free(s);
	ECDSA_SIG_free(es);
	if (dlen <= 0) {
		strbuf_addstr(err, "không mã hóa được chữ ký ECDSA");
		return MC_EXIT_FAULT;
	}
	*sig = xmalloc((size_t)dlen);
	memcpy(*sig, der, (size_t)dlen);
	*siglen = (size_t)dlen;
	OPENSSL_free(der);
	return MC_EXIT_OK;
}
