#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# analyze.sh: clang's static analyser (scan-build, Debian's clang-tools) over
# a full build of both programs in build-analyze; any report fails it
# (--status-bugs), so a new one is seen at once. The HTML reports are left
# in build-analyze/reports (scan-view DIR, or open index.html). Without
# scan-build it says so and passes. Not part of make check (a full build
# under the analyser takes several times a plain one's time).
#   sh tools/analyze.sh [MAKE-ARGS...]       (make analyze)
# SCAN_BUILD=scan-build-16 picks another version; CC is the compiler that
# builds the objects (the analysis itself is clang's).
cd "$(dirname "$0")/.." || exit 2
sb=${SCAN_BUILD:-$(command -v scan-build)}
if [ -z "$sb" ]; then
	echo "analyze: scan-build not found (apt-get install clang-tools): not analysed"
	exit 0
fi
B=build-analyze
# only what is compiled is analysed: start from nothing
rm -rf "$B"
mkdir -p "$B"
# a make above us (make analyze CC=...) must not hand its settings down:
# the build's CC is scan-build's
unset MAKEFLAGS MFLAGS
"$sb" --status-bugs --use-cc="${CC:-cc}" -o "$B/reports" \
	"${MAKE:-make}" --no-print-directory -j"${JOBS:-2}" all B="$B" "$@"
rc=$?
[ "$rc" = 0 ] && echo "analyze: scan-build reports nothing"
exit "$rc"
