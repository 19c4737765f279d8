//! The web server's caps (issue 18), over real sockets: request line,
//! headers and body are capped with the matching status; slow readers,
//! clients that send their request a byte at a time and a flood of huge
//! headers leave other requests answered within a second, in bounded memory.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn planparse(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_planparse")).args(args).output().expect("planparse runs")
}

struct Serve {
    child: Child,
    addr: String,
}

impl Serve {
    fn start(db: &Path) -> Serve {
        let mut child = Command::new(env!("CARGO_BIN_EXE_planparse"))
            .arg("serve")
            .arg(db)
            .args(["--addr", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("serve starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("startup line");
        let url = line.split_whitespace().find(|w| w.starts_with("http://")).unwrap_or_else(|| panic!("no URL in {line:?}"));
        Serve { child, addr: url.trim_start_matches("http://").trim_end_matches('/').to_string() }
    }

    /// Status and body of a raw request; the read fails the test after `limit`.
    fn raw(&self, request: &[u8], limit: Duration) -> (u16, Vec<u8>) {
        let mut stream = TcpStream::connect(&self.addr).expect("connects");
        stream.set_read_timeout(Some(limit)).expect("timeout");
        // The server may answer (and close) before it has read all of an oversized request.
        let _ = stream.write_all(request);
        let mut bytes = Vec::new();
        let _ = stream.read_to_end(&mut bytes);
        let split =
            bytes.windows(4).position(|w| w == b"\r\n\r\n").unwrap_or_else(|| panic!("no reply within {limit:?}: {:?}", String::from_utf8_lossy(&bytes)));
        let status = String::from_utf8_lossy(&bytes[..split]).split_whitespace().nth(1).and_then(|s| s.parse().ok()).expect("status");
        (status, bytes[split + 4..].to_vec())
    }

    fn get(&self, path: &str, limit: Duration) -> (u16, Vec<u8>) {
        self.raw(format!("GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", self.addr).as_bytes(), limit)
    }

    /// Peak resident memory of the server (Linux), KiB.
    fn peak_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        status.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse().ok()
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A dataset of a corpus plan and a 48 MiB document (a converted plan padded
/// with white space), and the server over it.
fn serve_dataset(dir: &Path) -> (Serve, String) {
    let out = planparse(&["convert", root().join("corpus/hlk-2021-2025.txt").to_str().expect("path")]);
    assert!(out.status.success());
    let mut bytes = out.stdout;
    bytes.resize(bytes.len() + (48 << 20), b' ');
    let big = dir.join("big.json");
    std::fs::write(&big, &bytes).expect("write");
    let db = dir.join("plans.sqlite");
    let out = planparse(&["index", db.to_str().expect("path"), big.to_str().expect("path")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let serve = Serve::start(&db);
    let (status, body) = serve.get("/api/documents", Duration::from_secs(30));
    assert_eq!(status, 200);
    let docs: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
    let id = docs[0]["id"].as_str().expect("an id").to_string();
    (serve, id)
}

#[test]
fn request_line_headers_and_body_are_capped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (serve, _) = serve_dataset(dir.path());
    let limit = Duration::from_secs(5);
    let long_url = format!("GET /?q={} HTTP/1.1\r\nHost: localhost\r\n\r\n", "a".repeat(100_000));
    assert_eq!(serve.raw(long_url.as_bytes(), limit).0, 414);
    let big_header = format!("GET / HTTP/1.1\r\nHost: localhost\r\nX-Fill: {}\r\n\r\n", "b".repeat(1 << 20));
    assert_eq!(serve.raw(big_header.as_bytes(), limit).0, 431);
    let many: String = (0..200).map(|i| format!("X-H{i}: v\r\n")).collect();
    assert_eq!(serve.raw(format!("GET / HTTP/1.1\r\nHost: localhost\r\n{many}\r\n").as_bytes(), limit).0, 431);
    let (status, body) = serve.raw(b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100000000\r\n\r\n", limit);
    assert_eq!(status, 413, "{}", String::from_utf8_lossy(&body));
    assert_eq!(serve.raw(b"GET / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n", limit).0, 411);
    assert_eq!(serve.raw(b"NOT HTTP AT ALL\r\n\r\n", limit).0, 400);
    // A small body is read and dropped; the method is still refused.
    assert_eq!(serve.raw(b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhello", limit).0, 405);
    // Under the caps all is as before.
    assert_eq!(serve.get("/documents", limit).0, 200);
}

#[test]
fn slow_readers_slow_senders_and_a_header_flood_leave_others_answered_within_a_second() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (serve, id) = serve_dataset(dir.path());
    let addr = serve.addr.clone();

    // Four clients ask for the 48 MiB file and never read it.
    let slow_readers: Vec<TcpStream> = (0..4)
        .map(|_| {
            let mut stream = TcpStream::connect(&addr).expect("connects");
            write!(stream, "GET /source/{id} HTTP/1.1\r\nHost: {addr}\r\n\r\n").expect("sends");
            stream
        })
        .collect();
    let stop = Arc::new(AtomicBool::new(false));
    let mut threads = Vec::new();
    // Four clients send their request a byte at a time.
    for _ in 0..4 {
        let (addr, stop) = (addr.clone(), Arc::clone(&stop));
        threads.push(std::thread::spawn(move || {
            let Ok(mut stream) = TcpStream::connect(&addr) else { return };
            for b in b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ".iter().cycle() {
                if stop.load(Ordering::SeqCst) || stream.write_all(&[*b]).is_err() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        }));
    }
    // Eight clients send 4 MiB of headers, again and again.
    for _ in 0..8 {
        let (addr, stop) = (addr.clone(), Arc::clone(&stop));
        threads.push(std::thread::spawn(move || {
            let chunk = format!("X-Fill: {}\r\n", "c".repeat(64 * 1024));
            while !stop.load(Ordering::SeqCst) {
                let Ok(mut stream) = TcpStream::connect(&addr) else { continue };
                let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
                let _ = stream.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\n");
                for _ in 0..64 {
                    if stop.load(Ordering::SeqCst) || stream.write_all(chunk.as_bytes()).is_err() {
                        break;
                    }
                }
            }
        }));
    }
    std::thread::sleep(Duration::from_millis(500));
    for path in ["/api/documents", "/", "/documents"].iter().cycle().take(12) {
        let started = Instant::now();
        let (status, _) = serve.get(path, Duration::from_secs(1));
        assert_eq!(status, 200, "{path}");
        assert!(started.elapsed() < Duration::from_secs(1), "{path} took {:?}", started.elapsed());
        std::thread::sleep(Duration::from_millis(100));
    }
    stop.store(true, Ordering::SeqCst);
    for t in threads {
        let _ = t.join();
    }
    drop(slow_readers);
    if let Some(kib) = serve.peak_kib() {
        assert!(kib < 256 * 1024, "the server peaked at {kib} KiB");
    } else {
        println!("skip: no /proc/PID/status here; the server's memory is not measured");
    }
}
