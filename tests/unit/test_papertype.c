/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Paper types (core/papertype.h) on the catalog's real wording: which
 * types a component accepts (the text in parentheses left out), and reuse
 * by type (client/store/reuse.h): a stored CCCD is offered for 2.000908's
 * "Một trong các giấy tờ sau: Căn cước điện tử; ..." and a paper of another
 * type never is. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tests/unit/fixtures.h"

#include <stdlib.h>
#include <string.h>

#include "client/store/reuse.h"
#include "core/papertype.h"
#include "core/xalloc.h"

#define BIT(t) (1u << MC_PT_##t)

/* procedure 2.000908 (cấp bản sao từ sổ gốc), components 1 and 2 */
static const char *const ONE_OF =
	"Một trong các giấy tờ sau: Căn cước điện tử; bản chính hoặc bản sao của Thẻ căn cước"
	" công dân hoặc Thẻ căn cước hoặc Giấy chứng nhận căn cước hoặc Hộ chiếu hoặc giấy tờ xuất"
	" nhập cảnh hoặc giấy tờ có giá trị đi lại quốc tế còn giá trị sử dụng (Không yêu cầu người"
	" yêu cầu cấp bản sao từ sổ gốc nộp giấy tờ này khi cơ quan giải quyết thủ tục hành chính"
	" khai thác được thông tin về Thẻ căn cước công dân hoặc Thẻ căn cước hoặc Giấy chứng nhận"
	" căn cước trên Cơ sở dữ liệu quốc gia về dân cư)";
static const char *const RELATION =
	"Bản chính hoặc bản sao có chứng thực giấy tờ chứng minh quan hệ với người được cấp bản"
	" chính trong trường hợp người yêu cầu là người đại diện theo pháp luật; cha, mẹ, con; vợ,"
	" chồng (Không yêu cầu người yêu cầu cấp bản sao từ sổ gốc nộp giấy tờ này khi cơ quan giải"
	" quyết thủ tục hành chính khai thác được thông tin về giấy khai sinh, giấy đăng ký kết hôn"
	" trên Cơ sở dữ liệu hộ tịch điện tử)";

static void test_codes(void **state)
{
	(void)state;
	for (int t = 0; t < MC_PT_COUNT; t++) {
		assert_int_equal(mc_paper_type_from_code(mc_paper_type_code(t)), t);
		assert_non_null(mc_paper_type_name(t));
	}
	assert_int_equal(mc_paper_type_from_code("hochieu"), MC_PT_COUNT);
	assert_int_equal(mc_paper_type_from_code(NULL), MC_PT_COUNT);
	assert_null(mc_paper_type_code(MC_PT_COUNT));
	assert_string_equal(mc_paper_type_name(MC_PT_birth), "Giấy khai sinh");
}

static void test_accepted(void **state)
{
	(void)state;
	assert_int_equal(mc_paper_types_accepted(ONE_OF), BIT(cccd) | BIT(passport));
	/* what may be looked up instead, in parentheses, is not asked */
	assert_int_equal(mc_paper_types_accepted(RELATION), 0);
	assert_int_equal(mc_paper_types_accepted("Giấy khai sinh (bản sao)"), BIT(birth));
	assert_int_equal(mc_paper_types_accepted("Trích lục khai tử hoặc Giấy chứng tử"), BIT(death));
	assert_int_equal(mc_paper_types_accepted("GIẤY CHỨNG NHẬN KẾT HÔN, bản chính"), BIT(marriage));
	assert_int_equal(mc_paper_types_accepted("Giấy chứng nhận quyền sử dụng đất, quyền sở hữu"
						 " nhà ở"), BIT(land));
	/* whole words only: "giấy khai sinh" is not in "giấy khai sinhx" */
	assert_int_equal(mc_paper_types_accepted("Giấy khai sinhx"), 0);
	/* nested and unbalanced parentheses */
	assert_int_equal(mc_paper_types_accepted("Hộ chiếu (hoặc (Thẻ căn cước))"), BIT(passport));
	assert_int_equal(mc_paper_types_accepted("Tờ khai) Thẻ căn cước ("), BIT(cccd));
	assert_int_equal(mc_paper_types_accepted(""), 0);
	assert_int_equal(mc_paper_types_accepted(NULL), 0);
}

static struct reuse_paper typed(const char *type, const char *title)
{
	struct reuse_paper p;
	memset(&p, 0, sizeof p);
	p.paper_type = type ? xstrdup(type) : NULL;
	p.title = title ? xstrdup(title) : NULL;
	p.kind_fold = reuse_normalize("other");
	p.title_fold = reuse_normalize(title);
	return p;
}

static void typed_free(struct reuse_paper *p)
{
	free(p->paper_type);
	free(p->title);
	free(p->kind_fold);
	free(p->title_fold);
}

static void test_reuse_by_type(void **state)
{
	(void)state;
	struct reuse_paper cccd = typed("cccd", "Thẻ căn cước công dân");
	struct reuse_paper birth = typed("birth", "Giấy khai sinh");
	/* a birth certificate titled like the component is still not offered */
	struct reuse_paper liar = typed("birth", "Căn cước điện tử");
	struct reuse_paper untyped = typed(NULL, "Giấy khai sinh");
	assert_true(reuse_matches(&cccd, ONE_OF));
	assert_false(reuse_matches(&birth, ONE_OF));
	assert_false(reuse_matches(&liar, ONE_OF));
	assert_false(reuse_matches(&cccd, RELATION));
	assert_true(reuse_matches(&birth, "Giấy khai sinh của người được cấp bản sao"));
	/* no type on the paper: the wording decides */
	assert_true(reuse_matches(&untyped, "Giấy khai sinh, bản sao"));
	char *label = reuse_label(&cccd);
	assert_string_equal(label, "[cccd] Thẻ căn cước công dân");
	free(label);
	typed_free(&cccd);
	typed_free(&birth);
	typed_free(&liar);
	typed_free(&untyped);
}

TESTS_MAIN(test_codes, test_accepted, test_reuse_by_type)
