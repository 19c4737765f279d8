//! planparse: Norwegian health-research action plans and meeting minutes → JSON.
//!
//! ```text
//! bytes ──► source ──► pdf::TextSpan* (+ ocr for scanned pages) ──► layout::LayoutDocument ──► segment ──► model::Document
//! ```
//! Each stage only sees the public types of the stage before it.
#![forbid(unsafe_code)]

pub mod dataset;
pub mod diff;
pub mod docx;
pub mod html;
pub mod layout;
pub mod model;
pub mod ocr;
pub mod pdf;
pub mod pipeline;
pub mod segment;
pub mod text;
pub mod web;
