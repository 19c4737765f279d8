//! Shared test helpers: corpus paths and conversion through the library.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use planparse::model::Document;
use planparse::pipeline::{convert_bytes, Options};

pub fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// Converts one corpus file (by file name).
pub fn convert(name: &str) -> Document {
    let path = corpus().join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    convert_bytes(name, &bytes, &Options::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The gold file of a corpus file (`hlk-2021-2025.chromium.pdf` → `gold/hlk-2021-2025.json`).
pub fn gold(name: &str) -> serde_json::Value {
    let base = name.split('.').next().unwrap_or(name);
    let path = corpus().join("gold").join(format!("{base}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Corpus files with one of the given extensions (`.chromium.pdf` counts as `.pdf`).
pub fn corpus_files(ext: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(corpus())
        .expect("corpus folder")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(ext))
        .collect();
    names.sort();
    names
}

/// Runs headless Chromium with the flags that keep it off the network, in its
/// own profile folder; `None` when no Chromium is installed (the callers then
/// print a skip message).
pub fn chromium(args: &[&str], profile: &Path) -> Option<std::process::Output> {
    use std::process::Command;
    let exe = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| Command::new(c).arg("--version").output().is_ok_and(|o| o.status.success()))?;
    let mut cmd = Command::new(exe);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ]);
    cmd.arg(format!("--user-data-dir={}", profile.display()));
    cmd.args(args);
    cmd.output().ok()
}
