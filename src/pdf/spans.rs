//! Grouping glyphs into [`TextSpan`]s, and collecting [`Shape`]s.
//!
//! A span is a maximal run of consecutively drawn glyphs with the same font
//! object and size, on the same baseline and in the same direction, each
//! starting no more than 0.15 em after the previous glyph's advance ends and
//! no more than 0.25 em before it (kerning), within the same marked content
//! (MCID and artifact state) and the same style (bold/italic, synthetic
//! included). Space glyphs stay inside a span; a span's text is
//! trimmed, and `x0`/`x1` cover its non-blank glyphs only. Spans without any
//! non-blank glyph are dropped.
//!
//! A spacing accent drawn as a glyph of its own (`´ ˚ ¨ ˆ ˜ ¸ ˇ` …, as
//! pdfTeX draws OT1 `\aa` or `\'e`) is composed with the letter it sits
//! over or under into the precomposed character, by position: the accent's
//! middle lies within the letter's advance, its baseline within
//! [`ACCENT_REACH_EM`] of the letter's. The letter may come before the
//! accent (any recent letter of the page) or right after it. An accent that
//! meets no letter is kept as text.

use std::collections::VecDeque;
use std::rc::Rc;

use unicode_normalization::UnicodeNormalization;

use super::font::Font;
use super::interp::{Device, GlyphDraw};
use super::{Shape, TextSpan};

/// Largest gap, in em, between one glyph's advance and the next glyph inside a span.
const MAX_GAP_EM: f32 = 0.15;
/// Largest gap, in em, between words of one rotated line (one span, the gap a space).
const MAX_ROTATED_GAP_EM: f32 = 1.5;
/// Largest backward step, in em, inside a span (negative kerning, overlaps).
const MAX_BACKSTEP_EM: f32 = 0.25;
/// Baseline drift, in em, still counted as the same baseline.
const BASELINE_EM: f32 = 0.02;
/// Largest baseline distance, in em of the letter, between an accent glyph
/// and the letter it belongs to (capitals' accents are raised about 0.25 em).
const ACCENT_REACH_EM: f32 = 0.8;
/// Slack, in em, around a letter's advance for an accent's middle (italic
/// accents are shifted right by the slant).
const ACCENT_SLACK_EM: f32 = 0.1;
/// Letters remembered for accents drawn after them.
const RECENT_LETTERS: usize = 48;
/// Accents held for the letter drawn after them (stacked accents); older
/// ones are drawn as text.
const MAX_PENDING: usize = 3;

/// The combining mark of a spacing accent (or of a combining mark drawn
/// as a glyph of its own).
fn accent_mark(c: char) -> Option<char> {
    let mark = match c {
        '\u{B4}' | '\u{2CA}' => '\u{301}',
        '`' | '\u{2CB}' => '\u{300}',
        '\u{2DA}' => '\u{30A}',
        '\u{A8}' => '\u{308}',
        '^' | '\u{2C6}' => '\u{302}',
        '~' | '\u{2DC}' => '\u{303}',
        '\u{B8}' => '\u{327}',
        '\u{2C7}' => '\u{30C}',
        '\u{AF}' | '\u{2C9}' => '\u{304}',
        '\u{2D8}' => '\u{306}',
        '\u{2D9}' => '\u{307}',
        '\u{2DD}' => '\u{30B}',
        '\u{2DB}' => '\u{328}',
        '\u{300}'..='\u{36F}' => c,
        _ => return None,
    };
    Some(mark)
}

/// The accent character of a glyph whose whole text is one accent.
fn sole_accent(text: &str) -> Option<char> {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => accent_mark(c),
        _ => None,
    }
}

/// Whether a glyph's text is one letter (with any marks already on it).
fn is_letter(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(char::is_alphabetic) && chars.all(|c| ('\u{300}'..='\u{36F}').contains(&c))
}

/// `letter` with `mark` on it, in NFC; a dotless i or j takes a mark above
/// as the plain letter.
fn compose(letter: &str, mark: char) -> String {
    // The OT1 `suppress` bar: Unicode has ł and Ł with no decomposition.
    if mark == '\u{337}' {
        match letter {
            "l" => return "ł".into(),
            "L" => return "Ł".into(),
            _ => {}
        }
    }
    let below = matches!(mark, '\u{327}' | '\u{328}');
    letter
        .chars()
        .map(|c| match c {
            '\u{131}' if !below => 'i',
            '\u{237}' if !below => 'j',
            c => c,
        })
        .chain(std::iter::once(mark))
        .nfc()
        .collect()
}

/// A letter glyph of the page that a later accent may belong to.
#[derive(Debug, Clone, Copy)]
struct Letter {
    /// Index into `spans`, `None` for the open span.
    span: Option<usize>,
    /// Byte range of its text in the span's text.
    at: usize,
    len: usize,
    dir: (f32, f32),
    /// Advance extent along `dir`.
    lo: f32,
    hi: f32,
    baseline: f32,
    size: f32,
}

/// An accent glyph waiting for the letter drawn after it.
struct PendingAccent {
    mark: char,
    text: String,
    ink: bool,
    start: (f32, f32),
    end: (f32, f32),
    dir: (f32, f32),
    size: f32,
    font: Rc<Font>,
    synthetic_bold: bool,
    synthetic_italic: bool,
    mcid: Option<u32>,
    artifact: bool,
}

impl PendingAccent {
    fn draw(&self) -> GlyphDraw<'_> {
        GlyphDraw {
            text: &self.text,
            ink: self.ink,
            start: self.start,
            end: self.end,
            dir: self.dir,
            size: self.size,
            font: &self.font,
            synthetic_bold: self.synthetic_bold,
            synthetic_italic: self.synthetic_italic,
            mcid: self.mcid,
            artifact: self.artifact,
        }
    }
}

/// Middle and baseline of a glyph's advance, along and across `dir`.
fn glyph_middle(start: (f32, f32), end: (f32, f32), dir: (f32, f32)) -> (f32, f32) {
    ((dot(dir, start) + dot(dir, end)) / 2.0, cross(dir, start))
}

/// How far an accent's middle lies from a letter's, if it sits on it.
fn accent_fits(
    letter_lo: f32,
    letter_hi: f32,
    letter_baseline: f32,
    letter_size: f32,
    letter_dir: (f32, f32),
    accent: (f32, f32),
    accent_dir: (f32, f32),
) -> Option<f32> {
    let size = letter_size.max(1e-3);
    let slack = ACCENT_SLACK_EM * size;
    let (middle, baseline) = accent;
    (dot(letter_dir, accent_dir) >= 0.999
        && middle >= letter_lo.min(letter_hi) - slack
        && middle <= letter_lo.max(letter_hi) + slack
        && (baseline - letter_baseline).abs() <= ACCENT_REACH_EM * size)
        .then(|| (middle - (letter_lo + letter_hi) / 2.0).abs())
}

struct OpenSpan {
    font: Rc<Font>,
    size: f32,
    dir: (f32, f32),
    /// Offset of the baseline perpendicular to `dir`.
    baseline: f32,
    /// Position along `dir` where the last glyph's advance ends.
    end: f32,
    text: String,
    /// `(x0, x1, y)` over the non-blank glyphs.
    ink: Option<(f32, f32, f32)>,
    mcid: Option<u32>,
    artifact: bool,
    bold: bool,
    italic: bool,
}

/// Whether text runs other than left to right along the page's x axis.
fn is_rotated(dir: (f32, f32)) -> bool {
    dir.0 < 0.999
}

/// Collects one page's spans and shapes.
pub(crate) struct PageCollector {
    pub spans: Vec<TextSpan>,
    pub shapes: Vec<Shape>,
    open: Option<OpenSpan>,
    width: f32,
    height: f32,
    letters: VecDeque<Letter>,
    pending: Vec<PendingAccent>,
}

fn dot(a: (f32, f32), b: (f32, f32)) -> f32 {
    a.0 * b.0 + a.1 * b.1
}

fn cross(a: (f32, f32), b: (f32, f32)) -> f32 {
    a.0 * b.1 - a.1 * b.0
}

impl PageCollector {
    pub fn new(width: f32, height: f32) -> PageCollector {
        PageCollector { spans: Vec::new(), shapes: Vec::new(), open: None, width, height, letters: VecDeque::new(), pending: Vec::new() }
    }

    /// Closes the open span; call once the page is done.
    pub fn finish(&mut self) {
        self.flush_pending();
        self.close_open();
    }

    /// Draws the accents no letter took, as text.
    fn flush_pending(&mut self) {
        for accent in std::mem::take(&mut self.pending) {
            self.add(&accent.draw());
        }
    }

    /// Closes the open span; its letters move to their span's index.
    fn close_open(&mut self) {
        let Some(open) = self.open.take() else { return };
        let index = self.spans.len();
        let kept = Self::trimmed(open).map(|(span, start)| {
            self.spans.push(span);
            (start, self.spans.last().map_or(0, |s| s.text.len()))
        });
        self.letters.retain_mut(|l| {
            if l.span.is_some() {
                return true;
            }
            let Some((start, len)) = kept else {
                return false;
            };
            if l.at < start || l.at - start + l.len > len {
                return false;
            }
            l.at -= start;
            l.span = Some(index);
            true
        });
    }

    /// The span of an open span, and the bytes trimmed from its start.
    fn trimmed(open: OpenSpan) -> Option<(TextSpan, usize)> {
        let (x0, x1, y) = open.ink?;
        let mut text = open.text;
        let end = text.trim_end().len();
        text.truncate(end);
        let start = text.len() - text.trim_start().len();
        text.drain(..start);
        if text.is_empty() {
            return None;
        }
        let span = TextSpan {
            text,
            x0,
            x1,
            y,
            font_size: open.size,
            font: open.font.name.clone(),
            bold: open.bold,
            italic: open.italic,
            mcid: open.mcid,
            artifact: open.artifact,
            rotated: is_rotated(open.dir),
        };
        Some((span, start))
    }

    /// Puts `mark` on the recent letter the accent at `middle` sits on.
    fn attach_to_recent(&mut self, mark: char, accent: (f32, f32), dir: (f32, f32)) -> bool {
        let best = self
            .letters
            .iter()
            .enumerate()
            .rev()
            .filter_map(|(i, l)| accent_fits(l.lo, l.hi, l.baseline, l.size, l.dir, accent, dir).map(|d| (i, d)))
            .min_by(|a, b| a.1.total_cmp(&b.1));
        let Some((i, _)) = best else { return false };
        let Some(letter) = self.letters.get(i).copied() else {
            return false;
        };
        let text = match letter.span {
            None => self.open.as_mut().map(|o| &mut o.text),
            Some(k) => self.spans.get_mut(k).map(|s| &mut s.text),
        };
        let Some(text) = text else { return false };
        let Some(old) = text.get(letter.at..letter.at + letter.len) else {
            return false;
        };
        let new = compose(old, mark);
        text.replace_range(letter.at..letter.at + letter.len, &new);
        let grown = new.len() as isize - letter.len as isize;
        for l in self.letters.iter_mut() {
            if l.span == letter.span && l.at > letter.at {
                l.at = l.at.saturating_add_signed(grown);
            }
        }
        if let Some(l) = self.letters.get_mut(i) {
            l.len = new.len();
        }
        true
    }

    fn continues(open: &OpenSpan, g: &GlyphDraw<'_>) -> bool {
        let size = open.size.max(1e-3);
        if !Rc::ptr_eq(&open.font, g.font)
            || (open.size - g.size).abs() > 0.01 * size
            || open.mcid != g.mcid
            || open.artifact != g.artifact
            || open.bold != (g.font.bold || g.synthetic_bold)
            || open.italic != (g.font.italic || g.synthetic_italic)
            || dot(open.dir, g.dir) < 0.9999
        {
            return false;
        }
        if (cross(open.dir, g.start) - open.baseline).abs() > BASELINE_EM * size {
            return false;
        }
        let gap = dot(open.dir, g.start) - open.end;
        let max_gap = if is_rotated(open.dir) { MAX_ROTATED_GAP_EM } else { MAX_GAP_EM };
        gap <= max_gap * size && gap >= -MAX_BACKSTEP_EM * size
    }
}

impl PageCollector {
    /// Adds a glyph to the open span (or a new one).
    fn add(&mut self, g: &GlyphDraw<'_>) {
        if !self.open.as_ref().is_some_and(|open| Self::continues(open, g)) {
            self.close_open();
            self.open = Some(OpenSpan {
                font: Rc::clone(g.font),
                size: g.size,
                dir: g.dir,
                baseline: cross(g.dir, g.start),
                end: 0.0,
                text: String::new(),
                ink: None,
                mcid: g.mcid,
                artifact: g.artifact,
                bold: g.font.bold || g.synthetic_bold,
                italic: g.font.italic || g.synthetic_italic,
            });
        }
        let Some(open) = self.open.as_mut() else {
            return;
        };
        // Rotated text keeps a line's words in one span, the gaps as spaces:
        // the layout reads each rotated span as a line of its own.
        if is_rotated(open.dir)
            && dot(open.dir, g.start) - open.end > MAX_GAP_EM * open.size.max(1e-3)
            && !open.text.is_empty()
            && !open.text.ends_with(' ')
            && !g.text.starts_with(' ')
        {
            open.text.push(' ');
        }
        if is_letter(g.text) {
            if self.letters.len() >= RECENT_LETTERS {
                self.letters.pop_front();
            }
            self.letters.push_back(Letter {
                span: None,
                at: open.text.len(),
                len: g.text.len(),
                dir: g.dir,
                lo: dot(g.dir, g.start),
                hi: dot(g.dir, g.end),
                baseline: cross(g.dir, g.start),
                size: g.size,
            });
        }
        open.text.push_str(g.text);
        open.end = dot(open.dir, g.end);
        if g.ink {
            let (lo, hi) = (g.start.0.min(g.end.0), g.start.0.max(g.end.0));
            open.ink = Some(match open.ink {
                None => (lo, hi, g.start.1),
                Some((x0, x1, y)) => (x0.min(lo), x1.max(hi), y),
            });
        }
    }
}

impl Device for PageCollector {
    fn glyph(&mut self, g: &GlyphDraw<'_>) {
        let coords = [g.start.0, g.start.1, g.end.0, g.end.1, g.size];
        if !coords.iter().all(|v| v.is_finite()) {
            return;
        }
        if let Some(mark) = sole_accent(g.text) {
            let middle = glyph_middle(g.start, g.end, g.dir);
            if !self.attach_to_recent(mark, middle, g.dir) {
                if self.pending.len() >= MAX_PENDING {
                    let held = std::mem::take(&mut self.pending);
                    for accent in &held {
                        self.add(&accent.draw());
                    }
                }
                self.pending.push(PendingAccent {
                    mark,
                    text: g.text.to_owned(),
                    ink: g.ink,
                    start: g.start,
                    end: g.end,
                    dir: g.dir,
                    size: g.size,
                    font: Rc::clone(g.font),
                    synthetic_bold: g.synthetic_bold,
                    synthetic_italic: g.synthetic_italic,
                    mcid: g.mcid,
                    artifact: g.artifact,
                });
            }
            return;
        }
        if self.pending.is_empty() {
            self.add(g);
            return;
        }
        // Accents drawn just before this glyph: those over it go on it.
        let mut text = g.text.to_owned();
        if is_letter(g.text) {
            let (lo, hi) = (dot(g.dir, g.start), dot(g.dir, g.end));
            let baseline = cross(g.dir, g.start);
            let mut rest = Vec::new();
            for accent in std::mem::take(&mut self.pending) {
                let middle = glyph_middle(accent.start, accent.end, accent.dir);
                if accent_fits(lo, hi, baseline, g.size, g.dir, middle, accent.dir).is_some() {
                    text = compose(&text, accent.mark);
                } else {
                    rest.push(accent);
                }
            }
            self.pending = rest;
        }
        self.flush_pending();
        self.add(&GlyphDraw { text: &text, ..*g });
    }

    fn shape(&mut self, s: Shape) {
        let finite = [s.x0, s.y0, s.x1, s.y1].iter().all(|v| v.is_finite());
        // Drop what lies wholly outside the page (with a point of slack).
        let visible = s.x1 >= -1.0 && s.y1 >= -1.0 && s.x0 <= self.width + 1.0 && s.y0 <= self.height + 1.0;
        if finite && visible {
            self.shapes.push(s);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_compose_with_letters() {
        assert_eq!(compose("a", '\u{30A}'), "å");
        assert_eq!(compose("A", '\u{30A}'), "Å");
        assert_eq!(compose("\u{131}", '\u{301}'), "í");
        assert_eq!(compose("c", '\u{327}'), "ç");
        assert_eq!(compose("L", '\u{337}'), "Ł");
        assert_eq!(compose("é", '\u{308}'), "é\u{308}");
        assert_eq!(sole_accent("\u{2DA}"), Some('\u{30A}'));
        assert_eq!(sole_accent("\u{B4}"), Some('\u{301}'));
        assert_eq!(sole_accent("a"), None);
        assert_eq!(sole_accent("\u{B4}\u{B4}"), None);
        assert!(is_letter("å") && is_letter("a\u{301}") && !is_letter("1") && !is_letter("fi"));
    }

    #[test]
    fn accent_fits_only_over_its_letter() {
        let right = (1.0, 0.0);
        // A letter from 10 to 15 at baseline 100, size 10; an accent centred
        // over it and raised 2 units fits; one beside it does not.
        assert!(accent_fits(10.0, 15.0, 100.0, 10.0, right, (12.5, 98.0), right).is_some());
        assert!(accent_fits(10.0, 15.0, 100.0, 10.0, right, (17.5, 100.0), right).is_none());
        // On the next line (a line's height away) it does not.
        assert!(accent_fits(10.0, 15.0, 100.0, 10.0, right, (12.5, 88.0), right).is_none());
    }
}
