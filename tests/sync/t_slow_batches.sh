# SPDX-License-Identifier: GPL-3.0-or-later
# Push batches sized by bytes on the wire over a poor link
# (tests/sync/slowproxy): a batch that stalls past the timeout is sent again
# smaller within the same pass, and the pass finishes; a batch that is cut
# ends the pass and the next one starts from the smaller budget; what the
# server answered is never sent again, and the server holds every dossier
# once.

# bb_check CODES N [MAXDUP]: the server holds each of the N dossiers of
# CODES once, with one operation and one event each; the workstation has
# them all done; at most MAXDUP duplicates (by default the operations of
# the batches the last pass sent again).
bb_check() {
	list=$(sed "s/.*/'&'/" "$1" | paste -sd,)
	expect_eq "dossiers on the server" "$(csql "SELECT count(*) FROM dossiers WHERE code IN ($list)")" "$2"
	expect_eq "operations on the server" "$(csql "SELECT count(*) FROM ops o JOIN dossiers d ON d.id = o.entity_id WHERE d.code IN ($list)")" "$2"
	expect_eq "receive events on the server" "$(csql "SELECT count(*) FROM events e JOIN dossiers d ON d.id = e.dossier_id WHERE d.code IN ($list) AND e.kind = 'receive'")" "$2"
	expect_eq "done here" "$(lq "$db" "SELECT count(*) FROM outbox o JOIN dossiers d ON d.id = o.entity_id WHERE d.code IN ($list) AND o.state = 'done'")" "$2"
	expect_eq "pending" "$(sum pending)" 0
	expect_eq "answered once each" "$(($(sum pushed) + $(sum duplicates)))" "$2"
	# duplicates only from batches whose answer was lost
	lost=${3:-$(jget warnings "$W/c/sum" | grep -o '([0-9]* thao tác vừa gửi)' | grep -o '[0-9]*' | paste -sd+ | bc)}
	[ "$(sum duplicates)" -le "${lost:-0}" ] || fail "$(sum duplicates) duplicates, $lost sent in lost batches"
}

t_client_batches_slow_link() {
	c_setup || return
	c_input
	db=$(c_store bb)
	c_login "$db" cl_a3 || { fail "login"; return; }
	c_sync "$db" || fail "sync: $(cat "$W/c/err")"
	: >"$W/c/bb1.codes"
	c_receive "$db" cl_a3 20 "$W/c/bb1.codes" || return
	# 64 kbit/s each way, 600 ms round trip; once 1,500 bytes went up (the
	# login, then into the first batch) the link goes dead for 8 s (longer
	# than the client's 3 s stall timeout)
	c_proxy --rate-up 8000 --rate-down 8000 --latency-ms 300 --first-cut-after 1500 \
		--max-cuts 1 --stall-ms 8000
	lq "$db" "INSERT OR REPLACE INTO settings(key, value) VALUES ('sync_push_bytes', '32768')"
	c_login "$db" cl_a3 "$PROXY_URL" || { fail "login through the proxy: $(cat "$W/c/err")"; return; }
	# the stalled batch ends in a timeout or a reset: sent again smaller, in
	# this pass or the next
	if ! c_sync "$db" --stall-timeout 3; then
		[ "$(jget errors.# "$W/c/sum")" -ge 1 ] || fail "a failed pass without error"
		c_sync "$db" --stall-timeout 3 || fail "stalled link: the next pass did not finish: $(cat "$W/c/err")"
	fi
	c_proxy_stop
	expect_grep "$W/c/proxy.log" "slowproxy: cut"
	[ "$(lq "$db" "SELECT value FROM settings WHERE key = 'sync_push_bytes'")" -lt 32768 ] ||
		fail "budget not shrunk: $(lq "$db" "SELECT value FROM settings WHERE key = 'sync_push_bytes'")"
	bb_check "$W/c/bb1.codes" 20 20

	# a hard cut in the middle of a batch (connection reset), same port: the
	# pass ends with the error, the budget kept for the next pass falls
	port=${PROXY_URL##*:}
	: >"$W/c/bb2.codes"
	c_receive "$db" cl_a3 8 "$W/c/bb2.codes" || return
	before=$(lq "$db" "SELECT value FROM settings WHERE key = 'sync_push_bytes'")
	[ -n "$before" ] || fail "no budget kept"
	c_proxy --listen "$port" --rate-up 8000 --rate-down 8000 --latency-ms 300 \
		--first-cut-after 600 --max-cuts 1
	c_sync "$db"
	expect_eq "cut pass" $? 1
	[ "$(jget errors.# "$W/c/sum")" -ge 1 ] || fail "the cut is not an error: $(cat "$W/c/sum")"
	after=$(lq "$db" "SELECT value FROM settings WHERE key = 'sync_push_bytes'")
	[ "$after" -lt "$before" ] || [ "$after" = 1024 ] || fail "budget $before, then $after"
	c_sync "$db" || fail "after the cut: the pass did not finish: $(cat "$W/c/err")"
	c_proxy_stop
	expect_grep "$W/c/proxy.log" "slowproxy: cut"
	bb_check "$W/c/bb2.codes" 8 8
	# and nothing of the first 20 again
	expect_eq "first ones still once" "$(csql "SELECT count(*) FROM ops o JOIN dossiers d ON d.id = o.entity_id WHERE d.code IN ($(sed "s/.*/'&'/" "$W/c/bb1.codes" | paste -sd,))")" 20
}
