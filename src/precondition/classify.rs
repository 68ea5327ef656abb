//! A verdict for every answer a CalDAV server gives to GET, PUT and DELETE.
//!
//! Decisions, by status (RFC sections in brackets):
//! - **2xx GET** → `ok`; a strong ETag and the Schedule-Tag are kept. No ETag, or a weak one, is
//!   a warning: CalDAV GET MUST return a strong ETag [RFC 4791 §5.3.4], and a weak one can never
//!   satisfy If-Match [RFC 9110 §13.1.1], so it is not offered for the next write.
//! - **200/201/204 PUT** with a strong ETag → `ok`, `storedAsSent: true`; without one (absent or
//!   weak) → `refetch`, `storedAsSent: false`: the server stored something other than the body
//!   sent [RFC 4791 §5.3.4, RFC 9110 §9.3.4]. Cyrus always answers a scheduling PUT this way.
//!   The Schedule-Tag is kept as returned even when it differs from the one sent (a direct PUT
//!   changes it on Cyrus [RFC 6638 §3.2.10], not on Xandikos). A 201 that carries a Schedule-Tag
//!   adds `REFRESH_RECOMMENDED`: the server will add SCHEDULE-STATUS soon [RFC 6638 §3.2.1.1].
//!   Other 2xx on PUT (202, 203...) → `refetch` (nothing says what was stored).
//!   A PUT success can also reveal an ignored precondition (`PRECONDITION_IGNORED`): 200/204 to
//!   a create means an existing resource was replaced, 201 to an update means none existed
//!   [RFC 9110 §9.3.4, §13.1.1]; and a success after If-Schedule-Tag-Match without a
//!   Schedule-Tag (`NO_SCHEDULE_TAG`) means the server may not support the header [RFC 6638
//!   §3.2.10; PROTOCOL.md §1.5].
//! - **2xx DELETE** → `ok` (202: accepted, may complete later) [RFC 9110 §9.3.5], except
//!   **207 Multi-Status**: it lists the members that could NOT be deleted, so the resource was
//!   not (fully) deleted [RFC 4918 §9.6.1] → `locked` when every listed member is 423 (delete
//!   again once unlocked), else `failed`; the message lists each member with its status and
//!   `href` is the first one.
//! - **304 GET** → `ok`: the copy the client has is current [RFC 9110 §15.4.5]; 304 to PUT/DELETE
//!   → `failed` (only defined for GET/HEAD).
//! - **1xx, 3xx** → `failed`: not a final answer for this resource (a redirect names the
//!   new URL in the message, from `Location`).
//! - **401, 407** → `unauthorized` [RFC 9110 §15.5.2, §15.5.8].
//! - **403** → `forbidden`, with the DAV:error condition and href [RFC 4918 §16, RFC 4791 §1.3].
//! - **404/410**: GET → `gone`; DELETE → `ok` (already gone; a missing resource answers 404 even
//!   to a stale If-Match [RFC 9110 §13.2.1]); PUT with If-Match / If-Schedule-Tag-Match (or with
//!   unknown `sent`) → `gone`; a create (`If-None-Match: *`) → `failed`, because then the
//!   calendar collection, not the resource, is missing.
//! - **408** → `retry-later`: the request timed out before it was processed [RFC 9110 §15.5.9];
//!   the precondition makes the repeat safe.
//! - **409** → `conflict`, with condition and href (no-uid-conflict) [RFC 4918 §9.7.1, RFC 4791
//!   §5.3.2.1]; without a body it usually means a missing parent collection.
//! - **412 with a DAV: or CalDAV condition** → `forbidden` with that condition and a
//!   `CONDITION_ON_412` warning: Xandikos 0.4.10 answers valid-calendar-data, no-uid-conflict and
//!   its own `attendee-allowed` (in the CalDAV namespace) with 412 (recorded in
//!   tests/fixtures/server-answers/), where RFC 4791 §1.3 requires 403/409. Such a 412 is not a
//!   tag mismatch: a create must not read it as `exists`, and merging and retrying would fail the
//!   same way. Elements in other namespaces or none (sabre/dav's `s:message`, a vendor's
//!   request id) are processed "as if ... not there" (RFC 4918 §17): the 412 follows the rule
//!   below, with the element named in `condition` for information only.
//! - **412**: a create (`If-None-Match: *`) → `exists` [RFC 9110 §13.1.2]; another PUT/DELETE →
//!   `merge-and-retry` while `attempt < maxAttempts`, else `give-up` (a bound, so no client loops
//!   like DAVx5 #2739) [RFC 6638 §3.2.10.1]; GET → `refetch` (its own condition failed).
//! - **423** → `locked`, href from DAV:lock-token-submitted [RFC 4918 §11.3, §16].
//! - **428** → `refetch`: the server demands a conditional request; GET to learn the tags and
//!   retry with them [RFC 6585 §3].
//! - **429, 502, 503, 504** → `retry-later` with `retryAfter` when given [RFC 6585 §4, RFC 9110
//!   §15.6.3-§15.6.5]: temporary by definition; the precondition makes a repeat safe (if the
//!   first try did land, the repeat gets 412 or an idempotent 2xx [RFC 9110 §13.1.1]).
//! - **413** and **any other 5xx** → `failed`, unless a Retry-After says when to come back
//!   (then `retry-later` with `retryAfter`): 500/501/505/507 describe a server state a blind
//!   retry does not change, and a 413 is temporary only when the server says so with
//!   Retry-After (RFC 9110 §15.5.14; RFC 2616 §10.4.14).
//! - **Retry-After** is one value: identical repeated lines, also joined by a `Headers` object
//!   (`30, 30`), are that value; different ones are a warning and no `retryAfter`.
//! - **Any other 4xx** → `failed`, with the DAV:error condition when there is one.
//! - Validators (ETag, Schedule-Tag) are only read from 2xx and 304 answers to GET and PUT: on an
//!   error they describe the error, and after DELETE there is nothing left to describe.

use super::condition_hint::condition_hint;
use super::dav_error::{parse_dav_error, DavError};
use super::multistatus::multistatus_members;
use super::response::{Method, Outcome, ResponseInput, Verdict, DEFAULT_MAX_ATTEMPTS};
use super::response_headers::{
    header_values, parse_joined, response_etag, response_schedule_tag, single_header,
};
use super::retry_after::parse_retry_after;
use super::sent_preconditions::{read_sent, SentPreconditions};
use crate::error::{Error, ErrorCode, Result, Warning};

/// Classifies one server answer (see the module doc for every rule). Errors only for misuse:
/// a status outside 100-599, or `attempt` / `maxAttempts` of 0 (`INVALID_OPTION`).
pub fn classify_response(input: &ResponseInput) -> Result<Verdict> {
    if !(100..=599).contains(&input.status) {
        return Err(Error::new(
            ErrorCode::InvalidOption,
            format!(
                "status {} is not an HTTP status code (100-599)",
                input.status
            ),
        ));
    }
    let attempt = input.attempt.unwrap_or(1);
    let max_attempts = input.max_attempts.unwrap_or(DEFAULT_MAX_ATTEMPTS);
    if attempt == 0 || max_attempts == 0 {
        return Err(Error::new(
            ErrorCode::InvalidOption,
            "attempt and maxAttempts count from 1",
        ));
    }
    let mut warnings = Vec::new();
    let write = input.method != Method::Get;
    let sent = read_sent(input.sent.as_ref(), write, &mut warnings);
    let status = input.status;
    let mut verdict = match status {
        200..=299 => success(input, &sent, &mut warnings),
        304 => not_modified(input, &mut warnings),
        100..=199 | 300..=399 => not_final(input, &mut warnings),
        _ => failure(input, &sent, attempt, max_attempts, &mut warnings),
    };
    verdict.warnings = warnings;
    Ok(verdict)
}

/// Keeps a strong ETag (weak or missing: warning) and the Schedule-Tag; returns whether a strong
/// ETag was found.
fn keep_validators(
    input: &ResponseInput,
    verdict: &mut Verdict,
    warnings: &mut Vec<Warning>,
) -> bool {
    let had_etag_header = !header_values(&input.headers, "ETag").is_empty();
    let etag = response_etag(&input.headers, warnings);
    let strong = match etag {
        Some(tag) if tag.weak => {
            warnings.push(Warning::new(
                "WEAK_ETAG",
                format!(
                    "the server sent the weak ETag {}: it can never satisfy If-Match (RFC 9110 \
                     §13.1.1) and CalDAV requires a strong one (RFC 4791 §5.3.4); it is not kept",
                    tag.raw
                ),
                None,
            ));
            false
        }
        Some(tag) => {
            verdict.etag = Some(tag.raw);
            true
        }
        None => {
            if !had_etag_header && input.method == Method::Get {
                warnings.push(Warning::new(
                    "MISSING_ETAG",
                    "the GET answer has no ETag although CalDAV requires one (RFC 4791 §5.3.4); \
                     only a Schedule-Tag can protect the next write",
                    None,
                ));
            }
            false
        }
    };
    verdict.schedule_tag = response_schedule_tag(&input.headers, warnings).map(|t| t.raw);
    strong
}

fn next_write_hint(verdict: &Verdict) -> &'static str {
    match (&verdict.schedule_tag, &verdict.etag) {
        (Some(_), _) => "the next write sends If-Schedule-Tag-Match with the kept Schedule-Tag",
        (None, Some(_)) => "no Schedule-Tag, so the next write sends If-Match with the kept ETag",
        (None, None) => "no usable tag came back: GET again before the next write",
    }
}

fn success(
    input: &ResponseInput,
    sent: &SentPreconditions,
    warnings: &mut Vec<Warning>,
) -> Verdict {
    let status = input.status;
    match input.method {
        Method::Get => {
            let mut v = Verdict::new(Outcome::Ok, "");
            keep_validators(input, &mut v, warnings);
            v.message = format!("fetched ({status}); {}", next_write_hint(&v));
            v
        }
        Method::Delete if status == 207 => partly_deleted(input, warnings),
        Method::Delete => Verdict::new(
            Outcome::Ok,
            if status == 202 {
                "delete accepted (202); the server may finish it later".to_string()
            } else {
                format!("deleted ({status})")
            },
        ),
        Method::Put => {
            let mut v = Verdict::new(Outcome::Ok, "");
            let strong = keep_validators(input, &mut v, warnings);
            if !matches!(status, 200 | 201 | 204) {
                warnings.push(Warning::new(
                    "UNEXPECTED_STATUS",
                    format!("PUT answered {status}, which does not say what was stored"),
                    None,
                ));
                v.outcome = Outcome::Refetch;
                v.stored_as_sent = Some(false);
                v.etag = None;
                v.message = format!(
                    "PUT answered {status}; GET the resource (cache: \"no-store\") to see what the \
                     server stored"
                );
                return v;
            }
            let what = if status == 201 { "created" } else { "saved" };
            if strong {
                v.stored_as_sent = Some(true);
                v.message = format!(
                    "{what} ({status}) exactly as sent (strong ETag, RFC 4791 §5.3.4); {}",
                    next_write_hint(&v)
                );
            } else {
                v.outcome = Outcome::Refetch;
                v.stored_as_sent = Some(false);
                v.message = format!(
                    "{what} ({status}) but without a strong ETag: the server stored something \
                     other than the body sent (RFC 4791 §5.3.4); GET it (cache: \"no-store\") \
                     before the next edit"
                );
            }
            check_put_success(status, sent, &v, warnings);
            if status == 201 && v.schedule_tag.is_some() {
                warnings.push(Warning::new(
                    "REFRESH_RECOMMENDED",
                    "a scheduling object was created: the server will add SCHEDULE-STATUS to the \
                     attendees soon (RFC 6638 §3.2.1.1); reload before showing delivery status",
                    None,
                ));
            }
            v
        }
    }
}

/// A 207 to DELETE: the members it lists could not be deleted (RFC 4918 §9.6.1), so neither was
/// the resource. `locked` when every listed member is 423, else `failed`; `href` is the first.
fn partly_deleted(input: &ResponseInput, warnings: &mut Vec<Warning>) -> Verdict {
    let body = input.body.as_deref().unwrap_or_default();
    let members = match multistatus_members(body) {
        Some(members) => members,
        None => {
            if !body.trim().is_empty() {
                warnings.push(Warning::new(
                    "BAD_ERROR_BODY",
                    "the 207 body is not a readable DAV:multistatus (or too large to read); it \
                     was not used",
                    None,
                ));
            }
            Vec::new()
        }
    };
    let listed: Vec<String> = members
        .iter()
        .map(|m| match m.status {
            Some(code) => format!("{} ({code})", m.href),
            None => m.href.clone(),
        })
        .collect();
    let all_locked = !members.is_empty() && members.iter().all(|m| m.status == Some(423));
    let mut v = if all_locked {
        Verdict::new(
            Outcome::Locked,
            format!(
                "not deleted (207 Multi-Status): locked: {}; delete again once it is unlocked \
                 (RFC 4918 §9.6.1)",
                listed.join(", ")
            ),
        )
    } else {
        let which = if listed.is_empty() {
            "the body names no member".to_string()
        } else {
            format!("these members could not be deleted: {}", listed.join(", "))
        };
        Verdict::new(
            Outcome::Failed,
            format!(
                "not (fully) deleted (207 Multi-Status, RFC 4918 §9.6.1): {which}; GET the \
                 resource to see what is left"
            ),
        )
    };
    v.href = members.into_iter().next().map(|m| m.href);
    v
}

/// Warnings a successful PUT can reveal about the server's handling of the precondition.
fn check_put_success(
    status: u16,
    sent: &SentPreconditions,
    v: &Verdict,
    warnings: &mut Vec<Warning>,
) {
    if sent.create && matches!(status, 200 | 204) {
        warnings.push(Warning::new(
            "PRECONDITION_IGNORED",
            format!(
                "a create with If-None-Match: * was answered {status}, which reports that an \
                 existing resource was replaced (RFC 9110 §9.3.4): the server ignored the \
                 precondition"
            ),
            None,
        ));
    }
    if sent.on_existing() && !sent.create && status == 201 {
        warnings.push(Warning::new(
            "PRECONDITION_IGNORED",
            "an update with If-Match / If-Schedule-Tag-Match was answered 201 Created: the \
             resource did not exist, so the precondition must have failed (RFC 9110 §13.1.1); \
             the server ignored it",
            None,
        ));
    }
    if sent.schedule_tag && v.schedule_tag.is_none() {
        warnings.push(Warning::new(
            "NO_SCHEDULE_TAG",
            "If-Schedule-Tag-Match was sent but the answer carries no Schedule-Tag, which every \
             successful PUT of a scheduling object must (RFC 6638 §3.2.10): the object is no \
             longer a scheduling object, or the server ignores the header and this write was \
             unconditional; use If-Match for this resource from now on",
            None,
        ));
    }
}

fn not_modified(input: &ResponseInput, warnings: &mut Vec<Warning>) -> Verdict {
    if input.method != Method::Get {
        return Verdict::new(
            Outcome::Failed,
            "304 Not Modified answers only GET/HEAD (RFC 9110 §15.4.5); the write did not happen",
        );
    }
    let mut v = Verdict::new(Outcome::Ok, "");
    let had_etag = !header_values(&input.headers, "ETag").is_empty();
    if had_etag {
        keep_validators(input, &mut v, warnings);
    } else {
        v.schedule_tag = response_schedule_tag(&input.headers, warnings).map(|t| t.raw);
    }
    v.message = "not modified (304): the copy you have is current".to_string();
    v
}

fn not_final(input: &ResponseInput, warnings: &mut Vec<Warning>) -> Verdict {
    let status = input.status;
    if (300..=399).contains(&status) {
        let location = single_header(&input.headers, "Location", warnings)
            .map(|l| format!(" to {}", l.trim()))
            .unwrap_or_default();
        return Verdict::new(
            Outcome::Failed,
            format!(
                "redirected ({status}){location}: nothing was done here; repeat the request at \
                 the new URL"
            ),
        );
    }
    Verdict::new(
        Outcome::Failed,
        format!("{status} is an informational status, not a final answer"),
    )
}

/// The failed-request verdicts (4xx, 5xx).
fn failure(
    input: &ResponseInput,
    sent: &SentPreconditions,
    attempt: u32,
    max_attempts: u32,
    warnings: &mut Vec<Warning>,
) -> Verdict {
    let status = input.status;
    let method = input.method;
    let content_type = header_values(&input.headers, "Content-Type")
        .first()
        .copied();
    let (dav_error, body_warning) = input
        .body
        .as_deref()
        .map(|body| parse_dav_error(body, content_type))
        .unwrap_or((None, None));
    warnings.extend(body_warning);
    let standard_condition = dav_error.as_ref().is_some_and(|e| e.standard);
    let mut v = match status {
        401 | 407 => Verdict::new(
            Outcome::Unauthorized,
            format!("authentication required ({status}): sign in again and repeat the request"),
        ),
        403 => Verdict::new(Outcome::Forbidden, format!("forbidden ({status})")),
        404 | 410 => gone(method, status, sent),
        408 => {
            let mut v = Verdict::new(
                Outcome::RetryLater,
                "the request timed out (408): repeat it with the same precondition",
            );
            v.retry_after = retry_after_seconds(input, warnings);
            v
        }
        409 => Verdict::new(
            Outcome::Conflict,
            "conflict (409), e.g. the calendar collection does not exist (RFC 4918 §9.7.1)",
        ),
        412 if standard_condition => {
            warnings.push(Warning::new(
                "CONDITION_ON_412",
                "the server reported a DAV:error condition with 412; CalDAV requires 403 or 409 \
                 for those (RFC 4791 §1.3), so it is treated as 403, not as a tag mismatch",
                None,
            ));
            Verdict::new(
                Outcome::Forbidden,
                format!("refused ({status} with a DAV:error condition)"),
            )
        }
        412 => precondition_failed(method, sent, attempt, max_attempts),
        423 => {
            let mut v = Verdict::new(Outcome::Locked, "the resource is locked (423)");
            v.retry_after = retry_after_seconds(input, warnings);
            v
        }
        428 => Verdict::new(
            Outcome::Refetch,
            "the server requires a conditional request (428, RFC 6585 §3): GET the resource to \
             learn its tags, then repeat with them",
        ),
        429 | 502 | 503 | 504 => {
            let mut v = Verdict::new(Outcome::RetryLater, "");
            v.retry_after = retry_after_seconds(input, warnings);
            let wait = match v.retry_after {
                Some(s) => format!("retry after {s} s"),
                None => "no Retry-After: back off before retrying".to_string(),
            };
            v.message =
                format!("temporarily unavailable ({status}); {wait}, with the same precondition");
            v
        }
        413 => failed_unless_retry_after(
            input,
            warnings,
            "the request is larger than the server accepts (413); repeating it unchanged will \
             not help",
            "the server cannot take a request this large now (413) but its Retry-After says \
             the limit is temporary (RFC 9110 §15.5.14): retry later with the same precondition",
        ),
        500..=599 => failed_unless_retry_after(
            input,
            warnings,
            &format!("server error ({status}); a blind retry is unlikely to help, report it"),
            &format!(
                "server error ({status}) with Retry-After: retry later with the same precondition"
            ),
        ),
        _ => Verdict::new(
            Outcome::Failed,
            format!("the request failed ({status}); repeating it unchanged will not help"),
        ),
    };
    if let Some(dav_error) = dav_error {
        describe_dav_error(&mut v, dav_error);
    }
    v
}

fn gone(method: Method, status: u16, sent: &SentPreconditions) -> Verdict {
    match method {
        Method::Delete => Verdict::new(
            Outcome::Ok,
            format!("already gone ({status}): nothing left to delete"),
        ),
        Method::Get => Verdict::new(
            Outcome::Gone,
            format!("the resource no longer exists ({status})"),
        ),
        Method::Put if sent.create && !sent.on_existing() => Verdict::new(
            Outcome::Failed,
            format!(
                "create failed ({status}): the calendar collection was not found; check its URL"
            ),
        ),
        Method::Put => Verdict::new(
            Outcome::Gone,
            format!(
                "the resource was deleted on the server ({status}): recreate it with intent \
                 \"create\" only if the user still wants it"
            ),
        ),
    }
}

fn precondition_failed(
    method: Method,
    sent: &SentPreconditions,
    attempt: u32,
    max_attempts: u32,
) -> Verdict {
    if method == Method::Get {
        return Verdict::new(
            Outcome::Refetch,
            "the GET's own precondition failed (412): GET again without it",
        );
    }
    if method == Method::Put && sent.create {
        return Verdict::new(
            Outcome::Exists,
            "the URL is already taken (412 on If-None-Match: *): GET the existing resource or \
             create under a new name",
        );
    }
    let which = if sent.schedule_tag {
        "If-Schedule-Tag-Match failed: the organizer or another client changed the object \
         consequentially (RFC 6638 §3.2.10.1)"
    } else if sent.if_match {
        "If-Match failed: the object changed since it was fetched"
    } else if sent.known {
        "412 although no tag precondition was sent (a WebDAV If header, or a server quirk)"
    } else {
        "a precondition failed (412): the object changed since it was fetched"
    };
    if attempt < max_attempts {
        Verdict::new(
            Outcome::MergeAndRetry,
            format!(
                "{which}; GET it (cache: \"no-store\"), merge, and retry with the new tag \
                 (attempt {attempt} of {max_attempts})"
            ),
        )
    } else {
        Verdict::new(
            Outcome::GiveUp,
            format!(
                "{which}; attempt {attempt} of {max_attempts} failed too: stop retrying and show \
                 the user both versions"
            ),
        )
    }
}

fn describe_dav_error(v: &mut Verdict, dav_error: DavError) {
    let DavError {
        conditions,
        href,
        privileges,
        description,
        standard: _,
    } = dav_error;
    if let Some(first) = conditions.first() {
        v.message.push_str(&format!(": {first}"));
        if let Some(hint) = condition_hint(first) {
            v.message.push_str(&format!(" - {hint}"));
        }
        if conditions.len() > 1 {
            v.message.push_str(&format!(
                " (also: {})",
                conditions.get(1..).unwrap_or_default().join(", ")
            ));
        }
        v.condition = Some(first.clone());
    }
    if !privileges.is_empty() {
        v.message
            .push_str(&format!("; missing privileges: {}", privileges.join(", ")));
    }
    if let Some(href) = &href {
        v.message.push_str(&format!("; see {href}"));
    }
    if let Some(text) = description {
        v.message.push_str(&format!("; server says: {text}"));
    }
    v.href = href;
}

/// `failed`, or `retry-later` (with the seconds when readable) when the answer has a
/// Retry-After: a server that says when to come back says the condition is temporary (RFC 9110
/// §10.2.3).
fn failed_unless_retry_after(
    input: &ResponseInput,
    warnings: &mut Vec<Warning>,
    failed: &str,
    temporary: &str,
) -> Verdict {
    if header_values(&input.headers, "Retry-After").is_empty() {
        return Verdict::new(Outcome::Failed, failed);
    }
    let mut v = Verdict::new(Outcome::RetryLater, temporary);
    v.retry_after = retry_after_seconds(input, warnings);
    v
}

fn retry_after_seconds(input: &ResponseInput, warnings: &mut Vec<Warning>) -> Option<u32> {
    let value = single_header(&input.headers, "Retry-After", warnings)?;
    let date = header_values(&input.headers, "Date").first().copied();
    match parse_joined(value, |v| parse_retry_after(v, date)) {
        Ok(seconds) => Some(seconds),
        Err(message) => {
            warnings.push(Warning::new("BAD_RETRY_AFTER", message, None));
            None
        }
    }
}
