//! `merge`: reconcile a local edit with the newer server copy after a 412, instance by instance,
//! and say what happened (RFC 6638 §3.2.2.1, §3.2.8, §3.2.10; PROTOCOL.md §2, §5, §10).
//!
//! The output is the server copy with the fewest lines changed: every line the merge does not
//! touch is byte-identical to the server copy. Components are matched by (name, RECURRENCE-ID
//! as an instant), so TZID, UTC and DATE spellings of one occurrence are one slot.
//!
//! - **Attendee role**: the server copy plus my attendee-owned changes ([`super::ownership`]).
//!   With `base`, "my changes" are what differs from base; without, my attendee-owned values
//!   that differ from the server's. Organizer-owned edits are never carried; they are reported
//!   in `dropped` only with a base (without one a difference cannot be attributed: it is
//!   usually the organizer's newer value). A reschedule (the organizer moved what I answered
//!   and the server reset my answer) goes through `onReschedule`; a cancelled component never
//!   gets an acceptance back; a server copy with a lower SEQUENCE than base (or, as attendee
//!   without base, than mine) is reported and not merged over.
//! - **Organizer role**: my edits (three-way against base, or everything that differs without
//!   one) over the server copy, keeping the attendees' replies (PARTSTAT, RSVP, SCHEDULE-STATUS)
//!   unless I changed that attendee; both sides changing one thing is a conflict, mine chosen.
//! - **Unknown components** (X- or IANA, in a component or at the top): never dropped
//!   silently (RFC 5545 §3.6). The organizer's additions and removals are carried; the
//!   attendee's only when personal, else reported ([`super::merge_components`]).

use crate::error::{Error, ErrorCode, Result, Warning};
use crate::ical::{Component, Document, Input, Limits};

use super::identity::{
    check_one_organizer, is_scheduling_component, organizer, role, schedule_agent, uid, Me, Role,
};
use super::merge_attendee::{merge_as_attendee, Ctx};
use super::merge_calendar::merge_calendar_properties;
use super::merge_components::{is_other_in_calendar, merge_other_components, Rules};
use super::merge_copy::Copy;
use super::merge_edit::ensure_time_zone;
use super::merge_organizer::merge_as_organizer;
use super::merge_report::{Place, Report};
use super::merge_types::{MergeOptions, MergeResult, MergedRole, RoleOption};
use super::ownership::Ownership;

/// Merges `options.local` (the user's edit) onto `options.server` (the newer copy).
///
/// ```js
/// const r = merge({ local, server, base, me: "mailto:wilfredo@example.com" });
/// // r.kept / r.dropped / r.conflicts say what happened; PUT r.data unless r.unchanged.
/// ```
///
/// Errors: `PARSE` / `TOO_LARGE` for a bad copy (the message names which), `UID_MISMATCH` when
/// the copies are not the same object, `NOT_AN_ATTENDEE` / `IS_ORGANIZER` when the role cannot
/// be the one asked for, `INVALID_OPTION` / `UNSAFE_VALUE` for a bad `me`, `INVALID_OPTION` for a
/// `personal` name that is not the user's to keep ([`super::ownership::check_personal`]).
pub fn merge(options: &MergeOptions) -> Result<MergeResult> {
    let (local, server) = (options.local.clone(), options.server.clone());
    merge_copies(options, local, server, options.base.clone())
}

/// [`merge`] that takes the copies out of `options` instead of copying them (the JS boundary
/// hands them over: megabytes each).
pub fn merge_owned(mut options: MergeOptions) -> Result<MergeResult> {
    let local = std::mem::take(&mut options.local);
    let server = std::mem::take(&mut options.server);
    let base = options.base.take();
    merge_copies(&options, local, server, base)
}

/// [`merge`] of the three copies, given apart from the rest of the options.
fn merge_copies(
    options: &MergeOptions,
    local: String,
    server: String,
    base: Option<String>,
) -> Result<MergeResult> {
    let me = Me::new(&options.me.to_vec())?;
    super::ownership::check_personal(&options.personal)?;
    let own = Ownership::new(&options.personal);
    // Lines carried from the local copy keep their bytes: they are new lines of the output, so
    // they end in CRLF like every line the merge writes (RFC 5545 §3.1). A bare CR is a line
    // break in every copy, so that the same object reads the same on every side.
    let local = super::merge_line_endings::with_crlf(local);
    // Reading the server copy rewrites a bare CR: the output then differs from the copy as
    // given, so it is never `unchanged` (which means "equal to the server copy", as the fuzz
    // target checks).
    let server_as_given = !super::merge_line_endings::has_bare_cr(&server);
    let server = super::merge_line_endings::bare_cr_as_crlf(server);
    let base = base.map(super::merge_line_endings::bare_cr_as_crlf);
    let local_doc = parse_copy("local", local, &options.limits)?;
    let server_doc = parse_copy("server", server, &options.limits)?;
    let base_doc = match base {
        Some(b) => Some(parse_copy("base", b, &options.limits)?),
        None => None,
    };
    let local_cal = calendar_of("local", &local_doc)?;
    let server_cal = calendar_of("server", &server_doc)?;
    let base_cal = match &base_doc {
        Some(d) => Some(calendar_of("base", d)?),
        None => None,
    };
    let the_uid = uid(server_cal)?;
    for (which, cal) in [("local", Some(local_cal)), ("base", base_cal)] {
        if let Some(cal) = cal {
            let other = uid(cal)?;
            if other != the_uid {
                return Err(Error::new(
                    ErrorCode::UidMismatch,
                    format!(
                        "the {which} copy has UID {other} but the server copy has UID {the_uid}: \
                         they are not the same object"
                    ),
                ));
            }
        }
    }
    // One ORGANIZER per object (RFC 6638 §3.1): a second one, e.g. on a forged override, would
    // carry my answer and alarms to someone else's instance.
    for (which, cal) in [
        ("server", Some(server_cal)),
        ("local", Some(local_cal)),
        ("base", base_cal),
    ] {
        if let Some(cal) = cal {
            check_one_organizer(cal).map_err(|mut e| {
                e.message = format!("the {which} copy: {}", e.message);
                e
            })?;
        }
    }
    let mut report = Report::default();
    let merged_role = resolve_role(options.role, server_cal, local_cal, &me, &mut report)?;

    let local = Copy::new(local_cal)?;
    let server = Copy::sharing_zones(server_cal, &[&local])?;
    let base = match base_cal {
        Some(c) => Some(Copy::sharing_zones(c, &[&server, &local])?),
        None => None,
    };

    // A server copy older than the one the edit started from is reported, not merged over
    // (RFC 5546 §2.1.5, §4.7.2 case 1).
    let stale_against = match (&base, merged_role) {
        (Some(b), _) => Some(("the copy your edit started from", b.sequence())),
        (None, MergedRole::Attendee) => Some(("your copy", local.sequence())),
        (None, MergedRole::Organizer) => None,
    };
    if let Some((what, seq)) = stale_against {
        if server.sequence() < seq {
            let mut stale = stale_result(
                server_doc.to_text().unwrap_or_default(),
                merged_role,
                server_cal,
                what,
                seq,
                server.sequence(),
                report,
            );
            // As read: not the copy as given when reading rewrote a bare CR.
            stale.unchanged = server_as_given;
            return Ok(stale);
        }
    }

    let ctx = Ctx {
        me: &me,
        own: &own,
        on_reschedule: options.on_reschedule,
        uid: the_uid,
    };
    let mut out = server_doc.clone();
    let Some(out_cal) = out.calendar_mut() else {
        return Err(Error::new(ErrorCode::Parse, "server copy: no VCALENDAR"));
    };
    match merged_role {
        MergedRole::Attendee => {
            merge_as_attendee(out_cal, &local, &server, base.as_ref(), &ctx, &mut report)?
        }
        MergedRole::Organizer => {
            merge_as_organizer(out_cal, &local, &server, base.as_ref(), &ctx, &mut report)
        }
    }
    merge_calendar_properties(
        out_cal,
        local_cal,
        base_cal,
        merged_role == MergedRole::Organizer,
        &own,
        &mut report,
    );
    // X- and other unknown top-level components (RFC 5545 §3.6: never dropped silently).
    let rules = Rules {
        own: &own,
        organizer: merged_role == MergedRole::Organizer,
    };
    merge_other_components(
        out_cal,
        local_cal,
        base_cal,
        is_other_in_calendar,
        &rules,
        &Place::calendar(),
        &mut report,
    );
    carry_time_zones(out_cal, local_cal);
    // An unknown SCHEDULE-AGENT is tolerated with a warning, as attendeeReply and inspect do
    // (RFC 6638 §7.1: the server then sends nothing for that line).
    schedule_agent(organizer(out_cal), &mut report.warnings);
    // RFC 4791 §4.1: a calendar object resource MUST NOT have METHOD; a server that stored an
    // inbox item as sent still has it, and a PUT with it is refused (403
    // valid-calendar-object-resource, VECTORS T29).
    if out_cal.remove_properties(|p| p.is("METHOD")) > 0 {
        report.warnings.push(Warning::new(
            "METHOD_REMOVED",
            "removed METHOD: a stored calendar object resource must not have one (RFC 4791 §4.1)",
            None,
        ));
    }
    // Written as text: every line comes from a copy that is text, so no check is needed.
    let text = match out.to_text() {
        Some(text) => text,
        None => String::from_utf8(out.to_bytes()).map_err(|_| {
            Error::new(
                ErrorCode::Parse,
                "the merged copy is not UTF-8 (unexpected)",
            )
        })?,
    };
    let unchanged = server_as_given && server_doc.is_input(text.as_bytes());
    Ok(MergeResult {
        data: text,
        role: merged_role,
        kept: report.kept,
        dropped: report.dropped,
        conflicts: report.conflicts,
        rescheduled: report.rescheduled,
        needs_confirmation: report.needs_confirmation,
        unchanged,
        warnings: report.warnings,
    })
}

/// Every TZID the merged components use gets its VTIMEZONE: one that only the local copy
/// defines (my edited DTSTART, a carried EXDATE) is copied over (RFC 5545 §3.2.19).
fn carry_time_zones(out: &mut Component, local: &Component) {
    // Only a zone the local copy defines and the output lacks can be carried.
    let zone_ids = |c: &Component| -> Vec<String> {
        c.components_named("VTIMEZONE")
            .filter_map(|z| z.value_of("TZID"))
            .map(|t| t.trim().to_string())
            .collect()
    };
    let present = zone_ids(out);
    if zone_ids(local).iter().all(|t| present.contains(t)) {
        return;
    }
    let mut tzids: Vec<String> = Vec::new();
    for c in out.components().filter(|c| is_scheduling_component(c)) {
        for p in c.properties() {
            if let Some(t) = p.param_value("TZID") {
                if !tzids.contains(&t) {
                    tzids.push(t);
                }
            }
        }
    }
    for t in tzids {
        ensure_time_zone(out, local, t.trim());
    }
}

/// Parses one copy; it is text already, so the parser skips the UTF-8 check.
fn parse_copy(which: &str, text: String, limits: &Limits) -> Result<Document> {
    Document::parse_input_with(Input::Text(text), limits).map_err(|e| Error {
        message: format!("{which} copy: {}", e.message),
        ..e
    })
}

fn calendar_of<'a>(which: &str, doc: &'a Document) -> Result<&'a Component> {
    doc.calendar().ok_or_else(|| {
        Error::new(
            ErrorCode::Parse,
            format!("{which} copy: no VCALENDAR component"),
        )
    })
}

/// The role to merge in (see [`RoleOption`]).
fn resolve_role(
    option: RoleOption,
    server: &Component,
    local: &Component,
    me: &Me,
    report: &mut Report,
) -> Result<MergedRole> {
    let found = match role(server, me) {
        Role::None => role(local, me),
        r => r,
    };
    match option {
        RoleOption::Organizer => Ok(MergedRole::Organizer),
        RoleOption::Attendee => {
            let attends = [server, local].iter().any(|c| {
                super::identity::scheduling_components(c)
                    .flat_map(|x| x.properties_named("ATTENDEE"))
                    .any(|a| me.is(a))
            });
            if attends {
                Ok(MergedRole::Attendee)
            } else if found == Role::Organizer {
                Err(Error::new(
                    ErrorCode::IsOrganizer,
                    "role \"attendee\" was asked, but you are the organizer of this object and \
                     not an attendee",
                ))
            } else {
                Err(Error::new(
                    ErrorCode::NotAnAttendee,
                    "role \"attendee\" was asked, but none of `me` is an ATTENDEE of this object",
                ))
            }
        }
        RoleOption::Auto => match found {
            Role::Organizer => Ok(MergedRole::Organizer),
            Role::Attendee => Ok(MergedRole::Attendee),
            Role::None => {
                if organizer(server).is_none() && organizer(local).is_none() {
                    report.warn(
                        "NOT_SCHEDULING_OBJECT",
                        "the object has no ORGANIZER (not a scheduling object): merged as its owner",
                        None,
                    );
                    Ok(MergedRole::Organizer)
                } else {
                    Err(Error::new(
                        ErrorCode::NotAnAttendee,
                        "none of `me` is the ORGANIZER or an ATTENDEE of this object",
                    ))
                }
            }
        },
    }
}

/// The result when the server copy is older than what the edit started from: the server copy
/// unchanged, nothing merged, and a conflict that tells the app to fetch again.
fn stale_result(
    server_text: String,
    role: MergedRole,
    server_cal: &Component,
    what: &str,
    expected: i64,
    found: i64,
    mut report: Report,
) -> MergeResult {
    let place = super::identity::scheduling_components(server_cal)
        .next()
        .map(Place::of)
        .unwrap_or(Place {
            component: "VEVENT".to_string(),
            recurrence_id: None,
        });
    let message = format!(
        "the server copy (SEQUENCE {found}) is older than {what} (SEQUENCE {expected}): it is a \
         stale copy; fetch it again (cache: \"no-store\") before merging"
    );
    report.conflict(&place, Some("SEQUENCE"), message.clone());
    report.warn("STALE_SERVER_COPY", message, None);
    MergeResult {
        data: server_text,
        role,
        kept: report.kept,
        dropped: report.dropped,
        conflicts: report.conflicts,
        rescheduled: false,
        needs_confirmation: true,
        unchanged: true,
        warnings: report.warnings,
    }
}
