/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Forms 02-05 (client/print/forms.h) and the ledger 06 (client/print/ledger.h) on real
 * stores: a template store with the reference data, the demo unit (00004
 * Phường Ba Đình), its clerk and the official holidays; every test works on
 * its own copy, receives its dossiers through reception_commit and acts on
 * them through dossier_action_commit, like the screen and the CLI.
 *
 * The PDFs are checked with poppler (pdfinfo: size and orientation, pdftotext:
 * the text with its diacritics, page by page, pdffonts: embedded fonts,
 * pdftoppm: it renders). MOTCUA_KEEP_FORMS=DIR keeps the PDFs and 100 dpi
 * PNGs there to look at.
 *
 * The control slip's early / on time / late marks are checked on a flow
 * worked by hand: office hours 07:00-11:30 and 13:30-17:00 (480 working
 * minutes a day), no holiday between 24/10 and 06/11/2025. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "client/services/dossier_action.h"
#include "client/print/forms.h"
#include "client/print/ledger.h"
#include "client/services/reception.h"
#include "client/store/store.h"
#include "core/datetime.h"
#include "core/xalloc.h"
#include "tests/unit/fixtures.h"


/* ---- helpers ------------------------------------------------------------- */

static bool exists(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0;
}

static char *out_path(const struct fixture *f, const char *name)
{
	const char *keep = getenv("MOTCUA_KEEP_FORMS");
	return xasprintf("%s/%s", keep && *keep ? keep : f->dir, name);
}

/* The text of a PDF (pages from..to, 0: all), lines folded to single spaces. */
static char *pdf_text(const char *pdf, int from, int to)
{
	if (from)
		return run("pdftotext -f %d -l %d -enc UTF-8 '%s' - | tr '\\n' ' ' | tr -s ' '",
			   from, to, pdf);
	return run("pdftotext -enc UTF-8 '%s' - | tr '\\n' ' ' | tr -s ' '", pdf);
}

static void assert_has(const char *text, const char *want)
{
	if (!strstr(text, want))
		fail_msg("the PDF lacks [%s] in: %s", want, text);
}

static int count(const char *text, const char *needle)
{
	int n = 0;
	for (const char *p = strstr(text, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

static int pages_of(const char *pdf)
{
	char *info = run("pdfinfo '%s'", pdf);
	const char *p = strstr(info, "Pages:");
	assert_non_null(p);
	int n = atoi(p + 6);
	free(info);
	return n;
}

/* Page size in points, from pdfinfo. */
static void page_size(const char *pdf, double *w, double *h)
{
	char *info = run("pdfinfo '%s'", pdf);
	const char *ps = strstr(info, "Page size:");
	assert_non_null(ps);
	assert_int_equal(sscanf(ps, "Page size: %lf x %lf pts", w, h), 2);
	free(info);
}

/* Fonts embedded, only the serif family; the first page renders to a PNG. */
static void check_fonts_and_render(const char *pdf)
{
	char *fonts = run("pdffonts '%s' | tail -n +3", pdf);
	assert_true(strlen(fonts) > 0);
	for (char *line = strtok(fonts, "\n"); line; line = strtok(NULL, "\n")) {
		if (!strstr(line, "NotoSerif") && !strstr(line, "DejaVuSerif"))
			fail_msg("unexpected font: %s", line);
		if (!strstr(line, " yes yes "))
			fail_msg("font not embedded as a subset: %s", line);
	}
	free(fonts);
	char *prefix = xasprintf("%.*s", (int)(strlen(pdf) - 4), pdf);
	free(run("pdftoppm -r 100 -png '%s' '%s'", pdf, prefix));
	char *png = xasprintf("%s-1.png", prefix);
	struct stat sb;
	if (stat(png, &sb)) {
		free(png);
		png = xasprintf("%s-01.png", prefix);
		assert_int_equal(stat(png, &sb), 0);
	}
	assert_true(sb.st_size > 5000);
	free(png);
	free(prefix);
}

/* A birth registration received at `at` by the demo clerk; name and
 * address vary. Returns its code. */
static char *receive(struct fixture *f, const char *at, const char *name, const char *address)
{
	return fixture_receive(f, at, name, "0912 345 678", address);
}

/* Runs action a at now with "key", "value" pairs; fails unless done. */
static void act(struct fixture *f, const char *code, const char *now, enum mc_action a, ...)
{
	struct dossier_action_input in;
	dossier_action_input_init(&in, a);
	va_list ap;
	va_start(ap, a);
	for (const char *k = va_arg(ap, const char *); k; k = va_arg(ap, const char *)) {
		const char *v = va_arg(ap, const char *);
		if (!strcmp(k, "reason"))
			in.reason = xstrdup(v);
		else if (!strcmp(k, "to"))
			in.to_unit = xstrdup(v);
		else if (!strcmp(k, "days"))
			in.days = atoi(v);
		else if (!strcmp(k, "rating"))
			in.rating = atoi(v);
		else if (!strcmp(k, "result_code"))
			in.result_code = xstrdup(v);
		else if (!strcmp(k, "method"))
			in.method = xstrdup(v);
		else if (!strcmp(k, "recipient"))
			in.recipient = xstrdup(v);
		else if (!strcmp(k, "papers"))
			in.papers = xstrdup(v);
		else
			fail_msg("unknown input key %s", k);
	}
	va_end(ap);
	struct strbuf err = STRBUF_INIT;
	struct dossier_action_result res;
	struct mc_dt t = dt(now);
	if (dossier_action_commit(&f->st, code, &in, "canbo", &t, &res, &err))
		fail_msg("%s at %s refused: %s", mc_action_id(a), now, err.buf);
	strbuf_release(&err);
	dossier_action_input_release(&in);
}

static void write_form(struct fixture *f, const char *code, int kind, const char *pdf)
{
	struct strbuf err = STRBUF_INIT;
	int rc = form_write(&f->st, code, kind, pdf, &err);
	if (rc)
		fail_msg("form %02d: %d %s", kind, rc, err.buf ? err.buf : "");
	strbuf_release(&err);
	assert_true(exists(pdf));
	char *tmp = xasprintf("%s.tmp", pdf);
	assert_false(exists(tmp));
	free(tmp);
}

/* ---- fixtures ------------------------------------------------------------- */

static int group_setup(void **state)
{
	return fixture_group_setup("forms");
}

/* ---- timing ------------------------------------------------------------------ */

static void assert_timing(const char *at, const char *due, enum form_timing want)
{
	struct mc_dt a = dt(at), b = dt(due);
	enum form_timing got = form_timing(&a, &b);
	if (got != want)
		fail_msg("%s against %s: %d, want %d", at, due, got, want);
}

static void test_timing(void **state)
{
	(void)state;
	/* a day before the appointment's day, even a minute before midnight */
	assert_timing("2025-10-27T10:00", "2025-10-28T08:30", FORM_EARLY);
	assert_timing("2025-10-27T23:59", "2025-10-28T08:30", FORM_EARLY);
	/* on its day, up to its minute */
	assert_timing("2025-10-28T00:00", "2025-10-28T08:30", FORM_ON_TIME);
	assert_timing("2025-10-28T08:30", "2025-10-28T08:30", FORM_ON_TIME);
	/* a minute after, the day after */
	assert_timing("2025-10-28T08:31", "2025-10-28T08:30", FORM_LATE);
	assert_timing("2025-10-29T07:00", "2025-10-28T16:00", FORM_LATE);
	assert_string_equal(form_timing_name(FORM_EARLY), "Trước hạn");
	assert_string_equal(form_timing_name(FORM_ON_TIME), "Đúng hạn");
	assert_string_equal(form_timing_name(FORM_LATE), "Quá hạn");
	assert_null(form_timing_name(FORM_TIMING_NONE));
}

/* ---- the control slip, by hand ------------------------------------------------ */

/* Received Fri 24/10/2025 15:00, appointment set to Fri 31/10 15:00; then
 * transfer Fri 15:30; supplement asked Mon 27/10 09:00, back Tue 28/10 09:00
 * (150 + 210 + 120 = 480 working minutes: Fri 31/10 15:00 + 480 = 120 (Fri)
 * + 270 + 90 (Mon) -> Mon 03/11 15:00); apology Thu 30/10 10:00, 2 working
 * days -> Wed 05/11 15:00; result Wed 05/11 14:50; returned 05/11 15:30;
 * rated. */
static char *worked_flow(struct fixture *f)
{
	char *code = receive(f, "2025-10-24T15:00", "Trương Thị Phượng Quỳnh",
			     "Số 5 ngõ 178 phố Đội Cấn");
	exec_ok(&f->st, "UPDATE dossiers SET appointment = '2025-10-31T15:00' WHERE code = '%s'",
		code);
	act(f, code, "2025-10-24T15:30", MC_ACT_TRANSFER, "to", "00008",
	    "reason", "Liên thông hồ sơ khai sinh", NULL);
	act(f, code, "2025-10-27T09:00", MC_ACT_REQUEST_SUPPLEMENT,
	    "papers", "Bản sao Giấy chứng nhận kết hôn của cha, mẹ; Giấy chứng sinh bản chính",
	    "reason", "Giấy chứng sinh nộp là bản chụp, không rõ chữ", NULL);
	act(f, code, "2025-10-28T09:00", MC_ACT_SUPPLEMENT_RECEIVED, NULL);
	act(f, code, "2025-10-30T10:00", MC_ACT_APOLOGIZE, "days", "2",
	    "reason", "Chờ Ủy ban nhân dân phường Ngọc Hà xác minh nơi cư trú", NULL);
	act(f, code, "2025-11-05T14:50", MC_ACT_RESULT_READY, "result_code", "GKS-2025/0417", NULL);
	act(f, code, "2025-11-05T15:30", MC_ACT_RETURN, "recipient", "Trương Văn Đức", NULL);
	act(f, code, "2025-11-05T15:31", MC_ACT_RATE, "rating", "1", NULL);
	return code;
}

static void test_control_rows(void **state)
{
	struct fixture *f = *state;
	char *code = worked_flow(f);
	struct dossier_detail d;
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(dossier_get(&f->st, code, &d, &err), 1);
	assert_string_equal(d.appointment, "2025-11-05T15:00");
	struct form_control_row *rows;
	size_t n = form_control_rows(&f->st, &d, &rows);
	static const struct {
		const char *kind, *when;
		enum form_timing timing;
		const char *in_force;
	} want[] = {
		{ "receive", "2025-10-24T15:00", FORM_TIMING_NONE, "" },
		{ "transfer", "2025-10-24T15:30", FORM_EARLY, "2025-10-31T15:00" },
		{ "request-supplement", "2025-10-27T09:00", FORM_EARLY, "2025-10-31T15:00" },
		{ "supplement-received", "2025-10-28T09:00", FORM_TIMING_NONE, "" },
		{ "apologize", "2025-10-30T10:00", FORM_EARLY, "2025-11-03T15:00" },
		{ "result-ready", "2025-11-05T14:50", FORM_ON_TIME, "2025-11-05T15:00" },
		{ "return", "2025-11-05T15:30", FORM_LATE, "2025-11-05T15:00" },
	};
	assert_int_equal(n, sizeof want / sizeof want[0]); /* the rating is no row */
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(rows[i].kind, want[i].kind);
		assert_string_equal(rows[i].when, want[i].when);
		if (rows[i].timing != want[i].timing)
			fail_msg("row %zu (%s): timing %d, want %d", i + 1, rows[i].kind,
				 rows[i].timing, want[i].timing);
		assert_string_equal(rows[i].in_force, want[i].in_force);
		assert_string_equal(rows[i].actor, "Nguyễn Thị Lan");
	}
	/* who gives, who receives */
	assert_string_equal(rows[0].from, "Ông/Bà Trương Thị Phượng Quỳnh");
	assert_string_equal(rows[0].to, "Trung tâm Phục vụ hành chính công phường Ba Đình");
	assert_string_equal(rows[1].from, "Trung tâm Phục vụ hành chính công phường Ba Đình");
	assert_string_equal(rows[1].to, "Phường Ngọc Hà, Thành phố Hà Nội"); /* as transferred */
	assert_string_equal(rows[2].to, "Ông/Bà Trương Thị Phượng Quỳnh");
	assert_string_equal(rows[5].from, "Phường Ngọc Hà");
	assert_string_equal(rows[5].to, "Trung tâm Phục vụ hành chính công phường Ba Đình");
	assert_string_equal(rows[6].to, "Ông/Bà Trương Văn Đức");
	assert_non_null(strstr(rows[3].note, "hẹn trả mới: 15:00 03/11/2025"));
	assert_non_null(strstr(rows[4].note, "Xin lỗi, hẹn lại ngày trả kết quả: 15:00 05/11/2025"));
	assert_non_null(strstr(rows[5].note, "GKS-2025/0417"));
	form_control_rows_free(rows, n);
	dossier_detail_release(&d);
	strbuf_release(&err);
	free(code);
}

/* ---- the forms as PDFs --------------------------------------------------------- */

static void test_forms_pdf(void **state)
{
	struct fixture *f = *state;
	char *code = worked_flow(f);
	double w, h;

	/* 02: A5 portrait, the papers, the reason, the pause */
	char *pdf = out_path(f, "mau-02.pdf");
	write_form(f, code, FORM_SUPPLEMENT, pdf);
	page_size(pdf, &w, &h);
	assert_true(w > 419.0 && w < 420.0 && h > 595.0 && h < 596.0);
	assert_int_equal(pages_of(pdf), 1);
	char *text = pdf_text(pdf, 0, 0);
	const char *want02[] = {
		"UBND PHƯỜNG BA ĐÌNH", "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG PHƯỜNG BA ĐÌNH",
		"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Ba Đình, ngày 27 tháng 10 năm 2025",
		"PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", "Ông/Bà: Trương Thị Phượng Quỳnh",
		"Nội dung yêu cầu giải quyết: Thủ tục đăng ký khai sinh",
		"Địa chỉ: Số 5 ngõ 178 phố Đội Cấn, Phường Ba Đình, Thành phố Hà Nội",
		"1. Bản sao Giấy chứng nhận kết hôn của cha, mẹ", "2. Giấy chứng sinh bản chính",
		"Lý do: Giấy chứng sinh nộp là bản chụp, không rõ chữ",
		"tạm dừng từ 09 giờ 00 phút, ngày 27 tháng 10 năm 2025",
		"NGƯỜI HƯỚNG DẪN", "Nguyễn Thị Lan",
	};
	assert_has(text, code);
	for (size_t i = 0; i < sizeof want02 / sizeof want02[0]; i++)
		assert_has(text, want02[i]);
	free(text);
	check_fonts_and_render(pdf);
	free(pdf);

	/* 04: the old and the new appointment, the reason */
	pdf = out_path(f, "mau-04.pdf");
	write_form(f, code, FORM_APOLOGY, pdf);
	page_size(pdf, &w, &h);
	assert_true(w < h);
	text = pdf_text(pdf, 0, 0);
	const char *want04[] = {
		"PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", "Ba Đình, ngày 30 tháng 10 năm 2025",
		"Ngày 24 tháng 10 năm 2025, Trung tâm Phục vụ hành chính công phường Ba Đình tiếp"
		" nhận giải quyết hồ sơ của:",
		"Thời gian hẹn trả kết quả giải quyết hồ sơ: 15 giờ 00 phút, ngày 03 tháng 11 năm 2025",
		"Lý do: Chờ Ủy ban nhân dân phường Ngọc Hà xác minh nơi cư trú",
		"sẽ trả kết quả giải quyết hồ sơ cho Ông/Bà vào: 15 giờ 00 phút, ngày 05 tháng 11 năm 2025",
		"THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ",
	};
	for (size_t i = 0; i < sizeof want04 / sizeof want04[0]; i++)
		assert_has(text, want04[i]);
	free(text);
	check_fonts_and_render(pdf);
	free(pdf);

	/* 05: A4 portrait, every hand-over with its mark */
	pdf = out_path(f, "mau-05.pdf");
	write_form(f, code, FORM_CONTROL, pdf);
	page_size(pdf, &w, &h);
	assert_true(w > 595.0 && w < 596.0 && h > 841.0 && h < 842.0);
	text = pdf_text(pdf, 0, 0);
	const char *want05[] = {
		"PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", "Ông/Bà: Trương Thị Phượng Quỳnh",
		"Thời gian hẹn trả kết quả: 15 giờ 00 phút, ngày 05 tháng 11 năm 2025",
		"Cơ quan (bộ phận) giải quyết hồ sơ: Phường Ngọc Hà",
		"Trạng thái hiện tại: Đã trả kết quả",
		"Giao: Ông/Bà Trương Thị Phượng Quỳnh", "Nhận: Phường Ngọc Hà, Thành phố Hà Nội",
		"15 giờ 30 phút ngày 24/10/2025", "Nhận: Ông/Bà Trương Văn Đức",
		"Trả kết quả: Trực tiếp tại Bộ phận Một cửa",
	};
	for (size_t i = 0; i < sizeof want05 / sizeof want05[0]; i++)
		assert_has(text, want05[i]);
	/* the marks (pdftotext reads the table's columns apart: counted) */
	assert_int_equal(count(text, "Trước hạn"), 3);
	assert_int_equal(count(text, "Đúng hạn"), 1);
	assert_int_equal(count(text, "Quá hạn"), 1);
	assert_int_equal(count(text, "(hẹn 15:00 31/10/2025)"), 2);
	assert_int_equal(count(text, "(hẹn 15:00 03/11/2025)"), 1);
	assert_int_equal(count(text, "(hẹn 15:00 05/11/2025)"), 2);
	assert_int_equal(count(text, "—"), 2 + 1); /* two rows not judged, and the footnote */
	assert_null(strstr(text, "Đánh giá")); /* the rating is no hand-over */
	free(text);
	check_fonts_and_render(pdf);
	free(pdf);

	/* 03: never refused -> refused with a clear message, nothing written */
	pdf = out_path(f, "mau-03.pdf");
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(form_write(&f->st, code, FORM_REFUSAL, pdf, &err), 1);
	assert_non_null(strstr(err.buf, "không bị từ chối tiếp nhận"));
	assert_non_null(strstr(err.buf, "mẫu 03"));
	assert_false(exists(pdf));
	free(pdf);
	strbuf_release(&err);
	free(code);
}

static void test_refusal_pdf(void **state)
{
	struct fixture *f = *state;
	char *code = receive(f, "2025-10-27T09:35", "Nguyễn Văn Hùng", "Số 12 phố Đội Cấn");
	/* an online dossier not yet received (status 1) may be refused */
	exec_ok(&f->st, "UPDATE dossiers SET status = 1 WHERE code = '%s'", code);
	act(f, code, "2025-10-27T10:00", MC_ACT_REFUSE,
	    "reason", "Hồ sơ không thuộc thẩm quyền giải quyết của phường;"
		      " Người nộp không xuất trình được giấy tờ tùy thân", NULL);
	char *pdf = out_path(f, "mau-03.pdf");
	write_form(f, code, FORM_REFUSAL, pdf);
	char *text = pdf_text(pdf, 0, 0);
	const char *want[] = {
		"PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", "Ông/Bà: Nguyễn Văn Hùng",
		"thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:",
		"1. Hồ sơ không thuộc thẩm quyền giải quyết của phường",
		"2. Người nộp không xuất trình được giấy tờ tùy thân",
		"NGƯỜI TIẾP NHẬN HỒ SƠ",
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		assert_has(text, want[i]);
	free(text);
	check_fonts_and_render(pdf);
	free(pdf);

	/* 02 and 04 do not exist for it; 05 does (its events) */
	struct dossier_detail d;
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(dossier_get(&f->st, code, &d, &err), 1);
	assert_int_equal(form_available(&d), FORM_MASK(FORM_RECEIPT) | FORM_MASK(FORM_REFUSAL) |
						     FORM_MASK(FORM_CONTROL));
	dossier_detail_release(&d);
	/* just received: the receipt only (05 prints, with the reception alone) */
	char *fresh = receive(f, "2025-10-27T10:30", "Phạm Đức Thắng", NULL);
	assert_int_equal(dossier_get(&f->st, fresh, &d, &err), 1);
	assert_int_equal(form_available(&d), FORM_MASK(FORM_RECEIPT));
	dossier_detail_release(&d);
	pdf = out_path(f, "fresh-05.pdf");
	write_form(f, fresh, FORM_CONTROL, pdf);
	free(pdf);
	free(fresh);
	pdf = out_path(f, "none.pdf");
	assert_int_equal(form_write(&f->st, code, FORM_APOLOGY, pdf, &err), 1);
	assert_non_null(strstr(err.buf, "chưa được xin lỗi, hẹn lại"));
	strbuf_reset(&err);
	assert_int_equal(form_write(&f->st, code, FORM_SUPPLEMENT, pdf, &err), 1);
	assert_non_null(strstr(err.buf, "chưa có yêu cầu bổ sung"));
	assert_false(exists(pdf));
	free(pdf);
	strbuf_release(&err);
	free(code);
}

/* Thirty long papers flow onto a second A5 page under a continuation line. */
static void test_supplement_pages(void **state)
{
	struct fixture *f = *state;
	char *code = receive(f, "2025-10-27T08:00", "Đặng Thị Đào", NULL);
	struct strbuf papers = STRBUF_INIT;
	for (int i = 1; i <= 30; i++)
		strbuf_addf(&papers, "%sGiấy tờ số %02d: bản sao có chứng thực giấy xác nhận thông tin"
			    " về cư trú của người được đăng ký", i > 1 ? "; " : "", i);
	act(f, code, "2025-10-27T09:00", MC_ACT_REQUEST_SUPPLEMENT, "papers", papers.buf, NULL);
	strbuf_release(&papers);
	char *pdf = out_path(f, "mau-02-long.pdf");
	write_form(f, code, FORM_SUPPLEMENT, pdf);
	int pages = pages_of(pdf);
	assert_true(pages >= 2);
	char *text = pdf_text(pdf, 0, 0);
	for (int i = 1; i <= 30; i++) {
		char want[32];
		snprintf(want, sizeof want, "Giấy tờ số %02d:", i);
		assert_has(text, want);
	}
	free(text);
	text = pdf_text(pdf, 2, 2);
	assert_has(text, "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ — mã hồ sơ");
	assert_has(text, "(tiếp theo, trang 2)");
	free(text);
	text = pdf_text(pdf, pages, pages);
	assert_has(text, "NGƯỜI HƯỚNG DẪN");
	free(text);
	free(pdf);
	free(code);
}

static void test_form_refusals(void **state)
{
	struct fixture *f = *state;
	char *code = receive(f, "2025-10-27T08:00", "Lê Văn Bình", NULL);
	struct strbuf err = STRBUF_INIT;
	char *pdf = out_path(f, "x.pdf");
	assert_int_equal(form_write(&f->st, "H01.00004-251027-9999", FORM_CONTROL, pdf, &err), 1);
	assert_non_null(strstr(err.buf, "không có hồ sơ mã H01.00004-251027-9999"));
	strbuf_reset(&err);
	assert_int_equal(form_write(&f->st, code, 6, pdf, &err), 1);
	assert_non_null(strstr(err.buf, "không có mẫu số 06"));
	strbuf_reset(&err);
	assert_int_equal(form_write(&f->st, code, FORM_RECEIPT, pdf, &err), 1);
	strbuf_reset(&err);
	/* a dossier without any event has no control slip */
	exec_ok(&f->st, "DELETE FROM events");
	assert_int_equal(form_write(&f->st, code, FORM_CONTROL, pdf, &err), 1);
	assert_non_null(strstr(err.buf, "chưa có sự kiện nào"));
	assert_false(exists(pdf));
	strbuf_reset(&err);
	/* a folder that does not exist: -1, nothing left behind */
	exec_ok(&f->st, "INSERT INTO events(id, dossier_id, kind, status_from, status_to, actor,"
			" unit_code, device_time) SELECT 'e1', id, 'receive', 1, 2, 'canbo', '00004',"
			" received_at FROM dossiers WHERE code = '%s'", code);
	char *bad = xasprintf("%s/no/such/folder/x.pdf", f->dir);
	assert_int_equal(form_write(&f->st, code, FORM_CONTROL, bad, &err), -1);
	assert_non_null(strstr(err.buf, "thư mục không tồn tại"));
	free(bad);
	free(pdf);
	strbuf_release(&err);
	free(code);
}

/* ---- the ledger ------------------------------------------------------------------- */

static void assert_range(const char *from, const char *to, const char *want_from,
			 const char *want_to)
{
	char a[11], b[11];
	struct strbuf err = STRBUF_INIT;
	if (ledger_parse_range(from, to, a, b, &err))
		fail_msg("range %s..%s refused: %s", from, to ? to : "", err.buf);
	assert_string_equal(a, want_from);
	assert_string_equal(b, want_to);
	strbuf_release(&err);
}

static void assert_range_bad(const char *from, const char *to, const char *want)
{
	char a[11], b[11];
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(ledger_parse_range(from, to, a, b, &err), -1);
	if (!err.buf || !strstr(err.buf, want))
		fail_msg("range %s..%s: message [%s] lacks [%s]", from ? from : "", to ? to : "",
			 err.buf ? err.buf : "", want);
	strbuf_release(&err);
}

static void test_ledger_range(void **state)
{
	(void)state;
	assert_range("2025-10-27", NULL, "2025-10-27", "2025-10-27");
	assert_range("2025-10-27", "2025-10-28", "2025-10-27", "2025-10-28");
	assert_range("2025-10", NULL, "2025-10-01", "2025-10-31");
	assert_range("2024-02", "", "2024-02-01", "2024-02-29");
	assert_range("2025-02", "2025-02", "2025-02-01", "2025-02-28");
	assert_range("2025", NULL, "2025-01-01", "2025-12-31");
	assert_range("2025-12", "2025", "2025-12-01", "2025-12-31");
	assert_range_bad(NULL, NULL, "thiếu --from");
	assert_range_bad("27/10/2025", NULL, "--from «27/10/2025» không hợp lệ");
	assert_range_bad("2025-13", NULL, "không hợp lệ");
	assert_range_bad("2025-02-30", NULL, "không hợp lệ");
	assert_range_bad("2025-10-27", "tomorrow", "--to «tomorrow» không hợp lệ");
	assert_range_bad("2025-12-31", "2026-01-01", "cùng một năm");
	assert_range_bad("2025-10-28", "2025-10-27", "không sớm hơn");
}

static void load_ok(struct fixture *f, const char *from, const char *to, struct ledger *lg)
{
	struct strbuf err = STRBUF_INIT;
	int rc = ledger_load(&f->st, NULL, from, to, lg, &err);
	if (rc)
		fail_msg("ledger %s..%s: %d %s", from, to ? to : "", rc, err.buf ? err.buf : "");
	strbuf_release(&err);
}

/* "1 2 3" */
static char *numbers(const struct ledger *lg)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < lg->n; i++)
		strbuf_addf(&sb, "%s%d", i ? " " : "", lg->rows[i].no);
	return strbuf_detach(&sb);
}

static void assert_numbers(struct fixture *f, const char *from, const char *to, const char *want)
{
	struct ledger lg;
	load_ok(f, from, to, &lg);
	char *got = numbers(&lg);
	if (strcmp(got, want))
		fail_msg("ledger %s..%s: numbers [%s], want [%s]", from, to ? to : "", got, want);
	free(got);
	ledger_release(&lg);
}

static void reopen(struct fixture *f)
{
	store_close(&f->st);
	struct strbuf err = STRBUF_INIT;
	if (store_open(&f->st, f->path, 0, &err))
		fail_msg("reopen: %s", err.buf);
	strbuf_release(&err);
}

static void test_ledger_numbering(void **state)
{
	struct fixture *f = *state;
	const char *day1[] = { "2025-10-27T07:40", "2025-10-27T08:50", "2025-10-27T15:10" };
	for (int i = 0; i < 3; i++)
		free(receive(f, day1[i], "Phạm Thị Hương", NULL));
	assert_numbers(f, "2025-10-27", NULL, "1 2 3");
	/* a restart, then the next day starts at the number after the last */
	reopen(f);
	free(receive(f, "2025-10-28T08:05", "Hoàng Văn Nam", NULL));
	free(receive(f, "2025-10-28T09:40", "Vũ Thị Thu Trang", NULL));
	assert_numbers(f, "2025-10-28", NULL, "4 5");
	reopen(f);
	assert_numbers(f, "2025-10-27", NULL, "1 2 3");
	assert_numbers(f, "2025-10-28", NULL, "4 5");
	assert_numbers(f, "2025-10", NULL, "1 2 3 4 5");
	assert_numbers(f, "2025", NULL, "1 2 3 4 5");
	assert_numbers(f, "2025-10-29", NULL, "");
	/* a dossier written late for an earlier day takes the next number: a
	 * number once given never changes */
	free(receive(f, "2025-10-27T16:00", "Đỗ Mạnh Cường", NULL));
	assert_numbers(f, "2025-10-27", NULL, "1 2 3 6");
	assert_numbers(f, "2025-10-28", NULL, "4 5");
	/* a new year opens a new book */
	free(receive(f, "2026-01-05T08:00", "Bùi Minh Châu", NULL));
	assert_numbers(f, "2026", NULL, "1");
	char book[16], number[16];
	struct ledger lg;
	load_ok(f, "2025-10-28", NULL, &lg);
	assert_int_equal(ledger_number_of(&f->st, lg.rows[1].code, book, number), 1);
	assert_string_equal(book, "01/2025");
	assert_string_equal(number, "0005");
	assert_int_equal(ledger_number_of(&f->st, "H01.00004-251028-9999", book, number), 0);
	ledger_release(&lg);

	/* another unit's ledger is its own (and an unknown unit is refused) */
	struct strbuf err = STRBUF_INIT;
	exec_ok(&f->st, "INSERT INTO units(code, name, ident) VALUES ('00008', 'Phường Ngọc Hà',"
			" 'H01.00008')");
	assert_int_equal(ledger_load(&f->st, "00008", "2025", NULL, &lg, &err), 0);
	assert_int_equal(lg.n, 0);
	ledger_release(&lg);
	assert_int_equal(ledger_load(&f->st, "99999", "2025", NULL, &lg, &err), 1);
	assert_non_null(strstr(err.buf, "không có đơn vị mã «99999»"));
	strbuf_release(&err);
}

/* A store written before the ledger existed (schema 3) is numbered on
 * opening, in the order its dossiers were received. */
static void test_ledger_upgrade(void **state)
{
	struct fixture *f = *state;
	free(receive(f, "2025-10-28T08:00", "Kiều Diễm Quỳnh", NULL));
	free(receive(f, "2025-10-27T08:00", "Ngô Bảo Ngọc", NULL));
	free(receive(f, "2025-10-27T10:00", "Lý Hoàng Phúc", NULL));
	assert_numbers(f, "2025-10", NULL, "1 2 3"); /* order of writing: 28, 27, 27 */
	/* Undo the ledger's migration (5 -> 6) and step the version back to 5;
	 * the later ones (indexes) are written to run again. */
	char *undo = xasprintf("DROP TRIGGER ledger_numbers_ai; DROP TRIGGER ledger_numbers_au;"
			       " DROP TABLE ledger_numbers; PRAGMA user_version = %d",
			       5);
	exec_ok(&f->st, undo);
	free(undo);
	reopen(f);
	struct ledger lg;
	load_ok(f, "2025-10", NULL, &lg);
	assert_int_equal(lg.n, 3);
	assert_string_equal(lg.rows[0].applicant, "Ngô Bảo Ngọc");
	assert_string_equal(lg.rows[1].applicant, "Lý Hoàng Phúc");
	assert_string_equal(lg.rows[2].applicant, "Kiều Diễm Quỳnh");
	char *got = numbers(&lg);
	assert_string_equal(got, "1 2 3");
	free(got);
	ledger_release(&lg);
	free(receive(f, "2025-10-29T08:00", "Trần Thị Mai", NULL));
	assert_numbers(f, "2025-10-29", NULL, "4");
}

static void test_ledger_files(void **state)
{
	struct fixture *f = *state;
	char *code = worked_flow(f);
	/* forty more, so that the PDF needs several pages */
	for (int i = 0; i < 40; i++) {
		char at[40];
		snprintf(at, sizeof at, "2025-11-%02dT%02d:05", 3 + i / 8, 8 + i % 8);
		free(receive(f, at, "Nguyễn Thị Hồng Nhung", "Số 3 \"ngõ\" 6, phố Vĩnh Phúc"));
	}
	struct ledger lg;
	load_ok(f, "2025-10-24", "2025-11-30", &lg);
	assert_int_equal(lg.n, 41);
	const struct ledger_row *r = &lg.rows[0];
	assert_int_equal(r->no, 1);
	assert_string_equal(r->code, code);
	assert_string_equal(r->handling, "Phường Ngọc Hà");
	assert_string_equal(r->received_at, "2025-10-24T15:00");
	assert_string_equal(r->appointment, "2025-11-05T15:00");
	assert_string_equal(r->transferred_at, "2025-10-24T15:30");
	assert_string_equal(r->result_at, "2025-11-05T14:50");
	assert_string_equal(r->returned_at, "2025-11-05T15:30");
	assert_string_equal(r->recipient, "Trương Văn Đức");
	assert_non_null(strstr(r->note, "Có yêu cầu bổ sung hồ sơ"));
	assert_non_null(strstr(r->note, "Đã xin lỗi, hẹn lại (hẹn trước: 03/11/2025 15:00)"));
	assert_null(strstr(r->note, "quá hạn"));
	assert_string_equal(lg.rows[1].note, "Đã tiếp nhận");
	assert_null(lg.rows[1].recipient);

	/* PDF: A4 landscape, the header on every page */
	char *pdf = out_path(f, "so-theo-doi.pdf");
	struct strbuf err = STRBUF_INIT;
	if (ledger_write_pdf(&lg, pdf, &err))
		fail_msg("%s", err.buf);
	double w, h;
	page_size(pdf, &w, &h);
	assert_true(w > 841.0 && w < 842.0 && h > 595.0 && h < 596.0);
	int pages = pages_of(pdf);
	assert_true(pages >= 3);
	for (int p = 1; p <= pages; p++) {
		char *text = pdf_text(pdf, p, p);
		assert_has(text, "Mã hồ sơ");
		assert_has(text, "Ngày, tháng, năm");
		assert_has(text, "Cơ quan chủ trì giải quyết");
		assert_has(text, "Người nhận kết quả");
		assert_has(text, "(14)");
		char page[32];
		snprintf(page, sizeof page, "Trang %d", p);
		assert_has(text, page);
		if (p > 1) {
			snprintf(page, sizeof page, "(tiếp theo, trang %d)", p);
			assert_has(text, page);
		}
		free(text);
	}
	char *text = pdf_text(pdf, 1, 1);
	assert_has(text, "SỔ THEO DÕI HỒ SƠ");
	assert_has(text, "Quyển số: 01/2025 — từ ngày 24/10/2025 đến ngày 30/11/2025");
	assert_has(text, "Trương Thị Phượng"); /* the cell wraps before "Quỳnh" */
	assert_has(text, code);
	assert_has(text, "Thủ tục đăng ký khai sinh");
	assert_has(text, "Nguyễn Thị Hồng Nhung");
	free(text);
	text = pdf_text(pdf, pages, pages);
	assert_has(text, "Tổng số: 41 hồ sơ (số thứ tự từ 1 đến 41).");
	free(text);
	check_fonts_and_render(pdf);
	free(pdf);

	/* CSV: BOM, a header, CRLF, every field quoted, quotes doubled */
	char *csv = out_path(f, "so-theo-doi.csv");
	if (ledger_write_csv(&lg, csv, &err))
		fail_msg("%s", err.buf);
	char *tmp = xasprintf("%s.tmp", csv);
	assert_false(exists(tmp));
	free(tmp);
	FILE *in = fopen(csv, "rb");
	assert_non_null(in);
	struct strbuf sb = STRBUF_INIT;
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		strbuf_add(&sb, buf, n);
	fclose(in);
	assert_memory_equal(sb.buf, "\xef\xbb\xbf", 3);
	const char *head = "\"STT\",\"Mã hồ sơ\",\"Tên TTHC\",\"Số lượng hồ sơ (bộ)\","
			   "\"Tên cá nhân, tổ chức\",\"Địa chỉ, số điện thoại\","
			   "\"Cơ quan chủ trì giải quyết\",\"Ngày nhận hồ sơ\",\"Ngày hẹn trả kết quả\","
			   "\"Ngày chuyển hồ sơ đến cơ quan giải quyết\",\"Ngày có kết quả giải quyết\","
			   "\"Ngày trả kết quả\",\"Người nhận kết quả\",\"Ghi chú\"\r\n";
	assert_memory_equal(sb.buf + 3, head, strlen(head));
	size_t lines = 0;
	for (size_t i = 0; i < sb.len; i++)
		if (sb.buf[i] == '\n') {
			assert_true(i > 0 && sb.buf[i - 1] == '\r');
			lines++;
		}
	assert_int_equal(lines, 42);
	char *first = xasprintf("\r\n\"1\",\"%s\",\"Thủ tục đăng ký khai sinh\",\"1\","
				"\"Trương Thị Phượng Quỳnh\",\"Số 5 ngõ 178 phố Đội Cấn, Phường Ba Đình,"
				" Thành phố Hà Nội; ĐT: 0912 345 678\",\"Phường Ngọc Hà\","
				"\"2025-10-24 15:00\",\"2025-11-05 15:00\",\"2025-10-24 15:30\","
				"\"2025-11-05 14:50\",\"2025-11-05 15:30\",\"Trương Văn Đức\",", code);
	if (!strstr(sb.buf, first))
		fail_msg("CSV lacks [%s]", first);
	free(first);
	assert_non_null(strstr(sb.buf, "\"Số 3 \"\"ngõ\"\" 6, phố Vĩnh Phúc, Phường Ba Đình,"));
	strbuf_release(&sb);

	/* an unwritable path: -1, nothing left */
	char *bad = xasprintf("%s/none/x.csv", f->dir);
	assert_int_equal(ledger_write_csv(&lg, bad, &err), -1);
	assert_non_null(strstr(err.buf, "thư mục không tồn tại"));
	free(bad);
	free(csv);
	strbuf_release(&err);
	ledger_release(&lg);
	free(code);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timing),
		cmocka_unit_test_setup_teardown(test_control_rows, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_forms_pdf, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_refusal_pdf, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_supplement_pages, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_form_refusals, fixture_setup, fixture_teardown),
		cmocka_unit_test(test_ledger_range),
		cmocka_unit_test_setup_teardown(test_ledger_numbering, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_ledger_upgrade, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_ledger_files, fixture_setup, fixture_teardown),
	};
	return cmocka_run_group_tests(tests, group_setup, fixture_group_teardown);
}
