/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The receipt PDF, checked for real with poppler (pdfinfo, pdftotext,
 * pdffonts, pdftoppm) and zbar (zbarimg): page size, text with diacritics,
 * fonts, and both the Code 128 and the QR code decoded from a 150 dpi image.
 * Those tools are dependencies (tools/deps.sh): missing ones fail the test.
 * Set MOTCUA_KEEP_RECEIPT=DIR to keep the PDFs and PNGs for a look. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "client/print/print.h"
#include "client/print/receipt.h"
#include "core/xalloc.h"
#include "tests/unit/fixtures.h"

static char tmpdir[] = "/tmp/motcua-receipt-XXXXXX";

#define CODE "000.00.06.H56-231027-0361"
#define URL "https://dichvucong.quangninh.gov.vn/tra-cuu-ho-so?ma=000.00.06.H56-231027-0361"
#define NAME "Trương Nguyễn Huỳnh Thị Phượng Quỳnh Hương"
#define LONG_NAME "Nguyễn Thị Hồng Nhung Huỳnh Trương Quỳnh Phượng Đặng Lê Ngọc Ánh Tôn Nữ"

static const struct receipt_component components[] = {
	{ "Tờ khai đăng ký khai sinh theo mẫu quy định", 1, 0, 1, 0, NULL },
	{ "Giấy chứng sinh do cơ sở y tế nơi trẻ em sinh ra cấp; trường hợp không có giấy "
	  "chứng sinh thì nộp văn bản của người làm chứng xác nhận về việc sinh",
	  1, 0, 1, 0, NULL },
	{ "Giấy tờ chứng minh nơi cư trú của cha, mẹ", 0, 1, 0, 1, NULL },
	{ "Giấy chứng nhận kết hôn của cha, mẹ trẻ em", 0, 1, 0, 1, "Đối chiếu bản chính" },
	{ "Văn bản ủy quyền có chứng thực (trường hợp ủy quyền đăng ký khai sinh)", 1, 0, 0, 0,
	  "Không thuộc trường hợp ủy quyền" },
	{ "Hộ chiếu hoặc thẻ Căn cước của người đi đăng ký khai sinh", 0, 1, 0, 1, NULL },
};

static void sample(struct receipt *r)
{
	memset(r, 0, sizeof(*r));
	r->unit_parent_name = "UBND tỉnh Quảng Ninh";
	r->unit_name = "Trung tâm Phục vụ hành chính công phường Hạ Long";
	r->unit_address = "Số 2 đường Nguyễn Văn Cừ, phường Hạ Long, tỉnh Quảng Ninh";
	r->unit_phone = "0203 3835 678";
	r->place = "Hạ Long";
	r->copy_label = "Liên 1: giao người nộp hồ sơ";
	r->code = CODE;
	r->lookup_url = URL;
	r->procedure_code = "1.001193";
	r->procedure_name = "Thủ tục đăng ký khai sinh";
	r->applicant_name = NAME;
	r->id_number = "022186001234";
	r->phone = "0912 345 678";
	r->email = "nhung.nguyen@example.vn";
	r->address = "Tổ 5, khu phố Yết Kiêu 3, phường Hạ Long, tỉnh Quảng Ninh";
	r->fee_text = "Miễn lệ phí (đăng ký đúng hạn)";
	r->received_at = "2023-10-27T09:32";
	r->appointment = "2023-11-03T09:32";
	r->processing_time_text = "05 ngày làm việc";
	r->n_sets = 1;
	r->return_place = "Bộ phận Một cửa phường Hạ Long";
	r->ledger_book = "01/2023";
	r->ledger_number = "0361";
	r->clerk_name = "Phạm Văn Đức";
	r->n_components = sizeof(components) / sizeof(components[0]);
	r->components = components;
}

static void need_tool(const char *tool)
{
	char *cmd = xasprintf("command -v %s >/dev/null 2>&1", tool);
	int st = system(cmd);
	free(cmd);
	if (st != 0)
		fail_msg("%s is missing: install poppler-utils and zbar-tools (tools/deps.sh)", tool);
}

static bool exists(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0;
}

static char *out_path(const char *name)
{
	const char *keep = getenv("MOTCUA_KEEP_RECEIPT");
	return xasprintf("%s/%s", keep && *keep ? keep : tmpdir, name);
}

static void write_ok(const struct receipt *r, const char *path)
{
	struct strbuf err = STRBUF_INIT;
	int rc = receipt_write_pdf(r, path, &err);
	if (rc)
		fail_msg("receipt_write_pdf: %s", err.buf);
	strbuf_release(&err);
	assert_true(exists(path));
	char *tmp = xasprintf("%s.tmp", path);
	assert_false(exists(tmp));
	free(tmp);
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

/* No word leaves the text area (margins 15 mm left, 10 right, 8 top and
 * bottom): pdftotext -bbox gives the box of every word on every page. */
static void check_inside(const char *pdf)
{
	char *bbox = run("pdftotext -bbox '%s' - | grep -o '[xy]M[ai][xn]=\"[0-9.]*\"'", pdf);
	int boxes = 0;
	for (char *line = strtok(bbox, "\n"); line; line = strtok(NULL, "\n")) {
		double v = atof(strchr(line, '"') + 1);
		boxes++;
		if (strncmp(line, "xMin", 4) == 0)
			assert_true(v >= 15 / 25.4 * 72 - 1);
		else if (strncmp(line, "xMax", 4) == 0)
			assert_true(v <= 419.53 - 10 / 25.4 * 72 + 1);
		else if (strncmp(line, "yMin", 4) == 0)
			assert_true(v >= 8 / 25.4 * 72 - 1);
		else
			assert_true(v <= 595.28 - 8 / 25.4 * 72 + 1);
	}
	assert_true(boxes > 4 * 100);
	free(bbox);
}

static void test_receipt_pdf(void **state)
{
	struct receipt r;
	sample(&r);
	char *pdf = out_path("receipt.pdf");
	write_ok(&r, pdf);

	need_tool("pdfinfo");
	need_tool("pdftotext");
	need_tool("pdffonts");
	need_tool("pdftoppm");
	need_tool("zbarimg");

	/* A5 portrait, one page */
	char *info = run("pdfinfo '%s'", pdf);
	const char *ps = strstr(info, "Page size:");
	assert_non_null(ps);
	double w = 0, h = 0;
	assert_int_equal(sscanf(ps, "Page size: %lf x %lf pts", &w, &h), 2);
	assert_true(w > 419.0 && w < 420.0);
	assert_true(h > 595.0 && h < 596.0);
	assert_non_null(strstr(info, "Pages:           1\n"));
	assert_non_null(strstr(info, "Title:           Giấy tiếp nhận hồ sơ và hẹn trả kết quả"));
	free(info);

	/* the text, diacritics exact (pdftotext joins wrapped lines with \n,
	 * so the long name is checked with the newlines folded to spaces) */
	char *text = run("pdftotext -enc UTF-8 '%s' - | tr '\\n' ' ' | tr -s ' '", pdf);
	const char *want[] = {
		"GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
		"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
		"Độc lập - Tự do - Hạnh phúc",
		"UBND TỈNH QUẢNG NINH",
		"TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG PHƯỜNG HẠ LONG",
		"Hạ Long, ngày 27 tháng 10 năm 2023",
		"Mã hồ sơ: " CODE,
		NAME,
		"022186001234",
		"nhung.nguyen@example.vn",
		"Thủ tục đăng ký khai sinh",
		"Giấy chứng nhận kết hôn của cha, mẹ trẻ em",
		"Số lượng hồ sơ: 01 (bộ)",
		"05 ngày làm việc",
		"4. Thời gian nhận hồ sơ: 09 giờ 32 phút, ngày 27 tháng 10 năm 2023",
		"5. Thời gian trả kết quả giải quyết hồ sơ: 09 giờ 32 phút, ngày 03 tháng 11 năm 2023",
		"Quyển số: 01/2023, Số thứ tự: 0361",
		"NGƯỜI NỘP HỒ SƠ",
		"NGƯỜI TIẾP NHẬN HỒ SƠ",
		"Phạm Văn Đức",
		"0/1", /* the absent power of attorney */
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (!strstr(text, want[i]))
			fail_msg("pdftotext lacks [%s] in: %s", want[i], text);
	free(text);

	/* every glyph from the serif family chosen, embedded (no fallback font) */
	char *fonts = run("pdffonts '%s' | tail -n +3", pdf);
	assert_true(strlen(fonts) > 0);
	for (char *line = strtok(fonts, "\n"); line; line = strtok(NULL, "\n")) {
		if (!strstr(line, "NotoSerif") && !strstr(line, "DejaVuSerif"))
			fail_msg("unexpected font: %s", line);
		if (!strstr(line, " yes yes "))
			fail_msg("font not embedded as a subset: %s", line);
	}
	free(fonts);
	check_inside(pdf);

	/* both codes decode from a 150 dpi image */
	char *prefix = out_path("receipt");
	free(run("pdftoppm -r 150 -png '%s' '%s'", pdf, prefix));
	char *codes = run("zbarimg --raw -q '%s-1.png' 2>/dev/null", prefix);
	if (!strstr(codes, CODE "\n"))
		fail_msg("zbarimg did not decode the Code 128: [%s]", codes);
	if (!strstr(codes, URL "\n"))
		fail_msg("zbarimg did not decode the QR code: [%s]", codes);
	char *types = run("zbarimg -q '%s-1.png' 2>/dev/null", prefix);
	assert_non_null(strstr(types, "CODE-128:" CODE));
	assert_non_null(strstr(types, "QR-Code:" URL));
	free(types);
	free(codes);
	free(prefix);
	free(pdf);
}

/* Many long components flow onto a second page; nothing is lost. */
static void test_receipt_two_pages(void **state)
{
	struct receipt r;
	sample(&r);
	struct receipt_component many[30];
	char names[30][200];
	for (int i = 0; i < 30; i++) {
		snprintf(names[i], sizeof(names[i]),
			 "Giấy tờ số %02d: bản sao giấy xác nhận thông tin về cư trú của người "
			 "được đăng ký và của cha, mẹ", i + 1);
		many[i] = (struct receipt_component){ names[i], 0, 1, 0, 1, NULL };
	}
	r.components = many;
	r.n_components = 30;
	r.lookup_url = NULL; /* the QR then holds the code */
	r.applicant_name = LONG_NAME;
	char *pdf = out_path("receipt-long.pdf");
	write_ok(&r, pdf);

	int pages = pages_of(pdf);
	assert_true(pages >= 2);
	char *text = run("pdftotext -enc UTF-8 '%s' - | tr '\\n' ' ' | tr -s ' '", pdf);
	for (int i = 1; i <= 30; i++) {
		char want[32];
		snprintf(want, sizeof(want), "Giấy tờ số %02d:", i);
		if (!strstr(text, want))
			fail_msg("component %d lost: %s", i, text);
	}
	for (int p = 2; p <= pages; p++) {
		char want[64];
		snprintf(want, sizeof(want), "(tiếp theo, trang %d)", p);
		assert_non_null(strstr(text, want));
	}
	assert_non_null(strstr(text, LONG_NAME));
	free(text);
	/* the signatures and the QR code are on the last page */
	text = run("pdftotext -f %d -l %d -enc UTF-8 '%s' -", pages, pages, pdf);
	assert_non_null(strstr(text, "NGƯỜI TIẾP NHẬN HỒ SƠ"));
	free(text);

	check_inside(pdf);

	char *prefix = out_path("receipt-long");
	free(run("pdftoppm -r 150 -png '%s' '%s'", pdf, prefix));
	char *codes = run("zbarimg --raw -q '%s-1.png' '%s-%d.png' 2>/dev/null", prefix, prefix, pages);
	/* the Code 128 on page 1, the QR code (holding the code) on the last */
	const char *first = strstr(codes, CODE "\n");
	assert_non_null(first);
	assert_non_null(strstr(first + 1, CODE "\n"));
	free(codes);
	free(prefix);
	free(pdf);
}

/* Optional fields left out print the form's dotted blanks; decomposed input
 * (e + U+0302 + U+0303 ...) prints composed. */
static void test_receipt_blanks(void **state)
{
	struct receipt r;
	memset(&r, 0, sizeof(r));
	r.unit_name = "UBND xã Đồng Văn";
	r.code = "H22.40.19-251103-0007";
	r.procedure_name = "Đăng ký kết hôn";
	r.applicant_name = "Nguye\xcc\x82\xcc\x83n Va\xcc\x86n A\xcc\x82n"; /* NFD */
	r.received_at = "2025-11-03T14:05";
	r.appointment = "2025-11-04T14:05";
	char *pdf = out_path("receipt-blank.pdf");
	write_ok(&r, pdf);

	assert_int_equal(pages_of(pdf), 1);
	char *text = run("pdftotext -enc UTF-8 '%s' - | tr '\\n' ' ' | tr -s ' '", pdf);
	const char *want[] = {
		"UBND XÃ ĐỒNG VĂN",
		"……………………, ngày 03 tháng 11 năm 2025",
		"Ông/Bà: Nguyễn Văn Ân",
		"Email: ……………………",
		"Số điện thoại: ……………………",
		"Quyển số: ……………………, Số thứ tự: ……………………",
		"4. Thời gian nhận hồ sơ: 14 giờ 05 phút, ngày 03 tháng 11 năm 2025",
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (!strstr(text, want[i]))
			fail_msg("pdftotext lacks [%s] in: %s", want[i], text);
	assert_null(strstr(text, "Tra cứu hồ sơ:"));
	free(text);
	check_inside(pdf);

	char *prefix = out_path("receipt-blank");
	free(run("pdftoppm -r 150 -png '%s' '%s'", pdf, prefix));
	char *codes = run("zbarimg -q '%s-1.png' 2>/dev/null", prefix);
	assert_non_null(strstr(codes, "CODE-128:H22.40.19-251103-0007\n"));
	assert_non_null(strstr(codes, "QR-Code:H22.40.19-251103-0007\n"));
	free(codes);
	free(prefix);
	free(pdf);
}

/* Absurdly long fields (an address longer than a page, a component name
 * longer than a page) still stay inside the margins. */
static void test_receipt_huge_fields(void **state)
{
	struct receipt r;
	sample(&r);
	struct strbuf addr = STRBUF_INIT, comp = STRBUF_INIT;
	for (int i = 0; i < 60; i++)
		strbuf_addstr(&addr, "thôn Đồng Tâm, xã Vĩnh Phúc, tỉnh Tuyên Quang; ");
	for (int i = 0; i < 150; i++)
		strbuf_addstr(&comp, "giấy xác nhận của Ủy ban nhân dân ");
	struct receipt_component c[2] = {
		{ comp.buf, 1, 0, 1, 0, NULL },
		{ "Tờ khai", 1, 0, 1, 0, NULL },
	};
	r.address = addr.buf;
	r.components = c;
	r.n_components = 2;
	char *pdf = out_path("receipt-huge.pdf");
	write_ok(&r, pdf);
	assert_true(pages_of(pdf) >= 2);
	check_inside(pdf);
	char *text = run("pdftotext -enc UTF-8 '%s' - | tr '\\n' ' ' | tr -s ' '", pdf);
	assert_non_null(strstr(text, "Tờ khai"));
	assert_non_null(strstr(text, "NGƯỜI TIẾP NHẬN HỒ SƠ"));
	free(text);
	free(pdf);
	strbuf_release(&addr);
	strbuf_release(&comp);
}

static void test_receipt_bad_input(void **state)
{
	struct receipt r;
	struct strbuf err = STRBUF_INIT;
	char *pdf = out_path("bad.pdf");

	sample(&r);
	r.appointment = "2023-02-30T09:00";
	assert_int_equal(receipt_write_pdf(&r, pdf, &err), -1);
	assert_non_null(strstr(err.buf, "ngày hẹn trả không hợp lệ"));
	assert_false(exists(pdf));

	strbuf_reset(&err);
	sample(&r);
	r.code = "MÃ-Ư";
	assert_int_equal(receipt_write_pdf(&r, pdf, &err), -1);
	assert_non_null(strstr(err.buf, "mã vạch"));
	assert_false(exists(pdf));
	strbuf_release(&err);
	free(pdf);
}

static void test_receipt_unwritable(void **state)
{
	struct receipt r;
	struct strbuf err = STRBUF_INIT;
	sample(&r);

	char *pdf = xasprintf("%s/khong-co/receipt.pdf", tmpdir);
	assert_int_equal(receipt_write_pdf(&r, pdf, &err), -1);
	assert_non_null(strstr(err.buf, "không tạo được tệp PDF"));
	assert_non_null(strstr(err.buf, "thư mục không tồn tại"));
	free(pdf);

	/* a directory in the way of the final rename */
	strbuf_reset(&err);
	pdf = xasprintf("%s/a-dir.pdf", tmpdir);
	assert_int_equal(mkdir(pdf, 0755), 0);
	assert_int_equal(receipt_write_pdf(&r, pdf, &err), -1);
	assert_non_null(strstr(err.buf, "không ghi được tệp PDF"));
	char *tmp = xasprintf("%s.tmp", pdf);
	assert_false(exists(tmp));
	rmdir(pdf);
	free(tmp);
	free(pdf);
	strbuf_release(&err);
}

/* A write failure in the middle of the PDF (the file size limit stands in for
 * a full disk: write() fails with EFBIG) leaves no temporary file, and the
 * receipt printed before at the same path untouched. */
static void test_receipt_disk_full(void **state)
{
	char *pdf = xasprintf("%s/full.pdf", tmpdir);
	char *tmp = xasprintf("%s.tmp", pdf);
	FILE *f = fopen(pdf, "w");
	assert_non_null(f);
	fputs("the previous receipt", f);
	fclose(f);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct receipt r;
		struct strbuf err = STRBUF_INIT;
		struct rlimit rl = { 4096, 4096 };
		signal(SIGXFSZ, SIG_IGN);
		setrlimit(RLIMIT_FSIZE, &rl);
		sample(&r);
		int rc = receipt_write_pdf(&r, pdf, &err);
		if (rc != -1)
			_exit(10);
		if (!err.buf || !strstr(err.buf, "không ghi được tệp PDF") ||
		    !strstr(err.buf, "tệp vượt quá kích thước cho phép"))
			_exit(11);
		_exit(0);
	}
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_false(exists(tmp));
	char *left = run("cat '%s'", pdf);
	assert_string_equal(left, "the previous receipt");
	free(left);
	free(pdf);
	free(tmp);
}

/* print_pdf runs `lp -d PRINTER -- FILE` without a shell. CUPS is not part of
 * the test machine, so an `lp` script first in PATH records its arguments
 * (the process handling is real: fork, exec, status, stderr). */
static void write_script(const char *path, const char *body)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "#!/bin/sh\n%s\n", body);
	fclose(f);
	assert_int_equal(chmod(path, 0755), 0);
}

static void test_print(void **state)
{
	struct strbuf err = STRBUF_INIT;
	char *old_path = xstrdup(getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
	char *bin = xasprintf("%s/bin", tmpdir);
	char *lp = xasprintf("%s/lp", bin);
	char *args = xasprintf("%s/lp-args", tmpdir);
	char *file = xasprintf("%s/to print.pdf", tmpdir);
	char *body;

	assert_int_equal(mkdir(bin, 0755), 0);
	write_script(file, "");
	assert_int_equal(setenv("PATH", bin, 1), 0);

	/* lp missing */
	assert_int_equal(print_pdf("HP_LaserJet", file, &err), -1);
	assert_non_null(strstr(err.buf, "không tìm thấy lệnh in \"lp\""));

	/* lp accepts: arguments passed as they are, its stdout not ours */
	body = xasprintf("for a in \"$@\"; do echo \"[$a]\"; done > '%s'\n"
			 "echo 'request id is HP_LaserJet-1 (1 file(s))'", args);
	write_script(lp, body);
	free(body);
	strbuf_reset(&err);
	assert_int_equal(print_pdf("HP_LaserJet", file, &err), 0);
	FILE *f = fopen(args, "r");
	assert_non_null(f);
	char got[512] = "";
	size_t n = fread(got, 1, sizeof(got) - 1, f);
	got[n] = '\0';
	fclose(f);
	char *want = xasprintf("[-d]\n[HP_LaserJet]\n[--]\n[%s]\n", file);
	assert_string_equal(got, want);
	free(want);

	/* lp refuses: its message is quoted */
	write_script(lp, "echo 'lp: The printer or class does not exist.' >&2; exit 1");
	strbuf_reset(&err);
	assert_int_equal(print_pdf("HP_LaserJet", file, &err), -1);
	assert_non_null(strstr(err.buf, "không nhận lệnh in"));
	assert_non_null(strstr(err.buf, "The printer or class does not exist."));

	/* names lp would misread, and no printer at all */
	strbuf_reset(&err);
	assert_int_equal(print_pdf("-o bad", file, &err), -1);
	assert_non_null(strstr(err.buf, "tên máy in không hợp lệ"));
	strbuf_reset(&err);
	assert_int_equal(print_pdf("", file, &err), -1);
	assert_non_null(strstr(err.buf, "chưa cấu hình máy in"));

	setenv("PATH", old_path, 1);
	unlink(lp);
	unlink(args);
	unlink(file);
	rmdir(bin);
	free(old_path);
	free(bin);
	free(lp);
	free(args);
	free(file);
	strbuf_release(&err);
}

static int setup(void **state)
{
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char *cmd = xasprintf("rm -rf '%s'", tmpdir);
	int rc = system(cmd);
	free(cmd);
	return rc;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_receipt_pdf),
		cmocka_unit_test(test_receipt_two_pages),
		cmocka_unit_test(test_receipt_blanks),
		cmocka_unit_test(test_receipt_huge_fields),
		cmocka_unit_test(test_receipt_bad_input),
		cmocka_unit_test(test_receipt_unwritable),
		cmocka_unit_test(test_receipt_disk_full),
		cmocka_unit_test(test_print),
	};
	return cmocka_run_group_tests_name("receipt", tests, setup, teardown);
}
