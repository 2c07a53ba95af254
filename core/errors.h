/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The error codes of the sync protocol, declared once and shared by
 * motcua-server and the client. Each code has a stable name on the wire
 * (the "code" of {"error": {"code", "message"}} and of a push answer's
 * "error"), an HTTP status and a Vietnamese sentence for when nothing more
 * precise is known. docs/api.md lists the same codes ("Error codes");
 * tests/sync/t_openapi.sh fails when the two differ.
 *
 * The server answers with an enum (the status comes from here); the client
 * turns the wire name into the enum once (mc_err_from_wire) and switches on
 * it: nobody compares code strings.
 *
 * Status of a code that answers one operation of a push: 409 is a conflict
 * (kept for a person to look at), any other 4xx a rejection (mc_err_conflict).
 * Status 0: the client's own code, never sent by the server. */
#ifndef MC_ERRORS_H
#define MC_ERRORS_H
#include <stdbool.h>

/* enum name, wire name, HTTP status, Vietnamese sentence */
#define MC_ERRORS(X) \
	/* requests */ \
	X(MC_ERR_BAD_JSON, "bad_json", 400, "Nội dung yêu cầu không phải một đối tượng JSON hợp lệ") \
	X(MC_ERR_BAD_REQUEST, "bad_request", 400, "Yêu cầu thiếu trường hoặc có trường sai kiểu") \
	X(MC_ERR_BAD_PATH, "bad_path", 400, "Đường dẫn không hợp lệ") \
	X(MC_ERR_BAD_ENCODING, "bad_encoding", 400, \
	  "Nội dung nén gzip bị hỏng hoặc không trọn vẹn") \
	X(MC_ERR_PROTOCOL_OUTDATED, "protocol_outdated", 400, \
	  "Phần mềm motcua của máy trạm đã cũ; hãy cập nhật motcua rồi đồng bộ lại") \
	X(MC_ERR_PROTOCOL_UNSUPPORTED, "protocol_unsupported", 400, \
	  "Máy chủ chưa hỗ trợ giao thức đồng bộ của máy trạm; hãy cập nhật máy chủ") \
	X(MC_ERR_UNAUTHORIZED, "unauthorized", 401, \
	  "Cần đăng nhập: mã truy cập thiếu, không hợp lệ hoặc đã bị thu hồi") \
	X(MC_ERR_BAD_CREDENTIALS, "bad_credentials", 401, "Sai tên đăng nhập hoặc mật khẩu") \
	X(MC_ERR_TOKEN_EXPIRED, "token_expired", 401, \
	  "Mã truy cập đã hết hạn; hãy đăng nhập lại") \
	X(MC_ERR_USER_DISABLED, "user_disabled", 403, \
	  "Tài khoản đã bị khóa; hãy liên hệ quản trị viên") \
	X(MC_ERR_OUT_OF_SCOPE, "out_of_scope", 403, \
	  "Đơn vị không thuộc phạm vi của tài khoản") \
	X(MC_ERR_WRONG_DEVICE, "wrong_device", 403, \
	  "device_id không phải thiết bị của mã truy cập này") \
	X(MC_ERR_DEVICE_TAKEN, "device_taken", 403, \
	  "Thiết bị đã gắn với cán bộ của một đơn vị khác; hãy nhờ quản trị viên gỡ") \
	X(MC_ERR_NOT_FOUND, "not_found", 404, "Không có tài nguyên này trên máy chủ") \
	X(MC_ERR_PAPER_SCOPE, "paper_scope", 403, \
	  "Chỉ cán bộ của đơn vị đang tiếp nhận hồ sơ của công dân mới xem được giấy tờ của họ") \
	X(MC_ERR_PAPER_EXPIRED, "paper_expired", 409, "Giấy tờ đã hết hạn, không dùng lại được") \
	X(MC_ERR_PAPER_UNSIGNED, "paper_unsigned", 409, \
	  "Giấy tờ chưa được ký số, không dùng lại được từ máy chủ") \
	X(MC_ERR_METHOD_NOT_ALLOWED, "method_not_allowed", 405, \
	  "Phương thức không dùng được cho đường dẫn này") \
	X(MC_ERR_REQUEST_ID_REUSED, "request_id_reused", 409, \
	  "request_id đã được dùng cho một yêu cầu khác") \
	X(MC_ERR_LEASES_EXHAUSTED, "leases_exhausted", 409, \
	  "Đã hết số hồ sơ có thể cấp cho đơn vị") \
	X(MC_ERR_FLOOR_OUT_OF_RANGE, "floor_out_of_range", 409, \
	  "\"floor\" vượt quá bộ đếm số hồ sơ của đơn vị quá xa; hãy liên hệ quản trị viên") \
	X(MC_ERR_OFFSET_MISMATCH, "offset_mismatch", 409, \
	  "Vị trí tải lên khác vị trí máy chủ đang có; hãy hỏi lại vị trí") \
	X(MC_ERR_CURSOR_EXPIRED, "cursor_expired", 410, \
	  "Con trỏ đồng bộ không còn hiệu lực; hãy nhận lại từ đầu") \
	X(MC_ERR_TUS_VERSION, "tus_version", 412, "Cần tiêu đề Tus-Resumable: 1.0.0") \
	X(MC_ERR_PAYLOAD_TOO_LARGE, "payload_too_large", 413, "Nội dung yêu cầu quá lớn") \
	X(MC_ERR_TOO_MANY_OPS, "too_many_ops", 413, "Quá nhiều thao tác trong một lần gửi") \
	X(MC_ERR_BAD_CONTENT_TYPE, "bad_content_type", 415, "Kiểu nội dung không được chấp nhận") \
	X(MC_ERR_UNSUPPORTED_ENCODING, "unsupported_encoding", 415, \
	  "Máy chủ chỉ nhận nội dung nén gzip") \
	X(MC_ERR_HASH_MISMATCH, "hash_mismatch", 422, \
	  "Mã băm SHA-256 không khớp với nội dung tệp; hãy gửi lại") \
	X(MC_ERR_TOO_MANY_ATTEMPTS, "too_many_attempts", 429, \
	  "Đăng nhập sai quá nhiều lần; hãy thử lại sau") \
	X(MC_ERR_TOO_MANY_REQUESTS, "too_many_requests", 429, \
	  "Quá nhiều yêu cầu; hãy thử lại sau") \
	X(MC_ERR_INTERNAL, "internal", 500, "Lỗi nội bộ của máy chủ") \
	X(MC_ERR_DB_UNAVAILABLE, "db_unavailable", 503, \
	  "Máy chủ tạm thời không truy cập được cơ sở dữ liệu; hãy thử lại sau") \
	/* one operation of a push: conflicts */ \
	X(MC_ERR_OP_ID_REUSED, "op_id_reused", 409, \
	  "Mã thao tác đã được dùng cho một nội dung khác") \
	X(MC_ERR_CODE_TAKEN, "code_taken", 409, \
	  "Mã hồ sơ đã được dùng cho một hồ sơ khác trên máy chủ") \
	X(MC_ERR_DOSSIER_EXISTS, "dossier_exists", 409, "Hồ sơ đã có trên máy chủ") \
	X(MC_ERR_STALE_REV, "stale_rev", 409, "Hồ sơ đã được thay đổi trên máy chủ") \
	X(MC_ERR_EVENT_EXISTS, "event_exists", 409, "Sự kiện đã có trên máy chủ") \
	X(MC_ERR_DOCUMENT_MISMATCH, "document_mismatch", 409, \
	  "Giấy tờ đã có trên máy chủ với một tệp khác") \
	X(MC_ERR_VISIT_EXISTS, "visit_exists", 409, \
	  "Lượt tiếp công dân đã có trên máy chủ") \
	/* one operation of a push: rejections */ \
	X(MC_ERR_BAD_HASH, "bad_hash", 422, "payload_hash không khớp với nội dung payload") \
	X(MC_ERR_BAD_PAYLOAD, "bad_payload", 422, "Nội dung thao tác thiếu trường hoặc sai dạng") \
	X(MC_ERR_BAD_FEE, "bad_fee", 422, \
	  "Phí, lệ phí của hồ sơ không hợp lệ (tình trạng, số tiền hoặc lý do miễn)") \
	X(MC_ERR_BAD_TAX_CODE, "bad_tax_code", 422, \
	  "Mã số thuế hoặc người đại diện của tổ chức nộp hồ sơ không hợp lệ") \
	X(MC_ERR_UNKNOWN_OP, "unknown_op", 422, "Máy chủ không hỗ trợ thao tác này") \
	X(MC_ERR_UNKNOWN_DOSSIER, "unknown_dossier", 404, \
	  "Máy chủ chưa có hồ sơ này (hãy gửi thao tác tiếp nhận trước)") \
	X(MC_ERR_UNKNOWN_COMPONENT, "unknown_component", 404, \
	  "Hồ sơ không có thành phần này") \
	X(MC_ERR_INVALID_TRANSITION, "invalid_transition", 422, \
	  "Quy trình không cho phép thao tác này ở trạng thái hiện tại của hồ sơ") \
	X(MC_ERR_STATUS_MISMATCH, "status_mismatch", 422, \
	  "Trạng thái máy trạm ghi khác trạng thái quy trình cho") \
	X(MC_ERR_FORBIDDEN, "forbidden", 403, "Tài khoản không có quyền thực hiện thao tác này") \
	X(MC_ERR_BAD_CLERK, "bad_clerk", 422, \
	  "Cán bộ không có, đã bị khóa hoặc không làm việc tại đơn vị của hồ sơ") \
	X(MC_ERR_BAD_EVENT, "bad_event", 422, \
	  "Sự kiện có loại, trạng thái hoặc trường không hợp lệ") \
	X(MC_ERR_UNKNOWN_UNIT, "unknown_unit", 422, "Không có đơn vị này trên máy chủ") \
	X(MC_ERR_CODE_OUT_OF_SCOPE, "code_out_of_scope", 403, \
	  "Mã hồ sơ không thuộc đơn vị hoặc dải số của thiết bị") \
	X(MC_ERR_NO_SNAPSHOT, "no_snapshot", 404, \
	  "Dữ liệu của các đơn vị còn ít: hãy nhận thay đổi từ đầu thay cho bản chụp") \
	X(MC_ERR_RANGE_NOT_SATISFIABLE, "range_not_satisfiable", 416, \
	  "Đoạn yêu cầu nằm ngoài kích thước của tệp") \
	/* the client's own */ \
	X(MC_ERR_HTTP, "http", 0, "Máy chủ trả lời không kèm mã lỗi") \
	X(MC_ERR_BAD_RESPONSE, "bad_response", 0, "Câu trả lời của máy chủ không hợp lệ")

#define MC_ERR_ENUM(name, wire, status, text) name,
enum mc_err {
	MC_ERR_NONE,             /* no error */
	MC_ERRORS(MC_ERR_ENUM)
	MC_ERR_UNKNOWN,          /* a wire name this build does not know (a newer server) */
	MC_ERR_COUNT
};
#undef MC_ERR_ENUM

/* The wire name ("" for MC_ERR_NONE, "unknown" for MC_ERR_UNKNOWN). */
const char *mc_err_wire(enum mc_err e);
/* The HTTP status (0 for the client's own codes, NONE and UNKNOWN). */
int mc_err_status(enum mc_err e);
/* The Vietnamese sentence. */
const char *mc_err_text(enum mc_err e);
/* Whether the code answers a push operation as a conflict (status 409). */
bool mc_err_conflict(enum mc_err e);
/* The code of a wire name: MC_ERR_NONE for NULL or "", MC_ERR_UNKNOWN for a
 * name not in the table. The one place a code string is compared. */
enum mc_err mc_err_from_wire(const char *wire);

#endif
