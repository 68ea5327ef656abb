#!/bin/sh
# stop.sh - stop the test servers started by tests/servers/*.sh, by their pid
# files only (never by process name).
#
#   tests/servers/stop.sh                       # every server: cyrus cyrus-stock xandikos radicale
#   tests/servers/stop.sh xandikos cyrus-stock  # only these
#
# Instance data stays in $CALDAV_SERVERS_STATE/<name>/ until the next cold start
# (which wipes it); installs (venvs, the Cyrus shim, apt packages) stay.
# Exits 0 whether or not anything was running.
set -eu
. "$(dirname -- "$0")/lib.sh"

pidfile_of() {
    case "$1" in
        cyrus|cyrus-stock) echo "$STATE/$1/run/master.pid" ;;  # SIGTERM to master ends httpd/imapd
        xandikos) echo "$STATE/xandikos/xandikos.pid" ;;
        radicale) echo "$STATE/radicale/radicale.pid" ;;
        *) die "unknown server '$1' (cyrus, cyrus-stock, xandikos, radicale)" ;;
    esac
}

[ $# -gt 0 ] || set -- cyrus cyrus-stock xandikos radicale
for name in "$@"; do
    pidfile=$(pidfile_of "$name")
    if stop_pid "$name" "$pidfile"; then rm -f "$STATE/$name/env"; else log "$name was not running"; fi
done
