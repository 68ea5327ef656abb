//! Scheduling logic (RFC 5546 / RFC 6638) on top of [`crate::ical`].

pub mod identity;
pub mod instance;
pub mod zones;
