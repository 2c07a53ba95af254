/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The indicator list and its arithmetic (see core/indicators.h). */
#include "core/indicators.h"

#include <stdio.h>
#include "core/datetime.h"
#include "core/xalloc.h"
#include <string.h>

static const struct {
	const char *id, *name;
	int full;
} table[] = {
#define MC_IND_ROW(id, name, full) { #id, name, full },
	MC_INDICATORS(MC_IND_ROW)
#undef MC_IND_ROW
};

const char *mc_indicator_id(enum mc_indicator i)
{
	return (unsigned)i < MC_IND_COUNT ? table[i].id : NULL;
}

const char *mc_indicator_name(enum mc_indicator i)
{
	return (unsigned)i < MC_IND_COUNT ? table[i].name : NULL;
}

int mc_indicator_full(enum mc_indicator i)
{
	return (unsigned)i < MC_IND_COUNT ? table[i].full : 0;
}

enum mc_indicator mc_indicator_from_id(const char *id)
{
	for (int i = 0; i < MC_IND_COUNT; i++)
		if (id && !strcmp(id, table[i].id))
			return (enum mc_indicator)i;
	return MC_IND_COUNT;
}

int mc_indicator_permille(const struct mc_indicator_value *v)
{
	if (v->denominator <= 0)
		return -1;
	long long n = v->numerator < 0 ? 0 : v->numerator;
	if (n > v->denominator)
		n = v->denominator;
	return (int)((n * 2000 + v->denominator) / (2 * v->denominator));
}

void mc_indicator_format_percent(char *buf, unsigned n, const struct mc_indicator_value *v)
{
	int pm = mc_indicator_permille(v);
	if (pm < 0)
		snprintf(buf, n, "-");
	else
		snprintf(buf, n, "%d.%d", pm / 10, pm % 10);
}

int mc_indicator_score(enum mc_indicator i, const struct mc_indicator_value *v)
{
	int pm = mc_indicator_permille(v);
	int full = mc_indicator_full(i);
	if (pm < 0)
		return -1;
	if (full <= 0)
		return pm;
	long s = (long)pm * 100 / full;
	return s > 1000 ? 1000 : (int)s;
}

static int parse_day(const char *s, long *day)
{
	struct mc_date d;
	if (!s || strlen(s) != 10 || mc_parse_date(s, &d))
		return -1;
	*day = mc_days_from_civil(d.y, d.m, d.d);
	return 0;
}

int mc_ind_period_parse(struct mc_ind_period *p, const char *from, const char *to, struct strbuf *err)
{
	long a, b;
	memset(p, 0, sizeof(*p));
	if (parse_day(from, &a)) {
		if (err)
			strbuf_addf(err, "ngày bắt đầu «%s» không hợp lệ: cần dạng YYYY-MM-DD có thật",
				    from ? from : "");
		return -1;
	}
	if (parse_day(to, &b)) {
		if (err)
			strbuf_addf(err, "ngày kết thúc «%s» không hợp lệ: cần dạng YYYY-MM-DD có thật",
				    to ? to : "");
		return -1;
	}
	if (a > b) {
		if (err)
			strbuf_addf(err, "ngày bắt đầu %s sau ngày kết thúc %s", from, to);
		return -1;
	}
	int y, m, d;
	memcpy(p->from, from, 10);
	memcpy(p->to, to, 10);
	memcpy(p->lo, from, 10);
	mc_civil_from_days(b + 1, &y, &m, &d);
	mc_format_date(p->hi, sizeof(p->hi), y, m, d);
	return 0;
}

int mc_indicator_key_valid(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 1 || n > 32)
		return 0;
	for (const char *c = s; *c; c++)
		if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      *c == '.' || *c == '_' || *c == '-'))
			return 0;
	return 1;
}

static void json_str(struct strbuf *out, const char *s)
{
	if (!s) {
		strbuf_addstr(out, "null");
		return;
	}
	strbuf_addch(out, '"');
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if (*c == '"' || *c == '\\')
			strbuf_addf(out, "\\%c", *c);
		else if (*c < 0x20)
			strbuf_addf(out, "\\u%04x", *c);
		else
			strbuf_addch(out, (char)*c);
	}
	strbuf_addch(out, '"');
}

void mc_indicators_json(struct strbuf *out, const struct mc_ind_period *p, const char *unit,
			const char *clerk, const struct mc_indicator_value v[MC_IND_COUNT])
{
	mc_indicators_json_visits(out, p, unit, clerk, v, 0, 0);
}

void mc_indicators_json_visits(struct strbuf *out, const struct mc_ind_period *p,
			       const char *unit, const char *clerk,
			       const struct mc_indicator_value v[MC_IND_COUNT], long long refused,
			       long long guided)
{
	strbuf_addstr(out, "{\"from\":");
	json_str(out, p->from);
	strbuf_addstr(out, ",\"to\":");
	json_str(out, p->to);
	strbuf_addstr(out, ",\"unit\":");
	json_str(out, unit);
	strbuf_addstr(out, ",\"clerk\":");
	json_str(out, clerk);
	strbuf_addstr(out, ",\"indicators\":[");
	for (int i = 0; i < MC_IND_COUNT; i++) {
		char pct[16];
		mc_indicator_format_percent(pct, sizeof(pct), &v[i]);
		strbuf_addstr(out, i ? ",{\"id\":" : "{\"id\":");
		json_str(out, table[i].id);
		strbuf_addstr(out, ",\"name\":");
		json_str(out, table[i].name);
		strbuf_addf(out, ",\"numerator\":%lld,\"denominator\":%lld,\"percent\":%s}",
			    v[i].numerator, v[i].denominator, pct[0] == '-' ? "null" : pct);
	}
	strbuf_addch(out, ']');
	if (refused || guided)
		strbuf_addf(out, ",\"visits\":{\"refused\":%lld,\"guided\":%lld}", refused, guided);
	strbuf_addch(out, '}');
}
