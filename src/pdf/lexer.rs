//! Tokenizer for content streams and CMaps (PDF 32000-1 §7.2, §7.3).
//!
//! [`Lexer::next_op`] collects operands up to the next keyword and returns the
//! keyword. Operands live in a reusable [`Operands`] arena, so steady-state
//! lexing does not allocate per string or per operator. Malformed bytes are
//! skipped; the lexer never fails and always advances.

/// Deepest nesting of arrays and dictionaries inside one operand.
const MAX_NESTING: usize = 32;
/// Operands kept per operator; later ones are dropped (a content operator
/// takes at most a handful, a CMap block a few hundred).
const MAX_OPERANDS: usize = 1 << 16;

/// One operand. Names and strings index [`Operands::bytes`]; arrays and
/// dictionaries index [`Operands::nested`] (a dictionary as key, value, key, value...).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Operand {
    Number(f32),
    Bool(bool),
    Null,
    Name(u32, u32),
    Str(u32, u32),
    Array(u32, u32),
    Dict(u32, u32),
    /// A keyword inside an array or dictionary (not valid PDF, kept as a placeholder).
    Other,
}

/// The operands of one operator.
#[derive(Debug, Default)]
pub(crate) struct Operands {
    pub items: Vec<Operand>,
    bytes: Vec<u8>,
    nested: Vec<Operand>,
}

impl Operands {
    fn clear(&mut self) {
        self.items.clear();
        self.bytes.clear();
        self.nested.clear();
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Bytes of a name (without `/`) or a string; empty for other operands.
    pub fn bytes(&self, op: &Operand) -> &[u8] {
        match *op {
            Operand::Name(s, e) | Operand::Str(s, e) => self.bytes.get(s as usize..e as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// Elements of an array or dictionary; empty for other operands.
    pub fn children(&self, op: &Operand) -> &[Operand] {
        match *op {
            Operand::Array(s, e) | Operand::Dict(s, e) => self.nested.get(s as usize..e as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// The value for `key` in a dictionary operand.
    pub fn dict_get(&self, dict: &Operand, key: &[u8]) -> Option<Operand> {
        if !matches!(dict, Operand::Dict(..)) {
            return None;
        }
        self.children(dict).chunks_exact(2).find_map(|kv| match kv {
            [k @ Operand::Name(..), v] if self.bytes(k) == key => Some(*v),
            _ => None,
        })
    }

    /// The last `n` operands, if there are at least `n`.
    pub fn last(&self, n: usize) -> Option<&[Operand]> {
        self.items.get(self.items.len().checked_sub(n)?..)
    }

    /// The last `N` operands as numbers.
    pub fn numbers<const N: usize>(&self) -> Option<[f32; N]> {
        let ops = self.last(N)?;
        let mut out = [0.0; N];
        for (slot, op) in out.iter_mut().zip(ops) {
            match op {
                Operand::Number(v) => *slot = *v,
                _ => return None,
            }
        }
        Some(out)
    }

    pub fn number(&self) -> Option<f32> {
        self.numbers::<1>().map(|[v]| v)
    }

    /// The last operand's bytes when it is a name.
    pub fn name(&self) -> Option<&[u8]> {
        match self.items.last()? {
            op @ Operand::Name(..) => Some(self.bytes(op)),
            _ => None,
        }
    }
}

pub(crate) struct Lexer<'a> {
    data: &'a [u8],
    pos: usize,
}

fn is_white(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | b'\0')
}

fn is_delim(b: u8) -> bool {
    matches!(b, b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%')
}

fn is_regular(b: u8) -> bool {
    !is_white(b) && !is_delim(b)
}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// What one token turned out to be.
enum Token<'a> {
    Value(Operand),
    Keyword(&'a [u8]),
    ArrayEnd,
    DictEnd,
    Eof,
}

impl<'a> Lexer<'a> {
    pub fn new(data: &'a [u8]) -> Lexer<'a> {
        Lexer { data, pos: 0 }
    }

    fn peek(&self) -> Option<u8> {
        self.data.get(self.pos).copied()
    }

    fn skip_white(&mut self) {
        while let Some(b) = self.peek() {
            if is_white(b) {
                self.pos += 1;
            } else if b == b'%' {
                while let Some(c) = self.peek() {
                    if c == b'\n' || c == b'\r' {
                        break;
                    }
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    /// Reads operands up to the next keyword and returns the keyword, or
    /// `None` at the end of the data. Inline images (`BI … ID … EI`) are
    /// skipped whole and returned as the keyword `EI`.
    pub fn next_op(&mut self, ops: &mut Operands) -> Option<&'a [u8]> {
        ops.clear();
        loop {
            match self.token(ops, 0) {
                Token::Eof => return None,
                Token::Keyword(b"BI") => {
                    self.skip_inline_image();
                    ops.clear();
                    return Some(b"EI");
                }
                Token::Keyword(k) => return Some(k),
                Token::Value(v) => {
                    if ops.items.len() < MAX_OPERANDS {
                        ops.items.push(v);
                    }
                }
                Token::ArrayEnd | Token::DictEnd => {}
            }
        }
    }

    fn token(&mut self, ops: &mut Operands, depth: usize) -> Token<'a> {
        self.skip_white();
        let Some(b) = self.peek() else {
            return Token::Eof;
        };
        match b {
            b'/' => {
                self.pos += 1;
                Token::Value(self.name(ops))
            }
            b'(' => {
                self.pos += 1;
                Token::Value(self.literal_string(ops))
            }
            b'<' if self.data.get(self.pos + 1) == Some(&b'<') => {
                self.pos += 2;
                Token::Value(self.composite(ops, depth, true))
            }
            b'<' => {
                self.pos += 1;
                Token::Value(self.hex_string(ops))
            }
            b'>' if self.data.get(self.pos + 1) == Some(&b'>') => {
                self.pos += 2;
                Token::DictEnd
            }
            b'[' => {
                self.pos += 1;
                Token::Value(self.composite(ops, depth, false))
            }
            b']' => {
                self.pos += 1;
                Token::ArrayEnd
            }
            b'+' | b'-' | b'.' | b'0'..=b'9' => Token::Value(self.number()),
            _ if is_delim(b) => {
                // Stray `)`, `>`, `{`, `}`: skip it.
                self.pos += 1;
                self.token(ops, depth)
            }
            _ => {
                let start = self.pos;
                while self.peek().is_some_and(is_regular) {
                    self.pos += 1;
                }
                let word = self.data.get(start..self.pos).unwrap_or(&[]);
                match word {
                    b"true" => Token::Value(Operand::Bool(true)),
                    b"false" => Token::Value(Operand::Bool(false)),
                    b"null" => Token::Value(Operand::Null),
                    _ => Token::Keyword(word),
                }
            }
        }
    }

    /// An array (`[`…`]`) or dictionary (`<<`…`>>`) whose opening delimiter was consumed.
    fn composite(&mut self, ops: &mut Operands, depth: usize, dict: bool) -> Operand {
        let mut children = Vec::new();
        loop {
            let tok = if depth >= MAX_NESTING {
                // Too deep: skip tokens flatly until a closing delimiter.
                match self.token_flat() {
                    Some(t) => t,
                    None => break,
                }
            } else {
                self.token(ops, depth + 1)
            };
            match tok {
                Token::Eof => break,
                Token::ArrayEnd if !dict => break,
                Token::DictEnd if dict => break,
                Token::ArrayEnd | Token::DictEnd => {}
                Token::Value(v) => children.push(v),
                Token::Keyword(_) => children.push(Operand::Other),
            }
        }
        let start = ops.nested.len() as u32;
        ops.nested.extend(children);
        let end = ops.nested.len() as u32;
        if dict {
            Operand::Dict(start, end)
        } else {
            Operand::Array(start, end)
        }
    }

    /// Used beyond [`MAX_NESTING`]: consumes one byte-level token without
    /// recursing, reporting only closing delimiters.
    fn token_flat(&mut self) -> Option<Token<'a>> {
        self.skip_white();
        let b = self.peek()?;
        self.pos += 1;
        Some(match b {
            b']' => Token::ArrayEnd,
            b'>' if self.peek() == Some(b'>') => {
                self.pos += 1;
                Token::DictEnd
            }
            _ => Token::Value(Operand::Other),
        })
    }

    fn number(&mut self) -> Operand {
        let start = self.pos;
        let mut negative = false;
        while let Some(b @ (b'+' | b'-')) = self.peek() {
            negative ^= b == b'-';
            self.pos += 1;
        }
        let mut int: f64 = 0.0;
        let mut frac: f64 = 0.0;
        let mut scale: f64 = 1.0;
        let mut seen_dot = false;
        let mut digits = 0;
        while let Some(b) = self.peek() {
            match b {
                b'0'..=b'9' => {
                    digits += 1;
                    if seen_dot {
                        scale /= 10.0;
                        frac += f64::from(b - b'0') * scale;
                    } else {
                        int = int * 10.0 + f64::from(b - b'0');
                    }
                }
                b'.' if !seen_dot => seen_dot = true,
                // A second dot or a sign inside a number: tolerate, ignore the rest.
                b'.' | b'-' | b'+' => {}
                _ => break,
            }
            self.pos += 1;
        }
        if self.pos == start {
            self.pos += 1;
        }
        if digits == 0 {
            return Operand::Number(0.0);
        }
        let v = (int + frac) as f32;
        let v = if negative { -v } else { v };
        Operand::Number(if v.is_finite() { v } else { 0.0 })
    }

    fn name(&mut self, ops: &mut Operands) -> Operand {
        let start = ops.bytes.len() as u32;
        while let Some(b) = self.peek() {
            if !is_regular(b) {
                break;
            }
            self.pos += 1;
            if b == b'#' {
                let hi = self.peek().and_then(hex_val);
                let lo = self.data.get(self.pos + 1).copied().and_then(hex_val);
                if let (Some(hi), Some(lo)) = (hi, lo) {
                    self.pos += 2;
                    ops.bytes.push(hi << 4 | lo);
                    continue;
                }
            }
            ops.bytes.push(b);
        }
        Operand::Name(start, ops.bytes.len() as u32)
    }

    fn literal_string(&mut self, ops: &mut Operands) -> Operand {
        let start = ops.bytes.len() as u32;
        let mut depth = 1usize;
        while let Some(b) = self.peek() {
            self.pos += 1;
            match b {
                b'(' => {
                    depth += 1;
                    ops.bytes.push(b);
                }
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                    ops.bytes.push(b);
                }
                b'\\' => {
                    let Some(e) = self.peek() else { break };
                    self.pos += 1;
                    match e {
                        b'n' => ops.bytes.push(b'\n'),
                        b'r' => ops.bytes.push(b'\r'),
                        b't' => ops.bytes.push(b'\t'),
                        b'b' => ops.bytes.push(0x08),
                        b'f' => ops.bytes.push(0x0c),
                        b'0'..=b'7' => {
                            let mut v = u32::from(e - b'0');
                            for _ in 0..2 {
                                match self.peek() {
                                    Some(d @ b'0'..=b'7') => {
                                        v = v * 8 + u32::from(d - b'0');
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            ops.bytes.push((v & 0xFF) as u8);
                        }
                        b'\r' => {
                            if self.peek() == Some(b'\n') {
                                self.pos += 1;
                            }
                        }
                        b'\n' => {}
                        other => ops.bytes.push(other),
                    }
                }
                _ => ops.bytes.push(b),
            }
        }
        Operand::Str(start, ops.bytes.len() as u32)
    }

    fn hex_string(&mut self, ops: &mut Operands) -> Operand {
        let start = ops.bytes.len() as u32;
        let mut hi: Option<u8> = None;
        while let Some(b) = self.peek() {
            self.pos += 1;
            if b == b'>' {
                break;
            }
            let Some(v) = hex_val(b) else { continue };
            match hi.take() {
                Some(h) => ops.bytes.push(h << 4 | v),
                None => hi = Some(v),
            }
        }
        if let Some(h) = hi {
            ops.bytes.push(h << 4);
        }
        Operand::Str(start, ops.bytes.len() as u32)
    }

    /// Skips an inline image after `BI`: its dictionary, `ID`, the binary data
    /// and `EI` (found as whitespace, `EI`, then whitespace or end of data).
    fn skip_inline_image(&mut self) {
        let Some(rel) = find(self.data.get(self.pos..).unwrap_or(&[]), b"ID") else {
            self.pos = self.data.len();
            return;
        };
        self.pos += rel + 2;
        loop {
            let rest = self.data.get(self.pos..).unwrap_or(&[]);
            let Some(rel) = find(rest, b"EI") else {
                self.pos = self.data.len();
                return;
            };
            let at = self.pos + rel;
            self.pos = at + 2;
            let before_ok = at > 0 && self.data.get(at - 1).is_some_and(|&b| is_white(b));
            let after_ok = self.data.get(at + 2).is_none_or(|&b| is_white(b));
            if before_ok && after_ok {
                return;
            }
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ops_of(data: &[u8]) -> Vec<(String, usize)> {
        let mut lx = Lexer::new(data);
        let mut ops = Operands::default();
        let mut out = Vec::new();
        while let Some(k) = lx.next_op(&mut ops) {
            out.push((String::from_utf8_lossy(k).into_owned(), ops.len()));
        }
        out
    }

    #[test]
    fn strings_arrays_and_escapes() {
        let mut lx = Lexer::new(b"[(a\\(b\\)\\101) -20 <4142 4>] TJ /Na#20me 12 Tf");
        let mut ops = Operands::default();
        assert_eq!(lx.next_op(&mut ops), Some(&b"TJ"[..]));
        let arr = ops.items[0];
        let kids = ops.children(&arr).to_vec();
        assert_eq!(ops.bytes(&kids[0]), b"a(b)A");
        assert_eq!(kids[1], Operand::Number(-20.0));
        assert_eq!(ops.bytes(&kids[2]), b"AB@");
        assert_eq!(lx.next_op(&mut ops), Some(&b"Tf"[..]));
        assert_eq!(ops.bytes(&ops.items[0]), b"Na me");
        assert_eq!(ops.number(), Some(12.0));
    }

    #[test]
    fn inline_image_is_skipped() {
        let data = b"q BI /W 1 /H 1 ID \x00EI\xffEI Q\nEI Q";
        assert_eq!(ops_of(data), vec![("q".into(), 0), ("EI".into(), 0), ("Q".into(), 0)]);
    }

    #[test]
    fn garbage_never_loops() {
        let data = b")))>>}{ 1.2.3 --4 <<< [[[ (unterminated";
        let _ = ops_of(data);
        let deep = vec![b'['; 10_000];
        let _ = ops_of(&deep);
    }

    #[test]
    fn marked_content_dict() {
        let mut lx = Lexer::new(b"/P <</MCID 3 /ActualText (x)>> BDC");
        let mut ops = Operands::default();
        assert_eq!(lx.next_op(&mut ops), Some(&b"BDC"[..]));
        let d = ops.items[1];
        assert_eq!(ops.dict_get(&d, b"MCID"), Some(Operand::Number(3.0)));
    }
}
