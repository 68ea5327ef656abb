//! Prints, for each iCalendar file named on the command line, one JSON line
//! `{"path", "jcal", "ical"}`: our jCal and the iCalendar written back from it (or `"error"`).
//! Used to compare with ical.js (`node scripts/jcal-compare.mjs`); not part of the library.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use caldav_sched::ical::{from_jcal, to_jcal, Document};
use serde_json::json;

fn main() {
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).expect("readable file");
        let line = match Document::parse(&bytes).and_then(|doc| to_jcal(&doc)) {
            Ok(jcal) => match from_jcal(&jcal) {
                Ok(doc) => json!({
                    "path": path,
                    "jcal": jcal,
                    "ical": String::from_utf8_lossy(&doc.to_bytes()),
                }),
                Err(e) => json!({ "path": path, "jcal": jcal, "error": e.to_string() }),
            },
            Err(e) => json!({ "path": path, "error": e.to_string() }),
        };
        println!("{line}");
    }
}
