//! Sigma rule levels and warden's incident threat levels.

use serde::{Deserialize, Serialize};

/// A Sigma rule's `level`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Informational,
    Low,
    Medium,
    High,
    Critical,
}

impl Level {
    pub fn parse(s: &str) -> Option<Level> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "informational" | "info" => Level::Informational,
            "low" => Level::Low,
            "medium" => Level::Medium,
            "high" => Level::High,
            "critical" => Level::Critical,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Informational => "informational",
            Level::Low => "low",
            Level::Medium => "medium",
            Level::High => "high",
            Level::Critical => "critical",
        }
    }
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How urgently an incident needs a human. Deterministic: computed from rule
/// levels and correlation, never from model output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ThreatLevel {
    Low,
    Medium,
    High,
    Critical,
}

impl ThreatLevel {
    pub fn from_level(l: Level) -> ThreatLevel {
        match l {
            Level::Informational | Level::Low => ThreatLevel::Low,
            Level::Medium => ThreatLevel::Medium,
            Level::High => ThreatLevel::High,
            Level::Critical => ThreatLevel::Critical,
        }
    }

    pub fn raise(self) -> ThreatLevel {
        match self {
            ThreatLevel::Low => ThreatLevel::Medium,
            ThreatLevel::Medium => ThreatLevel::High,
            ThreatLevel::High | ThreatLevel::Critical => ThreatLevel::Critical,
        }
    }

    pub fn parse(s: &str) -> Option<ThreatLevel> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "low" => ThreatLevel::Low,
            "medium" => ThreatLevel::Medium,
            "high" => ThreatLevel::High,
            "critical" => ThreatLevel::Critical,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ThreatLevel::Low => "low",
            ThreatLevel::Medium => "medium",
            ThreatLevel::High => "high",
            ThreatLevel::Critical => "critical",
        }
    }

    /// The reference pipeline's three-value scale (`low`/`medium`/`high`).
    pub fn reference_scale(self) -> &'static str {
        match self {
            ThreatLevel::Low => "low",
            ThreatLevel::Medium => "medium",
            ThreatLevel::High | ThreatLevel::Critical => "high",
        }
    }
}

impl std::fmt::Display for ThreatLevel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_order_and_map() {
        assert!(Level::Critical > Level::High);
        assert_eq!(
            ThreatLevel::from_level(Level::Informational),
            ThreatLevel::Low
        );
        assert_eq!(ThreatLevel::High.raise(), ThreatLevel::Critical);
        assert_eq!(ThreatLevel::Critical.reference_scale(), "high");
        assert_eq!(Level::parse("HIGH"), Some(Level::High));
        assert_eq!(ThreatLevel::parse("nope"), None);
    }
}
