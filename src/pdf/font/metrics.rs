//! Approximate advance widths of the standard 14 fonts, for fonts that come
//! without a `/Widths` array.
//!
//! Exact AFM widths for printable ASCII; other characters take the width of
//! their base letter (`å` as `a`) or a typical width. Spans only need advances
//! good enough to find word gaps, not exact ink boxes.

use unicode_normalization::char::decompose_canonical;

/// A metric family of the standard 14 fonts (and of common look-alikes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StdFont {
    Helvetica,
    HelveticaBold,
    Times,
    TimesBold,
    TimesItalic,
    Courier,
    Symbol,
    ZapfDingbats,
}

#[rustfmt::skip]
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];

#[rustfmt::skip]
const HELVETICA_BOLD: [u16; 95] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
];

#[rustfmt::skip]
const TIMES: [u16; 95] = [
    250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278,
    500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444,
    921, 722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889, 722, 722,
    556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611, 333, 278, 333, 469, 500,
    333, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500,
    500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541,
];

#[rustfmt::skip]
const TIMES_BOLD: [u16; 95] = [
    250, 333, 555, 500, 500, 1000, 833, 278, 333, 333, 500, 570, 250, 333, 250, 278,
    500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 333, 333, 570, 570, 570, 500,
    930, 722, 667, 722, 722, 667, 611, 778, 778, 389, 500, 778, 667, 944, 722, 778,
    611, 778, 722, 556, 667, 722, 722, 1000, 722, 722, 667, 333, 278, 333, 581, 500,
    333, 500, 556, 444, 556, 444, 333, 500, 556, 278, 333, 556, 278, 833, 556, 500,
    556, 556, 444, 389, 333, 556, 500, 722, 500, 500, 444, 394, 220, 394, 520,
];

#[rustfmt::skip]
const TIMES_ITALIC: [u16; 95] = [
    250, 333, 420, 500, 500, 833, 778, 214, 333, 333, 500, 675, 250, 333, 250, 278,
    500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 333, 333, 675, 675, 675, 500,
    920, 611, 611, 667, 722, 611, 611, 722, 722, 333, 444, 667, 556, 833, 667, 722,
    611, 722, 611, 500, 556, 722, 611, 833, 611, 556, 556, 389, 278, 389, 422, 500,
    333, 500, 500, 444, 500, 444, 278, 500, 500, 278, 278, 444, 278, 722, 500, 500,
    500, 500, 389, 389, 278, 500, 444, 667, 444, 444, 389, 400, 275, 400, 541,
];

impl StdFont {
    /// The metric family for a BaseFont name (subset prefix already removed),
    /// covering the standard 14 names and their usual aliases (Arial, Times New Roman, Courier New).
    pub fn from_name(name: &str) -> Option<StdFont> {
        let lower = name.to_ascii_lowercase();
        let bold = lower.contains("bold") || lower.contains("black") || lower.contains("heavy");
        let italic = lower.contains("italic") || lower.contains("oblique");
        let family = lower.split(['-', ',']).next().unwrap_or("").replace(' ', "");
        let font = match family.as_str() {
            "helvetica" | "arial" | "arialmt" | "liberationsans" => {
                if bold {
                    StdFont::HelveticaBold
                } else {
                    StdFont::Helvetica
                }
            }
            "times" | "timesroman" | "timesnewroman" | "timesnewromanps" | "timesnewromanpsmt" | "liberationserif" => match (bold, italic) {
                (true, _) => StdFont::TimesBold,
                (false, true) => StdFont::TimesItalic,
                (false, false) => StdFont::Times,
            },
            "courier" | "couriernew" | "couriernewpsmt" | "liberationmono" => StdFont::Courier,
            "symbol" | "symbolmt" => StdFont::Symbol,
            "zapfdingbats" | "dingbats" => StdFont::ZapfDingbats,
            _ => return None,
        };
        Some(font)
    }

    /// A guess for an unknown font without widths, from descriptor flags
    /// (fixed pitch: bit 1, serif: bit 2) and the name.
    pub fn fallback(name: &str, flags: u32, bold: bool, italic: bool) -> StdFont {
        if let Some(f) = StdFont::from_name(name) {
            return f;
        }
        if flags & 1 != 0 {
            StdFont::Courier
        } else if flags & 2 != 0 {
            match (bold, italic) {
                (true, _) => StdFont::TimesBold,
                (false, true) => StdFont::TimesItalic,
                (false, false) => StdFont::Times,
            }
        } else if bold {
            StdFont::HelveticaBold
        } else {
            StdFont::Helvetica
        }
    }

    /// Advance width of `c` in 1/1000 em.
    pub fn width(self, c: char) -> f32 {
        let table = match self {
            StdFont::Helvetica => &HELVETICA,
            StdFont::HelveticaBold => &HELVETICA_BOLD,
            StdFont::Times => &TIMES,
            StdFont::TimesBold => &TIMES_BOLD,
            StdFont::TimesItalic => &TIMES_ITALIC,
            StdFont::Courier => return 600.0,
            StdFont::Symbol => return if c == ' ' { 250.0 } else { 500.0 },
            StdFont::ZapfDingbats => return if c == ' ' { 278.0 } else { 788.0 },
        };
        let ascii = |c: char| -> Option<f32> {
            let i = (c as usize).checked_sub(0x20)?;
            table.get(i).map(|&w| f32::from(w))
        };
        if let Some(w) = ascii(c) {
            return w;
        }
        let mut base = None;
        decompose_canonical(c, |d| {
            if base.is_none() {
                base = Some(d);
            }
        });
        if let Some(w) = base.filter(|&b| b != c).and_then(ascii) {
            return w;
        }
        let em = ascii('M').unwrap_or(833.0);
        let n = ascii('n').unwrap_or(556.0);
        match c {
            '\u{2014}' | '\u{2026}' | '\u{2030}' => 1000.0,
            '\u{2013}' | '\u{2022}' => n,
            '\u{2018}' | '\u{2019}' | '\u{201A}' => ascii(',').unwrap_or(278.0),
            'æ' | 'œ' | 'Æ' | 'Œ' => em,
            '\u{A0}' => ascii(' ').unwrap_or(278.0),
            _ => n,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::StdFont;

    #[test]
    fn widths() {
        assert_eq!(StdFont::Helvetica.width('a'), 556.0);
        assert_eq!(StdFont::Helvetica.width('å'), 556.0);
        assert_eq!(StdFont::Times.width('i'), 278.0);
        assert_eq!(StdFont::from_name("Arial,Bold"), Some(StdFont::HelveticaBold));
        assert_eq!(StdFont::from_name("Times-Italic"), Some(StdFont::TimesItalic));
        assert_eq!(StdFont::Courier.width('W'), 600.0);
    }
}
