/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Paper types: a code for each kind of paper a citizen brings again and
 * again (the identity card, the birth certificate, ...), so that reuse at
 * reception offers a stored paper for every component its type satisfies,
 * "one of the following" components included, and never a paper of another
 * type (docs/reuse.md).
 *
 * A component accepts a type when its name, outside parentheses, names the
 * type by one of the type's phrases as a run of whole words (compared
 * folded: lower case, no diacritics, đ -> d, any other character than a
 * letter or a digit read as a space). Text in parentheses is left out: the
 * catalog puts there what the clerk may look up instead ("Không yêu cầu ...
 * khi khai thác được thông tin về giấy khai sinh ..."), not what is asked.
 * A component that names no type accepts none: it is matched by wording
 * only (client/store/reuse.h).
 * Pure: no I/O. */
#ifndef MC_PAPERTYPE_H
#define MC_PAPERTYPE_H
#include <stdbool.h>

/* code, Vietnamese name */
#define MC_PAPER_TYPES(X) \
	X(cccd, "Thẻ căn cước, căn cước công dân") \
	X(cmnd, "Chứng minh nhân dân") \
	X(passport, "Hộ chiếu") \
	X(birth, "Giấy khai sinh") \
	X(marriage, "Giấy chứng nhận kết hôn") \
	X(marital, "Xác nhận tình trạng hôn nhân") \
	X(death, "Giấy chứng tử, trích lục khai tử") \
	X(residence, "Xác nhận thông tin về cư trú") \
	X(land, "Giấy chứng nhận quyền sử dụng đất")

enum mc_paper_type {
#define MC_PT_ENUM(id, name) MC_PT_##id,
	MC_PAPER_TYPES(MC_PT_ENUM)
#undef MC_PT_ENUM
	MC_PT_COUNT
};

/* "cccd", ...; NULL out of range. */
const char *mc_paper_type_code(enum mc_paper_type t);
/* The Vietnamese name; NULL out of range. */
const char *mc_paper_type_name(enum mc_paper_type t);
/* MC_PT_COUNT when code is NULL or unknown. */
enum mc_paper_type mc_paper_type_from_code(const char *code);

/* The types a component named name accepts, as a bit set (bit t for type
 * t); 0 when it names none. */
unsigned mc_paper_types_accepted(const char *name);

/* s folded and normalized as above (malloc'd). */
char *mc_paper_normalize(const char *s);
/* Whether phrase is a run of whole words of text (both normalized). */
bool mc_paper_has_phrase(const char *text, const char *phrase);

#endif
