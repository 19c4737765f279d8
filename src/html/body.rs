//! The main content's elements into layout blocks.
//!
//! A block element (`p`, `div`, `h1`..`h6`, `li`, ...) starts and ends a
//! [`Line`]; `br` ends a line inside one; inline elements add their text with
//! their style to the line being written, white space collapsed as a browser
//! does. An empty paragraph (`<p><br></p>`, `<p></p>`) adds 1 to the
//! `space_before` of the next line, as an empty Word paragraph does. List
//! items start with their printed label (`list-style-type`, `start`,
//! `value`, `reversed`, `@counter-style`). Tables are laid on a grid: a cell
//! spanning N columns is followed by N-1 empty cells and the rows a
//! `rowspan` reaches get an empty cell, as the DOCX reader gives merged
//! cells. Footnote marks (`sup` with a number or an in-page link) are left
//! out of the text, except at the start of a line, where they label the note
//! itself (`"1 Regional utviklingsplan"`).

use scraper::node::Node;
use scraper::ElementRef;

use super::css::{Style, StyleSheet};
use super::furniture;
use crate::layout::{dominant_size, flatten, Block, Cell, Line, Row, Table, TableOrigin};
use crate::model::Warning;

/// Deepest element nesting read; deeper content is skipped with a warning.
const MAX_DEPTH: usize = 200;

/// Most grid columns a table row is given.
const MAX_COLUMNS: usize = 64;

/// Most rows one `rowspan` reaches (the HTML standard's limit).
const MAX_ROWSPAN: usize = 65534;

/// Indent per list level, in points (a browser's 40 px).
const LIST_INDENT: f32 = 30.0;

/// The heading level of `h1`..`h6`, or of `role="heading"` with `aria-level`.
pub fn heading_level(el: &ElementRef) -> Option<u8> {
    let name = el.value().name();
    if let Some(d) = name.strip_prefix('h').filter(|d| d.len() == 1) {
        return d.parse::<u8>().ok().filter(|l| (1..=6).contains(l));
    }
    if el.value().attr("role") == Some("heading") {
        return Some(el.value().attr("aria-level").and_then(|l| l.trim().parse::<u8>().ok()).unwrap_or(2).clamp(1, 6));
    }
    None
}

/// An element's text, white space folded.
pub fn plain_text(el: ElementRef) -> String {
    let text: String = el.text().collect();
    crate::text::clean(&text)
}

/// Things not carried into the layout, reported once each as warnings.
#[derive(Debug, Default)]
struct Skipped {
    furniture_lines: usize,
    note_marks: usize,
    too_deep: usize,
    images: usize,
}

/// Reads the content of a page with its computed styles.
pub(crate) struct BodyReader<'a> {
    sheet: &'a StyleSheet,
    skipped: Skipped,
}

/// Where the walk is: what the enclosing elements make of a line.
#[derive(Debug, Clone, Default)]
struct Context {
    heading: Option<u8>,
    list_depth: usize,
    preformatted: bool,
    depth: usize,
}

/// Lines being written for one container (the page, or a table cell).
#[derive(Default)]
struct Sink {
    blocks: Vec<Block>,
    line: LineText,
    /// Empty paragraphs and blank line breaks since the last line.
    gap: f32,
    /// The label of the list item whose first line is not written yet.
    label: Option<(String, bool)>,
    /// Something (text or a line break) was written since this was reset.
    wrote: bool,
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
    heading: Option<u8>,
    indent: f32,
}

impl Sink {
    /// Adds text as a browser shows it: runs of white space as one space,
    /// none at the start of a line; soft hyphens and zero-width spaces dropped.
    fn push(&mut self, s: &str, style: &Style, ctx: &Context) {
        if self.line.text.is_empty() {
            self.line.heading = ctx.heading;
            self.line.indent = ctx.list_depth as f32 * LIST_INDENT;
        }
        if ctx.preformatted {
            let mut parts = s.split('\n');
            if let Some(first) = parts.next() {
                self.push_run(first, style, true);
            }
            for part in parts {
                self.line_break();
                self.push_run(part, style, true);
            }
            return;
        }
        self.push_run(s, style, false);
    }

    fn push_run(&mut self, s: &str, style: &Style, keep_spaces: bool) {
        let line = &mut self.line;
        let mut n = 0;
        for c in s.chars() {
            let space = c == '\u{00A0}' || c.is_whitespace();
            if c == '\u{00AD}' || c == '\u{200B}' || c == '\u{FEFF}' || (c.is_control() && !space) {
                continue;
            }
            if space {
                if keep_spaces || !(line.text.is_empty() || line.text.ends_with(' ')) {
                    line.text.push(' ');
                }
                continue;
            }
            line.text.push(c);
            n += 1;
        }
        if n == 0 {
            return;
        }
        self.wrote = true;
        line.chars += n;
        if style.bold {
            line.bold += n;
        }
        if style.italic {
            line.italic += n;
        }
        match line.sizes.iter_mut().find(|(s, _)| *s == style.font_size) {
            Some((_, count)) => *count += n,
            None => line.sizes.push((style.font_size, n)),
        }
    }

    /// `br`: ends the line; a break with nothing before it is a blank line.
    fn line_break(&mut self) {
        self.wrote = true;
        if self.line.chars == 0 {
            self.gap += 1.0;
            self.line = LineText::default();
            return;
        }
        self.flush_line();
    }

    /// Ends the line being written, if it has text.
    fn flush_line(&mut self) -> bool {
        let lt = std::mem::take(&mut self.line);
        let body = lt.text.trim();
        if lt.chars == 0 || body.is_empty() {
            return false;
        }
        let (text, bullet) = match self.label.take() {
            Some((label, bullet)) => (format!("{label}{body}"), bullet),
            None => (body.to_string(), false),
        };
        let font_size = dominant_size(&lt.sizes).unwrap_or(super::css::DEFAULT_FONT_SIZE);
        self.blocks.push(Block::Line(Line {
            text,
            font_size,
            bold: lt.bold * 2 > lt.chars,
            italic: lt.italic * 2 > lt.chars,
            heading: lt.heading,
            space_before: self.gap,
            indent: lt.indent,
            bullet,
            ..Line::default()
        }));
        self.gap = 0.0;
        true
    }

    fn push_table(&mut self, table: Table) {
        self.flush_line();
        self.gap = 0.0;
        self.blocks.push(Block::Table(table));
    }
}

impl<'a> BodyReader<'a> {
    pub fn new(sheet: &'a StyleSheet) -> BodyReader<'a> {
        BodyReader { sheet, skipped: Skipped::default() }
    }

    /// The blocks of an element's content in reading order.
    pub fn read(&mut self, root: ElementRef) -> Vec<Block> {
        let mut sink = Sink::default();
        let ctx = Context::default();
        self.children(root, &ctx, &mut sink);
        self.finish(sink)
    }

    /// What was skipped, as warnings.
    pub fn warnings(&self) -> Vec<Warning> {
        let s = &self.skipped;
        let mut out = Vec::new();
        let mut warn = |n: usize, code: &str, message: String| {
            if n > 0 {
                out.push(Warning::new(code, message, None));
            }
        };
        warn(s.furniture_lines, "html_furniture_lines", format!("{} line(s) of page chrome (share, print, updated stamps) left out", s.furniture_lines));
        warn(s.note_marks, "html_note_marks", format!("{} footnote mark(s) left out of the text", s.note_marks));
        warn(s.too_deep, "html_too_deep", format!("{} element(s) nested deeper than {MAX_DEPTH} levels skipped", s.too_deep));
        warn(s.images, "html_images_skipped", format!("{} image(s) without text skipped", s.images));
        out
    }

    fn finish(&mut self, mut sink: Sink) -> Vec<Block> {
        self.flush(&mut sink);
        sink.blocks
    }

    /// Ends the current line, leaving out a line of page chrome.
    fn flush(&mut self, sink: &mut Sink) {
        let text = crate::text::clean(&sink.line.text);
        if !text.is_empty() && furniture::is_furniture_line(&text) {
            sink.line = LineText::default();
            self.skipped.furniture_lines += 1;
            return;
        }
        sink.flush_line();
    }

    fn children(&mut self, el: ElementRef, ctx: &Context, sink: &mut Sink) {
        let style = self.sheet.get(el);
        for child in el.children() {
            match child.value() {
                Node::Text(t) => sink.push(t, &style, ctx),
                Node::Element(_) => {
                    if let Some(child) = ElementRef::wrap(child) {
                        self.element(child, ctx, sink);
                    }
                }
                _ => {}
            }
        }
    }

    fn element(&mut self, el: ElementRef, ctx: &Context, sink: &mut Sink) {
        if ctx.depth >= MAX_DEPTH {
            self.skipped.too_deep += 1;
            return;
        }
        if furniture::is_furniture(el, self.sheet) {
            return;
        }
        let mut ctx = Context { depth: ctx.depth + 1, ..ctx.clone() };
        let style = self.sheet.get(el);
        let name = el.value().name();
        match name {
            "br" => return sink.line_break(),
            "img" => {
                let alt = el.value().attr("alt").map(str::trim).unwrap_or("");
                if alt.is_empty() {
                    self.skipped.images += 1;
                } else if !is_block(name, &style) {
                    sink.push(alt, &style, &ctx);
                }
                return;
            }
            "sup" | "sub" if is_note_mark(el) => {
                if sink.line.chars == 0 {
                    // The note's own label, at the start of the note.
                    let mark = plain_text(el);
                    sink.push(&format!("{mark} "), &style, &ctx);
                } else {
                    self.skipped.note_marks += 1;
                }
                return;
            }
            "a" if is_back_link(el) => return,
            "table" => {
                self.flush(sink);
                // The caption prints above the table, as a line of its own.
                for caption in el.children().filter_map(ElementRef::wrap).filter(|c| c.value().name() == "caption") {
                    self.element(caption, &ctx, sink);
                }
                self.flush(sink);
                if let Some(table) = self.table(el, &ctx) {
                    sink.push_table(table);
                }
                return;
            }
            "ol" | "ul" | "menu" | "dir" if is_block(name, &style) => {
                self.flush(sink);
                self.list(el, &ctx, sink);
                self.flush(sink);
                return;
            }
            "hr" => {
                self.flush(sink);
                sink.gap += 1.0;
                return;
            }
            "pre" | "listing" | "xmp" | "plaintext" => ctx.preformatted = true,
            _ => {}
        }
        if let Some(level) = heading_level(&el) {
            ctx.heading = Some(level);
        }
        if !is_block(name, &style) {
            self.children(el, &ctx, sink);
            return;
        }
        self.flush(sink);
        sink.wrote = false;
        self.children(el, &ctx, sink);
        let wrote = sink.wrote;
        self.flush(sink);
        if !wrote && name == "p" {
            sink.gap += 1.0;
        }
        sink.wrote = true;
    }

    /// A list: each item starts with its label.
    fn list(&mut self, el: ElementRef, ctx: &Context, sink: &mut Sink) {
        let ordered = el.value().name() == "ol";
        let items: Vec<ElementRef> = el.children().filter_map(ElementRef::wrap).filter(|c| c.value().name() == "li").collect();
        let reversed = ordered && el.value().attr("reversed").is_some();
        let start = el.value().attr("start").and_then(|s| s.trim().parse::<i64>().ok());
        let mut n = match (start, reversed) {
            (Some(s), _) => s,
            (None, true) => items.len() as i64,
            (None, false) => 1,
        };
        let inner = Context { list_depth: ctx.list_depth + 1, depth: ctx.depth + 1, ..ctx.clone() };
        for child in el.children() {
            let Some(child) = ElementRef::wrap(child) else {
                if let Node::Text(t) = child.value() {
                    sink.push(t, &self.sheet.get(el), &inner);
                }
                continue;
            };
            if child.value().name() != "li" {
                self.element(child, &inner, sink);
                continue;
            }
            if furniture::is_furniture(child, self.sheet) {
                continue;
            }
            if let Some(v) = child.value().attr("value").and_then(|v| v.trim().parse::<i64>().ok()) {
                n = v;
            }
            let style = self.sheet.get(child);
            self.flush(sink);
            let display_item = style.display.as_deref().is_none_or(|d| d == "list-item");
            sink.label = if display_item { self.marker(&style.list_style, n) } else { None };
            sink.wrote = false;
            self.children(child, &Context { depth: inner.depth + 1, ..inner.clone() }, sink);
            self.flush(sink);
            sink.label = None;
            n = if reversed { n - 1 } else { n.saturating_add(1) };
        }
    }

    /// The printed label of item `n` of a list of type `kind`, with its
    /// separator, and whether it is a bullet.
    fn marker(&self, kind: &str, n: i64) -> Option<(String, bool)> {
        marker(kind, n, &self.sheet.counter_styles, 0)
    }

    fn table(&mut self, table: ElementRef, ctx: &Context) -> Option<Table> {
        // Row groups in display order: header, bodies (and bare rows), footer.
        let mut groups: Vec<(bool, Vec<ElementRef>)> = Vec::new();
        let mut footers = Vec::new();
        for child in table.children().filter_map(ElementRef::wrap) {
            if furniture::is_furniture(child, self.sheet) {
                continue;
            }
            match child.value().name() {
                "thead" => groups.push((true, rows_of(child))),
                "tbody" => groups.push((false, rows_of(child))),
                "tfoot" => footers.push((false, rows_of(child))),
                "tr" => groups.push((false, vec![child])),
                _ => {}
            }
        }
        groups.extend(footers);
        let cell_ctx = Context { depth: ctx.depth + 3, ..Context::default() };
        let mut grid: Vec<Vec<Option<Cell>>> = Vec::new();
        let mut header_rows: Vec<bool> = Vec::new();
        let mut all_th: Vec<bool> = Vec::new();
        for (is_head, rows) in groups {
            let first = grid.len();
            let end = first + rows.len();
            for (i, tr) in rows.iter().enumerate() {
                let r = first + i;
                if grid.len() <= r {
                    grid.resize_with(r + 1, Vec::new);
                }
                header_rows.push(is_head);
                let mut th_only = true;
                let mut c = 0;
                for td in tr.children().filter_map(ElementRef::wrap).filter(|e| matches!(e.value().name(), "td" | "th")) {
                    while grid[r].get(c).is_some_and(Option::is_some) {
                        c += 1;
                    }
                    if c >= MAX_COLUMNS {
                        break;
                    }
                    th_only &= td.value().name() == "th";
                    let colspan = span(td, "colspan", 1).min(MAX_COLUMNS - c);
                    // rowspan="0" reaches the end of the row group.
                    let rowspan = match span(td, "rowspan", 1) {
                        0 => end - r,
                        n => n.min(end - r).min(MAX_ROWSPAN),
                    }
                    .max(1);
                    let mut sink = Sink::default();
                    if !furniture::is_furniture(td, self.sheet) {
                        self.children(td, &cell_ctx, &mut sink);
                    }
                    let cell = Cell { lines: flatten(self.finish(sink)) };
                    for rr in r..r + rowspan {
                        if grid.len() <= rr {
                            grid.resize_with(rr + 1, Vec::new);
                        }
                        for cc in c..c + colspan {
                            if grid[rr].len() <= cc {
                                grid[rr].resize_with(cc + 1, || None);
                            }
                            grid[rr][cc] = Some(Cell::default());
                        }
                    }
                    grid[r][c] = Some(cell);
                    c += colspan;
                }
                all_th.push(th_only && grid[r].iter().any(Option::is_some));
            }
        }
        let width = grid.iter().map(Vec::len).max().unwrap_or(0);
        if width == 0 {
            return None;
        }
        // Leading rows of `th` cells head a table without `thead`.
        let leading_th = all_th.iter().take_while(|t| **t).count();
        let rows: Vec<Row> = grid
            .into_iter()
            .enumerate()
            .map(|(i, cells)| {
                let mut cells: Vec<Cell> = cells.into_iter().map(Option::unwrap_or_default).collect();
                cells.resize_with(width, Cell::default);
                Row { cells, pages: Vec::new(), header: header_rows.get(i).copied().unwrap_or(false) || i < leading_th && leading_th < all_th.len() }
            })
            .collect();
        Some(Table { rows, pages: Vec::new(), origin: TableOrigin::Html })
    }
}

/// Whether an element lays out as a block (starts and ends lines).
fn is_block(name: &str, style: &Style) -> bool {
    if let Some(d) = style.display.as_deref() {
        return !matches!(d, "inline" | "inline-block" | "inline-flex" | "inline-grid" | "contents" | "ruby");
    }
    matches!(
        name,
        "p" | "div"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "ol"
            | "ul"
            | "menu"
            | "dir"
            | "dl"
            | "dt"
            | "dd"
            | "blockquote"
            | "pre"
            | "address"
            | "section"
            | "article"
            | "aside"
            | "header"
            | "footer"
            | "main"
            | "figure"
            | "figcaption"
            | "table"
            | "tr"
            | "caption"
            | "hr"
            | "form"
            | "fieldset"
            | "legend"
            | "details"
            | "summary"
            | "center"
            | "body"
            | "html"
            | "hgroup"
            | "nav"
            | "listing"
            | "xmp"
            | "plaintext"
    )
}

/// A footnote mark: a `sup` (or `sub`) holding an in-page link, a number
/// (`1`, `[2]`) or note symbols (`*`, `†`).
fn is_note_mark(el: ElementRef) -> bool {
    let links_in_page = el
        .descendants()
        .filter_map(ElementRef::wrap)
        .any(|a| a.value().name() == "a" && (a.value().attr("href").is_some_and(|h| h.starts_with('#')) || a.value().attr("role") == Some("doc-noteref")));
    if links_in_page {
        return true;
    }
    let t = plain_text(el);
    let t = t.trim_start_matches('[').trim_end_matches(']').trim_start_matches('(').trim_end_matches(')');
    !t.is_empty() && t.len() <= 4 && (t.chars().all(|c| c.is_ascii_digit()) || t.chars().all(|c| matches!(c, '*' | '†' | '‡' | '§')))
}

/// A link back from a note to its mark (`↩`, `role="doc-backlink"`).
fn is_back_link(el: ElementRef) -> bool {
    if el.value().attr("role") == Some("doc-backlink") {
        return true;
    }
    let t = plain_text(el);
    !t.is_empty() && el.value().attr("href").is_some_and(|h| h.starts_with('#')) && t.chars().all(|c| matches!(c, '↩' | '↑' | '^' | '\u{FE0E}' | '\u{FE0F}'))
}

fn rows_of(group: ElementRef) -> Vec<ElementRef> {
    group.children().filter_map(ElementRef::wrap).filter(|e| e.value().name() == "tr").collect()
}

/// A `colspan`/`rowspan` value; unparsable values count as `default`.
fn span(el: ElementRef, attr: &str, default: usize) -> usize {
    el.value()
        .attr(attr)
        .and_then(|v| {
            let digits: String = v.trim().chars().take_while(char::is_ascii_digit).collect();
            digits.parse::<usize>().ok()
        })
        .map_or(default, |n| n.min(MAX_ROWSPAN))
}

/// The label of item `n` for a `list-style-type` value: bullets as `"• "`,
/// `"◦ "`, `"▪ "`, numbers as `"1. "`, `"a. "`, `"iv. "`, a string marker
/// as written, a `@counter-style` with its prefix and suffix. An unknown
/// counter style counts in decimal, as browsers do.
fn marker(kind: &str, n: i64, styles: &std::collections::HashMap<String, super::css::CounterStyle>, depth: usize) -> Option<(String, bool)> {
    let kind = kind.trim();
    if let Some(s) = kind.strip_prefix(['"', '\'']).and_then(|s| s.strip_suffix(['"', '\''])) {
        let s = s.trim();
        return (!s.is_empty()).then(|| (format!("{s} "), true));
    }
    let bullet = |s: &str| Some((format!("{s} "), true));
    let number = |s: String| Some((format!("{s}. "), false));
    match kind.to_ascii_lowercase().as_str() {
        "none" => None,
        "disc" => bullet("•"),
        "circle" => bullet("◦"),
        "square" => bullet("▪"),
        "disclosure-open" | "disclosure-closed" => bullet("▸"),
        "decimal" => number(n.to_string()),
        "decimal-leading-zero" => number(if (0..10).contains(&n) { format!("0{n}") } else { n.to_string() }),
        "lower-alpha" | "lower-latin" => number(alphabetic(n).unwrap_or_else(|| n.to_string())),
        "upper-alpha" | "upper-latin" => number(alphabetic(n).map_or_else(|| n.to_string(), |s| s.to_uppercase())),
        "lower-roman" => number(crate::text::roman(n).map_or_else(|| n.to_string(), |s| s.to_lowercase())),
        "upper-roman" => number(crate::text::roman(n).unwrap_or_else(|| n.to_string())),
        _ => {
            let Some(cs) = styles.get(kind).filter(|_| depth < 8) else {
                return number(n.to_string());
            };
            if cs.extends.as_deref() == Some("cyclic") {
                let len = cs.symbols.len() as i64;
                if len == 0 {
                    return None;
                }
                let symbol = &cs.symbols[((n - 1).rem_euclid(len)) as usize];
                return bullet(symbol.trim());
            }
            let base = cs.extends.as_deref().unwrap_or("decimal");
            let (text, bullet) = marker(base, n, styles, depth + 1)?;
            if bullet {
                return Some((text, true));
            }
            let digits = text.trim_end().trim_end_matches('.');
            let prefix = cs.prefix.as_deref().unwrap_or("");
            let suffix = cs.suffix.as_deref().unwrap_or(". ");
            let mut label = format!("{prefix}{digits}{}", suffix.trim_end());
            label.push(' ');
            Some((label, false))
        }
    }
}

/// CSS `lower-alpha`: a..z, then aa, ab, ... (bijective base 26).
fn alphabetic(n: i64) -> Option<String> {
    if n < 1 {
        return None;
    }
    let mut n = n;
    let mut out = Vec::new();
    while n > 0 {
        n -= 1;
        out.push(char::from(b'a' + (n % 26) as u8));
        n /= 26;
    }
    Some(out.into_iter().rev().collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn markers_print_as_browsers_do() {
        let none = HashMap::new();
        assert_eq!(marker("decimal", 3, &none, 0), Some(("3. ".to_string(), false)));
        assert_eq!(marker("lower-alpha", 28, &none, 0), Some(("ab. ".to_string(), false)));
        assert_eq!(marker("upper-roman", 4, &none, 0), Some(("IV. ".to_string(), false)));
        assert_eq!(marker("'-   '", 1, &none, 0), Some(("- ".to_string(), true)));
        assert_eq!(marker("none", 1, &none, 0), None);
        assert_eq!(marker("no-such-style", 2, &none, 0), Some(("2. ".to_string(), false)));
        let mut styles = HashMap::new();
        styles
            .insert("paren".to_string(), super::super::css::CounterStyle { extends: Some("decimal".into()), suffix: Some(") ".into()), ..Default::default() });
        assert_eq!(marker("paren", 2, &styles, 0), Some(("2) ".to_string(), false)));
    }
}
