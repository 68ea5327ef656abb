//! merge (three inputs): byte 0 chooses the options, then the local, server and (optional) base
//! copies separated by lines of `=====`. `me` is taken from the data (an ATTENDEE of the local
//! copy, or the ORGANIZER), so the fuzzer reaches the merge logic. Properties: never a panic; a
//! result parses again; an `unchanged` result is the server copy itself.
#![no_main]

use caldav_sched::ical::Document;
use caldav_sched::itip::{merge, MergeOptions, OnReschedule, RoleOption};
use libfuzzer_sys::fuzz_target;

mod support;
use support::value_of;

fuzz_target!(|input: &[u8]| {
    let Some((&flags, rest)) = input.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let mut parts = text.split("\n=====\n");
    let local = parts.next().unwrap_or_default();
    let server = parts.next().unwrap_or_default();
    let base = parts.next().filter(|_| flags & 1 != 0);
    let me = if flags & 2 != 0 {
        value_of(server, "ORGANIZER", 0)
    } else {
        value_of(local, "ATTENDEE", usize::from(flags >> 5))
    }
    .unwrap_or_else(|| "mailto:me@example.com".to_string());
    let mut options = MergeOptions::new(local, server, base, &me);
    options.role = match (flags >> 2) & 3 {
        1 => RoleOption::Attendee,
        2 => RoleOption::Organizer,
        _ => RoleOption::Auto,
    };
    options.on_reschedule = match (flags >> 4) & 1 {
        0 => OnReschedule::Ask,
        _ if flags & 0x80 != 0 => OnReschedule::Reset,
        _ => OnReschedule::Keep,
    };
    if flags & 0x40 != 0 {
        options.personal = vec!["COLOR".to_string(), "X-APPLE-*".to_string()];
    }
    let Ok(result) = merge(&options) else {
        return;
    };
    if let Err(e) = Document::parse(result.data.as_bytes()) {
        panic!("the merge wrote unparseable data: {e}\n{}", result.data);
    }
    if result.unchanged {
        assert_eq!(result.data, server, "unchanged, yet not the server copy");
    }
});
