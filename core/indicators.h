/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The service indicators of Decision 766/QĐ-TTg (2022), as fractions: each
 * indicator is a numerator over a denominator counted over a period. The
 * definitions (what each side counts) are in docs/indicators.md; the SQL that
 * counts them lives once per side (client/store/indicators.c on SQLite,
 * server/indicators.c on PostgreSQL). This module holds what both share: the
 * list, the Vietnamese names, the full-points thresholds and the arithmetic.
 * Pure: no I/O. */
#ifndef MC_INDICATORS_H
#define MC_INDICATORS_H

/* id, Vietnamese name, full points at this percentage (0: none published) */
#define MC_INDICATORS(X) \
	X(on_time, "Giải quyết đúng hạn", 100) \
	X(online, "Tiếp nhận trực tuyến", 50) \
	X(digitized, "Số hóa hồ sơ và kết quả", 80) \
	X(reused, "Tái sử dụng giấy tờ đã số hóa", 80) \
	X(transferred, "Luân chuyển điện tử", 100) \
	X(satisfaction, "Mức độ hài lòng", 100)

enum mc_indicator {
#define MC_IND_ENUM(id, name, full) MC_IND_##id,
	MC_INDICATORS(MC_IND_ENUM)
#undef MC_IND_ENUM
	MC_IND_COUNT
};

struct mc_indicator_value {
	long long numerator, denominator;
};

/* "on_time", ...; NULL out of range. */
const char *mc_indicator_id(enum mc_indicator i);
/* The Vietnamese name; NULL out of range. */
const char *mc_indicator_name(enum mc_indicator i);
/* The percentage that earns full points (0: none). */
int mc_indicator_full(enum mc_indicator i);
/* MC_IND_COUNT when the id is unknown. */
enum mc_indicator mc_indicator_from_id(const char *id);

/* Percent in tenths (0..1000), rounded half up; -1 when the denominator is 0
 * (no dossier: nothing to rate, shown as "-"). */
int mc_indicator_permille(const struct mc_indicator_value *v);
/* "87.5" or "-" (no dossier) in buf. */
void mc_indicator_format_percent(char *buf, unsigned n, const struct mc_indicator_value *v);
/* The share of full points earned, in tenths of a percent (0..1000): the
 * percentage over the threshold, capped at 1000; -1 when nothing to rate. */
int mc_indicator_score(enum mc_indicator i, const struct mc_indicator_value *v);

/* A period of whole days, from and to inclusive, as the half-open range of
 * "YYYY-MM-DDTHH:MM" times [lo, hi): lo = from ("2025-10-01"), hi = the day
 * after to ("2025-11-01"); times compare as strings. Returns 0, or -1 (with a
 * Vietnamese message in err) when a date is not a real YYYY-MM-DD or from is
 * after to. */
struct strbuf;
struct mc_ind_period {
	char from[11], to[11]; /* as given */
	char lo[11], hi[11];
};
int mc_ind_period_parse(struct mc_ind_period *p, const char *from, const char *to, struct strbuf *err);

/* Units and usernames the indicators accept: 1..32 of [A-Za-z0-9._-]. */
int mc_indicator_key_valid(const char *s);

/* The JSON both sides print (one line, no newline):
 * {"from":..,"to":..,"unit":..|null,"clerk":..|null,
 *  "indicators":[{"id","name","numerator","denominator","percent"}...]}
 * percent is a number with one decimal, or null when the denominator is 0. */
void mc_indicators_json(struct strbuf *out, const struct mc_ind_period *p, const char *unit,
			const char *clerk, const struct mc_indicator_value v[MC_IND_COUNT]);
/* The same, with the visits of the period that ended at the counter without
 * a received dossier (refused, form 03; guided, form 02: docs/indicators.md)
 * as "visits":{"refused","guided"} after the indicators, when there is any. */
void mc_indicators_json_visits(struct strbuf *out, const struct mc_ind_period *p,
			       const char *unit, const char *clerk,
			       const struct mc_indicator_value v[MC_IND_COUNT], long long refused,
			       long long guided);

#endif
