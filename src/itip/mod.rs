//! Scheduling logic (RFC 5546 / RFC 6638) on top of [`crate::ical`].

pub mod alarm;
pub mod delegation;
pub mod identity;
pub mod inspect;
pub mod inspect_types;
pub mod instance;
pub mod itip_message;
pub mod reply;
pub mod reply_options;
pub mod reply_scope;
pub mod schedule_status;
pub mod stamp;
pub mod zones;

pub use inspect::inspect;
pub use inspect_types::{
    AlarmSummary, AttendeeSummary, ComponentSummary, InspectOptions, Inspection,
};
pub use reply::attendee_reply;
pub use reply_options::{Addresses, AlarmSpec, PartStat, ReplyOptions, ReplyResult, Scope};
pub use schedule_status::{ScheduleStatus, StatusClass};
