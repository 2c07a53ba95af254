/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Scanning with SANE: the devices, one opened scanner, its settings (source,
 * resolution, colour / grey / black-and-white) and a batch of pages, each
 * handed to the caller as soon as it is complete (to keep it on disk with
 * pagestore.h), so a scanner that fails or goes away mid-batch loses only
 * the page it was scanning.
 *
 * SANE runs in a child process per opened scanner (scan.c says why): a
 * backend that crashes or hangs when its device goes away ends that child,
 * not the program; scan_run then reports SCAN_END_DEVICE with the pages
 * already handed over kept.
 *
 * Threads: everything here blocks (a network scanner may take seconds to
 * answer), so the TUI calls it from a worker thread and reports through
 * app_post_event(); the callbacks of scan_run run on that thread. Only
 * scan_cancel() may be called from another thread (or a signal handler),
 * and only while the scanner is open. One thread uses a scanner at a time;
 * scan_set_option may also be called from scan_run's on_next callback
 * (between two pages). */
#ifndef MC_SCAN_H
#define MC_SCAN_H
#include <stdbool.h>
#include <stddef.h>
#include "client/scan/pagestore.h"
#include "core/xalloc.h"

struct scan_device {
	char *name;    /* what sane_open takes: "test:0", "net:host:epson2:..." */
	char *vendor, *model, *type;
};

struct scan_device_list {
	struct scan_device *v;
	size_t n;
};

/* The devices SANE finds (local and network). -1 with err when SANE cannot
 * start; an empty list is not an error. */
int scan_list_devices(struct scan_device_list *out, struct strbuf *err);
void scan_device_list_release(struct scan_device_list *l);

enum scan_source {
	SCAN_FLATBED,
	SCAN_ADF      /* automatic document feeder */
};

/* "flatbed" / "adf" and back (-1 for an unknown name). */
const char *scan_source_name(enum scan_source s);
int scan_source_parse(const char *name);

struct scan_settings {
	enum scan_source source;
	enum page_kind mode;
	int dpi;
};

#define SCAN_DEFAULT_DPI 200

/* The modes by name: "color", "gray" and "lineart" (the device's own), and
 * "auto": the device scans in colour (configure it with PAGE_COLOR) and
 * each page is then kept as pageauto.h chooses (pagestore_add_auto), so
 * *automatic says which. -1 for another name (nothing changed). */
int scan_mode_parse(const char *name, enum page_kind *mode, bool *automatic);
const char *scan_mode_name(enum page_kind mode, bool automatic);

struct scanner;

/* Opens the device by name. -1 with a Vietnamese message (unknown device,
 * busy, access denied...); *bad is set when the name itself was refused
 * (no such device) rather than the device failing (may be NULL). */
int scan_open(struct scanner **out, const char *device, bool *bad, struct strbuf *err);
/* Closes it (and SANE with the last user). NULL is fine. */
void scan_close(struct scanner *s);

/* Applies the settings: the source (a device without a feeder refuses
 * SCAN_ADF), the mode (black-and-white through the device's lineart mode,
 * else 1-bit grey, else grey thresholded here), the resolution nearest to
 * the one asked that the device offers, 8 bits per sample, and an A4 scan
 * area (or the device's largest, when smaller). got (may be NULL) receives
 * what the device actually does. -1 with err; *bad as scan_open. */
int scan_configure(struct scanner *s, const struct scan_settings *want, struct scan_settings *got,
		   bool *bad, struct strbuf *err);

/* Sets any of the device's own options by name: a string, a number or
 * yes/no. -1 with err (no such option, inactive, refused value). */
int scan_set_option(struct scanner *s, const char *name, const char *value, struct strbuf *err);

/* A page is complete: keep it (the callee may take img->data and leave
 * NULL). Return 0 to go on, -1 with err to stop the batch. */
typedef int scan_page_fn(void *arg, int page, struct page_image *img, struct strbuf *err);
/* Progress of page (from 0), in percent (-1 when the device does not know
 * the page's length). Called a few dozen times a page at most. */
typedef void scan_progress_fn(void *arg, int page, int percent);
/* Before each page after the first: true to scan it (on a flatbed, the
 * clerk has put the next sheet), false to end the batch there. */
typedef bool scan_next_fn(void *arg, int page);

struct scan_job {
	int pages;                    /* at most this many; 0: the feeder until
	                               * it is empty, or one page on a flatbed */
	scan_page_fn *on_page;        /* required */
	scan_progress_fn *on_progress;
	scan_next_fn *on_next;
	void *arg;
};

enum scan_end {
	SCAN_END_DONE,       /* the pages asked for were scanned */
	SCAN_END_EMPTY,      /* the feeder ran out, or on_next said no */
	SCAN_END_CANCELLED,  /* scan_cancel */
	SCAN_END_DEVICE,     /* the scanner failed or went away (err) */
	SCAN_END_STORE       /* on_page failed (err) */
};

struct scan_result {
	int pages;           /* pages handed to on_page (and kept by it) */
	enum scan_end end;
};

/* Scans pages until the job is done, the feeder is empty, the device fails
 * or the batch is cancelled. Returns 0 (DONE, EMPTY, CANCELLED) or -1
 * (DEVICE, STORE, or a feeder empty from the start) with err; r says how
 * many pages were kept either way. After SCAN_END_DEVICE the scanner is let
 * go (its child process ends): scan_close it and scan_open it again to try
 * once more (a jam cleared, the cable back). A scanner silent for two
 * minutes is taken for hung: SCAN_END_DEVICE too. */
int scan_run(struct scanner *s, const struct scan_job *job, struct scan_result *r,
	     struct strbuf *err);

/* Stops a batch running in another thread: the page being scanned is
 * dropped, those before it are kept. Safe from any thread and from a signal
 * handler while s is open. A device that does not stop within 5 seconds
 * has its child process killed. */
void scan_cancel(struct scanner *s);

#endif
