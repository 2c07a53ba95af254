/* OCR of a stored paper with tesseract (Vietnamese), run as child processes
 * (no library linked): pdftoppm renders each page of the PDF at 300 dpi to
 * PNG in a temporary folder, in memory when the machine has one (tmpfs:
 * $TMPDIR, $XDG_RUNTIME_DIR, /dev/shm), then `tesseract PAGE stdout -l vie`
 * reads each page with OMP_THREAD_LIMIT=1 (one core per worker; the clerk's
 * keys keep theirs). A sealed paper (client/base/sealed.h) is given to
 * pdftoppm decrypted through a pipe-like memory file, never on disk.
 * Nothing here touches curses or the store, so a worker thread may call
 * it. */
#ifndef MC_OCR_H
#define MC_OCR_H
#include "client/base/progress.h"
#include "core/xalloc.h"

/* Resolution the pages are rendered at for OCR. */
#define OCR_DPI 300

/* The text of every page of the PDF at path, pages separated by a form feed,
 * in NFC (malloc'd in *text). -1 with a Vietnamese message in err (a tool is
 * missing, the PDF cannot be read, tesseract failed). */
int ocr_pdf(const char *path, char **text, struct strbuf *err);
/* The same, counting the pages read on progress (its total set once the
 * pages are known). */
int ocr_pdf_progress(const char *path, char **text, struct progress *progress, struct strbuf *err);

/* The text of one image file (PNG, JPEG, TIFF), in NFC. -1 with err. */
int ocr_image(const char *path, char **text, struct strbuf *err);

#endif
