/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The National Public Service Portal's exchange format (docs/portal.md):
 * its times, and the two messages a province publishes for a dossier, made
 * from the dossier as the server stores it (the document of docs/api.md,
 * with its events). Pure code (Jansson), no I/O: motcua-server's publisher
 * looks up what the mapping needs (the portal's unit code, the clerk's
 * name...) and passes it in a struct portal_ctx; the unit tests call the
 * same functions.
 *
 *   DongBoHoSoMC (publish a dossier): portal_dossier_item
 *   CapNhatTienDoHoSoMC (publish progress): portal_progress_item
 *
 * Every value is a string, as the portal's published examples write them;
 * a time is yyyyMMddHHmmss in Asia/Ho_Chi_Minh ("" when there is none).
 * Each message carries SoThuTu, the dossier's message number (1, 2, ...):
 * with MaHoSo it makes the message's identity, so that a message sent
 * again after a lost acknowledgement is recognised at the portal. */
#ifndef MC_PORTAL_H
#define MC_PORTAL_H
#include <stdbool.h>

#include <jansson.h>

#define PORTAL_TIME_LEN 14
#define PORTAL_SERVICE_DOSSIER "DongBoHoSoMC"
#define PORTAL_SERVICE_PROGRESS "CapNhatTienDoHoSoMC"
#define PORTAL_SERVICE_FETCH "LayHoSoTrucTuyen"
#define PORTAL_SERVICE_CONFIRM "XacNhanHoSoTrucTuyen"
#define PORTAL_TEXT_MAX 2000 /* characters of NoiDungXuLy */

/* "YYYY-MM-DDTHH:MM" (or with ":SS", or a space for the T) -> yyyyMMddHHmmss
 * into out (15 bytes). NULL or "" gives "". Returns 0, or -1 (out = "")
 * for anything else. */
int portal_time(const char *ours, char out[PORTAL_TIME_LEN + 1]);
/* yyyyMMddHHmmss -> "YYYY-MM-DDTHH:MM" into out (17 bytes; the seconds
 * are dropped). Returns 0, or -1 for a malformed or impossible time. */
int portal_time_parse(const char *theirs, char out[17]);

/* What the mapping cannot read in the dossier. NULL: not known. */
struct portal_ctx {
	const char *unit_code;      /* DonViXuLy: the portal's (QCVN 102) identifier of the
				       unit handling the dossier; NULL when not mapped */
	const char *unit_name;      /* PhongBanXuLy */
	const char *procedure_code; /* MaTTHC; NULL: the dossier's procedure_code */
	const char *field_code;     /* MaLinhVuc */
	const char *field_name;     /* TenLinhVuc */
	const char *actor_name;     /* NguoiXuLy: the full name of who acted */
	long long fee;              /* DanhSachLePhi: the procedure's fee in VND; < 0: unknown */
	const char *fee_text;
};

/* The DongBoHoSoMC item of dossier d (the stored dossier JSON), message
 * number seq. A new object. */
json_t *portal_dossier_item(const json_t *d, long seq, const struct portal_ctx *ctx);

/* The CapNhatTienDoHoSoMC item of event e of dossier d, message number
 * seq. A new object. */
json_t *portal_progress_item(const json_t *d, const json_t *e, long seq,
			     const struct portal_ctx *ctx);

/* NoiDungXuLy: what event e did, in Vietnamese, with the content of the
 * form it stands for (02: the papers to supplement, 03: the reasons of a
 * refusal, 04: the new appointment...). malloc'd, at most PORTAL_TEXT_MAX
 * characters. */
char *portal_progress_text(const json_t *e);

/* Whether an event of this kind is published (every action of the
 * lifecycle but 'rate'; not 'reassign', 'attach' nor what the portal
 * itself sent). */
bool portal_event_published(const char *kind);

#endif
