//! Fonts as the text extractor needs them: how a string splits into codes,
//! each code's advance width, and each code's Unicode text.
//!
//! Text comes from, in order: the `/ToUnicode` CMap; for simple fonts the
//! `/Encoding` `/Differences` glyph names, then the embedded Type 1 or CFF
//! program's built-in encoding (when the PDF names no base encoding and
//! gives no ToUnicode), then the base encoding; for composite fonts a
//! `Uni…-UCS2` CMap or the embedded TrueType's `cmap`.

pub(crate) mod cmap;
pub(crate) mod encoding;
pub(crate) mod metrics;

use std::collections::HashMap;
use std::rc::Rc;

use lopdf::{Dictionary, Document, Object};

use self::cmap::{CMap, CMapCache};
use self::encoding::{push_clean, BaseEncoding, DiffItem, Differences, Flavor};
use self::metrics::StdFont;
use super::objects::{as_stream, get, get_array, get_dict, get_int, get_name, get_number, numbers, resolve};
use super::streams::StreamReader;

/// Whether a code's text was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TextStatus {
    /// Visible text was appended.
    Mapped,
    /// The code maps to nothing or only to control characters.
    Empty,
    /// No mapping at all.
    Unmapped,
}

/// A decoded font resource.
#[derive(Debug)]
pub(crate) struct Font {
    /// BaseFont without the subset prefix.
    pub name: String,
    pub bold: bool,
    pub italic: bool,
    /// Multiplier from the `Tf` size to the em size: 1 except for Type3 fonts
    /// whose `/FontMatrix` is not the usual 1/1000.
    pub size_scale: f32,
    /// Writing mode 1 (`Identity-V` and other `-V` CMaps).
    pub vertical: bool,
    /// Mappings its CMaps dropped over [`cmap::MAX_MAPPINGS`].
    pub cmap_dropped: usize,
    /// Names the encoding its codes were read in when that is a guess
    /// (TeX's T1 for pdfTeX's bitmap fonts).
    pub guessed_encoding: Option<&'static str>,
    flavor: Flavor,
    /// Glyph-space width units to text space: 0.001, or a Type3 font's `FontMatrix[0]`.
    width_scale: f32,
    kind: Kind,
}

#[derive(Debug)]
enum Kind {
    Simple(Box<SimpleFont>),
    Composite(Box<CompositeFont>),
}

/// One-byte codes: everything precomputed per code.
#[derive(Debug)]
struct SimpleFont {
    /// Cleaned text per code: `None` unmapped, `Some("")` maps to nothing.
    text: Vec<Option<Box<str>>>,
    /// Width per code in glyph units.
    widths: Vec<f32>,
}

#[derive(Debug)]
struct CompositeFont {
    /// Code-space ranges and CIDs from an embedded CMap; `None` for the
    /// predefined CMaps, read as two-byte codes with CID = code.
    encoding: Option<Rc<CMap>>,
    /// The encoding is a `Uni…-UCS2`/`UTF16` CMap: codes are UTF-16 units.
    ucs2: bool,
    to_unicode: Option<Rc<CMap>>,
    /// `(first CID, last CID, width)` sorted by first CID.
    widths: Vec<(u32, u32, f32)>,
    default_width: f32,
    /// Embedded TrueType glyph → character, for fonts without ToUnicode.
    gid_text: Option<HashMap<u16, char>>,
    /// `/CIDToGIDMap` stream as big-endian pairs; `None` is Identity.
    cid_to_gid: Option<Vec<u8>>,
}

/// Strips a subset tag: six capitals and `+`.
pub(crate) fn strip_subset(name: &str) -> &str {
    match name.split_once('+') {
        Some((tag, rest)) if tag.len() == 6 && tag.bytes().all(|b| b.is_ascii_uppercase()) => rest,
        _ => name,
    }
}

fn name_is_bold(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    ["bold", "black", "heavy", "semibold", "demibold"].iter().any(|w| lower.contains(w))
}

fn name_is_italic(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    if lower.contains("italic") || lower.contains("oblique") || lower.contains("kursiv") {
        return true;
    }
    // Style suffixes such as `MinionPro-It`, `-BoldIt`.
    name.rsplit(['-', ',']).next().is_some_and(|style| style != name && (style.ends_with("It") || style.ends_with("Ita")))
}

impl Font {
    /// Reads a font dictionary. Never fails: missing pieces fall back to
    /// defaults (1000-unit widths, unmapped text) so extraction continues.
    pub fn load(doc: &Document, dict: &Dictionary, streams: &mut StreamReader, cmaps: &mut CMapCache) -> Font {
        let subtype = get_name(doc, dict, b"Subtype").unwrap_or(b"");
        let descendant = (subtype == b"Type0")
            .then(|| get_array(doc, dict, b"DescendantFonts"))
            .flatten()
            .and_then(|a| a.first())
            .and_then(|o| resolve(doc, o))
            .and_then(super::objects::as_dict);
        // A Type0 BaseFont may carry the CMap name (`Carlito-Identity-H`); the
        // descendant's is the font's own.
        let raw_name = descendant
            .and_then(|d| get_name(doc, d, b"BaseFont"))
            .or_else(|| get_name(doc, dict, b"BaseFont"))
            .or_else(|| get_name(doc, dict, b"Name"))
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .unwrap_or_else(|| String::from_utf8_lossy(subtype).into_owned());
        let name = strip_subset(&raw_name).to_owned();
        let descriptor = get_dict(doc, descendant.unwrap_or(dict), b"FontDescriptor");
        let flags = descriptor.and_then(|d| get_int(doc, d, b"Flags")).unwrap_or(0) as u32;
        let italic_angle = descriptor.and_then(|d| get_number(doc, d, b"ItalicAngle")).unwrap_or(0.0);
        let weight = descriptor.and_then(|d| get_number(doc, d, b"FontWeight")).unwrap_or(0.0);
        let bold = name_is_bold(&name) || flags & (1 << 18) != 0 || weight >= 600.0;
        let italic = name_is_italic(&name) || flags & (1 << 6) != 0 || italic_angle.abs() > 0.5;
        let flavor = Flavor::from_font_name(&name);
        let to_unicode = dict.get(b"ToUnicode").ok().and_then(|o| cmaps.load(doc, o, streams));
        let cmap_dropped = to_unicode.as_ref().map_or(0, |c| c.dropped);
        let to_unicode = to_unicode.filter(|c| !c.is_empty_unicode());

        let mut font = Font {
            name,
            bold,
            italic,
            size_scale: 1.0,
            vertical: false,
            cmap_dropped,
            guessed_encoding: None,
            flavor,
            width_scale: 0.001,
            kind: Kind::Simple(Box::new(SimpleFont { text: Vec::new(), widths: Vec::new() })),
        };
        match descendant {
            Some(cid_font) => {
                let composite = font.load_composite(doc, dict, cid_font, to_unicode, streams, cmaps);
                font.kind = Kind::Composite(Box::new(composite));
            }
            None => {
                if subtype == b"Type3" {
                    let m = get_array(doc, dict, b"FontMatrix")
                        .and_then(|a| numbers(doc, a))
                        .filter(|m| m.len() == 6)
                        .unwrap_or_else(|| vec![0.001, 0.0, 0.0, 0.001, 0.0, 0.0]);
                    let (a, d) = (m.first().copied().unwrap_or(0.001), m.get(3).copied().unwrap_or(0.001));
                    font.width_scale = a;
                    // The em in text space: the glyphs' height (FontBBox) through the
                    // matrix, about 1 for 1000-unit glyphs under 0.001 and for pdfTeX's
                    // bitmap fonts (pixel glyphs under 1/pixels-per-em); else read as
                    // 1000-unit glyphs.
                    let bbox_em = get_array(doc, dict, b"FontBBox")
                        .and_then(|a| numbers(doc, a))
                        .and_then(|b| Some((b.get(3)? - b.get(1)?).abs() * d.abs()))
                        .filter(|h| h.is_finite() && *h > 1e-3);
                    font.size_scale = match bbox_em {
                        Some(h) if (0.5..=2.0).contains(&h) => 1.0,
                        Some(h) => h,
                        None if d != 0.0 => (d * 1000.0).abs(),
                        None => 1.0,
                    };
                }
                let (simple, guess) = font.load_simple(doc, dict, subtype, descriptor, flags, to_unicode.as_deref(), streams);
                font.kind = Kind::Simple(Box::new(simple));
                font.guessed_encoding = guess;
            }
        }
        font
    }

    #[allow(clippy::too_many_arguments)]
    fn load_simple(
        &self,
        doc: &Document,
        dict: &Dictionary,
        subtype: &[u8],
        descriptor: Option<&Dictionary>,
        flags: u32,
        to_unicode: Option<&CMap>,
        streams: &mut StreamReader,
    ) -> (SimpleFont, Option<&'static str>) {
        let std = StdFont::from_name(&self.name);
        let default_base = match (std, self.flavor) {
            (Some(StdFont::Symbol), _) => BaseEncoding::Symbol,
            (Some(StdFont::ZapfDingbats), _) | (_, Flavor::Dingbats) => BaseEncoding::ZapfDingbats,
            (_, Flavor::Wingdings) => BaseEncoding::Wingdings,
            _ if self.name.to_ascii_lowercase().starts_with("symbol") => BaseEncoding::Symbol,
            _ if subtype == b"TrueType" => BaseEncoding::WinAnsi,
            _ => BaseEncoding::Standard,
        };
        let mut base = default_base;
        let mut differences = Differences::default();
        // Whether the PDF names the base encoding; if not, a Type 1 font's
        // own program says it (PDF 32000-1 §9.6.6.1).
        let mut base_named = false;
        match get(doc, dict, b"Encoding") {
            Some(Object::Name(n)) => {
                base_named = BaseEncoding::from_name(n).is_some();
                base = BaseEncoding::from_name(n).unwrap_or(default_base);
            }
            Some(Object::Dictionary(enc)) => {
                if let Some(b) = get_name(doc, enc, b"BaseEncoding").and_then(BaseEncoding::from_name) {
                    base = b;
                    base_named = true;
                }
                let items = get_array(doc, enc, b"Differences").unwrap_or(&[]);
                differences = Differences::from_items(items.iter().filter_map(|item| match resolve(doc, item)? {
                    Object::Integer(i) => Some(DiffItem::Code(*i)),
                    Object::Name(n) => Some(DiffItem::Name(n)),
                    _ => None,
                }));
            }
            _ => {}
        }
        let builtin = (!base_named && to_unicode.is_none() && matches!(subtype, b"Type1" | b"MMType1"))
            .then(|| builtin_encoding(doc, descriptor, streams).or_else(|| tex_text_font(&self.name)))
            .flatten();
        let mut text = simple_text(to_unicode, &differences, builtin.as_deref(), base, self.flavor);
        let guess = (subtype == b"Type3" && to_unicode.is_none() && tex_bitmap_text(&differences, &mut text)).then_some("TeX's T1 (Cork)");

        let first_char = get_int(doc, dict, b"FirstChar").unwrap_or(0);
        let listed =
            get_array(doc, dict, b"Widths").map(|a| a.iter().map(|o| resolve(doc, o).and_then(super::objects::number).unwrap_or(0.0)).collect::<Vec<f32>>());
        let missing = descriptor.and_then(|d| get_number(doc, d, b"MissingWidth")).unwrap_or(0.0);
        let metrics = StdFont::fallback(&self.name, flags, self.bold, self.italic);
        let widths = (0..=255u8)
            .map(|code| match &listed {
                Some(w) => usize::try_from(i64::from(code) - first_char).ok().and_then(|i| w.get(i).copied()).unwrap_or(missing),
                None => {
                    // The standard 14 fonts' AFM widths, by glyph name.
                    let glyph = differences
                        .name(code)
                        .and_then(|n| std::str::from_utf8(n).ok())
                        .or_else(|| builtin_name(builtin.as_deref(), code))
                        .or_else(|| base.glyph_name(code));
                    if let Some(w) = glyph.and_then(|g| pdfboss_encoding::standard_14_width(&self.name, g)) {
                        return w;
                    }
                    let c = text.get(usize::from(code)).and_then(|t| t.as_deref()).and_then(|t| t.chars().next()).unwrap_or(' ');
                    metrics.width(c)
                }
            })
            .collect();
        (SimpleFont { text, widths }, guess)
    }

    fn load_composite(
        &mut self,
        doc: &Document,
        dict: &Dictionary,
        cid_font: &Dictionary,
        to_unicode: Option<Rc<CMap>>,
        streams: &mut StreamReader,
        cmaps: &mut CMapCache,
    ) -> CompositeFont {
        let mut encoding = None;
        let mut ucs2 = false;
        match get(doc, dict, b"Encoding") {
            Some(Object::Name(n)) => {
                self.vertical = n.ends_with(b"-V");
                ucs2 = n.starts_with(b"Uni") && (contains(n, b"UCS2") || contains(n, b"UTF16"));
            }
            Some(Object::Stream(s)) => {
                self.vertical = get_int(doc, &s.dict, b"WMode") == Some(1);
                let cmap = dict.get(b"Encoding").ok().and_then(|o| cmaps.load(doc, o, streams));
                if let Some(cmap) = cmap {
                    if let Some(parent) = &cmap.use_cmap {
                        self.vertical |= parent.ends_with(b"-V");
                    }
                    self.cmap_dropped += cmap.dropped;
                    encoding = Some(cmap);
                }
            }
            _ => {}
        }

        let default_width = get_number(doc, cid_font, b"DW").unwrap_or(1000.0);
        let mut widths = Vec::new();
        let w = get_array(doc, cid_font, b"W").unwrap_or(&[]);
        let mut i = 0;
        while i < w.len() {
            let first = w.get(i).and_then(|o| resolve(doc, o)).and_then(super::objects::number);
            let next = w.get(i + 1).and_then(|o| resolve(doc, o));
            match (first, next) {
                (Some(first), Some(Object::Array(list))) => {
                    let first = first.max(0.0) as u32;
                    for (k, item) in list.iter().enumerate() {
                        if let Some(width) = resolve(doc, item).and_then(super::objects::number) {
                            let cid = first.saturating_add(k as u32);
                            widths.push((cid, cid, width));
                        }
                    }
                    i += 2;
                }
                (Some(first), Some(last)) => {
                    let last = super::objects::number(last).unwrap_or(first);
                    if let Some(width) = w.get(i + 2).and_then(|o| resolve(doc, o)).and_then(super::objects::number) {
                        widths.push((first.max(0.0) as u32, last.max(0.0) as u32, width));
                    }
                    i += 3;
                }
                _ => break,
            }
        }
        widths.sort_by_key(|&(first, _, _)| first);

        let cid_to_gid = get(doc, cid_font, b"CIDToGIDMap").and_then(as_stream).and_then(|s| streams.decode(s).ok());
        let gid_text = if to_unicode.is_none() && !ucs2 {
            get_dict(doc, cid_font, b"FontDescriptor")
                .and_then(|d| get(doc, d, b"FontFile2"))
                .and_then(as_stream)
                .and_then(|s| streams.decode(s).ok())
                .and_then(|data| truetype_gid_text(&data))
        } else {
            None
        };
        CompositeFont { encoding, ucs2, to_unicode, widths, default_width, gid_text, cid_to_gid }
    }

    /// Splits the next character code off `bytes` (non-empty); returns the
    /// code and its byte length (at least 1).
    pub fn next_code(&self, bytes: &[u8]) -> (u32, usize) {
        match &self.kind {
            Kind::Simple(_) => (bytes.first().map_or(0, |&b| u32::from(b)), 1),
            Kind::Composite(c) => match &c.encoding {
                Some(cmap) => cmap.next_code(bytes, 2),
                None => match bytes {
                    [hi, lo, ..] => (u32::from(*hi) << 8 | u32::from(*lo), 2),
                    [b] => (u32::from(*b), 1),
                    [] => (0, 1),
                },
            },
        }
    }

    /// Horizontal advance of `code` in text space per unit of font size (the
    /// spec's `w0`); for vertical fonts, the vertical advance (1 em).
    pub fn advance(&self, code: u32) -> f32 {
        if self.vertical {
            return 1.0;
        }
        let units = match &self.kind {
            Kind::Simple(s) => s.widths.get(code as usize).copied().unwrap_or(0.0),
            Kind::Composite(c) => {
                let cid = c.cid(code);
                let idx = c.widths.partition_point(|&(first, _, _)| first <= cid);
                c.widths
                    .get(..idx)
                    .unwrap_or(&[])
                    .iter()
                    .rev()
                    .take(64)
                    .find(|&&(first, last, _)| first <= cid && cid <= last)
                    .map_or(c.default_width, |&(_, _, w)| w)
            }
        };
        units * self.width_scale
    }

    /// Appends the text of `code` to `out`.
    pub fn push_text(&self, code: u32, out: &mut String) -> TextStatus {
        match &self.kind {
            Kind::Simple(s) => match s.text.get(code as usize) {
                Some(Some(t)) if t.is_empty() => TextStatus::Empty,
                Some(Some(t)) => {
                    out.push_str(t);
                    TextStatus::Mapped
                }
                _ => TextStatus::Unmapped,
            },
            Kind::Composite(c) => {
                let mut pushed = false;
                if let Some(tu) = &c.to_unicode {
                    if tu.for_each_char(code, |ch| pushed |= push_clean(ch, self.flavor, out)) {
                        return if pushed { TextStatus::Mapped } else { TextStatus::Empty };
                    }
                }
                let fallback = if c.ucs2 { char::from_u32(code) } else { c.gid_text.as_ref().and_then(|m| m.get(&c.gid(c.cid(code)))).copied() };
                match fallback {
                    Some(ch) if push_clean(ch, self.flavor, out) => TextStatus::Mapped,
                    Some(_) => TextStatus::Empty,
                    None => TextStatus::Unmapped,
                }
            }
        }
    }

    /// Whether this code is the single-byte code 32 that word spacing (`Tw`) applies to.
    pub fn is_word_space(&self, code: u32, len: usize) -> bool {
        code == 32 && len == 1
    }
}

impl CompositeFont {
    fn cid(&self, code: u32) -> u32 {
        match &self.encoding {
            Some(cmap) if cmap.has_cids() => cmap.cid(code).unwrap_or(code),
            _ => code,
        }
    }

    fn gid(&self, cid: u32) -> u16 {
        match &self.cid_to_gid {
            Some(map) => {
                let i = cid as usize * 2;
                match (map.get(i), map.get(i + 1)) {
                    (Some(&hi), Some(&lo)) => u16::from_be_bytes([hi, lo]),
                    _ => 0,
                }
            }
            None => (cid & 0xFFFF) as u16,
        }
    }
}

/// The cleaned text of each one-byte code of a simple font: the ToUnicode
/// CMap first, then the `/Differences` glyph name, then the base encoding.
/// `None` is unmapped, `Some("")` maps to nothing visible.
pub(crate) fn simple_text(
    to_unicode: Option<&CMap>,
    differences: &Differences<'_>,
    builtin: Option<&[Option<String>]>,
    base: BaseEncoding,
    flavor: Flavor,
) -> Vec<Option<Box<str>>> {
    let mut text: Vec<Option<Box<str>>> = Vec::with_capacity(256);
    let mut buf = String::new();
    for code in 0..=255u8 {
        buf.clear();
        let mut status = TextStatus::Unmapped;
        if let Some(tu) = to_unicode {
            let mut pushed = false;
            if tu.for_each_char(u32::from(code), |c| pushed |= push_clean(c, flavor, &mut buf)) {
                status = if pushed { TextStatus::Mapped } else { TextStatus::Empty };
            }
        }
        if status != TextStatus::Mapped {
            buf.clear();
            let name = differences.name(code).or_else(|| builtin_name(builtin, code).map(str::as_bytes));
            let pushed = match name.and_then(encoding::glyph_name_text) {
                // A glyph that stands for no text (TeX's compound word mark).
                Some(t) if t.is_empty() => {
                    status = TextStatus::Empty;
                    false
                }
                Some(t) => t.chars().fold(false, |p, c| push_clean(c, flavor, &mut buf) | p),
                None => base.char(code).is_some_and(|c| push_clean(c, flavor, &mut buf)),
            };
            if pushed {
                status = TextStatus::Mapped;
            }
        }
        // Tab, line feed and carriage return codes no table maps separate words.
        if status == TextStatus::Unmapped && matches!(code, b'\t' | b'\n' | b'\r') {
            buf.clear();
            buf.push(' ');
            status = TextStatus::Mapped;
        }
        text.push(match status {
            TextStatus::Mapped => Some(buf.as_str().into()),
            TextStatus::Empty => Some("".into()),
            TextStatus::Unmapped => None,
        });
    }
    text
}

/// pdfTeX's bitmap fonts (Type 3 from `.pk` files, as for T1-encoded
/// Computer Modern without Type 1 files) name each glyph `a` and its code
/// (`/a65`, not the Dingbats glyph of that name): those codes take TeX's T1
/// text.
/// Returns whether any code was read so.
fn tex_bitmap_text(differences: &Differences<'_>, text: &mut [Option<Box<str>>]) -> bool {
    let mut any = false;
    for (code, slot) in (0..=255u8).zip(text.iter_mut()) {
        let numbered = differences
            .name(code)
            .is_some_and(|n| n.strip_prefix(b"a").and_then(|d| std::str::from_utf8(d).ok()).and_then(|d| d.parse::<u8>().ok()) == Some(code));
        if numbered {
            if let Some(t) = encoding::tex_t1_text(code) {
                let mut buf = String::new();
                for c in t.chars() {
                    push_clean(c, Flavor::Text, &mut buf);
                }
                *slot = Some(buf.into());
                any = true;
            }
        }
    }
    any
}

/// OT1 glyph names for a Computer Modern text font by its name (`CMR10`,
/// `CMBX12`, `CMTT10`), or the first OMS codes for `CMSY` (not the math
/// italic `CMMI` nor the extension font `CMEX`).
fn tex_text_font(name: &str) -> Option<Vec<Option<String>>> {
    let upper = name.to_ascii_uppercase();
    let shape = upper.strip_prefix("CM")?.trim_end_matches(|c: char| c.is_ascii_digit());
    let sized = upper.len() > shape.len() + 2 && shape.chars().all(|c| c.is_ascii_uppercase());
    const TEXT: [&str; 20] =
        ["R", "BX", "TI", "SL", "SS", "SSBX", "SSI", "SSDC", "SSQ", "SSQI", "CSC", "B", "BXSL", "BXTI", "DUNH", "FIB", "FF", "FI", "U", "SSQ8"];
    const TYPEWRITER: [&str; 5] = ["TT", "SLTT", "ITT", "VTT", "TCSC"];
    if !sized {
        return None;
    }
    if shape == "SY" || shape == "BSY" {
        return Some(encoding::tex_oms_names());
    }
    if TYPEWRITER.contains(&shape) {
        Some(encoding::tex_ot1_names(true))
    } else if TEXT.contains(&shape) {
        Some(encoding::tex_ot1_names(false))
    } else {
        None
    }
}

fn builtin_name(builtin: Option<&[Option<String>]>, code: u8) -> Option<&str> {
    builtin?.get(usize::from(code))?.as_deref()
}

/// Most bytes of a Type 1 program read for its built-in encoding.
const MAX_CLEAR_TEXT: usize = 1 << 20;

/// Glyph name per code of the built-in encoding of an embedded Type 1
/// (`/FontFile`) or CFF (`/FontFile3` `/Type1C`) font program.
fn builtin_encoding(doc: &Document, descriptor: Option<&Dictionary>, streams: &mut StreamReader) -> Option<Vec<Option<String>>> {
    let descriptor = descriptor?;
    if let Some(stream) = get(doc, descriptor, b"FontFile").and_then(as_stream) {
        let data = streams.decode(stream).ok()?;
        // The encoding is in the clear text before `eexec`, a few kilobytes.
        let clear = data.len().min(MAX_CLEAR_TEXT);
        let table = pdfboss_encoding::type1_builtin_encoding(data.get(..clear).unwrap_or(&data))?;
        return Some(table.into_iter().collect());
    }
    let stream = get(doc, descriptor, b"FontFile3").and_then(as_stream)?;
    if get_name(doc, &stream.dict, b"Subtype") != Some(b"Type1C") {
        return None;
    }
    let data = streams.decode(stream).ok()?;
    cff_builtin_encoding(&data)
}

/// Code → glyph name through a bare CFF font's encoding and charset.
fn cff_builtin_encoding(data: &[u8]) -> Option<Vec<Option<String>>> {
    use read_fonts::ps::cff::CffFontRef;
    let cff = CffFontRef::new_cff(data, 0, None).ok()?;
    if cff.is_cid() {
        return None;
    }
    let encoding = cff.encoding()?;
    let charset = encoding.charset().clone();
    let names = (0..=255u8)
        .map(|code| {
            let gid = encoding.map(code).filter(|g| g.to_u32() != 0)?;
            let name = cff.string(charset.string_id(gid)?)?;
            std::str::from_utf8(name).ok().map(str::to_owned)
        })
        .collect::<Vec<_>>();
    names.iter().any(Option::is_some).then_some(names)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Glyph id → character from an embedded TrueType font's Unicode `cmap`.
fn truetype_gid_text(data: &[u8]) -> Option<HashMap<u16, char>> {
    use read_fonts::TableProvider;
    let font = read_fonts::FontRef::new(data).ok()?;
    let cmap = font.cmap().ok()?;
    let (_, _, subtable) = cmap.best_subtable()?;
    let mut map = HashMap::new();
    for (codepoint, gid) in subtable.iter().take(1 << 17) {
        let Ok(gid) = u16::try_from(gid.to_u32()) else {
            continue;
        };
        if let Some(c) = char::from_u32(codepoint) {
            map.entry(gid).or_insert(c);
        }
    }
    (!map.is_empty()).then_some(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn style_from_names() {
        assert_eq!(strip_subset("BAAAAA+Carlito-Bold"), "Carlito-Bold");
        assert_eq!(strip_subset("Carlito+X"), "Carlito+X");
        assert!(name_is_bold("Carlito-Bold"));
        assert!(name_is_bold("Arial-BlackItalic"));
        assert!(!name_is_bold("Carlito"));
        assert!(name_is_italic("Carlito-BoldItalic"));
        assert!(name_is_italic("MinionPro-It"));
        assert!(!name_is_italic("Carlito"));
        assert!(!name_is_italic("Italiano"));
    }
}
