//! Audit of the JS API contract (API.md, STYLE.md) at the core: bad input is refused with the
//! right code and a message in the API's own words, never silently repaired.

use caldav_sched::error::ErrorCode;
use caldav_sched::itip::{attendee_reply, AlarmSpec, PartStat, ReplyOptions, Scope};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const NOW: &str = "20090602T185754Z";
const WILFREDO: &str = "mailto:wilfredo@example.com";

fn fixture(name: &str) -> Result<String, std::io::Error> {
    let path = format!("{}/tests/fixtures/itip/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path)
}

fn alarm(description: &str) -> AlarmSpec {
    AlarmSpec {
        trigger: "-PT5M".to_string(),
        action: None,
        description: Some(description.to_string()),
        uid: None,
    }
}

/// RFC 5545 §3.3.11: TEXT has escapes for line breaks only. A description with another control
/// character (BEL here) is refused with UNSAFE_VALUE, as a comment is, instead of being written
/// with the character silently dropped.
#[test]
fn alarm_description_with_a_control_character_is_refused() -> TestResult {
    let data = fixture("s1-wilfredo.ics")?;
    let mut o = ReplyOptions::new(&[WILFREDO], PartStat::Accepted, NOW);
    o.alarms = Some(vec![alarm("a\u{7}b")]);
    let e = attendee_reply(data.as_bytes(), &o)
        .err()
        .ok_or("a BEL in the description was accepted")?;
    assert_eq!(e.code, ErrorCode::UnsafeValue);
    assert!(e.message.contains("description"), "{}", e.message);
    Ok(())
}

/// Line breaks and tabs in a description are TEXT and stay allowed (written as `\n`).
#[test]
fn alarm_description_with_line_breaks_is_escaped() -> TestResult {
    let data = fixture("s1-wilfredo.ics")?;
    let mut o = ReplyOptions::new(&[WILFREDO], PartStat::Accepted, NOW);
    o.alarms = Some(vec![alarm("first\r\nsecond\tthird")]);
    let r = attendee_reply(data.as_bytes(), &o)?;
    assert!(
        r.data.contains("DESCRIPTION:first\\nsecond\tthird\r\n"),
        "{}",
        r.data
    );
    Ok(())
}

/// The error names the scope as JS spells it (`"thisAndFuture"`), not the Rust variant.
#[test]
fn scope_without_recurrence_id_names_the_js_value() -> TestResult {
    let data = fixture("recurring-montreal.ics")?;
    for (scope, js) in [
        (Scope::Instance, "\"instance\""),
        (Scope::ThisAndFuture, "\"thisAndFuture\""),
    ] {
        let mut o = ReplyOptions::new(&[WILFREDO], PartStat::Declined, NOW);
        o.scope = Some(scope);
        let e = attendee_reply(data.as_bytes(), &o)
            .err()
            .ok_or("a scope without recurrenceId was accepted")?;
        assert_eq!(e.code, ErrorCode::InvalidOption);
        assert!(e.message.contains(js), "{}", e.message);
    }
    Ok(())
}
