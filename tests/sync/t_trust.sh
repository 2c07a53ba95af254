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
