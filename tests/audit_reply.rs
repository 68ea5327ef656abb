//! Audit of the attendee-reply helper against PROTOCOL.md: variants of the R vectors
//! (address spelling, RECURRENCE-ID forms, EXDATE/RDATE instances, METHOD, parameter case and
//! quoting, what the iTIP REPLY may carry).

use caldav_sched::error::ErrorCode;
use caldav_sched::itip::{attendee_reply, PartStat, ReplyOptions, ReplyResult, Scope};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const NOW: &str = "20090602T185754Z";
const WILFREDO: &str = "mailto:wilfredo@example.com";

/// A fixture with LF line endings (the tests write their variants with `\n`).
fn fixture(name: &str) -> Result<String, std::io::Error> {
    let path = format!("{}/tests/fixtures/itip/{name}", env!("CARGO_MANIFEST_DIR"));
    Ok(std::fs::read_to_string(path)?.replace("\r\n", "\n"))
}

fn client(data: &str) -> String {
    data.replace(
        "ORGANIZER;CN=\"Cyrus Daboo\":",
        "ORGANIZER;CN=\"Cyrus Daboo\";SCHEDULE-AGENT=CLIENT:",
    )
}

/// Unfolded logical lines.
fn lines(text: &str) -> Vec<String> {
    text.replace("\r\n", "\n")
        .replace("\n ", "")
        .lines()
        .map(str::to_string)
        .collect()
}

fn count(text: &str, prefix: &str) -> usize {
    lines(text).iter().filter(|l| l.starts_with(prefix)).count()
}

fn reply(data: &str, o: &ReplyOptions) -> Result<ReplyResult, Box<dyn std::error::Error>> {
    Ok(attendee_reply(data.as_bytes(), o)?)
}

fn error(data: &str, o: &ReplyOptions) -> Result<ErrorCode, Box<dyn std::error::Error>> {
    let e = attendee_reply(data.as_bytes(), o)
        .err()
        .ok_or("expected an error")?;
    Ok(e.code)
}

fn answer(partstat: PartStat, recurrence_id: Option<&str>) -> ReplyOptions {
    let mut o = ReplyOptions::new(&[WILFREDO], partstat, NOW);
    o.recurrence_id = recurrence_id.map(str::to_string);
    o
}

/// RFC 5545 §3.8.4.4: RECURRENCE-ID names an instance of a recurring component. Answering
/// the one instance (DTSTART) of a non-recurring event answers the event itself: no override
/// with a RECURRENCE-ID is added, and the REPLY has none.
#[test]
fn instance_answer_on_a_non_recurring_event_answers_the_event() -> TestResult {
    let s1 = client(&fixture("s1-wilfredo.ics")?);
    let r = reply(&s1, &answer(PartStat::Accepted, Some("20090602T160000Z")))?;
    assert_eq!(count(&r.data, "BEGIN:VEVENT"), 1, "{}", r.data);
    assert_eq!(count(&r.data, "RECURRENCE-ID"), 0);
    assert!(lines(&r.data)
        .iter()
        .any(|l| l.contains("PARTSTAT=ACCEPTED") && l.ends_with("mailto:wilfredo@example.com")));
    let itip = r.itip.ok_or("SCHEDULE-AGENT=CLIENT gives a REPLY")?;
    assert_eq!(count(&itip, "RECURRENCE-ID"), 0, "{itip}");
    assert_eq!(count(&itip, "BEGIN:VEVENT"), 1);
    // Another time is still no instance of it.
    assert_eq!(
        error(&s1, &answer(PartStat::Accepted, Some("20090602T170000Z")))?,
        ErrorCode::NoSuchInstance
    );
    Ok(())
}

/// PROTOCOL.md §8: `MAILTO:` and the address compare case-insensitively; the spelling in the
/// data is kept.
#[test]
fn my_attendee_in_upper_case_is_found_and_keeps_its_spelling() -> TestResult {
    let s1 = fixture("s1-wilfredo.ics")?.replace(
        "mailto:wilfredo@\n example.com",
        "MAILTO:Wilfredo@\n Example.COM",
    );
    let r = reply(&s1, &answer(PartStat::Accepted, None))?;
    assert!(lines(&r.data)
        .iter()
        .any(|l| l.contains("PARTSTAT=ACCEPTED") && l.ends_with(":MAILTO:Wilfredo@Example.COM")));
    Ok(())
}

/// RFC 5545 §3.8.4.4 / PROTOCOL.md §2.3: an override whose RECURRENCE-ID is written in UTC is
/// the same instance as its TZID local time: it is answered, not duplicated.
#[test]
fn override_written_in_utc_is_found_by_its_local_time() -> TestResult {
    let rec = client(&fixture("recurring-montreal.ics")?).replace(
        "RECURRENCE-ID;TZID=America/Montreal:20090604T150000",
        "RECURRENCE-ID:20090604T190000Z",
    );
    let r = reply(&rec, &answer(PartStat::Accepted, Some("20090604T150000")))?;
    assert_eq!(count(&r.data, "BEGIN:VEVENT"), 3, "{}", r.data);
    let itip = r.itip.ok_or("a REPLY")?;
    assert!(
        lines(&itip).contains(&"RECURRENCE-ID:20090604T190000Z".to_string()),
        "{itip}"
    );
    Ok(())
}

/// The same with a lower-case property name and a quoted TZID on the override.
#[test]
fn override_with_quoted_tzid_and_lower_case_name_is_found() -> TestResult {
    let rec = fixture("recurring-montreal.ics")?.replace(
        "RECURRENCE-ID;TZID=America/Montreal:20090604T150000",
        "recurrence-id;tzid=\"America/Montreal\":20090604T150000",
    );
    let r = reply(&rec, &answer(PartStat::Declined, Some("20090604T190000Z")))?;
    assert_eq!(count(&r.data, "BEGIN:VEVENT"), 3, "{}", r.data);
    assert!(r
        .data
        .contains("recurrence-id;tzid=\"America/Montreal\":20090604T150000\n"));
    Ok(())
}

/// RFC 5545 §3.8.5.1: an EXDATE (here in UTC for a TZID series) removes the instance, so it
/// cannot be answered.
#[test]
fn an_instance_removed_by_a_utc_exdate_is_no_instance() -> TestResult {
    let rec = fixture("recurring-montreal.ics")?.replace(
        "RRULE:FREQ=DAILY;INTERVAL=1;COUNT=5\n",
        "RRULE:FREQ=DAILY;INTERVAL=1;COUNT=5\nEXDATE:20090603T190000Z\n",
    );
    assert_eq!(
        error(&rec, &answer(PartStat::Declined, Some("20090603T150000")))?,
        ErrorCode::NoSuchInstance
    );
    Ok(())
}

/// RFC 5545 §3.8.5.2: an RDATE adds an instance; its override's RECURRENCE-ID has the form of
/// DTSTART (TZID), whatever form the caller used.
#[test]
fn an_rdate_instance_gets_an_override_in_the_dtstart_form() -> TestResult {
    let rec = client(&fixture("recurring-montreal.ics")?).replace(
        "RRULE:FREQ=DAILY;INTERVAL=1;COUNT=5\n",
        "RRULE:FREQ=DAILY;INTERVAL=1;COUNT=5\nRDATE;VALUE=PERIOD:20090610T130000Z/PT2H\n",
    );
    let r = reply(&rec, &answer(PartStat::Tentative, Some("20090610T130000Z")))?;
    assert!(
        lines(&r.data).contains(&"RECURRENCE-ID;TZID=America/Montreal:20090610T090000".to_string())
    );
    let itip = r.itip.ok_or("a REPLY")?;
    assert!(itip.contains("BEGIN:VTIMEZONE"));
    Ok(())
}

/// RFC 4791 §4.1: a stored calendar object resource has no METHOD; one copied from an inbox
/// item is removed, with a warning.
#[test]
fn a_method_in_the_stored_copy_is_removed() -> TestResult {
    let s1 = fixture("s1-wilfredo.ics")?.replace("VERSION:2.0\n", "VERSION:2.0\nMETHOD:REQUEST\n");
    let r = reply(&s1, &answer(PartStat::Accepted, None))?;
    assert!(!r.data.contains("METHOD"), "{}", r.data);
    assert!(r.warnings.iter().any(|w| w.code == "METHOD_REMOVED"));
    Ok(())
}

/// RFC 5545 §3.2: parameter names and enumerated values are case-insensitive, and a quoted
/// PARTSTAT is the same parameter: it is replaced, not repeated (RFC 5545 §3.8.4.1: each
/// parameter at most once).
#[test]
fn a_lower_case_quoted_partstat_is_replaced_not_repeated() -> TestResult {
    let s1 = fixture("s1-wilfredo.ics")?.replace(
        "PARTSTAT\n =NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:wilfredo@",
        "partstat\n =\"needs-action\";ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:wilfredo@",
    );
    let r = reply(&s1, &answer(PartStat::Declined, None))?;
    let mine: Vec<String> = lines(&r.data)
        .into_iter()
        .filter(|l| l.ends_with("mailto:wilfredo@example.com"))
        .collect();
    assert_eq!(mine.len(), 1);
    let line = mine.first().ok_or("my line")?;
    assert_eq!(
        line.to_ascii_uppercase().matches("PARTSTAT=").count(),
        1,
        "{line}"
    );
    assert!(line.contains("DECLINED") && !line.to_ascii_lowercase().contains("needs-action"));
    Ok(())
}

/// An ATTENDEE without PARTSTAT (NEEDS-ACTION by default, RFC 5545 §3.2.12) gets one.
#[test]
fn a_missing_partstat_is_added() -> TestResult {
    let s1 = fixture("s1-wilfredo.ics")?.replace(
        ";PARTSTAT\n =NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:wilfredo@",
        ";ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:wilfredo@",
    );
    let r = reply(&s1, &answer(PartStat::Tentative, None))?;
    assert!(lines(&r.data)
        .iter()
        .any(|l| l.contains("PARTSTAT=TENTATIVE") && l.ends_with("mailto:wilfredo@example.com")));
    Ok(())
}

/// RFC 6638 §7.1-7.3, RFC 5546 §3.2.3: the REPLY has no SCHEDULE-* parameter (also not the ones
/// on my own ATTENDEE), no VALARM, no other attendees; COMMENT is TEXT-escaped.
#[test]
fn the_reply_strips_scheduling_parameters_alarms_and_escapes_the_comment() -> TestResult {
    let s1 = client(&fixture("s1-wilfredo.ics")?)
        .replace(
            "RSVP=TRUE:mailto:wilfredo@",
            "RSVP=TRUE;SCHEDULE-STATUS=2.0;SCHEDULE-AGENT=SERVER:mailto:wilfredo@",
        )
        .replace(
            "END:VEVENT",
            "BEGIN:VALARM\nTRIGGER:-PT5M\nACTION:DISPLAY\nDESCRIPTION:x\nEND:VALARM\nEND:VEVENT",
        );
    let mut o = answer(PartStat::Declined, None);
    o.comment = Some("Sorry; can't, really\nnext time".into());
    let r = reply(&s1, &o)?;
    let itip = r.itip.ok_or("a REPLY")?;
    assert!(!itip.contains("SCHEDULE-"), "{itip}");
    assert!(!itip.contains("VALARM"));
    assert_eq!(count(&itip, "ATTENDEE"), 1);
    assert!(lines(&itip).contains(&"COMMENT:Sorry\\; can't\\, really\\nnext time".to_string()));
    assert!(lines(&itip).contains(&"METHOD:REPLY".to_string()));
    // The stored copy keeps the alarm and gets no COMMENT.
    assert!(r.data.contains("BEGIN:VALARM") && !r.data.contains("COMMENT"));
    Ok(())
}

/// RFC 5546 §3.4.3: a VTODO REPLY may report completion: PERCENT-COMPLETE and COMPLETED.
#[test]
fn a_completed_task_reply_carries_its_progress() -> TestResult {
    let todo = client(&fixture("s1-wilfredo.ics")?)
        .replace("VEVENT", "VTODO")
        .replace("DTEND:20090602T170000Z", "DUE:20090602T170000Z")
        .replace("TRANSP:OPAQUE\n", "");
    let mut o = answer(PartStat::Completed, None);
    o.percent_complete = Some(100);
    let r = reply(&todo, &o)?;
    let itip = r.itip.ok_or("a REPLY")?;
    assert!(
        lines(&itip).contains(&"PERCENT-COMPLETE:100".to_string()),
        "{itip}"
    );
    assert!(lines(&itip).contains(&format!("COMPLETED:{NOW}")));
    assert!(lines(&r.data).contains(&"PERCENT-COMPLETE:100".to_string()));
    Ok(())
}

/// API.md: `now` is a UTC DATE-TIME, basic or ISO 8601 with `Z`; a local or offset time is
/// INVALID_OPTION (DTSTAMP MUST be UTC, RFC 5545 §3.8.7.2).
#[test]
fn now_must_be_utc() -> TestResult {
    let s1 = client(&fixture("s1-wilfredo.ics")?);
    let mut o = answer(PartStat::Accepted, None);
    o.now = "2009-06-02T18:57:54Z".into();
    let r = reply(&s1, &o)?;
    assert!(lines(&r.itip.ok_or("a REPLY")?).contains(&"DTSTAMP:20090602T185754Z".to_string()));
    for bad in ["2009-06-02T18:57:54+02:00", "20090602T185754"] {
        o.now = bad.into();
        assert_eq!(error(&s1, &o)?, ErrorCode::InvalidOption, "{bad}");
    }
    Ok(())
}

/// API.md: `thisAndFuture` and `instance` need a recurrenceId; COMPLETED is for VTODO only.
#[test]
fn scope_and_partstat_misuse_is_invalid_option() -> TestResult {
    let rec = fixture("recurring-montreal.ics")?;
    for scope in [Scope::ThisAndFuture, Scope::Instance] {
        let mut o = answer(PartStat::Accepted, None);
        o.scope = Some(scope);
        assert_eq!(error(&rec, &o)?, ErrorCode::InvalidOption);
    }
    assert_eq!(
        error(&rec, &answer(PartStat::Completed, None))?,
        ErrorCode::InvalidOption
    );
    Ok(())
}

/// RFC 5545 §3.3.3: a CAL-ADDRESS is a URI (an email address is a mailto: URI), so a delegate
/// given as a bare email address is INVALID_OPTION, like `sentBy` (RFC 5545 §3.2.18); other
/// URI schemes (urn:uuid:, https:) are calendar-user addresses too.
#[test]
fn delegates_must_be_uris() -> TestResult {
    let s1 = client(&fixture("s1-wilfredo.ics")?);
    let mut o = answer(PartStat::Delegated, None);
    for bare in ["e@example.com", " e@example.com", "/principals/e/"] {
        o.delegate_to = Some(vec![bare.to_string()]);
        assert_eq!(error(&s1, &o)?, ErrorCode::InvalidOption, "{bare}");
    }
    o.sent_by = Some("assistant@example.com".into());
    o.delegate_to = Some(vec!["mailto:e@example.com".into()]);
    assert_eq!(error(&s1, &o)?, ErrorCode::InvalidOption);
    o.sent_by = None;
    o.delegate_to = Some(vec!["urn:uuid:0d8f5a46-1c0e-4d9a-9a53-3e2b0c1f7a10".into()]);
    let r = reply(&s1, &o)?;
    assert!(lines(&r.data)
        .iter()
        .any(|l| l.contains("DELEGATED-TO=\"urn:uuid:0d8f5a46-1c0e-4d9a-9a53-3e2b0c1f7a10\"")));
    Ok(())
}

/// RFC 5545 §3.2: a parameter appears once. An ATTENDEE that repeats PARTSTAT gets one
/// PARTSTAT with the answer, in the stored copy and in the REPLY; no later copy keeps an old
/// answer for a reader that takes the last one.
#[test]
fn a_repeated_partstat_is_written_once() -> TestResult {
    let data = client(&fixture("s1-wilfredo.ics")?).replace(
        "PARTSTAT\n =NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:wilfredo@",
        "PARTSTAT\n =NEEDS-ACTION;PARTSTAT=TENTATIVE;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:wilfredo@",
    );
    assert!(data.contains("PARTSTAT=TENTATIVE"), "fixture changed");
    let r = reply(&data, &answer(PartStat::Accepted, None))?;
    let itip = r.itip.ok_or("no REPLY")?;
    for text in [&r.data, &itip] {
        let mine: Vec<String> = lines(text)
            .into_iter()
            .filter(|l| l.starts_with("ATTENDEE") && l.contains(WILFREDO))
            .collect();
        let [line] = mine.as_slice() else {
            return Err(format!("not one ATTENDEE line of mine in {text}").into());
        };
        assert_eq!(line.matches("PARTSTAT=").count(), 1, "{line}");
        assert!(line.contains("PARTSTAT=ACCEPTED"), "{line}");
    }
    Ok(())
}

/// RFC 5545 §3.1 folds octets, so a fold may split a UTF-8 character: valid iCalendar bytes that
/// are no text until unfolded. Answering such bytes works; the split line is written
/// canonically (unfolded, refolded between characters) and every other line keeps its bytes.
#[test]
fn a_fold_inside_a_character_is_answered_and_that_line_rewritten() -> TestResult {
    let text = fixture("s1-wilfredo.ics")?.replace("\n", "\r\n");
    let summary_at = text.find("SUMMARY:").ok_or("no SUMMARY")?;
    let line_end = summary_at
        + text
            .get(summary_at..)
            .and_then(|rest| rest.find("\r\n"))
            .ok_or("no line end")?;
    let mut bytes = text.as_bytes().get(..summary_at).ok_or("cut")?.to_vec();
    bytes.extend_from_slice(b"SUMMARY:Caf\xC3\r\n \xA9 au lait");
    bytes.extend_from_slice(text.as_bytes().get(line_end..).ok_or("cut")?);
    assert!(std::str::from_utf8(&bytes).is_err());
    let r = attendee_reply(&bytes, &answer(PartStat::Accepted, None))?;
    assert!(
        r.data.contains("\r\nSUMMARY:Café au lait\r\n"),
        "{}",
        r.data
    );
    assert!(r.data.contains("PARTSTAT=ACCEPTED"));
    // The lines around it keep their bytes, folds included.
    assert!(r.data.contains(
        "TRANSP:OPAQUE\r\nSUMMARY:Café au lait\r\nORGANIZER;CN=\"Cyrus Daboo\":mailto:cyrus@example.com\r\n"
    ));
    assert!(r
        .data
        .contains("PARTSTAT=\r\n NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:bernard@ex\r\n ample.net\r\n"));
    Ok(())
}

/// A daily series (16:00Z, "Old") with an override that moves 3 June and everything after it
/// one hour later and renames it (RANGE=THISANDFUTURE).
const RANGE_SERIES: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\n\
BEGIN:VEVENT\r\nUID:range@example.com\r\nDTSTAMP:20090601T000000Z\r\nDTSTART:20090601T160000Z\r\n\
DTEND:20090601T163000Z\r\nRRULE:FREQ=DAILY;COUNT=5\r\nSUMMARY:Old\r\n\
ORGANIZER:mailto:cyrus@example.com\r\nATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:wilfredo@example.com\r\n\
END:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:range@example.com\r\nDTSTAMP:20090601T000000Z\r\n\
RECURRENCE-ID;RANGE=THISANDFUTURE:20090603T160000Z\r\nDTSTART:20090603T170000Z\r\n\
DTEND:20090603T180000Z\r\nSUMMARY:New\r\nORGANIZER:mailto:cyrus@example.com\r\n\
ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:wilfredo@example.com\r\nEND:VEVENT\r\n\
END:VCALENDAR\r\n";

/// The override made for `rid` by an instance answer, unfolded.
fn added_override(data: &str, rid: &str) -> Vec<String> {
    let text = lines(data).join("\n");
    text.split("BEGIN:VEVENT")
        .find(|c| c.contains(&format!("RECURRENCE-ID:{rid}")))
        .map(|c| c.lines().map(str::to_string).collect())
        .unwrap_or_default()
}

/// RFC 5545 §3.8.4.4: an instance after a RANGE=THISANDFUTURE override takes that override's
/// content and is moved by the same time difference (one hour, one hour longer here); the new
/// override names one instance (no RANGE). An instance before it still comes from the master.
#[test]
fn an_instance_after_a_range_override_takes_its_content_and_its_move() -> TestResult {
    let r = reply(
        RANGE_SERIES,
        &answer(PartStat::Declined, Some("20090604T160000Z")),
    )?;
    let added = added_override(&r.data, "20090604T160000Z");
    for line in [
        "DTSTART:20090604T170000Z",
        "DTEND:20090604T180000Z",
        "SUMMARY:New",
    ] {
        assert!(
            added.iter().any(|l| l == line),
            "{line} missing in {added:?}"
        );
    }
    assert!(added.iter().any(|l| l.contains("PARTSTAT=DECLINED")));
    assert!(!added.iter().any(|l| l.contains("RANGE")), "{added:?}");
    let itip = r.itip.unwrap_or_default();
    assert!(!itip.contains("RANGE"));

    let r = reply(
        RANGE_SERIES,
        &answer(PartStat::Declined, Some("20090602T160000Z")),
    )?;
    let added = added_override(&r.data, "20090602T160000Z");
    for line in [
        "DTSTART:20090602T160000Z",
        "DTEND:20090602T163000Z",
        "SUMMARY:Old",
    ] {
        assert!(
            added.iter().any(|l| l == line),
            "{line} missing in {added:?}"
        );
    }
    Ok(())
}

/// RFC 4791 §4.1: a stored calendar object resource is one VCALENDAR. Data with two gets the
/// first answered, the second kept byte for byte, and a warning saying so.
#[test]
fn a_second_vcalendar_is_kept_unanswered_with_a_warning() -> TestResult {
    let one = fixture("s1-wilfredo.ics")?.replace('\n', "\r\n");
    let data = format!("{one}{one}");
    let r = attendee_reply(data.as_bytes(), &answer(PartStat::Accepted, None))?;
    assert!(
        r.warnings.iter().any(|w| w.code == "MULTIPLE_CALENDARS"),
        "{:?}",
        r.warnings
    );
    assert!(r.data.ends_with(&one), "the second VCALENDAR changed");
    // Mine is answered once, in the first.
    let before = one.matches("PARTSTAT=ACCEPTED").count();
    assert_eq!(
        r.data.matches("PARTSTAT=ACCEPTED").count(),
        2 * before + 1,
        "{}",
        r.data
    );
    Ok(())
}
