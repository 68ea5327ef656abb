//! Scheduling logic (RFC 5546 / RFC 6638) on top of [`crate::ical`].

pub mod alarm;
pub mod delegation;
pub mod identity;
pub mod instance;
pub mod itip_message;
pub mod reply;
pub mod reply_options;
pub mod reply_scope;
pub mod stamp;
pub mod zones;

pub use reply::attendee_reply;
pub use reply_options::{Addresses, AlarmSpec, PartStat, ReplyOptions, ReplyResult, Scope};
