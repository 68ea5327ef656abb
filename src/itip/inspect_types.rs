//! The options and the result of [`crate::itip::inspect::inspect`] (API.md "Interop"). These
//! cross to JS: camelCase keys, optional fields omitted when absent.

use serde::{Deserialize, Serialize};

use crate::error::Warning;
use crate::ical::Limits;
use crate::itip::identity::{Role, ScheduleAgent};
use crate::itip::reply_options::Addresses;
use crate::itip::schedule_status::ScheduleStatus;

/// Options of `inspect` (the calendar data travels separately as bytes).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct InspectOptions {
    /// My address, or all of them; without it the role is `none` and `myPartstat` absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub me: Option<Addresses>,
    /// Parser limits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub limits: Option<Limits>,
}

/// A plain summary of a scheduling object for a UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Inspection {
    /// The UID shared by the scheduling components.
    pub uid: String,
    /// My role: organizer when the ORGANIZER is mine, attendee when an ATTENDEE is mine.
    pub role: Role,
    /// The ORGANIZER address as written; absent when this is no scheduling object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub organizer: Option<String>,
    /// SCHEDULE-AGENT of the ORGANIZER (RFC 6638 §7.1): who sends an attendee's replies. For
    /// the organizer's own invitations each attendee's value is in `attendees[].scheduleAgent`.
    pub schedule_agent: ScheduleAgent,
    /// The VEVENT / VTODO / VJOURNAL components in document order: the master, then overrides.
    pub components: Vec<ComponentSummary>,
    /// Things tolerated or worth telling the user.
    pub warnings: Vec<Warning>,
}

/// One VEVENT, VTODO or VJOURNAL: the master or one overridden instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ComponentSummary {
    /// `VEVENT`, `VTODO` or `VJOURNAL`.
    #[serde(rename = "type")]
    pub kind: String,
    /// RECURRENCE-ID as written (e.g. `20270112T150000Z`); absent on the master.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub recurrence_id: Option<String>,
    /// DTSTART as written (e.g. `20270112T150000`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub start: Option<String>,
    /// The TZID of DTSTART, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub start_tzid: Option<String>,
    /// RRULE as written, on a recurring master.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub rrule: Option<String>,
    /// SEQUENCE (0 when absent or malformed).
    pub sequence: u32,
    /// SUMMARY, unescaped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub summary: Option<String>,
    /// STATUS in upper case (e.g. `CONFIRMED`, `CANCELLED`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub status: Option<String>,
    /// My PARTSTAT on this component (NEEDS-ACTION when the parameter is absent); absent when
    /// I am not listed here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub my_partstat: Option<String>,
    /// SCHEDULE-STATUS codes on this component's ORGANIZER (in an attendee's copy: did my reply
    /// reach the organizer), as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub organizer_schedule_status: Option<Vec<String>>,
    /// The same codes with their meaning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub organizer_schedule_status_details: Option<Vec<ScheduleStatus>>,
    /// Every ATTENDEE, in written order.
    pub attendees: Vec<AttendeeSummary>,
    /// The VALARMs of this component (in a user's copy, that user's alarms).
    pub alarms: Vec<AlarmSummary>,
}

/// One ATTENDEE line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct AttendeeSummary {
    /// The calendar-user address as written (`mailto:...`).
    pub address: String,
    /// CN, decoded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub cn: Option<String>,
    /// PARTSTAT in upper case; NEEDS-ACTION when absent (RFC 5545 §3.2.12 default).
    pub partstat: String,
    /// ROLE in upper case (e.g. `REQ-PARTICIPANT`, `CHAIR`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub role: Option<String>,
    /// Whether this line is one of `me`.
    pub is_me: bool,
    /// RSVP=TRUE: the organizer asks for an answer.
    pub rsvp: bool,
    /// SCHEDULE-AGENT of this attendee (who sends the organizer's messages to them), when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub schedule_agent: Option<ScheduleAgent>,
    /// DELEGATED-TO addresses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub delegated_to: Vec<String>,
    /// DELEGATED-FROM addresses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub delegated_from: Vec<String>,
    /// SCHEDULE-STATUS codes as written (`"2.0,2.4"` gives two).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub schedule_status: Option<Vec<String>>,
    /// The same codes with their meaning (RFC 6638 §3.2.9, RFC 5546 §3.6).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub schedule_status_details: Option<Vec<ScheduleStatus>>,
}

/// One VALARM.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct AlarmSummary {
    /// The RFC 9074 UID, when the alarm has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub uid: Option<String>,
    /// TRIGGER as written (`-PT15M`, `20270112T144500Z`).
    pub trigger: String,
    /// ACTION in upper case (`DISPLAY`, `AUDIO`, `EMAIL`...).
    pub action: String,
}
