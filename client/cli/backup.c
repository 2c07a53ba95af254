/* SPDX-License-Identifier: GPL-3.0-or-later */
/* motcua backup FILE [--db PATH]
 * motcua restore FILE [--db PATH] [--force]
 *
 * backup: an online copy of the store with SQLite's backup API, from one
 * read snapshot, so that it runs while the TUI works on the store (the TUI's
 * lock file only keeps out a second writer session; readers are welcome in
 * WAL mode). The copy is a file of its own (no -wal beside it), mode 0600,
 * opened again and checked (PRAGMA quick_check, the same dossier count)
 * before it takes the name FILE. FILE must not exist. Prints {"db",
 * "backup", "dossiers", "bytes"}.
 *
 * restore: refuses a copy that is not an intact motcua store, or of another
 * unit than this store's (exit 2). The store is taken with its lock (no TUI
 * may be open). Decision: while this store holds operations the server has
 * not received yet and the copy does not hold, restore refuses (exit 2) and
 * asks to sync first, rather than merge them into the copy: an operation
 * carries a dossier whose earlier rows the copy may lack, and a merge that
 * half works is worse than a clear refusal. --force restores all the same; the
 * store as it was is always kept first as PATH.before-restore-TIME (a
 * checked backup), so even then nothing is lost: its operations can be
 * read there. The dossier numbering and the workstation's identity towards
 * the server are carried over (client/store/backup.h), so no code is given
 * twice; the next sync brings back from the server what changed since the
 * copy. Prints {"db", "restored_from", "dossiers", "unit_code", "previous",
 * "unsent_left"}. */
#include "client/cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "client/base/progress.h"
#include "client/store/backup.h"
#include "client/store/store.h"

struct backup_opts {
	const char *db, *file;
	bool force;
};

static int parse(int argc, char **argv, const char *cmd, bool allow_force, struct backup_opts *o)
{
	memset(o, 0, sizeof(*o));
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			printf("Cách dùng: motcua %s TỆP [--db ĐƯỜNG_DẪN]%s\n", cmd,
			       allow_force ? " [--force]" : "");
			return -1;
		}
		if (!strcmp(a, "--db")) {
			if (++i >= argc || !*argv[i])
				return cli_bad("thiếu đường dẫn sau --db");
			o->db = argv[i];
		} else if (!strncmp(a, "--db=", 5) && a[5]) {
			o->db = a + 5;
		} else if (allow_force && !strcmp(a, "--force")) {
			o->force = true;
		} else if (a[0] == '-' && a[1]) {
			return cli_bad("tùy chọn không hợp lệ cho %s: %s", cmd, a);
		} else if (o->file) {
			return cli_bad("chỉ một TỆP cho %s (thừa '%s')", cmd, a);
		} else {
			o->file = a;
		}
	}
	if (!o->file || !*o->file)
		return cli_bad("thiếu TỆP: motcua %s TỆP", cmd);
	return 0;
}

int cli_backup(int argc, char **argv)
{
	struct backup_opts o;
	int rc = parse(argc, argv, "backup", false, &o);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if (!access(o.file, F_OK))
		return cli_bad("tệp %s đã có; bản sao lưu không ghi đè, chọn tên khác", o.file);
	char *path = cli_db_path(o.db);
	struct strbuf err = STRBUF_INIT;
	struct store st;
	if (store_open(&st, path, 0, &err)) {
		rc = cli_fault("%s", err.buf);
	} else {
		struct progress p;
		long dossiers;
		progress_begin(&p, "backup", "Sao lưu kho dữ liệu (trang)", 0, PROGRESS_ITEMS);
		rc = store_backup(&st, o.file, &p, &dossiers, &err);
		progress_end(&p);
		store_close(&st);
		struct stat sb;
		if (rc)
			rc = cli_fault("không sao lưu được vào %s: %s", o.file, err.buf);
		else
			cli_print_json(json_pack("{s:s, s:s, s:i, s:I}", "db", path, "backup", o.file,
						 "dossiers", (int)dossiers, "bytes",
						 (json_int_t)(stat(o.file, &sb) ? 0 : sb.st_size)));
	}
	strbuf_release(&err);
	free(path);
	return rc;
}

/* PATH.before-restore-YYYYMMDD-HHMMSS, a name not taken yet. */
static char *previous_name(const char *path)
{
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	char stamp[32];
	strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
	char *name = xasprintf("%s.before-restore-%s", path, stamp);
	for (int k = 2; !access(name, F_OK); k++) {
		free(name);
		name = xasprintf("%s.before-restore-%s-%d", path, stamp, k);
	}
	return name;
}

static int restore(const struct backup_opts *o, const char *path, const struct store_probe *copy)
{
	struct stat sb;
	bool existed = !stat(path, &sb);
	struct strbuf err = STRBUF_INIT;
	struct store st;
	if (store_open(&st, path, STORE_CREATE | STORE_EXCLUSIVE, &err)) {
		int rc = cli_fault("%s", err.buf);
		strbuf_release(&err);
		return rc;
	}
	int rc = CLI_OK;
	char *unit = store_get_setting(&st, "unit_code");
	long unsent = store_count_unsent_missing(&st, o->file);
	char *previous = NULL;
	if (unit && *unit && (!copy->unit_code || strcmp(unit, copy->unit_code))) {
		rc = cli_bad("bản sao lưu %s là của đơn vị %s, kho %s của đơn vị %s: không khôi phục"
			     " (dùng --db để khôi phục vào một kho khác)", o->file,
			     copy->unit_code && *copy->unit_code ? copy->unit_code : "(chưa gán)", path,
			     unit);
		goto out;
	}
	if (unsent < 0) {
		rc = cli_fault("không đọc được hàng đợi gửi của kho %s", path);
		goto out;
	}
	if (unsent > 0 && !o->force) {
		rc = cli_bad("kho %s còn %ld thao tác chưa gửi lên máy chủ mà bản sao lưu không có:"
			     " hãy đồng bộ trước (motcua sync --once), hoặc dùng --force (kho hiện tại"
			     " vẫn được giữ lại thành một tệp bên cạnh)", path, unsent);
		goto out;
	}
	if (existed) {
		previous = previous_name(path);
		long n;
		if (store_backup(&st, previous, NULL, &n, &err)) {
			rc = cli_fault("không giữ lại được kho hiện tại trước khi khôi phục: %s", err.buf);
			goto out;
		}
	}
	struct progress p;
	progress_begin(&p, "restore", "Khôi phục kho dữ liệu (trang)", 0, PROGRESS_ITEMS);
	int r = store_restore(&st, o->file, &p, &err);
	progress_end(&p);
	if (r) {
		rc = cli_fault("không khôi phục được từ %s: %s%s%s", o->file, err.buf,
			       previous ? "; kho trước đó được giữ ở " : "", previous ? previous : "");
		goto out;
	}
	if (store_quick_check(&st, &err)) {
		rc = cli_fault("kho sau khi khôi phục không nguyên vẹn: %s%s%s", err.buf,
			       previous ? "; kho trước đó được giữ ở " : "", previous ? previous : "");
		goto out;
	}
	char *now_unit = store_get_setting(&st, "unit_code");
	cli_print_json(json_pack("{s:s, s:s, s:i, s:s?, s:s?, s:i}", "db", path, "restored_from",
				 o->file, "dossiers", (int)store_count_dossiers(&st), "unit_code",
				 now_unit, "previous", previous, "unsent_left",
				 (int)store_count_unsent(&st)));
	free(now_unit);
	if (unsent > 0)
		fprintf(stderr, "motcua: cảnh báo: %ld thao tác chưa gửi của kho cũ nằm trong %s\n",
			unsent, previous);
out:
	free(previous);
	free(unit);
	store_close(&st);
	strbuf_release(&err);
	return rc;
}

int cli_restore(int argc, char **argv)
{
	struct backup_opts o;
	int rc = parse(argc, argv, "restore", true, &o);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	struct store_probe copy;
	struct strbuf err = STRBUF_INIT;
	if (store_probe_file(o.file, &copy, &err)) {
		rc = cli_bad("không khôi phục được: %s", err.buf);
		strbuf_release(&err);
		return rc;
	}
	strbuf_release(&err);
	if (!copy.intact) {
		rc = cli_bad("bản sao lưu %s bị hỏng (%s): không khôi phục", o.file, copy.problem);
		store_probe_release(&copy);
		return rc;
	}
	char *path = cli_db_path(o.db);
	rc = restore(&o, path, &copy);
	free(path);
	store_probe_release(&copy);
	return rc;
}
