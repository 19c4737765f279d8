//! `planparse serve DB [--addr 127.0.0.1:8080] [--threads N]`: a local web
//! page over a dataset built by `planparse index`: search with facets, the
//! documents with their sections and measures, a measure across the periods
//! of its plan, diffs of two documents, and the JSON API behind them
//! (`docs/web.md`). Read-only; loopback by default.
//!
//! Exit codes: 1 when the dataset cannot be opened or the address not bound
//! (the message names which), 2 usage error. Otherwise it serves until stopped.

use std::path::PathBuf;

use planparse::web::Server;

/// `--help`: the pages and the API (the subcommand's variant in `cli/mod.rs` shows it).
pub const LONG_ABOUT: &str = "Serve a local web page over a dataset built by `planparse index`.\n\n\
Pages: / (search: query box, facets by organization, period, kind and responsible party, \
ranked hits with highlighted snippets, paging), /documents, /documents/ID (the section tree \
with measures, actions, indicators and responsible parties, links to the source file's pages), \
/measures/ID/MEASURE (a measure and the same measure in the plan's other periods), \
/diff?a=ID&b=ID (two documents compared), /source/ID (the file indexed, if still on disk).\n\n\
JSON: /api/search?q=&org=&period=&kind=&responsible=&page=, /api/documents, /api/documents/ID, \
/api/measures/ID/MEASURE, /api/diff?a=ID&b=ID.\n\n\
The dataset is opened read-only and nothing is written. No scripts, no network assets.";

#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  planparse serve plans.sqlite                      # http://127.0.0.1:8080/\n  planparse serve plans.sqlite --addr 127.0.0.1:0   # any free port (printed)\n\nThe address is printed on startup. Exit codes: 1 the dataset cannot be opened or the address not bound, 2 usage error."
)]
pub struct Args {
    /// The dataset built by `planparse index`
    db: PathBuf,
    /// Address to listen on; a loopback address keeps the page on this machine
    /// (port 0: any free port)
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:8080")]
    addr: String,
    /// Requests answered at once (each worker has its own read-only connection)
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
    threads: u16,
}

pub fn run(args: Args) -> i32 {
    let server = match Server::bind(&args.db, &args.addr, usize::from(args.threads)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("planparse: {e}");
            return super::EXIT_FAILED;
        }
    };
    if !server.is_loopback() {
        eprintln!("planparse: warning: {} is not a loopback address: anyone who can reach it can read the dataset", args.addr);
    }
    println!("planparse: serving {} at {} (Ctrl-C to stop)", args.db.display(), server.url());
    server.run();
    super::EXIT_OK
}
