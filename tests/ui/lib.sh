# SPDX-License-Identifier: GPL-3.0-or-later
# Helpers for UI tests (sourced after tests/cli/lib.sh, which fixes the
# locale, TZ and HOME=$T/home). A test drives the real program headlessly
# (MOTCUA_SCRIPT, see client/tui/term.h) and compares its screen dumps with the
# golden files tests/ui/NAME.FILE. UPDATE=1 rewrites the goldens.
export MOTCUA_NOW=2025-08-05T09:30
export XDG_CONFIG_HOME="$HOME/.config"
export MOTCUA_DB="$T/motcua.db"
unset MOTCUA_SIZE MOTCUA_SCRIPT NO_COLOR

# ui_store: a store with the unit 27280 "UBND xã Tân An" as this
# workstation's unit and the clerk canbo / motcua.
ui_store() {
	printf 'motcua\n' | "$MOTCUA" clerk add canbo --name "Nguyễn Thị Lan" --unit 27280 \
		>/dev/null 2>"$T/ui_store.err" || fail "clerk add: $(cat "$T/ui_store.err")"
	sqlite3 "$MOTCUA_DB" "INSERT INTO units(code, name, ident)
		VALUES ('27280', 'UBND xã Tân An', '000.00.06.H56');
		INSERT INTO settings(key, value) VALUES ('unit_code', '27280');" ||
		fail "sqlite3 could not set up the unit"
}

# ui_run NAME [ARGS...] <<EOF ... EOF
# Runs "$MOTCUA ARGS" with the key script read from stdin, in the directory
# $T/screens/NAME, where `:save-display FILE` writes FILE. Expects exit status
# ${UI_STATUS:-0}; stderr goes to $T/ui.err. Then compares: every FILE
# written must equal the golden $UIDIR/NAME.FILE, and every golden NAME.*
# must have been written.
ui_run() {
	ui_name=$1; shift
	ui_dir="$T/screens/$ui_name"
	rm -rf "$ui_dir"; mkdir -p "$ui_dir"
	cat >"$ui_dir.keys"
	(cd "$ui_dir" && MOTCUA_SCRIPT="$ui_dir.keys" "$MOTCUA" "$@") >"$T/ui.out" 2>"$T/ui.err"
	ui_rc=$?
	[ "$ui_rc" = "${UI_STATUS:-0}" ] ||
		fail "$ui_name: exit $ui_rc (want ${UI_STATUS:-0}): $(head -c 400 "$T/ui.err")"
	ui_compare "$ui_name" "$ui_dir"
}

ui_compare() {
	for got in "$2"/*; do
		[ -e "$got" ] || continue
		golden="$UIDIR/$1.$(basename "$got")"
		if [ "${UPDATE:-}" = 1 ]; then
			cp "$got" "$golden"
		elif [ ! -f "$golden" ]; then
			fail "$1: no golden file $golden (UPDATE=1 writes it)"
		elif ! diff -u "$golden" "$got"; then
			fail "$1: $(basename "$got") differs from $golden"
		fi
	done
	for golden in "$UIDIR/$1".*; do
		case $golden in *.test) continue ;; esac
		[ -e "$golden" ] || continue
		[ -e "$2/${golden#"$UIDIR/$1."}" ] || fail "$1: $golden was not written by the script"
	done
}

# ui_file NAME FILE: the path of FILE written by the last run of NAME.
ui_file() { echo "$T/screens/$1/$2"; }
