# SPDX-License-Identifier: GPL-3.0-or-later
# Stateless servers: two on one database; a server killed mid-push.

t_two_servers() {
	start_server s2 || { fail "second server"; return; }
	# log in on one server, push on the other, pull from the first
	tok=$(login "$URL_s2" clerk_a dev-two)
	"$SYNCTOOL" batch device=dev-two unit=00004 ident=H01.00004 count=20 prefix=two day=251103 >"$W/batch"
	st=$(api POST "$URL_s2/api/v1/sync/push" "$W/batch" "$tok")
	expect_eq "push on s2" "$(grep -o '"status":"applied"' "$W/body" | wc -l)" 20
	st=$(api GET "$URL_s1/api/v1/lookup/H01.00004-251103-0020")
	expect_eq "seen by s1" "$st" 200
	# the same batch at once on both servers, three times: each op applied once
	"$SYNCTOOL" batch device=dev-two unit=00004 ident=H01.00004 count=100 prefix=race day=251104 >"$W/race"
	pids=""
	for i in 1 2 3; do
		for s in "$URL_s1" "$URL_s2"; do
			curl -s -X POST -H "Authorization: Bearer $tok" --data-binary "@$W/race" \
				"$s/api/v1/sync/push" >"$W/race.$i.${s##*:}" &
			pids="$pids $!"
		done
	done
	wait $pids
	applied=$(cat "$W"/race.*.* | grep -o '"status":"applied"' | wc -l)
	dup=$(cat "$W"/race.*.* | grep -o '"status":"duplicate"' | wc -l)
	expect_eq "applied once each" "$applied" 100
	expect_eq "the others duplicate" "$dup" 500
	expect_eq "stored once" "$(sql "SELECT count(*) FROM dossiers WHERE id LIKE 'race-%'")" 100
	expect_eq "changes once" "$(sql "SELECT count(*) FROM changes WHERE entity_id LIKE 'race-%'")" 100
	# a pull from both servers gives the same page
	api GET "$URL_s1/api/v1/sync/changes?limit=1000" "" "$tok" >/dev/null
	cp "$W/body" "$W/p1"
	api GET "$URL_s2/api/v1/sync/changes?limit=1000" "" "$tok" >/dev/null
	cmp -s "$W/p1" "$W/body" || fail "the two servers answer different pages"
	# the change log has no hole: seqs of the race are strictly increasing in commit order
	expect_eq "no gaps among race changes" \
		"$(sql "SELECT count(DISTINCT seq) FROM changes WHERE entity_id LIKE 'race-%'")" 100
	stop_server s2 || fail "s2 did not stop cleanly"
	expect_grep "$W/s2.log" "POST /api/v1/sync/push 200"
}

t_sigkill_mid_push() {
	tok=$(login "$URL_s1" clerk_a dev-kill)
	# 10 batches of 100 operations, sent one after the other
	for b in 0 1 2 3 4 5 6 7 8 9; do
		"$SYNCTOOL" batch device=dev-kill unit=00004 ident=H01.00004 count=100 \
			start=$((b * 100 + 1)) prefix=kill day=251105 >"$W/kill$b"
	done
	(
		for b in 0 1 2 3 4 5 6 7 8 9; do
			curl -s -X POST -H "Authorization: Bearer $tok" --data-binary "@$W/kill$b" \
				"$URL_s1/api/v1/sync/push" >/dev/null 2>&1 || exit 0
		done
	) &
	sender=$!
	# kill the server once part of the work is in (polling, no fixed delay)
	i=0
	while [ "$(sql "SELECT count(*) FROM ops WHERE op_id LIKE 'kill-%'")" -lt 150 ]; do
		i=$((i+1)); [ $i -lt 2000 ] || break
		sleep 0.01
	done
	stop_server s1 KILL
	wait $sender
	got=$(sql "SELECT count(*) FROM dossiers WHERE id LIKE 'kill-%'")
	[ "$got" -ge 150 ] && [ "$got" -lt 1000 ] || fail "killed after $got of 1000 (want in between)"
	# every stored dossier is whole: its op, its event, its change
	expect_eq "ops = dossiers" "$(sql "SELECT count(*) FROM ops WHERE op_id LIKE 'kill-%'")" "$got"
	expect_eq "events = dossiers" "$(sql "SELECT count(*) FROM events WHERE dossier_id LIKE 'kill-%'")" "$got"
	expect_eq "changes = dossiers" "$(sql "SELECT count(*) FROM changes WHERE entity_id LIKE 'kill-%'")" "$got"
	start_server s1 || { fail "restart"; return; }
	# the client sends everything again: nothing lost, nothing twice
	applied=0 dup=0
	for b in 0 1 2 3 4 5 6 7 8 9; do
		st=$(api POST "$URL_s1/api/v1/sync/push" "$W/kill$b" "$tok")
		[ "$st" = 200 ] || fail "re-push $b: $st"
		applied=$((applied + $(grep -o '"status":"applied"' "$W/body" | wc -l)))
		dup=$((dup + $(grep -o '"status":"duplicate"' "$W/body" | wc -l)))
	done
	expect_eq "applied + duplicate" $((applied + dup)) 1000
	expect_eq "duplicates = what was in" "$dup" "$got"
	expect_eq "dossiers" "$(sql "SELECT count(*) FROM dossiers WHERE id LIKE 'kill-%'")" 1000
	expect_eq "codes unique" "$(sql "SELECT count(DISTINCT code) FROM dossiers WHERE id LIKE 'kill-%'")" 1000
	expect_eq "events" "$(sql "SELECT count(*) FROM events WHERE dossier_id LIKE 'kill-%'")" 1000
	expect_eq "changes" "$(sql "SELECT count(*) FROM changes WHERE entity_id LIKE 'kill-%'")" 1000
	expect_eq "last applied op" "$(jget last_applied_op)" kill-op-001000
	"$SERVER" stats --pg "$PG" >"$W/out"
	[ "$(jget dossiers "$W/out")" -ge 1000 ] || fail "stats: $(cat "$W/out")"
}

t_tls() {
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$W/key.pem" -out "$W/cert.pem" -days 2 \
		-subj /CN=127.0.0.1 -addext "subjectAltName=IP:127.0.0.1" >/dev/null 2>&1 \
		|| { fail "openssl could not make a certificate"; return; }
	start_server tls --tls-cert "$W/cert.pem" --tls-key "$W/key.pem" || { fail "TLS server"; return; }
	case $URL_tls in https://*) ;; *) fail "not https: $URL_tls" ;; esac
	st=$(curl -sS --cacert "$W/cert.pem" -o "$W/body" -w '%{http_code}' "$URL_tls/healthz")
	expect_eq "healthz over TLS, certificate verified" "$st" 200
	st=$(curl -sS --cacert "$W/cert.pem" -o "$W/body" -w '%{http_code}' \
		"$URL_tls/api/v1/lookup/H01.00004-251027-0001")
	expect_eq "lookup over TLS" "$st" 200
	# plain HTTP on the TLS port gets no answer, and the server stays up
	curl -s --max-time 5 -o /dev/null "http://127.0.0.1:$PORT_tls/healthz"
	st=$(curl -sS --cacert "$W/cert.pem" -o /dev/null -w '%{http_code}' "$URL_tls/healthz")
	expect_eq "still up" "$st" 200
	stop_server tls || fail "TLS server did not stop cleanly"
	# a missing key file: exit 1 with a message
	"$SERVER" serve --pg "$PG" --listen 127.0.0.1:0 --tls-cert "$W/cert.pem" --tls-key "$W/none.pem" \
		2>"$W/err"
	expect_eq "missing key" $? 1
	expect_grep "$W/err" "không mở được tệp"
}
