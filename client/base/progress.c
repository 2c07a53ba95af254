/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "client/base/progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BAR_AFTER_S 1.0   /* a bar appears once the operation lasted this long */
#define BAR_EVERY_S 0.1   /* and is redrawn at most this often */
#define JSON_EVERY_S 1.0  /* JSON lines between the first and the last */
#define BAR_CELLS 24

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

enum progress_mode progress_mode(void)
{
	const char *m = getenv("MOTCUA_PROGRESS");
	if (m && !strcmp(m, "json"))
		return PROGRESS_JSON;
	if (m && !strcmp(m, "none"))
		return PROGRESS_NONE;
	if (m && !strcmp(m, "bar"))
		return PROGRESS_BAR;
	return isatty(STDERR_FILENO) ? PROGRESS_BAR : PROGRESS_NONE;
}

void progress_bytes(long long n, char *buf, int size)
{
	if (n >= 1000LL * 1000 * 1000)
		snprintf(buf, (size_t)size, "%.1f GB", (double)n / 1e9);
	else if (n >= 1000 * 1000)
		snprintf(buf, (size_t)size, "%.1f MB", (double)n / 1e6);
	else if (n >= 1000)
		snprintf(buf, (size_t)size, "%lld kB", n / 1000);
	else
		snprintf(buf, (size_t)size, "%lld B", n);
	for (char *c = buf; *c; c++) /* Vietnamese decimal comma */
		if (*c == '.')
			*c = ',';
}

static void json_line(struct progress *p, bool end)
{
	fprintf(stderr, "{\"progress\":\"%s\",\"done\":%lld,\"total\":%lld%s}\n", p->name, p->done,
		p->total, end ? ",\"end\":true" : "");
	fflush(stderr);
}

static void draw_bar(struct progress *p)
{
	char count[64];
	if (p->unit == PROGRESS_BYTES) {
		char a[24], b[24];
		progress_bytes(p->done, a, sizeof a);
		progress_bytes(p->total, b, sizeof b);
		if (p->total > 0)
			snprintf(count, sizeof count, "%s/%s", a, b);
		else
			snprintf(count, sizeof count, "%s", a);
	} else if (p->total > 0) {
		snprintf(count, sizeof count, "%lld/%lld", p->done, p->total);
	} else {
		snprintf(count, sizeof count, "%lld", p->done);
	}
	char bar[BAR_CELLS * 3 + 1];
	size_t o = 0;
	int pct = -1;
	if (p->total > 0) {
		long long d = p->done > p->total ? p->total : p->done;
		pct = (int)(d * 100 / p->total);
		int full = (int)(d * BAR_CELLS / p->total);
		for (int i = 0; i < BAR_CELLS; i++) {
			const char *cell = i < full ? "█" : "░";
			size_t n = strlen(cell);
			memcpy(bar + o, cell, n);
			o += n;
		}
	}
	bar[o] = '\0';
	if (pct >= 0)
		fprintf(stderr, "\r%s %s %3d%% %s\033[K", p->label, bar, pct, count);
	else
		fprintf(stderr, "\r%s %s\033[K", p->label, count);
	fflush(stderr);
	p->drawn = true;
}

static void step(struct progress *p)
{
	if (p->mode == PROGRESS_NONE)
		return;
	double t = now_s();
	if (p->mode == PROGRESS_JSON) {
		if (t - p->last >= JSON_EVERY_S) {
			p->last = t;
			json_line(p, false);
		}
		return;
	}
	if (t - p->start < BAR_AFTER_S || t - p->last < BAR_EVERY_S)
		return;
	p->last = t;
	draw_bar(p);
}

void progress_begin(struct progress *p, const char *name, const char *label, long long total,
		    enum progress_unit unit)
{
	memset(p, 0, sizeof(*p));
	p->name = name;
	p->label = label;
	p->total = total > 0 ? total : 0;
	p->unit = unit;
	p->mode = progress_mode();
	p->start = p->last = now_s();
	if (p->mode == PROGRESS_JSON)
		json_line(p, false);
}

void progress_total(struct progress *p, long long total)
{
	p->total = total > 0 ? total : 0;
	step(p);
}

void progress_set(struct progress *p, long long done)
{
	p->done = done;
	step(p);
}

void progress_add(struct progress *p, long long n)
{
	progress_set(p, p->done + n);
}

void progress_end(struct progress *p)
{
	if (p->mode == PROGRESS_JSON) {
		json_line(p, true);
	} else if (p->drawn) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
	}
	p->drawn = false;
	p->mode = PROGRESS_NONE;
}
