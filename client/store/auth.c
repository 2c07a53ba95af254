/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "client/store/auth.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "client/store/keyring.h"
#include "core/text.h"

/* A valid Argon2id hash of nothing anybody types: an unknown user costs the
 * same verification as a known one. */
static const char dummy_hash[] =
	"$argon2id$v=19$m=16384,t=3,p=1$w8c8N0OaDuSxczMA0lmEsw$"
	"WK2Pf+cRc0IrBxrYBsCwj3VZgzgIH9kle9ND7qhX6qA";

static const char *const role_names[] = {
#define ROLE_NAME(id, name, label) name,
	CLERK_ROLES(ROLE_NAME)
#undef ROLE_NAME
};
static const char *const role_labels[] = {
#define ROLE_LABEL(id, name, label) label,
	CLERK_ROLES(ROLE_LABEL)
#undef ROLE_LABEL
};
#define N_ROLES (sizeof(role_names) / sizeof(role_names[0]))

void clerk_release(struct clerk *c)
{
	FREE(&c->username);
	FREE(&c->full_name);
	FREE(&c->unit_code);
	FREE(&c->role);
	c->disabled = false;
}

bool auth_role_valid(const char *role)
{
	return *auth_role_label(role) != '\0';
}

const char *auth_role_label(const char *role)
{
	for (size_t i = 0; role && i < N_ROLES; i++)
		if (!strcmp(role, role_names[i]))
			return role_labels[i];
	return "";
}

bool auth_role_supervises(const char *role)
{
	return role && (!strcmp(role, "supervisor") || !strcmp(role, "admin"));
}

bool auth_username_valid(const char *u)
{
	size_t n = u ? strlen(u) : 0;
	if (n < 1 || n > 32)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = u[i];
		bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
		if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-')))
			return false;
	}
	return true;
}

int auth_init(struct strbuf *err)
{
	if (sodium_init() < 0) {
		strbuf_addstr(err, "không khởi động được thư viện mật mã (libsodium)");
		return -1;
	}
	return 0;
}

/* Loads the clerk and, when hash is given, the password hash (malloc'd). */
static int load(struct store *st, const char *username, struct clerk *out, char **hash)
{
	sqlite3_stmt *q = store_prepare(st, "SELECT username, full_name, unit_code, role,"
					    " disabled, pw_hash FROM clerks WHERE username = ?");
	sqlite3_bind_text(q, 1, username, -1, SQLITE_STATIC);
	int rc = 1;
	if (sqlite3_step(q) == SQLITE_ROW) {
		out->username = store_col_str(q, 0);
		out->full_name = store_col_str(q, 1);
		out->unit_code = store_col_str(q, 2);
		out->role = store_col_str(q, 3);
		out->disabled = sqlite3_column_int(q, 4) != 0;
		if (hash)
			*hash = store_col_str(q, 5);
		rc = 0;
	}
	sqlite3_finalize(q);
	return rc;
}

int auth_load_clerk(struct store *st, const char *username, struct clerk *out)
{
	memset(out, 0, sizeof(*out));
	return load(st, username, out, NULL);
}

char *auth_sole_clerk(struct store *st)
{
	char *user = NULL;
	sqlite3_stmt *q = store_prepare(st, "SELECT username FROM clerks WHERE disabled = 0 LIMIT 2");
	if (sqlite3_step(q) == SQLITE_ROW) {
		user = store_col_str(q, 0);
		if (sqlite3_step(q) == SQLITE_ROW)
			FREE(&user);
	}
	sqlite3_finalize(q);
	return user;
}

long auth_clerk_count(struct store *st)
{
	sqlite3_stmt *q = store_prepare(st, "SELECT count(*) FROM clerks");
	long n = sqlite3_step(q) == SQLITE_ROW ? (long)sqlite3_column_int64(q, 0) : -1;
	sqlite3_finalize(q);
	return n;
}

void clerk_list_release(struct clerk_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		clerk_release(&l->v[i]);
	FREE(&l->v);
	l->n = 0;
}

/* Appends the clerks q selects (username, full_name, unit_code, role,
 * disabled); finalizes q. */
static int read_clerks(sqlite3_stmt *q, struct clerk_list *out, struct strbuf *err)
{
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		out->v = xrealloc(out->v, (out->n + 1) * sizeof(*out->v));
		struct clerk *c = &out->v[out->n++];
		c->username = store_col_str(q, 0);
		c->full_name = store_col_str(q, 1);
		c->unit_code = store_col_str(q, 2);
		c->role = store_col_str(q, 3);
		c->disabled = sqlite3_column_int(q, 4) != 0;
	}
	sqlite3_finalize(q);
	if (rc == SQLITE_DONE)
		return 0;
	strbuf_addf(err, "không đọc được danh sách cán bộ: %s", store_errmsg_vn(rc));
	return AUTH_FAULT;
}

int auth_list_clerks(struct store *st, struct clerk_list *out, struct strbuf *err)
{
	return read_clerks(store_prepare(st, "SELECT username, full_name, unit_code, role,"
					     " disabled FROM clerks ORDER BY username"),
			   out, err);
}

int auth_unit_clerks(struct store *st, const char *unit, struct clerk_list *out,
		     struct strbuf *err)
{
	sqlite3_stmt *q = store_prepare(st, "SELECT username, full_name, unit_code, role,"
					    " disabled FROM clerks WHERE unit_code = ?1"
					    " AND disabled = 0 ORDER BY full_name, username");
	sqlite3_bind_text(q, 1, unit, -1, SQLITE_STATIC);
	return read_clerks(q, out, err);
}

/* The Argon2id string of the NFC form of password into out. */
int auth_hash_password(const char *password, char out[crypto_pwhash_STRBYTES],
		       struct strbuf *err)
{
	if (!password || !*password) {
		strbuf_addstr(err, "mật khẩu không được để trống");
		return AUTH_REFUSED;
	}
	if (!mc_text_valid(password)) {
		strbuf_addstr(err, "mật khẩu không phải văn bản UTF-8 hợp lệ");
		return AUTH_REFUSED;
	}
	char *nfc = mc_text_nfc(password);
	int rc = crypto_pwhash_str(out, nfc, strlen(nfc), AUTH_PWHASH_OPSLIMIT,
				   AUTH_PWHASH_MEMLIMIT);
	sodium_memzero(nfc, strlen(nfc));
	free(nfc);
	if (rc) {
		strbuf_addstr(err, "không đủ bộ nhớ để băm mật khẩu");
		return AUTH_FAULT;
	}
	return 0;
}

static int verify(const char *hash, const char *password)
{
	/* the API takes a full crypto_pwhash_STRBYTES buffer */
	char padded[crypto_pwhash_STRBYTES] = { 0 };
	if (strlen(hash) >= sizeof(padded))
		return 0;
	memcpy(padded, hash, strlen(hash));
	char *nfc = mc_text_nfc(password ? password : "");
	int ok = crypto_pwhash_str_verify(padded, nfc, strlen(nfc)) == 0;
	sodium_memzero(nfc, strlen(nfc));
	free(nfc);
	return ok;
}

int auth_validate(const struct clerk *c, struct strbuf *err)
{
	if (!auth_username_valid(c->username)) {
		strbuf_addf(err, "tên đăng nhập '%s' không hợp lệ: 1-32 ký tự a-z, 0-9, '.', '_', '-'"
			    " (không dấu, chữ thường)", c->username ? c->username : "");
		return AUTH_REFUSED;
	}
	if (!c->full_name || !*c->full_name) {
		strbuf_addstr(err, "thiếu họ tên cán bộ (--name \"Họ và tên\")");
		return AUTH_REFUSED;
	}
	bool controls = false;
	for (const unsigned char *p = (const unsigned char *)c->full_name; *p; p++)
		controls |= *p < 0x20 || *p == 0x7f;
	if (controls || !mc_text_valid(c->full_name)) {
		strbuf_addstr(err, "họ tên cán bộ chứa ký tự không hợp lệ (ký tự điều khiển hoặc"
			      " không phải UTF-8)");
		return AUTH_REFUSED;
	}
	if (!c->unit_code || !*c->unit_code) {
		strbuf_addstr(err, "thiếu mã đơn vị (--unit MÃ)");
		return AUTH_REFUSED;
	}
	if (c->role && !auth_role_valid(c->role)) {
		strbuf_addf(err, "vai trò '%s' không hợp lệ (clerk, supervisor hoặc admin)", c->role);
		return AUTH_REFUSED;
	}
	return 0;
}

/* An encrypted store opens with the password of any of its clerks: the
 * clerk's wrap of its key follows the password (client/store/keyring.h). */
static int set_key(struct store *st, const char *username, const char *password,
		   struct strbuf *err)
{
	if (!st->encrypted)
		return 0;
	struct strbuf why = STRBUF_INIT;
	int rc = keyring_set_user(st->path, username, password, &why);
	if (rc)
		strbuf_addf(err, "đã lưu tài khoản '%s' nhưng chưa ghi được khóa mở kho dữ liệu của"
			    " cán bộ này: %s", username, why.buf);
	strbuf_release(&why);
	return rc ? AUTH_FAULT : 0;
}

int auth_add_clerk(struct store *st, const struct clerk *c, const char *password,
		   struct strbuf *err)
{
	if (auth_validate(c, err))
		return AUTH_REFUSED;
	const char *role = c->role ? c->role : "clerk";
	struct clerk old;
	if (!auth_load_clerk(st, c->username, &old)) {
		clerk_release(&old);
		strbuf_addf(err, "đã có cán bộ '%s'", c->username);
		return AUTH_REFUSED;
	}
	char hash[crypto_pwhash_STRBYTES];
	int hrc = auth_hash_password(password, hash, err);
	if (hrc)
		return hrc;
	char *name = mc_text_nfc(c->full_name);
	sqlite3_stmt *q = store_prepare(st, "INSERT INTO clerks(username, full_name, unit_code,"
					    " role, pw_hash, disabled) VALUES (?, ?, ?, ?, ?, 0)");
	sqlite3_bind_text(q, 1, c->username, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, c->unit_code, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, role, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, hash, -1, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	sqlite3_finalize(q);
	free(name);
	if (rc != SQLITE_DONE) {
		strbuf_addf(err, "không lưu được tài khoản: %s", store_errmsg_vn(rc));
		return AUTH_FAULT;
	}
	return set_key(st, c->username, password, err);
}

static int update_clerk(struct store *st, const char *sql, const char *username,
			const char *text, int number, struct strbuf *err)
{
	sqlite3_stmt *q = store_prepare(st, sql);
	if (text)
		sqlite3_bind_text(q, 1, text, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int(q, 1, number);
	sqlite3_bind_text(q, 2, username, -1, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE) {
		strbuf_addf(err, "không lưu được tài khoản: %s", store_errmsg_vn(rc));
		return AUTH_FAULT;
	}
	if (sqlite3_changes(st->db) == 0) {
		strbuf_addf(err, "không có cán bộ '%s'", username);
		return AUTH_REFUSED;
	}
	return 0;
}

int auth_set_password(struct store *st, const char *username, const char *password,
		      struct strbuf *err)
{
	char hash[crypto_pwhash_STRBYTES];
	int hrc = auth_hash_password(password, hash, err);
	if (hrc)
		return hrc;
	int rc = update_clerk(st, "UPDATE clerks SET pw_hash = ? WHERE username = ?", username,
			      hash, 0, err);
	return rc ? rc : set_key(st, username, password, err);
}

int auth_update_clerk(struct store *st, const struct clerk *c, struct strbuf *err)
{
	sqlite3_stmt *q = store_prepare(st, "UPDATE clerks SET full_name = ?2, unit_code = ?3,"
					    " role = ?4, disabled = 0 WHERE username = ?1");
	sqlite3_bind_text(q, 1, c->username, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, c->full_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, c->unit_code, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, c->role, -1, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE) {
		strbuf_addf(err, "không lưu được tài khoản: %s", store_errmsg_vn(rc));
		return AUTH_FAULT;
	}
	if (sqlite3_changes(st->db) == 0) {
		strbuf_addf(err, "không có cán bộ '%s'", c->username);
		return AUTH_REFUSED;
	}
	return 0;
}

int auth_set_disabled(struct store *st, const char *username, bool disabled, struct strbuf *err)
{
	int rc = update_clerk(st, "UPDATE clerks SET disabled = ? WHERE username = ?", username,
			      NULL, disabled ? 1 : 0, err);
	/* a disabled clerk no longer opens the store: a new password (clerk
	 * passwd) gives it back when the account is enabled again */
	if (!rc && disabled && st->encrypted && keyring_remove_user(st->path, username, err))
		rc = AUTH_FAULT;
	return rc;
}

/* The memory cost of an Argon2id string ("$argon2id$v=19$m=65536,..."), in
 * bytes; 0 when it cannot be read. */
static unsigned long long hash_memory(const char *hash)
{
	const char *m = hash ? strstr(hash, "$m=") : NULL;
	return m ? strtoull(m + 3, NULL, 10) * 1024ULL : 0;
}

int auth_check(struct store *st, const char *username, const char *password,
	       struct clerk *out, struct strbuf *err)
{
	memset(out, 0, sizeof(*out));
	char *hash = NULL;
	int found = auth_username_valid(username) && !load(st, username, out, &hash);
	int ok = verify(found ? hash : dummy_hash, password) && found;
	/* A hash that needs more memory than the budget allows (an older
	 * release used 64 MiB) is renewed on a successful login; a failure to
	 * renew does not refuse the login. Cheaper costs are left alone: they
	 * are an administrator's choice (make bench uses one on purpose). */
	if (ok && hash_memory(hash) > AUTH_PWHASH_MEMLIMIT) {
		struct strbuf ignored = STRBUF_INIT;
		auth_set_password(st, username, password, &ignored);
		strbuf_release(&ignored);
	}
	free(hash);
	/* A clerk added while the store was plain, or whose wrap was lost,
	 * gets one at a login on the unlocked store (best effort). */
	if (ok && !out->disabled && st->encrypted && !keyring_has_user(st->path, username)) {
		struct strbuf ignored = STRBUF_INIT;
		keyring_set_user(st->path, username, password, &ignored);
		strbuf_release(&ignored);
	}
	if (!ok) {
		clerk_release(out);
		strbuf_addstr(err, AUTH_BAD_LOGIN);
		return AUTH_REFUSED;
	}
	if (out->disabled) {
		strbuf_addf(err, "Tài khoản '%s' đã bị khóa; hãy liên hệ quản trị viên", username);
		clerk_release(out);
		return AUTH_REFUSED;
	}
	return 0;
}
