//! Web pages (`.html`, `.htm`) into the layout model.
//!
//! A saved web page states much of what a PDF makes us guess: headings
//! (`h1`..`h6`), paragraphs, lists and table cells. This module decodes the
//! bytes ([`decode`]), parses them with html5ever (through `scraper`, the
//! parser browsers' rules are written for), reads the page's own simple CSS
//! ([`css`]: bold, italic, font sizes, list markers, hidden elements), drops
//! the page furniture and finds the main content ([`furniture`]), and turns
//! what is left into a [`LayoutDocument`] of lines and tables
//! ([`body`]) shaped like the DOCX reader's: no pages and no coordinates,
//! `Line::font_size` in points from the CSS, `Line::heading` from the `h`
//! level, list items starting with their printed label (`"1. "`, `"a) "`,
//! `"• "`), table cells on a grid where a spanned cell is empty.
//!
//! Any input is safe to pass: html5ever accepts every byte string, element
//! nesting is capped while walking, and nothing here panics on malformed data.

mod body;
mod css;
mod furniture;

use encoding_rs::Encoding;
use regex::bytes::Regex as BytesRegex;
use scraper::{ElementRef, Html};
use std::sync::OnceLock;

use crate::layout::LayoutDocument;
use crate::model::{SourceFormat, Warning};

/// How many leading bytes are searched for a declared character encoding
/// (the HTML standard's prescan reads 1024; saved pages often carry long
/// heads, so more is read).
const CHARSET_PRESCAN_BYTES: usize = 4096;

/// How many leading characters must show HTML markup for a page to be read.
const SNIFF_CHARS: usize = 64 * 1024;

/// Deepest element nesting handed to the parser. html5ever checks its stack
/// of open elements for most tags, so deeper nesting costs quadratic time;
/// browsers cap the depth too (Blink at 512).
const MAX_PARSE_DEPTH: usize = 512;

/// Why a web page could not be read.
#[derive(Debug, thiserror::Error)]
pub enum HtmlError {
    #[error("not an HTML page: {0}")]
    NotHtml(String),
}

/// Reads a web page from bytes into the layout model.
///
/// Fails only when the bytes are not a web page (binary data, or text
/// without any HTML markup); a page without readable content gives an empty
/// document with a warning.
pub fn read(bytes: &[u8]) -> Result<LayoutDocument, HtmlError> {
    read_with(bytes, &crate::layout::Cues::NONE)
}

/// [`read`] with the vocabulary's cues (a table with a measure-table header
/// is never read as a page layout).
pub fn read_with(bytes: &[u8], cues: &crate::layout::Cues) -> Result<LayoutDocument, HtmlError> {
    let mut warnings = Vec::new();
    let text = decode(bytes, &mut warnings);
    check_markup(&text)?;
    let (text, flattened) = limit_nesting(&text);
    if flattened > 0 {
        warnings.push(Warning::new(
            "html_too_deep",
            format!("{flattened} tag(s) nested deeper than {MAX_PARSE_DEPTH} elements dropped (their text kept)"),
            None,
        ));
    }
    let page = Html::parse_document(&text);
    let sheet = css::StyleSheet::from_page(&page);
    let root = page.root_element();
    let main = furniture::main_content(root, &sheet);
    let mut reader = body::BodyReader::new(&sheet);
    let blocks = reader.read(main.element);
    warnings.extend(reader.warnings());
    if let Some(w) = main.warning {
        warnings.push(w);
    }
    let blocks = crate::docx::unwrap_layout_tables(blocks, &mut warnings, cues);
    if blocks.is_empty() {
        warnings.push(Warning::new("html_no_content", "the page has no readable text", None));
    }
    let declared_title = title(main.element, &page, &sheet, &mut warnings);
    Ok(LayoutDocument { format: SourceFormat::Html, pages: Vec::new(), blocks, warnings, declared_title, table_source: "html", heading_source: "html" })
}

/// Whether the bytes open as a web page: after a byte order mark, white
/// space and comments, a doctype or an `html` element. This is the content
/// cue format detection uses (a page named `.txt` is still a page).
pub fn sniff(bytes: &[u8]) -> bool {
    let mut rest = bytes;
    for (bom, utf16) in [(&b"\xFF\xFE"[..], encoding_rs::UTF_16LE), (b"\xFE\xFF", encoding_rs::UTF_16BE)] {
        if let Some(r) = rest.strip_prefix(bom) {
            // UTF-16 (a text file saved as "Unicode" has the same mark): the
            // markup is looked for in the decoded head.
            let (head, _) = utf16.decode_without_bom_handling(&r[..r.len() & !1]);
            return sniff(head.as_bytes());
        }
    }
    if let Some(r) = rest.strip_prefix(b"\xEF\xBB\xBF") {
        rest = r;
    }
    loop {
        let start = rest.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(rest.len());
        rest = &rest[start..];
        if rest.starts_with(b"<!--") {
            match rest.windows(3).position(|w| w == b"-->") {
                Some(end) => rest = &rest[end + 3..],
                None => return false,
            }
            continue;
        }
        break;
    }
    let head: Vec<u8> = rest.iter().take(14).map(u8::to_ascii_lowercase).collect();
    head.starts_with(b"<!doctype html") || head.starts_with(b"<html") && head.get(5).is_none_or(|b| !b.is_ascii_alphanumeric())
}

/// Decodes a page: a byte order mark first, then the charset the page
/// declares (`<meta charset>`, `http-equiv` or an XML declaration), else
/// UTF-8 when the bytes are valid UTF-8, else Windows-1252 (the legacy
/// encoding of Norwegian pages), with a warning.
fn decode(bytes: &[u8], warnings: &mut Vec<Warning>) -> String {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom..]);
        if had_errors {
            warnings.push(Warning::new("html_encoding", format!("bytes not valid {}; replaced", encoding.name()), None));
        }
        return text.into_owned();
    }
    let declared = declared_charset(bytes).map(|e| {
        // A page read as bytes cannot be UTF-16 without a BOM (the standard's rule).
        if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE {
            encoding_rs::UTF_8
        } else {
            e
        }
    });
    match declared {
        Some(encoding) => {
            let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
            if !had_errors {
                return text.into_owned();
            }
            if encoding == encoding_rs::UTF_8 {
                let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
                warnings.push(Warning::new("html_encoding", "the page declares UTF-8 but is not valid UTF-8; read as Windows-1252", None));
                return text.into_owned();
            }
            warnings.push(Warning::new("html_encoding", format!("bytes not valid {}; replaced", encoding.name()), None));
            text.into_owned()
        }
        None => match std::str::from_utf8(bytes) {
            Ok(s) => s.to_string(),
            Err(_) => {
                let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
                warnings.push(Warning::new("html_encoding", "the page declares no character encoding and is not valid UTF-8; read as Windows-1252", None));
                text.into_owned()
            }
        },
    }
}

/// The encoding a page declares near its start.
fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    static META: OnceLock<BytesRegex> = OnceLock::new();
    let re = META.get_or_init(|| {
        BytesRegex::new(r#"(?i)(?:<meta\b[^>]*?charset\s*=\s*["']?|<\?xml\b[^>]*?encoding\s*=\s*["'])\s*([a-z0-9_:.\-]+)"#).expect("valid regex")
    });
    let head = &bytes[..bytes.len().min(CHARSET_PRESCAN_BYTES)];
    re.captures_iter(head).find_map(|c| Encoding::for_label(c.get(1)?.as_bytes()))
}

/// Fails unless the text holds HTML markup: no NUL characters, and a
/// doctype, an `html`/`head`/`body`/`title` tag, or two or more (opening or
/// closing) tags of common body elements in the first [`SNIFF_CHARS`]
/// characters.
fn check_markup(text: &str) -> Result<(), HtmlError> {
    static DOCUMENT_TAG: OnceLock<regex::Regex> = OnceLock::new();
    static BODY_TAG: OnceLock<regex::Regex> = OnceLock::new();
    let head: String = text.chars().take(SNIFF_CHARS).collect();
    if head.contains('\0') {
        return Err(HtmlError::NotHtml("binary data (NUL bytes)".to_string()));
    }
    let document = DOCUMENT_TAG.get_or_init(|| regex::Regex::new(r"(?i)<!doctype\s+html|<(html|head|body|title)[\s>]").expect("valid regex"));
    if document.is_match(&head) {
        return Ok(());
    }
    let body = BODY_TAG
        .get_or_init(|| regex::Regex::new(r"(?i)</?(p|div|h[1-6]|table|tr|td|ul|ol|li|main|article|section|span|a|br)(\s[^>]*)?/?>").expect("valid regex"));
    if body.find_iter(&head).nth(1).is_some() {
        return Ok(());
    }
    Err(HtmlError::NotHtml("no HTML markup (doctype, <html>, <body> or body tags) found".to_string()))
}

/// Drops the tags that would nest elements deeper than [`MAX_PARSE_DEPTH`],
/// keeping their text; returns the text and how many tags were dropped.
///
/// Hand-written because no parser crate caps nesting: a linear scan over
/// tags that counts opening tags of elements that must be closed (void
/// elements, self-closing tags and those whose end tag is implied, like
/// `p` and `li`, do not count), skipping comments and raw-text elements.
fn limit_nesting(text: &str) -> (std::borrow::Cow<'_, str>, usize) {
    const NOT_NESTING: [&str; 26] = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "param", "p", "li", "dt", "dd", "tr", "td", "th",
        "option", "optgroup", "rb", "rt", "rp",
    ];
    const RAW_TEXT: [&str; 6] = ["script", "style", "textarea", "title", "xmp", "noscript"];
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut dropped = 0usize;
    let mut out = String::new();
    let mut copied = 0usize;
    let mut i = 0usize;
    let find = |from: usize, needle: &[u8]| {
        bytes.get(from..).and_then(|rest| rest.windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle))).map(|p| from + p)
    };
    while let Some(start) = bytes.get(i..).and_then(|rest| rest.iter().position(|&b| b == b'<')).map(|p| i + p) {
        if bytes[start..].starts_with(b"<!--") {
            i = find(start + 4, b"-->").map_or(bytes.len(), |e| e + 3);
            continue;
        }
        let close = bytes.get(start + 1) == Some(&b'/');
        let name_start = start + 1 + usize::from(close);
        let name_len = bytes[name_start.min(bytes.len())..].iter().take_while(|b| b.is_ascii_alphanumeric()).count();
        if name_len == 0 {
            i = start + 1;
            continue;
        }
        // The tag's end, past quoted attribute values.
        let mut end = name_start + name_len;
        let mut quote = None;
        while let Some(&b) = bytes.get(end) {
            match (quote, b) {
                (None, b'"' | b'\'') => quote = Some(b),
                (Some(q), b) if b == q => quote = None,
                (None, b'>') => break,
                _ => {}
            }
            end += 1;
        }
        if end >= bytes.len() {
            break;
        }
        let name = text[name_start..name_start + name_len].to_ascii_lowercase();
        i = end + 1;
        if !close && RAW_TEXT.contains(&name.as_str()) {
            i = find(i, format!("</{name}").as_bytes()).unwrap_or(bytes.len());
            continue;
        }
        if NOT_NESTING.contains(&name.as_str()) || !close && bytes[end - 1] == b'/' {
            continue;
        }
        if !close {
            depth += 1;
        }
        if depth > MAX_PARSE_DEPTH {
            out.push_str(&text[copied..start]);
            copied = end + 1;
            dropped += 1;
        }
        if close {
            depth = depth.saturating_sub(1);
        }
    }
    if dropped == 0 {
        return (std::borrow::Cow::Borrowed(text), 0);
    }
    out.push_str(&text[copied..]);
    (std::borrow::Cow::Owned(out), dropped)
}

/// The title the page gives: the main content's first `h1` (else its first
/// heading of any level); without one, the `<title>` with a trailing
/// ` - Site name` removed, and a warning that this is a guess.
fn title(main: ElementRef, page: &Html, sheet: &css::StyleSheet, warnings: &mut Vec<Warning>) -> Option<String> {
    let in_furniture = |e: &ElementRef| {
        std::iter::once(*e).chain(e.ancestors().filter_map(ElementRef::wrap).take_while(|a| a.id() != main.id())).any(|a| furniture::is_furniture(a, sheet))
    };
    let headings: Vec<ElementRef> = main.descendants().filter_map(ElementRef::wrap).filter(|e| body::heading_level(e).is_some() && !in_furniture(e)).collect();
    let first = headings.iter().find(|e| body::heading_level(e) == Some(1)).or(headings.first());
    if let Some(t) = first.map(|e| body::plain_text(*e)).filter(|t| !t.is_empty()) {
        return Some(t);
    }
    let head_title = page.root_element().descendants().filter_map(ElementRef::wrap).find(|e| e.value().name() == "title").map(|e| body::plain_text(e))?;
    let t = strip_site_name(&head_title);
    if t.is_empty() {
        return None;
    }
    warnings.push(Warning::new("html_title_from_head", format!("no heading in the main content; title taken from <title> ({head_title:?})"), None));
    Some(t)
}

/// A `<title>` without its trailing site name: the part before the last
/// ` - `, ` – `, ` — ` or ` | ` separator, when something is left before it.
fn strip_site_name(title: &str) -> String {
    let t = title.trim();
    let cut = [" - ", " – ", " — ", " | "].iter().filter_map(|sep| t.rfind(sep)).max();
    match cut {
        Some(i) if !t[..i].trim().is_empty() => t[..i].trim().to_string(),
        _ => t.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_doctype_and_html_element() {
        assert!(sniff(b"  <!DOCTYPE html>\n<html>"));
        assert!(sniff(b"<!-- saved -->\n<html lang=\"nb\">"));
        assert!(sniff(b"\xEF\xBB\xBF<html>"));
        assert!(!sniff(b"<htmlfoo>"));
        assert!(!sniff(b"Referat fra styrem\xC3\xB8te"));
        assert!(!sniff(b"%PDF-1.7"));
    }

    #[test]
    fn site_name_is_cut_from_the_title() {
        assert_eq!(strip_site_name("Referat fra møte 3. juni – NorSmerte"), "Referat fra møte 3. juni");
        assert_eq!(strip_site_name("Handlingsplan 2021-2025 | Sykehuset"), "Handlingsplan 2021-2025");
        assert_eq!(strip_site_name("Handlingsplan 2021-2025"), "Handlingsplan 2021-2025");
        assert_eq!(strip_site_name(" - Site"), "- Site");
    }

    #[test]
    fn deep_nesting_is_flattened_past_the_cap() {
        let deep = "<div>".repeat(600) + "x" + &"</div>".repeat(600);
        let (flat, dropped) = limit_nesting(&deep);
        assert_eq!(dropped, 2 * (600 - MAX_PARSE_DEPTH));
        assert!(flat.contains('x'));
        let page = "<p>a<p>b<ul><li>c<li>d</ul><script>if (a<b) {}</script><!-- <div> -->";
        assert_eq!(limit_nesting(page), (std::borrow::Cow::Borrowed(page), 0));
    }

    #[test]
    fn declared_charsets_are_found() {
        assert_eq!(declared_charset(b"<meta charset=\"windows-1252\">"), Some(encoding_rs::WINDOWS_1252));
        assert_eq!(declared_charset(b"<META http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\">"), Some(encoding_rs::WINDOWS_1252));
        assert_eq!(declared_charset(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"), Some(encoding_rs::UTF_8));
        assert_eq!(declared_charset(b"<p>no charset</p>"), None);
    }

    #[test]
    fn windows_1252_pages_decode() {
        let mut w = Vec::new();
        assert_eq!(decode(b"<meta charset=windows-1252><p>M\xF8te</p>", &mut w), "<meta charset=windows-1252><p>Møte</p>");
        assert!(w.is_empty());
        assert_eq!(decode(b"<p>M\xF8te</p>", &mut w), "<p>Møte</p>");
        assert_eq!(w.len(), 1);
    }
}
