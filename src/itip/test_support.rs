//! Helpers shared by the unit tests of the itip modules (compiled for tests only).

#![allow(clippy::unwrap_used)]

use crate::ical::{Component, Document};

/// The first top-level component of `text` (the tests pass a bare VEVENT or a VCALENDAR).
pub(crate) fn first_component(text: &str) -> Component {
    Document::parse(text.as_bytes())
        .unwrap()
        .components()
        .next()
        .unwrap()
        .clone()
}
