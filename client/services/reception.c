/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reception of a dossier: checks, plan and the one-transaction commit; the
 * receipt after it is reception_receipt.c's. Rules and messages:
 * docs/reception.md. */
#include "client/services/reception.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>
#include <utf8proc.h>

#include "client/store/auth.h"
#include "client/store/calendar_store.h"
#include "client/store/catalog.h"
#include "client/store/docstore.h"
#include "client/store/dossier_tx.h"
#include "client/store/dossier_write.h"
#include "client/store/fees.h"
#include "client/store/parties.h"
#include "client/store/lookup.h"
#include "client/store/outbox.h"
#include "client/store/reuse.h"
#include "client/sign/sign.h"
#include "core/calendar.h"
#include "core/idnum.h"
#include "core/lifecycle.h"
#include "core/text.h"
#include "core/xalloc.h"
#include "sync/numbering.h"

#define MAX_DAYS 3650 /* a processing time beyond ten years is a catalog error */

/* ---- small helpers -------------------------------------------------------- */

/* Cuts an incomplete UTF-8 sequence off the end of s. */
static void utf8_trim_tail(char *s)
{
	size_t n = strlen(s), i = n;
	while (i > 0 && ((unsigned char)s[i - 1] & 0xc0) == 0x80)
		i--;
	if (i == 0)
		return;
	unsigned char lead = (unsigned char)s[i - 1];
	size_t need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
	if (n - (i - 1) < need)
		s[i - 1] = '\0';
}

static void say(struct reception_error *err, enum reception_field field, int component,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The message in err (say), and -1: a macro, so that the status is a
 * constant where it is used (the static analyser follows it). */
#define refuse(err, field, component, ...) (say((err), (field), (component), __VA_ARGS__), -1)

static void say(struct reception_error *err, enum reception_field field, int component,
		const char *fmt, ...)
{
	err->field = field;
	err->component = component;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof err->msg) /* clipped: drop a partial UTF-8 character */
		utf8_trim_tail(err->msg);
}

static void error_clear(struct reception_error *err)
{
	err->field = RF_NONE;
	err->component = 0;
	err->msg[0] = '\0';
}

static bool is_control(int32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp < 0xa0);
}

/* Optional free text (address, reason, note): valid UTF-8, no control
 * characters but blanks, at most RECEPTION_TEXT_MAX characters. *out gets the
 * cleaned text, or NULL when blank. */
static int check_free_text(const char *s, const char *what, enum reception_field field,
			   int component, char **out, struct reception_error *err)
{
	*out = NULL;
	if (mc_text_blank(s))
		return 0;
	if (!mc_text_valid(s))
		return refuse(err, field, component, "%s chứa byte không phải UTF-8", what);
	char *t = mc_text_squeeze(s);
	size_t len = strlen(t);
	for (size_t i = 0; i < len;) {
		int32_t cp;
		i += mc_utf8_next(t + i, len - i, &cp);
		if (is_control(cp)) {
			free(t);
			return refuse(err, field, component, "%s chứa ký tự điều khiển không hợp lệ", what);
		}
	}
	if (mc_text_chars(t) > RECEPTION_TEXT_MAX) {
		size_t n = mc_text_chars(t);
		free(t);
		return refuse(err, field, component, "%s dài quá %d ký tự (%zu ký tự)", what,
			      RECEPTION_TEXT_MAX, n);
	}
	*out = t;
	return 0;
}

/* A component's name for a message: at most 60 columns. */
static void short_name(const char *name, char *buf, size_t n)
{
	if (!name)
		name = "";
	int cols = 60;
	size_t keep = mc_text_clip(name, cols);
	while (keep + 4 > n && cols > 0) /* "…" and the NUL must fit too */
		keep = mc_text_clip(name, --cols);
	snprintf(buf, n, "%.*s%s", (int)keep, name, name[keep] ? "…" : "");
}

/* ---- input ---------------------------------------------------------------- */

void reception_input_init(struct reception_input *in)
{
	memset(in, 0, sizeof(*in));
}

void reception_party_release(struct reception_party *p)
{
	free(p->full_name);
	free(p->id_number);
	free(p->birth_date);
	free(p->address);
	free(p->role);
	memset(p, 0, sizeof(*p));
}

void reception_input_release(struct reception_input *in)
{
	free(in->procedure);
	free(in->received_at);
	free(in->appointment);
	free(in->applicant.full_name);
	free(in->applicant.id_number);
	free(in->applicant.birth_date);
	free(in->applicant.phone);
	free(in->applicant.email);
	free(in->applicant.address);
	free(in->applicant.commune);
	for (size_t i = 0; i < in->n_components; i++) {
		free(in->components[i].override_reason);
		free(in->components[i].reuse);
	}
	free(in->components);
	free(in->note);
	free(in->fee.status);
	free(in->fee.reason);
	free(in->org.tax_code);
	reception_party_release(&in->org.representative);
	reception_party_release(&in->second_party);
	reception_input_init(in);
}

void reception_result_init(struct reception_result *res)
{
	memset(res, 0, sizeof(*res));
}

void reception_result_release(struct reception_result *res)
{
	free(res->receipt_path);
	free(res->receipt_error);
	free(res->print_error);
	reception_result_init(res);
}

/* ---- procedure ------------------------------------------------------------ */

/* The procedure of the input into d (released by the caller on success). */
static int load_procedure(struct store *st, const struct reception_input *in,
			  struct catalog_detail *d, struct reception_error *err)
{
	memset(d, 0, sizeof(*d));
	if (mc_text_blank(in->procedure))
		return refuse(err, RF_PROCEDURE, 0, "Chưa chọn thủ tục hành chính");
	if (!mc_text_valid(in->procedure))
		return refuse(err, RF_PROCEDURE, 0, "Mã thủ tục chứa byte không phải UTF-8");
	char *code = mc_text_squeeze(in->procedure);
	int rc = catalog_get(st, code, d);
	if (rc) {
		char shown[80];
		short_name(code, shown, sizeof shown);
		free(code);
		return refuse(err, RF_PROCEDURE, 0, "Không có thủ tục mã «%s» trong danh mục", shown);
	}
	free(code);
	return 0;
}

int reception_check_procedure(struct store *st, const struct reception_input *in,
			      struct reception_error *err)
{
	error_clear(err);
	struct catalog_detail d;
	if (load_procedure(st, in, &d, err))
		return -1;
	catalog_detail_release(&d);
	return 0;
}

/* ---- applicant ------------------------------------------------------------ */

/* The applicant as stored: cleaned and normalised. */
/* A representative or second party, checked (reception_party). */
struct clean_party {
	bool present;
	char *full_name, *id_number, *address, *role;
	char birth_date[11]; /* "" when not given */
	char sex;
};

struct clean_applicant {
	char *full_name, *fold, *id_number, *phone, *email, *address, *commune;
	char birth_date[11];
	char sex;
	bool organisation;
	char tax_code[16];
	struct clean_party representative, second_party;
	bool consent_sms, consent_email;
};

static void clean_party_release(struct clean_party *p)
{
	free(p->full_name);
	free(p->id_number);
	free(p->address);
	free(p->role);
	memset(p, 0, sizeof(*p));
}

static void clean_applicant_release(struct clean_applicant *a)
{
	clean_party_release(&a->representative);
	clean_party_release(&a->second_party);
	free(a->full_name);
	free(a->fold);
	free(a->id_number);
	free(a->phone);
	free(a->email);
	free(a->address);
	free(a->commune);
	memset(a, 0, sizeof(*a));
}

static bool name_char_ok(int32_t cp)
{
	if (cp == ' ' || cp == '\'' || cp == '.' || cp == '-' || cp == 0x2019)
		return true;
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_LU:
	case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
	case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC:
		return true;
	default:
		return false;
	}
}

static int check_name(const char *raw, struct clean_applicant *a, struct reception_error *err)
{
	if (mc_text_blank(raw))
		return refuse(err, RF_FULL_NAME, 0, "Chưa nhập họ tên người nộp hồ sơ");
	if (!mc_text_valid(raw))
		return refuse(err, RF_FULL_NAME, 0, "Họ tên chứa byte không phải UTF-8");
	char *name = mc_text_squeeze(raw);
	size_t len = strlen(name), chars = mc_text_chars(name);
	if (chars > RECEPTION_NAME_MAX) {
		free(name);
		return refuse(err, RF_FULL_NAME, 0, "Họ tên dài quá %d ký tự (%zu ký tự)",
			      RECEPTION_NAME_MAX, chars);
	}
	bool letter = false;
	for (size_t i = 0; i < len;) {
		int32_t cp;
		size_t k = mc_utf8_next(name + i, len - i, &cp);
		if (!name_char_ok(cp)) {
			char bad[8];
			if (is_control(cp))
				snprintf(bad, sizeof bad, "U+%04X", (unsigned)cp);
			else
				snprintf(bad, sizeof bad, "%.*s", (int)k, name + i);
			free(name);
			return refuse(err, RF_FULL_NAME, 0,
				      "Họ tên chỉ được có chữ cái, dấu cách và các dấu ' . - (gặp «%s»)", bad);
		}
		int cat = utf8proc_category(cp);
		if (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO)
			letter = true;
		i += k;
	}
	if (!letter) {
		free(name);
		return refuse(err, RF_FULL_NAME, 0, "Họ tên phải có ít nhất một chữ cái");
	}
	a->full_name = name;
	a->fold = mc_text_fold(name);
	return 0;
}

static int check_birth(const char *raw, const struct mc_dt *now, struct mc_date *out,
		       struct reception_error *err)
{
	if (mc_text_blank(raw))
		return refuse(err, RF_BIRTH_DATE, 0, "Chưa nhập ngày sinh");
	if (strlen(raw) > 20 || mc_parse_date(raw, out))
		return refuse(err, RF_BIRTH_DATE, 0,
			      "Ngày sinh «%.20s» không hợp lệ: cần một ngày có thật dạng YYYY-MM-DD,"
			      " ví dụ 1990-05-17", raw);
	if (out->y < 1900)
		return refuse(err, RF_BIRTH_DATE, 0, "Ngày sinh không được trước năm 1900");
	if (mc_days_from_civil(out->y, out->m, out->d) > mc_days_from_civil(now->y, now->m, now->d)) {
		char today[16];
		mc_format_date_vn(today, sizeof today, now->y, now->m, now->d);
		return refuse(err, RF_BIRTH_DATE, 0, "Ngày sinh ở tương lai (sau hôm nay, %s)", today);
	}
	return 0;
}

static char *trim_ascii(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	return xstrndup(s, n);
}

static const char *sex_name(char s)
{
	return s == 'F' ? "nữ" : "nam";
}

/* birth_year and sex: 0 when not known yet (the number alone is checked). */
static int check_id(const struct reception_applicant *in, int birth_year, char sex,
		    struct clean_applicant *a, struct reception_error *err)
{
	char *id = trim_ascii(in->id_number);
	struct mc_cccd c;
	enum mc_cccd_result r = mc_cccd_check(id, birth_year, sex, &c);
	int rc = 0;
	switch (r) {
	case MC_CCCD_OK:
		a->id_number = id;
		return 0;
	case MC_CCCD_YEAR:
		rc = refuse(err, RF_ID_NUMBER, 0, "%s: số %s ghi năm sinh %d, ngày sinh đã nhập năm %d",
			    mc_cccd_message(r), id, c.birth_year, birth_year);
		break;
	case MC_CCCD_SEX:
		rc = refuse(err, RF_ID_NUMBER, 0, "%s: số %s ghi giới tính %s, đã nhập %s",
			    mc_cccd_message(r), id, sex_name(c.sex), sex_name(sex));
		break;
	default:
		rc = refuse(err, RF_ID_NUMBER, 0, "%s", mc_cccd_message(r));
		break;
	}
	free(id);
	return rc;
}

/* 0xxxxxxxxx (10 digits), 02xxxxxxxxx (landline, 11 digits) or +84 and 9 or
 * 10 digits; spaces, dots and hyphens between digits. */
static int check_phone(const char *raw, struct clean_applicant *a, struct reception_error *err)
{
	if (mc_text_blank(raw))
		return 0;
	char *t = trim_ascii(raw);
	char digits[32];
	size_t n = 0;
	bool plus = false, ok = true;
	for (const char *p = t; *p && ok; p++) {
		if (*p >= '0' && *p <= '9') {
			if (n + 1 >= sizeof digits)
				ok = false;
			else
				digits[n++] = *p;
		} else if (*p == '+' && p == t) {
			plus = true;
		} else if (*p != ' ' && *p != '.' && *p != '-') {
			ok = false;
		}
	}
	digits[n] = '\0';
	if (ok && plus)
		ok = !strncmp(digits, "84", 2) && (n == 11 || n == 12) && digits[2] != '0';
	else if (ok)
		ok = digits[0] == '0' && (n == 10 || (n == 11 && digits[1] == '2'));
	if (!ok) {
		int rc = refuse(err, RF_PHONE, 0,
				"Số điện thoại «%.40s» không hợp lệ: cần 10 chữ số bắt đầu bằng 0"
				" (ví dụ 0912 345 678) hoặc dạng +84 912 345 678", t);
		free(t);
		return rc;
	}
	a->phone = mc_text_squeeze(t);
	free(t);
	return 0;
}

static int check_email(const char *raw, struct clean_applicant *a, struct reception_error *err)
{
	if (mc_text_blank(raw))
		return 0;
	char *t = trim_ascii(raw);
	size_t n = strlen(t);
	const char *at = strchr(t, '@');
	bool ok = n <= 254 && at && at != t && !strchr(at + 1, '@');
	for (const char *p = t; ok && *p; p++)
		if (*p <= ' ' || *p >= 0x7f || strchr("(),:;<>[]\\\"", *p))
			ok = false;
	if (ok) {
		const char *dom = at + 1;
		size_t dn = strlen(dom);
		ok = dn >= 3 && strchr(dom, '.') && dom[0] != '.' && dom[dn - 1] != '.' &&
		     !strstr(dom, "..") && dom[0] != '-';
	}
	if (!ok) {
		int rc = refuse(err, RF_EMAIL, 0,
				"Địa chỉ email «%.60s» không hợp lệ: cần dạng ten@mien.vn, không dấu cách",
				mc_text_valid(t) ? t : "?");
		free(t);
		return rc;
	}
	a->email = t;
	return 0;
}

/* Consent to notices needs where to send them (after check_phone and
 * check_email have cleaned the two). */
static int check_consent(const struct reception_applicant *in, struct clean_applicant *a,
			 struct reception_error *err)
{
	if (in->consent_sms && !a->phone)
		return refuse(err, RF_PHONE, 0,
			      "Người nộp đồng ý nhận tin nhắn SMS: cần nhập số điện thoại");
	if (in->consent_email && !a->email)
		return refuse(err, RF_EMAIL, 0,
			      "Người nộp đồng ý nhận thông báo qua email: cần nhập địa chỉ email");
	a->consent_sms = in->consent_sms;
	a->consent_email = in->consent_email;
	return 0;
}

static int check_commune(struct store *st, const char *raw, struct clean_applicant *a,
			 struct reception_error *err)
{
	if (mc_text_blank(raw))
		return refuse(err, RF_COMMUNE, 0, "Chưa chọn xã, phường của địa chỉ người nộp");
	char *code = trim_ascii(raw);
	char *name = NULL, *province = NULL;
	bool found = lookup_commune(st, code, &name, &province);
	free(name);
	free(province);
	if (!found) {
		int rc = refuse(err, RF_COMMUNE, 0,
				"Không có xã, phường mã «%.20s» trong danh mục đơn vị hành chính",
				mc_text_valid(code) ? code : "?");
		free(code);
		return rc;
	}
	a->commune = code;
	return 0;
}

/* Every check of the applicant page, in the order of its fields; a is filled
 * (and must be released) on success. */
static int check_person(struct store *st, const struct reception_applicant *in,
			   const struct mc_dt *now, struct clean_applicant *a,
			   struct reception_error *err)
{
	memset(a, 0, sizeof(*a));
	struct mc_date birth = { 0 }; /* set by check_birth before check_id reads it */
	int rc = check_name(in->full_name, a, err);
	if (!rc && mc_text_blank(in->id_number))
		rc = refuse(err, RF_ID_NUMBER, 0, "Chưa nhập số CCCD (số định danh cá nhân)");
	if (!rc) /* the number itself first, then against the birth year and sex */
		rc = check_id(in, 0, 0, a, err);
	if (!rc) {
		FREE(&a->id_number);
		rc = check_birth(in->birth_date, now, &birth, err);
	}
	if (!rc && !in->sex)
		rc = refuse(err, RF_SEX, 0, "Chưa chọn giới tính (M: nam, F: nữ)");
	if (!rc && in->sex != 'M' && in->sex != 'F')
		rc = refuse(err, RF_SEX, 0, "Giới tính phải là M (nam) hoặc F (nữ)");
	if (!rc)
		rc = check_id(in, birth.y, in->sex, a, err);
	if (!rc)
		rc = check_phone(in->phone, a, err);
	if (!rc)
		rc = check_email(in->email, a, err);
	if (!rc)
		rc = check_consent(in, a, err);
	if (!rc)
		rc = check_free_text(in->address, "Địa chỉ", RF_ADDRESS, 0, &a->address, err);
	if (!rc)
		rc = check_commune(st, in->commune, a, err);
	if (rc) {
		clean_applicant_release(a);
		return -1;
	}
	mc_format_date(a->birth_date, sizeof a->birth_date, birth.y, birth.m, birth.d);
	a->sex = in->sex;
	return 0;
}

/* err's message as "<who>: <message>", on field f. */
static int refuse_as(struct reception_error *err, enum reception_field f, const char *who)
{
	char msg[sizeof err->msg];
	memcpy(msg, err->msg, sizeof msg);
	snprintf(err->msg, sizeof err->msg, "%s: %.*s", who, (int)(sizeof msg - 40), msg);
	err->field = f;
	return -1;
}

/* A representative or a second party (struct reception_party), refused on
 * field f with "<who>: ..." */
static int check_party(const struct reception_party *in, const struct mc_dt *now,
		       enum reception_field f, const char *who, struct clean_party *out,
		       struct reception_error *err)
{
	memset(out, 0, sizeof(*out));
	struct clean_applicant t;
	memset(&t, 0, sizeof(t));
	struct mc_date birth = { 0 };
	if (check_name(in->full_name, &t, err))
		goto fail;
	if (mc_text_blank(in->id_number)) {
		say(err, f, 0, "Chưa nhập số CCCD (số định danh cá nhân)");
		goto fail;
	}
	if (!mc_text_blank(in->birth_date) && check_birth(in->birth_date, now, &birth, err))
		goto fail;
	if (in->sex && in->sex != 'M' && in->sex != 'F') {
		say(err, f, 0, "Giới tính phải là M (nam) hoặc F (nữ)");
		goto fail;
	}
	struct reception_applicant ra = { .id_number = in->id_number };
	if (check_id(&ra, birth.y, in->sex, &t, err))
		goto fail;
	char *address = NULL, *role = NULL;
	if (check_free_text(in->address, "Địa chỉ", f, 0, &address, err))
		goto fail;
	if (check_free_text(in->role, "Chức vụ", f, 0, &role, err)) {
		free(address);
		goto fail;
	}
	if (role && mc_text_chars(role) > RECEPTION_NAME_MAX) {
		size_t n = mc_text_chars(role);
		free(address);
		free(role);
		say(err, f, 0, "Chức vụ dài quá %d ký tự (%zu ký tự)", RECEPTION_NAME_MAX, n);
		goto fail;
	}
	out->present = true;
	out->full_name = t.full_name;
	out->id_number = t.id_number;
	t.full_name = t.id_number = NULL;
	out->address = address;
	out->role = role;
	if (birth.y)
		mc_format_date(out->birth_date, sizeof out->birth_date, birth.y, birth.m, birth.d);
	out->sex = in->sex;
	clean_applicant_release(&t);
	return 0;
fail:
	clean_applicant_release(&t);
	return refuse_as(err, f, who);
}

/* An organisation: its name (free text, at most RECEPTION_NAME_MAX * 2
 * characters), its tax code, its representative, then the contact fields
 * and the commune as for a person. */
static int check_organisation(struct store *st, const struct reception_input *in,
			      const struct mc_dt *now, struct clean_applicant *a,
			      struct reception_error *err)
{
	const struct reception_applicant *ap = &in->applicant;
	memset(a, 0, sizeof(*a));
	a->organisation = true;
	int rc = 0;
	if (mc_text_blank(ap->full_name))
		rc = refuse(err, RF_FULL_NAME, 0, "Chưa nhập tên tổ chức nộp hồ sơ");
	if (!rc)
		rc = check_free_text(ap->full_name, "Tên tổ chức", RF_FULL_NAME, 0, &a->full_name,
				     err);
	if (!rc && mc_text_chars(a->full_name) > 2 * RECEPTION_NAME_MAX)
		rc = refuse(err, RF_FULL_NAME, 0, "Tên tổ chức dài quá %d ký tự (%zu ký tự)",
			    2 * RECEPTION_NAME_MAX, mc_text_chars(a->full_name));
	if (!rc) {
		a->fold = mc_text_fold(a->full_name);
		/* as printed on papers: spaces and dots between the digits */
		char bare[32];
		size_t k = 0;
		for (const char *p = in->org.tax_code ? in->org.tax_code : ""; *p && k + 1 < sizeof bare;
		     p++)
			if (*p != ' ' && *p != '.' && *p != '\t')
				bare[k++] = *p;
		bare[k] = '\0';
		enum mc_taxcode_result t = mc_taxcode_check(bare, a->tax_code, sizeof a->tax_code);
		if (mc_text_blank(in->org.tax_code))
			rc = refuse(err, RF_TAX_CODE, 0, "Chưa nhập mã số thuế của tổ chức");
		else if (t != MC_TAXCODE_OK)
			rc = refuse(err, RF_TAX_CODE, 0, "%s (đã nhập «%.20s»)", mc_taxcode_message(t),
				    mc_text_valid(in->org.tax_code) ? in->org.tax_code : "?");
	}
	if (!rc)
		rc = check_party(&in->org.representative, now, RF_REPRESENTATIVE, "Người đại diện",
				 &a->representative, err);
	if (!rc)
		rc = check_phone(ap->phone, a, err);
	if (!rc)
		rc = check_email(ap->email, a, err);
	if (!rc)
		rc = check_free_text(ap->address, "Địa chỉ", RF_ADDRESS, 0, &a->address, err);
	if (!rc)
		rc = check_commune(st, ap->commune, a, err);
	if (rc) {
		clean_applicant_release(a);
		return -1;
	}
	return 0;
}

/* The applicant (a person or an organisation), then the second party. */
static int check_applicant(struct store *st, const struct reception_input *in,
			   const struct mc_dt *now, struct clean_applicant *a,
			   struct reception_error *err)
{
	if (in->organisation ? check_organisation(st, in, now, a, err)
			     : check_person(st, &in->applicant, now, a, err))
		return -1;
	if (in->has_second_party &&
	    check_party(&in->second_party, now, RF_SECOND_PARTY, "Bên thứ hai", &a->second_party,
			err)) {
		clean_applicant_release(a);
		return -1;
	}
	return 0;
}

/* One field of the applicant page on its own (blank passes: required fields
 * are checked with the page); see reception.h. */
int reception_check_field(struct store *st, const struct reception_input *in,
			  enum reception_field field, const struct mc_dt *now,
			  struct reception_error *err)
{
	error_clear(err);
	const struct reception_applicant *ap = &in->applicant;
	struct clean_applicant a;
	memset(&a, 0, sizeof(a));
	struct mc_date birth;
	int rc = 0;
	switch (field) {
	case RF_FULL_NAME:
		if (!mc_text_blank(ap->full_name))
			rc = check_name(ap->full_name, &a, err);
		break;
	case RF_ID_NUMBER:
		if (!mc_text_blank(ap->id_number))
			rc = check_id(ap, 0, 0, &a, err);
		break;
	case RF_BIRTH_DATE:
		if (!mc_text_blank(ap->birth_date))
			rc = check_birth(ap->birth_date, now, &birth, err);
		break;
	case RF_PHONE:
		rc = check_phone(ap->phone, &a, err);
		break;
	case RF_EMAIL:
		rc = check_email(ap->email, &a, err);
		break;
	case RF_ADDRESS:
		rc = check_free_text(ap->address, "Địa chỉ", RF_ADDRESS, 0, &a.address, err);
		break;
	case RF_COMMUNE:
		if (!mc_text_blank(ap->commune))
			rc = check_commune(st, ap->commune, &a, err);
		break;
	default:
		break;
	}
	clean_applicant_release(&a);
	return rc ? -1 : 0;
}

int reception_check_applicant(struct store *st, const struct reception_input *in,
			      const struct mc_dt *now, struct reception_error *err)
{
	error_clear(err);
	struct clean_applicant a;
	if (check_applicant(st, in, now, &a, err))
		return -1;
	clean_applicant_release(&a);
	return 0;
}

size_t reception_applicant_errors(struct store *st, const struct reception_input *in,
				  const struct mc_dt *now, struct reception_error *errs, size_t max)
{
	size_t n = 0;
	if (!max)
		return 0;
	if (!in->organisation) {
		/* each field of the page on its own, in the page's order; a
		 * required one left blank says so */
		static const enum reception_field order[] = { RF_ID_NUMBER, RF_FULL_NAME, RF_BIRTH_DATE,
							      RF_SEX, RF_PHONE, RF_EMAIL, RF_ADDRESS,
							      RF_COMMUNE };
		const struct reception_applicant *ap = &in->applicant;
		for (size_t i = 0; i < sizeof order / sizeof order[0] && n < max; i++) {
			struct reception_error *e = &errs[n];
			error_clear(e);
			int rc = 0;
			switch (order[i]) {
			case RF_ID_NUMBER:
				if (mc_text_blank(ap->id_number))
					rc = refuse(e, RF_ID_NUMBER, 0,
						    "Chưa nhập số CCCD (số định danh cá nhân)");
				break;
			case RF_FULL_NAME:
				if (mc_text_blank(ap->full_name))
					rc = refuse(e, RF_FULL_NAME, 0, "Chưa nhập họ tên người nộp hồ sơ");
				break;
			case RF_BIRTH_DATE:
				if (mc_text_blank(ap->birth_date))
					rc = refuse(e, RF_BIRTH_DATE, 0, "Chưa nhập ngày sinh");
				break;
			case RF_SEX:
				if (!ap->sex)
					rc = refuse(e, RF_SEX, 0, "Chưa chọn giới tính (M: nam, F: nữ)");
				break;
			case RF_COMMUNE:
				if (mc_text_blank(ap->commune))
					rc = refuse(e, RF_COMMUNE, 0,
						    "Chưa chọn xã, phường của địa chỉ người nộp");
				break;
			default:
				break;
			}
			if (!rc && order[i] != RF_SEX)
				rc = reception_check_field(st, in, order[i], now, e);
			if (rc)
				n++;
		}
	}
	/* the CCCD against the birth year and the sex, when each passed on
	 * its own */
	const struct reception_applicant *ap = &in->applicant;
	bool alone_ok = !in->organisation && !mc_text_blank(ap->id_number) &&
			!mc_text_blank(ap->birth_date) && (ap->sex == 'M' || ap->sex == 'F');
	for (size_t i = 0; i < n && alone_ok; i++)
		alone_ok = errs[i].field != RF_ID_NUMBER && errs[i].field != RF_BIRTH_DATE;
	if (alone_ok && n < max) {
		struct mc_date birth;
		struct clean_applicant a;
		memset(&a, 0, sizeof(a));
		struct reception_error *e = &errs[n];
		error_clear(e);
		if (!check_birth(ap->birth_date, now, &birth, e) &&
		    check_id(ap, birth.y, ap->sex, &a, e))
			n++;
		clean_applicant_release(&a);
	}
	/* the whole page: what only fields together say (a CCCD against the
	 * birth year), an organisation's and a second party's checks */
	if (n < max) {
		struct reception_error *e = &errs[n];
		if (reception_check_applicant(st, in, now, e)) {
			bool said = false;
			for (size_t i = 0; i < n && !said; i++)
				said = !strcmp(errs[i].msg, e->msg);
			if (!said)
				n++;
		}
	}
	return n;
}

/* ---- components ----------------------------------------------------------- */

static const struct reception_component *find_input(const struct reception_input *in, int id)
{
	for (size_t i = 0; i < in->n_components; i++)
		if (in->components[i].id == id)
			return &in->components[i];
	return NULL;
}

static const struct catalog_component *find_component(const struct catalog_detail *d, int id)
{
	for (size_t i = 0; i < d->ncomponents; i++)
		if (d->components[i].id == id)
			return &d->components[i];
	return NULL;
}

static bool is_missing(const struct catalog_component *c, const struct reception_component *got)
{
	if (got && !mc_text_blank(got->reuse))
		return false; /* the stored paper stands for the one not brought */
	int o = got ? got->originals : 0, k = got ? got->copies : 0;
	/* originals compared ("bản chính đối chiếu") stand for the copies
	 * asked: those beyond the originals the procedure wants count as
	 * copies */
	if (got && got->original_for_copy && o > c->originals)
		k += o - c->originals;
	return c->mandatory && (o < c->originals || k < c->copies);
}

/* The checks of the component page against the procedure d; *missing gets
 * the number of mandatory components not fully presented (with a reason). */
static int check_components(const struct reception_input *in, const struct catalog_detail *d,
			    int *missing, struct reception_error *err)
{
	*missing = 0;
	for (size_t i = 0; i < in->n_components; i++) {
		const struct reception_component *c = &in->components[i];
		if (!find_component(d, c->id))
			return refuse(err, RF_COMPONENTS, c->id,
				      "Thủ tục %s không có thành phần hồ sơ số %d", d->proc.code, c->id);
		for (size_t j = 0; j < i; j++)
			if (in->components[j].id == c->id)
				return refuse(err, RF_COMPONENTS, c->id,
					      "Thành phần hồ sơ số %d được nhập hai lần", c->id);
		if (c->originals < 0 || c->copies < 0 || c->originals > RECEPTION_COUNT_MAX ||
		    c->copies > RECEPTION_COUNT_MAX)
			return refuse(err, RF_COMPONENTS, c->id,
				      "Số bản chính, bản sao của thành phần hồ sơ số %d phải từ 0 đến %d",
				      c->id, RECEPTION_COUNT_MAX);
		if (c->reuse && (mc_text_blank(c->reuse) || strlen(c->reuse) > 64 || !mc_text_valid(c->reuse)))
			return refuse(err, RF_COMPONENTS, c->id,
				      "Mã giấy tờ dùng lại của thành phần hồ sơ số %d không hợp lệ", c->id);
		char *reason;
		if (check_free_text(c->override_reason, "Lý do tiếp nhận khi thiếu giấy tờ",
				    RF_COMPONENTS, c->id, &reason, err))
			return -1;
		free(reason);
	}
	for (size_t i = 0; i < d->ncomponents; i++) {
		const struct catalog_component *c = &d->components[i];
		const struct reception_component *got = find_input(in, c->id);
		if (!is_missing(c, got))
			continue;
		if (!got || mc_text_blank(got->override_reason)) {
			char name[200];
			short_name(c->name, name, sizeof name);
			return refuse(err, RF_COMPONENTS, c->id,
				      "Thiếu giấy tờ bắt buộc số %d «%s» (cần %d bản chính, %d bản sao;"
				      " đã nhận %d bản chính, %d bản sao): nhập lý do nếu vẫn tiếp nhận",
				      c->id, name, c->originals, c->copies, got ? got->originals : 0,
				      got ? got->copies : 0);
		}
		(*missing)++;
	}
	return 0;
}

int reception_check_components(struct store *st, const struct reception_input *in,
				struct reception_error *err)
{
	error_clear(err);
	struct catalog_detail d;
	if (load_procedure(st, in, &d, err))
		return -1;
	int missing;
	int rc = check_components(in, &d, &missing, err);
	catalog_detail_release(&d);
	return rc;
}

/* ---- plan ----------------------------------------------------------------- */

static int plan_times(struct store *st, const struct reception_input *in, const struct mc_dt *now,
		      const struct catalog_detail *d, struct reception_plan *plan,
		      struct reception_error *err)
{
	if (mc_text_blank(in->received_at)) {
		plan->received = *now;
	} else if (strlen(in->received_at) > 20 || mc_parse_dt(in->received_at, &plan->received)) {
		return refuse(err, RF_RECEIVED_AT, 0,
			      "Thời điểm tiếp nhận «%.20s» không hợp lệ: cần một thời điểm có thật"
			      " dạng YYYY-MM-DDTHH:MM, ví dụ 2025-10-27T09:32",
			      mc_text_valid(in->received_at) ? in->received_at : "?");
	}
	if (mc_dt_cmp(&plan->received, now) > 0) {
		char shown[20];
		mc_format_dt(shown, sizeof shown, now);
		return refuse(err, RF_RECEIVED_AT, 0, "Thời điểm tiếp nhận muộn hơn hiện tại (%s)", shown);
	}
	if (plan->received.y < 2000 || plan->received.y > 2099)
		return refuse(err, RF_RECEIVED_AT, 0,
			      "Thời điểm tiếp nhận phải trong khoảng năm 2000 đến 2099");

	char text[512];
	catalog_time_display(&d->proc, text, sizeof text);
	size_t keep = mc_text_clip(text, (int)sizeof plan->time_text - 1);
	while (keep >= sizeof plan->time_text) /* columns vs bytes: clip harder */
		keep = mc_text_clip(text, (int)(keep / 2));
	memcpy(plan->time_text, text, keep);
	plan->time_text[keep] = '\0';

	const char *unit = d->proc.time_unit;
	plan->manual_appointment = !unit;
	if (!unit) {
		if (mc_text_blank(in->appointment))
			return refuse(err, RF_APPOINTMENT, 0,
				      "Thủ tục %s chưa có thời hạn giải quyết rõ ràng trong danh mục:"
				      " nhập ngày hẹn trả (YYYY-MM-DDTHH:MM) hoặc đề nghị quản trị viên"
				      " cập nhật thời hạn của thủ tục", d->proc.code);
		if (strlen(in->appointment) > 20 || mc_parse_dt(in->appointment, &plan->appointment))
			return refuse(err, RF_APPOINTMENT, 0,
				      "Ngày hẹn trả «%.20s» không hợp lệ: cần dạng YYYY-MM-DDTHH:MM có thật",
				      mc_text_valid(in->appointment) ? in->appointment : "?");
		if (mc_dt_cmp(&plan->appointment, &plan->received) < 0)
			return refuse(err, RF_APPOINTMENT, 0,
				      "Ngày hẹn trả không được sớm hơn thời điểm tiếp nhận");
		if (plan->appointment.y > 2099)
			return refuse(err, RF_APPOINTMENT, 0, "Ngày hẹn trả phải trước năm 2100");
		return 0;
	}
	if (!mc_text_blank(in->appointment))
		return refuse(err, RF_APPOINTMENT, 0,
			      "Ngày hẹn trả được tính theo thời hạn của thủ tục (%s), không nhập tay",
			      plan->time_text);

	enum mc_time_unit u = MC_UNIT_INDAY;
	double v = d->proc.time_value;
	int amount = 0;
	if (!strcmp(unit, "day") || !strcmp(unit, "hour")) {
		if (!(v >= 0) || v > MAX_DAYS * 8)
			return refuse(err, RF_PROCEDURE, 0,
				      "Thời hạn giải quyết của thủ tục %s bất thường (%g); đề nghị quản trị"
				      " viên kiểm tra", d->proc.code, v);
		amount = (int)ceil(v); /* a fraction of a day (or hour) counts whole */
		if (amount > 0)
			u = unit[0] == 'd' ? MC_UNIT_DAYS : MC_UNIT_HOURS;
	} else if (strcmp(unit, "inday")) {
		return refuse(err, RF_PROCEDURE, 0,
			      "Thủ tục %s có đơn vị thời hạn không rõ («%s»); đề nghị quản trị viên"
			      " kiểm tra", d->proc.code, unit);
	}

	struct mc_calendar cal;
	mc_calendar_init(&cal);
	struct strbuf why = STRBUF_INIT;
	int rc = 0;
	if (calendar_load_store(st, &cal, &why))
		rc = refuse(err, RF_STORE, 0, "%s", why.buf);
	else if (mc_appointment(&cal, &plan->received, amount, u, &plan->appointment))
		rc = refuse(err, RF_NONE, 0, "Không tính được ngày hẹn trả: lịch làm việc không có"
				 " ngày làm việc nào");
	else if (plan->appointment.y > 2099)
		rc = refuse(err, RF_NONE, 0, "Ngày hẹn trả vượt quá năm 2099");
	strbuf_release(&why);
	mc_calendar_release(&cal);
	return rc;
}

static int store_fault(struct reception_error *err, int rc, const char *what);

/* A paper filed signed is verified again before it is reused: changed
 * since, or signed by a certificate the configured CA (MOTCUA_CA) did not
 * issue, it is refused with the reason (docs/reuse.md). */
static int check_reuse_signature(struct store *st, const struct reception_component *c,
				 struct reception_error *err)
{
	struct strbuf msg = STRBUF_INIT, why = STRBUF_INIT;
	char *signer = NULL, sha[65];
	int rc = 0;
	if (docstore_signer(st, c->reuse, &signer, &msg) || (signer &&
	    docstore_sha256(st, c->reuse, sha, &msg))) {
		rc = refuse(err, RF_STORE, 0, "%s", msg.buf);
	} else if (signer) {
		char *file = docstore_file(st->path, sha);
		const char *ca = getenv("MOTCUA_CA");
		int vr = verify_for_reuse(file, ca && *ca ? ca : NULL, &why, &msg);
		if (vr || why.len)
			rc = refuse(err, RF_COMPONENTS, c->id,
				    "Giấy tờ «%s» (ký số: %s) không dùng lại được: %s; hãy nhận bản mới",
				    c->reuse, signer, vr ? msg.buf : why.buf);
		free(file);
	}
	free(signer);
	strbuf_release(&msg);
	strbuf_release(&why);
	return rc;
}

/* The papers reused: each one stored, the applicant's (her ID number as
 * cleaned) and still valid on now's date, as docstore_attach_reuse will
 * check again in the transaction. */
static int check_reuse(struct store *st, const struct reception_input *in,
		       const struct clean_applicant *a, const struct mc_dt *now,
		       struct reception_error *err)
{
	char today[16];
	mc_format_date(today, sizeof today, now->y, now->m, now->d);
	for (size_t i = 0; i < in->n_components; i++) {
		const struct reception_component *c = &in->components[i];
		if (mc_text_blank(c->reuse))
			continue;
		char *owner, *expires;
		int step = reuse_paper_owner(st, c->reuse, &owner, &expires), rc = 0;
		if (step == SQLITE_DONE) {
			rc = refuse(err, RF_COMPONENTS, c->id,
				    "Không có giấy tờ mã «%s» trong kho để dùng lại cho thành phần hồ sơ"
				    " số %d", c->reuse, c->id);
		} else if (step != SQLITE_ROW) {
			rc = store_fault(err, step, "Không đọc được kho giấy tờ");
		} else {
			if (!owner || !a->id_number || strcmp(owner, a->id_number))
				rc = refuse(err, RF_COMPONENTS, c->id,
					    "Giấy tờ «%s» không phải của người nộp (số định danh %s):"
					    " không dùng lại được", c->reuse,
					    a->id_number ? a->id_number : "chưa có");
			else if (expires && strcmp(expires, today) < 0)
				rc = refuse(err, RF_COMPONENTS, c->id,
					    "Giấy tờ «%s» đã hết hạn ngày %s: không dùng lại được, hãy"
					    " nhận bản mới", c->reuse, expires);
		}
		free(owner);
		free(expires);
		if (!rc)
			rc = check_reuse_signature(st, c, err);
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- fee ------------------------------------------------------------------ */

static int check_fee(const struct reception_input *in, const struct catalog_detail *d,
		     enum mc_fee_status *status, long long *amount, struct reception_error *err)
{
	const struct reception_fee *f = &in->fee;
	bool catalogued = d->proc.has_fee_amount && d->proc.fee_amount >= 0 &&
			  d->proc.fee_amount <= MC_FEE_MAX;
	*status = MC_FEE_NONE;
	*amount = 0;
	if (mc_text_blank(f->status)) {
		if (f->has_amount || !mc_text_blank(f->reason))
			return refuse(err, RF_FEE, 0, "Chưa chọn tình trạng phí, lệ phí (đã thu, miễn"
					 " hoặc nộp sau)");
		if (catalogued) { /* the default: the catalogue's amount, collected */
			*status = MC_FEE_COLLECTED;
			*amount = d->proc.fee_amount;
		}
		return 0;
	}
	enum mc_fee_status s = mc_fee_status_from_id(f->status);
	if (s == MC_FEE_NONE)
		return refuse(err, RF_FEE, 0, "Tình trạng phí, lệ phí «%.20s» không hợp lệ: chọn"
				 " collected (đã thu), exempt (miễn) hoặc later (nộp sau)",
			      mc_text_valid(f->status) ? f->status : "?");
	long long a = f->has_amount ? f->amount : s == MC_FEE_EXEMPT ? 0 : d->proc.fee_amount;
	if (!f->has_amount && s != MC_FEE_EXEMPT && !catalogued)
		return refuse(err, RF_FEE, 0, "Danh mục không có mức phí, lệ phí của thủ tục này:"
				 " hãy nhập số tiền");
	char msg[256];
	if (mc_fee_check(s, a, f->reason, msg, sizeof msg, NULL))
		return refuse(err, RF_FEE, 0, "%s", msg);
	*status = s;
	*amount = a;
	return 0;
}

int reception_check_fee(struct store *st, const struct reception_input *in,
			enum mc_fee_status *status, long long *amount, struct reception_error *err)
{
	error_clear(err);
	struct catalog_detail d;
	if (load_procedure(st, in, &d, err))
		return -1;
	int rc = check_fee(in, &d, status, amount, err);
	catalog_detail_release(&d);
	return rc;
}

/* Every check, then the plan; on success d and a hold the procedure and the
 * cleaned applicant for the commit (released by the caller). */
static int plan_all(struct store *st, const struct reception_input *in, const struct mc_dt *now,
		    struct reception_plan *plan, struct catalog_detail *d,
		    struct clean_applicant *a, struct reception_error *err)
{
	error_clear(err);
	memset(plan, 0, sizeof(*plan));
	if (load_procedure(st, in, d, err))
		return -1;
	if (check_applicant(st, in, now, a, err)) {
		catalog_detail_release(d);
		return -1;
	}
	char *note = NULL;
	if (check_components(in, d, &plan->missing, err) ||
	    check_reuse(st, in, a, now, err) ||
	    check_free_text(in->note, "Ghi chú", RF_NOTE, 0, &note, err) ||
	    check_fee(in, d, &plan->fee_status, &plan->fee_amount, err) ||
	    plan_times(st, in, now, d, plan, err)) {
		free(note);
		clean_applicant_release(a);
		catalog_detail_release(d);
		return -1;
	}
	free(note);
	return 0;
}

int reception_plan(struct store *st, const struct reception_input *in, const struct mc_dt *now,
		   struct reception_plan *plan, struct reception_error *err)
{
	struct catalog_detail d;
	struct clean_applicant a;
	if (plan_all(st, in, now, plan, &d, &a, err))
		return -1;
	clean_applicant_release(&a);
	catalog_detail_release(&d);
	return 0;
}

/* ---- commit --------------------------------------------------------------- */

struct workstation {
	char *unit_code, *unit_ident;
};

static void workstation_release(struct workstation *w)
{
	free(w->unit_code);
	free(w->unit_ident);
}

static int load_workstation(struct store *st, struct workstation *w, struct reception_error *err)
{
	w->unit_code = store_get_setting(st, "unit_code");
	w->unit_ident = store_get_setting(st, "unit_ident");
	if (mc_text_blank(w->unit_code) || mc_text_blank(w->unit_ident))
		return refuse(err, RF_UNIT, 0, "Máy trạm chưa được gán đơn vị tiếp nhận; chạy motcua"
				 " init --demo hoặc cấu hình đơn vị");
	if (!mc_unit_ident_valid(w->unit_ident))
		return refuse(err, RF_UNIT, 0, "Mã định danh đơn vị tiếp nhận «%.40s» (cài đặt"
				 " unit_ident) không hợp lệ", w->unit_ident);
	if (!lookup_unit_exists(st, w->unit_code))
		return refuse(err, RF_UNIT, 0, "Máy trạm được gán đơn vị mã «%.20s» nhưng danh mục"
				 " không có đơn vị này; chạy motcua init --demo hoặc cấu hình đơn vị",
			      w->unit_code);
	return 0;
}

static int check_clerk(struct store *st, const char *clerk, struct reception_error *err)
{
	if (mc_text_blank(clerk))
		return refuse(err, RF_CLERK, 0, "Chưa xác định cán bộ tiếp nhận");
	struct clerk c;
	if (auth_load_clerk(st, clerk, &c))
		return refuse(err, RF_CLERK, 0, "Không có cán bộ «%.40s» trong kho dữ liệu",
			      mc_text_valid(clerk) ? clerk : "?");
	bool disabled = c.disabled;
	clerk_release(&c);
	if (disabled)
		return refuse(err, RF_CLERK, 0, "Tài khoản cán bộ «%.40s» đã bị khóa", clerk);
	return 0;
}

static int store_fault(struct reception_error *err, int rc, const char *what)
{
	return refuse(err, RF_STORE, 0, "%s: %s; chưa có gì được ghi vào kho", what,
		      store_errmsg_vn(rc));
}

static json_t *json_opt(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* Everything a commit writes, gathered before the transaction. */
struct record {
	char id[37], event_id[37], op_id[37];
	char code[MC_DCODE_MAX];
	char received[20], appointment[20], now[20];
	char *procedure_name, *note;
	enum mc_fee_status fee_status; /* MC_FEE_NONE: none recorded */
	long long fee_amount;
	char *fee_reason;
	struct workstation ws;
	const char *clerk;
	enum mc_status status; /* from the lifecycle table: NEW -> receive */
	const struct catalog_detail *proc;
	const struct clean_applicant *app;
	const struct reception_input *in;
	char **reasons; /* per procedure component: cleaned override reason or NULL */
	bool code_review; /* numbered without a lease (sync/numbering.h) */
};

static int insert_dossier(struct store *st, const struct record *r)
{
	const struct dossier_new d = {
		.id = r->id,
		.code = r->code,
		.procedure_code = r->proc->proc.code,
		.procedure_name = r->procedure_name,
		.unit_code = r->ws.unit_code,
		.clerk = r->clerk,
		.status = (int)r->status,
		.received_at = r->received,
		.appointment = r->appointment,
		.applicant_kind = r->app->organisation ? DOSSIER_DOC_ORGANISATION : 1,
		.applicant_name = r->app->full_name,
		.applicant_fold = r->app->fold,
		.id_number = r->app->id_number,
		.birth_date = r->app->organisation ? NULL : r->app->birth_date,
		.sex = r->app->sex,
		.phone = r->app->phone,
		.email = r->app->email,
		.address = r->app->address,
		.commune_code = r->app->commune,
		.note = r->note,
		.updated_at = r->now,
	};
	return dossier_insert(st, &d);
}

static int insert_components(struct store *st, const struct record *r)
{
	size_t n = r->proc->ncomponents;
	struct dossier_new_component *rows = xcalloc(n ? n : 1, sizeof(*rows));
	for (size_t i = 0; i < n; i++) {
		const struct catalog_component *c = &r->proc->components[i];
		const struct reception_component *got = find_input(r->in, c->id);
		rows[i] = (struct dossier_new_component){
			.seq = c->id,
			.name = c->name,
			.kind = c->present ? "present" : "submit",
			.mandatory = c->mandatory,
			.originals_required = c->originals,
			.copies_required = c->copies,
			.originals = got ? got->originals : 0,
			.copies = got ? got->copies : 0,
			.override_reason = r->reasons[i],
		};
	}
	int rc = dossier_insert_components(st, r->id, rows, n);
	free(rows);
	return rc;
}

/* The event's own payload: the code and the override reasons of missing
 * mandatory components. */
static json_t *event_payload(const struct record *r)
{
	json_t *p = json_object();
	json_object_set_new(p, "code", json_string(r->code));
	json_t *ov = json_array();
	for (size_t i = 0; i < r->proc->ncomponents; i++) {
		const struct catalog_component *c = &r->proc->components[i];
		if (!is_missing(c, find_input(r->in, c->id)))
			continue;
		json_t *o = json_object();
		json_object_set_new(o, "seq", json_integer(c->id));
		json_object_set_new(o, "reason", json_opt(r->reasons[i]));
		json_array_append_new(ov, o);
	}
	json_object_set_new(p, "overrides", ov);
	return p;
}

/* The receive event (1 -> the status the lifecycle gives), as the events
 * table keeps it and the outbox carries it. */
static struct dossier_doc_event receive_event(const struct record *r, const json_t *payload)
{
	return (struct dossier_doc_event){
		.id = r->event_id,
		.dossier_id = r->id,
		.kind = mc_action_id(MC_ACT_RECEIVE),
		.status_from = MC_ST_NEW,
		.status_to = (int)r->status,
		.actor = r->clerk,
		.unit_code = r->ws.unit_code,
		.device_time = r->now,
		.payload = payload,
	};
}

static struct dossier_doc_party doc_party(const struct clean_party *p, const char *sex)
{
	if (!p->present)
		return (struct dossier_doc_party){ 0 };
	return (struct dossier_doc_party){
		.present = true,
		.full_name = p->full_name,
		.id_number = p->id_number,
		.birth_date = *p->birth_date ? p->birth_date : NULL,
		.sex = *sex ? sex : NULL,
		.address = p->address,
		.role = p->role,
	};
}

/* The parties beside the applicant row (client/store/parties.h). */
static int insert_parties(struct store *st, const struct record *r)
{
	const struct clean_applicant *a = r->app;
	int rc = SQLITE_OK;
	if (a->organisation) {
		struct party org = { .full_name = a->full_name, .id_number = (char *)a->tax_code,
				     .address = a->address };
		rc = parties_put(st, r->id, PARTY_ORGANISATION, &org);
	}
	const struct clean_party *ps[2] = { &a->representative, &a->second_party };
	const enum party_role roles[2] = { PARTY_REPRESENTATIVE, PARTY_SECOND };
	for (int i = 0; i < 2 && rc == SQLITE_OK; i++) {
		const struct clean_party *p = ps[i];
		if (!p->present)
			continue;
		struct party row = { .full_name = p->full_name, .id_number = p->id_number,
				     .birth_date = *p->birth_date ? (char *)p->birth_date : NULL,
				     .sex = p->sex, .address = p->address, .title = p->role };
		rc = parties_put(st, r->id, roles[i], &row);
	}
	return rc;
}

/* The 'receive' operation's payload: the dossier document
 * (core/dossier_doc.h) with its components and its event. */
static json_t *receive_payload(const struct record *r, const struct dossier_doc_event *event)
{
	const struct clean_applicant *a = r->app;
	char sex[2] = { a->sex, '\0' };
	char rsex[2] = { a->representative.sex, '\0' }, ssex[2] = { a->second_party.sex, '\0' };
	size_t n = r->proc->ncomponents;
	struct dossier_doc_component *comps = xcalloc(n ? n : 1, sizeof(*comps));
	for (size_t i = 0; i < n; i++) {
		const struct catalog_component *c = &r->proc->components[i];
		const struct reception_component *got = find_input(r->in, c->id);
		comps[i] = (struct dossier_doc_component){
			.seq = c->id,
			.name = c->name ? c->name : "",
			.kind = c->present ? "present" : "submit",
			.mandatory = c->mandatory,
			.originals_required = c->originals,
			.copies_required = c->copies,
			.originals = got ? got->originals : 0,
			.copies = got ? got->copies : 0,
			.override_reason = r->reasons[i],
		};
	}
	struct dossier_doc d = {
		.id = r->id,
		.code = r->code,
		.procedure_code = r->proc->proc.code,
		.procedure_name = r->procedure_name,
		.unit_code = r->ws.unit_code,
		.unit_ident = r->ws.unit_ident,
		.clerk = r->clerk,
		.channel = 1,
		.status = (int)r->status,
		.received_at = r->received,
		.appointment = r->appointment,
		.applicant = {
			.kind = a->organisation ? DOSSIER_DOC_ORGANISATION : 1,
			.full_name = a->full_name,
			.id_number = a->id_number,
			.birth_date = a->organisation ? NULL : a->birth_date,
			.sex = a->organisation ? NULL : sex,
			.tax_code = a->organisation ? a->tax_code : NULL,
			.representative = doc_party(&a->representative, rsex),
			.phone = a->phone,
			.email = a->email,
			.address = a->address,
			.commune = a->commune,
			.consent_sms = a->consent_sms,
			.consent_email = a->consent_email,
		},
		.second_party = doc_party(&a->second_party, ssex),
		.has_fee = r->fee_status != MC_FEE_NONE,
		.fee = {
			.status = mc_fee_status_id(r->fee_status),
			.amount = r->fee_amount,
			.reason = r->fee_reason,
		},
		.note = r->note,
		.rev = 1,
		.updated_at = r->now,
		.code_review = r->code_review,
		.has_components = true,
		.components = comps,
		.ncomponents = n,
		.event = event,
	};
	json_t *j = dossier_doc_encode(&d);
	free(comps);
	return j;
}

/* Inside the open transaction, once the dossier is written: each paper
 * reused attached to its component by the document store's own code (a
 * savepoint in this transaction, an 'attach' event and outbox row each; no
 * file is written). */
static int attach_reused(struct store *st, const struct record *r, struct reception_error *err)
{
	struct mc_dt now;
	if (mc_parse_dt(r->now, &now))
		abort(); /* formatted by us */
	struct strbuf msg = STRBUF_INIT;
	int rc = 0;
	for (size_t i = 0; !rc && i < r->in->n_components; i++) {
		const struct reception_component *c = &r->in->components[i];
		if (mc_text_blank(c->reuse))
			continue;
		int drc = docstore_attach_reuse(st, r->code, c->id, c->reuse, r->clerk, &now, &msg);
		if (drc == DOCSTORE_REFUSED)
			rc = refuse(err, RF_COMPONENTS, c->id, "%s", msg.buf);
		else if (drc != DOCSTORE_OK)
			rc = refuse(err, RF_STORE, 0, "%s", msg.buf);
	}
	strbuf_release(&msg);
	return rc;
}

/* Inside the open transaction: the code, then every row. SQLite result code. */
static int write_all(struct store *st, struct record *r, struct reception_error *err)
{
	int rc = SQLITE_OK;
	struct mc_dt received;
	mc_parse_dt(r->received, &received);
	/* the day's code: a leased number when this workstation syncs */
	if (numbering_next(st, r->ws.unit_ident, &received, r->code, sizeof r->code,
			   &r->code_review, &rc)) {
		if (rc == SQLITE_RANGE)
			return refuse(err, RF_STORE, 0, "Đã hết số thứ tự hồ sơ trong ngày của đơn vị");
		return store_fault(err, rc, "Không cấp được mã hồ sơ");
	}
	rc = insert_dossier(st, r);
	if (rc == SQLITE_OK && r->code_review)
		rc = numbering_flag(st, r->id, r->code, r->now);
	json_t *payload = event_payload(r);
	const struct dossier_doc_event event = receive_event(r, payload);
	if (rc == SQLITE_OK)
		rc = insert_components(st, r);
	if (rc == SQLITE_OK && r->fee_status != MC_FEE_NONE)
		rc = fees_put(st, r->id, r->fee_status, r->fee_amount, r->fee_reason);
	if (rc == SQLITE_OK)
		rc = insert_parties(st, r);
	if (rc == SQLITE_OK)
		rc = dossier_tx_event(st, &event, NULL);
	if (rc == SQLITE_OK) {
		json_t *d = receive_payload(r, &event);
		rc = outbox_add(st, r->op_id, r->id, 0, mc_action_id(MC_ACT_RECEIVE), d, r->now);
		json_decref(d);
	}
	json_decref(payload);
	if (rc != SQLITE_OK)
		return store_fault(err, rc, "Không lưu được hồ sơ");
	return attach_reused(st, r, err);
}

static void record_release(struct record *r)
{
	if (r->reasons)
		for (size_t i = 0; i < r->proc->ncomponents; i++)
			free(r->reasons[i]);
	free(r->reasons);
	free(r->procedure_name);
	free(r->note);
	free(r->fee_reason);
	workstation_release(&r->ws);
}

/* After the commit, here and now (the CLI; the TUI does it in a worker):
 * the receipt's PDF, then the printer. */
static void write_receipt_after(struct store *st, struct reception_result *res)
{
	struct reception_receipt r;
	reception_receipt_prepare(st, res->code, RECEIPT_WRITE | RECEIPT_PRINT, &r);
	reception_receipt_write(&r);
	reception_receipt_print(&r);
	if (r.written) {
		res->receipt_path = r.path;
		r.path = NULL;
	}
	res->receipt_error = r.error;
	r.error = NULL;
	res->printed = r.printed;
	res->print_error = r.print_error;
	r.print_error = NULL;
	reception_receipt_release(&r);
}

int reception_commit_flags(struct store *st, const struct reception_input *in, const char *clerk,
			   const struct mc_dt *now, unsigned flags, struct reception_result *res,
			   struct reception_error *err)
{
	reception_result_init(res);
	struct reception_plan plan;
	struct catalog_detail proc;
	struct clean_applicant app;
	if (plan_all(st, in, now, &plan, &proc, &app, err))
		return -1;

	struct record r;
	memset(&r, 0, sizeof r);
	r.clerk = clerk;
	r.proc = &proc;
	/* A counter reception: created new and received at once, as the
	 * lifecycle table says (NEW -> receive); it cannot fail but by a bug. */
	if (mc_lifecycle_apply(MC_ST_NEW, MC_ACT_RECEIVE, &r.status, NULL))
		abort();
	r.app = &app;
	r.in = in;
	int rc = check_clerk(st, clerk, err);
	if (!rc)
		rc = load_workstation(st, &r.ws, err);
	if (!rc && sodium_init() < 0)
		rc = refuse(err, RF_STORE, 0, "Không khởi tạo được thư viện mật mã (libsodium)");
	if (rc)
		goto out;

	r.reasons = xcalloc(proc.ncomponents ? proc.ncomponents : 1, sizeof(*r.reasons));
	for (size_t i = 0; i < proc.ncomponents; i++) {
		const struct reception_component *got = find_input(in, proc.components[i].id);
		if (got && !mc_text_blank(got->override_reason))
			r.reasons[i] = mc_text_squeeze(got->override_reason);
	}
	r.procedure_name = mc_text_nfc(proc.proc.name);
	if (!mc_text_blank(in->note))
		r.note = mc_text_squeeze(in->note);
	r.fee_status = plan.fee_status;
	r.fee_amount = plan.fee_amount;
	if (plan.fee_status == MC_FEE_EXEMPT)
		r.fee_reason = mc_text_squeeze(in->fee.reason);
	mc_format_dt(r.received, sizeof r.received, &plan.received);
	mc_format_dt(r.appointment, sizeof r.appointment, &plan.appointment);
	mc_format_dt(r.now, sizeof r.now, now);
	store_uuid7(r.id);
	store_uuid7(r.event_id);
	store_uuid7(r.op_id);

	struct dossier_tx t;
	rc = dossier_tx_begin(&t, st);
	if (rc != SQLITE_OK) {
		rc = store_fault(err, rc, "Không bắt đầu ghi được vào kho dữ liệu");
		goto out;
	}
	rc = write_all(st, &r, err);
	if (rc)
		dossier_tx_rollback(&t);
	else if ((rc = dossier_tx_commit(&t)) != SQLITE_OK)
		rc = store_fault(err, rc, "Không lưu được hồ sơ");
	if (rc)
		goto out;

	memcpy(res->id, r.id, sizeof res->id);
	snprintf(res->code, sizeof res->code, "%s", r.code);
	res->received = plan.received;
	res->appointment = plan.appointment;
	if (!(flags & RECEPTION_NO_RECEIPT))
		write_receipt_after(st, res);
out:
	record_release(&r);
	clean_applicant_release(&app);
	catalog_detail_release(&proc);
	return rc ? -1 : 0;
}

int reception_commit(struct store *st, const struct reception_input *in, const char *clerk,
		     const struct mc_dt *now, struct reception_result *res,
		     struct reception_error *err)
{
	return reception_commit_flags(st, in, clerk, now, 0, res, err);
}

/* ---- a visit without a received dossier ------------------------------------ */

void reception_person_release(struct reception_person *p)
{
	free(p->procedure_code);
	free(p->procedure_name);
	free(p->unit_code);
	free(p->full_name);
	free(p->id_number);
	free(p->phone);
	free(p->email);
	free(p->address);
	free(p->commune);
	free(p->note);
	memset(p, 0, sizeof(*p));
}

int reception_check_visit(struct store *st, const struct reception_input *in, const char *clerk,
			  const struct mc_dt *now, struct reception_person *p,
			  struct reception_error *err)
{
	error_clear(err);
	memset(p, 0, sizeof(*p));
	struct catalog_detail d;
	struct clean_applicant a;
	struct workstation ws = { NULL, NULL };
	if (load_procedure(st, in, &d, err))
		return -1;
	int rc = check_applicant(st, in, now, &a, err);
	if (rc) {
		catalog_detail_release(&d);
		return -1;
	}
	rc = check_free_text(in->note, "Ghi chú", RF_NOTE, 0, &p->note, err);
	if (!rc)
		rc = check_clerk(st, clerk, err);
	if (!rc)
		rc = load_workstation(st, &ws, err);
	if (!rc) {
		p->procedure_code = xstrdup(d.proc.code);
		p->procedure_name = mc_text_nfc(d.proc.name);
		p->unit_code = ws.unit_code;
		ws.unit_code = NULL;
		p->full_name = a.full_name;
		p->id_number = a.id_number;
		p->phone = a.phone;
		p->email = a.email;
		p->address = a.address;
		p->commune = a.commune;
		memcpy(p->birth_date, a.birth_date, sizeof p->birth_date);
		p->sex = a.sex;
		free(a.fold);
		memset(&a, 0, sizeof a);
	} else {
		FREE(&p->note);
	}
	workstation_release(&ws);
	clean_applicant_release(&a);
	catalog_detail_release(&d);
	return rc ? -1 : 0;
}
