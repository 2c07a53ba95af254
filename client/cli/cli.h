/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Headless command line: `motcua SUBCOMMAND [options]`. JSON on stdout; a clear
 * Vietnamese message on stderr and exit status 2 for bad input (1 for a system
 * fault: disk full, read-only or locked store). Every subcommand that touches a
 * store accepts --db PATH. */
#ifndef MC_CLI_H
#define MC_CLI_H
#include <stdbool.h>

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
	X(attach, cli_attach, "Gắn giấy tờ số hóa vào thành phần hồ sơ: MÃ_HỒ_SƠ --component SỐ TỆP... | --reuse MÃ_GIẤY_TỜ") \
	X(documents, cli_documents, "Liệt kê giấy tờ còn hạn của công dân: --applicant SỐ_ĐỊNH_DANH") \
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

/* Prints "motcua: <message>" on stderr and returns CLI_BADINPUT. */
int cli_bad(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "motcua: <message>" on stderr and returns CLI_FAULT. */
int cli_fault(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

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
