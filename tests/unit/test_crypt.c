/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Personal data at rest, below the commands: sealed files (round trips at
 * every chunk edge, a cut or altered file refused, a store's folders sealed
 * and others not, a file sealed in place, the sweep of what killed writers
 * left), the encrypting VFS through the keys of a real store (a store
 * encrypted whole with nothing readable left in its file, its WAL or its
 * journal; opened again with a clerk's password and refused with a wrong
 * one; a WAL recovered after a crash and a journal played back; the name
 * search; a sort that spills to temporary files), and the secrets kept in
 * the store. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "client/base/files.h"
#include "client/base/sealed.h"
#include "client/store/auth.h"
#include "client/store/cryptvfs.h"
#include "client/store/dossier_query.h"
#include "client/store/import.h"
#include "client/store/keyring.h"
#include "client/store/store.h"
#include "core/xalloc.h"
#include "tests/unit/fixtures.h"

#define NAME "Phạm Thị Xuyến Đoàn"
#define NAME_FOLD "pham thi xuyen doan"
#define CCCD "079188004455"

/* Whether the file at path holds needle anywhere in its bytes. */
static bool file_has(const char *path, const char *needle)
{
	unsigned char *data = NULL;
	size_t n = 0, k = strlen(needle);
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	struct strbuf sb = STRBUF_INIT;
	char buf[65536];
	size_t r;
	while ((r = fread(buf, 1, sizeof buf, f)) > 0)
		strbuf_add(&sb, buf, r);
	fclose(f);
	data = (unsigned char *)sb.buf;
	n = sb.len;
	bool found = false;
	for (size_t i = 0; !found && k <= n && i + k <= n; i++)
		found = !memcmp(data + i, needle, k);
	strbuf_release(&sb);
	return found;
}

static long long size_of(const char *path)
{
	struct stat sb;
	return stat(path, &sb) ? -1 : (long long)sb.st_size;
}

/* ---- sealed files ---- */

static unsigned char test_key[SEALED_KEYBYTES];

static void test_sealed_round_trips(void **state)
{
	struct fixture *f = *state;
	randombytes_buf(test_key, sizeof test_key);
	assert_int_equal(sealed_register(f->path, test_key), 0);
	char *docs = xasprintf("%s/documents", f->dir), *other = xasprintf("%s/elsewhere", f->dir);
	assert_int_equal(mkdir(docs, 0700), 0);
	assert_int_equal(mkdir(other, 0700), 0);
	static const size_t sizes[] = { 0, 1, 65535, 65536, 65537, 131072, 200001 };
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		size_t n = sizes[i];
		unsigned char *data = xmalloc(n + 1);
		for (size_t j = 0; j < n; j++)
			data[j] = (unsigned char)(j * 7 + i);
		if (n > 20)
			memcpy(data + n / 2, CCCD, 12);
		char *p = xasprintf("%s/f%zu.pdf", docs, n);
		assert_int_equal(sealed_write_file(p, data, n), 0);
		assert_true(sealed_is_sealed(p));
		if (n > 20)
			assert_false(file_has(p, CCCD));
		struct stat sb;
		assert_int_equal(stat(p, &sb), 0);
		assert_int_equal(sb.st_mode & 0777, 0600);
		int fd = open(p, O_RDONLY);
		assert_int_equal(sealed_plain_size(fd), (long long)n);
		close(fd);
		unsigned char *back;
		size_t m;
		struct strbuf err = STRBUF_INIT;
		assert_int_equal(sealed_read_all(p, &back, &m, &err), 0);
		assert_int_equal(m, n);
		assert_memory_equal(back, data, n);
		free(back);
		/* the hash of a paper is its plaintext's */
		char hex[65], want[65];
		unsigned char d[32];
		crypto_hash_sha256(d, data, n);
		files_hex(d, 32, want);
		assert_int_equal(files_sha256(p, hex, &err), 0);
		assert_string_equal(hex, want);
		/* cut by one byte, or short of its last chunk: refused */
		assert_int_equal(truncate(p, sb.st_size - 1), 0);
		assert_int_equal(sealed_read_all(p, &back, &m, &err), -1);
		assert_non_null(strstr(err.buf, "không giải mã được"));
		strbuf_release(&err);
		unlink(p);
		free(p);
		free(data);
	}
	/* altered in the middle: refused */
	unsigned char big[100000] = { 0 };
	char *p = xasprintf("%s/altered.pdf", docs);
	assert_int_equal(sealed_write_file(p, big, sizeof big), 0);
	int fd = open(p, O_RDWR);
	/* flip the byte: writing a constant would change nothing one time in 256 */
	unsigned char x;
	assert_int_equal(pread(fd, &x, 1, 70000), 1);
	x ^= 0xff;
	assert_int_equal(pwrite(fd, &x, 1, 70000), 1);
	close(fd);
	unsigned char *back;
	size_t m;
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(sealed_read_all(p, &back, &m, &err), -1);
	assert_non_null(strstr(err.buf, "đã bị sửa"));
	strbuf_reset(&err);
	/* another folder stays plain */
	char *q = xasprintf("%s/plain.pdf", other);
	assert_int_equal(sealed_write_file(q, CCCD, 12), 0);
	assert_false(sealed_is_sealed(q));
	assert_true(file_has(q, CCCD));
	/* a plain file of a sealed folder reads as it is, and is sealed in place */
	char *r = xasprintf("%s/old.pdf", docs);
	FILE *o = fopen(r, "w");
	fputs("%PDF-1.4 " CCCD, o);
	fclose(o);
	assert_int_equal(sealed_read_all(r, &back, &m, &err), 0);
	assert_string_equal((char *)back, "%PDF-1.4 " CCCD);
	free(back);
	assert_int_equal(sealed_seal_in_place(r, &err), 1);
	assert_int_equal(sealed_seal_in_place(r, &err), 0);
	assert_false(file_has(r, CCCD));
	assert_int_equal(sealed_read_all(r, &back, &m, &err), 0);
	assert_string_equal((char *)back, "%PDF-1.4 " CCCD);
	free(back);
	/* once the store is forgotten, its sealed files do not open */
	sealed_forget(f->path);
	assert_int_equal(sealed_read_all(r, &back, &m, &err), -1);
	assert_non_null(strstr(err.buf, "đã được mã hóa"));
	strbuf_release(&err);
	free(p);
	free(q);
	free(r);
	free(docs);
	free(other);
}

/* files_write_atomic: the new content whole, the mode asked for, no .tmp
 * left; a place that cannot be written: -1 with a Vietnamese reason, the
 * old file untouched and no .tmp left either. */
static void test_write_atomic(void **state)
{
	struct fixture *f = *state;
	char *path = xasprintf("%s/report.csv", f->dir), *tmp = xasprintf("%s.tmp", path);
	struct strbuf err = STRBUF_INIT, got = STRBUF_INIT;
	mode_t mask = umask(022);
	assert_int_equal(files_write_atomic(path, "cũ\n", strlen("cũ\n"), 0640, &err), 0);
	assert_int_equal(files_write_atomic(path, "mới,1\r\n", strlen("mới,1\r\n"), 0640, &err), 0);
	umask(mask);
	assert_null(err.buf);
	assert_int_equal(files_read(path, &got), 0);
	assert_string_equal(got.buf, "mới,1\r\n");
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0640);
	assert_int_equal(access(tmp, F_OK), -1);

	char *nodir = xasprintf("%s/no/such/dir/x.csv", f->dir);
	assert_int_equal(files_write_atomic(nodir, "x", 1, 0644, &err), -1);
	assert_non_null(strstr(err.buf, "không ghi được tệp"));
	assert_non_null(strstr(err.buf, "thư mục không tồn tại"));
	strbuf_release(&err);
	/* the target a folder: the rename fails after the write, the .tmp goes */
	char *dir = xasprintf("%s/adir", f->dir), *dtmp = xasprintf("%s.tmp", dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(files_write_atomic(dir, "x", 1, 0644, &err), -1);
	assert_non_null(strstr(err.buf, "không ghi được tệp"));
	assert_int_equal(access(dtmp, F_OK), -1);
	strbuf_release(&got);
	assert_int_equal(files_read(path, &got), 0);
	assert_string_equal(got.buf, "mới,1\r\n");
	strbuf_release(&got);
	strbuf_release(&err);
	free(dir);
	free(dtmp);
	free(nodir);
	free(path);
	free(tmp);
}

static void test_sweep(void **state)
{
	struct fixture *f = *state;
	char *docs = xasprintf("%s/documents", f->dir);
	assert_int_equal(mkdir(docs, 0700), 0);
	char *stale = xasprintf("%s/X.pdf.tmp", docs), *busy = xasprintf("%s/Y.pdf.tmp", docs);
	char *fresh = xasprintf("%s/.incoming-1.pdf", docs), *old = xasprintf("%s/.incoming-2.pdf", docs);
	char *kept = xasprintf("%s/abc.pdf", docs);
	const char *all[] = { stale, fresh, old, kept };
	for (int i = 0; i < 4; i++)
		close(open(all[i], O_WRONLY | O_CREAT, 0600));
	struct sealed_out w;
	assert_int_equal(sealed_out_open(&w, busy), 0); /* a writer at work */
	char *touch = xasprintf("touch -d '2 hours ago' '%s'", old);
	assert_int_equal(system(touch), 0);
	free(touch);
	assert_int_equal(files_sweep_stale(docs), 2);
	assert_int_equal(access(stale, F_OK), -1);
	assert_int_equal(access(old, F_OK), -1);
	assert_int_equal(access(busy, F_OK), 0);
	assert_int_equal(access(fresh, F_OK), 0);
	assert_int_equal(access(kept, F_OK), 0);
	assert_int_equal(sealed_out_close(&w), 0);
	assert_int_equal(files_sweep_stale(docs), 1); /* no writer now */
	free(stale);
	free(busy);
	free(fresh);
	free(old);
	free(kept);
	free(docs);
}

/* ---- the encrypted store ---- */

static void insert_person(struct store *st, int i)
{
	exec_ok(st, "INSERT INTO dossiers(id, code, procedure_code, procedure_name, unit_code, clerk,"
		" status, received_at, appointment, applicant_name, applicant_fold, id_number,"
		" updated_at) VALUES ('id%d', 'H01.00004-250701-%04d', '1.001193', 'Khai sinh',"
		" '00004', 'canbo', 2, '2025-07-01T09:%02d', '2025-07-02T09:00', '" NAME " %d',"
		" '" NAME_FOLD " %d', '" CCCD "', '2025-07-01T09:00')",
		i, i, i % 60, i, i);
}

static int count(struct store *st, const char *sql)
{
	sqlite3_stmt *q = store_prepare(st, sql);
	int n = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int(q, 0) : -1;
	sqlite3_finalize(q);
	return n;
}

static void no_trace(const char *path)
{
	assert_false(file_has(path, NAME));
	assert_false(file_has(path, NAME_FOLD));
	assert_false(file_has(path, CCCD));
}

static void test_encrypted_store(void **state)
{
	struct fixture *f = *state;
	struct strbuf err = STRBUF_INIT;
	insert_person(&f->st, 1);
	char *wal = xasprintf("%s-wal", f->path);
	assert_true(file_has(f->path, CCCD) || file_has(wal, CCCD)); /* plain so far */
	assert_false(f->st.encrypted);
	/* the clerk's password opens it, nothing else does */
	assert_int_equal(keyring_encrypt(&f->st, "nobody1", "", NULL, &err), KEYRING_REFUSED);
	strbuf_reset(&err);
	assert_int_equal(keyring_encrypt(&f->st, DEMO_CLERK, DEMO_PASSWORD, NULL, &err), 0);
	assert_true(f->st.encrypted);
	assert_true(keyring_is_encrypted(f->path));
	assert_true(keyring_unlocked(f->path));
	assert_int_equal(count(&f->st, "SELECT count(*) FROM dossiers WHERE id_number = '" CCCD "'"), 1);
	no_trace(f->path);
	char *keys = xasprintf("%s.keys", f->path);
	struct stat sb;
	assert_int_equal(stat(keys, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(stat(f->path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(keyring_encrypt(&f->st, DEMO_CLERK, DEMO_PASSWORD, NULL, &err), KEYRING_REFUSED);
	strbuf_reset(&err);

	/* written while encrypted: the WAL has the pages, sealed */
	for (int i = 2; i < 400; i++)
		insert_person(&f->st, i);
	assert_true(size_of(wal) > 4096 * 10);
	no_trace(wal);
	no_trace(f->path);
	/* the name search, through the full-text index */
	assert_int_equal(count(&f->st, "SELECT count(*) FROM dossier_fts WHERE dossier_fts MATCH"
			       " 'xuyen* doan*'"), 399);

	/* A crash: the file and its WAL as they are now, copied with the keys. */
	char *crash = xasprintf("%s/crash.db", f->dir);
	char *crash_wal = xasprintf("%s-wal", crash), *crash_keys = xasprintf("%s.keys", crash);
	copy_file(f->path, crash);
	copy_file(wal, crash_wal);
	copy_file(keys, crash_keys);
	store_close(&f->st);
	keyring_lock(f->path);
	assert_false(keyring_unlocked(f->path));
	assert_int_equal(store_open(&f->st, f->path, 0, &err), -1);
	assert_non_null(strstr(err.buf, "đã được mã hóa"));
	strbuf_reset(&err);
	assert_int_equal(keyring_unlock(f->path, DEMO_CLERK, "sai", &err), KEYRING_REFUSED);
	assert_string_equal(err.buf, AUTH_BAD_LOGIN);
	strbuf_reset(&err);
	assert_int_equal(keyring_unlock(f->path, "ai-do", DEMO_PASSWORD, &err), KEYRING_REFUSED);
	strbuf_reset(&err);
	/* another store's keys file: refused, said so */
	assert_int_equal(keyring_unlock(crash, DEMO_CLERK, DEMO_PASSWORD, &err), 0);
	keyring_lock(crash);
	char *saved = xasprintf("%s.saved", keys);
	assert_int_equal(rename(keys, saved), 0);
	assert_int_equal(keyring_unlock(f->path, DEMO_CLERK, DEMO_PASSWORD, &err), KEYRING_FAULT);
	assert_non_null(strstr(err.buf, "thiếu tệp khóa"));
	strbuf_reset(&err);
	assert_int_equal(rename(saved, keys), 0);
	assert_int_equal(keyring_unlock(f->path, DEMO_CLERK, DEMO_PASSWORD, &err), 0);
	assert_int_equal(store_open(&f->st, f->path, 0, &err), 0);
	assert_int_equal(count(&f->st, "SELECT count(*) FROM dossiers WHERE id_number = '" CCCD "'"), 399);

	/* the crashed copy: SQLite recovers its WAL through the VFS */
	struct store c;
	assert_int_equal(keyring_unlock(crash, DEMO_CLERK, DEMO_PASSWORD, &err), 0);
	assert_int_equal(store_open(&c, crash, 0, &err), 0);
	assert_int_equal(count(&c, "SELECT count(*) FROM dossiers WHERE id_number = '" CCCD "'"), 399);
	assert_int_equal(count(&c, "SELECT count(*) FROM dossier_fts WHERE dossier_fts MATCH 'xuyen*'"), 399);
	sqlite3_stmt *q = store_prepare(&c, "PRAGMA quick_check");
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(q, 0), "ok");
	sqlite3_finalize(q);
	store_close(&c);
	no_trace(crash);

	/* another clerk's wrap: added, used, removed */
	assert_int_equal(keyring_set_user(f->path, "lanh.dao", "mật khẩu mới", &err), 0);
	assert_true(keyring_has_user(f->path, "lanh.dao"));
	char **users = keyring_users(f->path);
	assert_non_null(users);
	assert_string_equal(users[0], DEMO_CLERK);
	assert_string_equal(users[1], "lanh.dao");
	assert_null(users[2]);
	keyring_users_free(users);
	keyring_lock(crash);
	store_close(&f->st);
	keyring_lock(f->path);
	/* the same password typed decomposed (NFD) */
	assert_int_equal(keyring_unlock(f->path, "lanh.dao", "ma\xcc\xa3\xcc\x82t kha\xcc\x82\xcc\x89u mo\xcc\x9b\xcc\x81i", &err), 0);
	assert_int_equal(keyring_remove_user(f->path, "lanh.dao", &err), 0);
	keyring_lock(f->path);
	assert_int_equal(keyring_unlock(f->path, "lanh.dao", "mật khẩu mới", &err), KEYRING_REFUSED);
	strbuf_reset(&err);
	assert_int_equal(keyring_unlock(f->path, DEMO_CLERK, DEMO_PASSWORD, &err), 0);
	assert_int_equal(store_open(&f->st, f->path, 0, &err), 0);

	/* secrets: sealed under the store, opened back */
	char *sealed = keyring_seal_secret(f->path, "mc1_abcdef");
	assert_non_null(strstr(sealed, "sealed1:"));
	assert_null(strstr(sealed, "mc1_"));
	char *back = keyring_open_secret(f->path, sealed);
	assert_string_equal(back, "mc1_abcdef");
	keyring_free_secret(back);
	back = keyring_open_secret(crash, sealed); /* another store's key: no */
	assert_null(back);
	back = keyring_open_secret(f->path, "mc1_plain"); /* kept plain before */
	assert_string_equal(back, "mc1_plain");
	keyring_free_secret(back);
	free(sealed);
	strbuf_release(&err);
	free(keys);
	free(saved);
	free(wal);
	free(crash);
	free(crash_wal);
	free(crash_keys);
}

/* A rollback journal of an encrypted database, played back after a crash:
 * the pages it saved are sealed, and they come back. */
static void test_journal_playback(void **state)
{
	struct fixture *f = *state;
	struct strbuf err = STRBUF_INIT;
	for (int i = 1; i < 300; i++)
		insert_person(&f->st, i);
	assert_int_equal(keyring_encrypt(&f->st, DEMO_CLERK, DEMO_PASSWORD, NULL, &err), 0);
	exec_ok(&f->st, "PRAGMA journal_mode=DELETE");
	exec_ok(&f->st, "PRAGMA cache_size=2"); /* changed pages go to the file before COMMIT */
	exec_ok(&f->st, "BEGIN");
	exec_ok(&f->st, "UPDATE dossiers SET applicant_name = 'x', id_number = 'y'");
	exec_ok(&f->st, "DELETE FROM dossier_components");
	char *journal = xasprintf("%s-journal", f->path);
	assert_true(size_of(journal) > 8192);
	no_trace(journal);
	char *crash = xasprintf("%s/crash.db", f->dir);
	char *crash_journal = xasprintf("%s-journal", crash), *crash_keys = xasprintf("%s.keys", crash);
	char *keys = xasprintf("%s.keys", f->path);
	copy_file(f->path, crash);
	copy_file(journal, crash_journal);
	copy_file(keys, crash_keys);
	exec_ok(&f->st, "ROLLBACK");
	assert_int_equal(keyring_unlock(crash, DEMO_CLERK, DEMO_PASSWORD, &err), 0);
	struct store c;
	assert_int_equal(store_open(&c, crash, 0, &err), 0);
	assert_int_equal(count(&c, "SELECT count(*) FROM dossiers WHERE id_number = '" CCCD "'"), 299);
	sqlite3_stmt *q = store_prepare(&c, "PRAGMA quick_check");
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(q, 0), "ok");
	sqlite3_finalize(q);
	store_close(&c);
	keyring_lock(crash);
	strbuf_release(&err);
	free(journal);
	free(crash);
	free(crash_journal);
	free(crash_keys);
	free(keys);
}

/* A sort larger than the cache spills to temporary files, encrypted. */
static void test_temp_files(void **state)
{
	struct fixture *f = *state;
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(keyring_encrypt(&f->st, DEMO_CLERK, DEMO_PASSWORD, NULL, &err), 0);
	exec_ok(&f->st, "PRAGMA temp_store=FILE");
	exec_ok(&f->st, "PRAGMA cache_size=10");
	exec_ok(&f->st, "CREATE TEMP TABLE big(x TEXT)");
	exec_ok(&f->st, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)"
		" INSERT INTO big SELECT printf('%%08d-" CCCD "-%%s', (i * 7919) %% 20000, hex(randomblob(40)))"
		" FROM n");
	sqlite3_stmt *q = store_prepare(&f->st, "SELECT x FROM big ORDER BY x");
	int n = 0;
	char prev[128] = "";
	while (sqlite3_step(q) == SQLITE_ROW) {
		const char *x = (const char *)sqlite3_column_text(q, 0);
		assert_true(strcmp(prev, x) < 0);
		snprintf(prev, sizeof prev, "%s", x);
		n++;
	}
	sqlite3_finalize(q);
	assert_int_equal(n, 20000);
	strbuf_release(&err);
}

/* Waits for the viewer script's report (it runs in the background), at most
 * about ten seconds; its argument, or NULL. */
static char *viewer_arg(const char *script)
{
	char *argf = xasprintf("%s.arg", script);
	char *arg = NULL;
	for (int i = 0; i < 1000 && !arg; i++) {
		FILE *fp = fopen(argf, "r");
		if (fp) {
			char buf[4096];
			size_t n = fread(buf, 1, sizeof buf - 1, fp);
			buf[n] = '\0';
			fclose(fp);
			arg = xstrdup(buf);
		} else {
			usleep(10000);
		}
	}
	unlink(argf);
	free(argf);
	return arg;
}

/* A sealed paper opens in the viewer from a plaintext copy in a private
 * folder in memory; a plain one as it is. */
static void test_viewer_of_sealed(void **state)
{
	struct fixture *f = *state;
	randombytes_buf(test_key, sizeof test_key);
	assert_int_equal(sealed_register(f->path, test_key), 0);
	char *docs = xasprintf("%s/documents", f->dir), *run = xasprintf("%s/run", f->dir);
	assert_int_equal(mkdir(docs, 0700), 0);
	assert_int_equal(mkdir(run, 0700), 0);
	setenv("XDG_RUNTIME_DIR", run, 1);
	char *script = xasprintf("%s/view.sh", f->dir);
	FILE *fp = fopen(script, "w");
	assert_non_null(fp);
	fputs("#!/bin/sh\ncp \"$1\" \"$0.out\"\nprintf %s \"$1\" >\"$0.tmp\"\nmv \"$0.tmp\" \"$0.arg\"\n", fp);
	fclose(fp);
	assert_int_equal(chmod(script, 0700), 0);
	setenv("MOTCUA_VIEWER", script, 1);

	const char text[] = "%PDF-1.4 giấy khai sinh " CCCD;
	char *paper = xasprintf("%s/paper.pdf", docs);
	assert_int_equal(sealed_write_file(paper, text, sizeof text - 1), 0);
	assert_true(sealed_is_sealed(paper));
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(files_open(paper, NULL, &err), 0);
	char *arg = viewer_arg(script);
	assert_non_null(arg);
	assert_true(!strncmp(arg, run, strlen(run)) && arg[strlen(run)] == '/');
	struct stat sb;
	assert_int_equal(stat(arg, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	char *out = xasprintf("%s.out", script);
	assert_true(file_has(out, CCCD)); /* the viewer got the plaintext */
	assert_false(file_has(paper, CCCD));
	free(arg);

	/* a plain file elsewhere: as it is */
	char *plain = xasprintf("%s/plain.pdf", f->dir);
	fp = fopen(plain, "w");
	assert_non_null(fp);
	fputs("%PDF-1.4", fp);
	fclose(fp);
	assert_int_equal(files_open(plain, NULL, &err), 0);
	arg = viewer_arg(script);
	assert_non_null(arg);
	assert_string_equal(arg, plain);

	sealed_forget(f->path);
	unsetenv("MOTCUA_VIEWER");
	unsetenv("XDG_RUNTIME_DIR");
	strbuf_release(&err);
	free(arg);
	free(out);
	free(plain);
	free(paper);
	free(script);
	free(run);
	free(docs);
}

FIXTURE_MAIN("crypt", test_sealed_round_trips, test_write_atomic, test_sweep, test_viewer_of_sealed,
	     test_encrypted_store, test_journal_playback, test_temp_files)
