//! Timestamps: parsed leniently, printed as RFC 3339 UTC.
//!
//! Logs disagree on time formats: CloudTrail writes `2024-05-01T12:00:00Z`,
//! Okta adds milliseconds, anonymised data sets use `2022-03-22 14:21:53.225`,
//! some exports use epoch numbers. A small hand-written parser keeps this off
//! the hot path's dependency list and never panics.

use serde::{Serialize, Serializer};

/// Milliseconds since the Unix epoch, UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Timestamp(pub i64);

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn digits(b: &[u8], at: usize, n: usize) -> Option<u32> {
    let s = b.get(at..at + n)?;
    let mut v = 0u32;
    for &c in s {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + (c - b'0') as u32;
    }
    Some(v)
}

impl Timestamp {
    /// The wall clock now.
    pub fn now() -> Timestamp {
        Timestamp(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_millis() as i64)
                .unwrap_or(i64::MAX),
        )
    }

    /// Parse `YYYY-MM-DD[T ]HH:MM[:SS[.fff…]][Z|±HH[:]MM]`, a bare date, or
    /// an epoch number (seconds, or milliseconds when it is that large).
    pub fn parse(s: &str) -> Option<Timestamp> {
        let s = s.trim();
        let b = s.as_bytes();
        if !b.is_empty() && b.iter().all(|c| c.is_ascii_digit() || *c == b'.') && b.len() >= 9 {
            return s.parse::<f64>().ok().map(Timestamp::from_epoch_number);
        }
        let year = digits(b, 0, 4)? as i64;
        if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
            return None;
        }
        let month = digits(b, 5, 2)?;
        let day = digits(b, 8, 2)?;
        if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
            return None;
        }
        let days = days_from_civil(year, month, day);
        if b.len() == 10 {
            return Some(Timestamp(days * 86_400_000));
        }
        if !matches!(b.get(10), Some(b'T' | b't' | b' ')) {
            return None;
        }
        let hour = digits(b, 11, 2)?;
        if b.get(13) != Some(&b':') {
            return None;
        }
        let min = digits(b, 14, 2)?;
        let mut i = 16;
        let mut sec = 0;
        if b.get(i) == Some(&b':') {
            sec = digits(b, 17, 2)?;
            i = 19;
        }
        let mut millis = 0u32;
        if b.get(i) == Some(&b'.') || b.get(i) == Some(&b',') {
            i += 1;
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                if i - start < 3 {
                    millis = millis * 10 + (b[i] - b'0') as u32;
                }
                i += 1;
            }
            let n = (i - start).min(3);
            if n == 0 {
                return None;
            }
            for _ in n..3 {
                millis *= 10;
            }
        }
        if hour > 23 || min > 59 || sec > 60 {
            return None;
        }
        let mut offset_min: i64 = 0;
        match b.get(i) {
            None => {}
            Some(b'Z' | b'z') if i + 1 == b.len() => {}
            Some(&sign @ (b'+' | b'-')) => {
                let oh = digits(b, i + 1, 2)? as i64;
                let rest = &b[i + 3..];
                let om = match rest {
                    [] => 0,
                    [b':', ..] => digits(b, i + 4, 2)? as i64,
                    _ => digits(b, i + 3, 2)? as i64,
                };
                offset_min = oh * 60 + om;
                if sign == b'-' {
                    offset_min = -offset_min;
                }
            }
            _ => return None,
        }
        let secs =
            days * 86_400 + hour as i64 * 3600 + min as i64 * 60 + sec as i64 - offset_min * 60;
        Some(Timestamp(secs * 1000 + millis as i64))
    }

    /// Epoch seconds, or milliseconds when the number is too large to be
    /// seconds (after the year 5138).
    pub fn from_epoch_number(n: f64) -> Timestamp {
        if n.abs() >= 1e11 {
            Timestamp(n as i64)
        } else {
            Timestamp((n * 1000.0) as i64)
        }
    }

    pub fn millis(self) -> i64 {
        self.0
    }

    /// RFC 3339 in UTC with millisecond precision when needed.
    pub fn to_rfc3339(self) -> String {
        let ms = self.0.rem_euclid(1000);
        let secs = self.0.div_euclid(1000);
        let days = secs.div_euclid(86_400);
        let sod = secs.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        let (h, mi, s) = (sod / 3600, (sod % 3600) / 60, sod % 60);
        if ms == 0 {
            format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
        } else {
            format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{ms:03}Z")
        }
    }
}

impl std::fmt::Display for Timestamp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_rfc3339())
    }
}

/// Parse a duration like `30s`, `5m`, `1h`, `2d`, `1w` into milliseconds.
pub fn parse_duration_ms(s: &str) -> Option<i64> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit())?;
    let (n, unit) = s.split_at(split);
    let n: i64 = n.parse().ok()?;
    let mult = match unit.trim() {
        "ms" => 1,
        "s" => 1000,
        "m" | "min" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        "w" => 7 * 86_400_000,
        "M" => 30 * 86_400_000,
        "y" => 365 * 86_400_000,
        _ => return None,
    };
    n.checked_mul(mult)
}

/// A configuration duration: `30s`, `5m`, … or a bare `0`; never negative.
pub fn parse_duration(s: &str) -> Option<std::time::Duration> {
    if s.trim() == "0" {
        return Some(std::time::Duration::ZERO);
    }
    parse_duration_ms(s)
        .filter(|ms| *ms >= 0)
        .map(|ms| std::time::Duration::from_millis(ms as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_durations() {
        assert_eq!(parse_duration("0"), Some(std::time::Duration::ZERO));
        assert_eq!(
            parse_duration("20s"),
            Some(std::time::Duration::from_secs(20))
        );
        assert_eq!(parse_duration("soon"), None);
    }

    #[test]
    fn parses_cloudtrail_and_odd_formats() {
        let a = Timestamp::parse("2022-03-22T14:21:53Z").unwrap();
        assert_eq!(a.to_rfc3339(), "2022-03-22T14:21:53Z");
        let b = Timestamp::parse("2022-03-22 14:21:53.225").unwrap();
        assert_eq!(b.0 - a.0, 225);
        let c = Timestamp::parse("2022-03-22T23:21:53+09:00").unwrap();
        assert_eq!(c, a);
        let d = Timestamp::parse("2022-03-22T14:21:53.123456789Z").unwrap();
        assert_eq!(d.0 - a.0, 123);
        assert_eq!(Timestamp::parse("1647958913").unwrap(), a);
        assert_eq!(Timestamp::parse("1647958913000").unwrap(), a);
        assert_eq!(
            Timestamp::parse("1970-01-01").unwrap().to_rfc3339(),
            "1970-01-01T00:00:00Z"
        );
    }

    #[test]
    fn rejects_garbage_without_panicking() {
        for s in [
            "",
            "x",
            "2022-13-01T00:00:00Z",
            "2022-03-22T",
            "2022-03-22T1",
            "2022-03-22T14:21:53Q",
            "２０２２-03-22",
            "2022-03-22T14:21:53.Z",
            "2022-03-22T14:21:53+0",
        ] {
            assert!(Timestamp::parse(s).is_none(), "{s}");
        }
    }

    #[test]
    fn round_trips_dates_across_eras() {
        for ms in [0i64, 951_782_400_000, -86_400_000, 4_102_444_800_123] {
            let t = Timestamp(ms);
            assert_eq!(Timestamp::parse(&t.to_rfc3339()), Some(t));
        }
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration_ms("5m"), Some(300_000));
        assert_eq!(parse_duration_ms("1h"), Some(3_600_000));
        assert_eq!(parse_duration_ms("2d"), Some(172_800_000));
        assert_eq!(parse_duration_ms("h"), None);
        assert_eq!(parse_duration_ms("5x"), None);
    }
}
