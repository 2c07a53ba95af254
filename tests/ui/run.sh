#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# UI tests: each tests/ui/NAME.test is a shell fragment that drives the real
# program headlessly (MOTCUA_SCRIPT key scripts) and compares screen dumps with
# tests/ui/NAME.*.screen golden files. Set UPDATE=1 to rewrite the goldens.
# ONLY="reception home" runs only those tests (while developing).
MOTCUA=$1; export MOTCUA
dir=$(cd "$(dirname "$0")" && pwd); export UIDIR="$dir"
pass=0; failn=0
for t in "$dir"/*.test; do
	[ -e "$t" ] || continue
	if [ -n "${ONLY:-}" ]; then
		case " $ONLY " in *" $(basename "$t" | sed 's/\.[a-z]*$//') "*) ;; *) continue ;; esac
	fi
	T=$(mktemp -d); export T
	if sh -c ". '$dir/../cli/lib.sh'; . '$dir/lib.sh'; . '$t'; finish" >"$T.log" 2>&1; then
		pass=$((pass+1))
	else
		failn=$((failn+1)); echo "FAILED: $t"; cat "$T.log"
	fi
	rm -rf "$T" "$T.log"
done
echo "ui: $pass passed, $failn failed"
[ "$failn" = 0 ]
