//! Helpers shared by test files: header maps and server answers built from `(name, value)`
//! pairs (tag preconditions), the VEVENTs of a result and an attendee's answer in each.
#![allow(dead_code, clippy::expect_used)] // helpers for tests: a failed expectation is a failed test

use std::collections::BTreeMap;

use caldav_sched::ical::{Component, Document};
use caldav_sched::precondition::{Intent, Method, PreconditionOptions, ResponseInput};

/// The VEVENTs of the first VCALENDAR of `data`, in order. Panics when it does not parse or
/// has no VCALENDAR (a test failure).
pub fn vevents(data: &str) -> Vec<Component> {
    let doc = Document::parse(data.as_bytes()).expect("the result parses");
    let calendar = doc.calendar().expect("a VCALENDAR");
    calendar.components_named("VEVENT").cloned().collect()
}

/// In each VEVENT of `data`, in order: its RECURRENCE-ID (`master` without one) and the
/// upper-cased PARTSTAT of the first ATTENDEE whose address contains `who`. Panics when a
/// VEVENT has no such attendee or PARTSTAT (a test failure).
pub fn partstats_of(data: &str, who: &str) -> Vec<(String, String)> {
    vevents(data)
        .iter()
        .map(|c| {
            let partstat = c
                .properties_named("ATTENDEE")
                .find(|a| a.value().contains(who))
                .and_then(|a| a.param_value("PARTSTAT"))
                .expect("the attendee with a PARTSTAT");
            let rid = c.value_of("RECURRENCE-ID").unwrap_or("master").to_string();
            (rid, partstat.to_ascii_uppercase())
        })
        .collect()
}

/// `(name, value)` pairs as owned strings.
fn owned<C: FromIterator<(String, String)>>(pairs: &[(&str, &str)]) -> C {
    pairs
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect()
}

/// A header map (what `sent` and `preconditionHeaders` hold).
pub fn header_map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    owned(pairs)
}

/// `preconditionHeaders` options: an intent and the tags known (no `Schedule-Reply` choice).
pub fn options(intent: Intent, etag: Option<&str>, tag: Option<&str>) -> PreconditionOptions {
    PreconditionOptions {
        intent,
        etag: etag.map(str::to_string),
        schedule_tag: tag.map(str::to_string),
        schedule_reply: None,
    }
}

/// `input` with the headers the request sent (`sent`).
pub fn with_sent(mut input: ResponseInput, sent: &[(&str, &str)]) -> ResponseInput {
    input.sent = Some(header_map(sent));
    input
}

/// `input` with a response body.
pub fn with_body(mut input: ResponseInput, body: &str) -> ResponseInput {
    input.body = Some(body.to_string());
    input
}

/// A server answer to `method`: its status and response headers, no body, nothing sent.
pub fn answer(method: Method, status: u16, headers: &[(&str, &str)]) -> ResponseInput {
    let mut input = ResponseInput::new(method, status);
    input.headers = owned(headers);
    input
}
