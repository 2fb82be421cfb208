-- wrk script: a signed Slack slash command (body and headers from the
-- environment; the signature stays valid for Slack's 5-minute window).
local f = assert(io.open(os.getenv("WRK_BODY_FILE"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["X-Slack-Request-Timestamp"] = os.getenv("WRK_SLACK_TS")
wrk.headers["X-Slack-Signature"] = os.getenv("WRK_SLACK_SIG")
