/* SPDX-License-Identifier: GPL-3.0-or-later */
/* motcua sync [--once] [--db PATH] [--max-seconds N] [--interval S]
 *             [--lease-low N] [--lease-block N] [--stall-timeout S]
 *             [--batch-bytes N]
 *
 * Syncs this workstation with the server it logged in to (motcua login):
 * pushes the outbox, asks for dossier-number leases, pulls the change feed
 * (sync/sync.h). --once runs one pass; otherwise passes repeat every
 * --interval seconds (30) while they succeed, and after a failure with
 * jittered exponential backoff (0.25 s doubled up to 5 minutes), until
 * SIGINT or SIGTERM, or --max-seconds. The server refusing the token
 * (401/403) stops the loop: log in again. --stall-timeout: seconds without a
 * byte moving before a request is given up (30); --batch-bytes: the first
 * push batch's size on the wire (32768; later ones follow the link).
 *
 * Prints one JSON summary (all passes added up): {"pushed", "duplicates",
 * "rejected", "conflicts", "requeued", "batches", "push_retries", "pulled", "kept_local", "leased",
 * "files_sent", "files_known", "files_failed", "bytes_sent",
 * "files_pending", "bytes_pending", "pending_mb", "pending", "online", "errors", "warnings",
 * "server_clock_skew_s", "bytes_up", "bytes_down"}. Exit 0 when the last
 * pass completed without error, 1 when it did not, 2 for bad options or a
 * workstation that has not logged in. */
#include "client/cli/cli.h"

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "client/store/store.h"
#include "sync/sync.h"

#define DEFAULT_INTERVAL_S 30

static atomic_int stop_requested;

static void on_signal(int sig)
{
	atomic_store(&stop_requested, 1);
}

struct sync_opts {
	const char *db;
	bool once;
	double max_seconds; /* 0: none */
	double interval;
	long lease_low, lease_block;
	long stall_timeout, batch_bytes;
};

static int number(const char *name, const char *text, double min, double max, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(text, &end);
	if (errno || end == text || *end || v < min || v > max)
		return cli_bad("%s phải là số từ %g đến %g (nhận '%s')", name, min, max, text);
	*out = v;
	return 0;
}

static int parse(int argc, char **argv, struct sync_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->interval = DEFAULT_INTERVAL_S;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs("Cách dùng: motcua sync [--once] [--db ĐƯỜNG_DẪN] [--max-seconds N]"
			      " [--interval GIÂY]\n                   [--lease-low N] [--lease-block N]"
			      " [--stall-timeout GIÂY] [--batch-bytes N]\n"
			      "Đồng bộ với máy chủ đã đăng nhập (motcua login); in bản tóm tắt JSON.\n",
			      stdout);
			return -1;
		}
		if (!strcmp(a, "--once")) {
			o->once = true;
			continue;
		}
		static const char *const names[] = { "--db", "--max-seconds", "--interval",
						     "--lease-low", "--lease-block", "--stall-timeout",
						     "--batch-bytes" };
		size_t k = 0, n = 0;
		for (; k < sizeof(names) / sizeof(names[0]); k++) {
			n = strlen(names[k]);
			if (!strncmp(a, names[k], n) && (!a[n] || a[n] == '='))
				break;
		}
		if (k == sizeof(names) / sizeof(names[0]))
			return cli_bad("tùy chọn không hợp lệ cho sync: %s (xem: motcua sync --help)", a);
		const char *v = a[n] == '=' ? a + n + 1 : NULL;
		if (!v) {
			if (i + 1 >= argc)
				return cli_bad("thiếu giá trị sau %s", names[k]);
			v = argv[++i];
		}
		double x = 0;
		switch (k) {
		case 0:
			if (!*v)
				return cli_bad("đường dẫn --db rỗng");
			o->db = v;
			break;
		case 1:
			if (number("--max-seconds", v, 0.001, 1e7, &o->max_seconds))
				return CLI_BADINPUT;
			break;
		case 2:
			if (number("--interval", v, 0.01, 86400, &o->interval))
				return CLI_BADINPUT;
			break;
		case 5:
			if (number("--stall-timeout", v, 1, 600, &x))
				return CLI_BADINPUT;
			o->stall_timeout = (long)x;
			break;
		case 6:
			if (number("--batch-bytes", v, 1024, 1048576, &x))
				return CLI_BADINPUT;
			o->batch_bytes = (long)x;
			break;
		default:
			if (number(names[k], v, 1, 1000, &x))
				return CLI_BADINPUT;
			*(k == 3 ? &o->lease_low : &o->lease_block) = (long)x;
			break;
		}
	}
	return 0;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Sleeps up to seconds; a signal ends it early. */
static void pause_for(double seconds)
{
	if (seconds <= 0)
		return;
	struct timespec ts = { (time_t)seconds, (long)((seconds - (double)(time_t)seconds) * 1e9) };
	while (!atomic_load(&stop_requested) && nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static void catch_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal; /* no SA_RESTART: a sleep ends at once */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static int run(const struct sync_opts *o, struct store *st)
{
	struct cli_sync_bar bar = { 0 };
	struct sync_options opt = { .cancel = &stop_requested, .lease_low = o->lease_low,
				    .lease_block = o->lease_block, .low_speed_time = o->stall_timeout,
				    .push_bytes = o->batch_bytes, .progress = cli_sync_progress,
				    .progress_arg = &bar };
	struct sync_summary total;
	sync_summary_init(&total);
	double deadline = o->max_seconds > 0 ? now_s() + o->max_seconds : 0;
	int failures = 0;
	enum sync_outcome last = SYNC_DONE;
	bool last_errors = false;
	for (;;) {
		struct sync_summary pass;
		sync_summary_init(&pass);
		last = sync_run(st, &opt, &pass);
		cli_sync_bar_end(&bar);
		last_errors = pass.nerrors > 0;
		sync_summary_add(&total, &pass);
		sync_summary_release(&pass);
		if (o->once || last == SYNC_DENIED || last == SYNC_UNCONFIGURED ||
		    last == SYNC_CANCELLED || atomic_load(&stop_requested))
			break;
		double wait = o->interval;
		if (last != SYNC_DONE)
			wait = sync_backoff_ms(failures++, SYNC_BACKOFF_CAP_MS, randombytes_random()) / 1e3;
		else
			failures = 0;
		if (deadline) {
			double left = deadline - now_s();
			if (left <= 0)
				break;
			if (wait > left)
				wait = left;
		}
		pause_for(wait);
		if (atomic_load(&stop_requested) || (deadline && now_s() >= deadline))
			break;
	}
	char *json = sync_summary_json(&total);
	puts(json);
	free(json);
	for (size_t i = 0; i < total.nwarnings; i++)
		fprintf(stderr, "motcua: cảnh báo: %s\n", total.warnings[i]);
	int rc = CLI_OK;
	if (last == SYNC_UNCONFIGURED)
		rc = cli_bad("%s", total.nerrors ? total.errors[0] : "chưa đăng nhập máy chủ");
	else if ((last != SYNC_DONE && last != SYNC_CANCELLED) || last_errors)
		rc = cli_fault("đồng bộ chưa xong: %s",
			       total.nerrors ? total.errors[total.nerrors - 1] : "lỗi không rõ");
	sync_summary_release(&total);
	return rc;
}

int cli_sync(int argc, char **argv)
{
	struct sync_opts o;
	int rc = parse(argc, argv, &o);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if (sodium_init() < 0)
		return cli_fault("không khởi động được thư viện mật mã (libsodium)");
	char *path = cli_db_path(o.db);
	struct strbuf err = STRBUF_INIT;
	struct store st;
	if (store_open(&st, path, 0, &err)) {
		rc = cli_fault("%s", err.buf);
	} else {
		if (!sync_configured(&st))
			rc = cli_bad("máy trạm chưa đăng nhập máy chủ đồng bộ: chạy motcua login --server"
				     " URL --username TÊN --db %s", path);
		else {
			catch_signals();
			rc = run(&o, &st);
		}
		store_close(&st);
	}
	strbuf_release(&err);
	free(path);
	return rc;
}
