/* SPDX-License-Identifier: GPL-3.0-or-later */
/* motcua due: the appointment date of a dossier.
 *
 *   motcua due --from YYYY-MM-DDTHH:MM (--days N | --hours H)
 *              [--holidays FILE] [--office-hours 07:00-11:30,13:30-17:00]
 *              [--cutoff HH:MM] [--db PATH]
 *
 * Prints the appointment as YYYY-MM-DDTHH:MM on stdout. --days 0 means "in
 * the day". The calendar comes from FILE when given (lines `YYYY-MM-DD off
 * [name]` or `YYYY-MM-DD work [name]`), else from the store; years that hold
 * no data get the statutory holidays computed from the lunar calendar. Without
 * a store the computed calendar is used, and stderr says so. */
#include "client/cli/cli.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "client/base/files.h"
#include "client/store/calendar_store.h"
#include "client/store/store.h"
#include "core/calendar.h"
#include "core/datetime.h"
#include "core/xalloc.h"

#define MAX_DAYS 3650   /* ten years of working days is already absurd */
#define MAX_HOURS 87600

struct due_opts {
	const char *from, *days, *hours, *holidays, *db, *office_hours, *cutoff;
};

static int usage(void)
{
	fputs("Cách dùng: motcua due --from YYYY-MM-DDTHH:MM --days N [--holidays TỆP] [--db ĐƯỜNG_DẪN]\n"
	      "       hoặc --hours H thay cho --days N (thời hạn tính bằng giờ làm việc)\n"
	      "Tùy chọn: --office-hours 07:00-11:30,13:30-17:00  --cutoff 15:00\n"
	      "--days 0: giải quyết trong ngày (nhận trước giờ chốt thì hẹn cuối ngày đó).\n"
	      "TỆP lịch nghỉ: mỗi dòng `YYYY-MM-DD off [tên]` hoặc `YYYY-MM-DD work [tên]`, `#` là chú thích.\n",
	      stdout);
	return CLI_OK;
}

static int parse_args(int argc, char **argv, struct due_opts *o)
{
	static const struct {
		const char *name;
		size_t offset;
	} known[] = {
		{ "--from", offsetof(struct due_opts, from) },
		{ "--days", offsetof(struct due_opts, days) },
		{ "--hours", offsetof(struct due_opts, hours) },
		{ "--holidays", offsetof(struct due_opts, holidays) },
		{ "--db", offsetof(struct due_opts, db) },
		{ "--office-hours", offsetof(struct due_opts, office_hours) },
		{ "--cutoff", offsetof(struct due_opts, cutoff) },
	};
	for (int i = 1; i < argc; i++) {
		int found = 0;
		for (size_t k = 0; k < sizeof(known) / sizeof(known[0]) && !found; k++) {
			const char **slot = (const char **)((char *)o + known[k].offset);
			found = cli_option(argc, argv, &i, known[k].name, slot);
			if (found < 0)
				return cli_bad("tùy chọn %s cần một giá trị", known[k].name);
		}
		if (!found)
			return cli_bad("không hiểu tùy chọn «%s» (xem: motcua due --help)", argv[i]);
	}
	return CLI_OK;
}

/* A non-negative integer of at most `max`; -1 otherwise. */
static long parse_count(const char *s, long max)
{
	if (!*s || strlen(s) > 9)
		return -1;
	long v = 0;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (*p - '0');
	}
	return v <= max ? v : -1;
}

static int load_file_calendar(const char *path, struct mc_calendar *cal)
{
	struct strbuf text = STRBUF_INIT, errs = STRBUF_INIT;
	int rc = CLI_OK;
	if (files_read(path, &text)) {
		rc = cli_bad("không đọc được tệp lịch nghỉ %s: %s", path, strerror(errno));
		goto out;
	}
	int nbad = mc_calendar_parse(cal, text.buf, path, &errs);
	if (nbad) {
		fputs(errs.buf, stderr);
		rc = cli_bad("tệp lịch nghỉ %s có %d dòng sai; chưa tính ngày hẹn", path, nbad);
		goto out;
	}
	calendar_fill_defaults(cal);
out:
	strbuf_release(&text);
	strbuf_release(&errs);
	return rc;
}

static int load_store_calendar(const char *db_opt, struct mc_calendar *cal)
{
	char *path = cli_db_path(db_opt);
	struct stat sb;
	int rc = CLI_OK;
	if (stat(path, &sb) && errno == ENOENT) {
		fprintf(stderr, "motcua: chưa có kho dữ liệu %s; dùng lịch nghỉ lễ tính theo"
				" Bộ luật Lao động 2019 (Điều 112)\n", path);
		calendar_fill_defaults(cal);
		free(path);
		return CLI_OK;
	}
	struct store st;
	struct strbuf err = STRBUF_INIT;
	if (store_open(&st, path, 0, &err)) {
		rc = cli_fault("%s", err.buf);
	} else {
		if (calendar_load_store(&st, cal, &err))
			rc = cli_fault("%s", err.buf);
		store_close(&st);
	}
	strbuf_release(&err);
	free(path);
	return rc;
}

int cli_due(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return usage();

	struct due_opts o = { 0 };
	int rc = parse_args(argc, argv, &o);
	if (rc)
		return rc;

	struct mc_dt from;
	if (!o.from)
		return cli_bad("thiếu --from YYYY-MM-DDTHH:MM (thời điểm tiếp nhận)");
	if (mc_parse_dt(o.from, &from))
		return cli_bad("thời điểm tiếp nhận «%s» không hợp lệ: cần dạng YYYY-MM-DDTHH:MM"
			       " có thật, ví dụ 2023-10-27T09:32", o.from);
	if (from.y < CALENDAR_DEFAULT_FIRST_YEAR || from.y >= CALENDAR_DEFAULT_LAST_YEAR)
		return cli_bad("năm tiếp nhận %d ngoài phạm vi hỗ trợ (%d-%d)", from.y,
			       CALENDAR_DEFAULT_FIRST_YEAR, CALENDAR_DEFAULT_LAST_YEAR - 1);
	if (o.days && o.hours)
		return cli_bad("chỉ dùng một trong hai: --days hoặc --hours");
	if (!o.days && !o.hours)
		return cli_bad("thiếu --days N (số ngày làm việc) hoặc --hours H (số giờ làm việc)");
	long amount = o.days ? parse_count(o.days, MAX_DAYS) : parse_count(o.hours, MAX_HOURS);
	if (amount < 0)
		return o.days ? cli_bad("số ngày «%s» không hợp lệ: cần số nguyên từ 0 đến %d", o.days,
					MAX_DAYS)
			      : cli_bad("số giờ «%s» không hợp lệ: cần số nguyên từ 0 đến %d", o.hours,
					MAX_HOURS);

	struct mc_calendar cal;
	mc_calendar_init(&cal);
	struct strbuf err = STRBUF_INIT;
	if (o.holidays)
		rc = load_file_calendar(o.holidays, &cal);
	else
		rc = load_store_calendar(o.db, &cal);
	if (!rc && o.office_hours && mc_calendar_parse_hours(&cal, o.office_hours, &err))
		rc = cli_bad("--office-hours: %s", err.buf);
	if (!rc && o.cutoff && mc_calendar_set_cutoff(&cal, o.cutoff, &err))
		rc = cli_bad("--cutoff: %s", err.buf);
	if (!rc) {
		struct mc_dt due;
		enum mc_time_unit unit = o.days ? MC_UNIT_DAYS : MC_UNIT_HOURS;
		if (mc_appointment(&cal, &from, (int)amount, unit, &due)) {
			rc = cli_bad("không tính được ngày hẹn: lịch không có ngày làm việc nào");
		} else {
			char buf[32];
			mc_format_dt(buf, sizeof buf, &due);
			printf("%s\n", buf);
		}
	}
	strbuf_release(&err);
	mc_calendar_release(&cal);
	return rc;
}
