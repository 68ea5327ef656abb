//! Property test of the configurable limits (issue 7 item 5): for generated documents and
//! generated limits, parsing succeeds exactly when the document is within every limit (measured
//! here independently of the parser), a success is byte-identical, and a refusal is TOO_LARGE.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use caldav_sched::ical::{Document, Limits};
use caldav_sched::ErrorCode;
use proptest::prelude::*;

/// A component: its properties (parameter count, value length) and its children.
#[derive(Debug, Clone)]
struct Comp {
    props: Vec<(usize, usize)>,
    children: Vec<Comp>,
}

fn comp() -> impl Strategy<Value = Comp> {
    let props = prop::collection::vec((0usize..12, 0usize..120), 0..4);
    let leaf = props.clone().prop_map(|props| Comp {
        props,
        children: Vec::new(),
    });
    leaf.prop_recursive(6, 40, 3, move |inner| {
        (props.clone(), prop::collection::vec(inner, 0..3))
            .prop_map(|(props, children)| Comp { props, children })
    })
}

/// What the limits measure, counted while writing.
#[derive(Default)]
struct Measure {
    depth: usize,
    lines: usize,
    longest: usize,
    params: usize,
}

fn line(text: String, out: &mut String, m: &mut Measure) {
    m.lines += 1;
    m.longest = m.longest.max(text.len());
    out.push_str(&text);
    out.push_str("\r\n");
}

fn write(c: &Comp, level: usize, out: &mut String, m: &mut Measure) {
    let name = if level == 1 {
        "VCALENDAR".to_string()
    } else {
        format!("X-C{level}")
    };
    m.depth = m.depth.max(level);
    line(format!("BEGIN:{name}"), out, m);
    for &(n, len) in &c.props {
        let params: String = (0..n).map(|i| format!(";X-P{i}=v")).collect();
        m.params = m.params.max(n);
        line(format!("X-PROP{params}:{}", "a".repeat(len)), out, m);
    }
    for child in &c.children {
        write(child, level + 1, out, m);
    }
    line(format!("END:{name}"), out, m);
}

fn within(limits: &Limits, bytes: usize, m: &Measure) -> bool {
    bytes <= limits.max_bytes
        && m.depth <= limits.max_depth
        && m.lines <= limits.max_lines
        && m.longest <= limits.max_line_bytes
        && m.params <= limits.max_params
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn parsing_succeeds_exactly_within_every_limit(
        root in comp(),
        max_bytes in 0usize..3000,
        max_depth in 0usize..8,
        max_lines in 0usize..60,
        max_line_bytes in 0usize..200,
        max_params in 0usize..14,
    ) {
        let mut text = String::new();
        let mut m = Measure::default();
        write(&root, 1, &mut text, &mut m);
        let limits = Limits { max_bytes, max_depth, max_lines, max_line_bytes, max_params };
        let expected = within(&limits, text.len(), &m);
        match Document::parse_with(text.as_bytes(), &limits) {
            Ok(doc) => {
                prop_assert!(expected, "parsed although over a limit: {limits:?}");
                prop_assert_eq!(doc.to_bytes(), text.as_bytes());
            }
            Err(e) => {
                prop_assert!(!expected, "refused within the limits {limits:?}: {e}");
                prop_assert_eq!(e.code, ErrorCode::TooLarge, "{}", e);
            }
        }
        // The defaults are generous for anything this small.
        prop_assert!(Document::parse(text.as_bytes()).is_ok());
    }
}
