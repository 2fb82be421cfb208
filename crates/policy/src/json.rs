//! A small JSON reader that keeps where every value and key came from.
//!
//! Policy findings must point at the line and column of the offending
//! statement or element, and a parse error must say where the JSON broke;
//! serde_json gives positions for errors only. Objects keep their keys in
//! order and keep duplicates, so the validator can report a duplicated
//! `Action` that other readers would silently collapse.

use std::fmt;

/// Nesting deeper than this is refused (no real policy is close).
pub const MAX_DEPTH: usize = 64;

/// 1-based line and column (in characters) plus the byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
    #[serde(skip)]
    pub offset: usize,
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}", self.line, self.col)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// Kept as written: policy numbers are compared as text by IAM.
    Number(String),
    String(String),
    Array(Vec<Node>),
    Object(Vec<Member>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub key: String,
    pub key_pos: Pos,
    pub node: Node,
}

impl Node {
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn members(&self) -> Option<&[Member]> {
        match &self.value {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }

    /// First member named `key` (IAM element names are case-sensitive).
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.members()?
            .iter()
            .find(|m| m.key == key)
            .map(|m| &m.node)
    }

    /// The JSON type's name, for messages.
    pub fn type_name(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }

    /// Back to compact JSON (for embedded documents and fixes).
    pub fn to_json(&self) -> serde_json::Value {
        match &self.value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => serde_json::from_str(n).unwrap_or(serde_json::Value::Null),
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::Array(a) => serde_json::Value::Array(a.iter().map(Node::to_json).collect()),
            Value::Object(m) => {
                let mut o = serde_json::Map::new();
                for mem in m {
                    o.insert(mem.key.clone(), mem.node.to_json());
                }
                serde_json::Value::Object(o)
            }
        }
    }
}

/// Why the text is not JSON, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    pub pos: Pos,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}", self.message, self.pos)
    }
}

impl std::error::Error for ParseError {}

/// Parse one JSON document. A UTF-8 byte-order mark is skipped; anything
/// but whitespace after the value is an error.
pub fn parse(bytes: &[u8]) -> Result<Node, ParseError> {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.valid_up_to();
            let mut p = Parser::new(&bytes[..at]);
            p.advance_to(at);
            return Err(p.error(format!(
                "invalid UTF-8 (byte 0x{:02x}); save the file as UTF-8",
                bytes[at]
            )));
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut p = Parser::new(text.as_bytes());
    p.ws();
    if p.i >= p.b.len() {
        return Err(p.error("empty document: expected a JSON object".into()));
    }
    let node = p.value(0)?;
    p.ws();
    if p.i < p.b.len() {
        return Err(p.error("unexpected text after the JSON value".into()));
    }
    Ok(node)
}

struct Parser<'a> {
    b: &'a [u8],
    i: usize,
    line: u32,
    line_start: usize,
}

impl<'a> Parser<'a> {
    fn new(b: &'a [u8]) -> Self {
        Parser {
            b,
            i: 0,
            line: 1,
            line_start: 0,
        }
    }

    fn advance_to(&mut self, to: usize) {
        while self.i < to.min(self.b.len()) {
            if self.b[self.i] == b'\n' {
                self.line += 1;
                self.line_start = self.i + 1;
            }
            self.i += 1;
        }
    }

    fn pos(&self) -> Pos {
        // Columns count characters, not bytes, so editors agree.
        let end = self.i.min(self.b.len());
        let col = self.b[self.line_start..end]
            .iter()
            .filter(|&&c| (c & 0xC0) != 0x80)
            .count() as u32
            + 1;
        Pos {
            line: self.line,
            col,
            offset: self.i,
        }
    }

    fn error(&self, message: String) -> ParseError {
        ParseError {
            message,
            pos: self.pos(),
        }
    }

    fn ws(&mut self) {
        while let Some(&c) = self.b.get(self.i) {
            match c {
                b' ' | b'\t' | b'\r' => self.i += 1,
                b'\n' => {
                    self.i += 1;
                    self.line += 1;
                    self.line_start = self.i;
                }
                _ => break,
            }
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node, ParseError> {
        if depth > MAX_DEPTH {
            return Err(self.error(format!("nesting deeper than {MAX_DEPTH} levels")));
        }
        let pos = self.pos();
        let value = match self.b.get(self.i) {
            None => return Err(self.error("unexpected end of input: the JSON is truncated".into())),
            Some(b'{') => self.object(depth)?,
            Some(b'[') => self.array(depth)?,
            Some(b'"') => Value::String(self.string()?),
            Some(b't') => self.literal("true", Value::Bool(true))?,
            Some(b'f') => self.literal("false", Value::Bool(false))?,
            Some(b'n') => self.literal("null", Value::Null)?,
            Some(c) if *c == b'-' || c.is_ascii_digit() => self.number()?,
            Some(&c) => {
                return Err(self.error(format!(
                    "unexpected character '{}': expected a JSON value",
                    char_at(self.b, self.i).unwrap_or(c as char)
                )))
            }
        };
        Ok(Node { value, pos })
    }

    fn literal(&mut self, word: &str, v: Value) -> Result<Value, ParseError> {
        if self.b[self.i..].starts_with(word.as_bytes()) {
            self.i += word.len();
            Ok(v)
        } else {
            Err(self.error(format!("expected '{word}'")))
        }
    }

    fn number(&mut self) -> Result<Value, ParseError> {
        let start = self.i;
        if self.b[self.i] == b'-' {
            self.i += 1;
        }
        let digits = |p: &mut Self| {
            let s = p.i;
            while p.b.get(p.i).is_some_and(u8::is_ascii_digit) {
                p.i += 1;
            }
            p.i > s
        };
        if !digits(self) {
            return Err(self.error("a number needs digits".into()));
        }
        if self.b.get(self.i) == Some(&b'.') {
            self.i += 1;
            if !digits(self) {
                return Err(self.error("a decimal point needs digits after it".into()));
            }
        }
        if matches!(self.b.get(self.i), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.b.get(self.i), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if !digits(self) {
                return Err(self.error("an exponent needs digits".into()));
            }
        }
        Ok(Value::Number(
            String::from_utf8_lossy(&self.b[start..self.i]).into_owned(),
        ))
    }

    fn string(&mut self) -> Result<String, ParseError> {
        self.i += 1; // opening quote
        let mut out = String::new();
        loop {
            let start = self.i;
            while let Some(&c) = self.b.get(self.i) {
                if c == b'"' || c == b'\\' || c < 0x20 {
                    break;
                }
                self.i += 1;
            }
            out.push_str(std::str::from_utf8(&self.b[start..self.i]).unwrap_or(""));
            match self.b.get(self.i) {
                None => return Err(self.error("unterminated string".into())),
                Some(b'"') => {
                    self.i += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.i += 1;
                    let esc = *self
                        .b
                        .get(self.i)
                        .ok_or_else(|| self.error("unterminated string".into()))?;
                    self.i += 1;
                    match esc {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let hi = self.hex4()?;
                            let c = if (0xD800..0xDC00).contains(&hi) {
                                if self.b[self.i..].starts_with(b"\\u") {
                                    self.i += 2;
                                    let lo = self.hex4()?;
                                    if !(0xDC00..0xE000).contains(&lo) {
                                        return Err(self.error("invalid surrogate pair".into()));
                                    }
                                    0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                                } else {
                                    return Err(self.error("lone surrogate in \\u escape".into()));
                                }
                            } else {
                                hi
                            };
                            out.push(
                                char::from_u32(c)
                                    .ok_or_else(|| self.error("invalid \\u escape".into()))?,
                            );
                        }
                        _ => {
                            self.i -= 1;
                            return Err(self.error("invalid escape in string".into()));
                        }
                    }
                }
                Some(_) => {
                    return Err(
                        self.error("control character in string (escape it, e.g. \\n)".into())
                    )
                }
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, ParseError> {
        let s = self
            .b
            .get(self.i..self.i + 4)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .ok_or_else(|| self.error("\\u needs four hex digits".into()))?;
        self.i += 4;
        Ok(s)
    }

    fn array(&mut self, depth: usize) -> Result<Value, ParseError> {
        self.i += 1;
        let mut items = Vec::new();
        self.ws();
        if self.b.get(self.i) == Some(&b']') {
            self.i += 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.ws();
            items.push(self.value(depth + 1)?);
            self.ws();
            match self.b.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    return Ok(Value::Array(items));
                }
                None => return Err(self.error("unexpected end of input inside an array".into())),
                Some(_) => return Err(self.error("expected ',' or ']' in array".into())),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, ParseError> {
        self.i += 1;
        let mut members = Vec::new();
        self.ws();
        if self.b.get(self.i) == Some(&b'}') {
            self.i += 1;
            return Ok(Value::Object(members));
        }
        loop {
            self.ws();
            let key_pos = self.pos();
            match self.b.get(self.i) {
                Some(b'"') => {}
                None => return Err(self.error("unexpected end of input inside an object".into())),
                Some(_) => {
                    return Err(self.error(
                        "expected a quoted key (trailing commas and comments are not JSON)".into(),
                    ))
                }
            }
            let key = self.string()?;
            self.ws();
            if self.b.get(self.i) != Some(&b':') {
                return Err(self.error(format!("expected ':' after key \"{key}\"")));
            }
            self.i += 1;
            self.ws();
            let node = self.value(depth + 1)?;
            members.push(Member { key, key_pos, node });
            self.ws();
            match self.b.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    return Ok(Value::Object(members));
                }
                None => return Err(self.error("unexpected end of input inside an object".into())),
                Some(_) => return Err(self.error("expected ',' or '}' in object".into())),
            }
        }
    }
}

fn char_at(b: &[u8], i: usize) -> Option<char> {
    std::str::from_utf8(&b[i..(i + 4).min(b.len())])
        .ok()
        .or_else(|| std::str::from_utf8(&b[i..i + 1]).ok())
        .and_then(|s| s.chars().next())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_of_values_and_keys() {
        let n = parse(
            b"{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [ {\"Effect\":\"Allow\"} ]\n}",
        )
        .unwrap();
        let m = n.members().unwrap();
        assert_eq!(
            m[0].key_pos,
            Pos {
                line: 2,
                col: 3,
                offset: 4
            }
        );
        assert_eq!((m[1].node.pos.line, m[1].node.pos.col), (3, 16));
        assert_eq!(n.get("Version").unwrap().as_str(), Some("2012-10-17"));
    }

    #[test]
    fn errors_say_where() {
        let e = parse(b"{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [,]\n}").unwrap_err();
        assert_eq!((e.pos.line, e.pos.col), (3, 17));
        let e = parse(b"{\"a\": 1,}").unwrap_err();
        assert!(e.message.contains("trailing commas"), "{e}");
        let e = parse(b"{\"a\": \"x").unwrap_err();
        assert!(e.message.contains("unterminated"), "{e}");
        let e = parse(b"{\"a\": [1, 2").unwrap_err();
        assert!(e.message.contains("end of input"), "{e}");
        let e = parse(b"  ").unwrap_err();
        assert!(e.message.contains("empty"), "{e}");
        let e = parse(b"{} {}").unwrap_err();
        assert!(e.message.contains("after the JSON value"), "{e}");
        let e = parse(b"{\"a\": \"\xff\"}").unwrap_err();
        assert!(e.message.contains("UTF-8"), "{e}");
        assert_eq!(e.pos.col, 8);
    }

    #[test]
    fn escapes_bom_duplicates_and_depth() {
        let n =
            parse("\u{feff}{\"k\": \"a\\u00e9\\ud83d\\ude00\\n\", \"k\": 2}".as_bytes()).unwrap();
        let m = n.members().unwrap();
        assert_eq!(m.len(), 2, "duplicates are kept");
        assert_eq!(m[0].node.as_str(), Some("aé😀\n"));
        let deep = "[".repeat(MAX_DEPTH + 5);
        assert!(parse(deep.as_bytes())
            .unwrap_err()
            .message
            .contains("nesting"));
        assert!(parse(b"{\"a\": \"\\ud800\"}").is_err());
        assert!(parse(b"{\"a\": 01x}").is_err());
        assert!(parse(b"[1e5, -0.5, true, null]").is_ok());
    }
}
