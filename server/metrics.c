/* Counters for /metrics (Prometheus text format 0.0.4): requests by route and
 * status, push operations by outcome, a latency histogram by route. Per
 * process: each server of a pair reports its own. */
#include "server/server.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

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
	return strbuf_detach(&sb);
}
