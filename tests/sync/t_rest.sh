# SPDX-License-Identifier: GPL-3.0-or-later
# Personal data at rest, the whole way (docs/security.md): a workstation made
# by `motcua init` is encrypted at its clerk's first login; it receives two
# citizens of distinctive names, attaches a paper that carries the first one's
# name and ID number (OCR reads it), and syncs, a `motcua sync` loop running
# all along (it keeps the store open: the -wal file stays, with its frames).
# The server gets everything in clear: the dossiers, and the paper with the
# SHA-256 of its plaintext. A copy of the store, its -wal, -shm and keys
# and its folders, taken while the loop runs (a laptop lost at that moment),
# holds none of the names (as typed, decomposed, without diacritics) or ID
# numbers, nor the server token. The store then opens with the password and
# finds the dossiers by name, by ID number and by the paper's words.
#
# A database and a server of their own (motcua_r).

R_NOW=2025-11-24T10:00
R_N1="Lò Thị Khánh Xuân"
R_N1_NFD=$(printf 'Lo\314\200 Thi\314\243 Kha\314\201nh Xua\314\202n')
R_N1_FOLD="lo thi khanh xuan"
R_ID1=040190012377
R_N2="Vừ Quỳnh Nguyệt Hằng"
R_N2_NFD=$(printf 'Vu\314\233\314\200 Quy\314\200nh Nguye\314\202\314\243t Ha\314\206\314\200ng')
R_N2_FOLD="vu quynh nguyet hang"
R_ID2=011185007788

rsql() { "$PGBIN/psql" -X -q -A -t -h "$W/sock" -U postgres -d motcua_r -c "$1"; }

r_setup() {
	[ -n "${R_READY:-}" ] && return 0
	MOTCUA=${MOTCUA:-$(dirname "$SERVER")/motcua}
	[ -x "$MOTCUA" ] || { fail "no motcua next to $SERVER"; return 1; }
	mkdir -p "$W/r"
	fresh_db PGR motcua_r "rest_a:00004:Trần Văn Bình" || return 1
	: >"$W/sr.log"
	"$SERVER" serve --pg "$PGR" --listen 127.0.0.1:0 --threads 2 2>>"$W/sr.log" &
	R_PID=$!
	SERVER_PIDS="$SERVER_PIDS $R_PID"
	i=0
	while ! grep -q "listening on" "$W/sr.log"; do
		i=$((i+1))
		if [ $i -gt 1200 ] || ! kill -0 "$R_PID" 2>/dev/null; then
			fail "server: $(cat "$W/sr.log")"; return 1
		fi
		sleep 0.05
	done
	R_PORT=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$W/sr.log" | tail -n 1)
	R_URL=http://127.0.0.1:$R_PORT
	R_READY=1
}

# r_receive DB NAME ID BIRTH: one reception; its code in RCODE
r_receive() {
	cat >"$W/r/in.json" <<EOF
{"procedure": "1.001193", "received_at": "2025-11-24T09:30",
 "applicant": {"full_name": "$2", "id_number": "$3", "birth_date": "$4", "sex": "F",
   "phone": "0987123456", "commune": "00004"},
 "components": [{"id": 5, "originals": 1}, {"id": 7, "originals": 1},
   {"id": 11, "originals": 1}, {"id": 32, "originals": 1}]}
EOF
	MOTCUA_NOW=$R_NOW "$MOTCUA" receive --json "$W/r/in.json" --db "$1" >"$W/r/rcv" \
		2>"$W/r/rcv.err" || fail "receive: $(cat "$W/r/rcv.err")"
	RCODE=$(sed -n 's/^{"code":"\([^"]*\)".*/\1/p' "$W/r/rcv")
}

# r_no_trace FILE...: no name, ID number or token in the files' bytes (whole
# names and numbers: a short word turns up by chance in ciphertext)
r_no_trace() {
	for f in "$@"; do
		[ -f "$f" ] || continue
		for s in "$R_N1" "$R_N1_NFD" "$R_N2" "$R_N2_NFD" "$R_ID1" "$R_ID2" 0987123456; do
			grep -a -q -F -- "$s" "$f" && fail "«$s» in $f"
		done
		grep -a -q -E 'mc1_[0-9a-f]{16}' "$f" && fail "the server token in $f"
		for s in "$R_N1_FOLD" "$R_N2_FOLD" "$R_ID1" "$R_ID2" "khanh xuan" "nguyet hang"; do
			strings -a "$f" | grep -q -i -F -- "$s" && fail "strings finds «$s» in $f"
		done
	done
	:
}

t_rest_lost_laptop() {
	r_setup || return
	ws=$W/r/ws
	db=$ws/motcua.db
	MOTCUA_NO_ENCRYPT= "$MOTCUA" init --db "$db" --unit 00004 >"$W/r/init" 2>&1 ||
		{ fail "init: $(cat "$W/r/init")"; return; }
	expect_grep "$W/r/init" '"encryption":"pending"'
	echo matkhau123 | "$MOTCUA" login --db "$db" --server "$R_URL" --username rest_a \
		--device-name "Máy tiếp nhận" >"$W/r/login" 2>&1 || { fail "login: $(cat "$W/r/login")"; return; }
	[ "$(head -c 8 "$db")" = MCSTORE1 ] || { fail "not encrypted at the first login"; return; }
	export MOTCUA_PASSWORD=matkhau123

	# the loop: it keeps the store open, so its -wal stays with the frames
	MOTCUA_NOW=$R_NOW "$MOTCUA" sync --db "$db" --interval 0.5 --max-seconds 300 \
		>"$W/r/loop" 2>"$W/r/loop.err" &
	loop=$!
	r_receive "$db" "$R_N1" "$R_ID1" 1990-05-17; c1=$RCODE
	r_receive "$db" "$R_N2" "$R_ID2" 1985-01-09; c2=$RCODE
	MOTCUA_NOW=$R_NOW "$MOTCUA" receipt "$c1" --db "$db" --out "$W/r/paper.pdf" >/dev/null 2>&1 ||
		fail "receipt"
	MOTCUA_NOW=$R_NOW "$MOTCUA" attach "$c1" --component 5 "$W/r/paper.pdf" --db "$db" \
		>"$W/r/att" 2>"$W/r/att.err" || fail "attach: $(cat "$W/r/att.err")"
	expect_grep "$W/r/att" '"ocr_state":"done"'
	sha=$(jget sha256 "$W/r/att")
	size=$(jget bytes "$W/r/att")

	# wait (bounded) for the loop to have sent both dossiers and the paper
	i=0
	while [ "$(rsql "SELECT count(*) FROM blobs WHERE sha256 = '$sha'")" != 1 ] ||
	      [ "$(rsql "SELECT count(*) FROM dossiers WHERE code IN ('$c1', '$c2')")" != 2 ]; do
		i=$((i+1))
		[ $i -lt 1200 ] && kill -0 "$loop" 2>/dev/null ||
			{ fail "not synced: $(cat "$W/r/loop.err")"; break; }
		sleep 0.1
	done
	# the server has it all in clear, the paper with its plaintext's hash
	expect_eq "the first name on the server" \
		"$(rsql "SELECT data->'applicant'->>'full_name' FROM dossiers WHERE code = '$c1'")" "$R_N1"
	expect_eq "the second name on the server" \
		"$(rsql "SELECT data->'applicant'->>'full_name' FROM dossiers WHERE code = '$c2'")" "$R_N2"
	expect_eq "the paper on the server" \
		"$(rsql "SELECT encode(sha256(string_agg(data, ''::bytea ORDER BY pos)), 'hex'), sum(length(data)) FROM blob_chunks WHERE sha256 = '$sha'")" \
		"$sha|$size"

	# the laptop, lost now: everything copied as it is on the disk, the loop
	# held still meanwhile (a copy as a crash would leave it)
	rm -rf "$W/r/copy"
	kill -STOP "$loop"
	cp -a "$ws" "$W/r/copy"
	kill -CONT "$loop"
	wal=$W/r/copy/motcua.db-wal
	[ -f "$wal" ] && [ "$(wc -c <"$wal")" -gt 4096 ] || fail "no WAL with frames in the copy: $(ls -l "$W/r/copy")"
	[ -f "$W/r/copy/documents/$sha.pdf" ] || fail "no paper in the copy"
	r_no_trace $(find "$W/r/copy" -type f)
	kill -TERM "$loop"
	wait "$loop"
	# what the loop sent, all passes added up (its last pass may be cut short)
	[ "$(jget pushed "$W/r/loop")" -ge 3 ] || fail "pushed: $(cat "$W/r/loop")"
	[ "$(jget files_sent "$W/r/loop")" -ge 1 ] || fail "files sent: $(cat "$W/r/loop")"

	# the copy opens with the password, recovering its WAL; everything is there
	cdb=$W/r/copy/motcua.db
	rm -f "$W/r/copy/motcua.db.lock"
	MOTCUA_NOW=$R_NOW "$MOTCUA" search "khanh xuan" --db "$cdb" >"$W/r/s1" 2>&1 || fail "search: $(cat "$W/r/s1")"
	expect_grep "$W/r/s1" "\"code\":\"$c1\""
	MOTCUA_NOW=$R_NOW "$MOTCUA" search "$R_ID2" --db "$cdb" >"$W/r/s2" 2>&1 || fail "search id"
	expect_grep "$W/r/s2" "\"code\":\"$c2\""
	MOTCUA_NOW=$R_NOW "$MOTCUA" search "giay tiep nhan" --db "$cdb" >"$W/r/s3" 2>&1 || fail "search ocr"
	expect_grep "$W/r/s3" "\"code\":\"$c1\""
	MOTCUA_PASSWORD=sai "$MOTCUA" search "$R_ID2" --db "$cdb" >/dev/null 2>&1
	expect_eq "a wrong password" $? 2
	unset MOTCUA_PASSWORD
}
