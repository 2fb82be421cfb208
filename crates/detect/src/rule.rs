//! Sigma rule documents: YAML → metadata + compiled detection expression.

use std::sync::Arc;

use serde_yaml::{Mapping, Value as Y};
use warden_core::{FieldId, FieldRegistry, Level, LogKind, RuleInfo};

use crate::condition::{self, Cond};
use crate::expr::{Expr, Leaf, RefHow};
use crate::matcher::{base64, base64_offsets, parse_wildcards, Net, NumOp, StrPat, StrSet};

/// Which log kinds a rule applies to, as a bit mask over `LogKind::index()`.
pub type KindMask = u8;

pub fn kind_bit(k: LogKind) -> KindMask {
    1 << k.index()
}

/// A rule's `logsource`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogSource {
    pub product: Option<String>,
    pub service: Option<String>,
    pub category: Option<String>,
}

impl LogSource {
    /// The log kinds this logsource describes; 0 when warden reads no such
    /// logs (the rule is loaded but never runs).
    pub fn kinds(&self) -> KindMask {
        let p = self.product.as_deref().map(str::to_ascii_lowercase);
        let s = self.service.as_deref().map(str::to_ascii_lowercase);
        match (p.as_deref(), s.as_deref()) {
            (None, None) if self.category.is_none() => 0xff,
            (Some("aws") | None, Some("cloudtrail")) => kind_bit(LogKind::CloudTrail),
            (Some("aws") | None, Some("guardduty")) => kind_bit(LogKind::GuardDuty),
            (Some("aws") | None, Some("bedrock" | "bedrock_invocation" | "bedrock-invocation")) => {
                kind_bit(LogKind::Bedrock)
            }
            (Some("aws"), None) => {
                kind_bit(LogKind::CloudTrail)
                    | kind_bit(LogKind::GuardDuty)
                    | kind_bit(LogKind::Bedrock)
            }
            (Some("okta"), _) | (None, Some("okta")) => kind_bit(LogKind::Okta),
            _ => 0,
        }
    }
}

/// Metadata common to detection and correlation rules.
#[derive(Debug, Clone)]
pub struct Meta {
    pub id: String,
    pub name: Option<String>,
    pub title: String,
    pub status: Option<String>,
    pub description: String,
    pub level: Level,
    pub tags: Vec<String>,
    pub falsepositives: Vec<String>,
    pub logsource: LogSource,
    /// Non-fatal problems found while reading (for `rules lint`).
    pub warnings: Vec<String>,
}

impl Meta {
    pub fn info(&self, correlation: bool) -> RuleInfo {
        RuleInfo {
            id: self.id.clone(),
            name: self.name.clone(),
            title: self.title.clone(),
            level: self.level,
            tags: self.tags.clone(),
            description: self.description.clone(),
            falsepositives: self.falsepositives.clone(),
            correlation,
            novelty: false,
        }
    }
}

fn str_of(v: &Y) -> Option<String> {
    match v {
        Y::String(s) => Some(s.clone()),
        Y::Number(n) => Some(n.to_string()),
        Y::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn list_of(v: Option<&Y>) -> Vec<String> {
    match v {
        Some(Y::Sequence(xs)) => xs.iter().filter_map(str_of).collect(),
        Some(v) => str_of(v).into_iter().collect(),
        None => Vec::new(),
    }
}

/// Read the metadata of a rule document. `fallback_id` is used (with a
/// lint warning) when the rule has no `id`.
pub fn read_meta(doc: &Mapping, fallback_id: &str) -> Result<Meta, String> {
    let get = |k: &str| doc.get(Y::String(k.to_string()));
    let title = get("title")
        .and_then(str_of)
        .ok_or("the rule has no 'title'")?;
    let mut warnings = Vec::new();
    let id = match get("id").and_then(str_of) {
        Some(id) => id,
        None => {
            warnings.push("no 'id': rules need a stable UUID so alerts can be tracked".to_string());
            fallback_id.to_string()
        }
    };
    let level = match get("level").and_then(str_of) {
        Some(l) => Level::parse(&l).ok_or_else(|| {
            format!("unknown level '{l}' (use informational, low, medium, high or critical)")
        })?,
        None => {
            warnings.push("no 'level': assuming medium".to_string());
            Level::Medium
        }
    };
    let logsource = match get("logsource") {
        Some(Y::Mapping(m)) => {
            let f = |k: &str| m.get(Y::String(k.to_string())).and_then(str_of);
            LogSource {
                product: f("product"),
                service: f("service"),
                category: f("category"),
            }
        }
        _ => LogSource::default(),
    };
    Ok(Meta {
        id,
        name: get("name").and_then(str_of),
        title,
        status: get("status").and_then(str_of),
        description: get("description")
            .and_then(str_of)
            .unwrap_or_default()
            .trim()
            .to_string(),
        level,
        tags: list_of(get("tags")),
        falsepositives: list_of(get("falsepositives")),
        logsource,
        warnings,
    })
}

/// A compiled detection rule.
#[derive(Debug, Clone)]
pub struct CompiledRule {
    pub info: Arc<RuleInfo>,
    pub meta: Meta,
    pub kinds: KindMask,
    pub expr: Expr,
    /// Where it came from (file path or `builtin:…`).
    pub source: String,
}

/// Compile a detection rule document.
pub fn compile_detection(
    doc: &Mapping,
    meta: Meta,
    source: &str,
    reg: &mut FieldRegistry,
) -> Result<CompiledRule, String> {
    let Some(Y::Mapping(det)) = doc.get(Y::String("detection".into())) else {
        return Err("'detection' must be a mapping of selections plus 'condition'".into());
    };
    let mut selections: Vec<(String, Expr)> = Vec::new();
    let mut conditions: Vec<String> = Vec::new();
    for (k, v) in det {
        let Some(name) = str_of(k) else {
            return Err("selection names must be strings".into());
        };
        match name.as_str() {
            "condition" => match v {
                Y::String(s) => conditions.push(s.clone()),
                Y::Sequence(xs) => {
                    for x in xs {
                        conditions.push(str_of(x).ok_or("'condition' list items must be strings")?);
                    }
                }
                _ => return Err("'condition' must be a string or a list of strings".into()),
            },
            "timeframe" => {}
            _ => {
                let e =
                    compile_selection(v, reg).map_err(|e| format!("selection '{name}': {e}"))?;
                selections.push((name, e));
            }
        }
    }
    if conditions.is_empty() {
        return Err("'detection' has no 'condition'".into());
    }
    let mut alts = Vec::new();
    for c in &conditions {
        let cond = condition::parse(c).map_err(|e| format!("condition '{c}': {e}"))?;
        alts.push(resolve(&cond, &selections).map_err(|e| format!("condition '{c}': {e}"))?);
    }
    let expr = Expr::Or(alts).simplify();
    let kinds = meta.logsource.kinds();
    Ok(CompiledRule {
        info: Arc::new(meta.info(false)),
        meta,
        kinds,
        expr,
        source: source.to_string(),
    })
}

fn resolve(c: &Cond, sels: &[(String, Expr)]) -> Result<Expr, String> {
    Ok(match c {
        Cond::And(xs) => Expr::And(
            xs.iter()
                .map(|x| resolve(x, sels))
                .collect::<Result<_, _>>()?,
        ),
        Cond::Or(xs) => Expr::Or(
            xs.iter()
                .map(|x| resolve(x, sels))
                .collect::<Result<_, _>>()?,
        ),
        Cond::Not(x) => Expr::Not(Box::new(resolve(x, sels)?)),
        Cond::Ref(name) => sels
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, e)| e.clone())
            .ok_or_else(|| format!("no selection named '{name}'"))?,
        Cond::OneOf(p) | Cond::AllOf(p) => {
            let hit: Vec<Expr> = sels
                .iter()
                .filter(|(n, _)| condition::pattern_matches(p, n))
                .map(|(_, e)| e.clone())
                .collect();
            if hit.is_empty() {
                return Err(format!("'{p}' matches no selection"));
            }
            if matches!(c, Cond::OneOf(_)) {
                Expr::Or(hit)
            } else {
                Expr::And(hit)
            }
        }
    })
}

fn compile_selection(v: &Y, reg: &mut FieldRegistry) -> Result<Expr, String> {
    match v {
        Y::Mapping(m) => compile_map(m, reg),
        Y::Sequence(xs) if xs.iter().all(|x| matches!(x, Y::Mapping(_))) => Ok(Expr::Or(
            xs.iter()
                .map(|x| match x {
                    Y::Mapping(m) => compile_map(m, reg),
                    _ => unreachable!(),
                })
                .collect::<Result<_, _>>()?,
        )),
        Y::Sequence(xs) => {
            let vals: Vec<String> = xs
                .iter()
                .map(|x| str_of(x).ok_or("a keyword list may only hold strings or numbers"))
                .collect::<Result<_, _>>()?;
            Ok(Expr::Leaf(Leaf::Keyword {
                set: string_set(&vals, &Mods::contains(), false)?,
            }))
        }
        Y::String(s) => Ok(Expr::Leaf(Leaf::Keyword {
            set: string_set(std::slice::from_ref(s), &Mods::contains(), false)?,
        })),
        _ => Err("a selection must be a mapping, a list of mappings, or a list of keywords".into()),
    }
}

#[derive(Debug, Default, Clone)]
struct Mods {
    contains: bool,
    startswith: bool,
    endswith: bool,
    all: bool,
    re: bool,
    re_i: bool,
    re_m: bool,
    re_s: bool,
    cidr: bool,
    exists: bool,
    fieldref: bool,
    cased: bool,
    num: Option<NumOp>,
    base64: bool,
    base64offset: bool,
}

impl Mods {
    fn contains() -> Mods {
        Mods {
            contains: true,
            ..Default::default()
        }
    }

    fn parse(list: &[&str]) -> Result<Mods, String> {
        let mut m = Mods::default();
        for raw in list {
            match raw.to_ascii_lowercase().as_str() {
                "contains" => m.contains = true,
                "startswith" => m.startswith = true,
                "endswith" => m.endswith = true,
                "all" => m.all = true,
                "re" => m.re = true,
                "i" => m.re_i = true,
                "m" => m.re_m = true,
                "s" => m.re_s = true,
                "cidr" => m.cidr = true,
                "exists" => m.exists = true,
                "fieldref" => m.fieldref = true,
                "cased" => m.cased = true,
                "gt" => m.num = Some(NumOp::Gt),
                "gte" => m.num = Some(NumOp::Gte),
                "lt" => m.num = Some(NumOp::Lt),
                "lte" => m.num = Some(NumOp::Lte),
                "base64" => m.base64 = true,
                "base64offset" => m.base64offset = true,
                "windash" | "utf16le" | "utf16be" | "utf16" | "wide" => {
                    return Err(format!(
                        "modifier '{raw}' is for Windows command lines and is not supported by warden's cloud log engine"
                    ))
                }
                "expand" => {
                    return Err("modifier 'expand' needs %name% substitution values from a pipeline, which warden does not support".into())
                }
                other => return Err(format!("unknown modifier '{other}'")),
            }
        }
        if (m.re_i || m.re_m || m.re_s) && !m.re {
            return Err("modifiers 'i', 'm' and 's' only apply after 're'".into());
        }
        let shape = [m.contains, m.startswith, m.endswith]
            .iter()
            .filter(|b| **b)
            .count();
        if shape > 1 {
            return Err("use only one of contains, startswith and endswith".into());
        }
        if (m.re || m.cidr || m.exists || m.num.is_some()) && shape > 0 {
            return Err(
                "re, cidr, exists and gt/lt cannot be combined with contains/startswith/endswith"
                    .into(),
            );
        }
        Ok(m)
    }
}

fn compile_map(m: &Mapping, reg: &mut FieldRegistry) -> Result<Expr, String> {
    let mut items = Vec::new();
    for (k, v) in m {
        let key = str_of(k).ok_or("field names must be strings")?;
        let mut parts = key.split('|');
        let field = parts.next().unwrap_or("").trim();
        let mods: Vec<&str> = parts.collect();
        let mods = Mods::parse(&mods).map_err(|e| format!("'{key}': {e}"))?;
        items.push(compile_field(field, &mods, v, reg).map_err(|e| format!("'{key}': {e}"))?);
    }
    Ok(Expr::And(items))
}

fn values_of(v: &Y) -> Result<Vec<Option<Y>>, String> {
    match v {
        Y::Sequence(xs) => xs
            .iter()
            .map(|x| match x {
                Y::Null => Ok(None),
                Y::Mapping(_) | Y::Sequence(_) => {
                    Err("values must be scalars or a list of scalars".to_string())
                }
                x => Ok(Some(x.clone())),
            })
            .collect(),
        Y::Null => Ok(vec![None]),
        Y::Mapping(_) => Err("values must be scalars or a list of scalars".into()),
        x => Ok(vec![Some(x.clone())]),
    }
}

fn compile_field(field: &str, mods: &Mods, v: &Y, reg: &mut FieldRegistry) -> Result<Expr, String> {
    if field.is_empty() {
        // Keyword search with modifiers, e.g. `'|all': [a, b]`.
        let vals: Vec<String> = values_of(v)?
            .into_iter()
            .flatten()
            .filter_map(|y| str_of(&y))
            .collect();
        let mut m = mods.clone();
        if !m.startswith && !m.endswith && !m.re {
            m.contains = true;
        }
        return Ok(if m.all {
            Expr::Leaf(Leaf::KeywordAll {
                sets: vals
                    .iter()
                    .map(|x| string_set(std::slice::from_ref(x), &m, m.cased))
                    .collect::<Result<_, _>>()?,
            })
        } else {
            Expr::Leaf(Leaf::Keyword {
                set: string_set(&vals, &m, m.cased)?,
            })
        });
    }
    let id = reg.intern(field);
    let values = values_of(v)?;
    if mods.exists {
        let want = match values.as_slice() {
            [Some(Y::Bool(b))] => *b,
            [Some(Y::String(s))] if s.eq_ignore_ascii_case("true") => true,
            [Some(Y::String(s))] if s.eq_ignore_ascii_case("false") => false,
            _ => return Err("'exists' takes true or false".into()),
        };
        return Ok(Expr::Leaf(Leaf::Exists { field: id, want }));
    }
    if let Some(op) = mods.num {
        let nums: Vec<f64> = values
            .iter()
            .map(|x| {
                x.as_ref()
                    .and_then(|y| match y {
                        Y::Number(n) => n.as_f64(),
                        Y::String(s) => s.trim().parse().ok(),
                        _ => None,
                    })
                    .ok_or("gt/gte/lt/lte need numeric values")
            })
            .collect::<Result<_, _>>()?;
        return Ok(Expr::Leaf(Leaf::Num {
            field: id,
            op,
            values: nums,
        }));
    }
    if mods.cidr {
        let nets: Vec<Net> = values
            .iter()
            .map(|x| {
                x.as_ref()
                    .and_then(str_of)
                    .ok_or("'cidr' needs network strings".to_string())
                    .and_then(|s| Net::parse(&s))
            })
            .collect::<Result<_, _>>()?;
        return Ok(Expr::Leaf(Leaf::Cidr { field: id, nets }));
    }
    if mods.fieldref {
        let how = if mods.contains {
            RefHow::Contains
        } else if mods.startswith {
            RefHow::StartsWith
        } else if mods.endswith {
            RefHow::EndsWith
        } else {
            RefHow::Equals
        };
        let refs: Vec<Expr> = values
            .iter()
            .map(|x| {
                let other = x
                    .as_ref()
                    .and_then(str_of)
                    .ok_or("'fieldref' needs field names")?;
                Ok(Expr::Leaf(Leaf::FieldRef {
                    field: id,
                    other: reg.intern(&other),
                    how,
                    cased: mods.cased,
                }))
            })
            .collect::<Result<_, String>>()?;
        return Ok(if mods.all {
            Expr::And(refs)
        } else {
            Expr::Or(refs)
        });
    }
    let has_null = values.iter().any(Option::is_none);
    let strs: Vec<Y> = values.into_iter().flatten().collect();
    let mut alts = Vec::new();
    if has_null {
        alts.push(Expr::Leaf(Leaf::Null { field: id }));
    }
    if !strs.is_empty() {
        let texts: Vec<String> = strs.iter().filter_map(str_of).collect();
        let numbers: Vec<f64> = if mods.contains || mods.startswith || mods.endswith || mods.re {
            Vec::new()
        } else {
            strs.iter()
                .filter_map(|y| match y {
                    Y::Number(n) => n.as_f64(),
                    _ => None,
                })
                .collect()
        };
        if mods.all && texts.len() > 1 {
            let sets = texts
                .iter()
                .map(|t| string_set(std::slice::from_ref(t), mods, mods.cased))
                .collect::<Result<_, _>>()?;
            alts.push(Expr::Leaf(Leaf::StrAll { field: id, sets }));
        } else {
            let mut set = string_set(&texts, mods, mods.cased)?;
            set.numbers = numbers;
            alts.push(Expr::Leaf(Leaf::Str { field: id, set }));
        }
    }
    if alts.is_empty() {
        // `field: []` can never match.
        return Ok(Expr::Const(false));
    }
    Ok(Expr::Or(alts))
}

fn string_set(values: &[String], mods: &Mods, cased: bool) -> Result<StrSet, String> {
    use crate::matcher::Piece;
    // Base64 text is case-sensitive by nature, whatever the rule says.
    let encoded = mods.base64 || mods.base64offset;
    let cased = cased || encoded;
    let mut set = StrSet::new(cased);
    for v in values {
        if mods.re {
            let mut flags = String::new();
            if mods.re_i {
                flags.push('i');
            }
            if mods.re_m {
                flags.push('m');
            }
            if mods.re_s {
                flags.push('s');
            }
            let pat = if flags.is_empty() {
                v.clone()
            } else {
                format!("(?{flags}){v}")
            };
            let re = regex::Regex::new(&pat)
                .map_err(|e| format!("invalid regular expression '{v}': {e}"))?;
            set.push_regex(re);
            continue;
        }
        let forms: Vec<String> = if mods.base64offset {
            base64_offsets(v)
        } else if mods.base64 {
            vec![base64(v.as_bytes())]
        } else {
            vec![v.clone()]
        };
        for form in forms {
            // Encoded values are literal: no wildcards inside base64.
            let mut pieces = if encoded {
                vec![Piece::Lit(form)]
            } else {
                parse_wildcards(&form)
            };
            if (mods.contains || mods.endswith) && pieces.first() != Some(&Piece::Star) {
                pieces.insert(0, Piece::Star);
            }
            if (mods.contains || mods.startswith) && pieces.last() != Some(&Piece::Star) {
                pieces.push(Piece::Star);
            }
            set.push(StrPat::from_pieces(&pieces, cased)?);
        }
    }
    Ok(set.finish())
}

/// Helper for tests and tools: all fields a rule reads.
pub fn rule_fields(rule: &CompiledRule) -> Vec<FieldId> {
    let mut v = Vec::new();
    rule.expr.fields(&mut v);
    v.sort();
    v.dedup();
    v
}
