//! Tesseract's TSV words into the PDF reader's span model.
//!
//! Tesseract reports a box and a confidence per word and numbers its blocks,
//! paragraphs and lines; it reports neither font size, baseline nor weight.
//! These come from the picture: the size from word heights (a word's height
//! spans x-height, ascenders and descenders by the letters it holds), the
//! baseline from the bottoms of words without descenders, bold from the
//! stroke width of the letters. Words of one line become one span as long as
//! the gap between them is a word space and no ruling runs between them, as
//! a PDF producer would have drawn them.

use super::image::{Gray, Rule};
use crate::pdf::TextSpan;

/// One word of Tesseract's TSV (level 5), in pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    pub text: String,
    pub left: usize,
    pub top: usize,
    pub width: usize,
    pub height: usize,
    /// 0–100.
    pub conf: f32,
    /// (block, paragraph, line) numbers.
    pub line: (u32, u32, u32),
}

/// Reads Tesseract's TSV output: the words (level 5) with text.
pub fn parse_tsv(tsv: &str) -> Vec<Word> {
    let mut out = Vec::new();
    for row in tsv.lines().skip(1) {
        let f: Vec<&str> = row.split('\t').collect();
        if f.len() < 12 || f[0] != "5" {
            continue;
        }
        let text = f[11..].join(" ").trim().to_string();
        if text.is_empty() {
            continue;
        }
        let num = |i: usize| f[i].trim().parse::<usize>().ok();
        let id = |i: usize| f[i].trim().parse::<u32>().unwrap_or(0);
        let (Some(left), Some(top), Some(width), Some(height)) = (num(6), num(7), num(8), num(9)) else {
            continue;
        };
        let conf = f[10].trim().parse::<f32>().unwrap_or(0.0);
        out.push(Word { text, left, top, width, height, conf, line: (id(2), id(3), id(4)) });
    }
    out
}

/// Letters that reach the cap height or above the x-height.
fn tall(c: char) -> bool {
    c.is_uppercase() || c.is_ascii_digit() || "bdfhklitjåäöüéèß()[]{}/\\|!?'\"%&#@$§".contains(c)
}

/// Letters that reach below the baseline.
fn deep(c: char) -> bool {
    "gjpqyçQ(),;[]{}/\\|".contains(c)
}

/// Share of the em a word's height covers, from its letters (Calibri, Arial
/// and Times are within a few percent of these).
fn height_share(text: &str) -> Option<f32> {
    if !text.chars().any(char::is_alphanumeric) {
        return None;
    }
    let top = if text.chars().any(tall) { 0.70 } else { 0.48 };
    let bottom = if text.chars().any(deep) { 0.21 } else { 0.0 };
    Some(top + bottom)
}

/// A word placed on the page, in points, before bold and sizes are settled
/// across the document.
#[derive(Debug, Clone)]
pub struct PlacedWord {
    pub text: String,
    pub x0: f32,
    pub x1: f32,
    /// Stroke width over the square root of the font size: bold letters have
    /// wider strokes, larger letters too, but blur widens every stroke by
    /// the same pixels, so dividing by the size itself would hide bold headings.
    pub weight: Option<f32>,
    /// A ruling runs between this word and the one before it on the line.
    pub ruled_before: bool,
}

/// One line of words as Tesseract grouped them.
#[derive(Debug, Clone)]
pub struct PlacedLine {
    pub words: Vec<PlacedWord>,
    /// Baseline, points from the top.
    pub y: f32,
    /// Estimated font size, points.
    pub size: f32,
}

/// Under this confidence a word much lower than the page's letters is a speck.
const SPECK_CONFIDENCE: f32 = 50.0;

/// The bullets Tesseract reads a filled disc as.
const BULLET_READINGS: [&str; 12] = ["e", "«", "&", "©", "@", "°", "*", "•", "®", "o", "¢", "»"];

/// Tesseract words into lines of placed words. `scale` is points per pixel.
pub fn place(words: &[Word], img: &Gray, rules: &[Rule], scale: f32) -> Vec<PlacedLine> {
    let verticals: Vec<&Rule> = rules.iter().filter(|r| !r.horizontal()).collect();
    // A ruling read as a letter: a bar near a vertical ruling, or a thin
    // letter on top of one.
    let near = |w: &Word, slack: usize| {
        verticals.iter().any(|v| v.x0 <= w.left + w.width + slack && v.x1 + slack >= w.left && v.y0 <= w.top + w.height && v.y1 >= w.top)
    };
    // Specks: a word read with low confidence from a box far lower than the
    // page's letters (a dot of noise, a sliver of a ruling).
    let mut heights: Vec<usize> = words.iter().filter(|w| w.text.chars().any(char::is_alphanumeric)).map(|w| w.height).collect();
    heights.sort_unstable();
    let typical = heights.get(heights.len() / 2).copied().unwrap_or(0);
    let mut lines: Vec<Vec<&Word>> = Vec::new();
    for w in words {
        if w.conf < SPECK_CONFIDENCE && w.height * 5 < typical * 2 {
            continue;
        }
        let bar = w.text.chars().all(|c| matches!(c, '|' | '¦' | '│'));
        let thin = w.text.chars().all(|c| matches!(c, '|' | '[' | ']' | '!' | 'l' | 'I' | '1' | '/' | '(' | ')' | 'i' | 'j'));
        // Punctuation on a ruling: a piece of the line read as a mark.
        let on_rule = !w.text.chars().any(char::is_alphanumeric)
            && rules.iter().any(|r| r.x0 <= w.left + w.width + 3 && r.x1 + 3 >= w.left && r.y0 <= w.top + w.height + 3 && r.y1 + 3 >= w.top);
        // A dash standing upright is noise (a speck, a stroke of the bullet before it).
        let upright_dash = w.text.chars().all(|c| matches!(c, '—' | '–' | '-' | '_')) && w.height * 2 > w.width * 3;
        if (bar && near(w, 8)) || (thin && near(w, 0)) || on_rule || upright_dash {
            continue;
        }
        match lines.last_mut() {
            Some(l) if l[0].line == w.line => l.push(w),
            _ => lines.push(vec![w]),
        }
    }
    let mut out = Vec::new();
    for mut line in lines {
        line.sort_by_key(|w| w.left);
        let mut sizes: Vec<f32> = line.iter().filter_map(|w| height_share(&w.text).map(|s| w.height as f32 / s)).collect();
        sizes.sort_by(f32::total_cmp);
        let Some(&size_px) = sizes.get(sizes.len() / 2) else {
            // Only marks and punctuation: size from the box.
            let h = line.iter().map(|w| w.height).max().unwrap_or(0) as f32;
            if h <= 0.0 {
                continue;
            }
            push_line(&mut out, &line, img, &verticals, scale, h / 0.7, line.iter().map(|w| (w.top + w.height) as f32).fold(0.0, f32::max));
            continue;
        };
        let mut bottoms: Vec<f32> =
            line.iter().filter(|w| w.text.chars().any(char::is_alphanumeric) && !w.text.chars().any(deep)).map(|w| (w.top + w.height) as f32).collect();
        bottoms.sort_by(f32::total_cmp);
        let base = match bottoms.get(bottoms.len() / 2) {
            Some(&b) => b,
            None => line.iter().map(|w| (w.top + w.height) as f32).fold(0.0, f32::max) - 0.21 * size_px,
        };
        push_line(&mut out, &line, img, &verticals, scale, size_px, base);
    }
    out
}

fn push_line(out: &mut Vec<PlacedLine>, line: &[&Word], img: &Gray, verticals: &[&Rule], scale: f32, size_px: f32, base_px: f32) {
    let mut words = Vec::with_capacity(line.len());
    for (i, w) in line.iter().enumerate() {
        let mut text = clean(&w.text);
        // A filled disc at the start of a line, smaller than the letters: a bullet.
        if i == 0 && BULLET_READINGS.contains(&text.as_str()) && line.len() > 1 {
            let area = (w.width * w.height).max(1);
            let fill = img.ink_in(w.left, w.top, w.left + w.width, w.top + w.height) as f32 / area as f32;
            let square = w.width * 10 >= w.height * 6 && w.height * 10 >= w.width * 6;
            if square && fill >= 0.55 && (w.height as f32) < size_px * 0.45 {
                text = "•".to_string();
            }
        }
        if w.text.chars().filter(|&c| matches!(c, '-' | '–' | '—')).count() == 1 {
            text = restore_dash(&text, img, w, size_px);
        }
        let weight = w
            .text
            .chars()
            .any(char::is_alphanumeric)
            .then(|| img.stroke_width(w.left, w.top, w.left + w.width, w.top + w.height))
            .flatten()
            .map(|s| s / size_px.sqrt());
        // A ruling between the two words' centres (boxes may reach onto it).
        let ruled_before = i > 0 && {
            let p = line[i - 1];
            let (from, to) = (p.left + p.width / 2, w.left + w.width / 2);
            verticals.iter().any(|v| {
                let c = (v.x0 + v.x1) / 2;
                c > from && c < to && v.y0 <= w.top + w.height && v.y1 >= w.top
            })
        };
        words.push(PlacedWord { text, x0: w.left as f32 * scale, x1: (w.left + w.width) as f32 * scale, weight, ruled_before });
    }
    out.push(PlacedLine { words, y: base_px * scale, size: size_px * scale });
}

/// Tesseract reads an en dash (`2025–2027`, `Referat – NSG`) as a hyphen;
/// the picture tells them apart by length. A dash standing alone between
/// words is an en dash when its ink is at least 0.3 em long (a hyphen's is
/// about 0.24 em). Inside a number range, the dash (the ink columns that
/// are a thin stroke in the middle of the word's height) is an en dash when
/// it is about as wide as the digits around it (a hyphen is about 0.6 of a
/// digit), a measure that holds across fonts and sizes.
fn restore_dash(text: &str, img: &Gray, w: &Word, size_px: f32) -> String {
    if text.chars().count() == 1 {
        let len = w.width as f32 / size_px;
        return if len >= 0.75 {
            "—"
        } else if len >= 0.3 {
            "–"
        } else {
            "-"
        }
        .to_string();
    }
    let digits_around = text.split(['-', '–', '—']).all(|part| part.chars().last().or(part.chars().next()).is_some_and(|c| c.is_ascii_digit()));
    if !digits_around {
        return text.to_string();
    }
    let (top, bottom) = (w.top as f32, (w.top + w.height) as f32);
    let h = bottom - top;
    let (band_lo, band_hi) = (top + h * 0.3, bottom - h * 0.15);
    let thin = (h * 0.2).max(2.0);
    // Glyphs: runs of columns with ink; a glyph is the dash when every column is thin and mid-height.
    let mut glyphs: Vec<(usize, bool)> = Vec::new();
    let mut open: Option<(usize, bool)> = None;
    for x in w.left..=(w.left + w.width).min(img.width) {
        let column = (x < w.left + w.width).then(|| img.ink_rows(x, w.top, w.top + w.height)).flatten();
        match (column, open.as_mut()) {
            (Some((a, b)), Some(g)) => {
                g.0 += 1;
                g.1 &= ((b - a + 1) as f32) <= thin && (a as f32) >= band_lo && (b as f32) <= band_hi;
            }
            (Some((a, b)), None) => open = Some((1, ((b - a + 1) as f32) <= thin && (a as f32) >= band_lo && (b as f32) <= band_hi)),
            (None, Some(_)) => glyphs.extend(open.take()),
            (None, None) => {}
        }
    }
    glyphs.extend(open);
    let dashes: Vec<usize> = glyphs.iter().filter(|g| g.1).map(|g| g.0).collect();
    let mut digits: Vec<usize> = glyphs.iter().filter(|g| !g.1).map(|g| g.0).collect();
    digits.sort_unstable();
    let (&[dash], Some(&digit)) = (&dashes[..], digits.get(digits.len() / 2)) else {
        return text.to_string();
    };
    if dash * 4 >= digit * 3 {
        text.replace(['-', '—'], "–")
    } else {
        text.to_string()
    }
}

/// Tesseract's typographic letters into what PDF text extraction gives.
fn clean(s: &str) -> String {
    s.replace('\u{FB01}', "fi")
        .replace('\u{FB02}', "fl")
        .replace('\u{FB00}', "ff")
        .replace(['\u{2018}', '\u{2019}'], "'")
        .replace(['\u{201C}', '\u{201D}', '„'], "\"")
}

/// The settled look of the OCR'd text of a whole document.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// The body font size: line sizes within 12% of it are set to it.
    pub body_size: f32,
    /// Stroke weight above which a word is bold.
    pub bold_weight: f32,
}

/// Finds the body size and the bold threshold over all OCR'd lines.
pub fn style(lines: &[&PlacedLine]) -> Style {
    let mut counts: std::collections::HashMap<i32, usize> = std::collections::HashMap::new();
    let mut weights: Vec<(f32, usize)> = Vec::new();
    for l in lines {
        let chars: usize = l.words.iter().map(|w| w.text.chars().count()).sum();
        *counts.entry((l.size * 2.0).round() as i32).or_default() += chars;
        for w in &l.words {
            if let Some(g) = w.weight {
                weights.push((g, w.text.chars().count()));
            }
        }
    }
    // Neighbouring half points are one size read with noise.
    let body = counts
        .keys()
        .map(|&k| (k, counts.get(&(k - 1)).copied().unwrap_or(0) + counts[&k] + counts.get(&(k + 1)).copied().unwrap_or(0)))
        .max_by_key(|&(k, n)| (n, -k))
        .map_or(11.0, |(k, _)| k as f32 / 2.0);
    weights.sort_by(|a, b| a.0.total_cmp(&b.0));
    let total: usize = weights.iter().map(|w| w.1).sum();
    let mut acc = 0;
    let mut median = 0.1;
    for (g, n) in &weights {
        acc += n;
        if acc * 2 >= total {
            median = *g;
            break;
        }
    }
    Style { body_size: body, bold_weight: median * BOLD_RATIO }
}

/// Stroke weight over the body's that reads as bold.
const BOLD_RATIO: f32 = 1.25;

/// Largest gap between words of one span, in em.
const SPAN_GAP_EM: f32 = 0.8;

/// Placed lines into spans: words on one line join while the gap is a word
/// space, no ruling runs between them and the weight stays the same.
pub fn spans(lines: &[PlacedLine], style: Style) -> Vec<TextSpan> {
    let mut out = Vec::new();
    for l in lines {
        let size = if (l.size - style.body_size).abs() <= style.body_size * 0.12 { style.body_size } else { (l.size * 2.0).round() / 2.0 };
        let bold_words: Vec<bool> = l.words.iter().map(|w| w.weight.is_some_and(|g| g > style.bold_weight)).collect();
        // A line is bold or not as a whole when most of its letters are.
        let letters = |w: &PlacedWord| w.text.chars().filter(|c| c.is_alphanumeric()).count();
        let (bold_n, all_n) = l.words.iter().zip(&bold_words).fold((0, 0), |(b, a), (w, &bw)| (b + if bw { letters(w) } else { 0 }, a + letters(w)));
        let line_bold = all_n > 0 && bold_n * 3 >= all_n * 2;
        let line_plain = bold_n * 3 <= all_n;
        let mut open: Option<TextSpan> = None;
        for (w, &bw) in l.words.iter().zip(&bold_words) {
            let bold = if line_bold {
                true
            } else if line_plain {
                false
            } else {
                bw
            };
            if let Some(s) = open.as_mut() {
                if !w.ruled_before && s.bold == bold && w.x0 - s.x1 <= SPAN_GAP_EM * size {
                    s.text.push(' ');
                    s.text.push_str(&w.text);
                    s.x1 = w.x1;
                    continue;
                }
            }
            out.extend(open.take());
            open = Some(TextSpan {
                text: w.text.clone(),
                x0: w.x0,
                x1: w.x1,
                y: l.y,
                font_size: size,
                font: "OCR".to_string(),
                bold,
                italic: false,
                mcid: None,
                artifact: false,
                rotated: false,
            });
        }
        out.extend(open);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TSV: &str = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext
1\t1\t0\t0\t0\t0\t0\t0\t2481\t3509\t-1\t
5\t1\t1\t1\t1\t1\t100\t100\t151\t30\t93.0\tTiltaksplan
5\t1\t1\t1\t1\t2\t262\t101\t40\t24\t96.9\tfor
5\t1\t1\t1\t1\t3\t900\t101\t40\t24\t50.0\tfor
5\t1\t4\t1\t1\t1\t245\t392\t1904\t16\t95.0\t 
5\t1\t5\t1\t1\t1\t100\t200\t98\t30\t96.5\tstudier
";

    #[test]
    fn tsv_words_become_spans_split_at_wide_gaps() {
        let words = parse_tsv(TSV);
        assert_eq!(words.iter().map(|w| w.text.as_str()).collect::<Vec<_>>(), ["Tiltaksplan", "for", "for", "studier"]);
        let img = Gray { width: 1000, height: 400, pixels: vec![255; 400_000] };
        let lines = place(&words, &img, &[], 0.24);
        assert_eq!(lines.len(), 2);
        // The median of the words' estimates: `for`, 24 px of ascender and x-height: 24 / 0.70 px a em.
        assert!((lines[0].size - 24.0 / 0.70 * 0.24).abs() < 0.01, "{}", lines[0].size);
        assert!((lines[0].y - 125.0 * 0.24).abs() < 0.01, "baseline from the bottom of `for`: {}", lines[0].y);
        let refs: Vec<&PlacedLine> = lines.iter().collect();
        let spans = spans(&lines, style(&refs));
        let texts: Vec<&str> = spans.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(texts, ["Tiltaksplan for", "for", "studier"]);
    }
}
