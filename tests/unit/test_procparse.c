/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/procparse on short excerpts of real lines of data/procedures.jsonl. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/unit/fixtures.h"

#include <jansson.h>

#include "core/procparse.h"
#include "core/text.h"

/* Builds a JSON line like the crawl's from key/value pairs (NULL-terminated). */
static char *line_of(const char *first, ...)
{
	json_t *o = json_object();
	va_list ap;
	va_start(ap, first);
	for (const char *k = first; k; k = va_arg(ap, const char *))
		json_object_set_new(o, k, json_string(va_arg(ap, const char *)));
	va_end(ap);
	char *s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return s;
}

static void parse_ok(const char *line, struct mc_procedure *p)
{
	struct strbuf err = STRBUF_INIT;
	mc_procedure_init(p);
	int rc = mc_procedure_parse(line, p, &err);
	if (rc)
		fail_msg("parse failed: %s", err.buf);
	strbuf_release(&err);
}

static const struct mc_component *find_component(const struct mc_procedure *p, const char *prefix)
{
	for (size_t i = 0; i < p->ncomponents; i++)
		if (!strncmp(p->components[i].name, prefix, strlen(prefix)))
			return &p->components[i];
	fail_msg("no component starting with \"%s\"", prefix);
	return NULL;
}

/* 1.001193, shortened: the rows kept verbatim, long notes cut. */
static const char birth_components[] =
	"* Giấy tờ phải nộp:Tên giấy tờMẫu đơn, tờ khaiSố lượng"
	"- Trường hợp trẻ em bị bỏ rơi thì phải có biên bản về việc trẻ bị bỏ rơi do cơ quan có"
	" thẩm quyền lập.1 bản chính"
	"- Văn bản ủy quyền (được chứng thực) theo quy định của pháp luật trong trường hợp ủy"
	" quyền thực hiện việc đăng ký khai sinh.1 bản chính"
	"Trường hợp người yêu cầu đã nộp bản điện tử Giấy chứng sinh thì không phải nộp bản giấy.0 bản chính"
	"- Trường hợp khai sinh cho trẻ em sinh ra do mang thai hộ phải có văn bản xác nhận của"
	" cơ sở y tế đã thực hiện kỹ thuật hỗ trợ sinh sản cho việc mang thai hộ.1 bản chính"
	"- Giấy chứng sinh; trường hợp không có Giấy chứng sinh thì nộp văn bản của người làm"
	" chứng xác nhận về việc sinh; nếu không có người làm chứng thì phải có giấy cam đoan về"
	" việc sinh.1 bản chính"
	"* Giấy tờ phải xuất trình:Tên giấy tờMẫu đơn, tờ khaiSố lượng"
	"- Giấy tờ có giá trị chứng minh thông tin về cư trú trong trường hợp cơ quan đăng ký hộ"
	" tịch không thể khai thác được thông tin về nơi cư trú của công dân.1 bản chính"
	"- Hộ chiếu/Thẻ căn cước công dân/Thẻ căn cước/Căn cước điện tử/Giấy chứng nhận căn cước"
	" hoặc các giấy tờ khác có dán ảnh và thông tin cá nhân do cơ quan có thẩm quyền cấp, còn"
	" giá trị sử dụng.1 bản chính"
	"* Lưu ý:Tên giấy tờMẫu đơn, tờ khaiSố lượng"
	"- Đối với việc xác định họ, dân tộc, quê quán, đặt tên cho trẻ:0 bản chính"
	"--Tên giấy tờMẫu đơn, tờ khaiSố lượng"
	"- Người có yêu cầu đăng ký khai sinh thực hiện việc nộp/xuất trình (theo hình thức trực"
	" tiếp) hoặc tải lên (theo hình thức trực tuyến) các giấy tờ sau:0 bản chính"
	"- Tờ khai đăng ký khai sinh theo mẫu  (nếu người có yêu cầu lựa chọn nộp hồ sơ theo hình"
	" thức trực tiếp hoặc gửi hồ sơ qua hệ thống bưu chính);1 bản chính"
	"- Mẫu hộ tịch điện tử tương tác đăng ký khai sinh (do người yêu cầu cung cấp thông tin"
	" theo hướng dẫn trên Cổng dịch vụ công, nếu người có yêu cầu lựa chọn nộp hồ sơ theo"
	" hình thức trực tuyến)1 bản chính";

static void test_birth_registration(void **state)
{
	char *line = line_of("ma_thu_tuc", "1.001193", "ten_thu_tuc", "Thủ tục đăng ký khai sinh",
			     "linh_vuc", "Hộ tịch", "cap_thuc_hien", "Cấp xã",
			     "co_quan_thuc_hien", "Không có thông tin",
			     "cach_thuc_thuc_hien", "Hình thức nộpThời gianPhí, lệ phíMô tả"
			     "Trực tuyến1Miễn phíDịch vụ bưu chính1Miễn phíTrực tiếp1Miễn phí",
			     "thanh_phan_ho_so", birth_components,
			     "ket_qua_xu_ly", "Giấy khai sinhMã: KQ.G15.000031Từ khóaKhông có thông tin"
			     "Mô tảKhông có thông tinChọn cơ quan thực hiệnTỉnh/ Thành phố",
			     NULL);
	struct mc_procedure p;
	parse_ok(line, &p);
	free(line);
	assert_string_equal(p.code, "1.001193");
	assert_string_equal(p.field, "Hộ tịch");
	assert_null(p.agency); /* "Không có thông tin" */
	assert_string_equal(p.result, "Giấy khai sinh (Mã: KQ.G15.000031)");

	/* free of charge, on every channel */
	assert_int_equal(p.nchannels, 3);
	assert_string_equal(p.channels[2].channel, "Trực tiếp");
	assert_true(p.has_fee_amount);
	assert_int_equal(p.fee_amount, 0);
	assert_string_equal(p.fee_text, "Miễn phí");
	/* "1" lost its unit in the crawl: one working day, flagged */
	assert_string_equal(p.time_unit, MC_TIME_DAY);
	assert_true(p.time_value == 1);
	assert_true(p.needs_review);
	assert_non_null(strstr(p.notes.buf, "không ghi đơn vị"));

	assert_int_equal(p.ncomponents, 11);
	const struct mc_component *c = find_component(&p, "Giấy chứng sinh");
	assert_int_equal(c->originals, 1);
	assert_int_equal(c->copies, 0);
	assert_true(c->mandatory);
	assert_int_equal(c->kind, MC_COMPONENT_SUBMIT);
	assert_string_equal(c->grp, "Giấy tờ phải nộp");
	assert_false(c->needs_review);

	assert_false(find_component(&p, "Trường hợp trẻ em bị bỏ rơi")->mandatory);
	assert_false(find_component(&p, "Trường hợp khai sinh cho trẻ em sinh ra do mang thai hộ")->mandatory);
	assert_false(find_component(&p, "Văn bản ủy quyền")->mandatory);

	c = find_component(&p, "Hộ chiếu/Thẻ căn cước");
	assert_int_equal(c->kind, MC_COMPONENT_PRESENT);
	assert_true(c->mandatory);
	assert_int_equal(c->originals, 1);
	c = find_component(&p, "Giấy tờ có giá trị chứng minh thông tin về cư trú");
	assert_int_equal(c->kind, MC_COMPONENT_PRESENT);
	assert_false(c->mandatory); /* "trong trường hợp ..." */

	/* the form is required at the counter: its condition is the in-person channel */
	c = find_component(&p, "Tờ khai đăng ký khai sinh");
	assert_true(c->mandatory);
	assert_int_equal(c->originals, 1);
	assert_false(find_component(&p, "Mẫu hộ tịch điện tử")->mandatory);
	/* notes ("0 bản chính") are kept, never mandatory */
	c = find_component(&p, "Đối với việc xác định họ");
	assert_string_equal(c->grp, "Lưu ý");
	assert_false(c->mandatory);
	assert_null(find_component(&p, "Tờ khai đăng ký khai sinh")->grp);
	mc_procedure_release(&p);
}

static void channels(const char *text, struct mc_procedure *p)
{
	mc_procedure_init(p);
	mc_parse_channels(p, text, NULL);
}

static void test_channel_time_and_fee(void **state)
{
	struct mc_procedure p;
	/* 2.002516: a description starting with "Trực tiếp" is not a channel */
	channels("Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyếnKhông có thông tin8,000 VNĐ"
		 "(8.000 đồng/Văn bản xác nhận.)Trực tiếp thực hiện hoặc ủy quyền cho người khác"
		 " thực hiện nộp hồ sơ Trực tiếp5 Ngày làm việc8,000 VNĐ", &p);
	assert_int_equal(p.nchannels, 2);
	assert_null(p.channels[0].time_unit);
	assert_string_equal(p.channels[0].time_text, "Không có thông tin");
	assert_int_equal(p.channels[0].fee_amount, 8000);
	assert_string_equal(p.channels[0].description,
			    "Trực tiếp thực hiện hoặc ủy quyền cho người khác thực hiện nộp hồ sơ");
	assert_string_equal(p.time_unit, MC_TIME_DAY); /* the in-person channel */
	assert_true(p.time_value == 5);
	assert_int_equal(p.fee_amount, 8000);
	assert_false(p.needs_review);
	mc_procedure_release(&p);

	channels("Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến1 GiờMiễn phí", &p);
	assert_string_equal(p.time_unit, MC_TIME_HOUR);
	assert_true(p.has_fee_amount);
	assert_int_equal(p.fee_amount, 0);
	mc_procedure_release(&p);

	/* 1.003133: the portal's amount is in thousands, the note has it in full */
	channels("Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp1 Ngày làm việc40 Việt Nam Đồng"
		 "(4.000 đ/giấy thông hành (áp dụng đến hết ngày 31/12/2026).)+ Trực tiếp: nộp hồ sơ"
		 " trực tiếp tại Công an xã", &p);
	assert_int_equal(p.nchannels, 1);
	assert_int_equal(p.fee_amount, 4000);
	assert_string_equal(p.channels[0].description, "+ Trực tiếp: nộp hồ sơ trực tiếp tại Công an xã");
	mc_procedure_release(&p);

	/* 1.000014: time "1" glued to "20 VNĐ"; the note confirms 20.000 */
	channels("Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến120 VNĐ(20.000 vnđ /tờ khai)", &p);
	assert_true(p.time_value == 1);
	assert_int_equal(p.fee_amount, 20000);
	assert_true(p.needs_review); /* the unit of "1" is still unknown */
	assert_null(strstr(p.notes.buf, "không tách chắc chắn"));
	mc_procedure_release(&p);

	/* a fee the province sets: no amount, flagged */
	channels("Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp5 Ngày làm việcMiễn phí(Mức lệ phí"
		 " cụ thể do Hội đồng nhân dân tỉnh, thành phố trực thuộc Trung ương quyết định)", &p);
	assert_false(p.has_fee_amount);
	assert_true(p.needs_review);
	assert_true(mc_text_valid(p.notes.buf)); /* the quoted note is clipped on a character */
	assert_non_null(strstr(p.notes.buf, "…"));
	mc_procedure_release(&p);

	/* 2.000815: a fee in USD is kept as text, flagged */
	channels("Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếpKhông có thông tin10 USD(/bản)", &p);
	assert_false(p.has_fee_amount);
	assert_non_null(p.fee_text);
	assert_true(p.needs_review);
	mc_procedure_release(&p);

	/* a bare number confirmed by the description is not flagged */
	channels("Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp7Miễn phíTrong thời hạn 07 ngày"
		 " làm việc kể từ ngày nhận được đầy đủ hồ sơ hợp lệ", &p);
	assert_true(p.time_value == 7);
	assert_false(p.needs_review);
	mc_procedure_release(&p);
}

static void components(const char *text, struct mc_procedure *p)
{
	mc_procedure_init(p);
	mc_parse_components(p, text);
}

static void test_component_counts_and_forms(void **state)
{
	struct mc_procedure p;
	/* 1.012817: "Mẫu số 18" glued to "1 bản chính,1 bản sao" */
	components("--Tên giấy tờMẫu đơn, tờ khaiSố lượngBản gốc Giấy chứng nhận đã cấp.1 bản chính,"
		   "1 bản saoĐơn đăng ký biến động đất đai, tài sản gắn liền với đất theo Mẫu số 181 bản"
		   " chính,1 bản sao", &p);
	assert_int_equal(p.ncomponents, 2);
	assert_string_equal(p.components[0].name, "Bản gốc Giấy chứng nhận đã cấp.");
	assert_int_equal(p.components[0].originals, 1);
	assert_int_equal(p.components[0].copies, 1);
	assert_string_equal(p.components[1].name,
			    "Đơn đăng ký biến động đất đai, tài sản gắn liền với đất theo Mẫu số 18");
	assert_int_equal(p.components[1].copies, 1);
	assert_true(p.components[1].mandatory);
	assert_false(p.needs_review);
	mc_procedure_release(&p);

	/* 1.014065: a form file; counts written inside a paper's text are not
	 * the table's ("(01 bản chính)", "nộp 02 bản chính tờ khai") */
	components("--Tên giấy tờMẫu đơn, tờ khaiSố lượngPhiếu thu nhận thông tin căn cước (Mẫu CC01"
		   " ban hành kèm theo Thông tư số 17/2024/TT-BCA của Bộ Công an)Mẫu CC01 Phiếu thu nhận"
		   " thông tin căn cước.doc1 bản chínhVăn bản đề nghị xin tái xuất (01 bản chính)0 bản"
		   " chính,1 bản saoTờ khai: người khai hải quan khai và nộp 02 bản chính tờ khai hàng"
		   " hóa nhập khẩu1 bản chính", &p);
	assert_int_equal(p.ncomponents, 3);
	assert_string_equal(p.components[0].form, "Mẫu CC01 Phiếu thu nhận thông tin căn cước.doc");
	assert_string_equal(p.components[0].name, "Phiếu thu nhận thông tin căn cước (Mẫu CC01 ban hành"
			    " kèm theo Thông tư số 17/2024/TT-BCA của Bộ Công an)");
	assert_string_equal(p.components[1].name, "Văn bản đề nghị xin tái xuất (01 bản chính)");
	assert_int_equal(p.components[1].originals, 0);
	assert_int_equal(p.components[1].copies, 1);
	assert_int_equal(p.components[2].originals, 1);
	assert_non_null(strstr(p.components[2].name, "nộp 02 bản chính tờ khai"));
	mc_procedure_release(&p);

	/* 1.001521: no table at all; the text is kept in one flagged component */
	components("); nộp hồ sơ cho cơ quan BHXH nơi đang chi trả trợ cấp.\nBước 2. Cơ quan BHXH"
		   " tiếp nhận hồ sơ và giải quyết theo quy định.", &p);
	assert_int_equal(p.ncomponents, 1);
	assert_true(p.components[0].needs_review);
	assert_false(p.components[0].mandatory);
	assert_non_null(strstr(p.components[0].raw, "Bước 2"));
	assert_true(p.needs_review);
	mc_procedure_release(&p);

	/* a last row without any count: kept, flagged */
	components("* Giấy tờ phải xuất trình:Tên giấy tờMẫu đơn, tờ khaiSố lượng- Giấy tờ A.1 bản"
		   " chính- Hộ chiếu còn giá trị sử dụng", &p);
	assert_int_equal(p.ncomponents, 2);
	assert_string_equal(p.components[1].name, "Hộ chiếu còn giá trị sử dụng");
	assert_true(p.components[1].needs_review);
	assert_int_equal(p.components[1].kind, MC_COMPONENT_PRESENT);
	assert_true(p.needs_review);
	mc_procedure_release(&p);
}

static void test_mandatory_rules(void **state)
{
	assert_true(mc_component_mandatory(NULL, "Giấy chứng sinh; trường hợp không có thì nộp văn bản"));
	assert_false(mc_component_mandatory(NULL, "Trường hợp ủy quyền: văn bản ủy quyền"));
	assert_false(mc_component_mandatory(NULL, "Nếu là người nước ngoài: hộ chiếu"));
	assert_false(mc_component_mandatory(NULL, "Giấy tờ chứng minh nơi cư trú (nếu có)"));
	assert_false(mc_component_mandatory(NULL, "b) Đối với hộ gia đình: sổ hộ khẩu"));
	assert_false(mc_component_mandatory("Trường hợp ủy quyền thực hiện thủ tục", "Văn bản ủy quyền"));
	assert_false(mc_component_mandatory("(1.3) Đối với công trình tôn giáo", "Đơn đề nghị"));
	assert_true(mc_component_mandatory("Giấy tờ phải nộp", "Tờ khai (nếu nộp hồ sơ trực tiếp)"));
	assert_int_equal(mc_component_kind_of("Giấy tờ phải xuất trình", "Hộ chiếu"), MC_COMPONENT_PRESENT);
	assert_int_equal(mc_component_kind_of(NULL, "Xuất trình thẻ căn cước"), MC_COMPONENT_PRESENT);
	assert_int_equal(mc_component_kind_of("Giấy tờ phải nộp", "Tờ khai"), MC_COMPONENT_SUBMIT);
}

static void test_legal_basis(void **state)
{
	struct mc_procedure p;
	mc_procedure_init(&p);
	mc_parse_legal(&p, "Tên văn bản pháp lýMã văn bảnThông tư Hướng dẫn về phí và lệ phí thuộc"
			   " thẩm quyền quyết định của Hội đồng nhân dân tỉnh, thành phố trực thuộc Trung"
			   " ương85/2019/TT-BTCNghị định số 123/2015/NĐ-CP ngày 15/11/2015 của  Chính phủ"
			   " quy định chi tiết Luật Hộ tịch123/2015/NĐ-CPNghị quyết số 66.7/2025/NQ-CP"
			   "66.7/2025/NQ-CPLuật 60/2014/QH1360/2014/QH13"
			   "Quyết định BAN HÀNH QUY TRÌNH GIẢI QUYẾT HƯỞNG CÁC CHẾ ĐỘ BẢO HIỂM XÃ HỘI2222/QĐ-BHXH"
			   "Bộ Luật lao động45/2019/QH14");
	assert_int_equal(p.nlegal, 6);
	assert_string_equal(p.legal[0].number, "85/2019/TT-BTC");
	assert_string_equal(p.legal[0].name, "Thông tư Hướng dẫn về phí và lệ phí thuộc thẩm quyền"
			    " quyết định của Hội đồng nhân dân tỉnh, thành phố trực thuộc Trung ương");
	assert_string_equal(p.legal[1].number, "123/2015/NĐ-CP");
	assert_string_equal(p.legal[1].name, "Nghị định số 123/2015/NĐ-CP ngày 15/11/2015 của Chính"
			    " phủ quy định chi tiết Luật Hộ tịch");
	assert_string_equal(p.legal[2].number, "66.7/2025/NQ-CP");
	assert_string_equal(p.legal[3].number, "60/2014/QH13");
	assert_string_equal(p.legal[3].name, "Luật 60/2014/QH13");
	assert_string_equal(p.legal[4].number, "2222/QĐ-BHXH");
	assert_string_equal(p.legal[5].name, "Bộ Luật lao động");
	assert_non_null(strstr(p.legal_text, "85/2019/TT-BTC\tThông tư Hướng dẫn"));
	assert_false(p.needs_review);
	mc_procedure_release(&p);
}

static void test_bad_lines(void **state)
{
	struct mc_procedure p;
	struct strbuf err = STRBUF_INIT;
	mc_procedure_init(&p);
	assert_int_equal(mc_procedure_parse("{\"ma_thu_tuc\": \"1.0\"", &p, &err), -1);
	assert_non_null(strstr(err.buf, "JSON"));
	strbuf_reset(&err);
	assert_int_equal(mc_procedure_parse("[1, 2]", &p, &err), -1);
	strbuf_reset(&err);
	assert_int_equal(mc_procedure_parse("{\"ma_thu_tuc\": \"1.001193\"}", &p, &err), -1);
	assert_non_null(strstr(err.buf, "tên thủ tục"));
	strbuf_release(&err);
	mc_procedure_release(&p);
}

TESTS_MAIN(test_birth_registration, test_channel_time_and_fee, test_component_counts_and_forms,
	     test_mandatory_rules, test_legal_basis, test_bad_lines)
