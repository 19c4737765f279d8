//! The main document's body, and the notes it references, into layout blocks.
//!
//! One paragraph (`w:p`) is one [`Line`], or several where it holds line
//! breaks (`w:br`); its list label, resolved through [`Numbering`], is printed
//! in front of its text as Word prints it. Tables (`w:tbl`) keep their grid:
//! a cell spanning N grid columns is followed by N-1 empty cells, the cells a
//! vertical merge continues into are empty. What a reader sees in print is
//! what is kept: tracked insertions yes, deletions no; field results yes,
//! field codes no; hidden text no.

use std::collections::{BTreeSet, HashMap};

use super::numbering::{roman, Counters, Label, Numbering};
use super::styles::{left_indent, outline_heading, NumRef, ParagraphStyle, RunProps, StyleSheet};
use super::xml::{toggle, Element};
use crate::layout::{dominant_size, flatten, Block, Cell, Line, Row, Table, TableOrigin};
use crate::model::Warning;

/// Most grid columns a row is padded to (Word allows 63).
const MAX_COLUMNS: usize = 64;

/// Size Word assumes when no style sets one, in points.
const DEFAULT_FONT_SIZE: f32 = 10.0;

/// Whose numbering a note reference takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NoteKind {
    /// Numbered 1, 2, 3...
    Footnote,
    /// Numbered i, ii, iii... (Word's default for endnotes).
    Endnote,
}

/// Where a complex field (`w:fldChar`) is: its code, or its printed result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FieldPart {
    Code,
    Result,
}

/// Things not carried into the layout, reported once each as warnings.
#[derive(Debug, Default)]
struct Skipped {
    figures: usize,
    objects: usize,
    undefined_lists: BTreeSet<i64>,
    missing_notes: Vec<String>,
    merged_text: usize,
    unbalanced_fields: usize,
}

/// Reads block content with the document's styles and lists.
pub(crate) struct BodyReader<'a> {
    styles: &'a StyleSheet,
    numbering: &'a Numbering,
    counters: Counters,
    /// Open complex fields, outermost first.
    fields: Vec<FieldPart>,
    /// Note ids in the order they are first referenced.
    footnote_refs: Vec<String>,
    endnote_refs: Vec<String>,
    /// The mark a `w:footnoteRef` prints while reading that note.
    note_mark: Option<String>,
    skipped: Skipped,
}

impl<'a> BodyReader<'a> {
    pub fn new(styles: &'a StyleSheet, numbering: &'a Numbering) -> BodyReader<'a> {
        BodyReader {
            styles,
            numbering,
            counters: Counters::default(),
            fields: Vec::new(),
            footnote_refs: Vec::new(),
            endnote_refs: Vec::new(),
            note_mark: None,
            skipped: Skipped::default(),
        }
    }

    /// Paragraphs and tables of a block container (`w:body`, a cell, a note,
    /// a text box) in order. An empty paragraph adds 1 to the `space_before`
    /// of the next line; a table ends that gap.
    pub fn blocks(&mut self, container: &Element) -> Vec<Block> {
        let mut out = Vec::new();
        let mut gap = 0.0;
        for el in content(container) {
            match el.name.as_str() {
                "w:p" => {
                    let lines = self.paragraph(el);
                    if lines.is_empty() {
                        gap += 1.0;
                    }
                    for (i, mut line) in lines.into_iter().enumerate() {
                        if i == 0 {
                            line.space_before += gap;
                            gap = 0.0;
                        }
                        out.push(Block::Line(line));
                    }
                }
                "w:tbl" => {
                    if let Some(table) = self.table(el) {
                        out.push(Block::Table(table));
                    }
                    gap = 0.0;
                }
                "w:altChunk" => self.skipped.objects += 1,
                _ => {}
            }
        }
        out
    }

    /// The notes referenced so far (and those they reference), each as lines
    /// starting with its mark: `1 Regional utviklingsplan 2023-2026`.
    pub fn notes(&mut self, kind: NoteKind, part: Option<&Element>) -> Vec<Block> {
        let tag = match kind {
            NoteKind::Footnote => "w:footnote",
            NoteKind::Endnote => "w:endnote",
        };
        let by_id: HashMap<&str, &Element> = part
            .map(|p| p.children_named(tag).filter(|n| n.attr("w:type").is_none_or(|t| t == "normal")).filter_map(|n| Some((n.attr("w:id")?, n))).collect())
            .unwrap_or_default();
        let mut out = Vec::new();
        let mut i = 0;
        // Notes may reference further notes, which join the end of the list.
        while let Some(id) = self.refs(kind).get(i).cloned() {
            i += 1;
            let Some(note) = by_id.get(id.as_str()) else {
                self.skipped.missing_notes.push(id);
                continue;
            };
            let mark = match kind {
                NoteKind::Footnote => i.to_string(),
                NoteKind::Endnote => roman(i as i64).map_or_else(|| i.to_string(), |r| r.to_lowercase()),
            };
            self.note_mark = Some(mark.clone());
            let mut blocks = self.blocks(note);
            self.note_mark = None;
            // A note without its own mark run still reads as "N text".
            if let Some(Block::Line(first)) = blocks.first_mut() {
                if !first.text.starts_with(&mark) {
                    first.text = format!("{mark} {}", first.text);
                }
            }
            out.extend(blocks);
        }
        if let Some(Block::Line(first)) = out.first_mut() {
            // The separator rule above the notes.
            first.space_before += 1.0;
        }
        out
    }

    /// What was skipped, as warnings.
    pub fn warnings(&self) -> Vec<Warning> {
        let s = &self.skipped;
        let mut out = Vec::new();
        let mut warn = |happened: bool, code: &str, message: String| {
            if happened {
                out.push(Warning::new(code, message, None));
            }
        };
        warn(s.figures > 0, "docx_figure_skipped", format!("{} drawing(s) or picture(s) without text skipped", s.figures));
        warn(s.objects > 0, "docx_object_skipped", format!("{} embedded object(s) or imported chunk(s) skipped", s.objects));
        let lists: Vec<String> = s.undefined_lists.iter().map(i64::to_string).collect();
        warn(!lists.is_empty(), "docx_list_undefined", format!("list numbering not defined (numId {}); labels missing", lists.join(", ")));
        warn(!s.missing_notes.is_empty(), "docx_note_missing", format!("referenced note(s) not found: id {}", s.missing_notes.join(", ")));
        warn(s.merged_text > 0, "docx_merged_text_dropped", format!("text of {} vertically merged cell(s) dropped, as Word hides it", s.merged_text));
        warn(s.unbalanced_fields > 0, "docx_field_unbalanced", format!("{} field code(s) left open at a paragraph end; closed there", s.unbalanced_fields));
        out
    }

    fn refs(&self, kind: NoteKind) -> &Vec<String> {
        match kind {
            NoteKind::Footnote => &self.footnote_refs,
            NoteKind::Endnote => &self.endnote_refs,
        }
    }

    fn refer(&mut self, kind: NoteKind, id: &str) {
        let refs = match kind {
            NoteKind::Footnote => &mut self.footnote_refs,
            NoteKind::Endnote => &mut self.endnote_refs,
        };
        if !refs.iter().any(|r| r == id) {
            refs.push(id.to_string());
        }
    }

    /// One paragraph as printed lines, then the lines of any text boxes
    /// anchored in it. Empty when nothing prints.
    fn paragraph(&mut self, p: &Element) -> Vec<Line> {
        let ppr = p.child("w:pPr");
        let style = self.styles.paragraph(ppr.and_then(|p| p.child_val("w:pStyle")));
        let heading = ppr.and_then(outline_heading).unwrap_or(style.heading);
        let label = self.label(ppr, &style);
        let indent = ppr.and_then(left_indent).or(label.as_ref().and_then(|l| l.indent)).or(style.indent);

        let mut text = ParagraphText::default();
        let mut boxes = Vec::new();
        self.inline(p, &style, &mut text, &mut boxes);
        // A field code does not run past its paragraph; one still open is
        // unbalanced and would otherwise hide the rest of the document.
        if let Some(open) = self.fields.iter().position(|f| *f == FieldPart::Code) {
            self.fields.truncate(open);
            self.skipped.unbalanced_fields += 1;
        }

        let mut lines = text.into_lines(label, heading);
        for line in &mut lines {
            line.indent = indent.map_or(0.0, |twips| (twips as f32 / 20.0).max(0.0));
        }
        lines.extend(boxes);
        lines
    }

    /// The list label of a paragraph, advancing its list's counters.
    fn label(&mut self, ppr: Option<&Element>, style: &ParagraphStyle) -> Option<Label> {
        let direct = ppr.and_then(|p| p.child("w:numPr")).map(NumRef::parse);
        let num = direct.unwrap_or_default().or(style.num);
        let num_id = num.num_id.filter(|&n| n != 0)?;
        if !self.numbering.has(num_id) {
            self.skipped.undefined_lists.insert(num_id);
            return None;
        }
        let level = num
            .level
            .or_else(|| {
                let sid = style.id.as_deref()?;
                self.numbering.level_of_style(num_id, sid, self.styles)
            })
            .unwrap_or(0);
        self.numbering.next_label(&mut self.counters, num_id, level, self.styles)
    }

    /// Runs and what wraps them (hyperlinks, insertions, content controls).
    fn inline(&mut self, el: &Element, style: &ParagraphStyle, text: &mut ParagraphText, boxes: &mut Vec<Line>) {
        for child in content(el) {
            match child.name.as_str() {
                "w:r" => self.run(child, style, text, boxes),
                "m:oMath" | "m:oMathPara" if !self.in_field_code() => {
                    let mut math = String::new();
                    math_text(child, &mut math);
                    text.push(&math, style.run);
                }
                _ => {}
            }
        }
    }

    fn run(&mut self, r: &Element, style: &ParagraphStyle, text: &mut ParagraphText, boxes: &mut Vec<Line>) {
        let rpr = r.child("w:rPr");
        let mut props = rpr.map(RunProps::parse).unwrap_or_default();
        if let Some(cs) = rpr.and_then(|p| p.child_val("w:rStyle")) {
            props = props.or(self.styles.character(cs));
        }
        let props = props.or(style.run);
        let hidden = props.hidden == Some(true);
        for child in content(r) {
            let name = child.name.as_str();
            if name == "w:fldChar" {
                self.field_char(child);
                continue;
            }
            if hidden || self.in_field_code() {
                continue;
            }
            match name {
                "w:t" => text.push(&child.text(), props),
                "w:tab" | "w:ptab" => text.push("\t", props),
                "w:br" | "w:cr" => text.line_break(),
                "w:softHyphen" => text.push("\u{AD}", props),
                "w:noBreakHyphen" => text.push("-", props),
                "w:sym" => {
                    let c = child.attr("w:char").and_then(|h| u32::from_str_radix(h.trim(), 16).ok()).and_then(char::from_u32);
                    if let Some(c) = c {
                        text.push(c.encode_utf8(&mut [0; 4]), props);
                    }
                }
                "w:footnoteReference" | "w:endnoteReference" => {
                    // The mark is a superscript digit; inline it would glue to
                    // the word before ("2023-20261"). The note itself is
                    // appended after the body.
                    let kind = if name == "w:footnoteReference" { NoteKind::Footnote } else { NoteKind::Endnote };
                    if let Some(id) = child.attr("w:id") {
                        self.refer(kind, id);
                    }
                }
                "w:footnoteRef" | "w:endnoteRef" => {
                    if let Some(mark) = self.note_mark.clone() {
                        text.push(&mark, props);
                    }
                }
                "w:drawing" | "w:pict" => self.figure(child, boxes),
                "w:object" => self.skipped.objects += 1,
                _ => {}
            }
        }
    }

    fn field_char(&mut self, el: &Element) {
        match el.attr("w:fldCharType") {
            Some("begin") => self.fields.push(FieldPart::Code),
            Some("separate") => {
                if let Some(last) = self.fields.last_mut() {
                    *last = FieldPart::Result;
                }
            }
            Some("end") => {
                self.fields.pop();
            }
            _ => {}
        }
    }

    /// Inside the code of any open field (codes of nested fields included).
    fn in_field_code(&self) -> bool {
        self.fields.contains(&FieldPart::Code)
    }

    /// Text boxes of a drawing become lines; a drawing without text is skipped.
    fn figure(&mut self, el: &Element, boxes: &mut Vec<Line>) {
        let mut found = Vec::new();
        text_boxes(el, &mut found);
        if found.is_empty() {
            self.skipped.figures += 1;
        }
        for txbx in found {
            let blocks = self.blocks(txbx);
            boxes.extend(flatten(blocks));
        }
    }

    fn table(&mut self, tbl: &Element) -> Option<Table> {
        let grid = tbl.child("w:tblGrid").map_or(0, |g| g.children_named("w:gridCol").count());
        let mut rows = Vec::new();
        for tr in content(tbl).into_iter().filter(|e| e.name == "w:tr") {
            let trpr = tr.child("w:trPr");
            if trpr.and_then(|p| p.child("w:del")).is_some() {
                // A tracked row deletion.
                continue;
            }
            let header = trpr.and_then(|p| p.child("w:tblHeader")).is_some_and(toggle);
            let mut cells = Vec::new();
            pad(&mut cells, trpr.and_then(|p| p.child_int("w:gridBefore")));
            for tc in content(tr).into_iter().filter(|e| e.name == "w:tc") {
                let tcpr = tc.child("w:tcPr");
                let span = tcpr.and_then(|p| p.child_int("w:gridSpan")).unwrap_or(1);
                let continues = |name: &str| tcpr.and_then(|p| p.child(name)).is_some_and(|m| m.val() != Some("restart"));
                // Read even a merged cell, so list counters and note
                // references run on as in Word.
                let cell = Cell { lines: flatten(self.blocks(tc)) };
                if continues("w:vMerge") || continues("w:hMerge") {
                    if !cell.is_empty() {
                        self.skipped.merged_text += 1;
                    }
                    cells.push(Cell::default());
                } else {
                    cells.push(cell);
                }
                pad(&mut cells, Some(span.saturating_sub(1)));
            }
            pad(&mut cells, trpr.and_then(|p| p.child_int("w:gridAfter")));
            while cells.len() < grid.min(MAX_COLUMNS) {
                cells.push(Cell::default());
            }
            rows.push(Row { cells, pages: Vec::new(), header });
        }
        if rows.is_empty() {
            return None;
        }
        Some(Table { rows, pages: Vec::new(), origin: TableOrigin::Docx })
    }
}

/// Appends `n` empty cells (a span or a skipped grid column), within reason.
fn pad(cells: &mut Vec<Cell>, n: Option<i64>) {
    let n = n.unwrap_or(0).clamp(0, MAX_COLUMNS as i64);
    for _ in 0..n {
        cells.push(Cell::default());
    }
}

/// The children of `el` that carry content, with wrappers opened: content
/// controls, custom XML, smart tags, hyperlinks, simple fields, tracked
/// insertions and moves in, and the chosen branch of markup-compatibility
/// alternatives. Tracked deletions and moves out are left out.
fn content(el: &Element) -> Vec<&Element> {
    let mut out = Vec::new();
    collect_content(el, &mut out);
    out
}

fn collect_content<'e>(el: &'e Element, out: &mut Vec<&'e Element>) {
    for child in el.elements() {
        match child.name.as_str() {
            "w:sdt" => {
                if let Some(c) = child.child("w:sdtContent") {
                    collect_content(c, out);
                }
            }
            "w:sdtContent" | "w:customXml" | "w:smartTag" | "w:ins" | "w:moveTo" | "w:hyperlink" | "w:fldSimple" | "w:dir" | "w:bdo" => {
                collect_content(child, out)
            }
            "mc:AlternateContent" => {
                if let Some(branch) = alternative(child) {
                    collect_content(branch, out);
                }
            }
            "w:del" | "w:moveFrom" => {}
            _ => out.push(child),
        }
    }
}

/// The branch of an `mc:AlternateContent` to read: the first choice (this
/// reader knows the namespaces Word requires), else the fallback.
fn alternative(ac: &Element) -> Option<&Element> {
    ac.child("mc:Choice").or_else(|| ac.child("mc:Fallback"))
}

/// Text box contents (`w:txbxContent`) inside a drawing, each once.
fn text_boxes<'e>(el: &'e Element, out: &mut Vec<&'e Element>) {
    for child in el.elements() {
        match child.name.as_str() {
            "w:txbxContent" => out.push(child),
            "mc:AlternateContent" => {
                if let Some(branch) = alternative(child) {
                    text_boxes(branch, out);
                }
            }
            _ => text_boxes(child, out),
        }
    }
}

/// The text of an Office Math zone (`m:t` runs) in order.
fn math_text(el: &Element, out: &mut String) {
    for child in el.elements() {
        if child.name == "m:t" {
            out.push_str(&child.text());
        } else {
            math_text(child, out);
        }
    }
}

/// The text of one paragraph, split at its line breaks, with the formatting
/// of its characters counted so a line's dominant style can be chosen.
#[derive(Default)]
struct ParagraphText {
    /// Finished lines; the line being written is `current`.
    done: Vec<LineText>,
    current: LineText,
}

#[derive(Default)]
struct LineText {
    text: String,
    /// Printing characters, and how many of them are bold / italic.
    chars: usize,
    bold: usize,
    italic: usize,
    /// Printing characters per font size.
    sizes: Vec<(f32, usize)>,
}

impl ParagraphText {
    fn push(&mut self, s: &str, props: RunProps) {
        let line = &mut self.current;
        for c in s.chars() {
            // A raw newline in `w:t` prints as a space.
            line.text.push(if c == '\n' || c == '\r' { ' ' } else { c });
        }
        let n = s.chars().filter(|c| !c.is_whitespace()).count();
        line.chars += n;
        if props.bold == Some(true) {
            line.bold += n;
        }
        if props.italic == Some(true) {
            line.italic += n;
        }
        let size = props.size.unwrap_or(DEFAULT_FONT_SIZE);
        match line.sizes.iter_mut().find(|(s, _)| *s == size) {
            Some((_, count)) => *count += n,
            None => line.sizes.push((size, n)),
        }
    }

    fn line_break(&mut self) {
        self.done.push(std::mem::take(&mut self.current));
    }

    /// The printed lines, the label in front of the first one. A break with
    /// nothing after it adds to the next line's `space_before`.
    fn into_lines(mut self, label: Option<Label>, heading: Option<u8>) -> Vec<Line> {
        self.line_break();
        let mut label = label.filter(|l| !l.text.is_empty());
        let mut out = Vec::new();
        let mut gap = 0.0;
        for lt in self.done {
            let body = lt.text.trim();
            if body.is_empty() {
                gap += 1.0;
                continue;
            }
            let (text, bullet) = match label.take() {
                Some(l) => (format!("{}{body}", l.text), l.bullet),
                None => (body.to_string(), false),
            };
            let font_size = dominant_size(&lt.sizes).unwrap_or(DEFAULT_FONT_SIZE);
            out.push(Line {
                text,
                font_size,
                bold: lt.bold * 2 > lt.chars,
                italic: lt.italic * 2 > lt.chars,
                heading,
                space_before: gap,
                bullet,
                ..Line::default()
            });
            gap = 0.0;
        }
        out
    }
}
