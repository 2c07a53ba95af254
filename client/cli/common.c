/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "client/cli/cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <termios.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "client/base/clock.h"
#include "client/store/auth.h"
#include "client/store/store.h"
#include "sync/sync.h"
#include "core/text.h"
#include "core/xalloc.h"
#include "core/version.h"

void cli_say(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("motcua: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

int cli_option(int argc, char **argv, int *i, const char *name, const char **value)
{
	const char *arg = argv[*i];
	size_t n = strlen(name);
	if (strncmp(arg, name, n))
		return 0;
	if (arg[n] == '=') {
		*value = arg + n + 1;
		return 1;
	}
	if (arg[n] != '\0')
		return 0;
	if (*i + 1 >= argc)
		return -1;
	*value = argv[++*i];
	return 1;
}

int cli_options(int argc, char **argv, int *i, const char *const *names, size_t n,
		const char **value)
{
	size_t k = 0;
	for (; k < n && names[k]; k++) {
		int r = cli_option(argc, argv, i, names[k], value);
		if (r < 0) {
			cli_say("tùy chọn %s cần một giá trị", names[k]);
			return -1;
		}
		if (r)
			return (int)k;
	}
	return (int)k;
}

int cli_write_paper(const char *code, const char *out, const char *db, unsigned flags,
		    cli_paper_fn *write, void *arg, const char *what, json_t *done)
{
	int rc = CLI_OK;
	if (!out || !*out)
		rc = cli_bad("thiếu --out TỆP.pdf");
	else if (db && !*db)
		rc = cli_bad("đường dẫn --db rỗng");
	if (rc) {
		json_decref(done);
		return rc;
	}
	/* Codes are stored upper case; accept them typed in lower case. */
	char *upper = cli_upper_code(code);
	struct store st;
	struct strbuf err = STRBUF_INIT;
	if ((rc = cli_open_store(&st, db, flags, false)) == CLI_OK) {
		int w = write(&st, upper, arg, &err);
		if (w > 0) {
			rc = cli_bad("%s", err.buf);
		} else if (w < 0) {
			rc = cli_fault("không ghi được %s: %s", what, err.buf);
		} else {
			json_t *o = json_object();
			json_object_set_new(o, "code", json_string(upper));
			json_object_update(o, done);
			cli_print_json(o);
		}
		store_close(&st);
	}
	json_decref(done);
	strbuf_release(&err);
	free(upper);
	return rc;
}

int cli_open_store(struct store *st, const char *db_opt, unsigned flags, bool missing_bad)
{
	char *path = cli_db_path(db_opt);
	struct strbuf err = STRBUF_INIT;
	int rc = CLI_OK;
	if (store_open(st, path, flags, &err))
		rc = missing_bad && access(path, F_OK) ? cli_bad("%s", err.buf)
						       : cli_fault("%s", err.buf);
	strbuf_release(&err);
	free(path);
	return rc;
}

int cli_now(struct mc_dt *now)
{
	if (clock_now(now))
		return cli_bad("MOTCUA_NOW «%s» không hợp lệ: cần dạng YYYY-MM-DDTHH:MM",
			       getenv("MOTCUA_NOW"));
	return CLI_OK;
}

int cli_exit(int rc)
{
	struct strbuf err = STRBUF_INIT;
	if (rc != CLI_FAULT && store_damaged(&err))
		rc = cli_fault("%s", err.buf);
	strbuf_release(&err);
	return rc;
}

char *cli_db_path(const char *opt)
{
	if (opt && *opt)
		return xstrdup(opt);
	const char *env = getenv("MOTCUA_DB");
	if (env && *env)
		return xstrdup(env);
	const char *xdg = getenv("XDG_DATA_HOME");
	if (xdg && *xdg)
		return xasprintf("%s/motcua/motcua.db", xdg);
	const char *home = getenv("HOME");
	return xasprintf("%s/.local/share/motcua/motcua.db", home ? home : ".");
}

char *cli_pick_clerk(struct store *st, const char *user)
{
	if (user && *user)
		return xstrdup(user);
	char *last = store_get_setting(st, "last_user");
	if (last && *last)
		return last;
	free(last);
	return auth_sole_clerk(st);
}

void cli_print_json(json_t *o)
{
	char *s = json_dumps(o, JSON_COMPACT);
	puts(s);
	free(s);
	json_decref(o);
}

char *cli_upper_code(const char *code)
{
	char *upper = xstrdup(code);
	for (char *p = upper; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	return upper;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n > k && !strcasecmp(s + n - k, suffix);
}

int cli_report_out(const char *out, bool *csv)
{
	if (!out || !*out)
		return cli_bad("thiếu --out TỆP.pdf hoặc TỆP.csv");
	*csv = ends_with(out, ".csv");
	if (!*csv && !ends_with(out, ".pdf"))
		return cli_bad("--out phải là tệp .pdf hoặc .csv (gặp «%.60s»)",
			       mc_text_valid(out) ? out : "?");
	return CLI_OK;
}

char *cli_read_password(void)
{
	struct termios saved, quiet;
	int tty = isatty(STDIN_FILENO) && !tcgetattr(STDIN_FILENO, &saved);
	if (tty) {
		fputs("Mật khẩu: ", stderr);
		quiet = saved;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, stdin);
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
		fputc('\n', stderr);
	}
	if (n < 0) {
		free(line);
		return NULL;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	return line;
}

void cli_free_secret(char *s)
{
	if (s) {
		sodium_memzero(s, strlen(s));
		free(s);
	}
}

int cli_version(int argc, char **argv)
{
	printf("{\"version\": \"%s\"}\n", MOTCUA_VERSION);
	return CLI_OK;
}

char *cli_ask_secret(void *ctx, const char *prompt)
{
	(void)ctx;
	fprintf(stderr, "%s\n", prompt);
	char *line = cli_read_password();
	if (!line)
		return NULL;
	char *copy = xstrdup(line);
	cli_free_secret(line);
	return copy;
}

void cli_sync_bar_end(struct cli_sync_bar *b)
{
	if (b->phase)
		progress_end(&b->p);
	b->phase = NULL;
}

void cli_sync_progress(void *arg, const struct sync_progress *sp)
{
	static const struct {
		const char *phase, *name, *label;
	} phases[] = {
		{ "push", "sync-push", "Gửi thao tác" },
		{ "pull", "sync-pull", "Nhận thay đổi" },
		{ "files", "sync-files", "Gửi tệp giấy tờ" },
	};
	struct cli_sync_bar *b = arg;
	if (!b->phase || strcmp(b->phase, sp->phase)) {
		cli_sync_bar_end(b);
		for (size_t i = 0; i < sizeof(phases) / sizeof(phases[0]); i++)
			if (!strcmp(phases[i].phase, sp->phase)) {
				progress_begin(&b->p, phases[i].name, phases[i].label, sp->items_total,
					       PROGRESS_ITEMS);
				b->phase = phases[i].phase;
			}
		if (!b->phase)
			return;
	}
	progress_total(&b->p, sp->items_total);
	progress_set(&b->p, sp->items_done);
}
