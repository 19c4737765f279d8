//! Meeting minutes and notices: body, date, time, place, participants,
//! agenda items and decisions, in the common house styles.
//!
//! - Items: every numbering style of [`vocab::minutes`] (`Sak 12/24`,
//!   `Sak 12-2024`, `FU 7/25`, `Saksnr. 2024/123`, a bare `12/24` at a line
//!   start, `1.` headings whose numbers run 1, 2, 3), each once even when a
//!   `Saksliste` at the top lists it first (the last occurrence is the item).
//! - Decisions: the labels of [`vocab::minutes::decision_label`], over several
//!   lines or numbered, or a bold unlabelled paragraph where the layout marks
//!   bold; a proposal followed by a decision stays in the text.
//! - Meeting facts: labels, a `Dato | Tid | Sted` header table (or its text
//!   columns), or a sentence `Tirsdag 11. februar 2025 kl. 12:00-14:00`.
//! - Participants: tables under a group heading, and label sections
//!   (`Til stede:`, `Forfall:`, `Referent:` ...) as comma lists, one person
//!   per line or text columns; roles in parentheses.

use std::collections::{HashMap, HashSet};

use super::explain::Reason;
use super::structure::Structure;
use super::vocab::minutes as v;
use crate::layout::{Block, LayoutDocument, Line};
use crate::model::{AgendaItem, Meeting, Participant, ParticipantGroup, Section, Table, Warning};
use crate::text::{clean, join_lines, slug, strip_bullet};

/// How an item heading was numbered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    /// `Sak 12/24`, `Saksnr. 2024/123`, `FU 7/25`, `18/25`.
    Archive,
    /// `1.`, `2.` headings.
    Numbered,
    /// `Eventuelt` without a number.
    Unnumbered,
}

/// An agenda item heading found in the blocks.
#[derive(Debug, Clone)]
struct Heading {
    /// Index of the heading's line block.
    block: usize,
    /// Blocks the heading used (2 when the title is on the next line).
    span: usize,
    number: Option<String>,
    title: String,
    kind: Option<String>,
    style: Style,
}

/// The agenda of a document: item headings (each item once), roman parts,
/// and where the items end.
#[derive(Debug, Clone, Default)]
pub struct Agenda {
    headings: Vec<Heading>,
    /// Roman part headings: block index, number, title.
    parts: Vec<(usize, String, String)>,
    /// First block after the last item (closing lines, follow-up tables).
    pub end: usize,
    /// A list of the items printed before the items themselves (dropped).
    listed_first: bool,
    /// Block indexes of running headers and page numbers left in the body.
    furniture: HashSet<usize>,
}

impl Agenda {
    /// Index of the first block of the agenda (the first item, or the list of items).
    pub fn start(&self) -> Option<usize> {
        let first = self.headings.first().map(|h| h.block)?;
        Some(self.parts.first().map_or(first, |p| p.0.min(first)))
    }

    /// Number of items with an archive-style number (`Sak 12/24`, `18/25`, `FU 7/25`).
    pub fn archive_items(&self) -> usize {
        self.headings.iter().filter(|h| h.style == Style::Archive).count()
    }

    pub fn len(&self) -> usize {
        self.headings.len()
    }

    pub fn is_empty(&self) -> bool {
        self.headings.is_empty()
    }
}

fn line_at(layout: &LayoutDocument, i: usize) -> Option<&Line> {
    match layout.blocks.get(i) {
        Some(Block::Line(l)) => Some(l),
        _ => None,
    }
}

/// The text of a line without a leading bullet, cleaned.
fn text_of(l: &Line) -> String {
    clean(strip_bullet(&l.text).unwrap_or(&l.text))
}

/// The document carries bold/heading marks (PDF, DOCX), not plain text.
fn has_formatting(layout: &LayoutDocument) -> bool {
    layout.heading_source != "text"
}

/// An item kind line (`Vedtakssak`), capitalised as printed.
fn item_kind(t: &str) -> Option<String> {
    let t = t.trim().trim_end_matches(['.', ':']).trim();
    let l = t.to_lowercase();
    v::ITEM_KINDS.contains(&l.as_str()).then(|| {
        let mut c = t.chars();
        c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
    })
}

/// A title with a kind in parentheses after it: `Budsjett (Vedtakssak)`.
fn split_title_kind(title: &str) -> (String, Option<String>) {
    if let Some(open) = title.rfind('(') {
        if title.ends_with(')') {
            let inner = &title[open + 1..title.len() - 1];
            if let Some(k) = item_kind(inner) {
                return (clean(&title[..open]), Some(k));
            }
        }
    }
    (clean(title), None)
}

/// Lines that are page furniture the layout stage left in the body: `Side 2 av 3`,
/// a bare page number, a running header or footer repeated with a page number
/// after a wide gap (text exports).
fn furniture(layout: &LayoutDocument) -> HashSet<usize> {
    let fold = |s: &str| s.split_whitespace().filter(|w| !w.chars().all(|c| c.is_ascii_digit())).collect::<Vec<_>>().join(" ");
    let mut counts: HashMap<String, usize> = HashMap::new();
    for b in &layout.blocks {
        if let Block::Line(l) = b {
            *counts.entry(fold(&l.text)).or_default() += 1;
        }
    }
    let running: Vec<String> = layout.pages.iter().flat_map(|p| p.header.iter().chain(&p.footer)).map(|t| clean(t).to_lowercase()).collect();
    let mut sizes: Vec<f32> = layout.blocks.iter().filter_map(|b| if let Block::Line(l) = b { Some(l.font_size) } else { None }).collect();
    sizes.sort_by(|a, b| a.total_cmp(b));
    let body_size = sizes.get(sizes.len() / 2).copied().unwrap_or(0.0);
    let mut out = HashSet::new();
    for (i, b) in layout.blocks.iter().enumerate() {
        let Block::Line(l) = b else { continue };
        let t = l.text.trim();
        let lower = clean(t).to_lowercase();
        let words: Vec<&str> = lower.split_whitespace().collect();
        // `12/24` alone is an agenda number here, not a page label.
        let side = crate::layout::is_page_label(t) && !t.contains('/');
        let number = t.len() <= 3 && crate::layout::is_bare_page_number(t);
        let gap_number = {
            let trimmed = t.trim_end_matches(|c: char| c.is_ascii_digit());
            trimmed.len() < t.len() && trimmed.ends_with("   ")
        };
        let repeated = counts.get(&fold(&l.text)).is_some_and(|n| *n >= 2);
        // A piece of another page's running header, printed apart from the rest on this page.
        let running_piece = words.len() <= 8
            && lower.chars().filter(|c| c.is_alphanumeric()).count() >= 6
            && running.iter().any(|r| r.contains(&lower))
            && (l.font_size > 0.0 && l.font_size < body_size - 1.0);
        if side || number || gap_number && repeated || running_piece {
            out.insert(i);
        }
    }
    out
}

/// An archive-numbered heading on line `t`: `(number, title, kind)`.
fn archive_heading(t: &str) -> Option<(String, String, Option<String>)> {
    if let Some(c) = v::sak_item().captures(t) {
        let number: String = c[1].split_whitespace().collect();
        let rest = c.get(3).map_or("", |m| m.as_str());
        let after_number = &t[c.get(1).map_or(0, |m| m.end())..];
        let plain = !number.contains(['/', '-']);
        // `Sak 5 ble utsatt` is a sentence: a plain number needs a colon, a period or a capital after it.
        let titled = rest.chars().next().is_none_or(|ch| ch.is_uppercase() || ch.is_ascii_digit() || "«\"(".contains(ch));
        // `Sak 12/24 ble utsatt` is a sentence that names an item, not its heading.
        if titled && (!plain || after_number.trim_start().starts_with([':', '.']) || !rest.is_empty()) {
            let kind = c.get(2).and_then(|m| v::kind_from_letter(m.as_str())).map(str::to_string);
            return Some((number, rest.trim().to_string(), kind));
        }
    }
    for re in [v::series_item(), v::bare_item()] {
        if let Some(c) = re.captures(t) {
            let title = c.get(2).map_or("", |m| m.as_str()).trim();
            let number: String = c[1].split_whitespace().collect::<Vec<_>>().join(" ");
            let number = number.replace(" /", "/").replace("/ ", "/");
            if title.is_empty() || title.chars().next().is_some_and(|ch| ch.is_uppercase() || ch.is_ascii_digit()) {
                return Some((number, title.to_string(), None));
            }
        }
    }
    None
}

/// A line the layout marks as a heading: a heading level, bold, or (text input)
/// a blank line before it.
fn heading_cue(l: &Line, formatting: bool) -> bool {
    if formatting {
        l.heading.is_some() || l.bold
    } else {
        l.space_before >= 1.0
    }
}

/// Finds the agenda: item headings in every numbering style, each item once.
pub fn agenda(layout: &LayoutDocument) -> Agenda {
    let formatting = has_formatting(layout);
    let furniture = furniture(layout);
    let mut archive: Vec<Heading> = Vec::new();
    let mut numbered: Vec<Heading> = Vec::new();
    let mut unnumbered: Vec<Heading> = Vec::new();
    let mut parts = Vec::new();
    for (i, b) in layout.blocks.iter().enumerate() {
        let Block::Line(l) = b else { continue };
        if furniture.contains(&i) {
            continue;
        }
        let t = text_of(l);
        if let Some((number, title, kind)) = archive_heading(&t) {
            let (title, span) = match (title.is_empty(), line_at(layout, i + 1)) {
                (true, Some(next)) => (text_of(next), 2),
                _ => (title, 1),
            };
            // A heading title that wraps onto a line of the same style starting in lowercase.
            let (title, span) = match line_at(layout, i + span) {
                Some(next)
                    if formatting
                        && span == 1
                        && next.bold == l.bold
                        && next.heading == l.heading
                        && (next.font_size - l.font_size).abs() < 0.5
                        && next.text.trim_start().starts_with(char::is_lowercase)
                        && !title.ends_with(['.', ':']) =>
                {
                    (join_lines(&[title.as_str(), text_of(next).as_str()], &[]), 2)
                }
                _ => (title, span),
            };
            let (title, paren_kind) = split_title_kind(&title);
            archive.push(Heading { block: i, span, number: Some(number), title, kind: kind.or(paren_kind), style: Style::Archive });
            continue;
        }
        if v::decision_label().is_match(&t) {
            continue;
        }
        if let Some(c) = v::numbered_item().captures(&t) {
            let title = c[2].trim();
            let words = title.split_whitespace().count();
            let sentence = title.ends_with(['.', ',', ';', ':']) || words > 14;
            let capital = title.chars().next().is_some_and(|ch| ch.is_uppercase());
            if !sentence && capital && heading_cue(l, formatting) && !super::vocab::date_start().is_match(&t) {
                let number: usize = c[1].parse().unwrap_or(0);
                let (title, kind) = split_title_kind(title);
                numbered.push(Heading { block: i, span: 1, number: Some(number.to_string()), title, kind, style: Style::Numbered });
                continue;
            }
        }
        if let Some(c) = v::roman_part().captures(&t) {
            if heading_cue(l, formatting) && c[2].split_whitespace().count() <= 8 && !c[2].ends_with('.') {
                parts.push((i, c[1].to_string(), clean(&c[2])));
                continue;
            }
        }
        let bare = t.trim_end_matches(':').to_lowercase();
        if v::UNNUMBERED_ITEMS.contains(&bare.as_str()) && (heading_cue(l, formatting) || l.indent > 0.0) {
            unnumbered.push(Heading { block: i, span: 1, number: None, title: t.trim_end_matches(':').to_string(), kind: None, style: Style::Unnumbered });
        }
    }
    // `1.` headings count only as a run 1, 2, 3 ... of at least three; a `1.` starts a
    // new run (a numbered `Saksliste` before the items), and the longest run wins
    // (the later one on a tie: the items, not their list).
    let mut chains: Vec<Vec<Heading>> = Vec::new();
    for h in numbered {
        let n: usize = h.number.as_deref().and_then(|n| n.parse().ok()).unwrap_or(0);
        if n == 1 {
            chains.push(vec![h]);
        } else if let Some(c) = chains.last_mut().filter(|c| n == c.len() + 1) {
            c.push(h);
        }
    }
    let chain = chains.into_iter().rev().max_by_key(|c| c.len()).unwrap_or_default();
    let mut headings = if archive.len() >= 2 || chain.len() < 3 { archive } else { chain };
    if headings.is_empty() {
        return Agenda { furniture, ..Agenda::default() };
    }
    let first = headings[0].block;
    headings.extend(unnumbered.into_iter().filter(|h| h.block > first));
    headings.sort_by_key(|h| h.block);
    // Each item once: a number (or an unnumbered title) seen again later was a list of the items.
    let key = |h: &Heading| h.number.clone().unwrap_or_else(|| h.title.to_lowercase());
    let mut last: HashMap<String, usize> = HashMap::new();
    for (i, h) in headings.iter().enumerate() {
        last.insert(key(h), i);
    }
    let before = headings.len();
    let kept: Vec<Heading> = headings.iter().enumerate().filter(|(i, h)| last.get(&key(h)) == Some(i)).map(|(_, h)| h.clone()).collect();
    let listed_first = kept.len() < before;
    // A listed `Eventuelt` without a number, printed again as an item: kept once (above);
    // an unnumbered line between listed items is part of the list.
    let mut headings = kept;
    if listed_first {
        let first_kept = headings.iter().find(|h| h.style != Style::Unnumbered).map_or(0, |h| h.block);
        headings.retain(|h| h.style != Style::Unnumbered || h.block > first_kept);
    }
    // Parts among the items, and the one that opens them (`I. Vedtakssaker`
    // right above the first item); parts of a list printed before are dropped.
    let first_item = headings[0].block;
    let opens_items = |p: &(usize, String, String)| {
        p.0 < first_item
            && (p.0 + 1..first_item).all(|i| furniture.contains(&i) || !matches!(layout.blocks.get(i), Some(Block::Line(l)) if !l.text.trim().is_empty()))
    };
    let parts: Vec<(usize, String, String)> = parts.into_iter().filter(|p| p.0 > first_item || opens_items(p)).collect();
    let end = agenda_end(layout, &headings, &furniture);
    Agenda { headings, parts, end, listed_first, furniture }
}

/// A line that closes the last item: the next meeting, greetings, a place and date
/// before signatures, a follow-up list heading.
fn is_closing(t: &str) -> bool {
    let l = t.to_lowercase();
    v::CLOSING_STARTS.iter().any(|w| l.starts_with(w)) || v::CLOSING_LINES.contains(&l.trim_end_matches(':')) || v::is_place_date(t)
}

/// A table of follow-up points (`Hva | Hvem | Frist`).
fn is_follow_up_header(cells: &[String]) -> bool {
    cells.iter().filter(|c| v::FOLLOW_UP_HEADERS.contains(&clean(c).trim_end_matches(':').to_lowercase().as_str())).count() >= 2
}

/// The block after the last item.
fn agenda_end(layout: &LayoutDocument, headings: &[Heading], furniture: &HashSet<usize>) -> usize {
    let Some(last) = headings.last() else {
        return layout.blocks.len();
    };
    let item_level = line_at(layout, last.block).and_then(|l| l.heading);
    for i in last.block + last.span..layout.blocks.len() {
        if furniture.contains(&i) {
            continue;
        }
        match &layout.blocks[i] {
            Block::Line(l) => {
                let t = text_of(l);
                let higher = matches!((l.heading, item_level), (Some(a), Some(b)) if a <= b);
                // `Referent: Kari Nordmann` printed after the last item.
                let secretary =
                    l.text.contains(':') && split_label(&l.text).is_some_and(|(lab, _)| v::participant_group(&lab) == Some(ParticipantGroup::Secretariat));
                if is_closing(&t) || higher || secretary {
                    return i;
                }
            }
            Block::Table(t) => {
                if t.rows.iter().take(2).any(|r| is_follow_up_header(&r.texts())) {
                    // The table's title line above it belongs to the table.
                    let title_above = i > 0 && line_at(layout, i - 1).is_some_and(|l| text_of(l).split_whitespace().count() <= 6 && !text_of(l).ends_with('.'));
                    return if title_above && i - 1 > last.block { i - 1 } else { i };
                }
            }
        }
    }
    layout.blocks.len()
}

/// Evidence that a document is minutes or a notice of a meeting.
#[derive(Debug, Default, Clone, Copy)]
pub struct Evidence {
    pub archive_items: usize,
    pub items: usize,
    pub decisions: usize,
    pub participant_labels: usize,
    pub title_word: bool,
}

impl Evidence {
    /// A numbered agenda with a minutes title, decision labels or participant
    /// sections; or a minutes title with decisions and participants.
    pub fn is_minutes(&self, plan_word: bool) -> bool {
        let support = self.decisions + self.participant_labels;
        if self.archive_items >= 2 && (self.title_word || support >= 1 || self.archive_items >= 3) {
            return true;
        }
        if plan_word {
            return false;
        }
        self.items >= 3 && (self.title_word && support >= 1 || support >= 3) || self.title_word && self.decisions >= 2 && self.participant_labels >= 1
    }
}

/// Counts the cues of a meeting in a document.
pub fn evidence(layout: &LayoutDocument, agenda: &Agenda, head: &str) -> Evidence {
    let mut e = Evidence { archive_items: agenda.archive_items(), items: agenda.len(), ..Evidence::default() };
    for b in &layout.blocks {
        let Block::Line(l) = b else { continue };
        let t = text_of(l);
        if v::decision_label().captures(&t).is_some_and(|c| c.get(2).is_some() || t.split_whitespace().count() == 1) {
            e.decisions += 1;
        }
        if let Some((label, _)) = split_label(&l.text) {
            if v::participant_group(&label).is_some() {
                e.participant_labels += 1;
            }
        }
    }
    e.title_word = head.lines().any(|l| {
        let l = l.trim().to_lowercase();
        v::TITLE_WORDS.iter().any(|w| l.starts_with(w))
    });
    e
}

/// `Label: rest` / `Label<TAB>rest` / `Label<gap>rest` / a label alone: the label
/// (at most four words, capitalised) and the rest.
fn split_label(raw: &str) -> Option<(String, String)> {
    let t = raw.trim();
    let cut = t.find([':', '\t']).filter(|&i| i > 0 && i <= 40);
    let (label, rest) = match cut {
        Some(i) => (&t[..i], t[i + 1..].trim_start_matches([':', '\t'])),
        None => match t.find("   ") {
            Some(i) if i <= 30 => (&t[..i], &t[i..]),
            _ => (t, ""),
        },
    };
    let label = clean(label);
    let words = label.split_whitespace().count();
    if words == 0 || words > 4 || !label.chars().next().is_some_and(char::is_uppercase) || label.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    Some((label, clean(rest)))
}

fn parse_date(t: &str) -> Option<String> {
    let c = v::date().captures(t)?;
    if let (Some(d), Some(mo), Some(y)) = (c.get(1), c.get(2), c.get(3)) {
        let y: i32 = y.as_str().parse().ok()?;
        let y = if y < 100 { 2000 + y } else { y };
        return Some(format!("{y:04}-{:0>2}-{:0>2}", mo.as_str(), d.as_str()));
    }
    if let (Some(y), Some(mo), Some(d)) = (c.get(4), c.get(5), c.get(6)) {
        return Some(format!("{}-{}-{}", y.as_str(), mo.as_str(), d.as_str()));
    }
    let months = ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "desember"];
    let (d, mo, y) = (c.get(7)?, c.get(8)?, c.get(9)?);
    let n = months.iter().position(|m| *m == mo.as_str().to_lowercase())? + 1;
    Some(format!("{}-{n:02}-{:0>2}", y.as_str(), d.as_str()))
}

fn parse_times(t: &str) -> Option<(String, Option<String>)> {
    if let Some(c) = v::time_range().captures(t) {
        return Some((format!("{:0>2}:{}", &c[1], &c[2]), Some(format!("{:0>2}:{}", &c[3], &c[4]))));
    }
    if let Some(c) = v::hour_range().captures(t) {
        let minutes = |i: usize| c.get(i).map_or("00", |m| m.as_str()).to_string();
        return Some((format!("{:0>2}:{}", &c[1], minutes(2)), Some(format!("{:0>2}:{}", &c[3], minutes(4)))));
    }
    v::start_time().captures(t).map(|c| (format!("{:0>2}:{}", &c[1], &c[2]), None))
}

/// A line whose date is not the meeting's: the letter's own date, `Publisert`,
/// `Neste møte`, `innen`.
fn other_date_line(t: &str) -> bool {
    let l = t.to_lowercase();
    v::OTHER_DATE_WORDS.iter().any(|w| l.contains(w))
        || v::is_place_date(t)
        || t.contains(", ") && v::is_place_date(t.rsplit("   ").next().unwrap_or("").trim())
}

fn label_in(label: &str, list: &[&str]) -> bool {
    list.contains(&label.trim_end_matches(':').trim().to_lowercase().as_str())
}

/// Date, start, end and place from labels, a header table (or its text columns) or a sentence.
fn meeting_facts(m: &mut Meeting, layout: &LayoutDocument, head_end: usize, title: Option<&str>) {
    let set_times = |m: &mut Meeting, t: &str| {
        if m.start.is_none() {
            if let Some((s, e)) = parse_times(t) {
                m.start = Some(s);
                m.end = e;
            }
        }
    };
    let lines: Vec<(usize, &Line)> =
        layout.blocks[..head_end].iter().enumerate().filter_map(|(i, b)| if let Block::Line(l) = b { Some((i, l)) } else { None }).collect();
    // 1. Labels.
    for (_, l) in &lines {
        let Some((label, rest)) = split_label(&l.text) else {
            continue;
        };
        if rest.is_empty() {
            continue;
        }
        if m.date.is_none() && label_in(&label, v::DATE_LABELS) {
            m.date = parse_date(&rest);
        }
        if label_in(&label, v::TIME_LABELS) || label_in(&label, v::DATE_LABELS) {
            set_times(m, &rest);
        }
        if m.place.is_none() && label_in(&label, v::PLACE_LABELS) {
            m.place = Some(rest.clone());
        }
    }
    // 2. A header table `Dato | Tid | Sted`, as a table or as text columns.
    let mut header_rows: Vec<(Vec<String>, Vec<String>)> = Vec::new();
    for b in &layout.blocks[..head_end] {
        if let Block::Table(t) = b {
            if let [h, r, ..] = t.rows.as_slice() {
                header_rows.push((h.texts(), r.texts()));
            }
        }
    }
    for w in lines.windows(2) {
        let cols = |l: &Line| l.text.split("   ").map(clean).filter(|c| !c.is_empty()).collect::<Vec<_>>();
        header_rows.push((cols(w[0].1), cols(w[1].1)));
    }
    // A borderless label/value table: `Dato: | 14.03.2025` rows.
    for b in &layout.blocks[..head_end] {
        let Block::Table(t) = b else { continue };
        for row in &t.rows {
            let cells = row.texts();
            if let [label, value, ..] = cells.as_slice() {
                if is_fact_label(label) {
                    header_rows.push((vec![label.clone()], vec![value.clone()]));
                }
            }
        }
    }
    for (h, r) in header_rows {
        if h.is_empty() || h.len() != r.len() || !h.iter().all(|c| is_fact_label(c)) {
            continue;
        }
        for (label, value) in h.iter().zip(&r) {
            if m.date.is_none() && label_in(label, v::DATE_LABELS) {
                m.date = parse_date(value);
            }
            if label_in(label, v::TIME_LABELS) {
                set_times(m, value);
            }
            if m.place.is_none() && label_in(label, v::PLACE_LABELS) {
                m.place = Some(clean(value));
            }
        }
    }
    // 3. A sentence with a date and a time: `Tirsdag 11. februar 2025 kl. 12:00-14:00`.
    if m.date.is_none() || m.start.is_none() {
        for (_, l) in &lines {
            let t = clean(&l.text);
            if other_date_line(&t) {
                continue;
            }
            if let (Some(d), Some(_)) = (parse_date(&t), parse_times(&t)) {
                if m.date.is_none() {
                    m.date = Some(d);
                }
                set_times(m, &t);
                break;
            }
        }
    }
    // 4. The title's date, else the first date of the head that is not another date.
    if m.date.is_none() {
        m.date = title.and_then(parse_date);
    }
    if m.date.is_none() {
        m.date = lines.iter().map(|(_, l)| clean(&l.text)).filter(|t| !other_date_line(t)).find_map(|t| parse_date(&t));
    }
    if m.start.is_none() {
        if let Some(t) = lines.iter().map(|(_, l)| clean(&l.text)).filter(|t| !other_date_line(t)).find(|t| v::time_range().is_match(t)) {
            set_times(m, &t);
        }
    }
}

/// A meeting-fact label: `Dato`, `Tid`, `Sted`...
fn is_fact_label(c: &str) -> bool {
    label_in(c, v::DATE_LABELS) || label_in(c, v::TIME_LABELS) || label_in(c, v::PLACE_LABELS)
}

/// A table that holds the meeting facts (`Dato | Tid | Sted` or `Dato: | ...` rows).
pub fn is_fact_table(t: &Table) -> bool {
    let header_facts = t.header.len() >= 2 && t.header.iter().all(|c| is_fact_label(c));
    let label_rows = !t.rows.is_empty() && t.rows.iter().all(|r| r.first().is_some_and(|c| is_fact_label(c)));
    header_facts || label_rows
}

/// A name written in one word with an inner capital (`KlinNord`, `NorSmerte`).
fn camel_name(w: &str) -> bool {
    let w = w.trim_matches(|c: char| !c.is_alphanumeric());
    let chars: Vec<char> = w.chars().collect();
    chars.len() >= 5
        && chars.iter().all(|c| c.is_alphabetic())
        && chars[0].is_uppercase()
        && chars[1..].iter().position(|c| c.is_uppercase()).is_some_and(|p| p >= 2 && chars[1..=p].iter().all(|c| c.is_lowercase()))
}

/// The body that owns minutes: a one-word name with an inner capital in the title
/// (`... styringsgruppen for KlinNord`), a `... HF`/`... RHF` name ending the title, or
/// the last logo line above the title (`Kirurgisk klinikk`; skip links, menus and
/// breadcrumbs passed over).
pub fn organization(title: Option<&str>, lines: &[&Line]) -> Option<String> {
    let title = title?;
    if let Some(w) = title.split_whitespace().find(|w| camel_name(w)) {
        return Some(w.trim_matches(|c: char| !c.is_alphanumeric()).to_string());
    }
    let words: Vec<&str> = title.split_whitespace().collect();
    if words.last().is_some_and(|w| matches!(*w, "HF" | "RHF")) {
        // Back to the first capitalised word of the name: `i Sykehuset Fjordvik HF`.
        let mut start = words.len() - 1;
        while start > 0 && words[start - 1].chars().next().is_some_and(char::is_uppercase) && words.len() - start < 5 {
            start -= 1;
        }
        if words.len() - start >= 2 && start > 0 {
            return Some(words[start..].join(" "));
        }
    }
    let at = lines.iter().take(16).position(|l| {
        let t = clean(&l.text);
        !t.is_empty() && title.starts_with(&t)
    })?;
    for l in lines[..at].iter().rev() {
        // A menu printed in columns is not a name.
        let parts = l.text.split("   ").filter(|p| !p.trim().is_empty()).count();
        let t = clean(l.text.split("   ").next().unwrap_or(""));
        let n = t.split_whitespace().count();
        if parts >= 3
            || n == 1 && !camel_name(&t)
            || t.is_empty()
            || t.contains(['›', '»', '>', ':', '|'])
            || t.chars().any(|c| c.is_ascii_digit())
            || n > 8
            || n == 0
        {
            continue;
        }
        if let Some(w) = t.split_whitespace().next().filter(|w| camel_name(w) && n > 1) {
            return Some(w.to_string());
        }
        if !t.to_lowercase().starts_with("hopp til") && t.chars().next().is_some_and(char::is_uppercase) {
            return Some(t);
        }
    }
    None
}

/// Builds the meeting and adds the agenda items to the section tree.
pub fn meeting(layout: &LayoutDocument, agenda: &Agenda, title: Option<&str>, structure: &mut Structure) -> Meeting {
    let body = title.map(|t| {
        let mut rest = t.to_string();
        let lower = t.to_lowercase();
        if let Some(w) = v::TITLE_WORDS.iter().find(|w| lower.starts_with(*w)) {
            rest = t[w.len()..].to_string();
        }
        let rest = rest.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '–' | '-' | ':' | '—'));
        let lower = rest.to_lowercase();
        let rest = ["fra møte i ", "frå møte i ", "fra møtet i ", "til møte i ", "fra ", "frå "]
            .iter()
            .find(|p| lower.starts_with(*p))
            .map_or(rest, |p| &rest[p.len()..]);
        let mut r = clean(rest);
        if let Some(f) = r.get(..1) {
            let upper = f.to_uppercase();
            r = upper + &r[1..];
        }
        r
    });
    let mut m = Meeting { body, ..Meeting::default() };
    let head_end = agenda.start().unwrap_or(layout.blocks.len());
    meeting_facts(&mut m, layout, head_end, title);
    let mut participants = table_participants(&structure.tables);
    participants.extend(label_participants(layout, 0, head_end, &agenda.furniture));
    if agenda.start().is_some() {
        // A `Referent:` line after the last item.
        let tail = label_participants(layout, agenda.end, layout.blocks.len(), &agenda.furniture);
        participants.extend(tail.into_iter().filter(|p| p.group == ParticipantGroup::Secretariat));
    }
    // `''` where the list prints no institution or role (as in a table's empty cell).
    for p in &mut participants {
        p.institution.get_or_insert_with(String::new);
        p.role.get_or_insert_with(String::new);
    }
    m.participants = participants;
    structure.tables.retain(|t| !is_fact_table(t));
    let ItemsRead { mut items, sections, warnings, item_reasons, section_reasons } = agenda_items(layout, agenda);
    structure.trace.items.extend(item_reasons);
    structure.trace.sections.extend(section_reasons);
    // A `Saksliste` table lists the items printed below it: each item once.
    let numbers: HashSet<String> = items.iter().map(|i| i.number.clone()).collect();
    let (table_items, table_sections, table_reasons) = table_agenda_items(layout);
    let table_sections: Vec<Section> = table_sections.into_iter().filter(|s| s.number.as_ref().is_none_or(|n| !numbers.contains(n))).collect();
    for (item, reason) in table_items.into_iter().zip(table_reasons) {
        if !numbers.contains(&item.number) {
            structure.trace.sections.push((item.number.clone(), reason.clone()));
            structure.trace.items.push(reason);
            items.push(item);
        }
    }
    structure.warnings.extend(warnings);
    m.items = items;
    let mut sections = sections;
    sections.extend(table_sections);
    // A numbered `Saksliste` read as headings before the items: the items are the sections.
    fn ids(s: &Section, out: &mut HashSet<String>) {
        out.insert(s.id.clone());
        s.sections.iter().for_each(|c| ids(c, out));
    }
    let mut item_ids = HashSet::new();
    sections.iter().for_each(|s| ids(s, &mut item_ids));
    fn drop_ids(list: &mut Vec<Section>, item_ids: &HashSet<String>) {
        list.retain(|s| !item_ids.contains(&s.id));
        list.iter_mut().for_each(|s| drop_ids(&mut s.sections, item_ids));
    }
    drop_ids(&mut structure.sections, &item_ids);
    if !sections.is_empty() {
        let agenda_section = structure.sections.iter_mut().rev().find(|s| {
            let t = s.title.to_lowercase();
            t.starts_with("agenda") || t.starts_with("saksliste") || t.starts_with("sakliste") || t.starts_with("dagsorden")
        });
        match agenda_section {
            Some(a) if !agenda.listed_first && agenda.parts.is_empty() => a.sections.extend(sections),
            _ => structure.sections.extend(sections.into_iter().map(|mut s| {
                s.level = 1;
                for c in &mut s.sections {
                    c.level = 2;
                }
                s
            })),
        }
    }
    m
}

/// Participants from tables under a group heading (`Til stede`, `Forfall`...);
/// cells as printed. A follow-up table (`Hva | Hvem | Frist`) or an agenda table is never one.
fn table_participants(tables: &[Table]) -> Vec<Participant> {
    let mut out = Vec::new();
    for t in tables {
        let Some(group) = t.title.as_deref().and_then(v::group_of_title) else {
            continue;
        };
        let agenda = t.header.first().is_some_and(|h| clean(h).to_lowercase().starts_with("sak"))
            || t.rows.iter().any(|r| r.first().is_some_and(|c| archive_heading(&clean(c)).is_some()));
        if agenda || is_follow_up_header(&t.header) || t.rows.first().is_some_and(|r| is_follow_up_header(r)) {
            continue;
        }
        let columns: Vec<Option<&str>> = t.header.iter().map(|h| v::participant_column(h)).collect();
        let col =
            |field: &str, fallback: usize| columns.iter().position(|c| *c == Some(field)).or_else(|| columns.iter().all(Option::is_none).then_some(fallback));
        let (n, i, r) = (col("name", 0), col("institution", 1), col("role", 2));
        let mut rows: Vec<&Vec<String>> = Vec::new();
        // A header that names no column is a first row of people.
        if !t.header.is_empty() && columns.iter().all(Option::is_none) {
            rows.push(&t.header);
        }
        rows.extend(t.rows.iter());
        for row in rows {
            let cell = |i: Option<usize>| i.and_then(|i| row.get(i)).map(|c| clean(c)).unwrap_or_default();
            let name = cell(n);
            if name.is_empty() {
                continue;
            }
            out.push(Participant { name, institution: Some(cell(i)), role: Some(cell(r)), group });
        }
    }
    out
}

/// Splits on `,`/`;` outside parentheses.
fn split_top(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut cur = String::new();
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        if (c == ',' || c == ';') && depth <= 0 {
            out.push(clean(&cur));
            cur.clear();
        } else {
            cur.push(c);
        }
    }
    out.push(clean(&cur));
    out.retain(|p| !p.is_empty());
    out
}

/// Splits `A og B` outside parentheses.
fn split_og(s: &str) -> Vec<String> {
    let mut depth = 0i32;
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    for &(i, c) in &chars {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        if depth == 0 && s[i..].starts_with(" og ") {
            let (a, b) = (clean(&s[..i]), clean(&s[i + 4..]));
            let mut out = vec![a];
            out.extend(split_og(&b));
            return out;
        }
    }
    vec![clean(s)]
}

/// The text before a trailing `(...)` and what the parentheses hold.
fn split_paren(s: &str) -> (String, Option<String>) {
    let s = s.trim();
    if s.ends_with(')') {
        if let Some(open) = s.find('(') {
            return (clean(&s[..open]), Some(clean(&s[open + 1..s.len() - 1])));
        }
    }
    (clean(s), None)
}

/// A word that names an organisation or unit.
fn unit_word(w: &str) -> bool {
    let w = w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
    v::UNIT_STEMS.iter().any(|s| w == *s || s.chars().count() >= 5 && w.contains(s))
}

/// A person's name: two to five capitalised words (initials and name particles
/// allowed), no digits, no unit word.
fn is_person_name(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    let particles = ["van", "von", "de", "da", "di", "af", "le", "la", "du", "der", "den"];
    (2..=5).contains(&words.len())
        && s.chars().count() <= 50
        && words.iter().all(|w| {
            let first_upper = w.chars().next().is_some_and(char::is_uppercase);
            (first_upper || particles.contains(w)) && w.chars().all(|c| c.is_alphabetic() || "-.'’".contains(c))
        })
        && !words.iter().any(|w| unit_word(w))
}

/// A participant from a name piece with an optional `(role)`.
fn person(piece: &str, group: ParticipantGroup) -> Participant {
    let (name, paren) = split_paren(piece);
    let mut p = Participant { name, institution: None, role: None, group };
    if let Some(inner) = paren {
        // `Kari Nordmann (Sykehuset Innlandet)`: a unit in parentheses is the institution.
        if inner.split_whitespace().any(unit_word) && !inner.contains(',') {
            p.institution = Some(inner);
        } else {
            p.role = Some(inner);
        }
    }
    p
}

/// People of one label section: a comma list (`A (leder), B, C`), or one person
/// per line (`Name, unit (role)`), `A og B, Unit` being two people of one unit.
fn parse_entries(entries: &[String], group: ParticipantGroup) -> Vec<Participant> {
    let Some(first) = entries.first() else {
        return vec![];
    };
    let names_in = |s: &str| split_top(s).iter().flat_map(|p| split_og(p)).filter(|p| is_person_name(&split_paren(p).0)).count();
    let mut out: Vec<Participant> = Vec::new();
    if names_in(first) >= 2 && entries.len() == 1 || names_in(first) >= 2 && split_top(first).len() >= 3 {
        // A comma list, wrapped over lines.
        let joined = clean(&entries.join(" "));
        let mut run_start = 0;
        let mut last_was_unit = false;
        for piece in split_top(&joined) {
            let parts = split_og(&piece);
            let parts = if parts.len() > 1 && parts[1..].iter().all(|p| is_person_name(&split_paren(p).0)) { parts } else { vec![piece.clone()] };
            for part in parts {
                let (core, paren) = split_paren(&part);
                if is_person_name(&core) || out.is_empty() {
                    if last_was_unit {
                        run_start = out.len();
                    }
                    out.push(person(&part, group));
                    last_was_unit = false;
                } else {
                    let len = out.len();
                    for p in &mut out[run_start.min(len)..] {
                        p.institution = Some(match (&p.institution, last_was_unit) {
                            (Some(i), true) => format!("{i}, {core}"),
                            _ => core.clone(),
                        });
                    }
                    if let (Some(r), Some(p)) = (paren, out.last_mut()) {
                        p.role.get_or_insert(r);
                    }
                    last_was_unit = true;
                }
            }
        }
        return out;
    }
    for entry in entries {
        // `Kari Hansen – Helse Vest`: a dash between a name and its unit, without a comma.
        let entry = match entry.split_once(" – ").or_else(|| entry.split_once(" - ")) {
            Some((a, b)) if !entry.contains(',') && is_person_name(&split_paren(a).0) => {
                format!("{a}, {b}")
            }
            _ => entry.clone(),
        };
        let pieces = split_top(&entry);
        let Some(head) = pieces.first() else { continue };
        let names = split_og(head);
        let names = if names.len() > 1 && names.iter().all(|n| is_person_name(&split_paren(n).0)) { names } else { vec![head.clone()] };
        let rest = pieces[1..].join(", ");
        let (unit, role) = split_paren(&rest);
        for n in names {
            let mut p = person(&n, group);
            if !unit.is_empty() {
                p.institution = Some(unit.clone());
            }
            if let Some(r) = &role {
                p.role.get_or_insert(r.clone());
            }
            out.push(p);
        }
    }
    out
}

/// Participants from label sections in the head: `Til stede: A, B`, a label on a line of
/// its own with one person per line under it, text columns `Navn  Institusjon  Rolle`.
fn label_participants(layout: &LayoutDocument, from: usize, head_end: usize, furniture: &HashSet<usize>) -> Vec<Participant> {
    let mut out = Vec::new();
    let mut i = from;
    while i < head_end {
        let Some(l) = line_at(layout, i) else {
            i += 1;
            continue;
        };
        let Some((label, rest)) = split_label(&l.text) else {
            i += 1;
            continue;
        };
        let alone = rest.is_empty();
        let has_colon = l.text.trim_end().ends_with(':') || l.text.contains(':') || l.text.contains('\t');
        let group = v::participant_group(&label)
            .filter(|_| has_colon || alone && !label.eq_ignore_ascii_case("referat") || l.text.contains("   "))
            .or_else(|| (has_colon && label.split_whitespace().count() >= 2).then(|| v::group_of_title(&label)).flatten());
        let Some(group) = group else {
            i += 1;
            continue;
        };
        // Content: the rest of the label line and the lines under it, up to a blank line,
        // another label, a heading or a table.
        let mut rows: Vec<(String, String)> = Vec::new(); // (raw, cleaned)
        if !rest.is_empty() {
            let raw = l.text.trim();
            let raw_rest = raw.find([':', '\t']).map(|k| &raw[k + 1..]).or_else(|| raw.find("   ").map(|k| &raw[k..])).unwrap_or("");
            rows.push((raw_rest.trim_start_matches([':', '\t', ' ']).to_string(), rest.clone()));
        }
        let mut j = i + 1;
        while j < head_end {
            if furniture.contains(&j) {
                j += 1;
                continue;
            }
            let Some(n) = line_at(layout, j) else { break };
            let t = text_of(n);
            let gap = n.space_before >= 1.0 && !(rows.is_empty() && alone);
            let labelled = split_label(&n.text).is_some_and(|(lab, r)| {
                v::participant_group(&lab).is_some() && (n.text.contains(':') || r.is_empty()) || (!r.is_empty() && n.text.contains(':') && !lab.contains(','))
            });
            let sentence = t.ends_with('.') && t.split_whitespace().count() > 8;
            if gap || labelled || n.heading.is_some() || sentence || t.is_empty() || v::decision_label().is_match(&t) {
                break;
            }
            rows.push((strip_bullet(&n.text).unwrap_or(&n.text).trim().to_string(), t));
            j += 1;
        }
        // Text columns (`Navn   Institusjon   Rolle`): one person per row.
        let columns: Vec<Vec<String>> = rows.iter().map(|(raw, _)| raw.split("   ").map(clean).filter(|c| !c.is_empty()).collect()).collect();
        if !rows.is_empty() && columns.iter().all(|c| c.len() >= 2) && rows.len() >= 2
            || columns.first().is_some_and(|c| c.len() >= 2 && c.iter().all(|h| v::participant_column(h).is_some()))
        {
            let mut map: Vec<Option<&str>> = vec![Some("name"), Some("institution"), Some("role")];
            for (k, cells) in columns.iter().enumerate() {
                if k == 0 && cells.iter().all(|h| v::participant_column(h).is_some()) {
                    map = cells.iter().map(|h| v::participant_column(h)).collect();
                    continue;
                }
                let get = |field: &str| map.iter().position(|m| *m == Some(field)).and_then(|p| cells.get(p)).cloned();
                if let Some(name) = get("name") {
                    out.push(Participant {
                        name,
                        institution: Some(get("institution").unwrap_or_default()),
                        role: Some(get("role").unwrap_or_default()),
                        group,
                    });
                }
            }
        } else {
            // Join lines that continue the one before (a wrapped list or unit).
            let mut entries: Vec<String> = Vec::new();
            for (_, t) in &rows {
                let wraps = t.starts_with(|c: char| c.is_lowercase() || c == '(')
                    || entries.last().is_some_and(|p: &String| !p.ends_with([',', ')']) && split_top(p).len() >= 3 && !t.contains(", ") || p.ends_with(','));
                match entries.last_mut() {
                    Some(p) if wraps => {
                        p.push(' ');
                        p.push_str(t);
                    }
                    _ => entries.push(t.clone()),
                }
            }
            out.extend(parse_entries(&entries, group).into_iter().filter(|p| {
                let l = p.name.to_lowercase();
                !(l.starts_with("ingen") || l == "alle" || l.starts_with("alle ") || l.starts_with("n.n") || !p.name.chars().any(char::is_alphabetic))
            }));
        }
        i = j.max(i + 1);
    }
    out
}

/// Agenda items from their headings and what follows them.
/// Why an agenda heading is an item (for `explain`).
fn heading_reason(layout: &LayoutDocument, agenda: &Agenda, h: &Heading) -> Reason {
    let reason = match h.style {
        Style::Archive => Reason::new("minutes.item_archive").because(format!("archive number {:?}", h.number.as_deref().unwrap_or(""))),
        Style::Numbered => Reason::new("minutes.item_numbered").because(format!(
            "item {} in a run 1, 2, 3 … of numbered heading lines ({} items)",
            h.number.as_deref().unwrap_or(""),
            agenda.headings.iter().filter(|x| x.style == Style::Numbered).count()
        )),
        Style::Unnumbered => Reason::new("minutes.item_unnumbered").because(format!("{:?} is an item word (vocabulary: UNNUMBERED_ITEMS)", h.title)),
    };
    let reason = match line_at(layout, h.block) {
        Some(l) => reason.at(l),
        None => reason,
    };
    if agenda.listed_first {
        reason.because("the items were listed before: each item is taken where it is printed last")
    } else {
        reason
    }
}

/// Agenda items and their sections, with the reasons that made them (for `explain`).
#[derive(Default)]
struct ItemsRead {
    items: Vec<AgendaItem>,
    sections: Vec<Section>,
    warnings: Vec<Warning>,
    /// One per item.
    item_reasons: Vec<Reason>,
    /// Section id → reason.
    section_reasons: Vec<(String, Reason)>,
}

/// The items of the agenda with their sections, warnings, and one reason per item.
fn agenda_items(layout: &LayoutDocument, agenda: &Agenda) -> ItemsRead {
    let formatting = has_formatting(layout);
    let mut reasons = Vec::new();
    let mut section_reasons = Vec::new();
    let mut items = Vec::new();
    let mut sections: Vec<Section> = Vec::new();
    let mut warnings = Vec::new();
    let part_blocks: HashSet<usize> = agenda.parts.iter().map(|p| p.0).collect();
    let mut part_index = 0;
    for (k, h) in agenda.headings.iter().enumerate() {
        // Roman parts before this heading open a new level-1 section.
        while part_index < agenda.parts.len() && agenda.parts[part_index].0 < h.block {
            let (block, number, title) = &agenda.parts[part_index];
            let part_reason = Reason::new("minutes.part").because(format!("roman number {number} on a heading line"));
            let part_reason = match line_at(layout, *block) {
                Some(l) => part_reason.at(l),
                None => part_reason,
            };
            section_reasons.push((number.clone(), part_reason));
            sections.push(Section {
                id: number.clone(),
                number: Some(number.clone()),
                title: title.clone(),
                level: 1,
                text: String::new(),
                objectives: vec![],
                sections: vec![],
            });
            part_index += 1;
        }
        let stop = agenda.headings.get(k + 1).map_or(agenda.end, |n| n.block).min(agenda.end.max(h.block + h.span));
        let mut kind = h.kind.clone();
        let mut text_lines: Vec<Line> = Vec::new();
        let mut decision: Vec<Line> = Vec::new();
        let mut in_decision = false;
        let mut proposal = false;
        // The decision's lines as printed, label included.
        let mut printed: Vec<Line> = Vec::new();
        let mut pages: Vec<u32> = line_at(layout, h.block).and_then(|l| l.page).into_iter().collect();
        for i in h.block + h.span..stop {
            if agenda.furniture.contains(&i) || part_blocks.contains(&i) {
                continue;
            }
            let Some(line) = line_at(layout, i) else {
                continue;
            };
            if let Some(p) = line.page {
                if !pages.contains(&p) {
                    pages.push(p);
                }
            }
            let t = clean(&line.text);
            if kind.is_none() && text_lines.is_empty() && !in_decision {
                if let Some(k) = item_kind(&t) {
                    kind = Some(k);
                    continue;
                }
            }
            if let Some(c) = v::decision_label().captures(&t) {
                let label = c[1].to_lowercase();
                let is_proposal = ["forslag", "framlegg", "innstilling til", "tilråding til"].iter().any(|p| label.starts_with(p));
                if in_decision && proposal && !is_proposal {
                    // A proposal followed by the decision: the proposal stays in the text, as printed.
                    text_lines.append(&mut printed);
                    decision.clear();
                }
                printed = vec![line.clone()];
                in_decision = true;
                proposal = is_proposal;
                if let Some(rest) = c.get(2).map(|m| m.as_str().trim()).filter(|r| !r.is_empty()) {
                    let mut l = line.clone();
                    l.text = rest.to_string();
                    decision.push(l);
                }
                continue;
            }
            if in_decision {
                decision.push(line.clone());
                printed.push(line.clone());
            } else {
                text_lines.push(line.clone());
            }
        }
        // A bold paragraph without a label is the decision where the layout marks bold.
        if decision.is_empty() && formatting {
            let end = text_lines.len();
            let mut start = end;
            while start > 0 && text_lines[start - 1].bold && text_lines[start - 1].heading.is_none() {
                start -= 1;
            }
            let joined = clean(&text_lines[start..end].iter().map(|l| l.text.as_str()).collect::<Vec<_>>().join(" "));
            if start < end && joined.ends_with('.') && joined.split_whitespace().count() >= 3 {
                decision = text_lines.split_off(start);
            }
        }
        // Plain text has no bold: one short sentence with a decision verb is a guess.
        if decision.is_empty() && !formatting && !text_lines.is_empty() && text_lines.len() <= 3 {
            let one_paragraph = text_lines.iter().skip(1).all(|l| l.space_before < 1.0) && text_lines.iter().all(|l| !l.bullet);
            let joined = clean(&text_lines.iter().map(|l| l.text.as_str()).collect::<Vec<_>>().join(" "));
            let one_sentence = joined.ends_with('.') && !joined[..joined.len() - 1].contains(". ");
            let lower = joined.to_lowercase();
            if one_paragraph && one_sentence && v::DECISION_VERBS.iter().any(|w| lower.contains(w)) {
                warnings.push(Warning::new(
                    "decision_guess",
                    format!("item {}: the only sentence of its text read as an unlabelled decision: {joined}", h.number.as_deref().unwrap_or(&h.title)),
                    line_at(layout, h.block).and_then(|l| l.page),
                ));
                decision = std::mem::take(&mut text_lines);
            }
        }
        let text = body_text(&text_lines);
        let decision = {
            let texts: Vec<String> = decision.iter().map(text_of).filter(|t| !t.is_empty()).collect();
            let s = join_lines(&texts, &[]);
            let s = s.trim_matches(|c: char| matches!(c, '*' | '"' | '«' | '»' | '“' | '”' | '_')).trim().to_string();
            (!s.is_empty()).then_some(s)
        };
        let mut section_text = Vec::new();
        if let Some(k) = &kind {
            section_text.push(k.clone());
        }
        if !text.is_empty() {
            section_text.push(text.replace('\n', " "));
        }
        if let Some(dec) = &decision {
            section_text.push(format!("Vedtak: {dec}"));
        }
        let section = Section {
            id: h.number.clone().unwrap_or_else(|| slug(&h.title)),
            number: h.number.clone(),
            title: h.title.clone(),
            level: 2,
            text: clean(&section_text.join(" ")),
            objectives: vec![],
            sections: vec![],
        };
        let reason = heading_reason(layout, agenda, h);
        section_reasons.push((section.id.clone(), reason.clone()));
        reasons.push(reason);
        match sections.last_mut() {
            Some(part) if part_index > 0 && part.number.as_deref() == agenda.parts.get(part_index - 1).map(|p| p.1.as_str()) => part.sections.push(section),
            _ => sections.push(section),
        }
        items.push(AgendaItem { number: h.number.clone().unwrap_or_default(), title: h.title.clone(), kind, text, decision, pages });
    }
    ItemsRead { items, sections, warnings, item_reasons: reasons, section_reasons }
}

/// A bare agenda number in a `Sak` column: `12/24`, `3-2024`.
fn bare_number_re() -> &'static regex::Regex {
    static R: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    R.get_or_init(|| {
        regex::Regex::new(r"^(?:(?i:sak)\s*(?:(?i:nr)\.?)?\s*)?([0-9]{1,3}\s*[/-]\s*[0-9]{2,4})\b\s*[:.\-–]?\s*(.*)$")
            .expect("literal pattern (tested in minutes tests)")
    })
}

/// A decision keyword with its colon inside a line.
fn inline_decision_re() -> &'static regex::Regex {
    static R: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    R.get_or_init(|| {
        regex::Regex::new(r"\b(?:(?i:forslag\s+til\s+vedtak)|Vedtak|Konklusjon|Beslutning)\s*:").expect("literal pattern (tested in minutes tests)")
    })
}

/// A `12/24` alone in a table's first cell (a `Sak` column).
pub fn is_bare_agenda_number(t: &str) -> bool {
    let t = t.trim();
    t.len() <= 9 && bare_number_re().is_match(t) && t.contains(['/', '-'])
}

/// The agenda number of a `Sak 33/25 ...` line (any archive numbering style).
pub fn agenda_number(t: &str) -> Option<String> {
    archive_heading(t.trim()).map(|(n, _, _)| n)
}

/// Agenda items printed as table rows (`Sak | Merknad | Ansvar`, or with
/// the decision in its own column `Vedtak`/`Beslutning`/`Konklusjon`).
fn table_agenda_items(layout: &LayoutDocument) -> (Vec<AgendaItem>, Vec<Section>, Vec<Reason>) {
    let mut items = Vec::new();
    let mut sections = Vec::new();
    let mut reasons = Vec::new();
    for block in &layout.blocks {
        let Block::Table(t) = block else { continue };
        let Some(header) = t.rows.iter().find(|r| {
            r.cells.first().is_some_and(|c| {
                let h = clean(&c.text()).to_lowercase();
                h.starts_with("sak") || h == "nr" || h == "nr."
            })
        }) else {
            continue;
        };
        let names: Vec<String> = header.cells.iter().map(|c| clean(&c.text()).to_lowercase()).collect();
        let decision_col = names.iter().position(|n| n.starts_with("vedtak") || n.starts_with("beslutning") || n.starts_with("konklusjon"));
        let title_col = names.iter().position(|n| n.contains("tittel") || n.contains("tema") || n.contains("sakstittel"));
        for row in &t.rows {
            if std::ptr::eq(row, header) {
                continue;
            }
            let Some(first) = row.cells.first() else {
                continue;
            };
            let first_text = clean(&first.text());
            let Some(c) = bare_number_re().captures(&first_text) else {
                continue;
            };
            let number: String = c[1].split_whitespace().collect();
            let rest_of_first = clean(c.get(2).map_or("", |m| m.as_str()));
            let mut title = rest_of_first.clone();
            let mut body_lines: Vec<Line> = Vec::new();
            let mut decision: Option<String> = None;
            for (i, cell) in row.cells.iter().enumerate().skip(1) {
                if Some(i) == decision_col {
                    let d = clean(&cell.text());
                    decision = (!d.is_empty()).then_some(d);
                } else if Some(i) == title_col || (title.is_empty() && title_col.is_none() && i == 1) {
                    let mut lines = cell.lines.iter();
                    if title.is_empty() {
                        title = lines.next().map(|l| clean(&l.text)).unwrap_or_default();
                    }
                    body_lines.extend(lines.cloned());
                } else if names.get(i).is_some_and(|n| n.starts_with("ansvar")) {
                    continue;
                } else {
                    body_lines.extend(cell.lines.iter().cloned());
                }
            }
            // A `Vedtak:` inside the body is the decision when no column holds it.
            let mut text_lines = Vec::new();
            let mut in_decision = false;
            let mut dec_lines: Vec<String> = Vec::new();
            for mut l in body_lines {
                let mut t = clean(&l.text);
                // `... gjennomgått. Vedtak: Referatet godkjennes.` on one line.
                if let Some(m) = inline_decision_re().find(&t) {
                    if m.start() > 0 {
                        let (before, after) = t.split_at(m.start());
                        let mut b = l.clone();
                        b.text = before.trim().to_string();
                        text_lines.push(b);
                        t = after.trim().to_string();
                        l.text = t.clone();
                    }
                }
                if let Some(c) = v::decision_label().captures(&t).filter(|_| t.contains(':')) {
                    in_decision = true;
                    dec_lines.push(c.get(2).map_or("", |m| m.as_str()).to_string());
                } else if in_decision {
                    dec_lines.push(t);
                } else {
                    text_lines.push(l);
                }
            }
            if decision.is_none() && !dec_lines.is_empty() {
                let d = join_lines(&dec_lines, &[]);
                decision = (!d.is_empty()).then_some(d);
            }
            let decision = decision.map(|d| d.trim_matches(|c: char| matches!(c, '*' | '"' | '«' | '»' | '“' | '”' | '_')).trim().to_string());
            let text = body_text(&text_lines);
            sections.push(Section {
                id: number.clone(),
                number: Some(number.clone()),
                title: title.clone(),
                level: 2,
                text: clean(&text),
                objectives: vec![],
                sections: vec![],
            });
            let reason = Reason::new("minutes.item_table")
                .because(format!("number {number:?} in the first column of a table headed {:?}", names.join(" | ")))
                .because(match decision_col {
                    Some(i) => format!("decision from the column {:?}", names[i]),
                    None => "decision from a Vedtak: label in the row".to_string(),
                });
            let reason = match first.lines.first() {
                Some(l) => reason.at(l),
                None => reason,
            };
            reasons.push(reason);
            items.push(AgendaItem { number, title, kind: None, text, decision, pages: row.pages.clone() });
        }
    }
    (items, sections, reasons)
}

/// An item's body: paragraphs and bullet lines, one per output line,
/// bullets as `- `.
fn body_text(lines: &[Line]) -> String {
    let mut paras: Vec<(bool, Vec<&str>)> = Vec::new();
    for l in lines {
        let t = l.text.trim();
        if t.is_empty() {
            continue;
        }
        let bullet = strip_bullet(t);
        let starts_new = bullet.is_some()
            || l.bullet
            || l.bbox.is_none()
            || l.space_before >= 0.5
            || paras.last().is_none_or(|(_, p)| p.last().is_some_and(|x| x.trim_end().ends_with(':')));
        if starts_new {
            paras.push((bullet.is_some() || l.bullet, vec![bullet.unwrap_or(t)]));
        } else if let Some(p) = paras.last_mut() {
            p.1.push(t);
        }
    }
    paras
        .iter()
        .map(|(bullet, p)| {
            let text = join_lines(p, &[]);
            if *bullet {
                format!("- {text}")
            } else {
                text
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(ps: &[Participant]) -> Vec<(String, String, String)> {
        ps.iter().map(|p| (p.name.clone(), p.institution.clone().unwrap_or_default(), p.role.clone().unwrap_or_default())).collect()
    }

    #[test]
    fn comma_lists_one_per_line_and_two_people_of_one_unit() {
        let g = ParticipantGroup::Members;
        let list = parse_entries(&["Anne Kristin Berg (styreleder), Tor Erik Haugen, Jon Are Dahl".into()], g);
        assert_eq!(names(&list)[0], ("Anne Kristin Berg".into(), "".into(), "styreleder".into()));
        assert_eq!(list.len(), 3);
        let two = parse_entries(&["Eirik Fossum, Helse Nordvest RHF og Maren Lie, Universitetet i Nordvik".into()], g);
        assert_eq!(
            names(&two),
            vec![("Eirik Fossum".into(), "Helse Nordvest RHF".into(), "".into()), ("Maren Lie".into(), "Universitetet i Nordvik".into(), "".into())]
        );
        let og = parse_entries(&["Jorunn Myrvang og Arne Sandvik, Forskingsseksjonen".into()], g);
        assert_eq!(og.len(), 2);
        assert!(og.iter().all(|p| p.institution.as_deref() == Some("Forskingsseksjonen")));
        let lines = parse_entries(&["Ragnar Thue, Forskningsstøtte, Fagavdelingen".into(), "Nora Lindahl, Ortopedisk avdeling (representant)".into()], g);
        assert_eq!(names(&lines)[0].1, "Forskningsstøtte, Fagavdelingen");
        assert_eq!(names(&lines)[1], ("Nora Lindahl".into(), "Ortopedisk avdeling".into(), "representant".into()));
    }

    #[test]
    fn archive_numbers_in_every_style() {
        assert_eq!(agenda_number("Sak 14-2025 Godkjenning"), Some("14-2025".into()));
        assert_eq!(agenda_number("FU 7/25 Godkjenning"), Some("FU 7/25".into()));
        assert_eq!(agenda_number("Saksnr. 2025/412 Godkjenning"), Some("2025/412".into()));
        assert_eq!(agenda_number("18/25 Godkjenning"), Some("18/25".into()));
        assert_eq!(agenda_number("Sak 3: Budsjett"), Some("3".into()));
        assert_eq!(agenda_number("Sak 5 ble utsatt"), None);
        assert_eq!(agenda_number("2024-2025 ble et godt år"), None);
    }
}
