//! Attendee reply: the seed scenario S1 (RFC 6638 Appendix B.3), the R vectors of
//! ../shared/docs/VECTORS.md, the real-world corpus re-read by an independent parser, and a
//! property test that a reply changes only my ATTENDEE lines, alarms and bookkeeping.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::PathBuf;

mod support;
use support::{partstats_of, vevents};

use caldav_sched::error::ErrorCode;
use caldav_sched::ical::{Document, Input, Property};
use caldav_sched::itip::identity::ScheduleAgent;
use caldav_sched::itip::{
    attendee_reply, attendee_reply_input, AlarmSpec, PartStat, ReplyOptions, ReplyResult, Scope,
};

const NOW: &str = "20090602T185754Z";
const WILFREDO: &str = "mailto:wilfredo@example.com";
const BERNARD: &str = "mailto:bernard@example.net";

fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/itip")
        .join(name);
    std::fs::read_to_string(path).unwrap()
}

fn opts(me: &str, partstat: PartStat) -> ReplyOptions {
    ReplyOptions::new(&[me], partstat, NOW)
}

/// The Montreal series with SCHEDULE-AGENT=CLIENT: the client sends the messages itself.
fn client_series() -> String {
    with_agent(&fixture("recurring-montreal.ics"), "CLIENT")
}

/// Options delegating my answer to `mailto:e@example.com`.
fn delegating_to_e(me: &str) -> ReplyOptions {
    let mut o = opts(me, PartStat::Delegated);
    o.delegate_to = Some(vec!["mailto:e@example.com".into()]);
    o
}

/// The answer to borrowed bytes, checked to be the answer to the same data handed over as
/// text and as bytes (as the wasm boundary passes a string or a `Uint8Array`).
fn reply(data: &str, o: &ReplyOptions) -> ReplyResult {
    let result = attendee_reply(data.as_bytes(), o).unwrap();
    let text = attendee_reply_input(Input::Text(data.to_string()), o).unwrap();
    assert_eq!(text, result, "text handed over");
    let bytes = attendee_reply_input(Input::Bytes(data.as_bytes().to_vec()), o).unwrap();
    assert_eq!(bytes, result, "bytes handed over");
    result
}

fn err(data: &str, o: &ReplyOptions) -> ErrorCode {
    let error = attendee_reply(data.as_bytes(), o).unwrap_err();
    let text = attendee_reply_input(Input::Text(data.to_string()), o).unwrap_err();
    assert_eq!(text, error, "text handed over");
    error.code
}

fn alarm(trigger: &str) -> AlarmSpec {
    AlarmSpec {
        trigger: trigger.into(),
        action: Some("DISPLAY".into()),
        description: Some("Reminder".into()),
        uid: None,
    }
}

/// Logical lines with their raw bytes (a line plus its continuation lines).
fn raw_lines(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    // Old Mac files end their lines with a bare CR and have no LF at all.
    let eol = if text.contains('\n') { '\n' } else { '\r' };
    for piece in text.split_inclusive(eol) {
        if piece.starts_with([' ', '\t']) {
            if let Some(last) = out.last_mut() {
                last.push_str(piece);
                continue;
            }
        }
        out.push(piece.to_string());
    }
    out
}

/// Lines removed from `a` and added in `b` (longest common subsequence on raw lines).
fn diff(a: &str, b: &str) -> (Vec<String>, Vec<String>) {
    let (x, y) = (raw_lines(a), raw_lines(b));
    // The common head and tail are equal lines: only the middle needs the quadratic table.
    let head = x.iter().zip(&y).take_while(|(p, q)| p == q).count();
    let tail = x[head..]
        .iter()
        .rev()
        .zip(y[head..].iter().rev())
        .take_while(|(p, q)| p == q)
        .count();
    let (x, y) = (&x[head..x.len() - tail], &y[head..y.len() - tail]);
    let (n, m) = (x.len(), y.len());
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if x[i] == y[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let (mut removed, mut added) = (Vec::new(), Vec::new());
    while i < n || j < m {
        if i < n && j < m && x[i] == y[j] {
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
            added.push(y[j].clone());
            j += 1;
        } else {
            removed.push(x[i].clone());
            i += 1;
        }
    }
    (removed, added)
}

fn unfolded(raw: &str) -> String {
    let mut out = raw.trim_end_matches(['\r', '\n']).to_string();
    for fold in ["\r\n ", "\r\n\t", "\n ", "\n\t", "\r ", "\r\t"] {
        out = out.replace(fold, "");
    }
    out
}

fn prop(raw: &str) -> Property {
    Property::parse(&unfolded(raw), 0).unwrap()
}

fn with_agent(data: &str, agent: &str) -> String {
    data.replacen(
        "ORGANIZER;CN=\"Cyrus Daboo\":",
        &format!("ORGANIZER;CN=\"Cyrus Daboo\";SCHEDULE-AGENT={agent}:"),
        usize::MAX,
    )
}

fn count(hay: &str, needle: &str) -> usize {
    hay.matches(needle).count()
}

// ---------------------------------------------------------------------------------------------
// S1: the seed.

#[test]
fn s1_wilfredo_accepts_and_sets_a_reminder() {
    let input = fixture("s1-wilfredo.ics");
    let mut o = opts(WILFREDO, PartStat::Accepted);
    o.alarms = Some(vec![alarm("-PT15M")]);
    let r = reply(&input, &o);
    assert!(r.changed);
    assert_eq!(r.itip, None);
    assert_eq!(r.schedule_agent, ScheduleAgent::Server);
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    let (removed, added) = diff(&input, &r.data);
    // Exactly: Wilfredo's ATTENDEE and DTSTAMP (documented rule) replaced; one VALARM added.
    assert_eq!(removed.len(), 2, "{removed:?}");
    assert_eq!(unfolded(&removed[0]), "DTSTAMP:20090602T185254Z");
    let old_att = prop(&removed[1]);
    assert!(old_att.is("ATTENDEE") && old_att.value() == WILFREDO);
    let new_att = prop(&added[1]);
    assert_eq!(
        new_att.text(),
        old_att
            .text()
            .replace("PARTSTAT=NEEDS-ACTION", "PARTSTAT=ACCEPTED")
    );
    assert_eq!(unfolded(&added[0]), format!("DTSTAMP:{NOW}"));
    let rest: Vec<String> = added[2..].iter().map(|l| unfolded(l)).collect();
    assert_eq!(rest.len(), 6);
    assert_eq!(rest[0], "BEGIN:VALARM");
    assert!(
        rest[1].starts_with("UID:") && rest[1].len() == 40,
        "{}",
        rest[1]
    );
    assert_eq!(
        &rest[2..],
        [
            "TRIGGER:-PT15M",
            "ACTION:DISPLAY",
            "DESCRIPTION:Reminder",
            "END:VALARM"
        ]
    );
    // The VALARM is the last thing inside the VEVENT, and nothing else moved.
    assert!(r
        .data
        .contains("END:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"));
    for kept in [
        "SEQUENCE:0\r\n",
        "DTSTART:20090602T160000Z\r\n",
        "SUMMARY:Lunch\r\n",
    ] {
        assert_eq!(count(&r.data, kept), 1);
    }
    for absent in [
        "METHOD",
        "SCHEDULE-AGENT",
        "SCHEDULE-STATUS",
        "SCHEDULE-FORCE-SEND",
    ] {
        assert!(!r.data.contains(absent));
    }
    // Deterministic: the same call gives the same bytes.
    assert_eq!(reply(&input, &o).data, r.data);
}

#[test]
fn s1_answering_again_changes_nothing() {
    let input = fixture("s1-wilfredo.ics");
    let first = reply(&input, &opts(WILFREDO, PartStat::Accepted));
    let again = reply(&first.data, &opts(WILFREDO, PartStat::Accepted));
    assert!(!again.changed);
    assert_eq!(again.data, first.data);
}

// ---------------------------------------------------------------------------------------------
// R vectors.

#[test]
fn r1_accept_whole_series_keeps_explicit_instance_answers() {
    let input = fixture("recurring-montreal.ics");
    let r = reply(&input, &opts(BERNARD, PartStat::Accepted));
    let bernard: Vec<String> = partstats_of(&r.data, "bernard")
        .into_iter()
        .map(|(_, p)| p)
        .collect();
    // Master and the moved instance (NEEDS-ACTION) answered; the declined instance kept.
    assert_eq!(bernard, ["ACCEPTED", "ACCEPTED", "DECLINED"]);
    let (removed, added) = diff(&input, &r.data);
    assert_eq!(removed.len(), 4, "{removed:?}");
    assert_eq!(added.len(), 4);
    for l in removed.iter().chain(&added) {
        let p = prop(l);
        assert!(
            p.is("DTSTAMP") || (p.is("ATTENDEE") && p.value().contains("bernard")),
            "{l}"
        );
    }
}

#[test]
fn r2_decline_one_instance_by_override() {
    let input = fixture("recurring-montreal.ics");
    let mut o = opts(BERNARD, PartStat::Declined);
    o.recurrence_id = Some("20090602T150000".into());
    let r = reply(&input, &o);
    let (removed, added) = diff(&input, &r.data);
    assert!(removed.is_empty(), "{removed:?}");
    let text: Vec<String> = added.iter().map(|l| unfolded(l)).collect();
    assert_eq!(text[0], "BEGIN:VEVENT");
    assert_eq!(text.last().unwrap(), "END:VEVENT");
    assert!(text.contains(&"RECURRENCE-ID;TZID=America/Montreal:20090602T150000".to_string()));
    assert!(text.contains(&"DTSTART;TZID=America/Montreal:20090602T150000".to_string()));
    assert!(text.contains(&"DTEND;TZID=America/Montreal:20090602T160000".to_string()));
    assert!(text.contains(&"SEQUENCE:3".to_string()));
    assert!(text.contains(&format!("DTSTAMP:{NOW}")));
    assert!(!text.iter().any(|l| l.starts_with("RRULE")));
    let declined: Vec<&String> = text
        .iter()
        .filter(|l| l.contains("PARTSTAT=DECLINED"))
        .collect();
    assert_eq!(declined.len(), 1);
    assert!(declined[0].ends_with(BERNARD));
    // Added after the last VEVENT; the other attendees are copied as they are.
    assert_eq!(count(&r.data, "BEGIN:VEVENT"), 4);
    assert!(r.data.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"));
}

#[test]
fn r3_declining_an_instance_adds_no_exdate() {
    let input = fixture("recurring-montreal.ics");
    let mut o = opts(BERNARD, PartStat::Declined);
    o.recurrence_id = Some("20090603T190000Z".into());
    let r = reply(&input, &o);
    assert!(!r.data.contains("EXDATE"));
    assert!(r
        .data
        .contains("RECURRENCE-ID;TZID=America/Montreal:20090603T150000\r\n"));
}

const ALL_DAY: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:d1\r\nDTSTAMP:20231201T000000Z\r\nDTSTART;VALUE=DATE:20240101\r\nDTEND;VALUE=DATE:20240102\r\nRRULE:FREQ=WEEKLY\r\nSUMMARY:Offsite\r\nORGANIZER:mailto:o@example.com\r\nATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:me@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

#[test]
fn r4_all_day_series_instance_uses_date() {
    let mut o = opts("mailto:me@example.com", PartStat::Tentative);
    o.recurrence_id = Some("20240108".into());
    let r = reply(ALL_DAY, &o);
    assert!(r.data.contains(
        "DTSTART;VALUE=DATE:20240108\r\nRECURRENCE-ID;VALUE=DATE:20240108\r\nDTEND;VALUE=DATE:20240109\r\n"
    ));
    o.recurrence_id = Some("20240109".into());
    assert_eq!(err(ALL_DAY, &o), ErrorCode::NoSuchInstance);
}

#[test]
fn r5_utc_and_floating_series_keep_their_form() {
    let utc = ALL_DAY
        .replace("DTSTART;VALUE=DATE:20240101", "DTSTART:20090601T190000Z")
        .replace("DTEND;VALUE=DATE:20240102", "DTEND:20090601T200000Z")
        .replace("WEEKLY", "DAILY");
    let mut o = opts("mailto:me@example.com", PartStat::Accepted);
    o.recurrence_id = Some("20090602T190000Z".into());
    let r = reply(&utc, &o);
    assert!(r.data.contains(
        "DTSTART:20090602T190000Z\r\nRECURRENCE-ID:20090602T190000Z\r\nDTEND:20090602T200000Z\r\n"
    ));
    let floating = utc
        .replace("T190000Z", "T190000")
        .replace("T200000Z", "T200000");
    o.recurrence_id = Some("20090602T190000".into());
    let r = reply(&floating, &o);
    assert!(r.data.contains("RECURRENCE-ID:20090602T190000\r\n"));
}

#[test]
fn r7_itip_reply_for_s1_with_schedule_agent_client() {
    let input = with_agent(&fixture("s1-wilfredo.ics"), "CLIENT");
    let mut o = opts(WILFREDO, PartStat::Accepted);
    o.alarms = Some(vec![alarm("-PT15M")]);
    let r = reply(&input, &o);
    assert_eq!(r.schedule_agent, ScheduleAgent::Client);
    let itip = r.itip.unwrap();
    let un = unfolded(&itip.replace("\r\n ", ""));
    assert!(un.starts_with("BEGIN:VCALENDAR\r\nPRODID:"));
    assert!(un.contains("VERSION:2.0\r\nMETHOD:REPLY\r\n"));
    assert_eq!(count(&un, "BEGIN:VEVENT"), 1);
    assert!(un.contains("UID:9263504FD3AD\r\n"));
    assert!(un.contains(&format!("DTSTAMP:{NOW}\r\n")));
    assert!(un.contains("SEQUENCE:0\r\n"));
    assert!(un.contains("ORGANIZER;CN=\"Cyrus Daboo\":mailto:cyrus@example.com\r\n"));
    assert_eq!(count(&un, "ATTENDEE"), 1);
    assert!(un.contains(
        "ATTENDEE;CN=\"Wilfredo Sanchez Vega\";CUTYPE=INDIVIDUAL;PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT:mailto:wilfredo@example.com\r\n"
    ));
    assert!(un.contains("REQUEST-STATUS:2.0;Success\r\n"));
    for absent in ["VALARM", "SCHEDULE-", "RSVP", "bernard", "mike"] {
        assert!(!un.contains(absent), "{absent}");
    }
    // The stored copy keeps SCHEDULE-AGENT as it was and gets the alarm.
    assert!(r.data.contains("SCHEDULE-AGENT=CLIENT"));
    assert!(r.data.contains("BEGIN:VALARM"));
    // An independent parser reads the message.
    let unfolded_itip = icalendar::parser::unfold(&itip);
    let cal = icalendar::parser::read_calendar(&unfolded_itip).unwrap();
    assert_eq!(cal.components.len(), 1);
    assert_eq!(cal.components[0].name.as_str(), "VEVENT");
}

#[test]
fn r8_instance_reply_carries_recurrence_id_and_vtimezone() {
    let input = client_series();
    let mut o = opts(BERNARD, PartStat::Declined);
    o.recurrence_id = Some("20090602T150000".into());
    let itip = reply(&input, &o).itip.unwrap();
    assert!(itip.contains("BEGIN:VTIMEZONE\r\n"));
    assert!(itip.contains("TZID:America/Montreal\r\n"));
    assert_eq!(count(&itip, "BEGIN:VEVENT"), 1);
    assert!(itip.contains("RECURRENCE-ID;TZID=America/Montreal:20090602T150000\r\n"));
    assert!(itip.contains("DTSTART;TZID=America/Montreal:20090602T150000\r\n"));
    assert!(itip.contains("PARTSTAT=DECLINED"));
}

#[test]
fn r8_itip_is_canonical_even_from_lf_data() {
    let input = client_series().replace("\r\n", "\n");
    let mut o = opts(BERNARD, PartStat::Accepted);
    o.recurrence_id = Some("20090604T150000".into());
    let r = reply(&input, &o);
    let itip = r.itip.unwrap();
    assert_eq!(count(&itip, "\n"), count(&itip, "\r\n"));
    assert!(itip.contains("TZOFFSETFROM:-0500\r\n"));
    assert!(raw_lines(&itip)
        .iter()
        .all(|l| l.split("\r\n").all(|p| p.len() <= 75)));
    // The stored copy keeps its LF lines; only the changed ones are CRLF.
    assert!(r.data.contains("SUMMARY:Review Internet-Draft\nORGANIZER"));
}

#[test]
fn r9_this_and_future_gives_one_reply_with_several_components() {
    let input = client_series();
    let mut o = opts(BERNARD, PartStat::Declined);
    o.recurrence_id = Some("20090603T150000".into());
    o.scope = Some(Scope::ThisAndFuture);
    let r = reply(&input, &o);
    let mut answers = partstats_of(&r.data, "bernard");
    answers.sort();
    assert_eq!(
        answers,
        [
            ("20090601T150000".into(), "NEEDS-ACTION".into()),
            ("20090602T150000".into(), "NEEDS-ACTION".into()),
            ("20090604T150000".into(), "DECLINED".into()),
            ("20090605T150000".into(), "DECLINED".into()),
            ("master".into(), "DECLINED".into()),
        ]
    );
    assert!(!r.data.contains("RANGE"));
    // The REPLY: master + the moved instance. The earlier instances keep NEEDS-ACTION (not
    // sent) and the instance Bernard had already declined keeps its own answer.
    let itip = r.itip.unwrap();
    assert_eq!(count(&itip, "BEGIN:VEVENT"), 2);
    assert_eq!(count(&itip, "UID:4FD3AD926350"), 2);
    assert!(!itip.contains("NEEDS-ACTION"));
}

#[test]
fn r10_comment_goes_into_the_reply_only_and_is_escaped() {
    let input = with_agent(&fixture("s1-wilfredo.ics"), "CLIENT");
    let mut o = opts(WILFREDO, PartStat::Accepted);
    o.comment = Some("Running late, will join at 10:15".into());
    let r = reply(&input, &o);
    assert!(r
        .itip
        .unwrap()
        .contains("COMMENT:Running late\\, will join at 10:15\r\n"));
    assert!(!r.data.contains("COMMENT"));
    o.comment = Some("x\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:evil@example.com".into());
    let itip = reply(&input, &o).itip.unwrap();
    assert!(itip.contains("COMMENT:x\\nATTENDEE\\;PARTSTAT=ACCEPTED:mailto:evil@example.com\r\n"));
    assert!(!itip.contains("\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:evil"));
    // With server scheduling the comment cannot be delivered: a warning says so.
    let r = reply(&fixture("s1-wilfredo.ics"), &o);
    assert!(r.warnings.iter().any(|w| w.code == "COMMENT_NOT_SENT"));
    assert!(!r.data.contains("COMMENT"));
}

#[test]
fn r11_sequence_is_echoed_never_bumped() {
    let input = client_series();
    let r = reply(&input, &opts(BERNARD, PartStat::Tentative));
    assert_eq!(count(&r.data, "SEQUENCE:3\r\n"), 3);
    let itip = r.itip.unwrap();
    assert_eq!(count(&itip, "SEQUENCE:3\r\n"), 2);
    assert!(!itip.contains("SEQUENCE:4"));
}

#[test]
fn r12_schedule_agent_client_strips_scheduling_params() {
    let input = fixture("s1-wilfredo.ics")
        .replace(
            "ORGANIZER;CN=\"Cyrus Daboo\":",
            "ORGANIZER;CN=\"Cyrus Daboo\";SCHEDULE-AGENT=CLIENT;SCHEDULE-STATUS=1.2:",
        )
        .replace(
            "RSVP=TRUE:mailto:wilfredo@",
            "RSVP=TRUE;SCHEDULE-STATUS=2.0:mailto:wilfredo@",
        );
    let r = reply(&input, &opts(WILFREDO, PartStat::Accepted));
    let itip = r.itip.unwrap();
    assert!(!itip.contains("SCHEDULE-"));
    assert!(r.data.contains("SCHEDULE-STATUS=1.2"));
}

#[test]
fn r13_schedule_agent_none_changes_locally_only() {
    let input = with_agent(&fixture("s1-wilfredo.ics"), "NONE");
    let r = reply(&input, &opts(WILFREDO, PartStat::Declined));
    assert_eq!(r.schedule_agent, ScheduleAgent::None);
    assert_eq!(r.itip, None);
    assert!(r.changed && r.data.contains("PARTSTAT=DECLINED"));
}

#[test]
fn r14_unknown_schedule_agent_is_none_with_a_warning() {
    let input = with_agent(&fixture("s1-wilfredo.ics"), "X-VENDOR");
    let r = reply(&input, &opts(WILFREDO, PartStat::Accepted));
    assert_eq!(r.schedule_agent, ScheduleAgent::None);
    assert_eq!(r.itip, None);
    assert!(r
        .warnings
        .iter()
        .any(|w| w.code == "UNKNOWN_SCHEDULE_AGENT"));
}

#[test]
fn r16_delegation() {
    let input = client_series();
    let mut o = delegating_to_e(BERNARD);
    let r = reply(&input, &o);
    let un = r.data.replace("\r\n ", "");
    assert!(un.contains("PARTSTAT=DELEGATED;ROLE=REQ-PARTICIPANT;RSVP=TRUE;DELEGATED-TO=\"mailto:e@example.com\":mailto:bernard@example.net\r\nATTENDEE;DELEGATED-FROM=\"mailto:bernard@example.net\";ROLE=REQ-PARTICIPANT;RSVP=TRUE;PARTSTAT=NEEDS-ACTION:mailto:e@example.com\r\n"), "{un}");
    assert!(r.warnings.iter().any(|w| w.code == "DELEGATE_ADDED"));
    let itip = r.itip.unwrap().replace("\r\n ", "");
    assert!(itip.contains("DELEGATED-TO=\"mailto:e@example.com\":mailto:bernard@example.net\r\n"));
    assert!(itip.contains("DELEGATED-FROM=\"mailto:bernard@example.net\""));
    // DELEGATED without a delegate, or delegates without DELEGATED, is misuse.
    o.delegate_to = None;
    assert_eq!(err(&input, &o), ErrorCode::InvalidOption);
    let mut o = opts(BERNARD, PartStat::Accepted);
    o.delegate_to = Some(vec!["mailto:e@example.com".into()]);
    assert_eq!(err(&input, &o), ErrorCode::InvalidOption);
}

#[test]
fn r17_delegate_accepts_keeping_delegated_from() {
    let input = with_agent(&fixture("s1-wilfredo.ics"), "CLIENT").replace(
        "ATTENDEE;CN=\"Mike Douglass\"",
        "ATTENDEE;PARTSTAT=NEEDS-ACTION;DELEGATED-FROM=\"mailto:bernard@example.net\":mailto:e@example.com\r\nATTENDEE;CN=\"Mike Douglass\"",
    );
    let r = reply(&input, &opts("mailto:e@example.com", PartStat::Accepted));
    let itip = r.itip.unwrap().replace("\r\n ", "");
    assert!(itip.contains(
        "ATTENDEE;PARTSTAT=ACCEPTED;DELEGATED-FROM=\"mailto:bernard@example.net\":mailto:e@example.com\r\n"
    ));
}

#[test]
fn r18_multiple_delegates_each_quoted() {
    let input = fixture("s1-wilfredo.ics");
    let mut o = opts(WILFREDO, PartStat::Delegated);
    o.delegate_to = Some(vec!["mailto:a@x.com".into(), "mailto:b@x.com".into()]);
    let r = reply(&input, &o);
    let un = r.data.replace("\r\n ", "");
    assert!(un.contains(
        "DELEGATED-TO=\"mailto:a@x.com\",\"mailto:b@x.com\":mailto:wilfredo@example.com"
    ));
    assert_eq!(
        count(&un, "DELEGATED-FROM=\"mailto:wilfredo@example.com\""),
        2
    );
}

#[test]
fn r19_reply_via_group_membership() {
    let input = with_agent(
        &fixture("s1-wilfredo.ics").replace(
            "ATTENDEE;CN=\"Mike Douglass\"",
            "ATTENDEE;CUTYPE=GROUP:mailto:team@example.com\r\nATTENDEE;CN=\"Mike Douglass\"",
        ),
        "CLIENT",
    );
    let r = reply(&input, &opts("mailto:me@example.com", PartStat::Accepted));
    let line = "ATTENDEE;CUTYPE=INDIVIDUAL;MEMBER=\"mailto:team@example.com\";PARTSTAT=ACCEPTED:mailto:me@example.com\r\n";
    assert!(r.data.replace("\r\n ", "").contains(line), "{}", r.data);
    assert!(r.itip.unwrap().replace("\r\n ", "").contains(line));
    assert!(r.warnings.iter().any(|w| w.code == "GROUP_MEMBER_ADDED"));
    // No group and not listed: not an attendee.
    assert_eq!(
        err(
            &fixture("s1-wilfredo.ics"),
            &opts("mailto:me@example.com", PartStat::Accepted)
        ),
        ErrorCode::NotAnAttendee
    );
}

#[test]
fn r20_reply_on_behalf_sets_sent_by() {
    let mut o = opts(WILFREDO, PartStat::Accepted);
    o.sent_by = Some("mailto:assistant@example.com".into());
    let r = reply(&fixture("s1-wilfredo.ics"), &o);
    assert!(r
        .data
        .replace("\r\n ", "")
        .contains("SENT-BY=\"mailto:assistant@example.com\":mailto:wilfredo@example.com"));
    o.sent_by = Some("assistant".into());
    assert_eq!(
        err(&fixture("s1-wilfredo.ics"), &o),
        ErrorCode::InvalidOption
    );
}

#[test]
fn r22_alarm_uid_stays_in_the_stored_copy_never_in_the_reply() {
    let input = with_agent(&fixture("s1-wilfredo.ics"), "CLIENT");
    let mut o = opts(WILFREDO, PartStat::Accepted);
    let mut a = alarm("-PT30M");
    a.uid = Some("A1B2".into());
    o.alarms = Some(vec![a, alarm("PT0S")]);
    let r = reply(&input, &o);
    assert!(r
        .data
        .contains("BEGIN:VALARM\r\nUID:A1B2\r\nTRIGGER:-PT30M\r\n"));
    assert_eq!(count(&r.data, "BEGIN:VALARM"), 2);
    assert!(!r.itip.unwrap().contains("VALARM"));
    // Alarms given again replace the user's alarms; omitted keeps them.
    o.alarms = Some(vec![alarm("-PT5M")]);
    let again = reply(&r.data, &o);
    assert_eq!(count(&again.data, "BEGIN:VALARM"), 1);
    assert!(again.data.contains("TRIGGER:-PT5M"));
    o.alarms = None;
    o.partstat = PartStat::Tentative;
    let kept = reply(&again.data, &o);
    assert!(kept.data.contains("TRIGGER:-PT5M"));
}

#[test]
fn r24_no_collateral_changes() {
    let input = fixture("recurring-montreal.ics").replace("PRODID", "METHOD:REQUEST\r\nPRODID");
    let mut o = opts(BERNARD, PartStat::Declined);
    o.recurrence_id = Some("20090604T150000".into());
    let r = reply(&input, &o);
    assert!(!r.data.contains("METHOD"));
    assert!(r.warnings.iter().any(|w| w.code == "METHOD_REMOVED"));
    let (removed, added) = diff(&input, &r.data);
    for l in removed.iter().chain(&added) {
        let p = prop(l);
        let ok = p.is("METHOD") || p.is("DTSTAMP") || (p.is("ATTENDEE") && p.value() == BERNARD);
        assert!(ok, "{l}");
    }
}

const TODO: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VTODO\r\nUID:t1\r\nDTSTAMP:20270101T000000Z\r\nDUE:20270110T170000Z\r\nSUMMARY:Write report\r\nORGANIZER:mailto:o@example.com\r\nATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:me@example.com\r\nEND:VTODO\r\nEND:VCALENDAR\r\n";

#[test]
fn r25_vtodo_progress() {
    let mut o = opts("mailto:me@example.com", PartStat::InProcess);
    o.percent_complete = Some(50);
    let r = reply(TODO, &o);
    assert!(r.data.contains("PARTSTAT=IN-PROCESS"));
    assert!(r.data.contains("PERCENT-COMPLETE:50\r\n"));
    let todo = with_agent(TODO, "CLIENT").replace("ORGANIZER:", "ORGANIZER;SCHEDULE-AGENT=CLIENT:");
    let r = reply(&todo, &opts("mailto:me@example.com", PartStat::Completed));
    assert!(r.data.contains(&format!("COMPLETED:{NOW}\r\n")));
    assert!(r.data.contains("PERCENT-COMPLETE:100\r\n"));
    let itip = r.itip.unwrap();
    assert!(itip.contains("BEGIN:VTODO") && itip.contains("PERCENT-COMPLETE:100"));
    assert!(itip.contains(&format!("COMPLETED:{NOW}")));
    // Reopening removes COMPLETED.
    let reopened = reply(&r.data, &opts("mailto:me@example.com", PartStat::InProcess));
    assert!(!reopened.data.contains("COMPLETED:"));
    // VTODO-only answers and options are refused on a VEVENT.
    let s1 = fixture("s1-wilfredo.ics");
    assert_eq!(
        err(&s1, &opts(WILFREDO, PartStat::Completed)),
        ErrorCode::InvalidOption
    );
    let mut o = opts(WILFREDO, PartStat::Accepted);
    o.percent_complete = Some(10);
    assert_eq!(err(&s1, &o), ErrorCode::InvalidOption);
}

#[test]
fn r27_needs_action_is_stored_but_never_sent() {
    let input = with_agent(&fixture("s1-wilfredo.ics"), "CLIENT")
        .replace("PARTSTAT\r\n =NEEDS-ACTION", "PARTSTAT\r\n =ACCEPTED");
    let r = reply(&input, &opts(WILFREDO, PartStat::NeedsAction));
    assert!(r.changed);
    assert_eq!(r.itip, None);
    assert!(r.warnings.iter().any(|w| w.code == "NEEDS_ACTION_NOT_SENT"));
}

/// The recurring fixture with Bernard's ATTENDEE removed from the components numbered in `drop`
/// (0 = master, 1 = the moved instance, 2 = the instance he declined).
fn recurring_without_bernard_in(drop: &[usize]) -> String {
    const LINE: &str = "ATTENDEE;CN=\"Bernard Desruisseaux\";CUTYPE=INDIVIDUAL;PARTSTAT=\r\n NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:bernard@ex\r\n ample.net\r\n";
    let declined = LINE.replace("NEEDS-ACTION", "DECLINED");
    let text = fixture("recurring-montreal.ics");
    let parts: Vec<&str> = text.split("BEGIN:VEVENT").collect();
    let mut out = parts[0].to_string();
    for (i, part) in parts[1..].iter().enumerate() {
        out.push_str("BEGIN:VEVENT");
        if drop.contains(&i) {
            out.push_str(&part.replace(LINE, "").replace(&declined, ""));
        } else {
            out.push_str(part);
        }
    }
    out
}

#[test]
fn instance_i_am_not_invited_to_is_not_an_attendee() {
    let input = recurring_without_bernard_in(&[1]);
    assert_eq!(count(&input, "bernard"), 2);
    let mut o = opts(BERNARD, PartStat::Accepted);
    o.recurrence_id = Some("20090604T150000".into());
    assert_eq!(err(&input, &o), ErrorCode::NotAnAttendee);
    // The series answer skips that instance.
    let r = reply(&input, &opts(BERNARD, PartStat::Accepted));
    assert_eq!(
        count(
            &r.data.replace("\r\n ", ""),
            "ACCEPTED;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:bernard"
        ),
        1
    );
}

#[test]
fn series_answer_when_invited_to_some_instances_only() {
    let input = recurring_without_bernard_in(&[0, 1]);
    assert_eq!(count(&input, "bernard"), 1);
    let r = reply(&input, &opts(BERNARD, PartStat::Accepted));
    let un = r.data.replace("\r\n ", "");
    assert!(
        un.contains("PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:bernard@example.net")
    );
    assert!(!un.contains("DECLINED"));
    // A new override from the master is refused: I am not in the master.
    let mut o = opts(BERNARD, PartStat::Accepted);
    o.recurrence_id = Some("20090602T150000".into());
    assert_eq!(err(&input, &o), ErrorCode::NotAnAttendee);
}

#[test]
fn this_and_future_when_invited_to_some_instances_only() {
    let input = recurring_without_bernard_in(&[0]);
    let mut o = opts(BERNARD, PartStat::Tentative);
    o.recurrence_id = Some("20090604T150000".into());
    o.scope = Some(Scope::ThisAndFuture);
    let r = reply(&input, &o);
    // Both later overrides (one of them explicitly declined before) get the answer; no master
    // answer, so no overrides are created.
    assert_eq!(count(&r.data, "BEGIN:VEVENT"), 3);
    assert_eq!(count(&r.data.replace("\r\n ", ""), "PARTSTAT=TENTATIVE"), 2);
}

#[test]
fn this_and_future_far_into_a_daily_series_is_too_large() {
    let daily = ALL_DAY.replace("WEEKLY", "DAILY");
    let mut o = opts("mailto:me@example.com", PartStat::Declined);
    o.scope = Some(Scope::ThisAndFuture);
    o.recurrence_id = Some("20270101".into());
    assert_eq!(err(&daily, &o), ErrorCode::TooLarge);
    // Near the start it pins the few earlier days.
    o.recurrence_id = Some("20240104".into());
    let r = reply(&daily, &o);
    assert_eq!(count(&r.data, "RECURRENCE-ID;VALUE=DATE:"), 3);
    assert_eq!(count(&r.data, "PARTSTAT=NEEDS-ACTION"), 3);
    assert_eq!(count(&r.data, "PARTSTAT=DECLINED"), 1);
}

// ---------------------------------------------------------------------------------------------
// Identity and misuse.

#[test]
fn me_matches_across_case_and_percent_encoding_and_keeps_spelling() {
    let input = fixture("s1-wilfredo.ics");
    let o = ReplyOptions::new(
        &["/principals/wilfredo/", "MAILTO:Wilfredo%40Example.COM"],
        PartStat::Accepted,
        "2009-06-02T18:57:54Z",
    );
    let r = reply(&input, &o);
    assert!(r
        .data
        .replace("\r\n ", "")
        .contains("PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:wilfredo@example.com"));
    assert_eq!(count(&r.data, "ATTENDEE"), 4);
}

#[test]
fn errors_for_misuse_and_wrong_objects() {
    let s1 = fixture("s1-wilfredo.ics");
    assert_eq!(
        err(&s1, &opts("mailto:cyrus@example.com", PartStat::Accepted)),
        ErrorCode::IsOrganizer
    );
    assert_eq!(
        err(&s1, &opts("mailto:nobody@example.com", PartStat::Accepted)),
        ErrorCode::NotAnAttendee
    );
    let no_org = s1.replace(
        "ORGANIZER;CN=\"Cyrus Daboo\":mailto:cyrus@example.com\r\n",
        "",
    );
    assert_eq!(
        err(&no_org, &opts(WILFREDO, PartStat::Accepted)),
        ErrorCode::NotSchedulingObject
    );
    assert_eq!(
        err(&s1[..300], &opts(WILFREDO, PartStat::Accepted)),
        ErrorCode::Parse
    );
    let mut o = opts(WILFREDO, PartStat::Accepted);
    o.now = "20090602T185754".into();
    assert_eq!(err(&s1, &o), ErrorCode::InvalidOption);
    let mut o = opts(WILFREDO, PartStat::Accepted);
    o.scope = Some(Scope::Instance);
    assert_eq!(err(&s1, &o), ErrorCode::InvalidOption);
    o.recurrence_id = Some("20090602T160000Z".into());
    o.scope = Some(Scope::Series);
    assert_eq!(err(&s1, &o), ErrorCode::InvalidOption);
    // A non-recurring event: its only instance is DTSTART; anything else is no instance.
    o.scope = None;
    o.recurrence_id = Some("20090603T160000Z".into());
    assert_eq!(err(&s1, &o), ErrorCode::NoSuchInstance);
    o.recurrence_id = Some("bogus".into());
    assert_eq!(err(&s1, &o), ErrorCode::InvalidOption);
    let mut o = opts(WILFREDO, PartStat::Accepted);
    o.alarms = Some(vec![alarm("tomorrow")]);
    assert_eq!(err(&s1, &o), ErrorCode::InvalidOption);
    let limits = caldav_sched::ical::Limits {
        max_bytes: 100,
        ..Default::default()
    };
    let mut o = opts(WILFREDO, PartStat::Accepted);
    o.limits = Some(limits);
    assert_eq!(err(&s1, &o), ErrorCode::TooLarge);
}

#[test]
fn options_deserialize_from_camel_case_json_shapes() {
    let o: ReplyOptions = serde_json_like(
        r#"{"me":"mailto:w@example.com","partstat":"NEEDS-ACTION","recurrenceId":"20090609T160000Z","scope":"thisAndFuture","delegateTo":["mailto:e@x"],"alarms":[{"trigger":"-PT15M"}],"now":"20090602T185754Z"}"#,
    );
    assert_eq!(o.partstat, PartStat::NeedsAction);
    assert_eq!(o.scope, Some(Scope::ThisAndFuture));
    assert_eq!(o.me.to_vec(), ["mailto:w@example.com"]);
    let o: ReplyOptions = serde_json_like(r#"{"me":["a","b"],"partstat":"IN-PROCESS","now":"x"}"#);
    assert_eq!(o.me.to_vec(), ["a", "b"]);
    assert_eq!(o.partstat, PartStat::InProcess);
}

/// Reads options from JSON, as the JS boundary will.
fn serde_json_like(json: &str) -> ReplyOptions {
    serde_json::from_str(json).unwrap()
}

// ---------------------------------------------------------------------------------------------
// Corpus: every file with an ATTENDEE, answered by its first non-organizer attendee, is read
// back by an independent parser with the same content apart from the intended change.

/// ../shared/corpus next to the repository (or next to the worktree folder holding it).
fn corpus_dir() -> Option<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    ["../shared/corpus", "../../shared/corpus"]
        .iter()
        .map(|p| root.join(p))
        .find(|d| d.join("manifest.tsv").exists())
}

type Flat = Vec<(String, String, Vec<(String, Option<String>)>, String)>;

/// Every property as (component path, NAME, params, value), normalised for comparison: DTSTAMP,
/// LAST-MODIFIED and METHOD dropped, my ATTENDEE's PARTSTAT dropped, VALARMs dropped.
/// Line endings are made uniform first: changed lines are written with CRLF inside an LF file
/// on purpose (L11), and the `icalendar` parser cannot read mixed endings.
fn flatten(text: &str, me: &str) -> Option<Flat> {
    let unfolded = icalendar::parser::unfold(&text.replace("\r\n", "\n"));
    let cal = icalendar::parser::read_calendar(&unfolded).ok()?;
    let mut out = Vec::new();
    fn walk(c: &icalendar::parser::Component<'_>, path: &str, me: &str, out: &mut Flat) {
        let path = format!("{path}/{}", c.name.as_str().to_ascii_uppercase());
        if path.ends_with("/VALARM") {
            return;
        }
        for p in &c.properties {
            let name = p.name.as_str().to_ascii_uppercase();
            if ["DTSTAMP", "LAST-MODIFIED", "METHOD"].contains(&name.as_str()) {
                continue;
            }
            let mine = name == "ATTENDEE" && caldav_sched::ical::same_address(p.val.as_str(), me);
            let params = p
                .params
                .iter()
                .filter(|q| !(mine && q.key.as_str().eq_ignore_ascii_case("PARTSTAT")))
                .map(|q| {
                    (
                        q.key.as_str().to_ascii_uppercase(),
                        q.val.as_ref().map(|v| v.as_str().to_string()),
                    )
                })
                .collect();
            out.push((path.clone(), name, params, p.val.as_str().to_string()));
        }
        for sub in &c.components {
            walk(sub, &path, me, out);
        }
    }
    for c in &cal.components {
        walk(c, "", me, &mut out);
    }
    for p in &cal.properties {
        let name = p.name.as_str().to_ascii_uppercase();
        if name != "METHOD" {
            out.push(("".into(), name, Vec::new(), p.val.as_str().to_string()));
        }
    }
    Some(out)
}

#[test]
fn corpus_replies_reparse_with_only_the_intended_change() {
    let Some(dir) = corpus_dir() else {
        eprintln!("NOTICE: ../shared/corpus is missing; corpus reply test skipped");
        return;
    };
    let text = std::fs::read_to_string(dir.join("manifest.tsv")).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let col = |n: &str| header.iter().position(|h| *h == n).unwrap();
    let (path_col, att_col) = (col("path"), col("has_attendee"));
    let (mut answered, mut refused, mut unreadable) = (0, 0, 0);
    for line in lines {
        let f: Vec<&str> = line.split('\t').collect();
        if f[att_col] != "1" {
            continue;
        }
        let bytes = std::fs::read(dir.join(f[path_col])).unwrap();
        let Ok(doc) = Document::parse(&bytes) else {
            refused += 1;
            continue;
        };
        let cal = doc.calendar().unwrap();
        let org = caldav_sched::itip::identity::organizer(cal).map(|o| o.value().to_string());
        let me = caldav_sched::itip::identity::scheduling_components(cal)
            .flat_map(|c| c.properties_named("ATTENDEE"))
            .map(|a| a.value().trim().to_string())
            .find(|a| {
                org.as_deref()
                    .is_none_or(|o| !caldav_sched::ical::same_address(a, o))
            });
        let Some(me) = me else {
            refused += 1;
            continue;
        };
        let mut o = ReplyOptions::new(&[me.as_str()], PartStat::Accepted, NOW);
        o.alarms = Some(vec![alarm("-PT10M")]);
        let r = match attendee_reply(&bytes, &o) {
            Ok(r) => r,
            Err(e) => {
                assert!(
                    matches!(
                        e.code,
                        ErrorCode::NotSchedulingObject
                            | ErrorCode::IsOrganizer
                            | ErrorCode::NotAnAttendee
                            | ErrorCode::Parse
                            | ErrorCode::UidMismatch
                    ),
                    "{}: {e}",
                    f[path_col]
                );
                eprintln!("refused {}: {e}", f[path_col]);
                refused += 1;
                continue;
            }
        };
        // Our own parser reads the output, and my answer is in it.
        let out = Document::parse(r.data.as_bytes()).unwrap();
        let mine_accepted =
            caldav_sched::itip::identity::scheduling_components(out.calendar().unwrap())
                .flat_map(|c| c.properties_named("ATTENDEE"))
                .filter(|a| caldav_sched::ical::same_address(a.value(), &me))
                .any(|a| a.param_value("PARTSTAT").as_deref() == Some("ACCEPTED"));
        assert!(mine_accepted, "{}", f[path_col]);
        let input = String::from_utf8_lossy(&bytes);
        let (Some(before), after) = (flatten(&input, &me), flatten(&r.data, &me)) else {
            unreadable += 1;
            continue;
        };
        let after =
            after.unwrap_or_else(|| panic!("{}: icalendar cannot read our output", f[path_col]));
        assert_eq!(before, after, "{}", f[path_col]);
        answered += 1;
    }
    eprintln!("corpus replies: {answered} compared, {refused} refused as expected, {unreadable} unreadable by icalendar");
    assert!(answered > 10, "only {answered} corpus files answered");
}

/// Byte level, on every corpus file with ATTENDEEs that a reply answers: each line the reply
/// removes is DTSTAMP, LAST-MODIFIED, METHOD (a stored copy has none, RFC 4791 §4.1), my
/// ATTENDEE or a line of my alarms, and each line it adds is one of those
/// or a line of a new override (copied from the master); every other line stays byte-identical.
#[test]
fn corpus_replies_keep_every_other_line_byte_identical() {
    let Some(dir) = corpus_dir() else {
        eprintln!("NOTICE: ../shared/corpus is missing; corpus byte-identity test skipped");
        return;
    };
    let text = std::fs::read_to_string(dir.join("manifest.tsv")).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let col = |n: &str| header.iter().position(|h| *h == n).unwrap();
    let (path_col, att_col) = (col("path"), col("has_attendee"));
    let mut checked = 0;
    for line in lines {
        let f: Vec<&str> = line.split('\t').collect();
        if f[att_col] != "1" {
            continue;
        }
        let bytes = std::fs::read(dir.join(f[path_col])).unwrap();
        let Ok(doc) = Document::parse(&bytes) else {
            continue;
        };
        let cal = doc.calendar().unwrap();
        let org = caldav_sched::itip::identity::organizer(cal).map(|o| o.value().to_string());
        let attendees: Vec<String> = caldav_sched::itip::identity::scheduling_components(cal)
            .flat_map(|c| c.properties_named("ATTENDEE"))
            .map(|a| a.value().trim().to_string())
            .filter(|a| {
                org.as_deref()
                    .is_none_or(|o| !caldav_sched::ical::same_address(a, o))
            })
            .collect();
        let input = String::from_utf8_lossy(&bytes).into_owned();
        // The first and the last attendee, each declining with an alarm and accepting without.
        for me in [attendees.first(), attendees.last()].into_iter().flatten() {
            for (ps, alarms) in [(PartStat::Declined, true), (PartStat::Accepted, false)] {
                let mut o = ReplyOptions::new(&[me.as_str()], ps, NOW);
                if alarms {
                    o.alarms = Some(vec![alarm("-PT10M")]);
                }
                let Ok(r) = attendee_reply(&bytes, &o) else {
                    continue;
                };
                assert_only_my_lines_changed(&input, &r.data, me, ps, f[path_col]);
                checked += 1;
            }
        }
    }
    eprintln!("corpus replies: {checked} replies checked line by line");
    assert!(checked > 20, "only {checked} corpus replies checked");
}

fn assert_only_my_lines_changed(input: &str, output: &str, me: &str, ps: PartStat, file: &str) {
    let (removed, added) = diff(input, output);
    let mine = |p: &Property| p.is("ATTENDEE") && caldav_sched::ical::same_address(p.value(), me);
    let mut in_alarm = false;
    for l in &removed {
        let p = prop(l);
        if p.is("BEGIN") && p.value().eq_ignore_ascii_case("VALARM") {
            in_alarm = true;
        }
        assert!(
            in_alarm || p.is("DTSTAMP") || p.is("LAST-MODIFIED") || p.is("METHOD") || mine(&p),
            "{file}: removed {l:?}"
        );
        if p.is("END") && p.value().eq_ignore_ascii_case("VALARM") {
            in_alarm = false;
        }
    }
    let raw_input = raw_lines(input);
    let (mut in_alarm, mut in_override) = (false, false);
    for l in &added {
        let p = prop(l);
        if p.is("BEGIN") && p.value() == "VALARM" {
            in_alarm = true;
        } else if p.is("BEGIN") {
            in_override = true;
        }
        let copied = in_override
            && (raw_input.iter().any(|r| unfolded(r) == unfolded(l))
                || ["BEGIN", "END", "RECURRENCE-ID", "DTSTART", "DTEND", "DUE"]
                    .iter()
                    .any(|n| p.is(n)));
        let my_answer = mine(&p) && p.param_value("PARTSTAT").as_deref() == Some(ps.as_str());
        assert!(
            in_alarm || copied || p.is("DTSTAMP") || p.is("LAST-MODIFIED") || my_answer,
            "{file}: added {l:?}"
        );
        if p.is("END") && p.value() == "VALARM" {
            in_alarm = false;
        } else if p.is("END") {
            in_override = false;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Property: a reply changes only my ATTENDEE lines, my alarms and bookkeeping.

mod prop {
    use super::*;
    use proptest::prelude::*;

    fn partstat() -> impl Strategy<Value = PartStat> {
        prop_oneof![
            Just(PartStat::Accepted),
            Just(PartStat::Declined),
            Just(PartStat::Tentative),
            Just(PartStat::NeedsAction),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn reply_changes_only_my_lines(
            who in 0usize..3,
            ps in partstat(),
            with_alarm in any::<bool>(),
            recurring in any::<bool>(),
            lf in any::<bool>(),
            x_value in "[a-zA-Z0-9 ,;:]{0,90}",
            x_at in 0usize..30,
            instance in proptest::option::of(0usize..5),
        ) {
            let base = if recurring { fixture("recurring-montreal.ics") } else { fixture("s1-wilfredo.ics") };
            let people = [WILFREDO, BERNARD, "mailto:mike@example.org"];
            let me = if recurring && who == 2 { WILFREDO } else { people[who] };
            // Noise the reply must carry over untouched: an X- property somewhere in the data.
            let mut lines: Vec<&str> = base.split_inclusive("\r\n").collect();
            let x_line = format!("X-NOISE;X-P=\"{}\":{}\r\n", x_value.replace([';', ':', ','], ""), x_value);
            let at = 3 + x_at % (lines.len() - 4);
            if !lines[at].starts_with(' ') {
                lines.insert(at, &x_line);
            }
            let mut input: String = lines.concat();
            if lf {
                input = input.replace("\r\n", "\n");
            }
            let mut o = opts(me, ps);
            if with_alarm {
                o.alarms = Some(vec![alarm("-PT15M")]);
            }
            if let (true, Some(i)) = (recurring, instance) {
                o.recurrence_id = Some(format!("2009060{}T150000", i + 1));
            }
            let r = attendee_reply(input.as_bytes(), &o).unwrap();
            let (removed, added) = diff(&input, &r.data);
            // Lines of the master: a new override copies them.
            let master: Vec<String> = vevents(&input)[0]
                .properties()
                .map(|p| p.text().to_string())
                .collect();
            let mut in_alarm = false;
            let mut in_new_override = false;
            for l in &removed {
                let p = prop(l);
                let ok = p.is("DTSTAMP") || (p.is("ATTENDEE") && caldav_sched::ical::same_address(p.value(), me));
                prop_assert!(ok, "removed {l:?}");
            }
            for l in &added {
                let p = prop(l);
                if p.is("BEGIN") && p.value() == "VALARM" { in_alarm = true; }
                if p.is("BEGIN") && p.value() == "VEVENT" { in_new_override = true; }
                let copied = in_new_override
                    && (master.contains(&unfolded(l))
                        || ["BEGIN", "END", "RECURRENCE-ID", "DTSTART", "DTEND"].iter().any(|n| p.is(n)));
                let ok = in_alarm
                    || copied
                    || p.is("DTSTAMP")
                    || (p.is("ATTENDEE") && caldav_sched::ical::same_address(p.value(), me)
                        && p.param_value("PARTSTAT").as_deref() == Some(ps.as_str()));
                prop_assert!(ok, "added {l:?}");
                if p.is("END") && p.value() == "VALARM" { in_alarm = false; }
                if p.is("END") && p.value() == "VEVENT" { in_new_override = false; }
            }
            prop_assert!(!r.data.contains("SEQUENCE:1") && !r.data.contains("SEQUENCE:4"));
            // (A new override copies the master's, so there may be more.)
            prop_assert!(count(&r.data, "X-NOISE") >= count(&input, "X-NOISE"));
        }

        /// Damaged input (a line dropped or repeated, an id or trigger of random text) gives a
        /// result or an error with a code, never a panic.
        #[test]
        fn damaged_input_never_panics(
            recurring in any::<bool>(),
            drop_at in 0usize..80,
            repeat_at in 0usize..80,
            id in proptest::option::of("[0-9TZ:-]{0,20}"),
            trigger in "[-+PTWDHMS0-9Z]{0,12}",
            scope in 0usize..4,
        ) {
            let base = if recurring { fixture("recurring-montreal.ics") } else { fixture("s1-wilfredo.ics") };
            let mut lines: Vec<&str> = base.split_inclusive("\r\n").collect();
            let n = lines.len();
            let repeated = lines[repeat_at % n];
            lines.insert(repeat_at % n, repeated);
            lines.remove(drop_at % lines.len());
            let input = lines.concat();
            let mut o = opts(if recurring { BERNARD } else { WILFREDO }, PartStat::Declined);
            o.recurrence_id = id;
            o.scope = [None, Some(Scope::Series), Some(Scope::Instance), Some(Scope::ThisAndFuture)][scope];
            o.alarms = Some(vec![alarm(&trigger)]);
            match attendee_reply(input.as_bytes(), &o) {
                Ok(r) => prop_assert!(Document::parse(r.data.as_bytes()).is_ok()),
                Err(e) => prop_assert!(!e.message.is_empty()),
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Hostile options and data (issue 7): regression tests of bugs found by tests/web/hostile.rs.

#[test]
fn hostile_comment_with_nul_or_escape_is_unsafe_but_line_breaks_are_text() {
    let input = with_agent(&fixture("s1-wilfredo.ics"), "CLIENT");
    let mut o = opts(WILFREDO, PartStat::Accepted);
    for bad in ["late\0", "late\u{1b}[31m", "late\u{7f}"] {
        o.comment = Some(bad.into());
        assert_eq!(err(&input, &o), ErrorCode::UnsafeValue, "{bad:?}");
    }
    o.comment = Some("late\rX-EVIL:1\tok".into());
    let itip = reply(&input, &o).itip.unwrap();
    assert!(itip.contains("COMMENT:late\\nX-EVIL:1\tok\r\n"), "{itip}");
}

#[test]
fn hostile_second_organizer_on_the_same_uid_is_not_a_scheduling_object() {
    let input = fixture("s1-wilfredo.ics");
    let forged = input.replace(
        "END:VCALENDAR",
        "BEGIN:VEVENT\r\nUID:9263504FD3AD\r\nDTSTAMP:20090602T185254Z\r\nRECURRENCE-ID:20090602T160000Z\r\nDTSTART:20090602T180000Z\r\nORGANIZER:mailto:mallory@example.com\r\nATTENDEE:mailto:wilfredo@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR",
    );
    let e = attendee_reply(forged.as_bytes(), &opts(WILFREDO, PartStat::Accepted)).unwrap_err();
    assert_eq!(e.code, ErrorCode::NotSchedulingObject);
    assert!(e.message.contains("mallory"), "{e}");
    // The same organizer spelled differently is one organizer.
    let same = forged.replace("mailto:mallory@example.com", "MAILTO:Cyrus@Example.COM");
    assert!(attendee_reply(same.as_bytes(), &opts(WILFREDO, PartStat::Accepted)).is_ok());
}

/// R15: re-sending an unchanged answer asks the server to send the REPLY again with
/// SCHEDULE-FORCE-SEND=REPLY on the ORGANIZER; nothing else of the ORGANIZER line changes.
#[test]
fn r15_force_send_marks_the_organizer_only() {
    let input = fixture("s1-wilfredo.ics");
    let first = attendee_reply(input.as_bytes(), &opts(WILFREDO, PartStat::Accepted)).unwrap();
    let mut again = opts(WILFREDO, PartStat::Accepted);
    again.force_send = Some(true);
    let r = attendee_reply(first.data.as_bytes(), &again).unwrap();
    let ev = &vevents(&r.data)[0];
    let org = ev.property("ORGANIZER").unwrap();
    assert_eq!(
        org.param_value("SCHEDULE-FORCE-SEND").as_deref(),
        Some("REPLY")
    );
    assert_eq!(org.param_value("CN").as_deref(), Some("Cyrus Daboo"));
    assert_eq!(org.value(), "mailto:cyrus@example.com");
    assert!(r.changed);
    // Without the option an unchanged answer changes nothing.
    let same = attendee_reply(first.data.as_bytes(), &opts(WILFREDO, PartStat::Accepted)).unwrap();
    assert!(!same.changed);
}

/// A `me` of the wrong shape says what `me` must be (not serde's "untagged enum" wording).
#[test]
fn a_wrong_me_says_what_me_must_be() {
    let e = serde_json::from_str::<caldav_sched::itip::ReplyOptions>(
        r#"{"me": 5, "partstat": "ACCEPTED", "now": "20260101T000000Z"}"#,
    )
    .unwrap_err();
    assert!(
        e.to_string()
            .starts_with("`me`: a calendar-user address (string) or an array of them"),
        "{e}"
    );
}

/// The REQUEST forwarded to the delegates (RFC 5546 §3.2.2.3, §4.2.5), re-read by the parser.
fn forward_of(r: &ReplyResult) -> Vec<caldav_sched::ical::Component> {
    let forward = r.forward.as_deref().expect("a forwarded REQUEST");
    assert!(
        forward.starts_with("BEGIN:VCALENDAR\r\nPRODID:"),
        "{forward}"
    );
    assert!(forward.contains("\r\nMETHOD:REQUEST\r\n"), "{forward}");
    for absent in [
        "SCHEDULE-AGENT",
        "SCHEDULE-STATUS",
        "BEGIN:VALARM",
        "COMMENT",
        "REQUEST-STATUS",
    ] {
        assert!(!forward.contains(absent), "{absent} in {forward}");
    }
    vevents(forward)
}

#[test]
fn r16_delegating_the_series_forwards_every_instance_the_delegate_is_on() {
    let input = client_series();
    let mut o = delegating_to_e(BERNARD);
    o.alarms = Some(vec![alarm("-PT15M")]);
    o.comment = Some("Eve goes for me".into());
    let r = reply(&input, &o);
    assert!(r.data.contains("BEGIN:VALARM"), "my alarm is stored");
    let forward = r.forward.clone().unwrap();
    assert!(forward.contains("BEGIN:VTIMEZONE\r\n"), "{forward}");
    assert!(
        forward.lines().all(|l| l.len() <= 75),
        "folded at 75 octets"
    );
    let events = forward_of(&r);
    // The master and the 4 June override; Bernard declined 5 June himself, so Eve is not
    // on it and the master leaves it out.
    assert_eq!(events.len(), 2);
    let master = &events[0];
    assert!(master.property("RECURRENCE-ID").is_none());
    assert_eq!(
        master.value_of("RRULE"),
        Some("FREQ=DAILY;INTERVAL=1;COUNT=5")
    );
    let exdates: Vec<&str> = master
        .properties_named("EXDATE")
        .map(|p| p.text())
        .collect();
    assert_eq!(exdates, ["EXDATE;TZID=America/Montreal:20090605T150000"]);
    assert_eq!(
        events[1].property("RECURRENCE-ID").map(|p| p.text()),
        Some("RECURRENCE-ID;TZID=America/Montreal:20090604T150000")
    );
    for event in &events {
        assert_eq!(
            event.value_of("SEQUENCE"),
            Some("3"),
            "never bumped (RFC 5546 §2.1.4)"
        );
        let attendees: Vec<&caldav_sched::ical::Property> =
            event.properties_named("ATTENDEE").collect();
        assert_eq!(
            attendees.len(),
            4,
            "everyone the organizer invited, and Eve"
        );
        let eve = attendees
            .iter()
            .find(|a| a.value() == "mailto:e@example.com")
            .unwrap();
        assert_eq!(eve.param_values("DELEGATED-FROM"), [BERNARD]);
        assert_eq!(eve.param_value("PARTSTAT").as_deref(), Some("NEEDS-ACTION"));
        let bernard = attendees.iter().find(|a| a.value() == BERNARD).unwrap();
        assert_eq!(
            bernard.param_value("PARTSTAT").as_deref(),
            Some("DELEGATED")
        );
        assert_eq!(
            bernard.param_values("DELEGATED-TO"),
            ["mailto:e@example.com"]
        );
    }
}

#[test]
fn r16_delegating_one_instance_forwards_that_instance_only() {
    let input = client_series();
    let mut o = delegating_to_e(BERNARD);
    o.recurrence_id = Some("20090603T150000".into());
    let r = reply(&input, &o);
    let events = forward_of(&r);
    assert_eq!(events.len(), 1);
    assert_eq!(
        events[0].property("RECURRENCE-ID").map(|p| p.text()),
        Some("RECURRENCE-ID;TZID=America/Montreal:20090603T150000")
    );
    assert!(events[0].property("EXDATE").is_none());
    assert!(events[0].property("RRULE").is_none());
}

#[test]
fn r16_no_forward_unless_i_delegate_and_send_the_messages_myself() {
    let delegating = |input: &str| {
        let o = delegating_to_e(BERNARD);
        reply(input, &o)
    };
    let client = client_series();
    assert!(delegating(&client).forward.is_some());
    // The server sends the REPLY (and the organizer invites the delegate from it).
    let server = delegating(&fixture("recurring-montreal.ics"));
    assert_eq!((server.itip, server.forward), (None, None));
    let none = delegating(&with_agent(&fixture("recurring-montreal.ics"), "NONE"));
    assert_eq!(none.forward, None);
    let accepted = reply(&client, &opts(BERNARD, PartStat::Accepted));
    assert!(accepted.itip.is_some());
    assert_eq!(accepted.forward, None);
}

/// A calendar (CRLF) around one component's lines.
fn calendar_of(lines: &[&str]) -> String {
    let mut all = vec!["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//x//y//EN"];
    all.extend_from_slice(lines);
    all.push("END:VCALENDAR");
    all.join("\r\n") + "\r\n"
}

#[test]
fn a_method_line_removed_from_the_stored_copy_does_not_shift_what_the_reply_answers() {
    let with_method = client_series().replacen(
        "PRODID:-//Example Corp.//CalDAV Server//EN",
        "PRODID:-//Example Corp.//CalDAV Server//EN\r\nMETHOD:REQUEST",
        1,
    );
    assert!(with_method.contains("METHOD:REQUEST"));
    let mut o = opts(BERNARD, PartStat::Accepted);
    o.recurrence_id = Some("20090604T150000".into());
    let r = reply(&with_method, &o);
    assert!(r.warnings.iter().any(|w| w.code == "METHOD_REMOVED"));
    let answered = vevents(r.itip.as_deref().unwrap());
    assert_eq!(answered.len(), 1);
    assert_eq!(
        answered[0].property("RECURRENCE-ID").map(|p| p.text()),
        Some("RECURRENCE-ID;TZID=America/Montreal:20090604T150000")
    );
    assert_eq!(
        partstats_of(r.itip.as_deref().unwrap(), "bernard"),
        [("20090604T150000".to_string(), "ACCEPTED".to_string())]
    );
    // A single event: the REPLY has its VEVENT.
    let single = calendar_of(&[
        "METHOD:REQUEST",
        "BEGIN:VEVENT",
        "UID:m1",
        "DTSTAMP:20240101T000000Z",
        "DTSTART:20240110T100000Z",
        "ORGANIZER;SCHEDULE-AGENT=CLIENT:mailto:o@example.com",
        "ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:me@example.com",
        "END:VEVENT",
    ]);
    let r = reply(&single, &opts("mailto:me@example.com", PartStat::Accepted));
    assert_eq!(vevents(r.itip.as_deref().unwrap()).len(), 1);
    assert!(!r.data.contains("METHOD"));
}

#[test]
fn r19_an_invitation_through_a_cutype_unknown_attendee_is_answered_like_a_group() {
    // RFC 5546 §3.7.2: "look for Attendees where CUTYPE=GROUP or CUTYPE=UNKNOWN".
    let data = calendar_of(&[
        "BEGIN:VEVENT",
        "UID:g1",
        "DTSTAMP:20240101T000000Z",
        "DTSTART:20240110T100000Z",
        "ORGANIZER;SCHEDULE-AGENT=CLIENT:mailto:o@example.com",
        "ATTENDEE;CUTYPE=UNKNOWN:mailto:team@example.com",
        "END:VEVENT",
    ]);
    let r = reply(&data, &opts("mailto:me@example.com", PartStat::Accepted));
    assert!(r.warnings.iter().any(|w| w.code == "GROUP_MEMBER_ADDED"));
    let itip = r.itip.unwrap();
    let mine = vevents(&itip)[0]
        .properties_named("ATTENDEE")
        .map(|p| p.text().to_string())
        .collect::<Vec<_>>();
    assert_eq!(mine.len(), 1);
    assert!(mine[0].contains("CUTYPE=INDIVIDUAL"), "{mine:?}");
    assert!(
        mine[0].contains("MEMBER=\"mailto:team@example.com\""),
        "{mine:?}"
    );
    assert!(mine[0].ends_with(":mailto:me@example.com"), "{mine:?}");
}

#[test]
fn an_instance_an_rdate_period_adds_keeps_its_own_length_in_the_override() {
    // RFC 5545 §5 item 2: the PERIOD's duration, "not the duration of the recurrence instance
    // defined by the DTSTART property".
    let series = |end: &str, period: &str| {
        calendar_of(&[
            "BEGIN:VEVENT",
            "UID:rp1",
            "DTSTAMP:20240101T000000Z",
            "DTSTART;TZID=Europe/Paris:20240101T100000",
            end,
            "RRULE:FREQ=DAILY;COUNT=3",
            period,
            "ORGANIZER:mailto:o@example.com",
            "ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:me@example.com",
            "END:VEVENT",
        ])
    };
    let declined = |data: &str, id: &str| {
        let mut o = opts("mailto:me@example.com", PartStat::Declined);
        o.recurrence_id = Some(id.into());
        let r = reply(data, &o);
        let events = vevents(&r.data);
        let added = events.last().unwrap().clone();
        assert!(added.property("RECURRENCE-ID").is_some());
        added
    };
    let cases = [
        // A DTEND master, a period with a duration: DTEND in the master's zone.
        (
            "DTEND;TZID=Europe/Paris:20240101T110000",
            "RDATE;VALUE=PERIOD:20240201T150000Z/PT3H",
            "20240201T150000Z",
            ("DTEND", "DTEND;TZID=Europe/Paris:20240201T190000"),
        ),
        // A period with an explicit end.
        (
            "DTEND;TZID=Europe/Paris:20240101T110000",
            "RDATE;VALUE=PERIOD:20240201T150000Z/20240201T173000Z",
            "20240201T150000Z",
            ("DTEND", "DTEND;TZID=Europe/Paris:20240201T183000"),
        ),
        // A DURATION master: the override's DURATION is the period's.
        (
            "DURATION:PT1H",
            "RDATE;VALUE=PERIOD:20240201T150000Z/PT2H30M",
            "20240201T150000Z",
            ("DURATION", "DURATION:PT2H30M"),
        ),
        // A period of whole days spans the wall clock of its zone (nominal days, §3.3.6).
        (
            "DTEND;TZID=Europe/Paris:20240101T110000",
            "RDATE;VALUE=PERIOD;TZID=Europe/Paris:20240330T100000/P1D",
            "20240330T090000Z",
            ("DTEND", "DTEND;TZID=Europe/Paris:20240331T100000"),
        ),
    ];
    for (end, period, id, (name, expected)) in cases {
        let data = series(end, period).replace(
            "BEGIN:VEVENT",
            &[
                "BEGIN:VTIMEZONE",
                "TZID:Europe/Paris",
                "BEGIN:STANDARD",
                "DTSTART:19701025T030000",
                "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
                "TZOFFSETFROM:+0200",
                "TZOFFSETTO:+0100",
                "END:STANDARD",
                "BEGIN:DAYLIGHT",
                "DTSTART:19700329T020000",
                "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
                "TZOFFSETFROM:+0100",
                "TZOFFSETTO:+0200",
                "END:DAYLIGHT",
                "END:VTIMEZONE",
                "BEGIN:VEVENT",
            ]
            .join("\r\n"),
        );
        let added = declined(&data, id);
        assert_eq!(
            added.property(name).map(|p| p.text()),
            Some(expected),
            "{period}"
        );
    }
    // An instance of the rule keeps the master's length.
    let data = series(
        "DTEND:20240101T110000Z",
        "RDATE;VALUE=PERIOD:20240201T150000Z/PT3H",
    )
    .replace(
        "DTSTART;TZID=Europe/Paris:20240101T100000",
        "DTSTART:20240101T100000Z",
    );
    let added = declined(&data, "20240102T100000Z");
    assert_eq!(added.value_of("DTEND"), Some("20240102T110000Z"));
}

#[test]
fn a_vjournal_gets_no_itip_reply_because_itip_has_none() {
    // RFC 5546 §1.4: REPLY is "No" for VJOURNAL.
    let data = calendar_of(&[
        "BEGIN:VJOURNAL",
        "UID:j1",
        "DTSTAMP:20240101T000000Z",
        "DTSTART;VALUE=DATE:20240110",
        "ORGANIZER;SCHEDULE-AGENT=CLIENT:mailto:o@example.com",
        "ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:me@example.com",
        "END:VJOURNAL",
    ]);
    let r = reply(&data, &opts("mailto:me@example.com", PartStat::Accepted));
    assert_eq!(r.itip, None);
    assert!(r.changed);
    assert!(r.data.contains("PARTSTAT=ACCEPTED:mailto:me@example.com"));
    assert!(r.warnings.iter().any(|w| w.code == "NO_REPLY_FOR_VJOURNAL"));
}

#[test]
fn with_two_lines_of_mine_the_reply_names_me_by_the_mailto_one() {
    // RFC 6047 §2.3: iMIP addresses "MUST" be mailto: URIs; RFC 5546 §3.2.3: one ATTENDEE.
    let data = calendar_of(&[
        "BEGIN:VEVENT",
        "UID:p1",
        "DTSTAMP:20240101T000000Z",
        "DTSTART:20240110T100000Z",
        "ORGANIZER;SCHEDULE-AGENT=CLIENT:mailto:o@example.com",
        "ATTENDEE;PARTSTAT=NEEDS-ACTION:/principals/me/",
        "ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:me@example.com",
        "END:VEVENT",
    ]);
    let o = ReplyOptions::new(
        &["/principals/me/", "mailto:me@example.com"],
        PartStat::Accepted,
        NOW,
    );
    let r = reply(&data, &o);
    let attendees: Vec<String> = vevents(r.itip.as_deref().unwrap())[0]
        .properties_named("ATTENDEE")
        .map(|p| p.text().to_string())
        .collect();
    assert_eq!(
        attendees,
        ["ATTENDEE;PARTSTAT=ACCEPTED:mailto:me@example.com"]
    );
    // Both stored lines carry the answer.
    assert_eq!(r.data.matches("PARTSTAT=ACCEPTED").count(), 2);
}

/// My ATTENDEE line(s) in every VEVENT of `data`, unfolded.
fn my_lines(data: &str, me: &str) -> Vec<String> {
    vevents(data)
        .iter()
        .flat_map(|c| {
            c.properties_named("ATTENDEE")
                .filter(|a| a.value() == me)
                .map(|a| a.text().to_string())
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn another_answer_after_delegating_takes_the_delegation_back() {
    let input = client_series();
    let o = delegating_to_e(WILFREDO);
    let delegated = reply(&input, &o);
    assert!(my_lines(&delegated.data, WILFREDO)
        .iter()
        .all(|l| l.contains("DELEGATED-TO")));
    let r = reply(&delegated.data, &opts(WILFREDO, PartStat::Accepted));
    for line in my_lines(&r.data, WILFREDO)
        .iter()
        .chain(my_lines(r.itip.as_deref().unwrap(), WILFREDO).iter())
    {
        assert!(line.contains("PARTSTAT=ACCEPTED"), "{line}");
        assert!(!line.contains("DELEGATED-TO"), "{line}");
    }
    assert!(r.warnings.iter().any(|w| w.code == "DELEGATION_WITHDRAWN"));
    // The delegate's line stays: an attendee does not remove attendees.
    assert!(r
        .data
        .contains("DELEGATED-FROM=\"mailto:wilfredo@example.com\""));
    assert!(r.forward.is_none());
}

#[test]
fn an_answer_without_sent_by_is_my_own_and_drops_an_earlier_sent_by() {
    let input = with_agent(&fixture("s1-wilfredo.ics"), "CLIENT");
    let mut o = opts(WILFREDO, PartStat::Accepted);
    o.sent_by = Some("mailto:assistant@example.com".into());
    let on_behalf = reply(&input, &o);
    assert!(my_lines(&on_behalf.data, WILFREDO)[0].contains("SENT-BY"));
    let mine = reply(&on_behalf.data, &opts(WILFREDO, PartStat::Declined));
    assert!(!my_lines(&mine.data, WILFREDO)[0].contains("SENT-BY"));
    assert!(!my_lines(mine.itip.as_deref().unwrap(), WILFREDO)[0].contains("SENT-BY"));
    assert!(mine
        .warnings
        .iter()
        .all(|w| w.code != "DELEGATION_WITHDRAWN"));
    // Nothing to drop: the same answer again changes nothing.
    let again = reply(&mine.data, &opts(WILFREDO, PartStat::Declined));
    assert!(!again.changed);
}

#[test]
fn in_process_after_completed_reopens_the_task_and_its_percent() {
    let done = reply(TODO, &opts("mailto:me@example.com", PartStat::Completed));
    assert!(done.data.contains("PERCENT-COMPLETE:100\r\n"));
    let open = reply(
        &done.data,
        &opts("mailto:me@example.com", PartStat::InProcess),
    );
    assert!(!open.data.contains("PERCENT-COMPLETE"), "{}", open.data);
    assert!(!open.data.contains("\r\nCOMPLETED:"), "{}", open.data);
    let mut o = opts("mailto:me@example.com", PartStat::InProcess);
    o.percent_complete = Some(40);
    let forty = reply(&done.data, &o);
    assert!(
        forty.data.contains("PERCENT-COMPLETE:40\r\n"),
        "{}",
        forty.data
    );
}

const NEW_YORK: &[&str] = &[
    "BEGIN:VTIMEZONE",
    "TZID:America/New_York",
    "BEGIN:DAYLIGHT",
    "DTSTART:20070311T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU",
    "TZOFFSETFROM:-0500",
    "TZOFFSETTO:-0400",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "DTSTART:20071104T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU",
    "TZOFFSETFROM:-0400",
    "TZOFFSETTO:-0500",
    "END:STANDARD",
    "END:VTIMEZONE",
];

#[test]
fn an_override_ending_in_the_fall_back_hour_keeps_its_length() {
    // 01:00-02:00 daily; on 3 Nov 2024 01:00 EDT + 1 h is 01:00 EST, which a local 01:00 would
    // read as its first occurrence (RFC 5545 §3.3.5): the end is written in UTC.
    let mut lines = NEW_YORK.to_vec();
    lines.extend_from_slice(&[
        "BEGIN:VEVENT",
        "UID:fb1",
        "DTSTAMP:20240101T000000Z",
        "DTSTART;TZID=America/New_York:20241101T010000",
        "DTEND;TZID=America/New_York:20241101T020000",
        "RRULE:FREQ=DAILY;COUNT=5",
        "ORGANIZER:mailto:o@example.com",
        "ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:me@example.com",
        "END:VEVENT",
    ]);
    let data = calendar_of(&lines);
    let answer = |id: &str| {
        let mut o = opts("mailto:me@example.com", PartStat::Declined);
        o.recurrence_id = Some(id.into());
        vevents(&reply(&data, &o).data).pop().unwrap()
    };
    let fall_back = answer("20241103T010000");
    assert_eq!(
        fall_back.property("DTSTART").map(|p| p.text()),
        Some("DTSTART;TZID=America/New_York:20241103T010000")
    );
    assert_eq!(
        fall_back.property("DTEND").map(|p| p.text()),
        Some("DTEND:20241103T060000Z")
    );
    // Any other day keeps the zone's wall clock.
    let next = answer("20241104T010000");
    assert_eq!(
        next.property("DTEND").map(|p| p.text()),
        Some("DTEND;TZID=America/New_York:20241104T020000")
    );
}

#[test]
fn a_date_time_due_on_an_all_day_task_series_moves_by_days_and_stays_a_date_time() {
    // RFC 5545 wants DUE of DTSTART's type; met anyway, DUE must not become a DATE without
    // VALUE=DATE (DUE's default type is DATE-TIME).
    let data = calendar_of(&[
        "BEGIN:VTODO",
        "UID:t2",
        "DTSTAMP:20240101T000000Z",
        "DTSTART;VALUE=DATE:20240101",
        "DUE:20240103T120000Z",
        "RRULE:FREQ=WEEKLY;COUNT=4",
        "ORGANIZER:mailto:o@example.com",
        "ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:me@example.com",
        "END:VTODO",
    ]);
    let mut o = opts("mailto:me@example.com", PartStat::Accepted);
    o.recurrence_id = Some("20240115".into());
    let r = reply(&data, &o);
    assert!(
        r.data.contains("\r\nDUE:20240117T120000Z\r\n"),
        "{}",
        r.data
    );
    // In a zone, whole days on its wall clock: noon stays noon across the DST change.
    let mut zoned = NEW_YORK.to_vec();
    let task = data
        .replace("DTSTART;VALUE=DATE:20240101", "DTSTART;VALUE=DATE:20240301")
        .replace(
            "DUE:20240103T120000Z",
            "DUE;TZID=America/New_York:20240303T120000",
        );
    let lines: Vec<&str> = task
        .lines()
        .skip(3)
        .filter(|l| *l != "END:VCALENDAR")
        .collect();
    zoned.extend_from_slice(&lines);
    o.recurrence_id = Some("20240315".into());
    let r = reply(&calendar_of(&zoned), &o);
    assert!(
        r.data
            .contains("\r\nDUE;TZID=America/New_York:20240317T120000\r\n"),
        "{}",
        r.data
    );
}

/// A daily series of six from 1 Jan 2024 09:00 New York time, moved by the organizer from
/// 3 Jan on with a `RANGE=THISANDFUTURE` override.
fn series_with_range_override() -> String {
    let mut lines = NEW_YORK.to_vec();
    lines.extend_from_slice(&[
        "BEGIN:VEVENT",
        "UID:u1",
        "DTSTAMP:20240101T000000Z",
        "DTSTART;TZID=America/New_York:20240101T090000",
        "DURATION:PT1H",
        "RRULE:FREQ=DAILY;COUNT=6",
        "ORGANIZER:mailto:org@example.com",
        "ATTENDEE;PARTSTAT=ACCEPTED:mailto:me@example.com",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:u1",
        "RECURRENCE-ID;RANGE=THISANDFUTURE;TZID=America/New_York:20240103T090000",
        "DTSTAMP:20240101T000000Z",
        "DTSTART;TZID=America/New_York:20240103T110000",
        "DURATION:PT1H",
        "ORGANIZER:mailto:org@example.com",
        "ATTENDEE;PARTSTAT=ACCEPTED:mailto:me@example.com",
        "END:VEVENT",
    ]);
    calendar_of(&lines)
}

#[test]
fn answers_next_to_an_organizer_range_override_reach_exactly_the_instances_asked() {
    // RFC 5545 §3.8.4.4: the RANGE override governs its instance and every later one.
    let data = series_with_range_override();
    let answer = |id: &str, scope: Scope| {
        let mut o = opts("mailto:me@example.com", PartStat::Declined);
        o.recurrence_id = Some(id.into());
        o.scope = Some(scope);
        let r = reply(&data, &o);
        let by_instance: Vec<(String, String)> = partstats_of(&r.data, "me@example.com")
            .into_iter()
            .map(|(rid, p)| (rid.replace("T090000", ""), p))
            .collect();
        by_instance
    };
    let pair = |rid: &str, p: &str| (rid.to_string(), p.to_string());
    // Only the 3rd: the range override is declined, the 4th-6th keep ACCEPTED in overrides.
    assert_eq!(
        answer("20240103T090000", Scope::Instance),
        [
            pair("master", "ACCEPTED"),
            pair("20240103", "DECLINED"),
            pair("20240104", "ACCEPTED"),
            pair("20240105", "ACCEPTED"),
            pair("20240106", "ACCEPTED"),
        ]
    );
    // From the 5th on: the 5th and 6th, which the range override governs, get the answer; the
    // 1st, 2nd and 4th are kept; the range override itself keeps its answer.
    assert_eq!(
        answer("20240105T090000", Scope::ThisAndFuture),
        [
            pair("master", "DECLINED"),
            pair("20240103", "ACCEPTED"),
            pair("20240101", "ACCEPTED"),
            pair("20240102", "ACCEPTED"),
            pair("20240104", "ACCEPTED"),
            pair("20240105", "DECLINED"),
            pair("20240106", "DECLINED"),
        ]
    );
    // Those overrides have the range override's content: moved to 11:00.
    let mut o = opts("mailto:me@example.com", PartStat::Declined);
    o.recurrence_id = Some("20240105T090000".into());
    o.scope = Some(Scope::ThisAndFuture);
    let fifth = vevents(&reply(&data, &o).data)
        .into_iter()
        .find(|c| c.value_of("RECURRENCE-ID") == Some("20240105T090000"))
        .unwrap();
    assert_eq!(
        fifth.property("DTSTART").map(|p| p.text()),
        Some("DTSTART;TZID=America/New_York:20240105T110000")
    );
    assert!(fifth
        .property("RECURRENCE-ID")
        .unwrap()
        .param_value("RANGE")
        .is_none());
}
