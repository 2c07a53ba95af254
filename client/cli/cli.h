/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Headless command line: `motcua SUBCOMMAND [options]`. JSON on stdout; a clear
 * Vietnamese message on stderr and exit status 2 for bad input (1 for a system
 * fault: disk full, read-only or locked store). Every subcommand that touches a
 * store accepts --db PATH. */
#ifndef MC_CLI_H
#define MC_CLI_H
#include <stdbool.h>
#include <stddef.h>

#include "client/base/exitcode.h"
#include "client/base/progress.h"

enum {
	CLI_OK = MC_EXIT_OK,
	CLI_FAULT = MC_EXIT_FAULT,      /* the environment failed: disk, permissions, lock */
	CLI_BADINPUT = MC_EXIT_BADINPUT /* the user's input was refused; nothing changed */
};

/* Every subcommand, declared once: name, function, Vietnamese help. Add a line
 * here when a command lands (its function lives in client/cli/NAME.c). */
#define CLI_COMMANDS(X) \
	X(version, cli_version, "In phiên bản chương trình") \
	X(due, cli_due, "Tính ngày hẹn trả: --from YYYY-MM-DDTHH:MM --days N [--holidays FILE]") \
	X(init, cli_init, "Tạo kho dữ liệu, nhập danh mục đơn vị và thủ tục (--demo: dữ liệu mẫu)") \
	X(catalog, cli_catalog, "Tra cứu thủ tục: search, show, fields, communes") \
	X(clerk, cli_clerk, "Quản lý tài khoản cán bộ (add, passwd, list, disable)") \
	X(receive, cli_receive, "Tiếp nhận một hồ sơ từ JSON: --json TỆP|- [--user CÁN_BỘ]") \
	X(refuse, cli_refuse, "Từ chối tiếp nhận tại quầy (mẫu 03): --json TỆP|- --reason \"LÝ_DO; ...\"") \
	X(guide, cli_guide, "Hướng dẫn bổ sung tại quầy (mẫu 02): --json TỆP|- --papers \"GIẤY_TỜ; ...\"") \
	X(receipt, cli_receipt, "Ghi lại giấy tiếp nhận của hồ sơ: MÃ_HỒ_SƠ --out TỆP.pdf") \
	X(search, cli_search, "Tìm hồ sơ theo mã, tên (không dấu) hoặc số định danh") \
	X(act, cli_act, "Xử lý hồ sơ sau tiếp nhận: MÃ_HỒ_SƠ THAO_TÁC [tùy chọn] (act --help)") \
	X(online, cli_online, "Hồ sơ trực tuyến từ Cổng DVC: list, show, accept, supplement, refuse") \
	X(login, cli_login, "Đăng nhập máy chủ đồng bộ: --server URL --username TÊN") \
	X(sync, cli_sync, "Đồng bộ với máy chủ (gửi, nhận, xin số hồ sơ): [--once]") \
	X(form, cli_form, "Ghi biểu mẫu của hồ sơ: MÃ_HỒ_SƠ 02|03|04|05 --out TỆP.pdf") \
	X(ledger, cli_ledger, "Sổ theo dõi hồ sơ: --from NGÀY [--to NGÀY] --out TỆP.pdf|TỆP.csv") \
	X(closing, cli_closing, "Báo cáo cuối ngày (hồ sơ, phí, lệ phí): --date NGÀY --out TỆP.pdf|TỆP.csv [--clerk CÁN_BỘ]") \
	X(indicators, cli_indicators, "Chỉ số phục vụ (QĐ 766): --from NGÀY --to NGÀY [--unit MÃ] [--clerk CÁN_BỘ]") \
	X(queue, cli_queue, "Hàng đợi giám sát: overdue|due-today|due-soon|waiting|ready [--unit MÃ]") \
	X(scan, cli_scan, "Quét giấy tờ (SANE) hoặc nhập tệp thành một PDF gọn: --device MÁY --out TỆP.pdf") \
	X(attach, cli_attach, "Gắn giấy tờ số hóa vào thành phần hồ sơ: MÃ_HỒ_SƠ --component SỐ TỆP... | --reuse[-server] MÃ_GIẤY_TỜ") \
	X(documents, cli_documents, "Liệt kê giấy tờ còn hạn của công dân: --applicant SỐ_ĐỊNH_DANH") \
	X(papers, cli_papers, "Giấy tờ để dùng lại, trong kho hoặc trên máy chủ: --id-number SỐ [--online --dossier MÃ]") \
	X(paper, cli_paper, "Mở giấy tờ theo mã băm, tải từ máy chủ khi máy này chưa có: MÃ_BĂM [--open]") \
	X(encrypt, cli_encrypt, "Mã hóa kho dữ liệu và giấy tờ của máy này: [--user CÁN_BỘ]") \
	X(config, cli_config, "Cài đặt máy trạm: list, get TÊN, set TÊN GIÁ_TRỊ, test-printer") \
	X(doctor, cli_doctor, "Kiểm tra máy trạm (dữ liệu, kho, đĩa, máy quét, OCR, máy in, máy chủ): [--json]") \
	X(backup, cli_backup, "Sao lưu kho dữ liệu khi đang chạy: TỆP") \
	X(restore, cli_restore, "Khôi phục kho dữ liệu từ bản sao lưu: TỆP [--force]") \
	X(sign, cli_sign, "Ký số tệp PDF: TỆP.pdf --out TỆP_ĐÃ_KÝ.pdf (--pkcs12 TỆP.p12 | --pkcs11 MÔ_ĐUN.so --token THẺ --key KHÓA)") \
	X(verify, cli_verify, "Kiểm tra chữ ký số của tệp PDF: TỆP.pdf [--ca CA.pem]")

#define CLI_DECLARE(name, fn, help) int fn(int argc, char **argv);
CLI_COMMANDS(CLI_DECLARE)
#undef CLI_DECLARE

/* The reception's JSON (docs/reception.md) from FILE or "-" into in
 * (client/cli/receive.c, shared by receive, refuse and guide): CLI_OK, or
 * CLI_BADINPUT with the reason on stderr. */
struct reception_input;
struct reception_error;
int cli_read_reception(const char *file, struct reception_input *in);
/* The exit status of a reception or visit the services refused, its
 * message said: a store fault 1, bad input 2 (naming the field as
 * "applicant.full_name"...). */
int cli_reception_refused(const struct reception_error *e);

/* Prints "motcua: <message>" on stderr. */
void cli_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* cli_say, then the status: CLI_BADINPUT (cli_bad) or CLI_FAULT (cli_fault).
 * Macros, so that the status is a constant where they are used: a caller
 * testing `rc = cli_bad(...)` is seen (by readers and by the static analyser)
 * never to go on as if nothing had failed. */
#define cli_bad(...) (cli_say(__VA_ARGS__), CLI_BADINPUT)
#define cli_fault(...) (cli_say(__VA_ARGS__), CLI_FAULT)

/* Whether argv[*i] is the option name ("--name"), given as "--name VALUE"
 * or "--name=VALUE": 1 with *value set (*i moved past a separate value),
 * 0 when it is another argument, -1 when "--name" is the last argument (its
 * value missing). Every command reads its options with it. */
int cli_option(int argc, char **argv, int *i, const char *name, const char **value);
/* cli_option over the names (n of them, or up to a NULL one): the index of
 * the one matched with *value set; when argv[*i] is none of them, the count
 * of names (the index of the NULL); when the value is missing, says "tùy
 * chọn … cần một giá trị" on stderr and returns -1. */
int cli_options(int argc, char **argv, int *i, const char *const *names, size_t n,
		const char **value);

/* The end of the commands that write a paper of a dossier to a file
 * (receipt, form): out and db checked, the store at db opened with flags,
 * write(st, CODE, arg, err) called with the code as stored (upper case):
 * > 0 refused (err said, exit 2), < 0 failed ("không ghi được WHAT: …",
 * exit 1), 0 written: {"code": CODE} and the members of done printed.
 * Takes done; returns the exit status. */
struct store;
struct strbuf;
struct json_t;
typedef int cli_paper_fn(struct store *st, const char *code, void *arg, struct strbuf *err);
int cli_write_paper(const char *code, const char *out, const char *db, unsigned flags,
		    cli_paper_fn *write, void *arg, const char *what, struct json_t *done);

/* The exit status of a command that returned rc: a store found damaged on
 * the way (store_damaged) makes it 1 with the reason on stderr, unless the
 * command already failed with 1 and said why. */
int cli_exit(int rc);

/* The store path: --db value if given, else $MOTCUA_DB, else
 * ~/.local/share/motcua/motcua.db. Returns a malloc'd string. */
char *cli_db_path(const char *opt);

/* Opens the store at cli_db_path(db_opt) with flags (STORE_* of
 * client/store/store.h). Returns CLI_OK, or says why not on stderr and
 * returns CLI_FAULT; CLI_BADINPUT instead when missing_bad and there is no
 * file at that path (a mistyped --db). */
struct store;
int cli_open_store(struct store *st, const char *db_opt, unsigned flags, bool missing_bad);

/* Now, from the system clock or MOTCUA_NOW. Returns CLI_OK, or says that
 * MOTCUA_NOW is not a time and returns CLI_BADINPUT. */
struct mc_dt;
int cli_now(struct mc_dt *now);

/* The clerk a command acts for: --user when given, else the setting
 * last_user, else the only active clerk; NULL when none or several
 * (malloc'd). */
char *cli_pick_clerk(struct store *st, const char *user);

/* Prints o on stdout as compact JSON and a newline, and drops it. */
struct json_t;
void cli_print_json(struct json_t *o);

/* A code as stored, upper case, whatever case it was typed in (malloc'd). */
char *cli_upper_code(const char *code);

/* The --out of a report written as PDF or CSV, chosen by its extension
 * (either case): *csv set, CLI_OK; no --out or another extension: the
 * message, CLI_BADINPUT. */
int cli_report_out(const char *out, bool *csv);

/* A password: one line from stdin without its newline, not echoed on a
 * terminal (after the prompt "Mật khẩu: " on stderr); NULL at end of input.
 * Free it with cli_free_secret, which wipes it first (NULL is fine). */
char *cli_read_password(void);
void cli_free_secret(char *s);
/* A struct sign_key's ask callback: prints the prompt on stderr and reads
 * one line as cli_read_password does (malloc'd copy, NULL for none). */
char *cli_ask_secret(void *ctx, const char *prompt);

/* The store layer's unlock hook for the commands (client/cli/encrypt.c): an
 * encrypted store opens with a clerk's username and password, from
 * MOTCUA_USER and MOTCUA_PASSWORD or asked on the terminal. A wrong or
 * missing password ends the program with status 2; a fault returns -1
 * with err. */
struct strbuf;
int cli_unlock_store(const char *path, struct strbuf *err);

/* Imports the reference data of the data folder and its holidays into st,
 * inside the caller's transaction, with a progress bar (motcua init, and
 * motcua login on a new workstation). 0 or -1 with err. */
struct import_counts;
struct strbuf;
int cli_import_reference(struct store *st, struct import_counts *counts,
			 struct strbuf *warnings, struct strbuf *err);

/* Removes a store this run created: the file, its -wal, -shm, -journal, .lock. */
void cli_remove_store(const char *path);

/* A progress bar for a sync pass (sync_options.progress = cli_sync_progress,
 * progress_arg = a zeroed struct cli_sync_bar): one bar per phase
 * ("sync-push", "sync-pull", "sync-files"); cli_sync_bar_end ends the last. */
struct sync_progress;
struct cli_sync_bar {
	struct progress p;
	const char *phase;
};
void cli_sync_progress(void *arg, const struct sync_progress *sp);
void cli_sync_bar_end(struct cli_sync_bar *b);

#endif
