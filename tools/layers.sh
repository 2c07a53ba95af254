#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# layers.sh: checks that every #include in the program points down the layers
# of docs/hacking.md, and that only the local store and sync say sqlite3_.
#
#   sh tools/layers.sh [ROOT]      (make layers; ROOT defaults to .)
#
# Prints one line per violation, "file:line: message", and exits 1 when there
# is any; 0 otherwise. tests/cli/t_layers.sh proves it catches them.
root=${1:-.}
cd "$root" || exit 2

# layer NAME of a path (a source file or an include target); empty: unchecked
# (tests, bench, tools, system headers).
layer_of() {
	case "$1" in
	core/*) echo core ;;
	client/base/*) echo base ;;
	client/store/*) echo store ;;
	sync/*) echo sync ;;
	client/print/*) echo print ;;
	client/scan/*) echo scan ;;
	client/sign/*) echo sign ;;
	client/services/*) echo services ;;
	client/tui/*) echo tui ;;
	client/cli/*) echo cli ;;
	screens/*) echo screens ;;
	client/*.c | client/*.h) echo program ;;
	server/server.h | server/db.c | server/metrics.c) echo server-base ;;
	server/http.[ch]) echo server-http ;;
	server/*) echo server ;;
	*) echo "" ;;
	esac
}

# The layers each layer may include, itself included. The arrows only point
# down: core <- base <- store <- sync <- print, scan, sign <- services <- tui,
# cli <- screens <- program. print, scan and sign sit side by side (none
# includes another), so do tui and cli. The server shares only core with the
# client; in it, the HTTP engine (server-http) knows no handler: server-base
# (database, metrics) <- server-http <- server (handlers, operations, routes,
# commands).
may_include() {
	case "$1" in
	core) echo "core" ;;
	base) echo "base core" ;;
	store) echo "store base core" ;;
	sync) echo "sync store base core" ;;
	print) echo "print store base core" ;;
	scan) echo "scan store base core" ;;
	sign) echo "sign store base core" ;;
	services) echo "services print scan sign sync store base core" ;;
	tui) echo "tui services print scan sign sync store base core" ;;
	cli) echo "cli services print scan sign sync store base core" ;;
	screens) echo "screens tui services print scan sign sync store base core" ;;
	program) echo "program screens tui cli services print scan sign sync store base core" ;;
	server-base) echo "server-base core" ;;
	server-http) echo "server-http server-base core" ;;
	server) echo "server server-http server-base core" ;;
	esac
}

# Layers whose code may run SQL on the workstation's store: the store owns
# every table of the client (the outbox included); sync owns its own
# (cursors, leases, uploads). The server speaks to PostgreSQL, not SQLite.
sql_ok() {
	case "$1" in store | sync) return 0 ;; *) return 1 ;; esac
}

bad=0
files=$(find core client sync screens server -name '*.[ch]' 2>/dev/null | sort)
for f in $files; do
	from=$(layer_of "$f")
	[ -n "$from" ] || continue
	allowed=" $(may_include "$from") "
	# includes: "path" only; <system> headers are libraries, not layers
	out=$(grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" |
		sed 's/^\([0-9]*\):[^"]*"\([^"]*\)".*/\1 \2/')
	if [ -n "$out" ]; then
		while read -r line target; do
			to=$(layer_of "$target")
			if [ -z "$to" ]; then
				echo "$f:$line: includes \"$target\", which is in no layer"
				bad=$((bad + 1))
				continue
			fi
			case "$allowed" in
			*" $to "*) ;;
			*)
				echo "$f:$line: $from may not include $to (\"$target\"): the arrow points up or sideways"
				bad=$((bad + 1)) ;;
			esac
		done <<EOF
$out
EOF
	fi
	if ! sql_ok "$from"; then
		hits=$(grep -n 'sqlite3_\|<sqlite3\.h>' "$f" | cut -d: -f1 | head -1)
		if [ -n "$hits" ]; then
			echo "$f:$hits: SQLite in the $from layer: only the store and sync run SQL"
			bad=$((bad + 1))
		fi
	fi
done
if [ "$bad" -gt 0 ]; then
	echo "layers: $bad violation(s); see docs/hacking.md" >&2
	exit 1
fi
echo "layers: every include points down"
exit 0
