//! The options and the result of [`crate::itip::reply::attendee_reply`] (API.md "Attendee
//! reply"). These cross to JS: camelCase keys, optional fields omitted when absent.

use serde::{Deserialize, Serialize};

use crate::error::Warning;
use crate::ical::Limits;
use crate::itip::identity::ScheduleAgent;

/// One address or the principal's whole `calendar-user-address-set`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub enum Addresses {
    /// `me: "mailto:w@example.com"`.
    One(String),
    /// `me: ["mailto:w@example.com", "/principals/w/"]`.
    Many(Vec<String>),
}

/// What `me` must be, said whenever it is not.
const ADDRESSES_EXPECTED: &str = "`me`: a calendar-user address (string) or an array of them";

/// Read by its shape, a string or a list, in one pass. (serde's `untagged` tried the string
/// first and failed on a list: at the JS boundary a failed attempt is a JS `Error` with a
/// stack trace, which made an array `me` cost 6 µs more per call.)
impl<'de> Deserialize<'de> for Addresses {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_any(AddressesVisitor)
            .map_err(|_| serde::de::Error::custom(ADDRESSES_EXPECTED))
    }
}

struct AddressesVisitor;

impl<'de> serde::de::Visitor<'de> for AddressesVisitor {
    type Value = Addresses;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(ADDRESSES_EXPECTED)
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Addresses, E> {
        Ok(Addresses::One(v.to_string()))
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Addresses, E> {
        Ok(Addresses::One(v))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Addresses, A::Error> {
        let mut all = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(16));
        while let Some(address) = seq.next_element::<String>()? {
            all.push(address);
        }
        Ok(Addresses::Many(all))
    }
}

impl Addresses {
    /// The addresses as a list.
    pub fn to_vec(&self) -> Vec<String> {
        self.as_slice().to_vec()
    }

    /// The addresses as a slice, without copying them.
    pub fn as_slice(&self) -> &[String] {
        match self {
            Addresses::One(a) => std::slice::from_ref(a),
            Addresses::Many(v) => v,
        }
    }
}

/// The answer (RFC 5545 §3.2.12). COMPLETED and IN-PROCESS are for VTODO only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING-KEBAB-CASE")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub enum PartStat {
    Accepted,
    Declined,
    Tentative,
    Delegated,
    NeedsAction,
    Completed,
    InProcess,
}

impl PartStat {
    /// The PARTSTAT value as written.
    pub fn as_str(self) -> &'static str {
        match self {
            PartStat::Accepted => "ACCEPTED",
            PartStat::Declined => "DECLINED",
            PartStat::Tentative => "TENTATIVE",
            PartStat::Delegated => "DELEGATED",
            PartStat::NeedsAction => "NEEDS-ACTION",
            PartStat::Completed => "COMPLETED",
            PartStat::InProcess => "IN-PROCESS",
        }
    }
}

/// Which instances the answer is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub enum Scope {
    /// The whole series (the master and the overrides I have not answered differently).
    Series,
    /// One instance (`recurrenceId`).
    Instance,
    /// The instance `recurrenceId` and every later one.
    ThisAndFuture,
}

/// One alarm the user wants on the answered components (RFC 5545 §3.6.6, RFC 9074).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct AlarmSpec {
    /// A DURATION relative to the start (`-PT15M`) or an absolute UTC DATE-TIME
    /// (`20090602T154500Z`).
    pub trigger: String,
    /// `DISPLAY` (default), `AUDIO`, `EMAIL` or an `X-` name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub action: Option<String>,
    /// The text shown (DISPLAY) or mailed (EMAIL); default "Reminder".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub description: Option<String>,
    /// The RFC 9074 UID; generated when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub uid: Option<String>,
}

/// Options of `attendeeReply` (the calendar data travels separately as bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ReplyOptions {
    /// My address, or all of them.
    pub me: Addresses,
    /// The answer.
    pub partstat: PartStat,
    /// The original start of one instance, e.g. `20090609T160000Z`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub recurrence_id: Option<String>,
    /// Default: `instance` with `recurrenceId`, else `series`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub scope: Option<Scope>,
    /// A note to the organizer (goes into the iTIP REPLY only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub comment: Option<String>,
    /// The delegates, with partstat `DELEGATED`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub delegate_to: Option<Vec<String>>,
    /// The user's alarms on the answered components; absent keeps the alarms as they are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub alarms: Option<Vec<AlarmSpec>>,
    /// The current time as a UTC DATE-TIME (`20090602T185754Z` or ISO 8601 with `Z`). The core
    /// has no clock: the JS boundary fills it in when the caller leaves it out (read as empty
    /// when absent, `null` or `undefined`).
    #[serde(default, deserialize_with = "absent_as_empty")]
    pub now: String,
    /// Someone answering on my behalf (RFC 5545 §3.2.18): written as SENT-BY on my ATTENDEE.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub sent_by: Option<String>,
    /// VTODO only: my progress, 0-100 (PERCENT-COMPLETE, RFC 5545 §3.8.1.8).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub percent_complete: Option<u8>,
    /// Ask the server to send the REPLY even if the answer did not change (a re-send): writes
    /// `SCHEDULE-FORCE-SEND=REPLY` on the ORGANIZER of the answered components (RFC 6638 §7.2,
    /// §3.2.7). The server acts on it and strips it; it is ignored (with a warning) when the
    /// client itself sends replies (SCHEDULE-AGENT=CLIENT), since `itip` is built anyway.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub force_send: Option<bool>,
    /// Parser limits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub limits: Option<Limits>,
}

impl ReplyOptions {
    /// Options with only the required fields set.
    pub fn new(me: &[&str], partstat: PartStat, now: &str) -> ReplyOptions {
        ReplyOptions {
            me: Addresses::Many(me.iter().map(|s| s.to_string()).collect()),
            partstat,
            recurrence_id: None,
            scope: None,
            comment: None,
            delegate_to: None,
            alarms: None,
            now: now.to_string(),
            sent_by: None,
            percent_complete: None,
            force_send: None,
            limits: None,
        }
    }
}

/// The result of `attendeeReply`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ReplyResult {
    /// The copy to PUT back: every line the call did not mean to change is byte-identical.
    pub data: String,
    /// The METHOD:REPLY to send when the client must (SCHEDULE-AGENT=CLIENT), else `null`.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string | null"))]
    pub itip: Option<String>,
    /// When I delegate and the client sends the messages itself (SCHEDULE-AGENT=CLIENT): the
    /// METHOD:REQUEST to forward to the delegates in `delegateTo` (RFC 5546 §3.2.2.3, §4.2.5).
    /// Absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub forward: Option<String>,
    /// Who sends the reply: the server, the client (see `itip`), or nobody.
    pub schedule_agent: ScheduleAgent,
    /// Whether `data` differs from the input.
    pub changed: bool,
    /// Things tolerated or worth telling the user.
    pub warnings: Vec<Warning>,
}

/// A string that may be absent, `null` or `undefined` (read as empty).
fn absent_as_empty<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(d)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::TestResult;

    #[test]
    fn me_is_read_from_a_string_or_a_list_and_anything_else_says_what_me_must_be() -> TestResult {
        let one: Addresses = serde_json::from_str(r#""mailto:w@example.com""#)?;
        assert_eq!(one, Addresses::One("mailto:w@example.com".into()));
        let many: Addresses = serde_json::from_str(r#"["mailto:w@example.com", "/p/w/"]"#)?;
        assert_eq!(many.as_slice(), ["mailto:w@example.com", "/p/w/"]);
        let none: Addresses = serde_json::from_str("[]")?;
        assert!(none.as_slice().is_empty());
        for wrong in [
            "5",
            "null",
            "true",
            r#"{"a": 1}"#,
            r#"["mailto:w@example.com", 5]"#,
        ] {
            let message = serde_json::from_str::<Addresses>(wrong)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(
                message.starts_with(ADDRESSES_EXPECTED),
                "{wrong}: {message}"
            );
        }
        Ok(())
    }
}
