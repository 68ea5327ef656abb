#!/bin/sh
# xandikos.sh - start a throwaway Xandikos 0.4.10 CalDAV server (RFC 6638
# implicit scheduling, Schedule-Tag, If-Schedule-Tag-Match) on 127.0.0.1.
#
#   tests/servers/xandikos.sh
#   eval "$(tests/servers/xandikos.sh)"   # export the printed variables
#
# Installs the pinned requirements-xandikos.txt into a venv under
# $CALDAV_SERVERS_STATE/venv-xandikos only when that venv is missing or was built
# from other pins. Runs "xandikos multi-user" with
# --trust-x-remote-user-from 127.0.0.1: a request acts as user U when it carries
# the header "X-Remote-User: U" (Xandikos refuses Basic auth without HTTPS).
# Creates users cyrus, wilfredo, bernard (principal, calendar, inbox, outbox and
# the calendar-user-address-set mailto:U@$CALDAV_DOMAIN that scheduling needs),
# waits until it answers and prints KEY=VALUE lines on stdout (logs on stderr):
#   XANDIKOS_URL, XANDIKOS_AUTH=x-remote-user, XANDIKOS_USERS, XANDIKOS_PASSWORD
#   (unused, for symmetry), XANDIKOS_DOMAIN, XANDIKOS_PRINCIPAL_<USER>,
#   XANDIKOS_CALENDAR_<USER>, XANDIKOS_INBOX_<USER>, XANDIKOS_STATE,
#   XANDIKOS_PID, XANDIKOS_STARTED (0 = it was already running)
# A running instance is reused; a cold start begins with empty calendars unless
# CALDAV_SERVERS_KEEP_DATA=1.
#
# Knobs: XANDIKOS_PORT (18090) and those of lib.sh.
# Stop: tests/servers/stop.sh xandikos
set -eu
. "$(dirname -- "$0")/lib.sh"

NAME=xandikos; PREFIX=XANDIKOS
begin_python_server 18090
mkdir -p "$INST/data" "$INST/state"

log "starting $NAME on $URL"
# own session, no inherited stdio: the server outlives this script and must not
# hold the caller's pipes open
setsid "$VENV/bin/python" -m xandikos multi-user -d "$INST/data" --state-dir "$INST/state" \
    -l 127.0.0.1 -p "$PORT" --defaults --no-detect-systemd \
    --trust-x-remote-user-from 127.0.0.1 </dev/null >"$LOGFILE" 2>&1 9>&- &
echo $! > "$PIDFILE"
wait_http "$URL/" "$PIDFILE" "$LOGFILE"

for u in $USERS; do
    # the first request as U creates U's principal, calendars/calendar/, inbox/, outbox/
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -X PROPFIND -H 'Depth: 0' \
        -H "X-Remote-User: $u" "$URL/$u/")
    [ "$code" = 207 ] || die "PROPFIND on the principal of $u answered $code"
    # scheduling finds a user only through its calendar-user-address-set
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -X PROPPATCH \
        -H "X-Remote-User: $u" -H 'Content-Type: application/xml; charset=utf-8' \
        --data-binary "<?xml version=\"1.0\" encoding=\"utf-8\"?>
<D:propertyupdate xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\">
  <D:set><D:prop><C:calendar-user-address-set>
    <D:href>mailto:$u@$DOMAIN</D:href>
  </C:calendar-user-address-set></D:prop></D:set>
</D:propertyupdate>" "$URL/$u/")
    [ "$code" = 207 ] || die "PROPPATCH of the address of $u answered $code"
done

{
    env_common x-remote-user
    for u in $USERS; do
        U=$(echo "$u" | tr '[:lower:]' '[:upper:]')
        echo "${PREFIX}_PRINCIPAL_$U=$URL/$u/"
        echo "${PREFIX}_CALENDAR_$U=$URL/$u/calendars/calendar/"
        echo "${PREFIX}_INBOX_$U=$URL/$u/inbox/"
    done
} > "$INST/env"
env_finish "start + users"
