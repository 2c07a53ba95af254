/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "core/calendar.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/text.h"

/* How far mc_next_working_day looks before giving up (a calendar whose every
 * day is off is a data error, not an infinite loop). */
#define SEARCH_LIMIT_DAYS 3660

void mc_calendar_init(struct mc_calendar *cal)
{
	cal->days = NULL;
	cal->ndays = cal->alloc = 0;
	memset(cal->periods, 0, sizeof(cal->periods));
	cal->periods[0] = (struct mc_period){ 7 * 60, 11 * 60 + 30 };
	cal->periods[1] = (struct mc_period){ 13 * 60 + 30, 17 * 60 };
	cal->nperiods = 2;
	cal->cutoff = 15 * 60;
}

void mc_calendar_release(struct mc_calendar *cal)
{
	for (size_t i = 0; i < cal->ndays; i++)
		free(cal->days[i].name);
	FREE(&cal->days);
	cal->ndays = cal->alloc = 0;
}

/* Index of the first override with .day >= day. */
static size_t lower_bound(const struct mc_calendar *cal, long day)
{
	size_t lo = 0, hi = cal->ndays;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cal->days[mid].day < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void mc_calendar_set_day(struct mc_calendar *cal, long day, enum mc_day_kind kind, const char *name)
{
	size_t i = lower_bound(cal, day);
	if (i < cal->ndays && cal->days[i].day == day) {
		free(cal->days[i].name);
	} else {
		if (cal->ndays == cal->alloc) {
			cal->alloc = cal->alloc ? cal->alloc * 2 : 32;
			cal->days = xrealloc(cal->days, cal->alloc * sizeof(*cal->days));
		}
		memmove(cal->days + i + 1, cal->days + i, (cal->ndays - i) * sizeof(*cal->days));
		cal->ndays++;
	}
	cal->days[i].day = day;
	cal->days[i].kind = kind;
	cal->days[i].name = name && *name ? xstrdup(name) : NULL;
}

const struct mc_day_override *mc_calendar_get_day(const struct mc_calendar *cal, long day)
{
	size_t i = lower_bound(cal, day);
	if (i < cal->ndays && cal->days[i].day == day)
		return &cal->days[i];
	return NULL;
}

bool mc_calendar_has_year(const struct mc_calendar *cal, int y)
{
	size_t i = lower_bound(cal, mc_days_from_civil(y, 1, 1));
	return i < cal->ndays && cal->days[i].day < mc_days_from_civil(y + 1, 1, 1);
}

bool mc_is_working_day(const struct mc_calendar *cal, long day)
{
	const struct mc_day_override *o = mc_calendar_get_day(cal, day);
	if (o)
		return o->kind == MC_DAY_WORK;
	int wd = mc_weekday(day);
	return wd != 0 && wd != 6;
}

long mc_next_working_day(const struct mc_calendar *cal, long day)
{
	for (long d = day + 1; d <= day + SEARCH_LIMIT_DAYS; d++)
		if (mc_is_working_day(cal, d))
			return d;
	return -1;
}

/* ---- the holidays file ---- */

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Copies [s, e) into a NUL-terminated malloc'd string. */
static char *span_dup(const char *s, const char *e)
{
	return xstrndup(s, (size_t)(e - s));
}

struct seen_day {
	long day;
	int line;
};

struct parse_ctx {
	struct mc_calendar *cal;
	const char *filename;
	struct strbuf *errs;
	int nerr;
	struct seen_day *seen; /* days given by this text, for duplicates */
	size_t nseen, aseen;
};

static void bad_line(struct parse_ctx *pc, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void bad_line(struct parse_ctx *pc, int line, const char *fmt, ...)
{
	pc->nerr++;
	if (!pc->errs)
		return;
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	strbuf_addf(pc->errs, "%s:%d: %s\n", pc->filename ? pc->filename : "(lịch nghỉ)", line, msg);
	free(msg);
}

static int seen_line(const struct parse_ctx *pc, long day)
{
	for (size_t i = 0; i < pc->nseen; i++)
		if (pc->seen[i].day == day)
			return pc->seen[i].line;
	return 0;
}

static void remember(struct parse_ctx *pc, long day, int line)
{
	if (pc->nseen == pc->aseen) {
		pc->aseen = pc->aseen ? pc->aseen * 2 : 64;
		pc->seen = xrealloc(pc->seen, pc->aseen * sizeof(*pc->seen));
	}
	pc->seen[pc->nseen++] = (struct seen_day){ day, line };
}

/* One line, without its end of line; s..e. */
static void parse_line(struct parse_ctx *pc, const char *s, const char *e, int line)
{
	/* A comment starts at '#' at the start of the line or after a blank. */
	for (const char *p = s; p < e; p++) {
		if (*p == '#' && (p == s || is_blank(p[-1]))) {
			e = p;
			break;
		}
	}
	while (s < e && is_blank(*s))
		s++;
	while (e > s && (is_blank(e[-1]) || e[-1] == '\r'))
		e--;
	if (s == e)
		return;

	const char *t = s;
	while (t < e && !is_blank(*t))
		t++;
	char *date = span_dup(s, t);
	struct mc_date d;
	if (mc_parse_date(date, &d)) {
		bad_line(pc, line, "ngày không hợp lệ «%s» (cần dạng YYYY-MM-DD, ví dụ 2025-09-02)", date);
		free(date);
		return;
	}
	while (t < e && is_blank(*t))
		t++;
	const char *k = t;
	while (t < e && !is_blank(*t))
		t++;
	char *kind = span_dup(k, t);
	enum mc_day_kind dk;
	if (!*kind) {
		bad_line(pc, line, "thiếu loại ngày sau %s: cần «off» (nghỉ) hoặc «work» (làm việc)", date);
		goto out;
	}
	if (!strcasecmp(kind, "off")) {
		dk = MC_DAY_OFF;
	} else if (!strcasecmp(kind, "work")) {
		dk = MC_DAY_WORK;
	} else {
		bad_line(pc, line, "loại ngày «%s» không hợp lệ: cần «off» (nghỉ) hoặc «work» (làm việc)",
			 kind);
		goto out;
	}
	while (t < e && is_blank(*t))
		t++;
	char *name = span_dup(t, e);
	if (!mc_text_valid(name)) {
		bad_line(pc, line, "tên ngày không phải văn bản UTF-8 hợp lệ");
		free(name);
		goto out;
	}
	long day = mc_days_from_civil(d.y, d.m, d.d);
	int prev = seen_line(pc, day);
	if (prev) {
		bad_line(pc, line, "ngày %s đã được khai báo ở dòng %d", date, prev);
		free(name);
		goto out;
	}
	remember(pc, day, line);
	char *nfc = mc_text_nfc(name);
	mc_calendar_set_day(pc->cal, day, dk, nfc);
	free(nfc);
	free(name);
out:
	free(kind);
	free(date);
}

int mc_calendar_parse(struct mc_calendar *cal, const char *text, const char *filename,
		      struct strbuf *errs)
{
	struct parse_ctx pc = { .cal = cal, .filename = filename, .errs = errs };
	const char *p = text;
	if (!strncmp(p, "\xEF\xBB\xBF", 3))
		p += 3;
	for (int line = 1; *p; line++) {
		const char *eol = strchr(p, '\n');
		const char *e = eol ? eol : p + strlen(p);
		parse_line(&pc, p, e, line);
		p = eol ? eol + 1 : e;
	}
	free(pc.seen);
	return pc.nerr;
}

/* ---- office hours ---- */

int mc_parse_hhmm(const char *s, bool allow_24, int *minutes)
{
	if (strlen(s) != 5 || s[2] != ':')
		return -1;
	for (int i = 0; i < 5; i++)
		if (i != 2 && (s[i] < '0' || s[i] > '9'))
			return -1;
	int hh = (s[0] - '0') * 10 + (s[1] - '0');
	int mi = (s[3] - '0') * 10 + (s[4] - '0');
	if (mi > 59 || hh > 24 || (hh == 24 && (mi || !allow_24)))
		return -1;
	*minutes = hh * 60 + mi;
	return 0;
}

static void trim(char **s)
{
	while (is_blank(**s))
		(*s)++;
	char *e = *s + strlen(*s);
	while (e > *s && is_blank(e[-1]))
		*--e = '\0';
}

int mc_calendar_parse_hours(struct mc_calendar *cal, const char *text, struct strbuf *err)
{
	struct mc_period p[MC_MAX_PERIODS];
	int n = 0, rc = -1;
	char *copy = xstrdup(text);
	char *tok = copy;
	for (;;) {
		char *comma = strchr(tok, ',');
		if (comma)
			*comma = '\0';
		trim(&tok);
		if (n == MC_MAX_PERIODS) {
			strbuf_addf(err, "giờ làm việc có quá %d buổi", MC_MAX_PERIODS);
			goto out;
		}
		char *dash = strchr(tok, '-');
		int a, b;
		if (dash)
			*dash = '\0';
		if (!dash || mc_parse_hhmm(tok, false, &a) || mc_parse_hhmm(dash + 1, true, &b)) {
			if (dash)
				*dash = '-';
			strbuf_addf(err, "buổi làm việc «%s» không hợp lệ: cần dạng HH:MM-HH:MM,"
				    " ví dụ 07:00-11:30,13:30-17:00", tok);
			goto out;
		}
		*dash = '-';
		if (b <= a) {
			strbuf_addf(err, "buổi làm việc «%s» kết thúc không sau giờ bắt đầu", tok);
			goto out;
		}
		if (n && a < p[n - 1].end) {
			strbuf_addf(err, "buổi làm việc «%s» trùng hoặc đứng trước buổi liền trước", tok);
			goto out;
		}
		p[n++] = (struct mc_period){ a, b };
		if (!comma)
			break;
		tok = comma + 1;
	}
	memset(cal->periods, 0, sizeof(cal->periods));
	memcpy(cal->periods, p, (size_t)n * sizeof(p[0]));
	cal->nperiods = n;
	rc = 0;
out:
	free(copy);
	return rc;
}

int mc_calendar_set_cutoff(struct mc_calendar *cal, const char *text, struct strbuf *err)
{
	int m;
	if (mc_parse_hhmm(text, false, &m)) {
		strbuf_addf(err, "giờ chốt nhận hồ sơ «%s» không hợp lệ: cần dạng HH:MM, ví dụ 15:00", text);
		return -1;
	}
	cal->cutoff = m;
	return 0;
}

void mc_calendar_format_hours(const struct mc_calendar *cal, char *buf, size_t n)
{
	size_t used = 0;
	if (n)
		buf[0] = '\0';
	for (int i = 0; i < cal->nperiods && used < n; i++) {
		const struct mc_period *p = &cal->periods[i];
		int w = snprintf(buf + used, n - used, "%s%02d:%02d-%02d:%02d", i ? "," : "",
				 p->start / 60, p->start % 60, p->end / 60, p->end % 60);
		if (w < 0)
			break;
		used += (size_t)w;
	}
}

/* ---- appointments ---- */

static void set_dt(struct mc_dt *out, long day, int minute)
{
	mc_civil_from_days(day, &out->y, &out->m, &out->d);
	out->hh = minute / 60;
	out->mi = minute % 60;
}

static int opening(const struct mc_calendar *cal)
{
	return cal->periods[0].start;
}

static int closing(const struct mc_calendar *cal)
{
	return cal->periods[cal->nperiods - 1].end;
}

/* Moves (day, minute) to the first open instant at or after it. */
static int normalize(const struct mc_calendar *cal, long *day, int *minute)
{
	if (mc_is_working_day(cal, *day)) {
		for (int i = 0; i < cal->nperiods; i++) {
			if (*minute < cal->periods[i].start) {
				*minute = cal->periods[i].start;
				return 0;
			}
			if (*minute < cal->periods[i].end)
				return 0;
		}
	}
	long next = mc_next_working_day(cal, *day);
	if (next < 0)
		return -1;
	*day = next;
	*minute = opening(cal);
	return 0;
}

int mc_calendar_normalize(const struct mc_calendar *cal, const struct mc_dt *received,
			  struct mc_dt *out)
{
	long day = mc_days_from_civil(received->y, received->m, received->d);
	int minute = received->hh * 60 + received->mi;
	if (cal->nperiods < 1 || normalize(cal, &day, &minute))
		return -1;
	set_dt(out, day, minute);
	return 0;
}

static int add_days(const struct mc_calendar *cal, long day, int minute, int n, struct mc_dt *out)
{
	if (normalize(cal, &day, &minute))
		return -1;
	for (int i = 0; i < n; i++) {
		day = mc_next_working_day(cal, day);
		if (day < 0)
			return -1;
	}
	set_dt(out, day, minute);
	return 0;
}

static int in_the_day(const struct mc_calendar *cal, long day, int minute, struct mc_dt *out)
{
	if (!mc_is_working_day(cal, day) || minute >= cal->cutoff) {
		day = mc_next_working_day(cal, day);
		if (day < 0)
			return -1;
	}
	set_dt(out, day, closing(cal));
	return 0;
}

static int add_hours(const struct mc_calendar *cal, long day, int minute, long long left,
		     struct mc_dt *out)
{
	if (normalize(cal, &day, &minute))
		return -1;
	for (;;) {
		int i = 0;
		while (minute >= cal->periods[i].end)
			i++; /* normalize() guarantees a period holds minute */
		for (; i < cal->nperiods; i++) {
			if (minute < cal->periods[i].start)
				minute = cal->periods[i].start;
			int avail = cal->periods[i].end - minute;
			if (left <= avail) {
				set_dt(out, day, minute + (int)left);
				return 0;
			}
			left -= avail;
			minute = cal->periods[i].end;
		}
		day = mc_next_working_day(cal, day);
		if (day < 0)
			return -1;
		minute = opening(cal);
	}
}

int mc_appointment(const struct mc_calendar *cal, const struct mc_dt *received, int amount,
		   enum mc_time_unit unit, struct mc_dt *out)
{
	if (amount < 0 || cal->nperiods < 1)
		return -1;
	long day = mc_days_from_civil(received->y, received->m, received->d);
	int minute = received->hh * 60 + received->mi;
	switch (unit) {
	case MC_UNIT_DAYS:
		if (amount == 0)
			return in_the_day(cal, day, minute, out);
		return add_days(cal, day, minute, amount, out);
	case MC_UNIT_INDAY:
		return in_the_day(cal, day, minute, out);
	case MC_UNIT_HOURS:
		return add_hours(cal, day, minute, (long long)amount * 60, out);
	}
	return -1;
}
