//! attendeeReply: the first 4 bytes choose the options, the rest is the attendee's copy. `me`
//! and `recurrenceId` are taken from the data itself (an ATTENDEE and a RECURRENCE-ID or
//! DTSTART value), so the fuzzer reaches the reply logic and not only "not an attendee".
//! Properties: never a panic; a result parses again; an unchanged result is the input.
#![no_main]

use caldav_sched::ical::Document;
use caldav_sched::itip::{attendee_reply, AlarmSpec, PartStat, ReplyOptions, Scope};
use libfuzzer_sys::fuzz_target;

mod support;
use support::value_of;

const PARTSTATS: [PartStat; 7] = [
    PartStat::Accepted,
    PartStat::Declined,
    PartStat::Tentative,
    PartStat::Delegated,
    PartStat::NeedsAction,
    PartStat::Completed,
    PartStat::InProcess,
];

fuzz_target!(|input: &[u8]| {
    let (control, data) = if input.len() >= 4 {
        input.split_at(4)
    } else {
        (input, &[][..])
    };
    let byte = |i: usize| control.get(i).copied().unwrap_or(0);
    let text = String::from_utf8_lossy(data);
    let me = value_of(&text, "ATTENDEE", usize::from(byte(1) & 7))
        .unwrap_or_else(|| "mailto:me@example.com".to_string());
    let partstat = PARTSTATS[usize::from(byte(0)) % PARTSTATS.len()];
    let mut options = ReplyOptions::new(&[me.as_str()], partstat, "20260101T000000Z");
    options.scope = match byte(2) % 4 {
        0 => None,
        1 => Some(Scope::Series),
        2 => Some(Scope::Instance),
        _ => Some(Scope::ThisAndFuture),
    };
    let flags = byte(3);
    if flags & 1 != 0 {
        options.recurrence_id = value_of(&text, "RECURRENCE-ID", usize::from(byte(1) >> 4))
            .or_else(|| value_of(&text, "DTSTART", 0));
    }
    if flags & 2 != 0 {
        options.comment = Some("Running late; \"see\" you, maybe\\".to_string());
    }
    if flags & 4 != 0 {
        options.alarms = Some(vec![AlarmSpec {
            trigger: if flags & 32 != 0 {
                "20260101T090000Z"
            } else {
                "-PT15M"
            }
            .to_string(),
            action: None,
            description: None,
            uid: Some("alarm-1".to_string()),
        }]);
    }
    if flags & 8 != 0 {
        options.delegate_to = Some(vec!["mailto:delegate@example.com".to_string()]);
    }
    if flags & 16 != 0 {
        options.sent_by = Some("mailto:assistant@example.com".to_string());
    }
    if flags & 64 != 0 {
        options.percent_complete = Some(byte(1) % 101);
    }
    let Ok(result) = attendee_reply(data, &options) else {
        return;
    };
    if let Err(e) = Document::parse(result.data.as_bytes()) {
        panic!("the reply wrote unparseable data: {e}\n{}", result.data);
    }
    if !result.changed {
        assert_eq!(
            result.data.as_bytes(),
            data,
            "unchanged, yet different bytes"
        );
    }
    if let Some(itip) = &result.itip {
        if let Err(e) = Document::parse(itip.as_bytes()) {
            panic!("unparseable iTIP REPLY: {e}\n{itip}");
        }
    }
});
