/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reuse at reception (client/store/reuse.h): which stored paper fits which
 * component (the three rules, on the catalog's real wording), and the
 * person's papers read from a real store: only hers, only those still valid
 * (a paper expiring today is), newest first, with the names of the
 * components that use them. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tests/unit/fixtures.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client/store/reuse.h"
#include "client/store/store.h"
#include "core/xalloc.h"

static const char *const RESIDENCE =
	"Giấy tờ có giá trị chứng minh thông tin về cư trú trong trường hợp cơ quan đăng ký hộ"
	" tịch không thể khai thác được thông tin về nơi cư trú của công dân";
static const char *const IDENTITY =
	"Hộ chiếu/Thẻ căn cước công dân/Thẻ căn cước/Căn cước điện tử/Giấy chứng nhận căn cước"
	" hoặc các giấy tờ khác có dán ảnh và thông tin cá nhân";
static const char *const BIRTH =
	"Giấy chứng sinh; trường hợp không có Giấy chứng sinh thì nộp văn bản của người làm"
	" chứng xác nhận về việc sinh";
static const char *const BIRTH_FORM =
	"Tờ khai đăng ký khai sinh theo mẫu (nếu người có yêu cầu lựa chọn nộp hồ sơ theo hình"
	" thức trực tiếp)";
static const char *const MARRIAGE = "Giấy chứng nhận kết hôn, bản chính";

/* A paper as reuse_load makes it; used: names of the components using it. */
static struct reuse_paper paper(const char *kind, const char *title, const char *used)
{
	struct reuse_paper p;
	memset(&p, 0, sizeof p);
	p.id = xstrdup("doc");
	p.kind = kind ? xstrdup(kind) : NULL;
	p.title = title ? xstrdup(title) : NULL;
	p.kind_fold = reuse_normalize(kind);
	p.title_fold = reuse_normalize(title);
	if (used) {
		p.used = xcalloc(1, sizeof *p.used);
		p.used[0] = reuse_normalize(used);
		p.n_used = 1;
	}
	return p;
}

static void paper_free(struct reuse_paper *p)
{
	free(p->id);
	free(p->kind);
	free(p->title);
	free(p->kind_fold);
	free(p->title_fold);
	for (size_t i = 0; i < p->n_used; i++)
		free(p->used[i]);
	free(p->used);
}

static void test_normalize(void **state)
{
	(void)state;
	char *s = reuse_normalize("  Giấy CHỨNG sinh; (bản chính)/Đơn-xin ");
	assert_string_equal(s, "giay chung sinh ban chinh don xin");
	free(s);
	s = reuse_normalize(NULL);
	assert_string_equal(s, "");
	free(s);
}

static void test_rules(void **state)
{
	(void)state;
	/* 1: used by a component with the same name (any punctuation, case) */
	struct reuse_paper p = paper("other", NULL, RESIDENCE);
	assert_true(reuse_matches(&p, RESIDENCE));
	assert_false(reuse_matches(&p, IDENTITY));
	paper_free(&p);

	/* 2: the title, as whole words of the component's name */
	p = paper("can-cuoc", "Thẻ căn cước công dân", NULL);
	assert_true(reuse_matches(&p, IDENTITY));
	assert_false(reuse_matches(&p, RESIDENCE));
	paper_free(&p);
	p = paper("giay-chung-sinh", NULL, NULL); /* no title: the kind */
	assert_true(reuse_matches(&p, BIRTH));
	assert_false(reuse_matches(&p, BIRTH_FORM));
	paper_free(&p);
	/* the kind is not read when there is a title: "to-khai" names every
	 * declaration form, the title says which */
	p = paper("to-khai", "Tờ khai đăng ký kết hôn", NULL);
	assert_false(reuse_matches(&p, BIRTH_FORM));
	paper_free(&p);
	/* whole words only: "cu tru" is not "cu truong" */
	p = paper(NULL, "thông tin về cư", NULL);
	assert_true(reuse_matches(&p, RESIDENCE));
	paper_free(&p);
	p = paper(NULL, "về cư tr", NULL);
	assert_false(reuse_matches(&p, RESIDENCE));
	paper_free(&p);
	/* one word is too little */
	p = paper("cccd", "Căn", NULL);
	assert_false(reuse_matches(&p, IDENTITY));
	paper_free(&p);

	/* 3: the component's name up to ';' ',' '(' inside the title */
	p = paper(NULL, "Giấy chứng sinh số 123 của bé Nguyễn Văn Bình", NULL);
	assert_true(reuse_matches(&p, BIRTH));
	paper_free(&p);
	p = paper(NULL, "Giấy chứng nhận kết hôn của Nguyễn Văn An và Trần Thị Bình", NULL);
	assert_true(reuse_matches(&p, MARRIAGE));
	assert_false(reuse_matches(&p, BIRTH));
	paper_free(&p);
}

static void test_load(void **state)
{
	(void)state;
	char dir[] = "/tmp/motcua-reuse-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *db = xasprintf("%s/motcua.db", dir);
	struct store st;
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(store_open(&st, db, STORE_CREATE, &err), 0);
	exec_ok(&st,
		"INSERT INTO documents(id, owner_id_number, kind, title, number, issued_on, expires_on,"
		" sha256, pages, created_at) VALUES"
		" ('a', '001090012345', 'can-cuoc', 'Thẻ căn cước công dân', '001090012345',"
		"  '2021-04-10', '2030-03-05', 'x', 1, '2025-07-21T10:01'),"
		" ('b', '001090012345', 'xac-nhan-cu-tru', NULL, NULL, NULL, '2025-08-05', 'y', 2,"
		"  '2025-07-21T10:02'),"
		" ('c', '001090012345', 'xac-nhan-cu-tru', NULL, NULL, NULL, '2025-08-04', 'y', 2,"
		"  '2025-07-21T10:03'),"
		" ('d', '036090099999', 'can-cuoc', NULL, NULL, NULL, NULL, 'z', 1, '2025-07-21T10:04'),"
		" ('e', '001090012345', 'other', NULL, NULL, NULL, NULL, 'w', 3, '2025-07-21T10:05');"
		"INSERT INTO dossiers(id, code, procedure_code, procedure_name, unit_code, clerk, status,"
		" received_at, appointment, applicant_name, applicant_fold, id_number, updated_at)"
		" VALUES ('d1', 'H01.00004-250721-0001', '1.000894', 'Kết hôn', '00004', 'an', 2,"
		" '2025-07-21T09:00', '2025-07-22T09:00', 'An', 'an', '001090012345', '2025-07-21T09:00');"
		"INSERT INTO dossier_components(dossier_id, seq, name, kind, mandatory,"
		" originals_required, copies_required, originals, copies, document_id) VALUES"
		" ('d1', 1, 'Tờ khai', 'submit', 1, 1, 0, 1, 0, 'e'),"
		" ('d1', 2, 'Giấy xác nhận cư trú', 'submit', 1, 1, 0, 1, 0, 'e')");
	struct reuse_papers ps;
	struct mc_date today = { 2025, 8, 5 };
	assert_int_equal(reuse_load(&st, "001090012345", &today, &ps, &err), 0);
	assert_string_equal(ps.owner, "001090012345");
	assert_int_equal(ps.n, 3); /* not c (expired yesterday), not d (another person) */
	assert_string_equal(ps.items[0].id, "e");
	assert_string_equal(ps.items[1].id, "b"); /* expires today: still valid */
	assert_string_equal(ps.items[2].id, "a");
	assert_int_equal(ps.items[0].n_used, 2);
	assert_string_equal(ps.items[0].used[0], "giay xac nhan cu tru");
	assert_string_equal(ps.items[0].used[1], "to khai");
	assert_true(reuse_matches(&ps.items[0], "Tờ khai"));
	assert_int_equal(ps.items[1].pages, 2);
	assert_null(ps.items[1].title);
	char *label = reuse_label(&ps.items[2]);
	assert_string_equal(label, "Thẻ căn cước công dân · số 001090012345 · cấp 10/04/2021"
				   " · hạn đến 05/03/2030");
	free(label);
	label = reuse_label(&ps.items[1]);
	assert_string_equal(label, "xac-nhan-cu-tru · hạn đến 05/08/2025");
	free(label);
	reuse_papers_release(&ps);

	assert_int_equal(reuse_load(&st, "079000000000", &today, &ps, &err), 0);
	assert_int_equal(ps.n, 0);
	reuse_papers_release(&ps);

	store_close(&st);
	strbuf_release(&err);
	char *cmd = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(db);
}

TESTS_MAIN(test_normalize, test_rules, test_load)
