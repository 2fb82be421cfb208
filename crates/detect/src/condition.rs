//! Sigma condition expressions: `sel and not (filter1 or filter2)`,
//! `1 of sel*`, `all of them`.

/// Parsed condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cond {
    And(Vec<Cond>),
    Or(Vec<Cond>),
    Not(Box<Cond>),
    /// A search identifier (selection name).
    Ref(String),
    /// `1 of pattern` / `any of pattern`; `them` is the pattern `*`.
    OneOf(String),
    /// `all of pattern`.
    AllOf(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    And,
    Or,
    Not,
    LParen,
    RParen,
    OneOf,
    AllOf,
    Ident(String),
    Pipe,
}

const AGGREGATION: &str =
    "aggregation expressions ('| count() …') are deprecated in Sigma; write a correlation rule instead";

fn tokenize(s: &str) -> Result<Vec<Tok>, String> {
    if s.contains('|') {
        return Err(AGGREGATION.into());
    }
    let mut out = Vec::new();
    let words: Vec<String> = {
        let mut w = Vec::new();
        let mut cur = String::new();
        for c in s.chars() {
            match c {
                '(' | ')' | '|' => {
                    if !cur.is_empty() {
                        w.push(std::mem::take(&mut cur));
                    }
                    w.push(c.to_string());
                }
                c if c.is_whitespace() => {
                    if !cur.is_empty() {
                        w.push(std::mem::take(&mut cur));
                    }
                }
                c => cur.push(c),
            }
        }
        if !cur.is_empty() {
            w.push(cur);
        }
        w
    };
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        let lw = w.to_ascii_lowercase();
        let tok = match lw.as_str() {
            "and" => Tok::And,
            "or" => Tok::Or,
            "not" => Tok::Not,
            "(" => Tok::LParen,
            ")" => Tok::RParen,
            "|" => Tok::Pipe,
            "1" | "any" | "all"
                if words
                    .get(i + 1)
                    .is_some_and(|n| n.eq_ignore_ascii_case("of")) =>
            {
                i += 1;
                if lw == "all" {
                    Tok::AllOf
                } else {
                    Tok::OneOf
                }
            }
            _ => {
                if !w
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '*' || c == '-' || c == '.')
                {
                    return Err(format!("unexpected '{w}' in condition"));
                }
                Tok::Ident(w.clone())
            }
        };
        out.push(tok);
        i += 1;
    }
    Ok(out)
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }
    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).cloned();
        self.pos += 1;
        t
    }
    fn or(&mut self) -> Result<Cond, String> {
        let mut items = vec![self.and()?];
        while self.peek() == Some(&Tok::Or) {
            self.pos += 1;
            items.push(self.and()?);
        }
        Ok(if items.len() == 1 {
            items.pop().unwrap()
        } else {
            Cond::Or(items)
        })
    }
    fn and(&mut self) -> Result<Cond, String> {
        let mut items = vec![self.not()?];
        while self.peek() == Some(&Tok::And) {
            self.pos += 1;
            items.push(self.not()?);
        }
        Ok(if items.len() == 1 {
            items.pop().unwrap()
        } else {
            Cond::And(items)
        })
    }
    fn not(&mut self) -> Result<Cond, String> {
        if self.peek() == Some(&Tok::Not) {
            self.pos += 1;
            return Ok(Cond::Not(Box::new(self.not()?)));
        }
        self.atom()
    }
    fn atom(&mut self) -> Result<Cond, String> {
        match self.next() {
            Some(Tok::LParen) => {
                let c = self.or()?;
                match self.next() {
                    Some(Tok::RParen) => Ok(c),
                    _ => Err("missing ')' in condition".into()),
                }
            }
            Some(t @ (Tok::OneOf | Tok::AllOf)) => match self.next() {
                Some(Tok::Ident(p)) => {
                    let p = if p.eq_ignore_ascii_case("them") { "*".to_string() } else { p };
                    Ok(if t == Tok::OneOf { Cond::OneOf(p) } else { Cond::AllOf(p) })
                }
                _ => Err("expected a selection name or pattern after 'of'".into()),
            },
            Some(Tok::Ident(name)) => Ok(Cond::Ref(name)),
            Some(Tok::Pipe) => Err(
                "aggregation expressions ('| count() …') are deprecated in Sigma; write a correlation rule instead".into(),
            ),
            Some(t) => Err(format!("unexpected {t:?} in condition")),
            None => Err("condition ends unexpectedly".into()),
        }
    }
}

/// Parse one condition string.
pub fn parse(s: &str) -> Result<Cond, String> {
    let toks = tokenize(s)?;
    if toks.is_empty() {
        return Err("empty condition".into());
    }
    let mut p = Parser { toks, pos: 0 };
    let c = p.or()?;
    match p.peek() {
        None => Ok(c),
        Some(Tok::Pipe) => Err(
            "aggregation expressions ('| count() …') are deprecated in Sigma; write a correlation rule instead".into(),
        ),
        Some(t) => Err(format!("unexpected {t:?} after the end of the condition")),
    }
}

/// Whether selection `name` matches a `1 of`/`all of` pattern (`*` wildcard).
pub fn pattern_matches(pattern: &str, name: &str) -> bool {
    fn glob(p: &[u8], s: &[u8]) -> bool {
        match p.split_first() {
            None => s.is_empty(),
            Some((b'*', rest)) => (0..=s.len()).any(|k| glob(rest, &s[k..])),
            Some((c, rest)) => s.first() == Some(c) && glob(rest, &s[1..]),
        }
    }
    glob(pattern.as_bytes(), name.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precedence_not_and_or() {
        let c = parse("a or b and not c").unwrap();
        assert_eq!(
            c,
            Cond::Or(vec![
                Cond::Ref("a".into()),
                Cond::And(vec![
                    Cond::Ref("b".into()),
                    Cond::Not(Box::new(Cond::Ref("c".into())))
                ])
            ])
        );
        let c = parse("(a or b) and not 1 of filter*").unwrap();
        assert!(matches!(c, Cond::And(_)));
        assert_eq!(parse("all of them").unwrap(), Cond::AllOf("*".into()));
        assert_eq!(parse("any of sel_*").unwrap(), Cond::OneOf("sel_*".into()));
        assert_eq!(
            parse("NOT a").unwrap(),
            Cond::Not(Box::new(Cond::Ref("a".into())))
        );
    }

    #[test]
    fn errors_are_explained() {
        assert!(parse("").is_err());
        assert!(parse("(a or b").unwrap_err().contains("')'"));
        assert!(parse("sel | count() > 5")
            .unwrap_err()
            .contains("correlation"));
        assert!(parse("a b").is_err());
        assert!(parse("1 of").is_err());
        assert!(parse("a and").is_err());
        assert!(parse("a = b").is_err());
    }

    #[test]
    fn patterns() {
        assert!(pattern_matches("sel*", "selection"));
        assert!(pattern_matches("*", "x"));
        assert!(!pattern_matches("sel*", "filter"));
        assert!(pattern_matches("*_x", "a_x"));
        assert!(pattern_matches("a*b*c", "a1b2c"));
        assert!(!pattern_matches("a*b*c", "a1c"));
        assert!(pattern_matches("exact", "exact"));
    }
}
