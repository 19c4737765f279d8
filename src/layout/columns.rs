//! Text columns on a page: reports and brochures set body text in two or
//! three columns, or a narrow side column beside the main one. Read as one
//! stream, lines of different columns that share a baseline merge into one
//! line. This module finds the vertical gutters between columns and returns
//! the page's loose spans in groups, in reading order: top to bottom in
//! bands cut by full-width text, and within a band left column before right.
//!
//! Rules (all from geometry; a page without a gutter is one group):
//! - a gutter is an x interval at least [`MIN_GUTTER`] wide, inside the
//!   middle of the text area, that few spans cross, with substantial text on
//!   both sides (each side at least [`MIN_SIDE`] of the text width, and left
//!   and right text side by side on at least [`MIN_SHARED_BASELINES`]
//!   baselines, which is what makes merged lines wrong in the first place);
//! - spans that cross the gutter are full-width text: they end a band;
//! - each side of a band may hold a gutter of its own (three columns).

use crate::pdf::TextSpan;

/// Narrowest gap between columns, in points.
const MIN_GUTTER: f32 = 9.0;
/// Each side of a gutter spans at least this share of the text width.
const MIN_SIDE: f32 = 0.18;
/// Baselines with text on both sides of the gutter needed to split.
const MIN_SHARED_BASELINES: usize = 3;
/// Most coverage bins of one region: 1-point bins over the widest page PDF
/// allows (14,400 points, ISO 32000-1 annex C); wider regions get wider bins.
const MAX_BINS: usize = 14_400;
/// Nested gutters (three columns need two levels).
const MAX_DEPTH: usize = 3;

/// One group of spans to lay out into lines on its own. Groups come in
/// reading order; `band` is the top y of the outermost band the group lies
/// in, which places it among the page's other content (tables).
#[derive(Debug)]
pub struct Group<'a> {
    pub band: f32,
    pub spans: Vec<&'a TextSpan>,
}

/// Splits a page's spans into column groups in reading order, or `None`
/// when the page has no columns.
pub fn split<'a>(spans: &[&'a TextSpan]) -> Option<Vec<Group<'a>>> {
    let mut out = Vec::new();
    split_region(spans, 0, None, &mut out);
    (out.len() > 1).then_some(out)
}

fn top_of(spans: &[&TextSpan]) -> f32 {
    spans.iter().map(|s| s.y - s.font_size).fold(f32::INFINITY, f32::min)
}

fn split_region<'a>(spans: &[&'a TextSpan], depth: usize, band_top: Option<f32>, out: &mut Vec<Group<'a>>) {
    let Some((g0, g1)) = (depth < MAX_DEPTH).then(|| find_gutter(spans)).flatten() else {
        out.push(Group { band: band_top.unwrap_or_else(|| top_of(spans)), spans: spans.to_vec() });
        return;
    };
    let crosses = |s: &TextSpan| s.x0 < g1 - 0.5 && s.x1 > g0 + 0.5;
    let mut sorted: Vec<&TextSpan> = spans.to_vec();
    sorted.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x0.total_cmp(&b.x0)));
    // Bands: runs of spans between full-width spans.
    let mut band: Vec<&TextSpan> = Vec::new();
    let mut full: Vec<&TextSpan> = Vec::new();
    let flush_band = |band: &mut Vec<&'a TextSpan>, out: &mut Vec<Group<'a>>| {
        if band.is_empty() {
            return;
        }
        let top = band_top.unwrap_or_else(|| top_of(band));
        let (left, right): (Vec<&TextSpan>, Vec<&TextSpan>) = band.drain(..).partition(|s| s.x1 <= g0 + 0.5);
        for side in [left, right] {
            if !side.is_empty() {
                split_region(&side, depth + 1, Some(top), out);
            }
        }
    };
    for s in sorted {
        let on_full_line = full.last().is_some_and(|f| (f.y - s.y).abs() < f.font_size * 0.45);
        if crosses(s) || on_full_line {
            flush_band(&mut band, out);
            full.push(s);
        } else {
            if !full.is_empty() {
                out.push(Group { band: band_top.unwrap_or_else(|| top_of(&full)), spans: std::mem::take(&mut full) });
            }
            band.push(s);
        }
    }
    if !full.is_empty() {
        out.push(Group { band: band_top.unwrap_or_else(|| top_of(&full)), spans: full });
    }
    flush_band(&mut band, out);
}

/// The widest gap between columns, as `(x0, x1)`, if the region has one.
fn find_gutter(spans: &[&TextSpan]) -> Option<(f32, f32)> {
    if spans.len() < 2 * MIN_SHARED_BASELINES {
        return None;
    }
    let left = spans.iter().map(|s| s.x0).fold(f32::INFINITY, f32::min);
    let right = spans.iter().map(|s| s.x1).fold(f32::NEG_INFINITY, f32::max);
    let width = right - left;
    if !width.is_finite() || width < 4.0 * MIN_GUTTER {
        return None;
    }
    // Coverage of bins by spans (1 point wide, or wider when a span lies far
    // off the page: the bin count never follows a coordinate from the file);
    // a few crossing spans (full-width lines) are allowed in a gutter.
    let scale = (width / MAX_BINS as f32).max(1.0);
    let bins = ((width / scale).ceil() as usize).clamp(1, MAX_BINS) + 1;
    let bin = |x: f32| (((x - left) / scale).max(0.0) as usize).min(bins - 1);
    // A difference array: +1 where a span starts, -1 after it ends, summed
    // once, so the work is spans + bins, not spans × bins.
    let mut delta = vec![0i64; bins + 1];
    for s in spans {
        let (a, b) = (bin(s.x0), bin(s.x1));
        delta[a.min(b)] += 1;
        delta[a.max(b) + 1] -= 1;
    }
    let cover: Vec<u32> = delta[..bins]
        .iter()
        .scan(0i64, |sum, d| {
            *sum += d;
            Some(u32::try_from(*sum).unwrap_or(u32::MAX))
        })
        .collect();
    let allowed = (spans.len() / 10).max(2) as u32;
    let lo = ((width * MIN_SIDE) / scale) as usize;
    let hi = bins.saturating_sub(lo);
    let mut best: Option<(f32, f32)> = None;
    let mut i = lo;
    while i < hi {
        if cover[i] > allowed {
            i += 1;
            continue;
        }
        let start = i;
        while i < hi && cover[i] <= allowed {
            i += 1;
        }
        // Within the run, the longest stretch of least coverage: a ragged
        // right edge lowers coverage next to the gutter without being it.
        let least = cover[start..i].iter().copied().min().unwrap_or(0);
        let (mut a, mut b, mut run_start) = (start, start, None);
        for (j, c) in cover[start..i].iter().map(Some).chain([None]).enumerate().map(|(k, c)| (start + k, c)) {
            match (c == Some(&least), run_start) {
                (true, None) => run_start = Some(j),
                (false, Some(r)) => {
                    if j - r > b - a {
                        (a, b) = (r, j);
                    }
                    run_start = None;
                }
                _ => {}
            }
        }
        let (g0, g1) = (left + a as f32 * scale, left + b as f32 * scale);
        if g1 - g0 >= MIN_GUTTER && best.is_none_or(|(b0, b1)| g1 - g0 > b1 - b0) && sides_share_baselines(spans, g0, g1) {
            best = Some((g0, g1));
        }
    }
    best
}

/// Left and right text side by side on enough baselines. The right side is
/// sorted by baseline and searched, so a page of many spans stays n·log n.
fn sides_share_baselines(spans: &[&TextSpan], g0: f32, g1: f32) -> bool {
    let mut left: Vec<f32> = spans.iter().filter(|s| s.x1 <= g0 + 0.5).map(|s| s.y).filter(|y| y.is_finite()).collect();
    let mut right: Vec<(f32, f32)> =
        spans.iter().filter(|s| s.x0 >= g1 - 0.5).map(|s| (s.y, s.font_size)).filter(|(y, size)| y.is_finite() && size.is_finite()).collect();
    left.sort_by(f32::total_cmp);
    left.dedup_by(|a, b| (*a - *b).abs() < 1.0);
    right.sort_by(|a, b| a.0.total_cmp(&b.0));
    let reach = right.iter().map(|(_, size)| size * 0.45).fold(0.0, f32::max);
    let mut shared = 0;
    for y in left {
        let from = right.partition_point(|(ry, _)| *ry < y - reach);
        let near = right[from..].iter().take_while(|(ry, _)| *ry <= y + reach).any(|(ry, size)| (*ry - y).abs() < size * 0.45);
        shared += usize::from(near);
        if shared >= MIN_SHARED_BASELINES {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(text: &str, x0: f32, x1: f32, y: f32) -> TextSpan {
        TextSpan { text: text.into(), x0, x1, y, font_size: 10.0, font: String::new(), bold: false, italic: false, mcid: None, artifact: false, rotated: false }
    }

    #[test]
    fn two_columns_read_left_then_right_in_bands() {
        let mut spans = vec![span("Full width title across both columns", 50.0, 500.0, 40.0)];
        for i in 0..5 {
            let y = 60.0 + i as f32 * 12.0;
            spans.push(span("left column text", 50.0, 260.0, y));
            spans.push(span("right column text", 300.0, 500.0, y));
        }
        spans.push(span("Full width footer line across the page", 50.0, 500.0, 140.0));
        let refs: Vec<&TextSpan> = spans.iter().collect();
        let groups = split(&refs).expect("columns");
        let texts: Vec<(usize, &str)> = groups.iter().map(|g| (g.spans.len(), g.spans[0].text.as_str())).collect();
        assert_eq!(
            texts,
            [(1, "Full width title across both columns"), (5, "left column text"), (5, "right column text"), (1, "Full width footer line across the page")]
        );
        assert!(groups[1].band < groups[2].band + 0.1 && groups[2].band <= groups[3].band);
    }

    #[test]
    fn a_single_column_or_a_ragged_right_edge_is_not_split() {
        let spans: Vec<TextSpan> = (0..8).map(|i| span("a line of body text", 50.0, 300.0 + (i % 3) as f32 * 60.0, 40.0 + i as f32 * 12.0)).collect();
        let refs: Vec<&TextSpan> = spans.iter().collect();
        assert!(split(&refs).is_none());
    }

    #[test]
    fn text_far_off_the_page_or_reversed_sizes_nothing() {
        // A span ending 40 trillion points to the right (a mutated text
        // matrix), one with its ends swapped, one at NaN: bins stay capped.
        for far in [4.0e13, f32::MAX, f32::INFINITY, f32::NAN] {
            let mut spans = Vec::new();
            for i in 0..5 {
                let y = 60.0 + i as f32 * 12.0;
                spans.push(span("left column text", 50.0, 260.0, y));
                spans.push(span("right column text", 300.0, 500.0, y));
            }
            spans.push(span("off the page", 300.0, far, 200.0));
            spans.push(span("reversed", 400.0, 80.0, 220.0));
            let refs: Vec<&TextSpan> = spans.iter().collect();
            let groups = split(&refs);
            let kept: usize = groups.map_or(refs.len(), |g| g.iter().map(|g| g.spans.len()).sum());
            assert_eq!(kept, refs.len(), "no span lost at x1 = {far}");
        }
    }

    #[test]
    fn three_columns_split_twice() {
        let mut spans = Vec::new();
        for i in 0..4 {
            let y = 60.0 + i as f32 * 12.0;
            spans.push(span("first", 50.0, 200.0, y));
            spans.push(span("second", 220.0, 370.0, y));
            spans.push(span("third", 390.0, 540.0, y));
        }
        let refs: Vec<&TextSpan> = spans.iter().collect();
        let groups = split(&refs).expect("columns");
        let firsts: Vec<&str> = groups.iter().map(|g| g.spans[0].text.as_str()).collect();
        assert_eq!(firsts, ["first", "second", "third"]);
    }
}
