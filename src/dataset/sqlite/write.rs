//! Writing documents into the dataset: one run, one transaction; one document,
//! one savepoint.

use std::collections::HashSet;
use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};
use serde::Serialize;

use super::{schema, terms, DatasetError, SCHEMA_VERSION};
use crate::dataset::forms;
use crate::dataset::vocabulary::normalize_parties;
use crate::model::{Document, Measure, Section, Table};

/// The planparse version recorded with every document: a new version re-indexes
/// unchanged inputs, since its parser may read them differently.
const PLANPARSE_VERSION: &str = env!("CARGO_PKG_VERSION");

/// What [`Writer::put`] did with a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The path was new.
    Added,
    /// The path held an older version, whose rows were replaced.
    Replaced,
    /// The path holds these very bytes, indexed by this planparse version.
    Unchanged,
    /// The same document (same `source.sha256`) is already indexed from another
    /// path; this path's older rows, if any, were removed.
    Duplicate { of: String },
}

/// The write side of a dataset, holding its write lock until [`Writer::commit`]
/// (or drop, which rolls everything back).
pub struct Writer<'a> {
    tx: Transaction<'a>,
    path: &'a Path,
    /// Words known to be in `vocabulary`, so that a run looks each up once.
    known_words: HashSet<String>,
    /// What the run guessed, for the caller to report ([`Writer::take_notes`]).
    notes: Vec<String>,
}

impl<'a> Writer<'a> {
    pub(super) fn begin(conn: &'a mut Connection, path: &'a Path) -> Result<Self, DatasetError> {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| DatasetError::sqlite(path, "cannot start writing", e))?;
        let writer = Writer { tx, path, known_words: HashSet::new(), notes: Vec::new() };
        let (version, objects) = super::read_version(&writer.tx).map_err(|e| writer.error("cannot read the schema", e))?;
        if version == 0 && objects == 0 {
            schema::create(&writer.tx).map_err(|e| writer.error("cannot create the tables", e))?;
        } else if version != SCHEMA_VERSION {
            // `Dataset::open` checked this already; another process may have
            // created the file in between.
            let path = path.display().to_string();
            return Err(if version == 0 { DatasetError::Foreign { path } } else { DatasetError::Version { path, found: version, expected: SCHEMA_VERSION } });
        }
        Ok(writer)
    }

    /// Whether `key` (the input's absolute path) is indexed from exactly these
    /// input bytes by this planparse version, so indexing it again is a no-op.
    pub fn is_current(&self, key: &str, input_sha256: &str) -> Result<bool, DatasetError> {
        let found = self
            .tx
            .prepare_cached("SELECT 1 FROM documents WHERE path = ?1 AND input_sha256 = ?2 AND planparse_version = ?3")
            .and_then(|mut s| s.exists(params![key, input_sha256, PLANPARSE_VERSION]))
            .map_err(|e| self.error("cannot look up a document", e))?;
        Ok(found)
    }

    /// Indexes `doc`, read from `key` (an absolute path, or any stable name)
    /// whose bytes hash to `input_sha256` (the document's own sha256 for a PDF or
    /// text input; the JSON file's for a converted document). All of it or none.
    /// The document's `rel_path` is its `source.file`; see [`Writer::put_at`].
    pub fn put(&mut self, key: &str, input_sha256: &str, doc: &Document) -> Result<Outcome, DatasetError> {
        self.put_at(key, &doc.source.file.clone(), input_sha256, doc)
    }

    /// [`Writer::put`] with the path relative to the indexed root (the folder
    /// named to `planparse index`, or the file's name), which the web page and
    /// its API show instead of the absolute `key`.
    pub fn put_at(&mut self, key: &str, rel_path: &str, input_sha256: &str, doc: &Document) -> Result<Outcome, DatasetError> {
        if self.is_current(key, input_sha256)? {
            return Ok(Outcome::Unchanged);
        }
        self.replace_at(key, rel_path, input_sha256, doc)
    }

    /// [`Writer::put`] even when the path is current (`planparse index --force`).
    pub fn replace(&mut self, key: &str, input_sha256: &str, doc: &Document) -> Result<Outcome, DatasetError> {
        self.replace_at(key, &doc.source.file.clone(), input_sha256, doc)
    }

    /// [`Writer::put_at`] even when the path is current.
    pub fn replace_at(&mut self, key: &str, rel_path: &str, input_sha256: &str, doc: &Document) -> Result<Outcome, DatasetError> {
        let path = self.path;
        let sp = self.tx.savepoint().map_err(|e| DatasetError::sqlite(path, "cannot start a document", e))?;
        let mut new_words = Vec::new();
        let outcome = put_document(&sp, key, rel_path, input_sha256, doc, &self.known_words, &mut new_words, &mut self.notes)
            .map_err(|e| DatasetError::sqlite(path, "cannot write a document", e))?;
        sp.commit().map_err(|e| DatasetError::sqlite(path, "cannot write a document", e))?;
        // Only now: a rolled-back savepoint takes its vocabulary rows with it.
        self.known_words.extend(new_words);
        Ok(outcome)
    }

    /// The guesses made since the last call, one sentence each: documents
    /// grouped as forms of one plan although their parse differs a little
    /// ([`forms::same_plan`]).
    pub fn take_notes(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notes)
    }

    /// Removes the document indexed from `key`; `false` when there was none.
    pub fn remove(&mut self, key: &str) -> Result<bool, DatasetError> {
        let path = self.path;
        let sp = self.tx.savepoint().map_err(|e| DatasetError::sqlite(path, "cannot remove a document", e))?;
        let removed = remove_path(&sp, key).map_err(|e| DatasetError::sqlite(path, "cannot remove a document", e))?;
        sp.commit().map_err(|e| DatasetError::sqlite(path, "cannot remove a document", e))?;
        Ok(removed)
    }

    /// The absolute paths of every indexed document (for pruning vanished files).
    pub fn paths(&self) -> Result<Vec<String>, DatasetError> {
        let mut stmt = self.tx.prepare("SELECT path FROM documents ORDER BY path").map_err(|e| self.error("cannot list documents", e))?;
        let rows = stmt.query_map([], |r| r.get(0)).map_err(|e| self.error("cannot list documents", e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.error("cannot list documents", e))
    }

    /// Merges each search index into one segment (FTS5 `optimize`). Searches
    /// read one b-tree per index instead of one per segment level; worth it after
    /// a bulk load, as it rewrites the whole index.
    pub fn optimize(&mut self) -> Result<(), DatasetError> {
        for table in ["search_trigram", "search_words", "vocabulary_trigram"] {
            self.tx
                .execute(&format!("INSERT INTO {table}({table}) VALUES ('optimize')"), [])
                .map_err(|e| self.error("cannot optimize the search indexes", e))?;
        }
        Ok(())
    }

    /// Makes the run visible to readers, atomically.
    pub fn commit(self) -> Result<(), DatasetError> {
        let path = self.path;
        self.tx.commit().map_err(|e| DatasetError::sqlite(path, "cannot commit", e))
    }

    fn error(&self, context: &'static str, e: rusqlite::Error) -> DatasetError {
        DatasetError::sqlite(self.path, context, e)
    }
}

#[allow(clippy::too_many_arguments)]
fn put_document(
    conn: &Connection,
    key: &str,
    rel_path: &str,
    input_sha256: &str,
    doc: &Document,
    known_words: &HashSet<String>,
    new_words: &mut Vec<String>,
    notes: &mut Vec<String>,
) -> rusqlite::Result<Outcome> {
    let replaced = remove_path(conn, key)?;
    let other: Option<String> = conn.prepare_cached("SELECT path FROM documents WHERE id = ?1")?.query_row([&doc.source.sha256], |r| r.get(0)).optional()?;
    if let Some(of) = other {
        return Ok(Outcome::Duplicate { of });
    }
    let signature = forms::Signature::of(doc);
    let plan_key = plan_key_of(conn, rel_path, doc, &signature, notes)?;
    insert_document(conn, key, rel_path, input_sha256, doc, &plan_key, &signature.to_text())?;
    add_vocabulary(conn, &doc.source.sha256, known_words, new_words)?;
    Ok(if replaced { Outcome::Replaced } else { Outcome::Added })
}

/// Deletes every row of the document indexed from `key`, index entries first
/// (an external-content FTS5 index deletes by the very text it indexed, read
/// back from `search_units`).
fn remove_path(conn: &Connection, key: &str) -> rusqlite::Result<bool> {
    let id: Option<String> = conn.prepare_cached("SELECT id FROM documents WHERE path = ?1")?.query_row([key], |r| r.get(0)).optional()?;
    let Some(id) = id else { return Ok(false) };
    for sql in [
        "INSERT INTO search_trigram(search_trigram, rowid, text, actions, indicators, responsible, decision)
         SELECT 'delete', id, text, actions, indicators, responsible, decision FROM search_units WHERE document_id = ?1 ORDER BY id",
        "INSERT INTO search_words(search_words, rowid, text, actions, indicators, responsible, decision)
         SELECT 'delete', id, text, actions, indicators, responsible, decision FROM search_units WHERE document_id = ?1 ORDER BY id",
        "DELETE FROM search_units WHERE document_id = ?1",
        "DELETE FROM action_items WHERE measure IN (SELECT id FROM measures WHERE document_id = ?1)",
        "DELETE FROM actions WHERE measure IN (SELECT id FROM measures WHERE document_id = ?1)",
        "DELETE FROM indicators WHERE measure IN (SELECT id FROM measures WHERE document_id = ?1)",
        "DELETE FROM responsible WHERE measure IN (SELECT id FROM measures WHERE document_id = ?1)",
        "DELETE FROM measures WHERE document_id = ?1",
        "DELETE FROM sections WHERE document_id = ?1",
        "DELETE FROM agenda_items WHERE document_id = ?1",
        "DELETE FROM participants WHERE document_id = ?1",
        "DELETE FROM meetings WHERE document_id = ?1",
        "DELETE FROM tables_rows WHERE document_id = ?1",
        "DELETE FROM documents WHERE id = ?1",
    ] {
        conn.prepare_cached(sql)?.execute([&id])?;
    }
    Ok(true)
}

fn json<T: Serialize + ?Sized>(value: &T) -> String {
    // Serializing plain model types (strings, numbers, vectors) cannot fail.
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_string())
}

/// Most indexed documents compared with a new one by [`forms::same_plan`].
const MAX_FORM_CANDIDATES: i64 = 1000;

/// The document's [`forms::plan_key`], or the key of an indexed document of
/// the same kind, organization and period that [`forms::same_plan`] takes
/// for another form of it (noted in `notes`).
fn plan_key_of(conn: &Connection, rel_path: &str, doc: &Document, signature: &forms::Signature, notes: &mut Vec<String>) -> rusqlite::Result<String> {
    let own = forms::plan_key(doc);
    if own.starts_with("document:") {
        return Ok(own);
    }
    let mut stmt = conn.prepare_cached(
        "SELECT plan_key, rel_path, form_signature FROM documents
         WHERE organization IS ?2 AND period_from IS ?3 AND period_to IS ?4 AND kind = ?1
         ORDER BY plan_key = ?5 DESC, rel_path LIMIT ?6",
    )?;
    let period = (doc.period.map(|p| p.from), doc.period.map(|p| p.to));
    let mut rows = stmt.query(params![doc.kind.as_str(), doc.organization, period.0, period.1, own, MAX_FORM_CANDIDATES])?;
    while let Some(row) = rows.next()? {
        let key: String = row.get(0)?;
        if key == own {
            return Ok(own);
        }
        let other = forms::Signature::from_text(&row.get::<_, String>(2)?);
        if let Some(equal) = forms::same_plan(signature, &other) {
            let other_path: String = row.get(1)?;
            let units = signature.units.len();
            notes.push(format!(
                "{rel_path}: taken as another form of {other_path} ({equal} of {units} measures or items the same, same kind, organization and period); search shows them as one plan"
            ));
            return Ok(key);
        }
    }
    Ok(own)
}

fn insert_document(
    conn: &Connection,
    key: &str,
    rel_path: &str,
    input_sha256: &str,
    doc: &Document,
    plan_key: &str,
    form_signature: &str,
) -> rusqlite::Result<()> {
    let id = doc.source.sha256.as_str();
    let format = serde_json::to_value(doc.source.format).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
    conn.prepare_cached(
        "INSERT INTO documents (id, path, rel_path, file, format, kind, title, organization, period_from, period_to, pages,
                                warnings, input_sha256, planparse_version, indexed_at, plan_key, form_signature)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?15, ?16)",
    )?
    .execute(params![
        id,
        key,
        rel_path,
        doc.source.file,
        format,
        doc.kind.as_str(),
        doc.title,
        doc.organization,
        doc.period.map(|p| p.from),
        doc.period.map(|p| p.to),
        doc.source.pages,
        json(&doc.warnings),
        input_sha256,
        PLANPARSE_VERSION,
        plan_key,
        form_signature,
    ])?;

    let mut ord = 0;
    for section in &doc.sections {
        insert_section(conn, id, section, None, &mut ord)?;
    }
    for (ord, measure) in doc.measures.iter().enumerate() {
        insert_measure(conn, id, ord, measure)?;
    }
    if let Some(meeting) = &doc.meeting {
        conn.prepare_cached("INSERT INTO meetings (document_id, body, date, start, end, place) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?.execute(params![
            id,
            meeting.body,
            meeting.date,
            meeting.start,
            meeting.end,
            meeting.place
        ])?;
        let mut stmt =
            conn.prepare_cached("INSERT INTO participants (document_id, ord, name, institution, role, participant_group) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?;
        for (ord, p) in meeting.participants.iter().enumerate() {
            let group = serde_json::to_value(p.group).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
            stmt.execute(params![id, ord, p.name, p.institution, p.role, group])?;
        }
        // Agenda items take negative ids so that measures and agenda items share
        // the rowid space of the search indexes without colliding.
        let mut stmt = conn.prepare_cached(
            "INSERT INTO agenda_items (id, document_id, ord, number, title, kind, text, decision, pages, first_page)
             VALUES ((SELECT min(coalesce(min(id), 0), 0) - 1 FROM agenda_items), ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        for (ord, item) in meeting.items.iter().enumerate() {
            stmt.execute(params![id, ord, item.number, item.title, item.kind, item.text, item.decision, json(&item.pages), item.pages.first()])?;
        }
    }
    for (table_ord, table) in doc.tables.iter().enumerate() {
        insert_table(conn, id, table_ord, table)?;
    }

    conn.prepare_cached(&format!(
        "INSERT INTO search_units (id, document_id, text, actions, indicators, responsible, decision) {}",
        schema::UNITS_OF_DOCUMENT
    ))?
    .execute([id])?;
    // In rowid order: FTS5 writes out its pending terms whenever a rowid is
    // lower than the one before (agenda items have negative ids).
    for sql in [
        "INSERT INTO search_trigram(rowid, text, actions, indicators, responsible, decision)
         SELECT id, text, actions, indicators, responsible, decision FROM search_units WHERE document_id = ?1 ORDER BY id",
        "INSERT INTO search_words(rowid, text, actions, indicators, responsible, decision)
         SELECT id, text, actions, indicators, responsible, decision FROM search_units WHERE document_id = ?1 ORDER BY id",
    ] {
        conn.prepare_cached(sql)?.execute([id])?;
    }
    Ok(())
}

/// Adds the words of a document's search units to `vocabulary` (and its
/// trigram index). Words are never removed: a word no document uses any more
/// only makes a substring query ask the word index for it in vain.
fn add_vocabulary(conn: &Connection, doc_id: &str, known: &HashSet<String>, new_words: &mut Vec<String>) -> rusqlite::Result<()> {
    let mut seen: HashSet<String> = HashSet::new();
    let mut stmt = conn.prepare_cached(
        "SELECT text || ' ' || actions || ' ' || indicators || ' ' || responsible || ' ' || decision FROM search_units WHERE document_id = ?1",
    )?;
    let mut rows = stmt.query([doc_id])?;
    while let Some(row) = rows.next()? {
        let text: String = row.get(0)?;
        for word in terms::words(&text) {
            if !known.contains(&word) && !seen.contains(&word) {
                seen.insert(word);
            }
        }
    }
    let mut words: Vec<String> = seen.into_iter().collect();
    words.sort();
    let mut insert = conn.prepare_cached("INSERT OR IGNORE INTO vocabulary (term) VALUES (?1)")?;
    let mut index = conn.prepare_cached("INSERT INTO vocabulary_trigram (rowid, term) VALUES (?1, ?2)")?;
    for word in words {
        if insert.execute([&word])? == 1 {
            index.execute(params![conn.last_insert_rowid(), word])?;
        }
        new_words.push(word);
    }
    Ok(())
}

/// Sections in pre-order (`ord`), each with its parent's id.
fn insert_section(conn: &Connection, doc_id: &str, section: &Section, parent: Option<&str>, ord: &mut usize) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO sections (document_id, ord, id, parent_id, number, title, level, text, objectives)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![doc_id, *ord, section.id, parent, section.number, section.title, section.level, section.text, json(&section.objectives)])?;
    *ord += 1;
    for child in &section.sections {
        insert_section(conn, doc_id, child, Some(&section.id), ord)?;
    }
    Ok(())
}

fn insert_measure(conn: &Connection, doc_id: &str, ord: usize, measure: &Measure) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO measures (document_id, ord, measure_id, section_id, label, text, strategy_refs, deadline, status, extra, pages, first_page)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        doc_id,
        ord,
        measure.id,
        measure.section,
        measure.label,
        measure.text,
        json(&measure.strategy_refs),
        measure.deadline,
        measure.status,
        json(&measure.extra),
        json(&measure.pages),
        measure.pages.first()
    ])?;
    let rowid = conn.last_insert_rowid();
    let mut stmt = conn.prepare_cached("INSERT INTO actions (measure, ord, label, text) VALUES (?1, ?2, ?3, ?4)")?;
    let mut item_stmt = conn.prepare_cached("INSERT INTO action_items (measure, action_ord, ord, text) VALUES (?1, ?2, ?3, ?4)")?;
    for (ord, action) in measure.actions.iter().enumerate() {
        stmt.execute(params![rowid, ord, action.label, action.text])?;
        for (item_ord, item) in action.items.iter().enumerate() {
            item_stmt.execute(params![rowid, ord, item_ord, item])?;
        }
    }
    let mut stmt = conn.prepare_cached("INSERT INTO indicators (measure, ord, text) VALUES (?1, ?2, ?3)")?;
    for (ord, indicator) in measure.indicators.iter().enumerate() {
        stmt.execute(params![rowid, ord, indicator])?;
    }
    let mut stmt = conn.prepare_cached("INSERT OR IGNORE INTO responsible (measure, ord, party, party_norm) VALUES (?1, ?2, ?3, ?4)")?;
    for (ord, party) in measure.responsible.iter().enumerate() {
        let mut norms = normalize_parties(party);
        if norms.is_empty() {
            norms.push(party.trim().to_lowercase());
        }
        for norm in norms {
            stmt.execute(params![rowid, ord, party, norm])?;
        }
    }
    Ok(())
}

/// One row per table row; `record` maps header cells to row cells, naming a
/// column without a (unique) header `column N`.
fn insert_table(conn: &Connection, doc_id: &str, table_ord: usize, table: &Table) -> rusqlite::Result<()> {
    let width = table.rows.iter().map(Vec::len).max().unwrap_or(0).max(table.header.len());
    let keys: Vec<String> = (0..width)
        .map(|i| match table.header.get(i) {
            Some(h) if !h.is_empty() && table.header.iter().filter(|o| *o == h).count() == 1 => h.clone(),
            _ => format!("column {}", i + 1),
        })
        .collect();
    let mut stmt = conn.prepare_cached(
        "INSERT INTO tables_rows (document_id, table_ord, table_title, row_ord, header, cells, record, pages)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    let header = json(&table.header);
    let pages = json(&table.pages);
    for (row_ord, row) in table.rows.iter().enumerate() {
        let record: serde_json::Map<String, serde_json::Value> = keys.iter().zip(row).map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone()))).collect();
        stmt.execute(params![doc_id, table_ord, table.title, row_ord, header, json(row), json(&record), pages])?;
    }
    Ok(())
}
