/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The encrypting VFS: see cryptvfs.h and docs/security.md. */
#include "client/store/cryptvfs.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/xalloc.h"

#define PAGE CRYPTVFS_PAGE
#define RESERVE CRYPTVFS_RESERVE
#define NONCE crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define MAC crypto_aead_xchacha20poly1305_ietf_ABYTES
#define WAL_HEADER 32
#define FRAME_HEADER 24
#define FRAME (FRAME_HEADER + PAGE)
#define MAGIC_BYTES 8
#define DB_HEADER "SQLite format 3"  /* and its NUL: 16 bytes */
#define TEMP_CHUNK 65536
#define MAX_KEYS 8

enum kind {
	K_PLAIN,   /* passes through */
	K_DB,      /* an encrypted main database */
	K_WAL,     /* its write-ahead log */
	K_JOURNAL, /* its rollback journal */
	K_TEMP     /* a temporary file, under a key of its own */
};

struct cfile {
	sqlite3_file base;
	sqlite3_file *real; /* the default VFS's file, right after this struct */
	enum kind kind;
	unsigned char key[CRYPTVFS_KEYBYTES];
	unsigned char id[CRYPTVFS_IDBYTES];
	unsigned char nonce[crypto_stream_xchacha20_NONCEBYTES]; /* K_TEMP */
	unsigned char *raw, *plain; /* scratch: a frame each */
	/* the last WAL frame header written, for the page that follows it */
	sqlite3_int64 hdr_at;
	unsigned char hdr[FRAME_HEADER];
};

static sqlite3_vfs vfs;
static sqlite3_vfs *base_vfs;
static const sqlite3_io_methods crypt_methods;

/* ---- the keys of the databases, by full path ---- */

static struct {
	char *path;
	unsigned char key[CRYPTVFS_KEYBYTES];
} keys[MAX_KEYS];
static pthread_mutex_t keys_lock = PTHREAD_MUTEX_INITIALIZER;

/* path as SQLite names it to xOpen (the default VFS's full pathname). */
static char *full_path(const char *path)
{
	if (cryptvfs_register() != SQLITE_OK)
		return NULL;
	char *out = xmalloc((size_t)base_vfs->mxPathname + 1);
	if (base_vfs->xFullPathname(base_vfs, path, base_vfs->mxPathname + 1, out) != SQLITE_OK) {
		free(out);
		return NULL;
	}
	return out;
}

int cryptvfs_set_key(const char *path, const unsigned char key[CRYPTVFS_KEYBYTES])
{
	char *full = full_path(path);
	if (!full)
		return -1;
	pthread_mutex_lock(&keys_lock);
	int slot = -1;
	for (int i = 0; i < MAX_KEYS; i++) {
		if (keys[i].path && !strcmp(keys[i].path, full)) {
			slot = i;
			break;
		}
		if (!keys[i].path && slot < 0)
			slot = i;
	}
	if (slot >= 0) {
		free(keys[slot].path);
		keys[slot].path = full;
		memcpy(keys[slot].key, key, CRYPTVFS_KEYBYTES);
	}
	pthread_mutex_unlock(&keys_lock);
	if (slot < 0)
		free(full);
	return slot < 0 ? -1 : 0;
}

void cryptvfs_forget(const char *path)
{
	char *full = full_path(path);
	if (!full)
		return;
	pthread_mutex_lock(&keys_lock);
	for (int i = 0; i < MAX_KEYS; i++) {
		if (keys[i].path && !strcmp(keys[i].path, full)) {
			FREE(&keys[i].path);
			sodium_memzero(keys[i].key, CRYPTVFS_KEYBYTES);
		}
	}
	pthread_mutex_unlock(&keys_lock);
	free(full);
}

/* The key of the database named full (as xOpen gets it) into key. */
static bool lookup(const char *full, unsigned char key[CRYPTVFS_KEYBYTES])
{
	bool found = false;
	pthread_mutex_lock(&keys_lock);
	for (int i = 0; i < MAX_KEYS && !found; i++) {
		if (keys[i].path && !strcmp(keys[i].path, full)) {
			memcpy(key, keys[i].key, CRYPTVFS_KEYBYTES);
			found = true;
		}
	}
	pthread_mutex_unlock(&keys_lock);
	return found;
}

bool cryptvfs_has_key(const char *path)
{
	char *full = full_path(path);
	unsigned char key[CRYPTVFS_KEYBYTES];
	bool found = full && lookup(full, key);
	sodium_memzero(key, sizeof(key));
	free(full);
	return found;
}

void cryptvfs_key_id(const unsigned char key[CRYPTVFS_KEYBYTES], unsigned char id[CRYPTVFS_IDBYTES])
{
	static const unsigned char label[] = "motcua store key id";
	crypto_generichash(id, CRYPTVFS_IDBYTES, label, sizeof(label) - 1, key, CRYPTVFS_KEYBYTES);
}

enum cryptvfs_kind cryptvfs_probe(const char *path, unsigned char id[CRYPTVFS_IDBYTES])
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? CRYPTVFS_MISSING : CRYPTVFS_OTHER;
	unsigned char head[16];
	ssize_t n = pread(fd, head, sizeof(head), 0);
	close(fd);
	if (n == 0)
		return CRYPTVFS_EMPTY;
	if (n != (ssize_t)sizeof(head))
		return CRYPTVFS_OTHER;
	if (!memcmp(head, DB_HEADER, 16))
		return CRYPTVFS_PLAIN;
	if (!memcmp(head, CRYPTVFS_MAGIC, MAGIC_BYTES)) {
		memcpy(id, head + MAGIC_BYTES, CRYPTVFS_IDBYTES);
		return CRYPTVFS_ENCRYPTED;
	}
	return CRYPTVFS_OTHER;
}

/* ---- pages ---- */

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static bool all_zero(const unsigned char *p, size_t n)
{
	unsigned char acc = 0;
	for (size_t i = 0; i < n; i++)
		acc |= p[i];
	return acc == 0;
}

/* The database's first page keeps its first 16 bytes (always SQLite's
 * header string) out of the ciphertext: they hold our magic and key id. */
static size_t skip_of(const struct cfile *f, uint32_t pgno)
{
	return f->kind == K_DB && pgno == 1 ? 16 : 0;
}

/* Seals plaintext page in into out; SQLITE_OK, or SQLITE_IOERR_WRITE for a
 * page this VFS cannot keep (its reserved bytes in use, or a first page
 * that is not 4096 bytes with 40 reserved). */
static int seal_page(const struct cfile *f, uint32_t pgno, const unsigned char *in,
		     unsigned char *out)
{
	size_t skip = skip_of(f, pgno);
	if (!all_zero(in + PAGE - RESERVE, RESERVE)) {
		sqlite3_log(SQLITE_IOERR_WRITE, "cryptvfs: page %u uses its reserved bytes", pgno);
		return SQLITE_IOERR_WRITE;
	}
	if (skip && (memcmp(in, DB_HEADER, 16) || in[16] != PAGE >> 8 || in[17] != (PAGE & 0xff) ||
		     in[20] != RESERVE)) {
		sqlite3_log(SQLITE_IOERR_WRITE, "cryptvfs: the database is not 4096-byte pages"
			    " with %d bytes reserved", RESERVE);
		return SQLITE_IOERR_WRITE;
	}
	unsigned char ad[4];
	put32(ad, pgno);
	unsigned char *nonce = out + PAGE - RESERVE, *mac = nonce + NONCE;
	randombytes_buf(nonce, NONCE);
	crypto_aead_xchacha20poly1305_ietf_encrypt_detached(out + skip, mac, NULL, in + skip,
							    PAGE - RESERVE - skip, ad, sizeof(ad),
							    NULL, nonce, f->key);
	if (skip) {
		memcpy(out, CRYPTVFS_MAGIC, MAGIC_BYTES);
		memcpy(out + MAGIC_BYTES, f->id, CRYPTVFS_IDBYTES);
	}
	return SQLITE_OK;
}

/* Opens sealed page in into out; false when it does not authenticate. A
 * page of zeros (never written: a hole) reads as zeros. */
static bool open_page(const struct cfile *f, uint32_t pgno, const unsigned char *in,
		      unsigned char *out)
{
	if (all_zero(in, PAGE)) {
		memset(out, 0, PAGE);
		return true;
	}
	size_t skip = skip_of(f, pgno);
	if (skip && (memcmp(in, CRYPTVFS_MAGIC, MAGIC_BYTES) ||
		     memcmp(in + MAGIC_BYTES, f->id, CRYPTVFS_IDBYTES)))
		return false;
	unsigned char ad[4];
	put32(ad, pgno);
	const unsigned char *nonce = in + PAGE - RESERVE, *mac = nonce + NONCE;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt_detached(out + skip, NULL, in + skip,
								PAGE - RESERVE - skip, mac, ad,
								sizeof(ad), nonce, f->key))
		return false;
	if (skip)
		memcpy(out, DB_HEADER, 16);
	memset(out + PAGE - RESERVE, 0, RESERVE);
	return true;
}

/* ---- I/O ---- */

static int real_read(struct cfile *f, void *buf, int n, sqlite3_int64 at)
{
	return f->real->pMethods->xRead(f->real, buf, n, at);
}

static int real_write(struct cfile *f, const void *buf, int n, sqlite3_int64 at)
{
	return f->real->pMethods->xWrite(f->real, buf, n, at);
}

static int bad_data(const struct cfile *f, sqlite3_int64 at)
{
	sqlite3_log(SQLITE_IOERR_DATA, "cryptvfs: the page at offset %lld does not authenticate"
		    " (damaged, or another key)", (long long)at);
	return SQLITE_IOERR_DATA;
}

/* The database: whole pages, a read of part of one decrypts it all. */
static int db_read(struct cfile *f, unsigned char *buf, int amt, sqlite3_int64 off)
{
	int result = SQLITE_OK;
	sqlite3_int64 pos = off, end = off + amt;
	while (pos < end) {
		sqlite3_int64 start = pos / PAGE * PAGE;
		uint32_t pgno = (uint32_t)(pos / PAGE + 1);
		int rc = real_read(f, f->raw, PAGE, start);
		if (rc == SQLITE_IOERR_SHORT_READ)
			result = rc;
		else if (rc != SQLITE_OK)
			return rc;
		if (!open_page(f, pgno, f->raw, f->plain))
			return bad_data(f, start);
		sqlite3_int64 stop = start + PAGE < end ? start + PAGE : end;
		memcpy(buf + (pos - off), f->plain + (pos - start), (size_t)(stop - pos));
		pos = stop;
	}
	return result;
}

static int db_write(struct cfile *f, const unsigned char *buf, int amt, sqlite3_int64 off)
{
	if (off % PAGE || amt % PAGE) {
		sqlite3_log(SQLITE_IOERR_WRITE, "cryptvfs: a write of part of a page (%d at %lld)",
			    amt, (long long)off);
		return SQLITE_IOERR_WRITE;
	}
	for (int done = 0; done < amt; done += PAGE) {
		uint32_t pgno = (uint32_t)((off + done) / PAGE + 1);
		int rc = seal_page(f, pgno, buf + done, f->raw);
		if (rc == SQLITE_OK)
			rc = real_write(f, f->raw, PAGE, off + done);
		if (rc != SQLITE_OK)
			return rc;
	}
	return SQLITE_OK;
}

/* The WAL: a 32-byte header, then frames of a 24-byte header (page
 * number first) and a page. Headers are plain. */
static sqlite3_int64 frame_start(sqlite3_int64 pos)
{
	return WAL_HEADER + (pos - WAL_HEADER) / FRAME * FRAME;
}

static int wal_read(struct cfile *f, unsigned char *buf, int amt, sqlite3_int64 off)
{
	int result = SQLITE_OK;
	sqlite3_int64 pos = off, end = off + amt;
	while (pos < end) {
		sqlite3_int64 fs = pos < WAL_HEADER ? 0 : frame_start(pos);
		sqlite3_int64 plain_end = pos < WAL_HEADER ? WAL_HEADER : fs + FRAME_HEADER;
		if (pos < plain_end) { /* a header, or part of one */
			sqlite3_int64 stop = plain_end < end ? plain_end : end;
			int rc = real_read(f, buf + (pos - off), (int)(stop - pos), pos);
			if (rc == SQLITE_IOERR_SHORT_READ)
				result = rc;
			else if (rc != SQLITE_OK)
				return rc;
			pos = stop;
			continue;
		}
		/* a page, or part of one: with its frame's header */
		int rc = real_read(f, f->raw, FRAME, fs);
		if (rc == SQLITE_IOERR_SHORT_READ)
			result = rc;
		else if (rc != SQLITE_OK)
			return rc;
		if (!open_page(f, get32(f->raw), f->raw + FRAME_HEADER, f->plain)) {
			/* A read that takes the frame's header with its page is
			 * SQLite checking frames (recovery, checksums): a torn
			 * frame reads as zeros and fails its checksum there. */
			if (off > fs)
				return bad_data(f, fs + FRAME_HEADER);
			memset(f->plain, 0, PAGE);
		}
		sqlite3_int64 stop = fs + FRAME < end ? fs + FRAME : end;
		memcpy(buf + (pos - off), f->plain + (pos - fs - FRAME_HEADER), (size_t)(stop - pos));
		pos = stop;
	}
	return result;
}

static int wal_write(struct cfile *f, const unsigned char *buf, int amt, sqlite3_int64 off)
{
	sqlite3_int64 pos = off, end = off + amt;
	while (pos < end) {
		sqlite3_int64 fs = pos < WAL_HEADER ? 0 : frame_start(pos);
		sqlite3_int64 plain_end = pos < WAL_HEADER ? WAL_HEADER : fs + FRAME_HEADER;
		if (pos < plain_end) {
			sqlite3_int64 stop = plain_end < end ? plain_end : end;
			int rc = real_write(f, buf + (pos - off), (int)(stop - pos), pos);
			if (rc != SQLITE_OK)
				return rc;
			if (pos == fs && stop == plain_end && fs >= WAL_HEADER) {
				f->hdr_at = fs;
				memcpy(f->hdr, buf + (pos - off), FRAME_HEADER);
			}
			pos = stop;
			continue;
		}
		if (pos != fs + FRAME_HEADER || end - pos < PAGE) {
			sqlite3_log(SQLITE_IOERR_WRITE, "cryptvfs: a WAL write of part of a page"
				    " (%d at %lld)", amt, (long long)off);
			return SQLITE_IOERR_WRITE;
		}
		if (f->hdr_at != fs) { /* a page written again in place: its header is on disk */
			int rc = real_read(f, f->hdr, FRAME_HEADER, fs);
			if (rc != SQLITE_OK)
				return rc == SQLITE_IOERR_SHORT_READ ? SQLITE_IOERR_WRITE : rc;
			f->hdr_at = fs;
		}
		int rc = seal_page(f, get32(f->hdr), buf + (pos - off), f->raw);
		if (rc == SQLITE_OK)
			rc = real_write(f, f->raw, PAGE, pos);
		if (rc != SQLITE_OK)
			return rc;
		pos += PAGE;
	}
	return SQLITE_OK;
}

/* A rollback journal: its headers (at multiples of the sector size) and
 * the page numbers and checksums around each page are plain; a page is
 * always read and written whole, at an offset that is never a multiple of
 * 512 (4 bytes after a header, then every 4104 bytes). */
static bool journal_page(int amt, sqlite3_int64 off)
{
	return amt == PAGE && off % 512 != 0;
}

static int journal_read(struct cfile *f, unsigned char *buf, int amt, sqlite3_int64 off)
{
	if (!journal_page(amt, off))
		return real_read(f, buf, amt, off);
	int rc = real_read(f, f->raw, PAGE, off);
	if (rc != SQLITE_OK && rc != SQLITE_IOERR_SHORT_READ)
		return rc;
	/* played back after a crash: a torn record fails its checksum */
	if (!open_page(f, 0, f->raw, buf))
		memset(buf, 0, PAGE);
	return rc;
}

static int journal_write(struct cfile *f, const unsigned char *buf, int amt, sqlite3_int64 off)
{
	if (!journal_page(amt, off))
		return real_write(f, buf, amt, off);
	int rc = seal_page(f, 0, buf, f->raw);
	return rc == SQLITE_OK ? real_write(f, f->raw, PAGE, off) : rc;
}

/* Temporary files: XChaCha20 at the byte's offset, under a random key. */
static void temp_xor(const struct cfile *f, unsigned char *p, size_t n, uint64_t off)
{
	uint64_t block = off / 64;
	size_t skip = (size_t)(off % 64);
	if (skip) {
		unsigned char ks[64] = { 0 };
		crypto_stream_xchacha20_xor_ic(ks, ks, sizeof(ks), f->nonce, block, f->key);
		size_t k = 64 - skip < n ? 64 - skip : n;
		for (size_t i = 0; i < k; i++)
			p[i] ^= ks[skip + i];
		p += k;
		n -= k;
		block++;
	}
	if (n)
		crypto_stream_xchacha20_xor_ic(p, p, n, f->nonce, block, f->key);
}

static int temp_read(struct cfile *f, unsigned char *buf, int amt, sqlite3_int64 off)
{
	int rc = real_read(f, buf, amt, off);
	if (rc != SQLITE_OK && rc != SQLITE_IOERR_SHORT_READ)
		return rc;
	sqlite3_int64 size = 0, have = amt;
	if (rc == SQLITE_IOERR_SHORT_READ) { /* the bytes past the end stay zeros */
		if (f->real->pMethods->xFileSize(f->real, &size) != SQLITE_OK)
			size = off;
		have = size > off ? (size - off < amt ? size - off : amt) : 0;
	}
	temp_xor(f, buf, (size_t)have, (uint64_t)off);
	return rc;
}

static int temp_write(struct cfile *f, const unsigned char *buf, int amt, sqlite3_int64 off)
{
	for (int done = 0; done < amt;) {
		int k = amt - done < TEMP_CHUNK ? amt - done : TEMP_CHUNK;
		memcpy(f->raw, buf + done, (size_t)k);
		temp_xor(f, f->raw, (size_t)k, (uint64_t)(off + done));
		int rc = real_write(f, f->raw, k, off + done);
		if (rc != SQLITE_OK)
			return rc;
		done += k;
	}
	return SQLITE_OK;
}

/* ---- the io methods ---- */

static int x_close(sqlite3_file *file)
{
	struct cfile *f = (struct cfile *)file;
	int rc = f->real->pMethods ? f->real->pMethods->xClose(f->real) : SQLITE_OK;
	sodium_memzero(f->key, sizeof(f->key));
	if (f->plain)
		sodium_memzero(f->plain, FRAME);
	free(f->raw);
	free(f->plain);
	f->raw = f->plain = NULL;
	return rc;
}

static int x_read(sqlite3_file *file, void *buf, int amt, sqlite3_int64 off)
{
	struct cfile *f = (struct cfile *)file;
	switch (f->kind) {
	case K_DB: return db_read(f, buf, amt, off);
	case K_WAL: return wal_read(f, buf, amt, off);
	case K_JOURNAL: return journal_read(f, buf, amt, off);
	case K_TEMP: return temp_read(f, buf, amt, off);
	default: return real_read(f, buf, amt, off);
	}
}

static int x_write(sqlite3_file *file, const void *buf, int amt, sqlite3_int64 off)
{
	struct cfile *f = (struct cfile *)file;
	switch (f->kind) {
	case K_DB: return db_write(f, buf, amt, off);
	case K_WAL: return wal_write(f, buf, amt, off);
	case K_JOURNAL: return journal_write(f, buf, amt, off);
	case K_TEMP: return temp_write(f, buf, amt, off);
	default: return real_write(f, buf, amt, off);
	}
}

#define REAL(file) (((struct cfile *)(file))->real)

static int x_truncate(sqlite3_file *file, sqlite3_int64 size)
{
	return REAL(file)->pMethods->xTruncate(REAL(file), size);
}

static int x_sync(sqlite3_file *file, int flags)
{
	return REAL(file)->pMethods->xSync(REAL(file), flags);
}

static int x_file_size(sqlite3_file *file, sqlite3_int64 *size)
{
	return REAL(file)->pMethods->xFileSize(REAL(file), size);
}

static int x_lock(sqlite3_file *file, int lock)
{
	return REAL(file)->pMethods->xLock(REAL(file), lock);
}

static int x_unlock(sqlite3_file *file, int lock)
{
	return REAL(file)->pMethods->xUnlock(REAL(file), lock);
}

static int x_check_reserved_lock(sqlite3_file *file, int *out)
{
	return REAL(file)->pMethods->xCheckReservedLock(REAL(file), out);
}

static int x_file_control(sqlite3_file *file, int op, void *arg)
{
	struct cfile *f = (struct cfile *)file;
	if (op == SQLITE_FCNTL_VFSNAME && f->kind != K_PLAIN) {
		*(char **)arg = sqlite3_mprintf("%s", CRYPTVFS_NAME);
		return SQLITE_OK;
	}
	return f->real->pMethods->xFileControl(f->real, op, arg);
}

static int x_sector_size(sqlite3_file *file)
{
	return REAL(file)->pMethods->xSectorSize(REAL(file));
}

static int x_device_characteristics(sqlite3_file *file)
{
	struct cfile *f = (struct cfile *)file;
	int dc = f->real->pMethods->xDeviceCharacteristics(f->real);
	/* no padding frames in the WAL: they would split a page in two writes */
	return f->kind == K_PLAIN ? dc : dc | SQLITE_IOCAP_POWERSAFE_OVERWRITE;
}

static int x_shm_map(sqlite3_file *file, int pg, int pgsz, int extend, void volatile **pp)
{
	return REAL(file)->pMethods->xShmMap(REAL(file), pg, pgsz, extend, pp);
}

static int x_shm_lock(sqlite3_file *file, int offset, int n, int flags)
{
	return REAL(file)->pMethods->xShmLock(REAL(file), offset, n, flags);
}

static void x_shm_barrier(sqlite3_file *file)
{
	REAL(file)->pMethods->xShmBarrier(REAL(file));
}

static int x_shm_unmap(sqlite3_file *file, int del)
{
	return REAL(file)->pMethods->xShmUnmap(REAL(file), del);
}

static int x_fetch(sqlite3_file *file, sqlite3_int64 off, int amt, void **pp)
{
	struct cfile *f = (struct cfile *)file;
	if (f->kind != K_PLAIN) { /* no memory map of ciphertext: SQLite reads instead */
		*pp = NULL;
		return SQLITE_OK;
	}
	return f->real->pMethods->xFetch(f->real, off, amt, pp);
}

static int x_unfetch(sqlite3_file *file, sqlite3_int64 off, void *p)
{
	struct cfile *f = (struct cfile *)file;
	if (f->kind != K_PLAIN)
		return SQLITE_OK;
	return f->real->pMethods->xUnfetch(f->real, off, p);
}

static const sqlite3_io_methods crypt_methods = {
	3,
	x_close,
	x_read,
	x_write,
	x_truncate,
	x_sync,
	x_file_size,
	x_lock,
	x_unlock,
	x_check_reserved_lock,
	x_file_control,
	x_sector_size,
	x_device_characteristics,
	x_shm_map,
	x_shm_lock,
	x_shm_barrier,
	x_shm_unmap,
	x_fetch,
	x_unfetch,
};

/* The encrypted main database a WAL or journal named name belongs to. */
static struct cfile *main_of(const char *name)
{
	if (!name)
		return NULL;
	sqlite3_file *db = sqlite3_database_file_object(name);
	if (!db || db->pMethods != &crypt_methods)
		return NULL;
	struct cfile *m = (struct cfile *)db;
	return m->kind == K_DB ? m : NULL;
}

static int x_open(sqlite3_vfs *v, const char *name, sqlite3_file *file, int flags, int *out_flags)
{
	(void)v;
	struct cfile *f = (struct cfile *)file;
	memset(f, 0, sizeof(*f));
	f->real = (sqlite3_file *)(f + 1);
	f->hdr_at = -1;
	int rc = base_vfs->xOpen(base_vfs, name, f->real, flags, out_flags);
	if (rc != SQLITE_OK)
		return rc; /* base.pMethods stays NULL: no xClose */

	struct cfile *m;
	if (flags & SQLITE_OPEN_MAIN_DB) {
		if (name && lookup(name, f->key)) {
			f->kind = K_DB;
			cryptvfs_key_id(f->key, f->id);
		}
	} else if (flags & (SQLITE_OPEN_WAL | SQLITE_OPEN_MAIN_JOURNAL)) {
		if ((m = main_of(name))) {
			f->kind = flags & SQLITE_OPEN_WAL ? K_WAL : K_JOURNAL;
			memcpy(f->key, m->key, sizeof(f->key));
			memcpy(f->id, m->id, sizeof(f->id));
		}
	} else if (flags & (SQLITE_OPEN_TEMP_DB | SQLITE_OPEN_TEMP_JOURNAL |
			    SQLITE_OPEN_TRANSIENT_DB | SQLITE_OPEN_SUBJOURNAL)) {
		f->kind = K_TEMP;
		randombytes_buf(f->key, sizeof(f->key));
		randombytes_buf(f->nonce, sizeof(f->nonce));
	}
	if (f->kind != K_PLAIN) {
		f->raw = xmalloc(TEMP_CHUNK > FRAME ? TEMP_CHUNK : FRAME);
		f->plain = xmalloc(FRAME);
	}
	f->base.pMethods = &crypt_methods;
	return SQLITE_OK;
}

static int x_delete(sqlite3_vfs *v, const char *name, int sync_dir)
{
	(void)v;
	return base_vfs->xDelete(base_vfs, name, sync_dir);
}

static int x_access(sqlite3_vfs *v, const char *name, int flags, int *out)
{
	(void)v;
	return base_vfs->xAccess(base_vfs, name, flags, out);
}

static int x_full_pathname(sqlite3_vfs *v, const char *name, int n, char *out)
{
	(void)v;
	return base_vfs->xFullPathname(base_vfs, name, n, out);
}

static void *x_dl_open(sqlite3_vfs *v, const char *name)
{
	(void)v;
	return base_vfs->xDlOpen(base_vfs, name);
}

static void x_dl_error(sqlite3_vfs *v, int n, char *msg)
{
	(void)v;
	base_vfs->xDlError(base_vfs, n, msg);
}

static void (*x_dl_sym(sqlite3_vfs *v, void *h, const char *sym))(void)
{
	(void)v;
	return base_vfs->xDlSym(base_vfs, h, sym);
}

static void x_dl_close(sqlite3_vfs *v, void *h)
{
	(void)v;
	base_vfs->xDlClose(base_vfs, h);
}

static int x_randomness(sqlite3_vfs *v, int n, char *out)
{
	(void)v;
	return base_vfs->xRandomness(base_vfs, n, out);
}

static int x_sleep(sqlite3_vfs *v, int us)
{
	(void)v;
	return base_vfs->xSleep(base_vfs, us);
}

static int x_current_time(sqlite3_vfs *v, double *t)
{
	(void)v;
	return base_vfs->xCurrentTime(base_vfs, t);
}

static int x_get_last_error(sqlite3_vfs *v, int n, char *msg)
{
	(void)v;
	return base_vfs->xGetLastError ? base_vfs->xGetLastError(base_vfs, n, msg) : 0;
}

static int x_current_time_int64(sqlite3_vfs *v, sqlite3_int64 *t)
{
	(void)v;
	return base_vfs->xCurrentTimeInt64(base_vfs, t);
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int register_rc = SQLITE_ERROR;

static void do_register(void)
{
	if (sodium_init() < 0 || sqlite3_initialize() != SQLITE_OK)
		return;
	base_vfs = sqlite3_vfs_find(NULL);
	if (!base_vfs || base_vfs->iVersion < 2)
		return;
	vfs.iVersion = 2;
	vfs.szOsFile = (int)sizeof(struct cfile) + base_vfs->szOsFile;
	vfs.mxPathname = base_vfs->mxPathname;
	vfs.zName = CRYPTVFS_NAME;
	vfs.xOpen = x_open;
	vfs.xDelete = x_delete;
	vfs.xAccess = x_access;
	vfs.xFullPathname = x_full_pathname;
	vfs.xDlOpen = x_dl_open;
	vfs.xDlError = x_dl_error;
	vfs.xDlSym = x_dl_sym;
	vfs.xDlClose = x_dl_close;
	vfs.xRandomness = x_randomness;
	vfs.xSleep = x_sleep;
	vfs.xCurrentTime = x_current_time;
	vfs.xGetLastError = x_get_last_error;
	vfs.xCurrentTimeInt64 = x_current_time_int64;
	register_rc = sqlite3_vfs_register(&vfs, 0);
}

int cryptvfs_register(void)
{
	pthread_once(&once, do_register);
	return register_rc;
}
