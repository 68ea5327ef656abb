//! The input and result types of [`super::classify_response`] (API.md "Tag preconditions").

use std::collections::BTreeMap;

use crate::error::Warning;

/// The attempt limit for a write that keeps failing with 412, when the caller gives none.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 3;

/// The HTTP method of the request that was answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "UPPERCASE")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub enum Method {
    /// GET (a fetch or re-fetch).
    #[serde(alias = "get")]
    Get,
    /// PUT (create or update).
    #[serde(alias = "put")]
    Put,
    /// DELETE.
    #[serde(alias = "delete")]
    Delete,
}

/// One server answer to classify.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ResponseInput {
    /// The method of the request.
    pub method: Method,
    /// The HTTP status code (100-599).
    pub status: u16,
    /// Response headers as (name, value) pairs; names compare case-insensitively and repeated
    /// names are all kept.
    #[serde(default)]
    pub headers: Vec<(String, String)>,
    /// The response body, if any (a DAV:error XML document on 403/409/423...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub body: Option<String>,
    /// The precondition headers that were sent (as built by `preconditionHeaders`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        target_arch = "wasm32",
        tsify(optional, type = "Record<string, string>")
    )]
    pub sent: Option<BTreeMap<String, String>>,
    /// 1-based attempt of this write (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub attempt: Option<u32>,
    /// How many attempts a write may take before a 412 means give-up (default 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub max_attempts: Option<u32>,
}

impl ResponseInput {
    /// An answer with no headers, body or sent headers (fill the fields you have).
    pub fn new(method: Method, status: u16) -> Self {
        ResponseInput {
            method,
            status,
            headers: Vec::new(),
            body: None,
            sent: None,
            attempt: None,
            max_attempts: None,
        }
    }
}

/// The next step for the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub enum Outcome {
    /// Done; keep the validators of the verdict.
    Ok,
    /// Done or nearly: GET the resource (with `cache: "no-store"`) before relying on it.
    Refetch,
    /// The resource changed since it was fetched: GET, merge, retry with the new tag.
    MergeAndRetry,
    /// The resource no longer exists.
    Gone,
    /// A create found the URL taken (`If-None-Match: *` failed).
    Exists,
    /// The server refuses (403); retrying unchanged will fail again.
    Forbidden,
    /// A conflict the client can resolve (409), e.g. a UID already used elsewhere.
    Conflict,
    /// Authentication needed (401 / 407).
    Unauthorized,
    /// The resource is locked (423).
    Locked,
    /// A temporary condition: retry after `retryAfter` seconds (or a back-off).
    RetryLater,
    /// 412 again after the last allowed attempt: stop and ask the user.
    GiveUp,
    /// Any other failure; not worth retrying unchanged.
    Failed,
}

/// The classification of one answer.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Verdict {
    /// The next step.
    pub outcome: Outcome,
    /// The strong ETag to keep from this answer (raw, as received).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub etag: Option<String>,
    /// The Schedule-Tag to keep from this answer (raw, as received).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub schedule_tag: Option<String>,
    /// PUT success only: true when a strong ETag came back, i.e. the body was stored as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub stored_as_sent: Option<bool>,
    /// The DAV:error condition, e.g. `allowed-attendee-scheduling-object-change`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub condition: Option<String>,
    /// The DAV:href named by the DAV:error (no-uid-conflict, lock-token-submitted, ...), or the
    /// first member a 207 answer to DELETE lists as not deleted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub href: Option<String>,
    /// Seconds to wait before retrying (from Retry-After).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub retry_after: Option<u32>,
    /// What happened and what to do, in one or two sentences.
    pub message: String,
    /// Things tolerated or worth knowing (malformed tags, a weak ETag, ...); always present,
    /// empty when there are none.
    pub warnings: Vec<Warning>,
}

impl Verdict {
    /// A verdict with only an outcome and a message.
    pub fn new(outcome: Outcome, message: impl Into<String>) -> Self {
        Verdict {
            outcome,
            etag: None,
            schedule_tag: None,
            stored_as_sent: None,
            condition: None,
            href: None,
            retry_after: None,
            message: message.into(),
            warnings: Vec::new(),
        }
    }
}
