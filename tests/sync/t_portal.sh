# The link with the National Public Service Portal (docs/portal.md): the
# publication queue filled by triggers, `motcua-server portal run` against
# tests/portal/standin (the portal's exchange format, every message checked
# against docs/portal's schemas), on a database of its own (motcua_p).
#
# Helpers are p_*; tests are t_portal_*.

# ---- helpers ---------------------------------------------------------------

psql_p() { "$PGBIN/psql" -X -q -A -t -h "$W/sock" -U postgres -d motcua_p -c "$1"; }

# p_standin NAME [OPTIONS]: starts the stand-in (state $W/p/NAME.state) on
# P_PORT_NAME (a free port the first time, the same one after); sets
# P_URL and P_PID.
p_standin() {
	name=$1
	shift
	eval "port=\${P_PORT_$name:-0}"
	: >>"$W/p/$name.log"
	n=$(grep -c "listening on" "$W/p/$name.log")
	"$STANDIN" --schemas "$DOCS/portal" --state "$W/p/$name.state" --port "$port" "$@" \
		2>>"$W/p/$name.log" &
	P_PID=$!
	SERVER_PIDS="$SERVER_PIDS $P_PID"
	i=0
	while [ "$(grep -c "listening on" "$W/p/$name.log")" -le "$n" ]; do
		i=$((i+1))
		if [ $i -gt 400 ] || ! kill -0 "$P_PID" 2>/dev/null; then
			fail "standin $name did not start: $(tail -n 3 "$W/p/$name.log")"; return 1
		fi
		sleep 0.05
	done
	port=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$W/p/$name.log" | tail -n 1)
	eval "P_PORT_$name=$port"
	P_URL=http://127.0.0.1:$port
}

p_halt() {
	kill -"${1:-TERM}" "$P_PID" 2>/dev/null
	wait "$P_PID" 2>/dev/null
	SERVER_PIDS=$(echo "$SERVER_PIDS" | sed "s/ $P_PID\b//")
}

# p_admin METHOD PATH [JSON]: the stand-in's answer in $W/body
p_admin() {
	if [ -n "${3:-}" ]; then
		printf '%s' "$3" >"$W/p/admin.json"
		api "$1" "$P_URL$2" "$W/p/admin.json" >/dev/null
	else
		api "$1" "$P_URL$2" >/dev/null
	fi
}

p_stat() { p_admin GET /admin/stats; jget "$1"; }

# p_config FILE [KEY=VALUE...]: a settings file for the stand-in at $P_URL
p_config() {
	f=$1
	shift
	{
		echo "# the stand-in portal"
		echo "url = $P_URL"
		echo "username = motcua"
		echo "password = matkhau-cong"
		echo "madonvi = 000.00.00.H01"
		echo "timeout = 1"
		echo "connect_timeout = 1"
		echo "batch = 20"
		echo "poll = 1"
		for kv in "$@"; do echo "$kv"; done
	} >"$f"
	chmod 600 "$f"
}

# p_status KEY: a number of `portal status`
p_status() { "$SERVER" portal status --pg "$PGP" >"$W/p/status.json" && jget "$1" "$W/p/status.json"; }

# Once: the database, the reference data, two clerks, the portal's codes.
p_setup() {
	[ -n "${P_READY:-}" ] && return 0
	STANDIN=${STANDIN:-$(dirname "$SERVER")/tests/standin}
	[ -x "$STANDIN" ] || { fail "no standin at $STANDIN (make test-sync builds it)"; return 1; }
	mkdir -p "$W/p"
	as_pg "$PGBIN/createdb" -h "$W/sock" -U postgres motcua_p || { fail createdb; return 1; }
	PGP="host=$W/sock dbname=motcua_p user=postgres"
	"$SERVER" migrate --pg "$PGP" >/dev/null || { fail migrate; return 1; }
	"$SERVER" import --pg "$PGP" --data "$DATA" >/dev/null 2>"$W/p/import.err" ||
		{ fail "import: $(cat "$W/p/import.err")"; return 1; }
	for u in pclerk_a:00004 pclerk_b:00008 pclerk_c:00025; do
		echo matkhau123 | "$SERVER" user add --pg "$PGP" --username "${u%%:*}" --unit "${u#*:}" \
			--role clerk --full-name "Cán bộ ${u%%:*}" >/dev/null || { fail "user $u"; return 1; }
	done
	printf 'kind,ours,theirs,name\nunit,00004,000.00.04.H01,Phường Ba Đình\nunit,00008,000.00.08.H01,\n' \
		>"$W/p/codes.csv"
	"$SERVER" portal codes import --pg "$PGP" "$W/p/codes.csv" >"$W/p/out" ||
		{ fail "codes import: $(cat "$W/p/out")"; return 1; }
	expect_eq "codes imported" "$(jget imported "$W/p/out")" 2
	"$SERVER" portal enable --pg "$PGP" >/dev/null || { fail enable; return 1; }
	: >"$W/p/sp.log"
	"$SERVER" serve --pg "$PGP" --listen 127.0.0.1:0 --threads 4 2>>"$W/p/sp.log" &
	SP_PID=$!
	SERVER_PIDS="$SERVER_PIDS $SP_PID"
	i=0
	while ! grep -q "listening on" "$W/p/sp.log"; do
		i=$((i+1))
		[ $i -gt 400 ] && { fail "server did not start"; return 1; }
		sleep 0.05
	done
	SP_URL=http://127.0.0.1:$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\).*/\1/p' "$W/p/sp.log" | head -n 1)
	PTOK_A=$(login "$SP_URL" pclerk_a dev-pa) || return 1
	PTOK_B=$(login "$SP_URL" pclerk_b dev-pb) || return 1
	PTOK_C=$(login "$SP_URL" pclerk_c dev-pc) || return 1
	P_READY=1
}

# p_push TOKEN FILE: pushes a batch; every operation must be applied
p_push() {
	st=$(api POST "$SP_URL/api/v1/sync/push" "$2" "$1")
	expect_eq "push $2" "$st" 200
	bad=$(grep -o '"status":"[a-z]*"' "$W/body" | grep -vc applied)
	expect_eq "push $2: all applied" "$bad" 0
}

# The hour of 500 answers: how many attempts the documented schedule makes
# in [0, seconds) (the first at 0, the n-th failure waits
# min(cap, base * 2^(n-1))).
p_schedule() {
	awk -v secs="$1" -v base="$2" -v cap="$3" 'BEGIN {
		t = 0; n = 0; d = base
		while (t < secs) { n++; w = d < cap ? d : cap; t += w; d *= 2 }
		print n }'
}

epoch() { date -d "$1" +%s; }

# Every dossier of the stand-in's log got its messages 1, 2, ... in order,
# each once: prints "CHAINS MESSAGES BAD".
p_check_order() {
	p_admin GET /admin/log
	sed -n 's/.*"chain":"\([^"]*\)".*"SoThuTu":"\([0-9]*\)".*/\1 \2/p' "$W/body" |
		awk '{ if ($2 != last[$1] + 1) bad++; last[$1] = $2; n++ }
		     END { c = 0; for (k in last) c++; print c, n, bad + 0 }'
}

# ---- tests ------------------------------------------------------------------

# 200 receptions and their status changes from two workstations reach the
# stand-in exactly once each, in order per dossier: acknowledgements lost,
# answers too late, the stand-in killed and restarted mid-way, then an hour
# of 500 answers (its schedule walked with --now, not waited for).
t_portal_publish() {
	p_setup || return
	p_standin main || return
	p_config "$W/p/portal.conf" "fetch = no" "backoff_base = 0.1" "backoff_cap = 0.5"
	"$SYNCTOOL" batch device=dev-pa unit=00004 ident=H01.00004 count=100 prefix=pa >"$W/p/b"
	p_push "$PTOK_A" "$W/p/b"
	"$SYNCTOOL" batch device=dev-pb unit=00008 ident=H01.00008 count=100 prefix=pb >"$W/p/b"
	p_push "$PTOK_B" "$W/p/b"
	expect_eq "queued with the receptions" "$(psql_p "SELECT count(*) FROM portal_queue")" 400
	expect_eq "all waiting" "$(p_status waiting)" 400
	# two answers lost, two too late (after the publisher's 1 s)
	p_admin POST /admin/mode '{"drop_ack":2,"timeout":2,"timeout_ms":1500}'
	"$SERVER" portal run --pg "$PGP" --config "$W/p/portal.conf" 2>"$W/p/run.log" &
	run_pid=$!
	"$SYNCTOOL" actions device=dev-pa prefix=pa count=100 action=transfer base_rev=1 status_to=4 >"$W/p/b"
	p_push "$PTOK_A" "$W/p/b"
	"$SYNCTOOL" actions device=dev-pb prefix=pb count=100 action=transfer base_rev=1 status_to=4 >"$W/p/b"
	p_push "$PTOK_B" "$W/p/b"
	# a second publisher on the same database refuses to run
	"$SERVER" portal run --pg "$PGP" --config "$W/p/portal.conf" --once >/dev/null 2>"$W/p/err"
	expect_eq "second publisher" "$?" 1
	expect_grep "$W/p/err" "một tiến trình portal run khác"
	# killed in the middle, restarted on the same port with what it kept
	i=0
	while [ "$(p_stat received)" -lt 300 ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done
	p_halt KILL
	sleep 0.3
	p_standin main || return
	i=0
	while { [ "$(p_status waiting)" != 0 ] || [ "$(p_status sent)" != 0 ]; } && [ $i -lt 600 ]; do
		sleep 0.1; i=$((i+1))
	done
	expect_eq "drained after the restart" "$(p_status waiting)/$(p_status sent)/$(p_status error)" 0/0/0
	kill -TERM "$run_pid"
	wait "$run_pid"
	expect_eq "publisher stops cleanly" "$?" 0
	expect_grep "$W/p/run.log" "dừng"
	# re-sent after lost answers, recognised at the portal
	dup=$(p_stat duplicates)
	[ "$dup" -ge 2 ] || fail "duplicates at the portal: $dup, want >= 2 (lost answers re-sent)"
	expect_eq "received once each so far" "$(p_stat received)" 800

	# An hour of 500 answers, then the portal is back.
	"$SYNCTOOL" actions device=dev-pa prefix=pa count=100 action=result-ready base_rev=2 status_to=9 >"$W/p/b"
	p_push "$PTOK_A" "$W/p/b"
	"$SYNCTOOL" actions device=dev-pb prefix=pb count=100 action=result-ready base_rev=2 status_to=9 >"$W/p/b"
	p_push "$PTOK_B" "$W/p/b"
	p_admin POST /admin/mode '{"fail500":1000000}'
	before=$(p_stat requests)
	t0=$(date +%Y-%m-%dT%H:%M:%S)
	end=$(( $(epoch "$t0") + 3600 ))
	vt=$t0 attempts=0
	while [ "$(epoch "$vt")" -lt "$end" ]; do
		MOTCUA_PORTAL_BACKOFF_BASE=1 MOTCUA_PORTAL_BACKOFF_CAP=300 "$SERVER" portal run --pg "$PGP" \
			--config "$W/p/portal.conf" --once --now "$vt" >"$W/p/once.json" 2>>"$W/p/once.log" ||
			{ fail "portal run --once at $vt"; break; }
		attempts=$((attempts+1))
		next=$(jget retry_at "$W/p/once.json")
		[ -n "$next" ] && [ "$next" != null ] || { fail "no retry_at after a 500: $(cat "$W/p/once.json")"; break; }
		[ "$(epoch "$next")" -gt "$(epoch "$vt")" ] || { fail "retry_at $next not after $vt"; break; }
		vt=$next
		[ $attempts -gt 100 ] && { fail "too many attempts"; break; }
	done
	want=$(p_schedule 3600 1 300)
	expect_eq "attempts in the hour (the schedule's)" "$attempts" "$want"
	expect_eq "requests the portal saw in the hour" "$(( $(p_stat requests) - before ))" "$want"
	expect_eq "failures counted" "$(p_status failures)" "$want"
	expect_eq "nothing lost, nothing in error" "$(p_status waiting)/$(p_status error)" 400/0
	"$SERVER" portal status --pg "$PGP" >"$W/p/status.json"
	le=$(jget last_error "$W/p/status.json")
	expect_eq "the last error" "${le%% *}" "Cổng"
	p_admin POST /admin/mode '{"fail500":0}'
	MOTCUA_PORTAL_BACKOFF_BASE=1 MOTCUA_PORTAL_BACKOFF_CAP=300 "$SERVER" portal run --pg "$PGP" \
		--config "$W/p/portal.conf" --once --now "$vt" >"$W/p/once.json" 2>>"$W/p/once.log"
	expect_eq "sent after the hour" "$(jget acknowledged "$W/p/once.json")" 400
	expect_eq "none waiting at the end" \
		"$(p_status waiting)/$(p_status sent)/$(p_status error)/$(p_status acknowledged)" 0/0/0/1200
	expect_eq "failures reset" "$(p_status failures)" 0
	expect_eq "received exactly once each" "$(p_stat received)" 1200
	expect_eq "refused by the schemas" "$(p_stat refused)" 0
	expect_eq "chains, messages, out of order" "$(p_check_order)" "200 1200 0"
	p_admin GET /admin/dossier/H01.00008-251027-0042
	expect_eq "the portal's view of a dossier" "$(jget TrangThaiHoSo)/$(jget SoThuTu)/$(jget messages)" 9/6/6
	curl -s "$SP_URL/metrics" >"$W/p/metrics"
	expect_grep "$W/p/metrics" 'motcua_portal_messages{state="acknowledged"} 1200'
	expect_grep "$W/p/metrics" 'motcua_portal_messages{state="waiting"} 0'
	expect_grep "$W/p/metrics" 'motcua_portal_failures 0'
	p_halt
}

# p_fresh: a test starts with the portal answering (no backoff left by the
# test before).
p_fresh() { psql_p "UPDATE portal_state SET failures = 0, retry_at = NULL" >/dev/null; }

# p_once CONFIG: one `portal run --once`, its summary in $W/p/once.json
p_once() {
	"$SERVER" portal run --pg "$PGP" --config "$1" --once >"$W/p/once.json" 2>>"$W/p/once.log"
}

# p_states PREFIX: the states of the messages of dossiers PREFIX-d-*, as
# "state:count ..." in order of state
p_states() {
	psql_p "SELECT string_agg(state || ':' || n, ' ' ORDER BY state) FROM (SELECT state, count(*) n
		FROM portal_queue WHERE dossier_id LIKE '$1-d-%' GROUP BY state) x"
}

# A message that cannot be made (a unit without the portal's code) waits in
# error with its reason, and its dossier's later messages behind it; an
# admin drops it with a reason or retries it once the code is there.
t_portal_admin() {
	p_setup || return
	p_fresh
	p_standin adm || return
	p_config "$W/p/adm.conf" "fetch = no"
	"$SYNCTOOL" batch device=dev-pc unit=00025 ident=H01.00025 count=2 prefix=pc >"$W/p/b"
	p_push "$PTOK_C" "$W/p/b"
	"$SYNCTOOL" actions device=dev-pc prefix=pc count=2 action=transfer base_rev=1 status_to=4 >"$W/p/b"
	p_push "$PTOK_C" "$W/p/b"
	p_once "$W/p/adm.conf"
	expect_eq "nothing sent for an unmapped unit" "$(jget acknowledged "$W/p/once.json")/$(jget errors "$W/p/once.json")" 0/2
	expect_eq "states" "$(p_states pc)" "error:2 waiting:6"
	"$SERVER" portal list --pg "$PGP" --state error >"$W/p/list"
	expect_eq "errors listed" "$(wc -l <"$W/p/list")" 2
	expect_grep "$W/p/list" "đơn vị 00025 chưa có mã của Cổng"
	id1=$(head -n 1 "$W/p/list" | sed 's/.*"id":\([0-9]*\).*/\1/')
	"$SERVER" portal drop --pg "$PGP" "$id1" >/dev/null 2>"$W/p/err"
	expect_eq "drop without a reason" "$?" 2
	expect_grep "$W/p/err" "cần lý do"
	"$SERVER" portal drop --pg "$PGP" "$id1" --reason "Gửi nhầm, đã báo Cổng" --by quantri >"$W/p/out"
	expect_eq "dropped" "$(jget dropped "$W/p/out")" "$id1"
	"$SERVER" portal retry --pg "$PGP" 999999 >/dev/null 2>&1
	expect_eq "retry of no such error" "$?" 2
	printf 'unit,00025,000.00.25.H01,Phường Giảng Võ\n' >"$W/p/codes2.csv"
	"$SERVER" portal codes import --pg "$PGP" "$W/p/codes2.csv" >/dev/null
	"$SERVER" portal retry --pg "$PGP" --all >"$W/p/out"
	expect_eq "retried" "$(jget retried "$W/p/out")" 1
	p_once "$W/p/adm.conf"
	expect_eq "states after" "$(p_states pc)" "acknowledged:7 dropped:1"
	expect_eq "dropped with its reason" \
		"$(psql_p "SELECT dropped_reason || '/' || dropped_by FROM portal_queue WHERE id = $id1")" \
		"Gửi nhầm, đã báo Cổng/quantri"
	expect_eq "refused" "$(p_stat refused)" 0
	# disabled: nothing queued; enabled again: queued again
	n=$(psql_p "SELECT count(*) FROM portal_queue")
	"$SERVER" portal disable --pg "$PGP" >/dev/null
	"$SYNCTOOL" batch device=dev-pc unit=00025 ident=H01.00025 count=1 start=3 prefix=pc >"$W/p/b"
	p_push "$PTOK_C" "$W/p/b"
	expect_eq "not queued while disabled" "$(psql_p "SELECT count(*) FROM portal_queue")" "$n"
	"$SERVER" portal enable --pg "$PGP" >/dev/null
	# the stand-in refuses what does not validate, and counts it
	printf '{"username":"motcua","password":"matkhau-cong"}' >"$W/p/auth.json"
	api POST "$P_URL/auth" "$W/p/auth.json" >/dev/null
	sess=$(jget session)
	printf '{"session":"%s","madonvi":"000.00.00.H01","service":"CapNhatTienDoHoSoMC","data":[{"MaHoSo":"H01.00025-251027-0009","SoThuTu":"1","NguoiXuLy":"A","ThoiDiemXuLy":"2025-10-27","NoiDungXuLy":"x","TrangThai":"4"}]}' \
		"$sess" >"$W/p/bad.json"
	api POST "$P_URL/integration" "$W/p/bad.json" >/dev/null
	expect_eq "the stand-in refuses" "$(jget result.0.error_code)" 1
	expect_eq "and counts it" "$(p_stat refused)" 1
	p_halt
}

# Through the province's gateway (LGSP): its token first, then the portal's
# session; wrong credentials are a failure of the link, tried again later.
t_portal_gateway() {
	p_setup || return
	p_fresh
	p_standin gw --gateway --client-id tinh --client-secret bimat || return
	p_config "$W/p/gw.conf" "fetch = no" "gateway = lgsp" "gateway_token_url = $P_URL/token" \
		"gateway_client_id = tinh" "gateway_client_secret = bimat"
	psql_p "UPDATE portal_queue SET state = 'acknowledged' WHERE state <> 'acknowledged'
		AND state <> 'dropped'" >/dev/null
	"$SYNCTOOL" batch device=dev-pa unit=00004 ident=H01.00004 count=3 start=201 prefix=pa >"$W/p/b"
	p_push "$PTOK_A" "$W/p/b"
	p_once "$W/p/gw.conf"
	expect_eq "through the gateway" "$(jget acknowledged "$W/p/once.json")" 6
	[ "$(p_stat gateway_tokens)" -ge 1 ] || fail "no gateway token asked for"
	expect_eq "received" "$(p_stat received)" 6
	# without the gateway's token the portal is out of reach
	p_config "$W/p/gw2.conf" "fetch = no"
	"$SYNCTOOL" actions device=dev-pa prefix=pa count=3 start=201 action=transfer base_rev=1 status_to=4 >"$W/p/b"
	p_push "$PTOK_A" "$W/p/b"
	p_once "$W/p/gw2.conf"
	expect_eq "no token: a failure" "$(jget acknowledged "$W/p/once.json")/$(jget failures "$W/p/once.json")" 0/1
	# a wrong secret
	p_fresh
	p_config "$W/p/gw3.conf" "fetch = no" "gateway = lgsp" "gateway_token_url = $P_URL/token" \
		"gateway_client_id = tinh" "gateway_client_secret = sai"
	p_once "$W/p/gw3.conf"
	expect_eq "wrong secret: a failure" "$(jget failures "$W/p/once.json")" 1
	le=$(p_status last_error)
	expect_eq "its reason" "${le%%(*}" "trục liên thông không cấp mã truy cập "
	p_fresh
	p_once "$W/p/gw.conf"
	expect_eq "then through" "$(jget acknowledged "$W/p/once.json")" 6
	expect_eq "refused" "$(p_stat refused)" 0
	# settings refused
	p_config "$W/p/bad.conf" "gateway = lgsp"
	"$SERVER" portal run --pg "$PGP" --config "$W/p/bad.conf" --once >/dev/null 2>"$W/p/err"
	expect_eq "lgsp without its settings" "$?" 2
	expect_grep "$W/p/err" "gateway_token_url"
	chmod 644 "$W/p/gw.conf"
	"$SERVER" portal run --pg "$PGP" --config "$W/p/gw.conf" --once >/dev/null 2>"$W/p/err"
	expect_eq "a password others may read" "$?" 2
	expect_grep "$W/p/err" "chmod 600"
	p_halt
}
