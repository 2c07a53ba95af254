/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Progress of a long operation (init, import, sync, OCR, backup), told on
 * stderr so that stdout keeps the command's JSON.
 *
 *	struct progress p;
 *	progress_begin(&p, "backup", "Sao lưu kho dữ liệu", total_pages, PROGRESS_ITEMS);
 *	... progress_set(&p, done); ...
 *	progress_end(&p);
 *
 * How it is told comes from MOTCUA_PROGRESS: "bar" (a bar redrawn in place),
 * "json" (one JSON line per step: {"progress":"backup","done":N,"total":M},
 * the first at 0 and the last with "end":true, at most one a second in
 * between), "none"; unset or "auto": a bar when stderr is a terminal,
 * nothing otherwise. A bar appears only once the operation has lasted a
 * second, so quick operations print nothing, and is wiped at the end. */
#ifndef MC_PROGRESS_H
#define MC_PROGRESS_H
#include <stdbool.h>

enum progress_unit {
	PROGRESS_ITEMS, /* "123/456" */
	PROGRESS_BYTES  /* "1,2/8,4 MB" */
};

enum progress_mode { PROGRESS_NONE, PROGRESS_BAR, PROGRESS_JSON };

struct progress {
	const char *name;  /* the JSON name: "backup", "import", "sync" */
	const char *label; /* the bar's Vietnamese words */
	enum progress_unit unit;
	enum progress_mode mode;
	long long done, total; /* total 0: unknown (the bar only counts) */
	double start, last;    /* monotonic seconds: begun, last drawn */
	bool drawn;            /* a bar is on the terminal's last line */
};

/* The mode MOTCUA_PROGRESS and stderr ask for. */
enum progress_mode progress_mode(void);

void progress_begin(struct progress *p, const char *name, const char *label, long long total,
		    enum progress_unit unit);
/* A new total (it became known, or grew). */
void progress_total(struct progress *p, long long total);
void progress_set(struct progress *p, long long done);
void progress_add(struct progress *p, long long n);
/* The last step: the bar is wiped, the JSON line says "end":true. */
void progress_end(struct progress *p);

/* "1,2 MB", "850 kB", "12 B" into buf. */
void progress_bytes(long long n, char *buf, int size);

#endif
