/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A queue's dossiers with their clerk in charge, sorted and filtered; the
 * indicators' weekly trend and CSV. See client/store/supervision.h. */
#include "client/store/supervision.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client/store/dossier_query.h"
#include "core/text.h"
#include "core/xalloc.h"

#define PAGE 500

/* ---- a queue's dossiers ------------------------------------------------------ */

static void item_release(struct queue_item *it)
{
	FREE(&it->row.code);
	FREE(&it->row.applicant_name);
	FREE(&it->row.id_number);
	FREE(&it->row.procedure_code);
	FREE(&it->row.procedure_name);
	FREE(&it->row.unit_code);
	FREE(&it->clerk);
	FREE(&it->clerk_name);
	FREE(&it->fold);
}

void queue_items_release(struct queue_items *q)
{
	for (size_t i = 0; i < q->n; i++)
		item_release(&q->v[i]);
	FREE(&q->v);
	q->n = 0;
	q->truncated = false;
}

static const char clerk_sql[] =
	"SELECT " DOSSIER_CLERK_IN_CHARGE ", coalesce(c.full_name, " DOSSIER_CLERK_IN_CHARGE ")"
	" FROM dossiers d LEFT JOIN dossier_assignments da ON da.dossier_id = d.id"
	" LEFT JOIN clerks c ON c.username = " DOSSIER_CLERK_IN_CHARGE " WHERE d.rowid = ?";

/* Takes the row (its strings move to the item) and finds its clerk. */
static void add_item(struct queue_items *q, struct dossier_row *row, sqlite3_stmt *who)
{
	q->v = xrealloc(q->v, (q->n + 1) * sizeof(*q->v));
	struct queue_item *it = &q->v[q->n++];
	memset(it, 0, sizeof(*it));
	it->row = *row;
	memset(row, 0, sizeof(*row));
	sqlite3_bind_int64(who, 1, it->row.rowid);
	if (sqlite3_step(who) == SQLITE_ROW) {
		it->clerk = xstrdup((const char *)sqlite3_column_text(who, 0));
		it->clerk_name = xstrdup((const char *)sqlite3_column_text(who, 1));
	} else {
		it->clerk = xstrdup("");
		it->clerk_name = xstrdup("");
	}
	sqlite3_reset(who);
	char *all = xasprintf("%s %s %s %s %s %s", it->row.code, it->row.applicant_name,
			      it->row.procedure_code, it->row.procedure_name, it->clerk,
			      it->clerk_name);
	it->fold = mc_text_fold(all);
	free(all);
}

int queue_items_load(struct store *st, enum supervisor_queue q, const struct mc_dt *now,
		     const char *unit, size_t max, struct queue_items *out, struct strbuf *err)
{
	memset(out, 0, sizeof(*out));
	struct dossier_filter f;
	dossier_filter_init(&f, now);
	if (supervisor_queue_filter(st, q, now, &f, err))
		return -1;
	f.unit_code = unit;
	sqlite3_stmt *who = store_prepare(st, clerk_sql);
	if (!who) {
		strbuf_addstr(err, "không đọc được cán bộ phụ trách hồ sơ");
		return -1;
	}
	struct dossier_rows rows;
	struct dossier_key key;
	bool have_key = false;
	int n;
	dossier_rows_init(&rows);
	do {
		n = dossier_list_after(st, &f, have_key ? &key : NULL, PAGE, &rows, err);
		if (n > 0) {
			dossier_row_key(&rows.v[rows.n - 1], f.order, &key);
			have_key = true;
		}
		for (size_t i = 0; n > 0 && i < rows.n; i++) {
			if (out->n == max) {
				out->truncated = true;
				break;
			}
			add_item(out, &rows.v[i], who);
		}
		dossier_rows_release(&rows);
	} while (n == PAGE && !out->truncated);
	sqlite3_finalize(who);
	return n < 0 ? -1 : 0;
}

static const char *const sort_names[] = {
#define QS_NAME(id, name) name,
	QUEUE_SORTS(QS_NAME)
#undef QS_NAME
};
static const char *const sort_args[] = {
#define QS_ARG(id, name) #id,
	QUEUE_SORTS(QS_ARG)
#undef QS_ARG
};

const char *queue_sort_name(enum queue_sort s)
{
	return (unsigned)s < QS_COUNT ? sort_names[s] : NULL;
}

enum queue_sort queue_sort_from_arg(const char *arg)
{
	for (int i = 0; i < QS_COUNT; i++)
		if (arg && !strcmp(arg, sort_args[i]))
			return (enum queue_sort)i;
	return QS_COUNT;
}

struct sort_ctx {
	const struct queue_items *q;
	enum queue_sort s;
	char **keys; /* folded clerk names, for QS_clerk */
};

static int compare(const void *a, const void *b, void *data)
{
	const struct sort_ctx *c = data;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	const struct queue_item *x = &c->q->v[i], *y = &c->q->v[j];
	int r = 0;
	switch (c->s) {
	case QS_received:
		r = strcmp(x->row.received_at, y->row.received_at);
		break;
	case QS_clerk:
		r = strcmp(c->keys[i], c->keys[j]);
		if (!r)
			r = strcmp(x->clerk, y->clerk);
		break;
	case QS_procedure:
		r = strcmp(x->row.procedure_code, y->row.procedure_code);
		break;
	default:
		break;
	}
	if (!r)
		r = strcmp(x->row.appointment, y->row.appointment);
	if (!r)
		r = strcmp(x->row.code, y->row.code);
	return r;
}

static bool blank(const char *s)
{
	return !s || !*s;
}

/* Every word of the folded text occurs in hay. */
static bool words_in(const char *words, const char *hay)
{
	const char *p = words;
	while (*p) {
		while (*p == ' ')
			p++;
		size_t n = strcspn(p, " ");
		if (!n)
			break;
		char *w = xstrndup(p, n);
		bool found = strstr(hay, w) != NULL;
		free(w);
		if (!found)
			return false;
		p += n;
	}
	return true;
}

size_t queue_select(const struct queue_items *q, const struct queue_view_filter *f,
		    enum queue_sort s, size_t **out)
{
	*out = NULL;
	if (!q->n)
		return 0;
	char *text = blank(f->text) ? NULL : mc_text_fold(f->text);
	size_t *idx = xmalloc(q->n * sizeof(*idx)), n = 0;
	for (size_t i = 0; i < q->n; i++) {
		const struct queue_item *it = &q->v[i];
		if (!blank(f->clerk) && strcmp(it->clerk, f->clerk))
			continue;
		if (!blank(f->unit) && strcmp(it->row.unit_code, f->unit))
			continue;
		if (text && !words_in(text, it->fold))
			continue;
		idx[n++] = i;
	}
	free(text);
	struct sort_ctx c = { q, s, NULL };
	if (s == QS_clerk) {
		c.keys = xcalloc(q->n, sizeof(*c.keys));
		for (size_t i = 0; i < n; i++)
			c.keys[idx[i]] = mc_text_fold(q->v[idx[i]].clerk_name);
	}
	qsort_r(idx, n, sizeof(*idx), compare, &c);
	if (c.keys) {
		for (size_t i = 0; i < q->n; i++)
			free(c.keys[i]);
		free(c.keys);
	}
	if (!n)
		FREE(&idx);
	*out = idx;
	return n;
}

/* ---- the weekly trend and the CSV ------------------------------------------ */

static void date_of(long days, char *buf, size_t n)
{
	int y, m, d;
	mc_civil_from_days(days, &y, &m, &d);
	mc_format_date(buf, n, y, m, d);
}

int indicators_trend(struct store *st, const char *last_day, int weeks, const char *unit,
		     const char *clerk, struct mc_ind_period *periods,
		     struct mc_indicator_value (*values)[MC_IND_COUNT], struct strbuf *err)
{
	struct mc_date last;
	if (mc_parse_date(last_day, &last)) {
		strbuf_addf(err, "ngày «%.20s» không hợp lệ", last_day);
		return -1;
	}
	long day = mc_days_from_civil(last.y, last.m, last.d);
	long monday = day - (mc_weekday(day) + 6) % 7 - 7L * (weeks - 1);
	for (int i = 0; i < weeks; i++, monday += 7) {
		char from[16], to[16];
		date_of(monday, from, sizeof(from));
		date_of(monday + 6, to, sizeof(to));
		if (mc_ind_period_parse(&periods[i], from, to, err) ||
		    indicators_compute(st, &periods[i], unit, clerk, values[i], err))
			return -1;
	}
	return 0;
}

void indicators_sparkline(char *buf, size_t n, const struct mc_indicator_value *v, int count)
{
	static const char *const blocks[] = { "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "");
	for (int i = 0; i < count; i++) {
		int pm = mc_indicator_permille(&v[i]);
		strbuf_addstr(&sb, pm < 0 ? "·" : blocks[(pm * 7 + 500) / 1000]);
	}
	snprintf(buf, n, "%s", sb.buf);
	strbuf_release(&sb);
}

static void csv_field(struct strbuf *sb, const char *s, bool last)
{
	strbuf_addch(sb, '"');
	for (const char *p = s ? s : ""; *p; p++) {
		if (*p == '"')
			strbuf_addch(sb, '"');
		strbuf_addch(sb, *p);
	}
	strbuf_addstr(sb, last ? "\"\r\n" : "\",");
}

static void csv_rows(struct strbuf *sb, const struct mc_ind_period *p, const char *unit,
		     const char *clerk, const struct mc_indicator_value v[MC_IND_COUNT])
{
	for (int i = 0; i < MC_IND_COUNT; i++) {
		char num[32], den[32], pct[16];
		snprintf(num, sizeof(num), "%lld", v[i].numerator);
		snprintf(den, sizeof(den), "%lld", v[i].denominator);
		mc_indicator_format_percent(pct, sizeof(pct), &v[i]);
		const char *fields[] = { p->from, p->to, unit ? unit : "", clerk ? clerk : "",
					 mc_indicator_id(i), mc_indicator_name(i), num, den,
					 strcmp(pct, "-") ? pct : "" };
		for (size_t k = 0; k < 9; k++)
			csv_field(sb, fields[k], k == 8);
	}
}

static int write_file(const char *path, const char *data, size_t len, struct strbuf *err)
{
	char *tmp = xasprintf("%s.tmp", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int e = fd < 0 ? errno : 0;
	while (!e && len > 0) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			e = n < 0 ? errno : ENOSPC;
			break;
		}
		data += n;
		len -= (size_t)n;
	}
	if (fd >= 0) {
		if (!e && fsync(fd))
			e = errno;
		if (close(fd) && !e)
			e = errno;
	}
	if (!e && rename(tmp, path))
		e = errno;
	if (e) {
		if (fd >= 0)
			unlink(tmp);
		strbuf_addf(err, "không ghi được tệp %s: %s", path, strerror(e));
	}
	free(tmp);
	return e ? -1 : 0;
}

int indicators_write_csv(const char *path, const struct mc_ind_period *p, const char *unit,
			 const char *clerk, const struct mc_indicator_value v[MC_IND_COUNT],
			 int weeks, const struct mc_ind_period *wp,
			 const struct mc_indicator_value (*wv)[MC_IND_COUNT], struct strbuf *err)
{
	static const char *const heads[] = { "Từ ngày", "Đến ngày", "Đơn vị", "Cán bộ",
					     "Mã chỉ tiêu", "Chỉ tiêu", "Tử số", "Mẫu số",
					     "Tỷ lệ (%)" };
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "\xef\xbb\xbf"); /* BOM: Excel reads the file as UTF-8 */
	for (size_t k = 0; k < 9; k++)
		csv_field(&sb, heads[k], k == 8);
	csv_rows(&sb, p, unit, clerk, v);
	for (int w = 0; w < weeks; w++)
		csv_rows(&sb, &wp[w], unit, clerk, wv[w]);
	int rc = write_file(path, sb.buf, sb.len, err);
	strbuf_release(&sb);
	return rc;
}

char *supervision_export_dir(const char *db_path)
{
	const char *slash = strrchr(db_path, '/');
	if (!slash)
		return xstrdup("exports");
	if (slash == db_path)
		return xstrdup("/exports");
	return xasprintf("%.*s/exports", (int)(slash - db_path), db_path);
}
