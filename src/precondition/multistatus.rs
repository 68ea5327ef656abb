//! `DAV:multistatus` bodies of a 207 answer to DELETE (RFC 4918 §9.6.1, §13): the members that
//! could not be deleted, and why.
//!
//! Decisions:
//! - RFC 4918 §9.6.1: a DELETE that fails on some members answers 207 Multi-Status naming the
//!   members that could **not** be deleted (deleted ones are not listed, 424 Failed Dependency
//!   marks what was kept because of them). So the request resource was not (fully) deleted.
//! - Each `DAV:response` gives its `DAV:href`s with the code of its `DAV:status`
//!   (`HTTP/1.1 423 Locked` → 423, RFC 4918 §14.28); no readable status → none.
//! - Read with the same reader and limits as `DAV:error` bodies (64 KiB, no DTD); a body that
//!   is not a `DAV:multistatus` gives `None`.

use super::dav_error::{is, text_of, DAV_NS, MAX_BODY};
use super::xml::{Document, Node};

/// One member a 207 names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Member {
    /// The member's DAV:href.
    pub href: String,
    /// The status code of its DAV:status, if readable.
    pub status: Option<u16>,
}

/// The code of a DAV:status line such as `HTTP/1.1 423 Locked`.
fn status_code(node: Node<'_, '_>) -> Option<u16> {
    let line = text_of(node)?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The members of each DAV:response, in document order.
fn members_of(response: Node<'_, '_>) -> Vec<Member> {
    let status = response
        .children()
        .find(|n| is(n, DAV_NS, "status"))
        .and_then(status_code);
    response
        .children()
        .filter(|n| is(n, DAV_NS, "href"))
        .filter_map(text_of)
        .map(|href| Member { href, status })
        .collect()
}

/// The members a `DAV:multistatus` body names; `None` when the body is not one (or too large).
pub(crate) fn multistatus_members(body: &str) -> Option<Vec<Member>> {
    if body.len() > MAX_BODY {
        return None;
    }
    let trimmed = body.trim_start_matches('\u{FEFF}').trim();
    let doc = Document::parse(trimmed).ok()?;
    let root = doc.root_element();
    if !is(&root, DAV_NS, "multistatus") {
        return None;
    }
    Some(
        root.children()
            .filter(|n| is(n, DAV_NS, "response"))
            .flat_map(members_of)
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::TestResult;

    fn member(href: &str, status: Option<u16>) -> Member {
        Member {
            href: href.to_string(),
            status,
        }
    }

    #[test]
    fn each_response_names_its_members_and_status() -> TestResult {
        let body = r#"<?xml version="1.0" encoding="utf-8"?>
<d:multistatus xmlns:d="DAV:">
  <d:response><d:href>/cal/a.ics</d:href><d:status>HTTP/1.1 423 Locked</d:status>
    <d:error><d:lock-token-submitted/></d:error></d:response>
  <d:response><d:href>/cal/</d:href><d:href>/cal/b.ics</d:href>
    <d:status>HTTP/1.1 424 Failed Dependency</d:status></d:response>
  <d:response><d:href>/cal/c.ics</d:href><d:status>garbled</d:status></d:response>
</d:multistatus>"#;
        let members = multistatus_members(body).ok_or("not read")?;
        assert_eq!(
            members,
            vec![
                member("/cal/a.ics", Some(423)),
                member("/cal/", Some(424)),
                member("/cal/b.ics", Some(424)),
                member("/cal/c.ics", None),
            ]
        );
        Ok(())
    }

    #[test]
    fn other_bodies_are_not_multistatus() {
        for body in [
            "",
            "<html><body>Multi-Status</body></html>",
            r#"<D:error xmlns:D="DAV:"><D:lock-token-submitted/></D:error>"#,
            r#"<multistatus><response><href>/a</href></response></multistatus>"#,
            "<D:multistatus xmlns:D=\"DAV:\">",
        ] {
            assert_eq!(multistatus_members(body), None, "{body:?}");
        }
        let huge = format!(
            "<D:multistatus xmlns:D=\"DAV:\">{}</D:multistatus>",
            " ".repeat(70_000)
        );
        assert_eq!(multistatus_members(&huge), None);
    }
}
