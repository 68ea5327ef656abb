//! Entity tags, precondition headers and response verdicts (RFC 9110, RFC 6638 §8). Needs no iCalendar.
//!
//! - [`parse_entity_tag`], [`compare_entity_tags`]: RFC 9110 §8.8.3 entity tags, kept verbatim;
//!   [`parse_schedule_tag`] for RFC 6638 Schedule-Tags; [`parse_entity_tag_list`] for
//!   If-Match / If-None-Match lists.
//! - [`precondition_headers`]: exactly one conditional header for a create, update or delete.
//! - [`classify_response`]: a [`Verdict`] (next step + validators to keep) for a server answer.
//! - [`classify_tag_change`]: what kind of change separates two fetched copies.

mod classify;
mod condition_hint;
mod dav_error;
mod entity_tag;
mod header_list;
mod headers;
mod http_date;
mod multistatus;
mod response;
mod response_headers;
mod retry_after;
mod schedule_tag;
mod sent_preconditions;
mod tag_change;
mod xml;
#[cfg(test)]
mod xml_reference;

pub use classify::classify_response;
pub use entity_tag::{compare_entity_tags, parse_entity_tag, EntityTag};
pub use header_list::{parse_entity_tag_list, split_header_list, EntityTagList};
pub use headers::{
    precondition_headers, Intent, PreconditionOptions, IF_MATCH, IF_NONE_MATCH,
    IF_SCHEDULE_TAG_MATCH, SCHEDULE_REPLY,
};
pub use response::{Method, Outcome, ResponseInput, Verdict, DEFAULT_MAX_ATTEMPTS};
pub use schedule_tag::parse_schedule_tag;
pub use tag_change::{classify_tag_change, TagChange, Validators};
