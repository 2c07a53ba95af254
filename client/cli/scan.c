/* SPDX-License-Identifier: GPL-3.0-or-later */
/* motcua scan: pages from a SANE scanner, or from files, as one compact PDF.
 *
 *   motcua scan --list
 *   motcua scan --device DEV [--source flatbed|adf] [--pages N] [--dpi N]
 *               [--mode color|gray|lineart|auto] [--prompt] [--progress]
 *               [--pages-dir DIR] [--keep-pages] --out FILE.pdf
 *   motcua scan FILE... [--dpi N] [--pages-dir DIR] [--keep-pages] --out FILE.pdf
 *   motcua scan --pages-dir DIR --out FILE.pdf
 *
 * Pages are kept in DIR (default FILE.pdf.pages) as they are scanned; once
 * the PDF is written DIR is removed (--keep-pages keeps it). When the
 * scanner fails mid-batch, the batch is cancelled, or the PDF cannot be
 * written (a full disk), the pages stay in DIR and running the command
 * again carries on from them. JSON on stdout:
 *   {"pdf":"FILE.pdf","pages":N,"bytes":B,"bytes_per_page":B/N,"sha256":"..."}
 * --list prints one JSON line per device. Exit 2 for bad input (an unknown
 * option or device, a file that is missing, damaged or not a PDF or image:
 * nothing written), 1 for a failure of the scanner or the disk. */
#include "client/cli/cli.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "client/base/clock.h"
#include "client/scan/docpdf.h"
#include "client/scan/fileimport.h"
#include "client/scan/pagestore.h"
#include "client/scan/scan.h"
#include "core/xalloc.h"

struct opts {
	bool list, prompt, progress, keep, automatic;
	const char *device, *out, *pages_dir;
	int source, mode, dpi, pages;
	const char **files;
	size_t nfiles;
};

static int usage(void)
{
	fputs("Cách dùng:\n"
	      "  motcua scan --list\n"
	      "  motcua scan --device MÁY [--source flatbed|adf] [--pages N] [--dpi N]\n"
	      "              [--mode color|gray|lineart|auto] [--prompt] [--progress]\n"
	      "              [--pages-dir THƯ_MỤC] [--keep-pages] --out TỆP.pdf\n"
	      "  motcua scan TỆP... [--dpi N] [--pages-dir THƯ_MỤC] --out TỆP.pdf\n"
	      "  motcua scan --pages-dir THƯ_MỤC --out TỆP.pdf\n"
	      "Quét giấy tờ (hoặc nhập tệp PDF, JPEG, PNG, TIFF) thành một tệp PDF gọn.\n"
	      "  --list        liệt kê máy quét (mỗi dòng một JSON)\n"
	      "  --source      flatbed: mặt kính (mặc định); adf: khay nạp giấy tự động\n"
	      "  --pages N     số trang tối đa (adf: mặc định đến khi hết giấy; flatbed: 1)\n"
	      "  --dpi N       độ phân giải (mặc định 200; với tệp PDF nhập vào: 150)\n"
	      "  --mode        color: màu (mặc định), gray: thang xám, lineart: đen trắng;\n"
	      "                auto: chọn cho từng trang (chữ: đen trắng; có dấu đỏ, chữ ký\n"
	      "                màu, ảnh nhỏ: chữ đen trắng trên nền màu; ảnh: màu hoặc xám)\n"
	      "  --prompt      mặt kính: chờ Enter trước mỗi trang sau trang đầu (Ctrl-D: dừng)\n"
	      "  --progress    in tiến độ từng trang ra stderr\n"
	      "  --pages-dir   nơi giữ các trang đã quét (mặc định TỆP.pdf.pages); chạy lại\n"
	      "                lệnh thì quét tiếp sau các trang đã giữ\n"
	      "  --keep-pages  giữ thư mục trang sau khi đã ghi PDF\n",
	      stdout);
	return CLI_OK;
}

static int parse_int(const char *opt, const char *v, int lo, int hi, int *out)
{
	char *end;
	errno = 0;
	long n = strtol(v, &end, 10);
	if (!*v || *end || errno || n < lo || n > hi)
		return cli_bad("%s cần một số nguyên từ %d đến %d (nhận «%s»)", opt, lo, hi, v);
	*out = (int)n;
	return CLI_OK;
}

static int parse(int argc, char **argv, struct opts *o)
{
	memset(o, 0, sizeof(*o));
	o->source = SCAN_FLATBED;
	o->mode = PAGE_COLOR;
	o->files = xcalloc((size_t)argc, sizeof(*o->files));
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = NULL;
		static const char *const with_value[] = { "--device", "--source", "--pages", "--dpi",
							  "--mode", "--out", "--pages-dir", NULL };
		int w = cli_options(argc, argv, &i, with_value, SIZE_MAX, &v);
		if (w < 0)
			return CLI_BADINPUT;
		bool takes = with_value[w] != NULL;
		if (takes)
			a = with_value[w];
		int rc = CLI_OK;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			return -1;
		} else if (!strcmp(a, "--list")) {
			o->list = true;
		} else if (!strcmp(a, "--prompt")) {
			o->prompt = true;
		} else if (!strcmp(a, "--progress")) {
			o->progress = true;
		} else if (!strcmp(a, "--keep-pages")) {
			o->keep = true;
		} else if (!takes && a[0] == '-' && a[1]) {
			return cli_bad("tùy chọn không hợp lệ cho scan: %s (xem: motcua scan --help)", a);
		} else if (!takes) {
			o->files[o->nfiles++] = a;
		} else if (!strcmp(a, "--device")) {
			o->device = v;
		} else if (!strcmp(a, "--out")) {
			o->out = v;
		} else if (!strcmp(a, "--pages-dir")) {
			o->pages_dir = v;
		} else if (!strcmp(a, "--source")) {
			o->source = scan_source_parse(v);
			if (o->source < 0)
				return cli_bad("--source chỉ nhận flatbed hoặc adf (nhận «%s»)", v);
		} else if (!strcmp(a, "--mode")) {
			enum page_kind mode;
			if (scan_mode_parse(v, &mode, &o->automatic))
				return cli_bad("--mode chỉ nhận color, gray hoặc lineart"
					       " (hoặc auto: chọn cho từng trang; nhận «%s»)", v);
			o->mode = (int)mode;
		} else if (!strcmp(a, "--pages")) {
			rc = parse_int("--pages", v, 1, 10000, &o->pages);
		} else if (!strcmp(a, "--dpi")) {
			rc = parse_int("--dpi", v, 50, 1200, &o->dpi);
		}
		if (rc)
			return rc;
	}
	if (o->list)
		return CLI_OK;
	if (o->device && !*o->device)
		return cli_bad("--device rỗng (xem: motcua scan --list)");
	if (o->device && o->nfiles)
		return cli_bad("chọn một trong hai: quét từ máy (--device) hoặc nhập tệp");
	if (!o->device && !o->nfiles && !o->pages_dir)
		return cli_bad("thiếu --device MÁY hoặc tệp cần nhập (xem: motcua scan --help)");
	if (!o->device && (o->pages || o->prompt || o->progress))
		return cli_bad("--pages, --prompt và --progress chỉ dùng khi quét từ máy (--device)");
	if (!o->out || !*o->out)
		return cli_bad("thiếu --out TỆP.pdf");
	if (o->pages_dir && !*o->pages_dir)
		return cli_bad("--pages-dir rỗng");
	struct stat st;
	if (!stat(o->out, &st) && S_ISDIR(st.st_mode))
		return cli_bad("%s là một thư mục; --out cần đường dẫn tệp PDF", o->out);
	char *dir = xstrdup(o->out);
	char *slash = strrchr(dir, '/');
	if (slash) {
		*(slash == dir ? slash + 1 : slash) = '\0';
		if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
			int rc = cli_bad("thư mục %s không tồn tại", dir);
			free(dir);
			return rc;
		}
	}
	free(dir);
	return CLI_OK;
}

static int list_devices(void)
{
	struct scan_device_list l;
	struct strbuf err = STRBUF_INIT;
	if (scan_list_devices(&l, &err)) {
		int rc = cli_fault("%s", err.buf);
		strbuf_release(&err);
		return rc;
	}
	for (size_t i = 0; i < l.n; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "device", json_string(l.v[i].name));
		json_object_set_new(o, "vendor", json_string(l.v[i].vendor));
		json_object_set_new(o, "model", json_string(l.v[i].model));
		json_object_set_new(o, "type", json_string(l.v[i].type));
		char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
		puts(s);
		free(s);
		json_decref(o);
	}
	scan_device_list_release(&l);
	strbuf_release(&err);
	return CLI_OK;
}

/* ---- scanning ---- */

static struct scanner *volatile running; /* for SIGINT */

static void on_sigint(int sig)
{
	(void)sig;
	if (running)
		scan_cancel(running); /* SANE allows sane_cancel from a signal handler */
}

struct batch {
	struct pagestore *ps;
	const struct opts *o;
	size_t before;
	int shown;         /* the last quarter of the page shown */
};

static int keep_page(void *arg, int page, struct page_image *img, struct strbuf *err)
{
	struct batch *b = arg;
	b->shown = 0;
	if (b->o->automatic ? pagestore_add_auto(b->ps, img, err) : pagestore_add(b->ps, img, err))
		return -1;
	if (b->o->progress)
		fprintf(stderr, "motcua: đã quét trang %zu (%d x %d điểm ảnh, %d dpi, %lld byte)\n",
			b->ps->n, img->width, img->height, img->dpi, b->ps->pages[b->ps->n - 1].bytes);
	return 0;
}

static void show_progress(void *arg, int page, int percent)
{
	struct batch *b = arg;
	if (percent < 0 || percent / 25 <= b->shown)
		return;
	b->shown = percent / 25;
	fprintf(stderr, "motcua: trang %zu: %d%%\n", b->before + (size_t)page + 1, percent);
}

static bool ask_next(void *arg, int page)
{
	struct batch *b = arg;
	char line[256];
	fprintf(stderr, "motcua: đặt trang %zu lên mặt kính rồi nhấn Enter (Ctrl-D: kết thúc)\n",
		b->before + (size_t)page + 1);
	fflush(stderr);
	return fgets(line, sizeof(line), stdin) != NULL;
}

/* Scans into ps. Returns CLI_OK when the PDF may be written. */
static int scan_pages(const struct opts *o, struct pagestore *ps)
{
	struct scanner *s;
	struct strbuf err = STRBUF_INIT;
	bool bad = false;
	int rc = CLI_OK;

	if (scan_open(&s, o->device, &bad, &err)) {
		rc = bad ? cli_bad("%s", err.buf) : cli_fault("%s", err.buf);
		strbuf_release(&err);
		return rc;
	}
	struct scan_settings want = { (enum scan_source)o->source, (enum page_kind)o->mode,
				      o->dpi ? o->dpi : SCAN_DEFAULT_DPI };
	int conf = scan_configure(s, &want, NULL, &bad, &err);
	if (conf && o->automatic && !bad) { /* a scanner without colour: grey, judged the same */
		strbuf_reset(&err);
		want.mode = PAGE_GRAY;
		conf = scan_configure(s, &want, NULL, &bad, &err);
	}
	if (conf) {
		rc = bad ? cli_bad("%s", err.buf) : cli_fault("%s", err.buf);
		scan_close(s);
		strbuf_release(&err);
		return rc;
	}
	struct batch b = { ps, o, ps->n, 0 };
	struct scan_job job = { o->pages, keep_page, o->progress ? show_progress : NULL,
				o->prompt ? ask_next : NULL, &b };
	struct scan_result r;
	struct sigaction sa = { 0 }, old;
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	running = s;
	sigaction(SIGINT, &sa, &old);
	int run = scan_run(s, &job, &r, &err);
	sigaction(SIGINT, &old, NULL);
	running = NULL;
	scan_close(s);

	if (run) {
		rc = cli_fault("%s", err.buf);
	} else if (r.end == SCAN_END_CANCELLED) {
		rc = cli_fault("đã hủy việc quét");
	} else if (r.end == SCAN_END_EMPTY && o->pages && r.pages < o->pages && !o->prompt) {
		fprintf(stderr, "motcua: khay nạp giấy đã hết sau %d trang (yêu cầu %d trang)\n",
			r.pages, o->pages);
	}
	strbuf_release(&err);
	return rc;
}

/* ---- files ---- */

static int import_files(const struct opts *o, struct pagestore *ps)
{
	size_t before = ps->n;
	struct strbuf err = STRBUF_INIT;
	int rc = CLI_OK;

	for (size_t i = 0; i < o->nfiles && rc == CLI_OK; i++) {
		int r = fileimport_file(ps, o->files[i], o->dpi, NULL, &err);
		if (r > 0)
			rc = cli_bad("%s; chưa ghi gì", err.buf);
		else if (r < 0)
			rc = cli_fault("%s; chưa ghi gì", err.buf);
	}
	if (rc != CLI_OK) {
		struct strbuf ignored = STRBUF_INIT;
		pagestore_truncate(ps, before, &ignored);
		strbuf_release(&ignored);
	}
	strbuf_release(&err);
	return rc;
}

/* ---- the command ---- */

static void print_result(const char *out, const struct docpdf_info *info)
{
	json_t *o = json_object();
	json_object_set_new(o, "pdf", json_string(out));
	json_object_set_new(o, "pages", json_integer(info->pages));
	json_object_set_new(o, "bytes", json_integer(info->bytes));
	json_object_set_new(o, "bytes_per_page", json_integer(info->bytes_per_page));
	json_object_set_new(o, "sha256", json_string(info->sha256));
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	puts(s);
	free(s);
	json_decref(o);
}

static bool is_dir(const char *p)
{
	struct stat st;
	return !stat(p, &st) && S_ISDIR(st.st_mode);
}

static int run(const struct opts *o)
{
	char *dir = o->pages_dir ? xstrdup(o->pages_dir) : xasprintf("%s.pages", o->out);
	bool existed = is_dir(dir);
	struct pagestore ps;
	struct strbuf err = STRBUF_INIT;
	int rc = CLI_OK;

	if (!o->device && !o->nfiles && !existed) {
		rc = cli_bad("không có thư mục trang %s", dir);
		goto out;
	}
	if (pagestore_open(&ps, dir, &err)) {
		rc = cli_fault("%s", err.buf);
		goto out;
	}
	size_t before = ps.n;
	if (o->device)
		rc = scan_pages(o, &ps);
	else if (o->nfiles)
		rc = import_files(o, &ps);
	if (rc == CLI_OK && ps.n == 0)
		rc = cli_bad("không có trang nào để ghi thành PDF");

	if (rc == CLI_OK) {
		struct mc_dt now;
		char date[32] = "";
		if (!clock_now(&now))
			mc_format_dt(date, sizeof(date), &now);
		struct docpdf_info info;
		if (docpdf_write(&ps, o->out, NULL, *date ? date : NULL, &info, &err)) {
			rc = cli_fault("%s; %zu trang vẫn được giữ trong %s (ghi lại: motcua scan "
				       "--pages-dir %s --out %s)",
				       err.buf, ps.n, dir, dir, o->out);
		} else {
			print_result(o->out, &info);
			if (!o->keep) {
				strbuf_reset(&err);
				if (pagestore_remove(&ps, &err))
					fprintf(stderr, "motcua: %s\n", err.buf);
				goto out;
			}
		}
	} else if (ps.n > 0 && ps.n > before) {
		fprintf(stderr, "motcua: %zu trang đã quét vẫn được giữ trong %s: chạy lại lệnh để quét "
			"tiếp, hoặc ghi PDF với các trang này: motcua scan --pages-dir %s --out %s\n",
			ps.n, dir, dir, o->out);
	} else if (ps.n == 0 && !existed) {
		/* nothing was kept: leave no empty folder behind */
		pagestore_remove(&ps, &err);
		goto out;
	}
	pagestore_release(&ps);
out:
	strbuf_release(&err);
	free(dir);
	return rc;
}

int cli_scan(int argc, char **argv)
{
	struct opts o;
	int rc = parse(argc, argv, &o);
	if (rc < 0)
		rc = usage();
	else if (rc == CLI_OK && o.list)
		rc = list_devices();
	else if (rc == CLI_OK) {
		/* a file size limit is a full disk to us, not a reason to die */
		signal(SIGXFSZ, SIG_IGN);
		rc = run(&o);
	}
	free(o.files);
	return rc;
}
