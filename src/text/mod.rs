//! Text normalization per SPEC (NFC, white space, soft hyphens, bullets, hyphenation).
