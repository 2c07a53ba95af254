/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Recovering the columns of the crawled procedure tables. The strategy and the
 * measured results are in docs/import.md. */
#include "core/procparse.h"

#include <ctype.h>
#include <stdarg.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/text.h"

/* ---- small text helpers ------------------------------------------------- */

static bool starts(const char *s, const char *end, const char *lit)
{
	size_t n = strlen(lit);
	return (size_t)(end - s) >= n && !memcmp(s, lit, n);
}

static const char *find(const char *s, const char *end, const char *lit)
{
	if (s >= end)
		return NULL;
	return memmem(s, (size_t)(end - s), lit, strlen(lit));
}

static int32_t cp_at(const char *s, const char *end, size_t *len)
{
	int32_t cp = 0;
	size_t n = 0;
	if (s < end)
		n = mc_utf8_next(s, (size_t)(end - s), &cp);
	if (len)
		*len = n;
	return cp;
}

static bool is_upper(int32_t cp)
{
	return cp && utf8proc_category(cp) == UTF8PROC_CATEGORY_LU;
}

static bool is_lower(int32_t cp)
{
	return cp && utf8proc_category(cp) == UTF8PROC_CATEGORY_LL;
}

static bool is_digit(const char *s, const char *end)
{
	return s < end && *s >= '0' && *s <= '9';
}

static bool is_space_cp(int32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0xA0 ||
	       cp == 0x200B || cp == 0x200E || cp == 0x200F || cp == 0xFEFF || cp == 0x2028 ||
	       cp == 0x202F || cp == 0x3000;
}

char *mc_clean_text(const char *s, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	const char *end = s + n;
	bool pending = false;
	strbuf_addstr(&sb, "");
	while (s < end) {
		size_t len;
		int32_t cp = cp_at(s, end, &len);
		if (is_space_cp(cp)) {
			pending = sb.len > 0;
		} else {
			if (pending)
				strbuf_addch(&sb, ' ');
			pending = false;
			char enc[4];
			strbuf_add(&sb, enc, mc_utf8_put(cp, enc));
		}
		s += len;
	}
	return strbuf_detach(&sb);
}

static char *clean(const char *s, const char *end)
{
	return mc_clean_text(s, end > s ? (size_t)(end - s) : 0);
}

/* Removes leading list markers ("- ", "+ ", "* ", "•") and trailing ";,:" in place. */
static void strip_bullets(char *s)
{
	char *p = s;
	for (;;) {
		if (*p == '-' || *p == '+' || *p == '*' || *p == ' ' || *p == '.')
			p++;
		else if (!strncmp(p, "•", strlen("•")))
			p += strlen("•");
		else if (!strncmp(p, "–", strlen("–")))
			p += strlen("–");
		else
			break;
	}
	memmove(s, p, strlen(p) + 1);
	size_t n = strlen(s);
	while (n && (s[n - 1] == ';' || s[n - 1] == ',' || s[n - 1] == ' ' || s[n - 1] == ':'))
		s[--n] = '\0';
}

/* " folded text " with a space on each side, so " word " finds whole words. */
static char *fold_padded(const char *s)
{
	char *f = mc_text_fold(s);
	char *r = xasprintf(" %s ", f);
	free(f);
	return r;
}

static bool is_no_info(const char *s)
{
	char *f = mc_text_fold(s);
	bool r = !*f || !strcmp(f, "khong co thong tin") || !strcmp(f, "khong");
	free(f);
	return r;
}

static void add_note(struct mc_procedure *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void add_note(struct mc_procedure *p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	p->needs_review = true;
	if (!p->notes.buf || !strstr(p->notes.buf, msg)) {
		if (p->notes.len)
			strbuf_addstr(&p->notes, "; ");
		strbuf_addstr(&p->notes, msg);
	}
	free(msg);
}

/* s cut to at most max bytes on a character boundary, "…" marking the cut. */
static char *clip(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n <= max)
		return xstrdup(s);
	while (max && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	return xasprintf("%.*s…", (int)max, s);
}

/* add_note with one quoted text clipped to 60 bytes. */
static void add_note_clip(struct mc_procedure *p, const char *fmt, const char *text)
{
	char *c = clip(text, 60);
	char *msg = xasprintf(fmt, c);
	add_note(p, "%s", msg);
	free(msg);
	free(c);
}

/* ---- init / release ----------------------------------------------------- */

void mc_procedure_init(struct mc_procedure *p)
{
	memset(p, 0, sizeof(*p));
	strbuf_init(&p->notes);
}

void mc_procedure_release(struct mc_procedure *p)
{
	free(p->code);
	free(p->name);
	free(p->field);
	free(p->level);
	free(p->kind);
	free(p->decision);
	free(p->applicants);
	free(p->agency);
	free(p->steps);
	free(p->conditions);
	free(p->result);
	free(p->url);
	free(p->legal_text);
	for (size_t i = 0; i < p->nlegal; i++) {
		free(p->legal[i].name);
		free(p->legal[i].number);
	}
	free(p->legal);
	for (size_t i = 0; i < p->nchannels; i++) {
		struct mc_channel *c = &p->channels[i];
		free(c->channel);
		free(c->time_text);
		free(c->fee_text);
		free(c->description);
	}
	free(p->channels);
	for (size_t i = 0; i < p->ncomponents; i++) {
		struct mc_component *c = &p->components[i];
		free(c->grp);
		free(c->name);
		free(c->form);
		free(c->raw);
	}
	free(p->components);
	free(p->time_text);
	free(p->fee_text);
	strbuf_release(&p->notes);
	mc_procedure_init(p);
}

/* ---- channels: "Hình thức nộpThời gianPhí, lệ phíMô tả" + rows ------------ */

#define CHANNEL_HEADER "Hình thức nộpThời gianPhí, lệ phíMô tả"
static const char *const channel_names[] = { "Trực tiếp", "Trực tuyến", "Dịch vụ bưu chính" };
static const char *const money_units[] = { "VNĐ", "Việt Nam Đồng", "Đồng" };

/* A row starts with a channel name glued to its time (a digit or a capital):
 * "Trực tiếp5 Ngày làm việc". Descriptions say "Trực tiếp: ..." or
 * "trực tiếp tại ...", which do not match. Returns the name's length or 0. */
static size_t channel_at(const char *s, const char *end, const char **name)
{
	for (size_t i = 0; i < sizeof(channel_names) / sizeof(channel_names[0]); i++) {
		if (!starts(s, end, channel_names[i]))
			continue;
		const char *q = s + strlen(channel_names[i]);
		if (q == end || is_digit(q, end) || is_upper(cp_at(q, end, NULL))) {
			*name = channel_names[i];
			return strlen(channel_names[i]);
		}
	}
	return 0;
}

static size_t money_unit_at(const char *s, const char *end)
{
	for (size_t i = 0; i < sizeof(money_units) / sizeof(money_units[0]); i++)
		if (starts(s, end, money_units[i]))
			return strlen(money_units[i]);
	return 0;
}

/* An amount token "8,000 VNĐ", " VNĐ", "50,000 Việt Nam Đồng" at s: returns its
 * length and the digits' value (-1 when there are none). */
static size_t money_at(const char *s, const char *end, long long *value)
{
	const char *q = s;
	long long v = 0;
	bool any = false;
	while (q < end && ((*q >= '0' && *q <= '9') || ((*q == ',' || *q == '.') && any))) {
		if (*q >= '0' && *q <= '9') {
			v = v * 10 + (*q - '0');
			any = true;
		}
		q++;
	}
	if (q < end && *q == ' ')
		q++;
	size_t n = money_unit_at(q, end);
	if (!n)
		return 0;
	*value = any ? v : -1;
	return (size_t)(q + n - s);
}

/* Start of the next fee token in [s, end): "Miễn phí", "Không có thông tin" or
 * an amount; NULL if none. */
static const char *find_fee(const char *s, const char *end)
{
	for (const char *q = s; q < end; q++) {
		long long v;
		if (starts(q, end, "Miễn phí") || starts(q, end, "Không có thông tin"))
			return q;
		if ((q == s || !(q[-1] >= '0' && q[-1] <= '9')) && money_at(q, end, &v))
			return q;
	}
	return NULL;
}

/* The first amount written in a note: "20.000 vnđ", "5.000đ", "10.000 đồng". */
static long long note_amount(const char *note)
{
	if (!note)
		return -1;
	const char *end = note + strlen(note);
	for (const char *q = note; q < end; q++) {
		if (!is_digit(q, end) || (q > note && q[-1] >= '0' && q[-1] <= '9'))
			continue;
		long long v = 0;
		const char *r = q;
		bool sep = false;
		while (r < end && (is_digit(r, end) || ((*r == '.' || *r == ',') && is_digit(r + 1, end)))) {
			if (*r == '.' || *r == ',')
				sep = true;
			else
				v = v * 10 + (*r - '0');
			r++;
		}
		if (r < end && *r == ' ')
			r++;
		if (sep && (starts(r, end, "đ") || starts(r, end, "Đ") || starts(r, end, "vnđ") ||
			    starts(r, end, "VNĐ") || starts(r, end, "vnd")))
			return v;
		q = r > q ? r - 1 : q;
	}
	return -1;
}

/* Whether text says "N ngày làm việc" for this N (leading zeros allowed). */
static bool mentions_days(const char *text, double n)
{
	if (!text)
		return false;
	char *f = fold_padded(text);
	bool found = false;
	for (char *q = f; (q = strstr(q, " ngay lam viec")) && !found; q++) {
		char *d = q;
		while (d > f && d[-1] >= '0' && d[-1] <= '9')
			d--;
		if (d < q && d[-1] == ' ' && atof(d) == n)
			found = true;
	}
	free(f);
	return found;
}

/* Reads the balanced "( ... )" at s; returns its end (past ')') and the inside. */
static const char *paren_note(const char *s, const char *end, char **inside)
{
	int depth = 0;
	const char *q = s;
	for (; q < end; q++) {
		if (*q == '(')
			depth++;
		else if (*q == ')' && --depth == 0)
			break;
	}
	*inside = clean(s + 1, q);
	return q < end ? q + 1 : end;
}

static bool fee_note_means_free(const char *note)
{
	char *f = mc_text_fold(note);
	bool r = !*f || !strncmp(f, "khong", 5) || !strncmp(f, "chua quy dinh", 13) ||
		 !strncmp(f, "mien le phi", 11) || !strncmp(f, "mien phi", 8);
	free(f);
	return r;
}

/* "40" and 4000, "25" and 25000000: the same digits once trailing zeros go. */
static bool same_leading_digits(long long amount, long long full)
{
	if (amount <= 0 || full < amount)
		return false;
	while (amount % 10 == 0)
		amount /= 10;
	while (full > amount && full % 10 == 0)
		full /= 10;
	return amount == full;
}

struct time_split {
	const char *digits, *digits_end; /* ambiguous "120 VNĐ": time+amount glued */
	bool bare;                       /* a number without its unit */
};

static void set_time(struct mc_channel *ch, const char *s, const char *e, double v, const char *unit)
{
	free(ch->time_text);
	ch->time_text = clean(s, e);
	ch->time_value = v;
	ch->time_unit = unit;
}

/* The time part of a row; returns where the fee starts. */
static const char *parse_time(struct mc_procedure *p, struct mc_channel *ch, const char *s,
			      const char *end, struct time_split *amb)
{
	static const char *const none[] = { "Không có thông tin", "Không quy định",
					    "Không phải trả kết quả cho người nộp thuế" };
	amb->digits = NULL;
	amb->bare = false;
	for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++)
		if (starts(s, end, none[i])) {
			ch->time_text = xstrdup(none[i]);
			return s + strlen(none[i]);
		}
	if (starts(s, end, "Không")) {
		const char *q = s + strlen("Không");
		while (q < end && *q == ' ')
			q++;
		if (starts(q, end, "Không có thông tin") || starts(q, end, "Miễn phí")) {
			ch->time_text = xstrdup("Không");
			return q;
		}
	}
	if (is_digit(s, end)) {
		const char *q = s;
		while (is_digit(q, end))
			q++;
		if (q + 1 < end && (*q == ',' || *q == '.') && is_digit(q + 1, end) &&
		    !(q + 4 <= end && is_digit(q + 1, end) && is_digit(q + 2, end) && is_digit(q + 3, end))) {
			q++;
			while (is_digit(q, end))
				q++;
		}
		char *num = xstrndup(s, (size_t)(q - s));
		for (char *c = num; *c; c++)
			if (*c == ',')
				*c = '.';
		double v = atof(num);
		free(num);
		const char *u = q;
		if (u < end && *u == ' ')
			u++;
		static const struct { const char *word, *unit; } units[] = {
			{ "Ngày làm việc", MC_TIME_DAY }, { "Ngày", MC_TIME_DAY },
			{ "Giờ làm việc", MC_TIME_HOUR }, { "Giờ", MC_TIME_HOUR },
		};
		for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
			if (starts(u, end, units[i].word)) {
				const char *e = u + strlen(units[i].word);
				set_time(ch, s, e, v, units[i].unit);
				return e;
			}
		/* Digits glued to an amount ("120 VNĐ", "120,000 VNĐ"): split later. */
		const char *d = q;
		while (d < end && (is_digit(d, end) || *d == ',' || *d == '.'))
			d++;
		const char *w = d < end && *d == ' ' ? d + 1 : d;
		if (money_unit_at(w, end)) {
			amb->digits = s;
			amb->digits_end = d;
			return d;
		}
		/* A bare number: the unit was lost in the crawl. */
		set_time(ch, s, q, v, MC_TIME_DAY);
		amb->bare = true;
		return q;
	}
	const char *f = find_fee(s, end);
	if (!f)
		return s;
	ch->time_text = clean(s, f);
	if (*ch->time_text)
		add_note_clip(p, "thời hạn không phải số ngày/giờ: \"%s\"", ch->time_text);
	return f;
}

/* Splits glued "<time><amount>" digits: the amount is confirmed by the note
 * ("(20.000 vnđ /tờ khai)"), in thousands or not; otherwise time = 1 digit. */
static void split_glued(struct mc_procedure *p, struct mc_channel *ch, const struct time_split *amb,
			long long note_amt, long long *amount)
{
	const char *s = amb->digits, *e = amb->digits_end;
	size_t n = (size_t)(e - s), best = 0;
	long long best_f = -1;
	for (size_t k = 1; k < n && is_digit(s + k - 1, e); k++) {
		if (!is_digit(s + k, e))
			break;
		long long f = 0;
		for (const char *q = s + k; q < e; q++)
			if (*q >= '0' && *q <= '9')
				f = f * 10 + (*q - '0');
		if (note_amt > 0 && (f == note_amt || same_leading_digits(f, note_amt))) {
			best = k;
			best_f = f;
			break;
		}
		if (!best) {
			best = k;
			best_f = f;
		}
	}
	char *t = xstrndup(s, best ? best : n);
	set_time(ch, t, t + strlen(t), atof(t), MC_TIME_DAY);
	free(t);
	bool confirmed = note_amt > 0 && (best_f == note_amt || same_leading_digits(best_f, note_amt));
	if (!confirmed)
		add_note(p, "không tách chắc chắn được thời hạn và lệ phí trong \"%.*s\"",
			 (int)n, s);
	add_note(p, "thời hạn \"%s\" không ghi đơn vị, tạm hiểu là ngày làm việc", ch->time_text);
	*amount = best_f;
}

static void parse_channel_row(struct mc_procedure *p, const char *name, const char *s, const char *end,
			      const char *steps)
{
	p->channels = xrealloc(p->channels, (p->nchannels + 1) * sizeof(*p->channels));
	struct mc_channel *ch = &p->channels[p->nchannels++];
	memset(ch, 0, sizeof(*ch));
	ch->channel = xstrdup(name);

	struct time_split amb;
	const char *q = parse_time(p, ch, s, end, &amb);
	long long amount = -1;
	char *token = NULL;
	bool is_free = false, unknown = false;
	if (amb.digits) {
		long long v;
		size_t n = money_at(q, end, &v);
		const char *u = q < end && *q == ' ' ? q + 1 : q;
		token = clean(u, q + n);
		q += n;
	} else if (starts(q, end, "Miễn phí")) {
		token = xstrdup("Miễn phí");
		q += strlen("Miễn phí");
		is_free = true;
	} else if (starts(q, end, "Không có thông tin")) {
		q += strlen("Không có thông tin");
		unknown = true;
	} else {
		long long v;
		size_t n = money_at(q, end, &v);
		if (n) {
			token = clean(q, q + n);
			amount = v;
			q += n;
		} else if (q < end) {
			const char *e = q;
			while (e < end && *e != '(')
				e++;
			token = clean(q, e);
			q = e;
			add_note_clip(p, "không hiểu lệ phí \"%s\"", token);
			unknown = true;
		}
	}
	char *note = NULL;
	if (q < end && *q == '(')
		q = paren_note(q, end, &note);
	long long namt = note_amount(note);
	if (amb.digits) {
		split_glued(p, ch, &amb, namt, &amount);
		free(token);
		token = xasprintf("%lld VNĐ", amount);
	}
	if (token)
		ch->fee_text = note && *note ? xasprintf("%s (%s)", token, note) : xstrdup(token);
	if (is_free) {
		if (!note || fee_note_means_free(note)) {
			ch->fee_amount = 0;
			ch->has_fee_amount = true;
		} else {
			add_note_clip(p, "lệ phí ghi \"Miễn phí\" nhưng kèm ghi chú: \"%s\"", note);
		}
	} else if (!unknown && token) {
		if (amount >= 1000) {
			ch->fee_amount = amount;
			ch->has_fee_amount = true;
		} else if (namt > 0 && (amount <= 0 || same_leading_digits(amount, namt))) {
			/* the portal's amount lost its zeros ("40" for 4.000 đ, "25"
			 * for 25.000.000 đ); the note has it in full */
			ch->fee_amount = namt;
			ch->has_fee_amount = true;
		} else {
			add_note_clip(p, "không rõ số tiền lệ phí \"%s\"", ch->fee_text);
		}
	}
	free(token);
	free(note);
	char *desc = clean(q, end);
	if (*desc)
		ch->description = desc;
	else
		free(desc);
	/* a bare "5": confirmed when the description or the steps say "05 ngày làm việc" */
	if (amb.bare && !mentions_days(ch->description, ch->time_value) &&
	    !mentions_days(steps, ch->time_value))
		add_note(p, "thời hạn \"%s\" không ghi đơn vị, tạm hiểu là ngày làm việc", ch->time_text);
}

void mc_parse_channels(struct mc_procedure *p, const char *text, const char *steps)
{
	const char *s = text, *end = text + strlen(text);
	while (s < end && isspace((unsigned char)*s))
		s++;
	if (s == end || is_no_info(text))
		return;
	if (!starts(s, end, CHANNEL_HEADER)) {
		add_note(p, "không đọc được bảng cách thức thực hiện");
		return;
	}
	s += strlen(CHANNEL_HEADER);
	const char *row = NULL, *row_name = NULL;
	for (const char *q = s; q < end; q++) {
		const char *name;
		size_t n = channel_at(q, end, &name);
		if (!n)
			continue;
		if (row)
			parse_channel_row(p, row_name, row, q, steps);
		else if (q > s) {
			char *pre = clean(s, q);
			if (*pre)
				add_note_clip(p, "cách thức thực hiện có đoạn không rõ kênh: \"%s\"", pre);
			free(pre);
		}
		row = q + n;
		row_name = name;
		q += n - 1;
	}
	if (row)
		parse_channel_row(p, row_name, row, end, steps);
	else
		add_note(p, "không tìm thấy kênh nộp trong cách thức thực hiện");

	size_t pick = 0;
	for (size_t i = 0; i < p->nchannels; i++)
		if (!strcmp(p->channels[i].channel, "Trực tiếp")) {
			pick = i;
			break;
		}
	if (p->nchannels) {
		struct mc_channel *c = &p->channels[pick];
		p->time_text = c->time_text ? xstrdup(c->time_text) : NULL;
		p->time_value = c->time_value;
		p->time_unit = c->time_unit;
		p->fee_text = c->fee_text ? xstrdup(c->fee_text) : NULL;
		p->fee_amount = c->fee_amount;
		p->has_fee_amount = c->has_fee_amount;
	}
}

/* ---- components: "[label]Tên giấy tờMẫu đơn, tờ khaiSố lượng" + rows ---- */

#define COMPONENT_HEADER "Tên giấy tờMẫu đơn, tờ khaiSố lượng"

/* Next row-ending count "N bản chính[,M bản sao]" or "N bản sao" in [s, end).
 * Counts written inside a paper's text ("nộp 02 bản chính tờ khai", "(01 bản
 * chính)") are zero-padded or followed by lower-case words; the table's own
 * count is one digit, sometimes glued to the text's last digits ("Mẫu số 18"
 * + "1 bản chính" = "Mẫu số 181 bản chính"). */
static bool find_count(const char *s, const char *end, const char **cs, const char **ce, int *orig,
		       int *copies)
{
	for (const char *q = s; (q = find(q, end, " bản ")); q++) {
		const char *w = q + strlen(" bản ");
		bool chinh = starts(w, end, "chính");
		if (!chinh && !starts(w, end, "sao"))
			continue;
		const char *d = q;
		while (d > s && d[-1] >= '0' && d[-1] <= '9')
			d--;
		size_t nd = (size_t)(q - d);
		if (!nd || (nd == 2 && d[0] == '0'))
			continue;
		const char *after = w + strlen(chinh ? "chính" : "sao");
		if (nd == 1 && after + 1 < end && *after == ' ' && is_lower(cp_at(after + 1, end, NULL)))
			continue;
		int n = q[-1] - '0';
		*orig = chinh ? n : 0;
		*copies = chinh ? 0 : n;
		if (chinh && after < end && *after == ',') {
			const char *r = after + 1;
			int c = 0;
			bool any = false;
			while (is_digit(r, end)) {
				c = c * 10 + (*r++ - '0');
				any = true;
			}
			if (any && starts(r, end, " bản sao")) {
				*copies = c;
				after = r + strlen(" bản sao");
			}
		}
		*cs = q - 1;
		*ce = after;
		return true;
	}
	return false;
}

static char *clean_label(const char *s, const char *end)
{
	char *t = clean(s, end);
	strip_bullets(t);
	if (!*t) {
		free(t);
		return NULL;
	}
	return t;
}

/* Drops enumerators from the front of a padded fold: " 1 3 doi voi" ->
 * " doi voi", " a doi voi", " iii truong hop". */
static const char *skip_enum(const char *f)
{
	for (int i = 0; i < 3; i++) {
		const char *w = f + 1, *e = strchr(w, ' ');
		if (!e || e == w)
			break;
		size_t n = (size_t)(e - w);
		bool num = true, roman = true, letter = n <= 4 && w[0] >= 'a' && w[0] <= 'z';
		for (size_t k = 0; k < n; k++) {
			num &= (w[k] >= '0' && w[k] <= '9') || w[k] == '.';
			roman &= w[k] == 'i' || w[k] == 'v' || w[k] == 'x' || w[k] == '.';
			if (k)
				letter &= (w[k] >= '0' && w[k] <= '9') || w[k] == '.';
		}
		/* "1.3", "iii", "a", "k2", "i.1" */
		if (!(num || (roman && n <= 5) || letter))
			break;
		f = e;
	}
	return f;
}

static const char *const openers[] = {
	" truong hop ", " trong truong hop ", " neu ", " doi voi ", " rieng ", " ngoai ra ",
	" tuy tung truong hop ", " tuy truong hop ", " khi ", " ngoai ho so ", " ngoai giay to ",
};

/* The condition clause of a conditional text, as a padded fold, or NULL. */
static char *condition_clause(const char *text)
{
	char *f = fold_padded(text);
	const char *g = skip_enum(f);
	for (size_t i = 0; i < sizeof(openers) / sizeof(openers[0]); i++)
		if (!strncmp(g, openers[i], strlen(openers[i]))) {
			/* up to "thi" (then) or the end: "Trường hợp X thì ..." */
			char *thi = strstr(g, " thi ");
			char *r = thi ? xstrndup(g, (size_t)(thi - g) + 1) : xstrdup(g);
			free(f);
			return r;
		}
	/* "..., nếu X" closing the text is a condition; "nếu X thì Y" inside
	 * it is an alternative ("Giấy chứng sinh; ... nếu không có người làm
	 * chứng thì phải có giấy cam đoan") */
	char *neu = strstr(f + 1, " neu ");
	if (neu && !strstr(neu, " thi ")) {
		char *r = xstrdup(neu);
		free(f);
		return r;
	}
	char *c = strstr(f, " trong truong hop ");
	if (!c)
		c = strstr(f, " doi voi truong hop ");
	if (c) {
		char *r = xstrdup(c);
		free(f);
		return r;
	}
	free(f);
	/* parenthesised conditions: "(nếu có)", "(nếu ... trực tiếp ...)" */
	static const char *const parens[] = { "(nếu", "(Nếu", "(trường hợp", "(Trường hợp",
					      "(đối với trường hợp", "(Đối với trường hợp" };
	for (size_t i = 0; i < sizeof(parens) / sizeof(parens[0]); i++) {
		const char *q = strstr(text, parens[i]);
		if (q) {
			const char *e = strchr(q, ')');
			char *in = e ? xstrndup(q, (size_t)(e - q)) : xstrdup(q);
			char *r = fold_padded(in);
			free(in);
			return r;
		}
	}
	return NULL;
}

/* A condition met at the counter itself ("nếu nộp hồ sơ trực tiếp"). */
static bool counter_condition(const char *clause)
{
	return strstr(clause, " truc tiep ") != NULL;
}

bool mc_component_mandatory(const char *grp, const char *name)
{
	const char *texts[2] = { grp, name };
	for (int i = 0; i < 2; i++) {
		if (!texts[i])
			continue;
		char *c = condition_clause(texts[i]);
		if (c) {
			bool met = counter_condition(c);
			free(c);
			if (!met)
				return false;
		}
	}
	return true;
}

enum mc_component_kind mc_component_kind_of(const char *grp, const char *name)
{
	enum mc_component_kind k = MC_COMPONENT_SUBMIT;
	if (grp) {
		char *f = fold_padded(grp);
		if (strstr(f, " xuat trinh ") && !strstr(f, " phai nop "))
			k = MC_COMPONENT_PRESENT;
		free(f);
	}
	char *f = fold_padded(name);
	if (!strncmp(skip_enum(f), " xuat trinh ", 12))
		k = MC_COMPONENT_PRESENT;
	free(f);
	return k;
}

static bool has_form_ext(const char *t, size_t n, size_t *dot)
{
	static const char *const exts[] = { ".docx", ".doc", ".pdf", ".xlsx", ".xls" };
	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		size_t k = strlen(exts[i]);
		if (n > k && !strcasecmp(t + n - k, exts[i])) {
			*dot = n - k;
			return true;
		}
	}
	return false;
}

/* Splits "…theo mẫu)Mẫu CC01 Phiếu thu nhận.doc" into name and form file. The
 * file name starts after ")", "]", ";" or a sentence's ".", or where a capital
 * is glued to a lower-case letter ("quy địnhMauon.docx"). */
static char *split_form(char *t)
{
	size_t n = strlen(t), dot;
	if (!has_form_ext(t, n, &dot))
		return NULL;
	size_t from = dot > 160 ? dot - 160 : 0;
	const char *end = t + dot;
	const char *punct = NULL, *glue = NULL, *mau = NULL;
	int32_t prev = 0, prev2 = 0;
	const char *q = t + from;
	/* land on a character boundary */
	while (q > t && ((unsigned char)*q & 0xC0) == 0x80)
		q--;
	while (q < end) {
		size_t len;
		int32_t cp = cp_at(q, end, &len);
		if (q > t && cp != ' ') {
			if (prev == ')' || prev == ']' || prev == ';' ||
			    (prev == '.' && !(prev2 >= '0' && prev2 <= '9')))
				punct = q;
			if (is_upper(cp) && is_lower(prev))
				glue = q;
			/* "…TT-BXDMẫu số 02.docx", "…sảnMau07-Phuluc.docx" */
			if (cp == 'M' && prev != ' ' && prev != '-' && prev != '_' &&
			    (starts(q, end, "Mẫu") || starts(q, end, "Mau") || starts(q, end, "Mu")))
				mau = q;
		}
		prev2 = prev;
		prev = cp;
		q += len;
	}
	const char *b = mau ? mau : punct ? punct : glue;
	if (!b) {
		/* the whole row is a file name only when it has no spaces */
		if (strchr(t, ' ')) {
			const char *sp = strrchr(t, ' ');
			b = sp + 1;
		} else {
			b = t;
		}
	}
	char *form = xstrdup(b);
	t[b - t] = '\0';
	return form;
}

static void add_component(struct mc_procedure *p, const char *grp, const char *s, const char *e,
			  const char *raw_end, int orig, int copies, bool has_count)
{
	p->components = xrealloc(p->components, (p->ncomponents + 1) * sizeof(*p->components));
	struct mc_component *c = &p->components[p->ncomponents++];
	memset(c, 0, sizeof(*c));
	size_t id = p->ncomponents;
	c->grp = grp ? xstrdup(grp) : NULL;
	c->raw = xstrndup(s, (size_t)(raw_end - s));
	char *t = clean(s, e);
	c->form = split_form(t);
	strip_bullets(t);
	if (!*t && c->form) {
		free(t);
		t = xstrdup(c->form);
	}
	if (!*t) {
		free(t);
		t = xstrdup("(không có tên giấy tờ)");
		c->needs_review = true;
		add_note(p, "thành phần %zu: không có tên giấy tờ", id);
	}
	c->name = t;
	c->originals = orig;
	c->copies = copies;
	c->kind = mc_component_kind_of(grp, t);
	if (!has_count) {
		c->needs_review = true;
		if (c->kind == MC_COMPONENT_PRESENT) {
			c->originals = 1;
			add_note(p, "thành phần %zu: không ghi số lượng, tạm coi 1 bản chính để xuất trình", id);
		} else {
			add_note(p, "thành phần %zu: không ghi số lượng", id);
		}
	}
	c->mandatory = (c->originals || c->copies) && mc_component_mandatory(grp, t);
}

static bool blank(const char *s, const char *e)
{
	for (; s < e; s++)
		if (!strchr(" \t\r\n.;,:-", *s))
			return false;
	return true;
}

void mc_parse_components(struct mc_procedure *p, const char *text)
{
	const char *end = text + strlen(text);
	const char *h = find(text, end, COMPONENT_HEADER);
	if (!h) {
		if (is_no_info(text)) {
			add_note(p, "không có thành phần hồ sơ");
			return;
		}
		p->components = xcalloc(1, sizeof(*p->components));
		p->ncomponents = 1;
		struct mc_component *c = &p->components[0];
		c->name = xstrdup("(chưa tách được thành phần hồ sơ, xem văn bản gốc)");
		c->raw = xstrdup(text);
		c->needs_review = true;
		add_note(p, "không tìm thấy bảng thành phần hồ sơ, văn bản gốc được giữ để rà soát");
		return;
	}
	char *label = clean_label(text, h);
	const char *piece = h + strlen(COMPONENT_HEADER);
	while (piece <= end) {
		const char *next = find(piece, end, COMPONENT_HEADER);
		const char *pend = next ? next : end;
		const char *cur = piece, *cs, *ce;
		int o, c;
		bool any = false;
		while (find_count(cur, pend, &cs, &ce, &o, &c)) {
			add_component(p, label, cur, cs, ce, o, c, true);
			cur = ce;
			any = true;
		}
		if (!any) {
			if (!blank(cur, pend))
				add_component(p, label, cur, pend, pend, 0, 0, false);
			free(label);
			label = NULL;
		} else if (!next) {
			if (!blank(cur, pend))
				add_component(p, label, cur, pend, pend, 0, 0, false);
		} else {
			free(label);
			label = clean_label(cur, pend);
		}
		if (!next)
			break;
		piece = next + strlen(COMPONENT_HEADER);
	}
	free(label);
}

/* ---- legal basis: "Tên văn bản pháp lýMã văn bản" + (name, number)* ------ */

#define LEGAL_HEADER "Tên văn bản pháp lýMã văn bản"

/* A document number "123/2015/NĐ-CP", "66.7/2025/NQ-CP", "60/2014/QH13" at s;
 * returns its end or NULL. A capital glued after the number starts the next
 * document's name ("85/2019/TT-BTCNghị định"): it is left out. */
static const char *legal_number_end(const char *s, const char *end)
{
	const char *q = s;
	if (!is_digit(q, end))
		return NULL;
	while (is_digit(q, end))
		q++;
	if (q < end && *q == '.' && is_digit(q + 1, end)) {
		q++;
		while (is_digit(q, end))
			q++;
	}
	if (q >= end || *q != '/')
		return NULL;
	const char *slash = q++;
	if (q + 5 <= end && is_digit(q, end) && is_digit(q + 1, end) && is_digit(q + 2, end) &&
	    is_digit(q + 3, end) && q[4] == '/')
		q += 5; /* the year; "2222/QĐ-BHXH" has none */
	const char *start = q, *last = NULL;
	while (q < end) {
		size_t len;
		int32_t cp = cp_at(q, end, &len);
		if (is_upper(cp) || (cp >= '0' && cp <= '9') || (cp == '-' && q > start)) {
			last = q;
			q += len;
		} else {
			break;
		}
	}
	if (!last)
		return NULL;
	if (q < end && *q == 'g' && q - start >= 2 && !memcmp(q - 2, "TT", 2))
		q++; /* "QĐ-TTg": the Prime Minister's decisions */
	else if (q < end && is_lower(cp_at(q, end, NULL)) && last > start)
		q = last; /* give the capital back to the next word */
	while (q > start && q[-1] == '-')
		q--;
	if (q < end && (*q == '/' || (*q == '.' && is_digit(q + 1, end)))) {
		/* the same number written twice, glued: "60/2014/QH1360/2014/QH13" */
		const char *d = q;
		while (d > start && d[-1] >= '0' && d[-1] <= '9')
			d--;
		for (const char *split = d; split < q; split++)
			if ((size_t)(end - split) > (size_t)(slash - s) &&
			    !memcmp(s, split, (size_t)(slash - s + 1)) && legal_number_end(split, end))
				return split;
		return NULL;
	}
	return q > start ? q : NULL;
}

static void add_legal(struct mc_procedure *p, const char *ns, const char *ne, const char *num_s,
		      const char *num_e)
{
	p->legal = xrealloc(p->legal, (p->nlegal + 1) * sizeof(*p->legal));
	struct mc_legal *l = &p->legal[p->nlegal++];
	l->name = clean(ns, ne);
	if (!*l->name)
		FREE(&l->name);
	l->number = num_s ? clean(num_s, num_e) : NULL;
}

void mc_parse_legal(struct mc_procedure *p, const char *text)
{
	const char *s = text, *end = text + strlen(text);
	if (is_no_info(text))
		return;
	if (starts(s, end, LEGAL_HEADER))
		s += strlen(LEGAL_HEADER);
	const char *entry = s, *glued = NULL;
	for (const char *q = s; q < end; q++) {
		if (!is_digit(q, end))
			continue;
		if (q != glued && ((q > s && (is_digit(q - 1, end) || q[-1] == '/')) ||
				   (q - 1 > s && q[-1] == '.' && is_digit(q - 2, end))))
			continue;
		const char *e = legal_number_end(q, end);
		if (!e)
			continue;
		const char *r = e;
		while (r < end && (*r == ' ' || *r == '.'))
			r++;
		int32_t next = cp_at(r, end, NULL);
		if (r == end || is_upper(next)) {
			add_legal(p, entry, q, q, e);
			entry = r;
			q = r - 1;
		} else {
			if (is_digit(e, end))
				glued = e; /* "Luật 54/2014/QH13" + "54/2014/QH13" */
			q = e - 1;
		}
	}
	if (!blank(entry, end)) {
		add_legal(p, entry, end, NULL, NULL);
		add_note(p, "căn cứ pháp lý có đoạn không nhận ra số hiệu văn bản");
	}
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "");
	for (size_t i = 0; i < p->nlegal; i++)
		strbuf_addf(&sb, "%s%s\t%s", i ? "\n" : "", p->legal[i].number ? p->legal[i].number : "",
			    p->legal[i].name ? p->legal[i].name : "");
	p->legal_text = strbuf_detach(&sb);
}

/* ---- the whole line ----------------------------------------------------- */

static const char *jstr(json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));
	return v ? v : "";
}

/* Cleaned one-line text, NULL for "Không có thông tin" or empty. */
static char *opt_line(const char *s)
{
	if (is_no_info(s))
		return NULL;
	return mc_clean_text(s, strlen(s));
}

/* Multi-line text kept as written (trimmed), NULL for no information. */
static char *opt_block(const char *s)
{
	if (is_no_info(s))
		return NULL;
	const char *e = s + strlen(s);
	while (s < e && isspace((unsigned char)*s))
		s++;
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	return xstrndup(s, (size_t)(e - s));
}

/* "Giấy khai sinhMã: KQ.G15.000031Từ khóaKhông có thông tinMô tả…Chọn cơ quan
 * thực hiện…" -> "Giấy khai sinh (Mã: KQ.G15.000031)". */
static char *clean_result(const char *s)
{
	const char *end = s + strlen(s);
	const char *junk = find(s, end, "Chọn cơ quan thực hiện");
	if (junk)
		end = junk;
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "");
	const char *q = s;
	while (q < end) {
		if (starts(q, end, "Từ khóaKhông có thông tin")) {
			q += strlen("Từ khóaKhông có thông tin");
		} else if (starts(q, end, "Mô tảKhông có thông tin")) {
			q += strlen("Mô tảKhông có thông tin");
		} else if (starts(q, end, "Mã: ")) {
			const char *e = q + strlen("Mã: ");
			while (e < end && (isalnum((unsigned char)*e) || *e == '.' || *e == '-' || *e == '_'))
				e++;
			/* "KQ.G15.000031Từ khóa": a capital glued to a word is not the code's */
			if (e - 1 > q && isupper((unsigned char)e[-1]) && e < end &&
			    ((unsigned char)*e >= 0x80 || islower((unsigned char)*e)))
				e--;
			strbuf_addstr(&sb, " (");
			strbuf_add(&sb, q, (size_t)(e - q));
			strbuf_addstr(&sb, ")\n");
			q = e;
		} else if (starts(q, end, "Từ khóa")) {
			strbuf_addstr(&sb, " Từ khóa: ");
			q += strlen("Từ khóa");
		} else if (starts(q, end, "Mô tả")) {
			strbuf_addstr(&sb, " Mô tả: ");
			q += strlen("Mô tả");
		} else {
			strbuf_addch(&sb, *q++);
		}
	}
	char *raw = strbuf_detach(&sb);
	/* one result per line, each line cleaned */
	struct strbuf out = STRBUF_INIT;
	strbuf_addstr(&out, "");
	for (char *line = raw, *nl; line; line = nl) {
		nl = strchr(line, '\n');
		if (nl)
			*nl++ = '\0';
		char *c = mc_clean_text(line, strlen(line));
		if (*c)
			strbuf_addf(&out, "%s%s", out.len ? "\n" : "", c);
		free(c);
	}
	free(raw);
	if (!out.len) {
		strbuf_release(&out);
		return NULL;
	}
	return strbuf_detach(&out);
}

int mc_procedure_parse(const char *line, struct mc_procedure *p, struct strbuf *err)
{
	json_error_t je;
	json_t *o = json_loads(line, 0, &je);
	if (!o || !json_is_object(o)) {
		strbuf_addf(err, "dòng không phải đối tượng JSON hợp lệ (%s)", o ? "không phải đối tượng" : je.text);
		json_decref(o);
		return -1;
	}
	char *code = mc_clean_text(jstr(o, "ma_thu_tuc"), strlen(jstr(o, "ma_thu_tuc")));
	char *name = mc_clean_text(jstr(o, "ten_thu_tuc"), strlen(jstr(o, "ten_thu_tuc")));
	if (!*code || !*name) {
		strbuf_addf(err, "thiếu %s", !*code ? "mã thủ tục (ma_thu_tuc)" : "tên thủ tục (ten_thu_tuc)");
		free(code);
		free(name);
		json_decref(o);
		return -1;
	}
	p->code = code;
	p->name = name;
	p->field = opt_line(jstr(o, "linh_vuc"));
	if (!p->field) {
		p->field = xstrdup("Chưa phân loại");
		add_note(p, "không có lĩnh vực");
	}
	p->level = opt_line(jstr(o, "cap_thuc_hien"));
	p->kind = opt_line(jstr(o, "loai_thu_tuc"));
	p->decision = opt_line(jstr(o, "so_quyet_dinh"));
	p->applicants = opt_line(jstr(o, "doi_tuong_thuc_hien"));
	p->agency = opt_line(jstr(o, "co_quan_thuc_hien"));
	if (!p->agency)
		p->agency = opt_line(jstr(o, "co_quan_co_tham_quyen"));
	p->steps = opt_block(jstr(o, "trinh_tu_thuc_hien"));
	p->conditions = opt_block(jstr(o, "yeu_cau_dieu_kien"));
	p->result = clean_result(jstr(o, "ket_qua_xu_ly"));
	p->url = opt_line(jstr(o, "detail_url"));
	mc_parse_channels(p, jstr(o, "cach_thuc_thuc_hien"), p->steps);
	mc_parse_components(p, jstr(o, "thanh_phan_ho_so"));
	mc_parse_legal(p, jstr(o, "can_cu_phap_ly"));
	json_decref(o);
	return 0;
}
