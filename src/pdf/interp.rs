//! The content-stream interpreter (PDF 32000-1 §8–9, §14.6).
//!
//! Runs text, path, graphics-state, marked-content and Form XObject operators
//! and reports what is drawn to a [`Device`] in page space (origin top-left,
//! y down, rotation applied: the initial CTM maps there). Colours, images,
//! shadings and clipping are not interpreted beyond what [`Shape`]s need.

use std::collections::HashMap;
use std::rc::Rc;

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::font::cmap::{CMapCache, MAX_MAPPINGS};
use super::font::{Font, TextStatus};
use super::geometry::Matrix;
use super::lexer::{Lexer, Operand, Operands};
use super::objects::{as_dict, as_stream, get, get_array, get_dict, get_name, number, numbers, resolve, text_string};
use super::streams::{StreamError, StreamReader};
use super::warnings::Warnings;
use super::{Limit, Limits, Shape, ShapeKind};

/// Deepest `q` nesting kept; deeper saves are counted, not stored.
const MAX_GSTATE_DEPTH: usize = 256;
/// Deepest marked-content nesting kept.
const MAX_MARKED_DEPTH: usize = 256;
/// Curved paths smaller than this (points, both sides) are list markers.
const DISC_MAX: f32 = 10.0;

/// One glyph as drawn, in page space.
#[derive(Debug)]
pub(crate) struct GlyphDraw<'a> {
    /// Cleaned Unicode text (possibly empty, or `U+FFFD` when unmapped).
    pub text: &'a str,
    /// Whether the glyph counts as ink for span extents (non-blank text, or
    /// part of an `/ActualText` run).
    pub ink: bool,
    /// Glyph origin on the baseline.
    pub start: (f32, f32),
    /// Origin plus the glyph's own advance (without `Tc`/`Tw`; with them for blank glyphs).
    pub end: (f32, f32),
    /// Unit vector along the baseline, in writing direction.
    pub dir: (f32, f32),
    /// Em size in page units.
    pub size: f32,
    pub font: &'a Rc<Font>,
    /// Drawn bold without a bold font: filled and stroked (`Tr 2`), as word
    /// processors do for fonts without a bold face.
    pub synthetic_bold: bool,
    /// Drawn slanted without an italic font: the text matrix shears glyphs.
    pub synthetic_italic: bool,
    pub mcid: Option<u32>,
    pub artifact: bool,
}

/// What the interpreter reports drawing.
pub(crate) trait Device {
    fn glyph(&mut self, glyph: &GlyphDraw<'_>);
    fn shape(&mut self, shape: Shape);
}

/// Decoded fonts and Form XObject contents of a document, shared by its
/// pages so each is decoded (and counted against the byte budget) once.
#[derive(Default)]
pub(crate) struct ResourceCache {
    fonts: HashMap<FontKey, Rc<Font>>,
    cmaps: CMapCache,
    forms: HashMap<ObjectId, Rc<[u8]>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum FontKey {
    Object(ObjectId),
    /// A direct font dictionary, keyed by its address (stable while the document lives).
    Inline(usize),
}

#[derive(Debug, Clone)]
struct GState {
    ctm: Matrix,
    font: Option<Rc<Font>>,
    font_size: f32,
    char_spacing: f32,
    word_spacing: f32,
    h_scale: f32,
    leading: f32,
    rise: f32,
    line_width: f32,
    render_mode: i64,
    /// False while the fill colour is white: white fills are page background, not rulings.
    fill_visible: bool,
    stroke_visible: bool,
}

impl GState {
    fn new(ctm: Matrix) -> GState {
        GState {
            ctm,
            font: None,
            font_size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            h_scale: 1.0,
            leading: 0.0,
            rise: 0.0,
            line_width: 1.0,
            render_mode: 0,
            fill_visible: true,
            stroke_visible: true,
        }
    }
}

#[derive(Debug, Default)]
struct Marked {
    mcid: Option<u32>,
    artifact: bool,
    actual_text: Option<String>,
    actual_text_used: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum PointKind {
    Move,
    Line,
    Curve,
}

#[derive(Debug, Clone, Copy)]
struct PathPoint {
    x: f32,
    y: f32,
    kind: PointKind,
}

#[derive(Debug, Clone, Copy)]
struct SubPath {
    start: usize,
    closed: bool,
    curved: bool,
}

/// The current path, already in page space.
#[derive(Debug, Default)]
struct Path {
    points: Vec<PathPoint>,
    subpaths: Vec<SubPath>,
}

impl Path {
    fn clear(&mut self) {
        self.points.clear();
        self.subpaths.clear();
    }

    fn move_to(&mut self, x: f32, y: f32) {
        self.subpaths.push(SubPath { start: self.points.len(), closed: false, curved: false });
        self.points.push(PathPoint { x, y, kind: PointKind::Move });
    }

    /// Ensures an open subpath exists (after `h`, a new one starts at the old start).
    fn ensure_open(&mut self) -> bool {
        match self.subpaths.last().copied() {
            None => false,
            Some(sp) if sp.closed => {
                let Some(p) = self.points.get(sp.start).copied() else {
                    return false;
                };
                self.move_to(p.x, p.y);
                true
            }
            Some(_) => true,
        }
    }

    fn line_to(&mut self, x: f32, y: f32) {
        if self.ensure_open() {
            self.points.push(PathPoint { x, y, kind: PointKind::Line });
        }
    }

    fn curve_to(&mut self, pts: &[(f32, f32)]) {
        if !self.ensure_open() {
            return;
        }
        for &(x, y) in pts {
            self.points.push(PathPoint { x, y, kind: PointKind::Curve });
        }
        if let Some(sp) = self.subpaths.last_mut() {
            sp.curved = true;
        }
    }

    fn close(&mut self) {
        if let Some(sp) = self.subpaths.last_mut() {
            sp.closed = true;
        }
    }

    fn subpath_points(&self, i: usize) -> &[PathPoint] {
        let Some(sp) = self.subpaths.get(i) else {
            return &[];
        };
        let end = self.subpaths.get(i + 1).map_or(self.points.len(), |n| n.start);
        self.points.get(sp.start..end).unwrap_or(&[])
    }
}

fn bbox(points: &[PathPoint]) -> Option<[f32; 4]> {
    let first = points.first()?;
    Some(points.iter().fold([first.x, first.y, first.x, first.y], |b, p| [b[0].min(p.x), b[1].min(p.y), b[2].max(p.x), b[3].max(p.y)]))
}

const AXIS_EPS: f32 = 0.01;

/// The box of a subpath that is an axis-aligned rectangle (4 corners, an
/// optional repeated first corner), else `None`.
fn as_rectangle(points: &[PathPoint]) -> Option<[f32; 4]> {
    let mut corners: &[PathPoint] = points;
    if corners.iter().skip(1).any(|p| p.kind != PointKind::Line) {
        return None;
    }
    if corners.len() == 5 {
        let (first, last) = (corners.first()?, corners.last()?);
        if (first.x - last.x).abs() <= AXIS_EPS && (first.y - last.y).abs() <= AXIS_EPS {
            corners = corners.get(..4)?;
        }
    }
    if corners.len() != 4 {
        return None;
    }
    let aligned = (0..4).all(|i| {
        let (Some(a), Some(b)) = (corners.get(i), corners.get((i + 1) % 4)) else {
            return false;
        };
        (a.x - b.x).abs() <= AXIS_EPS || (a.y - b.y).abs() <= AXIS_EPS
    });
    aligned.then(|| bbox(corners)).flatten()
}

fn normalize(v: (f32, f32)) -> Option<(f32, f32)> {
    let len = (v.0 * v.0 + v.1 * v.1).sqrt();
    (len > 1e-6 && len.is_finite()).then(|| (v.0 / len, v.1 / len))
}

/// Per-page counts of one font's glyphs, for decodability warnings.
#[derive(Debug, Default)]
pub(crate) struct FontStats {
    pub name: String,
    pub glyphs: usize,
    pub unmapped: usize,
    pub undecodable: usize,
    /// The encoding the font's codes were read in by a guess, if any.
    pub guessed_encoding: Option<&'static str>,
}

/// Interprets the content of one page (and the Form XObjects it draws).
pub(crate) struct Interpreter<'a, D: Device> {
    doc: &'a Document,
    cache: &'a mut ResourceCache,
    streams: &'a mut StreamReader,
    warnings: &'a mut Warnings,
    device: &'a mut D,
    limits: &'a Limits,
    page: u32,
    ops_done: usize,
    aborted: bool,
    gs: GState,
    gs_stack: Vec<GState>,
    gs_overflow: usize,
    tm: Matrix,
    tlm: Matrix,
    path: Path,
    pending_clip: bool,
    marked: Vec<Marked>,
    marked_overflow: usize,
    forms: Vec<Option<ObjectId>>,
    glyph_text: String,
    /// Keyed by the font's address.
    pub font_stats: HashMap<usize, FontStats>,
    /// What the page draws besides text: images (XObjects and inline) and
    /// painted paths. A page without text that draws neither has nothing to OCR.
    pub ink: Ink,
}

/// Counts of what a page draws besides text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Ink {
    pub images: u32,
    pub painted_paths: u32,
}

impl<'a, D: Device> Interpreter<'a, D> {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        doc: &'a Document,
        cache: &'a mut ResourceCache,
        streams: &'a mut StreamReader,
        warnings: &'a mut Warnings,
        device: &'a mut D,
        limits: &'a Limits,
        page: u32,
        ctm: Matrix,
    ) -> Self {
        Interpreter {
            doc,
            cache,
            streams,
            warnings,
            device,
            limits,
            page,
            ops_done: 0,
            aborted: false,
            gs: GState::new(ctm),
            gs_stack: Vec::new(),
            gs_overflow: 0,
            tm: Matrix::IDENTITY,
            tlm: Matrix::IDENTITY,
            path: Path::default(),
            pending_clip: false,
            marked: Vec::new(),
            marked_overflow: 0,
            forms: Vec::new(),
            glyph_text: String::new(),
            font_stats: HashMap::new(),
            ink: Ink::default(),
        }
    }

    fn warn(&mut self, code: &'static str, message: String) {
        self.warnings.push(code, message, Some(self.page));
    }

    /// Runs one content stream with `resources` in scope.
    pub fn run(&mut self, content: &[u8], resources: Option<&'a Dictionary>) {
        let mut lexer = Lexer::new(content);
        let mut ops = Operands::default();
        while let Some(keyword) = lexer.next_op(&mut ops) {
            if self.aborted {
                return;
            }
            self.ops_done += 1;
            if self.ops_done > self.limits.max_ops_per_page {
                self.aborted = true;
                self.warn(
                    "op_limit",
                    format!(
                        "page {} has more than {} content operators; the rest of the page is skipped \
                         (raise it with {})",
                        self.page,
                        self.limits.max_ops_per_page,
                        Limit::OpsPerPage.flag()
                    ),
                );
                return;
            }
            self.op(keyword, &ops, resources);
        }
    }

    fn op(&mut self, keyword: &[u8], ops: &Operands, resources: Option<&'a Dictionary>) {
        match keyword {
            // Graphics state
            b"q" => {
                if self.gs_stack.len() < MAX_GSTATE_DEPTH {
                    self.gs_stack.push(self.gs.clone());
                } else {
                    self.gs_overflow += 1;
                }
            }
            b"Q" => {
                if self.gs_overflow > 0 {
                    self.gs_overflow -= 1;
                } else if let Some(gs) = self.gs_stack.pop() {
                    self.gs = gs;
                }
            }
            b"cm" => {
                if let Some(m) = ops.numbers::<6>().and_then(|v| Matrix::from_slice(&v)) {
                    self.gs.ctm = m.mul(&self.gs.ctm);
                }
            }
            b"w" => {
                if let Some(w) = ops.number() {
                    self.gs.line_width = w.abs();
                }
            }
            b"g" => self.gs.fill_visible = !is_white(ops),
            b"G" => self.gs.stroke_visible = !is_white(ops),
            b"rg" | b"k" | b"sc" | b"scn" => self.gs.fill_visible = !is_white(ops),
            b"RG" | b"K" | b"SC" | b"SCN" => self.gs.stroke_visible = !is_white(ops),
            b"cs" => self.gs.fill_visible = true,
            b"CS" => self.gs.stroke_visible = true,

            // Text objects and state
            b"BT" => {
                self.tm = Matrix::IDENTITY;
                self.tlm = Matrix::IDENTITY;
            }
            b"ET" => {}
            b"Tc" => self.gs.char_spacing = ops.number().unwrap_or(0.0),
            b"Tw" => self.gs.word_spacing = ops.number().unwrap_or(0.0),
            b"Tz" => self.gs.h_scale = ops.number().unwrap_or(100.0) / 100.0,
            b"TL" => self.gs.leading = ops.number().unwrap_or(0.0),
            b"Ts" => self.gs.rise = ops.number().unwrap_or(0.0),
            b"Tr" => self.gs.render_mode = ops.number().map_or(0, |n| n as i64),
            b"Tf" => self.set_font(ops, resources),
            b"Td" => {
                if let Some([tx, ty]) = ops.numbers::<2>() {
                    self.next_line(tx, ty);
                }
            }
            b"TD" => {
                if let Some([tx, ty]) = ops.numbers::<2>() {
                    self.gs.leading = -ty;
                    self.next_line(tx, ty);
                }
            }
            b"Tm" => {
                if let Some(m) = ops.numbers::<6>().and_then(|v| Matrix::from_slice(&v)) {
                    self.tm = m;
                    self.tlm = m;
                }
            }
            b"T*" => self.next_line(0.0, -self.gs.leading),
            b"Tj" => {
                if let Some(s) = ops.items.last() {
                    self.show(ops.bytes(s));
                }
            }
            b"'" => {
                self.next_line(0.0, -self.gs.leading);
                if let Some(s) = ops.items.last() {
                    self.show(ops.bytes(s));
                }
            }
            b"\"" => {
                if let Some([aw, ac, string]) = ops.last(3) {
                    if let (Operand::Number(aw), Operand::Number(ac)) = (aw, ac) {
                        self.gs.word_spacing = *aw;
                        self.gs.char_spacing = *ac;
                    }
                    self.next_line(0.0, -self.gs.leading);
                    self.show(ops.bytes(string));
                }
            }
            b"TJ" => {
                if let Some(arr) = ops.items.last() {
                    for item in ops.children(arr) {
                        match item {
                            Operand::Number(n) => self.kern(*n),
                            Operand::Str(..) => self.show(ops.bytes(item)),
                            _ => {}
                        }
                    }
                }
            }

            // Path construction (in page space) and painting
            b"m" => {
                if let Some([x, y]) = ops.numbers::<2>() {
                    let (x, y) = self.gs.ctm.apply(x, y);
                    self.path.move_to(x, y);
                }
            }
            b"l" => {
                if let Some([x, y]) = ops.numbers::<2>() {
                    let (x, y) = self.gs.ctm.apply(x, y);
                    self.path.line_to(x, y);
                }
            }
            b"c" => {
                if let Some([x1, y1, x2, y2, x3, y3]) = ops.numbers::<6>() {
                    let m = self.gs.ctm;
                    self.path.curve_to(&[m.apply(x1, y1), m.apply(x2, y2), m.apply(x3, y3)]);
                }
            }
            b"v" | b"y" => {
                if let Some([x1, y1, x2, y2]) = ops.numbers::<4>() {
                    let m = self.gs.ctm;
                    self.path.curve_to(&[m.apply(x1, y1), m.apply(x2, y2)]);
                }
            }
            b"h" => self.path.close(),
            b"re" => {
                if let Some([x, y, w, h]) = ops.numbers::<4>() {
                    let m = self.gs.ctm;
                    let (x0, y0) = m.apply(x, y);
                    self.path.move_to(x0, y0);
                    for (px, py) in [(x + w, y), (x + w, y + h), (x, y + h)] {
                        let (px, py) = m.apply(px, py);
                        self.path.line_to(px, py);
                    }
                    self.path.close();
                }
            }
            b"S" => self.paint(false, true, false),
            b"s" => self.paint(false, true, true),
            b"f" | b"F" | b"f*" => self.paint(true, false, true),
            b"B" | b"B*" => self.paint(true, true, false),
            b"b" | b"b*" => self.paint(true, true, true),
            b"n" => self.paint(false, false, false),
            b"W" | b"W*" => self.pending_clip = true,

            // Marked content
            b"BMC" => {
                let artifact = ops.name() == Some(b"Artifact");
                self.push_marked(Marked { artifact, ..Marked::default() });
            }
            b"BDC" => self.begin_marked(ops, resources),
            b"EMC" => {
                if self.marked_overflow > 0 {
                    self.marked_overflow -= 1;
                } else {
                    self.marked.pop();
                }
            }

            b"Do" => {
                if let Some(name) = ops.name() {
                    self.do_xobject(name, resources);
                }
            }
            // The lexer returns a whole inline image (`BI … ID … EI`) as `EI`.
            b"EI" => self.ink.images = self.ink.images.saturating_add(1),
            _ => {}
        }
    }

    fn set_font(&mut self, ops: &Operands, resources: Option<&'a Dictionary>) {
        let (Some(size), Some(name_op)) = (ops.number(), ops.last(2).and_then(|l| l.first())) else {
            return;
        };
        self.gs.font_size = size;
        let name = ops.bytes(name_op);
        let doc = self.doc;
        let entry = resources.and_then(|r| get_dict(doc, r, b"Font")).and_then(|fonts| fonts.get(name).ok());
        let Some(entry) = entry else {
            let shown = String::from_utf8_lossy(name).into_owned();
            self.warn("missing_font", format!("font /{shown} on page {} is not in the page resources", self.page));
            self.gs.font = Some(self.font_from(None));
            return;
        };
        let key = match entry {
            Object::Reference(id) => FontKey::Object(*id),
            other => FontKey::Inline(std::ptr::from_ref(other) as usize),
        };
        if let Some(font) = self.cache.fonts.get(&key) {
            self.gs.font = Some(Rc::clone(font));
            return;
        }
        let dict = resolve(doc, entry).and_then(as_dict);
        let font = self.font_from(dict);
        self.cache.fonts.insert(key, Rc::clone(&font));
        self.gs.font = Some(font);
    }

    fn font_from(&mut self, dict: Option<&Dictionary>) -> Rc<Font> {
        let empty = Dictionary::new();
        let font = Font::load(self.doc, dict.unwrap_or(&empty), self.streams, &mut self.cache.cmaps);
        if font.cmap_dropped > 0 {
            self.warn(
                "cmap_limit",
                format!(
                    "a CMap of font {} holds more than {MAX_MAPPINGS} mappings; {} more are ignored \
                     (a fixed bound: no real font needs as many)",
                    font.name, font.cmap_dropped
                ),
            );
        }
        Rc::new(font)
    }

    fn next_line(&mut self, tx: f32, ty: f32) {
        self.tlm.pre_translate(tx, ty);
        self.tm = self.tlm;
    }

    fn kern(&mut self, n: f32) {
        let Some(font) = &self.gs.font else { return };
        let shift = -n / 1000.0 * self.gs.font_size;
        if font.vertical {
            self.tm.pre_translate(0.0, shift);
        } else {
            self.tm.pre_translate(shift * self.gs.h_scale, 0.0);
        }
    }

    /// Shows a string: one [`GlyphDraw`] per code, advancing the text matrix.
    fn show(&mut self, bytes: &[u8]) {
        let Some(font) = self.gs.font.clone() else {
            return;
        };
        let gs = &self.gs;
        let (fs, th, rise) = (gs.font_size, gs.h_scale, gs.rise);
        let (tc, tw) = (gs.char_spacing, gs.word_spacing);
        let ctm = gs.ctm;
        let mut trm = self.tm.mul(&ctm);
        let size = fs.abs() * font.size_scale * trm.y_scale();
        let synthetic_bold = self.gs.render_mode == 2 && !font.bold;
        // Glyph x and y axes no longer perpendicular: a sheared (oblique) face.
        let shear = match (normalize((trm.a, trm.b)), normalize((trm.c, trm.d))) {
            (Some(x), Some(y)) => (x.0 * y.0 + x.1 * y.1).abs(),
            _ => 0.0,
        };
        let synthetic_italic = shear > 0.1 && !font.italic;
        // Writing direction in page space: the text x axis (y axis downwards
        // for vertical fonts), flipped by a negative size or scale.
        let flip = if fs * th < 0.0 { -1.0 } else { 1.0 };
        let axis = if font.vertical { (-trm.c * flip, -trm.d * flip) } else { (trm.a * flip, trm.b * flip) };
        let dir = normalize(axis).unwrap_or((1.0, 0.0));
        let (mcid, artifact) = self.marked_state();
        let stats_key = Rc::as_ptr(&font) as usize;
        let mut rest = bytes;
        while !rest.is_empty() {
            let (code, len) = font.next_code(rest);
            rest = rest.get(len.max(1)..).unwrap_or(&[]);
            let w0 = font.advance(code);
            let spacing = tc + if font.is_word_space(code, len) { tw } else { 0.0 };

            self.glyph_text.clear();
            let status = font.push_text(code, &mut self.glyph_text);
            let stats = self.font_stats.entry(stats_key).or_insert_with(|| FontStats {
                name: font.name.clone(),
                guessed_encoding: font.guessed_encoding,
                ..FontStats::default()
            });
            stats.glyphs += 1;
            match status {
                TextStatus::Mapped => {}
                TextStatus::Empty => stats.undecodable += 1,
                TextStatus::Unmapped => {
                    stats.unmapped += 1;
                    stats.undecodable += 1;
                    self.glyph_text.push(char::REPLACEMENT_CHARACTER);
                }
            }

            // A blank glyph (word space) extends to its full advance, `Tw`
            // included, so word spacing never splits a span.
            let blank = !self.glyph_text.chars().any(|c| !c.is_whitespace());
            let start = trm.apply(0.0, rise);
            let (end, advance) = if font.vertical {
                let ty = -w0 * fs + spacing;
                (trm.apply(0.0, rise - w0 * fs), (0.0, ty))
            } else {
                let full = (w0 * fs + spacing) * th;
                let drawn = if blank { full } else { w0 * fs * th };
                (trm.apply(drawn, rise), (full, 0.0))
            };

            let mut ink = !blank;
            let mut actual: Option<String> = None;
            if let Some(m) = self.marked.iter_mut().rev().find(|m| m.actual_text.is_some()) {
                if m.actual_text_used {
                    self.glyph_text.clear();
                } else {
                    m.actual_text_used = true;
                    actual = m.actual_text.clone();
                }
                ink = true;
            }
            let text = actual.as_deref().unwrap_or(&self.glyph_text);
            self.device.glyph(&GlyphDraw { text, ink, start, end, dir, size, font: &font, synthetic_bold, synthetic_italic, mcid, artifact });
            self.tm.pre_translate(advance.0, advance.1);
            trm.pre_translate(advance.0, advance.1);
        }
    }

    fn marked_state(&self) -> (Option<u32>, bool) {
        let mcid = self.marked.iter().rev().find_map(|m| m.mcid);
        let artifact = self.marked.iter().any(|m| m.artifact);
        (mcid, artifact)
    }

    fn push_marked(&mut self, m: Marked) {
        if self.marked.len() < MAX_MARKED_DEPTH {
            self.marked.push(m);
        } else {
            self.marked_overflow += 1;
        }
    }

    fn begin_marked(&mut self, ops: &Operands, resources: Option<&'a Dictionary>) {
        let Some([tag, props]) = ops.last(2).and_then(|l| <[Operand; 2]>::try_from(l).ok()) else {
            self.push_marked(Marked::default());
            return;
        };
        let artifact = ops.bytes(&tag) == b"Artifact" && matches!(tag, Operand::Name(..));
        let mut m = Marked { artifact, ..Marked::default() };
        match props {
            Operand::Dict(..) => {
                if let Some(Operand::Number(n)) = ops.dict_get(&props, b"MCID") {
                    m.mcid = (n >= 0.0).then_some(n as u32);
                }
                if let Some(s @ Operand::Str(..)) = ops.dict_get(&props, b"ActualText") {
                    m.actual_text = Some(text_string(ops.bytes(&s)));
                }
            }
            Operand::Name(..) => {
                let doc = self.doc;
                let dict = resources.and_then(|r| get_dict(doc, r, b"Properties")).and_then(|p| get_dict(doc, p, ops.bytes(&props)));
                if let Some(d) = dict {
                    m.mcid = get(doc, d, b"MCID").and_then(number).filter(|n| *n >= 0.0).map(|n| n as u32);
                    if let Some(Object::String(s, _)) = get(doc, d, b"ActualText") {
                        m.actual_text = Some(text_string(s));
                    }
                }
            }
            _ => {}
        }
        self.push_marked(m);
    }

    /// Emits shapes for the current path and clears it.
    fn paint(&mut self, fill: bool, stroke: bool, close: bool) {
        if close {
            self.path.close();
        }
        self.pending_clip = false;
        let fill = fill && self.gs.fill_visible;
        let stroke = stroke && self.gs.stroke_visible;
        if fill || stroke {
            self.ink.painted_paths = self.ink.painted_paths.saturating_add(1);
            let path = std::mem::take(&mut self.path);
            self.emit_shapes(&path, fill, stroke);
            self.path = path;
        }
        self.path.clear();
    }

    fn emit_shapes(&mut self, path: &Path, fill: bool, stroke: bool) {
        // A small curved path is a list marker: a filled disc, or a stroked
        // ring (Chromium's second-level bullet); both are reported as `Disc`.
        if path.subpaths.iter().any(|sp| sp.curved) {
            if let Some([x0, y0, x1, y1]) = bbox(&path.points) {
                let (w, h) = (x1 - x0, y1 - y0);
                if w < DISC_MAX && h < DISC_MAX && (w > 0.0 || h > 0.0) {
                    self.device.shape(Shape { x0, y0, x1, y1, kind: ShapeKind::Disc });
                    return;
                }
            }
        }
        if fill {
            for (i, sp) in path.subpaths.iter().enumerate() {
                if sp.curved {
                    continue;
                }
                if let Some([x0, y0, x1, y1]) = as_rectangle(path.subpath_points(i)) {
                    if x1 - x0 > AXIS_EPS || y1 - y0 > AXIS_EPS {
                        self.device.shape(Shape { x0, y0, x1, y1, kind: ShapeKind::Fill });
                    }
                }
            }
        }
        if stroke {
            let half = self.gs.line_width * self.gs.ctm.mean_scale() / 2.0;
            for (i, sp) in path.subpaths.iter().enumerate() {
                let pts = path.subpath_points(i);
                // A filled and stroked rectangle is reported once, as its fill.
                if fill && !sp.curved && as_rectangle(pts).is_some() {
                    continue;
                }
                let closing = sp.closed.then(|| pts.first().copied()).flatten();
                let mut prev: Option<PathPoint> = None;
                for p in pts.iter().copied().chain(closing) {
                    // A segment ending in a curve point is part of a curve;
                    // the closing point (the subpath's `Move`) ends a line.
                    if let (Some(a), true) = (prev, p.kind != PointKind::Curve) {
                        self.stroke_segment(a, p, half);
                    }
                    prev = Some(p);
                }
            }
        }
    }

    /// An axis-aligned stroked segment as a box `half` (half the line width) thick.
    fn stroke_segment(&mut self, a: PathPoint, b: PathPoint, half: f32) {
        let (x0, x1) = (a.x.min(b.x), a.x.max(b.x));
        let (y0, y1) = (a.y.min(b.y), a.y.max(b.y));
        let shape = if (a.y - b.y).abs() <= AXIS_EPS && x1 - x0 > AXIS_EPS {
            Shape { x0, y0: y0 - half, x1, y1: y1 + half, kind: ShapeKind::Stroke }
        } else if (a.x - b.x).abs() <= AXIS_EPS && y1 - y0 > AXIS_EPS {
            Shape { x0: x0 - half, y0, x1: x1 + half, y1, kind: ShapeKind::Stroke }
        } else {
            return;
        };
        self.device.shape(shape);
    }

    fn do_xobject(&mut self, name: &[u8], resources: Option<&'a Dictionary>) {
        let doc = self.doc;
        let Some(entry) = resources.and_then(|r| get_dict(doc, r, b"XObject")).and_then(|x| x.get(name).ok()) else {
            return;
        };
        let id = entry.as_reference().ok();
        let Some(stream) = resolve(doc, entry).and_then(as_stream) else {
            return;
        };
        if get_name(doc, &stream.dict, b"Subtype") == Some(b"Image") {
            self.ink.images = self.ink.images.saturating_add(1);
        }
        if get_name(doc, &stream.dict, b"Subtype") != Some(b"Form") {
            return;
        }
        let shown = String::from_utf8_lossy(name).into_owned();
        if self.forms.len() >= self.limits.max_xobject_depth {
            self.warn(
                "xobject_depth",
                format!(
                    "Form XObjects on page {} nest deeper than {}; /{shown} is skipped \
                     (raise it with {})",
                    self.page,
                    self.limits.max_xobject_depth,
                    Limit::XObjectDepth.flag()
                ),
            );
            return;
        }
        if id.is_some() && self.forms.contains(&id) {
            self.warn("xobject_cycle", format!("Form XObject /{shown} on page {} draws itself; the cycle is cut", self.page));
            return;
        }
        let cached = id.and_then(|id| self.cache.forms.get(&id)).cloned();
        let data: Rc<[u8]> = match cached {
            Some(data) => data,
            None => match self.streams.decode(stream) {
                Ok(data) => {
                    let data: Rc<[u8]> = data.into();
                    if let Some(id) = id {
                        self.cache.forms.insert(id, Rc::clone(&data));
                    }
                    data
                }
                Err(e) => {
                    self.stream_warning(&e, &format!("Form XObject /{shown}"));
                    return;
                }
            },
        };
        let matrix = get_array(doc, &stream.dict, b"Matrix").and_then(|a| numbers(doc, a)).and_then(|v| Matrix::from_slice(&v)).unwrap_or(Matrix::IDENTITY);
        let form_resources = get_dict(doc, &stream.dict, b"Resources").or(resources);

        let saved_gs = self.gs.clone();
        let saved_depth = (self.gs_stack.len(), self.gs_overflow);
        let saved_marked = (self.marked.len(), self.marked_overflow);
        let saved_text = (self.tm, self.tlm);
        self.gs.ctm = matrix.mul(&self.gs.ctm);
        self.forms.push(id);
        let saved_path = std::mem::take(&mut self.path);
        self.run(&data, form_resources);
        self.path = saved_path;
        self.forms.pop();
        self.gs = saved_gs;
        self.gs_stack.truncate(saved_depth.0);
        self.gs_overflow = saved_depth.1;
        self.marked.truncate(saved_marked.0);
        self.marked_overflow = saved_marked.1;
        (self.tm, self.tlm) = saved_text;
    }

    /// Records why a stream was skipped.
    pub fn stream_warning(&mut self, error: &StreamError, what: &str) {
        let page = self.page;
        match error {
            StreamError::TooLarge => self.warn(
                "stream_too_large",
                format!(
                    "{what} on page {page} inflates beyond {} bytes and is skipped \
                     (raise it with {})",
                    self.limits.max_stream_bytes,
                    Limit::StreamBytes.flag()
                ),
            ),
            StreamError::DocumentBudget => {}
            StreamError::Undecodable(why) => self.warn("bad_stream", format!("{what} on page {page} cannot be decoded ({why}) and is skipped")),
        }
    }
}

/// Whether colour operands (gray, RGB or CMYK by count) are white.
fn is_white(ops: &Operands) -> bool {
    let mut nums = [0.0f32; 4];
    let mut count = 0;
    for op in &ops.items {
        match (op, nums.get_mut(count)) {
            (Operand::Number(n), Some(slot)) => {
                *slot = *n;
                count += 1;
            }
            // A pattern name, or more than four components.
            _ => return false,
        }
    }
    match nums.get(..count) {
        Some([g]) => *g >= 0.999,
        Some([r, g, b]) => *r >= 0.999 && *g >= 0.999 && *b >= 0.999,
        Some([c, m, y, k]) => [c, m, y, k].iter().all(|v| **v <= 0.001),
        _ => false,
    }
}
