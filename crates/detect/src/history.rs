//! Per-entity history for `first_seen` rules ("a country this user never
//! signed in from", "a region this key never used").
//!
//! History is a small JSON file (`--state PATH`): for each first-seen rule
//! and entity, when the entity was first seen and when each value was last
//! seen. Values unseen for longer than the rule's `timespan` are forgotten
//! (so "new" means "not seen within the retention period"), and entities
//! are pruned the same way when the file is saved. Without a state file the
//! history lives only for the run. Writes are atomic (temporary file, then
//! rename), so an interrupted run never leaves a half-written file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// One entity's history under one rule.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct EntityHistory {
    /// When the entity was first seen (ms since the epoch).
    pub first: i64,
    /// Each value and when it was last seen.
    pub values: BTreeMap<String, i64>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct FileFormat {
    version: u32,
    /// rule id → entity key → history
    rules: BTreeMap<String, BTreeMap<String, EntityHistory>>,
}

/// History of all first-seen rules.
#[derive(Debug, Default)]
pub struct History {
    path: Option<PathBuf>,
    rules: BTreeMap<String, BTreeMap<String, EntityHistory>>,
}

impl History {
    /// History kept in memory for this run only.
    pub fn in_memory() -> History {
        History::default()
    }

    /// Load history from `path`; a missing file starts empty.
    pub fn open(path: &Path) -> Result<History, String> {
        let rules = match std::fs::read(path) {
            Ok(bytes) => {
                let f: FileFormat = serde_json::from_slice(&bytes).map_err(|e| {
                    format!(
                        "{}: not a warden state file ({e}); move it away to start a new history",
                        path.display()
                    )
                })?;
                if f.version != 1 {
                    return Err(format!(
                        "{}: unsupported state file version {}",
                        path.display(),
                        f.version
                    ));
                }
                f.rules
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => BTreeMap::new(),
            Err(e) => return Err(format!("{}: cannot read state file: {e}", path.display())),
        };
        Ok(History {
            path: Some(path.to_path_buf()),
            rules,
        })
    }

    pub fn entity(&mut self, rule: &str, entity: &str) -> Option<&mut EntityHistory> {
        self.rules.get_mut(rule).and_then(|m| m.get_mut(entity))
    }

    pub fn entity_or_new(&mut self, rule: &str, entity: &str, now: i64) -> &mut EntityHistory {
        self.rules
            .entry(rule.to_string())
            .or_default()
            .entry(entity.to_string())
            .or_insert_with(|| EntityHistory {
                first: now,
                values: BTreeMap::new(),
            })
    }

    /// Forget values and entities last seen before `cutoff[rule]`.
    pub fn prune(&mut self, cutoff: &BTreeMap<String, i64>) {
        for (rule, entities) in self.rules.iter_mut() {
            let Some(&cut) = cutoff.get(rule) else {
                continue;
            };
            entities.retain(|_, h| {
                h.values.retain(|_, last| *last >= cut);
                !h.values.is_empty()
            });
        }
        self.rules.retain(|_, e| !e.is_empty());
    }

    /// Entities remembered, over all rules.
    pub fn len(&self) -> usize {
        self.rules.values().map(BTreeMap::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Write the history back to its file (no-op when in memory).
    pub fn save(&self) -> Result<(), String> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("{}: cannot create directory: {e}", dir.display()))?;
        }
        let doc = FileFormat {
            version: 1,
            rules: self.rules.clone(),
        };
        let tmp = path.with_extension("tmp");
        let bytes = serde_json::to_vec(&doc).map_err(|e| e.to_string())?;
        std::fs::write(&tmp, bytes)
            .map_err(|e| format!("{}: cannot write state: {e}", tmp.display()))?;
        std::fs::rename(&tmp, path)
            .map_err(|e| format!("{}: cannot replace state file: {e}", path.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_prunes_and_rejects_garbage() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("sub/state.json");
        let mut h = History::open(&p).unwrap();
        h.entity_or_new("r", "alice", 10)
            .values
            .insert("US".into(), 10);
        h.entity_or_new("r", "bob", 10)
            .values
            .insert("KR".into(), 500);
        h.save().unwrap();
        let mut h2 = History::open(&p).unwrap();
        assert_eq!(h2.len(), 2);
        assert_eq!(h2.entity("r", "alice").unwrap().values["US"], 10);
        h2.prune(&BTreeMap::from([("r".to_string(), 100)]));
        assert_eq!(h2.len(), 1);
        std::fs::write(&p, "{not json").unwrap();
        assert!(History::open(&p)
            .unwrap_err()
            .contains("not a warden state file"));
    }
}
