# SPDX-License-Identifier: GPL-3.0-or-later
# Files: HEAD on blobs, tus 1.0 uploads (creation, resume after a cut link,
# offsets, hash check, termination).

# hdr NAME: a header of the last answer ($W/hdr)
hdr() { tr -d '\r' <"$W/hdr" | sed -n "s/^$1: //Ip" | tail -n 1; }

# tus METHOD URL [CURL ARGS...]: status printed, headers in $W/hdr, body in $W/body
tus() {
	m=$1 url=$2
	shift 2
	if [ "$m" = HEAD ]; then set -- -I "$@"; else set -- -X "$m" "$@"; fi
	curl -sS -o "$W/body" -D "$W/hdr" -w '%{http_code}' --max-time 60 \
		-H "Authorization: Bearer $TOK_A" -H 'Tus-Resumable: 1.0.0' "$@" "$url" 2>"$W/curl.err"
}

t_uploads() {
	u=$URL_s1
	st=$(curl -sS -o /dev/null -D "$W/hdr" -w '%{http_code}' -X OPTIONS "$u/api/v1/uploads")
	expect_eq "options" "$st" 204
	expect_eq "tus version" "$(hdr Tus-Version)" 1.0.0
	expect_eq "tus extensions" "$(hdr Tus-Extension)" creation,termination
	head -c 3000000 /dev/urandom >"$W/file"
	sha=$(sha256sum "$W/file" | cut -d' ' -f1)
	size=$(wc -c <"$W/file")
	st=$(tus HEAD "$u/api/v1/blobs/$sha")
	expect_eq "blob not there yet" "$st" 404
	md="sha256 $(printf %s "$sha" | base64 -w0),filename $(printf %s 'giấy khai sinh.pdf' | base64 -w0)"
	st=$(tus POST "$u/api/v1/uploads" -H "Upload-Length: $size" -H "Upload-Metadata: $md")
	expect_eq "create" "$st" 201
	loc=$(hdr Location)
	case $loc in /api/v1/uploads/*) ;; *) fail "location [$loc]"; return ;; esac
	# the first megabyte
	head -c 1000000 "$W/file" >"$W/part"
	st=$(tus PATCH "$u$loc" -H 'Content-Type: application/offset+octet-stream' \
		-H 'Upload-Offset: 0' --data-binary "@$W/part")
	expect_eq "patch 1" "$st" 204
	expect_eq "offset 1" "$(hdr Upload-Offset)" 1000000
	# a wrong offset is refused with the right one
	st=$(tus PATCH "$u$loc" -H 'Content-Type: application/offset+octet-stream' \
		-H 'Upload-Offset: 5' --data-binary "@$W/part")
	expect_error "wrong offset" "$st" 409 offset_mismatch
	expect_eq "offset told" "$(hdr Upload-Offset)" 1000000
	# the rest on a slow link, cut once the server has stored part of it
	tail -c +1000001 "$W/file" >"$W/rest"
	curl -sS -o /dev/null -X PATCH --limit-rate 400k -H "Authorization: Bearer $TOK_A" \
		-H 'Tus-Resumable: 1.0.0' -H 'Content-Type: application/offset+octet-stream' \
		-H 'Upload-Offset: 1000000' --data-binary "@$W/rest" "$u$loc" 2>/dev/null &
	sender=$!
	i=0 off=1000000
	while [ "$off" -lt 1400000 ]; do
		i=$((i+1)); [ $i -lt 3000 ] || break
		sleep 0.01
		off=$(sql "SELECT received FROM uploads WHERE '$loc' LIKE '%' || id")
	done
	kill -9 $sender 2>/dev/null
	wait $sender 2>/dev/null
	# the server notices the cut and keeps what arrived
	i=0
	while :; do
		st=$(tus HEAD "$u$loc")
		off=$(hdr Upload-Offset)
		[ "$off" = "$prev" ] && break
		prev=$off
		i=$((i+1)); [ $i -lt 100 ] || break
		sleep 0.05
	done
	expect_eq "head" "$st" 200
	expect_eq "length" "$(hdr Upload-Length)" "$size"
	[ "$off" -gt 1000000 ] && [ "$off" -lt "$size" ] || fail "offset after the cut: $off (size $size)"
	# resume: only the bytes the server lacks
	tail -c +$((off + 1)) "$W/file" >"$W/rest"
	st=$(tus PATCH "$u$loc" -H 'Content-Type: application/offset+octet-stream' \
		-H "Upload-Offset: $off" --data-binary "@$W/rest")
	expect_eq "resume" "$st" 204
	expect_eq "complete" "$(hdr Upload-Offset)" "$size"
	st=$(tus HEAD "$u/api/v1/blobs/$sha")
	expect_eq "blob there" "$st" 200
	expect_eq "blob size" "$(hdr X-Blob-Size)" "$size"
	expect_eq "stored bytes" "$(sql "SELECT encode(sha256(string_agg(data, ''::bytea ORDER BY pos)), 'hex') FROM blob_chunks WHERE sha256 = '$sha'")" "$sha"
	st=$(tus HEAD "$u$loc")
	expect_eq "done upload offset" "$(hdr Upload-Offset)" "$size"
	# the same content again: done at creation, nothing to send
	st=$(tus POST "$u/api/v1/uploads" -H "Upload-Length: $size" -H "Upload-Metadata: $md")
	expect_eq "create known" "$st" 201
	expect_eq "known content" "$(hdr Upload-Offset)" "$size"
	expect_eq "one blob" "$(sql "SELECT count(*) FROM blobs WHERE sha256 = '$sha'")" 1
}

t_upload_refusals() {
	u=$URL_s1
	head -c 100000 /dev/urandom >"$W/a"
	head -c 100000 /dev/urandom >"$W/b"
	sha=$(sha256sum "$W/a" | cut -d' ' -f1)
	md="sha256 $(printf %s "$sha" | base64 -w0)"
	# a corrupted file (another content under the announced hash) is refused
	st=$(tus POST "$u/api/v1/uploads" -H 'Upload-Length: 100000' -H "Upload-Metadata: $md")
	loc=$(hdr Location)
	st=$(tus PATCH "$u$loc" -H 'Content-Type: application/offset+octet-stream' \
		-H 'Upload-Offset: 0' --data-binary "@$W/b")
	expect_error "hash mismatch" "$st" 422 hash_mismatch
	st=$(tus HEAD "$u$loc")
	expect_eq "upload dropped" "$st" 404
	st=$(tus HEAD "$u/api/v1/blobs/$sha")
	expect_eq "no blob" "$st" 404
	# protocol errors
	st=$(curl -sS -o "$W/body" -w '%{http_code}' -X POST -H "Authorization: Bearer $TOK_A" \
		-H 'Upload-Length: 10' -H "Upload-Metadata: $md" "$u/api/v1/uploads")
	expect_error "no Tus-Resumable" "$st" 412 tus_version
	st=$(tus POST "$u/api/v1/uploads" -H 'Upload-Length: 10')
	expect_error "no hash" "$st" 400 bad_request
	st=$(tus POST "$u/api/v1/uploads" -H "Upload-Metadata: $md")
	expect_error "no length" "$st" 400 bad_request
	st=$(tus POST "$u/api/v1/uploads" -H 'Upload-Length: 99999999999999' -H "Upload-Metadata: $md")
	expect_error "too long" "$st" 413 payload_too_large
	st=$(tus POST "$u/api/v1/uploads" -H 'Upload-Length: 100000' -H "Upload-Metadata: $md")
	loc=$(hdr Location)
	st=$(tus PATCH "$u$loc" -H 'Content-Type: text/plain' -H 'Upload-Offset: 0' --data-binary "@$W/a")
	expect_error "content type" "$st" 415 bad_content_type
	cat "$W/a" "$W/a" >"$W/aa"
	st=$(tus PATCH "$u$loc" -H 'Content-Type: application/offset+octet-stream' \
		-H 'Upload-Offset: 0' --data-binary "@$W/aa")
	expect_error "beyond the length" "$st" 413 payload_too_large
	st=$(curl -sS -o "$W/body" -w '%{http_code}' -I -H "Authorization: Bearer $TOK_B" \
		-H 'Tus-Resumable: 1.0.0' "$u$loc")
	expect_eq "another user's upload" "$st" 404
	st=$(tus PATCH "$u/api/v1/uploads/../../healthz" --path-as-is -H 'Upload-Offset: 0')
	expect_error "path trick" "$st" 400 bad_path
	st=$(tus HEAD "$u/api/v1/blobs/XYZ")
	expect_eq "bad hash" "$st" 400
	st=$(curl -sS -o /dev/null -w '%{http_code}' -I "$u/api/v1/blobs/$sha")
	expect_eq "blob without token" "$st" 401
	# termination
	st=$(tus DELETE "$u$loc")
	expect_eq "delete" "$st" 204
	st=$(tus HEAD "$u$loc")
	expect_eq "deleted" "$st" 404
	expect_eq "no chunks left" "$(sql "SELECT count(*) FROM upload_chunks WHERE '$loc' LIKE '%' || upload_id")" 0
}

t_upload_two_servers() {
	start_server s3 || { fail "third server"; return; }
	head -c 700000 /dev/urandom >"$W/f2"
	sha=$(sha256sum "$W/f2" | cut -d' ' -f1)
	md="sha256 $(printf %s "$sha" | base64 -w0)"
	st=$(tus POST "$URL_s1/api/v1/uploads" -H 'Upload-Length: 700000' -H "Upload-Metadata: $md")
	loc=$(hdr Location)
	head -c 300000 "$W/f2" >"$W/p1"
	st=$(tus PATCH "$URL_s1$loc" -H 'Content-Type: application/offset+octet-stream' \
		-H 'Upload-Offset: 0' --data-binary "@$W/p1")
	expect_eq "first half on s1" "$st" 204
	st=$(tus HEAD "$URL_s3$loc")
	expect_eq "offset seen by s3" "$(hdr Upload-Offset)" 300000
	tail -c +300001 "$W/f2" >"$W/p2"
	st=$(tus PATCH "$URL_s3$loc" -H 'Content-Type: application/offset+octet-stream' \
		-H 'Upload-Offset: 300000' --data-binary "@$W/p2")
	expect_eq "second half on s3" "$st" 204
	st=$(tus HEAD "$URL_s1/api/v1/blobs/$sha")
	expect_eq "blob seen by s1" "$st" 200
	stop_server s3 || fail "s3 did not stop cleanly"
}

# tusb TOKEN METHOD URL [CURL ARGS...]: tus with another user's token.
tusb() {
	t=$1
	shift
	TOK_A=$t tus "$@"
}

# HEAD on a blob tells a clerk nothing about another commune's files: a
# file only commune 00004's papers use answers 404 not_found to a clerk of
# 00008, exactly as a file nobody holds (GET: 403 out_of_scope, as before),
# and a tus creation of it starts from offset 0 (where it said "done" at
# once). That clerk sends the bytes (proof of holding it): stored once, and
# from then on HEAD answers 200 to them. Another clerk of 00004 sees it held
# (a paper of the commune).
t_blob_head_scope() {
	u=$URL_s1
	mkdir -p "$W/f"
	tok_a2=$(login "$u" clerk_a2 dev-a2) || { fail "login clerk_a2"; return; }
	head -c 50000 /dev/urandom >"$W/hs"
	sha=$(sha256sum "$W/hs" | cut -d' ' -f1)
	md="sha256 $(printf %s "$sha" | base64 -w0)"
	st=$(tus POST "$u/api/v1/uploads" -H 'Upload-Length: 50000' -H "Upload-Metadata: $md")
	loc=$(hdr Location)
	st=$(tus PATCH "$u$loc" -H 'Content-Type: application/offset+octet-stream' \
		-H 'Upload-Offset: 0' --data-binary "@$W/hs")
	expect_eq "sent by clerk_a" "$st" 204
	"$SYNCTOOL" batch device=dev-a unit=00004 ident=H01.00004 count=1 prefix=fhs day=251122 >"$W/f/batch"
	st=$(api POST "$u/api/v1/sync/push" "$W/f/batch" "$TOK_A")
	expect_eq "reception" "$st $(jget results.0.status)" "200 applied"
	expect_eq "a paper of 00004" "$(f_attach_op "$TOK_A" dev-a fhs-a1 fhs-d-000001 1 fhs-doc-1 "$sha" fhs-e1)" applied
	expect_eq "HEAD: the sender" "$(tus HEAD "$u/api/v1/blobs/$sha")" 200
	expect_eq "HEAD: a clerk of the commune" "$(tusb "$tok_a2" HEAD "$u/api/v1/blobs/$sha")" 200
	expect_eq "size told" "$(hdr X-Blob-Size)" 50000
	nobody=$(printf 'không ai có tệp này' | sha256sum | cut -d' ' -f1)
	st=$(tusb "$TOK_B" HEAD "$u/api/v1/blobs/$nobody")
	expect_eq "HEAD: a file nobody holds" "$st $(hdr X-Blob-Size)" "404 "
	st=$(tusb "$TOK_B" HEAD "$u/api/v1/blobs/$sha")
	expect_eq "HEAD: another commune's file, as if not held" "$st $(hdr X-Blob-Size)" "404 "
	# GET tells the same as HEAD: as if not held, never "held by another"
	st=$(api GET "$u/api/v1/blobs/$sha" "" "$TOK_B")
	expect_error "GET: another commune's file, as if not held" "$st" 404 not_found
	st=$(api GET "$u/api/v1/blobs/$nobody" "" "$TOK_B")
	expect_error "GET: a file nobody holds" "$st" 404 not_found
	st=$(api GET "$u/api/v1/blobs/$sha" "" "$tok_a2")
	expect_eq "GET: a clerk of the commune" "$st" 200
	# the clerk of 00008 is not told at creation either; its bytes prove it
	st=$(tusb "$TOK_B" POST "$u/api/v1/uploads" -H 'Upload-Length: 50000' -H "Upload-Metadata: $md")
	expect_eq "creation: from the start" "$st $(hdr Upload-Offset)" "201 0"
	loc=$(hdr Location)
	st=$(tusb "$TOK_B" PATCH "$u$loc" -H 'Content-Type: application/offset+octet-stream' \
		-H 'Upload-Offset: 0' --data-binary "@$W/hs")
	expect_eq "sent by clerk_b" "$st $(hdr Upload-Offset)" "204 50000"
	expect_eq "stored once" "$(sql "SELECT count(*) FROM blobs WHERE sha256 = '$sha'") $(sql "SELECT count(*) FROM blob_chunks WHERE sha256 = '$sha'")" "1 1"
	expect_eq "HEAD: held by the one who sent it" "$(tusb "$TOK_B" HEAD "$u/api/v1/blobs/$sha")" 200
	expect_eq "GET: as HEAD, to the one who sent it" "$(api GET "$u/api/v1/blobs/$sha" "" "$TOK_B")" 200
	expect_eq "GET: its bytes" "$(sha256sum <"$W/body" | cut -d' ' -f1)" "$sha"
	st=$(tusb "$TOK_B" POST "$u/api/v1/uploads" -H 'Upload-Length: 50000' -H "Upload-Metadata: $md")
	expect_eq "creation after: done at once" "$st $(hdr Upload-Offset)" "201 50000"
}

# An upload abandoned for a day (unfinished, untouched) is removed with its
# chunks when the next upload is created; a recent one and a finished one
# stay. The upload is aged in the database (no sleeping).
t_upload_sweep() {
	u=$URL_s1
	head -c 300000 /dev/urandom >"$W/sw"
	sha=$(sha256sum "$W/sw" | cut -d' ' -f1)
	md="sha256 $(printf %s "$sha" | base64 -w0)"
	st=$(tus POST "$u/api/v1/uploads" -H 'Upload-Length: 300000' -H "Upload-Metadata: $md")
	old=$(hdr Location)
	head -c 100000 "$W/sw" >"$W/sw1"
	st=$(tus PATCH "$u$old" -H 'Content-Type: application/offset+octet-stream' \
		-H 'Upload-Offset: 0' --data-binary "@$W/sw1")
	expect_eq "part of it" "$st" 204
	st=$(tus POST "$u/api/v1/uploads" -H 'Upload-Length: 300000' -H "Upload-Metadata: $md")
	recent=$(hdr Location)
	head -c 1000 /dev/urandom >"$W/sw2"
	sha2=$(sha256sum "$W/sw2" | cut -d' ' -f1)
	st=$(tus POST "$u/api/v1/uploads" -H 'Upload-Length: 1000' \
		-H "Upload-Metadata: sha256 $(printf %s "$sha2" | base64 -w0)")
	done_loc=$(hdr Location)
	st=$(tus PATCH "$u$done_loc" -H 'Content-Type: application/offset+octet-stream' \
		-H 'Upload-Offset: 0' --data-binary "@$W/sw2")
	expect_eq "a finished one" "$st" 204
	upid() { echo "${1##*/}"; }
	sql "UPDATE uploads SET updated_at = now() - interval '25 hours', created_at = now() - interval '2 days'
		WHERE id IN ('$(upid "$old")', '$(upid "$done_loc")')" >/dev/null
	sql "UPDATE uploads SET updated_at = now() - interval '23 hours' WHERE id = '$(upid "$recent")'" >/dev/null
	expect_eq "chunks before" "$(sql "SELECT count(*) > 0 FROM upload_chunks WHERE upload_id = '$(upid "$old")'")" t
	st=$(tus POST "$u/api/v1/uploads" -H 'Upload-Length: 300000' -H "Upload-Metadata: $md")
	expect_eq "a new upload" "$st" 201
	expect_eq "abandoned: gone" "$(tus HEAD "$u$old")" 404
	expect_eq "its chunks too" "$(sql "SELECT count(*) FROM upload_chunks WHERE upload_id = '$(upid "$old")'")" 0
	expect_eq "recent: kept" "$(tus HEAD "$u$recent") $(hdr Upload-Offset)" "200 0"
	expect_eq "finished: kept" "$(tus HEAD "$u$done_loc") $(hdr Upload-Offset)" "200 1000"
	grep -q "removed 1 upload(s) abandoned" "$W/s1.log" || fail "not logged: $(tail -n 3 "$W/s1.log")"
	# the workstation that comes back after a day begins anew
	st=$(tus PATCH "$u$old" -H 'Content-Type: application/offset+octet-stream' \
		-H 'Upload-Offset: 100000' --data-binary "@$W/sw1")
	expect_eq "resuming the removed one" "$st" 404
}
