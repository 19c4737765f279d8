//! The HTML pages, written with `maud`: every `(expression)` in a template is
//! escaped, so document text can never become markup. The one pre-escaped
//! piece is the style sheet, a constant.

use std::collections::HashMap;

use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::params::{Filter, SearchParams, PER_PAGE};
use super::views::{self, document_url, measure_url, DocumentView, MeasureView};
use crate::dataset::sqlite::{DocumentSummary, FacetValue, Hit, ResultPage, UnitKind};
use crate::model::{Document, Measure, Meeting, Period, Section, Table};

const STYLE: &str = r#"
:root { --line: #d0d7de; --muted: #57606a; --accent: #0969da; --mark: #fff3a3; --bg2: #f6f8fa; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", sans-serif; margin: 0; color: #1f2328; background: #fff; }
a { color: var(--accent); text-decoration: none; } a:hover { text-decoration: underline; }
.top { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 18px; padding: 10px 20px; border-bottom: 1px solid var(--line); background: var(--bg2); }
.top .brand { font-weight: 700; color: #1f2328; font-size: 17px; }
.top nav a { margin-right: 14px; }
main { padding: 16px 20px 48px; max-width: 1100px; }
h1 { font-size: 22px; margin: 4px 0 10px; line-height: 1.3; } h2 { font-size: 18px; margin: 22px 0 8px; } h3 { font-size: 16px; margin: 16px 0 6px; }
h4, h5, h6 { font-size: 15px; margin: 12px 0 4px; }
form.search { display: flex; flex-wrap: wrap; gap: 8px; margin: 4px 0 12px; }
form.search input[type=search] { flex: 1 1 16rem; min-width: 0; font: inherit; padding: 7px 10px; border: 1px solid var(--line); border-radius: 6px; }
button, select { font: inherit; padding: 6px 12px; border: 1px solid var(--line); border-radius: 6px; background: var(--bg2); }
.results { display: grid; grid-template-columns: 15rem minmax(0, 1fr); gap: 24px; }
.facets h2 { font-size: 14px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 14px 0 4px; }
.facets ul { list-style: none; padding: 0; margin: 0; }
.facets li { display: flex; justify-content: space-between; gap: 8px; padding: 1px 0; }
.facets li.active { font-weight: 600; }
.count { color: var(--muted); font-variant-numeric: tabular-nums; }
.chips { display: flex; flex-wrap: wrap; gap: 6px; margin: 0 0 10px; padding: 0; list-style: none; }
.chips li { border: 1px solid var(--line); border-radius: 14px; padding: 1px 10px; background: var(--bg2); }
.summary { color: var(--muted); margin: 0 0 8px; }
ol.hits { padding-left: 1.6em; margin: 0; }
ol.hits li { margin: 0 0 16px; }
.hit-link { font-weight: 600; }
.snippet { margin: 2px 0; }
mark { background: var(--mark); padding: 0 1px; }
.meta { color: var(--muted); font-size: 13px; }
.pager { display: flex; gap: 16px; align-items: baseline; margin-top: 12px; }
dl.facts { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 2px 14px; margin: 0 0 12px; }
dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; overflow-wrap: anywhere; }
section.sec { border-left: 3px solid var(--line); padding-left: 12px; margin: 10px 0; }
.prose { white-space: pre-line; }
article.measure { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; margin: 10px 0; }
article.measure header { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 4px 12px; }
.mid { font-family: ui-monospace, "Liberation Mono", monospace; font-size: 13px; color: var(--muted); }
.label { font-weight: 700; margin-right: 6px; }
ol.actions, ul.items, ul.indicators { margin: 4px 0; padding-left: 22px; }
.part { font-size: 13px; font-weight: 600; color: var(--muted); margin-top: 6px; }
.responsible { margin-top: 6px; }
.decision { background: var(--bg2); border-left: 3px solid #1a7f37; padding: 4px 10px; margin: 6px 0; white-space: pre-line; }
table.data { border-collapse: collapse; width: 100%; font-size: 14px; margin: 6px 0 14px; }
table.data th, table.data td { border: 1px solid var(--line); padding: 4px 6px; text-align: left; vertical-align: top; }
.scroll { overflow-x: auto; }
.badge { display: inline-block; font-size: 12px; font-weight: 600; border-radius: 10px; padding: 0 8px; margin: 0 4px 2px 0; border: 1px solid var(--line); background: #fff; }
.version { border-top: 1px solid var(--line); padding-top: 8px; margin-top: 12px; }
.crumbs { font-size: 14px; color: var(--muted); margin-bottom: 4px; }
.error { border: 1px solid #cf222e; background: #ffebe9; border-radius: 8px; padding: 10px 14px; }
@media (max-width: 720px) {
  .results { grid-template-columns: minmax(0, 1fr); gap: 8px; }
  .facets { order: 2; }
  main { padding: 12px 12px 40px; }
}
"#;

fn layout(title: &str, body: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang="no" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · planparse" }
                style { (PreEscaped(STYLE)) }
            }
            body {
                (top_bar())
                main { (body) }
            }
        }
    }
    .into_string()
}

fn top_bar() -> Markup {
    html! {
        header.top {
            a.brand href="/" { "planparse" }
            nav { a href="/" { "Search" } a href="/documents" { "Documents" } a href="/diff" { "Compare" } }
        }
    }
}

/// The navigation put above the diff report, styled inline: the report's
/// style sheet is its own.
pub fn diff_header(old: &str, new: &str) -> String {
    html! {
        nav style="display: flex; flex-wrap: wrap; gap: 4px 16px; padding: 8px 24px; border-bottom: 1px solid #d0d7de; font-size: 14px" {
            a href="/" style="font-weight: 700" { "planparse" }
            a href="/" { "Search" }
            a href="/documents" { "Documents" }
            a href="/diff" { "Compare" }
            a href=(document_url(old, None)) { "Old document" }
            a href=(document_url(new, None)) { "New document" }
            a href=(views::diff_url("/diff", new, old)) { "Swap sides" }
            a href=(views::diff_url("/api/diff", old, new)) { "JSON" }
        }
    }
    .into_string()
}

pub fn failure(status: u16, message: &str) -> String {
    let title = match status {
        400 => "Bad request",
        403 => "Forbidden",
        404 => "Not found",
        405 => "Method not allowed",
        _ => "Server error",
    };
    layout(
        title,
        html! {
            h1 { (status) " " (title) }
            p.error { (message) }
            p { a href="/" { "Search" } " · " a href="/documents" { "All documents" } }
        },
    )
}

fn period(p: Option<Period>) -> Option<String> {
    p.map(|p| if p.from == p.to { p.from.to_string() } else { format!("{}–{}", p.from, p.to) })
}

fn document_name(d: &DocumentSummary) -> String {
    d.title.clone().unwrap_or_else(|| d.file.clone())
}

/// A snippet with its highlights (`[start, end)` char offsets) as `<mark>`,
/// every piece of text escaped. Offsets out of order or past the end are
/// clamped, never a panic.
fn snippet(text: &str, highlights: &[[usize; 2]]) -> Markup {
    let chars: Vec<char> = text.chars().collect();
    let mut parts: Vec<(bool, String)> = Vec::new();
    let mut at = 0;
    for [start, end] in highlights {
        let start = (*start).clamp(at, chars.len());
        let end = (*end).clamp(start, chars.len());
        parts.push((false, chars[at..start].iter().collect()));
        parts.push((true, chars[start..end].iter().collect()));
        at = end;
    }
    parts.push((false, chars[at..].iter().collect()));
    parts.retain(|(_, p)| !p.is_empty());
    html! {
        @for (is_match, part) in &parts {
            @if *is_match { mark { (part) } } @else { (part) }
        }
    }
}

pub fn search(search: &SearchParams, page: &ResultPage) -> String {
    let pages = page.total.div_ceil(PER_PAGE).max(1);
    let first = search.offset() + 1;
    let title = if search.q.is_empty() { "Search".to_string() } else { format!("{} – search", search.q) };
    let facets: [(Filter, &Vec<FacetValue>); 4] = [
        (Filter::Responsible, &page.facets.responsible),
        (Filter::Organization, &page.facets.organization),
        (Filter::Period, &page.facets.period),
        (Filter::Kind, &page.facets.kind),
    ];
    let active: Vec<(Filter, &str)> = Filter::ALL.iter().filter_map(|f| search.filter(*f).map(|v| (*f, v))).collect();
    layout(
        &title,
        html! {
            form.search method="get" action="/" role="search" {
                input type="search" name="q" value=(search.q) placeholder="Search measures and agenda items (e.g. støtte)" aria-label="Search text";
                @for (filter, value) in &active { input type="hidden" name=(filter.param()) value=(value); }
                button type="submit" { "Search" }
            }
            @if !active.is_empty() {
                ul.chips #active-filters {
                    @for (filter, value) in &active {
                        li { (filter.heading()) ": " strong { (value) } " "
                            a.remove href=(search.with_filter(*filter, None).url("/")) aria-label="Remove filter" { "×" } }
                    }
                }
            }
            div.results {
                aside.facets {
                    @for (filter, values) in &facets {
                        @if !values.is_empty() {
                            h2 { (filter.heading()) }
                            ul id=(format!("facet-{}", filter.param())) {
                                @for v in values.iter() {
                                    @let selected = search.filter(*filter) == Some(v.value.as_str());
                                    li class=(if selected { "active" } else { "" }) {
                                        @if selected {
                                            a.facet href=(search.with_filter(*filter, None).url("/")) { (v.label) " ×" }
                                        } @else {
                                            a.facet href=(search.with_filter(*filter, Some(&v.value)).url("/")) { (v.label) }
                                        }
                                        span.count { (v.count) }
                                    }
                                }
                            }
                        }
                    }
                }
                section #hits {
                    p.summary #summary {
                        @if page.total == 0 {
                            "No matches" @if !search.q.is_empty() { " for “" (search.q) "”" } "."
                        } @else {
                            @if page.more { "More than " } (page.total) " " (if page.total == 1 { "match" } else { "matches" })
                            @if page.hits.is_empty() { "; page " (search.page) " is past the last." }
                            @else { ", " (first) "–" (first + page.hits.len() - 1) " shown." }
                            @if let Some(n) = page.ranked_within { " Ranked among the " (n) " most recently indexed; add words or filters to narrow." }
                        }
                    }
                    ol.hits start=(first) {
                        @for hit in &page.hits { (search_hit(hit)) }
                    }
                    @if pages > 1 {
                        nav.pager {
                            @if search.page > 1 { a rel="prev" href=(search.with_page(search.page - 1).url("/")) { "← Previous" } }
                            span { "Page " (search.page.min(pages)) " of " (pages) }
                            @if search.page < pages { a rel="next" href=(search.with_page(search.page + 1).url("/")) { "Next →" } }
                        }
                    }
                    p.meta { a href=(search.url("/api/search")) { "This search as JSON" } }
                }
            }
        },
    )
}

fn search_hit(hit: &Hit) -> Markup {
    let place = match hit.unit {
        UnitKind::Measure => {
            let label = hit.label.as_deref().unwrap_or(&hit.id);
            match &hit.section_title {
                Some(section) => format!("Measure {label} · {section}"),
                None => format!("Measure {label}"),
            }
        }
        UnitKind::AgendaItem => format!("Item {} {}", hit.id, hit.label.as_deref().unwrap_or_default()),
    };
    let pages: Vec<String> = hit.pages.iter().map(u32::to_string).collect();
    html! {
        li.hit {
            a.hit-link href=(views::hit_url(hit)) { (place) }
            div.snippet { (snippet(&hit.snippet, &hit.highlights)) }
            div.meta {
                a href=(document_url(&hit.document_id, None)) { (hit.title.as_deref().unwrap_or(&hit.file)) }
                @if let Some(org) = &hit.organization { " · " (org) }
                @if let Some(p) = period(hit.period) { " · " (p) }
                @if !hit.responsible.is_empty() { " · responsible: " (hit.responsible.join(", ")) }
                @if let Some(d) = &hit.deadline { " · deadline: " (d) }
                @if let Some(s) = &hit.status { " · status: " (s) }
                @if !pages.is_empty() { " · p. " (pages.join("–")) }
            }
            div.meta.files {
                @if hit.files.len() > 1 { "Files: " } @else { "File: " }
                @for (k, form) in hit.files.iter().enumerate() {
                    @if k > 0 { ", " }
                    a.form href=(views::form_url(hit.unit, form)) { (form.file) } " (" (form.format) ")"
                }
            }
        }
    }
}

pub fn documents(docs: &[DocumentSummary]) -> String {
    layout(
        "Documents",
        html! {
            h1 { "Documents" }
            p.summary { (docs.len()) " indexed. " a href="/api/documents" { "As JSON" } }
            div.scroll {
                table.data #documents {
                    thead { tr { th { "Document" } th { "Organization" } th { "Period" } th { "Kind" } th { "Measures" } th { "Items" } th { "File" } } }
                    tbody {
                        @for d in docs {
                            tr {
                                td { a href=(document_url(&d.id, None)) { (document_name(d)) } }
                                td { (d.organization.as_deref().unwrap_or("")) }
                                td { (period(d.period).unwrap_or_default()) }
                                td { (d.kind) }
                                td { (d.measures) }
                                td { (d.agenda_items) }
                                td { (d.file) }
                            }
                        }
                    }
                }
            }
        },
    )
}

/// Links to the source file's pages (`#page=N` opens a PDF there).
fn page_links(document_id: &str, pages: &[u32], source_available: bool) -> Markup {
    html! {
        @if !pages.is_empty() {
            span.pages { "s. "
                @for (k, p) in pages.iter().enumerate() {
                    @if k > 0 { ", " }
                    @if source_available { a href=(format!("/source/{document_id}#page={p}")) { (p) } } @else { (p) }
                }
            }
        }
    }
}

/// A measure with everything it carries; `link` adds the link to its own page.
fn measure_block(document_id: &str, m: &Measure, source_available: bool, link: bool) -> Markup {
    html! {
        article.measure id=(views::measure_anchor(&m.id)) {
            header {
                div { @if let Some(label) = &m.label { span.label { (label) } } span.mid { (m.id) } }
                div.meta {
                    (page_links(document_id, &m.pages, source_available))
                    @if link { " " a href=(measure_url(document_id, &m.id)) { "Measure page" } }
                }
            }
            @if !m.strategy_refs.is_empty() {
                ul.items { @for r in &m.strategy_refs { li { @if let Some(l) = &r.label { strong { (l) } " " } (r.text) } } }
            }
            @if !m.text.is_empty() { div.prose.text { (m.text) } }
            @if !m.actions.is_empty() {
                div.part { "Actions" }
                ol.actions {
                    @for a in &m.actions {
                        li { @if let Some(l) = &a.label { strong { (l) ". " } } (a.text)
                            @if !a.items.is_empty() { ul.items { @for item in &a.items { li { (item) } } } }
                        }
                    }
                }
            }
            @if !m.indicators.is_empty() {
                div.part { "Result indicators" }
                ul.indicators { @for i in &m.indicators { li { (i) } } }
            }
            @if !m.responsible.is_empty() {
                div.responsible { span.part { "Responsible: " } (m.responsible.join("; ")) }
            }
        }
    }
}

fn document_facts(d: &DocumentSummary, source_available: bool) -> Markup {
    html! {
        dl.facts {
            @if let Some(org) = &d.organization { dt { "Organization" } dd { (org) } }
            @if let Some(p) = period(d.period) { dt { "Period" } dd { (p) } }
            dt { "Kind" } dd { (d.kind) }
            dt { "File" } dd {
                (d.file) " (" (d.format) @if let Some(n) = d.pages { ", " (n) " pages" } ")"
                @if source_available { " · " a href=(format!("/source/{}", d.id)) { "open the source file" } }
                @else { " · the source file is no longer where it was indexed from (" (d.rel_path) ")" }
            }
            dt { "Contents" } dd { (d.measures) " measures, " (d.agenda_items) " agenda items" }
            dt { "Indexed" } dd { (d.indexed_at) }
            dt { "Id" } dd.mid { (d.id) }
        }
    }
}

pub fn document(view: &DocumentView) -> String {
    let d = &view.summary;
    let doc: &Document = &view.document;
    let mut by_section: HashMap<&str, Vec<&Measure>> = HashMap::new();
    for m in &doc.measures {
        by_section.entry(m.section.as_str()).or_default().push(m);
    }
    let mut section_ids = Vec::new();
    collect_ids(&doc.sections, &mut section_ids);
    let orphans: Vec<&Measure> = doc.measures.iter().filter(|m| !section_ids.contains(&m.section.as_str())).collect();
    layout(
        &document_name(d),
        html! {
            h1 { (document_name(d)) }
            (document_facts(d, view.source_available))
            p.meta { a href=(format!("/api/documents/{}", d.id)) { "This document as JSON" } }
            @if !view.others.is_empty() {
                h2 { "Compare with" }
                ul #compare {
                    @for o in &view.others {
                        @let (old, new) = if o.period.map(|p| p.from) <= d.period.map(|p| p.from) { (&o.id, &d.id) } else { (&d.id, &o.id) };
                        li { a href=(views::diff_url("/diff", old, new)) { (document_name(o)) @if let Some(p) = period(o.period) { " (" (p) ")" } } " · " span.meta { (o.file) } }
                    }
                }
            }
            @if !orphans.is_empty() {
                h2 { "Measures outside any section" }
                @for m in &orphans { (measure_block(&d.id, m, view.source_available, true)) }
            }
            @if !doc.sections.is_empty() { h2 { "Contents" } }
            @for s in &doc.sections { (section_block(&d.id, s, &by_section, view.source_available)) }
            @if let Some(meeting) = &doc.meeting { (meeting_block(&d.id, meeting, view.source_available)) }
            @if !doc.tables.is_empty() {
                h2 { "Tables" }
                @for t in &doc.tables { (table_block(&d.id, t, view.source_available)) }
            }
            @if !doc.warnings.is_empty() {
                details {
                    summary { (doc.warnings.len()) " parser warnings" }
                    ul { @for w in &doc.warnings { li { span.mid { (w.code) } " " (w.message) @if let Some(p) = w.page { " (s. " (p) ")" } } } }
                }
            }
        },
    )
}

fn collect_ids<'a>(sections: &'a [Section], out: &mut Vec<&'a str>) {
    for s in sections {
        out.push(&s.id);
        collect_ids(&s.sections, out);
    }
}

fn section_block(document_id: &str, s: &Section, measures: &HashMap<&str, Vec<&Measure>>, source_available: bool) -> Markup {
    let heading = html! { @if let Some(n) = &s.number { (n) " " } (s.title) };
    html! {
        section.sec id=(format!("s-{}", s.id)) {
            @match s.level { 0 | 1 => h3 { (heading) }, 2 => h4 { (heading) }, 3 => h5 { (heading) }, _ => h6 { (heading) } }
            @if !s.text.is_empty() { div.prose { (s.text) } }
            @if !s.objectives.is_empty() {
                ul.items { @for o in &s.objectives { li { @if let Some(l) = &o.label { strong { (l) } " " } (o.text) } } }
            }
            @if let Some(list) = measures.get(s.id.as_str()) {
                @for m in list { (measure_block(document_id, m, source_available, true)) }
            }
            @for child in &s.sections { (section_block(document_id, child, measures, source_available)) }
        }
    }
}

fn meeting_block(document_id: &str, meeting: &Meeting, source_available: bool) -> Markup {
    html! {
        h2 { "Meeting" }
        dl.facts {
            @if let Some(b) = &meeting.body { dt { "Body" } dd { (b) } }
            @if let Some(d) = &meeting.date { dt { "Date" } dd { (d) @if let Some(s) = &meeting.start { " " (s) } @if let Some(e) = &meeting.end { "–" (e) } } }
            @if let Some(p) = &meeting.place { dt { "Place" } dd { (p) } }
        }
        @if !meeting.participants.is_empty() {
            div.scroll {
                table.data {
                    thead { tr { th { "Participant" } th { "Institution" } th { "Role" } th { "Group" } } }
                    tbody {
                        @for p in &meeting.participants {
                            tr { td { (p.name) } td { (p.institution.as_deref().unwrap_or("")) } td { (p.role.as_deref().unwrap_or("")) }
                                 td { (serde_json::to_value(p.group).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()) } }
                        }
                    }
                }
            }
        }
        @for item in &meeting.items {
            article.measure id=(views::item_anchor(&item.number)) {
                header {
                    div { span.label { "Sak " (item.number) } (item.title) @if let Some(k) = &item.kind { " " span.meta { "(" (k) ")" } } }
                    div.meta { (page_links(document_id, &item.pages, source_available)) }
                }
                @if !item.text.is_empty() { div.prose { (item.text) } }
                @if let Some(decision) = &item.decision { div.decision { strong { "Vedtak: " } (decision) } }
            }
        }
    }
}

fn table_block(document_id: &str, t: &Table, source_available: bool) -> Markup {
    html! {
        div.scroll {
            table.data {
                @if t.title.is_some() || !t.pages.is_empty() {
                    caption { (t.title.as_deref().unwrap_or("")) " " (page_links(document_id, &t.pages, source_available)) }
                }
                @if !t.header.is_empty() { thead { tr { @for h in &t.header { th { (h) } } } } }
                tbody { @for row in &t.rows { tr { @for cell in row { td { (cell) } } } } }
            }
        }
    }
}

pub fn measure(view: &MeasureView) -> String {
    let d = &view.document;
    let m = &view.measure;
    let name = m.label.as_deref().unwrap_or(&m.id);
    layout(
        &format!("Tiltak {name} – {}", document_name(d)),
        html! {
            div.crumbs {
                a href=(document_url(&d.id, None)) { (document_name(d)) }
                @for s in &view.sections { " › " a href=(document_url(&d.id, Some(&format!("s-{}", s.id)))) { @if let Some(n) = &s.number { (n) " " } (s.title) } }
            }
            h1 { "Tiltak " (name) }
            p.meta {
                @if let Some(org) = &d.organization { (org) " · " }
                @if let Some(p) = period(d.period) { (p) " · " }
                a href=(document_url(&d.id, Some(&views::measure_anchor(&m.id)))) { "in the document" } " · "
                a href=(format!("/api{}", view.url)) { "JSON" }
            }
            (measure_block(&d.id, m, view.source_available, false))
            h2 { "Other versions of the plan" }
            @if view.versions.is_empty() {
                p #no-versions { "No other period of this plan is indexed"
                    @if let Some(org) = &d.organization { " (" (org) ")" } "." }
            }
            @for v in &view.versions {
                div.version {
                    h3 { (document_name(&v.document)) @if let Some(p) = period(v.document.period) { " (" (p) ")" } }
                    p.meta {
                        (v.relation) " version · " (v.document.file) " · " a href=(v.diff_url) { "compare the two plans" }
                    }
                    @match &v.measure {
                        Some(other) => {
                            p.changes {
                                @if v.changes.is_empty() { span.badge { "unchanged" } }
                                @for c in &v.changes { span.badge { (c.describe()) } }
                                @if let Some(s) = v.similarity { span.meta { "text similarity " (format!("{s:.2}")) } }
                                @if let Some(url) = &v.url { " " a href=(url) { "its measure page" } }
                            }
                            (measure_block(&v.document.id, other, false, false))
                        }
                        None => p.changes { span.badge { @if v.relation == "later" { "removed" } @else { "added" } }
                            " no counterpart in this version" }
                    }
                }
            }
        },
    )
}

pub fn diff_chooser(docs: &[DocumentSummary]) -> String {
    let option = |d: &DocumentSummary| {
        let mut label = document_name(d);
        if let Some(p) = period(d.period) {
            label.push_str(&format!(" ({p})"));
        }
        label.push_str(&format!(" · {}", d.file));
        label
    };
    layout(
        "Compare",
        html! {
            h1 { "Compare two documents" }
            form.search method="get" action="/diff" {
                label { "Old " select name="a" { @for d in docs { option value=(d.id) { (option(d)) } } } }
                label { "New " select name="b" { @for d in docs { option value=(d.id) { (option(d)) } } } }
                button type="submit" { "Compare" }
            }
        },
    )
}
