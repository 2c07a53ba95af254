/* SPDX-License-Identifier: GPL-3.0-or-later */
/* motcua indicators [--unit CODE] [--clerk USER] --from DATE --to DATE
 *   [--csv FILE [--weeks N]] [--db PATH]
 *
 * The Decision 766 indicators over the local store, as one JSON line:
 * {"from","to","unit","clerk","indicators":[{"id","name","numerator",
 * "denominator","percent"}]} (docs/indicators.md). --csv also writes them
 * to FILE with the weekly trend of the N weeks (default 8) up to --to, as
 * the supervisor's screen exports them (client/store/supervision.h). */
#include "client/cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <stdbool.h>
#include <sys/stat.h>

#include "client/store/indicators.h"
#include "client/store/visit.h"
#include "client/store/supervision.h"
#include "client/store/store.h"
#include "core/xalloc.h"

static int usage(void)
{
	fputs("Cách dùng: motcua indicators --from YYYY-MM-DD --to YYYY-MM-DD [--unit MÃ_ĐƠN_VỊ]"
	      " [--clerk CÁN_BỘ]\n"
	      "         [--csv TỆP [--weeks N]] [--db ĐƯỜNG_DẪN]\n"
	      "In các chỉ số phục vụ (Quyết định 766/QĐ-TTg) dạng JSON: tử số, mẫu số, tỷ lệ.\n"
	      "--csv ghi thêm ra TỆP (CSV, UTF-8) kèm xu hướng N tuần (mặc định 8, 0 đến 53)\n"
	      "đến hết tuần có ngày --to.\n",
	      stdout);
	return CLI_OK;
}

int cli_indicators(int argc, char **argv)
{
	const char *from = NULL, *to = NULL, *unit = NULL, *clerk = NULL, *db = NULL;
	const char *csv = NULL, *weeks_arg = NULL;
	static const char *const names[] = { "--from", "--to", "--unit", "--clerk", "--db",
					     "--csv", "--weeks" };
	const char **slots[] = { &from, &to, &unit, &clerk, &db, &csv, &weeks_arg };
	const int nnames = (int)(sizeof(names) / sizeof(names[0]));
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return usage();
		const char *v = NULL;
		int k = cli_options(argc, argv, &i, names, (size_t)nnames, &v);
		if (k < 0)
			return CLI_BADINPUT;
		if (k < nnames && !*v)
			return cli_bad("tùy chọn %s cần một giá trị", names[k]);
		if (k < nnames)
			*slots[k] = v;
		else
			return cli_bad("không hiểu tùy chọn «%s» (xem: motcua indicators --help)", argv[i]);
	}
	if (!from || !to)
		return cli_bad("cần --from YYYY-MM-DD và --to YYYY-MM-DD (kỳ tính chỉ số)");
	if (unit && !mc_indicator_key_valid(unit))
		return cli_bad("mã đơn vị «%s» không hợp lệ", unit);
	if (clerk && !mc_indicator_key_valid(clerk))
		return cli_bad("tên cán bộ «%s» không hợp lệ", clerk);
	int weeks = 8;
	if (weeks_arg) {
		char *end;
		long w = strtol(weeks_arg, &end, 10);
		if (!csv)
			return cli_bad("--weeks chỉ dùng cùng --csv");
		if (*end || end == weeks_arg || w < 0 || w > 53)
			return cli_bad("--weeks cần một số từ 0 đến 53 (gặp «%.20s»)", weeks_arg);
		weeks = (int)w;
	}
	struct strbuf err = STRBUF_INIT;
	struct mc_ind_period p;
	if (mc_ind_period_parse(&p, from, to, &err)) {
		int rc = cli_bad("%s", err.buf);
		strbuf_release(&err);
		return rc;
	}

	if (csv) {
		char *dir = xstrdup(csv), *slash = strrchr(dir, '/');
		if (slash)
			*(slash == dir ? slash + 1 : slash) = '\0';
		struct stat sb;
		bool ok = !slash || (stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode));
		free(dir);
		if (!ok)
			return cli_bad("không có thư mục để ghi tệp CSV %s", csv);
	}
	char *path = cli_db_path(db);
	struct store st;
	int rc = CLI_OK;
	if (store_open(&st, path, STORE_READONLY, &err)) {
		rc = access(path, F_OK) ? cli_bad("%s", err.buf) : cli_fault("%s", err.buf);
		goto out;
	}
	struct mc_indicator_value v[MC_IND_COUNT];
	if (indicators_compute(&st, &p, unit, clerk, v, &err)) {
		rc = cli_fault("%s", err.buf);
	} else {
		struct mc_ind_period wp[53];
		struct mc_indicator_value wv[53][MC_IND_COUNT];
		if (csv && (indicators_trend(&st, p.to, weeks, unit, clerk, wp, wv, &err) ||
			    indicators_write_csv(csv, &p, unit, clerk, v, weeks, wp,
						 (const struct mc_indicator_value (*)[MC_IND_COUNT])wv,
						 &err))) {
			rc = cli_fault("%s", err.buf);
			store_close(&st);
			goto out;
		}
		struct visit_counts vc;
		if (visit_count_clerk(&st, unit, clerk, p.lo, p.hi, &vc)) {
			rc = cli_fault("không đọc được các lượt tiếp công dân");
			store_close(&st);
			goto out;
		}
		struct strbuf json = STRBUF_INIT;
		mc_indicators_json_visits(&json, &p, unit, clerk, v, vc.refused, vc.guided);
		printf("%s\n", json.buf);
		strbuf_release(&json);
		if (fflush(stdout) || ferror(stdout))
			rc = cli_fault("không ghi được kết quả: %s", strerror(errno));
	}
	store_close(&st);
out:
	strbuf_release(&err);
	free(path);
	return rc;
}
