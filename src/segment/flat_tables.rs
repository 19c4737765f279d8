//! Award tables flattened into text: a text export of a designed report
//! prints a table's cells one after another, so a table arrives as a run of
//! header lines in capitals (`PROSJEKT ANSVARLIG` / `PROSJEKTLEDER` / ...)
//! followed by rows whose last cell is an amount (`Oslo universitetssykehus
//! HF 19.3`). This module rebuilds such tables in text input as
//! `project | person | institution | amount` rows:
//!
//! - a row ends with a line that ends in a decimal number (the amount);
//! - the institution is the two words (more across `og`/`i`, with a `St.`
//!   prefix) before a legal-form suffix (`HF`, `RHF`, `AS`, `ASA`, `SF`);
//! - the person is the run of capitalised words before it, starting at a
//!   line start when the run holds one (names wrap onto their own lines);
//! - the rest, before the person, is the project.
//!
//! A row that does not split this way keeps its text in the first cell.
//! Every rebuilt table carries a `table_guess` warning.

use regex::Regex;
use std::sync::OnceLock;

use crate::layout::{Block, Cell, LayoutDocument, Line, Row, Table, TableOrigin};
use crate::model::Warning;
use crate::text::{clean, join_lines};

/// Fewest capitals lines that make a header run.
const MIN_HEADER_LINES: usize = 3;
/// Legal-form suffixes that end an institution's name.
const LEGAL_FORMS: &[&str] = &["HF", "RHF", "AS", "ASA", "SF", "IKS", "KF"];

fn amount_at_end() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^(.*?)\s*([0-9]{1,4}[.,][0-9]{1,2})$").expect("literal regex"))
}

/// A short line in capitals: a header cell's line.
fn is_header_line(t: &str) -> bool {
    let letters: Vec<char> = t.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 3 && letters.iter().all(|c| c.is_uppercase()) && t.split_whitespace().count() <= 3
}

/// Rebuilds flattened award tables in text input. `None` when there are none.
pub fn flat_tables(doc: &LayoutDocument) -> (Option<LayoutDocument>, Vec<Warning>) {
    let line_at = |j: usize| match doc.blocks.get(j) {
        Some(Block::Line(l)) if l.bbox.is_none() => Some(l),
        _ => None,
    };
    let mut blocks: Vec<Block> = Vec::with_capacity(doc.blocks.len());
    let mut warnings = Vec::new();
    let mut i = 0;
    while i < doc.blocks.len() {
        let header_len = (i..).take_while(|&j| line_at(j).is_some_and(|l| is_header_line(clean(&l.text).as_str()))).count();
        if header_len < MIN_HEADER_LINES {
            blocks.push(doc.blocks[i].clone());
            i += 1;
            continue;
        }
        // Rows: lines up to and including one that ends in an amount.
        let mut rows: Vec<Vec<&Line>> = Vec::new();
        let mut current: Vec<&Line> = Vec::new();
        let mut j = i + header_len;
        while let Some(l) = line_at(j) {
            let t = clean(&l.text);
            let next_header = (j..).take_while(|&k| line_at(k).is_some_and(|l| is_header_line(clean(&l.text).as_str()))).count();
            let stop = next_header >= MIN_HEADER_LINES || t.chars().all(|c| c.is_ascii_digit());
            if stop {
                break;
            }
            current.push(l);
            j += 1;
            if amount_at_end().is_match(&t) {
                rows.push(std::mem::take(&mut current));
            }
        }
        if rows.is_empty() {
            blocks.push(doc.blocks[i].clone());
            i += 1;
            continue;
        }
        // Lines after the last row's amount are not the table's.
        j -= current.len();
        let header: Vec<String> = (i..i + header_len).filter_map(line_at).map(|l| clean(&l.text)).collect();
        warnings.push(Warning::new(
            "table_guess",
            format!("{} rows rebuilt from a table flattened into text (header: {})", rows.len(), header.join(" ")),
            None,
        ));
        let cell = |s: String| Cell { lines: if s.is_empty() { vec![] } else { vec![Line::plain(s)] } };
        let rows = rows.iter().map(|r| Row { cells: split_row(r).into_iter().map(cell).collect(), pages: vec![], header: false }).collect();
        blocks.push(Block::Table(Table { rows, pages: vec![], origin: TableOrigin::Flat }));
        i = j;
    }
    if warnings.is_empty() {
        return (None, warnings);
    }
    (Some(LayoutDocument { blocks, ..doc.clone() }), warnings)
}

/// A word that can be part of a person's name: capitalised (or an initial,
/// or an unreadable first glyph), not an acronym in capitals.
fn is_name_word(w: &str) -> bool {
    let first = w.chars().next().unwrap_or(' ');
    let letters: Vec<char> = w.chars().filter(|c| c.is_alphabetic()).collect();
    let acronym = letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase());
    (first.is_uppercase() || first == '\u{FFFD}') && !acronym && !w.starts_with('(') && !w.ends_with([':', ',', ')'])
}

/// Splits one row's lines into project, person, institution and amount.
fn split_row(lines: &[&Line]) -> Vec<String> {
    let texts: Vec<String> = lines.iter().map(|l| clean(&l.text)).collect();
    let joined = join_lines(&texts, &[]);
    let Some(c) = amount_at_end().captures(&joined) else { return vec![joined, String::new(), String::new(), String::new()] };
    let amount = c[2].to_string();
    let words: Vec<&str> = c[1].split_whitespace().collect();
    // Word indexes that begin a printed line (names wrap onto their own lines).
    let mut line_starts = std::collections::HashSet::new();
    for k in 0..texts.len() {
        // Words of the lines before this one, counted after joining (a
        // hyphenated break makes two printed words one).
        let before = join_lines(&texts[..k], &[]);
        let n = before.split_whitespace().count();
        let merged = k > 0 && join_lines(&texts[..=k], &[]).split_whitespace().count() < n + texts[k].split_whitespace().count();
        if !merged {
            line_starts.insert(n);
        }
    }
    let Some(form) = words.iter().rposition(|w| LEGAL_FORMS.contains(w)) else {
        return vec![c[1].to_string(), String::new(), String::new(), amount];
    };
    // The institution: two words before the legal form, more across a
    // lowercase link word, and a `St.` before it.
    let mut start = form.saturating_sub(2);
    while start > 0 && words[start].chars().next().is_some_and(char::is_lowercase) {
        start -= 1;
    }
    if start > 0 && words[start - 1].ends_with('.') && words[start - 1].len() <= 3 {
        start -= 1;
    }
    let institution = words[start..=form].join(" ");
    // The person: capitalised words before the institution.
    let mut person_start = start;
    while person_start > 0 && start - person_start < 4 && is_name_word(words[person_start - 1]) {
        person_start -= 1;
    }
    // A name wrapped onto its own line starts there; the run's last word on
    // a line of its own is a wrapped surname, not the start.
    if let Some(at_line) = (person_start..start.saturating_sub(1)).rev().find(|k| line_starts.contains(k)) {
        person_start = at_line;
    } else if start - person_start > 3 {
        person_start = start - 3;
    }
    let person = words[person_start..start].join(" ");
    let project = words[..person_start].join(" ");
    vec![project, person, institution, amount]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(lines: &[&str]) -> Vec<String> {
        let owned: Vec<Line> = lines.iter().map(|t| Line::plain(*t)).collect();
        let refs: Vec<&Line> = owned.iter().collect();
        split_row(&refs)
    }

    #[test]
    fn rows_split_into_project_person_institution_amount() {
        assert_eq!(
            row(&["A study of care in Children", "(ABC) study", "Kari Anne", "Nordmann", "Oslo universitetssykehus HF 19.3"]),
            ["A study of care in Children (ABC) study", "Kari Anne Nordmann", "Oslo universitetssykehus HF", "19.3"]
        );
        assert_eq!(
            row(&["Changing the specialist mental health care Per Hansen Helse Bergen HF 20.0"]),
            ["Changing the specialist mental health care", "Per Hansen", "Helse Bergen HF", "20.0"]
        );
        assert_eq!(
            row(&["Trial X - TWIST Ola B. ", "Berg", "Universitetssykehuset Nord-", "Norge HF", "15.5"]),
            ["Trial X - TWIST", "Ola B. Berg", "Universitetssykehuset Nord-Norge HF", "15.5"]
        );
        assert_eq!(
            row(&["Prevention in Colorectal Cancer", "Ola Atle", "Dahl", "Sykehuset i Vestfold HF 13.8"]),
            ["Prevention in Colorectal Cancer", "Ola Atle Dahl", "Sykehuset i Vestfold HF", "13.8"]
        );
    }

    #[test]
    fn header_lines_are_short_capitals() {
        assert!(is_header_line("PROSJEKT ANSVARLIG"));
        assert!(is_header_line("(MILL.KR)"));
        assert!(!is_header_line("Oslo universitetssykehus HF 19.3"));
    }
}
