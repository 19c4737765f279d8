//! The HTML report: one self-contained page (inline CSS, no script, no
//! network) with the counts at the top and the two versions side by side,
//! section by section, every change highlighted.
//!
//! Every piece of document text goes through [`escape`]; on top of that the
//! page carries a Content-Security-Policy that forbids scripts and loads, so
//! a plan containing `<script>` shows it as text and nothing else.

use std::fmt::Write;

use super::{describe_side, flatten_sections, groups, Change, ChangeType, Comparison, DiffOp, Row};
use crate::model::{Measure, Section};

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
:root { --added: #e6ffec; --removed: #ffebe9; --ins: #abf2bc; --del: #ffcecb; --changed: #fff8c5; --line: #d0d7de; --muted: #57606a; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", sans-serif; margin: 0; color: #1f2328; background: #fff; }
header { padding: 16px 24px; border-bottom: 1px solid var(--line); background: #f6f8fa; }
h1 { font-size: 20px; margin: 0 0 8px; }
h2 { font-size: 15px; margin: 12px 0 4px; }
.sides { border-collapse: collapse; margin-bottom: 8px; }
.sides th { text-align: left; padding: 2px 12px 2px 0; color: var(--muted); font-weight: 600; }
.counts { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: 6px; }
.counts li { border: 1px solid var(--line); border-radius: 6px; padding: 2px 10px; background: #fff; }
.counts .n { font-weight: 700; font-size: 16px; margin-right: 4px; }
.counts li.added { background: var(--added); } .counts li.removed { background: var(--removed); }
.no-changes { font-weight: 700; color: #1a7f37; }
.notes { color: var(--muted); font-size: 13px; margin: 8px 0 0; }
.warning { border: 1px solid #cf222e; background: var(--del); padding: 6px 10px; margin: 8px 0 0; }
main { padding: 12px 24px 48px; }
table.diff { width: 100%; border-collapse: collapse; table-layout: fixed; }
table.diff > thead th { position: sticky; top: 0; background: #fff; border-bottom: 2px solid var(--line); text-align: left; padding: 6px 8px; }
table.diff td { vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--line); width: 50%; }
tr.section td { background: #f6f8fa; padding-top: 14px; font-size: 13px; }
tr.section .text::first-line { font-weight: 700; font-size: 15px; }
tr.section.level-2 .text::first-line, tr.section.level-3 .text::first-line { font-size: 14px; }
td.empty { background: repeating-linear-gradient(45deg, #fafbfc, #fafbfc 6px, #f3f4f6 6px, #f3f4f6 12px); }
tr.added td.new, tr.section.added td.new { background: var(--added); }
tr.removed td.old, tr.section.removed td.old { background: var(--removed); }
tr.changed td { background: var(--changed); }
tr.unchanged td { color: #424a53; }
.id { font-family: ui-monospace, "Liberation Mono", monospace; font-size: 12px; color: var(--muted); }
.text { white-space: pre-line; margin: 2px 0; }
.label { font-weight: 600; }
ul.indicators { margin: 4px 0; padding-left: 18px; font-size: 13px; }
.responsible { font-size: 13px; color: var(--muted); }
.responsible.changed-old { background: var(--del); } .responsible.changed-new { background: var(--ins); }
del { background: var(--del); text-decoration: line-through; }
ins { background: var(--ins); text-decoration: none; }
.badge { display: inline-block; font-size: 11px; font-weight: 600; border-radius: 10px; padding: 0 7px; margin: 0 4px 2px 0; border: 1px solid var(--line); background: #fff; }
.badge.added { border-color: #1a7f37; color: #1a7f37; } .badge.removed { border-color: #cf222e; color: #cf222e; }
.badge.reworded { border-color: #9a6700; color: #9a6700; } .badge.moved { border-color: #0969da; color: #0969da; }
.badge.renumbered { border-color: #8250df; color: #8250df; } .badge.responsible_changed, .badge.indicators_changed { border-color: #bf3989; color: #bf3989; }
"#;

/// Renders the page.
pub fn render(comparison: &Comparison) -> String {
    render_with_header(comparison, "")
}

/// Renders the page with `header_html` (markup of the caller's, placed as
/// is, so already escaped) at the top of the body: how `planparse serve`
/// puts its navigation above the report.
pub fn render_with_header(comparison: &Comparison, header_html: &str) -> String {
    let (old, new) = (&comparison.old, &comparison.new);
    let diff = &comparison.diff;
    let mut out = String::new();
    let title = format!("planparse diff: {} → {}", diff.old.file, diff.new.file);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"no\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{header_html}<header>\n<h1>{}</h1>\n",
        escape(&title),
        escape(&title)
    );
    let _ = writeln!(
        out,
        "<table class=\"sides\"><tr><th>Old</th><td id=\"old-side\">{}</td></tr><tr><th>New</th><td id=\"new-side\">{}</td></tr></table>",
        escape(&describe_side(&diff.old)),
        escape(&describe_side(&diff.new))
    );
    write_counts(&mut out, "Measures", "count-", &diff.summary.measures);
    write_counts(&mut out, "Sections", "count-section-", &diff.summary.sections);
    for warning in &diff.warnings {
        let _ = writeln!(out, "<p class=\"warning\" role=\"alert\">Warning: {}</p>", escape(warning));
    }
    if !diff.notes.is_empty() {
        let _ = writeln!(out, "<ul class=\"notes\">");
        for note in &diff.notes {
            let _ = writeln!(out, "<li>{}</li>", escape(note));
        }
        let _ = writeln!(out, "</ul>");
    }
    if diff.is_unchanged() {
        let _ = writeln!(out, "<p class=\"no-changes\" id=\"no-changes\">No changes: the two versions have the same sections and measures.</p>");
    }
    let _ = writeln!(out, "</header>\n<main>\n<table class=\"diff\">");
    let _ = writeln!(out, "<thead><tr><th>Old: {}</th><th>New: {}</th></tr></thead>\n<tbody>", escape(&diff.old.file), escape(&diff.new.file));

    let old_sections = flatten_sections(old);
    let new_sections = flatten_sections(new);
    for group in groups(comparison) {
        match group.section.map(|k| &comparison.sections[k]) {
            Some(row) => {
                let o = row.old.map(|i| old_sections[i].section);
                let n = row.new.map(|j| new_sections[j].section);
                let level = n.or(o).map_or(1, |s| s.level);
                write_row(&mut out, &format!("section level-{level}"), row, comparison, |side, changes| {
                    section_cell(if side == Side::Old { o } else { n }, side, changes)
                });
            }
            None => {
                let _ = writeln!(out, "<tr class=\"section\"><td>(measures outside any section)</td><td>(measures outside any section)</td></tr>");
            }
        }
        for &m in &group.measures {
            let row = &comparison.measures[m];
            let o = row.old.map(|i| &old.measures[i]);
            let n = row.new.map(|j| &new.measures[j]);
            write_row(&mut out, "measure", row, comparison, |side, changes| measure_cell(if side == Side::Old { o } else { n }, side, changes));
        }
    }
    let _ = writeln!(out, "</tbody>\n</table>\n</main>\n</body>\n</html>");
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Old,
    New,
}

fn write_counts(out: &mut String, heading: &str, id_prefix: &str, counts: &super::Counts) {
    let _ = writeln!(out, "<h2>{heading}</h2>\n<ul class=\"counts\">");
    for kind in ChangeType::ALL {
        let _ = writeln!(
            out,
            "<li class=\"{}\"><span class=\"n\" id=\"{id_prefix}{}\">{}</span>{}</li>",
            kind.as_str(),
            kind.as_str(),
            counts.get(kind),
            kind.describe()
        );
    }
    let _ = writeln!(out, "<li class=\"unchanged\"><span class=\"n\" id=\"{id_prefix}unchanged\">{}</span>unchanged</li>\n</ul>", counts.unchanged);
}

/// One table row; `cell` renders the inner HTML of one side given the row's changes.
fn write_row(out: &mut String, class: &str, row: &Row, comparison: &Comparison, cell: impl Fn(Side, &[&Change]) -> Option<String>) {
    let changes: Vec<&Change> = row.changes.iter().map(|&c| &comparison.diff.changes[c]).collect();
    let state = match (row.old, row.new) {
        (Some(_), None) => "removed",
        (None, Some(_)) => "added",
        _ if changes.is_empty() => "unchanged",
        _ => "changed",
    };
    let _ = write!(out, "<tr class=\"{class} {state}\">");
    for side in [Side::Old, Side::New] {
        match cell(side, &changes) {
            Some(html) => {
                let _ = write!(out, "<td class=\"{}\">{html}</td>", if side == Side::Old { "old" } else { "new" });
            }
            None => {
                let _ = write!(out, "<td class=\"{} empty\"></td>", if side == Side::Old { "old" } else { "new" });
            }
        }
    }
    let _ = writeln!(out, "</tr>");
}

/// Badges of the changes, shown on the new side (the old side for a removal).
fn badges(side: Side, changes: &[&Change]) -> String {
    let mut out = String::new();
    for c in changes {
        let shown_here = match c.kind {
            ChangeType::Removed => side == Side::Old,
            _ => side == Side::New,
        };
        if !shown_here {
            continue;
        }
        let detail = match c.kind {
            ChangeType::Reworded => c.similarity.map(|s| format!(" {s:.2}")).unwrap_or_default(),
            ChangeType::Moved => format!(" from {}", c.old_section.as_deref().unwrap_or("top level")),
            ChangeType::Renumbered => format!(" {} → {}", c.old_label.as_deref().unwrap_or(""), c.new_label.as_deref().unwrap_or("")),
            _ => String::new(),
        };
        let _ = write!(out, "<span class=\"badge {}\">{}{}</span>", c.kind.as_str(), c.kind.describe(), escape(&detail));
    }
    out
}

/// The text of a reworded item as one side of its word diff, or `None` when not reworded.
fn diff_text(side: Side, changes: &[&Change]) -> Option<String> {
    let spans = changes.iter().find(|c| c.kind == ChangeType::Reworded)?.text_diff.as_ref()?;
    let mut out = String::new();
    for s in spans {
        match (s.op, side) {
            (DiffOp::Equal, _) => out.push_str(&escape(&s.text)),
            (DiffOp::Delete, Side::Old) => {
                let _ = write!(out, "<del>{}</del>", escape(&s.text));
            }
            (DiffOp::Insert, Side::New) => {
                let _ = write!(out, "<ins>{}</ins>", escape(&s.text));
            }
            _ => {}
        }
    }
    Some(out)
}

fn section_cell(section: Option<&Section>, side: Side, changes: &[&Change]) -> Option<String> {
    let s = section?;
    Some(cell_head(&s.id, &super::section_lines(s), side, changes))
}

/// The id, the change badges and the text of an item (its side of the word diff when reworded).
fn cell_head(id: &str, lines: &[&str], side: Side, changes: &[&Change]) -> String {
    let text = diff_text(side, changes).unwrap_or_else(|| escape(&lines.join("\n")));
    format!("<div class=\"id\">{}</div>{}<div class=\"text\">{text}</div>", escape(id), badges(side, changes))
}

fn measure_cell(measure: Option<&Measure>, side: Side, changes: &[&Change]) -> Option<String> {
    let m = measure?;
    let mut out = cell_head(&m.id, &super::measure_lines(m), side, changes);
    let indicators = changes.iter().find(|c| c.kind == ChangeType::IndicatorsChanged);
    if !m.indicators.is_empty() {
        let _ = write!(out, "<ul class=\"indicators\">");
        for i in &m.indicators {
            let changed = indicators.is_some_and(|c| {
                let list = if side == Side::Old { &c.removed_indicators } else { &c.added_indicators };
                list.as_deref().unwrap_or_default().contains(i)
            });
            let _ = match (changed, side) {
                (true, Side::Old) => write!(out, "<li><del>{}</del></li>", escape(i)),
                (true, Side::New) => write!(out, "<li><ins>{}</ins></li>", escape(i)),
                _ => write!(out, "<li>{}</li>", escape(i)),
            };
        }
        let _ = write!(out, "</ul>");
    }
    if !m.responsible.is_empty() {
        let changed = changes.iter().any(|c| c.kind == ChangeType::ResponsibleChanged);
        let class = match (changed, side) {
            (true, Side::Old) => "responsible changed-old",
            (true, Side::New) => "responsible changed-new",
            _ => "responsible",
        };
        let _ = write!(out, "<div class=\"{class}\">Responsible: {}</div>", escape(&m.responsible.join("; ")));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escape_neutralises_markup() {
        assert_eq!(escape("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
        assert_eq!(escape(r#"a & "b" 'c'"#), "a &amp; &quot;b&quot; &#39;c&#39;");
    }
}
