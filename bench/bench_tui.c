/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench_tui: times the real program from the outside, as a clerk meets it.
 *
 *   bench_tui [--runs N] [--summary FILE] [--title T] --script KEYS -- MOTCUA ARGS...
 *   bench_tui [--runs N] [--summary FILE] [--title T] [--wall-budget MS] -- COMMAND ARGS...
 *
 * With --script, each run starts MOTCUA ARGS headless (MOTCUA_SCRIPT=KEYS) with
 * MOTCUA_BENCH_LOG pointing at a log of its own (client/tui/app.c), and reads the
 * log back: the first screen is the time from just before fork() to the
 * first screen update (so exec, dynamic linking, opening the store and
 * drawing are in it); each key is the time from its read to the end of the
 * screen update it caused. The script names what its keys are: a comment
 *   #@ BUDGET LABEL
 * gives the keys that follow the label LABEL and a budget in ms ("-": shown
 * for information only). Without --script the command runs N times with its
 * output thrown away: its wall time and peak resident set are reported.
 *
 * The peak resident set of every run comes from wait4(). The tables give
 * the median, the 95th percentile and the maximum over every sample of all
 * runs; a label is over budget when its 95th percentile is (the maximum,
 * shown, is what one unlucky key met on a busy machine). --summary appends
 * one line per budgeted measure, "measure<TAB>value<TAB>budget<TAB>verdict",
 * for bench/run.sh's final table. Exit status 1 when something is over
 * budget, 2 for bad usage, 3 when a run failed. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/text.h"
#include "core/xalloc.h"

#define FIRST_SCREEN_MS 50.0
#define RSS_MB 30.0

struct samples {
	char *label;
	double budget; /* ms; 0: information only */
	double *v;
	size_t n, alloc;
};

static struct samples *labels;
static size_t nlabels;
static int over;
static FILE *summary;
static const char *title = "";

/* The index in labels of label's samples (labels moves when it grows). */
static size_t samples_for(const char *label, double budget)
{
	for (size_t i = 0; i < nlabels; i++)
		if (!strcmp(labels[i].label, label))
			return i;
	labels = xrealloc(labels, (nlabels + 1) * sizeof(*labels));
	struct samples *s = &labels[nlabels];
	memset(s, 0, sizeof(*s));
	s->label = xstrdup(label);
	s->budget = budget;
	return nlabels++;
}

static void add(struct samples *s, double v)
{
	if (s->n == s->alloc) {
		s->alloc = s->alloc ? 2 * s->alloc : 64;
		s->v = xrealloc(s->v, s->alloc * sizeof(double));
	}
	s->v[s->n++] = v;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double ms_between(const struct timespec *a, long long b_ns)
{
	long long a_ns = (long long)a->tv_sec * 1000000000LL + a->tv_nsec;
	return (double)(b_ns - a_ns) / 1e6;
}

/* One line of the table (and of the summary when budgeted). unit is "ms" or
 * "MB"; over budget is judged on the 95th percentile. */
static void report(const char *name, struct samples *s, const char *unit)
{
	if (!s->n) {
		printf("%-44s %5s\n", name, "0");
		return;
	}
	qsort(s->v, s->n, sizeof(double), cmp_double);
	double med = s->v[s->n / 2], p95 = s->v[(s->n * 95 + 99) / 100 - 1], max = s->v[s->n - 1];
	double p99 = s->v[(s->n * 99 + 99) / 100 - 1];
	int ok = !s->budget || p95 < s->budget;
	over += !ok;
	char b[16] = "-";
	if (s->budget)
		snprintf(b, sizeof(b), "%.0f", s->budget);
	printf("%-44s %5zu %8.2f %8.2f %8.2f %8.2f %6s %-2s %s\n", name, s->n, med, p95, p99, max, b,
	       unit, !s->budget ? "" : ok ? "ok" : "OVER");
	if (summary)
		fprintf(summary, "%s%s\t%.2f %s (p95; median %.2f, p99 %.2f, max %.2f)\t%s%s%s%s\t%s\n",
			title, name, p95, unit, med, p99, max, s->budget ? "< " : "", b,
			s->budget ? " " : "", s->budget ? unit : "", !s->budget ? "-" : ok ? "ok" : "OVER");
}

/* The script's keys, each with the label its samples go to. */
struct script {
	size_t *key; /* one per key, in order: an index in labels */
	size_t n, alloc;
};

static void script_add(struct script *sc, size_t s)
{
	if (sc->n == sc->alloc) {
		sc->alloc = sc->alloc ? 2 * sc->alloc : 256;
		sc->key = xrealloc(sc->key, sc->alloc * sizeof(*sc->key));
	}
	sc->key[sc->n++] = s;
}

/* Reads the key script as client/tui/term.c does: a key line is one key, ":type
 * TEXT" one key per character, other ":" lines and comments none. */
static int script_load(struct script *sc, const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "bench_tui: %s: %s\n", path, strerror(errno));
		return -1;
	}
	size_t cur = samples_for("keys", 16);
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	while ((len = getline(&line, &cap, f)) >= 0) {
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (!strncmp(line, "#@ ", 3)) {
			char *label = strchr(line + 3, ' ');
			if (!label) {
				fprintf(stderr, "bench_tui: %s: '#@ BUDGET LABEL' expected: %s\n", path, line);
				fclose(f);
				free(line);
				return -1;
			}
			*label++ = '\0';
			cur = samples_for(label, strcmp(line + 3, "-") ? atof(line + 3) : 0);
			continue;
		}
		if (!len || line[0] == '#')
			continue;
		if (!strncmp(line, ":type ", 6)) {
			const char *p = line + 6;
			size_t left = strlen(p);
			while (left) {
				int32_t cp;
				size_t used = mc_utf8_next(p, left, &cp);
				p += used;
				left -= used;
				script_add(sc, cur);
			}
			continue;
		}
		if (line[0] == ':' && line[1])
			continue;
		script_add(sc, cur);
	}
	free(line);
	fclose(f);
	return 0;
}

/* Runs argv once; stdout to /dev/null, stderr to err_path. Returns the exit
 * status (-1 when it did not exit), with the start time and the peak RSS. */
static int run(char **argv, const char *err_path, struct timespec *t0, long *maxrss_kb,
	       double *cpu_ms)
{
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, t0);
	pid_t pid = fork();
	if (pid < 0) {
		perror("bench_tui: fork");
		return -1;
	}
	if (!pid) {
		int out = open("/dev/null", O_WRONLY);
		int err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (out < 0 || err < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
			_exit(126);
		execv(argv[0], argv);
		_exit(127);
	}
	int status;
	struct rusage ru;
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("bench_tui: wait4");
		return -1;
	}
	*maxrss_kb = ru.ru_maxrss;
	*cpu_ms = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
		  (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void show_error(const char *what, const char *err_path)
{
	fprintf(stderr, "bench_tui: %s failed; its stderr:\n", what);
	FILE *f = fopen(err_path, "r");
	char buf[512];
	size_t n;
	while (f && (n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, stderr);
	if (f)
		fclose(f);
}

/* Reads one session's log into the samples; -1 when it does not match the
 * script. */
static int read_log(const char *path, const struct timespec *t0, const struct script *sc,
		    struct samples *first, struct samples *first_cpu, struct samples *startup,
		    struct samples *rss_now)
{
	size_t last = (size_t)-1; /* the label of the last key read */
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "bench_tui: no log %s: %s\n", path, strerror(errno));
		return -1;
	}
	char *line = NULL;
	size_t cap = 0, nkeys = 0;
	long long start = 0;
	int rc = 0;
	while (getline(&line, &cap, f) >= 0) {
		long long a, b;
		if (sscanf(line, "start %lld", &a) == 1) {
			start = a;
		} else if (sscanf(line, "first-screen %lld", &a) == 1) {
			add(first, ms_between(t0, a));
			add(startup, (double)(a - start) / 1e6);
		} else if (sscanf(line, "key %lld", &a) == 1) {
			last = nkeys < sc->n ? sc->key[nkeys] : (size_t)-1;
			if (last != (size_t)-1)
				add(&labels[last], (double)a / 1e3);
			nkeys++;
		} else if (sscanf(line, "cpu-first %lld", &a) == 1) {
			add(first_cpu, (double)a / 1e3);
		} else if (sscanf(line, "cpu-key %lld", &a) == 1) {
			if (last != (size_t)-1) {
				char *name = xasprintf("%s, CPU", labels[last].label);
				size_t k = samples_for(name, 0);
				free(name);
				add(&labels[k], (double)a / 1e3);
			}
		} else if (sscanf(line, "rss %lld %lld", &a, &b) == 2) {
			add(rss_now, (double)b / 1024);
		}
	}
	if (nkeys != sc->n) {
		fprintf(stderr, "bench_tui: %s has %zu keys, the script %zu\n", path, nkeys, sc->n);
		rc = -1;
	}
	free(line);
	fclose(f);
	return rc;
}

static int usage(void)
{
	fputs("usage: bench_tui [--runs N] [--summary FILE] [--title T] [--wall-budget MS] [--script KEYS]"
	      " -- PROGRAM ARGS...\n", stderr);
	return 2;
}

int main(int argc, char **argv)
{
	const char *script_path = NULL, *summary_path = NULL;
	double wall_budget = 0; /* ms; 0: the wall time is shown for information */
	int runs = 10, i;
	for (i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		if (i + 1 < argc && !strcmp(argv[i], "--runs"))
			runs = atoi(argv[++i]);
		else if (i + 1 < argc && !strcmp(argv[i], "--script"))
			script_path = argv[++i];
		else if (i + 1 < argc && !strcmp(argv[i], "--summary"))
			summary_path = argv[++i];
		else if (i + 1 < argc && !strcmp(argv[i], "--wall-budget"))
			wall_budget = atof(argv[++i]);
		else if (i + 1 < argc && !strcmp(argv[i], "--title"))
			title = argv[++i];
		else
			return usage();
	}
	if (i + 1 >= argc || runs < 1)
		return usage();
	char **cmd = argv + i + 1;
	if (summary_path && !(summary = fopen(summary_path, "a"))) {
		fprintf(stderr, "bench_tui: %s: %s\n", summary_path, strerror(errno));
		return 2;
	}

	struct script sc = { 0 };
	if (script_path && script_load(&sc, script_path))
		return 2;
	char dir[] = "/tmp/bench_tui.XXXXXX";
	if (!mkdtemp(dir)) {
		perror("bench_tui: mkdtemp");
		return 3;
	}
	char *log = xasprintf("%s/log", dir), *err = xasprintf("%s/stderr", dir);
	if (script_path) {
		setenv("MOTCUA_SCRIPT", script_path, 1);
		setenv("MOTCUA_BENCH_LOG", log, 1);
		setenv("MOTCUA_BENCH_CPU", "1", 1);
	}

	struct samples first = { .label = "first screen (exec to screen)", .budget = FIRST_SCREEN_MS };
	struct samples first_cpu = { .label = "first screen, CPU (exec to screen)" };
	struct samples startup = { .label = "in process (main to screen)" };
	struct samples cpu = { .label = "CPU time, user + sys" };
	struct samples wall = { .label = "wall time", .budget = wall_budget };
	struct samples rss = { .label = "peak RSS", .budget = RSS_MB };
	struct samples rss_now = { .label = "RSS at exit" };
	int failed = 0;
	for (int r = 0; r < runs && !failed; r++) {
		struct timespec t0, t1;
		long maxrss = 0;
		double cpu_ms = 0;
		unlink(log);
		int st = run(cmd, err, &t0, &maxrss, &cpu_ms);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (st != 0) {
			show_error(cmd[0], err);
			failed = 1;
			break;
		}
		add(&wall, ms_between(&t0, (long long)t1.tv_sec * 1000000000LL + t1.tv_nsec));
		add(&rss, (double)maxrss / 1024);
		add(&cpu, cpu_ms);
		if (script_path && read_log(log, &t0, &sc, &first, &first_cpu, &startup, &rss_now))
			failed = 1;
	}
	unlink(log);
	unlink(err);
	rmdir(dir);
	if (failed)
		return 3;

	printf("%-44s %5s %8s %8s %8s %8s %6s\n", "measure", "n", "median", "p95", "p99", "max",
	       "budget");
	if (script_path) {
		report(first.label, &first, "ms");
		report(first_cpu.label, &first_cpu, "ms");
		report(startup.label, &startup, "ms");
		for (size_t k = 0; k < nlabels; k++)
			if (labels[k].n)
				report(labels[k].label, &labels[k], "ms");
		report(rss_now.label, &rss_now, "MB");
	} else {
		report(wall.label, &wall, "ms");
	}
	report(cpu.label, &cpu, "ms");
	report(rss.label, &rss, "MB");

	for (size_t k = 0; k < nlabels; k++) {
		free(labels[k].label);
		free(labels[k].v);
	}
	free(labels);
	free(sc.key);
	free(first.v);
	free(startup.v);
	free(first_cpu.v);
	free(cpu.v);
	free(wall.v);
	free(rss.v);
	free(rss_now.v);
	free(log);
	free(err);
	if (summary)
		fclose(summary);
	return over ? 1 : 0;
}
