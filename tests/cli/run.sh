#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs every tests/cli/t_*.sh with MOTCUA set to the binary and T to a temp dir.
# ONLY="t_attach t_scan" runs only those files (while developing).
MOTCUA=$1; export MOTCUA
dir=$(dirname "$0")
pass=0; failn=0
for t in "$dir"/t_*.sh; do
	[ -e "$t" ] || continue
	if [ -n "${ONLY:-}" ]; then
		case " $ONLY " in *" $(basename "$t" | sed 's/\.[a-z]*$//') "*) ;; *) continue ;; esac
	fi
	T=$(mktemp -d); export T
	if sh -c ". '$dir/lib.sh'; . '$t'; finish" >"$T.log" 2>&1; then
		pass=$((pass+1))
	else
		failn=$((failn+1)); echo "FAILED: $t"; cat "$T.log"
	fi
	rm -rf "$T" "$T.log"
done
echo "cli: $pass passed, $failn failed"
[ "$failn" = 0 ]
