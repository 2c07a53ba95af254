/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Dossier codes (mã hồ sơ), Circular 01/2018/TT-VPCP Art. 19:
 * `<receiving unit identifier>-<YYMMDD>-<sequence>`, the sequence counting the
 * unit's dossiers of that day, at least 4 digits: `000.00.06.H56-231027-0361`.
 * Unit identifiers come in two forms:
 * - QCVN 102:2016: `NNN.NN.NN.XNN` (level 1 at the right, e.g. H56);
 * - Decision 20/2020/QĐ-TTg: at most 35 characters of A-Z and 0-9 in groups
 *   joined by dots (level 1 at the left, e.g. `H56.20.14`).
 * Circular 04/2025 adds `MX1X2.Y1Y2Y3.Z1Z2-YYMMDD-AAXXXX` for national
 * platforms, AA being the platform owner's digits. The parser accepts all of
 * them; the form a unit issues is configuration. Pure code, no I/O. */
#ifndef MC_DCODE_H
#define MC_DCODE_H
#include <stdbool.h>
#include <stddef.h>

#define MC_UNIT_IDENT_MAX 35
#define MC_DCODE_MAX 64 /* buffer size that holds any code we format or parse */

enum mc_dcode_form {
	MC_DCODE_QCVN102,  /* unit identifier of QCVN 102:2016 */
	MC_DCODE_QD20,     /* unit identifier of Decision 20/2020 */
	MC_DCODE_PLATFORM  /* Circular 04/2025 national platform code */
};

struct mc_dcode {
	char ident[MC_UNIT_IDENT_MAX + 1];
	int y, m, d;      /* the reception date (20YY) */
	int platform;     /* AA of the platform form, else -1 */
	long seq;         /* the day's sequence number (XXXX of the platform form) */
	int seq_digits;   /* digits written for seq */
	enum mc_dcode_form form;
};

/* Whether ident is a unit identifier of either form (QCVN 102 or QĐ 20). */
bool mc_unit_ident_valid(const char *ident);
/* Whether ident is in the QCVN 102:2016 form NNN.NN.NN.XNN. */
bool mc_unit_ident_is_qcvn102(const char *ident);

/* Writes `<ident>-YYMMDD-NNNN` (sequence zero-padded to at least 4 digits).
 * Returns the length, or -1 for an invalid identifier, date (years 2000 to
 * 2099) or sequence (1 to 999999999), or a buffer too small. */
int mc_dcode_format(char *buf, size_t n, const char *unit_ident, int y, int m, int d, long seq);

/* Parses a dossier code of any accepted form; surrounding blanks are ignored
 * and letters may be lower case (stored upper case). Returns 0, or -1 with a
 * Vietnamese reason in *why (static text) when why is not NULL. */
int mc_dcode_parse(const char *code, struct mc_dcode *out, const char **why);

/* Sequence numbers a workstation gives without a lease (sync/numbering.h):
 * 9SSSSKKKK, SSSS its slot, KKKK the day's k-th (1..9999). The server
 * leases below MC_DCODE_FALLBACK_BASE only. */
#define MC_DCODE_FALLBACK_BASE 900000000L
#define MC_DCODE_FALLBACK_SLOTS 10000L
#define MC_DCODE_FALLBACK_PER_DAY 9999L
/* A device's fallback slot 0..9999: FNV-1a (64 bits) of its id. */
long mc_dcode_fallback_slot(const char *device_id);
/* Whether seq is in the fallback range of device_id. */
bool mc_dcode_fallback_of(const char *device_id, long seq);

#endif
