//! `DAV:error` response bodies (RFC 4918 §16, RFC 4791 §1.3, RFC 6638 §3.2.4): which
//! precondition or postcondition failed, and the DAV:href it names.
//!
//! Decisions:
//! - Read with the crate's small namespace-aware XML reader (`xml.rs`): the root must be `error`
//!   in namespace `DAV:`, whatever prefix the server chose (Cyrus switches `D:`/`d:`, Xandikos
//!   uses `ns0:`). A root `error` in another namespace (or none) is not guessed at; it is
//!   reported as a warning.
//! - A condition is named by its local name when it is in `DAV:` or
//!   `urn:ietf:params:xml:ns:caldav` (e.g. `allowed-attendee-scheduling-object-change`), and in
//!   Clark notation `{namespace}name` otherwise, so two vendors' elements never collide. An
//!   element in no namespace (none declared, or `xmlns=""`) is `{}name` either way: it is not a
//!   DAV: or CalDAV condition, whatever its local name (RFC 4918 §17 defines elements by
//!   namespace and name together).
//! - Standard conditions (DAV:, CalDAV) come first, then extension elements, each group in
//!   document order: "element ordering is irrelevant" and a recipient processes the body "as if
//!   unexpected elements ... were not there" (RFC 4918 §17), so a vendor element placed first
//!   (a trace id) never hides the real condition or its href. Extension elements are still
//!   listed, after the standard ones.
//! - `DAV:responsedescription` and sabre/dav's `{http://sabredav.org/ns}message` are server text,
//!   not conditions; they are kept for the verdict's message. Other sabre/dav elements
//!   (`exception`, `sabredav-version`) are ignored.
//! - `href` is the first `DAV:href` inside the first condition, in the order above (no-uid-conflict,
//!   unique-scheduling-object-resource, lock-token-submitted, need-privileges' DAV:resource).
//! - For `need-privileges`, every `DAV:resource` is listed as "privilege on href" (RFC 3744 §7.1.1).
//! - Bodies over 64 KiB or with a DTD are not parsed (warning): an error body is a few hundred
//!   bytes, and a DTD is never needed for one.

use super::xml::{Document, Node};
use crate::error::Warning;

/// The `DAV:` namespace.
pub(crate) const DAV_NS: &str = "DAV:";
/// The CalDAV namespace (RFC 4791 §1.3).
pub(crate) const CALDAV_NS: &str = "urn:ietf:params:xml:ns:caldav";
const SABRE_NS: &str = "http://sabredav.org/ns";
/// The largest error or multistatus body read.
pub(crate) const MAX_BODY: usize = 64 * 1024;
const MAX_TEXT: usize = 300;

/// What a `DAV:error` body says.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct DavError {
    /// Condition names: the DAV: and CalDAV ones first, then extension elements, each group in
    /// document order (see the module doc for the naming).
    pub conditions: Vec<String>,
    /// True when at least one condition is in DAV: or CalDAV (it is then the first one).
    pub standard: bool,
    /// The first DAV:href inside the first condition.
    pub href: Option<String>,
    /// For need-privileges: "privilege on href" entries.
    pub privileges: Vec<String>,
    /// Human text from the server (DAV:responsedescription, sabre/dav message).
    pub description: Option<String>,
}

/// True for an element in `DAV:` or the CalDAV namespace (a condition RFC 4918 / 4791 / 6638
/// define), false for extension elements and elements in no namespace.
fn is_standard(node: &Node<'_, '_>) -> bool {
    matches!(node.namespace(), Some(DAV_NS) | Some(CALDAV_NS))
}

fn condition_name(node: Node<'_, '_>) -> String {
    if is_standard(&node) {
        return node.name().to_string();
    }
    format!("{{{}}}{}", node.namespace().unwrap_or(""), node.name())
}

/// True for the element `{ns}name`.
pub(crate) fn is(node: &Node<'_, '_>, ns: &str, name: &str) -> bool {
    node.is_element() && node.namespace() == Some(ns) && node.name() == name
}

/// The node's text, whitespace collapsed, at most 300 characters; `None` when empty.
pub(crate) fn text_of(node: Node<'_, '_>) -> Option<String> {
    let text: String = node.descendants().filter_map(|n| n.text()).collect();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return None;
    }
    Some(text.chars().take(MAX_TEXT).collect())
}

fn first_href(node: Node<'_, '_>) -> Option<String> {
    node.descendants()
        .find(|n| is(n, DAV_NS, "href"))
        .and_then(text_of)
}

fn privileges(node: Node<'_, '_>) -> Vec<String> {
    let mut out = Vec::new();
    for resource in node.children().filter(|n| is(n, DAV_NS, "resource")) {
        let href = first_href(resource).unwrap_or_else(|| "(no href)".to_string());
        for privilege in resource.children().filter(|n| is(n, DAV_NS, "privilege")) {
            for p in privilege.children().filter(|n| n.is_element()) {
                out.push(format!("{} on {href}", condition_name(p)));
            }
        }
    }
    out
}

fn looks_like_xml(body: &str, content_type: Option<&str>) -> bool {
    content_type.is_some_and(|t| t.to_ascii_lowercase().contains("xml"))
        || body.trim_start().starts_with("<?xml")
}

/// Parses a response body as `DAV:error`. Returns `None` for an empty or non-XML body (an HTML
/// error page is not a DAV:error), plus a warning when the body claims to be XML but cannot be
/// used.
pub(crate) fn parse_dav_error(
    body: &str,
    content_type: Option<&str>,
) -> (Option<DavError>, Option<Warning>) {
    let trimmed = body.trim_start_matches('\u{FEFF}').trim();
    if trimmed.is_empty() || !trimmed.starts_with('<') {
        return (None, None);
    }
    if body.len() > MAX_BODY {
        return (
            None,
            Some(Warning::new(
                "BAD_ERROR_BODY",
                format!(
                    "the error body has {} bytes (limit {MAX_BODY}); it was not parsed",
                    body.len()
                ),
                None,
            )),
        );
    }
    let doc = match Document::parse(trimmed) {
        Ok(doc) => doc,
        Err(e) => {
            let warning = looks_like_xml(body, content_type).then(|| {
                Warning::new(
                    "BAD_ERROR_BODY",
                    format!("the XML error body could not be parsed: {e}"),
                    None,
                )
            });
            return (None, warning);
        }
    };
    let root = doc.root_element();
    if !is(&root, DAV_NS, "error") {
        let warning = (root.name() == "error").then(|| {
            Warning::new(
                "BAD_ERROR_BODY",
                format!(
                    "the error body's root <error> is in namespace {:?}, not \"DAV:\"; its \
                     condition is not guessed",
                    root.namespace().unwrap_or("")
                ),
                None,
            )
        });
        return (None, warning);
    }
    let mut parsed = DavError::default();
    let mut conditions = Vec::new();
    for child in root.children().filter(|n| n.is_element()) {
        if is(&child, DAV_NS, "responsedescription") || (is(&child, SABRE_NS, "message")) {
            parsed.description = parsed.description.or_else(|| text_of(child));
        } else if child.namespace() != Some(SABRE_NS) {
            conditions.push(child);
        }
    }
    // Standard conditions first, extension elements after (stable: document order within each).
    let (standard, extension): (Vec<_>, Vec<_>) = conditions.into_iter().partition(is_standard);
    parsed.standard = !standard.is_empty();
    if let Some(&first) = standard.first().or(extension.first()) {
        parsed.href = first_href(first);
        if is(&first, DAV_NS, "need-privileges") {
            parsed.privileges = privileges(first);
        }
    }
    parsed.conditions = standard
        .into_iter()
        .chain(extension)
        .map(condition_name)
        .collect();
    (Some(parsed), None)
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;

    use crate::test_support::TestResult;

    fn parse(body: &str) -> TestResult<DavError> {
        let (parsed, warning) = parse_dav_error(body, Some("application/xml"));
        assert_eq!(warning, None);
        Ok(parsed.ok_or("not read as a DAV:error")?)
    }

    #[test]
    fn prefixes_do_not_matter() -> TestResult {
        for body in [
            r#"<D:error xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><C:valid-calendar-data/></D:error>"#,
            r#"<d:error xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><c:valid-calendar-data/></d:error>"#,
            r#"<ns0:error xmlns:ns0="DAV:"><ns1:valid-calendar-data xmlns:ns1="urn:ietf:params:xml:ns:caldav"/></ns0:error>"#,
            r#"<?xml version="1.0" encoding="utf-8"?><error xmlns="DAV:"><valid-calendar-data xmlns="urn:ietf:params:xml:ns:caldav"/></error>"#,
        ] {
            assert_eq!(
                parse(body)?.conditions,
                vec!["valid-calendar-data"],
                "{body}"
            );
        }
        Ok(())
    }

    #[test]
    fn a_byte_order_mark_is_skipped() -> TestResult {
        let body = "\u{FEFF}<?xml version=\"1.0\"?>\n<D:error xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\"><C:no-uid-conflict/></D:error>";
        assert_eq!(parse(body)?.conditions, vec!["no-uid-conflict"]);
        Ok(())
    }

    #[test]
    fn foreign_namespaces_use_clark_notation() -> TestResult {
        let body =
            r#"<D:error xmlns:D="DAV:" xmlns:X="http://example.com/ns"><X:quota-hit/></D:error>"#;
        assert_eq!(
            parse(body)?.conditions,
            vec!["{http://example.com/ns}quota-hit"]
        );
        Ok(())
    }

    #[test]
    fn no_namespace_is_not_a_caldav_condition() -> TestResult {
        // Undeclared and `xmlns=""` are the same: no namespace, so `{}name`, never the bare
        // CalDAV name (RFC 4918 §17: an element is its namespace and local name together).
        for body in [
            r#"<D:error xmlns:D="DAV:"><valid-calendar-data/></D:error>"#,
            r#"<D:error xmlns:D="DAV:"><valid-calendar-data xmlns=""/></D:error>"#,
        ] {
            let parsed = parse(body)?;
            assert_eq!(parsed.conditions, vec!["{}valid-calendar-data"], "{body}");
            assert!(!parsed.standard, "{body}");
        }
        Ok(())
    }

    #[test]
    fn standard_conditions_come_before_extension_elements() -> TestResult {
        // RFC 4918 §17: ordering is irrelevant and unexpected elements are processed as if
        // absent, so a vendor element first does not hide the condition or its href.
        let body = r#"<D:error xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:X="http://example.com/ns"><X:trace-id><D:href>/trace</D:href></X:trace-id><unqualified/><C:no-uid-conflict><D:href>/cal/other.ics</D:href></C:no-uid-conflict><X:more/></D:error>"#;
        let parsed = parse(body)?;
        assert_eq!(
            parsed.conditions,
            vec![
                "no-uid-conflict",
                "{http://example.com/ns}trace-id",
                "{}unqualified",
                "{http://example.com/ns}more"
            ]
        );
        assert!(parsed.standard);
        assert_eq!(parsed.href.as_deref(), Some("/cal/other.ics"));
        let need = r#"<D:error xmlns:D="DAV:" xmlns:X="urn:x"><X:id/><D:need-privileges><D:resource><D:href>/outbox/</D:href><D:privilege><D:write/></D:privilege></D:resource></D:need-privileges></D:error>"#;
        let parsed = parse(need)?;
        assert_eq!(parsed.privileges, vec!["write on /outbox/"]);
        assert_eq!(parsed.href.as_deref(), Some("/outbox/"));
        Ok(())
    }

    #[test]
    fn only_extension_elements_are_not_standard() -> TestResult {
        let body = r#"<D:error xmlns:D="DAV:" xmlns:X="urn:x"><X:a><D:href>/a</D:href></X:a><X:b/></D:error>"#;
        let parsed = parse(body)?;
        assert!(!parsed.standard);
        assert_eq!(parsed.conditions, vec!["{urn:x}a", "{urn:x}b"]);
        assert_eq!(parsed.href.as_deref(), Some("/a"));
        Ok(())
    }

    #[test]
    fn root_error_outside_dav_namespace_is_not_guessed() -> TestResult {
        let (parsed, warning) = parse_dav_error("<error><valid-calendar-data/></error>", None);
        assert_eq!(parsed, None);
        assert!(warning
            .ok_or("no warning")?
            .message
            .contains("not \"DAV:\""));
        Ok(())
    }

    #[test]
    fn sabre_message_is_description_not_condition() -> TestResult {
        let body = r#"<?xml version="1.0" encoding="utf-8"?>
<d:error xmlns:d="DAV:" xmlns:s="http://sabredav.org/ns">
  <s:sabredav-version>4.6.0</s:sabredav-version>
  <s:exception>Sabre\DAV\Exception\Forbidden</s:exception>
  <s:message>Permission denied to   write</s:message>
</d:error>"#;
        let parsed = parse(body)?;
        assert!(parsed.conditions.is_empty());
        assert_eq!(
            parsed.description.as_deref(),
            Some("Permission denied to write")
        );
        Ok(())
    }

    #[test]
    fn html_and_empty_bodies_are_silently_not_dav_errors() {
        assert_eq!(parse_dav_error("", None), (None, None));
        assert_eq!(
            parse_dav_error("Forbidden", Some("text/plain")),
            (None, None)
        );
        assert_eq!(
            parse_dav_error("<html><body>Forbidden</body></html>", Some("text/html")),
            (None, None)
        );
        assert_eq!(
            parse_dav_error("<html><body><p>broken", Some("text/html")),
            (None, None)
        );
    }

    #[test]
    fn broken_xml_with_an_xml_content_type_is_reported() -> TestResult {
        let (parsed, warning) = parse_dav_error("<D:error xmlns:D=\"DAV:\">", Some("text/xml"));
        assert_eq!(parsed, None);
        assert_eq!(warning.ok_or("no warning")?.code, "BAD_ERROR_BODY");
        Ok(())
    }

    #[test]
    fn dtd_and_huge_bodies_are_refused() -> TestResult {
        let dtd = r#"<?xml version="1.0"?><!DOCTYPE e [<!ENTITY a "aaaa">]><D:error xmlns:D="DAV:">&a;</D:error>"#;
        let (parsed, warning) = parse_dav_error(dtd, Some("text/xml"));
        assert_eq!(parsed, None);
        assert!(warning.is_some());
        let huge = format!("<D:error xmlns:D=\"DAV:\">{}</D:error>", " ".repeat(70_000));
        let (parsed, warning) = parse_dav_error(&huge, None);
        assert_eq!(parsed, None);
        assert!(warning.ok_or("no warning")?.message.contains("limit"));
        Ok(())
    }

    #[test]
    fn xml_details_do_not_change_the_meaning() -> TestResult {
        // BOM, declaration, comments and PIs around the root, default namespaces redeclared in
        // nested elements, references and CDATA in href text, either quote, CRLF in text.
        let body = "\u{FEFF}<?xml version='1.0' encoding=\"utf-8\" standalone='yes'?>\n<!-- c --><?pi x?>\n\
<d:error xmlns:d=\"DAV:\" xmlns=\"urn:ietf:params:xml:ns:caldav\" xmlns:s='http://sabredav.org/ns'>\n\
  <need-privileges xmlns=\"DAV:\"><resource><href>/a?b=1&amp;c=&#x32;&lt;<![CDATA[x]]></href><privilege>\
<C:schedule-send-invite xmlns:C=\"urn:ietf:params:xml:ns:caldav\"/><x:y xmlns:x=\"urn:x\" x:a='1' a=\"2\"/>\
</privilege></resource></need-privileges>\n\
  <valid-calendar-data/><none xmlns=\"\"/>\n\
  <d:responsedescription>bad &#65;\r\n DTSTART</d:responsedescription><s:message>no</s:message>\n\
</d:error>\n<!-- end -->";
        let parsed = parse(body)?;
        assert_eq!(
            parsed.conditions,
            // `xmlns=""` reads as the empty namespace (as with roxmltree before).
            vec!["need-privileges", "valid-calendar-data", "{}none"]
        );
        assert_eq!(parsed.href.as_deref(), Some("/a?b=1&c=2<x"));
        assert_eq!(
            parsed.privileges,
            vec![
                "schedule-send-invite on /a?b=1&c=2<x",
                "{urn:x}y on /a?b=1&c=2<x"
            ]
        );
        assert_eq!(parsed.description.as_deref(), Some("bad A DTSTART"));
        Ok(())
    }

    #[test]
    fn unknown_entities_and_prefixes_are_malformed() -> TestResult {
        for body in [
            r#"<D:error xmlns:D="DAV:"><D:href>&nbsp;</D:href></D:error>"#,
            r#"<D:error xmlns:D="DAV:"><C:valid-calendar-data/></D:error>"#,
            r#"<D:error xmlns:D="DAV:"><D:x a="1" a="2"/></D:error>"#,
        ] {
            let (parsed, warning) = parse_dav_error(body, Some("text/xml"));
            assert_eq!(parsed, None, "{body}");
            let warning = warning.ok_or("no warning")?;
            assert_eq!(warning.code, "BAD_ERROR_BODY");
            assert!(
                warning
                    .message
                    .starts_with("the XML error body could not be parsed: "),
                "{}",
                warning.message
            );
            // Without an XML content type or declaration, a broken body is not reported.
            assert_eq!(parse_dav_error(body, None), (None, None));
        }
        Ok(())
    }

    #[test]
    fn need_privileges_lists_each_privilege() -> TestResult {
        let body = r#"<D:error xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:need-privileges>
    <D:resource><D:href>/home/cyrus/calendars/outbox/</D:href>
      <D:privilege><C:schedule-send-invite/></D:privilege></D:resource>
  </D:need-privileges></D:error>"#;
        let parsed = parse(body)?;
        assert_eq!(parsed.conditions, vec!["need-privileges"]);
        assert_eq!(
            parsed.href.as_deref(),
            Some("/home/cyrus/calendars/outbox/")
        );
        assert_eq!(
            parsed.privileges,
            vec!["schedule-send-invite on /home/cyrus/calendars/outbox/"]
        );
        Ok(())
    }
}
