# SPDX-License-Identifier: GPL-3.0-or-later
# Reassignment (docs/lifecycle.md): a supervisor's workstation hands a
# dossier received at another workstation to another clerk of the unit with
# the real client (`motcua act CODE reassign --to-clerk USER`); the sync
# carries it to the server (op "reassign", its own checks) and down the
# changes feed to the receiving workstation, whose clerk in charge follows.
# The server refuses what a tampered workstation sends: a pusher that is not
# a supervisor, a clerk that does not serve the dossier's unit. Its own day
# (2025-11-24) and users (re_*): the suite shares one database. Needs
# t_client_sync.sh's c_* helpers.

R_NOW=2025-11-24T10:00

r_input() {
	reception_json "$W/c/re_in.json" "2025-11-24T09:15" "Phan Thị Giao" 001190054321 1990-03-02 F
}

# r_act DB USER ARGS...: motcua act at R_NOW; status returned, output in $W/c/ract.*
r_act() {
	db=$1 user=$2; shift 2
	MOTCUA_NOW=$R_NOW "$MOTCUA" act "$@" --db "$db" --user "$user" >"$W/c/ract.out" 2>"$W/c/ract.err"
}

r_sync() { MOTCUA_NOW=$R_NOW "$MOTCUA" sync --once --db "$1" >"$W/c/sum" 2>"$W/c/err"; }

t_reassign_synced() {
	c_setup || return
	for u in re_a:00004:clerk re_b:00004:clerk re_x:00008:clerk re_sup:00004:supervisor; do
		name=${u%%:*} rest=${u#*:}
		echo matkhau123 | "$SERVER" user add --pg "$PGC" --username "$name" --unit "${rest%%:*}" \
			--role "${rest#*:}" --full-name "Cán bộ $name" >/dev/null || { fail "user $u"; return; }
	done
	r_input
	a=$(c_store re_wa)
	s=$(c_store re_ws)
	c_login "$a" re_a || { fail "login a: $(cat "$W/c/err")"; return; }
	c_login "$s" re_sup || { fail "login s: $(cat "$W/c/err")"; return; }
	r_sync "$a" || fail "sync a: $(cat "$W/c/err")"
	for i in 1 2; do
		MOTCUA_NOW=$R_NOW "$MOTCUA" receive --json "$W/c/re_in.json" --db "$a" --user re_a \
			>"$W/c/re_rcv" 2>"$W/c/re_rcv.err" || { fail "receive: $(cat "$W/c/re_rcv.err")"; return; }
		sed 's/^{"code":"\([^"]*\)".*/\1/' "$W/c/re_rcv" >"$W/c/re_code$i"
	done
	c1=$(cat "$W/c/re_code1") c2=$(cat "$W/c/re_code2")
	r_sync "$a" || fail "push a: $(cat "$W/c/err")"
	r_sync "$s" || fail "sync s: $(cat "$W/c/err")"
	expect_eq "s has the dossier" "$(lq "$s" "SELECT clerk FROM dossiers WHERE code = '$c1'")" re_a

	# refused at the supervisor's workstation: nothing written
	r_act "$s" re_sup "$c1" reassign --to-clerk re_x
	expect_eq "clerk of another unit" $? 2
	expect_grep "$W/c/ract.err" "Không có cán bộ «re_x»"
	r_act "$s" re_sup "$c1" reassign --to-clerk re_a
	expect_eq "already in charge" $? 2
	expect_grep "$W/c/ract.err" "đã do cán bộ Cán bộ re_a (re_a) phụ trách"
	r_act "$a" re_a "$c1" reassign --to-clerk re_b
	expect_eq "a clerk may not reassign" $? 2
	expect_grep "$W/c/ract.err" "Chỉ cán bộ giám sát"
	expect_eq "nothing queued" "$(lq "$s" "SELECT count(*) FROM outbox WHERE op = 'reassign'")" 0

	r_act "$s" re_sup "$c1" reassign --to-clerk re_b --reason "Cân đối khối lượng" ||
		fail "reassign: $(cat "$W/c/ract.err")"
	expect_grep "$W/c/ract.out" "\"code\":\"$c1\",\"status\":2"
	expect_eq "s: in charge" "$(lq "$s" "SELECT da.clerk FROM dossier_assignments da JOIN dossiers d ON d.id = da.dossier_id WHERE d.code = '$c1'")" re_b
	r_sync "$s" || fail "push s: $(cat "$W/c/err")"
	expect_eq "s pushed" "$(lq "$s" "SELECT state || ' ' || server_rev FROM outbox WHERE op = 'reassign'")" "done 2"
	expect_eq "server: assigned, same status, rev 2" \
		"$(csql "SELECT data->>'assigned_clerk' || ' ' || status || ' ' || rev || ' ' || (data->>'clerk') FROM dossiers WHERE code = '$c1'")" \
		"re_b 2 2 re_a"
	expect_eq "server: the event" \
		"$(csql "SELECT e.actor || ' ' || (e.payload->>'from_clerk') || ' ' || (e.payload->>'to_clerk') || ' ' || (e.payload->>'reason') FROM events e JOIN dossiers d ON d.id = e.dossier_id WHERE d.code = '$c1' AND e.kind = 'reassign'")" \
		"re_sup re_a re_b Cân đối khối lượng"

	# down the feed to the receiving workstation
	r_sync "$a" || fail "pull a: $(cat "$W/c/err")"
	expect_eq "a: in charge" "$(lq "$a" "SELECT coalesce(da.clerk, d.clerk) FROM dossiers d LEFT JOIN dossier_assignments da ON da.dossier_id = d.id WHERE d.code = '$c1'")" re_b
	expect_eq "a: receiver unchanged, rev 2" "$(lq "$a" "SELECT clerk || ' ' || rev FROM dossiers WHERE code = '$c1'")" "re_a 2"
	expect_eq "a: the event" "$(lq "$a" "SELECT actor || ' ' || json_extract(payload, '$.to_clerk') FROM events e JOIN dossiers d ON d.id = e.dossier_id WHERE d.code = '$c1' AND e.kind = 'reassign'")" "re_sup re_b"
	MOTCUA_NOW=$R_NOW "$MOTCUA" queue due-soon --db "$a" >"$W/c/re_queue" 2>"$W/c/err" || fail "queue: $(cat "$W/c/err")"
	grep -q "\"code\":\"$c1\".*\"clerk\":\"re_b\"" "$W/c/re_queue" || fail "queue: $(cat "$W/c/re_queue")"
	grep -q "\"code\":\"$c2\".*\"clerk\":\"re_a\"" "$W/c/re_queue" || fail "queue: $(cat "$W/c/re_queue")"

	# the server's own checks, on what tampered workstations send
	lq "$s" "INSERT INTO clerks(username, full_name, unit_code, role, pw_hash) VALUES ('re_ghost', 'Ma', '00004', 'clerk', '')"
	r_act "$s" re_sup "$c2" reassign --to-clerk re_ghost || fail "local ghost: $(cat "$W/c/ract.err")"
	r_sync "$s"
	expect_eq "ghost rejected" "$(lq "$s" "SELECT state || ' ' || error_code FROM outbox WHERE op = 'reassign' ORDER BY rowid DESC LIMIT 1")" "rejected bad_clerk"
	lq "$a" "UPDATE clerks SET role = 'supervisor' WHERE username = 're_a'"
	r_act "$a" re_a "$c2" reassign --to-clerk re_b || fail "local forged role: $(cat "$W/c/ract.err")"
	r_sync "$a"
	expect_eq "clerk pusher rejected" "$(lq "$a" "SELECT state || ' ' || error_code FROM outbox WHERE op = 'reassign'")" "rejected forbidden"
	expect_eq "server: c2 untouched" "$(csql "SELECT coalesce(data->>'assigned_clerk', '-') || ' ' || rev FROM dossiers WHERE code = '$c2'")" "- 1"
	expect_eq "problems kept" "$(csql "SELECT count(*) FROM op_problems WHERE code IN ('bad_clerk', 'forbidden') AND username IN ('re_a', 're_sup')")" 2
}
