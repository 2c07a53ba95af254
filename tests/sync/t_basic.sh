# SPDX-License-Identifier: GPL-3.0-or-later
# Health, metrics, schema and reference data.

t_healthz_metrics() {
	st=$(api GET "$URL_s1/healthz")
	expect_eq "healthz" "$st" 200
	expect_eq "healthz status" "$(jget status)" ok
	st=$(api GET "$URL_s1/metrics")
	expect_eq "metrics" "$st" 200
	expect_grep "$W/body" 'motcua_http_requests_total{route="healthz",status="200"}'
	expect_grep "$W/body" 'motcua_push_ops_total{outcome="applied"}'
	expect_grep "$W/body" 'motcua_http_request_duration_seconds_bucket{route="healthz",le="+Inf"}'
	# one access log line per request
	expect_grep "$W/s1.log" 'GET /healthz 200'
}

t_migrate_import_again() {
	"$SERVER" migrate --pg "$PG" >"$W/out" || fail "migrate again"
	expect_eq "schema unchanged" "$(jget schema_from "$W/out")" "$(jget schema_to "$W/out")"
	expect_eq "first migration" "$(jget schema_from "$W/migrate.out")" 0
	expect_eq "units" "$(jget units "$W/import.out")" "$(sql 'SELECT count(*) FROM units')"
	[ "$(jget procedures "$W/import.out")" -gt 500 ] || fail "procedures imported: $(cat "$W/import.out")"
	[ "$(jget holidays "$W/import.out")" -gt 10 ] || fail "holidays imported"
	before=$(sql 'SELECT count(*) FROM changes')
	"$SERVER" import --pg "$PG" --data "$DATA" >"$W/out" 2>/dev/null || fail "import again"
	expect_eq "units changed" "$(jget units_changed "$W/out")" 0
	expect_eq "procedures changed" "$(jget procedures_changed "$W/out")" 0
	expect_eq "holidays changed" "$(jget holidays_changed "$W/out")" 0
	expect_eq "no new changes" "$(sql 'SELECT count(*) FROM changes')" "$before"
	expect_eq "unit ident" "$(sql "SELECT ident FROM units WHERE code = '00004'")" H01.00004
	# a missing data dir: exit 2, nothing changed
	"$SERVER" import --pg "$PG" --data "$W/nowhere" >/dev/null 2>"$W/err"
	expect_eq "import of a missing dir" $? 2
	expect_grep "$W/err" "không mở được"
}

t_cli_errors() {
	"$SERVER" frobnicate >/dev/null 2>&1; expect_eq "unknown command" $? 2
	"$SERVER" serve >/dev/null 2>&1; expect_eq "serve without --pg" $? 2
	"$SERVER" serve --pg "$PG" --listen nowhere >/dev/null 2>&1; expect_eq "bad listen" $? 2
	echo matkhau123 | "$SERVER" user add --pg "$PG" --username x --unit 99999 --role clerk \
		>/dev/null 2>"$W/err"
	expect_eq "unknown unit" $? 2
	echo matkhau123 | "$SERVER" user add --pg "$PG" --username y --unit 00004 --role boss \
		>/dev/null 2>&1
	expect_eq "bad role" $? 2
	echo matkhau123 | "$SERVER" user add --pg "$PG" --username clerk_a --unit 00004 --role clerk \
		>/dev/null 2>&1
	expect_eq "existing user" $? 2
	echo abc | "$SERVER" user add --pg "$PG" --username shortpw --unit 00004 --role clerk \
		>/dev/null 2>&1
	expect_eq "short password" $? 2
	expect_eq "nothing added" "$(sql "SELECT count(*) FROM users WHERE username IN ('x','y','shortpw')")" 0
	"$SERVER" stats --pg "$PG" >"$W/out" || fail "stats"
	for k in dossiers events files devices; do
		jget "$k" "$W/out" | grep -q '^[0-9][0-9]*$' || fail "stats lacks $k: $(cat "$W/out")"
	done
}
