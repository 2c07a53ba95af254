/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "client/store/catalog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "core/xalloc.h"

/* ---- fields ---------------------------------------------------------------- */

static int field_cmp(const void *a, const void *b);

int catalog_fields(struct store *st, struct catalog_fields *out)
{
	out->items = NULL;
	out->n = 0;
	sqlite3_stmt *q = store_prepare(st, "SELECT field, count(*) FROM procedures GROUP BY field"
					    " ORDER BY field");
	size_t alloc = 0;
	while (sqlite3_step(q) == SQLITE_ROW) {
		if (out->n == alloc) {
			alloc = alloc ? 2 * alloc : 32;
			out->items = xrealloc(out->items, alloc * sizeof(*out->items));
		}
		out->items[out->n].field = store_col_text(q, 0);
		out->items[out->n].count = sqlite3_column_int(q, 1);
		out->n++;
	}
	sqlite3_finalize(q);
	if (out->n)
		qsort(out->items, out->n, sizeof(*out->items), field_cmp);
	return 0;
}

/* Vietnamese order: by the folded name, then by the name itself. */
static int field_cmp(const void *a, const void *b)
{
	const struct catalog_field *x = a, *y = b;
	char *fx = mc_text_fold(x->field), *fy = mc_text_fold(y->field);
	int c = strcmp(fx, fy);
	free(fx);
	free(fy);
	return c ? c : strcmp(x->field, y->field);
}

void catalog_fields_release(struct catalog_fields *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->items[i].field);
	FREE(&f->items);
	f->n = 0;
}

char *catalog_field_lookup(struct store *st, const char *input)
{
	struct catalog_fields f;
	catalog_fields(st, &f);
	char *want = mc_text_fold(input), *found = NULL;
	for (size_t i = 0; i < f.n && !found; i++) {
		char *k = mc_text_fold(f.items[i].field);
		if (!strcmp(k, want))
			found = xstrdup(f.items[i].field);
		free(k);
	}
	free(want);
	catalog_fields_release(&f);
	return found;
}

/* ---- procedure lists ---------------------------------------------------------- */

#define PROC_COLUMNS "code, name, field, time_text, time_value, time_unit, fee_text, fee_amount," \
		     " needs_review"

static void read_proc(sqlite3_stmt *q, struct catalog_proc *p)
{
	p->code = store_col_text(q, 0);
	p->name = store_col_text(q, 1);
	p->field = store_col_text(q, 2);
	p->time_text = store_col_text(q, 3);
	p->time_value = sqlite3_column_double(q, 4);
	p->time_unit = store_col_text(q, 5);
	p->fee_text = store_col_text(q, 6);
	p->has_fee_amount = sqlite3_column_type(q, 7) != SQLITE_NULL;
	p->fee_amount = sqlite3_column_int64(q, 7);
	p->needs_review = sqlite3_column_int(q, 8) != 0;
}

static void proc_release(struct catalog_proc *p)
{
	free(p->code);
	free(p->name);
	free(p->field);
	free(p->time_text);
	free(p->time_unit);
	free(p->fee_text);
	memset(p, 0, sizeof(*p));
}

static void collect_procs(sqlite3_stmt *q, struct catalog_procs *out)
{
	size_t alloc = 0;
	while (sqlite3_step(q) == SQLITE_ROW) {
		if (out->n == alloc) {
			alloc = alloc ? 2 * alloc : 16;
			out->items = xrealloc(out->items, alloc * sizeof(*out->items));
		}
		read_proc(q, &out->items[out->n++]);
	}
	sqlite3_finalize(q);
}

int catalog_by_field(struct store *st, const char *field, struct catalog_procs *out)
{
	out->items = NULL;
	out->n = 0;
	sqlite3_stmt *q = store_prepare(st, "SELECT " PROC_COLUMNS " FROM procedures WHERE field = ?"
					    " ORDER BY name, code");
	sqlite3_bind_text(q, 1, field, -1, SQLITE_TRANSIENT);
	collect_procs(q, out);
	return 0;
}

void catalog_procs_release(struct catalog_procs *p)
{
	for (size_t i = 0; i < p->n; i++)
		proc_release(&p->items[i]);
	FREE(&p->items);
	p->n = 0;
}

int catalog_recent(struct store *st, int scan, int limit, struct catalog_procs *out)
{
	out->items = NULL;
	out->n = 0;
	sqlite3_stmt *q = store_prepare(st,
		"SELECT p.code, p.name, p.field, p.time_text, p.time_value, p.time_unit, p.fee_text,"
		" p.fee_amount, p.needs_review"
		" FROM (SELECT procedure_code AS code, received_at"
		" FROM dossiers ORDER BY received_at DESC LIMIT ?1) d"
		" JOIN procedures p ON p.code = d.code"
		" GROUP BY p.code ORDER BY count(*) DESC, max(d.received_at) DESC, p.code LIMIT ?2");
	sqlite3_bind_int(q, 1, scan);
	sqlite3_bind_int(q, 2, limit);
	collect_procs(q, out);
	return 0;
}

/* LIKE pattern "% word%" (a word starting with it) with % _ \ escaped. */
static char *word_pattern(const char *w, size_t n, const char *before, const char *after)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, before);
	for (size_t i = 0; i < n; i++) {
		if (w[i] == '%' || w[i] == '_' || w[i] == '\\')
			strbuf_addch(&sb, '\\');
		strbuf_addch(&sb, w[i]);
	}
	strbuf_addstr(&sb, after);
	return strbuf_detach(&sb);
}

/* Splits a folded query into words (pointers into fold). */
static size_t split_words(char *fold, char ***words)
{
	size_t n = 0;
	*words = NULL;
	for (char *t = strtok(fold, " "); t; t = strtok(NULL, " ")) {
		*words = xrealloc(*words, (n + 1) * sizeof(**words));
		(*words)[n++] = t;
	}
	return n;
}

int catalog_search(struct store *st, const char *query, const char *field, int limit,
		   struct catalog_procs *out)
{
	out->items = NULL;
	out->n = 0;
	char *fold = mc_text_fold(query ? query : "");
	char *whole = xstrdup(fold);
	char **words;
	size_t n = split_words(fold, &words);

	/* rank 0: the exact code; 1: the name starts with the query (a leading
	 * "thủ tục" aside); 2: the name has the query as a phrase; 3: the
	 * others; shorter names first within a rank. The name's fold is the key
	 * after the code and a space. */
	struct strbuf sql = STRBUF_INIT;
	strbuf_addstr(&sql, "SELECT " PROC_COLUMNS ", CASE WHEN code = ?1 THEN 0"
			    " WHEN substr(fold, length(code) + 2) LIKE ?2 ESCAPE '\\'"
			    " OR substr(fold, length(code) + 2) LIKE ?3 ESCAPE '\\' THEN 1"
			    " WHEN (' ' || fold) LIKE ('% ' || ?2) ESCAPE '\\' THEN 2"
			    " ELSE 3 END AS rank, coalesce(f.n, 0) AS received"
			    " FROM procedures LEFT JOIN procedure_counts f ON f.procedure_code = code"
			    " AND f.unit_code = (SELECT value FROM settings WHERE key = 'unit_code')"
			    " WHERE 1");
	for (size_t i = 0; i < n; i++)
		strbuf_addf(&sql, " AND (' ' || fold) LIKE ?%zu ESCAPE '\\'", i + 5);
	if (field)
		strbuf_addstr(&sql, " AND field = ?4");
	/* by how well the name matches; within that, what this unit receives
	 * most, then the shorter name, a leading "Thủ tục" not counted ("Thủ tục
	 * đăng ký khai tử" before "Đăng ký lại khai tử") */
	strbuf_addstr(&sql, " ORDER BY rank, received DESC,"
			    " length(name) - CASE WHEN substr(fold, length(code) + 2, 8) = 'thu tuc '"
			    " THEN 8 ELSE 0 END, name, code");
	if (limit > 0)
		strbuf_addf(&sql, " LIMIT %d", limit);
	sqlite3_stmt *q = store_prepare(st, sql.buf);
	strbuf_release(&sql);

	char *starts = word_pattern(whole, strlen(whole), "", "%");
	char *starts_tt = word_pattern(whole, strlen(whole), "thu tuc ", "%");
	sqlite3_bind_text(q, 1, query ? query : "", -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 2, starts, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 3, starts_tt, -1, SQLITE_TRANSIENT);
	if (field)
		sqlite3_bind_text(q, 4, field, -1, SQLITE_TRANSIENT);
	for (size_t i = 0; i < n; i++) {
		char *pat = word_pattern(words[i], strlen(words[i]), "% ", "%");
		sqlite3_bind_text(q, (int)i + 5, pat, -1, SQLITE_TRANSIENT);
		free(pat);
	}
	free(starts);
	free(starts_tt);
	free(words);
	free(fold);
	free(whole);
	collect_procs(q, out);
	return 0;
}

/* ---- one procedure ---------------------------------------------------------- */

static void parse_legal(struct catalog_detail *d, const char *text)
{
	if (!text || !*text)
		return;
	char *copy = xstrdup(text);
	for (char *line = copy, *nl; line; line = nl) {
		nl = strchr(line, '\n');
		if (nl)
			*nl++ = '\0';
		if (!*line)
			continue;
		char *tab = strchr(line, '\t');
		d->legal = xrealloc(d->legal, (d->nlegal + 1) * sizeof(*d->legal));
		struct catalog_legal *l = &d->legal[d->nlegal++];
		if (tab) {
			*tab = '\0';
			l->number = *line ? xstrdup(line) : NULL;
			l->name = tab[1] ? xstrdup(tab + 1) : NULL;
		} else {
			l->number = NULL;
			l->name = xstrdup(line);
		}
	}
	free(copy);
}

int catalog_get(struct store *st, const char *code, struct catalog_detail *d)
{
	memset(d, 0, sizeof(*d));
	sqlite3_stmt *q = store_prepare(st, "SELECT " PROC_COLUMNS ", level, kind, decision,"
					    " applicants, agency, steps, conditions, result, url,"
					    " review_notes, legal_basis FROM procedures WHERE code = ?");
	sqlite3_bind_text(q, 1, code, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(q) != SQLITE_ROW) {
		sqlite3_finalize(q);
		return 1;
	}
	read_proc(q, &d->proc);
	int i = 9;
	d->level = store_col_text(q, i++);
	d->kind = store_col_text(q, i++);
	d->decision = store_col_text(q, i++);
	d->applicants = store_col_text(q, i++);
	d->agency = store_col_text(q, i++);
	d->steps = store_col_text(q, i++);
	d->conditions = store_col_text(q, i++);
	d->result = store_col_text(q, i++);
	d->url = store_col_text(q, i++);
	d->review_notes = store_col_text(q, i++);
	parse_legal(d, (const char *)sqlite3_column_text(q, i));
	sqlite3_finalize(q);

	q = store_prepare(st, "SELECT channel, time_text, fee_text, description FROM procedure_channels"
			      " WHERE procedure_code = ? ORDER BY seq");
	sqlite3_bind_text(q, 1, code, -1, SQLITE_TRANSIENT);
	while (sqlite3_step(q) == SQLITE_ROW) {
		d->channels = xrealloc(d->channels, (d->nchannels + 1) * sizeof(*d->channels));
		struct catalog_channel *c = &d->channels[d->nchannels++];
		c->channel = store_col_text(q, 0);
		c->time_text = store_col_text(q, 1);
		c->fee_text = store_col_text(q, 2);
		c->description = store_col_text(q, 3);
	}
	sqlite3_finalize(q);

	q = store_prepare(st, "SELECT seq, grp, name, form, raw, originals, copies, kind, mandatory,"
			      " needs_review FROM components WHERE procedure_code = ? ORDER BY seq");
	sqlite3_bind_text(q, 1, code, -1, SQLITE_TRANSIENT);
	while (sqlite3_step(q) == SQLITE_ROW) {
		d->components = xrealloc(d->components, (d->ncomponents + 1) * sizeof(*d->components));
		struct catalog_component *c = &d->components[d->ncomponents++];
		c->id = sqlite3_column_int(q, 0);
		c->grp = store_col_text(q, 1);
		c->name = store_col_text(q, 2);
		c->form = store_col_text(q, 3);
		c->raw = store_col_text(q, 4);
		c->originals = sqlite3_column_int(q, 5);
		c->copies = sqlite3_column_int(q, 6);
		const char *kind = (const char *)sqlite3_column_text(q, 7);
		c->present = kind && !strcmp(kind, "present");
		c->mandatory = sqlite3_column_int(q, 8) != 0;
		c->needs_review = sqlite3_column_int(q, 9) != 0;
	}
	sqlite3_finalize(q);
	return 0;
}

static void component_release(struct catalog_component *c)
{
	free(c->grp);
	free(c->name);
	free(c->form);
	free(c->raw);
}

void catalog_detail_release(struct catalog_detail *d)
{
	proc_release(&d->proc);
	free(d->level);
	free(d->kind);
	free(d->decision);
	free(d->applicants);
	free(d->agency);
	free(d->steps);
	free(d->conditions);
	free(d->result);
	free(d->url);
	free(d->review_notes);
	for (size_t i = 0; i < d->nlegal; i++) {
		free(d->legal[i].number);
		free(d->legal[i].name);
	}
	free(d->legal);
	for (size_t i = 0; i < d->nchannels; i++) {
		free(d->channels[i].channel);
		free(d->channels[i].time_text);
		free(d->channels[i].fee_text);
		free(d->channels[i].description);
	}
	free(d->channels);
	for (size_t i = 0; i < d->ncomponents; i++)
		component_release(&d->components[i]);
	free(d->components);
	memset(d, 0, sizeof(*d));
}

bool catalog_component_is_note(const struct catalog_component *c)
{
	return !c->mandatory && !c->needs_review && c->originals == 0 && c->copies == 0;
}

size_t catalog_detail_drop_notes(struct catalog_detail *d)
{
	size_t kept = 0;
	for (size_t i = 0; i < d->ncomponents; i++) {
		if (catalog_component_is_note(&d->components[i]))
			component_release(&d->components[i]);
		else
			d->components[kept++] = d->components[i];
	}
	size_t dropped = d->ncomponents - kept;
	d->ncomponents = kept;
	return dropped;
}

/* ---- communes ----------------------------------------------------------------- */

static bool have_commune(const struct catalog_communes *c, const char *code)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->items[i].code, code))
			return true;
	return false;
}

static void commune_rows(sqlite3_stmt *q, struct catalog_communes *out, int limit, bool via)
{
	while ((limit <= 0 || out->n < (size_t)limit) && sqlite3_step(q) == SQLITE_ROW) {
		const char *code = (const char *)sqlite3_column_text(q, 0);
		if (have_commune(out, code))
			continue;
		out->items = xrealloc(out->items, (out->n + 1) * sizeof(*out->items));
		struct catalog_commune *c = &out->items[out->n++];
		c->code = store_col_text(q, 0);
		c->name = store_col_text(q, 1);
		c->kind = store_col_text(q, 2);
		c->province_code = store_col_text(q, 3);
		c->province_name = store_col_text(q, 4);
		c->via_old_name = via ? store_col_text(q, 5) : NULL;
	}
	sqlite3_finalize(q);
}

static sqlite3_stmt *commune_query(struct store *st, const char *head, const char *key,
				   const char *order, char **words, size_t n, const char *whole)
{
	struct strbuf sql = STRBUF_INIT;
	strbuf_addstr(&sql, head);
	for (size_t i = 0; i < n; i++)
		strbuf_addf(&sql, " AND (' ' || %s) LIKE ?%zu ESCAPE '\\'", key, i + 2);
	strbuf_addstr(&sql, order);
	sqlite3_stmt *q = store_prepare(st, sql.buf);
	strbuf_release(&sql);
	char *starts = word_pattern(whole, strlen(whole), "", "%");
	sqlite3_bind_text(q, 1, starts, -1, SQLITE_TRANSIENT);
	free(starts);
	for (size_t i = 0; i < n; i++) {
		char *pat = word_pattern(words[i], strlen(words[i]), "% ", "%");
		sqlite3_bind_text(q, (int)i + 2, pat, -1, SQLITE_TRANSIENT);
		free(pat);
	}
	return q;
}

int catalog_commune_search(struct store *st, const char *query, int limit,
			   struct catalog_communes *out)
{
	out->items = NULL;
	out->n = 0;
	char *fold = mc_text_fold(query ? query : "");
	char *whole = xstrdup(fold);
	char **words;
	size_t n = split_words(fold, &words);

	/* Current names; "starts with" first. A commune's name fold is its own
	 * part of the key, so the "starts with" test runs on the whole key. */
	sqlite3_stmt *q = commune_query(
		st, "SELECT code, name, kind, province_code, province_name FROM communes WHERE 1",
		"fold", " ORDER BY fold NOT LIKE ?1 ESCAPE '\\', name, province_name", words, n, whole);
	commune_rows(q, out, limit, false);

	/* Old names merged into a current commune: "Phường Trúc Bạch" (with the
	 * new commune's name and province as context words). */
	q = commune_query(st, "SELECT c.code, c.name, c.kind, c.province_code, c.province_name,"
			      " m.old_name FROM commune_merges m JOIN communes c ON c.code = m.code"
			      " WHERE 1", "m.fold || ' ' || c.fold",
			  " ORDER BY m.fold NOT LIKE ?1 ESCAPE '\\', m.merge <> 'full', m.old_name,"
			  " c.province_name", words, n, whole);
	commune_rows(q, out, limit, true);

	free(words);
	free(fold);
	free(whole);
	return 0;
}

void catalog_communes_release(struct catalog_communes *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->items[i].code);
		free(c->items[i].name);
		free(c->items[i].kind);
		free(c->items[i].province_code);
		free(c->items[i].province_name);
		free(c->items[i].via_old_name);
	}
	FREE(&c->items);
	c->n = 0;
}

const char *catalog_time_display(const struct catalog_proc *p, char *buf, size_t size)
{
	if (p->time_unit && !strcmp(p->time_unit, "day"))
		snprintf(buf, size, "%g ngày làm việc", p->time_value);
	else if (p->time_unit && !strcmp(p->time_unit, "hour"))
		snprintf(buf, size, "%g giờ làm việc", p->time_value);
	else if (p->time_unit && !strcmp(p->time_unit, "inday"))
		snprintf(buf, size, "trong ngày");
	else
		snprintf(buf, size, "%s", p->time_text ? p->time_text : "");
	return buf;
}
