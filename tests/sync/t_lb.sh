# SPDX-License-Identifier: GPL-3.0-or-later
# Scaling out (docs/deploy.md): two motcua-server processes on one database
# behind a real load balancer, nginx from Debian on 127.0.0.1, configured as
# deploy.md says; two workstations of one commune log in, receive, attach a
# scanned paper and sync through it, and each ends with the other's dossiers.
# Then one server is stopped: the workstations go on through the other.
# The servers take their settings from a file (lb1) and from the environment
# (lb2), as a packaged server would.

# lb_server NAME: starts a server on motcua_lb; sets LB_PORT_<NAME>, LB_PID_<NAME>
lb_server() {
	name=$1
	log=$W/s_$name.log  # s*.log: run.sh looks for sanitizer reports in them
	: >"$log"
	if [ "$name" = lb1 ]; then
		printf 'pg = host=%s dbname=motcua_lb user=postgres\nlisten = 127.0.0.1:0\nthreads = 4\n' \
			"$W/sock" >"$W/lb1.conf"
		"$SERVER" --config "$W/lb1.conf" serve 2>>"$log" &
	else
		MOTCUA_PG_HOST=$W/sock MOTCUA_PG_DBNAME=motcua_lb MOTCUA_PG_USER=postgres \
			MOTCUA_LISTEN=127.0.0.1:0 MOTCUA_THREADS=4 "$SERVER" serve 2>>"$log" &
	fi
	pid=$!
	SERVER_PIDS="$SERVER_PIDS $pid"
	i=0
	while ! grep -q "listening on" "$log"; do
		i=$((i+1))
		[ $i -lt 1200 ] && kill -0 $pid 2>/dev/null || { fail "$name: $(cat "$log")"; return 1; }
		sleep 0.05
	done
	port=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$log")
	eval "LB_PORT_$name=$port LB_PID_$name=$pid"
}

# lb_nginx: nginx in front of both servers, on a free port; sets LB_URL
lb_nginx() {
	NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
	[ -x "$NGINX" ] || { fail "nginx not found (apt-get install nginx)"; return 1; }
	n=$W/nginx
	mkdir -p "$n"
	chmod 755 "$n"
	user=""
	[ "$(id -u)" = 0 ] && user="user www-data;"
	try=0
	while [ $try -lt 20 ]; do
		try=$((try+1))
		port=$(( 20000 + ($$ * 31 + try * 977 + $(date +%s)) % 40000 ))
		# the upstream block is deploy.md's, with the test's addresses
		cat >"$n/nginx.conf" <<EOF
$user
worker_processes 1;
pid $n/nginx.pid;
error_log $n/error.log warn;
events { worker_connections 128; }
http {
	log_format lb '\$request_method \$uri \$status upstream=\$upstream_addr';
	access_log $n/access.log lb;
	client_body_temp_path $n/body;
	proxy_temp_path $n/proxy;
	fastcgi_temp_path $n/fastcgi;
	uwsgi_temp_path $n/uwsgi;
	scgi_temp_path $n/scgi;

	upstream motcua {
		server 127.0.0.1:$LB_PORT_lb1 max_fails=1 fail_timeout=30s;
		server 127.0.0.1:$LB_PORT_lb2 max_fails=1 fail_timeout=30s;
		keepalive 8;
	}
	server {
		listen 127.0.0.1:$port;
		client_max_body_size 8m;
		location / {
			proxy_pass http://motcua;
			proxy_http_version 1.1;
			proxy_set_header Connection "";
			proxy_set_header Host \$host;
			proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
			proxy_set_header X-Forwarded-Proto \$scheme;
			proxy_request_buffering off;
			proxy_read_timeout 120s;
		}
	}
}
EOF
		if "$NGINX" -c "$n/nginx.conf" -p "$n" 2>"$n/start.err"; then
			LB_URL=http://127.0.0.1:$port
			LB_NGINX_PID=$(cat "$n/nginx.pid")
			SERVER_PIDS="$SERVER_PIDS $LB_NGINX_PID"
			return 0
		fi
		grep -q "in use" "$n/start.err" || { fail "nginx: $(cat "$n/start.err")"; return 1; }
	done
	fail "nginx found no free port"
	return 1
}

lb_input() {
	reception_json "$W/lb.json" "2025-10-27T09:32" "Trần Thị Ngọc Ánh" 001190012345 1990-05-12 F
}

# lb_station NAME USER: a workstation of 00004 logged in through nginx
lb_station() {
	db=$W/lb/$1.db
	"$MOTCUA" init --db "$db" --unit 00004 >/dev/null 2>"$W/lb/err" || { fail "init $1: $(cat "$W/lb/err")"; return 1; }
	echo matkhau123 | "$MOTCUA" login --db "$db" --server "$LB_URL" --username "$2" \
		--device-name "Máy $1" >/dev/null 2>"$W/lb/err" || { fail "login $1 through nginx: $(cat "$W/lb/err")"; return 1; }
}

# lb_receive NAME N: N dossiers received offline by NAME's clerk; codes in
# $W/lb/NAME.codes
lb_receive() {
	i=0
	while [ $i -lt "$2" ]; do
		i=$((i+1))
		ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 MOTCUA_NOW=2025-10-27T10:00 \
			"$MOTCUA" receive --json "$W/lb.json" --db "$W/lb/$1.db" --user "$(lb_clerk "$1")" >"$W/lb/r" 2>"$W/lb/err" ||
			{ fail "receive on $1: $(cat "$W/lb/err")"; return 1; }
		sed 's/^{"code":"\([^"]*\)".*/\1/' "$W/lb/r" >>"$W/lb/$1.codes"
	done
}

lb_clerk() { [ "$1" = wa ] && echo lb_a || echo lb_b; }

# lb_sync NAME: one pass through nginx; the summary in $W/lb/sum
lb_sync() {
	MOTCUA_NOW=2025-10-27T10:00 "$MOTCUA" sync --once --db "$W/lb/$1.db" >"$W/lb/sum" 2>"$W/lb/err" ||
		fail "sync $1 through nginx: $(cat "$W/lb/err") $(cat "$W/lb/sum")"
	expect_eq "sync $1: errors" "$(jget errors.# "$W/lb/sum")" 0
}

# lb_has NAME CODES_FILE: every code of the file is in NAME's store
lb_has() {
	while read -r code; do
		n=$(sqlite3 "$W/lb/$1.db" "SELECT count(*) FROM dossiers WHERE code = '$code'")
		[ "$n" = 1 ] || fail "$1 lacks $code"
	done <"$2"
}

t_lb_two_servers_nginx() {
	[ -n "$MOTCUA" ] || { fail "no motcua"; return; }
	fresh_db PGL motcua_lb "lb_a:00004:Cán bộ lb_a" "lb_b:00004:Cán bộ lb_b" || return
	lb_server lb1 || return
	lb_server lb2 || return
	lb_nginx || return
	mkdir -p "$W/lb"
	lb_input
	lb_station wa lb_a || return
	lb_station wb lb_b || return
	lb_sync wa
	lb_sync wb
	# offline at the counter, then sync through the balancer
	lb_receive wa 3 || return
	lb_receive wb 3 || return
	# a scanned paper on wa: its upload (POST, then PATCH) crosses nginx too
	code=$(head -n 1 "$W/lb/wa.codes")
	"$MOTCUA" receipt "$code" --out "$W/lb/paper.pdf" --db "$W/lb/wa.db" >/dev/null 2>"$W/lb/err" ||
		fail "receipt: $(cat "$W/lb/err")"
	MOTCUA_NOW=2025-10-27T10:00 "$MOTCUA" attach "$code" --component 5 --no-ocr "$W/lb/paper.pdf" \
		--user lb_a --db "$W/lb/wa.db" >/dev/null 2>"$W/lb/err" || fail "attach: $(cat "$W/lb/err")"
	lb_sync wa
	expect_eq "wa's paper sent" "$(jget files_sent "$W/lb/sum")" 1
	lb_sync wb
	lb_sync wa
	cat "$W/lb/wa.codes" "$W/lb/wb.codes" >"$W/lb/all.codes"
	expect_eq "codes unique" "$(sort -u "$W/lb/all.codes" | wc -l)" 6
	lb_has wa "$W/lb/all.codes"
	lb_has wb "$W/lb/all.codes"
	expect_eq "the server holds the six" \
		"$("$PGBIN/psql" -X -q -A -t -h "$W/sock" -U postgres -d motcua_lb -c "SELECT count(*) FROM dossiers")" 6
	expect_eq "and the paper" \
		"$("$PGBIN/psql" -X -q -A -t -h "$W/sock" -U postgres -d motcua_lb -c "SELECT count(*) FROM blobs")" 1
	# nginx spread the requests over both servers, and each served the API
	awk '{ print $4 }' "$W/nginx/access.log" | sort -u >"$W/lb/upstreams"
	expect_eq "upstreams used" "$(wc -l <"$W/lb/upstreams")" 2
	for s in lb1 lb2; do
		grep -q "^level=info .* POST /api/v1/sync/push 200 " "$W/s_$s.log" ||
			grep -q "^level=info .* GET /api/v1/sync/changes 200 " "$W/s_$s.log" ||
			fail "$s served no sync request"
	done
	grep -q '^PATCH /api/v1/uploads/[0-9a-f]* 204 ' "$W/nginx/access.log" ||
		fail "no upload through nginx: $(grep upload "$W/nginx/access.log")"

	# one server stops: the workstations go on through the other
	kill -TERM "$LB_PID_lb1"; wait "$LB_PID_lb1"
	expect_eq "lb1 stopped cleanly" $? 0
	SERVER_PIDS=$(echo "$SERVER_PIDS" | sed "s/ $LB_PID_lb1\b//")
	lb_receive wb 2 || return
	lb_sync wb
	lb_sync wa
	lb_has wa "$W/lb/wb.codes"
	expect_eq "the server holds eight" \
		"$("$PGBIN/psql" -X -q -A -t -h "$W/sock" -U postgres -d motcua_lb -c "SELECT count(*) FROM dossiers")" 8
	kill -TERM "$LB_NGINX_PID"
	SERVER_PIDS=$(echo "$SERVER_PIDS" | sed "s/ $LB_NGINX_PID\b//")
	kill -TERM "$LB_PID_lb2"; wait "$LB_PID_lb2"
	expect_eq "lb2 stopped cleanly" $? 0
	SERVER_PIDS=$(echo "$SERVER_PIDS" | sed "s/ $LB_PID_lb2\b//")
}
