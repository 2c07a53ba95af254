# SPDX-License-Identifier: GPL-3.0-or-later
# The server trusts nothing a workstation says: the facts it can know (who,
# where, when an event happened), the domains of what it stores, the scope
# of dossier codes, the ranges of numbers, the lease counters, the logins.

# tr_push TOKEN FILE: pushes FILE; the answer in $W/body
tr_push() {
	st=$(api POST "$URL_s1/api/v1/sync/push" "$2" "$1")
	[ "$st" = 200 ] || fail "push $2: $st $(head -c 300 "$W/body")"
}

# An event's actor, unit and server time are the token's and the server's;
# the device's time is kept beside them as the device's claim. Kinds,
# statuses and handling units are checked against their domains.
t_trust_event_facts() {
	"$SYNCTOOL" batch device=dev-b unit=00008 ident=H01.00008 count=1 prefix=tf day=251201 |
		"$SYNCTOOL" set ops.0.payload.event.actor='"clerk_a"' ops.0.payload.event.unit_code='"00004"' \
			ops.0.payload.event.device_time='"2020-01-01T00:00"' >"$W/batch"
	tr_push "$TOK_B" "$W/batch"
	expect_eq "forged receive" "$(jget results.0.status)" applied
	expect_eq "actor, unit from the token" "$(sql "SELECT actor || ' ' || unit_code FROM events WHERE id = 'tf-ev-000001'")" \
		"clerk_b 00008"
	expect_eq "device time kept as the claim" "$(sql "SELECT device_time FROM events WHERE id = 'tf-ev-000001'")" \
		2020-01-01T00:00
	expect_eq "server time is the server's" "$(sql "SELECT server_time > now() - interval '1 day' FROM events WHERE id = 'tf-ev-000001'")" t
	expect_eq "the stored dossier's event" "$(sql "SELECT (data->'event'->>'actor') || ' ' || (data->'event'->>'unit_code') FROM dossiers WHERE id = 'tf-d-000001'")" \
		"clerk_b 00008"
	sql "SELECT data->'event'->>'server_time' FROM dossiers WHERE id = 'tf-d-000001'" |
		grep -q '^20[0-9-]*T[0-9:]*+07:00$' || fail "no server_time in the stored event"
	# a status change claiming another clerk and time
	"$SYNCTOOL" action device=dev-b dossier=tf-d-000001 op=tf-op-t event=tf-ev-t action=transfer base_rev=1 |
		"$SYNCTOOL" set ops.0.payload.event.actor='"clerk_a"' ops.0.payload.event.device_time='"2020-02-02T02:02"' >"$W/act"
	tr_push "$TOK_B" "$W/act"
	expect_eq "forged transfer" "$(jget results.0.status)" applied
	expect_eq "its actor and unit" "$(sql "SELECT actor || ' ' || unit_code || ' ' || device_time FROM events WHERE id = 'tf-ev-t'")" \
		"clerk_b 00008 2020-02-02T02:02"
	sql "SELECT data->'events' FROM dossiers WHERE id = 'tf-d-000001'" >"$W/evs"
	expect_nogrep "$W/evs" clerk_a
	expect_nogrep "$W/evs" '"00004"'
	# domains: a kind nobody knows, a status out of the lifecycle, a unit that does not exist
	before=$(sql "SELECT count(*) FROM events")
	"$SYNCTOOL" batch device=dev-b unit=00008 ident=H01.00008 count=1 start=2 prefix=tf day=251201 |
		"$SYNCTOOL" set ops.0.payload.event.kind='"frobnicate"' >"$W/batch"
	tr_push "$TOK_B" "$W/batch"
	expect_eq "unknown kind" "$(jget results.0.status)/$(jget results.0.error.code)" rejected/bad_event
	"$SYNCTOOL" batch device=dev-b unit=00008 ident=H01.00008 count=1 start=3 prefix=tf day=251201 |
		"$SYNCTOOL" set ops.0.payload.event.status_to=42 >"$W/batch"
	tr_push "$TOK_B" "$W/batch"
	expect_eq "status out of the domain" "$(jget results.0.status)/$(jget results.0.error.code)" rejected/bad_event
	"$SYNCTOOL" batch device=dev-b unit=00008 ident=H01.00008 count=1 start=4 prefix=tf day=251201 |
		"$SYNCTOOL" set ops.0.payload.event.status_from=0 >"$W/batch"
	tr_push "$TOK_B" "$W/batch"
	expect_eq "status 0" "$(jget results.0.status)/$(jget results.0.error.code)" rejected/bad_event
	rev=$(sql "SELECT rev FROM dossiers WHERE id = 'tf-d-000001'")
	"$SYNCTOOL" action device=dev-b dossier=tf-d-000001 op=tf-op-h event=tf-ev-h action=request-supplement \
		base_rev="$rev" | "$SYNCTOOL" set ops.0.payload.handling_unit='"99999"' >"$W/act"
	tr_push "$TOK_B" "$W/act"
	expect_eq "handling unit that does not exist" "$(jget results.0.status)/$(jget results.0.error.code)" \
		rejected/unknown_unit
	expect_eq "nothing stored" "$(sql "SELECT count(*) FROM events")" "$before"
	expect_eq "dossier unchanged" "$(sql "SELECT rev FROM dossiers WHERE id = 'tf-d-000001'")" "$rev"
	expect_eq "no dossier" "$(sql "SELECT count(*) FROM dossiers WHERE id LIKE 'tf-d-%'")" 1
}

# tr_counts: the codes, leases and counters of both communes, one line.
tr_counts() {
	sql "SELECT (SELECT count(*) FROM dossiers WHERE code LIKE 'H01.00004-%') || ' ' ||
		(SELECT count(*) FROM dossiers WHERE code LIKE 'H01.00008-%') || ' ' ||
		(SELECT count(*) || ':' || coalesce(sum(last), 0) FROM leases) || ' ' ||
		(SELECT coalesce(string_agg(unit_ident || '=' || last, ',' ORDER BY unit_ident), '')
		 FROM lease_counters)"
}

# A dossier code's unit identifier is the dossier's unit's, its sequence
# inside a block leased to the pushing device or inside that device's own
# fallback range. Forged pushes leave every commune's codes, leases and
# counters as they were.
t_trust_code_scope() {
	echo matkhau123 | "$SERVER" user add --pg "$PG" --username clerk_b2 --unit 00008 --role clerk \
		>/dev/null 2>&1
	tok2=$(login "$URL_s1" clerk_b2 dev-b2) || { fail "login clerk_b2"; return; }
	before=$(tr_counts)
	# 00008's clerk, its own unit, 00004's code
	"$SYNCTOOL" batch device=dev-b unit=00008 ident=H01.00008 count=1 prefix=cs day=261207 |
		"$SYNCTOOL" set ops.0.payload.code='"H01.00004-261207-0999"' \
			ops.0.payload.unit_ident='"H01.00004"' >"$W/batch"
	tr_push "$TOK_B" "$W/batch"
	expect_eq "another commune's code" "$(jget results.0.status)/$(jget results.0.error.code)" \
		rejected/code_out_of_scope
	st=$(api GET "$URL_s1/api/v1/lookup/H01.00004-261207-0999")
	expect_eq "lookup of that code" "$st" 404
	# its own identifier, a sequence nobody leased it
	for seq in 899999999 10000 "$((900000000 + ($("$SYNCTOOL" slot dev-a) * 10000) + 1))"; do
		"$SYNCTOOL" batch device=dev-b unit=00008 ident=H01.00008 count=1 prefix=cs$seq day=261207 |
			"$SYNCTOOL" set ops.0.payload.code="\"H01.00008-261207-$seq\"" >"$W/batch"
		tr_push "$TOK_B" "$W/batch"
		expect_eq "sequence $seq" "$(jget results.0.status)/$(jget results.0.error.code)" \
			rejected/code_out_of_scope
	done
	# a number of another workstation's block (dev-b's) from dev-b2
	"$SYNCTOOL" batch device=dev-b2 unit=00008 ident=H01.00008 count=1 start=50 prefix=cs day=261207 >"$W/batch"
	tr_push "$tok2" "$W/batch"
	expect_eq "another device's block" "$(jget results.0.status)/$(jget results.0.error.code)" \
		rejected/code_out_of_scope
	expect_eq "nothing changed" "$(tr_counts)" "$before"
	expect_eq "no dossier" "$(sql "SELECT count(*) FROM dossiers WHERE id LIKE 'cs-%'")" 0
	# what is the device's own: its fallback range, a block leased to it for that day
	fb=$((900000000 + $("$SYNCTOOL" slot dev-b2) * 10000 + 1))
	"$SYNCTOOL" batch device=dev-b2 unit=00008 ident=H01.00008 count=1 start=60 prefix=cs day=261207 |
		"$SYNCTOOL" set ops.0.payload.code="\"H01.00008-261207-$fb\"" >"$W/batch"
	tr_push "$tok2" "$W/batch"
	expect_eq "own fallback" "$(jget results.0.status)" applied
	printf '{"unit_ident":"H01.00008","day":"2026-12-07","count":5}' >"$W/in"
	st=$(api POST "$URL_s1/api/v1/leases" "$W/in" "$tok2")
	expect_eq "lease" "$st" 200
	first=$(jget first)
	[ "$first" -lt 900000000 ] || fail "the counter was dragged: $first"
	"$SYNCTOOL" batch device=dev-b2 unit=00008 ident=H01.00008 count=1 start=61 prefix=cs day=261207 |
		"$SYNCTOOL" set ops.0.payload.code="\"H01.00008-261207-$(printf %04d "$first")\"" >"$W/batch"
	tr_push "$tok2" "$W/batch"
	expect_eq "leased number" "$(jget results.0.status)" applied
	"$SYNCTOOL" batch device=dev-b2 unit=00008 ident=H01.00008 count=1 start=62 prefix=cs day=261208 |
		"$SYNCTOOL" set ops.0.payload.code="\"H01.00008-261208-$(printf %04d $((first + 1)))\"" >"$W/batch"
	tr_push "$tok2" "$W/batch"
	expect_eq "leased for another day" "$(jget results.0.status)/$(jget results.0.error.code)" \
		rejected/code_out_of_scope
}

# tr_attach OPID DOSSIER DOCID EVID PAGES BYTES: an 'attach' operation (JSON)
tr_attach() {
	printf '{"op_id":"%s","entity":"dossier","entity_id":"%s","base_rev":1,"op":"attach","payload":{"id":"%s","component":1,"reused":false,"document":{"id":"%s","kind":"cccd","sha256":"%s","pages":%s,"bytes":%s},"event":{"id":"%s","kind":"attach","actor":"clerk_a","device_time":"2025-12-09T10:00"}}}' \
		"$1" "$2" "$2" "$3" "$(printf 'giấy %s' "$3" | sha256sum | cut -d' ' -f1)" "$5" "$6" "$4"
}

# Every number of a payload is range-checked before SQL: out of range is
# the operation's rejection (4xx-like, per operation), never 503 for the
# request, and the workstation's later operations go through.
t_trust_ranges() {
	"$SYNCTOOL" batch device=dev-a unit=00004 ident=H01.00004 count=4 prefix=rg day=251209 |
		"$SYNCTOOL" set ops.0.payload.status=4294967298 ops.1.payload.event.status_from=3000000000 \
			ops.2.payload.components.0.seq=9007199254740992 \
			ops.4="$(tr_attach rg-at-1 rg-d-000004 rg-doc-1 rg-ev-a1 3000000000 10)" \
			ops.5="$(tr_attach rg-at-2 rg-d-000004 rg-doc-2 rg-ev-a2 1 9007199254740993)" \
			ops.6="$(tr_attach rg-at-3 rg-d-000004 rg-doc-3 rg-ev-a3 9007199254740992 10)" \
			ops.7="$(tr_attach rg-at-4 rg-d-000004 rg-doc-4 rg-ev-a4 2 10)" >"$W/batch"
	st=$(api POST "$URL_s1/api/v1/sync/push" "$W/batch" "$TOK_A")
	expect_eq "the request" "$st" 200
	got=""
	for i in 0 1 2 3 4 5 6 7; do
		got="$got $(jget results.$i.status)/$(jget results.$i.error.code)"
	done
	expect_eq "each operation" "$got" \
		" rejected/bad_payload rejected/bad_payload rejected/bad_payload applied/ rejected/bad_payload rejected/bad_payload rejected/bad_payload applied/"
	expect_eq "stored" "$(sql "SELECT count(*) FROM dossiers WHERE id LIKE 'rg-%'") $(sql "SELECT count(*) FROM documents WHERE id LIKE 'rg-doc-%'")" "1 1"
	# a status change with absurd numbers: answered, not 503
	"$SYNCTOOL" action device=dev-a dossier=rg-d-000004 op=rg-op-t event=rg-ev-t action=transfer base_rev=1 |
		"$SYNCTOOL" set ops.0.base_rev=9007199254740992 ops.0.payload.rev=9007199254740993 >"$W/act"
	st=$(api POST "$URL_s1/api/v1/sync/push" "$W/act" "$TOK_A")
	expect_eq "huge base_rev" "$st $(jget results.0.status)/$(jget results.0.error.code)" "200 conflict/stale_rev"
	# a tus file name that is not UTF-8
	sha=$(printf 'tên' | sha256sum | cut -d' ' -f1)
	st=$(curl -sS -o "$W/body" -w '%{http_code}' -X POST -H "Authorization: Bearer $TOK_A" \
		-H 'Tus-Resumable: 1.0.0' -H 'Upload-Length: 3' \
		-H "Upload-Metadata: sha256 $(printf %s "$sha" | base64 -w0),filename $(printf 'a\377\376b' | base64 -w0)" \
		"$URL_s1/api/v1/uploads")
	expect_error "file name not UTF-8" "$st" 400 bad_request
	expect_eq "healthy" "$(curl -s -o /dev/null -w '%{http_code}' "$URL_s1/healthz")" 200
}

# Leases are bounded: a block of at most 1000 numbers, a floor that cannot
# drag the counter far above what the server knows nor into the fallback
# range; `motcua-server leases` shows a unit's counter and resets it to the
# numbers in use.
t_trust_leases() {
	before=$(tr_counts)
	for body in '{"unit_ident":"H01.00008","floor":999998999,"count":1000}' \
		'{"unit_ident":"H01.00008","floor":900000000,"count":1}' \
		'{"unit_ident":"H01.00008","floor":9007199254740992,"count":1}'; do
		printf '%s' "$body" >"$W/in"
		st=$(api POST "$URL_s1/api/v1/leases" "$W/in" "$TOK_B")
		expect_error "lease $body" "$st" 400 bad_request
	done
	printf '{"unit_ident":"H01.00008","floor":850000000,"count":1000}' >"$W/in"
	st=$(api POST "$URL_s1/api/v1/leases" "$W/in" "$TOK_B")
	expect_error "a floor far above the counter" "$st" 409 floor_out_of_range
	expect_grep "$W/s1.log" "floor 850000000 of H01.00008 refused"
	expect_eq "nothing changed" "$(tr_counts)" "$before"
	printf '{"unit_ident":"H01.00008","count":10}' >"$W/in"
	st=$(api POST "$URL_s1/api/v1/leases" "$W/in" "$TOK_B")
	expect_eq "a lease still" "$st" 200
	last=$(jget last)
	[ "$last" -lt 100000 ] || fail "counter dragged: $last"
	# the admin command: inspect, then repair a counter at the end of the range
	"$SERVER" leases --pg "$PG" --unit 00008 >"$W/out" || fail "leases"
	expect_eq "counter" "$(jget counter "$W/out")" "$last"
	expect_eq "ident" "$(jget unit_ident "$W/out")" H01.00008
	sql "UPDATE lease_counters SET last = 899999999 WHERE unit_ident = 'H01.00008';
		INSERT INTO leases(unit_ident, day, first, last, device_id, username)
		VALUES ('H01.00008', '*', 999999000, 999999999, 'dev-x', 'clerk_b')" >/dev/null
	printf '{"unit_ident":"H01.00008","count":10}' >"$W/in"
	st=$(api POST "$URL_s1/api/v1/leases" "$W/in" "$TOK_B")
	expect_error "exhausted" "$st" 409 leases_exhausted
	"$SERVER" leases --pg "$PG" --unit 00008 --reset >"$W/out" 2>"$W/err" || fail "reset: $(cat "$W/err")"
	expect_eq "reset to the numbers in use" "$(jget counter "$W/out")" "$(jget highest_leased "$W/out")"
	expect_eq "the block in the fallback range dropped" "$(jget leases_in_fallback_range "$W/out")" 0
	high=$(jget highest_leased "$W/out")
	st=$(api POST "$URL_s1/api/v1/leases" "$W/in" "$TOK_B")
	expect_eq "leases again" "$st $(jget first)" "200 $((high + 1))"
	"$SERVER" leases --pg "$PG" --unit 99999 >/dev/null 2>&1
	expect_eq "unknown unit" $? 2
	"$SERVER" leases --pg "$PG" >/dev/null 2>&1
	expect_eq "no unit" $? 2
}

# tr_login USER PASSWORD DEVICE: the status; the answer in $W/body, headers in $W/hdr
tr_login() {
	printf '{"username":"%s","password":"%s","device_id":"%s"}' "$1" "$2" "$3" >"$W/login.json"
	curl -sS -o "$W/body" -D "$W/hdr" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
		--data-binary "@$W/login.json" "$URL_s1/api/v1/auth/login"
}

# Logins are throttled per user name and per address (429, Retry-After, a
# short lock, logged) before any password is hashed; tokens expire and can
# be refreshed; a device stays its first user's until an admin releases it.
t_trust_logins() {
	echo matkhau123 | "$SERVER" user add --pg "$PG" --username clerk_b2 --unit 00008 --role clerk \
		>/dev/null 2>&1
	sql "DELETE FROM login_failures" >/dev/null
	for i in 1 2 3 4 5; do
		st=$(tr_login clerk_b2 sai-mat-khau dev-lg)
		expect_error "wrong password $i" "$st" 401 bad_credentials
	done
	st=$(tr_login clerk_b2 matkhau123 dev-lg)
	expect_error "locked" "$st" 429 too_many_attempts
	wait=$(tr -d '\r' <"$W/hdr" | sed -n 's/^Retry-After: //Ip')
	[ -n "$wait" ] && [ "$wait" -gt 0 ] && [ "$wait" -le 300 ] || fail "Retry-After: [$wait]"
	expect_grep "$W/s1.log" "login: failed for clerk_b2 from 127.0.0.1 (5 for the name.*locked for 300 s"
	expect_grep "$W/s1.log" "login: clerk_b2 from 127.0.0.1 refused, locked for"
	# another user from the same address still logs in
	st=$(tr_login clerk_a2 matkhau123 dev-lg-a)
	expect_eq "another user" "$st" 200
	# twenty failures from one address lock the address
	for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do
		tr_login "nobody$i" matkhau123 dev-lg >/dev/null
	done
	st=$(tr_login clerk_a2 matkhau123 dev-lg-a)
	expect_error "address locked" "$st" 429 too_many_attempts
	# (an admin's way out, and the next tests' clean start)
	sql "DELETE FROM login_failures" >/dev/null
	st=$(tr_login clerk_b2 matkhau123 dev-lg)
	expect_eq "unlocked" "$st" 200
	tok=$(jget token)
	jget expires_at | grep -q '^20[0-9-]*T[0-9:]*+07:00$' || fail "expires_at: $(jget expires_at)"
	# refresh: a new token, the old one revoked
	st=$(api POST "$URL_s1/api/v1/auth/refresh" "" "$tok")
	expect_eq "refresh" "$st" 200
	tok2=$(jget token)
	[ -n "$tok2" ] && [ "$tok2" != "$tok" ] || fail "refreshed token: [$tok2]"
	st=$(api GET "$URL_s1/api/v1/auth/me" "" "$tok")
	expect_error "old token after refresh" "$st" 401 unauthorized
	st=$(api GET "$URL_s1/api/v1/auth/me" "" "$tok2")
	expect_eq "new token" "$st $(jget device_id)" "200 dev-lg"
	# expiry
	sql "UPDATE tokens SET expires_at = now() - interval '1 second' WHERE device_id = 'dev-lg'
		AND revoked_at IS NULL" >/dev/null
	st=$(api GET "$URL_s1/api/v1/auth/me" "" "$tok2")
	expect_error "expired" "$st" 401 token_expired
	st=$(api POST "$URL_s1/api/v1/auth/refresh" "" "$tok2")
	expect_error "no refresh when expired" "$st" 401 token_expired
	# A device is bound to its unit (00008, clerk_b2's): another clerk of
	# 00008 may log in on it (a commune's PC shared by its clerks), the
	# binding moves and clerk_b2's token on it is revoked, logged.
	echo matkhau123 | "$SERVER" user add --pg "$PG" --username clerk_b3 --unit 00008 --role clerk \
		>/dev/null 2>&1
	st=$(tr_login clerk_b2 matkhau123 dev-lg)
	tok=$(jget token)
	st=$(tr_login clerk_b3 matkhau123 dev-lg)
	expect_eq "a clerk of the same unit" "$st" 200
	tok3=$(jget token)
	st=$(api GET "$URL_s1/api/v1/auth/me" "" "$tok")
	expect_error "the previous clerk's token revoked" "$st" 401 unauthorized
	expect_grep "$W/s1.log" "login: device dev-lg of unit 00008 moved from clerk_b2 to clerk_b3"
	expect_eq "bound to clerk_b3, unit 00008" \
		"$(sql "SELECT username || ' ' || unit_code FROM devices WHERE device_id = 'dev-lg'")" \
		"clerk_b3 00008"
	# and back: the first clerk again
	st=$(tr_login clerk_b2 matkhau123 dev-lg)
	expect_eq "back to clerk_b2" "$st" 200
	tok=$(jget token)
	st=$(api GET "$URL_s1/api/v1/auth/me" "" "$tok3")
	expect_error "clerk_b3's token revoked" "$st" 401 unauthorized
	# a user of another unit cannot take it
	st=$(tr_login clerk_a2 matkhau123 dev-lg)
	expect_error "another unit's device" "$st" 403 device_taken
	expect_grep "$W/s1.log" "login: device dev-lg of unit 00008 (user clerk_b2) refused to clerk_a2"
	st=$(api GET "$URL_s1/api/v1/auth/me" "" "$tok")
	expect_eq "its user's token still works" "$st $(jget user.username)" "200 clerk_b2"
	"$SERVER" device release --pg "$PG" --device dev-lg >"$W/out" || fail "release"
	expect_eq "released" "$(jget released_from "$W/out")" clerk_b2
	st=$(api GET "$URL_s1/api/v1/auth/me" "" "$tok")
	expect_error "its tokens revoked" "$st" 401 unauthorized
	st=$(tr_login clerk_a2 matkhau123 dev-lg)
	expect_eq "the new user" "$st" 200
	st=$(tr_login clerk_b2 matkhau123 dev-lg)
	expect_error "now bound to 00004" "$st" 403 device_taken
	"$SERVER" device release --pg "$PG" --device no-such-device >/dev/null 2>&1
	expect_eq "unknown device" $? 2
}

# A push that is not JSON is refused 415; the public lookup is rate-limited
# per address (429, Retry-After).
t_trust_lookup_rate() {
	"$SYNCTOOL" batch device=dev-a unit=00004 ident=H01.00004 count=1 prefix=ct day=251210 >"$W/batch"
	for type in text/plain multipart/form-data; do
		st=$(curl -sS -o "$W/body" -w '%{http_code}' -X POST -H "Authorization: Bearer $TOK_A" \
			-H "Content-Type: $type" --data-binary "@$W/batch" "$URL_s1/api/v1/sync/push")
		expect_error "push as $type" "$st" 415 bad_content_type
	done
	expect_eq "not stored" "$(sql "SELECT count(*) FROM dossiers WHERE id LIKE 'ct-%'")" 0
	st=$(api POST "$URL_s1/api/v1/sync/push" "$W/batch" "$TOK_A")
	expect_eq "as JSON" "$st $(jget results.0.status)" "200 applied"
	LOOKUP_RATE="--lookup-per-minute 2" start_server lk || { fail "server with a lookup limit"; return; }
	got=""
	# (a token comes back every 30 s: far longer than four requests take)
	for i in 1 2 3 4; do
		got="$got $(curl -sS -o "$W/body" -D "$W/hdr" -w '%{http_code}' \
			"$URL_lk/api/v1/lookup/H01.00004-251210-0001")"
	done
	expect_eq "two, then refused" "$got" " 200 200 429 429"
	expect_eq "code" "$(jget error.code)" too_many_requests
	wait=$(tr -d '\r' <"$W/hdr" | sed -n 's/^Retry-After: //Ip')
	[ -n "$wait" ] && [ "$wait" -ge 1 ] && [ "$wait" -le 60 ] || fail "Retry-After: [$wait]"
	stop_server lk || fail "lk did not stop cleanly"
}

# Absurd values in every field of a 'receive' and a status change: each
# push is answered (200 with the operation rejected, or 400 for the
# request), never 5xx, and the server stays healthy.
t_trust_mutations() {
	n=0 bad=0
	for path in status channel applicant_kind rev code unit_code unit_ident received_at \
		appointment handling_unit clerk components.0.seq components.0.originals \
		applicant.full_name event.id event.kind event.status_from event.status_to \
		event.device_time event.actor event.payload events; do
		for v in 3000000000 -1 9007199254740992 -9223372036854775808 1e300 '"x"' null '[]' '{}' \
			true '"H01.00008-251211-0001"' '"99999"'; do
			n=$((n+1))
			"$SYNCTOOL" batch device=dev-a unit=00004 ident=H01.00004 count=1 start=$n prefix=mu \
				day=251211 | "$SYNCTOOL" set "ops.0.payload.$path=$v" >"$W/batch" 2>/dev/null ||
				{ fail "synctool set $path=$v"; continue; }
			st=$(api POST "$URL_s1/api/v1/sync/push" "$W/batch" "$TOK_A")
			case $st in
			200|400) ;;
			*) bad=$((bad+1)); echo "    $path=$v: $st $(head -c 200 "$W/body")" ;;
			esac
		done
	done
	for path in base_rev payload.status payload.rev payload.appointment payload.handling_unit \
		payload.event.kind payload.event.device_time payload.note; do
		for v in 3000000000 -1 9007199254740992 '"x"' null '[]'; do
			n=$((n+1))
			"$SYNCTOOL" action device=dev-a dossier=mu-d-000001 op=mu-op-a$n event=mu-ev-a$n \
				action=transfer base_rev=1 | "$SYNCTOOL" set "ops.0.$path=$v" >"$W/act" 2>/dev/null ||
				{ fail "synctool set $path=$v"; continue; }
			st=$(api POST "$URL_s1/api/v1/sync/push" "$W/act" "$TOK_A")
			case $st in
			200|400) ;;
			*) bad=$((bad+1)); echo "    action $path=$v: $st $(head -c 200 "$W/body")" ;;
			esac
		done
	done
	expect_eq "pushes answered 5xx (of $n)" "$bad" 0
	expect_eq "healthy" "$(curl -s -o /dev/null -w '%{http_code}' "$URL_s1/healthz")" 200
}
