/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Online dossiers at the counter: see online.h and docs/portal.md. */
#include "client/services/online.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "client/services/service.h"
#include "client/store/action_store.h"
#include "client/store/calendar_store.h"
#include "client/store/dossier_tx.h"
#include "client/store/outbox.h"
#include "core/calendar.h"
#include "core/lifecycle.h"
#include "core/text.h"
#include "sync/numbering.h"

_Static_assert((int)ONLINE_OK == (int)SERVICE_OK &&
		       (int)ONLINE_REFUSED == (int)SERVICE_REFUSED &&
		       (int)ONLINE_FAULT == (int)SERVICE_FAULT,
	       "the outcomes are the services' own");

#define TEXT_MAX 500  /* characters of one reason or paper */
#define ITEMS_MAX 30  /* reasons or papers */
#define MAX_DAYS 3650 /* working days a procedure may take */

/* ---- input ------------------------------------------------------------------- */

/* "a; b;; c" -> ["a", "b", "c"], each checked; at least one. */
static int split_list(const char *text, const char *what, json_t **out, struct strbuf *err)
{
	json_t *list = NULL;
	int rc = service_split_list(text, what, TEXT_MAX, ITEMS_MAX, &list, err);
	if (rc)
		return rc;
	if (!json_array_size(list)) {
		json_decref(list);
		return service_refuse(err, "%s: cần ít nhất một mục (các mục cách nhau bởi dấu ;)", what);
	}
	*out = list;
	return 0;
}

static char *norm_code(const char *code)
{
	char *c = mc_text_squeeze(code && mc_text_valid(code) ? code : "");
	for (char *p = c; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	return c;
}

/* Who acts, for which unit (the workstation's), with which identifier. */
struct who {
	char *unit, *ident;
};

static void who_release(struct who *w)
{
	free(w->unit);
	free(w->ident);
}

static int check_clerk(struct store *st, const char *clerk, struct who *w, struct strbuf *err)
{
	memset(w, 0, sizeof(*w));
	if (mc_text_blank(clerk))
		return service_refuse(err, "Chưa xác định cán bộ thực hiện");
	struct action_clerk c;
	if (action_store_clerk(st, clerk, &c) != SQLITE_ROW)
		return service_refuse(err, "Không có cán bộ «%.40s» trong kho dữ liệu",
				      mc_text_valid(clerk) ? clerk : "?");
	bool disabled = c.disabled;
	action_clerk_release(&c);
	if (disabled)
		return service_refuse(err, "Tài khoản cán bộ «%.40s» đã bị khóa", clerk);
	w->unit = store_get_setting(st, "unit_code");
	w->ident = store_get_setting(st, "unit_ident");
	if (mc_text_blank(w->unit) || mc_text_blank(w->ident) || !mc_unit_ident_valid(w->ident))
		return service_refuse(err, "Máy trạm chưa được gán đơn vị (hoặc mã định danh của đơn vị không hợp"
				      " lệ); chạy motcua init --unit MÃ");
	return 0;
}

/* The online dossier, waiting at this workstation's unit. */
static int load(struct store *st, const char *code, const struct who *w, struct online_dossier *d,
		struct strbuf *err)
{
	char *c = norm_code(code);
	int rc = online_get(st, c, d);
	if (rc != SQLITE_ROW) {
		int r = rc == SQLITE_DONE ? service_refuse(err, "Không có hồ sơ trực tuyến mã «%.40s»", *c ? c : "?")
					  : service_fault(err, rc, "Không đọc được hồ sơ");
		free(c);
		return r;
	}
	free(c);
	if (!d->waiting)
		return service_refuse(err, "Hồ sơ trực tuyến %s đã được xử lý (%s): không còn chờ tiếp nhận",
				      d->code, mc_status_name(d->status) ? mc_status_name(d->status) : "?");
	if (strcmp(d->unit_code, w->unit))
		return service_refuse(err, "Hồ sơ trực tuyến %s gửi đơn vị %s, không phải đơn vị %s của máy trạm này",
				      d->code, d->unit_code, w->unit);
	return 0;
}

/* ---- the transaction --------------------------------------------------------- */

struct change {
	enum mc_action action;
	enum mc_status to;
	const char *clerk, *unit;
	char now[20];
	json_t *payload;   /* the event's */
	json_t *op_extra;  /* members of the outbox payload besides id, status, rev, updated_at, event */
};

/* The event and the outbox row (the dossier's row is already written). */
static int write_event_and_op(struct store *st, const struct online_dossier *d, struct change *c,
			      struct online_result *res)
{
	json_t *event = NULL;
	const char *kind = mc_action_id(c->action);
	struct dossier_doc_event e = {
		.id = res->event_id, .dossier_id = d->id, .kind = kind,
		.status_from = d->status, .status_to = (int)c->to, .actor = c->clerk,
		.unit_code = c->unit, .device_time = c->now, .payload = c->payload,
	};
	int rc = dossier_tx_event(st, &e, &event);
	if (rc != SQLITE_OK)
		return rc;
	json_t *op = json_object();
	json_object_set_new(op, "id", json_string(d->id));
	json_object_set_new(op, "status", json_integer((int)c->to));
	json_object_set_new(op, "rev", json_integer(d->rev + 1));
	json_object_set_new(op, "updated_at", json_string(c->now));
	if (c->op_extra)
		json_object_update(op, c->op_extra);
	json_object_set_new(op, "event", event);
	rc = outbox_add(st, res->op_id, d->id, d->rev, kind, op, c->now);
	json_decref(op);
	return rc;
}

/* The appointment of d accepted at now: the procedure's time by the
 * calendar, as a reception counts it. */
static int appointment_of(struct store *st, const struct online_dossier *d, const struct mc_dt *now,
			  struct mc_dt *out, struct strbuf *err)
{
	char *unit = NULL;
	double v = 0;
	int rc = online_procedure_time(st, d->procedure_code, &unit, &v);
	if (rc != SQLITE_ROW) {
		free(unit);
		return rc == SQLITE_DONE ? service_refuse(err, "Thủ tục %s của hồ sơ không có trong danh mục: chưa"
							   " tính được ngày hẹn trả", d->procedure_code)
					 : service_fault(err, rc, "Không đọc được danh mục thủ tục");
	}
	if (!unit) {
		free(unit);
		return service_refuse(err, "Thủ tục %s chưa có thời hạn giải quyết rõ ràng trong danh mục: đề nghị"
				      " quản trị viên cập nhật, hoặc tiếp nhận tại quầy", d->procedure_code);
	}
	enum mc_time_unit u = MC_UNIT_INDAY;
	int amount = 0;
	int r = 0;
	if (!strcmp(unit, "day") || !strcmp(unit, "hour")) {
		if (!(v >= 0) || v > MAX_DAYS * 8)
			r = service_refuse(err, "Thời hạn giải quyết của thủ tục %s bất thường (%g)", d->procedure_code,
					   v);
		amount = (int)ceil(v);
		if (amount > 0)
			u = unit[0] == 'd' ? MC_UNIT_DAYS : MC_UNIT_HOURS;
	} else if (strcmp(unit, "inday")) {
		r = service_refuse(err, "Thủ tục %s có đơn vị thời hạn không rõ («%s»)", d->procedure_code, unit);
	}
	free(unit);
	if (r)
		return r;
	struct mc_calendar cal;
	mc_calendar_init(&cal);
	struct strbuf why = STRBUF_INIT;
	if (calendar_load_store(st, &cal, &why))
		r = service_refuse(err, "%s", why.buf);
	else if (mc_appointment(&cal, now, amount, u, out))
		r = service_refuse(err, "Không tính được ngày hẹn trả: lịch làm việc không có ngày làm việc nào");
	else if (out->y > 2099)
		r = service_refuse(err, "Ngày hẹn trả vượt quá năm 2099");
	strbuf_release(&why);
	mc_calendar_release(&cal);
	return r;
}

/* The common course: check, begin, load, lifecycle, plan (fn), write,
 * commit. fn writes the dossier's row and fills c (payload, op_extra). */
typedef int plan_fn(struct store *st, const struct online_dossier *d, const struct who *w,
		    const struct mc_dt *now, struct change *c, struct online_result *res, void *arg,
		    struct strbuf *err);

struct run {
	const char *code;
	const struct mc_dt *now;
	plan_fn *fn;
	void *arg;
	struct who w;
	struct online_dossier d;
	struct change c;
	struct online_result *res;
};

/* Inside the transaction: load, lifecycle, plan, write. */
static int run_work(struct store *st, void *arg, struct strbuf *err)
{
	struct run *r = arg;
	int rc = load(st, r->code, &r->w, &r->d, err);
	if (!rc && mc_lifecycle_apply(r->d.status, r->c.action, &r->c.to, err))
		rc = ONLINE_REFUSED;
	if (rc)
		return rc;
	struct online_result *res = r->res;
	snprintf(res->portal_code, sizeof res->portal_code, "%s", r->d.code);
	snprintf(res->code, sizeof res->code, "%s", r->d.code);
	store_uuid7(res->event_id);
	store_uuid7(res->op_id);
	rc = r->fn(st, &r->d, &r->w, r->now, &r->c, res, r->arg, err);
	if (rc)
		return rc;
	int sqlrc = write_event_and_op(st, &r->d, &r->c, res);
	return sqlrc == SQLITE_OK ? 0 : service_fault(err, sqlrc, "Không lưu được thao tác");
}

static int run(struct store *st, const char *code, enum mc_action action, const char *clerk,
	       const struct mc_dt *now, plan_fn *fn, void *arg, struct online_result *res,
	       struct strbuf *err)
{
	memset(res, 0, sizeof(*res));
	struct run r = { .code = code, .now = now, .fn = fn, .arg = arg, .res = res,
			 .c = { .action = action, .clerk = clerk } };
	int rc = check_clerk(st, clerk, &r.w, err);
	if (!rc)
		rc = service_crypto_ready(err);
	if (!rc) {
		r.c.unit = r.w.unit;
		mc_format_dt(r.c.now, sizeof r.c.now, now);
		rc = service_transaction(st, run_work, &r, err);
	}
	if (!rc) {
		snprintf(res->id, sizeof res->id, "%s", r.d.id);
		res->status_from = r.d.status;
		res->status = (int)r.c.to;
	} else {
		res->event_id[0] = res->op_id[0] = '\0';
	}
	json_decref(r.c.payload);
	json_decref(r.c.op_extra);
	online_dossier_release(&r.d);
	who_release(&r.w);
	return rc;
}

/* ---- accept -------------------------------------------------------------------- */

static int plan_accept(struct store *st, const struct online_dossier *d, const struct who *w,
		       const struct mc_dt *now, struct change *c, struct online_result *res, void *arg,
		       struct strbuf *err)
{
	(void)arg;
	struct mc_dt due;
	int rc = appointment_of(st, d, now, &due, err);
	if (rc)
		return rc;
	mc_format_dt(res->received_at, sizeof res->received_at, now);
	mc_format_dt(res->appointment, sizeof res->appointment, &due);
	int sqlrc;
	if (numbering_next(st, w->ident, now, res->code, sizeof res->code, &res->code_review, &sqlrc)) {
		return sqlrc == SQLITE_RANGE ? service_refuse(err, "Hết số hồ sơ của ngày cho đơn vị %s", w->ident)
					     : service_fault(err, sqlrc, "Không cấp được mã hồ sơ");
	}
	struct online_accept_row u = { .id = d->id, .code = res->code, .received_at = res->received_at,
				       .appointment = res->appointment, .clerk = c->clerk,
				       .now = c->now, .rev = d->rev };
	sqlrc = online_store_accept(st, &u);
	if (sqlrc == SQLITE_OK && res->code_review)
		sqlrc = numbering_flag(st, d->id, res->code, c->now);
	if (sqlrc != SQLITE_OK)
		return service_fault(err, sqlrc, "Không lưu được hồ sơ");
	c->payload = json_pack("{s:s, s:s, s:s, s:s}", "code", res->code, "portal_code", d->code,
			       "received_at", res->received_at, "appointment", res->appointment);
	c->op_extra = json_pack("{s:s, s:s, s:s, s:s, s:s}", "code", res->code, "received_at",
				res->received_at, "appointment", res->appointment, "clerk", c->clerk,
				"unit_ident", w->ident);
	if (res->code_review)
		json_object_set_new(c->op_extra, "code_review", json_true());
	return 0;
}

int online_accept(struct store *st, const char *code, const char *clerk, const struct mc_dt *now,
		  struct online_result *res, struct strbuf *err)
{
	return run(st, code, MC_ACT_ACCEPT, clerk, now, plan_accept, NULL, res, err);
}

/* ---- supplement, refusal --------------------------------------------------------- */

struct texts {
	json_t *list;
	char *reason;
};

static int plan_status(struct store *st, const struct online_dossier *d, const struct change *c,
		       int finish, struct strbuf *err)
{
	struct action_update u = { .id = d->id, .rev = d->rev, .status = (int)c->to, .now = c->now,
				   .appointment = "", .finish = finish };
	int sqlrc = action_store_update(st, &u);
	return sqlrc == SQLITE_OK ? 0 : service_fault(err, sqlrc, "Không lưu được hồ sơ");
}

static int plan_supplement(struct store *st, const struct online_dossier *d, const struct who *w,
			   const struct mc_dt *now, struct change *c, struct online_result *res,
			   void *arg, struct strbuf *err)
{
	(void)w;
	(void)now;
	(void)res;
	struct texts *x = arg;
	int rc = plan_status(st, d, c, 0, err);
	if (!rc)
		c->payload = json_pack("{s:s, s:s, s:O, s:s?}", "code", d->code, "form", "02", "papers",
				       x->list, "reason", x->reason);
	return rc;
}

static int plan_refuse(struct store *st, const struct online_dossier *d, const struct who *w,
		       const struct mc_dt *now, struct change *c, struct online_result *res, void *arg,
		       struct strbuf *err)
{
	(void)w;
	(void)now;
	(void)res;
	struct texts *x = arg;
	int rc = plan_status(st, d, c, 1, err);
	if (!rc)
		c->payload = json_pack("{s:s, s:s, s:O}", "code", d->code, "form", "03", "reasons",
				       x->list);
	return rc;
}

int online_supplement(struct store *st, const char *code, const char *papers, const char *reason,
		      const char *clerk, const struct mc_dt *now, struct online_result *res,
		      struct strbuf *err)
{
	struct texts x = { NULL, NULL };
	memset(res, 0, sizeof(*res));
	int rc = split_list(papers, "Giấy tờ cần bổ sung", &x.list, err);
	if (!rc)
		rc = mc_text_form(reason, "Lý do", TEXT_MAX, &x.reason, err);
	if (!rc)
		rc = run(st, code, MC_ACT_ONLINE_SUPPLEMENT, clerk, now, plan_supplement, &x, res, err);
	json_decref(x.list);
	free(x.reason);
	return rc;
}

int online_refuse(struct store *st, const char *code, const char *reasons, const char *clerk,
		  const struct mc_dt *now, struct online_result *res, struct strbuf *err)
{
	struct texts x = { NULL, NULL };
	memset(res, 0, sizeof(*res));
	int rc = mc_text_blank(reasons) ? service_refuse(err, "Lý do từ chối: cần ít nhất một lý do (--reason)")
					: split_list(reasons, "Lý do từ chối", &x.list, err);
	if (!rc)
		rc = run(st, code, MC_ACT_REFUSE, clerk, now, plan_refuse, &x, res, err);
	json_decref(x.list);
	return rc;
}

/* ---- waiting ----------------------------------------------------------------------- */

void online_waiting_text(const char *submitted, const struct mc_dt *now, char *buf, size_t n)
{
	struct mc_dt t;
	buf[0] = '\0';
	if (!submitted || mc_parse_dt(submitted, &t))
		return;
	long long m = mc_dt_minutes(now) - mc_dt_minutes(&t);
	if (m < 0)
		m = 0;
	long long days = m / 1440, hours = m % 1440 / 60, mins = m % 60;
	if (days)
		snprintf(buf, n, "%lld ngày %lld giờ", days, hours);
	else if (hours)
		snprintf(buf, n, "%lld giờ %lld phút", hours, mins);
	else
		snprintf(buf, n, "%lld phút", mins);
}
