/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The portal's exchange format (core/portal.h) and the JSON Schema subset
 * that checks it (core/jschema.h): times, the two messages made from a
 * stored dossier, and every schema of docs/portal/ read by the validator
 * (only keywords it understands; good messages pass, each kind of bad one
 * is refused with the field named). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tests/unit/fixtures.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/jschema.h"
#include "core/lifecycle.h"
#include "core/portal.h"

#define SCHEMAS MOTCUA_DATADIR "/../docs/portal/"

static json_t *load(const char *name)
{
	char path[512];
	snprintf(path, sizeof path, SCHEMAS "%s", name);
	json_error_t e;
	json_t *j = json_load_file(path, 0, &e);
	if (!j)
		fail_msg("%s: %s", path, e.text);
	return j;
}

static json_t *parse(const char *text)
{
	json_error_t e;
	json_t *j = json_loads(text, 0, &e);
	if (!j)
		fail_msg("%s: %s", text, e.text);
	return j;
}

static void test_times(void **state)
{
	char t[PORTAL_TIME_LEN + 1], back[17];
	assert_int_equal(portal_time("2025-10-27T09:32", t), 0);
	assert_string_equal(t, "20251027093200");
	assert_int_equal(portal_time("2025-10-27T09:32:07", t), 0);
	assert_string_equal(t, "20251027093207");
	assert_int_equal(portal_time("2025-10-27 23:59", t), 0);
	assert_string_equal(t, "20251027235900");
	assert_int_equal(portal_time("", t), 0);
	assert_string_equal(t, "");
	assert_int_equal(portal_time(NULL, t), 0);
	assert_int_equal(portal_time("2025-02-30T09:32", t), -1);
	assert_string_equal(t, "");
	assert_int_equal(portal_time("2025-10-27T09:32:60", t), -1);
	assert_int_equal(portal_time("27/10/2025", t), -1);
	assert_int_equal(portal_time_parse("20251027093207", back), 0);
	assert_string_equal(back, "2025-10-27T09:32");
	assert_int_equal(portal_time_parse("20240229000000", back), 0);
	assert_string_equal(back, "2024-02-29T00:00");
	assert_int_equal(portal_time_parse("20250229000000", back), -1);
	assert_int_equal(portal_time_parse("2025102709320", back), -1);
	assert_int_equal(portal_time_parse("2025102709326a", back), -1);
	assert_int_equal(portal_time_parse("20251027246000", back), -1);
}

/* Every schema of docs/portal uses only what the validator checks. */
static void test_schemas_supported(void **state)
{
	static const char *const names[] = { "dongbohosomc.schema.json", "capnhattiendohosomc.schema.json",
					     "layhosotructuyen.schema.json",
					     "xacnhanhosotructuyen.schema.json" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		json_t *s = load(names[i]);
		struct strbuf err = STRBUF_INIT;
		if (mc_jschema_check(s, &err))
			fail_msg("%s: %s", names[i], err.buf);
		strbuf_release(&err);
		json_decref(s);
	}
	/* and the check refuses what it does not know */
	const char *bad[] = { "{\"type\":\"string\",\"format\":\"email\",\"oneOf\":[]}",
			      "{\"type\":\"strin\"}", "{\"pattern\":\"([\"}",
			      "{\"$ref\":\"#/$defs/X\"}", "{\"additionalProperties\":{}}",
			      "{\"properties\":{\"a\":{\"maxLength\":-1}}}" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		json_t *s = parse(bad[i]);
		struct strbuf err = STRBUF_INIT;
		assert_int_equal(mc_jschema_check(s, &err), -1);
		assert_true(err.len > 0);
		strbuf_release(&err);
		json_decref(s);
	}
}

static int check(const json_t *schema, const char *text, struct strbuf *err)
{
	json_t *v = parse(text);
	strbuf_reset(err);
	int rc = mc_jschema_validate(schema, NULL, v, err);
	json_decref(v);
	return rc;
}

static void test_validator(void **state)
{
	json_t *s = parse("{\"type\":\"object\",\"required\":[\"a\",\"n\"],\"additionalProperties\":false,"
			  "\"properties\":{\"a\":{\"type\":\"string\",\"maxLength\":3,\"pattern\":\"^[a-zđ]+$\"},"
			  "\"n\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":9},"
			  "\"e\":{\"enum\":[\"1\",\"2\"]},\"l\":{\"type\":\"array\",\"maxItems\":2,"
			  "\"items\":{\"$ref\":\"#/$defs/x\"}},\"k\":{\"type\":[\"string\",\"null\"]}},"
			  "\"$defs\":{\"x\":{\"const\":true}},"
			  "\"if\":{\"required\":[\"e\"],\"properties\":{\"e\":{\"const\":\"2\"}}},\"then\":{\"required\":[\"k\"]}}");
	struct strbuf err = STRBUF_INIT;
	assert_int_equal(mc_jschema_check(s, &err), 0);
	if (check(s, "{\"a\":\"đa\",\"n\":3,\"e\":\"1\",\"l\":[true,true],\"k\":null}", &err))
		fail_msg("%s", err.buf);
	/* maxLength counts characters: "đđđ" is 3 of them, 6 bytes */
	assert_int_equal(check(s, "{\"a\":\"đđđ\",\"n\":3}", &err), 0);
	assert_int_equal(check(s, "{\"a\":\"abcd\",\"n\":3}", &err), -1);
	assert_non_null(strstr(err.buf, "$.a: dài quá 3 ký tự"));
	assert_int_equal(check(s, "{\"a\":\"A\",\"n\":3}", &err), -1);
	assert_non_null(strstr(err.buf, "không đúng mẫu"));
	assert_int_equal(check(s, "{\"n\":3}", &err), -1);
	assert_non_null(strstr(err.buf, "thiếu trường bắt buộc «a»"));
	assert_int_equal(check(s, "{\"a\":\"a\",\"n\":0}", &err), -1);
	assert_non_null(strstr(err.buf, "$.n: nhỏ hơn 1"));
	assert_int_equal(check(s, "{\"a\":\"a\",\"n\":1.5}", &err), -1);
	assert_non_null(strstr(err.buf, "$.n: phải là số nguyên"));
	assert_int_equal(check(s, "{\"a\":\"a\",\"n\":1,\"z\":1}", &err), -1);
	assert_non_null(strstr(err.buf, "trường «z» không có trong lược đồ"));
	assert_int_equal(check(s, "{\"a\":\"a\",\"n\":1,\"e\":\"3\"}", &err), -1);
	assert_non_null(strstr(err.buf, "$.e: giá trị \"3\" không thuộc [\"1\",\"2\"]"));
	assert_int_equal(check(s, "{\"a\":\"a\",\"n\":1,\"l\":[true,false]}", &err), -1);
	assert_non_null(strstr(err.buf, "$.l[1]: phải bằng true"));
	assert_int_equal(check(s, "{\"a\":\"a\",\"n\":1,\"l\":[true,true,true]}", &err), -1);
	assert_int_equal(check(s, "{\"a\":\"a\",\"n\":1,\"k\":1}", &err), -1);
	/* if / then */
	assert_int_equal(check(s, "{\"a\":\"a\",\"n\":1,\"e\":\"2\"}", &err), -1);
	assert_non_null(strstr(err.buf, "«k»"));
	assert_int_equal(check(s, "{\"a\":\"a\",\"n\":1,\"e\":\"2\",\"k\":\"x\"}", &err), 0);
	/* a NUL byte cannot hide the end of a string from the pattern */
	json_t *v = json_pack("{s:s#, s:i}", "a", "ab\0!", (size_t)4, "n", 1);
	strbuf_reset(&err);
	assert_int_equal(mc_jschema_validate(s, NULL, v, &err), -1);
	json_decref(v);
	/* many errors: the first five, and how many more */
	assert_int_equal(check(s, "{\"a\":1,\"n\":\"x\",\"e\":1,\"l\":[1,2,3],\"k\":2,\"x\":1,\"y\":1}", &err),
			 -1);
	assert_non_null(strstr(err.buf, "và 5 lỗi khác"));
	strbuf_release(&err);
	json_decref(s);
}

/* A dossier as the server stores it after a reception, a transfer and a
 * result. */
static const char dossier[] =
	"{\"id\":\"d-1\",\"code\":\"H01.00004-251027-0001\",\"procedure_code\":\"1.001193\","
	"\"procedure_name\":\"Thủ tục đăng ký khai sinh\",\"unit_code\":\"00004\",\"clerk\":\"canbo\","
	"\"channel\":1,\"status\":9,\"received_at\":\"2025-10-27T09:32\","
	"\"appointment\":\"2025-11-03T09:32\",\"applicant\":{\"kind\":1,\"full_name\":\"Trần Thị Bình\","
	"\"id_number\":\"001090012345\",\"phone\":\"0912345678\",\"email\":null,"
	"\"address\":\"12 Phố Điện Biên Phủ\"},\"note\":null,"
	"\"components\":[{\"seq\":1,\"name\":\"Tờ khai\",\"originals\":1,\"copies\":0},"
	"{\"seq\":2,\"name\":\"Giấy chứng sinh\",\"originals\":0,\"copies\":0}],"
	"\"event\":{\"id\":\"e1\",\"kind\":\"receive\",\"status_from\":1,\"status_to\":2,\"actor\":\"canbo\","
	"\"unit_code\":\"00004\",\"device_time\":\"2025-10-27T09:32\"},"
	"\"events\":[{\"id\":\"e2\",\"kind\":\"transfer\",\"status_from\":2,\"status_to\":4,"
	"\"actor\":\"canbo\",\"device_time\":\"2025-10-27T10:00\",\"payload\":{\"to_unit\":\"00008\","
	"\"to_unit_name\":\"Phường Ngọc Hà\",\"reason\":null}},"
	"{\"id\":\"e3\",\"kind\":\"result-ready\",\"status_from\":4,\"status_to\":9,\"actor\":\"canbo\","
	"\"device_time\":\"2025-10-30T15:05\",\"payload\":{\"result_code\":\"12/2025\"}}]}";

static void test_dossier_item(void **state)
{
	json_t *d = parse(dossier), *schema = load("dongbohosomc.schema.json");
	struct portal_ctx ctx = { .unit_code = "000.00.04.H01", .unit_name = "Phường Ba Đình",
				  .field_code = "G01", .field_name = "Hộ tịch", .fee = 8000,
				  .fee_text = "Lệ phí đăng ký khai sinh" };
	json_t *m = portal_dossier_item(d, 3, &ctx);
	assert_string_equal(json_string_value(json_object_get(m, "MaHoSo")), "H01.00004-251027-0001");
	assert_null(json_object_get(m, "MaHoSoDVCQG"));
	assert_string_equal(json_string_value(json_object_get(m, "SoThuTu")), "3");
	assert_string_equal(json_string_value(json_object_get(m, "MaTTHC")), "1.001193");
	assert_string_equal(json_string_value(json_object_get(m, "ChuHoSo")), "Trần Thị Bình");
	assert_string_equal(json_string_value(json_object_get(m, "LoaiDoiTuong")), "1");
	assert_string_equal(json_string_value(json_object_get(m, "MaDoiTuong")), "001090012345");
	assert_string_equal(json_string_value(json_object_get(m, "NgayTiepNhan")), "20251027093200");
	assert_string_equal(json_string_value(json_object_get(m, "NgayHenTra")), "20251103093200");
	assert_string_equal(json_string_value(json_object_get(m, "TrangThaiHoSo")), "9");
	assert_string_equal(json_string_value(json_object_get(m, "NgayTra")), "");
	assert_string_equal(json_string_value(json_object_get(m, "NgayKetThucXuLy")), "20251030150500");
	assert_string_equal(json_string_value(json_object_get(m, "HinhThuc")), "0");
	assert_string_equal(json_string_value(json_object_get(m, "KenhThucHien")), "1");
	assert_string_equal(json_string_value(json_object_get(m, "DonViXuLy")), "000.00.04.H01");
	/* only the paper handed in */
	assert_int_equal(json_array_size(json_object_get(m, "TaiLieuNop")), 1);
	json_t *fee = json_array_get(json_object_get(m, "DanhSachLePhi"), 0);
	assert_string_equal(json_string_value(json_object_get(fee, "Gia")), "8000");
	json_t *res = json_array_get(json_object_get(m, "DanhSachGiayToKetQua"), 0);
	assert_string_equal(json_string_value(json_object_get(res, "GiayToId")), "12/2025");

	json_t *req = json_pack("{s:s, s:s, s:s, s:s, s:[O]}", "session", "abc", "madonvi",
				"000.00.00.H01", "service", "DongBoHoSoMC", "isUpdating", "True", "data", m);
	struct strbuf err = STRBUF_INIT;
	if (mc_jschema_validate(schema, NULL, req, &err))
		fail_msg("%s", err.buf);
	/* a unit without its portal code does not pass */
	ctx.unit_code = NULL;
	json_t *m2 = portal_dossier_item(d, 3, &ctx);
	json_array_set_new(json_object_get(req, "data"), 0, m2);
	strbuf_reset(&err);
	assert_int_equal(mc_jschema_validate(schema, NULL, req, &err), -1);
	assert_non_null(strstr(err.buf, "$.data[0].DonViXuLy"));
	strbuf_release(&err);
	json_decref(req);
	json_decref(m);
	json_decref(schema);
	json_decref(d);
}

static void test_progress_item(void **state)
{
	json_t *d = parse(dossier), *schema = load("capnhattiendohosomc.schema.json");
	json_t *e = json_array_get(json_object_get(d, "events"), 0);
	struct portal_ctx ctx = { .unit_code = "000.00.04.H01", .unit_name = "Phường Ba Đình",
				  .actor_name = "Nguyễn Thị Lan", .fee = -1 };
	json_t *m = portal_progress_item(d, e, 2, &ctx);
	assert_string_equal(json_string_value(json_object_get(m, "NguoiXuLy")), "Nguyễn Thị Lan");
	assert_string_equal(json_string_value(json_object_get(m, "ThoiDiemXuLy")), "20251027100000");
	assert_string_equal(json_string_value(json_object_get(m, "NoiDungXuLy")),
			    "Chuyển xử lý đến Phường Ngọc Hà");
	assert_string_equal(json_string_value(json_object_get(m, "TrangThai")), "4");
	json_t *req = json_pack("{s:s, s:s, s:s, s:[O]}", "session", "abc", "madonvi", "000.00.00.H01",
				"service", "CapNhatTienDoHoSoMC", "data", m);
	struct strbuf err = STRBUF_INIT;
	if (mc_jschema_validate(schema, NULL, req, &err))
		fail_msg("%s", err.buf);
	strbuf_release(&err);
	json_decref(req);
	json_decref(m);

	/* the forms' content: 02 (supplement), 03 (refusal), the acceptance */
	json_t *ev = parse("{\"kind\":\"online-supplement\",\"payload\":{\"papers\":[\"Bản sao giấy"
			   " chứng sinh\",\"Tờ khai có chữ ký\"],\"reason\":\"Thiếu giấy tờ\"}}");
	char *t = portal_progress_text(ev);
	assert_string_equal(t, "Yêu cầu bổ sung hồ sơ trực tuyến (mẫu 02): cần bổ sung Bản sao giấy"
			       " chứng sinh; Tờ khai có chữ ký. Lý do: Thiếu giấy tờ");
	free(t);
	json_decref(ev);
	ev = parse("{\"kind\":\"refuse\",\"payload\":{\"reasons\":[\"Không thuộc thẩm quyền\"]}}");
	t = portal_progress_text(ev);
	assert_string_equal(t, "Từ chối tiếp nhận (mẫu 03): Không thuộc thẩm quyền");
	free(t);
	json_decref(ev);
	ev = parse("{\"kind\":\"accept\",\"payload\":{\"code\":\"H01.00004-251028-0007\","
		   "\"appointment\":\"2025-11-04T08:15\"}}");
	t = portal_progress_text(ev);
	assert_string_equal(t, "Tiếp nhận hồ sơ trực tuyến: mã hồ sơ H01.00004-251028-0007,"
			       " hẹn trả 08:15 04/11/2025");
	free(t);
	json_decref(ev);
	assert_true(portal_event_published("accept"));
	assert_true(portal_event_published("refuse"));
	assert_false(portal_event_published("rate"));
	assert_false(portal_event_published("reassign"));
	assert_false(portal_event_published("attach"));
	assert_false(portal_event_published("online-submit"));
	json_decref(schema);
	json_decref(d);
}

/* An online dossier as the portal offers it, and what the server refuses. */
static void test_online_dossier(void **state)
{
	json_t *root = load("layhosotructuyen.schema.json");
	const json_t *item = json_object_get(json_object_get(root, "$defs"), "HoSoTrucTuyen");
	const char *good = "{\"MaHoSo\":\"000.00.00.G22-251027-0001\",\"MaTTHC\":\"1.001193\","
			   "\"TenTTHC\":\"Đăng ký khai sinh\",\"ChuHoSo\":\"Lê Văn An\",\"LoaiDoiTuong\":\"1\","
			   "\"MaDoiTuong\":\"001090012345\",\"NgayNopHoSo\":\"20251027080000\","
			   "\"DonViXuLy\":\"000.00.04.H01\",\"TaiLieuNop\":[{\"TepDinhKemId\":\"f1\","
			   "\"TenTepDinhKem\":\"Tờ khai\",\"DuongDanTaiTepTin\":\"http://127.0.0.1:1/f/f1\"}]}";
	json_t *v = parse(good);
	struct strbuf err = STRBUF_INIT;
	if (mc_jschema_validate(item, root, v, &err))
		fail_msg("%s", err.buf);
	/* a business needs its tax code */
	json_object_set_new(v, "LoaiDoiTuong", json_string("2"));
	json_object_set_new(v, "MaDoiTuong", json_string("0101234567"));
	assert_int_equal(mc_jschema_validate(item, root, v, &err), -1);
	assert_non_null(strstr(err.buf, "MaSoThue"));
	json_object_set_new(v, "MaSoThue", json_string("0101234567"));
	strbuf_reset(&err);
	assert_int_equal(mc_jschema_validate(item, root, v, &err), 0);
	json_object_set_new(v, "NgayNopHoSo", json_string("2025-10-27"));
	assert_int_equal(mc_jschema_validate(item, root, v, &err), -1);
	assert_non_null(strstr(err.buf, "$.NgayNopHoSo"));
	strbuf_release(&err);
	json_decref(v);
	json_decref(root);
}

TESTS_MAIN(test_times, test_schemas_supported, test_validator, test_dossier_item,
	     test_progress_item, test_online_dossier)
