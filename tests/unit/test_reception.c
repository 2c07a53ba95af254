/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reception (client/services/reception.h) on real stores: one template store gets the
 * real reference data (import_reference), the demo unit and clerk and the
 * official holidays; every test works on its own copy. Checks the happy path
 * row by row, every refusal leaving the store unchanged, overrides, the day's
 * numbering, the appointment rules, store faults (read-only, busy), two
 * processes receiving at once, the receipt reprint and the demo data. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include <jansson.h>
#include <sodium.h>

#include "client/base/datadir.h"
#include "client/services/demo.h"
#include "client/store/import.h"
#include "client/services/reception.h"
#include "client/store/store.h"
#include "client/tui/job.h"
#include "core/datetime.h"
#include "core/idnum.h"
#include "core/text.h"
#include "core/xalloc.h"
#include "tests/unit/fixtures.h"

#define NOW "2025-10-27T10:00" /* Monday */

/* ---- helpers ------------------------------------------------------------- */

static long count(struct store *st, const char *sql)
{
	sqlite3_stmt *q = store_prepare(st, sql);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	long n = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return n;
}

static char *text_of(struct store *st, const char *sql, const char *arg)
{
	sqlite3_stmt *q = store_prepare(st, sql);
	if (arg)
		sqlite3_bind_text(q, 1, arg, -1, SQLITE_TRANSIENT);
	char *s = NULL;
	if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
		s = xstrdup((const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	return s;
}

/* Every table a reception writes, as one string of counts. */
static char *counts(struct store *st)
{
	return xasprintf("%ld %ld %ld %ld %ld", count(st, "SELECT count(*) FROM dossiers"),
			 count(st, "SELECT count(*) FROM dossier_components"),
			 count(st, "SELECT count(*) FROM events"),
			 count(st, "SELECT count(*) FROM outbox"),
			 count(st, "SELECT count(*) FROM code_seq"));
}

static void add_component(struct reception_input *in, int id, int originals, int copies,
			  const char *reason)
{
	in->components = xrealloc(in->components, (in->n_components + 1) * sizeof(*in->components));
	struct reception_component *c = &in->components[in->n_components++];
	c->id = id;
	c->originals = originals;
	c->copies = copies;
	c->override_reason = reason ? xstrdup(reason) : NULL;
	c->reuse = NULL;
	c->original_for_copy = false;
}

/* The issue's birth registration: every mandatory paper presented. */
static void good_input(struct reception_input *in)
{
	reception_input_init(in);
	in->procedure = xstrdup("1.001193");
	in->received_at = xstrdup("2025-10-27T09:32");
	in->applicant.full_name = xstrdup("Nguyễn Văn An");
	in->applicant.id_number = xstrdup("001090012345");
	in->applicant.birth_date = xstrdup("1990-05-17");
	in->applicant.sex = 'M';
	in->applicant.phone = xstrdup("0912 345 678");
	in->applicant.email = xstrdup("an.nguyen@example.vn");
	in->applicant.address = xstrdup("Số 12 ngõ 45 phố Đội Cấn");
	in->applicant.commune = xstrdup("00004");
	add_component(in, 5, 1, 0, NULL);
	add_component(in, 7, 1, 0, NULL);
	add_component(in, 11, 1, 0, NULL);
	add_component(in, 32, 1, 0, NULL);
}

/* Every mandatory component of a procedure, presented as required. */
static void all_mandatory(struct store *st, struct reception_input *in)
{
	sqlite3_stmt *q = store_prepare(st, "SELECT seq, originals, copies FROM components"
					    " WHERE procedure_code = ? AND mandatory = 1");
	sqlite3_bind_text(q, 1, in->procedure, -1, SQLITE_STATIC);
	while (sqlite3_step(q) == SQLITE_ROW)
		add_component(in, sqlite3_column_int(q, 0), sqlite3_column_int(q, 1),
			      sqlite3_column_int(q, 2), NULL);
	sqlite3_finalize(q);
}

static void set_str(char **slot, const char *v)
{
	free(*slot);
	*slot = v ? xstrdup(v) : NULL;
}

static void commit_ok(struct fixture *f, const struct reception_input *in, unsigned flags,
		      struct reception_result *res)
{
	struct reception_error err;
	if (reception_commit_flags(&f->st, in, "canbo", &f->now, flags, res, &err))
		fail_msg("reception refused (field %d): %s", err.field, err.msg);
}

/* ---- fixtures -------------------------------------------------------------- */

static int group_setup(void **state)
{
	return fixture_group_setup("reception");
}

static int setup(void **state)
{
	if (fixture_setup(state))
		return -1;
	struct fixture *f = *state;
	mc_parse_dt(NOW, &f->now);
	return 0;
}

/* ---- the happy path -------------------------------------------------------- */

static void test_happy_path(void **state)
{
	struct fixture *f = *state;
	struct reception_input in;
	good_input(&in);
	/* Decomposed input (e + U+0302 + U+0303 style) is stored NFC. */
	set_str(&in.applicant.full_name, "  Nguye\xcc\x82\xcc\x83n   Va\xcc\x86n An ");

	struct reception_plan plan;
	struct reception_error err;
	if (reception_plan(&f->st, &in, &f->now, &plan, &err))
		fail_msg("plan: %s", err.msg);
	char buf[20];
	mc_format_dt(buf, sizeof buf, &plan.appointment);
	assert_string_equal(buf, "2025-10-28T09:32"); /* 1 working day */
	assert_string_equal(plan.time_text, "1 ngày làm việc");
	assert_int_equal(plan.missing, 0);
	assert_false(plan.manual_appointment);

	struct reception_result res;
	commit_ok(f, &in, 0, &res);
	assert_string_equal(res.code, "H01.00004-251027-0001");
	mc_format_dt(buf, sizeof buf, &res.appointment);
	assert_string_equal(buf, "2025-10-28T09:32");
	assert_int_equal(strlen(res.id), 36);
	assert_int_equal(res.id[14], '7'); /* UUID version 7 */

	/* One dossier, every component of the procedure, one event, one op. */
	char *c = counts(&f->st);
	long ncomp = count(&f->st, "SELECT count(*) FROM components WHERE procedure_code = '1.001193'");
	char *want = xasprintf("1 %ld 1 1 1", ncomp);
	assert_string_equal(c, want);
	free(c);
	free(want);

	sqlite3_stmt *q = store_prepare(&f->st,
		"SELECT code, status, received_at, appointment, applicant_name, applicant_fold,"
		" id_number, birth_date, sex, phone, email, address, commune_code, clerk, channel,"
		" procedure_name, rev, unit_code, updated_at FROM dossiers WHERE id = ?");
	sqlite3_bind_text(q, 1, res.id, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	int i = 0;
#define COL() ((const char *)sqlite3_column_text(q, i++))
	assert_string_equal(COL(), "H01.00004-251027-0001");
	assert_int_equal(sqlite3_column_int(q, i++), 2);
	assert_string_equal(COL(), "2025-10-27T09:32");
	assert_string_equal(COL(), "2025-10-28T09:32");
	assert_string_equal(COL(), "Nguyễn Văn An"); /* NFC, trimmed, one space */
	assert_string_equal(COL(), "nguyen van an");
	assert_string_equal(COL(), "001090012345");
	assert_string_equal(COL(), "1990-05-17");
	assert_string_equal(COL(), "M");
	assert_string_equal(COL(), "0912 345 678");
	assert_string_equal(COL(), "an.nguyen@example.vn");
	assert_string_equal(COL(), "Số 12 ngõ 45 phố Đội Cấn");
	assert_string_equal(COL(), "00004");
	assert_string_equal(COL(), "canbo");
	assert_int_equal(sqlite3_column_int(q, i++), 1);
	assert_string_equal(COL(), "Thủ tục đăng ký khai sinh");
	assert_int_equal(sqlite3_column_int(q, i++), 1);
	assert_string_equal(COL(), "00004");
	assert_string_equal(COL(), NOW);
#undef COL
	sqlite3_finalize(q);

	/* Components: required and presented counts. */
	assert_int_equal(count(&f->st, "SELECT count(*) FROM dossier_components WHERE seq = 5 AND"
				       " mandatory = 1 AND originals_required = 1 AND originals = 1"
				       " AND override_reason IS NULL"), 1);
	assert_int_equal(count(&f->st, "SELECT count(*) FROM dossier_components WHERE seq = 11 AND"
				       " kind = 'present'"), 1);
	assert_int_equal(count(&f->st, "SELECT sum(originals + copies) FROM dossier_components"), 4);

	/* The event: receive, 1 -> 2, by the clerk, at the device's now. */
	assert_int_equal(count(&f->st, "SELECT count(*) FROM events WHERE kind = 'receive' AND"
				       " status_from = 1 AND status_to = 2 AND actor = 'canbo' AND"
				       " unit_code = '00004' AND device_time = '" NOW "'"), 1);

	/* The outbox row: pending, its hash is the SHA-256 of its payload, and
	 * the payload carries the dossier, its components and the event. */
	char *payload = text_of(&f->st, "SELECT payload FROM outbox WHERE entity_id = ? AND"
					" entity = 'dossier' AND op = 'receive' AND base_rev = 0 AND"
					" state = 'pending'", res.id);
	assert_non_null(payload);
	char *hash = text_of(&f->st, "SELECT payload_hash FROM outbox", NULL);
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[crypto_hash_sha256_BYTES * 2 + 1];
	crypto_hash_sha256(h, (const unsigned char *)payload, strlen(payload));
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	assert_string_equal(hash, hex);
	json_error_t jerr;
	json_t *j = json_loads(payload, 0, &jerr);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "code")), res.code);
	assert_string_equal(json_string_value(json_object_get(j, "id")), res.id);
	assert_int_equal(json_integer_value(json_object_get(j, "status")), 2);
	assert_int_equal(json_array_size(json_object_get(j, "components")), (size_t)ncomp);
	json_t *ev = json_object_get(j, "event");
	assert_string_equal(json_string_value(json_object_get(ev, "kind")), "receive");
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "applicant"),
								"full_name")), "Nguyễn Văn An");
	json_decref(j);
	free(payload);
	free(hash);

	/* The receipt, next to the store. */
	char *pdf = xasprintf("%s/receipts/H01.00004-251027-0001.pdf", f->dir);
	assert_non_null(res.receipt_path);
	assert_string_equal(res.receipt_path, pdf);
	assert_null(res.receipt_error);
	assert_false(res.printed);
	char *text = run("pdftotext '%s' -", pdf);
	assert_non_null(strstr(text, "H01.00004-251027-0001"));
	assert_non_null(strstr(text, "Nguyễn Văn An"));
	assert_non_null(strstr(text, "UBND PHƯỜNG BA ĐÌNH"));
	assert_non_null(strstr(text, "Nguyễn Thị Lan")); /* the clerk */
	free(text);
	free(pdf);
	reception_result_release(&res);
	reception_input_release(&in);
}

/* The page checks alone, as the wizard calls them. */
static void test_page_checks(void **state)
{
	struct fixture *f = *state;
	struct reception_input in;
	struct reception_error err;
	good_input(&in);
	assert_int_equal(reception_check_procedure(&f->st, &in, &err), 0);
	assert_int_equal(reception_check_applicant(&f->st, &in, &f->now, &err), 0);
	assert_int_equal(reception_check_components(&f->st, &in, &err), 0);
	in.applicant.sex = 'F';
	assert_int_equal(reception_check_applicant(&f->st, &in, &f->now, &err), -1);
	assert_int_equal(err.field, RF_ID_NUMBER);
	assert_string_equal(err.msg, "Số CCCD không khớp với giới tính đã nhập: số 001090012345 ghi"
				     " giới tính nam, đã nhập nữ");
	in.n_components = 1; /* only component 5 */
	assert_int_equal(reception_check_components(&f->st, &in, &err), -1);
	assert_int_equal(err.field, RF_COMPONENTS);
	assert_int_equal(err.component, 7);
	/* Valid phone forms. */
	const char *phones[] = { "+84 912 345 678", "0912.345.678", "024 3825 1234", "0912-345-678" };
	in.applicant.sex = 'M';
	for (size_t i = 0; i < sizeof phones / sizeof phones[0]; i++) {
		set_str(&in.applicant.phone, phones[i]);
		if (reception_check_applicant(&f->st, &in, &f->now, &err))
			fail_msg("%s: %s", phones[i], err.msg);
	}
	/* Names: apostrophe, dot, hyphen; 100 characters at most. */
	set_str(&in.applicant.full_name, "H'Hen Niê-Ksor Jr.");
	assert_int_equal(reception_check_applicant(&f->st, &in, &f->now, &err), 0);
	struct strbuf name = STRBUF_INIT;
	for (int i = 0; i < 25; i++)
		strbuf_addstr(&name, "Đặng"); /* 4 characters */
	set_str(&in.applicant.full_name, name.buf);
	assert_int_equal(reception_check_applicant(&f->st, &in, &f->now, &err), 0);
	strbuf_addstr(&name, "A");
	set_str(&in.applicant.full_name, name.buf);
	assert_int_equal(reception_check_applicant(&f->st, &in, &f->now, &err), -1);
	assert_int_equal(err.field, RF_FULL_NAME);
	assert_string_equal(err.msg, "Họ tên dài quá 100 ký tự (101 ký tự)");
	strbuf_release(&name);
	reception_input_release(&in);
}

/* ---- refusals -------------------------------------------------------------- */

#define MUT(name) static void name(struct reception_input *in)
MUT(m_proc_unknown) { set_str(&in->procedure, "9.999999"); }
MUT(m_proc_blank) { set_str(&in->procedure, "  "); }
MUT(m_name_blank) { set_str(&in->applicant.full_name, NULL); }
MUT(m_name_digit) { set_str(&in->applicant.full_name, "Nguyễn Văn 3"); }
MUT(m_name_marks) { set_str(&in->applicant.full_name, "' - ."); }
MUT(m_id_blank) { set_str(&in->applicant.id_number, ""); }
MUT(m_id_short) { set_str(&in->applicant.id_number, "00109001234"); }
MUT(m_id_letters) { set_str(&in->applicant.id_number, "00109001234A"); }
MUT(m_id_province) { set_str(&in->applicant.id_number, "003090012345"); }
MUT(m_id_year) { set_str(&in->applicant.birth_date, "1991-05-17"); }
MUT(m_id_sex) { in->applicant.sex = 'F'; }
MUT(m_birth_blank) { set_str(&in->applicant.birth_date, NULL); }
MUT(m_birth_impossible) { set_str(&in->applicant.birth_date, "1990-02-30"); }
MUT(m_birth_format) { set_str(&in->applicant.birth_date, "17/05/1990"); }
MUT(m_birth_future)
{
	set_str(&in->applicant.birth_date, "2025-10-28");
	set_str(&in->applicant.id_number, "001225012345");
}
MUT(m_birth_1899)
{
	set_str(&in->applicant.birth_date, "1899-12-31");
	set_str(&in->applicant.id_number, "001099012345");
}
MUT(m_sex_missing) { in->applicant.sex = 0; }
MUT(m_sex_bad) { in->applicant.sex = 'X'; }
MUT(m_phone_short) { set_str(&in->applicant.phone, "091234567"); }
MUT(m_phone_letters) { set_str(&in->applicant.phone, "0912 345 67a"); }
MUT(m_phone_plus0) { set_str(&in->applicant.phone, "+84 0912 345 678"); }
MUT(m_email_no_at) { set_str(&in->applicant.email, "an.nguyen.example.vn"); }
MUT(m_email_no_dot) { set_str(&in->applicant.email, "an@example"); }
MUT(m_email_space) { set_str(&in->applicant.email, "an nguyen@example.vn"); }
MUT(m_commune_unknown) { set_str(&in->applicant.commune, "99999"); }
MUT(m_commune_blank) { set_str(&in->applicant.commune, NULL); }
MUT(m_address_control) { set_str(&in->applicant.address, "Số 12\x01 phố Huế"); }
MUT(m_comp_unknown) { add_component(in, 99, 1, 0, NULL); }
MUT(m_comp_negative) { in->components[0].copies = -1; }
MUT(m_comp_too_many) { in->components[0].originals = 100; }
MUT(m_comp_twice) { add_component(in, 5, 1, 0, NULL); }
MUT(m_comp_missing) { in->components[0].originals = 0; }
MUT(m_comp_absent) { in->n_components = 3; /* 32 not listed */ }
MUT(m_comp_blank_reason)
{
	in->components[0].originals = 0;
	in->components[0].override_reason = xstrdup("   ");
}
MUT(m_received_future) { set_str(&in->received_at, "2025-10-27T10:01"); }
MUT(m_received_bad) { set_str(&in->received_at, "2025-13-01T09:00"); }
MUT(m_received_short) { set_str(&in->received_at, "2025-10-27"); }
MUT(m_received_1999) { set_str(&in->received_at, "1999-12-31T09:00"); }
MUT(m_appointment_typed) { set_str(&in->appointment, "2025-10-30T09:00"); }
MUT(m_note_control) { set_str(&in->note, "ghi chú\x07"); }
#undef MUT

struct refusal {
	const char *name;
	void (*mutate)(struct reception_input *in);
	enum reception_field field;
	int component;
	const char *msg; /* the whole message, or a part of it after '~' */
};

static const struct refusal refusals[] = {
	{ "procedure unknown", m_proc_unknown, RF_PROCEDURE, 0,
	  "Không có thủ tục mã «9.999999» trong danh mục" },
	{ "procedure blank", m_proc_blank, RF_PROCEDURE, 0, "Chưa chọn thủ tục hành chính" },
	{ "name blank", m_name_blank, RF_FULL_NAME, 0, "Chưa nhập họ tên người nộp hồ sơ" },
	{ "name digit", m_name_digit, RF_FULL_NAME, 0,
	  "Họ tên chỉ được có chữ cái, dấu cách và các dấu ' . - (gặp «3»)" },
	{ "name marks only", m_name_marks, RF_FULL_NAME, 0, "Họ tên phải có ít nhất một chữ cái" },
	{ "id blank", m_id_blank, RF_ID_NUMBER, 0, "Chưa nhập số CCCD (số định danh cá nhân)" },
	{ "id short", m_id_short, RF_ID_NUMBER, 0, "Số CCCD phải gồm đúng 12 chữ số" },
	{ "id letters", m_id_letters, RF_ID_NUMBER, 0, "Số CCCD phải gồm đúng 12 chữ số" },
	{ "id province", m_id_province, RF_ID_NUMBER, 0,
	  "Ba chữ số đầu của số CCCD không phải mã tỉnh, thành phố nơi đăng ký khai sinh" },
	{ "id vs year", m_id_year, RF_ID_NUMBER, 0,
	  "Số CCCD không khớp với năm sinh đã nhập: số 001090012345 ghi năm sinh 1990,"
	  " ngày sinh đã nhập năm 1991" },
	{ "id vs sex", m_id_sex, RF_ID_NUMBER, 0,
	  "Số CCCD không khớp với giới tính đã nhập: số 001090012345 ghi giới tính nam, đã nhập nữ" },
	{ "birth blank", m_birth_blank, RF_BIRTH_DATE, 0, "Chưa nhập ngày sinh" },
	{ "birth impossible", m_birth_impossible, RF_BIRTH_DATE, 0,
	  "Ngày sinh «1990-02-30» không hợp lệ: cần một ngày có thật dạng YYYY-MM-DD, ví dụ 1990-05-17" },
	{ "birth format", m_birth_format, RF_BIRTH_DATE, 0, "~«17/05/1990» không hợp lệ" },
	{ "birth future", m_birth_future, RF_BIRTH_DATE, 0,
	  "Ngày sinh ở tương lai (sau hôm nay, 27/10/2025)" },
	{ "birth 1899", m_birth_1899, RF_BIRTH_DATE, 0, "Ngày sinh không được trước năm 1900" },
	{ "sex missing", m_sex_missing, RF_SEX, 0, "Chưa chọn giới tính (M: nam, F: nữ)" },
	{ "sex bad", m_sex_bad, RF_SEX, 0, "Giới tính phải là M (nam) hoặc F (nữ)" },
	{ "phone short", m_phone_short, RF_PHONE, 0,
	  "Số điện thoại «091234567» không hợp lệ: cần 10 chữ số bắt đầu bằng 0 (ví dụ 0912 345 678)"
	  " hoặc dạng +84 912 345 678" },
	{ "phone letters", m_phone_letters, RF_PHONE, 0, "~«0912 345 67a» không hợp lệ" },
	{ "phone +84 0", m_phone_plus0, RF_PHONE, 0, "~«+84 0912 345 678» không hợp lệ" },
	{ "email no @", m_email_no_at, RF_EMAIL, 0,
	  "Địa chỉ email «an.nguyen.example.vn» không hợp lệ: cần dạng ten@mien.vn, không dấu cách" },
	{ "email no dot", m_email_no_dot, RF_EMAIL, 0, "~«an@example» không hợp lệ" },
	{ "email space", m_email_space, RF_EMAIL, 0, "~«an nguyen@example.vn» không hợp lệ" },
	{ "commune unknown", m_commune_unknown, RF_COMMUNE, 0,
	  "Không có xã, phường mã «99999» trong danh mục đơn vị hành chính" },
	{ "commune blank", m_commune_blank, RF_COMMUNE, 0,
	  "Chưa chọn xã, phường của địa chỉ người nộp" },
	{ "address control", m_address_control, RF_ADDRESS, 0,
	  "Địa chỉ chứa ký tự điều khiển không hợp lệ" },
	{ "component unknown", m_comp_unknown, RF_COMPONENTS, 99,
	  "Thủ tục 1.001193 không có thành phần hồ sơ số 99" },
	{ "component negative", m_comp_negative, RF_COMPONENTS, 5,
	  "Số bản chính, bản sao của thành phần hồ sơ số 5 phải từ 0 đến 99" },
	{ "component 100", m_comp_too_many, RF_COMPONENTS, 5,
	  "Số bản chính, bản sao của thành phần hồ sơ số 5 phải từ 0 đến 99" },
	{ "component twice", m_comp_twice, RF_COMPONENTS, 5,
	  "Thành phần hồ sơ số 5 được nhập hai lần" },
	{ "component missing", m_comp_missing, RF_COMPONENTS, 5,
	  "~Thiếu giấy tờ bắt buộc số 5 «Giấy chứng sinh; trường hợp" },
	{ "component not listed", m_comp_absent, RF_COMPONENTS, 32,
	  "~(cần 1 bản chính, 0 bản sao; đã nhận 0 bản chính, 0 bản sao): nhập lý do nếu vẫn tiếp nhận" },
	{ "component blank reason", m_comp_blank_reason, RF_COMPONENTS, 5,
	  "~Thiếu giấy tờ bắt buộc số 5" },
	{ "received later than now", m_received_future, RF_RECEIVED_AT, 0,
	  "Thời điểm tiếp nhận muộn hơn hiện tại (2025-10-27T10:00)" },
	{ "received malformed", m_received_bad, RF_RECEIVED_AT, 0,
	  "Thời điểm tiếp nhận «2025-13-01T09:00» không hợp lệ: cần một thời điểm có thật dạng"
	  " YYYY-MM-DDTHH:MM, ví dụ 2025-10-27T09:32" },
	{ "received date only", m_received_short, RF_RECEIVED_AT, 0, "~«2025-10-27» không hợp lệ" },
	{ "received 1999", m_received_1999, RF_RECEIVED_AT, 0,
	  "Thời điểm tiếp nhận phải trong khoảng năm 2000 đến 2099" },
	{ "appointment typed", m_appointment_typed, RF_APPOINTMENT, 0,
	  "Ngày hẹn trả được tính theo thời hạn của thủ tục (1 ngày làm việc), không nhập tay" },
	{ "note control", m_note_control, RF_NOTE, 0, "Ghi chú chứa ký tự điều khiển không hợp lệ" },
};

static void expect_msg(const char *what, const struct reception_error *err, const char *want)
{
	if (want[0] == '~' ? !strstr(err->msg, want + 1) : strcmp(err->msg, want) != 0)
		fail_msg("%s: message [%s], want [%s]", what, err->msg, want);
}

/* Every refusal: the field, the message, and nothing written. Both the plan
 * and the commit refuse it the same way. */
static void test_refusals(void **state)
{
	struct fixture *f = *state;
	char *before = counts(&f->st);
	for (size_t i = 0; i < sizeof refusals / sizeof refusals[0]; i++) {
		const struct refusal *r = &refusals[i];
		struct reception_input in;
		good_input(&in);
		r->mutate(&in);
		struct reception_plan plan;
		struct reception_error err;
		if (!reception_plan(&f->st, &in, &f->now, &plan, &err))
			fail_msg("%s: plan accepted", r->name);
		if (err.field != r->field || err.component != r->component)
			fail_msg("%s: field %d component %d, want %d %d (%s)", r->name, err.field,
				 err.component, r->field, r->component, err.msg);
		expect_msg(r->name, &err, r->msg);

		struct reception_result res;
		memset(&err, 0, sizeof err);
		if (!reception_commit(&f->st, &in, "canbo", &f->now, &res, &err))
			fail_msg("%s: commit accepted", r->name);
		assert_int_equal(err.field, r->field);
		expect_msg(r->name, &err, r->msg);
		assert_null(res.receipt_path);
		char *after = counts(&f->st);
		if (strcmp(before, after))
			fail_msg("%s: store changed: %s -> %s", r->name, before, after);
		free(after);
		reception_input_release(&in);
	}
	free(before);
	/* No receipt either. */
	char *dir = xasprintf("%s/receipts", f->dir);
	struct stat sb;
	assert_int_not_equal(stat(dir, &sb), 0);
	free(dir);
}

/* Commit-only refusals: the clerk and the workstation's unit. */
static void test_clerk_and_unit(void **state)
{
	struct fixture *f = *state;
	struct reception_input in;
	struct reception_result res;
	struct reception_error err;
	good_input(&in);
	char *before = counts(&f->st);

	assert_int_equal(reception_commit(&f->st, &in, "nobody", &f->now, &res, &err), -1);
	assert_int_equal(err.field, RF_CLERK);
	assert_string_equal(err.msg, "Không có cán bộ «nobody» trong kho dữ liệu");
	exec_ok(&f->st, "UPDATE clerks SET disabled = 1");
	assert_int_equal(reception_commit(&f->st, &in, "canbo", &f->now, &res, &err), -1);
	assert_int_equal(err.field, RF_CLERK);
	assert_string_equal(err.msg, "Tài khoản cán bộ «canbo» đã bị khóa");
	exec_ok(&f->st, "UPDATE clerks SET disabled = 0");

	exec_ok(&f->st, "DELETE FROM settings WHERE key = 'unit_ident'");
	assert_int_equal(reception_commit(&f->st, &in, "canbo", &f->now, &res, &err), -1);
	assert_int_equal(err.field, RF_UNIT);
	assert_string_equal(err.msg, "Máy trạm chưa được gán đơn vị tiếp nhận; chạy motcua init"
				     " --demo hoặc cấu hình đơn vị");
	exec_ok(&f->st, "INSERT INTO settings VALUES ('unit_ident', 'not an ident')");
	assert_int_equal(reception_commit(&f->st, &in, "canbo", &f->now, &res, &err), -1);
	assert_int_equal(err.field, RF_UNIT);
	exec_ok(&f->st, "UPDATE settings SET value = 'H01.00004' WHERE key = 'unit_ident';"
			"UPDATE settings SET value = '99999' WHERE key = 'unit_code'");
	assert_int_equal(reception_commit(&f->st, &in, "canbo", &f->now, &res, &err), -1);
	assert_int_equal(err.field, RF_UNIT);
	char *after = counts(&f->st);
	assert_string_equal(before, after);
	free(before);
	free(after);
	reception_input_release(&in);
}

/* A missing mandatory paper with a reason is received, the reason kept. */
static void test_override(void **state)
{
	struct fixture *f = *state;
	struct reception_input in;
	good_input(&in);
	in.components[0].originals = 0;
	in.components[0].override_reason = xstrdup("  Công dân cam kết   bổ sung Giấy chứng sinh ");
	in.n_components = 3; /* 32 not listed either */
	struct reception_error err;
	struct reception_plan plan;
	assert_int_equal(reception_plan(&f->st, &in, &f->now, &plan, &err), -1);
	assert_int_equal(err.component, 32);
	add_component(&in, 32, 0, 0, "Tờ khai điện tử");
	if (reception_plan(&f->st, &in, &f->now, &plan, &err))
		fail_msg("%s", err.msg);
	assert_int_equal(plan.missing, 2);
	struct reception_result res;
	commit_ok(f, &in, RECEPTION_NO_RECEIPT, &res);
	char *reason = text_of(&f->st, "SELECT override_reason FROM dossier_components WHERE seq = 5"
				       " AND originals = 0", NULL);
	assert_string_equal(reason, "Công dân cam kết bổ sung Giấy chứng sinh");
	free(reason);
	char *payload = text_of(&f->st, "SELECT payload FROM events", NULL);
	assert_string_equal(payload, "{\"code\":\"H01.00004-251027-0001\",\"overrides\":["
				     "{\"seq\":5,\"reason\":\"Công dân cam kết bổ sung Giấy chứng sinh\"},"
				     "{\"seq\":32,\"reason\":\"Tờ khai điện tử\"}]}");
	free(payload);
	assert_null(res.receipt_path); /* RECEPTION_NO_RECEIPT */
	reception_result_release(&res);
	reception_input_release(&in);
}

/* The day's sequence: per unit and reception day, skipping a code that came
 * another way. */
static void test_sequence(void **state)
{
	struct fixture *f = *state;
	struct reception_input in;
	struct reception_result res;
	good_input(&in);
	commit_ok(f, &in, RECEPTION_NO_RECEIPT, &res);
	assert_string_equal(res.code, "H01.00004-251027-0001");
	commit_ok(f, &in, RECEPTION_NO_RECEIPT, &res);
	assert_string_equal(res.code, "H01.00004-251027-0002");
	/* A dossier numbered 0003 already exists (e.g. pulled by sync). */
	exec_ok(&f->st, "INSERT INTO dossiers(id, code, procedure_code, procedure_name, unit_code,"
			" clerk, status, received_at, appointment, applicant_name, applicant_fold,"
			" updated_at) VALUES ('x', 'H01.00004-251027-0003', '1.001193', 'x', '00004',"
			" 'canbo', 2, '2025-10-27T08:00', '2025-10-28T08:00', 'x', 'x', '2025-10-27T08:00')");
	commit_ok(f, &in, RECEPTION_NO_RECEIPT, &res);
	assert_string_equal(res.code, "H01.00004-251027-0004");
	/* The next day starts again at 0001; a backdated one counts on its own day. */
	mc_parse_dt("2025-10-28T08:00", &f->now);
	set_str(&in.received_at, NULL);
	commit_ok(f, &in, RECEPTION_NO_RECEIPT, &res);
	assert_string_equal(res.code, "H01.00004-251028-0001");
	char buf[20];
	mc_format_dt(buf, sizeof buf, &res.received);
	assert_string_equal(buf, "2025-10-28T08:00");
	set_str(&in.received_at, "2025-10-27T16:30");
	commit_ok(f, &in, RECEPTION_NO_RECEIPT, &res);
	assert_string_equal(res.code, "H01.00004-251027-0005");
	assert_int_equal(count(&f->st, "SELECT last FROM code_seq WHERE day = '251027'"), 5);
	assert_int_equal(count(&f->st, "SELECT count(*) FROM dossiers"), 6);
	reception_input_release(&in);
}

static const char *appointment_of(struct fixture *f, struct reception_input *in)
{
	static char buf[20];
	struct reception_plan plan;
	struct reception_error err;
	if (reception_plan(&f->st, in, &f->now, &plan, &err))
		fail_msg("plan: %s", err.msg);
	mc_format_dt(buf, sizeof buf, &plan.appointment);
	return buf;
}

/* Days (fractions round up), hours, in the day, and the calendar's holidays. */
static void test_appointments(void **state)
{
	struct fixture *f = *state;
	struct reception_input in;
	good_input(&in);
	assert_string_equal(appointment_of(f, &in), "2025-10-28T09:32");
	exec_ok(&f->st, "UPDATE procedures SET time_value = 1.5 WHERE code = '1.001193'");
	assert_string_equal(appointment_of(f, &in), "2025-10-29T09:32");
	exec_ok(&f->st, "UPDATE procedures SET time_value = 4, time_unit = 'hour' WHERE code = '1.001193'");
	assert_string_equal(appointment_of(f, &in), "2025-10-27T15:32"); /* lunch break skipped */
	exec_ok(&f->st, "UPDATE procedures SET time_value = NULL, time_unit = 'inday' WHERE code = '1.001193'");
	assert_string_equal(appointment_of(f, &in), "2025-10-27T17:00");
	exec_ok(&f->st, "UPDATE procedures SET time_value = 0, time_unit = 'day' WHERE code = '1.001193'");
	assert_string_equal(appointment_of(f, &in), "2025-10-27T17:00");
	/* The official holidays of the store: 30/4 and 1/5/2025 (and 2/5 swapped). */
	exec_ok(&f->st, "UPDATE procedures SET time_value = 1, time_unit = 'day' WHERE code = '1.001193'");
	set_str(&in.received_at, "2025-04-29T10:00");
	assert_string_equal(appointment_of(f, &in), "2025-05-05T10:00");

	/* A real procedure counted in hours: 2 working hours. */
	struct reception_input hours;
	good_input(&hours);
	set_str(&hours.procedure, "1.005040");
	hours.n_components = 0;
	all_mandatory(&f->st, &hours);
	assert_string_equal(appointment_of(f, &hours), "2025-10-27T13:32"); /* 118 + 2 min */
	reception_input_release(&hours);

	/* Unknown time: the clerk types the appointment. */
	exec_ok(&f->st, "UPDATE procedures SET time_value = NULL, time_unit = NULL,"
			" time_text = 'Không có thông tin' WHERE code = '1.001193'");
	set_str(&in.received_at, "2025-10-27T09:32");
	struct reception_plan plan;
	struct reception_error err;
	assert_int_equal(reception_plan(&f->st, &in, &f->now, &plan, &err), -1);
	assert_int_equal(err.field, RF_APPOINTMENT);
	assert_string_equal(err.msg, "Thủ tục 1.001193 chưa có thời hạn giải quyết rõ ràng trong danh"
				     " mục: nhập ngày hẹn trả (YYYY-MM-DDTHH:MM) hoặc đề nghị quản trị"
				     " viên cập nhật thời hạn của thủ tục");
	set_str(&in.appointment, "2025-10-27T09:00");
	assert_int_equal(reception_plan(&f->st, &in, &f->now, &plan, &err), -1);
	assert_string_equal(err.msg, "Ngày hẹn trả không được sớm hơn thời điểm tiếp nhận");
	set_str(&in.appointment, "2025-11-03T16:00");
	assert_string_equal(appointment_of(f, &in), "2025-11-03T16:00");
	if (reception_plan(&f->st, &in, &f->now, &plan, &err))
		fail_msg("%s", err.msg);
	assert_true(plan.manual_appointment);
	assert_string_equal(plan.time_text, "Không có thông tin");
	struct reception_result res;
	commit_ok(f, &in, RECEPTION_NO_RECEIPT, &res);
	char *due = text_of(&f->st, "SELECT appointment FROM dossiers", NULL);
	assert_string_equal(due, "2025-11-03T16:00");
	free(due);
	reception_input_release(&in);
}

/* A read-only store refuses with RF_STORE and a clear message. */
static void test_read_only(void **state)
{
	struct fixture *f = *state;
	store_close(&f->st);
	struct strbuf serr = STRBUF_INIT;
	if (store_open(&f->st, f->path, STORE_READONLY, &serr))
		fail_msg("%s", serr.buf);
	struct reception_input in;
	struct reception_result res;
	struct reception_error err;
	good_input(&in);
	assert_int_equal(reception_commit(&f->st, &in, "canbo", &f->now, &res, &err), -1);
	assert_int_equal(err.field, RF_STORE);
	if (!strstr(err.msg, "chỉ đọc"))
		fail_msg("message: %s", err.msg);
	assert_non_null(strstr(err.msg, "chưa có gì được ghi vào kho"));
	store_close(&f->st);
	assert_int_equal(store_open(&f->st, f->path, 0, &serr), 0);
	assert_int_equal(count(&f->st, "SELECT count(*) FROM dossiers"), 0);
	assert_int_equal(count(&f->st, "SELECT count(*) FROM code_seq"), 0);
	strbuf_release(&serr);
	reception_input_release(&in);
}

/* Another connection holds the write lock: busy, nothing written. */
static void test_busy(void **state)
{
	struct fixture *f = *state;
	struct store other;
	struct strbuf serr = STRBUF_INIT;
	assert_int_equal(store_open(&other, f->path, 0, &serr), 0);
	assert_int_equal(store_begin(&other, &serr), 0);
	exec_ok(&other, "INSERT INTO settings VALUES ('held', '1')");
	sqlite3_busy_timeout(f->st.db, 0);
	struct reception_input in;
	struct reception_result res;
	struct reception_error err;
	good_input(&in);
	assert_int_equal(reception_commit(&f->st, &in, "canbo", &f->now, &res, &err), -1);
	assert_int_equal(err.field, RF_STORE);
	assert_non_null(strstr(err.msg, "đang bận"));
	store_rollback(&other);
	store_close(&other);
	assert_int_equal(count(&f->st, "SELECT count(*) FROM dossiers"), 0);
	/* Once free, the same reception goes through. */
	commit_ok(f, &in, RECEPTION_NO_RECEIPT, &res);
	assert_string_equal(res.code, "H01.00004-251027-0001");
	strbuf_release(&serr);
	reception_input_release(&in);
}

/* Inside the caller's transaction a reception is a savepoint: a refused one
 * leaves the caller's work alone, and the caller's rollback undoes it all. */
static void test_nested(void **state)
{
	struct fixture *f = *state;
	struct strbuf serr = STRBUF_INIT;
	struct reception_input in;
	struct reception_result res;
	struct reception_error err;
	good_input(&in);
	assert_int_equal(store_begin(&f->st, &serr), 0);
	exec_ok(&f->st, "INSERT INTO settings VALUES ('mine', '1')");
	commit_ok(f, &in, RECEPTION_NO_RECEIPT, &res);
	set_str(&in.applicant.commune, "99999");
	assert_int_equal(reception_commit(&f->st, &in, "canbo", &f->now, &res, &err), -1);
	assert_int_equal(count(&f->st, "SELECT count(*) FROM dossiers"), 1);
	assert_int_equal(count(&f->st, "SELECT count(*) FROM settings WHERE key = 'mine'"), 1);
	store_rollback(&f->st);
	assert_int_equal(count(&f->st, "SELECT count(*) FROM dossiers"), 0);
	assert_int_equal(count(&f->st, "SELECT count(*) FROM code_seq"), 0);
	strbuf_release(&serr);
	reception_input_release(&in);
}

#define PER_CHILD 12

/* Two processes, each with its own connection, receive at once: every code
 * is distinct and the day's numbers are 1..2N without a gap. */
static void test_concurrent(void **state)
{
	struct fixture *f = *state;
	pid_t kids[2];
	for (int k = 0; k < 2; k++) {
		kids[k] = fork();
		assert_true(kids[k] >= 0);
		if (kids[k] == 0) {
			struct store st;
			struct strbuf serr = STRBUF_INIT;
			if (store_open(&st, f->path, 0, &serr))
				_exit(10);
			struct reception_input in;
			good_input(&in);
			int bad = 0;
			for (int i = 0; i < PER_CHILD; i++) {
				struct reception_result res;
				struct reception_error err;
				if (reception_commit_flags(&st, &in, "canbo", &f->now, RECEPTION_NO_RECEIPT,
							   &res, &err)) {
					fprintf(stderr, "child %d: %s\n", k, err.msg);
					bad++;
				}
			}
			reception_input_release(&in);
			store_close(&st);
			_exit(bad ? 1 : 0);
		}
	}
	for (int k = 0; k < 2; k++) {
		int status;
		assert_int_equal(waitpid(kids[k], &status, 0), kids[k]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	assert_int_equal(count(&f->st, "SELECT count(*) FROM dossiers"), 2 * PER_CHILD);
	assert_int_equal(count(&f->st, "SELECT count(DISTINCT code) FROM dossiers"), 2 * PER_CHILD);
	assert_int_equal(count(&f->st, "SELECT last FROM code_seq"), 2 * PER_CHILD);
	assert_int_equal(count(&f->st, "SELECT count(*) FROM dossiers WHERE CAST(substr(code, 18) AS"
				       " INTEGER) BETWEEN 1 AND 24"), 2 * PER_CHILD);
	assert_int_equal(count(&f->st, "SELECT count(*) FROM events"), 2 * PER_CHILD);
	assert_int_equal(count(&f->st, "SELECT count(*) FROM outbox"), 2 * PER_CHILD);
}

/* The receipt again from the store alone; an unknown code is 1. */
static void test_receipt_reprint(void **state)
{
	struct fixture *f = *state;
	struct reception_input in;
	struct reception_result res;
	good_input(&in);
	in.components[0].originals = 0;
	in.components[0].override_reason = xstrdup("Bổ sung sau");
	commit_ok(f, &in, RECEPTION_NO_RECEIPT, &res);
	exec_ok(&f->st, "INSERT INTO settings VALUES ('lookup_url', 'https://dichvucong.hanoi.gov.vn/tra-cuu/')");
	char *pdf = xasprintf("%s/again.pdf", f->dir);
	struct strbuf err = STRBUF_INIT;
	if (reception_write_receipt(&f->st, res.code, pdf, &err))
		fail_msg("%s", err.buf);
	char *text = run("pdftotext -layout '%s' -", pdf);
	assert_non_null(strstr(text, "Mã hồ sơ: H01.00004-251027-0001"));
	assert_non_null(strstr(text, "Bổ sung sau"));
	assert_non_null(strstr(text, "Tra cứu hồ sơ: https://dichvucong.hanoi.gov.vn/tra-cuu/H01.00004-251027-0001"));
	assert_non_null(strstr(text, "Thời gian giải quyết hồ sơ theo quy định: 1 ngày làm việc"));
	assert_non_null(strstr(text, "Phí, lệ phí: Miễn phí"));
	assert_non_null(strstr(text, "Ba Đình, ngày 27 tháng 10 năm 2025"));
	/* the ledger line: the first dossier of the unit's book for 2025 */
	assert_non_null(strstr(text, "Vào Sổ theo dõi hồ sơ, Quyển số: 01/2025, Số thứ tự: 0001"));
	free(text);
	/* The QR code holds the lookup URL. */
	char *png = xasprintf("%s/again", f->dir);
	free(run("pdftoppm -r 150 -png -f 1 -l 2 '%s' '%s'", pdf, png));
	char *codes = run("zbarimg -q --raw '%s'-*.png 2>/dev/null", png);
	assert_non_null(strstr(codes, "https://dichvucong.hanoi.gov.vn/tra-cuu/H01.00004-251027-0001"));
	assert_non_null(strstr(codes, "H01.00004-251027-0001\n"));
	free(codes);
	free(png);

	strbuf_reset(&err);
	assert_int_equal(reception_write_receipt(&f->st, "H01.00004-251027-9999", pdf, &err), 1);
	assert_string_equal(err.buf, "không có hồ sơ mã H01.00004-251027-9999");
	char *dir = reception_receipt_dir(&f->st);
	char *want = xasprintf("%s/receipts", f->dir);
	assert_string_equal(dir, want);
	free(dir);
	free(want);
	free(pdf);
	strbuf_release(&err);
	reception_input_release(&in);
}

/* The TUI's way (screens/reception.c): the commit returns with the dossier
 * saved and no receipt; a job (client/tui/job.h) then writes and prints it on
 * its own thread and reports through the app's events. The job waits at a
 * gate the test opens, so what each step sees does not depend on timing. */
struct gated_receipt {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool open, done;
	struct reception_receipt r;
};

static void gated_run(struct app *app, void *data)
{
	struct gated_receipt *g = data;
	pthread_mutex_lock(&g->lock);
	while (!g->open)
		pthread_cond_wait(&g->cond, &g->lock);
	pthread_mutex_unlock(&g->lock);
	reception_receipt_write(&g->r);
	reception_receipt_print(&g->r);
}

static void gated_done(struct app *app, void *data)
{
	struct gated_receipt *g = data;
	g->done = true;
}

static bool exists(const char *path)
{
	struct stat sb;
	return !stat(path, &sb);
}

static void test_receipt_after_commit(void **state)
{
	struct fixture *f = *state;
	/* a printer, and an lp that records its arguments and its blocked
	 * signals (a job's thread blocks them all; lp must not inherit that) */
	char *bin = xasprintf("%s/bin", f->dir), *lp = xasprintf("%s/lp", bin);
	char *log = xasprintf("%s/lp.log", f->dir);
	char *old_path = xstrdup(getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
	char *path = xasprintf("%s:%s", bin, old_path);
	assert_int_equal(mkdir(bin, 0755), 0);
	FILE *script = fopen(lp, "w");
	assert_non_null(script);
	fprintf(script, "#!/bin/sh\necho \"$*\" > '%s'\nexec grep SigBlk /proc/self/status >> '%s'\n",
		log, log);
	fclose(script);
	assert_int_equal(chmod(lp, 0755), 0);
	assert_int_equal(setenv("PATH", path, 1), 0);
	exec_ok(&f->st, "INSERT INTO settings VALUES ('printer', 'HP_LaserJet')");

	struct reception_input in;
	struct reception_result res;
	good_input(&in);
	commit_ok(f, &in, RECEPTION_NO_RECEIPT, &res);
	char *pdf = xasprintf("%s/receipts/%s.pdf", f->dir, res.code);
	assert_null(res.receipt_path);
	assert_false(exists(pdf));
	/* committed: another connection reads the dossier */
	struct store other;
	struct strbuf err = STRBUF_INIT;
	if (store_open(&other, f->path, STORE_READONLY, &err))
		fail_msg("%s", err.buf);
	assert_int_equal(count(&other, "SELECT count(*) FROM dossiers WHERE code ="
				       " 'H01.00004-251027-0001'"), 1);
	store_close(&other);

	struct app app;
	memset(&app, 0, sizeof(app));
	assert_int_equal(app_events_init(&app), 0);
	struct gated_receipt g = { .open = false, .done = false };
	pthread_mutex_init(&g.lock, NULL);
	pthread_cond_init(&g.cond, NULL);
	reception_receipt_prepare(&f->st, res.code, RECEIPT_WRITE | RECEIPT_PRINT, &g.r);
	assert_string_equal(g.r.path, pdf);
	assert_string_equal(g.r.printer, "HP_LaserJet");
	assert_false(exists(pdf)); /* prepare only reads */
	assert_int_equal(app_job_start(&app, gated_run, gated_done, &g), 0);
	assert_int_equal(app.jobs, 1);
	assert_int_equal(app.busy, 1); /* a headless script waits for it */
	/* the job is running and nothing has come back: no receipt yet */
	assert_int_equal(app_run_events(&app), 0);
	assert_false(g.done);
	assert_false(exists(pdf));
	assert_false(exists(log));

	pthread_mutex_lock(&g.lock);
	g.open = true;
	pthread_cond_signal(&g.cond);
	pthread_mutex_unlock(&g.lock);
	while (!g.done) { /* the loop's way: wait on the pipe, run what came */
		struct pollfd p = { .fd = app.event_pipe[0], .events = POLLIN };
		assert_int_equal(poll(&p, 1, -1), 1);
		app_run_events(&app);
	}
	assert_int_equal(app.jobs, 0);
	assert_int_equal(app.busy, 0);
	assert_true(g.r.written);
	assert_null(g.r.error);
	assert_true(g.r.printed);
	assert_null(g.r.print_error);
	char *text = run("pdftotext '%s' -", pdf);
	assert_non_null(strstr(text, "H01.00004-251027-0001"));
	free(text);
	char *lp_log = run("cat '%s'", log);
	char *want = xasprintf("-d HP_LaserJet -- %s\nSigBlk:\t0000000000000000\n", pdf);
	assert_string_equal(lp_log, want);
	free(want);
	free(lp_log);

	/* at exit: nothing left to wait for */
	app_jobs_finish(&app);
	reception_receipt_release(&g.r);
	pthread_cond_destroy(&g.cond);
	pthread_mutex_destroy(&g.lock);
	app_events_release(&app);
	assert_int_equal(setenv("PATH", old_path, 1), 0);
	strbuf_release(&err);
	free(pdf);
	free(path);
	free(old_path);
	free(log);
	free(lp);
	free(bin);
	reception_input_release(&in);
}

/* The demo dossiers: ~30 through reception_commit, today's work in place. */
static void test_demo_dossiers(void **state)
{
	struct fixture *f = *state;
	struct strbuf err = STRBUF_INIT;
	mc_parse_dt("2025-10-29T10:30", &f->now); /* Wednesday */
	assert_int_equal(store_begin(&f->st, &err), 0);
	int n = demo_seed_dossiers(&f->st, "canbo", &f->now, &err);
	if (n < 0)
		fail_msg("%s", err.buf);
	assert_int_equal(store_commit(&f->st, &err), 0);
	assert_int_equal(n, 30);
	assert_int_equal(count(&f->st, "SELECT count(*) FROM dossiers"), 30);
	assert_int_equal(count(&f->st, "SELECT count(*) FROM dossiers WHERE received_at LIKE '2025-10-29%'"), 3);
	assert_int_equal(count(&f->st, "SELECT count(*) FROM dossiers WHERE status IN (2, 4)"
				       " AND appointment LIKE '2025-10-29%'"), 3);
	assert_int_equal(count(&f->st, "SELECT count(*) FROM dossiers WHERE status IN (2, 4)"
				       " AND appointment < '2025-10-29'"), 3);
	assert_int_equal(count(&f->st, "SELECT count(*) FROM dossiers WHERE status = 5"), 1);
	assert_true(count(&f->st, "SELECT count(*) FROM dossiers WHERE status = 10") >= 15);
	assert_int_equal(count(&f->st, "SELECT count(*) FROM dossiers WHERE received_at > '2025-10-29T10:30'"), 0);
	assert_int_equal(count(&f->st, "SELECT count(*) FROM events WHERE device_time > '2025-10-29T10:30'"), 0);
	/* One receive event and one outbox row per step. */
	assert_int_equal(count(&f->st, "SELECT count(*) FROM events WHERE kind = 'receive'"), 30);
	assert_int_equal(count(&f->st, "SELECT count(*) FROM events"),
			 count(&f->st, "SELECT count(*) FROM outbox"));
	assert_int_equal(count(&f->st, "SELECT sum(rev) FROM dossiers"),
			 count(&f->st, "SELECT count(*) FROM events"));
	assert_int_equal(count(&f->st, "SELECT count(*) FROM events WHERE kind = 'request-supplement'"
				       " AND status_from = 2 AND status_to = 5"), 1);
	/* Today's numbers follow the clock. */
	char *first = text_of(&f->st, "SELECT code FROM dossiers WHERE received_at LIKE '2025-10-29%'"
				      " ORDER BY received_at LIMIT 1", NULL);
	assert_string_equal(first, "H01.00004-251029-0001");
	free(first);
	/* Every demo CCCD is consistent with its birth year and sex. */
	sqlite3_stmt *q = store_prepare(&f->st, "SELECT id_number, birth_date, sex FROM dossiers");
	while (sqlite3_step(q) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(q, 0);
		int y = atoi((const char *)sqlite3_column_text(q, 1));
		char sex = ((const char *)sqlite3_column_text(q, 2))[0];
		assert_int_equal(mc_cccd_check(id, y, sex, NULL), MC_CCCD_OK);
	}
	sqlite3_finalize(q);
	/* A store with dossiers is never seeded again. */
	assert_int_equal(demo_seed_dossiers(&f->st, "canbo", &f->now, &err), 0);
	assert_int_equal(count(&f->st, "SELECT count(*) FROM dossiers"), 30);
	strbuf_release(&err);
}

/* holidays.txt: its years replace the store's, other years and the office
 * hours are kept. */
static void test_seed_calendar(void **state)
{
	struct fixture *f = *state;
	struct strbuf err = STRBUF_INIT;
	long shipped = count(&f->st, "SELECT count(*) FROM holidays");
	assert_true(shipped >= 20);
	assert_int_equal(count(&f->st, "SELECT count(*) FROM holidays WHERE date = '2025-09-02'"
				       " AND kind = 'off'"), 1);
	exec_ok(&f->st, "INSERT INTO holidays VALUES ('2025-12-24', 'off', 'not official');"
			"INSERT INTO holidays VALUES ('2031-01-02', 'off', 'local decision');"
			"UPDATE settings SET value = '07:30-11:30,13:00-16:30' WHERE key = 'office_hours'");
	assert_int_equal(store_begin(&f->st, &err), 0);
	if (demo_seed_calendar(&f->st, &err))
		fail_msg("%s", err.buf);
	assert_int_equal(store_commit(&f->st, &err), 0);
	assert_int_equal(count(&f->st, "SELECT count(*) FROM holidays WHERE date = '2025-12-24'"), 0);
	assert_int_equal(count(&f->st, "SELECT count(*) FROM holidays WHERE date = '2031-01-02'"), 1);
	assert_int_equal(count(&f->st, "SELECT count(*) FROM holidays"), shipped + 1);
	char *hours = text_of(&f->st, "SELECT value FROM settings WHERE key = 'office_hours'", NULL);
	assert_string_equal(hours, "07:30-11:30,13:00-16:30");
	free(hours);

	/* A malformed file is refused whole, file:line. */
	char *data = xasprintf("%s/data", f->dir);
	assert_int_equal(mkdir(data, 0700), 0);
	char *file = xasprintf("%s/holidays.txt", data);
	FILE *fp = fopen(file, "w");
	assert_non_null(fp);
	fputs("2027-01-01 off Tết Dương lịch\n2027-02-30 off sai\n", fp);
	fclose(fp);
	setenv("MOTCUA_DATA", data, 1);
	strbuf_reset(&err);
	assert_int_equal(demo_seed_calendar(&f->st, &err), -1);
	assert_non_null(strstr(err.buf, "holidays.txt:2: "));
	/* No file at all: nothing changes. */
	unlink(file);
	strbuf_reset(&err);
	assert_int_equal(demo_seed_calendar(&f->st, &err), 0);
	assert_int_equal(count(&f->st, "SELECT count(*) FROM holidays"), shipped + 1);
	unsetenv("MOTCUA_DATA");
	rmdir(data);
	free(file);
	free(data);
	strbuf_release(&err);
}

/* Every error of the applicant page at once: blanks in the page's order,
 * a field wrong on its own, the CCCD against the birth year; a good page
 * has none. */
static void test_applicant_errors(void **state)
{
	struct fixture *f = *state;
	struct reception_input in;
	struct reception_error errs[12];
	good_input(&in);
	assert_int_equal(reception_applicant_errors(&f->st, &in, &f->now, errs, 12), 0);
	set_str(&in.applicant.full_name, NULL);
	set_str(&in.applicant.id_number, NULL);
	set_str(&in.applicant.birth_date, NULL);
	in.applicant.sex = 0;
	set_str(&in.applicant.phone, "12345");
	assert_int_equal(reception_applicant_errors(&f->st, &in, &f->now, errs, 12), 5);
	assert_int_equal(errs[0].field, RF_ID_NUMBER);
	assert_int_equal(errs[1].field, RF_FULL_NAME);
	assert_int_equal(errs[2].field, RF_BIRTH_DATE);
	assert_int_equal(errs[3].field, RF_SEX);
	assert_int_equal(errs[4].field, RF_PHONE);
	assert_non_null(strstr(errs[4].msg, "«12345»"));
	/* at most max */
	assert_int_equal(reception_applicant_errors(&f->st, &in, &f->now, errs, 2), 2);
	/* the name missing and the CCCD against the birth year, together */
	reception_input_release(&in);
	good_input(&in);
	set_str(&in.applicant.full_name, " ");
	set_str(&in.applicant.birth_date, "1985-03-05");
	assert_int_equal(reception_applicant_errors(&f->st, &in, &f->now, errs, 12), 2);
	assert_int_equal(errs[0].field, RF_FULL_NAME);
	assert_int_equal(errs[1].field, RF_ID_NUMBER);
	assert_non_null(strstr(errs[1].msg, "năm sinh 1990"));
	reception_input_release(&in);
}

/* An organisation applying and a second party: the parties written in the
 * reception's transaction, the dossier row an organisation's; a wrong tax
 * code or representative refused with nothing written; an original
 * compared stands for a copy. */
static void test_organisation(void **state)
{
	struct fixture *f = *state;
	struct reception_input in;
	good_input(&in);
	in.organisation = true;
	set_str(&in.applicant.full_name, "Công ty TNHH Hoa Sen");
	set_str(&in.applicant.id_number, NULL);
	set_str(&in.applicant.birth_date, NULL);
	in.applicant.sex = 0;
	in.org.tax_code = xstrdup("0100109106 - 001");
	in.org.representative.full_name = xstrdup("Trần  Thị Bình");
	in.org.representative.id_number = xstrdup("001190012345");
	in.org.representative.role = xstrdup("Giám đốc");
	in.has_second_party = true;
	in.second_party.full_name = xstrdup("Lê Thị Cúc");
	in.second_party.id_number = xstrdup("001192054321");
	struct reception_error err;
	char *before = counts(&f->st);
	long parties = count(&f->st, "SELECT count(*) FROM dossier_parties");

	/* refusals first: nothing written */
	set_str(&in.org.tax_code, "0100109107");
	assert_int_not_equal(reception_check_applicant(&f->st, &in, &f->now, &err), 0);
	assert_int_equal(err.field, RF_TAX_CODE);
	assert_non_null(strstr(err.msg, "chữ số kiểm tra"));
	struct reception_result res;
	assert_int_not_equal(reception_commit(&f->st, &in, "canbo", &f->now, &res, &err), 0);
	set_str(&in.org.tax_code, "0100109106 - 001");
	set_str(&in.org.representative.id_number, "0011900123");
	assert_int_not_equal(reception_check_applicant(&f->st, &in, &f->now, &err), 0);
	assert_int_equal(err.field, RF_REPRESENTATIVE);
	assert_non_null(strstr(err.msg, "Người đại diện: Số CCCD"));
	set_str(&in.org.representative.id_number, "001190012345");
	set_str(&in.second_party.full_name, "");
	assert_int_not_equal(reception_check_applicant(&f->st, &in, &f->now, &err), 0);
	assert_int_equal(err.field, RF_SECOND_PARTY);
	assert_non_null(strstr(err.msg, "Bên thứ hai: "));
	set_str(&in.second_party.full_name, "Lê Thị Cúc");
	char *after = counts(&f->st);
	assert_string_equal(before, after);
	free(after);
	assert_int_equal(count(&f->st, "SELECT count(*) FROM dossier_parties"), parties);

	commit_ok(f, &in, 0, &res);
	char *row = text_of(&f->st, "SELECT applicant_kind || '|' || applicant_name || '|' ||"
				    " coalesce(id_number, '-') || '|' || coalesce(sex, '-')"
				    " FROM dossiers WHERE code = ?", res.code);
	assert_string_equal(row, "2|Công ty TNHH Hoa Sen|-|-");
	free(row);
	row = text_of(&f->st, "SELECT group_concat(r, ';') FROM (SELECT p.role || ':' ||"
			      " p.full_name || ':' || coalesce(p.id_number, '') || ':' ||"
			      " coalesce(p.title, '') r FROM dossier_parties p JOIN dossiers d"
			      " ON d.id = p.dossier_id WHERE d.code = ? ORDER BY p.role)", res.code);
	assert_string_equal(row, "organisation:Công ty TNHH Hoa Sen:0100109106-001:;"
				 "representative:Trần Thị Bình:001190012345:Giám đốc;"
				 "second:Lê Thị Cúc:001192054321:");
	free(row);
	reception_result_release(&res);
	reception_input_release(&in);

	/* 1.004746's component 1 asks for a copy: an original compared stands
	 * for it, an original alone does not */
	reception_input_init(&in);
	good_input(&in);
	set_str(&in.procedure, "1.004746");
	free(in.components);
	in.components = NULL;
	in.n_components = 0;
	all_mandatory(&f->st, &in);
	for (size_t i = 0; i < in.n_components; i++)
		if (in.components[i].id == 1) {
			in.components[i].originals = 1;
			in.components[i].copies = 0;
		}
	assert_int_not_equal(reception_check_components(&f->st, &in, &err), 0);
	assert_non_null(strstr(err.msg, "Thiếu giấy tờ bắt buộc số 1"));
	for (size_t i = 0; i < in.n_components; i++)
		if (in.components[i].id == 1)
			in.components[i].original_for_copy = true;
	assert_int_equal(reception_check_components(&f->st, &in, &err), 0);
	reception_input_release(&in);
	free(before);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_happy_path, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_page_checks, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_clerk_and_unit, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_override, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_sequence, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_appointments, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_read_only, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_busy, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_nested, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_concurrent, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_receipt_reprint, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_receipt_after_commit, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_demo_dossiers, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_seed_calendar, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_applicant_errors, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_organisation, setup, fixture_teardown),
	};
	return cmocka_run_group_tests(tests, group_setup, fixture_group_teardown);
}
