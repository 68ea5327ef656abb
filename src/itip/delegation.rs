//! Delegation by an attendee (RFC 5546 §3.2.2.3; RFC 5545 §3.2.4, §3.2.5): my ATTENDEE gets
//! PARTSTAT=DELEGATED and DELEGATED-TO (each address DQUOTEd), and each delegate gets a new
//! ATTENDEE with DELEGATED-FROM (my address as the object spells it), my ROLE and RSVP, and
//! PARTSTAT=NEEDS-ACTION, placed right after my line. A delegate already listed is left alone.
//!
//! Adding an ATTENDEE is not in the list of changes a server must allow an attendee
//! (RFC 6638 §3.2.2.1), so a strict server may answer 403 with
//! `allowed-attendee-scheduling-object-change`; the caller gets a `DELEGATE_ADDED` warning.

use crate::error::{Error, ErrorCode, Result, Warning};
use crate::ical::text::has_unsafe_control;
use crate::ical::{same_address, Component, Node, Property};
use crate::itip::identity::Me;

/// True when `address` starts with a URI scheme and a colon (RFC 3986 §3.1:
/// `ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`), e.g. `mailto:` or `urn:`.
fn has_uri_scheme(address: &str) -> bool {
    let Some((scheme, _)) = address.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Checks the delegate addresses: at least one, none empty, each a URI, none mine, no control
/// characters.
pub fn validate_delegates(delegates: &[String], me: &Me) -> Result<()> {
    if delegates.is_empty() {
        return Err(Error::new(
            ErrorCode::InvalidOption,
            "partstat DELEGATED needs `delegateTo` (RFC 5546 §3.2.2.3: DELEGATED-TO is required)",
        ));
    }
    for d in delegates {
        if has_unsafe_control(d) {
            return Err(Error::new(
                ErrorCode::UnsafeValue,
                "`delegateTo` contains a control character",
            ));
        }
        if d.trim().is_empty() {
            return Err(Error::new(
                ErrorCode::InvalidOption,
                "`delegateTo` contains an empty address",
            ));
        }
        if !has_uri_scheme(d.trim()) {
            // RFC 5545 §3.3.3: a CAL-ADDRESS is a URI; an email address is a mailto: URI.
            return Err(Error::new(
                ErrorCode::InvalidOption,
                format!(
                    "`delegateTo` address {d:?} is not a URI: write it as mailto:{} (RFC 5545 §3.3.3)",
                    d.trim()
                ),
            ));
        }
        if me.matches(d) {
            return Err(Error::new(
                ErrorCode::InvalidOption,
                format!("cannot delegate to myself ({d})"),
            ));
        }
    }
    Ok(())
}

/// Sets DELEGATED-TO on my ATTENDEE at child position `mine` (adding the delegates to any
/// already named) and adds an ATTENDEE for each delegate not yet listed. Returns how many
/// lines were added.
pub fn delegate(
    component: &mut Component,
    mine: usize,
    delegates: &[String],
    warnings: &mut Vec<Warning>,
) -> Result<usize> {
    let Some(Node::Property(my_line)) = component.children.get(mine) else {
        return Ok(0);
    };
    let my_line = my_line.clone();
    let mut named = my_line.param_values("DELEGATED-TO");
    for d in delegates {
        if !named.iter().any(|n| same_address(n, d)) {
            named.push(d.trim().to_string());
        }
    }
    if named != my_line.param_values("DELEGATED-TO") {
        if let Some(Node::Property(p)) = component.children.get_mut(mine) {
            let refs: Vec<&str> = named.iter().map(String::as_str).collect();
            p.set_param("DELEGATED-TO", &refs);
        }
    }
    let mut added = 0;
    for d in delegates {
        let listed = component
            .properties_named("ATTENDEE")
            .any(|a| same_address(a.value(), d));
        if listed {
            continue;
        }
        let line = delegate_line(d.trim(), &my_line)?;
        component
            .children
            .insert(mine + 1 + added, Node::Property(line));
        added += 1;
        warnings.push(Warning::new(
            "DELEGATE_ADDED",
            format!(
                "added ATTENDEE {d}: servers may refuse an ATTENDEE added by an attendee \
                 (403 allowed-attendee-scheduling-object-change, RFC 6638 §3.2.2.1); the \
                 delegate also needs the invitation forwarded: `forward` has it when the client \
                 sends the messages (RFC 5546 §3.2.2.3)"
            ),
            None,
        ));
    }
    Ok(added)
}

/// `ATTENDEE;DELEGATED-FROM="<me>";ROLE=<mine>;RSVP=<mine>;PARTSTAT=NEEDS-ACTION:<delegate>`.
fn delegate_line(delegate: &str, my_line: &Property) -> Result<Property> {
    let mut line = Property::new("ATTENDEE", delegate)?;
    line.set_param("DELEGATED-FROM", &[my_line.value().trim()]);
    for name in ["ROLE", "RSVP"] {
        if let Some(v) = my_line.param_value(name) {
            line.set_param(name, &[v.as_str()]);
        }
    }
    line.set_param("PARTSTAT", &["NEEDS-ACTION"]);
    Ok(line)
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::ical::Document;

    use crate::test_support::TestResult;

    #[test]
    fn delegate_two_keeps_existing() -> TestResult {
        let text = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nATTENDEE;ROLE=REQ-PARTICIPANT;RSVP=TRUE;PARTSTAT=DELEGATED:mailto:b@x\r\nATTENDEE:mailto:b2@x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        let mut doc = Document::parse(text.as_bytes())?;
        let ev = doc
            .calendar_mut()
            .ok_or("no VCALENDAR")?
            .components_mut()
            .next()
            .ok_or("no component")?;
        let mut w = Vec::new();
        let n = delegate(ev, 0, &["mailto:a@x".into(), "MAILTO:B2@x".into()], &mut w)?;
        assert_eq!(n, 1);
        assert_eq!(w.len(), 1);
        let lines: Vec<&str> = ev.properties().map(Property::text).collect();
        assert_eq!(
            lines,
            [
                "ATTENDEE;ROLE=REQ-PARTICIPANT;RSVP=TRUE;PARTSTAT=DELEGATED;DELEGATED-TO=\"mailto:a@x\",\"MAILTO:B2@x\":mailto:b@x",
                "ATTENDEE;DELEGATED-FROM=\"mailto:b@x\";ROLE=REQ-PARTICIPANT;RSVP=TRUE;PARTSTAT=NEEDS-ACTION:mailto:a@x",
                "ATTENDEE:mailto:b2@x",
            ]
        );
        Ok(())
    }

    #[test]
    fn bad_delegates() -> TestResult {
        let me = Me::new(&["mailto:b@x"])?;
        let code = |d: &[&str]| {
            let v: Vec<String> = d.iter().map(|s| s.to_string()).collect();
            validate_delegates(&v, &me).err().map(|e| e.code)
        };
        assert_eq!(code(&[]), Some(ErrorCode::InvalidOption));
        assert_eq!(code(&["MAILTO:B@X"]), Some(ErrorCode::InvalidOption));
        assert_eq!(code(&["mailto:a@x\r\nX"]), Some(ErrorCode::UnsafeValue));
        Ok(())
    }
}
