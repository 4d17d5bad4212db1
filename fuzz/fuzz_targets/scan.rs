//! The directive scanner and argument parser alone, thousands of inputs a second
//! (`directives` also expands each input, which is a thousand times slower).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "checks.rs"]
mod checks;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        checks::check_scan(text);
    }
});
