/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "core/portal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/datetime.h"
#include "core/lifecycle.h"
#include "core/text.h"
#include "core/xalloc.h"

/* ---- times ------------------------------------------------------------------- */

int portal_time(const char *ours, char out[PORTAL_TIME_LEN + 1])
{
	out[0] = '\0';
	if (!ours || !*ours)
		return 0;
	size_t n = strlen(ours);
	struct mc_dt t;
	char head[17];
	int ss = 0;
	if (n != 16 && n != 19)
		return -1;
	memcpy(head, ours, 16);
	head[16] = '\0';
	if (mc_parse_dt(head, &t))
		return -1;
	if (n == 19) {
		if (ours[16] != ':' || !isdigit((unsigned char)ours[17]) ||
		    !isdigit((unsigned char)ours[18]))
			return -1;
		ss = (ours[17] - '0') * 10 + (ours[18] - '0');
		if (ss > 59)
			return -1;
	}
	char buf[64];
	snprintf(buf, sizeof buf, "%04d%02d%02d%02d%02d%02d", t.y, t.m, t.d, t.hh, t.mi, ss);
	if (strlen(buf) != PORTAL_TIME_LEN)
		return -1;
	memcpy(out, buf, PORTAL_TIME_LEN + 1);
	return 0;
}

int portal_time_parse(const char *theirs, char out[17])
{
	out[0] = '\0';
	if (!theirs || strlen(theirs) != PORTAL_TIME_LEN)
		return -1;
	for (int i = 0; i < PORTAL_TIME_LEN; i++)
		if (!isdigit((unsigned char)theirs[i]))
			return -1;
	int v[6];
	static const int widths[6] = { 4, 2, 2, 2, 2, 2 };
	const char *p = theirs;
	for (int i = 0; i < 6; i++) {
		v[i] = 0;
		for (int k = 0; k < widths[i]; k++)
			v[i] = v[i] * 10 + (*p++ - '0');
	}
	struct mc_dt t = { v[0], v[1], v[2], v[3], v[4] };
	if (!mc_date_valid(t.y, t.m, t.d) || t.hh > 23 || t.mi > 59 || v[5] > 59)
		return -1;
	mc_format_dt(out, 17, &t);
	return 0;
}

/* ---- helpers ------------------------------------------------------------------- */

static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static long long num(const json_t *o, const char *key, long long dflt)
{
	const json_t *v = json_object_get(o, key);
	if (json_is_integer(v))
		return json_integer_value(v);
	if (json_is_string(v) && *json_string_value(v)) {
		char *end;
		long long x = strtoll(json_string_value(v), &end, 10);
		if (!*end)
			return x;
	}
	return dflt;
}

static void set(json_t *o, const char *key, const char *value)
{
	json_object_set_new(o, key, json_string(value ? value : ""));
}

static void set_num(json_t *o, const char *key, long long v)
{
	char buf[24];
	snprintf(buf, sizeof(buf), "%lld", v);
	set(o, key, buf);
}

static void set_time(json_t *o, const char *key, const char *ours)
{
	char t[PORTAL_TIME_LEN + 1];
	portal_time(ours, t);
	set(o, key, t);
}

/* Every event of the dossier in order: "events", or the one "event" of a
 * reception that has none. A new array. */
static json_t *all_events(const json_t *d)
{
	json_t *list = json_array();
	const json_t *many = json_object_get(d, "events");
	const json_t *one = json_object_get(d, "event");
	if (json_is_object(one)) {
		bool listed = false;
		size_t i;
		const json_t *e;
		json_array_foreach(many, i, e) listed = listed || !strcmp(str(e, "id"), str(one, "id"));
		if (!listed)
			json_array_append(list, (json_t *)one);
	}
	if (json_is_array(many))
		json_array_extend(list, (json_t *)many);
	return list;
}

/* The last event of kind in d, or NULL (borrowed from list). */
static const json_t *last_of(const json_t *list, const char *kind)
{
	const json_t *found = NULL;
	size_t i;
	const json_t *e;
	json_array_foreach(list, i, e) if (!strcmp(str(e, "kind"), kind)) found = e;
	return found;
}

/* ---- DongBoHoSoMC ------------------------------------------------------------------ */

json_t *portal_dossier_item(const json_t *d, long seq, const struct portal_ctx *ctx)
{
	const json_t *a = json_object_get(d, "applicant");
	const json_t *online = json_object_get(d, "online");
	json_t *events = all_events(d);
	json_t *m = json_object();
	set(m, "MaHoSo", str(d, "code"));
	if (json_is_object(online))
		set(m, "MaHoSoDVCQG", str(online, "portal_code"));
	set_num(m, "SoThuTu", seq);
	set(m, "MaTTHC", ctx->procedure_code ? ctx->procedure_code : str(d, "procedure_code"));
	set(m, "TenTTHC", str(d, "procedure_name"));
	set(m, "MaLinhVuc", ctx->field_code);
	set(m, "TenLinhVuc", ctx->field_name);
	set(m, "ChuHoSo", str(a, "full_name"));
	long long kind = num(d, "applicant_kind", num(a, "kind", 1));
	set_num(m, "LoaiDoiTuong", kind >= 1 && kind <= 4 ? kind : 1);
	set(m, "MaDoiTuong", str(a, "id_number"));
	set(m, "SoDienThoai", str(a, "phone"));
	set(m, "Email", str(a, "email"));
	set(m, "DiaChi", str(a, "address"));
	set(m, "TrichYeuHoSo", str(d, "procedure_name"));
	set_time(m, "NgayTiepNhan", str(d, "received_at"));
	set_time(m, "NgayHenTra", str(d, "appointment"));
	set_num(m, "TrangThaiHoSo", num(d, "status", 2));
	const json_t *ret = last_of(events, "return");
	const json_t *ready = last_of(events, "result-ready");
	set_time(m, "NgayTra", ret ? str(ret, "device_time") : "");
	set_time(m, "NgayKetThucXuLy", ready ? str(ready, "device_time") : "");
	/* HinhThuc: how the result goes back, 0 at the counter, 1 by post */
	const char *method = ret ? str(json_object_get(ret, "payload"), "method") : "";
	set(m, "HinhThuc", !strcmp(method, "post") ? "1" : "0");
	long long channel = num(d, "channel", 1);
	set_num(m, "KenhThucHien", channel >= 1 && channel <= 3 ? channel : 1);
	set(m, "DonViXuLy", ctx->unit_code);
	set(m, "GhiChu", str(d, "note"));

	json_t *papers = json_array();
	size_t i;
	const json_t *c;
	json_array_foreach(json_object_get(d, "components"), i, c) {
		if (!json_is_object(c))
			continue;
		long long n = num(c, "originals", 0) + num(c, "copies", 0);
		const char *doc = str(c, "document_id");
		if (n <= 0 && !*doc)
			continue; /* not handed in */
		json_t *p = json_object();
		set(p, "TepDinhKemId", doc);
		set(p, "TenTepDinhKem", str(c, "name"));
		set_num(p, "MaThanhPhanHoSo", num(c, "seq", (long long)i + 1));
		set_num(p, "SoLuong", n > 0 ? n : 1);
		set(p, "IsDeleted", "False");
		set(p, "DuongDanTaiTepTin", "");
		json_array_append_new(papers, p);
	}
	json_object_set_new(m, "TaiLieuNop", papers);

	json_t *fees = json_array();
	if (ctx->fee >= 0) {
		json_t *f = json_object();
		set(f, "TenPhiLePhi", ctx->fee_text && *ctx->fee_text ? ctx->fee_text : "Lệ phí");
		set(f, "MaPhiLePhi", "");
		set(f, "HinhThucThu", "1");
		set_num(f, "Gia", ctx->fee);
		set(f, "LoaiPhiLePhi", "2");
		json_array_append_new(fees, f);
	}
	json_object_set_new(m, "DanhSachLePhi", fees);

	json_t *results = json_array();
	if (ready) {
		const json_t *p = json_object_get(ready, "payload");
		json_t *r = json_object();
		set(r, "TenGiayTo", "Kết quả giải quyết");
		set(r, "MaThanhPhanHoSo", "");
		set(r, "GiayToId", str(p, "result_code"));
		set(r, "DuongDanTepTinKetQua", "");
		json_array_append_new(results, r);
	}
	json_object_set_new(m, "DanhSachGiayToKetQua", results);
	json_decref(events);
	return m;
}

/* ---- CapNhatTienDoHoSoMC ----------------------------------------------------------- */

bool portal_event_published(const char *kind)
{
	if (!kind || !strcmp(kind, "rate"))
		return false;
	return mc_action_from_id(kind) >= 0;
}

/* "a; b; c" of a JSON array of strings (empty when none). */
static void add_list(struct strbuf *sb, const json_t *list)
{
	size_t i;
	const json_t *x;
	json_array_foreach(list, i, x) {
		if (!json_is_string(x))
			continue;
		if (i)
			strbuf_addstr(sb, "; ");
		strbuf_addstr(sb, json_string_value(x));
	}
}

static void add_dt_vn(struct strbuf *sb, const char *ours)
{
	struct mc_dt t;
	if (!ours || mc_parse_dt(ours, &t)) {
		strbuf_addstr(sb, ours ? ours : "");
		return;
	}
	char date[16];
	mc_format_date_vn(date, sizeof date, t.y, t.m, t.d);
	strbuf_addf(sb, "%02d:%02d %s", t.hh, t.mi, date);
}

char *portal_progress_text(const json_t *e)
{
	const char *kind = str(e, "kind");
	const json_t *p = json_object_get(e, "payload");
	int a = mc_action_from_id(kind);
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, a >= 0 ? mc_action_label((enum mc_action)a) : kind);
	const char *reason = str(p, "reason");
	switch (a) {
	case MC_ACT_ACCEPT:
		strbuf_addf(&sb, ": mã hồ sơ %s, hẹn trả ", str(p, "code"));
		add_dt_vn(&sb, str(p, "appointment"));
		break;
	case MC_ACT_REQUEST_SUPPLEMENT:
	case MC_ACT_ONLINE_SUPPLEMENT:
		strbuf_addstr(&sb, " (mẫu 02): cần bổ sung ");
		add_list(&sb, json_object_get(p, "papers"));
		if (*reason)
			strbuf_addf(&sb, ". Lý do: %s", reason);
		if (*str(p, "deadline")) {
			strbuf_addstr(&sb, ". Hạn bổ sung: ");
			add_dt_vn(&sb, str(p, "deadline"));
		}
		break;
	case MC_ACT_REFUSE:
		strbuf_addstr(&sb, " (mẫu 03): ");
		add_list(&sb, json_object_get(p, "reasons"));
		break;
	case MC_ACT_TRANSFER:
		if (*str(p, "to_unit_name") || *str(p, "to_unit"))
			strbuf_addf(&sb, " đến %s", *str(p, "to_unit_name") ? str(p, "to_unit_name")
									  : str(p, "to_unit"));
		if (*reason)
			strbuf_addf(&sb, ": %s", reason);
		break;
	case MC_ACT_APOLOGIZE:
		strbuf_addf(&sb, " (mẫu 04): %s; hẹn trả mới ", reason);
		add_dt_vn(&sb, str(p, "appointment"));
		break;
	case MC_ACT_SUPPLEMENT_RECEIVED:
		strbuf_addstr(&sb, "; hẹn trả ");
		add_dt_vn(&sb, str(p, "appointment"));
		break;
	case MC_ACT_RESULT_READY:
		if (*str(p, "result_code"))
			strbuf_addf(&sb, ": số %s", str(p, "result_code"));
		break;
	case MC_ACT_RETURN:
		if (*str(p, "method_name"))
			strbuf_addf(&sb, ": %s", str(p, "method_name"));
		if (*str(p, "recipient"))
			strbuf_addf(&sb, ", người nhận %s", str(p, "recipient"));
		break;
	default:
		if (*reason)
			strbuf_addf(&sb, ": %s", reason);
		break;
	}
	char *text = strbuf_detach(&sb);
	if (mc_text_valid(text) && mc_text_chars(text) > PORTAL_TEXT_MAX) {
		size_t bytes = 0;
		for (size_t k = 0; k < PORTAL_TEXT_MAX; k++) {
			int32_t cp;
			bytes += mc_utf8_next(text + bytes, strlen(text + bytes), &cp);
		}
		text[bytes] = '\0';
	}
	return text;
}

json_t *portal_progress_item(const json_t *d, const json_t *e, long seq,
			     const struct portal_ctx *ctx)
{
	const json_t *online = json_object_get(d, "online");
	json_t *m = json_object();
	set(m, "MaHoSo", str(d, "code"));
	if (json_is_object(online))
		set(m, "MaHoSoDVCQG", str(online, "portal_code"));
	set_num(m, "SoThuTu", seq);
	set(m, "NguoiXuLy", ctx->actor_name && *ctx->actor_name ? ctx->actor_name : str(e, "actor"));
	set(m, "ChucDanh", "");
	set_time(m, "ThoiDiemXuLy", str(e, "device_time"));
	set(m, "PhongBanXuLy", ctx->unit_name);
	char *text = portal_progress_text(e);
	set(m, "NoiDungXuLy", text);
	free(text);
	long long to = num(e, "status_to", num(d, "status", 2));
	set_num(m, "TrangThai", to);
	set_time(m, "NgayBatDau", str(d, "received_at"));
	set_time(m, "NgayKetThucTheoQuyDinh", str(d, "appointment"));
	return m;
}
