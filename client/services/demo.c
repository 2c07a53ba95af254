/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Holidays and demo dossiers seeded by `motcua init` (see demo.h). */
#include "client/services/demo.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "client/base/files.h"
#include "client/store/calendar_store.h"
#include "client/store/catalog.h"
#include "client/store/action_store.h"
#include "client/store/dossier_tx.h"
#include "client/store/dossier_write.h"
#include "client/store/outbox.h"
#include "client/base/clock.h"
#include "client/base/datadir.h"
#include "client/services/reception.h"
#include "core/calendar.h"
#include "core/lifecycle.h"
#include "core/text.h"
#include "core/xalloc.h"

/* ---- calendar ------------------------------------------------------------- */

/* The store's own days of the years the file does not list. */
static int keep_store_years(struct store *st, struct mc_calendar *cal, const struct mc_calendar *file,
			    struct strbuf *err)
{
	struct mc_calendar stored;
	mc_calendar_init(&stored);
	int rc = calendar_load_days(st, &stored, err);
	for (size_t i = 0; !rc && i < stored.ndays; i++) {
		const struct mc_day_override *o = &stored.days[i];
		int y, m, d;
		mc_civil_from_days(o->day, &y, &m, &d);
		if (!mc_calendar_has_year(file, y))
			mc_calendar_set_day(cal, o->day, o->kind, o->name);
	}
	mc_calendar_release(&stored);
	return rc;
}

/* Office hours and cutoff as the store has them (kept as they are). */
static int keep_store_hours(struct store *st, struct mc_calendar *cal, struct strbuf *err)
{
	char *hours = store_get_setting(st, "office_hours");
	char *cutoff = store_get_setting(st, "cutoff");
	struct strbuf why = STRBUF_INIT;
	int rc = 0;
	if (hours && mc_calendar_parse_hours(cal, hours, &why)) {
		strbuf_addf(err, "cài đặt giờ làm việc (office_hours) trong kho sai: %s", why.buf);
		rc = -1;
	} else if (cutoff && mc_calendar_set_cutoff(cal, cutoff, &why)) {
		strbuf_addf(err, "cài đặt giờ chốt (cutoff) trong kho sai: %s", why.buf);
		rc = -1;
	}
	strbuf_release(&why);
	free(hours);
	free(cutoff);
	return rc;
}

int demo_seed_calendar(struct store *st, struct strbuf *err)
{
	char *path = datadir_file(DEMO_HOLIDAYS);
	struct strbuf text = STRBUF_INIT, errs = STRBUF_INIT;
	struct mc_calendar file, cal;
	mc_calendar_init(&file);
	mc_calendar_init(&cal);
	int rc = 0;
	if (files_read(path, &text)) {
		if (errno != ENOENT) {
			strbuf_addf(err, "không đọc được tệp lịch nghỉ %s: %s", path, strerror(errno));
			rc = -1;
		}
		goto out;
	}
	int nbad = mc_calendar_parse(&file, text.buf, path, &errs);
	if (nbad) {
		strbuf_addf(err, "tệp lịch nghỉ %s có %d dòng sai:\n%s", path, nbad, errs.buf);
		rc = -1;
		goto out;
	}
	rc = keep_store_years(st, &cal, &file, err);
	for (size_t i = 0; !rc && i < file.ndays; i++)
		mc_calendar_set_day(&cal, file.days[i].day, file.days[i].kind, file.days[i].name);
	if (!rc)
		rc = keep_store_hours(st, &cal, err);
	if (!rc)
		rc = calendar_save_store(st, &cal, err);
out:
	mc_calendar_release(&file);
	mc_calendar_release(&cal);
	strbuf_release(&text);
	strbuf_release(&errs);
	free(path);
	return rc;
}

/* ---- dossiers ------------------------------------------------------------- */

struct person {
	const char *name;
	char sex;
	int y, m, d;
	int province; /* CCCD province of birth registration */
};

static const struct person people[] = {
	{ "Nguyễn Văn Hùng", 'M', 1988, 3, 12, 1 },
	{ "Trần Thị Mai", 'F', 1995, 7, 24, 36 },
	{ "Lê Quang Huy", 'M', 1979, 11, 2, 38 },
	{ "Phạm Ngọc Ánh", 'F', 1992, 1, 30, 1 },
	{ "Hoàng Văn Nam", 'M', 1990, 9, 9, 34 },
	{ "Vũ Thị Thu Trang", 'F', 1968, 5, 17, 1 },
	{ "Đặng Quốc Bảo", 'M', 1975, 12, 21, 40 },
	{ "Bùi Thanh Sơn", 'M', 1987, 4, 3, 26 },
	{ "Đỗ Thị Lan Anh", 'F', 1993, 6, 14, 1 },
	{ "Ngô Gia Khánh", 'M', 2001, 2, 8, 1 },
	{ "Lương Khánh Linh", 'F', 1996, 8, 19, 31 },
	{ "Dương Văn Long", 'M', 1961, 10, 25, 35 },
	{ "Tạ Thị Hương", 'F', 1985, 3, 1, 33 },
	{ "Trịnh Công Danh", 'M', 1958, 7, 7, 38 },
	{ "Lê Thu Hằng", 'F', 1994, 12, 5, 1 },
	{ "Phan Anh Khoa", 'M', 2000, 5, 28, 42 },
	{ "Mai Thị Yến", 'F', 1972, 9, 16, 37 },
	{ "Đinh Xuân Trường", 'M', 1991, 11, 11, 1 },
	{ "Chu Thanh Tâm", 'F', 1983, 4, 22, 27 },
	{ "Nguyễn Thị Hồng Nhung", 'F', 1997, 2, 13, 1 },
	{ "Vũ Tiến Dũng", 'M', 1966, 1, 9, 30 },
	{ "Kiều Diễm Quỳnh", 'F', 1999, 10, 3, 1 },
	{ "Đỗ Mạnh Cường", 'M', 1989, 6, 30, 22 },
	{ "Ngô Bảo Ngọc", 'F', 2003, 8, 8, 1 },
	{ "Lý Hoàng Phúc", 'M', 1993, 3, 27, 79 },
	{ "Bùi Minh Châu", 'F', 1980, 12, 31, 1 },
	{ "Trần Minh Tuấn", 'M', 1986, 7, 15, 36 },
	{ "Hoàng Thị Thanh Xuân", 'F', 1977, 5, 2, 40 },
	{ "Phạm Đức Thắng", 'M', 1970, 2, 20, 1 },
	{ "Nguyễn Phương Thảo", 'F', 1998, 11, 23, 48 },
};
#define N_PEOPLE (sizeof(people) / sizeof(people[0]))

static const char *const streets[] = {
	"Số 12 phố Đội Cấn", "Số 5 ngõ 178 phố Đội Cấn", "Số 27 phố Liễu Giai",
	"Số 8 ngõ 12 phố Kim Mã", "Số 41 phố Quán Thánh", "Số 3 ngõ 6 phố Vĩnh Phúc",
	"Số 19 phố Ngọc Hà", "Số 66 phố Giảng Võ", "Số 102 phố Nguyễn Thái Học",
	"Số 15 ngõ 35 phố Cát Linh", "Số 9 ngách 2 ngõ 81 phố Linh Lang",
};

/* Hà Nội communes around the demo unit (Phường Ba Đình). */
static const char *const communes[] = { "00004", "00004", "00008", "00025", "00004", "00070",
					"00103", "00004", "00082" };

static const char *const phone_prefixes[] = { "091", "098", "090", "097", "093", "086", "035",
					      "088", "096", "039" };

#define BIRTH "1.001193"       /* đăng ký khai sinh, 1 day */
#define MARRIAGE "1.000894"    /* đăng ký kết hôn, 1 day */
#define DEATH "1.000656"       /* đăng ký khai tử, 1 day */
#define COPY "2.000908"        /* cấp bản sao từ sổ gốc, 1 day */
#define GUARDIAN "1.004837"    /* đăng ký giám hộ, 3 days */
#define RECOGNITION "1.001022" /* đăng ký nhận cha, mẹ, con, 3 days */
#define REMARRIAGE "1.004746"  /* đăng ký lại kết hôn, 5 days */

struct demo_spec {
	int back;    /* working days before today; 0 = today */
	int minutes; /* today: minutes before now; else the time of day */
	const char *procedure;
	enum mc_status final;
	bool missing; /* one mandatory paper missing, received with a reason */
};

#define HM(h, m) ((h) * 60 + (m))

static const struct demo_spec specs[] = {
	{ 0, 25, BIRTH, MC_ST_RECEIVED, false },
	{ 0, 70, MARRIAGE, MC_ST_RECEIVED, false },
	{ 0, 140, COPY, MC_ST_RECEIVED, false },
	{ 1, HM(8, 5), BIRTH, MC_ST_RECEIVED, false },        /* due today */
	{ 1, HM(9, 40), BIRTH, MC_ST_PROCESSING, false },     /* due today */
	{ 1, HM(10, 20), DEATH, MC_ST_PROCESSING, false },    /* due today */
	{ 1, HM(14, 10), GUARDIAN, MC_ST_PROCESSING, false },
	{ 2, HM(7, 50), RECOGNITION, MC_ST_PROCESSING, false },
	{ 2, HM(9, 15), BIRTH, MC_ST_RETURNED, false },
	{ 2, HM(15, 30), MARRIAGE, MC_ST_RESULT, false },
	{ 3, HM(8, 30), BIRTH, MC_ST_RECEIVED, false },       /* overdue */
	{ 3, HM(10, 5), REMARRIAGE, MC_ST_PROCESSING, false },
	{ 3, HM(14, 45), COPY, MC_ST_RETURNED, false },
	{ 4, HM(9, 0), DEATH, MC_ST_PROCESSING, false },      /* overdue */
	{ 4, HM(10, 35), BIRTH, MC_ST_SUPPLEMENT, true },     /* waiting for a supplement */
	{ 4, HM(16, 0), MARRIAGE, MC_ST_RETURNED, false },
	{ 5, HM(8, 15), GUARDIAN, MC_ST_PROCESSING, false },  /* overdue */
	{ 5, HM(13, 45), BIRTH, MC_ST_RETURNED, false },
	{ 6, HM(9, 20), COPY, MC_ST_RETURNED, false },
	{ 7, HM(8, 40), BIRTH, MC_ST_RETURNED, false },
	{ 7, HM(10, 50), DEATH, MC_ST_RETURNED, false },
	{ 8, HM(14, 20), MARRIAGE, MC_ST_RETURNED, false },
	{ 9, HM(9, 10), BIRTH, MC_ST_RETURNED, false },
	{ 10, HM(15, 10), RECOGNITION, MC_ST_RETURNED, false },
	{ 11, HM(8, 25), BIRTH, MC_ST_RETURNED, false },
	{ 12, HM(10, 0), COPY, MC_ST_RETURNED, false },
	{ 13, HM(9, 35), MARRIAGE, MC_ST_RETURNED, false },
	{ 14, HM(14, 5), BIRTH, MC_ST_RETURNED, true },
	{ 15, HM(8, 55), GUARDIAN, MC_ST_RETURNED, false },
	{ 16, HM(10, 40), DEATH, MC_ST_RETURNED, false },
};
#define N_SPECS (sizeof(specs) / sizeof(specs[0]))

static void dt_add(struct mc_dt *t, long long minutes)
{
	mc_dt_from_minutes(mc_dt_minutes(t) + minutes, t);
}

/* The reception time of spec s, or -1 when it would not be a sensible one
 * (today before opening, or today not a working day). */
static int spec_time(const struct demo_spec *s, const struct mc_calendar *cal,
		     const struct mc_dt *now, struct mc_dt *out)
{
	long today = mc_days_from_civil(now->y, now->m, now->d);
	if (s->back == 0) {
		*out = *now;
		dt_add(out, -s->minutes);
		if (!mc_is_working_day(cal, today) || out->hh < 7 ||
		    mc_days_from_civil(out->y, out->m, out->d) != today)
			return -1;
		return 0;
	}
	long day = today;
	for (int k = 0; k < s->back; k++) {
		do
			day--;
		while (!mc_is_working_day(cal, day) && day > today - 400);
	}
	mc_civil_from_days(day, &out->y, &out->m, &out->d);
	out->hh = s->minutes / 60;
	out->mi = s->minutes % 60;
	return 0;
}

static void person_input(size_t i, struct reception_input *in)
{
	const struct person *p = &people[i % N_PEOPLE];
	struct reception_applicant *a = &in->applicant;
	a->full_name = xstrdup(p->name);
	a->sex = p->sex;
	a->birth_date = xasprintf("%04d-%02d-%02d", p->y, p->m, p->d);
	int century = (p->y - 1900) / 100 * 2 + (p->sex == 'F');
	unsigned serial = (unsigned)(i * 7919u + 104729u) % 1000000u;
	a->id_number = xasprintf("%03d%d%02d%06u", p->province, century, p->y % 100, serial);
	unsigned number = (unsigned)(i * 4987u + 1234567u) % 10000000u;
	const char *pre = phone_prefixes[i % (sizeof phone_prefixes / sizeof phone_prefixes[0])];
	a->phone = xasprintf("%s%u %03u %03u", pre, number / 1000000u, number / 1000u % 1000u,
			     number % 1000u);
	if (i % 3 == 0) {
		/* "Nguyễn Văn Hùng" -> "hung.nguyen@example.vn" */
		char *fold = mc_text_fold(p->name);
		char *last = strrchr(fold, ' ');
		char *first_end = strchr(fold, ' ');
		if (last && first_end)
			a->email = xasprintf("%s.%.*s@example.vn", last + 1, (int)(first_end - fold), fold);
		free(fold);
	}
	a->address = xstrdup(streets[i % (sizeof streets / sizeof streets[0])]);
	a->commune = xstrdup(communes[i % (sizeof communes / sizeof communes[0])]);
}

/* Every mandatory paper presented as required; with missing, the first
 * mandatory paper to submit is not, and a reason says why it was accepted. */
static void components_input(const struct catalog_detail *d, bool missing,
			     struct reception_input *in)
{
	in->components = xcalloc(d->ncomponents ? d->ncomponents : 1, sizeof(*in->components));
	bool skipped = !missing;
	for (size_t i = 0; i < d->ncomponents; i++) {
		const struct catalog_component *c = &d->components[i];
		if (!c->mandatory)
			continue;
		struct reception_component *rc = &in->components[in->n_components++];
		rc->id = c->id;
		if (!skipped && !c->present) {
			skipped = true;
			rc->override_reason = xstrdup("Người nộp cam kết bổ sung bản chính trong 02 ngày"
						      " làm việc");
			continue;
		}
		rc->originals = c->originals;
		rc->copies = c->copies;
	}
}

/* One lifecycle step on a received dossier: status, event and outbox row,
 * as the lifecycle table allows (inside the caller's transaction). */
static int advance(struct store *st, const char *code, const char *clerk, const char *unit,
		   enum mc_action act, const struct mc_dt *when, struct strbuf *err)
{
	struct action_dossier d;
	if (action_store_dossier(st, code, &d) != SQLITE_ROW) {
		action_dossier_release(&d);
		strbuf_addf(err, "hồ sơ mẫu %s không còn trong kho", code);
		return -1;
	}
	enum mc_status to;
	if (mc_lifecycle_apply(d.status, act, &to, err)) {
		action_dossier_release(&d);
		return -1;
	}
	char at[20], event_id[37], op_id[37];
	mc_format_dt(at, sizeof at, when);
	store_uuid7(event_id);
	store_uuid7(op_id);

	json_t *payload = json_pack("{s:s}", "code", d.code);
	const struct action_update u = {
		.id = d.id, .rev = d.rev, .status = (int)to, .now = at,
		.appointment = d.appointment_text[0] ? d.appointment_text : NULL,
		.finish = to == MC_ST_RESULT,
	};
	int rc = action_store_update(st, &u);
	json_t *event = NULL;
	if (rc == SQLITE_OK) {
		const struct dossier_doc_event e = {
			.id = event_id, .dossier_id = d.id, .kind = mc_action_id(act),
			.status_from = d.status, .status_to = (int)to, .actor = clerk,
			.unit_code = unit, .device_time = at, .payload = payload,
		};
		rc = dossier_tx_event(st, &e, &event);
	}
	if (rc == SQLITE_OK) {
		json_t *op = json_pack("{s:s, s:i, s:I, s:s, s:o}", "id", d.id, "status", (int)to,
				       "rev", (json_int_t)d.rev + 1, "updated_at", at, "event", event);
		rc = outbox_add(st, op_id, d.id, d.rev, mc_action_id(act), op, at);
		json_decref(op);
	}
	json_decref(payload);
	action_dossier_release(&d);
	if (rc != SQLITE_OK) {
		strbuf_addf(err, "không ghi được hồ sơ mẫu: %s", store_errmsg_vn(rc));
		return -1;
	}
	return 0;
}

/* The steps from received to the final status of a spec, and when. */
static int advance_to(struct store *st, const struct reception_result *res, const char *clerk,
		      const char *unit, enum mc_status final, const struct mc_dt *now,
		      struct strbuf *err)
{
	enum mc_action steps[3];
	int n = 0;
	switch (final) {
	case MC_ST_SUPPLEMENT:
		steps[n++] = MC_ACT_REQUEST_SUPPLEMENT;
		break;
	case MC_ST_PROCESSING:
		steps[n++] = MC_ACT_TRANSFER;
		break;
	case MC_ST_RESULT:
		steps[n++] = MC_ACT_TRANSFER;
		steps[n++] = MC_ACT_RESULT_READY;
		break;
	case MC_ST_RETURNED:
		steps[n++] = MC_ACT_TRANSFER;
		steps[n++] = MC_ACT_RESULT_READY;
		steps[n++] = MC_ACT_RETURN;
		break;
	default:
		break;
	}
	long long t0 = mc_dt_minutes(&res->received), due = mc_dt_minutes(&res->appointment);
	long long limit = mc_dt_minutes(now), prev = t0;
	for (int i = 0; i < n; i++) {
		long long at;
		if (steps[i] == MC_ACT_RESULT_READY)
			at = due - 90;
		else if (steps[i] == MC_ACT_RETURN)
			at = due - 30;
		else
			at = t0 + 20 + 40 * (steps[i] == MC_ACT_REQUEST_SUPPLEMENT);
		if (at < prev)
			at = prev;
		if (at > limit)
			at = limit;
		prev = at;
		struct mc_dt when;
		mc_dt_from_minutes(at, &when);
		if (advance(st, res->code, clerk, unit, steps[i], &when, err))
			return -1;
	}
	return 0;
}

static int seed_one(struct store *st, size_t i, const struct mc_dt *received, const char *clerk,
		    const char *unit, const struct mc_dt *now, struct strbuf *err)
{
	const struct demo_spec *s = &specs[i];
	struct catalog_detail d;
	if (catalog_get(st, s->procedure, &d)) /* a catalog without it */
		return 0;
	struct reception_input in;
	reception_input_init(&in);
	in.procedure = xstrdup(s->procedure);
	char at[20];
	mc_format_dt(at, sizeof at, received);
	in.received_at = xstrdup(at);
	person_input(i, &in);
	components_input(&d, s->missing, &in);
	catalog_detail_release(&d);

	struct reception_result res;
	struct reception_error rerr;
	/* The dossier is entered at the time it was received. */
	int rc = reception_commit_flags(st, &in, clerk, received, RECEPTION_NO_RECEIPT, &res, &rerr);
	if (rc)
		strbuf_addf(err, "không tạo được hồ sơ mẫu %zu (%s, %s): %s", i + 1, s->procedure,
			    in.applicant.full_name, rerr.msg);
	else
		rc = advance_to(st, &res, clerk, unit, s->final, now, err);
	reception_result_release(&res);
	reception_input_release(&in);
	return rc ? -1 : 1;
}

struct timed {
	size_t spec;
	struct mc_dt at;
};

static int timed_cmp(const void *a, const void *b)
{
	const struct timed *x = a, *y = b;
	int c = mc_dt_cmp(&x->at, &y->at);
	return c ? c : (x->spec > y->spec) - (x->spec < y->spec);
}

int demo_seed_dossiers(struct store *st, const char *clerk, const struct mc_dt *now,
		       struct strbuf *err)
{
	struct mc_dt clock;
	if (!now) {
		if (clock_now(&clock)) {
			strbuf_addstr(err, "MOTCUA_NOW không hợp lệ: cần dạng YYYY-MM-DDTHH:MM");
			return -1;
		}
		now = &clock;
	}
	if (dossier_total(st) > 0)
		return 0;
	if (sodium_init() < 0) {
		strbuf_addstr(err, "không khởi tạo được thư viện mật mã (libsodium)");
		return -1;
	}
	char *unit = store_get_setting(st, "unit_code");
	if (!unit) {
		strbuf_addstr(err, "chưa có đơn vị mẫu (cài đặt unit_code) để tạo hồ sơ mẫu");
		return -1;
	}
	struct mc_calendar cal;
	mc_calendar_init(&cal);
	int n = 0;
	if (calendar_load_store(st, &cal, err)) {
		n = -1;
	} else {
		/* In the order they were received, so the day's numbers follow the clock. */
		struct timed order[N_SPECS];
		size_t m = 0;
		for (size_t i = 0; i < N_SPECS; i++) {
			order[m].spec = i;
			if (!spec_time(&specs[i], &cal, now, &order[m].at))
				m++;
		}
		qsort(order, m, sizeof order[0], timed_cmp);
		for (size_t k = 0; k < m; k++) {
			int rc = seed_one(st, order[k].spec, &order[k].at, clerk, unit, now, err);
			if (rc < 0) {
				n = -1;
				break;
			}
			n += rc;
		}
	}
	mc_calendar_release(&cal);
	free(unit);
	return n;
}
