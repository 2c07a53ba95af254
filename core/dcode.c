/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "core/dcode.h"

#include <stdio.h>
#include <string.h>

#include "core/datetime.h"

#define SEQ_MAX 999999999L

static bool is_upper_alnum(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

bool mc_unit_ident_valid(const char *ident)
{
	size_t len = strlen(ident);
	if (len == 0 || len > MC_UNIT_IDENT_MAX)
		return false;
	bool group_empty = true;
	for (size_t i = 0; i < len; i++) {
		if (ident[i] == '.') {
			if (group_empty)
				return false; /* leading dot or two dots in a row */
			group_empty = true;
		} else if (is_upper_alnum(ident[i])) {
			group_empty = false;
		} else {
			return false;
		}
	}
	return !group_empty; /* no trailing dot */
}

/* Matches s against a shape: '9' a digit, 'A' a letter A-Z, 'X' a letter or
 * digit, anything else itself. */
static bool shape(const char *s, const char *pattern)
{
	for (; *pattern; s++, pattern++) {
		char c = *s;
		switch (*pattern) {
		case '9':
			if (!is_digit(c))
				return false;
			break;
		case 'A':
			if (!(c >= 'A' && c <= 'Z'))
				return false;
			break;
		case 'X':
			if (!is_upper_alnum(c))
				return false;
			break;
		default:
			if (c != *pattern)
				return false;
		}
	}
	return *s == '\0';
}

bool mc_unit_ident_is_qcvn102(const char *ident)
{
	return shape(ident, "999.99.99.A99");
}

/* The national platform identifier of Circular 04/2025: MX1X2.Y1Y2Y3.Z1Z2. */
static bool is_platform_ident(const char *ident)
{
	return shape(ident, "MXX.XXX.XX");
}

int mc_dcode_format(char *buf, size_t n, const char *unit_ident, int y, int m, int d, long seq)
{
	if (!mc_unit_ident_valid(unit_ident) || y < 2000 || y > 2099 || !mc_date_valid(y, m, d) ||
	    seq < 1 || seq > SEQ_MAX)
		return -1;
	int w = snprintf(buf, n, "%s-%02d%02d%02d-%04ld", unit_ident, y % 100, m, d, seq);
	if (w < 0 || (size_t)w >= n)
		return -1;
	return w;
}

static int fail(const char **why, const char *msg)
{
	if (why)
		*why = msg;
	return -1;
}

int mc_dcode_parse(const char *code, struct mc_dcode *out, const char **why)
{
	char s[MC_DCODE_MAX + 1];
	while (*code == ' ' || *code == '\t')
		code++;
	size_t len = strlen(code);
	while (len && (code[len - 1] == ' ' || code[len - 1] == '\t' || code[len - 1] == '\n' ||
		       code[len - 1] == '\r'))
		len--;
	if (len == 0)
		return fail(why, "mã hồ sơ trống");
	if (len > MC_DCODE_MAX)
		return fail(why, "mã hồ sơ quá dài");
	for (size_t i = 0; i < len; i++)
		s[i] = code[i] >= 'a' && code[i] <= 'z' ? (char)(code[i] - 'a' + 'A') : code[i];
	s[len] = '\0';

	char *dash1 = strchr(s, '-'), *dash2 = strrchr(s, '-');
	if (!dash1 || dash1 == dash2)
		return fail(why, "mã hồ sơ phải có dạng <mã đơn vị>-YYMMDD-<số thứ tự>");
	if (strchr(dash1 + 1, '-') != dash2)
		return fail(why, "mã hồ sơ có quá nhiều dấu gạch ngang");
	*dash1 = *dash2 = '\0';
	const char *ident = s, *date = dash1 + 1, *seq = dash2 + 1;

	if (!mc_unit_ident_valid(ident))
		return fail(why, "mã định danh đơn vị không hợp lệ (chỉ gồm A-Z, 0-9 và dấu chấm,"
				 " tối đa 35 ký tự)");
	if (!shape(date, "999999"))
		return fail(why, "ngày trong mã hồ sơ phải gồm 6 chữ số YYMMDD");
	int y = 2000 + (date[0] - '0') * 10 + (date[1] - '0');
	int m = (date[2] - '0') * 10 + (date[3] - '0');
	int d = (date[4] - '0') * 10 + (date[5] - '0');
	if (!mc_date_valid(y, m, d))
		return fail(why, "ngày trong mã hồ sơ không tồn tại");
	size_t nseq = strlen(seq);
	if (nseq < 4 || nseq > 9)
		return fail(why, "số thứ tự trong mã hồ sơ phải có từ 4 đến 9 chữ số");
	long v = 0;
	for (size_t i = 0; i < nseq; i++) {
		if (!is_digit(seq[i]))
			return fail(why, "số thứ tự trong mã hồ sơ chỉ gồm chữ số");
		v = v * 10 + (seq[i] - '0');
	}

	memset(out, 0, sizeof(*out));
	memcpy(out->ident, ident, strlen(ident) + 1); /* valid: at most 35 characters */
	out->y = y;
	out->m = m;
	out->d = d;
	out->platform = -1;
	out->seq_digits = (int)nseq;
	if (is_platform_ident(ident) && nseq == 6) {
		out->form = MC_DCODE_PLATFORM;
		out->platform = (seq[0] - '0') * 10 + (seq[1] - '0');
		out->seq = v % 10000;
		out->seq_digits = 4;
	} else {
		out->form = mc_unit_ident_is_qcvn102(ident) ? MC_DCODE_QCVN102 : MC_DCODE_QD20;
		out->seq = v;
	}
	if (out->seq == 0)
		return fail(why, "số thứ tự trong mã hồ sơ phải từ 1 trở lên");
	return 0;
}

long mc_dcode_fallback_slot(const char *device_id)
{
	unsigned long long h = 14695981039346656037ULL;
	for (const unsigned char *p = (const unsigned char *)device_id; *p; p++) {
		h ^= *p;
		h *= 1099511628211ULL;
	}
	return (long)(h % (unsigned long long)MC_DCODE_FALLBACK_SLOTS);
}

bool mc_dcode_fallback_of(const char *device_id, long seq)
{
	long first = MC_DCODE_FALLBACK_BASE +
		     mc_dcode_fallback_slot(device_id) * (MC_DCODE_FALLBACK_PER_DAY + 1);
	return seq > first && seq <= first + MC_DCODE_FALLBACK_PER_DAY;
}
