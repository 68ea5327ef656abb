//! Scheduling logic (RFC 5546 / RFC 6638) on top of [`crate::ical`].

pub mod alarm_merge;
pub mod compare;
pub mod identity;
pub mod instance;
pub mod merge_report;
pub mod merge_types;
pub mod ownership;
pub mod zones;
