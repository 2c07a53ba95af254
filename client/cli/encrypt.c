/* SPDX-License-Identifier: GPL-3.0-or-later */
/* motcua encrypt [--db PATH] [--user TÊN]
 *
 * Encrypts a plain store (docs/security.md): its database, the papers,
 * scans and receipts in its folders, and the server token, under a new
 * data key wrapped for the clerk's password (one line from standard input,
 * not echoed on a terminal, or MOTCUA_PASSWORD). The other clerks get their
 * own wrap at their next login on the unlocked store, or with a new
 * password (motcua clerk passwd). On a store already encrypted it seals
 * what a conversion cut short left plain. Prints {"db", "encrypted": true,
 * "already": bool, "users": [...], "files_sealed": N}. An unknown clerk or
 * a wrong password: exit 2; a fault (disk, lock): exit 1.
 *
 * Also the unlock hook of every command (cli_unlock_store): an encrypted
 * store opens with a clerk's username (MOTCUA_USER, else the only clerk
 * with a wrap, else asked on the terminal) and password (MOTCUA_PASSWORD,
 * else asked on the terminal without echo). */
#include "client/cli/cli.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "client/store/auth.h"
#include "client/store/keyring.h"
#include "client/store/store.h"
#include "sync/sync.h"

/* One line from the terminal (not echoed when secret); NULL when there is
 * no terminal or nothing was typed. */
static char *ask_tty(const char *prompt, bool secret)
{
	int fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return NULL;
	struct termios saved, quiet;
	bool echo_off = secret && !tcgetattr(fd, &saved);
	if (echo_off) {
		quiet = saved;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(fd, TCSAFLUSH, &quiet);
	}
	/* the prompt and the newline after a secret are courtesy: a failed
	 * write changes nothing of what is read */
	ssize_t w = write(fd, prompt, strlen(prompt));
	char buf[512];
	size_t n = 0;
	char c;
	while (n + 1 < sizeof(buf) && read(fd, &c, 1) == 1 && c != '\n')
		buf[n++] = c;
	buf[n] = '\0';
	while (n > 0 && buf[n - 1] == '\r')
		buf[--n] = '\0';
	if (echo_off) {
		tcsetattr(fd, TCSAFLUSH, &saved);
		w = write(fd, "\n", 1);
	}
	(void)w;
	close(fd);
	char *out = n ? xstrdup(buf) : NULL;
	sodium_memzero(buf, sizeof(buf));
	return out;
}

int cli_unlock_store(const char *path, struct strbuf *err)
{
	const char *env_user = getenv("MOTCUA_USER"), *env_pw = getenv("MOTCUA_PASSWORD");
	char *user = env_user && *env_user ? xstrdup(env_user) : NULL;
	if (!user) {
		char **users = keyring_users(path);
		if (users && users[0] && !users[1])
			user = xstrdup(users[0]);
		keyring_users_free(users);
	}
	if (!user)
		user = ask_tty("Kho dữ liệu đã mã hóa. Tên đăng nhập: ", false);
	char *pw = env_pw && *env_pw ? xstrdup(env_pw) : NULL;
	if (user && !pw) {
		char *prompt = xasprintf("Mật khẩu của %s: ", user);
		pw = ask_tty(prompt, true);
		free(prompt);
	}
	if (!user || !pw) {
		free(user);
		cli_free_secret(pw);
		exit(cli_bad("kho dữ liệu %s đã được mã hóa: cần tên đăng nhập và mật khẩu của một"
			     " cán bộ (đặt MOTCUA_USER và MOTCUA_PASSWORD, hoặc chạy lệnh trong một"
			     " cửa sổ dòng lệnh)", path));
	}
	int rc = keyring_unlock(path, user, pw, err);
	free(user);
	cli_free_secret(pw);
	if (rc == KEYRING_REFUSED)
		exit(cli_bad("không mở được kho dữ liệu mã hóa %s: %s", path, err->buf));
	return rc ? -1 : 0;
}

static int usage(void)
{
	fputs("Cách dùng: motcua encrypt [--db ĐƯỜNG_DẪN] [--user TÊN_ĐĂNG_NHẬP]\n"
	      "Mã hóa kho dữ liệu và giấy tờ của máy này bằng mật khẩu của một cán bộ\n"
	      "(một dòng từ đầu vào chuẩn, hoặc biến MOTCUA_PASSWORD).\n", stdout);
	return CLI_OK;
}

static int print_result(struct store *st, bool already, int sealed)
{
	json_t *users = json_array();
	char **u = keyring_users(st->path);
	for (size_t i = 0; u && u[i]; i++)
		json_array_append_new(users, json_string(u[i]));
	keyring_users_free(u);
	cli_print_json(json_pack("{s:s, s:b, s:b, s:o, s:i}", "db", st->path, "encrypted", 1,
				 "already", already, "users", users, "files_sealed", sealed));
	return CLI_OK;
}

int cli_encrypt(int argc, char **argv)
{
	const char *db = NULL, *user = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h"))
			return usage();
		if (!strcmp(a, "--db") || !strcmp(a, "--user")) {
			if (++i >= argc || !*argv[i])
				return cli_bad("thiếu giá trị sau %s", a);
			*(a[2] == 'd' ? &db : &user) = argv[i];
		} else if (!strncmp(a, "--db=", 5) && a[5]) {
			db = a + 5;
		} else if (!strncmp(a, "--user=", 7) && a[7]) {
			user = a + 7;
		} else {
			return cli_bad("tùy chọn không hợp lệ cho encrypt: %s (xem: motcua encrypt --help)", a);
		}
	}
	char *path = cli_db_path(db);
	struct strbuf err = STRBUF_INIT;
	struct store st;
	int rc = CLI_OK;
	char *pw = NULL, *clerk = NULL;
	if (auth_init(&err) || store_open(&st, path, STORE_EXCLUSIVE, &err)) {
		rc = access(path, F_OK) ? cli_bad("%s", err.buf) : cli_fault("%s", err.buf);
		goto out;
	}
	if (st.encrypted) { /* finish what a conversion cut short */
		int sealed = 0;
		if (keyring_seal_files(path, &sealed, &err))
			rc = cli_fault("%s", err.buf);
		else if (sync_token_reseal(&st))
			rc = cli_fault("không mã hóa được mã đăng nhập máy chủ");
		else
			rc = print_result(&st, true, sealed);
		goto close;
	}
	const char *env_user = getenv("MOTCUA_USER");
	clerk = cli_pick_clerk(&st, user ? user : env_user);
	if (!clerk) {
		rc = cli_bad("chưa rõ cán bộ: dùng --user TÊN_ĐĂNG_NHẬP");
		goto close;
	}
	const char *env_pw = getenv("MOTCUA_PASSWORD");
	pw = env_pw && *env_pw ? xstrdup(env_pw) : cli_read_password();
	if (!pw || !*pw) {
		rc = cli_bad("chưa nhập mật khẩu");
		goto close;
	}
	struct clerk c;
	if (auth_check(&st, clerk, pw, &c, &err)) {
		rc = cli_bad("%s", err.buf);
		goto close;
	}
	clerk_release(&c);
	int sealed = 0;
	int krc = keyring_encrypt(&st, clerk, pw, &sealed, &err);
	if (!krc && st.db && store_set_setting(&st, STORE_ENCRYPTION_KEY, "on", NULL)) {
		strbuf_addstr(&err, "không ghi được thiết lập mã hóa");
		krc = KEYRING_FAULT;
	}
	if (!krc && sync_token_reseal(&st)) {
		strbuf_addstr(&err, "không mã hóa được mã đăng nhập máy chủ");
		krc = KEYRING_FAULT;
	}
	if (krc == KEYRING_REFUSED)
		rc = cli_bad("%s", err.buf);
	else if (krc)
		rc = cli_fault("không mã hóa được kho dữ liệu %s: %s", path, err.buf);
	else
		rc = print_result(&st, false, sealed);
close:
	store_close(&st);
out:
	cli_free_secret(pw);
	free(clerk);
	free(path);
	strbuf_release(&err);
	return rc;
}
