//! PDF spans into lines, blocks and table cells, from geometry.
//!
//! Tables are found from ruling lines: stroked segments and thin filled
//! rectangles (LibreOffice strokes cell borders, Chromium fills 0.75 pt
//! rectangles). Column edges are the x positions of vertical rulings, row
//! edges the y positions of horizontal ones; each span is put in the cell
//! that holds its centre. A table that continues at the top of the next page
//! with the same column edges is the same table; its repeated header row is
//! dropped and a row split by the page break is joined to its first part.
//!
//! All coordinates: PDF points, top-left origin, y down (see [`crate::pdf`]).

use std::collections::HashMap;

use super::{BBox, Block, Cell, LayoutDocument, Line, PageMeta, Row, Table, TableOrigin};
use crate::model::{SourceFormat, Warning};
use crate::pdf::{PdfDocument, PdfPage, ShapeKind, TextSpan};

/// A ruling thinner than this (points) is a line, thicker a shaded area.
const RULE_THICKNESS: f32 = 2.5;
/// Edges closer than this (points) are the same edge.
const EDGE_SNAP: f32 = 2.0;

/// A table found on one page, before pages are joined.
#[derive(Debug, Clone)]
struct PageTable {
    cols: Vec<f32>,
    rows: Vec<Row>,
}

/// One page's content in reading order.
enum Item {
    Line(Line),
    Table(PageTable),
}

/// Lays out a PDF's pages.
pub fn layout(doc: &PdfDocument) -> LayoutDocument {
    layout_with(doc, &super::Cues::NONE)
}

/// [`layout`] with the vocabulary's cues (a page with a measure-table header
/// is not split into text columns).
pub fn layout_with(doc: &PdfDocument, cues: &super::Cues) -> LayoutDocument {
    let mut pages_meta = Vec::new();
    let mut per_page: Vec<Vec<Item>> = Vec::new();
    let mut warnings: Vec<Warning> = doc.warnings.iter().map(|w| Warning::new(w.code, w.message.clone(), w.page)).collect();
    let running = running_lines(doc);
    let mut tagged_headings = 0usize;
    for page in &doc.pages {
        let (mut items, meta) = layout_page(page, &running, cues);
        if let Some(tree) = &doc.structure {
            tagged_headings += tag_headings(&mut items, tree);
        }
        pages_meta.push(meta);
        per_page.push(items);
    }
    let blocks = join_pages(per_page, &mut warnings);
    LayoutDocument {
        format: SourceFormat::Pdf,
        pages: pages_meta,
        blocks,
        warnings,
        declared_title: doc.info_title.clone(),
        table_source: "geometry",
        heading_source: if tagged_headings > 0 { "tags" } else { "fonts" },
    }
}

/// Text of lines in the top or bottom margin that repeat on several pages
/// (digits folded, so `Side 2 av 5` repeats too).
fn running_lines(doc: &PdfDocument) -> HashMap<String, usize> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for page in &doc.pages {
        let mut seen = std::collections::HashSet::new();
        for line in group_lines(&page.spans.iter().collect::<Vec<_>>(), page.number) {
            if let Some(b) = line.bbox {
                if b.y1 < page.height * 0.09 || b.y0 > page.height * 0.91 {
                    let key = fold_digits(&line.text);
                    if seen.insert(key.clone()) {
                        *counts.entry(key).or_default() += 1;
                    }
                }
            }
        }
    }
    let min = (doc.pages.len() / 2).max(2);
    counts.retain(|_, n| *n >= min);
    counts
}

fn fold_digits(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii_digit() { '#' } else { c }).collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ")
}

fn layout_page(page: &PdfPage, running: &HashMap<String, usize>, cues: &super::Cues) -> (Vec<Item>, PageMeta) {
    let mut meta = PageMeta { number: page.number, width: page.width, height: page.height, header: vec![], footer: vec![] };
    let tables = find_tables(page);
    let mut loose: Vec<&TextSpan> = Vec::new();
    let mut cell_spans: Vec<Vec<Vec<Vec<&TextSpan>>>> =
        tables.iter().map(|t| vec![vec![Vec::new(); t.cols.len().saturating_sub(1)]; t.row_edges.len().saturating_sub(1)]).collect();
    for span in &page.spans {
        if span.text.trim().is_empty() {
            continue;
        }
        let cx = (span.x0 + span.x1) / 2.0;
        let cy = span.y - span.font_size * 0.3;
        let mut placed = false;
        for (ti, t) in tables.iter().enumerate() {
            if cy < t.bbox.y0 || cy > t.bbox.y1 || cx < t.bbox.x0 || cx > t.bbox.x1 {
                continue;
            }
            let col =
                t.cols.windows(2).position(|w| span.x0 + 0.5 >= w[0] && span.x0 < w[1]).or_else(|| t.cols.windows(2).position(|w| cx >= w[0] && cx < w[1]));
            let row = t.row_edges.windows(2).position(|w| cy >= w[0] && cy < w[1]);
            if let (Some(c), Some(r)) = (col, row) {
                if let Some(cell) = cell_spans.get_mut(ti).and_then(|t| t.get_mut(r)).and_then(|r| r.get_mut(c)) {
                    cell.push(span);
                    placed = true;
                }
            }
            break;
        }
        if !placed {
            loose.push(span);
        }
    }
    // A merged grouping cell's text belongs to the first row it spans, as
    // in a DOCX `vMerge`: the rows below keep that column empty.
    for (t, cells) in tables.iter().zip(cell_spans.iter_mut()) {
        let mut top = 0usize;
        for r in 1..cells.len() {
            let k = t.left_span.get(r).copied().unwrap_or(0);
            if k == 0 {
                top = r;
                continue;
            }
            for c in 0..k.min(cells[r].len()) {
                let moved = std::mem::take(&mut cells[r][c]);
                cells[top][c].extend(moved);
            }
        }
    }
    // Tables without rulings, from column alignment.
    let (aligned, loose) = super::aligned::find(&loose, page.number, group_lines);
    let discs: Vec<BBox> = page.shapes.iter().filter(|s| s.kind == ShapeKind::Disc).map(|s| BBox { x0: s.x0, y0: s.y0, x1: s.x1, y1: s.y1 }).collect();

    // Sort keys: (band top, reading-order group, y). Without columns each
    // line is its own band at its y.
    let mut items: Vec<((f32, usize, f32), Item)> = Vec::new();
    type Grouped = Vec<(Option<(f32, usize)>, Vec<Line>)>;
    let groups: Grouped = match columns_of(&loose, cues) {
        Some(groups) => groups.into_iter().enumerate().map(|(i, g)| (Some((g.band, i + 1)), group_lines(&g.spans, page.number))).collect(),
        None => vec![(None, group_lines(&loose, page.number))],
    };
    for (group, line) in groups.into_iter().flat_map(|(g, lines)| lines.into_iter().map(move |l| (g, l))) {
        let Some(b) = line.bbox else { continue };
        let in_margin = b.y1 < page.height * 0.09 || b.y0 > page.height * 0.91;
        let artifact = line_is_artifact(&line);
        if artifact
            || in_margin && (running.contains_key(&fold_digits(&line.text)) || super::is_page_label(&line.text) || super::is_bare_page_number(&line.text))
        {
            if b.y0 < page.height / 2.0 {
                meta.header.push(line.text.clone());
            } else {
                meta.footer.push(line.text.clone());
            }
            continue;
        }
        let key = group.map_or((b.y0, 0, b.y0), |(band, i)| (band, i, b.y0));
        items.push((key, Item::Line(line)));
    }
    for (t, spans) in tables.iter().zip(cell_spans) {
        let rows: Vec<Row> = spans
            .into_iter()
            .map(|cells| Row {
                cells: cells.into_iter().map(|c| Cell { lines: group_lines(&c, page.number) }).collect(),
                pages: vec![page.number],
                header: false,
            })
            .filter(|r| r.cells.iter().any(|c| !c.is_empty()))
            .collect();
        if rows.is_empty() {
            continue;
        }
        items.push(((t.bbox.y0, 0, t.bbox.y0), Item::Table(PageTable { cols: t.cols.clone(), rows })));
    }
    for t in aligned {
        items.push(((t.y0, 0, t.y0), Item::Table(PageTable { cols: t.cols, rows: t.rows })));
    }
    items.sort_by(|(a, _), (b, _)| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.total_cmp(&b.2)));
    let mut out: Vec<Item> = items.into_iter().map(|(_, i)| i).collect();
    mark_bullets(&mut out, &discs);
    compute_spacing(&mut out);
    (out, meta)
}

/// Column groups of a page's loose text, unless the page holds a measure
/// table header (a table without rulings whose columns must stay rows).
fn columns_of<'a>(loose: &[&'a TextSpan], cues: &super::Cues) -> Option<Vec<super::columns::Group<'a>>> {
    let groups = super::columns::split(loose)?;
    let header = group_lines(loose, 0).iter().any(|l| (cues.table_header_line)(&l.text));
    (!header).then_some(groups)
}

/// Tagged `/Artifact` text is running text by the producer's own word.
fn line_is_artifact(line: &Line) -> bool {
    line.artifact
}

/// Heading levels from the structure tree: a line whose marked content
/// belongs to an `H1`..`H6` (or `H`) element gets that level; the lines of
/// one heading element that wraps are joined into one line. Returns how many
/// headings were tagged.
fn tag_headings(items: &mut Vec<Item>, tree: &crate::pdf::StructTree) -> usize {
    let mut n = 0;
    let mut out: Vec<Item> = Vec::with_capacity(items.len());
    let mut last_heading: Option<usize> = None;
    for mut item in items.drain(..) {
        let owner = match &item {
            Item::Line(line) => heading_element(line, tree),
            Item::Table(_) => None,
        };
        if let (Item::Line(line), Some((node, level))) = (&mut item, owner) {
            if last_heading == Some(node) {
                if let Some(Item::Line(prev)) = out.last_mut() {
                    prev.text = crate::text::join_lines(&[prev.text.as_str(), line.text.as_str()], &[]);
                    if let (Some(a), Some(b)) = (prev.bbox.as_mut(), line.bbox) {
                        a.x0 = a.x0.min(b.x0);
                        a.x1 = a.x1.max(b.x1);
                        a.y1 = a.y1.max(b.y1);
                    }
                    continue;
                }
            }
            line.heading = Some(level);
            n += 1;
            last_heading = Some(node);
        } else {
            last_heading = None;
        }
        out.push(item);
    }
    *items = out;
    n
}

/// The `H`/`H1`..`H6` element (index, level) that holds a line's marked content.
fn heading_element(line: &Line, tree: &crate::pdf::StructTree) -> Option<(usize, u8)> {
    let mut node = tree.mcid_owner.get(&(line.page?, line.mcid?)).copied();
    // Headings hold their text directly or through a Span or Link.
    for _ in 0..3 {
        let i = node?;
        let el = tree.nodes.get(i)?;
        let level = match el.role.as_str() {
            "H" => Some(1),
            r if r.len() == 2 && r.starts_with('H') => r[1..].parse::<u8>().ok().filter(|l| (1..=6).contains(l)),
            _ => None,
        };
        if let Some(level) = level {
            return Some((i, level));
        }
        if matches!(el.role.as_str(), "P" | "TD" | "TH" | "LI" | "LBody" | "Table" | "L" | "Document" | "Sect") {
            return None;
        }
        node = el.parent;
    }
    None
}

/// Lines whose left edge has a drawn disc just before it are list items.
fn mark_bullets(items: &mut [Item], discs: &[BBox]) {
    let hit = |l: &mut Line| {
        if let Some(b) = l.bbox {
            if discs.iter().any(|d| d.x1 <= b.x0 + 1.0 && d.x1 > b.x0 - 20.0 && d.y0 >= b.y0 - 2.0 && d.y1 <= b.y1 + 2.0) {
                l.bullet = true;
            }
        }
    };
    for item in items {
        match item {
            Item::Line(l) => hit(l),
            Item::Table(t) => t.rows.iter_mut().flat_map(|r| r.cells.iter_mut()).flat_map(|c| c.lines.iter_mut()).for_each(hit),
        }
    }
}

/// `space_before` in line heights, `indent` from the leftmost line of the same run.
fn compute_spacing(items: &mut [Item]) {
    fn spacing(lines: &mut [Line]) {
        let left = lines.iter().filter_map(|l| l.bbox).map(|b| b.x0).fold(f32::INFINITY, f32::min);
        let mut prev: Option<BBox> = None;
        for l in lines.iter_mut() {
            if let Some(b) = l.bbox {
                if let Some(p) = prev {
                    let h = (b.y1 - b.y0).max(1.0);
                    l.space_before = ((b.y0 - p.y1) / h).max(0.0);
                }
                l.indent = b.x0 - left;
                prev = Some(b);
            }
        }
    }
    let mut body: Vec<usize> = Vec::new();
    for (i, item) in items.iter_mut().enumerate() {
        match item {
            Item::Line(_) => body.push(i),
            Item::Table(t) => t.rows.iter_mut().flat_map(|r| r.cells.iter_mut()).for_each(|c| spacing(&mut c.lines)),
        }
    }
    let mut lines: Vec<Line> = body.iter().filter_map(|&i| if let Item::Line(l) = &items[i] { Some(l.clone()) } else { None }).collect();
    spacing(&mut lines);
    for (&i, l) in body.iter().zip(lines) {
        items[i] = Item::Line(l);
    }
}

/// Table geometry on one page.
struct Grid {
    bbox: BBox,
    cols: Vec<f32>,
    row_edges: Vec<f32>,
    /// Per row edge: how many leftmost columns it leaves out (a merged cell spans it); 0 for a full edge.
    left_span: Vec<usize>,
}

/// Finds ruled tables: connected groups of horizontal and vertical rulings.
fn find_tables(page: &PdfPage) -> Vec<Grid> {
    let mut hs: Vec<BBox> = Vec::new();
    let mut vs: Vec<BBox> = Vec::new();
    for s in &page.shapes {
        if s.kind == ShapeKind::Disc {
            continue;
        }
        let (w, h) = (s.x1 - s.x0, s.y1 - s.y0);
        let b = BBox { x0: s.x0, y0: s.y0, x1: s.x1, y1: s.y1 };
        if h <= RULE_THICKNESS && w > 5.0 {
            hs.push(b);
        } else if w <= RULE_THICKNESS && h > 5.0 {
            vs.push(b);
        }
    }
    if vs.is_empty() || hs.is_empty() {
        return vec![];
    }
    // Group vertical rulings into tables by overlapping y ranges.
    vs.sort_by(|a, b| a.y0.total_cmp(&b.y0));
    let mut groups: Vec<(BBox, Vec<BBox>)> = Vec::new();
    for v in vs {
        match groups.iter_mut().find(|(g, _)| v.y0 <= g.y1 + EDGE_SNAP && v.y1 >= g.y0 - EDGE_SNAP) {
            Some((g, members)) => {
                g.x0 = g.x0.min(v.x0);
                g.x1 = g.x1.max(v.x1);
                g.y0 = g.y0.min(v.y0);
                g.y1 = g.y1.max(v.y1);
                members.push(v);
            }
            None => groups.push((v, vec![v])),
        }
    }
    let mut grids = Vec::new();
    for (bbox, members) in groups {
        let mut cols: Vec<f32> = members.iter().map(|v| (v.x0 + v.x1) / 2.0).collect();
        cols.sort_by(f32::total_cmp);
        cols.dedup_by(|a, b| (*a - *b).abs() < EDGE_SNAP * 2.0);
        if cols.len() < 2 {
            continue;
        }
        let in_table: Vec<&BBox> =
            hs.iter().filter(|h| h.y0 >= bbox.y0 - EDGE_SNAP && h.y1 <= bbox.y1 + EDGE_SNAP && h.x0 < bbox.x1 && h.x1 > bbox.x0).collect();
        let mut rows: Vec<f32> = in_table.iter().map(|h| (h.y0 + h.y1) / 2.0).collect();
        rows.sort_by(f32::total_cmp);
        rows.dedup_by(|a, b| (*a - *b).abs() < EDGE_SNAP);
        // A row edge must cross every column; where it stops short on the
        // right, a cell there spans both rows (one measure over several
        // reference points) and they are one row. An edge that stops short
        // only in the leftmost columns is a row boundary under a merged
        // grouping cell (a `Delmål` over its measures): kept, with the number
        // of columns it leaves out.
        let crossed = |y: f32| -> Vec<bool> {
            cols.windows(2)
                .map(|w| {
                    let covered: f32 =
                        in_table.iter().filter(|h| ((h.y0 + h.y1) / 2.0 - y).abs() < EDGE_SNAP).map(|h| (h.x1.min(w[1]) - h.x0.max(w[0])).max(0.0)).sum();
                    covered >= (w[1] - w[0]) * 0.6
                })
                .collect()
        };
        let mut edges: Vec<(f32, usize)> = rows
            .iter()
            .filter_map(|&y| {
                let c = crossed(y);
                let left_out = c.iter().take_while(|x| !**x).count();
                let rest_crossed = c[left_out..].iter().all(|x| *x);
                (rest_crossed && left_out < c.len() && (left_out == 0 || c.len() - left_out >= 2)).then_some((y, left_out))
            })
            .collect();
        edges.push((bbox.y0, 0));
        edges.push((bbox.y1, 0));
        edges.sort_by(|a, b| a.0.total_cmp(&b.0));
        edges.dedup_by(|a, b| (a.0 - b.0).abs() < EDGE_SNAP);
        if edges.len() < 2 {
            continue;
        }
        let left_span = edges.iter().map(|e| e.1).collect();
        let rows = edges.into_iter().map(|e| e.0).collect();
        grids.push(Grid { bbox: BBox { x0: bbox.x0 - 1.0, y0: bbox.y0 - 1.0, x1: bbox.x1 + 1.0, y1: bbox.y1 + 1.0 }, cols, row_edges: rows, left_span });
    }
    grids
}

/// Groups spans into lines by baseline, left to right; a gap wider than a
/// space inside the line becomes one space.
fn group_lines(spans: &[&TextSpan], page: u32) -> Vec<Line> {
    let mut sorted: Vec<&TextSpan> = spans.iter().copied().filter(|s| !s.text.trim().is_empty()).collect();
    sorted.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x0.total_cmp(&b.x0)));
    let mut lines: Vec<Vec<&TextSpan>> = Vec::new();
    for s in sorted {
        let tol = s.font_size.max(1.0) * 0.45;
        // A rotated span is a line of its own.
        let joins = |f: &&TextSpan| !f.rotated && !s.rotated && ((f.y - s.y).abs() < tol || overlaps_as_super(f, s));
        match lines.iter_mut().rev().take(3).find(|l| l.first().is_some_and(joins)) {
            Some(l) => l.push(s),
            None => lines.push(vec![s]),
        }
    }
    let mut out: Vec<Line> = lines
        .into_iter()
        .map(|mut l| {
            l.sort_by(|a, b| a.x0.total_cmp(&b.x0));
            let marks = drop_footnote_marks(&mut l);
            let mut text = String::new();
            let mut prev_x1: Option<f32> = None;
            let (mut bold_chars, mut italic_chars, mut total) = (0usize, 0usize, 0usize);
            let mut size_weight: HashMap<i32, usize> = HashMap::new();
            let mut bbox = BBox { x0: f32::INFINITY, y0: f32::INFINITY, x1: f32::NEG_INFINITY, y1: f32::NEG_INFINITY };
            for s in &l {
                if let Some(mut px) = prev_x1 {
                    // A dropped footnote mark between the spans closes the gap it filled.
                    if let Some(m) = marks.iter().filter(|m| m.0 >= px - 0.5 && m.1 <= s.x0 + 0.5).map(|m| m.1).reduce(f32::max) {
                        px = px.max(m);
                    }
                    let gap = s.x0 - px;
                    if gap > s.font_size * 0.12 && !text.ends_with(' ') && !s.text.starts_with(' ') {
                        text.push(' ');
                    }
                }
                text.push_str(&s.text);
                prev_x1 = Some(s.x1);
                let n = s.text.chars().filter(|c| !c.is_whitespace()).count();
                total += n;
                if s.bold {
                    bold_chars += n;
                }
                if s.italic {
                    italic_chars += n;
                }
                *size_weight.entry((s.font_size * 10.0).round() as i32).or_default() += n;
                bbox.x0 = bbox.x0.min(s.x0);
                bbox.x1 = bbox.x1.max(s.x1);
                bbox.y0 = bbox.y0.min(s.y - s.font_size * 0.8);
                bbox.y1 = bbox.y1.max(s.y + s.font_size * 0.2);
            }
            let font_size = size_weight.into_iter().max_by_key(|(_, n)| *n).map_or(0.0, |(s, _)| s as f32 / 10.0);
            let mcid = l.iter().find_map(|s| s.mcid);
            let artifact = l.iter().all(|s| s.artifact);
            Line {
                text: text.split_whitespace().collect::<Vec<_>>().join(" "),
                page: Some(page),
                bbox: Some(bbox),
                font_size,
                bold: total > 0 && bold_chars * 2 > total,
                italic: total > 0 && italic_chars * 2 > total,
                mcid,
                artifact,
                ..Line::default()
            }
        })
        .filter(|l| !l.text.is_empty())
        .collect();
    out.sort_by(|a, b| {
        let (ay, by) = (a.bbox.map_or(0.0, |b| b.y0), b.bbox.map_or(0.0, |b| b.y0));
        ay.total_cmp(&by)
    });
    out
}

/// Removes footnote reference marks from a line's spans (sorted by x): a
/// short run of digits or a `*`/`†`/`‡` in a smaller font, raised above the
/// line's baseline, printed right after other text. Left in, the mark fuses
/// with the word or number before it (`2023-2026` + `1` → `2023-20261`). A
/// raised mark that starts a line (the footnote itself) stays. Returns the
/// `(x0, x1)` of the dropped marks.
fn drop_footnote_marks(spans: &mut Vec<&TextSpan>) -> Vec<(f32, f32)> {
    // The line's body: the font size with most characters, and its baseline.
    let mut weight: HashMap<i32, usize> = HashMap::new();
    for s in spans.iter() {
        *weight.entry((s.font_size * 10.0).round() as i32).or_default() += s.text.chars().filter(|c| !c.is_whitespace()).count();
    }
    let Some(body_key) = weight.into_iter().max_by_key(|(k, n)| (*n, *k)).map(|(k, _)| k) else { return Vec::new() };
    let body_size = body_key as f32 / 10.0;
    let Some(baseline) = spans.iter().find(|s| (s.font_size * 10.0).round() as i32 == body_key).map(|s| s.y) else { return Vec::new() };
    let is_mark_text = |t: &str| {
        let t = t.trim();
        let digits = !t.is_empty() && t.len() <= 7 && t.split(',').all(|p| (1..=3).contains(&p.len()) && p.chars().all(|c| c.is_ascii_digit()));
        digits || matches!(t, "*" | "**" | "†" | "‡")
    };
    let mut keep: Vec<&TextSpan> = Vec::with_capacity(spans.len());
    let mut dropped = Vec::new();
    for s in spans.iter() {
        let follows_text = keep.last().is_some_and(|p| s.x0 - p.x1 < body_size * 0.3 && s.x0 > p.x0);
        let mark = s.font_size < body_size * 0.8 && baseline - s.y > body_size * 0.15 && is_mark_text(&s.text);
        if mark && follows_text {
            dropped.push((s.x0, s.x1));
        } else {
            keep.push(s);
        }
    }
    *spans = keep;
    dropped
}

/// A smaller span raised above (or lowered below) a line's baseline: a
/// footnote marker or superscript that belongs to that line.
fn overlaps_as_super(line_first: &TextSpan, s: &TextSpan) -> bool {
    s.font_size < line_first.font_size * 0.8 && (line_first.y - s.y).abs() < line_first.font_size * 0.6
}

/// Joins each page's items into one block list: a table continued at the top
/// of the next page becomes one table, its repeated header dropped and a row
/// split by the page break joined.
fn join_pages(pages: Vec<Vec<Item>>, warnings: &mut Vec<Warning>) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    let mut open: Option<(Table, Vec<f32>, FillCounts)> = None;
    for items in pages {
        let mut first_on_page = true;
        for item in items {
            match item {
                Item::Line(l) => {
                    if let Some((t, ..)) = open.take() {
                        blocks.push(Block::Table(t));
                    }
                    blocks.push(Block::Line(l));
                }
                Item::Table(pt) => {
                    let continues = first_on_page && open.as_ref().is_some_and(|(_, cols, _)| same_columns(cols, &pt.cols));
                    if continues {
                        if let Some((t, _, fill)) = open.as_mut() {
                            append_continuation(t, pt.rows, fill, warnings);
                        }
                    } else {
                        if let Some((t, ..)) = open.take() {
                            blocks.push(Block::Table(t));
                        }
                        let mut rows = pt.rows;
                        mark_header(&mut rows);
                        let pages = rows.iter().flat_map(|r| r.pages.iter().copied()).take(1).collect();
                        open = Some((Table { rows, pages, origin: TableOrigin::Geometry }, pt.cols, FillCounts::default()));
                    }
                }
            }
            first_on_page = false;
        }
        // A table open at the end of a page may continue on the next.
    }
    if let Some((t, ..)) = open.take() {
        blocks.push(Block::Table(t));
    }
    blocks
}

fn same_columns(a: &[f32], b: &[f32]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < 4.0)
}

/// The first row is a header when it is short text in bold or names the
/// columns with keywords (the segmenters check the keywords again).
fn mark_header(rows: &mut [Row]) {
    if let Some(first) = rows.first_mut() {
        let lines: Vec<&Line> = first.cells.iter().flat_map(|c| c.lines.iter()).collect();
        let bold = !lines.is_empty() && lines.iter().all(|l| l.bold);
        let short = first.cells.iter().all(|c| c.text().split_whitespace().count() <= 8);
        first.header = bold && short && rows_len_ok(first);
    }
}

fn rows_len_ok(r: &Row) -> bool {
    r.cells.iter().filter(|c| !c.is_empty()).count() >= 2
}

fn row_key(r: &Row) -> Vec<String> {
    r.cells.iter().map(|c| c.text().split_whitespace().collect::<Vec<_>>().join(" ")).collect()
}

/// Adds the rows of a table's continuation on a new page.
fn append_continuation(t: &mut Table, mut rows: Vec<Row>, counts: &mut FillCounts, warnings: &mut Vec<Warning>) {
    // Drop the repeated header row: a first row printed again at the top of
    // the next page is a header, bold or not.
    if let (Some(h), Some(first)) = (t.rows.first_mut(), rows.first()) {
        if row_key(h) == row_key(first) {
            h.header = true;
            rows.remove(0);
        }
    }
    let Some(first) = rows.first() else { return };
    let page = first.pages.first().copied();
    let fill = counts.rows_fill(&t.rows);
    if let Some(last) = t.rows.last_mut() {
        if row_continues(last, first, &fill) {
            let first = rows.remove(0);
            for (a, mut b) in last.cells.iter_mut().zip(first.cells) {
                // The page break hides the paragraph gap: a line that starts
                // in uppercase after a finished line starts a new paragraph.
                if let (Some(prev), Some(next)) = (a.lines.last(), b.lines.first_mut()) {
                    let p = prev.text.trim_end();
                    let open_end = p.ends_with(['-', ',', '/']) || p.ends_with(" og") || p.ends_with(" i");
                    if !open_end && next.text.trim_start().chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit()) {
                        next.space_before = next.space_before.max(1.0);
                    }
                }
                a.lines.append(&mut b.lines);
            }
            last.pages.extend(first.pages);
            last.pages.dedup();
            warnings.push(Warning::new("row_joined", "a table row split by a page break was joined", page));
        }
    }
    if let Some(p) = page {
        if !t.pages.contains(&p) {
            t.pages.push(p);
        }
    }
    t.rows.extend(rows);
}

/// Share of data rows in which each column has text, counted once per row
/// as a table grows page by page (recounting every row on every page made a
/// long table quadratic). Rows between the first (which may turn into a
/// repeated header) and the last (which a page break may join) never change
/// once appended, so their counts are kept; those two are counted afresh.
#[derive(Debug, Default)]
struct FillCounts {
    /// Rows `1..stable` are counted in `data` and `filled`.
    stable: usize,
    data: usize,
    filled: Vec<usize>,
}

impl FillCounts {
    fn add(data: &mut usize, filled: &mut Vec<usize>, row: &Row) {
        if row.header {
            return;
        }
        *data += 1;
        if filled.len() < row.cells.len() {
            filled.resize(row.cells.len(), 0);
        }
        for (n, cell) in filled.iter_mut().zip(&row.cells) {
            *n += usize::from(!cell.is_empty());
        }
    }

    fn rows_fill(&mut self, rows: &[Row]) -> Vec<f32> {
        let end = rows.len().saturating_sub(1);
        for row in rows.get(self.stable.max(1)..end).unwrap_or_default() {
            Self::add(&mut self.data, &mut self.filled, row);
        }
        self.stable = self.stable.max(end);
        let (mut data, mut filled) = (self.data, self.filled.clone());
        let edges: &[usize] = if rows.len() >= 2 { &[0, rows.len() - 1] } else { &[0] };
        for row in edges.iter().filter_map(|&i| rows.get(i)) {
            Self::add(&mut data, &mut filled, row);
        }
        filled.iter().map(|&n| if data == 0 { 0.0 } else { n as f32 / data as f32 }).collect()
    }
}

/// The first row on a new page continues the last row of the previous page
/// when a column that is filled in (nearly) every row is empty in either
/// part, or the text runs on in lowercase.
fn row_continues(last: &Row, first: &Row, fill: &[f32]) -> bool {
    for (i, f) in fill.iter().enumerate() {
        if *f >= 0.9 {
            let a_empty = last.cells.get(i).is_none_or(Cell::is_empty);
            let b_empty = first.cells.get(i).is_none_or(Cell::is_empty);
            if a_empty || b_empty {
                return true;
            }
        }
    }
    first.cells.iter().find(|c| !c.is_empty()).and_then(|c| c.lines.first()).and_then(|l| l.text.chars().next()).is_some_and(|c| c.is_lowercase())
}

/// The text of one page, lines in reading order (for `extract`).
pub fn page_text(page: &PdfPage) -> String {
    let spans: Vec<&TextSpan> = page.spans.iter().collect();
    group_lines(&spans, page.number).into_iter().map(|l| l.text).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The share of data rows in which each column has text, recounted from
    /// scratch: what [`FillCounts`] must equal after every page.
    fn naive_fill(rows: &[Row]) -> Vec<f32> {
        let data: Vec<&Row> = rows.iter().filter(|r| !r.header).collect();
        let width = data.iter().map(|r| r.cells.len()).max().unwrap_or(0);
        (0..width)
            .map(|i| {
                let filled = data.iter().filter(|r| r.cells.get(i).is_some_and(|c| !c.is_empty())).count();
                if data.is_empty() {
                    0.0
                } else {
                    filled as f32 / data.len() as f32
                }
            })
            .collect()
    }

    fn row(texts: &[&str]) -> Row {
        let cells = texts.iter().map(|t| Cell { lines: vec![Line { text: (*t).to_string(), ..Line::default() }] }).collect();
        Row { cells, pages: vec![1], header: false }
    }

    #[test]
    fn fill_counts_agree_with_a_recount_as_a_table_grows() {
        // Rows of varying width and emptiness, a first row that turns into a
        // header, and a last row that a later page fills in.
        let mut seed = 7u64;
        let mut next = move || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        };
        let mut rows = vec![row(&["Nr", "Tiltak", "Ansvar"])];
        let mut counts = FillCounts::default();
        for page in 0..200 {
            assert_eq!(counts.rows_fill(&rows), naive_fill(&rows), "page {page}");
            if page == 50 {
                rows[0].header = true;
            }
            if let Some(last) = rows.last_mut() {
                if next() % 3 == 0 {
                    if let Some(cell) = last.cells.first_mut() {
                        cell.lines = vec![Line { text: "filled".into(), ..Line::default() }];
                    }
                }
            }
            for _ in 0..next() % 4 {
                let width = 2 + next() % 3;
                let texts: Vec<&str> = (0..width).map(|_| if next() % 4 == 0 { "" } else { "x" }).collect();
                rows.push(row(&texts));
            }
        }
    }
}
