//! Check-digit and validity rules that turn a digit pattern into an
//! identifier: Luhn (payment cards), SSA rules (US SSN), the Korean
//! resident registration number checksum, the Japanese My Number check
//! digit, and ISO 13616 mod-97 (IBAN).

/// Digits of `s`, ignoring spaces and dashes; `None` if anything else.
pub fn digits(s: &str) -> Option<Vec<u8>> {
    let mut v = Vec::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'0'..=b'9' => v.push(b - b'0'),
            b' ' | b'-' => {}
            _ => return None,
        }
    }
    Some(v)
}

/// Luhn checksum over all digits (the last one is the check digit).
pub fn luhn(d: &[u8]) -> bool {
    if d.len() < 2 {
        return false;
    }
    let mut sum = 0u32;
    for (i, &x) in d.iter().rev().enumerate() {
        let mut v = x as u32;
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    sum.is_multiple_of(10)
}

/// Card number: 13–19 digits, a known issuer prefix, and Luhn.
pub fn payment_card(d: &[u8]) -> bool {
    if !(13..=19).contains(&d.len()) || !luhn(d) {
        return false;
    }
    let n = |k: usize| d[..k].iter().fold(0u32, |a, &x| a * 10 + x as u32);
    let len = d.len();
    match d[0] {
        4 => matches!(len, 13 | 16 | 19),                // Visa
        5 => (51..=55).contains(&n(2)) && len == 16,     // Mastercard
        2 => (2221..=2720).contains(&n(4)) && len == 16, // Mastercard 2-series
        3 => {
            (matches!(n(2), 34 | 37) && len == 15)
                || ((3528..=3589).contains(&n(4)) && len >= 16)
                || (matches!(n(2), 36 | 38 | 39) && len >= 14)
        } // Amex, JCB, Diners
        6 => n(4) == 6011 || n(2) == 65 || (644..=649).contains(&n(3)) || n(2) == 62, // Discover, UnionPay
        _ => false,
    }
}

/// US SSN validity (area, group, serial) for `AAA-GG-SSSS` digits.
pub fn us_ssn(d: &[u8]) -> bool {
    if d.len() != 9 {
        return false;
    }
    let area = d[0] as u32 * 100 + d[1] as u32 * 10 + d[2] as u32;
    let group = d[3] as u32 * 10 + d[4] as u32;
    let serial = d[5..].iter().fold(0u32, |a, &x| a * 10 + x as u32);
    area != 0 && area != 666 && area < 900 && group != 0 && serial != 0
        // Numbers the SSA reserved for advertising.
        && !(area == 987 && group == 65)
        && d != [0, 7, 8, 0, 5, 1, 1, 2, 0]
        && d != [2, 1, 9, 0, 9, 9, 9, 9, 9]
}

/// Korean resident registration number: YYMMDD, a gender/century digit
/// 1–8, and the check digit (weights 2…9,2…5, `(11 − sum mod 11) mod 10`).
pub fn kr_rrn(d: &[u8]) -> bool {
    if d.len() != 13 {
        return false;
    }
    let mm = d[2] * 10 + d[3];
    let dd = d[4] * 10 + d[5];
    if !(1..=12).contains(&mm) || !(1..=31).contains(&dd) || !(1..=8).contains(&d[6]) {
        return false;
    }
    const W: [u32; 12] = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5];
    let sum: u32 = d[..12].iter().zip(W).map(|(&x, w)| x as u32 * w).sum();
    (11 - sum % 11) % 10 == d[12] as u32
}

/// Japanese My Number (individual number): 12 digits, the last a check
/// digit over the other eleven (weights 2–7 then 2–6 from the right;
/// remainder ≤ 1 gives 0, else 11 − remainder).
pub fn jp_my_number(d: &[u8]) -> bool {
    if d.len() != 12 {
        return false;
    }
    let mut sum = 0u32;
    for n in 1..=11u32 {
        let p = d[11 - n as usize] as u32;
        let q = if n <= 6 { n + 1 } else { n - 5 };
        sum += p * q;
    }
    let r = sum % 11;
    let check = if r <= 1 { 0 } else { 11 - r };
    check == d[11] as u32
}

/// IBAN lengths by country (ISO 13616 registry): a random 16-character id
/// such as an S3 request id passes mod-97 once in 97 tries, but rarely
/// also starts with a real country code of the right length.
const IBAN_LENGTHS: [(&str, usize); 77] = [
    ("AD", 24),
    ("AE", 23),
    ("AL", 28),
    ("AT", 20),
    ("AZ", 28),
    ("BA", 20),
    ("BE", 16),
    ("BG", 22),
    ("BH", 22),
    ("BR", 29),
    ("BY", 28),
    ("CH", 21),
    ("CR", 22),
    ("CY", 28),
    ("CZ", 24),
    ("DE", 22),
    ("DK", 18),
    ("DO", 28),
    ("EE", 20),
    ("EG", 29),
    ("ES", 24),
    ("FI", 18),
    ("FO", 18),
    ("FR", 27),
    ("GB", 22),
    ("GE", 22),
    ("GI", 23),
    ("GL", 18),
    ("GR", 27),
    ("GT", 28),
    ("HR", 21),
    ("HU", 28),
    ("IE", 22),
    ("IL", 23),
    ("IQ", 23),
    ("IS", 26),
    ("IT", 27),
    ("JO", 30),
    ("KW", 30),
    ("KZ", 20),
    ("LB", 28),
    ("LC", 32),
    ("LI", 21),
    ("LT", 20),
    ("LU", 20),
    ("LV", 21),
    ("MC", 27),
    ("MD", 24),
    ("ME", 22),
    ("MK", 19),
    ("MR", 27),
    ("MT", 31),
    ("MU", 30),
    ("NL", 18),
    ("NO", 15),
    ("PK", 24),
    ("PL", 28),
    ("PS", 29),
    ("PT", 25),
    ("QA", 29),
    ("RO", 24),
    ("RS", 22),
    ("SA", 24),
    ("SC", 31),
    ("SE", 24),
    ("SI", 19),
    ("SK", 24),
    ("SM", 27),
    ("ST", 25),
    ("SV", 28),
    ("TL", 23),
    ("TN", 24),
    ("TR", 26),
    ("UA", 29),
    ("VA", 22),
    ("VG", 24),
    ("XK", 20),
];

/// IBAN: a registered country with its length, two check digits, an
/// alphanumeric BBAN; mod 97 of the rearranged number is 1.
pub fn iban(s: &str) -> bool {
    let compact: Vec<u8> = s.bytes().filter(|b| *b != b' ').collect();
    let country_len = compact
        .get(..2)
        .and_then(|c| IBAN_LENGTHS.iter().find(|(k, _)| k.as_bytes() == c))
        .map(|(_, n)| *n);
    if country_len != Some(compact.len())
        || !compact[..2].iter().all(u8::is_ascii_uppercase)
        || !compact[2..4].iter().all(u8::is_ascii_digit)
        || !compact.iter().all(u8::is_ascii_alphanumeric)
    {
        return false;
    }
    let mut rem: u32 = 0;
    for &b in compact[4..].iter().chain(&compact[..4]) {
        let v = if b.is_ascii_digit() {
            (b - b'0') as u32
        } else {
            (b.to_ascii_uppercase() - b'A') as u32 + 10
        };
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    rem == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Vec<u8> {
        digits(s).unwrap()
    }

    #[test]
    fn card_numbers() {
        assert!(payment_card(&d("4111 1111 1111 1111")));
        assert!(payment_card(&d("5555-5555-5555-4444")));
        assert!(payment_card(&d("378282246310005")));
        assert!(payment_card(&d("3530111333300000")));
        assert!(!payment_card(&d("4111 1111 1111 1112")), "Luhn");
        assert!(!payment_card(&d("1234567812345670")), "no issuer");
    }

    #[test]
    fn ssn_rules() {
        assert!(us_ssn(&d("536-22-1234")));
        for bad in [
            "000-12-3456",
            "666-12-3456",
            "900-12-3456",
            "536-00-1234",
            "536-22-0000",
            "078-05-1120",
        ] {
            assert!(!us_ssn(&d(bad)), "{bad}");
        }
    }

    #[test]
    fn korean_rrn_checksum() {
        // 900101-1234568: weights give sum 127 → (11 − 6) mod 10 = 5? compute honestly below.
        let mut base = d("900101123456");
        const W: [u32; 12] = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5];
        let sum: u32 = base.iter().zip(W).map(|(&x, w)| x as u32 * w).sum();
        base.push(((11 - sum % 11) % 10) as u8);
        assert!(kr_rrn(&base));
        let mut wrong = base.clone();
        wrong[12] = (wrong[12] + 1) % 10;
        assert!(!kr_rrn(&wrong));
        let mut bad_month = base.clone();
        bad_month[2] = 1;
        bad_month[3] = 3;
        assert!(!kr_rrn(&bad_month));
    }

    #[test]
    fn my_number_check_digit() {
        // 12345678901 → check digit 8 (a commonly cited worked example).
        assert!(jp_my_number(&d("123456789018")));
        assert!(!jp_my_number(&d("123456789012")));
    }

    #[test]
    fn iban_mod97() {
        assert!(iban("GB82 WEST 1234 5698 7654 32"));
        assert!(iban("DE89370400440532013000"));
        assert!(!iban("GB82 WEST 1234 5698 7654 33"));
        assert!(!iban("XX00"));
        // An S3 request id that happens to pass mod-97 is not an IBAN.
        assert!(!iban("CF2391F3547888A6"));
    }
}
