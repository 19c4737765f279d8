//! A bounded load on a running `planparse serve`: N requests from C concurrent
//! clients on loopback, over a mix of every page and API route, one
//! connection per request. Prints errors, requests per second and latency
//! percentiles, overall and per route. `benches/serve_load.sh` starts the
//! server over the indexed corpus and runs this.
//!
//! ```sh
//! cargo run --release --example serve_load -- http://127.0.0.1:8080/ [REQUESTS] [CLIENTS]
//! ```

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What one request took, and whether it failed.
struct Sample {
    route: &'static str,
    latency: Duration,
    error: Option<String>,
}

/// One GET over a fresh connection: the status and the body.
fn get(addr: &str, path: &str) -> Result<(u16, Vec<u8>), String> {
    let mut stream = TcpStream::connect(addr).map_err(|e| format!("connect: {e}"))?;
    stream.set_read_timeout(Some(Duration::from_secs(30))).map_err(|e| e.to_string())?;
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").map_err(|e| format!("send: {e}"))?;
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).map_err(|e| format!("read: {e}"))?;
    let split = bytes.windows(4).position(|w| w == b"\r\n\r\n").ok_or("no header block")?;
    let status = String::from_utf8_lossy(&bytes[..split]).split_whitespace().nth(1).and_then(|s| s.parse().ok()).ok_or("no status")?;
    Ok((status, bytes[split + 4..].to_vec()))
}

fn get_json(addr: &str, path: &str) -> serde_json::Value {
    let (status, body) = get(addr, path).unwrap_or_else(|e| panic!("{path}: {e}"));
    assert_eq!(status, 200, "{path}");
    serde_json::from_slice(&body).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// The mix: searches (plain, faceted, paged, JSON), the document list,
/// document pages, measure pages and their JSON, and diff pages of the
/// plans with two periods.
fn routes(addr: &str) -> Vec<(&'static str, String)> {
    let docs = get_json(addr, "/api/documents");
    let docs = docs.as_array().expect("documents");
    let mut routes: Vec<(&'static str, String)> = Vec::new();
    for q in ["støtte", "kliniske studier", "forskning", "biobank", "UH", "innovasjon"] {
        routes.push(("search", format!("/?q={}", enc(q))));
        routes.push(("api/search", format!("/api/search?q={}", enc(q))));
    }
    let stotte = get_json(addr, &format!("/api/search?q={}", enc("støtte")));
    if let Some(party) = stotte["facets"]["responsible"][0]["value"].as_str() {
        routes.push(("search", format!("/?q={}&responsible={}", enc("støtte"), enc(party))));
    }
    routes.push(("search", format!("/?q={}&page=2", enc("støtte"))));
    routes.push(("documents", "/documents".to_string()));
    for d in docs.iter().take(6) {
        let id = d["id"].as_str().expect("id");
        routes.push(("document", format!("/documents/{id}")));
        routes.push(("api/document", format!("/api/documents/{id}")));
    }
    for hit in stotte["hits"].as_array().expect("hits").iter().take(6) {
        let url = hit["url"].as_str().expect("url");
        if url.starts_with("/measures/") {
            routes.push(("measure", url.to_string()));
            routes.push(("api/measure", format!("/api{url}")));
        }
    }
    // Diffs between the periods of each organization's plans.
    let mut pairs = Vec::new();
    for a in docs {
        for b in docs {
            let (from_a, from_b) = (a["period"]["from"].as_i64(), b["period"]["from"].as_i64());
            if a["organization"].is_string() && a["organization"] == b["organization"] && a["format"] == b["format"] && from_a.is_some() && from_b > from_a {
                pairs.push((a["id"].as_str().unwrap_or_default().to_string(), b["id"].as_str().unwrap_or_default().to_string()));
            }
        }
    }
    for (a, b) in pairs.iter().take(2) {
        routes.push(("diff", format!("/diff?a={a}&b={b}")));
        routes.push(("api/diff", format!("/api/diff?a={a}&b={b}")));
    }
    routes
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(url) = args.get(1) else {
        eprintln!("usage: serve_load URL [REQUESTS] [CLIENTS]");
        std::process::exit(2);
    };
    let requests: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(2_000);
    let clients: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(16);
    let addr = url.trim_start_matches("http://").trim_end_matches('/').to_string();
    let routes = Arc::new(routes(&addr));
    println!("{requests} requests from {clients} clients over {} routes at {url}", routes.len());

    let next = Arc::new(AtomicUsize::new(0));
    let samples = Arc::new(Mutex::new(Vec::with_capacity(requests)));
    let start = Instant::now();
    let workers: Vec<_> = (0..clients)
        .map(|_| {
            let (addr, routes, next, samples) = (addr.clone(), Arc::clone(&routes), Arc::clone(&next), Arc::clone(&samples));
            std::thread::spawn(move || loop {
                let k = next.fetch_add(1, Ordering::Relaxed);
                if k >= requests {
                    break;
                }
                let (route, path) = &routes[k % routes.len()];
                let t = Instant::now();
                let error = match get(&addr, path) {
                    Ok((200, body)) if !body.is_empty() => None,
                    Ok((status, _)) => Some(format!("{path}: status {status}")),
                    Err(e) => Some(format!("{path}: {e}")),
                };
                let sample = Sample { route, latency: t.elapsed(), error };
                if let Ok(mut s) = samples.lock() {
                    s.push(sample);
                }
            })
        })
        .collect();
    for w in workers {
        let _ = w.join();
    }
    let wall = start.elapsed();
    let samples = std::mem::take(&mut *samples.lock().expect("samples"));
    let errors: Vec<&String> = samples.iter().filter_map(|s| s.error.as_ref()).collect();
    let mut all: Vec<Duration> = samples.iter().map(|s| s.latency).collect();
    all.sort();
    println!(
        "done: {} requests, {} errors, {:.2} s, {:.0} req/s, p50 {}, p90 {}, p99 {}, max {}",
        samples.len(),
        errors.len(),
        wall.as_secs_f64(),
        samples.len() as f64 / wall.as_secs_f64(),
        ms(percentile(&all, 50.0)),
        ms(percentile(&all, 90.0)),
        ms(percentile(&all, 99.0)),
        ms(all.last().copied().unwrap_or_default())
    );
    let mut names: Vec<&str> = routes.iter().map(|(r, _)| *r).collect();
    names.sort();
    names.dedup();
    println!("{:<14} {:>8} {:>10} {:>10}", "route", "requests", "p50", "p99");
    for name in names {
        let mut lat: Vec<Duration> = samples.iter().filter(|s| s.route == name).map(|s| s.latency).collect();
        lat.sort();
        println!("{:<14} {:>8} {:>10} {:>10}", name, lat.len(), ms(percentile(&lat, 50.0)), ms(percentile(&lat, 99.0)));
    }
    for e in errors.iter().take(10) {
        eprintln!("error: {e}");
    }
    if !errors.is_empty() {
        std::process::exit(1);
    }
}
