/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A queue's dossiers with their clerk in charge, sorted and filtered; the
 * indicators' weekly trend and CSV. See client/store/supervision.h. */
#include "client/store/supervision.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/base/files.h"
#include "client/store/dossier_query.h"
#include "core/text.h"
#include "core/xalloc.h"

#define PAGE 500

/* ---- a queue's dossiers ------------------------------------------------------ */

static void item_release(struct queue_item *it)
{
	FREE(&it->row.code);
	FREE(&it->row.applicant_name);
	FREE(&it->row.id_number);
	FREE(&it->row.procedure_code);
	FREE(&it->row.procedure_name);
	FREE(&it->row.unit_code);
	FREE(&it->clerk);
	FREE(&it->clerk_name);
	FREE(&it->fold);
}

void queue_items_release(struct queue_items *q)
{
	for (size_t i = 0; i < q->n; i++)
		item_release(&q->v[i]);
	FREE(&q->v);
	q->n = 0;
	q->truncated = false;
}

/* The clerk in charge and that clerk's name, given the joins of FROM_SQL. */
#define CK "coalesce(da.clerk, d.clerk, '')"
#define CN "coalesce(c.full_name, da.clerk, d.clerk, '')"
#define JOINS_SQL                                                          \
	" LEFT JOIN dossier_assignments da ON da.dossier_id = d.id"         \
	" LEFT JOIN clerks c ON c.username = " CK
#define FROM_SQL " FROM dossiers d" JOINS_SQL

static void item_fill(struct queue_item *it)
{
	char *all = xasprintf("%s %s %s %s %s %s", it->row.code, it->row.applicant_name,
			      it->row.procedure_code, it->row.procedure_name, it->clerk,
			      it->clerk_name);
	it->fold = mc_text_fold(all);
	free(all);
}

static struct queue_item *items_push(struct queue_items *q)
{
	q->v = xrealloc(q->v, (q->n + 1) * sizeof(*q->v));
	struct queue_item *it = &q->v[q->n++];
	memset(it, 0, sizeof(*it));
	return it;
}

/* ---- SQL functions: the text filter and the clerk order ---------------------- */

static const char *arg_text(sqlite3_value *v)
{
	const unsigned char *t = sqlite3_value_text(v);
	return t ? (const char *)t : "";
}

/* mc_fold(text): mc_text_fold. */
static void sql_fold(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	char *f = mc_text_fold(arg_text(argv[0]));
	sqlite3_result_text(ctx, f, -1, free);
}

static bool words_in(const char *words, const char *hay);

/* mc_queue_words(words, code, applicant, procedure, procedure name, clerk,
 * clerk name): every word of words (folded) occurs in the folded fields,
 * as queue_select's text filter. */
static void sql_queue_words(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	if (argc != 7) {
		sqlite3_result_error(ctx, "mc_queue_words: 7 arguments", -1);
		return;
	}
	char *all = xasprintf("%s %s %s %s %s %s", arg_text(argv[1]), arg_text(argv[2]),
			      arg_text(argv[3]), arg_text(argv[4]), arg_text(argv[5]),
			      arg_text(argv[6]));
	char *fold = mc_text_fold(all);
	sqlite3_result_int(ctx, words_in(arg_text(argv[0]), fold));
	free(fold);
	free(all);
}

int supervision_sql_functions(sqlite3 *db)
{
	int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
	int rc = sqlite3_create_function(db, "mc_fold", 1, flags, NULL, sql_fold, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_create_function(db, "mc_queue_words", 7, flags, NULL, sql_queue_words,
					     NULL, NULL);
	return rc;
}

/* ---- a queue read a page at a time ------------------------------------------ */

int queue_query_init(struct queue_query *qq, struct store *st, enum supervisor_queue q,
		     const struct mc_dt *now, const char *unit, struct strbuf *err)
{
	memset(qq, 0, sizeof(*qq));
	dossier_filter_init(&qq->df, now);
	if (supervisor_queue_filter(st, q, now, &qq->df, err))
		return -1;
	qq->df.unit_code = unit;
	qq->sort = QS_due;
	return 0;
}

static bool blank(const char *s)
{
	return !s || !*s;
}

/* The sort's keys, most significant first (those of compare() below). */
static int sort_keys(enum queue_sort s, const char *keys[4])
{
	int n = 0;
	switch (s) {
	case QS_received:
		keys[n++] = "d.received_at";
		break;
	case QS_clerk:
		keys[n++] = "mc_fold(" CN ")";
		keys[n++] = CK;
		break;
	case QS_procedure:
		keys[n++] = "coalesce(d.procedure_code, '')";
		break;
	default:
		break;
	}
	keys[n++] = "d.appointment";
	keys[n++] = "d.code";
	return n;
}

/* The values of the keys of an item, as sort_keys lists them. */
static void item_keys(const struct queue_item *it, enum queue_sort s, char *vals[4])
{
	int n = 0;
	switch (s) {
	case QS_received:
		vals[n++] = xstrdup(it->row.received_at);
		break;
	case QS_clerk:
		vals[n++] = mc_text_fold(it->clerk_name);
		vals[n++] = xstrdup(it->clerk);
		break;
	case QS_procedure:
		vals[n++] = xstrdup(it->row.procedure_code);
		break;
	default:
		break;
	}
	vals[n++] = xstrdup(it->row.appointment);
	vals[n++] = xstrdup(it->row.code);
}

enum read_what { READ_ITEMS, READ_COUNT };

static int count_bits(unsigned v)
{
	int n = 0;
	for (; v; v &= v - 1)
		n++;
	return n;
}

/* One SELECT of the queue's items (or their count) whose dossiers pass df,
 * with the sort's keys as its last columns, after (before) the key :k0..
 * when keyed, in order and limited by limit (a parameter's name) when it
 * is not NULL. */
static void add_select(struct strbuf *sql, const struct queue_query *qq,
		       const struct dossier_filter *df, enum read_what what, const char *keys[4],
		       int nk, bool keyed, bool backward, const char *limit)
{
	if (what == READ_COUNT) {
		strbuf_addstr(sql, "SELECT count(*)");
	} else {
		strbuf_addstr(sql, "SELECT " DOSSIER_ROW_COLS ", " CK ", " CN);
		for (int i = 0; i < nk; i++)
			strbuf_addf(sql, ", %s", keys[i]);
	}
	/* One status by reception time: its index, read from the oldest (the
	 * planner would sort the whole bucket of appointments instead). */
	bool by_received = what == READ_ITEMS && qq->sort == QS_received &&
			   count_bits(dossier_filter_statuses(df)) == 1;
	strbuf_addstr(sql, by_received ? " FROM dossiers d INDEXED BY dossiers_status_received"
					 JOINS_SQL " WHERE 1" : FROM_SQL " WHERE 1");
	if (!dossier_filter_where(sql, df))
		strbuf_addstr(sql, " AND 0");
	if (!blank(qq->f.clerk))
		strbuf_addstr(sql, " AND " CK " = :vclerk");
	if (!blank(qq->f.unit))
		strbuf_addstr(sql, " AND d.unit_code = :vunit");
	if (!blank(qq->f.text))
		strbuf_addstr(sql, " AND mc_queue_words(:words, d.code, d.applicant_name,"
				   " d.procedure_code, d.procedure_name, " CK ", " CN ")");
	if (keyed) {
		/* The first key bounds the range (an index on it is read from
		 * there); the row value orders the rest. */
		strbuf_addf(sql, " AND %s %s= :k0 AND (", keys[0], backward ? "<" : ">");
		for (int i = 0; i < nk; i++)
			strbuf_addf(sql, "%s%s", i ? ", " : "", keys[i]);
		strbuf_addf(sql, ") %s (", backward ? "<" : ">");
		for (int i = 0; i < nk; i++)
			strbuf_addf(sql, "%s:k%d", i ? ", " : "", i);
		strbuf_addch(sql, ')');
	}
	if (limit) {
		strbuf_addstr(sql, " ORDER BY ");
		for (int i = 0; i < nk; i++)
			strbuf_addf(sql, "%s%s%s", i ? ", " : "", keys[i], backward ? " DESC" : "");
		strbuf_addf(sql, " LIMIT %s", limit);
	}
}

/* The statement of a page (or of the count), its parameters bound. from:
 * the key item (NULL: none); backward: descending, before it. */
static sqlite3_stmt *prepare_read(struct store *st, const struct queue_query *qq,
				  enum read_what what, const struct queue_item *from,
				  bool backward, struct strbuf *err)
{
	struct strbuf sql = STRBUF_INIT;
	const char *keys[4];
	int nk = sort_keys(qq->sort, keys);
	unsigned mask = dossier_filter_statuses(&qq->df);
	if (what == READ_ITEMS && count_bits(mask) > 1 && mask != DQ_STATUS_ALL) {
		/* Several statuses (the due buckets: received, processing): one
		 * ordered range per status, merged, so that a page reads a page
		 * of each and never the whole queue. */
		const char *sep = "";
		for (int s = 1; s <= 10; s++) {
			if (!(mask & DQ_STATUS(s)))
				continue;
			struct dossier_filter df = qq->df;
			df.status_mask = DQ_STATUS(s);
			strbuf_addf(&sql, "%sSELECT * FROM (", sep);
			add_select(&sql, qq, &df, what, keys, nk, from != NULL, backward, ":n");
			strbuf_addch(&sql, ')');
			sep = " UNION ALL ";
		}
		strbuf_addstr(&sql, " ORDER BY ");
		for (int i = 0; i < nk; i++)
			strbuf_addf(&sql, "%s%d%s", i ? ", " : "", DOSSIER_ROW_NCOLS + 3 + i,
				    backward ? " DESC" : "");
		strbuf_addstr(&sql, " LIMIT :lim OFFSET :off");
	} else {
		add_select(&sql, qq, &qq->df, what, keys, nk, from != NULL, backward,
			   what == READ_ITEMS ? ":lim OFFSET :off" : NULL);
	}
	sqlite3_stmt *q = store_prepare(st, sql.buf);
	strbuf_release(&sql);
	if (!q) {
		strbuf_addf(err, "không đọc được hàng chờ: %s", sqlite3_errmsg(st->db));
		return NULL;
	}
	dossier_filter_bind(q, &qq->df);
	int i;
	if (!blank(qq->f.clerk) && (i = sqlite3_bind_parameter_index(q, ":vclerk")))
		sqlite3_bind_text(q, i, qq->f.clerk, -1, SQLITE_TRANSIENT);
	if (!blank(qq->f.unit) && (i = sqlite3_bind_parameter_index(q, ":vunit")))
		sqlite3_bind_text(q, i, qq->f.unit, -1, SQLITE_TRANSIENT);
	if (!blank(qq->f.text) && (i = sqlite3_bind_parameter_index(q, ":words")))
		sqlite3_bind_text(q, i, mc_text_fold(qq->f.text), -1, free);
	if (from) {
		char *vals[4];
		item_keys(from, qq->sort, vals);
		for (int k = 0; k < nk; k++) {
			char name[16];
			snprintf(name, sizeof(name), ":k%d", k);
			sqlite3_bind_text(q, sqlite3_bind_parameter_index(q, name), vals[k], -1,
					  free);
		}
	}
	return q;
}

static int read_fail(struct store *st, int rc, struct strbuf *err)
{
	(void)rc;
	strbuf_addf(err, "không đọc được hàng chờ: %s", sqlite3_errmsg(st->db));
	return -1;
}

static int read_items(struct store *st, sqlite3_stmt *q, long offset, size_t limit,
		      bool backward, struct queue_items *out, struct strbuf *err)
{
	if (!q)
		return -1;
	sqlite3_bind_int64(q, sqlite3_bind_parameter_index(q, ":lim"), (long long)limit);
	sqlite3_bind_int64(q, sqlite3_bind_parameter_index(q, ":off"), offset);
	int n_at = sqlite3_bind_parameter_index(q, ":n");
	if (n_at)
		sqlite3_bind_int64(q, n_at, offset + (long long)limit);
	size_t first = out->n;
	int rc, n = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct queue_item *it = items_push(out);
		dossier_row_read(q, 0, &it->row);
		const unsigned char *ck = sqlite3_column_text(q, DOSSIER_ROW_NCOLS);
		const unsigned char *cn = sqlite3_column_text(q, DOSSIER_ROW_NCOLS + 1);
		it->clerk = xstrdup(ck ? (const char *)ck : "");
		it->clerk_name = xstrdup(cn ? (const char *)cn : "");
		item_fill(it);
		n++;
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return read_fail(st, rc, err);
	/* read nearest first: put them back in the queue's order */
	for (size_t i = first, j = out->n; backward && i + 1 < j; i++, j--) {
		struct queue_item tmp = out->v[i];
		out->v[i] = out->v[j - 1];
		out->v[j - 1] = tmp;
	}
	return n;
}

int queue_page(struct store *st, const struct queue_query *qq, const struct queue_item *from,
	       bool backward, size_t limit, struct queue_items *out, struct strbuf *err)
{
	if (!limit)
		return 0;
	return read_items(st, prepare_read(st, qq, READ_ITEMS, from, backward, err), 0, limit,
			  backward, out, err);
}

int queue_page_at(struct store *st, const struct queue_query *qq, long offset, size_t limit,
		  struct queue_items *out, struct strbuf *err)
{
	if (!limit)
		return 0;
	return read_items(st, prepare_read(st, qq, READ_ITEMS, NULL, false, err),
			  offset < 0 ? 0 : offset, limit, false, out, err);
}

long queue_count(struct store *st, const struct queue_query *qq, struct strbuf *err)
{
	if (blank(qq->f.clerk) && blank(qq->f.text)) {
		struct dossier_filter f = qq->df;
		if (!blank(qq->f.unit)) {
			if (f.unit_code && strcmp(f.unit_code, qq->f.unit))
				return 0;
			f.unit_code = qq->f.unit;
		}
		return dossier_count(st, &f, err);
	}
	sqlite3_stmt *q = prepare_read(st, qq, READ_COUNT, NULL, false, err);
	if (!q)
		return -1;
	int rc = sqlite3_step(q);
	long n = rc == SQLITE_ROW ? (long)sqlite3_column_int64(q, 0) : read_fail(st, rc, err);
	sqlite3_finalize(q);
	return n;
}

long queue_index_of(struct store *st, const struct queue_query *qq, const struct queue_item *it,
		    struct strbuf *err)
{
	sqlite3_stmt *q = prepare_read(st, qq, READ_COUNT, it, true, err);
	if (!q)
		return -1;
	int rc = sqlite3_step(q);
	long n = rc == SQLITE_ROW ? (long)sqlite3_column_int64(q, 0) : read_fail(st, rc, err);
	sqlite3_finalize(q);
	return n;
}

void queue_item_copy(struct queue_item *dst, const struct queue_item *src)
{
	*dst = *src;
	dst->row.code = xstrdup(src->row.code);
	dst->row.applicant_name = xstrdup(src->row.applicant_name);
	dst->row.id_number = xstrdup(src->row.id_number);
	dst->row.procedure_code = xstrdup(src->row.procedure_code);
	dst->row.procedure_name = xstrdup(src->row.procedure_name);
	dst->row.unit_code = xstrdup(src->row.unit_code);
	dst->clerk = xstrdup(src->clerk);
	dst->clerk_name = xstrdup(src->clerk_name);
	dst->fold = xstrdup(src->fold);
}

void queue_item_release(struct queue_item *it)
{
	item_release(it);
}

/* ---- the pager ----------------------------------------------------------- */

#define PAGER_PAGES 4 /* the window holds at most this many pages */

int queue_pager_open(struct queue_pager *p, struct store *st, const struct queue_query *qq,
		     int page, struct strbuf *err)
{
	memset(p, 0, sizeof(*p));
	p->st = st;
	p->qq = *qq;
	p->page = page > 0 ? page : 50;
	p->total = queue_count(st, qq, err);
	return p->total < 0 ? -1 : 0;
}

void queue_pager_release(struct queue_pager *p)
{
	queue_items_release(&p->items);
	p->total = p->first = 0;
}

static void window_drop(struct queue_pager *p, size_t n, bool front)
{
	struct queue_items *q = &p->items;
	if (n > q->n)
		n = q->n;
	size_t from = front ? 0 : q->n - n;
	for (size_t i = from; i < from + n; i++)
		item_release(&q->v[i]);
	if (front) {
		memmove(q->v, q->v + n, (q->n - n) * sizeof(*q->v));
		p->first += (long)n;
	}
	q->n -= n;
}

static int window_extend(struct queue_pager *p, bool after, struct strbuf *err)
{
	struct queue_items *q = &p->items, more = { 0 };
	int got = queue_page(p->st, &p->qq, &q->v[after ? q->n - 1 : 0], !after,
			     (size_t)p->page, &more, err);
	if (got > 0) {
		q->v = xrealloc(q->v, (q->n + more.n) * sizeof(*q->v));
		if (after) {
			memcpy(q->v + q->n, more.v, more.n * sizeof(*more.v));
		} else {
			memmove(q->v + more.n, q->v, q->n * sizeof(*q->v));
			memcpy(q->v, more.v, more.n * sizeof(*more.v));
			p->first -= (long)more.n;
		}
		q->n += more.n;
		more.n = 0; /* the items moved to the window */
		size_t max = (size_t)p->page * PAGER_PAGES;
		if (q->n > max)
			window_drop(p, q->n - max, after);
	}
	queue_items_release(&more);
	return got;
}

static int window_reset(struct queue_pager *p, long index, struct strbuf *err)
{
	window_drop(p, p->items.n, false);
	int got;
	if (index < p->page) {
		p->first = 0;
		got = queue_page(p->st, &p->qq, NULL, false, (size_t)p->page, &p->items, err);
	} else if (index >= p->total - p->page) {
		got = queue_page(p->st, &p->qq, NULL, true, (size_t)p->page, &p->items, err);
		p->first = got > 0 ? p->total - got : 0;
	} else {
		p->first = index - p->page / 2;
		got = queue_page_at(p->st, &p->qq, p->first, (size_t)p->page, &p->items, err);
	}
	return got;
}

const struct queue_item *queue_pager_item(struct queue_pager *p, long index, struct strbuf *err)
{
	if (index < 0 || index >= p->total)
		return NULL;
	long first = p->first, end = p->first + (long)p->items.n;
	int got;
	if (p->items.n && index >= first && index < end)
		return &p->items.v[index - first];
	if (p->items.n && index >= end && index < end + p->page)
		got = window_extend(p, true, err);
	else if (p->items.n && index < first && index >= first - p->page)
		got = window_extend(p, false, err);
	else
		got = window_reset(p, index, err);
	if (got < 0)
		return NULL;
	if (index >= p->first && index < p->first + (long)p->items.n)
		return &p->items.v[index - p->first];
	return NULL; /* the queue changed under us: fewer items than counted */
}

/* ---- the clerks and units of a queue ---------------------------------------- */

long queue_choices(struct store *st, const struct queue_query *qq, bool units,
		   struct queue_choice **out, struct strbuf *err)
{
	*out = NULL;
	struct strbuf sql = STRBUF_INIT;
	if (units)
		strbuf_addstr(&sql, "SELECT d.unit_code, d.unit_code");
	else
		strbuf_addstr(&sql, "SELECT " CK ", min(" CN ")");
	strbuf_addstr(&sql, FROM_SQL " WHERE 1");
	if (!dossier_filter_where(&sql, &qq->df))
		strbuf_addstr(&sql, " AND 0");
	strbuf_addstr(&sql, units ? " GROUP BY 1 ORDER BY 1" : " GROUP BY 1 ORDER BY 2, 1");
	sqlite3_stmt *q = store_prepare(st, sql.buf);
	strbuf_release(&sql);
	if (!q)
		return read_fail(st, 0, err);
	dossier_filter_bind(q, &qq->df);
	long n = 0;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		*out = xrealloc(*out, (size_t)(n + 1) * sizeof(**out));
		const unsigned char *k = sqlite3_column_text(q, 0), *v = sqlite3_column_text(q, 1);
		(*out)[n].key = xstrdup(k ? (const char *)k : "");
		(*out)[n].name = xstrdup(v ? (const char *)v : "");
		n++;
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE) {
		queue_choices_free(*out, n);
		*out = NULL;
		return read_fail(st, rc, err);
	}
	return n;
}

void queue_choices_free(struct queue_choice *v, long n)
{
	for (long i = 0; i < n; i++) {
		free(v[i].key);
		free(v[i].name);
	}
	free(v);
}

/* ---- everything at once (the CLI) ------------------------------------------- */

int queue_items_load(struct store *st, enum supervisor_queue q, const struct mc_dt *now,
		     const char *unit, size_t max, struct queue_items *out, struct strbuf *err)
{
	memset(out, 0, sizeof(*out));
	struct queue_query qq;
	if (queue_query_init(&qq, st, q, now, unit, err))
		return -1;
	int n;
	do {
		size_t want = max - out->n < PAGE ? max - out->n : PAGE;
		n = queue_page(st, &qq, out->n ? &out->v[out->n - 1] : NULL, false, want, out, err);
		if (n >= 0 && out->n == max) {
			struct queue_items more = { 0 };
			n = queue_page(st, &qq, &out->v[out->n - 1], false, 1, &more, err);
			out->truncated = n > 0;
			queue_items_release(&more);
			break;
		}
	} while (n == PAGE);
	return n < 0 ? -1 : 0;
}

static const char *const sort_names[] = {
#define QS_NAME(id, name) name,
	QUEUE_SORTS(QS_NAME)
#undef QS_NAME
};
static const char *const sort_args[] = {
#define QS_ARG(id, name) #id,
	QUEUE_SORTS(QS_ARG)
#undef QS_ARG
};

const char *queue_sort_name(enum queue_sort s)
{
	return (unsigned)s < QS_COUNT ? sort_names[s] : NULL;
}

enum queue_sort queue_sort_from_arg(const char *arg)
{
	for (int i = 0; i < QS_COUNT; i++)
		if (arg && !strcmp(arg, sort_args[i]))
			return (enum queue_sort)i;
	return QS_COUNT;
}

struct sort_ctx {
	const struct queue_items *q;
	enum queue_sort s;
	char **keys; /* folded clerk names, for QS_clerk */
};

static int compare(const void *a, const void *b, void *data)
{
	const struct sort_ctx *c = data;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	const struct queue_item *x = &c->q->v[i], *y = &c->q->v[j];
	int r = 0;
	switch (c->s) {
	case QS_received:
		r = strcmp(x->row.received_at, y->row.received_at);
		break;
	case QS_clerk:
		r = strcmp(c->keys[i], c->keys[j]);
		if (!r)
			r = strcmp(x->clerk, y->clerk);
		break;
	case QS_procedure:
		r = strcmp(x->row.procedure_code, y->row.procedure_code);
		break;
	default:
		break;
	}
	if (!r)
		r = strcmp(x->row.appointment, y->row.appointment);
	if (!r)
		r = strcmp(x->row.code, y->row.code);
	return r;
}

/* Every word of the folded text occurs in hay. */
static bool words_in(const char *words, const char *hay)
{
	const char *p = words;
	while (*p) {
		while (*p == ' ')
			p++;
		size_t n = strcspn(p, " ");
		if (!n)
			break;
		char *w = xstrndup(p, n);
		bool found = strstr(hay, w) != NULL;
		free(w);
		if (!found)
			return false;
		p += n;
	}
	return true;
}

size_t queue_select(const struct queue_items *q, const struct queue_view_filter *f,
		    enum queue_sort s, size_t **out)
{
	*out = NULL;
	if (!q->n)
		return 0;
	char *text = blank(f->text) ? NULL : mc_text_fold(f->text);
	size_t *idx = xmalloc(q->n * sizeof(*idx)), n = 0;
	for (size_t i = 0; i < q->n; i++) {
		const struct queue_item *it = &q->v[i];
		if (!blank(f->clerk) && strcmp(it->clerk, f->clerk))
			continue;
		if (!blank(f->unit) && strcmp(it->row.unit_code, f->unit))
			continue;
		if (text && !words_in(text, it->fold))
			continue;
		idx[n++] = i;
	}
	free(text);
	struct sort_ctx c = { q, s, NULL };
	if (s == QS_clerk) {
		c.keys = xcalloc(q->n, sizeof(*c.keys));
		for (size_t i = 0; i < n; i++)
			c.keys[idx[i]] = mc_text_fold(q->v[idx[i]].clerk_name);
	}
	qsort_r(idx, n, sizeof(*idx), compare, &c);
	if (c.keys) {
		for (size_t i = 0; i < q->n; i++)
			free(c.keys[i]);
		free(c.keys);
	}
	if (!n)
		FREE(&idx);
	*out = idx;
	return n;
}

/* ---- the weekly trend and the CSV ------------------------------------------ */

static void date_of(long days, char *buf, size_t n)
{
	int y, m, d;
	mc_civil_from_days(days, &y, &m, &d);
	mc_format_date(buf, n, y, m, d);
}

int indicators_trend(struct store *st, const char *last_day, int weeks, const char *unit,
		     const char *clerk, struct mc_ind_period *periods,
		     struct mc_indicator_value (*values)[MC_IND_COUNT], struct strbuf *err)
{
	struct mc_date last;
	if (mc_parse_date(last_day, &last)) {
		strbuf_addf(err, "ngày «%.20s» không hợp lệ", last_day);
		return -1;
	}
	long day = mc_days_from_civil(last.y, last.m, last.d);
	long monday = day - (mc_weekday(day) + 6) % 7 - 7L * (weeks - 1);
	for (int i = 0; i < weeks; i++, monday += 7) {
		char from[16], to[16];
		date_of(monday, from, sizeof(from));
		date_of(monday + 6, to, sizeof(to));
		if (mc_ind_period_parse(&periods[i], from, to, err) ||
		    indicators_compute(st, &periods[i], unit, clerk, values[i], err))
			return -1;
	}
	return 0;
}

void indicators_sparkline(char *buf, size_t n, const struct mc_indicator_value *v, int count)
{
	static const char *const blocks[] = { "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "");
	for (int i = 0; i < count; i++) {
		int pm = mc_indicator_permille(&v[i]);
		strbuf_addstr(&sb, pm < 0 ? "·" : blocks[(pm * 7 + 500) / 1000]);
	}
	snprintf(buf, n, "%s", sb.buf);
	strbuf_release(&sb);
}

static void csv_rows(struct strbuf *sb, const struct mc_ind_period *p, const char *unit,
		     const char *clerk, const struct mc_indicator_value v[MC_IND_COUNT])
{
	for (int i = 0; i < MC_IND_COUNT; i++) {
		char num[32], den[32], pct[16];
		snprintf(num, sizeof(num), "%lld", v[i].numerator);
		snprintf(den, sizeof(den), "%lld", v[i].denominator);
		mc_indicator_format_percent(pct, sizeof(pct), &v[i]);
		const char *fields[] = { p->from, p->to, unit ? unit : "", clerk ? clerk : "",
					 mc_indicator_id(i), mc_indicator_name(i), num, den,
					 strcmp(pct, "-") ? pct : "" };
		for (size_t k = 0; k < 9; k++)
			mc_csv_field(sb, fields[k], k == 8);
	}
}

int indicators_write_csv(const char *path, const struct mc_ind_period *p, const char *unit,
			 const char *clerk, const struct mc_indicator_value v[MC_IND_COUNT],
			 int weeks, const struct mc_ind_period *wp,
			 const struct mc_indicator_value (*wv)[MC_IND_COUNT], struct strbuf *err)
{
	static const char *const heads[] = { "Từ ngày", "Đến ngày", "Đơn vị", "Cán bộ",
					     "Mã chỉ tiêu", "Chỉ tiêu", "Tử số", "Mẫu số",
					     "Tỷ lệ (%)" };
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "\xef\xbb\xbf"); /* BOM: Excel reads the file as UTF-8 */
	for (size_t k = 0; k < 9; k++)
		mc_csv_field(&sb, heads[k], k == 8);
	csv_rows(&sb, p, unit, clerk, v);
	for (int w = 0; w < weeks; w++)
		csv_rows(&sb, &wp[w], unit, clerk, wv[w]);
	int rc = files_write_atomic(path, sb.buf, sb.len, 0644, err);
	strbuf_release(&sb);
	return rc;
}

char *supervision_export_dir(const char *db_path)
{
	const char *slash = strrchr(db_path, '/');
	if (!slash)
		return xstrdup("exports");
	if (slash == db_path)
		return xstrdup("/exports");
	return xasprintf("%.*s/exports", (int)(slash - db_path), db_path);
}
