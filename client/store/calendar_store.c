/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "client/store/calendar_store.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/lunar.h"

void calendar_fill_defaults(struct mc_calendar *cal)
{
	mc_calendar_fill_statutory(cal, CALENDAR_DEFAULT_FIRST_YEAR, CALENDAR_DEFAULT_LAST_YEAR);
}

int calendar_load_days(struct store *st, struct mc_calendar *cal, struct strbuf *err)
{
	sqlite3_stmt *q = store_prepare(st, "SELECT date, kind, name FROM holidays ORDER BY date");
	int rc = 0;
	int step = sqlite3_step(q);
	for (; step == SQLITE_ROW; step = sqlite3_step(q)) {
		const char *date = (const char *)sqlite3_column_text(q, 0);
		const char *kind = (const char *)sqlite3_column_text(q, 1);
		const char *name = (const char *)sqlite3_column_text(q, 2);
		struct mc_date d;
		if (!date || mc_parse_date(date, &d)) {
			strbuf_addf(err, "lịch nghỉ trong kho dữ liệu có ngày không hợp lệ «%s»",
				    date ? date : "");
			rc = -1;
			break;
		}
		/* The schema's CHECK allows only 'off' and 'work'. */
		enum mc_day_kind k = kind && kind[0] == 'w' ? MC_DAY_WORK : MC_DAY_OFF;
		mc_calendar_set_day(cal, mc_days_from_civil(d.y, d.m, d.d), k, name);
	}
	if (!rc && step != SQLITE_DONE) {
		strbuf_addf(err, "không đọc được lịch nghỉ: %s", store_errmsg_vn(step));
		rc = -1;
	}
	sqlite3_finalize(q);
	return rc;
}

int calendar_load_store(struct store *st, struct mc_calendar *cal, struct strbuf *err)
{
	if (calendar_load_days(st, cal, err))
		return -1;
	char *hours = store_get_setting(st, "office_hours");
	char *cutoff = store_get_setting(st, "cutoff");
	int rc = 0;
	struct strbuf why = STRBUF_INIT;
	if (hours && mc_calendar_parse_hours(cal, hours, &why)) {
		strbuf_addf(err, "cài đặt giờ làm việc (office_hours) trong kho dữ liệu sai: %s", why.buf);
		rc = -1;
	} else if (cutoff && mc_calendar_set_cutoff(cal, cutoff, &why)) {
		strbuf_addf(err, "cài đặt giờ chốt (cutoff) trong kho dữ liệu sai: %s", why.buf);
		rc = -1;
	}
	strbuf_release(&why);
	free(hours);
	free(cutoff);
	if (!rc)
		calendar_fill_defaults(cal);
	return rc;
}

int calendar_save_store(struct store *st, const struct mc_calendar *cal, struct strbuf *err)
{
	if (store_exec(st, "DELETE FROM holidays", err))
		return -1;
	sqlite3_stmt *q = store_prepare(st, "INSERT INTO holidays(date, kind, name) VALUES (?, ?, ?)");
	int rc = 0;
	for (size_t i = 0; i < cal->ndays && !rc; i++) {
		const struct mc_day_override *o = &cal->days[i];
		int y, m, d;
		char date[16];
		mc_civil_from_days(o->day, &y, &m, &d);
		mc_format_date(date, sizeof date, y, m, d);
		sqlite3_bind_text(q, 1, date, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(q, 2, o->kind == MC_DAY_WORK ? "work" : "off", -1, SQLITE_STATIC);
		if (o->name)
			sqlite3_bind_text(q, 3, o->name, -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(q, 3);
		int step = sqlite3_step(q);
		if (step != SQLITE_DONE) {
			strbuf_addf(err, "không ghi được lịch nghỉ: %s", store_errmsg_vn(step));
			rc = -1;
		}
		sqlite3_reset(q);
	}
	sqlite3_finalize(q);
	if (rc)
		return -1;
	char hours[64], cutoff[8];
	mc_calendar_format_hours(cal, hours, sizeof hours);
	snprintf(cutoff, sizeof cutoff, "%02d:%02d", cal->cutoff / 60 % 100, cal->cutoff % 60);
	if (store_set_setting(st, "office_hours", hours, err) ||
	    store_set_setting(st, "cutoff", cutoff, err))
		return -1;
	return 0;
}
