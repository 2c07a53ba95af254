# SPDX-License-Identifier: GPL-3.0-or-later
# The client's sync (motcua login / motcua sync, sync/): real workstations
# (SQLite stores made by `motcua init`) against a real motcua-server on its
# own database (motcua_c, so that restoring it from a dump or killing its
# server touches no other test), through tests/sync/slowproxy for poor links.
#
# Helpers are c_*; tests are t_client_*. run.sh runs them in file order.
# (tests/sync/t_client.sh, the server helper's, pushes a demo store's outbox.)

C_DAY=2025-10-27        # the day the workstations receive (MOTCUA_NOW)
C_NOW=${C_DAY}T10:00

# ---- helpers ---------------------------------------------------------------

# c_serve: starts (or restarts, on the same port) the client tests' server.
c_serve() {
	# a whole line "listening on http://127.0.0.1:PORT (pid N)"
	ready='listening on http://127\.0\.0\.1:[0-9]* (pid'
	# the log exists before the server starts: the shell opens it for the
	# background job only when that job runs, which under load can be after
	# the first look below
	: >>"$W/sc1.log"
	n=$(grep -c "$ready" "$W/sc1.log")
	"$SERVER" serve --pg "$PGC" --listen "127.0.0.1:${C_PORT:-0}" --threads 4 --lookup-per-minute 0 \
		2>>"$W/sc1.log" &
	C_PID=$!
	SERVER_PIDS="$SERVER_PIDS $C_PID"
	i=0
	while [ "$(grep -c "$ready" "$W/sc1.log")" -le "${n:-0}" ]; do
		i=$((i+1))
		if [ $i -gt 1200 ] || ! kill -0 "$C_PID" 2>/dev/null; then
			echo "client server did not start:"; tail -n 5 "$W/sc1.log"; return 1
		fi
		sleep 0.05
	done
	C_PORT=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$W/sc1.log" | tail -n 1)
	C_URL=http://127.0.0.1:$C_PORT
}

# c_halt [SIGNAL]: stops it (TERM: cleanly; KILL: as a crash).
c_halt() {
	kill -"${1:-TERM}" "$C_PID" 2>/dev/null
	wait "$C_PID" 2>/dev/null
	SERVER_PIDS=$(echo "$SERVER_PIDS" | sed "s/ $C_PID\b//")
}

csql() { "$PGBIN/psql" -X -q -A -t -h "$W/sock" -U postgres -d motcua_c -c "$1"; }

# Once: the database, its reference data, the clerks, the server.
c_setup() {
	[ -n "${C_READY:-}" ] && return 0
	MOTCUA=${MOTCUA:-$(dirname "$SERVER")/motcua}
	SLOWPROXY=${SLOWPROXY:-$(dirname "$SERVER")/tests/slowproxy}
	[ -x "$MOTCUA" ] || { fail "no motcua next to $SERVER (make test-sync builds it)"; return 1; }
	[ -x "$SLOWPROXY" ] || { fail "no slowproxy at $SLOWPROXY"; return 1; }
	fresh_db PGC motcua_c "cl_a:00004:Cán bộ cl_a" "cl_a2:00004:Cán bộ cl_a2" \
		"cl_a3:00004:Cán bộ cl_a3" "cl_b:00008:Cán bộ cl_b" || return 1
	mkdir -p "$W/c"
	c_serve || { fail "server"; return 1; }
	C_READY=1
}

# c_store NAME: a new workstation store of commune 00004; prints its path.
c_store() {
	db=$W/c/$1.db
	rm -f "$db"*
	"$MOTCUA" init --db "$db" --unit 00004 >/dev/null 2>"$W/c/$1.init.err" ||
		fail "init $1: $(cat "$W/c/$1.init.err")"
	echo "$db"
}

# c_login DB USER [URL]: motcua login; output in $W/c/out, status returned.
c_login() {
	echo matkhau123 | "$MOTCUA" login --db "$1" --server "${3:-$C_URL}" --username "$2" \
		--device-name "Máy $2" >"$W/c/out" 2>"$W/c/err"
}

# c_sync DB [OPTIONS...]: one pass; the summary in $W/c/sum, status returned.
c_sync() {
	db=$1; shift
	MOTCUA_NOW=$C_NOW "$MOTCUA" sync --once --db "$db" "$@" >"$W/c/sum" 2>"$W/c/err"
}

# c_receive DB USER N [CODES]: N receptions at the counter, one process each
# (as a clerk would, one after the other); codes appended to CODES
# ($W/c/codes by default). Under ASan the leak check at each exit is left to
# the CLI suite (it halves the time of these bulk receptions here).
c_receive() {
	i=0 out=$1.rcv codes=${4:-$W/c/codes}
	while [ $i -lt "$3" ]; do
		i=$((i+1))
		ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 MOTCUA_NOW=$C_NOW "$MOTCUA" receive --json "$W/c/in.json" --db "$1" --user "$2" \
			>"$out" 2>"$out.err" || { fail "receive $i: $(cat "$out.err")"; return 1; }
		sed 's/^{"code":"\([^"]*\)".*/\1/' "$out" >>"$codes"
	done
}

# sum FIELD: a field of the last summary.
sum() { jget "$1" "$W/c/sum"; }
lq() { sqlite3 "$1" "$2"; }

c_input() {
	cat >"$W/c/in.json" <<'EOF'
{"procedure": "1.001193", "received_at": "2025-10-27T09:32",
 "applicant": {"full_name": "Nguyễn Văn An", "id_number": "001090012345",
   "birth_date": "1990-05-17", "sex": "M", "phone": "0912 345 678", "commune": "00004"},
 "components": [{"id": 5, "originals": 1}, {"id": 7, "originals": 1},
   {"id": 11, "originals": 1}, {"id": 32, "originals": 1}]}
EOF
}

# c_proxy ARGS...: a slowproxy to the server; sets PROXY_PID, PROXY_URL.
c_proxy() {
	: >"$W/c/proxy.log"
	"$SLOWPROXY" --target "127.0.0.1:$C_PORT" "$@" 2>>"$W/c/proxy.log" &
	PROXY_PID=$!
	SERVER_PIDS="$SERVER_PIDS $PROXY_PID"
	i=0
	while ! grep -q "listening on 127\.0\.0\.1:[0-9][0-9]*$" "$W/c/proxy.log"; do
		i=$((i+1)); [ $i -lt 200 ] || { fail "proxy did not start"; return 1; }
		sleep 0.05
	done
	PROXY_URL=http://127.0.0.1:$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$W/c/proxy.log")
}

c_proxy_stop() {
	kill -TERM "$PROXY_PID" 2>/dev/null
	wait "$PROXY_PID" 2>/dev/null
	SERVER_PIDS=$(echo "$SERVER_PIDS" | sed "s/ $PROXY_PID\b//")
}

# ---- tests -------------------------------------------------------------------

# Bad input says why (exit 2, nothing stored); a good login stores the token,
# the clerk (offline login) and the unit; the first sync brings reference
# data and a lease.
t_client_login_first_sync() {
	c_setup || return
	c_input
	db=$(c_store first)
	expect_eq "login without server" "$("$MOTCUA" login --db "$db" --username cl_a </dev/null >/dev/null 2>&1; echo $?)" 2
	echo x | "$MOTCUA" login --db "$db" --server "ftp://x" --username cl_a >/dev/null 2>"$W/c/err"
	expect_eq "bad url" $? 2
	expect_grep "$W/c/err" "không hợp lệ"
	echo sai-mat-khau | "$MOTCUA" login --db "$db" --server "$C_URL" --username cl_a >/dev/null 2>"$W/c/err"
	expect_eq "wrong password" $? 2
	expect_grep "$W/c/err" "Sai tên đăng nhập hoặc mật khẩu"
	echo matkhau123 | "$MOTCUA" login --db "$db" --server "http://127.0.0.1:1" --username cl_a >/dev/null 2>"$W/c/err"
	expect_eq "no server" $? 1
	expect_grep "$W/c/err" "không kết nối được"
	expect_eq "nothing stored" "$(lq "$db" "SELECT count(*) FROM sync_state WHERE token IS NOT NULL")" 0
	c_sync "$db"
	expect_eq "sync before login" $? 2
	expect_grep "$W/c/err" "chưa đăng nhập"

	c_login "$db" cl_a || fail "login: $(cat "$W/c/err")"
	expect_grep "$W/c/out" '"username":"cl_a"'
	expect_grep "$W/c/out" '"units":\["00004"\]'
	expect_nogrep "$W/c/out" 'mc1_'
	expect_eq "token kept" "$(lq "$db" "SELECT substr(token, 1, 4) FROM sync_state")" mc1_
	expect_eq "local clerk, with the password" \
		"$(lq "$db" "SELECT full_name, length(pw_hash) > 20 FROM clerks WHERE username = 'cl_a'")" \
		"Cán bộ cl_a|1"
	expect_eq "store private" "$(stat -c %a "$db")" 600

	c_sync "$db" || fail "first sync: $(cat "$W/c/err")"
	expect_eq "errors" "$(sum errors.#)" 0
	expect_eq "leased" "$(sum leased)" 200
	expect_eq "files" "$(sum files_sent)" 0
	[ "$(sum pulled)" -gt 3000 ] || fail "pulled $(sum pulled)"
	expect_eq "procedures" "$(lq "$db" "SELECT count(*) FROM procedures")" "$(csql "SELECT count(*) FROM procedures")"
	expect_eq "units" "$(lq "$db" "SELECT count(*) FROM units")" "$(csql "SELECT count(*) FROM units")"
	expect_eq "clerks of the unit, no password" \
		"$(lq "$db" "SELECT group_concat(username || ':' || length(pw_hash), ' ') FROM (SELECT * FROM clerks ORDER BY username)")" \
		"cl_a:97 cl_a2:0 cl_a3:0"
	expect_eq "lease" "$(lq "$db" "SELECT unit_ident || ' ' || day || ' ' || (last - first + 1) FROM sync_leases")" "H01.00004 * 200"
	expect_eq "state" "$(lq "$db" "SELECT online, stopped, last_error IS NULL, cursor IS NOT NULL FROM sync_state")" "1|0|1|1"
	# nothing new: a second pass pulls nothing and leases nothing
	c_sync "$db" || fail "second sync"
	expect_eq "pulled again" "$(sum pulled)" 0
	expect_eq "leased again" "$(sum leased)" 0
	jget server_clock_skew_s "$W/c/sum" | grep -q '^-\?[0-9]' || fail "no skew: $(cat "$W/c/sum")"
	[ "$(jget warnings.# "$W/c/sum")" -ge 1 ] || fail "fixed clock far from the server's: no warning"
}

# Two workstations of one commune, offline (the server is down), receive 200
# dossiers each: no code twice. The first one syncs and the server is killed
# (SIGKILL) in the middle of its first batch: nothing is marked done, nothing
# half-written; after a restart the operations the server had come back
# duplicate, the rest applied. The second syncs; the server holds 400, each
# code resolves through the public lookup, each workstation has all 400.
t_client_two_workstations() {
	c_setup || return
	c_input
	a=$(c_store wa)
	b=$(c_store wb)
	c_login "$a" cl_a || fail "login a: $(cat "$W/c/err")"
	c_login "$b" cl_a2 || fail "login b: $(cat "$W/c/err")"
	c_sync "$a" || fail "sync a: $(cat "$W/c/err")"
	c_sync "$b" || fail "sync b: $(cat "$W/c/err")"
	c_halt TERM
	# both counters at work at the same time
	: >"$W/c/codes.a"; : >"$W/c/codes.b"
	c_receive "$a" cl_a 200 "$W/c/codes.a" &
	ra=$!
	c_receive "$b" cl_a2 200 "$W/c/codes.b" || fail "receptions on b"
	wait $ra || fail "receptions on a"
	cat "$W/c/codes.a" "$W/c/codes.b" >"$W/c/codes"
	expect_eq "codes issued" "$(wc -l <"$W/c/codes")" 400
	expect_eq "codes unique" "$(sort -u "$W/c/codes" | wc -l)" 400
	expect_eq "none flagged" "$(lq "$a" "SELECT count(*) FROM code_review") $(lq "$b" "SELECT count(*) FROM code_review")" "0 0"
	c_serve || { fail "restart"; return; }

	# the server is killed in the middle of the first batch: a session of ours
	# holds the 50th code (uncommitted), so the server applies 49 operations
	# and waits on the 50th; then SIGKILL
	code50=$(sed -n 50p "$W/c/codes")
	rm -f "$W/c/release"
	( printf "BEGIN;\nINSERT INTO dossiers(id, code, unit_code, procedure_code, procedure_name,
	    status, received_at, appointment, rev, data) VALUES ('blocker', '%s', '00004', 'x', 'x',
	    2, 'x', 'x', 1, '{}');\n" "$code50"
	  while [ ! -e "$W/c/release" ]; do sleep 0.05; done
	  printf "ROLLBACK;\n" ) | "$PGBIN/psql" -X -q -h "$W/sock" -U postgres -d motcua_c >/dev/null 2>&1 &
	blocker=$!
	i=0
	while [ "$(csql "SELECT count(*) FROM pg_stat_activity WHERE state = 'idle in transaction'")" -lt 1 ]; do
		i=$((i+1)); [ $i -lt 1000 ] || { fail "no blocker"; break; }
		sleep 0.02
	done
	MOTCUA_NOW=$C_NOW "$MOTCUA" sync --once --db "$a" >"$W/c/sum" 2>"$W/c/err" &
	syncer=$!
	i=0
	while [ "$(csql "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")" -lt 1 ]; do
		i=$((i+1)); [ $i -lt 3000 ] || { fail "the server never reached the 50th"; break; }
		sleep 0.02
	done
	expect_eq "applied before the kill" "$(csql "SELECT count(*) FROM dossiers WHERE data->>'clerk' = 'cl_a'")" 49
	c_halt KILL
	touch "$W/c/release"
	wait $blocker
	wait $syncer
	expect_eq "sync during the kill" $? 1
	expect_eq "nothing marked done" "$(lq "$a" "SELECT count(*) FROM outbox WHERE state = 'pending'")" 200
	i=0
	while [ "$(csql "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' OR state = 'idle in transaction'")" != 0 ]; do
		i=$((i+1)); [ $i -lt 500 ] || { fail "the killed server's transaction lingers"; break; }
		sleep 0.02
	done
	expect_eq "nothing half-written" "$(csql "SELECT count(*) FROM dossiers WHERE data->>'clerk' = 'cl_a'") $(csql "SELECT count(*) FROM ops WHERE username = 'cl_a'")" "49 49"
	c_serve || { fail "restart after kill"; return; }
	c_sync "$a" || fail "sync a again: $(cat "$W/c/err")"
	expect_eq "a: duplicates / pushed" "$(sum duplicates) $(sum pushed)" "49 151"
	c_sync "$b" || fail "sync b after: $(cat "$W/c/err")"
	expect_eq "b: pushed" "$(sum pushed)" 200
	expect_eq "b pulled a's" "$(lq "$b" "SELECT count(*) FROM dossiers")" 400
	c_sync "$a" || fail "sync a last"
	expect_eq "a pulled b's" "$(lq "$a" "SELECT count(*) FROM dossiers")" 400
	expect_eq "all done" "$(lq "$a" "SELECT count(*) FROM outbox WHERE state <> 'done'") $(lq "$b" "SELECT count(*) FROM outbox WHERE state <> 'done'")" "0 0"

	expect_eq "server holds 400" "$(csql "SELECT count(*) FROM dossiers WHERE data->>'clerk' IN ('cl_a', 'cl_a2')")" 400
	expect_eq "server codes unique" "$(csql "SELECT count(DISTINCT code) FROM dossiers WHERE data->>'clerk' IN ('cl_a', 'cl_a2')")" 400
	expect_eq "one op each" "$(csql "SELECT count(*) FROM ops WHERE username IN ('cl_a', 'cl_a2')")" 400
	expect_eq "one event each" "$(csql "SELECT count(*) FROM events WHERE actor IN ('cl_a', 'cl_a2')")" 400
	bad=0
	while read -r code; do
		st=$(curl -s -o "$W/c/look" -w '%{http_code}' "$C_URL/api/v1/lookup/$code")
		if [ "$st" != 200 ] || [ "$(jget code "$W/c/look")" != "$code" ]; then
			bad=$((bad+1)); [ $bad -le 3 ] && fail "lookup $code: $st $(cat "$W/c/look")"
		fi
	done <"$W/c/codes"
	expect_eq "codes not resolvable" $bad 0
	# same code on both sides, same dossier: spot-check one of b's on a
	code=$(tail -n 1 "$W/c/codes")
	expect_eq "b's dossier on a" "$(lq "$a" "SELECT applicant_name || ' ' || status FROM dossiers WHERE code = '$code'")" "Nguyễn Văn An 2"
}

# Answers lost after the server applied them: the same operations pushed
# again come back duplicate, nothing twice on the server.
t_client_push_twice() {
	c_setup || return
	c_input
	db=$(c_store tw)
	c_login "$db" cl_a3 || fail "login: $(cat "$W/c/err")"
	c_sync "$db" || fail "sync"
	: >"$W/c/codes"
	c_receive "$db" cl_a3 5 || return
	c_sync "$db" || fail "sync: $(cat "$W/c/err")"
	expect_eq "pushed" "$(sum pushed)" 5
	lq "$db" "UPDATE outbox SET state = 'pending', done_seq = NULL"
	c_sync "$db" || fail "sync twice: $(cat "$W/c/err")"
	expect_eq "again: pushed / duplicates" "$(sum pushed) $(sum duplicates)" "0 5"
	expect_eq "server: once" "$(csql "SELECT count(*) FROM dossiers WHERE data->>'clerk' = 'cl_a3'")" 5
	expect_eq "no requeue" "$(sum requeued)" 0
}

# The server's database restored from a dump taken before some pushes: the
# client notices (the server's last applied operation is older than its
# own) and sends again what the server lost; a later pass sends nothing.
t_client_restore_from_dump() {
	c_setup || return
	c_input
	db=$(c_store rs)
	c_login "$db" cl_a3 || fail "login: $(cat "$W/c/err")"
	c_sync "$db" || fail "sync"
	: >"$W/c/codes"
	c_receive "$db" cl_a3 2 || return
	c_sync "$db" || fail "sync before dump"
	"$PGBIN/pg_dump" -h "$W/sock" -U postgres -Fc -f "$W/c/dump" motcua_c || { fail pg_dump; return; }
	c_receive "$db" cl_a3 6 || return
	c_sync "$db" || fail "sync after dump"
	expect_eq "pushed after the dump" "$(sum pushed)" 6
	c_halt TERM
	as_pg "$PGBIN/dropdb" -h "$W/sock" -U postgres motcua_c || fail dropdb
	as_pg "$PGBIN/createdb" -h "$W/sock" -U postgres motcua_c || fail createdb
	"$PGBIN/pg_restore" -h "$W/sock" -U postgres -d motcua_c "$W/c/dump" || fail pg_restore
	c_serve || { fail "restart"; return; }
	n=$(sed -n '3,$p' "$W/c/codes" | while read -r code; do
		curl -s -o /dev/null -w '%{http_code}\n' "$C_URL/api/v1/lookup/$code"; done | grep -c 404)
	expect_eq "lost by the restore" "$n" 6
	c_sync "$db" || fail "sync after restore: $(cat "$W/c/err")"
	expect_eq "requeued / pushed" "$(sum requeued) $(sum pushed)" "6 6"
	grep -q "khôi phục" "$W/c/sum" || fail "no warning: $(cat "$W/c/sum")"
	while read -r code; do
		st=$(curl -s -o /dev/null -w '%{http_code}' "$C_URL/api/v1/lookup/$code")
		[ "$st" = 200 ] || fail "lookup $code after the re-push: $st"
	done <"$W/c/codes"
	c_sync "$db" || fail "sync once more"
	expect_eq "nothing more" "$(sum requeued) $(sum pushed) $(sum duplicates)" "0 0 0"
	expect_eq "server: each once" "$(csql "SELECT count(*) FROM ops WHERE username = 'cl_a3'")" 13
}

# A code issued before this workstation logged in collides with a leased
# one: the server refuses it as a conflict (never renumbers), the client
# keeps its dossier and shows the reason; an operation the server does not
# know is rejected with its code; neither stops the queue. The server's
# dossier with the same code is not pulled over the local one.
t_client_conflicts_visible() {
	c_setup || return
	c_input
	db=$(c_store cf)
	: >"$W/c/codes"
	# before any login: a local clerk, the plain local numbering
	printf 'matkhau123\n' | "$MOTCUA" clerk add cl_a --name "Cán bộ cl_a" --unit 00004 --db "$db" >/dev/null 2>&1
	# the local counter just below a code another workstation already sent
	taken=$(csql "SELECT min(code) FROM dossiers WHERE code LIKE 'H01.00004-251027-%'")
	seq=$(echo "$taken" | sed 's/.*-0*//')
	lq "$db" "INSERT INTO code_seq(unit_ident, day, last) VALUES ('H01.00004', '251027', $((seq - 1)))"
	: >"$W/c/codes"
	c_receive "$db" cl_a 1 || return
	expect_eq "local numbering" "$(cat "$W/c/codes")" "$taken"
	hash=$(printf '{"x":1}' | sha256sum | cut -d' ' -f1)
	lq "$db" "INSERT INTO outbox(op_id, entity, entity_id, base_rev, op, payload, payload_hash, created_at)
		VALUES ('cf-odd-op', 'dossier', 'cf-none', 0, 'frobnicate', '{\"x\":1}', '$hash', '$C_NOW')"
	c_login "$db" cl_a || fail "login"
	c_sync "$db"
	expect_eq "conflicts / rejected" "$(sum conflicts) $(sum rejected)" "1 1"
	expect_eq "states" "$(lq "$db" "SELECT group_concat(state || ':' || error_code, ' ') FROM (SELECT * FROM outbox ORDER BY rowid)")" \
		"conflict:code_taken rejected:unknown_op"
	lq "$db" "SELECT last_error FROM outbox WHERE state = 'conflict'" | grep -q "$taken" ||
		fail "no reason kept"
	expect_eq "local dossier kept" "$(lq "$db" "SELECT count(*) FROM dossiers WHERE code = '$taken' AND id IN (SELECT entity_id FROM outbox)")" 1
	[ "$(sum kept_local)" -ge 0 ] || fail "kept_local"
	grep -q "trùng mã" "$W/c/sum" || fail "the server's dossier with the same code should be reported: $(cat "$W/c/sum")"
	# what the status bar would say
	expect_eq "problems" "$(lq "$db" "SELECT count(*) FROM outbox WHERE state IN ('rejected', 'conflict')")" 2
}

# With no leased number left, the code still comes (9SSSSKKKK, this
# workstation's range), flagged for review and sent with "code_review".
t_client_fallback_numbering() {
	c_setup || return
	c_input
	db=$(c_store fb)
	c_login "$db" cl_a3 || fail "login"
	c_sync "$db" --lease-low 1 --lease-block 1 || fail "sync: $(cat "$W/c/err")"
	expect_eq "one number" "$(sum leased)" 1
	: >"$W/c/codes"
	c_receive "$db" cl_a3 2 || return
	first=$(head -n 1 "$W/c/codes"); second=$(tail -n 1 "$W/c/codes")
	expect_eq "leased code" "$(lq "$db" "SELECT 'H01.00004-251027-' || printf('%04d', first) FROM sync_leases")" "$first"
	echo "$second" | grep -q '^H01\.00004-251027-9[0-9]\{4\}0001$' || fail "fallback code $second"
	expect_eq "flagged" "$(lq "$db" "SELECT code FROM code_review")" "$second"
	lq "$db" "SELECT payload FROM outbox o JOIN dossiers d ON d.id = o.entity_id WHERE d.code = '$second'" |
		grep -q '"code_review":true' || fail "payload not flagged"
	c_sync "$db" --lease-low 1 --lease-block 1 || fail "sync: $(cat "$W/c/err")"
	expect_eq "pushed" "$(sum pushed)" 2
	expect_eq "flag on the server" "$(csql "SELECT data->>'code_review' FROM dossiers WHERE code = '$second'")" true
}

# The server revokes the token: the queue stops with a clear message, the
# state says so; a new login starts it again.
t_client_token_revoked() {
	c_token_start rv || return
	"$SERVER" token revoke --pg "$PGC" --device "$dev" >/dev/null || fail revoke
	c_token_refused "đăng nhập lại"
}

# c_token_start NAME: a store NAME logged in as cl_a3 that has synced once;
# db and dev (its device) set.
c_token_start() {
	c_setup || return 1
	c_input
	db=$(c_store "$1")
	c_login "$db" cl_a3 || fail "login"
	c_sync "$db" || fail "sync"
	dev=$(lq "$db" "SELECT device_id FROM sync_state")
}

# c_token_refused TEXT...: after its token was taken away, a reception on db
# is not pushed: the sync is refused saying each TEXT, the queue stops and
# keeps it; a new login pushes it and the queue runs again.
c_token_refused() {
	: >"$W/c/codes"
	c_receive "$db" cl_a3 1 || return 1
	c_sync "$db"
	expect_eq "refused" $? 1
	for text in "$@"; do
		expect_grep "$W/c/sum" "$text"
	done
	expect_eq "stopped" "$(lq "$db" "SELECT stopped, online FROM sync_state")" "1|1"
	expect_eq "kept" "$(lq "$db" "SELECT count(*) FROM outbox WHERE state = 'pending'")" 1
	c_login "$db" cl_a3 || fail "login again"
	c_sync "$db" || fail "sync after login: $(cat "$W/c/err")"
	expect_eq "pushed" "$(sum pushed)" 1
	expect_eq "running" "$(lq "$db" "SELECT stopped FROM sync_state")" 0
}

# The token expires: the queue stops as for a revoked token, the message
# says it expired and to log in again; a new login starts it again.
t_client_token_expired() {
	c_token_start ex || return
	csql "UPDATE tokens SET expires_at = now() - interval '1 second' WHERE device_id = '$dev'
		AND revoked_at IS NULL" >/dev/null || fail "expire"
	c_token_refused "đã hết hạn" "token_expired" "đăng nhập lại"
}

# Too many wrong passwords: the server locks the name (429, Retry-After);
# motcua login says so in Vietnamese with the wait, exit 2, nothing saved.
t_client_login_throttled() {
	c_setup || return
	db=$(c_store th)
	for i in 1 2 3 4 5; do
		echo sai-mat-khau | "$MOTCUA" login --db "$db" --server "$C_URL" --username cl_a2 \
			>"$W/c/out" 2>"$W/c/err"
		expect_eq "wrong password $i" $? 2
	done
	c_login "$db" cl_a2
	expect_eq "locked: bad input" $? 2
	expect_grep "$W/c/err" "đăng nhập sai quá nhiều lần"
	grep -q "thử lại sau [0-9]* phút [0-9]* giây\|thử lại sau [0-9]* giây" "$W/c/err" ||
		fail "no wait in: $(cat "$W/c/err")"
	expect_eq "no login saved" "$(lq "$db" "SELECT count(*) FROM sync_state WHERE server_url IS NOT NULL")" 0
	csql "DELETE FROM login_failures" >/dev/null
	c_login "$db" cl_a2 || fail "login after the lock: $(cat "$W/c/err")"
}

# A commune's PC shared by its clerks: two clerks of 00004 log in on one
# store in turn and both sync; a clerk of 00008 is refused (device_taken)
# and the store keeps its clerk's login.
t_client_shared_pc() {
	c_setup || return
	c_input
	db=$(c_store sh)
	c_login "$db" cl_a || fail "login cl_a: $(cat "$W/c/err")"
	: >"$W/c/codes"
	c_receive "$db" cl_a 1 || return
	c_sync "$db" || fail "sync cl_a: $(cat "$W/c/err")"
	c_login "$db" cl_a2 || fail "login cl_a2 on the same PC: $(cat "$W/c/err")"
	c_receive "$db" cl_a2 1 || return
	c_sync "$db" || fail "sync cl_a2: $(cat "$W/c/err")"
	expect_eq "pushed" "$(sum pushed)" 1
	c_login "$db" cl_b
	expect_eq "another unit's clerk refused" $? 2
	expect_grep "$W/c/err" "đã gắn với đơn vị 00004"
	c_sync "$db" || fail "sync after the refusal: $(cat "$W/c/err")"
}

# A slow, lossy link: 256 kbit/s each way, 300 ms each way, connections cut
# (the first one in the middle of the push). The sync loop (backoff,
# retries) still gets everything through; SIGTERM then stops it cleanly.
t_client_slow_link() {
	c_setup || return
	c_input
	db=$(c_store sl)
	c_login "$db" cl_a3 || fail "login"
	c_sync "$db" || fail "sync"
	: >"$W/c/codes"
	c_receive "$db" cl_a3 10 || return
	# logged in through the proxy's port while it cuts nothing; then the lossy
	# link on that port. Gzipped, the 10 compact dossiers are some 2 kB up:
	# the first cut after 600 bytes up, then most KiB cut until 4 cuts
	c_proxy
	c_login "$db" cl_a3 "$PROXY_URL" || fail "login through the proxy: $(cat "$W/c/err")"
	c_proxy_stop
	c_proxy --listen "${PROXY_URL##*:}" --rate-up 32000 --rate-down 32000 --latency-ms 300 \
		--first-cut-after 600 --cut-prob 0.8 --max-cuts 4 --seed 7
	lq "$db" "UPDATE sync_state SET last_sync_at = NULL"
	MOTCUA_NOW=$C_NOW "$MOTCUA" sync --db "$db" --interval 600 --max-seconds 240 \
		>"$W/c/sum" 2>"$W/c/err" &
	syncer=$!
	i=0
	while [ "$(lq "$db" "SELECT count(*) FROM outbox WHERE state = 'pending'")" != 0 ] ||
	      [ "$(lq "$db" "SELECT last_sync_at IS NOT NULL FROM sync_state")" != 1 ]; do
		i=$((i+1)); [ $i -lt 2400 ] || { fail "not synced in time"; break; }
		kill -0 $syncer 2>/dev/null || { fail "sync loop ended: $(cat "$W/c/err")"; break; }
		sleep 0.1
	done
	kill -TERM $syncer
	wait $syncer
	expect_eq "stopped cleanly" $? 0
	c_proxy_stop
	grep -q "slowproxy: cut" "$W/c/proxy.log" || fail "no connection was cut"
	[ $(($(sum pushed) + $(sum duplicates))) -ge 10 ] || fail "pushed $(cat "$W/c/sum")"
	expect_eq "server has them" "$(csql "SELECT count(*) FROM dossiers WHERE code IN ($(sed "s/.*/'&'/" "$W/c/codes" | paste -sd,))")" 10
	[ "$(jget errors.# "$W/c/sum")" -ge 1 ] || fail "the cuts should show in errors: $(cat "$W/c/sum")"
}

# HTTPS with certificate verification: a server with a self-signed
# certificate is refused unless its CA file is given (--ca-file), then the
# sync runs over TLS.
t_client_tls() {
	c_setup || return
	if ! command -v openssl >/dev/null; then
		echo "    skip: openssl is not installed (no certificate to test with)"
		return
	fi
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$W/c/tls.key" -out "$W/c/tls.crt" -days 2 \
		-subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" >/dev/null 2>&1 ||
		{ fail "openssl could not make a certificate"; return; }
	: >"$W/sc2.log"
	"$SERVER" serve --pg "$PGC" --listen 127.0.0.1:0 --threads 2 --tls-cert "$W/c/tls.crt" \
		--tls-key "$W/c/tls.key" 2>>"$W/sc2.log" &
	tls_pid=$!
	SERVER_PIDS="$SERVER_PIDS $tls_pid"
	i=0
	while ! grep -q "listening on https://127\.0\.0\.1:[0-9]* (pid" "$W/sc2.log"; do
		i=$((i+1)); [ $i -lt 400 ] && kill -0 $tls_pid 2>/dev/null || { fail "tls server: $(cat "$W/sc2.log")"; return; }
		sleep 0.05
	done
	url=https://127.0.0.1:$(sed -n 's/.*listening on https:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$W/sc2.log")
	db=$(c_store tls)
	echo matkhau123 | "$MOTCUA" login --db "$db" --server "$url" --username cl_a3 >/dev/null 2>"$W/c/err"
	expect_eq "unknown certificate" $? 1
	expect_grep "$W/c/err" "chứng chỉ"
	echo matkhau123 | "$MOTCUA" login --db "$db" --server "$url" --username cl_a3 \
		--ca-file "$W/c/tls.crt" >/dev/null 2>"$W/c/err" || fail "login with the CA: $(cat "$W/c/err")"
	c_sync "$db" || fail "sync over TLS: $(cat "$W/c/err")"
	[ "$(sum pulled)" -gt 3000 ] || fail "pulled over TLS: $(cat "$W/c/sum")"
	expect_eq "ca kept" "$(lq "$db" "SELECT ca_file FROM sync_state")" "$W/c/tls.crt"
	kill -TERM $tls_pid; wait $tls_pid
	SERVER_PIDS=$(echo "$SERVER_PIDS" | sed "s/ $tls_pid\b//")
}

# c_tui NAME DB USER: the TUI, headless, on a key script read from stdin; the
# dumps (:save-display FILE) land in $W/c/NAME/.
c_tui() {
	rm -rf "$W/c/$1"; mkdir -p "$W/c/$1/home"
	cat >"$W/c/$1.keys"
	(cd "$W/c/$1" && HOME="$W/c/$1/home" XDG_CONFIG_HOME="$W/c/$1/home" MOTCUA_NOW=$C_NOW \
		MOTCUA_SCRIPT="$W/c/$1.keys" "$MOTCUA" --db "$2" --user "$3") >"$W/c/$1.out" 2>"$W/c/$1.err" ||
		fail "tui $1: $(cat "$W/c/$1.err")"
}

# The TUI's worker (its own connection; headless it syncs once at start and
# on F5): the status bar tells online or offline, pending operations, the
# last successful sync and an error, truthfully; F5 says what happened; key
# 5 on home opens the sync screen with the state and the problems.
t_client_tui() {
	c_setup || return
	c_input
	db=$(c_store tui)
	c_login "$db" cl_a3 || fail "login"
	c_sync "$db" || fail "sync"
	: >"$W/c/codes"
	c_receive "$db" cl_a3 1 || return
	lq "$db" "UPDATE sync_state SET last_sync_at = NULL"
	c_tui online "$db" cl_a3 <<'KEYS'
:type matkhau123
<Enter>
:save-display home.screen
<F5>
:save-display f5.screen
5
:save-display sync.screen
KEYS
	f=$W/c/online/home.screen
	expect_grep "$f" "│ Trực tuyến · 10:00$"
	expect_eq "pushed at start" "$(csql "SELECT count(*) FROM dossiers WHERE code = '$(cat "$W/c/codes")'")" 1
	expect_grep "$W/c/online/f5.screen" "Đã đồng bộ: gửi 0 thao tác, nhận 0 thay đổi"
	f=$W/c/online/sync.screen
	expect_grep "$f" "Máy chủ: $C_URL"
	expect_grep "$f" "Trạng thái: trực tuyến"
	expect_grep "$f" "Đồng bộ thành công gần nhất: 27/10/2025 10:00$"
	expect_grep "$f" "Chờ gửi: 0 thao tác, 0,0 MB tệp$"
	expect_grep "$f" "Lỗi gần nhất: không có"
	expect_grep "$f" "Không có thao tác nào bị từ chối hay xung đột"

	# offline: one more dossier waits; the server is down
	c_receive "$db" cl_a3 1 || return
	hash=$(printf '{"x":1}' | sha256sum | cut -d' ' -f1)
	lq "$db" "INSERT INTO outbox(op_id, entity, entity_id, base_rev, op, payload, payload_hash,
		state, error_code, last_error, created_at) VALUES ('tui-odd', 'dossier', 'tui-none', 0,
		'frobnicate', '{\"x\":1}', '$hash', 'rejected', 'unknown_op',
		'Không hỗ trợ thao tác frobnicate trên dossier', '$C_NOW')"
	c_halt TERM
	c_tui offline "$db" cl_a3 <<'KEYS'
:type matkhau123
<Enter>
:save-display home.screen
<F5>
:save-display f5.screen
5
:save-display sync.screen
KEYS
	f=$W/c/offline/home.screen
	expect_grep "$f" "│ Ngoại tuyến · chờ 1 · 10:00 · 1 lỗi$"
	expect_grep "$W/c/offline/f5.screen" "Không đồng bộ được: .*không kết nối được máy chủ"
	f=$W/c/offline/sync.screen
	expect_grep "$f" "Trạng thái: ngoại tuyến (sẽ thử lại)"
	expect_grep "$f" "Chờ gửi: 1 thao tác"
	expect_grep "$f" "Lỗi gần nhất: Gửi thao tác: không kết nối được máy chủ"
	expect_grep "$f" "Cần xử lý: 1 thao tác bị từ chối/xung đột, 0 mã cần rà soát"
	expect_grep "$f" "^ tui-none  *frobnicate  *Bị từ chối Không hỗ trợ"
	expect_grep "$f" "Không hỗ trợ thao tác frobnicate trên dossier (unknown_op)"
	c_serve || fail "restart"
}
