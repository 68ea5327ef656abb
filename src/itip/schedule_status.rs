//! SCHEDULE-STATUS codes (RFC 6638 §7.3) and what they mean for a UI.
//!
//! The parameter holds one `statcode` or a DQUOTEd comma list (`SCHEDULE-STATUS="2.0,2.4"`).
//! On an ATTENDEE of the organizer's copy it is the delivery status of the request to that
//! attendee, or, once the attendee answered, the REQUEST-STATUS of the reply; on the ORGANIZER
//! of an attendee's copy it is the delivery status of the attendee's reply (RFC 6638 §3.2.9,
//! §4.2). Meanings come from RFC 6638 §3.2.9 for the delivery codes (1.0, 1.1, 1.2, 3.7, 3.8,
//! 5.1, 5.2, 5.3) and from RFC 5546 §3.6 for the other REQUEST-STATUS codes; the class of any
//! code is its first digit (RFC 5545 §3.8.8.3).

use serde::{Deserialize, Serialize};

use crate::error::Warning;
use crate::ical::Property;

/// The class of a status code: its first digit (RFC 5545 §3.8.8.3, RFC 5546 §3.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub enum StatusClass {
    /// 1.x: accepted, completion pending (pending, sent, delivered).
    Preliminary,
    /// 2.x: completed (possibly with a fallback).
    Success,
    /// 3.x: not successful because of the request or the address; do not retry unchanged.
    ClientError,
    /// 4.x: not successful because of the scheduling service (e.g. a busy time).
    SchedulingError,
    /// 5.x: not delivered or not supported by the service.
    ServiceError,
    /// Not a status code this package can classify.
    Unknown,
}

/// One SCHEDULE-STATUS code with its meaning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ScheduleStatus {
    /// The code as written, e.g. `1.2`.
    pub code: String,
    /// What it means, in words a UI can show, e.g. "delivered".
    pub meaning: String,
    /// The class of the code.
    pub class: StatusClass,
    /// True when the message was not delivered or the request failed (classes 3, 4 and 5).
    pub failed: bool,
}

/// Meanings of the codes that have one: RFC 6638 §3.2.9 (delivery) first, then RFC 5546 §3.6.
const MEANINGS: [(&str, &str); 35] = [
    (
        "1.0",
        "pending: the server is still sending the scheduling message",
    ),
    (
        "1.1",
        "sent: the message left, but its delivery is not confirmed (e.g. by email)",
    ),
    ("1.2", "delivered"),
    ("2.0", "success"),
    (
        "2.1",
        "success, with a fallback taken on one or more property values",
    ),
    ("2.2", "success; an invalid property was ignored"),
    ("2.3", "success; an invalid property parameter was ignored"),
    (
        "2.4",
        "success; an unknown, non-standard property was ignored",
    ),
    (
        "2.5",
        "success; an unknown, non-standard property value was ignored",
    ),
    ("2.6", "success; an invalid calendar component was ignored"),
    (
        "2.7",
        "success; the request was forwarded to the calendar user",
    ),
    (
        "2.8",
        "success; the repeating event was scheduled as a single one",
    ),
    (
        "2.9",
        "success; an end date-time was truncated to a date boundary",
    ),
    (
        "2.10",
        "success; the repeating VTODO was scheduled as a single one",
    ),
    (
        "2.11",
        "success; an unbounded RRULE was clipped to a finite number of instances",
    ),
    ("3.0", "invalid property name"),
    ("3.1", "invalid property value"),
    ("3.2", "invalid property parameter"),
    ("3.3", "invalid property parameter value"),
    ("3.4", "invalid calendar component sequence"),
    ("3.5", "invalid date or time"),
    ("3.6", "invalid rule"),
    (
        "3.7",
        "not delivered: the address is not a valid calendar user",
    ),
    ("3.8", "not delivered: insufficient privileges"),
    ("3.9", "unsupported version"),
    ("3.10", "request entity too large"),
    ("3.11", "a required component or property is missing"),
    ("3.12", "an unknown component or property was found"),
    ("3.13", "an unsupported component or property was found"),
    ("3.14", "unsupported capability"),
    ("4.0", "event conflict: the date and time are busy"),
    ("5.0", "request not supported"),
    (
        "5.1",
        "not delivered: temporary failure, the message can be sent again later",
    ),
    (
        "5.2",
        "not delivered: no way to deliver to this address (check it; permanent)",
    ),
    (
        "5.3",
        "not delivered: scheduling with this recipient is not allowed (permanent)",
    ),
];

/// The meaning of one code; a code outside the table is described by its class.
pub fn describe(code: &str) -> ScheduleStatus {
    let code = code.trim();
    let class = class_of(code);
    let meaning = match MEANINGS.iter().find(|(c, _)| *c == code) {
        Some((_, m)) => (*m).to_string(),
        None => match class {
            StatusClass::Preliminary => "preliminary success (unregistered code)",
            StatusClass::Success => "success (unregistered code)",
            StatusClass::ClientError => "client error (unregistered code)",
            StatusClass::SchedulingError => "scheduling error (unregistered code)",
            StatusClass::ServiceError => "service error (unregistered code)",
            StatusClass::Unknown => "not a status code",
        }
        .to_string(),
    };
    ScheduleStatus {
        code: code.to_string(),
        meaning,
        failed: matches!(
            class,
            StatusClass::ClientError | StatusClass::SchedulingError | StatusClass::ServiceError
        ),
        class,
    }
}

/// The class of a code of the form `statcode = 1*DIGIT 1*2("." 1*DIGIT)` (RFC 5545 §3.8.8.3);
/// anything else is [`StatusClass::Unknown`].
fn class_of(code: &str) -> StatusClass {
    let parts: Vec<&str> = code.split('.').collect();
    let well_formed = (2..=3).contains(&parts.len())
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    if !well_formed {
        return StatusClass::Unknown;
    }
    match parts.first().copied() {
        Some("1") => StatusClass::Preliminary,
        Some("2") => StatusClass::Success,
        Some("3") => StatusClass::ClientError,
        Some("4") => StatusClass::SchedulingError,
        Some("5") => StatusClass::ServiceError,
        _ => StatusClass::Unknown,
    }
}

/// The SCHEDULE-STATUS codes of a property (ATTENDEE or ORGANIZER), in written order; `None`
/// when the parameter is absent. Both `"2.0,2.4"` and `2.0,2.4` give two codes. A value that is
/// no status code is kept (class unknown) and reported as a `BAD_SCHEDULE_STATUS` warning.
pub fn schedule_statuses(
    property: &Property,
    warnings: &mut Vec<Warning>,
) -> Option<Vec<ScheduleStatus>> {
    property.param("SCHEDULE-STATUS")?;
    let statuses: Vec<ScheduleStatus> = property
        .param_values("SCHEDULE-STATUS")
        .iter()
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(describe)
        .collect();
    for s in statuses.iter().filter(|s| s.class == StatusClass::Unknown) {
        warnings.push(Warning::new(
            "BAD_SCHEDULE_STATUS",
            format!(
                "SCHEDULE-STATUS value {:?} on {} is not a status code (e.g. 1.2)",
                s.code,
                property.name()
            ),
            Some(property.line()),
        ));
    }
    Some(statuses)
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;

    use crate::test_support::TestResult;

    #[test]
    fn delivery_codes_of_rfc6638() {
        let d = describe("1.2");
        assert_eq!(d.meaning, "delivered");
        assert_eq!(d.class, StatusClass::Preliminary);
        assert!(!d.failed);
        assert!(describe("1.0").meaning.starts_with("pending"));
        assert!(describe("1.1").meaning.starts_with("sent"));
        for code in ["3.7", "3.8", "5.1", "5.2", "5.3"] {
            let s = describe(code);
            assert!(s.failed, "{code}");
            assert!(
                s.meaning.starts_with("not delivered"),
                "{code}: {}",
                s.meaning
            );
        }
        assert!(describe("5.1").meaning.contains("temporary"));
        assert!(describe("5.3").meaning.contains("not allowed"));
        assert_eq!(describe("3.7").class, StatusClass::ClientError);
        assert_eq!(describe("5.2").class, StatusClass::ServiceError);
    }

    #[test]
    fn reply_codes_of_rfc5546_and_unregistered_ones() -> TestResult {
        assert_eq!(describe("2.0").meaning, "success");
        assert_eq!(describe(" 2.11 ").code, "2.11");
        assert!(describe("2.11").meaning.contains("clipped"));
        assert_eq!(describe("4.0").class, StatusClass::SchedulingError);
        assert!(describe("4.0").failed);
        assert_eq!(describe("5.0").meaning, "request not supported");
        let odd = describe("2.99");
        assert_eq!(odd.class, StatusClass::Success);
        assert!(odd.meaning.contains("unregistered"));
        assert!(!odd.failed);
        let odd = describe("3.1.4");
        assert_eq!(odd.class, StatusClass::ClientError);
        for bad in ["", "1", "x.y", "1..2", "6.0", "1.2.3.4", "1.2a"] {
            let s = describe(bad);
            assert_eq!(s.class, StatusClass::Unknown, "{bad:?}");
            assert!(!s.failed);
        }
        Ok(())
    }

    #[test]
    fn table_codes_are_well_formed_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for (code, meaning) in MEANINGS {
            assert_ne!(class_of(code), StatusClass::Unknown, "{code}");
            assert!(seen.insert(code), "{code} twice");
            assert!(!meaning.is_empty());
        }
    }

    fn statuses(line: &str) -> TestResult<(Option<Vec<String>>, Vec<Warning>)> {
        let p = Property::parse(line, 7)?;
        let mut w = Vec::new();
        let s = schedule_statuses(&p, &mut w).map(|v| v.into_iter().map(|s| s.code).collect());
        Ok((s, w))
    }

    #[test]
    fn lists_quoted_or_not() -> TestResult {
        let (s, w) = statuses("ATTENDEE;SCHEDULE-STATUS=\"2.0,2.4\":mailto:a@x")?;
        assert_eq!(s.ok_or("no statuses")?, ["2.0", "2.4"]);
        assert!(w.is_empty());
        let (s, _) = statuses("ATTENDEE;SCHEDULE-STATUS=1.2:mailto:a@x")?;
        assert_eq!(s.ok_or("no statuses")?, ["1.2"]);
        let (s, _) = statuses("ATTENDEE;schedule-status=2.0,5.1:mailto:a@x")?;
        assert_eq!(s.ok_or("no statuses")?, ["2.0", "5.1"]);
        let (s, w) = statuses("ATTENDEE:mailto:a@x")?;
        assert!(s.is_none());
        assert!(w.is_empty());
        Ok(())
    }

    #[test]
    fn a_bad_value_is_kept_and_warned_about() -> TestResult {
        let (s, w) = statuses("ORGANIZER;SCHEDULE-STATUS=delivered:mailto:a@x")?;
        assert_eq!(s.ok_or("no statuses")?, ["delivered"]);
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].code, "BAD_SCHEDULE_STATUS");
        assert_eq!(w[0].line, Some(7));
        Ok(())
    }
}
