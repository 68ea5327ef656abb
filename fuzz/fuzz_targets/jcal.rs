//! jCal in: any JSON either fails with a coded error or becomes a document whose bytes parse
//! again and convert back to jCal.
#![no_main]

use caldav_sched::ical::{from_jcal, to_jcal, Document, JcalValue};
use caldav_sched::ErrorCode;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(value) = serde_json::from_slice::<JcalValue>(data) else {
        return;
    };
    match from_jcal(&value) {
        Ok(doc) => {
            let written = doc.to_bytes();
            let reparsed = Document::parse(&written).unwrap_or_else(|e| {
                panic!(
                    "from_jcal wrote unparseable iCalendar: {e}\n{}",
                    String::from_utf8_lossy(&written)
                )
            });
            assert_eq!(reparsed.to_bytes(), written);
            let _ = to_jcal(&reparsed);
        }
        Err(e) => assert!(
            matches!(
                e.code,
                ErrorCode::Parse | ErrorCode::UnsafeValue | ErrorCode::TooLarge
            ),
            "{e}"
        ),
    }
});
