# SPDX-License-Identifier: GPL-3.0-or-later
# Fixtures shared by the CLI and sync suites (sourced by tests/cli/run.sh,
# tests/sync/run.sh and bench/sync.sh).

# reception_json FILE RECEIVED_AT FULL_NAME ID_NUMBER BIRTH_DATE SEX [COMMUNE] [EXTRA]:
# writes to FILE what `motcua receive --json` reads for a birth registration
# (procedure 1.001193) with its four papers (components 5, 7, 11 and 32, one
# original each) received for an applicant of COMMUNE (00004 unless given);
# EXTRA, where given, is more members of the top object (`"fee": {...}`).
reception_json() {
	cat >"$1" <<EOF
{"procedure": "1.001193", "received_at": "$2",
 "applicant": {"full_name": "$3", "id_number": "$4",
   "birth_date": "$5", "sex": "$6", "commune": "${7:-00004}"},
 "components": [{"id": 5, "originals": 1}, {"id": 7, "originals": 1},
   {"id": 11, "originals": 1}, {"id": 32, "originals": 1}]${8:+, $8}}
EOF
}
