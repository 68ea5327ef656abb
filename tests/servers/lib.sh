# lib.sh - helpers shared by the server scripts in tests/servers/ (sourced, not run).
#
# Every server gets an instance directory "$STATE/<name>/" holding its config,
# data, log, pid file and the "env" file the start script prints. Installs that
# take a while (Python venvs) live in "$STATE/venv-<name>/" and survive restarts.
#
# Common knobs:
#   CALDAV_SERVERS_STATE  root of all state   default ${TMPDIR:-/tmp}/caldav-sched-servers
#   CALDAV_SERVERS_RESET  1 = wipe the instance data before starting (installs are kept)
#   CALDAV_PASSWORD       password of every calendar user          default secret
#   CALDAV_DOMAIN         user X has the address mailto:X@DOMAIN   default example.com
#   CALDAV_START_TIMEOUT  seconds to wait for a server to answer   default 60

STATE="${CALDAV_SERVERS_STATE:-${TMPDIR:-/tmp}/caldav-sched-servers}"
PASSWORD="${CALDAV_PASSWORD:-secret}"
DOMAIN="${CALDAV_DOMAIN:-example.com}"
START_TIMEOUT="${CALDAV_START_TIMEOUT:-60}"
# organizer, attendee, second attendee (as in RFC 6638 Appendix B)
USERS="cyrus wilfredo bernard"
SERVERS_DIR=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)

log() { printf '[%s] %s\n' "$(basename "$0")" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# seconds since the epoch, with milliseconds, for timings
now_ms() { date +%s%3N; }
elapsed_s() { awk -v a="$1" -v b="$(now_ms)" 'BEGIN { printf "%.1f", (b - a) / 1000 }'; }

# proc_running PID: the process exists and is not a zombie (an exited server
# stays a zombie until PID 1 reaps it, which some container inits do late)
proc_running() {
    kill -0 "$1" 2>/dev/null || return 1
    if [ -r "/proc/$1/status" ] && grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; then return 1; fi
    return 0
}

# pid_alive PIDFILE: the process named in PIDFILE is running
pid_alive() { [ -s "$1" ] && proc_running "$(cat "$1")"; }

# stop_pid NAME PIDFILE: SIGTERM the process of PIDFILE, wait (bounded) for it
# to go, SIGKILL it if it does not, remove the pid file.
stop_pid() {
    if ! pid_alive "$2"; then rm -f "$2"; return 1; fi
    pid=$(cat "$2")
    kill "$pid" 2>/dev/null || true
    deadline=$(( $(date +%s) + 15 ))
    while proc_running "$pid" && [ "$(date +%s)" -lt "$deadline" ]; do sleep 0.1; done
    if proc_running "$pid"; then kill -9 "$pid" 2>/dev/null || true; fi
    rm -f "$2"
    log "stopped $1 (pid $pid)"
}

# wait_http URL PIDFILE LOGFILE: poll URL until the server answers any HTTP
# status, for at most START_TIMEOUT seconds; fail early if the process died.
wait_http() {
    deadline=$(( $(date +%s) + START_TIMEOUT ))
    while :; do
        code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1" || true)
        if [ -n "$code" ] && [ "$code" != 000 ]; then return 0; fi
        pid_alive "$2" || die "server exited before answering; see $3"
        [ "$(date +%s)" -lt "$deadline" ] || die "no answer from $1 after ${START_TIMEOUT}s; see $3"
        sleep 0.1
    done
}

# port_busy PORT: something accepts TCP connections on 127.0.0.1:PORT (any
# protocol; curl exits 7 only when the connection is refused)
port_busy() {
    rc=0
    curl -s --max-time 1 -o /dev/null "telnet://127.0.0.1:$1" </dev/null || rc=$?
    [ "$rc" != 7 ]
}

# apt_install PACKAGE...: install Debian packages without starting their services
apt_install() {
    [ "$(id -u)" = 0 ] || die "installing $* needs root (apt-get)"
    t0=$(now_ms)
    tmp_policy=""
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        # keep maintainer scripts from starting stock daemons on all interfaces
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
        chmod 755 /usr/sbin/policy-rc.d
        tmp_policy=1
    fi
    if ! ls /var/lib/apt/lists/*_Packages* >/dev/null 2>&1; then
        apt-get -o DPkg::Lock::Timeout=300 update -q >&2
    fi
    status=0
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -q \
        --no-install-recommends "$@" >&2 || status=$?
    if [ -n "$tmp_policy" ]; then rm -f /usr/sbin/policy-rc.d; fi
    [ "$status" = 0 ] || die "apt-get install $* failed"
    log "apt-get installed $* in $(elapsed_s "$t0")s"
}

# need_curl: curl is the readiness probe of every script
need_curl() { command -v curl >/dev/null 2>&1 || apt_install curl ca-certificates; }

# python_venv DIR REQUIREMENTS: create a venv in DIR and install the pinned
# REQUIREMENTS into it, unless DIR already holds exactly that set (a stamp file
# keeps a copy of the requirements it was built from).
python_venv() {
    if [ -x "$1/bin/python" ] && cmp -s "$2" "$1/requirements.installed"; then return 0; fi
    t0=$(now_ms)
    py=/usr/bin/python3
    [ -x "$py" ] || py=$(command -v python3 || true)
    if [ -z "$py" ] || ! "$py" -c 'import venv, ensurepip' 2>/dev/null; then
        apt_install python3 python3-venv
        py=/usr/bin/python3
    fi
    rm -rf "$1"
    "$py" -m venv "$1" >&2
    "$1/bin/pip" install -q --disable-pip-version-check --no-deps -r "$2" >&2 \
        || { rm -rf "$1"; die "pip install -r $2 failed"; }
    "$1/bin/pip" check >&2 || { rm -rf "$1"; die "pinned requirements in $2 are inconsistent"; }
    cp "$2" "$1/requirements.installed"
    log "installed $(basename "$2") into $1 in $(elapsed_s "$t0")s"
}

# lock_instance NAME: hold an exclusive lock on NAME until this script exits, so
# two start (or stop) scripts for the same server never interleave. The lock is
# on fd 9: a server started while it is held must be given "9>&-".
lock_instance() {
    mkdir -p "$STATE"
    exec 9>"$STATE/$1.lock"
    if command -v flock >/dev/null 2>&1; then
        flock -w 600 9 || die "another script holds $STATE/$1.lock"
    fi
}

# emit_env FILE: print FILE (KEY=VALUE lines) on stdout for the caller
emit_env() { cat "$1"; }

# reuse_running: when the instance in $INST (pid in $PIDFILE) already runs, print
# its env and ${PREFIX}_STARTED=0 and end the script.
reuse_running() {
    if pid_alive "$PIDFILE" && [ -s "$INST/env" ]; then
        log "$NAME already running (pid $(cat "$PIDFILE")) at $URL"
        emit_env "$INST/env"
        echo "${PREFIX}_STARTED=0"
        exit 0
    fi
}

# begin_python_server DEFAULT_PORT: the common start of a server that runs from a
# pinned PyPI venv (Radicale, Xandikos). Needs NAME and PREFIX; sets PORT (from
# ${PREFIX}_PORT or DEFAULT_PORT), INST, VENV, PIDFILE, LOGFILE, URL and t0; reuses
# a running instance; installs the venv from requirements-$NAME.txt; clears the
# data unless CALDAV_SERVERS_KEEP_DATA=1 (CALDAV_SERVERS_RESET=1 clears anyway).
begin_python_server() {
    eval "PORT=\${${PREFIX}_PORT:-$1}"
    INST="$STATE/$NAME"
    VENV="$STATE/venv-$NAME"
    PIDFILE="$INST/$NAME.pid"
    LOGFILE="$INST/$NAME.log"
    URL="http://127.0.0.1:$PORT"
    mkdir -p "$STATE"
    lock_instance "$NAME"
    reuse_running
    need_curl
    python_venv "$VENV" "$SERVERS_DIR/requirements-$NAME.txt"
    port_busy "$PORT" && die "127.0.0.1:$PORT is taken by another process; set ${PREFIX}_PORT"
    t0=$(now_ms)
    if [ "${CALDAV_SERVERS_KEEP_DATA:-0}" != 1 ] || [ "${CALDAV_SERVERS_RESET:-0}" = 1 ]; then
        rm -rf "$INST"
    fi
    mkdir -p "$INST"
    rm -f "$INST/env"
}

# env_common AUTH: the first KEY=VALUE lines of every server's env (URL, auth,
# users, password, domain); the script adds its per-user URLs after them.
env_common() {
    echo "${PREFIX}_URL=$URL"
    echo "${PREFIX}_AUTH=$1"
    echo "${PREFIX}_USERS=$(echo "$USERS" | tr ' ' ,)"
    echo "${PREFIX}_PASSWORD=$PASSWORD"
    echo "${PREFIX}_DOMAIN=$DOMAIN"
}

# env_finish WHAT_THE_TIME_COVERS: ${PREFIX}_STATE and _PID close $INST/env, which is then
# printed with ${PREFIX}_STARTED=1.
env_finish() {
    {
        echo "${PREFIX}_STATE=$INST"
        echo "${PREFIX}_PID=$(cat "$PIDFILE")"
    } >> "$INST/env"
    log "$NAME ready in $(elapsed_s "$t0")s ($1)"
    emit_env "$INST/env"
    echo "${PREFIX}_STARTED=1"
}
