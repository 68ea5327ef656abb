//! Properties of `merge` under proptest: merging the server copy onto itself changes nothing,
//! merging is idempotent, the attendee role never loses an organizer-owned value of the server
//! copy, and no attendee-owned local change is lost without being reported.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use caldav_sched::ical::{Component, Document, Property};
use caldav_sched::itip::alarm_merge::same_alarm_content;
use caldav_sched::itip::compare::same_property;
use caldav_sched::itip::ownership::{Owner, Ownership};
use caldav_sched::itip::{merge, MergeOptions, MergeResult, OnReschedule};
use proptest::prelude::*;

const ME: &str = "mailto:bernard@example.net";

/// A generated version of one recurring event with at most one override (June 3).
#[derive(Debug, Clone)]
struct Spec {
    seq: u8,
    start_hour: u8,
    count: u8,
    summary: u8,
    cancelled: bool,
    my_partstat: u8,
    other_partstat: u8,
    transp: Option<bool>,
    alarm: Option<(u8, bool)>,
    exdate: bool,
    over: Option<Over>,
    fold: bool,
}

#[derive(Debug, Clone)]
struct Over {
    moved: bool,
    my_partstat: u8,
    summary: u8,
    alarm: Option<(u8, bool)>,
}

const PARTSTATS: [&str; 4] = ["NEEDS-ACTION", "ACCEPTED", "DECLINED", "TENTATIVE"];
const SUMMARIES: [&str; 3] = ["Review", "Review, again", "Lunch; maybe"];
const TZ: &str = "BEGIN:VTIMEZONE\r\nTZID:America/Montreal\r\nBEGIN:STANDARD\r\nDTSTART:20071104T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nEND:STANDARD\r\nBEGIN:DAYLIGHT\r\nDTSTART:20070311T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n";

fn alarm(a: Option<(u8, bool)>) -> String {
    match a {
        None => String::new(),
        Some((m, uid)) => format!(
            "BEGIN:VALARM\r\n{}ACTION:DISPLAY\r\nTRIGGER:-PT{}M\r\nDESCRIPTION:Reminder\r\nEND:VALARM\r\n",
            if uid { "UID:alarm-1\r\n" } else { "" },
            5 + 10 * u32::from(m % 3)
        ),
    }
}

fn attendees(mine: u8, other: u8, fold: bool) -> String {
    let me = format!(
        "ATTENDEE;CN=Bernard;PARTSTAT={};RSVP=TRUE:mailto:bernard@example.net",
        PARTSTATS[usize::from(mine % 4)]
    );
    let me = if fold {
        format!("{}\r\n {}", &me[..20], &me[20..])
    } else {
        me
    };
    format!(
        "ORGANIZER;CN=Cyrus:mailto:cyrus@example.com\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:cyrus@example.com\r\n{me}\r\nATTENDEE;CN=Mike;PARTSTAT={}:mailto:mike@example.org\r\n",
        PARTSTATS[usize::from(other % 4)]
    )
}

fn render(s: &Spec) -> String {
    let h = 15 + s.start_hour % 2;
    let mut master = format!(
        "BEGIN:VEVENT\r\nUID:u-1\r\nSEQUENCE:{}\r\nDTSTAMP:20090602T185254Z\r\nDTSTART;TZID=America/Montreal:20090601T{h}0000\r\nDTEND;TZID=America/Montreal:20090601T{}0000\r\nRRULE:FREQ=DAILY;COUNT={}\r\n",
        s.seq,
        h + 1,
        3 + s.count % 3
    );
    if s.exdate {
        master.push_str(&format!(
            "EXDATE;TZID=America/Montreal:20090602T{h}0000\r\n"
        ));
    }
    master.push_str(&format!(
        "SUMMARY:{}\r\n",
        SUMMARIES[usize::from(s.summary % 3)]
            .replace(',', "\\,")
            .replace(';', "\\;")
    ));
    if s.cancelled {
        master.push_str("STATUS:CANCELLED\r\n");
    }
    if let Some(t) = s.transp {
        master.push_str(if t {
            "TRANSP:TRANSPARENT\r\n"
        } else {
            "TRANSP:OPAQUE\r\n"
        });
    }
    master.push_str(&attendees(s.my_partstat, s.other_partstat, s.fold));
    master.push_str(&alarm(s.alarm));
    master.push_str("END:VEVENT\r\n");
    if let Some(o) = &s.over {
        let start = if o.moved { h + 2 } else { h };
        master.push_str(&format!(
            "BEGIN:VEVENT\r\nUID:u-1\r\nSEQUENCE:{}\r\nDTSTAMP:20090602T185254Z\r\nRECURRENCE-ID;TZID=America/Montreal:20090603T{h}0000\r\nDTSTART;TZID=America/Montreal:20090603T{start}0000\r\nDTEND;TZID=America/Montreal:20090603T{}0000\r\nSUMMARY:{}\r\n{}{}END:VEVENT\r\n",
            s.seq,
            start + 1,
            SUMMARIES[usize::from(o.summary % 3)].replace(',', "\\,").replace(';', "\\;"),
            attendees(o.my_partstat, s.other_partstat, false),
            alarm(o.alarm)
        ));
    }
    format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{TZ}{master}END:VCALENDAR\r\n")
}

fn over_strategy() -> impl Strategy<Value = Option<Over>> {
    prop::option::of(
        (
            any::<bool>(),
            0u8..4,
            0u8..3,
            prop::option::of((0u8..3, any::<bool>())),
        )
            .prop_map(|(moved, my_partstat, summary, alarm)| Over {
                moved,
                my_partstat,
                summary,
                alarm,
            }),
    )
}

fn spec_strategy() -> impl Strategy<Value = Spec> {
    (
        (0u8..3, 0u8..2, 0u8..3, 0u8..3, any::<bool>()),
        (0u8..4, 0u8..4, prop::option::of(any::<bool>())),
        (
            prop::option::of((0u8..3, any::<bool>())),
            any::<bool>(),
            over_strategy(),
            any::<bool>(),
        ),
    )
        .prop_map(
            |(
                (seq, start_hour, count, summary, cancelled),
                (my, other, transp),
                (alarm, exdate, over, fold),
            )| Spec {
                seq,
                start_hour,
                count,
                summary,
                cancelled,
                my_partstat: my,
                other_partstat: other,
                transp,
                alarm,
                exdate,
                over,
                fold,
            },
        )
}

fn mode_strategy() -> impl Strategy<Value = OnReschedule> {
    prop_oneof![
        Just(OnReschedule::Ask),
        Just(OnReschedule::Keep),
        Just(OnReschedule::Reset)
    ]
}

fn options(local: &str, server: &str, base: Option<&str>, mode: OnReschedule) -> MergeOptions {
    let mut o = MergeOptions::new(local, server, base, ME);
    o.on_reschedule = mode;
    o
}

fn scheduling(doc: &Document) -> Vec<Component> {
    doc.calendar()
        .unwrap()
        .components()
        .filter(|c| c.is("VEVENT"))
        .cloned()
        .collect()
}

fn rid(c: &Component) -> Option<String> {
    c.value_of("RECURRENCE-ID").map(str::to_string)
}

fn mine(c: &Component) -> Option<Property> {
    c.properties_named("ATTENDEE")
        .find(|a| a.value().to_lowercase().contains("bernard"))
        .cloned()
}

fn partstat(c: &Component) -> String {
    mine(c)
        .and_then(|a| a.param_value("PARTSTAT"))
        .unwrap_or_default()
        .to_ascii_uppercase()
}

fn reported(r: &MergeResult, rid: &Option<String>, property: &str) -> bool {
    r.dropped.iter().chain(r.conflicts.iter()).any(|c| {
        &c.recurrence_id == rid && (c.property.as_deref() == Some(property) || c.property.is_none())
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn merging_the_server_copy_onto_itself_changes_nothing(server in spec_strategy(), base in spec_strategy(), mode in mode_strategy()) {
        let s = render(&server);
        let b = render(&base);
        for base in [None, Some(s.as_str()), Some(b.as_str())] {
            let r = merge(&options(&s, &s, base, mode)).unwrap();
            prop_assert!(r.unchanged, "{:?}", r);
            prop_assert_eq!(&r.data, &s);
        }
    }

    #[test]
    fn merge_is_idempotent(local in spec_strategy(), server in spec_strategy(), base in spec_strategy(), mode in mode_strategy(), three_way in any::<bool>()) {
        let (l, s, b) = (render(&local), render(&server), render(&base));
        let base = three_way.then_some(b.as_str());
        let once = merge(&options(&l, &s, base, mode)).unwrap();
        Document::parse(once.data.as_bytes()).unwrap();
        let twice = merge(&options(&l, &once.data, base, mode)).unwrap();
        prop_assert_eq!(&twice.data, &once.data);
        prop_assert!(twice.unchanged);
    }

    #[test]
    fn attendee_role_never_loses_organizer_owned_server_values(local in spec_strategy(), server in spec_strategy(), base in spec_strategy(), mode in mode_strategy(), three_way in any::<bool>()) {
        let (l, s, b) = (render(&local), render(&server), render(&base));
        let r = merge(&options(&l, &s, three_way.then_some(b.as_str()), mode)).unwrap();
        let own = Ownership::default();
        let out = scheduling(&Document::parse(r.data.as_bytes()).unwrap());
        for sc in scheduling(&Document::parse(s.as_bytes()).unwrap()) {
            let Some(oc) = out.iter().find(|c| rid(c) == rid(&sc)) else {
                // Only an override I excluded with EXDATE may disappear.
                prop_assert!(rid(&sc).is_some() && r.kept.iter().any(|c| c.property.as_deref() == Some("EXDATE")), "{:?}", r);
                continue;
            };
            for p in sc.properties() {
                let organizer_owned = own.property_owner(p.name()) == Owner::Organizer
                    && !p.is("ATTENDEE") && !p.is("ORGANIZER");
                let other_attendee = p.is("ATTENDEE") && !p.value().contains("bernard");
                if organizer_owned || other_attendee || p.is("ORGANIZER") {
                    prop_assert!(oc.properties().any(|q| same_property(p, q)), "lost {}\n{}", p.text(), r.data);
                }
            }
            // My own line keeps everything but what is mine to change.
            if let (Some(before), Some(after)) = (mine(&sc), mine(oc)) {
                prop_assert_eq!(before.param_value("CN"), after.param_value("CN"));
            }
        }
    }

    #[test]
    fn no_attendee_owned_local_change_is_lost_silently(local in spec_strategy(), server in spec_strategy(), base in spec_strategy(), mode in mode_strategy()) {
        let (l, s, b) = (render(&local), render(&server), render(&base));
        let r = merge(&options(&l, &s, Some(&b), mode)).unwrap();
        if r.warnings.iter().any(|w| w.code == "STALE_SERVER_COPY") {
            return Ok(());
        }
        let out = scheduling(&Document::parse(r.data.as_bytes()).unwrap());
        let base_comps = scheduling(&Document::parse(b.as_bytes()).unwrap());
        for lc in scheduling(&Document::parse(l.as_bytes()).unwrap()) {
            let key = rid(&lc);
            // What the occurrence looked like in base: its override, else the master.
            let Some(bc) = base_comps.iter().find(|c| rid(c) == key).or_else(|| base_comps.iter().find(|c| rid(c).is_none())) else { continue };
            // What the occurrence looks like in the result: its override, else the master.
            let oc = out.iter().find(|c| rid(c) == key).or_else(|| out.iter().find(|c| rid(c).is_none()));
            if partstat(&lc) != partstat(bc) {
                let carried = oc.is_some_and(|o| partstat(o) == partstat(&lc));
                prop_assert!(carried || reported(&r, &key, "PARTSTAT"), "answer lost for {:?}\n{:?}", key, r);
            }
            let transp = |c: &Component| c.value_of("TRANSP").map(str::to_string);
            if transp(&lc) != transp(bc) {
                let carried = oc.is_some_and(|o| transp(o) == transp(&lc));
                prop_assert!(carried || reported(&r, &key, "TRANSP"), "TRANSP lost for {:?}\n{:?}", key, r);
            }
            for a in lc.components_named("VALARM") {
                if bc.components_named("VALARM").any(|x| same_alarm_content(x, a)) {
                    continue;
                }
                let carried = oc.is_some_and(|o| o.components_named("VALARM").any(|x| same_alarm_content(x, a)));
                prop_assert!(carried || reported(&r, &key, "VALARM"), "alarm lost for {:?}\n{:?}", key, r);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn organizer_role_self_merge_and_idempotence(local in spec_strategy(), server in spec_strategy(), base in spec_strategy(), three_way in any::<bool>()) {
        let (l, s, b) = (render(&local), render(&server), render(&base));
        let organizer = |local: &str, server: &str, base: Option<&str>| {
            let mut o = MergeOptions::new(local, server, base, "mailto:cyrus@example.com");
            o.on_reschedule = OnReschedule::Ask;
            merge(&o).unwrap()
        };
        let same = organizer(&s, &s, three_way.then_some(b.as_str()));
        prop_assert!(same.unchanged);
        prop_assert_eq!(&same.data, &s);
        let base = three_way.then_some(b.as_str());
        let once = organizer(&l, &s, base);
        Document::parse(once.data.as_bytes()).unwrap();
        let twice = organizer(&l, &once.data, base);
        prop_assert_eq!(&twice.data, &once.data);
        // Attendees' replies on the server survive unless I changed that attendee.
        if let Some(b) = base {
            let mike = |t: &str| {
                let doc = Document::parse(t.as_bytes()).unwrap();
                scheduling(&doc).first().and_then(|c| c.properties_named("ATTENDEE").find(|a| a.value().contains("mike")).and_then(|a| a.param_value("PARTSTAT")))
            };
            if mike(&l) == mike(b) {
                prop_assert_eq!(mike(&once.data), mike(&s));
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Damaged copies (lines dropped, bytes changed) give a result or a coded error, never a panic.
    #[test]
    fn damaged_copies_never_panic(local in spec_strategy(), server in spec_strategy(), cut in 0usize..60, byte in any::<u8>(), at in 0usize..4000, which in 0u8..3) {
        let (l, s) = (render(&local), render(&server));
        let damage = |t: &str| -> String {
            let mut lines: Vec<&str> = t.split("\r\n").collect();
            if cut < lines.len() {
                lines.remove(cut);
            }
            let mut bytes = lines.join("\r\n").into_bytes();
            if let Some(b) = bytes.get_mut(at) {
                *b = byte;
            }
            String::from_utf8_lossy(&bytes).into_owned()
        };
        let (l, s, b) = match which {
            0 => (damage(&l), s.clone(), s),
            1 => (l.clone(), damage(&s), l),
            _ => (l.clone(), s, damage(&l)),
        };
        for me in [ME, "mailto:cyrus@example.com"] {
            let mut o = MergeOptions::new(&l, &s, Some(&b), me);
            o.on_reschedule = OnReschedule::Keep;
            match merge(&o) {
                Ok(r) => { Document::parse(r.data.as_bytes()).unwrap(); }
                Err(e) => prop_assert!(!e.message.is_empty()),
            }
        }
    }
}
