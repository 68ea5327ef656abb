//! Helpers shared by the tag-precondition test files: header maps and server answers built from
//! `(name, value)` pairs.
#![allow(dead_code)]

use std::collections::BTreeMap;

use caldav_sched::precondition::{Method, ResponseInput};

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

/// A server answer to `method`: its status and response headers, no body, nothing sent.
pub fn answer(method: Method, status: u16, headers: &[(&str, &str)]) -> ResponseInput {
    let mut input = ResponseInput::new(method, status);
    input.headers = owned(headers);
    input
}
