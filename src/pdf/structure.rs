//! The logical structure tree of a tagged PDF (PDF 32000-1 §14.7), flattened
//! into [`StructTree`].
//!
//! Walks `/StructTreeRoot /K` depth first. Each structure element becomes a
//! node with its `/S` type mapped through `/RoleMap`; each marked-content
//! reference (an integer kid or an `/MCR` dictionary) maps `(page, MCID)` to
//! the element that holds it, with the page taken from the reference's `/Pg`,
//! else the nearest ancestor's. References into Form XObject streams (`/Stm`)
//! and object references (`/OBJR`) are skipped.

use std::collections::{HashMap, HashSet};

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::objects::{as_dict, get, get_dict, get_name, get_ref, number, resolve};
use super::{StructNode, StructTree};

/// Deepest element nesting followed.
const MAX_DEPTH: usize = 256;
/// Longest `/RoleMap` chain followed.
const MAX_ROLE_CHAIN: usize = 16;

struct Walker<'a> {
    doc: &'a Document,
    role_map: Option<&'a Dictionary>,
    page_numbers: &'a HashMap<ObjectId, u32>,
    visited: HashSet<ObjectId>,
    tree: StructTree,
    max_nodes: usize,
}

/// Reads the structure tree, if the catalog has one.
pub(crate) fn read(doc: &Document, page_numbers: &HashMap<ObjectId, u32>, max_nodes: usize) -> Option<StructTree> {
    let catalog = doc.catalog().ok()?;
    let root = get_dict(doc, catalog, b"StructTreeRoot")?;
    let mut walker = Walker { doc, role_map: get_dict(doc, root, b"RoleMap"), page_numbers, visited: HashSet::new(), tree: StructTree::default(), max_nodes };
    if let Some(id) = catalog.get(b"StructTreeRoot").ok().and_then(|o| o.as_reference().ok()) {
        walker.visited.insert(id);
    }
    if let Ok(kids) = root.get(b"K") {
        walker.kid(kids, None, None, 0);
    }
    Some(walker.tree)
}

impl Walker<'_> {
    fn role(&self, s: &[u8]) -> String {
        let mut role = s;
        let mut seen: Vec<&[u8]> = Vec::new();
        while let Some(mapped) = self.role_map.and_then(|m| get_name(self.doc, m, role)) {
            if seen.len() >= MAX_ROLE_CHAIN || seen.contains(&mapped) || mapped == role {
                break;
            }
            seen.push(role);
            role = mapped;
        }
        String::from_utf8_lossy(role).into_owned()
    }

    fn page_of(&self, dict: &Dictionary) -> Option<u32> {
        get_ref(dict, b"Pg").and_then(|id| self.page_numbers.get(&id).copied())
    }

    fn record_mcid(&mut self, page: Option<u32>, mcid: f32, owner: Option<usize>) {
        if let (Some(page), Some(owner)) = (page, owner) {
            if mcid >= 0.0 {
                self.tree.mcid_owner.entry((page, mcid as u32)).or_insert(owner);
            }
        }
    }

    /// One entry of a `/K`: an element, an MCR, an MCID, or an array of those.
    fn kid(&mut self, obj: &Object, parent: Option<usize>, page: Option<u32>, depth: usize) {
        if depth > MAX_DEPTH || self.tree.nodes.len() >= self.max_nodes {
            return;
        }
        if let Object::Reference(id) = obj {
            if !self.visited.insert(*id) {
                return;
            }
        }
        let doc = self.doc;
        let Some(resolved) = resolve(doc, obj) else {
            return;
        };
        match resolved {
            Object::Integer(_) | Object::Real(_) => {
                if let Some(mcid) = number(resolved) {
                    self.record_mcid(page, mcid, parent);
                }
            }
            Object::Array(items) => {
                for item in items {
                    self.kid(item, parent, page, depth + 1);
                }
            }
            Object::Dictionary(_) | Object::Stream(_) => {
                let Some(dict) = as_dict(resolved) else {
                    return;
                };
                let page = self.page_of(dict).or(page);
                let kind = get_name(doc, dict, b"Type");
                if kind == Some(b"OBJR") {
                    return;
                }
                if kind == Some(b"MCR") || (dict.has(b"MCID") && !dict.has(b"S")) {
                    if dict.has(b"Stm") {
                        return;
                    }
                    if let Some(mcid) = get(doc, dict, b"MCID").and_then(number) {
                        self.record_mcid(page, mcid, parent);
                    }
                    return;
                }
                let Some(s) = get_name(doc, dict, b"S") else {
                    return;
                };
                let index = self.tree.nodes.len();
                let role = self.role(s);
                self.tree.nodes.push(StructNode { role, parent });
                if let Ok(kids) = dict.get(b"K") {
                    self.kid(kids, Some(index), page, depth + 1);
                }
            }
            _ => {}
        }
    }
}
