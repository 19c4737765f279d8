//! Measures and agenda items as spreadsheet rows (CSV, XLSX) and as
//! OpenSearch `_bulk` NDJSON.
//!
//! A spreadsheet has one row per measure ([`MEASURE_COLUMNS`], sheet
//! `Measures`) and one row per agenda item ([`ITEM_COLUMNS`], sheet `Agenda
//! items`); `docs/exports.md` describes every column. Every row carries its
//! keys: `document_id` (the sha256 of the input, the same id as the JSON's
//! `source.sha256`, the dataset's `documents.id` and the JSONL's `doc_id`)
//! and the unit's id, unique within the document ([`jsonl::unique_ids`]).
//! List fields (actions, indicators, responsible) hold one entry per line of
//! the cell, so a reader sees them as printed; `extra` is one JSON object
//! (column header → text). The rows are built from the [`jsonl`](super::jsonl)
//! records, so the spreadsheet, the JSONL dataset and the search index always
//! agree on keys, document fields and section titles.

use std::borrow::Cow;
use std::io::{self, Write};

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, Worksheet, XlsxError};

use super::jsonl::{self, Record, RecordType};
use crate::model::{Action, Document};

/// Header of the `Measures` sheet (and the measures CSV).
pub const MEASURE_COLUMNS: [&str; 22] = [
    "document_id",
    "measure_id",
    "file",
    "kind",
    "title",
    "organization",
    "period_from",
    "period_to",
    "section_id",
    "section_number",
    "section_title",
    "label",
    "text",
    "actions",
    "indicators",
    "responsible",
    "deadline",
    "status",
    "strategy_refs",
    "extra",
    "pages",
    "own_text",
];

/// XLSX column widths in characters: wide for prose, narrow for codes.
const MEASURE_WIDTHS: [f64; 22] =
    [16.0, 10.0, 24.0, 10.0, 32.0, 18.0, 8.0, 8.0, 10.0, 8.0, 30.0, 8.0, 60.0, 50.0, 40.0, 28.0, 16.0, 14.0, 30.0, 24.0, 8.0, 40.0];

/// Header of the `Agenda items` sheet (and the agenda items CSV).
pub const ITEM_COLUMNS: [&str; 15] = [
    "document_id",
    "item_id",
    "file",
    "title",
    "organization",
    "meeting_body",
    "meeting_date",
    "number",
    "item_title",
    "item_kind",
    "text",
    "decision",
    "period_from",
    "period_to",
    "pages",
];

const ITEM_WIDTHS: [f64; 15] = [16.0, 10.0, 24.0, 32.0, 18.0, 24.0, 12.0, 10.0, 40.0, 16.0, 60.0, 50.0, 8.0, 8.0, 8.0];

/// The longest string Excel keeps in one cell.
const XLSX_MAX_CELL_CHARS: usize = 32_767;

/// Which sheet (or CSV file) a row belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sheet {
    Measures,
    AgendaItems,
}

impl Sheet {
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Sheet::Measures => &MEASURE_COLUMNS,
            Sheet::AgendaItems => &ITEM_COLUMNS,
        }
    }

    /// The XLSX sheet name.
    pub fn name(self) -> &'static str {
        match self {
            Sheet::Measures => "Measures",
            Sheet::AgendaItems => "Agenda items",
        }
    }

    fn widths(self) -> &'static [f64] {
        match self {
            Sheet::Measures => &MEASURE_WIDTHS,
            Sheet::AgendaItems => &ITEM_WIDTHS,
        }
    }
}

/// One measure or agenda item as spreadsheet cells, in its sheet's column order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub sheet: Sheet,
    pub cells: Vec<String>,
}

/// The rows of one document: its measures, then its agenda items, in
/// document order.
pub fn rows(doc: &Document) -> Vec<Row> {
    jsonl::records(doc).iter().map(row).collect()
}

/// The measure rows of one document, in document order.
pub fn measure_rows(doc: &Document) -> Vec<Row> {
    rows(doc).into_iter().filter(|r| r.sheet == Sheet::Measures).collect()
}

fn row(r: &Record) -> Row {
    let period_from = r.period.map(|p| p.from.to_string()).unwrap_or_default();
    let period_to = r.period.map(|p| p.to.to_string()).unwrap_or_default();
    let pages = r.pages.iter().map(u32::to_string).collect::<Vec<_>>().join(", ");
    let title = r.doc_title.unwrap_or_default().to_string();
    let organization = r.organization.unwrap_or_default().to_string();
    match r.record_type {
        RecordType::Measure => {
            let actions = actions_cell(r.actions);
            // A measure printed as actions only has no sentence of its own;
            // `text` then carries the actions, so the column is never empty.
            let text = if r.text.trim().is_empty() { actions.clone() } else { r.text.to_string() };
            let refs: Vec<String> = r
                .strategy_refs
                .iter()
                .map(|s| match &s.label {
                    Some(l) => format!("{l} {}", s.text),
                    None => s.text.clone(),
                })
                .collect();
            let extra = if r.extra.is_empty() {
                String::new()
            } else {
                let map: serde_json::Map<String, serde_json::Value> =
                    r.extra.iter().map(|e| (e.header.clone(), serde_json::Value::String(e.text.clone()))).collect();
                serde_json::Value::Object(map).to_string()
            };
            Row {
                sheet: Sheet::Measures,
                cells: vec![
                    r.doc_id.to_string(),
                    r.id.to_string(),
                    r.source_file.to_string(),
                    r.doc_kind.as_str().to_string(),
                    title,
                    organization,
                    period_from,
                    period_to,
                    r.section_id.unwrap_or_default().to_string(),
                    r.section_number.unwrap_or_default().to_string(),
                    r.section_title.unwrap_or_default().to_string(),
                    r.label.unwrap_or_default().to_string(),
                    text,
                    actions,
                    r.indicators.join("\n"),
                    r.responsible.join("\n"),
                    r.deadline.unwrap_or_default().to_string(),
                    r.status.unwrap_or_default().to_string(),
                    refs.join("\n"),
                    extra,
                    pages,
                    r.text.to_string(),
                ],
            }
        }
        RecordType::AgendaItem => Row {
            sheet: Sheet::AgendaItems,
            cells: vec![
                r.doc_id.to_string(),
                r.id.to_string(),
                r.source_file.to_string(),
                title,
                organization,
                r.meeting_body.unwrap_or_default().to_string(),
                r.meeting_date.unwrap_or_default().to_string(),
                r.label.unwrap_or_default().to_string(),
                r.title.unwrap_or_default().to_string(),
                r.item_kind.unwrap_or_default().to_string(),
                r.text.to_string(),
                r.decision.unwrap_or_default().to_string(),
                period_from,
                period_to,
                pages,
            ],
        },
    }
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

/// Writes the rows of one sheet as CSV per RFC 4180 (CRLF line ends,
/// quotes where needed), UTF-8 with a byte-order mark so that Excel reads æøå
/// right. Rows of the other sheet are left out.
pub fn write_csv(out: impl Write, rows: &[Row], sheet: Sheet) -> io::Result<()> {
    let mut out = out;
    out.write_all("\u{feff}".as_bytes())?;
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(out);
    w.write_record(sheet.columns())?;
    for r in rows.iter().filter(|r| r.sheet == sheet) {
        w.write_record(&r.cells)?;
    }
    w.flush()
}

/// The rows as an XLSX workbook: a sheet `Measures`, and a sheet `Agenda
/// items` when there are any, each with a bold, frozen header row, an
/// autofilter, wrapped top-aligned cells and fixed widths. The file's
/// creation date is fixed, so the same rows give the same bytes.
pub fn xlsx_bytes(rows: &[Row]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    book.set_properties(&DocProperties::new().set_creation_datetime(&ExcelDateTime::from_ymd(2000, 1, 1)?));
    add_sheet(book.add_worksheet(), rows, Sheet::Measures)?;
    if rows.iter().any(|r| r.sheet == Sheet::AgendaItems) {
        add_sheet(book.add_worksheet(), rows, Sheet::AgendaItems)?;
    }
    book.save_to_buffer()
}

fn add_sheet(ws: &mut Worksheet, rows: &[Row], sheet: Sheet) -> Result<(), XlsxError> {
    let header = Format::new().set_bold().set_text_wrap().set_align(FormatAlign::Top);
    let cell = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    ws.set_name(sheet.name())?;
    for (col, (name, width)) in (0u16..).zip(sheet.columns().iter().zip(sheet.widths())) {
        ws.set_column_width(col, *width)?;
        ws.write_string_with_format(0, col, *name, &header)?;
    }
    let mut last_row = 0u32;
    for (row, r) in (1u32..).zip(rows.iter().filter(|r| r.sheet == sheet)) {
        last_row = row;
        for (col, value) in (0u16..).zip(&r.cells) {
            if !value.is_empty() {
                ws.write_string_with_format(row, col, excel_cell_text(value), &cell)?;
            }
        }
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, last_row, (sheet.columns().len() - 1) as u16)?;
    Ok(())
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
/// `_id` is `<doc_id>/m/<id>` for a measure, `<doc_id>/a/<id>` for an agenda
/// item (the record's keys), stable for the same input bytes, so re-sending
/// a file replaces its records.
/// The index mapping is `schemas/opensearch-mapping.json`.
pub fn write_opensearch_bulk<W: Write + ?Sized>(out: &mut W, doc: &Document, index: &str) -> io::Result<()> {
    for record in jsonl::records(doc) {
        let kind = if record.record_type == RecordType::Measure { "m" } else { "a" };
        let action = serde_json::json!({"index": {"_index": index, "_id": format!("{}/{kind}/{}", record.doc_id, record.id)}});
        serde_json::to_writer(&mut *out, &action)?;
        out.write_all(b"\n")?;
        serde_json::to_writer(&mut *out, &record)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}
