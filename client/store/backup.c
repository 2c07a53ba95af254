/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "client/store/backup.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "client/base/files.h"

#define BACKUP_STEP_PAGES 256

/* The first result of sql as a number; -1 when it fails. */
static long one_number(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *q = NULL;
	long n = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return n;
}

static char *one_text(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *q = NULL;
	char *s = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
		s = store_col_text(q, 0);
	sqlite3_finalize(q);
	return s;
}

/* quick_check's verdict on db: 0 "ok"; -1 with up to three of its lines. */
static int quick_check(sqlite3 *db, struct strbuf *err)
{
	sqlite3_stmt *q = NULL;
	int rc = sqlite3_prepare_v2(db, "PRAGMA quick_check(3)", -1, &q, NULL);
	if (rc != SQLITE_OK) {
		strbuf_addf(err, "%s (%s)", store_errmsg_vn(rc), sqlite3_errmsg(db));
		sqlite3_finalize(q);
		return -1;
	}
	bool ok = false;
	int n = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *line = (const char *)sqlite3_column_text(q, 0);
		if (n == 0 && line && !strcmp(line, "ok"))
			ok = true;
		else
			strbuf_addf(err, "%s%s", n ? "; " : "", line ? line : "?");
		n++;
	}
	if (rc != SQLITE_DONE) {
		strbuf_addf(err, "%s%s (%s)", n ? "; " : "", store_errmsg_vn(rc), sqlite3_errmsg(db));
		ok = false;
	}
	sqlite3_finalize(q);
	return ok ? 0 : -1;
}

int store_quick_check(struct store *st, struct strbuf *err)
{
	return quick_check(st->db, err);
}

long store_count_dossiers(struct store *st)
{
	return one_number(st->db, "SELECT count(*) FROM dossiers");
}

long store_count_unsent(struct store *st)
{
	return one_number(st->db, "SELECT count(*) FROM outbox WHERE state IN ('pending', 'sending')");
}

long store_count_unsent_missing(struct store *st, const char *copy_path)
{
	sqlite3 *copy = NULL;
	if (sqlite3_open_v2(copy_path, &copy, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		sqlite3_close_v2(copy);
		return -1;
	}
	sqlite3_stmt *has = NULL;
	long missing = -1;
	if (sqlite3_prepare_v2(copy, "SELECT 1 FROM outbox WHERE op_id = ?", -1, &has, NULL) ==
	    SQLITE_OK) {
		sqlite3_stmt *q = store_prepare(st, "SELECT op_id FROM outbox"
						    " WHERE state IN ('pending', 'sending')");
		int rc;
		missing = 0;
		while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
			sqlite3_bind_text(has, 1, (const char *)sqlite3_column_text(q, 0), -1,
					  SQLITE_TRANSIENT);
			if (sqlite3_step(has) != SQLITE_ROW)
				missing++;
			sqlite3_reset(has);
		}
		if (rc != SQLITE_DONE)
			missing = -1;
		sqlite3_finalize(q);
	}
	sqlite3_finalize(has);
	sqlite3_close_v2(copy);
	return missing;
}

void store_probe_release(struct store_probe *p)
{
	FREE(&p->problem);
	FREE(&p->unit_code);
	FREE(&p->unit_ident);
}

int store_probe_file(const char *path, struct store_probe *out, struct strbuf *err)
{
	memset(out, 0, sizeof(*out));
	out->dossiers = out->unsent = -1;
	struct stat sb;
	if (stat(path, &sb) || !S_ISREG(sb.st_mode)) {
		strbuf_addf(err, "không có tệp %s", path);
		return -1;
	}
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		strbuf_addf(err, "không mở được %s: %s", path, store_errmsg_vn(rc));
		sqlite3_close_v2(db);
		return -1;
	}
	out->schema = (int)one_number(db, "PRAGMA user_version");
	if (out->schema < 0) {
		strbuf_addf(err, "%s không phải kho dữ liệu motcua hoặc đã hỏng", path);
		goto fail;
	}
	if (out->schema == 0 ||
	    one_number(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'settings'") != 1) {
		strbuf_addf(err, "%s không phải kho dữ liệu motcua", path);
		goto fail;
	}
	if (out->schema > store_schema_version()) {
		strbuf_addf(err, "%s có phiên bản %d, mới hơn chương trình này (%d); hãy cập nhật motcua",
			    path, out->schema, store_schema_version());
		goto fail;
	}
	struct strbuf why = STRBUF_INIT;
	out->intact = quick_check(db, &why) == 0;
	out->problem = out->intact ? NULL : strbuf_detach(&why);
	strbuf_release(&why);
	out->unit_code = one_text(db, "SELECT value FROM settings WHERE key = 'unit_code'");
	out->unit_ident = one_text(db, "SELECT value FROM settings WHERE key = 'unit_ident'");
	out->dossiers = one_number(db, "SELECT count(*) FROM dossiers");
	out->unsent = one_number(db, "SELECT count(*) FROM outbox WHERE state IN ('pending', 'sending')");
	sqlite3_close_v2(db);
	return 0;
fail:
	sqlite3_close_v2(db);
	store_probe_release(out);
	return -1;
}

static void pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* Copies src's main database into dst's, BACKUP_STEP_PAGES at a time. */
static int copy_pages(sqlite3 *dst, sqlite3 *src, struct progress *progress, struct strbuf *err)
{
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	if (!b) {
		strbuf_addf(err, "không bắt đầu sao chép được: %s", sqlite3_errmsg(dst));
		return -1;
	}
	int rc;
	int busy = 0;
	while ((rc = sqlite3_backup_step(b, BACKUP_STEP_PAGES)) == SQLITE_OK || rc == SQLITE_BUSY ||
	       rc == SQLITE_LOCKED) {
		if (rc != SQLITE_OK) {
			if (++busy > 500) /* five seconds, like the store's busy timeout */
				break;
			pause_ms(10);
			continue;
		}
		busy = 0;
		if (progress) {
			int total = sqlite3_backup_pagecount(b);
			progress_total(progress, total);
			progress_set(progress, total - sqlite3_backup_remaining(b));
		}
	}
	if (progress && rc == SQLITE_DONE)
		progress_set(progress, sqlite3_backup_pagecount(b));
	int frc = sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE || frc != SQLITE_OK) {
		int e = rc != SQLITE_DONE ? rc : frc;
		strbuf_addf(err, "sao chép kho dữ liệu không xong: %s (%s)", store_errmsg_vn(e),
			    sqlite3_errstr(e));
		return -1;
	}
	return 0;
}

int store_backup(struct store *st, const char *path, struct progress *progress, long *dossiers,
		 struct strbuf *err)
{
	*dossiers = -1;
	if (!access(path, F_OK)) {
		strbuf_addf(err, "tệp %s đã có; chọn tên khác (bản sao lưu không ghi đè)", path);
		return -1;
	}
	char *tmp = xasprintf("%s.tmp", path);
	char *journal = xasprintf("%s.tmp-journal", path);
	unlink(tmp);
	unlink(journal);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		strbuf_addf(err, "không tạo được tệp %s: %s", tmp, strerror(errno));
		free(tmp);
		free(journal);
		return -1;
	}
	close(fd);
	sqlite3 *dst = NULL;
	int rc = sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	long count = -1;
	bool snapshot = false;
	if (rc != SQLITE_OK) {
		strbuf_addf(err, "không mở được tệp %s: %s", tmp, store_errmsg_vn(rc));
		goto fail;
	}
	/* one read snapshot: the count and the pages are of the same moment,
	 * whatever the TUI writes meanwhile (WAL) */
	if (store_exec(st, "BEGIN", err))
		goto fail;
	snapshot = true;
	count = store_count_dossiers(st);
	if (count < 0) {
		strbuf_addf(err, "không đọc được kho dữ liệu: %s", sqlite3_errmsg(st->db));
		goto fail;
	}
	if (copy_pages(dst, st->db, progress, err))
		goto fail;
	store_exec(st, "COMMIT", NULL);
	snapshot = false;
	/* a file of its own: no -wal beside it */
	char *msg = NULL;
	if (sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, &msg) != SQLITE_OK) {
		strbuf_addf(err, "không hoàn tất được bản sao: %s", msg ? msg : "?");
		sqlite3_free(msg);
		goto fail;
	}
	sqlite3_close_v2(dst);
	dst = NULL;

	struct store_probe pr;
	if (store_probe_file(tmp, &pr, err))
		goto fail;
	bool good = pr.intact && pr.dossiers == count;
	if (!pr.intact)
		strbuf_addf(err, "bản sao không nguyên vẹn: %s", pr.problem ? pr.problem : "?");
	else if (!good)
		strbuf_addf(err, "bản sao có %ld hồ sơ, kho có %ld", pr.dossiers, count);
	store_probe_release(&pr);
	if (!good)
		goto fail;
	if (chmod(tmp, 0600) || files_fsync(tmp) || rename(tmp, path)) {
		strbuf_addf(err, "không ghi được %s: %s", path, strerror(errno));
		goto fail;
	}
	files_sync_dir(path);
	*dossiers = count;
	free(tmp);
	free(journal);
	return 0;
fail:
	if (snapshot)
		store_exec(st, "ROLLBACK", NULL);
	if (dst)
		sqlite3_close_v2(dst);
	unlink(tmp);
	unlink(journal);
	free(tmp);
	free(journal);
	return -1;
}

/* ---- restore ------------------------------------------------------------- */

/* What the workstation keeps across a restore: the rows of the numbering
 * tables, and sync_state's identity columns. Read before, written after. */
static const char *const keep_tables[] = { "code_seq", "code_fallback", "sync_leases",
					   "sync_state" };

static const char *const keep_sql[] = {
	"INSERT INTO code_seq(unit_ident, day, last) SELECT unit_ident, day, last FROM keep.code_seq"
	" WHERE true ON CONFLICT(unit_ident, day) DO UPDATE SET last = max(last, excluded.last)",
	"INSERT INTO code_fallback(unit_ident, day, last) SELECT unit_ident, day, last"
	" FROM keep.code_fallback WHERE true"
	" ON CONFLICT(unit_ident, day) DO UPDATE SET last = max(last, excluded.last)",
	"INSERT OR IGNORE INTO sync_leases(unit_ident, day, first, last, obtained_at)"
	" SELECT unit_ident, day, first, last, obtained_at FROM keep.sync_leases",
	"UPDATE sync_state SET (server_url, device_id, device_name, username, token, ca_file) ="
	" (SELECT server_url, device_id, device_name, username, token, ca_file FROM keep.sync_state"
	" WHERE id = 1) WHERE id = 1 AND EXISTS(SELECT 1 FROM keep.sync_state"
	" WHERE id = 1 AND device_id IS NOT NULL)",
};

int store_restore(struct store *st, const char *src_path, struct progress *progress,
		  struct strbuf *err)
{
	sqlite3 *src = NULL;
	int rc = sqlite3_open_v2(src_path, &src, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		strbuf_addf(err, "không mở được %s: %s", src_path, store_errmsg_vn(rc));
		sqlite3_close_v2(src);
		return -1;
	}
	/* what st holds now, kept in memory while its pages are replaced */
	int ret = -1;
	if (store_exec(st, "ATTACH ':memory:' AS keep", err))
		goto out;
	for (size_t i = 0; i < sizeof(keep_tables) / sizeof(keep_tables[0]); i++) {
		char *sql = xasprintf("CREATE TABLE keep.%s AS SELECT * FROM main.%s", keep_tables[i],
				      keep_tables[i]);
		int e = store_exec(st, sql, err);
		free(sql);
		if (e)
			goto detach;
	}
	if (copy_pages(st->db, src, progress, err))
		goto detach;
	/* an older copy is brought to this schema before the rows come back */
	if (store_exec(st, "PRAGMA journal_mode=WAL", err) || store_upgrade(st, err) ||
	    store_begin(st, err))
		goto detach;
	for (size_t i = 0; i < sizeof(keep_sql) / sizeof(keep_sql[0]); i++)
		if (store_exec(st, keep_sql[i], err)) {
			store_rollback(st);
			goto detach;
		}
	if (store_commit(st, err))
		goto detach;
	ret = 0;
detach:
	store_exec(st, "DETACH keep", NULL);
out:
	sqlite3_close_v2(src);
	return ret;
}
