//! Bytes → `docx::read`: the zip container, the XML parts, styles and
//! numbering must fail cleanly on anything.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = planparse::docx::read(data);
});
