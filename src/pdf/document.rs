//! Loading a document and walking its pages.

use std::collections::{HashMap, HashSet};

use lopdf::xref::XrefRecovery;
use lopdf::{Dictionary, Document, LoadOptions, Object, ObjectId};

use super::geometry::Matrix;
use super::interp::{Interpreter, ResourceCache};
use super::objects::{as_dict, as_stream, get, get_dict, get_int, rect, resolve, text_string};
use super::spans::PageCollector;
use super::streams::{StreamError, StreamReader};
use super::warnings::Warnings;
use super::{structure, Limit, Limits, PdfDocument, PdfError, PdfPage};

/// Deepest page-tree nesting followed.
const MAX_TREE_DEPTH: usize = 256;
/// US Letter, the default when a page has no usable `/MediaBox`.
const DEFAULT_BOX: [f32; 4] = [0.0, 0.0, 612.0, 792.0];

/// A page with its inherited attributes resolved.
struct PageRef<'a> {
    id: ObjectId,
    dict: &'a Dictionary,
    resources: Option<&'a Dictionary>,
    /// The visible box: CropBox clipped to MediaBox.
    bbox: [f32; 4],
    rotate: i64,
}

/// Attributes a page inherits from its ancestors (PDF 32000-1 §7.7.3.4).
#[derive(Clone, Copy)]
struct Inherited<'a> {
    resources: Option<&'a Dictionary>,
    media_box: Option<[f32; 4]>,
    crop_box: Option<[f32; 4]>,
    rotate: Option<i64>,
}

pub(crate) fn extract(bytes: &[u8], limits: &Limits) -> Result<PdfDocument, PdfError> {
    let cut = truncation(bytes);
    let doc = match (load(bytes, limits), &cut) {
        (Ok(doc), _) => doc,
        (Err(PdfError::Corrupt(why)), Some(cut)) => return Err(PdfError::Truncated(format!("{cut}, and {why}"))),
        (Err(e), _) => return Err(e),
    };
    let mut warnings = Warnings::default();
    if let Some(cut) = &cut {
        warnings.push("truncated", format!("the file is truncated: {cut}; what followed the cut is missing"), None);
    }
    match doc.xref_recovery {
        None => {}
        Some(XrefRecovery::OffsetCorrected) => warnings.push(
            "xref_rebuilt",
            "startxref or /Prev points to the wrong offset; \
             a cross-reference section found nearby was used"
                .into(),
            None,
        ),
        // `Reconstructed`, and whatever later lopdf versions add.
        Some(_) => warnings.push(
            "xref_rebuilt",
            "the cross-reference table is damaged and was rebuilt by scanning the file; \
             objects may be missing or from an older revision"
                .into(),
            None,
        ),
    }
    let pages = match (collect_pages(&doc, limits, &mut warnings), &cut) {
        (Ok(pages), Some(cut)) if pages.is_empty() => return Err(PdfError::Truncated(format!("{cut}, and no page could be read"))),
        (Err(PdfError::Corrupt(why)), Some(cut)) => return Err(PdfError::Truncated(format!("{cut}, and {why}"))),
        (pages, _) => pages?,
    };
    let page_numbers: HashMap<ObjectId, u32> = pages.iter().enumerate().map(|(i, p)| (p.id, i as u32 + 1)).collect();

    let mut streams = StreamReader::new(limits.max_stream_bytes, limits.max_document_bytes);
    let mut cache = ResourceCache::default();
    let mut out_pages = Vec::with_capacity(pages.len());
    for (i, page) in pages.iter().enumerate() {
        let number = i as u32 + 1;
        out_pages.push(read_page(&doc, page, number, limits, &mut streams, &mut cache, &mut warnings));
        if streams.budget_exceeded {
            return Err(PdfError::Limit(
                Limit::DocumentBytes,
                format!("the document's streams inflate to more than {} bytes (reached on page {number})", limits.max_document_bytes),
            ));
        }
    }

    // A scan with junk after its %%EOF reads as cut short but is whole: only
    // when the cross-reference data was damaged too is "no text" the cut's doing.
    if let (Some(cut), Some(_)) = (&cut, doc.xref_recovery) {
        if out_pages.iter().all(|p| p.spans.is_empty()) {
            return Err(PdfError::Truncated(format!("{cut}, and no text could be read before the cut")));
        }
    }

    Ok(PdfDocument {
        pages: out_pages,
        warnings: warnings.into_vec(),
        info_title: info_title(&doc),
        structure: structure::read(&doc, &page_numbers, limits.max_objects),
    })
}

/// Parses the file, decrypting it when the empty user password opens it.
fn load(bytes: &[u8], limits: &Limits) -> Result<Document, PdfError> {
    let head = bytes.get(..bytes.len().min(1024)).unwrap_or(&[]);
    if !head.windows(4).any(|w| w == b"%PDF") {
        return Err(PdfError::NotPdf);
    }
    let options = LoadOptions { max_decompressed_size: Some(limits.max_stream_bytes), ..LoadOptions::default() };
    // lopdf parses every object up front, so `max_objects` is checked after
    // the fact; its xref reconstruction bounds the work by the file size.
    let mut doc = Document::load_mem_with_options(bytes, options).map_err(load_error)?;
    if doc.trailer.has(b"Encrypt") {
        // lopdf decrypts on load when the empty user password works; if the
        // /Encrypt entry is still there, it did not.
        if doc.is_encrypted() && doc.decrypt("").is_ok() {
            // Opened with the empty password after all.
        } else {
            return Err(PdfError::Encrypted);
        }
    }
    if doc.objects.len() > limits.max_objects {
        return Err(PdfError::Limit(Limit::Objects, format!("{} objects, more than the limit of {}", doc.objects.len(), limits.max_objects)));
    }
    Ok(doc)
}

/// How far from the end `%%EOF` may stand: PDF 32000-1 §7.5.5 puts it on the
/// last line; the implementation note of Annex H allows 1024 bytes of slack.
const EOF_WINDOW: usize = 1024;

/// Why the file looks cut short, if it does: no `%%EOF` near the end, or a
/// `startxref` offset past the end of the file.
fn truncation(bytes: &[u8]) -> Option<String> {
    let tail = bytes.get(bytes.len().saturating_sub(EOF_WINDOW)..)?;
    if find_last(tail, b"%%EOF").is_none() {
        return Some(format!("no %%EOF marker in its last {EOF_WINDOW} bytes ({} bytes in all)", bytes.len()));
    }
    let at = find_last(tail, b"startxref")?;
    let digits: String = tail
        .get(at + b"startxref".len()..)?
        .iter()
        .skip_while(|b| b.is_ascii_whitespace())
        .take_while(|b| b.is_ascii_digit())
        .map(|&b| char::from(b))
        .collect();
    let offset: u64 = digits.parse().ok()?;
    (offset >= bytes.len() as u64).then(|| format!("startxref points to byte {offset}, past the end of the file ({} bytes)", bytes.len()))
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

fn load_error(e: lopdf::Error) -> PdfError {
    use lopdf::Error as E;
    match e {
        E::Decompress(lopdf::DecompressError::MemoryLimitExceeded { limit }) => {
            PdfError::Limit(Limit::StreamBytes, format!("an object or cross-reference stream inflates beyond {limit} bytes"))
        }
        E::InvalidPassword | E::Decryption(_) => PdfError::Encrypted,
        E::Parse(lopdf::ParseError::InvalidFileHeader) => PdfError::NotPdf,
        E::Parse(p) => PdfError::Corrupt(format!("cannot read the cross-reference table or trailer ({p}); the file may be truncated")),
        E::Xref(x) => PdfError::Corrupt(format!("damaged cross-reference data ({x}) that could not be rebuilt")),
        other => PdfError::Corrupt(other.to_string()),
    }
}

fn info_title(doc: &Document) -> Option<String> {
    let info = doc.trailer.get(b"Info").ok().and_then(|o| resolve(doc, o)).and_then(as_dict)?;
    let Some(Object::String(bytes, _)) = get(doc, info, b"Title") else {
        return None;
    };
    let title = text_string(bytes);
    let title = title.trim();
    (!title.is_empty()).then(|| title.to_owned())
}

/// The pages in document order, cycle-safe, at most `limits.max_pages`.
fn collect_pages<'a>(doc: &'a Document, limits: &Limits, warnings: &mut Warnings) -> Result<Vec<PageRef<'a>>, PdfError> {
    let catalog = doc.catalog().map_err(|e| PdfError::Corrupt(format!("no document catalog (/Root): {e}")))?;
    let root =
        catalog.get(b"Pages").ok().and_then(|o| o.as_reference().ok()).ok_or_else(|| PdfError::Corrupt("the catalog has no page tree (/Pages)".into()))?;
    let mut walk = PageWalk { doc, pages: Vec::new(), visited: HashSet::new(), max_pages: limits.max_pages, truncated: false, cycle: false };
    let inherited = Inherited { resources: None, media_box: None, crop_box: None, rotate: None };
    walk.node(root, inherited, 0);
    if walk.cycle {
        warnings.push("page_tree_cycle", "the page tree refers back to itself; repeated nodes are skipped".into(), None);
    }
    if walk.truncated {
        warnings.push(
            "page_limit",
            format!("the document has more than {} pages; the rest are skipped (raise it with {})", limits.max_pages, Limit::Pages.flag()),
            None,
        );
    }
    Ok(walk.pages)
}

struct PageWalk<'a> {
    doc: &'a Document,
    pages: Vec<PageRef<'a>>,
    visited: HashSet<ObjectId>,
    max_pages: usize,
    truncated: bool,
    cycle: bool,
}

impl<'a> PageWalk<'a> {
    fn node(&mut self, id: ObjectId, inherited: Inherited<'a>, depth: usize) {
        if depth > MAX_TREE_DEPTH {
            return;
        }
        if !self.visited.insert(id) {
            self.cycle = true;
            return;
        }
        let doc = self.doc;
        let Some(dict) = doc.get_object(id).ok().and_then(as_dict) else {
            return;
        };
        let here = Inherited {
            resources: get_dict(doc, dict, b"Resources").or(inherited.resources),
            media_box: dict.get(b"MediaBox").ok().and_then(|o| rect(doc, o)).or(inherited.media_box),
            crop_box: dict.get(b"CropBox").ok().and_then(|o| rect(doc, o)).or(inherited.crop_box),
            rotate: get_int(doc, dict, b"Rotate").or(inherited.rotate),
        };
        let kids = match get(doc, dict, b"Kids") {
            Some(Object::Array(kids)) if dict.get(b"Type").ok().and_then(|t| t.as_name().ok()) != Some(b"Page") => kids,
            _ => {
                if self.pages.len() >= self.max_pages {
                    self.truncated = true;
                    return;
                }
                self.pages.push(page_ref(id, dict, here));
                return;
            }
        };
        for kid in kids {
            if self.truncated {
                return;
            }
            if let Ok(kid_id) = kid.as_reference() {
                self.node(kid_id, here, depth + 1);
            }
        }
    }
}

fn page_ref<'a>(id: ObjectId, dict: &'a Dictionary, inherited: Inherited<'a>) -> PageRef<'a> {
    let usable = |b: &[f32; 4]| b[2] - b[0] >= 1.0 && b[3] - b[1] >= 1.0;
    let media = inherited.media_box.filter(usable).unwrap_or(DEFAULT_BOX);
    let bbox = inherited.crop_box.map(|c| [c[0].max(media[0]), c[1].max(media[1]), c[2].min(media[2]), c[3].min(media[3])]).filter(usable).unwrap_or(media);
    let rotate = inherited.rotate.unwrap_or(0).rem_euclid(360) / 90 * 90;
    PageRef { id, dict, resources: inherited.resources, bbox, rotate }
}

fn read_page(
    doc: &Document,
    page: &PageRef<'_>,
    number: u32,
    limits: &Limits,
    streams: &mut StreamReader,
    cache: &mut ResourceCache,
    warnings: &mut Warnings,
) -> PdfPage {
    let [llx, lly, urx, ury] = page.bbox;
    let (mut width, mut height) = (urx - llx, ury - lly);
    if page.rotate % 180 == 90 {
        std::mem::swap(&mut width, &mut height);
    }
    let mut collector = PageCollector::new(width, height);

    // The content: one stream or an array of streams, run as one.
    let mut content = Vec::new();
    let mut errors = Vec::new();
    let parts: Vec<&Object> = match get(doc, page.dict, b"Contents") {
        Some(Object::Array(items)) => items.iter().collect(),
        Some(single) => vec![single],
        None => Vec::new(),
    };
    for part in parts {
        let Some(stream) = resolve(doc, part).and_then(as_stream) else {
            continue;
        };
        match streams.decode(stream) {
            Ok(data) => {
                content.extend_from_slice(&data);
                content.push(b'\n');
            }
            Err(e) => errors.push(e),
        }
    }

    let ctm = Matrix::page_device(page.bbox, page.rotate);
    let mut interp = Interpreter::new(doc, cache, streams, warnings, &mut collector, limits, number, ctm);
    for e in &errors {
        interp.stream_warning(e, "a content stream");
    }
    interp.run(&content, page.resources);
    let stats = std::mem::take(&mut interp.font_stats);
    let ink = interp.ink;
    drop(interp);
    collector.finish();

    let mut stats: Vec<_> = stats.into_values().collect();
    stats.sort_by(|a, b| a.name.cmp(&b.name));
    for s in stats {
        if let (Some(encoding), true) = (s.guessed_encoding, s.glyphs > 0) {
            warnings.push(
                "guessed_encoding",
                format!("font {} on page {number} has no Unicode mapping; its codes are read as {encoding} encoding", s.name),
                Some(number),
            );
        }
        if s.glyphs > 0 && s.undecodable * 2 > s.glyphs {
            warnings.push("undecodable_font", format!("text of font {} on page {number} is not decodable", s.name), Some(number));
        } else if s.unmapped > 0 {
            warnings.push(
                "unmapped_glyph",
                format!("{} glyphs of font {} on page {number} have no Unicode mapping (shown as U+FFFD)", s.unmapped, s.name),
                Some(number),
            );
        }
    }
    if collector.spans.is_empty() && !errors.contains(&StreamError::DocumentBudget) {
        warnings.push("no_text_layer", format!("page {number} has no text layer (scanned?)"), Some(number));
    }

    PdfPage { number, width, height, spans: collector.spans, shapes: collector.shapes, images: ink.images, painted_paths: ink.painted_paths }
}
