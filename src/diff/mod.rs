//! Plan version comparison: alignment of sections and measures, change types, reports.
