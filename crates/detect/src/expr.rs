//! Compiled detection expressions and their evaluation over an event view.

use warden_core::{EventView, FieldId, SpanKind};

use crate::matcher::{Net, NumOp, StrSet};

/// A test on one field (or, for keywords, on the whole record).
#[derive(Debug, Clone)]
pub enum Leaf {
    /// Some value of the field matches the set.
    Str {
        field: FieldId,
        set: StrSet,
    },
    /// Every set is matched by some value of the field (`|all`).
    StrAll {
        field: FieldId,
        sets: Vec<StrSet>,
    },
    /// Field missing or JSON null (`field: null`).
    Null {
        field: FieldId,
    },
    /// `|exists: true/false`.
    Exists {
        field: FieldId,
        want: bool,
    },
    /// `|gt` … `|lte`: some value compares true with some rule value.
    Num {
        field: FieldId,
        op: NumOp,
        values: Vec<f64>,
    },
    /// `|cidr`: some value is an IP inside one of the networks.
    Cidr {
        field: FieldId,
        nets: Vec<Net>,
    },
    /// `|fieldref`: the field equals (or with contains/startswith/endswith
    /// relates to) another field of the same event.
    FieldRef {
        field: FieldId,
        other: FieldId,
        how: RefHow,
        cased: bool,
    },
    /// Keyword search over the raw record text.
    Keyword {
        set: StrSet,
    },
    KeywordAll {
        sets: Vec<StrSet>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefHow {
    Equals,
    Contains,
    StartsWith,
    EndsWith,
}

/// A detection condition, compiled.
#[derive(Debug, Clone)]
pub enum Expr {
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Not(Box<Expr>),
    Leaf(Leaf),
    Const(bool),
}

impl Leaf {
    fn cost(&self) -> u32 {
        match self {
            Leaf::Null { .. } | Leaf::Exists { .. } => 1,
            Leaf::Str { set, .. } => 2 + set.cost(),
            Leaf::StrAll { sets, .. } => 2 + sets.iter().map(|s| s.cost()).sum::<u32>(),
            Leaf::Num { .. } | Leaf::FieldRef { .. } => 4,
            Leaf::Cidr { .. } => 6,
            Leaf::Keyword { .. } | Leaf::KeywordAll { .. } => 50,
        }
    }

    #[inline]
    pub fn eval(&self, ev: &EventView<'_>) -> bool {
        match self {
            Leaf::Str { field, set } => ev.values(*field).any(|v| str_or_num_match(set, &v)),
            Leaf::StrAll { field, sets } => sets
                .iter()
                .all(|s| ev.values(*field).any(|v| str_or_num_match(s, &v))),
            Leaf::Null { field } => match ev.get(*field) {
                None => true,
                Some(v) => v.kind == SpanKind::Null,
            },
            Leaf::Exists { field, want } => ev.get(*field).is_some() == *want,
            Leaf::Num { field, op, values } => ev
                .values(*field)
                .filter_map(|v| v.as_f64())
                .any(|x| values.iter().any(|n| op.test(x, *n))),
            Leaf::Cidr { field, nets } => ev.values(*field).any(|v| {
                v.text()
                    .and_then(|t| t.trim().parse().ok())
                    .is_some_and(|ip| nets.iter().any(|n| n.contains(ip)))
            }),
            Leaf::FieldRef {
                field,
                other,
                how,
                cased,
            } => {
                let others: Vec<_> = ev.values(*other).filter_map(|v| v.text()).collect();
                ev.values(*field).filter_map(|v| v.text()).any(|t| {
                    others.iter().any(|o| {
                        let (t, o) = if *cased {
                            (t.to_string(), o.to_string())
                        } else {
                            (t.to_lowercase(), o.to_lowercase())
                        };
                        match how {
                            RefHow::Equals => t == o,
                            RefHow::Contains => t.contains(&o),
                            RefHow::StartsWith => t.starts_with(&o),
                            RefHow::EndsWith => t.ends_with(&o),
                        }
                    })
                })
            }
            Leaf::Keyword { set } => set.is_match(ev.raw),
            Leaf::KeywordAll { sets } => sets.iter().all(|s| s.is_match(ev.raw)),
        }
    }
}

#[inline]
fn str_or_num_match(set: &StrSet, v: &warden_core::Value<'_>) -> bool {
    if let Some(t) = v.text() {
        if set.is_match(&t) {
            return true;
        }
    }
    !set.numbers.is_empty() && v.as_f64().is_some_and(|x| set.numbers.contains(&x))
}

impl Expr {
    #[inline]
    pub fn eval(&self, ev: &EventView<'_>) -> bool {
        match self {
            Expr::And(xs) => xs.iter().all(|x| x.eval(ev)),
            Expr::Or(xs) => xs.iter().any(|x| x.eval(ev)),
            Expr::Not(x) => !x.eval(ev),
            Expr::Leaf(l) => l.eval(ev),
            Expr::Const(b) => *b,
        }
    }

    pub fn cost(&self) -> u32 {
        match self {
            Expr::And(xs) | Expr::Or(xs) => xs.iter().map(|x| x.cost()).sum(),
            Expr::Not(x) => x.cost(),
            Expr::Leaf(l) => l.cost(),
            Expr::Const(_) => 0,
        }
    }

    /// Flatten nested and/or, drop single-child groups, and order children
    /// so cheap tests run first (short-circuiting skips the rest).
    pub fn simplify(self) -> Expr {
        match self {
            Expr::And(xs) | Expr::Or(xs) if xs.is_empty() => Expr::Const(true),
            Expr::And(xs) => {
                let mut flat = Vec::new();
                for x in xs.into_iter().map(Expr::simplify) {
                    match x {
                        Expr::And(inner) => flat.extend(inner),
                        Expr::Const(true) => {}
                        other => flat.push(other),
                    }
                }
                if flat.iter().any(|x| matches!(x, Expr::Const(false))) {
                    return Expr::Const(false);
                }
                flat.sort_by_key(|x| x.cost());
                match flat.len() {
                    0 => Expr::Const(true),
                    1 => flat.pop().unwrap(),
                    _ => Expr::And(flat),
                }
            }
            Expr::Or(xs) => {
                let mut flat = Vec::new();
                for x in xs.into_iter().map(Expr::simplify) {
                    match x {
                        Expr::Or(inner) => flat.extend(inner),
                        Expr::Const(false) => {}
                        other => flat.push(other),
                    }
                }
                if flat.iter().any(|x| matches!(x, Expr::Const(true))) {
                    return Expr::Const(true);
                }
                flat.sort_by_key(|x| x.cost());
                match flat.len() {
                    0 => Expr::Const(false),
                    1 => flat.pop().unwrap(),
                    _ => Expr::Or(flat),
                }
            }
            Expr::Not(x) => match x.simplify() {
                Expr::Const(b) => Expr::Const(!b),
                Expr::Not(inner) => *inner,
                other => Expr::Not(Box::new(other)),
            },
            other => other,
        }
    }

    /// A field and value set the expression requires: if the event's value of
    /// that field is not one of these (case-insensitively), the expression is
    /// false. Used to index rules by `eventName` and similar keys.
    pub fn required(&self, prefer: &[FieldId]) -> Option<(FieldId, Vec<String>)> {
        match self {
            Expr::Leaf(Leaf::Str { field, set }) if set.is_plain_exact() => {
                Some((*field, set.exact.clone()))
            }
            Expr::And(xs) => {
                let cands: Vec<_> = xs.iter().filter_map(|x| x.required(prefer)).collect();
                prefer
                    .iter()
                    .find_map(|p| cands.iter().find(|(f, _)| f == p).cloned())
                    .or_else(|| cands.into_iter().min_by_key(|(_, v)| v.len()))
            }
            Expr::Or(xs) => {
                let mut field = None;
                let mut vals = Vec::new();
                for x in xs {
                    let (f, v) = x.required(prefer)?;
                    if *field.get_or_insert(f) != f {
                        return None;
                    }
                    vals.extend(v);
                }
                field.map(|f| (f, vals))
            }
            _ => None,
        }
    }

    /// Every field the expression reads (for correlation group keys etc.).
    pub fn fields(&self, out: &mut Vec<FieldId>) {
        match self {
            Expr::And(xs) | Expr::Or(xs) => xs.iter().for_each(|x| x.fields(out)),
            Expr::Not(x) => x.fields(out),
            Expr::Leaf(l) => match l {
                Leaf::Str { field, .. }
                | Leaf::StrAll { field, .. }
                | Leaf::Null { field }
                | Leaf::Exists { field, .. }
                | Leaf::Num { field, .. }
                | Leaf::Cidr { field, .. } => out.push(*field),
                Leaf::FieldRef { field, other, .. } => {
                    out.push(*field);
                    out.push(*other);
                }
                Leaf::Keyword { .. } | Leaf::KeywordAll { .. } => {}
            },
            Expr::Const(_) => {}
        }
    }
}
