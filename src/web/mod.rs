//! `planparse serve`: a read-only web page over a dataset: search with facets,
//! documents, measures across plan versions, diffs, and the JSON behind them.
//!
//! ```no_run
//! let server = planparse::web::Server::bind("plans.sqlite".as_ref(), "127.0.0.1:8080", 4)?;
//! println!("{}", server.url());
//! server.run(); // serves until the process ends
//! # Ok::<(), planparse::web::StartError>(())
//! ```
//!
//! Invariants:
//! - Nothing writes: every worker opens the dataset read-only, the routes
//!   answer `GET` and `HEAD` only, and every user value reaches SQLite as a
//!   bound parameter (through [`Dataset`]'s queries).
//! - Every piece of document text is escaped by `maud` (or by the diff
//!   report's own escaping); pages carry a Content-Security-Policy that allows
//!   inline styles and nothing else, so no script runs and nothing loads from
//!   the network.
//! - Bound to a loopback address, the server answers only requests whose
//!   `Host` is a loopback name, so a web page elsewhere cannot reach it through
//!   a DNS name rebound to 127.0.0.1.
//!
//! Routes (`docs/web.md`): `/` search, `/documents`, `/documents/{id}`,
//! `/measures/{document id}/{measure id}`, `/diff?a=&b=`, `/source/{id}`, and
//! under `/api/` the same as JSON.

mod pages;
mod params;
mod views;

use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::dataset::sqlite::{Dataset, DatasetError};
use params::{Params, SearchParams};
use views::{Caches, Store};

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Dataset(#[from] DatasetError),
    #[error("{addr}: not an address to listen on (expected e.g. 127.0.0.1:8080)")]
    Address { addr: String },
    #[error("{addr}: cannot listen: {detail}")]
    Bind { addr: String, detail: String },
}

/// A bound server, not yet answering.
///
/// The HTTP layer is small and bounded by design (it replaced `tiny_http`
/// 0.12, which caps neither a request's line nor its headers and starts a
/// thread per connection): requests are parsed by `httparse` (the parser
/// under `hyper`) from at most [`MAX_HEAD_BYTES`] bytes and [`MAX_HEADERS`]
/// fields; bodies are never read (the routes answer `GET` and `HEAD`), one
/// over [`MAX_BODY_BYTES`] is refused; [`CONNECTION_THREADS`] threads read
/// requests and write replies, [`QUEUE`] accepted connections wait for them
/// and any beyond are answered 503 at once; the `--threads` workers, each with
/// its own read-only dataset connection, only compute replies. Every
/// connection answers one request and closes. A full server crate with such
/// limits (`hyper`, `axum`, `actix-web`) would bring an async runtime for a
/// read-only local page.
pub struct Server {
    listener: TcpListener,
    db: PathBuf,
    local: SocketAddr,
    threads: usize,
}

/// A request line and its headers together may take this many bytes; a
/// longer head is refused with 431 (414 when the request line alone is).
pub const MAX_HEAD_BYTES: usize = 16 * 1024;
/// Header fields a request may have (431 beyond).
pub const MAX_HEADERS: usize = 64;
/// Largest request body accepted (read and dropped: no route takes one); 413 beyond.
pub const MAX_BODY_BYTES: u64 = 64 * 1024;
/// The whole request head must arrive within this: a client that sends it a
/// byte at a time holds a connection thread no longer (408).
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// Connections read and written at once.
pub const CONNECTION_THREADS: usize = 32;
/// Accepted connections waiting for a connection thread; one more is
/// answered `503 Service Unavailable` and closed.
pub const QUEUE: usize = 64;

impl Server {
    /// Checks that `db` is a dataset this planparse reads, and listens on
    /// `addr` (port 0: any free port; see [`Server::url`]).
    pub fn bind(db: &Path, addr: &str, threads: usize) -> Result<Server, StartError> {
        Dataset::open_read_only(db)?;
        let socket = addr.to_socket_addrs().ok().and_then(|mut a| a.next()).ok_or_else(|| StartError::Address { addr: addr.to_string() })?;
        let bind_error = |detail: String| StartError::Bind { addr: addr.to_string(), detail };
        let listener = listen(socket).map_err(|e| bind_error(e.to_string()))?;
        let local = listener.local_addr().unwrap_or(socket);
        Ok(Server { listener, db: db.to_path_buf(), local, threads: threads.max(1) })
    }

    /// The address to open in a browser.
    pub fn url(&self) -> String {
        let host = if self.local.ip().is_unspecified() { "127.0.0.1".to_string() } else { self.local.ip().to_string() };
        let host = if self.local.is_ipv6() && !self.local.ip().is_unspecified() { format!("[{host}]") } else { host };
        format!("http://{host}:{}/", self.local.port())
    }

    /// Whether the server listens on a loopback address only.
    pub fn is_loopback(&self) -> bool {
        self.local.ip().is_loopback()
    }

    /// Answers requests until the process ends: `threads` workers, each with
    /// its own read-only connection, compute replies; the connection threads
    /// read requests and write replies. A worker whose connection cannot be
    /// opened says so on stderr and stops; the others go on.
    pub fn run(self) {
        let caches = Arc::new(Caches::default());
        let loopback = self.is_loopback();
        let (jobs, job_queue) = mpsc::sync_channel::<Job>(self.threads * 2);
        let job_queue = Arc::new(Mutex::new(job_queue));
        for _ in 0..self.threads {
            let (job_queue, caches, db) = (Arc::clone(&job_queue), Arc::clone(&caches), self.db.clone());
            let spawned = std::thread::Builder::new().name("planparse serve worker".into()).spawn(move || {
                let dataset = match Dataset::open_read_only(&db) {
                    Ok(d) => d,
                    Err(e) => {
                        eprintln!("planparse serve: {e}");
                        return;
                    }
                };
                let store = Store::new(dataset, caches);
                while let Some(job) = next(&job_queue) {
                    // A panic answering one request (answered 500) must not
                    // take the worker with it.
                    let answered = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| answer(&store, loopback, &job.request)));
                    let reply = answered.unwrap_or_else(|_| {
                        eprintln!("planparse serve: internal error answering {}", job.request.target);
                        failure_reply(&job.request.target, Failure { status: 500, message: "internal error".into() })
                    });
                    let _ = job.reply.send(reply);
                }
            });
            if let Err(e) = spawned {
                eprintln!("planparse serve: cannot start a worker: {e}");
            }
        }
        let (connections, waiting) = mpsc::sync_channel::<TcpStream>(QUEUE);
        let waiting = Arc::new(Mutex::new(waiting));
        for _ in 0..CONNECTION_THREADS {
            let (waiting, jobs) = (Arc::clone(&waiting), jobs.clone());
            let spawned = std::thread::Builder::new().name("planparse serve connection".into()).spawn(move || {
                while let Some(stream) = next(&waiting) {
                    // A panic on one connection must not shrink the pool.
                    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| serve_connection(stream, &jobs)));
                }
            });
            if let Err(e) = spawned {
                eprintln!("planparse serve: cannot start a connection thread: {e}");
            }
        }
        for stream in self.listener.incoming() {
            match stream {
                Ok(stream) => match connections.try_send(stream) {
                    Ok(()) => {}
                    Err(TrySendError::Full(stream)) => refuse(stream),
                    Err(TrySendError::Disconnected(_)) => return,
                },
                // Out of file descriptors, say: let the connections in hand close first.
                Err(_) => std::thread::sleep(Duration::from_millis(20)),
            }
        }
    }
}

/// The next item of a queue shared by threads; `None` once it is closed.
fn next<T>(queue: &Mutex<Receiver<T>>) -> Option<T> {
    queue.lock().ok()?.recv().ok()
}

/// A request handed to a worker, and where its reply goes.
struct Job {
    request: HttpRequest,
    reply: SyncSender<(u16, Reply)>,
}

/// The parts of a request the routes read.
#[derive(Debug)]
struct HttpRequest {
    method: String,
    /// Path and query, as sent.
    target: String,
    headers: Vec<(String, String)>,
}

impl HttpRequest {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// How long one read or write on a client connection may wait: a client that
/// stops reading a response frees the connection thread writing it after this.
pub const IO_TIMEOUT: Duration = Duration::from_secs(10);

/// The listening socket. `socket2` is the maintained crate for the options
/// `std` does not expose before `bind` (address reuse).
fn listen(addr: SocketAddr) -> std::io::Result<TcpListener> {
    use socket2::{Domain, Protocol, Socket, Type};
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    socket.set_reuse_address(true)?;
    socket.bind(&addr.into())?;
    socket.listen(128)?;
    Ok(socket.into())
}

/// One connection: its request read within the caps, answered by a worker,
/// the reply written, the connection closed.
fn serve_connection(mut stream: TcpStream, jobs: &SyncSender<Job>) {
    let _ = stream.set_write_timeout(Some(IO_TIMEOUT));
    let (request, body_bytes) = match read_head(&mut stream) {
        Ok(Some(head)) => head,
        Ok(None) => return,
        Err(failure) => {
            let reply = failure_reply("/", failure);
            let _ = write_reply(&mut stream, false, reply);
            close(stream);
            return;
        }
    };
    // A small body is read and dropped, so closing does not reset the
    // connection under the reply.
    if body_bytes > 0 {
        let _ = std::io::copy(&mut Read::by_ref(&mut stream).take(body_bytes), &mut std::io::sink());
    }
    let head_only = request.method == "HEAD";
    let (tx, rx) = mpsc::sync_channel(1);
    if jobs.send(Job { request, reply: tx }).is_err() {
        return;
    }
    if let Ok(reply) = rx.recv() {
        let _ = write_reply(&mut stream, head_only, reply);
    }
    close(stream);
}

/// Tells the client the reply is complete, then closes.
fn close(stream: TcpStream) {
    let _ = stream.shutdown(Shutdown::Write);
}

/// Answers a connection the queue has no room for, without waiting on it.
fn refuse(mut stream: TcpStream) {
    let _ = stream.set_write_timeout(Some(Duration::from_millis(100)));
    let body = "the server is busy: try again in a moment\n";
    let _ = write!(stream, "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nRetry-After: 1\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len());
    close(stream);
}

/// Reads a request head within [`MAX_HEAD_BYTES`], [`MAX_HEADERS`] and
/// [`HEAD_TIMEOUT`]; returns it with the number of body bytes still to read
/// (`None`: the client closed without a request).
fn read_head(stream: &mut TcpStream) -> Result<Option<(HttpRequest, u64)>, Failure> {
    let deadline = Instant::now() + HEAD_TIMEOUT;
    let mut buf: Vec<u8> = Vec::with_capacity(2048);
    let mut chunk = [0u8; 4096];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return Err(Failure { status: 408, message: "the request did not arrive in time".into() });
        }
        let n = match stream.read(&mut chunk) {
            Ok(0) if buf.is_empty() => return Ok(None),
            Ok(0) => return Err(Failure::bad_request("the request ended before its headers did")),
            Ok(n) => n,
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {
                return Err(Failure { status: 408, message: "the request did not arrive in time".into() })
            }
            Err(_) => return Ok(None),
        };
        buf.extend_from_slice(&chunk[..n]);
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut parsed = httparse::Request::new(&mut headers);
        let too_large = |buf: &[u8]| {
            if buf.iter().take(MAX_HEAD_BYTES).any(|b| *b == b'\n') {
                Failure { status: 431, message: format!("request headers over {MAX_HEAD_BYTES} bytes") }
            } else {
                Failure { status: 414, message: format!("request line over {MAX_HEAD_BYTES} bytes") }
            }
        };
        match parsed.parse(&buf) {
            Ok(httparse::Status::Complete(len)) if len > MAX_HEAD_BYTES => return Err(too_large(&buf)),
            Ok(httparse::Status::Complete(len)) => {
                let request = HttpRequest {
                    method: parsed.method.unwrap_or_default().to_string(),
                    target: parsed.path.unwrap_or("/").to_string(),
                    headers: parsed.headers.iter().map(|h| (h.name.to_string(), String::from_utf8_lossy(h.value).into_owned())).collect(),
                };
                if request.header("Transfer-Encoding").is_some() {
                    return Err(Failure { status: 411, message: "request bodies are not read here: send none (or a Content-Length)".into() });
                }
                let length = match request.header("Content-Length").map(|v| v.trim().parse::<u64>()) {
                    None => 0,
                    Some(Ok(n)) if n <= MAX_BODY_BYTES => n,
                    Some(Ok(_)) => return Err(Failure { status: 413, message: format!("request body over {MAX_BODY_BYTES} bytes") }),
                    Some(Err(_)) => return Err(Failure::bad_request("Content-Length is not a number")),
                };
                let already = (buf.len() - len) as u64;
                return Ok(Some((request, length.saturating_sub(already))));
            }
            Ok(httparse::Status::Partial) if buf.len() > MAX_HEAD_BYTES => return Err(too_large(&buf)),
            Ok(httparse::Status::Partial) => {}
            Err(httparse::Error::TooManyHeaders) => return Err(Failure { status: 431, message: format!("more than {MAX_HEADERS} request headers") }),
            Err(e) => return Err(Failure::bad_request(format!("malformed request: {e}"))),
        }
    }
}

/// What a route answers.
pub(crate) enum Reply {
    Html(String),
    Json(String),
    /// A source file as it is on disk now, with its content type.
    File {
        file: File,
        content_type: &'static str,
        download_name: Option<String>,
    },
}

/// A route's failure: the status and what to tell the reader.
#[derive(Debug)]
pub(crate) struct Failure {
    pub status: u16,
    pub message: String,
}

impl Failure {
    pub fn bad_request(message: impl Into<String>) -> Self {
        Failure { status: 400, message: message.into() }
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        Failure { status: 404, message: message.into() }
    }
}

impl From<DatasetError> for Failure {
    fn from(e: DatasetError) -> Self {
        match e {
            DatasetError::Query { .. } | DatasetError::QueryLimit(_) => Failure::bad_request(e.to_string()),
            e => {
                eprintln!("planparse serve: {e}");
                Failure { status: 500, message: e.to_string() }
            }
        }
    }
}

/// Scripts, frames, fonts, images and connections: none. Inline styles only.
const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

fn answer(store: &Store, loopback: bool, request: &HttpRequest) -> (u16, Reply) {
    let url = request.target.as_str();
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let result = if !matches!(request.method.as_str(), "GET" | "HEAD") {
        Err(Failure { status: 405, message: format!("{} is not served here: this server only reads (GET)", request.method) })
    } else if loopback && !host_is_loopback(request) {
        Err(Failure { status: 403, message: "this server answers only requests addressed to localhost".to_string() })
    } else {
        route(store, path, query)
    };
    match result {
        Ok(reply) => (200, reply),
        Err(f) => failure_reply(path, f),
    }
}

/// A failure as a reply: JSON under `/api/`, a page elsewhere.
fn failure_reply(path: &str, f: Failure) -> (u16, Reply) {
    if path.starts_with("/api/") {
        (f.status, Reply::Json(serde_json::json!({ "status": f.status, "error": f.message }).to_string()))
    } else {
        (f.status, Reply::Html(pages::failure(f.status, &f.message)))
    }
}

/// Writes a reply with a known length (never chunks) and `Connection: close`;
/// a `HEAD` reply announces the body it leaves out.
fn write_reply(stream: &mut TcpStream, head_only: bool, (status, reply): (u16, Reply)) -> std::io::Result<()> {
    let mut headers = Vec::new();
    let body: Box<dyn Read> = match reply {
        Reply::Html(body) => {
            headers.extend(common_headers("text/html; charset=utf-8"));
            headers.push(("Content-Security-Policy", CSP.to_string()));
            headers.push(("Content-Length", body.len().to_string()));
            Box::new(std::io::Cursor::new(body.into_bytes()))
        }
        Reply::Json(body) => {
            headers.extend(common_headers("application/json; charset=utf-8"));
            headers.push(("Content-Length", body.len().to_string()));
            Box::new(std::io::Cursor::new(body.into_bytes()))
        }
        Reply::File { file, content_type, download_name } => {
            headers.extend(common_headers(content_type));
            if content_type != "application/pdf" {
                // Shown as a document of its own, never as part of this site.
                headers.push(("Content-Security-Policy", "sandbox".to_string()));
            }
            if let Some(name) = download_name {
                let encoded = percent_encoding::utf8_percent_encode(&name, percent_encoding::NON_ALPHANUMERIC);
                headers.push(("Content-Disposition", format!("attachment; filename*=UTF-8''{encoded}")));
            }
            let length = file.metadata()?.len();
            headers.push(("Content-Length", length.to_string()));
            Box::new(file.take(length))
        }
    };
    let mut out = BufWriter::with_capacity(64 * 1024, stream);
    write!(out, "HTTP/1.1 {status} {}\r\n", reason(status))?;
    for (name, value) in headers {
        write!(out, "{name}: {value}\r\n")?;
    }
    out.write_all(b"Connection: close\r\n\r\n")?;
    if !head_only {
        let mut body = body;
        std::io::copy(&mut body, &mut out)?;
    }
    out.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        411 => "Length Required",
        413 => "Content Too Large",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

fn common_headers(content_type: &str) -> Vec<(&'static str, String)> {
    vec![
        ("Content-Type", content_type.to_string()),
        ("X-Content-Type-Options", "nosniff".to_string()),
        ("Referrer-Policy", "no-referrer".to_string()),
        ("Cache-Control", "no-cache".to_string()),
    ]
}

/// Whether the request's `Host` names this machine (`localhost`, `127.x.x.x`,
/// `[::1]`, with any port). A request without `Host` (HTTP/1.0) passes.
fn host_is_loopback(request: &HttpRequest) -> bool {
    let Some(host) = request.header("Host").map(str::to_ascii_lowercase) else {
        return true;
    };
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or_default().to_string()
    } else {
        host.rsplit_once(':').map_or(host.clone(), |(h, _)| h.to_string())
    };
    name == "localhost" || name.ends_with(".localhost") || name.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

fn route(store: &Store, path: &str, query: &str) -> Result<Reply, Failure> {
    let params = Params::parse(query)?;
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match segments.as_slice() {
        [""] => {
            let search = SearchParams::parse(&params)?;
            Ok(Reply::Html(pages::search(&search, &store.search(&search)?)))
        }
        ["documents"] => Ok(Reply::Html(pages::documents(&store.documents()?))),
        ["documents", id] => Ok(Reply::Html(pages::document(&store.document_view(id)?))),
        ["measures", doc, rest @ ..] if !rest.is_empty() => {
            let (doc, measure) = measure_key(doc, rest)?;
            Ok(Reply::Html(pages::measure(&store.measure(&doc, &measure)?)))
        }
        ["diff"] if params.get("a").is_none() && params.get("b").is_none() => Ok(Reply::Html(pages::diff_chooser(&store.documents()?))),
        ["diff"] => {
            let (a, b) = diff_ids(&params)?;
            let comparison = store.comparison(&a, &b)?;
            Ok(Reply::Html(crate::diff::html::render_with_header(&comparison, &pages::diff_header(&a, &b))))
        }
        ["source", id] => store.source(id),
        ["api", "search"] => {
            let search = SearchParams::parse(&params)?;
            json(&views::SearchJson::of(&search, &store.search(&search)?))
        }
        ["api", "documents"] => json(&store.documents()?),
        ["api", "documents", id] => json(&*store.document(id)?),
        ["api", "measures", doc, rest @ ..] if !rest.is_empty() => {
            let (doc, measure) = measure_key(doc, rest)?;
            json(&store.measure(&doc, &measure)?)
        }
        ["api", "diff"] => {
            let (a, b) = diff_ids(&params)?;
            json(&store.comparison(&a, &b)?.diff)
        }
        _ => Err(Failure::not_found(format!("nothing is served at {path}"))),
    }
}

fn json<T: serde::Serialize + ?Sized>(value: &T) -> Result<Reply, Failure> {
    serde_json::to_string(value).map(Reply::Json).map_err(|e| Failure { status: 500, message: format!("cannot serialize: {e}") })
}

/// The document id and the measure id (`1/1a`: the rest of the path, each
/// segment percent-decoded) of a measure path.
fn measure_key(doc: &str, rest: &[&str]) -> Result<(String, String), Failure> {
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8()
            .map(|c| c.into_owned())
            .map_err(|_| Failure::bad_request(format!("{s}: not UTF-8 once percent-decoded")))
    };
    let measure: Vec<String> = rest.iter().map(|s| decode(s)).collect::<Result<_, _>>()?;
    Ok((decode(doc)?, measure.join("/")))
}

/// `a` and `b` of a diff request, both required.
fn diff_ids(params: &Params) -> Result<(String, String), Failure> {
    match (params.get("a"), params.get("b")) {
        (Some(a), Some(b)) => Ok((a.to_string(), b.to_string())),
        _ => Err(Failure::bad_request("a diff needs two documents: ?a=OLD-ID&b=NEW-ID")),
    }
}
