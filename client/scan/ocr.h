/* SPDX-License-Identifier: GPL-3.0-or-later */
/* OCR with tesseract (Vietnamese), run as child processes (no library
 * linked, so the program's memory stays small and a crash in tesseract is
 * not ours). Nothing here touches curses or the store: a worker thread may
 * call it.
 *
 * Each page is one `tesseract IMAGE stdout -l vie --oem 1 --psm 3 --dpi N`
 * with OMP_THREAD_LIMIT=1 (one core each), niced 10 below the program (the
 * clerk's keys go first), and several pages are read at once by a pool of
 * such processes, one per core (ocr_workers). Debian's tesseract-ocr-vie is
 * the "fast" model of tessdata_fast (LSTM only, 8-bit weights): --oem 1 is
 * the only engine it has.
 *
 * Resolution: tesseract's LSTM scales every text line to the same height,
 * so a page at 200 to 300 dpi is read as it is (at 200 dpi with the same
 * character error rate as at 300, for no more CPU; a 200 dpi page enlarged
 * to 300 cost up to a third more, for no fewer errors); a page below 200
 * dpi is enlarged to 300 and one above 300 reduced to it, in grey
 * (ocr_image_for).
 *
 * Data at rest: tesseract reads each image on its stdin, and pdftoppm each
 * PDF, through sealed_open (client/base/sealed.h): a sealed page or paper is
 * given decrypted from a memory file, never on disk. What must be a file
 * (the pages pdftoppm renders, a page enlarged or put together for
 * tesseract) goes in a folder in memory when the machine has one
 * (ocr_render_base). */
#ifndef MC_OCR_H
#define MC_OCR_H
#include <stdatomic.h>
#include <stdbool.h>

#include "client/base/progress.h"
#include "client/scan/pagestore.h"
#include "core/xalloc.h"

/* Resolution the pages of a PDF are rendered at for OCR (ocr_pdf). */
#define OCR_DPI 300
/* Pages between these resolutions are read as they are. */
#define OCR_MIN_DPI 200
#define OCR_MAX_DPI 300

/* How many pages are read at once: the processors online, 1 to 16;
 * MOTCUA_OCR_WORKERS sets it. */
int ocr_workers(void);

/* Where temporary images go: a folder in memory when there is one (tmpfs,
 * ramfs: $TMPDIR, $XDG_RUNTIME_DIR, /dev/shm), else $TMPDIR or /tmp. */
const char *ocr_render_base(void);

/* A pool of tesseract processes. */
struct ocr_pool;
struct ocr_pool *ocr_pool_new(int workers);
/* Kills what still runs, frees p. NULL is fine. */
void ocr_pool_free(struct ocr_pool *p);
/* Pages being read, and whether another may start. */
int ocr_pool_running(const struct ocr_pool *p);
bool ocr_pool_full(const struct ocr_pool *p);
/* Starts reading the image at path (PNG, JPEG, TIFF, PBM, PGM) of
 * resolution dpi (0: unknown), given to tesseract on its stdin (its
 * plaintext when sealed); tag comes back with its text. The pool must
 * not be full. -1 with a Vietnamese message when no process could start. */
int ocr_pool_start(struct ocr_pool *p, const char *path, int dpi, void *tag, struct strbuf *err);
/* Waits for a page to be read: 0 with its tag and its text (NFC,
 * malloc'd; NULL with err when tesseract failed on it), 1 when nothing is
 * being read, 2 when *stop became non-zero (stop may be NULL): every page
 * being read is then dropped, its process killed. */
int ocr_pool_wait(struct ocr_pool *p, const atomic_int *stop, void **tag, char **text,
		  struct strbuf *err);

/* What to give tesseract for page i of ps: the page's own file when its
 * resolution is OCR_MIN_DPI to OCR_MAX_DPI, else the page in grey at
 * OCR_DPI written to tmp (a PGM); a mixed page is put together (its text
 * over its background) in grey into tmp. *path (malloc'd) and *dpi say
 * which. -1 with err. */
int ocr_image_for(const struct pagestore *ps, size_t i, const char *tmp, char **path, int *dpi,
		  struct strbuf *err);

/* Renders every page of the PDF at path (its plaintext when sealed, read
 * from memory) at OCR_DPI (pdftoppm) into the folder dir; *files (malloc'd, *pages paths, malloc'd each) are the
 * pages' PNGs in order. -1 with err. */
int ocr_render_pdf(const char *path, const char *dir, char ***files, int *pages,
		   struct strbuf *err);

/* The text of every page of the PDF at path, pages separated by a form
 * feed, in NFC (malloc'd in *text): rendered by pdftoppm in a temporary
 * folder (ocr_render_base), read by a pool. -1 with a Vietnamese message
 * in err (a tool is missing, the PDF cannot be read, tesseract failed). */
int ocr_pdf(const char *path, char **text, struct strbuf *err);
/* The same, counting the pages read on progress (its total set once the
 * pages are known). */
int ocr_pdf_progress(const char *path, char **text, struct progress *progress, struct strbuf *err);

/* The text of one image file (PNG, JPEG, TIFF), in NFC. -1 with err. */
int ocr_image(const char *path, char **text, struct strbuf *err);

#endif
