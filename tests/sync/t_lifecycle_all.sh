# SPDX-License-Identifier: GPL-3.0-or-later
# Every (status, action) pair at the server: the same lifecycle table as the
# client (core/lifecycle.c) must decide, and this test holds it to the matrix
# written out by hand in tests/unit/test_lifecycle.c (the client side). One
# dossier is put in each status in turn (by SQL, revision 1), then the action
# is pushed as a workstation sends it; allowed pairs are applied with the
# expected status, forbidden ones rejected as invalid_transition, unchanged.
t_lifecycle_all_pairs() {
	"$SYNCTOOL" batch device=dev-a unit=00004 ident=H01.00004 count=1 prefix=lp day=251215 >"$W/batch"
	api POST "$URL_s1/api/v1/sync/push" "$W/batch" "$TOK_A" >/dev/null
	expect_eq "created" "$(sql "SELECT count(*) FROM dossiers WHERE id = 'lp-d-000001'")" 1
	# columns: transfer request-supplement supplement-received refuse apologize
	# request-payment paid result-ready return withdraw stop rate (receive is the
	# creation op, tested elsewhere)
	actions="transfer request-supplement supplement-received refuse apologize request-payment paid result-ready return withdraw stop rate"
	n=0
	for row in \
		"1: 0 0 0 3 0 0 0 0 0 7 0 0" \
		"2: 4 5 0 0 2 0 0 9 0 7 8 0" \
		"3: 0 0 0 0 0 0 0 0 0 0 0 0" \
		"4: 4 5 0 0 4 6 0 9 0 7 8 0" \
		"5: 0 0 4 0 0 0 0 0 0 7 8 0" \
		"6: 0 0 0 0 6 0 4 0 0 7 8 0" \
		"7: 0 0 0 0 0 0 0 0 0 0 0 0" \
		"8: 0 0 0 0 0 0 0 0 0 0 0 0" \
		"9: 0 0 0 0 0 0 0 0 10 0 0 0" \
		"10: 0 0 0 0 0 0 0 0 0 0 0 10"; do
		s=${row%%:*}
		set -- ${row#*:}
		for a in $actions; do
			want=$1; shift
			n=$((n+1))
			sql "UPDATE dossiers SET status = $s, rev = 1 WHERE id = 'lp-d-000001'" >/dev/null
			"$SYNCTOOL" action device=dev-a dossier=lp-d-000001 op=lp-op-$n event=lp-ev-$n \
				action=$a base_rev=1 >"$W/act"
			api POST "$URL_s1/api/v1/sync/push" "$W/act" "$TOK_A" >/dev/null
			got=$(jget results.0.status)
			after=$(sql "SELECT status FROM dossiers WHERE id = 'lp-d-000001'")
			if [ "$want" = 0 ]; then
				expect_eq "$s $a" "$got/$(jget results.0.error.code)/$after" "rejected/invalid_transition/$s"
			else
				expect_eq "$s $a" "$got/$after" "applied/$want"
			fi
		done
	done
	expect_eq "pairs" "$n" 120
}
