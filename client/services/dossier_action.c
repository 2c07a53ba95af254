/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Dossier actions after reception: checks, the clock, the one-transaction
 * commit. Rules, messages and payloads: docs/lifecycle.md. */
#include "client/services/dossier_action.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "client/base/exitcode.h"
#include "client/base/files.h"
#include "client/base/sealed.h"
#include "client/services/service.h"
#include "client/store/action_store.h"
#include "client/store/calendar_store.h"
#include "client/store/docstore.h"
#include "client/store/dossier_query.h"
#include "client/store/dossier_tx.h"
#include "client/store/lookup.h"
#include "client/store/outbox.h"
#include "core/papertype.h"
#include "core/text.h"
#include "core/xalloc.h"

_Static_assert((int)DOSSIER_ACTION_OK == (int)SERVICE_OK &&
		       (int)DOSSIER_ACTION_REFUSED == (int)SERVICE_REFUSED &&
		       (int)DOSSIER_ACTION_FAULT == (int)SERVICE_FAULT,
	       "the outcomes are the services' own");

#define SEARCH_DAYS 3660 /* ten years: a calendar without working days is broken */

/* ---- messages ------------------------------------------------------------- */

/* "DD/MM/YYYY" of a day number or of a date-time. */
static void day_vn(char *buf, size_t n, long day)
{
	int y, m, d;
	mc_civil_from_days(day, &y, &m, &d);
	mc_format_date_vn(buf, n, y, m, d);
}

static void dt_vn(char *buf, size_t n, const struct mc_dt *t)
{
	char date[16];
	mc_format_date_vn(date, sizeof date, t->y, t->m, t->d);
	snprintf(buf, n, "%02d:%02d %s", t->hh, t->mi, date);
}

static long day_of(const struct mc_dt *t)
{
	return mc_days_from_civil(t->y, t->m, t->d);
}

/* ---- the clock ------------------------------------------------------------ */

long long dossier_clock_working_minutes(const struct mc_calendar *cal, const struct mc_dt *from,
					const struct mc_dt *to)
{
	long long a = mc_dt_minutes(from), b = mc_dt_minutes(to);
	if (b <= a)
		return 0;
	long long sum = 0;
	for (long day = day_of(from), last = day_of(to); day <= last; day++) {
		if (!mc_is_working_day(cal, day))
			continue;
		long long base = (long long)day * 1440;
		for (int i = 0; i < cal->nperiods; i++) {
			long long s = base + cal->periods[i].start, e = base + cal->periods[i].end;
			long long lo = s > a ? s : a, hi = e < b ? e : b;
			if (hi > lo)
				sum += hi - lo;
		}
	}
	return sum;
}

int dossier_clock_add_minutes(const struct mc_calendar *cal, const struct mc_dt *t, long long minutes,
			      struct mc_dt *out)
{
	*out = *t;
	if (minutes <= 0)
		return 0;
	long day = day_of(t);
	int tod = t->hh * 60 + t->mi;
	for (;;) {
		if (mc_is_working_day(cal, day)) {
			for (int i = 0; i < cal->nperiods; i++) {
				int start = cal->periods[i].start > tod ? cal->periods[i].start : tod;
				if (start >= cal->periods[i].end)
					continue;
				long long avail = cal->periods[i].end - start;
				if (minutes <= avail) {
					mc_dt_from_minutes((long long)day * 1440 + start + minutes, out);
					return 0;
				}
				minutes -= avail;
			}
		}
		day = mc_next_working_day(cal, day);
		if (day < 0 || cal->nperiods == 0)
			return -1;
		tod = 0;
	}
}

int dossier_clock_add_days(const struct mc_calendar *cal, const struct mc_dt *t, int n,
			   struct mc_dt *out)
{
	long day = day_of(t);
	for (int i = 0; i < n; i++) {
		day = mc_next_working_day(cal, day);
		if (day < 0)
			return -1;
	}
	*out = *t;
	mc_civil_from_days(day, &out->y, &out->m, &out->d);
	return 0;
}

long dossier_clock_apology_deadline(const struct mc_calendar *cal, const struct mc_dt *due)
{
	long due_day = day_of(due);
	for (long d = due_day - 1; d >= due_day - SEARCH_DAYS; d--)
		if (mc_is_working_day(cal, d))
			return d;
	return -1;
}

/* ---- names ---------------------------------------------------------------- */

static const char *const rating_names[] = { NULL, "Rất hài lòng", "Hài lòng", "Không hài lòng" };

const char *dossier_rating_name(int rating)
{
	return rating >= 1 && rating <= 3 ? rating_names[rating] : NULL;
}

static const struct {
	const char *id, *name;
} methods[] = {
	{ "counter", "Trực tiếp tại Bộ phận Một cửa" },
	{ "post", "Qua dịch vụ bưu chính công ích" },
	{ "online", "Trực tuyến (bản điện tử)" },
};

const char *dossier_return_method_name(const char *method)
{
	for (size_t i = 0; method && i < sizeof methods / sizeof methods[0]; i++)
		if (!strcmp(methods[i].id, method))
			return methods[i].name;
	return NULL;
}

/* ---- input ---------------------------------------------------------------- */

void dossier_action_input_init(struct dossier_action_input *in, enum mc_action action)
{
	memset(in, 0, sizeof(*in));
	in->action = action;
}

void dossier_action_input_release(struct dossier_action_input *in)
{
	free(in->reason);
	free(in->to_unit);
	free(in->date);
	free(in->comment);
	free(in->result_code);
	free(in->result_file);
	free(in->result_type);
	free(in->result_expires);
	free(in->method);
	free(in->recipient);
	free(in->papers);
	dossier_action_input_init(in, in->action);
}

/* The options, their names in messages and their CLI flags. */
enum opt {
	O_REASON, O_TO, O_DAYS, O_DATE, O_RATING, O_COMMENT, O_RESULT_CODE, O_FILE, O_METHOD,
	O_RECIPIENT, O_PAPERS, O_TYPE, O_EXPIRES, O__N
};
#define B(o) (1u << (o))

static const struct {
	const char *name, *flag;
} opts[O__N] = {
	[O_REASON] = { "lý do", "--reason" },
	[O_TO] = { "đơn vị nhận hồ sơ", "--to" },
	[O_DAYS] = { "số ngày làm việc gia hạn", "--days" },
	[O_DATE] = { "ngày hẹn trả mới", "--date" },
	[O_RATING] = { "mức độ hài lòng", "--rating" },
	[O_COMMENT] = { "ý kiến của người nộp", "--comment" },
	[O_RESULT_CODE] = { "số, ký hiệu của kết quả", "--result-code" },
	[O_FILE] = { "tệp kết quả", "--file" },
	[O_METHOD] = { "hình thức trả kết quả", "--method" },
	[O_RECIPIENT] = { "người nhận kết quả", "--recipient" },
	[O_PAPERS] = { "giấy tờ cần bổ sung", "--papers" },
	[O_TYPE] = { "loại giấy tờ của kết quả", "--type" },
	[O_EXPIRES] = { "thời hạn của kết quả", "--expires" },
};

/* What each action takes and needs. apologize also needs one of days, date. */
static const struct {
	enum mc_action action;
	unsigned takes, needs;
} specs[] = {
	{ MC_ACT_TRANSFER, B(O_TO) | B(O_REASON), B(O_TO) },
	{ MC_ACT_REQUEST_SUPPLEMENT, B(O_PAPERS) | B(O_REASON), B(O_PAPERS) },
	{ MC_ACT_SUPPLEMENT_RECEIVED, B(O_REASON), 0 },
	{ MC_ACT_REFUSE, B(O_REASON), B(O_REASON) },
	{ MC_ACT_APOLOGIZE, B(O_DAYS) | B(O_DATE) | B(O_REASON), B(O_REASON) },
	{ MC_ACT_RESULT_READY, B(O_RESULT_CODE) | B(O_FILE) | B(O_TYPE) | B(O_EXPIRES),
	  B(O_RESULT_CODE) },
	{ MC_ACT_RETURN, B(O_METHOD) | B(O_RECIPIENT), 0 },
	{ MC_ACT_WITHDRAW, B(O_REASON), B(O_REASON) },
	{ MC_ACT_STOP, B(O_REASON), B(O_REASON) },
	{ MC_ACT_RATE, B(O_RATING) | B(O_COMMENT), B(O_RATING) },
};

static int spec_of(enum mc_action a)
{
	for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++)
		if (specs[i].action == a)
			return (int)i;
	return -1;
}

bool dossier_action_supported(enum mc_action a)
{
	return spec_of(a) >= 0;
}

static unsigned given(const struct dossier_action_input *in)
{
	unsigned g = 0;
	const char *texts[O__N] = {
		[O_REASON] = in->reason, [O_TO] = in->to_unit, [O_DATE] = in->date,
		[O_COMMENT] = in->comment, [O_RESULT_CODE] = in->result_code,
		[O_FILE] = in->result_file, [O_METHOD] = in->method,
		[O_RECIPIENT] = in->recipient, [O_PAPERS] = in->papers,
		[O_TYPE] = in->result_type, [O_EXPIRES] = in->result_expires,
	};
	for (int o = 0; o < O__N; o++)
		if (!mc_text_blank(texts[o]))
			g |= B(o);
	if (in->days)
		g |= B(O_DAYS);
	if (in->rating)
		g |= B(O_RATING);
	return g;
}

/* Capitalised option name for the start of a sentence. */
static char *cap(const char *s)
{
	int32_t cp;
	size_t k = mc_utf8_next(s, strlen(s), &cp);
	if (cp >= 'a' && cp <= 'z')
		return xasprintf("%c%s", (char)(cp - 'a' + 'A'), s + k);
	if (!strncmp(s, "đ", k))
		return xasprintf("Đ%s", s + k);
	return xstrdup(s);
}

/* ---- the checked input ---------------------------------------------------- */

struct plan {
	char *reason, *comment, *result_code, *recipient, *to_unit, *to_unit_name;
	const char *method;
	json_t *list;      /* papers (request-supplement) or reasons (refuse) */
	int days, rating;
	bool has_date, date_has_time;
	struct mc_dt date;
	json_t *file;      /* result-ready: {name, path, size, sha256} */
};

static void plan_release(struct plan *p)
{
	free(p->reason);
	free(p->comment);
	free(p->result_code);
	free(p->recipient);
	free(p->to_unit);
	free(p->to_unit_name);
	json_decref(p->list);
	json_decref(p->file);
	memset(p, 0, sizeof(*p));
}

/* SHA-256 and size of a regular file, into a JSON object. */
static int check_file(const char *path, json_t **out, struct strbuf *err)
{
	if (!mc_text_valid(path))
		return service_refuse(err, "Đường dẫn tệp kết quả chứa byte không phải UTF-8");
	struct stat sb;
	if (stat(path, &sb))
		return service_refuse(err, "Không mở được tệp kết quả %s: %s", path, strerror(errno));
	if (!S_ISREG(sb.st_mode))
		return service_refuse(err, "Tệp kết quả %s không phải một tệp thông thường", path);
	FILE *f = fopen(path, "rb");
	if (!f)
		return service_refuse(err, "Không đọc được tệp kết quả %s: %s", path, strerror(errno));
	crypto_hash_sha256_state h;
	crypto_hash_sha256_init(&h);
	unsigned char buf[65536];
	size_t n;
	long long size = 0;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
		crypto_hash_sha256_update(&h, buf, n);
		size += (long long)n;
	}
	int bad = ferror(f);
	fclose(f);
	if (bad)
		return service_refuse(err, "Không đọc được tệp kết quả %s", path);
	unsigned char hash[crypto_hash_sha256_BYTES];
	char hex[crypto_hash_sha256_BYTES * 2 + 1];
	crypto_hash_sha256_final(&h, hash);
	sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
	char *abs = realpath(path, NULL);
	const char *full = abs ? abs : path;
	const char *slash = strrchr(full, '/');
	json_t *j = json_object();
	json_object_set_new(j, "name", json_string(slash ? slash + 1 : full));
	json_object_set_new(j, "path", json_string(full));
	json_object_set_new(j, "size", json_integer(size));
	json_object_set_new(j, "sha256", json_string(hex));
	free(abs);
	*out = j;
	return 0;
}

static int check_date(const struct dossier_action_input *in, struct plan *p, struct strbuf *err)
{
	struct mc_date d;
	const char *s = in->date;
	while (*s == ' ')
		s++;
	if (strlen(s) <= 10 && !mc_parse_date(s, &d)) {
		p->date = (struct mc_dt){ d.y, d.m, d.d, 0, 0 };
		p->date_has_time = false;
	} else if (strlen(s) <= 16 && !mc_parse_dt(s, &p->date)) {
		p->date_has_time = true;
	} else {
		return service_refuse(err, "Ngày hẹn trả mới «%.20s» không hợp lệ: cần dạng YYYY-MM-DD hoặc"
				      " YYYY-MM-DDTHH:MM có thật", mc_text_valid(in->date) ? in->date : "?");
	}
	p->has_date = true;
	return 0;
}

/* Every check of the input that needs no dossier. */
static int check_input(struct store *st, const struct dossier_action_input *in, struct plan *p,
		       struct strbuf *err)
{
	memset(p, 0, sizeof(*p));
	int s = spec_of(in->action);
	if (s < 0) {
		const char *label = mc_action_label(in->action);
		return service_refuse(err, "Thao tác «%s» không thực hiện được trên hồ sơ đã tiếp nhận",
				      label ? label : "?");
	}
	const char *label = mc_action_label(in->action);
	unsigned g = given(in);
	for (int o = 0; o < O__N; o++) {
		if ((g & B(o)) && !(specs[s].takes & B(o)))
			return service_refuse(err, "Thao tác «%s» không dùng %s (%s)", label, opts[o].name,
					      opts[o].flag);
	}
	for (int o = 0; o < O__N; o++) {
		if ((specs[s].needs & B(o)) && !(g & B(o))) {
			char *what = cap(opts[o].name);
			int rc = service_refuse(err, "%s: thao tác «%s» cần %s (%s)", what, label, opts[o].name,
						opts[o].flag);
			free(what);
			return rc;
		}
	}
	if (in->action == MC_ACT_APOLOGIZE) {
		if ((g & B(O_DAYS)) && (g & B(O_DATE)))
			return service_refuse(err, "Xin lỗi, hẹn lại: chỉ cho số ngày làm việc gia hạn (--days)"
					      " hoặc ngày hẹn trả mới (--date), không cho cả hai");
		if (!(g & (B(O_DAYS) | B(O_DATE))))
			return service_refuse(err, "Xin lỗi, hẹn lại: cần số ngày làm việc gia hạn (--days) hoặc"
					      " ngày hẹn trả mới (--date)");
		if ((g & B(O_DAYS)) && (in->days < 1 || in->days > DOSSIER_ACTION_DAYS_MAX))
			return service_refuse(err, "Số ngày làm việc gia hạn phải từ 1 đến %d",
					      DOSSIER_ACTION_DAYS_MAX);
		p->days = in->days;
		if ((g & B(O_DATE)) && check_date(in, p, err))
			return -1;
	}
	if ((g & B(O_RATING)) && (in->rating < 1 || in->rating > 3))
		return service_refuse(err, "Mức độ hài lòng phải là 1 (rất hài lòng), 2 (hài lòng) hoặc 3"
				      " (không hài lòng)");
	p->rating = in->rating;
	if (in->action == MC_ACT_REFUSE) {
		if (service_split_list(in->reason, "Lý do từ chối", DOSSIER_ACTION_TEXT_MAX,
				       DOSSIER_ACTION_PAPERS_MAX, &p->list, err))
			return -1;
		if (!json_array_size(p->list))
			return service_refuse(err, "Lý do: thao tác «%s» cần lý do (--reason)", label);
	} else if (mc_text_form(in->reason, "Lý do", DOSSIER_ACTION_TEXT_MAX, &p->reason, err)) {
		return -1;
	}
	if (in->action == MC_ACT_REQUEST_SUPPLEMENT) {
		if (service_split_list(in->papers, "Giấy tờ cần bổ sung", DOSSIER_ACTION_TEXT_MAX,
				       DOSSIER_ACTION_PAPERS_MAX, &p->list, err))
			return -1;
		if (!json_array_size(p->list))
			return service_refuse(err, "Giấy tờ cần bổ sung: cần ít nhất một giấy tờ (--papers)");
	}
	if (mc_text_form(in->comment, "Ý kiến của người nộp", DOSSIER_ACTION_TEXT_MAX, &p->comment, err) ||
	    mc_text_form(in->result_code, "Số, ký hiệu của kết quả", DOSSIER_ACTION_CODE_MAX,
		       &p->result_code, err) ||
	    mc_text_form(in->recipient, "Người nhận kết quả", DOSSIER_ACTION_NAME_MAX, &p->recipient, err))
		return -1;
	if (in->action == MC_ACT_RETURN) {
		p->method = "counter";
		if (!mc_text_blank(in->method)) {
			size_t i = 0, n = sizeof methods / sizeof methods[0];
			while (i < n && strcmp(methods[i].id, in->method))
				i++;
			if (i == n)
				return service_refuse(err, "Hình thức trả kết quả «%.20s» không hợp lệ: counter (trực"
						      " tiếp), post (bưu chính) hoặc online (trực tuyến)",
						      mc_text_valid(in->method) ? in->method : "?");
			p->method = methods[i].id;
		}
	}
	if (!mc_text_blank(in->result_file) && check_file(in->result_file, &p->file, err))
		return -1;
	if ((!mc_text_blank(in->result_type) || !mc_text_blank(in->result_expires) ||
	     in->result_key) && !p->file)
		return service_refuse(err, "Loại, thời hạn và chữ ký số của kết quả đi cùng tệp kết quả (--file)");
	if (!mc_text_blank(in->result_type) &&
	    mc_paper_type_from_code(in->result_type) == MC_PT_COUNT)
		return service_refuse(err, "Loại giấy tờ «%.20s» không có: cccd, cmnd, passport, birth, marriage,"
				      " marital, death, residence, land",
				      mc_text_valid(in->result_type) ? in->result_type : "?");
	struct mc_date exp;
	if (!mc_text_blank(in->result_expires) && mc_parse_date(in->result_expires, &exp))
		return service_refuse(err, "Thời hạn của kết quả cần một ngày dạng YYYY-MM-DD (nhận «%.20s»)",
				      mc_text_valid(in->result_expires) ? in->result_expires : "?");
	if (in->action == MC_ACT_TRANSFER) {
		char *code = mc_text_squeeze(mc_text_valid(in->to_unit) ? in->to_unit : "?");
		int rc = lookup_place(st, code, &p->to_unit_name); /* a unit, else a commune */
		if (rc == SQLITE_ROW) {
			p->to_unit = code;
		} else {
			int shown = (int)mc_text_clip(code, 20);
			int r = rc == SQLITE_DONE
					? service_refuse(err, "Không có đơn vị hoặc xã, phường mã «%.*s%s» trong danh mục",
							 shown, code, code[shown] ? "…" : "")
					: service_fault(err, rc, "Không đọc được danh mục đơn vị");
			free(code);
			return r;
		}
	}
	return 0;
}

/* ---- the dossier as it is ------------------------------------------------- */

/* The dossier as it is: a struct action_dossier (client/store/action_store.h),
 * its row and what its events say. */

/* The code as stored: trimmed, upper case. */
static char *norm_code(const char *code)
{
	const char *s = code ? code : "";
	while (*s == ' ' || *s == '\t')
		s++;
	char *c = xstrdup(s);
	size_t n = strlen(c);
	while (n && (c[n - 1] == ' ' || c[n - 1] == '\t' || c[n - 1] == '\n' || c[n - 1] == '\r'))
		c[--n] = '\0';
	for (char *p = c; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	return c;
}

/* Loads the dossier and what its events say. DOSSIER_ACTION_OK, or REFUSED
 * (no such dossier) / FAULT with err. */
static int load_state(struct store *st, const char *code, struct action_dossier *s,
		      struct strbuf *err)
{
	char *c = norm_code(code);
	int rc = action_store_dossier(st, c, s);
	if (rc != SQLITE_ROW) {
		int r = rc == SQLITE_DONE ? service_refuse(err, "Không có hồ sơ mã «%.40s»",
							   mc_text_valid(c) && *c ? c : "?")
					  : service_fault(err, rc, "Không đọc được hồ sơ");
		free(c);
		return r;
	}
	free(c);
	if (mc_parse_dt(s->appointment_text, &s->appointment))
		return service_refuse(err, "Hồ sơ %s có ngày hẹn trả không hợp lệ «%.20s»", s->code,
				      s->appointment_text);
	rc = action_store_history(st, s);
	if (rc != SQLITE_DONE)
		return service_fault(err, rc, "Không đọc được các sự kiện của hồ sơ");
	return DOSSIER_ACTION_OK;
}

static int load_calendar(struct store *st, struct mc_calendar *cal, struct strbuf *err)
{
	mc_calendar_init(cal);
	struct strbuf why = STRBUF_INIT;
	int rc = DOSSIER_ACTION_OK;
	if (calendar_load_store(st, cal, &why))
		rc = service_refuse(err, "%s", why.buf);
	strbuf_release(&why);
	return rc;
}

/* The dossier's own rules for action a at now (the lifecycle already allows
 * it). cal is needed for an apology. */
static int check_rules(const struct action_dossier *s, enum mc_action a, const struct mc_dt *now,
		       const struct mc_calendar *cal, struct strbuf *err)
{
	char when[32], due[32];
	if (a == MC_ACT_APOLOGIZE) {
		if (s->apologies) {
			struct mc_dt at;
			if (mc_parse_dt(s->apology_at, &at))
				return service_refuse(err, "Hồ sơ %s đã được xin lỗi, hẹn lại một lần: không được"
						      " hẹn lại lần nữa", s->code);
			dt_vn(when, sizeof when, &at);
			return service_refuse(err, "Hồ sơ %s đã được xin lỗi, hẹn lại một lần (lúc %s): không"
					      " được hẹn lại lần nữa", s->code, when);
		}
		long deadline = dossier_clock_apology_deadline(cal, &s->appointment);
		day_vn(due, sizeof due, day_of(&s->appointment));
		if (deadline < 0)
			return service_refuse(err, "Lịch làm việc không có ngày làm việc nào trước ngày hẹn trả %s",
					      due);
		if (day_of(now) > deadline) {
			day_vn(when, sizeof when, deadline);
			return service_refuse(err, "Đã quá thời hạn xin lỗi, hẹn lại: phải thực hiện chậm nhất"
					      " 1 ngày làm việc trước ngày hẹn trả %s, tức là đến hết ngày %s",
					      due, when);
		}
	}
	if (a == MC_ACT_RATE && s->rating) {
		json_t *j = json_loads(s->rating, 0, NULL);
		const char *name = dossier_rating_name((int)json_integer_value(json_object_get(j, "rating")));
		int rc = name ? service_refuse(err, "Hồ sơ %s đã được đánh giá (%s): mỗi hồ sơ chỉ đánh giá"
					       " một lần", s->code, name)
			      : service_refuse(err, "Hồ sơ %s đã được đánh giá: mỗi hồ sơ chỉ đánh giá một lần",
					       s->code);
		json_decref(j);
		return rc;
	}
	return DOSSIER_ACTION_OK;
}

/* ---- choices ------------------------------------------------------------- */

int dossier_action_choices(struct store *st, const char *code, const struct mc_dt *now,
			   struct dossier_action_choice *out, size_t max, struct strbuf *err)
{
	struct action_dossier s;
	if (load_state(st, code, &s, err)) {
		action_dossier_release(&s);
		return -1;
	}
	struct mc_calendar cal;
	bool have_cal = false;
	size_t n = 0;
	for (int a = 0; a < MC_ACTION_COUNT && n < max; a++) {
		if (!dossier_action_supported((enum mc_action)a) ||
		    !mc_lifecycle_allowed(s.status, (enum mc_action)a))
			continue;
		struct dossier_action_choice *c = &out[n++];
		struct strbuf why = STRBUF_INIT;
		c->action = (enum mc_action)a;
		c->why[0] = '\0';
		int rc = DOSSIER_ACTION_OK;
		if (a == MC_ACT_APOLOGIZE && !have_cal) {
			rc = load_calendar(st, &cal, &why);
			have_cal = true;
		}
		if (!rc)
			rc = check_rules(&s, (enum mc_action)a, now, &cal, &why);
		c->ok = rc == DOSSIER_ACTION_OK;
		if (!c->ok) {
			size_t keep = why.len < sizeof c->why ? why.len : sizeof c->why - 1;
			while (keep && keep < why.len && ((unsigned char)why.buf[keep] & 0xc0) == 0x80)
				keep--; /* never cut a character */
			memcpy(c->why, why.buf, keep);
			c->why[keep] = '\0';
		}
		strbuf_release(&why);
	}
	if (have_cal)
		mc_calendar_release(&cal);
	action_dossier_release(&s);
	return (int)n;
}

/* ---- the commit ----------------------------------------------------------- */

/* Who acts and for which unit. */
static int check_clerk(struct store *st, const char *clerk, char **unit, struct strbuf *err)
{
	if (mc_text_blank(clerk))
		return service_refuse(err, "Chưa xác định cán bộ thực hiện");
	struct action_clerk who;
	int step = action_store_clerk(st, clerk, &who);
	if (step != SQLITE_ROW)
		return service_refuse(err, "Không có cán bộ «%.40s» trong kho dữ liệu",
				      mc_text_valid(clerk) ? clerk : "?");
	if (who.disabled) {
		action_clerk_release(&who);
		return service_refuse(err, "Tài khoản cán bộ «%.40s» đã bị khóa", clerk);
	}
	*unit = store_get_setting(st, "unit_code");
	if (mc_text_blank(*unit)) {
		free(*unit);
		*unit = who.unit_code;
		who.unit_code = NULL;
	}
	action_clerk_release(&who);
	if (mc_text_blank(*unit))
		return service_refuse(err, "Máy trạm chưa được gán đơn vị; chạy motcua init --unit MÃ");
	return 0;
}

/* Everything the transaction writes. */
struct change {
	enum mc_action action;
	enum mc_status to;
	const char *clerk, *unit;
	char now[20];
	char appointment[20];   /* after the action */
	bool new_appointment;
	const char *handling_unit; /* transfer */
	int finish;             /* 1 set finished_at, 2 set it when unset */
	long long paused_minutes;
	json_t *payload;        /* the event's */
};

/* The appointment after an apology, or a refusal. */
static int apology_appointment(const struct action_dossier *s, const struct plan *p,
			       const struct mc_calendar *cal, struct mc_dt *out, struct strbuf *err)
{
	char due[32], when[32];
	dt_vn(due, sizeof due, &s->appointment);
	if (p->days) {
		if (dossier_clock_add_days(cal, &s->appointment, p->days, out))
			return service_refuse(err, "Không tính được ngày hẹn mới: lịch không có ngày làm việc");
	} else {
		*out = p->date;
		if (!p->date_has_time) {
			out->hh = s->appointment.hh;
			out->mi = s->appointment.mi;
		}
		dt_vn(when, sizeof when, out);
		if (mc_dt_cmp(out, &s->appointment) <= 0)
			return service_refuse(err, "Ngày hẹn trả mới (%s) phải sau ngày hẹn trả hiện tại (%s)",
					      when, due);
		if (!mc_is_working_day(cal, day_of(out)))
			return service_refuse(err, "Ngày hẹn trả mới (%s) không phải ngày làm việc", when);
	}
	if (out->y > 2099)
		return service_refuse(err, "Ngày hẹn trả mới vượt quá năm 2099");
	return 0;
}

/* The event's payload and what changes, in the dossier's state s. */
static int plan_change(struct store *st, const struct action_dossier *s, const struct plan *p,
		       struct change *c, const struct mc_dt *now, struct strbuf *err)
{
	json_t *j = json_object();
	c->payload = j;
	json_object_set_new(j, "code", json_string(s->code));
	snprintf(c->appointment, sizeof c->appointment, "%s", s->appointment_text);
	struct mc_calendar cal;
	bool have_cal = false;
	int rc = 0;
	if (c->action == MC_ACT_APOLOGIZE || c->action == MC_ACT_SUPPLEMENT_RECEIVED) {
		rc = load_calendar(st, &cal, err);
		if (rc)
			return rc;
		have_cal = true;
	}
	rc = check_rules(s, c->action, now, have_cal ? &cal : NULL, err);
	const char *from_unit = s->handling_unit ? s->handling_unit : s->unit_code;
	switch (rc ? MC_ACTION_COUNT : c->action) {
	case MC_ACT_TRANSFER:
		if (s->status == MC_ST_PROCESSING && !strcmp(from_unit, p->to_unit)) {
			rc = service_refuse(err, "Hồ sơ %s đang được xử lý tại %s (%s): chọn đơn vị khác",
					    s->code, p->to_unit_name, p->to_unit);
			break;
		}
		json_object_set_new(j, "from_unit", json_string(from_unit));
		json_object_set_new(j, "to_unit", json_string(p->to_unit));
		json_object_set_new(j, "to_unit_name", json_string(p->to_unit_name));
		json_object_set_new(j, "reason", p->reason ? json_string(p->reason) : json_null());
		c->handling_unit = p->to_unit;
		break;
	case MC_ACT_REQUEST_SUPPLEMENT:
		json_object_set(j, "papers", p->list);
		json_object_set_new(j, "reason", p->reason ? json_string(p->reason) : json_null());
		json_object_set_new(j, "paused_since", json_string(c->now));
		break;
	case MC_ACT_SUPPLEMENT_RECEIVED: {
		struct mc_dt since, after;
		bool known = s->paused && !mc_parse_dt(s->paused_since, &since);
		c->paused_minutes = known ? dossier_clock_working_minutes(&cal, &since, now) : 0;
		if (dossier_clock_add_minutes(&cal, &s->appointment, c->paused_minutes, &after)) {
			rc = service_refuse(err, "Không tính được ngày hẹn mới: lịch không có ngày làm việc");
			break;
		}
		if (after.y > 2099) {
			rc = service_refuse(err, "Ngày hẹn trả mới vượt quá năm 2099");
			break;
		}
		mc_format_dt(c->appointment, sizeof c->appointment, &after);
		c->new_appointment = strcmp(c->appointment, s->appointment_text) != 0;
		json_object_set_new(j, "request_event", known ? json_string(s->pause_event) : json_null());
		json_object_set_new(j, "paused_since", known ? json_string(s->paused_since) : json_null());
		json_object_set_new(j, "resumed_at", json_string(c->now));
		json_object_set_new(j, "paused_minutes", json_integer(c->paused_minutes));
		json_object_set_new(j, "reason", p->reason ? json_string(p->reason) : json_null());
		json_object_set_new(j, "appointment_before", json_string(s->appointment_text));
		break;
	}
	case MC_ACT_REFUSE:
		json_object_set(j, "reasons", p->list);
		c->finish = 1;
		break;
	case MC_ACT_APOLOGIZE: {
		struct mc_dt after;
		rc = apology_appointment(s, p, &cal, &after, err);
		if (rc)
			break;
		mc_format_dt(c->appointment, sizeof c->appointment, &after);
		c->new_appointment = true;
		json_object_set_new(j, "reason", json_string(p->reason));
		json_object_set_new(j, "days", p->days ? json_integer(p->days) : json_null());
		json_object_set_new(j, "appointment_before", json_string(s->appointment_text));
		break;
	}
	case MC_ACT_RESULT_READY:
		json_object_set_new(j, "result_code", json_string(p->result_code));
		json_object_set(j, "file", p->file ? p->file : json_null());
		json_object_set_new(j, "on_time", json_boolean(mc_dt_cmp(now, &s->appointment) <= 0));
		c->finish = 1;
		break;
	case MC_ACT_RETURN: {
		const char *who = p->recipient ? p->recipient : s->applicant_name;
		json_object_set_new(j, "method", json_string(p->method));
		json_object_set_new(j, "method_name", json_string(dossier_return_method_name(p->method)));
		json_object_set_new(j, "recipient", json_string(who ? who : ""));
		c->finish = 2;
		break;
	}
	case MC_ACT_RATE:
		json_object_set_new(j, "rating", json_integer(p->rating));
		json_object_set_new(j, "rating_name", json_string(dossier_rating_name(p->rating)));
		json_object_set_new(j, "comment", p->comment ? json_string(p->comment) : json_null());
		break;
	case MC_ACT_WITHDRAW:
	case MC_ACT_STOP:
		json_object_set_new(j, "reason", json_string(p->reason));
		c->finish = 1;
		break;
	default:
		break;
	}
	if (!rc)
		json_object_set_new(j, "appointment", json_string(c->appointment));
	if (have_cal)
		mc_calendar_release(&cal);
	return rc;
}

static int update_dossier(struct store *st, const struct action_dossier *s, const struct change *c)
{
	struct action_update u = {
		.id = s->id, .rev = s->rev, .status = (int)c->to, .now = c->now,
		.appointment = c->appointment, .handling_unit = c->handling_unit,
		.finish = c->finish,
	};
	return action_store_update(st, &u);
}

/* The result's file in the document store (documents/<sha256>.pdf), signed
 * first when a key is given: *created tells whether this call made the
 * file (removed again when the action fails); sig gets the signature. */
static int file_result(struct store *st, const struct dossier_action_input *in, struct plan *p,
		       char sha[65], long long *bytes, bool *created, struct sign_result *sig,
		       struct strbuf *err)
{
	char *docs = docstore_dir(st->path);
	char uuid[37];
	store_uuid7(uuid);
	char *tmp = xasprintf("%s/.result-%s.pdf", docs, uuid);
	int rc = 0;
	if (mkdir(docs, 0700) && errno != EEXIST) {
		strbuf_addf(err, "Không tạo được thư mục %s: %s", docs, strerror(errno));
		rc = DOSSIER_ACTION_FAULT;
	} else if (in->result_key) {
		struct signer *s = NULL;
		int r = signer_open(&s, in->result_key, err);
		if (!r)
			r = signer_sign_file(s, in->result_file, tmp, &(struct sign_opts){
				.reason = "Kết quả giải quyết thủ tục hành chính", .stamp = true, .page = -1 },
				sig, err);
		signer_free(s);
		if (r)
			rc = r == MC_EXIT_BADINPUT ? DOSSIER_ACTION_REFUSED : DOSSIER_ACTION_FAULT;
	} else {
		/* copied as it is; sealed when the store is encrypted (sealed.h) */
		int in_fd = open(in->result_file, O_RDONLY | O_CLOEXEC);
		struct sealed_out out;
		bool opened = in_fd >= 0 && !sealed_out_open(&out, tmp), bad = !opened;
		char buf[65536];
		ssize_t n = 0;
		while (!bad && ((n = read(in_fd, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR)))
			bad = n > 0 && sealed_out_write(&out, buf, (size_t)n);
		bad = bad || n < 0;
		if (opened && bad)
			sealed_out_abort(&out);
		else if (opened && sealed_out_close(&out))
			bad = true;
		if (in_fd >= 0)
			close(in_fd);
		if (bad)
			rc = service_refuse(err, "Không chép được tệp kết quả %s vào kho giấy tờ", in->result_file);
	}
	int fd = rc ? -1 : open(tmp, O_RDONLY | O_CLOEXEC);
	if (!rc && (files_sha256(tmp, sha, err) || fd < 0 || (*bytes = sealed_plain_size(fd)) < 0))
		rc = DOSSIER_ACTION_FAULT;
	if (fd >= 0)
		close(fd);
	if (!rc) {
		if (docstore_file_in(st->path, tmp, sha, created, err))
			rc = DOSSIER_ACTION_FAULT;
	}
	if (rc)
		unlink(tmp);
	else if (sig->signer) { /* the event tells the file that was filed */
		char *stored = docstore_file(st->path, sha);
		json_object_set_new(p->file, "path", json_string(stored));
		json_object_set_new(p->file, "size", json_integer(*bytes));
		json_object_set_new(p->file, "sha256", json_string(sha));
		free(stored);
	}
	free(tmp);
	free(docs);
	return rc;
}

/* Inside the transaction: the dossier, its event, the outbox row. */
static int write_change(struct store *st, const struct action_dossier *s, const struct change *c,
			struct dossier_action_result *res, json_t *result_doc)
{
	int rc = update_dossier(st, s, c);
	const char *kind = mc_action_id(c->action);
	json_t *event = NULL;
	if (rc == SQLITE_OK) {
		struct dossier_doc_event e = {
			.id = res->event_id, .dossier_id = s->id, .kind = kind,
			.status_from = s->status, .status_to = (int)c->to, .actor = c->clerk,
			.unit_code = c->unit, .device_time = c->now, .payload = c->payload,
		};
		rc = dossier_tx_event(st, &e, &event);
	}
	if (rc != SQLITE_OK)
		return rc;
	/* The shape the server checks (docs/api.md, server/push.c check_action). */
	json_t *op = json_object();
	json_object_set_new(op, "id", json_string(s->id));
	json_object_set_new(op, "status", json_integer((int)c->to));
	json_object_set_new(op, "rev", json_integer(s->rev + 1));
	json_object_set_new(op, "updated_at", json_string(c->now));
	if (c->new_appointment)
		json_object_set_new(op, "appointment", json_string(c->appointment));
	if (c->handling_unit)
		json_object_set_new(op, "handling_unit", json_string(c->handling_unit));
	if (res->result_document_id[0])
		json_object_set_new(op, "result_document_id", json_string(res->result_document_id));
	if (res->result_document_id[0] && result_doc) /* its row on the server (docs/api.md) */
		json_object_set(op, "result_document", result_doc);
	json_object_set_new(op, "event", event);
	rc = outbox_add(st, res->op_id, s->id, s->rev, kind, op, c->now);
	json_decref(op);
	return rc;
}

struct commit {
	const char *code, *clerk, *unit;
	const struct dossier_action_input *in;
	const struct mc_dt *now;
	struct plan *p;
	bool filed;
	const char *result_sha;
	long long result_bytes;
	const struct sign_result *sig;
	struct action_dossier s;
	struct change c;
	struct dossier_action_result *res;
	json_t *result_doc; /* the filed result as the op carries it */
};

/* The result filed before the transaction, as a document of the dossier:
 * before the event, so that the indicators count the result as digitized. */
static int add_result_document(struct store *st, struct commit *k, struct strbuf *err)
{
	const struct dossier_action_input *in = k->in;
	char day[16];
	mc_format_date(day, sizeof day, k->now->y, k->now->m, k->now->d);
	enum mc_paper_type type = mc_paper_type_from_code(in->result_type);
	char *title = type != MC_PT_COUNT ? xstrdup(mc_paper_type_name(type))
					  : xasprintf("Kết quả hồ sơ %s", k->s.code);
	struct doc_meta m = {
		.kind = "result", .title = title, .number = k->p->result_code,
		.issuer = k->unit, .issued_on = day, .expires_on = in->result_expires,
		.paper_type = mc_text_blank(in->result_type) ? NULL : in->result_type,
		.signer = k->sig->signer, .signed_at = k->sig->signer ? k->sig->signed_at : NULL,
	};
	int sqlrc = docstore_add_result(st, k->s.id, &m, k->result_sha, 0, k->result_bytes, k->clerk,
					k->c.now, k->res->result_document_id);
	if (sqlrc == SQLITE_OK) {
		json_t *d = json_object();
		json_object_set_new(d, "id", json_string(k->res->result_document_id));
		json_object_set_new(d, "kind", json_string(m.kind));
		json_object_set_new(d, "sha256", json_string(k->result_sha));
		json_object_set_new(d, "pages", json_integer(0));
		json_object_set_new(d, "bytes", json_integer(k->result_bytes));
		static const char *const keys[] = { "title", "number", "issuer", "issued_on",
						    "expires_on", "paper_type", "signer", "signed_at" };
		const char *vals[] = { m.title, m.number, m.issuer, m.issued_on, m.expires_on,
				       m.paper_type, m.signer, m.signed_at };
		for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
			if (vals[i] && *vals[i])
				json_object_set_new(d, keys[i], json_string(vals[i]));
		json_decref(k->result_doc);
		k->result_doc = d;
	}
	free(title);
	return sqlrc == SQLITE_OK ? 0 : service_fault(err, sqlrc, "Không lưu được giấy tờ kết quả");
}

static int commit_work(struct store *st, void *arg, struct strbuf *err)
{
	struct commit *k = arg;
	int rc = load_state(st, k->code, &k->s, err);
	if (!rc && mc_lifecycle_apply(k->s.status, k->in->action, &k->c.to, err))
		rc = DOSSIER_ACTION_REFUSED;
	k->c.action = k->in->action;
	k->c.clerk = k->clerk;
	k->c.unit = k->unit;
	mc_format_dt(k->c.now, sizeof k->c.now, k->now);
	if (!rc)
		rc = plan_change(st, &k->s, k->p, &k->c, k->now, err);
	if (!rc && k->filed)
		rc = add_result_document(st, k, err);
	if (rc)
		return rc;
	store_uuid7(k->res->event_id);
	store_uuid7(k->res->op_id);
	int sqlrc = write_change(st, &k->s, &k->c, k->res, k->result_doc);
	return sqlrc == SQLITE_OK ? 0 : service_fault(err, sqlrc, "Không lưu được thao tác");
}

int dossier_action_commit(struct store *st, const char *code, const struct dossier_action_input *in,
			  const char *clerk, const struct mc_dt *now,
			  struct dossier_action_result *res, struct strbuf *err)
{
	memset(res, 0, sizeof(*res));
	struct plan p;
	char *unit = NULL;
	char result_sha[65] = "";
	bool created = false;
	struct sign_result sig;
	memset(&sig, 0, sizeof sig);
	struct commit k = { .code = code, .clerk = clerk, .in = in, .now = now, .p = &p,
			    .result_sha = result_sha, .sig = &sig, .res = res };
	int rc = check_input(st, in, &p, err);
	if (!rc)
		rc = check_clerk(st, clerk, &unit, err);
	if (!rc)
		rc = service_crypto_ready(err);
	/* the result's file, filed (and signed) before the transaction */
	if (!rc && in->action == MC_ACT_RESULT_READY && p.file) {
		rc = file_result(st, in, &p, result_sha, &k.result_bytes, &created, &sig, err);
		k.filed = !rc;
	}
	k.unit = unit;
	if (!rc)
		rc = service_transaction(st, commit_work, &k, err);
	if (!rc) {
		const struct action_dossier *s = &k.s;
		snprintf(res->id, sizeof res->id, "%s", s->id);
		snprintf(res->code, sizeof res->code, "%s", s->code);
		res->status_from = s->status;
		res->status = (int)k.c.to;
		snprintf(res->appointment, sizeof res->appointment, "%s", k.c.appointment);
		snprintf(res->appointment_before, sizeof res->appointment_before, "%s",
			 s->appointment_text);
		res->rev = s->rev + 1;
		res->paused_minutes = k.c.paused_minutes;
	} else {
		res->event_id[0] = '\0';
		res->op_id[0] = '\0';
		res->result_document_id[0] = '\0';
		if (created) { /* nothing half-written: the file this action filed goes too */
			char *file = docstore_file(st->path, result_sha);
			unlink(file);
			free(file);
		}
	}
	sign_result_release(&sig);
	json_decref(k.result_doc);
	json_decref(k.c.payload);
	free(unit);
	action_dossier_release(&k.s);
	plan_release(&p);
	return rc;
}

/* ---- reassignment ----------------------------------------------------------- */

static bool role_may_reassign(struct store *st, const char *actor)
{
	struct action_clerk who;
	bool ok = action_store_clerk(st, actor, &who) == SQLITE_ROW && who.role &&
		  (!strcmp(who.role, "supervisor") || !strcmp(who.role, "admin"));
	action_clerk_release(&who);
	return ok;
}

/* The target clerk: active, of the dossier's receiving or handling unit. Name into *name. */
static int check_target(struct store *st, const struct action_dossier *s, const char *to,
			char **name, struct strbuf *err)
{
	struct action_clerk who;
	int step = action_store_clerk(st, to, &who);
	const char *unit = who.unit_code;
	int rc = DOSSIER_ACTION_OK;
	if (step != SQLITE_ROW)
		rc = step == SQLITE_DONE ? service_refuse(err, "Không có cán bộ «%.40s» trong kho dữ liệu", to)
					 : service_fault(err, step, "Không đọc được danh sách cán bộ");
	else if (who.disabled)
		rc = service_refuse(err, "Tài khoản cán bộ «%.40s» đã bị khóa: không giao hồ sơ được", to);
	else if (!unit || (strcmp(unit, s->unit_code) &&
			   !(s->handling_unit && !strcmp(unit, s->handling_unit))))
		rc = service_refuse(err, "Cán bộ «%.40s» không thuộc đơn vị %s của hồ sơ %s", to,
				    s->handling_unit ? s->handling_unit : s->unit_code, s->code);
	if (!rc) {
		*name = who.full_name;
		who.full_name = NULL;
	}
	action_clerk_release(&who);
	return rc;
}

static int write_reassign(struct store *st, const struct action_dossier *s, const char *to,
			  json_t *payload, const char *actor, const char *unit, const char *now,
			  struct dossier_action_result *res)
{
	int rc = action_store_touch(st, s->id, s->rev, now);
	if (rc != SQLITE_OK)
		return rc;
	json_t *event = NULL;
	struct dossier_doc_event e = {
		.id = res->event_id, .dossier_id = s->id, .kind = MC_REASSIGN_ID,
		.status_from = s->status, .status_to = s->status, .actor = actor,
		.unit_code = unit, .device_time = now, .payload = payload,
	};
	rc = dossier_tx_event(st, &e, &event);
	if (rc != SQLITE_OK)
		return rc;
	json_t *op = json_object();
	json_object_set_new(op, "id", json_string(s->id));
	json_object_set_new(op, "status", json_integer(s->status));
	json_object_set_new(op, "rev", json_integer(s->rev + 1));
	json_object_set_new(op, "updated_at", json_string(now));
	json_object_set_new(op, "assigned_clerk", json_string(to));
	json_object_set_new(op, "event", event);
	rc = outbox_add(st, res->op_id, s->id, s->rev, MC_REASSIGN_ID, op, now);
	json_decref(op);
	return rc;
}

struct reassign {
	const char *code, *to, *why, *actor, *unit;
	const struct mc_dt *now;
	struct action_dossier s;
	char *to_name, *from;
	json_t *payload;
	struct dossier_action_result *res;
};

static int reassign_work(struct store *st, void *arg, struct strbuf *err)
{
	struct reassign *k = arg;
	const struct action_dossier *s = &k->s;
	int rc = load_state(st, k->code, &k->s, err);
	if (!rc && mc_reassign_check(s->status, err))
		rc = DOSSIER_ACTION_REFUSED;
	if (!rc)
		rc = check_target(st, s, k->to, &k->to_name, err);
	if (!rc) {
		k->from = action_store_clerk_in_charge(st, s->id);
		if (!strcmp(k->from, k->to))
			rc = service_refuse(err, "Hồ sơ %s đã do cán bộ %s (%s) phụ trách", s->code,
						    k->to_name, k->to);
	}
	if (rc)
		return rc;
	char nowtext[20];
	mc_format_dt(nowtext, sizeof nowtext, k->now);
	json_t *payload = k->payload = json_object();
	json_object_set_new(payload, "code", json_string(s->code));
	json_object_set_new(payload, "from_clerk", json_string(k->from));
	json_object_set_new(payload, "to_clerk", json_string(k->to));
	json_object_set_new(payload, "to_clerk_name", json_string(k->to_name));
	json_object_set_new(payload, "reason", k->why ? json_string(k->why) : json_null());
	json_object_set_new(payload, "appointment", json_string(s->appointment_text));
	store_uuid7(k->res->event_id);
	store_uuid7(k->res->op_id);
	int sqlrc = write_reassign(st, s, k->to, payload, k->actor, k->unit, nowtext, k->res);
	return sqlrc == SQLITE_OK ? 0 : service_fault(err, sqlrc, "Không lưu được thao tác");
}

int dossier_reassign_commit(struct store *st, const char *code, const char *to_clerk,
			    const char *reason, const char *actor, const struct mc_dt *now,
			    struct dossier_action_result *res, struct strbuf *err)
{
	memset(res, 0, sizeof(*res));
	char *unit = NULL, *why = NULL, *to = NULL;
	int rc = DOSSIER_ACTION_OK;
	if (mc_text_blank(to_clerk))
		rc = service_refuse(err, "Cán bộ nhận hồ sơ: thao tác «%s» cần tên đăng nhập của cán bộ"
					    " (--to-clerk)", MC_REASSIGN_LABEL);
	else if (!mc_text_valid(to_clerk))
		rc = service_refuse(err, "Tên đăng nhập của cán bộ nhận chứa byte không phải UTF-8");
	if (!rc) {
		to = mc_text_squeeze(to_clerk);
		rc = mc_text_form(reason, "Lý do", DOSSIER_ACTION_TEXT_MAX, &why, err);
	}
	if (!rc)
		rc = check_clerk(st, actor, &unit, err);
	if (!rc && !role_may_reassign(st, actor))
		rc = service_refuse(err, "Chỉ cán bộ giám sát (vai trò supervisor hoặc admin) mới được"
					    " giao hồ sơ cho cán bộ khác; «%.40s» không có quyền này", actor);
	if (!rc)
		rc = service_crypto_ready(err);
	struct reassign k = { .code = code, .to = to, .why = why, .actor = actor, .unit = unit,
			      .now = now, .res = res };
	if (!rc)
		rc = service_transaction(st, reassign_work, &k, err);
	if (!rc) {
		const struct action_dossier *s = &k.s;
		snprintf(res->id, sizeof res->id, "%s", s->id);
		snprintf(res->code, sizeof res->code, "%s", s->code);
		res->status_from = res->status = s->status;
		snprintf(res->appointment, sizeof res->appointment, "%s", s->appointment_text);
		snprintf(res->appointment_before, sizeof res->appointment_before, "%s",
			 s->appointment_text);
		res->rev = s->rev + 1;
	} else {
		res->event_id[0] = '\0';
		res->op_id[0] = '\0';
	}
	json_decref(k.payload);
	free(unit);
	free(why);
	free(to);
	free(k.to_name);
	free(k.from);
	action_dossier_release(&k.s);
	return rc;
}
