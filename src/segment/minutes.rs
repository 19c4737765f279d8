//! Meeting minutes: body, date, time, place, participants, agenda items and decisions.

use super::structure::Structure;
use crate::layout::{LayoutDocument, Line};
use crate::model::Meeting;

/// The agenda number of a `Sak 33/25 ...` line.
pub fn agenda_number(_t: &str) -> Option<String> {
    None
}

pub fn meeting(_layout: &LayoutDocument, _lines: &[&Line], _structure: &mut Structure) -> Meeting {
    Meeting::default()
}
