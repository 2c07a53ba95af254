/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The citizen's document store: see docstore.h and docs/documents.md. */
#include "client/store/docstore.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "client/base/files.h"
#include "client/store/dossier_tx.h"
#include "client/store/outbox.h"
#include "core/papertype.h"
#include "core/text.h"

static int refuse(struct strbuf *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int refuse(struct strbuf *err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *m = xvasprintf(fmt, ap);
	va_end(ap);
	strbuf_reset(err);
	strbuf_addstr(err, m);
	free(m);
	return DOCSTORE_REFUSED;
}

static int fault(struct strbuf *err, int sqlrc, const char *what)
{
	strbuf_reset(err);
	strbuf_addf(err, "%s: %s", what, store_errmsg_vn(sqlrc));
	return DOCSTORE_FAULT;
}

static char *folder_of(const char *db_path)
{
	const char *slash = strrchr(db_path, '/');
	if (!slash)
		return xstrdup(".");
	if (slash == db_path)
		return xstrdup("/");
	return xasprintf("%.*s", (int)(slash - db_path), db_path);
}

char *docstore_dir(const char *db_path)
{
	char *f = folder_of(db_path);
	char *d = xasprintf("%s/documents", f);
	free(f);
	return d;
}

char *docstore_file(const char *db_path, const char *sha256)
{
	char *d = docstore_dir(db_path);
	char *p = xasprintf("%s/%s.pdf", d, sha256);
	free(d);
	return p;
}

static void fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

int docstore_file_in(const char *db_path, const char *tmp_pdf, const char *sha256,
		     bool *created, struct strbuf *err)
{
	char *dst = docstore_file(db_path, sha256);
	int rc = DOCSTORE_OK;
	*created = false;
	/* what a killed writer left goes at the next paper filed */
	char *dir = docstore_dir(db_path);
	files_sweep_stale(dir);
	free(dir);
	if (!access(dst, F_OK)) {
		unlink(tmp_pdf); /* the same paper is already stored */
	} else if (rename(tmp_pdf, dst)) {
		strbuf_reset(err);
		strbuf_addf(err, "Không lưu được tệp giấy tờ %s: %s", dst, files_errno_vn(errno));
		unlink(tmp_pdf);
		rc = DOCSTORE_FAULT;
	} else {
		dir = docstore_dir(db_path);
		fsync_dir(dir);
		free(dir);
		*created = true;
	}
	free(dst);
	return rc;
}

/* ---- the dossier and its component ---- */

struct target {
	char id[37];
	char *code, *owner, *unit;
	char *component;   /* the component's name */
	long long rev;
};

static void target_release(struct target *t)
{
	free(t->code);
	free(t->owner);
	free(t->unit);
	free(t->component);
}

static int load_target(struct store *st, const char *code, int seq, struct target *t,
		       struct strbuf *err)
{
	memset(t, 0, sizeof *t);
	sqlite3_stmt *q = store_prepare(st,
		"SELECT id, code, id_number, unit_code, rev FROM dossiers WHERE code = upper(?)");
	sqlite3_bind_text(q, 1, code, -1, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		snprintf(t->id, sizeof t->id, "%s", (const char *)sqlite3_column_text(q, 0));
		t->code = store_col_nonempty(q, 1);
		t->owner = store_col_nonempty(q, 2);
		t->unit = store_col_nonempty(q, 3);
		t->rev = sqlite3_column_int64(q, 4);
	}
	sqlite3_finalize(q);
	if (rc == SQLITE_DONE)
		return refuse(err, "Không có hồ sơ mã «%s»", code);
	if (rc != SQLITE_ROW)
		return fault(err, rc, "Không đọc được hồ sơ");
	q = store_prepare(st, "SELECT name FROM dossier_components WHERE dossier_id = ? AND seq = ?");
	sqlite3_bind_text(q, 1, t->id, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 2, seq);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		t->component = store_col_nonempty(q, 0);
	sqlite3_finalize(q);
	if (rc == SQLITE_DONE) {
		refuse(err, "Hồ sơ %s không có thành phần số %d", t->code, seq);
		target_release(t);
		return DOCSTORE_REFUSED;
	}
	if (rc != SQLITE_ROW) {
		target_release(t);
		return fault(err, rc, "Không đọc được thành phần hồ sơ");
	}
	return DOCSTORE_OK;
}

int docstore_applicant(struct store *st, const char *code, char **id_number, char **dcode,
		       struct strbuf *err)
{
	*id_number = *dcode = NULL;
	sqlite3_stmt *q = store_prepare(st, "SELECT id_number, code FROM dossiers WHERE code = upper(?)");
	sqlite3_bind_text(q, 1, code, -1, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		*id_number = store_col_nonempty(q, 0);
		*dcode = store_col_nonempty(q, 1);
	}
	sqlite3_finalize(q);
	if (rc == SQLITE_DONE)
		return refuse(err, "Không có hồ sơ mã «%s»", code);
	if (rc != SQLITE_ROW)
		return fault(err, rc, "Không đọc được hồ sơ");
	if (!*id_number || !**id_number) {
		free(*id_number);
		free(*dcode);
		*id_number = *dcode = NULL;
		return refuse(err, "Hồ sơ %s chưa có số định danh của người nộp", code);
	}
	return DOCSTORE_OK;
}

int docstore_check_component(struct store *st, const char *code, int seq, char dossier_id[37],
			     struct strbuf *err)
{
	struct target t;
	int rc = load_target(st, code, seq, &t, err);
	if (rc)
		return rc;
	if (dossier_id)
		memcpy(dossier_id, t.id, 37);
	target_release(&t);
	return DOCSTORE_OK;
}

/* The clerk's unit, else the dossier's (the event's unit_code). */
static char *actor_unit(struct store *st, const char *clerk, const struct target *t)
{
	sqlite3_stmt *q = store_prepare(st, "SELECT unit_code FROM clerks WHERE username = ?");
	sqlite3_bind_text(q, 1, clerk, -1, SQLITE_STATIC);
	char *u = sqlite3_step(q) == SQLITE_ROW ? store_col_nonempty(q, 0) : NULL;
	sqlite3_finalize(q);
	return u ? u : xstrdup(t->unit ? t->unit : "");
}

static json_t *jstr_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static int step_done(sqlite3_stmt *q)
{
	int rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Inside the transaction: the component, the event, the outbox row.
 * document: the document as the outbox carries it (borrowed). */
static int write_attach(struct store *st, const struct target *t, int seq, const char *doc_id,
			bool reused, json_t *document, const char *clerk, const char *now)
{
	sqlite3_stmt *q = store_prepare(st,
		"UPDATE dossier_components SET document_id = ?, reused = ? WHERE dossier_id = ? AND seq = ?");
	sqlite3_bind_text(q, 1, doc_id, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 2, reused);
	sqlite3_bind_text(q, 3, t->id, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 4, seq);
	int rc = step_done(q);
	if (rc != SQLITE_OK)
		return rc;

	char event_id[37], op_id[37];
	store_uuid7(event_id);
	store_uuid7(op_id);
	char *unit = actor_unit(st, clerk, t);
	json_t *payload = json_object();
	json_object_set_new(payload, "component", json_integer(seq));
	json_object_set_new(payload, "document_id", json_string(doc_id));
	json_object_set_new(payload, "sha256", json_incref(json_object_get(document, "sha256")));
	json_object_set_new(payload, "reused", json_boolean(reused));
	struct dossier_doc_event e = {
		.id = event_id, .dossier_id = t->id, .kind = "attach", .actor = clerk,
		.unit_code = unit, .device_time = now, .payload = payload,
	};
	json_t *event = NULL;
	rc = dossier_tx_event(st, &e, &event);
	if (rc == SQLITE_OK) {
		json_t *op = json_object();
		json_object_set_new(op, "id", json_string(t->id));
		json_object_set_new(op, "component", json_integer(seq));
		json_object_set_new(op, "reused", json_boolean(reused));
		json_object_set_new(op, "document", json_incref(document));
		json_object_set_new(op, "event", event);
		rc = outbox_add(st, op_id, t->id, t->rev, "attach", op, now);
		json_decref(op);
	}
	json_decref(payload);
	free(unit);
	return rc;
}

/* Runs write in one transaction; maps SQLite failures to a fault. */
static int commit_or_fault(struct dossier_tx *tx, int sqlrc, struct strbuf *err)
{
	if (sqlrc != SQLITE_OK) {
		dossier_tx_rollback(tx);
		return fault(err, sqlrc, "Không lưu được giấy tờ vào hồ sơ");
	}
	sqlrc = dossier_tx_commit(tx);
	if (sqlrc != SQLITE_OK)
		return fault(err, sqlrc, "Không lưu được giấy tờ vào hồ sơ");
	return DOCSTORE_OK;
}

/* The paper's type and signature (document_papers), when it has either. */
static int write_paper(struct store *st, const char *doc_id, const struct doc_meta *m)
{
	if (!(m->paper_type && *m->paper_type) && !(m->signer && *m->signer))
		return SQLITE_OK;
	sqlite3_stmt *q = store_prepare(st,
		"INSERT OR REPLACE INTO document_papers(document_id, paper_type, signer, signed_at)"
		" VALUES (?, ?, ?, ?)");
	sqlite3_bind_text(q, 1, doc_id, -1, SQLITE_STATIC);
	store_bind_nonempty(q, 2, m->paper_type);
	store_bind_nonempty(q, 3, m->signer);
	store_bind_nonempty(q, 4, m->signed_at);
	return step_done(q);
}

static void paper_json(json_t *d, const struct doc_meta *m)
{
	if (m->paper_type && *m->paper_type)
		json_object_set_new(d, "paper_type", json_string(m->paper_type));
	if (m->signer && *m->signer) {
		json_object_set_new(d, "signer", json_string(m->signer));
		json_object_set_new(d, "signed_at", jstr_or_null(m->signed_at));
	}
}

int docstore_attach_new(struct store *st, const char *code, int seq, const struct doc_meta *m,
			const char *sha256, int pages, long long bytes, const char *clerk,
			const struct mc_dt *now, char doc_id[37], struct strbuf *err)
{
	char at[32];
	mc_format_dt(at, sizeof at, now);
	struct dossier_tx tx;
	int sqlrc = dossier_tx_begin(&tx, st);
	if (sqlrc != SQLITE_OK)
		return fault(err, sqlrc, "Không bắt đầu ghi được vào kho dữ liệu");
	struct target t;
	int rc = load_target(st, code, seq, &t, err);
	if (rc) {
		dossier_tx_rollback(&tx);
		return rc;
	}
	store_uuid7(doc_id);
	const char *kind = m->kind && *m->kind ? m->kind : "other";
	sqlite3_stmt *q = store_prepare(st,
		"INSERT INTO documents(id, owner_id_number, kind, title, number, issuer, issued_on,"
		" expires_on, sha256, pages, bytes, ocr_state, created_at, created_by)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)");
	sqlite3_bind_text(q, 1, doc_id, -1, SQLITE_STATIC);
	store_bind_nonempty(q, 2, t.owner);
	sqlite3_bind_text(q, 3, kind, -1, SQLITE_STATIC);
	store_bind_nonempty(q, 4, m->title);
	store_bind_nonempty(q, 5, m->number);
	store_bind_nonempty(q, 6, m->issuer);
	store_bind_nonempty(q, 7, m->issued_on);
	store_bind_nonempty(q, 8, m->expires_on);
	sqlite3_bind_text(q, 9, sha256, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 10, pages);
	sqlite3_bind_int64(q, 11, bytes);
	sqlite3_bind_text(q, 12, at, -1, SQLITE_STATIC);
	store_bind_nonempty(q, 13, clerk);
	sqlrc = step_done(q);
	if (sqlrc == SQLITE_OK)
		sqlrc = write_paper(st, doc_id, m);
	if (sqlrc == SQLITE_OK) {
		json_t *d = json_object();
		json_object_set_new(d, "id", json_string(doc_id));
		json_object_set_new(d, "owner_id_number", jstr_or_null(t.owner));
		json_object_set_new(d, "kind", json_string(kind));
		json_object_set_new(d, "title", jstr_or_null(m->title));
		json_object_set_new(d, "number", jstr_or_null(m->number));
		json_object_set_new(d, "issuer", jstr_or_null(m->issuer));
		json_object_set_new(d, "issued_on", jstr_or_null(m->issued_on));
		json_object_set_new(d, "expires_on", jstr_or_null(m->expires_on));
		json_object_set_new(d, "sha256", json_string(sha256));
		json_object_set_new(d, "pages", json_integer(pages));
		json_object_set_new(d, "bytes", json_integer(bytes));
		paper_json(d, m);
		sqlrc = write_attach(st, &t, seq, doc_id, false, d, clerk, at);
		json_decref(d);
	}
	target_release(&t);
	rc = commit_or_fault(&tx, sqlrc, err);
	if (rc)
		doc_id[0] = '\0';
	return rc;
}

/* A paper of a known type fits a component that names types only when its
 * type is one of them (core/papertype.h); an untyped paper, or a component
 * that names no type, is left to the wording (client/store/reuse.h). */
static bool type_fits(const char *type, const char *component)
{
	enum mc_paper_type t = mc_paper_type_from_code(type);
	unsigned accepted = mc_paper_types_accepted(component);
	return t == MC_PT_COUNT || !accepted || (accepted & (1u << t));
}

int docstore_attach_reuse(struct store *st, const char *code, int seq, const char *doc_id,
			  const char *clerk, const struct mc_dt *now, struct strbuf *err)
{
	char at[32], today[16];
	mc_format_dt(at, sizeof at, now);
	mc_format_date(today, sizeof today, now->y, now->m, now->d);
	struct dossier_tx tx;
	int sqlrc = dossier_tx_begin(&tx, st);
	if (sqlrc != SQLITE_OK)
		return fault(err, sqlrc, "Không bắt đầu ghi được vào kho dữ liệu");
	struct target t;
	int rc = load_target(st, code, seq, &t, err);
	if (rc) {
		dossier_tx_rollback(&tx);
		return rc;
	}
	sqlite3_stmt *q = store_prepare(st,
		"SELECT d.owner_id_number, d.expires_on, d.kind, d.sha256, d.pages, d.bytes, p.paper_type"
		" FROM documents d LEFT JOIN document_papers p ON p.document_id = d.id WHERE d.id = ?");
	sqlite3_bind_text(q, 1, doc_id, -1, SQLITE_STATIC);
	sqlrc = sqlite3_step(q);
	json_t *d = NULL;
	if (sqlrc == SQLITE_DONE) {
		rc = refuse(err, "Không có giấy tờ mã «%s» trong kho", doc_id);
	} else if (sqlrc != SQLITE_ROW) {
		rc = fault(err, sqlrc, "Không đọc được kho giấy tờ");
	} else {
		char *owner = store_col_nonempty(q, 0), *expires = store_col_nonempty(q, 1);
		if (!owner || !t.owner || strcmp(owner, t.owner))
			rc = refuse(err, "Giấy tờ «%s» không phải của người nộp hồ sơ %s (số định danh %s)",
				    doc_id, t.code, t.owner ? t.owner : "chưa có");
		else if (expires && strcmp(expires, today) < 0)
			rc = refuse(err, "Giấy tờ «%s» đã hết hạn ngày %s: không dùng lại được, hãy quét"
				    " bản mới", doc_id, expires);
		else if (!type_fits((const char *)sqlite3_column_text(q, 6), t.component))
			rc = refuse(err, "Giấy tờ «%s» là %s: không phải loại giấy tờ thành phần số %d"
				    " của hồ sơ %s yêu cầu", doc_id,
				    mc_paper_type_name(mc_paper_type_from_code(
					    (const char *)sqlite3_column_text(q, 6))),
				    seq, t.code);
		if (!rc) {
			d = json_object();
			json_object_set_new(d, "id", json_string(doc_id));
			json_object_set_new(d, "kind", json_string((const char *)sqlite3_column_text(q, 2)));
			json_object_set_new(d, "sha256", json_string((const char *)sqlite3_column_text(q, 3)));
			json_object_set_new(d, "pages", json_integer(sqlite3_column_int(q, 4)));
			json_object_set_new(d, "bytes", json_integer(sqlite3_column_int64(q, 5)));
		}
		free(owner);
		free(expires);
	}
	sqlite3_finalize(q);
	if (rc) {
		dossier_tx_rollback(&tx);
		target_release(&t);
		return rc;
	}
	sqlrc = write_attach(st, &t, seq, doc_id, true, d, clerk, at);
	json_decref(d);
	target_release(&t);
	return commit_or_fault(&tx, sqlrc, err);
}

int docstore_set_ocr(struct store *st, const char *doc_id, const char *text, struct strbuf *err)
{
	char *nfc = text ? mc_text_nfc(text) : NULL;
	char *fold = nfc ? mc_text_fold(nfc) : NULL;
	sqlite3_stmt *q = store_prepare(st,
		"UPDATE documents SET ocr_state = ?, ocr_text = ?, ocr_fold = ? WHERE id = ?");
	sqlite3_bind_text(q, 1, nfc ? "done" : "failed", -1, SQLITE_STATIC);
	store_bind_nonempty(q, 2, nfc);
	store_bind_nonempty(q, 3, fold);
	sqlite3_bind_text(q, 4, doc_id, -1, SQLITE_STATIC);
	int sqlrc = step_done(q);
	free(nfc);
	free(fold);
	if (sqlrc != SQLITE_OK)
		return fault(err, sqlrc, "Không lưu được chữ nhận dạng (OCR)");
	return DOCSTORE_OK;
}

int docstore_set_ocr_progress(struct store *st, const char *doc_id, const char *text,
			      const char *state, struct strbuf *err)
{
	char *nfc = text ? mc_text_nfc(text) : NULL;
	char *fold = nfc ? mc_text_fold(nfc) : NULL;
	sqlite3_stmt *q = store_prepare(st,
		"UPDATE documents SET ocr_state = ?, ocr_text = ?, ocr_fold = ?"
		" WHERE id = ? AND ocr_state = 'pending'");
	sqlite3_bind_text(q, 1, state, -1, SQLITE_STATIC);
	store_bind_nonempty(q, 2, nfc);
	store_bind_nonempty(q, 3, fold);
	sqlite3_bind_text(q, 4, doc_id, -1, SQLITE_STATIC);
	int sqlrc = step_done(q);
	free(nfc);
	free(fold);
	if (sqlrc != SQLITE_OK)
		return fault(err, sqlrc, "Không lưu được chữ nhận dạng (OCR)");
	return DOCSTORE_OK;
}

int docstore_ocr_pending(struct store *st, size_t max, struct docstore_ocr_todo **out, size_t *n,
			 struct strbuf *err)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *q = store_prepare(st,
		"SELECT id, sha256 FROM documents WHERE ocr_state = 'pending'"
		" ORDER BY created_at, id LIMIT ?");
	sqlite3_bind_int64(q, 1, (sqlite3_int64)max);
	int sqlrc;
	while ((sqlrc = sqlite3_step(q)) == SQLITE_ROW) {
		*out = xrealloc(*out, (*n + 1) * sizeof(**out));
		struct docstore_ocr_todo *t = &(*out)[(*n)++];
		const char *id = (const char *)sqlite3_column_text(q, 0);
		const char *sha = (const char *)sqlite3_column_text(q, 1);
		snprintf(t->id, sizeof t->id, "%s", id);
		snprintf(t->sha256, sizeof t->sha256, "%s", sha);
	}
	sqlite3_finalize(q);
	if (sqlrc != SQLITE_DONE) {
		FREE(out);
		*n = 0;
		return fault(err, sqlrc, "Không đọc được kho giấy tờ");
	}
	return DOCSTORE_OK;
}

int docstore_sha256(struct store *st, const char *doc_id, char sha256[65], struct strbuf *err)
{
	sqlite3_stmt *q = store_prepare(st, "SELECT sha256 FROM documents WHERE id = ?");
	sqlite3_bind_text(q, 1, doc_id, -1, SQLITE_STATIC);
	int sqlrc = sqlite3_step(q);
	int rc = DOCSTORE_OK;
	if (sqlrc == SQLITE_ROW)
		snprintf(sha256, 65, "%s", (const char *)sqlite3_column_text(q, 0));
	else if (sqlrc == SQLITE_DONE)
		rc = refuse(err, "Không có giấy tờ mã «%s» trong kho", doc_id);
	else
		rc = fault(err, sqlrc, "Không đọc được kho giấy tờ");
	sqlite3_finalize(q);
	return rc;
}

static json_t *col_json(sqlite3_stmt *q, int i)
{
	switch (sqlite3_column_type(q, i)) {
	case SQLITE_NULL:
		return json_null();
	case SQLITE_INTEGER:
		return json_integer(sqlite3_column_int64(q, i));
	default:
		return json_string((const char *)sqlite3_column_text(q, i));
	}
}

static int dossiers_of(struct store *st, const char *doc_id, json_t *arr, struct strbuf *err)
{
	sqlite3_stmt *q = store_prepare(st,
		"SELECT d.code, c.seq, c.reused FROM dossier_components c"
		" JOIN dossiers d ON d.id = c.dossier_id WHERE c.document_id = ?"
		" ORDER BY d.received_at, d.code, c.seq");
	sqlite3_bind_text(q, 1, doc_id, -1, SQLITE_STATIC);
	int sqlrc;
	while ((sqlrc = sqlite3_step(q)) == SQLITE_ROW) {
		json_t *o = json_object();
		json_object_set_new(o, "code", col_json(q, 0));
		json_object_set_new(o, "component", col_json(q, 1));
		json_object_set_new(o, "reused", json_boolean(sqlite3_column_int(q, 2)));
		json_array_append_new(arr, o);
	}
	sqlite3_finalize(q);
	return sqlrc == SQLITE_DONE ? DOCSTORE_OK : fault(err, sqlrc, "Không đọc được kho giấy tờ");
}

int docstore_list_valid(struct store *st, const char *owner, const struct mc_date *today,
			json_t **out, struct strbuf *err)
{
	static const char *const cols[] = { "id", "kind", "title", "number", "issuer", "issued_on",
					    "expires_on", "sha256", "pages", "bytes", "ocr_state",
					    "paper_type", "signer", "signed_at", "is_result" };
	char day[16];
	mc_format_date(day, sizeof day, today->y, today->m, today->d);
	sqlite3_stmt *q = store_prepare(st,
		"SELECT id, kind, title, number, issuer, issued_on, expires_on, sha256, pages, bytes,"
		" ocr_state, p.paper_type, p.signer, p.signed_at, is_result FROM documents"
		" LEFT JOIN document_papers p ON p.document_id = documents.id WHERE owner_id_number = ?"
		" AND (expires_on IS NULL OR expires_on >= ?) ORDER BY created_at DESC, id DESC");
	sqlite3_bind_text(q, 1, owner, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, day, -1, SQLITE_STATIC);
	json_t *arr = json_array();
	int sqlrc, rc = DOCSTORE_OK;
	while (!rc && (sqlrc = sqlite3_step(q)) == SQLITE_ROW) {
		json_t *o = json_object();
		for (int i = 0; i < (int)(sizeof cols / sizeof cols[0]); i++) {
			/* the paper's type, signature and result flag only when set */
			if (i >= 11 && (sqlite3_column_type(q, i) == SQLITE_NULL ||
					(i == 14 && !sqlite3_column_int(q, i))))
				continue;
			json_object_set_new(o, cols[i], i == 14 ? json_true() : col_json(q, i));
		}
		json_t *ds = json_array();
		json_object_set_new(o, "dossiers", ds);
		json_array_append_new(arr, o);
		rc = dossiers_of(st, (const char *)sqlite3_column_text(q, 0), ds, err);
	}
	sqlite3_finalize(q);
	if (!rc && sqlrc != SQLITE_DONE)
		rc = fault(err, sqlrc, "Không đọc được kho giấy tờ");
	if (rc) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return DOCSTORE_OK;
}

static const char *pstr(const json_t *p, const char *key)
{
	const char *v = json_string_value(json_object_get(p, key));
	return v && *v ? v : NULL;
}

int docstore_add_remote(struct store *st, const json_t *p, const char *owner, const char *at,
			struct strbuf *err)
{
	const char *id = pstr(p, "id"), *sha = pstr(p, "sha256");
	if (!id || !sha)
		return refuse(err, "Giấy tờ từ máy chủ thiếu mã hoặc mã băm");
	struct dossier_tx tx;
	int sqlrc = dossier_tx_begin(&tx, st);
	if (sqlrc != SQLITE_OK)
		return fault(err, sqlrc, "Không bắt đầu ghi được vào kho dữ liệu");
	sqlite3_stmt *q = store_prepare(st, "SELECT sha256 FROM documents WHERE id = ?");
	sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
	sqlrc = sqlite3_step(q);
	char *have = sqlrc == SQLITE_ROW ? store_col_nonempty(q, 0) : NULL;
	sqlite3_finalize(q);
	int rc = DOCSTORE_OK;
	if (sqlrc != SQLITE_ROW && sqlrc != SQLITE_DONE)
		rc = fault(err, sqlrc, "Không đọc được kho giấy tờ");
	else if (have && strcmp(have, sha))
		rc = refuse(err, "Giấy tờ «%s» đã có trong kho với một tệp khác", id);
	free(have);
	if (rc || sqlrc == SQLITE_ROW) {
		dossier_tx_rollback(&tx);
		return rc;
	}
	q = store_prepare(st,
		"INSERT INTO documents(id, owner_id_number, kind, title, number, issuer, issued_on,"
		" expires_on, sha256, pages, bytes, is_result, created_at)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
	store_bind_nonempty(q, 2, owner);
	sqlite3_bind_text(q, 3, pstr(p, "kind") ? pstr(p, "kind") : "other", -1, SQLITE_STATIC);
	store_bind_nonempty(q, 4, pstr(p, "title"));
	store_bind_nonempty(q, 5, pstr(p, "number"));
	store_bind_nonempty(q, 6, pstr(p, "issuer"));
	store_bind_nonempty(q, 7, pstr(p, "issued_on"));
	store_bind_nonempty(q, 8, pstr(p, "expires_on"));
	sqlite3_bind_text(q, 9, sha, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 10, (int)json_integer_value(json_object_get(p, "pages")));
	sqlite3_bind_int64(q, 11, json_integer_value(json_object_get(p, "bytes")));
	sqlite3_bind_int(q, 12, json_is_true(json_object_get(p, "is_result")));
	sqlite3_bind_text(q, 13, at, -1, SQLITE_STATIC);
	sqlrc = step_done(q);
	struct doc_meta m = { .paper_type = pstr(p, "paper_type"), .signer = pstr(p, "signer"),
			      .signed_at = pstr(p, "signed_at") };
	if (sqlrc == SQLITE_OK)
		sqlrc = write_paper(st, id, &m);
	return commit_or_fault(&tx, sqlrc, err);
}

int docstore_add_result(struct store *st, const char *dossier_id, const struct doc_meta *m,
			const char *sha256, int pages, long long bytes, const char *clerk,
			const char *at, char doc_id[37])
{
	sqlite3_stmt *q = store_prepare(st,
		"INSERT INTO documents(id, owner_id_number, kind, title, number, issuer, issued_on,"
		" expires_on, sha256, pages, bytes, is_result, created_at, created_by)"
		" SELECT ?1, id_number, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 1, ?11, ?12"
		" FROM dossiers WHERE id = ?13");
	store_uuid7(doc_id);
	sqlite3_bind_text(q, 1, doc_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, m->kind && *m->kind ? m->kind : "result", -1, SQLITE_STATIC);
	store_bind_nonempty(q, 3, m->title);
	store_bind_nonempty(q, 4, m->number);
	store_bind_nonempty(q, 5, m->issuer);
	store_bind_nonempty(q, 6, m->issued_on);
	store_bind_nonempty(q, 7, m->expires_on);
	sqlite3_bind_text(q, 8, sha256, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 9, pages);
	sqlite3_bind_int64(q, 10, bytes);
	sqlite3_bind_text(q, 11, at, -1, SQLITE_STATIC);
	store_bind_nonempty(q, 12, clerk);
	sqlite3_bind_text(q, 13, dossier_id, -1, SQLITE_STATIC);
	int rc = step_done(q);
	if (rc == SQLITE_OK && sqlite3_changes(st->db) != 1)
		rc = SQLITE_NOTFOUND;
	if (rc == SQLITE_OK)
		rc = write_paper(st, doc_id, m);
	if (rc == SQLITE_OK) {
		q = store_prepare(st, "UPDATE dossiers SET result_document_id = ? WHERE id = ?");
		sqlite3_bind_text(q, 1, doc_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, dossier_id, -1, SQLITE_STATIC);
		rc = step_done(q);
	}
	if (rc != SQLITE_OK)
		doc_id[0] = '\0';
	return rc;
}

int docstore_signer(struct store *st, const char *doc_id, char **signer, struct strbuf *err)
{
	*signer = NULL;
	sqlite3_stmt *q = store_prepare(st, "SELECT signer FROM document_papers WHERE document_id = ?");
	sqlite3_bind_text(q, 1, doc_id, -1, SQLITE_STATIC);
	int sqlrc = sqlite3_step(q);
	if (sqlrc == SQLITE_ROW)
		*signer = store_col_nonempty(q, 0);
	sqlite3_finalize(q);
	if (sqlrc != SQLITE_ROW && sqlrc != SQLITE_DONE)
		return fault(err, sqlrc, "Không đọc được kho giấy tờ");
	return DOCSTORE_OK;
}

/* ---- what the scan screen and the OCR worker read ------------------------ */

int docstore_next_ocr_pending(struct store *st, char id[37], char sha256[65], struct strbuf *err)
{
	sqlite3_stmt *q = store_prepare(st,
		"SELECT id, sha256 FROM documents WHERE ocr_state = 'pending'"
		" ORDER BY created_at, id LIMIT 1");
	int sqlrc = sqlite3_step(q);
	int rc = DOCSTORE_NONE;
	if (sqlrc == SQLITE_ROW) {
		snprintf(id, 37, "%s", (const char *)sqlite3_column_text(q, 0));
		snprintf(sha256, 65, "%s", (const char *)sqlite3_column_text(q, 1));
		rc = DOCSTORE_OK;
	} else if (sqlrc != SQLITE_DONE) {
		rc = fault(err, sqlrc, "Không đọc được kho giấy tờ");
	}
	sqlite3_finalize(q);
	return rc;
}

int docstore_dossier(struct store *st, const char *key, char id[37], char **code,
		     struct strbuf *err)
{
	*code = NULL;
	sqlite3_stmt *q = store_prepare(st,
		"SELECT id, code FROM dossiers WHERE id = ?1 OR code = upper(?1)");
	sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
	int sqlrc = sqlite3_step(q);
	int rc = DOCSTORE_OK;
	if (sqlrc == SQLITE_ROW) {
		snprintf(id, 37, "%s", (const char *)sqlite3_column_text(q, 0));
		*code = xstrdup((const char *)sqlite3_column_text(q, 1));
	} else if (sqlrc == SQLITE_DONE) {
		rc = refuse(err, "Không tìm thấy hồ sơ %s", key);
	} else {
		rc = fault(err, sqlrc, "Không đọc được hồ sơ");
	}
	sqlite3_finalize(q);
	return rc;
}

void docstore_components_release(struct docstore_components *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].name);
		free(c->v[i].doc_kind);
		free(c->v[i].doc_sha256);
	}
	FREE(&c->v);
	c->n = 0;
}

int docstore_components_load(struct store *st, const char *dossier_id,
			     struct docstore_components *out, struct strbuf *err)
{
	sqlite3_stmt *q = store_prepare(st,
		"SELECT c.seq, c.name, c.document_id IS NOT NULL, d.kind, d.pages, d.bytes,"
		" c.mandatory OR c.originals > 0 OR c.copies > 0 OR c.document_id IS NOT NULL,"
		" d.sha256"
		" FROM dossier_components c LEFT JOIN documents d ON d.id = c.document_id"
		" WHERE c.dossier_id = ? ORDER BY c.seq");
	sqlite3_bind_text(q, 1, dossier_id, -1, SQLITE_STATIC);
	size_t alloc = out->n;
	int sqlrc;
	while ((sqlrc = sqlite3_step(q)) == SQLITE_ROW) {
		if (out->n == alloc) {
			alloc = alloc ? 2 * alloc : 8;
			out->v = xrealloc(out->v, alloc * sizeof(*out->v));
		}
		out->v[out->n++] = (struct docstore_component){
			.seq = sqlite3_column_int(q, 0),
			.name = store_col_text(q, 1),
			.digitized = sqlite3_column_int(q, 2) != 0,
			.doc_kind = store_col_text(q, 3),
			.doc_pages = sqlite3_column_int(q, 4),
			.doc_bytes = sqlite3_column_int64(q, 5),
			.wanted = sqlite3_column_int(q, 6) != 0,
			.doc_sha256 = store_col_text(q, 7),
		};
	}
	sqlite3_finalize(q);
	return sqlrc == SQLITE_DONE ? DOCSTORE_OK : fault(err, sqlrc, "Không đọc được hồ sơ");
}
