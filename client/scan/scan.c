/* SPDX-License-Identifier: GPL-3.0-or-later */
/* SANE scanning; see scan.h.
 *
 * SANE runs in a child process, one per opened scanner (and one per
 * listing): backends are native code from many vendors, and some crash when
 * their device goes away (the net backend of SANE 1.2.1 reads an
 * uninitialised reply in sane_start once saned is gone, and segfaults).
 * The child is forked without exec; it only calls SANE and this file's
 * code, answers the parent's commands over a socket pair, and sends each
 * page as soon as it is complete. The parent (the CLI or the TUI's worker
 * thread) never calls SANE: a backend that crashes, hangs or loses its
 * device costs the child and the page being scanned, never the program or
 * the pages already handed over.
 *
 * Messages, both ways: a header (type, payload length; host byte order, the
 * two ends are one program) and the payload. */
#include "client/scan/scan.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sane/sane.h>
#include <sane/saneopts.h>
/* last: they rename the library functions above (client/base/lazylib.h) */
#include "client/base/lazy_sane.h"

#define A4_W_MM 210.0
#define A4_H_MM 297.0
#define READ_CHUNK (64 * 1024)
#define MAX_PAYLOAD (1u << 30)
/* After a cancel, how long the child may take to stop before it is killed. */
#define CANCEL_GRACE_MS 5000
/* How long a scanner may stay silent (no data, no answer) before it is
 * taken for hung and its child killed: longer than any lamp's warm-up. */
#define IDLE_MS (120 * 1000)
/* How long a closing child may take to let its device go. */
#define CLOSE_GRACE_MS 5000

enum msg_type {
	/* child -> parent */
	M_OK = 1,       /* i32 dpi (after CONFIGURE) or nothing */
	M_ERR,          /* u8 bad, message */
	M_PROGRESS,     /* i32 page, i32 percent */
	M_ASK,          /* i32 page */
	M_PAGE,         /* struct page_head, then the rows */
	M_END,          /* i32 end, i32 pages, message */
	M_DEVICE,       /* name, vendor, model, type (NUL-terminated each) */
	/* parent -> child */
	C_CONFIGURE,    /* i32 source, mode, dpi */
	C_SET_OPTION,   /* name, value (NUL-terminated each) */
	C_RUN,          /* i32 pages, i32 ask */
	C_NEXT,         /* i32 yes */
	C_CLOSE
};

struct msg_head {
	uint32_t type, len;
};

struct page_head {
	int32_t kind, width, height, dpi;
	uint64_t stride;
};

struct scanner {
	pid_t pid;
	int fd;
	char *name;
	bool gone;                /* the child ended: no more commands */
	bool hung;                /* ... because it did not answer for IDLE_MS */
	atomic_bool cancelled;
	atomic_llong cancel_at;   /* CLOCK_MONOTONIC ms of the cancel */
};

/* ---- messages ---- */

static int send_all(int fd, const void *buf, size_t n)
{
	const unsigned char *p = buf;
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int send_msg(int fd, enum msg_type type, const void *a, size_t na, const void *b,
		    size_t nb)
{
	struct msg_head h = { (uint32_t)type, (uint32_t)(na + nb) };
	if (send_all(fd, &h, sizeof(h)) || (na && send_all(fd, a, na)) || (nb && send_all(fd, b, nb)))
		return -1;
	return 0;
}

static int send_ints(int fd, enum msg_type type, int n, const int32_t *v)
{
	return send_msg(fd, type, v, (size_t)n * sizeof(*v), NULL, 0);
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Reads n bytes. On the parent's side (s set; NULL in the child) a child
 * that does not stop within the grace after a cancel, or says nothing for
 * IDLE_MS, is killed. -1 at the end of the stream or on an error. */
static int recv_all(int fd, struct scanner *s, void *buf, size_t n)
{
	unsigned char *p = buf;
	long long last = s ? now_ms() : 0;
	while (n > 0) {
		if (s) {
			struct pollfd pfd = { fd, POLLIN, 0 };
			int pr = poll(&pfd, 1, 250);
			if (pr < 0 && errno != EINTR)
				return -1;
			if (pr <= 0) {
				long long now = now_ms();
				bool stuck = atomic_load(&s->cancelled) &&
					     now - atomic_load(&s->cancel_at) > CANCEL_GRACE_MS;
				if (now - last > IDLE_MS) {
					s->hung = true;
					stuck = true;
				}
				if (stuck)
					kill(s->pid, SIGKILL);
				continue;
			}
			last = now_ms();
		}
		ssize_t r = read(fd, p, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

/* A message whose payload is read into a malloc'd, NUL-terminated buffer.
 * Pages are read by the caller (type M_PAGE leaves the payload unread). */
static int recv_msg(int fd, struct scanner *s, uint32_t *type, char **payload, size_t *len)
{
	struct msg_head h;
	*payload = NULL;
	*len = 0;
	if (recv_all(fd, s, &h, sizeof(h)) || h.len > MAX_PAYLOAD)
		return -1;
	*type = h.type;
	*len = h.len;
	if (h.type == M_PAGE)
		return 0;
	*payload = xmalloc((size_t)h.len + 1);
	if (recv_all(fd, s, *payload, h.len)) {
		FREE(payload);
		return -1;
	}
	(*payload)[h.len] = '\0';
	return 0;
}

static int32_t int_at(const char *payload, size_t len, int i)
{
	int32_t v = 0;
	if ((size_t)(i + 1) * sizeof(v) <= len)
		memcpy(&v, payload + (size_t)i * sizeof(v), sizeof(v));
	return v;
}

/* ================= the child: SANE ================= */

struct device {
	SANE_Handle h;
	const char *name;
	bool threshold;          /* grey from the device, black-and-white kept */
};

static int child_fd = -1;
static volatile sig_atomic_t child_cancelled;

/* Only the flag: the read loop sees it after the chunk it is waiting for
 * and cancels from there. (SANE allows sane_cancel in a signal handler, but
 * backends are not all async-signal-safe: the test backend's cancel joins
 * its reader thread.) */
static void child_on_cancel(int sig)
{
	(void)sig;
	child_cancelled = 1;
}

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

static void child_progress(int page, int pct)
{
	int32_t v[2] = { page, pct };
	send_ints(child_fd, M_PROGRESS, 2, v);
}

static void child_err(bool bad, const char *msg)
{
	uint8_t b = bad;
	send_msg(child_fd, M_ERR, &b, 1, msg, strlen(msg) + 1);
}

/* ---- options ---- */

static SANE_Int find_option(struct device *s, const char *name,
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

static SANE_Status set_word(struct device *s, SANE_Int i, SANE_Word w)
{
	return sane_control_option(s->h, i, SANE_ACTION_SET_VALUE, &w, NULL);
}

static SANE_Status get_word(struct device *s, SANE_Int i, SANE_Word *w)
{
	return sane_control_option(s->h, i, SANE_ACTION_GET_VALUE, w, NULL);
}

static SANE_Status set_string(struct device *s, SANE_Int i, const SANE_Option_Descriptor *d,
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

static int set_source(struct device *s, enum scan_source src, bool *bad, struct strbuf *err)
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

static int set_depth(struct device *s, SANE_Word depth)
{
	const SANE_Option_Descriptor *d;
	SANE_Int i = find_option(s, SANE_NAME_BIT_DEPTH, &d);
	if (i < 0 || !usable(d) || d->type != SANE_TYPE_INT || !word_allowed(d, depth))
		return -1;
	return set_word(s, i, depth) == SANE_STATUS_GOOD ? 0 : -1;
}

static int set_mode(struct device *s, enum page_kind mode, struct strbuf *err)
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

static int set_resolution(struct device *s, int dpi, int *got, struct strbuf *err)
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
static void set_coord(struct device *s, const char *name, double want)
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

static int dev_configure(struct device *s, const struct scan_settings *want, struct scan_settings *got,
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

static int dev_set_option(struct device *s, const char *name, const char *value, struct strbuf *err)
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

/* How much of the page is read, in percent; -1 when its length is unknown.
 * A three-pass scan's frames are a third each. */
static int percent(const struct assembler *a, int frames, long long got, long long total)
{
	if (total <= 0)
		return -1;
	int passes = a->channel >= 0 ? 3 : 1;
	int pass = a->channel >= 0 ? frames : 0;
	int pct = (int)((got * 100 / total + pass * 100) / passes);
	return pct > 100 ? 100 : pct;
}

static enum read_end read_page(struct device *s, int page, int dpi, struct page_image *out,
			       struct strbuf *err)
{
	struct assembler a = { 0 };
	unsigned char *buf = xmalloc(READ_CHUNK);
	enum read_end end = READ_OK;
	int frames = 0, last_pct = -2;

	a.threshold = s->threshold;
	for (;;) {
		SANE_Status st = child_cancelled ? SANE_STATUS_CANCELLED : sane_start(s->h);
		if (st != SANE_STATUS_GOOD) {
			if (child_cancelled) /* whatever the backend makes of it */
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
				if (child_cancelled) {
					end = READ_CANCELLED;
				} else {
					strbuf_addstr(err, status_vn(st));
					end = READ_FAILED;
				}
				break;
			}
			if (child_cancelled) {
				end = READ_CANCELLED;
				break;
			}
			feed(&a, buf, (size_t)len);
			got += len;
			int pct = percent(&a, frames, got, total);
			if (pct != last_pct) {
				last_pct = pct;
				child_progress(page, pct);
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

static int current_dpi(struct device *s)
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

static bool on_adf(struct device *s)
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

static void child_set_option(struct device *s, const char *payload, size_t len)
{
	struct strbuf err = STRBUF_INIT;
	size_t n1 = strnlen(payload, len);
	if (n1 + 1 >= len) {
		child_err(false, "lệnh không hợp lệ");
	} else if (dev_set_option(s, payload, payload + n1 + 1, &err)) {
		child_err(false, err.buf);
	} else {
		send_msg(child_fd, M_OK, NULL, 0, NULL, 0);
	}
	strbuf_release(&err);
}

/* ASK, then commands until NEXT: options may change between pages. */
static bool child_ask(struct device *s, int page)
{
	int32_t v = page;
	if (send_ints(child_fd, M_ASK, 1, &v))
		return false;
	for (;;) {
		uint32_t type;
		char *payload;
		size_t len;
		if (recv_msg(child_fd, NULL, &type, &payload, &len))
			return false;
		bool done = false, yes = false;
		if (type == C_NEXT) {
			done = true;
			yes = int_at(payload, len, 0) != 0;
		} else if (type == C_SET_OPTION) {
			child_set_option(s, payload, len);
		} else {
			child_err(false, "lệnh không hợp lệ giữa hai trang");
		}
		free(payload);
		if (done)
			return yes && !child_cancelled;
	}
}

static int child_send_page(const struct page_image *img)
{
	struct page_head ph = { img->kind, img->width, img->height, img->dpi, img->stride };
	return send_msg(child_fd, M_PAGE, &ph, sizeof(ph), img->data, img->stride * (size_t)img->height);
}

static void child_run(struct device *s, int pages, bool ask)
{
	bool adf = on_adf(s);
	int want = pages > 0 ? pages : adf ? 0 : 1;
	int dpi = current_dpi(s);
	int done = 0;
	enum scan_end end = SCAN_END_DONE;
	struct strbuf msg = STRBUF_INIT;

	child_cancelled = 0;
	while (want == 0 || done < want) {
		if (done > 0 && ask && !child_ask(s, done)) {
			end = child_cancelled ? SCAN_END_CANCELLED : SCAN_END_EMPTY;
			break;
		}
		struct page_image img = { 0 };
		struct strbuf why = STRBUF_INIT;
		enum read_end r = read_page(s, done, dpi, &img, &why);
		if (r == READ_NO_DOCS) {
			if (done == 0) {
				strbuf_addstr(&msg, status_vn(SANE_STATUS_NO_DOCS));
				end = SCAN_END_DEVICE;
			} else {
				end = SCAN_END_EMPTY;
			}
		} else if (r == READ_CANCELLED) {
			end = SCAN_END_CANCELLED;
		} else if (r == READ_FAILED) {
			strbuf_addf(&msg, "máy quét ngừng ở trang %d: %s", done + 1, why.buf);
			end = SCAN_END_DEVICE;
		} else if (child_send_page(&img)) {
			_exit(1); /* the parent is gone */
		} else {
			done++;
		}
		strbuf_release(&why);
		page_image_release(&img);
		if (r != READ_OK)
			break;
	}
	int32_t v[2] = { end, done };
	if (end == SCAN_END_DEVICE) {
		/* A device that failed is let go without another call: backends
		 * do not all survive one (the test backend can deadlock in
		 * sane_cancel when its reader thread has just started; the net
		 * backend crashes once saned is gone). The parent opens it again
		 * for the next batch. */
		send_msg(child_fd, M_END, v, sizeof(v), msg.buf, msg.len + 1);
		_exit(0);
	}
	sane_cancel(s->h); /* ends the batch (and the feeder's run) */
	send_msg(child_fd, M_END, v, sizeof(v), msg.buf ? msg.buf : "", msg.len + 1);
	strbuf_release(&msg);
}

static void child_setup(int fd)
{
	struct sigaction sa = { 0 };
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGINT, &sa, NULL);  /* Ctrl-C is the parent's to handle */
	sigaction(SIGPIPE, &sa, NULL); /* the net backend's sockets */
	sa.sa_handler = SIG_DFL;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGXFSZ, &sa, NULL);
	sa.sa_handler = child_on_cancel;
	sigaction(SIGUSR1, &sa, NULL);
	sigset_t none;
	sigemptyset(&none);
	pthread_sigmask(SIG_SETMASK, &none, NULL);
	child_fd = fd;
	/* The terminal belongs to the parent (curses, the CLI's JSON): SANE's
	 * debug output goes there only when asked for with SANE_DEBUG_*. */
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		bool debug = false;
		for (char **e = environ; *e; e++)
			if (!strncmp(*e, "SANE_DEBUG_", 11))
				debug = true;
		if (!debug)
			dup2(null, 2);
		close(null);
	}
}

static __attribute__((noreturn)) void child_main(int fd, const char *device)
{
	SANE_Int version = 0;
	struct device dev = { NULL, device, false };

	child_setup(fd);
	SANE_Status st = sane_init(&version, NULL);
	if (st != SANE_STATUS_GOOD) {
		char *m = xasprintf("không khởi động được SANE (trình điều khiển máy quét): %s",
				    status_vn(st));
		child_err(false, m);
		_exit(1);
	}
	if (!device) { /* a listing */
		const SANE_Device **list = NULL;
		st = sane_get_devices(&list, SANE_FALSE);
		if (st != SANE_STATUS_GOOD) {
			char *m = xasprintf("không liệt kê được máy quét: %s", status_vn(st));
			child_err(false, m);
			_exit(1);
		}
		for (size_t i = 0; list && list[i]; i++) {
			struct strbuf sb = STRBUF_INIT;
			const char *f[4] = { list[i]->name, list[i]->vendor, list[i]->model, list[i]->type };
			for (int k = 0; k < 4; k++)
				strbuf_add(&sb, f[k] ? f[k] : "", strlen(f[k] ? f[k] : "") + 1);
			send_msg(fd, M_DEVICE, sb.buf, sb.len, NULL, 0);
			strbuf_release(&sb);
		}
		send_msg(fd, M_OK, NULL, 0, NULL, 0);
		_exit(0); /* no sane_exit: nothing of ours to flush, and less to crash */
	}
	st = sane_open(device, &dev.h);
	if (st != SANE_STATUS_GOOD) {
		char *m;
		if (st == SANE_STATUS_INVAL)
			m = xasprintf("không tìm thấy máy quét «%s» (xem: motcua scan --list)", device);
		else
			m = xasprintf("không mở được máy quét «%s»: %s", device, status_vn(st));
		child_err(st == SANE_STATUS_INVAL, m);
		_exit(1);
	}
	send_msg(fd, M_OK, NULL, 0, NULL, 0);
	for (;;) {
		uint32_t type;
		char *payload;
		size_t len;
		if (recv_msg(fd, NULL, &type, &payload, &len))
			break; /* the parent is gone */
		if (type == C_CLOSE) {
			free(payload);
			break;
		}
		if (type == C_CONFIGURE) {
			struct scan_settings want = { (enum scan_source)int_at(payload, len, 0),
						      (enum page_kind)int_at(payload, len, 1),
						      int_at(payload, len, 2) }, got;
			struct strbuf err = STRBUF_INIT;
			bool bad = false;
			if (dev_configure(&dev, &want, &got, &bad, &err)) {
				child_err(bad, err.buf);
			} else {
				int32_t v = got.dpi;
				send_ints(fd, M_OK, 1, &v);
			}
			strbuf_release(&err);
		} else if (type == C_SET_OPTION) {
			child_set_option(&dev, payload, len);
		} else if (type == C_RUN) {
			child_run(&dev, int_at(payload, len, 0), int_at(payload, len, 1) != 0);
		} else {
			child_err(false, "lệnh không hợp lệ");
		}
		free(payload);
	}
	sane_close(dev.h);
	sane_exit();
	_exit(0);
}

/* ================= the parent ================= */

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

int scan_mode_parse(const char *name, enum page_kind *mode, bool *automatic)
{
	if (!strcmp(name, "auto")) {
		*mode = PAGE_COLOR;
		*automatic = true;
		return 0;
	}
	int k = page_kind_parse(name);
	if (k != PAGE_COLOR && k != PAGE_GRAY && k != PAGE_LINEART)
		return -1;
	*mode = (enum page_kind)k;
	*automatic = false;
	return 0;
}

const char *scan_mode_name(enum page_kind mode, bool automatic)
{
	return automatic ? "auto" : page_kind_name(mode);
}

/* Forks the child for device (NULL: a listing). */
static int spawn(struct scanner *s, const char *device, struct strbuf *err)
{
	int sv[2];
	memset(s, 0, sizeof(*s));
	s->fd = -1;
	atomic_init(&s->cancelled, false);
	atomic_init(&s->cancel_at, 0);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv)) {
		strbuf_addf(err, "không khởi động được tiến trình quét: %s", strerror(errno));
		return -1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		strbuf_addf(err, "không khởi động được tiến trình quét: %s", strerror(errno));
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (pid == 0) {
		close(sv[0]);
		child_main(sv[1], device);
	}
	close(sv[1]);
	s->pid = pid;
	s->fd = sv[0];
	s->name = xstrdup(device ? device : "");
	return 0;
}

/* Waits for the child; a Vietnamese reason when it did not end normally. */
static void reap(struct scanner *s, struct strbuf *why)
{
	int status = 0;
	if (s->pid <= 0)
		return;
	while (waitpid(s->pid, &status, 0) < 0 && errno == EINTR)
		;
	if (why && s->hung)
		strbuf_addf(why, "máy quét không phản hồi trong %d giây", IDLE_MS / 1000);
	else if (why && WIFSIGNALED(status))
		strbuf_addf(why, "trình điều khiển máy quét (SANE) dừng đột ngột (tín hiệu %d)",
			    WTERMSIG(status));
	else if (why)
		strbuf_addstr(why, "trình điều khiển máy quét (SANE) dừng đột ngột");
	s->pid = 0;
}

/* The child went away in the middle of a conversation. */
static void lost(struct scanner *s, struct strbuf *err)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	s->gone = true;
	reap(s, err);
}

static void release(struct scanner *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	reap(s, NULL);
	FREE(&s->name);
}

/* Reads the answer to a command: OK (its payload to *ok when wanted) or
 * ERR (err, *bad). */
static int answer(struct scanner *s, char **ok, size_t *oklen, bool *bad, struct strbuf *err)
{
	uint32_t type;
	char *payload;
	size_t len;
	if (recv_msg(s->fd, s, &type, &payload, &len)) {
		lost(s, err);
		return -1;
	}
	int rc = 0;
	if (type == M_OK) {
		if (ok) {
			*ok = payload;
			*oklen = len;
			payload = NULL;
		}
	} else if (type == M_ERR && len >= 1) {
		if (bad)
			*bad = payload[0] != 0;
		strbuf_addstr(err, payload + 1);
		rc = -1;
	} else {
		strbuf_addstr(err, "tiến trình quét trả lời không hợp lệ");
		rc = -1;
	}
	free(payload);
	return rc;
}

static int usable_scanner(struct scanner *s, struct strbuf *err)
{
	if (!s->gone)
		return 0;
	strbuf_addf(err, "máy quét «%s» đã ngắt; hãy mở lại", s->name);
	return -1;
}

int scan_list_devices(struct scan_device_list *out, struct strbuf *err)
{
	struct scanner s;
	out->v = NULL;
	out->n = 0;
	if (spawn(&s, NULL, err))
		return -1;
	size_t alloc = 0;
	int rc = -1;
	for (;;) {
		uint32_t type;
		char *p;
		size_t len;
		if (recv_msg(s.fd, &s, &type, &p, &len)) {
			lost(&s, err);
			break;
		}
		if (type == M_DEVICE) {
			const char *f[4];
			size_t off = 0;
			for (int k = 0; k < 4; k++) {
				f[k] = off < len ? p + off : "";
				off += strlen(f[k]) + 1;
			}
			if (out->n == alloc) {
				alloc = alloc ? 2 * alloc : 8;
				out->v = xrealloc(out->v, alloc * sizeof(*out->v));
			}
			struct scan_device *d = &out->v[out->n++];
			d->name = xstrdup(f[0]);
			d->vendor = xstrdup(f[1]);
			d->model = xstrdup(f[2]);
			d->type = xstrdup(f[3]);
			free(p);
			continue;
		}
		if (type == M_ERR && len >= 1)
			strbuf_addstr(err, p + 1);
		else if (type == M_OK)
			rc = 0;
		free(p);
		break;
	}
	release(&s);
	if (rc)
		scan_device_list_release(out);
	return rc;
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

int scan_open(struct scanner **out, const char *device, bool *bad, struct strbuf *err)
{
	bool dummy;
	if (!bad)
		bad = &dummy;
	*bad = false;
	*out = NULL;
	if (!device || !*device) {
		strbuf_addstr(err, "chưa chọn máy quét");
		*bad = true;
		return -1;
	}
	struct scanner *s = xcalloc(1, sizeof(*s));
	if (spawn(s, device, err)) {
		free(s);
		return -1;
	}
	if (answer(s, NULL, NULL, bad, err)) {
		release(s);
		free(s);
		return -1;
	}
	*out = s;
	return 0;
}

void scan_close(struct scanner *s)
{
	if (!s)
		return;
	if (!s->gone && send_msg(s->fd, C_CLOSE, NULL, 0, NULL, 0) == 0) {
		/* let it close its device, but not for ever */
		long long until = now_ms() + CLOSE_GRACE_MS;
		struct pollfd pfd = { s->fd, POLLIN, 0 };
		char buf[256];
		for (;;) {
			long long left = until - now_ms();
			if (left <= 0) {
				kill(s->pid, SIGKILL);
				break;
			}
			int pr = poll(&pfd, 1, (int)left);
			if (pr < 0 && errno == EINTR)
				continue;
			if (pr <= 0) {
				kill(s->pid, SIGKILL);
				break;
			}
			if (read(s->fd, buf, sizeof(buf)) <= 0)
				break; /* closed: the child is done */
		}
	}
	release(s);
	free(s);
}

void scan_cancel(struct scanner *s)
{
	/* async-signal-safe: the CLI calls it from its SIGINT handler */
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	atomic_store(&s->cancel_at, (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
	atomic_store(&s->cancelled, true);
	if (s->pid > 0 && !s->gone)
		kill(s->pid, SIGUSR1);
}

int scan_configure(struct scanner *s, const struct scan_settings *want, struct scan_settings *got,
		   bool *bad, struct strbuf *err)
{
	bool dummy;
	if (!bad)
		bad = &dummy;
	*bad = false;
	if (usable_scanner(s, err))
		return -1;
	int32_t v[3] = { want->source, want->mode, want->dpi > 0 ? want->dpi : SCAN_DEFAULT_DPI };
	char *ok = NULL;
	size_t len = 0;
	if (send_ints(s->fd, C_CONFIGURE, 3, v)) {
		lost(s, err);
		return -1;
	}
	if (answer(s, &ok, &len, bad, err))
		return -1;
	if (got) {
		got->source = want->source;
		got->mode = want->mode;
		got->dpi = int_at(ok, len, 0);
	}
	free(ok);
	return 0;
}

int scan_set_option(struct scanner *s, const char *name, const char *value, struct strbuf *err)
{
	if (usable_scanner(s, err))
		return -1;
	if (send_msg(s->fd, C_SET_OPTION, name, strlen(name) + 1, value, strlen(value) + 1)) {
		lost(s, err);
		return -1;
	}
	return answer(s, NULL, NULL, NULL, err);
}

static int recv_page(struct scanner *s, size_t len, struct page_image *img)
{
	struct page_head ph;
	memset(img, 0, sizeof(*img));
	if (len < sizeof(ph) || recv_all(s->fd, s, &ph, sizeof(ph)))
		return -1;
	size_t rows = len - sizeof(ph);
	if (ph.kind < PAGE_COLOR || ph.kind > PAGE_LINEART || ph.width <= 0 || ph.height <= 0 ||
	    ph.stride < page_image_row_bytes((enum page_kind)ph.kind, ph.width) ||
	    ph.stride * (uint64_t)ph.height != rows)
		return -1;
	img->kind = (enum page_kind)ph.kind;
	img->width = ph.width;
	img->height = ph.height;
	img->dpi = ph.dpi;
	img->stride = (size_t)ph.stride;
	img->data = xmalloc(rows ? rows : 1);
	if (recv_all(s->fd, s, img->data, rows)) {
		page_image_release(img);
		return -1;
	}
	return 0;
}

int scan_run(struct scanner *s, const struct scan_job *job, struct scan_result *r,
	     struct strbuf *err)
{
	r->pages = 0;
	r->end = SCAN_END_DEVICE;
	if (usable_scanner(s, err))
		return -1;
	atomic_store(&s->cancelled, false);
	int32_t v[2] = { job->pages, job->on_next != NULL };
	if (send_ints(s->fd, C_RUN, 2, v)) {
		lost(s, err);
		return -1;
	}
	bool stored_fail = false;
	int sent = 0; /* pages the child sent */
	for (;;) {
		uint32_t type;
		char *p;
		size_t len;
		if (recv_msg(s->fd, s, &type, &p, &len)) {
			struct strbuf why = STRBUF_INIT;
			lost(s, &why);
			if (stored_fail) {
				r->end = SCAN_END_STORE;
			} else if (atomic_load(&s->cancelled)) {
				r->end = SCAN_END_CANCELLED;
			} else {
				strbuf_addf(err, "máy quét ngừng ở trang %d: %s", sent + 1, why.buf);
				r->end = SCAN_END_DEVICE;
			}
			strbuf_release(&why);
			break;
		}
		if (type == M_PROGRESS) {
			if (job->on_progress && !stored_fail)
				job->on_progress(job->arg, int_at(p, len, 0), int_at(p, len, 1));
		} else if (type == M_ASK) {
			bool yes = job->on_next && !stored_fail && !atomic_load(&s->cancelled) &&
				   job->on_next(job->arg, int_at(p, len, 0));
			int32_t y = yes;
			if (send_ints(s->fd, C_NEXT, 1, &y)) {
				free(p);
				continue; /* the read above reports the loss */
			}
		} else if (type == M_PAGE) {
			struct page_image img;
			if (recv_page(s, len, &img)) {
				free(p);
				continue;
			}
			sent++;
			if (!stored_fail) {
				if (job->on_page(job->arg, r->pages, &img, err)) {
					stored_fail = true;
					scan_cancel(s); /* no use scanning what cannot be kept */
				} else {
					r->pages++;
				}
			}
			page_image_release(&img);
		} else if (type == M_END) {
			enum scan_end end = (enum scan_end)int_at(p, len, 0);
			const char *msg = len > 8 ? p + 8 : "";
			if (stored_fail)
				r->end = SCAN_END_STORE;
			else
				r->end = end;
			if (r->end == SCAN_END_DEVICE)
				strbuf_addstr(err, *msg ? msg : "máy quét bị lỗi");
			if (end == SCAN_END_DEVICE)
				lost(s, NULL); /* the child let the device go and ended */
			free(p);
			break;
		}
		free(p);
	}
	return r->end == SCAN_END_DEVICE || r->end == SCAN_END_STORE ? -1 : 0;
}
