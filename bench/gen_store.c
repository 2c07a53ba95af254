/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gen_store: a realistic store of N dossiers for the benchmarks.
 *
 *   gen_store [--db PATH] [--count N] [--seed S] [--now YYYY-MM-DDTHH:MM]
 *
 * Defaults: bench/out/bench.db, 1,000,000 dossiers, seed 1, now 2025-11-27T10:00.
 * The dossiers are spread over the working days of the two years before "now"
 * (inserted in reception order, as a single device would), over four communes,
 * with Vietnamese names drawn from weighted lists of family, middle and given
 * names, CCCD numbers consistent with birth year and sex, real procedure codes
 * and names, two components and one to five events each. Statuses follow age:
 * old dossiers are mostly returned, recent ones received or processing, a few
 * stuck past their appointment (overdue) or waiting for a supplement. The
 * events carry the lifecycle's action names (receive, transfer, result-ready,
 * return, rate, ...), as the supervisor's indicators count them: 30 % of the
 * handled dossiers go through another unit (transfer), 40 % of the returned
 * are rated, 60 % have their papers scanned, 12 % reuse an ID paper from the
 * document store, 45 % of the results are electronic.
 *
 * The store is built through store_open (so the schema is the program's own),
 * in one transaction with the journal off, into PATH.tmp, then renamed: an
 * interrupted run never leaves a half store behind. "now" and the count are
 * recorded in settings (bench.now, bench.count) for bench_query. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "client/store/store.h"
#include "core/datetime.h"
#include "core/text.h"
#include "core/xalloc.h"

/* bench.version: run.sh makes the store again when it differs (2: the
 * events, papers and results the indicators count). */
#define GEN_VERSION "2"

struct weighted {
	const char *s;
	int w;
};

static const struct weighted family[] = {
	{ "Nguyễn", 380 }, { "Trần", 110 }, { "Lê", 95 }, { "Phạm", 70 }, { "Hoàng", 40 },
	{ "Huỳnh", 30 }, { "Phan", 45 }, { "Vũ", 25 }, { "Võ", 15 }, { "Đặng", 21 },
	{ "Bùi", 20 }, { "Đỗ", 14 }, { "Hồ", 13 }, { "Ngô", 13 }, { "Dương", 10 },
	{ "Lý", 5 }, { "Đào", 5 }, { "Đinh", 5 }, { "Mai", 4 }, { "Trịnh", 4 },
	{ "Đoàn", 4 }, { "Lương", 3 }, { "Cao", 3 }, { "Hà", 3 }, { "Tạ", 2 },
	{ "Lưu", 2 }, { "Tô", 2 }, { "Chu", 2 }, { "Lâm", 2 }, { "Phùng", 2 },
	{ "Quách", 1 }, { "Kiều", 1 }, { "Thái", 1 }, { "Vương", 1 }, { "Triệu", 1 },
	{ "Khúc", 1 }, { "Tăng", 1 }, { "Châu", 1 },
};

static const struct weighted middle_m[] = {
	{ "Văn", 350 }, { "Đức", 100 }, { "Minh", 100 }, { "Quang", 70 }, { "Hữu", 70 },
	{ "Công", 50 }, { "Xuân", 40 }, { "Thanh", 50 }, { "Hoàng", 40 }, { "Ngọc", 30 },
	{ "Tuấn", 20 }, { "Mạnh", 30 }, { "Trọng", 30 }, { "Bá", 20 }, { "Đình", 40 },
	{ "Việt", 20 }, { "Anh", 20 }, { "Gia", 20 }, { "Hải", 20 }, { "Thế", 30 },
};

static const struct weighted middle_f[] = {
	{ "Thị", 450 }, { "Ngọc", 80 }, { "Thu", 70 }, { "Thanh", 60 }, { "Minh", 40 },
	{ "Kim", 40 }, { "Hồng", 40 }, { "Phương", 30 }, { "Thùy", 30 }, { "Bích", 20 },
	{ "Mai", 20 }, { "Diệu", 20 }, { "Khánh", 20 }, { "Lan", 20 }, { "Mỹ", 20 },
	{ "Quỳnh", 20 }, { "Hoài", 20 }, { "Bảo", 10 }, { "Hà", 10 },
};

static const struct weighted given_m[] = {
	{ "Anh", 60 }, { "Minh", 50 }, { "Hùng", 45 }, { "Dũng", 45 }, { "Tuấn", 45 },
	{ "Nam", 40 }, { "Hải", 35 }, { "Long", 35 }, { "Sơn", 35 }, { "Thắng", 30 },
	{ "Đức", 30 }, { "Huy", 30 }, { "Cường", 30 }, { "Trung", 30 }, { "Quang", 25 },
	{ "Hiếu", 25 }, { "Thành", 25 }, { "Tùng", 25 }, { "Việt", 20 }, { "Phong", 20 },
	{ "An", 20 }, { "Bình", 20 }, { "Khánh", 20 }, { "Hoàng", 20 }, { "Quân", 20 },
	{ "Đạt", 20 }, { "Duy", 20 }, { "Tài", 15 }, { "Tâm", 15 }, { "Tiến", 15 },
	{ "Bảo", 15 }, { "Chiến", 10 }, { "Công", 10 }, { "Dương", 10 }, { "Giang", 10 },
	{ "Hào", 10 }, { "Hiệp", 10 }, { "Hòa", 10 }, { "Hưng", 15 }, { "Khải", 8 },
	{ "Khang", 8 }, { "Khoa", 10 }, { "Kiên", 10 }, { "Lâm", 8 }, { "Lộc", 10 },
	{ "Luân", 5 }, { "Mạnh", 10 }, { "Nghĩa", 10 }, { "Nhân", 8 }, { "Phát", 8 },
	{ "Phúc", 10 }, { "Quốc", 8 }, { "Sang", 5 }, { "Thiện", 5 }, { "Thịnh", 8 },
	{ "Thông", 5 }, { "Toàn", 8 }, { "Trí", 8 }, { "Trường", 8 }, { "Tú", 8 },
	{ "Vinh", 10 }, { "Vũ", 8 }, { "Đông", 5 }, { "Đăng", 5 }, { "Định", 5 },
};

static const struct weighted given_f[] = {
	{ "Hương", 50 }, { "Linh", 50 }, { "Trang", 50 }, { "Hà", 45 }, { "Anh", 45 },
	{ "Lan", 40 }, { "Mai", 40 }, { "Hoa", 35 }, { "Ngọc", 35 }, { "Thảo", 35 },
	{ "Huyền", 30 }, { "Phương", 30 }, { "Hằng", 30 }, { "Thủy", 30 }, { "Nga", 25 },
	{ "Nhung", 25 }, { "Hạnh", 25 }, { "Yến", 25 }, { "Dung", 20 }, { "Giang", 20 },
	{ "Hiền", 20 }, { "Hồng", 20 }, { "Loan", 15 }, { "Ly", 15 }, { "My", 15 },
	{ "Ngân", 15 }, { "Quỳnh", 15 }, { "Tâm", 15 }, { "Thu", 15 }, { "Thúy", 15 },
	{ "Trâm", 10 }, { "Tuyết", 10 }, { "Uyên", 10 }, { "Vân", 15 }, { "Vy", 15 },
	{ "Xuân", 10 }, { "An", 10 }, { "Châu", 8 }, { "Chi", 15 }, { "Diệp", 5 },
	{ "Duyên", 10 }, { "Liên", 10 }, { "Oanh", 8 }, { "Như", 8 }, { "Quyên", 8 },
	{ "Thanh", 10 }, { "Thơ", 5 }, { "Đào", 5 }, { "Điệp", 5 },
};

struct procedure {
	const char *code, *name;
	int days; /* working days to the appointment */
	int w;
};

static const struct procedure procedures[] = {
	{ "1.001193", "Thủ tục đăng ký khai sinh", 1, 200 },
	{ "1.000656", "Thủ tục đăng ký khai tử", 1, 50 },
	{ "1.000894", "Thủ tục đăng ký kết hôn", 3, 80 },
	{ "1.004873", "Thủ tục cấp Giấy xác nhận tình trạng hôn nhân", 3, 150 },
	{ "1.004222", "Đăng ký thường trú", 7, 80 },
	{ "1.003197", "Xóa đăng ký thường trú", 5, 20 },
	{ "1.010041", "Xác nhận thông tin về cư trú", 3, 60 },
	{ "1.004859", "Thủ tục thay đổi, cải chính, bổ sung thông tin hộ tịch,"
		      " xác định lại dân tộc", 3, 50 },
	{ "1.004884", "Thủ tục đăng ký lại khai sinh", 5, 30 },
	{ "1.001612", "Đăng ký thành lập hộ kinh doanh", 3, 60 },
	{ "1.001022", "Thủ tục đăng ký nhận cha, mẹ, con", 3, 20 },
	{ "1.004837", "Thủ tục đăng ký giám hộ", 3, 10 },
	{ "1.012812", "Hòa giải tranh chấp đất đai", 30, 20 },
	{ "1.012753", "Đăng ký đất đai, tài sản gắn liền với đất, cấp Giấy chứng nhận quyền"
		      " sử dụng đất, quyền sở hữu tài sản gắn liền với đất lần đầu đối với tổ"
		      " chức đang sử dụng đất", 20, 30 },
};

struct unit {
	const char *code, *ident, *street;
	int w;
};

static const struct unit units[] = {
	{ "00004", "H01.00004", "phố Đội Cấn, phường Ba Đình, Hà Nội", 55 },
	{ "00008", "H01.00008", "phố Hoàng Hoa Thám, phường Ngọc Hà, Hà Nội", 20 },
	{ "00025", "H01.00025", "phố Hàng Bông, phường Hoàn Kiếm, Hà Nội", 15 },
	{ "00070", "H01.00070", "phố Kim Mã, phường Giảng Võ, Hà Nội", 10 },
};

/* CCCD province codes (place of birth registration) drawn for ID numbers. */
static const char *const id_provinces[] = {
	"001", "001", "001", "001", "030", "031", "033", "034", "035", "036",
	"037", "038", "040", "042", "022", "024", "025", "026", "027", "079",
};

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* splitmix64: small, fast, reproducible across machines */
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int rnd_below(int n)
{
	return (int)(rnd() % (uint64_t)n);
}

/* A second stream for what the indicators read (later events, reused papers,
 * results): the first stream, and so every dossier's other columns, stays as
 * it was before these were added. */
static uint64_t rng2_state;

static int rnd2_below(int n)
{
	uint64_t z = (rng2_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (int)((z ^ (z >> 31)) % (uint64_t)n);
}

#define PICK(arr) pick_weighted((arr), sizeof(arr) / sizeof((arr)[0]))

static const char *pick_weighted(const struct weighted *v, size_t n)
{
	int total = 0;
	for (size_t i = 0; i < n; i++)
		total += v[i].w;
	int r = rnd_below(total);
	for (size_t i = 0; i < n; i++) {
		if (r < v[i].w)
			return v[i].s;
		r -= v[i].w;
	}
	return v[n - 1].s;
}

static const struct procedure *pick_procedure(void)
{
	static int total;
	size_t n = sizeof(procedures) / sizeof(procedures[0]);
	if (!total)
		for (size_t i = 0; i < n; i++)
			total += procedures[i].w;
	int r = rnd_below(total);
	for (size_t i = 0; i < n; i++) {
		if (r < procedures[i].w)
			return &procedures[i];
		r -= procedures[i].w;
	}
	return &procedures[0];
}

static int pick_unit(void)
{
	int r = rnd_below(100);
	for (int i = 0; i < (int)(sizeof(units) / sizeof(units[0])); i++) {
		if (r < units[i].w)
			return i;
		r -= units[i].w;
	}
	return 0;
}

static long add_working_days(long day, int n)
{
	while (n > 0) {
		day++;
		int wd = mc_weekday(day);
		if (wd != 0 && wd != 6)
			n--;
	}
	return day;
}

static void fmt_minutes(char *buf, size_t n, long long minutes)
{
	struct mc_dt t;
	mc_dt_from_minutes(minutes, &t);
	mc_format_dt(buf, n, &t);
}

static void fake_uuid_from(char buf[37], long long minutes, unsigned long long ms_rand, uint64_t a,
			   uint64_t b)
{
	/* UUIDv7 layout from the (fake) creation time, random rest */
	unsigned long long ms = (unsigned long long)minutes * 60000ULL + ms_rand;
	snprintf(buf, 37, "%08llx-%04llx-7%03llx-%04llx-%012llx",
		 (ms >> 16) & 0xffffffffULL, ms & 0xffffULL, (unsigned long long)(a & 0xfff),
		 (unsigned long long)(0x8000 | (b & 0x3fff)),
		 (unsigned long long)((a >> 12) & 0xffffffffffffULL));
}

static void fake_uuid(char buf[37], long long minutes)
{
	unsigned long long ms = (unsigned long long)rnd_below(60000);
	uint64_t a = rnd(), b = rnd();
	fake_uuid_from(buf, minutes, ms, a, b);
}

static void fake_uuid2(char buf[37], long long minutes)
{
	unsigned long long ms = (unsigned long long)rnd2_below(60000);
	uint64_t a = (uint64_t)rnd2_below(1 << 30) << 30 | (uint64_t)rnd2_below(1 << 30);
	uint64_t b = (uint64_t)rnd2_below(1 << 30);
	fake_uuid_from(buf, minutes, ms, a, b);
}

/* Status from the dossier's appointment relative to now (in minutes). */
static int pick_status(long long appointment, long long received, long long now)
{
	int r = rnd_below(1000);
	if (appointment + 3 * 24 * 60 < now) { /* long past the appointment */
		if (r < 850)
			return 10;
		if (r < 900)
			return 9;
		if (r < 920)
			return 3;
		if (r < 940)
			return 7;
		if (r < 950)
			return 8;
		if (r < 990)
			return 10;
		if (r < 995)
			return 5; /* stuck waiting for a supplement */
		return r < 998 ? 4 : 2; /* overdue */
	}
	if (received + 24 * 60 > now)
		return r < 850 ? 2 : 4;
	if (r < 350)
		return 2;
	if (r < 800)
		return 4;
	if (r < 880)
		return 5;
	if (r < 980)
		return 9;
	return 10;
}

struct gen {
	struct store st;
	sqlite3_stmt *ins_dossier, *ins_component, *ins_event, *set_result;
	long long now;
};

static void step_or_die(struct gen *g, sqlite3_stmt *q)
{
	if (sqlite3_step(q) != SQLITE_DONE) {
		fprintf(stderr, "gen_store: %s\n", sqlite3_errmsg(g->st.db));
		exit(1);
	}
	sqlite3_reset(q);
}

static void insert_dossier(struct gen *g, long long received, int unit, int seq)
{
	const struct procedure *p = pick_procedure();
	int female = rnd_below(2);
	int born = 1950 + rnd_below(56);
	struct strbuf name = STRBUF_INIT;
	strbuf_addf(&name, "%s %s", PICK(family), female ? PICK(middle_f) : PICK(middle_m));
	if (female && rnd_below(4) == 0 && !strcmp(name.buf + name.len - strlen("Thị"), "Thị"))
		/* a second middle name after Thị: Nguyễn Thị Thu Hà */
		strbuf_addf(&name, " %s", pick_weighted(middle_f + 1,
							sizeof(middle_f) / sizeof(middle_f[0]) - 1));
	strbuf_addf(&name, " %s", female ? PICK(given_f) : PICK(given_m));
	char *fold = mc_text_fold(name.buf);

	struct mc_dt rt;
	mc_dt_from_minutes(received, &rt);
	long day = mc_days_from_civil(rt.y, rt.m, rt.d);
	long due_day = add_working_days(day, p->days);
	long long appointment = (long long)due_day * 1440 + (rt.hh < 12 ? 16 * 60 : 10 * 60);
	int status = pick_status(appointment, received, g->now);

	char id[37], code[64], idnum[13], birth[11], phone[11], recv[17], appt[17], fin[17];
	char clerk[16], addr[160];
	fake_uuid(id, received);
	snprintf(code, sizeof(code), "%s-%02d%02d%02d-%04d", units[unit].ident, rt.y % 100, rt.m,
		 rt.d, seq);
	snprintf(idnum, sizeof(idnum), "%s%d%02d%06d", id_provinces[rnd_below(20)],
		 (born >= 2000 ? 2 : 0) + female, born % 100, rnd_below(1000000));
	mc_format_date(birth, sizeof(birth), born, 1 + rnd_below(12), 1 + rnd_below(28));
	snprintf(phone, sizeof(phone), "09%08d", rnd_below(100000000));
	snprintf(clerk, sizeof(clerk), "canbo%d", 1 + rnd_below(6));
	snprintf(addr, sizeof(addr), "Số %d %s", 1 + rnd_below(200), units[unit].street);
	fmt_minutes(recv, sizeof(recv), received);
	fmt_minutes(appt, sizeof(appt), appointment);
	int finished = status == 3 || status >= 7;
	long long fin_at = appointment - rnd_below(2 * 1440);
	if (fin_at < received)
		fin_at = received + 60;
	if (rnd2_below(100) < 8) { /* late, one time in twelve (stream 2) */
		fin_at = appointment + 1 + rnd2_below(3 * 1440);
		if (fin_at > g->now)
			fin_at = g->now;
	}
	fmt_minutes(fin, sizeof(fin), fin_at);

	sqlite3_stmt *q = g->ins_dossier;
	int i = 1;
	sqlite3_bind_text(q, i++, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, i++, code, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, i++, p->code, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, i++, p->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, i++, units[unit].code, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, i++, clerk, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, i++, rnd_below(5) == 0 ? 2 : 1);
	sqlite3_bind_int(q, i++, status);
	sqlite3_bind_text(q, i++, recv, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, i++, appt, -1, SQLITE_STATIC);
	if (finished)
		sqlite3_bind_text(q, i++, fin, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(q, i++);
	sqlite3_bind_text(q, i++, name.buf, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, i++, fold, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, i++, idnum, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, i++, birth, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, i++, female ? "F" : "M", -1, SQLITE_STATIC);
	sqlite3_bind_text(q, i++, phone, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, i++, addr, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, i++, units[unit].code, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, i++, finished ? fin : recv, -1, SQLITE_STATIC);
	step_or_die(g, q);

	static const char *const comps[][2] = {
		{ "Tờ khai theo mẫu", "submit" },
		{ "Giấy tờ tùy thân của người nộp hồ sơ", "present" },
	};
	/* stream 2: scanned papers (60 %), the ID paper reused from the document
	 * store (12 %), an electronic result (45 % of those with a result), a
	 * transfer to another unit (30 % of those handled), ratings (40 % of the
	 * returned: 1 half of them, 2 a third, 3 or 4 the rest) */
	int scanned = rnd2_below(100) < 60, reused = rnd2_below(100) < 12;
	int e_result = rnd2_below(100) < 45, transfer = rnd2_below(100) < 30;
	int rated = rnd2_below(100) < 40, rating = rnd2_below(100);
	rating = rating < 50 ? 1 : rating < 85 ? 2 : rating < 95 ? 3 : 4;
	for (int c = 0; c < 2; c++) {
		q = g->ins_component;
		char doc[37];
		int has_doc = scanned || (c == 1 && reused);
		if (has_doc)
			fake_uuid2(doc, received);
		sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
		sqlite3_bind_int(q, 2, c + 1);
		sqlite3_bind_text(q, 3, comps[c][0], -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 4, comps[c][1], -1, SQLITE_STATIC);
		if (has_doc)
			sqlite3_bind_text(q, 5, doc, -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(q, 5);
		sqlite3_bind_int(q, 6, c == 1 && reused);
		step_or_die(g, q);
	}
	int has_result = status == 9 || status == 10;
	if (has_result && e_result) {
		char doc[37];
		fake_uuid2(doc, fin_at);
		q = g->set_result;
		sqlite3_bind_text(q, 1, doc, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(q, 2, id, -1, SQLITE_STATIC);
		step_or_die(g, q);
	}

	/* The events, with the lifecycle's action names (core/lifecycle.h). */
	char eid[37];
	q = g->ins_event;
	fake_uuid(eid, received);
	sqlite3_bind_text(q, 1, eid, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, "receive", -1, SQLITE_STATIC);
	sqlite3_bind_null(q, 4);
	sqlite3_bind_int(q, 5, 2);
	sqlite3_bind_text(q, 6, clerk, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 7, units[unit].code, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 8, recv, -1, SQLITE_STATIC);
	sqlite3_bind_null(q, 9);
	step_or_die(g, q);
	if (status != 2) {
		char when[17];
		long long t = finished ? fin_at : received + 30 + rnd_below(600);
		if (t > g->now)
			t = g->now;
		fmt_minutes(when, sizeof(when), t);
		fake_uuid(eid, t);
		if (transfer && status != 3 && status != 4) {
			/* handled by another unit first (status 4 itself is a transfer) */
			char eid2[37], tt[17];
			long long t2 = received + 60 < t ? received + 60 : t;
			fake_uuid2(eid2, t2);
			fmt_minutes(tt, sizeof(tt), t2);
			sqlite3_bind_text(q, 1, eid2, -1, SQLITE_STATIC);
			sqlite3_bind_text(q, 3, "transfer", -1, SQLITE_STATIC);
			sqlite3_bind_int(q, 4, 2);
			sqlite3_bind_int(q, 5, 4);
			sqlite3_bind_text(q, 8, tt, -1, SQLITE_STATIC);
			step_or_die(g, q);
		}
		static const char *const kinds[] = {
			[3] = "refuse", [4] = "transfer", [5] = "request-supplement", [6] = "request-payment",
			[7] = "withdraw", [8] = "stop", [9] = "result-ready", [10] = "result-ready",
		};
		sqlite3_bind_text(q, 1, eid, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 3, kinds[status], -1, SQLITE_STATIC);
		sqlite3_bind_int(q, 4, 2);
		sqlite3_bind_int(q, 5, status == 10 ? 9 : status);
		sqlite3_bind_text(q, 8, when, -1, SQLITE_STATIC);
		step_or_die(g, q);
		if (status == 10) {
			long long tr = t + rnd2_below(3 * 1440);
			if (tr > g->now)
				tr = g->now;
			for (int k = 0; k < 1 + rated; k++) {
				char eid3[37], tt[17], payload[24];
				fake_uuid2(eid3, tr + k * 5);
				fmt_minutes(tt, sizeof(tt), tr + k * 5 > g->now ? g->now : tr + k * 5);
				sqlite3_bind_text(q, 1, eid3, -1, SQLITE_STATIC);
				sqlite3_bind_text(q, 3, k ? "rate" : "return", -1, SQLITE_STATIC);
				if (k) {
					sqlite3_bind_null(q, 4);
					sqlite3_bind_null(q, 5);
					snprintf(payload, sizeof(payload), "{\"rating\":%d}", rating);
					sqlite3_bind_text(q, 9, payload, -1, SQLITE_TRANSIENT);
				} else {
					sqlite3_bind_int(q, 4, 9);
					sqlite3_bind_int(q, 5, 10);
				}
				sqlite3_bind_text(q, 8, tt, -1, SQLITE_TRANSIENT);
				step_or_die(g, q);
			}
			sqlite3_bind_null(q, 9);
		}
	}
	free(fold);
	strbuf_release(&name);
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return (x > y) - (x < y);
}

static int usage(void)
{
	fputs("usage: gen_store [--db PATH] [--count N] [--seed S] [--now YYYY-MM-DDTHH:MM]\n",
	      stderr);
	return 2;
}

static void exec_or_die(struct gen *g, const char *sql)
{
	struct strbuf err = STRBUF_INIT;
	if (store_exec(&g->st, sql, &err)) {
		fprintf(stderr, "gen_store: %s\n", err.buf);
		exit(1);
	}
}

int main(int argc, char **argv)
{
	const char *db = "bench/out/bench.db", *now_s = "2025-11-27T10:00";
	long count = 1000000;
	unsigned long long seed = 1;
	for (int i = 1; i < argc; i++) {
		if (i + 1 < argc && !strcmp(argv[i], "--db"))
			db = argv[++i];
		else if (i + 1 < argc && !strcmp(argv[i], "--count"))
			count = strtol(argv[++i], NULL, 10);
		else if (i + 1 < argc && !strcmp(argv[i], "--seed"))
			seed = strtoull(argv[++i], NULL, 10);
		else if (i + 1 < argc && !strcmp(argv[i], "--now"))
			now_s = argv[++i];
		else
			return usage();
	}
	struct mc_dt now;
	if (count < 1 || mc_parse_dt(now_s, &now))
		return usage();
	rng_state = seed;
	rng2_state = seed ^ 0x766766766ULL;

	struct gen g = { .now = mc_dt_minutes(&now) };
	char *tmp = xasprintf("%s.tmp", db);
	/* an interrupted run's leftovers, its WAL above all, must not be replayed */
	static const char *const sides[] = { "", "-wal", "-shm", "-journal" };
	for (size_t i = 0; i < sizeof(sides) / sizeof(sides[0]); i++) {
		char *side = xasprintf("%s%s", tmp, sides[i]);
		unlink(side);
		free(side);
	}
	struct strbuf err = STRBUF_INIT;
	if (store_open(&g.st, tmp, STORE_CREATE, &err)) {
		fprintf(stderr, "gen_store: %s\n", err.buf);
		return 1;
	}
	exec_or_die(&g, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
			" PRAGMA cache_size=-262144; BEGIN");
	g.ins_dossier = store_prepare(&g.st,
		"INSERT INTO dossiers(id, code, procedure_code, procedure_name, unit_code,"
		" handling_unit, clerk, channel, status, received_at, appointment, finished_at,"
		" applicant_name, applicant_fold, id_number, birth_date, sex, phone, address,"
		" commune_code, updated_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,"
		" ?16, ?17, ?18, ?19, ?20)");
	g.ins_component = store_prepare(&g.st,
		"INSERT INTO dossier_components(dossier_id, seq, name, kind, mandatory,"
		" originals_required, copies_required, originals, copies, document_id, reused)"
		" VALUES (?1, ?2, ?3, ?4, 1, 1, 0, 1, 0, ?5, ?6)");
	g.set_result = store_prepare(&g.st, "UPDATE dossiers SET result_document_id = ?1 WHERE id = ?2");
	g.ins_event = store_prepare(&g.st,
		"INSERT INTO events(id, dossier_id, kind, status_from, status_to, actor,"
		" unit_code, device_time, payload) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");

	/* Working days of the two years up to now's date, the last one until now. */
	long last = mc_days_from_civil(now.y, now.m, now.d), first = last - 730;
	long ndays = 0;
	for (long d = first; d <= last; d++)
		if (mc_weekday(d) != 0 && mc_weekday(d) != 6)
			ndays++;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	long done = 0, k = 0;
	long long *times = NULL;
	for (long d = first; d <= last; d++) {
		if (mc_weekday(d) == 0 || mc_weekday(d) == 6)
			continue;
		long n = count * (k + 1) / ndays - count * k / ndays;
		k++;
		int open_min = 7 * 60 + 30;
		int close_min = d == last ? now.hh * 60 + now.mi : 17 * 60;
		if (close_min <= open_min)
			close_min = open_min + 1;
		times = xrealloc(times, (size_t)(n ? n : 1) * sizeof(*times));
		for (long i = 0; i < n; i++)
			times[i] = (long long)d * 1440 + open_min + rnd_below(close_min - open_min);
		qsort(times, (size_t)n, sizeof(*times), cmp_ll);
		int seq[sizeof(units) / sizeof(units[0])] = { 0 };
		for (long i = 0; i < n; i++) {
			int u = pick_unit();
			insert_dossier(&g, times[i], u, ++seq[u]);
		}
		done += n;
	}
	free(times);
	char buf[32];
	snprintf(buf, sizeof(buf), "%ld", done);
	store_set_setting(&g.st, "bench.count", buf, NULL);
	store_set_setting(&g.st, "bench.now", now_s, NULL);
	store_set_setting(&g.st, "bench.version", GEN_VERSION, NULL);
	sqlite3_finalize(g.ins_dossier);
	sqlite3_finalize(g.ins_component);
	sqlite3_finalize(g.ins_event);
	sqlite3_finalize(g.set_result);
	exec_or_die(&g, "COMMIT");
	exec_or_die(&g, "PRAGMA journal_mode=WAL");
	store_close(&g.st);
	if (rename(tmp, db)) {
		perror("gen_store: rename");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("gen_store: %ld dossiers into %s in %.1f s\n", done, db,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	free(tmp);
	strbuf_release(&err);
	return 0;
}
