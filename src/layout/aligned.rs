//! Tables without ruling lines, found from column alignment.
//!
//! Brochure-style reports print tables as text in aligned columns (award
//! lists: project | leader | institution | amount). A run of lines in which
//! several lines split into three or more chunks at wide gaps, with the chunks
//! starting at the same x positions, is a table: the recurring x positions
//! are its columns, a vertical gap wider than the line pitch inside a cell
//! starts a new row, and bold lines at the top form the header row.
//!
//! Coordinates as in [`crate::pdf`]: points, top-left origin, y down.

use super::{Cell, Line, Row};
use crate::pdf::TextSpan;

/// A gap wider than this many font sizes separates two columns.
const COLUMN_GAP_EM: f32 = 1.2;
/// Chunk starts closer than this (points) are one column.
const ANCHOR_SNAP: f32 = 6.0;
/// Lines with at least this many chunks are table lines.
const MIN_COLUMNS: usize = 3;
/// A table needs at least this many multi-chunk lines.
const MIN_TABLE_LINES: usize = 3;

/// Spans of one line cut at wide gaps.
#[derive(Debug)]
struct Chunk<'a> {
    x0: f32,
    x1: f32,
    spans: Vec<&'a TextSpan>,
}

#[derive(Debug)]
struct ChunkLine<'a> {
    y: f32,
    chunks: Vec<Chunk<'a>>,
}

/// An unruled table found on a page, with the y range it covers.
pub struct AlignedTable {
    pub y0: f32,
    pub cols: Vec<f32>,
    pub rows: Vec<Row>,
}

fn chunk_lines<'a>(spans: &[&'a TextSpan]) -> Vec<ChunkLine<'a>> {
    let mut sorted: Vec<&TextSpan> = spans.iter().copied().filter(|s| !s.text.trim().is_empty()).collect();
    sorted.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x0.total_cmp(&b.x0)));
    let mut lines: Vec<ChunkLine> = Vec::new();
    for s in sorted {
        let tol = s.font_size.max(1.0) * 0.45;
        match lines.last_mut().filter(|l| (l.y - s.y).abs() < tol) {
            Some(line) => {
                let gap_ok = line.chunks.last().is_some_and(|c| s.x0 - c.x1 < s.font_size * COLUMN_GAP_EM && s.x0 >= c.x0);
                match line.chunks.last_mut() {
                    Some(c) if gap_ok => {
                        c.x1 = c.x1.max(s.x1);
                        c.spans.push(s);
                    }
                    _ => line.chunks.push(Chunk { x0: s.x0, x1: s.x1, spans: vec![s] }),
                }
            }
            None => lines.push(ChunkLine { y: s.y, chunks: vec![Chunk { x0: s.x0, x1: s.x1, spans: vec![s] }] }),
        }
    }
    for l in &mut lines {
        l.chunks.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    }
    lines
}

/// Finds unruled tables among `spans`; returns them and the spans they did not use.
pub fn find<'a>(spans: &[&'a TextSpan], page: u32, group: impl Fn(&[&TextSpan], u32) -> Vec<Line>) -> (Vec<AlignedTable>, Vec<&'a TextSpan>) {
    let lines = chunk_lines(spans);
    let mut used = vec![false; lines.len()];
    let mut tables = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].chunks.len() < MIN_COLUMNS {
            i += 1;
            continue;
        }
        // Anchors from this line; extend while lines fit them.
        let mut anchors: Vec<(f32, f32)> = lines[i].chunks.iter().map(|c| (c.x0, c.x1)).collect();
        let mut j = i + 1;
        let mut multi = 1;
        while j < lines.len() {
            let l = &lines[j];
            let fits = l.chunks.iter().all(|c| column_of(&anchors, c).is_some());
            if !fits {
                break;
            }
            if l.chunks.len() >= 2 {
                multi += 1;
            }
            for c in &l.chunks {
                if let Some(k) = column_of(&anchors, c) {
                    anchors[k].1 = anchors[k].1.max(c.x1);
                }
            }
            j += 1;
        }
        if multi < MIN_TABLE_LINES {
            i += 1;
            continue;
        }
        // Header lines just above the run (a wrapped column header) that fit
        // the columns belong to it.
        let line_pitch = lines.get(i + 1).map_or(f32::INFINITY, |n| n.y - lines[i].y);
        if i > 0 && !used[i - 1] {
            let above = &lines[i - 1];
            let fits = above.chunks.len() >= 2 && above.chunks.iter().all(|c| column_of(&anchors, c).is_some());
            if fits && lines[i].y - above.y <= line_pitch * 1.05 {
                i -= 1;
            }
        }
        // Rows: a gap wider than the tightest line pitch starts a new row.
        let ys: Vec<f32> = lines[i..j].iter().map(|l| l.y).collect();
        let pitch = ys.windows(2).map(|w| w[1] - w[0]).filter(|d| *d > 1.0).fold(f32::INFINITY, f32::min);
        let mut rows: Vec<Vec<Vec<&TextSpan>>> = Vec::new();
        let mut prev_y: Option<f32> = None;
        let mut prev_bold: Option<bool> = None;
        for l in &lines[i..j] {
            let bold = l.chunks.iter().all(|c| c.spans.iter().all(|s| s.bold));
            let new_row = prev_y.is_none_or(|p| l.y - p > pitch * 1.2) || prev_bold.is_some_and(|b| b != bold);
            if new_row {
                rows.push(vec![Vec::new(); anchors.len()]);
            }
            if let Some(row) = rows.last_mut() {
                for c in &l.chunks {
                    if let Some(k) = column_of(&anchors, c) {
                        if let Some(cell) = row.get_mut(k) {
                            cell.extend(c.spans.iter().copied());
                        }
                    }
                }
            }
            prev_y = Some(l.y);
            prev_bold = Some(bold);
        }
        let first_bold = lines[i].chunks.iter().all(|c| c.spans.iter().all(|s| s.bold));
        // Without rulings, only a styled header row tells a table from text
        // that happens to align (map labels beside a paragraph).
        if !first_bold {
            i = j;
            continue;
        }
        let built: Vec<Row> = rows
            .into_iter()
            .enumerate()
            .map(|(n, cells)| Row { cells: cells.iter().map(|c| Cell { lines: group(c, page) }).collect(), pages: vec![page], header: n == 0 })
            .collect();
        for u in used.iter_mut().take(j).skip(i) {
            *u = true;
        }
        let y0 = lines[i].chunks.iter().flat_map(|c| c.spans.iter()).map(|s| s.y - s.font_size).fold(f32::INFINITY, f32::min);
        tables.push(AlignedTable { y0, cols: anchors.iter().map(|a| a.0).collect(), rows: built });
        i = j;
    }
    let rest = lines.iter().zip(&used).filter(|(_, u)| !**u).flat_map(|(l, _)| l.chunks.iter().flat_map(|c| c.spans.iter().copied())).collect();
    (tables, rest)
}

/// The column a chunk belongs to: the one its start snaps to, or the one
/// its extent overlaps most (right-aligned numbers, centred headers), as
/// long as it does not reach into the next column's start.
fn column_of(anchors: &[(f32, f32)], c: &Chunk) -> Option<usize> {
    if let Some(k) = anchors.iter().position(|a| (a.0 - c.x0).abs() < ANCHOR_SNAP) {
        return Some(k);
    }
    let mut best: Option<(usize, f32)> = None;
    for (k, a) in anchors.iter().enumerate() {
        let next_start = anchors.get(k + 1).map_or(f32::INFINITY, |n| n.0);
        if c.x1 > next_start + 1.0 || c.x0 < a.0 - 40.0 {
            continue;
        }
        let overlap = c.x1.min(a.1.max(a.0 + 1.0)) - c.x0.max(a.0);
        if overlap > 0.0 && best.is_none_or(|(_, o)| overlap > o) {
            best = Some((k, overlap));
        }
    }
    best.map(|(k, _)| k)
}
