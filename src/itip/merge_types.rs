//! The options and result of [`crate::itip::merge::merge`], as JS sees them (API.md "Merge").

use serde::{Deserialize, Serialize};

use crate::error::Warning;
use crate::ical::Limits;
pub use crate::itip::reply_options::Addresses;

/// Which role to merge in. `auto` (default) reads it from the copies: organizer when the
/// ORGANIZER is one of `me`, attendee when an ATTENDEE is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub enum RoleOption {
    /// Read the role from the copies.
    #[default]
    Auto,
    /// Merge as an attendee (`NOT_AN_ATTENDEE` / `IS_ORGANIZER` when `me` is not one).
    Attendee,
    /// Merge as the organizer.
    Organizer,
}

/// The role the merge was done in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub enum MergedRole {
    /// My attendee-owned changes were carried onto the server copy.
    Attendee,
    /// My edits were carried onto the server copy, keeping the attendees' replies.
    Organizer,
}

/// What to do with my answer when the organizer moved what I had answered (RFC 6638 §3.2.8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub enum OnReschedule {
    /// Keep the server's answer (NEEDS-ACTION after a reset), carry everything else, and ask:
    /// `needsConfirmation: true`.
    #[default]
    Ask,
    /// Re-apply my answer to the moved event.
    Keep,
    /// Leave the server's answer (NEEDS-ACTION) without asking.
    Reset,
}

/// Options of `merge`.
///
/// ```js
/// const r = merge({ local, server, base, me: "mailto:wilfredo@example.com" });
/// if (!r.unchanged && !r.needsConfirmation) await put(r.data, newScheduleTag);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct MergeOptions {
    /// The copy with the user's edit (the PUT that failed).
    pub local: String,
    /// The newer server copy (fresh GET).
    pub server: String,
    /// The copy the edit started from: enables a true three-way merge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub base: Option<String>,
    /// The user's address(es).
    pub me: Addresses,
    /// `auto` (default), `attendee` or `organizer`.
    #[serde(default)]
    pub role: RoleOption,
    /// `ask` (default), `keep` or `reset`.
    #[serde(default)]
    pub on_reschedule: OnReschedule,
    /// Extra properties personal to the user (kept from the local copy like alarms), e.g.
    /// `["COLOR", "CATEGORIES", "X-APPLE-*"]`; a trailing `*` is a prefix pattern. A name the
    /// organizer owns or that is part of the scheduling structure (DTSTART, SUMMARY, SEQUENCE,
    /// UID, ATTENDEE, ...), or a pattern covering one, is `INVALID_OPTION`.
    #[serde(default)]
    pub personal: Vec<String>,
    /// Parser limits applied to each copy.
    #[serde(default)]
    pub limits: Limits,
}

impl MergeOptions {
    /// Options with the defaults for everything but the three copies and `me`.
    pub fn new(local: &str, server: &str, base: Option<&str>, me: &str) -> MergeOptions {
        MergeOptions {
            local: local.to_string(),
            server: server.to_string(),
            base: base.map(str::to_string),
            me: Addresses::One(me.to_string()),
            role: RoleOption::Auto,
            on_reschedule: OnReschedule::Ask,
            personal: Vec::new(),
            limits: Limits::default(),
        }
    }
}

/// One reported change: which component, which instance, which property, and what happened in
/// words a UI can show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Change {
    /// `VEVENT`, `VTODO`, `VALARM`...
    pub component: String,
    /// The instance (RECURRENCE-ID as written), absent for the master / a single event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub recurrence_id: Option<String>,
    /// The property (or parameter, e.g. `PARTSTAT`), absent when a whole component is meant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub property: Option<String>,
    /// What happened, e.g. "your alarm (-PT15M) was kept".
    pub what: String,
}

/// The result of `merge`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct MergeResult {
    /// The merged copy to PUT (with the server's new tag): the server copy with the fewest lines
    /// changed; every line the merge did not touch is byte-identical to the server copy.
    pub data: String,
    /// The role the merge was done in.
    pub role: MergedRole,
    /// Local changes carried onto the server copy.
    pub kept: Vec<Change>,
    /// Local changes not carried (not allowed, instance gone, ...).
    pub dropped: Vec<Change>,
    /// Both sides changed the same thing, and what was chosen.
    pub conflicts: Vec<Change>,
    /// The organizer moved what the user had answered.
    pub rescheduled: bool,
    /// Ask the user before PUT.
    pub needs_confirmation: bool,
    /// The merged copy equals the server copy: nothing to PUT.
    pub unchanged: bool,
    /// Things tolerated.
    pub warnings: Vec<Warning>,
}
