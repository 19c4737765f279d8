//! Member lists printed as line pairs, not as a table: a name in capitals on
//! one line, the person's title and institution on the next (programme
//! boards, committees). A run of at least [`MIN_PAIRS`] such pairs becomes a
//! `Navn | Tittel` table, with a `table_guess` warning since no ruling or
//! column says it is one.

use crate::layout::{Block, Cell, LayoutDocument, Line, Row, Table, TableOrigin};
use crate::model::Warning;
use crate::text::clean;

/// Fewest name/title pairs that make a list.
const MIN_PAIRS: usize = 3;
/// Header cells of the table made from a member list.
pub const HEADER: [&str; 2] = ["Navn", "Tittel"];

/// A person's name in capitals, optionally with a qualifier in parentheses:
/// `SIV CATHRINE HØYMORK`, `ØYSTEIN KRÜGER (leder)`.
pub fn is_capitals_name(s: &str) -> bool {
    let t = clean(s);
    let name = t.split('(').next().unwrap_or("").trim();
    let words: Vec<&str> = name.split_whitespace().collect();
    (2..=5).contains(&words.len())
        && words.iter().all(|w| w.chars().count() >= 2 && w.chars().all(|c| c.is_uppercase() || c == '-' || c == '.'))
        && (t.len() == name.len() || t.ends_with(')'))
}

/// The line under a name: a title and institution in normal case
/// (`Klinikkdirektør, Helse Bergen HF`), not another name or a sentence.
pub fn is_role_line(s: &str) -> bool {
    let t = clean(s);
    let words = t.split_whitespace().count();
    let letters: Vec<char> = t.chars().filter(|c| c.is_alphabetic()).collect();
    let lower = letters.iter().filter(|c| c.is_lowercase()).count();
    (1..=14).contains(&words) && t.chars().next().is_some_and(char::is_uppercase) && lower * 2 >= letters.len() && !t.ends_with(['.', ':', ';'])
}

/// Rewrites runs of name/title line pairs into tables. Returns `None` when
/// the document has none.
pub fn member_lists(doc: &LayoutDocument) -> (Option<LayoutDocument>, Vec<Warning>) {
    let mut blocks: Vec<Block> = Vec::with_capacity(doc.blocks.len());
    let mut warnings = Vec::new();
    let mut i = 0;
    let line_at = |j: usize| match doc.blocks.get(j) {
        Some(Block::Line(l)) => Some(l),
        _ => None,
    };
    while i < doc.blocks.len() {
        let mut pairs: Vec<(Line, &Line)> = Vec::new();
        let mut j = i;
        // A text export may run the list's caption year into the first name: `2018 JO-ÅSMUND LUND`.
        let mut year: Option<Line> = None;
        while let (Some(name), Some(role)) = (line_at(j), line_at(j + 1)) {
            let mut name = name.clone();
            if pairs.is_empty() {
                if let Some((y, rest)) = name.text.trim().split_once(' ') {
                    if y.len() == 4 && y.chars().all(|c| c.is_ascii_digit()) && is_capitals_name(rest) {
                        year = Some(Line { text: y.to_string(), ..name.clone() });
                        name.text = rest.to_string();
                    }
                }
            }
            if !is_capitals_name(&name.text) || !is_role_line(&role.text) {
                break;
            }
            pairs.push((name, role));
            j += 2;
        }
        if pairs.len() < MIN_PAIRS {
            blocks.push(doc.blocks[i].clone());
            i += 1;
            continue;
        }
        let page = pairs[0].0.page;
        if let Some(y) = year {
            blocks.push(Block::Line(y));
        }
        warnings.push(Warning::new(
            "table_guess",
            format!("{} name/title line pairs read as a member list table, from {}", pairs.len(), clean(&pairs[0].0.text)),
            page,
        ));
        let cell = |text: &str| Cell { lines: vec![Line::plain(text)] };
        let mut rows = vec![Row { cells: HEADER.iter().map(|h| cell(h)).collect(), pages: vec![], header: true }];
        rows.extend(pairs.iter().map(|(n, r)| Row {
            cells: vec![Cell { lines: vec![n.clone()] }, Cell { lines: vec![(*r).clone()] }],
            pages: n.page.into_iter().collect(),
            header: false,
        }));
        let mut pages: Vec<u32> = pairs.iter().filter_map(|(n, _)| n.page).collect();
        pages.dedup();
        blocks.push(Block::Table(Table { rows, pages, origin: TableOrigin::Pairs }));
        i = j;
    }
    if warnings.is_empty() {
        return (None, warnings);
    }
    (Some(LayoutDocument { blocks, ..doc.clone() }), warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_capitals_and_role_lines() {
        assert!(is_capitals_name("SIV CATHRINE HØYMORK"));
        assert!(is_capitals_name("ØYSTEIN KRÜGER (leder)"));
        assert!(is_capitals_name("JO-ÅSMUND LUND"));
        assert!(!is_capitals_name("KRAV TIL PROSJEKTENE OG SØKNADER I PERIODEN"));
        assert!(!is_capitals_name("Gunnar Sæter"));
        assert!(!is_capitals_name("PROGRAMBAKGRUNN"));
        assert!(is_role_line("Ass. fagdirektør, Helse Midt-Norge RHF"));
        assert!(!is_role_line("EINAR BUGGE"));
        assert!(!is_role_line("Prosjekter med finansiering fra KLINBEFORSK skal:"));
    }
}
