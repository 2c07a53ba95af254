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
