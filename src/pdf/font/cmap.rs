//! CMaps (PDF 32000-1 §9.7.5, §9.10.3): code-space ranges, code → CID, and
//! ToUnicode code → text.
//!
//! Parsed with the content-stream lexer: every `end…` keyword consumes the
//! operands collected since the matching `begin…`.
//!
//! Memory is proportional to the CMap's own bytes: a `bfrange` or `cidrange`
//! is kept as one range and resolved at lookup (binary search), never
//! expanded code by code, and one CMap keeps at most [`MAX_MAPPINGS`]
//! entries. A CMap shared by many fonts is parsed once ([`CMapCache`]).

use std::collections::HashMap;
use std::rc::Rc;

use lopdf::{Document, Object, ObjectId};

use crate::pdf::lexer::{Lexer, Operand, Operands};
use crate::pdf::objects::{as_stream, resolve};
use crate::pdf::streams::StreamReader;

/// Most mappings one CMap keeps: `bfchar`/`cidchar` entries, entries of
/// array-form `bfrange`s, and ranges. A 2-byte code space has 65,536 codes,
/// so a real CMap stays under it; further mappings are dropped and counted in
/// [`CMap::dropped`].
pub(crate) const MAX_MAPPINGS: usize = 1 << 16;
/// Most code-space ranges kept: each code split scans them, and real CMaps
/// have a handful.
const MAX_CODESPACE: usize = 256;
/// Longest destination kept, in UTF-16 units: the 512 bytes PDF 32000-1
/// §9.10.3 allows a `bfchar`/`bfrange` destination string.
const MAX_DEST_UNITS: usize = 256;
/// Ranges examined per lookup, walking back from the last range starting at or
/// before the code: enough for nested ranges, bounded for hostile overlaps.
const MAX_OVERLAP_SCAN: usize = 64;

/// One `begincodespacerange` entry: codes of `len` bytes between `lo` and `hi`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CodespaceRange {
    pub lo: u32,
    pub hi: u32,
    pub len: u8,
}

/// Codes `lo..=hi` mapped to values derived from `value` and the offset.
#[derive(Debug, Clone)]
struct Range<T> {
    lo: u32,
    hi: u32,
    value: T,
}

/// Ranges sorted by `lo` (in definition order among equal starts).
#[derive(Debug, Clone)]
struct RangeTable<T>(Vec<Range<T>>);

impl<T> Default for RangeTable<T> {
    fn default() -> Self {
        RangeTable(Vec::new())
    }
}

impl<T> RangeTable<T> {
    fn sort(&mut self) {
        self.0.sort_by_key(|r| r.lo);
    }

    /// The range holding `code` that starts last at or before it (the
    /// innermost of nested ranges).
    fn find(&self, code: u32) -> Option<&Range<T>> {
        let end = self.0.partition_point(|r| r.lo <= code);
        self.0.get(..end)?.iter().rev().take(MAX_OVERLAP_SCAN).find(|r| code <= r.hi)
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[derive(Debug, Clone, Default)]
pub(crate) struct CMap {
    pub codespace: Vec<CodespaceRange>,
    /// Explicit code → text (bfchar, array-form bfrange).
    chars: HashMap<u32, Box<str>>,
    /// `bfrange` with an incrementing destination: code `lo + i` maps to the
    /// value with `i` added to its last UTF-16 unit.
    ranges: RangeTable<Box<[u16]>>,
    /// Explicit code → CID (cidchar).
    cid_chars: HashMap<u32, u32>,
    /// cidrange: code `lo + i` is CID `value + i`.
    cid_ranges: RangeTable<u32>,
    /// The name of a predefined CMap this one builds on (`usecmap`).
    pub use_cmap: Option<Vec<u8>>,
    /// Mappings dropped because the CMap already held [`MAX_MAPPINGS`].
    pub dropped: usize,
}

/// A big-endian code from 1–4 bytes.
fn code_of(bytes: &[u8]) -> Option<(u32, u8)> {
    if bytes.is_empty() || bytes.len() > 4 {
        return None;
    }
    let v = bytes.iter().fold(0u32, |acc, &b| acc << 8 | u32::from(b));
    Some((v, bytes.len() as u8))
}

fn utf16_units(bytes: &[u8]) -> Vec<u16> {
    if let [single] = bytes {
        // A one-byte destination is not UTF-16BE; producers mean the character itself.
        return vec![u16::from(*single)];
    }
    bytes.chunks_exact(2).filter_map(|c| <[u8; 2]>::try_from(c).ok()).map(u16::from_be_bytes).take(MAX_DEST_UNITS).collect()
}

fn utf16_string(units: &[u16]) -> String {
    char::decode_utf16(units.iter().copied()).map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER)).collect()
}

impl CMap {
    pub fn parse(data: &[u8]) -> CMap {
        let mut cmap = CMap::default();
        let mut lexer = Lexer::new(data);
        let mut ops = Operands::default();
        let mut last_name: Option<Vec<u8>> = None;
        while let Some(keyword) = lexer.next_op(&mut ops) {
            match keyword {
                b"endcodespacerange" => cmap.add_codespace(&ops),
                b"endbfchar" => cmap.add_bfchar(&ops),
                b"endbfrange" => cmap.add_bfrange(&ops),
                b"endcidchar" => cmap.add_cidchar(&ops),
                b"endcidrange" => cmap.add_cidrange(&ops),
                b"usecmap" => {
                    cmap.use_cmap = ops.name().map(<[u8]>::to_vec).or(last_name.take());
                }
                _ => {}
            }
            last_name = ops.name().map(<[u8]>::to_vec);
        }
        cmap.ranges.sort();
        cmap.cid_ranges.sort();
        cmap
    }

    /// Whether one more mapping fits the [`MAX_MAPPINGS`] budget; counts it
    /// as dropped otherwise.
    fn room(&mut self) -> bool {
        let kept = self.chars.len() + self.ranges.0.len() + self.cid_chars.len() + self.cid_ranges.0.len() + self.codespace.len();
        if kept < MAX_MAPPINGS {
            true
        } else {
            self.dropped += 1;
            false
        }
    }

    fn add_codespace(&mut self, ops: &Operands) {
        for pair in ops.items.chunks_exact(2) {
            let [lo, hi] = pair else { continue };
            let (Some((lo, len)), Some((hi, hi_len))) = (code_of(ops.bytes(lo)), code_of(ops.bytes(hi))) else {
                continue;
            };
            if len != hi_len || lo > hi {
                continue;
            }
            if self.codespace.len() >= MAX_CODESPACE {
                self.dropped += 1;
            } else if self.room() {
                self.codespace.push(CodespaceRange { lo, hi, len });
            }
        }
    }

    fn dest_text(ops: &Operands, dst: &Operand) -> Option<Box<str>> {
        match dst {
            Operand::Str(..) => Some(utf16_string(&utf16_units(ops.bytes(dst))).into()),
            Operand::Name(..) => crate::pdf::font::encoding::glyph_name_text(ops.bytes(dst)).map(String::into_boxed_str),
            _ => None,
        }
    }

    fn add_bfchar(&mut self, ops: &Operands) {
        for pair in ops.items.chunks_exact(2) {
            let [src, dst] = pair else { continue };
            let Some((code, _)) = code_of(ops.bytes(src)) else {
                continue;
            };
            if let Some(text) = Self::dest_text(ops, dst) {
                if self.room() {
                    self.chars.insert(code, text);
                }
            }
        }
    }

    fn add_bfrange(&mut self, ops: &Operands) {
        for triple in ops.items.chunks_exact(3) {
            let [lo, hi, dst] = triple else { continue };
            let (Some((lo, _)), Some((hi, _))) = (code_of(ops.bytes(lo)), code_of(ops.bytes(hi))) else {
                continue;
            };
            if lo > hi {
                continue;
            }
            match dst {
                // One explicit destination per code: as many mappings as the
                // array has entries, however wide the range.
                dst @ Operand::Array(..) => {
                    let items = ops.children(dst);
                    for (i, (code, item)) in (lo..=hi).zip(items).enumerate() {
                        if !self.room() {
                            // The rest of this array is dropped too.
                            self.dropped += items.len().min((hi - lo) as usize + 1) - i - 1;
                            break;
                        }
                        if let Some(text) = Self::dest_text(ops, item) {
                            self.chars.insert(code, text);
                        }
                    }
                }
                dst @ Operand::Str(..) => {
                    let base = utf16_units(ops.bytes(dst));
                    if !base.is_empty() && self.room() {
                        self.ranges.0.push(Range { lo, hi, value: base.into() });
                    }
                }
                _ => {}
            }
        }
    }

    fn add_cidchar(&mut self, ops: &Operands) {
        for pair in ops.items.chunks_exact(2) {
            if let [src, Operand::Number(cid)] = pair {
                if let Some((code, _)) = code_of(ops.bytes(src)) {
                    if self.room() {
                        self.cid_chars.insert(code, cid.max(0.0) as u32);
                    }
                }
            }
        }
    }

    fn add_cidrange(&mut self, ops: &Operands) {
        for triple in ops.items.chunks_exact(3) {
            let [lo, hi, Operand::Number(cid)] = triple else {
                continue;
            };
            if let (Some((lo, _)), Some((hi, _))) = (code_of(ops.bytes(lo)), code_of(ops.bytes(hi))) {
                if lo <= hi && self.room() {
                    self.cid_ranges.0.push(Range { lo, hi, value: cid.max(0.0) as u32 });
                }
            }
        }
    }

    pub fn is_empty_unicode(&self) -> bool {
        self.chars.is_empty() && self.ranges.is_empty()
    }

    pub fn has_cids(&self) -> bool {
        !self.cid_chars.is_empty() || !self.cid_ranges.is_empty()
    }

    /// Calls `f` with each character `code` maps to; `false` if `code` is not mapped.
    pub fn for_each_char(&self, code: u32, mut f: impl FnMut(char)) -> bool {
        if let Some(text) = self.chars.get(&code) {
            text.chars().for_each(f);
            return true;
        }
        let Some(range) = self.ranges.find(code) else {
            return false;
        };
        for c in char::decode_utf16(offset_units(&range.value, code - range.lo)) {
            f(c.unwrap_or(char::REPLACEMENT_CHARACTER));
        }
        true
    }

    /// The CID of `code` from cidchar/cidrange.
    pub fn cid(&self, code: u32) -> Option<u32> {
        if let Some(&cid) = self.cid_chars.get(&code) {
            return Some(cid);
        }
        self.cid_ranges.find(code).map(|r| r.value.saturating_add(code - r.lo))
    }

    /// Splits the next code off `bytes` by the code-space ranges: the first
    /// length whose range contains the prefix, else the shortest length
    /// (`default_len` without ranges). Returns `(code, byte length)`; the
    /// length is at least 1 and at most `bytes.len()` when `bytes` is non-empty.
    pub fn next_code(&self, bytes: &[u8], default_len: u8) -> (u32, usize) {
        for len in 1..=4u8 {
            let Some(prefix) = bytes.get(..usize::from(len)) else {
                break;
            };
            let Some((code, _)) = code_of(prefix) else {
                break;
            };
            if self.codespace.iter().any(|r| r.len == len && r.lo <= code && code <= r.hi) {
                return (code, usize::from(len));
            }
        }
        let len = self.codespace.iter().map(|r| r.len).min().unwrap_or(default_len).max(1);
        let len = usize::from(len).min(bytes.len()).max(1);
        let code = bytes.get(..len).and_then(code_of).map_or(0, |(code, _)| code);
        (code, len)
    }
}

/// Parsed CMaps by stream object, shared by the fonts of a document: a
/// file whose thousands of font dictionaries name one ToUnicode stream parses
/// it once.
#[derive(Debug, Default)]
pub(crate) struct CMapCache(HashMap<ObjectId, Option<Rc<CMap>>>);

impl CMapCache {
    /// The CMap in the stream `obj` (a reference or a direct stream); `None`
    /// when it is not a stream or does not decode.
    pub fn load(&mut self, doc: &Document, obj: &Object, streams: &mut StreamReader) -> Option<Rc<CMap>> {
        let parse = |streams: &mut StreamReader| {
            let stream = resolve(doc, obj).and_then(as_stream)?;
            let data = streams.decode(stream).ok()?;
            Some(Rc::new(CMap::parse(&data)))
        };
        match obj.as_reference() {
            Ok(id) => self.0.entry(id).or_insert_with(|| parse(streams)).clone(),
            Err(_) => parse(streams),
        }
    }
}

/// `base` with `offset` added to its last unit (PDF 32000-1 §9.10.3).
fn offset_units(base: &[u16], offset: u32) -> Vec<u16> {
    let mut units = base.to_vec();
    if let Some(last) = units.last_mut() {
        *last = (u32::from(*last).wrapping_add(offset) & 0xFFFF) as u16;
    }
    units
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(cmap: &CMap, code: u32) -> String {
        let mut s = String::new();
        cmap.for_each_char(code, |c| s.push(c));
        s
    }

    #[test]
    fn bfchar_bfrange_and_surrogates() {
        let cmap = CMap::parse(
            b"/CIDInit/ProcSet findresource begin 12 dict begin begincmap\n\
              1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
              3 beginbfchar <0001> <0048> <0002> <00660069> <0003> <D83DDE00> endbfchar\n\
              2 beginbfrange <0010> <0012> <0061> <0020> <0021> [<00E6> <00F8>] endbfrange\n\
              endcmap",
        );
        assert_eq!(text_of(&cmap, 1), "H");
        assert_eq!(text_of(&cmap, 2), "fi");
        assert_eq!(text_of(&cmap, 3), "😀");
        assert_eq!(text_of(&cmap, 0x11), "b");
        assert_eq!(text_of(&cmap, 0x21), "ø");
        assert!(!cmap.for_each_char(0x99, |_| {}));
        assert_eq!(cmap.next_code(&[0x00, 0x41, 0x00], 1), (0x41, 2));
        // A truncated two-byte code is consumed whole.
        assert_eq!(cmap.next_code(&[0x07], 2).1, 1);
    }

    #[test]
    fn huge_range_stays_a_range() {
        let cmap = CMap::parse(b"1 beginbfrange <0000> <FFFFFF> <0020> endbfrange");
        assert_eq!(text_of(&cmap, 1), "!");
        assert_eq!(text_of(&cmap, 0xFFFF00), "\u{FF20}");
        assert_eq!(cmap.chars.len(), 0);
        assert_eq!(cmap.dropped, 0);
    }

    #[test]
    fn nested_ranges_resolve_to_the_innermost() {
        let cmap = CMap::parse(
            b"2 beginbfrange <0000> <00FF> <0041> <0010> <0011> <0061> endbfrange \
              1 beginbfchar <0011> <0058> endbfchar",
        );
        assert_eq!(text_of(&cmap, 0x01), "B");
        assert_eq!(text_of(&cmap, 0x10), "a");
        assert_eq!(text_of(&cmap, 0x11), "X", "bfchar wins over a range");
        assert_eq!(text_of(&cmap, 0x12), "S");
        assert!(!cmap.for_each_char(0x100, |_| {}));
    }

    #[test]
    fn mappings_over_the_budget_are_dropped_and_counted() {
        // Blocks of 30,000 (the lexer keeps 65,536 operands per operator).
        let mut data = Vec::new();
        for code in 0..MAX_MAPPINGS as u32 + 10 {
            if code % 30_000 == 0 {
                data.extend_from_slice(b"endbfchar 30000 beginbfchar ");
            }
            data.extend_from_slice(format!("<{code:08X}> <0041> ").as_bytes());
        }
        data.extend_from_slice(b"endbfchar 1 beginbfrange <00000000> <FFFFFFFF> [<0042> <0043>] endbfrange");
        let cmap = CMap::parse(&data);
        assert_eq!(cmap.chars.len(), MAX_MAPPINGS);
        assert!(cmap.dropped >= 10, "{}", cmap.dropped);
        assert_eq!(text_of(&cmap, 0), "A");
    }

    #[test]
    fn long_destinations_are_cut_at_512_bytes() {
        let mut data = b"1 beginbfchar <01> <".to_vec();
        data.extend(std::iter::repeat_n(b"0041".as_slice(), 10_000).flatten());
        data.extend_from_slice(b"> endbfchar");
        let cmap = CMap::parse(&data);
        assert_eq!(text_of(&cmap, 1).len(), MAX_DEST_UNITS);
    }

    #[test]
    fn cid_ranges() {
        let cmap = CMap::parse(
            b"1 begincodespacerange <00> <80> endcodespacerange \
              1 begincidrange <20> <7e> 1 endcidrange 1 begincidchar <41> 500 endcidchar",
        );
        assert_eq!(cmap.cid(0x21), Some(2));
        assert_eq!(cmap.cid(0x41), Some(500));
        assert_eq!(cmap.next_code(&[0x41, 0x42], 2), (0x41, 1));
    }
}
