/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The CSV of the reference data (core/csv.h), as client/store/import.c
 * reads data/provinces-2025.csv, communes-2025.csv and
 * commune-merges-2025.csv: each line split into at most 8 fields. Every
 * field is a string inside the line, in order, and no longer than what it
 * was cut from. */
#include "tests/fuzz/fuzz.h"

#include "core/csv.h"

#define MAX 8

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size);
	char *save = NULL;
	for (char *l = strtok_r(text, "\r\n", &save); l; l = strtok_r(NULL, "\r\n", &save)) {
		size_t len = strlen(l);
		char *f[MAX];
		int n = mc_csv_split(l, f, MAX);
		FUZZ_CHECK(n >= 1 && n <= MAX + 1);
		for (int i = 0; i < n && i < MAX; i++) {
			FUZZ_CHECK(f[i] >= l && f[i] <= l + len);
			FUZZ_CHECK(f[i] + strlen(f[i]) <= l + len);
			FUZZ_CHECK(i == 0 || f[i] > f[i - 1]);
		}
	}
	free(text);
	return 0;
}
