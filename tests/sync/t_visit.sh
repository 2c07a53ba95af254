# SPDX-License-Identifier: GPL-3.0-or-later
# Counter visits without a received dossier (motcua refuse / motcua guide)
# reach the server through the real client's sync: stored in its visits
# table as the workstation wrote them, once (a second push is a duplicate);
# a visit of a unit the user does not serve, or a malformed one, is refused.
# Uses the client tests' helpers (c_*, tests/sync/t_client_sync.sh).

t_visit_synced() {
	c_setup || return
	c_input
	db=$(c_store visit)
	c_login "$db" cl_a || { fail "login: $(cat "$W/c/err")"; return; }
	c_sync "$db" || { fail "first sync: $(cat "$W/c/err")"; return; }
	MOTCUA_NOW=$C_NOW "$MOTCUA" refuse --json "$W/c/in.json" --db "$db" --user cl_a \
		--reason "Hồ sơ không thuộc thẩm quyền giải quyết của UBND phường; Thiếu chữ ký" \
		>"$W/c/out" 2>"$W/c/err" || { fail "refuse: $(cat "$W/c/err")"; return; }
	MOTCUA_NOW=$C_NOW "$MOTCUA" guide --json "$W/c/in.json" --db "$db" --user cl_a \
		--papers "Giấy chứng sinh" >"$W/c/out" 2>"$W/c/err" || { fail "guide: $(cat "$W/c/err")"; return; }
	rid=$(lq "$db" "SELECT id FROM visits WHERE kind = 'refuse'")
	gid=$(lq "$db" "SELECT id FROM visits WHERE kind = 'guide'")
	expect_eq "pending" "$(lq "$db" "SELECT count(*) FROM outbox WHERE entity = 'visit' AND state = 'pending'")" 2
	c_sync "$db" || fail "sync: $(cat "$W/c/err")"
	expect_eq "pushed" "$(sum errors.#)" 0
	expect_eq "done" "$(lq "$db" "SELECT group_concat(state) FROM outbox WHERE entity = 'visit'")" "done,done"
	expect_eq "on the server" "$(csql "SELECT kind || '|' || unit_code || '|' || procedure_code || '|' || clerk || '|' || at || '|' || username FROM visits WHERE id = '$rid'")" \
		"refuse|00004|1.001193|cl_a|$C_NOW|cl_a"
	expect_eq "as written" "$(csql "SELECT data->'applicant'->>'full_name' || '|' || (data->'items'->>1) || '|' || jsonb_array_length(data->'items') FROM visits WHERE id = '$rid'")" \
		"Nguyễn Văn An|Thiếu chữ ký|2"
	expect_eq "guide" "$(csql "SELECT kind || '|' || (data->'items'->>0) FROM visits WHERE id = '$gid'")" "guide|Giấy chứng sinh"
	expect_eq "no dossier" "$(csql "SELECT count(*) FROM dossiers WHERE id IN ('$rid', '$gid')")" 0
	# counted beside the indicators, the same on both sides
	"$MOTCUA" indicators --unit 00004 --from "$C_DAY" --to "$C_DAY" --db "$db" >"$W/c/vind.client" 2>"$W/c/err" ||
		fail "client indicators: $(cat "$W/c/err")"
	expect_grep "$W/c/vind.client" '\],"visits":{"refused":1,"guided":1}}$'
	st=$(api GET "$C_URL/api/v1/indicators?unit=00004&from=$C_DAY&to=$C_DAY" "" "$(lq "$db" "SELECT token FROM sync_state")")
	expect_eq "GET indicators" "$st" 200
	expect_grep "$W/body" '\],"visits":{"refused":1,"guided":1}}$'
	"$SERVER" indicators --pg "$PGC" --unit 00004 --from "$C_DAY" --to "$C_DAY" >"$W/c/vind.server" ||
		fail "server indicators"
	expect_grep "$W/c/vind.server" '\],"visits":{"refused":1,"guided":1}}$'
	st=$(api GET "$C_URL/api/v1/indicators?unit=00004&from=2025-10-26&to=2025-10-26" "" "$(lq "$db" "SELECT token FROM sync_state")")
	expect_nogrep "$W/body" '"visits"'

	# the same operations again: duplicate, nothing stored twice
	sqlite3 "$db" "SELECT json_object('device_id', (SELECT device_id FROM sync_state), 'ops', json_group_array(json_object(
		'op_id', op_id, 'entity', entity, 'entity_id', entity_id, 'base_rev', base_rev, 'op', op,
		'payload', json(payload), 'payload_hash', payload_hash)))
		FROM (SELECT * FROM outbox WHERE entity = 'visit' ORDER BY rowid)" >"$W/c/visits.json"
	tok=$(lq "$db" "SELECT token FROM sync_state")
	st=$(api POST "$C_URL/api/v1/sync/push" "$W/c/visits.json" "$tok")
	expect_eq "push again" "$st" 200
	expect_eq "duplicates" "$(grep -o '"status":"duplicate"' "$W/body" | wc -l)" 2
	expect_eq "stored once" "$(csql "SELECT count(*) FROM visits WHERE id IN ('$rid', '$gid')")" 2

	# the same visit under another op_id: a conflict, kept for a person
	sqlite3 "$db" "SELECT json_object('device_id', (SELECT device_id FROM sync_state), 'ops', json_array(json_object(
		'op_id', 'visit-other-op', 'entity', entity, 'entity_id', entity_id, 'base_rev', base_rev, 'op', op,
		'payload', json(payload), 'payload_hash', payload_hash)))
		FROM outbox WHERE entity_id = '$rid'" >"$W/c/again.json"
	st=$(api POST "$C_URL/api/v1/sync/push" "$W/c/again.json" "$tok")
	expect_eq "other op" "$(jget results.0.status)" conflict
	expect_eq "other op code" "$(jget results.0.error.code)" visit_exists

	# a malformed visit: rejected
	sqlite3 "$db" "SELECT json_object('device_id', (SELECT device_id FROM sync_state), 'ops', json_array(json_object(
		'op_id', 'visit-bad-op', 'entity', 'visit', 'entity_id', entity_id, 'base_rev', 0, 'op', 'record',
		'payload', json_set(json(payload), '\$.items', json_array()),
		'payload_hash', '0000000000000000000000000000000000000000000000000000000000000000')))
		FROM outbox WHERE entity_id = '$gid'" >"$W/c/bad.json"
	st=$(api POST "$C_URL/api/v1/sync/push" "$W/c/bad.json" "$tok")
	expect_eq "bad hash" "$(jget results.0.error.code)" bad_hash

	# a clerk of another commune cannot record a visit of 00004
	dbb=$(c_store visitb)
	c_login "$dbb" cl_b || { fail "login cl_b: $(cat "$W/c/err")"; return; }
	tokb=$(lq "$dbb" "SELECT token FROM sync_state")
	sed "s/\"device_id\":\"[^\"]*\"/\"device_id\":\"$(lq "$dbb" "SELECT device_id FROM sync_state")\"/; s/\"op_id\":\"/\"op_id\":\"b-/g" \
		"$W/c/visits.json" >"$W/c/b.json"
	st=$(api POST "$C_URL/api/v1/sync/push" "$W/c/b.json" "$tokb")
	expect_eq "out of scope" "$(jget results.0.error.code)" out_of_scope
}
