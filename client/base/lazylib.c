/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Heavy libraries loaded on first use (lazylib.h). */
#include "client/base/lazylib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

/* generated in the build tree (tools/sonames.sh): this build's sonames */
#include <lazylib_names.h>

static const char *const sonames[LAZY_N] = {
	[LAZY_GLIB] = LAZYLIB_SONAME_GLIB,
	[LAZY_GOBJECT] = LAZYLIB_SONAME_GOBJECT,
	[LAZY_CAIRO] = LAZYLIB_SONAME_CAIRO,
	[LAZY_PANGO] = LAZYLIB_SONAME_PANGO,
	[LAZY_PANGOCAIRO] = LAZYLIB_SONAME_PANGOCAIRO,
	[LAZY_POPPLER] = LAZYLIB_SONAME_POPPLER,
	[LAZY_SANE] = LAZYLIB_SONAME_SANE,
	[LAZY_JPEG] = LAZYLIB_SONAME_JPEG,
	[LAZY_TIFF] = LAZYLIB_SONAME_TIFF,
	[LAZY_QRENCODE] = LAZYLIB_SONAME_QRENCODE,
	[LAZY_CURL] = LAZYLIB_SONAME_CURL,
	[LAZY_CRYPTO] = LAZYLIB_SONAME_CRYPTO,
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static void *handles[LAZY_N];

/* Opens lib under the lock; the handle, or NULL with dlerror()'s words in
 * why (when why is not NULL). */
static void *open_locked(enum lazylib lib, struct strbuf *why)
{
	if (!handles[lib]) {
		/* RTLD_GLOBAL: pangocairo and poppler-glib find glib's and cairo's
		 * symbols as they would when linked in */
		void *h = dlopen(sonames[lib], RTLD_NOW | RTLD_GLOBAL);
		if (!h && why) {
			const char *e = dlerror();
			strbuf_addstr(why, e ? e : sonames[lib]);
		}
		__atomic_store_n(&handles[lib], h, __ATOMIC_RELEASE);
	}
	return handles[lib];
}

int lazylib_load(enum lazylib lib, struct strbuf *err)
{
	if (__atomic_load_n(&handles[lib], __ATOMIC_ACQUIRE))
		return 0;
	struct strbuf why = STRBUF_INIT;
	pthread_mutex_lock(&lock);
	void *h = open_locked(lib, &why);
	pthread_mutex_unlock(&lock);
	if (!h)
		strbuf_addf(err, "thiếu thư viện %s (%s): hãy cài lại motcua", sonames[lib],
			    why.buf);
	strbuf_release(&why);
	return h ? 0 : -1;
}

bool lazylib_loaded(enum lazylib lib)
{
	if (__atomic_load_n(&handles[lib], __ATOMIC_ACQUIRE))
		return true;
	void *h = dlopen(sonames[lib], RTLD_NOW | RTLD_NOLOAD);
	if (h)
		dlclose(h);
	return h != NULL;
}

void *lazylib_sym(enum lazylib lib, const char *name, void **slot)
{
	void *p = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
	if (p)
		return p;
	struct strbuf why = STRBUF_INIT;
	pthread_mutex_lock(&lock);
	void *h = open_locked(lib, &why);
	if (h) {
		dlerror();
		p = dlsym(h, name);
		if (!p) {
			const char *e = dlerror();
			strbuf_addstr(&why, e ? e : name);
		}
	}
	pthread_mutex_unlock(&lock);
	if (!p) {
		fprintf(stderr, "motcua: thiếu thư viện %s hoặc hàm %s (%s): hãy cài lại motcua\n",
			sonames[lib], name, why.buf);
		exit(1);
	}
	__atomic_store_n(slot, p, __ATOMIC_RELEASE);
	strbuf_release(&why);
	return p;
}
