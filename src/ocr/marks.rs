//! Table marks Tesseract drops: a lone `X` in a ruled year column is often
//! not read as a word at all. Where the picture's rulings give the cells, a
//! cell with no word but a compact blot of ink, in a column whose other
//! filled cells all hold the same one-letter mark, gets that mark.

use super::image::{Gray, Rule};
use super::words::Word;

/// One-letter marks of a schedule column.
const MARKS: [&str; 6] = ["X", "x", "×", "✓", "✔", "V"];

/// A ruled cell, pixels.
#[derive(Debug, Clone, Copy)]
struct Cell {
    x0: usize,
    y0: usize,
    x1: usize,
    y1: usize,
}

/// Cells from the rulings: each horizontal ruling, the verticals that start
/// at it and run down, and the next horizontal below that spans each gap.
fn cells(rules: &[Rule]) -> Vec<Cell> {
    let hs: Vec<&Rule> = rules.iter().filter(|r| r.horizontal()).collect();
    let vs: Vec<&Rule> = rules.iter().filter(|r| !r.horizontal()).collect();
    let mut out = Vec::new();
    for h in &hs {
        let mut down: Vec<&&Rule> = vs.iter().filter(|v| v.y0 <= h.y1 + 4 && v.y1 > h.y1 + 10 && v.x1 + 4 >= h.x0 && v.x0 <= h.x1 + 4).collect();
        down.sort_by_key(|v| v.x0);
        for pair in down.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            if b.x0 <= a.x1 + 4 {
                continue;
            }
            let below = hs.iter().filter(|g| g.y0 > h.y1 + 4 && g.x0 <= a.x1 + 4 && g.x1 + 4 >= b.x0).min_by_key(|g| g.y0);
            if let Some(g) = below {
                if a.y1 + 4 >= g.y0 && b.y1 + 4 >= g.y0 {
                    out.push(Cell { x0: a.x1, y0: h.y1, x1: b.x0, y1: g.y0 });
                }
            }
        }
    }
    out
}

/// Adds the marks of empty cells in mark columns to `words`; returns how many.
pub fn recover(words: &mut Vec<Word>, img: &Gray, rules: &[Rule]) -> usize {
    let cells = cells(rules);
    let inside = |w: &Word, c: &Cell| {
        let (cx, cy) = (w.left + w.width / 2, w.top + w.height / 2);
        cx > c.x0 && cx < c.x1 && cy > c.y0 && cy < c.y1
    };
    // Cells by column (their left and right edges), with the words they hold.
    type Column = ((usize, usize), Vec<(Cell, Vec<usize>)>);
    let mut columns: Vec<Column> = Vec::new();
    for c in cells {
        let held: Vec<usize> = (0..words.len()).filter(|&i| inside(&words[i], &c)).collect();
        match columns.iter_mut().find(|((a, b), _)| a.abs_diff(c.x0) <= 6 && b.abs_diff(c.x1) <= 6) {
            Some((_, list)) => list.push((c, held)),
            None => columns.push(((c.x0, c.x1), vec![(c, held)])),
        }
    }
    let mut added = Vec::new();
    for (_, list) in &columns {
        let filled: Vec<&Vec<usize>> = list.iter().map(|(_, h)| h).filter(|h| !h.is_empty()).collect();
        let Some(first) = filled.first().and_then(|h| h.first()).map(|&i| &words[i]) else {
            continue;
        };
        let mark = first.text.as_str();
        let all_marks = filled.iter().all(|h| h.len() == 1 && words[h[0]].text == mark);
        if filled.len() < 2 || !all_marks || !MARKS.contains(&mark) {
            continue;
        }
        let (mw, mh) = (first.width, first.height);
        for (c, held) in list {
            if !held.is_empty() {
                continue;
            }
            // The blot: ink inside the cell, away from its borders.
            let m = 5;
            let (x0, y0, x1, y1) = (c.x0 + m, c.y0 + m, c.x1.saturating_sub(m), c.y1.saturating_sub(m));
            if x1 <= x0 || y1 <= y0 {
                continue;
            }
            let Some((bx0, by0, bx1, by1)) = img.ink_box(x0, y0, x1, y1) else {
                continue;
            };
            let (bw, bh) = (bx1 - bx0, by1 - by0);
            // As big as the column's other marks, and about as much ink.
            let similar = bw * 2 >= mw && bw <= mw * 2 && bh * 2 >= mh && bh <= mh * 2;
            let ink = img.ink_in(bx0, by0, bx1, by1);
            let ink_ref = img.ink_in(first.left, first.top, first.left + mw, first.top + mh).max(1);
            if similar && ink * 2 >= ink_ref && ink <= ink_ref * 2 {
                added.push(Word { text: mark.to_string(), left: bx0, top: by0, width: bw, height: bh, conf: 0.0, line: (u32::MAX, c.y0 as u32, c.x0 as u32) });
            }
        }
    }
    let n = added.len();
    words.extend(added);
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 3-row, 1-column ruled table, 100 px cells; `ink` cells get an X-sized blot.
    fn table(ink: &[usize]) -> (Gray, Vec<Rule>) {
        let (w, h) = (200, 400);
        let mut img = Gray { width: w, height: h, pixels: vec![255; w * h] };
        for &row in ink {
            let top = 50 + row * 100 + 35;
            for y in top..top + 28 {
                for x in 85..90 {
                    img.pixels[y * w + x + (y - top) / 2] = 0;
                    img.pixels[y * w + 115 - (y - top) / 2 - x + 85] = 0;
                }
            }
        }
        let mut rules: Vec<Rule> = (0..4).map(|i| Rule { x0: 50, x1: 151, y0: 50 + i * 100, y1: 52 + i * 100 }).collect();
        rules.push(Rule { x0: 50, x1: 52, y0: 50, y1: 352 });
        rules.push(Rule { x0: 149, x1: 151, y0: 50, y1: 352 });
        (img, rules)
    }

    fn x_word(row: usize) -> Word {
        Word { text: "X".into(), left: 85, top: 50 + row * 100 + 35, width: 22, height: 28, conf: 85.0, line: (1, 1, row as u32) }
    }

    #[test]
    fn an_unread_x_in_a_mark_column_is_recovered() {
        let (img, rules) = table(&[0, 1, 2]);
        let mut words = vec![x_word(0), x_word(2)];
        assert_eq!(recover(&mut words, &img, &rules), 1);
        let x = words.last().expect("added");
        assert_eq!(x.text, "X");
        assert!(x.top > 150 && x.top < 250, "in the middle row: {x:?}");
    }

    #[test]
    fn empty_cells_stay_empty_and_text_columns_are_left_alone() {
        let (img, rules) = table(&[0, 2]);
        let mut words = vec![x_word(0), x_word(2)];
        assert_eq!(recover(&mut words, &img, &rules), 0, "the middle cell has no ink");
        let (img, rules) = table(&[0, 1, 2]);
        let mut words = vec![Word { text: "Ja".into(), ..x_word(0) }, x_word(2)];
        assert_eq!(recover(&mut words, &img, &rules), 0, "not a column of marks");
    }
}
