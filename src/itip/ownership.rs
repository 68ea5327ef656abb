//! THE ownership table: who may change what in a scheduling object (RFC 6638 §3.2.2.1, §7.3;
//! PROTOCOL.md §2; the anchors' consensus table in anchors/NOTES.md §7).
//!
//! - **Attendee-owned** (personal to the copy's owner): my PARTSTAT and the few ATTENDEE
//!   parameters of mine the RFC lets me change, TRANSP, VALARMs, PERCENT-COMPLETE, COMPLETED,
//!   EXDATEs I add, overrides that carry only those, plus the app's personal list (which may
//!   not name anything organizer-owned or structural: [`check_personal`]).
//! - **Organizer-owned**: everything else (times, recurrence, texts, STATUS, SEQUENCE, the
//!   attendee list, other attendees' parameters apart from their replies).
//! - **Server-owned**: SCHEDULE-STATUS (unless SCHEDULE-AGENT=CLIENT on that line: then mine on
//!   the ORGANIZER and on my own ATTENDEE line, RFC 6638 §3.2.2.1 item 10) and the
//!   bookkeeping DTSTAMP / LAST-MODIFIED / CREATED / PRODID / CALSCALE, which never conflict.
//! - **Reply**: another attendee's PARTSTAT / RSVP / SCHEDULE-STATUS on the organizer's copy: set by
//!   that attendee's reply, kept unless the organizer deliberately changed that attendee.

use crate::error::{Error, ErrorCode, Result};
use crate::ical::Property;

/// Who owns a property or parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    /// The copy's owner as attendee: personal data (alarms, TRANSP, own answer...).
    Attendee,
    /// The organizer: the shared description of the event.
    Organizer,
    /// The server: scheduling status and bookkeeping. Never merged, never a conflict.
    Server,
    /// Another attendee, through their reply (PARTSTAT, RSVP on their ATTENDEE line).
    Reply,
}

/// Component properties every attendee may change in their copy (RFC 6638 §3.2.2.1 items 2-4).
const ATTENDEE_PROPERTIES: &[&str] = &["TRANSP", "PERCENT-COMPLETE", "COMPLETED"];

/// Bookkeeping properties: the server's or client's housekeeping, never a change to merge
/// (RFC 6638 §3.2.2.1 items 6, 7, 9).
const BOOKKEEPING_PROPERTIES: &[&str] = &[
    "DTSTAMP",
    "LAST-MODIFIED",
    "CREATED",
    "PRODID",
    "CALSCALE",
    "METHOD",
    "VERSION",
];

/// Per-user properties that clients write into attendee copies and that the anchors keep per
/// user (Thunderbird's alarm bookkeeping, Apple's per-attendee properties, CalendarServer's
/// private comment). Apps add more with `personal`.
pub const DEFAULT_PERSONAL: &[&str] = &[
    "X-MOZ-LASTACK",
    "X-MOZ-SNOOZE-TIME*",
    "X-APPLE-NEEDS-REPLY",
    "X-APPLE-TRAVEL-*",
    "X-CALENDARSERVER-PRIVATE-COMMENT",
];

/// Names the app's personal list may not take: what PROTOCOL.md §2.2 calls organizer-owned
/// (times, recurrence, texts, STATUS) and the scheduling structure (UID, RECURRENCE-ID,
/// SEQUENCE, ORGANIZER, ATTENDEE, DTSTAMP, METHOD, VERSION). Kept from my copy, they would undo
/// the organizer's update (RFC 6638 §3.2.2.1 lists none of them as the attendee's).
const NEVER_PERSONAL: &[&str] = &[
    "DTSTART",
    "DTEND",
    "DURATION",
    "DUE",
    "RRULE",
    "RDATE",
    "EXDATE",
    "EXRULE",
    "RECURRENCE-ID",
    "SUMMARY",
    "LOCATION",
    "DESCRIPTION",
    "STATUS",
    "SEQUENCE",
    "UID",
    "ORGANIZER",
    "ATTENDEE",
    "DTSTAMP",
    "METHOD",
    "VERSION",
];

/// True when an entry of a personal list names property `name`: the same name, or a prefix
/// ending in `*` (`X-APPLE-*`), in any letter case.
fn covers(entry: &str, name: &str) -> bool {
    match entry.strip_suffix('*') {
        Some(prefix) => name
            .as_bytes()
            .get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes())),
        None => name.eq_ignore_ascii_case(entry),
    }
}

/// Checks the app's personal list: `INVALID_OPTION` (misuse) for a name, or a `*` pattern
/// covering one, that is the organizer's or part of the scheduling structure (DTSTART,
/// SUMMARY, SEQUENCE, UID, ORGANIZER, ATTENDEE, ...).
pub fn check_personal<S: AsRef<str>>(personal: &[S]) -> Result<()> {
    for p in personal {
        let name = p.as_ref().trim();
        if let Some(owned) = NEVER_PERSONAL.iter().find(|owned| covers(name, owned)) {
            return Err(Error::new(
                ErrorCode::InvalidOption,
                format!(
                    "`personal` cannot name {name}: {owned} is the organizer's or part of the \
                     scheduling structure, and keeping your copy of it would undo the \
                     organizer's update; `personal` is for your own extra properties such as \
                     COLOR, CATEGORIES, X-APPLE-*"
                ),
            ));
        }
    }
    Ok(())
}

/// My own ATTENDEE parameters that are mine to change: my answer, whether I want to be asked,
/// whom I delegated to, and who answered for me (RFC 6638 §3.2.2.1 item 1; RFC 5546 §3.2.2.3,
/// §2.1.3: SENT-BY is set by whoever answers, as `attendeeReply` writes it).
const MY_ATTENDEE_PARAMS: &[&str] = &["PARTSTAT", "RSVP", "DELEGATED-TO", "SENT-BY"];

/// Another attendee's parameters set by that attendee's reply (RFC 6638 §3.2.10.1, §4.2).
const REPLY_PARAMS: &[&str] = &["PARTSTAT", "RSVP", "DELEGATED-TO", "SENT-BY"];

/// The ownership policy: the table above plus the app's personal list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ownership {
    personal: Vec<String>,
}

impl Default for Ownership {
    fn default() -> Self {
        Ownership::new(&[] as &[&str])
    }
}

impl Ownership {
    /// The table with the app's extra personal property names added to [`DEFAULT_PERSONAL`].
    /// A name ending in `*` is a prefix pattern (`X-APPLE-*`); names are case-insensitive.
    pub fn new<S: AsRef<str>>(personal: &[S]) -> Ownership {
        let mut list: Vec<String> = DEFAULT_PERSONAL
            .iter()
            .map(|s| s.to_ascii_uppercase())
            .collect();
        for p in personal {
            let p = p.as_ref().trim().to_ascii_uppercase();
            if !p.is_empty() && !list.contains(&p) {
                list.push(p);
            }
        }
        Ownership { personal: list }
    }

    /// True when the app's personal list (or the default one) names this property.
    pub fn is_personal(&self, name: &str) -> bool {
        self.personal.iter().any(|p| covers(p, name))
    }

    /// Who owns a property of a VEVENT/VTODO/VJOURNAL (not ATTENDEE/ORGANIZER lines as a whole,
    /// see [`Ownership::param_owner`], and not VALARM components, which are always attendee-owned).
    pub fn property_owner(&self, name: &str) -> Owner {
        if is_bookkeeping(name) {
            Owner::Server
        } else if ATTENDEE_PROPERTIES
            .iter()
            .any(|n| n.eq_ignore_ascii_case(name))
            || self.is_personal(name)
        {
            Owner::Attendee
        } else {
            Owner::Organizer
        }
    }

    /// Who owns a sub-component other than VALARM (an X- or IANA component, RFC 5545 §3.6),
    /// inside a VEVENT/VTODO/VJOURNAL or at the top of the VCALENDAR: like an X- property, the
    /// organizer's unless the app's personal list names it (PROTOCOL.md §2.2: X- data is not in
    /// the attendee's list, a portability risk).
    pub fn component_owner(&self, name: &str) -> Owner {
        if self.is_personal(name) {
            Owner::Attendee
        } else {
            Owner::Organizer
        }
    }

    /// Who owns parameter `param` of an ATTENDEE or ORGANIZER line. `mine` says whether the line
    /// is the user's own (my ATTENDEE as attendee, the ORGANIZER as organizer). `line` is the
    /// line as the merge writes it: its SCHEDULE-AGENT decides who owns SCHEDULE-STATUS, so a
    /// merge passes the server's line unless it carries my SCHEDULE-AGENT change.
    pub fn param_owner(&self, line: &Property, param: &str, mine: bool) -> Owner {
        let client_scheduled = line
            .param_value("SCHEDULE-AGENT")
            .is_some_and(|v| v.eq_ignore_ascii_case("CLIENT"));
        let is = |list: &[&str]| list.iter().any(|n| n.eq_ignore_ascii_case(param));
        if param.eq_ignore_ascii_case("SCHEDULE-STATUS") {
            // RFC 6638 §7.3: server-owned, unless the client does the scheduling for this line;
            // then it is the client's: mine on the ORGANIZER and on my own ATTENDEE line
            // (§3.2.2.1 item 10 lets the attendee change it on ATTENDEE lines with
            // SCHEDULE-AGENT=CLIENT), the organizer's on the other attendees' lines.
            return if !client_scheduled {
                Owner::Server
            } else if line.is("ORGANIZER") || mine {
                Owner::Attendee
            } else {
                Owner::Organizer
            };
        }
        if line.is("ORGANIZER") {
            // An attendee may ask the server to re-send a reply (RFC 6638 §7.2).
            return if param.eq_ignore_ascii_case("SCHEDULE-FORCE-SEND") {
                Owner::Attendee
            } else {
                Owner::Organizer
            };
        }
        if mine && is(MY_ATTENDEE_PARAMS) {
            Owner::Attendee
        } else if !mine && is(REPLY_PARAMS) {
            Owner::Reply
        } else {
            Owner::Organizer
        }
    }
}

/// True for bookkeeping properties (DTSTAMP, LAST-MODIFIED, CREATED, PRODID, CALSCALE, METHOD,
/// VERSION): differences there are never changes to merge.
pub fn is_bookkeeping(name: &str) -> bool {
    BOOKKEEPING_PROPERTIES
        .iter()
        .any(|n| n.eq_ignore_ascii_case(name))
}

/// Properties that describe *when* a component happens: a change by the organizer is a
/// reschedule (RFC 6638 §3.2.8; RFC 5546 §2.1.4).
pub const TIME_PROPERTIES: &[&str] = &["DTSTART", "DTEND", "DURATION", "DUE"];

/// Recurrence properties of a master: changes may add, move or remove instances.
pub const RECURRENCE_PROPERTIES: &[&str] = &["RRULE", "RDATE", "EXDATE", "EXRULE"];

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::TestResult;

    use crate::test_support::line as p;

    #[test]
    fn table() {
        let o = Ownership::new(&["COLOR", "X-APPLE-*"]);
        assert_eq!(o.property_owner("transp"), Owner::Attendee);
        assert_eq!(o.property_owner("SUMMARY"), Owner::Organizer);
        assert_eq!(o.property_owner("DTSTAMP"), Owner::Server);
        assert_eq!(o.property_owner("COLOR"), Owner::Attendee);
        assert_eq!(o.property_owner("X-APPLE-TRAVEL-DURATION"), Owner::Attendee);
        assert_eq!(o.property_owner("X-MOZ-LASTACK"), Owner::Attendee);
        assert_eq!(o.property_owner("X-FOO"), Owner::Organizer);
        assert_eq!(
            Ownership::default().property_owner("COLOR"),
            Owner::Organizer
        );
        assert_eq!(o.component_owner("X-APPLE-STRUCTURED"), Owner::Attendee);
        assert_eq!(o.component_owner("X-THING"), Owner::Organizer);
    }

    #[test]
    fn parameters() -> TestResult {
        let o = Ownership::default();
        let me = p("ATTENDEE;PARTSTAT=ACCEPTED;ROLE=CHAIR:mailto:w@x")?;
        assert_eq!(o.param_owner(&me, "partstat", true), Owner::Attendee);
        assert_eq!(o.param_owner(&me, "ROLE", true), Owner::Organizer);
        assert_eq!(o.param_owner(&me, "PARTSTAT", false), Owner::Reply);
        assert_eq!(o.param_owner(&me, "SCHEDULE-STATUS", false), Owner::Server);
        let org = p("ORGANIZER;SCHEDULE-AGENT=CLIENT;SCHEDULE-STATUS=1.1:mailto:c@x")?;
        assert_eq!(
            o.param_owner(&org, "SCHEDULE-STATUS", false),
            Owner::Attendee
        );
        let client_att = p("ATTENDEE;SCHEDULE-AGENT=CLIENT:mailto:b@x")?;
        assert_eq!(
            o.param_owner(&client_att, "SCHEDULE-STATUS", false),
            Owner::Organizer
        );
        // RFC 6638 §3.2.2.1 item 10: on my own client-scheduled ATTENDEE line it is mine.
        assert_eq!(
            o.param_owner(&client_att, "SCHEDULE-STATUS", true),
            Owner::Attendee
        );
        assert_eq!(o.param_owner(&me, "SCHEDULE-STATUS", true), Owner::Server);
        Ok(())
    }
}
