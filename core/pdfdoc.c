/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The structure of a PDF file (ISO 32000-1, sections 7.2-7.5 and 7.7.3);
 * see pdfdoc.h. */
#include "core/pdfdoc.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* Nesting deeper than this is refused (a hostile file cannot exhaust the
 * stack); real files nest a few levels. */
#define MAX_DEPTH 64
/* The largest object number ISO 32000 allows. */
#define MAX_OBJNUM 8388607
/* Cross-reference sections followed along /Prev at most. */
#define MAX_SECTIONS 4096

struct pdf_objstm {
	int num;
	unsigned char *data;      /* decoded */
	size_t len;
	size_t first;
	int n;
	long long *nums, *offs;   /* n each */
};

static bool is_ws(unsigned char c)
{
	return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
}

static bool is_delim(unsigned char c)
{
	return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' ||
	       c == '}' || c == '/' || c == '%';
}

static bool is_regular(unsigned char c)
{
	return !is_ws(c) && !is_delim(c);
}

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void skip_ws(const unsigned char *b, size_t len, size_t *pos)
{
	size_t p = *pos;
	while (p < len) {
		if (is_ws(b[p])) {
			p++;
		} else if (b[p] == '%') {
			while (p < len && b[p] != '\n' && b[p] != '\r')
				p++;
		} else {
			break;
		}
	}
	*pos = p;
}

/* Whether the keyword kw stands at b[p] as a whole token. */
static bool keyword_at(const unsigned char *b, size_t len, size_t p, const char *kw)
{
	size_t n = strlen(kw);
	return p + n <= len && !memcmp(b + p, kw, n) && (p + n == len || !is_regular(b[p + n]));
}

void pdf_obj_release(struct pdf_obj *o)
{
	if (!o)
		return;
	size_t n = o->kind == PDF_DICT ? 2 * o->n : o->kind == PDF_ARRAY ? o->n : 0;
	for (size_t i = 0; i < n; i++)
		pdf_obj_release(&o->items[i]);
	free(o->items);
	free(o->s);
	struct pdf_obj empty = PDF_OBJ_INIT;
	*o = empty;
}

static int bad(struct strbuf *err, size_t base, size_t p, const char *what)
{
	if (base != (size_t)-1)
		strbuf_addf(err, "cấu trúc PDF hỏng ở byte %zu: %s", base + p, what);
	else
		strbuf_addf(err, "cấu trúc PDF hỏng trong một luồng đối tượng: %s", what);
	return -1;
}

/* An unsigned decimal integer at b[*pos] (no sign), at most 18 digits. */
static int read_uint(const unsigned char *b, size_t len, size_t *pos, long long *v)
{
	size_t p = *pos, d = 0;
	long long x = 0;
	while (p < len && b[p] >= '0' && b[p] <= '9') {
		if (++d > 18)
			return -1;
		x = x * 10 + (b[p] - '0');
		p++;
	}
	if (d == 0)
		return -1;
	*pos = p;
	*v = x;
	return 0;
}

static int parse_string(const unsigned char *b, size_t len, size_t *pos, struct strbuf *sb)
{
	size_t p = *pos + 1;
	int depth = 1;
	while (p < len) {
		unsigned char c = b[p++];
		if (c == '(') {
			depth++;
		} else if (c == ')') {
			if (--depth == 0) {
				*pos = p;
				return 0;
			}
		} else if (c == '\\') {
			if (p >= len)
				break;
			c = b[p++];
			switch (c) {
			case 'n': c = '\n'; break;
			case 'r': c = '\r'; break;
			case 't': c = '\t'; break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case '\r':
				if (p < len && b[p] == '\n')
					p++;
				continue;
			case '\n':
				continue;
			default:
				if (c >= '0' && c <= '7') {
					int v = c - '0';
					for (int k = 0; k < 2 && p < len && b[p] >= '0' && b[p] <= '7'; k++)
						v = v * 8 + (b[p++] - '0');
					c = (unsigned char)(v & 0xff);
				}
				break;
			}
		} else if (c == '\r') {
			if (p < len && b[p] == '\n')
				p++;
			c = '\n';
		}
		strbuf_addch(sb, (char)c);
	}
	return -1;
}

static int parse_hex(const unsigned char *b, size_t len, size_t *pos, struct strbuf *sb)
{
	size_t p = *pos + 1;
	int hi = -1;
	while (p < len) {
		unsigned char c = b[p++];
		if (c == '>') {
			if (hi >= 0)
				strbuf_addch(sb, (char)(hi << 4));
			*pos = p;
			return 0;
		}
		if (is_ws(c))
			continue;
		int v = hexval(c);
		if (v < 0)
			return -1;
		if (hi < 0) {
			hi = v;
		} else {
			strbuf_addch(sb, (char)(hi << 4 | v));
			hi = -1;
		}
	}
	return -1;
}

/* Appends item (moved) to a growing array of values. */
static void append(struct pdf_obj **items, size_t *n, size_t *alloc, struct pdf_obj *item)
{
	if (*n == *alloc) {
		*alloc = *alloc ? 2 * *alloc : 8;
		*items = xrealloc(*items, *alloc * sizeof(**items));
	}
	(*items)[(*n)++] = *item;
	struct pdf_obj empty = PDF_OBJ_INIT;
	*item = empty;
}

static int parse_at(const unsigned char *b, size_t len, size_t *pos, size_t base, int depth,
		    struct pdf_obj *out, struct strbuf *err);

static int parse_container(const unsigned char *b, size_t len, size_t *pos, size_t base, int depth,
			   bool dict, struct pdf_obj *out, struct strbuf *err)
{
	size_t p = *pos + (dict ? 2 : 1);
	struct pdf_obj *items = NULL;
	size_t n = 0, alloc = 0;
	for (;;) {
		skip_ws(b, len, &p);
		if (p >= len) {
			bad(err, base, p, dict ? "từ điển chưa đóng" : "mảng chưa đóng");
			goto fail;
		}
		if (dict && b[p] == '>' && p + 1 < len && b[p + 1] == '>') {
			p += 2;
			break;
		}
		if (!dict && b[p] == ']') {
			p++;
			break;
		}
		struct pdf_obj item = PDF_OBJ_INIT;
		if (dict && b[p] != '/') {
			bad(err, base, p, "khóa của từ điển không phải là tên");
			goto fail;
		}
		if (parse_at(b, len, &p, base, depth + 1, &item, err))
			goto fail;
		append(&items, &n, &alloc, &item);
		if (dict) {
			if (parse_at(b, len, &p, base, depth + 1, &item, err))
				goto fail;
			append(&items, &n, &alloc, &item);
		}
	}
	out->kind = dict ? PDF_DICT : PDF_ARRAY;
	out->items = items;
	out->n = dict ? n / 2 : n;
	*pos = p;
	return 0;
fail:
	for (size_t i = 0; i < n; i++)
		pdf_obj_release(&items[i]);
	free(items);
	return -1;
}

static int parse_number(const unsigned char *b, size_t len, size_t *pos, size_t base,
			struct pdf_obj *out, struct strbuf *err)
{
	size_t p = *pos, digits = 0;
	bool neg = false, dot = false;
	if (b[p] == '+' || b[p] == '-')
		neg = b[p++] == '-';
	long long iv = 0;
	double rv = 0, scale = 1;
	bool big = false;
	while (p < len && ((b[p] >= '0' && b[p] <= '9') || (b[p] == '.' && !dot))) {
		if (b[p] == '.') {
			dot = true;
		} else {
			int v = b[p] - '0';
			digits++;
			if (dot) {
				scale /= 10;
				rv += v * scale;
			} else {
				rv = rv * 10 + v;
				if (iv > (LLONG_MAX - 9) / 10)
					big = true;
				else
					iv = iv * 10 + v;
			}
		}
		p++;
	}
	if (digits == 0)
		return bad(err, base, *pos, "số không hợp lệ");
	out->kind = dot || big ? PDF_REAL : PDF_INT;
	out->i = neg ? -iv : iv;
	out->r = neg ? -rv : rv;
	*pos = p;
	return 0;
}

static int parse_at(const unsigned char *b, size_t len, size_t *pos, size_t base, int depth,
		    struct pdf_obj *out, struct strbuf *err)
{
	struct pdf_obj empty = PDF_OBJ_INIT;
	*out = empty;
	if (depth > MAX_DEPTH)
		return bad(err, base, *pos, "lồng nhau quá sâu");
	skip_ws(b, len, pos);
	size_t p = *pos;
	if (p >= len)
		return bad(err, base, p, "hết tệp giữa chừng");
	unsigned char c = b[p];
	struct strbuf sb = STRBUF_INIT;
	int rc = 0;
	if (c == '/') {
		p++;
		while (p < len && is_regular(b[p])) {
			/* #XX: the byte XX in hex; a '#' without two hex digits is itself */
			int hi = b[p] == '#' && p + 2 < len ? hexval(b[p + 1]) : -1;
			int lo = hi >= 0 ? hexval(b[p + 2]) : -1;
			if (lo >= 0) {
				strbuf_addch(&sb, (char)(hi << 4 | lo));
				p += 3;
			} else {
				strbuf_addch(&sb, (char)b[p++]);
			}
		}
		out->kind = PDF_NAME;
	} else if (c == '(') {
		if (parse_string(b, len, &p, &sb)) {
			strbuf_release(&sb);
			return bad(err, base, *pos, "chuỗi chưa đóng");
		}
		out->kind = PDF_STRING;
	} else if (c == '<' && p + 1 < len && b[p + 1] == '<') {
		rc = parse_container(b, len, &p, base, depth, true, out, err);
	} else if (c == '<') {
		if (parse_hex(b, len, &p, &sb)) {
			strbuf_release(&sb);
			return bad(err, base, *pos, "chuỗi hex hỏng");
		}
		out->kind = PDF_STRING;
	} else if (c == '[') {
		rc = parse_container(b, len, &p, base, depth, false, out, err);
	} else if (c == '+' || c == '-' || c == '.' || (c >= '0' && c <= '9')) {
		rc = parse_number(b, len, &p, base, out, err);
		if (!rc && out->kind == PDF_INT && out->i >= 0) {
			/* "N G R" is a reference */
			size_t q = p;
			long long g;
			skip_ws(b, len, &q);
			if (q > p && !read_uint(b, len, &q, &g) && g <= 65535) {
				size_t r = q;
				skip_ws(b, len, &r);
				if (r > q && keyword_at(b, len, r, "R")) {
					out->kind = PDF_REF;
					out->gen = (int)g;
					p = r + 1;
				}
			}
		}
	} else if (keyword_at(b, len, p, "true") || keyword_at(b, len, p, "false")) {
		out->kind = PDF_BOOL;
		out->i = c == 't';
		p += c == 't' ? 4 : 5;
	} else if (keyword_at(b, len, p, "null")) {
		out->kind = PDF_NULL;
		p += 4;
	} else {
		return bad(err, base, p, "không đọc được giá trị");
	}
	if (rc)
		return rc;
	if (out->kind == PDF_NAME || out->kind == PDF_STRING) {
		out->n = sb.len;
		out->s = sb.buf ? strbuf_detach(&sb) : xstrdup("");
	}
	out->raw = b + *pos;
	out->rawlen = p - *pos;
	out->at = base == (size_t)-1 ? (size_t)-1 : base + *pos;
	*pos = p;
	return 0;
}

int pdf_parse_value(const unsigned char *buf, size_t len, size_t *pos, size_t base,
		    struct pdf_obj *out, struct strbuf *err)
{
	return parse_at(buf, len, pos, base, 0, out, err);
}

const struct pdf_obj *pdf_dict_get(const struct pdf_obj *dict, const char *key)
{
	if (!dict || dict->kind != PDF_DICT)
		return NULL;
	for (size_t i = 0; i < dict->n; i++)
		if (pdf_is_name(&dict->items[2 * i], key))
			return &dict->items[2 * i + 1];
	return NULL;
}

bool pdf_is_name(const struct pdf_obj *o, const char *name)
{
	return o && o->kind == PDF_NAME && !strcmp(o->s, name);
}

bool pdf_obj_equal(const struct pdf_obj *a, const struct pdf_obj *b)
{
	bool anum = a->kind == PDF_INT || a->kind == PDF_REAL;
	bool bnum = b->kind == PDF_INT || b->kind == PDF_REAL;
	if (anum && bnum)
		return a->kind == PDF_INT && b->kind == PDF_INT ? a->i == b->i : a->r == b->r;
	if (a->kind != b->kind)
		return false;
	switch (a->kind) {
	case PDF_NULL:
		return true;
	case PDF_BOOL:
		return a->i == b->i;
	case PDF_REF:
		return a->i == b->i && a->gen == b->gen;
	case PDF_STRING:
	case PDF_NAME:
		return a->n == b->n && !memcmp(a->s, b->s, a->n);
	case PDF_ARRAY:
		if (a->n != b->n)
			return false;
		for (size_t i = 0; i < a->n; i++)
			if (!pdf_obj_equal(&a->items[i], &b->items[i]))
				return false;
		return true;
	case PDF_DICT:
		if (a->n != b->n)
			return false;
		for (size_t i = 0; i < a->n; i++) {
			const struct pdf_obj *v = pdf_dict_get(b, a->items[2 * i].s);
			if (!v || !pdf_obj_equal(&a->items[2 * i + 1], v))
				return false;
		}
		return true;
	default:
		return false;
	}
}

/* ---- the document ---------------------------------------------------- */

static int getnum(const struct pdf_obj *dict, const char *key, long long *v)
{
	const struct pdf_obj *o = pdf_dict_get(dict, key);
	if (!o || o->kind != PDF_INT)
		return -1;
	*v = o->i;
	return 0;
}

static void xref_reserve(struct pdfdoc *d, size_t n)
{
	if (n <= d->nxref)
		return;
	d->xref = xrealloc(d->xref, n * sizeof(*d->xref));
	memset(d->xref + d->nxref, 0, (n - d->nxref) * sizeof(*d->xref));
	d->nxref = n;
}

static void xref_set(struct pdfdoc *d, size_t num, int type, size_t off, unsigned gen)
{
	xref_reserve(d, num + 1);
	struct pdf_xref_entry *e = &d->xref[num];
	if (e->set)
		return; /* a newer section said it first */
	e->set = 1;
	e->type = (unsigned char)type;
	e->off = off;
	e->gen = gen;
}

/* The newest trailer's values win; an older one fills what it lacks. */
static void take_trailer(struct pdfdoc *d, const struct pdf_obj *t)
{
	const struct pdf_obj *o;
	long long v;
	if (d->size < 0 && !getnum(t, "Size", &v))
		d->size = v;
	if (!d->root && (o = pdf_dict_get(t, "Root")) && o->kind == PDF_REF) {
		d->root = (int)o->i;
		d->root_gen = o->gen;
	}
	if (!d->info && (o = pdf_dict_get(t, "Info")) && o->kind == PDF_REF) {
		d->info = (int)o->i;
		d->info_gen = o->gen;
	}
	if (d->id.kind == PDF_NULL && (o = pdf_dict_get(t, "ID")) && o->kind == PDF_ARRAY &&
	    o->n == 2 && o->items[0].kind == PDF_STRING && o->items[1].kind == PDF_STRING) {
		d->id.kind = PDF_ARRAY;
		d->id.n = 2;
		d->id.items = xcalloc(2, sizeof(*d->id.items));
		for (int k = 0; k < 2; k++) {
			struct pdf_obj *s = &d->id.items[k];
			s->kind = PDF_STRING;
			s->n = o->items[k].n;
			s->s = xmalloc(s->n + 1);
			memcpy(s->s, o->items[k].s, s->n + 1);
		}
	}
	if (pdf_dict_get(t, "Encrypt"))
		d->encrypted = true;
}

/* "N G obj" at *pos: the numbers, *pos after "obj". */
static int obj_header(const unsigned char *b, size_t len, size_t *pos, long long *num, long long *gen)
{
	size_t p = *pos;
	skip_ws(b, len, &p);
	if (read_uint(b, len, &p, num))
		return -1;
	size_t q = p;
	skip_ws(b, len, &p);
	if (p == q || read_uint(b, len, &p, gen))
		return -1;
	q = p;
	skip_ws(b, len, &p);
	if (p == q || !keyword_at(b, len, p, "obj"))
		return -1;
	*pos = p + 3;
	return 0;
}

static size_t find_bytes(const unsigned char *b, size_t from, size_t len, const char *s)
{
	size_t n = strlen(s);
	for (size_t p = from; p + n <= len; p++)
		if (b[p] == (unsigned char)s[0] && !memcmp(b + p, s, n))
			return p;
	return (size_t)-1;
}

/* The indirect object at file offset off: its value, and its stream as
 * stored. depth guards /Length references that loop. */
static int read_indirect(struct pdfdoc *d, size_t off, long long want, struct pdf_obj *out,
			 struct pdf_stream *stm, int depth, struct strbuf *err);

static int stream_length(struct pdfdoc *d, const struct pdf_obj *dict, int depth, long long *v,
			 struct strbuf *err)
{
	const struct pdf_obj *l = pdf_dict_get(dict, "Length");
	if (l && l->kind == PDF_INT) {
		*v = l->i;
		return 0;
	}
	if (l && l->kind == PDF_REF && depth < 4 && l->i > 0 && (size_t)l->i < d->nxref &&
	    d->xref[l->i].type == 1) {
		struct pdf_obj o = PDF_OBJ_INIT;
		int rc = read_indirect(d, d->xref[l->i].off, l->i, &o, NULL, depth + 1, err);
		if (!rc && o.kind == PDF_INT)
			*v = o.i;
		else
			rc = -1;
		pdf_obj_release(&o);
		return rc;
	}
	return -1;
}

static int read_indirect(struct pdfdoc *d, size_t off, long long want, struct pdf_obj *out,
			 struct pdf_stream *stm, int depth, struct strbuf *err)
{
	const unsigned char *b = d->buf;
	size_t len = d->len, p = off;
	long long num, gen;
	if (off >= len || obj_header(b, len, &p, &num, &gen))
		return bad(err, 0, off, "không thấy đầu đối tượng \"N G obj\"");
	if (want >= 0 && num != want) {
		strbuf_addf(err, "cấu trúc PDF hỏng: bảng xref chỉ đối tượng %lld tới byte %zu, nơi có đối tượng %lld",
			    want, off, num);
		return -1;
	}
	if (parse_at(b, len, &p, 0, 0, out, err))
		return -1;
	size_t q = p;
	skip_ws(b, len, &q);
	if (out->kind == PDF_DICT && keyword_at(b, len, q, "stream")) {
		q += 6;
		if (q < len && b[q] == '\r')
			q++;
		if (q < len && b[q] == '\n')
			q++;
		long long slen = -1;
		size_t end = (size_t)-1;
		if (!stream_length(d, out, depth, &slen, err) && slen >= 0 && (size_t)slen <= len - q) {
			size_t e = q + (size_t)slen;
			skip_ws(b, len, &e);
			if (keyword_at(b, len, e, "endstream"))
				end = q + (size_t)slen;
		}
		if (end == (size_t)-1) {
			/* a wrong /Length: the data runs to "endstream", less its EOL */
			strbuf_reset(err);
			size_t e = find_bytes(b, q, len, "endstream");
			if (e == (size_t)-1) {
				pdf_obj_release(out);
				return bad(err, 0, q, "luồng không có endstream");
			}
			end = e;
			if (end > q && b[end - 1] == '\n')
				end--;
			if (end > q && b[end - 1] == '\r')
				end--;
		}
		if (stm) {
			stm->data = b + q;
			stm->len = end - q;
			stm->present = true;
		}
	} else if (stm) {
		stm->data = NULL;
		stm->len = 0;
		stm->present = false;
	}
	return 0;
}

/* PNG predictors (ISO 32000-1, 7.4.4.4) over rows of `columns` bytes. */
static int unpredict(struct strbuf *data, long long predictor, long long columns, long long colors,
		     long long bpc, struct strbuf *err)
{
	if (predictor == 1)
		return 0;
	if (predictor < 10 || columns <= 0 || columns > 1 << 20 || colors <= 0 || colors > 32 ||
	    bpc <= 0 || bpc > 16) {
		strbuf_addf(err, "bộ dự đoán (Predictor %lld) của luồng PDF không được hỗ trợ", predictor);
		return -1;
	}
	size_t bpp = (size_t)((colors * bpc + 7) / 8);
	size_t row = (size_t)((columns * colors * bpc + 7) / 8);
	size_t rows = data->len / (row + 1);
	unsigned char *in = (unsigned char *)data->buf, *outb = xcalloc(rows * row + 1, 1);
	for (size_t r = 0; r < rows; r++) {
		unsigned char ft = in[r * (row + 1)];
		const unsigned char *src = in + r * (row + 1) + 1;
		unsigned char *dst = outb + r * row;
		const unsigned char *up = r ? dst - row : NULL;
		for (size_t i = 0; i < row; i++) {
			unsigned a = i >= bpp ? dst[i - bpp] : 0;
			unsigned u = up ? up[i] : 0;
			unsigned c = up && i >= bpp ? up[i - bpp] : 0;
			unsigned v = src[i];
			switch (ft) {
			case 0: break;
			case 1: v += a; break;
			case 2: v += u; break;
			case 3: v += (a + u) / 2; break;
			case 4: {
				int pa = abs((int)u - (int)c), pb = abs((int)a - (int)c),
				    pc = abs((int)a + (int)u - 2 * (int)c);
				v += pa <= pb && pa <= pc ? a : pb <= pc ? u : c;
				break;
			}
			default:
				free(outb);
				strbuf_addf(err, "dữ liệu dự đoán PNG hỏng (bộ lọc %u)", ft);
				return -1;
			}
			dst[i] = (unsigned char)v;
		}
	}
	strbuf_reset(data);
	strbuf_add(data, outb, rows * row);
	free(outb);
	return 0;
}

int pdfdoc_decode(struct pdfdoc *d, const struct pdf_obj *dict, const struct pdf_stream *s,
	       struct strbuf *out, struct strbuf *err)
{
	const struct pdf_obj *f = pdf_dict_get(dict, "Filter");
	const struct pdf_obj *parms = pdf_dict_get(dict, "DecodeParms");
	if (f && f->kind == PDF_ARRAY && f->n == 1) {
		f = &f->items[0];
		if (parms && parms->kind == PDF_ARRAY)
			parms = parms->n == 1 ? &parms->items[0] : NULL;
	}
	if (!f || (f->kind == PDF_ARRAY && f->n == 0)) {
		strbuf_add(out, s->data, s->len);
		return 0;
	}
	if (!pdf_is_name(f, "FlateDecode")) {
		strbuf_addf(err, "bộ lọc luồng PDF %s%s không được hỗ trợ", f->kind == PDF_NAME ? "/" : "",
			    f->kind == PDF_NAME ? f->s : "(nhiều bộ lọc)");
		return -1;
	}
	if (!d->inflate) {
		strbuf_addstr(err, "tệp PDF có luồng nén mà không có hàm giải nén");
		return -1;
	}
	if (d->inflate(s->data, s->len, out, err))
		return -1;
	if (parms && parms->kind == PDF_DICT) {
		long long pred = 1, cols = 1, colors = 1, bpc = 8;
		getnum(parms, "Predictor", &pred);
		getnum(parms, "Columns", &cols);
		getnum(parms, "Colors", &colors);
		getnum(parms, "BitsPerComponent", &bpc);
		return unpredict(out, pred, cols, colors, bpc, err);
	}
	return 0;
}

/* Big-endian field of w bytes (w may be 0: the default def). */
static unsigned long long field(const unsigned char *p, long long w, unsigned long long def)
{
	if (w == 0)
		return def;
	unsigned long long v = 0;
	for (long long i = 0; i < w; i++)
		v = v << 8 | p[i];
	return v;
}

/* A cross-reference stream at off: its entries; *dict gets its dictionary. */
static int read_xref_stream(struct pdfdoc *d, size_t off, struct pdf_obj *dict, struct strbuf *err)
{
	struct pdf_stream s;
	struct strbuf data = STRBUF_INIT;
	int rc = -1;
	if (read_indirect(d, off, -1, dict, &s, 0, err))
		return -1;
	if (!pdf_is_name(pdf_dict_get(dict, "Type"), "XRef") || !s.present) {
		bad(err, 0, off, "không phải bảng xref cũng không phải luồng xref");
		goto out;
	}
	const struct pdf_obj *w = pdf_dict_get(dict, "W"), *index = pdf_dict_get(dict, "Index");
	long long size;
	if (getnum(dict, "Size", &size) || size < 0 || size > MAX_OBJNUM + 1 || !w ||
	    w->kind != PDF_ARRAY || w->n != 3) {
		bad(err, 0, off, "luồng xref thiếu /Size hoặc /W");
		goto out;
	}
	long long ws[3], rowlen = 0;
	for (int k = 0; k < 3; k++) {
		if (w->items[k].kind != PDF_INT || w->items[k].i < 0 || w->items[k].i > 8) {
			bad(err, 0, off, "/W của luồng xref không hợp lệ");
			goto out;
		}
		ws[k] = w->items[k].i;
		rowlen += ws[k];
	}
	if (rowlen == 0) {
		bad(err, 0, off, "/W của luồng xref không hợp lệ");
		goto out;
	}
	if (pdfdoc_decode(d, dict, &s, &data, err))
		goto out;
	const unsigned char *p = (const unsigned char *)data.buf;
	size_t left = data.len / (size_t)rowlen;
	size_t nidx = index && index->kind == PDF_ARRAY ? index->n / 2 : 1;
	for (size_t k = 0; k < nidx; k++) {
		long long start = 0, count = size;
		if (index && index->kind == PDF_ARRAY) {
			if (index->items[2 * k].kind != PDF_INT || index->items[2 * k + 1].kind != PDF_INT) {
				bad(err, 0, off, "/Index của luồng xref không hợp lệ");
				goto out;
			}
			start = index->items[2 * k].i;
			count = index->items[2 * k + 1].i;
		}
		if (start < 0 || count < 0 || start + count > MAX_OBJNUM + 1 || (size_t)count > left) {
			bad(err, 0, off, "/Index của luồng xref vượt dữ liệu");
			goto out;
		}
		for (long long i = 0; i < count; i++, p += rowlen, left--) {
			unsigned long long t = field(p, ws[0], 1), f2 = field(p + ws[0], ws[1], 0),
					   f3 = field(p + ws[0] + ws[1], ws[2], 0);
			if (t == 1)
				xref_set(d, (size_t)(start + i), 1, (size_t)f2, (unsigned)f3);
			else if (t == 2)
				xref_set(d, (size_t)(start + i), 2, (size_t)f2, (unsigned)f3);
			else
				xref_set(d, (size_t)(start + i), 0, 0, 0);
		}
	}
	rc = 0;
out:
	strbuf_release(&data);
	if (rc)
		pdf_obj_release(dict);
	return rc;
}

/* A classic table at *pos ("xref" already seen), up to "trailer". */
static int read_xref_table(struct pdfdoc *d, size_t *pos, struct strbuf *err)
{
	const unsigned char *b = d->buf;
	size_t len = d->len, p = *pos;
	for (;;) {
		skip_ws(b, len, &p);
		if (keyword_at(b, len, p, "trailer")) {
			*pos = p + 7;
			return 0;
		}
		long long start, count;
		if (read_uint(b, len, &p, &start))
			return bad(err, 0, p, "bảng xref hỏng");
		skip_ws(b, len, &p);
		if (read_uint(b, len, &p, &count) || start + count > MAX_OBJNUM + 1 ||
		    (size_t)count > (len - p) / 18)
			return bad(err, 0, p, "bảng xref hỏng");
		for (long long i = 0; i < count; i++) {
			long long off, gen;
			skip_ws(b, len, &p);
			if (read_uint(b, len, &p, &off))
				return bad(err, 0, p, "dòng của bảng xref hỏng");
			skip_ws(b, len, &p);
			if (read_uint(b, len, &p, &gen))
				return bad(err, 0, p, "dòng của bảng xref hỏng");
			skip_ws(b, len, &p);
			if (p >= len || (b[p] != 'n' && b[p] != 'f'))
				return bad(err, 0, p, "dòng của bảng xref hỏng");
			if (b[p] == 'n')
				xref_set(d, (size_t)(start + i), 1, (size_t)off, (unsigned)gen);
			else
				xref_set(d, (size_t)(start + i), 0, 0, (unsigned)gen);
			p++;
		}
	}
}

/* The offset after the last "startxref". */
static int find_startxref(const unsigned char *b, size_t len, size_t *off, struct strbuf *err)
{
	const char kw[] = "startxref";
	size_t n = sizeof(kw) - 1;
	for (size_t p = len >= n ? len - n + 1 : 0; p-- > 0;) {
		if (b[p] != 's' || memcmp(b + p, kw, n))
			continue;
		size_t q = p + n;
		long long v;
		skip_ws(b, len, &q);
		if (read_uint(b, len, &q, &v) || (size_t)v >= len) {
			strbuf_addstr(err, "tệp PDF hỏng: startxref không chỉ tới đâu trong tệp");
			return -1;
		}
		*off = (size_t)v;
		return 0;
	}
	strbuf_addstr(err, "tệp PDF hỏng hoặc bị cắt: không có startxref ở cuối tệp");
	return -1;
}

int pdfdoc_open(struct pdfdoc *d, const unsigned char *buf, size_t len, pdf_inflate_fn inflate,
	     struct strbuf *err)
{
	memset(d, 0, sizeof(*d));
	struct pdf_obj empty = PDF_OBJ_INIT;
	d->id = empty;
	d->buf = buf;
	d->len = len;
	d->inflate = inflate;
	d->size = -1;
	if (len < 8 || memcmp(buf, "%PDF-", 5)) {
		strbuf_addstr(err, "không phải tệp PDF (không bắt đầu bằng %PDF-)");
		return -1;
	}
	size_t off;
	if (find_startxref(buf, len, &off, err))
		return -1;
	d->startxref = off;
	size_t seen[64];
	for (int k = 0;; k++) {
		if (k >= MAX_SECTIONS) {
			strbuf_addstr(err, "tệp PDF hỏng: chuỗi /Prev của bảng xref quá dài");
			return -1;
		}
		/* a /Prev that loops back */
		for (int j = 0; j < k && j < 64; j++)
			if (seen[j] == off) {
				strbuf_addstr(err, "tệp PDF hỏng: /Prev của bảng xref quay vòng");
				return -1;
			}
		if (k < 64)
			seen[k] = off;
		struct pdf_obj trailer = PDF_OBJ_INIT;
		size_t p = off;
		skip_ws(buf, len, &p);
		if (keyword_at(buf, len, p, "xref")) {
			p += 4;
			if (read_xref_table(d, &p, err) || parse_at(buf, len, &p, 0, 0, &trailer, err))
				return -1;
			if (trailer.kind != PDF_DICT) {
				pdf_obj_release(&trailer);
				return bad(err, 0, p, "trailer không phải từ điển");
			}
			long long stm;
			if (!getnum(&trailer, "XRefStm", &stm)) {
				/* a hybrid file: the stream's entries, after the table's */
				struct pdf_obj sd = PDF_OBJ_INIT;
				if (stm < 0 || (size_t)stm >= len || read_xref_stream(d, (size_t)stm, &sd, err)) {
					pdf_obj_release(&trailer);
					return -1;
				}
				pdf_obj_release(&sd);
			}
		} else {
			if (read_xref_stream(d, p, &trailer, err))
				return -1;
			if (k == 0)
				d->xref_stream = true;
		}
		d->sections++;
		take_trailer(d, &trailer);
		long long prev;
		int more = !getnum(&trailer, "Prev", &prev);
		pdf_obj_release(&trailer);
		if (!more)
			break;
		if (prev < 0 || (size_t)prev >= len) {
			strbuf_addstr(err, "tệp PDF hỏng: /Prev chỉ ra ngoài tệp");
			return -1;
		}
		off = (size_t)prev;
	}
	if (!d->root) {
		strbuf_addstr(err, "tệp PDF hỏng: trailer không có /Root");
		return -1;
	}
	return 0;
}

void pdfdoc_release(struct pdfdoc *d)
{
	for (size_t i = 0; i < d->nstms; i++) {
		free(d->stms[i].data);
		free(d->stms[i].nums);
		free(d->stms[i].offs);
	}
	free(d->stms);
	free(d->xref);
	pdf_obj_release(&d->id);
	memset(d, 0, sizeof(*d));
}

static struct pdf_objstm *load_objstm(struct pdfdoc *d, int num, struct strbuf *err)
{
	for (size_t i = 0; i < d->nstms; i++)
		if (d->stms[i].num == num)
			return &d->stms[i];
	if (num <= 0 || (size_t)num >= d->nxref || d->xref[num].type != 1) {
		strbuf_addf(err, "tệp PDF hỏng: luồng đối tượng %d không có", num);
		return NULL;
	}
	struct pdf_obj dict = PDF_OBJ_INIT;
	struct pdf_stream s;
	struct strbuf data = STRBUF_INIT;
	struct pdf_objstm st = { .num = num };
	long long n, first;
	if (read_indirect(d, d->xref[num].off, num, &dict, &s, 0, err))
		return NULL;
	if (!s.present || getnum(&dict, "N", &n) || getnum(&dict, "First", &first) || n < 0 ||
	    first < 0 || n > MAX_OBJNUM) {
		strbuf_addf(err, "tệp PDF hỏng: luồng đối tượng %d thiếu /N hoặc /First", num);
		goto fail;
	}
	if (pdfdoc_decode(d, &dict, &s, &data, err))
		goto fail;
	if ((size_t)first > data.len) {
		strbuf_addf(err, "tệp PDF hỏng: /First của luồng đối tượng %d vượt dữ liệu", num);
		goto fail;
	}
	st.len = data.len;
	st.data = (unsigned char *)strbuf_detach(&data);
	st.first = (size_t)first;
	st.n = (int)n;
	st.nums = xcalloc((size_t)n + 1, sizeof(*st.nums));
	st.offs = xcalloc((size_t)n + 1, sizeof(*st.offs));
	size_t p = 0;
	for (long long i = 0; i < n; i++) {
		skip_ws(st.data, st.first, &p);
		if (read_uint(st.data, st.first, &p, &st.nums[i]))
			goto bad_header;
		skip_ws(st.data, st.first, &p);
		if (read_uint(st.data, st.first, &p, &st.offs[i]) ||
		    (size_t)st.offs[i] > st.len - st.first)
			goto bad_header;
	}
	pdf_obj_release(&dict);
	if (d->nstms == d->stms_alloc) {
		d->stms_alloc = d->stms_alloc ? 2 * d->stms_alloc : 4;
		d->stms = xrealloc(d->stms, d->stms_alloc * sizeof(*d->stms));
	}
	d->stms[d->nstms] = st;
	return &d->stms[d->nstms++];
bad_header:
	strbuf_addf(err, "tệp PDF hỏng: đầu luồng đối tượng %d", num);
fail:
	free(st.data);
	free(st.nums);
	free(st.offs);
	strbuf_release(&data);
	pdf_obj_release(&dict);
	return NULL;
}

int pdfdoc_get(struct pdfdoc *d, int num, int *gen, struct pdf_obj *out, struct pdf_stream *stm,
	    struct strbuf *err)
{
	struct pdf_obj empty = PDF_OBJ_INIT;
	*out = empty;
	if (stm)
		memset(stm, 0, sizeof(*stm));
	if (num <= 0 || (size_t)num >= d->nxref || d->xref[num].type == 0) {
		strbuf_addf(err, "tệp PDF hỏng: không có đối tượng %d", num);
		return -1;
	}
	const struct pdf_xref_entry *e = &d->xref[num];
	if (e->type == 1) {
		if (gen)
			*gen = (int)e->gen;
		return read_indirect(d, e->off, num, out, stm, 0, err);
	}
	struct pdf_objstm *st = load_objstm(d, (int)e->off, err);
	if (!st)
		return -1;
	if (e->gen >= (unsigned)st->n || st->nums[e->gen] != num) {
		strbuf_addf(err, "tệp PDF hỏng: đối tượng %d không ở chỗ bảng xref nói", num);
		return -1;
	}
	size_t p = st->first + (size_t)st->offs[e->gen];
	if (gen)
		*gen = 0;
	return parse_at(st->data, st->len, &p, (size_t)-1, 0, out, err);
}

const struct pdf_obj *pdfdoc_resolve(struct pdfdoc *d, const struct pdf_obj *o, struct pdf_obj *tmp,
				  struct strbuf *err)
{
	if (!o)
		return NULL;
	if (o->kind != PDF_REF)
		return o;
	pdf_obj_release(tmp);
	if (pdfdoc_get(d, (int)o->i, NULL, tmp, NULL, err))
		return NULL;
	return tmp;
}

/* ---- pages ------------------------------------------------------------ */

static int read_box(struct pdfdoc *d, const struct pdf_obj *v, double box[4], struct strbuf *err)
{
	struct pdf_obj tmp = PDF_OBJ_INIT;
	const struct pdf_obj *a = pdfdoc_resolve(d, v, &tmp, err);
	int rc = -1;
	if (a && a->kind == PDF_ARRAY && a->n == 4) {
		rc = 0;
		for (int k = 0; k < 4; k++) {
			if (a->items[k].kind != PDF_INT && a->items[k].kind != PDF_REAL)
				rc = -1;
			box[k] = a->items[k].r;
		}
	}
	pdf_obj_release(&tmp);
	return rc;
}

struct walk {
	int want, seen, visited;
	struct pdfdoc_page *pg;
	bool found;
};

static int walk_pages(struct pdfdoc *d, const struct pdf_obj *node_ref, struct walk *w, int depth,
		      double box[4], bool have_box, int rotate, struct strbuf *err)
{
	if (depth > MAX_DEPTH || ++w->visited > 1000000) {
		strbuf_addstr(err, "tệp PDF hỏng: cây trang lồng quá sâu hoặc quay vòng");
		return -1;
	}
	if (!node_ref || node_ref->kind != PDF_REF) {
		strbuf_addstr(err, "tệp PDF hỏng: một nút của cây trang không phải tham chiếu");
		return -1;
	}
	struct pdf_obj node = PDF_OBJ_INIT;
	int gen = 0;
	if (pdfdoc_get(d, (int)node_ref->i, &gen, &node, NULL, err))
		return -1;
	int rc = 0;
	double mybox[4];
	memcpy(mybox, box, sizeof(mybox));
	if (!read_box(d, pdf_dict_get(&node, "CropBox"), mybox, err) ||
	    !read_box(d, pdf_dict_get(&node, "MediaBox"), mybox, err))
		have_box = true;
	strbuf_reset(err);
	const struct pdf_obj *r = pdf_dict_get(&node, "Rotate");
	if (r && r->kind == PDF_INT)
		rotate = (int)(((r->i % 360) + 360) % 360);
	const struct pdf_obj *kids = pdf_dict_get(&node, "Kids");
	const struct pdf_obj *type = pdf_dict_get(&node, "Type");
	if (node.kind != PDF_DICT) {
		strbuf_addstr(err, "tệp PDF hỏng: một nút của cây trang không phải từ điển");
		rc = -1;
	} else if (!pdf_is_name(type, "Pages") && (pdf_is_name(type, "Page") || !kids)) {
		if (w->seen == w->want) {
			w->found = true;
			w->pg->num = (int)node_ref->i;
			w->pg->gen = gen;
			memcpy(w->pg->box, mybox, sizeof(mybox));
			if (!have_box) {
				/* A4 when no box is given anywhere */
				w->pg->box[0] = w->pg->box[1] = 0;
				w->pg->box[2] = 595;
				w->pg->box[3] = 842;
			}
			w->pg->rotate = rotate;
		}
		w->seen++;
	} else {
		struct pdf_obj tmp = PDF_OBJ_INIT;
		const struct pdf_obj *k = pdfdoc_resolve(d, kids, &tmp, err);
		if (!k || k->kind != PDF_ARRAY) {
			if (k)
				strbuf_addstr(err, "tệp PDF hỏng: /Kids của cây trang không phải mảng");
			rc = -1;
		}
		for (size_t i = 0; !rc && k && i < k->n; i++) {
			long long count;
			/* whole subtrees before (or after) the page wanted: their /Count */
			struct pdf_obj kid = PDF_OBJ_INIT;
			if (k->items[i].kind == PDF_REF &&
			    !pdfdoc_get(d, (int)k->items[i].i, NULL, &kid, NULL, err) &&
			    pdf_is_name(pdf_dict_get(&kid, "Type"), "Pages") &&
			    !getnum(&kid, "Count", &count) && count >= 0 && count < 1000000 &&
			    (w->want < 0 || w->found || w->seen + count <= w->want)) {
				w->seen += (int)count;
				pdf_obj_release(&kid);
				continue;
			}
			pdf_obj_release(&kid);
			strbuf_reset(err);
			rc = walk_pages(d, &k->items[i], w, depth + 1, mybox, have_box, rotate, err);
		}
		pdf_obj_release(&tmp);
	}
	pdf_obj_release(&node);
	return rc;
}

int pdfdoc_page(struct pdfdoc *d, int index, struct pdfdoc_page *pg, struct strbuf *err)
{
	struct pdf_obj cat = PDF_OBJ_INIT;
	memset(pg, 0, sizeof(*pg));
	if (pdfdoc_get(d, d->root, NULL, &cat, NULL, err))
		return -1;
	const struct pdf_obj *pages = pdf_dict_get(&cat, "Pages");
	struct walk w = { .want = index, .pg = pg };
	double box[4] = { 0, 0, 595, 842 };
	int rc = -1;
	if (!pages)
		strbuf_addstr(err, "tệp PDF hỏng: mục lục không có /Pages");
	else
		rc = walk_pages(d, pages, &w, 0, box, false, 0, err);
	pdf_obj_release(&cat);
	if (rc)
		return -1;
	pg->count = w.seen;
	if (index >= 0 && !w.found) {
		strbuf_addf(err, "tệp PDF chỉ có %d trang, không có trang %d", w.seen, index + 1);
		return -1;
	}
	return 0;
}
