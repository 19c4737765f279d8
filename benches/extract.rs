//! Criterion benchmarks over the corpus PDFs: the text layer alone, layout,
//! and the whole conversion; and the corpus web pages against the PDFs
//! Chromium printed from them (the same documents). For the ratio against
//! `pdftotext` measured in the same run, use `benches/compare.sh`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use planparse::pipeline::{convert_bytes, Options};

fn corpus_pdfs() -> Vec<(String, Vec<u8>)> {
    corpus_files(|name| name.ends_with(".pdf"))
}

fn corpus_files(wanted: impl Fn(&str) -> bool) -> Vec<(String, Vec<u8>)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.file_name().is_some_and(|n| wanted(&n.to_string_lossy()))).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .filter_map(|p| Some((p.file_name()?.to_string_lossy().into_owned(), std::fs::read(&p).ok()?)))
        .collect();
    files.sort();
    files
}

fn bench(c: &mut Criterion) {
    let files = corpus_pdfs();
    let opts = Options::default();
    let pages: u64 = files.iter().filter_map(|(_, b)| planparse::pdf::extract(b, &opts.limits).ok()).map(|d| d.pages.len() as u64).sum();
    let mut g = c.benchmark_group("corpus");
    g.throughput(Throughput::Elements(pages));
    g.bench_function("extract", |b| b.iter(|| files.iter().filter_map(|(_, bytes)| planparse::pdf::extract(bytes, &opts.limits).ok()).count()));
    g.bench_function("extract+layout", |b| b.iter(|| files.iter().filter_map(|(n, bytes)| planparse::pipeline::layout_bytes(n, bytes, &opts).ok()).count()));
    g.bench_function("convert", |b| b.iter(|| files.iter().filter_map(|(n, bytes)| convert_bytes(n, bytes, &opts).ok()).count()));
    g.finish();
}

/// Each corpus web page, and the PDF Chromium printed from it.
fn web_vs_pdf(c: &mut Criterion) {
    let pages = corpus_files(|name| name.ends_with(".html"));
    let prints = corpus_files(|name| name.strip_suffix(".chromium.pdf").is_some_and(|base| pages.iter().any(|(p, _)| p.strip_suffix(".html") == Some(base))));
    let opts = Options::default();
    let mut g = c.benchmark_group("same documents");
    g.throughput(Throughput::Elements(pages.len() as u64));
    g.bench_function("convert html", |b| b.iter(|| pages.iter().filter_map(|(n, bytes)| convert_bytes(n, bytes, &opts).ok()).count()));
    g.bench_function("convert chromium pdf", |b| b.iter(|| prints.iter().filter_map(|(n, bytes)| convert_bytes(n, bytes, &opts).ok()).count()));
    g.finish();
}

criterion_group!(benches, bench, web_vs_pdf);
criterion_main!(benches);
