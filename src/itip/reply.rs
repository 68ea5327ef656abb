//! `attendeeReply`: change only my participation in my copy of a scheduling object, for the
//! series, one instance or this and future instances, and build the iTIP REPLY when the client
//! must send it (RFC 6638 §3.2.2, RFC 5546 §3.2.3).
//!
//! What may change, and nothing else (every other line stays byte-identical):
//! - my ATTENDEE line(s): PARTSTAT, and DELEGATED-TO / SENT-BY when asked, removed when not (an
//!   answer other than DELEGATED takes a delegation back; one without `sentBy` is my own) (RFC
//!   6638 §3.2.2.1 item 1); a new ATTENDEE for each delegate ([`crate::itip::delegation`]) or for
//!   me when only a group I belong to is invited (RFC 5546 §3.7.2);
//! - my VALARMs on the answered components when `alarms` is given (item 5, [`crate::itip::alarm`]);
//! - VTODO: COMPLETED and PERCENT-COMPLETE (items 3, 4; RFC 5546 §3.4.3);
//! - DTSTAMP (and LAST-MODIFIED if present) on the components this call changed
//!   ([`crate::itip::stamp`]);
//! - overrides the answer needs ([`crate::itip::reply_scope`]);
//! - a METHOD line is removed (a stored calendar object resource has none, RFC 4791 §4.1).
//!
//! Choices, with their reasons:
//! - **RSVP is kept** on my stored ATTENDEE. RFC 6638 §3.2.2.1 does not list RSVP among the
//!   attendee's allowed changes (so a strict server may refuse it) and RSVP is the organizer's
//!   request for a reply (RFC 5545 §3.2.17), which the organizer's side clears on processing
//!   the REPLY; the RFC 6638 Appendix B.3 client keeps `RSVP=TRUE` when accepting. The iTIP
//!   REPLY itself carries no RSVP.
//! - **The comment goes only into the iTIP REPLY** (RFC 5546 §3.2.3 allows COMMENT there).
//!   The stored copy is not changed: COMMENT is not in RFC 6638 §3.2.2.1's allowed list and a
//!   COMMENT in the stored VEVENT would read as the organizer's note to every attendee. When the
//!   server (or nobody) sends the reply, a `COMMENT_NOT_SENT` warning says the note cannot be
//!   delivered. The text is TEXT-escaped; CR/LF become `\n`, never a new line.
//! - **thisAndFuture has no RANGE**: see [`crate::itip::reply_scope`].
//! - **NEEDS-ACTION is never sent** as a REPLY (RFC 5546 §3.2.3: a REPLY answers; the method
//!   table's PARTSTAT values are ACCEPTED, DECLINED, TENTATIVE, DELEGATED and for VTODO
//!   COMPLETED, IN-PROCESS): the stored copy changes, `itip` stays null, a warning says so.
//! - **No REPLY for a VJOURNAL**: iTIP defines none (RFC 5546 §1.4 method table, §3.5); with
//!   SCHEDULE-AGENT=CLIENT the stored copy changes, `itip` stays null and a warning says why.
//! - **SEQUENCE is never changed** (RFC 5546 §2.1.4: the organizer owns it; tutao/tutanota#2807).

use crate::error::{Error, ErrorCode, Result, Warning};
use crate::ical::ascii::eq_ignore_case;
use crate::ical::text::{has_control_outside_text, has_unsafe_control};
use crate::ical::{is_mailto, Component, ComponentKind, Document, Input, Node, Property};
use crate::itip::alarm::{self, AlarmContext};
use crate::itip::delegation::{delegate, validate_delegates};
use crate::itip::identity::{
    check_one_organizer, has_group, is_group, organizer, schedule_agent, scheduling_components,
    uid, Me, ScheduleAgent,
};
use crate::itip::itip_message::{build_forward, build_reply};
use crate::itip::reply_options::{PartStat, ReplyOptions, ReplyResult, Scope};
use crate::itip::reply_scope::{my_answers, my_partstat, plan};
use crate::itip::stamp::{parse_now, stamp};
use crate::itip::zones::time_zones;

/// Answers an invitation in the attendee's copy `input` (see the module documentation).
///
/// ```js
/// const { data, itip } = attendeeReply({ data: ics, me: "mailto:wilfredo@example.com",
///   partstat: "ACCEPTED", alarms: [{ trigger: "-PT15M" }] });
/// ```
pub fn attendee_reply(input: &[u8], options: &ReplyOptions) -> Result<ReplyResult> {
    reply(Data::Borrowed(input), options)
}

/// [`attendee_reply`] on data handed over whole: the parsed document keeps it without a copy,
/// and text is not checked to be UTF-8 again (e.g. a string from JS).
pub fn attendee_reply_input(input: Input, options: &ReplyOptions) -> Result<ReplyResult> {
    reply(Data::Owned(input), options)
}

/// The calendar data of an answer.
enum Data<'a> {
    /// Borrowed: copied once to parse (after the options are checked).
    Borrowed(&'a [u8]),
    /// Handed over: parsed in place.
    Owned(Input),
}

fn reply(input: Data<'_>, options: &ReplyOptions) -> Result<ReplyResult> {
    let addresses = options.me.as_slice();
    let me = Me::new(addresses)?;
    let now = parse_now(&options.now)?;
    let scope = check_options(options, &me)?;
    let limits = options.limits.unwrap_or_default();
    let mut doc = match input {
        Data::Borrowed(bytes) => Document::parse_with(bytes, &limits)?,
        Data::Owned(input) => Document::parse_input_with(input, &limits)?,
    };
    let mut warnings = Vec::new();
    let calendars = doc
        .components()
        .filter(|c| c.kind() == ComponentKind::Vcalendar)
        .count();
    if calendars > 1 {
        // RFC 4791 §4.1: a calendar object resource is one VCALENDAR; the rest are kept as they
        // are, unanswered.
        warnings.push(Warning::new(
            "MULTIPLE_CALENDARS",
            format!(
                "the data holds {calendars} VCALENDAR objects: only the first was answered (a \
                 stored calendar object resource has one, RFC 4791 §4.1)"
            ),
            None,
        ));
    }
    let calendar = doc
        .calendar_mut()
        .ok_or_else(|| Error::new(ErrorCode::Parse, "no VCALENDAR in the data"))?;
    // Removed first: every position below (answered components, new overrides) is then a
    // position in the calendar as written back.
    if calendar.remove_properties(|p| p.is("METHOD")) > 0 {
        warnings.push(Warning::new(
            "METHOD_REMOVED",
            "removed METHOD: a stored calendar object resource must not have one (RFC 4791 §4.1)",
            None,
        ));
    }

    let org = organizer(calendar).ok_or_else(|| {
        Error::new(
            ErrorCode::NotSchedulingObject,
            "no ORGANIZER: this is not a scheduling object (RFC 6638 §3.1)",
        )
    })?;
    check_one_organizer(calendar)?;
    if me.is(org) {
        return Err(Error::at(
            ErrorCode::IsOrganizer,
            org.line(),
            "I am the ORGANIZER of this object; an attendee reply does not apply",
        ));
    }
    let uid = uid(calendar)?.to_string();
    check_kind(calendar, options)?;
    let answers = my_answers(calendar, &me);
    let listed_anywhere = answers.iter().any(|a| a.partstat.is_some());
    let join_group = !listed_anywhere;
    if join_group && !scheduling_components(calendar).any(has_group) {
        return Err(Error::new(
            ErrorCode::NotAnAttendee,
            "none of `me` is an ATTENDEE of this object",
        ));
    }
    // Time zones matter only to find the instance `recurrenceId` names (see `plan`).
    let zones = match options.recurrence_id {
        Some(_) => time_zones(calendar),
        None => Vec::new(),
    };
    let partstat = options.partstat.as_str();

    let plan = plan(
        calendar,
        &answers,
        scope,
        options.recurrence_id.as_deref(),
        partstat,
        &zones,
        join_group,
    )?;
    // My lines in each existing component, found above: positions stay valid, as new
    // overrides go after every existing component and each component is answered on its own.
    let mut my_lines: Vec<(usize, Vec<usize>)> =
        answers.into_iter().map(|a| (a.at, a.lines)).collect();
    if plan.targets.is_empty() && !plan.created.iter().any(|(_, answer)| *answer) {
        return Err(Error::new(
            ErrorCode::NotAnAttendee,
            "none of `me` is an ATTENDEE of the instances this answer is for",
        ));
    }

    // Insert the new overrides after the object's last component.
    let last = calendar
        .children
        .iter()
        .rposition(|n| matches!(n, Node::Component(c) if crate::itip::identity::is_scheduling_component(c)))
        .map_or(calendar.children.len(), |i| i + 1);
    let mut targets = plan.targets;
    let mut stamped = Vec::new();
    for (i, (component, answer)) in plan.created.into_iter().enumerate() {
        calendar
            .children
            .insert(last + i, Node::Component(component));
        stamped.push(last + i);
        if answer {
            targets.push(last + i);
        }
    }

    let my_address = preferred_address(addresses);
    for &at in &targets {
        let Some(Node::Component(c)) = calendar.children.get_mut(at) else {
            continue;
        };
        let mine = my_lines
            .binary_search_by_key(&at, |(a, _)| *a)
            .ok()
            .and_then(|i| my_lines.get_mut(i))
            .map(|(_, lines)| std::mem::take(lines));
        answer(
            c,
            mine,
            &me,
            my_address,
            options,
            &uid,
            &now,
            join_group,
            &mut warnings,
        )?;
    }
    if options.force_send == Some(true) {
        force_send(calendar, &targets, &mut warnings);
    }
    for &at in targets.iter().chain(stamped.iter()) {
        if let Some(Node::Component(c)) = calendar.children.get_mut(at) {
            if !c.is_untouched() {
                stamp(c, &now)?;
            }
        }
    }
    if join_group {
        warnings.push(Warning::new(
            "GROUP_MEMBER_ADDED",
            "I am invited through a group: added my own ATTENDEE with MEMBER (RFC 5546 §3.7.2); \
             servers may refuse an ATTENDEE added by an attendee (RFC 6638 §3.2.2.1)",
            None,
        ));
    }

    let calendar: &Component = calendar;
    let agent = schedule_agent(organizer(calendar), &mut warnings);
    let comment = options.comment.as_deref().filter(|c| !c.trim().is_empty());
    let mut itip = None;
    let mut forward = None;
    if options.partstat == PartStat::NeedsAction {
        warnings.push(Warning::new(
            "NEEDS_ACTION_NOT_SENT",
            "NEEDS-ACTION is not an answer: no iTIP REPLY is built for it (RFC 5546 §3.2.3)",
            None,
        ));
    } else if agent == ScheduleAgent::Client
        && scheduling_components(calendar).next().map(Component::kind)
            == Some(ComponentKind::Vjournal)
    {
        warnings.push(Warning::new(
            "NO_REPLY_FOR_VJOURNAL",
            "iTIP has no REPLY for a VJOURNAL (RFC 5546 §1.4 method table, §3.5): the stored \
             copy changed; there is no message to send",
            None,
        ));
    } else if agent == ScheduleAgent::Client {
        let answered: Vec<&Component> = calendar
            .children
            .iter()
            .enumerate()
            .filter_map(|(i, n)| match n {
                Node::Component(c) if targets.contains(&i) || stamped.contains(&i) => Some(c),
                _ => None,
            })
            .filter(|c| my_partstat(c, &me).is_some_and(|p| p != "NEEDS-ACTION"))
            .collect();
        itip = Some(build_reply(calendar, &answered, &me, &now, comment)?);
        if options.partstat == PartStat::Delegated {
            let delegates = options.delegate_to.as_deref().unwrap_or_default();
            forward = build_forward(calendar, &me, delegates)?;
        }
    }
    if comment.is_some() && agent != ScheduleAgent::Client {
        warnings.push(Warning::new(
            "COMMENT_NOT_SENT",
            "the comment goes only into an iTIP REPLY the client sends (SCHEDULE-AGENT=CLIENT); \
             it is not written to the stored copy (RFC 6638 §3.2.2.1)",
            None,
        ));
    }
    // Lines whose bytes a fold split inside a character (valid iCalendar bytes, RFC 5545 §3.1)
    // are written canonically: the result is text.
    let data = doc
        .to_text_rewriting()
        .ok_or_else(|| Error::new(ErrorCode::Parse, "the data is not UTF-8"))?;
    let changed = !doc.is_input(data.as_bytes());
    Ok(ReplyResult {
        data,
        itip,
        forward,
        schedule_agent: agent,
        changed,
        warnings,
    })
}

/// Validates the options that need no data; returns the effective scope.
fn check_options(options: &ReplyOptions, me: &Me) -> Result<Scope> {
    let scope = match (options.scope, &options.recurrence_id) {
        (None, Some(_)) => Scope::Instance,
        (None, None) => Scope::Series,
        (Some(Scope::Series), Some(_)) => {
            return Err(Error::new(
                ErrorCode::InvalidOption,
                "scope \"series\" takes no recurrenceId",
            ))
        }
        (Some(Scope::Instance), None) => {
            return Err(Error::new(
                ErrorCode::InvalidOption,
                "scope \"instance\" needs a recurrenceId",
            ))
        }
        (Some(Scope::ThisAndFuture), None) => {
            return Err(Error::new(
                ErrorCode::InvalidOption,
                "scope \"thisAndFuture\" needs a recurrenceId",
            ))
        }
        (Some(s), _) => s,
    };
    if let Some(comment) = &options.comment {
        // CR and LF are newlines of TEXT, written escaped as `\n` (RFC 5545 §3.3.11); any other
        // control character has no TEXT form and is refused, never silently dropped.
        if has_control_outside_text(comment) {
            return Err(Error::new(
                ErrorCode::UnsafeValue,
                "comment contains a control character other than a line break or tab",
            ));
        }
    }
    if let Some(id) = &options.recurrence_id {
        if has_unsafe_control(id) {
            return Err(Error::new(
                ErrorCode::UnsafeValue,
                "recurrenceId contains a control character",
            ));
        }
    }
    match (&options.delegate_to, options.partstat) {
        (Some(d), PartStat::Delegated) => validate_delegates(d, me)?,
        (None, PartStat::Delegated) => validate_delegates(&[], me)?,
        (Some(d), _) if !d.is_empty() => {
            return Err(Error::new(
                ErrorCode::InvalidOption,
                "`delegateTo` goes with partstat DELEGATED",
            ))
        }
        _ => {}
    }
    if let Some(s) = &options.sent_by {
        if has_unsafe_control(s) {
            return Err(Error::new(
                ErrorCode::UnsafeValue,
                "`sentBy` contains a control character",
            ));
        }
        if !is_mailto(s) {
            return Err(Error::new(
                ErrorCode::InvalidOption,
                "`sentBy` must be a mailto: address (RFC 5545 §3.2.18)",
            ));
        }
    }
    if let Some(p) = options.percent_complete {
        if p > 100 || (options.partstat == PartStat::Completed && p != 100) {
            return Err(Error::new(
                ErrorCode::InvalidOption,
                "`percentComplete` is 0-100, and 100 with COMPLETED",
            ));
        }
    }
    for a in options.alarms.iter().flatten() {
        alarm::validate(a)?;
    }
    Ok(scope)
}

/// The component kind, checked against the answer (RFC 5545 §3.2.12: COMPLETED and IN-PROCESS
/// are for VTODO; VJOURNAL has no TENTATIVE or DELEGATED) and the VTODO-only options.
fn check_kind(calendar: &Component, options: &ReplyOptions) -> Result<()> {
    let first = scheduling_components(calendar).next();
    let kind = first.map_or(ComponentKind::Other, Component::kind);
    let ok = match (kind, options.partstat) {
        (ComponentKind::Vtodo, _) => true,
        (_, PartStat::Completed | PartStat::InProcess) => false,
        (ComponentKind::Vjournal, PartStat::Tentative | PartStat::Delegated) => false,
        _ => true,
    };
    if !ok {
        return Err(Error::new(
            ErrorCode::InvalidOption,
            format!(
                "PARTSTAT={} is not allowed in a {} (RFC 5545 §3.2.12)",
                options.partstat.as_str(),
                kind.name().unwrap_or_default()
            ),
        ));
    }
    if options.percent_complete.is_some() && kind != ComponentKind::Vtodo {
        return Err(Error::new(
            ErrorCode::InvalidOption,
            "`percentComplete` is for VTODO only",
        ));
    }
    Ok(())
}

/// R15, re-sending an answer: `SCHEDULE-FORCE-SEND=REPLY` on the ORGANIZER of each answered
/// component (RFC 6638 §7.2: the one ORGANIZER parameter an attendee sets; the server removes it
/// after acting). Not for SCHEDULE-AGENT=CLIENT, where the client sends the REPLY itself.
fn force_send(calendar: &mut Component, targets: &[usize], warnings: &mut Vec<Warning>) {
    let mut unused = Vec::new();
    if schedule_agent(organizer(calendar), &mut unused) != ScheduleAgent::Server {
        warnings.push(Warning::new(
            "FORCE_SEND_IGNORED",
            "forceSend is for server scheduling; with SCHEDULE-AGENT=CLIENT send `itip` yourself",
            None,
        ));
        return;
    }
    for &at in targets {
        if let Some(Node::Component(c)) = calendar.children.get_mut(at) {
            if let Some(org) = c.property_mut("ORGANIZER") {
                org.set_param("SCHEDULE-FORCE-SEND", &["REPLY"]);
            }
        }
    }
}

/// The addresses of the attendees of a component that may be groups (CUTYPE=GROUP or UNKNOWN).
fn groups(c: &Component) -> Vec<String> {
    c.properties_named("ATTENDEE")
        .filter(|a| is_group(a))
        .map(|a| a.value().trim().to_string())
        .collect()
}

/// The address I write when I add myself: the first mailto: one (iMIP needs mailto, RFC 6047
/// §2.3), else the first.
fn preferred_address(addresses: &[String]) -> &str {
    addresses
        .iter()
        .map(|a| a.trim())
        .find(|a| is_mailto(a))
        .or_else(|| addresses.first().map(|a| a.trim()))
        .unwrap_or_default()
}

/// Sets a parameter only when its values differ (case-insensitively), so an unchanged line keeps
/// its bytes.
fn set_param_if_changed(p: &mut Property, name: &str, values: &[&str]) {
    let mut now = p.params().filter(|q| q.is(name)).flat_map(|q| q.values());
    let same = values.iter().all(|v| {
        now.next()
            .is_some_and(|n| eq_ignore_case(&n.decoded_str(), v))
    }) && now.next().is_none();
    if !same {
        p.set_param(name, values);
    }
}

/// Writes the answer into one component; `mine` are the positions of my ATTENDEE lines when
/// already known (else they are looked for here).
#[allow(clippy::too_many_arguments)]
fn answer(
    c: &mut Component,
    mine: Option<Vec<usize>>,
    me: &Me,
    my_address: &str,
    options: &ReplyOptions,
    uid: &str,
    now: &str,
    join_group: bool,
    warnings: &mut Vec<Warning>,
) -> Result<()> {
    let partstat = options.partstat.as_str();
    let mut mine: Vec<usize> = mine.unwrap_or_else(|| {
        c.children
            .iter()
            .enumerate()
            .filter(|(_, n)| matches!(n, Node::Property(p) if p.is("ATTENDEE") && me.is(p)))
            .map(|(i, _)| i)
            .collect()
    });
    if mine.is_empty() && join_group {
        let member = groups(c);
        if member.is_empty() {
            return Ok(());
        }
        let mut line = Property::new("ATTENDEE", my_address)?;
        line.set_param("CUTYPE", &["INDIVIDUAL"]);
        let refs: Vec<&str> = member.iter().map(String::as_str).collect();
        line.set_param("MEMBER", &refs);
        let at = c
            .children
            .iter()
            .rposition(|n| matches!(n, Node::Property(p) if p.is("ATTENDEE")))
            .map_or_else(
                || {
                    c.children
                        .iter()
                        .position(|n| matches!(n, Node::Component(_)))
                        .unwrap_or(c.children.len())
                },
                |i| i + 1,
            );
        c.children.insert(at, Node::Property(line));
        mine.push(at);
    }
    let mut withdrawn = false;
    for &at in &mine {
        if let Some(Node::Property(p)) = c.children.get_mut(at) {
            set_param_if_changed(p, "PARTSTAT", &[partstat]);
            // SENT-BY says who sent this answer (RFC 5546 §2.1.3): an answer without `sentBy`
            // is my own, so an earlier one's SENT-BY goes.
            match &options.sent_by {
                Some(s) => set_param_if_changed(p, "SENT-BY", &[s.trim()]),
                None => {
                    p.remove_param("SENT-BY");
                }
            }
            // DELEGATED-TO names whom I delegated to (RFC 5545 §3.2.5): another answer takes
            // the delegation back.
            if options.partstat != PartStat::Delegated {
                withdrawn |= p.remove_param("DELEGATED-TO");
            }
        }
    }
    if withdrawn {
        warnings.push(Warning::new(
            "DELEGATION_WITHDRAWN",
            format!(
                "my answer is {partstat}, no longer DELEGATED: DELEGATED-TO was removed from my \
                 ATTENDEE; the delegate's ATTENDEE stays (an attendee does not remove attendees, \
                 RFC 6638 §3.2.2.1), so tell the delegate"
            ),
            None,
        ));
    }
    if options.partstat == PartStat::Delegated {
        let delegates = options.delegate_to.clone().unwrap_or_default();
        // Delegate lines go right after my (first) line.
        if let Some(&first) = mine.first() {
            delegate(c, first, &delegates, warnings)?;
        }
    }
    if c.is("VTODO") {
        progress(c, options, now)?;
    }
    if let Some(alarms) = &options.alarms {
        let instance = c
            .value_of("RECURRENCE-ID")
            .unwrap_or_default()
            .trim()
            .to_string();
        c.remove_components(|s| s.is("VALARM"));
        for (i, spec) in alarms.iter().enumerate() {
            let ctx = AlarmContext {
                uid,
                now,
                instance: &instance,
                me: my_address,
            };
            c.push_component(alarm::build(spec, i, &ctx)?);
        }
    }
    Ok(())
}

/// VTODO progress (RFC 6638 §3.2.2.1 items 3, 4): COMPLETED sets COMPLETED (now, unless already
/// set) and PERCENT-COMPLETE:100; IN-PROCESS removes a COMPLETED and a PERCENT-COMPLETE of 100
/// (the task is open again); `percentComplete` sets PERCENT-COMPLETE.
fn progress(c: &mut Component, options: &ReplyOptions, now: &str) -> Result<()> {
    let percent = match options.partstat {
        PartStat::Completed => {
            if c.property("COMPLETED").is_none() {
                c.push_property(Property::new("COMPLETED", now)?);
            }
            Some(100)
        }
        PartStat::InProcess => {
            c.remove_properties(|p| p.is("COMPLETED"));
            // 100 means completed (RFC 5545 §3.8.1.8): an open task drops it unless told.
            if options.percent_complete.is_none()
                && c.value_of("PERCENT-COMPLETE").map(str::trim) == Some("100")
            {
                c.remove_properties(|p| p.is("PERCENT-COMPLETE"));
            }
            options.percent_complete
        }
        _ => options.percent_complete,
    };
    if let Some(p) = percent {
        let v = p.to_string();
        if c.value_of("PERCENT-COMPLETE").map(str::trim) != Some(v.as_str()) {
            c.set_value("PERCENT-COMPLETE", &v)?;
        }
    }
    Ok(())
}
