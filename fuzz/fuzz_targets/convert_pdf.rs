//! Bytes → `pipeline::convert_bytes` as a `.pdf`: the whole pipeline (text
//! layer, layout, segmentation) on hostile PDFs.
#![no_main]

use libfuzzer_sys::fuzz_target;
use planparse::{pdf, pipeline};

fuzz_target!(|data: &[u8]| {
    let opts = pipeline::Options {
        limits: pdf::Limits {
            max_stream_bytes: 16 << 20,
            max_document_bytes: 64 << 20,
            max_ops_per_page: 200_000,
            ..pdf::Limits::default()
        },
        // No subprocesses while fuzzing.
        ocr: planparse::ocr::OcrOptions { mode: planparse::ocr::OcrMode::Never, ..Default::default() },
        ..pipeline::Options::default()
    };
    let _ = pipeline::convert_bytes("fuzz.pdf", data, &opts);
});
