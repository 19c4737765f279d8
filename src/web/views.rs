//! What the pages and the JSON API show, gathered from the dataset: one
//! function per route, shared by the HTML page and its `/api/` twin.

use std::collections::HashMap;
use std::fs::File;
use std::path::Path;
use std::sync::{Arc, Mutex};

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Serialize;

use super::params::{SearchParams, PER_PAGE};
use super::{Failure, Reply};
use crate::dataset::sqlite::{Dataset, DocumentSummary, Facets, Form, Hit, ResultPage, UnitKind};
use crate::diff::{self, ChangeType, Comparison};
use crate::model::{Document, Measure, Section};

/// Documents and comparisons kept per server, at most this many each: a
/// document id is the sha256 of its input, so a kept one never goes stale.
const CACHED: usize = 64;

/// Rebuilt documents and computed comparisons, shared by the workers.
#[derive(Default)]
pub struct Caches {
    documents: Mutex<HashMap<String, Arc<Document>>>,
    comparisons: Mutex<HashMap<(String, String), Arc<Comparison>>>,
}

/// Looks `key` up in `cache`, or computes and keeps it (forgetting everything
/// once the cache is full: the working set of a page view is a few entries).
fn cached<K: std::hash::Hash + Eq + Clone, V>(
    cache: &Mutex<HashMap<K, Arc<V>>>,
    key: &K,
    make: impl FnOnce() -> Result<V, Failure>,
) -> Result<Arc<V>, Failure> {
    if let Some(v) = cache.lock().ok().and_then(|c| c.get(key).cloned()) {
        return Ok(v);
    }
    let value = Arc::new(make()?);
    if let Ok(mut c) = cache.lock() {
        if c.len() >= CACHED {
            c.clear();
        }
        c.insert(key.clone(), Arc::clone(&value));
    }
    Ok(value)
}

/// One worker's view of the dataset.
pub struct Store {
    dataset: Dataset,
    caches: Arc<Caches>,
}

/// Characters of a measure id kept as they are in a URL path (`1/1a`).
const PATH: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~').remove(b'/');

/// The page of a measure: `/measures/{document id}/{measure id}`.
pub fn measure_url(document_id: &str, measure_id: &str) -> String {
    format!("/measures/{}/{}", utf8_percent_encode(document_id, PATH), utf8_percent_encode(measure_id, PATH))
}

/// The page of a document, at an anchor of it.
pub fn document_url(document_id: &str, anchor: Option<&str>) -> String {
    let base = format!("/documents/{}", utf8_percent_encode(document_id, PATH));
    match anchor {
        Some(a) => format!("{base}#{}", utf8_percent_encode(a, PATH)),
        None => base,
    }
}

/// The diff page of two documents.
pub fn diff_url(base: &str, old: &str, new: &str) -> String {
    let query = form_urlencoded::Serializer::new(String::new()).append_pair("a", old).append_pair("b", new).finish();
    format!("{base}?{query}")
}

/// The anchor of a measure on its document page.
pub fn measure_anchor(measure_id: &str) -> String {
    format!("m-{measure_id}")
}

/// The anchor of an agenda item on its document page.
pub fn item_anchor(number: &str) -> String {
    format!("sak-{number}")
}

/// `/api/search`: the page of hits, each with the link to its page, and the facets.
#[derive(Serialize)]
pub struct SearchJson<'a> {
    pub q: &'a str,
    pub org: Option<&'a str>,
    pub period: Option<&'a str>,
    pub kind: Option<&'a str>,
    pub responsible: Option<&'a str>,
    pub page: usize,
    pub per_page: usize,
    /// Hits in all (within the rank window; a unit in several forms of one plan is one hit).
    pub total: usize,
    /// More units matched than `total` counts.
    pub more: bool,
    pub ranked_within: Option<usize>,
    /// `substring`, `words` or `fts`.
    pub mode: &'a str,
    /// The index that answered: `vocabulary`, `trigram`, `words`, `scan`, `none`.
    pub index: &'a str,
    pub hits: Vec<HitJson<'a>>,
    pub facets: &'a Facets,
}

/// A hit of `/api/search`: the fields of `planparse search --json` (the
/// whole unit, a plain `snippet` with `highlights` as char offsets, the
/// plan's `files`, each here with the `url` of the unit in that form) and
/// `url`, its page.
pub struct HitJson<'a> {
    pub hit: &'a Hit,
}

impl Serialize for HitJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error, SerializeMap};
        // The hit's own fields, with `files` replaced by the same entries plus
        // their `url` (a flattened struct would write `files` twice).
        let serde_json::Value::Object(fields) = serde_json::to_value(self.hit).map_err(S::Error::custom)? else {
            return Err(S::Error::custom("a hit serializes as an object"));
        };
        let mut map = serializer.serialize_map(Some(fields.len() + 1))?;
        for (key, value) in &fields {
            if key == "files" {
                let files: Vec<FormJson> = self.hit.files.iter().map(|form| FormJson { form, url: form_url(self.hit.unit, form) }).collect();
                map.serialize_entry("files", &files)?;
            } else {
                map.serialize_entry(key, value)?;
            }
        }
        map.serialize_entry("url", &hit_url(self.hit))?;
        map.end()
    }
}

/// A form of a hit's plan, with the unit's page in that form.
#[derive(Serialize)]
pub struct FormJson<'a> {
    #[serde(flatten)]
    pub form: &'a Form,
    pub url: String,
}

impl<'a> SearchJson<'a> {
    pub fn of(search: &'a SearchParams, page: &'a ResultPage) -> Self {
        SearchJson {
            q: &search.q,
            org: search.org.as_deref(),
            period: search.period.as_deref(),
            kind: search.kind.as_deref(),
            responsible: search.responsible.as_deref(),
            page: search.page,
            per_page: PER_PAGE,
            total: page.total,
            more: page.more,
            ranked_within: page.ranked_within,
            mode: page.mode,
            index: page.index,
            hits: page.hits.iter().map(|hit| HitJson { hit }).collect(),
            facets: &page.facets,
        }
    }
}

/// The page a hit links to: its measure, or its agenda item on the document page.
pub fn hit_url(hit: &Hit) -> String {
    unit_url(hit.unit, &hit.document_id, &hit.id)
}

/// The page of a hit's unit in another form of its plan.
pub fn form_url(unit: UnitKind, form: &Form) -> String {
    unit_url(unit, &form.document_id, &form.id)
}

fn unit_url(unit: UnitKind, document_id: &str, id: &str) -> String {
    match unit {
        UnitKind::Measure => measure_url(document_id, id),
        UnitKind::AgendaItem => document_url(document_id, Some(&item_anchor(id))),
    }
}

/// A document page: the document, its row, whether its source file is still
/// on disk, and the other documents of its organization and kind to compare
/// it with.
pub struct DocumentView {
    pub summary: DocumentSummary,
    pub document: Arc<Document>,
    pub source_available: bool,
    pub others: Vec<DocumentSummary>,
}

/// A measure page (and `/api/measures/...`).
#[derive(Serialize)]
pub struct MeasureView {
    /// `{document id}/{measure id}`.
    pub key: String,
    pub url: String,
    pub document: DocumentSummary,
    /// The enclosing sections, outermost first.
    pub sections: Vec<SectionRef>,
    pub measure: Measure,
    pub source_available: bool,
    /// The same measure in the other periods of the plan (same organization
    /// and kind), earliest first.
    pub versions: Vec<Version>,
}

#[derive(Serialize)]
pub struct SectionRef {
    pub id: String,
    pub number: Option<String>,
    pub title: String,
}

/// The measure's counterpart in another version of the plan, from the diff
/// alignment of the two versions.
#[derive(Serialize)]
pub struct Version {
    pub document: DocumentSummary,
    /// `earlier` or `later` than the measure's own plan.
    pub relation: &'static str,
    /// The matched measure; `None` when the measure has no counterpart there
    /// (added in the later plan, or removed from it).
    pub measure: Option<Measure>,
    pub url: Option<String>,
    /// The changes from the earlier to the later version; empty when the pair
    /// is unchanged (or unmatched).
    pub changes: Vec<ChangeType>,
    /// Text similarity of the pair in `[0, 1]`, when the diff reports one.
    pub similarity: Option<f64>,
    /// The diff page of the two plans, earlier first.
    pub diff_url: String,
}

impl Store {
    pub fn new(dataset: Dataset, caches: Arc<Caches>) -> Self {
        Store { dataset, caches }
    }

    pub fn search(&self, search: &SearchParams) -> Result<ResultPage, Failure> {
        Ok(self.dataset.search_page(&search.query()?, search.offset())?)
    }

    pub fn documents(&self) -> Result<Vec<DocumentSummary>, Failure> {
        Ok(self.dataset.documents()?)
    }

    fn summary(&self, id: &str) -> Result<DocumentSummary, Failure> {
        self.dataset.document_summary(id)?.ok_or_else(|| unknown_document(id))
    }

    pub fn document(&self, id: &str) -> Result<Arc<Document>, Failure> {
        cached(&self.caches.documents, &id.to_string(), || self.dataset.document(id)?.ok_or_else(|| unknown_document(id)))
    }

    pub fn document_view(&self, id: &str) -> Result<DocumentView, Failure> {
        let summary = self.summary(id)?;
        let document = self.document(id)?;
        let others = self.same_organization(&summary)?.into_iter().filter(|d| d.id != id && d.kind == summary.kind).collect();
        Ok(DocumentView { source_available: Path::new(&summary.abs_path).is_file(), summary, document, others })
    }

    /// The documents of the same organization as `doc` (itself included);
    /// none when it has no organization.
    fn same_organization(&self, doc: &DocumentSummary) -> Result<Vec<DocumentSummary>, Failure> {
        match &doc.organization {
            Some(org) => Ok(self.dataset.documents_of(org)?),
            None => Ok(Vec::new()),
        }
    }

    /// The comparison of two indexed documents, `old` first.
    pub fn comparison(&self, old: &str, new: &str) -> Result<Arc<Comparison>, Failure> {
        for id in [old, new] {
            if !is_document_id(id) {
                return Err(Failure::bad_request(format!("{id:?} is not a document id (64 hex digits, as /api/documents lists them)")));
            }
        }
        let key = (old.to_string(), new.to_string());
        cached(&self.caches.comparisons, &key, || {
            let (a, b) = (self.document(old)?, self.document(new)?);
            Ok(diff::compare(&a, &b))
        })
    }

    pub fn measure(&self, document_id: &str, measure_id: &str) -> Result<MeasureView, Failure> {
        let summary = self.summary(document_id)?;
        let document = self.document(document_id)?;
        let measure = document
            .measures
            .iter()
            .find(|m| m.id == measure_id)
            .ok_or_else(|| Failure::not_found(format!("{}: no measure {measure_id:?}", summary.file)))?
            .clone();
        let versions = self.versions(&summary, &measure)?;
        Ok(MeasureView {
            key: format!("{document_id}/{measure_id}"),
            url: measure_url(document_id, measure_id),
            sections: section_path(&document.sections, &measure.section)
                .into_iter()
                .map(|s| SectionRef { id: s.id.clone(), number: s.number.clone(), title: s.title.clone() })
                .collect(),
            source_available: Path::new(&summary.abs_path).is_file(),
            document: summary,
            measure,
            versions,
        })
    }

    /// One document per other period of the plan (preferring the measure's
    /// own input format, then the file name), each aligned with the
    /// measure's plan by [`diff::compare`], earlier plan as the old side.
    fn versions(&self, own: &DocumentSummary, measure: &Measure) -> Result<Vec<Version>, Failure> {
        let Some(own_period) = own.period else { return Ok(Vec::new()) };
        let mut by_period: Vec<DocumentSummary> = Vec::new();
        let mut candidates: Vec<DocumentSummary> =
            self.same_organization(own)?.into_iter().filter(|d| d.kind == own.kind && d.measures > 0 && d.period.is_some_and(|p| p != own_period)).collect();
        candidates.sort_by_key(|d| (d.period.map(|p| (p.from, p.to)), d.format != own.format, d.file.clone()));
        for d in candidates {
            if by_period.last().is_none_or(|last| last.period != d.period) {
                by_period.push(d);
            }
        }
        let mut versions = Vec::new();
        for other in by_period {
            let later = other.period.is_some_and(|p| (p.from, p.to) > (own_period.from, own_period.to));
            let (old, new) = if later { (own.id.as_str(), other.id.as_str()) } else { (other.id.as_str(), own.id.as_str()) };
            let comparison = self.comparison(old, new)?;
            // Row indices refer to the documents as compared (rows split by a
            // page break joined), so the measure is found there by id.
            let (own_doc, other_doc) = if later { (&comparison.old, &comparison.new) } else { (&comparison.new, &comparison.old) };
            let own_index = own_doc.measures.iter().position(|m| m.id == measure.id);
            let row = own_index.and_then(|i| comparison.measures.iter().find(|r| if later { r.old == Some(i) } else { r.new == Some(i) }));
            let counterpart = row.and_then(|r| if later { r.new } else { r.old }).map(|j| other_doc.measures[j].clone());
            let changes: Vec<&diff::Change> =
                row.filter(|_| counterpart.is_some()).map(|r| r.changes.iter().map(|&c| &comparison.diff.changes[c]).collect()).unwrap_or_default();
            versions.push(Version {
                url: counterpart.as_ref().map(|m| measure_url(&other.id, &m.id)),
                relation: if later { "later" } else { "earlier" },
                measure: counterpart,
                changes: changes.iter().map(|c| c.kind).collect(),
                similarity: changes.iter().find_map(|c| c.similarity),
                diff_url: diff_url("/diff", old, new),
                document: other,
            });
        }
        Ok(versions)
    }

    /// The source file of a document, if it is still where it was indexed from.
    pub fn source(&self, id: &str) -> Result<Reply, Failure> {
        let summary = self.summary(id)?;
        let path = Path::new(&summary.abs_path);
        let file = verified_source(path, &summary.rel_path, &summary.input_sha256)?;
        let extension = path.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
        let (content_type, download) = match extension.as_str() {
            "pdf" => ("application/pdf", false),
            "docx" => ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", true),
            // A saved page is offered as a download, never rendered: its
            // scripts must not run in the dataset's origin.
            "html" | "htm" | "xhtml" => ("text/html", true),
            "json" => ("application/json; charset=utf-8", false),
            _ => ("text/plain; charset=utf-8", false),
        };
        Ok(Reply::File { file, content_type, download_name: download.then(|| summary.file.clone()) })
    }
}

/// The indexed file at `path`, opened, if it is still the file that was
/// indexed: a regular file reached through no symbolic link (the dataset
/// holds canonical paths, so a link anywhere on the path now was put there
/// since), whose bytes still hash to `sha256`. Anything else is refused, so
/// the page never serves a file outside what was indexed (`/etc/passwd` put
/// in place of a plan, as a link or a copy). Messages name the file by
/// `shown`, its path relative to the indexed root: the server's own paths
/// are never shown.
fn verified_source(path: &Path, shown: &str, sha256: &str) -> Result<File, Failure> {
    use sha2::{Digest, Sha256};
    use std::io::{Seek, SeekFrom};
    let gone = |why: String| {
        // An OS error may quote the path; the message keeps only its kind.
        let why = why.replace(&path.display().to_string(), shown);
        Failure::not_found(format!("{shown}: the source file is no longer available ({why})"))
    };
    let meta = std::fs::symlink_metadata(path).map_err(|e| gone(e.to_string()))?;
    if meta.file_type().is_symlink() || !meta.is_file() {
        return Err(gone("it is no longer a regular file: a symbolic link or a folder is not served".into()));
    }
    if std::fs::canonicalize(path).map_err(|e| gone(e.to_string()))? != path {
        return Err(gone("a folder on its path is now a symbolic link".into()));
    }
    let mut file = File::open(path).map_err(|e| gone(e.to_string()))?;
    let mut hasher = Sha256::new();
    std::io::copy(&mut file, &mut hasher).map_err(|e| gone(e.to_string()))?;
    if !hex::encode(hasher.finalize()).eq_ignore_ascii_case(sha256) {
        return Err(gone("it changed since it was indexed; index it again".into()));
    }
    file.seek(SeekFrom::Start(0)).map_err(|e| gone(e.to_string()))?;
    Ok(file)
}

fn unknown_document(id: &str) -> Failure {
    Failure::not_found(format!("no document {id:?} in this dataset"))
}

/// A document id: the 64 hex digits of a sha256.
fn is_document_id(id: &str) -> bool {
    id.len() == 64 && id.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The sections from the top of the tree down to the one with `id`.
pub fn section_path<'a>(sections: &'a [Section], id: &str) -> Vec<&'a Section> {
    for s in sections {
        if s.id == id {
            return vec![s];
        }
        let below = section_path(&s.sections, id);
        if !below.is_empty() {
            let mut path = vec![s];
            path.extend(below);
            return path;
        }
    }
    Vec::new()
}
