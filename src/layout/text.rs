//! Text input (`.txt`, `.md`) into the layout model: one column of lines
//! without coordinates. Runs of tab-separated lines become tables.

use super::text_columns::TextTableCues;
use super::{Block, Cell, LayoutDocument, Line, Row, Table, TableOrigin};
use crate::model::{SourceFormat, Warning};

/// Decodes text bytes: UTF-8 with or without BOM; UTF-16 and UTF-32 (either
/// byte order) by their byte-order mark or, without one, by where their NUL
/// bytes fall; anything else that is not valid UTF-8 is read as Windows-1252
/// (the usual legacy encoding of Norwegian text). Every encoding but UTF-8
/// gets a `not_utf8` warning naming the encoding used.
pub fn decode(bytes: &[u8]) -> (String, Option<Warning>) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return decode_utf8_or_1252(rest);
    }
    let (encoding, body, how) = match wide_encoding(bytes) {
        Some((encoding, bom_len)) if bom_len > 0 => (encoding, &bytes[bom_len..], "byte-order mark"),
        Some((encoding, _)) => (encoding, bytes, "no byte-order mark; guessed from where its NUL bytes fall"),
        None => return decode_utf8_or_1252(bytes),
    };
    let (text, errors) = encoding.decode(body);
    let damaged = if errors { "; invalid sequences replaced by U+FFFD" } else { "" };
    (text, Some(Warning::new("not_utf8", format!("text is {} ({how}); read as {}{damaged}", encoding.name(), encoding.name()), None)))
}

fn decode_utf8_or_1252(bytes: &[u8]) -> (String, Option<Warning>) {
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), None),
        Err(_) => {
            let (s, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            (s.into_owned(), Some(Warning::new("not_utf8", "text is not valid UTF-8; read as Windows-1252", None)))
        }
    }
}

/// A UTF-16 or UTF-32 encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wide {
    Utf16Le,
    Utf16Be,
    Utf32Le,
    Utf32Be,
}

impl Wide {
    fn name(self) -> &'static str {
        match self {
            Wide::Utf16Le => "UTF-16LE",
            Wide::Utf16Be => "UTF-16BE",
            Wide::Utf32Le => "UTF-32LE",
            Wide::Utf32Be => "UTF-32BE",
        }
    }

    /// The text and whether anything was replaced. UTF-16 through
    /// `encoding_rs`; UTF-32, which the Encoding Standard (and so
    /// `encoding_rs`) leaves out, code unit by code unit here.
    fn decode(self, bytes: &[u8]) -> (String, bool) {
        let utf16 = |e: &'static encoding_rs::Encoding| {
            let (text, errors) = e.decode_without_bom_handling(bytes);
            (text.into_owned(), errors)
        };
        match self {
            Wide::Utf16Le => utf16(encoding_rs::UTF_16LE),
            Wide::Utf16Be => utf16(encoding_rs::UTF_16BE),
            Wide::Utf32Le | Wide::Utf32Be => {
                let chunks = bytes.chunks_exact(4);
                let partial = !chunks.remainder().is_empty();
                let mut errors = partial;
                let mut text = String::with_capacity(bytes.len() / 4);
                for c in chunks {
                    let unit = [c[0], c[1], c[2], c[3]];
                    let code = if self == Wide::Utf32Le { u32::from_le_bytes(unit) } else { u32::from_be_bytes(unit) };
                    text.push(char::from_u32(code).unwrap_or_else(|| {
                        errors = true;
                        char::REPLACEMENT_CHARACTER
                    }));
                }
                if partial {
                    text.push(char::REPLACEMENT_CHARACTER);
                }
                (text, errors)
            }
        }
    }
}

/// Bytes looked at to guess a wide encoding without a byte-order mark.
const SNIFF_BYTES: usize = 4096;

/// The wide encoding of `bytes` and the length of its byte-order mark (0
/// when guessed). Without a mark: text in these encodings is mostly code
/// points below U+0100 (Norwegian included), whose high bytes are NUL at
/// fixed positions in each code unit, while NUL itself almost never occurs
/// in text; UTF-8 and Windows-1252 text has no NUL bytes at all.
fn wide_encoding(bytes: &[u8]) -> Option<(Wide, usize)> {
    // UTF-32LE's mark begins with UTF-16LE's: test it first.
    for (bom, encoding) in
        [(&b"\xFF\xFE\x00\x00"[..], Wide::Utf32Le), (b"\x00\x00\xFE\xFF", Wide::Utf32Be), (b"\xFF\xFE", Wide::Utf16Le), (b"\xFE\xFF", Wide::Utf16Be)]
    {
        if bytes.starts_with(bom) {
            return Some((encoding, bom.len()));
        }
    }
    let sample = &bytes[..bytes.len().min(SNIFF_BYTES)];
    if sample.len() < 4 || !sample.contains(&0) {
        return None;
    }
    // Share of NUL bytes at each position of a 4-byte group.
    let mut zeros = [0usize; 4];
    let mut counts = [0usize; 4];
    for (i, b) in sample.iter().enumerate() {
        counts[i % 4] += 1;
        zeros[i % 4] += usize::from(*b == 0);
    }
    let share = |i: usize| zeros[i] as f64 / counts[i].max(1) as f64;
    let (mostly, rarely) = (|x: f64| x >= 0.7, |x: f64| x <= 0.05);
    if bytes.len() % 4 == 0 {
        if mostly(share(1)) && share(2) >= 0.95 && share(3) >= 0.95 && rarely(share(0)) {
            return Some((Wide::Utf32Le, 0));
        }
        if share(0) >= 0.95 && share(1) >= 0.95 && mostly(share(2)) && rarely(share(3)) {
            return Some((Wide::Utf32Be, 0));
        }
    }
    let (even, odd) = ((share(0) + share(2)) / 2.0, (share(1) + share(3)) / 2.0);
    if bytes.len() % 2 == 0 && mostly(odd) && rarely(even) {
        return Some((Wide::Utf16Le, 0));
    }
    if bytes.len() % 2 == 0 && mostly(even) && rarely(odd) {
        return Some((Wide::Utf16Be, 0));
    }
    None
}

/// Builds the layout of a text document. Form feeds count as page breaks
/// only for blank-line accounting; bare page-number lines are dropped.
pub fn layout(text: &str, format: SourceFormat) -> LayoutDocument {
    layout_with(text, format, None)
}

/// [`layout`], with tables aligned by spaces found through `cues` (the
/// vocabulary's column headers, given by the caller).
pub fn layout_with(text: &str, format: SourceFormat, cues: Option<&TextTableCues>) -> LayoutDocument {
    // Copied only when there is something to replace: a large input is not
    // duplicated three times over.
    let mut text = std::borrow::Cow::Borrowed(text);
    if text.contains('\r') {
        text = text.replace("\r\n", "\n").replace('\r', "\n").into();
    }
    let page_edges = page_edge_lines(&text);
    if text.contains('\u{000C}') {
        text = text.replace('\u{000C}', "\n\n").into();
    }
    let mut blocks = Vec::new();
    let mut blank = 0.0f32;
    let mut pending_rows: Vec<(Vec<String>, f32)> = Vec::new();

    let flush_table = |rows: &mut Vec<(Vec<String>, f32)>, blocks: &mut Vec<Block>| {
        if rows.is_empty() {
            return;
        }
        let width = rows.iter().map(|(c, _)| c.len()).max().unwrap_or(0);
        let table_rows = rows
            .drain(..)
            .map(|(cells, _)| Row {
                cells: (0..width)
                    .map(|i| Cell { lines: cells.get(i).filter(|c| !c.trim().is_empty()).map(|c| vec![Line::plain(c.trim())]).unwrap_or_default() })
                    .collect(),
                pages: vec![],
                header: false,
            })
            .collect();
        blocks.push(Block::Table(Table { rows: table_rows, pages: vec![], origin: TableOrigin::Tabs }));
    };

    let (mut running, first_line) = running_lines(&text);
    running.extend(page_edges);
    let mut seen_first = false;
    let raws: Vec<&str> = text.split('\n').collect();
    let furniture = |i: usize| {
        let raw = raws[i].trim_end_matches([' ', '\u{00A0}']);
        is_page_number(&raws, i)
            || super::is_page_label(raw)
            || running.contains(&fold(raw))
            || first_line.as_ref() == Some(&fold(raw)) && i > 0 && raws[..i].iter().any(|r| !r.trim().is_empty())
    };
    let mut aligned = match cues {
        Some(c) => super::text_columns::find(&raws, c, &furniture),
        None => Vec::new(),
    }
    .into_iter()
    .peekable();
    let mut skip_to = 0usize;
    let mut kept_opening: std::collections::HashSet<String> = std::collections::HashSet::new();
    for (i, raw) in raws.iter().enumerate() {
        if i < skip_to {
            continue;
        }
        if let Some(t) = aligned.next_if(|t| t.start == i) {
            flush_table(&mut pending_rows, &mut blocks);
            skip_to = t.end;
            blocks.push(Block::Table(t.table));
            blank = 0.0;
            continue;
        }
        let raw = raw.trim_end_matches([' ', '\u{00A0}']);
        if is_page_number(&raws, i) || super::is_page_label(raw) {
            // A page number printed as its own paragraph: not body text.
            continue;
        }
        let key = fold(raw);
        // A running line printed first at the left margin opens the document
        // (its title or owner on the cover): kept once.
        let opening = blocks.len() < 5 && !raw.starts_with("          ") && !kept_opening.contains(&key);
        if running.contains(&key) && !opening {
            // A running header or footer: not body text.
            continue;
        }
        if running.contains(&key) {
            kept_opening.insert(key.clone());
        }
        if first_line.as_ref() == Some(&key) {
            if seen_first {
                // The first line printed again further on is a running header.
                continue;
            }
            seen_first = true;
        }
        if raw.trim().is_empty() {
            // A blank line ends a tab-separated table.
            flush_table(&mut pending_rows, &mut blocks);
            blank += 1.0;
            continue;
        }
        if is_table_line(raw) {
            let cells: Vec<String> = raw.trim_start().split('\t').map(str::to_string).collect();
            pending_rows.push((cells, blank));
            blank = 0.0;
            continue;
        }
        flush_table(&mut pending_rows, &mut blocks);
        let indent = raw.chars().take_while(|c| *c == ' ' || *c == '\u{00A0}').count() as f32;
        let mut line = Line::plain(raw.trim().replace('\t', " "));
        line.space_before = blank;
        line.indent = indent;
        line.bullet = crate::text::strip_bullet(&line.text).is_some();
        blocks.push(Block::Line(line));
        blank = 0.0;
    }
    flush_table(&mut pending_rows, &mut blocks);
    LayoutDocument { format, pages: vec![], blocks, warnings: vec![], declared_title: None, table_source: "text", heading_source: "text" }
}

/// Lines that open or close two or more pages (pages split at form feeds):
/// running headers and footers of a text export.
fn page_edge_lines(text: &str) -> std::collections::HashSet<String> {
    let mut counts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let pages: Vec<&str> = text.split('\u{000C}').collect();
    if pages.len() < 3 {
        return Default::default();
    }
    for page in &pages {
        let lines: Vec<&str> = page.lines().filter(|l| !l.trim().is_empty()).collect();
        // A table header printed again at a page top is no running header.
        let table_like = |l: &&&str| l.trim().contains("   ");
        let mut edges: Vec<String> = lines.iter().take(1).chain(lines.iter().rev().take(1)).filter(|l| !table_like(l)).map(|l| fold(l)).collect();
        edges.sort();
        edges.dedup();
        for e in edges {
            *counts.entry(e).or_default() += 1;
        }
    }
    // A running line is printed once a page: one that the body repeats more
    // often (a label of every table row) is content.
    let mut everywhere: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for l in text.lines().filter(|l| !l.trim().is_empty()) {
        let k = fold(l);
        if counts.contains_key(&k) {
            *everywhere.entry(k).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .filter(|(k, n)| *n >= 2 && !k.is_empty() && k.split_whitespace().count() <= 14 && everywhere.get(k).copied().unwrap_or(0) <= pages.len() + 1)
        .map(|(k, _)| k)
        .collect()
}

/// Folds a line for comparison: digits to `#`, white space to one space.
fn fold(raw: &str) -> String {
    // Page numbers come and go beside a running header: drop number tokens.
    raw.split_whitespace().filter(|w| !w.chars().all(|c| c.is_ascii_digit())).collect::<Vec<_>>().join(" ")
}

/// Running headers and footers that the text extraction kept: short
/// all-capital lines repeated three times or more (with or without a page
/// number), and one of the document's first lines printed again later.
fn running_lines(text: &str) -> (std::collections::HashSet<String>, Option<String>) {
    let mut counts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let lines: Vec<&str> = text.split('\n').filter(|l| !l.trim().is_empty()).collect();
    for l in &lines {
        *counts.entry(fold(l)).or_default() += 1;
    }
    let mut out = std::collections::HashSet::new();
    for (k, n) in &counts {
        let letters: Vec<char> = k.chars().filter(|c| c.is_alphabetic()).collect();
        let caps = letters.len() >= 4 && letters.iter().all(|c| c.is_uppercase());
        if caps && *n >= 2 && k.split_whitespace().count() <= 8 && k.split_whitespace().count() >= 2 {
            out.insert(k.clone());
        }
    }
    // The first line (a running header in the source) seen again further on.
    let first = lines.first().map(|f| fold(f)).filter(|k| counts.get(k).is_some_and(|n| *n >= 2) && k.split_whitespace().count() >= 3);
    // A page number line folds to "": not a header text.
    out.retain(|k| !k.is_empty());
    (out, first)
}

/// A bare number of at most three digits standing between blank lines:
/// a page number the text export kept.
fn is_page_number(lines: &[&str], i: usize) -> bool {
    let t = lines[i].trim();
    let blank = |j: Option<usize>| j.and_then(|j| lines.get(j)).is_none_or(|l| l.trim().is_empty());
    !t.is_empty() && t.len() <= 3 && t.chars().all(|c| c.is_ascii_digit()) && blank(i.checked_sub(1)) && blank(Some(i + 1))
}

/// Most tab-separated cells a line may have and still be a table row; a
/// wider line is prose with tabs in it (rows are padded to the widest one,
/// so one very wide line would multiply every row).
const MAX_TAB_CELLS: usize = 64;

/// A line with at least one tab between two non-empty pieces of text.
fn is_table_line(raw: &str) -> bool {
    let t = raw.trim();
    t.contains('\t') && t.split('\t').filter(|c| !c.trim().is_empty()).count() >= 2 && t.split('\t').count() <= MAX_TAB_CELLS
}

#[cfg(test)]
mod encoding_tests {
    use super::*;

    const TEXT: &str = "Tiltak 1: Styrke forskning på sykehjem – ansvar: HOD\nMøte i rådet\n";

    fn encode(text: &str, encoding: Wide, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        let units: Vec<u32> = match encoding {
            Wide::Utf16Le | Wide::Utf16Be => text.encode_utf16().map(u32::from).collect(),
            Wide::Utf32Le | Wide::Utf32Be => text.chars().map(u32::from).collect(),
        };
        let bom_char = if bom { Some(0xFEFF) } else { None };
        for u in bom_char.into_iter().chain(units) {
            match encoding {
                Wide::Utf16Le => out.extend((u as u16).to_le_bytes()),
                Wide::Utf16Be => out.extend((u as u16).to_be_bytes()),
                Wide::Utf32Le => out.extend(u.to_le_bytes()),
                Wide::Utf32Be => out.extend(u.to_be_bytes()),
            }
        }
        out
    }

    #[test]
    fn wide_encodings_decode_with_and_without_a_mark_and_are_named() {
        for encoding in [Wide::Utf16Le, Wide::Utf16Be, Wide::Utf32Le, Wide::Utf32Be] {
            for bom in [true, false] {
                let (text, warning) = decode(&encode(TEXT, encoding, bom));
                assert_eq!(text, TEXT, "{encoding:?} bom={bom}");
                let warning = warning.expect("a warning");
                assert_eq!(warning.code, "not_utf8");
                assert!(warning.message.contains(&format!("read as {}", encoding.name())), "{}", warning.message);
                assert!(!warning.message.contains("1252"), "{}", warning.message);
                assert_eq!(warning.message.contains("guessed"), !bom, "{}", warning.message);
            }
        }
    }

    #[test]
    fn utf8_and_windows_1252_are_unchanged() {
        assert_eq!(decode(TEXT.as_bytes()), (TEXT.to_string(), None));
        assert_eq!(decode(format!("\u{FEFF}{TEXT}").as_bytes()).0, TEXT);
        let (text, warning) = decode(b"M\xF8te i r\xE5det");
        assert_eq!(text, "Møte i rådet");
        assert!(warning.is_some_and(|w| w.message.ends_with("read as Windows-1252")));
        // A stray NUL does not make UTF-8 text wide.
        let with_nul = "Tiltak\0 1: forskning på helse\n";
        assert_eq!(decode(with_nul.as_bytes()), (with_nul.to_string(), None));
    }

    #[test]
    fn broken_wide_text_is_replaced_and_said() {
        let mut bytes = encode("Møte", Wide::Utf16Le, true);
        bytes.push(b'x');
        let (text, warning) = decode(&bytes);
        assert!(text.starts_with("Møte") && text.ends_with('\u{FFFD}'), "{text:?}");
        assert!(warning.is_some_and(|w| w.message.contains("U+FFFD")));
        let mut bytes = encode("Møte", Wide::Utf32Be, true);
        bytes.extend([0x7F, 0xFF, 0xFF, 0xFF]);
        assert!(decode(&bytes).0.ends_with('\u{FFFD}'));
    }
}
