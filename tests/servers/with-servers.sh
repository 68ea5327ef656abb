#!/bin/sh
# with-servers.sh - start the test servers once, run a command with their
# variables exported, then stop the servers this wrapper started.
#
#   tests/servers/with-servers.sh node --test tests/servers/
#   CALDAV_SERVERS=cyrus,xandikos tests/servers/with-servers.sh make e2e
#
# Servers: CALDAV_SERVERS (comma separated) from cyrus, cyrus-stock, xandikos,
# radicale; default all four. Because every server is running before the command
# starts, test files that run in parallel all reuse them (their *_STARTED=0) and
# none of them stops a server another file is still using.
# Exits with the command's status.
set -eu
. "$(dirname -- "$0")/lib.sh"

[ $# -gt 0 ] || die "usage: $0 COMMAND [ARG...]"
started=""
cleanup() {
    if [ -n "$started" ]; then
        # shellcheck disable=SC2086  # a list of names
        sh "$SERVERS_DIR/stop.sh" $started || true
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for kind in $(echo "${CALDAV_SERVERS:-cyrus,cyrus-stock,xandikos,radicale}" | tr ',' ' '); do
    case "$kind" in
        cyrus) out=$(sh "$SERVERS_DIR/cyrus.sh") ;;
        cyrus-stock) out=$(sh "$SERVERS_DIR/cyrus.sh" --stock) ;;
        xandikos) out=$(sh "$SERVERS_DIR/xandikos.sh") ;;
        radicale) out=$(sh "$SERVERS_DIR/radicale.sh") ;;
        *) die "unknown server '$kind' in CALDAV_SERVERS" ;;
    esac
    # export every KEY=VALUE line; only upper-case names are accepted
    while IFS= read -r line; do
        case "$line" in
            *_STARTED=1) started="$started $kind" ;;
        esac
        key=${line%%=*}
        case "$key" in
            ''|*[!A-Z0-9_]*) continue ;;
        esac
        export "$key=${line#*=}"
    done <<EOF
$out
EOF
done

status=0
"$@" || status=$?
exit "$status"
