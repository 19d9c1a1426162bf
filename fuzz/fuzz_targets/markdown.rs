//! Fuzzes Markdown rendering: heading ids, the table of contents, link
//! rewriting and sanitising, on any text.
#![no_main]

// Each target uses one of the harness's entry points.
#[allow(dead_code)]
#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    harness::markdown(data);
});
