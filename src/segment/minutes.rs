//! Meeting minutes: body, date, time, place, participants, agenda items and
//! decisions. Participant lists come from the tables under headings that
//! name a group (`Faste medlemmer`, `Inviterte`, `Forfall`, `Sekretariat`)
//! or from `Tilstede:`/`Forfall:`/`Referent:` comma lists.

use regex::Regex;
use std::sync::OnceLock;

use super::structure::Structure;
use crate::layout::{Block, LayoutDocument, Line};
use crate::model::{AgendaItem, Meeting, Participant, ParticipantGroup, Section};
use crate::text::{clean, join_lines, strip_bullet};

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).unwrap_or_else(|_| Regex::new("$^").expect("trivial regex")))
}

/// `Sak 33/25 Title`, `Sak nr. 1/07: Title`, `Sak 12-2024`, `O-sak 03/14`, `Sak 5/24 (B)`.
fn agenda_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, r"^(?:[A-ZÆØÅ]-)?(?i:sak)(?:\s+(?i:nr)\.?)?\s+(\d{1,3}\s*[/-]\s*\d{2,4})(?:\s*\(([A-Za-z])\))?\s*[:.\-–]?\s*(.*)$")
}

/// `Vedtak:`, `Forslag til vedtak:`, `Konklusjon:`, `Beslutning:`.
fn decision_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, r"^(?i:(?:forslag\s+til\s+)?vedtak|konklusjon|beslutning|innstilling)\s*:?\s*(.*)$")
}

fn date_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, r"\b(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{2,4})\b|\b(\d{4})-(\d{2})-(\d{2})\b|\b(\d{1,2})\.\s*(januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|desember)\s+(\d{4})")
}

fn time_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, r"(\d{1,2})[:.](\d{2})\s*(?:[-–—]|til)\s*(?:kl\.?\s*)?(\d{1,2})[:.](\d{2})")
}

/// The agenda number of a `Sak 33/25 ...` line.
pub fn agenda_number(t: &str) -> Option<String> {
    agenda_re().captures(t.trim()).map(|c| c[1].split_whitespace().collect())
}

/// Item kinds printed on their own line (or as a letter after the number).
fn item_kind(t: &str) -> Option<String> {
    let t = t.trim().trim_end_matches(['.', ':']);
    let l = t.to_lowercase();
    let kinds = ["diskusjonssak", "beslutningssak", "orienteringssak", "vedtakssak", "drøftingssak", "drøftingsak", "informasjonssak"];
    kinds.contains(&l.as_str()).then(|| t.to_string())
}

fn kind_from_letter(letter: &str) -> Option<String> {
    match letter.to_uppercase().as_str() {
        "B" | "V" => Some("Beslutningssak".into()),
        "O" | "I" => Some("Orienteringssak".into()),
        "D" => Some("Diskusjonssak".into()),
        _ => None,
    }
}

fn group_of(title: &str) -> Option<ParticipantGroup> {
    let l = title.to_lowercase();
    if l.contains("forfall") || l.contains("fravær") || l.contains("ikke til stede") || l.contains("meldt forfall") {
        Some(ParticipantGroup::Absent)
    } else if l.contains("sekretariat") || l.contains("referent") {
        Some(ParticipantGroup::Secretariat)
    } else if l.contains("invitert") || l.contains("gjest") || l.contains("observatør") && !l.contains("medlem") {
        Some(ParticipantGroup::Invited)
    } else if l.contains("medlem") || l.contains("tilstede") || l.contains("til stede") || l.contains("deltakere") || l.contains("møtende") {
        Some(ParticipantGroup::Members)
    } else {
        None
    }
}

/// Index of the first line block that starts an agenda item.
pub fn first_agenda_block(layout: &LayoutDocument) -> Option<usize> {
    layout.blocks.iter().position(|b| matches!(b, Block::Line(l) if agenda_number(&clean(&l.text)).is_some()))
}

/// Builds the meeting and adds the agenda items to the section tree.
pub fn meeting(layout: &LayoutDocument, lines: &[&Line], title: Option<&str>, structure: &mut Structure) -> Meeting {
    let body = title.and_then(|t| {
        let l = t.to_lowercase();
        ["referat", "protokoll", "møtereferat"].iter().find(|w| l.starts_with(*w)).map(|w| {
            clean(t[w.len()..].trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '–' | '-' | ':' | '—')))
        })
    });
    let mut m = Meeting { body, ..Meeting::default() };
    let head: Vec<String> = lines.iter().take(40).map(|l| clean(&l.text)).collect();
    for t in &head {
        let l = t.to_lowercase();
        if m.date.is_none() && (l.starts_with("dato") || l.starts_with("møtedato") || l.starts_with("tid og sted") || l.starts_with("tidspunkt")) {
            m.date = parse_date(t);
        }
        if m.start.is_none() {
            if let Some(c) = time_re().captures(t) {
                m.start = Some(format!("{:0>2}:{}", &c[1], &c[2]));
                m.end = Some(format!("{:0>2}:{}", &c[3], &c[4]));
            }
        }
        if m.place.is_none() {
            if let Some(rest) = ["sted:", "møtested:", "sted "].iter().find_map(|p| l.starts_with(p).then(|| t[p.len()..].trim().to_string())) {
                m.place = Some(clean(rest.trim_start_matches(':')));
            }
        }
    }
    if m.date.is_none() {
        m.date = head.iter().find_map(|t| parse_date(t));
    }
    m.participants = participants(structure, &head);
    let (mut items, mut sections) = agenda_items(layout);
    let (table_items, table_sections) = table_agenda_items(layout);
    items.extend(table_items);
    sections.extend(table_sections);
    m.items = items;
    if !sections.is_empty() {
        match structure.sections.iter_mut().rev().find(|s| s.title.to_lowercase().starts_with("agenda") || s.title.to_lowercase().starts_with("saksliste")) {
            Some(agenda) => agenda.sections.extend(sections),
            None => structure.sections.extend(sections.into_iter().map(|mut s| {
                s.level = 1;
                s
            })),
        }
    }
    m
}

fn parse_date(t: &str) -> Option<String> {
    let c = date_re().captures(t)?;
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
    let n = months.iter().position(|m| *m == mo.as_str())? + 1;
    Some(format!("{}-{n:02}-{:0>2}", y.as_str(), d.as_str()))
}

fn participants(structure: &Structure, head: &[String]) -> Vec<Participant> {
    let mut out = Vec::new();
    for t in &structure.tables {
        let Some(group) = t.title.as_deref().and_then(group_of) else { continue };
        // An agenda table under a `Referent:` line is not a participant list.
        let agenda = t.header.first().is_some_and(|h| clean(h).to_lowercase().starts_with("sak"))
            || t.rows.iter().any(|r| r.first().is_some_and(|c| agenda_number(&clean(c)).is_some()));
        if agenda {
            continue;
        }
        for row in &t.rows {
            let cell = |i: usize| row.get(i).map(|c| clean(c)).unwrap_or_default();
            let name = cell(0);
            if name.is_empty() {
                continue;
            }
            out.push(Participant { name, institution: Some(cell(1)), role: Some(cell(2)), group });
        }
    }
    // `Tilstede: A, B, C` lists.
    for t in head {
        if let Some((key, rest)) = t.split_once(':') {
            let Some(group) = group_of(key) else { continue };
            if key.split_whitespace().count() > 3 {
                continue;
            }
            for name in rest.split([',', ';']).map(clean).filter(|n| !n.is_empty()) {
                let (name, institution) = match name.split_once('(') {
                    Some((n, i)) => (clean(n), Some(clean(i.trim_end_matches(')')))),
                    None => (name, None),
                };
                out.push(Participant { name, institution, role: None, group });
            }
        }
    }
    out
}

/// Agenda items from `Sak N` lines and what follows them.
fn agenda_items(layout: &LayoutDocument) -> (Vec<AgendaItem>, Vec<Section>) {
    struct Draft {
        number: String,
        title: String,
        kind: Option<String>,
        body: Vec<Line>,
        decision: Vec<Line>,
        in_decision: bool,
        pages: Vec<u32>,
    }
    let mut drafts: Vec<Draft> = Vec::new();
    for block in &layout.blocks {
        let Block::Line(line) = block else { continue };
        let t = clean(&line.text);
        if let Some(c) = agenda_re().captures(&t) {
            drafts.push(Draft {
                number: c[1].split_whitespace().collect(),
                title: clean(c.get(3).map_or("", |m| m.as_str())),
                kind: c.get(2).and_then(|m| kind_from_letter(m.as_str())),
                body: vec![],
                decision: vec![],
                in_decision: false,
                pages: line.page.into_iter().collect(),
            });
            continue;
        }
        let Some(d) = drafts.last_mut() else { continue };
        if let Some(p) = line.page {
            if !d.pages.contains(&p) {
                d.pages.push(p);
            }
        }
        if d.body.is_empty() && d.decision.is_empty() && d.kind.is_none() {
            if let Some(k) = item_kind(&t) {
                d.kind = Some(k);
                continue;
            }
        }
        if let Some(c) = decision_re().captures(&t) {
            let rest = c.get(1).map_or("", |m| m.as_str());
            if t.contains(':') || rest.is_empty() {
                d.in_decision = true;
                if !rest.is_empty() {
                    let mut l = line.clone();
                    l.text = rest.to_string();
                    d.decision.push(l);
                }
                continue;
            }
        }
        if d.in_decision {
            d.decision.push(line.clone());
        } else {
            d.body.push(line.clone());
        }
    }
    let mut items = Vec::new();
    let mut sections = Vec::new();
    for d in drafts {
        let text = body_text(&d.body);
        let decision = {
            let texts: Vec<&str> = d.decision.iter().map(|l| l.text.as_str()).collect();
            let s = join_lines(&texts, &[]);
            let s = s.trim_matches(|c: char| matches!(c, '*' | '"' | '«' | '»' | '“' | '”' | '_')).trim().to_string();
            (!s.is_empty()).then_some(s)
        };
        let mut section_text = Vec::new();
        if let Some(k) = &d.kind {
            section_text.push(k.clone());
        }
        if !text.is_empty() {
            section_text.push(text.replace('\n', " "));
        }
        if let Some(dec) = &decision {
            section_text.push(format!("Vedtak: {dec}"));
        }
        sections.push(Section {
            id: d.number.clone(),
            number: Some(d.number.clone()),
            title: d.title.clone(),
            level: 2,
            text: clean(&section_text.join(" ")),
            objectives: vec![],
            sections: vec![],
        });
        items.push(AgendaItem { number: d.number, title: d.title, kind: d.kind, text, decision, pages: d.pages });
    }
    (items, sections)
}

/// A bare agenda number in a `Sak` column: `12/24`, `3-2024`.
fn bare_number_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, r"^(?:(?i:sak)\s*(?:(?i:nr)\.?)?\s*)?(\d{1,3}\s*[/-]\s*\d{2,4})\b\s*[:.\-–]?\s*(.*)$")
}

/// A decision keyword with its colon inside a line.
fn inline_decision_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, r"\b(?:(?i:forslag\s+til\s+vedtak)|Vedtak|Konklusjon|Beslutning)\s*:")
}

/// A `12/24` alone in a table's first cell (a `Sak` column).
pub fn is_bare_agenda_number(t: &str) -> bool {
    let t = t.trim();
    t.len() <= 9 && bare_number_re().is_match(t) && t.contains(['/', '-'])
}

/// Agenda items printed as table rows (`Sak | Merknad | Ansvar`, or with
/// the decision in its own column `Vedtak`/`Beslutning`/`Konklusjon`).
fn table_agenda_items(layout: &LayoutDocument) -> (Vec<AgendaItem>, Vec<Section>) {
    let mut items = Vec::new();
    let mut sections = Vec::new();
    for block in &layout.blocks {
        let Block::Table(t) = block else { continue };
        let Some(header) = t.rows.iter().find(|r| r.cells.first().is_some_and(|c| {
            let h = clean(&c.text()).to_lowercase();
            h.starts_with("sak") || h == "nr" || h == "nr."
        })) else {
            continue;
        };
        let names: Vec<String> = header.cells.iter().map(|c| clean(&c.text()).to_lowercase()).collect();
        let decision_col = names.iter().position(|n| n.starts_with("vedtak") || n.starts_with("beslutning") || n.starts_with("konklusjon"));
        let title_col = names.iter().position(|n| n.contains("tittel") || n.contains("tema") || n.contains("sakstittel"));
        for row in &t.rows {
            if std::ptr::eq(row, header) {
                continue;
            }
            let Some(first) = row.cells.first() else { continue };
            let first_text = clean(&first.text());
            let Some(c) = bare_number_re().captures(&first_text) else { continue };
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
                if let Some(c) = decision_re().captures(&t).filter(|_| t.contains(':')) {
                    in_decision = true;
                    dec_lines.push(c.get(1).map_or("", |m| m.as_str()).to_string());
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
            sections.push(Section { id: number.clone(), number: Some(number.clone()), title: title.clone(), level: 2, text: clean(&text), objectives: vec![], sections: vec![] });
            items.push(AgendaItem { number, title, kind: None, text, decision, pages: row.pages.clone() });
        }
    }
    (items, sections)
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
            if *bullet { format!("- {text}") } else { text }
        })
        .collect::<Vec<_>>()
        .join("\n")
}
