# SPDX-License-Identifier: GPL-3.0-or-later
# Notices to the citizen (docs/notices.md): a real workstation records the
# consent at the counter and syncs; the server's trigger queues one notice
# per event and channel; `motcua-server notify run` delivers them to a real
# SMTP server and an HTTP SMS gateway on 127.0.0.1 (tests/notify/sink.c,
# each message a file), exactly once per event across restarts of the
# sender, retried while the gateway is down, never resent by itself after a
# sender stopped mid-send. (Helpers c_* are tests/sync/t_client_sync.sh's.)

# n_receive DB CONSENT-MEMBERS: one reception; its code on stdout
n_receive() {
	printf '{"procedure": "1.001193", "received_at": "2025-10-27T09:32",
	 "applicant": {"full_name": "Nguyễn Văn An", "id_number": "001090012345",
	   "birth_date": "1990-05-17", "sex": "M", "commune": "00004"%s},
	 "components": [{"id": 5, "originals": 1}, {"id": 7, "originals": 1},
	   {"id": 11, "originals": 1}, {"id": 32, "originals": 1}]}\n' "$2" >"$W/n/in.json"
	MOTCUA_NOW=$C_NOW "$MOTCUA" receive --json "$W/n/in.json" --db "$1" --user cl_a \
		>"$W/n/rcv.out" 2>"$W/n/rcv.err"
	rc=$?
	[ $rc = 0 ] && sed 's/^{"code":"\([^"]*\)".*/\1/' "$W/n/rcv.out"
	return $rc
}

# n_sink: starts the mail server and SMS gateway; sets N_SMTP, N_HTTP
n_sink() {
	SINK=${SINK:-$(dirname "$SERVER")/tests/sink}
	mkdir -p "$W/n/box"
	"$SINK" --dir "$W/n/box" 2>"$W/n/sink.log" &
	N_SINK_PID=$!
	SERVER_PIDS="$SERVER_PIDS $N_SINK_PID"
	i=0
	while ! grep -q '^http ' "$W/n/sink.log"; do
		i=$((i+1))
		[ $i -gt 400 ] && { fail "sink did not start"; return 1; }
		sleep 0.05
	done
	N_SMTP=$(sed -n 's/^smtp //p' "$W/n/sink.log")
	N_HTTP=$(sed -n 's/^http //p' "$W/n/sink.log")
	cat >"$W/n/notify.conf" <<EOF
smtp_url = smtp://$N_SMTP
smtp_from = motcua@xa00004.gov.vn
sms_url = http://$N_HTTP/sms
sms_token = token-of-the-gateway
timeout = 10
backoff_base = 0.001
EOF
	chmod 600 "$W/n/notify.conf"
}

# n_run: one pass of the sender; its summary in $W/n/run.out
n_run() {
	"$SERVER" notify run --once --pg "$PGC" --config "$W/n/notify.conf" >"$W/n/run.out" \
		2>>"$W/n/run.log" || fail "notify run: $(tail -n 3 "$W/n/run.log")"
}

n_count() { find "$W/n/box" -name "$1-*" | wc -l; }

t_notices_once_per_event() {
	c_setup || return
	mkdir -p "$W/n"
	db=$(c_store notices)
	c_login "$db" cl_a || { fail "login: $(cat "$W/c/err")"; return; }
	c_sync "$db" || { fail "first sync: $(cat "$W/c/err")"; return; }

	# consent without where to send: refused at the counter, nothing written
	before=$(lq "$db" "SELECT count(*) FROM dossiers")
	n_receive "$db" ', "consent_sms": true' >/dev/null
	expect_eq "consent without phone: exit" "$?" 2
	grep -q "số điện thoại" "$W/n/rcv.err" || fail "no Vietnamese message: $(cat "$W/n/rcv.err")"
	expect_eq "nothing written" "$(lq "$db" "SELECT count(*) FROM dossiers")" "$before"

	both=$(n_receive "$db" ', "phone": "0912 345 678", "email": "an.nguyen@example.vn",
		"consent_sms": true, "consent_email": true') || { fail "receive: $(cat "$W/n/rcv.err")"; return; }
	none=$(n_receive "$db" ', "phone": "0912345678", "email": "an.nguyen@example.vn"') ||
		{ fail "receive 2: $(cat "$W/n/rcv.err")"; return; }
	bad=$(n_receive "$db" ', "email": "reject@example.vn", "consent_email": true') ||
		{ fail "receive 3: $(cat "$W/n/rcv.err")"; return; }
	c_sync "$db" || fail "sync: $(cat "$W/c/err")"
	expect_eq "queued" "$(csql "SELECT string_agg(d.code || ':' || n.kind || ':' || n.channel, ' '
		ORDER BY d.code, n.channel) FROM notices n JOIN dossiers d ON d.id = n.dossier_id
		WHERE d.code IN ('$both', '$none', '$bad')")" \
		"$both:received:email $both:received:sms $bad:received:email"

	n_sink || return
	n_run
	expect_eq "first pass" "$(cat "$W/n/run.out")" '{"sent":2,"retry":0,"failed":1}'
	expect_eq "mails" "$(n_count mail)" 1
	expect_eq "sms" "$(n_count sms)" 1
	grep -q "^To: <an.nguyen@example.vn>" "$W/n/box/mail-1.eml" || fail "mail: no To"
	grep -q "^Subject: =?UTF-8?B?" "$W/n/box/mail-1.eml" || fail "mail: subject not encoded"
	grep -q "Kính gửi Nguyễn Văn An" "$W/n/box/mail-1.eml" || fail "mail: no greeting"
	grep -q "$both" "$W/n/box/mail-1.eml" || fail "mail: no dossier code"
	expect_eq "sms to" "$(jget to "$W/n/box/sms-1.json")" "0912345678"
	case $(jget text "$W/n/box/sms-1.json") in
	*"$both"*) ;;
	*) fail "sms: no dossier code: $(cat "$W/n/box/sms-1.json")" ;;
	esac
	expect_eq "refused address" "$(csql "SELECT n.state FROM notices n JOIN dossiers d
		ON d.id = n.dossier_id WHERE d.code = '$bad'")" failed

	# the sender started again: nothing sent twice
	n_run
	expect_eq "second pass" "$(cat "$W/n/run.out")" '{"sent":0,"retry":0,"failed":0}'
	expect_eq "mails after a restart" "$(n_count mail)" 1
	# the same push again changes nothing either
	c_sync "$db" || fail "sync again: $(cat "$W/c/err")"
	expect_eq "queued once" "$(csql "SELECT count(*) FROM notices n JOIN dossiers d ON d.id = n.dossier_id
		WHERE d.code = '$both'")" 2

	# result ready while the SMS gateway is down: the mail goes, the SMS waits
	MOTCUA_NOW=2025-10-27T11:00 "$MOTCUA" act "$both" result-ready --result-code KQ-1 --db "$db" \
		--user cl_a >/dev/null 2>"$W/n/act.err" || fail "result-ready: $(cat "$W/n/act.err")"
	MOTCUA_NOW=2025-10-27T11:00 "$MOTCUA" act "$none" result-ready --result-code KQ-2 --db "$db" \
		--user cl_a >/dev/null 2>"$W/n/act.err" || fail "result-ready 2: $(cat "$W/n/act.err")"
	c_sync "$db" || fail "sync result: $(cat "$W/c/err")"
	: >"$W/n/box/sms-down"
	n_run
	expect_eq "gateway down" "$(cat "$W/n/run.out")" '{"sent":1,"retry":1,"failed":0}'
	rm -f "$W/n/box/sms-down"
	sleep 0.1
	n_run
	expect_eq "gateway back" "$(cat "$W/n/run.out")" '{"sent":1,"retry":0,"failed":0}'
	expect_eq "mails" "$(n_count mail)" 2
	expect_eq "sms" "$(n_count sms)" 2
	grep -q "đã có kết quả" "$W/n/box/mail-2.eml" || fail "result mail: $(cat "$W/n/box/mail-2.eml")"
	expect_eq "attempts of the SMS" "$(csql "SELECT n.attempts FROM notices n JOIN dossiers d
		ON d.id = n.dossier_id WHERE d.code = '$both' AND n.kind = 'result' AND n.channel = 'sms'")" 2

	# a sender stopped between claiming and marking: unknown, never resent
	# by itself; an admin's retry sends it once
	csql "UPDATE notices SET state = 'sending' WHERE id = (SELECT n.id FROM notices n JOIN dossiers d
		ON d.id = n.dossier_id WHERE d.code = '$both' AND n.kind = 'received' AND n.channel = 'sms')"
	n_run
	expect_eq "after a stop mid-send" "$(cat "$W/n/run.out")" '{"sent":0,"retry":0,"failed":0}'
	id=$(csql "SELECT id FROM notices WHERE state = 'unknown'")
	[ -n "$id" ] || { fail "no unknown notice"; return; }
	"$SERVER" notify retry --pg "$PGC" --id "$id" >/dev/null || fail "retry"
	n_run
	expect_eq "retried" "$(cat "$W/n/run.out")" '{"sent":1,"retry":0,"failed":0}'
	expect_eq "sms" "$(n_count sms)" 3
	"$SERVER" notify status --pg "$PGC" >"$W/n/status" || fail "status"
	expect_eq "status" "$(cat "$W/n/status")" \
		'{"waiting" : 0, "sending" : 0, "sent" : 4, "failed" : 1, "unknown" : 0}'
}

t_notices_templates_and_settings() {
	[ -n "${PGC:-}" ] || { fail "needs t_notices_once_per_event first"; return; }
	"$SERVER" notify template --pg "$PGC" --kind result --channel sms --body "KQ {ma_ho_so} {bogus}" \
		>/dev/null 2>"$W/n/tpl.err"
	expect_eq "unknown placeholder: exit" "$?" 2
	grep -q "{bogus}" "$W/n/tpl.err" || fail "message: $(cat "$W/n/tpl.err")"
	"$SERVER" notify template --pg "$PGC" --kind late --channel sms --body "x" >/dev/null 2>&1
	expect_eq "unknown kind: exit" "$?" 2
	"$SERVER" notify template --pg "$PGC" --kind supplement --channel sms \
		--body "Ho so {ma_ho_so} can bo sung; lien he {don_vi}" >/dev/null || fail "template"
	expect_eq "template kept" "$(csql "SELECT body FROM notice_templates WHERE kind = 'supplement'
		AND channel = 'sms'")" "Ho so {ma_ho_so} can bo sung; lien he {don_vi}"
	# the next notice of that kind uses it, filled in
	db=$W/c/notices.db
	code=$(n_receive "$db" ', "phone": "0987654321", "consent_sms": true') || { fail "receive"; return; }
	MOTCUA_NOW=2025-10-27T12:00 "$MOTCUA" act "$code" request-supplement --papers "Giấy khai sinh" \
		--db "$db" --user cl_a >/dev/null 2>"$W/n/act.err" || fail "request-supplement: $(cat "$W/n/act.err")"
	c_sync "$db" || fail "sync: $(cat "$W/c/err")"
	expect_eq "filled" "$(csql "SELECT n.body FROM notices n JOIN dossiers d ON d.id = n.dossier_id
		WHERE d.code = '$code' AND n.kind = 'supplement'")" \
		"Ho so $code can bo sung; lien he $(csql "SELECT name FROM units WHERE code = '00004'")"

	# settings: a gateway in clear text elsewhere than this machine, a
	# secret in a file everyone may read
	printf 'sms_url = http://sms.example.vn/send\n' >"$W/n/bad.conf"
	"$SERVER" notify run --once --pg "$PGC" --config "$W/n/bad.conf" >/dev/null 2>"$W/n/bad.err"
	expect_eq "http gateway: exit" "$?" 2
	grep -q "https://" "$W/n/bad.err" || fail "message: $(cat "$W/n/bad.err")"
	printf 'sms_url = https://sms.example.vn/send\nsms_token = x\n' >"$W/n/bad.conf"
	chmod 644 "$W/n/bad.conf"
	"$SERVER" notify run --once --pg "$PGC" --config "$W/n/bad.conf" >/dev/null 2>"$W/n/bad.err"
	expect_eq "readable secret: exit" "$?" 2
}
