/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Identity numbers checked at reception. Pure code, no I/O.
 *
 * Citizen ID (CCCD, căn cước công dân), 12 digits (Circular 59/2021/TT-BCA):
 * digits 1-3 the province where the birth was registered (one of the 63
 * province codes in force before 1 July 2025, 001 Hà Nội ... 096 Cà Mau; the
 * 34 provinces since then kept codes from that list), digit 4 the century and
 * sex (0/1 = 1900s male/female, 2/3 = 2000s, 4/5 = 2100s, 6/7 = 2200s,
 * 8/9 = 2300s), digits 5-6 the last two digits of the birth year, then six
 * random digits.
 *
 * Business tax code (mã số doanh nghiệp / mã số thuế): 10 digits whose last
 * is a check digit (weights 31 29 23 19 17 13 7 5 3 on the first nine,
 * check = 10 - sum mod 11; a remainder of 0 gives no valid code), or 13 = those 10 and a 3-digit branch number, written
 * with or without a dash (0100109106-001). */
#ifndef MC_IDNUM_H
#define MC_IDNUM_H
#include <stddef.h>

/* Results with their Vietnamese messages, declared once. */
#define MC_CCCD_RESULTS(X) \
	X(MC_CCCD_OK, "Số CCCD hợp lệ") \
	X(MC_CCCD_LENGTH, "Số CCCD phải gồm đúng 12 chữ số") \
	X(MC_CCCD_PROVINCE, "Ba chữ số đầu của số CCCD không phải mã tỉnh, thành phố nơi đăng ký khai sinh") \
	X(MC_CCCD_YEAR, "Số CCCD không khớp với năm sinh đã nhập") \
	X(MC_CCCD_SEX, "Số CCCD không khớp với giới tính đã nhập")

#define MC_ENUM_ENTRY(name, msg) name,
enum mc_cccd_result { MC_CCCD_RESULTS(MC_ENUM_ENTRY) };

#define MC_TAXCODE_RESULTS(X) \
	X(MC_TAXCODE_OK, "Mã số thuế hợp lệ") \
	X(MC_TAXCODE_FORMAT, "Mã số thuế phải gồm 10 chữ số, hoặc 13 chữ số dạng 0123456789-001") \
	X(MC_TAXCODE_ZERO, "Mã số thuế không thể có mã tỉnh 00 hoặc số thứ tự 0000000") \
	X(MC_TAXCODE_CHECKSUM, "Mã số thuế sai chữ số kiểm tra (chữ số thứ 10)") \
	X(MC_TAXCODE_BRANCH, "Ba chữ số đơn vị phụ thuộc của mã số thuế phải từ 001 đến 999")

enum mc_taxcode_result { MC_TAXCODE_RESULTS(MC_ENUM_ENTRY) };
#undef MC_ENUM_ENTRY

struct mc_cccd {
	int province;              /* 1..96 */
	const char *province_name; /* e.g. "Hà Nội" */
	int birth_year;            /* from digits 4-6 */
	char sex;                  /* 'M' or 'F' */
};

/* Checks a CCCD number against the birth year and sex the clerk entered
 * (birth_year 0 and sex 0 skip those checks; sex is 'M' or 'F'). Checks run in
 * the order of the enum, the first failure is returned; out (optional) is
 * filled whenever the number itself is well formed (LENGTH and PROVINCE
 * leave it untouched). */
enum mc_cccd_result mc_cccd_check(const char *id, int birth_year, char sex, struct mc_cccd *out);
const char *mc_cccd_message(enum mc_cccd_result r);
/* Name of a CCCD province code (1..96), or NULL when there is none. */
const char *mc_cccd_province_name(int code);

/* Checks a business tax code; when it is valid and norm is not NULL, writes
 * the canonical form ("0100109106" or "0100109106-001", n >= 15). */
enum mc_taxcode_result mc_taxcode_check(const char *code, char *norm, size_t n);
const char *mc_taxcode_message(enum mc_taxcode_result r);

#endif
