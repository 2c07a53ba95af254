/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reuse at reception: see reuse.h and docs/documents.md. */
#include "client/store/reuse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/papertype.h"
#include "core/text.h"

char *reuse_normalize(const char *s)
{
	return mc_paper_normalize(s);
}

static size_t words_of(const char *s)
{
	size_t n = *s ? 1 : 0;
	for (; *s; s++)
		n += *s == ' ';
	return n;
}

static bool has_phrase(const char *text, const char *phrase)
{
	return mc_paper_has_phrase(text, phrase);
}

/* The component's name up to its first ';', ',' or '(', normalized. */
static char *head_of(const char *name)
{
	char *h = xstrndup(name, strcspn(name, ";,("));
	char *n = reuse_normalize(h);
	free(h);
	return n;
}

int reuse_paper_owner(struct store *st, const char *id, char **owner, char **expires_on)
{
	*owner = *expires_on = NULL;
	sqlite3_stmt *q = store_prepare(st,
		"SELECT owner_id_number, expires_on FROM documents WHERE id = ?");
	sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		const unsigned char *o = sqlite3_column_text(q, 0);
		const unsigned char *e = sqlite3_column_text(q, 1);
		*owner = o ? xstrdup((const char *)o) : NULL;
		*expires_on = e ? xstrdup((const char *)e) : NULL;
	}
	sqlite3_finalize(q);
	return rc;
}

bool reuse_matches(const struct reuse_paper *p, const char *component_name)
{
	enum mc_paper_type type = mc_paper_type_from_code(p->paper_type);
	unsigned accepted = mc_paper_types_accepted(component_name);
	if (type != MC_PT_COUNT && accepted)
		return (accepted & (1u << type)) != 0;
	char *name = reuse_normalize(component_name);
	bool ok = false;
	for (size_t i = 0; !ok && i < p->n_used; i++)
		ok = !strcmp(p->used[i], name);
	/* the title says what the paper is; the kind only when it has none
	 * (a kind such as "to-khai" names a whole family of papers) */
	const char *what = *p->title_fold ? p->title_fold : p->kind_fold;
	if (!ok && words_of(what) >= 2)
		ok = has_phrase(name, what);
	if (!ok && *p->title_fold) {
		char *head = head_of(component_name);
		ok = words_of(head) >= 2 && has_phrase(p->title_fold, head);
		free(head);
	}
	free(name);
	return ok;
}

static int used_names(struct store *st, struct reuse_paper *p)
{
	sqlite3_stmt *q = store_prepare(st,
		"SELECT DISTINCT name FROM dossier_components WHERE document_id = ? ORDER BY name");
	sqlite3_bind_text(q, 1, p->id, -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		p->used = xrealloc(p->used, (p->n_used + 1) * sizeof(*p->used));
		p->used[p->n_used++] = reuse_normalize((const char *)sqlite3_column_text(q, 0));
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int reuse_load(struct store *st, const char *owner, const struct mc_date *today,
	       struct reuse_papers *out, struct strbuf *err)
{
	memset(out, 0, sizeof(*out));
	out->owner = xstrdup(owner ? owner : "");
	char day[16];
	mc_format_date(day, sizeof(day), today->y, today->m, today->d);
	sqlite3_stmt *q = store_prepare(st,
		"SELECT d.id, d.kind, d.title, d.number, d.issuer, d.issued_on, d.expires_on, d.pages,"
		" p.paper_type, p.signer, p.signed_at, d.is_result"
		" FROM documents d LEFT JOIN document_papers p ON p.document_id = d.id"
		" WHERE d.owner_id_number = ? AND (d.expires_on IS NULL OR d.expires_on >= ?)"
		" ORDER BY d.created_at DESC, d.id DESC");
	sqlite3_bind_text(q, 1, out->owner, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, day, -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		out->items = xrealloc(out->items, (out->n + 1) * sizeof(*out->items));
		struct reuse_paper *p = &out->items[out->n++];
		memset(p, 0, sizeof(*p));
		p->id = store_col_nonempty(q, 0);
		p->kind = store_col_nonempty(q, 1);
		p->title = store_col_nonempty(q, 2);
		p->number = store_col_nonempty(q, 3);
		p->issuer = store_col_nonempty(q, 4);
		p->issued_on = store_col_nonempty(q, 5);
		p->expires_on = store_col_nonempty(q, 6);
		p->pages = sqlite3_column_int(q, 7);
		p->paper_type = store_col_nonempty(q, 8);
		p->signer = store_col_nonempty(q, 9);
		p->signed_at = store_col_nonempty(q, 10);
		p->is_result = sqlite3_column_int(q, 11) != 0;
		p->kind_fold = reuse_normalize(p->kind);
		p->title_fold = reuse_normalize(p->title);
	}
	sqlite3_finalize(q);
	for (size_t i = 0; rc == SQLITE_DONE && i < out->n; i++)
		if (used_names(st, &out->items[i]) != SQLITE_OK)
			rc = SQLITE_ERROR;
	if (rc != SQLITE_DONE) {
		strbuf_reset(err);
		strbuf_addf(err, "Không đọc được kho giấy tờ: %s", store_errmsg_vn(rc));
		reuse_papers_release(out);
		return -1;
	}
	return 0;
}

void reuse_papers_release(struct reuse_papers *p)
{
	for (size_t i = 0; i < p->n; i++) {
		struct reuse_paper *d = &p->items[i];
		free(d->id);
		free(d->kind);
		free(d->title);
		free(d->number);
		free(d->issuer);
		free(d->issued_on);
		free(d->expires_on);
		free(d->paper_type);
		free(d->signer);
		free(d->signed_at);
		free(d->kind_fold);
		free(d->title_fold);
		for (size_t j = 0; j < d->n_used; j++)
			free(d->used[j]);
		free(d->used);
	}
	free(p->items);
	free(p->owner);
	memset(p, 0, sizeof(*p));
}

/* "24/10/2030" for "2030-10-24"; the text itself when it is no date. */
static void date_vn(char *buf, size_t n, const char *iso)
{
	struct mc_date d;
	if (!mc_parse_date(iso, &d))
		mc_format_date_vn(buf, n, d.y, d.m, d.d);
	else
		snprintf(buf, n, "%s", iso);
}

char *reuse_label(const struct reuse_paper *p)
{
	struct strbuf sb = STRBUF_INIT;
	if (p->paper_type)
		strbuf_addf(&sb, "[%s] ", p->paper_type);
	strbuf_addstr(&sb, p->title ? p->title : p->kind ? p->kind : "Giấy tờ");
	if (p->number)
		strbuf_addf(&sb, " · số %s", p->number);
	char d[32];
	if (p->issued_on) {
		date_vn(d, sizeof(d), p->issued_on);
		strbuf_addf(&sb, " · cấp %s", d);
	}
	if (p->expires_on) {
		date_vn(d, sizeof(d), p->expires_on);
		strbuf_addf(&sb, " · hạn đến %s", d);
	}
	if (p->signer)
		strbuf_addf(&sb, " · ký số: %s", p->signer);
	return strbuf_detach(&sb);
}
