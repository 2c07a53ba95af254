# SPDX-License-Identifier: GPL-3.0-or-later
# A new workstation needs only `motcua login --server URL --username U`: with
# no store, login makes it (the installed reference data), takes the unit the
# server says the user serves, and syncs once: the unit's dossiers another
# workstation sent are there. A refused login leaves no store behind. Then
# motcua doctor on it against the real server: healthy (exit 0, the server
# answers, the clock agrees); the server unreachable: named, exit 1.

t_new_workstation() {
	c_setup || return
	c_input
	old=$(c_store ws_first)
	c_login "$old" cl_a2 || { fail "login of the first workstation: $(cat "$W/c/err")"; return; }
	: >"$W/c/first.codes"
	c_receive "$old" cl_a2 2 "$W/c/first.codes" || return
	c_sync "$old" || { fail "sync of the first workstation: $(cat "$W/c/err")"; return; }

	new=$W/c/newws/motcua.db
	rm -rf "$W/c/newws"
	# a wrong password: refused, and nothing left on disk
	echo wrong-password | "$MOTCUA" login --db "$new" --server "$C_URL" --username cl_a \
		>"$W/c/out" 2>"$W/c/err"
	expect_eq "refused login" "$?" 2
	[ -e "$new" ] && fail "a refused login left a store at $new"
	# the real one
	echo matkhau123 | MOTCUA_NOW=$C_NOW MOTCUA_PROGRESS=json "$MOTCUA" login --db "$new" \
		--server "$C_URL" --username cl_a >"$W/c/out" 2>"$W/c/err"
	expect_eq "login of a new workstation" "$?" 0
	grep -q '"store_created":true' "$W/c/out" || fail "store_created: $(cat "$W/c/out") $(cat "$W/c/err")"
	grep -q '"unit_code":"00004"' "$W/c/out" || fail "unit: $(cat "$W/c/out")"
	grep -q '"sync":{' "$W/c/out" || fail "no first sync in $(cat "$W/c/out")"
	grep -q '^{"progress":"import","done":0,' "$W/c/err" || fail "no import progress: $(head -c 300 "$W/c/err")"
	grep -q '^{"progress":"import","done":[1-9][0-9]*,"total":[1-9][0-9]*,"end":true}$' "$W/c/err" ||
		fail "import progress did not end: $(cat "$W/c/err")"
	grep -q '^{"progress":"sync-pull",.*"end":true}$' "$W/c/err" || fail "no pull progress: $(cat "$W/c/err")"
	expect_eq "unit" "$(lq "$new" "SELECT value FROM settings WHERE key = 'unit_code'")" 00004
	[ -n "$(lq "$new" "SELECT value FROM settings WHERE key = 'unit_ident'")" ] || fail "no unit_ident"
	[ "$(lq "$new" 'SELECT count(*) FROM procedures')" -gt 500 ] || fail "no procedures"
	expect_eq "clerk" "$(lq "$new" "SELECT count(*) FROM clerks WHERE username = 'cl_a'")" 1
	expect_eq "mode" "$(stat -c %a "$new")" 600
	while read -r code; do
		expect_eq "dossier $code" "$(lq "$new" "SELECT count(*) FROM dossiers WHERE code = '$code'")" 1
	done <"$W/c/first.codes"
	# it receives at once, with a number the first workstation does not use
	MOTCUA_NOW=$C_NOW "$MOTCUA" receive --json "$W/c/in.json" --db "$new" --user cl_a \
		>"$W/c/rcv" 2>"$W/c/rcv.err" || fail "receive on the new workstation: $(cat "$W/c/rcv.err")"
	code=$(sed 's/^{"code":"\([^"]*\)".*/\1/' "$W/c/rcv")
	grep -qx "$code" "$W/c/first.codes" && fail "code $code given twice"
	c_sync "$new" || fail "sync of the new workstation: $(cat "$W/c/err")"

	# doctor: healthy against the real server
	mkdir -p "$W/c/sane"
	echo test >"$W/c/sane/dll.conf"
	SANE_CONFIG_DIR=$W/c/sane CUPS_SERVER=$W/c/no-cups "$MOTCUA" doctor --json --db "$new" \
		>"$W/c/doc" 2>"$W/c/doc.err"
	expect_eq "doctor healthy" "$?" 0
	grep -q '{"name":"server","status":"ok",' "$W/c/doc" || fail "server check: $(cat "$W/c/doc")"
	grep -q '{"name":"clock","status":"ok",' "$W/c/doc" || fail "clock check: $(cat "$W/c/doc")"
	# the server gone
	cp "$new" "$W/c/gone.db"
	lq "$W/c/gone.db" "UPDATE sync_state SET server_url = 'http://127.0.0.1:1' WHERE id = 1"
	SANE_CONFIG_DIR=$W/c/sane CUPS_SERVER=$W/c/no-cups "$MOTCUA" doctor --json --db "$W/c/gone.db" \
		>"$W/c/doc" 2>"$W/c/doc.err"
	expect_eq "doctor unreachable" "$?" 1
	grep -q '{"name":"server","status":"fail","message":"Không kết nối được máy chủ http://127.0.0.1:1' \
		"$W/c/doc" || fail "server check: $(cat "$W/c/doc")"
	# an existing store: login does not make it again nor sync
	echo matkhau123 | "$MOTCUA" login --db "$new" --server "$C_URL" --username cl_a >"$W/c/out" 2>"$W/c/err"
	expect_eq "login again" "$?" 0
	grep -q '"store_created":false' "$W/c/out" || fail "store_created again: $(cat "$W/c/out")"
	grep -q '"sync":' "$W/c/out" && fail "a second login synced"
}
