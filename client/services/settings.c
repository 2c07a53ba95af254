/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "client/services/settings.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <curl/curl.h>

#include "client/print/print.h"
#include "client/services/reception.h"
#include "client/services/service.h"
#include "client/store/import.h"
#include "client/store/settings.h"
#include "core/calendar.h"
#include "core/dcode.h"
#include "core/text.h"
#include "sync/sync.h"
/* last: they rename the library functions above (client/base/lazylib.h) */
#include "client/base/lazy_curl.h"

_Static_assert((int)SETTINGS_REFUSED == (int)SERVICE_REFUSED &&
		       (int)SETTINGS_FAULT == (int)SERVICE_FAULT,
	       "the outcomes are the services' own");

#define SETTING_ENTRY(n, k, d, lo, hi, l, desc) { #n, k, d, lo, hi, l, desc },
static const struct setting_def defs[] = { SETTINGS_TABLE(SETTING_ENTRY) };
#undef SETTING_ENTRY
#define N_DEFS (sizeof(defs) / sizeof(defs[0]))

#define SETTING_MAX_BYTES 500

const struct setting_def *settings_defs(size_t *n)
{
	*n = N_DEFS;
	return defs;
}

const struct setting_def *settings_find(const char *name)
{
	for (size_t i = 0; name && i < N_DEFS; i++)
		if (!strcmp(defs[i].name, name))
			return &defs[i];
	return NULL;
}

char *settings_value(struct store *st, const struct setting_def *d, bool *is_default)
{
	char *v = NULL;
	if (d->kind == SETTING_SERVER) {
		struct sync_config c;
		sync_config_load(st, &c);
		v = c.server_url ? xstrdup(c.server_url) : NULL;
		sync_config_release(&c);
	} else {
		v = store_get_setting(st, d->name);
	}
	if (is_default)
		*is_default = !v || !*v;
	if (!v || !*v) {
		free(v);
		v = xstrdup(d->dflt);
	}
	return v;
}

/* ---- checks ------------------------------------------------------------- */

static int check_url(const char *v, struct strbuf *err)
{
	for (const unsigned char *p = (const unsigned char *)v; *p; p++)
		if (*p <= ' ' || *p == 127)
			return service_refuse(err, "địa chỉ «%s» có khoảng trắng hoặc ký tự điều khiển", v);
	const char *sep = strstr(v, "://");
	if (sep && sep[3] == '/')
		return service_refuse(err, "địa chỉ «%s» thiếu tên máy sau ://", v);
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *fragment = NULL;
	int rc = 0;
	if (curl_url_set(u, CURLUPART_URL, v, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK || !*host)
		rc = service_refuse(err, "địa chỉ «%s» không hợp lệ: cần dạng http://TÊN_MÁY/ĐƯỜNG_DẪN hoặc https://…",
				    v);
	else if (strcmp(scheme, "http") && strcmp(scheme, "https"))
		rc = service_refuse(err, "địa chỉ «%s» phải bắt đầu bằng http:// hoặc https://", v);
	else if (curl_url_get(u, CURLUPART_FRAGMENT, &fragment, 0) == CURLUE_OK)
		rc = service_refuse(err, "địa chỉ «%s» không được có phần #…: mã hồ sơ được nối vào cuối", v);
	curl_free(scheme);
	curl_free(host);
	curl_free(fragment);
	curl_url_cleanup(u);
	return rc;
}

static int check_phone(const char *v, struct strbuf *err)
{
	int digits = 0;
	for (const char *p = v; *p; p++) {
		if (isdigit((unsigned char)*p))
			digits++;
		else if (!strchr(" +.-()", *p))
			return service_refuse(err, "số điện thoại «%s» chỉ gồm chữ số, dấu cách và + . - ( )", v);
	}
	if (digits < 8 || digits > 15)
		return service_refuse(err, "số điện thoại «%s» cần từ 8 đến 15 chữ số", v);
	return 0;
}

static int check_number(const struct setting_def *d, const char *v, struct strbuf *err)
{
	char *end;
	errno = 0;
	long n = strtol(v, &end, 10);
	if (errno || end == v || *end || n < d->min || n > d->max)
		return service_refuse(err, "%s phải là số nguyên từ %ld đến %ld (nhận «%s»)", d->name, d->min,
				      d->max, v);
	return 0;
}

/* The office hours in force, parsed into cal (initialised here). */
static void hours_in_force(struct store *st, struct mc_calendar *cal)
{
	mc_calendar_init(cal);
	char *h = settings_value(st, settings_find("office_hours"), NULL);
	struct strbuf why = STRBUF_INIT;
	mc_calendar_parse_hours(cal, h, &why); /* a bad stored value: the defaults stay */
	strbuf_release(&why);
	free(h);
}

static bool within(const struct mc_calendar *cal, int minute)
{
	return cal->nperiods > 0 && minute >= cal->periods[0].start &&
	       minute <= cal->periods[cal->nperiods - 1].end;
}

static int check_hours(struct store *st, const char *v, char **normal, struct strbuf *warn,
		       struct strbuf *err)
{
	struct mc_calendar cal;
	mc_calendar_init(&cal);
	struct strbuf why = STRBUF_INIT;
	int rc = 0;
	if (mc_calendar_parse_hours(&cal, v, &why)) {
		rc = service_refuse(err, "giờ làm việc «%s» không hợp lệ: %s", v, why.buf);
	} else {
		char buf[64];
		mc_calendar_format_hours(&cal, buf, sizeof buf);
		*normal = xstrdup(buf);
		char *cut = settings_value(st, settings_find("cutoff"), NULL);
		int m;
		if (warn && !mc_parse_hhmm(cut, false, &m) && !within(&cal, m))
			strbuf_addf(warn, "giờ chốt nhận %s nằm ngoài giờ làm việc mới: hãy đặt lại cutoff",
				    cut);
		free(cut);
	}
	strbuf_release(&why);
	mc_calendar_release(&cal);
	return rc;
}

static int check_time(struct store *st, const char *v, char **normal, struct strbuf *err)
{
	int m;
	if (mc_parse_hhmm(v, false, &m))
		return service_refuse(err, "giờ «%s» không hợp lệ: cần dạng HH:MM, ví dụ 15:00", v);
	struct mc_calendar cal;
	hours_in_force(st, &cal);
	char hours[64];
	mc_calendar_format_hours(&cal, hours, sizeof hours);
	bool ok = within(&cal, m);
	mc_calendar_release(&cal);
	if (!ok)
		return service_refuse(err, "giờ chốt nhận %s nằm ngoài giờ làm việc (%s)", v, hours);
	*normal = xasprintf("%02d:%02d", m / 60, m % 60);
	return 0;
}

static int check_unit(struct store *st, const char *v, char **normal, struct strbuf *err)
{
	struct settings_unit u;
	if (settings_unit_load(st, v, &u))
		return service_refuse(err, "không có đơn vị hoặc xã, phường mã «%s» trong kho dữ liệu"
				      " (tra cứu: motcua catalog communes TÊN)", v);
	*normal = xstrdup(u.code);
	settings_unit_release(&u);
	return 0;
}

static char *trimmed(const char *v)
{
	while (*v == ' ' || *v == '\t')
		v++;
	size_t n = strlen(v);
	while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
		n--;
	return xstrndup(v, n);
}

int settings_check(struct store *st, const struct setting_def *d, const char *value, char **normal,
		   struct strbuf *warn, struct strbuf *err)
{
	*normal = NULL;
	if (d->kind == SETTING_SERVER)
		return service_refuse(err, "máy chủ đồng bộ chỉ đổi bằng: motcua login --server URL --username TÊN");
	if (!mc_text_valid(value) || strchr(value, '\n') || strchr(value, '\r'))
		return service_refuse(err, "giá trị của %s phải là một dòng văn bản UTF-8", d->name);
	if (strlen(value) > SETTING_MAX_BYTES)
		return service_refuse(err, "giá trị của %s dài quá %d byte", d->name, SETTING_MAX_BYTES);
	char *v = trimmed(value);
	int rc = 0;
	if (!*v && (d->kind == SETTING_UNIT || d->kind == SETTING_IDENT)) {
		free(v);
		return service_refuse(err, "%s không được để trống", d->name);
	}
	if (!*v) {
		*normal = v; /* back to the default */
		return 0;
	}
	switch (d->kind) {
	case SETTING_TEXT:
		*normal = mc_text_nfc(v);
		break;
	case SETTING_UNIT:
		rc = check_unit(st, v, normal, err);
		break;
	case SETTING_IDENT:
		if (!mc_unit_ident_valid(v))
			rc = service_refuse(err, "mã định danh đơn vị «%s» không hợp lệ: tối đa 35 ký tự A-Z, 0-9"
					    " theo nhóm cách nhau bởi dấu chấm", v);
		else
			*normal = xstrdup(v);
		break;
	case SETTING_PHONE:
		if (!(rc = check_phone(v, err)))
			*normal = xstrdup(v);
		break;
	case SETTING_URL:
		if (!(rc = check_url(v, err)))
			*normal = xstrdup(v);
		break;
	case SETTING_PRINTER: {
		struct strbuf why = STRBUF_INIT;
		int found = print_printer_check(v, &why);
		if (found)
			rc = service_refuse(err, "không đặt được máy in «%s»: %s", v, why.buf);
		else
			*normal = xstrdup(v);
		strbuf_release(&why);
		break;
	}
	case SETTING_HOURS:
		rc = check_hours(st, v, normal, warn, err);
		break;
	case SETTING_TIME:
		rc = check_time(st, v, normal, err);
		break;
	case SETTING_NUMBER:
		if (!(rc = check_number(d, v, err)))
			*normal = xstrdup(v);
		break;
	case SETTING_SERVER:
		break;
	}
	free(v);
	return rc;
}

int settings_set(struct store *st, const struct setting_def *d, const char *value,
		 struct strbuf *warn, struct strbuf *err)
{
	char *v = NULL;
	int rc = settings_check(st, d, value, &v, warn, err);
	if (rc)
		return rc;
	if (store_begin(st, err)) {
		free(v);
		return SETTINGS_FAULT;
	}
	if (d->kind == SETTING_UNIT && *v) {
		struct settings_unit u;
		settings_unit_load(st, v, &u);
		/* a commune of the catalog becomes a unit with the default identifier */
		if (!u.in_units)
			rc = import_set_unit(st, v, NULL, err) ? SETTINGS_FAULT : 0;
		else
			rc = settings_write(st, "unit_code", v, err) ||
			     settings_write(st, "unit_ident", u.ident, err) ? SETTINGS_FAULT : 0;
		settings_unit_release(&u);
	} else {
		rc = settings_write(st, d->name, v, err) ? SETTINGS_FAULT : 0;
	}
	free(v);
	if (rc) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st, err) ? SETTINGS_FAULT : 0;
}

/* The header the receipts print: the settings, else the unit's name. */
static void header_of(struct store *st, char **parent, char **unit, char **place)
{
	*parent = store_get_setting(st, "receipt_parent_name");
	*unit = store_get_setting(st, "receipt_unit_name");
	*place = store_get_setting(st, "place_name");
	char *code = store_get_setting(st, "unit_code");
	struct settings_unit u;
	if (code && !settings_unit_load(st, code, &u)) {
		if (mc_text_blank(*parent)) {
			free(*parent);
			*parent = xasprintf("UBND %s", u.name);
		}
		if (mc_text_blank(*unit)) {
			free(*unit);
			*unit = xstrdup(u.name);
		}
		if (mc_text_blank(*place)) {
			free(*place);
			*place = xstrdup(u.name);
		}
		settings_unit_release(&u);
	}
	free(code);
}

int settings_test_page(struct store *st, const char *printer, const char *out,
		       const struct mc_dt *now, char **pdf, bool *printed, struct strbuf *err)
{
	*printed = false;
	char *set_printer = printer ? NULL : store_get_setting(st, "printer");
	const char *use = printer ? printer : set_printer;
	char *parent, *unit, *place;
	header_of(st, &parent, &unit, &place);
	char *address = store_get_setting(st, "unit_address");
	char *phone = store_get_setting(st, "unit_phone");
	char *qr = reception_lookup_url(st, "");
	if (out) {
		*pdf = xstrdup(out);
	} else {
		char *dir = reception_receipt_dir(st);
		if (mkdir(dir, 0700) && errno != EEXIST)
			strbuf_addf(err, "không tạo được thư mục %s: %s; ", dir, strerror(errno));
		*pdf = xasprintf("%s/trang-in-thu.pdf", dir);
		free(dir);
	}
	struct print_test_page t = { parent, unit, place, address, phone,
				     mc_text_blank(use) ? NULL : use, qr, now };
	int rc = 0;
	if (print_test_page_pdf(&t, *pdf, err))
		rc = -1;
	else if (!mc_text_blank(use) && print_pdf(use, *pdf, err))
		rc = -2;
	else
		*printed = !mc_text_blank(use);
	if (!rc)
		strbuf_reset(err);
	free(qr);
	free(address);
	free(phone);
	free(parent);
	free(unit);
	free(place);
	free(set_printer);
	return rc;
}

static void md_cell(struct strbuf *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			strbuf_addstr(out, "\\|");
		else
			strbuf_addch(out, *s);
	}
}

static const char *kind_name(enum setting_kind k)
{
	static const char *const names[] = {
		[SETTING_TEXT] = "văn bản", [SETTING_UNIT] = "mã đơn vị",
		[SETTING_IDENT] = "mã định danh", [SETTING_PHONE] = "số điện thoại",
		[SETTING_URL] = "địa chỉ http(s)", [SETTING_PRINTER] = "máy in CUPS",
		[SETTING_HOURS] = "giờ làm việc", [SETTING_TIME] = "HH:MM",
		[SETTING_NUMBER] = "số nguyên", [SETTING_SERVER] = "chỉ đọc",
	};
	return names[k];
}

void settings_markdown(struct strbuf *out)
{
	strbuf_addstr(out, "| setting | kind | default | meaning |\n|---|---|---|---|\n");
	for (size_t i = 0; i < N_DEFS; i++) {
		const struct setting_def *d = &defs[i];
		strbuf_addf(out, "| `%s` | %s", d->name, kind_name(d->kind));
		if (d->kind == SETTING_NUMBER)
			strbuf_addf(out, " %ld..%ld", d->min, d->max);
		strbuf_addstr(out, " | ");
		if (*d->dflt) {
			strbuf_addstr(out, "`");
			md_cell(out, d->dflt);
			strbuf_addstr(out, "`");
		}
		strbuf_addstr(out, " | ");
		md_cell(out, d->label);
		strbuf_addstr(out, ": ");
		md_cell(out, d->description);
		strbuf_addstr(out, " |\n");
	}
}
