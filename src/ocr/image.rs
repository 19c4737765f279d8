//! The page picture: 8-bit greyscale, read from the renderer's PGM, turned
//! straight, and searched for ruling lines and ink.
//!
//! Hand-written rather than on the `image` crate: the only format read is
//! binary PGM (`P5`, a 3-line header and raw bytes) and the only operations
//! are a small-angle rotation and pixel counts, which would pull in a large
//! dependency tree for a few dozen lines.

/// A pixel darker than this is ink.
pub const DARK: u8 = 150;
/// A pixel darker than this may be part of a ruling: table borders are often
/// drawn thin and grey, which a scan blurs into light grey (about 170–190);
/// shaded cells (about 225 and lighter) stay out.
pub const RULE_DARK: u8 = 210;

/// A greyscale picture, row-major, 0 = black.
#[derive(Debug, Clone)]
pub struct Gray {
    pub width: usize,
    pub height: usize,
    pub pixels: Vec<u8>,
}

/// A ruling found in the picture, in pixels (inclusive-exclusive box).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rule {
    pub x0: usize,
    pub y0: usize,
    pub x1: usize,
    pub y1: usize,
}

impl Rule {
    pub fn horizontal(&self) -> bool {
        self.x1 - self.x0 > self.y1 - self.y0
    }
}

impl Gray {
    /// Reads a binary PGM (`P5`, maxval ≤ 255) as `pdftoppm -gray` writes it.
    pub fn from_pgm(data: &[u8]) -> Option<Gray> {
        let mut fields: Vec<usize> = Vec::with_capacity(3);
        let mut pos = 2;
        if !data.starts_with(b"P5") {
            return None;
        }
        while fields.len() < 3 {
            let c = *data.get(pos)?;
            if c == b'#' {
                while *data.get(pos)? != b'\n' {
                    pos += 1;
                }
            } else if c.is_ascii_digit() {
                let start = pos;
                while data.get(pos).is_some_and(u8::is_ascii_digit) {
                    pos += 1;
                }
                fields.push(std::str::from_utf8(&data[start..pos]).ok()?.parse().ok()?);
                continue;
            }
            pos += 1;
        }
        // One whitespace byte ends the header.
        pos += 1;
        let (width, height, maxval) = (fields[0], fields[1], fields[2]);
        if maxval == 0 || maxval > 255 || width == 0 || height == 0 {
            return None;
        }
        let len = width.checked_mul(height)?;
        let raw = data.get(pos..pos.checked_add(len)?)?;
        let pixels = if maxval == 255 { raw.to_vec() } else { raw.iter().map(|&v| (u32::from(v) * 255 / maxval as u32) as u8).collect() };
        Some(Gray { width, height, pixels })
    }

    /// The picture as a binary PGM.
    pub fn to_pgm(&self) -> Vec<u8> {
        let mut out = format!("P5\n{} {}\n255\n", self.width, self.height).into_bytes();
        out.extend_from_slice(&self.pixels);
        out
    }

    #[inline]
    fn at(&self, x: usize, y: usize) -> u8 {
        self.pixels[y * self.width + x]
    }

    #[inline]
    fn dark(&self, x: usize, y: usize) -> bool {
        self.at(x, y) < DARK
    }

    #[inline]
    fn rule_dark(&self, x: usize, y: usize) -> bool {
        self.at(x, y) < RULE_DARK
    }

    /// Share of ink pixels in the whole picture (a blank page has almost none).
    pub fn ink_share(&self) -> f32 {
        let step = 4;
        let (mut dark, mut all) = (0usize, 0usize);
        for y in (0..self.height).step_by(step) {
            for x in (0..self.width).step_by(step) {
                all += 1;
                dark += usize::from(self.dark(x, y));
            }
        }
        dark as f32 / all.max(1) as f32
    }

    /// The angle in degrees the page was turned by (as [`Gray::rotated`]
    /// turns it; `rotated(-skew)` straightens it), searched within ±`max` by
    /// the projection profile: rows of text are sharpest when the sum of
    /// squared ink counts per row is largest.
    pub fn skew_degrees(&self, max: f32) -> f32 {
        // Ink samples on every row (skipping rows would favour no skew: a
        // level line falls on sampled rows whole) and every third column.
        let mut ink: Vec<(f32, f32)> = Vec::new();
        for y in 0..self.height {
            for x in (0..self.width).step_by(3) {
                if self.dark(x, y) {
                    ink.push((x as f32, y as f32));
                }
            }
        }
        if ink.len() < 100 {
            return 0.0;
        }
        let score = |deg: f32| -> f64 {
            let t = deg.to_radians().tan();
            let mut bins = vec![0u32; self.height + self.width / 4 + 4];
            let offset = (self.width as f32 * max.to_radians().tan()).ceil() + 1.0;
            for &(x, y) in &ink {
                let r = (y + x * t + offset) as usize;
                if let Some(b) = bins.get_mut(r) {
                    *b += 1;
                }
            }
            bins.iter().map(|&b| f64::from(b) * f64::from(b)).sum()
        };
        let mut best = (0.0f32, score(0.0));
        let mut deg = -max;
        while deg <= max + 1e-3 {
            let s = score(deg);
            if s > best.1 * 1.0001 {
                best = (deg, s);
            }
            deg += 0.05;
        }
        best.0
    }

    /// The picture turned by `deg` degrees about its centre (nearest
    /// neighbour; fine for the fraction of a degree a scanner turns a page),
    /// so that text skewed by `deg` comes out level. New corners are white.
    pub fn rotated(&self, deg: f32) -> Gray {
        let (s, c) = deg.to_radians().sin_cos();
        let (cx, cy) = (self.width as f32 / 2.0, self.height as f32 / 2.0);
        let mut pixels = vec![255u8; self.pixels.len()];
        for y in 0..self.height {
            let dy = y as f32 - cy;
            for x in 0..self.width {
                let dx = x as f32 - cx;
                // Source of the output pixel: rotate back by -deg.
                let sx = cx + dx * c - dy * s;
                let sy = cy + dx * s + dy * c;
                if sx >= 0.0 && sy >= 0.0 {
                    let (sx, sy) = (sx as usize, sy as usize);
                    if sx < self.width && sy < self.height {
                        pixels[y * self.width + x] = self.at(sx, sy);
                    }
                }
            }
        }
        Gray { width: self.width, height: self.height, pixels }
    }

    /// The picture turned by a quarter turn `quarters` times clockwise.
    pub fn quarter_turns(&self, quarters: u32) -> Gray {
        let mut img = self.clone();
        for _ in 0..quarters % 4 {
            let (w, h) = (img.width, img.height);
            let mut pixels = vec![255u8; w * h];
            for y in 0..h {
                for x in 0..w {
                    // Clockwise: (x, y) goes to (h - 1 - y, x) in a w-high, h-wide picture.
                    pixels[x * h + (h - 1 - y)] = img.at(x, y);
                }
            }
            img = Gray { width: h, height: w, pixels };
        }
        img
    }

    /// Ink pixels inside a box (clamped to the picture).
    pub fn ink_in(&self, x0: usize, y0: usize, x1: usize, y1: usize) -> usize {
        let (x1, y1) = (x1.min(self.width), y1.min(self.height));
        let mut n = 0;
        for y in y0.min(y1)..y1 {
            for x in x0.min(x1)..x1 {
                n += usize::from(self.dark(x, y));
            }
        }
        n
    }

    /// The box `(x0, y0, x1, y1)` around the ink inside a box, if any.
    pub fn ink_box(&self, x0: usize, y0: usize, x1: usize, y1: usize) -> Option<(usize, usize, usize, usize)> {
        let (x1, y1) = (x1.min(self.width), y1.min(self.height));
        let mut b: Option<(usize, usize, usize, usize)> = None;
        for y in y0.min(y1)..y1 {
            for x in x0.min(x1)..x1 {
                if self.dark(x, y) {
                    b = Some(match b {
                        None => (x, y, x + 1, y + 1),
                        Some((a, c, d, e)) => (a.min(x), c.min(y), d.max(x + 1), e.max(y + 1)),
                    });
                }
            }
        }
        b
    }

    /// First and last ink row of column `x` between rows `y0` and `y1`.
    pub fn ink_rows(&self, x: usize, y0: usize, y1: usize) -> Option<(usize, usize)> {
        if x >= self.width {
            return None;
        }
        let y1 = y1.min(self.height);
        let first = (y0..y1).find(|&y| self.dark(x, y))?;
        let last = (first..y1).rev().find(|&y| self.dark(x, y))?;
        Some((first, last))
    }

    /// Mean length of horizontal ink runs inside a box: the stroke width of
    /// the letters there (bold letters have wider strokes).
    pub fn stroke_width(&self, x0: usize, y0: usize, x1: usize, y1: usize) -> Option<f32> {
        let (x1, y1) = (x1.min(self.width), y1.min(self.height));
        let (mut ink, mut runs) = (0usize, 0usize);
        for y in y0.min(y1)..y1 {
            let mut inside = false;
            for x in x0.min(x1)..x1 {
                let d = self.dark(x, y);
                if d {
                    ink += 1;
                    if !inside {
                        runs += 1;
                    }
                }
                inside = d;
            }
        }
        (runs > 0).then(|| ink as f32 / runs as f32)
    }

    /// Ruling lines: horizontal runs of ink at least `min_h` pixels long and
    /// vertical ones at least `min_v` long, at most `max_thick` thick. Runs in
    /// neighbouring rows (columns) that overlap are one ruling.
    pub fn rulings(&self, min_h: usize, min_v: usize, max_thick: usize) -> Vec<Rule> {
        let mut out = Vec::new();
        // Horizontal: runs per row, then merged down the rows.
        let mut runs: Vec<Vec<(usize, usize)>> = Vec::with_capacity(self.height);
        for y in 0..self.height {
            runs.push(long_runs((0..self.width).map(|x| self.rule_dark(x, y) || (y + 1 < self.height && self.rule_dark(x, y + 1))), min_h));
        }
        out.extend(merge_runs(&runs, max_thick).into_iter().map(|(a, b, r0, r1)| Rule { x0: a, x1: b, y0: r0, y1: r1 }));
        let mut runs: Vec<Vec<(usize, usize)>> = Vec::with_capacity(self.width);
        for x in 0..self.width {
            runs.push(long_runs((0..self.height).map(|y| self.rule_dark(x, y) || (x + 1 < self.width && self.rule_dark(x + 1, y))), min_v));
        }
        out.extend(merge_runs(&runs, max_thick).into_iter().map(|(a, b, c0, c1)| Rule { x0: c0, x1: c1, y0: a, y1: b }));
        out
    }
}

/// Runs of `true` at least `min` long, as `(start, end)`; a gap of one or
/// two pixels (blur, a JPEG block edge) does not break a run.
fn long_runs(bits: impl Iterator<Item = bool>, min: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut last_ink = 0usize;
    let mut n = 0;
    for (i, b) in bits.enumerate() {
        n = i + 1;
        if b {
            if start.is_none() {
                start = Some(i);
            }
            last_ink = i;
        } else if let Some(s) = start {
            if i - last_ink > 2 {
                if last_ink + 1 - s >= min {
                    out.push((s, last_ink + 1));
                }
                start = None;
            }
        }
    }
    if let Some(s) = start {
        if last_ink + 1 - s >= min && last_ink < n {
            out.push((s, last_ink + 1));
        }
    }
    out
}

/// Joins runs of consecutive lines (rows or columns) that overlap along
/// their length into rulings `(start, end, first line, end line)`. A ruling
/// is as thick as its ink over its length (a line still turned by a fraction
/// of a degree covers more rows than it is thick), centred in the rows it
/// covers; those thicker than `max_thick` are filled areas, not lines.
fn merge_runs(lines: &[Vec<(usize, usize)>], max_thick: usize) -> Vec<(usize, usize, usize, usize)> {
    // Open rulings: (start, end, first line, last line seen, ink).
    type Open = (usize, usize, usize, usize, usize);
    let mut open: Vec<Open> = Vec::new();
    let mut done: Vec<Open> = Vec::new();
    for (i, runs) in lines.iter().enumerate() {
        let mut next: Vec<Open> = Vec::new();
        for &(a, b) in runs {
            match open.iter().position(|o| a < o.1 && b > o.0) {
                Some(k) => {
                    let o = open.swap_remove(k);
                    next.push((o.0.min(a), o.1.max(b), o.2, i, o.4 + b - a));
                }
                None => match next.iter().position(|o| a < o.1 && b > o.0) {
                    // A second run in the same line joining a ruling (a gap in a thick line).
                    Some(k) => {
                        let o = &mut next[k];
                        *o = (o.0.min(a), o.1.max(b), o.2, i, o.4 + b - a);
                    }
                    None => next.push((a, b, i, i, b - a)),
                },
            }
        }
        done.append(&mut open);
        open = next;
    }
    done.append(&mut open);
    done.into_iter()
        .filter_map(|(a, b, first, last, ink)| {
            let thick = (ink as f32 / (b - a).max(1) as f32).max(1.0);
            if thick > max_thick as f32 {
                return None;
            }
            let mid = (first + last + 1) as f32 / 2.0;
            let lo = (mid - thick / 2.0).max(0.0).round() as usize;
            Some((a, b, lo, lo + thick.round().max(1.0) as usize))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blank(w: usize, h: usize) -> Gray {
        Gray { width: w, height: h, pixels: vec![255; w * h] }
    }

    #[test]
    fn pgm_round_trip() {
        let mut g = blank(7, 3);
        g.pixels[8] = 0;
        let back = Gray::from_pgm(&g.to_pgm()).expect("pgm");
        assert_eq!((back.width, back.height), (7, 3));
        assert_eq!(back.pixels, g.pixels);
        assert!(Gray::from_pgm(b"P5\n7 3\n255\n\x00").is_none(), "short data");
        assert!(Gray::from_pgm(b"P6\n1 1\n255\n\x00\x00\x00").is_none());
    }

    #[test]
    fn finds_a_box_of_rulings_and_the_skew() {
        let mut g = blank(400, 300);
        for x in 50..350 {
            for t in 0..3 {
                g.pixels[(100 + t) * 400 + x] = 0;
                g.pixels[(200 + t) * 400 + x] = 0;
            }
        }
        for y in 100..203 {
            for t in 0..2 {
                g.pixels[y * 400 + 50 + t] = 0;
                g.pixels[y * 400 + 348 + t] = 0;
            }
        }
        let rules = g.rulings(80, 60, 6);
        assert_eq!(rules.iter().filter(|r| r.horizontal()).count(), 2, "{rules:?}");
        assert_eq!(rules.iter().filter(|r| !r.horizontal()).count(), 2, "{rules:?}");
        // Rows of "text" (bars 4 px high every 14 px) between the rulings.
        for row in 0..6 {
            for y in 112 + row * 14..116 + row * 14 {
                for x in (70..330).filter(|x| x % 9 < 6) {
                    g.pixels[y * 400 + x] = 0;
                }
            }
        }
        let turned = g.rotated(0.8);
        let skew = turned.skew_degrees(1.5);
        assert!((skew - 0.8).abs() <= 0.15, "skew {skew}");
        let straight = turned.rotated(-skew);
        assert_eq!(straight.rulings(80, 60, 6).iter().filter(|r| r.horizontal()).count(), 2);
    }

    #[test]
    fn quarter_turns_swap_the_sides() {
        let mut g = blank(4, 2);
        g.pixels[0] = 0;
        let t = g.quarter_turns(1);
        assert_eq!((t.width, t.height), (2, 4));
        assert_eq!(t.pixels[1], 0, "top-left goes top-right");
        assert_eq!(g.quarter_turns(4).pixels, g.pixels);
    }
}
