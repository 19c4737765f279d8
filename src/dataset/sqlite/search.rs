//! `planparse search`: ranked hits over the FTS5 indexes.
//!
//! A literal query (the default) means "this text, anywhere, any case": `støtte`
//! matches inside `forskningsstøtte`, æ/ø/å stay distinct from a/o. The planner
//! picks the cheapest index that gives exactly that answer:
//! - **1 or 2 characters** (`UH`): trigrams cannot spell them; `LIKE` over the
//!   text, in index order, unranked.
//! - **words** (`støtte`, `kliniske studier`, `covid-19`): when the query
//!   starts and ends inside words, the `vocabulary` table (every distinct word,
//!   with its own small trigram index) turns the first word into the words that
//!   end with it (contain it, for a one-word query), the last word becomes a
//!   prefix, and `search_words` (unicode61) answers the phrase, ranked by bm25.
//!   Word queries do not see spaces and punctuation, so a candidate whose text
//!   does not hold the literal query is dropped.
//! - **trigrams** otherwise (`(RRCT)`, `e-helse` when many words end with `e`,
//!   a word inside more than [`MAX_EXPANSION`] vocabulary words): one quoted phrase over
//!   `search_trigram`, the substring index, exact by itself.
//!
//! `--fts` sends the query unchanged to `search_trigram` (or `search_words`
//! with `--words`, which otherwise matches whole words).
//!
//! Ranking is bm25. For a literal query it is computed here from the
//! occurrences of the text (see `ranked_literal`: one term, so idf drops out,
//! and FTS5 need not count the term's matches across the whole index); `--fts`
//! and `--words` use FTS5's own `bm25()`. Either is exact up to
//! [`Query::rank_window`] matches. A broader query (`forskning` in a million
//! measures) ranks its `rank_window` most recently indexed matches, since
//! ranking costs a read per match while a query that broad needs narrowing
//! anyway. [`Results::ranked_within`] says when that happened.
//!
//! Every user-supplied value is a bound parameter; the SQL text is fixed.

use std::path::Path;

use rusqlite::types::Value;
use rusqlite::{params_from_iter, Connection, OptionalExtension};
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use super::terms::{fold, fold_char, QueryWords};
use super::DatasetError;
use crate::dataset::vocabulary::normalize_party;
use crate::model::{Action, DocumentKind, ExtraColumn, Period};

/// Marks the start of a matched span while a snippet is cut (private-use
/// characters no document text holds); [`split_marks`] turns the marks into
/// [`Hit::highlights`] before a hit leaves this module.
const MARK_OPEN: char = '\u{E000}';
/// Marks the end of a matched span.
const MARK_CLOSE: char = '\u{E001}';

/// Characters of context kept on each side of the first match in a snippet.
const SNIPPET_CONTEXT: usize = 80;

/// bm25 column weights: text, actions, indicators, responsible, decision. A
/// match in a measure's own sentence says more than one in its responsibility.
/// (`ranked_literal` uses the same weights.)
const RANK: &str = "bm25(4.0, 2.0, 2.0, 1.0, 2.0)";

/// Most vocabulary words one query word may stand for before the planner
/// prefers the trigram index (`for` is inside thousands of words).
pub const MAX_EXPANSION: usize = 400;

/// The same for the phrases of a longer query (the words ending with its first
/// word times the words starting with its last): each is a phrase for FTS5 to
/// evaluate.
pub const MAX_PHRASE_EXPANSION: usize = 40;

/// Longest query accepted, in characters: a sentence or two. Each word of a
/// query becomes vocabulary lookups and FTS5 phrases, so a page of text as a
/// query took gigabytes; a longer one fails with [`DatasetError::QueryLimit`].
pub const MAX_QUERY_CHARS: usize = 1_000;

/// Most words (white-space separated terms) in one query.
pub const MAX_QUERY_TERMS: usize = 64;

/// Default [`Query::rank_window`].
pub const RANK_WINDOW: usize = 500;

/// Which FTS5 index a query goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Index {
    /// Substrings (`search_trigram`, or the vocabulary and `search_words`).
    #[default]
    Trigram,
    /// `search_words`: whole words.
    Words,
}

/// A search: the text and the filters.
#[derive(Debug, Clone)]
pub struct Query {
    /// Literal text by default; FTS5 syntax when `raw_fts`. Empty: every unit
    /// that passes the filters, in index order.
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
    /// Matches ranked at most; see the module documentation.
    pub rank_window: usize,
}

impl Query {
    /// What the query means: `substring`, `words` or `fts`.
    pub fn mode(&self) -> &'static str {
        match (self.raw_fts, self.index) {
            (true, _) => "fts",
            (false, Index::Words) => "words",
            (false, Index::Trigram) => "substring",
        }
    }

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
            rank_window: RANK_WINDOW,
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

/// One search hit: a measure or an agenda item, the whole unit, with where
/// it stands and where the query matched. The same unit in several forms of
/// one plan (PDF, DOCX... with the same [`plan_key`](crate::dataset::forms::plan_key))
/// is one hit: the best-ranked form's, its [`Hit::files`] listing every form.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub unit: UnitKind,
    /// bm25 score (lower is better); 0 for unranked (`LIKE`, empty query) hits.
    pub score: f64,
    pub document_id: String,
    /// The file's path relative to the indexed root.
    pub file: String,
    /// `pdf`, `docx`, `html`, `text`, `markdown`.
    pub format: String,
    pub title: Option<String>,
    pub organization: Option<String>,
    pub kind: String,
    pub period: Option<Period>,
    pub section_id: Option<String>,
    pub section_number: Option<String>,
    pub section_title: Option<String>,
    /// `measures.measure_id` (`1/1a`) or the agenda item number (`33/25`).
    pub id: String,
    /// The measure's label; the agenda item's title.
    pub label: Option<String>,
    /// The measure's own sentence(s) ("" when it is actions only); the
    /// agenda item's body.
    pub text: String,
    /// The measure's actions with their bullets (empty for agenda items).
    pub actions: Vec<Action>,
    pub indicators: Vec<String>,
    /// Parties as printed (empty for agenda items).
    pub responsible: Vec<String>,
    pub deadline: Option<String>,
    pub status: Option<String>,
    pub extra: Vec<ExtraColumn>,
    /// The agenda item's kind and decision (`null` for measures).
    pub item_kind: Option<String>,
    pub decision: Option<String>,
    pub pages: Vec<u32>,
    /// The field the snippet is cut from: `text` (for an agenda item: number,
    /// title and body), `actions`, `indicators`, `responsible`, `decision`.
    pub field: &'static str,
    /// Text around the first match, one line, `…` where it was cut; plain
    /// text, no marks.
    pub snippet: String,
    /// The matches in `snippet` as `[start, end)` offsets in Unicode scalar
    /// values (chars, not bytes), in order: `snippet.chars().skip(start).take(end - start)`.
    pub highlights: Vec<[usize; 2]>,
    /// Every form of the plan that holds this unit (this hit's own form
    /// first): one entry for a plan indexed once.
    pub files: Vec<Form>,
}

/// One form (file) of the plan a hit belongs to.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Form {
    pub document_id: String,
    /// The file's path relative to the indexed root.
    pub file: String,
    pub format: String,
    /// The unit's id in this form (`measure_id` or agenda item number).
    pub id: String,
    /// Whether this form's unit matched the query itself (a form whose text
    /// differs in punctuation may not).
    pub matched: bool,
}

/// The hits of a search, and how they were found.
#[derive(Debug, Clone, Serialize)]
pub struct Results {
    pub hits: Vec<Hit>,
    /// Hits in all (units grouped across the forms of a plan, within the rank
    /// window); `hits` holds the first `limit` of them.
    pub total: usize,
    /// More units matched than `total` counts: the ranking was windowed
    /// (`ranked_within`), or an unranked scan stopped at the window.
    pub more: bool,
    /// `Some(n)`: more than `n` units matched; the hits are the best of the `n`
    /// most recently indexed matches.
    pub ranked_within: Option<usize>,
    /// What the query means: `substring` (the default), `words` (`--words`),
    /// `fts` (`--fts`).
    pub mode: &'static str,
    /// How it was answered; see [`Plan::index`].
    pub index: &'static str,
}

/// One page of a search: the hits of the page, how many hits there are, and
/// the facets over all of them.
#[derive(Debug, Clone, Serialize)]
pub struct ResultPage {
    pub hits: Vec<Hit>,
    /// Hits in all (units grouped across the forms of a plan, within the rank window).
    pub total: usize,
    /// More units matched than `total` counts: the ranking was windowed
    /// (`ranked_within`), or an unranked scan stopped at the window.
    pub more: bool,
    pub ranked_within: Option<usize>,
    /// `substring`, `words` or `fts`; see [`Results::mode`].
    pub mode: &'static str,
    /// How it was answered; see [`Plan::index`].
    pub index: &'static str,
    pub facets: Facets,
}

/// Counts of the matching units by the values of each filter.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Facets {
    pub organization: Vec<FacetValue>,
    /// Values `2021..2025` (the `period` filter's spelling), labels `2021–2025`.
    pub period: Vec<FacetValue>,
    pub kind: Vec<FacetValue>,
    /// Normalized parties (`responsible.party_norm`).
    pub responsible: Vec<FacetValue>,
}

/// One value of a facet: what to filter by, how to show it, how many units have it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FacetValue {
    pub value: String,
    pub label: String,
    pub count: usize,
}

/// A period filter in any of its spellings: `2021..2025`, `2021-2025`,
/// `2023`, `2021..`, `..2025` (inclusive years).
pub fn parse_period(s: &str) -> Result<(i32, i32), String> {
    let year = |y: &str, default: i32| -> Result<i32, String> {
        let y = y.trim();
        if y.is_empty() {
            return Ok(default);
        }
        y.parse::<i32>().map_err(|_| format!("{y:?} is not a year (expected e.g. 2021..2025)"))
    };
    let (from, to) = match s.split_once("..").or_else(|| s.split_once('-')) {
        Some((a, b)) => (year(a, i32::MIN)?, year(b, i32::MAX)?),
        None => {
            let y = year(s, 0)?;
            (y, y)
        }
    };
    if from > to {
        return Err(format!("{s:?}: the first year is after the last"));
    }
    Ok((from, to))
}

/// A document kind by its name in the JSON (`action_plan`...).
pub fn parse_kind(s: &str) -> Result<DocumentKind, String> {
    [DocumentKind::ActionPlan, DocumentKind::MeetingMinutes, DocumentKind::Report, DocumentKind::Unknown]
        .into_iter()
        .find(|k| k.as_str() == s)
        .ok_or_else(|| format!("{s:?}: expected action_plan, meeting_minutes, report or unknown"))
}

/// How a query is answered.
#[derive(Debug, Clone, PartialEq)]
pub enum Plan {
    /// Nothing can match (a word no indexed text contains).
    Nothing,
    /// `LIKE` scan for every case variant of the text (empty: everything).
    Like,
    /// An FTS5 query over `table`. `check`: a literal query, whose matches are
    /// marked in the text (not FTS5's whole words or trigrams) and a unit whose
    /// text does not hold it is dropped (a word phrase whose separators differ
    /// from the query's). Otherwise FTS5's `highlight()` marks.
    Fts { table: &'static str, fts: String, check: bool },
}

impl Plan {
    /// The index that answered, as `search --json` and the API report it:
    /// - `trigram`: the trigram index (`search_trigram`), substrings;
    /// - `vocabulary`: a substring query answered through the vocabulary of
    ///   indexed words and the word index (`search_words`), each candidate
    ///   checked for the literal text;
    /// - `words`: the word index alone (`--words`, or `--fts --words`);
    /// - `scan`: a scan of every unit (queries of 1 or 2 characters, or none);
    /// - `none`: nothing was searched: the vocabulary shows that no indexed
    ///   word holds the text (or a `--words` query has no word).
    pub fn index(&self) -> &'static str {
        match self {
            Plan::Nothing => "none",
            Plan::Like => "scan",
            Plan::Fts { table: "search_words", check: true, .. } => "vocabulary",
            Plan::Fts { table: "search_words", .. } => "words",
            Plan::Fts { .. } => "trigram",
        }
    }
}

/// A matching unit before [`describe`] fills in where it stands.
struct Found {
    id: i64,
    score: f64,
    snippet: Snippet,
    /// Index into [`COLUMNS`] of the snippet's column.
    column: usize,
}

/// A hit's snippet, cut only for the hits described: a search finds
/// hundreds of matches (the rank window) and shows a page of them.
enum Snippet {
    /// Already cut and marked with [`MARK_OPEN`] and [`MARK_CLOSE`] (FTS5's `highlight()`).
    Marked(String),
    /// A column's text and the literal query to mark in it.
    Literal { text: String, needle: String },
}

impl Snippet {
    /// The text around the first match, marked.
    fn marked(self) -> String {
        match self {
            Snippet::Marked(s) => s,
            Snippet::Literal { text, needle } => window_around_match(&mark_literal(&text, &needle)),
        }
    }
}

/// Columns of `search_units` / the FTS tables, in order.
const COLUMNS: [&str; 5] = ["text", "actions", "indicators", "responsible", "decision"];

pub(super) fn run(conn: &Connection, path: &Path, query: &Query) -> Result<Results, DatasetError> {
    let (groups, found) = grouped(conn, path, query)?;
    let total = groups.len();
    let more = found.more(total);
    let hits = describe_all(conn, path, groups.into_iter().take(query.limit).collect())?;
    Ok(Results { hits, total, more, ranked_within: found.ranked_within, mode: query.mode(), index: found.index })
}

/// One page of hits with the hit count and the facets; see [`ResultPage`].
pub(super) fn page(conn: &Connection, path: &Path, query: &Query, offset: usize) -> Result<ResultPage, DatasetError> {
    let (groups, found) = grouped(conn, path, query)?;
    // Facets count hits: one unit per plan, however many forms it has.
    let ids: Vec<i64> = groups.iter().map(|g| g.best.id).collect();
    let facets = facets(conn, &ids).map_err(|e| DatasetError::sqlite(path, "cannot count facets", e))?;
    let total = groups.len();
    let more = found.more(total);
    let hits = describe_all(conn, path, groups.into_iter().skip(offset).take(query.limit).collect())?;
    Ok(ResultPage { hits, total, more, ranked_within: found.ranked_within, mode: query.mode(), index: found.index, facets })
}

/// Every match the rank window holds, grouped across the forms of a plan in
/// rank order, so that the count and the facets cover them all; only the
/// hits shown are described. Pages end with the window.
fn grouped(conn: &Connection, path: &Path, query: &Query) -> Result<(Vec<Group>, MatchInfo), DatasetError> {
    let cap = query.rank_window.max(1);
    let found = find(conn, path, query, cap)?;
    let info = MatchInfo { ranked_within: found.ranked_within, index: found.index, units: found.units.len(), cap };
    let groups = group_forms(conn, found.units).map_err(|e| DatasetError::sqlite(path, "cannot group the forms of a plan", e))?;
    Ok((groups, info))
}

/// What [`grouped`] saw besides the groups.
struct MatchInfo {
    ranked_within: Option<usize>,
    index: &'static str,
    units: usize,
    cap: usize,
}

impl MatchInfo {
    /// Whether more units matched than the hits count: a windowed ranking,
    /// or an unranked scan that stopped at the cap.
    fn more(&self, _total: usize) -> bool {
        self.ranked_within.is_some() || (self.index == "scan" && self.units >= self.cap)
    }
}

/// The matches of one unit across the forms of its plan: the best-ranked
/// one, and the ids of the others that matched.
struct Group {
    best: Found,
    matched: Vec<i64>,
}

/// Groups matches by (plan key, unit type, place in the document): the
/// forms of one plan have the same units in the same order (that is what
/// their shared key says), so the n-th measure of the PDF is the n-th of the
/// DOCX. Rank order is kept; a group stands where its best match stood.
fn group_forms(conn: &Connection, units: Vec<Found>) -> rusqlite::Result<Vec<Group>> {
    // One statement for every match (the window holds hundreds).
    let ids = serde_json::to_string(&units.iter().map(|f| f.id).collect::<Vec<_>>()).unwrap_or_else(|_| "[]".to_string());
    let mut stmt = conn.prepare_cached(
        "WITH u(id) AS (SELECT value FROM json_each(?1))
         SELECT u.id, d.plan_key, 'm', m.ord FROM u JOIN measures AS m ON m.id = u.id JOIN documents AS d ON d.id = m.document_id
         UNION ALL
         SELECT u.id, d.plan_key, 'a', g.ord FROM u JOIN agenda_items AS g ON g.id = u.id JOIN documents AS d ON d.id = g.document_id",
    )?;
    let mut keys: std::collections::HashMap<i64, (String, String, i64)> = std::collections::HashMap::with_capacity(units.len());
    let mut rows = stmt.query([ids])?;
    while let Some(row) = rows.next()? {
        keys.insert(row.get(0)?, (row.get(1)?, row.get(2)?, row.get(3)?));
    }
    let mut groups: Vec<Group> = Vec::new();
    let mut by_key: std::collections::HashMap<(String, String, i64), usize> = std::collections::HashMap::new();
    for found in units {
        let key = keys.remove(&found.id);
        match key.as_ref().and_then(|k| by_key.get(k)) {
            Some(&g) => groups[g].matched.push(found.id),
            None => {
                if let Some(k) = key {
                    by_key.insert(k, groups.len());
                }
                groups.push(Group { matched: vec![found.id], best: found });
            }
        }
    }
    Ok(groups)
}

/// Ranked matches before [`describe`].
struct Matches {
    units: Vec<Found>,
    ranked_within: Option<usize>,
    index: &'static str,
}

/// The best `limit` matches of a query.
fn find(conn: &Connection, path: &Path, query: &Query, limit: usize) -> Result<Matches, DatasetError> {
    let sql_error = |context: &'static str| move |e: rusqlite::Error| DatasetError::sqlite(path, context, e);
    // The dataset's text is NFC (SPEC); a query typed on macOS may arrive as NFD.
    let text: String = query.text.trim().nfc().collect();
    let text = text.as_str();
    check_size(text)?;
    let filters = Filters::of(query);
    let plan = plan(conn, text, query).map_err(sql_error("cannot read the vocabulary"))?;
    let index = plan.index();
    let (units, ranked_within) = match &plan {
        Plan::Nothing => (Vec::new(), None),
        Plan::Like => (like_search(conn, text, &filters, limit).map_err(sql_error("cannot search"))?, None),
        Plan::Fts { table, fts, check } => {
            let literal = check.then_some(text);
            let (units, window) = fts_search(conn, table, fts, literal, &filters, query, limit).map_err(|e| {
                if is_fts_query_error(&e) {
                    DatasetError::Query { query: text.to_string(), detail: fts_detail(&e) }
                } else {
                    DatasetError::sqlite(path, "cannot search", e)
                }
            })?;
            (units, window)
        }
    };
    Ok(Matches { units, ranked_within, index })
}

fn describe_all(conn: &Connection, path: &Path, groups: Vec<Group>) -> Result<Vec<Hit>, DatasetError> {
    groups.into_iter().map(|group| describe(conn, group).map_err(|e| DatasetError::sqlite(path, "cannot read a hit", e))).collect()
}

/// Most values listed per facet (the largest counts).
pub const FACET_VALUES: usize = 25;

/// Counts of the matching units per organization, period, kind and
/// responsible party (each measure once per party), largest first (periods in
/// time order), at most [`FACET_VALUES`] each. Units whose document has no
/// organization or period are not counted under that facet.
fn facets(conn: &Connection, ids: &[i64]) -> rusqlite::Result<Facets> {
    let ids = serde_json::to_string(ids).unwrap_or_else(|_| "[]".to_string());
    let units = "WITH u(id) AS (SELECT value FROM json_each(?1))";
    let per_document = |column: &str, order: &str| {
        format!(
            "{units} SELECT {column}, count(*) FROM u JOIN search_units AS s ON s.id = u.id JOIN documents AS d ON d.id = s.document_id
             WHERE {column} IS NOT NULL GROUP BY {column} ORDER BY {order} LIMIT ?2"
        )
    };
    let limit = i64::try_from(FACET_VALUES).unwrap_or(i64::MAX);
    let values = |sql: &str, label: &dyn Fn(&str) -> String| -> rusqlite::Result<Vec<FacetValue>> {
        let mut stmt = conn.prepare_cached(sql)?;
        let rows = stmt.query_map(rusqlite::params![ids, limit], |r| {
            let value: String = r.get(0)?;
            let count: i64 = r.get(1)?;
            Ok(FacetValue { label: label(&value), value, count: usize::try_from(count).unwrap_or(0) })
        })?;
        rows.collect()
    };
    let same = |v: &str| v.to_string();
    Ok(Facets {
        organization: values(&per_document("d.organization", "2 DESC, 1"), &same)?,
        period: values(&per_document("d.period_from || '..' || d.period_to", "1"), &|v: &str| v.replace("..", "–"))?,
        kind: values(&per_document("d.kind", "2 DESC, 1"), &same)?,
        responsible: values(
            &format!(
                "{units} SELECT r.party_norm, count(DISTINCT r.measure) FROM u JOIN responsible AS r ON r.measure = u.id
                 GROUP BY r.party_norm ORDER BY 2 DESC, 1 LIMIT ?2"
            ),
            &same,
        )?,
    })
}

/// Picks the index for a query; see the module documentation.
fn plan(conn: &Connection, text: &str, query: &Query) -> rusqlite::Result<Plan> {
    let phrase = |t: &str| format!("\"{}\"", t.replace('"', "\"\""));
    if query.raw_fts {
        let table = if query.index == Index::Words { "search_words" } else { "search_trigram" };
        return Ok(Plan::Fts { table, fts: text.to_string(), check: false });
    }
    let q = QueryWords::of(text);
    if query.index == Index::Words {
        if q.words.is_empty() {
            return Ok(Plan::Nothing);
        }
        return Ok(Plan::Fts { table: "search_words", fts: phrase(&q.words.join(" ")), check: false });
    }
    if text.chars().count() < 3 {
        return Ok(Plan::Like);
    }
    let trigram = Plan::Fts { table: "search_trigram", fts: phrase(text), check: true };
    // Word queries see neither what precedes the first word nor what follows
    // the last, so the query must start and end inside words.
    let words = &q.words;
    let Some(last) = words.last() else { return Ok(trigram) };
    if !q.open_start || !q.open_end {
        return Ok(trigram);
    }
    // The text's first word ends with the query's first word (contains it, for
    // a one-word query); its last word starts with the query's last word; the
    // words between are the query's. Each combination is one phrase.
    let phrases: Vec<String> = if words.len() == 1 {
        let Some(inside) = vocabulary_words(conn, &words[0], Edge::Inside, MAX_EXPANSION)? else { return Ok(trigram) };
        inside.iter().map(|w| phrase(w)).collect()
    } else {
        let Some(firsts) = vocabulary_words(conn, &words[0], Edge::End, MAX_PHRASE_EXPANSION)? else { return Ok(trigram) };
        let Some(lasts) = vocabulary_words(conn, last, Edge::Start, MAX_PHRASE_EXPANSION)? else { return Ok(trigram) };
        if firsts.len() * lasts.len() > MAX_PHRASE_EXPANSION {
            return Ok(trigram);
        }
        let middle: String = words[1..words.len() - 1].iter().map(|w| format!(" {w}")).collect();
        let middle = middle.as_str();
        firsts.iter().flat_map(|f| lasts.iter().map(move |l| format!("{f}{middle} {l}"))).map(|p| phrase(&p)).collect()
    };
    if phrases.is_empty() {
        return Ok(Plan::Nothing);
    }
    Ok(Plan::Fts { table: "search_words", fts: phrases.join(" OR "), check: true })
}

/// How a query word meets the text's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edge {
    /// A one-word query: any word containing it.
    Inside,
    /// The query's first word: any word ending with it.
    End,
    /// The query's last word: any word starting with it.
    Start,
}

/// Vocabulary words that meet `part` as `edge` says; `None` when there are
/// more than `max`.
fn vocabulary_words(conn: &Connection, part: &str, edge: Edge, max: usize) -> rusqlite::Result<Option<Vec<String>>> {
    let candidates: Vec<String> = match edge {
        // The UNIQUE index on `term` is ordered: a prefix is a range.
        Edge::Start => {
            let mut stmt = conn.prepare_cached("SELECT term FROM vocabulary WHERE term >= ?1 AND term < ?2 LIMIT ?3")?;
            let end = format!("{part}\u{10FFFF}");
            let rows = stmt.query_map(rusqlite::params![part, end, max + 1], |r| r.get(0))?;
            rows.collect::<Result<_, _>>()?
        }
        _ if part.chars().count() >= 3 => {
            let mut stmt =
                conn.prepare_cached("SELECT v.term FROM vocabulary_trigram AS f JOIN vocabulary AS v ON v.id = f.rowid WHERE vocabulary_trigram MATCH ?1")?;
            let rows = stmt.query_map([format!("\"{part}\"")], |r| r.get(0))?;
            rows.collect::<Result<_, _>>()?
        }
        _ => {
            let mut stmt = conn.prepare_cached("SELECT term FROM vocabulary WHERE instr(term, ?1) > 0")?;
            let rows = stmt.query_map([part], |r| r.get(0))?;
            rows.collect::<Result<_, _>>()?
        }
    };
    let words: Vec<String> = candidates
        .into_iter()
        .filter(|w| match edge {
            Edge::Inside => w.contains(part),
            Edge::End => w.ends_with(part),
            Edge::Start => w.starts_with(part),
        })
        .collect();
    Ok((words.len() <= max).then_some(words))
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

/// Top hits of an FTS5 query, with the rank window it needed.
///
/// First the `rank_window`-th match in rowid order (newest first) that passes
/// the filters: FTS5 streams rowid order and stops there. When it exists, only
/// matches from that rowid on are ranked.
fn fts_search(
    conn: &Connection,
    table: &str,
    fts: &str,
    literal: Option<&str>,
    filters: &Filters,
    query: &Query,
    limit: usize,
) -> rusqlite::Result<(Vec<Found>, Option<usize>)> {
    let filter = FILTER_SQL.replace("{unit}", &format!("{table}.rowid"));
    let window = query.rank_window.max(1);
    let mut values: Vec<Value> = filters.values.to_vec();
    values.extend([Value::Text(fts.to_string()), Value::Integer(i64::try_from(window - 1).unwrap_or(i64::MAX))]);
    let threshold: Option<i64> = conn
        .prepare_cached(&format!("SELECT rowid FROM {table} WHERE {table} MATCH ?7 AND ({filter}) ORDER BY rowid DESC LIMIT 1 OFFSET ?8"))?
        .query_row(params_from_iter(values), |r| r.get(0))
        .optional()?;
    let mut values: Vec<Value> = filters.values.to_vec();
    values.extend([Value::Text(fts.to_string()), Value::Integer(threshold.unwrap_or(i64::MIN))]);
    let found = match literal {
        Some(needle) => ranked_literal(conn, table, &filter, values, needle, limit)?,
        None => ranked_by_fts5(conn, table, &filter, values, limit)?,
    };
    Ok((found, threshold.map(|_| window)))
}

/// A literal query's matches, ranked here rather than by FTS5's `bm25()`.
///
/// FTS5's bm25 counts, for its idf, every match of each phrase in the whole
/// index, once per query: the cost of a broad query grows with the dataset
/// however small the window. A literal query is one term, so idf is the same
/// for every match and drops out; what remains of bm25 is computed here from
/// the occurrences of the literal text in each column (k1 = 1.2, b = 0.75,
/// column lengths in bytes against their mean over the matches, column weights
/// as [`RANK`]). Candidates without the literal text (a word phrase whose
/// punctuation differs from the query's) are dropped.
fn ranked_literal(conn: &Connection, table: &str, filter: &str, values: Vec<Value>, needle: &str, limit: usize) -> rusqlite::Result<Vec<Found>> {
    const K1: f64 = 1.2;
    const B: f64 = 0.75;
    const WEIGHTS: [f64; 5] = [4.0, 2.0, 2.0, 1.0, 2.0];
    let columns: Vec<String> = COLUMNS.iter().map(|c| format!("{table}.{c}")).collect();
    let sql = format!("SELECT rowid, {} FROM {table} WHERE {table} MATCH ?7 AND rowid >= ?8 AND ({filter})", columns.join(", "));
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params_from_iter(values))?;
    struct Candidate {
        id: i64,
        texts: [String; 5],
        occurrences: [usize; 5],
        lengths: [usize; 5],
    }
    let folded_needle = fold(needle);
    let mut candidates = Vec::new();
    while let Some(row) = rows.next()? {
        let mut candidate = Candidate { id: row.get(0)?, texts: Default::default(), occurrences: [0; 5], lengths: [0; 5] };
        for i in 0..COLUMNS.len() {
            let text: Option<String> = row.get(1 + i)?;
            let text = text.unwrap_or_default();
            candidate.lengths[i] = text.len();
            candidate.occurrences[i] = if text.is_empty() { 0 } else { fold(&text).matches(folded_needle.as_str()).count() };
            candidate.texts[i] = text;
        }
        if candidate.occurrences.iter().any(|n| *n > 0) {
            candidates.push(candidate);
        }
    }
    let mut mean = [0.0f64; 5];
    for c in &candidates {
        for (m, l) in mean.iter_mut().zip(c.lengths) {
            *m += l as f64;
        }
    }
    let n = candidates.len().max(1) as f64;
    let mean = mean.map(|m| (m / n).max(1.0));
    let score = |c: &Candidate| -> f64 {
        let sum: f64 = (0..COLUMNS.len())
            .map(|i| {
                let tf = c.occurrences[i] as f64;
                WEIGHTS[i] * tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * c.lengths[i] as f64 / mean[i]))
            })
            .sum();
        // Negative like FTS5's bm25: lower is better.
        -sum
    };
    let mut scored: Vec<(f64, Candidate)> = candidates.into_iter().map(|c| (score(&c), c)).collect();
    // Best first; among equals, the newest.
    scored.sort_by(|(sa, a), (sb, b)| sa.total_cmp(sb).then(b.id.cmp(&a.id)));
    scored.truncate(limit);
    Ok(scored
        .into_iter()
        .map(|(score, mut c)| {
            let column = c.occurrences.iter().position(|n| *n > 0).unwrap_or(0);
            let text = std::mem::take(&mut c.texts[column]);
            Found { id: c.id, score, snippet: Snippet::Literal { text, needle: needle.to_string() }, column }
        })
        .collect())
}

/// Matches of a raw FTS5 query in FTS5's own `ORDER BY rank` (bm25), marked
/// by `highlight()`; FTS5 sorts the matches itself and the columns are read
/// only for the rows returned.
fn ranked_by_fts5(conn: &Connection, table: &str, filter: &str, mut values: Vec<Value>, limit: usize) -> rusqlite::Result<Vec<Found>> {
    let columns: Vec<String> = (0..COLUMNS.len()).map(|i| format!("highlight({table}, {i}, ?10, ?11)")).collect();
    let sql = format!(
        "SELECT rowid, rank, {columns} FROM {table}
         WHERE {table} MATCH ?7 AND rowid >= ?8 AND rank MATCH ?9 AND ({filter})
         ORDER BY rank LIMIT ?12",
        columns = columns.join(", "),
    );
    values.extend([
        Value::Text(RANK.to_string()),
        Value::Text(MARK_OPEN.to_string()),
        Value::Text(MARK_CLOSE.to_string()),
        Value::Integer(i64::try_from(limit).unwrap_or(i64::MAX)),
    ]);
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params_from_iter(values), |row| {
        let mut snippet = String::new();
        let mut column = 0;
        for i in 0..COLUMNS.len() {
            let text: Option<String> = row.get(2 + i)?;
            if let Some(text) = text.filter(|t| t.contains(MARK_OPEN)) {
                snippet = window_around_match(&text);
                column = i;
                break;
            }
        }
        Ok(Found { id: row.get(0)?, score: row.get(1)?, snippet: Snippet::Marked(snippet), column })
    })?;
    rows.collect()
}

/// Hits for text too short for trigrams: `LIKE` over every unit, in index
/// order. SQLite's `LIKE` folds ASCII case only, so each case variant of the
/// non-ASCII letters (`ø`/`Ø`) is its own pattern. An empty text lists every
/// unit the filters pass.
fn like_search(conn: &Connection, text: &str, filters: &Filters, limit: usize) -> rusqlite::Result<Vec<Found>> {
    let variants = case_variants(text);
    let patterns: Vec<String> = (0..variants.len()).map(|i| format!("all_text LIKE ?{} ESCAPE '\\'", 8 + i)).collect();
    let sql = format!(
        "SELECT u, all_text, text, actions, indicators, responsible, decision FROM (
           SELECT id AS u, text || ' ' || actions || ' ' || indicators || ' ' || responsible || ' ' || decision AS all_text,
                  text, actions, indicators, responsible, decision
           FROM search_units) AS s
         WHERE ({patterns}) AND ({filter})
         LIMIT ?7",
        patterns = patterns.join(" OR "),
        filter = FILTER_SQL.replace("{unit}", "s.u"),
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut values: Vec<Value> = filters.values.to_vec();
    values.push(Value::Integer(i64::try_from(limit).unwrap_or(i64::MAX)));
    values.extend(variants.iter().map(|v| Value::Text(format!("%{}%", escape_like(v)))));
    let needle = fold(text);
    let rows = stmt.query_map(params_from_iter(values), |row| {
        let id: i64 = row.get(0)?;
        let all: String = row.get(1)?;
        // The snippet comes from the first column holding the text (from all
        // of them joined when the match spans two, or for an empty query).
        for column in 0..COLUMNS.len() {
            let value: String = row.get(2 + column)?;
            if !needle.is_empty() && fold(&value).contains(needle.as_str()) {
                return Ok(Found { id, score: 0.0, snippet: Snippet::Literal { text: value, needle: text.to_string() }, column });
            }
        }
        Ok(Found { id, score: 0.0, snippet: Snippet::Literal { text: all, needle: text.to_string() }, column: 0 })
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
    let needle: Vec<char> = needle.chars().map(fold_char).collect();
    if needle.is_empty() {
        return haystack.to_string();
    }
    let chars: Vec<char> = haystack.chars().collect();
    let folded: Vec<char> = chars.iter().map(|c| fold_char(*c)).collect();
    let mut out = String::with_capacity(haystack.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        if folded[i..].starts_with(&needle) {
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
fn window_around_match(marked: &str) -> String {
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
    // A match the cut left open closes before the ellipsis.
    let mut out = balance_marks(out);
    if end < chars.len() {
        out.push('…');
    }
    out
}

fn cut_end(chars: &[char], max: usize) -> String {
    if chars.len() <= max {
        return chars.iter().collect();
    }
    let end = chars[..max].iter().rposition(|c| c.is_whitespace()).unwrap_or(max);
    let mut out = balance_marks(chars[..end].iter().collect());
    out.push('…');
    out
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

/// A marked snippet as plain text and the `[start, end)` char offsets of
/// its marked spans.
fn split_marks(marked: &str) -> (String, Vec<[usize; 2]>) {
    let mut text = String::with_capacity(marked.len());
    let mut spans = Vec::new();
    let mut n = 0;
    let mut open: Option<usize> = None;
    for c in marked.chars() {
        match c {
            MARK_OPEN => open = Some(n),
            MARK_CLOSE => {
                if let Some(start) = open.take() {
                    if n > start {
                        spans.push([start, n]);
                    }
                }
            }
            c => {
                text.push(c);
                n += 1;
            }
        }
    }
    if let Some(start) = open.filter(|s| n > *s) {
        spans.push([start, n]);
    }
    (text, spans)
}

/// The whole unit of a group's best match, where it stands, and the forms of
/// its plan.
fn describe(conn: &Connection, group: Group) -> rusqlite::Result<Hit> {
    let Group { best, matched } = group;
    let Found { id, score, snippet, column } = best;
    let (snippet, highlights) = split_marks(&snippet.marked());
    let measure = conn
        .prepare_cached(
            "SELECT m.document_id, m.measure_id, m.section_id, m.label, m.pages, m.text, m.deadline, m.status, m.extra, m.ord,
                    (SELECT s.title FROM sections AS s WHERE s.document_id = m.document_id AND s.id = m.section_id ORDER BY s.ord LIMIT 1),
                    (SELECT s.number FROM sections AS s WHERE s.document_id = m.document_id AND s.id = m.section_id ORDER BY s.ord LIMIT 1)
             FROM measures AS m WHERE m.id = ?1",
        )?
        .query_row([id], |r| {
            let extra: String = r.get(8)?;
            Ok(Unit {
                kind: UnitKind::Measure,
                document_id: r.get(0)?,
                id: r.get(1)?,
                section_id: r.get(2)?,
                label: r.get(3)?,
                pages: r.get(4)?,
                text: r.get(5)?,
                deadline: r.get(6)?,
                status: r.get(7)?,
                extra: serde_json::from_str(&extra).unwrap_or_default(),
                ord: r.get(9)?,
                section_title: r.get(10)?,
                section_number: r.get(11)?,
                item_kind: None,
                decision: None,
            })
        })
        .optional()?;
    let unit = match measure {
        Some(u) => u,
        None => conn.prepare_cached("SELECT document_id, number, title, pages, text, kind, decision, ord FROM agenda_items WHERE id = ?1")?.query_row(
            [id],
            |r| {
                Ok(Unit {
                    kind: UnitKind::AgendaItem,
                    document_id: r.get(0)?,
                    id: r.get(1)?,
                    label: r.get(2)?,
                    pages: r.get(3)?,
                    text: r.get(4)?,
                    item_kind: r.get(5)?,
                    decision: r.get(6)?,
                    ord: r.get(7)?,
                    section_id: None,
                    section_title: None,
                    section_number: None,
                    deadline: None,
                    status: None,
                    extra: Vec::new(),
                })
            },
        )?,
    };
    let mut actions: Vec<Action> = Vec::new();
    let mut indicators: Vec<String> = Vec::new();
    let mut responsible: Vec<String> = Vec::new();
    if unit.kind == UnitKind::Measure {
        let mut stmt = conn.prepare_cached("SELECT ord, label, text FROM actions WHERE measure = ?1 ORDER BY ord")?;
        let mut ords = Vec::new();
        for a in stmt.query_map([id], |r| Ok((r.get::<_, i64>(0)?, Action { label: r.get(1)?, text: r.get(2)?, items: Vec::new() })))? {
            let (ord, action) = a?;
            ords.push(ord);
            actions.push(action);
        }
        let mut stmt = conn.prepare_cached("SELECT action_ord, text FROM action_items WHERE measure = ?1 ORDER BY action_ord, ord")?;
        for item in stmt.query_map([id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
            let (action_ord, text) = item?;
            if let Some(k) = ords.iter().position(|o| *o == action_ord) {
                actions[k].items.push(text);
            }
        }
        let mut stmt = conn.prepare_cached("SELECT text FROM indicators WHERE measure = ?1 ORDER BY ord")?;
        indicators = stmt.query_map([id], |r| r.get(0))?.collect::<Result<_, _>>()?;
        let mut stmt = conn.prepare_cached("SELECT party FROM responsible WHERE measure = ?1 GROUP BY ord ORDER BY ord")?;
        responsible = stmt.query_map([id], |r| r.get(0))?.collect::<Result<_, _>>()?;
    }
    let (file, format, title, organization, kind, from, to, plan_key) = conn
        .prepare_cached("SELECT rel_path, format, title, organization, kind, period_from, period_to, plan_key FROM documents WHERE id = ?1")?
        .query_row([&unit.document_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, Option<i32>>(5)?,
                r.get::<_, Option<i32>>(6)?,
                r.get::<_, String>(7)?,
            ))
        })?;
    // Every form of the plan, this one first, then by file.
    let forms_sql = if unit.kind == UnitKind::Measure {
        "SELECT d.id, d.rel_path, d.format, u.measure_id, u.id FROM documents AS d JOIN measures AS u ON u.document_id = d.id AND u.ord = ?2
         WHERE d.plan_key = ?1 ORDER BY d.id != ?3, d.rel_path"
    } else {
        "SELECT d.id, d.rel_path, d.format, u.number, u.id FROM documents AS d JOIN agenda_items AS u ON u.document_id = d.id AND u.ord = ?2
         WHERE d.plan_key = ?1 ORDER BY d.id != ?3, d.rel_path"
    };
    let mut files: Vec<Form> = Vec::new();
    let mut stmt = conn.prepare_cached(forms_sql)?;
    for row in stmt.query_map(rusqlite::params![plan_key, unit.ord, unit.document_id], |r| {
        let rowid: i64 = r.get(4)?;
        Ok(Form { document_id: r.get(0)?, file: r.get(1)?, format: r.get(2)?, id: r.get(3)?, matched: matched.contains(&rowid) })
    })? {
        files.push(row?);
    }
    Ok(Hit {
        unit: unit.kind,
        score,
        document_id: unit.document_id,
        file,
        format,
        title,
        organization,
        kind,
        period: from.zip(to).map(|(from, to)| Period { from, to }),
        section_id: unit.section_id,
        section_number: unit.section_number,
        section_title: unit.section_title,
        id: unit.id,
        label: unit.label,
        text: unit.text,
        actions,
        indicators,
        responsible,
        deadline: unit.deadline,
        status: unit.status,
        extra: unit.extra,
        item_kind: unit.item_kind,
        decision: unit.decision,
        pages: serde_json::from_str(&unit.pages).unwrap_or_default(),
        field: COLUMNS.get(column).copied().unwrap_or("text"),
        snippet,
        highlights,
        files,
    })
}

/// The row of a measure or agenda item, for [`describe`].
struct Unit {
    kind: UnitKind,
    document_id: String,
    id: String,
    ord: i64,
    section_id: Option<String>,
    section_title: Option<String>,
    section_number: Option<String>,
    label: Option<String>,
    pages: String,
    text: String,
    deadline: Option<String>,
    status: Option<String>,
    extra: Vec<ExtraColumn>,
    item_kind: Option<String>,
    decision: Option<String>,
}

/// Whether SQLite rejected the FTS5 query itself (syntax, unknown column, ...)
/// rather than failing for another reason.
/// Refuses a query over [`MAX_QUERY_CHARS`] or [`MAX_QUERY_TERMS`].
fn check_size(text: &str) -> Result<(), DatasetError> {
    let chars = text.chars().count();
    if chars > MAX_QUERY_CHARS {
        return Err(DatasetError::QueryLimit(format!("{chars} characters (at most {MAX_QUERY_CHARS})")));
    }
    let terms = text.split_whitespace().count();
    if terms > MAX_QUERY_TERMS {
        return Err(DatasetError::QueryLimit(format!("{terms} terms (at most {MAX_QUERY_TERMS})")));
    }
    Ok(())
}

fn is_fts_query_error(e: &rusqlite::Error) -> bool {
    let msg = e.to_string();
    msg.contains("fts5")
        || msg.contains("unterminated string")
        || msg.contains("syntax error")
        || msg.contains("no such column")
        || msg.contains("unknown special query")
        || msg.contains("malformed MATCH")
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
    fn periods_parse_in_every_spelling() {
        assert_eq!(parse_period("2021..2025"), Ok((2021, 2025)));
        assert_eq!(parse_period("2021-2025"), Ok((2021, 2025)));
        assert_eq!(parse_period("2023"), Ok((2023, 2023)));
        assert_eq!(parse_period("2021.."), Ok((2021, i32::MAX)));
        assert_eq!(parse_period("..2025"), Ok((i32::MIN, 2025)));
        assert!(parse_period("2025..2021").is_err());
        assert!(parse_period("nå").is_err());
    }

    #[test]
    fn snippets_center_on_the_first_match() {
        let long = format!("{} forsknings{MARK_OPEN}støtte{MARK_CLOSE} ol. {}", "ord ".repeat(40), "mer ".repeat(40));
        let w = window_around_match(&long);
        assert!(w.starts_with('…') && w.ends_with('…'), "{w}");
        assert!(w.contains(&format!("forsknings{MARK_OPEN}støtte{MARK_CLOSE}")));
        assert!(w.chars().count() < 2 * SNIPPET_CONTEXT + 20);
    }

    #[test]
    fn literal_marks_are_case_insensitive_and_keep_the_printed_case() {
        assert_eq!(mark_literal("Økt ØK øk", "øk"), format!("{MARK_OPEN}Øk{MARK_CLOSE}t {MARK_OPEN}ØK{MARK_CLOSE} {MARK_OPEN}øk{MARK_CLOSE}"));
    }

    #[test]
    fn marks_become_char_offsets() {
        let (text, spans) = split_marks(&format!("«Økt» {MARK_OPEN}støtte{MARK_CLOSE} og {MARK_OPEN}ø{MARK_CLOSE}"));
        assert_eq!(text, "«Økt» støtte og ø");
        assert_eq!(spans, [[6, 12], [16, 17]]);
        let chars: Vec<char> = text.chars().collect();
        assert_eq!(chars[6..12].iter().collect::<String>(), "støtte");
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
