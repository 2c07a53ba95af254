/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Abort-on-OOM allocators (git/htop style). Ownership in names: x_init sets up
 * without allocating, x_release frees contents, x_free frees both. */
#ifndef MC_XALLOC_H
#define MC_XALLOC_H
#include <stddef.h>
#include <stdarg.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap);

/* Frees *pp and sets it to NULL (neomutt's FREE). */
#define FREE(pp) do { free(*(pp)); *(pp) = NULL; } while (0)

/* A growable byte buffer; always NUL-terminated once anything was added. */
struct strbuf {
	char *buf;
	size_t len, alloc;
};
#define STRBUF_INIT { NULL, 0, 0 }
void strbuf_init(struct strbuf *sb);
void strbuf_release(struct strbuf *sb);
void strbuf_add(struct strbuf *sb, const void *data, size_t n);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, char c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
char *strbuf_detach(struct strbuf *sb); /* caller frees; never NULL */
void strbuf_reset(struct strbuf *sb);

#endif
