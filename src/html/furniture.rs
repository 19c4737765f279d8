//! Page furniture, and where the main content is.
//!
//! A web page wraps its document in a site: skip links, a banner with the
//! site name, menus, breadcrumbs, cookie notices, share buttons, a footer
//! with addresses and "last updated" dates. None of it is the document. The
//! cues here are the ones HTML and ARIA give every site (`nav`, `header`
//! and `footer` of the page, `role="navigation"`, `aria-hidden`), class and
//! id words used across sites and frameworks (`breadcrumb`, `cookie`,
//! `share`, `sr-only`), and the phrases of page chrome in [`FURNITURE_LINES`]
//! — never one site's own class names.
//!
//! The main content is the page's `main` (or `role="main"`) element, else
//! its one dominant `article`, else the container holding most of the
//! page's non-link text ([`main_content`]).

use std::collections::HashMap;
use std::sync::OnceLock;

use ego_tree::NodeId;
use scraper::node::Node;
use scraper::ElementRef;

use super::css::StyleSheet;
use crate::model::Warning;

/// Elements that never hold document text.
const NON_CONTENT_TAGS: [&str; 22] = [
    "script", "style", "noscript", "template", "head", "title", "meta", "link", "nav", "iframe", "button", "select", "input", "textarea", "svg", "canvas",
    "object", "embed", "dialog", "audio", "video", "map",
];

/// ARIA roles of page chrome.
const FURNITURE_ROLES: [&str; 10] = ["navigation", "banner", "contentinfo", "search", "dialog", "alertdialog", "menubar", "menu", "toolbar", "tablist"];

/// Words in class or id names (whole `-`/`_`-separated parts) that sites and
/// frameworks use for chrome: breadcrumbs, cookie and consent notices, share
/// bars, skip links, text for screen readers only.
const FURNITURE_CLASS_WORDS: [&str; 12] =
    ["breadcrumb", "breadcrumbs", "cookie", "cookies", "consent", "gdpr", "share", "sharing", "skiplink", "skiplinks", "sr", "screenreader"];

/// Whole class or id names of the same kind that split into common words.
const FURNITURE_CLASS_NAMES: [&str; 6] = ["skip-link", "skip-to-content", "visually-hidden", "visuallyhidden", "screen-reader-text", "social-share"];

/// Words in `aria-label`s of breadcrumb trails and menus (bokmål, nynorsk, English).
const FURNITURE_LABEL_WORDS: [&str; 6] = ["brødsmule", "breadcrumb", "meny", "menu", "navigasjon", "navigation"];

/// Lines of page chrome, matched against a whole line (case-insensitive):
/// skip links, share and print buttons, "last updated"/"published" stamps,
/// back-to-top links.
const FURNITURE_LINES: [&str; 8] = [
    r"(hopp|gå|hopp direkte) til (hoved)?innhold(et)?|skip to (main )?content|til hovedinnhold",
    r"del( denne)?( siden| artikkelen| saken| på (facebook|twitter|x|linkedin|e-?post))?:?",
    r"(del|dele) på (facebook|twitter|x|linkedin|e-?post)( .*)?",
    r"(skriv ut|print)( siden| artikkelen)?|share( this page)?",
    r"(sist )?(oppdatert|endret|revidert|publisert)( dato)?:?\s*\d{1,2}[./ ].{0,30}",
    r"(sist )?(oppdatert|endret|revidert|publisert)( dato)?:?\s*\d{1,2}\.\s*\p{L}+\s+\d{4}.{0,20}",
    r"(til|tilbake til) toppen|back to top",
    r"(publisert|oppdatert|sist oppdatert):?\s*\d{4}-\d{2}-\d{2}.{0,20}",
];

/// Share of a candidate's non-link text a child needs to be taken as the
/// main content in its place.
const DOMINANT_SHARE: f64 = 0.8;

/// Link text share above which an `aside` is a link list, not content.
const LINK_LIST_SHARE: f64 = 0.5;

/// The part of the page to read, and a warning when it was guessed.
pub struct MainContent<'a> {
    pub element: ElementRef<'a>,
    pub warning: Option<Warning>,
}

/// Whether an element and everything in it is page furniture.
pub fn is_furniture(el: ElementRef, sheet: &StyleSheet) -> bool {
    let v = el.value();
    let name = v.name();
    if sheet.is_hidden(el) || NON_CONTENT_TAGS.contains(&name) || v.attr("aria-hidden") == Some("true") {
        return true;
    }
    if (name == "header" || name == "footer") && !in_section(el) {
        return true;
    }
    if let Some(role) = v.attr("role").map(str::to_ascii_lowercase) {
        if FURNITURE_ROLES.contains(&role.as_str()) {
            return true;
        }
    }
    if (name == "aside" || v.attr("role") == Some("complementary")) && link_share(el) > LINK_LIST_SHARE {
        return true;
    }
    if let Some(label) = v.attr("aria-label").map(str::to_lowercase) {
        if FURNITURE_LABEL_WORDS.iter().any(|w| label.contains(w)) && link_share(el) > LINK_LIST_SHARE {
            return true;
        }
    }
    let names = v.attr("class").into_iter().chain(v.attr("id")).flat_map(str::split_whitespace);
    for n in names {
        let n = n.to_ascii_lowercase();
        if FURNITURE_CLASS_NAMES.contains(&n.as_str()) || n.split(['-', '_']).any(|part| FURNITURE_CLASS_WORDS.contains(&part)) {
            return true;
        }
    }
    false
}

/// Whether a whole line of text is page chrome (see [`FURNITURE_LINES`]).
pub fn is_furniture_line(text: &str) -> bool {
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        let alternatives: Vec<String> = FURNITURE_LINES.iter().map(|p| format!("(?:{p})")).collect();
        regex::Regex::new(&format!(r"(?i)^\s*(?:{})\s*$", alternatives.join("|"))).expect("valid regex")
    });
    text.chars().count() <= 80 && re.is_match(text)
}

/// A `header` or `footer` inside sectioning content belongs to that section
/// (an article's title block); one of the page is the site's.
fn in_section(el: ElementRef) -> bool {
    el.ancestors()
        .filter_map(ElementRef::wrap)
        .any(|a| matches!(a.value().name(), "article" | "main" | "section" | "aside") || a.value().attr("role") == Some("main"))
}

/// Share of an element's text that is link text.
fn link_share(el: ElementRef) -> f64 {
    let (mut all, mut link) = (0usize, 0usize);
    for node in el.descendants() {
        if let Node::Text(t) = node.value() {
            let n = t.trim().chars().count();
            all += n;
            if node.ancestors().filter_map(ElementRef::wrap).take_while(|a| a.id() != el.id()).any(|a| a.value().name() == "a") {
                link += n;
            }
        }
    }
    if all == 0 {
        return 1.0;
    }
    link as f64 / all as f64
}

/// Finds the main content of a page.
pub fn main_content<'a>(root: ElementRef<'a>, sheet: &StyleSheet) -> MainContent<'a> {
    let lengths = content_lengths(root, sheet);
    let len = |e: &ElementRef| lengths.get(&e.id()).copied().unwrap_or(0);
    let visible = |e: &ElementRef| !e.ancestors().filter_map(ElementRef::wrap).chain([*e]).any(|a| sheet.is_hidden(a));
    let elements: Vec<ElementRef<'a>> = root.descendants().filter_map(ElementRef::wrap).collect();
    let mains: Vec<ElementRef<'a>> = elements
        .iter()
        .copied()
        .filter(|e| e.value().name() == "main" || e.value().attr("role").is_some_and(|r| r.eq_ignore_ascii_case("main")))
        .filter(visible)
        .collect();
    if let Some(best) = mains.iter().max_by_key(|e| len(e)).filter(|e| len(e) > 0) {
        return MainContent { element: *best, warning: None };
    }
    let articles: Vec<ElementRef<'a>> = elements.iter().copied().filter(|e| e.value().name() == "article").filter(visible).collect();
    let article_total: usize = articles.iter().filter(|a| !a.ancestors().filter_map(ElementRef::wrap).any(|p| p.value().name() == "article")).map(len).sum();
    if let Some(best) = articles.iter().max_by_key(|e| len(e)) {
        if len(best) > 0 && len(best) as f64 >= 0.5 * article_total as f64 {
            return MainContent { element: *best, warning: None };
        }
    }
    let body = elements.iter().copied().find(|e| e.value().name() == "body").unwrap_or(root);
    // Text density: go down into the one child that holds nearly all the
    // non-link text, as long as it also holds every top-level heading.
    let mut current = body;
    loop {
        let total = len(&current);
        if total == 0 {
            break;
        }
        let h1s = count_h1(current);
        let dominant = |c: &ElementRef| len(c) as f64 >= DOMINANT_SHARE * total as f64 && count_h1(*c) == h1s;
        // A layout table is entered cell-first: its dominant cell, or not at all.
        let next = current.children().filter_map(ElementRef::wrap).find_map(|c| match c.value().name() {
            "table" => table_cells(c).into_iter().find(|td| dominant(td)),
            name if is_container(name) && dominant(&c) => Some(c),
            _ => None,
        });
        match next {
            Some(c) => current = c,
            None => break,
        }
    }
    let warning = (current.id() != body.id()).then(|| {
        Warning::new(
            "html_main_by_density",
            format!("the page has no <main> or <article>; main content taken from the <{}> holding most of its text", current.value().name()),
            None,
        )
    });
    MainContent { element: current, warning }
}

/// Elements that only group others, which main-content search may enter.
fn is_container(name: &str) -> bool {
    matches!(name, "div" | "section" | "center" | "span" | "font" | "form")
}

/// The cells of a table's own rows (not of tables nested in them).
fn table_cells(table: ElementRef) -> Vec<ElementRef> {
    let rows = table.children().filter_map(ElementRef::wrap).flat_map(|g| match g.value().name() {
        "tr" => vec![g],
        "thead" | "tbody" | "tfoot" => g.children().filter_map(ElementRef::wrap).filter(|r| r.value().name() == "tr").collect(),
        _ => Vec::new(),
    });
    rows.flat_map(|r| r.children().filter_map(ElementRef::wrap).filter(|c| matches!(c.value().name(), "td" | "th")).collect::<Vec<_>>()).collect()
}

fn count_h1(el: ElementRef) -> usize {
    el.descendants().filter_map(ElementRef::wrap).filter(|e| e.value().name() == "h1").count()
}

/// Characters of non-link text under every element, furniture left out,
/// computed in one pass (post-order over the tree).
fn content_lengths(root: ElementRef, sheet: &StyleSheet) -> HashMap<NodeId, usize> {
    let mut out: HashMap<NodeId, usize> = HashMap::new();
    let mut stack: Vec<(ego_tree::NodeRef<Node>, bool, bool)> = vec![(*root, false, false)];
    // (node, children pushed, inside a link)
    while let Some((node, expanded, in_link)) = stack.pop() {
        match node.value() {
            Node::Text(t) if !in_link => {
                if let Some(parent) = node.parent() {
                    *out.entry(parent.id()).or_default() += t.trim().chars().count();
                }
            }
            Node::Element(_) => {
                let el = ElementRef::wrap(node).expect("element node");
                if !expanded {
                    if is_furniture(el, sheet) {
                        continue;
                    }
                    let link = in_link || el.value().name() == "a";
                    stack.push((node, true, in_link));
                    for child in node.children() {
                        stack.push((child, false, link));
                    }
                } else {
                    let own = out.get(&node.id()).copied().unwrap_or(0);
                    if let Some(parent) = node.parent() {
                        *out.entry(parent.id()).or_default() += own;
                    }
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chrome_lines_are_furniture() {
        for line in ["Sist oppdatert 13.06.2025", "Del siden", "Hopp til hovedinnhold", "Publisert 12. juni 2025", "Skriv ut", "Til toppen"] {
            assert!(is_furniture_line(line), "{line}");
        }
        for line in ["Referatet godkjennes.", "Del 2: Tiltak", "Oppdatert handlingsplan for forskning 2021-2025 vedtas.", "Publisert i tidsskrift"] {
            assert!(!is_furniture_line(line), "{line}");
        }
    }
}
