/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The reception receipt: form 01 "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
 * (Circular 01/2018/TT-VPCP, kept as Mẫu số 01 by Circular 03/2025/TT-VPCP),
 * an A5 portrait PDF. Layout and field sources: docs/forms.md.
 *
 * The reception code fills a struct receipt (plain borrowed strings, UTF-8;
 * NULL or "" prints the form's dotted blank) and calls receipt_write_pdf. */
#ifndef MC_RECEIPT_H
#define MC_RECEIPT_H
#include <stddef.h>
#include "core/xalloc.h"

struct receipt_component {
	const char *name;                     /* "Tờ khai đăng ký khai sinh" */
	int originals, copies;                /* required by the procedure */
	int presented_originals, presented_copies;
	const char *note;                     /* NULL, or e.g. the override reason */
};

struct receipt {
	/* Header, left: the body above the receiving unit, then the receiving
	 * unit itself; both printed upper-case, as given (no "UBND" is added):
	 * "UBND tỉnh Quảng Ninh" / "Trung tâm Phục vụ hành chính công phường Hạ Long". */
	const char *unit_parent_name;
	const char *unit_name;
	const char *unit_address, *unit_phone; /* printed with the return place */
	const char *place;           /* date line: "<place>, ngày ... tháng ... năm ..." */
	const char *copy_label;      /* e.g. "Liên 1: giao người nộp hồ sơ"; NULL: none */

	const char *code;            /* dossier code, ASCII 32..126 (Code 128 set B) */
	const char *lookup_url;      /* full URL for the QR code; NULL: the QR holds the code */

	const char *procedure_code, *procedure_name;
	const char *applicant_name, *id_number, *phone, *email, *address;
	/* an organisation applying: its tax code (then applicant_name is its
	 * name, id_number unused) and its representative; NULL: a citizen */
	const char *tax_code;
	const char *representative_name, *representative_id, *representative_role;
	/* the second party of a procedure that has two; NULL: none */
	const char *second_name, *second_id;
	const char *fee_text;        /* "8.000 đồng", "Miễn phí" */

	const char *received_at;     /* "YYYY-MM-DDTHH:MM" (required) */
	const char *appointment;     /* "YYYY-MM-DDTHH:MM" (required) */
	const char *processing_time_text; /* "05 ngày làm việc" */
	int n_sets;                  /* sets of the dossier ("số lượng hồ sơ"); 0 means 1 */
	const char *return_place;    /* "Bộ phận Một cửa phường Hạ Long" */
	const char *ledger_book, *ledger_number; /* "Quyển số", "Số thứ tự"; NULL: blank */
	const char *clerk_name;

	size_t n_components;
	const struct receipt_component *components;
};

/* Writes the receipt as a PDF at path (A5 portrait; more pages when the
 * components do not fit on one). Required: unit_name, code, applicant_name,
 * procedure_name, received_at and appointment; the rest prints blanks when
 * NULL. Atomic: written to path.tmp, checked, fsynced and renamed. Returns 0,
 * or -1 with a Vietnamese message in err (missing or malformed required
 * field, unwritable path, full disk), in which case path is untouched and no
 * path.tmp is left. */
int receipt_write_pdf(const struct receipt *r, const char *path, struct strbuf *err);

#endif
