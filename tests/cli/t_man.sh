# SPDX-License-Identifier: GPL-3.0-or-later
# The man pages motcua(1) and motcua-server(8): man renders them without a
# single warning (groff -ww through man --warnings), a broken page does get
# warnings (the check works), and they stay true: every command of
# `motcua --help`, every command of motcua-server's usage and every setting of
# dist/server.conf is in its page; `motcua --version` answers.
root="$(dirname "$MOTCUA")/.."
[ -f "$root/man/motcua.1" ] || root=.
SERVER_BIN="$(dirname "$MOTCUA")/motcua-server"

# render PAGE: the text in $T/page.txt, man's and groff's warnings in $T/page.err
render() {
	LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l "$1" \
		>"$T/page.txt" 2>"$T/page.err"
}

if ! command -v man >/dev/null; then
	fail "man is not installed (apt-get install man-db)"
else
	for page in "$root/man/motcua.1" "$root/man/motcua-server.8"; do
		render "$page" || fail "man -l $page failed: $(head -c 300 "$T/page.err")"
		[ -s "$T/page.err" ] && fail "warnings rendering $page: $(head -c 600 "$T/page.err")"
		expect_grep "$T/page.txt" "^NAME"
		expect_grep "$T/page.txt" "^SYNOPSIS"
		expect_grep "$T/page.txt" "^EXIT STATUS"
		# the Vietnamese names come out whole
		expect_grep "$T/page.txt" "766/QĐ-TTg"
	done
	render "$root/man/motcua.1"
	cp "$T/page.txt" "$T/motcua.txt"
	render "$root/man/motcua-server.8"
	cp "$T/page.txt" "$T/server.txt"

	# a page with an unknown request, a bad escape and a bad font: warnings
	sed -e 's/^\.SH DESCRIPTION$/.SH DESCRIPTION\n.XY unknown request\nbad \\q escape \\fQfont\\fR/' \
		"$root/man/motcua.1" >"$T/broken.1"
	render "$T/broken.1"
	[ -s "$T/page.err" ] || fail "a broken page renders without a warning: the check is blind"

	# every command of the program is in its page
	"$MOTCUA" --help >"$T/help" 2>&1
	cmds=$(sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p' "$T/help")
	[ "$(echo "$cmds" | wc -w)" -ge 15 ] || fail "too few commands in motcua --help: $cmds"
	for c in $cmds; do
		grep -q "^       $c\\b" "$T/motcua.txt" || fail "motcua $c is not in motcua(1)"
	done
	# every command of the server
	if [ -x "$SERVER_BIN" ]; then
		"$SERVER_BIN" help >"$T/shelp" 2>&1
		scmds=$(sed -n 's/^  \([a-z][a-z]*\) .*/\1/p; s/^  \([a-z][a-z]*\)$/\1/p' "$T/shelp" | sort -u)
		[ "$(echo "$scmds" | wc -w)" -ge 8 ] || fail "too few commands in motcua-server help: $scmds"
		for c in $scmds; do
			grep -q "^       $c\\b" "$T/server.txt" || fail "motcua-server $c is not in motcua-server(8)"
		done
	fi
	# every setting of the sample configuration, and of the program
	keys=$(sed -n 's/^#* *\([a-z_]*\) =.*/\1/p' "$root/dist/server.conf" | sort -u)
	[ "$(echo "$keys" | wc -w)" -ge 14 ] || fail "too few settings in dist/server.conf: $keys"
	for k in $keys; do
		grep -q "\\b$k\\b" "$T/server.txt" || fail "setting $k is not in motcua-server(8)"
		grep -q "\"$k\"" "$root/server/config.c" || fail "setting $k of server.conf unknown to server/config.c"
	done
fi

# --version: one line; the JSON of `motcua version` stays
expect_status 0 "$MOTCUA" --version
v=$("$MOTCUA" version | sed -n 's/.*"version": *"\([^"]*\)".*/\1/p')
[ -n "$v" ] || fail "no version in motcua version"
expect_eq "motcua --version" "$(cat "$T/out")" "motcua $v"
