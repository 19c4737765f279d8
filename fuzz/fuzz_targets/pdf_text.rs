//! Bytes → `pdf::extract`: the PDF text layer (lopdf parsing, streams,
//! content-stream interpreter, fonts and CMaps) must return or fail, never
//! panic, hang or blow up memory.
#![no_main]

use libfuzzer_sys::fuzz_target;
use planparse::pdf;

fuzz_target!(|data: &[u8]| {
    let _ = pdf::extract(data, &limits());
});

/// Defaults scaled down so that a legitimate but large input does not read as
/// a hang or an OOM to libFuzzer (`-rss_limit_mb`, `-timeout`).
fn limits() -> pdf::Limits {
    pdf::Limits {
        max_stream_bytes: 16 << 20,
        max_document_bytes: 64 << 20,
        max_ops_per_page: 200_000,
        ..pdf::Limits::default()
    }
}
