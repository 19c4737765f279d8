//! A small element tree over `quick-xml`, with names keyed by namespace.
//!
//! Parts of a Word package are small enough (capped at [`super::MAX_PART_BYTES`])
//! to hold as a tree, and a tree lets the readers look ahead (a paragraph's
//! properties, a table's grid) without a state machine per element.
//!
//! Names are canonical: an element or attribute in the WordprocessingML
//! namespace is `w:p` / `w:val` whatever prefix the file bound to it, so a file
//! that writes `<ns0:p>` reads the same as Word's own. Names in namespaces this
//! reader has no use for keep only their local part behind `?:` (`?:txbx`), so
//! they can never be mistaken for a WordprocessingML name.

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

/// Deepest element nesting accepted; the readers recurse over the tree, and a
/// real document (tables in tables in text boxes) stays far below this.
pub(crate) const MAX_DEPTH: usize = 256;

/// Namespaces whose names the readers match, and the prefix each is known by.
const NAMESPACES: &[(&str, &str)] = &[
    ("http://schemas.openxmlformats.org/wordprocessingml/2006/main", "w"),
    ("http://purl.oclc.org/ooxml/wordprocessingml/main", "w"),
    ("http://schemas.openxmlformats.org/markup-compatibility/2006", "mc"),
    ("http://schemas.openxmlformats.org/officeDocument/2006/math", "m"),
    ("http://purl.oclc.org/ooxml/officeDocument/math", "m"),
    ("http://purl.org/dc/elements/1.1/", "dc"),
    ("http://schemas.openxmlformats.org/package/2006/relationships", "rel"),
];

/// One element: canonical name, attributes, children in document order.
#[derive(Debug, Default)]
pub(crate) struct Element {
    pub name: String,
    attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
}

#[derive(Debug)]
pub(crate) enum Node {
    Element(Element),
    Text(String),
}

impl Element {
    /// Child elements in order.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// The first child element called `name`.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.elements().find(|e| e.name == name)
    }

    /// Child elements called `name`.
    pub fn children_named<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s Element> {
        self.elements().filter(move |e| e.name == name)
    }

    /// The value of attribute `name` (canonical, e.g. `w:val`).
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// `w:val`, the attribute most WordprocessingML properties carry.
    pub fn val(&self) -> Option<&str> {
        self.attr("w:val")
    }

    /// `w:val` of child `name`.
    pub fn child_val(&self, name: &str) -> Option<&str> {
        self.child(name).and_then(Element::val)
    }

    /// `w:val` of child `name` as an integer.
    pub fn child_int(&self, name: &str) -> Option<i64> {
        self.child_val(name).and_then(parse_int)
    }

    /// Text directly inside this element.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for n in &self.children {
            if let Node::Text(t) = n {
                out.push_str(t);
            }
        }
        out
    }
}

/// A toggle property (`<w:b/>`, `<w:b w:val="0"/>`): present means on unless
/// its value says off.
pub(crate) fn toggle(el: &Element) -> bool {
    !matches!(el.val(), Some("0" | "false" | "off" | "none"))
}

/// An integer attribute value; Word writes some as decimals (`"240.0"`).
pub(crate) fn parse_int(s: &str) -> Option<i64> {
    let s = s.trim();
    s.parse::<i64>().ok().or_else(|| s.parse::<f64>().ok().filter(|f| f.is_finite() && f.abs() < 1e15).map(|f| f.round() as i64))
}

/// Why a part could not be parsed.
#[derive(Debug)]
pub(crate) struct XmlError(pub String);

/// A parsed part and what had to be guessed while decoding it.
pub(crate) struct Parsed {
    pub root: Element,
    /// The bytes were not UTF-8 (nor UTF-16) and were decoded lossily.
    pub lossy: bool,
}

/// Parses a whole part into a tree; the returned root is a synthetic element
/// holding the document element.
pub(crate) fn parse(bytes: Vec<u8>) -> Result<Parsed, XmlError> {
    let (text, lossy) = decode(bytes);
    let mut reader = NsReader::from_str(&text);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Element> = vec![Element::default()];
    loop {
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(e) => return Err(XmlError(format!("at byte {}: {e}", reader.buffer_position()))),
        };
        match event {
            Event::Start(start) => {
                if stack.len() > MAX_DEPTH {
                    return Err(XmlError(format!("elements nested deeper than {MAX_DEPTH}")));
                }
                stack.push(element(&reader, &start));
            }
            Event::Empty(start) => {
                let el = element(&reader, &start);
                push_child(&mut stack, Node::Element(el));
            }
            Event::End(_) => {
                if stack.len() < 2 {
                    return Err(XmlError("unbalanced end tag".into()));
                }
                if let Some(mut done) = stack.pop() {
                    // Growth leaves room for up to twice the children; a
                    // finished element gives it back (most hold one or two).
                    done.children.shrink_to_fit();
                    push_child(&mut stack, Node::Element(done));
                }
            }
            Event::Text(t) => {
                let s = match t.unescape() {
                    Ok(s) => s.into_owned(),
                    // An unknown entity: keep the raw text rather than lose it.
                    Err(_) => String::from_utf8_lossy(t.as_ref()).into_owned(),
                };
                push_child(&mut stack, Node::Text(s));
            }
            Event::CData(c) => {
                push_child(&mut stack, Node::Text(String::from_utf8_lossy(c.as_ref()).into_owned()));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if stack.len() != 1 {
        return Err(XmlError("unexpected end of XML (unclosed elements)".into()));
    }
    let mut root = stack.pop().unwrap_or_default();
    root.children.shrink_to_fit();
    Ok(Parsed { root, lossy })
}

fn push_child(stack: &mut [Element], node: Node) {
    if let Some(parent) = stack.last_mut() {
        parent.children.push(node);
    }
}

fn element(reader: &NsReader<&[u8]>, start: &BytesStart) -> Element {
    let (ns, local) = reader.resolve_element(start.name());
    let name = canonical(&ns, local.as_ref());
    let mut attrs = Vec::new();
    for attr in start.attributes().with_checks(false).flatten() {
        let (ans, local) = reader.resolve_attribute(attr.key);
        if attr.key.as_ref().starts_with(b"xmlns") {
            continue;
        }
        let key = canonical(&ans, local.as_ref());
        let value = match attr.decode_and_unescape_value(reader.decoder()) {
            Ok(v) => v.into_owned(),
            Err(_) => String::from_utf8_lossy(&attr.value).into_owned(),
        };
        attrs.push((key, value));
    }
    Element { name, attrs, children: Vec::new() }
}

fn canonical(ns: &ResolveResult, local: &[u8]) -> String {
    let local = String::from_utf8_lossy(local);
    match ns {
        ResolveResult::Bound(uri) => match NAMESPACES.iter().find(|(u, _)| u.as_bytes() == uri.as_ref()) {
            Some((_, prefix)) => format!("{prefix}:{local}"),
            None => format!("?:{local}"),
        },
        ResolveResult::Unbound => local.into_owned(),
        ResolveResult::Unknown(_) => format!("?:{local}"),
    }
}

/// Text of the part: UTF-8 (BOM stripped), UTF-16 by its BOM, else lossy
/// UTF-8. Takes the bytes so that the common case does not copy them.
fn decode(mut bytes: Vec<u8>) -> (String, bool) {
    match bytes.as_slice() {
        [0xEF, 0xBB, 0xBF, ..] => {
            bytes.drain(..3);
        }
        [0xFF, 0xFE, rest @ ..] => return (utf16(rest, u16::from_le_bytes), false),
        [0xFE, 0xFF, rest @ ..] => return (utf16(rest, u16::from_be_bytes), false),
        _ => {}
    }
    match String::from_utf8(bytes) {
        Ok(s) => (s, false),
        Err(e) => (String::from_utf8_lossy(e.as_bytes()).into_owned(), true),
    }
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> String {
    let units = bytes.chunks_exact(2).map(|c| unit([c[0], c[1]]));
    char::decode_utf16(units).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)).collect()
}
