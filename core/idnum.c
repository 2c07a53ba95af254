/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "core/idnum.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* Province codes of birth registration used in CCCD numbers: the statistics
 * office's codes of the 63 provinces in force before 1 July 2025. */
static const struct {
	int code;
	const char *name;
} provinces[] = {
	{ 1, "Hà Nội" },        { 2, "Hà Giang" },      { 4, "Cao Bằng" },
	{ 6, "Bắc Kạn" },       { 8, "Tuyên Quang" },   { 10, "Lào Cai" },
	{ 11, "Điện Biên" },    { 12, "Lai Châu" },     { 14, "Sơn La" },
	{ 15, "Yên Bái" },      { 17, "Hòa Bình" },     { 19, "Thái Nguyên" },
	{ 20, "Lạng Sơn" },     { 22, "Quảng Ninh" },   { 24, "Bắc Giang" },
	{ 25, "Phú Thọ" },      { 26, "Vĩnh Phúc" },    { 27, "Bắc Ninh" },
	{ 30, "Hải Dương" },    { 31, "Hải Phòng" },    { 33, "Hưng Yên" },
	{ 34, "Thái Bình" },    { 35, "Hà Nam" },       { 36, "Nam Định" },
	{ 37, "Ninh Bình" },    { 38, "Thanh Hóa" },    { 40, "Nghệ An" },
	{ 42, "Hà Tĩnh" },      { 44, "Quảng Bình" },   { 45, "Quảng Trị" },
	{ 46, "Thừa Thiên Huế" }, { 48, "Đà Nẵng" },    { 49, "Quảng Nam" },
	{ 51, "Quảng Ngãi" },   { 52, "Bình Định" },    { 54, "Phú Yên" },
	{ 56, "Khánh Hòa" },    { 58, "Ninh Thuận" },   { 60, "Bình Thuận" },
	{ 62, "Kon Tum" },      { 64, "Gia Lai" },      { 66, "Đắk Lắk" },
	{ 67, "Đắk Nông" },     { 68, "Lâm Đồng" },     { 70, "Bình Phước" },
	{ 72, "Tây Ninh" },     { 74, "Bình Dương" },   { 75, "Đồng Nai" },
	{ 77, "Bà Rịa - Vũng Tàu" }, { 79, "TP Hồ Chí Minh" }, { 80, "Long An" },
	{ 82, "Tiền Giang" },   { 83, "Bến Tre" },      { 84, "Trà Vinh" },
	{ 86, "Vĩnh Long" },    { 87, "Đồng Tháp" },    { 89, "An Giang" },
	{ 91, "Kiên Giang" },   { 92, "Cần Thơ" },      { 93, "Hậu Giang" },
	{ 94, "Sóc Trăng" },    { 95, "Bạc Liêu" },     { 96, "Cà Mau" },
};

const char *mc_cccd_province_name(int code)
{
	for (size_t i = 0; i < sizeof(provinces) / sizeof(provinces[0]); i++)
		if (provinces[i].code == code)
			return provinces[i].name;
	return NULL;
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

#define MSG_ENTRY(name, msg) [name] = msg,
static const char *const cccd_messages[] = { MC_CCCD_RESULTS(MSG_ENTRY) };
static const char *const taxcode_messages[] = { MC_TAXCODE_RESULTS(MSG_ENTRY) };
#undef MSG_ENTRY

const char *mc_cccd_message(enum mc_cccd_result r)
{
	return cccd_messages[r];
}

const char *mc_taxcode_message(enum mc_taxcode_result r)
{
	return taxcode_messages[r];
}

enum mc_cccd_result mc_cccd_check(const char *id, int birth_year, char sex, struct mc_cccd *out)
{
	if (strlen(id) != 12 || !all_digits(id, 12))
		return MC_CCCD_LENGTH;
	int code = (id[0] - '0') * 100 + (id[1] - '0') * 10 + (id[2] - '0');
	const char *name = mc_cccd_province_name(code);
	if (!name)
		return MC_CCCD_PROVINCE;
	int g = id[3] - '0';
	int year = 1900 + (g / 2) * 100 + (id[4] - '0') * 10 + (id[5] - '0');
	char s = g % 2 ? 'F' : 'M';
	if (out) {
		out->province = code;
		out->province_name = name;
		out->birth_year = year;
		out->sex = s;
	}
	if (birth_year && birth_year != year)
		return MC_CCCD_YEAR;
	if (sex && sex != s)
		return MC_CCCD_SEX;
	return MC_CCCD_OK;
}

/* Weights of the first nine digits; the tenth is 10 - (sum mod 11). */
static const int tax_weights[9] = { 31, 29, 23, 19, 17, 13, 7, 5, 3 };

enum mc_taxcode_result mc_taxcode_check(const char *code, char *norm, size_t n)
{
	char digits[14];
	size_t len = strlen(code);
	if (len == 10 && all_digits(code, 10)) {
		memcpy(digits, code, 10);
		digits[10] = '\0';
	} else if (len == 13 && all_digits(code, 13)) {
		memcpy(digits, code, 13);
		digits[13] = '\0';
	} else if (len == 14 && code[10] == '-' && all_digits(code, 10) && all_digits(code + 11, 3)) {
		memcpy(digits, code, 10);
		memcpy(digits + 10, code + 11, 3);
		digits[13] = '\0';
	} else {
		return MC_TAXCODE_FORMAT;
	}
	if ((digits[0] == '0' && digits[1] == '0') || !strncmp(digits + 2, "0000000", 7))
		return MC_TAXCODE_ZERO;
	int sum = 0;
	for (int i = 0; i < 9; i++)
		sum += (digits[i] - '0') * tax_weights[i];
	int check = 10 - sum % 11; /* 10 (sum divisible by 11) is never issued */
	if (check != digits[9] - '0')
		return MC_TAXCODE_CHECKSUM;
	if (digits[10] && !strcmp(digits + 10, "000"))
		return MC_TAXCODE_BRANCH;
	if (norm) {
		if (digits[10])
			snprintf(norm, n, "%.10s-%s", digits, digits + 10);
		else
			snprintf(norm, n, "%s", digits);
	}
	return MC_TAXCODE_OK;
}
