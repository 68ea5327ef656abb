"""organizer.py - the organizer's side of an e2e scenario, played by python-caldav.

python-caldav (PyPI `caldav`, pinned in requirements-python-caldav.txt) is a
CalDAV client nobody on this project wrote, so the scenarios that use it test
interop with someone else's reading of RFC 4791 / RFC 6638, not only with
ourselves. Run by e2e tests with the venv python that python-caldav.sh prints:

    python organizer.py < request.json  > answer.json

The request is one JSON object:
    {"server": {"url", "auth": "basic" | "x-remote-user", "user", "password"},
     "calendar": "<calendar collection URL>",
     "action": "invite" | "reschedule",
     ... action fields (below)}

invite:     uid, start (ISO UTC), minutes, summary, organizer {address, cn},
            attendees [{address, cn}], rrule (optional, e.g. "FREQ=DAILY;COUNT=5")
reschedule: uid, shiftMinutes (moves DTSTART/DTEND of the event; python-caldav
            bumps SEQUENCE itself on save), set (optional {property: text value})

The answer: {"url", "data", "requests": [{method, url, status, sent}]} where
`sent` holds the precondition headers python-caldav chose (If-Match,
If-None-Match, If-Schedule-Tag-Match); errors go to stderr with exit status 1.
"""

import json
import sys
from datetime import datetime, timedelta, timezone

import caldav
from icalendar import Calendar, Event, vCalAddress, vText

PRECONDITIONS = ("if-match", "if-none-match", "if-schedule-tag-match")


def connect(server):
    """A DAVClient authenticated as server.user the way the server expects."""
    if server["auth"] == "basic":
        return caldav.DAVClient(url=server["url"], username=server["user"], password=server["password"])
    if server["auth"] == "x-remote-user":
        return caldav.DAVClient(url=server["url"], headers={"X-Remote-User": server["user"]})
    raise ValueError("unknown auth %r" % server["auth"])


def record_requests(client, log):
    """Wraps client.request so every request's method, URL, status and preconditions are logged."""
    inner = client.request

    def request(url, method="GET", body="", headers=None, *args, **kwargs):
        sent = {k.lower(): v for k, v in (headers or {}).items() if k.lower() in PRECONDITIONS}
        response = inner(url, method, body, headers, *args, **kwargs)
        log.append({"method": method, "url": str(url), "status": response.status, "sent": sent})
        return response

    client.request = request


def address(spec):
    """An ORGANIZER / ATTENDEE value with its CN."""
    value = vCalAddress(spec["address"])
    value.params["CN"] = vText(spec["cn"])
    return value


def invite(calendar, req):
    """Creates the organizer's event inviting the attendees; the server schedules it."""
    start = datetime.fromisoformat(req["start"].replace("Z", "+00:00")).astimezone(timezone.utc)
    event = Event()
    event.add("uid", req["uid"])
    event.add("dtstamp", datetime.now(timezone.utc))
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=req.get("minutes", 60)))
    event.add("sequence", 0)
    event.add("summary", req["summary"])
    event.add("transp", "OPAQUE")
    if req.get("rrule"):
        event.add("rrule", dict(part.split("=", 1) for part in req["rrule"].split(";")))
    event["organizer"] = address(req["organizer"])
    chair = address(req["organizer"])
    chair.params.update({"PARTSTAT": "ACCEPTED", "ROLE": "CHAIR", "CUTYPE": "INDIVIDUAL"})
    event.add("attendee", chair)
    for spec in req["attendees"]:
        attendee = address(spec)
        attendee.params.update(
            {"PARTSTAT": "NEEDS-ACTION", "ROLE": "REQ-PARTICIPANT", "CUTYPE": "INDIVIDUAL", "RSVP": "TRUE"}
        )
        event.add("attendee", attendee)
    cal = Calendar()
    cal.add("prodid", "-//caldav-sched e2e//python-caldav organizer//EN")
    cal.add("version", "2.0")
    cal.add_component(event)
    return calendar.add_event(ical=cal.to_ical().decode("utf-8"), no_overwrite=True)


def reschedule(calendar, req):
    """Moves the event by shiftMinutes and saves it (python-caldav picks the precondition)."""
    event = calendar.get_event_by_uid(req["uid"])
    event.load()
    component = event.icalendar_component
    shift = timedelta(minutes=req["shiftMinutes"])
    for name in ("dtstart", "dtend"):
        moved = component.decoded(name) + shift
        del component[name]
        component.add(name, moved)
    for name, value in req.get("set", {}).items():
        if name in component:
            del component[name]
        component.add(name, value)
    event.save()
    return event


def main():
    req = json.load(sys.stdin)
    client = connect(req["server"])
    log = []
    record_requests(client, log)
    calendar = client.calendar(url=req["calendar"])
    actions = {"invite": invite, "reschedule": reschedule}
    if req["action"] not in actions:
        raise ValueError("unknown action %r" % req["action"])
    event = actions[req["action"]](calendar, req)
    json.dump({"url": str(event.url), "data": event.data, "requests": log}, sys.stdout)


if __name__ == "__main__":
    main()
