//! The zip container (Open Packaging Conventions): finding and inflating parts.
//!
//! Parts are found the way Word finds them, through relationships: the main
//! document is the `officeDocument` target of `_rels/.rels`, and its styles,
//! numbering and notes are targets of the main part's own `.rels`. The usual
//! names (`word/document.xml`, `word/styles.xml`...) are the fallback when a
//! relationship is missing. Part names compare case-insensitively, as OPC
//! requires.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use super::xml::{self, Element};
use super::DocxError;

/// An opened package.
pub(crate) struct Package<'b> {
    archive: zip::ZipArchive<Cursor<&'b [u8]>>,
    /// Lower-cased part name → index in the archive.
    index: HashMap<String, usize>,
    /// Largest inflated size of one part (`--max-docx-part-bytes`).
    max_part_bytes: u64,
}

/// Why one part could not be read.
#[derive(Debug)]
pub(crate) enum PartError {
    /// Inflating failed (bad CRC, unsupported method, truncated data).
    Unreadable(String),
    /// The part inflates past the limit (in bytes).
    TooLarge(u64),
}

impl std::fmt::Display for PartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PartError::Unreadable(cause) => f.write_str(cause),
            PartError::TooLarge(limit) => write!(f, "inflates past {} (raise the limit with --max-docx-part-bytes)", super::format_bytes(*limit)),
        }
    }
}

/// Relationship types (the end of the type URI) of the parts this reader uses.
pub(crate) mod rel {
    pub const OFFICE_DOCUMENT: &str = "/officeDocument";
    pub const CORE_PROPERTIES: &str = "/core-properties";
    pub const STYLES: &str = "/styles";
    pub const NUMBERING: &str = "/numbering";
    pub const FOOTNOTES: &str = "/footnotes";
    pub const ENDNOTES: &str = "/endnotes";
}

impl<'b> Package<'b> {
    pub fn open(bytes: &'b [u8], max_part_bytes: u64) -> Result<Package<'b>, DocxError> {
        if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
            return Err(DocxError::NotDocx("an OLE compound file (a legacy .doc, or an encrypted .docx), not a zip package".into()));
        }
        let archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| DocxError::NotDocx(format!("not a zip archive: {e}")))?;
        let index = archive
            .file_names()
            .filter_map(|name| {
                let i = archive.index_for_name(name)?;
                Some((normalize(name), i))
            })
            .collect();
        Ok(Package { archive, index, max_part_bytes })
    }

    pub fn contains(&self, name: &str) -> bool {
        self.index.contains_key(&normalize(name))
    }

    /// The inflated bytes of part `name`, `Ok(None)` when there is no such part.
    pub fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, PartError> {
        let Some(&i) = self.index.get(&normalize(name)) else {
            return Ok(None);
        };
        let file = self.archive.by_index(i).map_err(|e| PartError::Unreadable(e.to_string()))?;
        let mut out = Vec::new();
        // One byte past the cap tells a part at the cap from one beyond it.
        file.take(self.max_part_bytes.saturating_add(1)).read_to_end(&mut out).map_err(|e| PartError::Unreadable(e.to_string()))?;
        if out.len() as u64 > self.max_part_bytes {
            return Err(PartError::TooLarge(self.max_part_bytes));
        }
        Ok(Some(out))
    }

    /// Targets of the relationships of `source` (a part name, or `""` for the
    /// package), keyed by the end of their type URI. Missing or unreadable
    /// relationship parts give an empty map: every caller has a fallback name.
    pub fn relationships(&mut self, source: &str) -> HashMap<&'static str, String> {
        let (dir, file) = split(source);
        let rels_name = if dir.is_empty() { format!("_rels/{file}.rels") } else { format!("{dir}/_rels/{file}.rels") };
        let mut out = HashMap::new();
        let Ok(Some(bytes)) = self.read(&rels_name) else {
            return out;
        };
        let Ok(parsed) = xml::parse(bytes) else {
            return out;
        };
        let Some(root) = parsed.root.elements().next() else {
            return out;
        };
        for r in root.elements() {
            if r.attr("TargetMode") == Some("External") {
                continue;
            }
            let (Some(ty), Some(target)) = (r.attr("Type"), r.attr("Target")) else {
                continue;
            };
            for wanted in [rel::OFFICE_DOCUMENT, rel::CORE_PROPERTIES, rel::STYLES, rel::NUMBERING, rel::FOOTNOTES, rel::ENDNOTES] {
                if ty.ends_with(wanted) {
                    out.entry(wanted).or_insert_with(|| resolve(dir, target));
                }
            }
        }
        out
    }
}

/// The parsed root element of an XML part (the document element).
pub(crate) fn root(parsed: &xml::Parsed) -> Option<&Element> {
    parsed.root.elements().next()
}

/// A part name as stored in the index: no leading slash, lower case.
fn normalize(name: &str) -> String {
    name.trim_start_matches('/').replace('\\', "/").to_lowercase()
}

fn split(name: &str) -> (&str, &str) {
    name.rsplit_once('/').unwrap_or(("", name))
}

/// A relationship target relative to the directory of its source part.
fn resolve(dir: &str, target: &str) -> String {
    let mut parts: Vec<&str> = if target.starts_with('/') { Vec::new() } else { dir.split('/').filter(|s| !s.is_empty()).collect() };
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::resolve;

    #[test]
    fn targets_resolve_against_the_source_directory() {
        assert_eq!(resolve("", "word/document.xml"), "word/document.xml");
        assert_eq!(resolve("word", "numbering.xml"), "word/numbering.xml");
        assert_eq!(resolve("word", "/word/styles.xml"), "word/styles.xml");
        assert_eq!(resolve("word", "../docProps/core.xml"), "docProps/core.xml");
    }
}
