//! The terminal report: counts at the top, then the changes grouped by section.
//!
//! With `color`, ANSI colours mark the change types and the word diff
//! (deleted words red and struck through, inserted words green); without it
//! the word diff uses git's `[-deleted-]{+inserted+}` markers, so the report
//! reads the same in a file or a pipe.

use std::fmt::Write;

use super::{describe_counts, describe_side, groups, measure_lines, Change, ChangeType, Comparison, DiffOp, TextSpan};

/// Longest excerpt of an added or removed measure's text, in characters.
const EXCERPT_CHARS: usize = 160;

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";
const BLUE: &str = "\x1b[34m";
const MAGENTA: &str = "\x1b[35m";
const CYAN: &str = "\x1b[36m";
const STRIKE_RED: &str = "\x1b[9;31m";
const UNDERLINE_GREEN: &str = "\x1b[4;32m";

struct Style {
    color: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("{code}{text}{RESET}")
        } else {
            text.to_string()
        }
    }

    fn marker(&self, kind: ChangeType) -> String {
        let (sign, code) = match kind {
            ChangeType::Added => ("+", GREEN),
            ChangeType::Removed => ("-", RED),
            ChangeType::Reworded => ("~", YELLOW),
            ChangeType::Moved => (">", CYAN),
            ChangeType::Renumbered => ("#", BLUE),
            ChangeType::ResponsibleChanged => ("@", MAGENTA),
            ChangeType::IndicatorsChanged => ("*", MAGENTA),
        };
        self.paint(code, &format!("{sign} {:<19}", kind.describe()))
    }

    fn word_diff(&self, spans: &[TextSpan]) -> String {
        let last = spans.len().saturating_sub(1);
        spans
            .iter()
            .enumerate()
            .map(|(k, s)| match (s.op, self.color) {
                (DiffOp::Equal, _) => context(&s.text, k > 0, k < last),
                (DiffOp::Delete, true) => self.paint(STRIKE_RED, &s.text),
                (DiffOp::Insert, true) => self.paint(UNDERLINE_GREEN, &s.text),
                (DiffOp::Delete, false) => format!("[-{}-]", s.text),
                (DiffOp::Insert, false) => format!("{{+{}+}}", s.text),
            })
            .collect()
    }
}

/// Words of unchanged text kept on each side of a change in a word diff.
const CONTEXT_WORDS: usize = 8;

/// An unchanged run of a word diff cut to the words next to the changes:
/// the first words when a change precedes it (`after_change`), the last
/// words when one follows (`before_change`).
fn context(text: &str, after_change: bool, before_change: bool) -> String {
    let words: Vec<&str> = text.split_inclusive(char::is_whitespace).collect();
    let keep_head = if after_change { CONTEXT_WORDS } else { 0 };
    let keep_tail = if before_change { CONTEXT_WORDS } else { 0 };
    if words.len() <= keep_head + keep_tail + 1 {
        return text.to_string();
    }
    let head: String = words[..keep_head].concat();
    let tail: String = words[words.len() - keep_tail..].concat();
    format!("{head}… {tail}")
}

fn excerpt(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= EXCERPT_CHARS {
        text
    } else {
        format!("{}…", text.chars().take(EXCERPT_CHARS).collect::<String>())
    }
}

fn ids(c: &Change) -> String {
    match (&c.old_id, &c.new_id) {
        (Some(a), Some(b)) if a != b => format!("{a} → {b}"),
        (Some(a), _) => a.clone(),
        (None, Some(b)) => b.clone(),
        (None, None) => String::new(),
    }
}

/// One change as report lines (each ending in a newline), indented by `indent`.
fn write_change(out: &mut String, style: &Style, c: &Change, text: Option<String>, indent: &str) {
    let _ = write!(out, "{indent}{} {}", style.marker(c.kind), ids(c));
    let detail_indent = " ".repeat(indent.chars().count() + 6);
    match c.kind {
        ChangeType::Added | ChangeType::Removed => {
            let _ = writeln!(out);
            if let Some(text) = text.filter(|t| !t.is_empty()) {
                let _ = writeln!(out, "{detail_indent}{}", excerpt(&text));
            }
        }
        ChangeType::Reworded => {
            let _ = writeln!(out, " (similarity {:.2})", c.similarity.unwrap_or(0.0));
            let diff = style.word_diff(c.text_diff.as_deref().unwrap_or_default());
            for line in diff.lines() {
                let _ = writeln!(out, "{detail_indent}{line}");
            }
        }
        ChangeType::Moved => {
            let from = c.old_section.as_deref().unwrap_or("top level");
            let to = c.new_section.as_deref().unwrap_or("top level");
            let _ = writeln!(out, " (from section {from} to {to})");
        }
        ChangeType::Renumbered => {
            let _ = writeln!(out, " ({} → {})", c.old_label.as_deref().unwrap_or(""), c.new_label.as_deref().unwrap_or(""));
        }
        ChangeType::ResponsibleChanged => {
            let _ = writeln!(out);
            let list = |v: &Option<Vec<String>>| v.as_deref().unwrap_or_default().join("; ");
            let _ = writeln!(out, "{detail_indent}{}", style.paint(RED, &format!("was: {}", list(&c.old_responsible))));
            let _ = writeln!(out, "{detail_indent}{}", style.paint(GREEN, &format!("now: {}", list(&c.new_responsible))));
        }
        ChangeType::IndicatorsChanged => {
            let _ = writeln!(out);
            for i in c.removed_indicators.as_deref().unwrap_or_default() {
                let _ = writeln!(out, "{detail_indent}{}", style.paint(RED, &format!("- {}", excerpt(i))));
            }
            for i in c.added_indicators.as_deref().unwrap_or_default() {
                let _ = writeln!(out, "{detail_indent}{}", style.paint(GREEN, &format!("+ {}", excerpt(i))));
            }
        }
    }
}

/// Renders the report. Sections without any change are left out.
pub fn render(comparison: &Comparison, color: bool) -> String {
    let (old, new) = (&comparison.old, &comparison.new);
    let style = Style { color };
    let diff = &comparison.diff;
    let mut out = String::new();
    let _ = writeln!(out, "{} {}", style.paint(BOLD, "old:"), describe_side(&diff.old));
    let _ = writeln!(out, "{} {}", style.paint(BOLD, "new:"), describe_side(&diff.new));
    let _ = writeln!(out, "{} {}", style.paint(BOLD, "measures:"), describe_counts(&diff.summary.measures));
    let _ = writeln!(out, "{} {}", style.paint(BOLD, "sections:"), describe_counts(&diff.summary.sections));
    for warning in &diff.warnings {
        let _ = writeln!(out, "{} {warning}", style.paint(RED, "warning:"));
    }
    for note in &diff.notes {
        let _ = writeln!(out, "{} {note}", style.paint(BOLD, "note:"));
    }
    if diff.is_unchanged() {
        let _ = writeln!(out, "\nNo changes: the two versions have the same sections and measures.");
        return out;
    }
    let old_sections = super::flatten_sections(old);
    let new_sections = super::flatten_sections(new);
    for group in groups(comparison) {
        if group.is_unchanged(comparison) {
            continue;
        }
        let _ = writeln!(out);
        let heading = match group.section.map(|k| &comparison.sections[k]) {
            Some(row) => {
                let s = row.new.map(|j| new_sections[j].section).or(row.old.map(|i| old_sections[i].section));
                s.map(|s| match &s.number {
                    Some(n) if !s.title.starts_with(n.as_str()) => format!("{n} {}", s.title),
                    _ => s.title.clone(),
                })
                .unwrap_or_default()
            }
            None => "(measures outside any section)".to_string(),
        };
        let _ = writeln!(out, "{}", style.paint(BOLD, &excerpt(&heading)));
        if let Some(row) = group.section.map(|k| &comparison.sections[k]) {
            for &c in &row.changes {
                write_change(&mut out, &style, &diff.changes[c], None, "  section ");
            }
        }
        for &m in &group.measures {
            let row = &comparison.measures[m];
            for &c in &row.changes {
                let change = &diff.changes[c];
                let text = match change.kind {
                    ChangeType::Added => row.new.map(|j| measure_lines(&new.measures[j]).join(" ")),
                    ChangeType::Removed => row.old.map(|i| measure_lines(&old.measures[i]).join(" ")),
                    _ => None,
                };
                write_change(&mut out, &style, change, text, "  ");
            }
        }
    }
    out
}
