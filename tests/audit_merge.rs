//! Audit of the merge helper against PROTOCOL.md: variants of the M vectors (line endings,
//! address spelling, organizer limits on other attendees' answers).

use caldav_sched::itip::{merge, Change, MergeOptions, MergeResult, MergedRole};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const WILFREDO: &str = "mailto:wilfredo@example.com";
const CYRUS: &str = "mailto:cyrus@example.com";

/// A CRLF calendar around `body` (written with LF).
fn cal(body: &str) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//audit//EN\r\n{}END:VCALENDAR\r\n",
        body.replace('\n', "\r\n")
    )
}

/// One event; `w` and `b` are Wilfredo's and Bernard's PARTSTAT; `extra` goes before END.
fn event(extra: &str, w: &str, b: &str) -> String {
    format!(
        "BEGIN:VEVENT\nUID:U1\nSEQUENCE:0\nDTSTAMP:20090602T185254Z\nDTSTART:20090602T160000Z\n\
         DTEND:20090602T170000Z\nSUMMARY:Lunch\nORGANIZER;CN=Cyrus:mailto:cyrus@example.com\n\
         ATTENDEE;PARTSTAT=ACCEPTED:mailto:cyrus@example.com\n\
         ATTENDEE;PARTSTAT={w};RSVP=TRUE:mailto:wilfredo@example.com\n\
         ATTENDEE;PARTSTAT={b}:mailto:bernard@example.net\n{extra}END:VEVENT\n"
    )
}

fn mentions(list: &[Change], property: &str) -> bool {
    list.iter().any(|c| c.property.as_deref() == Some(property))
}

/// True when every LF of `text` ends a CRLF.
fn only_crlf(text: &str) -> bool {
    let b = text.as_bytes();
    b.iter()
        .enumerate()
        .all(|(i, c)| *c != b'\n' || (i > 0 && b.get(i - 1) == Some(&b'\r')))
        && !text.replace("\r\n", "").contains('\r')
}

fn run(
    local: &str,
    server: &str,
    base: Option<&str>,
    me: &str,
) -> Result<MergeResult, Box<dyn std::error::Error>> {
    Ok(merge(&MergeOptions::new(local, server, base, me))?)
}

/// RFC 5545 §3.1: content lines end in CRLF. A local copy with LF endings (a client that
/// stored the text with `\n`) must not put LF lines into the CRLF server copy.
#[test]
fn lf_local_copy_carries_lines_with_the_server_line_endings() -> TestResult {
    let base = cal(&event("", "NEEDS-ACTION", "NEEDS-ACTION"));
    let server = cal(&event("", "NEEDS-ACTION", "ACCEPTED"));
    let alarm = "BEGIN:VALARM\nTRIGGER:-PT15M\nACTION:DISPLAY\nDESCRIPTION:Reminder\nEND:VALARM\n";
    let local = cal(&event(
        &format!("TRANSP:TRANSPARENT\n{alarm}"),
        "ACCEPTED",
        "NEEDS-ACTION",
    ))
    .replace("\r\n", "\n");
    for b in [Some(base.as_str()), None] {
        let r = run(&local, &server, b, WILFREDO)?;
        assert!(r.data.contains("TRANSP:TRANSPARENT\r\n"), "{}", r.data);
        assert!(r.data.contains("TRIGGER:-PT15M\r\n"), "{}", r.data);
        assert!(only_crlf(&r.data), "mixed line endings: {:?}", r.data);
        assert!(mentions(&r.kept, "TRANSP") && mentions(&r.kept, "PARTSTAT"));
        // Bernard's reply from the server stays.
        assert!(r
            .data
            .contains("ATTENDEE;PARTSTAT=ACCEPTED:mailto:bernard@example.net\r\n"));
    }
    Ok(())
}

/// The same with a bare-CR (old Mac) local copy.
#[test]
fn cr_local_copy_carries_lines_with_the_server_line_endings() -> TestResult {
    let server = cal(&event("", "NEEDS-ACTION", "ACCEPTED"));
    let local =
        cal(&event("TRANSP:TRANSPARENT\n", "ACCEPTED", "NEEDS-ACTION")).replace("\r\n", "\r");
    let r = run(&local, &server, None, WILFREDO)?;
    assert!(
        r.data
            .replace("\r\n ", "")
            .contains("TRANSP:TRANSPARENT\r\n"),
        "{}",
        r.data
    );
    assert!(only_crlf(&r.data), "mixed line endings: {:?}", r.data);
    Ok(())
}

/// VECTORS L11: an LF server copy keeps its untouched LF lines byte-identical, while lines the
/// merge writes (changed, or carried from the local copy) end in CRLF (RFC 5545 §3.1).
#[test]
fn lf_server_copy_keeps_its_lines_and_new_lines_get_crlf() -> TestResult {
    let server = cal(&event("", "NEEDS-ACTION", "ACCEPTED")).replace("\r\n", "\n");
    for local in [
        cal(&event("TRANSP:TRANSPARENT\n", "ACCEPTED", "NEEDS-ACTION")),
        cal(&event("TRANSP:TRANSPARENT\n", "ACCEPTED", "NEEDS-ACTION")).replace("\r\n", "\n"),
    ] {
        let r = run(&local, &server, None, WILFREDO)?;
        assert!(r.data.contains("\nTRANSP:TRANSPARENT\r\n"), "{:?}", r.data);
        assert!(r
            .data
            .contains("ATTENDEE;PARTSTAT=ACCEPTED;RSVP=TRUE:mailto:wilfredo@example.com\r\n"));
        assert!(r.data.starts_with("BEGIN:VCALENDAR\nVERSION:2.0\n"));
        assert!(r
            .data
            .contains("\nATTENDEE;PARTSTAT=ACCEPTED:mailto:bernard@example.net\n"));
    }
    Ok(())
}

/// PROTOCOL.md §8: `MAILTO:` scheme and the address compare case-insensitively; the server's
/// spelling is kept in the output.
#[test]
fn my_address_in_another_spelling_is_still_me() -> TestResult {
    let server = cal(&event("", "NEEDS-ACTION", "ACCEPTED"));
    let local = cal(&event("", "TENTATIVE", "NEEDS-ACTION"))
        .replace("mailto:wilfredo@example.com", "MAILTO:Wilfredo@EXAMPLE.com");
    let r = run(&local, &server, None, "mailto:WILFREDO@example.COM")?;
    assert_eq!(r.role, MergedRole::Attendee);
    assert!(r
        .data
        .contains("PARTSTAT=TENTATIVE;RSVP=TRUE:mailto:wilfredo@example.com\r\n"));
    Ok(())
}

/// RFC 6638 §3.2.1 / §3.2.4.3 (VECTORS T27): the organizer must not set another attendee's
/// PARTSTAT to an answer (the server answers 403 allowed-organizer-scheduling-object-change);
/// the merge drops it and reports it, while the organizer's other edits are saved.
#[test]
fn organizer_setting_another_attendees_answer_is_dropped() -> TestResult {
    let base = cal(&event("", "NEEDS-ACTION", "NEEDS-ACTION"));
    let server = cal(&event("", "TENTATIVE", "NEEDS-ACTION"));
    let local = cal(&event("LOCATION:Room 1\n", "NEEDS-ACTION", "ACCEPTED"));
    let r = run(&local, &server, Some(&base), CYRUS)?;
    assert_eq!(r.role, MergedRole::Organizer);
    assert!(r
        .data
        .contains("ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:bernard@example.net\r\n"));
    assert!(r
        .data
        .contains("PARTSTAT=TENTATIVE;RSVP=TRUE:mailto:wilfredo@example.com"));
    assert!(r.data.contains("LOCATION:Room 1\r\n"));
    assert!(mentions(&r.dropped, "PARTSTAT"), "{:?}", r.dropped);
    assert!(mentions(&r.kept, "LOCATION"));
    Ok(())
}

/// With SCHEDULE-AGENT=CLIENT (or NONE) on that ATTENDEE the server does not schedule them, so
/// the organizer may record their answer (e.g. given by phone): it is saved.
#[test]
fn organizer_may_record_the_answer_of_a_client_scheduled_attendee() -> TestResult {
    let agent = |t: &str| {
        t.replace(
            ":mailto:bernard@example.net",
            ";SCHEDULE-AGENT=CLIENT:mailto:bernard@example.net",
        )
    };
    let base = agent(&cal(&event("", "NEEDS-ACTION", "NEEDS-ACTION")));
    let server = agent(&cal(&event("", "TENTATIVE", "NEEDS-ACTION")));
    let local = agent(&cal(&event("", "NEEDS-ACTION", "ACCEPTED")));
    let r = run(&local, &server, Some(&base), CYRUS)?;
    assert!(r
        .data
        .contains("PARTSTAT=ACCEPTED;SCHEDULE-AGENT=CLIENT:mailto:bernard@example.net"));
    assert!(mentions(&r.kept, "PARTSTAT"));
    Ok(())
}

/// VECTORS M16 still holds: the organizer resetting an answer to NEEDS-ACTION is saved.
#[test]
fn organizer_reset_to_needs_action_is_saved() -> TestResult {
    let base = cal(&event("", "NEEDS-ACTION", "ACCEPTED"));
    let server = cal(&event("", "NEEDS-ACTION", "ACCEPTED"));
    let local = cal(&event(
        "LOCATION:Elsewhere\n",
        "NEEDS-ACTION",
        "NEEDS-ACTION",
    ));
    let r = run(&local, &server, Some(&base), CYRUS)?;
    assert!(r
        .data
        .contains("ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:bernard@example.net\r\n"));
    assert!(!mentions(&r.dropped, "PARTSTAT"));
    Ok(())
}

/// RFC 6638 §3.2.2.1: COMMENT and CATEGORIES are not attendee-owned; with a base they are
/// reported as dropped and never written into the server copy; X- properties are kept.
#[test]
fn attendee_edits_outside_the_allowed_list_are_dropped() -> TestResult {
    let base = cal(&event("", "NEEDS-ACTION", "NEEDS-ACTION"));
    let server = cal(&event("", "NEEDS-ACTION", "ACCEPTED"));
    let local = cal(&event(
        "COMMENT:hi\nCATEGORIES:Work\nX-MOZ-LASTACK:20090602T150000Z\n",
        "ACCEPTED",
        "NEEDS-ACTION",
    ));
    let r = run(&local, &server, Some(&base), WILFREDO)?;
    assert!(!r.data.contains("COMMENT") && !r.data.contains("CATEGORIES"));
    assert!(mentions(&r.dropped, "COMMENT") && mentions(&r.dropped, "CATEGORIES"));
    assert!(r.data.contains("X-MOZ-LASTACK:20090602T150000Z\r\n"));
    Ok(())
}

/// RFC 5545 §3.8.4.7: the copies must be the same object.
#[test]
fn another_uid_is_uid_mismatch() -> TestResult {
    let server = cal(&event("", "NEEDS-ACTION", "ACCEPTED"));
    let local = server.replace("UID:U1", "UID:U2");
    let e = merge(&MergeOptions::new(&local, &server, None, WILFREDO))
        .err()
        .ok_or("expected an error")?;
    assert_eq!(e.code, caldav_sched::ErrorCode::UidMismatch);
    Ok(())
}

/// A daily series (`rrule`, `timing` lines) where Wilfredo's PARTSTAT is `w`.
fn series(timing: &str, w: &str) -> String {
    cal(&format!(
        "BEGIN:VEVENT\nUID:U1\nSEQUENCE:0\nDTSTAMP:20090602T185254Z\n{timing}SUMMARY:Daily\n\
         ORGANIZER;CN=Cyrus:mailto:cyrus@example.com\n\
         ATTENDEE;PARTSTAT=ACCEPTED:mailto:cyrus@example.com\n\
         ATTENDEE;PARTSTAT={w};RSVP=TRUE:mailto:wilfredo@example.com\nEND:VEVENT\n"
    ))
}

const DAILY5: &str = "DTSTART:20090601T160000Z\nDTEND:20090601T170000Z\nRRULE:FREQ=DAILY;COUNT=5\n";

/// Merges my acceptance (base NEEDS-ACTION) onto a server copy whose timing became `timing`
/// and whose PARTSTAT the server reset: was it seen as a reschedule?
fn accepted_then(timing: &str) -> Result<MergeResult, Box<dyn std::error::Error>> {
    let base = series(DAILY5, "NEEDS-ACTION");
    let local = series(DAILY5, "ACCEPTED");
    let server = series(timing, "NEEDS-ACTION").replace("SEQUENCE:0", "SEQUENCE:1");
    run(&local, &server, Some(&base), WILFREDO)
}

/// RFC 6638 §3.2.8, RRULE row: a change "that results in the addition of new recurring
/// instances" is a reschedule. Extending COUNT (or UNTIL, or dropping the end) adds instances:
/// my acceptance of five meetings is not silently re-applied to ten (VECTORS M2).
#[test]
fn extending_a_series_is_a_reschedule() -> TestResult {
    for rrule in [
        "RRULE:FREQ=DAILY;COUNT=10",
        "RRULE:FREQ=DAILY",
        "RRULE:FREQ=DAILY;UNTIL=20090620T160000Z",
    ] {
        let timing = format!("DTSTART:20090601T160000Z\nDTEND:20090601T170000Z\n{rrule}\n");
        let r = accepted_then(&timing)?;
        assert!(
            r.rescheduled && r.needs_confirmation,
            "{rrule}: {:?}",
            r.kept
        );
        assert!(r
            .data
            .contains("PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:wilfredo@example.com"));
        assert!(mentions(&r.conflicts, "PARTSTAT"));
    }
    Ok(())
}

/// A series that ends earlier only removes instances: no reschedule, my answer is carried.
#[test]
fn shortening_a_series_is_not_a_reschedule() -> TestResult {
    let timing = "DTSTART:20090601T160000Z\nDTEND:20090601T170000Z\nRRULE:FREQ=DAILY;COUNT=3\n";
    let r = accepted_then(timing)?;
    assert!(!r.rescheduled && !r.needs_confirmation);
    assert!(r
        .data
        .contains("PARTSTAT=ACCEPTED;RSVP=TRUE:mailto:wilfredo@example.com"));
    Ok(())
}

/// RFC 6638 §3.2.8, DTSTART/DTEND/DURATION row: a longer meeting is a reschedule; the same
/// times written differently (DURATION for DTEND) are not.
#[test]
fn a_changed_duration_is_a_reschedule_an_equivalent_spelling_is_not() -> TestResult {
    let longer = "DTSTART:20090601T160000Z\nDURATION:PT2H\nRRULE:FREQ=DAILY;COUNT=5\n";
    assert!(accepted_then(longer)?.rescheduled);
    let same = "DTSTART:20090601T160000Z\nDURATION:PT1H\nRRULE:FREQ=DAILY;COUNT=5\n";
    let r = accepted_then(same)?;
    assert!(!r.rescheduled && !r.needs_confirmation);
    Ok(())
}

/// One event with the `times` lines where Wilfredo's PARTSTAT is `w`.
fn timed_event(times: &str, w: &str) -> String {
    cal(&format!(
        "BEGIN:VEVENT\nUID:U1\nSEQUENCE:0\nDTSTAMP:20090602T185254Z\n{times}SUMMARY:Lunch\n\
         ORGANIZER:mailto:cyrus@example.com\nATTENDEE;PARTSTAT=ACCEPTED:mailto:cyrus@example.com\n\
         ATTENDEE;PARTSTAT={w}:mailto:wilfredo@example.com\nEND:VEVENT\n"
    ))
}

/// RFC 6638 §3.2.8 "DTSTART, DTEND, DURATION, DUE | Any change to these properties results in
/// PARTSTAT being set to NEEDS-ACTION" (VECTORS M2): an end added or removed, an all-day event
/// made two days long, an all-day event made timed. The effective end of RFC 5545 §3.6.1 is
/// compared (one day after a DATE DTSTART, none after a DATE-TIME), so my acceptance is not
/// silently re-applied, three-way or two-way.
#[test]
fn a_changed_effective_end_is_a_reschedule() -> TestResult {
    let hour = "DTSTART:20090602T160000Z\nDTEND:20090602T170000Z\n";
    let all_day = "DTSTART;VALUE=DATE:20090602\n";
    for (before, after) in [
        ("DTSTART:20090602T160000Z\n", hour),
        (
            "DTSTART:20090602T160000Z\n",
            "DTSTART:20090602T160000Z\nDURATION:PT2H\n",
        ),
        (hour, "DTSTART:20090602T160000Z\n"),
        (
            all_day,
            "DTSTART;VALUE=DATE:20090602\nDTEND;VALUE=DATE:20090604\n",
        ),
        (all_day, "DTSTART:20090602T000000\n"),
        (all_day, "DTSTART:20090602T000000\nDURATION:P1D\n"),
    ] {
        let base = timed_event(before, "NEEDS-ACTION");
        let local = timed_event(before, "ACCEPTED");
        let server = timed_event(after, "NEEDS-ACTION").replace("SEQUENCE:0", "SEQUENCE:1");
        for b in [Some(base.as_str()), None] {
            let r = run(&local, &server, b, WILFREDO)?;
            let case = format!("{before:?} -> {after:?}, base: {}", b.is_some());
            assert!(
                r.rescheduled && r.needs_confirmation,
                "{case}: {:?}",
                r.kept
            );
            assert!(
                r.data
                    .contains("ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:wilfredo@example.com\r\n"),
                "{case}"
            );
            assert!(mentions(&r.conflicts, "PARTSTAT"), "{case}");
        }
    }
    Ok(())
}

/// The implicit day of an all-day event written out (DTEND the next day, or DURATION:P1D) is
/// the same event (RFC 5545 §3.6.1): no reschedule, my answer is carried.
#[test]
fn the_implicit_end_written_out_is_not_a_reschedule() -> TestResult {
    let all_day = "DTSTART;VALUE=DATE:20090602\n";
    for after in [
        "DTSTART;VALUE=DATE:20090602\nDTEND;VALUE=DATE:20090603\n",
        "DTSTART;VALUE=DATE:20090602\nDURATION:P1D\n",
    ] {
        let base = timed_event(all_day, "NEEDS-ACTION");
        let local = timed_event(all_day, "ACCEPTED");
        let server = timed_event(after, "NEEDS-ACTION");
        let r = run(&local, &server, Some(&base), WILFREDO)?;
        assert!(!r.rescheduled && !r.needs_confirmation, "{after:?}");
        assert!(r
            .data
            .contains("ATTENDEE;PARTSTAT=ACCEPTED:mailto:wilfredo@example.com\r\n"));
    }
    Ok(())
}

/// RFC 6638 §7.3 (VECTORS M11, M12): SCHEDULE-STATUS on ORGANIZER is mine only while the
/// client does the scheduling, and that is what the server's line says (SCHEDULE-AGENT is the
/// organizer's and stays the server's). My copy still saying SCHEDULE-AGENT=CLIENT does not let
/// my 1.1 overwrite the 1.2 the server wrote after it took the scheduling over.
#[test]
fn schedule_status_follows_the_servers_schedule_agent() -> TestResult {
    let organizer = |params: &str| {
        cal(&event("", "NEEDS-ACTION", "NEEDS-ACTION")).replace(
            "ORGANIZER;CN=Cyrus:",
            &format!("ORGANIZER;CN=Cyrus{params}:"),
        )
    };
    let base = organizer(";SCHEDULE-AGENT=CLIENT");
    let local = organizer(";SCHEDULE-AGENT=CLIENT;SCHEDULE-STATUS=1.1");
    let server = organizer(";SCHEDULE-STATUS=1.2");
    for b in [Some(base.as_str()), None] {
        let r = run(&local, &server, b, WILFREDO)?;
        assert!(
            r.data
                .contains("ORGANIZER;CN=Cyrus;SCHEDULE-STATUS=1.2:mailto:cyrus@example.com\r\n"),
            "{}",
            r.data
        );
        assert!(r.unchanged && !mentions(&r.kept, "SCHEDULE-STATUS"));
    }
    // The other way round: the server copy is client-scheduled, mine is not: my status is mine.
    let server = organizer(";SCHEDULE-AGENT=CLIENT");
    let local = organizer(";SCHEDULE-AGENT=CLIENT;SCHEDULE-STATUS=1.1")
        .replace(";SCHEDULE-AGENT=CLIENT", "");
    let r = run(&local, &server, None, WILFREDO)?;
    assert!(r.data.replace("\r\n ", "").contains(
        "ORGANIZER;CN=Cyrus;SCHEDULE-AGENT=CLIENT;SCHEDULE-STATUS=1.1:mailto:cyrus@example.com\r\n"
    ), "{}", r.data);
    Ok(())
}

/// The same for the organizer: the status on an attendee the server schedules again (the
/// server copy dropped SCHEDULE-AGENT=CLIENT for Bernard) is the server's, not my 1.1.
#[test]
fn organizer_keeps_the_servers_schedule_status_when_the_server_schedules() -> TestResult {
    let bernard = |params: &str| {
        cal(&event("", "NEEDS-ACTION", "NEEDS-ACTION")).replace(
            "ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:bernard",
            &format!("ATTENDEE;PARTSTAT=NEEDS-ACTION{params}:mailto:bernard"),
        )
    };
    let base = bernard(";SCHEDULE-AGENT=CLIENT");
    let local = bernard(";SCHEDULE-AGENT=CLIENT;SCHEDULE-STATUS=1.1");
    let server = bernard(";SCHEDULE-STATUS=1.2");
    let r = run(&local, &server, Some(&base), CYRUS)?;
    assert!(
        r.data.contains(
            "ATTENDEE;PARTSTAT=NEEDS-ACTION;SCHEDULE-STATUS=1.2:mailto:bernard@example.net\r\n"
        ),
        "{}",
        r.data
    );
    assert!(r.unchanged);
    Ok(())
}

/// RFC 6638 §3.2.2.1 item 10: an attendee may "add, modify, or remove SCHEDULE-STATUS" on
/// ATTENDEE lines with SCHEDULE-AGENT=CLIENT; on my own such line it is mine and is carried
/// (three-way and two-way), not dropped as the organizer's. Without CLIENT it stays the server's.
#[test]
fn my_schedule_status_under_client_scheduling_is_mine() -> TestResult {
    let mine = |params: &str, b: &str| {
        cal(&event("", "NEEDS-ACTION", b)).replace(
            "PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:wilfredo",
            &format!("PARTSTAT=NEEDS-ACTION;RSVP=TRUE{params}:mailto:wilfredo"),
        )
    };
    let base = mine(";SCHEDULE-AGENT=CLIENT", "NEEDS-ACTION");
    let local = mine(";SCHEDULE-AGENT=CLIENT;SCHEDULE-STATUS=2.0", "NEEDS-ACTION");
    let server = mine(";SCHEDULE-AGENT=CLIENT", "ACCEPTED");
    for b in [Some(base.as_str()), None] {
        let r = run(&local, &server, b, WILFREDO)?;
        assert!(
            r.data.replace("\r\n ", "").contains(
                "RSVP=TRUE;SCHEDULE-AGENT=CLIENT;SCHEDULE-STATUS=2.0:mailto:wilfredo@example.com\r\n"
            ),
            "{}",
            r.data
        );
        assert!(mentions(&r.kept, "SCHEDULE-STATUS") && r.dropped.is_empty());
    }
    let local = mine(";SCHEDULE-STATUS=2.0", "NEEDS-ACTION");
    let r = run(
        &local,
        &mine("", "ACCEPTED"),
        Some(&mine("", "NEEDS-ACTION")),
        WILFREDO,
    )?;
    assert!(!r.data.contains("SCHEDULE-STATUS") && !mentions(&r.kept, "SCHEDULE-STATUS"));
    Ok(())
}

const X_THING: &str = "BEGIN:X-THING\r\nX-P:1\r\nEND:X-THING\r\n";
const X_TOP: &str = "BEGIN:X-TOP\r\nX-P:1\r\nEND:X-TOP\r\n";

/// `text` with `X_TOP` after its last VEVENT.
fn with_top(text: &str) -> String {
    text.replace("END:VEVENT\r\n", &format!("END:VEVENT\r\n{X_TOP}"))
}

/// RFC 5545 §3.6 "SHOULD NOT silently drop any components" (PROTOCOL.md §9): the organizer owns
/// the object, so an X- component added in the event or at the top of the calendar is carried
/// (three-way and two-way) and reported, and one removed three-way is removed.
#[test]
fn organizer_carries_unknown_components() -> TestResult {
    let base = cal(&event("", "NEEDS-ACTION", "NEEDS-ACTION"));
    let server = cal(&event("", "NEEDS-ACTION", "ACCEPTED"));
    let inside = cal(&event(
        "BEGIN:X-THING\nX-P:1\nEND:X-THING\n",
        "NEEDS-ACTION",
        "NEEDS-ACTION",
    ));
    for (local, text, name) in [
        (inside.clone(), X_THING, "X-THING"),
        (with_top(&base), X_TOP, "X-TOP"),
    ] {
        for b in [Some(base.as_str()), None] {
            let r = run(&local, &server, b, CYRUS)?;
            assert!(r.data.contains(text), "{}", r.data);
            assert!(!r.unchanged && mentions(&r.kept, name));
            assert!(r
                .data
                .contains("ATTENDEE;PARTSTAT=ACCEPTED:mailto:bernard@example.net\r\n"));
        }
    }
    let server_with = with_top(&cal(&event(
        "BEGIN:X-THING\nX-P:1\nEND:X-THING\n",
        "NEEDS-ACTION",
        "ACCEPTED",
    )));
    let base_with = with_top(&inside);
    let r = run(&base, &server_with, Some(&base_with), CYRUS)?;
    assert!(
        !r.data.contains("X-THING") && !r.data.contains("X-TOP"),
        "{}",
        r.data
    );
    assert!(mentions(&r.kept, "X-THING") && mentions(&r.kept, "X-TOP"));
    Ok(())
}

/// For an attendee X- data is organizer-owned (PROTOCOL.md §2.2, as X- properties are): an X-
/// component I added three-way is not carried and is reported in `dropped`; one the app names
/// in `personal` is carried like a personal property.
#[test]
fn attendee_unknown_components_follow_the_ownership_table() -> TestResult {
    let base = cal(&event("", "NEEDS-ACTION", "NEEDS-ACTION"));
    let server = cal(&event("", "NEEDS-ACTION", "ACCEPTED"));
    let inside = cal(&event(
        "BEGIN:X-THING\nX-P:1\nEND:X-THING\n",
        "ACCEPTED",
        "NEEDS-ACTION",
    ));
    let top = with_top(&cal(&event("", "ACCEPTED", "NEEDS-ACTION")));
    for (local, name) in [(&inside, "X-THING"), (&top, "X-TOP")] {
        let r = run(local, &server, Some(&base), WILFREDO)?;
        assert!(!r.data.contains(name), "{}", r.data);
        assert!(mentions(&r.dropped, name), "{:?}", r.dropped);
        assert!(mentions(&r.kept, "PARTSTAT"));
        let mut o = MergeOptions::new(local, &server, Some(&base), WILFREDO);
        o.personal = vec![name.to_string()];
        let r = merge(&o)?;
        assert!(r
            .data
            .contains(&format!("BEGIN:{name}\r\nX-P:1\r\nEND:{name}\r\n")));
        assert!(mentions(&r.kept, name) && !mentions(&r.dropped, name));
    }
    Ok(())
}

const WILFREDO_ORG: &str = "mailto:wilfredo@example.org";

/// An event listing Wilfredo under two of his addresses, answering `w1` and `w2`.
fn listed_twice(w1: &str, w2: &str, summary: &str) -> String {
    cal(&format!(
        "BEGIN:VEVENT\nUID:U1\nSEQUENCE:0\nDTSTAMP:20090602T185254Z\nDTSTART:20090602T160000Z\n\
         DTEND:20090602T170000Z\nSUMMARY:{summary}\nORGANIZER:mailto:cyrus@example.com\n\
         ATTENDEE;PARTSTAT=ACCEPTED:mailto:cyrus@example.com\n\
         ATTENDEE;PARTSTAT={w1}:mailto:wilfredo@example.com\n\
         ATTENDEE;PARTSTAT={w2}:mailto:wilfredo@example.org\nEND:VEVENT\n"
    ))
}

/// RFC 6638 §2.4.1 (VECTORS M21): I may be listed under several addresses of my
/// calendar-user-address-set; attendeeReply answers on every such line, and the merge carries my
/// answer onto every line of mine, each from my line with that address, reported once.
#[test]
fn my_answer_is_carried_onto_every_line_of_mine() -> TestResult {
    let me = |local: &str, server: &str, base: Option<&str>| {
        let mut o = MergeOptions::new(local, server, base, WILFREDO);
        o.me = caldav_sched::itip::Addresses::Many(vec![WILFREDO.into(), WILFREDO_ORG.into()]);
        merge(&o)
    };
    let base = listed_twice("NEEDS-ACTION", "NEEDS-ACTION", "Lunch");
    let server = listed_twice("NEEDS-ACTION", "NEEDS-ACTION", "Lunch 2");
    let both = listed_twice("ACCEPTED", "ACCEPTED", "Lunch");
    for b in [Some(base.as_str()), None] {
        let r = me(&both, &server, b)?;
        assert_eq!(r.data, listed_twice("ACCEPTED", "ACCEPTED", "Lunch 2"));
        assert_eq!(r.kept.len(), 1, "{:?}", r.kept);
    }
    // Only the second line changed: merged, not "unchanged".
    let second = listed_twice("NEEDS-ACTION", "TENTATIVE", "Lunch");
    for b in [Some(base.as_str()), None] {
        let r = me(&second, &server, b)?;
        assert!(!r.unchanged && mentions(&r.kept, "PARTSTAT"));
        assert_eq!(r.data, listed_twice("NEEDS-ACTION", "TENTATIVE", "Lunch 2"));
    }
    // A reschedule asks once, whichever lines I answered on.
    let moved = server
        .replace("T160000Z", "T180000Z")
        .replace("T170000Z", "T190000Z");
    let r = me(&both, &moved, Some(&base))?;
    assert!(r.rescheduled && r.needs_confirmation);
    assert_eq!(r.conflicts.len(), 1, "{:?}", r.conflicts);
    assert!(!r.data.contains("ACCEPTED:mailto:wilfredo"));
    Ok(())
}

/// The same for an occurrence I answered in an override of my own: a change on my second line
/// only is still a change of mine, and the override is carried.
#[test]
fn an_override_answered_on_my_second_line_is_carried() -> TestResult {
    let series = listed_twice("NEEDS-ACTION", "NEEDS-ACTION", "Daily").replace(
        "DTEND:20090602T170000Z\r\n",
        "DTEND:20090602T170000Z\r\nRRULE:FREQ=DAILY;COUNT=3\r\n",
    );
    let over = listed_twice("NEEDS-ACTION", "DECLINED", "Daily")
        .replace("SUMMARY", "RECURRENCE-ID:20090603T160000Z\r\nSUMMARY")
        .replace(
            "T160000Z\r\nDTEND:20090602T170000Z",
            "T160000Z\r\nDTEND:20090603T170000Z",
        )
        .replace("DTSTART:20090602T160000Z", "DTSTART:20090603T160000Z");
    let vevent = |text: &str| -> Option<String> {
        let from = text.find("BEGIN:VEVENT")?;
        let to = text.find("END:VEVENT\r\n")? + "END:VEVENT\r\n".len();
        text.get(from..to).map(str::to_string)
    };
    let extra = vevent(&over).ok_or("no VEVENT")?;
    let local = series.replace("END:VCALENDAR", &format!("{extra}END:VCALENDAR"));
    let server = series.replace("SEQUENCE:0", "SEQUENCE:0\r\nLOCATION:Room 1");
    let mut o = MergeOptions::new(&local, &server, Some(&series), WILFREDO);
    o.me = caldav_sched::itip::Addresses::Many(vec![WILFREDO.into(), WILFREDO_ORG.into()]);
    let r = merge(&o)?;
    assert!(
        r.data.contains("RECURRENCE-ID:20090603T160000Z"),
        "{}",
        r.data
    );
    assert!(r
        .data
        .contains("ATTENDEE;PARTSTAT=DECLINED:mailto:wilfredo@example.org\r\n"));
    Ok(())
}

/// A bare CR is a line break in every copy, not only in the local one: two identical CR CR LF
/// copies are the same object (no UID_MISMATCH for "UID:U1\r"), and a CR CR LF server copy
/// merges like any other. Reading it so rewrites the server copy's bare CRs, so the result is
/// never `unchanged` (which means "equal to the server copy"; the merge fuzz target found one
/// that said so).
#[test]
fn cr_cr_lf_copies_are_the_same_object() -> TestResult {
    let crcrlf = |t: &str| t.replace("\r\n", "\r\r\n");
    let plain = cal(&event("", "NEEDS-ACTION", "NEEDS-ACTION"));
    let s = crcrlf(&plain);
    for b in [Some(s.as_str()), None] {
        let r = run(&s, &s, b, WILFREDO)?;
        assert!(r.kept.is_empty() && r.dropped.is_empty());
        assert!(!r.unchanged && r.data != s, "{:?}", r.data);
        assert!(!r.data.contains("\r\r"), "{:?}", r.data);
        // CR CR LF is one line break, not a blank line after every line.
        assert_eq!(r.data, plain);
    }
    let r = run(&plain, &plain, None, WILFREDO)?;
    assert!(r.unchanged && r.data == plain);
    // A stale server copy (older SEQUENCE than the base) with bare CRs comes back as read, so
    // it parses, and is not called unchanged either (a fuzz finding).
    let newer = plain.replace("SEQUENCE:0", "SEQUENCE:1");
    let stale = crcrlf(&plain);
    let r = run(&newer, &stale, Some(&newer), WILFREDO)?;
    assert!(r.warnings.iter().any(|w| w.code == "STALE_SERVER_COPY"));
    assert!(!r.unchanged && !r.data.contains("\r\r"));
    assert!(caldav_sched::ical::Document::parse(r.data.as_bytes()).is_ok());
    let local = cal(&event("", "ACCEPTED", "NEEDS-ACTION"));
    let server = crcrlf(&cal(&event("", "NEEDS-ACTION", "ACCEPTED")));
    for b in [Some(s.as_str()), Some(plain.as_str()), None] {
        let r = run(&local, &server, b, WILFREDO)?;
        assert!(mentions(&r.kept, "PARTSTAT"));
        assert!(r
            .data
            .contains("ATTENDEE;PARTSTAT=ACCEPTED;RSVP=TRUE:mailto:wilfredo@example.com\r\n"));
        assert!(r
            .data
            .contains("ATTENDEE;PARTSTAT=ACCEPTED:mailto:bernard@example.net\r\n"));
        assert!(!r.data.contains("\r\r"), "{:?}", r.data);
    }
    Ok(())
}

/// Lossless output (API.md): a calendar property I changed keeps its place among the calendar
/// properties; a new one goes after the property it follows in my copy, before the components.
#[test]
fn a_changed_calendar_property_keeps_its_place() -> TestResult {
    let head = |props: &str| {
        cal(&event("", "NEEDS-ACTION", "NEEDS-ACTION")).replace(
            "PRODID:-//audit//EN\r\n",
            &format!("PRODID:-//audit//EN\r\n{props}"),
        )
    };
    let base = head("X-A:1\r\nX-B:1\r\nCALSCALE:GREGORIAN\r\n");
    let local = head("X-A:2\r\nX-B:1\r\nCALSCALE:GREGORIAN\r\n");
    let r = run(&local, &base, Some(&base), CYRUS)?;
    assert!(r
        .data
        .contains("PRODID:-//audit//EN\r\nX-A:2\r\nX-B:1\r\nCALSCALE:GREGORIAN\r\nBEGIN:VEVENT"));
    assert!(mentions(&r.kept, "X-A"));
    let local = head("X-A:1\r\nX-NEW:1\r\nX-B:1\r\nCALSCALE:GREGORIAN\r\n");
    let r = run(&local, &base, Some(&base), CYRUS)?;
    assert!(
        r.data
            .contains("X-A:1\r\nX-NEW:1\r\nX-B:1\r\nCALSCALE:GREGORIAN\r\nBEGIN:VEVENT"),
        "{}",
        r.data
    );
    Ok(())
}
