//! Tables in text input printed as aligned columns (`pdftotext -layout` and
//! similar exports): a header line names the columns at wide gaps, and the
//! body lines below put each cell's text at (about) its column's start.
//!
//! Columns start where the header cells start. A body line is cut at those
//! starts: at a gap of two or more spaces near the start, else at the word
//! start nearest to it (a cell that ran up to the next column leaves only one
//! space). A row starts on a line whose code cell is filled, or whose measure
//! cell starts a new sentence while another cell starts too. A second header
//! line of timeline labels (`2025 2026 2027` under `Gjennomføring`) makes
//! timeline columns; marks under them are mapped by their own positions,
//! which the export spaces differently from the labels. A page break inside
//! the table (blank lines, furniture, the header printed again) continues it.
//!
//! Columns count in characters; lines keep no coordinates.

use super::{Cell, Line, Row, Table, TableOrigin};

/// What a header cell names, as far as cutting rows needs to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderCell {
    /// The measure column (`Tiltak`, `Kva`).
    Measure,
    /// A number column (`Nr.`): a filled cell starts a row.
    Code,
    /// Any other column the vocabulary names.
    Other,
}

/// Word cues from the vocabulary, passed in by the caller.
#[derive(Debug, Clone, Copy)]
pub struct TextTableCues {
    /// What a cell of a header line names, if it names a measure-table column.
    pub header_cell: fn(&str) -> Option<HeaderCell>,
    /// A timeline label (`2026`, `K3`).
    pub timeline_label: fn(&str) -> bool,
    /// A mark in a timeline cell (`X`).
    pub timeline_mark: fn(&str) -> bool,
    /// A goal row printed across the table (`Mål 1: …`).
    pub goal_row: fn(&str) -> bool,
}

/// How far (characters) a cell's text may start left of its column's header.
const LEFT_SLACK: usize = 6;

/// A table found in text lines `start..end`.
pub struct TextTable {
    pub start: usize,
    pub end: usize,
    pub table: Table,
}

/// Pieces of a line at runs of two or more spaces: (start column, text).
fn chunks(raw: &str) -> Vec<(usize, String)> {
    let chars: Vec<char> = raw.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        while i < chars.len() && chars[i] == ' ' {
            i += 1;
        }
        if i >= chars.len() {
            break;
        }
        let start = i;
        let mut end = i;
        while end < chars.len() {
            if chars[end] == ' ' && chars.get(end + 1).is_none_or(|c| *c == ' ') {
                break;
            }
            end += 1;
        }
        out.push((start, chars[start..end].iter().collect::<String>().trim().to_string()));
        i = end;
    }
    out
}

/// The header's columns: (start, header text), if the line is a header.
fn header_columns(raw: &str, cues: &TextTableCues) -> Option<Vec<(usize, String)>> {
    let cs = chunks(raw);
    if cs.len() < 2 || cs.iter().any(|(_, t)| t.split_whitespace().count() > 4) {
        return None;
    }
    let roles: Vec<Option<HeaderCell>> = cs.iter().map(|(_, t)| (cues.header_cell)(t)).collect();
    let known = roles.iter().filter(|r| r.is_some()).count();
    (known >= 2 && known * 2 > cs.len() && roles.contains(&Some(HeaderCell::Measure))).then_some(cs)
}

/// Finds the aligned tables of a text document. `skip(i)` says line `i` is
/// page furniture (running header, footer, page number).
pub fn find(raws: &[&str], cues: &TextTableCues, skip: &dyn Fn(usize) -> bool) -> Vec<TextTable> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < raws.len() {
        if skip(i) {
            i += 1;
            continue;
        }
        match header_columns(raws[i], cues) {
            Some(cols) => match read_table(raws, i, cols, cues, skip) {
                Some(t) => {
                    i = t.end.max(i + 1);
                    out.push(t);
                }
                None => i += 1,
            },
            None => i += 1,
        }
    }
    out
}

/// A column of the table: where it starts and its header text.
#[derive(Debug, Clone)]
struct Column {
    start: usize,
    header: String,
}

fn read_table(raws: &[&str], head: usize, header: Vec<(usize, String)>, cues: &TextTableCues, skip: &dyn Fn(usize) -> bool) -> Option<TextTable> {
    let mut columns: Vec<Column> = header.iter().map(|(s, h)| Column { start: *s, header: h.clone() }).collect();
    let header_line = raws[head].trim().to_string();
    let mut i = head + 1;
    // A second header line of timeline labels.
    let mut timeline: Option<(usize, Vec<String>)> = None;
    if let Some(next) = raws.get(i) {
        let labels: Vec<String> = next.split_whitespace().map(str::to_string).collect();
        let indent = next.len() - next.trim_start().len();
        if labels.len() >= 2 && labels.iter().all(|l| (cues.timeline_label)(l)) && indent > columns[0].start {
            // The group header over the labels is the last header column at or left of them.
            let group = columns.iter().rposition(|c| c.start <= indent + LEFT_SLACK).unwrap_or(columns.len() - 1);
            let area = columns[group].start.min(indent);
            columns.truncate(group);
            timeline = Some((area, labels));
            i += 1;
        }
    }
    // Body lines: until a blank run that does not lead (past page furniture) to the header again.
    let mut body: Vec<(usize, Vec<usize>)> = Vec::new();
    let mut starts: Vec<usize> = columns.iter().map(|c| c.start).collect();
    let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let header_words = words(&header_line);
    // The header printed again on a later page may sit at other columns.
    let restart = |raw: &str, starts: &mut Vec<usize>| {
        if let Some(cols) = header_columns(raw, cues) {
            if cols.len() >= starts.len() {
                *starts = cols.iter().take(starts.len()).map(|c| c.0).collect();
            }
        }
    };
    while i < raws.len() {
        if skip(i) {
            i += 1;
            continue;
        }
        if raws[i].trim().is_empty() {
            let mut j = i;
            while j < raws.len() && (raws[j].trim().is_empty() || skip(j)) {
                j += 1;
            }
            if j < raws.len() && words(raws[j]) == header_words {
                // The header repeated after a page break; a timeline label line may follow.
                restart(raws[j], &mut starts);
                i = j + 1;
                if timeline.is_some() && raws.get(i).is_some_and(|l| l.split_whitespace().all(cues.timeline_label)) {
                    i += 1;
                }
                continue;
            }
            break;
        }
        if words(raws[i]) == header_words {
            restart(raws[i], &mut starts);
            i += 1;
            continue;
        }
        body.push((i, starts.clone()));
        i += 1;
    }
    let end = i;
    // The body follows the header directly in an aligned export; a header
    // set apart by blank lines is a text export of another kind.
    if body.first().is_none_or(|b| b.0 > head + 1 + usize::from(timeline.is_some())) {
        return None;
    }
    // The body's cells must start under the header's: a header centred over
    // its columns (text starting far left of it) is another layout, left to
    // the line reader.
    let measure_start = columns.iter().find(|c| (cues.header_cell)(&c.header) == Some(HeaderCell::Measure)).map_or(0, |c| c.start);
    let aligned = body.iter().filter(|(k, _)| chunks(raws[*k]).iter().any(|(st, _)| *st + LEFT_SLACK >= measure_start && *st <= measure_start + 2)).count();
    if aligned * 5 < body.len() * 2 {
        return None;
    }
    // Cut each body line into cells.
    let mut cut: Vec<(Vec<String>, Vec<usize>)> = body.iter().map(|(k, starts)| cut_line(raws[*k], starts, timeline.as_ref().map(|t| t.0), cues)).collect();
    // Timeline marks: map clusters of mark positions to the labels in order.
    let labels = timeline.as_ref().map(|t| t.1.clone()).unwrap_or_default();
    let mark_column = |pos: usize, clusters: &[(usize, usize)]| clusters.iter().position(|(a, b)| pos + 1 >= *a && pos <= b + 1);
    let clusters = mark_clusters(cut.iter().flat_map(|(_, m)| m.iter().copied()));
    let map_marks = clusters.len() == labels.len();
    let width = columns.len() + labels.len();
    let measure_col = columns.iter().position(|c| (cues.header_cell)(&c.header) == Some(HeaderCell::Measure)).unwrap_or(0);
    let code_col = columns.iter().position(|c| (cues.header_cell)(&c.header) == Some(HeaderCell::Code));
    let mut rows: Vec<Row> = Vec::new();
    let mut header_cells: Vec<Cell> = columns.iter().map(|c| Cell { lines: vec![Line::plain(c.header.clone())] }).collect();
    header_cells.extend(labels.iter().map(|l| Cell { lines: vec![Line::plain(l.clone())] }));
    rows.push(Row { cells: header_cells, pages: vec![], header: true });
    let mut last_measure_text = String::new();
    for (cells, marks) in cut.iter_mut() {
        let measure = cells.get(measure_col).cloned().unwrap_or_default();
        let others = cells.iter().enumerate().any(|(k, c)| k != measure_col && !c.is_empty()) || !marks.is_empty();
        let code_starts = code_col.is_some_and(|c| !cells[c].is_empty());
        let goal = (cues.goal_row)(&measure) && cells.iter().enumerate().all(|(k, c)| k == measure_col || c.is_empty());
        let first = measure.chars().next();
        let sentence_start = first.is_some_and(char::is_uppercase) && crate::text::strip_bullet(&measure).is_none();
        let prev_closed =
            last_measure_text.is_empty() || last_measure_text.ends_with(['.', ':', '!', '?', ')']) || crate::text::strip_bullet(&last_measure_text).is_some();
        let new_row = rows.len() == 1
            || goal
            || rows.last().is_some_and(|r| r.cells.iter().all(Cell::is_empty))
            || match code_col {
                Some(_) => code_starts,
                None => sentence_start && others && prev_closed,
            };
        let goal_before = rows.last().is_some_and(|r| !r.header && is_goal_row(r, measure_col, cues));
        if new_row || goal_before {
            rows.push(Row { cells: vec![Cell::default(); width], pages: vec![], header: false });
        }
        let row = rows.last_mut().expect("a row was pushed");
        for (k, text) in cells.iter().enumerate() {
            if !text.is_empty() {
                row.cells[k].lines.push(Line::plain(text.clone()));
            }
        }
        if map_marks {
            for m in marks.iter() {
                if let Some(c) = mark_column(*m, &clusters) {
                    row.cells[columns.len() + c].lines.push(Line::plain("X"));
                }
            }
        }
        if !measure.is_empty() {
            last_measure_text = measure;
        }
    }
    Some(TextTable { start: head, end, table: Table { rows, pages: vec![], origin: TableOrigin::Columns } })
}

fn is_goal_row(r: &Row, measure_col: usize, cues: &TextTableCues) -> bool {
    let filled: Vec<usize> = r.cells.iter().enumerate().filter(|(_, c)| !c.is_empty()).map(|(k, _)| k).collect();
    filled == [measure_col] && (cues.goal_row)(&r.cells[measure_col].text())
}

/// Groups mark positions into clusters (positions within two characters).
fn mark_clusters(positions: impl Iterator<Item = usize>) -> Vec<(usize, usize)> {
    let mut ps: Vec<usize> = positions.collect();
    ps.sort_unstable();
    ps.dedup();
    let mut out: Vec<(usize, usize)> = Vec::new();
    for p in ps {
        match out.last_mut() {
            Some((_, b)) if p <= *b + 2 => *b = p,
            _ => out.push((p, p)),
        }
    }
    out
}

/// Cuts one line at the column starts; marks in the timeline area (from
/// `timeline_from` on) are returned by position instead.
fn cut_line(raw: &str, starts: &[usize], timeline_from: Option<usize>, cues: &TextTableCues) -> (Vec<String>, Vec<usize>) {
    let chars: Vec<char> = raw.chars().collect();
    let mut marks = Vec::new();
    let mut limit = chars.len();
    if let Some(area) = timeline_from {
        // Marks stand alone after a wide gap in the timeline area.
        let mut rest_start = None;
        for (s, text) in chunks(raw) {
            if s + 2 >= area && text.split_whitespace().all(|w| (cues.timeline_mark)(w)) {
                let mut pos = s;
                for w in text.split(' ') {
                    if !w.is_empty() {
                        marks.push(pos);
                    }
                    pos += w.chars().count() + 1;
                }
                rest_start.get_or_insert(s);
            }
        }
        if let Some(s) = rest_start {
            limit = limit.min(s);
        }
    }
    let chars = &chars[..limit];
    // Cut positions: for each column after the first, the word start nearest its start.
    let mut cuts = vec![0usize];
    for &s in &starts[1..] {
        let prev = *cuts.last().unwrap_or(&0);
        let lo = s.saturating_sub(LEFT_SLACK).max(prev + 1);
        let word_start = |p: usize| p < chars.len() && chars[p] != ' ' && p > 0 && chars[p - 1] == ' ';
        let wide = |p: usize| p >= 2 && chars[p - 2] == ' ';
        // Prefer a start after a wide gap; else the word start nearest the
        // column, favouring a capital after a sentence end and penalising a
        // small lowercase word (`i`, `og`), which rarely opens a cell.
        let window = lo..=(s + 2).min(chars.len());
        let cost = |p: usize| {
            let word: String = chars[p..].iter().take_while(|c| **c != ' ').collect();
            let mut c = p.abs_diff(s) as i32 * 2;
            if word.chars().next().is_some_and(char::is_lowercase) {
                c += if word.chars().count() <= 3 { 8 } else { 4 };
            }
            if p >= 2 && matches!(chars[p - 2], '.' | ':' | ';' | ',') {
                c -= 3;
            }
            c
        };
        let best = window
            .clone()
            .filter(|&p| word_start(p) && wide(p))
            .min_by_key(|&p| p.abs_diff(s))
            .or_else(|| window.filter(|&p| word_start(p)).min_by_key(|&p| cost(p)));
        let cut = match best {
            Some(p) => p,
            // No word starts near the column: the cell is empty if the line stops before it.
            None if chars.len() <= s || chars[s.min(chars.len() - 1)..].iter().all(|c| *c == ' ') => chars.len().max(prev),
            None => {
                // A word runs across the column start: the next word start after it.
                (s..chars.len()).find(|&p| word_start(p)).unwrap_or(chars.len())
            }
        };
        cuts.push(cut.max(prev));
    }
    cuts.push(chars.len().max(*cuts.last().unwrap_or(&0)));
    let cells = cuts.windows(2).map(|w| chars[w[0]..w[1].max(w[0])].iter().collect::<String>().trim().to_string()).collect();
    (cells, marks)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cues() -> TextTableCues {
        TextTableCues {
            header_cell: |t| match t {
                "Tiltak" => Some(HeaderCell::Measure),
                "Nr." => Some(HeaderCell::Code),
                "Ansvar" | "Frist" | "Gjennomføring" => Some(HeaderCell::Other),
                _ => None,
            },
            timeline_label: |t| t.len() == 4 && t.starts_with("20"),
            timeline_mark: |t| t == "X",
            goal_row: |t| t.starts_with("Mål "),
        }
    }

    #[test]
    fn cells_are_cut_at_the_header_columns_even_after_one_space() {
        let text = [
            "Tiltak                                                           Ansvar                       Frist",
            "Mål 1: Flere pasienter",
            "Opprette en enhet for kliniske studier med studiesykepleiere Forskningssjef og FoU-           2024",
            "og studiekoordinatorer som kan brukes av alle klinikker.        avdelingen",
            "Innføre fast rutine for vurdering av studiedeltakelse i         Klinikksjefene                Innen utgangen",
            "tverrfaglige møter.                                                                           av 2025",
        ];
        let ts = find(&text, &cues(), &|_| false);
        assert_eq!(ts.len(), 1);
        let rows: Vec<Vec<String>> = ts[0].table.rows.iter().map(|r| r.texts()).collect();
        assert_eq!(rows[1], vec!["Mål 1: Flere pasienter", "", ""]);
        assert_eq!(rows[2][1], "Forskningssjef og FoU- avdelingen");
        assert_eq!(rows[2][2], "2024");
        assert_eq!(rows[3][2], "Innen utgangen av 2025");
        assert_eq!(rows.len(), 4);
    }

    #[test]
    fn timeline_marks_map_to_labels_by_their_own_positions() {
        let text = [
            "Nr.      Tiltak                              Ansvar          Gjennomføring",
            "                                                              2025 2026 2027",
            "T1       Samle funksjonene.                  Seksjonen      X",
            "T2       Ansette fire.                       Klinikkene     X      X",
            "T3       Innføre system.                     Partner        X      X       X",
            "T5       Gjennomføre en undersøkelse.        Sjef           X              X",
        ];
        let ts = find(&text, &cues(), &|_| false);
        let rows: Vec<Vec<String>> = ts[0].table.rows.iter().map(|r| r.texts()).collect();
        assert_eq!(rows[0], vec!["Nr.", "Tiltak", "Ansvar", "2025", "2026", "2027"]);
        assert_eq!(rows[4], vec!["T5", "Gjennomføre en undersøkelse.", "Sjef", "X", "", "X"]);
    }
}
