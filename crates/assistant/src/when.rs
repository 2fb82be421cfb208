//! Time expressions in English, Korean and Japanese: "last 24 hours",
//! "yesterday", "최근 7일", "어제", "지난주", "過去7日", "昨日", "先週",
//! absolute dates (2026-11-01, 11월 1일, 11月1日), and "the day before"
//! for follow-ups.

use std::sync::OnceLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

pub const HOUR: i64 = 3_600_000;
pub const DAY: i64 = 24 * HOUR;

/// A half-open window `[since, until)` in epoch milliseconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    pub since_ms: i64,
    pub until_ms: i64,
    /// What the question said, for the plan.
    pub said: String,
}

fn start_of_day(ms: i64) -> i64 {
    ms.div_euclid(DAY) * DAY
}

/// Days from 1970-01-01 for a civil date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn year_of(ms: i64) -> i64 {
    warden_core::Timestamp(ms).to_rfc3339()[..4]
        .parse()
        .unwrap_or(1970)
}

fn unit_ms(u: &str) -> Option<i64> {
    Some(match u {
        "minute" | "minutes" | "min" | "mins" | "분" | "分" | "分間" => 60_000,
        "hour" | "hours" | "hr" | "hrs" | "h" | "시간" | "時間" => HOUR,
        "day" | "days" | "d" | "일" | "日" | "日間" => DAY,
        "week" | "weeks" | "w" | "주" | "주일" | "週" | "週間" => 7 * DAY,
        "month" | "months" | "개월" | "달" | "か月" | "ヶ月" | "カ月" => 30 * DAY,
        _ => return None,
    })
}

fn win(since: i64, until: i64, said: &str) -> Option<Window> {
    Some(Window {
        since_ms: since,
        until_ms: until,
        said: said.trim().to_string(),
    })
}

/// The window a question names, relative to `now_ms`; `None` when it names none.
pub fn parse(q: &str, now_ms: i64) -> Option<Window> {
    static RE: OnceLock<[Regex; 4]> = OnceLock::new();
    let [rel, date, md_ko, md_ja] = RE.get_or_init(|| {
        [
            Regex::new(r"(?i)(?:last|past|previous|recent|within the last|in the last|최근|지난|過去|直近|ここ)\s*(\d+)\s*(minutes?|mins?|hours?|hrs?|days?|weeks?|months?|h|d|w|시간|분|일|주일|주|개월|달|時間|分間|分|日間|日|週間|週|か月|ヶ月|カ月)").unwrap(),
            Regex::new(r"(\d{4})[-/年](\d{1,2})[-/月](\d{1,2})日?").unwrap(),
            Regex::new(r"(\d{1,2})\s*월\s*(\d{1,2})\s*일").unwrap(),
            Regex::new(r"(\d{1,2})月(\d{1,2})日").unwrap(),
        ]
    });
    let lower = q.to_lowercase();
    let today = start_of_day(now_ms);
    if let Some(c) = rel.captures(&lower) {
        let n: i64 = c[1].parse().ok()?;
        let u = unit_ms(&c[2])?;
        return win(now_ms - n * u, now_ms + 1, &c[0]);
    }
    if let Some(c) = date.captures(q) {
        let (y, m, d) = (c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?);
        let s = days_from_civil(y, m, d) * DAY;
        return win(s, s + DAY, &c[0]);
    }
    for re in [md_ko, md_ja] {
        if let Some(c) = re.captures(q) {
            let (m, d) = (c[1].parse().ok()?, c[2].parse().ok()?);
            let s = days_from_civil(year_of(now_ms), m, d) * DAY;
            return win(s, s + DAY, &c[0]);
        }
    }
    let has = |words: &[&'static str]| -> Option<&'static str> {
        words.iter().find(|w| lower.contains(**w)).copied()
    };
    if let Some(w) = has(&[
        "day before yesterday",
        "그저께",
        "그제",
        "一昨日",
        "おととい",
    ]) {
        return win(today - 2 * DAY, today - DAY, w);
    }
    if let Some(w) = has(&["yesterday", "어제", "昨日", "きのう"]) {
        return win(today - DAY, today, w);
    }
    if let Some(w) = has(&["today", "오늘", "今日", "本日", "きょう"]) {
        return win(today, now_ms + 1, w);
    }
    if let Some(w) = has(&[
        "last week",
        "past week",
        "previous week",
        "지난주",
        "지난 주",
        "저번 주",
        "先週",
        "最近一週間",
    ]) {
        return win(now_ms - 7 * DAY, now_ms + 1, w);
    }
    if let Some(w) = has(&["this week", "이번 주", "이번주", "今週"]) {
        return win(now_ms - 7 * DAY, now_ms + 1, w);
    }
    if let Some(w) = has(&["last month", "past month", "지난달", "지난 달", "先月"]) {
        return win(now_ms - 30 * DAY, now_ms + 1, w);
    }
    if let Some(w) = has(&["last night", "어젯밤", "昨夜", "昨晩"]) {
        return win(today - 6 * HOUR, today + 6 * HOUR, w);
    }
    None
}

/// "and the day before?" / "그 전날은?" / "その前日は?": the same window
/// moved back one day.
pub fn is_day_before(q: &str) -> bool {
    let l = q.to_lowercase();
    [
        "day before",
        "previous day",
        "전날",
        "그 전 날",
        "前日",
        "その前の日",
    ]
    .iter()
    .any(|w| l.contains(w))
        && !l.contains("yesterday")
}

pub fn shift(w: &Window, by_ms: i64, said: &str) -> Window {
    Window {
        since_ms: w.since_ms + by_ms,
        until_ms: w.until_ms + by_ms,
        said: said.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2026-11-02T00:00:00Z
    const NOW: i64 = 1_793_577_600_000;

    #[test]
    fn relative_and_absolute_in_three_languages() {
        let d1 = NOW - DAY; // 2026-11-01
        for (q, since, until) in [
            ("summarise the last 24 hours", NOW - DAY, NOW + 1),
            (
                "최근 24시간 동안 GuardDuty 경고 요약해줘",
                NOW - DAY,
                NOW + 1,
            ),
            ("過去7日のインシデント", NOW - 7 * DAY, NOW + 1),
            (
                "直近1週間で最も危険なインシデントは?",
                NOW - 7 * DAY,
                NOW + 1,
            ),
            ("what did john.doe do yesterday?", d1, NOW),
            ("어제 무슨 일이 있었어?", d1, NOW),
            ("昨日の失敗したログイン", d1, NOW),
            ("지난주 위협", NOW - 7 * DAY, NOW + 1),
            ("events on 2026-11-01", d1, NOW),
            ("11월 1일 루트 로그인", d1, NOW),
            ("11月1日のルートログイン", d1, NOW),
            ("2026年11月1日", d1, NOW),
        ] {
            let w = parse(q, NOW).unwrap_or_else(|| panic!("{q}: no window"));
            assert_eq!((w.since_ms, w.until_ms), (since, until), "{q}: {w:?}");
        }
        assert!(parse("who deleted the trail?", NOW).is_none());
        assert!(is_day_before("and the day before?"));
        assert!(is_day_before("그 전날은?"));
        assert!(is_day_before("その前日は?"));
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2026, 11, 2) * DAY, NOW);
    }
}
