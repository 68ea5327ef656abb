//! Which preconditions the answered request carried (the `sent` option of classifyResponse).
//!
//! Decisions:
//! - Names compare case-insensitively; values are parsed only as far as the verdict needs.
//! - Sending If-Match together with If-Schedule-Tag-Match is reported (VECTORS T17): the origin
//!   MUST evaluate If-Match (RFC 9110 §13.1.1), so a stale ETag gives 412 although the tag matched.
//! - A PUT or DELETE known to carry no precondition at all is reported: a success may have
//!   overwritten someone else's change, and a 412 cannot have come from a tag.

use std::collections::BTreeMap;

use super::entity_tag::shown;
use super::header_list::{parse_entity_tag_list, EntityTagList};
use crate::error::Warning;

/// What was sent, as far as classification cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct SentPreconditions {
    /// The caller told us what was sent.
    pub known: bool,
    /// `If-None-Match: *` (a create).
    pub create: bool,
    /// `If-None-Match` with anything (`*` or tags).
    pub if_none_match: bool,
    /// `If-Match` with anything.
    pub if_match: bool,
    /// `If-Schedule-Tag-Match` with anything.
    pub schedule_tag: bool,
}

impl SentPreconditions {
    /// True when a tag precondition on an existing resource was sent.
    pub fn on_existing(&self) -> bool {
        self.if_match || self.schedule_tag
    }
}

fn find<'a>(sent: &'a BTreeMap<String, String>, name: &str) -> Option<&'a str> {
    sent.iter()
        .find(|(n, _)| n.trim().eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Reads the sent headers; `write` is true for PUT and DELETE.
pub(crate) fn read_sent(
    sent: Option<&BTreeMap<String, String>>,
    write: bool,
    warnings: &mut Vec<Warning>,
) -> SentPreconditions {
    let Some(sent) = sent else {
        return SentPreconditions::default();
    };
    let mut result = SentPreconditions {
        known: true,
        ..SentPreconditions::default()
    };
    if let Some(value) = find(sent, "If-None-Match") {
        result.if_none_match = true;
        match parse_entity_tag_list(&[value]) {
            Ok(EntityTagList::Any) => result.create = true,
            Ok(EntityTagList::Tags(_)) => {}
            Err(e) => warnings.push(Warning::new(
                "BAD_SENT_HEADER",
                format!(
                    "the sent If-None-Match {} is malformed: {}",
                    shown(value),
                    e.message
                ),
                None,
            )),
        }
    }
    result.if_match = find(sent, "If-Match").is_some();
    result.schedule_tag = find(sent, "If-Schedule-Tag-Match").is_some();
    if result.if_match && result.schedule_tag {
        warnings.push(Warning::new(
            "BOTH_PRECONDITIONS",
            "If-Match was sent next to If-Schedule-Tag-Match: the server must evaluate If-Match \
             (RFC 9110 §13.1.1), so a stale ETag gives 412 even when the Schedule-Tag matches and \
             defeats the server-side merge (RFC 6638 §3.2.10); send If-Schedule-Tag-Match alone",
            None,
        ));
    }
    if write && !result.if_none_match && !result.on_existing() {
        warnings.push(Warning::new(
            "NO_PRECONDITION",
            "the write carried no If-Match, If-Schedule-Tag-Match or If-None-Match: * ; it was \
             unconditional and may have overwritten someone else's change",
            None,
        ));
    }
    result
}
