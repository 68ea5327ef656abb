//! Bookkeeping times: reading the caller's `now`, and stamping a component the call changed.
//!
//! Rule (RFC 5545 §3.8.7.2): in an object without METHOD — a stored CalDAV copy — DTSTAMP is
//! "the date and time that the information associated with the calendar component was last
//! revised in the calendar store", so a component whose content this call changed gets
//! `DTSTAMP:<now>` (RFC 6638 §3.2.2.1 item 9 lets an attendee change it). LAST-MODIFIED
//! (RFC 5545 §3.8.7.3) means the same and is updated when present; it is not added, because it
//! is optional and the server keeps its own HTTP Last-Modified. Components the call did not
//! change keep both lines byte-identical. SEQUENCE is never touched (RFC 5546 §2.1.4: only the
//! organizer revises it).

use crate::error::{Error, ErrorCode, Result};
use crate::ical::datetime::DateTime;
use crate::ical::Component;

/// Reads `now`: a UTC DATE-TIME in basic form (`20090602T185754Z`) or ISO 8601 extended form
/// (`2009-06-02T18:57:54Z`, fractions of a second dropped). Returns the basic form.
pub fn parse_now(now: &str) -> Result<String> {
    let t = now.trim();
    if t.len() == 16 {
        // Already the basic form (the usual case): checked, and taken as written.
        if let Ok(DateTime { utc: true, .. }) = DateTime::parse(t) {
            return Ok(t.to_string());
        }
    }
    let without_fraction = match (t.find('.'), t.strip_suffix('Z')) {
        (Some(dot), Some(_)) => format!("{}Z", t.get(..dot).unwrap_or_default()),
        _ => t.to_string(),
    };
    let compact: String = without_fraction
        .chars()
        .filter(|c| !matches!(c, '-' | ':'))
        .collect();
    match DateTime::parse(&compact) {
        Ok(dt) if dt.utc => Ok(dt.to_string()),
        _ => Err(Error::new(
            ErrorCode::InvalidOption,
            format!("`now` {now:?} is not a UTC DATE-TIME such as 20090602T185754Z"),
        )),
    }
}

/// Sets DTSTAMP (added when missing) and an existing LAST-MODIFIED to `now`.
pub fn stamp(component: &mut Component, now: &str) -> Result<()> {
    component.set_value("DTSTAMP", now)?;
    if let Some(p) = component.property_mut("LAST-MODIFIED") {
        p.set_value(now)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::TestResult;

    #[test]
    fn now_forms() -> TestResult {
        assert_eq!(parse_now("20090602T185754Z")?, "20090602T185754Z");
        assert_eq!(parse_now("2009-06-02T18:57:54.123Z")?, "20090602T185754Z");
        for bad in ["20090602T185754", "yesterday", "2009-06-02"] {
            assert_eq!(
                parse_now(bad).err().ok_or("expected an error")?.code,
                ErrorCode::InvalidOption
            );
        }
        Ok(())
    }
}
