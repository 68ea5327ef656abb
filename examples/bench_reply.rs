//! Native timing of the reply path and the document layer, a profiling aid for issue 6 (the
//! wasm numbers come from `make bench`; native ones are for `perf` and quick before/after).
//!
//! Reads the workloads of `tools/bench/workloads.mjs` from `/tmp/wl` (or `$WL`) and prints, per
//! workload, the median time of `attendee_reply_input` on a copy of the text, as the wasm
//! boundary hands a JS string over (me = wilfredo, ACCEPTED), and of
//! `Document::parse` + `to_bytes`, then the peak heap of the export round trip as a multiple of
//! its input size (input read + tree + output, counted by a global allocator).
//!
//! ```sh
//! cargo run --release --example bench_reply              # everything
//! cargo run --release --example bench_reply reply series # one piece, e.g. for perf stat/record
//! ```
//! With a piece named (`reply`, `parse`, or `text`: a round trip as the wasm `roundTrip` does it
//! on a JS string; then a workload), it runs a fixed number of iterations (`ITERS`, default 200)
//! so instruction counts are comparable across builds: `perf stat -e instructions:u` where the
//! machine has hardware counters, else `valgrind --tool=callgrind` (run once with `ITERS=0` and
//! subtract, which leaves the file read out). `peak export` prints
//! only the peak heap. To write the inputs:
//!
//! ```sh
//! mkdir -p /tmp/wl && node --input-type=module -e 'import * as w from "./tools/bench/workloads.mjs";
//!   import { writeFileSync as f } from "node:fs"; f("/tmp/wl/invitation.ics", w.invitation());
//!   f("/tmp/wl/meeting.ics", w.meeting()); f("/tmp/wl/series.ics", w.series());
//!   f("/tmp/wl/export.ics", w.calendarExport());'
//! ```

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use caldav_sched::ical::{Document, Input, Limits};
use caldav_sched::itip::{attendee_reply_input, PartStat, ReplyOptions};
use peak_alloc::PeakAlloc;

#[global_allocator]
static HEAP: PeakAlloc = PeakAlloc;

const ME: &str = "mailto:wilfredo@example.com";
const NOW: &str = "20261126T080000Z";

fn workload(name: &str) -> String {
    let dir = std::env::var("WL").unwrap_or_else(|_| "/tmp/wl".to_string());
    let path = format!("{dir}/{name}.ics");
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{path}: {e} (run tools/bench/workloads.mjs)"))
}

fn options() -> ReplyOptions {
    ReplyOptions::new(&[ME], PartStat::Accepted, NOW)
}

/// The text copied (the copy the boundary makes of a JS string) and answered.
fn reply(input: &str) {
    let text = Input::Text(black_box(input).to_string());
    let result = attendee_reply_input(text, &options()).expect("reply");
    black_box(result);
}

fn round_trip(input: &str) {
    let doc = Document::parse(black_box(input.as_bytes())).expect("parse");
    black_box(doc.to_bytes());
}

/// The wasm `roundTrip` of a JS string: handed over as text (no UTF-8 check), written as text.
fn round_trip_text(input: &str) {
    let text = Input::Text(black_box(input).to_string());
    let doc = Document::parse_input_with(text, &Limits::default()).expect("parse");
    black_box(doc.to_text());
}

/// Median of timed batches after a warm-up, each batch at least ~20 ms.
fn median(run: &dyn Fn()) -> Duration {
    run();
    let start = Instant::now();
    run();
    let once = start.elapsed().max(Duration::from_nanos(50));
    let per_batch = (Duration::from_millis(20).as_nanos() / once.as_nanos()).max(1) as u32;
    let mut samples: Vec<Duration> = (0..15)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..per_batch {
                run();
            }
            start.elapsed() / per_batch
        })
        .collect();
    samples.sort();
    samples[samples.len() / 2]
}

fn show(label: &str, d: Duration) {
    let us = d.as_secs_f64() * 1e6;
    if us >= 1000.0 {
        println!("{label:<28} {:>10.2} ms", us / 1000.0);
    } else {
        println!("{label:<28} {us:>10.1} us");
    }
}

/// Peak heap of reading the export and round-tripping it as the wasm `roundTrip` does (the
/// parser keeps the input buffer it is given), over its size; also the tree's share.
fn peak_multiple(name: &str) -> (usize, f64, f64) {
    let base = HEAP.current_usage();
    HEAP.reset_peak_usage();
    let input = workload(name);
    let len = input.len();
    let doc = Document::parse_input_with(Input::Text(input), &Limits::default()).expect("parse");
    let tree = HEAP.current_usage().saturating_sub(base + len);
    let out = doc.to_bytes();
    assert_eq!(out.len(), len, "round trip changed the size");
    drop((doc, out));
    let peak = HEAP.peak_usage().saturating_sub(base);
    (len, peak as f64 / len as f64, tree as f64 / len as f64)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [what, name] = args.as_slice() {
        let iters: usize = std::env::var("ITERS")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(200);
        let input = workload(name);
        let run: fn(&str) = match what.as_str() {
            "reply" => reply,
            "parse" => round_trip,
            "text" => round_trip_text,
            "peak" => {
                let (len, multiple, tree) = peak_multiple(name);
                println!(
                    "{name}: {len} bytes, peak heap {multiple:.2}x the input (tree {tree:.2}x)"
                );
                return;
            }
            other => panic!("unknown piece {other:?}: reply, parse, text or peak"),
        };
        for _ in 0..iters {
            run(&input);
        }
        return;
    }
    for name in ["invitation", "meeting", "series"] {
        let input = workload(name);
        show(&format!("attendee_reply {name}"), median(&|| reply(&input)));
    }
    for name in ["invitation", "meeting", "series", "export"] {
        let input = workload(name);
        show(
            &format!("parse+to_bytes {name}"),
            median(&|| round_trip(&input)),
        );
    }
    let (len, multiple, tree) = peak_multiple("export");
    println!(
        "export round trip: {len} bytes in, peak heap {multiple:.2}x the input (tree {tree:.2}x)"
    );
}
