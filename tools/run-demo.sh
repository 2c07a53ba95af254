#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# run-demo.sh BINARY: open the client on a demo store (created on first run).
bin=$1
db=${MOTCUA_DB:-build/demo/motcua.db}
if [ ! -f "$db" ]; then
	"$bin" init --db "$db" --demo || exit $?
fi
exec "$bin" --db "$db"
