//! `word/numbering.xml`: the labels Word prints before list paragraphs.
//!
//! A paragraph names a list instance (`w:numId`) and a level (`w:ilvl`). The
//! instance (`w:num`) points at an abstract definition (`w:abstractNum`) whose
//! levels (`w:lvl`) say the start value, the number format and the label
//! template (`%1.`, `%1%2`, `%1)`), and may override start values or whole
//! levels (`w:lvlOverride`).
//!
//! Counting follows Word: instances of one abstract definition share their
//! counters (a list split by other paragraphs continues), except an instance
//! that overrides a start value, which is a list of its own ("restart
//! numbering"). Using a level resets the levels below it.

use std::collections::HashMap;

use super::styles::{left_indent, StyleSheet};
use super::xml::{toggle, Element};

/// Levels per list, as in Word.
const LEVELS: usize = 9;

/// Longest `w:numStyleLink` chain followed.
const MAX_LINKS: usize = 4;

/// Counters beyond this print in decimal: letter labels repeat the letter
/// (`aa`, `aaa`), and a hostile start value must not make a huge string.
const MAX_LETTER_VALUE: i64 = 26 * 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Decimal,
    DecimalZero,
    LowerLetter,
    UpperLetter,
    LowerRoman,
    UpperRoman,
    Ordinal,
    DecimalParen,
    Circled,
    Bullet,
    None,
}

impl Format {
    fn parse(s: &str) -> Format {
        match s {
            "decimalZero" => Format::DecimalZero,
            "lowerLetter" => Format::LowerLetter,
            "upperLetter" => Format::UpperLetter,
            "lowerRoman" => Format::LowerRoman,
            "upperRoman" => Format::UpperRoman,
            "ordinal" => Format::Ordinal,
            "decimalEnclosedParen" => Format::DecimalParen,
            "decimalEnclosedCircle" => Format::Circled,
            "bullet" => Format::Bullet,
            "none" => Format::None,
            // `decimal` and the formats without a Norwegian rendering here
            // (`cardinalText`, `ordinalText`, East Asian counting systems).
            _ => Format::Decimal,
        }
    }
}

/// What follows the label (`w:suff`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Suffix {
    /// A tab or a space: the label and the text read as separate words.
    Space,
    Nothing,
}

#[derive(Debug, Clone)]
struct Level {
    start: i64,
    format: Format,
    /// `w:lvlText`; `None` when the level prints no label.
    text: Option<String>,
    /// `w:lvlRestart`: 1-based level whose use restarts this one (0 = never).
    restart: Option<i64>,
    /// `w:isLgl`: every number in the label in decimal.
    legal: bool,
    /// Twips.
    indent: Option<i64>,
    /// `w:pStyle`: the paragraph style tied to this level.
    style: Option<String>,
    suffix: Suffix,
}

impl Level {
    fn parse(el: &Element) -> Level {
        let ppr = el.child("w:pPr");
        Level {
            start: el.child_int("w:start").unwrap_or(1),
            format: el.child_val("w:numFmt").map(Format::parse).unwrap_or(Format::Decimal),
            text: el.child("w:lvlText").map(|t| t.val().unwrap_or_default().to_string()),
            restart: el.child_int("w:lvlRestart"),
            legal: el.child("w:isLgl").is_some_and(toggle),
            indent: ppr.and_then(left_indent),
            style: el.child_val("w:pStyle").map(str::to_string),
            suffix: match el.child_val("w:suff") {
                Some("nothing") => Suffix::Nothing,
                _ => Suffix::Space,
            },
        }
    }
}

type Levels = [Option<Level>; LEVELS];

fn parse_levels(parent: &Element) -> Levels {
    let mut levels: Levels = Default::default();
    for lvl in parent.children_named("w:lvl") {
        let i = lvl.attr("w:ilvl").and_then(super::xml::parse_int).unwrap_or(0);
        if let Some(slot) = usize::try_from(i).ok().and_then(|i| levels.get_mut(i)) {
            *slot = Some(Level::parse(lvl));
        }
    }
    levels
}

#[derive(Debug, Default)]
struct Abstract {
    levels: Levels,
    /// `w:numStyleLink`: the levels live in the list that a numbering style points at.
    style_link: Option<String>,
}

#[derive(Debug, Default)]
struct Instance {
    abstract_id: i64,
    /// `w:startOverride` per level.
    starts: [Option<i64>; LEVELS],
    /// Levels replaced wholesale by `w:lvlOverride/w:lvl`.
    levels: Levels,
}

impl Instance {
    fn restarts(&self) -> bool {
        self.starts.iter().any(Option::is_some)
    }
}

/// The list definitions of one document.
#[derive(Debug, Default)]
pub(crate) struct Numbering {
    instances: HashMap<i64, Instance>,
    abstracts: HashMap<i64, Abstract>,
}

/// A label as printed before a paragraph's text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Label {
    /// The label and its separator (`"1. "`, `"• "`, `"o "`); may be empty.
    pub text: String,
    pub bullet: bool,
    /// The level's left indent in twips.
    pub indent: Option<i64>,
}

/// Counters of the lists in use, keyed as Word shares them.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    lists: HashMap<ListKey, [Option<i64>; LEVELS]>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum ListKey {
    Abstract(i64),
    Instance(i64),
}

impl Numbering {
    /// Reads the `w:numbering` element.
    pub fn parse(root: &Element) -> Numbering {
        let mut out = Numbering::default();
        for el in root.children_named("w:abstractNum") {
            let Some(id) = el.attr("w:abstractNumId").and_then(super::xml::parse_int) else {
                continue;
            };
            let abs = Abstract { levels: parse_levels(el), style_link: el.child_val("w:numStyleLink").map(str::to_string) };
            out.abstracts.entry(id).or_insert(abs);
        }
        for el in root.children_named("w:num") {
            let Some(id) = el.attr("w:numId").and_then(super::xml::parse_int) else {
                continue;
            };
            let Some(abstract_id) = el.child_int("w:abstractNumId") else {
                continue;
            };
            let mut inst = Instance { abstract_id, ..Instance::default() };
            for ov in el.children_named("w:lvlOverride") {
                let i = ov.attr("w:ilvl").and_then(super::xml::parse_int).unwrap_or(0);
                let Some(i) = usize::try_from(i).ok().filter(|&i| i < LEVELS) else {
                    continue;
                };
                if let (Some(start), Some(slot)) = (ov.child_int("w:startOverride"), inst.starts.get_mut(i)) {
                    *slot = Some(start);
                }
                if let (Some(lvl), Some(slot)) = (ov.child("w:lvl"), inst.levels.get_mut(i)) {
                    *slot = Some(Level::parse(lvl));
                }
            }
            out.instances.entry(id).or_insert(inst);
        }
        out
    }

    /// Whether list instance `num_id` is defined.
    pub fn has(&self, num_id: i64) -> bool {
        self.instances.contains_key(&num_id)
    }

    /// The level that paragraph style `style` is tied to in list `num_id`.
    pub fn level_of_style(&self, num_id: i64, style: &str, styles: &StyleSheet) -> Option<u8> {
        let levels = self.abstract_levels(self.instances.get(&num_id)?.abstract_id, styles)?;
        let i = levels.iter().position(|l| l.as_ref().and_then(|l| l.style.as_deref()) == Some(style))?;
        u8::try_from(i).ok()
    }

    /// The label of the next paragraph of list `num_id` at `level`, advancing
    /// the counters. `None` when the list or level is not defined.
    pub fn next_label(&self, counters: &mut Counters, num_id: i64, level: u8, styles: &StyleSheet) -> Option<Label> {
        let inst = self.instances.get(&num_id)?;
        let base = self.abstract_levels(inst.abstract_id, styles);
        let level_def = |i: usize| -> Option<&Level> { inst.levels.get(i).and_then(Option::as_ref).or_else(|| base?.get(i)?.as_ref()) };
        let start_of = |i: usize| -> i64 { inst.starts.get(i).copied().flatten().or_else(|| level_def(i).map(|l| l.start)).unwrap_or(1) };
        let li = usize::from(level);
        let def = level_def(li)?;

        let key = if inst.restarts() { ListKey::Instance(num_id) } else { ListKey::Abstract(inst.abstract_id) };
        let values = counters.lists.entry(key).or_insert([None; LEVELS]);
        let current = match values.get(li).copied().flatten() {
            Some(v) => v.saturating_add(1),
            None => start_of(li),
        };
        if let Some(slot) = values.get_mut(li) {
            *slot = Some(current);
        }
        for deeper in li + 1..LEVELS {
            let restart = level_def(deeper).and_then(|l| l.restart);
            let resets = match restart {
                Some(0) => false,
                Some(r) => (li as i64) < r,
                None => true,
            };
            if resets {
                if let Some(slot) = values.get_mut(deeper) {
                    *slot = None;
                }
            }
        }
        let snapshot = *values;

        let template = def.text.as_deref().unwrap_or_default();
        let (text, bullet) = match def.format {
            Format::Bullet => (bullet_glyph(template).to_string(), !template.trim().is_empty()),
            Format::None => (String::new(), false),
            _ => {
                let value_at = |i: usize| -> String {
                    let Some(d) = level_def(i) else {
                        return String::new();
                    };
                    let v = snapshot.get(i).copied().flatten().unwrap_or_else(|| start_of(i));
                    let format = if def.legal { Format::Decimal } else { d.format };
                    format_number(v, format)
                };
                (expand(template, value_at), false)
            }
        };
        let text = match (text.is_empty(), def.suffix) {
            (true, _) => text,
            (false, Suffix::Space) => text + " ",
            (false, Suffix::Nothing) => text,
        };
        Some(Label { text, bullet, indent: def.indent })
    }

    /// Levels of abstract list `id`, following `w:numStyleLink` to the list a
    /// numbering style defines.
    fn abstract_levels(&self, id: i64, styles: &StyleSheet) -> Option<&Levels> {
        let mut abs = self.abstracts.get(&id)?;
        for _ in 0..MAX_LINKS {
            let Some(link) = abs.style_link.as_deref() else {
                break;
            };
            let linked = styles.paragraph(Some(link)).num.num_id.and_then(|n| self.instances.get(&n)).and_then(|inst| self.abstracts.get(&inst.abstract_id));
            match linked {
                Some(next) if !std::ptr::eq(next, abs) => abs = next,
                _ => break,
            }
        }
        Some(&abs.levels)
    }
}

/// `%1.%2` with each `%N` replaced by level N-1's value.
fn expand(template: &str, value_at: impl Fn(usize) -> String) -> String {
    let mut out = String::new();
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '%' {
            if let Some(d) = chars.peek().and_then(|d| d.to_digit(10)).filter(|d| (1..=9).contains(d)) {
                chars.next();
                out.push_str(&value_at(d as usize - 1));
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// Bullets print as `•`, except the hollow `o` (Courier New) that marks a
/// second level, which prints as itself.
fn bullet_glyph(template: &str) -> &'static str {
    match template.trim() {
        "" => "",
        "o" => "o",
        _ => "•",
    }
}

fn format_number(n: i64, format: Format) -> String {
    match format {
        Format::Decimal | Format::Bullet | Format::None => n.to_string(),
        Format::DecimalZero if (0..10).contains(&n) => format!("0{n}"),
        Format::DecimalZero => n.to_string(),
        Format::LowerLetter => letters(n).unwrap_or_else(|| n.to_string()),
        Format::UpperLetter => letters(n).map(|s| s.to_uppercase()).unwrap_or_else(|| n.to_string()),
        Format::LowerRoman => roman(n).map(|s| s.to_lowercase()).unwrap_or_else(|| n.to_string()),
        Format::UpperRoman => roman(n).unwrap_or_else(|| n.to_string()),
        Format::Ordinal => format!("{n}."),
        Format::DecimalParen => format!("({n})"),
        Format::Circled => u32::try_from(n)
            .ok()
            .filter(|n| (1..=20).contains(n))
            .and_then(|n| char::from_u32(0x2460 + n - 1))
            .map(String::from)
            .unwrap_or_else(|| n.to_string()),
    }
}

/// Word's letter numbering: a..z, then aa..zz, aaa...
fn letters(n: i64) -> Option<String> {
    if !(1..=MAX_LETTER_VALUE).contains(&n) {
        return None;
    }
    let letter = char::from(b'a' + ((n - 1) % 26) as u8);
    let repeat = ((n - 1) / 26 + 1) as usize;
    Some(std::iter::repeat_n(letter, repeat).collect())
}

pub(crate) use crate::text::roman;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_formats_print_as_word_does() {
        assert_eq!(format_number(4, Format::LowerRoman), "iv");
        assert_eq!(format_number(14, Format::UpperRoman), "XIV");
        assert_eq!(format_number(2, Format::LowerLetter), "b");
        assert_eq!(format_number(28, Format::LowerLetter), "bb");
        assert_eq!(format_number(3, Format::UpperLetter), "C");
        assert_eq!(format_number(7, Format::DecimalZero), "07");
        assert_eq!(format_number(0, Format::LowerRoman), "0");
        assert_eq!(format_number(i64::MAX, Format::LowerLetter), i64::MAX.to_string());
    }

    #[test]
    fn templates_refer_to_levels_by_one_based_number() {
        let values = ["1", "a", "iii"];
        let at = |i: usize| values.get(i).map(|s| s.to_string()).unwrap_or_default();
        assert_eq!(expand("%1.", at), "1.");
        assert_eq!(expand("%1%2", at), "1a");
        assert_eq!(expand("%1.%2.%3)", at), "1.a.iii)");
        assert_eq!(expand("100%", at), "100%");
    }
}
