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
# wait_port_free URL: poll (bounded) until nothing answers at URL any more;
# Cyrus's httpd children may outlive their master for a moment
wait_port_free() {
    deadline=$(( $(date +%s) + 10 ))
    while [ -n "$1" ] && curl -s -o /dev/null --max-time 1 "$1/"; do
        [ "$(date +%s)" -lt "$deadline" ] || { log "something still answers at $1"; return 0; }
        sleep 0.1
    done
}

for name in "$@"; do
    pidfile=$(pidfile_of "$name")
    lock_instance "$name"
    url=$(sed -n 's/^[A-Z_]*_URL=//p' "$STATE/$name/env" 2>/dev/null | head -n 1)
    if stop_pid "$name" "$pidfile"; then
        rm -f "$STATE/$name/env"
        wait_port_free "$url"
    else
        log "$name was not running"
    fi
    exec 9>&-
done
