/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The procedure catalog and the commune picker over the store: queries used by
 * `motcua catalog` and by the TUI screens. No printing; results are arrays of
 * structs owned by the caller and freed with the matching _release.
 *
 * Search folds the query like the stored keys (mc_text_fold: lower case, no
 * diacritics, đ -> d) and requires every query word to start a word of the
 * key, so "dang ky khai sinh", "đăng ký khai sinh" and "1.0011" all work. */
#ifndef MC_CATALOG_H
#define MC_CATALOG_H
#include <stdbool.h>
#include <stddef.h>

#include "client/store/store.h"

struct catalog_field {
	char *field;
	int count;
};

struct catalog_fields {
	struct catalog_field *items;
	size_t n;
};

/* Every field (lĩnh vực) with its procedure count, by name. */
int catalog_fields(struct store *st, struct catalog_fields *out);
void catalog_fields_release(struct catalog_fields *f);
/* The field whose folded name equals the folded input ("ho tich" -> "Hộ
 * tịch"); malloc'd, or NULL. */
char *catalog_field_lookup(struct store *st, const char *input);

/* One procedure as listed. */
struct catalog_proc {
	char *code, *name, *field;
	char *time_text;       /* NULL when unknown */
	double time_value;     /* valid when time_unit */
	char *time_unit;       /* "day" | "hour" | "inday" | NULL */
	char *fee_text;        /* NULL when unknown */
	long long fee_amount;  /* VND, valid when has_fee_amount */
	bool has_fee_amount;
	bool needs_review;
};

struct catalog_procs {
	struct catalog_proc *items;
	size_t n;
};

/* "5 ngày làm việc", "4 giờ làm việc", "trong ngày", or the text as written
 * when the unit is unknown ("" when nothing is known). Returns buf. */
const char *catalog_time_display(const struct catalog_proc *p, char *buf, size_t size);

/* Procedures of one field (exact name), by name. */
int catalog_by_field(struct store *st, const char *field, struct catalog_procs *out);
/* Search by code prefix or by name words; field (exact, may be NULL) narrows
 * it; limit <= 0 means no limit. Ranking: exact code, then names starting with
 * the query ("Thủ tục" aside), then names holding it as a phrase, then the
 * others; within a rank the procedures this workstation's unit receives most
 * first (dossiers of setting unit_code), then shorter names, a leading "Thủ
 * tục" not counted. */
int catalog_search(struct store *st, const char *query, const char *field, int limit,
		   struct catalog_procs *out);
void catalog_procs_release(struct catalog_procs *p);

struct catalog_channel {
	char *channel, *time_text, *fee_text, *description;
};

struct catalog_component {
	int id; /* seq within the procedure: 1, 2, ... */
	char *grp, *name, *form, *raw;
	int originals, copies;
	bool present; /* kind 'present' (xuất trình): shown and handed back */
	bool mandatory, needs_review;
};

struct catalog_legal {
	char *number; /* "60/2014/QH13", NULL when not recognised */
	char *name;
};

struct catalog_detail {
	struct catalog_proc proc;
	char *level, *kind, *decision, *applicants, *agency;
	char *steps, *conditions, *result, *url, *review_notes;
	struct catalog_legal *legal;
	size_t nlegal;
	struct catalog_channel *channels;
	size_t nchannels;
	struct catalog_component *components;
	size_t ncomponents;
};

/* One procedure with everything. Returns 0 when found, 1 when there is no such
 * code (out is then empty). */
int catalog_get(struct store *st, const char *code, struct catalog_detail *out);
void catalog_detail_release(struct catalog_detail *d);

/* A "note": the crawl lists guidance (Lưu ý, "0 bản chính") among the papers;
 * such a row asks for nothing and is not mandatory. */
bool catalog_component_is_note(const struct catalog_component *c);
/* Removes the note rows from d->components (the checklist shows only papers
 * to hand in or show); returns how many were removed. */
size_t catalog_detail_drop_notes(struct catalog_detail *d);

/* Commune picker. */
struct catalog_commune {
	char *code, *name, *kind, *province_code, *province_name;
	char *via_old_name; /* the old (merged) commune the query matched; NULL
			     * when the current name matched */
};

struct catalog_communes {
	struct catalog_commune *items;
	size_t n;
};

/* Communes whose "name province" or whose old merged names match every query
 * word (as a word prefix). Current names come first (names starting with the
 * query first), then matches through old names. limit <= 0: no limit. */
int catalog_commune_search(struct store *st, const char *query, int limit,
			   struct catalog_communes *out);
void catalog_communes_release(struct catalog_communes *c);

/* The procedures of the latest `scan` dossiers received here, the most
 * frequent first (then the most recent), at most limit: the clerk's usual
 * choices. */
int catalog_recent(struct store *st, int scan, int limit, struct catalog_procs *out);

#endif
