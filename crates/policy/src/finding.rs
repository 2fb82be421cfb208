//! What the analyzer reports: findings with a stable code, a severity, an
//! optional risk category, and where in the policy they point.

use serde::Serialize;

use crate::json::Pos;

/// Severity, in the words IAM Access Analyzer's policy validation uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Severity {
    Suggestion,
    Warning,
    SecurityWarning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "ERROR",
            Severity::SecurityWarning => "SECURITY_WARNING",
            Severity::Warning => "WARNING",
            Severity::Suggestion => "SUGGESTION",
        }
    }
}

/// Machine-readable risk categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    PrivilegeEscalation,
    DataExfiltration,
    CredentialsExposure,
    ResourceExposure,
    PermissionsManagement,
    InfrastructureModification,
    ServiceWildcard,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::PrivilegeEscalation => "privilege_escalation",
            Category::DataExfiltration => "data_exfiltration",
            Category::CredentialsExposure => "credentials_exposure",
            Category::ResourceExposure => "resource_exposure",
            Category::PermissionsManagement => "permissions_management",
            Category::InfrastructureModification => "infrastructure_modification",
            Category::ServiceWildcard => "service_wildcard",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Stable identifier, e.g. `UNKNOWN_ACTION`, `PRIVESC_PASSROLE_LAMBDA`.
    pub code: String,
    pub severity: Severity,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
    pub message: String,
    /// 0-based statement index, when the finding is about one statement.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statement: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    /// JSONPath of the element, e.g. `$.Statement[1].Action[0]`.
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    /// The actions the finding is about (expanded, `service:Action`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<String>,
    /// For risks: how an attacker would use it / what to do.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Which policy file, when several are combined.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Index of the policy among those analysed together (risk findings);
    /// turned into `file` by the caller.
    #[serde(skip)]
    pub policy: Option<usize>,
}

impl Finding {
    pub fn new(code: &str, severity: Severity, message: impl Into<String>) -> Finding {
        Finding {
            code: code.to_string(),
            severity,
            category: None,
            message: message.into(),
            statement: None,
            sid: None,
            path: "$".into(),
            line: None,
            column: None,
            actions: Vec::new(),
            detail: None,
            file: None,
            policy: None,
        }
    }

    pub fn at(mut self, path: impl Into<String>, pos: Option<Pos>) -> Finding {
        self.path = path.into();
        if let Some(p) = pos {
            self.line = Some(p.line);
            self.column = Some(p.col);
        }
        self
    }

    pub fn stmt(mut self, index: usize, sid: Option<&str>) -> Finding {
        self.statement = Some(index);
        self.sid = sid.map(str::to_string);
        self
    }

    pub fn category(mut self, c: Category) -> Finding {
        self.category = Some(c);
        self
    }

    pub fn actions(mut self, a: Vec<String>) -> Finding {
        self.actions = a;
        self
    }

    pub fn detail(mut self, d: impl Into<String>) -> Finding {
        self.detail = Some(d.into());
        self
    }
}
