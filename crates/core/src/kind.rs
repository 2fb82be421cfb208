//! Log kinds and the standard accessors each kind maps to raw JSON paths.
//!
//! Rules refer to raw field paths (`userIdentity.arn`); triage and output
//! want the same facts whatever the source (`principal`, `source_ip`). This
//! table is the one place that knows where each fact lives in each format.

use serde::{Deserialize, Serialize};

use crate::fields::{FieldId, FieldRegistry};

/// The log format an event was recognised as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum LogKind {
    /// AWS CloudTrail management, data or Insights event.
    CloudTrail,
    /// Amazon GuardDuty finding.
    GuardDuty,
    /// Amazon Bedrock model-invocation log record (`schemaType` ModelInvocationLog).
    Bedrock,
    /// Okta System Log event.
    Okta,
    /// JSON we could not attribute to a known format; only rules without a
    /// product/service restriction see it.
    Unknown,
}

impl LogKind {
    pub const ALL: [LogKind; 5] = [
        LogKind::CloudTrail,
        LogKind::GuardDuty,
        LogKind::Bedrock,
        LogKind::Okta,
        LogKind::Unknown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LogKind::CloudTrail => "cloudtrail",
            LogKind::GuardDuty => "guardduty",
            LogKind::Bedrock => "bedrock",
            LogKind::Okta => "okta",
            LogKind::Unknown => "unknown",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }

    /// Value of `eventSource` to report for formats that have none.
    fn constant_source(self) -> Option<&'static str> {
        match self {
            LogKind::GuardDuty => Some("guardduty.amazonaws.com"),
            LogKind::Bedrock => Some("bedrock.amazonaws.com"),
            LogKind::Okta => Some("okta"),
            _ => None,
        }
    }
}

impl std::fmt::Display for LogKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A fact about an event that does not depend on its format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Accessor {
    Time,
    EventId,
    Account,
    Region,
    PrincipalArn,
    PrincipalType,
    AccessKeyId,
    UserName,
    SessionIssuer,
    SourceIp,
    UserAgent,
    EventSource,
    EventName,
    EventType,
    ErrorCode,
    ErrorMessage,
    ReadOnly,
    S3Bucket,
    S3Key,
    ContentType,
    Resources,
    Severity,
    Title,
    ModelId,
    InputTokens,
    OutputTokens,
    Outcome,
    /// The AWS resource a finding is about (instance, bucket, cluster…).
    ResourceId,
}

impl Accessor {
    pub const COUNT: usize = Accessor::ResourceId as usize + 1;
}

/// Paths tried in order for each (kind, accessor); the first present wins.
fn paths(kind: LogKind, acc: Accessor) -> &'static [&'static str] {
    use Accessor::*;
    match kind {
        LogKind::CloudTrail => match acc {
            Time => &["eventTime"],
            EventId => &["eventID"],
            Account => &["recipientAccountId", "userIdentity.accountId"],
            Region => &["awsRegion"],
            PrincipalArn => &["userIdentity.arn"],
            PrincipalType => &["userIdentity.type"],
            AccessKeyId => &["userIdentity.accessKeyId"],
            UserName => &[
                "userIdentity.userName",
                "userIdentity.sessionContext.sessionIssuer.userName",
                "additionalEventData.UserName",
            ],
            SessionIssuer => &["userIdentity.sessionContext.sessionIssuer.arn"],
            SourceIp => &["sourceIPAddress"],
            UserAgent => &["userAgent"],
            EventSource => &["eventSource"],
            EventName => &["eventName"],
            EventType => &["eventType"],
            ErrorCode => &["errorCode"],
            ErrorMessage => &["errorMessage"],
            ReadOnly => &["readOnly"],
            S3Bucket => &["requestParameters.bucketName"],
            S3Key => &["requestParameters.key"],
            ContentType => &[
                "requestParameters.Content-Type",
                "additionalEventData.Content-Type",
            ],
            Resources => &["resources"],
            // Console sign-in failures carry no errorCode, only this.
            Outcome => &["responseElements.ConsoleLogin"],
            Severity | Title | ModelId | InputTokens | OutputTokens | ResourceId => &[],
        },
        LogKind::GuardDuty => match acc {
            Time => &["updatedAt", "createdAt"],
            EventId => &["id"],
            Account => &["accountId"],
            Region => &["region"],
            PrincipalArn => &["resource.accessKeyDetails.userName"],
            PrincipalType => &["resource.accessKeyDetails.userType"],
            AccessKeyId => &["resource.accessKeyDetails.accessKeyId"],
            UserName => &["resource.accessKeyDetails.userName"],
            SourceIp => &[
                "service.action.awsApiCallAction.remoteIpDetails.ipAddressV4",
                "service.action.networkConnectionAction.remoteIpDetails.ipAddressV4",
                "service.action.kubernetesApiCallAction.remoteIpDetails.ipAddressV4",
            ],
            UserAgent => &["service.action.awsApiCallAction.userAgent.fullUserAgent"],
            EventName => &["type"],
            EventType => &["service.action.actionType"],
            S3Bucket => &["resource.s3BucketDetails.name"],
            Resources => &["resource"],
            Severity => &["severity"],
            Title => &["title"],
            ResourceId => &[
                "resource.instanceDetails.instanceId",
                "resource.s3BucketDetails.name",
                "resource.eksClusterDetails.name",
                "resource.ecsClusterDetails.name",
                "resource.rdsDbInstanceDetails.dbInstanceIdentifier",
                "resource.lambdaDetails.functionName",
                "resource.accessKeyDetails.accessKeyId",
            ],
            _ => &[],
        },
        LogKind::Bedrock => match acc {
            Time => &["timestamp"],
            EventId => &["requestId"],
            Account => &["accountId"],
            Region => &["region"],
            PrincipalArn => &["identity.arn"],
            EventName => &["operation"],
            ModelId => &["modelId"],
            InputTokens => &["input.inputTokenCount"],
            OutputTokens => &["output.outputTokenCount"],
            ErrorCode => &["errorCode"],
            _ => &[],
        },
        LogKind::Okta => match acc {
            Time => &["published"],
            EventId => &["uuid"],
            PrincipalArn => &["actor.alternateId"],
            PrincipalType => &["actor.type"],
            UserName => &["actor.alternateId"],
            SourceIp => &["client.ipAddress"],
            UserAgent => &["client.userAgent.rawUserAgent"],
            EventName => &["eventType"],
            ErrorMessage => &["outcome.reason"],
            Outcome => &["outcome.result"],
            Severity => &["severity"],
            Title => &["displayMessage"],
            _ => &[],
        },
        LogKind::Unknown => match acc {
            Time => &["eventTime", "timestamp", "time", "published", "@timestamp"],
            EventId => &["eventID", "id", "uuid"],
            EventName => &["eventName", "eventType", "type"],
            _ => &[],
        },
    }
}

/// Paths whose presence identifies a format (see `LogKind` detection in
/// `warden-ingest`). Registered so the scanner always extracts them.
pub const KIND_MARKERS: &[&str] = &[
    "eventVersion",
    "eventSource",
    "schemaType",
    "schemaVersion",
    "service.serviceName",
    "eventType",
    "actor",
    "detail-type",
    "detail",
];

/// Field ids of the standard accessors for every kind, resolved once against
/// a registry.
#[derive(Debug, Clone)]
pub struct StdFields {
    table: Vec<Vec<Vec<FieldId>>>,
    pub markers: Markers,
}

/// Field ids of the format-identifying paths.
#[derive(Debug, Clone, Copy)]
pub struct Markers {
    pub event_version: FieldId,
    pub event_source: FieldId,
    pub schema_type: FieldId,
    pub schema_version: FieldId,
    pub service_name: FieldId,
    pub event_type: FieldId,
    pub actor: FieldId,
    pub detail_type: FieldId,
    pub detail: FieldId,
}

impl StdFields {
    /// Register every standard path in `reg` and remember their ids.
    pub fn register(reg: &mut FieldRegistry) -> StdFields {
        let mut table = Vec::with_capacity(LogKind::ALL.len());
        for kind in LogKind::ALL {
            let mut per = Vec::with_capacity(Accessor::COUNT);
            for acc in ACCESSORS {
                per.push(paths(kind, acc).iter().map(|p| reg.intern(p)).collect());
            }
            table.push(per);
        }
        let m: Vec<FieldId> = KIND_MARKERS.iter().map(|p| reg.intern(p)).collect();
        StdFields {
            table,
            markers: Markers {
                event_version: m[0],
                event_source: m[1],
                schema_type: m[2],
                schema_version: m[3],
                service_name: m[4],
                event_type: m[5],
                actor: m[6],
                detail_type: m[7],
                detail: m[8],
            },
        }
    }

    pub fn ids(&self, kind: LogKind, acc: Accessor) -> &[FieldId] {
        &self.table[kind.index()][acc as usize]
    }

    pub fn constant(&self, kind: LogKind, acc: Accessor) -> Option<&'static str> {
        match acc {
            Accessor::EventSource => kind.constant_source(),
            _ => None,
        }
    }
}

const ACCESSORS: [Accessor; Accessor::COUNT] = {
    use Accessor::*;
    [
        Time,
        EventId,
        Account,
        Region,
        PrincipalArn,
        PrincipalType,
        AccessKeyId,
        UserName,
        SessionIssuer,
        SourceIp,
        UserAgent,
        EventSource,
        EventName,
        EventType,
        ErrorCode,
        ErrorMessage,
        ReadOnly,
        S3Bucket,
        S3Key,
        ContentType,
        Resources,
        Severity,
        Title,
        ModelId,
        InputTokens,
        OutputTokens,
        Outcome,
        ResourceId,
    ]
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accessor_table_is_in_declaration_order() {
        for (i, a) in ACCESSORS.iter().enumerate() {
            assert_eq!(*a as usize, i);
        }
    }

    #[test]
    fn registering_std_fields_is_idempotent() {
        let mut reg = FieldRegistry::new();
        let a = StdFields::register(&mut reg);
        let n = reg.len();
        let b = StdFields::register(&mut reg);
        assert_eq!(n, reg.len());
        assert_eq!(
            a.ids(LogKind::CloudTrail, Accessor::EventName),
            b.ids(LogKind::CloudTrail, Accessor::EventName)
        );
    }
}
