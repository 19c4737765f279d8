//! Small, panic-free accessors over `lopdf` objects.
//!
//! Every accessor returns `None` on a wrong type or a dangling reference, so a
//! malformed file degrades to "missing" instead of an error.

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

/// Follows a chain of references (bounded by lopdf's dereference limit).
pub(crate) fn resolve<'a>(doc: &'a Document, obj: &'a Object) -> Option<&'a Object> {
    doc.dereference(obj).ok().map(|(_, o)| o)
}

/// `dict[key]`, dereferenced.
pub(crate) fn get<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    dict.get(key).ok().and_then(|o| resolve(doc, o))
}

pub(crate) fn get_dict<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Dictionary> {
    as_dict(get(doc, dict, key)?)
}

pub(crate) fn get_array<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a [Object]> {
    match get(doc, dict, key)? {
        Object::Array(a) => Some(a),
        _ => None,
    }
}

pub(crate) fn get_name<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a [u8]> {
    match get(doc, dict, key)? {
        Object::Name(n) => Some(n),
        _ => None,
    }
}

pub(crate) fn get_number(doc: &Document, dict: &Dictionary, key: &[u8]) -> Option<f32> {
    number(get(doc, dict, key)?)
}

pub(crate) fn get_int(doc: &Document, dict: &Dictionary, key: &[u8]) -> Option<i64> {
    match get(doc, dict, key)? {
        Object::Integer(i) => Some(*i),
        Object::Real(r) if r.is_finite() => Some(r.round() as i64),
        _ => None,
    }
}

/// The id of `dict[key]` when it is an indirect reference.
pub(crate) fn get_ref(dict: &Dictionary, key: &[u8]) -> Option<ObjectId> {
    dict.get(key).ok().and_then(|o| o.as_reference().ok())
}

/// A dictionary, or a stream's dictionary.
pub(crate) fn as_dict(obj: &Object) -> Option<&Dictionary> {
    match obj {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

pub(crate) fn as_stream(obj: &Object) -> Option<&Stream> {
    match obj {
        Object::Stream(s) => Some(s),
        _ => None,
    }
}

/// A finite number.
pub(crate) fn number(obj: &Object) -> Option<f32> {
    let v = match obj {
        Object::Integer(i) => *i as f32,
        Object::Real(r) => *r,
        _ => return None,
    };
    v.is_finite().then_some(v)
}

/// An array of numbers resolved one by one; `None` if any element is not a number.
pub(crate) fn numbers(doc: &Document, arr: &[Object]) -> Option<Vec<f32>> {
    arr.iter().map(|o| resolve(doc, o).and_then(number)).collect()
}

/// A rectangle `[x0 y0 x1 y1]`, normalized so that `x0 <= x1` and `y0 <= y1`.
pub(crate) fn rect(doc: &Document, obj: &Object) -> Option<[f32; 4]> {
    let Object::Array(arr) = resolve(doc, obj)? else {
        return None;
    };
    match numbers(doc, arr)?.as_slice() {
        [a, b, c, d, ..] => Some([a.min(*c), b.min(*d), a.max(*c), b.max(*d)]),
        _ => None,
    }
}

/// Decodes a PDF text string: UTF-16BE or UTF-8 with a byte-order mark, else PDFDocEncoding.
pub(crate) fn text_string(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = rest.chunks_exact(2).filter_map(|c| <[u8; 2]>::try_from(c).ok()).map(u16::from_be_bytes).collect();
        return char::decode_utf16(units).map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER)).collect();
    }
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8_lossy(rest).into_owned();
    }
    bytes.iter().filter_map(|&b| crate::pdf::font::encoding::pdf_doc_char(b)).collect()
}
