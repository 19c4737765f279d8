//! Measures written as lists rather than tables. Two recognizers:
//!
//! - **Labelled items** ([`RULE_LABELLED`]): a label line (`Tiltak 2.1`,
//!   `Tiltak 3: Title`, `T4 …`, `1.1 …`), the measure's text and bullets,
//!   then field lines (`Ansvarlig: …`, `Frist: …`, `Indikator: …` or
//!   `Indikatorer:` with bullets, `Status: …`), inline after a colon, after a
//!   wide gap (text exports of key/value tables), or as a two-column key/value
//!   table under the item. An item is a measure only when it has a
//!   responsibility, deadline or indicator field.
//! - **Bullets with a responsibility parenthesis** ([`RULE_PAREN`]): `• Text
//!   (Ansvar: …; frist: …)`; deeper bullets right after belong to it.
//!
//! Each returns the blocks it claims so the walker skips them.

use super::explain::Reason;
use super::measure::RowDraft;
use super::vocab::{self, ColumnRole};
use crate::layout::{Block, Line, Table};
use crate::text::{clean, strip_bullet};

/// Rule name of the labelled-item recognizer (for `explain`).
pub const RULE_LABELLED: &str = "list.labelled_item";
/// Rule name of the responsibility-parenthesis recognizer.
pub const RULE_PAREN: &str = "list.responsibility_parenthesis";

/// A measure found in list form, over blocks `start..end`.
#[derive(Debug, Clone)]
pub struct ListMeasure {
    pub start: usize,
    pub end: usize,
    pub draft: RowDraft,
    pub rule: &'static str,
}

/// Longest run of body lines an item may have before its fields.
const MAX_BODY_LINES: usize = 40;

/// Every list-form measure of a document, in order, not overlapping.
pub fn find(blocks: &[Block]) -> Vec<ListMeasure> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < blocks.len() {
        let found = labelled_item(blocks, i).or_else(|| paren_bullet(blocks, i));
        match found {
            Some(m) => {
                i = m.end.max(i + 1);
                out.push(m);
            }
            None => i += 1,
        }
    }
    out
}

fn line_at(blocks: &[Block], i: usize) -> Option<&Line> {
    match blocks.get(i) {
        Some(Block::Line(l)) => Some(l),
        _ => None,
    }
}

/// A field line: `Ansvarlig: X`, or `Ansvar     X` (a key/value row printed
/// as text); the field's role and value.
pub fn field(raw: &str) -> Option<(ColumnRole, String, String)> {
    let t = raw.trim();
    let (head, value) = match t.split_once(':') {
        Some((h, v)) if h.split_whitespace().count() <= 3 => (h.trim().to_string(), v.trim().to_string()),
        _ => {
            let idx = t.find("  ")?;
            let (h, v) = t.split_at(idx);
            if h.split_whitespace().count() > 3 {
                return None;
            }
            (h.trim().to_string(), v.trim().to_string())
        }
    };
    let role = vocab::column_role(&head)?;
    matches!(role, ColumnRole::Responsible | ColumnRole::Deadline | ColumnRole::Indicator | ColumnRole::Status | ColumnRole::Partners)
        .then(|| (role, head, clean(&value)))
}

/// `Tiltak 2.1`, `Tiltak 3: Title`, `T4 Title`: the label and the title after it.
fn item_start(line: &Line) -> Option<(String, String)> {
    let t = clean(&line.text);
    let c = vocab::measure_item().captures(&t)?;
    let label = c.get(1).or_else(|| c.get(3))?.as_str().to_string();
    let title = c.get(2).or_else(|| c.get(4)).map_or("", |m| m.as_str()).trim().to_string();
    Some((label, title))
}

fn labelled_item(blocks: &[Block], start: usize) -> Option<ListMeasure> {
    let first = line_at(blocks, start)?;
    let (label, title) = item_start(first)?;
    let mut reason = Reason::new(RULE_LABELLED).at(first).because(format!("item label {label:?} opens the item"));
    let mut draft = RowDraft { label: Some(label), ..RowDraft::default() };
    if !title.is_empty() {
        let mut l = first.clone();
        l.text = title;
        draft.content.push(l);
    }
    let mut current: Option<ColumnRole> = None;
    let mut has_field = false;
    let mut j = start + 1;
    while j < blocks.len() {
        match &blocks[j] {
            Block::Table(t) => {
                if !kv_table(t, &mut draft) {
                    break;
                }
                reason = reason.because("a two-column table of fields under the item");
                has_field = true;
                current = None;
            }
            Block::Line(l) => {
                let t = clean(&l.text);
                if item_start(l).is_some() || l.heading.is_some() && !has_field {
                    break;
                }
                if let Some((role, head, value)) = field(&l.text) {
                    reason = reason.because(format!("field line {head:?} → {}", format!("{role:?}").to_lowercase()));
                    has_field = true;
                    current = Some(role);
                    let mut v = l.clone();
                    v.text = value;
                    add_field(&mut draft, role, &head, v);
                } else if let Some(role) = current {
                    if !continues_field(l, &t, role, &draft) {
                        break;
                    }
                    add_field(&mut draft, role, "", l.clone());
                } else {
                    if has_field || l.heading.is_some() || j - start > MAX_BODY_LINES {
                        break;
                    }
                    draft.content.push(l.clone());
                }
            }
        }
        j += 1;
    }
    let measure_field = !draft.responsible.is_empty() || !draft.deadline.is_empty() || !draft.indicators.is_empty();
    draft.reason = reason;
    (has_field && measure_field).then_some(ListMeasure { start, end: j, draft, rule: RULE_LABELLED })
}

/// A line after a field line that continues it: a bullet under
/// `Indikatorer:`, a line indented to the value column (text exports), a
/// wrapped line (lowercase start, or the line above ends open).
fn continues_field(l: &Line, t: &str, role: ColumnRole, draft: &RowDraft) -> bool {
    if t.is_empty() || l.heading.is_some() {
        return false;
    }
    let bullet = strip_bullet(t).is_some() || l.bullet;
    if bullet {
        return role == ColumnRole::Indicator;
    }
    let prev = match role {
        ColumnRole::Responsible => draft.responsible.last(),
        ColumnRole::Deadline => draft.deadline.last(),
        ColumnRole::Indicator => draft.indicators.last(),
        ColumnRole::Status => draft.status.last(),
        _ => draft.extra.last().and_then(|(_, ls)| ls.last()),
    };
    let prev_text = prev.map_or("", |p| p.text.trim_end());
    let indented = l.bbox.is_none() && l.font_size == 0.0 && l.indent >= 8.0;
    let first_lower = t.chars().next().is_some_and(char::is_lowercase);
    indented || first_lower || vocab::ends_open(prev_text)
}

fn add_field(draft: &mut RowDraft, role: ColumnRole, head: &str, line: Line) {
    if line.text.trim().is_empty() {
        return;
    }
    match role {
        ColumnRole::Responsible => draft.responsible.push(line),
        ColumnRole::Deadline => draft.deadline.push(line),
        ColumnRole::Indicator => draft.indicators.push(line),
        ColumnRole::Status => draft.status.push(line),
        _ => {
            if head.is_empty() {
                if let Some((_, ls)) = draft.extra.last_mut() {
                    ls.push(line);
                    return;
                }
            }
            draft.extra.push((head.to_string(), vec![line]));
        }
    }
}

/// A two-column key/value table under an item: every row's first cell a
/// field label. Adds its fields to the draft.
fn kv_table(t: &Table, draft: &mut RowDraft) -> bool {
    let rows: Vec<_> = t.rows.iter().filter(|r| r.cells.iter().any(|c| !c.is_empty())).collect();
    if rows.is_empty() {
        return false;
    }
    let mut fields = Vec::new();
    for r in &rows {
        let key = clean(&r.cells.first().map(|c| c.text()).unwrap_or_default());
        let Some(role) = vocab::column_role(&key) else { return false };
        if !matches!(role, ColumnRole::Responsible | ColumnRole::Deadline | ColumnRole::Indicator | ColumnRole::Status | ColumnRole::Partners) {
            return false;
        }
        let lines: Vec<Line> = r.cells.iter().skip(1).flat_map(|c| c.lines.iter().cloned()).collect();
        fields.push((role, key, lines));
    }
    for (role, key, lines) in fields {
        for l in lines {
            add_field(draft, role, &key, l);
        }
    }
    true
}

/// `• Text (Ansvar: X; frist: Y)`: a bullet whose text ends in a
/// parenthesis that starts with a responsibility label.
fn paren_bullet(blocks: &[Block], start: usize) -> Option<ListMeasure> {
    let first = line_at(blocks, start)?;
    let t0 = first.text.trim();
    let glyph = bullet_glyph(first)?;
    // The bullet's text: its line and the wrapped lines after it.
    let mut lines = vec![first.clone()];
    let mut j = start + 1;
    while let Some(l) = line_at(blocks, j) {
        let t = l.text.trim();
        let joined: String = lines.iter().map(|l| l.text.trim()).collect::<Vec<_>>().join(" ");
        let open_paren = joined.matches('(').count() > joined.matches(')').count();
        if t.is_empty() || bullet_glyph(l).is_some() || l.heading.is_some() || field(t).is_some() && !open_paren {
            break;
        }
        if closes_with_paren(&joined) {
            break;
        }
        lines.push(l.clone());
        j += 1;
    }
    let _ = t0;
    let texts: Vec<String> = lines.iter().map(|l| strip_bullet(l.text.trim()).unwrap_or(l.text.trim()).to_string()).collect();
    let joined = clean(&texts.join(" "));
    let (text, inside) = split_paren(&joined)?;
    let reason = Reason::new(RULE_PAREN).at(first).because(format!("bullet {glyph:?} ends in the parenthesis ({inside})"));
    let mut draft = RowDraft { reason, ..RowDraft::default() };
    let mut lead = first.clone();
    lead.text = text;
    lead.bullet = false;
    draft.content.push(lead);
    for part in inside.split(';').flat_map(split_sentence_fields) {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let mut v = first.clone();
        v.bullet = false;
        match field(part) {
            Some((role, head, value)) => {
                v.text = value;
                add_field(&mut draft, role, &head, v);
            }
            None => {
                // `(Ansvar: X; løpende)`: an unlabelled part is the time frame.
                v.text = part.to_string();
                draft.deadline.push(v);
            }
        }
    }
    if draft.responsible.is_empty() {
        return None;
    }
    // Deeper bullets right after (another glyph, or indented further) are its items.
    let mut items: Vec<Line> = Vec::new();
    while let Some(l) = line_at(blocks, j) {
        let Some(g) = bullet_glyph(l) else { break };
        let deeper = g != glyph || l.indent > first.indent + 2.0;
        if !deeper || closes_with_paren(l.text.trim()) {
            break;
        }
        let mut item = l.clone();
        item.bullet = true;
        if strip_bullet(item.text.trim()).is_none() {
            item.text = format!("• {}", item.text.trim());
        }
        items.push(item);
        j += 1;
    }
    draft.content.extend(items);
    Some(ListMeasure { start, end: j, draft, rule: RULE_PAREN })
}

/// The bullet glyph a line starts with (`•`, `o`, `–`…), or `'•'` for a
/// bullet drawn as a shape.
fn bullet_glyph(l: &Line) -> Option<char> {
    let t = l.text.trim_start();
    if strip_bullet(t).is_some() {
        return t.chars().next();
    }
    l.bullet.then_some('•')
}

fn closes_with_paren(s: &str) -> bool {
    split_paren(&clean(s)).is_some()
}

/// `Text (Ansvar: X; frist: Y).` → (`Text`, `Ansvar: X; frist: Y`) when the
/// last parenthesis group starts with a responsibility label.
fn split_paren(s: &str) -> Option<(String, String)> {
    let s = s.trim_end().trim_end_matches('.').trim_end();
    if !s.ends_with(')') {
        return None;
    }
    // Find the opening parenthesis of the last group.
    let mut depth = 0i32;
    let mut open = None;
    for (i, c) in s.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' => {
                depth -= 1;
                if depth == 0 {
                    open = Some(i);
                    break;
                }
            }
            _ => {}
        }
    }
    let open = open?;
    let inside = &s[open + 1..s.len() - 1];
    let (head, _) = inside.split_once(':')?;
    if vocab::column_role(head.trim()) != Some(ColumnRole::Responsible) {
        return None;
    }
    let text = s[..open].trim_end().to_string();
    (!text.is_empty()).then(|| (text, inside.to_string()))
}

/// `X. Frist: 2028` → [`X`, `Frist: 2028`]: a sentence end before another field label.
fn split_sentence_fields(part: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = part;
    while let Some(i) = rest.find(". ") {
        let after = &rest[i + 2..];
        if field(after).is_some() {
            out.push(&rest[..i]);
            rest = after;
        } else {
            break;
        }
    }
    out.push(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_lines_with_colon_or_gap() {
        assert_eq!(field("Ansvarlig: Klinikksjefene").map(|f| f.0), Some(ColumnRole::Responsible));
        assert_eq!(field("Frist                      2025").map(|f| (f.0, f.2)), Some((ColumnRole::Deadline, "2025".to_string())));
        assert_eq!(field("Indikatorer:").map(|f| f.0), Some(ColumnRole::Indicator));
        assert_eq!(field("Samarbeidspartnere: NTNU").map(|f| f.0), Some(ColumnRole::Partners));
        assert!(field("Tiltak:").is_none());
        assert!(field("Målet er at andelen pasienter skal øke: mye").is_none());
    }

    #[test]
    fn responsibility_parenthesis_splits_off_the_text() {
        let (text, inside) = split_paren("Gi pasienter informasjon om studier (USN) (Ansvar: Kommunikasjonsavdelingen; løpende).").unwrap();
        assert_eq!(text, "Gi pasienter informasjon om studier (USN)");
        assert_eq!(inside, "Ansvar: Kommunikasjonsavdelingen; løpende");
        assert!(split_paren("Vurdere personvern (DPIA)").is_none());
        assert_eq!(split_sentence_fields("Ansvar: FoU. Frist: 2028"), vec!["Ansvar: FoU", "Frist: 2028"]);
    }
}
