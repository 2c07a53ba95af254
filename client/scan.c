/* SANE scanning; see scan.h. */
#include "client/scan.h"

#include <ctype.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sane/sane.h>
#include <sane/saneopts.h>

#define A4_W_MM 210.0
#define A4_H_MM 297.0
#define READ_CHUNK (64 * 1024)

struct scanner {
	SANE_Handle h;
	char *name;
	bool threshold;          /* grey from the device, black-and-white kept */
	atomic_bool cancelled;
};

/* ---- SANE, reference-counted ---- */

static pthread_mutex_t sane_lock = PTHREAD_MUTEX_INITIALIZER;
static int sane_users;

static const char *status_vn(SANE_Status st)
{
	switch (st) {
	case SANE_STATUS_GOOD: return "không có lỗi";
	case SANE_STATUS_UNSUPPORTED: return "máy quét không hỗ trợ thao tác này";
	case SANE_STATUS_CANCELLED: return "đã hủy";
	case SANE_STATUS_DEVICE_BUSY: return "máy quét đang bận (một chương trình khác đang dùng)";
	case SANE_STATUS_INVAL: return "thiết lập không hợp lệ";
	case SANE_STATUS_EOF: return "hết dữ liệu";
	case SANE_STATUS_JAMMED: return "kẹt giấy trong khay nạp";
	case SANE_STATUS_NO_DOCS: return "khay nạp giấy không có giấy";
	case SANE_STATUS_COVER_OPEN: return "nắp máy quét đang mở";
	case SANE_STATUS_IO_ERROR: return "mất liên lạc với máy quét (lỗi vào/ra)";
	case SANE_STATUS_NO_MEM: return "máy quét hết bộ nhớ";
	case SANE_STATUS_ACCESS_DENIED: return "không có quyền dùng máy quét";
	}
	return sane_strstatus(st);
}

static void ignore_sigpipe(void)
{
	struct sigaction sa;
	if (sigaction(SIGPIPE, NULL, &sa) == 0 && sa.sa_handler == SIG_DFL &&
	    !(sa.sa_flags & SA_SIGINFO))
		signal(SIGPIPE, SIG_IGN);
}

static int sane_up(struct strbuf *err)
{
	int rc = 0;
	pthread_mutex_lock(&sane_lock);
	if (sane_users == 0) {
		SANE_Int version = 0;
		SANE_Status st = sane_init(&version, NULL);
		if (st != SANE_STATUS_GOOD) {
			strbuf_addf(err, "không khởi động được SANE (trình điều khiển máy quét): %s",
				    status_vn(st));
			rc = -1;
		}
	}
	if (!rc)
		sane_users++;
	pthread_mutex_unlock(&sane_lock);
	ignore_sigpipe();
	return rc;
}

static void sane_down(void)
{
	pthread_mutex_lock(&sane_lock);
	if (sane_users > 0 && --sane_users == 0)
		sane_exit();
	pthread_mutex_unlock(&sane_lock);
}

/* ---- devices ---- */

static char *dup_or_empty(const char *s)
{
	return xstrdup(s ? s : "");
}

int scan_list_devices(struct scan_device_list *out, struct strbuf *err)
{
	const SANE_Device **list = NULL;

	out->v = NULL;
	out->n = 0;
	if (sane_up(err))
		return -1;
	SANE_Status st = sane_get_devices(&list, SANE_FALSE);
	if (st != SANE_STATUS_GOOD) {
		strbuf_addf(err, "không liệt kê được máy quét: %s", status_vn(st));
		sane_down();
		return -1;
	}
	size_t n = 0;
	while (list && list[n])
		n++;
	out->v = xcalloc(n ? n : 1, sizeof(*out->v));
	for (size_t i = 0; i < n; i++) {
		out->v[i].name = dup_or_empty(list[i]->name);
		out->v[i].vendor = dup_or_empty(list[i]->vendor);
		out->v[i].model = dup_or_empty(list[i]->model);
		out->v[i].type = dup_or_empty(list[i]->type);
	}
	out->n = n;
	sane_down();
	return 0;
}

void scan_device_list_release(struct scan_device_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].name);
		free(l->v[i].vendor);
		free(l->v[i].model);
		free(l->v[i].type);
	}
	FREE(&l->v);
	l->n = 0;
}

const char *scan_source_name(enum scan_source s)
{
	return s == SCAN_ADF ? "adf" : "flatbed";
}

int scan_source_parse(const char *name)
{
	if (!strcmp(name, "flatbed"))
		return SCAN_FLATBED;
	if (!strcmp(name, "adf"))
		return SCAN_ADF;
	return -1;
}

int scan_open(struct scanner **out, const char *device, bool *bad, struct strbuf *err)
{
	SANE_Handle h = NULL;

	*out = NULL;
	if (bad)
		*bad = false;
	if (!device || !*device) {
		strbuf_addstr(err, "chưa chọn máy quét");
		if (bad)
			*bad = true;
		return -1;
	}
	if (sane_up(err))
		return -1;
	SANE_Status st = sane_open(device, &h);
	if (st != SANE_STATUS_GOOD) {
		if (st == SANE_STATUS_INVAL) {
			strbuf_addf(err, "không tìm thấy máy quét «%s» (xem: motcua scan --list)", device);
			if (bad)
				*bad = true;
		} else {
			strbuf_addf(err, "không mở được máy quét «%s»: %s", device, status_vn(st));
		}
		sane_down();
		return -1;
	}
	struct scanner *s = xcalloc(1, sizeof(*s));
	s->h = h;
	s->name = xstrdup(device);
	atomic_init(&s->cancelled, false);
	*out = s;
	return 0;
}

void scan_close(struct scanner *s)
{
	if (!s)
		return;
	sane_close(s->h);
	free(s->name);
	free(s);
	sane_down();
}

void scan_cancel(struct scanner *s)
{
	atomic_store(&s->cancelled, true);
	sane_cancel(s->h);
}

/* ---- options ---- */

static SANE_Int find_option(struct scanner *s, const char *name,
			    const SANE_Option_Descriptor **out)
{
	SANE_Int count = 0;
	if (sane_control_option(s->h, 0, SANE_ACTION_GET_VALUE, &count, NULL) != SANE_STATUS_GOOD)
		return -1;
	for (SANE_Int i = 1; i < count; i++) {
		const SANE_Option_Descriptor *d = sane_get_option_descriptor(s->h, i);
		if (d && d->name && !strcmp(d->name, name)) {
			*out = d;
			return i;
		}
	}
	return -1;
}

static bool usable(const SANE_Option_Descriptor *d)
{
	return SANE_OPTION_IS_ACTIVE(d->cap) && SANE_OPTION_IS_SETTABLE(d->cap);
}

static SANE_Status set_word(struct scanner *s, SANE_Int i, SANE_Word w)
{
	return sane_control_option(s->h, i, SANE_ACTION_SET_VALUE, &w, NULL);
}

static SANE_Status get_word(struct scanner *s, SANE_Int i, SANE_Word *w)
{
	return sane_control_option(s->h, i, SANE_ACTION_GET_VALUE, w, NULL);
}

static SANE_Status set_string(struct scanner *s, SANE_Int i, const SANE_Option_Descriptor *d,
			      const char *v)
{
	size_t size = d->size > 0 ? (size_t)d->size : 1;
	char *buf = xcalloc(1, size > strlen(v) + 1 ? size : strlen(v) + 1);
	strcpy(buf, v);
	SANE_Status st = sane_control_option(s->h, i, SANE_ACTION_SET_VALUE, buf, NULL);
	free(buf);
	return st;
}

/* The allowed value nearest to want. */
static SANE_Word nearest(const SANE_Option_Descriptor *d, SANE_Word want)
{
	if (d->constraint_type == SANE_CONSTRAINT_RANGE && d->constraint.range) {
		const SANE_Range *r = d->constraint.range;
		SANE_Word v = want < r->min ? r->min : want > r->max ? r->max : want;
		if (r->quant > 0) {
			long long steps = ((long long)v - r->min + r->quant / 2) / r->quant;
			v = (SANE_Word)(r->min + steps * r->quant);
			if (v > r->max)
				v -= r->quant;
		}
		return v;
	}
	if (d->constraint_type == SANE_CONSTRAINT_WORD_LIST && d->constraint.word_list &&
	    d->constraint.word_list[0] > 0) {
		const SANE_Word *l = d->constraint.word_list;
		SANE_Word best = l[1];
		for (SANE_Int k = 1; k <= l[0]; k++)
			if (llabs((long long)l[k] - want) < llabs((long long)best - want))
				best = l[k];
		return best;
	}
	return want;
}

static bool word_allowed(const SANE_Option_Descriptor *d, SANE_Word w)
{
	return nearest(d, w) == w;
}

static bool contains_ci(const char *s, const char *needle)
{
	size_t n = strlen(needle);
	for (; *s; s++)
		if (!strncasecmp(s, needle, n))
			return true;
	return false;
}

/* The first entry of a string list that contains one of the needles (in
 * order of preference) and none of the avoided words. */
static const char *pick(const SANE_Option_Descriptor *d, const char *const *needles,
			const char *const *avoid)
{
	if (d->type != SANE_TYPE_STRING || d->constraint_type != SANE_CONSTRAINT_STRING_LIST)
		return NULL;
	for (const char *const *n = needles; *n; n++) {
		for (const SANE_String_Const *e = d->constraint.string_list; *e; e++) {
			bool skip = false;
			for (const char *const *a = avoid; a && *a; a++)
				if (contains_ci(*e, *a))
					skip = true;
			if (!skip && contains_ci(*e, *n))
				return *e;
		}
	}
	return NULL;
}

static int set_source(struct scanner *s, enum scan_source src, bool *bad, struct strbuf *err)
{
	const SANE_Option_Descriptor *d;
	SANE_Int i = find_option(s, SANE_NAME_SCAN_SOURCE, &d);
	static const char *const adf[] = { "adf", "feeder", "automatic document", NULL };
	static const char *const adf_avoid[] = { "duplex", "back", "rear", NULL };
	static const char *const flat[] = { "flatbed", "platen", "normal", "document table", NULL };
	const char *v = NULL;

	if (i < 0 || !usable(d)) {
		if (src == SCAN_FLATBED)
			return 0; /* a flatbed-only scanner */
		strbuf_addf(err, "máy quét «%s» không có khay nạp giấy", s->name);
		*bad = true;
		return -1;
	}
	v = pick(d, src == SCAN_ADF ? adf : flat, src == SCAN_ADF ? adf_avoid : NULL);
	if (!v && src == SCAN_ADF)
		v = pick(d, adf, NULL); /* only a duplex feeder */
	if (!v) {
		if (src == SCAN_FLATBED)
			return 0;
		strbuf_addf(err, "máy quét «%s» không có khay nạp giấy", s->name);
		*bad = true;
		return -1;
	}
	SANE_Status st = set_string(s, i, d, v);
	if (st != SANE_STATUS_GOOD) {
		strbuf_addf(err, "không chọn được nguồn giấy «%s»: %s", v, status_vn(st));
		return -1;
	}
	return 0;
}

static int set_depth(struct scanner *s, SANE_Word depth)
{
	const SANE_Option_Descriptor *d;
	SANE_Int i = find_option(s, SANE_NAME_BIT_DEPTH, &d);
	if (i < 0 || !usable(d) || d->type != SANE_TYPE_INT || !word_allowed(d, depth))
		return -1;
	return set_word(s, i, depth) == SANE_STATUS_GOOD ? 0 : -1;
}

static int set_mode(struct scanner *s, enum page_kind mode, struct strbuf *err)
{
	const SANE_Option_Descriptor *d;
	SANE_Int i = find_option(s, SANE_NAME_SCAN_MODE, &d);
	static const char *const color[] = { "color", "colour", "rgb", NULL };
	static const char *const color_avoid[] = { "lineart", "halftone", NULL };
	static const char *const gray[] = { "gray", "grey", NULL };
	static const char *const lineart[] = { "lineart", "binary", "black", "monochrome", NULL };
	static const char *const lineart_avoid[] = { "color", "colour", NULL };
	const char *v = NULL;

	s->threshold = false;
	if (i < 0 || !usable(d)) {
		/* a device with one mode: take what it gives */
		s->threshold = mode == PAGE_LINEART;
		return 0;
	}
	if (mode == PAGE_COLOR)
		v = pick(d, color, color_avoid);
	else if (mode == PAGE_GRAY)
		v = pick(d, gray, NULL);
	else
		v = pick(d, lineart, lineart_avoid);
	if (!v && mode == PAGE_LINEART)
		v = pick(d, gray, NULL); /* 1-bit grey, or grey thresholded here */
	if (!v) {
		strbuf_addf(err, "máy quét «%s» không quét được %s", s->name,
			    mode == PAGE_COLOR ? "màu" : mode == PAGE_GRAY ? "thang xám" : "đen trắng");
		return -1;
	}
	SANE_Status st = set_string(s, i, d, v);
	if (st != SANE_STATUS_GOOD) {
		strbuf_addf(err, "không chọn được chế độ quét «%s»: %s", v, status_vn(st));
		return -1;
	}
	if (mode == PAGE_LINEART && (contains_ci(v, "gray") || contains_ci(v, "grey")))
		s->threshold = set_depth(s, 1) != 0;
	else if (mode != PAGE_LINEART)
		set_depth(s, 8); /* 16-bit samples only make the page bigger */
	return 0;
}

static int set_resolution(struct scanner *s, int dpi, int *got, struct strbuf *err)
{
	const SANE_Option_Descriptor *d;
	SANE_Int i = find_option(s, SANE_NAME_SCAN_RESOLUTION, &d);
	*got = dpi;
	if (i < 0 || !usable(d) || (d->type != SANE_TYPE_INT && d->type != SANE_TYPE_FIXED) ||
	    d->size != sizeof(SANE_Word)) {
		/* read it back below if readable; otherwise trust the request */
		if (i >= 0 && SANE_OPTION_IS_ACTIVE(d->cap) && d->size == sizeof(SANE_Word)) {
			SANE_Word w;
			if (get_word(s, i, &w) == SANE_STATUS_GOOD)
				*got = d->type == SANE_TYPE_FIXED ? (int)(SANE_UNFIX(w) + 0.5) : w;
		}
		return 0;
	}
	bool fixed = d->type == SANE_TYPE_FIXED;
	SANE_Word w = nearest(d, fixed ? SANE_FIX(dpi) : dpi);
	SANE_Status st = set_word(s, i, w);
	if (st != SANE_STATUS_GOOD) {
		strbuf_addf(err, "không đặt được độ phân giải %d dpi: %s", dpi, status_vn(st));
		return -1;
	}
	if (get_word(s, i, &w) == SANE_STATUS_GOOD)
		*got = fixed ? (int)(SANE_UNFIX(w) + 0.5) : w;
	return 0;
}

/* One corner coordinate in mm: to the range's minimum (want < 0) or to
 * want clamped to the range. Devices with pixel units are left alone. */
static void set_coord(struct scanner *s, const char *name, double want)
{
	const SANE_Option_Descriptor *d;
	SANE_Int i = find_option(s, name, &d);
	if (i < 0 || !usable(d) || d->unit != SANE_UNIT_MM || d->size != sizeof(SANE_Word) ||
	    (d->type != SANE_TYPE_INT && d->type != SANE_TYPE_FIXED))
		return;
	bool fixed = d->type == SANE_TYPE_FIXED;
	SANE_Word w;
	if (want < 0 && d->constraint_type == SANE_CONSTRAINT_RANGE)
		w = d->constraint.range->min;
	else
		w = nearest(d, fixed ? SANE_FIX(want) : (SANE_Word)(want + 0.5));
	set_word(s, i, w);
}

int scan_configure(struct scanner *s, const struct scan_settings *want, struct scan_settings *got,
		   bool *bad, struct strbuf *err)
{
	bool dummy;
	int dpi = want->dpi > 0 ? want->dpi : SCAN_DEFAULT_DPI;

	if (!bad)
		bad = &dummy;
	*bad = false;
	if (set_source(s, want->source, bad, err) || set_mode(s, want->mode, err) ||
	    set_resolution(s, dpi, &dpi, err))
		return -1;
	set_coord(s, SANE_NAME_SCAN_TL_X, -1);
	set_coord(s, SANE_NAME_SCAN_TL_Y, -1);
	set_coord(s, SANE_NAME_SCAN_BR_X, A4_W_MM);
	set_coord(s, SANE_NAME_SCAN_BR_Y, A4_H_MM);
	if (got) {
		got->source = want->source;
		got->mode = want->mode;
		got->dpi = dpi;
	}
	return 0;
}

int scan_set_option(struct scanner *s, const char *name, const char *value, struct strbuf *err)
{
	const SANE_Option_Descriptor *d;
	SANE_Int i = find_option(s, name, &d);
	SANE_Status st;

	if (i < 0) {
		strbuf_addf(err, "máy quét «%s» không có tùy chọn «%s»", s->name, name);
		return -1;
	}
	if (!usable(d)) {
		strbuf_addf(err, "tùy chọn «%s» của máy quét lúc này không đặt được", name);
		return -1;
	}
	switch (d->type) {
	case SANE_TYPE_STRING:
		st = set_string(s, i, d, value);
		break;
	case SANE_TYPE_BOOL: {
		bool yes = !strcmp(value, "yes") || !strcmp(value, "true") || !strcmp(value, "1");
		bool no = !strcmp(value, "no") || !strcmp(value, "false") || !strcmp(value, "0");
		if (!yes && !no) {
			strbuf_addf(err, "tùy chọn «%s» nhận yes hoặc no", name);
			return -1;
		}
		st = set_word(s, i, yes ? SANE_TRUE : SANE_FALSE);
		break;
	}
	case SANE_TYPE_INT:
	case SANE_TYPE_FIXED: {
		char *end;
		double v = strtod(value, &end);
		if (end == value || *end || d->size != sizeof(SANE_Word)) {
			strbuf_addf(err, "tùy chọn «%s» nhận một số", name);
			return -1;
		}
		st = set_word(s, i, d->type == SANE_TYPE_FIXED ? SANE_FIX(v) : (SANE_Word)v);
		break;
	}
	default:
		st = SANE_STATUS_UNSUPPORTED;
	}
	if (st != SANE_STATUS_GOOD) {
		strbuf_addf(err, "không đặt được tùy chọn «%s» = «%s»: %s", name, value, status_vn(st));
		return -1;
	}
	return 0;
}

/* ---- reading a page ---- */

struct assembler {
	SANE_Parameters p;
	struct page_image img;
	int rows_alloc;
	int y;                 /* rows of the current frame done */
	int channel;           /* 0..2 for a three-pass frame, -1 otherwise */
	bool threshold;
	unsigned char *row;    /* one row of the device's data */
	size_t have;
};

static uint8_t sample(const unsigned char *src, int depth, int idx)
{
	if (depth == 16) {
		uint16_t v;
		memcpy(&v, src + 2 * (size_t)idx, 2);
		return (uint8_t)(v >> 8);
	}
	if (depth == 1)
		return (src[idx / 8] >> (7 - idx % 8)) & 1 ? 0 : 255; /* 1 = black */
	return src[idx];
}

static void ensure_rows(struct assembler *a, int rows)
{
	if (rows <= a->rows_alloc)
		return;
	int n = a->rows_alloc ? a->rows_alloc * 2 : 256;
	if (n < rows)
		n = rows;
	a->img.data = xrealloc(a->img.data, (size_t)n * a->img.stride);
	memset(a->img.data + (size_t)a->rows_alloc * a->img.stride, 0,
	       (size_t)(n - a->rows_alloc) * a->img.stride);
	a->rows_alloc = n;
}

/* A frame begins: on the first, the page's image is set up. */
static int frame_begin(struct assembler *a, const SANE_Parameters *p, int dpi, bool first,
		       struct strbuf *err)
{
	int ch = -1;
	switch (p->format) {
	case SANE_FRAME_RED: ch = 0; break;
	case SANE_FRAME_GREEN: ch = 1; break;
	case SANE_FRAME_BLUE: ch = 2; break;
	case SANE_FRAME_GRAY:
	case SANE_FRAME_RGB: break;
	default:
		strbuf_addstr(err, "máy quét gửi ảnh theo định dạng không hỗ trợ");
		return -1;
	}
	if (p->pixels_per_line <= 0 || p->bytes_per_line <= 0 ||
	    (p->depth != 1 && p->depth != 8 && p->depth != 16) ||
	    (p->format == SANE_FRAME_RGB && p->depth == 1)) {
		strbuf_addstr(err, "máy quét gửi thông số ảnh không hợp lệ");
		return -1;
	}
	a->p = *p;
	a->channel = ch;
	a->y = 0;
	a->have = 0;
	if (first) {
		enum page_kind kind;
		if (p->format != SANE_FRAME_GRAY)
			kind = PAGE_COLOR;
		else if (p->depth == 1 || a->threshold)
			kind = PAGE_LINEART;
		else
			kind = PAGE_GRAY;
		page_image_alloc(&a->img, kind, p->pixels_per_line, 0, dpi);
		a->rows_alloc = 0;
		ensure_rows(a, p->lines > 0 ? p->lines : 256);
	} else if (p->pixels_per_line != a->img.width) {
		strbuf_addstr(err, "máy quét gửi các lớp màu không cùng kích thước");
		return -1;
	}
	free(a->row);
	a->row = xmalloc((size_t)p->bytes_per_line);
	return 0;
}

static void put_row(struct assembler *a)
{
	const unsigned char *src = a->row;
	int w = a->img.width, depth = a->p.depth;

	ensure_rows(a, a->y + 1);
	unsigned char *dst = a->img.data + (size_t)a->y * a->img.stride;
	if (a->channel >= 0) {
		for (int x = 0; x < w; x++)
			dst[3 * x + a->channel] = sample(src, depth, x);
	} else if (a->img.kind == PAGE_COLOR) {
		if (depth == 8)
			memcpy(dst, src, (size_t)w * 3);
		else
			for (int x = 0; x < 3 * w; x++)
				dst[x] = sample(src, depth, x);
	} else if (a->img.kind == PAGE_GRAY) {
		if (depth == 8)
			memcpy(dst, src, (size_t)w);
		else
			for (int x = 0; x < w; x++)
				dst[x] = sample(src, depth, x);
	} else if (depth == 1) {
		memcpy(dst, src, a->img.stride);
	} else {
		memset(dst, 0, a->img.stride);
		for (int x = 0; x < w; x++)
			if (sample(src, depth, x) < 128)
				dst[x / 8] |= (unsigned char)(0x80 >> (x % 8));
	}
	a->y++;
}

static void feed(struct assembler *a, const unsigned char *buf, size_t n)
{
	size_t bpl = (size_t)a->p.bytes_per_line;
	while (n > 0) {
		if (a->p.lines > 0 && a->y >= a->p.lines)
			return; /* more than announced: ignored */
		size_t take = bpl - a->have;
		if (take > n)
			take = n;
		memcpy(a->row + a->have, buf, take);
		a->have += take;
		buf += take;
		n -= take;
		if (a->have == bpl) {
			put_row(a);
			a->have = 0;
		}
	}
}

enum read_end { READ_OK, READ_NO_DOCS, READ_CANCELLED, READ_FAILED };

static enum read_end read_page(struct scanner *s, const struct scan_job *job, int page, int dpi,
			       struct page_image *out, struct strbuf *err)
{
	struct assembler a = { 0 };
	unsigned char *buf = xmalloc(READ_CHUNK);
	enum read_end end = READ_OK;
	int frames = 0, last_pct = -2;

	a.threshold = s->threshold;
	for (;;) {
		SANE_Status st = atomic_load(&s->cancelled) ? SANE_STATUS_CANCELLED : sane_start(s->h);
		if (st != SANE_STATUS_GOOD) {
			if (st == SANE_STATUS_CANCELLED && atomic_load(&s->cancelled))
				end = READ_CANCELLED;
			else if (st == SANE_STATUS_NO_DOCS && frames == 0)
				end = READ_NO_DOCS;
			else
				end = READ_FAILED;
			if (end == READ_FAILED)
				strbuf_addstr(err, status_vn(st));
			break;
		}
		SANE_Parameters p;
		st = sane_get_parameters(s->h, &p);
		if (st != SANE_STATUS_GOOD) {
			strbuf_addstr(err, status_vn(st));
			end = READ_FAILED;
			break;
		}
		if (frame_begin(&a, &p, dpi, frames == 0, err)) {
			end = READ_FAILED;
			break;
		}
		long long total = p.lines > 0 ? (long long)p.lines * p.bytes_per_line : -1, got = 0;
		for (;;) {
			SANE_Int len = 0;
			st = sane_read(s->h, buf, READ_CHUNK, &len);
			if (st == SANE_STATUS_EOF)
				break;
			if (st != SANE_STATUS_GOOD) {
				if (st == SANE_STATUS_CANCELLED && atomic_load(&s->cancelled)) {
					end = READ_CANCELLED;
				} else {
					strbuf_addstr(err, status_vn(st));
					end = READ_FAILED;
				}
				break;
			}
			feed(&a, buf, (size_t)len);
			got += len;
			if (job->on_progress) {
				int pct = -1;
				if (total > 0) {
					int passes = a.channel >= 0 ? 3 : 1;
					int pass = a.channel >= 0 ? frames : 0;
					pct = (int)((got * 100 / total + pass * 100) / passes);
					if (pct > 100)
						pct = 100;
				}
				if (pct != last_pct) {
					last_pct = pct;
					job->on_progress(job->arg, page, pct);
				}
			}
		}
		if (end != READ_OK)
			break;
		frames++;
		if (p.last_frame)
			break;
	}
	free(buf);
	free(a.row);
	if (end == READ_OK && a.y == 0) {
		strbuf_addstr(err, "máy quét gửi một trang rỗng");
		end = READ_FAILED;
	}
	if (end != READ_OK) {
		page_image_release(&a.img);
		return end;
	}
	a.img.height = a.y;
	*out = a.img;
	return READ_OK;
}

static int current_dpi(struct scanner *s)
{
	const SANE_Option_Descriptor *d;
	SANE_Int i = find_option(s, SANE_NAME_SCAN_RESOLUTION, &d);
	SANE_Word w;
	if (i < 0 || d->size != sizeof(SANE_Word) || get_word(s, i, &w) != SANE_STATUS_GOOD)
		return 0;
	if (d->type == SANE_TYPE_FIXED)
		return (int)(SANE_UNFIX(w) + 0.5);
	return d->type == SANE_TYPE_INT ? w : 0;
}

static bool on_adf(struct scanner *s)
{
	const SANE_Option_Descriptor *d;
	SANE_Int i = find_option(s, SANE_NAME_SCAN_SOURCE, &d);
	if (i < 0 || d->type != SANE_TYPE_STRING || d->size <= 0)
		return false;
	char *v = xcalloc(1, (size_t)d->size);
	bool adf = sane_control_option(s->h, i, SANE_ACTION_GET_VALUE, v, NULL) == SANE_STATUS_GOOD &&
		   (contains_ci(v, "adf") || contains_ci(v, "feeder") ||
		    contains_ci(v, "automatic document"));
	free(v);
	return adf;
}

int scan_run(struct scanner *s, const struct scan_job *job, struct scan_result *r,
	     struct strbuf *err)
{
	bool adf = on_adf(s);
	int want = job->pages > 0 ? job->pages : adf ? 0 : 1;
	int dpi = current_dpi(s);

	r->pages = 0;
	r->end = SCAN_END_DONE;
	atomic_store(&s->cancelled, false);
	while (want == 0 || r->pages < want) {
		if (r->pages > 0 && job->on_next && !job->on_next(job->arg, r->pages)) {
			r->end = SCAN_END_EMPTY;
			break;
		}
		struct page_image img = { 0 };
		struct strbuf why = STRBUF_INIT;
		enum read_end end = read_page(s, job, r->pages, dpi, &img, &why);
		if (end == READ_NO_DOCS) {
			if (r->pages == 0) {
				strbuf_addf(err, "%s", status_vn(SANE_STATUS_NO_DOCS));
				r->end = SCAN_END_DEVICE;
			} else {
				r->end = SCAN_END_EMPTY;
			}
		} else if (end == READ_CANCELLED) {
			r->end = SCAN_END_CANCELLED;
		} else if (end == READ_FAILED) {
			strbuf_addf(err, "máy quét ngừng ở trang %d: %s", r->pages + 1, why.buf);
			r->end = SCAN_END_DEVICE;
		} else if (job->on_page(job->arg, r->pages, &img, err)) {
			r->end = SCAN_END_STORE;
		} else {
			r->pages++;
		}
		strbuf_release(&why);
		page_image_release(&img);
		if (end != READ_OK || r->end == SCAN_END_STORE)
			break;
	}
	sane_cancel(s->h); /* ends the batch (and the feeder's run) */
	return r->end == SCAN_END_DEVICE || r->end == SCAN_END_STORE ? -1 : 0;
}
