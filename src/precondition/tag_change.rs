//! What kind of change separates two fetched copies, judged from their tags alone
//! (RFC 6638 §3.2.10; VECTORS S1 step 4, T35, T36).
//!
//! Decisions:
//! - Schedule-Tags compare as raw strings, because servers compare the raw header value
//!   (PROTOCOL.md §1.3); ETags use strong comparison (RFC 9110 §8.8.3.2).
//! - Same Schedule-Tag and same ETag → `unchanged`. Same Schedule-Tag, different (or unknown)
//!   ETag → `inconsequential`: only participation status or server bookkeeping changed, and a
//!   pending write with the old Schedule-Tag will be merged by the server (RFC 6638 §3.2.10.1).
//! - A different Schedule-Tag, or one that appeared or disappeared → `consequential`: the pending
//!   edit must go through the merge helper. Compare with the tag from **your own PUT's answer**:
//!   a direct PUT changes the tag (Cyrus), so the tag you sent is always "different".
//! - No Schedule-Tag on either side: equal ETags → `unchanged`; otherwise `changed`, because an
//!   ETag cannot tell which kind of change happened (merge to be safe).

use super::entity_tag::parse_entity_tag;
use crate::error::Result;

/// The tags of one fetched copy (raw values as received).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Validators {
    /// The ETag as received.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub etag: Option<String>,
    /// The Schedule-Tag as received.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub schedule_tag: Option<String>,
}

/// The kind of change between two copies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub enum TagChange {
    /// Same tags: nothing changed.
    Unchanged,
    /// Same Schedule-Tag, new ETag: attendee statuses or server bookkeeping only.
    Inconsequential,
    /// New Schedule-Tag: an organizer update or another client's direct write.
    Consequential,
    /// No Schedule-Tag to judge by and the ETag changed: some change, kind unknown.
    Changed,
}

fn same_etag(a: &Option<String>, b: &Option<String>) -> Result<Option<bool>> {
    match (a, b) {
        (Some(a), Some(b)) => Ok(Some(parse_entity_tag(a)?.strong_eq(&parse_entity_tag(b)?))),
        _ => Ok(None),
    }
}

/// Classifies the change from `before` to `after`. Errors with `BAD_ENTITY_TAG` when an ETag is
/// malformed.
pub fn classify_tag_change(before: &Validators, after: &Validators) -> Result<TagChange> {
    let etag_same = same_etag(&before.etag, &after.etag)?;
    Ok(match (&before.schedule_tag, &after.schedule_tag) {
        (Some(a), Some(b)) if a == b => {
            if etag_same == Some(true) {
                TagChange::Unchanged
            } else {
                TagChange::Inconsequential
            }
        }
        (Some(_), _) | (_, Some(_)) => TagChange::Consequential,
        (None, None) => {
            if etag_same == Some(true) {
                TagChange::Unchanged
            } else {
                TagChange::Changed
            }
        }
    })
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    use crate::test_support::TestResult;

    fn tags(etag: Option<&str>, schedule_tag: Option<&str>) -> Validators {
        Validators {
            etag: etag.map(str::to_string),
            schedule_tag: schedule_tag.map(str::to_string),
        }
    }

    #[test]
    fn schedule_tag_appearing_or_disappearing_is_consequential() -> TestResult {
        let with = tags(Some("\"e\""), Some("\"s\""));
        let without = tags(Some("\"e\""), None);
        assert_eq!(
            classify_tag_change(&with, &without)?,
            TagChange::Consequential
        );
        assert_eq!(
            classify_tag_change(&without, &with)?,
            TagChange::Consequential
        );
        Ok(())
    }

    #[test]
    fn schedule_tags_compare_as_raw_strings() -> TestResult {
        // Same opaque text, different bytes: servers compare raw values, so this is a change.
        let a = tags(None, Some("\"a b\""));
        let b = tags(None, Some("\"a\\ b\""));
        assert_eq!(classify_tag_change(&a, &b)?, TagChange::Consequential);
        Ok(())
    }

    #[test]
    fn same_schedule_tag_without_etags_is_inconsequential_at_most() -> TestResult {
        let a = tags(None, Some("\"s\""));
        assert_eq!(classify_tag_change(&a, &a)?, TagChange::Inconsequential);
        Ok(())
    }

    #[test]
    fn etags_only() -> TestResult {
        assert_eq!(
            classify_tag_change(&tags(Some("\"1\""), None), &tags(Some("\"1\""), None))?,
            TagChange::Unchanged
        );
        // Weak tags never compare strongly equal: a change cannot be ruled out.
        assert_eq!(
            classify_tag_change(&tags(Some("W/\"1\""), None), &tags(Some("W/\"1\""), None))?,
            TagChange::Changed
        );
        assert_eq!(
            classify_tag_change(&tags(None, None), &tags(None, None))?,
            TagChange::Changed
        );
        Ok(())
    }

    #[test]
    fn malformed_etags_are_errors() -> TestResult {
        let e = classify_tag_change(&tags(Some("abc"), None), &tags(Some("\"abc\""), None))
            .err()
            .ok_or("expected an error")?;
        assert_eq!(e.code, ErrorCode::BadEntityTag);
        Ok(())
    }
}
