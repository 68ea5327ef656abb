//! The precondition headers for a write: exactly one conditional header, never an unconditional
//! write.
//!
//! Decisions (API.md "Tag preconditions"; PROTOCOL.md §1.3-§1.5, §6.3):
//! - create → `If-None-Match: *` (RFC 4791 §5.3.2; RFC 9110 §13.1.2). An `etag` or `scheduleTag`
//!   with create is `INVALID_OPTION`: it means the caller wanted an update.
//! - update/delete with a `scheduleTag` → `If-Schedule-Tag-Match` **alone** (RFC 6638 §3.2.10
//!   "instead of"): an origin that gets If-Match MUST evaluate it (RFC 9110 §13.1.1), so a stale
//!   ETag next to a matching Schedule-Tag would defeat the server-side merge. An `etag` passed too
//!   is not sent (only checked for unsafe characters).
//! - update/delete with only an `etag` → `If-Match: <etag>`; a weak etag is `BAD_ENTITY_TAG`
//!   because If-Match uses strong comparison and can never match it (RFC 9110 §13.1.1).
//!   This also covers servers without Schedule-Tag support (sabre/dav): If-Schedule-Tag-Match is
//!   only sent when a tag was received, since such servers ignore it (PROTOCOL.md §1.5).
//! - update/delete with neither → `INVALID_OPTION`: an unconditional write is never built.
//! - `scheduleReply: false` on delete → `Schedule-Reply: F` (RFC 6638 §8.1). `true` adds nothing
//!   (an absent header means `T`). On create/update it is `INVALID_OPTION` (delete only).
//! - Any CR, LF or other control character (U+0000-U+001F, U+007F) in a value → `UNSAFE_VALUE`,
//!   checked before anything else. The one exception is HTAB strictly inside the quotes of a
//!   `scheduleTag`: RFC 6638 §8.2 takes `opaque-tag` from RFC 2616, where it is a quoted-string
//!   whose `qdtext` allows HTAB, so a server may send such a tag; `classifyResponse` keeps it
//!   (it is well-formed) and this function must then be able to echo it, since the server compares
//!   the tag byte for byte (PROTOCOL.md §1.3). HTAB cannot start a new header line (only CR/LF
//!   can), and fetch() accepts it inside a value (it forbids only NUL, CR and LF, and trims
//!   leading/trailing whitespace). Outside the quotes HTAB stays unsafe (it would be trimmed
//!   whitespace, not part of the tag), and an `etag` never has one (RFC 9110 `etagc` excludes
//!   it). Values are otherwise echoed byte for byte; surrounding spaces are trimmed because they
//!   are not part of a field value (RFC 9110 §5.5).

use std::collections::BTreeMap;

use super::entity_tag::{parse_entity_tag, shown};
use super::schedule_tag::parse_schedule_tag;
use crate::error::{Error, ErrorCode, Result};

/// What the write does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub enum Intent {
    /// PUT to a new URL.
    Create,
    /// PUT over an existing resource.
    Update,
    /// DELETE of an existing resource.
    Delete,
}

/// Options of `preconditionHeaders` ([`precondition_headers`] in Rust).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct PreconditionOptions {
    /// What the write does.
    pub intent: Intent,
    /// The ETag as received, echoed verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub etag: Option<String>,
    /// The Schedule-Tag as received, echoed verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub schedule_tag: Option<String>,
    /// Delete only: `false` adds `Schedule-Reply: F` (no automatic DECLINED reply).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub schedule_reply: Option<bool>,
}

/// Header name for a create precondition.
pub const IF_NONE_MATCH: &str = "If-None-Match";
/// Header name for an ETag precondition.
pub const IF_MATCH: &str = "If-Match";
/// Header name for a Schedule-Tag precondition (RFC 6638 §8.3).
pub const IF_SCHEDULE_TAG_MATCH: &str = "If-Schedule-Tag-Match";
/// Header name that suppresses an attendee's automatic reply on delete (RFC 6638 §8.1).
pub const SCHEDULE_REPLY: &str = "Schedule-Reply";

fn is_control(c: char) -> bool {
    (c as u32) < 0x20 || (c as u32) == 0x7F
}

/// Refuses CR, LF and every other control character (they would inject a header line).
pub(crate) fn check_safe(name: &str, value: &str) -> Result<()> {
    check_chars(name, value, |_| false)
}

/// [`check_safe`] for a Schedule-Tag: HTAB is allowed strictly between its first and last DQUOTE
/// (RFC 2616 §2.2 `qdtext`; see the module doc).
fn check_safe_schedule_tag(value: &str) -> Result<()> {
    let (open, close) = (value.find('"'), value.rfind('"'));
    let inside_quotes = |at: usize| matches!((open, close), (Some(o), Some(c)) if o < at && at < c);
    check_chars("scheduleTag", value, inside_quotes)
}

/// Refuses the first control character at a byte offset where `htab_allowed` is false (any
/// other control character is refused everywhere).
fn check_chars(name: &str, value: &str, htab_allowed: impl Fn(usize) -> bool) -> Result<()> {
    let refused = value
        .char_indices()
        .find(|&(at, c)| is_control(c) && !(c == '\t' && htab_allowed(at)));
    if let Some((_, c)) = refused {
        return Err(Error::new(
            ErrorCode::UnsafeValue,
            format!(
                "{name} {} contains the control character U+{:04X}; it would inject a header line",
                shown(value),
                c as u32
            ),
        ));
    }
    Ok(())
}

fn invalid(message: &str) -> Error {
    Error::new(ErrorCode::InvalidOption, message)
}

/// Builds the precondition headers for a create, update or delete (see the module doc for every
/// rule). Keys are canonical header names; the map has one conditional header, plus
/// `Schedule-Reply` for a silent delete.
pub fn precondition_headers(options: &PreconditionOptions) -> Result<BTreeMap<String, String>> {
    if let Some(etag) = &options.etag {
        check_safe("etag", etag)?;
    }
    if let Some(tag) = &options.schedule_tag {
        check_safe_schedule_tag(tag)?;
    }
    let mut headers = BTreeMap::new();
    if options.schedule_reply.is_some() && options.intent != Intent::Delete {
        return Err(invalid(
            "scheduleReply only applies to intent \"delete\" (RFC 6638 §8.1)",
        ));
    }
    match options.intent {
        Intent::Create => {
            if options.etag.is_some() || options.schedule_tag.is_some() {
                return Err(invalid(
                    "intent \"create\" takes no etag or scheduleTag (it sends If-None-Match: *); \
                     use intent \"update\" to overwrite an existing resource",
                ));
            }
            headers.insert(IF_NONE_MATCH.to_string(), "*".to_string());
        }
        Intent::Update | Intent::Delete => {
            if let Some(tag) = &options.schedule_tag {
                let tag = parse_schedule_tag(tag)?;
                headers.insert(IF_SCHEDULE_TAG_MATCH.to_string(), tag.raw);
            } else if let Some(etag) = &options.etag {
                let etag = parse_entity_tag(etag)?;
                if etag.weak {
                    return Err(Error::new(
                        ErrorCode::BadEntityTag,
                        format!(
                            "weak ETag {} can never satisfy If-Match (strong comparison, \
                             RFC 9110 §13.1.1); a CalDAV server must send a strong ETag \
                             (RFC 4791 §5.3.4): GET the resource again or report the server",
                            shown(&etag.raw)
                        ),
                    ));
                }
                headers.insert(IF_MATCH.to_string(), etag.raw);
            } else {
                return Err(invalid(
                    "update and delete need the etag or scheduleTag of the copy you edited: an \
                     unconditional write could overwrite someone else's change",
                ));
            }
            if options.schedule_reply == Some(false) {
                headers.insert(SCHEDULE_REPLY.to_string(), "F".to_string());
            }
        }
    }
    Ok(headers)
}
