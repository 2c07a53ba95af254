#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Run every cmocka unit test binary given; fail if any fails.
fail=0; n=0
for t in "$@"; do
	n=$((n+1))
	if ! LC_ALL=C.UTF-8 TZ=Asia/Ho_Chi_Minh "$t"; then
		echo "FAILED: $t"; fail=$((fail+1))
	fi
done
echo "unit: $((n-fail)) passed, $fail failed"
[ "$fail" = 0 ]
