//! Finding rule files (bundled and user folders), reading every YAML
//! document in them, and building an [`Engine`]. A rule that fails is
//! reported with its file and reason; the others still load.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;
use serde_yaml::{Mapping, Value as Y};
use warden_core::{FieldRegistry, StdFields};

use crate::correlate::{parse_correlation, CompiledCorrelation, CorrelationDef};
use crate::engine::Engine;
use crate::rule::{compile_detection, read_meta, CompiledRule};

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// One rule file and, if present, its examples file.
#[derive(Debug, Clone)]
pub struct RuleFile {
    /// `builtin:cloudtrail/x.yml` or a filesystem path.
    pub source: String,
    pub text: String,
    pub examples: Option<(String, String)>,
}

/// A rule (or file) that could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    pub source: String,
    pub rule: Option<String>,
    pub message: String,
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.rule {
            Some(r) => write!(f, "{} ({}): {}", self.source, r, self.message),
            None => write!(f, "{}: {}", self.source, self.message),
        }
    }
}

const EXAMPLES_SUFFIX: &str = ".examples.yml";

fn is_examples(name: &str) -> bool {
    name.ends_with(EXAMPLES_SUFFIX) || name.ends_with(".examples.yaml")
}

fn examples_name(rule: &str) -> String {
    let stem = rule
        .strip_suffix(".yml")
        .or_else(|| rule.strip_suffix(".yaml"))
        .unwrap_or(rule);
    format!("{stem}{EXAMPLES_SUFFIX}")
}

/// The rules bundled into the binary.
pub fn builtin_files() -> Vec<RuleFile> {
    let all: HashMap<&str, &str> = BUILTIN_FILES.iter().copied().collect();
    BUILTIN_FILES
        .iter()
        .filter(|(name, _)| !is_examples(name))
        .map(|(name, text)| {
            let ex = examples_name(name);
            RuleFile {
                source: format!("builtin:{name}"),
                text: text.to_string(),
                examples: all
                    .get(ex.as_str())
                    .map(|t| (format!("builtin:{ex}"), t.to_string())),
            }
        })
        .collect()
}

/// Rule files under `dir` (recursively), sorted by path.
pub fn dir_files(dir: &Path) -> (Vec<RuleFile>, Vec<LoadError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    if !dir.is_dir() {
        errors.push(LoadError {
            source: dir.display().to_string(),
            rule: None,
            message: "not a directory; --rules takes a folder of Sigma .yml files".into(),
        });
        return (files, errors);
    }
    let mut paths = Vec::new();
    while let Some(d) = stack.pop() {
        match std::fs::read_dir(&d) {
            Ok(entries) => {
                for e in entries.flatten() {
                    let p = e.path();
                    if p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with('.'))
                    {
                        continue;
                    }
                    if p.is_dir() {
                        stack.push(p);
                    } else if matches!(p.extension().and_then(|e| e.to_str()), Some("yml" | "yaml"))
                    {
                        paths.push(p);
                    }
                }
            }
            Err(e) => errors.push(LoadError {
                source: d.display().to_string(),
                rule: None,
                message: format!("cannot read directory: {e}"),
            }),
        }
    }
    paths.sort();
    for p in paths {
        let name = p.to_string_lossy().to_string();
        if is_examples(&name) {
            continue;
        }
        match std::fs::read(&p) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => {
                    let ex = examples_name(&name);
                    let examples = std::fs::read_to_string(&ex).ok().map(|t| (ex, t));
                    files.push(RuleFile {
                        source: name,
                        text,
                        examples,
                    });
                }
                Err(_) => errors.push(LoadError {
                    source: name,
                    rule: None,
                    message: "not UTF-8 text".into(),
                }),
            },
            Err(e) => errors.push(LoadError {
                source: name,
                rule: None,
                message: format!("cannot read: {e}"),
            }),
        }
    }
    (files, errors)
}

/// Split a file into its YAML documents as mappings.
pub fn documents(text: &str) -> Result<Vec<Mapping>, String> {
    let mut out = Vec::new();
    for doc in serde_yaml::Deserializer::from_str(text) {
        let v = Y::deserialize(doc).map_err(|e| format!("invalid YAML: {e}"))?;
        match v {
            Y::Mapping(m) => out.push(m),
            Y::Null => {}
            _ => return Err("a rule document must be a YAML mapping".into()),
        }
    }
    Ok(out)
}

/// Result of loading rules.
pub struct Loaded {
    pub engine: Engine,
    pub errors: Vec<LoadError>,
    /// Loaded rules that will never run because warden reads no logs of
    /// their logsource (e.g. Windows rules in a mixed folder).
    pub inactive: Vec<String>,
}

/// Compile `files` into an engine.
pub fn build(files: &[RuleFile]) -> Loaded {
    let mut reg = FieldRegistry::new();
    let std = StdFields::register(&mut reg);
    let mut errors = Vec::new();
    let mut rules: Vec<CompiledRule> = Vec::new();
    let mut corr_defs: Vec<CorrelationDef> = Vec::new();
    let mut seen_ids: HashMap<String, String> = HashMap::new();
    let mut inactive = Vec::new();
    for f in files {
        let docs = match documents(&f.text) {
            Ok(d) => d,
            Err(e) => {
                errors.push(LoadError {
                    source: f.source.clone(),
                    rule: None,
                    message: e,
                });
                continue;
            }
        };
        for (i, doc) in docs.iter().enumerate() {
            let fallback = if docs.len() > 1 {
                format!("{}#{}", f.source, i + 1)
            } else {
                f.source.clone()
            };
            let err = |rule: Option<String>, message: String| LoadError {
                source: f.source.clone(),
                rule,
                message,
            };
            if doc.contains_key(Y::String("action".into())) {
                errors.push(err(
                    None,
                    "legacy rule collections ('action: global') are not supported; write each rule as its own document".into(),
                ));
                continue;
            }
            let meta = match read_meta(doc, &fallback) {
                Ok(m) => m,
                Err(e) => {
                    errors.push(err(None, e));
                    continue;
                }
            };
            if let Some(prev) = seen_ids.get(&meta.id) {
                errors.push(err(
                    Some(meta.title.clone()),
                    format!(
                        "duplicate rule id {} (already used in {prev}); this copy is skipped",
                        meta.id
                    ),
                ));
                continue;
            }
            let title = meta.title.clone();
            let id = meta.id.clone();
            if doc.contains_key(Y::String("correlation".into())) {
                match parse_correlation(doc, meta, &f.source) {
                    Ok(c) => {
                        seen_ids.insert(id, f.source.clone());
                        corr_defs.push(c);
                    }
                    Err(e) => errors.push(err(Some(title), e)),
                }
            } else {
                match compile_detection(doc, meta, &f.source, &mut reg) {
                    Ok(r) => {
                        seen_ids.insert(id, f.source.clone());
                        if r.kinds == 0 {
                            let ls = &r.meta.logsource;
                            let part = |name: &str, v: &Option<String>| {
                                v.as_ref().map(|v| format!("{name}: {v}"))
                            };
                            let desc: Vec<String> = [
                                part("product", &ls.product),
                                part("service", &ls.service),
                                part("category", &ls.category),
                            ]
                            .into_iter()
                            .flatten()
                            .collect();
                            inactive.push(format!(
                                "{} ({}): logsource {{{}}} is not a log warden reads (aws/cloudtrail, aws/guardduty, aws/bedrock, okta); the rule never runs",
                                r.source,
                                r.meta.title,
                                desc.join(", ")
                            ));
                        }
                        rules.push(r);
                    }
                    Err(e) => errors.push(err(Some(title), e)),
                }
            }
        }
    }
    let mut correlations = Vec::new();
    for def in corr_defs {
        let mut bases = Vec::new();
        let mut keys = Vec::new();
        let mut missing = Vec::new();
        for r in &def.rules {
            match rules
                .iter()
                .position(|x| x.meta.id == *r || x.meta.name.as_deref() == Some(r.as_str()))
            {
                Some(p) => {
                    bases.push(p);
                    let mut k = vec![rules[p].meta.id.clone()];
                    k.extend(rules[p].meta.name.clone());
                    keys.push(k);
                }
                None => missing.push(r.clone()),
            }
        }
        if !missing.is_empty() {
            errors.push(LoadError {
                source: def.source.clone(),
                rule: Some(def.meta.title.clone()),
                message: format!(
                    "correlation refers to rules that are not loaded: {} (refer to a rule by its 'name' or 'id'; correlations of correlations are not supported)",
                    missing.join(", ")
                ),
            });
            continue;
        }
        correlations.push(CompiledCorrelation::compile(def, bases, &keys, &mut reg));
    }
    Loaded {
        engine: Engine::new(rules, correlations, reg, std),
        errors,
        inactive,
    }
}
