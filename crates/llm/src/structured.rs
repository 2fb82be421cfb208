//! Answers that must be data: strip code fences, parse into a typed
//! structure that rejects unknown fields (derive with
//! `#[serde(deny_unknown_fields)]`), give the model one chance to repair
//! invalid JSON, and fail clearly so the caller can fall back to its
//! offline text.

use serde::de::DeserializeOwned;

/// The JSON inside a model answer: a fenced block (```json … ```) if there
/// is one, else the outermost `{…}` or `[…]`.
pub fn extract_json(answer: &str) -> &str {
    if let Some(start) = answer.find("```") {
        let after = &answer[start + 3..];
        let body_start = after.find('\n').map(|i| i + 1).unwrap_or(0);
        let body = &after[body_start..];
        if let Some(end) = body.find("```") {
            return body[..end].trim();
        }
    }
    let open = answer.find(['{', '[']);
    let close = answer.rfind(['}', ']']);
    match (open, close) {
        (Some(o), Some(c)) if c > o => &answer[o..=c],
        _ => answer.trim(),
    }
}

/// Parse an answer into `T`.
pub fn parse<T: DeserializeOwned>(answer: &str) -> Result<T, String> {
    serde_json::from_str(extract_json(answer)).map_err(|e| e.to_string())
}

/// Parse, and on failure ask once for a repaired answer (`repair` gets the
/// error and returns the model's second answer).
pub async fn parse_with_repair<T, F, Fut>(answer: &str, repair: F) -> Result<T, String>
where
    T: DeserializeOwned,
    F: FnOnce(String) -> Fut,
    Fut: std::future::Future<Output = Result<String, String>>,
{
    match parse(answer) {
        Ok(v) => Ok(v),
        Err(first) => {
            let again = repair(format!(
                "Your answer was not valid JSON for the required structure ({first}). Answer again with only the JSON object."
            ))
            .await?;
            parse(&again).map_err(|e| format!("the model's answer is not valid even after one repair: {e} (first error: {first})"))
        }
    }
}

/// Standard base64 (for image blocks).
pub fn base64(data: &[u8]) -> String {
    aws_smithy_types::base64::encode(data)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Triage {
        title: String,
        level: Level,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "lowercase")]
    enum Level {
        Low,
        High,
    }

    #[test]
    fn fences_unknown_fields_and_enums() {
        let ok: Triage =
            parse("Here you go:\n```json\n{\"title\": \"x\", \"level\": \"high\"}\n```").unwrap();
        assert_eq!(
            ok,
            Triage {
                title: "x".into(),
                level: Level::High
            }
        );
        assert!(
            parse::<Triage>("{\"title\": \"x\", \"level\": \"high\", \"extra\": 1}")
                .unwrap_err()
                .contains("unknown field")
        );
        assert!(parse::<Triage>("{\"title\": \"x\", \"level\": \"severe\"}")
            .unwrap_err()
            .contains("unknown variant"));
        let t: Triage =
            parse("Sure! {\"title\": \"y\", \"level\": \"low\"} Hope it helps.").unwrap();
        assert_eq!(t.level, Level::Low);
    }

    #[tokio::test]
    async fn one_repair_round() {
        let fixed: Triage = parse_with_repair("{title: x}", |_e| async {
            Ok("{\"title\":\"x\",\"level\":\"low\"}".to_string())
        })
        .await
        .unwrap();
        assert_eq!(fixed.level, Level::Low);
        let err =
            parse_with_repair::<Triage, _, _>("nope", |_e| async { Ok("still nope".to_string()) })
                .await
                .unwrap_err();
        assert!(err.contains("even after one repair"));
    }

    #[test]
    fn base64_matches_rfc4648() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }
}
