# SPDX-License-Identifier: GPL-3.0-or-later
# Papers across units (docs/reuse.md "Across units"): a result signed and
# filed at commune A's counter is reused from the server at commune B's,
# without a new scan or a new file; who may look, and every look logged.
# Real workstations (motcua init/login/sync) against the client tests'
# server (t_client_sync.sh's c_* helpers), a test PKI made by OpenSSL.

P_ID=001195067890 # a citizen of these tests only

# p_pki: a CA and the unit's key issued by it (PKCS#12), and a stranger's
# CA and key; in $W/papers.
p_pki() {
	P=$W/papers
	rm -rf "$P"
	mkdir -p "$P"
	for ca in ca other; do
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 -utf8 \
			-keyout "$P/$ca.key" -out "$P/$ca.pem" -subj "/C=VN/CN=CA $ca" \
			-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign \
			>>"$P/log" 2>&1 || { fail "CA $ca: $(tail -3 "$P/log")"; return 1; }
	done
	printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n' >"$P/leaf.ext"
	for k in unit:ca:"UBND Phường Ba Đình" rogue:other:"Người ký lạ"; do
		n=${k%%:*} rest=${k#*:}
		ca=${rest%%:*} cn=${rest#*:}
		openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -utf8 -keyout "$P/$n.key" \
			-out "$P/$n.csr" -subj "/C=VN/CN=$cn" >>"$P/log" 2>&1 &&
		openssl x509 -req -in "$P/$n.csr" -CA "$P/$ca.pem" -CAkey "$P/$ca.key" -CAcreateserial \
			-days 365 -extfile "$P/leaf.ext" -out "$P/$n.pem" >>"$P/log" 2>&1 &&
		openssl pkcs12 -export -inkey "$P/$n.key" -in "$P/$n.pem" -certfile "$P/$ca.pem" \
			-out "$P/$n.p12" -passout "pass:mật khẩu" >>"$P/log" 2>&1 ||
			{ fail "key $n: $(tail -3 "$P/log")"; return 1; }
	done
}

# p_motcua ARGS...: the CLI, the key's password given, the test CA trusted;
# stdout in $W/papers/out, stderr in $W/papers/err, the status returned. At the
# system's time: the test certificates start today, a signature at the
# tests' reception day (C_NOW) would come before them.
p_motcua() {
	MOTCUA_PIN="mật khẩu" MOTCUA_CA=$P/ca.pem "$MOTCUA" "$@" >"$W/papers/out" 2>"$W/papers/err"
}

# p_receive DB USER JSON: a reception at the tests' day (the numbers leased
# for it); its code in $W/papers/out's "code".
p_receive() {
	MOTCUA_NOW=$C_NOW "$MOTCUA" receive --json "$3" --db "$1" --user "$2" >"$W/papers/out" 2>"$W/papers/err"
}

# p_server_counts: documents and files the server holds.
p_server_counts() {
	csql "SELECT (SELECT count(*) FROM documents) || ' ' || (SELECT count(*) FROM blobs)"
}

t_papers_across_units() {
	c_setup || return
	p_pki || return
	[ -n "$(csql "SELECT 1 FROM users WHERE username = 'cl_u'")" ] ||
		echo matkhau123 | "$SERVER" user add --pg "$PGC" --username cl_u --unit 00025 \
			--role clerk >/dev/null || { fail "user cl_u"; return; }
	# ---- commune A (00004): a reception, its papers, a signed result -------------
	dba=$(c_store pa)
	c_login "$dba" cl_a || { fail "login A: $(cat "$W/c/err")"; return; }
	c_sync "$dba" || fail "first sync A: $(cat "$W/c/err")"
	cat >"$W/papers/a.json" <<EOF
{"procedure": "1.001193", "received_at": "${C_DAY}T09:00",
 "applicant": {"full_name": "Trần Thị Bình", "id_number": "$P_ID",
   "birth_date": "1995-03-02", "sex": "F", "commune": "00004"},
 "components": [{"id": 5, "originals": 1}, {"id": 7, "originals": 1},
   {"id": 11, "originals": 1}, {"id": 32, "originals": 1}]}
EOF
	p_receive "$dba" cl_a "$W/papers/a.json" || { fail "receive A: $(cat "$W/papers/err")"; return; }
	a=$(sed 's/^{"code":"\([^"]*\)".*/\1/' "$W/papers/out")
	"$MOTCUA" receipt "$a" --db "$dba" --out "$W/papers/paper.pdf" >/dev/null 2>&1 || fail "receipt"
	# an expired CCCD and a residence paper signed by a stranger, both signed
	p_motcua attach "$a" --component 11 "$W/papers/paper.pdf" --no-ocr --db "$dba" --user cl_a \
		--type cccd --title "Thẻ căn cước" --number "$P_ID" --expires 2025-10-01 \
		--pkcs12 "$P/unit.p12" || fail "attach expired: $(cat "$W/papers/err")"
	old=$(jget document_id "$W/papers/out")
	p_motcua attach "$a" --component 7 "$W/papers/paper.pdf" --no-ocr --db "$dba" --user cl_a \
		--type residence --title "Xác nhận cư trú" --pkcs12 "$P/rogue.p12" ||
		fail "attach rogue: $(cat "$W/papers/err")"
	rogue=$(jget document_id "$W/papers/out")
	p_motcua act "$a" result-ready --result-code "Số 7/GKS" --file "$W/papers/paper.pdf" --type birth \
		--pkcs12 "$P/unit.p12" --db "$dba" --user cl_a || fail "result-ready: $(cat "$W/papers/err")"
	res=$(lq "$dba" "SELECT result_document_id FROM dossiers WHERE code = '$a'")
	rsha=$(lq "$dba" "SELECT sha256 FROM documents WHERE id = '$res'")
	rday=$(lq "$dba" "SELECT issued_on FROM documents WHERE id = '$res'")
	[ -n "$res" ] && [ -n "$old" ] && [ -n "$rogue" ] || { fail "A's papers: $res $old $rogue"; return; }
	c_sync "$dba" || fail "sync A: $(cat "$W/c/err")"
	c_sync "$dba" || fail "second sync A: $(cat "$W/c/err")"
	# the server knows the result as a paper of the citizen, with its file
	expect_eq "the result's row on the server" "$(csql "SELECT d.sha256, d.owner_id_number,
		d.meta->>'paper_type', d.meta->>'signer', d.meta->>'number', d.meta->>'is_result',
		(SELECT count(*) FROM blobs b WHERE b.sha256 = d.sha256) FROM documents d
		WHERE d.id = '$res'")" "$rsha|$P_ID|birth|UBND Phường Ba Đình|Số 7/GKS|true|1"

	# ---- commune B (00008): the same citizen, a border pass (1.003133) -----------
	# a folder of its own: its documents/ is B's alone
	mkdir -p "$W/papers/b"
	dbb=$W/papers/b/pb.db
	"$MOTCUA" init --db "$dbb" --unit 00008 >/dev/null 2>"$W/papers/err" || fail "init B: $(cat "$W/papers/err")"
	c_login "$dbb" cl_b || { fail "login B: $(cat "$W/c/err")"; return; }
	c_sync "$dbb" || fail "first sync B: $(cat "$W/c/err")"
	cat >"$W/papers/b.json" <<EOF
{"procedure": "1.003133", "received_at": "${C_DAY}T09:30",
 "applicant": {"full_name": "Trần Thị Bình", "id_number": "$P_ID",
   "birth_date": "1995-03-02", "sex": "F", "commune": "00004"},
 "components": [{"id": 1, "copies": 1}, {"id": 2, "originals": 1}, {"id": 4, "originals": 2},
   {"id": 5, "copies": 1}]}
EOF
	p_receive "$dbb" cl_b "$W/papers/b.json" || { fail "receive B: $(cat "$W/papers/err")"; return; }
	b=$(sed 's/^{"code":"\([^"]*\)".*/\1/' "$W/papers/out")
	c_sync "$dbb" || fail "sync B: $(cat "$W/c/err")"
	# the list: the result and the stranger's paper (signed, valid); never the expired one
	p_motcua papers --id-number "$P_ID" --online --dossier "$b" --db "$dbb" ||
		{ fail "papers --online: $(cat "$W/papers/err")"; return; }
	expect_eq "server papers" "$(jq -r '.source + " " + ([.papers[] | .id + ":" + (.paper_type // "")
		+ ":" + (.signer // "")] | sort | join(","))' "$W/papers/out")" \
		"server $(printf '%s\n' "$res:birth:UBND Phường Ba Đình" "$rogue:residence:Người ký lạ" |
			sort | paste -sd,)"
	expect_eq "the result's line" "$(jq -r --arg id "$res" '.papers[] | select(.id == $id) |
		[.type_name, .number, .issued_on, (.expires_on // "-"), .is_result] | map(tostring) | join("|")' \
		"$W/papers/out")" "Giấy khai sinh|Số 7/GKS|$rday|-|true"
	before=$(p_server_counts)
	# reused from the server: B's component points at the same document
	p_motcua attach "$b" --component 5 --reuse-server "$res" --db "$dbb" --user cl_b ||
		fail "attach --reuse-server: $(cat "$W/papers/err")"
	expect_eq "attach's answer" "$(jq -r '[.document_id, .sha256, .reused] | map(tostring) | join(" ")' \
		"$W/papers/out")" "$res $rsha true"
	expect_eq "B's component" "$(lq "$dbb" "SELECT c.document_id, c.reused FROM dossier_components c
		JOIN dossiers d ON d.id = c.dossier_id WHERE d.code = '$b' AND c.seq = 5")" "$res|1"
	expect_eq "B's copy of the paper" "$(lq "$dbb" "SELECT d.sha256, d.is_result, p.paper_type, p.signer
		FROM documents d JOIN document_papers p ON p.document_id = d.id WHERE d.id = '$res'")" \
		"$rsha|1|birth|UBND Phường Ba Đình"
	expect_eq "B's file is the server's" "$(sha256sum <"$W/papers/b/documents/$rsha.pdf" | cut -c1-64)" "$rsha"
	c_sync "$dbb" || fail "sync B after reuse: $(cat "$W/c/err")"
	expect_eq "B's outbox drained" "$(lq "$dbb" "SELECT count(*) FROM outbox WHERE state <> 'done'")" 0
	expect_eq "nothing to upload" "$(lq "$dbb" "SELECT count(*) FROM file_uploads WHERE state = 'pending'")" 0
	expect_eq "the server's component" "$(csql "SELECT dd.document_id, dd.reused FROM dossier_documents dd
		JOIN dossiers x ON x.id = dd.dossier_id WHERE x.code = '$b' AND dd.component = 5")" "$res|t"
	expect_eq "no new document, no new file on the server" "$(p_server_counts)" "$before"
	bid=$(lq "$dbb" "SELECT id FROM dossiers WHERE code = '$b'")
	expect_eq "the look-ups logged" "$(csql "SELECT string_agg(username || ' ' || unit_code || ' ' ||
		dossier_code || ' ' || dossier_id || ' ' || id_number || ' ' || coalesce(document_id, '-')
		|| ' ' || status || ' ' || papers, ',' ORDER BY id) FROM paper_lookups
		WHERE dossier_code = '$b' AND status = 200")" \
		"cl_b 00008 $b $bid $P_ID - 200 2,cl_b 00008 $b $bid $P_ID $res 200 1,cl_b 00008 $b $bid $P_ID - 200 2"
	expect_eq "logged by the server's clock" "$(csql "SELECT count(*) FROM paper_lookups
		WHERE dossier_code = '$b' AND at > now() - interval '1 hour' AND at <= now()")" 3
	# the reuse counted the same on B's workstation and on the server
	"$MOTCUA" indicators --unit 00008 --from "$C_DAY" --to "$C_DAY" --db "$dbb" >"$W/papers/ind" 2>"$W/papers/err" ||
		fail "indicators B: $(cat "$W/papers/err")"
	grep -q '"id":"reused","name":"[^"]*","numerator":[1-9]' "$W/papers/ind" || fail "no reuse counted: $(cat "$W/papers/ind")"
	tok=$(login "$C_URL" cl_b dev-pb2) || { fail "api login B"; return; }
	st=$(api GET "$C_URL/api/v1/indicators?unit=00008&from=$C_DAY&to=$C_DAY" "" "$tok")
	expect_eq "GET indicators" "$st" 200
	expect_eq "server agrees with B" "$(cat "$W/body")" "$(cat "$W/papers/ind")"

	# ---- refused, with the reason; nothing stored at B ---------------------------
	n=$(lq "$dbb" "SELECT count(*) FROM documents")
	p_motcua attach "$b" --component 2 --reuse-server "$old" --db "$dbb" --user cl_b
	expect_eq "expired: exit" "$?" 2
	expect_grep "$W/papers/err" "đã hết hạn ngày 2025-10-01"
	expect_grep "$W/papers/err" "paper_expired"
	p_motcua attach "$b" --component 2 --reuse-server "$rogue" --db "$dbb" --user cl_b
	expect_eq "untrusted signer: exit" "$?" 2
	expect_grep "$W/papers/err" "không được tin cậy"
	expect_eq "nothing filed at B" "$(lq "$dbb" "SELECT count(*) FROM documents")" "$n"
	rsh=$(csql "SELECT sha256 FROM documents WHERE id = '$rogue'")
	[ -n "$rsh" ] && [ ! -e "$W/papers/b/documents/$rsh.pdf" ] || fail "the untrusted file stayed in B's folder"
	expect_eq "a refused fetch logged" "$(csql "SELECT status FROM paper_lookups
		WHERE dossier_code = '$b' AND document_id = '$old'")" 409

	# ---- a clerk of an unrelated unit (00025), no dossier of this citizen ---------
	tok=$(login "$C_URL" cl_u dev-pu) || { fail "api login cl_u"; return; }
	st=$(api GET "$C_URL/api/v1/papers?id_number=$P_ID&dossier=$b" "" "$tok")
	expect_eq "unrelated unit: status" "$st" 403
	expect_eq "unrelated unit: code" "$(jget error.code)" paper_scope
	st=$(api GET "$C_URL/api/v1/papers/$res?dossier=$b" "" "$tok")
	expect_eq "unrelated unit, the file: status" "$st" 403
	expect_eq "unrelated unit, the file: code" "$(jget error.code)" paper_scope
	# B's clerk, naming A's dossier (not B's units'): refused too
	tok=$(login "$C_URL" cl_b dev-pb3) || { fail "api login B"; return; }
	st=$(api GET "$C_URL/api/v1/papers?id_number=$P_ID&dossier=$a" "" "$tok")
	expect_eq "another unit's dossier: status" "$st" 403
	st=$(api GET "$C_URL/api/v1/papers?id_number=$P_ID" "" "$tok")
	expect_eq "no dossier named: status" "$st" 400
	expect_eq "the refusals logged" "$(csql "SELECT string_agg(username || ' ' || unit_code || ' '
		|| coalesce(dossier_id, '-') || ' ' || status, ',' ORDER BY id) FROM paper_lookups
		WHERE status = 403 AND id_number = '$P_ID'")" "cl_u 00025 - 403,cl_u 00025 - 403,cl_b 00008 - 403"

	# ---- offline: the server's papers cannot be seen now -------------------------
	sqlite3 "$dbb" ".backup '$W/papers/off.db'"
	lq "$W/papers/off.db" "UPDATE sync_state SET server_url = 'http://127.0.0.1:9'"
	p_motcua papers --id-number "$P_ID" --online --dossier "$b" --db "$W/papers/off.db"
	expect_eq "offline: exit" "$?" 1
	expect_grep "$W/papers/err" "Không xem được giấy tờ lưu trên máy chủ lúc này"
}
