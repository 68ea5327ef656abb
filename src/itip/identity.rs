//! Who is who in a scheduling object: the user's own addresses ("me"), the ORGANIZER, the
//! user's ATTENDEE lines, the role and the SCHEDULE-AGENT (RFC 6638 §3.1, §7.1; PROTOCOL.md §8).

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorCode, Result, Warning};
use crate::ical::ascii::eq_ignore_case;
use crate::ical::text::has_unsafe_control;
use crate::ical::{
    address_has_any_key, normalize_address, same_address, Component, ComponentKind, Property,
};

/// The user's own calendar-user addresses (the principal's `calendar-user-address-set`),
/// compared after [`normalize_address`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Me {
    keys: Vec<String>,
}

impl Me {
    /// Validates and normalises the addresses: at least one, none empty, no control characters.
    pub fn new<S: AsRef<str>>(addresses: &[S]) -> Result<Me> {
        if addresses.is_empty() {
            return Err(Error::new(
                ErrorCode::InvalidOption,
                "`me` must name at least one calendar-user address",
            ));
        }
        let mut keys = Vec::with_capacity(addresses.len());
        for a in addresses {
            let a = a.as_ref();
            if has_unsafe_control(a) {
                return Err(Error::new(
                    ErrorCode::UnsafeValue,
                    "`me` contains a control character (CR, LF, NUL...)",
                ));
            }
            if a.trim().is_empty() {
                return Err(Error::new(
                    ErrorCode::InvalidOption,
                    "`me` contains an empty address",
                ));
            }
            keys.push(normalize_address(a));
        }
        Ok(Me { keys })
    }

    /// True when `address` is one of mine.
    pub fn matches(&self, address: &str) -> bool {
        address_has_any_key(address, &self.keys)
    }

    /// True when `key`, an address already through [`normalize_address`], is one of mine (saves
    /// normalising an address twice when the caller needs its key anyway).
    pub fn has_key(&self, key: &str) -> bool {
        self.keys.iter().any(|k| k == key)
    }

    /// True when this CAL-ADDRESS property (ATTENDEE, ORGANIZER) is mine.
    pub fn is(&self, property: &Property) -> bool {
        self.matches(property.value())
    }
}

/// The user's role in a scheduling object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub enum Role {
    Organizer,
    Attendee,
    None,
}

/// Who processes scheduling messages for an attendee (RFC 6638 §7.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub enum ScheduleAgent {
    /// The server sends iTIP messages (the default).
    Server,
    /// The client must send iTIP messages itself.
    Client,
    /// Nobody sends anything.
    None,
}

/// True for the components that carry scheduling (VEVENT, VTODO, VJOURNAL).
pub fn is_scheduling_component(c: &Component) -> bool {
    matches!(
        c.kind(),
        ComponentKind::Vevent | ComponentKind::Vtodo | ComponentKind::Vjournal
    )
}

/// The VEVENT/VTODO/VJOURNAL children of a VCALENDAR, in order.
pub fn scheduling_components(calendar: &Component) -> impl Iterator<Item = &Component> {
    calendar.components().filter(|c| is_scheduling_component(c))
}

/// The ORGANIZER of the object: the first ORGANIZER of its scheduling components.
pub fn organizer(calendar: &Component) -> Option<&Property> {
    scheduling_components(calendar).find_map(|c| c.property("ORGANIZER"))
}

/// Checks that every scheduling component that names an ORGANIZER names the same one (RFC 6638
/// §3.1: the ORGANIZER is the same in all components of a scheduling object resource).
/// `NOT_SCHEDULING_OBJECT` at the first line that differs: answering would send one REPLY to two
/// organizers, and a second ORGANIZER is how a forged override would take over the instance.
pub fn check_one_organizer(calendar: &Component) -> Result<()> {
    let mut first: Option<&Property> = None;
    for p in scheduling_components(calendar).filter_map(|c| c.property("ORGANIZER")) {
        match first {
            None => first = Some(p),
            Some(f) if f.value() != p.value() && !same_address(f.value(), p.value()) => {
                return Err(Error::at(
                    ErrorCode::NotSchedulingObject,
                    p.line(),
                    format!(
                        "ORGANIZER {} differs from ORGANIZER {} (line {}): a scheduling object \
                         has one organizer in all its components (RFC 6638 §3.1)",
                        p.value(),
                        f.value(),
                        f.line()
                    ),
                ))
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// The UID shared by the scheduling components. `PARSE` when there is none; `UID_MISMATCH`
/// when components disagree (a CalDAV resource holds exactly one UID, RFC 4791 §4.1).
pub fn uid(calendar: &Component) -> Result<&str> {
    let mut found: Option<&Property> = None;
    for c in scheduling_components(calendar) {
        let Some(p) = c.property("UID") else {
            return Err(Error::at(
                ErrorCode::Parse,
                c.line(),
                format!("{} has no UID", c.name()),
            ));
        };
        match found {
            Some(f) if f.value() != p.value() => {
                return Err(Error::at(
                    ErrorCode::UidMismatch,
                    p.line(),
                    format!(
                        "UID {} differs from UID {} (line {})",
                        p.value(),
                        f.value(),
                        f.line()
                    ),
                ))
            }
            Some(_) => {}
            None => found = Some(p),
        }
    }
    found.map(Property::value).ok_or_else(|| {
        Error::new(
            ErrorCode::Parse,
            "no VEVENT, VTODO or VJOURNAL in the object",
        )
    })
}

/// The user's role: organizer when the ORGANIZER is mine, attendee when an ATTENDEE is mine.
pub fn role(calendar: &Component, me: &Me) -> Role {
    if organizer(calendar).is_some_and(|o| me.is(o)) {
        return Role::Organizer;
    }
    let attends = scheduling_components(calendar)
        .flat_map(|c| c.properties_named("ATTENDEE"))
        .any(|a| me.is(a));
    if attends {
        Role::Attendee
    } else {
        Role::None
    }
}

/// True when a component has an attendee that may be a group (see [`is_group`]).
pub fn has_group(c: &Component) -> bool {
    c.properties_named("ATTENDEE").any(is_group)
}

/// True for an attendee that may be a group I am invited through: CUTYPE=GROUP or
/// CUTYPE=UNKNOWN (RFC 5546 §3.7.2: "look for Attendees where CUTYPE=GROUP or CUTYPE=UNKNOWN").
pub fn is_group(attendee: &Property) -> bool {
    attendee
        .param("CUTYPE")
        .and_then(|p| p.values().next())
        .is_some_and(|t| {
            let t = t.decoded_str();
            eq_ignore_case(&t, "GROUP") || eq_ignore_case(&t, "UNKNOWN")
        })
}

/// My ATTENDEE properties in one component (normally one; duplicates happen in the wild).
pub fn my_attendees<'a>(
    component: &'a Component,
    me: &'a Me,
) -> impl Iterator<Item = &'a Property> {
    component
        .properties_named("ATTENDEE")
        .filter(move |a| me.is(a))
}

/// The SCHEDULE-AGENT parameter of a property (ORGANIZER for an attendee copy, ATTENDEE for an
/// organizer copy). Absent means SERVER; an unknown value means the server will not schedule it
/// and is reported as a warning (RFC 6638 §7.1: treat it as not SERVER).
pub fn schedule_agent(property: Option<&Property>, warnings: &mut Vec<Warning>) -> ScheduleAgent {
    let Some(p) = property else {
        return ScheduleAgent::Server;
    };
    match p.param_value("SCHEDULE-AGENT") {
        None => ScheduleAgent::Server,
        Some(v) if v.eq_ignore_ascii_case("SERVER") => ScheduleAgent::Server,
        Some(v) if v.eq_ignore_ascii_case("CLIENT") => ScheduleAgent::Client,
        Some(v) if v.eq_ignore_ascii_case("NONE") => ScheduleAgent::None,
        Some(v) => {
            warnings.push(Warning::new(
                "UNKNOWN_SCHEDULE_AGENT",
                format!("SCHEDULE-AGENT={v} is unknown; nothing will be sent"),
                Some(p.line()),
            ));
            ScheduleAgent::None
        }
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;

    use crate::ical::Document;
    use crate::test_support::TestResult;

    const CAL: &str = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:u1\r\nORGANIZER;SCHEDULE-AGENT=X-FOO:mailto:cyrus@example.com\r\nATTENDEE:MAILTO:Wilfredo@Example.COM\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:u1\r\nRECURRENCE-ID:20270112T150000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

    #[test]
    fn roles_and_agent() -> TestResult {
        let doc = Document::parse(CAL.as_bytes())?;
        let cal = doc.calendar().ok_or("no VCALENDAR")?;
        let w = Me::new(&["/principals/w/", "mailto:wilfredo@example.com"])?;
        assert_eq!(role(cal, &w), Role::Attendee);
        let c = Me::new(&["mailto:CYRUS@example.com"])?;
        assert_eq!(role(cal, &c), Role::Organizer);
        let x = Me::new(&["mailto:x@example.com"])?;
        assert_eq!(role(cal, &x), Role::None);
        assert_eq!(uid(cal)?, "u1");
        let mut warnings = Vec::new();
        assert_eq!(
            schedule_agent(organizer(cal), &mut warnings),
            ScheduleAgent::None
        );
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].line, Some(4));
        Ok(())
    }

    #[test]
    fn a_second_organizer_is_not_a_scheduling_object() -> TestResult {
        let same = CAL.replace(
            "RECURRENCE-ID:20270112T150000Z\r\n",
            "RECURRENCE-ID:20270112T150000Z\r\nORGANIZER;CN=C:MAILTO:Cyrus@Example.com\r\n",
        );
        let doc = Document::parse(same.as_bytes())?;
        assert!(check_one_organizer(doc.calendar().ok_or("no VCALENDAR")?).is_ok());
        let other = CAL.replace(
            "RECURRENCE-ID:20270112T150000Z\r\n",
            "RECURRENCE-ID:20270112T150000Z\r\nORGANIZER:mailto:mallory@example.com\r\n",
        );
        let doc = Document::parse(other.as_bytes())?;
        let e = check_one_organizer(doc.calendar().ok_or("no VCALENDAR")?)
            .err()
            .ok_or("expected an error")?;
        assert_eq!(e.code, ErrorCode::NotSchedulingObject);
        assert_eq!(e.line, Some(10));
        // Without any ORGANIZER there is nothing to disagree.
        let doc = Document::parse(
            CAL.replace(
                "ORGANIZER;SCHEDULE-AGENT=X-FOO:mailto:cyrus@example.com\r\n",
                "",
            )
            .as_bytes(),
        )?;
        assert!(check_one_organizer(doc.calendar().ok_or("no VCALENDAR")?).is_ok());
        Ok(())
    }

    #[test]
    fn bad_me() -> TestResult {
        assert_eq!(
            Me::new::<&str>(&[]).err().ok_or("expected an error")?.code,
            ErrorCode::InvalidOption
        );
        assert_eq!(
            Me::new(&["mailto:a@x\r\n"])
                .err()
                .ok_or("expected an error")?
                .code,
            ErrorCode::UnsafeValue
        );
        Ok(())
    }

    #[test]
    fn uid_mismatch() -> TestResult {
        let text = CAL.replacen("UID:u1\r\nRECURRENCE-ID", "UID:u2\r\nRECURRENCE-ID", 1);
        let doc = Document::parse(text.as_bytes())?;
        assert_eq!(
            uid(doc.calendar().ok_or("no VCALENDAR")?)
                .err()
                .ok_or("expected an error")?
                .code,
            ErrorCode::UidMismatch
        );
        Ok(())
    }
}
