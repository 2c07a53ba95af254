/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "core/datetime.h"

#include <stdio.h>
#include <string.h>

/* Howard Hinnant's days_from_civil / civil_from_days. */
long mc_days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void mc_civil_from_days(long z, int *y, int *m, int *d)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long yy = yoe + era * 400;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	long dd = doy - (153 * mp + 2) / 5 + 1;
	long mm = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yy + (mm <= 2));
	*m = (int)mm;
	*d = (int)dd;
}

int mc_weekday(long days)
{
	return (int)(days >= -4 ? (days + 4) % 7 : (days + 5) % 7 + 6);
}

static int days_in_month(int y, int m)
{
	static const int dim[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dim[m - 1];
}

bool mc_date_valid(int y, int m, int d)
{
	return y >= 1800 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

/* Reads exactly n digits. */
static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int mc_parse_date(const char *s, struct mc_date *out)
{
	int y, m, d;
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	if (digits(s, 4, &y) || digits(s + 5, 2, &m) || digits(s + 8, 2, &d))
		return -1;
	if (!mc_date_valid(y, m, d))
		return -1;
	out->y = y;
	out->m = m;
	out->d = d;
	return 0;
}

int mc_parse_dt(const char *s, struct mc_dt *out)
{
	struct mc_date dd;
	int hh, mi;
	char date[11];
	if (!s || strlen(s) != 16 || (s[10] != 'T' && s[10] != ' ') || s[13] != ':')
		return -1;
	memcpy(date, s, 10);
	date[10] = '\0';
	if (mc_parse_date(date, &dd) || digits(s + 11, 2, &hh) || digits(s + 14, 2, &mi))
		return -1;
	if (hh > 23 || mi > 59)
		return -1;
	out->y = dd.y;
	out->m = dd.m;
	out->d = dd.d;
	out->hh = hh;
	out->mi = mi;
	return 0;
}

int mc_parse_date_vn(const char *s, struct mc_date *out)
{
	if (!s)
		return -1;
	if (!mc_parse_date(s, out))
		return 0;
	int part[3] = { 0, 0, 0 }, len[3] = { 0, 0, 0 }, n = 0, digits = 0;
	for (const char *p = s; *p; p++) {
		if (*p >= '0' && *p <= '9') {
			if (len[n] >= 8)
				return -1;
			part[n] = part[n] * 10 + (*p - '0');
			len[n]++;
			digits++;
		} else if (*p == '/' || *p == '-' || *p == '.') {
			if (!len[n] || ++n > 2)
				return -1;
		} else if (*p != ' ') {
			return -1;
		}
	}
	struct mc_date d;
	if (n == 0 && digits == 8) { /* DDMMYYYY */
		d.d = part[0] / 1000000;
		d.m = part[0] / 10000 % 100;
		d.y = part[0] % 10000;
	} else if (n == 2 && len[0] <= 2 && len[1] <= 2 && len[2] == 4) {
		d.d = part[0];
		d.m = part[1];
		d.y = part[2];
	} else {
		return -1;
	}
	if (!mc_date_valid(d.y, d.m, d.d))
		return -1;
	*out = d;
	return 0;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Up to 4 digits at *p into *v (more are counted, not added); returns how
 * many there were. */
static int read_number(const char **p, const char *end, int *v)
{
	int n = 0;
	*v = 0;
	for (; *p < end && **p >= '0' && **p <= '9'; (*p)++, n++)
		if (n < 4)
			*v = *v * 10 + (**p - '0');
	return n;
}

int mc_parse_dt_vn(const char *s, const struct mc_dt *base, struct mc_dt *out)
{
	if (!s)
		return -1;
	while (*s == ' ')
		s++;
	const char *sp = strchr(s, ' ');
	size_t dlen = sp ? (size_t)(sp - s) : strlen(s);
	char date[32];
	struct mc_date d;
	if (dlen >= sizeof(date))
		return -1;
	memcpy(date, s, dlen);
	date[dlen] = '\0';
	if (mc_parse_date_vn(date, &d))
		return -1;
	int hh = base->hh, mi = base->mi;
	if (sp) {
		const char *t = sp, *end = sp + strlen(sp);
		while (t < end && is_blank(*t))
			t++;
		while (end > t && is_blank(end[-1]))
			end--;
		int a, b;
		const char *p = t;
		int na = read_number(&p, end, &a);
		if (p < end && (*p == ':' || *p == 'h' || *p == 'g'))
			p++;
		int nb = read_number(&p, end, &b);
		bool ok = p == end;
		if (ok && na == 4 && !nb) { /* HHMM */
			b = a % 100;
			a /= 100;
		} else if (ok && t < end && (na < 1 || na > 2 || nb > 2)) {
			ok = false;
		}
		if (!ok)
			return -1;
		if (t < end) {
			hh = a;
			mi = b;
		}
	}
	if (hh > 23 || mi > 59)
		return -1;
	out->y = d.y;
	out->m = d.m;
	out->d = d.d;
	out->hh = hh;
	out->mi = mi;
	return 0;
}

long long mc_dt_minutes(const struct mc_dt *t)
{
	return (long long)mc_days_from_civil(t->y, t->m, t->d) * 1440 + t->hh * 60 + t->mi;
}

void mc_dt_from_minutes(long long minutes, struct mc_dt *out)
{
	long long days = minutes >= 0 ? minutes / 1440 : -((-minutes + 1439) / 1440);
	int rem = (int)(minutes - days * 1440);
	mc_civil_from_days((long)days, &out->y, &out->m, &out->d);
	out->hh = rem / 60;
	out->mi = rem % 60;
}

int mc_dt_cmp(const struct mc_dt *a, const struct mc_dt *b)
{
	long long x = mc_dt_minutes(a), y = mc_dt_minutes(b);
	return (x > y) - (x < y);
}

void mc_format_dt(char *buf, size_t n, const struct mc_dt *t)
{
	snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d", t->y, t->m, t->d, t->hh, t->mi);
}

void mc_format_date(char *buf, size_t n, int y, int m, int d)
{
	snprintf(buf, n, "%04d-%02d-%02d", y, m, d);
}

void mc_format_date_vn(char *buf, size_t n, int y, int m, int d)
{
	snprintf(buf, n, "%02d/%02d/%04d", d, m, y);
}
