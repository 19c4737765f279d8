//! Text input (`.txt`, `.md`) into the layout model.
