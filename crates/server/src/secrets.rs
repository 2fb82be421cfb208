//! The Slack secrets from AWS Secrets Manager: `WARDEN_SLACK_SECRET_ID`
//! names a secret (ARN or name) whose value is JSON with any of
//! `SLACK_SIGNING_SECRET`, `SLACK_BOT_TOKEN`, `SLACK_APP_TOKEN`. Values
//! set in the environment win; the rest come from the secret. Nothing read
//! here is logged.

use serde_json::Value;

use crate::slack::SlackConfig;

/// The keys read from the secret, as Slack's SDKs name them.
pub const KEYS: [&str; 3] = ["SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"];

/// The Slack settings: from the environment, completed from Secrets
/// Manager when `WARDEN_SLACK_SECRET_ID` is set. `Err` says what to fix.
pub async fn slack_config() -> Result<Option<SlackConfig>, String> {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let Some(id) = env("WARDEN_SLACK_SECRET_ID") else {
        return Ok(SlackConfig::from_env());
    };
    let conf = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let client = aws_sdk_secretsmanager::Client::new(&conf);
    let out = client
        .get_secret_value()
        .secret_id(&id)
        .send()
        .await
        .map_err(|e| {
            format!(
                "cannot read the Slack secret '{id}' from AWS Secrets Manager: {}; check the name or ARN, the region (AWS_REGION) and that this role may call secretsmanager:GetSecretValue on it",
                aws_sdk_secretsmanager::error::DisplayErrorContext(&e)
            )
        })?;
    let text = out.secret_string().ok_or_else(|| {
        format!("the secret '{id}' has no string value; store JSON such as {{\"SLACK_SIGNING_SECRET\": \"…\", \"SLACK_BOT_TOKEN\": \"xoxb-…\"}}")
    })?;
    let v: Value = serde_json::from_str(text).map_err(|_| {
        // The error would quote the secret; say only where it failed.
        format!("the secret '{id}' is not JSON; store {{\"SLACK_SIGNING_SECRET\": \"…\", \"SLACK_BOT_TOKEN\": \"xoxb-…\"}}")
    })?;
    let pick = |k: &str| {
        env(k).or_else(|| {
            v.get(k)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(String::from)
        })
    };
    let [signing, bot, app] = KEYS.map(pick);
    if signing.is_none() && app.is_none() {
        return Err(format!(
            "the secret '{id}' has neither SLACK_SIGNING_SECRET nor SLACK_APP_TOKEN"
        ));
    }
    tracing::info!(secret = %id, "Slack secrets read from AWS Secrets Manager");
    Ok(SlackConfig::from_values(signing, bot, app))
}
