//! Arbitrary bytes → `pipeline::convert_bytes` as a `.txt`: encoding
//! detection, text layout and the plan/minutes segmenters.
#![no_main]

use libfuzzer_sys::fuzz_target;
use planparse::pipeline;

fuzz_target!(|data: &[u8]| {
    let _ = pipeline::convert_bytes("fuzz.txt", data, &pipeline::Options::default());
});
