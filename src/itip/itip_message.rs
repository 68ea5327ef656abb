//! The iTIP messages a client sends itself when the ORGANIZER says SCHEDULE-AGENT=CLIENT: the
//! REPLY to the organizer and, when I delegate, the REQUEST forwarded to my delegates.
//!
//! **REPLY** (RFC 5546 §3.2.3 for VEVENT, §3.4.3 for VTODO; iTIP has none for VJOURNAL): one
//! component per answered instance (same UID; RECURRENCE-ID for instances), each with:
//! UID, DTSTAMP (now), RECURRENCE-ID, DTSTART and DTEND/DURATION/DUE and SUMMARY (so a mail
//! client can show what is answered), SEQUENCE (echoed, RFC 5546 §2.1.4: never bumped), ORGANIZER,
//! my ATTENDEE, the ATTENDEEs I delegated to (RFC 5546 §3.2.2.3: the REPLY "MUST" include a
//! new ATTENDEE for the delegate), VTODO progress (PERCENT-COMPLETE, COMPLETED; §3.4.3), the
//! COMMENT if given, and `REQUEST-STATUS:2.0;Success`. Never: VALARM (§3.2.3 "VALARM 0"), other
//! attendees, SCHEDULE-AGENT / SCHEDULE-STATUS / SCHEDULE-FORCE-SEND (RFC 6638 §7.1-7.3 forbid
//! them in iTIP), RSVP on my line (RFC 5545 §3.2.17: it asks for a reply; a reply asks none).
//!
//! **Forwarded REQUEST** (RFC 5546 §3.2.2.3, §4.2.5: the delegator "MUST also send a copy of the
//! original REQUEST method to the Delegate" with my DELEGATED-TO and the delegate's
//! DELEGATED-FROM line): every component in which a delegate of this call is now listed as
//! delegated from me, whole, with two things left out: my VALARMs (they are mine, not the
//! organizer's) and the SCHEDULE-* parameters. A master whose overrides the delegate is not on
//! gets an EXDATE for each of them (with RECURRENCE-ID's value type and TZID), so the delegate's
//! calendar does not show those instances as theirs.
//!
//! Both messages carry every VTIMEZONE a TZID in them names (PROTOCOL.md §12 item 4) and are
//! written canonically (CRLF, folded at 75 octets).

use crate::error::Result;
use crate::ical::{is_mailto, same_address, Component, Node, Property};
use crate::itip::identity::{is_scheduling_component, Me};

/// The parameters the server owns, stripped from every line of an iTIP message.
const SCHEDULING_PARAMS: [&str; 3] = ["SCHEDULE-AGENT", "SCHEDULE-STATUS", "SCHEDULE-FORCE-SEND"];

/// Properties copied (when present) before the ORGANIZER/ATTENDEE lines, in this order.
const CONTEXT: [&str; 6] = [
    "RECURRENCE-ID",
    "DTSTART",
    "DTEND",
    "DURATION",
    "DUE",
    "SEQUENCE",
];

/// Builds the METHOD:REPLY for the answered components of `calendar` (already updated).
pub fn build_reply(
    calendar: &Component,
    answered: &[&Component],
    me: &Me,
    now: &str,
    comment: Option<&str>,
) -> Result<String> {
    let parts = answered
        .iter()
        .map(|c| reply_component(c, me, now, comment))
        .collect::<Result<Vec<_>>>()?;
    message(calendar, "REPLY", parts)
}

/// Builds the METHOD:REQUEST forwarding the invitation to `delegates` (see the module doc), or
/// `None` when no component of `calendar` (already updated) lists one of them as delegated from
/// me.
pub fn build_forward(
    calendar: &Component,
    me: &Me,
    delegates: &[String],
) -> Result<Option<String>> {
    let theirs = |c: &Component| {
        c.properties_named("ATTENDEE").any(|a| {
            delegates.iter().any(|d| same_address(a.value(), d))
                && a.param_values("DELEGATED-FROM")
                    .iter()
                    .any(|f| me.matches(f))
        })
    };
    let series: Vec<&Component> = calendar
        .components()
        .filter(|c| is_scheduling_component(c))
        .collect();
    if !series.iter().any(|c| theirs(c)) {
        return Ok(None);
    }
    let mut parts = Vec::new();
    for c in series.iter().filter(|c| theirs(c)) {
        let mut part = forwarded(c)?;
        if c.property("RECURRENCE-ID").is_none() {
            let not_theirs = series.iter().filter(|o| !theirs(o));
            for rid in not_theirs.filter_map(|o| o.property("RECURRENCE-ID")) {
                part.push_property(excluded(rid)?);
            }
        }
        parts.push(part);
    }
    message(calendar, "REQUEST", parts).map(Some)
}

/// A VCALENDAR with METHOD `method`, the VTIMEZONEs of `calendar` that a TZID in `parts` names,
/// then `parts`, as text.
fn message(calendar: &Component, method: &str, parts: Vec<Component>) -> Result<String> {
    let mut out = Component::new("VCALENDAR")?;
    out.push_property(Property::new(
        "PRODID",
        "-//caldav-sched//attendeeReply//EN",
    )?);
    out.push_property(Property::new("VERSION", "2.0")?);
    out.push_property(Property::new("METHOD", method)?);
    let mut tzids: Vec<String> = Vec::new();
    for part in &parts {
        collect_tzids(part, &mut tzids);
    }
    for vtz in calendar.components_named("VTIMEZONE") {
        let id = vtz.value_of("TZID").unwrap_or_default().trim();
        if tzids.iter().any(|t| t == id) {
            out.push_component(canonical(vtz, false)?);
        }
    }
    for part in parts {
        out.push_component(part);
    }
    Ok(String::from_utf8_lossy(&out.to_bytes()).into_owned())
}

/// Every TZID parameter value in `c` and its subcomponents, once each.
fn collect_tzids(c: &Component, tzids: &mut Vec<String>) {
    for p in c.properties() {
        if let Some(t) = p.param_value("TZID") {
            if !tzids.contains(&t) {
                tzids.push(t);
            }
        }
    }
    for sub in c.components() {
        collect_tzids(sub, tzids);
    }
}

/// A component as forwarded to a delegate: whole, canonical, without VALARMs and without
/// SCHEDULE-* parameters.
fn forwarded(c: &Component) -> Result<Component> {
    let mut out = canonical(c, true)?;
    for node in &mut out.children {
        if let Node::Property(p) = node {
            for name in SCHEDULING_PARAMS {
                p.remove_param(name);
            }
        }
    }
    Ok(out)
}

/// The EXDATE that leaves out the instance an override's RECURRENCE-ID names (same value type
/// and TZID; RANGE does not belong on an EXDATE).
fn excluded(recurrence_id: &Property) -> Result<Property> {
    let rest = recurrence_id
        .text()
        .get(recurrence_id.name().len()..)
        .unwrap_or_default();
    let mut exdate = Property::parse(&format!("EXDATE{rest}"), 0)?;
    exdate.remove_param("RANGE");
    Ok(exdate)
}

fn reply_component(c: &Component, me: &Me, now: &str, comment: Option<&str>) -> Result<Component> {
    let mut part = Component::new(c.name())?;
    let copy = |p: &Property| Property::parse(p.text(), 0);
    if let Some(uid) = c.property("UID") {
        part.push_property(copy(uid)?);
    }
    part.push_property(Property::new("DTSTAMP", now)?);
    for name in CONTEXT {
        if let Some(p) = c.property(name) {
            part.push_property(copy(p)?);
        }
    }
    if let Some(p) = c.property("SUMMARY") {
        part.push_property(copy(p)?);
    }
    if let Some(org) = c.property("ORGANIZER") {
        part.push_property(strip(copy(org)?, false));
    }
    let mine: Vec<&Property> = c
        .properties_named("ATTENDEE")
        .filter(|a| me.is(a))
        .collect();
    // One ATTENDEE for me (RFC 5546 §3.2.3); of several lines of mine, a mailto: one, since the
    // client sends the REPLY by iMIP, whose addresses "MUST" be mailto: URIs (RFC 6047 §2.3).
    let mailto = mine.iter().find(|a| is_mailto(a.value()));
    if let Some(a) = mailto.or(mine.first()) {
        part.push_property(strip(copy(a)?, true));
    }
    let delegated = mine.iter().any(|a| {
        a.param_value("PARTSTAT")
            .is_some_and(|v| v.eq_ignore_ascii_case("DELEGATED"))
    });
    if delegated {
        for a in c.properties_named("ATTENDEE") {
            let from_me = a
                .param_values("DELEGATED-FROM")
                .iter()
                .any(|f| me.matches(f));
            if from_me && !me.is(a) {
                part.push_property(strip(copy(a)?, false));
            }
        }
    }
    if c.is("VTODO") {
        for name in ["PERCENT-COMPLETE", "COMPLETED"] {
            if let Some(p) = c.property(name) {
                part.push_property(copy(p)?);
            }
        }
    }
    if let Some(text) = comment.filter(|t| !t.trim().is_empty()) {
        part.push_property(Property::new_text("COMMENT", text)?);
    }
    part.push_property(Property::new("REQUEST-STATUS", "2.0;Success")?);
    Ok(part)
}

fn strip(mut p: Property, rsvp: bool) -> Property {
    for name in SCHEDULING_PARAMS {
        p.remove_param(name);
    }
    if rsvp {
        p.remove_param("RSVP");
    }
    p
}

/// A copy written canonically (every line re-serialised): the message is new text, so it gets
/// one consistent line ending whatever the stored copy used. `without_alarms` leaves VALARMs out.
fn canonical(c: &Component, without_alarms: bool) -> Result<Component> {
    let mut out = Component::new(c.name())?;
    for node in &c.children {
        match node {
            Node::Property(p) => out
                .children
                .push(Node::Property(Property::parse(p.text(), 0)?)),
            Node::Component(sub) if without_alarms && sub.is("VALARM") => {}
            Node::Component(sub) => out
                .children
                .push(Node::Component(canonical(sub, without_alarms)?)),
            Node::Verbatim(_) => {}
        }
    }
    Ok(out)
}
