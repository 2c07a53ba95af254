/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The dossier document codec (core/dossier_doc.h): the exact text a
 * reception writes, round trips both ways (a reception's document and a
 * dossier as the feed brings it), the defaults of members not said, every
 * kind of rejection with the member named, and the rules of a new dossier
 * the server's push applies. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tests/unit/fixtures.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dossier_doc.h"

/* A dossier as client/services/reception.c fills it. */
static const struct dossier_doc_component reception_components[] = {
	{ .seq = 1, .name = "Tờ khai đăng ký khai sinh", .kind = "submit", .mandatory = true,
	  .originals_required = 1, .originals = 1 },
	{ .seq = 2, .name = "Giấy chứng sinh", .kind = "submit", .mandatory = true,
	  .originals_required = 1, .override_reason = "Bổ sung sau 02 ngày" },
	{ .seq = 11, .name = "CCCD", .kind = "present", .mandatory = false, .copies_required = 1,
	  .copies = 1 },
};

static void reception_doc(struct dossier_doc *d, struct dossier_doc_event *ev, json_t *payload)
{
	*ev = (struct dossier_doc_event){
		.id = "0192f3c5-0000-7000-8000-000000000002",
		.dossier_id = "0192f3c5-0000-7000-8000-000000000001",
		.kind = "receive", .status_from = 1, .status_to = 2, .actor = "canbo",
		.unit_code = "00004", .device_time = "2025-10-27T09:32", .payload = payload,
	};
	*d = (struct dossier_doc){
		.id = "0192f3c5-0000-7000-8000-000000000001",
		.code = "H01.00004-251027-0001",
		.procedure_code = "1.001193",
		.procedure_name = "Thủ tục đăng ký khai sinh",
		.unit_code = "00004",
		.unit_ident = "H01.00004",
		.clerk = "canbo",
		.channel = 1,
		.status = 2,
		.received_at = "2025-10-27T09:32",
		.appointment = "2025-10-28T09:32",
		.applicant = { .kind = 1, .full_name = "Nguyễn Văn An", .id_number = "001090012345",
			       .birth_date = "1990-05-01", .sex = "M", .phone = "0912345678",
			       .commune = "00004" },
		.rev = 1,
		.updated_at = "2025-10-27T09:32",
		.has_components = true,
		.components = reception_components,
		.ncomponents = 3,
		.event = ev,
	};
}

static char *dump(json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT);
	assert_non_null(s);
	return s;
}

/* The text of the outbox row: members in this order, nulls where a
 * reception has always written them, nothing for what it never writes. */
static void test_reception_text(void **state)
{
	(void)state;
	json_t *payload = json_pack("{s:s, s:[]}", "code", "H01.00004-251027-0001", "overrides");
	struct dossier_doc d;
	struct dossier_doc_event ev;
	reception_doc(&d, &ev, payload);
	json_t *j = dossier_doc_encode(&d);
	char *text = dump(j);
	assert_string_equal(text,
		"{\"id\":\"0192f3c5-0000-7000-8000-000000000001\",\"code\":\"H01.00004-251027-0001\","
		"\"procedure_code\":\"1.001193\",\"procedure_name\":\"Thủ tục đăng ký khai sinh\","
		"\"unit_code\":\"00004\",\"unit_ident\":\"H01.00004\",\"clerk\":\"canbo\","
		"\"channel\":1,\"status\":2,\"received_at\":\"2025-10-27T09:32\","
		"\"appointment\":\"2025-10-28T09:32\",\"applicant\":{\"kind\":1,"
		"\"full_name\":\"Nguyễn Văn An\",\"id_number\":\"001090012345\","
		"\"birth_date\":\"1990-05-01\",\"sex\":\"M\",\"phone\":\"0912345678\","
		"\"email\":null,\"address\":null,\"commune\":\"00004\"},\"note\":null,\"rev\":1,"
		"\"updated_at\":\"2025-10-27T09:32\",\"components\":["
		"{\"seq\":1,\"name\":\"Tờ khai đăng ký khai sinh\",\"kind\":\"submit\",\"mandatory\":true,"
		"\"originals_required\":1,\"copies_required\":0,\"originals\":1,\"copies\":0,"
		"\"override_reason\":null},"
		"{\"seq\":2,\"name\":\"Giấy chứng sinh\",\"kind\":\"submit\",\"mandatory\":true,"
		"\"originals_required\":1,\"copies_required\":0,\"originals\":0,\"copies\":0,"
		"\"override_reason\":\"Bổ sung sau 02 ngày\"},"
		"{\"seq\":11,\"name\":\"CCCD\",\"kind\":\"present\",\"mandatory\":false,"
		"\"originals_required\":0,\"copies_required\":1,\"originals\":0,\"copies\":1,"
		"\"override_reason\":null}],"
		"\"event\":{\"id\":\"0192f3c5-0000-7000-8000-000000000002\","
		"\"dossier_id\":\"0192f3c5-0000-7000-8000-000000000001\",\"kind\":\"receive\","
		"\"status_from\":1,\"status_to\":2,\"actor\":\"canbo\",\"unit_code\":\"00004\","
		"\"device_time\":\"2025-10-27T09:32\","
		"\"payload\":{\"code\":\"H01.00004-251027-0001\",\"overrides\":[]}}}");
	/* a flag is written when set */
	d.code_review = true;
	json_t *j2 = dossier_doc_encode(&d);
	assert_true(json_is_true(json_object_get(j2, "code_review")));
	json_decref(j2);
	/* the event alone, as dossier_tx_event gives it: null statuses and payload */
	struct dossier_doc_event bare = { .id = "e1", .dossier_id = "d1", .kind = "attach",
					  .actor = "an", .unit_code = "00004",
					  .device_time = "2025-10-27T10:00" };
	json_t *je = dossier_doc_event_encode(&bare);
	char *etext = dump(je);
	assert_string_equal(etext, "{\"id\":\"e1\",\"dossier_id\":\"d1\",\"kind\":\"attach\","
				   "\"status_from\":null,\"status_to\":null,\"actor\":\"an\","
				   "\"unit_code\":\"00004\",\"device_time\":\"2025-10-27T10:00\","
				   "\"payload\":null}");
	free(etext);
	json_decref(je);

	/* decoded again, it gives the same text */
	struct dossier_doc back;
	struct dossier_doc_error e;
	assert_int_equal(dossier_doc_decode(j, &back, &e), 0);
	json_t *again = dossier_doc_encode(&back);
	char *text2 = dump(again);
	assert_string_equal(text2, text);
	assert_int_equal(dossier_doc_check_new(&back, &e), 0);
	free(text2);
	json_decref(again);
	dossier_doc_release(&back);
	free(text);
	json_decref(j);
	json_decref(payload);
}

/* Struct -> JSON -> struct keeps every field. */
static void test_round_trip_fields(void **state)
{
	(void)state;
	json_t *payload = json_pack("{s:s}", "to_unit", "00008");
	struct dossier_doc d;
	struct dossier_doc_event ev;
	reception_doc(&d, &ev, payload);
	const struct dossier_doc_event later[] = {
		{ .id = "e-2", .dossier_id = d.id, .kind = "transfer", .status_from = 2,
		  .status_to = 4, .actor = "canbo", .unit_code = "00004",
		  .device_time = "2025-10-27T10:00", .server_time = "2025-10-27T10:01:02Z",
		  .payload = payload },
		{ .id = "e-3", .kind = "attach", .actor = "canbo", .device_time = "2025-10-27T11:00" },
	};
	struct dossier_doc_component comps[3];
	memcpy(comps, reception_components, sizeof(comps));
	comps[0].document_id = "doc-1";
	comps[0].reused = true;
	d.components = comps;
	d.handling_unit = "00008";
	d.assigned_clerk = "binh";
	d.applicant_kind = 3;
	d.finished_at = "2025-10-30T15:00";
	d.note = "Ghi chú";
	d.rev = 7;
	d.channel = 2;
	d.code_review = true;
	d.applicant.email = "an@example.vn";
	d.applicant.address = "12 Phố Điện Biên Phủ";
	d.events = later;
	d.nevents = 2;

	json_t *j = dossier_doc_encode(&d);
	struct dossier_doc b;
	struct dossier_doc_error e;
	assert_int_equal(dossier_doc_decode(j, &b, &e), 0);
	json_decref(j); /* the document keeps what it points into */
	assert_string_equal(b.id, d.id);
	assert_string_equal(b.code, d.code);
	assert_string_equal(b.procedure_code, d.procedure_code);
	assert_string_equal(b.procedure_name, d.procedure_name);
	assert_string_equal(b.unit_code, "00004");
	assert_string_equal(b.unit_ident, "H01.00004");
	assert_string_equal(b.handling_unit, "00008");
	assert_string_equal(b.clerk, "canbo");
	assert_string_equal(b.assigned_clerk, "binh");
	assert_int_equal(b.channel, 2);
	assert_int_equal(b.applicant_kind, 3);
	assert_int_equal(b.status, 2);
	assert_string_equal(b.received_at, d.received_at);
	assert_string_equal(b.appointment, d.appointment);
	assert_string_equal(b.finished_at, "2025-10-30T15:00");
	assert_string_equal(b.note, "Ghi chú");
	assert_string_equal(b.updated_at, d.updated_at);
	assert_int_equal(b.rev, 7);
	assert_true(b.code_review);
	assert_int_equal(b.applicant.kind, 1);
	assert_string_equal(b.applicant.full_name, "Nguyễn Văn An");
	assert_string_equal(b.applicant.id_number, "001090012345");
	assert_string_equal(b.applicant.birth_date, "1990-05-01");
	assert_string_equal(b.applicant.sex, "M");
	assert_string_equal(b.applicant.phone, "0912345678");
	assert_string_equal(b.applicant.email, "an@example.vn");
	assert_string_equal(b.applicant.address, "12 Phố Điện Biên Phủ");
	assert_string_equal(b.applicant.commune, "00004");
	assert_true(b.has_components);
	assert_int_equal(b.ncomponents, 3);
	for (size_t i = 0; i < 3; i++) {
		const struct dossier_doc_component *x = &b.components[i], *y = &comps[i];
		assert_int_equal(x->seq, y->seq);
		assert_string_equal(x->name, y->name);
		assert_string_equal(x->kind, y->kind);
		assert_int_equal(x->mandatory, y->mandatory);
		assert_int_equal(x->originals_required, y->originals_required);
		assert_int_equal(x->copies_required, y->copies_required);
		assert_int_equal(x->originals, y->originals);
		assert_int_equal(x->copies, y->copies);
		if (y->override_reason)
			assert_string_equal(x->override_reason, y->override_reason);
		else
			assert_null(x->override_reason);
		assert_int_equal(x->reused, y->reused);
	}
	assert_string_equal(b.components[0].document_id, "doc-1");
	assert_null(b.components[1].document_id);
	assert_non_null(b.event);
	assert_string_equal(b.event->id, ev.id);
	assert_string_equal(b.event->dossier_id, ev.dossier_id);
	assert_string_equal(b.event->kind, "receive");
	assert_int_equal(b.event->status_from, 1);
	assert_int_equal(b.event->status_to, 2);
	assert_string_equal(b.event->actor, "canbo");
	assert_string_equal(b.event->unit_code, "00004");
	assert_string_equal(b.event->device_time, ev.device_time);
	assert_null(b.event->server_time);
	assert_true(json_equal((json_t *)b.event->payload, payload));
	assert_int_equal(b.nevents, 2);
	assert_string_equal(b.events[0].id, "e-2");
	assert_string_equal(b.events[0].server_time, "2025-10-27T10:01:02Z");
	assert_int_equal(b.events[0].status_to, 4);
	assert_string_equal(b.events[1].kind, "attach");
	assert_int_equal(b.events[1].status_from, 0);
	assert_null(b.events[1].payload);
	assert_null(b.events[1].unit_code);
	dossier_doc_release(&b);
	dossier_doc_release(&b); /* twice: harmless */
	json_decref(payload);
}

/* JSON -> struct -> JSON, for a dossier as the server stores it and the
 * feed brings it (members in the codec's order). */
static void test_round_trip_text(void **state)
{
	(void)state;
	const char *text =
		"{\"id\":\"d-1\",\"code\":\"H01.00004-251027-0007\",\"procedure_code\":\"1.001193\","
		"\"procedure_name\":\"Đăng ký khai sinh\",\"unit_code\":\"00004\","
		"\"handling_unit\":\"00008\",\"clerk\":\"cl_b\",\"channel\":1,\"status\":4,"
		"\"received_at\":\"2025-10-27T09:00\",\"appointment\":\"2025-10-28T09:00\","
		"\"applicant\":{\"full_name\":\"Trần Thị Bình\",\"phone\":null,\"email\":null,"
		"\"address\":null},\"note\":null,\"rev\":2,\"components\":[{\"seq\":1,"
		"\"name\":\"Tờ khai\",\"kind\":\"submit\",\"mandatory\":true,\"originals_required\":1,"
		"\"copies_required\":0,\"originals\":1,\"copies\":0,\"override_reason\":null,"
		"\"document_id\":\"doc-9\",\"reused\":true}],\"events\":[{\"id\":\"e-1\","
		"\"dossier_id\":\"d-1\",\"kind\":\"transfer\",\"status_from\":2,\"status_to\":4,"
		"\"actor\":\"cl_b\",\"unit_code\":\"00004\",\"device_time\":\"2025-10-27T10:00\","
		"\"payload\":{\"to_unit\":\"00008\"}}]}";
	json_t *j = json_loads(text, 0, NULL);
	assert_non_null(j);
	struct dossier_doc d;
	struct dossier_doc_error e;
	assert_int_equal(dossier_doc_decode(j, &d, &e), 0);
	assert_null(d.event);
	json_t *back = dossier_doc_encode(&d);
	char *s = dump(back);
	assert_string_equal(s, text);
	free(s);
	json_decref(back);
	dossier_doc_release(&d);
	json_decref(j);
}

/* What a member not said means, and what is ignored. */
static void test_defaults(void **state)
{
	(void)state;
	json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:{s:s, s:n},"
			      " s:n, s:[{s:s}, {s:s, s:i, s:i}], s:s, s:{s:i}}",
			      "code", "H01.00004-251027-0001", "procedure_code", "1.001193",
			      "procedure_name", "Khai sinh", "unit_code", "00004", "clerk", "an",
			      "status", 2, "received_at", "2025-10-27T09:00",
			      "appointment", "2025-10-28T09:00", "applicant", "full_name", "An",
			      "phone", "note", "components", "name", "Tờ khai", "name", "CCCD",
			      "reused", 0, "mandatory", 0, "from_a_newer_peer", "x",
			      "also_new", "n", 1);
	struct dossier_doc d;
	struct dossier_doc_error e;
	assert_int_equal(dossier_doc_decode(j, &d, &e), 0);
	assert_null(d.id);
	assert_int_equal(d.channel, 1);
	assert_int_equal(d.applicant_kind, 0);
	assert_int_equal(d.applicant.kind, 0);
	assert_null(d.applicant.phone);
	assert_null(d.note);
	assert_int_equal(d.rev, 0);
	assert_false(d.code_review);
	assert_int_equal(d.ncomponents, 2);
	assert_int_equal(d.components[0].seq, 1); /* its place in the list */
	assert_int_equal(d.components[1].seq, 2);
	assert_true(d.components[0].mandatory);
	assert_false(d.components[1].mandatory); /* an integer flag */
	assert_false(d.components[1].reused);
	assert_null(d.components[0].kind);
	assert_null(d.event);
	assert_int_equal(d.nevents, 0);
	dossier_doc_release(&d);
	/* no components member: has_components tells it from an empty list */
	json_object_del(j, "components");
	assert_int_equal(dossier_doc_decode(j, &d, &e), 0);
	assert_false(d.has_components);
	json_t *out = dossier_doc_encode(&d);
	assert_null(json_object_get(out, "components"));
	json_decref(out);
	dossier_doc_release(&d);
	json_object_set_new(j, "components", json_array());
	assert_int_equal(dossier_doc_decode(j, &d, &e), 0);
	assert_true(d.has_components);
	assert_int_equal(d.ncomponents, 0);
	dossier_doc_release(&d);
	json_decref(j);
}

static json_t *valid(void)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:{s:s},"
			 " s:[{s:i, s:s}], s:{s:s, s:s}, s:[{s:s, s:s}]}",
			 "id", "d-1", "code", "H01.00004-251027-0001", "procedure_code", "1.001193",
			 "procedure_name", "Khai sinh", "unit_code", "00004", "clerk", "an",
			 "status", 2, "received_at", "2025-10-27T09:00",
			 "appointment", "2025-10-28T09:00", "applicant", "full_name", "An",
			 "components", "seq", 1, "name", "Tờ khai", "event", "id", "e-1", "kind",
			 "receive", "events", "id", "e-2", "kind", "transfer");
}

/* Decodes valid() with member path set to value (NULL: removed); expects
 * a refusal naming field, whose message contains want. */
static void expect_refused(const char *path, json_t *value, const char *field, const char *want)
{
	json_t *j = valid();
	json_t *o = j;
	char *copy = strdup(path), *save = NULL;
	char *key = strtok_r(copy, ".", &save), *next;
	while ((next = strtok_r(NULL, ".", &save))) {
		o = json_is_array(json_object_get(o, key)) ? json_array_get(json_object_get(o, key), 0)
							   : json_object_get(o, key);
		key = next;
	}
	if (value)
		json_object_set_new(o, key, value);
	else
		json_object_del(o, key);
	free(copy);
	struct dossier_doc d;
	struct dossier_doc_error e;
	memset(&e, 0, sizeof(e));
	if (dossier_doc_decode(j, &d, &e) == 0) {
		int rc = dossier_doc_check_new(&d, &e);
		dossier_doc_release(&d);
		if (rc == 0)
			fail_msg("%s: accepted", path);
	} else {
		assert_null(d.json_); /* released on failure */
	}
	if (strcmp(e.field, field))
		fail_msg("%s: field %s, want %s (%s)", path, e.field, field, e.message);
	if (!strstr(e.message, want))
		fail_msg("%s: message «%s» lacks «%s»", path, e.message, want);
	json_decref(j);
}

static void test_refusals(void **state)
{
	(void)state;
	json_t *j = valid();
	struct dossier_doc d;
	struct dossier_doc_error e;
	assert_int_equal(dossier_doc_decode(j, &d, &e), 0);
	assert_int_equal(dossier_doc_check_new(&d, &e), 0);
	dossier_doc_release(&d);
	json_decref(j);
	j = json_pack("[]");
	assert_int_equal(dossier_doc_decode(j, &d, &e), -1);
	assert_non_null(strstr(e.message, "đối tượng"));
	json_decref(j);

	/* decoding: what a dossier has, and each member's type */
	expect_refused("code", NULL, "code", "Thiếu trường \"code\"");
	expect_refused("clerk", json_null(), "clerk", "Thiếu trường \"clerk\"");
	expect_refused("applicant", NULL, "applicant", "Thiếu trường \"applicant\"");
	expect_refused("applicant.full_name", NULL, "applicant.full_name", "Thiếu trường");
	expect_refused("status", json_string("2"), "status", "số nguyên");
	expect_refused("status", json_integer(1LL << 40), "status", "số nguyên");
	expect_refused("rev", json_true(), "rev", "số nguyên");
	expect_refused("note", json_integer(5), "note", "chuỗi");
	expect_refused("applicant.phone", json_integer(912345678), "applicant.phone", "chuỗi");
	expect_refused("applicant", json_string("An"), "applicant", "đối tượng");
	expect_refused("components", json_object(), "components", "danh sách");
	expect_refused("components", json_pack("[s]", "x"), "components", "Thành phần thứ 1");
	expect_refused("components.seq", json_string("1"), "components[1].seq", "số nguyên");
	expect_refused("components.mandatory", json_string("có"), "components[1].mandatory",
		       "true hoặc false");
	expect_refused("event", json_array(), "event", "đối tượng");
	expect_refused("event.payload", json_string("x"), "event.payload", "đối tượng");
	expect_refused("event.status_to", json_real(2.5), "event.status_to", "số nguyên");
	expect_refused("events", json_object(), "events", "danh sách");
	expect_refused("events.kind", json_integer(1), "events[1].kind", "chuỗi");
	expect_refused("code_review", json_string("yes"), "code_review", "true hoặc false");

	/* the rules of a new dossier */
	expect_refused("code", json_string("H01.00004-251327-0001"), "code", "Mã hồ sơ không hợp lệ");
	expect_refused("procedure_code", json_string(""), "procedure_code", "Thiếu trường");
	char big[1100];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	expect_refused("procedure_name", json_string(big), "procedure_name", "Thiếu trường");
	expect_refused("status", json_integer(11), "status", "1 đến 10");
	expect_refused("received_at", json_string("27/10/2025"), "received_at", "YYYY-MM-DDTHH:MM");
	expect_refused("appointment", json_string("2025-10-28"), "appointment", "YYYY-MM-DDTHH:MM");
	expect_refused("applicant.full_name", json_string(""), "applicant.full_name", "họ tên");
	expect_refused("event.id", json_string("a b"), "event", "Sự kiện thứ 1");
	expect_refused("event.kind", NULL, "event", "Sự kiện thứ 1");
	expect_refused("events.id", NULL, "events", "Sự kiện thứ 2");
	memset(big, 'a', 70);
	big[70] = '\0';
	expect_refused("events.actor", json_string(big), "events", "Sự kiện thứ 2");
}

/* The compact form: only the components of the dossier's own, by seq and
 * counts; made whole again from the catalog, the very text of the full form. */
static void test_compact_round_trip(void **state)
{
	(void)state;
	json_t *payload = json_pack("{s:s}", "code", "H01.00004-251027-0001");
	struct dossier_doc d;
	struct dossier_doc_event ev;
	reception_doc(&d, &ev, payload);
	/* a fourth component, not handed in: left out of the compact form */
	struct dossier_doc_component comps[4];
	memcpy(comps, reception_components, sizeof(reception_components));
	comps[3] = (struct dossier_doc_component){ .seq = 12, .name = "Sổ hộ khẩu", .kind = "present",
						   .mandatory = false, .originals_required = 1 };
	d.components = comps;
	d.ncomponents = 4;
	json_t *full = dossier_doc_encode(&d);
	char *full_text = dump(full);
	json_t *compact = dossier_doc_compact_json(full);
	char *text = dump(compact);
	assert_non_null(strstr(text, "\"components\":[{\"seq\":1,\"originals\":1},"
				      "{\"seq\":2,\"override_reason\":\"Bổ sung sau 02 ngày\"},"
				      "{\"seq\":11,\"copies\":1}],\"compact\":true,\"event\":"));
	assert_null(strstr(text, "Tờ khai"));
	assert_true(strlen(text) < strlen(full_text));
	/* compacting twice changes nothing */
	json_t *again = dossier_doc_compact_json(compact);
	assert_ptr_equal(again, compact);
	json_decref(again);
	/* the catalog: the components without the dossier's counts, any order */
	struct dossier_doc_component cat[4] = { comps[3], comps[0], comps[2], comps[1] };
	json_t *proc = json_array();
	for (size_t i = 0; i < 4; i++) {
		cat[i].originals = cat[i].copies = 0;
		cat[i].override_reason = NULL;
		json_array_append_new(proc, json_pack("{s:i, s:s, s:s, s:b, s:i, s:i}", "seq", cat[i].seq,
						      "name", cat[i].name, "kind", cat[i].kind,
						      "mandatory", cat[i].mandatory, "originals",
						      cat[i].originals_required, "copies",
						      cat[i].copies_required));
	}
	json_t *procedure = json_pack("{s:s, s:o}", "code", "1.001193", "components", proc);
	size_t n;
	struct dossier_doc_component *catalog = dossier_doc_catalog(procedure, &n);
	assert_int_equal(n, 4);
	assert_int_equal(catalog[0].seq, 1);
	assert_int_equal(catalog[3].seq, 12);
	size_t unknown = 99;
	json_t *whole = dossier_doc_expand_json(compact, catalog, n, &unknown);
	assert_int_equal(unknown, 0);
	char *whole_text = dump(whole);
	assert_string_equal(whole_text, full_text);
	/* a full document expands to itself */
	json_t *same = dossier_doc_expand_json(full, catalog, n, NULL);
	assert_ptr_equal(same, full);
	json_decref(same);
	/* a seq the catalog lacks: kept as it came, the document still compact */
	json_t *lacking = dossier_doc_expand_json(compact, catalog, 2, &unknown); /* seqs 1, 2 */
	assert_int_equal(unknown, 1);
	assert_true(json_is_true(json_object_get(lacking, "compact")));
	json_t *last = json_array_get(json_object_get(lacking, "components"), 2);
	assert_int_equal(json_integer_value(json_object_get(last, "seq")), 11);
	assert_null(json_object_get(last, "name"));
	/* exact against the catalog: the compact form; against one that lacks a
	 * component of the dossier, or names one otherwise (an online dossier's
	 * papers, a catalog edited since): the document itself, whole */
	json_t *exact = dossier_doc_compact_exact(full, catalog, n);
	char *exact_text = dump(exact);
	assert_string_equal(exact_text, text);
	free(exact_text);
	json_decref(exact);
	json_t *short_cat = dossier_doc_compact_exact(full, catalog, 3);
	assert_ptr_equal(short_cat, full);
	json_decref(short_cat);
	const char *kept_name = catalog[1].name;
	catalog[1].name = "Giấy tờ khác";
	json_t *renamed = dossier_doc_compact_exact(full, catalog, n);
	assert_ptr_equal(renamed, full);
	json_decref(renamed);
	catalog[1].name = kept_name;
	/* the decoder reads the flag */
	struct dossier_doc back;
	struct dossier_doc_error e;
	assert_int_equal(dossier_doc_decode(compact, &back, &e), 0);
	assert_true(back.compact);
	assert_int_equal(back.ncomponents, 3);
	dossier_doc_release(&back);
	json_decref(lacking);
	free(catalog);
	json_decref(procedure);
	free(whole_text);
	json_decref(whole);
	free(text);
	json_decref(compact);
	free(full_text);
	json_decref(full);
	json_decref(payload);
}

/* The fee: written only when recorded, read back, and its rules (core/fee.h)
 * with the member named "fee.*". */
static void test_fee(void **state)
{
	(void)state;
	struct dossier_doc d, back;
	struct dossier_doc_event ev;
	struct dossier_doc_error e;
	json_t *payload = json_object();
	reception_doc(&d, &ev, payload);
	json_t *j = dossier_doc_encode(&d);
	assert_null(json_object_get(j, "fee")); /* none recorded: not written */
	json_decref(j);
	d.has_fee = true;
	d.fee = (struct dossier_doc_fee){ .status = "exempt", .amount = 0, .reason = "Hộ nghèo" };
	j = dossier_doc_encode(&d);
	char *text = json_dumps(json_object_get(j, "fee"), JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_string_equal(text, "{\"status\":\"exempt\",\"amount\":0,\"reason\":\"Hộ nghèo\"}");
	free(text);
	/* after the applicant, before the note */
	text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_non_null(strstr(text, "\"commune\":\"00004\"},\"fee\":{"));
	free(text);
	assert_int_equal(dossier_doc_decode(j, &back, &e), 0);
	assert_true(back.has_fee);
	assert_string_equal(back.fee.status, "exempt");
	assert_int_equal(back.fee.amount, 0);
	assert_string_equal(back.fee.reason, "Hộ nghèo");
	assert_int_equal(dossier_doc_check_new(&back, &e), 0);
	dossier_doc_release(&back);
	json_decref(j);
	json_decref(payload);

	expect_refused("fee", json_pack("{s:s,s:I}", "status", "paid", "amount", (json_int_t)1),
		       "fee.status", "collected");
	expect_refused("fee", json_pack("{s:I}", "amount", (json_int_t)1), "fee.status", "collected");
	expect_refused("fee", json_pack("{s:s,s:I}", "status", "collected", "amount", (json_int_t)-1),
		       "fee.amount", "từ 0 đến 1.000.000.000 đồng");
	expect_refused("fee", json_pack("{s:s,s:I}", "status", "later", "amount",
					(json_int_t)1000000001), "fee.amount", "từ 0");
	expect_refused("fee", json_pack("{s:s}", "status", "exempt"), "fee.reason", "lý do");
	expect_refused("fee", json_pack("{s:s,s:s}", "status", "exempt", "reason", " "), "fee.reason",
		       "lý do");
	expect_refused("fee", json_pack("{s:s,s:I,s:s}", "status", "collected", "amount",
					(json_int_t)5, "reason", "x"), "fee.reason", "chỉ ghi khi miễn");
	expect_refused("fee", json_pack("{s:s,s:s}", "status", "collected", "amount", "5"),
		       "fee.amount", "số nguyên");
	expect_refused("fee", json_string("collected"), "fee", "đối tượng");
	char reason[520];
	memset(reason, 'x', 501);
	reason[501] = '\0';
	expect_refused("fee", json_pack("{s:s,s:s}", "status", "exempt", "reason", reason),
		       "fee.reason", "quá 500");
	expect_refused("fee", json_pack("{s:s,s:s}", "status", "exempt", "reason", "a\tb"),
		       "fee.reason", "điều khiển");
}

/* An organisation (applicant.kind 2, its tax code, its representative) and
 * a second party: written only when there, read back; a wrong tax code, an
 * organisation without representative and a nameless second party are
 * refused with their member named. */
static void test_parties(void **state)
{
	(void)state;
	struct dossier_doc d, back;
	struct dossier_doc_event ev;
	struct dossier_doc_error e;
	json_t *payload = json_object();
	reception_doc(&d, &ev, payload);
	json_t *j = dossier_doc_encode(&d);
	assert_null(json_object_get(j, "second_party"));
	assert_null(json_object_get(json_object_get(j, "applicant"), "representative"));
	json_decref(j);
	d.applicant.kind = DOSSIER_DOC_ORGANISATION;
	d.applicant.full_name = "Công ty TNHH Hoa Sen";
	d.applicant.tax_code = "0100109106-001";
	d.applicant.representative = (struct dossier_doc_party){
		.present = true, .full_name = "Trần Thị Bình", .id_number = "001190012345",
		.role = "Giám đốc" };
	d.second_party = (struct dossier_doc_party){ .present = true, .full_name = "Lê Thị Cúc",
						     .id_number = "001192054321", .sex = "F" };
	j = dossier_doc_encode(&d);
	char *text = json_dumps(json_object_get(json_object_get(j, "applicant"), "representative"),
				JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_string_equal(text, "{\"full_name\":\"Trần Thị Bình\",\"id_number\":\"001190012345\","
				  "\"role\":\"Giám đốc\"}");
	free(text);
	text = json_dumps(json_object_get(j, "second_party"), JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_string_equal(text, "{\"full_name\":\"Lê Thị Cúc\",\"id_number\":\"001192054321\","
				  "\"sex\":\"F\"}");
	free(text);
	assert_int_equal(dossier_doc_decode(j, &back, &e), 0);
	assert_int_equal(back.applicant.kind, DOSSIER_DOC_ORGANISATION);
	assert_string_equal(back.applicant.tax_code, "0100109106-001");
	assert_true(back.applicant.representative.present);
	assert_string_equal(back.applicant.representative.role, "Giám đốc");
	assert_true(back.second_party.present);
	assert_string_equal(back.second_party.full_name, "Lê Thị Cúc");
	assert_null(back.second_party.role);
	assert_int_equal(dossier_doc_check_new(&back, &e), 0);
	dossier_doc_release(&back);
	json_decref(j);
	json_decref(payload);

	expect_refused("applicant.tax_code", json_string("0100109107"), "applicant.tax_code",
		       "chữ số kiểm tra");
	expect_refused("applicant.tax_code", json_string("0100109106-000"), "applicant.tax_code",
		       "001 đến 999");
	expect_refused("applicant.kind", json_integer(DOSSIER_DOC_ORGANISATION),
		       "applicant.tax_code", "10 chữ số");
	/* a valid tax code, no representative */
	expect_refused("applicant.tax_code", json_string("0100109106"), "applicant.representative",
		       "người đại diện");
	expect_refused("applicant.representative", json_string("Trần Thị Bình"),
		       "applicant.representative", "đối tượng");
	expect_refused("second_party", json_pack("{s:s}", "id_number", "001192054321"),
		       "second_party.full_name", "second_party.full_name");
}

/* The consent to notices: written only when given, read back, and each
 * needs its address. */
static void test_consent(void **state)
{
	(void)state;
	struct dossier_doc d, back;
	struct dossier_doc_event ev;
	struct dossier_doc_error e;
	json_t *payload = json_object();
	reception_doc(&d, &ev, payload);
	json_t *j = dossier_doc_encode(&d);
	json_t *a = json_object_get(j, "applicant");
	assert_null(json_object_get(a, "consent_sms"));
	assert_null(json_object_get(a, "consent_email"));
	json_decref(j);
	d.applicant.consent_sms = true;
	j = dossier_doc_encode(&d);
	a = json_object_get(j, "applicant");
	assert_true(json_is_true(json_object_get(a, "consent_sms")));
	assert_null(json_object_get(a, "consent_email"));
	assert_int_equal(dossier_doc_decode(j, &back, &e), 0);
	assert_true(back.applicant.consent_sms);
	assert_false(back.applicant.consent_email);
	assert_int_equal(dossier_doc_check_new(&back, &e), 0);
	dossier_doc_release(&back);
	json_decref(j);
	/* SMS without a phone, e-mail without an address */
	d.applicant.phone = NULL;
	assert_int_equal(dossier_doc_check_new(&d, &e), -1);
	assert_string_equal(e.field, "applicant.phone");
	assert_non_null(strstr(e.message, "số điện thoại"));
	d.applicant.consent_sms = false;
	d.applicant.consent_email = true;
	d.applicant.email = NULL;
	assert_int_equal(dossier_doc_check_new(&d, &e), -1);
	assert_string_equal(e.field, "applicant.email");
	d.applicant.email = "an@example.vn";
	assert_int_equal(dossier_doc_check_new(&d, &e), 0);
	/* a consent of the wrong type */
	j = dossier_doc_encode(&d);
	json_object_set_new(json_object_get(j, "applicant"), "consent_sms", json_string("yes"));
	assert_int_equal(dossier_doc_decode(j, &back, &e), -1);
	assert_string_equal(e.field, "applicant.consent_sms");
	json_decref(j);
	json_decref(payload);
}

TESTS_MAIN(test_reception_text, test_round_trip_fields, test_round_trip_text, test_defaults,
	   test_refusals, test_compact_round_trip, test_fee, test_consent, test_parties)
