/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Drawing helpers for the printed forms; see pdf.h. The cairo user space is
 * millimetres (a scale of 72/25.4 on the PDF's points), and the pango context
 * has a resolution of 25.4 "dpi" so that font sizes stay in points. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cairo-pdf.h>
#include <qrencode.h>
#include <utf8proc.h>

#include "client/print/pdf.h"
#include "client/base/files.h"
#include "core/text.h"
/* last: they rename the library functions above (client/base/lazylib.h) */
#include "client/base/lazy_cairo.h"
#include "client/base/lazy_glib.h"
#include "client/base/lazy_pango.h"
#include "client/base/lazy_qrencode.h"

#define MM_PER_PT (25.4 / 72.0)

#ifdef __SANITIZE_ADDRESS__
/* LeakSanitizer: fontconfig (2.14) leaks while it parses its configuration,
 * and pango keeps its font map in thread-local storage that LSan does not
 * scan; neither is ours to free. Linked in with this file only. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}

/* Keep stderr clean: the CLI's stderr is its user-facing channel. */
const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
	return "print_suppressions=0";
}
#endif

static cairo_status_t write_out(void *closure, const unsigned char *data, unsigned int len)
{
	struct pdf_doc *d = closure;

	if (d->write_errno)
		return CAIRO_STATUS_WRITE_ERROR;
	if (sealed_out_write(&d->out, data, len)) {
		d->write_errno = errno;
		return CAIRO_STATUS_WRITE_ERROR;
	}
	return CAIRO_STATUS_SUCCESS;
}

static void release(struct pdf_doc *d)
{
	if (d->pango)
		g_object_unref(d->pango);
	if (d->cr)
		cairo_destroy(d->cr);
	if (d->surface)
		cairo_surface_destroy(d->surface);
	if (d->open)
		sealed_out_abort(&d->out);
	d->open = false;
	d->pango = NULL;
	d->cr = NULL;
	d->surface = NULL;
	FREE(&d->path);
	FREE(&d->tmp);
}

int pdf_open(struct pdf_doc *d, const char *path, double w, double h, struct strbuf *err)
{
	memset(d, 0, sizeof(*d));
	d->w = w;
	d->h = h;
	d->top = 10;
	d->bottom = 10;
	d->left = 15;
	d->right = 10;
	d->y = d->page_start = d->top;
	d->page = 1;
	d->path = xstrdup(path);
	d->tmp = xasprintf("%s.tmp", path);

	d->open = sealed_out_open(&d->out, d->tmp) == 0;
	if (!d->open) {
		strbuf_addf(err, "không tạo được tệp PDF %s: %s", path, files_errno_vn(errno));
		FREE(&d->path);
		FREE(&d->tmp);
		return -1;
	}
	d->surface = cairo_pdf_surface_create_for_stream(write_out, d, w / MM_PER_PT, h / MM_PER_PT);
	d->cr = cairo_create(d->surface);
	cairo_scale(d->cr, 1.0 / MM_PER_PT, 1.0 / MM_PER_PT);

	d->pango = pango_cairo_create_context(d->cr);
	pango_cairo_context_set_resolution(d->pango, 25.4);
	pango_context_set_round_glyph_positions(d->pango, FALSE);
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(d->pango, fo);
	cairo_font_options_destroy(fo);
	PangoLanguage *vi = pango_language_from_string("vi");
	pango_context_set_language(d->pango, vi);

	if (cairo_surface_status(d->surface) != CAIRO_STATUS_SUCCESS) {
		strbuf_addf(err, "không tạo được tệp PDF %s: %s", path,
			    cairo_status_to_string(cairo_surface_status(d->surface)));
		pdf_discard(d);
		return -1;
	}
	return 0;
}

void pdf_set_margins(struct pdf_doc *d, double top, double right, double bottom, double left)
{
	d->top = top;
	d->right = right;
	d->bottom = bottom;
	d->left = left;
	d->y = d->page_start = top;
}

void pdf_set_metadata(struct pdf_doc *d, const char *title, const char *date)
{
	if (title)
		cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_TITLE, title);
	cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_CREATOR, "motcua");
	if (date && strlen(date) == 16) {
		/* cairo takes ISO 8601 with seconds */
		char buf[32];
		snprintf(buf, sizeof(buf), "%.10sT%.5s:00", date, date + 11);
		cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_CREATE_DATE, buf);
	}
}

int pdf_close(struct pdf_doc *d, struct strbuf *err)
{
	const char *why = NULL;
	int rc = -1;

	g_object_unref(d->pango);
	d->pango = NULL;
	cairo_status_t cst = cairo_status(d->cr);
	cairo_destroy(d->cr);
	d->cr = NULL;
	cairo_surface_finish(d->surface);
	if (cst == CAIRO_STATUS_SUCCESS)
		cst = cairo_surface_status(d->surface);
	cairo_surface_destroy(d->surface);
	d->surface = NULL;

	if (d->write_errno)
		why = files_errno_vn(d->write_errno);
	else if (cst != CAIRO_STATUS_SUCCESS)
		why = cairo_status_to_string(cst);
	else if ((d->open = false, sealed_out_close(&d->out)))
		why = files_errno_vn(errno);
	else {
		if (rename(d->tmp, d->path))
			why = files_errno_vn(errno);
		else if (files_sync_dir(d->path))
			why = files_errno_vn(errno);
		else
			rc = 0;
	}
	if (rc) {
		strbuf_addf(err, "không ghi được tệp PDF %s: %s", d->path, why);
		unlink(d->tmp);
	}
	release(d);
	return rc;
}

void pdf_discard(struct pdf_doc *d)
{
	if (d->tmp)
		unlink(d->tmp);
	release(d);
}

double pdf_x0(const struct pdf_doc *d)
{
	return d->left;
}

double pdf_text_width(const struct pdf_doc *d)
{
	return d->w - d->left - d->right;
}

double pdf_limit(const struct pdf_doc *d)
{
	return d->h - d->bottom;
}

void pdf_new_page(struct pdf_doc *d)
{
	cairo_show_page(d->cr);
	d->page++;
	d->y = d->top;
	if (d->page_header)
		d->page_header(d, d->page_header_arg);
	d->page_start = d->y;
}

bool pdf_need(struct pdf_doc *d, double h)
{
	if (d->y + h <= pdf_limit(d) || d->y <= d->page_start + 0.01)
		return false;
	pdf_new_page(d);
	return true;
}

/* ---- text ---- */

static double from_pango(int v)
{
	return (double)v / PANGO_SCALE;
}

static PangoLayout *layout_new(struct pdf_doc *d, const char *markup, const struct pdf_style *st,
			       double width)
{
	PangoLayout *l = pango_layout_new(d->pango);
	PangoFontDescription *fd = pango_font_description_from_string(PDF_FONT);

	pango_font_description_set_size(fd, (gint)(st->size * PANGO_SCALE));
	pango_font_description_set_weight(fd, st->bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_font_description_set_style(fd, st->italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);

	if (st->spacing > 0)
		pango_layout_set_line_spacing(l, (float)st->spacing);
	if (width > 0) {
		pango_layout_set_width(l, (int)(width * PANGO_SCALE));
		pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	}
	switch (st->align) {
	case PDF_CENTER: pango_layout_set_alignment(l, PANGO_ALIGN_CENTER); break;
	case PDF_RIGHT: pango_layout_set_alignment(l, PANGO_ALIGN_RIGHT); break;
	case PDF_JUSTIFY: pango_layout_set_justify(l, TRUE); break;
	case PDF_LEFT: break;
	}
	if (pango_parse_markup(markup, -1, 0, NULL, NULL, NULL, NULL))
		pango_layout_set_markup(l, markup, -1);
	else
		pango_layout_set_text(l, markup, -1); /* a bug of ours: show it raw */
	return l;
}

/* Full height of a layout (down to the last line's descent). */
static double layout_height(PangoLayout *l)
{
	int w, h;
	pango_layout_get_size(l, &w, &h);
	return from_pango(h);
}

/* How far the next block goes below this one: with a line spacing factor
 * f < 1, lines are f * height apart, and so are paragraphs. */
static double layout_advance(PangoLayout *l, const struct pdf_style *st)
{
	double h = layout_height(l);
	if (st->spacing > 0 && st->spacing < 1) {
		PangoLayoutLine *last = pango_layout_get_line_readonly(l, pango_layout_get_line_count(l) - 1);
		PangoRectangle log;
		pango_layout_line_get_extents(last, NULL, &log);
		h -= (1 - st->spacing) * from_pango(log.height);
	}
	return h;
}

void pdf_measure(struct pdf_doc *d, const char *markup, const struct pdf_style *st,
		 double width, double *w_out, double *h_out)
{
	PangoLayout *l = layout_new(d, markup, st, width);
	if (w_out) {
		PangoRectangle log;
		pango_layout_get_extents(l, NULL, &log);
		*w_out = from_pango(log.width);
	}
	if (h_out)
		*h_out = layout_advance(l, st);
	g_object_unref(l);
}

double pdf_draw(struct pdf_doc *d, double x, double y, double width, const char *markup,
		const struct pdf_style *st)
{
	PangoLayout *l = layout_new(d, markup, st, width);
	cairo_move_to(d->cr, x, y);
	pango_cairo_show_layout(d->cr, l);
	double h = layout_advance(l, st);
	g_object_unref(l);
	return h;
}

void pdf_para(struct pdf_doc *d, double x, double width, const char *markup,
	      const struct pdf_style *st)
{
	PangoLayout *l = layout_new(d, markup, st, width);
	if (pango_layout_get_line_count(l) <= 3)
		pdf_need(d, layout_height(l)); /* short paragraphs are not split */
	PangoLayoutIter *it = pango_layout_get_iter(l);
	double shift = 0;   /* layout height already drawn on earlier pages */
	double origin = d->y;

	do {
		PangoRectangle log, llog;
		pango_layout_iter_get_line_extents(it, NULL, &log);
		double top = origin + from_pango(log.y) - shift;
		double bottom = origin + from_pango(log.y + log.height) - shift;
		/* a line that does not fit goes over, unless it starts the page */
		if (bottom > pdf_limit(d) + 0.01 && top > d->page_start + 0.01) {
			pdf_new_page(d);
			shift = from_pango(log.y);
			origin = d->y;
		}
		PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
		pango_layout_line_get_extents(line, NULL, &llog);
		cairo_move_to(d->cr, x + from_pango(log.x - llog.x),
			      origin + from_pango(pango_layout_iter_get_baseline(it)) - shift);
		pango_cairo_show_layout_line(d->cr, line);
	} while (pango_layout_iter_next_line(it));

	pango_layout_iter_free(it);
	d->y = origin + layout_advance(l, st) - shift;
	g_object_unref(l);
}

void pdf_columns(struct pdf_doc *d, size_t n, const double *x, const double *width,
		 const char *const *markup, const struct pdf_style *const *st)
{
	double hmax = 0;
	for (size_t i = 0; i < n; i++) {
		double h = 0;
		if (markup[i])
			pdf_measure(d, markup[i], st[i], width[i], NULL, &h);
		if (h > hmax)
			hmax = h;
	}
	pdf_need(d, hmax);
	for (size_t i = 0; i < n; i++)
		if (markup[i])
			pdf_draw(d, x[i], d->y, width[i], markup[i], st[i]);
	d->y += hmax;
}

void pdf_hrule(struct pdf_doc *d, double x, double y, double width, double thickness)
{
	cairo_save(d->cr);
	cairo_set_line_width(d->cr, thickness * MM_PER_PT);
	cairo_move_to(d->cr, x, y);
	cairo_line_to(d->cr, x + width, y);
	cairo_stroke(d->cr);
	cairo_restore(d->cr);
}

/* ---- tables ---- */

static double row_height(struct pdf_doc *d, const struct pdf_table *t, const char *const *cells,
			 const struct pdf_style *st, PangoLayout **ls)
{
	double h = 0;
	for (size_t i = 0; i < t->ncols; i++) {
		struct pdf_style cs = *st;
		cs.align = t->align ? t->align[i] : PDF_LEFT;
		ls[i] = layout_new(d, cells[i] ? cells[i] : "", &cs, t->widths[i] - 2 * t->pad);
		/* a cell taller than a whole page is cut with an ellipsis */
		double max = pdf_limit(d) - d->top - 20;
		if (layout_height(ls[i]) > max) {
			pango_layout_set_height(ls[i], (int)(max * PANGO_SCALE));
			pango_layout_set_ellipsize(ls[i], PANGO_ELLIPSIZE_END);
		}
		double ch = layout_height(ls[i]);
		if (ch > h)
			h = ch;
	}
	return h + 2 * t->pad;
}

static void draw_row(struct pdf_doc *d, const struct pdf_table *t, PangoLayout **ls, double h)
{
	double x = t->x;
	cairo_save(d->cr);
	cairo_set_line_width(d->cr, 0.5 * MM_PER_PT);
	for (size_t i = 0; i < t->ncols; i++) {
		cairo_rectangle(d->cr, x, d->y, t->widths[i], h);
		cairo_stroke(d->cr);
		cairo_move_to(d->cr, x + t->pad, d->y + t->pad);
		pango_cairo_show_layout(d->cr, ls[i]);
		g_object_unref(ls[i]);
		x += t->widths[i];
	}
	cairo_restore(d->cr);
	d->y += h;
}

void pdf_table_header(struct pdf_doc *d, const struct pdf_table *t)
{
	if (!t->header)
		return;
	PangoLayout **ls = xcalloc(t->ncols, sizeof(*ls));
	double h = row_height(d, t, t->header, &t->header_style, ls);
	draw_row(d, t, ls, h);
	free(ls);
}

void pdf_table_row(struct pdf_doc *d, const struct pdf_table *t, const char *const *cells)
{
	PangoLayout **ls = xcalloc(t->ncols, sizeof(*ls));
	double h = row_height(d, t, cells, &t->style, ls);
	if (d->y + h > pdf_limit(d)) {
		pdf_new_page(d);
		pdf_table_header(d, t);
	}
	draw_row(d, t, ls, h);
	free(ls);
}

/* ---- barcodes ---- */

void pdf_barcode(struct pdf_doc *d, double x, double y, double m, double h, const char *modules)
{
	size_t n = strlen(modules);
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && modules[j] == modules[i])
			j++;
		if (modules[i] == '1')
			cairo_rectangle(d->cr, x + (double)i * m, y, (double)(j - i) * m, h);
		i = j;
	}
	cairo_fill(d->cr);
}

static QRcode *qr_encode(const char *text)
{
	if (!text || !*text)
		return NULL;
	return QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
}

int pdf_qr_modules(const char *text)
{
	QRcode *qr = qr_encode(text);
	if (!qr)
		return -1;
	int w = qr->width;
	QRcode_free(qr);
	return w;
}

int pdf_qr(struct pdf_doc *d, double x, double y, double size, const char *text)
{
	QRcode *qr = qr_encode(text);
	if (!qr)
		return -1;
	int w = qr->width;
	double m = size / w;
	for (int r = 0; r < w; r++) {
		for (int c = 0; c < w;) {
			int e = c;
			while (e < w && (qr->data[r * w + e] & 1) == (qr->data[r * w + c] & 1))
				e++;
			if (qr->data[r * w + c] & 1)
				cairo_rectangle(d->cr, x + c * m, y + r * m, (e - c) * m, m);
			c = e;
		}
	}
	cairo_fill(d->cr);
	QRcode_free(qr);
	return w;
}

/* ---- markup ---- */

static void add_escaped(struct strbuf *sb, const char *s, bool upper)
{
	char *n = mc_text_nfc(s);
	size_t len = strlen(n);

	for (size_t i = 0; i < len;) {
		int32_t cp;
		i += mc_utf8_next(n + i, len - i, &cp);
		if (upper)
			cp = utf8proc_toupper(cp);
		switch (cp) {
		case '&': strbuf_addstr(sb, "&amp;"); break;
		case '<': strbuf_addstr(sb, "&lt;"); break;
		case '>': strbuf_addstr(sb, "&gt;"); break;
		case '"': strbuf_addstr(sb, "&quot;"); break;
		case '\'': strbuf_addstr(sb, "&apos;"); break;
		default: {
			char buf[4];
			strbuf_add(sb, buf, mc_utf8_put(cp, buf));
		}
		}
	}
	free(n);
}

void pdf_markup_add(struct strbuf *sb, const char *text)
{
	if (text)
		add_escaped(sb, text, false);
}

void pdf_markup_add_upper(struct strbuf *sb, const char *text)
{
	if (text)
		add_escaped(sb, text, true);
}

void pdf_vn_date(char *buf, size_t n, int y, int m, int d)
{
	snprintf(buf, n, "ngày %02d tháng %s%d năm %d", d, m < 3 ? "0" : "", m, y);
}

void pdf_vn_time(char *buf, size_t n, int hh, int mi)
{
	snprintf(buf, n, "%02d giờ %02d phút", hh, mi);
}

void pdf_markup_add_or_blank(struct strbuf *sb, const char *text)
{
	if (!text || !*text)
		strbuf_addstr(sb, PDF_BLANK);
	else
		pdf_markup_add(sb, text);
}

void pdf_markup_add_nobreak(struct strbuf *sb, const char *text)
{
	struct strbuf t = STRBUF_INIT;
	pdf_markup_add(&t, text);
	for (size_t i = 0; i < t.len; i++) {
		if (t.buf[i] == ' ')
			strbuf_addstr(sb, "\u00a0");
		else
			strbuf_addch(sb, t.buf[i]);
	}
	strbuf_release(&t);
}

void pdf_markup_add_when(struct strbuf *sb, const struct mc_dt *t)
{
	char tm[32], dt[64];
	pdf_vn_time(tm, sizeof(tm), t->hh, t->mi);
	pdf_vn_date(dt, sizeof(dt), t->y, t->m, t->d);
	pdf_markup_add_nobreak(sb, tm);
	strbuf_addstr(sb, ", ");
	pdf_markup_add_nobreak(sb, dt);
}

/* ---- the parts of administrative papers (receipt, forms, ledger) ---------- */

#define SZ_HEAD 8
#define SZ_BODY 9
#define SZ_SMALL 7

static const struct pdf_style st_head = { SZ_HEAD, false, false, PDF_CENTER, 0.95 };
static const struct pdf_style st_head_b = { SZ_HEAD, true, false, PDF_CENTER, 0.95 };
static const struct pdf_style st_motto = { SZ_HEAD + 0.5, true, false, PDF_CENTER, 0.95 };
static const struct pdf_style st_date = { SZ_BODY, false, true, PDF_CENTER, 0.9 };
static const struct pdf_style st_sign = { SZ_BODY, true, false, PDF_CENTER, 0.9 };
static const struct pdf_style st_sign_i = { SZ_SMALL + 0.5, false, true, PDF_CENTER, 0.9 };

void pdf_state_header(struct pdf_doc *d, const char *parent, const char *body, const char *place,
		      const struct mc_dt *date, double left_frac, double gap)
{
	struct strbuf sb = STRBUF_INIT;
	double x0 = pdf_x0(d), tw = pdf_text_width(d);
	double lw = tw * left_frac, rx = x0 + lw, rw = tw - lw;
	double ly = d->y, ry = d->y, w;

	if (parent && *parent) {
		pdf_markup_add_upper(&sb, parent);
		ly += pdf_draw(d, x0, ly, lw, sb.buf, &st_head);
		strbuf_reset(&sb);
	}
	pdf_markup_add_upper(&sb, body && *body ? body : PDF_BLANK);
	ly += pdf_draw(d, x0, ly, lw, sb.buf, &st_head_b);
	strbuf_reset(&sb);
	pdf_hrule(d, x0 + lw / 2 - 10, ly + 1.0, 20, 0.5);
	ly += 2;

	ry += pdf_draw(d, rx, ry, rw, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", &st_head_b);
	pdf_measure(d, "Độc lập - Tự do - Hạnh phúc", &st_motto, 0, &w, NULL);
	ry += pdf_draw(d, rx, ry, rw, "Độc lập - Tự do - Hạnh phúc", &st_motto);
	pdf_hrule(d, rx + (rw - w) / 2, ry + 0.3, w, 0.5);
	ry += 2.5;

	if (date) {
		char dt[64];
		pdf_markup_add_or_blank(&sb, place);
		pdf_vn_date(dt, sizeof(dt), date->y, date->m, date->d);
		strbuf_addf(&sb, ", %s", dt);
		ry += pdf_draw(d, rx, ry, rw, sb.buf, &st_date);
	}
	strbuf_release(&sb);

	d->y = (ly > ry ? ly : ry) + gap;
}

double pdf_signature(struct pdf_doc *d, double x, double w, double y, const char *title,
		     const char *hint, const char *name, double room, bool draw)
{
	struct strbuf sb = STRBUF_INIT;
	double h = 0, t;

	pdf_measure(d, title, &st_sign, w, NULL, &t);
	if (draw)
		pdf_draw(d, x, y, w, title, &st_sign);
	h += t;
	pdf_measure(d, hint, &st_sign_i, w, NULL, &t);
	if (draw)
		pdf_draw(d, x, y + h, w, hint, &st_sign_i);
	h += t + room;
	if (name && *name) {
		pdf_markup_add(&sb, name);
		pdf_measure(d, sb.buf, &st_sign, w, NULL, &t);
		if (draw)
			pdf_draw(d, x, y + h, w, sb.buf, &st_sign);
		h += t;
	}
	strbuf_release(&sb);
	return h;
}
