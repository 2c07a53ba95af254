/* SPDX-License-Identifier: GPL-3.0-or-later */
/* motcua queue overdue|due-today|due-soon|waiting|ready [--unit CODE]
 *   [--clerk USER] [--text WORDS] [--sort due|received|clerk|procedure] [--db PATH]
 *
 * The supervisor's queues as JSON lines, nearest appointment first (or as
 * --sort says): the same row fields as `motcua search` ({"code",
 * "applicant","id_number","procedure","procedure_name","unit","status",
 * "received_at","appointment"}) plus "clerk" and "clerk_name", the clerk in
 * charge (after any reassignment). The filters and orders are those of the
 * supervisor's queue screen (client/store/supervision.h). */
#include "client/cli/cli.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "client/base/clock.h"
#include "client/store/dossier_query.h"
#include "client/store/indicators.h"
#include "client/store/supervision.h"
#include "client/store/store.h"
#include "core/text.h"
#include "core/xalloc.h"

static int usage(void)
{
	fputs("Cách dùng: motcua queue overdue|due-today|due-soon|waiting|ready [--unit MÃ_ĐƠN_VỊ]\n"
	      "         [--clerk CÁN_BỘ] [--text CHỮ] [--sort due|received|clerk|procedure]\n"
	      "         [--db ĐƯỜNG_DẪN]\n"
	      "  overdue    quá hạn          due-today  đến hạn hôm nay\n"
	      "  due-soon   đến hạn trong 2 ngày làm việc\n"
	      "  waiting    chờ bổ sung      ready      có kết quả, chưa trả\n"
	      "  --clerk    chỉ hồ sơ do cán bộ này phụ trách\n"
	      "  --text     mọi từ phải có trong mã, tên người nộp, thủ tục hoặc cán bộ (không dấu)\n"
	      "  --sort     due: hạn trả gần nhất trước (mặc định); received: nhận sớm nhất trước;\n"
	      "             clerk: theo tên cán bộ; procedure: theo mã thủ tục\n",
	      stdout);
	return CLI_OK;
}

static json_t *jstr(const char *s)
{
	json_t *j = s ? json_string(s) : NULL;
	return j ? j : json_null();
}

static void print_item(const struct queue_item *it)
{
	const struct dossier_row *r = &it->row;
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
	json_object_set_new(o, "clerk", jstr(it->clerk));
	json_object_set_new(o, "clerk_name", jstr(it->clerk_name));
	json_dumpf(o, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(o);
}

static int list(struct store *st, enum supervisor_queue q, const struct mc_dt *now,
		const char *unit, const struct queue_view_filter *f, enum queue_sort sort,
		struct strbuf *err)
{
	struct queue_items items;
	if (queue_items_load(st, q, now, unit, SIZE_MAX, &items, err)) {
		queue_items_release(&items);
		return -1;
	}
	size_t *idx;
	size_t n = queue_select(&items, f, sort, &idx);
	for (size_t i = 0; i < n; i++)
		print_item(&items.v[idx[i]]);
	free(idx);
	queue_items_release(&items);
	return 0;
}

int cli_queue(int argc, char **argv)
{
	const char *which = NULL, *db = NULL, *unit = NULL, *clerk = NULL, *text = NULL;
	const char *sort_arg = NULL;
	struct {
		const char *flag;
		const char **value;
	} opts[] = { { "--db", &db }, { "--unit", &unit }, { "--clerk", &clerk },
		     { "--text", &text }, { "--sort", &sort_arg } };
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h"))
			return usage();
		size_t k = 0, nopts = sizeof(opts) / sizeof(opts[0]);
		const char *value = NULL;
		int r = 0;
		while (k < nopts && !(r = cli_option(argc, argv, &i, opts[k].flag, &value)))
			k++;
		if (k < nopts) {
			if (r < 0 || !*value)
				return cli_bad("tùy chọn %s cần một giá trị", opts[k].flag);
			*opts[k].value = value;
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
	if (clerk && !mc_indicator_key_valid(clerk))
		return cli_bad("tên đăng nhập cán bộ «%s» không hợp lệ", clerk);
	if (text && !mc_text_valid(text))
		return cli_bad("--text chứa byte không phải UTF-8");
	enum queue_sort sort = sort_arg ? queue_sort_from_arg(sort_arg) : QS_due;
	if (sort == QS_COUNT)
		return cli_bad("không sắp xếp được theo «%s»: chọn due, received, clerk hoặc procedure",
			       sort_arg);

	struct mc_dt now;
	if (clock_now(&now))
		return cli_bad("MOTCUA_NOW không hợp lệ: cần dạng YYYY-MM-DDTHH:MM");
	struct store st;
	struct strbuf err = STRBUF_INIT;
	int rc = CLI_OK;
	if ((rc = cli_open_store(&st, db, STORE_READONLY, true)))
		goto out;
	struct queue_view_filter f = { clerk, NULL, text };
	if (list(&st, q, &now, unit, &f, sort, &err))
		rc = cli_fault("%s", err.buf);
	else if (fflush(stdout) || ferror(stdout))
		rc = cli_fault("không ghi được kết quả: %s", strerror(errno));
	store_close(&st);
out:
	strbuf_release(&err);
	return rc;
}
