/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "client/store/dossier_query.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/text.h"

/* The columns of a struct dossier_row, in this order, from alias d. */
#define ROW_COLS DOSSIER_ROW_COLS
#define ROW_NCOLS DOSSIER_ROW_NCOLS

/* Name search (see search_name): up to SORT_MAX full-text matches are sorted
 * by reception time; with more, up to WALK_ROWS newest dossiers are walked
 * before sorting them all after all. */
#define SORT_MAX 2000
#define WALK_ROWS 25000
/* A status filter with at most this many dossiers is searched by reading them. */
#define STATUS_SCAN 20000
static long sort_max = SORT_MAX, status_scan = STATUS_SCAN;
static bool sort_max_tuned, keyed_off;

/* ---- rows ------------------------------------------------------------- */

void dossier_rows_init(struct dossier_rows *r)
{
	r->v = NULL;
	r->n = r->alloc = 0;
}

static void row_release(struct dossier_row *row)
{
	FREE(&row->code);
	FREE(&row->applicant_name);
	FREE(&row->id_number);
	FREE(&row->procedure_code);
	FREE(&row->procedure_name);
	FREE(&row->unit_code);
}

void dossier_rows_release(struct dossier_rows *r)
{
	for (size_t i = 0; i < r->n; i++)
		row_release(&r->v[i]);
	FREE(&r->v);
	r->n = r->alloc = 0;
}

static struct dossier_row *rows_push(struct dossier_rows *r)
{
	if (r->n == r->alloc) {
		r->alloc = r->alloc ? 2 * r->alloc : 32;
		r->v = xrealloc(r->v, r->alloc * sizeof(*r->v));
	}
	struct dossier_row *row = &r->v[r->n++];
	memset(row, 0, sizeof(*row));
	return row;
}

/* Reads ROW_COLS starting at column c. */
static void row_read(sqlite3_stmt *q, int c, struct dossier_row *row)
{
	row->rowid = sqlite3_column_int64(q, c);
	row->code = store_col_str(q, c + 1);
	row->applicant_name = store_col_str(q, c + 2);
	row->id_number = store_col_str(q, c + 3);
	row->procedure_code = store_col_str(q, c + 4);
	row->procedure_name = store_col_str(q, c + 5);
	row->unit_code = store_col_str(q, c + 6);
	row->status = sqlite3_column_int(q, c + 7);
	store_col_copy(q, c + 8, row->received_at, sizeof(row->received_at));
	store_col_copy(q, c + 9, row->appointment, sizeof(row->appointment));
}

static int fail(int rc, struct strbuf *err)
{
	if (err)
		strbuf_addf(err, "không đọc được hồ sơ: %s", store_errmsg_vn(rc));
	return -1;
}

/* Steps q to its end, appending each row (ROW_COLS from column c); finalizes
 * q. Returns the number of rows appended, or -1. */
static int read_rows(sqlite3_stmt *q, int c, struct dossier_rows *out, struct strbuf *err)
{
	int n = 0, rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		row_read(q, c, rows_push(out));
		n++;
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? n : fail(rc, err);
}

/* Binds by name; a parameter the statement does not use is skipped. */
static void bind_text(sqlite3_stmt *q, const char *name, const char *v)
{
	int i = sqlite3_bind_parameter_index(q, name);
	if (i)
		sqlite3_bind_text(q, i, v, -1, SQLITE_TRANSIENT);
}

static void bind_int64(sqlite3_stmt *q, const char *name, long long v)
{
	int i = sqlite3_bind_parameter_index(q, name);
	if (i)
		sqlite3_bind_int64(q, i, v);
}

/* "status IN (2,4)" for the statuses of mask (nothing for every status). */
static void add_status_in(struct strbuf *sql, const char *conj, unsigned mask)
{
	if ((mask & DQ_STATUS_ALL) == DQ_STATUS_ALL)
		return;
	strbuf_addf(sql, " %s d.status IN (", conj);
	const char *sep = "";
	for (int s = 1; s <= 10; s++) {
		if (mask & DQ_STATUS(s)) {
			strbuf_addf(sql, "%s%d", sep, s);
			sep = ",";
		}
	}
	strbuf_addch(sql, ')');
}

static bool status_ok(unsigned mask, int status)
{
	return status >= 1 && status <= 10 && (mask & DQ_STATUS(status));
}

static unsigned effective_mask(unsigned mask)
{
	return mask ? mask & DQ_STATUS_ALL : DQ_STATUS_ALL;
}

/* The smallest string greater than every string starting with s. */
static char *prefix_end(const char *s)
{
	return xasprintf("%s\xff", s);
}

/* ---- what a query is --------------------------------------------------- */

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* A character of a full-text token: ASCII letters and digits and any
 * non-ASCII byte (what mc_text_fold leaves is lower case without marks). */
static bool is_token_byte(char c)
{
	return is_alnum(c) || (unsigned char)c >= 0x80;
}

static char *trimmed(const char *s)
{
	while (is_space(*s))
		s++;
	size_t n = strlen(s);
	while (n && is_space(s[n - 1]))
		n--;
	return xstrndup(s, n);
}

/* The folded words of a name query; NULL-terminated, malloc'd. */
static char **name_terms(const char *query, int *count)
{
	char *fold = mc_text_fold(query);
	char **terms = xcalloc(strlen(fold) / 2 + 2, sizeof(*terms));
	int n = 0;
	for (const char *p = fold; *p;) {
		if (!is_token_byte(*p)) {
			p++;
			continue;
		}
		const char *start = p;
		while (*p && is_token_byte(*p))
			p++;
		terms[n++] = xstrndup(start, (size_t)(p - start));
	}
	free(fold);
	*count = n;
	return terms;
}

static void terms_free(char **terms)
{
	for (char **t = terms; *t; t++)
		free(*t);
	free(terms);
}

enum dossier_query_kind dossier_query_kind(const char *query)
{
	char *q = trimmed(query ? query : "");
	size_t n = strlen(q), digits = 0, seps = 0, others = 0;
	for (size_t i = 0; i < n; i++) {
		if (is_digit(q[i]))
			digits++;
		else if (q[i] == '-' || q[i] == '.')
			seps++;
		else if (!is_alnum(q[i]))
			others++;
	}
	enum dossier_query_kind kind;
	if (n == 0) {
		kind = DQ_KIND_EMPTY;
	} else if (digits == n && n >= 9 && n <= 12) {
		kind = DQ_KIND_ID;
	} else if (digits && seps && !others) {
		kind = DQ_KIND_CODE;
	} else {
		int count;
		terms_free(name_terms(q, &count));
		kind = count ? DQ_KIND_NAME : DQ_KIND_EMPTY;
	}
	free(q);
	return kind;
}

/* ---- search by code ------------------------------------------------------ */

/* The part of a code after the unit identifier: "251127-0001". The same
 * expression as the index dossiers_code_tail (client/store/store.c). */
#define CODE_TAIL "substr(d.code, instr(d.code, '-') + 1)"

static int search_code(struct store *st, const char *query, unsigned mask, int offset,
		       int limit, struct dossier_rows *out, struct strbuf *err)
{
	char *q = xstrdup(query);
	for (char *p = q; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	char *hi = prefix_end(q);
	struct strbuf sql = STRBUF_INIT;
	strbuf_addstr(&sql, "SELECT * FROM (SELECT 0 AS g, d.code AS k, " ROW_COLS
			    " FROM dossiers d WHERE d.code = :q");
	add_status_in(&sql, "AND", mask);
	strbuf_addstr(&sql, ") UNION ALL SELECT * FROM (SELECT 1, d.code, " ROW_COLS
			    " FROM dossiers d WHERE d.code > :q AND d.code < :hi");
	add_status_in(&sql, "AND", mask);
	strbuf_addstr(&sql, " ORDER BY d.code DESC LIMIT :n) UNION ALL SELECT * FROM"
			    " (SELECT 2, " CODE_TAIL " AS t, " ROW_COLS " FROM dossiers d"
			    " WHERE " CODE_TAIL " >= :q AND " CODE_TAIL " < :hi"
			    " AND NOT (d.code >= :q AND d.code < :hi)");
	add_status_in(&sql, "AND", mask);
	strbuf_addstr(&sql, " ORDER BY t DESC LIMIT :n) ORDER BY 1, 2 DESC LIMIT :lim OFFSET :off");
	sqlite3_stmt *stmt = store_prepare(st, sql.buf);
	bind_text(stmt, ":q", q);
	bind_text(stmt, ":hi", hi);
	bind_int64(stmt, ":n", (long long)offset + limit);
	bind_int64(stmt, ":lim", limit);
	bind_int64(stmt, ":off", offset);
	int n = read_rows(stmt, 2, out, err);
	strbuf_release(&sql);
	free(hi);
	free(q);
	return n;
}

/* ---- search by number: a part of an ID number, or a phone ------------------ */

/* The digits of a query made only of digits and blanks (a leading '+' too:
 * "+84 912 345 678" -> "0912345678"), when there are six (the end of a CCCD
 * a citizen reads out) or nine and more (malloc'd); else NULL: seven or
 * eight digits stay a name search, as before. */
static char *number_query(const char *q)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "");
	const char *p = q;
	bool plus = *p == '+';
	if (plus)
		p++;
	for (; *p; p++) {
		if (is_digit(*p))
			strbuf_addch(&sb, *p);
		else if (*p != ' ') {
			strbuf_release(&sb);
			return NULL;
		}
	}
	if ((sb.len != 6 && sb.len < 9) || (plus && strncmp(sb.buf, "84", 2))) {
		strbuf_release(&sb);
		return NULL;
	}
	char *d = strbuf_detach(&sb);
	if (plus) { /* +84 912... is 0912... */
		char *local = xasprintf("0%s", d + 2);
		free(d);
		d = local;
	}
	return d;
}

/* The phone as its digits, +84 read as 0 (SQL over d.phone). */
#define PHONE_DIGITS                                                                   \
	"replace(replace(replace(replace(d.phone, ' ', ''), '.', ''), '-', ''), '+84', '0')"

/* Dossiers whose ID number holds the digits (the exact number first, then
 * numbers starting with them, then the others) or whose phone does. Nine
 * digits or more are the start of a number (a range of dossiers_idnum);
 * six may be any part of it (the end a citizen reads out: a scan
 * of the numbers). Ten or eleven digits starting with 0 may be a phone too,
 * looked for in every phone written any way (a scan). */
static int search_number(struct store *st, const char *digits, unsigned mask, int offset,
			 int limit, struct dossier_rows *out, struct strbuf *err)
{
	size_t len = strlen(digits);
	bool start = len >= 9;
	bool phone = digits[0] == '0' && (len == 10 || len == 11);
	struct strbuf sql = STRBUF_INIT;
	strbuf_addf(&sql, "SELECT " ROW_COLS " FROM dossiers d WHERE (%s",
		    start ? "(d.id_number >= :q AND d.id_number < :hi)" : "instr(d.id_number, :q) > 0");
	if (phone)
		strbuf_addstr(&sql, " OR (d.phone IS NOT NULL AND instr(" PHONE_DIGITS ", :q) > 0)");
	strbuf_addstr(&sql, ")");
	add_status_in(&sql, "AND", mask);
	strbuf_addstr(&sql, " ORDER BY d.id_number IS :q DESC, substr(d.id_number, 1, length(:q)) IS :q"
			    " DESC, d.received_at DESC, d.rowid DESC LIMIT :lim OFFSET :off");
	sqlite3_stmt *stmt = store_prepare(st, sql.buf);
	char *hi = prefix_end(digits);
	bind_text(stmt, ":q", digits);
	if (start)
		bind_text(stmt, ":hi", hi);
	bind_int64(stmt, ":lim", limit);
	bind_int64(stmt, ":off", offset);
	int n = read_rows(stmt, 0, out, err);
	strbuf_release(&sql);
	free(hi);
	return n;
}

/* ---- search by name ------------------------------------------------------ */

/* Whether every term starts a token of fold (the full-text rule, again). */
static bool fold_matches(const char *fold, char **terms)
{
	for (char **t = terms; *t; t++) {
		size_t len = strlen(*t);
		bool found = false;
		for (const char *p = fold; *p && !found; p++) {
			if (!is_token_byte(*p) || (p > fold && is_token_byte(p[-1])))
				continue;
			found = !strncmp(p, *t, len);
		}
		if (!found)
			return false;
	}
	return true;
}

/* "\"nguyen\"* AND \"van\"*": every term a quoted prefix. Terms hold only
 * token bytes, but quotes are doubled anyway: user text never becomes syntax. */
static char *fts_expr(char **terms)
{
	struct strbuf sb = STRBUF_INIT;
	for (char **t = terms; *t; t++) {
		if (t != terms)
			strbuf_addstr(&sb, " AND ");
		strbuf_addch(&sb, '"');
		for (const char *p = *t; *p; p++) {
			if (*p == '"')
				strbuf_addch(&sb, '"');
			strbuf_addch(&sb, *p);
		}
		strbuf_addstr(&sb, "\"*");
	}
	return strbuf_detach(&sb);
}

/* A match found before its row is read: sort key and rowid. */
struct hit {
	long long rowid;
	char at[17];
};

struct hits {
	struct hit *v;
	size_t n, alloc;
};

static struct hit *hits_push(struct hits *h, long long rowid)
{
	if (h->n == h->alloc) {
		h->alloc = h->alloc ? 2 * h->alloc : 64;
		h->v = xrealloc(h->v, h->alloc * sizeof(*h->v));
	}
	struct hit *x = &h->v[h->n++];
	x->rowid = rowid;
	x->at[0] = '\0';
	return x;
}

static int hit_cmp(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;
	int c = strcmp(y->at, x->at); /* newest first */
	if (c)
		return c;
	return (y->rowid > x->rowid) - (y->rowid < x->rowid);
}

/* Appends the rows of v[from .. to-1], in that order. */
static int fetch_hits(struct store *st, const struct hit *v, size_t from, size_t to,
		      struct dossier_rows *out, struct strbuf *err)
{
	sqlite3_stmt *q = store_prepare(st, "SELECT " ROW_COLS " FROM dossiers d WHERE d.rowid = ?");
	int n = 0;
	for (size_t i = from; i < to; i++) {
		sqlite3_bind_int64(q, 1, v[i].rowid);
		int rc = sqlite3_step(q);
		if (rc == SQLITE_ROW) {
			row_read(q, 0, rows_push(out));
			n++;
		} else if (rc != SQLITE_DONE) {
			sqlite3_finalize(q);
			return fail(rc, err);
		}
		sqlite3_reset(q);
	}
	sqlite3_finalize(q);
	return n;
}

/* Sorts every hit newest first and appends the rows of the page. */
static int page_of_hits(struct store *st, struct hits *h, int offset, int limit,
			struct dossier_rows *out, struct strbuf *err)
{
	if (h->n > 1)
		qsort(h->v, h->n, sizeof(*h->v), hit_cmp);
	size_t from = (size_t)offset < h->n ? (size_t)offset : h->n;
	size_t to = h->n - from > (size_t)limit ? from + (size_t)limit : h->n;
	return fetch_hits(st, h->v, from, to, out, err);
}

/* Full-text matches of terms, at most max + 1 rowids (in h). */
static int fts_matches(struct store *st, char **terms, long max, struct hits *h,
		       struct strbuf *err)
{
	char *expr = fts_expr(terms);
	sqlite3_stmt *q = store_prepare(st, "SELECT rowid FROM dossier_fts WHERE dossier_fts MATCH ?");
	sqlite3_bind_text(q, 1, expr, -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW && (long)h->n <= max)
		hits_push(h, sqlite3_column_int64(q, 0));
	sqlite3_finalize(q);
	free(expr);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : fail(rc, err);
}

/* Reads the reception time of each hit, dropping other statuses. */
static int hits_times(struct store *st, struct hits *h, unsigned mask, struct strbuf *err)
{
	sqlite3_stmt *q = store_prepare(st, "SELECT received_at, status FROM dossiers WHERE rowid = ?");
	size_t kept = 0;
	int rc = SQLITE_DONE;
	for (size_t i = 0; i < h->n; i++) {
		sqlite3_bind_int64(q, 1, h->v[i].rowid);
		rc = sqlite3_step(q);
		if (rc == SQLITE_ROW && status_ok(mask, sqlite3_column_int(q, 1))) {
			h->v[kept].rowid = h->v[i].rowid;
			store_col_copy(q, 0, h->v[kept].at, sizeof(h->v[kept].at));
			kept++;
		}
		sqlite3_reset(q);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			break;
		rc = SQLITE_DONE;
	}
	sqlite3_finalize(q);
	h->n = kept;
	return rc == SQLITE_DONE ? 0 : fail(rc, err);
}

/* Walks dossiers newest received first, keeping those whose name matches,
 * until the page is full or max dossiers were read. Returns the rows
 * appended (the page is then right: full, or the whole store was read), -1
 * on error, or -2 when it gave up. */
static int walk_newest(struct store *st, char **terms, unsigned mask, int offset, int limit,
		       long max, struct dossier_rows *out, struct strbuf *err)
{
	sqlite3_stmt *q = store_prepare(st,
		"SELECT d.rowid, d.status, d.applicant_fold FROM dossiers d"
		" INDEXED BY dossiers_received ORDER BY d.received_at DESC, d.rowid DESC");
	struct hits h = { 0 };
	int found = 0, rc = SQLITE_DONE;
	long scanned = 0;
	while ((int)h.n < limit) {
		rc = sqlite3_step(q);
		if (rc != SQLITE_ROW || ++scanned > max)
			break;
		if (!status_ok(mask, sqlite3_column_int(q, 1)))
			continue;
		const unsigned char *fold = sqlite3_column_text(q, 2);
		if (!fold || !fold_matches((const char *)fold, terms))
			continue;
		if (found++ >= offset)
			hits_push(&h, sqlite3_column_int64(q, 0));
	}
	sqlite3_finalize(q);
	int n;
	if ((int)h.n == limit || rc == SQLITE_DONE)
		n = fetch_hits(st, h.v, 0, h.n, out, err);
	else
		n = rc == SQLITE_ROW ? -2 : fail(rc, err);
	free(h.v);
	return n;
}

/* A status filter with few dossiers: read them all. */
static int scan_statuses(struct store *st, char **terms, unsigned mask, struct hits *h,
			 struct strbuf *err)
{
	struct strbuf sql = STRBUF_INIT;
	strbuf_addstr(&sql, "SELECT d.rowid, d.received_at, d.applicant_fold FROM dossiers d"
			    " INDEXED BY dossiers_status_received WHERE 1");
	add_status_in(&sql, "AND", mask);
	sqlite3_stmt *q = store_prepare(st, sql.buf);
	strbuf_release(&sql);
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const unsigned char *fold = sqlite3_column_text(q, 2);
		if (fold && fold_matches((const char *)fold, terms))
			store_col_copy(q, 1, hits_push(h, sqlite3_column_int64(q, 0))->at, sizeof(h->v->at));
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : fail(rc, err);
}

/* How many dossiers have a status of mask (and the filter's unit, when f is
 * not NULL), from the per-unit, per-status counts that triggers keep in
 * dossier_status_counts (client/store/store.c): a sum of a few rows, whatever the
 * store's size. */
static long sum_counts(struct store *st, unsigned mask, const struct dossier_filter *f,
		       struct strbuf *err)
{
	struct strbuf sql = STRBUF_INIT;
	strbuf_addstr(&sql, "SELECT coalesce(sum(d.n), 0) FROM dossier_status_counts d WHERE 1");
	add_status_in(&sql, "AND", mask);
	if (f && f->unit_code)
		strbuf_addstr(&sql, " AND d.unit_code = :unit");
	sqlite3_stmt *q = store_prepare(st, sql.buf);
	strbuf_release(&sql);
	if (f && f->unit_code)
		bind_text(q, ":unit", f->unit_code);
	int rc = sqlite3_step(q);
	long n = rc == SQLITE_ROW ? (long)sqlite3_column_int64(q, 0) : fail(rc, err);
	sqlite3_finalize(q);
	return n;
}

/* Exactly newest received first, whatever the name's frequency. Without a
 * status filter of few dossiers (status_scan), from the name index by
 * reception time (search_keyed, below) when it holds every dossier. Else
 * (or with dossier_search_tune_keyed(false)), from dossier_fts:
 *  - a rare name (at most sort_max full-text matches): read each match's
 *    reception time and status, and sort them;
 *  - a common one with a status filter that has few dossiers (status_scan):
 *    read those and sort the matches;
 *  - a common one: walk back from the newest dossier, which fills a page
 *    after a few hundred or thousand rows; should that take too long (a deep
 *    page, or matches that are all old), sort every match after all. */
/* Sorting the matches costs about the same per match as walking costs per
 * dossier; a walk of the newest dossiers needs about (offset + limit) *
 * dossiers / matches rows to fill the page. So sort whenever the matches are
 * fewer than what a WALK_ROWS walk would be expected to need. */
static long sort_threshold(struct store *st, int offset, int limit)
{
	if (sort_max_tuned)
		return sort_max;
	sqlite3_stmt *q = store_prepare(st, "SELECT max(rowid) FROM dossiers");
	double total = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_double(q, 0) : 0;
	sqlite3_finalize(q);
	double t = (double)(offset + limit) * total / WALK_ROWS;
	return t > SORT_MAX ? (long)t : SORT_MAX;
}

/* Whether a status filter keeps at most status_scan dossiers. */
static bool few_dossiers(struct store *st, unsigned mask)
{
	if (mask == DQ_STATUS_ALL)
		return false;
	long n = sum_counts(st, mask, NULL, NULL);
	return n >= 0 && n <= status_scan;
}

/* The name index by reception time (dossier_name_fts, client/store/store.c
 * migration 9 -> 10): its rowid is T * 2^31 + the dossier's rowid, T growing
 * with received_at, so reading a full-text query backwards gives its matches
 * newest received first (ties: the larger rowid first), as hit_cmp orders
 * them. It holds every dossier but those whose received_at is not of the
 * form YYYY-MM-DDTHH:MM or whose rowid is 2^31 or more. */
#define KEY_ROWID_MASK 0x7fffffffLL
/* The dossiers it does not hold: the condition of the partial index
 * dossiers_unkeyed, word for word (UNKEYED in client/store/store.c). */
#define UNKEYED                                                                    \
	"NOT (received_at GLOB"                                                     \
	" '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]')"

/* Whether the name index holds every dossier (two index lookups). */
static bool keyed_complete(struct store *st)
{
	if (keyed_off)
		return false;
	sqlite3_stmt *q = store_prepare(st,
		"SELECT coalesce((SELECT max(rowid) FROM dossiers), 0) <= 2147483647"
		" AND NOT EXISTS (SELECT 1 FROM dossiers INDEXED BY dossiers_unkeyed WHERE " UNKEYED ")");
	bool yes = sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	return yes;
}

/* Planning a keyed search. A full-text AND reads the lists of all its
 * words over the span of time it covers, and for a rare combination of
 * common words ("khuc thi d": 16 dossiers) that span is the whole store: the
 * lists of "thi" and "d" alone hold more than half a million entries, read a
 * page at a time for each match of "khuc". Checking a name by hand against
 * the folded name the index keeps costs about as much as one such page. So
 * when the rarer words of a query already narrow it to a few thousand names
 * in the whole store, the index is asked for those words only and each match
 * is checked for the others; otherwise every word goes to the index, which
 * then stops after the page's newest rows. How common a word is: how many
 * of the newest PROBE_ROWS names have a word starting with it. Rarer words
 * are taken while each is rarer than CHECK_COST times the share that the
 * words taken let through (as if independent): checking a name costs about
 * as much as reading CHECK_COST entries of a list. The plan decides only
 * what is read, never what is found. */
#define PROBE_ROWS 2000
#define CHECK_COST 25.0
#define CHECK_MAX_SHARE 0.002 /* at most 2,000 names of a million to check */

struct term_plan {
	char *term;
	double share; /* of the newest PROBE_ROWS names */
};

static int plan_cmp(const void *a, const void *b)
{
	const struct term_plan *x = a, *y = b;
	return (x->share > y->share) - (x->share < y->share);
}

static bool ascii_only(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return false;
	return true;
}

/* The share of the newest names that have a word starting with term. */
static double term_share(struct store *st, const char *term, long long since)
{
	char *one[2] = { (char *)term, NULL };
	char *expr = fts_expr(one);
	sqlite3_stmt *q = store_prepare(st, "SELECT count(*) FROM dossier_name_fts"
					    " WHERE dossier_name_fts MATCH ? AND rowid >= ?");
	sqlite3_bind_text(q, 1, expr, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, since);
	long n = sqlite3_step(q) == SQLITE_ROW ? (long)sqlite3_column_int64(q, 0) : PROBE_ROWS;
	sqlite3_finalize(q);
	free(expr);
	return (n ? (double)n : 0.5) / PROBE_ROWS;
}

/* The name index's key of the PROBE_ROWS-th newest dossier (0 when the
 * store has fewer): RECEIVED_KEY of client/store/store.c, computed here. */
static long long probe_since(struct store *st)
{
	sqlite3_stmt *q = store_prepare(st, "SELECT received_at, rowid FROM dossiers"
					    " INDEXED BY dossiers_received"
					    " ORDER BY received_at DESC, rowid DESC LIMIT 1 OFFSET ?");
	sqlite3_bind_int(q, 1, PROBE_ROWS - 1);
	long long key = 0;
	if (sqlite3_step(q) == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(q, 0);
		int y, mo, d, h, mi;
		if (t && sscanf((const char *)t, "%4d-%2d-%2dT%2d:%2d", &y, &mo, &d, &h, &mi) == 5)
			key = ((((((long long)y - 1000) * 20 + mo) * 40 + d) * 30 + h) * 60 + mi) *
				      (KEY_ROWID_MASK + 1) + sqlite3_column_int64(q, 1);
	}
	sqlite3_finalize(q);
	return key;
}

/* Splits terms into those the index is asked for (ask, NULL-terminated, at
 * least one) and those checked on each match (check); both borrow the
 * strings of terms. Every term is asked for when a term is not plain ASCII
 * (checking it by hand could differ from the index's tokenizer), when there
 * is only one, or when the store is small. */
static void plan_terms(struct store *st, char **terms, int count, char **ask, char **check)
{
	int na = 0, nc = 0;
	bool plain = count > 1;
	for (int i = 0; i < count && plain; i++)
		plain = ascii_only(terms[i]);
	long long since = plain ? probe_since(st) : 0;
	struct term_plan *p = xcalloc((size_t)count, sizeof(*p));
	for (int i = 0; i < count; i++) {
		p[i].term = terms[i];
		p[i].share = since ? term_share(st, terms[i], since) : 0;
	}
	if (since)
		qsort(p, (size_t)count, sizeof(*p), plan_cmp);
	double through = 1.0;
	for (int i = 0; i < count; i++) {
		if (!since || !i || p[i].share < CHECK_COST * through * (1.0 - p[i].share)) {
			ask[na++] = p[i].term;
			through *= p[i].share;
		} else {
			check[nc++] = p[i].term;
		}
	}
	if (nc && through > CHECK_MAX_SHARE) {
		for (int i = 0; i < nc; i++)
			ask[na++] = check[i];
		nc = 0;
	}
	ask[na] = check[nc] = NULL;
	free(p);
}

/* Whether every term starts a word of fold, the way the full-text index's
 * tokenizer (unicode61) reads plain ASCII: words are runs of letters and
 * digits, case does not matter. fold and terms are plain ASCII. */
static bool ascii_fold_matches(const char *fold, char **terms)
{
	for (char **t = terms; *t; t++) {
		size_t len = strlen(*t);
		bool found = false;
		for (const char *p = fold; *p && !found; p++) {
			if (!is_alnum(*p) || (p > fold && is_alnum(p[-1])))
				continue;
			found = !strncasecmp(p, *t, len);
		}
		if (!found)
			return false;
	}
	return true;
}

/* Whether the name at key has every term: by hand when it is plain ASCII,
 * else by asking the index for that one row. */
static bool key_matches(struct store *st, sqlite3_stmt **exact, const char *all_expr,
			long long key, const char *fold, char **check)
{
	if (!*check)
		return true;
	if (ascii_only(fold))
		return ascii_fold_matches(fold, check);
	if (!*exact) {
		*exact = store_prepare(st, "SELECT 1 FROM dossier_name_fts"
					   " WHERE dossier_name_fts MATCH ? AND rowid = ?");
		sqlite3_bind_text(*exact, 1, all_expr, -1, SQLITE_STATIC);
	}
	sqlite3_bind_int64(*exact, 2, key);
	bool yes = sqlite3_step(*exact) == SQLITE_ROW;
	sqlite3_reset(*exact);
	return yes;
}

/* Reads the name index backwards: each match's row, newest received first,
 * until the page is full. Reads the matches of the rarer terms down to the
 * offset + limit-th that has every term and one of the statuses of mask,
 * not every match. */
static int search_keyed(struct store *st, char **terms, int count, unsigned mask, int offset,
			int limit, struct dossier_rows *out, struct strbuf *err)
{
	char **ask = xcalloc((size_t)count + 1, sizeof(*ask));
	char **check = xcalloc((size_t)count + 1, sizeof(*check));
	plan_terms(st, terms, count, ask, check);
	char *expr = fts_expr(ask), *all_expr = fts_expr(terms);
	sqlite3_stmt *q = store_prepare(st, "SELECT rowid, applicant_fold FROM dossier_name_fts"
					    " WHERE dossier_name_fts MATCH ? ORDER BY rowid DESC");
	sqlite3_stmt *r = store_prepare(st, "SELECT " ROW_COLS " FROM dossiers d WHERE d.rowid = ?");
	sqlite3_stmt *exact = NULL;
	sqlite3_bind_text(q, 1, expr, -1, SQLITE_STATIC);
	int n = 0, skipped = 0, rc = SQLITE_DONE;
	while (n < limit && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		long long key = sqlite3_column_int64(q, 0);
		const unsigned char *fold = sqlite3_column_text(q, 1);
		if (!key_matches(st, &exact, all_expr, key, fold ? (const char *)fold : "", check))
			continue;
		sqlite3_bind_int64(r, 1, key & KEY_ROWID_MASK);
		int found = sqlite3_step(r);
		if (found == SQLITE_ROW && status_ok(mask, sqlite3_column_int(r, 7))) {
			if (skipped < offset) {
				skipped++;
			} else {
				row_read(r, 0, rows_push(out));
				n++;
			}
		}
		sqlite3_reset(r);
		if (found != SQLITE_ROW && found != SQLITE_DONE) {
			rc = found;
			break;
		}
	}
	sqlite3_finalize(exact);
	sqlite3_finalize(r);
	sqlite3_finalize(q);
	free(all_expr);
	free(expr);
	free(check);
	free(ask);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? n : fail(rc, err);
}

static int search_name(struct store *st, const char *query, unsigned mask, int offset,
		       int limit, struct dossier_rows *out, struct strbuf *err)
{
	int count;
	char **terms = name_terms(query, &count);
	struct hits h = { 0 };
	int n = 0;
	if (count && !few_dossiers(st, mask) && keyed_complete(st)) {
		n = search_keyed(st, terms, count, mask, offset, limit, out, err);
		terms_free(terms);
		return n;
	}
	long smax = sort_threshold(st, offset, limit);
	if (count)
		n = fts_matches(st, terms, smax, &h, err);
	if (!count || n) {
		/* nothing to search, or an error */
	} else if ((long)h.n <= smax) {
		if (!(n = hits_times(st, &h, mask, err)))
			n = page_of_hits(st, &h, offset, limit, out, err);
	} else if (few_dossiers(st, mask)) {
		h.n = 0;
		if (!(n = scan_statuses(st, terms, mask, &h, err)))
			n = page_of_hits(st, &h, offset, limit, out, err);
	} else if ((n = walk_newest(st, terms, mask, offset, limit, WALK_ROWS, out, err)) == -2) {
		h.n = 0;
		if (!(n = fts_matches(st, terms, LONG_MAX - 1, &h, err)) &&
		    !(n = hits_times(st, &h, mask, err)))
			n = page_of_hits(st, &h, offset, limit, out, err);
	}
	free(h.v);
	terms_free(terms);
	return n;
}

void dossier_search_tune_keyed(bool on)
{
	keyed_off = !on;
}

void dossier_search_tune(long sort_max_matches, long status_scan_max)
{
	sort_max = sort_max_matches >= 0 ? sort_max_matches : SORT_MAX;
	sort_max_tuned = sort_max_matches >= 0;
	status_scan = status_scan_max >= 0 ? status_scan_max : STATUS_SCAN;
}

int dossier_search(struct store *st, const char *query, unsigned status_mask, int offset,
		   int limit, struct dossier_rows *out, struct strbuf *err)
{
	if (offset < 0)
		offset = 0;
	if (limit <= 0)
		return 0;
	unsigned mask = effective_mask(status_mask);
	char *q = trimmed(query ? query : "");
	int n = 0;
	char *digits = number_query(q);
	if (digits) { /* an ID number, a part of one, or a phone */
		n = search_number(st, digits, mask, offset, limit, out, err);
		free(digits);
		free(q);
		return n;
	}
	switch (dossier_query_kind(q)) {
	case DQ_KIND_EMPTY:
		break;
	case DQ_KIND_CODE:
		n = search_code(st, q, mask, offset, limit, out, err);
		break;
	case DQ_KIND_ID: /* always digits: number_query took it */
		break;
	case DQ_KIND_NAME:
		n = search_name(st, q, mask, offset, limit, out, err);
		break;
	}
	free(q);
	return n;
}

/* Dossiers whose papers' OCR text (documents.ocr_fold) holds
 * every word of the query as the start of a word; see dossier_query.h. */
int dossier_search_papers(struct store *st, const char *query, unsigned status_mask, int limit,
			  struct dossier_rows *out, struct strbuf *err)
{
	unsigned mask = effective_mask(status_mask);
	int count;
	char **terms = name_terms(query ? query : "", &count);
	if (!count || limit <= 0) {
		terms_free(terms);
		return 0;
	}
	char *expr = fts_expr(terms);
	terms_free(terms);
	sqlite3_stmt *q = store_prepare(st,
		"SELECT DISTINCT " ROW_COLS " FROM document_fts f"
		" JOIN documents doc ON doc.rowid = f.rowid"
		" JOIN dossier_components c ON c.document_id = doc.id"
		" JOIN dossiers d ON d.id = c.dossier_id"
		" WHERE document_fts MATCH ? ORDER BY d.received_at DESC, d.rowid DESC");
	sqlite3_bind_text(q, 1, expr, -1, SQLITE_STATIC);
	size_t first = out->n;
	int n = 0, rc = SQLITE_DONE;
	while (n < limit && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		long long rowid = sqlite3_column_int64(q, 0);
		bool seen = !status_ok(mask, sqlite3_column_int(q, 7));
		for (size_t i = 0; i < first && !seen; i++)
			seen = out->v[i].rowid == rowid;
		if (seen)
			continue;
		row_read(q, 0, rows_push(out));
		n++;
	}
	if (n < limit && rc != SQLITE_DONE)
		n = fail(rc, err);
	sqlite3_finalize(q);
	free(expr);
	return n;
}

/* ---- the list ------------------------------------------------------------ */

void dossier_filter_init(struct dossier_filter *f, const struct mc_dt *now)
{
	memset(f, 0, sizeof(*f));
	f->due = DQ_DUE_ANY;
	f->order = DQ_BY_APPOINTMENT;
	f->now = *now;
}

void dossier_row_key(const struct dossier_row *row, enum dossier_order order,
		     struct dossier_key *key)
{
	snprintf(key->at, sizeof(key->at), "%s",
		 order == DQ_BY_RECEIVED ? row->received_at : row->appointment);
	key->rowid = row->rowid;
}

static unsigned list_mask(const struct dossier_filter *f)
{
	unsigned mask = effective_mask(f->status_mask);
	if (f->due == DQ_DUE_OVERDUE || f->due == DQ_DUE_TODAY || f->due == DQ_DUE_SOON)
		mask &= DQ_OPEN;
	return mask;
}

/* The bucket's condition on d (parameters :now :d0 :d1 :dn), and the unit's. */
static void add_bucket(struct strbuf *sql, const struct dossier_filter *f)
{
	switch (f->due) {
	case DQ_DUE_ANY:
		break;
	case DQ_DUE_OVERDUE:
		strbuf_addstr(sql, " AND d.appointment < :now");
		break;
	case DQ_DUE_TODAY:
		strbuf_addstr(sql, " AND d.appointment >= :now AND d.appointment < :d1");
		break;
	case DQ_DUE_SOON:
		strbuf_addstr(sql, " AND d.appointment >= :now AND d.appointment < :dn");
		break;
	case DQ_DUE_RECEIVED_TODAY:
		strbuf_addstr(sql, " AND d.received_at >= :d0 AND d.received_at < :d1");
		break;
	}
	if (f->unit_code)
		strbuf_addstr(sql, " AND d.unit_code = :unit");
}

/* A day's bound "YYYY-MM-DD": a time of that day, in whatever form after
 * its date ("YYYY-MM-DDTHH:MM", "YYYY-MM-DD HH:MM:SS", the date alone),
 * sorts after it and before the next day's. */
static void day_bound(char *buf, size_t n, long day)
{
	int y, m, d;
	mc_civil_from_days(day, &y, &m, &d);
	mc_format_date(buf, n, y, m, d);
}

static void bind_filter(sqlite3_stmt *q, const struct dossier_filter *f)
{
	char now[17], d0[17], d1[17], dn[17];
	long day = mc_days_from_civil(f->now.y, f->now.m, f->now.d);
	mc_format_dt(now, sizeof(now), &f->now);
	day_bound(d0, sizeof(d0), day);
	day_bound(d1, sizeof(d1), day + 1);
	day_bound(dn, sizeof(dn), day + 1 + (f->days > 0 ? f->days : 0));
	bind_text(q, ":now", now);
	bind_text(q, ":d0", d0);
	bind_text(q, ":d1", d1);
	bind_text(q, ":dn", dn);
	if (f->unit_code)
		bind_text(q, ":unit", f->unit_code);
}

enum page_mode { PAGE_AFTER, PAGE_BEFORE, PAGE_OFFSET };

/* One SELECT of the list in scan order; status < 0: the statuses of mask,
 * else just that one (an "arm" ordered by its own index). narrow: select
 * only rowid and sort key, which the index holds. */
static void add_select(struct strbuf *sql, const struct dossier_filter *f, unsigned mask,
		       int status, bool keyed, bool desc, bool narrow)
{
	const char *key = f->order == DQ_BY_RECEIVED ? "d.received_at" : "d.appointment";
	/* The plan is chosen here, not left to statistics the store may lack. */
	const char *index = NULL;
	if (f->due == DQ_DUE_RECEIVED_TODAY)
		index = "dossiers_received"; /* one day of intake: small, whatever the order */
	else if (status < 0) /* every status, no bucket */
		index = f->order == DQ_BY_RECEIVED ? "dossiers_received" : "dossiers_due";
	else if (f->order == DQ_BY_APPOINTMENT)
		index = "dossiers_status_due";
	else if (f->due == DQ_DUE_ANY)
		index = "dossiers_status_received";
	/* else: open statuses by reception time, few rows: the planner's choice */
	if (narrow)
		strbuf_addf(sql, "SELECT d.rowid, %s FROM dossiers d", key);
	else
		strbuf_addstr(sql, "SELECT " ROW_COLS " FROM dossiers d");
	if (index)
		strbuf_addf(sql, " INDEXED BY %s", index);
	if (status < 0)
		strbuf_addstr(sql, " WHERE 1");
	else
		strbuf_addf(sql, " WHERE d.status = %d", status);
	if (status < 0)
		add_status_in(sql, "AND", mask);
	add_bucket(sql, f);
	if (keyed)
		strbuf_addf(sql, " AND (%s, d.rowid) %s (:ka, :kr)", key, desc ? "<" : ">");
	strbuf_addf(sql, " ORDER BY %s %s, d.rowid %s", key, desc ? "DESC" : "ASC",
		    desc ? "DESC" : "ASC");
}

static int count_bits(unsigned v)
{
	int n = 0;
	for (; v; v &= v - 1)
		n++;
	return n;
}

/* Builds and runs one page of the list in scan order. */
static int list_page(struct store *st, const struct dossier_filter *f, enum page_mode mode,
		     const struct dossier_key *key, int offset, int limit,
		     struct dossier_rows *out, struct strbuf *err)
{
	unsigned mask = list_mask(f);
	if (!mask || limit <= 0)
		return 0;
	bool desc = (f->order == DQ_BY_RECEIVED) != (mode == PAGE_BEFORE);
	bool keyed = key && mode != PAGE_OFFSET;
	if (mode != PAGE_OFFSET)
		offset = 0;
	/* Several statuses in key order: merge one index range per status, so a
	 * page costs the same whatever the statuses' sizes. The ranges give
	 * rowids and keys from their indexes; the page's rows are read last. */
	bool arms = mask != DQ_STATUS_ALL && f->due != DQ_DUE_RECEIVED_TODAY &&
		    count_bits(mask) > 1;
	struct strbuf sql = STRBUF_INIT;
	if (arms) {
		const char *sep = "";
		for (int s = 1; s <= 10; s++) {
			if (!(mask & DQ_STATUS(s)))
				continue;
			strbuf_addf(&sql, "%sSELECT * FROM (", sep);
			add_select(&sql, f, mask, s, keyed, desc, true);
			strbuf_addstr(&sql, " LIMIT :n)");
			sep = " UNION ALL ";
		}
		strbuf_addf(&sql, " ORDER BY 2 %s, 1 %s", desc ? "DESC" : "ASC",
			    desc ? "DESC" : "ASC");
	} else {
		int single = count_bits(mask) == 1 && f->due != DQ_DUE_RECEIVED_TODAY ? 0 : -1;
		for (int s = 1; single == 0 && s <= 10; s++)
			if (mask & DQ_STATUS(s))
				single = s;
		add_select(&sql, f, mask, single, keyed, desc, false);
	}
	strbuf_addstr(&sql, " LIMIT :lim OFFSET :off");
	sqlite3_stmt *q = store_prepare(st, sql.buf);
	bind_filter(q, f);
	if (keyed) {
		bind_text(q, ":ka", key->at);
		bind_int64(q, ":kr", key->rowid);
	}
	bind_int64(q, ":n", (long long)offset + limit);
	bind_int64(q, ":lim", limit);
	bind_int64(q, ":off", offset);
	strbuf_release(&sql);
	if (!arms)
		return read_rows(q, 0, out, err);
	struct hits h = { 0 };
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		hits_push(&h, sqlite3_column_int64(q, 0));
	sqlite3_finalize(q);
	int n = rc == SQLITE_DONE ? fetch_hits(st, h.v, 0, h.n, out, err) : fail(rc, err);
	free(h.v);
	return n;
}

int dossier_list_after(struct store *st, const struct dossier_filter *f,
		       const struct dossier_key *after, int limit, struct dossier_rows *out,
		       struct strbuf *err)
{
	return list_page(st, f, PAGE_AFTER, after, 0, limit, out, err);
}

int dossier_list_before(struct store *st, const struct dossier_filter *f,
			const struct dossier_key *before, int limit, struct dossier_rows *out,
			struct strbuf *err)
{
	size_t first = out->n;
	int n = list_page(st, f, PAGE_BEFORE, before, 0, limit, out, err);
	/* fetched nearest first: put them back in list order */
	for (size_t i = first, j = out->n; n > 1 && i + 1 < j; i++, j--) {
		struct dossier_row tmp = out->v[i];
		out->v[i] = out->v[j - 1];
		out->v[j - 1] = tmp;
	}
	return n;
}

int dossier_list(struct store *st, const struct dossier_filter *f, int offset, int limit,
		 struct dossier_rows *out, struct strbuf *err)
{
	return list_page(st, f, PAGE_OFFSET, NULL, offset < 0 ? 0 : offset, limit, out, err);
}

long dossier_count(struct store *st, const struct dossier_filter *f, struct strbuf *err)
{
	unsigned mask = list_mask(f);
	if (!mask)
		return 0;
	/* Statuses and a unit only: the per-status counts, a few rows. */
	if (f->due == DQ_DUE_ANY)
		return sum_counts(st, mask, f, err);
	/* A due-date bucket: a range of an index, a day or a few of them. */
	struct strbuf sql = STRBUF_INIT;
	strbuf_addstr(&sql, "SELECT count(*) FROM dossiers d INDEXED BY ");
	strbuf_addstr(&sql, f->due == DQ_DUE_RECEIVED_TODAY ? "dossiers_received"
							    : "dossiers_status_due");
	strbuf_addstr(&sql, " WHERE 1");
	add_bucket(&sql, f);
	add_status_in(&sql, "AND", mask);
	sqlite3_stmt *q = store_prepare(st, sql.buf);
	strbuf_release(&sql);
	bind_filter(q, f);
	int rc = sqlite3_step(q);
	long n = rc == SQLITE_ROW ? (long)sqlite3_column_int64(q, 0) : fail(rc, err);
	sqlite3_finalize(q);
	return n;
}

bool dossier_filter_where(struct strbuf *sql, const struct dossier_filter *f)
{
	unsigned mask = list_mask(f);
	if (!mask)
		return false;
	add_status_in(sql, "AND", mask);
	add_bucket(sql, f);
	return true;
}

unsigned dossier_filter_statuses(const struct dossier_filter *f)
{
	return list_mask(f);
}

void dossier_filter_bind(sqlite3_stmt *q, const struct dossier_filter *f)
{
	bind_filter(q, f);
}

void dossier_row_read(sqlite3_stmt *q, int c, struct dossier_row *row)
{
	row_read(q, c, row);
}

void dossier_row_release(struct dossier_row *row)
{
	row_release(row);
}

/* ---- the pager ----------------------------------------------------------- */

#define PAGER_PAGES 4 /* the window holds at most this many pages */

int dossier_pager_open(struct dossier_pager *p, struct store *st, const struct dossier_filter *f,
		       int page, struct strbuf *err)
{
	p->st = st;
	p->filter = *f;
	p->page = page > 0 ? page : 50;
	p->first = 0;
	dossier_rows_init(&p->rows);
	p->total = dossier_count(st, f, err);
	return p->total < 0 ? -1 : 0;
}

void dossier_pager_release(struct dossier_pager *p)
{
	dossier_rows_release(&p->rows);
	p->total = p->first = 0;
}

/* Drops n rows from the front (front) or the back of the window. */
static void window_drop(struct dossier_pager *p, size_t n, bool front)
{
	struct dossier_rows *r = &p->rows;
	if (n > r->n)
		n = r->n;
	size_t from = front ? 0 : r->n - n;
	for (size_t i = from; i < from + n; i++)
		row_release(&r->v[i]);
	if (front) {
		memmove(r->v, r->v + n, (r->n - n) * sizeof(*r->v));
		p->first += (long)n;
	}
	r->n -= n;
}

/* Reads the page after the window (after) or before it into the window. */
static int window_extend(struct dossier_pager *p, bool after, struct strbuf *err)
{
	struct dossier_rows *r = &p->rows;
	struct dossier_key k;
	dossier_row_key(&r->v[after ? r->n - 1 : 0], p->filter.order, &k);
	struct dossier_rows more;
	dossier_rows_init(&more);
	int got = after ? dossier_list_after(p->st, &p->filter, &k, p->page, &more, err)
			: dossier_list_before(p->st, &p->filter, &k, p->page, &more, err);
	if (got > 0 && more.n) { /* the rows that came are moved into the window */
		if (r->n + more.n > r->alloc) {
			r->alloc = r->n + more.n;
			r->v = xrealloc(r->v, r->alloc * sizeof(*r->v));
		}
		if (after) {
			memcpy(r->v + r->n, more.v, more.n * sizeof(*more.v));
		} else {
			memmove(r->v + more.n, r->v, r->n * sizeof(*r->v));
			memcpy(r->v, more.v, more.n * sizeof(*more.v));
			p->first -= (long)more.n;
		}
		r->n += more.n;
		more.n = 0; /* the rows moved to the window */
		size_t max = (size_t)p->page * PAGER_PAGES;
		if (r->n > max)
			window_drop(p, r->n - max, after);
	}
	dossier_rows_release(&more);
	return got;
}

/* Replaces the window with the rows around index. */
static int window_reset(struct dossier_pager *p, long index, struct strbuf *err)
{
	window_drop(p, p->rows.n, false);
	int got;
	if (index < p->page) {
		p->first = 0;
		got = dossier_list_after(p->st, &p->filter, NULL, p->page, &p->rows, err);
	} else if (index >= p->total - p->page) {
		got = dossier_list_before(p->st, &p->filter, NULL, p->page, &p->rows, err);
		p->first = got > 0 ? p->total - got : 0;
	} else {
		p->first = index - p->page / 2;
		got = dossier_list(p->st, &p->filter, (int)p->first, p->page, &p->rows, err);
	}
	return got;
}

const struct dossier_row *dossier_pager_row(struct dossier_pager *p, long index,
					    struct strbuf *err)
{
	if (index < 0 || index >= p->total)
		return NULL;
	long first = p->first, end = p->first + (long)p->rows.n;
	int got;
	if (p->rows.n && index >= first && index < end)
		return &p->rows.v[index - first];
	if (p->rows.n && index >= end && index < end + p->page)
		got = window_extend(p, true, err);
	else if (p->rows.n && index < first && index >= first - p->page)
		got = window_extend(p, false, err);
	else
		got = window_reset(p, index, err);
	if (got < 0)
		return NULL;
	if (index >= p->first && index < p->first + (long)p->rows.n)
		return &p->rows.v[index - p->first];
	return NULL; /* the list changed under us: fewer rows than counted */
}

/* ---- home screen --------------------------------------------------------- */

int dossier_today_counts(struct store *st, const struct mc_dt *now, struct dossier_counts *c,
			 struct strbuf *err)
{
	struct strbuf sql = STRBUF_INIT;
	strbuf_addstr(&sql, "SELECT (SELECT count(*) FROM dossiers d"
			    " WHERE d.received_at >= :d0 AND d.received_at < :d1),"
			    " (SELECT count(*) FROM dossiers d WHERE d.appointment >= :now"
			    " AND d.appointment < :d1");
	add_status_in(&sql, "AND", DQ_OPEN);
	strbuf_addstr(&sql, "), (SELECT count(*) FROM dossiers d WHERE d.appointment < :now");
	add_status_in(&sql, "AND", DQ_OPEN);
	strbuf_addstr(&sql, "), (SELECT coalesce(sum(n), 0) FROM dossier_status_counts"
			    " WHERE status = 5)");
	sqlite3_stmt *q = store_prepare(st, sql.buf);
	strbuf_release(&sql);
	struct dossier_filter f;
	dossier_filter_init(&f, now);
	bind_filter(q, &f);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		c->received_today = (long)sqlite3_column_int64(q, 0);
		c->due_today = (long)sqlite3_column_int64(q, 1);
		c->overdue = (long)sqlite3_column_int64(q, 2);
		c->waiting = (long)sqlite3_column_int64(q, 3);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_ROW ? 0 : fail(rc, err);
}

/* ---- one dossier --------------------------------------------------------- */

static int load_components(struct store *st, struct dossier_detail *d)
{
	sqlite3_stmt *q = store_prepare(st,
		"SELECT seq, name, kind, mandatory, originals_required, copies_required,"
		" originals, copies, override_reason FROM dossier_components"
		" WHERE dossier_id = ? ORDER BY seq");
	sqlite3_bind_text(q, 1, d->id, -1, SQLITE_STATIC);
	size_t alloc = 0;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (d->n_components == alloc) {
			alloc = alloc ? 2 * alloc : 8;
			d->components = xrealloc(d->components, alloc * sizeof(*d->components));
		}
		struct dossier_component *c = &d->components[d->n_components++];
		c->seq = sqlite3_column_int(q, 0);
		c->name = store_col_str(q, 1);
		c->kind = store_col_str(q, 2);
		c->mandatory = sqlite3_column_int(q, 3);
		c->originals_required = sqlite3_column_int(q, 4);
		c->copies_required = sqlite3_column_int(q, 5);
		c->originals = sqlite3_column_int(q, 6);
		c->copies = sqlite3_column_int(q, 7);
		c->override_reason = store_col_text(q, 8);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : rc;
}

static int load_events(struct store *st, struct dossier_detail *d)
{
	sqlite3_stmt *q = store_prepare(st,
		"SELECT kind, actor, unit_code, device_time, server_time, payload,"
		" status_from, status_to FROM events WHERE dossier_id = ?"
		" ORDER BY device_time, rowid");
	sqlite3_bind_text(q, 1, d->id, -1, SQLITE_STATIC);
	size_t alloc = 0;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (d->n_events == alloc) {
			alloc = alloc ? 2 * alloc : 8;
			d->events = xrealloc(d->events, alloc * sizeof(*d->events));
		}
		struct dossier_event *e = &d->events[d->n_events++];
		e->kind = store_col_str(q, 0);
		e->actor = store_col_str(q, 1);
		e->unit_code = store_col_str(q, 2);
		e->device_time = store_col_str(q, 3);
		e->server_time = store_col_text(q, 4);
		e->payload = store_col_text(q, 5);
		e->status_from = sqlite3_column_int(q, 6);
		e->status_to = sqlite3_column_int(q, 7);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : rc;
}

int dossier_get(struct store *st, const char *code, struct dossier_detail *d, struct strbuf *err)
{
	memset(d, 0, sizeof(*d));
	char *c = trimmed(code ? code : "");
	for (char *p = c; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	sqlite3_stmt *q = store_prepare(st,
		"SELECT id, code, procedure_code, procedure_name, unit_code, handling_unit, clerk,"
		" channel, applicant_kind, status, rev, received_at, appointment, finished_at,"
		" applicant_name, id_number, birth_date, sex, phone, email, address, commune_code,"
		" note, updated_at FROM dossiers WHERE code = ?");
	sqlite3_bind_text(q, 1, c, -1, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		int i = 0;
		d->id = store_col_str(q, i++);
		d->code = store_col_str(q, i++);
		d->procedure_code = store_col_str(q, i++);
		d->procedure_name = store_col_str(q, i++);
		d->unit_code = store_col_str(q, i++);
		d->handling_unit = store_col_text(q, i++);
		d->clerk = store_col_str(q, i++);
		d->channel = sqlite3_column_int(q, i++);
		d->applicant_kind = sqlite3_column_int(q, i++);
		d->status = sqlite3_column_int(q, i++);
		d->rev = sqlite3_column_int(q, i++);
		d->received_at = store_col_str(q, i++);
		d->appointment = store_col_str(q, i++);
		d->finished_at = store_col_text(q, i++);
		d->applicant_name = store_col_str(q, i++);
		d->id_number = store_col_text(q, i++);
		d->birth_date = store_col_text(q, i++);
		d->sex = store_col_text(q, i++);
		d->phone = store_col_text(q, i++);
		d->email = store_col_text(q, i++);
		d->address = store_col_text(q, i++);
		d->commune_code = store_col_text(q, i++);
		d->note = store_col_text(q, i++);
		d->updated_at = store_col_str(q, i++);
	}
	sqlite3_finalize(q);
	free(c);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return fail(rc, err);
	rc = load_components(st, d);
	if (!rc)
		rc = load_events(st, d);
	if (rc) {
		dossier_detail_release(d);
		return fail(rc, err);
	}
	return 1;
}

void dossier_detail_release(struct dossier_detail *d)
{
	char **strs[] = { &d->id, &d->code, &d->procedure_code, &d->procedure_name,
			  &d->unit_code, &d->handling_unit, &d->clerk, &d->received_at,
			  &d->appointment, &d->finished_at, &d->applicant_name, &d->id_number,
			  &d->birth_date, &d->sex, &d->phone, &d->email, &d->address,
			  &d->commune_code, &d->note, &d->updated_at };
	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		FREE(strs[i]);
	for (size_t i = 0; i < d->n_components; i++) {
		FREE(&d->components[i].name);
		FREE(&d->components[i].kind);
		FREE(&d->components[i].override_reason);
	}
	for (size_t i = 0; i < d->n_events; i++) {
		struct dossier_event *e = &d->events[i];
		FREE(&e->kind);
		FREE(&e->actor);
		FREE(&e->unit_code);
		FREE(&e->device_time);
		FREE(&e->server_time);
		FREE(&e->payload);
	}
	FREE(&d->components);
	FREE(&d->events);
	d->n_components = d->n_events = 0;
}
