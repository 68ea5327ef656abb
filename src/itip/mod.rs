//! Scheduling logic (RFC 5546 / RFC 6638) on top of [`crate::ical`].

pub mod alarm;
pub mod alarm_merge;
pub mod compare;
pub mod delegation;
pub mod identity;
pub mod inspect;
pub mod inspect_types;
pub mod instance;
pub mod instance_range;
pub mod itip_message;
pub mod merge;
pub mod merge_answer;
pub mod merge_attendee;
pub mod merge_calendar;
pub mod merge_components;
pub mod merge_copy;
pub mod merge_edit;
pub mod merge_exdate;
pub mod merge_line_endings;
pub mod merge_lines;
pub mod merge_organizer;
pub mod merge_params;
pub mod merge_report;
pub mod merge_types;
pub mod ownership;
pub mod period_instance;
pub mod reply;
pub mod reply_options;
pub mod reply_scope;
pub mod reschedule;
pub mod schedule_status;
pub mod stamp;
pub mod zones;

pub use inspect::inspect;
pub use inspect_types::{
    AlarmSummary, AttendeeSummary, ComponentSummary, InspectOptions, Inspection,
};
pub use merge::{merge, merge_owned};
pub use merge_types::{Change, MergeOptions, MergeResult, MergedRole, OnReschedule, RoleOption};
pub use reply::{attendee_reply, attendee_reply_input};
pub use reply_options::{Addresses, AlarmSpec, PartStat, ReplyOptions, ReplyResult, Scope};
pub use schedule_status::{ScheduleStatus, StatusClass};
