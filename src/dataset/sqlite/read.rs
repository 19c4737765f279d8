//! Reading documents back out of the dataset: the list of indexed documents,
//! and a whole [`Document`] rebuilt from its rows.
//!
//! The plain tables hold every field of the JSON output, so a document is
//! rebuilt from them rather than stored twice: the section tree from
//! `sections` (pre-order `ord` with `parent_id`), measures with their actions,
//! bullets, indicators and parties (`responsible`, one row per printed entry
//! and normalized party, read back per entry), the meeting, and the other
//! tables row by row. The one thing not kept is a table without rows
//! (`tables_rows` has nothing to hold it by).

use rusqlite::{Connection, OptionalExtension};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::model::{self, Action, AgendaItem, Document, DocumentKind, Measure, Meeting, Participant, Period, Section, Source, SourceFormat, Table};

/// One indexed document as the `documents` table describes it, with its
/// measure and agenda item counts.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DocumentSummary {
    /// sha256 of the original input (`source.sha256`).
    pub id: String,
    /// The path the document was indexed from, relative to the indexed root
    /// (the folder named to `planparse index`, or the file's own name): what
    /// the web page and its API show. The absolute path is [`Self::abs_path`].
    #[serde(rename = "path")]
    pub rel_path: String,
    /// The absolute path the document was indexed from (the dataset's key);
    /// never shown by the web page or its API.
    #[serde(skip)]
    pub abs_path: String,
    /// The key shared by every form of the same plan (`documents.plan_key`,
    /// [`crate::dataset::forms::plan_key`]).
    pub plan_key: String,
    pub file: String,
    pub format: String,
    pub kind: String,
    pub title: Option<String>,
    pub organization: Option<String>,
    pub period: Option<Period>,
    /// PDF page count; `None` for text input.
    pub pages: Option<u32>,
    pub indexed_at: String,
    pub measures: u32,
    pub agenda_items: u32,
    /// sha256 of the file at `path` when it was indexed (differs from `id`
    /// for a converted `.json` input); the web page serves the file only
    /// while its bytes still hash to this.
    #[serde(skip)]
    pub input_sha256: String,
}

const SUMMARY_SQL: &str = "
SELECT d.id, d.path, d.file, d.format, d.kind, d.title, d.organization, d.period_from, d.period_to, d.pages, d.indexed_at,
       (SELECT count(*) FROM measures AS m WHERE m.document_id = d.id),
       (SELECT count(*) FROM agenda_items AS a WHERE a.document_id = d.id),
       d.input_sha256, d.rel_path, d.plan_key
FROM documents AS d";

fn summary_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<DocumentSummary> {
    let from: Option<i32> = r.get(7)?;
    let to: Option<i32> = r.get(8)?;
    Ok(DocumentSummary {
        id: r.get(0)?,
        abs_path: r.get(1)?,
        rel_path: r.get(14)?,
        plan_key: r.get(15)?,
        file: r.get(2)?,
        format: r.get(3)?,
        kind: r.get(4)?,
        title: r.get(5)?,
        organization: r.get(6)?,
        period: from.zip(to).map(|(from, to)| Period { from, to }),
        pages: r.get(9)?,
        indexed_at: r.get(10)?,
        measures: r.get(11)?,
        agenda_items: r.get(12)?,
        input_sha256: r.get(13)?,
    })
}

/// Every indexed document, by organization, period and file.
pub(super) fn documents(conn: &Connection) -> rusqlite::Result<Vec<DocumentSummary>> {
    let mut stmt = conn.prepare_cached(&format!("{SUMMARY_SQL} ORDER BY d.organization, d.period_from, d.file, d.id"))?;
    let rows = stmt.query_map([], summary_of)?;
    rows.collect()
}

/// The documents of one organization (ASCII case aside), by period and file.
pub(super) fn documents_of(conn: &Connection, organization: &str) -> rusqlite::Result<Vec<DocumentSummary>> {
    let mut stmt = conn.prepare_cached(&format!("{SUMMARY_SQL} WHERE d.organization = ?1 COLLATE NOCASE ORDER BY d.period_from, d.file, d.id"))?;
    let rows = stmt.query_map([organization], summary_of)?;
    rows.collect()
}

/// One document's row, `None` when no document has this id.
pub(super) fn summary(conn: &Connection, id: &str) -> rusqlite::Result<Option<DocumentSummary>> {
    conn.prepare_cached(&format!("{SUMMARY_SQL} WHERE d.id = ?1"))?.query_row([id], summary_of).optional()
}

/// A JSON column; a value that does not parse (written by another tool) reads as the default.
fn json<T: DeserializeOwned + Default>(text: &str) -> T {
    serde_json::from_str(text).unwrap_or_default()
}

/// A snake_case enum stored as its name.
fn name<T: DeserializeOwned>(text: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(text.to_string())).ok()
}

/// The document indexed under `id`, as `planparse convert` wrote it; `None`
/// when no document has this id.
pub(super) fn document(conn: &Connection, id: &str) -> rusqlite::Result<Option<Document>> {
    let row = conn
        .prepare_cached("SELECT file, format, kind, title, organization, period_from, period_to, pages, warnings FROM documents WHERE id = ?1")?
        .query_row([id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<i32>>(5)?,
                r.get::<_, Option<i32>>(6)?,
                r.get::<_, Option<u32>>(7)?,
                r.get::<_, String>(8)?,
            ))
        })
        .optional()?;
    let Some((file, format, kind, title, organization, from, to, pages, warnings)) = row else { return Ok(None) };
    Ok(Some(Document {
        schema_version: model::SCHEMA_VERSION.to_string(),
        source: Source { file, sha256: id.to_string(), format: name(&format).unwrap_or(SourceFormat::Text), pages },
        kind: name(&kind).unwrap_or(DocumentKind::Unknown),
        title,
        organization,
        period: from.zip(to).map(|(from, to)| Period { from, to }),
        sections: sections(conn, id)?,
        measures: measures(conn, id)?,
        meeting: meeting(conn, id)?,
        tables: tables(conn, id)?,
        warnings: json(&warnings),
    }))
}

/// The heading tree from its pre-order rows: a row's parent is on the stack
/// of open sections, so sections are closed (attached to the one below them)
/// until the parent is on top.
fn sections(conn: &Connection, doc: &str) -> rusqlite::Result<Vec<Section>> {
    let mut stmt = conn.prepare_cached("SELECT id, parent_id, number, title, level, text, objectives FROM sections WHERE document_id = ?1 ORDER BY ord")?;
    let rows = stmt.query_map([doc], |r| {
        let parent: Option<String> = r.get(1)?;
        let objectives: String = r.get(6)?;
        let section = Section {
            id: r.get(0)?,
            number: r.get(2)?,
            title: r.get(3)?,
            level: r.get(4)?,
            text: r.get(5)?,
            objectives: json(&objectives),
            sections: Vec::new(),
        };
        Ok((parent, section))
    })?;
    let mut top: Vec<Section> = Vec::new();
    let mut open: Vec<Section> = Vec::new();
    let close = |open: &mut Vec<Section>, top: &mut Vec<Section>| {
        if let Some(done) = open.pop() {
            match open.last_mut() {
                Some(parent) => parent.sections.push(done),
                None => top.push(done),
            }
        }
    };
    for row in rows {
        let (parent, section) = row?;
        match parent {
            Some(p) if open.iter().any(|s| s.id == p) => {
                while open.last().is_some_and(|s| s.id != p) {
                    close(&mut open, &mut top);
                }
            }
            _ => {
                while !open.is_empty() {
                    close(&mut open, &mut top);
                }
            }
        }
        open.push(section);
    }
    while !open.is_empty() {
        close(&mut open, &mut top);
    }
    Ok(top)
}

fn measures(conn: &Connection, doc: &str) -> rusqlite::Result<Vec<Measure>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, measure_id, section_id, label, text, strategy_refs, pages, deadline, status, extra FROM measures WHERE document_id = ?1 ORDER BY ord",
    )?;
    let rows: Vec<(i64, Measure)> = stmt
        .query_map([doc], |r| {
            let refs: String = r.get(5)?;
            let pages: String = r.get(6)?;
            let extra: String = r.get(9)?;
            let measure = Measure {
                id: r.get(1)?,
                section: r.get(2)?,
                label: r.get(3)?,
                strategy_refs: json(&refs),
                text: r.get(4)?,
                actions: Vec::new(),
                indicators: Vec::new(),
                responsible: Vec::new(),
                deadline: r.get(7)?,
                status: r.get(8)?,
                pages: json(&pages),
                extra: json(&extra),
            };
            Ok((r.get(0)?, measure))
        })?
        .collect::<Result<_, _>>()?;
    let mut actions = conn.prepare_cached("SELECT ord, label, text FROM actions WHERE measure = ?1 ORDER BY ord")?;
    let mut items = conn.prepare_cached("SELECT action_ord, text FROM action_items WHERE measure = ?1 ORDER BY action_ord, ord")?;
    let mut indicators = conn.prepare_cached("SELECT text FROM indicators WHERE measure = ?1 ORDER BY ord")?;
    // One row per printed entry and normalized party: the entry once.
    let mut parties = conn.prepare_cached("SELECT party FROM responsible WHERE measure = ?1 GROUP BY ord ORDER BY ord")?;
    let mut out = Vec::with_capacity(rows.len());
    for (rowid, mut measure) in rows {
        let mut ords = Vec::new();
        for a in actions.query_map([rowid], |r| Ok((r.get::<_, i64>(0)?, Action { label: r.get(1)?, text: r.get(2)?, items: Vec::new() })))? {
            let (ord, action) = a?;
            ords.push(ord);
            measure.actions.push(action);
        }
        for item in items.query_map([rowid], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
            let (action_ord, text) = item?;
            if let Some(k) = ords.iter().position(|o| *o == action_ord) {
                measure.actions[k].items.push(text);
            }
        }
        measure.indicators = indicators.query_map([rowid], |r| r.get(0))?.collect::<Result<_, _>>()?;
        measure.responsible = parties.query_map([rowid], |r| r.get(0))?.collect::<Result<_, _>>()?;
        out.push(measure);
    }
    Ok(out)
}

fn meeting(conn: &Connection, doc: &str) -> rusqlite::Result<Option<Meeting>> {
    let meeting = conn
        .prepare_cached("SELECT body, date, start, end, place FROM meetings WHERE document_id = ?1")?
        .query_row([doc], |r| {
            Ok(Meeting { body: r.get(0)?, date: r.get(1)?, start: r.get(2)?, end: r.get(3)?, place: r.get(4)?, participants: Vec::new(), items: Vec::new() })
        })
        .optional()?;
    let Some(mut meeting) = meeting else { return Ok(None) };
    let mut stmt = conn.prepare_cached("SELECT name, institution, role, participant_group FROM participants WHERE document_id = ?1 ORDER BY ord")?;
    for p in stmt.query_map([doc], |r| {
        let group: String = r.get(3)?;
        Ok((Participant { name: r.get(0)?, institution: r.get(1)?, role: r.get(2)?, group: model::ParticipantGroup::Members }, group))
    })? {
        let (mut participant, group) = p?;
        participant.group = name(&group).unwrap_or(model::ParticipantGroup::Members);
        meeting.participants.push(participant);
    }
    let mut stmt = conn.prepare_cached("SELECT number, title, kind, text, decision, pages FROM agenda_items WHERE document_id = ?1 ORDER BY ord")?;
    meeting.items = stmt
        .query_map([doc], |r| {
            let pages: String = r.get(5)?;
            Ok(AgendaItem { number: r.get(0)?, title: r.get(1)?, kind: r.get(2)?, text: r.get(3)?, decision: r.get(4)?, pages: json(&pages) })
        })?
        .collect::<Result<_, _>>()?;
    Ok(Some(meeting))
}

fn tables(conn: &Connection, doc: &str) -> rusqlite::Result<Vec<Table>> {
    let mut stmt =
        conn.prepare_cached("SELECT table_ord, table_title, header, cells, pages FROM tables_rows WHERE document_id = ?1 ORDER BY table_ord, row_ord")?;
    let mut out: Vec<(i64, Table)> = Vec::new();
    for row in stmt.query_map([doc], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, Option<String>>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?, r.get::<_, String>(4)?))
    })? {
        let (ord, title, header, cells, pages) = row?;
        if out.last().is_none_or(|(o, _)| *o != ord) {
            out.push((ord, Table { title, header: json(&header), rows: Vec::new(), pages: json(&pages) }));
        }
        if let Some((_, table)) = out.last_mut() {
            table.rows.push(json(&cells));
        }
    }
    Ok(out.into_iter().map(|(_, t)| t).collect())
}
