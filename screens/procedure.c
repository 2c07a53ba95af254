/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One procedure in full: name, code, field, processing time, fees by
 * channel, the components (id, originals and copies, submitted or shown,
 * mandatory or not, form), who applies, the result, the legal basis, the
 * conditions and steps; what the importer could not parse is marked "Cần rà
 * soát". The text is built once as paragraphs and wrapped again whenever the
 * width changes; Up/Down/PgUp/PgDn/Home/End scroll it. OPEN_RECEPTION starts
 * a reception with this procedure. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/tui/app.h"
#include "client/tui/listview.h"
#include "client/store/catalog.h"
#include "client/tui/dialog.h"
#include "core/text.h"
#include "screens/screens.h"

/* A paragraph: prefix on its first line ("3. ", "Cần rà soát: "), the
 * following lines indented under the text. */
struct para {
	char *text;
	char *prefix; /* may be NULL */
	enum style style;
	int indent;
};

struct row {
	char *text;
	enum style style;
};

struct procedure {
	struct catalog_detail d;
	struct para *paras;
	size_t npara, apara;
	struct row *rows;
	size_t nrows;
	int width;   /* the rows were wrapped for this width; 0: not yet */
	struct listview view; /* a pager over the rows */
};

static void add_para(struct procedure *s, enum style st, int indent, const char *prefix,
		     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void add_para(struct procedure *s, enum style st, int indent, const char *prefix,
		     const char *fmt, ...)
{
	if (s->npara == s->apara) {
		s->apara = s->apara ? 2 * s->apara : 64;
		s->paras = xrealloc(s->paras, s->apara * sizeof(*s->paras));
	}
	va_list ap;
	va_start(ap, fmt);
	char *raw = xvasprintf(fmt, ap);
	va_end(ap);
	struct para *p = &s->paras[s->npara++];
	/* stored text may hold tabs, CRs or stray control characters */
	p->text = mc_text_sanitize(raw);
	free(raw);
	for (char *c = p->text; *c; c++)
		if ((unsigned char)*c < 0x20 && *c != '\n')
			*c = ' ';
	p->prefix = prefix ? xstrdup(prefix) : NULL;
	p->style = st;
	p->indent = indent;
}

static void add_blank(struct procedure *s)
{
	add_para(s, STYLE_NORMAL, 0, NULL, "%s", "");
}

static bool has(const char *t)
{
	return t && *t;
}

/* "Label: text" with the text's following lines under it. */
static void add_labelled(struct procedure *s, const char *label, const char *text)
{
	if (!has(text))
		return;
	char *prefix = xasprintf("%s: ", label);
	add_para(s, STYLE_NORMAL, 0, prefix, "%s", text);
	free(prefix);
}

/* The importer's notes are joined by "; " (outside the quoted excerpts). */
static void add_review_notes(struct procedure *s, const char *notes)
{
	if (!has(notes))
		return;
	const char *start = notes;
	bool quoted = false;
	for (const char *c = notes;; c++) {
		if (*c == '"')
			quoted = !quoted;
		if (*c && (quoted || c[0] != ';' || c[1] != ' '))
			continue;
		if (c > start)
			add_para(s, STYLE_ERROR, 0, "Cần rà soát: ", "%.*s", (int)(c - start), start);
		if (!*c)
			break;
		start = c + 2;
		c++;
	}
}

static void add_channels(struct procedure *s)
{
	const struct catalog_detail *d = &s->d;
	if (!d->nchannels)
		return;
	add_blank(s);
	add_para(s, STYLE_HEADER, 0, NULL, "Cách thức thực hiện, thời hạn và phí, lệ phí (%zu)",
		 d->nchannels);
	char proc_time[128];
	catalog_time_display(&d->proc, proc_time, sizeof(proc_time));
	for (size_t i = 0; i < d->nchannels; i++) {
		const struct catalog_channel *c = &d->channels[i];
		/* a bare number as on the whole procedure reads as its unit */
		const char *time = !has(c->time_text) ? "không rõ"
				   : d->proc.time_text && !strcmp(c->time_text, d->proc.time_text)
					   ? proc_time
					   : c->time_text;
		add_para(s, STYLE_NORMAL, 2, "- ", "%s: thời hạn %s; phí, lệ phí: %s", c->channel,
			 time, has(c->fee_text) ? c->fee_text : "không rõ");
		if (has(c->description))
			add_para(s, STYLE_DIM, 4, NULL, "%s", c->description);
	}
}

static void add_component(struct procedure *s, const struct catalog_component *c, int indent)
{
	char num[16];
	snprintf(num, sizeof(num), "%d. ", c->id);
	add_para(s, STYLE_NORMAL, indent, num, "%s", c->name);
	int sub = indent + (int)strlen(num);
	char *form = has(c->form) ? xasprintf(" · Mẫu: %s", c->form) : xstrdup("");
	add_para(s, STYLE_DIM, sub, NULL, "Bản chính: %d, bản sao: %d · %s · %s%s", c->originals,
		 c->copies, c->present ? "Xuất trình" : "Nộp",
		 c->mandatory ? "Bắt buộc" : "Không bắt buộc", form);
	free(form);
	if (c->needs_review) {
		add_para(s, STYLE_ERROR, sub, "Cần rà soát: ", "%s",
			 "thành phần chưa tách được, đối chiếu văn bản gốc");
		if (has(c->raw))
			add_para(s, STYLE_DIM, sub, "Văn bản gốc: ", "%s", c->raw);
	}
}

static void add_components(struct procedure *s)
{
	const struct catalog_detail *d = &s->d;
	add_blank(s);
	add_para(s, STYLE_HEADER, 0, NULL, "Thành phần hồ sơ (%zu)", d->ncomponents);
	if (!d->ncomponents)
		add_para(s, STYLE_DIM, 2, NULL, "%s", "Không có thành phần hồ sơ nào được ghi");
	const char *group = NULL;
	for (size_t i = 0; i < d->ncomponents; i++) {
		const struct catalog_component *c = &d->components[i];
		bool grouped = has(c->grp);
		if (grouped && (!group || strcmp(group, c->grp)))
			add_para(s, STYLE_HEADER, 2, NULL, "%s", c->grp);
		if (!grouped && group)
			add_para(s, STYLE_HEADER, 2, NULL, "%s", "Khác");
		group = grouped ? c->grp : NULL;
		add_component(s, c, 2);
	}
}

static void add_legal(struct procedure *s)
{
	const struct catalog_detail *d = &s->d;
	if (!d->nlegal)
		return;
	add_blank(s);
	add_para(s, STYLE_HEADER, 0, NULL, "Căn cứ pháp lý (%zu)", d->nlegal);
	for (size_t i = 0; i < d->nlegal; i++) {
		const struct catalog_legal *l = &d->legal[i];
		if (has(l->number) && (!has(l->name) || !strstr(l->name, l->number)))
			add_para(s, STYLE_NORMAL, 2, "- ", "%s%s%s", l->number,
				 has(l->name) ? " — " : "", has(l->name) ? l->name : "");
		else
			add_para(s, STYLE_NORMAL, 2, "- ", "%s", has(l->name) ? l->name : "");
	}
}

static void build(struct procedure *s)
{
	const struct catalog_detail *d = &s->d;
	const struct catalog_proc *p = &d->proc;
	char time[128];
	catalog_time_display(p, time, sizeof(time));
	add_para(s, STYLE_HEADER, 0, NULL, "%s", p->name);
	add_labelled(s, "Mã thủ tục", p->code);
	add_labelled(s, "Lĩnh vực", p->field);
	add_labelled(s, "Cấp thực hiện", d->level);
	add_labelled(s, "Thời hạn giải quyết", *time ? time : "không rõ");
	add_labelled(s, "Phí, lệ phí", has(p->fee_text) ? p->fee_text : "không rõ");
	add_review_notes(s, d->review_notes);
	add_channels(s);
	add_components(s);
	add_blank(s);
	add_labelled(s, "Đối tượng thực hiện", d->applicants);
	add_labelled(s, "Cơ quan thực hiện", d->agency);
	add_labelled(s, "Kết quả", d->result);
	add_legal(s);
	if (has(d->conditions)) {
		add_blank(s);
		add_para(s, STYLE_HEADER, 0, NULL, "%s", "Điều kiện thực hiện");
		add_para(s, STYLE_NORMAL, 2, NULL, "%s", d->conditions);
	}
	if (has(d->steps)) {
		add_blank(s);
		add_para(s, STYLE_HEADER, 0, NULL, "%s", "Trình tự thực hiện");
		add_para(s, STYLE_NORMAL, 2, NULL, "%s", d->steps);
	}
	if (has(d->url)) {
		add_blank(s);
		add_para(s, STYLE_DIM, 0, "Nguồn: ", "%s", d->url);
	}
}

static void free_rows(struct procedure *s)
{
	for (size_t i = 0; i < s->nrows; i++)
		free(s->rows[i].text);
	FREE(&s->rows);
	s->nrows = 0;
}

/* Wraps every paragraph for width columns. */
static void wrap(struct procedure *s, int width)
{
	free_rows(s);
	size_t alloc = 0;
	for (size_t i = 0; i < s->npara; i++) {
		const struct para *p = &s->paras[i];
		int lead = p->indent + (p->prefix ? mc_text_width(p->prefix) : 0);
		int room = width - lead > 10 ? width - lead : 10;
		size_t n;
		char **lines = dialog_wrap(p->text, room, &n);
		for (size_t k = 0; k < (n ? n : 1); k++) {
			if (s->nrows == alloc) {
				alloc = alloc ? 2 * alloc : 128;
				s->rows = xrealloc(s->rows, alloc * sizeof(*s->rows));
			}
			const char *line = n ? lines[k] : "";
			struct row *r = &s->rows[s->nrows++];
			r->style = p->style;
			if (k == 0)
				r->text = xasprintf("%*s%s%s", p->indent, "", p->prefix ? p->prefix : "",
						    line);
			else
				r->text = xasprintf("%*s%s", lead, "", line);
		}
		dialog_wrap_free(lines, n);
	}
	s->width = width;
}

static int procedure_open(struct app *app, void *priv, const void *arg)
{
	struct procedure *s = priv;
	const char *code = arg;
	if (!code || catalog_get(&app->store, code, &s->d)) {
		app_error(app, "Không tìm thấy thủ tục mã %s", code ? code : "");
		return -1;
	}
	build(s);
	listview_init(&s->view, NULL, NULL);
	s->view.pager = true;
	return 0;
}

static void procedure_done(struct app *app, void *priv)
{
	struct procedure *s = priv;
	(void)app;
	free_rows(s);
	for (size_t i = 0; i < s->npara; i++) {
		free(s->paras[i].text);
		free(s->paras[i].prefix);
	}
	free(s->paras);
	if (s->d.proc.code)
		catalog_detail_release(&s->d);
}

static void procedure_draw(struct app *app, void *priv, WINDOW *win, const struct rect *body)
{
	struct procedure *s = priv;
	(void)app;
	int x = body->x + 1, w = body->w - 2;
	if (w != s->width)
		wrap(s, w);
	listview_set_count(&s->view, s->nrows);
	listview_set_height(&s->view, body->h - 1); /* the last row tells where we are */
	size_t top = s->view.top, height = (size_t)s->view.height;
	for (size_t r = 0; r < height && top + r < s->nrows; r++) {
		const struct row *row = &s->rows[top + r];
		wattrset(win, term_style(row->style));
		term_text(win, body->y + (int)r, x, w, row->text);
	}
	size_t last = top + height;
	if (last > s->nrows)
		last = s->nrows;
	char *where = xasprintf("Dòng %zu–%zu/%zu", s->nrows ? top + 1 : 0, last, s->nrows);
	int ww = mc_text_width(where);
	wattrset(win, term_style(STYLE_DIM));
	term_text(win, body->y + body->h - 1, x, w - ww - 1,
		  last < s->nrows ? "↓ PgDn: xem tiếp" : "");
	term_text(win, body->y + body->h - 1, x + w - ww, ww, where);
	wattrset(win, term_style(STYLE_NORMAL));
	free(where);
}

static int procedure_handle(struct app *app, void *priv, enum action act,
			    const struct key_event *ev)
{
	struct procedure *s = priv;
	if (act == ACTION_OPEN_RECEPTION)
		return catalog_start_reception(app, s->d.proc.code);
	return SCR_IGNORED; /* the moves scroll (procedure_list) */
}

static struct listview *procedure_list(struct app *app, void *priv, enum action act)
{
	struct procedure *s = priv;
	return &s->view;
}

static const enum action procedure_hints[] = { ACTION_OPEN_RECEPTION, ACTION_BACK,
					       ACTION_PAGE_DOWN, ACTION_NONE };

const struct screen_ops procedure_screen = {
	.name = "procedure",
	.title = "Thủ tục hành chính",
	.keymap = "catalog",
	.private_size = sizeof(struct procedure),
	.hints = procedure_hints,
	.open = procedure_open,
	.draw = procedure_draw,
	.handle = procedure_handle,
	.list = procedure_list,
	.done = procedure_done,
};
