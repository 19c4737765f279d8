//! The little CSS a page's text needs: bold, italic, font size, list
//! markers and hidden elements.
//!
//! Rules come from a built-in user-agent sheet ([`UA_SHEET`], the browser
//! defaults that matter here), presentational attributes (`<ol type="a">`),
//! the page's `<style>` elements and `style` attributes, in that order of
//! precedence; `!important` declarations win over normal ones. Parsing and
//! selector matching are `simplecss`'s (CSS 2.1 selectors: type, class, id,
//! attribute, descendant and child combinators). External style sheets are
//! not fetched. `@counter-style` rules (not read by `simplecss`) are read
//! here for their `system: extends`, `prefix`, `suffix` and `symbols`.
//!
//! Styles are computed once for every element, top-down, so the reader and
//! the furniture filter look them up by node id.

use std::collections::HashMap;
use std::sync::OnceLock;

use ego_tree::NodeId;
use scraper::{ElementRef, Html};

/// The browser defaults that change what text looks like or whether it shows.
const UA_SHEET: &str = "
h1 { font-size: 2em; font-weight: bold }
h2 { font-size: 1.5em; font-weight: bold }
h3 { font-size: 1.17em; font-weight: bold }
h4 { font-weight: bold }
h5 { font-size: 0.83em; font-weight: bold }
h6 { font-size: 0.67em; font-weight: bold }
b, strong, th { font-weight: bold }
i, em, cite, var, dfn, address { font-style: italic }
small, sub, sup { font-size: smaller }
big { font-size: larger }
ol { list-style-type: decimal }
ul, menu, dir { list-style-type: disc }
ol ul, ul ul, ol menu, ul menu { list-style-type: circle }
ol ol ul, ol ul ul, ul ol ul, ul ul ul { list-style-type: square }
head, script, style, template, title, meta, link, noscript, datalist, area, param { display: none }
";

/// Body text size when nothing sets one (16 px), in points.
pub const DEFAULT_FONT_SIZE: f32 = 12.0;

/// Most rules of a page considered; a page with more keeps its first ones.
const MAX_RULES: usize = 4000;

/// The computed style of one element, as far as text extraction needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct Style {
    pub bold: bool,
    pub italic: bool,
    /// In points.
    pub font_size: f32,
    /// `list-style-type` (inherited): a keyword, a counter style name, or a
    /// quoted marker string as written.
    pub list_style: String,
    /// `display` as declared for this element, if any.
    pub display: Option<String>,
    /// `display: none`, or `visibility: hidden` (inherited).
    pub hidden: bool,
    visibility_hidden: bool,
}

impl Default for Style {
    fn default() -> Style {
        Style {
            bold: false,
            italic: false,
            font_size: DEFAULT_FONT_SIZE,
            list_style: "disc".to_string(),
            display: None,
            hidden: false,
            visibility_hidden: false,
        }
    }
}

impl Style {
    /// The style a child starts from: the inherited properties only.
    fn inherit(&self) -> Style {
        Style { display: None, hidden: false, list_style: self.list_style.clone(), ..self.clone() }
    }
}

/// A list marker style from `@counter-style`.
#[derive(Debug, Clone, Default)]
pub struct CounterStyle {
    /// `system: extends NAME`, or `cyclic` with symbols.
    pub extends: Option<String>,
    pub prefix: Option<String>,
    pub suffix: Option<String>,
    pub symbols: Vec<String>,
}

/// Computed styles of a page's elements and its counter styles.
#[derive(Debug, Default)]
pub struct StyleSheet {
    styles: HashMap<NodeId, Style>,
    pub counter_styles: HashMap<String, CounterStyle>,
}

impl StyleSheet {
    /// Computes the style of every element of `page`.
    pub fn from_page(page: &Html) -> StyleSheet {
        let author_text: String = page
            .root_element()
            .descendants()
            .filter_map(ElementRef::wrap)
            .filter(|e| e.value().name() == "style")
            .map(|e| e.text().collect::<String>())
            .collect::<Vec<_>>()
            .join("\n");
        let ua = simplecss::StyleSheet::parse(UA_SHEET);
        let mut author = simplecss::StyleSheet::parse(&author_text);
        author.rules.retain(|r| r.declarations.iter().any(|d| is_relevant(d.name)));
        author.rules.truncate(MAX_RULES);
        // Rules apply by specificity, then source order (a stable sort).
        author.rules.sort_by_key(|r| r.selector.specificity());
        let mut sheet = StyleSheet { styles: HashMap::new(), counter_styles: counter_styles(&author_text) };
        let root = page.root_element();
        let mut stack: Vec<(ElementRef, Style)> = vec![(root, Style::default())];
        while let Some((el, parent)) = stack.pop() {
            let style = cascade(el, &parent, &ua, &author);
            for child in el.children().filter_map(ElementRef::wrap) {
                stack.push((child, style.clone()));
            }
            sheet.styles.insert(el.id(), style);
        }
        sheet
    }

    /// The computed style of an element (the default for an unknown node).
    pub fn get(&self, el: ElementRef) -> Style {
        self.styles.get(&el.id()).cloned().unwrap_or_default()
    }

    pub fn is_hidden(&self, el: ElementRef) -> bool {
        self.styles.get(&el.id()).is_some_and(|s| s.hidden)
    }
}

/// Properties this reader reads; rules with none of them are dropped early.
fn is_relevant(name: &str) -> bool {
    matches!(name, "font-weight" | "font-style" | "font-size" | "font" | "display" | "visibility" | "list-style-type" | "list-style")
}

fn cascade(el: ElementRef, parent: &Style, ua: &simplecss::StyleSheet, author: &simplecss::StyleSheet) -> Style {
    let mut style = parent.inherit();
    let node = Node(el);
    let mut important = Vec::new();
    for rule in ua.rules.iter().filter(|r| r.selector.matches(&node)) {
        for d in &rule.declarations {
            apply(&mut style, parent, d.name, d.value);
        }
    }
    presentational_hints(el, &mut style);
    for rule in author.rules.iter().filter(|r| r.selector.matches(&node)) {
        for d in &rule.declarations {
            if d.important {
                important.push((d.name, d.value));
            } else {
                apply(&mut style, parent, d.name, d.value);
            }
        }
    }
    if let Some(inline) = el.value().attr("style") {
        for d in simplecss::DeclarationTokenizer::from(inline) {
            if d.important {
                important.push((d.name, d.value));
            } else {
                apply(&mut style, parent, d.name, d.value);
            }
        }
    }
    for (name, value) in important {
        apply(&mut style, parent, name, value);
    }
    if el.value().attr("hidden").is_some() {
        style.hidden = true;
    }
    style.hidden |= style.visibility_hidden || style.display.as_deref() == Some("none");
    style
}

/// Attributes that act as CSS of the lowest author precedence.
fn presentational_hints(el: ElementRef, style: &mut Style) {
    let name = el.value().name();
    if matches!(name, "ol" | "ul" | "li") {
        if let Some(t) = el.value().attr("type") {
            let kind = match t.trim() {
                "1" => "decimal",
                "a" => "lower-alpha",
                "A" => "upper-alpha",
                "i" => "lower-roman",
                "I" => "upper-roman",
                other => match other.to_ascii_lowercase().as_str() {
                    "disc" => "disc",
                    "circle" => "circle",
                    "square" => "square",
                    "none" => "none",
                    _ => "",
                },
            };
            if !kind.is_empty() {
                style.list_style = kind.to_string();
            }
        }
    }
    if name == "font" {
        if let Some(size) = el.value().attr("size").and_then(|s| s.trim().parse::<i32>().ok()) {
            // <font size=1..7>, as browsers map them.
            const SIZES: [f32; 7] = [7.5, 10.0, 12.0, 13.5, 18.0, 24.0, 36.0];
            style.font_size = SIZES[(size.clamp(1, 7) - 1) as usize];
        }
    }
}

/// Applies one declaration.
fn apply(style: &mut Style, parent: &Style, name: &str, value: &str) {
    let v = value.trim().to_ascii_lowercase();
    match name {
        "font-weight" => {
            if let Some(b) = weight(&v, parent.bold) {
                style.bold = b;
            }
        }
        "font-style" => style.italic = v.starts_with("italic") || v.starts_with("oblique"),
        "font-size" => {
            if let Some(size) = font_size(&v, parent.font_size) {
                style.font_size = size;
            }
        }
        "font" => {
            // `font: [style] [weight] size[/line-height] family`
            let mut bold = false;
            let mut italic = false;
            for word in v.split_whitespace() {
                if word == "italic" || word == "oblique" {
                    italic = true;
                } else if weight(word, parent.bold) == Some(true) {
                    bold = true;
                } else if let Some(size) = font_size(word.split('/').next().unwrap_or(word), parent.font_size) {
                    style.font_size = size;
                    break;
                }
            }
            style.bold = bold;
            style.italic = italic;
        }
        "display" => style.display = Some(v),
        "visibility" => style.visibility_hidden = v == "hidden" || v == "collapse",
        "list-style-type" => style.list_style = value.trim().to_string(),
        "list-style" => {
            if let Some(kind) = list_style_shorthand(value.trim()) {
                style.list_style = kind;
            }
        }
        _ => {}
    }
}

fn weight(v: &str, parent_bold: bool) -> Option<bool> {
    match v {
        "bold" | "bolder" => Some(true),
        "normal" | "lighter" => Some(false),
        "inherit" => Some(parent_bold),
        n => n.parse::<f32>().ok().map(|w| w >= 600.0),
    }
}

/// A font size in points, from an absolute or relative CSS value.
fn font_size(v: &str, parent: f32) -> Option<f32> {
    let keyword = match v {
        "xx-small" => Some(7.0),
        "x-small" => Some(7.5),
        "small" => Some(10.0),
        "medium" => Some(12.0),
        "large" => Some(13.5),
        "x-large" => Some(18.0),
        "xx-large" => Some(24.0),
        "xxx-large" => Some(36.0),
        "smaller" => Some(parent / 1.2),
        "larger" => Some(parent * 1.2),
        "inherit" => Some(parent),
        _ => None,
    };
    if keyword.is_some() {
        return keyword;
    }
    let split = v.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))?;
    let (number, unit) = v.split_at(split);
    let n: f32 = number.parse().ok()?;
    let size = match unit {
        "pt" => n,
        "px" => n * 0.75,
        "em" => n * parent,
        "rem" => n * DEFAULT_FONT_SIZE,
        "%" => n / 100.0 * parent,
        "pc" => n * 12.0,
        "mm" => n * 72.0 / 25.4,
        "cm" => n * 72.0 / 2.54,
        "in" => n * 72.0,
        _ => return None,
    };
    (size.is_finite() && size > 0.0).then_some(size.min(500.0))
}

/// The marker type of a `list-style` shorthand: `none`, a quoted string, or
/// a type keyword (position and image words skipped).
fn list_style_shorthand(v: &str) -> Option<String> {
    if v.starts_with(['"', '\'']) {
        return Some(v.to_string());
    }
    v.split_whitespace().find(|w| !matches!(*w, "inside" | "outside" | "inherit" | "initial") && !w.starts_with("url(")).map(str::to_string)
}

/// `@counter-style NAME { ... }` rules.
fn counter_styles(css: &str) -> HashMap<String, CounterStyle> {
    static RULE: OnceLock<regex::Regex> = OnceLock::new();
    static QUOTED: OnceLock<regex::Regex> = OnceLock::new();
    let rule = RULE.get_or_init(|| regex::Regex::new(r"@counter-style\s+([A-Za-z0-9_-]+)\s*\{([^}]*)\}").expect("valid regex"));
    let quoted = QUOTED.get_or_init(|| regex::Regex::new(r#""([^"]*)"|'([^']*)'"#).expect("valid regex"));
    let mut out = HashMap::new();
    for c in rule.captures_iter(css) {
        let mut style = CounterStyle::default();
        for decl in c[2].split(';') {
            let Some((name, value)) = decl.split_once(':') else {
                continue;
            };
            let value = value.trim();
            let strings: Vec<String> = quoted.captures_iter(value).filter_map(|q| q.get(1).or(q.get(2)).map(|m| m.as_str().to_string())).collect();
            match name.trim() {
                "system" => {
                    let mut words = value.split_whitespace();
                    match words.next() {
                        Some("extends") => style.extends = words.next().map(str::to_string),
                        Some("cyclic") => style.extends = Some("cyclic".to_string()),
                        _ => {}
                    }
                }
                "prefix" => style.prefix = strings.into_iter().next(),
                "suffix" => style.suffix = strings.into_iter().next(),
                "symbols" => style.symbols = strings,
                _ => {}
            }
        }
        out.insert(c[1].to_string(), style);
    }
    out
}

/// An element as `simplecss` matches it.
struct Node<'a>(ElementRef<'a>);

impl simplecss::Element for Node<'_> {
    fn parent_element(&self) -> Option<Self> {
        self.0.parent().and_then(ElementRef::wrap).map(Node)
    }

    fn prev_sibling_element(&self) -> Option<Self> {
        self.0.prev_siblings().find_map(ElementRef::wrap).map(Node)
    }

    fn has_local_name(&self, name: &str) -> bool {
        self.0.value().name().eq_ignore_ascii_case(name)
    }

    fn attribute_matches(&self, local_name: &str, operator: simplecss::AttributeOperator) -> bool {
        self.0.value().attr(local_name).is_some_and(|v| operator.matches(v))
    }

    fn pseudo_class_matches(&self, class: simplecss::PseudoClass) -> bool {
        match class {
            simplecss::PseudoClass::FirstChild => self.prev_sibling_element().is_none(),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn style_of(html: &str, name: &str) -> Style {
        let page = Html::parse_document(html);
        let sheet = StyleSheet::from_page(&page);
        let el = page.root_element().descendants().filter_map(ElementRef::wrap).find(|e| e.value().name() == name).expect("element");
        sheet.get(el)
    }

    #[test]
    fn class_rules_and_inline_styles_apply() {
        let html = "<style>.s-goal { font-size:12pt; font-weight:bold } p { font-weight: normal }</style><p class=\"s-goal\" style=\"font-style:italic\">x</p>";
        let s = style_of(html, "p");
        assert!(s.bold && s.italic);
        assert_eq!(s.font_size, 12.0);
    }

    #[test]
    fn headings_are_bold_and_large_by_default() {
        let s = style_of("<h2>x</h2>", "h2");
        assert!(s.bold);
        assert_eq!(s.font_size, 18.0);
    }

    #[test]
    fn nested_page_rules_do_not_break_parsing() {
        let html = "<style>@page { size: A4; @bottom-right { content: counter(page); } } b { font-weight: normal } .x { display:none }</style><b>x</b><div class=\"x\">y</div>";
        assert!(!style_of(html, "b").bold);
        assert!(style_of(html, "div").hidden);
    }

    #[test]
    fn counter_styles_are_read() {
        let cs = counter_styles("@counter-style pref50 { system: extends decimal; prefix: \"1.\"; suffix: \". \"; }");
        let s = &cs["pref50"];
        assert_eq!(s.extends.as_deref(), Some("decimal"));
        assert_eq!(s.prefix.as_deref(), Some("1."));
        assert_eq!(s.suffix.as_deref(), Some(". "));
    }

    #[test]
    fn list_types_come_from_attributes_and_nesting() {
        assert_eq!(style_of("<ol type=\"a\"><li>x</li></ol>", "li").list_style, "lower-alpha");
        assert_eq!(style_of("<ul><li><ul><li>x</li></ul></li></ul>", "ul").list_style, "disc");
        let page = Html::parse_document("<ul><li><ul id=\"in\"><li>x</li></ul></li></ul>");
        let sheet = StyleSheet::from_page(&page);
        let inner = page.root_element().descendants().filter_map(ElementRef::wrap).find(|e| e.value().attr("id") == Some("in")).expect("inner");
        assert_eq!(sheet.get(inner).list_style, "circle");
    }
}
