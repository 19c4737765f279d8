//! Bytes → `pdf::fuzzing::cmap`: the CMap parser (ToUnicode and embedded
//! encoding CMaps: code-space ranges, bfchar, bfrange, cidchar, cidrange),
//! code splitting and lookups, then `/Differences` glyph names and the
//! simple-font code → text table, without a PDF around them.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = planparse::pdf::fuzzing::cmap(data);
});
