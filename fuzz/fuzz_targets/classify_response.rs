//! classifyResponse: the input is one exchange in the format of tests/fixtures/server-answers
//! (`> METHOD path`, `> Name: value` sent, `< HTTP/1.1 status`, `< Name: value` received, an
//! empty line, the body), so the recorded answers seed it. Properties: never a panic; errors only
//! for misuse (INVALID_OPTION); a kept ETag is strong and a kept tag is one the server sent
//! (header names compare after trimming whitespace, as the core reads them).
#![no_main]

use std::collections::BTreeMap;

use caldav_sched::precondition::{classify_response, parse_entity_tag, Method, ResponseInput};
use caldav_sched::ErrorCode;
use libfuzzer_sys::fuzz_target;

fn header(line: &str) -> Option<(String, String)> {
    let (name, value) = line.split_once(':')?;
    Some((name.to_string(), value.trim_start().to_string()))
}

fn read(text: &str) -> ResponseInput {
    let mut input = ResponseInput::new(Method::Put, 200);
    let mut sent = BTreeMap::new();
    let mut lines = text.split('\n');
    let mut body_lines = Vec::new();
    let mut in_body = false;
    for line in lines.by_ref() {
        if in_body {
            body_lines.push(line);
            continue;
        }
        if let Some(request) = line.strip_prefix("> ") {
            match request.split(' ').next() {
                Some("GET") => input.method = Method::Get,
                Some("PUT") => input.method = Method::Put,
                Some("DELETE") => input.method = Method::Delete,
                _ => {
                    if let Some((n, v)) = header(request) {
                        sent.insert(n, v);
                    }
                }
            }
        } else if let Some(answer) = line.strip_prefix("< ") {
            if answer.starts_with("HTTP/") {
                let code = answer.split(' ').nth(1).unwrap_or_default();
                input.status = code.parse().unwrap_or(u16::MAX);
            } else if let Some(h) = header(answer) {
                input.headers.push(h);
            }
        } else if let Some(attempt) = line.strip_prefix("# attempt ") {
            let (a, m) = attempt.split_once('/').unwrap_or((attempt, ""));
            input.attempt = a.trim().parse().ok();
            input.max_attempts = m.trim().parse().ok();
        } else if line.is_empty() {
            in_body = true;
        }
    }
    if !sent.is_empty() {
        input.sent = Some(sent);
    }
    if !body_lines.is_empty() {
        input.body = Some(body_lines.join("\n"));
    }
    input
}

fuzz_target!(|data: &[u8]| {
    let input = read(&String::from_utf8_lossy(data));
    match classify_response(&input) {
        Ok(verdict) => {
            if let Some(etag) = &verdict.etag {
                let tag = parse_entity_tag(etag);
                assert!(
                    tag.as_ref().is_ok_and(|t| !t.weak),
                    "kept ETag {etag:?} is not strong"
                );
                let sent_by_server = input.headers.iter().any(|(n, v)| {
                    n.trim().eq_ignore_ascii_case("etag") && v.contains(etag.as_str())
                });
                assert!(
                    sent_by_server,
                    "kept ETag {etag:?} is not one the server sent"
                );
            }
            if let Some(tag) = &verdict.schedule_tag {
                let sent_by_server = input.headers.iter().any(|(n, v)| {
                    n.trim().eq_ignore_ascii_case("schedule-tag") && v.contains(tag.as_str())
                });
                assert!(
                    sent_by_server,
                    "kept Schedule-Tag {tag:?} is not one the server sent"
                );
            }
        }
        Err(e) => assert_eq!(e.code, ErrorCode::InvalidOption, "{e}"),
    }
});
