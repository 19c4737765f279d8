//! `word/styles.xml`: what a paragraph or run inherits from its style.
//!
//! A style names a parent (`w:basedOn`); a property left unset in a style comes
//! from the nearest ancestor that sets it, then from the document defaults
//! (`w:docDefaults`). Chains are followed at most [`MAX_CHAIN`] steps, so a
//! cycle in a broken file ends instead of looping.

use std::collections::HashMap;

use super::xml::{toggle, Element};

/// Longest `basedOn` chain followed.
const MAX_CHAIN: usize = 32;

/// Character formatting the reader cares about. `None` means "not set here".
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct RunProps {
    pub bold: Option<bool>,
    pub italic: Option<bool>,
    /// Points (`w:sz` is in half-points).
    pub size: Option<f32>,
    /// Hidden text (`w:vanish`): not printed.
    pub hidden: Option<bool>,
}

impl RunProps {
    /// Reads a `w:rPr` element.
    pub fn parse(rpr: &Element) -> RunProps {
        RunProps {
            bold: rpr.child("w:b").map(toggle),
            italic: rpr.child("w:i").map(toggle),
            size: rpr.child_int("w:sz").filter(|&half| half > 0 && half < 10_000).map(|half| half as f32 / 2.0),
            hidden: rpr.child("w:vanish").map(toggle),
        }
    }

    /// Every property unset here taken from `fallback`.
    pub fn or(self, fallback: RunProps) -> RunProps {
        RunProps {
            bold: self.bold.or(fallback.bold),
            italic: self.italic.or(fallback.italic),
            size: self.size.or(fallback.size),
            hidden: self.hidden.or(fallback.hidden),
        }
    }
}

/// A paragraph's list membership (`w:numPr`), either part may be unset.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct NumRef {
    pub num_id: Option<i64>,
    pub level: Option<u8>,
}

impl NumRef {
    pub fn parse(num_pr: &Element) -> NumRef {
        NumRef { num_id: num_pr.child_int("w:numId"), level: num_pr.child_int("w:ilvl").and_then(|l| u8::try_from(l).ok()).filter(|&l| l < 9) }
    }

    pub fn or(self, fallback: NumRef) -> NumRef {
        NumRef { num_id: self.num_id.or(fallback.num_id), level: self.level.or(fallback.level) }
    }
}

/// The left indent (`w:ind w:left`, or `w:start` in newer files) in twips.
pub(crate) fn left_indent(ppr: &Element) -> Option<i64> {
    let ind = ppr.child("w:ind")?;
    ind.attr("w:left").or_else(|| ind.attr("w:start")).and_then(super::xml::parse_int)
}

/// An outline level (`w:outlineLvl`, 0-based; 9 is body text) as a heading
/// level: `Some(Some(n))` for a heading, `Some(None)` for explicit body text.
pub(crate) fn outline_heading(ppr: &Element) -> Option<Option<u8>> {
    let lvl = ppr.child_int("w:outlineLvl")?;
    Some(match lvl {
        0..=8 => Some(lvl as u8 + 1),
        _ => None,
    })
}

#[derive(Debug, Default)]
struct Style {
    name: String,
    based_on: Option<String>,
    /// From `w:outlineLvl` in the style's own `w:pPr`.
    outline: Option<Option<u8>>,
    num: NumRef,
    indent: Option<i64>,
    run: RunProps,
}

/// A paragraph style with its chain applied.
#[derive(Debug, Clone, Default)]
pub(crate) struct ParagraphStyle {
    pub id: Option<String>,
    pub heading: Option<u8>,
    pub num: NumRef,
    /// Twips.
    pub indent: Option<i64>,
    pub run: RunProps,
}

/// The styles of one document. An empty sheet (no `styles.xml`) still
/// recognises the built-in ids `Heading1`..`Heading9` and `Title`.
#[derive(Debug, Default)]
pub(crate) struct StyleSheet {
    styles: HashMap<String, Style>,
    default_paragraph: Option<String>,
    defaults: RunProps,
}

impl StyleSheet {
    /// Reads the `w:styles` element.
    pub fn parse(root: &Element) -> StyleSheet {
        let mut sheet = StyleSheet::default();
        if let Some(rpr) = root.child("w:docDefaults").and_then(|d| d.child("w:rPrDefault")).and_then(|d| d.child("w:rPr")) {
            sheet.defaults = RunProps::parse(rpr);
        }
        for el in root.children_named("w:style") {
            let Some(id) = el.attr("w:styleId") else {
                continue;
            };
            let ppr = el.child("w:pPr");
            let style = Style {
                name: el.child_val("w:name").unwrap_or_default().to_string(),
                based_on: el.child_val("w:basedOn").map(str::to_string),
                outline: ppr.and_then(outline_heading),
                num: ppr.and_then(|p| p.child("w:numPr")).map(NumRef::parse).unwrap_or_default(),
                indent: ppr.and_then(left_indent),
                run: el.child("w:rPr").map(RunProps::parse).unwrap_or_default(),
            };
            let is_paragraph = el.attr("w:type").is_none_or(|t| t == "paragraph");
            if is_paragraph && el.attr("w:default").is_some_and(|d| d == "1" || d == "true") {
                sheet.default_paragraph = Some(id.to_string());
            }
            sheet.styles.entry(id.to_string()).or_insert(style);
        }
        sheet
    }

    /// Run properties of character style `id` with its chain applied.
    pub fn character(&self, id: &str) -> RunProps {
        self.chain(id).fold(RunProps::default(), |acc, (_, s)| acc.or(s.run))
    }

    /// Paragraph style `id` (or the default paragraph style) with its chain
    /// applied; the run properties include the document defaults.
    pub fn paragraph(&self, id: Option<&str>) -> ParagraphStyle {
        let id = id.or(self.default_paragraph.as_deref());
        let mut out = ParagraphStyle { id: id.map(str::to_string), ..ParagraphStyle::default() };
        let Some(id) = id else {
            out.run = self.defaults;
            return out;
        };
        let mut heading: Option<Option<u8>> = None;
        for (sid, style) in self.chain(id) {
            out.run = out.run.or(style.run);
            out.num = out.num.or(style.num);
            out.indent = out.indent.or(style.indent);
            if heading.is_none() {
                heading = style.outline.or_else(|| builtin_heading(sid, &style.name).map(Some));
            }
        }
        out.heading = match heading {
            Some(h) => h,
            // A style id the sheet does not define still names a built-in.
            None if !self.styles.contains_key(id) => builtin_heading(id, ""),
            None => None,
        };
        out.run = out.run.or(self.defaults);
        out
    }

    /// Style ids and styles from `id` up its `basedOn` chain.
    fn chain<'s>(&'s self, id: &'s str) -> impl Iterator<Item = (&'s str, &'s Style)> + 's {
        let mut next = Some(id);
        let mut seen: Vec<&str> = Vec::new();
        std::iter::from_fn(move || {
            let id = next.take()?;
            if seen.len() >= MAX_CHAIN || seen.contains(&id) {
                return None;
            }
            seen.push(id);
            let style = self.styles.get(id)?;
            next = style.based_on.as_deref();
            Some((id, style))
        })
    }
}

/// The heading level a built-in style stands for, by id or by name:
/// `Heading2` / `heading 2` / `Overskrift2` / `Overskrift 2` → 2, `Title` → 1.
fn builtin_heading(id: &str, name: &str) -> Option<u8> {
    for candidate in [id, name] {
        let lower = candidate.to_lowercase();
        let compact: String = lower.chars().filter(|c| !c.is_whitespace()).collect();
        if compact == "title" || compact == "tittel" {
            return Some(1);
        }
        for prefix in ["heading", "overskrift"] {
            if let Some(rest) = compact.strip_prefix(prefix) {
                if let Ok(n @ 1..=9) = rest.parse::<u8>() {
                    return Some(n);
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::builtin_heading;

    #[test]
    fn built_in_heading_styles_by_id_and_name() {
        assert_eq!(builtin_heading("Heading1", ""), Some(1));
        assert_eq!(builtin_heading("Overskrift3", ""), Some(3));
        assert_eq!(builtin_heading("a1", "heading 2"), Some(2));
        assert_eq!(builtin_heading("Title", "Title"), Some(1));
        assert_eq!(builtin_heading("CPbody", "CP body"), None);
        assert_eq!(builtin_heading("Heading10", ""), None);
    }
}
