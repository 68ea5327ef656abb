//! The value-type table: for each iCalendar property ical.js knows, its default jCal value type
//! and how its value splits; and which parameters are multi-valued or typed CAL-ADDRESS.
//!
//! This is ical.js's table (`design.js`, iCalendar set), which is RFC 5545's default types
//! (§3.7-§3.8) with RFC 7265's jCal names. Properties it does not register, RFC 7986's included
//! (COLOR, IMAGE, CONFERENCE, NAME, REFRESH-INTERVAL, SOURCE), get type `unknown` and keep their
//! raw value: jCal must equal `ICAL.parse`, and RFC 7265 §5.1 allows `unknown` for any property.

/// How a known property's value is typed and split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PropertyDesign {
    /// The jCal value type used when no VALUE parameter says otherwise.
    pub default_type: &'static str,
    /// Several values separated by `,`, one jCal element each (CATEGORIES, EXDATE, ...).
    pub multi_valued: bool,
    /// One value with `;`-separated parts, a nested array in jCal (GEO, REQUEST-STATUS).
    pub structured: bool,
    /// The type is guessed from the value, ignoring VALUE= (ical.js does this for RDATE).
    pub detect_type: bool,
}

const fn design(default_type: &'static str) -> PropertyDesign {
    PropertyDesign {
        default_type,
        multi_valued: false,
        structured: false,
        detect_type: false,
    }
}

const fn multi(default_type: &'static str) -> PropertyDesign {
    PropertyDesign {
        multi_valued: true,
        ..design(default_type)
    }
}

const fn structured(default_type: &'static str) -> PropertyDesign {
    PropertyDesign {
        structured: true,
        ..design(default_type)
    }
}

/// The jCal type of properties ical.js does not know (RFC 7265 §5.1).
pub(crate) const UNKNOWN: &str = "unknown";

/// The design of a property, by lower-case name; `None` for X- and unregistered properties.
pub(crate) fn property_design(lower_name: &str) -> Option<PropertyDesign> {
    let d = match lower_name {
        "action" | "calscale" | "class" | "comment" | "contact" | "description" | "location"
        | "method" | "prodid" | "related-to" | "status" | "summary" | "transp" | "tzid"
        | "tzname" | "uid" | "version" => design("text"),
        "categories" | "resources" => multi("text"),
        "request-status" => structured("text"),
        "geo" => structured("float"),
        "attach" | "tzurl" | "url" => design("uri"),
        "attendee" | "organizer" => design("cal-address"),
        "completed" | "created" | "dtstamp" | "last-modified" | "dtend" | "dtstart" | "due"
        | "recurrence-id" => design("date-time"),
        "exdate" => multi("date-time"),
        "rdate" => PropertyDesign {
            detect_type: true,
            ..multi("date-time")
        },
        "freebusy" => multi("period"),
        "duration" | "trigger" => design("duration"),
        "exrule" | "rrule" => design("recur"),
        "percent-complete" | "priority" | "repeat" | "sequence" => design("integer"),
        "tzoffsetfrom" | "tzoffsetto" => design("utc-offset"),
        _ => return None,
    };
    Some(d)
}

/// The default type of a property for writing: VALUE= is written only when the type differs.
pub(crate) fn default_type(lower_name: &str) -> &'static str {
    property_design(lower_name).map_or(UNKNOWN, |d| d.default_type)
}

/// RDATE's type guess: a `/` means PERIOD, else no `T` means DATE, else DATE-TIME.
pub(crate) fn detect_rdate_type(value: &str) -> &'static str {
    if value.contains('/') {
        "period"
    } else if value.contains('T') {
        "date-time"
    } else {
        "date"
    }
}

/// Parameters whose values are lists of quoted calendar addresses (RFC 5545 §3.2.4, §3.2.5,
/// §3.2.11): jCal gives them as an array when there are several values.
pub(crate) fn is_multi_valued_param(lower_name: &str) -> bool {
    matches!(lower_name, "delegated-from" | "delegated-to" | "member")
}

/// Parameters typed CAL-ADDRESS, which ical.js does not TEXT-unescape.
pub(crate) fn is_address_param(lower_name: &str) -> bool {
    is_multi_valued_param(lower_name) || lower_name == "sent-by"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        assert_eq!(default_type("dtstart"), "date-time");
        assert_eq!(default_type("x-wr-calname"), UNKNOWN);
        assert_eq!(default_type("color"), UNKNOWN);
        assert!(property_design("categories").is_some_and(|d| d.multi_valued));
        assert!(property_design("geo").is_some_and(|d| d.structured));
        assert_eq!(detect_rdate_type("20260301"), "date");
        assert_eq!(detect_rdate_type("20260301T100000Z/PT1H"), "period");
        assert!(is_address_param("sent-by") && !is_multi_valued_param("sent-by"));
    }
}
