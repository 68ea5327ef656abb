//! Test only: the `DAV:error` reader as it was with roxmltree (before `xml.rs`), kept as a
//! reference that the current reader must agree with on every input (the proptests below and in
//! `xml.rs`). roxmltree is a native dev-dependency; it is not in the package.
#![allow(clippy::indexing_slicing)]

use super::dav_error::{parse_dav_error, DavError, CALDAV_NS, DAV_NS};
use crate::error::Warning;

const SABRE_NS: &str = "http://sabredav.org/ns";
const MAX_BODY: usize = 64 * 1024;
const MAX_TEXT: usize = 300;

fn is_standard(node: &roxmltree::Node<'_, '_>) -> bool {
    matches!(node.tag_name().namespace(), Some(DAV_NS) | Some(CALDAV_NS))
}

// The naming and ordering rules follow `dav_error.rs` (no namespace is `{}name`; standard
// conditions first, RFC 4918 §17): this reference checks the XML reading, not those rules.
fn condition_name(node: roxmltree::Node<'_, '_>) -> String {
    let tag = node.tag_name();
    if is_standard(&node) {
        return tag.name().to_string();
    }
    format!("{{{}}}{}", tag.namespace().unwrap_or(""), tag.name())
}

fn is(node: &roxmltree::Node<'_, '_>, ns: &str, name: &str) -> bool {
    node.is_element() && node.tag_name().namespace() == Some(ns) && node.tag_name().name() == name
}

fn text_of(node: roxmltree::Node<'_, '_>) -> Option<String> {
    let text: String = node
        .descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return None;
    }
    Some(text.chars().take(MAX_TEXT).collect())
}

fn first_href(node: roxmltree::Node<'_, '_>) -> Option<String> {
    node.descendants()
        .find(|n| is(n, DAV_NS, "href"))
        .and_then(text_of)
}

fn privileges(node: roxmltree::Node<'_, '_>) -> Vec<String> {
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
pub(crate) fn parse_dav_error_before(
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
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: 10_000,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = match roxmltree::Document::parse_with_options(trimmed, options) {
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
        let warning = (root.tag_name().name() == "error").then(|| {
            Warning::new(
                "BAD_ERROR_BODY",
                format!(
                    "the error body's root <error> is in namespace {:?}, not \"DAV:\"; its \
                     condition is not guessed",
                    root.tag_name().namespace().unwrap_or("")
                ),
                None,
            )
        });
        return (None, warning);
    }
    let mut parsed = DavError::default();
    let (mut standard, mut extension) = (Vec::new(), Vec::new());
    for child in root.children().filter(|n| n.is_element()) {
        let ns = child.tag_name().namespace();
        if is(&child, DAV_NS, "responsedescription") {
            parsed.description = parsed.description.or_else(|| text_of(child));
            continue;
        }
        if ns == Some(SABRE_NS) {
            if child.tag_name().name() == "message" {
                parsed.description = parsed.description.or_else(|| text_of(child));
            }
            continue;
        }
        if is_standard(&child) {
            standard.push(child);
        } else {
            extension.push(child);
        }
    }
    parsed.standard = !standard.is_empty();
    standard.extend(extension);
    if let Some(first) = standard.first() {
        parsed.href = first_href(*first);
        if is(first, DAV_NS, "need-privileges") {
            parsed.privileges = privileges(*first);
        }
    }
    parsed.conditions = standard.into_iter().map(condition_name).collect();
    (Some(parsed), None)
}

/// Asserts that the current reader gives what the roxmltree one gave: the same `DavError`, and
/// the same warning (for a parse error only the code and the start of the message: the reason
/// after it is each parser's own wording).
pub(crate) fn assert_same_as_before(body: &str, content_type: Option<&str>) {
    let (now, now_warning) = parse_dav_error(body, content_type);
    let (before, before_warning) = parse_dav_error_before(body, content_type);
    assert_eq!(now, before, "{body:?}");
    const PARSE: &str = "the XML error body could not be parsed: ";
    match (now_warning, before_warning) {
        (Some(now), Some(before)) if before.message.starts_with(PARSE) => {
            assert_eq!(now.code, before.code, "{body:?}");
            assert!(now.message.starts_with(PARSE), "{body:?}: {}", now.message);
        }
        (now, before) => assert_eq!(now, before, "{body:?}"),
    }
}

/// The tree roxmltree reads, in the shape `xml::Document` keeps: elements as `{ns}name(...)`,
/// each text node as its whitespace-separated words (line ends are not folded by `xml.rs`).
pub(crate) fn roxmltree_tree(text: &str) -> Result<String, String> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: 10_000,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(text, options).map_err(|e| e.to_string())?;
    let mut out = String::new();
    let root = doc.root_element();
    let mut stack = vec![(root, false)];
    while let Some((node, closing)) = stack.pop() {
        if closing {
            out.push(')');
            continue;
        }
        if node.is_element() {
            let tag = node.tag_name();
            out.push_str(&format!("{{{:?}}}{}(", tag.namespace(), tag.name()));
            stack.push((node, true));
            let children: Vec<_> = node
                .children()
                .filter(|n| n.is_element() || n.is_text())
                .collect();
            stack.extend(children.into_iter().rev().map(|n| (n, false)));
        } else if let Some(text) = node.text() {
            out.push_str(&format!(
                "{:?}",
                text.split_whitespace().collect::<Vec<_>>()
            ));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    use crate::test_support::TestResult;

    // Each list: the usual values, then unusual or wrong ones (picked less often).
    const PREFIXES: (&[&str], &[&str]) = (
        &["", "D", "C", "d", "X", "S"],
        &["xml", "xmlns", ":", "ns0"],
    );
    const NAMES: (&[&str], &[&str]) = (
        &[
            "error",
            "href",
            "valid-calendar-data",
            "no-uid-conflict",
            "need-privileges",
            "resource",
            "privilege",
            "schedule-send-invite",
            "responsedescription",
            "message",
        ],
        &[
            "exception",
            "xmlns",
            "\u{e9}t\u{e9}",
            "1x",
            "a:b",
            "x\u{B7}",
        ],
    );
    const URIS: (&[&str], &[&str]) = (
        &[
            "DAV:",
            "urn:ietf:params:xml:ns:caldav",
            "http://sabredav.org/ns",
            "http://example.com/ns",
        ],
        &[
            "",
            "http://www.w3.org/XML/1998/namespace",
            "http://www.w3.org/2000/xmlns/",
            "DAV&#58;",
            "&#x44;AV:",
            "urn:x&amp;y",
            "urn:a\tb",
            "urn:a\r\nb",
            "urn:a\rb",
            "urn:a&#13;&#10;b",
            "urn:a<b",
            "urn:&bad;",
            "urn:'\"",
        ],
    );
    const TEXTS: (&[&str], &[&str]) = (
        &[
            "/home/x.ics",
            " ",
            "\r\n",
            "\t",
            "&amp;",
            "&lt;",
            "&gt;",
            "&quot;&apos;",
            "&#x41;",
            "&#65;",
            "\u{e9}",
            "a  b",
            "&#13;&#10;",
            "&#x110000;",
            "&#xD800;",
            "\u{A0}",
            ">",
            "]]",
            "\u{7F}",
        ],
        &[
            "&#0;", "&#xFFFE;", "&#;", "&#x;", "&#X41;", "&bogus;", "&amp", "&", "]]>", "\u{FFFE}",
            "\u{1}",
        ],
    );
    const MARKUP: &[&str] = &[
        "<",
        ">",
        "</",
        "/>",
        "<!--",
        "-->",
        "--",
        "<![CDATA[",
        "]]>",
        "<?",
        "?>",
        "<?xml ",
        "=",
        "\"",
        "'",
        " ",
        "&",
        ";",
        ":",
        "<!DOCTYPE e>",
        "\u{FEFF}",
        "D:",
        "xmlns",
        "\n",
    ];

    fn pick(list: &'static [&'static str]) -> impl Strategy<Value = &'static str> {
        prop::sample::select(list)
    }

    /// Mostly a usual value, sometimes an unusual one.
    fn pick2(
        (usual, unusual): (&'static [&'static str], &'static [&'static str]),
    ) -> impl Strategy<Value = &'static str> {
        prop_oneof![12 => pick(usual), 1 => pick(unusual)]
    }

    fn text() -> impl Strategy<Value = String> {
        prop::collection::vec(pick2(TEXTS), 0..4).prop_map(|parts| parts.concat())
    }

    fn attribute() -> impl Strategy<Value = String> {
        let name = prop_oneof![
            pick2(PREFIXES).prop_map(|p| if p.is_empty() {
                "xmlns".to_string()
            } else {
                format!("xmlns:{p}")
            }),
            (pick2(PREFIXES), pick(&["a", "lang", "b", "a", "xmlns"])).prop_map(|(p, n)| {
                if p.is_empty() {
                    n.to_string()
                } else {
                    format!("{p}:{n}")
                }
            }),
        ];
        (
            name,
            pick2(URIS),
            any::<bool>(),
            pick(&[" ", "\n", "\t", ""]),
        )
            .prop_map(|(name, value, double, space)| {
                let q = if double { '"' } else { '\'' };
                format!("{space} {name}{space}={space}{q}{value}{q}")
            })
    }

    fn element() -> impl Strategy<Value = String> {
        let leaf = (
            pick2(PREFIXES),
            pick2(NAMES),
            prop::collection::vec(attribute(), 0..3),
        )
            .prop_map(|(p, n, attrs)| {
                let name = if p.is_empty() {
                    n.to_string()
                } else {
                    format!("{p}:{n}")
                };
                format!("<{name}{}/>", attrs.concat())
            });
        leaf.prop_recursive(5, 48, 5, |inner| {
            let child = prop_oneof![
                4 => inner,
                2 => text(),
                1 => text().prop_map(|t| format!("<!--{t}-->")),
                1 => text().prop_map(|t| format!("<?pi {t}?>")),
                1 => text().prop_map(|t| format!("<![CDATA[{t}]]>")),
            ];
            (
                pick2(PREFIXES),
                pick2(NAMES),
                prop::collection::vec(attribute(), 0..4),
                prop::collection::vec(child, 0..5),
                prop_oneof![12 => Just(None), 1 => (pick2(PREFIXES), pick2(NAMES)).prop_map(Some)],
            )
                .prop_map(|(p, n, attrs, children, end)| {
                    let qname = |p: &str, n: &str| {
                        if p.is_empty() {
                            n.to_string()
                        } else {
                            format!("{p}:{n}")
                        }
                    };
                    let name = qname(p, n);
                    let end = end.map_or(name.clone(), |(p, n)| qname(p, n));
                    format!("<{name}{}>{}</{end} >", attrs.concat(), children.concat())
                })
        })
    }

    /// A DAV:error-like document: a root in DAV: most of the time, an optional prolog and
    /// epilog, and sometimes one piece of markup inserted or a slice deleted somewhere.
    fn document() -> impl Strategy<Value = String> {
        let prolog = prop_oneof![4 => Just(""), 1 => pick(&[
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n",
            "<?xml version='1.0' standalone='yes' ?>",
            "<?xml version=\"1.0\"encoding=\"utf-8\"?>",
            "<?xml encoding=\"utf-8\"?>",
            "<?xml?>",
            "<?xml  version = \"1.0\" ?><!-- c -->",
            "<!DOCTYPE e [<!ENTITY a \"aaaa\">]>",
            "<?pi?>\n<!---->",
            "\u{FEFF}",
            "<!-- c --->",
        ])];
        let epilog = prop_oneof![
            4 => Just(""),
            1 => pick(&["\n", "<!-- c -->", "<?pi x?>", "<x/>", "text", "<?xml ?>"]),
        ];
        let root = (
            pick(&[
                "<D:error xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\" xmlns:X=\"http://example.com/ns\" xmlns:S=\"http://sabredav.org/ns\" xmlns:d=\"DAV:\">",
                "<error xmlns=\"DAV:\" xmlns:D=\"DAV:\" xmlns:C='urn:ietf:params:xml:ns:caldav' xmlns:X='urn:x' xmlns:S='http://sabredav.org/ns' xmlns:d='urn:d'>",
                "<d:error xmlns:d='DAV:' xmlns:D='urn:D' xmlns:C='DAV:' xmlns:X='urn:ietf:params:xml:ns:caldav' xmlns:S='urn:S'>",
                "<D:error xmlns:D=\"DAV:\">",
            ]),
            prop::collection::vec(element(), 0..4),
            text(),
        )
            .prop_map(|(open, children, text)| {
                let close = match open.as_bytes()[1] {
                    b'D' => "</D:error>",
                    b'd' => "</d:error>",
                    _ => "</error>",
                };
                format!("{open}{text}{}{close}", children.concat())
            });
        let body = prop_oneof![4 => root, 1 => element()];
        let edit = prop_oneof![
            6 => Just(None),
            1 => (any::<prop::sample::Index>(), pick(MARKUP)).prop_map(|(i, m)| Some((i, m, 0))),
            1 => (any::<prop::sample::Index>(), 1usize..4).prop_map(|(i, n)| Some((i, "", n))),
        ];
        (prolog, body, epilog, edit).prop_map(|(prolog, body, epilog, edit)| {
            let mut doc = format!("{prolog}{body}{epilog}");
            if let Some((at, insert, delete)) = edit {
                let mut at = at.index(doc.len() + 1);
                while !doc.is_char_boundary(at) {
                    at -= 1;
                }
                let mut end = (at + delete).min(doc.len());
                while !doc.is_char_boundary(end) {
                    end += 1;
                }
                doc.replace_range(at..end, insert);
            }
            doc
        })
    }

    fn xml_tree(text: &str) -> Result<String, String> {
        let doc = super::super::xml::Document::parse(text).map_err(|e| e.to_string())?;
        let mut out = String::new();
        let mut stack = vec![(doc.root_element(), false)];
        while let Some((node, closing)) = stack.pop() {
            if closing {
                out.push(')');
            } else if let Some(text) = node.text() {
                out.push_str(&format!(
                    "{:?}",
                    text.split_whitespace().collect::<Vec<_>>()
                ));
            } else {
                out.push_str(&format!("{{{:?}}}{}(", node.namespace(), node.name()));
                stack.push((node, true));
                let children: Vec<_> = node.children().collect();
                stack.extend(children.into_iter().rev().map(|n| (n, false)));
            }
        }
        Ok(out)
    }

    fn assert_same_tree(text: &str) {
        let (now, before) = (xml_tree(text), roxmltree_tree(text));
        assert_eq!(
            now.is_ok(),
            before.is_ok(),
            "{text:?}: xml.rs {now:?}, roxmltree {before:?}"
        );
        if let (Ok(now), Ok(before)) = (now, before) {
            assert_eq!(now, before, "{text:?}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 2048,
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn dav_error_documents_read_as_before(doc in document(), xml_type in any::<bool>()) {
            assert_same_tree(&doc);
            assert_same_as_before(&doc, xml_type.then_some("application/xml"));
        }

        #[test]
        fn markup_soup_reads_as_before(parts in prop::collection::vec(
            prop_oneof![pick(MARKUP), pick2(TEXTS), pick2(NAMES), pick2(URIS)], 0..24)) {
            let doc = parts.concat();
            assert_same_tree(&doc);
            assert_same_as_before(&doc, Some("text/xml"));
        }

        #[test]
        fn any_text_reads_as_before(text in any::<String>()) {
            assert_same_tree(&text);
            assert_same_as_before(&text, Some("text/xml"));
            assert_same_as_before(&format!("<e>{text}</e>"), Some("text/xml"));
        }
    }

    #[test]
    fn the_recorded_server_answers_read_as_before() -> TestResult {
        let root = env!("CARGO_MANIFEST_DIR");
        let dirs = [
            "tests/fixtures/server-answers",
            "fuzz/seeds/classify_response",
        ];
        let mut bodies = 0;
        let mut entries = Vec::new();
        for d in dirs {
            for entry in std::fs::read_dir(format!("{root}/{d}"))? {
                entries.push(entry?.path());
            }
        }
        for path in entries {
            let text = std::fs::read_to_string(path)?;
            for (i, _) in text.match_indices('<') {
                let rest = &text[i..];
                let dav = rest.starts_with("<D:") || rest.starts_with("<d:");
                if rest.starts_with("<?xml") || rest.contains("error") && dav {
                    assert_same_as_before(rest, Some("application/xml"));
                    bodies += 1;
                }
            }
        }
        assert!(bodies > 10, "{bodies}");
        Ok(())
    }

    #[test]
    fn the_node_limit_is_where_it_was() {
        // 10,000 nodes with the document node: elements, text runs (split by comments and
        // elements, not by CDATA), comments and processing instructions all count.
        let shapes: [(&str, &str, &str, usize); 5] = [
            ("<D:error xmlns:D=\"DAV:\">", "<x/>", "</D:error>", 1),
            ("<e>", "t<!---->", "</e>", 2),
            ("<e>", "t<![CDATA[u]]>v<a/>", "</e>", 2),
            ("<?p?><e>", "<?q?>", "</e><!---->", 1),
            ("<e>", "<a>", "", 1),
        ];
        for (open, repeat, close, per) in shapes {
            for nodes in [9_990, 9_997, 9_998, 9_999, 10_000, 10_001] {
                let mut doc = open.to_string();
                doc.push_str(&repeat.repeat(nodes / per));
                if close.is_empty() {
                    doc.push_str(&"</a>".repeat(nodes / per));
                    doc.push_str("</e>");
                } else {
                    doc.push_str(close);
                }
                assert_same_tree(&doc);
                assert_same_as_before(&doc, Some("text/xml"));
            }
        }
    }

    #[test]
    fn edge_cases_read_as_before() {
        let attributes: String = (0..300).map(|i| format!(" a{i}='1'")).collect();
        let many = [
            format!("<e{attributes}/>"),
            format!("<e{attributes} a299='2'/>"),
            format!("<e{attributes} xmlns:p='urn:x' p:a299='2'/>"),
        ];
        let cases = [
            r#"<D:error xmlns:D="DAV:" xmlns="urn:default"><C:v xmlns:C="urn:c"/><plain/><D:x xmlns:D="urn:inner" xmlns="urn:i"><D:y/><z/></D:x><D:after/><none xmlns=""/></D:error>"#,
            r#"<e><p:a xmlns:p="urn:p"/><p:b/></e>"#,
            r#"<e xmlns:p="urn:a" xmlns:p="urn:b"/>"#,
            r#"<e xmlns="urn:a" xmlns="urn:b"/>"#,
            r#"<e xmlns:p="urn:p" xmlns="urn:a" xmlns:p="urn:b"/>"#,
            r#"<xml:e/>"#,
            r#"<xml:e xmlns:xml="http://www.w3.org/XML/1998/namespace"/>"#,
            r#"<e xmlns:xml="http://www.w3.org/XML/1998/namespace" xmlns:xml="http://www.w3.org/XML/1998/namespace"/>"#,
            r#"<xmlns:e/>"#,
            r#"<xmlns/>"#,
            r#"<e p:xmlns="urn:q"/>"#,
            r#"<e xmlns:xmlns="urn:q"/>"#,
            r#"<e xmlns:p="" ><p:a/></e>"#,
            r#"<e xmlns:p="urn:x" xmlns:q="urn:x" p:a="1" q:a="2"/>"#,
            r#"<e xmlns:p="urn:x" a="1" p:a="2"/>"#,
            r#"<e xml:a="1" xml:a="2"/>"#,
            r#"<e :a="1" a="2"/>"#,
            "<e xmlns='urn:a\rb'/>",
            "<e xmlns='urn:a\r\nb'/>",
            "<e xmlns='urn:a\r&#10;b'/>",
            "<e xmlns='urn:a&#13;\nb'/>",
            "<e>/a?b=1&amp;c=&lt;2&gt; &quot;&apos; &#65;&#x42;&#x1F600; &#x110000; &#xD800;</e>",
            "<e>&#0000065;</e>",
            "<e>&#99999999999;</e>",
            "<e>&#x0000000000000041;</e>",
            "<e>a<![CDATA[<b>&amp;]]>c<!-- x -->d<?p?>e<f/>g</e>",
            "<e><![CDATA[]]></e>",
            "\u{FEFF}<e/>",
            "<?xml version=\"1.0\"?><e/>",
            "<?xml version='1.0' encoding='utf-8' standalone='no' ?>\n<!-- c --><?pi x?>\n<e/>\n<!-- c -->",
            "<?xml?><e/>",
            "<?XML version='1.0'?><e/>",
            "<?xml\tversion='1.0'?><e/>",
            "<?xml versionx='1.0'?><e/>",
            "<?xml version='1.0' encoding='x' standalone='yes'?><e/>",
            "<?xml version='1.0' encoding='<'?><e/>",
            "<?xml version='1.0'  ?><e/>",
            "<?xml version='1.0'",
            "<?xml-stylesheet href='a'?><e/>",
            "<?a?def?><e/>",
            "<?a\u{1}?><e/>",
            "<e/><?pi?>",
            "<!DOCTYPE e><e/>",
            "<e/><!DOCTYPE e>",
            "<!doctype e><e/>",
            "<!-- a -- b --><e/>",
            "<!-- a ---><e/>",
            "<!----><e/>",
            "<!---><e/>",
            "<e><!--\u{FFFE}--></e>",
            "<\u{e9}t\u{e9} a-b.c_d='x' e = \"y\" ></\u{e9}t\u{e9}  >",
            "<:e></e>",
            "<:e></:e>",
            "<e:></e:>",
            "<e\u{B7}/>",
            "<\u{B7}e/>",
            "<e\u{300}/>",
            "<e\u{80}/>",
            "<e>\t\r\n \u{7F}\u{10FFFF}</e>",
            "<e>\u{85}\u{2028}</e>",
            "<e>]]</e>",
            "<e>]]&gt;</e>",
            "<e/ >",
            "<e></e >",
            "<e></ e>",
            "<e><</e>",
            "<e>a</e>\n",
        ];
        for case in cases.iter().copied().chain(many.iter().map(String::as_str)) {
            assert_same_tree(case);
            assert_same_as_before(case, Some("text/xml"));
        }
    }
}
