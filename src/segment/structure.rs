//! The document walker: headings into a section tree, prose and objectives
//! into sections, measure tables (or, in text input, the lines that stand for
//! them) into measures, other tables into [`Table`]s.

use std::collections::HashMap;

use super::explain::{Reason, Trace};
use super::list_forms;
use super::measure::{self, RowDraft};
use super::table_reader::{self, Columns};
use super::vocab;
use crate::layout::{Block, LayoutDocument, Line, Table as LTable, TableOrigin};
use crate::model::{Measure, Objective, Section, Table, Warning};
use crate::text::{clean, join_lines, slug, strip_bullet};

/// What the walker found.
#[derive(Debug, Default)]
pub struct Structure {
    pub sections: Vec<Section>,
    pub measures: Vec<Measure>,
    pub tables: Vec<Table>,
    pub warnings: Vec<Warning>,
    /// Why each section (by id) and each measure (in order) is there.
    pub trace: Trace,
}

/// A heading recognised on one line.
#[derive(Debug, Clone)]
struct Heading {
    number: Option<String>,
    title: String,
    level: u8,
    reason: Reason,
}

#[derive(Debug)]
struct SectionDraft {
    id: String,
    number: Option<String>,
    title: String,
    level: u8,
    text: Vec<Line>,
    objectives: Vec<(Option<String>, Vec<Line>)>,
    parent: Option<usize>,
    /// Opened by a goal row or goal cell inside a measure table.
    table_goal: bool,
    reason: Reason,
}

/// Where text-input lines of a measure row go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RowState {
    Refs,
    Content,
    Indicators,
    Responsible,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Prose,
    Objectives,
    Measures,
}

struct Walker<'a> {
    doc: &'a LayoutDocument,
    sections: Vec<SectionDraft>,
    current: Option<usize>,
    measures: Vec<Measure>,
    tables: Vec<Table>,
    warnings: Vec<Warning>,
    mode: Mode,
    row: RowDraft,
    row_state: RowState,
    /// Unlabelled rows per section, for `section/N` ids.
    row_counts: HashMap<String, usize>,
    /// Columns of the last measure table, for tables continued without a header.
    last_columns: Option<Columns>,
    /// The document reads as an action plan: measure tables give measures.
    plan_like: bool,
    /// Ids of the measures so far (unique ids without a scan per measure).
    measure_ids: std::collections::HashSet<String>,
    /// Ids of the sections so far.
    section_ids: std::collections::HashSet<String>,
    /// Numbered heading candidates that occur again later: the earlier ones are lists or a table of contents.
    superseded: Vec<bool>,
    last_number_objective: Option<String>,
    body_font: f32,
    title_lines: usize,
    last_line_text: String,
    /// The line that opened the current section, while the next line may still continue it.
    last_heading: Option<Line>,
    /// Party names printed on lines of their own (text input), longest first.
    known_parties: Vec<String>,
    /// The document's organization: its name on a cover page is not a heading.
    organization: Option<String>,
    /// Any body line seen yet (the first one may be a heading without blank lines before it).
    seen_body: bool,
    /// The last line added as prose, with nothing after it yet: a caption
    /// that becomes a heading when a table follows.
    last_prose: Option<(Option<usize>, Line, bool)>,
    /// Text input: a repeated table header was seen inside an open row (a page
    /// break); the next line resumes the first column the break cut.
    after_break: bool,
    /// The current row was resumed after a page break.
    resumed: bool,
    /// Lines printed more than once (table column headers in text exports):
    /// never a heading by their capitals alone.
    repeated: std::collections::HashSet<String>,
    /// Why each section and measure is there.
    trace: Trace,
}

/// Walks the layout of a document. `title_lines` leading lines are the
/// document title (not a section).
pub fn walk(doc: &LayoutDocument, title_lines: usize, plan_like: bool, organization: Option<&str>, promote_last_line: bool) -> Structure {
    let lines: Vec<&Line> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Line(l) => Some(l),
            Block::Table(_) => None,
        })
        .collect();
    let body_font = body_font_size(&lines);
    let mut w = Walker {
        doc,
        sections: Vec::new(),
        current: None,
        measures: Vec::new(),
        tables: Vec::new(),
        warnings: Vec::new(),
        mode: Mode::Prose,
        row: RowDraft::default(),
        row_state: RowState::Content,
        row_counts: HashMap::new(),
        last_columns: None,
        plan_like,
        measure_ids: Default::default(),
        section_ids: Default::default(),
        superseded: Vec::new(),
        last_number_objective: None,
        body_font,
        title_lines,
        last_line_text: String::new(),
        last_heading: None,
        known_parties: known_parties(&lines),
        organization: organization.map(str::to_string),
        seen_body: false,
        last_prose: None,
        after_break: false,
        resumed: false,
        repeated: {
            let mut seen: HashMap<String, usize> = HashMap::new();
            for l in &lines {
                *seen.entry(clean(&l.text)).or_default() += 1;
            }
            seen.into_iter().filter(|(_, n)| *n > 1).map(|(t, _)| t).collect()
        },
        trace: Trace::default(),
    };
    w.superseded = w.find_superseded_numbers();
    let claims = if plan_like { list_forms::find(&doc.blocks) } else { Vec::new() };
    let mut claims = claims.into_iter().peekable();
    let mut line_index = 0usize;
    let mut skip_to = 0usize;
    for (bi, block) in doc.blocks.iter().enumerate() {
        if bi < skip_to {
            line_index += usize::from(matches!(block, Block::Line(_)));
            continue;
        }
        if let Some(claim) = claims.next_if(|c| c.start == bi) {
            line_index += usize::from(matches!(block, Block::Line(_)));
            w.finish_row();
            w.mode = Mode::Prose;
            w.last_heading = None;
            w.seen_body = true;
            w.push_measure(&claim.draft);
            skip_to = claim.end;
            continue;
        }
        match block {
            Block::Line(line) => {
                let skip = line_index < w.title_lines;
                let superseded = w.superseded.get(line_index).copied().unwrap_or(false);
                line_index += 1;
                if skip {
                    continue;
                }
                w.line(line, superseded, plan_like);
            }
            Block::Table(t) => {
                w.last_heading = None;
                w.promote_caption();
                w.table(t)
            }
        }
    }
    w.finish_row();
    if promote_last_line {
        w.promote_caption();
    }
    let sections = w.build_sections();
    Structure { sections, measures: w.measures, tables: w.tables, warnings: w.warnings, trace: w.trace }
}

/// Parties printed alone on a line at least twice (text input only).
fn known_parties(lines: &[&Line]) -> Vec<String> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for l in lines.iter().filter(|l| l.bbox.is_none()) {
        let t = clean(&l.text);
        if t.split_whitespace().count() >= 2 && !t.starts_with('(') && vocab::is_party_line(&t) {
            *counts.entry(t).or_default() += 1;
        }
    }
    let mut parties: Vec<String> = counts.into_iter().filter(|(_, n)| *n >= 2).map(|(t, _)| t).collect();
    parties.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    parties
}

/// The most common font size of body lines (0 for text input).
fn body_font_size(lines: &[&Line]) -> f32 {
    let mut counts: HashMap<i32, usize> = HashMap::new();
    for l in lines {
        if l.font_size > 0.0 {
            *counts.entry((l.font_size * 2.0).round() as i32).or_default() += l.text.len();
        }
    }
    counts.into_iter().max_by_key(|(_, n)| *n).map_or(0.0, |(s, _)| s as f32 / 2.0)
}

impl<'a> Walker<'a> {
    /// Marks numbered lines whose number is used again by a later numbered
    /// line: the earlier occurrence is a list (or table of contents), the
    /// later one the heading.
    fn find_superseded_numbers(&self) -> Vec<bool> {
        let mut last_at: HashMap<String, usize> = HashMap::new();
        let mut numbers: Vec<Option<String>> = Vec::new();
        for (i, block) in self.doc.blocks.iter().filter_map(|b| if let Block::Line(l) = b { Some(l) } else { None }).enumerate() {
            let n = self.candidate_number(block);
            if let Some(n) = &n {
                last_at.insert(n.clone(), i);
            }
            numbers.push(n);
        }
        numbers.iter().enumerate().map(|(i, n)| n.as_ref().is_some_and(|n| last_at.get(n).is_some_and(|&j| j > i))).collect()
    }

    fn candidate_number(&self, line: &Line) -> Option<String> {
        let t = line.text.trim();
        // Only a line styled like a heading can take a number over
        // (endnotes `1.`, `2.` at the end do not).
        if !self.is_styled(line) || line.bbox.is_none() && vocab::aligned_code_row().is_match(t) {
            return None;
        }
        // `Mål 1:` numbers goals, not sections: a later goal 1 does not make
        // an earlier `1. Innledning` a list.
        if let Some(c) = vocab::goal_heading().captures(t) {
            let keyword = t.split_whitespace().next().unwrap_or("").to_lowercase();
            return c.get(1).map(|m| format!("{keyword} {}", m.as_str()));
        }
        if let Some(c) = vocab::area_heading().captures(t) {
            return c.get(1).map(|m| m.as_str().to_string());
        }
        let c = vocab::numbered_line().captures(t)?;
        let num = c.get(1)?.as_str();
        let after = &t[num.len()..];
        if after.starts_with(')') || vocab::date_start().is_match(t) {
            return None;
        }
        Some(num.to_string())
    }

    /// A heading on this line, if it is one.
    fn heading(&self, line: &Line, superseded: bool, in_measures: bool) -> Option<Heading> {
        let t = clean(&line.text);
        // A numbered caption titles the table below it, whatever its style.
        if t.is_empty() || t.chars().count() > 220 || vocab::is_caption(&t) {
            return None;
        }
        if let Some(level) = line.heading {
            let (number, title) = split_number(&t);
            let title = vocab::heading_title(&title);
            let reason = Reason::new("heading.tagged").at(line).because(format!("heading level {level} from the document's {}", self.doc.heading_source));
            return Some(Heading { number, title, level, reason });
        }
        if let Some(c) = vocab::goal_heading().captures(&t) {
            let reason = Reason::new("heading.goal").at(line).because(format!("goal number {} (vocabulary: goal_heading)", &c[1]));
            return Some(Heading { number: Some(c[1].to_string()), title: clean(&c[2]), level: 1, reason });
        }
        if let Some(c) = vocab::area_heading().captures(&t) {
            let number = c[1].to_string();
            let level = number.split('.').count() as u8;
            let reason = Reason::new("heading.area").at(line).because(format!("area number {number} (vocabulary: area_heading), level {level}"));
            return Some(Heading { number: Some(number), title: clean(&c[2]), level, reason });
        }
        if superseded {
            return None;
        }
        if let Some(c) = vocab::numbered_line().captures(&t) {
            let number = c[1].to_string();
            let after = &t[number.len()..];
            let title = clean(&c[2]);
            if after.starts_with(')') || vocab::date_start().is_match(&t) || title.ends_with(',') {
                return None;
            }
            let first_upper = title.chars().next().is_some_and(|c| c.is_uppercase());
            let level = number.split('.').count() as u8;
            let fits = self.number_fits(&number);
            let styled = self.is_styled(line) || line.font_size == 0.0;
            if first_upper && fits && styled && title.split_whitespace().count() <= 30 {
                let reason = Reason::new("heading.numbered")
                    .at(line)
                    .because(format!("number {number} at level {level} continues the numbering"))
                    .because(self.style_evidence(line));
                return Some(Heading { number: Some(number), title, level, reason });
            }
            return None;
        }
        // Unnumbered headings: styled short lines in PDFs; in text, short
        // lines set off by blank lines. Inside a measure table only
        // numbered or tagged headings end the table.
        if in_measures {
            return None;
        }
        let words = t.split_whitespace().count();
        let first_upper = t.chars().next().is_some_and(|c| c.is_uppercase());
        let ends_ok = !t.ends_with('.') && !t.ends_with(',') && !t.ends_with(';');
        if !first_upper || !ends_ok || words > 14 || strip_bullet(&t).is_some() {
            return None;
        }
        if vocab::target_picture().is_match(&t) || vocab::from_strategy().is_match(&t) || vocab::indicator_heading().is_match(&t) {
            return None;
        }
        // The organization's name on a cover page, and `Dato: ...` label lines, are not headings.
        if self.organization.as_deref() == Some(t.as_str()) || t.contains(": ") && !t.to_lowercase().starts_with("hovedmål") {
            return None;
        }
        let starts_goal = t.to_lowercase().starts_with("hovedmål");
        // `Om handlingsplanen:` opening the document: a short label with a
        // colon heads a section there (elsewhere it leads into a list).
        let colon_ok = !t.ends_with(':') || starts_goal || words <= 3 && !self.seen_body;
        let rule = if line.font_size > 0.0 {
            (self.is_styled(line) && (line.bold || line.font_size > self.body_font + 1.0) && colon_ok).then_some("heading.styled")
        } else {
            let set_off = line.space_before >= 2.0 || !self.seen_body && words <= 4;
            // A line in capitals heads a section in text exports of designed reports.
            let capitals = is_capitals(&t) && t.chars().filter(|c| c.is_alphabetic()).count() >= 6 && !t.ends_with(':') && !self.repeated.contains(&t);
            let once = !self.repeated.contains(&t);
            if !once {
                None
            } else if (set_off && colon_ok && words <= 10) || (starts_goal && t.ends_with(':')) {
                Some("heading.set_off")
            } else {
                (capitals && words <= 12).then_some("heading.capitals")
            }
        };
        if let Some(rule) = rule {
            let title = vocab::heading_title(&t);
            let evidence = if line.font_size > 0.0 { self.style_evidence(line) } else { format!("{words} words, {} blank line(s) before", line.space_before) };
            let reason = Reason::new(rule).at(line).because(evidence);
            return Some(Heading { number: None, title, level: 1, reason });
        }
        None
    }

    /// The style cues of a line, in words, for [`Reason`] evidence.
    fn style_evidence(&self, line: &Line) -> String {
        if line.font_size == 0.0 {
            return "text input (no fonts)".to_string();
        }
        let weight = if line.bold { "bold" } else { "regular" };
        format!("{weight} {:.1} pt, body text {:.1} pt", line.font_size, self.body_font)
    }

    /// Bold or larger than body text (PDF); always true for text input.
    fn is_styled(&self, line: &Line) -> bool {
        line.font_size == 0.0 || line.bold || line.font_size > self.body_font + 1.0 || line.heading.is_some()
    }

    /// A section number continues the current numbering: `1.2` needs a
    /// section `1`; a top-level number is not lower than the last one.
    fn number_fits(&self, number: &str) -> bool {
        let parts: Vec<&str> = number.split('.').collect();
        if parts.len() == 1 {
            return true;
        }
        let parent = parts[..parts.len() - 1].join(".");
        self.sections.iter().any(|s| s.number.as_deref() == Some(parent.as_str()))
    }

    fn open_section(&mut self, h: Heading) {
        self.finish_row();
        // A headerless table continues the previous measure table only within one section.
        self.last_columns = None;
        self.mode = Mode::Prose;
        self.last_number_objective = None;
        let mut parent = self.current;
        while let Some(p) = parent {
            if self.sections[p].level < h.level {
                break;
            }
            parent = self.sections[p].parent;
        }
        let id = self.unique_id(h.number.as_deref(), &h.title);
        self.section_ids.insert(id.clone());
        self.sections.push(SectionDraft {
            id,
            number: h.number,
            title: h.title,
            level: h.level.max(1),
            text: vec![],
            objectives: vec![],
            parent,
            table_goal: false,
            reason: h.reason,
        });
        self.current = Some(self.sections.len() - 1);
    }

    /// The printed number, else the goal keyword a heading starts with
    /// (`Hovedmål i ...` → `hovedmal`), else a slug of the title; made unique.
    fn unique_id(&self, number: Option<&str>, title: &str) -> String {
        let base = match number {
            Some(n) => n.to_string(),
            None => {
                let first = title.split_whitespace().next().unwrap_or("").to_lowercase();
                let keyword = ["hovedmål", "hovedmålene", "delmål", "målbilde", "innsatsområder", "satsingsområder"].contains(&first.as_str());
                let s = if keyword { slug(&first) } else { slug(title) };
                if s.is_empty() {
                    "section".to_string()
                } else {
                    s
                }
            }
        };
        let mut id = base.clone();
        let mut n = 2;
        while self.section_ids.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    }

    fn section_id(&self) -> String {
        self.current.and_then(|i| self.sections.get(i)).map_or_else(|| "0".to_string(), |s| s.id.clone())
    }

    /// A PDF heading that wraps: the next line has the same style, follows
    /// directly and is not numbered itself.
    fn continues_heading(&self, line: &Line) -> bool {
        let Some(h) = &self.last_heading else { return false };
        let (Some(a), Some(b)) = (h.bbox, line.bbox) else {
            return h.bbox.is_none() && line.bbox.is_none() && self.text_heading_wraps(h, line);
        };
        let t = line.text.trim();
        h.page == line.page
            && h.bold == line.bold
            && (h.font_size - line.font_size).abs() < 0.3
            && self.is_styled(line)
            && b.y0 - a.y1 < (a.y1 - a.y0) * 0.6
            && b.y0 > a.y0
            && !vocab::numbered_line().is_match(t)
            && !t.ends_with(':')
            && (t.chars().next().is_some_and(|c| c.is_lowercase()) || b.y0 - a.y1 < (a.y1 - a.y0) * 0.45)
    }

    /// Text input: a heading wraps onto a next line that starts in lowercase
    /// (a blank line may sit between, as text exports double-space lines).
    fn text_heading_wraps(&self, heading: &Line, line: &Line) -> bool {
        let h = heading.text.trim_end();
        let t = line.text.trim();
        if h.ends_with('-') && is_capitals(h) && is_capitals(t) && t.split_whitespace().count() <= 8 {
            // `HVA ER KLINISK BEHAND-` + `LINGSFORSKNING?`
            return true;
        }
        !h.ends_with(['.', ':', ';', '!', '?'])
            && t.chars().next().is_some_and(char::is_lowercase)
            && !t.ends_with(['.', ':'])
            && t.split_whitespace().count() <= 10
            && line.space_before <= 1.0
            && strip_bullet(t).is_none()
    }

    fn line(&mut self, line: &Line, superseded: bool, plan_like: bool) {
        let t = clean(&line.text);
        if t.is_empty() {
            return;
        }
        let after_heading = self.last_heading.take();
        self.last_heading = after_heading;
        if plan_like && vocab::is_table_header_line(&t) {
            if self.mode != Mode::Measures {
                self.mode = Mode::Measures;
                self.row = RowDraft::default();
                self.row_state = RowState::Content;
            } else if line.bbox.is_none() && !(self.row.content.is_empty() && self.row.refs.is_empty()) {
                // The header repeated on a new page, inside a row.
                self.after_break = true;
                // The party cell printed at the foot of the page, after measure
                // text that the break left open.
                let last_is_party = self.row.content.last().is_some_and(|l| l.space_before >= 1.0 && vocab::is_party_line(&clean(&l.text)));
                if self.row.responsible.is_empty() && self.row.content.len() >= 2 && last_is_party {
                    if let Some(l) = self.row.content.pop() {
                        self.row.responsible.push(l);
                        self.row_state = RowState::Responsible;
                    }
                }
            }
            return;
        }
        let in_measures = self.mode == Mode::Measures;
        // `1    Tiltak ...   Ansvarlig`: a row of a table aligned with spaces, not a heading.
        let aligned_row = in_measures && line.bbox.is_none() && vocab::aligned_code_row().is_match(line.text.trim());
        if !aligned_row && (!in_measures || !vocab::is_party_line(&t)) {
            if self.continues_heading(line) {
                if let Some(i) = self.current {
                    let title = join_lines(&[self.sections[i].title.as_str(), t.as_str()], &[]);
                    if self.sections[i].number.is_none() {
                        let old = std::mem::take(&mut self.sections[i].id);
                        self.section_ids.remove(&old);
                        self.sections[i].id = self.unique_id(None, &title);
                        self.section_ids.insert(self.sections[i].id.clone());
                    }
                    self.sections[i].title = title;
                }
                self.last_heading = Some(line.clone());
                return;
            }
            if let Some(h) = self.heading(line, superseded, in_measures) {
                self.open_section(h);
                self.last_heading = Some(line.clone());
                self.last_line_text = t;
                self.seen_body = true;
                self.last_prose = None;
                return;
            }
        }
        if vocab::from_strategy().is_match(&t) {
            self.finish_row();
            self.mode = Mode::Objectives;
            return;
        }
        if plan_like && self.mode != Mode::Measures && vocab::measure_code().is_match(&t) && self.code_fits(&t) {
            self.mode = Mode::Measures;
        }
        self.last_heading = None;
        self.seen_body = true;
        self.last_prose = None;
        match self.mode {
            Mode::Measures => self.measure_line(line, &t),
            Mode::Objectives => self.objective_line(line, &t),
            Mode::Prose => self.prose_line(line, &t),
        }
        self.last_line_text = t;
    }

    fn prose_line(&mut self, line: &Line, t: &str) {
        // `1) ...` directly under a heading starts a numbered objective list;
        // a lettered line after it is a sub-point (`2a`).
        if let Some(c) = vocab::number_item().captures(t) {
            if t[c[1].len()..].starts_with(')') && self.current.is_some() {
                self.mode = Mode::Objectives;
                self.objective_line(line, t);
                return;
            }
        }
        if let Some(i) = self.current {
            self.sections[i].text.push(line.clone());
        }
        // The line after a label line (`Sekretariat:`) is the label's value.
        self.last_prose = Some((self.current, line.clone(), self.last_line_text.ends_with(':')));
    }

    /// Turns the prose line right before a table (or before the agenda) into
    /// a heading when it reads like one: short, capitalised, no sentence end.
    fn promote_caption(&mut self) {
        let Some((section, line, after_label)) = self.last_prose.take() else { return };
        let t = clean(&line.text);
        let words = t.split_whitespace().count();
        let heading_like = (1..=6).contains(&words)
            && !vocab::is_caption(&t)
            && t.chars().next().is_some_and(char::is_uppercase)
            && !t.ends_with(['.', ',', ';', ':'])
            && t.chars().filter(|c| c.is_alphabetic()).count() >= 3
            && !t.contains(": ");
        // The value under a label line (`Sekretariat:` / `Kari Nordmann, Seksjon`) is no caption.
        if !heading_like || after_label || self.mode != Mode::Prose {
            return;
        }
        if let Some(i) = section {
            if self.sections[i].text.last().is_some_and(|l| l.text == line.text) {
                self.sections[i].text.pop();
            }
        }
        let level = section.and_then(|i| self.sections.get(i)).map_or(1, |s| if s.number.is_some() { s.level + 1 } else { s.level });
        let reason = Reason::new("heading.caption").at(&line).because(format!("{words} words, no sentence end, right before a table or the agenda"));
        self.open_section(Heading { number: None, title: t.clone(), level, reason });
        self.last_line_text = t;
    }

    fn objective_line(&mut self, line: &Line, t: &str) {
        let Some(i) = self.current else { return };
        let number = vocab::number_item().captures(t).filter(|c| t[c[1].len()..].starts_with(')'));
        if let Some(c) = number {
            let label = c[1].to_string();
            self.last_number_objective = Some(label.clone());
            let mut l = line.clone();
            l.text = c[2].to_string();
            self.sections[i].objectives.push((Some(label), vec![l]));
            return;
        }
        if let Some(c) = vocab::letter_item().captures(t) {
            let label = match &self.last_number_objective {
                Some(n) => format!("{n}{}", &c[1]),
                None => c[1].to_string(),
            };
            let mut l = line.clone();
            l.text = c[2].to_string();
            self.sections[i].objectives.push((Some(label), vec![l]));
            return;
        }
        let starts_upper = t.chars().next().is_some_and(|c| c.is_uppercase());
        let prev_done = self.sections[i].objectives.last().and_then(|(_, ls)| ls.last()).is_none_or(|l| l.text.trim_end().ends_with(['.', ':', '!', '?']));
        let objectives = &mut self.sections[i].objectives;
        if objectives.is_empty() || (starts_upper && prev_done && line.space_before >= 0.5) {
            if self.last_number_objective.is_some() && !objectives.is_empty() {
                // Prose after a numbered objective list belongs to the section.
                self.mode = Mode::Prose;
                self.sections[i].text.push(line.clone());
                return;
            }
            objectives.push((None, vec![line.clone()]));
        } else if let Some(last) = objectives.last_mut() {
            last.1.push(line.clone());
        }
    }

    /// Text input (or a PDF table the layout could not see): sort the line
    /// into the current row's columns by keyword and numbering cues.
    fn measure_line(&mut self, line: &Line, t: &str) {
        if line.bbox.is_none() {
            if let Some(c) = vocab::aligned_code_row().captures(line.text.trim()) {
                // The code column of a table aligned with spaces starts a row.
                self.finish_row();
                self.row.label = Some(c[1].to_string());
                self.row.reason = Reason::new("text.aligned_row").at(line).because(format!("code {} in the first column of a space-aligned table", &c[1]));
                self.row_state = RowState::Content;
                let mut rest = line.clone();
                rest.text = c.get(2).or_else(|| c.get(3)).map_or("", |m| m.as_str()).to_string();
                if let Some((left, right)) = split_columns(&rest.text) {
                    rest.text = left;
                    let mut party = line.clone();
                    party.text = right;
                    self.row.content.push(rest);
                    self.row.responsible.push(party);
                    self.row_state = RowState::Responsible;
                    return;
                }
                self.row.content.push(rest);
                return;
            }
        }
        // Two columns on one text line: `Tiltak text   Party`.
        if line.bbox.is_none() {
            if let Some((left, right)) = split_columns(&line.text).or_else(|| split_known_party(&line.text, &self.known_parties)) {
                let mut l = line.clone();
                l.text = left;
                self.measure_line(&l, &clean(&l.text));
                let mut r = line.clone();
                r.text = right;
                r.space_before = 0.0;
                self.row.responsible.push(r);
                self.row_state = RowState::Responsible;
                return;
            }
        }
        if std::mem::take(&mut self.after_break) {
            if let Some(state) = self.resume_state(line, t) {
                self.row_state = state;
                self.resumed = true;
            }
        }
        let code = vocab::measure_code().captures(t).map(|c| c[1].to_string()).filter(|c| self.code_fits(c));
        if let Some(c) = code {
            self.finish_row();
            self.row.reason = Reason::new("text.code_row").at(line).because(format!("measure code {c} (vocabulary: measure_code) fits the section's number"));
            self.row.label = Some(c);
            self.row_state = RowState::Content;
            return;
        }
        if vocab::strategy_point().is_match(t) && strip_bullet(t).is_none() {
            // A new strategy point starts a new row once the current row has
            // its party column; before that, the text order put a shared
            // (or page-split) reference cell after the row's content.
            let shared_after_break = self.resumed && self.row_open();
            if !self.row.responsible.is_empty() && !shared_after_break {
                self.finish_row();
            } else if !self.row.responsible.is_empty() {
                self.warnings.push(Warning::new(
                    "row_order_guess",
                    format!("strategy point after a page break joined to the open row above: {:.60}", t),
                    line.page,
                ));
            }
            self.row_state = RowState::Refs;
            self.row.refs.push(line.clone());
            return;
        }
        if vocab::action_heading().is_match(t) {
            self.row_state = RowState::Content;
            return;
        }
        if vocab::indicator_heading().is_match(t) && t.contains(':') {
            self.row_state = RowState::Indicators;
            self.row.content.push(line.clone());
            return;
        }
        let party = vocab::is_party_line(t);
        let bullet = strip_bullet(t).is_some() || line.bullet;
        match self.row_state {
            RowState::Refs => {
                let refs_done = self.row.refs.last().is_some_and(|l| l.text.trim_end().ends_with('.'));
                let lower = t.chars().next().is_some_and(char::is_lowercase);
                if self.resumed && refs_done && lower && line.space_before >= 1.0 {
                    // The reference cell ended; the measure cell's rest follows.
                    self.row_state = if self.has_indicator_heading() { RowState::Indicators } else { RowState::Content };
                    self.row.content.push(line.clone());
                } else if vocab::action_label().is_match(t) {
                    self.row_state = RowState::Content;
                    self.row.content.push(line.clone());
                } else {
                    self.row.refs.push(line.clone());
                }
            }
            RowState::Content | RowState::Indicators => {
                let prev_open = self.row.content.last().is_some_and(|l| {
                    let p = l.text.trim_end();
                    p.ends_with(" og") || p.ends_with(',') || p.ends_with('-') || p.ends_with(" i") || p.ends_with(" fra") || p.ends_with(" med")
                });
                let unlabelled = self.row.label.is_none() && self.row.refs.is_empty();
                let starts_upper = t.chars().next().is_some_and(|c| c.is_uppercase());
                let party_cell =
                    party && !bullet && !t.starts_with('(') && !self.row.content.is_empty() && !prev_open && (line.space_before >= 1.0 || line.bbox.is_some());
                if party_cell || self.continues_cut_party(t, line) {
                    self.row_state = RowState::Responsible;
                    self.row.responsible.push(line.clone());
                } else if unlabelled && !self.row.responsible.is_empty() && !bullet && starts_upper && line.space_before >= 1.0 {
                    // After a row's parties and its late bullets, a new lead sentence starts the next row.
                    self.finish_row();
                    self.row_state = RowState::Content;
                    self.row.content.push(line.clone());
                } else {
                    self.row.content.push(line.clone());
                }
            }
            RowState::Responsible => {
                let first = t.chars().next().unwrap_or(' ');
                let prev = self.row.responsible.last().map(|l| l.text.trim().to_string()).unwrap_or_default();
                let short = t.split_whitespace().count() <= 6;
                let label = vocab::action_label().is_match(t) || vocab::indicator_heading().is_match(t);
                let continues = !label
                    && !bullet
                    && short
                    && (party
                        || first == '('
                        || first == '/'
                        || first.is_lowercase()
                        || prev.ends_with(" og")
                        || prev.ends_with('-')
                        || prev.ends_with('/')
                        || prev.matches('(').count() > prev.matches(')').count());
                if continues {
                    self.row.responsible.push(line.clone());
                } else if bullet || label || self.row.label.is_some() || !self.row.refs.is_empty() {
                    // A labelled row's text after its party column: the text
                    // order interleaved the columns (a row split by a page
                    // break). Keep it in the row.
                    self.warnings.push(Warning::new("row_order_guess", format!("text after the responsibility column kept in its row: {:.60}", t), line.page));
                    let had_indicators = self.row.content.iter().any(|l| vocab::indicator_heading().is_match(l.text.trim()));
                    self.row_state = if vocab::action_label().is_match(t) || !had_indicators { RowState::Content } else { RowState::Indicators };
                    self.row.content.push(line.clone());
                } else {
                    self.finish_row();
                    self.row_state = RowState::Content;
                    self.row.content.push(line.clone());
                }
            }
        }
    }

    /// A measure code belongs to the current section: `2b` or `2` under
    /// section 2 (a bare number elsewhere is a page number).
    fn code_fits(&self, code: &str) -> bool {
        let digits: String = code.chars().take_while(|c| c.is_ascii_digit()).collect();
        let section = self.current.and_then(|i| self.sections.get(i)).and_then(|s| s.number.clone());
        match section {
            Some(n) => n.split('.').next() == Some(digits.as_str()),
            None => code.len() > digits.len(),
        }
    }

    /// Where the first line after a page break inside a row goes: a
    /// lowercase line continues an unfinished reference cell, a strategy
    /// point joins a row whose measure text is still open, and a lowercase
    /// line, action or bullet continues the measure cell. `None` keeps the
    /// current column.
    fn resume_state(&self, line: &Line, t: &str) -> Option<RowState> {
        let lower = t.chars().next().is_some_and(char::is_lowercase);
        let refs_open = self.row.refs.last().is_some_and(|l| !l.text.trim_end().ends_with(['.', ':']));
        if lower && refs_open || vocab::strategy_point().is_match(t) && self.row_open() {
            return Some(RowState::Refs);
        }
        let bullet = strip_bullet(t).is_some() || line.bullet;
        if lower || bullet || vocab::action_label().is_match(t) {
            return Some(if self.has_indicator_heading() { RowState::Indicators } else { RowState::Content });
        }
        None
    }

    fn has_indicator_heading(&self) -> bool {
        self.row.content.iter().any(|l| vocab::indicator_heading().is_match(l.text.trim()))
    }

    /// The row's measure cell is unfinished: no indicator list yet and the
    /// last line stops without a sentence end.
    fn row_open(&self) -> bool {
        let ends_open = self.row.content.last().is_some_and(|l| !l.text.trim_end().ends_with(['.', '!', '?']));
        ends_open && !self.has_indicator_heading()
    }

    /// A party name cut by a page break (`Klinikken/FU-`) continues on a
    /// short line after the row's measure text (`KRN/forsknings-`).
    fn continues_cut_party(&self, t: &str, line: &Line) -> bool {
        let cut = self.row.responsible.last().is_some_and(|l| l.text.trim_end().ends_with(['-', '/']));
        let words = t.split_whitespace().count();
        cut && self.resumed
            && line.space_before >= 1.0
            && words <= 3
            && t.chars().next().is_some_and(char::is_uppercase)
            && (t.contains('/') || t.ends_with('-') || vocab::is_party_line(t))
    }

    fn finish_row(&mut self) {
        let row = std::mem::take(&mut self.row);
        self.row_state = RowState::Content;
        self.resumed = false;
        if row.content.is_empty() && row.refs.is_empty() {
            return;
        }
        if self.prose_after_table(&row) {
            return;
        }
        self.push_measure(&row);
    }

    /// Text input: a title-like line set off by blank lines and followed by
    /// running prose, at the end of a row (or as a whole unlabelled "row"
    /// without party), is the section after the table, not measure text.
    /// Pushes the row's measure part, opens that section (with a
    /// `heading_guess` warning) and returns true.
    fn prose_after_table(&mut self, row: &RowDraft) -> bool {
        let Some(k) = self.prose_tail(row) else { return false };
        let (head, tail) = row.content.split_at(k);
        let Some((first, rest)) = tail.split_first() else { return false };
        if !head.is_empty() || !row.refs.is_empty() {
            let mut measure = row.clone();
            measure.content = head.to_vec();
            self.push_measure(&measure);
        }
        let title = clean(&first.text);
        self.warnings.push(Warning::new(
            "heading_guess",
            format!("title-like line with prose after a measure table read as a section heading: {:.60}", title),
            first.page,
        ));
        let reason = Reason::new("heading.after_table").at(first).because(format!("{} lines of prose follow it", rest.len()));
        self.open_section(Heading { number: None, title, level: 1, reason });
        if let Some(i) = self.current {
            self.sections[i].text.extend(rest.iter().cloned());
        }
        true
    }

    /// Where the prose tail of a row starts, if it has one.
    fn prose_tail(&self, row: &RowDraft) -> Option<usize> {
        if row.content.first().is_none_or(|l| l.bbox.is_some()) {
            return None;
        }
        let bare = row.label.is_none() && row.refs.is_empty() && row.responsible.is_empty();
        let title_like = |l: &Line| {
            let t = clean(&l.text);
            let words = t.split_whitespace().count();
            (2..=14).contains(&words)
                && t.chars().next().is_some_and(char::is_uppercase)
                && !t.ends_with(['.', ',', ';', ':'])
                && strip_bullet(&t).is_none()
                && !l.bullet
                && !vocab::action_label().is_match(&t)
                && !vocab::indicator_heading().is_match(&t)
        };
        // Suffix sums over the row's lines, so each candidate start is
        // checked in constant time (a long row stays linear).
        let n = row.content.len();
        let mut words = vec![0usize; n + 1];
        let mut sentences = vec![0usize; n + 1];
        let mut listy = vec![false; n + 1];
        for (k, l) in row.content.iter().enumerate().rev() {
            let t = l.text.trim();
            words[k] = words[k + 1] + t.split_whitespace().count();
            sentences[k] = sentences[k + 1] + usize::from(t.ends_with('.'));
            listy[k] = listy[k + 1] || strip_bullet(t).is_some() || l.bullet || vocab::indicator_heading().is_match(t) || vocab::action_label().is_match(t);
        }
        let prose = |from: usize| words[from] >= 30 && n - from >= 2 && sentences[from] > 0 && !listy[from];
        (0..n).find(|&k| {
            let line = &row.content[k];
            let set_off = if k == 0 { bare } else { !row.responsible.is_empty() && line.space_before >= 2.0 };
            set_off && title_like(line) && prose(k + 1)
        })
    }

    fn push_measure(&mut self, row: &RowDraft) {
        let section = self.section_id();
        let n = self.row_counts.entry(section.clone()).or_default();
        *n += 1;
        let m = measure::build(row, &section, *n);
        if m.responsible.is_empty() {
            self.warnings.push(Warning::new("no_responsible", format!("measure {} has no responsible party", m.id), m.pages.first().copied()));
        }
        let mut m = m;
        if !self.measure_ids.insert(m.id.clone()) {
            m.id = format!("{}-{}", m.id, self.measures.len() + 1);
            self.measure_ids.insert(m.id.clone());
        }
        self.trace.measures.push(row_reason(row, &m));
        self.measures.push(m);
    }

    /// A table: a measure table (its columns named by their headers, or a
    /// headerless continuation of the last one) gives measures and goal
    /// sections; any other table is kept as a table.
    fn table(&mut self, t: &LTable) {
        self.finish_row();
        let (cols, has_header) = match table_reader::columns(t) {
            Some(c) => (c, true),
            None => match &self.last_columns {
                Some(prev) if t.rows.first().is_some_and(|r| r.cells.len() == prev.roles.len()) && self.plan_like => (prev.clone(), false),
                _ => {
                    self.generic_table(t);
                    return;
                }
            },
        };
        if !self.plan_like {
            self.generic_table(t);
            return;
        }
        if has_header && !cols.unknown.is_empty() {
            self.warnings.push(Warning::new(
                "column_guess",
                format!("measure-table columns not in the vocabulary kept as extra: {}", cols.unknown.join(", ")),
                t.pages.first().copied(),
            ));
        }
        // A drawn (or DOCX) table holds its rows; lines after it are prose
        // again. Text-input tables continue in the line-based row reader.
        self.mode = if t.origin == TableOrigin::Tabs { Mode::Measures } else { Mode::Prose };
        self.last_columns = Some(cols.clone());
        // Goals inside the table are sections one level below the heading that holds the table.
        let enclosing = match self.current {
            Some(i) if self.sections[i].table_goal => self.sections[i].parent,
            c => c,
        };
        for reading in table_reader::read_rows(t, &cols, has_header) {
            match reading {
                table_reader::RowReading::Goal { number, title, line } => {
                    let level = enclosing.map_or(1, |p| self.sections[p].level + 1);
                    let reason = Reason::new("table.goal_row")
                        .at(&line)
                        .because(format!("goal inside a measure table, level {level} under the heading that holds the table"));
                    self.open_section(Heading { number, title, level, reason });
                    if let Some(i) = self.current {
                        self.sections[i].parent = enclosing;
                        self.sections[i].table_goal = true;
                    }
                    // open_section resets the table context.
                    self.last_columns = Some(cols.clone());
                }
                table_reader::RowReading::Measure(mut draft) => {
                    if !has_header {
                        let evidence = std::mem::take(&mut draft.reason.evidence);
                        draft.reason = super::explain::Reason { rule: "table.continued", evidence, ..draft.reason.clone() }
                            .because("no header row: the columns of the measure table before it in this section");
                    }
                    self.push_measure(&draft)
                }
            }
        }
        self.mode = if t.origin == TableOrigin::Tabs { Mode::Measures } else { Mode::Prose };
    }

    fn generic_table(&mut self, t: &LTable) {
        let mut rows: Vec<Vec<String>> = t.rows.iter().map(|r| r.cells.iter().map(|c| measure::join(&c.lines.iter().collect::<Vec<_>>())).collect()).collect();
        rows.retain(|r| r.iter().any(|c| !c.is_empty()));
        let header_idx = t.rows.iter().position(|r| r.header).or_else(|| rows.first().filter(|r| looks_like_header(r)).map(|_| 0));
        let header = header_idx.and_then(|i| rows.get(i).cloned()).unwrap_or_default();
        let body: Vec<Vec<String>> =
            rows.into_iter().enumerate().filter(|(i, r)| Some(*i) != header_idx && (header.is_empty() || *r != header)).map(|(_, r)| r).collect();
        // The table's caption: the short line right above it, else the section title.
        let caption = clean(&self.last_line_text);
        let page_number = caption.len() <= 3 && caption.chars().all(|c| c.is_ascii_digit());
        let caption_ok = !caption.is_empty() && caption.split_whitespace().count() <= 8 && !caption.ends_with(['.', ',']) && !page_number;
        let section_title = self.current.and_then(|i| self.sections.get(i)).map(|s| s.title.clone());
        let bare_year = caption.len() == 4 && caption.chars().all(|c| c.is_ascii_digit());
        let title = if caption_ok && bare_year && t.origin == TableOrigin::Pairs && section_title.is_some() {
            // `2018` under `PROGRAMSTYRE`: the year qualifies the section's name.
            section_title.map(|s| format!("{} {caption}", sentence_case(&s)))
        } else if caption_ok {
            Some(caption.trim_end_matches(':').to_string())
        } else {
            self.current.and_then(|i| self.sections.get(i)).map(|s| s.title.clone())
        };
        self.last_line_text.clear();
        if let Some(prev) = self.tables.last_mut() {
            // A table whose header repeats the previous one's continues it.
            if !header.is_empty() && prev.header == header && prev.title == title {
                prev.rows.extend(body);
                prev.pages.extend(t.pages.iter().copied());
                prev.pages.dedup();
                return;
            }
        }
        self.tables.push(Table { title, header, rows: body, pages: t.pages.clone() });
    }

    fn build_sections(&mut self) -> Vec<Section> {
        let mut drafts = std::mem::take(&mut self.sections);
        // An unnumbered "heading" that holds a sentence break was a bold
        // lead paragraph: fold it into the section before it.
        let mut has_children = vec![false; drafts.len()];
        for d in &drafts {
            if let Some(p) = d.parent {
                has_children[p] = true;
            }
        }
        for i in 0..drafts.len() {
            if drafts[i].number.is_none() && (drafts[i].title.contains(". ") || drafts[i].title.ends_with('.')) && !has_children[i] {
                let line = Line::plain(drafts[i].title.clone());
                let mut text = vec![line];
                text.append(&mut drafts[i].text);
                if let Some(prev) = i.checked_sub(1) {
                    drafts[prev].text.extend(text);
                }
                drafts[i].title.clear();
            }
        }
        let keep: Vec<bool> = drafts.iter().map(|d| !d.title.is_empty()).collect();
        for d in drafts.iter().filter(|d| !d.title.is_empty()) {
            self.trace.sections.push((d.id.clone(), d.reason.clone()));
        }
        let mut built: Vec<Option<Section>> = drafts
            .iter()
            .map(|d| {
                Some(Section {
                    id: d.id.clone(),
                    number: d.number.clone(),
                    title: d.title.clone(),
                    level: d.level,
                    text: join_lines(&d.text.iter().map(|l| strip_bullet(&l.text).unwrap_or(&l.text).to_string()).collect::<Vec<_>>(), &[]),
                    objectives: d
                        .objectives
                        .iter()
                        .map(|(label, ls)| Objective { label: label.clone(), text: measure::join(&ls.iter().collect::<Vec<_>>()) })
                        .collect(),
                    sections: vec![],
                })
            })
            .collect();
        // Attach children bottom-up so each child is complete when moved.
        for i in (0..drafts.len()).rev() {
            if let Some(p) = drafts[i].parent {
                if let Some(child) = built[i].take() {
                    if let Some(Some(parent)) = built.get_mut(p) {
                        parent.sections.insert(0, child);
                    }
                }
            }
        }
        built.into_iter().zip(keep).filter_map(|(s, k)| s.filter(|_| k)).collect()
    }
}

/// Why a row is a measure: the reason its recognizer recorded (a text row
/// gets one here), with what each column gave.
fn row_reason(row: &RowDraft, m: &Measure) -> Reason {
    let mut reason = row.reason.clone();
    if reason.rule.is_empty() {
        reason = Reason::new("text.row");
        if let Some(first) = row.refs.first().or(row.content.first()) {
            reason = reason.at(first);
        }
        reason = reason.because("lines after a measure-table header, sorted into columns by keyword, numbering and blank lines");
        if let (None, Some(label)) = (&row.label, &m.label) {
            reason = reason.because(format!("label {label} from the row's first strategy point (vocabulary: strategy_point)"));
        }
    } else if reason.line.is_none() {
        if let Some(first) = row.refs.first().or(row.content.first()) {
            let rule = reason.rule;
            let evidence = std::mem::take(&mut reason.evidence);
            reason = Reason { evidence, ..Reason::new(rule).at(first) };
        }
    }
    if !m.responsible.is_empty() {
        let width = row.responsible_width.map_or(String::new(), |w| format!(" (column {w:.0} pt wide)"));
        reason =
            reason.because(format!("responsible: {} line(s){width} split into {} part(ies) by the party rules", row.responsible.len(), m.responsible.len()));
    }
    if !m.indicators.is_empty() {
        let from = if row.indicators.is_empty() { "an indicator heading in the measure text" } else { "an indicator column or field" };
        reason = reason.because(format!("indicators: {} from {from}", m.indicators.len()));
    }
    if !m.actions.is_empty() {
        reason = reason.because(format!("actions: {} by their labels (i., 1), a)) or bullets", m.actions.len()));
    }
    if let Some(d) = &m.deadline {
        reason = reason.because(format!("deadline {d:?}"));
    }
    reason
}

/// A header row: every cell short and none a number.
/// Every letter a capital (at least three letters).
fn is_capitals(s: &str) -> bool {
    let letters: Vec<char> = s.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 3 && letters.iter().all(|c| c.is_uppercase())
}

/// `PROGRAMSTYRE` → `Programstyre`; text not in capitals is kept.
fn sentence_case(s: &str) -> String {
    if s.chars().any(char::is_lowercase) {
        return s.to_string();
    }
    let lower = s.to_lowercase();
    let mut chars = lower.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn looks_like_header(r: &[String]) -> bool {
    r.iter().filter(|c| !c.is_empty()).count() >= 2
        && r.iter().all(|c| c.split_whitespace().count() <= 6 && !c.chars().any(|ch| ch.is_ascii_digit() || matches!(ch, '.' | '(' | ',')))
}

/// `1.1 Title` → (`1.1`, `Title`); no number → (None, whole).
fn split_number(t: &str) -> (Option<String>, String) {
    if let Some(c) = vocab::goal_heading().captures(t).or_else(|| vocab::area_heading().captures(t)) {
        return (Some(c[1].to_string()), clean(&c[2]));
    }
    match vocab::numbered_line().captures(t) {
        Some(c) if !vocab::date_start().is_match(t) => (Some(c[1].to_string()), clean(&c[2])),
        _ => (None, t.to_string()),
    }
}

/// Splits a text line printed as two columns (`measure text   Party`): two
/// or more spaces before a party name at the end.
fn split_columns(raw: &str) -> Option<(String, String)> {
    let raw = raw.trim_end();
    let idx = raw.rfind("  ")?;
    let left = raw[..idx].trim();
    let right = raw[idx..].trim();
    if left.is_empty() || right.is_empty() || right.starts_with('(') || !vocab::is_party_line(right) || vocab::is_table_header_line(raw) {
        return None;
    }
    Some((left.to_string(), right.to_string()))
}

/// Splits a text line that ends with a party printed elsewhere in the
/// document on a line of its own (`Tilrettelegge for ... studier Helse
/// Midt-Norge RHF`): the text order glued the two columns.
fn split_known_party(raw: &str, parties: &[String]) -> Option<(String, String)> {
    let t = raw.trim();
    for p in parties {
        if let Some(left) = t.strip_suffix(p.as_str()) {
            let left = left.trim_end();
            if left.len() < t.len()
                && left.ends_with(|c: char| c.is_alphanumeric() || c == ')')
                && left.split_whitespace().count() >= 2
                && !vocab::is_party_line(left)
            {
                return Some((left.to_string(), p.clone()));
            }
        }
    }
    None
}
