//! What the client should do about a named DAV:error condition (RFC 4791 §5.3.2.1, RFC 6638
//! §3.2.4, RFC 4918 §16, RFC 3744 §7.1.1). Used to write the verdict's message.

/// A one-sentence hint for a condition name (as produced by the DAV:error parser), if known.
pub(crate) fn condition_hint(condition: &str) -> Option<&'static str> {
    Some(match condition {
        "allowed-attendee-scheduling-object-change" => {
            "the server refused an attendee change it does not allow (RFC 6638 §3.2.4.4): keep only \
             your participation, alarms and other attendee-owned changes, then retry once"
        }
        "allowed-organizer-scheduling-object-change" => {
            "the server refused an organizer change, e.g. setting another attendee's PARTSTAT \
             (RFC 6638 §3.2.4.3): take the attendees' statuses from the server copy"
        }
        "same-organizer-in-all-components" => {
            "every component must have the same ORGANIZER (RFC 6638 §3.2.4.2)"
        }
        "unique-scheduling-object-resource" => {
            "this UID is already a scheduling object of this user in another resource \
             (RFC 6638 §3.2.4.1): update that resource instead"
        }
        "no-uid-conflict" => {
            "another resource in this calendar already uses this UID (RFC 4791 §5.3.2.1): update \
             that resource instead"
        }
        "valid-calendar-data" => {
            "the server could not parse the iCalendar data (RFC 4791 §5.3.2.1)"
        }
        "valid-calendar-object-resource" => {
            "the data breaks a calendar object rule, e.g. a METHOD property or several UIDs \
             (RFC 4791 §4.1, §5.3.2.1): remove METHOD and keep one UID per resource"
        }
        "supported-calendar-data" => "the server does not accept this media type (RFC 4791 §5.3.2.1)",
        "supported-calendar-component" => {
            "this calendar does not accept this component type (RFC 4791 §5.3.2.1)"
        }
        "max-resource-size" => "the object is larger than the server allows (RFC 4791 §5.3.2.1)",
        "min-date-time" | "max-date-time" => {
            "a date is outside the range the server accepts (RFC 4791 §5.3.2.1)"
        }
        "max-instances" => "the recurrence has more instances than the server allows (RFC 4791 §5.3.2.1)",
        "max-attendees-per-instance" => {
            "there are more attendees than the server allows (RFC 4791 §5.3.2.1)"
        }
        "need-privileges" => {
            "the user lacks a privilege, e.g. to send scheduling messages as this calendar user \
             (RFC 3744 §7.1.1, RFC 6638 §6.2)"
        }
        "default-calendar-needed" => {
            "the default calendar cannot be deleted (RFC 6638 §4.3.1.1)"
        }
        "valid-scheduling-message" | "valid-organizer" => {
            "the scheduling request is not valid (RFC 6638 §5.2)"
        }
        "lock-token-submitted" => {
            "the resource is locked and the request did not submit the lock token (RFC 4918 §16)"
        }
        _ => return None,
    })
}
