# SPDX-License-Identifier: GPL-3.0-or-later
# Files through the client's sync (sync/upload.c) with the real `motcua`:
# a ~20 MB scan attached to a dossier goes up through tests/sync/slowproxy,
# which cuts the link half-way; the next pass resumes from the server's offset
# and, counted by the proxy, less than 1.1 x the file crosses the link in all.
# A second workstation attaching the same paper sends no byte of it (HEAD on
# the blob); a third gets the document through the change feed (metadata,
# no file to send). A file damaged on the disk is refused by the server's
# hash check and reported, and the queue goes on with the next file.
#
# A database and a server of their own (motcua_f), a day of their own
# (F_DAY), each workstation in a folder of its own (the documents/ folder lies
# next to the store). The helpers lq and jget come from t_client_sync.sh and
# lib.sh.

F_DAY=2025-11-21
F_NOW=${F_DAY}T10:00

# ---- helpers ---------------------------------------------------------------

# le16 N / le32 N: little-endian binary integers on stdout.
f_le16() { printf "\\$(printf %03o $(($1 & 255)))\\$(printf %03o $((($1 >> 8) & 255)))"; }
f_le32() { f_le16 $(($1 & 65535)); f_le16 $((($1 >> 16) & 65535)); }

# f_noise_tiff W H FILE: an uncompressed 8-bit grey TIFF of random noise (what
# `motcua attach` takes: it becomes a JPEG page, so that the PDF keeps about
# half a byte per pixel).
f_noise_tiff() {
	{
		printf 'II*\000'; f_le32 8
		f_le16 9
		for e in "256 4 $1" "257 4 $2" "258 3 8" "259 3 1" "262 3 1" "273 4 122" \
			"277 3 1" "278 4 $2" "279 4 $(($1 * $2))"; do
			tag=${e%% *} rest=${e#* } type=${rest%% *} val=${rest#* }
			f_le16 "$tag"; f_le16 "$type"; f_le32 1
			if [ "$type" = 3 ]; then f_le16 "$val"; f_le16 0; else f_le32 "$val"; fi
		done
		f_le32 0
		head -c $(($1 * $2)) /dev/urandom
	} >"$3"
}

# f_store NAME USER [URL]: a workstation of commune 00004 in its own folder,
# logged in (to URL, the server by default) and synced once; its path in FDB.
# (Helpers set variables rather than print: a fail in $(...) would be lost.)
f_store() {
	mkdir -p "$W/f/$1"
	FDB=$W/f/$1/motcua.db
	"$MOTCUA" init --db "$FDB" --unit 00004 >/dev/null 2>"$W/f/init.err" ||
		fail "init $1: $(cat "$W/f/init.err")"
	echo matkhau123 | "$MOTCUA" login --db "$FDB" --server "${3:-$F_URL}" --username "$2" \
		--device-name "Máy $1" >/dev/null 2>"$W/f/login.err" || fail "login $1: $(cat "$W/f/login.err")"
	f_sync "$FDB" || fail "first sync of $1: $(cat "$W/f/err")"
}

# f_sync DB: one pass at F_NOW; the summary in $W/f/sum, status returned.
f_sync() {
	MOTCUA_NOW=$F_NOW "$MOTCUA" sync --once --db "$1" >"$W/f/sum" 2>"$W/f/err"
}
fsum() { jget "$1" "$W/f/sum"; }

# f_receive DB USER: one reception at the counter; its code in FCODE.
f_receive() {
	reception_json "$W/f/in.json" "${F_DAY}T09:30" "Phạm Thị Hoa" 001185004321 1985-03-02 F
	MOTCUA_NOW=$F_NOW "$MOTCUA" receive --json "$W/f/in.json" --db "$1" --user "$2" \
		>"$W/f/rcv" 2>"$W/f/rcv.err" || fail "receive: $(cat "$W/f/rcv.err")"
	FCODE=$(sed -n 's/^{"code":"\([^"]*\)".*/\1/p' "$W/f/rcv")
	[ -n "$FCODE" ] || fail "no code received: $(cat "$W/f/rcv")"
}

# f_attach DB USER CODE COMPONENT FILE...: motcua attach (no OCR); the JSON
# answer in $W/f/att, the sha256 in FSHA.
f_attach() {
	db=$1 user=$2 code=$3 comp=$4
	shift 4
	MOTCUA_NOW=$F_NOW "$MOTCUA" attach "$code" --component "$comp" "$@" --kind cccd --no-ocr \
		--db "$db" --user "$user" >"$W/f/att" 2>"$W/f/att.err" || fail "attach: $(cat "$W/f/att.err")"
	FSHA=$(jget sha256 "$W/f/att")
}

# f_proxy [ARGS...]: a slowproxy to the server (F_PROXY_PORT kept across
# restarts, so that a store logged in through it keeps its URL).
f_proxy() {
	: >"$W/f/proxy.log"
	"$SLOWPROXY" --target "127.0.0.1:$F_PORT" --listen "${F_PROXY_PORT:-0}" "$@" 2>>"$W/f/proxy.log" &
	F_PROXY_PID=$!
	SERVER_PIDS="$SERVER_PIDS $F_PROXY_PID"
	i=0
	while ! grep -q "listening on 127\.0\.0\.1:[0-9][0-9]*$" "$W/f/proxy.log"; do
		i=$((i+1)); [ $i -lt 200 ] || { fail "proxy did not start: $(cat "$W/f/proxy.log")"; return 1; }
		sleep 0.05
	done
	F_PROXY_PORT=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$W/f/proxy.log")
	F_PROXY_URL=http://127.0.0.1:$F_PROXY_PORT
}

# f_proxy_stop: stops it; the bytes it carried up (client to server) in F_UP.
f_proxy_stop() {
	kill -TERM "$F_PROXY_PID" 2>/dev/null
	wait "$F_PROXY_PID" 2>/dev/null
	SERVER_PIDS=$(echo "$SERVER_PIDS" | sed "s/ $F_PROXY_PID\b//")
	F_UP=$(sed -n 's/^slowproxy: [0-9]* cuts, \([0-9]*\) bytes up$/\1/p' "$W/f/proxy.log")
}

# f_tui NAME DB USER: the TUI, headless, on a key script read from stdin; the
# dumps (:save-display FILE) land in $W/f/tui-NAME/.
f_tui() {
	rm -rf "$W/f/tui-$1"; mkdir -p "$W/f/tui-$1/home"
	cat >"$W/f/tui-$1.keys"
	(cd "$W/f/tui-$1" && HOME="$W/f/tui-$1/home" XDG_CONFIG_HOME="$W/f/tui-$1/home" \
		MOTCUA_NOW=$F_NOW MOTCUA_SCRIPT="$W/f/tui-$1.keys" "$MOTCUA" --db "$2" --user "$3") \
		>"$W/f/tui-$1.out" 2>"$W/f/tui-$1.err" || fail "tui $1: $(cat "$W/f/tui-$1.err")"
}

fsql() { "$PGBIN/psql" -X -q -A -t -h "$W/sock" -U postgres -d motcua_f -c "$1"; }

# Once: a database of these tests' own (motcua_f: the client tests count the
# dossiers of theirs), its reference data and clerks, a server, the scans.
f_setup() {
	[ -n "${F_READY:-}" ] && return 0
	MOTCUA=${MOTCUA:-$(dirname "$SERVER")/motcua}
	SLOWPROXY=${SLOWPROXY:-$(dirname "$SERVER")/tests/slowproxy}
	[ -x "$MOTCUA" ] || { fail "no motcua next to $SERVER (make test-sync builds it)"; return 1; }
	[ -x "$SLOWPROXY" ] || { fail "no slowproxy at $SLOWPROXY"; return 1; }
	mkdir -p "$W/f"
	fresh_db PGF motcua_f "cl_a:00004:Cán bộ cl_a" "cl_a2:00004:Cán bộ cl_a2" \
		"cl_a3:00004:Cán bộ cl_a3" || return 1
	: >"$W/sf.log"
	"$SERVER" serve --pg "$PGF" --listen 127.0.0.1:0 --threads 4 2>>"$W/sf.log" &
	F_PID=$!
	SERVER_PIDS="$SERVER_PIDS $F_PID"
	i=0
	while ! grep -q "listening on" "$W/sf.log"; do
		i=$((i+1))
		if [ $i -gt 1200 ] || ! kill -0 "$F_PID" 2>/dev/null; then
			fail "server: $(cat "$W/sf.log")"; return 1
		fi
		sleep 0.05
	done
	F_PORT=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$W/sf.log" | tail -n 1)
	F_URL=http://127.0.0.1:$F_PORT
	# four A4 pages at 300 dpi of grey noise: a PDF of about 20 MB
	for p in 1 2 3 4; do f_noise_tiff 2480 3800 "$W/f/p$p.tif"; done
	F_READY=1
}

# ---- tests -------------------------------------------------------------------

# A 20 MB scan, the link cut half-way: resumed, not restarted.
t_client_files_resume() {
	f_setup || return
	f_proxy || return
	f_store fa1 cl_a "$F_PROXY_URL"; db=$FDB
	f_receive "$db" cl_a; code=$FCODE
	f_attach "$db" cl_a "$code" 5 "$W/f/p1.tif" "$W/f/p2.tif" "$W/f/p3.tif" "$W/f/p4.tif"; sha=$FSHA
	size=$(jget bytes "$W/f/att")
	[ "$size" -gt 19000000 ] && [ "$size" -lt 23000000 ] || fail "a PDF of $size bytes, not ~20 MB"
	expect_eq "file on disk" "$(wc -c <"$W/f/fa1/documents/$sha.pdf")" "$size"
	expect_eq "queued" "$(lq "$db" "SELECT state, bytes, upload_url IS NULL FROM file_uploads WHERE sha256 = '$sha'")" "pending|$size|1"
	f_proxy_stop

	# the link dies once 10 MB went up (the operations, then the file): half a
	# second with nothing through, then reset both ways
	f_proxy --first-cut-after 10000000 --max-cuts 1 --stall-ms 500 || return
	f_sync "$db"
	expect_eq "cut pass fails" $? 1
	expect_grep "$W/f/proxy.log" "slowproxy: cut connection"
	expect_eq "the operations went first" "$(fsum pushed)" 2
	expect_eq "nothing complete" "$(fsum files_sent)" 0
	expect_eq "still pending" "$(fsum files_pending)" 1
	[ "$(fsum errors.#)" -ge 1 ] || fail "no error said: $(cat "$W/f/sum")"
	expect_grep "$W/f/sum" "Gửi tệp giấy tờ"
	# the upload's URL and offset are kept; the pending bytes are what the server lacks
	url=$(lq "$db" "SELECT upload_url FROM file_uploads WHERE sha256 = '$sha'")
	case $url in /api/v1/uploads/*) ;; *) fail "upload url kept: [$url]" ;; esac
	off=$(lq "$db" "SELECT server_offset FROM file_uploads WHERE sha256 = '$sha'")
	[ "$off" -gt 0 ] && [ "$off" -lt "$size" ] || fail "offset kept: $off"
	expect_eq "pending bytes" "$(fsum bytes_pending)" $((size - off))
	f_proxy_stop; up1=$F_UP
	# the TUI, its link down: the status bar and the sync screen tell the
	# megabytes the server still lacks
	tenths=$(( (size - off + 50000) / 100000 ))
	mb="$((tenths / 10)),$((tenths % 10))"
	f_tui cut "$db" cl_a <<'KEYS'
:type matkhau123
<Enter>
:save-display home.screen
5
:save-display sync.screen
KEYS
	expect_grep "$W/f/tui-cut/home.screen" "│ Ngoại tuyến · chờ $mb MB · 10:00 · lỗi\$"
	expect_grep "$W/f/tui-cut/sync.screen" "Chờ gửi: 0 thao tác, $mb MB tệp\$"
	held=$(fsql "SELECT received FROM uploads WHERE '$url' LIKE '%' || id")
	[ "$held" -ge "$off" ] && [ "$held" -lt "$size" ] || fail "server holds $held of $size"
	# the server took the document before its file
	expect_eq "document on the server" \
		"$(fsql "SELECT d.kind || ' ' || d.pages || ' ' || d.bytes || ' ' || (b.sha256 IS NULL) FROM documents d LEFT JOIN blobs b ON b.sha256 = d.sha256 WHERE d.sha256 = '$sha'")" \
		"cccd 4 $size true"

	# resumed: only the rest is sent
	f_proxy || return
	f_sync "$db" || fail "resumed pass: $(cat "$W/f/err") $(cat "$W/f/sum")"
	expect_eq "sent" "$(fsum files_sent)" 1
	expect_eq "errors" "$(fsum errors.#)" 0
	[ "$(fsum bytes_sent)" -le $((size - off)) ] || fail "resumed pass sent $(fsum bytes_sent) bytes, the server lacked at most $((size - off))"
	expect_eq "nothing pending" "$(fsum files_pending) $(fsum pending_mb)" "0 0.0"
	f_proxy_stop
	[ -n "$up1" ] && [ -n "$F_UP" ] || { fail "no count from the proxy: $(cat "$W/f/proxy.log")"; return; }
	up=$((up1 + F_UP))
	echo "proxy: $up bytes up for a file of $size bytes"
	[ "$up" -gt "$size" ] || fail "the proxy carried $up bytes, less than the file ($size)"
	[ $((up * 10)) -lt $((size * 11)) ] || fail "the proxy carried $up bytes up: not less than 1.1 x $size"
	expect_eq "local state" "$(lq "$db" "SELECT state, upload_url IS NULL, server_offset FROM file_uploads WHERE sha256 = '$sha'")" "sent|1|$size"
	expect_eq "blob on the server" "$(fsql "SELECT size FROM blobs WHERE sha256 = '$sha'")" "$size"
	expect_eq "stored bytes" "$(fsql "SELECT encode(sha256(string_agg(data, ''::bytea ORDER BY pos)), 'hex') FROM blob_chunks WHERE sha256 = '$sha'")" "$sha"
	did=$(lq "$db" "SELECT id FROM documents WHERE sha256 = '$sha'")
	expect_eq "the component's paper on the server" \
		"$(fsql "SELECT dd.document_id || ' ' || dd.reused || ' ' || (x.data->'components' @> '[{\"seq\": 5, \"reused\": false}]') FROM dossier_documents dd JOIN dossiers x ON x.id = dd.dossier_id WHERE x.code = '$code' AND dd.component = 5")" \
		"$did false true"
	expect_eq "attach event" "$(fsql "SELECT count(*) FROM events e JOIN dossiers x ON x.id = e.dossier_id WHERE x.code = '$code' AND e.kind = 'attach'")" 1
	R_SHA=$sha R_SIZE=$size R_CODE=$code R_DOC=$did
}

# The same paper on a second workstation: nothing sent (HEAD on the blob);
# a third workstation gets both documents through the feed, with no file of
# its own to send.
t_client_files_known() {
	f_setup || return
	[ -n "${R_SHA:-}" ] || { fail "needs t_client_files_resume"; return; }
	F_PROXY_PORT=
	f_proxy || return
	f_store fa2 cl_a2 "$F_PROXY_URL"; db=$FDB
	f_receive "$db" cl_a2; code=$FCODE
	f_attach "$db" cl_a2 "$code" 7 "$W/f/p1.tif" "$W/f/p2.tif" "$W/f/p3.tif" "$W/f/p4.tif"; sha=$FSHA
	expect_eq "the same paper, the same file" "$sha" "$R_SHA"
	f_proxy_stop
	f_proxy || return
	f_sync "$db" || fail "sync: $(cat "$W/f/err")"
	f_proxy_stop; up=$F_UP
	expect_eq "files" "$(fsum files_sent) $(fsum files_known) $(fsum bytes_sent)" "0 1 0"
	expect_eq "nothing pending" "$(fsum files_pending)" 0
	[ "$up" -lt 100000 ] || fail "the proxy carried $up bytes up for a paper the server had"
	expect_eq "local state" "$(lq "$db" "SELECT state FROM file_uploads WHERE sha256 = '$sha'")" sent
	expect_eq "one blob" "$(fsql "SELECT count(*) FROM blobs WHERE sha256 = '$sha'")" 1
	expect_eq "two documents, one file" "$(fsql "SELECT count(*) FROM documents WHERE sha256 = '$sha'")" 2
	# this workstation learnt the first one's document from the feed
	expect_eq "the other's document here" \
		"$(lq "$db" "SELECT c.seq FROM dossier_components c JOIN dossiers d ON d.id = c.dossier_id WHERE d.code = '$R_CODE' AND c.document_id = '$R_DOC'")" 5

	# a third workstation: both documents come down, no file to send
	f_store fa3 cl_a3; db3=$FDB
	expect_eq "documents" "$(lq "$db3" "SELECT count(*) FROM documents WHERE sha256 = '$sha'")" 2
	expect_eq "components linked" \
		"$(lq "$db3" "SELECT group_concat(k, ' ') FROM (SELECT d.code || ':' || c.seq || ':' || c.reused AS k FROM dossier_components c JOIN dossiers d ON d.id = c.dossier_id JOIN documents x ON x.id = c.document_id WHERE x.sha256 = '$sha' ORDER BY d.code)")" \
		"$R_CODE:5:0 $code:7:0"
	expect_eq "metadata" "$(lq "$db3" "SELECT kind, pages, bytes FROM documents WHERE id = '$R_DOC'")" "cccd|4|$R_SIZE"
	expect_eq "the file is the server's" "$(lq "$db3" "SELECT state FROM file_uploads WHERE sha256 = '$sha'")" remote
	f_sync "$db3" || fail "sync 3: $(cat "$W/f/err")"
	expect_eq "nothing to send" "$(fsum files_pending) $(fsum files_sent) $(fsum files_known) $(fsum bytes_sent)" "0 0 0 0"
}

# A file damaged on this disk after it was filed: the server's hash check
# refuses it, the error says which paper, the next file still goes; it is not
# sent again.
t_client_files_corrupt() {
	f_setup || return
	f_store fa4 cl_a; db=$FDB
	f_receive "$db" cl_a; code=$FCODE
	f_noise_tiff 600 800 "$W/f/s1.tif"
	f_noise_tiff 640 800 "$W/f/s2.tif"
	f_attach "$db" cl_a "$code" 5 "$W/f/s1.tif"; bad=$FSHA
	f_attach "$db" cl_a "$code" 7 "$W/f/s2.tif"; good=$FSHA
	size=$(wc -c <"$W/f/fa4/documents/$bad.pdf")
	printf 'HONG' | dd of="$W/f/fa4/documents/$bad.pdf" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
	f_sync "$db"
	expect_eq "exit status" $? 1
	expect_eq "files" "$(fsum files_sent) $(fsum files_failed) $(fsum files_pending)" "1 1 0"
	expect_grep "$W/f/sum" "Máy chủ từ chối giấy tờ của hồ sơ $code (thành phần 5"
	expect_grep "$W/f/sum" "mã băm SHA-256 không khớp, tệp trên máy đã bị hỏng"
	expect_grep "$W/f/err" "mã băm SHA-256 không khớp"
	expect_eq "the damaged one" "$(lq "$db" "SELECT state, last_error IS NOT NULL, upload_url IS NULL FROM file_uploads WHERE sha256 = '$bad'")" "failed|1|1"
	expect_eq "the good one" "$(lq "$db" "SELECT state FROM file_uploads WHERE sha256 = '$good'")" sent
	expect_eq "no blob for the damaged file" "$(fsql "SELECT count(*) FROM blobs WHERE sha256 = '$bad'")" 0
	expect_eq "its upload dropped" "$(fsql "SELECT count(*) FROM uploads WHERE sha256 = '$bad'")" 0
	expect_eq "the good one's blob" "$(fsql "SELECT count(*) FROM blobs WHERE sha256 = '$good'")" 1
	expect_eq "the server knows what it lacks" \
		"$(fsql "SELECT count(*) FROM documents d WHERE d.sha256 = '$bad' AND NOT EXISTS (SELECT 1 FROM blobs b WHERE b.sha256 = d.sha256)")" 1
	"$SERVER" stats --pg "$PGF" >"$W/f/stats" || fail "stats"
	[ "$(jget documents_without_file "$W/f/stats")" -ge 1 ] || fail "stats: $(cat "$W/f/stats")"
	# not sent again
	f_sync "$db" || fail "next pass: $(cat "$W/f/err")"
	expect_eq "nothing sent again" "$(fsum files_sent) $(fsum bytes_sent) $(fsum files_pending)" "0 0 0"
}

# ---- the operation at the server, without a workstation ------------------------

# f_attach_op TOKEN DEVICE OPID DOSSIER COMPONENT DOCID SHA EVID: pushes one
# 'attach' operation; the answer in $W/body, its first result's status printed.
f_attach_op() {
	printf '{"id":"%s","component":%s,"reused":false,"document":{"id":"%s","kind":"cccd","sha256":"%s","pages":1,"bytes":10,"issued_on":"2021-04-10"},"event":{"id":"%s","kind":"attach","actor":"clerk_a","device_time":"%sT10:00"}}' \
		"$4" "$5" "$6" "$7" "$8" "$F_DAY" >"$W/f/payload"
	h=$("$SYNCTOOL" hash <"$W/f/payload")
	printf '{"device_id":"%s","ops":[{"op_id":"%s","entity":"dossier","entity_id":"%s","base_rev":1,"op":"attach","payload":%s,"payload_hash":"%s"}]}' \
		"$2" "$3" "$4" "$(cat "$W/f/payload")" "$h" >"$W/f/push"
	st=$(api POST "$URL_s1/api/v1/sync/push" "$W/f/push" "$1")
	[ "$st" = 200 ] || fail "push $3: $st $(cat "$W/body")"
	jget results.0.status
}

# Scope, component, dossier and payload checks; idempotent; a document id
# with another file is a conflict; the feed carries the document to the
# dossier's unit only.
t_attach_refusals() {
	mkdir -p "$W/f"
	"$SYNCTOOL" batch device=dev-a unit=00004 ident=H01.00004 count=1 prefix=fatt day=251121 >"$W/f/batch"
	st=$(api POST "$URL_s1/api/v1/sync/push" "$W/f/batch" "$TOK_A")
	expect_eq "reception" "$st $(jget results.0.status)" "200 applied"
	sha=$(printf 'giấy' | sha256sum | cut -d' ' -f1)
	other=$(printf 'khác' | sha256sum | cut -d' ' -f1)
	expect_eq "another commune's dossier" "$(f_attach_op "$TOK_B" dev-b fatt-a1 fatt-d-000001 1 fatt-doc-1 "$sha" fatt-e1)" rejected
	expect_eq "code" "$(jget results.0.error.code)" out_of_scope
	expect_eq "no component 9" "$(f_attach_op "$TOK_A" dev-a fatt-a2 fatt-d-000001 9 fatt-doc-1 "$sha" fatt-e2)" rejected
	expect_eq "code" "$(jget results.0.error.code)" unknown_component
	expect_eq "no such dossier" "$(f_attach_op "$TOK_A" dev-a fatt-a3 fatt-none 1 fatt-doc-1 "$sha" fatt-e3)" rejected
	expect_eq "code" "$(jget results.0.error.code)" unknown_dossier
	expect_eq "bad hash" "$(f_attach_op "$TOK_A" dev-a fatt-a4 fatt-d-000001 1 fatt-doc-1 XYZ fatt-e4)" rejected
	expect_eq "code" "$(jget results.0.error.code)" bad_payload
	expect_eq "nothing recorded" "$(sql "SELECT count(*) FROM documents WHERE id = 'fatt-doc-1'")" 0

	expect_eq "applied" "$(f_attach_op "$TOK_A" dev-a fatt-a5 fatt-d-000001 1 fatt-doc-1 "$sha" fatt-e5)" applied
	expect_eq "the dossier keeps its revision" "$(jget results.0.rev) $(sql "SELECT rev FROM dossiers WHERE id = 'fatt-d-000001'")" "1 1"
	expect_eq "again: duplicate" "$(f_attach_op "$TOK_A" dev-a fatt-a5 fatt-d-000001 1 fatt-doc-1 "$sha" fatt-e5)" duplicate
	expect_eq "recorded once" "$(sql "SELECT count(*) FROM documents WHERE id = 'fatt-doc-1'") $(sql "SELECT count(*) FROM dossier_documents WHERE dossier_id = 'fatt-d-000001'") $(sql "SELECT count(*) FROM events WHERE dossier_id = 'fatt-d-000001' AND kind = 'attach'")" "1 1 1"
	expect_eq "the stored dossier" "$(sql "SELECT data->'components'->0->>'document_id' FROM dossiers WHERE id = 'fatt-d-000001'")" fatt-doc-1
	expect_eq "the same document, another file" "$(f_attach_op "$TOK_A" dev-a fatt-a6 fatt-d-000001 1 fatt-doc-1 "$other" fatt-e6)" conflict
	expect_eq "code" "$(jget results.0.error.code)" document_mismatch
	# the feed: the commune's clerk gets it, another commune's does not
	expect_eq "in a's feed" "$(f_feed_has "$TOK_A" fatt-doc-1)" 1
	expect_eq "not in b's feed" "$(f_feed_has "$TOK_B" fatt-doc-1)" 0
	expect_eq "the change" "$(sql "SELECT unit_code || ' ' || (data->>'component') || ' ' || (data->>'code') || ' ' || (data->>'issued_on') || ' ' || (data->>'dossier_id') FROM changes WHERE entity = 'document' AND entity_id = 'fatt-doc-1'")" \
		"00004 1 H01.00004-251121-0001 2021-04-10 fatt-d-000001"
}

# f_feed_has TOKEN DOCID: how many 'document' changes of DOCID the feed gives.
f_feed_has() {
	cursor="" n=0
	: >"$W/f/feed"
	while [ $n -lt 100 ]; do
		n=$((n+1))
		st=$(api GET "$URL_s1/api/v1/sync/changes?since=$cursor&limit=1000" "" "$1")
		[ "$st" = 200 ] || { echo "feed $st"; return; }
		tr -d '\n' <"$W/body" | grep -o '"entity": *"document", *"entity_id": *"[^"]*"' >>"$W/f/feed"
		cursor=$(jget next)
		[ "$(jget remaining)" = 0 ] && break
	done
	grep -c "\"$2\"" "$W/f/feed"
}
