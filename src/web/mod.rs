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
use std::net::{SocketAddr, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response};

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
pub struct Server {
    http: Arc<tiny_http::Server>,
    db: PathBuf,
    local: SocketAddr,
    threads: usize,
}

impl Server {
    /// Checks that `db` is a dataset this planparse reads, and listens on
    /// `addr` (port 0: any free port; see [`Server::url`]).
    pub fn bind(db: &Path, addr: &str, threads: usize) -> Result<Server, StartError> {
        Dataset::open_read_only(db)?;
        let socket = addr.to_socket_addrs().ok().and_then(|mut a| a.next()).ok_or_else(|| StartError::Address { addr: addr.to_string() })?;
        let bind_error = |detail: String| StartError::Bind { addr: addr.to_string(), detail };
        let listener = listen(socket).map_err(|e| bind_error(e.to_string()))?;
        let http = tiny_http::Server::from_listener(listener, None).map_err(|e| bind_error(e.to_string()))?;
        let local = http.server_addr().to_ip().unwrap_or(socket);
        Ok(Server { http: Arc::new(http), db: db.to_path_buf(), local, threads: threads.max(1) })
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

    /// Answers requests on `threads` workers, each with its own read-only
    /// connection, until the process ends. A worker whose connection cannot
    /// be opened says so on stderr and stops; the others go on.
    pub fn run(self) {
        let caches = Arc::new(Caches::default());
        let workers: Vec<_> = (0..self.threads)
            .map(|_| {
                let http = Arc::clone(&self.http);
                let caches = Arc::clone(&caches);
                let db = self.db.clone();
                let loopback = self.is_loopback();
                std::thread::spawn(move || {
                    let dataset = match Dataset::open_read_only(&db) {
                        Ok(d) => d,
                        Err(e) => {
                            eprintln!("planparse serve: {e}");
                            return;
                        }
                    };
                    let store = Store::new(dataset, caches);
                    while let Ok(request) = http.recv() {
                        // A panic answering one request (its connection is
                        // closed) must not take the worker with it.
                        let url = request.url().to_string();
                        let answered = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| answer(&store, loopback, request)));
                        if answered.is_err() {
                            eprintln!("planparse serve: internal error answering {url}");
                        }
                    }
                })
            })
            .collect();
        for worker in workers {
            let _ = worker.join();
        }
    }
}

/// How long one read or write on a client connection may wait: a client that
/// stops reading a response (or stops sending its request) frees the worker
/// answering it after this, instead of holding it for good.
pub const IO_TIMEOUT: Duration = Duration::from_secs(10);

/// A listening socket whose connections time out after [`IO_TIMEOUT`].
/// `tiny_http` gives no access to a connection's socket; the timeouts are set
/// on the listening socket instead, which accepted connections inherit (Linux
/// and the BSDs copy them on `accept`). `socket2` is the maintained crate for
/// socket options that `std` does not expose on a listener.
fn listen(addr: SocketAddr) -> std::io::Result<std::net::TcpListener> {
    use socket2::{Domain, Protocol, Socket, Type};
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    socket.set_reuse_address(true)?;
    socket.set_read_timeout(Some(IO_TIMEOUT))?;
    socket.set_write_timeout(Some(IO_TIMEOUT))?;
    socket.bind(&addr.into())?;
    socket.listen(128)?;
    Ok(socket.into())
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

fn answer(store: &Store, loopback: bool, request: Request) {
    let url = request.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    let result = if !matches!(request.method(), Method::Get | Method::Head) {
        Err(Failure { status: 405, message: format!("{} is not served here: this server only reads (GET)", request.method()) })
    } else if loopback && !host_is_loopback(&request) {
        Err(Failure { status: 403, message: "this server answers only requests addressed to localhost".to_string() })
    } else {
        route(store, path, query)
    };
    let (status, reply) = match result {
        Ok(reply) => (200, reply),
        Err(f) if path.starts_with("/api/") => (f.status, Reply::Json(serde_json::json!({ "status": f.status, "error": f.message }).to_string())),
        Err(f) => (f.status, Reply::Html(pages::failure(f.status, &f.message))),
    };
    // The reply is written on a thread of its own, so a client that reads
    // slowly (or not at all, until IO_TIMEOUT) never holds a worker; past
    // MAX_WRITERS such threads the worker writes it itself.
    if WRITERS.fetch_add(1, Ordering::SeqCst) < MAX_WRITERS {
        let spawned = std::thread::Builder::new().name("planparse serve writer".into()).spawn(move || {
            send(request, status, reply);
            WRITERS.fetch_sub(1, Ordering::SeqCst);
        });
        if spawned.is_err() {
            WRITERS.fetch_sub(1, Ordering::SeqCst);
        }
    } else {
        WRITERS.fetch_sub(1, Ordering::SeqCst);
        send(request, status, reply);
    }
}

/// Most replies written at once on threads of their own.
const MAX_WRITERS: usize = 64;
static WRITERS: AtomicUsize = AtomicUsize::new(0);

fn send(request: Request, status: u16, reply: Reply) {
    let _ = match reply {
        Reply::Html(body) => request.respond(text_response(status, body, "text/html; charset=utf-8", true)),
        Reply::Json(body) => request.respond(text_response(status, body, "application/json; charset=utf-8", false)),
        Reply::File { file, content_type, download_name } => {
            let mut response = Response::from_file(file).with_status_code(status).with_chunked_threshold(usize::MAX);
            for (name, value) in common_headers(content_type) {
                add_header(&mut response, name, &value);
            }
            if content_type != "application/pdf" {
                // Shown as a document of its own, never as part of this site.
                add_header(&mut response, "Content-Security-Policy", "sandbox");
            }
            if let Some(name) = download_name {
                let encoded = percent_encoding::utf8_percent_encode(&name, percent_encoding::NON_ALPHANUMERIC);
                add_header(&mut response, "Content-Disposition", &format!("attachment; filename*=UTF-8''{encoded}"));
            }
            request.respond(response)
        }
    };
}

fn common_headers(content_type: &str) -> Vec<(&'static str, String)> {
    vec![
        ("Content-Type", content_type.to_string()),
        ("X-Content-Type-Options", "nosniff".to_string()),
        ("Referrer-Policy", "no-referrer".to_string()),
        ("Cache-Control", "no-cache".to_string()),
    ]
}

fn text_response(status: u16, body: String, content_type: &str, csp: bool) -> Response<std::io::Cursor<Vec<u8>>> {
    // A known length instead of chunks: simpler for every client, and the
    // body is in memory anyway.
    let mut response = Response::from_data(body.into_bytes()).with_status_code(status).with_chunked_threshold(usize::MAX);
    for (name, value) in common_headers(content_type) {
        add_header(&mut response, name, &value);
    }
    if csp {
        add_header(&mut response, "Content-Security-Policy", CSP);
    }
    response
}

fn add_header<R: std::io::Read>(response: &mut Response<R>, name: &str, value: &str) {
    if let Ok(header) = Header::from_bytes(name.as_bytes(), value.as_bytes()) {
        response.add_header(header);
    }
}

/// Whether the request's `Host` names this machine (`localhost`, `127.x.x.x`,
/// `[::1]`, with any port). A request without `Host` (HTTP/1.0) passes.
fn host_is_loopback(request: &Request) -> bool {
    let Some(host) = request.headers().iter().find(|h| h.field.equiv("Host")).map(|h| h.value.as_str().to_ascii_lowercase()) else {
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
