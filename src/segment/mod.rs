//! Segmenters: from the layout model to the SPEC document model, with rules
//! keyed to layout cues, numbering patterns and keywords (see [`vocab`]).

pub mod explain;
pub mod flat_tables;
pub mod list_forms;
pub mod measure;
pub mod members;
pub mod minutes;
pub mod parties;
pub mod structure;
pub mod table_reader;
pub mod vocab;

use std::collections::HashMap;

use crate::layout::{Block, LayoutDocument, Line};
use crate::model::{Document, DocumentKind, Period, Source, SCHEMA_VERSION};
use crate::text::clean;

/// Turns a laid-out document into the output model.
pub fn segment(layout: &LayoutDocument, source: Source) -> Document {
    segment_explained(layout, source).0
}

/// [`segment`], also telling why each part of the output is there.
pub fn segment_explained(layout: &LayoutDocument, source: Source) -> (Document, explain::Trace) {
    let (with_members, mut member_warnings) = members::member_lists(layout);
    let layout = with_members.as_ref().unwrap_or(layout);
    let (with_flat, flat_warnings) = flat_tables::flat_tables(layout);
    let layout = with_flat.as_ref().unwrap_or(layout);
    member_warnings.extend(flat_warnings);
    let lines: Vec<&Line> = layout.blocks.iter().filter_map(|b| if let Block::Line(l) = b { Some(l) } else { None }).collect();
    let agenda = minutes::agenda(layout);
    let (kind, kind_reason) = detect_kind(layout, &lines, &agenda);
    let mut title_warnings = Vec::new();
    let (title, title_lines, title_reason) = find_title(layout, &lines, kind, &mut title_warnings);
    let plan_like = kind == DocumentKind::ActionPlan;
    let (mut structure, meeting) = if kind == DocumentKind::MeetingMinutes {
        // Sections and tables come from what precedes the agenda items and
        // what follows them (follow-up tables); the items themselves become
        // sections of their own.
        let mut head = layout.clone();
        let mut tail = layout.clone();
        if let Some(i) = agenda.start() {
            head.blocks.truncate(i);
            tail.blocks.drain(..agenda.end.min(tail.blocks.len()));
            // The letter's place and date (`Fjordvik, 14. mars 2025`) opens the
            // signatures: names and roles up to the next table are no sections.
            let signed = tail
                .blocks
                .iter()
                .find_map(|b| if let Block::Line(l) = b { Some(l) } else { None })
                .is_some_and(|l| vocab::minutes::is_place_date(&clean(&l.text)));
            if signed {
                let table = tail.blocks.iter().position(|b| matches!(b, Block::Table(_))).unwrap_or(tail.blocks.len());
                tail.blocks.drain(..table);
            }
        } else {
            tail.blocks.clear();
        }
        let mut structure = structure::walk(&head, title_lines, false, None, true);
        let meeting = minutes::meeting(layout, &agenda, title.as_deref(), &mut structure);
        if !tail.blocks.is_empty() {
            let after = structure::walk(&tail, 0, false, None, true);
            structure.sections.extend(after.sections);
            structure.trace.sections.extend(after.trace.sections);
            structure.tables.extend(after.tables.into_iter().filter(|t| !minutes::is_fact_table(t)));
        }
        (structure, Some(meeting))
    } else {
        let (organization, _, _) = find_organization(title.as_deref(), &lines, kind);
        (structure::walk(layout, title_lines, plan_like, organization.as_deref(), false), None)
    };
    let (period, period_reason) = if kind == DocumentKind::MeetingMinutes {
        (None, explain::Reason::new("period.none").because("minutes have no period"))
    } else {
        find_period(title.as_deref(), &lines)
    };
    let (organization, organization_warning, organization_reason) = find_organization(title.as_deref(), &lines, kind);
    let mut trace = std::mem::take(&mut structure.trace);
    trace.metadata = vec![("kind", kind_reason), ("title", title_reason), ("organization", organization_reason), ("period", period_reason)];
    let mut warnings = layout.warnings.clone();
    warnings.extend(organization_warning);
    warnings.extend(title_warnings);
    warnings.extend(member_warnings);
    warnings.append(&mut structure.warnings);
    if kind == DocumentKind::ActionPlan && structure.measures.is_empty() {
        warnings.push(crate::model::Warning::new("no_measures", "document looks like an action plan but no measure was found", None));
    }
    let doc = Document {
        schema_version: SCHEMA_VERSION.to_string(),
        source,
        kind,
        title,
        organization,
        period,
        sections: structure.sections,
        measures: structure.measures,
        meeting,
        tables: structure.tables,
        warnings,
    };
    (doc, trace)
}

/// Kind from cues: a numbered agenda with a minutes title, decision labels or
/// participant sections makes minutes (a notice with an agenda too); measure
/// tables or a `handlingsplan` title make an action plan; tables or report
/// words make a report.
fn detect_kind(layout: &LayoutDocument, lines: &[&Line], agenda: &minutes::Agenda) -> (DocumentKind, explain::Reason) {
    let head: String = lines.iter().take(12).map(|l| l.text.to_lowercase()).collect::<Vec<_>>().join("\n");
    let plan_word = head.contains("handlingsplan") || head.contains("tiltaksplan");
    let mut evidence = minutes::evidence(layout, agenda, &head);
    evidence.archive_items += layout
        .blocks
        .iter()
        .filter_map(|b| if let Block::Table(t) = b { Some(t) } else { None })
        .flat_map(|t| &t.rows)
        .filter(|r| r.cells.first().is_some_and(|c| minutes::agenda_number(&clean(&c.text())).is_some() || minutes::is_bare_agenda_number(&clean(&c.text()))))
        .count();
    if evidence.is_minutes(plan_word) {
        let reason = explain::Reason::new("kind.minutes_cues")
            .because(format!("{} agenda items ({} with archive numbers)", evidence.items, evidence.archive_items))
            .because(format!("{} decision labels, {} participant labels", evidence.decisions, evidence.participant_labels))
            .because(if evidence.title_word { "a minutes word in the title" } else { "no minutes word in the title" });
        return (DocumentKind::MeetingMinutes, reason);
    }
    if let Some(cues) = plan_evidence(layout, lines, &head) {
        return (DocumentKind::ActionPlan, cues);
    }
    let has_tables = layout.blocks.iter().any(|b| matches!(b, Block::Table(_)));
    let report_word = ["rapport", "program", "evaluering", "oversikt"].iter().find(|w| head.contains(*w));
    if report_word.is_some() || has_tables && lines.len() > 20 {
        let reason = explain::Reason::new("kind.report_cues");
        let reason = match report_word {
            Some(w) => reason.because(format!("report word {w:?} in the first lines")),
            None => reason.because(format!("tables in a document of {} lines", lines.len())),
        };
        return (DocumentKind::Report, reason);
    }
    (DocumentKind::Unknown, explain::Reason::new("kind.no_cues"))
}

/// Whether the document reads as an action plan: measure tables (columns
/// named by the vocabulary), aligned text headers, or list-form measures,
/// with a plan word in its head or more than one such cue.
fn plan_evidence(layout: &LayoutDocument, lines: &[&Line], head: &str) -> Option<explain::Reason> {
    let tables =
        layout.blocks.iter().filter_map(|b| if let Block::Table(t) = b { Some(t) } else { None }).filter(|t| table_reader::columns(t).is_some()).count();
    let header_lines = lines.iter().filter(|l| vocab::is_table_header_line(&l.text) || vocab::is_aligned_header_line(&l.text)).count();
    let list_measures = list_forms::find(&layout.blocks).len();
    let cues = tables + header_lines + list_measures;
    let plan_word = vocab::PLAN_WORDS.iter().any(|w| head.contains(w));
    let codes = lines.iter().any(|l| vocab::measure_code().is_match(l.text.trim()));
    let plan = cues >= 1 && (plan_word || cues >= 2) || plan_word && codes;
    plan.then(|| {
        explain::Reason::new("kind.plan_cues")
            .because(format!("{tables} measure tables, {header_lines} measure-table header lines, {list_measures} list-form measures"))
            .because(if plan_word { "a plan word in the first lines" } else { "no plan word in the first lines" })
            .because(if codes { "measure codes (1a, 2.3) at line starts" } else { "no measure codes" })
    })
}

/// The title: the first line that names the document (a `Referat` line in
/// minutes; for others the first line with a year range or a document word,
/// or the largest line of the first page). Returns the title and how many
/// leading lines it used.
fn find_title(
    layout: &LayoutDocument,
    lines: &[&Line],
    kind: DocumentKind,
    warnings: &mut Vec<crate::model::Warning>,
) -> (Option<String>, usize, explain::Reason) {
    // A title may wrap onto next lines of the same style: one that starts in
    // lowercase, or any line of a display-size title (18 pt and up).
    let with_wrap = |i: usize, t: &str| -> (String, usize) {
        let mut title = t.to_string();
        let mut used = i + 1;
        while let (Some(a), Some(b)) = (lines.get(used - 1), lines.get(used)) {
            let same = a.font_size > 0.0 && (a.font_size - b.font_size).abs() < 0.5 && a.bold == b.bold && a.page == b.page;
            let next = clean(&b.text);
            let display = a.font_size >= 18.0 && used - i < 3 && next.split_whitespace().count() <= 10;
            if !same || title.ends_with(['.', ':']) || !(next.chars().next().is_some_and(char::is_lowercase) || display) {
                break;
            }
            title = crate::text::join_lines(&[title.as_str(), next.as_str()], &[]);
            used += 1;
        }
        (title, used)
    };
    if kind == DocumentKind::MeetingMinutes {
        // The first line that opens with a minutes word (`Referat fra ...`, `Innkalling til ...`),
        // past logo lines, a skip link, a menu and breadcrumbs.
        let minutes_head = lines.iter().take(14).enumerate().map(|(i, l)| (i, clean(&l.text)));
        if let Some((i, t)) = minutes_head.clone().find(|(_, t)| {
            let l = t.to_lowercase();
            vocab::minutes::TITLE_WORDS.iter().any(|w| l.starts_with(w))
                && !t.ends_with(':')
                && t.split_whitespace().count() <= 20
                && vocab::minutes::participant_group(t.split(':').next().unwrap_or("")).is_none()
                && !l.starts_with("protokollfører")
        }) {
            let (mut title, mut used) = with_wrap(i, &t);
            // Plain text has no fonts: a title line followed directly by a line in lowercase wraps.
            while let (Some(a), Some(b)) = (lines.get(used - 1), lines.get(used)) {
                let next = clean(&b.text);
                let plain = a.font_size == 0.0 && b.font_size == 0.0 && b.space_before < 1.0;
                if !plain || !next.chars().next().is_some_and(char::is_lowercase) || next.contains(':') || next.split_whitespace().count() > 6 {
                    break;
                }
                title = crate::text::join_lines(&[title.as_str(), next.as_str()], &[]);
                used += 1;
            }
            let reason = explain::Reason::new("title.minutes_word").at(lines[i]).because(format!("{} line(s)", used - i));
            return (Some(title), used, reason);
        }
    }
    if let Some((i, score, cues)) = title_candidate(lines) {
        let (title, used) = join_title_tail(with_wrap(i, &clean(&lines[i].text)), lines);
        if score < TITLE_SURE {
            warnings.push(crate::model::Warning::new("title_guess", format!("title taken from a line with weak cues: {title:.80}"), lines[i].page));
        }
        let sure = if score < TITLE_SURE { "a guess" } else { "sure" };
        let reason = explain::Reason::new("title.document_word")
            .at(lines[i])
            .because(cues.join(", "))
            .because(format!("score {score} of the first 14 lines' best ({TITLE_SURE} or more is sure): {sure}"))
            .because(format!("{} line(s) of the title", used - i));
        return (Some(title), used, reason);
    }
    if let Some(t) = layout.declared_title.as_ref().map(|t| clean(t)).filter(|t| !t.is_empty()) {
        return (
            Some(t),
            0,
            explain::Reason::new("title.declared").because(format!("no line of the first 14 names the document; the {} declares it", layout.heading_source)),
        );
    }
    if let Some((title, first, n)) = self_named_title(lines) {
        warnings.push(crate::model::Warning::new(
            "title_guess",
            format!("no line of the head names the document; title from the name the text gives itself {n} times: {title:.80}"),
            lines[first].page,
        ));
        let reason = explain::Reason::new("title.self_reference").at(lines[first]).because(format!("the text opens {n} sentences with this name"));
        return (Some(title), 0, reason);
    }
    (None, 0, explain::Reason::new("title.none"))
}

/// The name a document gives itself when its head names nothing: a phrase
/// that opens a line, or follows a short label and a colon, at least twice,
/// starting with a document word (after at most one qualifier: `Regional
/// handlingsplan for forskning bygger på …`, `… ble godkjent`). The words
/// every opening shares are the name; the year range the text prints most is
/// added. Returns the title, the first line it was seen on and how often.
fn self_named_title(lines: &[&Line]) -> Option<(String, usize, usize)> {
    let mut openings: HashMap<String, (Vec<Vec<String>>, usize)> = HashMap::new();
    for (i, l) in lines.iter().enumerate() {
        let t = clean(&l.text);
        let start = match t.split_once(": ") {
            Some((label, rest)) if label.split_whitespace().count() <= 2 => rest,
            _ => t.as_str(),
        };
        let words: Vec<String> = start.split_whitespace().take(12).map(str::to_string).collect();
        if words.len() < 4 || !words[0].chars().next().is_some_and(char::is_uppercase) {
            continue;
        }
        let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
        let names_document = |k: usize| {
            let rest = lower[k..].join(" ");
            vocab::DOCUMENT_WORDS.iter().any(|d| rest.strip_prefix(d).is_some_and(|after| after.is_empty() || after.starts_with(' ')))
        };
        let qualified = !vocab::FUNCTION_WORDS.contains(&lower[0].as_str()) && names_document(1);
        if !(names_document(0) || qualified) {
            continue;
        }
        let e = openings.entry(lower[..3].join(" ")).or_insert((Vec::new(), i));
        e.0.push(words);
    }
    let best = openings.into_iter().filter(|(_, (p, _))| p.len() >= 2).max_by(|a, b| a.1 .0.len().cmp(&b.1 .0.len()).then(b.1 .1.cmp(&a.1 .1)));
    let (_, (phrases, first)) = best?;
    // The words every opening shares, without a trailing function word or verb.
    let mut name: Vec<String> = phrases[0].clone();
    for p in &phrases[1..] {
        let shared = name.iter().zip(p).take_while(|(a, b)| a.to_lowercase() == b.to_lowercase()).count();
        name.truncate(shared);
    }
    while name.last().is_some_and(|w| {
        let w = w.to_lowercase();
        vocab::FUNCTION_WORDS.contains(&w.as_str()) || vocab::LEAD_IN_VERBS.contains(&w.as_str()) || w.ends_with([',', '.', ':'])
    }) {
        name.pop();
    }
    if name.len() < 3 {
        return None;
    }
    let mut ranges: HashMap<String, usize> = HashMap::new();
    for l in lines {
        for m in vocab::year_range().find_iter(&l.text) {
            *ranges.entry(m.as_str().to_string()).or_default() += 1;
        }
    }
    let mut title = name.join(" ");
    if let Some((range, _)) = ranges.into_iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0))) {
        title = format!("{title} {range}");
    }
    Some((title, first, phrases.len()))
}

/// Score of a title line with a document word and a year range or display size.
const TITLE_SURE: i32 = 5;

/// The line among the first ones that names the document: a document word
/// (`Handlingsplan`, `Plan for` ...), a year range, display size, a title or
/// level-1 heading style. Organisation, approval and date lines are skipped.
/// Returns the line's index and its score.
fn title_candidate(lines: &[&Line]) -> Option<(usize, i32, Vec<&'static str>)> {
    let head = &lines[..lines.len().min(14)];
    let max_size = head.iter().map(|l| l.font_size).fold(0.0f32, f32::max);
    let body_size = {
        let mut sizes: Vec<f32> = lines.iter().map(|l| l.font_size).filter(|s| *s > 0.0).collect();
        sizes.sort_by(f32::total_cmp);
        sizes.get(sizes.len() / 2).copied().unwrap_or(0.0)
    };
    let mut best: Option<(usize, i32, Vec<&'static str>)> = None;
    for (i, l) in head.iter().enumerate() {
        let t = clean(&l.text);
        let lower = t.to_lowercase();
        let words = t.split_whitespace().count();
        let sentence = t.contains(". ") || !t.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
        if words == 0 || words > 16 || sentence || t.ends_with(['.', ':', ',']) || vocab::is_organization_line(&t) || vocab::approval_line().is_match(&t) {
            continue;
        }
        let mut score = 0;
        let mut cues = Vec::new();
        // The document word opens the title (`Plan for …`), or follows one
        // qualifier (`Regional handlingsplan …`), never a function word (`For nåværende handlingsplan …`).
        let first = lower.split_whitespace().next().unwrap_or("");
        let rest = lower[first.len()..].trim_start();
        let qualified = !vocab::FUNCTION_WORDS.contains(&first) && vocab::DOCUMENT_WORDS.iter().any(|w| rest.starts_with(w));
        if vocab::DOCUMENT_WORDS.iter().any(|w| lower.starts_with(w)) || qualified {
            score += 4;
            cues.push("a document word (vocabulary: DOCUMENT_WORDS) opens it");
        }
        if vocab::year_range().is_match(&t) {
            score += 2;
            cues.push("a year range");
        }
        if l.font_size > 0.0 && l.font_size >= max_size - 0.1 && l.font_size > body_size + 2.0 {
            score += 3;
            cues.push("the largest type of the first lines");
        }
        if l.heading == Some(1) || l.heading == Some(0) {
            score += 1;
            cues.push("a title or level-1 heading style");
        }
        if score >= 4 && best.as_ref().is_none_or(|(_, b, _)| score > *b) {
            best = Some((i, score, cues));
        }
    }
    best
}

/// A title printed over two lines in text: the next line is its year range
/// (`Handlingsplan for forskning` / `2024–2027`) or continues a title that
/// stops on an open word (`… forskning og` / `innovasjon i Vestre Viken 2025–2028`).
fn join_title_tail(title: (String, usize), lines: &[&Line]) -> (String, usize) {
    let (mut t, mut used) = title;
    while let Some(next) = lines.get(used) {
        let n = clean(&next.text);
        let bare_years = vocab::year_range().find(&n).is_some_and(|m| m.start() == 0 && m.end() == n.len());
        let open = vocab::ends_open(&t) && !n.ends_with('.') && n.split_whitespace().count() <= 10;
        let same_style = next.font_size == 0.0 || lines[used - 1].font_size == 0.0 || (next.font_size - lines[used - 1].font_size).abs() < 0.5;
        if !(bare_years && !vocab::year_range().is_match(&t) || open) || !same_style {
            break;
        }
        t = crate::text::join_lines(&[t.as_str(), n.as_str()], &[]);
        used += 1;
    }
    (t, used)
}

fn find_period(title: Option<&str>, lines: &[&Line]) -> (Option<Period>, explain::Reason) {
    let parse = |c: regex::Captures| -> Option<Period> {
        let from: i32 = c[1].parse().ok()?;
        let to: i32 = c[2].parse().ok()?;
        (to >= from && to - from <= 20).then_some(Period { from, to })
    };
    if let Some(p) = title.and_then(|t| vocab::year_range().captures(t)).and_then(parse) {
        return (Some(p), explain::Reason::new("period.title_year_range").because(format!("{}–{} in the title", p.from, p.to)));
    }
    let mut counts: HashMap<(i32, i32), (usize, usize)> = HashMap::new();
    for (i, l) in lines.iter().enumerate() {
        for c in vocab::year_range().captures_iter(&l.text) {
            if let Some(p) = parse(c) {
                let e = counts.entry((p.from, p.to)).or_insert((0, i));
                e.0 += 1;
            }
        }
    }
    match counts.into_iter().max_by(|a, b| a.1 .0.cmp(&b.1 .0).then(b.1 .1.cmp(&a.1 .1))) {
        Some(((from, to), (n, first))) => {
            let reason = explain::Reason::new("period.frequent_year_range").at(lines[first]).because(format!("{from}–{to} printed {n} time(s), first here"));
            (Some(Period { from, to }), reason)
        }
        None => (None, explain::Reason::new("period.none")),
    }
}

/// The owning unit: an acronym in parentheses or standing in the title, else
/// a `... HF`/`... RHF` name line near the start, else the document's most
/// frequent acronym.
fn find_organization(title: Option<&str>, lines: &[&Line], kind: DocumentKind) -> (Option<String>, Option<crate::model::Warning>, explain::Reason) {
    let acronym = |w: &str| {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        let n = w.chars().count();
        (2..=12).contains(&n) && w.chars().all(|c| c.is_uppercase()) && !matches!(w, "II" | "III" | "IV" | "VI" | "HF" | "RHF" | "OG")
    };
    if let Some(t) = title {
        if let Some(open) = t.rfind('(') {
            let inner = t[open + 1..].trim_end_matches(')');
            if acronym(inner) {
                return (Some(inner.to_string()), None, explain::Reason::new("organization.title_acronym").because(format!("({inner}) in the title")));
            }
        }
        if let Some(w) = t.split_whitespace().find(|w| acronym(w)) {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric()).to_string();
            let reason = explain::Reason::new("organization.title_acronym").because(format!("{w} stands in the title"));
            return (Some(w), None, reason);
        }
    }
    if kind == DocumentKind::MeetingMinutes {
        if let Some(o) = minutes::organization(title, lines) {
            return (Some(o), None, explain::Reason::new("organization.minutes_body").because("named in the title or the head of the minutes"));
        }
    }
    if let Some(i) = lines.iter().take(15).position(|l| vocab::is_organization_line(&clean(&l.text))) {
        let reason = explain::Reason::new("organization.name_line").at(lines[i]).because(format!("line {} of the document", i + 1));
        return (Some(clean(&lines[i].text)), None, reason);
    }
    let guess = |org: String, rule: &'static str, cue: &str| {
        let w = crate::model::Warning::new("organization_guess", format!("organization {org:?} from {cue}"), None);
        (Some(org), Some(w), explain::Reason::new(rule).because(cue.to_string()))
    };
    // The name with a legal form the text uses most, at least twice.
    let texts: Vec<String> = lines.iter().map(|l| clean(&l.text)).collect();
    let mut names: HashMap<String, usize> = HashMap::new();
    for t in &texts {
        for n in legal_form_names(t) {
            *names.entry(n).or_default() += 1;
        }
    }
    let most = names.iter().filter(|(_, n)| **n >= 2).max_by(|a, b| a.1.cmp(b.1).then(b.0.len().cmp(&a.0.len())).then(b.0.cmp(a.0)));
    if let Some((name, _)) = most {
        return guess(name.clone(), "organization.legal_form_frequency", "the name with a legal form the text uses most");
    }
    // A name printed once with a legal form (`Vestre Viken HF gir …`) whose
    // name stands in the title (`… innovasjon i Vestre Viken 2025–2028`).
    let stem = |n: &str| n.rsplit_once(' ').map_or(n, |(s, _)| s).to_string();
    let mut titled: Vec<&String> = names.keys().filter(|n| title.is_some_and(|t| t.contains(&stem(n)))).collect();
    titled.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    if let Some(name) = titled.first() {
        return guess((*name).clone(), "organization.legal_form_title", "a name printed with a legal form that stands in the title");
    }
    // The acronym the text uses most (three letters or more: never a fragment such as `UH`).
    let mut counts: HashMap<String, usize> = HashMap::new();
    for l in lines {
        for w in l.text.split_whitespace() {
            if acronym(w) {
                *counts.entry(w.trim_matches(|c: char| !c.is_alphanumeric()).to_string()).or_default() += 1;
            }
        }
    }
    match counts.into_iter().filter(|(w, n)| *n >= 3 && w.chars().count() >= 3).max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0))) {
        Some((w, _)) => guess(w, "organization.acronym_frequency", "the acronym the text uses most"),
        None => (None, None, explain::Reason::new("organization.none")),
    }
}

/// Names with a legal form in a line: `Sykehuset i Vestfold HF`, `Helse Møre
/// og Romsdal HF`, `St. Olavs hospital HF` — the capitalised words (and the
/// small words between them) before `HF`/`RHF`.
fn legal_form_names(t: &str) -> Vec<String> {
    let words: Vec<&str> = t.split_whitespace().collect();
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let form = w.trim_end_matches(['.', ',', ';', ':', ')']);
        if !(form == "HF" || form == "RHF") || i == 0 {
            continue;
        }
        let mut start = i;
        while start > 0 && i - start < 6 {
            let prev = words[start - 1];
            let capital = prev.chars().next().is_some_and(char::is_uppercase);
            let small = prev.chars().all(char::is_lowercase) && start >= 2 && words[start - 2].chars().next().is_some_and(char::is_uppercase);
            let ends_clause = prev.ends_with([',', ';', ':', ')']) || prev.ends_with('.') && prev != "St.";
            if !(capital || small) || ends_clause {
                break;
            }
            start -= 1;
        }
        while start < i && words[start].chars().next().is_some_and(char::is_lowercase) {
            start += 1;
        }
        if start < i {
            out.push(format!("{} {form}", words[start..i].join(" ").trim_start_matches('(')));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(texts: &[&str]) -> Vec<Line> {
        texts.iter().map(|t| Line::plain(*t)).collect()
    }

    #[test]
    fn a_document_that_names_itself_twice_gets_that_name_as_a_guessed_title() {
        let ls = lines(&[
            "Innledning",
            "Regional handlingsplan for kvalitet bygger på utviklingsplanen 2024-2027 og nasjonale mål.",
            "Målbilde: Regional handlingsplan for kvalitet skal sikre at tiltakene følges opp.",
            "Planen gjelder 2024-2027.",
            "Regional handlingsplan for kvalitet ble vedtatt i mai.",
        ]);
        let refs: Vec<&Line> = ls.iter().collect();
        let (title, first, n) = self_named_title(&refs).expect("a self-named title");
        assert_eq!(title, "Regional handlingsplan for kvalitet 2024-2027");
        assert_eq!((first, n), (1, 3));
        let mut warnings = Vec::new();
        let layout = LayoutDocument {
            format: crate::model::SourceFormat::Text,
            pages: vec![],
            blocks: ls.iter().cloned().map(Block::Line).collect(),
            warnings: vec![],
            declared_title: None,
            table_source: "text",
            heading_source: "text",
        };
        let (found, used, reason) = find_title(&layout, &refs, DocumentKind::ActionPlan, &mut warnings);
        assert_eq!(found.as_deref(), Some("Regional handlingsplan for kvalitet 2024-2027"));
        assert_eq!((used, reason.rule), (0, "title.self_reference"));
        assert!(warnings.iter().any(|w| w.code == "title_guess"));
    }

    #[test]
    fn a_name_printed_once_or_a_definite_form_is_no_title() {
        let once =
            lines(&["Handlingsplanen er utarbeidet av fagdirektørene.", "Handlingsplanen er utarbeidet på nytt.", "Regional plan for helse ble vedtatt."]);
        let refs: Vec<&Line> = once.iter().collect();
        assert_eq!(self_named_title(&refs), None);
    }
}
