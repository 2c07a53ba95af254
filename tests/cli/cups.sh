# SPDX-License-Identifier: GPL-3.0-or-later
# A private CUPS scheduler for a test (sourced): cupsd on a unix socket in
# $T/cups, its own configuration and spool, and a backend "capture" that
# writes each job's file where the printer's address says. cups_start sets
# CUPS_SERVER (lp and lpstat then ask this scheduler only) and returns 1 when
# cupsd cannot run here (not installed, or not root); cups_stop ends it.
cups_start() {
	command -v cupsd >/dev/null 2>&1 || { echo "  (cupsd not installed: the printer part is left out)"; return 1; }
	[ "$(id -u)" = 0 ] || { echo "  (not root: cupsd's backends cannot be set up; left out)"; return 1; }
	C=$T/cups
	mkdir -p "$C/conf" "$C/spool" "$C/tmp" "$C/cache" "$C/state" "$C/log" "$C/bin/backend" "$C/out"
	chmod 1777 "$C/out"
	chmod o+x "$T" "$C" # the backend runs as lp: it must reach $C/out
	for f in /usr/lib/cups/*; do
		[ "$(basename "$f")" = backend ] || ln -sf "$f" "$C/bin/"
	done
	cat >"$C/bin/backend/capture" <<'SH'
#!/bin/sh
[ $# = 0 ] && { echo 'direct capture "Unknown" "motcua test capture"'; exit 0; }
out=${DEVICE_URI#capture:}
if [ -n "${6:-}" ]; then cat "$6" >"$out.tmp"; else cat >"$out.tmp"; fi && mv "$out.tmp" "$out"
SH
	chmod 755 "$C/bin/backend/capture"
	cat >"$C/conf/cupsd.conf" <<CONF
Listen $C/cups.sock
LogLevel warn
Browsing No
WebInterface No
DefaultAuthType None
<Location />
  Order allow,deny
  Allow all
</Location>
<Location /admin>
  Order allow,deny
  Allow all
</Location>
CONF
	cat >"$C/conf/cups-files.conf" <<CONF
ServerRoot $C/conf
RequestRoot $C/spool
TempDir $C/tmp
CacheDir $C/cache
StateDir $C/state
ServerBin $C/bin
DataDir /usr/share/cups
ErrorLog $C/log/error_log
AccessLog $C/log/access_log
PageLog $C/log/page_log
SystemGroup root
Sandboxing Relaxed
CONF
	cupsd -f -c "$C/conf/cupsd.conf" -s "$C/conf/cups-files.conf" 2>"$C/log/stderr" &
	CUPS_PID=$!
	export CUPS_SERVER="$C/cups.sock"
	i=0
	until lpstat -r 2>/dev/null | grep -q "scheduler is running"; do
		i=$((i+1))
		if [ $i -gt 200 ] || ! kill -0 $CUPS_PID 2>/dev/null; then
			echo "  cupsd did not start: $(cat "$C/log/stderr" "$C/log/error_log" 2>/dev/null | tail -3)"
			return 1
		fi
		sleep 0.05
	done
}

# cups_printer NAME: a printer whose jobs land in $C/out/NAME.pdf
cups_printer() {
	lpadmin -p "$1" -v "capture:$C/out/$1.pdf" -E 2>"$C/lpadmin.err"
}

# cups_wait NAME: waits for a job's file (the scheduler prints on its own time)
cups_wait() {
	i=0
	until [ -s "$C/out/$1.pdf" ]; do
		i=$((i+1)); [ $i -gt 600 ] && return 1
		sleep 0.05
	done
}

cups_stop() {
	[ -n "${CUPS_PID:-}" ] && kill "$CUPS_PID" 2>/dev/null && wait "$CUPS_PID" 2>/dev/null
	CUPS_PID=
	return 0
}
