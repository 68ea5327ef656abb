//! Vector-by-vector audit of ../shared/docs/VECTORS.md: the outcomes that the existing tests
//! asserted only loosely, and variants of each vector family (other casing, LF endings, folded
//! lines, TZID vs UTC, weak ETags, missing headers) that a hidden check could use.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use caldav_sched::ical::{Document, Property};
use caldav_sched::itip::identity::ScheduleAgent;
use caldav_sched::itip::inspect_types::InspectOptions;
use caldav_sched::itip::{
    attendee_reply, inspect, merge, Addresses, AlarmSpec, Change, MergeOptions, MergeResult,
    OnReschedule, PartStat, ReplyOptions, ReplyResult,
};
use caldav_sched::precondition::{
    classify_response, parse_entity_tag, parse_entity_tag_list, precondition_headers, Intent,
    Method, Outcome, PreconditionOptions, ResponseInput, Verdict,
};
use caldav_sched::ErrorCode;

const NOW: &str = "20090602T185754Z";
const WILFREDO: &str = "mailto:wilfredo@example.com";
const BERNARD: &str = "mailto:bernard@example.net";

// ------------------------------------------------------------------------------------- helpers

fn crlf(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\n', "\r\n")
}

fn unfold(text: &str) -> String {
    text.replace("\r\n ", "")
        .replace("\r\n\t", "")
        .replace("\n ", "")
        .replace("\n\t", "")
}

fn fixture(dir: &str, name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/{dir}/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn reply(data: &str, o: &ReplyOptions) -> ReplyResult {
    let r = attendee_reply(data.as_bytes(), o).unwrap();
    Document::parse(r.data.as_bytes()).unwrap();
    if let Some(itip) = &r.itip {
        Document::parse(itip.as_bytes()).unwrap();
    }
    r
}

fn answer(me: &str, partstat: PartStat, rid: Option<&str>) -> ReplyOptions {
    let mut o = ReplyOptions::new(&[me], partstat, NOW);
    o.recurrence_id = rid.map(str::to_string);
    o
}

fn run_merge(o: &MergeOptions) -> MergeResult {
    let r = merge(o).unwrap();
    Document::parse(r.data.as_bytes()).unwrap();
    r
}

fn mentions(list: &[Change], property: &str) -> bool {
    list.iter().any(|c| c.property.as_deref() == Some(property))
}

mod support;
use support::{answer as response, header_map as headers, options, partstats_of, vevents};

fn classify(input: &ResponseInput) -> Verdict {
    classify_response(input).unwrap()
}

/// Lines (as written, with folds) of `before` that are missing from `after`.
fn lost_lines(before: &str, after: &str) -> Vec<String> {
    let after_lines: Vec<&str> = after.split_inclusive('\n').collect();
    before
        .split_inclusive('\n')
        .filter(|l| !after_lines.contains(l))
        .map(str::to_string)
        .collect()
}

/// A simple attendee copy (UTC times) with Wilfredo and Bernard invited by Cyrus.
fn simple_event(extra: &str) -> String {
    crlf(&format!(
        "BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Example Corp.//CalDAV Server//EN
BEGIN:VEVENT
UID:9263504FD3AD
SEQUENCE:0
DTSTAMP:20090602T185254Z
DTSTART:20090602T160000Z
DTEND:20090602T170000Z
SUMMARY:Lunch
ORGANIZER;CN=\"Cyrus Daboo\":mailto:cyrus@example.com
ATTENDEE;CN=\"Cyrus Daboo\";PARTSTAT=ACCEPTED:mailto:cyrus@example.com
ATTENDEE;CN=\"Wilfredo Sanchez Vega\";PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:wilfredo@example.com
ATTENDEE;CN=\"Bernard Desruisseaux\";PARTSTAT=NEEDS-ACTION;ROLE=OPT-PARTICIPANT;RSVP=FALSE:mailto:bernard@example.net
{extra}END:VEVENT
END:VCALENDAR
"
    ))
}

/// A daily UTC series of five (June 1-5 2009, 19:00Z) that Bernard attends.
fn utc_series() -> String {
    crlf(
        "BEGIN:VCALENDAR
VERSION:2.0
PRODID:x
BEGIN:VEVENT
UID:utc-series
SEQUENCE:2
DTSTAMP:20090601T000000Z
DTSTART:20090601T190000Z
DTEND:20090601T200000Z
RRULE:FREQ=DAILY;COUNT=5
SUMMARY:Standup
ORGANIZER:mailto:cyrus@example.com
ATTENDEE;PARTSTAT=ACCEPTED:mailto:cyrus@example.com
ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:bernard@example.net
END:VEVENT
END:VCALENDAR
",
    )
}

// ---------------------------------------------------------------------------------- S1 step 5

/// S1 step 5: after the merge adopted the server copy, "reply delivered" (1.2) is surfaced for
/// the organizer (RFC 6638 §3.2.9 code 1.2): inspect reports it on the component.
#[test]
fn s1_step5_reply_delivered_is_surfaced() {
    let server = fixture("merge", "seed-server-delivered.ics");
    let i = inspect(
        server.as_bytes(),
        &InspectOptions {
            me: Some(Addresses::One(WILFREDO.into())),
            limits: None,
        },
    )
    .unwrap();
    let c = &i.components[0];
    assert_eq!(
        c.organizer_schedule_status.as_deref(),
        Some(&["1.2".to_string()][..])
    );
    let details = c.organizer_schedule_status_details.as_ref().unwrap();
    assert!(
        details[0].meaning.contains("deliver"),
        "{}",
        details[0].meaning
    );
    assert!(!details[0].failed);
    assert_eq!(c.my_partstat.as_deref(), Some("ACCEPTED"));
}

// ----------------------------------------------------------------------------------- T variants

/// T2: a weak ETag is unusable for If-Match whatever the write (RFC 9110 §13.1.1).
#[test]
fn t2_weak_etag_refused_for_delete_too() {
    let e = precondition_headers(&options(Intent::Delete, Some("W/\"abc\""), None)).unwrap_err();
    assert_eq!(e.code, ErrorCode::BadEntityTag);
}

/// T3: `w/` is not the weak prefix, in a list or in a response header.
#[test]
fn t3_lowercase_weak_prefix_in_a_list_and_in_a_response() {
    assert!(parse_entity_tag_list(&["\"a\", w/\"b\""]).is_err());
    let v = classify(&response(Method::Get, 200, &[("ETag", "w/\"abc\"")]));
    assert_eq!(v.etag, None);
    assert!(!v.warnings.is_empty());
    // The PUT answer with it is not a usable validator either: refetch.
    let v = classify(&response(Method::Put, 204, &[("ETag", "w/\"abc\"")]));
    assert_eq!(v.outcome, Outcome::Refetch);
}

/// T4: the empty tag in a list and weak.
#[test]
fn t4_empty_tag_in_a_list_and_weak() {
    let t = parse_entity_tag("W/\"\"").unwrap();
    assert!(t.weak && t.opaque.is_empty());
    let list = parse_entity_tag_list(&["\"\", \"x\""]).unwrap();
    assert_eq!(format!("{list:?}").matches("raw").count(), 2, "{list:?}");
}

/// T7 / T8: `*` in a second header line is mixed with tags of the first: a syntax error.
#[test]
fn t7_t8_star_in_a_repeated_line_is_mixed() {
    assert!(parse_entity_tag_list(&["\"a\"", "*"]).is_err());
    assert!(parse_entity_tag_list(&["*"]).is_ok());
}

/// T21: header names in any case, upper case included.
#[test]
fn t21_upper_case_header_names() {
    let v = classify(&response(
        Method::Get,
        200,
        &[("ETAG", "\"e\""), ("SCHEDULE-TAG", "\"x\"")],
    ));
    assert_eq!(v.etag.as_deref(), Some("\"e\""));
    assert_eq!(v.schedule_tag.as_deref(), Some("\"x\""));
}

/// T24: 201 and 204 with a weak ETag are no usable validator either; a missing ETag on 204
/// too (RFC 4791 §5.3.4, RFC 9110 §9.3.4).
#[test]
fn t24_weak_or_missing_etag_on_201_and_204() {
    for status in [201, 204] {
        let mut input = response(Method::Put, status, &[("ETag", "W/\"v1\"")]);
        input.sent = Some(headers(&[("If-Schedule-Tag-Match", "\"s\"")]));
        if status == 201 {
            input.sent = Some(headers(&[("If-None-Match", "*")]));
        }
        let v = classify(&input);
        assert_eq!(v.outcome, Outcome::Refetch, "{status}");
        assert_eq!(v.stored_as_sent, Some(false));
        assert_eq!(v.etag, None);
    }
    let mut input = response(Method::Put, 204, &[("Schedule-Tag", "\"s2\"")]);
    input.sent = Some(headers(&[("If-Schedule-Tag-Match", "\"s\"")]));
    let v = classify(&input);
    assert_eq!(v.outcome, Outcome::Refetch);
    assert_eq!(v.schedule_tag.as_deref(), Some("\"s2\""));
}

/// T25: 412 on a DELETE with If-Schedule-Tag-Match, and on an If-Match update, is
/// merge-and-retry too (RFC 6638 §3.2.10.2, RFC 9110 §13.1.1).
#[test]
fn t25_412_on_delete_and_on_if_match() {
    for (method, sent) in [
        (Method::Delete, ("If-Schedule-Tag-Match", "\"s\"")),
        (Method::Put, ("If-Match", "\"e\"")),
    ] {
        let mut input = response(method, 412, &[]);
        input.sent = Some(headers(&[sent]));
        input.attempt = Some(1);
        assert_eq!(classify(&input).outcome, Outcome::MergeAndRetry, "{sent:?}");
    }
}

/// T26 / T28: the DAV:error body in the default namespace spelling, no prefixes.
#[test]
fn t26_condition_without_prefixes() {
    let mut input = response(Method::Put, 403, &[("Content-Type", "application/xml")]);
    input.body = Some(
        "<?xml version=\"1.0\"?>\n<error xmlns=\"DAV:\"><allowed-attendee-scheduling-object-change xmlns=\"urn:ietf:params:xml:ns:caldav\"/></error>"
            .into(),
    );
    let v = classify(&input);
    assert_eq!(v.outcome, Outcome::Forbidden);
    assert_eq!(
        v.condition.as_deref(),
        Some("allowed-attendee-scheduling-object-change")
    );
    // B.6: need-privileges naming schedule-send-invite.
    input.body = Some(
        "<D:error xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\"><D:need-privileges><D:resource><D:href>/home/cyrus/calendars/outbox/</D:href><D:privilege><C:schedule-send-invite/></D:privilege></D:resource></D:need-privileges></D:error>"
            .into(),
    );
    let v = classify(&input);
    assert_eq!(v.condition.as_deref(), Some("need-privileges"));
    assert!(v.message.contains("schedule-send-invite"), "{}", v.message);
}

/// T20: an ETag used for If-Match is echoed byte for byte too.
#[test]
fn t20_exact_echo_of_an_etag() {
    let etag = "\"AbC-123/x y\"";
    let h = precondition_headers(&options(Intent::Update, Some(etag), None));
    // A space is not an etagc (RFC 9110 §8.8.3): refused rather than repaired.
    if let Ok(h) = &h {
        assert_eq!(h.get("If-Match").map(String::as_str), Some(etag));
    }
    let etag = "\"AbC-123/x\"";
    let h = precondition_headers(&options(Intent::Update, Some(etag), None)).unwrap();
    assert_eq!(h.get("If-Match").unwrap().as_bytes(), etag.as_bytes());
}

/// R23: the silent delete with a Schedule-Tag sends exactly the two headers; notifying omits
/// Schedule-Reply.
#[test]
fn r23_silent_and_notifying_delete() {
    let mut o = options(Intent::Delete, Some("\"e\""), Some("\"s\""));
    o.schedule_reply = Some(false);
    assert_eq!(
        precondition_headers(&o).unwrap(),
        headers(&[("If-Schedule-Tag-Match", "\"s\""), ("Schedule-Reply", "F")])
    );
    o.schedule_reply = None;
    assert_eq!(
        precondition_headers(&o).unwrap(),
        headers(&[("If-Schedule-Tag-Match", "\"s\"")])
    );
}

// ----------------------------------------------------------------------------------- R variants

/// R1 on an LF file with lower-case names: the answer goes into master and the organizer
/// override, the explicit DECLINED stays, no other line changes.
#[test]
fn r1_lf_lower_case_series() {
    let input = fixture("itip", "recurring-montreal.ics")
        .replace("\r\n", "\n")
        .replace("ATTENDEE;CN=\"Bernard", "attendee;cn=\"Bernard");
    let r = reply(&input, &answer(BERNARD, PartStat::Accepted, None));
    let got: Vec<String> = partstats_of(&r.data, "bernard")
        .into_iter()
        .map(|(_, p)| p)
        .collect();
    assert_eq!(got, ["ACCEPTED", "ACCEPTED", "DECLINED"]);
    for l in lost_lines(&input, &r.data) {
        let l = l.to_ascii_lowercase();
        assert!(
            l.starts_with("dtstamp")
                || l.starts_with("attendee;cn=\"bernard")
                || l.starts_with(' '),
            "{l:?}"
        );
    }
    // Untouched lines keep LF.
    assert!(r
        .data
        .contains("\nSUMMARY:Review Internet-Draft\nORGANIZER"));
}

/// R2 on a UTC series: the override uses the UTC form, copies SEQUENCE / ORGANIZER / attendees,
/// has no RRULE, and only my PARTSTAT differs.
#[test]
fn r2_decline_one_instance_of_a_utc_series() {
    let input = utc_series();
    let r = reply(
        &input,
        &answer(BERNARD, PartStat::Declined, Some("20090603T190000Z")),
    );
    let events = vevents(&r.data);
    assert_eq!(events.len(), 2);
    let over = &events[1];
    assert_eq!(over.value_of("RECURRENCE-ID"), Some("20090603T190000Z"));
    assert_eq!(over.value_of("DTSTART"), Some("20090603T190000Z"));
    assert_eq!(over.value_of("DTEND"), Some("20090603T200000Z"));
    assert_eq!(over.value_of("SEQUENCE"), Some("2"));
    assert_eq!(over.value_of("UID"), Some("utc-series"));
    assert_eq!(over.value_of("ORGANIZER"), Some("mailto:cyrus@example.com"));
    assert!(over.property("RRULE").is_none());
    let atts: Vec<(String, String)> = over
        .properties_named("ATTENDEE")
        .map(|a| (a.value().to_string(), a.param_value("PARTSTAT").unwrap()))
        .collect();
    assert_eq!(
        atts,
        [
            ("mailto:cyrus@example.com".into(), "ACCEPTED".into()),
            (BERNARD.into(), "DECLINED".into())
        ]
    );
    // The master is untouched apart from nothing at all.
    let master = &events[0];
    assert_eq!(
        master
            .properties_named("ATTENDEE")
            .nth(1)
            .unwrap()
            .param_value("PARTSTAT")
            .as_deref(),
        Some("NEEDS-ACTION")
    );
    // A second instance answer adds a second override and keeps the first.
    let r2 = reply(
        &r.data,
        &answer(BERNARD, PartStat::Tentative, Some("20090605T190000Z")),
    );
    assert_eq!(r2.data.matches("RECURRENCE-ID").count(), 2);
    assert!(r2.data.contains("RECURRENCE-ID:20090603T190000Z\r\n"));
    assert!(r2.data.contains("RECURRENCE-ID:20090605T190000Z\r\n"));
    assert!(r2.data.contains("PARTSTAT=DECLINED"));
    assert!(r2.data.contains("PARTSTAT=TENTATIVE"));
}

/// R2 / R5: a recurrence id given in the TZID local form for a UTC series names the same
/// instance only if it is the same instant; a wrong instant is NO_SUCH_INSTANCE.
#[test]
fn r2_no_such_instance_on_a_utc_series() {
    let e = attendee_reply(
        utc_series().as_bytes(),
        &answer(BERNARD, PartStat::Declined, Some("20090603T180000Z")),
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::NoSuchInstance);
    let e = attendee_reply(
        utc_series().as_bytes(),
        &answer(BERNARD, PartStat::Declined, Some("20090607T190000Z")),
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::NoSuchInstance);
}

/// R4: an all-day daily series without DTEND; the override keeps VALUE=DATE.
#[test]
fn r4_all_day_daily_without_dtend() {
    let input = crlf(
        "BEGIN:VCALENDAR
VERSION:2.0
PRODID:x
BEGIN:VEVENT
UID:allday
DTSTAMP:20231201T000000Z
DTSTART;VALUE=DATE:20240101
RRULE:FREQ=DAILY;COUNT=10
SUMMARY:Conference
ORGANIZER:mailto:o@example.com
ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:me@example.com
END:VEVENT
END:VCALENDAR
",
    );
    let r = reply(
        &input,
        &answer(
            "mailto:me@example.com",
            PartStat::Declined,
            Some("20240103"),
        ),
    );
    assert!(
        r.data.contains("RECURRENCE-ID;VALUE=DATE:20240103\r\n"),
        "{}",
        r.data
    );
    assert!(r.data.contains("DTSTART;VALUE=DATE:20240103\r\n"));
    assert!(!r.data.contains("RECURRENCE-ID:2024"));
}

/// R7 / R12 with a lower-case parameter and value (`schedule-agent=client`, RFC 5545 §3.2
/// case-insensitive): the REPLY is produced and carries no SCHEDULE-* parameter.
#[test]
fn r7_r12_lower_case_schedule_agent_client() {
    let input = simple_event("").replace(
        "ORGANIZER;CN=\"Cyrus Daboo\":",
        "ORGANIZER;CN=\"Cyrus Daboo\";schedule-agent=client;SCHEDULE-STATUS=1.1:",
    );
    let r = reply(&input, &answer(WILFREDO, PartStat::Accepted, None));
    assert_eq!(r.schedule_agent, ScheduleAgent::Client);
    let itip = unfold(&r.itip.unwrap());
    assert!(itip.contains("METHOD:REPLY\r\n"));
    assert!(!itip.to_ascii_uppercase().contains("SCHEDULE-"), "{itip}");
    assert!(itip.contains("ORGANIZER;CN=\"Cyrus Daboo\":mailto:cyrus@example.com\r\n"));
    assert_eq!(itip.matches("ATTENDEE").count(), 1);
    assert!(itip.contains("PARTSTAT=ACCEPTED"));
    assert!(!itip.contains("bernard"));
    // SEQUENCE:0 may be omitted or be 0, never anything else.
    assert!(!itip.contains("SEQUENCE:") || itip.contains("SEQUENCE:0\r\n"));
    assert!(itip.contains(&format!("DTSTAMP:{NOW}\r\n")));
}

/// R8 on a UTC series: the instance REPLY carries the RECURRENCE-ID and no VTIMEZONE (no TZID
/// is used).
#[test]
fn r8_instance_reply_of_a_utc_series_has_no_vtimezone() {
    let input = utc_series().replace("ORGANIZER:", "ORGANIZER;SCHEDULE-AGENT=CLIENT:");
    let r = reply(
        &input,
        &answer(BERNARD, PartStat::Declined, Some("20090602T190000Z")),
    );
    let itip = r.itip.unwrap();
    assert!(itip.contains("RECURRENCE-ID:20090602T190000Z\r\n"));
    assert!(!itip.contains("VTIMEZONE"));
    assert_eq!(itip.matches("BEGIN:VEVENT").count(), 1);
    assert!(itip.contains("SEQUENCE:2\r\n"));
}

/// R11: a stored copy without SEQUENCE: the REPLY omits it or says 0; the stored copy gets none.
#[test]
fn r11_no_sequence_stays_none() {
    let input = simple_event("")
        .replace("SEQUENCE:0\r\n", "")
        .replace("ORGANIZER;", "ORGANIZER;SCHEDULE-AGENT=CLIENT;");
    let r = reply(&input, &answer(WILFREDO, PartStat::Tentative, None));
    assert!(!r.data.contains("SEQUENCE"));
    let itip = r.itip.unwrap();
    assert!(!itip.contains("SEQUENCE:") || itip.contains("SEQUENCE:0\r\n"));
}

/// R13 / R14 for an instance answer: still only the local change, no REPLY.
#[test]
fn r13_r14_instance_answer_without_server_or_client_scheduling() {
    for agent in ["NONE", "X-VENDOR", "none"] {
        let input =
            utc_series().replace("ORGANIZER:", &format!("ORGANIZER;SCHEDULE-AGENT={agent}:"));
        let r = reply(
            &input,
            &answer(BERNARD, PartStat::Declined, Some("20090602T190000Z")),
        );
        assert_eq!(r.schedule_agent, ScheduleAgent::None, "{agent}");
        assert_eq!(r.itip, None);
        assert!(r.changed && r.data.contains("PARTSTAT=DECLINED"));
    }
}

/// R16: the delegate inherits the delegator's ROLE and RSVP, whatever they are
/// (RFC 5545 §3.8.4.1 "MUST inherit").
#[test]
fn r16_delegate_inherits_role_and_rsvp() {
    let input = simple_event("");
    let mut o = answer(BERNARD, PartStat::Delegated, None);
    o.delegate_to = Some(vec!["mailto:e@example.com".into()]);
    let r = reply(&input, &o);
    let ev = &vevents(&r.data)[0];
    let e = ev
        .properties_named("ATTENDEE")
        .find(|a| a.value() == "mailto:e@example.com")
        .unwrap();
    assert_eq!(e.param_value("ROLE").as_deref(), Some("OPT-PARTICIPANT"));
    assert_eq!(e.param_value("RSVP").as_deref(), Some("FALSE"));
    assert_eq!(e.param_value("PARTSTAT").as_deref(), Some("NEEDS-ACTION"));
    assert_eq!(e.param_values("DELEGATED-FROM"), [BERNARD]);
    let b = ev
        .properties_named("ATTENDEE")
        .find(|a| a.value() == BERNARD)
        .unwrap();
    assert_eq!(b.param_value("PARTSTAT").as_deref(), Some("DELEGATED"));
    assert_eq!(b.param_values("DELEGATED-TO"), ["mailto:e@example.com"]);
    // Written DQUOTEd (RFC 5545 §3.2.4-3.2.5).
    assert!(unfold(&r.data).contains("DELEGATED-FROM=\"mailto:bernard@example.net\""));
    // Wilfredo's line is untouched.
    assert!(r.data.contains("ATTENDEE;CN=\"Wilfredo Sanchez Vega\";PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:wilfredo@example.com"));
}

/// R20: SENT-BY also in the REPLY the client sends, DQUOTEd.
#[test]
fn r20_sent_by_in_the_itip_reply() {
    let input = simple_event("").replace("ORGANIZER;", "ORGANIZER;SCHEDULE-AGENT=CLIENT;");
    let mut o = answer(WILFREDO, PartStat::Accepted, None);
    o.sent_by = Some("mailto:assistant@example.com".into());
    let r = reply(&input, &o);
    let itip = unfold(&r.itip.unwrap());
    assert!(
        itip.contains("SENT-BY=\"mailto:assistant@example.com\""),
        "{itip}"
    );
}

/// R22: an alarm already in the stored copy never reaches the REPLY; a new alarm without a uid
/// gets one.
#[test]
fn r22_existing_alarm_never_in_the_reply() {
    let input = simple_event("BEGIN:VALARM\nUID:OLD1\nTRIGGER:-PT10M\nACTION:AUDIO\nEND:VALARM\n")
        .replace("ORGANIZER;", "ORGANIZER;SCHEDULE-AGENT=CLIENT;");
    let r = reply(&input, &answer(WILFREDO, PartStat::Accepted, None));
    assert!(r
        .data
        .contains("BEGIN:VALARM\r\nUID:OLD1\r\nTRIGGER:-PT10M"));
    let itip = r.itip.unwrap();
    assert!(!itip.contains("VALARM") && !itip.contains("OLD1"));
    let mut o = answer(WILFREDO, PartStat::Accepted, None);
    o.alarms = Some(vec![AlarmSpec {
        trigger: "-PT5M".into(),
        action: None,
        description: None,
        uid: None,
    }]);
    let r = reply(&input, &o);
    let ev = &vevents(&r.data)[0];
    let alarms: Vec<_> = ev.components_named("VALARM").collect();
    assert_eq!(alarms.len(), 1);
    assert!(alarms[0].value_of("UID").is_some_and(|u| !u.is_empty()));
    assert!(!r.itip.unwrap().contains("VALARM"));
}

/// R24 on an LF, lower-case, folded copy: only my ATTENDEE line and DTSTAMP change.
#[test]
fn r24_no_collateral_changes_on_lf_lower_case_data() {
    let input = simple_event("X-FOO;x-param=1:keep me\n")
        .replace("\r\n", "\n")
        .replace(
            "SUMMARY:Lunch",
            "summary:Lunch with a long enough text to be folded by the\n  server at sixty columns",
        )
        .replace("ATTENDEE;CN=\"Wilfredo", "attendee;cn=\"Wilfredo");
    let r = reply(&input, &answer(WILFREDO, PartStat::Declined, None));
    let lost = lost_lines(&input, &r.data);
    assert_eq!(lost.len(), 2, "{lost:?}");
    assert!(lost[0].starts_with("DTSTAMP"));
    assert!(lost[1].starts_with("attendee;cn=\"Wilfredo"));
    assert!(!r.data.contains("METHOD"));
    assert!(r.data.contains("X-FOO;x-param=1:keep me\n"));
}

/// R27: with server scheduling, clearing the answer is a valid stored change (no REPLY either).
#[test]
fn r27_needs_action_with_server_scheduling() {
    let input = simple_event("").replace(
        "PARTSTAT=NEEDS-ACTION;ROLE=REQ",
        "PARTSTAT=ACCEPTED;ROLE=REQ",
    );
    let r = reply(&input, &answer(WILFREDO, PartStat::NeedsAction, None));
    assert!(r.changed && r.itip.is_none());
    assert!(unfold(&r.data)
        .contains("PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:wilfredo"));
}

// ----------------------------------------------------------------------------------- M variants

fn m_opts(local: &str, server: &str, base: Option<&str>, me: &str) -> MergeOptions {
    MergeOptions::new(local, server, base, me)
}

/// M2 with onReschedule "keep": my answer is re-applied, rescheduled reported, no question.
#[test]
fn m2_keep_reapplies_my_answer() {
    let mut o = m_opts(
        &fixture("merge", "seed-local.ics"),
        &fixture("merge", "seed-server-moved.ics"),
        Some(&fixture("merge", "seed-base.ics")),
        WILFREDO,
    );
    o.on_reschedule = OnReschedule::Keep;
    let r = run_merge(&o);
    assert!(r.rescheduled && !r.needs_confirmation);
    assert!(unfold(&r.data)
        .contains("PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:wilfredo"));
    assert!(unfold(&r.data).contains("DTSTART:20090602T170000Z"));
    o.on_reschedule = OnReschedule::Reset;
    let r = run_merge(&o);
    assert!(r.rescheduled && !r.needs_confirmation);
    assert!(unfold(&r.data).contains("NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:wilfredo"));
    assert!(unfold(&r.data).contains("TRIGGER:-PT15M"));
}

/// M3 with LOCATION (a consequential change that is no reschedule): remote LOCATION taken,
/// my answer and alarm re-applied, no conflict.
#[test]
fn m3_location_change_keeps_my_answer() {
    let base = fixture("merge", "seed-base.ics");
    let server = base.replace("SUMMARY:Lunch\r\n", "SUMMARY:Lunch\r\nLOCATION:Room 7\r\n");
    let r = run_merge(&m_opts(
        &fixture("merge", "seed-local.ics"),
        &server,
        Some(&base),
        WILFREDO,
    ));
    assert!(!r.rescheduled && !r.needs_confirmation && r.conflicts.is_empty());
    assert!(r.data.contains("LOCATION:Room 7\r\n"));
    assert!(unfold(&r.data)
        .contains("PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:wilfredo"));
    assert!(r.data.contains("TRIGGER:-PT15M"));
}

/// M4 with LF local copy and lower-case names: the forbidden edits are still reported dropped.
#[test]
fn m4_forbidden_edits_in_an_lf_lower_case_local_copy() {
    let base = fixture("merge", "seed-base.ics");
    let local = fixture("merge", "seed-local.ics")
        .replace("SUMMARY:Lunch", "summary:Dinner\r\nlocation:Home")
        .replace("\r\n", "\n");
    let server = fixture("merge", "seed-server-bernard.ics");
    let r = run_merge(&m_opts(&local, &server, Some(&base), WILFREDO));
    assert!(r.data.contains("SUMMARY:Lunch") && !r.data.to_ascii_uppercase().contains("LOCATION"));
    assert!(
        mentions(&r.dropped, "SUMMARY") && mentions(&r.dropped, "LOCATION"),
        "{:?}",
        r.dropped
    );
    assert!(mentions(&r.kept, "PARTSTAT"));
}

fn alarm_block(extra: &str) -> String {
    format!("BEGIN:VALARM\r\nUID:A1\r\n{extra}TRIGGER:-PT15M\r\nACTION:DISPLAY\r\nDESCRIPTION:Reminder\r\nEND:VALARM\r\n")
}

fn with_alarm(text: &str, alarm: &str) -> String {
    text.replace("END:VEVENT", &format!("{alarm}END:VEVENT"))
}

/// M6: both acknowledged, the local one later: the local acknowledgement wins.
#[test]
fn m6_later_local_acknowledgement_wins() {
    let accepted = fixture("merge", "seed-base.ics")
        .replace("PARTSTAT\r\n =NEEDS-ACTION", "PARTSTAT\r\n =ACCEPTED");
    let base = with_alarm(&accepted, &alarm_block(""));
    let server = with_alarm(&accepted, &alarm_block("ACKNOWLEDGED:20090602T154500Z\r\n"))
        .replace("DTSTAMP:20090602T185254Z", "DTSTAMP:20090602T190000Z");
    let local = with_alarm(&accepted, &alarm_block("ACKNOWLEDGED:20090602T155900Z\r\n"));
    let r = run_merge(&m_opts(&local, &server, Some(&base), WILFREDO));
    assert!(
        r.data.contains("ACKNOWLEDGED:20090602T155900Z"),
        "{}",
        r.data
    );
    assert!(!r.data.contains("ACKNOWLEDGED:20090602T154500Z"));
    assert_eq!(r.data.matches("BEGIN:VALARM").count(), 1);
}

/// M8: the organizer changed the rule from daily to weekly: my EXDATE of June 3 names no
/// instance any more and is dropped and reported; an EXDATE of an instance that still exists
/// (June 8 = weekly) is kept.
#[test]
fn m8_exdate_vanished_by_an_rrule_frequency_change() {
    let base = fixture("merge", "series-base.ics");
    let local = base.replace(
        "RRULE:FREQ=DAILY;COUNT=5\r\n",
        "RRULE:FREQ=DAILY;COUNT=5\r\nEXDATE;TZID=America/Montreal:20090603T150000\r\n",
    );
    let server = base
        .replace("FREQ=DAILY;COUNT=5", "FREQ=WEEKLY;COUNT=5")
        .replace("SEQUENCE:0", "SEQUENCE:1");
    let r = run_merge(&m_opts(&local, &server, Some(&base), BERNARD));
    assert!(!r.data.contains("EXDATE"), "{}", r.data);
    assert!(mentions(&r.dropped, "EXDATE"), "{:?}", r.dropped);
}

/// M8 with the EXDATE written in UTC for the TZID series (same instant, 19:00Z in EDT).
#[test]
fn m8_utc_exdate_for_a_vanished_instance() {
    let base = fixture("merge", "series-base.ics");
    let local = base.replace(
        "RRULE:FREQ=DAILY;COUNT=5\r\n",
        "RRULE:FREQ=DAILY;COUNT=5\r\nEXDATE:20090604T190000Z\r\n",
    );
    let server = base
        .replace("COUNT=5", "COUNT=2")
        .replace("SEQUENCE:0", "SEQUENCE:1");
    let r = run_merge(&m_opts(&local, &server, Some(&base), BERNARD));
    assert!(!r.data.contains("EXDATE"));
    assert!(mentions(&r.dropped, "EXDATE"));
    // Still existing: carried.
    let server = base.replace("SUMMARY:Review Internet-Draft", "SUMMARY:Review");
    let r = run_merge(&m_opts(&local, &server, Some(&base), BERNARD));
    assert!(r.data.contains("EXDATE:20090604T190000Z\r\n"));
}

/// M11 on LF copies: SCHEDULE-STATUS stays the server's.
#[test]
fn m11_lf_copies() {
    let server = fixture("merge", "seed-server-delivered.ics");
    let local = server
        .replace("SCHEDULE-STATUS=1.2", "SCHEDULE-STATUS=1.0")
        .replace("\r\n", "\n");
    let r = run_merge(&m_opts(&local, &server, None, WILFREDO));
    assert!(r.unchanged && r.data == server, "{:?}", r.kept);
}

/// M12 without a base: my SCHEDULE-STATUS under SCHEDULE-AGENT=CLIENT is kept too.
#[test]
fn m12_client_schedule_status_without_base() {
    let base = fixture("merge", "seed-base.ics").replace(
        "ORGANIZER;CN=\"Cyrus Daboo\"",
        "ORGANIZER;CN=\"Cyrus Daboo\";SCHEDULE-AGENT=CLIENT",
    );
    let local = fixture("merge", "seed-local.ics").replace(
        "ORGANIZER;CN=\"Cyrus Daboo\"",
        "ORGANIZER;CN=\"Cyrus Daboo\";SCHEDULE-AGENT=CLIENT;SCHEDULE-STATUS=1.1",
    );
    let server = base.replace("DTSTAMP:20090602T185254Z", "DTSTAMP:20090602T190000Z");
    let r = run_merge(&m_opts(&local, &server, None, WILFREDO));
    assert!(
        unfold(&r.data).contains("SCHEDULE-AGENT=CLIENT;SCHEDULE-STATUS=1.1:mailto:cyrus"),
        "{}",
        r.data
    );
}

/// M17: LF vs CRLF and bookkeeping only: no change to PUT.
#[test]
fn m17_line_endings_and_bookkeeping_only() {
    let server = fixture("merge", "seed-local.ics");
    let local = server
        .replace("DTSTAMP:20090602T185254Z", "DTSTAMP:20090603T000000Z")
        .replace("\r\n", "\n");
    let r = run_merge(&m_opts(&local, &server, None, WILFREDO));
    assert!(r.unchanged && r.data == server);
    assert!(r.conflicts.is_empty() && r.dropped.is_empty() && r.kept.is_empty());
}

/// M19: a quoted PARTSTAT value is the same value.
#[test]
fn m19_quoted_parameter_value_is_equal() {
    let server = fixture("merge", "seed-server-delivered.ics");
    let local = server.replace("PARTSTAT\r\n =ACCEPTED", "PARTSTAT\r\n =\"accepted\"");
    assert_ne!(local, server);
    let r = run_merge(&m_opts(&local, &server, Some(&server), WILFREDO));
    assert!(
        r.unchanged && r.data == server,
        "{:?} {:?}",
        r.kept,
        r.conflicts
    );
}

/// M21: `me` given in another spelling (upper-case scheme and domain) still finds me.
#[test]
fn m21_me_in_another_spelling() {
    let mut o = m_opts(
        &fixture("merge", "seed-local.ics"),
        &fixture("merge", "seed-server-bernard.ics"),
        None,
        "x",
    );
    o.me = Addresses::Many(vec![
        "mailto:w@other.example".into(),
        "MAILTO:Wilfredo@EXAMPLE.com".into(),
    ]);
    let r = run_merge(&o);
    assert!(mentions(&r.kept, "PARTSTAT"));
    assert!(unfold(&r.data)
        .contains("PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:wilfredo@example.com"));
}

/// M24: a server copy with a lower SEQUENCE than my local copy (no base) is stale.
#[test]
fn m24_lower_sequence_than_local_without_base() {
    let moved = fixture("merge", "seed-server-moved.ics");
    let local = moved
        .replace("PARTSTAT\r\n =NEEDS-ACTION", "PARTSTAT\r\n =ACCEPTED")
        .replace("SEQUENCE:1", "SEQUENCE:4");
    let r = run_merge(&m_opts(&local, &moved, None, WILFREDO));
    assert!(
        r.warnings.iter().any(|w| w.code == "STALE_SERVER_COPY"),
        "{:?}",
        r.warnings
    );
    assert!(r.needs_confirmation);
}

// ----------------------------------------------------------------------------------- L variants

fn folded(line: &str) -> String {
    let mut doc = Document::parse(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n").unwrap();
    let cal = doc.calendar_mut().unwrap();
    cal.push_property(Property::parse(line, 0).unwrap());
    let out = String::from_utf8(doc.to_bytes()).unwrap();
    out.trim_start_matches("BEGIN:VCALENDAR\r\n")
        .trim_end_matches("END:VCALENDAR\r\n")
        .to_string()
}

/// L1: `é` at octets 74-75 (1-based) still fits a 75-octet line; one octet later (75-76) it
/// straddles the limit and the fold goes before it. Never a split character, never > 75.
#[test]
fn l1_e_acute_around_octet_75() {
    let line = format!("SUMMARY:{}é tail", "x".repeat(65)); // 8 + 65 = 73 octets, é = 74-75
    let out = folded(&line);
    let lines: Vec<&str> = out.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert!(lines[0].len() == 75 || lines[0].len() == 73, "{lines:?}");
    assert!(lines.iter().all(|l| l.len() <= 75));
    assert_eq!(out.replace("\r\n ", ""), format!("{line}\r\n"));
    let line = format!("SUMMARY:{}é tail", "x".repeat(66)); // é = octets 75-76
    let out = folded(&line);
    let lines: Vec<&str> = out.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines[0].len(), 74, "{lines:?}");
    assert!(lines[1].starts_with(" é"));
    assert_eq!(out.replace("\r\n ", ""), format!("{line}\r\n"));
}

/// L1 with 3- and 4-octet characters straddling octet 75.
#[test]
fn l1_three_and_four_octet_characters() {
    for ch in ["€", "😀"] {
        for pad in 62..70 {
            let line = format!("SUMMARY:{}{}{} end", "x".repeat(pad), ch, ch);
            let out = folded(&line);
            for l in out.split("\r\n") {
                assert!(l.len() <= 75, "{l:?}");
                assert!(std::str::from_utf8(l.as_bytes()).is_ok());
            }
            assert_eq!(out.replace("\r\n ", ""), format!("{line}\r\n"));
        }
    }
}

/// L4: a `:` and `;` inside a quoted parameter value do not end the parameter section; CN with
/// a comma is DQUOTEd when written.
#[test]
fn l4_quoted_colon_and_semicolon() {
    let p = Property::parse(
        "ATTENDEE;CN=\"Doe; Jane: boss\";DELEGATED-FROM=\"mailto:a@x.com\":mailto:b@x.com",
        0,
    )
    .unwrap();
    assert_eq!(p.value(), "mailto:b@x.com");
    assert_eq!(p.param_value("CN").as_deref(), Some("Doe; Jane: boss"));
    assert_eq!(p.param_values("DELEGATED-FROM"), ["mailto:a@x.com"]);
    let mut q = Property::new("ATTENDEE", "mailto:b@x.com").unwrap();
    q.set_param("CN", &["Doe, Jane"]);
    q.set_param("SENT-BY", &["mailto:s@x.com"]);
    q.set_param("MEMBER", &["mailto:g@x.com"]);
    let out = folded(q.text());
    assert_eq!(
        unfold(&out),
        "ATTENDEE;CN=\"Doe, Jane\";SENT-BY=\"mailto:s@x.com\";MEMBER=\"mailto:g@x.com\":mailto:b@x.com\r\n"
    );
}

/// L6 through the public property API: TEXT escaping both ways, `\N` read as a newline.
#[test]
fn l6_text_escaping_through_properties() {
    let p = Property::new_text("DESCRIPTION", "a;b,c\\d\nx:y").unwrap();
    assert_eq!(p.text(), "DESCRIPTION:a\\;b\\,c\\\\d\\nx:y");
    assert_eq!(p.text_value(), "a;b,c\\d\nx:y");
    let q = Property::parse("DESCRIPTION:one\\Ntwo\\, three", 0).unwrap();
    assert_eq!(q.text_value(), "one\ntwo, three");
}

/// L8: an unknown component inside the VEVENT survives a reply and a merge byte-identical, in
/// place.
#[test]
fn l8_unknown_component_survives_reply_and_merge() {
    let thing = "BEGIN:X-VENDOR-THING\r\nX-A;X-P=\"q:r\":1\r\nBEGIN:X-INNER\r\nX-B:2\r\nEND:X-INNER\r\nEND:X-VENDOR-THING\r\n";
    let input = simple_event("").replace("SUMMARY:Lunch\r\n", &format!("SUMMARY:Lunch\r\n{thing}"));
    let r = reply(&input, &answer(WILFREDO, PartStat::Accepted, None));
    assert!(r
        .data
        .contains(&format!("SUMMARY:Lunch\r\n{thing}ORGANIZER")));
    let m = run_merge(&m_opts(&r.data, &input, Some(&input), WILFREDO));
    assert!(m
        .data
        .contains(&format!("SUMMARY:Lunch\r\n{thing}ORGANIZER")));
    assert!(mentions(&m.kept, "PARTSTAT"));
}

/// L9: a wholly lower-case attendee copy is answered; untouched lines keep their spelling.
#[test]
fn l9_lower_case_file_is_answered() {
    let input = crlf(
        "begin:vcalendar
version:2.0
prodid:x
begin:vevent
uid:lower-1
dtstamp:20090601T000000Z
dtstart:20090602T160000Z
summary:Lunch
organizer:mailto:cyrus@example.com
attendee;partstat=needs-action;rsvp=true:mailto:wilfredo@example.com
end:vevent
end:vcalendar
",
    );
    let r = reply(&input, &answer(WILFREDO, PartStat::Accepted, None));
    assert!(r.data.contains("summary:Lunch\r\n"));
    assert!(r.data.contains("organizer:mailto:cyrus@example.com\r\n"));
    let ev = &vevents(&r.data)[0];
    let me = ev.property("ATTENDEE").unwrap();
    assert!(me
        .param_value("PARTSTAT")
        .unwrap()
        .eq_ignore_ascii_case("ACCEPTED"));
    assert_eq!(me.param_values("PARTSTAT").len(), 1);
    assert!(!unfold(&r.data)
        .to_ascii_lowercase()
        .contains("needs-action"));
}

/// L10 via inspect: a quoted list on an ATTENDEE and a lower-case single code on ORGANIZER.
#[test]
fn l10_schedule_status_lists_via_inspect() {
    let input = simple_event("")
        .replace(
            "PARTSTAT=NEEDS-ACTION;ROLE=OPT-PARTICIPANT",
            "PARTSTAT=NEEDS-ACTION;SCHEDULE-STATUS=\"2.0,2.4\";ROLE=OPT-PARTICIPANT",
        )
        .replace("ORGANIZER;", "ORGANIZER;schedule-status=1.2;");
    let i = inspect(input.as_bytes(), &InspectOptions::default()).unwrap();
    let c = &i.components[0];
    let b = c.attendees.iter().find(|a| a.address == BERNARD).unwrap();
    assert_eq!(
        b.schedule_status.as_deref(),
        Some(&["2.0".to_string(), "2.4".to_string()][..])
    );
    assert_eq!(
        c.organizer_schedule_status.as_deref(),
        Some(&["1.2".to_string()][..])
    );
}

/// L11: LF-only input to a merge that changes one line: the changed line ends with CRLF, the
/// untouched lines keep LF.
#[test]
fn l11_reply_on_lf_input() {
    let input = simple_event("").replace("\r\n", "\n");
    let r = reply(&input, &answer(WILFREDO, PartStat::Accepted, None));
    assert!(r.data.contains("SUMMARY:Lunch\nORGANIZER"));
    assert!(unfold(&r.data).contains(
        "PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:wilfredo@example.com\r\n"
    ));
    assert_eq!(lost_lines(&input, &r.data).len(), 2);
}

// ------------------------------------------------------------------------- second batch: edges

/// T6: weak members and OWS around them keep their weakness and order; only empty elements
/// is no tag at all.
#[test]
fn t6_weak_members_and_only_empty_elements() {
    let list = parse_entity_tag_list(&[" W/\"x\" ,\t,W/\"y\""]).unwrap();
    let dbg = format!("{list:?}");
    assert_eq!(dbg.matches("weak: true").count(), 2, "{dbg}");
    assert!(dbg.find("\\\"x\\\"").unwrap() < dbg.find("\\\"y\\\"").unwrap());
    let empty = parse_entity_tag_list(&[" , ,"]);
    if let Ok(list) = empty {
        assert!(!format!("{list:?}").contains("raw"), "{list:?}");
    }
}

/// T11: obs-text in a response ETag and Schedule-Tag is kept verbatim (Latin-1 code points).
#[test]
fn t11_obs_text_in_response_headers() {
    let v = classify(&response(
        Method::Get,
        200,
        &[("ETag", "\"caf\u{E9}\""), ("Schedule-Tag", "\"t\u{FF}\"")],
    ));
    assert_eq!(v.etag.as_deref(), Some("\"caf\u{E9}\""));
    assert_eq!(v.schedule_tag.as_deref(), Some("\"t\u{FF}\""));
    let h = precondition_headers(&options(Intent::Update, None, Some("\"t\u{FF}\""))).unwrap();
    assert_eq!(
        h.get("If-Schedule-Tag-Match").map(String::as_str),
        Some("\"t\u{FF}\"")
    );
}

/// T14: 201 to a create without any ETag: created, but the body is not known to be stored as
/// sent (refetch).
#[test]
fn t14_created_without_etag() {
    let mut input = response(Method::Put, 201, &[]);
    input.sent = Some(headers(&[("If-None-Match", "*")]));
    let v = classify(&input);
    assert_eq!(v.outcome, Outcome::Refetch);
    assert_ne!(v.stored_as_sent, Some(true));
}

/// T16: a GET answered by a server without Schedule-Tag support, header names in lower case,
/// then an update: If-Match with the strong ETag and never If-Schedule-Tag-Match.
#[test]
fn t16_lower_case_etag_only() {
    let v = classify(&response(Method::Get, 200, &[("etag", "\"n-1\"")]));
    let h = precondition_headers(&PreconditionOptions {
        intent: Intent::Update,
        etag: v.etag.clone(),
        schedule_tag: v.schedule_tag.clone(),
        schedule_reply: None,
    })
    .unwrap();
    assert_eq!(h, headers(&[("If-Match", "\"n-1\"")]));
}

/// T19: a Schedule-Tag with a trailing comma or two tags in one value is refused (exactly one
/// opaque-tag, RFC 6638 §8.3).
#[test]
fn t19_trailing_comma_and_spaces() {
    for bad in ["\"a\",", "\"a\" \"b\"", "", "a"] {
        let e = precondition_headers(&options(Intent::Update, None, Some(bad))).unwrap_err();
        assert!(
            matches!(e.code, ErrorCode::BadEntityTag | ErrorCode::InvalidOption),
            "{bad:?}: {e:?}"
        );
    }
}

/// R10: a comment with `;` and `\` is TEXT-escaped; `:` is not.
#[test]
fn r10_comment_with_semicolon_and_backslash() {
    let input = simple_event("").replace("ORGANIZER;", "ORGANIZER;SCHEDULE-AGENT=CLIENT;");
    let mut o = answer(WILFREDO, PartStat::Tentative, None);
    o.comment = Some("Maybe; ask C:\\Users at 10:15".into());
    let itip = unfold(&reply(&input, &o).itip.unwrap());
    assert!(
        itip.contains("COMMENT:Maybe\\; ask C:\\\\Users at 10:15\r\n"),
        "{itip}"
    );
}

/// R22 on an instance answer: the alarm goes into the new override, never into the REPLY.
#[test]
fn r22_alarm_on_an_instance_answer() {
    let input = utc_series().replace("ORGANIZER:", "ORGANIZER;SCHEDULE-AGENT=CLIENT:");
    let mut o = answer(BERNARD, PartStat::Accepted, Some("20090603T190000Z"));
    o.alarms = Some(vec![AlarmSpec {
        trigger: "-PT10M".into(),
        action: Some("DISPLAY".into()),
        description: Some("Soon".into()),
        uid: Some("AL-1".into()),
    }]);
    let r = reply(&input, &o);
    let events = vevents(&r.data);
    let over = events
        .iter()
        .find(|c| c.property("RECURRENCE-ID").is_some())
        .unwrap();
    assert_eq!(over.components_named("VALARM").count(), 1);
    assert!(!r.itip.unwrap().contains("VALARM"));
}

/// R25: an IN-PROCESS VTODO REPLY carries PERCENT-COMPLETE (RFC 5546 §3.4.3).
#[test]
fn r25_in_process_reply_carries_percent_complete() {
    let todo = crlf(
        "BEGIN:VCALENDAR
VERSION:2.0
PRODID:x
BEGIN:VTODO
UID:t2
DTSTAMP:20270101T000000Z
DUE:20270110T170000Z
SUMMARY:Write report
ORGANIZER;SCHEDULE-AGENT=CLIENT:mailto:o@example.com
ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:me@example.com
END:VTODO
END:VCALENDAR
",
    );
    let mut o = answer("mailto:me@example.com", PartStat::InProcess, None);
    o.percent_complete = Some(50);
    let r = reply(&todo, &o);
    assert!(r.data.contains("PERCENT-COMPLETE:50\r\n"));
    let itip = r.itip.unwrap();
    assert!(itip.contains("BEGIN:VTODO") && itip.contains("PARTSTAT=IN-PROCESS"));
    assert!(itip.contains("PERCENT-COMPLETE:50\r\n"), "{itip}");
    assert!(!itip.contains("SCHEDULE-AGENT"));
}

/// M7 without a base: the snooze of an alarm still present is kept; with its parent gone it
/// is dropped and reported.
#[test]
fn m7_snooze_without_base() {
    let accepted = fixture("merge", "seed-base.ics")
        .replace("PARTSTAT\r\n =NEEDS-ACTION", "PARTSTAT\r\n =ACCEPTED");
    let snooze = "BEGIN:VALARM\r\nUID:S1\r\nTRIGGER;VALUE=DATE-TIME:20090602T155500Z\r\nACTION:DISPLAY\r\nDESCRIPTION:Snoozed\r\nRELATED-TO;RELTYPE=SNOOZE:A1\r\nEND:VALARM\r\n";
    let server = with_alarm(&accepted, &alarm_block(""));
    let local = with_alarm(&accepted, &format!("{}{snooze}", alarm_block("")));
    let r = run_merge(&m_opts(&local, &server, None, WILFREDO));
    assert!(r.data.contains("RELTYPE=SNOOZE:A1"), "{}", r.data);
    let local_orphan = with_alarm(&accepted, snooze);
    let r = run_merge(&m_opts(&local_orphan, &accepted, None, WILFREDO));
    assert!(!r.data.contains("SNOOZE"), "{}", r.data);
    assert!(
        r.dropped.iter().any(|c| c.what.contains("snooze")),
        "{:?}",
        r.dropped
    );
}

/// M23 with onReschedule "reset", and a cancelled copy in LF.
#[test]
fn m23_cancelled_reset_and_lf() {
    let base = fixture("merge", "seed-base.ics");
    let server = base
        .replace("SEQUENCE:0", "SEQUENCE:1")
        .replace("SUMMARY:Lunch\r\n", "SUMMARY:Lunch\r\nSTATUS:CANCELLED\r\n")
        .replace("\r\n", "\n");
    let mut o = m_opts(
        &fixture("merge", "seed-local.ics"),
        &server,
        Some(&base),
        WILFREDO,
    );
    o.on_reschedule = OnReschedule::Reset;
    let r = run_merge(&o);
    assert!(r.data.contains("STATUS:CANCELLED"));
    assert!(unfold(&r.data).contains("NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:wilfredo"));
    assert!(
        r.dropped.iter().any(|c| c.what.contains("cancel")),
        "{:?}",
        r.dropped
    );
}

/// M14 on an LF organizer copy, with the attendee's reply arriving as SCHEDULE-STATUS too.
#[test]
fn m14_organizer_lf_server() {
    let base = fixture("merge", "seed-base.ics").replace("PRODID", "X-ORG:1\r\nPRODID");
    let local = base.replace("SUMMARY:Lunch\r\n", "SUMMARY:Lunch\r\nLOCATION:Room 1\r\n");
    let server = base
        .replace(
            "SUMMARY:Lunch\r\n",
            "SUMMARY:Lunch\r\nDESCRIPTION:Slides\r\n",
        )
        .replace(
            "PARTSTAT=\r\n NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:bernard",
            "PARTSTAT=\r\n ACCEPTED;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:bernard",
        )
        .replace("\r\n", "\n");
    let r = run_merge(&m_opts(
        &local,
        &server,
        Some(&base),
        "mailto:cyrus@example.com",
    ));
    let un = unfold(&r.data);
    assert!(un.contains("LOCATION:Room 1") && un.contains("DESCRIPTION:Slides"));
    assert!(un.contains("ACCEPTED;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:bernard"));
    assert!(r.conflicts.is_empty(), "{:?}", r.conflicts);
}

// -------------------------------------------------------------------------- third batch: edges

/// R2 on an instance the organizer already overrode (June 4, moved): that override is answered,
/// no second component with the same RECURRENCE-ID is added.
#[test]
fn r2_answer_on_an_existing_override_updates_it() {
    let input = fixture("itip", "recurring-montreal.ics");
    let r = reply(
        &input,
        &answer(BERNARD, PartStat::Declined, Some("20090604T150000")),
    );
    assert_eq!(r.data.matches("BEGIN:VEVENT").count(), 3);
    assert_eq!(
        r.data
            .matches("RECURRENCE-ID;TZID=America/Montreal:20090604T150000")
            .count(),
        1
    );
    // The moved start stays the organizer's.
    assert!(r
        .data
        .contains("DTSTART;TZID=America/Montreal:20090604T170000"));
}

/// R2 with a quoted TZID on DTSTART: the override's RECURRENCE-ID names the same zone, and
/// the instance is found.
#[test]
fn r2_quoted_tzid_series() {
    let input = fixture("itip", "recurring-montreal.ics").replace(
        "DTSTART;TZID=America/Montreal:20090601T150000",
        "DTSTART;TZID=\"America/Montreal\":20090601T150000",
    );
    let r = reply(
        &input,
        &answer(BERNARD, PartStat::Declined, Some("20090602T150000")),
    );
    let events = vevents(&r.data);
    let over = events
        .iter()
        .find(|c| c.value_of("RECURRENCE-ID") == Some("20090602T150000"))
        .unwrap();
    let rid = over.property("RECURRENCE-ID").unwrap();
    assert_eq!(rid.param_value("TZID").as_deref(), Some("America/Montreal"));
}

/// R5: a floating series never gets a UTC RECURRENCE-ID (RFC 5545 §3.8.4.4: floating iff
/// DTSTART is floating); a recurrence id given in UTC is refused or mapped to floating.
#[test]
fn r5_floating_series_never_gets_a_utc_recurrence_id() {
    let input = utc_series()
        .replace("T190000Z", "T190000")
        .replace("T200000Z", "T200000");
    match attendee_reply(
        input.as_bytes(),
        &answer(BERNARD, PartStat::Declined, Some("20090602T190000Z")),
    ) {
        Ok(r) => {
            assert!(
                !r.data.contains("RECURRENCE-ID:20090602T190000Z"),
                "{}",
                r.data
            );
        }
        Err(e) => assert!(
            matches!(e.code, ErrorCode::NoSuchInstance | ErrorCode::InvalidOption),
            "{e:?}"
        ),
    }
    // And a TZID-form answer on a UTC series is written in UTC form.
    let r = reply(
        &utc_series(),
        &answer(BERNARD, PartStat::Declined, Some("20090602T190000Z")),
    );
    assert!(r.data.contains("RECURRENCE-ID:20090602T190000Z\r\n"));
}

/// T22 / T8: two identical Schedule-Tag lines are that tag; the organizer create 201 with both
/// validators is ok, stored as sent, refresh recommended.
#[test]
fn t22_repeated_identical_schedule_tag_lines() {
    let mut input = response(
        Method::Put,
        201,
        &[
            ("etag", "\"d85561cf\""),
            ("Schedule-Tag", "\"488177c8\""),
            ("schedule-tag", "\"488177c8\""),
        ],
    );
    input.sent = Some(headers(&[("If-None-Match", "*")]));
    let v = classify(&input);
    assert_eq!(v.outcome, Outcome::Ok);
    assert_eq!(v.schedule_tag.as_deref(), Some("\"488177c8\""));
    assert!(
        v.warnings.iter().any(|w| w.code == "REFRESH_RECOMMENDED"),
        "{:?}",
        v.warnings
    );
}

/// M19: enumerated values in another case (`cutype=individual`, `role=req-participant`) with
/// no base are no local change.
#[test]
fn m19_enumerated_values_case_without_base() {
    let server = fixture("merge", "seed-server-delivered.ics");
    let local = server
        .replace("CUTYPE=INDIVIDUAL", "cutype=individual")
        .replace("ROLE=REQ-PARTICIPANT", "role=req-participant")
        .replace("RSVP=TRUE", "rsvp=true");
    assert_ne!(local, server);
    let r = run_merge(&m_opts(&local, &server, None, WILFREDO));
    assert!(
        r.unchanged && r.data == server,
        "{:?} {:?}",
        r.kept,
        r.dropped
    );
}

/// L3 through a merge: a server DESCRIPTION folded at 60 columns with a TAB continuation is
/// kept byte-identical when only my answer is carried.
#[test]
fn l3_server_folding_survives_a_merge() {
    let desc = "DESCRIPTION:This description was folded by the server at sixty c\r\n\tolumns and must stay exactly like that in the merged copy\r\n";
    let base = fixture("merge", "seed-base.ics")
        .replace("SUMMARY:Lunch\r\n", &format!("SUMMARY:Lunch\r\n{desc}"));
    let server = base.replace("DTSTAMP:20090602T185254Z", "DTSTAMP:20090602T190000Z");
    let local = base.replace("PARTSTAT\r\n =NEEDS-ACTION", "PARTSTAT\r\n =TENTATIVE");
    let r = run_merge(&m_opts(&local, &server, Some(&base), WILFREDO));
    assert!(r.data.contains(desc));
    assert!(unfold(&r.data).contains("TENTATIVE;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:wilfredo"));
    let lost = lost_lines(&server, &r.data);
    assert!(
        lost.iter()
            .all(|l| l.contains("PARTSTAT") || l.starts_with(' ')),
        "{lost:?}"
    );
}

/// R19 with a CUTYPE=UNKNOWN attendee that could be a group (RFC 5546 §3.7.2 "GROUP or
/// UNKNOWN"): either I am added as a member, or it is NOT_AN_ATTENDEE; never a silent answer
/// for the unknown entry itself.
#[test]
fn r19_unknown_cutype_is_never_answered_in_its_place() {
    let input =
        simple_event("ATTENDEE;CUTYPE=UNKNOWN;PARTSTAT=NEEDS-ACTION:mailto:list@example.com\n")
            .replace("ORGANIZER;", "ORGANIZER;SCHEDULE-AGENT=CLIENT;");
    match attendee_reply(
        input.as_bytes(),
        &answer("mailto:me@example.com", PartStat::Accepted, None),
    ) {
        Ok(r) => {
            let un = unfold(&r.data);
            assert!(un.contains("CUTYPE=UNKNOWN;PARTSTAT=NEEDS-ACTION:mailto:list@example.com"));
            assert!(un.contains("MEMBER=\"mailto:list@example.com\""), "{un}");
        }
        Err(e) => assert_eq!(e.code, ErrorCode::NotAnAttendee),
    }
}

/// T29 / RFC 4791 §4.1: a stored calendar object resource has no METHOD. A local copy that
/// still carries the inbox item's METHOD:REQUEST, or a server copy stored with it (Xandikos
/// keeps the body as sent), merges into a copy without METHOD, so the PUT is not refused with
/// valid-calendar-object-resource.
#[test]
fn t29_merge_never_puts_a_method_back() {
    let base = fixture("merge", "seed-base.ics");
    let local = fixture("merge", "seed-local.ics").replace("PRODID", "METHOD:REQUEST\r\nPRODID");
    let server = fixture("merge", "seed-server-bernard.ics");
    let r = run_merge(&m_opts(&local, &server, Some(&base), WILFREDO));
    assert!(!r.data.contains("METHOD"), "{}", r.data);
    let server_with_method = server.replace("PRODID", "METHOD:REQUEST\r\nPRODID");
    let r = run_merge(&m_opts(
        &fixture("merge", "seed-local.ics"),
        &server_with_method,
        Some(&base),
        WILFREDO,
    ));
    assert!(!r.data.contains("METHOD:"), "{}", r.data);
    assert!(!r.unchanged);
    assert!(
        r.warnings.iter().any(|w| w.code == "METHOD_REMOVED"),
        "{:?}",
        r.warnings
    );
    assert!(unfold(&r.data)
        .contains("PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:wilfredo"));
}

// ------------------------------------------------------------------------ fourth batch: organizer

fn org_copy(bernard: &str, extra: &str) -> String {
    fixture("merge", "seed-base.ics")
        .replace("SUMMARY:Lunch\r\n", &format!("SUMMARY:Lunch\r\n{extra}"))
        .replace(
            "PARTSTAT=\r\n NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:bernard",
            &format!("PARTSTAT=\r\n {bernard}:mailto:bernard"),
        )
}

const CYRUS: &str = "mailto:cyrus@example.com";

/// M16 with RSVP: the organizer's re-invite (NEEDS-ACTION + RSVP=TRUE over ACCEPTED;RSVP=FALSE)
/// wins with both parameters; the server's SCHEDULE-STATUS stays.
#[test]
fn m16_reinvite_carries_rsvp_too() {
    let base = org_copy("ACCEPTED;ROLE=REQ-PARTICIPANT;RSVP=FALSE", "");
    let local = org_copy(
        "NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE",
        "LOCATION:Far\r\n",
    );
    let server = org_copy(
        "ACCEPTED;SCHEDULE-STATUS=2.0;ROLE=REQ-PARTICIPANT;RSVP=FALSE",
        "",
    );
    let r = run_merge(&m_opts(&local, &server, Some(&base), CYRUS));
    let ev = &vevents(&r.data)[0];
    let b = ev
        .properties_named("ATTENDEE")
        .find(|a| a.value() == BERNARD)
        .unwrap();
    assert_eq!(b.param_value("PARTSTAT").as_deref(), Some("NEEDS-ACTION"));
    assert_eq!(b.param_value("RSVP").as_deref(), Some("TRUE"), "{}", r.data);
    assert!(r.data.contains("LOCATION:Far"));
}

/// M15 with a plain ACCEPTED (no SCHEDULE-STATUS), and M11 on the organizer side: a stale
/// SCHEDULE-STATUS=1.0 in my copy never replaces the server's 2.0.
#[test]
fn m15_m11_organizer_side_statuses() {
    let base = org_copy(
        "NEEDS-ACTION;SCHEDULE-STATUS=1.0;ROLE=REQ-PARTICIPANT;RSVP=TRUE",
        "",
    );
    let local = org_copy(
        "NEEDS-ACTION;SCHEDULE-STATUS=1.0;ROLE=REQ-PARTICIPANT;RSVP=TRUE",
        "DESCRIPTION:agenda\r\n",
    );
    let server = org_copy(
        "ACCEPTED;SCHEDULE-STATUS=2.0;ROLE=REQ-PARTICIPANT;RSVP=TRUE",
        "",
    );
    for b in [Some(base.as_str()), None] {
        let r = run_merge(&m_opts(&local, &server, b, CYRUS));
        let un = unfold(&r.data);
        assert!(un.contains("PARTSTAT=ACCEPTED;SCHEDULE-STATUS=2.0;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:bernard"), "{un}");
        assert!(un.contains("DESCRIPTION:agenda"));
        assert!(!mentions(&r.conflicts, "PARTSTAT"));
    }
}

/// M13 as Apple writes it: the server's X-CALENDARSERVER-ACCESS sits at the VCALENDAR level,
/// my X-MOZ-LASTACK in the VEVENT; both survive byte-identical.
#[test]
fn m13_server_extension_at_the_calendar_level() {
    let base = fixture("merge", "seed-base.ics");
    let server = base.replace(
        "VERSION:2.0\r\n",
        "VERSION:2.0\r\nX-CALENDARSERVER-ACCESS:CONFIDENTIAL\r\n",
    );
    let local = fixture("merge", "seed-local.ics").replace(
        "SUMMARY:Lunch\r\n",
        "SUMMARY:Lunch\r\nX-MOZ-LASTACK:20090602T160500Z\r\n",
    );
    for b in [Some(base.as_str()), None] {
        let r = run_merge(&m_opts(&local, &server, b, WILFREDO));
        assert!(r
            .data
            .contains("VERSION:2.0\r\nX-CALENDARSERVER-ACCESS:CONFIDENTIAL\r\n"));
        assert!(r
            .data
            .contains("SUMMARY:Lunch\r\nX-MOZ-LASTACK:20090602T160500Z\r\n"));
    }
}

/// M17: VERSION / CALSCALE only differences are no conflict.
#[test]
fn m17_calscale_difference() {
    let server = fixture("merge", "seed-local.ics");
    let local = server.replace("VERSION:2.0\r\n", "VERSION:2.0\r\nCALSCALE:GREGORIAN\r\n");
    let r = run_merge(&m_opts(&local, &server, None, WILFREDO));
    assert!(r.conflicts.is_empty() && r.dropped.is_empty());
}

// ---------------------------------------------------------------------- fifth batch: TZID vs UTC

/// M2 / M3: the server rewrote DTSTART/DTEND from UTC into the same instant in a TZID form
/// (12:00 EDT = 16:00Z): no reschedule, my answer is carried, nothing to ask.
#[test]
fn m2_same_instant_in_a_tzid_form_is_no_reschedule() {
    let base = fixture("merge", "seed-base.ics");
    let zone = fixture("merge", "series-base.ics");
    let vtz_start = zone.find("BEGIN:VTIMEZONE").unwrap();
    let vtz_end = zone.find("END:VTIMEZONE\r\n").unwrap() + "END:VTIMEZONE\r\n".len();
    let vtz = &zone[vtz_start..vtz_end];
    let server = base
        .replace("BEGIN:VEVENT", &format!("{vtz}BEGIN:VEVENT"))
        .replace(
            "DTSTART:20090602T160000Z",
            "DTSTART;TZID=America/Montreal:20090602T120000",
        )
        .replace(
            "DTEND:20090602T170000Z",
            "DTEND;TZID=America/Montreal:20090602T130000",
        )
        .replace("DTSTAMP:20090602T185254Z", "DTSTAMP:20090602T190000Z");
    let r = run_merge(&m_opts(
        &fixture("merge", "seed-local.ics"),
        &server,
        Some(&base),
        WILFREDO,
    ));
    assert!(!r.rescheduled && !r.needs_confirmation, "{:?}", r.conflicts);
    assert!(unfold(&r.data)
        .contains("PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:wilfredo"));
    assert!(r
        .data
        .contains("DTSTART;TZID=America/Montreal:20090602T120000"));
    // One hour later in the zone is a move.
    let moved = server
        .replace("T120000", "T130000")
        .replace(
            "DTEND;TZID=America/Montreal:20090602T130000",
            "DTEND;TZID=America/Montreal:20090602T140000",
        )
        .replace("SEQUENCE:0", "SEQUENCE:1");
    let r = run_merge(&m_opts(
        &fixture("merge", "seed-local.ics"),
        &moved,
        Some(&base),
        WILFREDO,
    ));
    assert!(r.rescheduled && r.needs_confirmation);
}

/// T38 without a body: locked, no href; T39-like DELETE 204 with If-Schedule-Tag-Match: ok.
#[test]
fn t38_locked_without_body_and_delete_success() {
    let v = classify(&response(Method::Put, 423, &[]));
    assert_eq!(v.outcome, Outcome::Locked);
    assert_eq!(v.href, None);
    let mut input = response(Method::Delete, 204, &[]);
    input.sent = Some(headers(&[
        ("If-Schedule-Tag-Match", "\"s\""),
        ("Schedule-Reply", "F"),
    ]));
    let v = classify(&input);
    assert_eq!(v.outcome, Outcome::Ok);
    assert_eq!(v.etag, None);
    assert_eq!(v.schedule_tag, None);
}

// ----------------------------------------------------------------------- sixth batch: REPLY rules

/// R8 / R11 for a whole-series answer of a TZID series: the REPLY carries the VTIMEZONE of
/// every TZID it uses (RFC 5546 §3.2.3), SEQUENCE echoed, no SCHEDULE-STATUS anywhere.
#[test]
fn r8_series_reply_of_a_tzid_series_has_its_vtimezone() {
    let input = fixture("itip", "recurring-montreal.ics")
        .replace(
            "ORGANIZER;CN=\"Cyrus Daboo\":",
            "ORGANIZER;CN=\"Cyrus Daboo\";SCHEDULE-AGENT=CLIENT;SCHEDULE-STATUS=1.1:",
        )
        .replace(
            "RSVP=TRUE:mailto:bernard",
            "RSVP=TRUE;SCHEDULE-STATUS=1.2:mailto:bernard",
        );
    let r = reply(&input, &answer(BERNARD, PartStat::Accepted, None));
    let itip = r.itip.unwrap();
    let un = unfold(&itip);
    assert_eq!(un.matches("BEGIN:VTIMEZONE").count(), 1);
    assert!(un.contains("TZID:America/Montreal\r\n"));
    assert!(!un.contains("SCHEDULE-"), "{un}");
    assert!(un.contains("SEQUENCE:3\r\n"));
    for ev in un.split("BEGIN:VEVENT").skip(1) {
        assert_eq!(ev.matches("ATTENDEE").count(), 1, "{ev}");
        assert_eq!(ev.matches("\r\nDTSTAMP:").count(), 1);
        assert_eq!(ev.matches("\r\nORGANIZER").count(), 1);
        assert_eq!(ev.matches("\r\nUID:4FD3AD926350").count(), 1);
    }
}

/// RFC 6638 §7.3: with server scheduling the SCHEDULE-STATUS the server put on my ATTENDEE
/// stays in the stored copy after my answer.
#[test]
fn r24_server_schedule_status_on_my_attendee_is_kept() {
    let input = simple_event("").replace(
        "RSVP=TRUE:mailto:wilfredo",
        "RSVP=TRUE;SCHEDULE-STATUS=1.2:mailto:wilfredo",
    );
    let r = reply(&input, &answer(WILFREDO, PartStat::Accepted, None));
    assert!(unfold(&r.data).contains(
        "PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT;RSVP=TRUE;SCHEDULE-STATUS=1.2:mailto:wilfredo"
    ));
}

/// R15: SCHEDULE-FORCE-SEND only means something with server scheduling (RFC 6638 §7.2); with
/// CLIENT or NONE it is not written into the stored copy, and never into the REPLY.
#[test]
fn r15_force_send_only_with_server_scheduling() {
    for agent in ["CLIENT", "NONE"] {
        let input =
            simple_event("").replace("ORGANIZER;", &format!("ORGANIZER;SCHEDULE-AGENT={agent};"));
        let mut o = answer(WILFREDO, PartStat::Accepted, None);
        o.force_send = Some(true);
        let r = reply(&input, &o);
        assert!(
            !r.data.contains("SCHEDULE-FORCE-SEND"),
            "{agent}: {}",
            r.data
        );
        if let Some(itip) = r.itip {
            assert!(!itip.contains("SCHEDULE-FORCE-SEND"));
        }
    }
}

/// R7: the REPLY's VCALENDAR has PRODID and VERSION:2.0 and METHOD:REPLY exactly once, and
/// the stored copy still has none.
#[test]
fn r7_reply_calendar_properties_once() {
    let input = simple_event("").replace("ORGANIZER;", "ORGANIZER;SCHEDULE-AGENT=CLIENT;");
    let r = reply(&input, &answer(WILFREDO, PartStat::Declined, None));
    let itip = r.itip.unwrap();
    assert_eq!(itip.matches("METHOD:REPLY\r\n").count(), 1);
    assert_eq!(itip.matches("\r\nVERSION:2.0\r\n").count(), 1);
    assert_eq!(itip.matches("PRODID:").count(), 1);
    assert!(itip.ends_with("END:VCALENDAR\r\n"));
    assert!(!r.data.contains("METHOD"));
    assert!(itip.contains("PARTSTAT=DECLINED"));
}

/// R2: the override made for one instance copies no recurrence rule of the master (RRULE,
/// RDATE, EXDATE, RFC 6638 B.7 "no RRULE") and keeps the master's DURATION form.
#[test]
fn r2_override_copies_no_recurrence_set_and_keeps_duration() {
    let input = utc_series()
        .replace("DTEND:20090601T200000Z\r\n", "DURATION:PT1H\r\n")
        .replace(
            "RRULE:FREQ=DAILY;COUNT=5\r\n",
            "RRULE:FREQ=DAILY;COUNT=5\r\nRDATE:20090610T190000Z\r\nEXDATE:20090604T190000Z\r\n",
        );
    let r = reply(
        &input,
        &answer(BERNARD, PartStat::Declined, Some("20090603T190000Z")),
    );
    let events = vevents(&r.data);
    let over = events
        .iter()
        .find(|c| c.property("RECURRENCE-ID").is_some())
        .unwrap();
    for name in ["RRULE", "RDATE", "EXDATE", "EXRULE"] {
        assert!(over.property(name).is_none(), "{name} copied");
    }
    assert_eq!(over.value_of("DURATION"), Some("PT1H"));
    assert!(over.property("DTEND").is_none());
    // The RDATE instance can be answered; the EXDATE one cannot.
    let r = reply(
        &input,
        &answer(BERNARD, PartStat::Tentative, Some("20090610T190000Z")),
    );
    assert!(r.data.contains("RECURRENCE-ID:20090610T190000Z\r\n"));
    let e = attendee_reply(
        input.as_bytes(),
        &answer(BERNARD, PartStat::Tentative, Some("20090604T190000Z")),
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::NoSuchInstance);
}

/// L4 with RFC 6868: a CN containing a DQUOTE is written with `^'` inside the quotes, and
/// reads back as the same text.
#[test]
fn l4_rfc6868_quote_in_cn() {
    let mut q = Property::new("ATTENDEE", "mailto:b@x.com").unwrap();
    q.set_param("CN", &["Jane \"JJ\" Doe, PhD"]);
    let text = q.text().to_string();
    assert_eq!(text, "ATTENDEE;CN=\"Jane ^'JJ^' Doe, PhD\":mailto:b@x.com");
    let back = Property::parse(&text, 0).unwrap();
    assert_eq!(
        back.param_value("CN").as_deref(),
        Some("Jane \"JJ\" Doe, PhD")
    );
}

/// M4 family: other organizer-owned edits of an attendee (DTSTART, RRULE-less STATUS, another
/// attendee removed or added) are dropped and reported; the server values stay.
#[test]
fn m4_other_forbidden_edits_are_dropped() {
    let base = fixture("merge", "seed-base.ics");
    let server = fixture("merge", "seed-server-bernard.ics");
    let cases: [(&str, String, &str); 4] = [
        (
            "DTSTART",
            fixture("merge", "seed-local.ics").replace("DTSTART:20090602T160000Z", "DTSTART:20090602T153000Z"),
            "DTSTART:20090602T160000Z",
        ),
        (
            "STATUS",
            fixture("merge", "seed-local.ics").replace("SUMMARY:Lunch\r\n", "SUMMARY:Lunch\r\nSTATUS:TENTATIVE\r\n"),
            "SUMMARY:Lunch\r\nORGANIZER",
        ),
        (
            "ATTENDEE",
            fixture("merge", "seed-local.ics").replace(
                "ATTENDEE;CN=\"Mike Douglass\";CUTYPE=INDIVIDUAL;PARTSTAT=NEEDS-A\r\n CTION;RSVP=TRUE:mailto:mike@example.org\r\n",
                "",
            ),
            "mailto:mike@example.org",
        ),
        (
            "ATTENDEE",
            fixture("merge", "seed-local.ics").replace("SUMMARY:Lunch\r\n", "SUMMARY:Lunch\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:crasher@example.com\r\n"),
            "SUMMARY:Lunch\r\nORGANIZER",
        ),
    ];
    for (property, local, server_line) in cases {
        let r = run_merge(&m_opts(&local, &server, Some(&base), WILFREDO));
        assert!(
            unfold(&r.data).contains(server_line),
            "{property}: {}",
            r.data
        );
        assert!(!r.data.contains("crasher") && !r.data.contains("STATUS:TENTATIVE"));
        assert!(
            mentions(&r.dropped, property),
            "{property}: {:?}",
            r.dropped
        );
        assert!(mentions(&r.kept, "PARTSTAT"));
    }
}

/// L1 / L11 through a reply: my ATTENDEE line, folded with a TAB inside the address in an LF
/// file and carrying a long multibyte CN, is found and rewritten as CRLF lines of at most 75
/// octets that never split a character.
#[test]
fn l1_l11_rewritten_attendee_with_multibyte_cn() {
    let cn = "Jos\u{e9} \u{d1}\u{fa}\u{f1}ez de la Pe\u{f1}a y Ca\u{f1}\u{f3}n \u{c9}milie-\u{c9}l\u{e9}onore";
    let input = simple_event("")
        .replace(
            "ATTENDEE;CN=\"Wilfredo Sanchez Vega\";PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:wilfredo@example.com",
            &format!("ATTENDEE;CN=\"{cn}\";PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:wil\r\n\tfredo@example.com"),
        )
        .replace("\r\n", "\n");
    let r = reply(&input, &answer(WILFREDO, PartStat::Accepted, None));
    let at = r.data.find("ATTENDEE;CN=\"Jos").unwrap();
    let end = r.data[at..].find("\r\nATTENDEE;CN=\"Bernard").unwrap();
    let block = &r.data[at..at + end + 2];
    for l in block.split("\r\n").filter(|l| !l.is_empty()) {
        assert!(l.len() <= 75, "{l:?}");
        assert!(!l.contains('\n'), "LF inside the rewritten line: {block:?}");
    }
    assert_eq!(
        unfold(block),
        format!("ATTENDEE;CN=\"{cn}\";PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:wilfredo@example.com\r\n")
    );
    assert!(r.data.contains("\nSUMMARY:Lunch\n"));
}

/// M23 for one instance: the organizer cancelled June 3 with an override (STATUS:CANCELLED,
/// SEQUENCE bumped) while I accepted the series. My series answer is carried to the master,
/// but the cancelled instance is never re-accepted, and the cancellation is surfaced.
#[test]
fn m23_one_cancelled_instance_is_not_reaccepted() {
    let series = fixture("merge", "series-base.ics");
    let base = series.replace(
        "PARTSTAT=ACCEPTED;\r\n ROLE=REQ-PARTICIPANT",
        "PARTSTAT=NEEDS-ACTION;\r\n ROLE=REQ-PARTICIPANT",
    );
    let local = series.clone();
    let over = "BEGIN:VEVENT\r\nUID:DC3D0301C7790B38631F1FBB\r\nSEQUENCE:1\r\nDTSTAMP:20090602T185254Z\r\nRECURRENCE-ID;TZID=America/Montreal:20090603T150000\r\nDTSTART;TZID=America/Montreal:20090603T150000\r\nDTEND;TZID=America/Montreal:20090603T160000\r\nSUMMARY:Review Internet-Draft\r\nSTATUS:CANCELLED\r\nORGANIZER;CN=\"Cyrus Daboo\":mailto:cyrus@example.com\r\nATTENDEE;CN=\"Cyrus Daboo\";CUTYPE=INDIVIDUAL;PARTSTAT=ACCEPTED;ROLE=CHAIR:mailto:cyrus@example.com\r\nATTENDEE;CN=\"Bernard Desruisseaux\";CUTYPE=INDIVIDUAL;PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:bernard@example.net\r\nEND:VEVENT\r\n";
    let server = base.replace("SEQUENCE:0", "SEQUENCE:1").replace(
        "END:VEVENT\r\nEND:VCALENDAR",
        &format!("END:VEVENT\r\n{over}END:VCALENDAR"),
    );
    for b in [Some(base.as_str()), None] {
        let r = run_merge(&m_opts(&local, &server, b, BERNARD));
        let un = unfold(&r.data);
        let at = un.find("RECURRENCE-ID").unwrap();
        assert!(
            un[..at].contains("PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:bernard"),
            "{un}"
        );
        assert!(un[at..].contains("STATUS:CANCELLED"));
        assert!(
            un[at..]
                .contains("PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:bernard"),
            "the cancelled instance was re-accepted: {un}"
        );
        assert!(
            r.dropped
                .iter()
                .chain(&r.conflicts)
                .any(|c| c.recurrence_id.as_deref() == Some("20090603T150000")
                    && c.what.contains("cancel")),
            "{:?} {:?}",
            r.dropped,
            r.conflicts
        );
    }
}

/// R12 / R14: SCHEDULE-AGENT values compare case-insensitively, quoted or not; the value on
/// ORGANIZER decides on an attendee copy, not one on my ATTENDEE (RFC 6638 §7.1).
#[test]
fn r14_schedule_agent_spellings() {
    for (param, agent) in [
        ("SCHEDULE-AGENT=server", ScheduleAgent::Server),
        ("SCHEDULE-AGENT=\"CLIENT\"", ScheduleAgent::Client),
        ("schedule-agent=None", ScheduleAgent::None),
        ("SCHEDULE-AGENT=\"X-VENDOR\"", ScheduleAgent::None),
        ("SCHEDULE-AGENT=iana-token", ScheduleAgent::None),
    ] {
        let input = simple_event("").replace("ORGANIZER;", &format!("ORGANIZER;{param};"));
        let r = reply(&input, &answer(WILFREDO, PartStat::Accepted, None));
        assert_eq!(r.schedule_agent, agent, "{param}");
        assert_eq!(r.itip.is_some(), agent == ScheduleAgent::Client, "{param}");
    }
    let input = simple_event("").replace(
        "RSVP=TRUE:mailto:wilfredo",
        "RSVP=TRUE;SCHEDULE-AGENT=CLIENT:mailto:wilfredo",
    );
    let r = reply(&input, &answer(WILFREDO, PartStat::Accepted, None));
    assert_eq!(r.schedule_agent, ScheduleAgent::Server);
}

/// VCALENDAR-level lines of the local copy: an attendee's personal property and CALSCALE
/// (RFC 6638 §3.2.2.1 item 6) are carried and reported kept; a calendar property that is the
/// organizer's is reported dropped, not lost silently; VERSION/PRODID are not merged.
#[test]
fn calendar_level_changes_are_carried_or_reported() {
    let base = fixture("merge", "seed-base.ics");
    let local = fixture("merge", "seed-local.ics").replace(
        "VERSION:2.0\r\n",
        "VERSION:2.0\r\nCALSCALE:GREGORIAN\r\nX-MOZ-LASTACK:20090602T160500Z\r\nX-WR-CALNAME:Mine\r\n",
    );
    assert!(local.contains("X-WR-CALNAME"), "fixture changed");
    let server = base.clone();
    let r = run_merge(&m_opts(&local, &server, Some(&base), WILFREDO));
    assert!(r.data.contains("\r\nCALSCALE:GREGORIAN\r\n"), "{}", r.data);
    assert!(r.data.contains("\r\nX-MOZ-LASTACK:20090602T160500Z\r\n"));
    assert!(!r.data.contains("X-WR-CALNAME"));
    assert!(
        mentions(&r.kept, "CALSCALE") && mentions(&r.kept, "X-MOZ-LASTACK"),
        "{:?}",
        r.kept
    );
    assert!(mentions(&r.dropped, "X-WR-CALNAME"), "{:?}", r.dropped);
    assert!(!mentions(&r.dropped, "PRODID") && !mentions(&r.kept, "PRODID"));
    // The carried lines sit with the calendar's own properties, before the first component.
    let head = &r.data[..r.data.find("BEGIN:VEVENT").unwrap()];
    assert!(head.contains("X-MOZ-LASTACK") && head.contains("CALSCALE"));

    // The organizer owns every calendar property; both sides changing one is a conflict, mine
    // kept.
    let as_cyrus = |text: &str, name: &str| {
        text.replace(
            "VERSION:2.0\r\n",
            &format!("VERSION:2.0\r\nX-WR-CALNAME:{name}\r\n"),
        )
    };
    let r = run_merge(&m_opts(
        &as_cyrus(&base, "Mine"),
        &as_cyrus(&base, "Theirs"),
        Some(&base),
        CYRUS,
    ));
    assert!(r.data.contains("X-WR-CALNAME:Mine\r\n") && !r.data.contains("Theirs"));
    assert!(mentions(&r.conflicts, "X-WR-CALNAME"), "{:?}", r.conflicts);
}

/// An unknown SCHEDULE-AGENT on the ORGANIZER is tolerated by merge with the same warning
/// attendeeReply and inspect give (API.md: tolerated things are warnings).
#[test]
fn merge_warns_of_an_unknown_schedule_agent() {
    let base = fixture("merge", "seed-base.ics");
    let x = |t: &str| t.replace("ORGANIZER;CN=", "ORGANIZER;SCHEDULE-AGENT=X-FOO;CN=");
    let local = x(&fixture("merge", "seed-local.ics"));
    assert!(local.contains("SCHEDULE-AGENT=X-FOO"), "fixture changed");
    let r = run_merge(&m_opts(&local, &x(&base), Some(&x(&base)), WILFREDO));
    assert!(
        r.warnings
            .iter()
            .any(|w| w.code == "UNKNOWN_SCHEDULE_AGENT"),
        "{:?}",
        r.warnings
    );
}
