//! The measure-table recognizer: a table's columns get roles from their
//! header text through [`vocab::column_role`], and each body row is read by
//! those roles, whatever the column order.
//!
//! Rows that are not measures: a goal row (one cell filled across the table,
//! `Mål 1: …`) and a goal cell merged over several rows (`Delmål`) open a
//! section; the measures under them belong to it. Timeline columns (years,
//! quarters, terms) with marks give the deadline: the marked headers, first–last
//! with an en dash when adjacent, comma-separated across a gap.

use super::explain::Reason;
use super::measure::RowDraft;
use super::vocab::{self, ColumnRole};
use crate::layout::{Line, Row, Table};
use crate::text::clean;

/// The columns of a measure table.
#[derive(Debug, Clone, PartialEq)]
pub struct Columns {
    pub roles: Vec<ColumnRole>,
    /// Header text per column, as printed (cleaned); for timeline columns the period label.
    pub headers: Vec<String>,
    /// How many leading rows of the table are its header.
    pub header_rows: usize,
    /// Headers the vocabulary did not know (kept as `extra`).
    pub unknown: Vec<String>,
}

impl Columns {
    /// A measure table names what to do and at least one of who, when or how measured.
    pub fn is_measure_table(&self) -> bool {
        let has = |r: ColumnRole| self.roles.contains(&r);
        has(ColumnRole::Measure) && (has(ColumnRole::Responsible) || has(ColumnRole::Deadline) || has(ColumnRole::Indicator) || has(ColumnRole::Timeline))
    }

    fn width(&self) -> usize {
        self.roles.len()
    }
}

/// What one body row of a measure table stands for.
#[derive(Debug, Clone)]
pub enum RowReading {
    /// A goal row or a new goal cell: a section for the measures below.
    Goal { number: Option<String>, title: String, line: Line },
    /// A measure row; the draft's `deadline`/`status` are read from their columns.
    Measure(Box<RowDraft>),
}

/// Group headers printed over timeline columns (`Gjennomføring 2025` when a
/// two-row header is read as one row).
const TIMELINE_GROUP: &[&str] = &["gjennomføring", "tidsplan", "tidslinje", "periode", "år", "framdriftsplan", "fremdriftsplan", "når"];

/// Role of one header cell: vocabulary first, then a timeline label after a
/// group word (`Gjennomføring 2025` → timeline `2025`).
fn header_role(text: &str) -> Option<(ColumnRole, String)> {
    let t = clean(text);
    let lower = t.to_lowercase();
    for g in TIMELINE_GROUP {
        if let Some(rest) = lower.strip_prefix(g) {
            let rest = rest.trim_start_matches([':', ' ']);
            if !rest.is_empty() && vocab::timeline_header().is_match(rest) {
                let label = t[t.len() - rest.len()..].to_string();
                return Some((ColumnRole::Timeline, label));
            }
        }
    }
    vocab::column_role(&t).map(|role| (role, t))
}

/// Reads the header of a table: the rows flagged as header, else the first
/// row; a second row of timeline labels under a group header (`Gjennomføring`
/// over `2025 | 2026 | 2027`) is part of it.
pub fn columns(t: &Table) -> Option<Columns> {
    let first = t.rows.iter().position(|r| r.cells.iter().any(|c| !c.is_empty()))?;
    let head = &t.rows[first];
    let width = t.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
    let texts: Vec<String> = (0..width).map(|i| head.cells.get(i).map(|c| clean(&c.text())).unwrap_or_default()).collect();
    let mut roles: Vec<Option<(ColumnRole, String)>> = texts.iter().map(|t| header_role(t)).collect();
    let mut header_rows = first + 1;
    // A second header row of timeline labels.
    if let Some(next) = t.rows.get(first + 1) {
        let sub: Vec<String> = (0..width).map(|i| next.cells.get(i).map(|c| clean(&c.text())).unwrap_or_default()).collect();
        let filled: Vec<&String> = sub.iter().filter(|s| !s.is_empty()).collect();
        if filled.len() >= 2 && filled.iter().all(|s| vocab::timeline_header().is_match(s)) {
            for (i, s) in sub.iter().enumerate() {
                if !s.is_empty() {
                    roles[i] = Some((ColumnRole::Timeline, s.clone()));
                }
            }
            header_rows += 1;
        }
    }
    let known = roles.iter().filter(|r| r.is_some()).count();
    if known < 2 {
        return None;
    }
    let mut unknown = Vec::new();
    let mut out_roles = Vec::with_capacity(width);
    let mut headers = Vec::with_capacity(width);
    for (i, r) in roles.into_iter().enumerate() {
        match r {
            Some((role, label)) => {
                out_roles.push(role);
                headers.push(label);
            }
            None => {
                let text = texts[i].clone();
                // An empty header before the measure column numbers the rows.
                let role = if text.is_empty() && i == 0 { ColumnRole::Code } else { ColumnRole::Extra };
                if !text.is_empty() {
                    unknown.push(text.clone());
                }
                out_roles.push(role);
                headers.push(text);
            }
        }
    }
    let cols = Columns { roles: out_roles, headers, header_rows, unknown };
    cols.is_measure_table().then_some(cols)
}

/// Whether a row repeats the header (a table continued on a new page).
fn repeats_header(row: &Row, cols: &Columns) -> bool {
    let texts: Vec<String> = row.texts().iter().map(|t| clean(t)).collect();
    let nonempty = texts.iter().filter(|t| !t.is_empty()).count();
    nonempty >= 2
        && texts.iter().enumerate().filter(|(_, t)| !t.is_empty()).all(|(i, t)| header_role(t).is_some() || cols.headers.get(i).is_some_and(|h| h == t))
}

/// Reads the body rows of a measure table.
pub fn read_rows(t: &Table, cols: &Columns, skip_header: bool) -> Vec<RowReading> {
    let mut out = Vec::new();
    let start = if skip_header { cols.header_rows } else { 0 };
    let body: Vec<&Row> = t.rows.iter().skip(start).filter(|r| !r.header && !repeats_header(r, cols)).collect();
    let bold_body = body.iter().filter(|r| row_lines(r).all(|l| l.bold)).count();
    let responsible_width = cols
        .roles
        .iter()
        .position(|r| *r == ColumnRole::Responsible)
        .map(|i| body.iter().filter_map(|r| r.cells.get(i)).flat_map(|c| c.lines.iter()).map(super::measure::line_width).fold(0.0f32, f32::max));
    // What the rows were read by, for `explain`.
    let column_facts = cols.headers.iter().zip(&cols.roles).map(|(h, r)| format!("{h:?} → {}", format!("{r:?}").to_lowercase())).collect::<Vec<_>>().join(", ");
    let origin = format!("table from {:?}", t.origin).to_lowercase();
    for (n, row) in body.into_iter().enumerate() {
        let texts: Vec<String> = (0..cols.width()).map(|i| row.cells.get(i).map(|c| clean(&c.text())).unwrap_or_default()).collect();
        if texts.iter().all(String::is_empty) {
            continue;
        }
        if let Some(goal) = goal_row(row, &texts, cols, bold_body * 2 < row_count(t)) {
            out.push(goal);
            continue;
        }
        let reason = Reason::new("table.columns").because(format!("body row {} of a {origin}", n + 1)).because(format!("columns: {column_facts}"));
        let reason = match row_lines(row).next() {
            Some(l) => reason.at(l),
            None => reason,
        };
        let mut draft = RowDraft { responsible_width, reason, ..RowDraft::default() };
        let mut marks: Vec<usize> = Vec::new();
        for (i, role) in cols.roles.iter().enumerate() {
            let Some(cell) = row.cells.get(i) else { continue };
            if cell.is_empty() {
                continue;
            }
            let lines = cell.lines.clone();
            match role {
                ColumnRole::Code => {
                    let code = clean(&cell.text());
                    match vocab::measure_code().captures(&code).or_else(|| vocab::table_code().captures(&code)) {
                        Some(c) => draft.label = Some(c[1].to_string()),
                        None => draft.content.extend(lines),
                    }
                }
                ColumnRole::Measure => draft.content.extend(lines),
                ColumnRole::Responsible => draft.responsible.extend(lines),
                ColumnRole::Deadline => draft.deadline.extend(lines),
                ColumnRole::Indicator => draft.indicators.extend(lines),
                ColumnRole::Status => draft.status.extend(lines),
                ColumnRole::Reference => draft.refs.extend(lines),
                ColumnRole::Goal => {
                    let text = super::measure::join(&cell.lines.iter().collect::<Vec<_>>());
                    let (number, title) = goal_title(&text);
                    out.push(RowReading::Goal { number, title, line: lines.first().cloned().unwrap_or_default() });
                }
                ColumnRole::Timeline => {
                    if vocab::timeline_mark().is_match(&clean(&cell.text())) {
                        marks.push(i);
                    } else {
                        draft.extra.push((cols.headers[i].clone(), lines));
                    }
                }
                ColumnRole::Partners | ColumnRole::Extra => draft.extra.push((cols.headers[i].clone(), lines)),
            }
        }
        if !marks.is_empty() && draft.deadline.is_empty() {
            let marked = marks.iter().map(|&i| cols.headers[i].as_str()).collect::<Vec<_>>().join(", ");
            draft.reason = std::mem::take(&mut draft.reason).because(format!("timeline marks under {marked} give the deadline"));
            draft.deadline = vec![Line::plain(timeline_deadline(&marks, &cols.headers))];
        }
        if draft.content.is_empty() && draft.refs.is_empty() {
            continue;
        }
        out.push(RowReading::Measure(Box::new(draft)));
    }
    out
}

fn row_count(t: &Table) -> usize {
    t.rows.len().max(1)
}

fn row_lines(r: &Row) -> impl Iterator<Item = &Line> {
    r.cells.iter().flat_map(|c| c.lines.iter())
}

/// A row with one filled cell that reads as a goal: `Mål 1: …`, or bold in a
/// table whose body is not bold, short and without a sentence end.
fn goal_row(row: &Row, texts: &[String], cols: &Columns, body_plain: bool) -> Option<RowReading> {
    let filled: Vec<usize> = texts.iter().enumerate().filter(|(_, t)| !t.is_empty()).map(|(i, _)| i).collect();
    if filled.len() != 1 || cols.width() < 2 {
        return None;
    }
    let i = filled[0];
    if !matches!(cols.roles[i], ColumnRole::Measure | ColumnRole::Code) {
        return None;
    }
    let text = &texts[i];
    let lines = &row.cells[i].lines;
    let goal_word = vocab::goal_heading().is_match(text) || vocab::area_heading().is_match(text);
    let bold = body_plain && !lines.is_empty() && lines.iter().all(|l| l.bold);
    let short = text.split_whitespace().count() <= 16 && !text.ends_with('.');
    if !(goal_word || bold && short) {
        return None;
    }
    // Joined with the cell's word-break repair (`informasjonssikkerh` + `et` in a narrow column).
    let (number, title) = goal_title(&super::measure::join(&lines.iter().collect::<Vec<_>>()));
    Some(RowReading::Goal { number, title, line: lines.first().cloned().unwrap_or_default() })
}

/// `Mål 1: Flere …` → (`1`, `Flere …`); `2.1 Rekruttere …` → (`2.1`, `Rekruttere …`).
pub fn goal_title(text: &str) -> (Option<String>, String) {
    if let Some(c) = vocab::goal_heading().captures(text).or_else(|| vocab::area_heading().captures(text)) {
        return (Some(c[1].to_string()), clean(&c[2]));
    }
    if let Some(c) = vocab::numbered_line().captures(text) {
        if !vocab::date_start().is_match(text) {
            return (Some(c[1].to_string()), clean(&c[2]));
        }
    }
    (None, text.trim_end_matches(':').to_string())
}

/// The deadline of timeline marks: runs of adjacent marked columns as
/// `first–last`, runs joined with `, `.
pub fn timeline_deadline(marks: &[usize], headers: &[String]) -> String {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for &m in marks {
        match runs.last_mut() {
            Some((_, end)) if *end + 1 == m => *end = m,
            _ => runs.push((m, m)),
        }
    }
    runs.iter().map(|&(a, b)| if a == b { headers[a].clone() } else { format!("{}–{}", headers[a], headers[b]) }).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeline_runs_use_an_en_dash_and_gaps_a_comma() {
        let h: Vec<String> = ["Nr", "Tiltak", "2025", "2026", "2027"].iter().map(|s| s.to_string()).collect();
        assert_eq!(timeline_deadline(&[2], &h), "2025");
        assert_eq!(timeline_deadline(&[2, 3, 4], &h), "2025–2027");
        assert_eq!(timeline_deadline(&[2, 4], &h), "2025, 2027");
    }

    #[test]
    fn header_roles_from_vocabulary_in_any_order() {
        for (h, role) in [
            ("Kva", ColumnRole::Measure),
            ("Kven", ColumnRole::Responsible),
            ("Når", ColumnRole::Deadline),
            ("Hva", ColumnRole::Measure),
            ("Hvem", ColumnRole::Responsible),
            ("Ansvarlig", ColumnRole::Responsible),
            ("Tidsramme", ColumnRole::Deadline),
            ("Måleindikator", ColumnRole::Indicator),
            ("Resultatindikator", ColumnRole::Indicator),
            ("Status", ColumnRole::Status),
            ("Delmål", ColumnRole::Goal),
            ("Nr.", ColumnRole::Code),
            ("2026", ColumnRole::Timeline),
            ("K3", ColumnRole::Timeline),
            ("Høst 2025", ColumnRole::Timeline),
            ("Samarbeidspartnere", ColumnRole::Partners),
        ] {
            assert_eq!(header_role(h).map(|r| r.0), Some(role), "{h}");
        }
        assert_eq!(header_role("Gjennomføring 2025"), Some((ColumnRole::Timeline, "2025".to_string())));
        assert_eq!(header_role("Kostnad"), None);
    }
}
