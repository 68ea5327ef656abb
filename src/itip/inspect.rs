//! `inspect`: a plain summary of a scheduling object for a UI (API.md "Interop"): the UID, my
//! role, the organizer and SCHEDULE-AGENT, and for the master and every overridden instance its
//! start, SEQUENCE, SUMMARY, STATUS, my answer, every attendee with PARTSTAT and SCHEDULE-STATUS
//! (with its meaning, [`crate::itip::schedule_status`]) and the alarms.
//!
//! It reads and never changes anything; it is tolerant where a UI should still show something:
//! an object without ORGANIZER gives role `none` and no organizer, a malformed SEQUENCE reads as
//! 0, and oddities become warnings (`BAD_SEQUENCE`, `BAD_SCHEDULE_STATUS`,
//! `UNKNOWN_SCHEDULE_AGENT`, `UNKNOWN_TZID`, `BAD_DATE_TIME`, `NOT_AN_INSTANCE` for an override
//! whose RECURRENCE-ID is no instance of its master's RRULE/RDATE minus EXDATE). Only data that
//! does not parse (`PARSE`), has no VEVENT/VTODO/VJOURNAL or UID (`PARSE`), or mixes UIDs
//! (`UID_MISMATCH`, RFC 4791 §4.1) is an error, as is a bad `me` (`INVALID_OPTION`).

use crate::error::{Error, ErrorCode, Result, Warning};
use crate::ical::{Component, Document, Property};
use crate::itip::identity::{
    organizer, role, schedule_agent, scheduling_components, uid, Me, Role,
};
use crate::itip::inspect_types::{
    AlarmSummary, AttendeeSummary, ComponentSummary, InspectOptions, Inspection,
};
use crate::itip::instance::{find_instance_in, instance_key_in, master_of};
use crate::itip::reply_scope::my_partstat;
use crate::itip::schedule_status::schedule_statuses;
use crate::itip::zones::{read_time, time_zones, TimeZone};

/// Summarises the scheduling object `input` (see the module documentation).
///
/// ```js
/// const { role, components } = inspect({ data: ics, me: "mailto:wilfredo@example.com" });
/// components[0].myPartstat;                        // "NEEDS-ACTION"
/// components[0].attendees[1].scheduleStatusDetails; // [{ code: "1.2", meaning: "delivered", ... }]
/// ```
pub fn inspect(input: &[u8], options: &InspectOptions) -> Result<Inspection> {
    let me = match &options.me {
        Some(addresses) => Some(Me::new(&addresses.to_vec())?),
        None => None,
    };
    let limits = options.limits.unwrap_or_default();
    let doc = Document::parse_with(input, &limits)?;
    let calendar = doc
        .calendar()
        .ok_or_else(|| Error::new(ErrorCode::Parse, "no VCALENDAR in the data"))?;
    let uid = uid(calendar)?.to_string();
    let mut warnings = Vec::new();
    let org = organizer(calendar);
    let agent = schedule_agent(org, &mut warnings);
    let zones = time_zones(calendar);
    let components = scheduling_components(calendar)
        .map(|c| summarise(c, calendar, &zones, me.as_ref(), &mut warnings))
        .collect();
    Ok(Inspection {
        uid,
        role: me.as_ref().map_or(Role::None, |me| role(calendar, me)),
        organizer: org.map(|o| o.value().to_string()),
        schedule_agent: agent,
        components,
        warnings,
    })
}

/// The summary of one scheduling component.
fn summarise(
    component: &Component,
    calendar: &Component,
    zones: &[TimeZone],
    me: Option<&Me>,
    warnings: &mut Vec<Warning>,
) -> ComponentSummary {
    let dtstart = component.property("DTSTART");
    if let Some(p) = dtstart {
        check_time(p, zones, warnings);
    }
    check_override(component, calendar, zones, warnings);
    let organizer_statuses = component
        .property("ORGANIZER")
        .and_then(|o| schedule_statuses(o, warnings));
    ComponentSummary {
        kind: component.name().to_ascii_uppercase(),
        recurrence_id: component
            .value_of("RECURRENCE-ID")
            .map(|v| v.trim().to_string()),
        start: dtstart.map(|p| p.value().trim().to_string()),
        start_tzid: dtstart.and_then(|p| p.param_value("TZID")),
        rrule: component.value_of("RRULE").map(str::to_string),
        sequence: sequence(component, warnings),
        summary: component.property("SUMMARY").map(Property::text_value),
        status: component
            .value_of("STATUS")
            .map(|s| s.trim().to_ascii_uppercase()),
        my_partstat: me.and_then(|me| my_partstat(component, me)),
        organizer_schedule_status: organizer_statuses
            .as_ref()
            .map(|v| v.iter().map(|s| s.code.clone()).collect()),
        organizer_schedule_status_details: organizer_statuses,
        attendees: component
            .properties_named("ATTENDEE")
            .map(|a| attendee(a, me, warnings))
            .collect(),
        alarms: component
            .components_named("VALARM")
            .map(|a| AlarmSummary {
                uid: a.value_of("UID").map(|u| u.trim().to_string()),
                trigger: a.value_of("TRIGGER").unwrap_or_default().trim().to_string(),
                action: a
                    .value_of("ACTION")
                    .unwrap_or_default()
                    .trim()
                    .to_ascii_uppercase(),
            })
            .collect(),
    }
}

/// One ATTENDEE line.
fn attendee(a: &Property, me: Option<&Me>, warnings: &mut Vec<Warning>) -> AttendeeSummary {
    let upper = |name: &str| a.param_value(name).map(|v| v.trim().to_ascii_uppercase());
    let statuses = schedule_statuses(a, warnings);
    AttendeeSummary {
        address: a.value().trim().to_string(),
        cn: a.param_value("CN"),
        partstat: upper("PARTSTAT").unwrap_or_else(|| "NEEDS-ACTION".to_string()),
        role: upper("ROLE"),
        is_me: me.is_some_and(|me| me.is(a)),
        rsvp: upper("RSVP").as_deref() == Some("TRUE"),
        schedule_agent: a
            .param("SCHEDULE-AGENT")
            .map(|_| schedule_agent(Some(a), warnings)),
        delegated_to: a.param_values("DELEGATED-TO"),
        delegated_from: a.param_values("DELEGATED-FROM"),
        schedule_status: statuses
            .as_ref()
            .map(|v| v.iter().map(|s| s.code.clone()).collect()),
        schedule_status_details: statuses,
    }
}

/// SEQUENCE as a non-negative integer (RFC 5545 §3.8.7.4); 0 when absent, 0 and a
/// `BAD_SEQUENCE` warning when malformed.
fn sequence(component: &Component, warnings: &mut Vec<Warning>) -> u32 {
    let Some(p) = component.property("SEQUENCE") else {
        return 0;
    };
    let text = p.value().trim();
    let digits = text.strip_prefix('+').unwrap_or(text);
    match digits.parse::<u32>() {
        Ok(n) if digits.bytes().all(|b| b.is_ascii_digit()) => n,
        _ => {
            warnings.push(Warning::new(
                "BAD_SEQUENCE",
                format!("SEQUENCE {text:?} is not a non-negative integer; read as 0"),
                Some(p.line()),
            ));
            0
        }
    }
}

/// Reads a DATE / DATE-TIME in the object's zones only to report what a UI cannot show right:
/// an unknown TZID (read as floating) or a malformed value.
fn check_time(p: &Property, zones: &[TimeZone], warnings: &mut Vec<Warning>) {
    match read_time(p, zones) {
        Ok((_, Some(w))) => warnings.push(w),
        Ok((_, None)) => {}
        Err(e) => warnings.push(Warning::new("BAD_DATE_TIME", e.message, e.line)),
    }
}

/// Warns about an override whose RECURRENCE-ID is malformed or names no instance of its master.
/// When expansion limits stop the search before an answer, nothing is said.
fn check_override(
    component: &Component,
    calendar: &Component,
    zones: &[TimeZone],
    warnings: &mut Vec<Warning>,
) {
    let Some(rid) = component.property("RECURRENCE-ID") else {
        return;
    };
    let key = match instance_key_in(component, calendar, zones) {
        Ok(Some(key)) => key,
        Ok(None) => return,
        Err(e) => {
            warnings.push(Warning::new("BAD_DATE_TIME", e.message, e.line));
            return;
        }
    };
    let Some(master) = master_of(calendar, key.uid(), component.name()) else {
        return; // invited to this instance only: there is no series to check against
    };
    if let Ok(None) = find_instance_in(master, zones, &key) {
        warnings.push(Warning::new(
            "NOT_AN_INSTANCE",
            format!(
                "RECURRENCE-ID {} names no instance of the series (its RRULE or RDATE does \
                 not give it, or an EXDATE removes it)",
                rid.value().trim()
            ),
            Some(rid.line()),
        ));
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::itip::identity::ScheduleAgent;
    use crate::itip::reply_options::Addresses;
    use crate::itip::schedule_status::StatusClass;

    use crate::test_support::TestResult;

    /// The organizer's copy after the server delivered the invitation (RFC 6638 Appendix B.1
    /// style), with one overridden instance that bernard declined.
    const ORGANIZER_COPY: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\nBEGIN:VTIMEZONE\r\nTZID:Europe/Vienna\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\nBEGIN:DAYLIGHT\r\nDTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\nBEGIN:VEVENT\r\nUID:weekly-1@example.com\r\nDTSTAMP:20270101T000000Z\r\nDTSTART;TZID=Europe/Vienna:20270112T150000\r\nDURATION:PT1H\r\nRRULE:FREQ=WEEKLY;COUNT=10\r\nSEQUENCE:2\r\nSUMMARY:Weekly\\, sync\r\nSTATUS:confirmed\r\nORGANIZER;CN=Cyrus:mailto:cyrus@example.com\r\nATTENDEE;CN=Cyrus;PARTSTAT=ACCEPTED;ROLE=CHAIR:mailto:cyrus@example.com\r\nATTENDEE;CN=Wilfredo;PARTSTAT=ACCEPTED;RSVP=TRUE;SCHEDULE-STATUS=\"2.0,2.4\":mailto:wilfredo@example.com\r\nATTENDEE;CN=Bernard;RSVP=TRUE;SCHEDULE-STATUS=1.2:mailto:bernard@example.com\r\nATTENDEE;SCHEDULE-AGENT=CLIENT:mailto:mike@example.org\r\nATTENDEE;SCHEDULE-STATUS=3.7:mailto:nobody@example.com\r\nBEGIN:VALARM\r\nUID:a1\r\nTRIGGER:-PT15M\r\nACTION:display\r\nDESCRIPTION:soon\r\nEND:VALARM\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:weekly-1@example.com\r\nDTSTAMP:20270101T000000Z\r\nRECURRENCE-ID;TZID=Europe/Vienna:20270119T150000\r\nDTSTART;TZID=Europe/Vienna:20270119T160000\r\nDURATION:PT1H\r\nSEQUENCE:3\r\nSUMMARY:Weekly (moved)\r\nORGANIZER;CN=Cyrus:mailto:cyrus@example.com\r\nATTENDEE;CN=Cyrus;PARTSTAT=ACCEPTED;ROLE=CHAIR:mailto:cyrus@example.com\r\nATTENDEE;PARTSTAT=DECLINED;SCHEDULE-STATUS=5.1:mailto:bernard@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

    fn options(me: Option<&[&str]>) -> InspectOptions {
        InspectOptions {
            me: me.map(|m| Addresses::Many(m.iter().map(|s| s.to_string()).collect())),
            limits: None,
        }
    }

    #[test]
    fn organizer_copy_with_an_override() -> TestResult {
        let r = inspect(
            ORGANIZER_COPY.as_bytes(),
            &options(Some(&["MAILTO:Cyrus@Example.com"])),
        )?;
        assert_eq!(r.uid, "weekly-1@example.com");
        assert_eq!(r.role, Role::Organizer);
        assert_eq!(r.organizer.as_deref(), Some("mailto:cyrus@example.com"));
        assert_eq!(r.schedule_agent, ScheduleAgent::Server);
        assert_eq!(r.warnings, []);
        assert_eq!(r.components.len(), 2);

        let master = &r.components[0];
        assert_eq!(master.kind, "VEVENT");
        assert_eq!(master.recurrence_id, None);
        assert_eq!(master.start.as_deref(), Some("20270112T150000"));
        assert_eq!(master.start_tzid.as_deref(), Some("Europe/Vienna"));
        assert_eq!(master.rrule.as_deref(), Some("FREQ=WEEKLY;COUNT=10"));
        assert_eq!(master.sequence, 2);
        assert_eq!(master.summary.as_deref(), Some("Weekly, sync"));
        assert_eq!(master.status.as_deref(), Some("CONFIRMED"));
        assert_eq!(master.my_partstat.as_deref(), Some("ACCEPTED"));
        assert_eq!(master.organizer_schedule_status, None);
        let a = &master.attendees;
        assert_eq!(a.len(), 5);
        assert!(a[0].is_me && !a[1].is_me);
        assert_eq!(a[0].role.as_deref(), Some("CHAIR"));
        assert_eq!(a[1].cn.as_deref(), Some("Wilfredo"));
        assert!(a[1].rsvp);
        assert_eq!(
            a[1].schedule_status
                .as_deref()
                .ok_or("no SCHEDULE-STATUS")?,
            ["2.0", "2.4"]
        );
        let details = a[1]
            .schedule_status_details
            .as_ref()
            .ok_or("no SCHEDULE-STATUS details")?;
        assert_eq!(details[0].meaning, "success");
        assert!(details[1].meaning.contains("non-standard property"));
        // No PARTSTAT means NEEDS-ACTION (RFC 5545 §3.2.12).
        assert_eq!(a[2].partstat, "NEEDS-ACTION");
        assert_eq!(
            a[2].schedule_status_details
                .as_ref()
                .ok_or("no SCHEDULE-STATUS details")?[0]
                .meaning,
            "delivered"
        );
        assert_eq!(a[3].schedule_agent, Some(ScheduleAgent::Client));
        assert_eq!(a[3].schedule_status, None);
        assert_eq!(a[1].schedule_agent, None);
        let invalid = &a[4]
            .schedule_status_details
            .as_ref()
            .ok_or("no SCHEDULE-STATUS details")?[0];
        assert!(invalid.failed);
        assert_eq!(invalid.class, StatusClass::ClientError);
        assert!(invalid.meaning.contains("not a valid calendar user"));
        assert_eq!(master.alarms.len(), 1);
        assert_eq!(master.alarms[0].uid.as_deref(), Some("a1"));
        assert_eq!(master.alarms[0].trigger, "-PT15M");
        assert_eq!(master.alarms[0].action, "DISPLAY");

        let over = &r.components[1];
        assert_eq!(over.recurrence_id.as_deref(), Some("20270119T150000"));
        assert_eq!(over.start.as_deref(), Some("20270119T160000"));
        assert_eq!(over.sequence, 3);
        assert_eq!(over.rrule, None);
        assert_eq!(over.attendees[1].partstat, "DECLINED");
        let retry = &over.attendees[1]
            .schedule_status_details
            .as_ref()
            .ok_or("no SCHEDULE-STATUS details")?[0];
        assert!(retry.failed && retry.meaning.contains("temporary"));
        assert!(over.alarms.is_empty());
        Ok(())
    }

    #[test]
    fn attendee_copy_shows_my_answer_per_instance_and_the_reply_delivery() -> TestResult {
        let text = ORGANIZER_COPY.replace(
            "ORGANIZER;CN=Cyrus:mailto:cyrus@example.com\r\nATTENDEE;CN=Cyrus;PARTSTAT=ACCEPTED;ROLE=CHAIR:mailto:cyrus@example.com\r\nATTENDEE;PARTSTAT=DECLINED",
            "ORGANIZER;CN=Cyrus;SCHEDULE-STATUS=1.2:mailto:cyrus@example.com\r\nATTENDEE;CN=Cyrus;PARTSTAT=ACCEPTED;ROLE=CHAIR:mailto:cyrus@example.com\r\nATTENDEE;PARTSTAT=DECLINED",
        );
        let r = inspect(
            text.as_bytes(),
            &options(Some(&[
                "/principals/bernard/",
                "mailto:bernard@example.com",
            ])),
        )?;
        assert_eq!(r.role, Role::Attendee);
        let mine: Vec<_> = r
            .components
            .iter()
            .map(|c| c.my_partstat.as_deref())
            .collect();
        assert_eq!(mine, [Some("NEEDS-ACTION"), Some("DECLINED")]);
        assert_eq!(r.components[0].organizer_schedule_status, None);
        assert_eq!(
            r.components[1]
                .organizer_schedule_status
                .as_deref()
                .ok_or("no SCHEDULE-STATUS on the ORGANIZER")?,
            ["1.2"]
        );
        assert_eq!(
            r.components[1]
                .organizer_schedule_status_details
                .as_ref()
                .ok_or("no SCHEDULE-STATUS details on the ORGANIZER")?[0]
                .meaning,
            "delivered"
        );
        assert!(r.components[1].attendees[1].is_me);
        Ok(())
    }

    #[test]
    fn without_me_or_organizer_the_role_is_none() -> TestResult {
        let r = inspect(ORGANIZER_COPY.as_bytes(), &options(None))?;
        assert_eq!(r.role, Role::None);
        assert!(r.components.iter().all(|c| c.my_partstat.is_none()));
        assert!(r.components[0].attendees.iter().all(|a| !a.is_me));
        let plain = "BEGIN:VCALENDAR\r\nBEGIN:VTODO\r\nUID:t\r\nSUMMARY:Milk\r\nEND:VTODO\r\nEND:VCALENDAR\r\n";
        let r = inspect(plain.as_bytes(), &options(Some(&["mailto:a@x"])))?;
        assert_eq!(r.role, Role::None);
        assert_eq!(r.organizer, None);
        assert_eq!(r.schedule_agent, ScheduleAgent::Server);
        assert_eq!(r.components[0].kind, "VTODO");
        assert_eq!(r.components[0].sequence, 0);
        assert_eq!(r.components[0].start, None);
        assert_eq!(r.components[0].my_partstat, None);
        Ok(())
    }

    #[test]
    fn oddities_are_warnings_with_lines() -> TestResult {
        let text = ORGANIZER_COPY
            .replace("SEQUENCE:2", "SEQUENCE:two")
            .replace(
                "ORGANIZER;CN=Cyrus:mailto:cyrus@example.com\r\nATTENDEE;CN=Cyrus;PARTSTAT=ACCEPTED;ROLE=CHAIR:mailto:cyrus@example.com\r\nATTENDEE;CN=Wilfredo",
                "ORGANIZER;CN=Cyrus;SCHEDULE-AGENT=X-MINE:mailto:cyrus@example.com\r\nATTENDEE;CN=Cyrus;PARTSTAT=ACCEPTED;ROLE=CHAIR:mailto:cyrus@example.com\r\nATTENDEE;CN=Wilfredo",
            )
            .replace("SCHEDULE-STATUS=1.2", "SCHEDULE-STATUS=ok")
            .replace("RECURRENCE-ID;TZID=Europe/Vienna:20270119T150000", "RECURRENCE-ID;TZID=Europe/Vienna:20270119T170000")
            .replace("DTSTART;TZID=Europe/Vienna:20270119T160000", "DTSTART;TZID=Mars/Olympus:20270119T160000");
        let r = inspect(text.as_bytes(), &options(None))?;
        let codes: Vec<_> = r.warnings.iter().map(|w| w.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "UNKNOWN_SCHEDULE_AGENT",
                "BAD_SEQUENCE",
                "BAD_SCHEDULE_STATUS",
                "UNKNOWN_TZID",
                "NOT_AN_INSTANCE"
            ]
        );
        assert!(
            r.warnings.iter().all(|w| w.line.is_some()),
            "{:?}",
            r.warnings
        );
        assert_eq!(r.schedule_agent, ScheduleAgent::None);
        assert_eq!(r.components[0].sequence, 0);
        let line = |needle: &str| {
            text.split("\r\n")
                .position(|l| l.starts_with(needle))
                .map(|i| i + 1)
        };
        let sequence = line("SEQUENCE:two").ok_or("no SEQUENCE line")?;
        let recurrence_id = line("RECURRENCE-ID").ok_or("no RECURRENCE-ID line")?;
        assert_eq!(r.warnings[1].line, Some(sequence));
        assert_eq!(r.warnings[4].line, Some(recurrence_id));
        Ok(())
    }

    #[test]
    fn bad_input_and_bad_me_are_errors() -> TestResult {
        let e = inspect(b"BEGIN:VCALENDAR\r\n", &options(None))
            .err()
            .ok_or("expected an error")?;
        assert_eq!(e.code, ErrorCode::Parse);
        let e = inspect(
            b"BEGIN:VCALENDAR\r\nBEGIN:VTIMEZONE\r\nTZID:x\r\nEND:VTIMEZONE\r\nEND:VCALENDAR\r\n",
            &options(None),
        )
        .err()
        .ok_or("expected an error")?;
        assert_eq!(e.code, ErrorCode::Parse);
        let mixed = ORGANIZER_COPY.replacen(
            "UID:weekly-1@example.com\r\nDTSTAMP:20270101T000000Z\r\nRECURRENCE-ID",
            "UID:other\r\nDTSTAMP:20270101T000000Z\r\nRECURRENCE-ID",
            1,
        );
        assert_eq!(
            inspect(mixed.as_bytes(), &options(None))
                .err()
                .ok_or("expected an error")?
                .code,
            ErrorCode::UidMismatch
        );
        assert_eq!(
            inspect(ORGANIZER_COPY.as_bytes(), &options(Some(&[])))
                .err()
                .ok_or("expected an error")?
                .code,
            ErrorCode::InvalidOption
        );
        let e = inspect(
            ORGANIZER_COPY.as_bytes(),
            &InspectOptions {
                me: None,
                limits: Some(crate::ical::Limits {
                    max_bytes: 100,
                    ..Default::default()
                }),
            },
        )
        .err()
        .ok_or("expected an error")?;
        assert_eq!(e.code, ErrorCode::TooLarge);
        Ok(())
    }
}
