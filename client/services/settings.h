/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The workstation's settings, declared once: their names, what each holds
 * and how it is checked, the default, and the Vietnamese words that the
 * `motcua config` command, the TUI's settings screen and docs/reception.md
 * (checked by tests/cli/t_config.sh) all show. Values live in the store's
 * settings table (client/store/settings.h); a setting never written has
 * its default. */
#ifndef MC_SERVICES_SETTINGS_H
#define MC_SERVICES_SETTINGS_H
#include <stdbool.h>
#include <stddef.h>

#include "client/store/store.h"

enum setting_kind {
	SETTING_TEXT,    /* any one-line text */
	SETTING_UNIT,    /* a unit of the store or a commune of the catalog */
	SETTING_IDENT,   /* a unit identifier (Decision 20/2020) */
	SETTING_PHONE,   /* digits, spaces, + . - ( ) */
	SETTING_URL,     /* an http:// or https:// address */
	SETTING_PRINTER, /* a printer CUPS knows; empty: no printing */
	SETTING_HOURS,   /* office hours "07:00-11:30,13:30-17:00" */
	SETTING_TIME,    /* HH:MM within the office hours */
	SETTING_NUMBER,  /* a whole number within [min, max] */
	SETTING_SERVER   /* the sync server: shown, set by motcua login only */
};

/* name, kind, default, min, max (numbers), label, description */
#define SETTINGS_TABLE(X) \
	X(unit_code, SETTING_UNIT, "", 0, 0, "Đơn vị tiếp nhận", \
	  "Mã xã, phường hoặc cơ quan mà máy trạm tiếp nhận hồ sơ cho; đặt cả unit_ident theo đơn vị") \
	X(unit_ident, SETTING_IDENT, "", 0, 0, "Mã định danh đơn vị", \
	  "Mã định danh trong mã hồ sơ (Quyết định 20/2020), ví dụ H01.00004") \
	X(unit_address, SETTING_TEXT, "", 0, 0, "Địa chỉ đơn vị", \
	  "Địa chỉ in trên giấy tiếp nhận, ở nơi trả kết quả") \
	X(unit_phone, SETTING_PHONE, "", 0, 0, "Điện thoại đơn vị", \
	  "Số điện thoại in trên giấy tiếp nhận, ở nơi trả kết quả") \
	X(receipt_parent_name, SETTING_TEXT, "", 0, 0, "Cơ quan chủ quản", \
	  "Dòng đầu tiêu đề giấy tiếp nhận; để trống: UBND + tên xã, phường") \
	X(receipt_unit_name, SETTING_TEXT, "", 0, 0, "Tên đơn vị trên giấy", \
	  "Dòng thứ hai tiêu đề giấy tiếp nhận; để trống: Trung tâm Phục vụ hành chính công + tên") \
	X(place_name, SETTING_TEXT, "", 0, 0, "Địa danh", \
	  "Địa danh trước ngày tháng trên giấy; để trống: tên xã, phường") \
	X(return_place, SETTING_TEXT, "", 0, 0, "Nơi trả kết quả", \
	  "Nơi trả kết quả in trên giấy tiếp nhận; để trống: đơn vị tiếp nhận") \
	X(lookup_url, SETTING_URL, RECEPTION_LOOKUP_URL, 0, 0, "Địa chỉ tra cứu (QR)", \
	  "Trang tra cứu hồ sơ của tỉnh; mã QR trên giấy tiếp nhận là địa chỉ này nối với mã hồ sơ") \
	X(printer, SETTING_PRINTER, "", 0, 0, "Máy in", \
	  "Tên máy in trong CUPS (lpstat -e); để trống: không in, chỉ lưu PDF") \
	X(office_hours, SETTING_HOURS, "07:00-11:30,13:30-17:00", 0, 0, "Giờ làm việc", \
	  "Các buổi làm việc trong ngày, tăng dần, không chồng nhau; dùng để tính ngày hẹn trả") \
	X(cutoff, SETTING_TIME, "15:00", 0, 0, "Giờ chốt nhận", \
	  "Hồ sơ giải quyết trong ngày nhận từ giờ này được hẹn sang ngày làm việc sau") \
	X(scan_device, SETTING_TEXT, "", 0, 0, "Máy quét", \
	  "Tên thiết bị SANE (motcua scan --list); để trống: chọn ở màn hình quét") \
	X(sync_lease_low, SETTING_NUMBER, "100", 1, 1000, "Ngưỡng xin số hồ sơ", \
	  "Xin thêm số hồ sơ từ máy chủ khi số còn lại trong ngày ít hơn ngưỡng này") \
	X(sync_lease_block, SETTING_NUMBER, "200", 1, 1000, "Số hồ sơ mỗi lần xin", \
	  "Số thứ tự hồ sơ xin mỗi lần từ máy chủ đồng bộ") \
	X(server, SETTING_SERVER, "", 0, 0, "Máy chủ đồng bộ", \
	  "Địa chỉ máy chủ; chỉ đổi bằng: motcua login --server URL --username TÊN")

struct setting_def {
	const char *name;
	enum setting_kind kind;
	const char *dflt;
	long min, max;
	const char *label;       /* a few words, for the screen's list */
	const char *description; /* one sentence */
};

/* The table, in its order. */
const struct setting_def *settings_defs(size_t *n);
/* The setting called name, or NULL. */
const struct setting_def *settings_find(const char *name);

/* The value in force (stored, else the default; for the server, the one
 * logged in to); *is_default tells which (may be NULL). malloc'd. */
char *settings_value(struct store *st, const struct setting_def *d, bool *is_default);

enum { SETTINGS_REFUSED = -1, SETTINGS_FAULT = -2 };

/* Checks value for d without writing: 0 with the value as it would be kept
 * in *normal (malloc'd: trimmed, hours and times written out in full), or
 * SETTINGS_REFUSED with a Vietnamese reason in err, or SETTINGS_FAULT.
 * "" is accepted for every setting with an empty default or a default
 * (it means: back to the default). warn gets a remark that does not refuse
 * (a cutoff outside new hours), may be NULL. */
int settings_check(struct store *st, const struct setting_def *d, const char *value, char **normal,
		   struct strbuf *warn, struct strbuf *err);

/* Checks and writes value in one transaction (unit_code writes unit_ident
 * too). 0, SETTINGS_REFUSED or SETTINGS_FAULT with err; warn as above. */
int settings_set(struct store *st, const struct setting_def *d, const char *value,
		 struct strbuf *warn, struct strbuf *err);

/* The printer test page (client/print/print.h) with this workstation's
 * header, address, phone and lookup address, written to out (NULL:
 * <store folder>/receipts/trang-in-thu.pdf; *pdf gets the path, malloc'd)
 * and sent to printer (NULL: the setting; none set: not printed). Returns
 * 0 (*printed tells), -1 when the PDF could not be made, -2 when it was
 * made but the printer refused it; err says why. */
struct mc_dt;
int settings_test_page(struct store *st, const char *printer, const char *out,
		       const struct mc_dt *now, char **pdf, bool *printed, struct strbuf *err);

/* The markdown table of the settings (docs/reception.md holds a copy that
 * a test compares), into out. */
void settings_markdown(struct strbuf *out);

#endif
