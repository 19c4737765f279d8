//! Collecting per-page warnings without duplicates.

use std::collections::HashSet;

use super::PdfWarning;

/// Most warnings kept per document; a hostile file could otherwise produce millions.
const MAX_WARNINGS: usize = 1000;

#[derive(Debug, Default)]
pub(crate) struct Warnings {
    list: Vec<PdfWarning>,
    seen: HashSet<(&'static str, Option<u32>, String)>,
}

impl Warnings {
    /// Adds a warning unless the same one (code, page, message) is already recorded.
    pub fn push(&mut self, code: &'static str, message: String, page: Option<u32>) {
        if self.list.len() >= MAX_WARNINGS {
            return;
        }
        if self.seen.insert((code, page, message.clone())) {
            self.list.push(PdfWarning { code, message, page });
        }
    }

    pub fn into_vec(self) -> Vec<PdfWarning> {
        self.list
    }
}
