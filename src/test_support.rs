//! Helpers shared by the unit tests in `src/` (compiled for tests only).

use crate::ical::{Component, Document, Property};

/// What a unit test returns: `?` works on our errors, strings and anything else that is an error.
pub(crate) type TestResult<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

/// One content line parsed as a property (line 1).
pub(crate) fn line(text: &str) -> TestResult<Property> {
    Ok(Property::parse(text, 1)?)
}

/// The first top-level component of `text` (the tests pass a bare VEVENT or a VCALENDAR).
pub(crate) fn first_component(text: &str) -> TestResult<Component> {
    Ok(Document::parse(text.as_bytes())?
        .components()
        .next()
        .ok_or("no top-level component")?
        .clone())
}
