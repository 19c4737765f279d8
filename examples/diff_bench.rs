//! What aligning two plan versions costs next to converting them.
//!
//! ```text
//! cargo run --release --example diff_bench -- OLD NEW [OLD NEW ...]
//! ```
//! For each pair: median time of converting OLD and NEW (the pipeline, bytes
//! to `Document`), median time of `diff::compare` on the two converted
//! documents (alignment, change classification, word diffs), and the ratio
//! of the two. Times are CPU time of the thread where Linux reports it (the
//! ratio then holds on a busy machine too), with wall time beside them.
//! `benches/diff.sh` generates 300-measure plans and runs this.

use std::time::{Duration, Instant};

use planparse::diff;
use planparse::pipeline::{convert_bytes, Options};

/// CPU time this thread has run, from Linux's `/proc/thread-self/schedstat`
/// (nanoseconds on a CPU): unlike wall time it does not grow when other
/// processes share the machine (some kernels count it in scheduler ticks,
/// a few milliseconds). `None` elsewhere.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace().next()?.parse().ok().map(Duration::from_nanos)
}

/// Runs `f` `runs` times; returns the median CPU time (wall time where CPU
/// time is unavailable), the median wall time and the last result.
fn median<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, Duration, T) {
    let mut cpu = Vec::with_capacity(runs);
    let mut wall = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let (start, start_cpu) = (Instant::now(), cpu_time());
        last = Some(f());
        let elapsed = start.elapsed();
        wall.push(elapsed);
        cpu.push(match (start_cpu, cpu_time()) {
            (Some(a), Some(b)) => b.saturating_sub(a),
            _ => elapsed,
        });
    }
    cpu.sort();
    wall.sort();
    (cpu[runs / 2], wall[runs / 2], last.expect("at least one run"))
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() || args.len() % 2 != 0 {
        eprintln!("usage: diff_bench OLD NEW [OLD NEW ...]");
        std::process::exit(2);
    }
    let runs: usize = std::env::var("RUNS").ok().and_then(|r| r.parse().ok()).unwrap_or(5);
    println!("{:<36} {:>8} {:>16} {:>16} {:>7}  changes", "pair", "measures", "convert ms cpu/wall", "align ms cpu/wall", "ratio");
    for pair in args.chunks(2) {
        let read = |p: &str| std::fs::read(p).unwrap_or_else(|e| panic!("{p}: {e}"));
        let (old_bytes, new_bytes) = (read(&pair[0]), read(&pair[1]));
        let name = |p: &str| std::path::Path::new(p).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let opts = Options::default();
        let (convert, convert_wall, (old, new)) = median(runs, || {
            let old = convert_bytes(&name(&pair[0]), &old_bytes, &opts).unwrap_or_else(|e| panic!("{}: {e}", pair[0]));
            let new = convert_bytes(&name(&pair[1]), &new_bytes, &opts).unwrap_or_else(|e| panic!("{}: {e}", pair[1]));
            (old, new)
        });
        let (align, align_wall, comparison) = median(runs * 4, || diff::compare(&old, &new));
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "{:<36} {:>8} {:>16} {:>16} {:>6.1}%  {}",
            format!("{} → {}", name(&pair[0]), name(&pair[1])),
            format!("{}/{}", old.measures.len(), new.measures.len()),
            format!("{:.1} / {:.1}", ms(convert), ms(convert_wall)),
            format!("{:.1} / {:.1}", ms(align), ms(align_wall)),
            100.0 * ms(align) / ms(convert),
            diff::describe_counts(&comparison.diff.summary.measures)
        );
    }
}
