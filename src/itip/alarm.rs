//! The user's alarms (VALARM, RFC 5545 §3.6.6) with an RFC 9074 §4 UID.
//!
//! Alarm UIDs the caller does not give are derived, not random (the core has no randomness, so
//! the same call gives the same output): a UUID version 8 (RFC 9562 §5.8, "custom") whose 122
//! free bits are two 64-bit FNV-1a hashes of `UID`, `now`, the instance (RECURRENCE-ID as
//! written, empty for the master) and the alarm's index, separated by NUL bytes. Two alarms of
//! one answer therefore never share a UID, and answering again at another `now` gives new ones.

use crate::error::{Error, ErrorCode, Result};
use crate::ical::datetime::{DateTime, Duration};
use crate::ical::text::{has_control_outside_text, has_unsafe_control};
use crate::ical::{Component, Property};
use crate::itip::reply_options::AlarmSpec;

/// What an alarm component is built from, besides its spec.
pub struct AlarmContext<'a> {
    /// The UID of the scheduling object.
    pub uid: &'a str,
    /// `now` as a UTC DATE-TIME.
    pub now: &'a str,
    /// The RECURRENCE-ID value of the component (empty for the master).
    pub instance: &'a str,
    /// My calendar-user address (the recipient of an EMAIL alarm).
    pub me: &'a str,
}

/// Checks an alarm spec without building it: the trigger is a DURATION or a UTC DATE-TIME,
/// the action is DISPLAY, AUDIO, EMAIL or an X- name, and nothing carries a control character.
pub fn validate(spec: &AlarmSpec) -> Result<()> {
    for text in [Some(&spec.trigger), spec.action.as_ref(), spec.uid.as_ref()]
        .into_iter()
        .flatten()
    {
        if has_unsafe_control(text) {
            return Err(Error::new(
                ErrorCode::UnsafeValue,
                "an alarm field contains a control character",
            ));
        }
    }
    // DESCRIPTION is TEXT: line breaks and tabs are escaped or kept (RFC 5545 §3.3.11), any
    // other control character has no TEXT form and is refused, never silently dropped.
    if spec
        .description
        .as_deref()
        .is_some_and(has_control_outside_text)
    {
        return Err(Error::new(
            ErrorCode::UnsafeValue,
            "alarm description contains a control character other than a line break or tab",
        ));
    }
    trigger_line(&spec.trigger)?;
    action(spec)?;
    if spec.uid.as_deref().is_some_and(|u| u.trim().is_empty()) {
        return Err(Error::new(ErrorCode::InvalidOption, "alarm uid is empty"));
    }
    Ok(())
}

/// Builds the VALARM for `spec`; `index` is its position in the given list.
pub fn build(spec: &AlarmSpec, index: usize, ctx: &AlarmContext<'_>) -> Result<Component> {
    validate(spec)?;
    let action = action(spec)?;
    let mut alarm = Component::new("VALARM")?;
    let uid = match &spec.uid {
        Some(u) => u.trim().to_string(),
        None => derived_uid(ctx, index),
    };
    alarm.push_property(Property::new("UID", &uid)?);
    alarm.push_property(trigger_line(&spec.trigger)?);
    alarm.push_property(Property::new("ACTION", &action)?);
    let description = spec.description.as_deref().unwrap_or("Reminder");
    if action != "AUDIO" {
        // DISPLAY and EMAIL require DESCRIPTION (RFC 5545 §3.6.6); AUDIO does not allow it.
        alarm.push_property(Property::new_text("DESCRIPTION", description)?);
    }
    if action == "EMAIL" {
        alarm.push_property(Property::new_text("SUMMARY", description)?);
        alarm.push_property(Property::new("ATTENDEE", ctx.me)?);
    }
    Ok(alarm)
}

fn action(spec: &AlarmSpec) -> Result<String> {
    let action = spec
        .action
        .as_deref()
        .unwrap_or("DISPLAY")
        .trim()
        .to_ascii_uppercase();
    let known = ["DISPLAY", "AUDIO", "EMAIL"].contains(&action.as_str());
    let x_name = action.starts_with("X-")
        && action.len() > 2
        && action
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if known || x_name {
        Ok(action)
    } else {
        Err(Error::new(
            ErrorCode::InvalidOption,
            format!("alarm action {action:?} is not DISPLAY, AUDIO, EMAIL or an X- name"),
        ))
    }
}

/// `TRIGGER:<duration>` or `TRIGGER;VALUE=DATE-TIME:<utc>` (RFC 5545 §3.8.6.3: an absolute
/// trigger MUST be UTC).
fn trigger_line(trigger: &str) -> Result<Property> {
    let t = trigger.trim();
    if Duration::parse(t).is_ok() {
        return Property::new("TRIGGER", t);
    }
    match DateTime::parse(t) {
        Ok(dt) if dt.utc => {
            let mut p = Property::new("TRIGGER", t)?;
            p.set_param("VALUE", &["DATE-TIME"]);
            Ok(p)
        }
        _ => Err(Error::new(
            ErrorCode::InvalidOption,
            format!("alarm trigger {t:?} is neither a DURATION (-PT15M) nor a UTC DATE-TIME"),
        )),
    }
}

/// The derived RFC 9562 version-8 UUID described in the module documentation.
pub fn derived_uid(ctx: &AlarmContext<'_>, index: usize) -> String {
    let index = index.to_string();
    let parts: [&[u8]; 4] = [
        ctx.uid.as_bytes(),
        ctx.now.as_bytes(),
        ctx.instance.as_bytes(),
        index.as_bytes(),
    ];
    let hi = fnv1a(0xcbf2_9ce4_8422_2325, &parts);
    let lo = fnv1a(0x6c62_272e_07bb_0142, &parts);
    // Version 8 in bits 48-51, variant 0b10 in bits 64-65.
    let hi = (hi & 0xffff_ffff_ffff_0fff) | 0x0000_0000_0000_8000;
    let lo = (lo & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000;
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xffff,
        hi & 0xffff,
        lo >> 48,
        lo & 0xffff_ffff_ffff
    )
}

fn fnv1a(seed: u64, parts: &[&[u8]]) -> u64 {
    let step = |h: u64, b: u8| (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    let mut h = seed;
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            h = step(h, 0);
        }
        h = part.iter().fold(h, |h, &b| step(h, b));
    }
    h
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;

    use crate::test_support::TestResult;

    fn spec(trigger: &str) -> AlarmSpec {
        AlarmSpec {
            trigger: trigger.into(),
            action: None,
            description: None,
            uid: None,
        }
    }

    const CTX: AlarmContext<'static> = AlarmContext {
        uid: "9263504FD3AD",
        now: "20090602T185754Z",
        instance: "",
        me: "mailto:w@example.com",
    };

    #[test]
    fn display_alarm_with_derived_uuid_v8() -> TestResult {
        let a = build(&spec("-PT15M"), 0, &CTX)?;
        let text = String::from_utf8(a.to_bytes())?;
        let uid = derived_uid(&CTX, 0);
        assert_eq!(
            text,
            format!("BEGIN:VALARM\r\nUID:{uid}\r\nTRIGGER:-PT15M\r\nACTION:DISPLAY\r\nDESCRIPTION:Reminder\r\nEND:VALARM\r\n")
        );
        assert_eq!(uid.len(), 36);
        assert_eq!(&uid[14..15], "8");
        assert!("89ab".contains(&uid[19..20]));
        assert_ne!(uid, derived_uid(&CTX, 1));
        let later = AlarmContext {
            now: "20090602T185755Z",
            ..CTX
        };
        assert_ne!(uid, derived_uid(&later, 0));
        assert_eq!(uid, derived_uid(&CTX, 0));
        Ok(())
    }

    #[test]
    fn absolute_email_audio_and_bad_input() -> TestResult {
        let mut s = spec("20090602T154500Z");
        s.action = Some("email".into());
        s.description = Some("Lunch, soon".into());
        s.uid = Some("A1".into());
        let text = String::from_utf8(build(&s, 0, &CTX)?.to_bytes())?;
        assert!(text.contains("UID:A1\r\nTRIGGER;VALUE=DATE-TIME:20090602T154500Z\r\nACTION:EMAIL\r\nDESCRIPTION:Lunch\\, soon\r\nSUMMARY:Lunch\\, soon\r\nATTENDEE:mailto:w@example.com\r\n"), "{text}");
        let mut s = spec("PT0S");
        s.action = Some("AUDIO".into());
        let text = String::from_utf8(build(&s, 0, &CTX)?.to_bytes())?;
        assert!(!text.contains("DESCRIPTION"));
        for bad in ["soon", "20090602T154500", ""] {
            assert_eq!(
                validate(&spec(bad)).err().ok_or("expected an error")?.code,
                ErrorCode::InvalidOption
            );
        }
        assert_eq!(
            validate(&spec("-PT15M\r\nACTION:EMAIL"))
                .err()
                .ok_or("expected an error")?
                .code,
            ErrorCode::UnsafeValue
        );
        let mut s = spec("-PT5M");
        s.action = Some("PROCEDURE".into());
        assert_eq!(
            validate(&s).err().ok_or("expected an error")?.code,
            ErrorCode::InvalidOption
        );
        // A description with a line break is escaped, never a new line.
        let mut s = spec("-PT5M");
        s.description = Some("a\r\nACTION:EMAIL".into());
        let text = String::from_utf8(build(&s, 0, &CTX)?.to_bytes())?;
        assert!(text.contains("DESCRIPTION:a\\nACTION:EMAIL\r\n"));
        Ok(())
    }
}
