#!/bin/sh
# python-caldav.sh - install python-caldav (PyPI `caldav`, pinned in
# requirements-python-caldav.txt) into a venv under the servers' state dir,
# only when that venv is missing or was built from other pins, and print
#
#   PYTHON_CALDAV=<venv>/bin/python
#
# on stdout (logs go to stderr). The e2e suite uses it to run organizer.py, so
# the organizer's side of some scenarios is played by a client nobody here wrote.
# Knobs: CALDAV_SERVERS_STATE (see tests/servers/lib.sh).
set -eu
. "$(dirname -- "$0")/../servers/lib.sh"

HERE=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
VENV="$STATE/venv-python-caldav"

lock_instance venv-python-caldav
python_venv "$VENV" "$HERE/requirements-python-caldav.txt"
"$VENV/bin/python" -c 'import caldav' || die "caldav does not import from $VENV"
echo "PYTHON_CALDAV=$VENV/bin/python"
