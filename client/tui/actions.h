/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every key meaning, declared once (tig's request.h): the enum, the name used
 * in keymap files (keymaps/default.keys, ~/.config/motcua/keys) and the
 * Vietnamese help text shown by F1 and on the key-hint line. The widgets'
 * keys (moving and deleting in a text field, choosing in a list or a
 * dialog) are actions like the screens' own: nothing decodes a raw key but
 * the keymap. Add a line here when a screen needs a new action, then bind
 * it in keymaps/default.keys; the keymap parser and the help screen pick it
 * up by themselves. Keep the help text short (a verb and its object): the
 * hint line at the bottom of the screen shows it next to the key. */
#ifndef MC_ACTIONS_H
#define MC_ACTIONS_H

#define ACTIONS(X) \
	X(QUIT,           "quit",           "Thoát") \
	X(BACK,           "back",           "Quay lại") \
	X(HELP,           "help",           "Trợ giúp") \
	X(NEXT_FIELD,     "next-field",     "Ô kế tiếp") \
	X(PREV_FIELD,     "prev-field",     "Ô trước") \
	X(CONFIRM,        "confirm",        "Xác nhận") \
	X(SEARCH,         "search",         "Tìm kiếm") \
	X(FILTER,         "filter",         "Lọc danh sách") \
	X(MOVE_UP,        "move-up",        "Lên một dòng") \
	X(MOVE_DOWN,      "move-down",      "Xuống một dòng") \
	X(PAGE_UP,        "page-up",        "Lên một trang") \
	X(PAGE_DOWN,      "page-down",      "Xuống một trang") \
	X(HOME,           "home",           "Về đầu") \
	X(END,            "end",            "Về cuối") \
	X(MOVE_LEFT,      "move-left",      "Sang trái") \
	X(MOVE_RIGHT,     "move-right",     "Sang phải") \
	X(DELETE_BACK,    "delete-back",    "Xóa chữ trước con trỏ") \
	X(DELETE_CHAR,    "delete-char",    "Xóa chữ tại con trỏ") \
	X(DELETE_WORD,    "delete-word",    "Xóa từ trước con trỏ") \
	X(KILL_TO_END,    "kill-to-end",    "Xóa đến cuối ô") \
	X(CLEAR_FIELD,    "clear-field",    "Xóa cả ô") \
	X(TOGGLE_TELEX,   "toggle-telex",   "Bật/tắt gõ Telex") \
	X(SYNC_NOW,       "sync-now",       "Đồng bộ ngay") \
	X(REFRESH,        "refresh",        "Vẽ lại màn hình") \
	X(OPEN_HOME,      "open-home",      "Về màn hình chính") \
	X(OPEN_RECEPTION, "open-reception", "Tiếp nhận hồ sơ") \
	X(OPEN_CATALOG,   "open-catalog",   "Tra cứu thủ tục") \
	X(OPEN_DOSSIERS,  "open-dossiers",  "Danh sách hồ sơ") \
	X(OPEN_SYNC,      "open-sync",      "Đồng bộ / lỗi đồng bộ") \
	X(OPEN_SUPERVISOR, "open-supervisor", "Giám sát") \
	X(OPEN_ONLINE,    "open-online",    "Hồ sơ trực tuyến") \
	X(OPEN_SETTINGS,  "open-settings",  "Cài đặt máy trạm") \
	X(RESET_SETTING,  "reset-setting",  "Về giá trị mặc định") \
	X(TEST_PRINTER,   "test-printer",   "In trang thử") \
	X(OVERRIDE,       "override",       "Nhận thiếu (ghi lý do)") \
	X(REUSE_DOCUMENT, "reuse-document", "Dùng lại giấy tờ trong kho") \
	X(LIST_DOCUMENTS, "list-documents", "Giấy tờ trong kho của người nộp") \
	X(FEE,            "fee",            "Phí, lệ phí: đã thu, nộp sau, miễn") \
	X(CONSENT,        "consent",        "Đồng ý nhận thông báo qua SMS, email") \
	X(PAST_DOSSIERS,  "past-dossiers",  "Hồ sơ trước của người nộp") \
	X(PRINT,          "print",          "In biểu mẫu") \
	X(REFUSE_VISIT,   "refuse-visit",   "Từ chối tiếp nhận (mẫu 03)") \
	X(GUIDE_VISIT,    "guide-visit",    "Hướng dẫn bổ sung (mẫu 02)") \
	X(DOSSIER_ACTIONS, "dossier-actions", "Xử lý hồ sơ") \
	X(SCAN_PAPERS,    "scan-papers",    "Số hóa giấy tờ") \
	X(SCAN,           "scan",           "Quét") \
	X(RESCAN,         "rescan",         "Quét lại trang") \
	X(DELETE_PAGE,    "delete-page",    "Xóa trang") \
	X(PAGE_EARLIER,   "page-earlier",   "Chuyển trang lên") \
	X(PAGE_LATER,     "page-later",     "Chuyển trang xuống") \
	X(IMPORT_FILE,    "import-file",    "Nhập tệp") \
	X(SCAN_DEVICE,    "scan-device",    "Chọn máy quét") \
	X(SCAN_SOURCE,    "scan-source",    "Mặt kính / khay nạp") \
	X(SCAN_MODE,      "scan-mode",      "Màu / xám / đen trắng / tự động") \
	X(SCAN_DPI,       "scan-dpi",       "Độ phân giải") \
	X(PREV_COMPONENT, "prev-component", "Thành phần trước") \
	X(NEXT_COMPONENT, "next-component", "Thành phần sau") \
	X(PERIOD_WEEK,    "period-week",    "Chỉ tiêu theo tuần") \
	X(PERIOD_MONTH,   "period-month",   "Chỉ tiêu theo tháng") \
	X(PERIOD_YEAR,    "period-year",    "Chỉ tiêu theo năm") \
	X(PERIOD_EARLIER, "period-earlier", "Kỳ trước") \
	X(PERIOD_LATER,   "period-later",   "Kỳ sau") \
	X(NEXT_UNIT,      "next-unit",      "Đơn vị kế tiếp") \
	X(NEXT_CLERK,     "next-clerk",     "Cán bộ kế tiếp") \
	X(EXPORT,         "export",         "Xuất ra tệp CSV") \
	X(SORT,           "sort",           "Đổi cách sắp xếp") \
	X(CLEAR_FILTERS,  "clear-filters",  "Bỏ mọi bộ lọc") \
	X(REASSIGN,       "reassign",       "Giao cho cán bộ khác") \
	X(ACCEPT_ONLINE,  "accept-online",  "Tiếp nhận") \
	X(ASK_SUPPLEMENT, "ask-supplement", "Yêu cầu bổ sung") \
	X(REFUSE_ONLINE,  "refuse-online",  "Từ chối") \
	X(OPEN_PAPER,     "open-paper",     "Mở giấy tờ") \
	X(SAVE,           "save",           "Lưu") \
	X(LOGOUT,         "logout",         "Đăng xuất")

/* ACTION_NONE (0) is "no action": an unbound key, or `bind ... none` which
 * hides a generic binding on one screen. It also ends action lists. */
enum action {
	ACTION_NONE = 0,
#define ACTION_ENUM(id, name, help) ACTION_##id,
	ACTIONS(ACTION_ENUM)
#undef ACTION_ENUM
	ACTION__COUNT
};

/* "quit", ... ("none" for ACTION_NONE); NULL when out of range. */
const char *action_name(enum action a);
/* Vietnamese help text; "" for ACTION_NONE. */
const char *action_help(enum action a);
/* The action named name (exact, lower case); -1 when unknown. "none" gives
 * ACTION_NONE. */
int action_from_name(const char *name);

#endif
