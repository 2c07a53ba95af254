/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Dossier queries: the one search box (code, applicant name without
 * diacritics, ID number), the filtered and paged dossier list, today's counts
 * for the home screen and one dossier with its components and events.
 * Pure SQL over the local store; no printing. Statuses are the national codes
 * (1..10, see ../shared/design/domain.md) as ints: their Vietnamese names live
 * in core/lifecycle. Every function that can fail returns -1 with a
 * Vietnamese message in err (when err is not NULL); rows appended before a
 * failure stay in out. Made for a million dossiers: bench/bench_query.c
 * measures each of them on such a store. */
#ifndef MC_DOSSIER_QUERY_H
#define MC_DOSSIER_QUERY_H
#include <stdbool.h>
#include <stddef.h>

#include "client/store/store.h"
#include "core/datetime.h"

/* Status sets as bit masks: DQ_STATUS(4) is "processing". */
#define DQ_STATUS(s) (1u << (s))
#define DQ_STATUS_ALL 0x7feu /* statuses 1..10 */
/* Open dossiers: the appointment clock runs (received, processing). Waiting
 * for a supplement (5) or for fees (6) pauses it, so those are never overdue. */
#define DQ_OPEN (DQ_STATUS(2) | DQ_STATUS(4))

/* One line of a result: what the list, the CLI and the search show. */
struct dossier_row {
	long long rowid;
	char *code, *applicant_name, *id_number; /* id_number "" when unknown */
	char *procedure_code, *procedure_name, *unit_code;
	int status;
	char received_at[17], appointment[17]; /* "YYYY-MM-DDTHH:MM" */
};

/* A growable array of rows; rows own their strings. */
struct dossier_rows {
	struct dossier_row *v;
	size_t n, alloc;
};
void dossier_rows_init(struct dossier_rows *r);
/* Frees every row and the array; r is empty (and reusable) afterwards. */
void dossier_rows_release(struct dossier_rows *r);

/* ---- search ---------------------------------------------------------- */

enum dossier_query_kind {
	DQ_KIND_EMPTY, /* nothing to search (blank, or only punctuation) */
	DQ_KIND_CODE,  /* digits with '-' or '.': a dossier code or part of one */
	DQ_KIND_ID,    /* 9 to 12 digits: an ID number (CMND, CCCD, tax code) */
	DQ_KIND_NAME   /* anything else: words of the applicant's name */
};
/* How dossier_search reads a query (the screen may show it as a hint). */
enum dossier_query_kind dossier_query_kind(const char *query);

/* Appends to out the dossiers matching query, skipping the first offset:
 *  - a code or part of one: the exact code first, then codes starting with
 *    the query (unit identifier first: "H01.00004-2511"), then codes whose
 *    part after the unit identifier starts with it ("251127-0001"); newest
 *    code first within each group. Case does not matter.
 *  - a number (six digits, or nine or more; blanks and a leading +84 allowed, so
 *    whatever dossier_query_kind calls it): the ID numbers holding it, the
 *    exact one first, then those starting with it, then the others; and the
 *    phones holding it (digits only, +84 read as 0).
 *  - a name: every word, folded like mc_text_fold ("Đặng" and "dang" alike),
 *    must start a word of the applicant's name, in any order ("ng van a"
 *    finds "Nguyễn Văn An"). Nothing typed is ever passed as FTS syntax.
 * ID and name matches come newest received first. status_mask (0: any)
 * keeps only those statuses. Returns the number of rows appended, or -1. */
int dossier_search(struct store *st, const char *query, unsigned status_mask, int offset,
		   int limit, struct dossier_rows *out, struct strbuf *err);

/* Appends to out, after what it holds, up to limit dossiers that use a
 * paper whose OCR text has every word of query (folded like mc_text_fold,
 * each word the start of a word of the text), newest received first,
 * skipping the dossiers already in out. status_mask as dossier_search.
 * Returns the number of rows appended, or -1. */
int dossier_search_papers(struct store *st, const char *query, unsigned status_mask, int limit,
			  struct dossier_rows *out, struct strbuf *err);

/* For tests and benchmarks: the name search's plans (see search_name in
 * dossier_query.c). A status filter with at most status_scan_max dossiers
 * is searched by reading them (default 20000; 0: never). Without the name
 * index by reception time, up to sort_max_matches full-text matches are sorted by
 * reception time, more are found walking back from the newest dossier
 * (default 2000; 0: never sort them), the status filter being read before
 * walking. Negative: the default. The results are the same whatever the plan. */
void dossier_search_tune(long sort_max_matches, long status_scan_max);
/* For tests and benchmarks: whether the name search may read the name index
 * by reception time (default true; see search_keyed). Off, or while a
 * dossier is missing from that index, it uses the plans above. */
void dossier_search_tune_keyed(bool on);

/* ---- the list ------------------------------------------------------------ */

enum dossier_due {
	DQ_DUE_ANY,
	DQ_DUE_OVERDUE,        /* open, appointment before now */
	DQ_DUE_TODAY,          /* open, appointment from now to the end of today */
	DQ_DUE_SOON,           /* open, appointment from now to the end of today + days */
	DQ_DUE_RECEIVED_TODAY  /* received today, any status */
};

enum dossier_order {
	DQ_BY_APPOINTMENT, /* nearest appointment first */
	DQ_BY_RECEIVED     /* newest received first */
};

struct dossier_filter {
	unsigned status_mask;  /* 0: every status; buckets other than
				  RECEIVED_TODAY keep only DQ_OPEN ones */
	enum dossier_due due;
	int days;              /* DQ_DUE_SOON: how many days after today */
	const char *unit_code; /* NULL: every unit (borrowed) */
	enum dossier_order order;
	struct mc_dt now;      /* for the buckets: clock_now() */
};
/* Every dossier, nearest appointment first. */
void dossier_filter_init(struct dossier_filter *f, const struct mc_dt *now);

/* A position in the list: the row's sort time and rowid. Keyset paging:
 * a page after (or before) a key costs the same at any depth. */
struct dossier_key {
	char at[17];
	long long rowid;
};
void dossier_row_key(const struct dossier_row *row, enum dossier_order order,
		     struct dossier_key *key);

/* Appends up to limit rows that come after `after` in the list order (from
 * the first row when after is NULL). Returns the number appended, or -1. */
int dossier_list_after(struct store *st, const struct dossier_filter *f,
		       const struct dossier_key *after, int limit, struct dossier_rows *out,
		       struct strbuf *err);
/* Appends, in list order, up to limit rows that come just before `before`
 * (the last page when before is NULL). Returns the number appended, or -1. */
int dossier_list_before(struct store *st, const struct dossier_filter *f,
			const struct dossier_key *before, int limit, struct dossier_rows *out,
			struct strbuf *err);
/* Rows offset .. offset+limit-1 of the list. Simple, but the cost grows with
 * the offset: prefer the keyset functions to page through a long list. */
int dossier_list(struct store *st, const struct dossier_filter *f, int offset, int limit,
		 struct dossier_rows *out, struct strbuf *err);
/* How many rows the list has, or -1. Statuses and a unit alone are summed
 * from the per-unit, per-status counts the store keeps (a few rows, whatever
 * its size); a due-date bucket is counted over its index range. */
long dossier_count(struct store *st, const struct dossier_filter *f, struct strbuf *err);

/* For the store's other lists over dossiers (client/store/supervision.c):
 * the columns of a struct dossier_row from alias d (DOSSIER_ROW_NCOLS of
 * them), reading them from column c of a row, the filter's conditions on d
 * (" AND ...": statuses, due-date bucket, unit; named parameters) and their
 * values. */
#define DOSSIER_ROW_COLS                                                          \
	"d.rowid, d.code, d.applicant_name, d.id_number, d.procedure_code,"      \
	" d.procedure_name, d.unit_code, d.status, d.received_at, d.appointment"
#define DOSSIER_ROW_NCOLS 10
void dossier_row_read(sqlite3_stmt *q, int c, struct dossier_row *row);
void dossier_row_release(struct dossier_row *row);
/* Returns false when the filter can match no dossier (nothing appended). */
bool dossier_filter_where(struct strbuf *sql, const struct dossier_filter *f);
void dossier_filter_bind(sqlite3_stmt *q, const struct dossier_filter *f);
/* The statuses the filter keeps (DQ_STATUS bits; 0: none). */
unsigned dossier_filter_statuses(const struct dossier_filter *f);

/* Rows by index for a listview. The pager keeps a window of consecutive
 * rows and moves it with the keyset functions (the page just before or just
 * after it, the first page, the last page), so scrolling, Home and End cost
 * the same at any depth; only a jump far from the window and from both ends
 * reads by offset. Indexes are those of the list when the pager was opened:
 * reopen it to see dossiers received since. */
struct dossier_pager {
	struct store *st;
	struct dossier_filter filter; /* a copy; unit_code still borrowed */
	int page;                     /* rows per read */
	long total;                   /* rows in the list */
	long first;                   /* index of rows.v[0] */
	struct dossier_rows rows;     /* the window */
};
/* Counts the list (dossier_count); nothing is read yet. Returns 0, or -1. */
int dossier_pager_open(struct dossier_pager *p, struct store *st, const struct dossier_filter *f,
		       int page, struct strbuf *err);
/* The row at index (0 .. total-1), valid until the next call; NULL past
 * the end, or on error (err says why). */
const struct dossier_row *dossier_pager_row(struct dossier_pager *p, long index,
					    struct strbuf *err);
void dossier_pager_release(struct dossier_pager *p);

/* ---- home screen --------------------------------------------------------- */

struct dossier_counts {
	long received_today; /* received since today 00:00 */
	long due_today;      /* open, appointment from now to the end of today */
	long overdue;        /* open, appointment before now */
	long waiting;        /* waiting for a supplement (status 5) */
};
int dossier_today_counts(struct store *st, const struct mc_dt *now, struct dossier_counts *c,
			 struct strbuf *err);

/* ---- one dossier --------------------------------------------------------- */

struct dossier_component {
	int seq;
	char *name, *kind; /* kind: "submit" | "present" */
	int mandatory, originals_required, copies_required, originals, copies;
	char *override_reason; /* NULL when none */
};

struct dossier_event {
	char *kind, *actor, *unit_code, *device_time, *server_time, *payload; /* NULLable:
										  server_time, payload */
	int status_from, status_to; /* 0 when none */
};

struct dossier_detail {
	char *id, *code, *procedure_code, *procedure_name, *unit_code, *handling_unit, *clerk;
	int channel, applicant_kind, status, rev;
	char *received_at, *appointment, *finished_at; /* finished_at NULL while open */
	char *applicant_name, *id_number, *birth_date, *sex, *phone, *email, *address;
	char *commune_code, *note, *updated_at;         /* optional ones NULL */
	struct dossier_component *components;
	size_t n_components;
	struct dossier_event *events; /* oldest first (device time) */
	size_t n_events;
};
/* Loads the dossier with this code (case-insensitive, surrounding blanks
 * ignored). Returns 1 found, 0 not found (d zeroed), -1 error. */
int dossier_get(struct store *st, const char *code, struct dossier_detail *d, struct strbuf *err);
void dossier_detail_release(struct dossier_detail *d);

/* The SQL expression of the clerk in charge of dossier d, given
 * "LEFT JOIN dossier_assignments da ON da.dossier_id = d.id". */
#define DOSSIER_CLERK_IN_CHARGE "coalesce(da.clerk, d.clerk)"

#endif
