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

use std::rc::Rc;

use super::font::Font;
use super::interp::{Device, GlyphDraw};
use super::{Shape, TextSpan};

/// Largest gap, in em, between one glyph's advance and the next glyph inside a span.
const MAX_GAP_EM: f32 = 0.15;
/// Largest backward step, in em, inside a span (negative kerning, overlaps).
const MAX_BACKSTEP_EM: f32 = 0.25;
/// Baseline drift, in em, still counted as the same baseline.
const BASELINE_EM: f32 = 0.02;

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

/// Collects one page's spans and shapes.
pub(crate) struct PageCollector {
    pub spans: Vec<TextSpan>,
    pub shapes: Vec<Shape>,
    open: Option<OpenSpan>,
    width: f32,
    height: f32,
}

fn dot(a: (f32, f32), b: (f32, f32)) -> f32 {
    a.0 * b.0 + a.1 * b.1
}

fn cross(a: (f32, f32), b: (f32, f32)) -> f32 {
    a.0 * b.1 - a.1 * b.0
}

impl PageCollector {
    pub fn new(width: f32, height: f32) -> PageCollector {
        PageCollector {
            spans: Vec::new(),
            shapes: Vec::new(),
            open: None,
            width,
            height,
        }
    }

    /// Closes the open span; call once the page is done.
    pub fn finish(&mut self) {
        let Some(open) = self.open.take() else { return };
        let Some((x0, x1, y)) = open.ink else { return };
        let mut text = open.text;
        let end = text.trim_end().len();
        text.truncate(end);
        let start = text.len() - text.trim_start().len();
        text.drain(..start);
        if text.is_empty() {
            return;
        }
        self.spans.push(TextSpan {
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
        });
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
        gap <= MAX_GAP_EM * size && gap >= -MAX_BACKSTEP_EM * size
    }
}

impl Device for PageCollector {
    fn glyph(&mut self, g: &GlyphDraw<'_>) {
        let coords = [g.start.0, g.start.1, g.end.0, g.end.1, g.size];
        if !coords.iter().all(|v| v.is_finite()) {
            return;
        }
        if !self
            .open
            .as_ref()
            .is_some_and(|open| Self::continues(open, g))
        {
            self.finish();
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

    fn shape(&mut self, s: Shape) {
        let finite = [s.x0, s.y0, s.x1, s.y1].iter().all(|v| v.is_finite());
        // Drop what lies wholly outside the page (with a point of slack).
        let visible =
            s.x1 >= -1.0 && s.y1 >= -1.0 && s.x0 <= self.width + 1.0 && s.y0 <= self.height + 1.0;
        if finite && visible {
            self.shapes.push(s);
        }
    }
}
