//! The dataset of measures: SQLite with full-text search, CSV/XLSX/JSONL exports.

pub mod export;
pub mod forms;
pub mod jsonl;
pub mod sqlite;
pub mod vocabulary;
