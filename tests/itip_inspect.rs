//! `inspect` on real data: every file of the corpus (../shared/corpus; a fresh clone skips with
//! a notice) and of tests/fixtures gives a summary or a coded error, and the summary agrees with
//! itself: inspecting as the organizer gives role organizer, inspecting as an attendee gives role
//! attendee with that attendee's PARTSTAT as `myPartstat`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::{Path, PathBuf};

use caldav_sched::ical::{same_address, Document};
use caldav_sched::itip::identity::Role;
use caldav_sched::itip::{inspect, Addresses, InspectOptions};
use caldav_sched::ErrorCode;

fn as_me(address: &str) -> InspectOptions {
    InspectOptions {
        me: Some(Addresses::One(address.to_string())),
        limits: None,
    }
}

#[derive(Default)]
struct Counts {
    summaries: usize,
    scheduling: usize,
    attendee_checks: usize,
    statuses: usize,
    errors: usize,
}

/// Checks one file; returns a problem description, if any.
fn check(path: &Path, counts: &mut Counts) -> Option<String> {
    let bytes = std::fs::read(path).unwrap();
    if Document::parse(&bytes).is_err() {
        return None; // unparseable files are the corpus test's business
    }
    let plain = match inspect(&bytes, &InspectOptions::default()) {
        Ok(r) => r,
        Err(e) if matches!(e.code, ErrorCode::Parse | ErrorCode::UidMismatch) => {
            counts.errors += 1;
            return None;
        }
        Err(e) => return Some(format!("{}: unexpected {e}", path.display())),
    };
    counts.summaries += 1;
    if plain.role != Role::None || plain.components.is_empty() {
        return Some(format!(
            "{}: role {:?} without me",
            path.display(),
            plain.role
        ));
    }
    counts.statuses += plain
        .components
        .iter()
        .flat_map(|c| &c.attendees)
        .filter(|a| a.schedule_status.is_some())
        .count();
    // Not a scheduling object: nothing more to check.
    let organizer = plain.organizer.clone()?;
    counts.scheduling += 1;
    let as_organizer = inspect(&bytes, &as_me(&organizer)).unwrap();
    if as_organizer.role != Role::Organizer {
        return Some(format!(
            "{}: the organizer is not Organizer",
            path.display()
        ));
    }
    for (i, c) in plain.components.iter().enumerate() {
        let Some(other) = c
            .attendees
            .iter()
            .find(|a| !same_address(&a.address, &organizer))
        else {
            continue;
        };
        let r = inspect(&bytes, &as_me(&other.address)).unwrap();
        // Listed as an attendee somewhere, unless the ORGANIZER of another component is them.
        if r.role != Role::Attendee && r.role != Role::Organizer {
            return Some(format!(
                "{}: {} is {:?}",
                path.display(),
                other.address,
                r.role
            ));
        }
        let first_listed = r.components[i].attendees.iter().find(|a| a.is_me).unwrap();
        if r.components[i].my_partstat.as_deref() != Some(first_listed.partstat.as_str()) {
            return Some(format!(
                "{}: myPartstat differs from the attendee's",
                path.display()
            ));
        }
        counts.attendee_checks += 1;
    }
    None
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, out);
        } else if path.extension().is_some_and(|e| e == "ics") {
            out.push(path);
        }
    }
}

#[test]
fn fixtures_give_consistent_summaries() {
    let mut files = Vec::new();
    files_under(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures"),
        &mut files,
    );
    let mut counts = Counts::default();
    let problems: Vec<String> = files.iter().filter_map(|f| check(f, &mut counts)).collect();
    assert_eq!(problems, Vec::<String>::new());
    assert!(
        counts.scheduling >= 3,
        "only {} scheduling objects",
        counts.scheduling
    );
    assert!(counts.attendee_checks >= 3);
}

#[test]
fn corpus_gives_consistent_summaries() {
    // ../shared/corpus from the main checkout, ../../shared/corpus from a worktree in wt/.
    let Some(dir) = ["../shared/corpus", "../../shared/corpus"]
        .iter()
        .map(|d| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(d))
        .find(|d| d.join("manifest.tsv").exists())
    else {
        eprintln!("NOTICE: ../shared/corpus not found; inspect corpus test skipped (CI has it)");
        return;
    };
    let mut files = Vec::new();
    files_under(&dir, &mut files);
    let mut counts = Counts::default();
    let problems: Vec<String> = files.iter().filter_map(|f| check(f, &mut counts)).collect();
    eprintln!(
        "inspect on the corpus: {} summaries ({} scheduling objects, {} attendee checks, {} \
         SCHEDULE-STATUS lines), {} coded errors, of {} files",
        counts.summaries,
        counts.scheduling,
        counts.attendee_checks,
        counts.statuses,
        counts.errors,
        files.len()
    );
    assert_eq!(problems, Vec::<String>::new());
    assert!(
        counts.scheduling > 50,
        "only {} scheduling objects",
        counts.scheduling
    );
}
