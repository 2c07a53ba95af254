#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# spdx.sh: puts the licence's SPDX line at the top of every source file that
# lacks it (idempotent: a file that has it in its first lines is left alone).
#
#   sh tools/spdx.sh [--check] [FILE...]
#
# Without FILE: the tracked C sources and headers, shell scripts, UI test
# scripts, Makefile, .ci/run, man pages and dist/ files. Left out: the data
# (their own licences, debian/copyright), the docs, the golden screens, the
# keymaps (line numbers in messages), the SQL migrations (released files are
# never edited). --check lists the files lacking the line and exits 1 if any.
#
#   C        /* SPDX-License-Identifier: GPL-3.0-or-later */   as line 1
#   shell    # SPDX-License-Identifier: GPL-3.0-or-later       after #! if any
#   man      .\" SPDX-License-Identifier: GPL-3.0-or-later     as line 1
ID="SPDX-License-Identifier: GPL-3.0-or-later"
check=0
if [ "${1:-}" = --check ]; then
	check=1
	shift
fi
cd "$(dirname "$0")/.." || exit 2
if [ $# = 0 ]; then
	set -- $(git ls-files -- '*.c' '*.h' '*.sh' 'tests/ui/*.test' Makefile .ci/run 'man/*.[0-9]' \
		'dist/*' debian/rules)
fi
lacking=0
for f in "$@"; do
	[ -f "$f" ] || continue
	head -n 3 "$f" | grep -q 'SPDX-License-Identifier:' && continue
	lacking=$((lacking + 1))
	if [ $check = 1 ]; then
		echo "$f"
		continue
	fi
	case $f in
	*.c | *.h) line="/* $ID */" ;;
	*.[0-9]) line=".\\\" $ID" ;;
	*) line="# $ID" ;;
	esac
	tmp=$f.spdx.$$
	if head -n 1 "$f" | grep -q '^#!'; then
		{ head -n 1 "$f"; printf '%s\n' "$line"; tail -n +2 "$f"; } >"$tmp"
	else
		{ printf '%s\n' "$line"; cat "$f"; } >"$tmp"
	fi
	chmod --reference="$f" "$tmp" 2>/dev/null
	mv "$tmp" "$f"
done
if [ $check = 1 ]; then
	[ $lacking = 0 ]
	exit
fi
echo "spdx: $lacking file(s) given the line"
