//! The real-world corpus in ../shared/corpus/ (CI has it; a fresh clone skips with a notice):
//! every file either round-trips byte-identical or fails with the error listed for it in
//! tests/fixtures/corpus-expected-errors.tsv, and only files the manifest marks invalid may fail.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use caldav_sched::ical::Document;

/// ../shared/corpus next to the repository (or next to the worktree folder holding it).
fn corpus_dir() -> Option<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    ["../shared/corpus", "../../shared/corpus"]
        .iter()
        .map(|p| root.join(p))
        .find(|d| d.join("manifest.tsv").exists())
}

struct Entry {
    path: String,
    looks_invalid: bool,
}

fn manifest(dir: &Path) -> Vec<Entry> {
    let text = std::fs::read_to_string(dir.join("manifest.tsv")).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (path, invalid, origin) = (col("path"), col("looks_invalid"), col("origin_broken"));
    lines
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            Entry {
                path: f[path].to_string(),
                looks_invalid: f[invalid] == "1" || f[origin] == "1",
            }
        })
        .collect()
}

fn expected_errors() -> BTreeMap<String, String> {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus-expected-errors.tsv");
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let (p, code) = l.split_once('\t').unwrap();
            (p.to_string(), code.to_string())
        })
        .collect()
}

#[test]
fn corpus_round_trips_or_fails_as_expected() {
    let Some(dir) = corpus_dir() else {
        eprintln!("NOTICE: ../shared/corpus not found; corpus round-trip test skipped (CI has it)");
        return;
    };
    let expected = expected_errors();
    let entries = manifest(&dir);
    assert!(
        entries.len() > 300,
        "manifest lists {} files",
        entries.len()
    );
    let (mut identical, mut failed) = (0, 0);
    let mut problems = Vec::new();
    for e in &entries {
        let bytes = std::fs::read(dir.join(&e.path)).unwrap();
        match Document::parse(&bytes) {
            Ok(doc) => {
                if doc.to_bytes() != bytes {
                    problems.push(format!(
                        "{}: parsed but did not round-trip byte-identical",
                        e.path
                    ));
                } else if expected.contains_key(&e.path) {
                    problems.push(format!("{}: listed as failing but parsed", e.path));
                } else {
                    identical += 1;
                }
            }
            Err(err) => {
                failed += 1;
                match expected.get(&e.path) {
                    Some(code) if code == err.code.as_str() => {}
                    Some(code) => problems.push(format!("{}: expected {code}, got {err}", e.path)),
                    None => problems.push(format!("{}: unexpected error {err}", e.path)),
                }
                if !e.looks_invalid {
                    problems.push(format!("{}: valid per manifest but failed: {err}", e.path));
                }
                if err.line.is_none() && !err.message.contains("no component") {
                    problems.push(format!("{}: error names no line: {err}", e.path));
                }
            }
        }
    }
    eprintln!(
        "corpus: {identical} byte-identical, {failed} failed as expected, of {}",
        entries.len()
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
