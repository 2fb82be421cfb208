//! IAM wildcard matching: `*` any run of characters, `?` one character,
//! ASCII case folded for actions (IAM action names are case-insensitive)
//! and exact case for ARNs (resource names are case-sensitive).

/// Does `pat` (with `*` and `?`) match all of `text`?
pub fn matches(pat: &str, text: &str, fold_case: bool) -> bool {
    let p = pat.as_bytes();
    let t = text.as_bytes();
    let eq = |a: u8, b: u8| {
        if fold_case {
            a.eq_ignore_ascii_case(&b)
        } else {
            a == b
        }
    };
    // Iterative matcher with single backtrack point: linear in practice,
    // never exponential on hostile patterns like `a*a*a*a*b`.
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (usize::MAX, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == b'?' || (p[pi] != b'*' && eq(p[pi], t[ti]))) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == b'*' {
            star = pi;
            pi += 1;
            mark = ti;
        } else if star != usize::MAX {
            pi = star + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == b'*' {
        pi += 1;
    }
    pi == p.len()
}

pub fn has_wildcard(s: &str) -> bool {
    s.contains(['*', '?'])
}

/// Could some string match both patterns? Used to decide whether a Deny's
/// resource pattern overlaps an Allow's (conservatively: `*`/`?` in either
/// pattern match anything at that point).
pub fn overlaps(a: &str, b: &str) -> bool {
    fn go(a: &[u8], b: &[u8], budget: &mut u32) -> bool {
        if *budget == 0 {
            return true; // give up: assume overlap
        }
        *budget -= 1;
        match (a.first(), b.first()) {
            (None, None) => true,
            (Some(b'*'), _) => go(&a[1..], b, budget) || (!b.is_empty() && go(a, &b[1..], budget)),
            (_, Some(b'*')) => go(a, &b[1..], budget) || (!a.is_empty() && go(&a[1..], b, budget)),
            (None, _) | (_, None) => false,
            (Some(x), Some(y)) => {
                (*x == b'?' || *y == b'?' || x == y) && go(&a[1..], &b[1..], budget)
            }
        }
    }
    let mut budget = 100_000;
    go(a.as_bytes(), b.as_bytes(), &mut budget)
}

/// Could a resource written as `pattern` in a policy be of the resource
/// type whose ARN template (variables already `*`) is `template`? Compared
/// part by part (partition, service, region, account, resource), because a
/// type's variables never span a `:` — without this, `group/team-*` would
/// seem to reach `user/*` through its trailing star.
pub fn arn_overlaps(pattern: &str, template: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    let p: Vec<&str> = pattern.splitn(6, ':').collect();
    let t: Vec<&str> = template.splitn(6, ':').collect();
    if p.len() != 6 || t.len() != 6 {
        return overlaps(pattern, template);
    }
    p.iter().zip(&t).all(|(a, b)| overlaps(a, b))
}

/// Is every string matched by `narrow` also matched by `wide`? Exact for
/// the shapes policies use (`*` suffixes and literal text); a `*` inside
/// `narrow` is only covered by a `*` in `wide` at the same place or later.
pub fn covers(wide: &str, narrow: &str) -> bool {
    if wide == "*" {
        return true;
    }
    if !has_wildcard(narrow) {
        return matches(wide, narrow, false);
    }
    // Treat narrow's wildcards as literal characters that only a `*` in
    // `wide` can absorb: substitute an impossible byte and match.
    let probe: String = narrow
        .chars()
        .map(|c| if c == '*' || c == '?' { '\u{1}' } else { c })
        .collect();
    let w: String = wide
        .chars()
        .map(|c| if c == '?' { '\u{2}' } else { c })
        .collect();
    matches(&w, &probe, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcard_matching() {
        assert!(matches("s3:Get*", "s3:GetObject", true));
        assert!(matches("S3:get*", "s3:GetObject", true));
        assert!(!matches("S3:get*", "s3:GetObject", false));
        assert!(matches("iam:?ass*", "iam:PassRole", true));
        assert!(matches("*", "", true));
        assert!(!matches("s3:Get", "s3:GetObject", true));
        assert!(matches("arn:aws:s3:::b/*/x", "arn:aws:s3:::b/a/b/x", false));
        let hostile = "a*".repeat(40) + "b";
        assert!(!matches(&hostile, &"a".repeat(200), false));
    }

    #[test]
    fn overlap_and_cover() {
        assert!(overlaps("arn:aws:s3:::b/*", "arn:aws:s3:::*"));
        assert!(!overlaps("arn:aws:s3:::a/*", "arn:aws:s3:::b/*"));
        assert!(covers("*", "arn:aws:s3:::b/*"));
        assert!(covers("arn:aws:s3:::b/*", "arn:aws:s3:::b/logs/*"));
        assert!(!covers("arn:aws:s3:::b/logs/*", "arn:aws:s3:::b/*"));
        assert!(!covers("arn:aws:iam::1:role/a?", "arn:aws:iam::1:role/a*"));
        assert!(!arn_overlaps(
            "arn:aws:iam::123456789012:group/team-*",
            "arn:*:iam::*:user/*"
        ));
        assert!(arn_overlaps("arn:aws:iam::*:user/*", "arn:*:iam::*:user/*"));
        assert!(arn_overlaps("arn:aws:iam::1:*", "arn:*:iam::*:user/*"));
    }
}
