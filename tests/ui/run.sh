#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# UI tests: each tests/ui/NAME.test is a shell fragment that drives the real
# program headlessly (MOTCUA_SCRIPT key scripts) and compares screen dumps with
# tests/ui/NAME.*.screen golden files. Set UPDATE=1 to rewrite the goldens.
# ONLY="reception home" runs only those tests (while developing).
MOTCUA=$1; export MOTCUA
dir=$(cd "$(dirname "$0")" && pwd); export UIDIR="$dir"
. "$dir/../each.sh"
LIBS=". '$dir/../cli/lib.sh'; . '$dir/lib.sh';"
each_test ui "$dir"/*.test
