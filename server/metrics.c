/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Counters for /metrics (Prometheus text format 0.0.4): requests by route and
 * status, push operations by outcome, a latency histogram by route, the
 * process (CPU, memory, descriptors, start time, from /proc) and the build.
 * Per process: each server of a pair reports its own. With metrics_listen,
 * /metrics is served on an address of its own (metrics_serve_start). */
#include "server/server.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <microhttpd.h>

#include "core/version.h"

#define MAX_ROUTES 16
#define MAX_STATUSES 24

static const double buckets[] = { 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10 };
#define NBUCKETS (sizeof(buckets) / sizeof(buckets[0]))

struct route_stats {
	const char *name;
	unsigned statuses[MAX_STATUSES];
	unsigned long long counts[MAX_STATUSES];
	size_t nstatuses;
	unsigned long long le[NBUCKETS]; /* cumulative at render time */
	unsigned long long total;
	double sum;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct route_stats stats[MAX_ROUTES];
static size_t nstats;
static unsigned long long ops[4]; /* applied, duplicate, conflict, rejected */

static struct route_stats *route_of(const char *name)
{
	for (size_t i = 0; i < nstats; i++)
		if (!strcmp(stats[i].name, name))
			return &stats[i];
	if (nstats == MAX_ROUTES)
		return &stats[MAX_ROUTES - 1];
	stats[nstats].name = name; /* route names are static strings */
	return &stats[nstats++];
}

void metrics_request(const char *route, unsigned status, double seconds)
{
	pthread_mutex_lock(&lock);
	struct route_stats *rs = route_of(route);
	size_t i;
	for (i = 0; i < rs->nstatuses; i++)
		if (rs->statuses[i] == status)
			break;
	if (i == rs->nstatuses && rs->nstatuses < MAX_STATUSES)
		rs->statuses[rs->nstatuses++] = status;
	if (i < MAX_STATUSES)
		rs->counts[i]++;
	for (size_t b = 0; b < NBUCKETS; b++)
		if (seconds <= buckets[b]) {
			rs->le[b]++;
			break;
		}
	rs->total++;
	rs->sum += seconds;
	pthread_mutex_unlock(&lock);
}

void metrics_ops(int applied, int duplicate, int conflict, int rejected)
{
	pthread_mutex_lock(&lock);
	ops[0] += (unsigned long long)applied;
	ops[1] += (unsigned long long)duplicate;
	ops[2] += (unsigned long long)conflict;
	ops[3] += (unsigned long long)rejected;
	pthread_mutex_unlock(&lock);
}

/* The process_* series of Prometheus' client libraries, from /proc. */
static void render_process(struct strbuf *sb)
{
	FILE *fp = fopen("/proc/self/stat", "r");
	char buf[1024];
	size_t n = fp ? fread(buf, 1, sizeof(buf) - 1, fp) : 0;
	if (fp)
		fclose(fp);
	buf[n] = '\0';
	/* after the command name "(...)": state is field 3; utime 14, stime 15,
	 * starttime 22, vsize 23, rss 24 */
	const char *p = strrchr(buf, ')');
	unsigned long long utime = 0, stime = 0, start = 0, vsize = 0;
	long long rss = 0;
	bool have = p && sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu"
				" %*d %*d %*d %*d %*d %*d %llu %llu %lld",
				&utime, &stime, &start, &vsize, &rss) == 5;
	long tick = sysconf(_SC_CLK_TCK), page = sysconf(_SC_PAGESIZE);
	unsigned long long btime = 0;
	if ((fp = fopen("/proc/stat", "r"))) {
		char line[256];
		while (fgets(line, sizeof(line), fp))
			if (sscanf(line, "btime %llu", &btime) == 1)
				break;
		fclose(fp);
	}
	if (have && tick > 0) {
		strbuf_addf(sb, "# HELP process_cpu_seconds_total User and system CPU time, in seconds.\n"
				"# TYPE process_cpu_seconds_total counter\n"
				"process_cpu_seconds_total %.2f\n",
			    (double)(utime + stime) / (double)tick);
		strbuf_addf(sb, "# HELP process_resident_memory_bytes Resident memory size in bytes.\n"
				"# TYPE process_resident_memory_bytes gauge\n"
				"process_resident_memory_bytes %lld\n", rss * page);
		strbuf_addf(sb, "# HELP process_virtual_memory_bytes Virtual memory size in bytes.\n"
				"# TYPE process_virtual_memory_bytes gauge\n"
				"process_virtual_memory_bytes %llu\n", vsize);
		if (btime)
			strbuf_addf(sb, "# HELP process_start_time_seconds Start time of the process"
					" since the epoch, in seconds.\n"
					"# TYPE process_start_time_seconds gauge\n"
					"process_start_time_seconds %.2f\n",
				    (double)btime + (double)start / (double)tick);
	}
	DIR *d = opendir("/proc/self/fd");
	if (d) {
		long fds = -1; /* the directory's own descriptor is not counted */
		struct dirent *e;
		while ((e = readdir(d)))
			if (e->d_name[0] != '.')
				fds++;
		closedir(d);
		strbuf_addf(sb, "# HELP process_open_fds Number of open file descriptors.\n"
				"# TYPE process_open_fds gauge\n"
				"process_open_fds %ld\n", fds);
	}
	struct rlimit rl;
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur != RLIM_INFINITY)
		strbuf_addf(sb, "# HELP process_max_fds Maximum number of open file descriptors.\n"
				"# TYPE process_max_fds gauge\n"
				"process_max_fds %llu\n", (unsigned long long)rl.rlim_cur);
}

char *metrics_render(void)
{
	static const char *const outcomes[] = { "applied", "duplicate", "conflict", "rejected" };
	struct strbuf sb = STRBUF_INIT;
	pthread_mutex_lock(&lock);
	strbuf_addstr(&sb, "# HELP motcua_http_requests_total HTTP requests by route and status.\n"
			   "# TYPE motcua_http_requests_total counter\n");
	for (size_t i = 0; i < nstats; i++)
		for (size_t k = 0; k < stats[i].nstatuses; k++)
			strbuf_addf(&sb, "motcua_http_requests_total{route=\"%s\",status=\"%u\"} %llu\n",
				    stats[i].name, stats[i].statuses[k], stats[i].counts[k]);
	strbuf_addstr(&sb, "# HELP motcua_push_ops_total Pushed operations by outcome.\n"
			   "# TYPE motcua_push_ops_total counter\n");
	for (size_t k = 0; k < 4; k++)
		strbuf_addf(&sb, "motcua_push_ops_total{outcome=\"%s\"} %llu\n", outcomes[k], ops[k]);
	strbuf_addstr(&sb, "# HELP motcua_http_request_duration_seconds Request latency by route.\n"
			   "# TYPE motcua_http_request_duration_seconds histogram\n");
	for (size_t i = 0; i < nstats; i++) {
		unsigned long long cum = 0;
		for (size_t b = 0; b < NBUCKETS; b++) {
			cum += stats[i].le[b];
			strbuf_addf(&sb, "motcua_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
				    stats[i].name, buckets[b], cum);
		}
		strbuf_addf(&sb, "motcua_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n",
			    stats[i].name, stats[i].total);
		strbuf_addf(&sb, "motcua_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n",
			    stats[i].name, stats[i].sum);
		strbuf_addf(&sb, "motcua_http_request_duration_seconds_count{route=\"%s\"} %llu\n",
			    stats[i].name, stats[i].total);
	}
	pthread_mutex_unlock(&lock);
	strbuf_addstr(&sb, "# HELP motcua_build_info The version of motcua-server, always 1.\n"
			   "# TYPE motcua_build_info gauge\n"
			   "motcua_build_info{version=\"" MOTCUA_VERSION "\"} 1\n");
	render_process(&sb);
	return strbuf_detach(&sb);
}

/* ---- metrics_listen: /metrics alone on an address of its own ------------------- */

static struct MHD_Daemon *metrics_daemon;

static enum MHD_Result on_metrics(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	static int first;
	(void)cls;
	(void)version;
	(void)upload;
	if (!*con_cls) { /* the headers: wait for the end of the request */
		*con_cls = &first;
		return MHD_YES;
	}
	*upload_size = 0; /* a body is ignored */
	unsigned status = 200;
	char *body;
	if (strcmp(url, "/metrics")) {
		status = 404;
		body = xstrdup("not found: this address serves /metrics only\n");
	} else if (strcmp(method, "GET") && strcmp(method, "HEAD")) {
		status = 405;
		body = xstrdup("method not allowed\n");
	} else {
		body = metrics_render();
	}
	struct MHD_Response *resp =
		MHD_create_response_from_buffer(strlen(body), body, MHD_RESPMEM_MUST_FREE);
	MHD_add_response_header(resp, "Content-Type", status == 200
				? "text/plain; version=0.0.4; charset=utf-8" : "text/plain; charset=utf-8");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	if (status == 405)
		MHD_add_response_header(resp, "Allow", "GET, HEAD");
	enum MHD_Result rc = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	return rc;
}

int metrics_serve_start(const char *listen, struct strbuf *err)
{
	struct sockaddr_in sa;
	if (config_parse_listen(listen, &sa)) {
		strbuf_addf(err, "metrics_listen không hợp lệ: %s", listen);
		return -1;
	}
	metrics_daemon = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ERROR_LOG, 0, NULL, NULL,
		on_metrics, NULL, MHD_OPTION_EXTERNAL_LOGGER, server_mhd_log, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_CONNECTION_TIMEOUT,
		(unsigned)30, MHD_OPTION_END);
	if (!metrics_daemon) {
		strbuf_addf(err, "không mở được cổng %s cho /metrics", listen);
		return -1;
	}
	const union MHD_DaemonInfo *info =
		MHD_get_daemon_info(metrics_daemon, MHD_DAEMON_INFO_BIND_PORT);
	char host[INET_ADDRSTRLEN];
	inet_ntop(AF_INET, &sa.sin_addr, host, sizeof(host));
	server_log(LOG_INFO, SERVER_NAME ": metrics on http://%s:%u/metrics", host,
		   info ? (unsigned)info->port : (unsigned)ntohs(sa.sin_port));
	return 0;
}

void metrics_serve_stop(void)
{
	if (metrics_daemon)
		MHD_stop_daemon(metrics_daemon);
	metrics_daemon = NULL;
}
