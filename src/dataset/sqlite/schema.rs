//! The tables of the dataset, exactly as `docs/dataset.md` documents them.
//!
//! [`SCHEMA`] is the single source: [`create`] runs it on an empty database, and
//! `tests/dataset.rs` checks that `sqlite_master` and the SQL block of
//! `docs/dataset.md` both equal it. A change here bumps [`SCHEMA_VERSION`].

use rusqlite::Connection;

/// `PRAGMA user_version` of a database built with [`SCHEMA`].
pub const SCHEMA_VERSION: i64 = 2;

/// Every `CREATE` statement of the dataset, in creation order.
///
/// Only SQL that SQLite 3.34 (2020, the first with the trigram tokenizer) parses,
/// so Python's `sqlite3`, Datasette and DuckDB's SQLite scanner can open the file.
/// `search_units` is a table, not a view over the others: the search reads the
/// text of every match it ranks, and one row beats four correlated subqueries
/// by a factor of six. [`UNITS_OF_DOCUMENT`] fills it.
pub const SCHEMA: &str = r#"CREATE TABLE documents (
  id TEXT PRIMARY KEY,
  path TEXT NOT NULL UNIQUE,
  rel_path TEXT NOT NULL,
  file TEXT NOT NULL,
  format TEXT NOT NULL,
  kind TEXT NOT NULL,
  title TEXT,
  organization TEXT,
  period_from INTEGER,
  period_to INTEGER,
  pages INTEGER,
  warnings TEXT NOT NULL,
  input_sha256 TEXT NOT NULL,
  planparse_version TEXT NOT NULL,
  indexed_at TEXT NOT NULL,
  plan_key TEXT NOT NULL,
  form_signature TEXT NOT NULL
);
CREATE INDEX documents_by_plan ON documents(plan_key);
CREATE INDEX documents_by_period ON documents(organization, period_from, period_to);
CREATE TABLE sections (
  document_id TEXT NOT NULL REFERENCES documents(id),
  ord INTEGER NOT NULL,
  id TEXT NOT NULL,
  parent_id TEXT,
  number TEXT,
  title TEXT NOT NULL,
  level INTEGER NOT NULL,
  text TEXT NOT NULL,
  objectives TEXT NOT NULL,
  PRIMARY KEY (document_id, ord)
) WITHOUT ROWID;
CREATE INDEX sections_by_id ON sections(document_id, id);
CREATE TABLE measures (
  id INTEGER PRIMARY KEY,
  document_id TEXT NOT NULL REFERENCES documents(id),
  ord INTEGER NOT NULL,
  measure_id TEXT NOT NULL,
  section_id TEXT NOT NULL,
  label TEXT,
  text TEXT NOT NULL,
  strategy_refs TEXT NOT NULL,
  deadline TEXT,
  status TEXT,
  extra TEXT NOT NULL,
  pages TEXT NOT NULL,
  first_page INTEGER
);
CREATE INDEX measures_by_document ON measures(document_id, ord);
CREATE TABLE actions (
  measure INTEGER NOT NULL REFERENCES measures(id),
  ord INTEGER NOT NULL,
  label TEXT,
  text TEXT NOT NULL,
  PRIMARY KEY (measure, ord)
) WITHOUT ROWID;
CREATE TABLE action_items (
  measure INTEGER NOT NULL REFERENCES measures(id),
  action_ord INTEGER NOT NULL,
  ord INTEGER NOT NULL,
  text TEXT NOT NULL,
  PRIMARY KEY (measure, action_ord, ord)
) WITHOUT ROWID;
CREATE TABLE indicators (
  measure INTEGER NOT NULL REFERENCES measures(id),
  ord INTEGER NOT NULL,
  text TEXT NOT NULL,
  PRIMARY KEY (measure, ord)
) WITHOUT ROWID;
CREATE TABLE responsible (
  measure INTEGER NOT NULL REFERENCES measures(id),
  ord INTEGER NOT NULL,
  party TEXT NOT NULL,
  party_norm TEXT NOT NULL,
  PRIMARY KEY (measure, ord, party_norm)
) WITHOUT ROWID;
CREATE INDEX responsible_by_party ON responsible(party_norm);
CREATE TABLE meetings (
  document_id TEXT PRIMARY KEY REFERENCES documents(id),
  body TEXT,
  date TEXT,
  start TEXT,
  end TEXT,
  place TEXT
);
CREATE TABLE participants (
  document_id TEXT NOT NULL REFERENCES documents(id),
  ord INTEGER NOT NULL,
  name TEXT NOT NULL,
  institution TEXT,
  role TEXT,
  participant_group TEXT NOT NULL,
  PRIMARY KEY (document_id, ord)
) WITHOUT ROWID;
CREATE TABLE agenda_items (
  id INTEGER PRIMARY KEY,
  document_id TEXT NOT NULL REFERENCES documents(id),
  ord INTEGER NOT NULL,
  number TEXT NOT NULL,
  title TEXT NOT NULL,
  kind TEXT,
  text TEXT NOT NULL,
  decision TEXT,
  pages TEXT NOT NULL,
  first_page INTEGER
);
CREATE INDEX agenda_items_by_document ON agenda_items(document_id, ord);
CREATE TABLE tables_rows (
  document_id TEXT NOT NULL REFERENCES documents(id),
  table_ord INTEGER NOT NULL,
  table_title TEXT,
  row_ord INTEGER NOT NULL,
  header TEXT NOT NULL,
  cells TEXT NOT NULL,
  record TEXT NOT NULL,
  pages TEXT NOT NULL,
  PRIMARY KEY (document_id, table_ord, row_ord)
) WITHOUT ROWID;
CREATE TABLE search_units (
  id INTEGER PRIMARY KEY,
  document_id TEXT NOT NULL REFERENCES documents(id),
  text TEXT NOT NULL,
  actions TEXT NOT NULL,
  indicators TEXT NOT NULL,
  responsible TEXT NOT NULL,
  decision TEXT NOT NULL
);
CREATE INDEX search_units_by_document ON search_units(document_id);
CREATE VIRTUAL TABLE search_trigram USING fts5(
  text, actions, indicators, responsible, decision,
  content='search_units', content_rowid='id',
  tokenize='trigram case_sensitive 0'
);
CREATE VIRTUAL TABLE search_words USING fts5(
  text, actions, indicators, responsible, decision,
  content='search_units', content_rowid='id',
  tokenize='unicode61 remove_diacritics 0'
);
CREATE TABLE vocabulary (
  id INTEGER PRIMARY KEY,
  term TEXT NOT NULL UNIQUE
);
CREATE VIRTUAL TABLE vocabulary_trigram USING fts5(
  term,
  content='vocabulary', content_rowid='id',
  tokenize='trigram case_sensitive 0'
);"#;

/// The search units of one document (`?1`), from the plain tables: one per
/// measure (its text; its actions with their bullets; its indicators; its
/// parties as printed and normalized) and one per agenda item (number, title
/// and text; decision). Columns in `search_units` order.
pub const UNITS_OF_DOCUMENT: &str = "
SELECT m.id, m.document_id, m.text,
  coalesce((SELECT group_concat(t, ' ') FROM (
    SELECT a.text || coalesce((SELECT ' ' || group_concat(t, ' ') FROM (
      SELECT x.text AS t FROM action_items AS x WHERE x.measure = a.measure AND x.action_ord = a.ord ORDER BY x.ord)), '') AS t
    FROM actions AS a WHERE a.measure = m.id ORDER BY a.ord)), ''),
  coalesce((SELECT group_concat(t, ' ') FROM (
    SELECT i.text AS t FROM indicators AS i WHERE i.measure = m.id ORDER BY i.ord)), ''),
  coalesce((SELECT group_concat(t, ' ') FROM (
    SELECT r.party || ' ' || r.party_norm AS t FROM responsible AS r WHERE r.measure = m.id ORDER BY r.ord, r.party_norm)), ''),
  ''
FROM measures AS m WHERE m.document_id = ?1
UNION ALL
SELECT g.id, g.document_id, g.number || ' ' || g.title || ' ' || g.text, '', '', '', coalesce(g.decision, '')
FROM agenda_items AS g WHERE g.document_id = ?1";

/// Creates every table of [`SCHEMA`] and stamps [`SCHEMA_VERSION`]; the caller
/// holds the write transaction.
pub fn create(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(SCHEMA)?;
    for table in ["search_trigram", "search_words"] {
        // FTS5 buffers new terms in memory and writes a segment whenever the
        // buffer passes `hashsize` (1 MB by default); every segment must later be
        // merged. A trigram index of thousands of measures per run overflows 1 MB
        // many times over.
        conn.execute(&format!("INSERT INTO {table}({table}, rank) VALUES ('hashsize', ?1)"), [FTS_HASH_SIZE])?;
    }
    conn.pragma_update(None, "user_version", SCHEMA_VERSION)
}

/// Bytes of new index terms FTS5 keeps in memory per index before writing a segment.
const FTS_HASH_SIZE: i64 = 32 << 20;

/// The statements of [`SCHEMA`], one per entry, without the final `;`.
pub fn statements() -> Vec<&'static str> {
    SCHEMA.split(";\n").map(|s| s.trim().trim_end_matches(';')).filter(|s| !s.is_empty()).collect()
}
