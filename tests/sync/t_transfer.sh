# SPDX-License-Identifier: GPL-3.0-or-later
# Transfer to the handling unit: a dossier received in commune
# 00004 and handed over to commune 00008 reaches 00008's workstations with
# the hand-over; 00008's clerk records the result and its return, and 00004
# sees those events. Handed on to a third commune (00025), it leaves 00008's
# hands: 00008 sees that hand-over and can change it no more. A clerk of a
# commune that neither received nor handles a dossier neither reads nor
# changes it. Real workstations (motcua init, login, receive, act, sync) on
# the suite's database and server (s1); the day 2025-11-20 is this file's.

TR_DAY=2025-11-20

# tr_ws NAME UNIT USER: a workstation of UNIT logged in as USER and synced
# once; its path in TR_DB.
tr_ws() {
	TR_DB=$W/tr/$1.db
	"$MOTCUA" init --db "$TR_DB" --unit "$2" >/dev/null 2>"$W/tr/err" ||
		{ fail "init $1: $(cat "$W/tr/err")"; return 1; }
	echo matkhau123 | "$MOTCUA" login --db "$TR_DB" --server "$URL_s1" --username "$3" \
		--device-name "Máy $1" >/dev/null 2>"$W/tr/err" ||
		{ fail "login $1: $(cat "$W/tr/err")"; return 1; }
	tr_sync "$TR_DB" 08:00 || { fail "first sync $1: $(cat "$W/tr/err")"; return 1; }
}

# tr_sync DB HH:MM: one pass at that time of the day; summary in $W/tr/sum.
tr_sync() {
	MOTCUA_NOW=${TR_DAY}T$2 "$MOTCUA" sync --once --db "$1" >"$W/tr/sum" 2>"$W/tr/err"
}

# tr_act DB USER HH:MM CODE ACTION [OPTIONS...]: motcua act; output in $W/tr/act.
tr_act() {
	db=$1 user=$2 at=$3
	shift 3
	MOTCUA_NOW=${TR_DAY}T$at "$MOTCUA" act "$@" --db "$db" --user "$user" >"$W/tr/act" \
		2>"$W/tr/err" || fail "act $*: $(cat "$W/tr/err")"
}

# tr_receive DB USER: one reception at 08:30; prints the code.
tr_receive() {
	MOTCUA_NOW=${TR_DAY}T08:30 "$MOTCUA" receive --json "$W/tr/in.json" --db "$1" --user "$2" \
		>"$W/tr/rcv" 2>"$W/tr/err" || { echo "receive: $(cat "$W/tr/err")" >&2; return 1; }
	jget code "$W/tr/rcv"
}

# tr_row DB CODE: status|unit_code|handling_unit of the local dossier.
tr_row() {
	sqlite3 "$1" "SELECT status || '|' || unit_code || '|' || coalesce(handling_unit, '')
		FROM dossiers WHERE code = '$2'"
}

# tr_events DB CODE: its events' kinds and units, in order.
tr_events() {
	sqlite3 "$1" "SELECT group_concat(kind || '@' || unit_code, ' ') FROM (SELECT e.kind,
		e.unit_code FROM events e JOIN dossiers d ON d.id = e.dossier_id WHERE d.code = '$2'
		ORDER BY e.device_time, e.rowid)"
}

# tr_pull TOKEN FILE: the whole change feed of a user into FILE.
tr_pull() {
	cursor="" ; : >"$2"
	while :; do
		st=$(api GET "$URL_s1/api/v1/sync/changes?since=$cursor&limit=1000" "" "$1")
		[ "$st" = 200 ] || { fail "pull: $st $(cat "$W/body")"; return 1; }
		cat "$W/body" >>"$2"
		cursor=$(jget next)
		[ "$(jget remaining)" = 0 ] && break
	done
}

t_transfer_handling_unit() {
	MOTCUA=${MOTCUA:-$(dirname "$SERVER")/motcua}
	mkdir -p "$W/tr"
	reception_json "$W/tr/in.json" "2025-11-20T08:30" "Trần Thị Bình" 001191054321 1991-02-03 F
	[ "$(sql "SELECT count(*) FROM users WHERE username = 'clerk_c'")" = 1 ] ||
		echo matkhau123 | "$SERVER" user add --pg "$PG" --username clerk_c --unit 00025 \
			--role clerk >/dev/null || fail "user clerk_c"
	tr_ws a 00004 clerk_a || return
	A=$TR_DB
	tr_ws b 00008 clerk_b || return
	B=$TR_DB

	# A receives two dossiers and hands both over to B
	code=$(tr_receive "$A" clerk_a) || { fail "receive 1"; return; }
	code2=$(tr_receive "$A" clerk_a) || { fail "receive 2"; return; }
	tr_act "$A" clerk_a 09:00 "$code" transfer --to 00008 --reason "Thuộc thẩm quyền phường Ngọc Hà"
	tr_act "$A" clerk_a 09:00 "$code2" transfer --to 00008
	tr_sync "$A" 09:05 || fail "a sync: $(cat "$W/tr/err")"
	expect_eq "a pushed" "$(jget pushed "$W/tr/sum")/$(jget rejected "$W/tr/sum")" 4/0
	id=$(sqlite3 "$A" "SELECT id FROM dossiers WHERE code = '$code'")
	expect_eq "server" "$(sql "SELECT status || ' ' || (data->>'handling_unit') FROM dossiers WHERE id = '$id'")" \
		"4 00008"

	# B's workstation gets both, with the hand-over, though its cursor is
	# past their receptions
	tr_sync "$B" 09:10 || fail "b sync: $(cat "$W/tr/err")"
	expect_eq "b has it" "$(tr_row "$B" "$code")" "4|00004|00008"
	expect_eq "b sees the hand-over" "$(tr_events "$B" "$code")" "receive@00004 transfer@00004"
	expect_eq "b has the second" "$(tr_row "$B" "$code2")" "4|00004|00008"

	# B records the result and returns it; the server takes both
	tr_act "$B" clerk_b 10:00 "$code" result-ready --result-code "15/QĐ-UBND"
	tr_act "$B" clerk_b 10:30 "$code" return --method counter --recipient "Trần Thị Bình"
	expect_eq "b: returned" "$(jget status "$W/tr/act")" 10
	tr_sync "$B" 10:35 || fail "b sync 2: $(cat "$W/tr/err")"
	expect_eq "b pushed" "$(jget pushed "$W/tr/sum")/$(jget rejected "$W/tr/sum")/$(jget conflicts "$W/tr/sum")" 2/0/0
	expect_eq "server: returned" "$(sql "SELECT status || ' ' || rev FROM dossiers WHERE id = '$id'")" "10 4"

	# A sees B's events
	tr_sync "$A" 10:40 || fail "a sync 2: $(cat "$W/tr/err")"
	expect_eq "a: returned" "$(tr_row "$A" "$code")" "10|00004|00008"
	expect_eq "a sees b's events" "$(tr_events "$A" "$code")" \
		"receive@00004 transfer@00004 result-ready@00008 return@00008"

	# B hands the second one on to 00025: both sides see it, and B no
	# longer changes it
	tr_act "$B" clerk_b 11:00 "$code2" transfer --to 00025
	tr_sync "$B" 11:05 || fail "b sync 3: $(cat "$W/tr/err")"
	expect_eq "b pushed the hand-over" "$(jget pushed "$W/tr/sum")" 1
	tr_act "$B" clerk_b 11:10 "$code2" stop --reason "Thử sau khi đã chuyển đi"
	tr_sync "$B" 11:15
	expect_eq "b: no longer its own" "$(sqlite3 "$B" "SELECT state || ' ' || error_code FROM outbox
		WHERE op = 'stop'")" "rejected out_of_scope"
	id2=$(sqlite3 "$A" "SELECT id FROM dossiers WHERE code = '$code2'")
	expect_eq "server: at 00025" "$(sql "SELECT status || ' ' || (data->>'handling_unit') FROM dossiers WHERE id = '$id2'")" \
		"4 00025"
	tr_sync "$A" 11:20 || fail "a sync 3"
	expect_eq "a sees the second hand-over" "$(tr_row "$A" "$code2")" "4|00004|00025"

	# the clerk of 00025 reads the second, not the first, and cannot change the first
	tok=$(login "$URL_s1" clerk_c dev-tr-c) || { fail "login clerk_c"; return; }
	tr_pull "$tok" "$W/tr/feed_c" || return
	expect_grep "$W/tr/feed_c" "\"entity_id\":\"$id2\""
	expect_nogrep "$W/tr/feed_c" "\"entity_id\":\"$id\""
	rev=$(sql "SELECT rev FROM dossiers WHERE id = '$id'")
	"$SYNCTOOL" action device=dev-tr-c dossier="$id" op=tr-c-op event=tr-c-ev action=rate \
		base_rev="$rev" >"$W/tr/push"
	api POST "$URL_s1/api/v1/sync/push" "$W/tr/push" "$tok" >/dev/null
	expect_eq "c changes the first" "$(jget results.0.status)/$(jget results.0.error.code)" \
		rejected/out_of_scope
	expect_eq "unchanged" "$(sql "SELECT rev FROM dossiers WHERE id = '$id'")" "$rev"
	# B still reads the first (it handles it), and the second's hand-over to 00025
	tr_pull "$TOK_B" "$W/tr/feed_b" || return
	expect_grep "$W/tr/feed_b" "\"entity_id\":\"$id\""
	grep -o "\"entity_id\":\"$id2\",\"rev\":[0-9]*" "$W/tr/feed_b" | tail -n 1 >"$W/tr/last_b"
	expect_eq "b's last change of the second" "$(cat "$W/tr/last_b")" "\"entity_id\":\"$id2\",\"rev\":3"
}
