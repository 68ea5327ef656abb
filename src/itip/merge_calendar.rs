//! The VCALENDAR's own properties (CALSCALE, X-WR-CALNAME, personal X- lines...), merged by name.
//!
//! The output is the server copy. A name whose lines the local copy changed (against the base,
//! or against the server copy when there is none) and that the server copy does not already have
//! alike is:
//! - carried when it is mine, in place (where the server copy has it, else after the property
//!   that precedes it in mine): any calendar property for the organizer; for an attendee
//!   CALSCALE (RFC 6638 §3.2.2.1 item 6) and the personal properties (the `personal` option).
//!   When the server copy changed it too (against the base) that is a conflict, mine kept, as
//!   for the components' properties;
//! - otherwise reported in `dropped`: it is the organizer's (RFC 6638 §3.2.2.1).
//!
//! VERSION and PRODID belong to whoever writes each copy (PRODID: item 7) and METHOD never belongs
//! in a stored copy (RFC 4791 §4.1): they are not merged.

use crate::ical::{Component, Property};

use super::compare::same_text;
use super::merge_edit::replace_group;
use super::merge_report::{Place, Report};
use super::ownership::Ownership;

/// Names that are not merged.
const NOT_MERGED: [&str; 3] = ["VERSION", "PRODID", "METHOD"];

/// Merges the local copy's VCALENDAR properties into `out` (the server copy's VCALENDAR).
pub(crate) fn merge_calendar_properties(
    out: &mut Component,
    local: &Component,
    base: Option<&Component>,
    organizer: bool,
    own: &Ownership,
    report: &mut Report,
) {
    let place = Place::calendar();
    for name in names(local, base) {
        let mine_now = lines(local, &name);
        let reference = base.unwrap_or(out);
        if same_lines(&mine_now, &lines(reference, &name)) {
            continue;
        }
        let theirs = lines(out, &name);
        if same_lines(&mine_now, &theirs) {
            continue;
        }
        let mine = organizer || name == "CALSCALE" || own.is_personal(&name);
        if !mine {
            report.dropped(
                &place,
                Some(&name),
                format!(
                    "calendar property {name}: your change was not kept: it is the organizer's \
                     (RFC 6638 §3.2.2.1)"
                ),
            );
            continue;
        }
        let server_changed = base.is_some_and(|b| !same_lines(&theirs, &lines(b, &name)));
        replace_group(out, &name, &mine_now, local);
        if server_changed {
            report.conflict(
                &place,
                Some(&name),
                format!("calendar property {name}: changed on both sides; yours was kept"),
            );
        } else {
            report.kept(
                &place,
                Some(&name),
                format!("calendar property {name}: your change was kept"),
            );
        }
    }
}

/// The upper-case names of the VCALENDAR properties of the local copy and the base, once each,
/// in order, without the ones never merged.
fn names(local: &Component, base: Option<&Component>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in std::iter::once(local).chain(base) {
        for p in c.properties() {
            let name = p.name().to_ascii_uppercase();
            if !NOT_MERGED.contains(&name.as_str()) && !out.contains(&name) {
                out.push(name);
            }
        }
    }
    out
}

/// The VCALENDAR's own lines with this name (not those of its components), in order.
fn lines<'a>(c: &'a Component, name: &str) -> Vec<&'a Property> {
    c.properties().filter(|p| p.is(name)).collect()
}

/// Same lines, in the same order, written alike.
fn same_lines(a: &[&Property], b: &[&Property]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_text(x, y))
}
