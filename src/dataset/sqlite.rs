//! The dataset as one SQLite file: plain tables a user can query with any SQL
//! tool, and FTS5 indexes for `planparse search`.
//!
//! ```no_run
//! use planparse::dataset::sqlite::{Dataset, Query};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let doc: planparse::model::Document = unimplemented!();
//! let mut dataset = Dataset::open("plans.sqlite")?;      // created when missing
//! let mut writer = dataset.writer()?;                     // the write lock, or `Locked`
//! writer.put("/abs/path/plan.pdf", &doc.source.sha256.clone(), &doc)?;
//! writer.commit()?;                                        // all or nothing
//! let hits = dataset.search(&Query::new("støtte"))?.hits; // finds `forskningsstøtte`
//! # Ok(()) }
//! ```
//!
//! Invariants:
//! - A document is keyed twice: `documents.id` is the sha256 of the original input
//!   (`source.sha256`), `documents.path` the absolute path it was indexed from. A
//!   path whose input bytes and planparse version are unchanged is a no-op; a path
//!   with new bytes has its rows replaced in one savepoint of the run's transaction.
//! - One index run is one write transaction (`BEGIN IMMEDIATE`): an interrupted
//!   run leaves the database as it was, and a second writer gets
//!   [`DatasetError::Locked`] after [`BUSY_TIMEOUT`] instead of waiting or failing
//!   with a raw SQLite error. WAL mode keeps readers (`search`) unblocked.
//! - The FTS5 tables are external-content indexes over the `search_units` table,
//!   so the text is stored once; rows enter and leave the indexes only through
//!   [`Writer`], which feeds them from that same view.

mod read;
mod schema;
mod search;
pub mod terms;
mod write;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags};

use crate::model::Document;

pub use read::DocumentSummary;
pub use schema::{statements, SCHEMA, SCHEMA_VERSION};
pub use search::{parse_kind, parse_period, FacetValue, Facets, Form, Hit, Index, Plan, Query, ResultPage, Results, UnitKind, MAX_EXPANSION, RANK_WINDOW};
pub use write::{Outcome, Writer};

/// How long a writer waits for another writer before giving up with
/// [`DatasetError::Locked`]: long enough to ride out a reader's checkpoint,
/// short enough that a second `planparse index` answers at once.
pub const BUSY_TIMEOUT: Duration = Duration::from_millis(250);

/// Why a dataset operation failed, in words a user can act on.
#[derive(Debug, thiserror::Error)]
pub enum DatasetError {
    #[error("{path}: database is locked by another planparse process; try again when it has finished")]
    Locked { path: String },
    #[error("{path}: no dataset here (build one with `planparse index {path} FILES...`)")]
    Missing { path: String },
    #[error("{path}: not a planparse dataset (it holds tables planparse did not create)")]
    Foreign { path: String },
    #[error("{path}: dataset schema version {found}, this planparse reads version {expected}; index into a new file")]
    Version { path: String, found: i64, expected: i64 },
    #[error("cannot parse query {query:?}: use quotes for phrases, e.g. '\"kliniske studier\"' ({detail})")]
    Query { query: String, detail: String },
    /// A query over [`search::MAX_QUERY_CHARS`] or [`search::MAX_QUERY_TERMS`].
    #[error("query too long: {0}")]
    QueryLimit(String),
    #[error("{path}: {context}: {source}")]
    Sqlite {
        path: String,
        context: &'static str,
        #[source]
        source: rusqlite::Error,
    },
}

impl DatasetError {
    /// Wraps an SQLite error, turning "busy"/"locked" into [`DatasetError::Locked`].
    fn sqlite(path: &Path, context: &'static str, source: rusqlite::Error) -> Self {
        let path = path.display().to_string();
        match source.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => DatasetError::Locked { path },
            _ => DatasetError::Sqlite { path, context, source },
        }
    }
}

/// An open dataset file.
pub struct Dataset {
    conn: Connection,
    path: PathBuf,
}

impl Dataset {
    /// Opens a dataset for reading and writing, creating the file when missing.
    /// The tables are created by the first [`Dataset::writer`].
    pub fn open(path: impl AsRef<Path>) -> Result<Self, DatasetError> {
        let path = path.as_ref();
        let conn = Connection::open(path).map_err(|e| DatasetError::sqlite(path, "cannot open", e))?;
        let dataset = Dataset { conn, path: path.to_path_buf() };
        dataset.configure(true)?;
        dataset.check_schema(true)?;
        Ok(dataset)
    }

    /// Opens an existing dataset read-only (what `search` needs).
    pub fn open_read_only(path: impl AsRef<Path>) -> Result<Self, DatasetError> {
        let path = path.as_ref();
        if !path.is_file() {
            return Err(DatasetError::Missing { path: path.display().to_string() });
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| DatasetError::sqlite(path, "cannot open", e))?;
        let dataset = Dataset { conn, path: path.to_path_buf() };
        dataset.configure(false)?;
        if !dataset.check_schema(false)? {
            return Err(DatasetError::Missing { path: path.display().to_string() });
        }
        Ok(dataset)
    }

    /// The path the dataset was opened from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The underlying connection, for SQL of the caller's own.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// Takes the write lock (`BEGIN IMMEDIATE`), creating the tables of an empty
    /// file. Everything written through the [`Writer`] becomes visible at
    /// [`Writer::commit`], or not at all.
    pub fn writer(&mut self) -> Result<Writer<'_>, DatasetError> {
        Writer::begin(&mut self.conn, &self.path)
    }

    /// Ranked hits for a query; see [`Query`].
    pub fn search(&self, query: &Query) -> Result<Results, DatasetError> {
        search::run(&self.conn, &self.path, query)
    }

    /// One page of the ranked hits (`query.limit` of them from the `offset`-th),
    /// with the number of matches and the facet counts over all of them; see
    /// [`ResultPage`].
    pub fn search_page(&self, query: &Query, offset: usize) -> Result<ResultPage, DatasetError> {
        search::page(&self.conn, &self.path, query, offset)
    }

    /// Every indexed document, by organization, period and file name.
    pub fn documents(&self) -> Result<Vec<DocumentSummary>, DatasetError> {
        read::documents(&self.conn).map_err(|e| self.error("cannot list documents", e))
    }

    /// The documents of one organization (`documents.organization`, equal but
    /// for ASCII case), by period and file name.
    pub fn documents_of(&self, organization: &str) -> Result<Vec<DocumentSummary>, DatasetError> {
        read::documents_of(&self.conn, organization).map_err(|e| self.error("cannot list documents", e))
    }

    /// The row of one document; `None` when no document has this id.
    pub fn document_summary(&self, id: &str) -> Result<Option<DocumentSummary>, DatasetError> {
        read::summary(&self.conn, id).map_err(|e| self.error("cannot read a document", e))
    }

    /// The document indexed under `id` (its `source.sha256`), rebuilt from its
    /// rows as `planparse convert` wrote it (a table without rows is not kept);
    /// `None` when no document has this id.
    pub fn document(&self, id: &str) -> Result<Option<Document>, DatasetError> {
        read::document(&self.conn, id).map_err(|e| self.error("cannot read a document", e))
    }

    /// Row count of one of the dataset's tables (for reports and tests).
    pub fn count(&self, table: Table) -> Result<i64, DatasetError> {
        let sql = format!("SELECT count(*) FROM {}", table.name());
        self.conn.query_row(&sql, [], |r| r.get(0)).map_err(|e| self.error("cannot count rows", e))
    }

    fn configure(&self, write: bool) -> Result<(), DatasetError> {
        let conn = &self.conn;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(|e| self.error("cannot configure", e))?;
        if write {
            // WAL: readers never block the writer nor see a half-written run.
            // NORMAL is safe from corruption in WAL mode; a power cut may only
            // lose the last committed run.
            let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0)).map_err(|e| self.error("cannot enable WAL", e))?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(DatasetError::Sqlite {
                    path: self.path.display().to_string(),
                    context: "cannot enable WAL",
                    source: rusqlite::Error::InvalidQuery,
                });
            }
            conn.pragma_update(None, "synchronous", "NORMAL").map_err(|e| self.error("cannot configure", e))?;
            // The FTS5 segments a run merges are read back many times.
            conn.pragma_update(None, "cache_size", -65536).map_err(|e| self.error("cannot configure", e))?;
        }
        Ok(())
    }

    /// `Ok(true)` when the file holds this version of the schema, `Ok(false)`
    /// when it is empty (and `allow_empty`), an error otherwise.
    fn check_schema(&self, allow_empty: bool) -> Result<bool, DatasetError> {
        let path = self.path.display().to_string();
        let (version, tables) = read_version(&self.conn).map_err(|e| self.error("cannot read the schema", e))?;
        match (version, tables) {
            (SCHEMA_VERSION, _) => Ok(true),
            (0, 0) if allow_empty => Ok(false),
            (0, 0) => Err(DatasetError::Missing { path }),
            (0, _) => Err(DatasetError::Foreign { path }),
            (found, _) => Err(DatasetError::Version { path, found, expected: SCHEMA_VERSION }),
        }
    }

    fn error(&self, context: &'static str, e: rusqlite::Error) -> DatasetError {
        DatasetError::sqlite(&self.path, context, e)
    }
}

/// `PRAGMA user_version` and the number of schema objects.
fn read_version(conn: &Connection) -> rusqlite::Result<(i64, i64)> {
    let version = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let objects = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
    Ok((version, objects))
}

/// The plain tables of the dataset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Documents,
    Sections,
    Measures,
    Actions,
    ActionItems,
    Indicators,
    Responsible,
    Meetings,
    Participants,
    AgendaItems,
    TablesRows,
}

impl Table {
    /// Every table, in schema order.
    pub const ALL: [Table; 11] = [
        Table::Documents,
        Table::Sections,
        Table::Measures,
        Table::Actions,
        Table::ActionItems,
        Table::Indicators,
        Table::Responsible,
        Table::Meetings,
        Table::Participants,
        Table::AgendaItems,
        Table::TablesRows,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Table::Documents => "documents",
            Table::Sections => "sections",
            Table::Measures => "measures",
            Table::Actions => "actions",
            Table::ActionItems => "action_items",
            Table::Indicators => "indicators",
            Table::Responsible => "responsible",
            Table::Meetings => "meetings",
            Table::Participants => "participants",
            Table::AgendaItems => "agenda_items",
            Table::TablesRows => "tables_rows",
        }
    }
}
