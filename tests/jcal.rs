//! jCal (RFC 7265): our `to_jcal` equals ical.js's `ICAL.parse` on committed fixtures, and
//! iCalendar -> jCal -> iCalendar -> jCal is a fixed point on every fixture and on every corpus
//! file that parses (../shared/corpus; a fresh clone skips that part with a notice).
//!
//! The JSON fixtures come from ical.js itself; `examples/jcal_dump.rs` with
//! `scripts/jcal-compare.mjs` repeats the comparison on the whole corpus when ical.js is installed.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::{Path, PathBuf};

use caldav_sched::ical::{from_jcal, to_jcal, Document, JcalValue};

fn fixtures(dir: &str, ext: &str) -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(ext))
        .collect();
    files.sort();
    files
}

/// True when a string in the tree holds a control character other than HTAB and LF: TEXT
/// cannot carry those (RFC 5545 §3.3.11), so they cannot survive writing (a documented loss).
fn has_unwritable_control(v: &JcalValue) -> bool {
    match v {
        JcalValue::String(s) => s.chars().any(|c| c.is_control() && c != '\t' && c != '\n'),
        JcalValue::Array(items) => items.iter().any(has_unwritable_control),
        JcalValue::Object(entries) => entries.iter().any(|(_, v)| has_unwritable_control(v)),
        _ => false,
    }
}

/// iCalendar -> jCal -> iCalendar -> jCal must give the same jCal, and writing that jCal again
/// must give the same bytes. `Ok(false)` when skipped for an unwritable control character.
fn check_fixed_point(doc: &Document) -> Result<bool, String> {
    let first = to_jcal(doc).map_err(|e| e.to_string())?;
    if has_unwritable_control(&first) {
        return Ok(false);
    }
    let written = from_jcal(&first)
        .map_err(|e| format!("from_jcal: {e}"))?
        .to_bytes();
    let reparsed = Document::parse(&written).map_err(|e| {
        format!(
            "our output does not parse: {e}\n{}",
            String::from_utf8_lossy(&written)
        )
    })?;
    let second = to_jcal(&reparsed).map_err(|e| e.to_string())?;
    if first != second {
        return Err(format!(
            "jCal differs after a round trip:\n{}\n{}",
            serde_json::to_string(&first).unwrap(),
            serde_json::to_string(&second).unwrap()
        ));
    }
    let again = from_jcal(&second).map_err(|e| e.to_string())?.to_bytes();
    if again != written {
        return Err("writing the same jCal twice gave different bytes".into());
    }
    Ok(true)
}

#[test]
fn to_jcal_equals_icaljs_on_fixtures() {
    let files = fixtures("tests/fixtures/jcal", ".ics");
    assert!(files.len() >= 20, "only {} fixtures", files.len());
    for ics in &files {
        let json_path = ics.with_extension("icaljs.json");
        let expected: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
        let doc = Document::parse(&std::fs::read(ics).unwrap()).unwrap();
        let ours = serde_json::to_value(to_jcal(&doc).unwrap()).unwrap();
        assert_eq!(ours, expected, "{}", ics.display());
    }
}

#[test]
fn icaljs_jcal_reads_back_to_the_same_jcal() {
    for json_path in fixtures("tests/fixtures/jcal", ".icaljs.json") {
        let text = std::fs::read_to_string(&json_path).unwrap();
        let theirs: JcalValue = serde_json::from_str(&text).unwrap();
        let doc = from_jcal(&theirs).unwrap_or_else(|e| panic!("{}: {e}", json_path.display()));
        let reparsed = Document::parse(&doc.to_bytes()).unwrap();
        let ours = serde_json::to_value(to_jcal(&reparsed).unwrap()).unwrap();
        let expected: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(ours, expected, "{}", json_path.display());
    }
}

#[test]
fn fixed_point_on_ical_and_jcal_fixtures() {
    let mut files = fixtures("tests/fixtures/ical", ".ics");
    files.extend(fixtures("tests/fixtures/jcal", ".ics"));
    assert!(files.len() >= 23);
    for path in files {
        let doc = Document::parse(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(check_fixed_point(&doc), Ok(true), "{}", path.display());
    }
}

#[test]
fn all_features_fixture_round_trips_content() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ical/all-features-crlf.ics");
    let doc = Document::parse(&std::fs::read(path).unwrap()).unwrap();
    let json = serde_json::to_string(&to_jcal(&doc).unwrap()).unwrap();
    for expected in [
        r#"["x-wr-calname",{},"unknown","Team"]"#,
        r#"["rrule",{},"recur",{"freq":"YEARLY","bymonth":3,"byday":"-1SU"}]"#,
        r#""delegated-to":["mailto:a@example.com","mailto:b@example.com"]"#,
        r#"["organizer",{"cn":"Doe, John: Boss","sent-by":"mailto:assistant@example.com"},"cal-address","mailto:john@example.com"]"#,
        r#"["trigger",{"related":"START"},"duration","-PT15M"]"#,
        r#"["due",{},"date","2027-02-01"]"#,
        r#"["x-vendor-thing",[["x-inner",{},"unknown","kept"]],[]]"#,
    ] {
        assert!(json.contains(expected), "missing {expected} in {json}");
    }
    let back = from_jcal(&to_jcal(&doc).unwrap()).unwrap();
    let written = String::from_utf8(back.to_bytes()).unwrap();
    assert!(written.lines().all(|l| l.len() <= 75));
    let text = written.replace("\r\n ", "");
    assert!(text.contains("ATTENDEE;PARTSTAT=needs-action;DELEGATED-TO=\"mailto:a@example.com\",\"mailto:b@example.com\";X-CUSTOM=1:MAILTO:Wilfredo@Example.com\r\n"), "{text}");
    assert!(text.contains("DUE;VALUE=DATE:20270201\r\n"), "{text}");
    // ical.js reads X-PARAM=a,b,"c:d" as one string; it is written back as one quoted value.
    assert!(
        text.contains("X-VENDOR-PROP;X-PARAM=\"a,b,^'c:d^'\":some value\r\n"),
        "{text}"
    );
}

#[test]
fn fixed_point_on_the_corpus() {
    // ../shared/corpus from the main checkout, ../../shared/corpus from a worktree in wt/.
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = ["../shared/corpus", "../../shared/corpus"]
        .iter()
        .map(|d| root.join(d))
        .find(|d| d.join("manifest.tsv").exists())
        .unwrap_or_default();
    let Ok(manifest) = std::fs::read_to_string(dir.join("manifest.tsv")) else {
        eprintln!(
            "NOTICE: ../shared/corpus not found; jCal corpus round-trip test skipped (CI has it)"
        );
        return;
    };
    let (mut checked, mut skipped, mut unparsed) = (0, 0, 0);
    let mut problems = Vec::new();
    for line in manifest.lines().skip(1) {
        let path = line.split('\t').next().unwrap();
        let Ok(doc) = Document::parse(&std::fs::read(dir.join(path)).unwrap()) else {
            unparsed += 1;
            continue;
        };
        match check_fixed_point(&doc) {
            Ok(true) => checked += 1,
            Ok(false) => skipped += 1,
            Err(e) => problems.push(format!("{path}: {e}")),
        }
    }
    eprintln!(
        "jCal corpus: {checked} fixed points, {skipped} skipped (control characters in TEXT), \
         {unparsed} not parseable as iCalendar"
    );
    assert!(checked > 300, "only {checked} files checked");
    assert!(skipped <= 2, "{skipped} files skipped");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

fn jcal_property_count(component: &JcalValue) -> usize {
    let parts = component.as_array().unwrap();
    parts[1].as_array().unwrap().len()
        + parts[2]
            .as_array()
            .unwrap()
            .iter()
            .map(jcal_property_count)
            .sum::<usize>()
}

fn parsed_property_count(component: &icalendar::parser::Component<'_>) -> usize {
    component.properties.len()
        + component
            .components
            .iter()
            .map(parsed_property_count)
            .sum::<usize>()
}

#[test]
fn an_independent_parser_reads_what_from_jcal_writes() {
    for json_path in fixtures("tests/fixtures/jcal", ".icaljs.json") {
        let jcal: JcalValue =
            serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
        let text = String::from_utf8(from_jcal(&jcal).unwrap().to_bytes()).unwrap();
        let unfolded = icalendar::parser::unfold(&text);
        let cal = icalendar::parser::read_calendar(&unfolded)
            .unwrap_or_else(|e| panic!("{}: {e}\n{text}", json_path.display()));
        let parsed = cal.properties.len()
            + cal
                .components
                .iter()
                .map(parsed_property_count)
                .sum::<usize>();
        assert_eq!(
            parsed,
            jcal_property_count(&jcal),
            "{}",
            json_path.display()
        );
    }
}
