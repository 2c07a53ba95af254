# SPDX-License-Identifier: GPL-3.0-or-later
# The real client's outbox: a demo store made by `motcua init --demo` (30
# dossiers received through client/services/reception.c, then transferred, finished,
# returned) is pushed as its outbox rows stand; the server takes them all.

t_client_outbox() {
	[ -n "$MOTCUA" ] || { fail "no motcua binary given to run.sh"; return; }
	db=$W/client/motcua.db
	MOTCUA_NOW=2027-03-15T10:00 HOME=$W "$MOTCUA" init --db "$db" --demo >/dev/null 2>"$W/err" ||
		{ fail "motcua init: $(cat "$W/err")"; return; }
	n=$(sqlite3 "$db" "SELECT count(*) FROM outbox WHERE state = 'pending'")
	[ "$n" -gt 30 ] && [ "$n" -le 100 ] || { fail "demo outbox has $n rows"; return; }
	echo matkhau123 | "$SERVER" user add --pg "$PG" --username canbo --unit 00004 --role clerk \
		--full-name "Nguyễn Thị Lan" >/dev/null 2>&1
	tok=$(login "$URL_s1" canbo dev-demo) || { fail "login canbo"; return; }
	# the push request as the sync worker builds it: each payload as stored
	sqlite3 "$db" "SELECT json_object('device_id', 'dev-demo', 'ops', json_group_array(json_object(
		'op_id', op_id, 'entity', entity, 'entity_id', entity_id, 'base_rev', base_rev, 'op', op,
		'payload', json(payload), 'payload_hash', payload_hash)))
		FROM (SELECT * FROM outbox WHERE state = 'pending' ORDER BY rowid)" >"$W/push.json"
	st=$(api POST "$URL_s1/api/v1/sync/push" "$W/push.json" "$tok")
	expect_eq "push" "$st" 200
	applied=$(grep -o '"status":"applied"' "$W/body" | wc -l)
	expect_eq "all applied" "$applied" "$n"
	[ "$applied" = "$n" ] || grep -o '"error":{[^}]*}' "$W/body" | sort | uniq -c | head -5
	# server and workstation agree on every dossier's status and revision
	sqlite3 "$db" "SELECT code || ' ' || status || ' ' || rev FROM dossiers ORDER BY code" >"$W/local"
	sql "SELECT code || ' ' || status || ' ' || rev FROM dossiers WHERE code LIKE 'H01.00004-27%' ORDER BY code" >"$W/remote"
	cmp -s "$W/local" "$W/remote" || fail "server and workstation differ: $(diff "$W/local" "$W/remote" | head -5)"
	expect_eq "events" "$(sql "SELECT count(*) FROM events e JOIN dossiers d ON d.id = e.dossier_id WHERE d.code LIKE 'H01.00004-27%'")" \
		"$(sqlite3 "$db" "SELECT count(*) FROM events")"
	# every receipt's code resolves through the public lookup
	for code in $(sqlite3 "$db" "SELECT code FROM dossiers ORDER BY code LIMIT 5"); do
		st=$(api GET "$URL_s1/api/v1/lookup/$code")
		expect_eq "lookup $code" "$st" 200
		expect_eq "status of $code" "$(jget status)" "$(sqlite3 "$db" "SELECT status FROM dossiers WHERE code = '$code'")"
	done
	# the same rows again: all duplicate
	st=$(api POST "$URL_s1/api/v1/sync/push" "$W/push.json" "$tok")
	expect_eq "again: all duplicate" "$(grep -o '"status":"duplicate"' "$W/body" | wc -l)" "$n"
}
