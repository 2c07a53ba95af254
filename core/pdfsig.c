/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Signatures in PDF files, without cryptography; see pdfsig.h. */
#include "core/pdfsig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FIELD_DEPTH 32

/* ---- text ------------------------------------------------------------- */

static void put_utf8(struct strbuf *sb, unsigned long cp)
{
	if (cp < 0x80) {
		strbuf_addch(sb, (char)cp);
	} else if (cp < 0x800) {
		strbuf_addch(sb, (char)(0xC0 | cp >> 6));
		strbuf_addch(sb, (char)(0x80 | (cp & 0x3F)));
	} else if (cp < 0x10000) {
		strbuf_addch(sb, (char)(0xE0 | cp >> 12));
		strbuf_addch(sb, (char)(0x80 | (cp >> 6 & 0x3F)));
		strbuf_addch(sb, (char)(0x80 | (cp & 0x3F)));
	} else {
		strbuf_addch(sb, (char)(0xF0 | cp >> 18));
		strbuf_addch(sb, (char)(0x80 | (cp >> 12 & 0x3F)));
		strbuf_addch(sb, (char)(0x80 | (cp >> 6 & 0x3F)));
		strbuf_addch(sb, (char)(0x80 | (cp & 0x3F)));
	}
}

char *pdf_text_to_utf8(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "");
	if (n >= 2 && u[0] == 0xFE && u[1] == 0xFF) {
		for (size_t i = 2; i + 1 < n; i += 2) {
			unsigned long c = (unsigned long)u[i] << 8 | u[i + 1];
			if (c >= 0xD800 && c < 0xDC00 && i + 3 < n) {
				unsigned long lo = (unsigned long)u[i + 2] << 8 | u[i + 3];
				if (lo >= 0xDC00 && lo < 0xE000) {
					c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
					i += 2;
				}
			}
			if (c >= 0xD800 && c < 0xE000)
				c = 0xFFFD;
			put_utf8(&sb, c);
		}
	} else if (n >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
		strbuf_add(&sb, u + 3, n - 3);
	} else {
		for (size_t i = 0; i < n; i++)
			put_utf8(&sb, u[i]);
	}
	return strbuf_detach(&sb);
}

/* The next code point of UTF-8 text (a bad byte reads as U+FFFD). */
static unsigned long next_cp(const unsigned char **pp)
{
	const unsigned char *p = *pp;
	unsigned long c = *p++;
	int more = c >= 0xF0 && c < 0xF8 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
	if (c >= 0x80 && !more) {
		*pp = p;
		return 0xFFFD;
	}
	if (more)
		c &= 0x3F >> more;
	for (int k = 0; k < more; k++) {
		if ((*p & 0xC0) != 0x80) {
			*pp = p;
			return 0xFFFD;
		}
		c = c << 6 | (*p++ & 0x3F);
	}
	*pp = p;
	return c;
}

/* A PDF text string for UTF-8 text: a literal string when it is printable
 * ASCII, otherwise UTF-16BE with its byte order mark, in hex. */
static void put_text(struct strbuf *out, const char *utf8)
{
	bool ascii = true;
	for (const unsigned char *p = (const unsigned char *)utf8; *p; p++)
		if (*p < 0x20 || *p > 0x7E)
			ascii = false;
	if (ascii) {
		strbuf_addch(out, '(');
		for (const char *p = utf8; *p; p++) {
			if (*p == '(' || *p == ')' || *p == '\\')
				strbuf_addch(out, '\\');
			strbuf_addch(out, *p);
		}
		strbuf_addch(out, ')');
		return;
	}
	strbuf_addstr(out, "<FEFF");
	for (const unsigned char *p = (const unsigned char *)utf8; *p;) {
		unsigned long c = next_cp(&p);
		if (c >= 0x10000) {
			c -= 0x10000;
			strbuf_addf(out, "%04lX%04lX", 0xD800 + (c >> 10), 0xDC00 + (c & 0x3FF));
		} else {
			strbuf_addf(out, "%04lX", c);
		}
	}
	strbuf_addch(out, '>');
}

int pdf_date_iso(const char *s, char *buf, size_t n)
{
	if (!s || strncmp(s, "D:", 2) || n < 26)
		goto no;
	s += 2;
	int v[6] = { 0, 1, 1, 0, 0, 0 };
	const int width[6] = { 4, 2, 2, 2, 2, 2 };
	for (int k = 0; k < 6; k++) {
		if (!(*s >= '0' && *s <= '9')) {
			if (k == 0)
				goto no;
			break;
		}
		int x = 0;
		for (int j = 0; j < width[k]; j++, s++) {
			if (!(*s >= '0' && *s <= '9'))
				goto no;
			x = x * 10 + (*s - '0');
		}
		v[k] = x;
	}
	if (v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31 || v[3] > 23 || v[4] > 59 || v[5] > 60)
		goto no;
	int len = snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02d", v[0], v[1], v[2], v[3], v[4], v[5]);
	if (*s == 'Z') {
		snprintf(buf + len, n - (size_t)len, "Z");
	} else if (*s == '+' || *s == '-') {
		char sign = *s++;
		int hh = 0, mm = 0;
		if (s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9') {
			hh = (s[0] - '0') * 10 + s[1] - '0';
			s += 2;
			if (*s == '\'')
				s++;
			if (s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9')
				mm = (s[0] - '0') * 10 + s[1] - '0';
		}
		if (hh > 23 || mm > 59)
			goto no;
		snprintf(buf + len, n - (size_t)len, "%c%02d:%02d", sign, hh, mm);
	}
	return 0;
no:
	if (n)
		buf[0] = '\0';
	return -1;
}

/* ---- fields ----------------------------------------------------------- */

static char *name_of(const struct pdf_obj *o)
{
	return o && o->kind == PDF_NAME ? xstrdup(o->s) : NULL;
}

static char *text_of(const struct pdf_obj *o)
{
	return o && o->kind == PDF_STRING ? pdf_text_to_utf8(o->s, o->n) : NULL;
}

/* The field type of a field dictionary, inherited along /Parent. */
static bool field_is_sig(struct pdfdoc *d, const struct pdf_obj *dict)
{
	struct pdf_obj cur = PDF_OBJ_INIT;
	struct strbuf err = STRBUF_INIT;
	const struct pdf_obj *node = dict;
	bool sig = false;
	for (int depth = 0; node && node->kind == PDF_DICT && depth < MAX_FIELD_DEPTH; depth++) {
		const struct pdf_obj *ft = pdf_dict_get(node, "FT");
		if (ft) {
			sig = pdf_is_name(ft, "Sig");
			break;
		}
		const struct pdf_obj *parent = pdf_dict_get(node, "Parent");
		if (!parent || parent->kind != PDF_REF)
			break;
		struct pdf_obj next = PDF_OBJ_INIT;
		if (pdfdoc_get(d, (int)parent->i, NULL, &next, NULL, &err))
			break;
		pdf_obj_release(&cur);
		cur = next;
		node = &cur;
	}
	pdf_obj_release(&cur);
	strbuf_release(&err);
	return sig;
}

struct siglist {
	struct pdf_sig *v;
	size_t n, alloc;
	int *visited;          /* field objects seen: a form that loops ends */
	size_t nvisited, visited_alloc;
};

static int check_range(struct pdfdoc *d, const struct pdf_obj *sig, struct pdf_sig *s)
{
	const struct pdf_obj *br = pdf_dict_get(sig, "ByteRange");
	const struct pdf_obj *c = pdf_dict_get(sig, "Contents");
	if (!c || c->kind != PDF_STRING) {
		s->range_problem = "chữ ký không có /Contents";
		return 0;
	}
	s->contents = xmalloc(c->n + 1);
	memcpy(s->contents, c->s, c->n);
	s->contents_len = c->n;
	if (!br || br->kind != PDF_ARRAY || br->n != 4) {
		s->range_problem = "/ByteRange không phải bốn số";
		return 0;
	}
	for (int k = 0; k < 4; k++) {
		if (br->items[k].kind != PDF_INT || br->items[k].i < 0) {
			s->range_problem = "/ByteRange không phải bốn số";
			return 0;
		}
		s->range[k] = br->items[k].i;
	}
	long long end = s->range[2] + s->range[3];
	if (s->range[0] != 0 || s->range[1] > s->range[2] || end > (long long)d->len) {
		s->range_problem = "/ByteRange không bắt đầu từ đầu tệp hoặc vượt quá cuối tệp";
		return 0;
	}
	if (c->at == (size_t)-1 || c->raw[0] != '<' || (long long)c->at != s->range[1] ||
	    (long long)(c->at + c->rawlen) != s->range[2]) {
		s->range_problem = "/ByteRange không chừa ra đúng chuỗi /Contents";
		return 0;
	}
	s->range_ok = true;
	s->revision_end = (size_t)end;
	s->covers_whole_file = (size_t)end == d->len;
	return 0;
}

static void add_sig(struct pdfdoc *d, struct siglist *l, const char *fname, const struct pdf_obj *v)
{
	struct pdf_obj sig = PDF_OBJ_INIT;
	struct strbuf err = STRBUF_INIT;
	struct pdf_sig s;
	memset(&s, 0, sizeof(s));
	s.field = xstrdup(fname);
	s.obj = v->kind == PDF_REF ? (int)v->i : 0;
	s.later = PDF_LATER_OTHER;
	if (v->kind != PDF_REF) {
		s.range_problem = "giá trị của trường chữ ký không phải một đối tượng riêng";
	} else if (pdfdoc_get(d, (int)v->i, NULL, &sig, NULL, &err) || sig.kind != PDF_DICT) {
		s.range_problem = "không đọc được từ điển chữ ký";
	} else {
		s.filter = name_of(pdf_dict_get(&sig, "Filter"));
		s.subfilter = name_of(pdf_dict_get(&sig, "SubFilter"));
		s.doc_timestamp = pdf_is_name(pdf_dict_get(&sig, "Type"), "DocTimeStamp");
		const struct pdf_obj *m = pdf_dict_get(&sig, "M");
		if (m && m->kind == PDF_STRING)
			s.m = xstrndup(m->s, m->n);
		s.name = text_of(pdf_dict_get(&sig, "Name"));
		s.reason = text_of(pdf_dict_get(&sig, "Reason"));
		s.location = text_of(pdf_dict_get(&sig, "Location"));
		check_range(d, &sig, &s);
		if (s.range_ok && s.covers_whole_file) {
			s.later = PDF_LATER_NONE;
		} else if (s.range_ok) {
			struct strbuf detail = STRBUF_INIT;
			s.later = pdf_sig_later_changes(d, s.revision_end, &detail);
			if (detail.len)
				s.later_detail = strbuf_detach(&detail);
			strbuf_release(&detail);
		}
	}
	pdf_obj_release(&sig);
	strbuf_release(&err);
	if (l->n == l->alloc) {
		l->alloc = l->alloc ? 2 * l->alloc : 4;
		l->v = xrealloc(l->v, l->alloc * sizeof(*l->v));
	}
	l->v[l->n++] = s;
}

static int walk_fields(struct pdfdoc *d, struct siglist *l, const struct pdf_obj *kids,
		       const char *prefix, int depth, struct strbuf *err)
{
	if (depth > MAX_FIELD_DEPTH)
		return 0;
	struct pdf_obj tmp = PDF_OBJ_INIT;
	const struct pdf_obj *arr = pdfdoc_resolve(d, kids, &tmp, err);
	if (!arr || arr->kind != PDF_ARRAY) {
		pdf_obj_release(&tmp);
		strbuf_reset(err);
		return 0;
	}
	for (size_t i = 0; i < arr->n; i++) {
		const struct pdf_obj *ref = &arr->items[i];
		if (ref->kind != PDF_REF)
			continue;
		bool again = false;
		for (size_t k = 0; k < l->nvisited && !again; k++)
			again = l->visited[k] == (int)ref->i;
		if (again)
			continue;
		if (l->nvisited == l->visited_alloc) {
			l->visited_alloc = l->visited_alloc ? 2 * l->visited_alloc : 64;
			l->visited = xrealloc(l->visited, l->visited_alloc * sizeof(*l->visited));
		}
		l->visited[l->nvisited++] = (int)ref->i;
		struct pdf_obj f = PDF_OBJ_INIT;
		if (pdfdoc_get(d, (int)ref->i, NULL, &f, NULL, err) || f.kind != PDF_DICT) {
			pdf_obj_release(&f);
			strbuf_reset(err);
			continue;
		}
		char *part = text_of(pdf_dict_get(&f, "T"));
		char *full = part ? (*prefix ? xasprintf("%s.%s", prefix, part) : xstrdup(part))
				  : xstrdup(prefix);
		const struct pdf_obj *v = pdf_dict_get(&f, "V");
		if (v && v->kind != PDF_NULL && field_is_sig(d, &f))
			add_sig(d, l, full, v);
		else if (pdf_dict_get(&f, "Kids"))
			walk_fields(d, l, pdf_dict_get(&f, "Kids"), full, depth + 1, err);
		free(part);
		free(full);
		pdf_obj_release(&f);
	}
	pdf_obj_release(&tmp);
	return 0;
}

static int by_revision(const void *a, const void *b)
{
	const struct pdf_sig *x = a, *y = b;
	size_t ex = x->range_ok ? x->revision_end : (size_t)-1;
	size_t ey = y->range_ok ? y->revision_end : (size_t)-1;
	return ex < ey ? -1 : ex > ey;
}

int pdf_sig_list(struct pdfdoc *d, struct pdf_sig **sigs, size_t *n, struct strbuf *err)
{
	struct siglist *l = xcalloc(1, sizeof(*l));
	struct pdf_obj cat = PDF_OBJ_INIT, tmp = PDF_OBJ_INIT;
	*sigs = NULL;
	*n = 0;
	if (pdfdoc_get(d, d->root, NULL, &cat, NULL, err) || cat.kind != PDF_DICT) {
		if (!err->len)
			strbuf_addstr(err, "tệp PDF hỏng: mục lục (/Root) không phải từ điển");
		pdf_obj_release(&cat);
		free(l);
		return -1;
	}
	const struct pdf_obj *form = pdf_dict_get(&cat, "AcroForm");
	if (form) {
		const struct pdf_obj *af = pdfdoc_resolve(d, form, &tmp, err);
		if (af && af->kind == PDF_DICT && pdf_dict_get(af, "Fields"))
			walk_fields(d, l, pdf_dict_get(af, "Fields"), "", 0, err);
		strbuf_reset(err);
	}
	pdf_obj_release(&tmp);
	pdf_obj_release(&cat);
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), by_revision);
	*sigs = l->v;
	*n = l->n;
	free(l->visited);
	free(l);
	return 0;
}

void pdf_sig_list_free(struct pdf_sig *sigs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct pdf_sig *s = &sigs[i];
		free(s->field);
		free(s->contents);
		free(s->filter);
		free(s->subfilter);
		free(s->m);
		free(s->name);
		free(s->reason);
		free(s->location);
		free(s->later_detail);
	}
	free(sigs);
}

/* ---- what later revisions changed ------------------------------------- */

/* Whether ref names a signature field or its widget in the whole file. */
static bool is_sig_ref(struct pdfdoc *d, const struct pdf_obj *ref)
{
	if (ref->kind != PDF_REF)
		return false;
	struct pdf_obj o = PDF_OBJ_INIT;
	struct strbuf err = STRBUF_INIT;
	bool ok = !pdfdoc_get(d, (int)ref->i, NULL, &o, NULL, &err) && o.kind == PDF_DICT &&
		  field_is_sig(d, &o);
	const struct pdf_obj *st = pdf_dict_get(&o, "Subtype");
	if (st && !pdf_is_name(st, "Widget"))
		ok = false;
	pdf_obj_release(&o);
	strbuf_release(&err);
	return ok;
}

/* old and new arrays: new keeps every old value and adds only signature
 * fields or widgets. */
static bool grows_by_sigs(struct pdfdoc *whole, const struct pdf_obj *oldv,
			  const struct pdf_obj *newv)
{
	if (!newv || newv->kind != PDF_ARRAY || (oldv && oldv->kind != PDF_ARRAY))
		return false;
	size_t oldn = oldv ? oldv->n : 0;
	for (size_t i = 0; i < oldn; i++) {
		bool kept = false;
		for (size_t j = 0; j < newv->n && !kept; j++)
			kept = pdf_obj_equal(&oldv->items[i], &newv->items[j]);
		if (!kept)
			return false;
	}
	for (size_t j = 0; j < newv->n; j++) {
		bool old = false;
		for (size_t i = 0; i < oldn && !old; i++)
			old = pdf_obj_equal(&oldv->items[i], &newv->items[j]);
		if (!old && !is_sig_ref(whole, &newv->items[j]))
			return false;
	}
	return true;
}

static bool dict_change_ok(struct pdfdoc *prev, struct pdfdoc *whole, int num,
			   const struct pdf_obj *a, const struct pdf_obj *b, struct strbuf *detail);

/* Whether one key of a dictionary may change from a to b (either NULL when
 * absent) when only signatures are added. */
static bool key_change_ok(struct pdfdoc *prev, struct pdfdoc *whole, int num, const char *key,
			  const struct pdf_obj *dict_old, const struct pdf_obj *a,
			  const struct pdf_obj *b, struct strbuf *detail)
{
	if (!strcmp(key, "SigFlags") || !strcmp(key, "DA") || !strcmp(key, "DR") ||
	    !strcmp(key, "DSS") || !strcmp(key, "NeedAppearances"))
		return true;
	if ((!strcmp(key, "V") || !strcmp(key, "AP")) && field_is_sig(prev, dict_old)) {
		const struct pdf_obj *v = pdf_dict_get(dict_old, "V");
		return !strcmp(key, "AP") || !v || v->kind == PDF_NULL;
	}
	if (!strcmp(key, "Annots") || !strcmp(key, "Fields")) {
		/* a direct array that grows; an indirect one is checked as an
		 * object of its own */
		if (a && b && a->kind == PDF_REF && b->kind == PDF_REF)
			return a->i == b->i;
		struct pdf_obj ta = PDF_OBJ_INIT, tb = PDF_OBJ_INIT;
		struct strbuf err = STRBUF_INIT;
		const struct pdf_obj *ra = a ? pdfdoc_resolve(prev, a, &ta, &err) : NULL;
		const struct pdf_obj *rb = b ? pdfdoc_resolve(whole, b, &tb, &err) : NULL;
		bool ok = (!a || ra) && grows_by_sigs(whole, ra, rb);
		pdf_obj_release(&ta);
		pdf_obj_release(&tb);
		strbuf_release(&err);
		return ok;
	}
	if (!strcmp(key, "AcroForm") && num == whole->root) {
		if (a && b && a->kind == PDF_REF && b->kind == PDF_REF && a->i == b->i)
			return true;
		struct pdf_obj ta = PDF_OBJ_INIT, tb = PDF_OBJ_INIT;
		struct strbuf err = STRBUF_INIT;
		const struct pdf_obj *ra = a ? pdfdoc_resolve(prev, a, &ta, &err) : NULL;
		const struct pdf_obj *rb = b ? pdfdoc_resolve(whole, b, &tb, &err) : NULL;
		struct pdf_obj empty = PDF_OBJ_INIT;
		empty.kind = PDF_DICT;
		bool ok = (!a || ra) && rb && dict_change_ok(prev, whole, -1, ra ? ra : &empty, rb, detail);
		pdf_obj_release(&ta);
		pdf_obj_release(&tb);
		strbuf_release(&err);
		return ok;
	}
	return false;
}

static bool dict_change_ok(struct pdfdoc *prev, struct pdfdoc *whole, int num,
			   const struct pdf_obj *a, const struct pdf_obj *b, struct strbuf *detail)
{
	for (int pass = 0; pass < 2; pass++) {
		const struct pdf_obj *from = pass ? b : a, *other = pass ? a : b;
		for (size_t i = 0; i < from->n; i++) {
			const char *key = from->items[2 * i].s;
			const struct pdf_obj *v = &from->items[2 * i + 1];
			const struct pdf_obj *w = pdf_dict_get(other, key);
			if (pass && w)
				continue; /* seen in the first pass */
			if (w && pdf_obj_equal(v, w))
				continue;
			const struct pdf_obj *va = pass ? w : v, *vb = pass ? v : w;
			if (!key_change_ok(prev, whole, num, key, a, va, vb, detail)) {
				if (detail && !detail->len) {
					if (num > 0)
						strbuf_addf(detail, "đối tượng %d: /%s bị thay đổi", num, key);
					else
						strbuf_addf(detail, "biểu mẫu: /%s bị thay đổi", key);
				}
				return false;
			}
		}
	}
	return true;
}

static bool object_change_ok(struct pdfdoc *prev, struct pdfdoc *whole, int num,
			     struct strbuf *detail)
{
	struct pdf_obj a = PDF_OBJ_INIT, b = PDF_OBJ_INIT;
	struct pdf_stream sa, sb;
	struct strbuf err = STRBUF_INIT;
	bool ok = false;
	if (pdfdoc_get(prev, num, NULL, &a, &sa, &err) || pdfdoc_get(whole, num, NULL, &b, &sb, &err)) {
		strbuf_addf(detail, "đối tượng %d không đọc được", num);
		goto out;
	}
	const struct pdf_obj *ta = pdf_dict_get(&a, "Type"), *tb = pdf_dict_get(&b, "Type");
	if ((pdf_is_name(tb, "XRef") || pdf_is_name(tb, "ObjStm")) &&
	    (pdf_is_name(ta, "XRef") || pdf_is_name(ta, "ObjStm"))) {
		ok = true; /* the file's own bookkeeping; its objects are checked one by one */
	} else if (sa.present || sb.present) {
		ok = sa.present && sb.present && sa.len == sb.len && !memcmp(sa.data, sb.data, sa.len) &&
		     pdf_obj_equal(&a, &b);
		if (!ok)
			strbuf_addf(detail, "luồng (nội dung) của đối tượng %d bị thay đổi", num);
	} else if (num == whole->info) {
		ok = true; /* the document information: metadata only */
	} else if (a.kind == PDF_DICT && b.kind == PDF_DICT) {
		ok = dict_change_ok(prev, whole, num, &a, &b, detail);
	} else if (a.kind == PDF_ARRAY && b.kind == PDF_ARRAY) {
		ok = grows_by_sigs(whole, &a, &b);
		if (!ok)
			strbuf_addf(detail, "mảng %d bị thay đổi (không chỉ thêm chữ ký)", num);
	} else {
		ok = pdf_obj_equal(&a, &b);
		if (!ok)
			strbuf_addf(detail, "đối tượng %d bị thay đổi", num);
	}
out:
	pdf_obj_release(&a);
	pdf_obj_release(&b);
	strbuf_release(&err);
	return ok;
}

enum pdf_later pdf_sig_later_changes(struct pdfdoc *whole, size_t end, struct strbuf *detail)
{
	struct strbuf tmp = STRBUF_INIT;
	if (!detail)
		detail = &tmp;
	if (end >= whole->len) {
		strbuf_release(&tmp);
		return PDF_LATER_NONE;
	}
	struct pdfdoc prev;
	struct strbuf err = STRBUF_INIT;
	enum pdf_later r = PDF_LATER_SIGNATURES;
	if (pdfdoc_open(&prev, whole->buf, end, whole->inflate, &err)) {
		strbuf_addstr(detail, "phần được ký không kết thúc ở cuối một phiên bản của tệp");
		r = PDF_LATER_OTHER;
	} else if (prev.root != whole->root) {
		strbuf_addstr(detail, "mục lục (/Root) của tệp bị thay");
		r = PDF_LATER_OTHER;
	} else {
		size_t n = whole->nxref > prev.nxref ? whole->nxref : prev.nxref;
		for (size_t num = 1; num < n && r == PDF_LATER_SIGNATURES; num++) {
			struct pdf_xref_entry none = { 0, 0, 0, 0 };
			const struct pdf_xref_entry *a = num < prev.nxref ? &prev.xref[num] : &none;
			const struct pdf_xref_entry *b = num < whole->nxref ? &whole->xref[num] : &none;
			if (a->type == b->type && a->off == b->off && a->gen == b->gen)
				continue;
			if (a->type == 0)
				continue; /* a new object: it counts only where something points at it */
			if (b->type == 0) {
				strbuf_addf(detail, "đối tượng %zu bị xóa", num);
				r = PDF_LATER_OTHER;
			} else if (!object_change_ok(&prev, whole, (int)num, detail)) {
				r = PDF_LATER_OTHER;
			}
		}
	}
	pdfdoc_release(&prev);
	strbuf_release(&err);
	strbuf_release(&tmp);
	return r;
}

/* ---- the incremental update -------------------------------------------- */

struct upd_obj {
	int num, gen;
	size_t off;
};

struct upd {
	struct strbuf *out;
	struct upd_obj *objs;
	size_t n, alloc;
};

static void obj_begin(struct upd *u, int num, int gen)
{
	if (u->n == u->alloc) {
		u->alloc = u->alloc ? 2 * u->alloc : 16;
		u->objs = xrealloc(u->objs, u->alloc * sizeof(*u->objs));
	}
	u->objs[u->n].num = num;
	u->objs[u->n].gen = gen;
	u->objs[u->n].off = u->out->len;
	u->n++;
	strbuf_addf(u->out, "%d %d obj\n", num, gen);
}

static void obj_end(struct upd *u)
{
	strbuf_addstr(u->out, "\nendobj\n");
}

static void put_raw(struct strbuf *out, const struct pdf_obj *o)
{
	strbuf_add(out, o->raw, o->rawlen);
}

/* dict again with key set to value (text; NULL: removed), twice at most. */
static void put_dict_with(struct strbuf *out, const struct pdf_obj *dict, const char *k1,
			  const char *v1, const char *k2, const char *v2)
{
	strbuf_addstr(out, "<<");
	for (size_t i = 0; dict && i < dict->n; i++) {
		const char *key = dict->items[2 * i].s;
		if ((k1 && !strcmp(key, k1)) || (k2 && !strcmp(key, k2)))
			continue;
		strbuf_addch(out, ' ');
		put_raw(out, &dict->items[2 * i]);
		strbuf_addch(out, ' ');
		put_raw(out, &dict->items[2 * i + 1]);
	}
	if (k1 && v1)
		strbuf_addf(out, " /%s %s", k1, v1);
	if (k2 && v2)
		strbuf_addf(out, " /%s %s", k2, v2);
	strbuf_addstr(out, " >>");
}

/* An array again with "N 0 R" added at its end. */
static char *array_plus(const struct pdf_obj *arr, int num)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addch(&sb, '[');
	for (size_t i = 0; arr && i < arr->n; i++) {
		put_raw(&sb, &arr->items[i]);
		strbuf_addch(&sb, ' ');
	}
	strbuf_addf(&sb, "%d 0 R]", num);
	return strbuf_detach(&sb);
}

static void put_hex(struct strbuf *out, const unsigned char *p, size_t n)
{
	strbuf_addch(out, '<');
	for (size_t i = 0; i < n; i++)
		strbuf_addf(out, "%02X", p[i]);
	strbuf_addch(out, '>');
}

/* Whether a DocMDP signature forbids every change (P 1). */
static bool docmdp_locked(struct pdfdoc *d, const struct pdf_obj *cat)
{
	const struct pdf_obj *perms = pdf_dict_get(cat, "Perms");
	struct pdf_obj tp = PDF_OBJ_INIT, ts = PDF_OBJ_INIT;
	struct strbuf err = STRBUF_INIT;
	bool locked = false;
	const struct pdf_obj *p = pdfdoc_resolve(d, perms, &tp, &err);
	const struct pdf_obj *s = p ? pdfdoc_resolve(d, pdf_dict_get(p, "DocMDP"), &ts, &err) : NULL;
	const struct pdf_obj *refs = s ? pdf_dict_get(s, "Reference") : NULL;
	for (size_t i = 0; refs && refs->kind == PDF_ARRAY && i < refs->n; i++) {
		const struct pdf_obj *r = &refs->items[i];
		if (r->kind != PDF_DICT || !pdf_is_name(pdf_dict_get(r, "TransformMethod"), "DocMDP"))
			continue;
		const struct pdf_obj *tparams = pdf_dict_get(r, "TransformParams");
		const struct pdf_obj *pv = pdf_dict_get(tparams, "P");
		if (pv && pv->kind == PDF_INT && pv->i == 1)
			locked = true;
	}
	pdf_obj_release(&tp);
	pdf_obj_release(&ts);
	strbuf_release(&err);
	return locked;
}

/* The smallest "SignatureN" no field of arr is called yet. */
static char *free_field_name(struct pdfdoc *d, const struct pdf_obj *arr)
{
	for (int k = 1;; k++) {
		char *want = xasprintf("Signature%d", k);
		bool used = false;
		for (size_t i = 0; arr && i < arr->n && !used; i++) {
			struct pdf_obj f = PDF_OBJ_INIT;
			struct strbuf err = STRBUF_INIT;
			const struct pdf_obj *fd = pdfdoc_resolve(d, &arr->items[i], &f, &err);
			const struct pdf_obj *t = fd ? pdf_dict_get(fd, "T") : NULL;
			if (t && t->kind == PDF_STRING) {
				char *name = pdf_text_to_utf8(t->s, t->n);
				used = !strcmp(name, want);
				free(name);
			}
			pdf_obj_release(&f);
			strbuf_release(&err);
		}
		if (!used)
			return want;
		free(want);
	}
}

static int cmp_objs(const void *a, const void *b)
{
	const struct upd_obj *x = a, *y = b;
	return x->num < y->num ? -1 : x->num > y->num;
}

static void put_xref(struct upd *u, struct pdfdoc *d, int next, const unsigned char *new_id)
{
	struct strbuf *out = u->out;
	struct strbuf trailer = STRBUF_INIT;
	strbuf_addf(&trailer, "/Root %d %d R", d->root, d->root_gen);
	if (d->info)
		strbuf_addf(&trailer, " /Info %d %d R", d->info, d->info_gen);
	strbuf_addstr(&trailer, " /ID [");
	if (d->id.kind == PDF_ARRAY)
		put_hex(&trailer, (const unsigned char *)d->id.items[0].s, d->id.items[0].n);
	else
		put_hex(&trailer, new_id, 16);
	put_hex(&trailer, new_id, 16);
	strbuf_addf(&trailer, "] /Prev %zu", d->startxref);

	size_t xref_at;
	if (d->xref_stream) {
		/* a cross-reference stream, as the original has; it lists itself */
		int self = next++;
		obj_begin(u, self, 0);
		xref_at = u->objs[u->n - 1].off;
	} else {
		xref_at = out->len;
	}
	/* sorted by number: runs of consecutive numbers make the subsections */
	struct upd_obj *o = u->objs;
	qsort(o, u->n, sizeof(*o), cmp_objs);
	struct strbuf index = STRBUF_INIT, rows = STRBUF_INIT;
	int wide = out->len >= 0xFFFFFFFFu ? 8 : 4;
	for (size_t i = 0; i < u->n;) {
		size_t j = i;
		while (j + 1 < u->n && o[j + 1].num == o[j].num + 1)
			j++;
		if (d->xref_stream) {
			strbuf_addf(&index, "%s%d %zu", index.len ? " " : "", o[i].num, j - i + 1);
			for (size_t k = i; k <= j; k++) {
				unsigned char row[11];
				row[0] = 1;
				for (int b = 0; b < wide; b++)
					row[1 + b] = (unsigned char)((unsigned long long)o[k].off >> (8 * (wide - 1 - b)));
				row[1 + wide] = (unsigned char)(o[k].gen >> 8);
				row[2 + wide] = (unsigned char)o[k].gen;
				strbuf_add(&rows, row, (size_t)(3 + wide));
			}
		} else {
			strbuf_addf(&rows, "%d %zu\n", o[i].num, j - i + 1);
			for (size_t k = i; k <= j; k++)
				strbuf_addf(&rows, "%010zu %05d n\r\n", o[k].off, o[k].gen);
		}
		i = j + 1;
	}
	long long size = d->size > next ? d->size : next;
	if (d->xref_stream) {
		strbuf_addf(out, "<< /Type /XRef /Size %lld /W [1 %d 2] /Index [%s] %s /Length %zu >>\nstream\n",
			    size, wide, index.buf, trailer.buf, rows.len);
		strbuf_add(out, rows.buf, rows.len);
		strbuf_addstr(out, "\nendstream");
		obj_end(u);
	} else {
		strbuf_addstr(out, "xref\n");
		strbuf_add(out, rows.buf, rows.len);
		strbuf_addf(out, "trailer\n<< /Size %lld %s >>\n", size, trailer.buf);
	}
	strbuf_addf(out, "startxref\n%zu\n%%%%EOF\n", xref_at);
	strbuf_release(&index);
	strbuf_release(&rows);
	strbuf_release(&trailer);
}

void pdf_sig_layout_release(struct pdf_sig_layout *lay)
{
	free(lay->field);
	lay->field = NULL;
}

int pdf_sig_prepare(struct pdfdoc *d, const struct pdf_sig_request *rq, struct strbuf *out,
		    struct pdf_sig_layout *lay, struct strbuf *err)
{
	struct pdf_obj cat = PDF_OBJ_INIT, page = PDF_OBJ_INIT, annots = PDF_OBJ_INIT;
	struct pdf_obj form = PDF_OBJ_INIT, fields = PDF_OBJ_INIT;
	struct pdfdoc_page pg;
	struct upd u = { .out = out };
	char *field = NULL, *arr = NULL;
	int rc = -1;
	memset(lay, 0, sizeof(*lay));
	if (d->encrypted) {
		strbuf_addstr(err, "tệp PDF được mã hóa (có mật khẩu): không ký được");
		return -1;
	}
	if (!rq->m || !rq->new_id || rq->contents_max < 64) {
		strbuf_addstr(err, "yêu cầu ký thiếu thời gian, mã tệp hoặc chỗ cho chữ ký");
		return -1;
	}
	if (pdfdoc_get(d, d->root, NULL, &cat, NULL, err) || cat.kind != PDF_DICT) {
		if (!err->len)
			strbuf_addstr(err, "tệp PDF hỏng: mục lục (/Root) không phải từ điển");
		goto out;
	}
	if (docmdp_locked(d, &cat)) {
		strbuf_addstr(err, "tệp PDF đã được chứng nhận với quyền không cho thay đổi (DocMDP P=1): "
				   "thêm chữ ký sẽ làm hỏng chữ ký đã có");
		goto out;
	}
	if (pdfdoc_page(d, rq->page, &pg, err))
		goto out;
	int page_gen = 0;
	if (pdfdoc_get(d, pg.num, &page_gen, &page, NULL, err) || page.kind != PDF_DICT) {
		if (!err->len)
			strbuf_addstr(err, "tệp PDF hỏng: trang không phải từ điển");
		goto out;
	}

	int next = (int)(d->size > (long long)d->nxref ? d->size : (long long)d->nxref);
	if (next < 1)
		next = 1;
	int sig = next++, widget = next++, ap = next++;
	bool visible = rq->rect[2] > rq->rect[0] && rq->rect[3] > rq->rect[1] && rq->image;
	int img = visible ? next++ : 0;

	/* the form: its fields, where the new one joins them */
	const struct pdf_obj *form_v = pdf_dict_get(&cat, "AcroForm");
	const struct pdf_obj *af = NULL;
	int form_num = 0, form_gen = 0;
	if (form_v && form_v->kind == PDF_REF) {
		form_num = (int)form_v->i;
		if (pdfdoc_get(d, form_num, &form_gen, &form, NULL, err) || form.kind != PDF_DICT) {
			if (!err->len)
				strbuf_addstr(err, "tệp PDF hỏng: /AcroForm không phải từ điển");
			goto out;
		}
		af = &form;
	} else if (form_v && form_v->kind == PDF_DICT) {
		af = form_v;
	}
	const struct pdf_obj *fields_v = af ? pdf_dict_get(af, "Fields") : NULL;
	const struct pdf_obj *fields_arr = NULL;
	int fields_num = 0, fields_gen = 0;
	if (fields_v && fields_v->kind == PDF_REF) {
		fields_num = (int)fields_v->i;
		if (pdfdoc_get(d, fields_num, &fields_gen, &fields, NULL, err) || fields.kind != PDF_ARRAY) {
			if (!err->len)
				strbuf_addstr(err, "tệp PDF hỏng: /Fields không phải mảng");
			goto out;
		}
		fields_arr = &fields;
	} else if (fields_v && fields_v->kind == PDF_ARRAY) {
		fields_arr = fields_v;
	}
	field = free_field_name(d, fields_arr);

	/* the page's annotations */
	const struct pdf_obj *annots_v = pdf_dict_get(&page, "Annots");
	int annots_num = 0, annots_gen = 0;
	if (annots_v && annots_v->kind == PDF_REF) {
		annots_num = (int)annots_v->i;
		if (pdfdoc_get(d, annots_num, &annots_gen, &annots, NULL, err) || annots.kind != PDF_ARRAY) {
			if (!err->len)
				strbuf_addstr(err, "tệp PDF hỏng: /Annots của trang không phải mảng");
			goto out;
		}
	}
	if ((annots_num && (annots_num == fields_num || annots_num == form_num)) ||
	    pg.num == d->root || pg.num == form_num) {
		strbuf_addstr(err, "tệp PDF có cấu trúc lạ (một đối tượng dùng cho hai vai): không ký được");
		goto out;
	}

	/* the original, then the update */
	strbuf_add(out, d->buf, d->len);
	if (d->len && d->buf[d->len - 1] != '\n' && d->buf[d->len - 1] != '\r')
		strbuf_addch(out, '\n');

	/* the signature dictionary */
	obj_begin(&u, sig, 0);
	strbuf_addstr(out, "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached\n"
			   "/ByteRange [0 ");
	size_t br_at = out->len;
	strbuf_addstr(out, "0000000000 0000000000 0000000000]\n/Contents <");
	lay->contents_at = out->len;
	lay->contents_hexlen = 2 * rq->contents_max;
	for (size_t i = 0; i < lay->contents_hexlen; i++)
		strbuf_addch(out, '0');
	strbuf_addstr(out, ">\n/M ");
	put_text(out, rq->m);
	const char *keys[] = { "Name", "Reason", "Location", "ContactInfo" };
	const char *vals[] = { rq->name, rq->reason, rq->location, rq->contact };
	for (int k = 0; k < 4; k++) {
		if (vals[k] && *vals[k]) {
			strbuf_addf(out, " /%s ", keys[k]);
			put_text(out, vals[k]);
		}
	}
	strbuf_addstr(out, " >>");
	obj_end(&u);

	/* the field, merged with its widget on the page */
	double r[4] = { 0, 0, 0, 0 };
	if (visible)
		memcpy(r, rq->rect, sizeof(r));
	obj_begin(&u, widget, 0);
	strbuf_addstr(out, "<< /Type /Annot /Subtype /Widget /FT /Sig /T ");
	put_text(out, field);
	strbuf_addf(out, " /V %d 0 R /F 132 /Rect [%.2f %.2f %.2f %.2f] /P %d %d R /AP << /N %d 0 R >> >>",
		    sig, r[0], r[1], r[2], r[3], pg.num, page_gen, ap);
	obj_end(&u);

	/* its appearance: the stamp's image, or nothing */
	obj_begin(&u, ap, 0);
	if (visible) {
		double w = r[2] - r[0], h = r[3] - r[1];
		char *content = xasprintf("q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q", w, h);
		strbuf_addf(out, "<< /Type /XObject /Subtype /Form /BBox [0 0 %.2f %.2f] "
				 "/Resources << /XObject << /Im0 %d 0 R >> >> /Length %zu >>\nstream\n%s\nendstream",
			    w, h, img, strlen(content), content);
		free(content);
	} else {
		strbuf_addstr(out, "<< /Type /XObject /Subtype /Form /BBox [0 0 0 0] /Length 0 >>\nstream\n\nendstream");
	}
	obj_end(&u);
	if (visible) {
		obj_begin(&u, img, 0);
		strbuf_addf(out, "<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s "
				 "/BitsPerComponent 8%s /Length %zu >>\nstream\n",
			    rq->image_w, rq->image_h, rq->image_components == 1 ? "/DeviceGray" : "/DeviceRGB",
			    rq->image_flate ? " /Filter /FlateDecode" : "", rq->image_len);
		strbuf_add(out, rq->image, rq->image_len);
		strbuf_addstr(out, "\nendstream");
		obj_end(&u);
	}

	/* the page lists the widget among its annotations */
	if (annots_num) {
		arr = array_plus(&annots, widget);
		obj_begin(&u, annots_num, annots_gen);
		strbuf_addstr(out, arr);
		obj_end(&u);
	} else {
		const struct pdf_obj *direct = annots_v && annots_v->kind == PDF_ARRAY ? annots_v : NULL;
		arr = array_plus(direct, widget);
		obj_begin(&u, pg.num, page_gen);
		put_dict_with(out, &page, "Annots", arr, NULL, NULL);
		obj_end(&u);
	}
	FREE(&arr);

	/* the form lists the field; signatures exist and the file is
	 * appended to only (SigFlags 3) */
	if (fields_num) {
		arr = array_plus(&fields, widget);
		obj_begin(&u, fields_num, fields_gen);
		strbuf_addstr(out, arr);
		obj_end(&u);
		FREE(&arr);
	} else {
		arr = array_plus(fields_arr, widget);
	}
	const struct pdf_obj *flags = af ? pdf_dict_get(af, "SigFlags") : NULL;
	bool flags_ok = flags && flags->kind == PDF_INT && flags->i == 3;
	if (form_num) {
		if (arr || !flags_ok) {
			obj_begin(&u, form_num, form_gen);
			put_dict_with(out, af, "SigFlags", "3", arr ? "Fields" : NULL, arr);
			obj_end(&u);
		}
	} else {
		/* a new form object (or the catalog's direct one, moved out) */
		int nf = next++;
		obj_begin(&u, nf, 0);
		put_dict_with(out, af, "SigFlags", "3", arr ? "Fields" : NULL, arr);
		obj_end(&u);
		char *ref = xasprintf("%d 0 R", nf);
		obj_begin(&u, d->root, d->root_gen);
		put_dict_with(out, &cat, "AcroForm", ref, NULL, NULL);
		obj_end(&u);
		free(ref);
	}
	FREE(&arr);

	put_xref(&u, d, next, rq->new_id);

	/* the byte range: everything but the hex string with its brackets */
	size_t lt = lay->contents_at - 1, gt = lay->contents_at + lay->contents_hexlen;
	lay->range[0] = 0;
	lay->range[1] = (long long)lt;
	lay->range[2] = (long long)gt + 1;
	lay->range[3] = (long long)(out->len - gt - 1);
	char nums[40];
	int k = snprintf(nums, sizeof(nums), "%lld %lld %lld]", lay->range[1], lay->range[2], lay->range[3]);
	if (k < 0 || (size_t)k > 33) {
		strbuf_addstr(err, "tệp PDF quá lớn để ký (hơn 10 GB)");
		goto out;
	}
	memset(out->buf + br_at, ' ', 33);
	memcpy(out->buf + br_at, nums, (size_t)k);
	lay->field = field;
	field = NULL;
	rc = 0;
out:
	free(field);
	free(arr);
	free(u.objs);
	pdf_obj_release(&cat);
	pdf_obj_release(&page);
	pdf_obj_release(&annots);
	pdf_obj_release(&form);
	pdf_obj_release(&fields);
	return rc;
}

int pdf_sig_fill(unsigned char *file, size_t len, const struct pdf_sig_layout *lay,
		 const unsigned char *cms, size_t n, struct strbuf *err)
{
	static const char hex[] = "0123456789abcdef";
	if (2 * n > lay->contents_hexlen || lay->contents_at + lay->contents_hexlen > len) {
		strbuf_addf(err, "chữ ký (%zu byte) không vừa chỗ dành cho nó (%zu byte)", n,
			    lay->contents_hexlen / 2);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		file[lay->contents_at + 2 * i] = (unsigned char)hex[cms[i] >> 4];
		file[lay->contents_at + 2 * i + 1] = (unsigned char)hex[cms[i] & 15];
	}
	return 0;
}
