//! Measures as spreadsheet rows (CSV, XLSX) and as OpenSearch `_bulk` NDJSON.
//!
//! A spreadsheet has one row per measure with the [`COLUMNS`] below; list
//! fields (actions, indicators, responsible) hold one entry per line of the
//! cell, so a reader sees them as printed. The rows are built from the
//! [`jsonl`](super::jsonl) records, so the spreadsheet, the JSONL dataset and
//! the search index always agree on document fields and section titles.

use std::borrow::Cow;
use std::io::{self, Write};

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, XlsxError};

use super::jsonl::{self, Record, RecordType};
use crate::model::{Action, Document};

/// Header of the spreadsheet, one entry per column of a [`Row`].
pub const COLUMNS: [&str; 12] =
    ["Document", "Organization", "Period", "Section", "Section title", "Measure", "Text", "Actions", "Indicators", "Responsible", "Pages", "Source file"];

/// XLSX column widths in characters: wide for prose, narrow for codes.
const WIDTHS: [f64; 12] = [32.0, 18.0, 10.0, 8.0, 32.0, 8.0, 60.0, 60.0, 45.0, 28.0, 8.0, 28.0];

/// The longest string Excel keeps in one cell.
const XLSX_MAX_CELL_CHARS: usize = 32_767;

/// One measure as spreadsheet cells, in [`COLUMNS`] order.
pub type Row = [String; 12];

/// The rows of one document's measures, in document order.
pub fn measure_rows(doc: &Document) -> Vec<Row> {
    jsonl::records(doc).iter().filter(|r| r.record_type == RecordType::Measure).map(row).collect()
}

fn row(r: &Record) -> Row {
    [
        r.doc_title.unwrap_or(r.source_file).to_string(),
        r.organization.unwrap_or_default().to_string(),
        r.period.map(|p| if p.from == p.to { p.from.to_string() } else { format!("{}-{}", p.from, p.to) }).unwrap_or_default(),
        r.section_number.unwrap_or_default().to_string(),
        r.section_title.unwrap_or_default().to_string(),
        r.label.unwrap_or_default().to_string(),
        r.text.to_string(),
        actions_cell(r.actions),
        r.indicators.join("\n"),
        r.responsible.join("\n"),
        r.pages.iter().map(u32::to_string).collect::<Vec<_>>().join(", "),
        r.source_file.to_string(),
    ]
}

/// Actions one per line as `label. text`, each bullet below its action as `  - item`.
pub fn actions_cell(actions: &[Action]) -> String {
    let mut lines = Vec::new();
    for a in actions {
        let line = match &a.label {
            Some(label) => format!("{label}. {}", a.text).trim_end().to_string(),
            None => a.text.clone(),
        };
        if !line.is_empty() {
            lines.push(line);
        }
        lines.extend(a.items.iter().map(|item| format!("  - {item}")));
    }
    lines.join("\n")
}

/// Writes rows as CSV per RFC 4180 (CRLF line ends, quotes where needed),
/// UTF-8 with a byte-order mark so that Excel reads æøå right.
pub fn write_csv(out: impl Write, rows: &[Row]) -> io::Result<()> {
    let mut out = out;
    out.write_all("\u{feff}".as_bytes())?;
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(out);
    w.write_record(COLUMNS)?;
    for r in rows {
        w.write_record(r)?;
    }
    w.flush()
}

/// The rows as an XLSX workbook: one sheet `Measures` with a bold, frozen
/// header row, an autofilter, wrapped top-aligned cells and fixed widths.
/// The file's creation date is fixed, so the same rows give the same bytes.
pub fn xlsx_bytes(rows: &[Row]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    book.set_properties(&DocProperties::new().set_creation_datetime(&ExcelDateTime::from_ymd(2000, 1, 1)?));
    let header = Format::new().set_bold().set_text_wrap().set_align(FormatAlign::Top);
    let cell = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let sheet = book.add_worksheet();
    sheet.set_name("Measures")?;
    for (col, (name, width)) in (0u16..).zip(COLUMNS.iter().zip(WIDTHS)) {
        sheet.set_column_width(col, width)?;
        sheet.write_string_with_format(0, col, *name, &header)?;
    }
    for (row, r) in (1u32..).zip(rows) {
        for (col, value) in (0u16..).zip(r) {
            if !value.is_empty() {
                sheet.write_string_with_format(row, col, excel_cell_text(value), &cell)?;
            }
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    let last_row = u32::try_from(rows.len()).unwrap_or(u32::MAX);
    sheet.autofilter(0, 0, last_row, (COLUMNS.len() - 1) as u16)?;
    book.save_to_buffer()
}

/// A cell's text cut to Excel's limit, with an ellipsis where it was cut.
fn excel_cell_text(value: &str) -> Cow<'_, str> {
    match value.char_indices().nth(XLSX_MAX_CELL_CHARS) {
        Some(_) => {
            let cut = value.char_indices().nth(XLSX_MAX_CELL_CHARS - 1).map_or(value.len(), |(i, _)| i);
            Cow::Owned(format!("{}…", &value[..cut]))
        }
        None => Cow::Borrowed(value),
    }
}

/// Writes one document's records (measures and agenda items) as OpenSearch
/// `_bulk` NDJSON: an `index` action line, then the [`Record`] itself. The
/// `_id` is `<doc_id>-<n>` (n counts the document's records from 1), stable
/// for the same input bytes, so re-sending a file replaces its records.
/// The index mapping is `schemas/opensearch-mapping.json`.
pub fn write_opensearch_bulk<W: Write + ?Sized>(out: &mut W, doc: &Document, index: &str) -> io::Result<()> {
    for (n, record) in (1..).zip(jsonl::records(doc)) {
        let action = serde_json::json!({"index": {"_index": index, "_id": format!("{}-{n}", record.doc_id)}});
        serde_json::to_writer(&mut *out, &action)?;
        out.write_all(b"\n")?;
        serde_json::to_writer(&mut *out, &record)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}
