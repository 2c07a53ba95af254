#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs every tests/cli/t_*.sh with MOTCUA set to the binary and T to a temp dir.
# ONLY="t_attach t_scan" runs only those files (while developing).
MOTCUA=$1; export MOTCUA
dir=$(dirname "$0")
. "$dir/../each.sh"
LIBS=". '$dir/lib.sh'; . '$dir/../fixtures.sh';"
each_test cli "$dir"/t_*.sh
