//! Single-byte base encodings (PDF 32000-1 Annex D), glyph names, and the
//! clean-up applied to every decoded glyph's text.

use std::sync::OnceLock;

use read_fonts::ps::PredefinedEncoding;

/// A predefined single-byte encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BaseEncoding {
    Standard,
    WinAnsi,
    MacRoman,
    PdfDoc,
    /// The built-in encoding of the standard `Symbol` font.
    Symbol,
    /// The built-in encoding of the standard `ZapfDingbats` font.
    ZapfDingbats,
    /// Microsoft's Wingdings, for symbol fonts that come without a ToUnicode map.
    Wingdings,
}

impl BaseEncoding {
    /// The encoding named by an `/Encoding` or `/BaseEncoding` entry.
    pub fn from_name(name: &[u8]) -> Option<BaseEncoding> {
        match name {
            b"WinAnsiEncoding" => Some(BaseEncoding::WinAnsi),
            b"MacRomanEncoding" => Some(BaseEncoding::MacRoman),
            b"StandardEncoding" => Some(BaseEncoding::Standard),
            b"PDFDocEncoding" => Some(BaseEncoding::PdfDoc),
            // MacExpert holds small caps and old-style figures; Standard is the closest text.
            b"MacExpertEncoding" => Some(BaseEncoding::Standard),
            _ => None,
        }
    }

    /// The glyph name of `code` in the Latin text encodings.
    pub fn glyph_name(self, code: u8) -> Option<&'static str> {
        match self {
            BaseEncoding::Standard => pdfboss_encoding::standard_encoding_name(code),
            BaseEncoding::WinAnsi => pdfboss_encoding::win_ansi_glyph_name(code),
            BaseEncoding::MacRoman => pdfboss_encoding::mac_roman_glyph_name(code),
            _ => None,
        }
    }

    /// The character of `code`, `None` where the encoding leaves it undefined.
    pub fn char(self, code: u8) -> Option<char> {
        let table = match self {
            BaseEncoding::Standard => standard_table(),
            BaseEncoding::WinAnsi => win_ansi_table(),
            BaseEncoding::MacRoman => mac_roman_table(),
            BaseEncoding::PdfDoc => return pdf_doc_char(code),
            BaseEncoding::Symbol => return symbol_char(code),
            BaseEncoding::ZapfDingbats => return dingbats_char(code),
            BaseEncoding::Wingdings => return wingdings_char(code),
        };
        table.get(usize::from(code)).copied().flatten()
    }
}

type Table = [Option<char>; 256];

fn decode_single_bytes(enc: &'static encoding_rs::Encoding) -> Table {
    let mut table = [None; 256];
    for (code, slot) in table.iter_mut().enumerate() {
        let byte = [code as u8];
        let (text, had_errors) = enc.decode_without_bom_handling(&byte);
        if !had_errors {
            *slot = text.chars().next().filter(|c| !c.is_control());
        }
    }
    table
}

fn win_ansi_table() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    T.get_or_init(|| {
        let mut t = decode_single_bytes(encoding_rs::WINDOWS_1252);
        // Annex D: 0x7F and the holes of cp1252 print a bullet in WinAnsi.
        for code in [0x7F, 0x81, 0x8D, 0x8F, 0x90, 0x9D] {
            t[code] = Some('\u{2022}');
        }
        t
    })
}

fn mac_roman_table() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    T.get_or_init(|| decode_single_bytes(encoding_rs::MACINTOSH))
}

fn standard_table() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    T.get_or_init(|| {
        let mut t = [None; 256];
        for (code, slot) in t.iter_mut().enumerate() {
            let name = PredefinedEncoding::Standard.name(code as u8);
            if !name.is_empty() && name != ".notdef" {
                *slot = read_fonts::ps::agl::name_to_char(name);
            }
        }
        t
    })
}

/// PDFDocEncoding (Annex D.2): Latin-1 with typographic characters in 0x18–0x1F and 0x80–0xA0.
pub(crate) fn pdf_doc_char(code: u8) -> Option<char> {
    const HIGH: [u16; 33] = [
        0x2022, 0x2020, 0x2021, 0x2026, 0x2014, 0x2013, 0x0192, 0x2044, 0x2039, 0x203A, 0x2212, 0x2030, 0x201E, 0x201C, 0x201D, 0x2018, 0x2019, 0x201A, 0x2122,
        0xFB01, 0xFB02, 0x0141, 0x0152, 0x0160, 0x0178, 0x017D, 0x0131, 0x0142, 0x0153, 0x0161, 0x017E, 0, 0x20AC,
    ];
    const LOW: [u16; 8] = [0x02D8, 0x02C7, 0x02C6, 0x02D9, 0x02DD, 0x02DB, 0x02DA, 0x02DC];
    let unit = match code {
        b'\t' | b'\n' | b'\r' => u16::from(code),
        0x18..=0x1F => LOW.get(usize::from(code - 0x18)).copied().unwrap_or(0),
        0x00..=0x1F | 0x7F | 0xAD => 0,
        0x80..=0xA0 => HIGH.get(usize::from(code - 0x80)).copied().unwrap_or(0),
        _ => u16::from(code),
    };
    (unit != 0).then(|| char::from_u32(u32::from(unit))).flatten()
}

/// The standard Symbol font's encoding, for 0x20–0xFE.
pub(crate) fn symbol_char(code: u8) -> Option<char> {
    // 0x20..=0x7E
    const ASCII: [u16; 95] = [
        0x0020, 0x0021, 0x2200, 0x0023, 0x2203, 0x0025, 0x0026, 0x220B, 0x0028, 0x0029, 0x2217, 0x002B, 0x002C, 0x2212, 0x002E, 0x002F, 0x0030, 0x0031, 0x0032,
        0x0033, 0x0034, 0x0035, 0x0036, 0x0037, 0x0038, 0x0039, 0x003A, 0x003B, 0x003C, 0x003D, 0x003E, 0x003F, 0x2245, 0x0391, 0x0392, 0x03A7, 0x0394, 0x0395,
        0x03A6, 0x0393, 0x0397, 0x0399, 0x03D1, 0x039A, 0x039B, 0x039C, 0x039D, 0x039F, 0x03A0, 0x0398, 0x03A1, 0x03A3, 0x03A4, 0x03A5, 0x03C2, 0x03A9, 0x039E,
        0x03A8, 0x0396, 0x005B, 0x2234, 0x005D, 0x22A5, 0x005F, 0x203E, 0x03B1, 0x03B2, 0x03C7, 0x03B4, 0x03B5, 0x03C6, 0x03B3, 0x03B7, 0x03B9, 0x03D5, 0x03BA,
        0x03BB, 0x03BC, 0x03BD, 0x03BF, 0x03C0, 0x03B8, 0x03C1, 0x03C3, 0x03C4, 0x03C5, 0x03D6, 0x03C9, 0x03BE, 0x03C8, 0x03B6, 0x007B, 0x007C, 0x007D, 0x223C,
    ];
    // 0xA0..=0xFE
    const HIGH: [u16; 95] = [
        0x20AC, 0x03D2, 0x2032, 0x2264, 0x2044, 0x221E, 0x0192, 0x2663, 0x2666, 0x2665, 0x2660, 0x2194, 0x2190, 0x2191, 0x2192, 0x2193, 0x00B0, 0x00B1, 0x2033,
        0x2265, 0x00D7, 0x221D, 0x2202, 0x2022, 0x00F7, 0x2260, 0x2261, 0x2248, 0x2026, 0x23D0, 0x23AF, 0x21B5, 0x2135, 0x2111, 0x211C, 0x2118, 0x2297, 0x2295,
        0x2205, 0x2229, 0x222A, 0x2283, 0x2287, 0x2284, 0x2282, 0x2286, 0x2208, 0x2209, 0x2220, 0x2207, 0x00AE, 0x00A9, 0x2122, 0x220F, 0x221A, 0x22C5, 0x00AC,
        0x2227, 0x2228, 0x21D4, 0x21D0, 0x21D1, 0x21D2, 0x21D3, 0x25CA, 0x2329, 0x00AE, 0x00A9, 0x2122, 0x2211, 0x239B, 0x239C, 0x239D, 0x23A1, 0x23A2, 0x23A3,
        0x23A7, 0x23A8, 0x23A9, 0x23AA, 0, 0x232A, 0x222B, 0x2320, 0x23AE, 0x2321, 0x239E, 0x239F, 0x23A0, 0x23A4, 0x23A5, 0x23A6, 0x23AB, 0x23AC, 0x23AD,
    ];
    let unit = match code {
        0x20..=0x7E => ASCII.get(usize::from(code - 0x20)).copied(),
        0xA0..=0xFE => HIGH.get(usize::from(code - 0xA0)).copied(),
        _ => None,
    }?;
    (unit != 0).then(|| char::from_u32(u32::from(unit))).flatten()
}

/// The list-marker subset of the ZapfDingbats encoding; other codes are undefined here.
fn dingbats_char(code: u8) -> Option<char> {
    let c = match code {
        0x20 => ' ',
        0x33 => '\u{2713}',
        0x34 => '\u{2714}',
        0x6C => '\u{2022}', // a71, a black circle used as a bullet
        0x6D => '\u{274D}',
        0x6E => '\u{25A0}',
        0x6F => '\u{274F}',
        0x70 => '\u{2750}',
        0x71 => '\u{2751}',
        0x72 => '\u{2752}',
        0x73 => '\u{25B2}',
        0x74 => '\u{25BC}',
        0x75 => '\u{25C6}',
        0x76 => '\u{2756}',
        0xA8 => '\u{2663}',
        0xD5 => '\u{2192}',
        _ => return None,
    };
    Some(c)
}

/// The list-marker subset of Microsoft's Wingdings, used for its `U+F0xx` code points.
fn wingdings_char(code: u8) -> Option<char> {
    let c = match code {
        0x20 => ' ',
        0x6C | 0x9F => '\u{2022}',
        0x6E => '\u{25A0}',
        0x6F => '\u{25A1}',
        0x71 => '\u{2751}',
        0x76 => '\u{2756}',
        0x77 => '\u{29EB}',
        0xA1 => '\u{25CB}',
        0xA7 => '\u{25AA}',
        0xA8 => '\u{25FB}',
        0xD8 => '\u{27A2}',
        0xE8 => '\u{2794}',
        0xFC => '\u{2713}',
        0xFD => '\u{2612}',
        0xFE => '\u{2611}',
        _ => return None,
    };
    Some(c)
}

/// The text of `code` in TeX's T1 (Cork) font encoding, which pdfTeX's
/// bitmap (Type 3) fonts use with glyph names `a0`…`a255` that say only the
/// code. No maintained crate carries TeX's font encodings, so the table is
/// written out here (from `cork.enc`/`t1enc.def`).
pub(crate) fn tex_t1_text(code: u8) -> Option<&'static str> {
    #[rustfmt::skip]
    const LOW: [&str; 32] = [
        "`", "\u{B4}", "\u{2C6}", "\u{2DC}", "\u{A8}", "\u{2DD}", "\u{2DA}", "\u{2C7}",
        "\u{2D8}", "\u{AF}", "\u{2D9}", "\u{B8}", "\u{2DB}", "\u{201A}", "\u{2039}", "\u{203A}",
        "\u{201C}", "\u{201D}", "\u{201E}", "\u{AB}", "\u{BB}", "\u{2013}", "\u{2014}", "",
        "0", "\u{131}", "\u{237}", "ff", "fi", "fl", "ffi", "ffl",
    ];
    #[rustfmt::skip]
    const HIGH: [&str; 64] = [
        "Ă", "Ą", "Ć", "Č", "Ď", "Ě", "Ę", "Ğ", "Ĺ", "Ľ", "Ł", "Ń", "Ň", "Ŋ", "Ő", "Ŕ",
        "Ř", "Ś", "Š", "Ş", "Ť", "Ţ", "Ű", "Ů", "Ÿ", "Ź", "Ž", "Ż", "Ĳ", "İ", "đ", "§",
        "ă", "ą", "ć", "č", "ď", "ě", "ę", "ğ", "ĺ", "ľ", "ł", "ń", "ň", "ŋ", "ő", "ŕ",
        "ř", "ś", "š", "ş", "ť", "ţ", "ű", "ů", "ÿ", "ź", "ž", "ż", "ĳ", "¡", "¿", "£",
    ];
    let text = match code {
        0x00..=0x1F => LOW.get(usize::from(code)).copied()?,
        0x20 => " ",
        0x27 => "\u{2019}",
        0x60 => "\u{2018}",
        0x7F => "-",
        0x80..=0xBF => HIGH.get(usize::from(code - 0x80)).copied()?,
        0xD7 => "Œ",
        0xDF => "SS",
        0xF7 => "œ",
        0xFF => "ß",
        // ASCII and Latin-1 elsewhere.
        _ => return latin1_str(char::from(code)),
    };
    Some(text)
}

/// A static string holding one Latin-1 character.
fn latin1_str(c: char) -> Option<&'static str> {
    static T: OnceLock<Vec<String>> = OnceLock::new();
    let table = T.get_or_init(|| (0u32..256).map(|u| char::from_u32(u).map(String::from).unwrap_or_default()).collect());
    table.get(usize::try_from(u32::from(c)).ok()?).map(String::as_str).filter(|s| !s.is_empty())
}

/// Glyph names of codes 0–127 in TeX's OT1 text encoding, the built-in
/// encoding of Computer Modern's text fonts (`cmr10`, `cmbx12`, `cmss10`…),
/// for such a font referenced without its program and without any other
/// encoding. `typewriter` is `cmtt`'s variant (ASCII where OT1 has
/// ligatures and quotes). No maintained crate carries TeX's font encodings.
pub(crate) fn tex_ot1_names(typewriter: bool) -> Vec<Option<String>> {
    #[rustfmt::skip]
    const LOW: [&str; 32] = [
        "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon",
        "Phi", "Psi", "Omega", "ff", "fi", "fl", "ffi", "ffl",
        "dotlessi", "dotlessj", "grave", "acute", "caron", "breve", "macron", "ring",
        "cedilla", "germandbls", "ae", "oe", "oslash", "AE", "OE", "Oslash",
    ];
    const TT_LOW: [&str; 5] = ["arrowup", "arrowdown", "quotesingle", "exclamdown", "questiondown"];
    (0u8..=255)
        .map(|code| {
            let name = match code {
                0x0B..=0x0F if typewriter => TT_LOW.get(usize::from(code - 0x0B)).copied(),
                0x00..=0x1F => LOW.get(usize::from(code)).copied(),
                0x20 if typewriter => Some("visiblespace"),
                0x20 => Some("suppress"),
                0x27 => Some("quoteright"),
                0x60 => Some("quoteleft"),
                0x7F => Some("dieresis"),
                0x21..=0x7E if typewriter => standard_ascii_name(code),
                0x22 => Some("quotedblright"),
                0x3C => Some("exclamdown"),
                0x3E => Some("questiondown"),
                0x5C => Some("quotedblleft"),
                0x5E => Some("circumflex"),
                0x5F => Some("dotaccent"),
                0x7B => Some("endash"),
                0x7C => Some("emdash"),
                0x7D => Some("hungarumlaut"),
                0x7E => Some("tilde"),
                0x21..=0x7E => standard_ascii_name(code),
                _ => None,
            };
            name.map(str::to_owned)
        })
        .collect()
}

/// Glyph names of codes 0–31 of TeX's OMS math symbol encoding (`cmsy10`:
/// the list bullet, ≪ ≫ that stand in for guillemets in OT1, relations).
pub(crate) fn tex_oms_names() -> Vec<Option<String>> {
    #[rustfmt::skip]
    const LOW: [&str; 32] = [
        "minus", "periodcentered", "multiply", "asteriskmath", "divide", "diamondmath",
        "plusminus", "minusplus", "circleplus", "circleminus", "circlemultiply",
        "circledivide", "circledot", "circlecopyrt", "openbullet", "bullet",
        "equivasymptotic", "equivalence", "reflexsubset", "reflexsuperset", "lessequal",
        "greaterequal", "precedesequal", "followsequal", "similar", "approxequal",
        "propersubset", "propersuperset", "lessmuch", "greatermuch", "precedes", "follows",
    ];
    (0u8..=255).map(|code| LOW.get(usize::from(code)).map(|n| (*n).to_owned())).collect()
}

/// The ASCII glyph name of a printable code, as in WinAnsiEncoding.
fn standard_ascii_name(code: u8) -> Option<&'static str> {
    pdfboss_encoding::win_ansi_glyph_name(code)
}

/// Glyph names of TeX's text fonts (OT1, T1 `.enc` files) that the Adobe
/// Glyph List lacks or maps to a private-use code point. `suppress` is the
/// bar OT1 draws over `l`/`L`, composed to `ł`/`Ł` like an accent.
fn tex_glyph_text(name: &str) -> Option<&'static str> {
    let text = match name {
        "dotlessj" => "\u{237}",
        "compwordmark" | "cwm" => "",
        "perthousandzero" => "0",
        "Germandbls" => "SS",
        "visiblespace" | "visualspace" => "\u{2423}",
        "suppress" => "\u{337}",
        "sfthyphen" => "-",
        _ => return None,
    };
    Some(text)
}

/// Which symbol table a font's private-use code points (`U+F0xx`) refer to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavor {
    Text,
    Dingbats,
    Wingdings,
}

impl Flavor {
    pub fn from_font_name(name: &str) -> Flavor {
        let lower = name.to_ascii_lowercase();
        if lower.contains("wingding") || lower.contains("webding") {
            Flavor::Wingdings
        } else if lower.contains("dingbat") {
            Flavor::Dingbats
        } else {
            Flavor::Text
        }
    }
}

/// Appends the text of one decoded character, cleaned for extraction:
/// ligatures become letters, Symbol-font private-use code points (`U+F0xx`,
/// as Word's Symbol bullets `U+F0B7`) their Symbol character, dingbat discs
/// `•`, no-break space a space; control characters are dropped.
///
/// Returns whether anything was appended.
pub(crate) fn push_clean(c: char, flavor: Flavor, out: &mut String) -> bool {
    let mapped = match c {
        '\u{FB00}' => return push_str(out, "ff"),
        '\u{FB01}' => return push_str(out, "fi"),
        '\u{FB02}' => return push_str(out, "fl"),
        '\u{FB03}' => return push_str(out, "ffi"),
        '\u{FB04}' => return push_str(out, "ffl"),
        '\u{FB05}' | '\u{FB06}' => return push_str(out, "st"),
        '\u{F000}'..='\u{F0FF}' => {
            let code = (u32::from(c) - 0xF000) as u8;
            let sym = match flavor {
                Flavor::Wingdings => wingdings_char(code),
                Flavor::Dingbats => dingbats_char(code),
                Flavor::Text => symbol_char(code),
            };
            sym.unwrap_or(c)
        }
        '\u{25CF}' if flavor != Flavor::Text => '\u{2022}',
        // Tabs, carriage returns and line feeds inside a string separate words.
        '\u{A0}' | '\t' | '\r' | '\n' => ' ',
        c if c.is_control() => return false,
        c => c,
    };
    out.push(mapped);
    true
}

fn push_str(out: &mut String, s: &str) -> bool {
    out.push_str(s);
    true
}

/// One element of an `/Encoding` `/Differences` array.
#[derive(Debug, Clone, Copy)]
pub(crate) enum DiffItem<'a> {
    /// The code of the next name.
    Code(i64),
    Name(&'a [u8]),
}

/// The glyph names `/Differences` gives one-byte codes (PDF 32000-1 §9.6.6.1).
#[derive(Debug, Clone)]
pub(crate) struct Differences<'a>([Option<&'a [u8]>; 256]);

impl Default for Differences<'_> {
    fn default() -> Self {
        Differences([None; 256])
    }
}

impl<'a> Differences<'a> {
    /// A number sets the code of the next name; each name takes one code.
    /// Codes outside 0–255 are ignored.
    pub fn from_items(items: impl IntoIterator<Item = DiffItem<'a>>) -> Self {
        let mut names = Differences::default();
        let mut code: usize = 0;
        for item in items {
            match item {
                DiffItem::Code(i) => code = usize::try_from(i).unwrap_or(usize::MAX),
                DiffItem::Name(n) => {
                    if let Some(slot) = names.0.get_mut(code) {
                        *slot = Some(n);
                    }
                    code = code.saturating_add(1);
                }
            }
        }
        names
    }

    pub fn name(&self, code: u8) -> Option<&'a [u8]> {
        self.0.get(usize::from(code)).copied().flatten()
    }
}

/// Longest glyph name read (PDF 32000-1 Annex C: names are at most 127
/// bytes); a longer one could expand to any amount of text per glyph.
const MAX_GLYPH_NAME: usize = 127;

/// The text a glyph name stands for (Adobe Glyph List, `uniXXXX`, `uXXXX[XX]`,
/// `a_b` ligature names), `None` for names without meaning (`g12`, `.notdef`).
pub(crate) fn glyph_name_text(name: &[u8]) -> Option<String> {
    if name.len() > MAX_GLYPH_NAME {
        return None;
    }
    let name = std::str::from_utf8(name).ok()?;
    if name.is_empty() || name == ".notdef" {
        return None;
    }
    if let Some(text) = tex_glyph_text(name) {
        return Some(text.to_owned());
    }
    let text: String = read_fonts::ps::agl::name_to_chars(name).collect();
    if !text.is_empty() {
        return Some(text);
    }
    // TeX math and extension fonts' names the Adobe Glyph List lacks.
    pdfboss_encoding::glyph_to_text(name).filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_encodings() {
        assert_eq!(BaseEncoding::WinAnsi.char(0xE6), Some('æ'));
        assert_eq!(BaseEncoding::WinAnsi.char(0x96), Some('–'));
        assert_eq!(BaseEncoding::WinAnsi.char(0x80), Some('€'));
        assert_eq!(BaseEncoding::MacRoman.char(0xBF), Some('ø'));
        assert_eq!(BaseEncoding::Standard.char(0xB7), Some('•'));
        assert_eq!(BaseEncoding::Standard.char(0x27), Some('’'));
        assert_eq!(BaseEncoding::PdfDoc.char(0x85), Some('–'));
        assert_eq!(BaseEncoding::Symbol.char(0xB7), Some('•'));
        assert_eq!(BaseEncoding::Symbol.char(0x61), Some('α'));
    }

    #[test]
    fn cleanup() {
        let mut s = String::new();
        push_clean('\u{F0B7}', Flavor::Text, &mut s);
        push_clean('\u{FB01}', Flavor::Text, &mut s);
        assert!(!push_clean('\u{3}', Flavor::Text, &mut s));
        push_clean('\u{25CF}', Flavor::Dingbats, &mut s);
        assert_eq!(s, "•fi•");
    }

    #[test]
    fn glyph_names() {
        assert_eq!(glyph_name_text(b"oslash").as_deref(), Some("ø"));
        assert_eq!(glyph_name_text(b"uni00E5").as_deref(), Some("å"));
        assert_eq!(glyph_name_text(b"u1F600").as_deref(), Some("😀"));
        assert_eq!(glyph_name_text(b"f_i").as_deref(), Some("fi"));
        assert_eq!(glyph_name_text(b"g17"), None);
        assert_eq!(glyph_name_text(b"dotlessj").as_deref(), Some("\u{237}"));
        assert_eq!(glyph_name_text(b"compwordmark").as_deref(), Some(""));
        assert_eq!(glyph_name_text(b"ffi").as_deref(), Some("\u{FB03}"));
    }

    #[test]
    fn tex_encodings() {
        assert_eq!(tex_t1_text(0xE5), Some("å"));
        assert_eq!(tex_t1_text(0x1C), Some("fi"));
        assert_eq!(tex_t1_text(0x06), Some("\u{2DA}"));
        assert_eq!(tex_t1_text(0x41), Some("A"));
        let ot1 = tex_ot1_names(false);
        assert_eq!(ot1[0x1C].as_deref(), Some("oslash"));
        assert_eq!(ot1[0x7B].as_deref(), Some("endash"));
        assert_eq!(ot1[0x61].as_deref(), Some("a"));
        assert_eq!(tex_ot1_names(true)[0x7B].as_deref(), Some("braceleft"));
    }
}
