/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The reception receipt: its content from the store, the PDF and the
 * printer. See reception_receipt.h; layout and field sources: docs/forms.md. */
#include "client/services/reception_receipt.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "client/print/print.h"
#include "client/print/receipt.h"
#include "client/store/catalog.h"
#include "client/store/dossier_receipt.h"
#include "client/store/fees.h"
#include "client/store/parties.h"
#include "client/store/forms_query.h"
#include "client/store/ledger_query.h"
#include "core/fee.h"
#include "core/text.h"
#include "core/xalloc.h"

char *reception_receipt_dir(struct store *st)
{
	const char *slash = strrchr(st->path, '/');
	if (!slash)
		return xstrdup("receipts");
	if (slash == st->path)
		return xstrdup("/receipts");
	return xasprintf("%.*s/receipts", (int)(slash - st->path), st->path);
}

char *reception_lookup_url(struct store *st, const char *code)
{
	char *base = store_get_setting(st, "lookup_url");
	char *url = xasprintf("%s%s", mc_text_blank(base) ? RECEPTION_LOOKUP_URL : base, code);
	free(base);
	return url;
}

/* "8.000 đồng"; "Miễn phí" for a procedure without fee */
static char *format_fee(long long amount)
{
	if (amount == 0)
		return xstrdup("Miễn phí");
	char vnd[48];
	mc_fee_format_vnd(amount, vnd, sizeof vnd);
	return xstrdup(vnd);
}

/* The fee as recorded at the counter (client/store/fees.h); a dossier
 * received before fees were recorded prints the catalogue's, as it did. */
static char *recorded_fee(struct store *st, const char *dossier_id)
{
	struct fee_record f;
	if (fees_get(st, dossier_id, &f) != SQLITE_ROW)
		return NULL;
	char *s = f.status == MC_FEE_COLLECTED && f.amount == 0
			  ? xstrdup("Miễn phí")
			  : mc_fee_receipt_text(f.status, f.amount, f.reason);
	fee_record_release(&f);
	return s;
}

/* The form and every string it borrows, owned here: the dossier and the
 * unit's header as read, and what is made of them. */
struct receipt_content {
	struct receipt form;
	struct dossier_receipt d;
	struct form_unit unit;
	char *strings[32];
	int n;
	struct receipt_component *components;
};

static char *keep(struct receipt_content *c, char *s)
{
	if (s && c->n < (int)(sizeof c->strings / sizeof c->strings[0]))
		c->strings[c->n++] = s;
	else if (s)
		abort(); /* a programming error: raise the array size */
	return s;
}

static void content_free(struct receipt_content *c)
{
	if (!c)
		return;
	for (int i = 0; i < c->n; i++)
		free(c->strings[i]);
	for (size_t i = 0; i < c->form.n_components; i++) {
		free((char *)c->components[i].name);
		free((char *)c->components[i].note);
	}
	free(c->components);
	dossier_receipt_release(&c->d);
	form_unit_release(&c->unit);
	free(c);
}

/* Header and place of the receiving unit, as every form has them
 * (docs/reception.md, client/store/forms_query.h). */
static void fill_unit(struct store *st, struct receipt_content *c)
{
	struct receipt *r = &c->form;
	form_unit_load(st, c->d.unit_code, &c->unit);
	r->unit_parent_name = c->unit.parent_name;
	r->unit_name = c->unit.name;
	r->unit_address = c->unit.address;
	r->unit_phone = c->unit.phone;
	r->place = c->unit.place;
	r->return_place = c->unit.return_place;
}

/* The catalog keeps each paper's full text, often a paragraph of conditions;
 * the receipt lists the paper itself: the text before the first ';', and at
 * most about 100 columns, cut at a word with an ellipsis. */
static char *short_component_name(const char *name)
{
	size_t len = strcspn(name, ";");
	char *head = xstrndup(name, len);
	size_t fit = mc_text_clip(head, 100);
	if (fit < len) {
		size_t cut = fit;
		while (cut > 0 && head[cut] != ' ')
			cut--;
		head[cut ? cut : fit] = '\0';
		char *s = xasprintf("%s…", head);
		free(head);
		return s;
	}
	return head;
}

static void fill_components(struct receipt_content *c)
{
	size_t n = c->d.n_components;
	c->components = xcalloc(n ? n : 1, sizeof(*c->components));
	for (size_t i = 0; i < n; i++) {
		const struct dossier_receipt_component *dc = &c->d.components[i];
		struct receipt_component *rc = &c->components[i];
		rc->name = short_component_name(dc->name);
		rc->originals = dc->originals_required;
		rc->copies = dc->copies_required;
		rc->presented_originals = dc->originals;
		rc->presented_copies = dc->copies;
		char *note = dc->override_reason ? xstrdup(dc->override_reason) : NULL;
		if (!note && dc->reused)
			note = xstrdup("dùng lại bản điện tử đã lưu, không phải nộp lại");
		if (!note && dc->kind && !strcmp(dc->kind, "present") &&
		    rc->presented_originals + rc->presented_copies > 0)
			note = xstrdup("xuất trình, đã trả lại");
		rc->note = note;
	}
	c->form.components = c->components;
	c->form.n_components = n;
}

/* The form of the dossier with this code, from the store. Returns 0, 1 when
 * there is no such dossier, or -1; err says why. */
static int content_load(struct store *st, const char *code, struct receipt_content **out,
			struct strbuf *err)
{
	*out = NULL;
	struct receipt_content *c = xcalloc(1, sizeof(*c));
	int step = dossier_receipt_load(st, code, &c->d);
	if (step != SQLITE_ROW) {
		free(c);
		if (step == SQLITE_DONE) {
			strbuf_addf(err, "không có hồ sơ mã %s", mc_text_valid(code) ? code : "?");
			return 1;
		}
		strbuf_addf(err, "không đọc được hồ sơ %s: %s", code, store_errmsg_vn(step));
		return -1;
	}
	const struct dossier_receipt *d = &c->d;
	struct receipt *r = &c->form;
	r->code = d->code;
	r->procedure_code = d->procedure_code;
	r->procedure_name = d->procedure_name;
	r->received_at = d->received_at;
	r->appointment = d->appointment;
	r->applicant_name = d->applicant_name;
	r->id_number = d->id_number;
	struct party parties[PARTY_N];
	if (parties_get(st, d->id, parties) == SQLITE_OK) {
		const struct party *o = &parties[PARTY_ORGANISATION], *p = &parties[PARTY_REPRESENTATIVE],
				   *q = &parties[PARTY_SECOND];
		if (o->full_name && o->id_number) {
			r->tax_code = keep(c, xstrdup(o->id_number));
			if (p->full_name) {
				r->representative_name = keep(c, xstrdup(p->full_name));
				if (p->id_number)
					r->representative_id = keep(c, xstrdup(p->id_number));
				if (p->title)
					r->representative_role = keep(c, xstrdup(p->title));
			}
		}
		if (q->full_name) {
			r->second_name = keep(c, xstrdup(q->full_name));
			if (q->id_number)
				r->second_id = keep(c, xstrdup(q->id_number));
		}
		parties_release(parties);
	}
	r->phone = d->phone;
	r->email = d->email;

	struct strbuf addr = STRBUF_INIT;
	const char *parts[] = { d->address, d->commune_name, d->province_name };
	for (size_t i = 0; i < 3; i++) {
		if (mc_text_blank(parts[i]))
			continue;
		if (addr.len)
			strbuf_addstr(&addr, ", ");
		strbuf_addstr(&addr, parts[i]);
	}
	if (addr.len)
		r->address = keep(c, strbuf_detach(&addr));
	strbuf_release(&addr);

	r->clerk_name = d->clerk_name ? d->clerk_name : d->clerk;

	char tbuf[256];
	catalog_time_display(&d->proc, tbuf, sizeof tbuf);
	if (*tbuf)
		r->processing_time_text = keep(c, xstrdup(tbuf));
	if ((r->fee_text = recorded_fee(st, d->id)))
		keep(c, (char *)r->fee_text);
	else if (d->proc.has_fee_amount)
		r->fee_text = keep(c, format_fee(d->proc.fee_amount));
	else
		r->fee_text = d->proc.fee_text;

	fill_unit(st, c);
	/* "Vào Sổ theo dõi hồ sơ, Quyển số: 01/2025, Số thứ tự: 0004": the number
	 * the ledger gave the dossier when it was written (client/store/ledger_query.h) */
	char book[16], number[16];
	int lrc = ledger_number_of(st, r->code, book, number);
	if (lrc < 0) {
		strbuf_addf(err, "không đọc được số vào sổ theo dõi của hồ sơ %s", r->code);
		content_free(c);
		return -1;
	}
	if (lrc == 1) {
		r->ledger_book = keep(c, xstrdup(book));
		r->ledger_number = keep(c, xstrdup(number));
	}
	fill_components(c);
	r->lookup_url = keep(c, reception_lookup_url(st, r->code));
	r->n_sets = 1;
	*out = c;
	return 0;
}

int reception_write_receipt(struct store *st, const char *code, const char *path,
			    struct strbuf *err)
{
	struct receipt_content *c;
	int rc = content_load(st, code, &c, err);
	if (rc)
		return rc;
	rc = receipt_write_pdf(&c->form, path, err) ? -1 : 0;
	content_free(c);
	return rc;
}

/* ---- after the commit ------------------------------------------------------- */

void reception_receipt_prepare(struct store *st, const char *code, unsigned steps,
			       struct reception_receipt *r)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->code, sizeof r->code, "%s", code);
	r->steps = steps;
	if (steps & RECEIPT_WRITE)
		store_sweep(st->path); /* what a killed reception left (a .pdf.tmp) */
	r->dir = reception_receipt_dir(st);
	r->path = xasprintf("%s/%s.pdf", r->dir, r->code);
	if (steps & RECEIPT_PRINT) {
		r->printer = store_get_setting(st, "printer");
		if (mc_text_blank(r->printer))
			FREE(&r->printer);
	}
	if (steps & RECEIPT_WRITE) {
		struct strbuf err = STRBUF_INIT;
		if (content_load(st, r->code, &r->content, &err))
			r->error = strbuf_detach(&err); /* said by write, after the folder */
		strbuf_release(&err);
	}
}

void reception_receipt_write(struct reception_receipt *r)
{
	if (!(r->steps & RECEIPT_WRITE))
		return;
	char *why = r->error;
	r->error = NULL;
	if (mkdir(r->dir, 0700) && errno != EEXIST) {
		r->error = xasprintf("không tạo được thư mục giấy tiếp nhận %s: %s", r->dir,
				     strerror(errno));
	} else if (why) {
		r->error = why;
		why = NULL;
	} else {
		struct strbuf err = STRBUF_INIT;
		if (receipt_write_pdf(&r->content->form, r->path, &err))
			r->error = strbuf_detach(&err);
		else
			r->written = true;
		strbuf_release(&err);
	}
	free(why);
	content_free(r->content);
	r->content = NULL;
}

void reception_receipt_print(struct reception_receipt *r)
{
	if (!(r->steps & RECEIPT_PRINT) || !r->printer)
		return;
	if ((r->steps & RECEIPT_WRITE) && !r->written)
		return;
	struct strbuf err = STRBUF_INIT;
	if (print_pdf(r->printer, r->path, &err)) {
		free(r->print_error);
		r->print_error = strbuf_detach(&err);
	} else {
		r->printed = true;
	}
	strbuf_release(&err);
}

void reception_receipt_release(struct reception_receipt *r)
{
	content_free(r->content);
	free(r->dir);
	free(r->path);
	free(r->printer);
	free(r->error);
	free(r->print_error);
	memset(r, 0, sizeof(*r));
}
