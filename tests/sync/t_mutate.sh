# SPDX-License-Identifier: GPL-3.0-or-later
# A mutation test of the push endpoint: 5,000 requests mutated from valid
# ones (receptions, status changes, attaches as the sync codec writes them;
# synctool mutate, deterministic from a seed: broken bytes and UTF-8, absurd
# or missing fields, most with fresh op ids and true payload hashes so that
# they reach the server's checks) are posted on a database and server of
# their own (motcua_m). Not one answer is a 5xx or missing, the server logs
# no error, /healthz is green, the device that sent them still pushes, and a
# real workstation still syncs.

M_SEED=${M_SEED:-20251207}
M_COUNT=${M_COUNT:-5000}

msql() { "$PGBIN/psql" -X -q -A -t -h "$W/sock" -U postgres -d motcua_m -c "$1"; }

t_push_mutations() {
	MOTCUA=${MOTCUA:-$(dirname "$SERVER")/motcua}
	mkdir -p "$W/m/req"
	fresh_db PGM motcua_m m_a:00004 m_ws:00004 || return
	saved=$PG
	PG=$PGM
	start_server sm || { PG=$saved; fail "server"; return; }
	PG=$saved
	tok=$(login "$URL_sm" m_a dev-m) || { fail "login"; return; }
	msql "INSERT INTO leases(request_id, unit_ident, day, first, last, device_id, username)
		VALUES ('fixture-dev-m', 'H01.00004', '*', 1, 9999, 'dev-m', 'fixture')" >/dev/null
	# the valid requests: three receptions (sent first, so that the mutated
	# actions and attaches find their dossiers), status changes, an attach
	"$SYNCTOOL" batch device=dev-m unit=00004 ident=H01.00004 count=3 prefix=ms day=251207 >"$W/m/seeds"
	st=$(api POST "$URL_sm/api/v1/sync/push" "$W/m/seeds" "$tok")
	expect_eq "the receptions" "$st $(jget results.#)" "200 3"
	"$SYNCTOOL" batch device=dev-m unit=00004 ident=H01.00004 count=3 start=4 prefix=ms day=251207 >>"$W/m/seeds"
	"$SYNCTOOL" actions device=dev-m prefix=ms count=3 action=transfer base_rev=1 status_to=4 >>"$W/m/seeds"
	"$SYNCTOOL" actions device=dev-m prefix=ms count=3 action=result-ready base_rev=1 status_to=9 >>"$W/m/seeds"
	"$SYNCTOOL" action device=dev-m dossier=ms-d-000002 op=ms-x-1 event=ms-xe-1 action=withdraw \
		base_rev=1 status_to=10 >>"$W/m/seeds"
	sha=$(printf 'giấy' | sha256sum | cut -d' ' -f1)
	printf '{"id":"ms-d-000001","component":1,"reused":false,"document":{"id":"ms-doc-1","kind":"cccd","sha256":"%s","pages":1,"bytes":10,"issued_on":"2021-04-10"},"event":{"id":"ms-ae-1","kind":"attach","actor":"m_a","device_time":"2025-12-07T10:00"}}' \
		"$sha" >"$W/m/payload"
	h=$("$SYNCTOOL" hash <"$W/m/payload")
	printf '{"device_id":"dev-m","ops":[{"op_id":"ms-att-1","entity":"dossier","entity_id":"ms-d-000001","base_rev":1,"op":"attach","payload":%s,"payload_hash":"%s"}]}\n' \
		"$(cat "$W/m/payload")" "$h" >>"$W/m/seeds"
	"$SYNCTOOL" mutate seed="$M_SEED" count="$M_COUNT" dir="$W/m/req" url="$URL_sm/api/v1/sync/push" \
		token="$tok" <"$W/m/seeds" >"$W/m/curl.cfg" || { fail "synctool mutate"; return; }
	expect_eq "requests made" "$(ls "$W/m/req" | wc -l)" "$M_COUNT"
	curl -s --parallel --parallel-max ${M_PARALLEL:-4} -K "$W/m/curl.cfg" >"$W/m/answers" 2>"$W/m/curl.err"
	expect_eq "answers" "$(wc -l <"$W/m/answers")" "$M_COUNT"
	bad=$(grep -c '^[05]' "$W/m/answers")
	expect_eq "5xx or no answer" "$bad" 0
	[ "$bad" = 0 ] || for f in $(grep '^[05]' "$W/m/answers" | head -n 3 | cut -d' ' -f2); do
		fail "$f: $(head -c 400 "$W/m/req/$f")"
	done
	echo "    statuses: $(cut -d' ' -f1 "$W/m/answers" | sort | uniq -c | tr -s ' ' | tr '\n' ',')"
	grep -q "^level=error" "$W/sm.log" && fail "errors logged: $(grep "^level=error" "$W/sm.log" | cut -c1-300 | sort | uniq -c | sort -rn | head -n 8)"
	expect_eq "healthz" "$(curl -s -o /dev/null -w '%{http_code}' "$URL_sm/healthz")" 200
	# the same device, not jammed: a valid request still applies
	"$SYNCTOOL" batch device=dev-m unit=00004 ident=H01.00004 count=1 start=50 prefix=mafter \
		day=251207 >"$W/m/after"
	st=$(api POST "$URL_sm/api/v1/sync/push" "$W/m/after" "$tok")
	expect_eq "the device after" "$st $(jget results.0.status)" "200 applied"
	# a real workstation: logs in, receives, syncs
	mkdir -p "$W/m/ws"
	db=$W/m/ws/motcua.db
	"$MOTCUA" init --db "$db" --unit 00004 >/dev/null 2>"$W/m/err" || fail "init: $(cat "$W/m/err")"
	echo matkhau123 | "$MOTCUA" login --db "$db" --server "$URL_sm" --username m_ws \
		--device-name "Máy sau" >/dev/null 2>"$W/m/err" || fail "login: $(cat "$W/m/err")"
	MOTCUA_NOW=2025-12-07T10:00 "$MOTCUA" sync --once --db "$db" >"$W/m/sum" 2>"$W/m/err" ||
		fail "first sync: $(cat "$W/m/err")"
	reception_json "$W/m/in.json" "2025-12-07T09:32" "Trần Văn Bình" 001090054321 1990-05-17 M
	MOTCUA_NOW=2025-12-07T10:00 "$MOTCUA" receive --json "$W/m/in.json" --db "$db" --user m_ws \
		>"$W/m/rcv" 2>"$W/m/err" || fail "receive: $(cat "$W/m/err")"
	MOTCUA_NOW=2025-12-07T10:00 "$MOTCUA" sync --once --db "$db" >"$W/m/sum" 2>"$W/m/err" ||
		fail "sync: $(cat "$W/m/err")"
	expect_eq "the workstation pushed" "$(jget pushed "$W/m/sum") $(jget errors.# "$W/m/sum")" "1 0"
	stop_server sm || fail "the server did not stop cleanly"
}
