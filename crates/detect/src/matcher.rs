//! Compiled string, number and network matchers for Sigma values.
//!
//! Values are compiled once per rule: plain values become case-folded
//! equality sets, `*x*`/`x*`/`*x` wildcards become contains/prefix/suffix
//! checks (contains via Aho-Corasick with ASCII case folding), and only
//! irregular wildcard patterns fall back to a regex. Matching never
//! allocates for ASCII data.

use std::net::IpAddr;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::Regex;

/// A piece of a Sigma string value after wildcard parsing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Lit(String),
    /// `*`: any run of characters.
    Star,
    /// `?`: exactly one character.
    One,
}

/// Split a Sigma value into literals and wildcards. `\*`, `\?` and `\\`
/// are escapes; any other backslash is a literal backslash (as the Sigma
/// specification says), so Windows-style paths need no doubling.
pub fn parse_wildcards(s: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut lit = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.peek() {
                Some(&n @ ('*' | '?' | '\\')) => {
                    lit.push(n);
                    chars.next();
                }
                _ => lit.push('\\'),
            },
            '*' | '?' => {
                if !lit.is_empty() {
                    out.push(Piece::Lit(std::mem::take(&mut lit)));
                }
                out.push(if c == '*' { Piece::Star } else { Piece::One });
            }
            c => lit.push(c),
        }
    }
    if !lit.is_empty() {
        out.push(Piece::Lit(lit));
    }
    out
}

/// One compiled string pattern.
#[derive(Debug, Clone)]
pub enum StrPat {
    Exact(String),
    Prefix(String),
    Suffix(String),
    Contains(String),
    /// `*` alone: any value, including empty.
    Any,
    Regex(Regex),
}

impl StrPat {
    /// Compile wildcard pieces into the cheapest equivalent pattern.
    pub fn from_pieces(pieces: &[Piece], cased: bool) -> Result<StrPat, String> {
        let fold = |s: &str| {
            if cased {
                s.to_string()
            } else {
                s.to_lowercase()
            }
        };
        Ok(match pieces {
            [] => StrPat::Exact(String::new()),
            [Piece::Lit(a)] => StrPat::Exact(fold(a)),
            [Piece::Star] => StrPat::Any,
            [Piece::Lit(a), Piece::Star] => StrPat::Prefix(fold(a)),
            [Piece::Star, Piece::Lit(a)] => StrPat::Suffix(fold(a)),
            [Piece::Star, Piece::Lit(a), Piece::Star] => StrPat::Contains(fold(a)),
            _ => {
                let mut re = String::from(if cased { "(?s)^" } else { "(?is)^" });
                for p in pieces {
                    match p {
                        Piece::Lit(l) => re.push_str(&regex::escape(l)),
                        Piece::Star => re.push_str(".*"),
                        Piece::One => re.push('.'),
                    }
                }
                re.push('$');
                StrPat::Regex(
                    Regex::new(&re).map_err(|e| format!("cannot compile wildcard pattern: {e}"))?,
                )
            }
        })
    }
}

#[inline]
fn eq_fold(text: &str, needle_folded: &str) -> bool {
    if text.is_ascii() && needle_folded.is_ascii() {
        text.eq_ignore_ascii_case(needle_folded)
    } else {
        text.to_lowercase() == needle_folded
    }
}

#[inline]
fn prefix_fold(text: &str, p: &str) -> bool {
    if p.is_ascii() {
        text.len() >= p.len() && text.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes())
    } else {
        text.to_lowercase().starts_with(p)
    }
}

#[inline]
fn suffix_fold(text: &str, p: &str) -> bool {
    if p.is_ascii() {
        text.len() >= p.len()
            && text.as_bytes()[text.len() - p.len()..].eq_ignore_ascii_case(p.as_bytes())
    } else {
        text.to_lowercase().ends_with(p)
    }
}

/// A set of alternative patterns for one field: matches if any does.
#[derive(Debug, Clone, Default)]
pub struct StrSet {
    pub cased: bool,
    pub exact: Vec<String>,
    prefixes: Vec<String>,
    suffixes: Vec<String>,
    contains: Vec<String>,
    contains_ac: Option<AhoCorasick>,
    regexes: Vec<Regex>,
    any: bool,
    /// Numeric rule values: also match numerically ("42" vs 42.0).
    pub numbers: Vec<f64>,
}

impl StrSet {
    pub fn new(cased: bool) -> StrSet {
        StrSet {
            cased,
            ..Default::default()
        }
    }

    pub fn push(&mut self, p: StrPat) {
        match p {
            StrPat::Exact(s) => self.exact.push(s),
            StrPat::Prefix(s) => self.prefixes.push(s),
            StrPat::Suffix(s) => self.suffixes.push(s),
            StrPat::Contains(s) => self.contains.push(s),
            StrPat::Any => self.any = true,
            StrPat::Regex(r) => self.regexes.push(r),
        }
    }

    pub fn push_regex(&mut self, r: Regex) {
        self.regexes.push(r);
    }

    /// Build the Aho-Corasick automaton once all `contains` values are in.
    pub fn finish(mut self) -> StrSet {
        if !self.contains.is_empty() {
            self.contains_ac = AhoCorasickBuilder::new()
                .ascii_case_insensitive(!self.cased)
                .match_kind(MatchKind::LeftmostFirst)
                .build(&self.contains)
                .ok();
        }
        self
    }

    /// No pattern other than exact values.
    fn only_exact(&self) -> bool {
        self.prefixes.is_empty()
            && self.suffixes.is_empty()
            && self.contains.is_empty()
            && self.regexes.is_empty()
            && self.numbers.is_empty()
            && !self.any
    }

    pub fn is_empty(&self) -> bool {
        self.exact.is_empty() && self.only_exact()
    }

    /// Only plain, case-insensitive equality values: usable as a dispatch key.
    pub fn is_plain_exact(&self) -> bool {
        !self.cased && !self.exact.is_empty() && self.only_exact()
    }

    /// Rough cost, used to evaluate cheap tests first.
    pub fn cost(&self) -> u32 {
        (self.exact.len() + self.prefixes.len() + self.suffixes.len()) as u32
            + if self.contains.is_empty() { 0 } else { 4 }
            + 20 * self.regexes.len() as u32
    }

    #[inline]
    pub fn is_match(&self, text: &str) -> bool {
        if self.any {
            return true;
        }
        if self.cased {
            if self.exact.iter().any(|e| e == text)
                || self.prefixes.iter().any(|p| text.starts_with(p.as_str()))
                || self.suffixes.iter().any(|p| text.ends_with(p.as_str()))
            {
                return true;
            }
        } else if self.exact.iter().any(|e| eq_fold(text, e))
            || self.prefixes.iter().any(|p| prefix_fold(text, p))
            || self.suffixes.iter().any(|p| suffix_fold(text, p))
        {
            return true;
        }
        if let Some(ac) = &self.contains_ac {
            if ac.is_match(text) {
                return true;
            }
            if !self.cased && !text.is_ascii() && self.contains.iter().any(|c| !c.is_ascii()) {
                let lower = text.to_lowercase();
                if self.contains.iter().any(|c| lower.contains(c.as_str())) {
                    return true;
                }
            }
        }
        self.regexes.iter().any(|r| r.is_match(text))
    }
}

/// An IPv4 or IPv6 network for the `cidr` modifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Net {
    addr: IpAddr,
    prefix: u8,
}

impl Net {
    pub fn parse(s: &str) -> Result<Net, String> {
        let (a, p) = s.split_once('/').unwrap_or((s, ""));
        let addr: IpAddr = a
            .trim()
            .parse()
            .map_err(|_| format!("'{s}' is not a CIDR network"))?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = if p.is_empty() {
            max
        } else {
            p.trim()
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("'{s}' has an invalid prefix length"))?
        };
        Ok(Net { addr, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                let mask = if self.prefix == 0 {
                    0
                } else {
                    u32::MAX << (32 - self.prefix)
                };
                (u32::from(n) & mask) == (u32::from(a) & mask)
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => {
                let mask = if self.prefix == 0 {
                    0
                } else {
                    u128::MAX << (128 - self.prefix)
                };
                (u128::from(n) & mask) == (u128::from(a) & mask)
            }
            (IpAddr::V4(_), IpAddr::V6(a)) => a
                .to_ipv4_mapped()
                .is_some_and(|v4| self.contains(IpAddr::V4(v4))),
            _ => false,
        }
    }
}

/// Comparison for `gt`/`gte`/`lt`/`lte`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumOp {
    Gt,
    Gte,
    Lt,
    Lte,
}

impl NumOp {
    pub fn test(self, a: f64, b: f64) -> bool {
        match self {
            NumOp::Gt => a > b,
            NumOp::Gte => a >= b,
            NumOp::Lt => a < b,
            NumOp::Lte => a <= b,
        }
    }
}

/// Standard base64 (with padding), for the `base64`/`base64offset` modifiers.
pub fn base64(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The three encodings of `value` that can appear inside a longer base64
/// string, depending on its alignment (Sigma's `base64offset`).
pub fn base64_offsets(value: &str) -> Vec<String> {
    let v = value.as_bytes();
    let starts = [0usize, 2, 3];
    let ends = [0usize, 3, 2];
    (0..3)
        .map(|i| {
            let mut buf = vec![b' '; i];
            buf.extend_from_slice(v);
            let enc = base64(&buf);
            let end_trim = ends[(v.len() + i) % 3];
            enc[starts[i]..enc.len() - end_trim].to_string()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(vals: &[&str], cased: bool) -> StrSet {
        let mut s = StrSet::new(cased);
        for v in vals {
            s.push(StrPat::from_pieces(&parse_wildcards(v), cased).unwrap());
        }
        s.finish()
    }

    #[test]
    fn wildcards_and_escapes() {
        assert_eq!(parse_wildcards(r"a\*b"), vec![Piece::Lit("a*b".into())]);
        assert_eq!(
            parse_wildcards(r"C:\Windows\*"),
            vec![Piece::Lit(r"C:\Windows*".into())]
        );
        assert_eq!(
            parse_wildcards(r"C:\Windows\\*"),
            vec![Piece::Lit(r"C:\Windows\".into()), Piece::Star]
        );
        assert_eq!(
            parse_wildcards(r"a\\*"),
            vec![Piece::Lit(r"a\".into()), Piece::Star]
        );
        assert_eq!(
            parse_wildcards("?x"),
            vec![Piece::One, Piece::Lit("x".into())]
        );
    }

    #[test]
    fn case_insensitive_by_default() {
        let s = set(
            &["StopLogging", "*trail*", "Delete*", "*Policy", "a?c*z"],
            false,
        );
        for t in [
            "stoplogging",
            "UpdateTRAILx",
            "deleteBucket",
            "putbucketPOLICY",
            "abcxyz",
            "AXC_Z",
        ] {
            assert!(s.is_match(t), "{t}");
        }
        for t in ["StartLogging", "xdelete", "policyx", "ac", ""] {
            assert!(!s.is_match(t), "{t}");
        }
        let c = set(&["StopLogging"], true);
        assert!(c.is_match("StopLogging") && !c.is_match("stoplogging"));
    }

    #[test]
    fn unicode_folding() {
        let s = set(&["ÉTÉ", "*ÜBER*"], false);
        assert!(s.is_match("été"));
        assert!(s.is_match("x über y"));
    }

    #[test]
    fn any_matches_empty() {
        assert!(set(&["*"], false).is_match(""));
        assert!(set(&[""], false).is_match(""));
        assert!(!set(&[""], false).is_match("x"));
    }

    #[test]
    fn cidr() {
        let n = Net::parse("10.0.0.0/8").unwrap();
        assert!(n.contains("10.1.2.3".parse().unwrap()));
        assert!(!n.contains("11.0.0.1".parse().unwrap()));
        assert!(n.contains("::ffff:10.0.0.1".parse().unwrap()));
        let v6 = Net::parse("2001:db8::/32").unwrap();
        assert!(v6.contains("2001:db8::1".parse().unwrap()));
        assert!(Net::parse("0.0.0.0/0")
            .unwrap()
            .contains("8.8.8.8".parse().unwrap()));
        assert!(Net::parse("10.0.0.0/33").is_err());
        assert!(Net::parse("nope").is_err());
    }

    #[test]
    fn base64_offsets_match_known_values() {
        assert_eq!(base64(b"hello"), "aGVsbG8=");
        assert_eq!(base64(b""), "");
        // Each variant must appear in the encoding of the value at that offset.
        let v = "powershell";
        let vars = base64_offsets(v);
        for (i, var) in vars.iter().enumerate() {
            let enc = base64(format!("{}{v}xyz", "A".repeat(i)).as_bytes());
            assert!(enc.contains(var.as_str()), "{i} {var} {enc}");
        }
    }
}
