//! The merge report: what was kept, dropped and conflicted, named by component, RECURRENCE-ID and
//! property, in words a UI can show.

use crate::error::Warning;
use crate::ical::Component;

use super::merge_types::Change;

/// Where a change happened: the component name and the instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// `VEVENT`, `VTODO`...
    pub component: String,
    /// RECURRENCE-ID as written, `None` for the master or a single event.
    pub recurrence_id: Option<String>,
}

impl Place {
    /// The place of a scheduling component.
    pub fn of(c: &Component) -> Place {
        Place {
            component: c.name().to_ascii_uppercase(),
            recurrence_id: c.value_of("RECURRENCE-ID").map(|v| v.trim().to_string()),
        }
    }

    /// The VCALENDAR itself (its own properties and top-level components).
    pub fn calendar() -> Place {
        Place {
            component: "VCALENDAR".to_string(),
            recurrence_id: None,
        }
    }

    /// "the event", "the occurrence of 20090602T150000Z": for messages.
    pub fn describe(&self) -> String {
        let kind = match self.component.as_str() {
            "VCALENDAR" => return "the calendar object".to_string(),
            "VTODO" => "task",
            "VJOURNAL" => "journal entry",
            _ => "event",
        };
        match &self.recurrence_id {
            Some(r) => format!("the {kind} occurrence {r}"),
            None => format!("the {kind}"),
        }
    }
}

/// The report being built during a merge.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Local changes carried onto the server copy.
    pub kept: Vec<Change>,
    /// Local changes not carried.
    pub dropped: Vec<Change>,
    /// Both sides changed the same thing.
    pub conflicts: Vec<Change>,
    /// The organizer moved what the user had answered.
    pub rescheduled: bool,
    /// The app should ask the user before PUT.
    pub needs_confirmation: bool,
    /// Tolerated problems.
    pub warnings: Vec<Warning>,
}

fn change(place: &Place, property: Option<&str>, what: String) -> Change {
    Change {
        component: place.component.clone(),
        recurrence_id: place.recurrence_id.clone(),
        property: property.map(str::to_string),
        what,
    }
}

impl Report {
    /// A local change carried onto the server copy.
    pub fn kept(&mut self, place: &Place, property: Option<&str>, what: impl Into<String>) {
        self.kept.push(change(place, property, what.into()));
    }

    /// A local change not carried.
    pub fn dropped(&mut self, place: &Place, property: Option<&str>, what: impl Into<String>) {
        self.dropped.push(change(place, property, what.into()));
    }

    /// Both sides changed the same thing; `what` says which value was chosen.
    pub fn conflict(&mut self, place: &Place, property: Option<&str>, what: impl Into<String>) {
        self.conflicts.push(change(place, property, what.into()));
    }

    /// A tolerated problem.
    pub fn warn(&mut self, code: &str, message: impl Into<String>, line: Option<usize>) {
        self.warnings.push(Warning::new(code, message, line));
    }
}

/// A short, human-readable rendering of a property value for messages (at most 60 characters).
pub fn show(value: &str) -> String {
    let v = crate::ical::text::unescape_text(value.trim());
    let mut out: String = v.chars().take(60).collect();
    if v.chars().count() > 60 {
        out.push('…');
    }
    out
}
