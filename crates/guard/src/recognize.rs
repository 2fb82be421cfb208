//! PII and secret recognisers: patterns, then validation (check digits,
//! decodable structure) and context words, so a 12-digit AWS account id is
//! not a My Number and a git SHA is not a secret key.
//!
//! Offsets are byte offsets into the scanned text. Boundaries are checked
//! in code rather than with `\b`, so identifiers glued to Korean or
//! Japanese text ("번호는010-1234-5678입니다") are still found.

use std::sync::OnceLock;

use regex::Regex;
use serde::Serialize;

use crate::checks;

/// What was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Entity {
    Email,
    Phone,
    CreditCard,
    UsSsn,
    KrRrn,
    JpMyNumber,
    Passport,
    IpAddress,
    AwsAccessKey,
    AwsSecretKey,
    PrivateKey,
    Jwt,
    BearerToken,
    UrlPassword,
    Iban,
}

impl Entity {
    pub const ALL: [Entity; 15] = [
        Entity::Email,
        Entity::Phone,
        Entity::CreditCard,
        Entity::UsSsn,
        Entity::KrRrn,
        Entity::JpMyNumber,
        Entity::Passport,
        Entity::IpAddress,
        Entity::AwsAccessKey,
        Entity::AwsSecretKey,
        Entity::PrivateKey,
        Entity::Jwt,
        Entity::BearerToken,
        Entity::UrlPassword,
        Entity::Iban,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Entity::Email => "EMAIL",
            Entity::Phone => "PHONE",
            Entity::CreditCard => "CREDIT_CARD",
            Entity::UsSsn => "US_SSN",
            Entity::KrRrn => "KR_RRN",
            Entity::JpMyNumber => "JP_MY_NUMBER",
            Entity::Passport => "PASSPORT",
            Entity::IpAddress => "IP_ADDRESS",
            Entity::AwsAccessKey => "AWS_ACCESS_KEY",
            Entity::AwsSecretKey => "AWS_SECRET_KEY",
            Entity::PrivateKey => "PRIVATE_KEY",
            Entity::Jwt => "JWT",
            Entity::BearerToken => "BEARER_TOKEN",
            Entity::UrlPassword => "URL_PASSWORD",
            Entity::Iban => "IBAN",
        }
    }

    pub fn parse(s: &str) -> Option<Entity> {
        Entity::ALL
            .into_iter()
            .find(|e| e.as_str().eq_ignore_ascii_case(s))
    }

    /// Credentials rather than personal data.
    pub fn is_secret(self) -> bool {
        matches!(
            self,
            Entity::AwsAccessKey
                | Entity::AwsSecretKey
                | Entity::PrivateKey
                | Entity::Jwt
                | Entity::BearerToken
                | Entity::UrlPassword
        )
    }
}

/// One finding: what, where (byte offsets), how sure.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Found {
    #[serde(rename = "type")]
    pub entity: Entity,
    pub start: usize,
    pub end: usize,
    pub score: f32,
}

struct Pattern {
    entity: Entity,
    re: Regex,
    /// Capture group holding the value (0 = whole match).
    group: usize,
}

struct Compiled {
    patterns: Vec<Pattern>,
}

fn compiled() -> &'static Compiled {
    static C: OnceLock<Compiled> = OnceLock::new();
    C.get_or_init(|| {
        let src: Vec<(Entity, &str, usize)> = vec![
            (Entity::Email, r"[A-Za-z0-9][A-Za-z0-9._%+\-]{0,63}@[A-Za-z0-9](?:[A-Za-z0-9\-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]{0,62}[A-Za-z0-9])?)*\.[A-Za-z]{2,24}", 0),
            // International: +CC and 7–13 more digits with separators.
            (Entity::Phone, r"\+[1-9]\d{0,2}[ \-.]?\(?\d{1,4}\)?(?:[ \-.]?\d{2,4}){2,4}", 0),
            // Korean mobile and landline, Japanese mobile and landline, US/UK with separators.
            (Entity::Phone, r"0(?:1[016789]|2|[3-6][1-5]|70|80)[ \-.)]\d{3,4}[ \-.]\d{4}|01[016789]\d{7,8}", 0),
            (Entity::Phone, r"0[5789]0[ \-]?\d{4}[ \-]?\d{4}|0[1-9]\d{0,3}[ \-]\d{1,4}[ \-]\d{4}|0[1-9]\d{0,3}\(\d{1,4}\)\d{4}", 0),
            (Entity::Phone, r"\(?[2-9]\d{2}\)[ \-.]?\d{3}[ \-.]\d{4}|(?:1[ \-.])?[2-9]\d{2}[\-.]\d{3}[\-.]\d{4}|0[1-9]\d{2,3} ?\d{6}", 0),
            // Japanese toll-free (0120-123-456) and area codes in parentheses.
            (Entity::Phone, r"0120[ \-]?\d{3}[ \-]?\d{3}|\(0\d{1,4}\) ?\d{1,4}[ \-]\d{4}", 0),
            (Entity::CreditCard, r"[3-6]\d{3}(?:[ \-]?\d{4}){2}[ \-]?\d{1,7}|3[47]\d{2}[ \-]?\d{6}[ \-]?\d{5}", 0),
            (Entity::UsSsn, r"\d{3}-\d{2}-\d{4}|\d{3} \d{2} \d{4}", 0),
            // Nine bare digits only right after the words.
            (Entity::UsSsn, r"(?i)(?:ssn|social security(?: number| no\.?)?)[^\n\d]{0,16}?(\d{9})", 1),
            (Entity::KrRrn, r"\d{6}[ \-]?[1-8]\d{6}", 0),
            (Entity::JpMyNumber, r"\d{4}[ \-]?\d{4}[ \-]?\d{4}", 0),
            (Entity::Passport, r"(?i)(?:passport|여권|旅券|パスポート)[^\n]{0,40}?([A-Z]{1,2}\d{7,8}|\d{9})", 1),
            (Entity::IpAddress, r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}", 0),
            (Entity::IpAddress, r"[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:%[0-9A-Za-z]+)?", 0),
            (Entity::AwsAccessKey, r"(?:AKIA|ASIA)[A-Z2-7]{16}", 0),
            (Entity::AwsSecretKey, r#"(?i)(?:aws_?secret_?access_?key|secret_?access_?key|aws_?secret|secret_?key)["']?\s*[:=]\s*["']?([A-Za-z0-9/+]{40})"#, 1),
            (Entity::PrivateKey, r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----(?s:.*?)(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----|\z)", 0),
            (Entity::Jwt, r"eyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}", 0),
            (Entity::BearerToken, r"(?i)bearer\s+([A-Za-z0-9\-._~+/]{16,}=*)", 1),
            (Entity::UrlPassword, r"[A-Za-z][A-Za-z0-9+.\-]{1,15}://[^\s:/@]{1,128}:([^\s@/]{1,128})@", 1),
            (Entity::Iban, r"[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?", 0),
        ];
        // One regex each rather than a RegexSet: a set of these patterns
        // overflows the lazy DFA's cache and falls back to a slow NFA
        // simulation, while each pattern alone keeps its literal prefilter.
        let patterns = src
            .into_iter()
            .map(|(entity, r, group)| Pattern {
                entity,
                re: Regex::new(r).expect("pattern compiles"),
                group,
            })
            .collect();
        Compiled { patterns }
    })
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

/// No ASCII letter/digit glued on either side (CJK letters are fine), and
/// none of `extra` before; after, an `extra` character only counts when the
/// token goes on past it ("a@b.com." ends a sentence, "a@b.com.evil" does
/// not end there).
fn bounded(text: &str, start: usize, end: usize, extra: &[char]) -> bool {
    let before = text[..start].chars().next_back();
    let mut rest = text[end..].chars();
    let after = rest.next();
    let bad_before = before.is_some_and(|c| is_word(c) || extra.contains(&c));
    let bad_after = after
        .is_some_and(|c| is_word(c) || (extra.contains(&c) && rest.next().is_some_and(is_word)));
    !bad_before && !bad_after
}

/// Is one of `words` within `window` bytes before `start` (case-insensitive)?
fn context(text: &str, start: usize, window: usize, words: &[&str]) -> bool {
    let mut from = start.saturating_sub(window);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let before = text[from..start].to_lowercase();
    words.iter().any(|w| before.contains(w))
}

fn base64url_json_has_alg(part: &str) -> bool {
    let mut bytes = Vec::with_capacity(part.len());
    let mut acc = 0u32;
    let mut bits = 0;
    for c in part.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return false,
        } as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            bytes.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    let s = String::from_utf8_lossy(&bytes);
    s.starts_with('{') && s.contains("\"alg\"")
}

/// Validate one candidate; `Some(score)` keeps it.
fn judge(entity: Entity, text: &str, s: usize, e: usize) -> Option<f32> {
    let v = &text[s..e];
    match entity {
        Entity::Email => bounded(text, s, e, &['.', '_', '%', '+', '-', '@']).then_some(0.95),
        Entity::Phone => {
            let n = v.bytes().filter(u8::is_ascii_digit).count();
            // `_` is allowed before: file names such as name_010-1234-5678.pdf.
            if !(9..=15).contains(&n) || !bounded(text, s, e, &['.', '-', '/', ':']) {
                return None;
            }
            // A date or a version string is not a phone number.
            if v.len() == 10 && v.as_bytes()[4] == b'-' {
                return None;
            }
            let intl = v.starts_with('+');
            // Domestic numbers: 00 is an international prefix, and only
            // Korean landlines (02-123-4567) have nine digits.
            if !intl {
                let b = v.as_bytes();
                let kr_landline = b.starts_with(b"02")
                    || (b.len() > 2
                        && (b'3'..=b'6').contains(&b[1])
                        && (b'1'..=b'5').contains(&b[2]));
                if v.starts_with("00") || (n == 9 && !kr_landline) {
                    return None;
                }
            }
            Some(
                if intl
                    || context(
                        text,
                        s,
                        24,
                        &[
                            "tel",
                            "phone",
                            "전화",
                            "연락처",
                            "휴대",
                            "電話",
                            "携帯",
                            "call",
                        ],
                    )
                {
                    0.9
                } else {
                    0.7
                },
            )
        }
        Entity::CreditCard => {
            let d = checks::digits(v)?;
            (checks::payment_card(&d) && bounded(text, s, e, &['-', '.'])).then_some(0.95)
        }
        Entity::UsSsn => {
            let d = checks::digits(v)?;
            if !checks::us_ssn(&d) || !bounded(text, s, e, &['-', '.']) {
                return None;
            }
            Some(if context(text, s, 32, &["ssn", "social security"]) {
                0.95
            } else {
                0.75
            })
        }
        Entity::KrRrn => {
            let d = checks::digits(v)?;
            (checks::kr_rrn(&d) && bounded(text, s, e, &['-', '.'])).then_some(
                if context(text, s, 32, &["주민", "rrn", "resident"]) {
                    0.98
                } else {
                    0.85
                },
            )
        }
        Entity::JpMyNumber => {
            let d = checks::digits(v)?;
            if !checks::jp_my_number(&d) || !bounded(text, s, e, &['-', '.']) {
                return None;
            }
            // Twelve digits are also AWS account ids: require the words.
            context(
                text,
                s,
                48,
                &[
                    "マイナンバー",
                    "個人番号",
                    "my number",
                    "mynumber",
                    "個人番号カード",
                ],
            )
            .then_some(0.95)
        }
        Entity::Passport => bounded(text, s, e, &[]).then_some(0.8),
        Entity::IpAddress => {
            if v.contains(':') {
                let addr = v.split('%').next().unwrap_or(v);
                if addr.parse::<std::net::Ipv6Addr>().is_err() || addr.matches(':').count() < 2 {
                    return None;
                }
                // Times like 10:00:00 never parse; "::" alone is not an address.
                if addr == "::" || !bounded(text, s, e, &[':', '.']) {
                    return None;
                }
                Some(0.85)
            } else {
                // Version strings have more parts: 10.0.19041.1.
                let before = text[..s].chars().next_back();
                let after = text[e..].chars().next();
                let dotted = |c: Option<char>| c.is_some_and(|c| c == '.' || is_word(c));
                let after_dot_digit = text[e..].starts_with('.')
                    && text[e + 1..].starts_with(|c: char| c.is_ascii_digit());
                if dotted(before) || (after.is_some_and(is_word)) || after_dot_digit {
                    return None;
                }
                Some(0.9)
            }
        }
        Entity::AwsAccessKey => bounded(text, s, e, &[]).then_some(0.99),
        Entity::AwsSecretKey => bounded(text, s, e, &['/', '+']).then_some(0.9),
        Entity::PrivateKey => Some(0.99),
        Entity::Jwt => {
            let header = v.split('.').next()?;
            (bounded(text, s, e, &['-', '_']) && base64url_json_has_alg(header)).then_some(0.95)
        }
        Entity::BearerToken => Some(0.9),
        Entity::UrlPassword => (!v.is_empty()).then_some(0.9),
        Entity::Iban => (checks::iban(v) && bounded(text, s, e, &[])).then_some(0.95),
    }
}

/// Find every entity in `text`, most specific first, without overlaps
/// between different findings (the higher score, then the longer span,
/// wins).
pub fn scan(text: &str) -> Vec<Found> {
    // Japanese forms and OCR often write digits full-width (０９０－１２３４):
    // scan an ASCII-folded copy and map the spans back.
    if text.chars().any(is_fullwidth_ascii) {
        let mut folded = String::with_capacity(text.len());
        let mut map = Vec::with_capacity(text.len() + 1); // folded byte -> original byte
        for (i, ch) in text.char_indices() {
            let f = if is_fullwidth_ascii(ch) {
                char::from_u32(ch as u32 - 0xFEE0).unwrap_or(ch)
            } else {
                ch
            };
            for _ in 0..f.len_utf8() {
                map.push(i);
            }
            folded.push(f);
        }
        map.push(text.len());
        return scan_ascii(&folded)
            .into_iter()
            .map(|f| Found {
                start: map[f.start],
                end: map[f.end],
                ..f
            })
            .collect();
    }
    scan_ascii(text)
}

/// Full-width digits, letters and the punctuation used in numbers.
fn is_fullwidth_ascii(c: char) -> bool {
    matches!(c, '\u{FF01}'..='\u{FF5E}')
}

fn scan_ascii(text: &str) -> Vec<Found> {
    let c = compiled();
    let mut found: Vec<Found> = Vec::new();
    for p in &c.patterns {
        for caps in p.re.captures_iter(text) {
            let Some(m) = caps.get(p.group) else { continue };
            if let Some(score) = judge(p.entity, text, m.start(), m.end()) {
                found.push(Found {
                    entity: p.entity,
                    start: m.start(),
                    end: m.end(),
                    score,
                });
            }
        }
    }
    resolve(found)
}

/// Overlap resolution: the more specific recogniser wins.
fn resolve(mut found: Vec<Found>) -> Vec<Found> {
    // Specificity order: validated identifiers and secrets before the
    // broad digit patterns.
    let rank = |e: Entity| match e {
        Entity::PrivateKey => 0,
        Entity::BearerToken => 1,
        Entity::Jwt => 2,
        Entity::UrlPassword => 3,
        Entity::AwsAccessKey | Entity::AwsSecretKey => 4,
        Entity::Email => 5,
        Entity::Iban => 6,
        Entity::CreditCard => 7,
        Entity::KrRrn => 8,
        Entity::JpMyNumber => 9,
        Entity::UsSsn => 10,
        Entity::Passport => 11,
        Entity::IpAddress => 12,
        Entity::Phone => 13,
    };
    found.sort_by(|a, b| {
        rank(a.entity)
            .cmp(&rank(b.entity))
            .then(b.score.total_cmp(&a.score))
            .then((b.end - b.start).cmp(&(a.end - a.start)))
    });
    let mut kept: Vec<Found> = Vec::with_capacity(found.len());
    for f in found {
        if !kept.iter().any(|k| k.start < f.end && f.start < k.end) {
            kept.push(f);
        }
    }
    kept.sort_by_key(|f| (f.start, f.end));
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(&'static str, String)> {
        scan(text)
            .into_iter()
            .map(|f| (f.entity.as_str(), text[f.start..f.end].to_string()))
            .collect()
    }

    #[test]
    fn finds_the_common_entities_in_log_lines() {
        let t = r#"{"userName":"kim.minji@example.co.kr","sourceIPAddress":"203.0.113.7","key":"AKIAIOSFODNN7EXAMPLE","card":"4111 1111 1111 1111"}"#;
        let k = kinds(t);
        assert!(
            k.contains(&("EMAIL", "kim.minji@example.co.kr".into())),
            "{k:?}"
        );
        assert!(k.contains(&("IP_ADDRESS", "203.0.113.7".into())), "{k:?}");
        assert!(
            k.contains(&("AWS_ACCESS_KEY", "AKIAIOSFODNN7EXAMPLE".into())),
            "{k:?}"
        );
        assert!(
            k.contains(&("CREDIT_CARD", "4111 1111 1111 1111".into())),
            "{k:?}"
        );
    }

    #[test]
    fn cjk_neighbours_and_phone_formats() {
        let k = kinds("연락처는010-1234-5678입니다. 東京の番号は03-1234-5678、携帯は090-1234-5678。Call +1 415 555 0134");
        let phones: Vec<&str> = k
            .iter()
            .filter(|(t, _)| *t == "PHONE")
            .map(|(_, v)| v.as_str())
            .collect();
        assert_eq!(
            phones,
            vec![
                "010-1234-5678",
                "03-1234-5678",
                "090-1234-5678",
                "+1 415 555 0134"
            ],
            "{k:?}"
        );
    }

    #[test]
    fn hard_negatives() {
        for t in [
            "recipientAccountId 123456789012 eventVersion 1.09",
            "build 10.0.19041.1 released 2026-11-10T10:00:00Z",
            "order 4111 1111 1111 1112 shipped",
            "ssn 000-12-3456",
            "commit 3f786850e387550fdab836ed7e6dc881de23001b",
            "requestID 8075d03c-df0e-53c9-a09e-0c0fc1140bb4",
            "bearer of bad news",
            "https://example.com/path?x=1",
        ] {
            assert!(scan(t).is_empty(), "{t}: {:?}", kinds(t));
        }
    }

    #[test]
    fn secrets_and_tokens() {
        let jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
        let k = kinds(&format!("Authorization: Bearer {jwt}"));
        assert_eq!(k, vec![("BEARER_TOKEN", jwt.to_string())]);
        let k = kinds(&format!("token={jwt}"));
        assert_eq!(k, vec![("JWT", jwt.to_string())]);
        let k = kinds("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        assert_eq!(
            k,
            vec![(
                "AWS_SECRET_KEY",
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".into()
            )]
        );
        let k = kinds("postgres://app:s3cr3t-pw@db.internal:5432/app");
        assert_eq!(k, vec![("URL_PASSWORD", "s3cr3t-pw".into())]);
        let pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----";
        assert_eq!(kinds(pem), vec![("PRIVATE_KEY", pem.to_string())]);
        assert_eq!(
            kinds("IBAN DE89 3704 0044 0532 0130 00"),
            vec![("IBAN", "DE89 3704 0044 0532 0130 00".into())]
        );
    }

    #[test]
    fn national_ids_need_validity_and_context() {
        assert_eq!(
            kinds("マイナンバー: 1234 5678 9018"),
            vec![("JP_MY_NUMBER", "1234 5678 9018".into())]
        );
        assert!(kinds("account 123456789018")
            .iter()
            .all(|(t, _)| *t != "JP_MY_NUMBER"));
        assert_eq!(
            kinds("SSN: 536-22-1234"),
            vec![("US_SSN", "536-22-1234".into())]
        );
        assert_eq!(
            kinds("여권번호 M12345678"),
            vec![("PASSPORT", "M12345678".into())]
        );
        assert!(kinds("ticket M12345678").is_empty());
    }
}
