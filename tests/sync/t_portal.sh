# SPDX-License-Identifier: GPL-3.0-or-later
# The link with the National Public Service Portal (docs/portal.md): the
# publication queue filled by triggers, `motcua-server portal run` against
# tests/portal/standin (the portal's exchange format, every message checked
# against docs/portal's schemas), on a database of its own (motcua_p).
#
# Helpers are p_*; tests are t_portal_*.

# ---- helpers ---------------------------------------------------------------

psql_p() { "$PGBIN/psql" -X -q -A -t -h "$W/sock" -U postgres -d motcua_p -c "$1"; }

# p_standin NAME [OPTIONS]: starts the stand-in (state $W/portal/NAME.state) on
# P_PORT_NAME (a free port the first time, the same one after); sets
# P_URL and P_PID.
p_standin() {
	name=$1
	shift
	eval "port=\${P_PORT_$name:-0}"
	: >>"$W/portal/$name.log"
	n=$(grep -c "listening on" "$W/portal/$name.log")
	"$STANDIN" --schemas "$DOCS/portal" --state "$W/portal/$name.state" --port "$port" "$@" \
		2>>"$W/portal/$name.log" &
	P_PID=$!
	SERVER_PIDS="$SERVER_PIDS $P_PID"
	i=0
	while [ "$(grep -c "listening on" "$W/portal/$name.log")" -le "$n" ]; do
		i=$((i+1))
		if [ $i -gt 400 ] || ! kill -0 "$P_PID" 2>/dev/null; then
			fail "standin $name did not start: $(tail -n 3 "$W/portal/$name.log")"; return 1
		fi
		sleep 0.05
	done
	port=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$W/portal/$name.log" | tail -n 1)
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
		printf '%s' "$3" >"$W/portal/admin.json"
		api "$1" "$P_URL$2" "$W/portal/admin.json" >/dev/null
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
p_status() { "$SERVER" portal status --pg "$PGP" >"$W/portal/status.json" && jget "$1" "$W/portal/status.json"; }

# Once: the database, the reference data, two clerks, the portal's codes.
p_setup() {
	[ -n "${P_READY:-}" ] && return 0
	STANDIN=${STANDIN:-$(dirname "$SERVER")/tests/standin}
	[ -x "$STANDIN" ] || { fail "no standin at $STANDIN (make test-sync builds it)"; return 1; }
	mkdir -p "$W/portal"
	fresh_db PGP motcua_p "pclerk_a:00004:Cán bộ pclerk_a" "pclerk_b:00008:Cán bộ pclerk_b" \
		"pclerk_c:00025:Cán bộ pclerk_c" || return 1
	printf 'kind,ours,theirs,name\nunit,00004,000.00.04.H01,Phường Ba Đình\nunit,00008,000.00.08.H01,\n' \
		>"$W/portal/codes.csv"
	"$SERVER" portal codes import --pg "$PGP" "$W/portal/codes.csv" >"$W/portal/out" ||
		{ fail "codes import: $(cat "$W/portal/out")"; return 1; }
	expect_eq "codes imported" "$(jget imported "$W/portal/out")" 2
	"$SERVER" portal enable --pg "$PGP" >/dev/null || { fail enable; return 1; }
	: >"$W/portal/sp.log"
	"$SERVER" serve --pg "$PGP" --listen 127.0.0.1:0 --threads 4 2>>"$W/portal/sp.log" &
	SP_PID=$!
	SERVER_PIDS="$SERVER_PIDS $SP_PID"
	i=0
	while ! grep -q "listening on" "$W/portal/sp.log"; do
		i=$((i+1))
		[ $i -gt 400 ] && { fail "server did not start"; return 1; }
		sleep 0.05
	done
	SP_URL=http://127.0.0.1:$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\).*/\1/p' "$W/portal/sp.log" | head -n 1)
	PTOK_A=$(login "$SP_URL" pclerk_a dev-pa) || return 1
	PTOK_B=$(login "$SP_URL" pclerk_b dev-pb) || return 1
	PTOK_C=$(login "$SP_URL" pclerk_c dev-pc) || return 1
	# the synthetic devices' codes inside blocks leased to them, as the
	# server requires of every pushed code (fixture_lease, in this database)
	for dl in dev-pa:H01.00004 dev-pb:H01.00008 dev-pc:H01.00025; do
		"$PGBIN/psql" -X -q -A -t -h "$W/sock" -U postgres -d motcua_p -c \
			"INSERT INTO leases(request_id, unit_ident, day, first, last, device_id, username)
			 VALUES ('fixture-${dl%%:*}', '${dl#*:}', '*', 1, 9999, '${dl%%:*}', 'fixture')" \
			>/dev/null || { fail "lease ${dl%%:*}"; return 1; }
	done
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
	p_config "$W/portal/portal.conf" "fetch = no" "backoff_base = 0.1" "backoff_cap = 0.5"
	"$SYNCTOOL" batch device=dev-pa unit=00004 ident=H01.00004 count=100 prefix=pa >"$W/portal/b"
	p_push "$PTOK_A" "$W/portal/b"
	"$SYNCTOOL" batch device=dev-pb unit=00008 ident=H01.00008 count=100 prefix=pb >"$W/portal/b"
	p_push "$PTOK_B" "$W/portal/b"
	expect_eq "queued with the receptions" "$(psql_p "SELECT count(*) FROM portal_queue")" 400
	expect_eq "all waiting" "$(p_status waiting)" 400
	# two answers lost, two too late (after the publisher's 1 s)
	p_admin POST /admin/mode '{"drop_ack":2,"timeout":2,"timeout_ms":1500}'
	"$SERVER" portal run --pg "$PGP" --config "$W/portal/portal.conf" 2>"$W/portal/run.log" &
	run_pid=$!
	"$SYNCTOOL" actions device=dev-pa prefix=pa count=100 action=transfer base_rev=1 status_to=4 >"$W/portal/b"
	p_push "$PTOK_A" "$W/portal/b"
	"$SYNCTOOL" actions device=dev-pb prefix=pb count=100 action=transfer base_rev=1 status_to=4 >"$W/portal/b"
	p_push "$PTOK_B" "$W/portal/b"
	# a second publisher on the same database refuses to run
	"$SERVER" portal run --pg "$PGP" --config "$W/portal/portal.conf" --once >/dev/null 2>"$W/portal/err"
	expect_eq "second publisher" "$?" 1
	expect_grep "$W/portal/err" "một tiến trình portal run khác"
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
	expect_grep "$W/portal/run.log" "dừng"
	# re-sent after lost answers, recognised at the portal
	dup=$(p_stat duplicates)
	[ "$dup" -ge 2 ] || fail "duplicates at the portal: $dup, want >= 2 (lost answers re-sent)"
	expect_eq "received once each so far" "$(p_stat received)" 800

	# An hour of 500 answers, then the portal is back.
	"$SYNCTOOL" actions device=dev-pa prefix=pa count=100 action=result-ready base_rev=2 status_to=9 >"$W/portal/b"
	p_push "$PTOK_A" "$W/portal/b"
	"$SYNCTOOL" actions device=dev-pb prefix=pb count=100 action=result-ready base_rev=2 status_to=9 >"$W/portal/b"
	p_push "$PTOK_B" "$W/portal/b"
	p_admin POST /admin/mode '{"fail500":1000000}'
	before=$(p_stat requests)
	t0=$(date +%Y-%m-%dT%H:%M:%S)
	end=$(( $(epoch "$t0") + 3600 ))
	vt=$t0 attempts=0
	while [ "$(epoch "$vt")" -lt "$end" ]; do
		MOTCUA_PORTAL_BACKOFF_BASE=1 MOTCUA_PORTAL_BACKOFF_CAP=300 "$SERVER" portal run --pg "$PGP" \
			--config "$W/portal/portal.conf" --once --now "$vt" >"$W/portal/once.json" 2>>"$W/portal/once.log" ||
			{ fail "portal run --once at $vt"; break; }
		attempts=$((attempts+1))
		next=$(jget retry_at "$W/portal/once.json")
		[ -n "$next" ] && [ "$next" != null ] || { fail "no retry_at after a 500: $(cat "$W/portal/once.json")"; break; }
		[ "$(epoch "$next")" -gt "$(epoch "$vt")" ] || { fail "retry_at $next not after $vt"; break; }
		vt=$next
		[ $attempts -gt 100 ] && { fail "too many attempts"; break; }
	done
	want=$(p_schedule 3600 1 300)
	expect_eq "attempts in the hour (the schedule's)" "$attempts" "$want"
	expect_eq "requests the portal saw in the hour" "$(( $(p_stat requests) - before ))" "$want"
	expect_eq "failures counted" "$(p_status failures)" "$want"
	expect_eq "nothing lost, nothing in error" "$(p_status waiting)/$(p_status error)" 400/0
	"$SERVER" portal status --pg "$PGP" >"$W/portal/status.json"
	le=$(jget last_error "$W/portal/status.json")
	expect_eq "the last error" "${le%% *}" "Cổng"
	p_admin POST /admin/mode '{"fail500":0}'
	MOTCUA_PORTAL_BACKOFF_BASE=1 MOTCUA_PORTAL_BACKOFF_CAP=300 "$SERVER" portal run --pg "$PGP" \
		--config "$W/portal/portal.conf" --once --now "$vt" >"$W/portal/once.json" 2>>"$W/portal/once.log"
	expect_eq "sent after the hour" "$(jget acknowledged "$W/portal/once.json")" 400
	expect_eq "none waiting at the end" \
		"$(p_status waiting)/$(p_status sent)/$(p_status error)/$(p_status acknowledged)" 0/0/0/1200
	expect_eq "failures reset" "$(p_status failures)" 0
	expect_eq "received exactly once each" "$(p_stat received)" 1200
	expect_eq "refused by the schemas" "$(p_stat refused)" 0
	expect_eq "chains, messages, out of order" "$(p_check_order)" "200 1200 0"
	p_admin GET /admin/dossier/H01.00008-251027-0042
	expect_eq "the portal's view of a dossier" "$(jget TrangThaiHoSo)/$(jget SoThuTu)/$(jget messages)" 9/6/6
	curl -s "$SP_URL/metrics" >"$W/portal/metrics"
	expect_grep "$W/portal/metrics" 'motcua_portal_messages{state="acknowledged"} 1200'
	expect_grep "$W/portal/metrics" 'motcua_portal_messages{state="waiting"} 0'
	expect_grep "$W/portal/metrics" 'motcua_portal_failures 0'
	p_halt
}

# p_fresh: a test starts with the portal answering (no backoff left by the
# test before).
p_fresh() { psql_p "UPDATE portal_state SET failures = 0, retry_at = NULL" >/dev/null; }

# p_once CONFIG: one `portal run --once`, its summary in $W/portal/once.json
p_once() {
	"$SERVER" portal run --pg "$PGP" --config "$1" --once >"$W/portal/once.json" 2>>"$W/portal/once.log"
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
	p_config "$W/portal/adm.conf" "fetch = no"
	"$SYNCTOOL" batch device=dev-pc unit=00025 ident=H01.00025 count=2 prefix=pc >"$W/portal/b"
	p_push "$PTOK_C" "$W/portal/b"
	"$SYNCTOOL" actions device=dev-pc prefix=pc count=2 action=transfer base_rev=1 status_to=4 >"$W/portal/b"
	p_push "$PTOK_C" "$W/portal/b"
	p_once "$W/portal/adm.conf"
	expect_eq "nothing sent for an unmapped unit" "$(jget acknowledged "$W/portal/once.json")/$(jget errors "$W/portal/once.json")" 0/2
	expect_eq "states" "$(p_states pc)" "error:2 waiting:6"
	"$SERVER" portal list --pg "$PGP" --state error >"$W/portal/list"
	expect_eq "errors listed" "$(wc -l <"$W/portal/list")" 2
	expect_grep "$W/portal/list" "đơn vị 00025 chưa có mã của Cổng"
	id1=$(head -n 1 "$W/portal/list" | sed 's/.*"id":\([0-9]*\).*/\1/')
	"$SERVER" portal drop --pg "$PGP" "$id1" >/dev/null 2>"$W/portal/err"
	expect_eq "drop without a reason" "$?" 2
	expect_grep "$W/portal/err" "cần lý do"
	"$SERVER" portal drop --pg "$PGP" "$id1" --reason "Gửi nhầm, đã báo Cổng" --by quantri >"$W/portal/out"
	expect_eq "dropped" "$(jget dropped "$W/portal/out")" "$id1"
	"$SERVER" portal retry --pg "$PGP" 999999 >/dev/null 2>&1
	expect_eq "retry of no such error" "$?" 2
	printf 'unit,00025,000.00.25.H01,Phường Giảng Võ\n' >"$W/portal/codes2.csv"
	"$SERVER" portal codes import --pg "$PGP" "$W/portal/codes2.csv" >/dev/null
	"$SERVER" portal retry --pg "$PGP" --all >"$W/portal/out"
	expect_eq "retried" "$(jget retried "$W/portal/out")" 1
	p_once "$W/portal/adm.conf"
	expect_eq "states after" "$(p_states pc)" "acknowledged:7 dropped:1"
	expect_eq "dropped with its reason" \
		"$(psql_p "SELECT dropped_reason || '/' || dropped_by FROM portal_queue WHERE id = $id1")" \
		"Gửi nhầm, đã báo Cổng/quantri"
	expect_eq "refused" "$(p_stat refused)" 0
	# disabled: nothing queued; enabled again: queued again
	n=$(psql_p "SELECT count(*) FROM portal_queue")
	"$SERVER" portal disable --pg "$PGP" >/dev/null
	"$SYNCTOOL" batch device=dev-pc unit=00025 ident=H01.00025 count=1 start=3 prefix=pc >"$W/portal/b"
	p_push "$PTOK_C" "$W/portal/b"
	expect_eq "not queued while disabled" "$(psql_p "SELECT count(*) FROM portal_queue")" "$n"
	"$SERVER" portal enable --pg "$PGP" >/dev/null
	# the stand-in refuses what does not validate, and counts it
	printf '{"username":"motcua","password":"matkhau-cong"}' >"$W/portal/auth.json"
	api POST "$P_URL/auth" "$W/portal/auth.json" >/dev/null
	sess=$(jget session)
	printf '{"session":"%s","madonvi":"000.00.00.H01","service":"CapNhatTienDoHoSoMC","data":[{"MaHoSo":"H01.00025-251027-0009","SoThuTu":"1","NguoiXuLy":"A","ThoiDiemXuLy":"2025-10-27","NoiDungXuLy":"x","TrangThai":"4"}]}' \
		"$sess" >"$W/portal/bad.json"
	api POST "$P_URL/integration" "$W/portal/bad.json" >/dev/null
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
	p_config "$W/portal/gw.conf" "fetch = no" "gateway = lgsp" "gateway_token_url = $P_URL/token" \
		"gateway_client_id = tinh" "gateway_client_secret = bimat"
	psql_p "UPDATE portal_queue SET state = 'acknowledged' WHERE state <> 'acknowledged'
		AND state <> 'dropped'" >/dev/null
	"$SYNCTOOL" batch device=dev-pa unit=00004 ident=H01.00004 count=3 start=201 prefix=pa >"$W/portal/b"
	p_push "$PTOK_A" "$W/portal/b"
	p_once "$W/portal/gw.conf"
	expect_eq "through the gateway" "$(jget acknowledged "$W/portal/once.json")" 6
	[ "$(p_stat gateway_tokens)" -ge 1 ] || fail "no gateway token asked for"
	expect_eq "received" "$(p_stat received)" 6
	# without the gateway's token the portal is out of reach
	p_config "$W/portal/gw2.conf" "fetch = no"
	"$SYNCTOOL" actions device=dev-pa prefix=pa count=3 start=201 action=transfer base_rev=1 status_to=4 >"$W/portal/b"
	p_push "$PTOK_A" "$W/portal/b"
	p_once "$W/portal/gw2.conf"
	expect_eq "no token: a failure" "$(jget acknowledged "$W/portal/once.json")/$(jget failures "$W/portal/once.json")" 0/1
	# a wrong secret
	p_fresh
	p_config "$W/portal/gw3.conf" "fetch = no" "gateway = lgsp" "gateway_token_url = $P_URL/token" \
		"gateway_client_id = tinh" "gateway_client_secret = sai"
	p_once "$W/portal/gw3.conf"
	expect_eq "wrong secret: a failure" "$(jget failures "$W/portal/once.json")" 1
	le=$(p_status last_error)
	expect_eq "its reason" "${le%%(*}" "trục liên thông không cấp mã truy cập "
	p_fresh
	p_once "$W/portal/gw.conf"
	expect_eq "then through" "$(jget acknowledged "$W/portal/once.json")" 6
	expect_eq "refused" "$(p_stat refused)" 0
	# settings refused
	p_config "$W/portal/bad.conf" "gateway = lgsp"
	"$SERVER" portal run --pg "$PGP" --config "$W/portal/bad.conf" --once >/dev/null 2>"$W/portal/err"
	expect_eq "lgsp without its settings" "$?" 2
	expect_grep "$W/portal/err" "gateway_token_url"
	chmod 644 "$W/portal/gw.conf"
	"$SERVER" portal run --pg "$PGP" --config "$W/portal/gw.conf" --once >/dev/null 2>"$W/portal/err"
	expect_eq "a password others may read" "$?" 2
	expect_grep "$W/portal/err" "chmod 600"
	p_halt
}

# p_online_submit CODE UNIT NAME [FILE_TEXT...]: a dossier submitted online
# at the stand-in for the portal's unit UNIT, one paper per FILE_TEXT.
p_online_submit() {
	code=$1 unit=$2 name=$3
	shift 3
	files="" k=0
	for text in "$@"; do
		k=$((k+1))
		files="$files${files:+,}{\"id\":\"$code-f$k\",\"name\":\"Giấy tờ $k\",\"component\":\"$k\",\"text\":\"%PDF-1.4 $text\"}"
	done
	p_admin POST /admin/online "{\"dossier\":{\"MaHoSo\":\"$code\",\"MaTTHC\":\"1.001193\",
		\"TenTTHC\":\"Thủ tục đăng ký khai sinh\",\"ChuHoSo\":\"$name\",\"LoaiDoiTuong\":\"1\",
		\"MaDoiTuong\":\"001090054321\",\"NgaySinh\":\"17051990\",\"SoDienThoai\":\"0912345678\",
		\"NgayNopHoSo\":\"20251104203000\",\"DonViXuLy\":\"$unit\"},\"files\":[$files]}"
	expect_eq "submitted $code" "$(jget MaHoSo)" "$code"
}

# p_client NAME UNIT USER: a workstation of UNIT logged in to the server as
# USER; prints its store's path.
p_client() {
	db=$W/portal/$1.db
	rm -f "$db"*
	MOTCUA_NOW=$P_NOW "$MOTCUA" init --db "$db" --unit "$2" >/dev/null 2>"$W/portal/init.err" ||
		fail "init $1: $(cat "$W/portal/init.err")"
	echo matkhau123 | MOTCUA_NOW=$P_NOW "$MOTCUA" login --db "$db" --server "$SP_URL" --username "$3" \
		--device-name "Máy $1" >/dev/null 2>"$W/portal/login.err" || fail "login $1: $(cat "$W/portal/login.err")"
	echo "$db"
}

p_sync() { MOTCUA_NOW=$P_NOW "$MOTCUA" sync --once --db "$1" >"$W/portal/sum" 2>"$W/portal/err" ||
	fail "sync $1: $(cat "$W/portal/err")"; }

# p_cli DB ARGS...: motcua online ARGS on the store; its output in $W/portal/cli
p_cli() {
	db=$1
	shift
	MOTCUA_NOW=$P_NOW "$MOTCUA" online "$@" --db "$db" >"$W/portal/cli" 2>"$W/portal/cli.err"
}

# Online dossiers: fetched from the stand-in (each offered twice, and again
# after it was confirmed: one dossier each), in the right commune's inbox
# after a sync and in no other, their papers fetched; accepted, refused, asked
# for a supplement offline; the portal then holds status 2 with the dossier
# code, 3 with the reason, 5 with the papers to bring; supplemented online,
# accepted; the online share counted alike on the client and the server.
t_portal_online() {
	p_setup || return
	p_fresh
	MOTCUA=${MOTCUA:-$(dirname "$SERVER")/motcua}
	P_NOW=2025-11-05T09:00
	p_standin on --gateway || return
	p_config "$W/portal/on.conf" "gateway = lgsp" "gateway_token_url = $P_URL/token" \
		"gateway_client_id = tinh" "gateway_client_secret = bimat"
	psql_p "UPDATE portal_queue SET state = 'acknowledged' WHERE state IN ('waiting', 'sent', 'error')" >/dev/null
	p_online_submit 000.00.00.G22-251104-0001 000.00.04.H01 "Lê Văn Một" "to khai 1" "giay chung sinh 1"
	p_online_submit 000.00.00.G22-251104-0002 000.00.08.H01 "Phạm Thị Hai" "to khai 2"
	p_online_submit 000.00.00.G22-251104-0003 000.00.04.H01 "Đỗ Văn Ba" "to khai 3"
	# a unit without the portal's code: held with its reason, not confirmed
	p_online_submit 000.00.00.G22-251104-0004 000.00.99.H01 "Vũ Thị Bốn" "to khai 4"
	p_admin POST /admin/mode '{"double":true}'
	p_once "$W/portal/on.conf" || fail "portal run: $(tail -n 3 "$W/portal/once.log")"
	expect_eq "offered twice, stored once, held" \
		"$(jget online.offered "$W/portal/once.json")/$(jget online.stored "$W/portal/once.json")/$(jget online.held "$W/portal/once.json")/$(jget online.confirmed "$W/portal/once.json")" 8/3/1/3
	p_once "$W/portal/on.conf"
	# the three again once each, the held one twice again
	expect_eq "offered again after confirmation" \
		"$(jget online.offered "$W/portal/once.json")/$(jget online.stored "$W/portal/once.json")" 5/0
	expect_eq "one dossier each" "$(psql_p "SELECT count(*) FROM dossiers WHERE data->>'channel' = '2'")" 3
	expect_eq "status 1, channel 2, not received" \
		"$(psql_p "SELECT string_agg(DISTINCT status || '/' || (data->>'channel') || '/' || received_at, ',') FROM dossiers WHERE data->>'channel' = '2'")" "1/2/"
	expect_eq "papers as blobs" "$(psql_p "SELECT count(*) FROM documents WHERE kind = 'online'")" 4
	expect_eq "held with its reason" \
		"$(psql_p "SELECT state || ': ' || left(reason, 24) FROM portal_inbox WHERE portal_code = '000.00.00.G22-251104-0004'")" \
		"held: Cổng giao cho đơn vị 000"
	expect_eq "confirmed at the portal" "$(p_stat confirmed)" 3
	expect_eq "nothing published for them yet" "$(psql_p "SELECT count(*) FROM portal_queue WHERE state = 'waiting'")" 0

	wa=$(p_client pa_ws 00004 pclerk_a)
	wb=$(p_client pb_ws 00008 pclerk_b)
	p_sync "$wa"
	expect_eq "papers fetched" "$(jget files_fetched "$W/portal/sum")" 3
	p_sync "$wb"
	# a paper goes to the clerks of its dossier's unit only
	sha1=$(psql_p "SELECT d.sha256 FROM documents d JOIN dossier_documents dd ON dd.document_id = d.id
		JOIN dossiers x ON x.id = dd.dossier_id WHERE x.code = '000.00.00.G22-251104-0001'
		ORDER BY dd.component LIMIT 1")
	expect_eq "the paper to its unit's clerk" "$(api GET "$SP_URL/api/v1/blobs/$sha1" "" "$PTOK_A")" 200
	expect_grep "$W/body" "to khai 1"
	expect_eq "not to another commune's, as if not held (as HEAD)" \
		"$(api GET "$SP_URL/api/v1/blobs/$sha1" "" "$PTOK_B")" 404
	expect_eq "its code" "$(jget error.code)" not_found
	expect_eq "a file the server lacks" \
		"$(api GET "$SP_URL/api/v1/blobs/$(printf '%064d' 0)" "" "$PTOK_A")/$(jget error.code)" 404/not_found
	expect_eq "a malformed hash" "$(api GET "$SP_URL/api/v1/blobs/XYZ" "" "$PTOK_A")" 400
	p_cli "$wa" list || fail "online list: $(cat "$W/portal/cli.err")"
	expect_eq "commune 00004's inbox" "$(sed -n 's/.*"code":"\([^"]*\)".*/\1/p' "$W/portal/cli" | tr '\n' ' ')" \
		"000.00.00.G22-251104-0001 000.00.00.G22-251104-0003 "
	expect_grep "$W/portal/cli" '"applicant":"Lê Văn Một"'
	expect_grep "$W/portal/cli" '"waiting":"12 giờ 30 phút"'
	expect_grep "$W/portal/cli" '"papers":2,"papers_here":2'
	p_cli "$wb" list
	expect_eq "commune 00008's inbox" "$(sed -n 's/.*"code":"\([^"]*\)".*/\1/p' "$W/portal/cli" | tr '\n' ' ')" \
		"000.00.00.G22-251104-0002 "
	p_cli "$wa" show 000.00.00.G22-251104-0002
	expect_eq "not in another commune's store" "$?" 2
	p_cli "$wa" show 000.00.00.G22-251104-0001
	path=$(jget paper_list.0.path "$W/portal/cli")
	[ -f "$path" ] && grep -q "to khai 1" "$path" || fail "the paper is not here to open: [$path]"

	# offline: the server is not asked
	p_cli "$wa" refuse 000.00.00.G22-251104-0003
	expect_eq "refusal without a reason" "$?" 2
	p_cli "$wa" accept 000.00.00.G22-251104-0001 || fail "accept: $(cat "$W/portal/cli.err")"
	code1=$(jget code "$W/portal/cli")
	case "$code1" in H01.00004-251105-*) ;; *) fail "accepted code [$code1]" ;; esac
	expect_eq "accepted" "$(jget status "$W/portal/cli")/$(jget received_at "$W/portal/cli")/$(jget appointment "$W/portal/cli")" \
		"2/2025-11-05T09:00/2025-11-06T09:00"
	p_cli "$wa" accept 000.00.00.G22-251104-0001
	expect_eq "accepted twice" "$?" 2
	p_cli "$wa" refuse 000.00.00.G22-251104-0003 --reason "Không thuộc thẩm quyền; Thiếu tờ khai có chữ ký" ||
		fail "refuse: $(cat "$W/portal/cli.err")"
	p_cli "$wb" supplement 000.00.00.G22-251104-0002 --papers "Bản sao giấy chứng sinh" --reason "Ảnh mờ" ||
		fail "supplement: $(cat "$W/portal/cli.err")"
	p_cli "$wa" list
	expect_eq "inbox emptied" "$(wc -l <"$W/portal/cli")" 0
	p_sync "$wa"
	p_sync "$wb"
	expect_eq "pushed" "$(jget pushed "$W/portal/sum")/$(jget rejected "$W/portal/sum")" 1/0
	p_once "$W/portal/on.conf"
	p_admin GET /admin/dossier/000.00.00.G22-251104-0001
	expect_eq "the portal holds status 2 with the code" "$(jget TrangThaiHoSo)/$(jget MaHoSo)" "2/$code1"
	p_admin GET /admin/dossier/000.00.00.G22-251104-0003
	expect_eq "the portal holds status 3" "$(jget TrangThaiHoSo)" 3
	case "$(jget NoiDungXuLy)" in *"Không thuộc thẩm quyền; Thiếu tờ khai có chữ ký"*) ;;
		*) fail "refusal's reason at the portal: $(jget NoiDungXuLy)" ;; esac
	p_admin GET /admin/dossier/000.00.00.G22-251104-0002
	expect_eq "the portal holds status 5" "$(jget TrangThaiHoSo)" 5
	case "$(jget NoiDungXuLy)" in *"(mẫu 02): cần bổ sung Bản sao giấy chứng sinh. Lý do: Ảnh mờ"*) ;;
		*) fail "form 02 at the portal: $(jget NoiDungXuLy)" ;; esac

	# the citizen supplements online: the papers follow, the clerk accepts
	p_online_submit 000.00.00.G22-251104-0002 000.00.08.H01 "Phạm Thị Hai" "to khai 2" "giay chung sinh 2"
	p_admin POST /admin/mode '{"double":false}'
	p_once "$W/portal/on.conf"
	expect_eq "the new papers stored" "$(jget online.stored "$W/portal/once.json")" 1
	p_sync "$wb"
	p_cli "$wb" show 000.00.00.G22-251104-0002
	expect_eq "supplemented" "$(jget supplemented "$W/portal/cli")/$(jget papers "$W/portal/cli")/$(jget papers_here "$W/portal/cli")" \
		"true/2/2"
	p_cli "$wb" accept 000.00.00.G22-251104-0002 || fail "accept after supplement: $(cat "$W/portal/cli.err")"
	code2=$(jget code "$W/portal/cli")
	p_sync "$wb"
	p_once "$W/portal/on.conf"
	p_admin GET /admin/dossier/000.00.00.G22-251104-0002
	expect_eq "the portal holds status 2 after the supplement" "$(jget TrangThaiHoSo)/$(jget MaHoSo)" "2/$code2"
	expect_eq "every message validated" "$(p_stat refused)" 0
	expect_eq "none waiting" "$(p_status waiting)/$(p_status sent)/$(p_status error)" 0/0/0

	# the online share, alike on the client and the server
	p_sync "$wa"
	"$MOTCUA" indicators --unit 00004 --from 2025-11-05 --to 2025-11-05 --db "$wa" >"$W/portal/ind.client" ||
		fail "client indicators"
	"$SERVER" indicators --pg "$PGP" --unit 00004 --from 2025-11-05 --to 2025-11-05 >"$W/portal/ind.server" ||
		fail "server indicators"
	expect_grep "$W/portal/ind.client" '"id":"online","name":"Tiếp nhận trực tuyến","numerator":1,"denominator":1'
	expect_eq "client and server agree" "$(cat "$W/portal/ind.server")" "$(cat "$W/portal/ind.client")"
	p_halt
}
