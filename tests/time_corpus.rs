//! The time layer against the real-world corpus in ../shared/corpus/ (skipped with a notice when
//! absent): every VTIMEZONE builds and converts consistently, every RRULE either parses and
//! round-trips or is one of the known-bad values, and every recurring component expands in order
//! with its first instances found again by the RECURRENCE-ID lookup.
//!
//! The scan below is a deliberately tiny line reader (unfold, name, TZID, value) for test use only.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use caldav_sched::ical::datetime::Instant;
use caldav_sched::ical::recur::{ExpansionLimits, InstanceMatch, RecurRule, RecurrenceSet};
use caldav_sched::ical::timezone::{Observance, ObservanceKind, TimeValue, TimeZone};
use std::path::{Path, PathBuf};

fn corpus_dir() -> Option<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    ["../shared/corpus", "../../shared/corpus"]
        .iter()
        .map(|p| root.join(p))
        .find(|d| d.join("manifest.tsv").exists())
}

fn ics_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.join("ics")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "ics") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// `(NAME, TZID parameter, value)` of each unfolded content line.
fn lines(text: &str) -> Vec<(String, Option<String>, String)> {
    let mut unfolded: Vec<String> = Vec::new();
    for raw in text.split('\n') {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if let Some(cont) = raw.strip_prefix([' ', '\t']) {
            if let Some(last) = unfolded.last_mut() {
                last.push_str(cont);
                continue;
            }
        }
        unfolded.push(raw.to_string());
    }
    let mut out = Vec::new();
    for l in unfolded {
        let mut in_quotes = false;
        let Some(colon) = l.char_indices().find_map(|(i, c)| {
            if c == '"' {
                in_quotes = !in_quotes;
            }
            (c == ':' && !in_quotes).then_some(i)
        }) else {
            continue;
        };
        let (head, value) = (&l[..colon], &l[colon + 1..]);
        let mut parts = head.split(';');
        let name = parts.next().unwrap_or_default().to_ascii_uppercase();
        let tzid = parts
            .filter_map(|p| p.split_once('='))
            .find(|(k, _)| k.eq_ignore_ascii_case("TZID"))
            .map(|(_, v)| v.trim_matches('"').to_string());
        out.push((name, tzid, value.to_string()));
    }
    out
}

#[derive(Default)]
struct ObsParts {
    kind: Option<ObservanceKind>,
    dtstart: String,
    from: String,
    to: String,
    rrules: Vec<String>,
    rdates: Vec<String>,
}

/// The VTIMEZONEs of a file, and how many failed to build.
fn zones(ls: &[(String, Option<String>, String)]) -> (Vec<TimeZone>, usize) {
    let (mut zones, mut failed) = (Vec::new(), 0);
    let mut tzid = None;
    let mut obs: Vec<Observance> = Vec::new();
    let mut cur: Option<ObsParts> = None;
    let mut ok = true;
    for (name, _, value) in ls {
        match (name.as_str(), value.to_ascii_uppercase().as_str()) {
            ("BEGIN", "VTIMEZONE") => {
                tzid = None;
                obs.clear();
                ok = true;
            }
            ("BEGIN", "STANDARD") => {
                cur = Some(ObsParts {
                    kind: Some(ObservanceKind::Standard),
                    ..Default::default()
                })
            }
            ("BEGIN", "DAYLIGHT") => {
                cur = Some(ObsParts {
                    kind: Some(ObservanceKind::Daylight),
                    ..Default::default()
                })
            }
            ("END", "STANDARD" | "DAYLIGHT") => {
                if let Some(p) = cur.take() {
                    let rr: Vec<&str> = p.rrules.iter().map(String::as_str).collect();
                    let rd: Vec<&str> = p.rdates.iter().map(String::as_str).collect();
                    match Observance::parse(p.kind.unwrap(), &p.dtstart, &p.from, &p.to, &rr, &rd) {
                        Ok(o) => obs.push(o),
                        Err(e) => {
                            eprintln!("  observance rejected: {}", e.message);
                            ok = false
                        }
                    }
                }
            }
            ("END", "VTIMEZONE") => match (tzid.take(), ok) {
                (Some(id), true) => match TimeZone::new(id, std::mem::take(&mut obs)) {
                    Ok(z) => zones.push(z),
                    Err(e) => {
                        eprintln!("  VTIMEZONE rejected: {}", e.message);
                        failed += 1
                    }
                },
                (id, _) => {
                    eprintln!("  VTIMEZONE {id:?} rejected: a bad observance");
                    failed += 1
                }
            },
            _ => {
                if let Some(p) = cur.as_mut() {
                    match name.as_str() {
                        "DTSTART" => p.dtstart = value.clone(),
                        "TZOFFSETFROM" => p.from = value.clone(),
                        "TZOFFSETTO" => p.to = value.clone(),
                        "RRULE" => p.rrules.push(value.clone()),
                        "RDATE" => p.rdates.push(value.clone()),
                        _ => {}
                    }
                } else if name == "TZID" {
                    tzid = Some(value.clone());
                }
            }
        }
    }
    (zones, failed)
}

fn check_zone(z: &TimeZone) {
    let t = z.transitions();
    assert!(t.windows(2).all(|w| w[0].at <= w[1].at), "{}", z.tzid());
    for tr in t.iter().take(400) {
        for probe in [tr.at - 7200, tr.at - 1, tr.at, tr.at + 7200] {
            let local = z.to_local(probe).unwrap();
            let back: Instant = z.to_utc(local);
            let diff = probe - back;
            let jump = i64::from((tr.offset_after.seconds() - tr.offset_before.seconds()).abs());
            assert!(
                diff == 0 || diff.abs() <= jump.max(3600),
                "{} at {probe}",
                z.tzid()
            );
        }
    }
}

#[test]
fn corpus_time_values() {
    let Some(dir) = corpus_dir() else {
        eprintln!("NOTICE: ../shared/corpus not found; corpus time test skipped");
        return;
    };
    let (mut rules_ok, mut rules_bad, mut zones_ok, mut zones_bad, mut series) = (0, 0, 0, 0, 0);
    let mut bad_rules = Vec::new();
    for file in ics_files(&dir) {
        let bytes = std::fs::read(&file).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let ls = lines(&text);
        let (zs, failed) = zones(&ls);
        zones_bad += failed;
        zones_ok += zs.len();
        zs.iter().for_each(check_zone);
        // Recurring components: DTSTART + RRULE/RDATE/EXDATE between BEGIN and END.
        let mut depth_component = false;
        let mut parts: Vec<(String, Option<String>, String)> = Vec::new();
        for (name, tzid, value) in &ls {
            if name == "RRULE" {
                match RecurRule::parse(value) {
                    Ok(r) => {
                        rules_ok += 1;
                        let again = RecurRule::parse(&r.to_string()).unwrap();
                        assert!(again.same_as(&r), "{value}");
                    }
                    Err(e) => {
                        rules_bad += 1;
                        bad_rules.push(format!("{}: {value:?}: {}", file.display(), e.message));
                    }
                }
            }
            let upper = value.to_ascii_uppercase();
            if name == "BEGIN" && (upper == "VEVENT" || upper == "VTODO") {
                depth_component = true;
                parts.clear();
            } else if name == "END" && (upper == "VEVENT" || upper == "VTODO") {
                depth_component = false;
                if expand_component(&parts, &zs) {
                    series += 1;
                }
            } else if depth_component {
                parts.push((name.clone(), tzid.clone(), value.clone()));
            }
        }
    }
    eprintln!(
        "corpus: {rules_ok} RRULEs parsed, {rules_bad} rejected; {zones_ok} VTIMEZONEs built, {zones_bad} rejected; {series} series expanded"
    );
    for b in &bad_rules {
        eprintln!("  rejected {b}");
    }
    assert!(rules_ok > 1000 && zones_ok > 100 && series > 100);
    // Rejections are the corpus' deliberately broken values (empty RRULE, garbage parts).
    assert!(rules_bad * 20 < rules_ok, "too many rejected RRULEs");
}

/// Expands one component; `true` when it was a recurring series that could be built.
fn expand_component(parts: &[(String, Option<String>, String)], zones: &[TimeZone]) -> bool {
    let Some((_, tzid, dtstart)) = parts.iter().find(|(n, _, _)| n == "DTSTART") else {
        return false;
    };
    if !parts.iter().any(|(n, _, _)| n == "RRULE") {
        return false;
    }
    let Ok((start, _)) = TimeValue::parse_with_tzid(dtstart, tzid.as_deref(), zones) else {
        return false;
    };
    let mut set = RecurrenceSet::new(start);
    for (name, tzid, value) in parts {
        if name == "RRULE" && set.add_rrule(value).is_err() {
            return false;
        }
        match name.as_str() {
            "EXDATE" | "RDATE" => {
                let Ok((list, _)) = TimeValue::parse_list_with_tzid(value, tzid.as_deref(), zones)
                else {
                    continue;
                };
                for v in list {
                    if name == "EXDATE" {
                        set.add_exdate(v)
                    } else {
                        set.add_rdate(v)
                    }
                }
            }
            _ => {}
        }
    }
    set.set_limits(ExpansionLimits {
        max_instances: 2_000,
        max_periods: 200_000,
        end: None,
    });
    let all: Vec<_> = set.instances().collect();
    assert!(all.len() <= 2_000);
    for i in all.iter().take(20) {
        let id = TimeValue::new(i.start, start.zone);
        match set.find_instance(&id) {
            InstanceMatch::Found(f) => assert_eq!(f.instant, i.instant, "{dtstart}"),
            other => panic!(
                "instance {} of {dtstart} not found again: {other:?}",
                i.start
            ),
        }
    }
    true
}
