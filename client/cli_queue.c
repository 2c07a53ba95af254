/* motcua queue overdue|due-today|due-soon|waiting|ready [--unit CODE] [--db PATH]
 *
 * The supervisor's queues as JSON lines, nearest appointment first:
 * {"code","applicant","procedure","unit","clerk"... } — the same row fields
 * as `motcua search` ({"code","applicant","id_number","procedure",
 * "procedure_name","unit","status","received_at","appointment"}). */
#include "client/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "client/clock.h"
#include "client/dossier_query.h"
#include "client/indicators.h"
#include "client/store.h"
#include "core/xalloc.h"

#define PAGE 500

static int usage(void)
{
	fputs("Cách dùng: motcua queue overdue|due-today|due-soon|waiting|ready [--unit MÃ_ĐƠN_VỊ]"
	      " [--db ĐƯỜNG_DẪN]\n"
	      "  overdue    quá hạn          due-today  đến hạn hôm nay\n"
	      "  due-soon   đến hạn trong 2 ngày làm việc\n"
	      "  waiting    chờ bổ sung      ready      có kết quả, chưa trả\n",
	      stdout);
	return CLI_OK;
}

static json_t *jstr(const char *s)
{
	json_t *j = s ? json_string(s) : NULL;
	return j ? j : json_null();
}

static void print_row(const struct dossier_row *r)
{
	json_t *o = json_object();
	json_object_set_new(o, "code", jstr(r->code));
	json_object_set_new(o, "applicant", jstr(r->applicant_name));
	json_object_set_new(o, "id_number", jstr(r->id_number));
	json_object_set_new(o, "procedure", jstr(r->procedure_code));
	json_object_set_new(o, "procedure_name", jstr(r->procedure_name));
	json_object_set_new(o, "unit", jstr(r->unit_code));
	json_object_set_new(o, "status", json_integer(r->status));
	json_object_set_new(o, "received_at", jstr(r->received_at));
	json_object_set_new(o, "appointment", jstr(r->appointment));
	json_dumpf(o, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(o);
}

static int list(struct store *st, const struct dossier_filter *f, struct strbuf *err)
{
	struct dossier_rows rows;
	struct dossier_key key;
	int have_key = 0, n;
	dossier_rows_init(&rows);
	do {
		dossier_rows_release(&rows);
		n = dossier_list_after(st, f, have_key ? &key : NULL, PAGE, &rows, err);
		for (size_t i = 0; n > 0 && i < rows.n; i++)
			print_row(&rows.v[i]);
		if (n > 0) {
			dossier_row_key(&rows.v[rows.n - 1], f->order, &key);
			have_key = 1;
		}
	} while (n == PAGE);
	dossier_rows_release(&rows);
	return n < 0 ? -1 : 0;
}

int cli_queue(int argc, char **argv)
{
	const char *which = NULL, *db = NULL, *unit = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h"))
			return usage();
		if (!strcmp(a, "--db") || !strcmp(a, "--unit")) {
			if (i + 1 >= argc || !*argv[i + 1])
				return cli_bad("tùy chọn %s cần một giá trị", a);
			*(a[2] == 'd' ? &db : &unit) = argv[++i];
		} else if (!strncmp(a, "--db=", 5) && a[5]) {
			db = a + 5;
		} else if (!strncmp(a, "--unit=", 7) && a[7]) {
			unit = a + 7;
		} else if (a[0] == '-' || which) {
			return cli_bad("không hiểu «%s» (xem: motcua queue --help)", a);
		} else {
			which = a;
		}
	}
	if (!which)
		return cli_bad("cần tên hàng đợi: overdue, due-today, due-soon, waiting hoặc ready");
	enum supervisor_queue q = supervisor_queue_from_arg(which);
	if (q == SQ_COUNT)
		return cli_bad("không có hàng đợi «%s»: chọn overdue, due-today, due-soon, waiting"
			       " hoặc ready", which);
	if (unit && !mc_indicator_key_valid(unit))
		return cli_bad("mã đơn vị «%s» không hợp lệ", unit);

	struct mc_dt now;
	if (clock_now(&now))
		return cli_bad("MOTCUA_NOW không hợp lệ: cần dạng YYYY-MM-DDTHH:MM");
	char *path = cli_db_path(db);
	struct store st;
	struct strbuf err = STRBUF_INIT;
	int rc = CLI_OK;
	if (store_open(&st, path, STORE_READONLY, &err)) {
		rc = access(path, F_OK) ? cli_bad("%s", err.buf) : cli_fault("%s", err.buf);
		goto out;
	}
	struct dossier_filter f;
	dossier_filter_init(&f, &now);
	f.unit_code = unit;
	if (supervisor_queue_filter(&st, q, &now, &f, &err) || list(&st, &f, &err))
		rc = cli_fault("%s", err.buf);
	else if (fflush(stdout) || ferror(stdout))
		rc = cli_fault("không ghi được kết quả: %s", strerror(errno));
	store_close(&st);
out:
	strbuf_release(&err);
	free(path);
	return rc;
}
