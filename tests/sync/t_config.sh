# SPDX-License-Identifier: GPL-3.0-or-later
# The server's settings (server/config.c, motcua-server(8)): a file, the
# environment, libpq's variables, the command line winning; bad settings
# refused with where they are; passwords never needed on the command line;
# log levels (text and journal); /metrics' process and build series and its
# own address.

# cfg_unset: no setting from the environment
cfg_unset() {
	unset MOTCUA_CONFIG MOTCUA_PG MOTCUA_PG_HOST MOTCUA_PG_PORT MOTCUA_PG_DBNAME MOTCUA_PG_USER \
		MOTCUA_PG_PASSWORD MOTCUA_PG_PASSFILE MOTCUA_PG_SSLMODE MOTCUA_LISTEN \
		MOTCUA_METRICS_LISTEN MOTCUA_THREADS MOTCUA_MAX_BODY MOTCUA_TLS_CERT MOTCUA_TLS_KEY \
		PGHOST PGDATABASE PGUSER PGSERVICE PGHOSTADDR PGPASSFILE
}

t_config_sources() {
	cfg_unset
	conf=$W/server.conf
	# the database from the file's parts: no --pg
	printf '# test settings\npg_host = %s\npg_dbname = motcua\npg_user = postgres\n' "$W/sock" >"$conf"
	chmod 600 "$conf"
	"$SERVER" --config "$conf" stats >"$W/out" 2>"$W/err" || fail "stats from a file: $(cat "$W/err")"
	jget dossiers "$W/out" | grep -q '^[0-9]' || fail "stats: $(cat "$W/out")"
	# MOTCUA_CONFIG names the file too
	MOTCUA_CONFIG=$conf "$SERVER" stats >"$W/out" 2>"$W/err" || fail "MOTCUA_CONFIG: $(cat "$W/err")"
	# a whole connection string in the environment
	MOTCUA_PG="host=$W/sock dbname=motcua user=postgres" "$SERVER" stats >"$W/out" 2>"$W/err" ||
		fail "MOTCUA_PG: $(cat "$W/err")"
	# its parts in the environment
	MOTCUA_PG_HOST=$W/sock MOTCUA_PG_DBNAME=motcua MOTCUA_PG_USER=postgres "$SERVER" stats \
		>"$W/out" 2>"$W/err" || fail "MOTCUA_PG_*: $(cat "$W/err")"
	# libpq's own variables
	PGHOST=$W/sock PGDATABASE=motcua PGUSER=postgres "$SERVER" stats >"$W/out" 2>"$W/err" ||
		fail "PG* variables: $(cat "$W/err")"
	# the environment wins over the file: a database that does not exist
	MOTCUA_PG_DBNAME=no_such_db "$SERVER" --config "$conf" stats >"$W/out" 2>"$W/err"
	expect_eq "environment over the file" $? 1
	expect_grep "$W/err" "no_such_db"
	# the command line wins over both
	MOTCUA_PG_DBNAME=no_such_db "$SERVER" --config "$conf" stats --pg "$PG" >"$W/out" 2>"$W/err" ||
		fail "--pg over the rest: $(cat "$W/err")"
	# nothing names a database: the message of before
	"$SERVER" stats >/dev/null 2>"$W/err"
	expect_eq "no database named" $? 2
	expect_grep "$W/err" "pg"
	# a missing file named on purpose is an error, exit 2
	"$SERVER" --config "$W/none.conf" stats >/dev/null 2>"$W/err"
	expect_eq "missing --config file" $? 2
	expect_grep "$W/err" "none.conf"
}

t_config_refused() {
	cfg_unset
	conf=$W/bad.conf
	# each bad setting: exit 2, the file and line, or the variable, named
	while IFS='|' read -r lines want; do
		printf '%b\n' "$lines" >"$conf"
		chmod 600 "$conf"
		"$SERVER" --config "$conf" stats >/dev/null 2>"$W/err"
		expect_eq "[$lines] exit" $? 2
		expect_grep "$W/err" "$want"
	done <<EOF
# settings\\nno_such_key = 1|bad.conf:2: khoá không rõ 'no_such_key'
listen = nowhere|bad.conf:1: listen không hợp lệ
threads = 0|bad.conf:1: threads phải là số từ 1 đến 256
threads = 12x|bad.conf:1: threads phải
max_body = 10|bad.conf:1: max_body phải
just words|bad.conf:1: cần dạng
tls_cert = /x.pem|bad.conf:1: tls_cert và tls_key
pg = host='unterminated|bad.conf:1: pg không phải chuỗi kết nối
listen = 127.0.0.1:1\\nlisten = 127.0.0.1:2|bad.conf:2: khoá 'listen' đã có ở $conf:1
EOF
	MOTCUA_LISTEN=nowhere "$SERVER" stats --pg "$PG" >/dev/null 2>"$W/err"
	expect_eq "bad MOTCUA_LISTEN" $? 2
	expect_grep "$W/err" "MOTCUA_LISTEN"
	MOTCUA_THREADS=999 "$SERVER" serve --pg "$PG" >/dev/null 2>"$W/err"
	expect_eq "bad MOTCUA_THREADS" $? 2
	expect_grep "$W/err" "MOTCUA_THREADS: threads"
}

t_config_password() {
	cfg_unset
	conf=$W/pw.conf
	# a password in a file others can read: refused, nothing run
	printf 'pg = %s\npg_password = secret\n' "$PG" >"$conf"
	chmod 644 "$conf"
	"$SERVER" --config "$conf" stats >/dev/null 2>"$W/err"
	expect_eq "world-readable password" $? 2
	expect_grep "$W/err" "chmod o-rwx"
	# in a connection string too
	printf 'pg = %s password=secret\n' "$PG" >"$conf"
	"$SERVER" --config "$conf" stats >/dev/null 2>"$W/err"
	expect_eq "world-readable password in pg" $? 2
	# group-readable (root:motcua 0640 as the package installs it): accepted
	printf 'pg = %s\npg_password = secret\n' "$PG" >"$conf"
	chmod 640 "$conf"
	"$SERVER" --config "$conf" stats >"$W/out" 2>"$W/err" || fail "0640 file: $(cat "$W/err")"
	# a role that must give its password (scram over the socket), the rest
	# of the cluster unchanged
	sql "DROP ROLE IF EXISTS cfg_pw" >/dev/null
	sql "CREATE ROLE cfg_pw LOGIN PASSWORD 'pw-of-cfg'; GRANT SELECT ON ALL TABLES IN SCHEMA public TO cfg_pw" >/dev/null
	hba=$W/pg/pg_hba.conf
	cp "$hba" "$W/hba.saved"
	{ echo "local all cfg_pw scram-sha-256"; cat "$W/hba.saved"; } >"$hba"
	as_pg "$PGBIN/pg_ctl" -D "$W/pg" reload >/dev/null
	pgc="host=$W/sock dbname=motcua user=cfg_pw"
	printf 'pg = %s\n' "$pgc" >"$conf"
	"$SERVER" --config "$conf" stats >/dev/null 2>"$W/err"
	expect_eq "no password: refused by PostgreSQL" $? 1
	expect_grep "$W/err" "password"
	# a password file of libpq's format
	echo "*:*:*:cfg_pw:pw-of-cfg" >"$W/pgpass"
	chmod 600 "$W/pgpass"
	printf 'pg = %s\npg_passfile = %s\n' "$pgc" "$W/pgpass" >"$conf"
	"$SERVER" --config "$conf" stats >"$W/out" 2>"$W/err" || fail "pg_passfile: $(cat "$W/err")"
	MOTCUA_PG=$pgc MOTCUA_PG_PASSFILE=$W/pgpass "$SERVER" stats >"$W/out" 2>"$W/err" ||
		fail "MOTCUA_PG_PASSFILE: $(cat "$W/err")"
	PGPASSFILE=$W/pgpass "$SERVER" stats --pg "$pgc" >"$W/out" 2>"$W/err" ||
		fail "PGPASSFILE: $(cat "$W/err")"
	# the password in the (0640) settings
	printf 'pg = %s\npg_password = pw-of-cfg\n' "$pgc" >"$conf"
	"$SERVER" --config "$conf" stats >"$W/out" 2>"$W/err" || fail "pg_password: $(cat "$W/err")"
	printf 'pg = %s\npg_password = wrong\n' "$pgc" >"$conf"
	"$SERVER" --config "$conf" stats >/dev/null 2>"$W/err"
	expect_eq "a wrong password" $? 1
	# a server serves with it
	printf 'pg = %s\npg_passfile = %s\nlisten = 127.0.0.1:0\n' "$pgc" "$W/pgpass" >"$conf"
	: >"$W/pwserve.log"
	"$SERVER" --config "$conf" serve 2>>"$W/pwserve.log" &
	pid=$!
	SERVER_PIDS="$SERVER_PIDS $pid"
	i=0
	while ! grep -q "listening on" "$W/pwserve.log"; do
		i=$((i+1)); [ $i -lt 1200 ] && kill -0 $pid 2>/dev/null || { fail "server: $(cat "$W/pwserve.log")"; break; }
		sleep 0.05
	done
	port=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$W/pwserve.log")
	st=$(api GET "http://127.0.0.1:$port/api/v1/lookup/H01.00004-251027-9999")
	expect_eq "a query through the password's connection" "$st" 404
	expect_eq "its answer is the lookup's" "$(jget error.code)" not_found
	kill -TERM $pid; wait $pid
	SERVER_PIDS=$(echo "$SERVER_PIDS" | sed "s/ $pid\b//")
	cp "$W/hba.saved" "$hba"
	as_pg "$PGBIN/pg_ctl" -D "$W/pg" reload >/dev/null
	sql "REVOKE ALL ON ALL TABLES IN SCHEMA public FROM cfg_pw; DROP ROLE cfg_pw" >/dev/null
	# --pg with a password works, with a warning that ps shows it
	"$SERVER" stats --pg "$PG password=x" >"$W/out" 2>"$W/err" || fail "--pg with a password"
	expect_grep "$W/err" "cảnh báo: mật khẩu trong --pg"
	"$SERVER" stats --pg "$PG" >"$W/out" 2>"$W/err"
	expect_nogrep "$W/err" "cảnh báo"
}

# A server started with settings only (no option but the file), its log
# levels, /metrics' series, and /metrics on an address of its own.
t_config_serve_metrics() {
	cfg_unset
	conf=$W/serve.conf
	printf 'pg = %s\nlisten = 127.0.0.1:0\nmetrics_listen = 127.0.0.1:0\nthreads = 2\n' "$PG" >"$conf"
	chmod 600 "$conf"
	log=$W/cfgserve.log
	: >"$log"
	"$SERVER" --config "$conf" serve 2>>"$log" &
	pid=$!
	SERVER_PIDS="$SERVER_PIDS $pid"
	i=0
	while ! grep -q "listening on" "$log"; do
		i=$((i+1)); [ $i -lt 1200 ] && kill -0 $pid 2>/dev/null || { fail "server: $(cat "$log")"; return; }
		sleep 0.05
	done
	port=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$log")
	mport=$(sed -n 's/.*metrics on http:\/\/127\.0\.0\.1:\([0-9]*\)\/metrics.*/\1/p' "$log")
	[ -n "$port" ] && [ -n "$mport" ] || { fail "ports: $(cat "$log")"; return; }
	st=$(api GET "http://127.0.0.1:$port/healthz")
	expect_eq "healthz" "$st" 200
	# /metrics is on its own address only
	st=$(api GET "http://127.0.0.1:$port/metrics")
	expect_error "metrics on the API's address" "$st" 404 not_found
	st=$(curl -sS -o "$W/body" -w '%{http_code}' "http://127.0.0.1:$mport/metrics")
	expect_eq "metrics address" "$st" 200
	for series in 'motcua_http_requests_total{route="healthz",status="200"} 1' \
		'motcua_build_info{version="[0-9.]*"} 1' '^process_cpu_seconds_total [0-9.]*$' \
		'^process_resident_memory_bytes [1-9][0-9]*$' '^process_start_time_seconds [1-9][0-9.]*$' \
		'^process_open_fds [1-9][0-9]*$' '^process_max_fds [1-9][0-9]*$' \
		'^process_virtual_memory_bytes [1-9][0-9]*$' '# TYPE process_cpu_seconds_total counter'; do
		grep -q -- "$series" "$W/body" || fail "metrics lack [$series]"
	done
	# the start time is this server's: after the test began, before now
	start=$(sed -n 's/^process_start_time_seconds \([0-9]*\).*/\1/p' "$W/body")
	now=$(date +%s)
	[ "$start" -le "$now" ] && [ "$start" -ge $((now - 3600)) ] || fail "start time $start (now $now)"
	st=$(curl -sS -o "$W/body" -w '%{http_code}' "http://127.0.0.1:$mport/healthz")
	expect_eq "the metrics address serves nothing else" "$st" 404
	st=$(curl -sS -o "$W/body" -w '%{http_code}' -X POST "http://127.0.0.1:$mport/metrics")
	expect_eq "metrics: POST" "$st" 405
	# every log line has a level
	kill -TERM $pid; wait $pid
	expect_eq "clean stop" $? 0
	SERVER_PIDS=$(echo "$SERVER_PIDS" | sed "s/ $pid\b//")
	grep -v '^level=\(info\|warning\|error\) ' "$log" >"$W/nolevel"
	[ ! -s "$W/nolevel" ] || fail "log lines without a level: $(head -n 3 "$W/nolevel")"
	expect_grep "$log" "^level=info .* GET /healthz 200 "
	expect_nogrep "$log" "^level=error"
	expect_grep "$log" "^level=info motcua-server: signal 15, stopping"
}

# On the journal (JOURNAL_STREAM names stderr) lines carry syslog priorities.
t_config_journal_levels() {
	cfg_unset
	log=$W/journal.log
	: >"$log"
	js=$(stat -c '%d:%i' "$log")
	# the port of s1 is taken: an error, priority 3
	JOURNAL_STREAM=$js "$SERVER" serve --pg "$PG" --listen "127.0.0.1:$PORT_s1" 2>>"$log"
	expect_eq "port taken" $? 1
	expect_grep "$log" "^<3>motcua-server: không mở được cổng"
	# a server that starts and stops: priority 6
	: >"$log"
	js=$(stat -c '%d:%i' "$log")
	JOURNAL_STREAM=$js "$SERVER" serve --pg "$PG" --listen 127.0.0.1:0 2>>"$log" &
	pid=$!
	SERVER_PIDS="$SERVER_PIDS $pid"
	i=0
	while ! grep -q "listening on" "$log"; do
		i=$((i+1)); [ $i -lt 1200 ] && kill -0 $pid 2>/dev/null || { fail "server: $(cat "$log")"; return; }
		sleep 0.05
	done
	kill -TERM $pid; wait $pid
	SERVER_PIDS=$(echo "$SERVER_PIDS" | sed "s/ $pid\b//")
	expect_grep "$log" "^<6>motcua-server: listening on"
	expect_grep "$log" "^<6>motcua-server: signal 15"
	expect_nogrep "$log" "^<[0-5]>"
	# another stream than stderr: the text form
	: >"$log"
	JOURNAL_STREAM=1:1 "$SERVER" serve --pg "$PG" --listen "127.0.0.1:$PORT_s1" 2>>"$log"
	expect_grep "$log" "^level=error motcua-server: không mở được cổng"
}
