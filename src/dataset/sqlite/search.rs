//! `planparse search`: ranked hits over the FTS5 indexes.
//!
//! Which index answers:
//! - `search_trigram` (default): substring search, because Norwegian compounds
//!   hide words inside words (`støtte` in `forskningsstøtte`). Case-insensitive,
//!   æ/ø/å distinct from a/o. The query is taken literally (one quoted FTS5 phrase)
//!   unless [`Query::raw_fts`].
//! - `search_words` ([`Index::Words`]): whole words (unicode61, no diacritic
//!   folding), for prefix queries (`forsk*`) and ranking by word frequency.
//! - A literal query shorter than 3 characters cannot be spelled in trigrams and
//!   is answered by `LIKE` over the same text (a full scan, unranked).
//!
//! Every user-supplied value is a bound parameter; the SQL text is fixed.

use std::path::Path;

use rusqlite::types::Value;
use rusqlite::{params_from_iter, Connection, OptionalExtension};
use serde::Serialize;

use super::DatasetError;
use crate::dataset::vocabulary::normalize_party;
use crate::model::{DocumentKind, Period};

/// Marks the start of a matched span in [`Hit::snippet`] (replaced by the caller's
/// markers when printing).
pub const MARK_OPEN: char = '\u{E000}';
/// Marks the end of a matched span in [`Hit::snippet`].
pub const MARK_CLOSE: char = '\u{E001}';

/// Characters of context kept on each side of the first match in a snippet.
const SNIPPET_CONTEXT: usize = 80;

/// bm25 column weights: text, actions, indicators, responsible, decision. A
/// match in a measure's own sentence says more than one in its responsibility.
const RANK: &str = "bm25(4.0, 2.0, 2.0, 1.0, 2.0)";

/// Which FTS5 index a query goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Index {
    /// `search_trigram`: substrings.
    #[default]
    Trigram,
    /// `search_words`: whole words.
    Words,
}

/// A search: the text and the filters.
#[derive(Debug, Clone)]
pub struct Query {
    /// Literal text by default; FTS5 syntax when `raw_fts`. Empty: every unit
    /// that passes the filters, in document order.
    pub text: String,
    pub raw_fts: bool,
    pub index: Index,
    /// A party: normalized like `responsible.party_norm`, matched as a substring
    /// of the normalized or the printed party.
    pub responsible: Option<String>,
    /// A substring of `documents.organization` (ASCII case-insensitive).
    pub organization: Option<String>,
    /// Documents whose period overlaps these years (inclusive).
    pub period: Option<(i32, i32)>,
    pub kind: Option<DocumentKind>,
    pub limit: usize,
}

impl Query {
    pub fn new(text: &str) -> Self {
        Query {
            text: text.to_string(),
            raw_fts: false,
            index: Index::Trigram,
            responsible: None,
            organization: None,
            period: None,
            kind: None,
            limit: 20,
        }
    }
}

/// What a hit is.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    Measure,
    AgendaItem,
}

/// One search hit: a measure or an agenda item, with where it stands.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub unit: UnitKind,
    /// bm25 score (lower is better); 0 for unranked (`LIKE`, empty query) hits.
    pub score: f64,
    pub document_id: String,
    pub file: String,
    pub title: Option<String>,
    pub organization: Option<String>,
    pub kind: String,
    pub period: Option<Period>,
    pub section_id: Option<String>,
    pub section_title: Option<String>,
    /// `measures.measure_id` (`1/1a`) or the agenda item number (`33/25`).
    pub id: String,
    /// The measure's label; the agenda item's title.
    pub label: Option<String>,
    /// Parties as printed (empty for agenda items).
    pub responsible: Vec<String>,
    pub pages: Vec<u32>,
    /// Text around the first match, matches between [`MARK_OPEN`] and [`MARK_CLOSE`].
    pub snippet: String,
}

/// Columns of `search_units` / the FTS tables, in order.
const COLUMNS: [&str; 5] = ["text", "actions", "indicators", "responsible", "decision"];

pub(super) fn run(conn: &Connection, path: &Path, query: &Query) -> Result<Vec<Hit>, DatasetError> {
    let err = |context: &'static str| move |e: rusqlite::Error| DatasetError::sqlite(path, context, e);
    let text = query.text.trim();
    let filters = Filters::of(query);
    let limit = i64::try_from(query.limit).unwrap_or(i64::MAX);
    let units: Vec<(i64, f64, String)> = if !query.raw_fts && text.chars().count() < 3 {
        like_search(conn, text, &filters, limit).map_err(err("cannot search"))?
    } else {
        let table = match query.index {
            Index::Trigram => "search_trigram",
            Index::Words => "search_words",
        };
        let fts = if query.raw_fts { text.to_string() } else { format!("\"{}\"", text.replace('"', "\"\"")) };
        fts_search(conn, table, &fts, &filters, limit).map_err(|e| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => DatasetError::sqlite(path, "", e),
            _ if is_fts_query_error(&e) => DatasetError::Query { query: text.to_string(), detail: fts_detail(&e) },
            _ => DatasetError::sqlite(path, "cannot search", e),
        })?
    };
    units.into_iter().map(|(id, score, snippet)| describe(conn, id, score, snippet).map_err(err("cannot read a hit"))).collect()
}

/// The filters as bound values: responsible (normalized, printed), organization,
/// period from, period to, kind.
struct Filters {
    values: [Value; 6],
}

/// The filter conditions over the unit id `{unit}`; `?1`..`?6` are [`Filters::values`].
const FILTER_SQL: &str = "
  (?1 IS NULL OR EXISTS (SELECT 1 FROM responsible AS r WHERE r.measure = {unit}
      AND (r.party_norm LIKE ?1 ESCAPE '\\' OR r.party LIKE ?2 ESCAPE '\\')))
  AND (?3 IS NULL AND ?4 IS NULL AND ?5 IS NULL AND ?6 IS NULL
    OR coalesce((SELECT document_id FROM measures WHERE id = {unit}), (SELECT document_id FROM agenda_items WHERE id = {unit}))
       IN (SELECT id FROM documents
           WHERE (?3 IS NULL OR organization LIKE ?3 ESCAPE '\\')
             AND (?4 IS NULL OR period_to >= ?4)
             AND (?5 IS NULL OR period_from <= ?5)
             AND (?6 IS NULL OR kind = ?6)))";

impl Filters {
    fn of(query: &Query) -> Self {
        let contains = |s: &str| Value::Text(format!("%{}%", escape_like(s)));
        let (norm, printed) = match query.responsible.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(r) => (contains(&normalize_party(r)), contains(r)),
            None => (Value::Null, Value::Null),
        };
        let organization = query.organization.as_deref().map(str::trim).filter(|s| !s.is_empty()).map_or(Value::Null, contains);
        let (from, to) = query.period.map_or((Value::Null, Value::Null), |(f, t)| (Value::Integer(f.into()), Value::Integer(t.into())));
        let kind = query.kind.map_or(Value::Null, |k| Value::Text(k.as_str().to_string()));
        Filters { values: [norm, printed, organization, from, to, kind] }
    }
}

/// `%`, `_` and `\` taken literally in a `LIKE ... ESCAPE '\'` pattern.
fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Top hits of an FTS5 query: `ORDER BY rank` lets FTS5 sort the matches itself
/// and `highlight()` run only for the rows returned.
fn fts_search(conn: &Connection, table: &str, fts: &str, filters: &Filters, limit: i64) -> rusqlite::Result<Vec<(i64, f64, String)>> {
    let highlights: Vec<String> = (0..COLUMNS.len()).map(|i| format!("highlight({table}, {i}, ?9, ?10)")).collect();
    // MATCH and ORDER BY rank go to FTS5, which sorts the matches itself; the
    // filters are checked per row in rank order and LIMIT stops early, so
    // highlight() runs only for the rows returned.
    let sql = format!(
        "SELECT rowid, rank, {highlights} FROM {table}
         WHERE {table} MATCH ?7 AND rank MATCH ?8 AND ({filter})
         ORDER BY rank LIMIT ?11",
        highlights = highlights.join(", "),
        filter = FILTER_SQL.replace("{unit}", &format!("{table}.rowid")),
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut values: Vec<Value> = filters.values.to_vec();
    values.extend([
        Value::Text(fts.to_string()),
        Value::Text(RANK.to_string()),
        Value::Text(MARK_OPEN.to_string()),
        Value::Text(MARK_CLOSE.to_string()),
        Value::Integer(limit),
    ]);
    let rows = stmt.query_map(params_from_iter(values), |row| {
        let id: i64 = row.get(0)?;
        let score: f64 = row.get(1)?;
        let mut best = None;
        for i in 0..COLUMNS.len() {
            let text: Option<String> = row.get(2 + i)?;
            if let Some(text) = text.filter(|t| t.contains(MARK_OPEN)) {
                best = Some(text);
                break;
            }
        }
        Ok((id, score, best.map(|t| window(&t)).unwrap_or_default()))
    })?;
    rows.collect()
}

/// Hits for text too short for trigrams: `LIKE` over every unit, in document
/// order. SQLite's `LIKE` folds ASCII case only, so each case variant of the
/// non-ASCII letters (`ø`/`Ø`) is its own pattern.
fn like_search(conn: &Connection, text: &str, filters: &Filters, limit: i64) -> rusqlite::Result<Vec<(i64, f64, String)>> {
    let variants = case_variants(text);
    let patterns: Vec<String> = (0..variants.len()).map(|i| format!("all_text LIKE ?{} ESCAPE '\\'", 8 + i)).collect();
    let sql = format!(
        "SELECT u, all_text FROM (
           SELECT id AS u, document_id, text || ' ' || actions || ' ' || indicators || ' ' || responsible || ' ' || decision AS all_text
           FROM search_units) AS s
         WHERE ({patterns}) AND ({filter})
         ORDER BY s.document_id, abs(s.u) LIMIT ?7",
        patterns = patterns.join(" OR "),
        filter = FILTER_SQL.replace("{unit}", "s.u"),
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut values: Vec<Value> = filters.values.to_vec();
    values.push(Value::Integer(limit));
    values.extend(variants.iter().map(|v| Value::Text(format!("%{}%", escape_like(v)))));
    let rows = stmt.query_map(params_from_iter(values), |row| {
        let id: i64 = row.get(0)?;
        let all: String = row.get(1)?;
        Ok((id, 0.0, window(&mark_literal(&all, text))))
    })?;
    rows.collect()
}

/// Every spelling of `text` with its non-ASCII letters in either case (at most
/// 2 letters reach here, so at most 4 variants).
fn case_variants(text: &str) -> Vec<String> {
    let mut variants = vec![String::new()];
    for c in text.chars() {
        let mut forms: Vec<char> = vec![c];
        if !c.is_ascii() {
            forms.extend(c.to_lowercase().chain(c.to_uppercase()).filter(|f| *f != c));
            forms.dedup();
        }
        variants = variants.iter().flat_map(|v| forms.iter().map(move |f| format!("{v}{f}"))).collect();
    }
    variants.dedup();
    variants
}

/// `haystack` with every case-insensitive occurrence of `needle` marked.
fn mark_literal(haystack: &str, needle: &str) -> String {
    let needle: Vec<char> = needle.chars().flat_map(char::to_lowercase).collect();
    if needle.is_empty() {
        return haystack.to_string();
    }
    let chars: Vec<char> = haystack.chars().collect();
    let lower: Vec<char> = chars.iter().map(|c| c.to_lowercase().next().unwrap_or(*c)).collect();
    let mut out = String::with_capacity(haystack.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        if lower[i..].starts_with(&needle) {
            out.push(MARK_OPEN);
            out.extend(&chars[i..i + needle.len()]);
            out.push(MARK_CLOSE);
            i += needle.len();
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// The text around the first marked match: about [`SNIPPET_CONTEXT`] characters
/// each side, cut at word boundaries, `…` where text was cut.
fn window(marked: &str) -> String {
    // Agenda items keep bullets as lines; a snippet is one line.
    let folded = marked.split_whitespace().collect::<Vec<_>>().join(" ");
    let chars: Vec<char> = folded.chars().collect();
    let Some(first) = chars.iter().position(|c| *c == MARK_OPEN) else {
        return cut_end(&chars, 2 * SNIPPET_CONTEXT);
    };
    let close = chars[first..].iter().position(|c| *c == MARK_CLOSE).map_or(chars.len(), |p| first + p + 1);
    let mut start = first.saturating_sub(SNIPPET_CONTEXT);
    if start > 0 {
        // Start at a word: after the next space.
        start = chars[start..first].iter().position(|c| c.is_whitespace()).map_or(first, |p| start + p + 1);
    }
    let mut end = (close + SNIPPET_CONTEXT).min(chars.len());
    if end < chars.len() {
        end = chars[close..end].iter().rposition(|c| c.is_whitespace()).map_or(close, |p| close + p);
    }
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    let body: String = chars[start..end].iter().collect();
    out.push_str(body.trim());
    if end < chars.len() {
        out.push('…');
    }
    balance_marks(out)
}

fn cut_end(chars: &[char], max: usize) -> String {
    if chars.len() <= max {
        return chars.iter().collect();
    }
    let end = chars[..max].iter().rposition(|c| c.is_whitespace()).unwrap_or(max);
    let mut out: String = chars[..end].iter().collect();
    out.push('…');
    balance_marks(out)
}

/// Closes a match the cut left open, so that printed markers always pair.
fn balance_marks(mut s: String) -> String {
    let open = s.chars().filter(|c| *c == MARK_OPEN).count();
    let close = s.chars().filter(|c| *c == MARK_CLOSE).count();
    if open > close {
        s.push(MARK_CLOSE);
    }
    s
}

/// The document, section, label, parties and pages of a unit.
fn describe(conn: &Connection, id: i64, score: f64, snippet: String) -> rusqlite::Result<Hit> {
    let measure = conn
        .prepare_cached(
            "SELECT m.document_id, m.measure_id, m.section_id, m.label, m.pages,
                    (SELECT s.title FROM sections AS s WHERE s.document_id = m.document_id AND s.id = m.section_id ORDER BY s.ord LIMIT 1)
             FROM measures AS m WHERE m.id = ?1",
        )?
        .query_row([id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, Option<String>>(5)?,
            ))
        })
        .optional()?;
    let (unit, document_id, unit_id, section_id, label, pages, section_title) = match measure {
        Some((doc, mid, sid, label, pages, stitle)) => (UnitKind::Measure, doc, mid, sid, label, pages, stitle),
        None => {
            let (doc, number, title, pages) =
                conn.prepare_cached("SELECT document_id, number, title, pages FROM agenda_items WHERE id = ?1")?.query_row([id], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
                })?;
            (UnitKind::AgendaItem, doc, number, None, Some(title), pages, None)
        }
    };
    let responsible: Vec<String> = {
        let mut stmt = conn.prepare_cached("SELECT DISTINCT party FROM responsible WHERE measure = ?1 ORDER BY ord")?;
        let rows = stmt.query_map([id], |r| r.get(0))?;
        rows.collect::<Result<_, _>>()?
    };
    let (file, title, organization, kind, from, to) = conn
        .prepare_cached("SELECT file, title, organization, kind, period_from, period_to FROM documents WHERE id = ?1")?
        .query_row([&document_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<i32>>(4)?,
                r.get::<_, Option<i32>>(5)?,
            ))
        })?;
    Ok(Hit {
        unit,
        score,
        document_id,
        file,
        title,
        organization,
        kind,
        period: from.zip(to).map(|(from, to)| Period { from, to }),
        section_id,
        section_title,
        id: unit_id,
        label,
        responsible,
        pages: serde_json::from_str(&pages).unwrap_or_default(),
        snippet,
    })
}

/// Whether SQLite rejected the FTS5 query itself (syntax, unknown column, ...)
/// rather than failing for another reason.
fn is_fts_query_error(e: &rusqlite::Error) -> bool {
    let msg = e.to_string();
    msg.contains("fts5") || msg.contains("no such column") || msg.contains("unknown special query") || msg.contains("malformed MATCH")
}

/// The part of SQLite's message that names what is wrong with the query.
fn fts_detail(e: &rusqlite::Error) -> String {
    let msg = match e {
        rusqlite::Error::SqliteFailure(_, Some(m)) => m.clone(),
        other => other.to_string(),
    };
    msg.trim_start_matches("fts5: ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_center_on_the_first_match() {
        let long = format!("{} forsknings{MARK_OPEN}støtte{MARK_CLOSE} ol. {}", "ord ".repeat(40), "mer ".repeat(40));
        let w = window(&long);
        assert!(w.starts_with('…') && w.ends_with('…'), "{w}");
        assert!(w.contains(&format!("forsknings{MARK_OPEN}støtte{MARK_CLOSE}")));
        assert!(w.chars().count() < 2 * SNIPPET_CONTEXT + 20);
    }

    #[test]
    fn literal_marks_are_case_insensitive_and_keep_the_printed_case() {
        assert_eq!(
            mark_literal("Økt ØK øk", "øk"),
            format!("{MARK_OPEN}Øk{MARK_CLOSE}t {MARK_OPEN}ØK{MARK_CLOSE} {MARK_OPEN}øk{MARK_CLOSE}")
        );
    }

    #[test]
    fn short_queries_vary_only_non_ascii_case() {
        assert_eq!(case_variants("øk"), ["øk", "Øk"]);
        assert_eq!(case_variants("UH"), ["UH"]);
    }

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(escape_like("50%_a\\"), "50\\%\\_a\\\\");
    }
}
