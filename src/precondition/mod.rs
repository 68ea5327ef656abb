//! Entity tags, precondition headers and response verdicts (RFC 9110, RFC 6638 §8). Needs no iCalendar.
