/* SPDX-License-Identifier: GPL-3.0-or-later */
/* motcua doctor [--json] [--db PATH]
 *
 * Checks the workstation, each check with a Vietnamese account and, when it
 * fails, how to fix it: the reference data files, the store (opens, PRAGMA
 * quick_check, a receiving unit), free disk beside the store, the scanners
 * SANE finds (the program's own `scan --list` in a child process with a
 * time limit: a network backend that hangs cannot hang the doctor), OCR
 * (tesseract with its Vietnamese data, pdftoppm), CUPS and the printer set,
 * the sync server (GET /healthz) and the clock's offset from the server's.
 * A check is ok, warn (works, but worth a look), fail, or skip (nothing to
 * check: no printer set, no server logged in to).
 *
 * Prints one line per check, or with --json {"healthy", "checks": [{"name",
 * "status", "message", "fix"}]}. Exit 0 when no check failed, 1 when any
 * did, 2 for bad options. */
#include "client/cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "client/base/datadir.h"
#include "client/base/proc.h"
#include "client/print/print.h"
#include "client/store/backup.h"
#include "client/store/import.h"
#include "client/store/store.h"
#include "core/calendar.h"
#include "core/datetime.h"
#include "sync/http.h"
#include "sync/sync.h"

#define DISK_FAIL_MB 200
#define DISK_WARN_MB 1024
#define CLOCK_WARN_S 30
#define CLOCK_FAIL_S 120
#define SCAN_TIMEOUT_MS 30000
#define TOOL_TIMEOUT_MS 15000

enum status { ST_OK, ST_WARN, ST_FAIL, ST_SKIP };
static const char *const status_names[] = { "ok", "warn", "fail", "skip" };
static const char *const status_marks[] = { "[ đạt ]", "[ lưu ý ]", "[ LỖI ]", "[ bỏ qua ]" };

struct check {
	const char *name;
	enum status status;
	char *message, *fix;
};

struct doctor {
	struct check v[16];
	int n;
	const char *db;
};

static void add(struct doctor *d, const char *name, enum status st, char *message, char *fix)
{
	struct check *c = &d->v[d->n++];
	c->name = name;
	c->status = st;
	c->message = message;
	c->fix = fix;
}

static void check_data(struct doctor *d)
{
	struct strbuf err = STRBUF_INIT;
	const char *dir = datadir();
	if (import_check_files(dir, &err))
		add(d, "data", ST_FAIL, xasprintf("Thiếu dữ liệu danh mục: %s", err.buf),
		    xstrdup("Cài lại gói motcua-data (hoặc make install), hoặc đặt MOTCUA_DATA"
			    " chỉ tới thư mục dữ liệu"));
	else
		add(d, "data", ST_OK, xasprintf("Dữ liệu danh mục đủ (%s)", dir), NULL);
	strbuf_release(&err);
}

/* The store: opens, is intact, knows its unit. Leaves *st open on success. */
static bool check_store(struct doctor *d, const char *path, struct store *st)
{
	struct stat sb;
	if (stat(path, &sb)) {
		add(d, "store", ST_FAIL, xasprintf("Chưa có kho dữ liệu %s", path),
		    xstrdup("Máy mới: motcua login --server URL --username TÊN (tạo kho và đồng bộ);"
			    " hoặc motcua init"));
		return false;
	}
	struct store_probe pr;
	struct strbuf err = STRBUF_INIT;
	if (store_probe_file(path, &pr, &err)) {
		add(d, "store", ST_FAIL, xasprintf("Kho dữ liệu không dùng được: %s", err.buf),
		    xstrdup("Khôi phục từ bản sao lưu: motcua restore TỆP_SAO_LƯU"));
		strbuf_release(&err);
		return false;
	}
	if (!pr.intact) {
		add(d, "store", ST_FAIL, xasprintf("Kho dữ liệu %s bị hỏng: %s", path, pr.problem),
		    xstrdup("Đóng motcua rồi khôi phục từ bản sao lưu gần nhất: motcua restore"
			    " TỆP_SAO_LƯU (sau đó motcua sync để lấy lại thay đổi từ máy chủ)"));
		store_probe_release(&pr);
		return false;
	}
	bool no_unit = !pr.unit_code || !*pr.unit_code;
	long dossiers = pr.dossiers;
	store_probe_release(&pr);
	if (store_open(st, path, STORE_READONLY, &err)) {
		add(d, "store", ST_FAIL, xasprintf("Không mở được kho dữ liệu: %s", err.buf),
		    xstrdup("Kiểm tra quyền của tệp và thư mục kho dữ liệu"));
		strbuf_release(&err);
		return false;
	}
	strbuf_release(&err);
	if (no_unit)
		add(d, "store", ST_FAIL, xasprintf("Kho dữ liệu %s nguyên vẹn nhưng máy trạm chưa"
						   " được gán đơn vị tiếp nhận", path),
		    xstrdup("motcua config set unit_code MÃ_ĐƠN_VỊ (hoặc đăng nhập máy chủ:"
			    " motcua login)"));
	else
		add(d, "store", ST_OK, xasprintf("Kho dữ liệu nguyên vẹn (%ld hồ sơ)", dossiers), NULL);
	return true;
}

static void check_disk(struct doctor *d, const char *path)
{
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*(slash == dir ? slash + 1 : slash) = '\0';
	else
		strcpy(dir, ".");
	struct statvfs vf;
	if (statvfs(dir, &vf)) {
		add(d, "disk", ST_WARN, xasprintf("Không đọc được dung lượng trống của %s", dir), NULL);
		free(dir);
		return;
	}
	long long mb = (long long)vf.f_bavail * (long long)vf.f_frsize / (1024 * 1024);
	if (mb < DISK_FAIL_MB)
		add(d, "disk", ST_FAIL, xasprintf("Ổ đĩa chứa %s chỉ còn %lld MB trống", dir, mb),
		    xasprintf("Giải phóng ổ đĩa (cần ít nhất %d MB; tệp quét và giấy tờ nằm cạnh kho)",
			      DISK_WARN_MB));
	else if (mb < DISK_WARN_MB)
		add(d, "disk", ST_WARN, xasprintf("Ổ đĩa chứa %s còn %lld MB trống", dir, mb),
		    xstrdup("Nên giải phóng ổ đĩa trước khi quét nhiều giấy tờ"));
	else
		add(d, "disk", ST_OK, xasprintf("Ổ đĩa còn %lld MB trống", mb), NULL);
	free(dir);
}

static void check_scanners(struct doctor *d)
{
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0) {
		add(d, "scanner", ST_WARN, xstrdup("Không chạy được việc dò máy quét"), NULL);
		return;
	}
	self[n] = '\0';
	const char *argv[] = { self, "scan", "--list", NULL };
	struct proc_result r;
	if (proc_run(argv, SCAN_TIMEOUT_MS, &r)) {
		if (r.timed_out)
			add(d, "scanner", ST_WARN,
			    xasprintf("SANE không trả lời sau %d giây khi dò máy quét", SCAN_TIMEOUT_MS / 1000),
			    xstrdup("Tắt và bật lại máy quét; với máy quét qua mạng, kiểm tra"
				    " /etc/sane.d/net.conf"));
		else
			add(d, "scanner", ST_WARN, xstrdup("Không dò được máy quét"), NULL);
		proc_result_release(&r);
		return;
	}
	if (r.status != 0) {
		char *line = xstrndup(r.out.buf, strcspn(r.out.buf, "\n"));
		add(d, "scanner", ST_WARN, xasprintf("SANE không dò được máy quét: %s", line),
		    xstrdup("Cài gói libsane1 và trình điều khiển của máy quét"));
		free(line);
		proc_result_release(&r);
		return;
	}
	int devices = 0;
	struct strbuf names = STRBUF_INIT;
	for (const char *p = r.out.buf; (p = strstr(p, "{\"device\":\"")); p++) {
		p += 11;
		devices++;
		strbuf_addf(&names, "%s%.*s", names.len ? ", " : "", (int)strcspn(p, "\""), p);
	}
	if (!devices)
		add(d, "scanner", ST_WARN, xstrdup("SANE không thấy máy quét nào"),
		    xstrdup("Cắm máy quét và bật lên (scanimage -L liệt kê thiết bị); vẫn nhập được"
			    " giấy tờ từ tệp"));
	else
		add(d, "scanner", ST_OK, xasprintf("Máy quét: %s", names.buf), NULL);
	strbuf_release(&names);
	proc_result_release(&r);
}

static void check_ocr(struct doctor *d)
{
	static const char *const langs[] = { "tesseract", "--list-langs", NULL };
	struct proc_result r;
	int rc = proc_run(langs, TOOL_TIMEOUT_MS, &r);
	bool vie = false;
	if (!rc)
		for (const char *p = r.out.buf; (p = strstr(p, "vie")); p += 3)
			if ((p == r.out.buf || p[-1] == '\n') && (p[3] == '\n' || !p[3]))
				vie = true;
	if (rc && r.missing)
		add(d, "ocr", ST_FAIL, xstrdup("Không có chương trình tesseract để đọc chữ giấy tờ quét"),
		    xstrdup("apt-get install tesseract-ocr tesseract-ocr-vie"));
	else if (rc)
		add(d, "ocr", ST_FAIL, xstrdup("tesseract không chạy được"),
		    xstrdup("Cài lại: apt-get install --reinstall tesseract-ocr tesseract-ocr-vie"));
	else if (!vie)
		add(d, "ocr", ST_FAIL, xstrdup("tesseract thiếu dữ liệu tiếng Việt (vie)"),
		    xstrdup(getenv("TESSDATA_PREFIX")
				    ? "apt-get install tesseract-ocr-vie, hoặc bỏ TESSDATA_PREFIX đang chỉ tới"
				      " thư mục không có vie.traineddata"
				    : "apt-get install tesseract-ocr-vie"));
	proc_result_release(&r);
	if (rc || !vie)
		return;
	static const char *const ppm[] = { "pdftoppm", "-v", NULL };
	rc = proc_run(ppm, TOOL_TIMEOUT_MS, &r);
	bool missing = rc && r.missing;
	proc_result_release(&r);
	if (missing)
		add(d, "ocr", ST_FAIL, xstrdup("Không có pdftoppm để đọc trang PDF cho OCR"),
		    xstrdup("apt-get install poppler-utils"));
	else
		add(d, "ocr", ST_OK, xstrdup("tesseract đọc được tiếng Việt"), NULL);
}

static void check_printer(struct doctor *d, struct store *st)
{
	char *printer = st ? store_get_setting(st, "printer") : NULL;
	struct strbuf err = STRBUF_INIT;
	if (!printer || !*printer) {
		struct strbuf names = STRBUF_INIT;
		if (print_printer_list(&names, &err))
			add(d, "printer", ST_SKIP, xasprintf("Chưa đặt máy in; CUPS: %s", err.buf), NULL);
		else
			add(d, "printer", ST_SKIP, xstrdup("Chưa đặt máy in: giấy tiếp nhận chỉ lưu PDF"),
			    xstrdup("motcua config set printer TÊN (xem lpstat -e)"));
		strbuf_release(&names);
	} else {
		int rc = print_printer_check(printer, &err);
		if (rc)
			add(d, "printer", ST_FAIL, xasprintf("Máy in «%s»: %s", printer, err.buf),
			    xstrdup(rc < 0 ? "apt-get install cups cups-client, bật dịch vụ cups"
					     " (systemctl enable --now cups)"
					   : "Cài máy in trong CUPS (lpadmin hoặc http://localhost:631)"
					     " hoặc đặt lại: motcua config set printer TÊN"));
		else
			add(d, "printer", ST_OK, xasprintf("Máy in «%s» có trong CUPS", printer), NULL);
	}
	strbuf_release(&err);
	free(printer);
}

/* Seconds since the epoch of "YYYY-MM-DDTHH:MM:SS+07:00"; -1 if malformed. */
static long long parse_clock(const char *s)
{
	int y, mo, dd, h, mi, sec, oh, om;
	char sign;
	if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%c%2d:%2d", &y, &mo, &dd, &h, &mi, &sec, &sign,
			 &oh, &om) != 9 || (sign != '+' && sign != '-') || !mc_date_valid(y, mo, dd))
		return -1;
	long long off = (oh * 60 + om) * 60LL * (sign == '-' ? -1 : 1);
	return mc_days_from_civil(y, mo, dd) * 86400LL + h * 3600 + mi * 60 + sec - off;
}

static void check_server(struct doctor *d, struct store *st)
{
	struct sync_config c;
	if (!st || sync_config_load(st, &c)) {
		add(d, "server", ST_SKIP, xstrdup("Chưa đăng nhập máy chủ đồng bộ: làm việc ngoại tuyến"),
		    xstrdup("motcua login --server URL --username TÊN"));
		add(d, "clock", ST_SKIP, xstrdup("Không có máy chủ để so đồng hồ"), NULL);
		if (st)
			sync_config_release(&c);
		return;
	}
	struct sync_http h;
	sync_http_init(&h, c.server_url, NULL, c.ca_file);
	struct sync_reply r;
	time_t before = time(NULL);
	int sent = sync_http_request(&h, "GET", "/healthz", NULL, &r);
	time_t after = time(NULL);
	sync_http_release(&h);
	long long srv = -1;
	if (sent) {
		add(d, "server", ST_FAIL, xasprintf("Không kết nối được máy chủ %s: %s", c.server_url,
						    r.error),
		    xstrdup("Kiểm tra mạng và địa chỉ máy chủ; vẫn tiếp nhận được ngoại tuyến,"
			    " hồ sơ được gửi khi có mạng"));
	} else if (r.status != 200) {
		add(d, "server", ST_FAIL, xasprintf("Máy chủ %s trả lời mã %ld", c.server_url, r.status),
		    xstrdup(r.status == 503 ? "Máy chủ mất kết nối cơ sở dữ liệu: báo quản trị máy chủ"
					    : "Kiểm tra địa chỉ máy chủ (motcua login --server URL ...)"));
	} else {
		json_t *o = json_loadb(r.body.buf, r.body.len, 0, NULL);
		srv = parse_clock(json_string_value(json_object_get(o, "server_clock")));
		json_decref(o);
		if (c.stopped)
			add(d, "server", ST_FAIL, xasprintf("Máy chủ %s từ chối mã đăng nhập của máy trạm",
							    c.server_url),
			    xasprintf("Đăng nhập lại: motcua login --server %s --username %s",
				      c.server_url, c.username ? c.username : "TÊN"));
		else
			add(d, "server", ST_OK, xasprintf("Máy chủ %s trả lời", c.server_url), NULL);
	}
	sync_reply_release(&r);
	if (srv < 0) {
		add(d, "clock", ST_SKIP, xstrdup("Không có giờ của máy chủ để so"), NULL);
	} else {
		long long offset = srv - (long long)(before + (after - before) / 2);
		long long a = offset < 0 ? -offset : offset;
		const char *side = offset > 0 ? "chậm hơn" : "nhanh hơn";
		if (a > CLOCK_FAIL_S)
			add(d, "clock", ST_FAIL, xasprintf("Đồng hồ máy trạm %s máy chủ %lld giây", side, a),
			    xstrdup("Bật đồng bộ giờ: timedatectl set-ntp true (hoặc cài systemd-timesyncd);"
				    " giờ tiếp nhận và hẹn trả dựa vào đồng hồ này"));
		else if (a > CLOCK_WARN_S)
			add(d, "clock", ST_WARN, xasprintf("Đồng hồ máy trạm %s máy chủ %lld giây", side, a),
			    xstrdup("Bật đồng bộ giờ: timedatectl set-ntp true"));
		else
			add(d, "clock", ST_OK, xasprintf("Đồng hồ khớp máy chủ (lệch %lld giây)", a), NULL);
	}
	sync_config_release(&c);
}

int cli_doctor(int argc, char **argv)
{
	const char *db = NULL;
	bool as_json = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			as_json = true;
		} else if (!strcmp(argv[i], "--db") && i + 1 < argc && *argv[i + 1]) {
			db = argv[++i];
		} else if (!strncmp(argv[i], "--db=", 5) && argv[i][5]) {
			db = argv[i] + 5;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			puts("Cách dùng: motcua doctor [--json] [--db ĐƯỜNG_DẪN]\n"
			     "Kiểm tra máy trạm và chỉ cách sửa; thoát 0 khi mọi thứ ổn, 1 khi có lỗi.");
			return CLI_OK;
		} else {
			return cli_bad("tùy chọn không hợp lệ cho doctor: %s", argv[i]);
		}
	}
	char *path = cli_db_path(db);
	struct doctor d = { .n = 0, .db = path };
	check_data(&d);
	struct store st;
	bool open = check_store(&d, path, &st);
	check_disk(&d, path);
	check_scanners(&d);
	check_ocr(&d);
	check_printer(&d, open ? &st : NULL);
	check_server(&d, open ? &st : NULL);
	if (open)
		store_close(&st);

	bool healthy = true;
	for (int i = 0; i < d.n; i++)
		healthy &= d.v[i].status != ST_FAIL;
	if (as_json) {
		json_t *arr = json_array();
		for (int i = 0; i < d.n; i++)
			json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s?}", "name", d.v[i].name,
							     "status", status_names[d.v[i].status],
							     "message", d.v[i].message, "fix", d.v[i].fix));
		cli_print_json(json_pack("{s:b, s:s, s:o}", "healthy", healthy, "db", path, "checks", arr));
	} else {
		for (int i = 0; i < d.n; i++) {
			printf("%s %s: %s\n", status_marks[d.v[i].status], d.v[i].name, d.v[i].message);
			if (d.v[i].fix && d.v[i].status != ST_OK)
				printf("    Cách sửa: %s\n", d.v[i].fix);
		}
		puts(healthy ? "Máy trạm sẵn sàng." : "Máy trạm có lỗi cần sửa (xem LỖI ở trên).");
	}
	for (int i = 0; i < d.n; i++) {
		free(d.v[i].message);
		free(d.v[i].fix);
	}
	free(path);
	return healthy ? CLI_OK : CLI_FAULT;
}
