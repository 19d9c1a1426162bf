//! Fuzzes the deal CSV reader: the input is a CRM export beside the deals
//! fixture's settings and team, loaded, validated and — when valid —
//! rendered for managers.
#![no_main]

// Each target uses one of the harness's entry points.
#[allow(dead_code)]
#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    harness::deals(data);
});
