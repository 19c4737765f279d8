//! From the cells of one measure row (or the lines text input assigns to
//! them) to a [`Measure`]: strategy points, lead text, actions with their
//! bullets, indicators, responsible parties.

use super::vocab;
use crate::layout::Line;
use crate::model::{Action, Measure, StrategyRef};
use crate::text::{clean, join_lines, strip_bullet};

/// The lines of one measure row, sorted into its columns.
#[derive(Debug, Default, Clone)]
pub struct RowDraft {
    /// The code as printed (`1a`, `3`), or the first strategy point's label.
    pub label: Option<String>,
    pub refs: Vec<Line>,
    pub content: Vec<Line>,
    pub responsible: Vec<Line>,
    /// Other named columns: (header, cell lines).
    pub extra: Vec<(String, Vec<Line>)>,
    /// An indicator column's cell or `Indikator:` value lines.
    pub indicators: Vec<Line>,
    /// A deadline column's cell or `Frist:` value.
    pub deadline: Vec<Line>,
    /// A status column's cell or `Status:` value.
    pub status: Vec<Line>,
    /// Width of the responsibility column (widest line of that column in the
    /// table): a word broken by the column fills it.
    pub responsible_width: Option<f32>,
    /// The recognizer that read the row and what it saw (for `explain`).
    pub reason: super::explain::Reason,
}

impl RowDraft {
    pub fn is_empty(&self) -> bool {
        self.label.is_none()
            && self.refs.is_empty()
            && self.content.is_empty()
            && self.responsible.is_empty()
            && self.extra.is_empty()
            && self.indicators.is_empty()
    }
}

/// Whether line `i` of `lines` may end inside a word: it is a single word
/// that is (nearly) as wide as the widest line of its cell, the sign that the
/// renderer broke a word too long for the column.
pub fn split_hints(lines: &[&Line]) -> Vec<bool> {
    split_hints_within(lines, None)
}

/// A line's printed width: points for PDF lines, characters otherwise.
pub fn line_width(l: &Line) -> f32 {
    match l.bbox {
        Some(b) => b.x1 - b.x0,
        None => l.text.trim().chars().count() as f32,
    }
}

/// [`split_hints`] against a known column width (else the widest line given).
pub fn split_hints_within(lines: &[&Line], column_width: Option<f32>) -> Vec<bool> {
    let widths: Vec<f32> = lines.iter().map(|l| line_width(l)).collect();
    let max = column_width.unwrap_or_else(|| widths.iter().cloned().fold(0.0f32, f32::max));
    lines
        .iter()
        .zip(&widths)
        .map(|(l, w)| {
            let t = l.text.trim();
            // A word is broken without hyphen only when it alone is wider
            // than the column, so the broken line holds that one word.
            let single = !t.contains(' ');
            single && max > 0.0 && *w >= 0.85 * max && t.chars().count() >= 6
        })
        .collect()
}

/// Joins lines into one cleaned string with hyphenation repair.
pub fn join(lines: &[&Line]) -> String {
    let hints = split_hints(lines);
    let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
    join_lines(&texts, &hints)
}

/// Lowercase roman numerals are the canonical action label (`II.` → `ii`).
fn action_label_norm(label: &str) -> String {
    label.to_lowercase()
}

struct ActionDraft<'a> {
    label: Option<String>,
    text: Vec<&'a Line>,
    items: Vec<Vec<&'a Line>>,
}

/// Splits a measure's content cell into lead text, actions and indicators.
pub fn parse_content(lines: &[Line]) -> (String, Vec<Action>, Vec<String>) {
    let mut text: Vec<&Line> = Vec::new();
    let mut actions: Vec<ActionDraft> = Vec::new();
    let mut indicators: Vec<Vec<&Line>> = Vec::new();
    let mut in_indicators = false;
    let mut indicator_bullets = false;
    let mut last_was_item = false;

    for line in lines {
        let t = line.text.trim();
        if t.is_empty() {
            continue;
        }
        // A bare number is a page number the text kept, never content.
        if vocab::action_heading().is_match(t) || t.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        if let Some(c) = vocab::indicator_heading().captures(t) {
            if t.contains(':') || t.split_whitespace().count() == 1 {
                in_indicators = true;
                indicator_bullets = false;
                let rest = c.get(1).map_or("", |m| m.as_str()).trim();
                if !rest.is_empty() {
                    indicators.push(vec![]);
                    push_stripped(&mut indicators, line, rest);
                }
                continue;
            }
        }
        if in_indicators {
            let bullet = strip_bullet(t).is_some() || line.bullet;
            if bullet {
                indicator_bullets = true;
            }
            // A DOCX line is a whole paragraph (no box, but a font size).
            let paragraph = line.bbox.is_none() && line.font_size > 0.0;
            let starts_new = bullet
                || indicators.is_empty()
                || paragraph
                || (!indicator_bullets && line.space_before >= 0.5 && t.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit()));
            if starts_new {
                indicators.push(vec![line]);
            } else if let Some(last) = indicators.last_mut() {
                last.push(line);
            }
            continue;
        }
        if let Some(c) = vocab::action_label().captures(t) {
            let label = c.get(1).map(|m| action_label_norm(m.as_str()));
            actions.push(ActionDraft { label, text: vec![line], items: vec![] });
            last_was_item = false;
            continue;
        }
        if strip_bullet(t).is_some() || line.bullet {
            if actions.is_empty() {
                actions.push(ActionDraft { label: None, text: vec![], items: vec![] });
            }
            if let Some(a) = actions.last_mut() {
                a.items.push(vec![line]);
            }
            last_was_item = true;
            continue;
        }
        match actions.last_mut() {
            Some(a) if last_was_item => {
                if let Some(item) = a.items.last_mut() {
                    item.push(line);
                }
            }
            Some(a) if a.label.is_some() && a.items.is_empty() => a.text.push(line),
            Some(_) => text.push(line),
            None => text.push(line),
        }
    }

    let actions = actions
        .into_iter()
        .map(|a| Action { text: strip_label(&join(&a.text)), label: a.label, items: a.items.iter().map(|i| bulletless(&join(i))).collect() })
        .collect();
    let indicators = indicators.iter().map(|i| bulletless(&join(i))).filter(|s| !s.is_empty()).collect();
    (join(&text), actions, indicators)
}

fn push_stripped<'a>(indicators: &mut [Vec<&'a Line>], line: &'a Line, _rest: &str) {
    // The indicator shares its line with the heading; the heading word is
    // removed later by `strip_indicator_heading`.
    if let Some(last) = indicators.last_mut() {
        last.push(line);
    }
}

/// Drops a leading bullet glyph.
fn bulletless(s: &str) -> String {
    let s = strip_indicator_heading(s);
    match strip_bullet(&s) {
        Some(rest) => clean(rest),
        None => clean(&s),
    }
}

fn strip_indicator_heading(s: &str) -> String {
    match vocab::indicator_heading().captures(s) {
        Some(c) if s.contains(':') => c.get(1).map_or("", |m| m.as_str()).to_string(),
        _ => s.to_string(),
    }
}

/// Drops the action label (`ii.`) from the start of an action's text.
fn strip_label(s: &str) -> String {
    match vocab::action_label().captures(s) {
        Some(c) => clean(c.get(2).map_or("", |m| m.as_str())),
        None => clean(s),
    }
}

/// Splits a reference cell into strategy points (`1a Stimulere ...`).
pub fn parse_refs(lines: &[Line]) -> Vec<StrategyRef> {
    let mut groups: Vec<(Option<String>, Vec<&Line>)> = Vec::new();
    for line in lines {
        let t = line.text.trim();
        if t.is_empty() || vocab::is_table_header_line(t) {
            continue;
        }
        if let Some(c) = vocab::strategy_point().captures(t) {
            groups.push((c.get(1).map(|m| m.as_str().to_string()), vec![line]));
        } else if let Some(c) = vocab::measure_code().captures(t) {
            groups.push((c.get(1).map(|m| m.as_str().to_string()), vec![]));
        } else if let Some(g) = groups.last_mut() {
            g.1.push(line);
        } else {
            groups.push((None, vec![line]));
        }
    }
    groups
        .into_iter()
        .map(|(label, lines)| {
            let mut text = join(&lines);
            if let Some(l) = &label {
                if let Some(rest) = text.strip_prefix(l.as_str()) {
                    text = clean(rest.trim_start_matches(['.', ')']));
                }
            }
            StrategyRef { label, text }
        })
        .filter(|r| !r.text.is_empty() || r.label.is_some())
        .collect()
}

/// Splits a responsibility cell into parties: one per printed line, with
/// wrapped lines (lowercase start, open parenthesis, trailing `og`, `-`, `/`)
/// and parenthesised qualifiers attached to the party above.
pub fn parse_responsible(lines: &[Line]) -> Vec<String> {
    let mut parties: Vec<Vec<&Line>> = Vec::new();
    for line in lines {
        let t = line.text.trim();
        if t.is_empty() || vocab::is_table_header_line(t) || vocab::is_responsible_header(t) && t.split_whitespace().count() == 1 {
            continue;
        }
        let continues = parties.last().is_some_and(|p| {
            let prev: String = p.iter().map(|l| l.text.trim()).collect::<Vec<_>>().join(" ");
            let open = prev.matches('(').count() > prev.matches(')').count();
            let first = t.chars().next().unwrap_or(' ');
            open || first == '('
                || first.is_lowercase()
                || matches!(first, ',' | ')' | '/')
                || prev.ends_with('-')
                || prev.ends_with('/')
                || prev.ends_with(',')
                || prev.ends_with(" og")
                || prev.ends_with(" eller")
                || prev.ends_with(" for")
        });
        match parties.last_mut() {
            Some(p) if continues => p.push(line),
            _ => parties.push(vec![line]),
        }
    }
    parties.iter().map(|p| bulletless(&join(p))).filter(|s| !s.is_empty()).collect()
}

/// Builds the measure of one row.
pub fn build(row: &RowDraft, section: &str, row_number: usize) -> Measure {
    let strategy_refs = parse_refs(&row.refs);
    let label = row.label.clone().or_else(|| strategy_refs.first().and_then(|r| r.label.clone()));
    let (text, actions, mut indicators) = parse_content(&row.content);
    indicators.extend(split_indicators(&row.indicators));
    let responsible = if row.responsible.is_empty() { vec![] } else { super::parties::split_lines(&row.responsible, row.responsible_width) };
    let deadline = short_value(&row.deadline);
    let status = short_value(&row.status);
    let mut pages: Vec<u32> = row.refs.iter().chain(&row.content).chain(&row.responsible).chain(&row.indicators).filter_map(|l| l.page).collect();
    pages.sort_unstable();
    pages.dedup();
    let id = match &label {
        Some(l) => format!("{section}/{l}"),
        None => format!("{section}/{row_number}"),
    };
    let extra = row
        .extra
        .iter()
        .map(|(header, lines)| crate::model::ExtraColumn { header: clean(header), text: join(&lines.iter().collect::<Vec<_>>()) })
        .filter(|c| !c.text.is_empty())
        .collect();
    Measure { id, section: section.to_string(), label, strategy_refs, text, actions, indicators, responsible, deadline, status, pages, extra }
}

/// A printed deadline or status: white space folded, a final period removed; `None` when empty.
pub fn short_value(lines: &[Line]) -> Option<String> {
    let v = join(&lines.iter().collect::<Vec<_>>());
    let v = v.trim().trim_end_matches('.').trim().to_string();
    (!v.is_empty()).then_some(v)
}

/// Indicators of an indicator column or label: one per bullet, paragraph
/// or printed line that starts a new statement (a wrapped line, starting in
/// lowercase or after an open end, continues); a run-on value splits on `;`.
pub fn split_indicators(lines: &[Line]) -> Vec<String> {
    let mut groups: Vec<Vec<&Line>> = Vec::new();
    for line in lines {
        let t = line.text.trim();
        if t.is_empty() {
            continue;
        }
        let bullet = strip_bullet(t).is_some() || line.bullet;
        let paragraph = line.bbox.is_none() && line.font_size > 0.0;
        let continues = groups.last().is_some_and(|g| {
            let prev = g.last().map_or("", |l| l.text.trim_end());
            let first = t.chars().next().unwrap_or(' ');
            !bullet && !paragraph && (first.is_lowercase() || vocab::ends_open(prev))
        });
        match groups.last_mut() {
            Some(g) if continues => g.push(line),
            _ => groups.push(vec![line]),
        }
    }
    groups
        .iter()
        .flat_map(|g| {
            let joined = bulletless(&join(g));
            joined.split(';').map(|s| clean(s).trim_end_matches('.').to_string()).filter(|s| !s.is_empty()).collect::<Vec<_>>()
        })
        .collect()
}
