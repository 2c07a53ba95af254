/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The reception wizard: procedure -> applicant -> components -> summary ->
 * done. Every check is client/services/reception.c's (the same as `motcua receive`);
 * this file only collects the input, offers good defaults and shows the
 * refusals on the field they are about.
 *
 * Keys beyond the typed text for the usual case (birth registration, every
 * component presented, the applicant living in this commune): open, Enter on
 * the procedure (the most used ones are listed first), Enter after each
 * applicant field (sex comes from the CCCD, the commune is this one), Enter
 * on the checklist (mandatory components are presented by default), Enter to
 * confirm, Enter to go home. tests/ui/reception.test counts them.
 *
 * The checklist also offers the applicant's stored papers still valid
 * (client/store/reuse.h): a component one of them fits shows [kho]; F7 reuses it
 * (the row reads "dùng lại", nothing is counted as brought), F8 lists all of
 * them. With nothing stored for that CCCD the page is as it always was.
 * reception_commit attaches them in the dossier's transaction.
 *
 * All the state lives in struct wizard (the framework's priv), so a resize or
 * going back a page never loses what was typed. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/tui/app.h"
#include "client/store/catalog.h"
#include "client/base/clock.h"
#include "client/tui/dialog.h"
#include "client/tui/job.h"
#include "client/tui/picker.h"
#include "client/services/reception.h"
#include "client/services/visit.h"
#include "client/store/dossier_query.h"
#include "client/store/lookup.h"
#include "client/store/person.h"
#include "client/store/reuse.h"
#include "client/store/visit.h"
#include "core/lifecycle.h"
#include "core/idnum.h"
#include "core/text.h"
#include "screens/screens.h"

#define PICK_MAX 200     /* results a picker holds */
#define RECENT_SCAN 200  /* latest dossiers looked at for the usual procedures */
#define COUNT_LIMIT 99   /* papers of one component */
#define LABEL_W 26       /* applicant labels, after the focus mark */
#define SHORT_W 22       /* the short applicant fields (numbers, dates) */

enum page { P_PROCEDURE, P_APPLICANT, P_COMPONENTS, P_SUMMARY, P_DONE, P__N };

static const char *const page_names[P__N] = { "Thủ tục", "Người nộp", "Giấy tờ", "Xác nhận",
					       "Hoàn tất" };

/* The applicant page starts from the ID number: a known citizen's details
 * fill in from it (client/store/person.h), and a chip card's QR line read by
 * a USB reader fills the page. */
enum afield { F_ID, F_NAME, F_BIRTH, F_SEX, F_PHONE, F_EMAIL, F_ADDRESS, F_COMMUNE, F__N };

static const char *const afield_labels[F__N] = {
	"Số CCCD", "Họ và tên", "Ngày sinh", "Giới tính", "Điện thoại", "Thư điện tử",
	"Địa chỉ (số nhà, thôn)", "Xã, phường",
};

/* The reception rule each field is checked by. */
static const enum reception_field afield_rf[F__N] = {
	RF_ID_NUMBER, RF_FULL_NAME, RF_BIRTH_DATE, RF_SEX, RF_PHONE, RF_EMAIL, RF_ADDRESS,
	RF_COMMUNE,
};

static int afield_of(enum reception_field rf)
{
	for (int i = 0; i < F__N; i++)
		if (afield_rf[i] == rf)
			return i;
	return F_ID;
}

/* The longest text each field takes (docs/reception.md); 0: not a text field. */
static const size_t afield_max[F__N] = {
	12, RECEPTION_NAME_MAX, 10, 1, 20, 254, RECEPTION_TEXT_MAX, 1,
};

/* What the clerk has said about one component of the procedure. */
struct comp {
	int originals, copies; /* presented */
	char *reason;          /* override reason for a missing mandatory one */
	char *reuse;           /* id of the applicant's stored paper used instead */
	int kept_originals, kept_copies; /* the counts before it (back when undone) */
};

enum modal { M_NONE, M_LEAVE, M_OVERRIDE, M_REFUSE, M_GUIDE, M_FEE_AMOUNT, M_FEE_REASON };

#define VISIT_PROMPT_MAX 4000 /* characters of the reasons or papers typed at once */
#define VISIT_PAPER_CHARS 150 /* of a paper's name written in the guidance's prompt */

#define QR_MAX 1024 /* bytes of a chip card's QR line */

/* The receipt after the commit, as the done page shows it. */
enum receipt_state { RS_DONE, RS_WRITING, RS_PRINTING };

/* The receipt's job (client/tui/job.h): prepared from the store on the main
 * thread, written and printed on its own; the done page follows it. */
struct receipt_task {
	struct wizard *owner; /* NULL once the wizard closed */
	struct reception_receipt r;
};

/* The form of a visit refused or guided at the counter (03 or 02), its job
 * like the receipt's. */
struct visit_task {
	struct wizard *owner;
	struct visit_form f;
};

struct wizard {
	struct app *app;
	enum page page;

	/* page 1: the procedure */
	struct picker procs;
	bool procs_recent;          /* the list shows the usual procedures */
	struct catalog_procs preview; /* the selected one, for its time and fee */
	bool have_proc;
	struct catalog_detail proc;

	/* page 2: the applicant */
	struct field f[F__N]; /* F_SEX and F_COMMUNE are not text fields */
	int focus;
	char sex;             /* 'M', 'F' or 0 */
	bool consent_sms, consent_email; /* to notices of the dossier's steps */
	bool sex_by_clerk;    /* chosen by hand: the CCCD no longer sets it */
	char *commune;        /* 5-digit code, or NULL */
	char *commune_label;
	bool commune_by_clerk; /* chosen with the picker: a known person's does not replace it */
	bool commune_known;    /* taken from the known person's latest dossier */
	bool choosing_commune;
	bool communes_ready;
	struct picker communes;
	/* the citizen known by the CCCD typed (client/store/person.h) */
	struct person known;
	bool have_known;
	char known_for[13];       /* the CCCD looked up last */
	struct dossier_rows history; /* their earlier dossiers, when shown */
	struct listview history_lv;
	bool showing_history;
	/* a chip card's QR line arriving from a USB reader (after the first '|') */
	struct strbuf qr;
	bool reading_qr;
	int overflow; /* characters refused in a row because the field is full */

	/* page 3: the components, parallel to proc.components */
	struct comp *comps;
	struct listview checklist; /* the selected component (a page: 10 rows; Tab moves) */
	size_t top;
	int col; /* 0: originals, 1: copies (what + - and digits change) */
	/* the applicant's stored papers still valid (client/store/reuse.h), read when
	 * the checklist opens for an ID number, and the chooser over them */
	struct reuse_papers papers;
	bool papers_loaded;
	bool choosing_paper;
	bool chooser_all;     /* every paper, not only those fitting the component */
	size_t *chooser_idx;  /* indexes into papers.items */
	size_t chooser_n;
	struct listview chooser;

	/* page 4 */
	struct reception_plan plan;
	/* The fee: the default (the catalogue's amount, collected) until the
	 * clerk changes it with the fee key; fee_shown is what will be recorded
	 * (client/services/reception.h: reception_check_fee). */
	bool fee_chosen;
	enum mc_fee_status fee, fee_next; /* chosen; the one a prompt is for */
	long long fee_amount;             /* typed, when fee_typed */
	bool fee_typed;
	char *fee_reason;                 /* an exemption's */
	enum mc_fee_status fee_shown;
	long long fee_shown_amount;
	bool manual;        /* the procedure has no time: the clerk types the date */
	struct field appt;  /* that date, DD/MM/YYYY HH:MM */

	/* page 5 */
	bool committed;
	struct reception_result res; /* its receipt fields follow the task */
	struct receipt_task *task;   /* the receipt being written or printed */
	enum receipt_state receipt;

	/* a visit ended without a dossier: refused (form 03) or guided (form 02) */
	bool visited;
	struct visit_result visit;
	struct visit visit_row;      /* as stored, for the done page */
	struct visit_task *vtask;    /* its form being written or printed */
	char *vform_path, *vform_error, *vprint_error;
	bool vprinted;

	char *refusal; /* the last refusal, shown in full until the next key */

	enum modal modal;
	struct dialog dlg;
	size_t dlg_comp;
};

static const char *const weekdays[] = { "Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư",
					"Thứ Năm", "Thứ Sáu", "Thứ Bảy" };

/* "06/08/2025 09:30 (Thứ Tư)" */
static void format_when(char *buf, size_t n, const struct mc_dt *t)
{
	char date[16];
	mc_format_date_vn(date, sizeof(date), t->y, t->m, t->d);
	snprintf(buf, n, "%s %02d:%02d (%s)", date, t->hh, t->mi,
		 weekdays[mc_weekday(mc_days_from_civil(t->y, t->m, t->d))]);
}

static const char *key_of(struct app *app, enum action act, char *buf, size_t n);
static void show_refusal(struct wizard *s, const struct reception_error *err);

/* ---- Small text helpers --------------------------------------------------- */

/* s without leading and trailing blanks, inner runs of blanks as one space
 * (malloc'd). */
static char *squeeze(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "");
	bool space = false;
	for (; *s; s++) {
		if (*s == ' ' || *s == '\t') {
			space = sb.len > 0;
			continue;
		}
		if (space)
			strbuf_addch(&sb, ' ');
		space = false;
		strbuf_addch(&sb, *s);
	}
	return strbuf_detach(&sb);
}

/* The field's squeezed value, or NULL when blank. */
static char *value_or_null(const struct field *f)
{
	char *v = squeeze(field_text(f));
	if (!*v)
		FREE(&v);
	return v;
}

/* ---- The usual procedures and the pickers' queries ----------------------- */

/* The procedures of the latest dossiers received here, the most frequent
 * first (then the most recent): the clerk's usual choices. */
static size_t recent_procedures(struct store *st, struct picker_item *items, size_t max)
{
	struct catalog_procs r;
	catalog_recent(st, RECENT_SCAN, (int)max, &r);
	size_t n = 0;
	for (; n < r.n && n < max; n++) {
		items[n].id = xstrdup(r.items[n].code);
		items[n].label = xasprintf("%-9s %s", r.items[n].code, r.items[n].name);
	}
	catalog_procs_release(&r);
	return n;
}

static size_t query_procedures(void *data, const char *text, struct picker_item *items, size_t max)
{
	struct wizard *s = data;
	char *t = squeeze(text);
	size_t n = 0;
	s->procs_recent = !*t;
	if (!*t) {
		n = recent_procedures(&s->app->store, items, max);
		listview_set_empty(&s->procs.list,
				   "Gõ tên thủ tục (có dấu hoặc không dấu) hoặc mã, ví dụ: khai sinh");
	} else {
		struct catalog_procs r;
		catalog_search(&s->app->store, t, NULL, (int)max, &r);
		for (; n < r.n && n < max; n++) {
			items[n].id = xstrdup(r.items[n].code);
			items[n].label = xasprintf("%-9s %s", r.items[n].code, r.items[n].name);
		}
		catalog_procs_release(&r);
		listview_set_empty(&s->procs.list, "Không tìm thấy thủ tục nào");
	}
	free(t);
	return n;
}

/* "Phường Ba Đình, Thành phố Hà Nội" for a commune code (malloc'd), or NULL. */
static char *commune_label(struct store *st, const char *code)
{
	char *name = NULL, *province = NULL, *label = NULL;
	if (lookup_commune(st, code, &name, &province))
		label = xasprintf("%s, %s", name, province);
	free(name);
	free(province);
	return label;
}

static size_t query_communes(void *data, const char *text, struct picker_item *items, size_t max)
{
	struct wizard *s = data;
	struct catalog_communes r;
	catalog_commune_search(&s->app->store, text, (int)max, &r);
	size_t n = 0;
	for (; n < r.n && n < max; n++) {
		const struct catalog_commune *c = &r.items[n];
		items[n].id = xstrdup(c->code);
		if (c->via_old_name)
			items[n].label = xasprintf("%s, %s (trước đây: %s)", c->name, c->province_name,
						   c->via_old_name);
		else
			items[n].label = xasprintf("%s, %s", c->name, c->province_name);
	}
	catalog_communes_release(&r);
	return n;
}

/* ---- State ------------------------------------------------------------------ */

static void set_commune(struct wizard *s, const char *code)
{
	FREE(&s->commune);
	FREE(&s->commune_label);
	char *label = code ? commune_label(&s->app->store, code) : NULL;
	if (!label)
		return;
	s->commune = xstrdup(code);
	s->commune_label = label;
}

/* As client/services/reception.c decides it: a mandatory component with fewer papers
 * than it asks for. */
static bool comp_missing(const struct catalog_component *c, const struct comp *k)
{
	if (k->reuse)
		return false; /* the stored paper stands for it */
	return c->mandatory && (k->originals < c->originals || k->copies < c->copies);
}

/* Presented as the procedure asks (one paper when it names no count). */
static void comp_present(const struct catalog_component *c, struct comp *k)
{
	k->originals = c->originals;
	k->copies = c->copies;
	if (!k->originals && !k->copies)
		k->originals = 1;
}

static void comps_release(struct wizard *s)
{
	if (!s->comps)
		return;
	for (size_t i = 0; i < s->proc.ncomponents; i++) {
		free(s->comps[i].reason);
		free(s->comps[i].reuse);
	}
	FREE(&s->comps);
}

/* Takes the procedure code (it exists) with its defaults: every mandatory
 * component presented with the counts it asks for. */
static int choose_procedure(struct wizard *s, const char *code)
{
	if (s->have_proc && !strcmp(s->proc.proc.code, code))
		return 0; /* the same again: keep the checklist */
	struct catalog_detail d;
	if (catalog_get(&s->app->store, code, &d))
		return -1;
	catalog_detail_drop_notes(&d);
	comps_release(s);
	if (s->have_proc)
		catalog_detail_release(&s->proc);
	s->proc = d;
	s->have_proc = true;
	s->manual = !d.proc.time_unit;
	field_clear(&s->appt);
	/* the fee is the new procedure's own again */
	s->fee_chosen = s->fee_typed = false;
	FREE(&s->fee_reason);
	s->comps = xcalloc(d.ncomponents ? d.ncomponents : 1, sizeof(*s->comps));
	for (size_t i = 0; i < d.ncomponents; i++)
		if (d.components[i].mandatory)
			comp_present(&d.components[i], &s->comps[i]);
	listview_set_count(&s->checklist, d.ncomponents);
	listview_home(&s->checklist);
	s->top = 0;
	s->col = 0;
	return 0;
}

/* ---- The applicant's stored papers (reuse) --------------------------------- */

static const struct reuse_paper *paper_by_id(const struct wizard *s, const char *id)
{
	for (size_t i = 0; i < s->papers.n; i++)
		if (!strcmp(s->papers.items[i].id, id))
			return &s->papers.items[i];
	return NULL;
}

/* The papers fitting component i (client/store/reuse.h's rules), their indexes in
 * idx (room for every paper, or NULL to count only). */
static size_t fitting(const struct wizard *s, size_t i, size_t *idx)
{
	size_t n = 0;
	for (size_t p = 0; p < s->papers.n; p++)
		if (reuse_matches(&s->papers.items[p], s->proc.components[i].name)) {
			if (idx)
				idx[n] = p;
			n++;
		}
	return n;
}

static void undo_reuse(struct comp *k)
{
	if (!k->reuse)
		return;
	FREE(&k->reuse);
	k->originals = k->kept_originals;
	k->copies = k->kept_copies;
}

/* Component i met by paper p: nothing to bring, so no paper counted. */
static void use_paper(struct wizard *s, size_t i, size_t p)
{
	struct comp *k = &s->comps[i];
	const struct reuse_paper *d = &s->papers.items[p];
	undo_reuse(k);
	k->kept_originals = k->originals;
	k->kept_copies = k->copies;
	k->originals = k->copies = 0;
	k->reuse = xstrdup(d->id);
	char *label = reuse_label(d);
	app_info(s->app, "Dùng lại «%s» cho thành phần số %d: không phải nộp lại", label,
		 s->proc.components[i].id);
	free(label);
}

/* Reads the papers of the ID number typed, unless they are those of the
 * same number already; papers chosen for another number are dropped. */
static void load_papers(struct wizard *s)
{
	char *owner = squeeze(field_text(&s->f[F_ID]));
	if (s->papers_loaded && !strcmp(s->papers.owner, owner)) {
		free(owner);
		return;
	}
	if (s->papers_loaded)
		reuse_papers_release(&s->papers);
	s->papers_loaded = false;
	struct mc_dt now;
	struct strbuf err = STRBUF_INIT;
	if (clock_now(&now)) {
		app_error(s->app, "Không đọc được giờ hiện tại (MOTCUA_NOW)");
	} else {
		struct mc_date today = { now.y, now.m, now.d };
		if (reuse_load(&s->app->store, owner, &today, &s->papers, &err))
			app_error(s->app, "%s", err.buf);
		else
			s->papers_loaded = true;
	}
	strbuf_release(&err);
	free(owner);
	size_t dropped = 0;
	for (size_t i = 0; s->comps && i < s->proc.ncomponents; i++)
		if (s->comps[i].reuse && !paper_by_id(s, s->comps[i].reuse)) {
			undo_reuse(&s->comps[i]);
			dropped++;
		}
	if (dropped)
		app_info(s->app, "Số CCCD đã đổi: bỏ %zu giấy tờ dùng lại của người khác", dropped);
}

static size_t fetch_papers(void *data, size_t first, size_t count, struct listview_row *rows)
{
	struct wizard *s = data;
	size_t n = 0;
	for (; n < count && first + n < s->chooser_n; n++) {
		const struct reuse_paper *p = &s->papers.items[s->chooser_idx[first + n]];
		char *label = reuse_label(p);
		rows[n].text = xasprintf("%s · %d trang", label, p->pages);
		free(label);
	}
	return n;
}

/* The chooser over the papers fitting the selected component, or all. */
static void open_chooser(struct wizard *s, bool all)
{
	free(s->chooser_idx);
	s->chooser_idx = xcalloc(s->papers.n ? s->papers.n : 1, sizeof(*s->chooser_idx));
	if (all) {
		for (size_t p = 0; p < s->papers.n; p++)
			s->chooser_idx[p] = p;
		s->chooser_n = s->papers.n;
	} else {
		s->chooser_n = fitting(s, s->checklist.selected, s->chooser_idx);
	}
	listview_set_count(&s->chooser, s->chooser_n);
	listview_invalidate(&s->chooser);
	listview_home(&s->chooser);
	s->chooser_all = all;
	s->choosing_paper = true;
}

/* ---- The person's earlier dossiers ------------------------------------------ */

static size_t fetch_history(void *data, size_t first, size_t count, struct listview_row *rows)
{
	struct wizard *s = data;
	size_t n = 0;
	for (; n < count && first + n < s->history.n; n++) {
		const struct dossier_row *r = &s->history.v[first + n];
		char when[16] = "";
		int y, m, d;
		if (sscanf(r->received_at, "%4d-%2d-%2d", &y, &m, &d) == 3)
			mc_format_date_vn(when, sizeof(when), y, m, d);
		const char *st = mc_status_name(r->status);
		rows[n].text = xasprintf("%s %s %s · %s", r->code, when, st ? st : "?",
					 r->procedure_name);
	}
	return n;
}

/* Builds the reception input from what is on the pages. */
static void build_input(struct wizard *s, struct reception_input *in)
{
	reception_input_init(in);
	in->procedure = xstrdup(s->have_proc ? s->proc.proc.code : "");
	struct reception_applicant *a = &in->applicant;
	a->full_name = value_or_null(&s->f[F_NAME]);
	a->id_number = value_or_null(&s->f[F_ID]);
	struct mc_date bd;
	char *birth = value_or_null(&s->f[F_BIRTH]);
	if (birth && !mc_parse_date_vn(birth, &bd)) {
		char iso[16];
		mc_format_date(iso, sizeof(iso), bd.y, bd.m, bd.d);
		free(birth);
		birth = xstrdup(iso);
	}
	a->birth_date = birth;
	a->sex = s->sex;
	a->phone = value_or_null(&s->f[F_PHONE]);
	a->email = value_or_null(&s->f[F_EMAIL]);
	a->consent_sms = s->consent_sms;
	a->consent_email = s->consent_email;
	a->address = value_or_null(&s->f[F_ADDRESS]);
	a->commune = s->commune ? xstrdup(s->commune) : NULL;
	if (!s->have_proc)
		return;
	if (s->fee_chosen) {
		in->fee.status = xstrdup(mc_fee_status_id(s->fee));
		in->fee.has_amount = s->fee_typed && s->fee != MC_FEE_EXEMPT;
		in->fee.amount = s->fee_amount;
		if (s->fee == MC_FEE_EXEMPT && s->fee_reason)
			in->fee.reason = xstrdup(s->fee_reason);
	}
	struct mc_dt now, when;
	if (s->manual && !field_empty(&s->appt) && !clock_now(&now)) {
		if (!mc_parse_dt_vn(field_text(&s->appt), &now, &when)) {
			char iso[20];
			mc_format_dt(iso, sizeof(iso), &when);
			in->appointment = xstrdup(iso);
		} else {
			in->appointment = xstrdup(field_text(&s->appt));
		}
	}
	in->n_components = s->proc.ncomponents;
	in->components = xcalloc(in->n_components ? in->n_components : 1, sizeof(*in->components));
	for (size_t i = 0; i < in->n_components; i++) {
		struct reception_component *c = &in->components[i];
		c->id = s->proc.components[i].id;
		c->originals = s->comps[i].originals;
		c->copies = s->comps[i].copies;
		if (s->comps[i].reason && comp_missing(&s->proc.components[i], &s->comps[i]))
			c->override_reason = xstrdup(s->comps[i].reason);
		if (s->comps[i].reuse)
			c->reuse = xstrdup(s->comps[i].reuse);
	}
}

static bool anything_typed(const struct wizard *s)
{
	if (!field_empty(&s->procs.field))
		return true;
	for (int i = 0; i < F__N; i++)
		if (!field_empty(&s->f[i]))
			return true;
	for (size_t i = 0; s->comps && i < s->proc.ncomponents; i++)
		if (s->comps[i].reason || s->comps[i].reuse)
			return true;
	return !field_empty(&s->appt);
}

static void sync_telex(struct wizard *s, bool on)
{
	for (int i = 0; i < F__N; i++)
		field_set_telex(&s->f[i], on);
	field_set_telex(&s->appt, on);
	field_set_telex(&s->procs.field, on);
	if (s->communes_ready)
		field_set_telex(&s->communes.field, on);
	if (s->modal == M_OVERRIDE || s->modal == M_FEE_REASON)
		field_set_telex(&s->dlg.field, on);
}

/* The CCCD says the sex (digit 4) unless the clerk chose it. */
static void cccd_prefill(struct wizard *s)
{
	struct mc_cccd info;
	const char *id = field_text(&s->f[F_ID]);
	if (s->sex_by_clerk || strlen(id) != 12)
		return;
	enum mc_cccd_result r = mc_cccd_check(id, 0, 0, &info);
	if (r == MC_CCCD_OK)
		s->sex = info.sex;
}

/* Leaving a field: the birth date is shown as DD/MM/YYYY. */
static void leave_field(struct wizard *s)
{
	if (s->focus != F_BIRTH)
		return;
	struct mc_date d;
	if (!mc_parse_date_vn(field_text(&s->f[F_BIRTH]), &d)) {
		char vn[16];
		mc_format_date_vn(vn, sizeof(vn), d.y, d.m, d.d);
		field_set_text(&s->f[F_BIRTH], vn);
	}
}

static void focus_field(struct wizard *s, int f)
{
	leave_field(s);
	s->focus = (f + F__N) % F__N;
}

static void refuse_here(struct wizard *s, enum reception_field field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The field being left, checked on its own (client/services/reception.c's rule
 * for it): false, with the refusal shown and the focus kept, when it is
 * wrong. Blank passes: the page's check says what is missing. */
static bool check_left(struct wizard *s)
{
	int f = s->focus;
	if (f == F_SEX || f == F_COMMUNE)
		return true;
	if (f == F_BIRTH) {
		struct mc_date bd;
		char *birth = squeeze(field_text(&s->f[F_BIRTH]));
		bool bad = *birth && mc_parse_date_vn(birth, &bd);
		if (bad)
			refuse_here(s, RF_BIRTH_DATE, "Ngày sinh «%s» không hợp lệ: nhập"
				    " ngày/tháng/năm có thật, ví dụ 05/03/1990", birth);
		free(birth);
		if (bad)
			return false;
	}
	struct reception_input in;
	struct reception_error err;
	struct mc_dt now;
	memset(&err, 0, sizeof(err));
	if (clock_now(&now))
		return true; /* said when the page is checked */
	build_input(s, &in);
	int rc = reception_check_field(&s->app->store, &in, afield_rf[f], &now, &err);
	reception_input_release(&in);
	if (rc)
		show_refusal(s, &err);
	return rc == 0;
}

/* "YYYY-MM-DD" into the birth date field as DD/MM/YYYY. */
static void set_birth_iso(struct wizard *s, const char *iso)
{
	struct mc_date d;
	if (!iso || mc_parse_date(iso, &d))
		return;
	char vn[16];
	mc_format_date_vn(vn, sizeof(vn), d.y, d.m, d.d);
	field_set_text(&s->f[F_BIRTH], vn);
}

static void fill_if_empty(struct field *f, const char *v)
{
	if (v && field_empty(f))
		field_set_text(f, v);
}

/* Looks up the CCCD typed (once per number) and fills the fields still
 * empty from the person's latest dossier; the clerk checks and edits them.
 * True when a known person filled the page. */
static bool lookup_person(struct wizard *s)
{
	const char *id = field_text(&s->f[F_ID]);
	if (strlen(id) != 12 || !strcmp(s->known_for, id))
		return false;
	snprintf(s->known_for, sizeof(s->known_for), "%s", id);
	if (s->have_known)
		person_release(&s->known);
	s->have_known = false;
	int rc = person_lookup(&s->app->store, id, &s->known);
	if (rc < 0)
		app_error(s->app, "Không đọc được hồ sơ cũ của số CCCD %s trong kho dữ liệu", id);
	if (rc <= 0)
		return false;
	s->have_known = true;
	const struct person *p = &s->known;
	fill_if_empty(&s->f[F_NAME], p->full_name);
	if (field_empty(&s->f[F_BIRTH]))
		set_birth_iso(s, p->birth_date);
	if (!s->sex_by_clerk && p->sex && (*p->sex == 'M' || *p->sex == 'F'))
		s->sex = *p->sex;
	fill_if_empty(&s->f[F_PHONE], p->phone);
	fill_if_empty(&s->f[F_EMAIL], p->email);
	fill_if_empty(&s->f[F_ADDRESS], p->address);
	if (p->commune_code && !s->commune_by_clerk) {
		set_commune(s, p->commune_code);
		s->commune_known = s->commune != NULL;
	}
	char key[32];
	int y, m, d;
	char when[16] = "?";
	if (sscanf(p->last_received, "%4d-%2d-%2d", &y, &m, &d) == 3)
		mc_format_date_vn(when, sizeof(when), y, m, d);
	app_info(s->app, "Đã điền theo hồ sơ trước (%d hồ sơ, gần nhất %s): kiểm tra, sửa nếu cần"
		 " · %s: xem hồ sơ trước", p->dossiers, when,
		 key_of(s->app, ACTION_PAST_DOSSIERS, key, sizeof(key)));
	return true;
}

/* Moves the focus to field f after checking the field left (Enter, Tab,
 * arrows); leaving a known CCCD with Enter fills the page and goes to the
 * last field, so one more Enter takes the page. */
static void move_focus(struct wizard *s, int f, bool enter)
{
	if (!check_left(s))
		return;
	bool filled = s->focus == F_ID && lookup_person(s);
	focus_field(s, filled && enter ? F_COMMUNE : f);
}

/* The earlier dossiers of the CCCD typed, in place of the page. */
static void open_history(struct wizard *s)
{
	const char *id = field_text(&s->f[F_ID]);
	if (strlen(id) != 12) {
		app_info(s->app, "Nhập đủ 12 chữ số CCCD để xem hồ sơ trước của người nộp");
		return;
	}
	dossier_rows_release(&s->history);
	struct strbuf err = STRBUF_INIT;
	if (dossier_search(&s->app->store, id, 0, 0, 200, &s->history, &err) < 0) {
		app_error(s->app, "%s", err.buf);
		strbuf_release(&err);
		return;
	}
	strbuf_release(&err);
	/* only this number (the search also finds longer numbers starting with it) */
	size_t k = 0;
	for (size_t i = 0; i < s->history.n; i++) {
		if (!strcmp(s->history.v[i].id_number, id)) {
			struct dossier_row tmp = s->history.v[k];
			s->history.v[k++] = s->history.v[i];
			s->history.v[i] = tmp;
		}
	}
	if (!k) {
		app_info(s->app, "Chưa có hồ sơ nào của số CCCD %s trong kho", id);
		return;
	}
	listview_set_count(&s->history_lv, k);
	listview_invalidate(&s->history_lv);
	listview_home(&s->history_lv);
	s->showing_history = true;
}

/* A chip card's QR line, as a USB reader in keyboard mode types it:
 * id|old id|name|DDMMYYYY|sex|address|DDMMYYYY (the last: date of issue).
 * Fills the page from it, then what the store knows (phone, e-mail, the
 * commune) for the fields the card does not carry. */
static void apply_qr(struct wizard *s)
{
	char *line = xstrdup(s->qr.buf ? s->qr.buf : "");
	strbuf_reset(&s->qr);
	s->reading_qr = false;
	char *part[8] = { 0 };
	int n = 0;
	for (char *p = line, *bar; p && n < 8; p = bar) {
		bar = strchr(p, '|');
		if (bar)
			*bar++ = '\0';
		part[n++] = p;
	}
	struct mc_date bd;
	bool ok = n == 7 && strlen(part[0]) == 12 && strspn(part[0], "0123456789") == 12 &&
		  strlen(part[3]) == 8 && !mc_parse_date_vn(part[3], &bd);
	if (!ok) {
		app_error(s->app, "Không đọc được mã QR của thẻ CCCD: cần 7 phần ngăn bởi «|», đọc"
			  " được %d; hãy quét lại hoặc gõ tay", n);
		free(line);
		return;
	}
	field_set_text(&s->f[F_ID], part[0]);
	field_set_text(&s->f[F_NAME], part[2]);
	char vn[16];
	mc_format_date_vn(vn, sizeof(vn), bd.y, bd.m, bd.d);
	field_set_text(&s->f[F_BIRTH], vn);
	char *sex = mc_text_fold(part[4]);
	if (!strcmp(sex, "nam") || !strcmp(sex, "nu")) {
		s->sex = *sex == 'n' && sex[1] == 'a' ? 'M' : 'F';
		s->sex_by_clerk = false;
	}
	free(sex);
	size_t chars = mc_text_chars(part[5]);
	if (chars > RECEPTION_TEXT_MAX)
		app_error(s->app, "Địa chỉ trên thẻ dài %zu ký tự, quá %d: chưa điền, hãy gõ tay", chars,
			  RECEPTION_TEXT_MAX);
	else
		field_set_text(&s->f[F_ADDRESS], part[5]);
	s->known_for[0] = '\0';
	bool known = lookup_person(s);
	if (!known)
		app_info(s->app, "Đã đọc thẻ CCCD của %s: kiểm tra xã, phường và nhập số điện thoại",
			 field_text(&s->f[F_NAME]));
	focus_field(s, field_empty(&s->f[F_PHONE]) ? F_PHONE : F_COMMUNE);
	free(line);
}

/* Shows a refusal and goes to the page and input it is about. */
static void show_refusal(struct wizard *s, const struct reception_error *err)
{
	app_error(s->app, "%s", err->msg);
	free(s->refusal);
	s->refusal = xstrdup(err->msg);
	if (err->field == RF_PROCEDURE) {
		s->page = P_PROCEDURE;
	} else if (err->field >= RF_FULL_NAME && err->field <= RF_COMMUNE) {
		s->page = P_APPLICANT;
		s->choosing_commune = false;
		s->showing_history = false;
		focus_field(s, afield_of(err->field));
	} else if ((err->field == RF_APPOINTMENT && s->manual) || err->field == RF_FEE) {
		s->page = P_SUMMARY;
	} else if (err->field == RF_COMPONENTS) {
		s->page = P_COMPONENTS;
		s->choosing_paper = false;
		for (size_t i = 0; i < s->proc.ncomponents; i++)
			if (s->proc.components[i].id == err->component)
				listview_select(&s->checklist, i);
	}
}

/* A refusal found here, before client/services/reception.c is asked. */
static void refuse_here(struct wizard *s, enum reception_field field, const char *fmt, ...)
{
	struct reception_error err;
	memset(&err, 0, sizeof(err));
	err.field = field;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err.msg, sizeof(err.msg), fmt, ap);
	va_end(ap);
	show_refusal(s, &err);
}

/* ---- Open and close ------------------------------------------------------------- */

static int wz_open(struct app *app, void *priv, const void *arg)
{
	struct wizard *s = priv;
	s->app = app;
	picker_init(&s->procs, NULL, PICK_MAX, query_procedures, s);
	for (int i = 0; i < F__N; i++)
		field_init(&s->f[i], afield_max[i],
			   i == F_ID ? FIELD_DIGITS : i == F_NAME || i == F_ADDRESS ? 0 : FIELD_NO_TELEX);
	field_set_hint(&s->f[F_BIRTH], "ngày/tháng/năm");
	field_set_hint(&s->f[F_ID], "12 chữ số");
	field_init(&s->appt, 16, FIELD_NO_TELEX);
	field_set_hint(&s->appt, "ngày/tháng/năm giờ:phút");
	listview_init(&s->chooser, fetch_papers, s);
	listview_init(&s->history_lv, fetch_history, s);
	listview_set_empty(&s->history_lv, "Chưa có hồ sơ nào");
	dossier_rows_init(&s->history);
	strbuf_init(&s->qr);
	listview_init(&s->checklist, NULL, NULL);
	listview_set_height(&s->checklist, 10);
	s->checklist.tab = true;
	listview_set_empty(&s->chooser, "Không có giấy tờ nào");

	char *unit = store_get_setting(&app->store, "unit_code");
	set_commune(s, unit);
	free(unit);

	const char *code = arg;
	if (code && *code) {
		if (!choose_procedure(s, code))
			s->page = P_APPLICANT;
		else
			picker_set_text(&s->procs, code);
	}
	return 0;
}

static void wz_done(struct app *app, void *priv)
{
	(void)app;
	struct wizard *s = priv;
	if (s->modal != M_NONE)
		dialog_release(&s->dlg);
	picker_release(&s->procs);
	if (s->communes_ready)
		picker_release(&s->communes);
	catalog_procs_release(&s->preview);
	comps_release(s);
	if (s->have_proc)
		catalog_detail_release(&s->proc);
	if (s->papers_loaded)
		reuse_papers_release(&s->papers);
	listview_release(&s->chooser);
	listview_release(&s->history_lv);
	dossier_rows_release(&s->history);
	if (s->have_known)
		person_release(&s->known);
	strbuf_release(&s->qr);
	free(s->chooser_idx);
	free(s->fee_reason);
	for (int i = 0; i < F__N; i++)
		field_release(&s->f[i]);
	field_release(&s->appt);
	free(s->commune);
	free(s->commune_label);
	free(s->refusal);
	if (s->task) /* it goes on without the page: the receipt is still made */
		s->task->owner = NULL;
	if (s->committed)
		reception_result_release(&s->res);
	if (s->vtask)
		s->vtask->owner = NULL;
	if (s->visited)
		visit_release(&s->visit_row);
	free(s->vform_path);
	free(s->vform_error);
	free(s->vprint_error);
}

/* ---- Drawing -------------------------------------------------------------------- */

/* Draws the focused field last and leaves the text cursor in it. */
static void draw_field(struct app *app, WINDOW *win, struct field *f, int y, int x, int w,
		       bool focused)
{
	wattrset(win, term_style(focused ? STYLE_FOCUS : STYLE_FIELD));
	field_draw(f, win, y, x, w, focused);
	wattrset(win, term_style(STYLE_NORMAL));
	if (focused) {
		int cy, cx;
		getyx(win, cy, cx);
		app_set_cursor(app, cy, cx);
	}
}

/* The wrapped lines of s, at most max, each at most w columns. */
static int draw_wrapped(WINDOW *win, int y, int x, int w, int max, const char *s)
{
	int start[32], len[32];
	if (max > 32)
		max = 32;
	int n = layout_wrap(s, w, start, len, max);
	for (int i = 0; i < n; i++) {
		char *line = xstrndup(s + start[i], (size_t)len[i]);
		term_text(win, y + i, x, w, line);
		free(line);
	}
	return n;
}

/* The label of the key for act on this screen ("F6"), as the clerk bound it. */
static const char *key_of(struct app *app, enum action act, char *buf, size_t n)
{
	struct key k;
	if (keymap_key_for(&app->keymap, KEYMAP_RECEPTION, act, &k))
		key_label(&k, buf, n);
	else
		snprintf(buf, n, "%s", action_name(act));
	return buf;
}

/* The last refusal in full (the status line may clip it); lines used. */
/* The last refusal in max lines from y; a list of errors (one a line,
 * after a "\n") gets a line each, the last line saying how many more when
 * they do not all fit. */
static int draw_refusal(struct wizard *s, WINDOW *win, int y, int x, int w, int max)
{
	if (!s->refusal)
		return 0;
	wattrset(win, term_style(STYLE_ERROR));
	int n = 0;
	size_t total = 1;
	for (const char *p = s->refusal; (p = strchr(p, '\n')); p++)
		total++;
	const char *p = s->refusal;
	for (size_t i = 0; i < total && n < max; i++) {
		const char *nl = strchr(p, '\n');
		char *seg = nl ? xstrndup(p, (size_t)(nl - p)) : xstrdup(p);
		if (n == max - 1 && i + 1 < total) {
			char *more = xasprintf("… và %zu lỗi khác", total - i);
			term_text(win, y + n, x, w, more);
			free(more);
			n++;
		} else {
			/* room for the items after it, a line each */
			int room = max - n - (int)(total - i - 1);
			n += draw_wrapped(win, y + n, x, w, room > 1 ? room : 1, seg);
		}
		free(seg);
		p = nl ? nl + 1 : p + strlen(p);
	}
	wattrset(win, term_style(STYLE_NORMAL));
	return n;
}

static void draw_steps(WINDOW *win, const struct rect *b, enum page page)
{
	int x = b->x + 1, end = b->x + b->w - 1;
	for (int i = 0; i < P__N && x < end; i++) {
		char *step = xasprintf(" %d %s ", i + 1, page_names[i]);
		wattrset(win, term_style(i == (int)page ? STYLE_SELECTED
					 : i < (int)page ? STYLE_NORMAL : STYLE_DIM));
		x += term_text(win, b->y, x, end - x, step);
		free(step);
		wattrset(win, term_style(STYLE_DIM));
		if (i + 1 < P__N)
			x += term_text(win, b->y, x, end - x, "›");
	}
	wattrset(win, term_style(STYLE_NORMAL));
}

/* The body's last row: what the keys do on this page. */
static void draw_keys(WINDOW *win, const struct rect *b, const char *text)
{
	wattrset(win, term_style(STYLE_DIM));
	term_text(win, b->y + b->h - 1, b->x + 1, b->w - 2, text);
	wattrset(win, term_style(STYLE_NORMAL));
}

static void draw_label(WINDOW *win, int y, int x, int w, const char *label, const char *value)
{
	wattrset(win, term_style(STYLE_DIM));
	int used = term_text(win, y, x, w, label);
	wattrset(win, term_style(STYLE_NORMAL));
	term_text(win, y, x + used + 1, w - used - 1, value ? value : "");
}

static const struct catalog_proc *preview_of(struct wizard *s, const char *code)
{
	if (!s->preview.n || strcmp(s->preview.items[0].code, code)) {
		catalog_procs_release(&s->preview);
		catalog_search(&s->app->store, code, NULL, 1, &s->preview);
	}
	return s->preview.n && !strcmp(s->preview.items[0].code, code) ? &s->preview.items[0] : NULL;
}

static void draw_procedure(struct app *app, struct wizard *s, WINDOW *win, const struct rect *b)
{
	int x = b->x + 1, w = b->w - 2, y = b->y + 2;
	wattrset(win, term_style(STYLE_HEADER));
	term_text(win, y, x, w,
		  s->procs_recent && s->procs.nitems
			  ? "Thủ tục thường tiếp nhận ở đây (gõ tên hoặc mã để tìm thủ tục khác):"
			  : "Tìm thủ tục theo tên (có dấu hoặc không dấu) hoặc theo mã:");
	wattrset(win, term_style(STYLE_NORMAL));
	int list_h = b->h - 8;
	if (list_h < 2)
		list_h = 2;
	picker_draw(&s->procs, win, y + 1, x, w, list_h + 1, s->modal == M_NONE);
	int cy, cx;
	getyx(win, cy, cx);

	const struct picker_item *it = picker_selected(&s->procs);
	const struct catalog_proc *p = it ? preview_of(s, it->id) : NULL;
	int py = y + 2 + list_h + 1;
	if (draw_refusal(s, win, py, x, w, 2)) {
		/* in place of the preview */
	} else if (p) {
		char tbuf[96];
		const char *t = catalog_time_display(p, tbuf, sizeof(tbuf));
		char *line = xasprintf("Lĩnh vực: %s · Thời hạn: %s", p->field ? p->field : "",
				       *t ? t : "chưa rõ");
		term_text(win, py, x, w, line);
		free(line);
		line = xasprintf("Phí, lệ phí: %s", p->fee_text ? p->fee_text : "chưa rõ");
		term_text(win, py + 1, x, w, line);
		free(line);
	}
	draw_keys(win, b, "Gõ để tìm · ↑↓ chọn · Enter: tiếp · Esc: thôi tiếp nhận");
	if (s->modal == M_NONE)
		app_set_cursor(app, cy, cx);
}

static const char *sex_text(char sex)
{
	return sex == 'M' ? "Nam" : sex == 'F' ? "Nữ" : "";
}

/* What the CCCD says, next to it: "Hà Nội · sinh năm 1990 · Nam". */
static void draw_cccd_note(WINDOW *win, int y, int x, int w, const char *id)
{
	if (strlen(id) != 12)
		return;
	struct mc_cccd info;
	enum mc_cccd_result r = mc_cccd_check(id, 0, 0, &info);
	char *note = r == MC_CCCD_OK
			     ? xasprintf("%s · sinh năm %d · %s", info.province_name, info.birth_year,
					 sex_text(info.sex))
			     : xstrdup(mc_cccd_message(r));
	if (r == MC_CCCD_OK && mc_text_width(note) > w) { /* the short form, then "…" */
		free(note);
		note = xasprintf("%s · %d · %s", info.province_name, info.birth_year,
				 sex_text(info.sex));
	}
	char *fit = mc_text_ellipsize(note, w);
	free(note);
	note = fit;
	wattrset(win, term_style(r == MC_CCCD_OK ? STYLE_DIM : STYLE_ERROR));
	term_text(win, y, x, w, note);
	wattrset(win, term_style(STYLE_NORMAL));
	free(note);
}

static void draw_proc_line(struct wizard *s, WINDOW *win, int y, int x, int w)
{
	if (!s->have_proc)
		return;
	char *line = xasprintf("%s %s", s->proc.proc.code, s->proc.proc.name);
	draw_label(win, y, x, w, "Thủ tục:", line);
	free(line);
}

static void draw_commune_picker(struct app *app, struct wizard *s, WINDOW *win,
				const struct rect *b)
{
	int x = b->x + 1, w = b->w - 2, y = b->y + 2;
	wattrset(win, term_style(STYLE_HEADER));
	term_text(win, y, x, w, "Chọn xã, phường nơi ở (gõ tên có dấu hoặc không dấu, cả tên cũ):");
	wattrset(win, term_style(STYLE_NORMAL));
	picker_draw(&s->communes, win, y + 1, x, w, b->h - 4, s->modal == M_NONE);
	int cy, cx;
	getyx(win, cy, cx);
	draw_keys(win, b, "Gõ để tìm · ↑↓ chọn · Enter: chọn · Esc: giữ xã đã có");
	app_set_cursor(app, cy, cx);
}

/* The person's earlier dossiers, in place of the applicant page. */
static void draw_history(struct app *app, struct wizard *s, WINDOW *win, const struct rect *b)
{
	int x = b->x + 1, w = b->w - 2, y = b->y + 2;
	wattrset(win, term_style(STYLE_HEADER));
	char *head = xasprintf("Hồ sơ trước của người nộp (số CCCD %s): %zu hồ sơ",
			       field_text(&s->f[F_ID]), s->history_lv.count);
	term_text(win, y, x, w, head);
	free(head);
	wattrset(win, term_style(STYLE_DIM));
	if (s->have_known) {
		char *who = xasprintf("%s%s%s", s->known.full_name ? s->known.full_name : "",
				      s->known.phone ? " · " : "", s->known.phone ? s->known.phone : "");
		term_text(win, y + 1, x, w, who);
		free(who);
	}
	wattrset(win, term_style(STYLE_NORMAL));
	int list_h = b->h - 6;
	listview_draw(&s->history_lv, win, y + 3, x, w, list_h < 1 ? 1 : list_h, s->modal == M_NONE);
	app->cursor_shown = false;
	char key[32];
	char *keys = xasprintf("↑↓ chọn · Enter: xem hồ sơ · Esc hoặc %s: quay lại trang người nộp",
			       key_of(app, ACTION_PAST_DOSSIERS, key, sizeof(key)));
	draw_keys(win, b, keys);
	free(keys);
}

static void draw_applicant(struct app *app, struct wizard *s, WINDOW *win, const struct rect *b)
{
	if (s->choosing_commune) {
		draw_commune_picker(app, s, win, b);
		return;
	}
	if (s->showing_history) {
		draw_history(app, s, win, b);
		return;
	}
	int x = b->x + 1, w = b->w - 2;
	draw_proc_line(s, win, b->y + 2, x, w);
	/* long fields to the right edge; short ones leave room for a note */
	int fx = x + LABEL_W, long_w = x + w - fx, fw = SHORT_W < long_w ? SHORT_W : long_w;
	int nx = fx + fw + 2, nw = x + w - nx;
	int y0 = b->y + 4;
	for (int i = 0; i < F__N; i++) {
		int y = y0 + i;
		wattrset(win, term_style(i == s->focus ? STYLE_HEADER : STYLE_NORMAL));
		term_text(win, y, x, 2, i == s->focus ? ">" : "");
		term_text(win, y, x + 2, LABEL_W - 3, afield_labels[i]);
		wattrset(win, term_style(STYLE_NORMAL));
		bool focused = i == s->focus && s->modal == M_NONE;
		if (i == F_SEX || i == F_COMMUNE) {
			const char *v = i == F_SEX ? sex_text(s->sex)
					: s->commune_label ? s->commune_label : "";
			int vw = i == F_COMMUNE ? long_w : fw;
			wattrset(win, term_style(i == s->focus ? STYLE_FOCUS : STYLE_FIELD));
			term_blank(win, y, fx, vw);
			term_text(win, y, fx, vw, v);
			wattrset(win, term_style(STYLE_NORMAL));
			if (focused)
				app_set_cursor(app, y, fx);
		}
	}
	/* the notes, then the text fields, the focused one last (the cursor) */
	wattrset(win, term_style(STYLE_DIM));
	if (nw > 4) {
		term_text(win, y0 + F_SEX, nx, nw, s->sex && !s->sex_by_clerk ? "theo số CCCD" : "");
		term_text(win, y0 + F_BIRTH, nx, nw, "vd. 05031990");
		wattrset(win, term_style(STYLE_NORMAL));
		if (s->consent_sms)
			term_text(win, y0 + F_PHONE, nx, nw, "đồng ý nhận tin nhắn");
		if (s->consent_email)
			term_text(win, y0 + F_EMAIL, nx, nw, "đồng ý nhận thư");
		wattrset(win, term_style(STYLE_DIM));
	}
	wattrset(win, term_style(STYLE_NORMAL));
	if (nw > 4)
		draw_cccd_note(win, y0 + F_ID, nx, nw, field_text(&s->f[F_ID]));

	int help_y = y0 + F__N + 1;
	/* the page's errors, listed together, down to the line above the keys'
	 * (4 at the least, as before) */
	int refusal_rows = b->y + b->h - 2 - help_y;
	if (refusal_rows < 4)
		refusal_rows = 4;
	wattrset(win, term_style(STYLE_DIM));
	const char *help = "";
	char key[32];
	char *own = NULL; /* a help text made here */
	switch (s->focus) {
	case F_NAME:
		help = own = xasprintf("Gõ tiếng Việt bằng bộ gõ của máy, hoặc bật Telex có sẵn"
				       " (Ctrl-T hoặc F4). Đã gõ %zu/%d ký tự.",
				       field_length(&s->f[F_NAME]), RECEPTION_NAME_MAX);
		break;
	case F_ID:
		help = own = s->have_known && !strcmp(s->known_for, field_text(&s->f[F_ID]))
			? xasprintf("Người nộp đã có %d hồ sơ ở đây: thông tin đã điền theo hồ sơ"
				    " gần nhất · %s: xem hồ sơ trước.", s->known.dossiers,
				    key_of(app, ACTION_PAST_DOSSIERS, key, sizeof(key)))
			: xasprintf("Gõ số CCCD hoặc quét mã QR trên thẻ: người đã nộp hồ sơ ở đây"
				    " được điền sẵn thông tin · %s: hồ sơ trước.",
				    key_of(app, ACTION_PAST_DOSSIERS, key, sizeof(key)));
		break;
	case F_BIRTH:
		help = "Nhập ngày, tháng, năm: 05031990 hoặc 5/3/1990.";
		break;
	case F_SEX:
		help = "Cách hoặc ←/→: đổi Nam/Nữ · 1: Nam · 2: Nữ.";
		break;
	case F_PHONE:
	case F_EMAIL:
		help = own = xasprintf("Không bắt buộc: Enter để bỏ qua · %s: người nộp đồng ý nhận"
				       " thông báo qua %s.", key_of(app, ACTION_CONSENT, key, sizeof(key)),
				       s->focus == F_PHONE ? "tin nhắn" : "thư điện tử");
		break;
	case F_ADDRESS:
		help = own = xasprintf("Số nhà, đường, thôn, tổ dân phố; xã, phường chọn ở ô sau."
				       " Đã gõ %zu/%d ký tự.", field_length(&s->f[F_ADDRESS]),
				       RECEPTION_TEXT_MAX);
		break;
	case F_COMMUNE:
		help = s->commune && s->commune_known
			       ? "Theo hồ sơ trước của người nộp. Gõ tên để chọn xã, phường khác;"
				 " Enter để sang bước sau."
		       : s->commune ? "Mặc định là xã, phường của đơn vị. Gõ tên để chọn xã, phường khác;"
				    " Enter để sang bước sau."
				  : "Gõ tên xã, phường để chọn.";
		break;
	}
	if (s->reading_qr) {
		char *r = xasprintf("Đang đọc mã QR trên thẻ CCCD… (%zu ký tự; Enter: xong, Esc: bỏ)",
				    s->qr.len);
		wattrset(win, term_style(STYLE_HEADER));
		draw_wrapped(win, help_y, x, w, 2, r);
		free(r);
	} else if (!draw_refusal(s, win, help_y, x, w, refusal_rows)) {
		draw_wrapped(win, help_y, x, w, 2, help);
	}
	free(own);
	wattrset(win, term_style(STYLE_NORMAL));
	draw_keys(win, b, "Enter: ô kế tiếp · Tab/Shift-Tab: chuyển ô · Esc: quay lại bước trước");

	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < F__N; i++) {
			if (i == F_SEX || i == F_COMMUNE)
				continue;
			bool focused = i == s->focus && s->modal == M_NONE;
			if (focused != (pass == 1))
				continue;
			bool wide = i == F_NAME || i == F_EMAIL || i == F_ADDRESS;
			draw_field(app, win, &s->f[i], y0 + i, fx, wide ? long_w : fw, focused);
		}
}

/* "1/1": presented / asked. */
static void count_cell(char *buf, size_t n, int have, int want)
{
	snprintf(buf, n, "%d/%d", have, want);
}

static const char *comp_mark(const struct catalog_component *c, const struct comp *k)
{
	if (k->reuse)
		return "[x]";
	if (comp_missing(c, k))
		return k->reason ? "[~]" : "[!]";
	if (!k->originals && !k->copies)
		return "[ ]";
	if (k->originals < c->originals || k->copies < c->copies)
		return "[/]";
	return "[x]";
}

#define COMP_FIXED 30 /* columns before the component's name */

static void draw_comp_row(struct wizard *s, WINDOW *win, size_t i, int y, int x, int w)
{
	const struct catalog_component *c = &s->proc.components[i];
	const struct comp *k = &s->comps[i];
	bool sel = i == s->checklist.selected;
	const char *mark = comp_mark(c, k);
	enum style base = sel ? STYLE_SELECTED : STYLE_NORMAL;
	wattrset(win, term_style(base));
	term_blank(win, y, x, w);
	if (!sel && mark[1] == '!')
		wattrset(win, term_style(STYLE_ERROR));
	term_text(win, y, x, 3, mark);
	wattrset(win, term_style(base));
	term_text(win, y, x + 4, 2, c->mandatory ? "*" : "");
	term_text(win, y, x + 7, 10, c->present ? "Xuất trình" : "Nộp");
	char o[16], p[16];
	count_cell(o, sizeof(o), k->originals, c->originals);
	count_cell(p, sizeof(p), k->copies, c->copies);
	if (k->reuse) { /* in place of the counts: nothing brought */
		if (!sel)
			wattrset(win, term_style(STYLE_HEADER));
		term_text(win, y, x + 20, 9, "dùng lại");
		wattrset(win, term_style(base));
	}
	for (int col = 0; col < 2 && !k->reuse; col++) {
		const char *v = col ? p : o;
		int cx = x + 18 + col * 6;
		if (sel)
			wattrset(win, term_style(col == s->col ? STYLE_FOCUS : base));
		term_blank(win, y, cx, 5);
		term_text(win, y, cx + 5 - mc_text_width(v), 5, v);
		wattrset(win, term_style(base));
	}
	int nx = x + COMP_FIXED;
	if (!k->reuse && s->papers.n && fitting(s, i, NULL)) { /* a stored paper fits */
		if (!sel)
			wattrset(win, term_style(STYLE_HEADER));
		nx += term_text(win, y, nx, x + w - nx, "[kho] ");
		wattrset(win, term_style(base));
	}
	term_text(win, y, nx, x + w - nx, c->name);
	wattrset(win, term_style(STYLE_NORMAL));
}

static size_t count_missing(const struct wizard *s, bool *unresolved)
{
	size_t n = 0;
	*unresolved = false;
	for (size_t i = 0; i < s->proc.ncomponents; i++)
		if (comp_missing(&s->proc.components[i], &s->comps[i])) {
			n++;
			if (!s->comps[i].reason)
				*unresolved = true;
		}
	return n;
}

/* Under the selected component: the stored paper it reuses, or those that
 * fit it. */
static void draw_stored(struct app *app, struct wizard *s, WINDOW *win, int y, int x, int w)
{
	const struct comp *k = &s->comps[s->checklist.selected];
	char key[32];
	char *line = NULL;
	if (k->reuse) {
		const struct reuse_paper *p = paper_by_id(s, k->reuse);
		char *label = p ? reuse_label(p) : xstrdup(k->reuse);
		line = xasprintf("Dùng lại từ kho (%s: bỏ): %s",
				 key_of(app, ACTION_REUSE_DOCUMENT, key, sizeof(key)), label);
		free(label);
	} else if (s->papers.n) {
		size_t n = fitting(s, s->checklist.selected, NULL);
		if (n == 1) {
			size_t p;
			fitting(s, s->checklist.selected, &p);
			char *label = reuse_label(&s->papers.items[p]);
			line = xasprintf("Có trong kho (%s: dùng lại): %s",
					 key_of(app, ACTION_REUSE_DOCUMENT, key, sizeof(key)), label);
			free(label);
		} else if (n > 1) {
			line = xasprintf("Có %zu giấy tờ phù hợp trong kho · %s: chọn để dùng lại", n,
					 key_of(app, ACTION_REUSE_DOCUMENT, key, sizeof(key)));
		}
	}
	if (!line)
		return;
	wattrset(win, term_style(STYLE_HEADER));
	term_text(win, y, x, w, line);
	wattrset(win, term_style(STYLE_NORMAL));
	free(line);
}

/* The chooser of the applicant's stored papers, in place of the checklist. */
static void draw_chooser(struct app *app, struct wizard *s, WINDOW *win, const struct rect *b)
{
	char key[32];
	int x = b->x + 1, w = b->w - 2, y = b->y + 2;
	const struct catalog_component *c = &s->proc.components[s->checklist.selected];
	wattrset(win, term_style(STYLE_HEADER));
	char *head = s->chooser_all
			     ? xasprintf("Giấy tờ còn hạn trong kho của người nộp (số CCCD %s):",
					 s->papers.owner)
			     : xstrdup("Giấy tờ trong kho phù hợp với thành phần này:");
	term_text(win, y, x, w, head);
	free(head);
	wattrset(win, term_style(STYLE_DIM));
	char *name = xasprintf("Thành phần số %d: %s", c->id, c->name);
	term_text(win, y + 1, x, w, name);
	free(name);
	wattrset(win, term_style(STYLE_NORMAL));
	int list_h = b->h - 6;
	listview_draw(&s->chooser, win, y + 3, x, w, list_h < 1 ? 1 : list_h, s->modal == M_NONE);
	app->cursor_shown = false;
	char *keys = s->chooser_all
			     ? xstrdup("↑↓ chọn · Enter: dùng lại cho thành phần này · Esc: quay lại")
			     : xasprintf("↑↓ chọn · Enter: dùng lại cho thành phần này · %s: mọi giấy"
					 " tờ · Esc: quay lại",
					 key_of(app, ACTION_LIST_DOCUMENTS, key, sizeof(key)));
	draw_keys(win, b, keys);
	free(keys);
}

static void draw_components(struct app *app, struct wizard *s, WINDOW *win, const struct rect *b)
{
	char key[32];
	if (s->choosing_paper) {
		draw_chooser(app, s, win, b);
		return;
	}
	int x = b->x + 1, w = b->w - 2;
	draw_proc_line(s, win, b->y + 2, x, w);
	int hy = b->y + 3;
	wattrset(win, term_style(STYLE_HEADER));
	term_text(win, hy, x, w, "Có  BB Loại       Chính   Sao Tên giấy tờ");
	wattrset(win, term_style(STYLE_NORMAL));
	/* below the list: a rule, the name (2), needs, reason, message (2), keys */
	int list_h = b->h - (hy - b->y) - 1 - 8;
	if (list_h < 1)
		list_h = 1;
	size_t n = s->proc.ncomponents;
	if (s->checklist.selected < s->top)
		s->top = s->checklist.selected;
	if (s->checklist.selected >= s->top + (size_t)list_h)
		s->top = s->checklist.selected - (size_t)list_h + 1;
	for (int r = 0; r < list_h && s->top + (size_t)r < n; r++)
		draw_comp_row(s, win, s->top + (size_t)r, hy + 1 + r, x, w);
	if (!n)
		term_text(win, hy + 1, x, w, "Thủ tục này không ghi thành phần hồ sơ nào.");

	int dy = hy + 1 + list_h;
	wattrset(win, term_style(STYLE_DIM));
	mvwhline(win, dy, x, ACS_HLINE, w);
	if (n > (size_t)list_h) {
		char *pos = xasprintf(" %zu/%zu ", s->checklist.selected + 1, n);
		term_text(win, dy, x + w - mc_text_width(pos) - 1, 12, pos);
		free(pos);
	}
	wattrset(win, term_style(STYLE_NORMAL));
	dy++;
	if (n) {
		const struct catalog_component *c = &s->proc.components[s->checklist.selected];
		const struct comp *k = &s->comps[s->checklist.selected];
		draw_wrapped(win, dy, x, w, 2, c->name);
		char *need = xasprintf("%s%s%s · cần %d bản chính, %d bản sao%s",
				       c->grp ? c->grp : "", c->grp ? " · " : "",
				       c->mandatory ? "bắt buộc" : "không bắt buộc", c->originals,
				       c->copies, c->form ? " · có mẫu đơn" : "");
		wattrset(win, term_style(STYLE_DIM));
		term_text(win, dy + 2, x, w, need);
		wattrset(win, term_style(STYLE_NORMAL));
		free(need);
		int ry = dy + 3;
		if (k->reason) {
			char *r = xasprintf("Lý do nhận thiếu: %s", k->reason);
			term_text(win, ry++, x, w, r);
			free(r);
		}
		draw_stored(app, s, win, ry, x, w);
	}
	bool unresolved;
	size_t missing = count_missing(s, &unresolved);
	if (s->refusal) { /* over the reason line: it has none, being refused */
		term_blank(win, b->y + b->h - 4, x, w);
		draw_refusal(s, win, b->y + b->h - 4, x, w, 3);
		/* said in full above the keys */
	} else if (missing && unresolved) {
		wattrset(win, term_style(STYLE_ERROR));
		char *m = xasprintf("Thiếu %zu giấy tờ bắt buộc [!]: bổ sung, hoặc %s để nhận thiếu và"
				    " ghi lý do", missing, key_of(app, ACTION_OVERRIDE, key, sizeof(key)));
		term_text(win, b->y + b->h - 2, x, w, m);
		free(m);
		wattrset(win, term_style(STYLE_NORMAL));
	} else if (s->papers.n) {
		char key2[32];
		char *m = xasprintf("[kho] có giấy tờ trong kho · %s: dùng lại · %s: xem %zu giấy tờ"
				    " của người nộp", key_of(app, ACTION_REUSE_DOCUMENT, key, sizeof(key)),
				    key_of(app, ACTION_LIST_DOCUMENTS, key2, sizeof(key2)),
				    s->papers.n);
		wattrset(win, term_style(STYLE_DIM));
		term_text(win, b->y + b->h - 2, x, w, m);
		wattrset(win, term_style(STYLE_NORMAL));
		free(m);
	} else {
		wattrset(win, term_style(STYLE_DIM));
		term_text(win, b->y + b->h - 2, x, w,
			  "[x] đủ · [/] chưa đủ số bản · [!] thiếu bắt buộc · [~] nhận thiếu · * bắt buộc");
		wattrset(win, term_style(STYLE_NORMAL));
	}
	char *keys = xasprintf("Cách: có/không · ←→ cột · +/- hay số: số bản · %s: nhận thiếu ·"
			       " Enter: tiếp", key_of(app, ACTION_OVERRIDE, key, sizeof(key)));
	draw_keys(win, b, keys);
	free(keys);
}

/* The fee as it will be recorded: "20.000 đồng · đã thu", "Miễn phí" (a
 * procedure without fee), "Miễn: <reason>", "20.000 đồng · nộp sau"; without
 * one, the catalogue's text. */
static char *fee_text(const struct wizard *s)
{
	char vnd[48];
	mc_fee_format_vnd(s->fee_shown_amount, vnd, sizeof(vnd));
	switch (s->fee_shown) {
	case MC_FEE_COLLECTED:
		if (!s->fee_shown_amount && !s->fee_chosen)
			return xstrdup("Miễn phí");
		return xasprintf("%s · đã thu", vnd);
	case MC_FEE_LATER:
		return xasprintf("%s · nộp sau", vnd);
	case MC_FEE_EXEMPT:
		return xasprintf("Miễn: %s", s->fee_reason ? s->fee_reason : "");
	default:
		return xstrdup(s->proc.proc.fee_text ? s->proc.proc.fee_text : "chưa rõ");
	}
}

static void draw_summary(struct app *app, struct wizard *s, WINDOW *win, const struct rect *b)
{
	int x = b->x + 1, w = b->w - 2, y = b->y + 2;
	const int L = 21; /* label column */
	char buf[160];
	draw_proc_line(s, win, y++, x, w);
	wattrset(win, term_style(STYLE_DIM));
	term_text(win, y, x, L, "Lĩnh vực:");
	wattrset(win, term_style(STYLE_NORMAL));
	term_text(win, y++, x + L, w - L, s->proc.proc.field);
	y++;

	struct mc_date bd;
	char birth[16] = "";
	if (!mc_parse_date_vn(field_text(&s->f[F_BIRTH]), &bd))
		mc_format_date_vn(birth, sizeof(birth), bd.y, bd.m, bd.d);
	char *name = squeeze(field_text(&s->f[F_NAME]));
	char *who = xasprintf("%s · %s · sinh %s", name, sex_text(s->sex), birth);
	free(name);
	const char *rows[][2] = {
		{ "Người nộp:", who },
		{ "Số CCCD:", field_text(&s->f[F_ID]) },
		{ NULL, NULL },
		{ NULL, NULL },
	};
	char *contact = NULL, *addr = NULL;
	const char *phone = field_text(&s->f[F_PHONE]), *email = field_text(&s->f[F_EMAIL]);
	if (*phone || *email) /* each with the consent to notices it carries */
		contact = xasprintf("%s%s%s%s%s", phone, s->consent_sms ? " (nhận tin nhắn)" : "",
				    *phone && *email ? " · " : "", email,
				    s->consent_email ? " (nhận thư)" : "");
	char *street = squeeze(field_text(&s->f[F_ADDRESS]));
	addr = xasprintf("%s%s%s", street, *street ? ", " : "",
			 s->commune_label ? s->commune_label : "");
	free(street);
	rows[2][0] = "Liên hệ:";
	rows[2][1] = contact ? contact : "không có";
	rows[3][0] = "Địa chỉ:";
	rows[3][1] = addr;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		wattrset(win, term_style(STYLE_DIM));
		term_text(win, y, x, L, rows[i][0]);
		wattrset(win, term_style(STYLE_NORMAL));
		y += draw_wrapped(win, y, x + L, w - L, i >= 2 ? 2 : 1, rows[i][1]);
	}
	free(who);
	free(contact);
	free(addr);

	int papers = 0, originals = 0, copies = 0, reused = 0;
	for (size_t i = 0; i < s->proc.ncomponents; i++) {
		if (s->comps[i].originals || s->comps[i].copies) {
			papers++;
			originals += s->comps[i].originals;
			copies += s->comps[i].copies;
		}
		reused += s->comps[i].reuse != NULL;
	}
	bool unresolved;
	size_t missing = count_missing(s, &unresolved);
	int n = snprintf(buf, sizeof(buf), "%d loại (%d bản chính, %d bản sao)", papers, originals,
			 copies);
	if (reused && n > 0 && (size_t)n < sizeof(buf))
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, " · dùng lại %d từ kho", reused);
	if (missing && n > 0 && (size_t)n < sizeof(buf))
		snprintf(buf + n, sizeof(buf) - (size_t)n, " · nhận thiếu %zu, có lý do", missing);
	wattrset(win, term_style(STYLE_DIM));
	term_text(win, y, x, L, "Giấy tờ đã nhận:");
	wattrset(win, term_style(STYLE_NORMAL));
	term_text(win, y++, x + L, w - L, buf);
	y++;

	struct mc_dt received = s->plan.received;
	if (s->manual)
		clock_now(&received);
	format_when(buf, sizeof(buf), &received);
	wattrset(win, term_style(STYLE_DIM));
	term_text(win, y, x, L, "Tiếp nhận lúc:");
	wattrset(win, term_style(STYLE_NORMAL));
	term_text(win, y++, x + L, w - L, buf);
	wattrset(win, term_style(STYLE_DIM));
	term_text(win, y, x, L, "Hẹn trả kết quả:");
	int appt_y = y++;
	if (!s->manual) {
		format_when(buf, sizeof(buf), &s->plan.appointment);
		wattrset(win, term_style(STYLE_HEADER));
		term_text(win, appt_y, x + L, w - L, buf);
	}
	wattrset(win, term_style(STYLE_DIM));
	term_text(win, y, x, L, "Thời hạn giải quyết:");
	wattrset(win, term_style(STYLE_NORMAL));
	term_text(win, y++, x + L, w - L,
		  s->manual ? "chưa rõ trong danh mục: cán bộ nhập ngày hẹn trả" : s->plan.time_text);
	wattrset(win, term_style(STYLE_DIM));
	term_text(win, y, x, L, "Phí, lệ phí:");
	wattrset(win, term_style(STYLE_NORMAL));
	int room = b->y + b->h - 4 - y;
	char *fee = fee_text(s);
	int used = draw_wrapped(win, y, x + L, w - L, room < 1 ? 1 : room > 2 ? 2 : room, fee);
	free(fee);
	if (used < room) {
		char key[32];
		char *hint = xasprintf("%s: đổi phí (đã thu, nộp sau, miễn)",
				       key_of(app, ACTION_FEE, key, sizeof(key)));
		wattrset(win, term_style(STYLE_DIM));
		term_text(win, y + used, x + L, w - L, hint);
		wattrset(win, term_style(STYLE_NORMAL));
		free(hint);
	}
	draw_refusal(s, win, b->y + b->h - 4, x, w, 2);
	wattrset(win, term_style(STYLE_HEADER));
	term_text(win, b->y + b->h - 2, x, w,
		  "Enter: lưu hồ sơ, cấp mã và in giấy tiếp nhận · Esc: quay lại sửa");
	wattrset(win, term_style(STYLE_NORMAL));
	if (s->manual) {
		struct mc_dt when;
		if (!mc_parse_dt_vn(field_text(&s->appt), &received, &when)) {
			format_when(buf, sizeof(buf), &when);
			wattrset(win, term_style(STYLE_HEADER));
			term_text(win, appt_y, x + L + 26, w - L - 26, buf);
			wattrset(win, term_style(STYLE_NORMAL));
		}
		draw_field(app, win, &s->appt, appt_y, x + L, 24, s->modal == M_NONE);
	}
}

/* The code large and clear, the appointment, the receipt (its path with
 * $HOME as "~") and whether it was printed. */
/* The done page of a visit refused or guided: no code; the reasons or the
 * papers, the form and the printer. */
static void draw_visit_done(struct app *app, struct wizard *s, WINDOW *win, const struct rect *b)
{
	int x = b->x + 1, w = b->w - 2, y = b->y + 2;
	const int L = 26;
	bool refused = s->visit.kind == VISIT_REFUSE;
	wattrset(win, term_style(STYLE_HEADER));
	term_text(win, y++, x, w, refused ? "Đã từ chối tiếp nhận hồ sơ: không cấp mã hồ sơ."
					  : "Đã hướng dẫn bổ sung hồ sơ: hồ sơ chưa được tiếp nhận.");
	wattrset(win, term_style(STYLE_NORMAL));
	y++;
	const struct visit *v = &s->visit_row;
	wattrset(win, term_style(STYLE_DIM));
	term_text(win, y, x, L, "Người nộp:");
	wattrset(win, term_style(STYLE_NORMAL));
	term_text(win, y++, x + L, w - L, v->applicant_name ? v->applicant_name : "");
	wattrset(win, term_style(STYLE_DIM));
	term_text(win, y, x, L, "Thủ tục:");
	wattrset(win, term_style(STYLE_NORMAL));
	char *proc = xasprintf("%s %s", v->procedure_code ? v->procedure_code : "",
			       v->procedure_name ? v->procedure_name : "");
	char *fit = mc_text_ellipsize(proc, w - L);
	term_text(win, y++, x + L, w - L, fit);
	free(fit);
	free(proc);
	wattrset(win, term_style(STYLE_DIM));
	term_text(win, y++, x, w, refused ? "Lý do từ chối:" : "Giấy tờ cần bổ sung, hoàn thiện:");
	wattrset(win, term_style(STYLE_NORMAL));
	size_t n = json_array_size(v->items), shown = 0;
	int room = b->y + b->h - 2 - 4 - y; /* the form, the printer, a blank, the keys */
	for (size_t i = 0; i < n && (int)shown < room; i++, shown++) {
		char *line = (int)shown == room - 1 && i + 1 < n
				     ? xasprintf("… và %zu mục nữa", n - i)
				     : xasprintf("%zu. %s", i + 1, json_string_value(json_array_get(v->items, i)));
		char *cut = mc_text_ellipsize(line, w - 2);
		term_text(win, y++, x + 2, w - 2, cut);
		free(cut);
		free(line);
	}
	y++;
	wattrset(win, term_style(STYLE_DIM));
	term_text(win, y, x, L, refused ? "Phiếu từ chối (mẫu 03):" : "Phiếu hướng dẫn (mẫu 02):");
	wattrset(win, term_style(STYLE_NORMAL));
	if (s->vtask && (s->vtask->f.steps & VISIT_FORM_WRITE)) {
		term_text(win, y++, x + L, w - L, "Đang tạo phiếu…");
	} else if (s->vform_path) {
		char *shown_path = keymap_shown_path(s->vform_path);
		const char *t = shown_path;
		while (mc_text_width(t) > w - L) {
			int32_t cp;
			t += mc_utf8_next(t, strlen(t), &cp);
		}
		term_text(win, y++, x + L, w - L, t);
		free(shown_path);
	} else {
		wattrset(win, term_style(STYLE_ERROR));
		y += draw_wrapped(win, y, x + L, w - L, 1,
				  s->vform_error ? s->vform_error : "chưa ghi được tệp");
		wattrset(win, term_style(STYLE_NORMAL));
	}
	wattrset(win, term_style(STYLE_DIM));
	term_text(win, y, x, L, "In:");
	wattrset(win, term_style(s->vprint_error && !s->vtask ? STYLE_ERROR : STYLE_NORMAL));
	const char *printed;
	if (s->vtask)
		printed = s->vtask->f.printer ? "đang gửi tới máy in…" : "chưa cấu hình máy in: in từ tệp PDF";
	else if (s->vprinted)
		printed = "đã gửi tới máy in";
	else if (s->vprint_error)
		printed = s->vprint_error;
	else
		printed = s->vform_path ? "chưa cấu hình máy in: in từ tệp PDF" : "không in được";
	draw_wrapped(win, y, x + L, w - L, 1, printed);
	wattrset(win, term_style(STYLE_NORMAL));
	char key[32];
	char *keys = xasprintf("Enter/Esc: về màn hình chính · %s: in lại phiếu",
			       key_of(app, ACTION_PRINT, key, sizeof(key)));
	draw_keys(win, b, keys);
	free(keys);
}

static void draw_done(struct app *app, struct wizard *s, WINDOW *win, const struct rect *b)
{
	int x = b->x + 1, w = b->w - 2, y = b->y + 2;
	const int L = 23;
	if (s->visited) {
		draw_visit_done(app, s, win, b);
		return;
	}
	wattrset(win, term_style(STYLE_HEADER));
	term_text(win, y, x, w, "Đã tiếp nhận hồ sơ. Mã hồ sơ:");
	/* the code, large: a reversed block three rows high */
	char *spaced = xasprintf("   %s   ", s->res.code);
	int cw = mc_text_width(spaced);
	int cx = b->x + (b->w - cw) / 2;
	wattrset(win, term_style(STYLE_SELECTED) | A_BOLD);
	for (int r = 0; r < 3; r++)
		term_blank(win, y + 2 + r, cx, cw);
	term_text(win, y + 3, cx, cw, spaced);
	free(spaced);
	wattrset(win, term_style(STYLE_NORMAL));
	y += 7;

	char buf[96];
	format_when(buf, sizeof(buf), &s->res.appointment);
	wattrset(win, term_style(STYLE_DIM));
	term_text(win, y, x, L, "Hẹn trả kết quả:");
	wattrset(win, term_style(STYLE_HEADER));
	term_text(win, y++, x + L, w - L, buf);
	char *name = squeeze(field_text(&s->f[F_NAME]));
	wattrset(win, term_style(STYLE_DIM));
	term_text(win, y, x, L, "Người nộp:");
	wattrset(win, term_style(STYLE_NORMAL));
	term_text(win, y++, x + L, w - L, name);
	free(name);
	y++;

	wattrset(win, term_style(STYLE_DIM));
	term_text(win, y, x, L, "Giấy tiếp nhận (PDF):");
	wattrset(win, term_style(STYLE_NORMAL));
	if (s->receipt == RS_WRITING) {
		term_text(win, y++, x + L, w - L, "Đang tạo giấy tiếp nhận…");
	} else if (s->res.receipt_path) {
		char *shown = keymap_shown_path(s->res.receipt_path);
		/* a long path keeps its end (the file name) */
		const char *t = shown;
		while (mc_text_width(t) > w - L) {
			int32_t cp;
			t += mc_utf8_next(t, strlen(t), &cp);
		}
		term_text(win, y++, x + L, w - L, t);
		free(shown);
	} else {
		wattrset(win, term_style(STYLE_ERROR));
		y += draw_wrapped(win, y, x + L, w - L, 2,
				  s->res.receipt_error ? s->res.receipt_error : "chưa ghi được tệp");
		wattrset(win, term_style(STYLE_NORMAL));
	}
	wattrset(win, term_style(STYLE_DIM));
	term_text(win, y, x, L, "In:");
	bool busy = s->receipt != RS_DONE;
	wattrset(win, term_style(s->res.print_error && !busy ? STYLE_ERROR : STYLE_NORMAL));
	const char *printed;
	if (s->receipt == RS_PRINTING)
		printed = "đang gửi tới máy in…";
	else if (busy)
		printed = s->task && s->task->r.printer ? "chờ tạo xong giấy tiếp nhận"
							: "chưa cấu hình máy in: in từ tệp PDF";
	else if (s->res.printed)
		printed = "đã gửi tới máy in";
	else if (s->res.print_error)
		printed = s->res.print_error;
	else
		printed = s->res.receipt_path ? "chưa cấu hình máy in: in từ tệp PDF" : "không in được";
	draw_wrapped(win, y, x + L, w - L, 2, printed);
	wattrset(win, term_style(STYLE_NORMAL));
	char key[32];
	char key2[32];
	char *keys = xasprintf("Enter/Esc: về màn hình chính · %s: in lại giấy tiếp nhận · %s: quét giấy tờ",
			       key_of(app, ACTION_PRINT, key, sizeof(key)),
			       key_of(app, ACTION_SCAN_PAPERS, key2, sizeof(key2)));
	draw_keys(win, b, keys);
	free(keys);
}

static void wz_draw(struct app *app, void *priv, WINDOW *win, const struct rect *body)
{
	struct wizard *s = priv;
	draw_steps(win, body, s->page);
	switch (s->page) {
	case P_PROCEDURE:
		draw_procedure(app, s, win, body);
		break;
	case P_APPLICANT:
		draw_applicant(app, s, win, body);
		break;
	case P_COMPONENTS:
		draw_components(app, s, win, body);
		break;
	case P_SUMMARY:
		draw_summary(app, s, win, body);
		break;
	case P_DONE:
	case P__N:
		draw_done(app, s, win, body);
		break;
	}
	if (s->modal != M_NONE) {
		dialog_draw(&s->dlg, win);
		if (s->dlg.kind == DIALOG_PROMPT) {
			int cy, cx;
			getyx(win, cy, cx);
			app_set_cursor(app, cy, cx);
		} else {
			app->cursor_shown = false;
		}
	}
}

/* ---- Keys ------------------------------------------------------------------------ */

/* Keys for a picker: the text, editing it, moving in its results. */
static bool picker_takes(const struct picker *p, const struct key_event *ev)
{
	return key_event_char(ev) || field_edits(ev->edit) || listview_moves(&p->list, ev->edit);
}

static void open_modal(struct wizard *s, enum modal m)
{
	s->modal = m;
	sync_telex(s, s->app->telex);
}

static void close_modal(struct wizard *s)
{
	dialog_release(&s->dlg);
	s->modal = M_NONE;
}

static int leave_wizard(struct wizard *s)
{
	if (!anything_typed(s))
		return SCR_BACK;
	dialog_init_confirm(&s->dlg, "Thôi tiếp nhận",
			    "Bỏ hồ sơ đang nhập dở? Những gì đã nhập sẽ không được lưu.", false);
	open_modal(s, M_LEAVE);
	return SCR_HANDLED;
}

static int handle_procedure(struct wizard *s, enum action act, const struct key_event *ev)
{
	if (picker_takes(&s->procs, ev)) {
		picker_key(&s->procs, ev->edit, key_event_char(ev));
		return SCR_HANDLED;
	}
	switch (act) {
	case ACTION_CONFIRM: {
		const struct picker_item *it = picker_selected(&s->procs);
		if (!it) {
			app_error(s->app, "Chưa chọn thủ tục: gõ tên hoặc mã thủ tục để tìm");
			return SCR_HANDLED;
		}
		if (choose_procedure(s, it->id)) {
			app_error(s->app, "Không tìm thấy thủ tục %s", it->id);
			return SCR_HANDLED;
		}
		s->page = P_APPLICANT;
		return SCR_HANDLED;
	}
	case ACTION_BACK:
		return leave_wizard(s);
	case ACTION_NEXT_FIELD:
	case ACTION_PREV_FIELD:
		return SCR_HANDLED;
	default:
		return SCR_IGNORED;
	}
}

static void open_communes(struct wizard *s, const char *text)
{
	if (!s->communes_ready) {
		picker_init(&s->communes, NULL, PICK_MAX, query_communes, s);
		s->communes_ready = true;
	}
	field_set_telex(&s->communes.field, s->app->telex);
	picker_set_text(&s->communes, text);
	s->choosing_commune = true;
}

static int handle_commune_picker(struct wizard *s, enum action act, const struct key_event *ev)
{
	if (picker_takes(&s->communes, ev)) {
		picker_key(&s->communes, ev->edit, key_event_char(ev));
		return SCR_HANDLED;
	}
	switch (act) {
	case ACTION_CONFIRM: {
		const struct picker_item *it = picker_selected(&s->communes);
		if (!it) {
			app_error(s->app, "Chưa chọn xã, phường: gõ tên để tìm");
			return SCR_HANDLED;
		}
		set_commune(s, it->id);
		s->commune_by_clerk = true;
		s->commune_known = false;
		s->choosing_commune = false;
		return SCR_HANDLED;
	}
	case ACTION_BACK:
		s->choosing_commune = false;
		return SCR_HANDLED;
	case ACTION_NEXT_FIELD:
	case ACTION_PREV_FIELD:
		return SCR_HANDLED;
	default:
		return SCR_IGNORED;
	}
}

/* Checks the applicant page and goes on to the checklist. */
/* The applicant page refused: every error of it listed together (one a
 * line under the fields), the focus on the first. */
static void show_page_errors(struct wizard *s, const struct reception_input *in,
			     const struct mc_dt *now, const struct reception_error *first)
{
	struct reception_error errs[F__N + 1];
	size_t n = reception_applicant_errors(&s->app->store, in, now, errs, F__N + 1);
	if (n < 2) {
		show_refusal(s, n ? &errs[0] : first);
		return;
	}
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "Trang này còn %zu lỗi:", n);
	for (size_t i = 0; i < n; i++)
		strbuf_addf(&sb, "\n%zu. %s", i + 1, errs[i].msg);
	struct reception_error all = errs[0];
	snprintf(all.msg, sizeof all.msg, "%s", sb.buf);
	show_refusal(s, &all);
	strbuf_release(&sb);
	app_error(s->app, "Trang này còn %zu lỗi: sửa từng lỗi trong danh sách bên dưới", n);
}

static void submit_applicant(struct wizard *s)
{
	leave_field(s);
	struct mc_date bd;
	const char *birth = field_text(&s->f[F_BIRTH]);
	if (*birth && mc_parse_date_vn(birth, &bd)) {
		refuse_here(s, RF_BIRTH_DATE,
			    "Ngày sinh «%s» không hợp lệ: nhập ngày/tháng/năm có thật, ví dụ 05/03/1990",
			    birth);
		return;
	}
	struct reception_input in;
	struct reception_error err;
	struct mc_dt now;
	build_input(s, &in);
	memset(&err, 0, sizeof(err));
	if (clock_now(&now)) {
		app_error(s->app, "Không đọc được giờ hiện tại (MOTCUA_NOW)");
	} else if (reception_check_applicant(&s->app->store, &in, &now, &err)) {
		show_page_errors(s, &in, &now, &err);
	} else {
		s->page = P_COMPONENTS;
		load_papers(s);
	}
	reception_input_release(&in);
}

/* The citizen's consent to notices by the channel of the focused field
 * (docs/notices.md): on the phone, SMS; on the e-mail, mail. The address is
 * checked with the page (a consent needs it). */
static int toggle_consent(struct wizard *s)
{
	bool *on = s->focus == F_PHONE ? &s->consent_sms
		 : s->focus == F_EMAIL ? &s->consent_email : NULL;
	if (!on) {
		app_info(s->app, "Chọn ô Điện thoại hoặc Thư điện tử để ghi người nộp đồng ý nhận"
				 " thông báo");
		return SCR_HANDLED;
	}
	*on = !*on;
	app_info(s->app, "%s nhận thông báo qua %s", *on ? "Người nộp đồng ý" : "Bỏ đồng ý",
		 s->focus == F_PHONE ? "tin nhắn" : "thư điện tử");
	return SCR_HANDLED;
}

/* A key on the sex choice. */
static int handle_sex(struct wizard *s, wint_t c, const struct key_event *ev)
{
	char want = 0;
	if (c == ' ' || (!c && (ev->edit == ACTION_MOVE_LEFT || ev->edit == ACTION_MOVE_RIGHT)))
		want = s->sex == 'M' ? 'F' : 'M';
	else if (c == '1' || c == 'm' || c == 'M')
		want = 'M';
	else if (c == '2' || c == 'f' || c == 'F')
		want = 'F';
	if (!want) {
		if (c)
			app_info(s->app, "Giới tính: Cách để đổi Nam/Nữ, 1: Nam, 2: Nữ");
		return SCR_HANDLED;
	}
	s->sex = want;
	s->sex_by_clerk = true;
	return SCR_HANDLED;
}

static bool char_allowed(int focus, wint_t c)
{
	switch (focus) {
	case F_BIRTH:
		return (c >= '0' && c <= '9') || c == '/' || c == '-' || c == '.';
	case F_PHONE:
		return (c >= '0' && c <= '9') || c == '+' || c == ' ';
	default:
		return true;
	}
}

static int handle_applicant(struct wizard *s, enum action act, const struct key_event *ev)
{
	if (s->choosing_commune)
		return handle_commune_picker(s, act, ev);
	wint_t c = key_event_char(ev);
	if (s->showing_history) {
		if (act == ACTION_BACK || act == ACTION_PAST_DOSSIERS) {
			s->showing_history = false;
		} else if (act == ACTION_CONFIRM && s->history_lv.count) {
			app_push_screen(s->app, &dossier_screen,
					s->history.v[s->history_lv.selected].code);
		}
		return SCR_HANDLED;
	}
	if (s->reading_qr) { /* the rest of a QR line, up to the reader's Enter */
		if (c) {
			char u[8];
			size_t k = mc_utf8_put((int32_t)c, u);
			if (s->qr.len + k < QR_MAX)
				strbuf_add(&s->qr, u, k);
		} else if (act == ACTION_CONFIRM) {
			apply_qr(s);
		} else if (act == ACTION_BACK) {
			strbuf_reset(&s->qr);
			s->reading_qr = false;
			app_info(s->app, "Bỏ dòng mã QR đang đọc");
		}
		return SCR_HANDLED;
	}
	if (s->focus == F_ID && c == '|') { /* a USB reader typing a chip card's QR line */
		strbuf_reset(&s->qr);
		strbuf_addstr(&s->qr, field_text(&s->f[F_ID]));
		strbuf_addch(&s->qr, '|');
		s->reading_qr = true;
		return SCR_HANDLED;
	}
	if (act == ACTION_PAST_DOSSIERS) {
		open_history(s);
		return SCR_HANDLED;
	}
	if (act == ACTION_CONSENT)
		return toggle_consent(s);
	if (s->focus == F_SEX && (c || field_edits(ev->edit)))
		return handle_sex(s, c, ev);
	if (s->focus == F_COMMUNE && (c || field_edits(ev->edit))) {
		char u[8] = "";
		if (c && c != ' ')
			u[mc_utf8_put((int32_t)c, u)] = '\0';
		open_communes(s, u);
		return SCR_HANDLED;
	}
	struct field *f = &s->f[s->focus];
	if (c) {
		if (!char_allowed(s->focus, c)) {
			app_info(s->app, s->focus == F_BIRTH ? "Ngày sinh: chỉ gõ chữ số và dấu /"
							     : "Điện thoại: chỉ gõ chữ số, dấu + và dấu cách");
			return SCR_HANDLED;
		}
		enum widget_rc rc = field_insert_char(f, c);
		if (rc == WIDGET_REFUSED && s->focus == F_ID) {
			app_info(s->app, "Số CCCD chỉ gồm 12 chữ số");
		} else if (rc == WIDGET_REFUSED && field_length(f) >= afield_max[s->focus]) {
			/* never cut silently: say how much was not taken */
			s->overflow++;
			app_error(s->app, "%s tối đa %zu ký tự: %d ký tự gõ hoặc dán thêm không được"
				  " nhận", afield_labels[s->focus], afield_max[s->focus], s->overflow);
		}
		if (rc != WIDGET_REFUSED)
			s->overflow = 0;
		if (s->focus == F_ID)
			cccd_prefill(s);
		return SCR_HANDLED;
	}
	if (field_edits(ev->edit)) {
		s->overflow = 0;
		field_key(f, ev->edit, 0);
		if (s->focus == F_ID)
			cccd_prefill(s);
		return SCR_HANDLED;
	}
	s->overflow = 0;
	switch (act) {
	case ACTION_CONFIRM:
		if (s->focus == F_COMMUNE) {
			if (!s->commune)
				open_communes(s, "");
			else
				submit_applicant(s);
		} else {
			move_focus(s, s->focus + 1, true);
		}
		return SCR_HANDLED;
	case ACTION_NEXT_FIELD:
	case ACTION_MOVE_DOWN:
		move_focus(s, s->focus + 1, false);
		return SCR_HANDLED;
	case ACTION_PREV_FIELD:
	case ACTION_MOVE_UP:
		move_focus(s, s->focus - 1, false);
		return SCR_HANDLED;
	case ACTION_BACK:
		leave_field(s);
		s->page = P_PROCEDURE;
		return SCR_HANDLED;
	default:
		return SCR_IGNORED;
	}
}

static void prompt_override(struct wizard *s, size_t i)
{
	const struct catalog_component *c = &s->proc.components[i];
	char *name = xstrndup(c->name, mc_text_clip(c->name, 120));
	char *msg = xasprintf("Nhận hồ sơ thiếu giấy tờ bắt buộc «%s%s». Lý do:", name,
			      strlen(name) < strlen(c->name) ? "…" : "");
	dialog_init_prompt(&s->dlg, "Nhận thiếu giấy tờ", msg, RECEPTION_TEXT_MAX, true);
	if (s->comps[i].reason)
		field_set_text(&s->dlg.field, s->comps[i].reason);
	free(name);
	free(msg);
	s->dlg_comp = i;
	listview_select(&s->checklist, i);
	open_modal(s, M_OVERRIDE);
}

static int handle_override(struct wizard *s)
{
	size_t n = s->proc.ncomponents;
	size_t sel = s->checklist.selected;
	if (n && comp_missing(&s->proc.components[sel], &s->comps[sel])) {
		prompt_override(s, sel);
		return SCR_HANDLED;
	}
	for (size_t i = 0; i < n; i++)
		if (comp_missing(&s->proc.components[i], &s->comps[i]) && !s->comps[i].reason) {
			prompt_override(s, i);
			return SCR_HANDLED;
		}
	app_info(s->app, "Không thiếu giấy tờ bắt buộc nào: không cần nhận thiếu");
	return SCR_HANDLED;
}

/* The reuse key on the checklist: undoes a reuse; else uses the one paper
 * fitting the component, or lets the clerk choose among several. */
static int handle_reuse(struct wizard *s)
{
	char key[32];
	if (!s->proc.ncomponents)
		return SCR_HANDLED;
	struct comp *k = &s->comps[s->checklist.selected];
	if (k->reuse) {
		undo_reuse(k);
		app_info(s->app, "Bỏ dùng lại giấy tờ trong kho cho thành phần số %d",
			 s->proc.components[s->checklist.selected].id);
		return SCR_HANDLED;
	}
	if (!s->papers.n) {
		app_info(s->app, "Người nộp chưa có giấy tờ nào còn hạn trong kho");
		return SCR_HANDLED;
	}
	size_t n = fitting(s, s->checklist.selected, NULL);
	if (!n) {
		app_info(s->app, "Không có giấy tờ nào trong kho phù hợp với thành phần này · %s: xem"
			 " %zu giấy tờ của người nộp",
			 key_of(s->app, ACTION_LIST_DOCUMENTS, key, sizeof(key)), s->papers.n);
	} else if (n == 1) {
		size_t p = 0; /* the same one paper, found again */
		fitting(s, s->checklist.selected, &p);
		use_paper(s, s->checklist.selected, p);
	} else {
		open_chooser(s, false);
	}
	return SCR_HANDLED;
}

static int handle_list_documents(struct wizard *s)
{
	if (!s->papers.n) {
		app_info(s->app, "Người nộp chưa có giấy tờ nào còn hạn trong kho");
		return SCR_HANDLED;
	}
	if (s->proc.ncomponents)
		open_chooser(s, true);
	return SCR_HANDLED;
}

static int handle_chooser(struct wizard *s, enum action act, const struct key_event *ev)
{
	switch (act) {
	case ACTION_CONFIRM:
	case ACTION_REUSE_DOCUMENT:
		if (!s->chooser_n)
			return SCR_HANDLED;
		use_paper(s, s->checklist.selected, s->chooser_idx[s->chooser.selected]);
		s->choosing_paper = false;
		return SCR_HANDLED;
	case ACTION_LIST_DOCUMENTS:
		open_chooser(s, true);
		return SCR_HANDLED;
	case ACTION_BACK:
		s->choosing_paper = false;
		return SCR_HANDLED;
	case ACTION_OVERRIDE:
	case ACTION_NEXT_FIELD:
	case ACTION_PREV_FIELD:
		return SCR_HANDLED;
	default:
		return key_event_char(ev) ? SCR_HANDLED : SCR_IGNORED;
	}
}

/* Checks the checklist, plans the appointment and shows the summary. */
static void submit_components(struct wizard *s)
{
	struct reception_input in;
	struct reception_error err;
	struct mc_dt now;
	build_input(s, &in);
	memset(&err, 0, sizeof(err));
	if (clock_now(&now)) {
		app_error(s->app, "Không đọc được giờ hiện tại (MOTCUA_NOW)");
	} else if (reception_check_components(&s->app->store, &in, &err)) {
		show_refusal(s, &err);
	} else if (reception_check_fee(&s->app->store, &in, &s->fee_shown, &s->fee_shown_amount,
				       &err)) {
		show_refusal(s, &err);
	} else if (s->manual && !in.appointment) {
		/* no time in the catalog: the clerk types the date on the summary */
		s->page = P_SUMMARY;
		app_info(s->app, "Thủ tục chưa có thời hạn giải quyết rõ ràng: hãy nhập ngày hẹn trả");
	} else if (reception_plan(&s->app->store, &in, &now, &s->plan, &err)) {
		show_refusal(s, &err);
	} else {
		s->page = P_SUMMARY;
	}
	reception_input_release(&in);
}

static int handle_components(struct wizard *s, enum action act, const struct key_event *ev)
{
	if (s->choosing_paper)
		return handle_chooser(s, act, ev);
	size_t n = s->proc.ncomponents;
	wint_t c = key_event_char(ev);
	struct comp *k = n ? &s->comps[s->checklist.selected] : NULL;
	const struct catalog_component *cc = n ? &s->proc.components[s->checklist.selected] : NULL;
	if (n && c && k->reuse) {
		char key[32];
		app_info(s->app, "Thành phần này dùng lại giấy tờ trong kho: %s để bỏ dùng lại",
			 key_of(s->app, ACTION_REUSE_DOCUMENT, key, sizeof(key)));
		return SCR_HANDLED;
	}
	if (n && c) {
		int *cnt = s->col ? &k->copies : &k->originals;
		if (c == ' ') {
			if (k->originals || k->copies)
				k->originals = k->copies = 0;
			else
				comp_present(cc, k);
		} else if (c == '+' || c == '=') {
			if (*cnt < COUNT_LIMIT)
				(*cnt)++;
		} else if (c == '-') {
			if (*cnt > 0)
				(*cnt)--;
		} else if (c >= '0' && c <= '9') {
			*cnt = (int)(c - '0');
		} else {
			app_info(s->app, "Cách: có/không nộp · +/-: thêm, bớt bản · 0-9: số bản");
		}
		return SCR_HANDLED;
	}
	switch (act) {
	case ACTION_MOVE_LEFT:
	case ACTION_MOVE_RIGHT:
		s->col = act == ACTION_MOVE_RIGHT;
		return SCR_HANDLED;
	case ACTION_OVERRIDE:
		return handle_override(s);
	case ACTION_REUSE_DOCUMENT:
		return handle_reuse(s);
	case ACTION_LIST_DOCUMENTS:
		return handle_list_documents(s);
	case ACTION_CONFIRM:
		submit_components(s);
		return SCR_HANDLED;
	case ACTION_BACK:
		s->page = P_APPLICANT;
		return SCR_HANDLED;
	default:
		return SCR_IGNORED; /* the moves: wz_list */
	}
}

/* ---- The receipt, after the commit ------------------------------------------------ */

/* Main thread: the PDF is written, lp is running. */
static void receipt_written(struct app *app, void *data)
{
	(void)app;
	struct receipt_task *t = data;
	struct wizard *s = t->owner;
	if (!s)
		return;
	free(s->res.receipt_path);
	s->res.receipt_path = xstrdup(t->r.path);
	s->receipt = RS_PRINTING;
}

/* Job thread: the PDF, then the printer; the page hears when the PDF is
 * there before lp is waited for. */
static void receipt_run(struct app *app, void *data)
{
	struct receipt_task *t = data;
	reception_receipt_write(&t->r);
	if (t->r.written && t->r.printer && (t->r.steps & RECEIPT_PRINT))
		app_post_event(app, receipt_written, t);
	reception_receipt_print(&t->r);
}

/* Main thread: the job is over; what happened goes to the page (when still
 * open) and, when it went wrong or was asked with F9, to the status line. */
static void receipt_done(struct app *app, void *data)
{
	struct receipt_task *t = data;
	struct reception_receipt *r = &t->r;
	struct wizard *s = t->owner;
	if (r->steps & RECEIPT_WRITE) {
		if (!r->written)
			app_error(app, "Đã lưu hồ sơ %s nhưng chưa ghi được giấy tiếp nhận:"
				  " in lại bằng lệnh motcua receipt", r->code);
		else if (r->print_error && !s)
			app_error(app, "Giấy tiếp nhận %s chưa được in: %s", r->code, r->print_error);
	} else if (r->printed) {
		app_info(app, "Đã gửi giấy tiếp nhận tới máy in %s", r->printer);
	} else if (r->print_error) {
		app_error(app, "%s", r->print_error);
	}
	if (s) {
		if (r->steps & RECEIPT_WRITE) {
			free(s->res.receipt_path);
			s->res.receipt_path = r->written ? xstrdup(r->path) : NULL;
			free(s->res.receipt_error);
			s->res.receipt_error = r->error ? xstrdup(r->error) : NULL;
		}
		if (r->printer) {
			s->res.printed = r->printed;
			free(s->res.print_error);
			s->res.print_error = r->print_error ? xstrdup(r->print_error) : NULL;
		}
		s->receipt = RS_DONE;
		s->task = NULL;
	}
	reception_receipt_release(r);
	free(t);
}

/* Starts the receipt's job: RECEIPT_WRITE | RECEIPT_PRINT after the commit,
 * RECEIPT_PRINT for F9. */
static void start_receipt(struct wizard *s, unsigned steps)
{
	struct receipt_task *t = xcalloc(1, sizeof(*t));
	t->owner = s;
	reception_receipt_prepare(&s->app->store, s->res.code, steps, &t->r);
	s->task = t;
	s->receipt = steps & RECEIPT_WRITE ? RS_WRITING : RS_PRINTING;
	if (app_job_start(s->app, receipt_run, receipt_done, t)) {
		/* no thread to be had: here and now, as the CLI does */
		reception_receipt_write(&t->r);
		reception_receipt_print(&t->r);
		receipt_done(s->app, t);
	}
}

/* ---- The fee, on the summary ------------------------------------------------------ */

/* The fee key: the next status (đã thu -> nộp sau -> miễn -> đã thu), each
 * asked on its own prompt: the amount (the catalogue's or the one typed
 * before, ready to confirm with Enter) or the exemption's reason. */
static void ask_fee(struct wizard *s)
{
	enum mc_fee_status cur = s->fee_shown == MC_FEE_NONE ? MC_FEE_EXEMPT : s->fee_shown;
	s->fee_next = cur == MC_FEE_COLLECTED ? MC_FEE_LATER
		      : cur == MC_FEE_LATER  ? MC_FEE_EXEMPT
					     : MC_FEE_COLLECTED;
	if (s->fee_next == MC_FEE_EXEMPT) {
		dialog_init_prompt(&s->dlg, "Miễn phí, lệ phí", "Lý do miễn phí, lệ phí:",
				   MC_FEE_REASON_MAX, true);
		if (s->fee_reason)
			field_set_text(&s->dlg.field, s->fee_reason);
		open_modal(s, M_FEE_REASON);
		return;
	}
	dialog_init_prompt(&s->dlg, s->fee_next == MC_FEE_LATER ? "Phí, lệ phí nộp sau"
								 : "Phí, lệ phí đã thu",
			   "Số tiền (đồng):", 16, true);
	long long amount = s->fee_typed ? s->fee_amount
			   : s->proc.proc.has_fee_amount ? s->proc.proc.fee_amount : -1;
	if (amount >= 0) {
		char digits[32];
		snprintf(digits, sizeof(digits), "%lld", amount);
		field_set_text(&s->dlg.field, digits);
	}
	open_modal(s, M_FEE_AMOUNT);
}

/* "50000", "50.000", "50 000" or "50,000" đồng; -1 for anything else, -2
 * for more than MC_FEE_MAX. */
static long long parse_amount(const char *t)
{
	long long v = 0;
	int digits = 0;
	bool big = false;
	for (const char *p = t; *p; p++) {
		if (*p >= '0' && *p <= '9') {
			big |= v > MC_FEE_MAX;
			if (!big)
				v = v * 10 + (*p - '0');
			digits++;
		} else if (*p != '.' && *p != ',' && *p != ' ') {
			return -1;
		}
	}
	return !digits ? -1 : big || v > MC_FEE_MAX ? -2 : v;
}

/* The prompt answered: the fee checked as the commit will (a refusal keeps
 * the prompt open with the reason), then shown. */
static bool take_fee(struct wizard *s)
{
	char *value = dialog_value(&s->dlg);
	bool was_chosen = s->fee_chosen, was_typed = s->fee_typed;
	enum mc_fee_status was = s->fee;
	long long was_amount = s->fee_amount;
	char *was_reason = s->fee_reason;
	s->fee_chosen = true;
	s->fee = s->fee_next;
	if (s->modal == M_FEE_AMOUNT) {
		long long v = parse_amount(value);
		if (v < 0) {
			free(s->dlg.error);
			s->dlg.error = xstrdup(v == -1 ? "Chỉ nhập chữ số, vd. 50000"
						       : "Tối đa 1.000.000.000 đồng");
			free(value);
			s->fee_chosen = was_chosen;
			s->fee = was;
			return false;
		}
		s->fee_amount = v;
		s->fee_typed = true;
		s->fee_reason = NULL;
	} else {
		s->fee_reason = xstrdup(value);
	}
	struct reception_input in;
	struct reception_error err;
	memset(&err, 0, sizeof(err));
	build_input(s, &in);
	enum mc_fee_status st;
	long long amount;
	int rc = reception_check_fee(&s->app->store, &in, &st, &amount, &err);
	reception_input_release(&in);
	free(value);
	if (rc) {
		free(s->dlg.error);
		s->dlg.error = xstrdup(err.msg);
		if (s->fee_reason != was_reason)
			free(s->fee_reason);
		s->fee_reason = was_reason;
		s->fee_chosen = was_chosen;
		s->fee_typed = was_typed;
		s->fee = was;
		s->fee_amount = was_amount;
		return false;
	}
	if (s->fee_reason != was_reason)
		free(was_reason);
	s->fee_shown = st;
	s->fee_shown_amount = amount;
	return true;
}

/* Confirm on the summary: the dossier in one transaction, and nothing else
 * waits here; the receipt follows in its job. */
static void commit(struct wizard *s)
{
	struct reception_input in;
	struct reception_error err;
	struct mc_dt now;
	memset(&err, 0, sizeof(err));
	if (clock_now(&now)) {
		app_error(s->app, "Không đọc được giờ hiện tại (MOTCUA_NOW)");
		return;
	}
	build_input(s, &in);
	reception_result_init(&s->res);
	if (reception_commit_flags(&s->app->store, &in, s->app->clerk.username, &now,
				   RECEPTION_NO_RECEIPT, &s->res, &err)) {
		reception_result_release(&s->res);
		show_refusal(s, &err);
	} else {
		s->committed = true;
		s->page = P_DONE;
		app_info(s->app, "Đã lưu hồ sơ %s", s->res.code);
		start_receipt(s, RECEIPT_WRITE | RECEIPT_PRINT);
	}
	reception_input_release(&in);
}

/* F9 on the done page: the receipt to the printer again. */
static void reprint(struct wizard *s)
{
	if (s->task) {
		app_info(s->app, "Giấy tiếp nhận đang được tạo hoặc gửi tới máy in: chờ một chút");
		return;
	}
	if (!s->res.receipt_path) {
		app_error(s->app, "Chưa có tệp giấy tiếp nhận: ghi lại bằng lệnh motcua receipt %s"
			  " --out TỆP.pdf", s->res.code);
		return;
	}
	char *printer = store_get_setting(&s->app->store, "printer");
	if (mc_text_blank(printer))
		app_info(s->app, "Chưa cấu hình máy in (thiết lập printer): mở tệp PDF để in");
	else
		start_receipt(s, RECEIPT_PRINT);
	free(printer);
}

/* ---- A visit ended without a dossier: refused (03) or guided (02) ---------------------- */

/* Job thread: the form, then the printer. */
static void visit_run(struct app *app, void *data)
{
	(void)app;
	struct visit_task *t = data;
	visit_form_write(&t->f);
	visit_form_print(&t->f);
}

/* Main thread: what happened, to the page when it is still open. */
static void visit_done(struct app *app, void *data)
{
	struct visit_task *t = data;
	struct visit_form *f = &t->f;
	struct wizard *s = t->owner;
	if ((f->steps & VISIT_FORM_WRITE) && !f->written)
		app_error(app, "Đã ghi lượt tiếp công dân nhưng chưa ghi được phiếu: %s",
			  f->error ? f->error : "");
	else if (f->printed)
		app_info(app, "Đã gửi phiếu tới máy in %s", f->printer);
	else if (f->print_error)
		app_error(app, "Phiếu chưa được in: %s", f->print_error);
	if (s) {
		if (f->steps & VISIT_FORM_WRITE) {
			free(s->vform_path);
			s->vform_path = f->written ? xstrdup(f->path) : NULL;
			free(s->vform_error);
			s->vform_error = f->error ? xstrdup(f->error) : NULL;
		}
		if (f->printer) {
			s->vprinted = f->printed;
			free(s->vprint_error);
			s->vprint_error = f->print_error ? xstrdup(f->print_error) : NULL;
		}
		s->vtask = NULL;
	}
	visit_form_release(f);
	free(t);
}

static void start_visit_form(struct wizard *s, unsigned steps)
{
	struct visit_task *t = xcalloc(1, sizeof(*t));
	t->owner = s;
	visit_form_prepare(&s->app->store, &s->visit, steps, &t->f);
	s->vtask = t;
	if (app_job_start(s->app, visit_run, visit_done, t)) {
		visit_run(s->app, t);
		visit_done(s->app, t);
	}
}

static void reprint_visit(struct wizard *s)
{
	if (s->vtask) {
		app_info(s->app, "Phiếu đang được tạo hoặc gửi tới máy in: chờ một chút");
		return;
	}
	if (!s->vform_path) {
		app_error(s->app, "Chưa có tệp phiếu để in");
		return;
	}
	char *printer = store_get_setting(&s->app->store, "printer");
	if (mc_text_blank(printer))
		app_info(s->app, "Chưa cấu hình máy in (thiết lập printer): mở tệp PDF để in");
	else
		start_visit_form(s, VISIT_FORM_PRINT);
	free(printer);
}

/* The prompt of the reasons (refuse) or of the papers to add (guide),
 * with text and, after a refusal of what was typed, why. */
static void prompt_visit(struct wizard *s, enum visit_kind kind, const char *text, const char *why)
{
	if (kind == VISIT_REFUSE)
		dialog_init_prompt(&s->dlg, "Từ chối tiếp nhận hồ sơ (mẫu 03)",
				   "Hồ sơ không được tiếp nhận, không cấp mã; người nộp nhận phiếu từ"
				   " chối. Lý do từ chối (nhiều lý do cách nhau bởi dấu ;):",
				   VISIT_PROMPT_MAX, true);
	else
		dialog_init_prompt(&s->dlg, "Hướng dẫn bổ sung hồ sơ (mẫu 02)",
				   "Hồ sơ chưa được tiếp nhận; người nộp nhận phiếu hướng dẫn. Giấy tờ"
				   " cần bổ sung, hoàn thiện (cách nhau bởi dấu ;):",
				   VISIT_PROMPT_MAX, true);
	if (text && *text)
		field_set_text(&s->dlg.field, text);
	if (why)
		s->dlg.error = xstrdup(why);
	open_modal(s, kind == VISIT_REFUSE ? M_REFUSE : M_GUIDE);
}

/* The refuse or guide key: the procedure and the applicant checked first
 * (a refusal goes to its field), then the prompt; for a guidance, the
 * mandatory papers not ticked on the checklist are written in it. */
static int start_visit(struct wizard *s, enum visit_kind kind)
{
	if (s->page == P_PROCEDURE || !s->have_proc) {
		app_info(s->app, "Chọn thủ tục và nhập thông tin người nộp trước khi %s",
			 kind == VISIT_REFUSE ? "từ chối tiếp nhận" : "hướng dẫn bổ sung");
		return SCR_HANDLED;
	}
	struct reception_input in;
	struct reception_error err;
	struct mc_dt now;
	memset(&err, 0, sizeof(err));
	if (clock_now(&now)) {
		app_error(s->app, "Không đọc được giờ hiện tại (MOTCUA_NOW)");
		return SCR_HANDLED;
	}
	build_input(s, &in);
	int rc = reception_check_procedure(&s->app->store, &in, &err);
	if (!rc)
		rc = reception_check_applicant(&s->app->store, &in, &now, &err);
	reception_input_release(&in);
	if (rc) {
		show_refusal(s, &err);
		return SCR_HANDLED;
	}
	s->choosing_commune = s->showing_history = s->choosing_paper = false;
	struct strbuf papers = STRBUF_INIT;
	for (size_t i = 0; kind == VISIT_GUIDE && i < s->proc.ncomponents; i++) {
		const struct catalog_component *c = &s->proc.components[i];
		if (!c->mandatory || !comp_missing(c, &s->comps[i]))
			continue;
		if (papers.len)
			strbuf_addstr(&papers, "; ");
		size_t at = papers.len;
		/* a catalog name may run to thousands of characters: its start */
		const char *name = c->name ? c->name : "";
		size_t cut = mc_text_clip(name, VISIT_PAPER_CHARS);
		strbuf_add(&papers, name, cut);
		if (name[cut])
			strbuf_addstr(&papers, "…");
		for (size_t j = at; j < papers.len; j++) /* a ';' of the name would split it */
			if (papers.buf[j] == ';')
				papers.buf[j] = ',';
	}
	prompt_visit(s, kind, papers.buf, NULL);
	strbuf_release(&papers);
	return SCR_HANDLED;
}

/* The prompt answered: the visit in one transaction, then its form in a job. */
static void record_visit(struct wizard *s, enum visit_kind kind, const char *items)
{
	struct reception_input in;
	struct reception_error err;
	struct mc_dt now;
	if (clock_now(&now)) {
		app_error(s->app, "Không đọc được giờ hiện tại (MOTCUA_NOW)");
		return;
	}
	build_input(s, &in);
	if (visit_record(&s->app->store, &in, kind, items, s->app->clerk.username, &now, &s->visit,
			 &err)) {
		if (err.field == RF_ITEMS)
			prompt_visit(s, kind, items, err.msg);
		else
			show_refusal(s, &err);
	} else {
		s->visited = true;
		if (visit_get(&s->app->store, s->visit.id, &s->visit_row) != 1)
			memset(&s->visit_row, 0, sizeof(s->visit_row));
		s->page = P_DONE;
		app_info(s->app, kind == VISIT_REFUSE ? "Đã ghi việc từ chối tiếp nhận hồ sơ"
						      : "Đã ghi việc hướng dẫn bổ sung hồ sơ");
		start_visit_form(s, VISIT_FORM_WRITE | VISIT_FORM_PRINT);
	}
	reception_input_release(&in);
}

static int handle_modal(struct wizard *s, enum action act, const struct key_event *ev)
{
	if (act == ACTION_QUIT)
		return SCR_IGNORED;
	if (act == ACTION_TOGGLE_TELEX && s->modal != M_LEAVE)
		return SCR_IGNORED;
	enum widget_rc rc = dialog_key(&s->dlg, ev->edit, key_event_char(ev));
	if (rc == WIDGET_CANCEL) {
		close_modal(s);
	} else if (rc == WIDGET_DONE) {
		enum modal m = s->modal;
		if ((m == M_FEE_AMOUNT || m == M_FEE_REASON) && !take_fee(s))
			return SCR_HANDLED; /* said in the prompt */
		if (m == M_OVERRIDE) {
			struct comp *k = &s->comps[s->dlg_comp];
			free(k->reason);
			k->reason = dialog_value(&s->dlg);
		}
		char *items = m == M_REFUSE || m == M_GUIDE ? dialog_value(&s->dlg) : NULL;
		close_modal(s);
		if (m == M_LEAVE)
			return SCR_BACK;
		if (items)
			record_visit(s, m == M_REFUSE ? VISIT_REFUSE : VISIT_GUIDE, items);
		free(items);
	}
	return SCR_HANDLED;
}

static int wz_handle(struct app *app, void *priv, enum action act, const struct key_event *ev)
{
	struct wizard *s = priv;
	FREE(&s->refusal);
	sync_telex(s, app->telex);
	if (s->modal != M_NONE)
		return handle_modal(s, act, ev);
	/* the Telex keys switch the app's mode, never one field's */
	if (act == ACTION_TOGGLE_TELEX || ev->edit == ACTION_TOGGLE_TELEX)
		return act == ACTION_TOGGLE_TELEX ? SCR_IGNORED : SCR_HANDLED;
	if ((act == ACTION_REFUSE_VISIT || act == ACTION_GUIDE_VISIT) && s->page != P_DONE)
		return start_visit(s, act == ACTION_REFUSE_VISIT ? VISIT_REFUSE : VISIT_GUIDE);
	switch (s->page) {
	case P_PROCEDURE:
		return handle_procedure(s, act, ev);
	case P_APPLICANT:
		return handle_applicant(s, act, ev);
	case P_COMPONENTS:
		return handle_components(s, act, ev);
	case P_SUMMARY:
		if (s->manual && (key_event_char(ev) || field_edits(ev->edit))) {
			field_key(&s->appt, ev->edit, key_event_char(ev));
			return SCR_HANDLED;
		}
		if (act == ACTION_CONFIRM) {
			struct mc_dt now, when;
			if (s->manual && (clock_now(&now) ||
					  mc_parse_dt_vn(field_text(&s->appt), &now, &when))) {
				refuse_here(s, RF_APPOINTMENT, "Ngày hẹn trả chưa đúng: nhập"
					    " ngày/tháng/năm giờ:phút, ví dụ 12/08/2025 14:00");
				return SCR_HANDLED;
			}
			commit(s);
			return SCR_HANDLED;
		}
		if (act == ACTION_BACK) {
			s->page = P_COMPONENTS;
			return SCR_HANDLED;
		}
		if (act == ACTION_FEE) {
			ask_fee(s);
			return SCR_HANDLED;
		}
		return SCR_IGNORED;
	case P_DONE:
	case P__N:
		if (act == ACTION_CONFIRM || act == ACTION_BACK) {
			/* home again, its counts read afresh; this screen closes */
			app_do_action(app, ACTION_OPEN_HOME);
			return SCR_HANDLED;
		}
		if (act == ACTION_PRINT) {
			if (s->visited)
				reprint_visit(s);
			else
				reprint(s);
			return SCR_HANDLED;
		}
		if (act == ACTION_SCAN_PAPERS && !s->visited) {
			/* the papers just received, first one not yet digitized */
			scan_screen_open(app, s->res.id, 0);
			return SCR_HANDLED;
		}
		return SCR_IGNORED;
	}
	return SCR_IGNORED;
}

/* The checklist's rows, or the chooser of stored papers over it. */
static struct listview *wz_list(struct app *app, void *priv, enum action act)
{
	struct wizard *s = priv;
	if (s->modal != M_NONE || s->page != P_COMPONENTS)
		return NULL;
	return s->choosing_paper ? &s->chooser : &s->checklist;
}

static const enum action wz_hints[] = { ACTION_CONFIRM, ACTION_BACK, ACTION_TOGGLE_TELEX,
					ACTION_NONE };

const struct screen_ops reception_screen = {
	.name = "reception",
	.title = "Tiếp nhận hồ sơ",
	.keymap = "reception",
	.fields = true,
	.private_size = sizeof(struct wizard),
	.hints = wz_hints,
	.open = wz_open,
	.draw = wz_draw,
	.handle = wz_handle,
	.list = wz_list,
	.done = wz_done,
};
