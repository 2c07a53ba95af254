# SPDX-License-Identifier: GPL-3.0-or-later
# The server's database restored from an older dump, beyond the
# re-push of t_client_restore_from_dump: the dossier-number counters and the
# change-feed cursors. Real workstations on the client tests' database
# (motcua_c, helpers c_* of t_client_sync.sh).

# r_dump: a dump of motcua_c now.
r_dump() {
	"$PGBIN/pg_dump" -h "$W/sock" -U postgres -Fc -f "$W/c/r.dump" motcua_c || fail pg_dump
}

# r_restore: motcua_c as it was at r_dump, its server restarted.
r_restore() {
	c_halt TERM
	as_pg "$PGBIN/dropdb" -h "$W/sock" -U postgres motcua_c || fail dropdb
	as_pg "$PGBIN/createdb" -h "$W/sock" -U postgres motcua_c || fail createdb
	"$PGBIN/pg_restore" -h "$W/sock" -U postgres -d motcua_c "$W/c/r.dump" || fail pg_restore
	c_serve || { fail "restart"; return 1; }
}

# r_numbers DB: every number the workstation holds a lease for, one a line.
r_numbers() {
	lq "$1" "SELECT first || ' ' || last FROM sync_leases WHERE unit_ident = 'H01.00004'" |
		while read -r f l; do seq "$f" "$l"; done
}

# A workstation leases blocks after the dump; the restored server's counter
# is the dump's. Its next lease request says the highest number it holds
# (floor), so neither it nor another workstation is given those numbers
# again. Without the floor the server hands out the same numbers again (the
# restored counter is lower), and the second workstation's block is one the
# first already holds.
t_restore_leases() {
	c_setup || return
	l1=$(c_store rl1)
	l2=$(c_store rl2)
	c_login "$l1" cl_a || fail "login 1: $(cat "$W/c/err")"
	c_login "$l2" cl_a2 || fail "login 2: $(cat "$W/c/err")"
	c_sync "$l1" --lease-low 10 --lease-block 10 || fail "sync 1: $(cat "$W/c/err")"
	r_dump
	# six blocks after the dump (five requests a pass at most)
	c_sync "$l1" --lease-low 70 --lease-block 10 || fail "sync 1 after the dump"
	c_sync "$l1" --lease-low 70 --lease-block 10 || fail "sync 1 after the dump (2)"
	expect_eq "blocks of 1" "$(lq "$l1" "SELECT count(*) FROM sync_leases")" 7
	high=$(lq "$l1" "SELECT max(last) FROM sync_leases")
	r_restore || return
	expect_eq "restored counter below" \
		"$(csql "SELECT last < $high FROM lease_counters WHERE unit_ident = 'H01.00004'")" t
	c_sync "$l1" --lease-low 80 --lease-block 10 || fail "sync 1 after the restore: $(cat "$W/c/err")"
	expect_eq "1: one new block" "$(sum leased)" 10
	expect_eq "1: above what it held" "$(lq "$l1" "SELECT count(*) || ' ' || (max(first) > $high)
		FROM sync_leases")" "8 1"
	c_sync "$l2" --lease-low 10 --lease-block 10 || fail "sync 2: $(cat "$W/c/err")"
	expect_eq "2: leased" "$(sum leased)" 10
	r_numbers "$l1" >"$W/c/n1"
	r_numbers "$l2" >"$W/c/n2"
	sort -n "$W/c/n1" "$W/c/n2" | uniq -d >"$W/c/dups"
	[ -s "$W/c/dups" ] && fail "numbers held by both: $(head -3 "$W/c/dups" | tr '\n' ' ')"
	# a lease request's floor is checked
	tok=$(lq "$l2" "SELECT token FROM sync_state")
	for f in -1 1000000000 '"12"' 1.5; do
		printf '{"unit_ident":"H01.00004","count":5,"floor":%s}' "$f" >"$W/c/in"
		st=$(api POST "$C_URL/api/v1/leases" "$W/c/in" "$tok")
		expect_error "floor $f" "$st" 400 bad_request
	done
	# the codes the server holds count too: a floor of 0 does not go below them
	top=$(csql "SELECT max(substring(code FROM '-([0-9]+)\$')::bigint) FROM dossiers
		WHERE code LIKE 'H01.00004-%' AND substring(code FROM '-([0-9]+)\$')::bigint < 900000000")
	csql "UPDATE lease_counters SET last = 0 WHERE unit_ident = 'H01.00004'" >/dev/null
	printf '{"unit_ident":"H01.00004","count":5,"floor":0}' >"$W/c/in"
	st=$(api POST "$C_URL/api/v1/leases" "$W/c/in" "$tok")
	expect_eq "lease above the codes held" "$st $(jget first)" "200 $((top + 1))"
	csql "UPDATE lease_counters SET last = (SELECT max(last) FROM leases
		WHERE unit_ident = 'H01.00004') WHERE unit_ident = 'H01.00004'" >/dev/null
}

# A workstation's cursor was given out after the dump. Right after the
# restore it points beyond the log: 410. Once another workstation has
# written as many changes again, the same seq is another change: still 410
# (the cursor's mark), where a bare seq would have skipped that
# workstation's first dossiers. The client pulls again from the beginning
# and keeps its change the server has not taken.
t_restore_cursor() {
	c_setup || return
	c_input
	w1=$(c_store rc1)
	w3=$(c_store rc3)
	c_login "$w1" cl_a || fail "login 1: $(cat "$W/c/err")"
	c_login "$w3" cl_a2 || fail "login 3: $(cat "$W/c/err")"
	: >"$W/c/codes"
	c_receive "$w1" cl_a 1 || return
	d1=$(cat "$W/c/codes")
	c_sync "$w1" || fail "sync 1"
	c_sync "$w3" || fail "sync 3"
	expect_eq "3 has d1" "$(lq "$w3" "SELECT count(*) FROM dossiers WHERE code = '$d1'")" 1
	r_dump
	c_receive "$w1" cl_a 2 || return
	c_sync "$w1" || fail "sync 1 after the dump"
	cursor=$(lq "$w1" "SELECT cursor FROM sync_state")
	r_restore || return
	tok=$(lq "$w1" "SELECT token FROM sync_state")
	st=$(api GET "$C_URL/api/v1/sync/changes?since=$cursor" "" "$tok")
	expect_error "cursor beyond the log" "$st" 410 cursor_expired
	# 3 changes d1 and receives three dossiers: the seqs after the dump again
	c_act "$w3" cl_a2 "$d1" transfer --to 00008
	: >"$W/c/codes3"
	c_receive "$w3" cl_a2 3 "$W/c/codes3" || return
	c_sync "$w3" || fail "sync 3 after the restore"
	expect_eq "3 pushed" "$(sum pushed)" 4
	seq=$(echo "$cursor" | cut -d. -f2)
	expect_eq "the cursor's seq is in the log again" \
		"$(csql "SELECT count(*) FROM changes WHERE seq = $seq")" 1
	st=$(api GET "$C_URL/api/v1/sync/changes?since=$cursor" "" "$tok")
	expect_error "cursor of another change" "$st" 410 cursor_expired
	# 1 changes d1 too (not taken: 3 changed it first) and syncs
	c_act "$w1" cl_a "$d1" result-ready --result-code "7/GKS"
	c_sync "$w1" || fail "sync 1 after the restore: $(cat "$W/c/err")"
	expect_eq "requeued, pushed, conflicts" "$(sum requeued) $(sum pushed) $(sum conflicts)" "2 2 1"
	grep -q "con trỏ đồng bộ cũ" "$W/c/sum" || fail "no warning about the cursor: $(cat "$W/c/sum")"
	while read -r code; do
		expect_eq "1 has $code" "$(lq "$w1" "SELECT count(*) FROM dossiers WHERE code = '$code'")" 1
	done <"$W/c/codes3"
	expect_eq "1 keeps its change" "$(lq "$w1" "SELECT status || ' ' || rev FROM dossiers WHERE code = '$d1'")" \
		"9 2"
	[ "$(sum kept_local)" -ge 1 ] || fail "kept_local: $(cat "$W/c/sum")"
	c_sync "$w1" || fail "sync 1 again"
	expect_eq "then nothing" "$(sum requeued) $(sum pushed)" "0 0"
}

# c_act DB USER CODE ACTION [OPTIONS...]: motcua act at C_NOW.
c_act() {
	db=$1 user=$2
	shift 2
	MOTCUA_NOW=$C_NOW "$MOTCUA" act "$@" --db "$db" --user "$user" >"$W/c/act" 2>"$W/c/err" ||
		fail "act $*: $(cat "$W/c/err")"
}

# r_store NAME: a workstation of commune 00004 in a folder of its own (its
# documents/ beside it); prints the store's path.
r_store() {
	mkdir -p "$W/c/$1"
	db=$W/c/$1/motcua.db
	rm -f "$db"*
	"$MOTCUA" init --db "$db" --unit 00004 >/dev/null 2>"$W/c/$1.init.err" ||
		fail "init $1: $(cat "$W/c/$1.init.err")"
	echo "$db"
}

# r_attach DB USER CODE COMPONENT FILE: motcua attach (no OCR) at C_NOW.
r_attach() {
	MOTCUA_NOW=$C_NOW "$MOTCUA" attach "$3" --component "$4" "$5" --kind cccd --no-ocr \
		--db "$1" --user "$2" >"$W/c/att" 2>"$W/c/att.err" || fail "attach $3 $4: $(cat "$W/c/att.err")"
}

# r_head SHA TOKEN: the status of HEAD /api/v1/blobs/SHA.
r_head() {
	curl -sS -o /dev/null -I -w '%{http_code}' --max-time 60 -H "Authorization: Bearer $2" \
		"$C_URL/api/v1/blobs/$1"
}

# r_in CODES_FILE: the codes as an SQL list.
r_in() { sed "s/.*/'&'/" "$1" | paste -sd,; }

# r_equal WHAT DB CODES_FILE: the workstation holds what the server holds
# for those dossiers: each dossier and its status, each component's file
# (code, component, sha256); every file of them is on the server (HEAD with
# the workstation's token: 200).
r_equal() {
	in=$(r_in "$3")
	csql "SELECT code || ' ' || status FROM dossiers WHERE code IN ($in)" | sort >"$W/c/eq.srv"
	lq "$2" "SELECT code || ' ' || status FROM dossiers WHERE code IN ($in)" | sort >"$W/c/eq.ws"
	expect_eq "$1: dossiers, statuses" "$(cat "$W/c/eq.ws")" "$(cat "$W/c/eq.srv")"
	expect_eq "$1: every dossier" "$(wc -l <"$W/c/eq.ws")" "$(wc -l <"$3")"
	csql "SELECT x.code || ' ' || dd.component || ' ' || d.sha256 FROM dossier_documents dd
		JOIN documents d ON d.id = dd.document_id JOIN dossiers x ON x.id = dd.dossier_id
		WHERE x.code IN ($in)" | sort >"$W/c/eq.fsrv"
	lq "$2" "SELECT d.code || ' ' || c.seq || ' ' || doc.sha256 FROM dossier_components c
		JOIN documents doc ON doc.id = c.document_id JOIN dossiers d ON d.id = c.dossier_id
		WHERE d.code IN ($in)" | sort >"$W/c/eq.fws"
	expect_eq "$1: papers" "$(cat "$W/c/eq.fws")" "$(cat "$W/c/eq.fsrv")"
	tok=$(lq "$2" "SELECT token FROM sync_state")
	while read -r code comp sha; do
		st=$(r_head "$sha" "$tok")
		[ "$st" = 200 ] || fail "$1: the file of $code component $comp ($sha) on the server: $st"
	done <"$W/c/eq.fws"
}

# The server restored from a dump older than some scans: the workstations
# sent those files (their rows 'sent') and the restored server lacks them.
# Its push answer names the files of the documents it holds without their
# file (missing_files); each workstation sends its own again. Afterwards the
# server equals both workstations: dossiers, statuses, papers, every file
# there (HEAD 200). Before, the attach went again but the file stayed
# "sent": HEAD 404 for good.
t_restore_files() {
	c_setup || return
	c_input
	for i in 1 2 3 4; do f_noise_tiff 320 240 "$W/c/s$i.tif"; done
	w1=$(r_store rf1)
	w2=$(r_store rf2)
	c_login "$w1" cl_a || fail "login 1: $(cat "$W/c/err")"
	c_login "$w2" cl_a2 || fail "login 2: $(cat "$W/c/err")"
	c_sync "$w1" || fail "sync 1"
	c_sync "$w2" || fail "sync 2"
	: >"$W/c/rf.codes"
	c_receive "$w1" cl_a 1 "$W/c/rf.codes" || return
	d1=$(sed -n 1p "$W/c/rf.codes")
	r_attach "$w1" cl_a "$d1" 5 "$W/c/s1.tif"
	c_sync "$w1" || fail "sync 1 before the dump: $(cat "$W/c/err")"
	expect_eq "1: a file sent" "$(sum files_sent)" 1
	c_receive "$w2" cl_a2 1 "$W/c/rf.codes" || return
	d2=$(sed -n 2p "$W/c/rf.codes")
	c_sync "$w2" || fail "sync 2 before the dump"
	r_dump
	# after the dump: 1 scans for d1 and for a new d3; 2 scans for d2 and
	# moves it on
	r_attach "$w1" cl_a "$d1" 7 "$W/c/s2.tif"
	c_receive "$w1" cl_a 1 "$W/c/rf.codes" || return
	d3=$(sed -n 3p "$W/c/rf.codes")
	r_attach "$w1" cl_a "$d3" 5 "$W/c/s3.tif"
	c_sync "$w1" || fail "sync 1 after the dump: $(cat "$W/c/err")"
	expect_eq "1: files sent after the dump" "$(sum files_sent)" 2
	r_attach "$w2" cl_a2 "$d2" 5 "$W/c/s4.tif"
	c_act "$w2" cl_a2 "$d2" result-ready --result-code "7/GKS"
	c_sync "$w2" || fail "sync 2 after the dump: $(cat "$W/c/err")"
	expect_eq "2: a file sent after the dump" "$(sum files_sent)" 1
	c_sync "$w1" || fail "sync 1 (2's changes)"
	r_equal "before the restore, 1" "$w1" "$W/c/rf.codes"
	r_restore || return
	tok=$(lq "$w1" "SELECT token FROM sync_state")
	lost=$(lq "$w1" "SELECT sha256 FROM file_uploads WHERE state = 'sent'" | while read -r sha; do
		r_head "$sha" "$tok"; echo; done | grep -c 404)
	expect_eq "files the restore lost (of 1)" "$lost" 2
	c_sync "$w1" || fail "sync 1 after the restore: $(cat "$W/c/err")"
	expect_eq "1: files named missing, sent again" "$(sum files_requeued) $(sum files_sent)" "2 2"
	grep -q "tệp giấy tờ đã gửi trước đây" "$W/c/sum" || fail "no warning about the files: $(cat "$W/c/sum")"
	c_sync "$w2" || fail "sync 2 after the restore: $(cat "$W/c/err")"
	expect_eq "2: files named missing, sent again" "$(sum files_requeued) $(sum files_sent)" "1 1"
	c_sync "$w1" || fail "sync 1 again"
	c_sync "$w2" || fail "sync 2 again"
	expect_eq "then nothing to send" "$(sum files_requeued) $(sum files_sent) $(sum pushed)" "0 0 0"
	r_equal "after the restore, 1" "$w1" "$W/c/rf.codes"
	r_equal "after the restore, 2" "$w2" "$W/c/rf.codes"
	expect_eq "d2 moved on" "$(csql "SELECT status FROM dossiers WHERE code = '$d2'")" 9
	expect_eq "nothing flagged missing" "$(csql "SELECT count(*) FROM documents d JOIN dossier_documents dd
		ON dd.document_id = d.id JOIN dossiers x ON x.id = dd.dossier_id WHERE x.code IN ($(r_in "$W/c/rf.codes"))
		AND (d.file_missing OR NOT EXISTS (SELECT 1 FROM blobs b WHERE b.sha256 = d.sha256))")" 0
}

# After the restore the server lacks a dossier that a second workstation
# received after the dump; the first one, which had pulled it and set its
# result ready, syncs first: unknown_dossier. The operation waits for its
# dossier (pending, a next try, visible in sync --once's JSON and on the
# sync screen as "Chờ hồ sơ"), never rejected while the dossier may come;
# after OUTBOX_WAIT_MAX answers it is rejected, and the dossier arriving
# through the change feed still sends it again. Server and workstations end
# equal. Before, the first answer made it rejected for good: the server said
# status 2, the workstation 9.
t_restore_waiting() {
	c_setup || return
	c_input
	w1=$(r_store rw1)
	w2=$(r_store rw2)
	c_login "$w1" cl_a || fail "login 1: $(cat "$W/c/err")"
	c_login "$w2" cl_a2 || fail "login 2: $(cat "$W/c/err")"
	c_sync "$w1" || fail "sync 1"
	c_sync "$w2" || fail "sync 2"
	r_dump
	: >"$W/c/rw.codes"
	c_receive "$w2" cl_a2 2 "$W/c/rw.codes" || return
	d=$(sed -n 1p "$W/c/rw.codes")
	e=$(sed -n 2p "$W/c/rw.codes")
	c_sync "$w2" || fail "sync 2 after the dump"
	c_sync "$w1" || fail "sync 1 (pulls d)"
	c_act "$w1" cl_a "$d" result-ready --result-code "7/GKS"
	c_act "$w1" cl_a "$e" result-ready --result-code "8/GKS"
	c_sync "$w1" || fail "sync 1 (result ready)"
	expect_eq "applied" "$(sum pushed)" 2
	r_restore || return
	expect_eq "d lost" "$(csql "SELECT count(*) FROM dossiers WHERE code IN ('$d', '$e')")" 0
	c_sync "$w1" || fail "sync 1 after the restore: $(cat "$W/c/err")"
	expect_eq "1: requeued, none rejected, waiting" \
		"$(sum requeued) $(sum rejected) $(sum waiting)" "2 0 2"
	grep -q "đang chờ máy chủ có hồ sơ" "$W/c/sum" || fail "no warning: $(cat "$W/c/sum")"
	expect_eq "1: the operations wait" "$(lq "$w1" "SELECT group_concat(state || ':' || error_code || ':'
		|| (next_attempt_at > '$C_NOW'), ' ') FROM outbox WHERE state <> 'done'")" \
		"pending:unknown_dossier:1 pending:unknown_dossier:1"
	# not due yet: nothing sent again
	c_sync "$w1" || fail "sync 1 again"
	expect_eq "1: held" "$(sum pushed) $(sum rejected) $(sum waiting)" "0 0 2"
	# the sync screen shows them
	c_tui rwait "$w1" cl_a <<'KEYS'
:type matkhau123
<Enter>
5
:save-display sync.screen
KEYS
	expect_grep "$W/c/rwait/sync.screen" "2 chờ hồ sơ"
	[ "$(grep -c "Chờ hồ sơ" "$W/c/rwait/sync.screen")" -ge 2 ] ||
		fail "two rows waiting: $(cat "$W/c/rwait/sync.screen")"
	# e's operation reaches the limit: rejected, still visible
	lq "$w1" "UPDATE outbox SET attempts = 19, next_attempt_at = '2000-01-01T00:00' WHERE state = 'pending'
		AND entity_id = (SELECT id FROM dossiers WHERE code = '$e')"
	c_sync "$w1" || fail "sync 1 at the limit"
	expect_eq "1: rejected at the limit" "$(sum rejected) $(sum waiting)" "1 1"
	# 2 sends its receptions again; 1's pull brings the dossiers and its
	# operations go in the same pass, the rejected one too
	c_sync "$w2" || fail "sync 2 after the restore: $(cat "$W/c/err")"
	expect_eq "2: requeued, pushed" "$(sum requeued) $(sum pushed)" "2 2"
	c_sync "$w1" || fail "sync 1 after 2: $(cat "$W/c/err")"
	expect_eq "1: pushed, waiting" "$(sum pushed) $(sum waiting)" "2 0"
	expect_eq "1: all done" "$(lq "$w1" "SELECT count(*) FROM outbox WHERE state <> 'done'")" 0
	c_sync "$w2" || fail "sync 2 last"
	c_sync "$w1" || fail "sync 1 last"
	r_equal "1" "$w1" "$W/c/rw.codes"
	r_equal "2" "$w2" "$W/c/rw.codes"
	expect_eq "server: result ready" "$(csql "SELECT string_agg(status::text, ' ') FROM dossiers
		WHERE code IN ('$d', '$e')")" "9 9"
}
