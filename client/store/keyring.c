/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The keys of an encrypted store: see keyring.h and docs/security.md. */
#include "client/store/keyring.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "client/base/files.h"
#include "client/base/sealed.h"
#include "client/store/auth.h"
#include "client/store/cryptvfs.h"
#include "core/text.h"

#define DATA_KEYBYTES crypto_kdf_KEYBYTES
#define SALT_BYTES crypto_pwhash_SALTBYTES
#define WRAPPED_BYTES (DATA_KEYBYTES + crypto_secretbox_MACBYTES)
#define MAX_STORES 8
#define SECRET_PREFIX "sealed1:"

/* The subkeys of a data key (crypto_kdf, context and number). */
#define KDF_CONTEXT "motcuak1"
enum { SUBKEY_PAGES = 1, SUBKEY_FILES = 2, SUBKEY_SECRETS = 3 };

/* The stores unlocked in this process: their data keys, in locked memory. */
static struct {
	char *path; /* realpath of the database */
	unsigned char *key; /* sodium_malloc'd */
} unlocked[MAX_STORES];
static pthread_mutex_t unlocked_lock = PTHREAD_MUTEX_INITIALIZER;

static char *real_db_path(const char *db_path)
{
	char *copy = xstrdup(db_path), *copy2 = xstrdup(db_path);
	char *dir = realpath(dirname(copy), NULL);
	char *out = dir ? xasprintf("%s/%s", dir, basename(copy2)) : NULL;
	free(dir);
	free(copy);
	free(copy2);
	return out;
}

static char *keys_path(const char *db_path)
{
	return xasprintf("%s" KEYRING_SUFFIX, db_path);
}

static void subkey(const unsigned char *key, int id, unsigned char out[32])
{
	crypto_kdf_derive_from_key(out, 32, (uint64_t)id, KDF_CONTEXT, key);
}

/* The data key of the store at db_path into key; false when locked. */
static bool data_key(const char *db_path, unsigned char key[DATA_KEYBYTES])
{
	char *real = real_db_path(db_path);
	bool found = false;
	if (!real)
		return false;
	pthread_mutex_lock(&unlocked_lock);
	for (int i = 0; i < MAX_STORES && !found; i++) {
		if (unlocked[i].path && !strcmp(unlocked[i].path, real)) {
			memcpy(key, unlocked[i].key, DATA_KEYBYTES);
			found = true;
		}
	}
	pthread_mutex_unlock(&unlocked_lock);
	free(real);
	return found;
}

/* Remembers key as the data key of db_path and registers its subkeys. */
static int remember(const char *db_path, const unsigned char key[DATA_KEYBYTES])
{
	char *real = real_db_path(db_path);
	if (!real)
		return -1;
	unsigned char pages[32], files[32];
	subkey(key, SUBKEY_PAGES, pages);
	subkey(key, SUBKEY_FILES, files);
	int rc = cryptvfs_set_key(db_path, pages) || sealed_register(db_path, files) ? -1 : 0;
	sodium_memzero(pages, sizeof(pages));
	sodium_memzero(files, sizeof(files));
	pthread_mutex_lock(&unlocked_lock);
	int slot = -1;
	for (int i = 0; i < MAX_STORES; i++) {
		if (unlocked[i].path && !strcmp(unlocked[i].path, real)) {
			slot = i;
			break;
		}
		if (!unlocked[i].path && slot < 0)
			slot = i;
	}
	if (!rc && slot >= 0) {
		if (!unlocked[slot].key)
			unlocked[slot].key = sodium_malloc(DATA_KEYBYTES);
		free(unlocked[slot].path);
		unlocked[slot].path = real;
		real = NULL;
		memcpy(unlocked[slot].key, key, DATA_KEYBYTES);
	}
	pthread_mutex_unlock(&unlocked_lock);
	free(real);
	return rc || slot < 0 ? -1 : 0;
}

void keyring_lock(const char *db_path)
{
	char *real = real_db_path(db_path);
	cryptvfs_forget(db_path);
	sealed_forget(db_path);
	if (!real)
		return;
	pthread_mutex_lock(&unlocked_lock);
	for (int i = 0; i < MAX_STORES; i++) {
		if (unlocked[i].path && !strcmp(unlocked[i].path, real)) {
			FREE(&unlocked[i].path);
			sodium_free(unlocked[i].key);
			unlocked[i].key = NULL;
		}
	}
	pthread_mutex_unlock(&unlocked_lock);
	free(real);
}

bool keyring_is_encrypted(const char *db_path)
{
	unsigned char id[CRYPTVFS_IDBYTES];
	return cryptvfs_probe(db_path, id) == CRYPTVFS_ENCRYPTED;
}

bool keyring_unlocked(const char *db_path)
{
	unsigned char key[DATA_KEYBYTES];
	bool found = data_key(db_path, key);
	sodium_memzero(key, sizeof(key));
	return found;
}

/* ---- the keys file ---- */

static const char keys_schema[] =
	"CREATE TABLE IF NOT EXISTS keyring(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TABLE IF NOT EXISTS slots(username TEXT PRIMARY KEY, salt BLOB NOT NULL,"
	" opslimit INTEGER NOT NULL, memlimit INTEGER NOT NULL, nonce BLOB NOT NULL,"
	" wrapped BLOB NOT NULL);";

static int keys_fault(struct strbuf *err, const char *path, sqlite3 *db, int rc)
{
	strbuf_addf(err, "không dùng được tệp khóa %s: %s (%s)", path, store_errmsg_vn(rc),
		    db ? sqlite3_errmsg(db) : "?");
	return KEYRING_FAULT;
}

/* Opens the keys file of db_path (created, mode 0600, when create). */
static int keys_open(const char *db_path, bool create, sqlite3 **db, struct strbuf *err)
{
	char *path = keys_path(db_path);
	*db = NULL;
	if (create) {
		int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
		if (fd >= 0)
			close(fd);
	} else if (access(path, F_OK)) {
		strbuf_addf(err, "thiếu tệp khóa %s của kho dữ liệu mã hóa: hãy chép lại tệp này từ"
			    " bản sao lưu (cùng thư mục với kho)", path);
		free(path);
		return KEYRING_FAULT;
	}
	store_sqlite_init();
	int rc = sqlite3_open_v2(path, db, (create ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
					     : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_busy_timeout(*db, 5000);
		rc = sqlite3_exec(*db, keys_schema, NULL, NULL, NULL);
	}
	if (rc != SQLITE_OK) {
		keys_fault(err, path, *db, rc);
		sqlite3_close_v2(*db);
		*db = NULL;
		free(path);
		return KEYRING_FAULT;
	}
	free(path);
	return 0;
}

static char *keys_get(sqlite3 *db, const char *key)
{
	sqlite3_stmt *q = NULL;
	char *v = NULL;
	if (sqlite3_prepare_v2(db, "SELECT value FROM keyring WHERE key = ?", -1, &q, NULL) ==
	    SQLITE_OK) {
		sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
		if (sqlite3_step(q) == SQLITE_ROW)
			v = xstrdup((const char *)sqlite3_column_text(q, 0));
	}
	sqlite3_finalize(q);
	return v;
}

static int keys_set(sqlite3 *db, const char *key, const char *value)
{
	sqlite3_stmt *q = NULL;
	int rc = sqlite3_prepare_v2(db, "INSERT INTO keyring(key, value) VALUES (?, ?)"
				    " ON CONFLICT(key) DO UPDATE SET value = excluded.value", -1, &q,
				    NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, value, -1, SQLITE_STATIC);
		rc = sqlite3_step(q) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db);
	}
	sqlite3_finalize(q);
	return rc;
}

/* The key that wraps the data key for username: Argon2id of the password
 * (NFC, like auth.c), then bound to the username. */
static int wrap_key(const char *username, const char *password, const unsigned char *salt,
		    unsigned long long ops, size_t mem, unsigned char out[crypto_secretbox_KEYBYTES])
{
	char *nfc = mc_text_nfc(password ? password : "");
	unsigned char kek[32];
	int rc = crypto_pwhash(kek, sizeof(kek), nfc, strlen(nfc), salt, ops, mem,
			       crypto_pwhash_ALG_ARGON2ID13);
	sodium_memzero(nfc, strlen(nfc));
	free(nfc);
	if (rc)
		return -1;
	crypto_generichash(out, crypto_secretbox_KEYBYTES, (const unsigned char *)username,
			   strlen(username), kek, sizeof(kek));
	sodium_memzero(kek, sizeof(kek));
	return 0;
}

/* Writes username's wrap of key (in the caller's transaction). */
static int put_slot(sqlite3 *db, const char *username, const char *password,
		    const unsigned char key[DATA_KEYBYTES], struct strbuf *err)
{
	unsigned char salt[SALT_BYTES], nonce[crypto_secretbox_NONCEBYTES], wk[crypto_secretbox_KEYBYTES];
	unsigned char wrapped[WRAPPED_BYTES];
	randombytes_buf(salt, sizeof(salt));
	randombytes_buf(nonce, sizeof(nonce));
	if (wrap_key(username, password, salt, AUTH_PWHASH_OPSLIMIT, AUTH_PWHASH_MEMLIMIT, wk)) {
		strbuf_addstr(err, "không đủ bộ nhớ để băm mật khẩu");
		return KEYRING_FAULT;
	}
	crypto_secretbox_easy(wrapped, key, DATA_KEYBYTES, nonce, wk);
	sodium_memzero(wk, sizeof(wk));
	sqlite3_stmt *q = NULL;
	int rc = sqlite3_prepare_v2(db, "INSERT INTO slots(username, salt, opslimit, memlimit, nonce,"
				    " wrapped) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(username) DO UPDATE"
				    " SET salt = excluded.salt, opslimit = excluded.opslimit,"
				    " memlimit = excluded.memlimit, nonce = excluded.nonce,"
				    " wrapped = excluded.wrapped", -1, &q, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(q, 1, username, -1, SQLITE_STATIC);
		sqlite3_bind_blob(q, 2, salt, sizeof(salt), SQLITE_STATIC);
		sqlite3_bind_int64(q, 3, (sqlite3_int64)AUTH_PWHASH_OPSLIMIT);
		sqlite3_bind_int64(q, 4, (sqlite3_int64)AUTH_PWHASH_MEMLIMIT);
		sqlite3_bind_blob(q, 5, nonce, sizeof(nonce), SQLITE_STATIC);
		sqlite3_bind_blob(q, 6, wrapped, sizeof(wrapped), SQLITE_STATIC);
		rc = sqlite3_step(q) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db);
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_OK) {
		strbuf_addf(err, "không ghi được khóa của cán bộ '%s': %s", username,
			    store_errmsg_vn(rc));
		return KEYRING_FAULT;
	}
	return 0;
}

static void hex_of(const unsigned char *d, size_t n, char *out)
{
	files_hex(d, n, out);
}

int keyring_unlock(const char *db_path, const char *username, const char *password,
		   struct strbuf *err)
{
	unsigned char id[CRYPTVFS_IDBYTES];
	if (cryptvfs_probe(db_path, id) != CRYPTVFS_ENCRYPTED) {
		strbuf_addf(err, "kho dữ liệu %s không được mã hóa", db_path);
		return KEYRING_REFUSED;
	}
	if (sodium_init() < 0) {
		strbuf_addstr(err, "không khởi động được thư viện mật mã (libsodium)");
		return KEYRING_FAULT;
	}
	sqlite3 *db;
	int rc = keys_open(db_path, false, &db, err);
	if (rc)
		return rc;
	char *want = keys_get(db, "key_id");
	sqlite3_stmt *q = NULL;
	sqlite3_prepare_v2(db, "SELECT salt, opslimit, memlimit, nonce, wrapped FROM slots"
			   " WHERE username = ?", -1, &q, NULL);
	sqlite3_bind_text(q, 1, username ? username : "", -1, SQLITE_STATIC);
	/* An unknown username costs the same Argon2id as a known one. */
	unsigned char salt[SALT_BYTES] = { 0 }, nonce[crypto_secretbox_NONCEBYTES] = { 0 };
	unsigned char wrapped[WRAPPED_BYTES] = { 0 };
	unsigned long long ops = AUTH_PWHASH_OPSLIMIT;
	size_t mem = AUTH_PWHASH_MEMLIMIT;
	bool found = false;
	if (q && sqlite3_step(q) == SQLITE_ROW && sqlite3_column_bytes(q, 0) == SALT_BYTES &&
	    sqlite3_column_bytes(q, 3) == (int)sizeof(nonce) &&
	    sqlite3_column_bytes(q, 4) == WRAPPED_BYTES) {
		memcpy(salt, sqlite3_column_blob(q, 0), SALT_BYTES);
		sqlite3_int64 o = sqlite3_column_int64(q, 1), m = sqlite3_column_int64(q, 2);
		memcpy(nonce, sqlite3_column_blob(q, 3), sizeof(nonce));
		memcpy(wrapped, sqlite3_column_blob(q, 4), WRAPPED_BYTES);
		/* costs within libsodium's bounds and no dearer than a sensitive hash */
		if (o >= (sqlite3_int64)crypto_pwhash_OPSLIMIT_MIN &&
		    o <= (sqlite3_int64)crypto_pwhash_OPSLIMIT_SENSITIVE &&
		    m >= (sqlite3_int64)crypto_pwhash_MEMLIMIT_MIN &&
		    m <= (sqlite3_int64)crypto_pwhash_MEMLIMIT_SENSITIVE) {
			ops = (unsigned long long)o;
			mem = (size_t)m;
			found = true;
		}
	}
	sqlite3_finalize(q);
	sqlite3_close_v2(db);

	unsigned char wk[crypto_secretbox_KEYBYTES], key[DATA_KEYBYTES];
	rc = 0;
	if (wrap_key(username ? username : "", password, salt, ops, mem, wk)) {
		strbuf_addstr(err, "không đủ bộ nhớ để băm mật khẩu");
		rc = KEYRING_FAULT;
	} else if (crypto_secretbox_open_easy(key, wrapped, WRAPPED_BYTES, nonce, wk) || !found) {
		strbuf_addstr(err, AUTH_BAD_LOGIN);
		rc = KEYRING_REFUSED;
	} else {
		unsigned char pages[32], have[CRYPTVFS_IDBYTES];
		char hex[2 * CRYPTVFS_IDBYTES + 1];
		subkey(key, SUBKEY_PAGES, pages);
		cryptvfs_key_id(pages, have);
		sodium_memzero(pages, sizeof(pages));
		hex_of(have, sizeof(have), hex);
		if (memcmp(have, id, sizeof(id)) || !want || strcmp(want, hex)) {
			strbuf_addf(err, "tệp khóa %s" KEYRING_SUFFIX " không thuộc kho dữ liệu này"
				    " (chép nhầm từ máy khác?)", db_path);
			rc = KEYRING_FAULT;
		} else if (remember(db_path, key)) {
			strbuf_addf(err, "không ghi nhớ được khóa của kho dữ liệu %s", db_path);
			rc = KEYRING_FAULT;
		}
	}
	sodium_memzero(wk, sizeof(wk));
	sodium_memzero(key, sizeof(key));
	free(want);
	return rc;
}

char **keyring_users(const char *db_path)
{
	struct strbuf ignored = STRBUF_INIT;
	sqlite3 *db;
	char **users = NULL;
	size_t n = 0;
	if (!keys_open(db_path, false, &db, &ignored)) {
		sqlite3_stmt *q = NULL;
		sqlite3_prepare_v2(db, "SELECT username FROM slots ORDER BY username", -1, &q, NULL);
		while (q && sqlite3_step(q) == SQLITE_ROW) {
			users = xrealloc(users, (n + 2) * sizeof(*users));
			users[n++] = xstrdup((const char *)sqlite3_column_text(q, 0));
			users[n] = NULL;
		}
		sqlite3_finalize(q);
		sqlite3_close_v2(db);
	}
	strbuf_release(&ignored);
	return users;
}

void keyring_users_free(char **users)
{
	for (size_t i = 0; users && users[i]; i++)
		free(users[i]);
	free(users);
}

bool keyring_has_user(const char *db_path, const char *username)
{
	char **users = keyring_users(db_path);
	bool found = false;
	for (size_t i = 0; users && users[i] && !found; i++)
		found = !strcmp(users[i], username);
	keyring_users_free(users);
	return found;
}

int keyring_set_user(const char *db_path, const char *username, const char *password,
		     struct strbuf *err)
{
	if (!keyring_is_encrypted(db_path))
		return 0;
	unsigned char key[DATA_KEYBYTES];
	if (!data_key(db_path, key)) {
		strbuf_addstr(err, "kho dữ liệu mã hóa chưa được mở bằng mật khẩu");
		return KEYRING_REFUSED;
	}
	sqlite3 *db;
	int rc = keys_open(db_path, false, &db, err);
	if (!rc) {
		rc = put_slot(db, username, password, key, err);
		sqlite3_close_v2(db);
	}
	sodium_memzero(key, sizeof(key));
	return rc;
}

int keyring_remove_user(const char *db_path, const char *username, struct strbuf *err)
{
	if (!keyring_is_encrypted(db_path))
		return 0;
	sqlite3 *db;
	int rc = keys_open(db_path, false, &db, err);
	if (rc)
		return rc;
	sqlite3_stmt *q = NULL;
	int src = sqlite3_prepare_v2(db, "DELETE FROM slots WHERE username = ?", -1, &q, NULL);
	if (src == SQLITE_OK) {
		sqlite3_bind_text(q, 1, username, -1, SQLITE_STATIC);
		src = sqlite3_step(q) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db);
	}
	sqlite3_finalize(q);
	if (src != SQLITE_OK) {
		char *path = keys_path(db_path);
		rc = keys_fault(err, path, db, src);
		free(path);
	}
	sqlite3_close_v2(db);
	return rc;
}

/* ---- secrets ---- */

char *keyring_seal_secret(const char *db_path, const char *plain)
{
	unsigned char key[DATA_KEYBYTES], sk[32];
	if (!plain || !data_key(db_path, key))
		return plain ? xstrdup(plain) : NULL;
	subkey(key, SUBKEY_SECRETS, sk);
	sodium_memzero(key, sizeof(key));
	size_t n = strlen(plain);
	size_t blen = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + n;
	unsigned char *box = xmalloc(blen);
	randombytes_buf(box, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES, (const unsigned char *)plain, n, box,
			      sk);
	sodium_memzero(sk, sizeof(sk));
	size_t b64 = sodium_base64_ENCODED_LEN(blen, sodium_base64_VARIANT_ORIGINAL);
	char *out = xmalloc(sizeof(SECRET_PREFIX) + b64);
	memcpy(out, SECRET_PREFIX, sizeof(SECRET_PREFIX) - 1);
	sodium_bin2base64(out + sizeof(SECRET_PREFIX) - 1, b64, box, blen,
			  sodium_base64_VARIANT_ORIGINAL);
	free(box);
	return out;
}

char *keyring_open_secret(const char *db_path, const char *stored)
{
	if (!stored)
		return NULL;
	if (strncmp(stored, SECRET_PREFIX, sizeof(SECRET_PREFIX) - 1))
		return xstrdup(stored);
	const char *b64 = stored + sizeof(SECRET_PREFIX) - 1;
	size_t cap = strlen(b64), blen = 0;
	unsigned char *box = xmalloc(cap + 1);
	unsigned char key[DATA_KEYBYTES], sk[32];
	char *out = NULL;
	if (!sodium_base642bin(box, cap, b64, strlen(b64), NULL, &blen, NULL,
			       sodium_base64_VARIANT_ORIGINAL) &&
	    blen >= crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES &&
	    data_key(db_path, key)) {
		subkey(key, SUBKEY_SECRETS, sk);
		sodium_memzero(key, sizeof(key));
		size_t n = blen - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
		out = xmalloc(n + 1);
		if (crypto_secretbox_open_easy((unsigned char *)out, box + crypto_secretbox_NONCEBYTES,
					       blen - crypto_secretbox_NONCEBYTES, box, sk)) {
			FREE(&out);
		} else {
			out[n] = '\0';
			if (strlen(out) != n) /* a NUL inside: not a token of ours */
				keyring_free_secret(out), out = NULL;
		}
		sodium_memzero(sk, sizeof(sk));
	}
	free(box);
	return out;
}

void keyring_free_secret(char *secret)
{
	if (secret)
		sodium_memzero(secret, strlen(secret));
	free(secret);
}

/* ---- files ---- */

/* Seals the plain files of dir and, with depth, of its folders. */
static int seal_dir(const char *dir, int depth, int *sealed, struct strbuf *err)
{
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	struct dirent *de;
	int rc = 0;
	while (!rc && (de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		char *p = xasprintf("%s/%s", dir, de->d_name);
		struct stat sb;
		if (lstat(p, &sb)) {
			/* gone meanwhile */
		} else if (S_ISDIR(sb.st_mode)) {
			if (depth > 0)
				rc = seal_dir(p, depth - 1, sealed, err);
		} else if (S_ISREG(sb.st_mode)) {
			size_t n = strlen(de->d_name);
			bool manifest = !strcmp(de->d_name, "pages"); /* page list: names and sizes */
			bool tmp = n > 4 && !strcmp(de->d_name + n - 4, ".tmp");
			if (!manifest && !tmp) {
				int r = sealed_seal_in_place(p, err);
				if (r < 0)
					rc = KEYRING_FAULT;
				else
					*sealed += r;
			}
		}
		free(p);
	}
	closedir(d);
	return rc;
}

int keyring_seal_files(const char *db_path, int *sealed, struct strbuf *err)
{
	*sealed = 0;
	if (!keyring_unlocked(db_path)) {
		strbuf_addstr(err, "kho dữ liệu mã hóa chưa được mở bằng mật khẩu");
		return KEYRING_REFUSED;
	}
	char *copy = xstrdup(db_path);
	char *folder = xstrdup(dirname(copy));
	free(copy);
	static const char *const dirs[] = { "documents", "receipts", "scans", "ocr" };
	int rc = 0;
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]) && !rc; i++) {
		char *dir = xasprintf("%s/%s", folder, dirs[i]);
		files_sweep_stale(dir);
		rc = seal_dir(dir, i >= 2 ? 1 : 0, sealed, err); /* scans, ocr: a folder a paper */
		free(dir);
	}
	free(folder);
	if (!rc) {
		sqlite3 *db;
		struct strbuf ignored = STRBUF_INIT;
		if (!keys_open(db_path, false, &db, &ignored)) {
			keys_set(db, "files_sealed", "1");
			sqlite3_close_v2(db);
		}
		strbuf_release(&ignored);
	}
	return rc;
}

bool keyring_files_pending(const char *db_path)
{
	sqlite3 *db;
	struct strbuf ignored = STRBUF_INIT;
	bool pending = false;
	if (keyring_is_encrypted(db_path) && !keys_open(db_path, false, &db, &ignored)) {
		char *v = keys_get(db, "files_sealed");
		pending = !v || strcmp(v, "1");
		free(v);
		sqlite3_close_v2(db);
	}
	strbuf_release(&ignored);
	return pending;
}

/* ---- the conversion ---- */

static void remove_db_files(const char *path)
{
	static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		char *p = xasprintf("%s%s", path, suffixes[i]);
		unlink(p);
		free(p);
	}
}

static int exec(sqlite3 *db, const char *sql, struct strbuf *err, const char *what)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK)
		strbuf_addf(err, "%s: %s (%s)", what, store_errmsg_vn(rc), msg ? msg : "?");
	sqlite3_free(msg);
	return rc;
}

/* Writes the encrypted copy of st's database to target, under pages. */
static int write_copy(struct store *st, const char *target, struct strbuf *err)
{
	sqlite3_stmt *q = store_prepare(st, "PRAGMA page_size");
	int page = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int(q, 0) : 0;
	sqlite3_finalize(q);
	if (page != CRYPTVFS_PAGE) {
		strbuf_addf(err, "kho dữ liệu có trang %d byte; chỉ mã hóa được kho trang %d byte",
			    page, CRYPTVFS_PAGE);
		return KEYRING_FAULT;
	}
	int reserve = CRYPTVFS_RESERVE;
	if (exec(st->db, "PRAGMA wal_checkpoint(TRUNCATE)", err, "không ghi gọn được nhật ký") ||
	    sqlite3_file_control(st->db, "main", SQLITE_FCNTL_RESERVE_BYTES, &reserve) != SQLITE_OK)
		return KEYRING_FAULT;
	char *sql = sqlite3_mprintf("VACUUM INTO %Q", target);
	int rc = exec(st->db, sql, err, "không chép được kho dữ liệu sang bản mã hóa");
	sqlite3_free(sql);
	if (rc)
		return KEYRING_FAULT;

	/* The copy: into WAL mode, then read back whole. */
	sqlite3 *db = NULL;
	rc = sqlite3_open_v2(target, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, CRYPTVFS_NAME);
	if (rc == SQLITE_OK)
		rc = exec(db, "PRAGMA journal_mode=WAL", err, "không mở được bản mã hóa");
	if (rc == SQLITE_OK) {
		sqlite3_stmt *c = NULL;
		rc = sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &c, NULL);
		if (rc == SQLITE_OK) {
			rc = sqlite3_step(c);
			const unsigned char *v = rc == SQLITE_ROW ? sqlite3_column_text(c, 0) : NULL;
			if (!v || strcmp((const char *)v, "ok")) {
				strbuf_addf(err, "bản mã hóa không đọc lại được (%s)",
					    v ? (const char *)v : sqlite3_errmsg(db));
				rc = SQLITE_CORRUPT;
			} else {
				rc = SQLITE_OK;
			}
		}
		sqlite3_finalize(c);
	}
	if (sqlite3_close_v2(db) != SQLITE_OK && rc == SQLITE_OK)
		rc = SQLITE_IOERR;
	if (rc != SQLITE_OK) {
		if (!err->len)
			strbuf_addf(err, "không ghi được bản mã hóa: %s", store_errmsg_vn(rc));
		return KEYRING_FAULT;
	}
	if (files_fsync(target)) {
		strbuf_addf(err, "không ghi được bản mã hóa: %s", files_errno_vn(errno));
		return KEYRING_FAULT;
	}
	return 0;
}

/* The keys file for key, with username's wrap, written beside and put in
 * place of any older one. */
static int write_keys(const char *db_path, const char *username, const char *password,
		      const unsigned char key[DATA_KEYBYTES], struct strbuf *err)
{
	char *final = keys_path(db_path);
	char *fresh = xasprintf("%s.new", db_path);
	char *fresh_keys = keys_path(fresh);
	remove_db_files(fresh_keys);
	sqlite3 *db;
	int rc = keys_open(fresh, true, &db, err);
	if (!rc) {
		unsigned char pages[32], id[CRYPTVFS_IDBYTES];
		char hex[2 * CRYPTVFS_IDBYTES + 1];
		subkey(key, SUBKEY_PAGES, pages);
		cryptvfs_key_id(pages, id);
		sodium_memzero(pages, sizeof(pages));
		hex_of(id, sizeof(id), hex);
		int src = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
		if (src == SQLITE_OK)
			src = keys_set(db, "format", "1");
		if (src == SQLITE_OK)
			src = keys_set(db, "key_id", hex);
		if (src == SQLITE_OK)
			src = keys_set(db, "files_sealed", "0");
		if (src != SQLITE_OK)
			rc = keys_fault(err, final, db, src);
		if (!rc)
			rc = put_slot(db, username, password, key, err);
		if (!rc && (src = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL)) != SQLITE_OK)
			rc = keys_fault(err, final, db, src);
		sqlite3_close_v2(db);
	}
	if (!rc && (files_fsync(fresh_keys) || rename(fresh_keys, final))) {
		strbuf_addf(err, "không ghi được tệp khóa %s: %s", final, files_errno_vn(errno));
		rc = KEYRING_FAULT;
	}
	if (rc)
		remove_db_files(fresh_keys);
	free(final);
	free(fresh);
	free(fresh_keys);
	return rc;
}

/* Overwrites what fd holds with zeros (best effort). */
static void wipe_fd(int fd)
{
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb))
		return;
	static const unsigned char zeros[65536];
	for (off_t at = 0; at < sb.st_size;) {
		size_t k = sb.st_size - at > (off_t)sizeof(zeros) ? sizeof(zeros) : (size_t)(sb.st_size - at);
		ssize_t w = pwrite(fd, zeros, k, at);
		if (w <= 0)
			break;
		at += w;
	}
	fdatasync(fd);
}

int keyring_encrypt(struct store *st, const char *username, const char *password,
		    int *files_sealed, struct strbuf *err)
{
	const char *path = st->path;
	if (keyring_is_encrypted(path)) {
		strbuf_addf(err, "kho dữ liệu %s đã được mã hóa", path);
		return KEYRING_REFUSED;
	}
	if (!username || !auth_username_valid(username) || !password || !*password) {
		strbuf_addstr(err, "cần tên đăng nhập và mật khẩu của một cán bộ để mã hóa kho");
		return KEYRING_REFUSED;
	}
	if (sodium_init() < 0) {
		strbuf_addstr(err, "không khởi động được thư viện mật mã (libsodium)");
		return KEYRING_FAULT;
	}
	bool had_lock = st->lock_fd >= 0;
	if (!had_lock && store_lock(st, err))
		return KEYRING_REFUSED;
	char *db_path = xstrdup(path);
	char *target = xasprintf("%s.encrypting", db_path);
	remove_db_files(target);
	unsigned char *key = sodium_malloc(DATA_KEYBYTES), pages[32];
	crypto_kdf_keygen(key);
	subkey(key, SUBKEY_PAGES, pages);
	int rc = cryptvfs_set_key(target, pages) ? KEYRING_FAULT : 0;
	sodium_memzero(pages, sizeof(pages));
	if (!rc)
		rc = write_copy(st, target, err);
	if (!rc)
		rc = write_keys(db_path, username, password, key, err);
	int old = -1;
	if (!rc) {
		/* From here on the encrypted copy takes the store's place. */
		old = open(db_path, O_RDWR | O_CLOEXEC);
		store_close_keep_lock(st);
		char *folder = xstrdup(db_path);
		if (rename(target, db_path)) {
			strbuf_addf(err, "không thay được kho dữ liệu bằng bản mã hóa: %s",
				    files_errno_vn(errno));
			rc = KEYRING_FAULT;
		} else {
			files_sync_dir(folder);
			char *p = xasprintf("%s-wal", db_path);
			int wal = open(p, O_RDWR | O_CLOEXEC);
			wipe_fd(wal);
			if (wal >= 0)
				close(wal);
			unlink(p);
			free(p);
			p = xasprintf("%s-shm", db_path);
			unlink(p);
			free(p);
			wipe_fd(old); /* the plain file, no longer named */
		}
		free(folder);
		if (old >= 0)
			close(old);
	}
	cryptvfs_forget(target);
	if (rc)
		remove_db_files(target);
	if (!rc && remember(db_path, key)) {
		strbuf_addf(err, "không ghi nhớ được khóa của kho dữ liệu %s", db_path);
		rc = KEYRING_FAULT;
	}
	sodium_free(key);
	/* st again: on the encrypted file, or the plain one after a failure */
	if (!st->db) {
		struct strbuf oerr = STRBUF_INIT;
		if (store_open(st, db_path, STORE_HAVE_LOCK, &oerr) && !rc) {
			strbuf_add(err, oerr.buf, oerr.len);
			rc = KEYRING_FAULT;
		}
		strbuf_release(&oerr);
	}
	if (!rc && !st->encrypted) {
		strbuf_addf(err, "kho dữ liệu %s chưa được mã hóa sau khi chuyển", db_path);
		rc = KEYRING_FAULT;
	}
	if (!rc) {
		int sealed = 0;
		rc = keyring_seal_files(db_path, &sealed, err);
		if (files_sealed)
			*files_sealed = sealed;
	}
	if (!had_lock && st->lock_fd >= 0) {
		close(st->lock_fd);
		st->lock_fd = -1;
	}
	free(target);
	free(db_path);
	return rc;
}

int keyring_encrypt_pending(struct store *st, const char *username, const char *password,
			    struct strbuf *err)
{
	if (!st->db || !store_encryption_pending(st))
		return 1;
	if (st->lock_fd < 0) {
		struct strbuf busy = STRBUF_INIT;
		int locked = store_lock(st, &busy);
		strbuf_release(&busy);
		if (locked)
			return 1; /* the session that holds it encrypts it at its next login */
		int rc = keyring_encrypt_pending(st, username, password, err);
		if (st->lock_fd >= 0) {
			close(st->lock_fd);
			st->lock_fd = -1;
		}
		return rc;
	}
	int rc = keyring_encrypt(st, username, password, NULL, err);
	if (!rc && store_set_setting(st, STORE_ENCRYPTION_KEY, "on", NULL)) {
		strbuf_addstr(err, "không ghi được thiết lập mã hóa");
		rc = KEYRING_FAULT;
	}
	return rc;
}
