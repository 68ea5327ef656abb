//! Helpers shared by the unit tests of the itip modules (compiled for tests only).

use crate::ical::{Component, Document};

/// The first top-level component of `text` (the tests pass a bare VEVENT or a VCALENDAR).
pub(crate) fn first_component(text: &str) -> Result<Component, Box<dyn std::error::Error>> {
    Ok(Document::parse(text.as_bytes())?
        .components()
        .next()
        .ok_or("no top-level component")?
        .clone())
}
