//! Layout model.
