/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the supervisor's screen and `motcua queue` / `motcua indicators`
 * share beyond the counts of client/store/indicators.h: a queue's dossiers with
 * the clerk in charge of each (after any reassignment), sorted and filtered
 * by clerk, unit and text; the indicators' weekly trend; the CSV export.
 * docs/indicators.md. */
#ifndef MC_SUPERVISION_H
#define MC_SUPERVISION_H
#include <stdbool.h>
#include <stddef.h>

#include "client/store/dossier_query.h"
#include "client/store/indicators.h"

/* ---- a queue's dossiers ------------------------------------------------------ */

struct queue_item {
	struct dossier_row row;
	char *clerk;      /* the clerk in charge: the last reassignment's, else the receiver */
	char *clerk_name; /* that clerk's full name, or the username when unknown */
	char *fold;       /* code, applicant, procedure and clerk, folded (mc_text_fold) */
};

struct queue_items {
	struct queue_item *v;
	size_t n;
	bool truncated; /* the queue had more than the max asked for */
};

void queue_items_release(struct queue_items *q);

/* Loads up to max dossiers of queue q at now, for unit (NULL: every unit of
 * the store), nearest appointment first. Returns 0, or -1 with err. */
int queue_items_load(struct store *st, enum supervisor_queue q, const struct mc_dt *now,
		     const char *unit, size_t max, struct queue_items *out, struct strbuf *err);

#define QUEUE_SORTS(X) \
	X(due, "hạn trả") \
	X(received, "ngày nhận") \
	X(clerk, "cán bộ") \
	X(procedure, "thủ tục")

enum queue_sort {
#define QS_ENUM(id, name) QS_##id,
	QUEUE_SORTS(QS_ENUM)
#undef QS_ENUM
	QS_COUNT
};
/* "hạn trả", ...; NULL out of range. */
const char *queue_sort_name(enum queue_sort s);
/* "due", "received", "clerk", "procedure"; QS_COUNT when unknown. */
enum queue_sort queue_sort_from_arg(const char *arg);

/* NULL or "" for no filter. text: every word (folded) must occur in the
 * item's folded code, applicant, procedure or clerk. */
struct queue_view_filter {
	const char *clerk, *unit, *text;
};

/* The indexes of the items that pass f, in order s (due: nearest
 * appointment first; received: oldest first; clerk: by full name, then due;
 * procedure: by code, then due; ties by code). *out is malloc'd (NULL when
 * none); returns how many. */
size_t queue_select(const struct queue_items *q, const struct queue_view_filter *f,
		    enum queue_sort s, size_t **out);

/* ---- a queue read a page at a time ------------------------------------------ */

/* What a queue screen shows: the queue's dossiers (its statuses and due
 * bucket, and the unit the store is restricted to), the view's filters and
 * order. Every read below is one statement joining the clerk in charge and
 * the clerk's name, ordered by the sort's keys (those of queue_select) and
 * limited to the page: a page after (or before) an item costs the same at
 * any depth of the queue. The due order reads the index of appointments;
 * the other orders and the text filter are sorted and matched by SQLite over
 * the queue's rows, never loaded into the program. */
struct queue_query {
	struct dossier_filter df;    /* the queue's dossiers; unit_code borrowed */
	struct queue_view_filter f;  /* borrowed */
	enum queue_sort sort;
};
/* The queue q at now for unit (NULL: every unit of the store), no filter,
 * due order. Returns 0, or -1 with err. */
int queue_query_init(struct queue_query *qq, struct store *st, enum supervisor_queue q,
		     const struct mc_dt *now, const char *unit, struct strbuf *err);

/* Appends to out up to limit items that come just after `from` in the
 * queue's order (from the first when from is NULL), or, backward, just
 * before it (the last ones when NULL), in the queue's order either way.
 * Returns the number appended, or -1 with err. */
int queue_page(struct store *st, const struct queue_query *qq, const struct queue_item *from,
	       bool backward, size_t limit, struct queue_items *out, struct strbuf *err);
/* Items offset .. offset+limit-1 (the cost grows with offset). */
int queue_page_at(struct store *st, const struct queue_query *qq, long offset, size_t limit,
		  struct queue_items *out, struct strbuf *err);
/* How many items pass qq, or -1. Without a clerk or text filter the count
 * of the queue's index range (dossier_count). */
long queue_count(struct store *st, const struct queue_query *qq, struct strbuf *err);

/* The index of an item with its keys in the queue's order: how many items
 * come before it (it need not be in the queue any more). -1 with err. */
long queue_index_of(struct store *st, const struct queue_query *qq, const struct queue_item *it,
		    struct strbuf *err);
/* A copy of src, which dst owns (queue_item_release). */
void queue_item_copy(struct queue_item *dst, const struct queue_item *src);
void queue_item_release(struct queue_item *it);

/* Items by index, as struct dossier_pager: a window of consecutive items
 * moved a page at a time with queue_page. */
struct queue_pager {
	struct store *st;
	struct queue_query qq; /* a copy; its strings still borrowed */
	int page;
	long total, first;
	struct queue_items items; /* the window */
};
int queue_pager_open(struct queue_pager *p, struct store *st, const struct queue_query *qq,
		     int page, struct strbuf *err);
/* The item at index, valid until the next call; NULL past the end or on
 * error (err says why). */
const struct queue_item *queue_pager_item(struct queue_pager *p, long index, struct strbuf *err);
void queue_pager_release(struct queue_pager *p);

/* The distinct clerks in charge (key: username, name: full name; sorted by
 * name) or units (key and name: the code; sorted by code) of the queue's
 * dossiers, the view's filters left out. *out malloc'd; returns how many,
 * or -1 with err. */
struct queue_choice {
	char *key, *name;
};
long queue_choices(struct store *st, const struct queue_query *qq, bool units,
		   struct queue_choice **out, struct strbuf *err);
void queue_choices_free(struct queue_choice *v, long n);

/* Adds the SQL functions the queue's statements use (mc_fold,
 * mc_queue_words) to a connection: store_open calls it. */
int supervision_sql_functions(sqlite3 *db);

/* ---- the weekly trend and the CSV ------------------------------------------ */

/* The weeks (Monday to Sunday) up to the one holding last_day
 * ("YYYY-MM-DD"), oldest first: periods[weeks], values[weeks]. Returns 0,
 * or -1 with err. */
int indicators_trend(struct store *st, const char *last_day, int weeks, const char *unit,
		     const char *clerk, struct mc_ind_period *periods,
		     struct mc_indicator_value (*values)[MC_IND_COUNT], struct strbuf *err);

/* One block character per value: ▁..█ for 0..100%, '·' when nothing to
 * rate. buf gets the UTF-8 text. */
void indicators_sparkline(char *buf, size_t n, const struct mc_indicator_value *v, int count);

/* Writes the CSV (UTF-8 with a BOM, CRLF, every field quoted): a head line,
 * then a line per indicator for the period p, then a line per indicator
 * for each week of the trend (weeks may be 0). Columns: từ ngày, đến ngày,
 * đơn vị, cán bộ, mã chỉ tiêu, chỉ tiêu, tử số, mẫu số, tỷ lệ (%) (one
 * decimal, empty when nothing to rate). Written to path.tmp, then renamed.
 * Returns 0, or -1 with a Vietnamese err. */
int indicators_write_csv(const char *path, const struct mc_ind_period *p, const char *unit,
			 const char *clerk, const struct mc_indicator_value v[MC_IND_COUNT],
			 int weeks, const struct mc_ind_period *wp,
			 const struct mc_indicator_value (*wv)[MC_IND_COUNT], struct strbuf *err);

/* "<folder of db_path>/exports" (malloc'd). */
char *supervision_export_dir(const char *db_path);

#endif
