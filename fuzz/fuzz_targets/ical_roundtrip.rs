//! Parse + serialise: any bytes either fail with a coded error or come back byte-identical; a
//! parsed document converts to jCal and back without panicking, and what jCal writes parses.
#![no_main]

use caldav_sched::ical::{from_jcal, to_jcal, Document, Limits};
use caldav_sched::ErrorCode;
use libfuzzer_sys::fuzz_target;

/// Small limits, so the fuzzer also walks every TOO_LARGE path.
const SMALL: Limits = Limits {
    max_bytes: 4096,
    max_depth: 4,
    max_lines: 64,
    max_line_bytes: 512,
    max_params: 8,
};

fuzz_target!(|data: &[u8]| {
    let doc = match Document::parse(data) {
        Ok(doc) => doc,
        Err(e) => {
            assert!(
                matches!(e.code, ErrorCode::Parse | ErrorCode::TooLarge),
                "{e}"
            );
            return;
        }
    };
    assert_eq!(doc.to_bytes(), data, "the round trip is not byte-identical");
    if let Ok(small) = Document::parse_with(data, &SMALL) {
        assert_eq!(small.to_bytes(), data);
    }
    if let Ok(jcal) = to_jcal(&doc) {
        if let Ok(back) = from_jcal(&jcal) {
            let written = back.to_bytes();
            if let Err(e) = Document::parse(&written) {
                panic!(
                    "jCal wrote unparseable iCalendar: {e}\n{}",
                    String::from_utf8_lossy(&written)
                );
            }
        }
    }
});
