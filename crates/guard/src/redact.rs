//! What happens to each entity on its way to a model: keep it (analysts
//! need IP addresses and user names), replace it with a stable placeholder
//! that is restored in the answer the user sees, or block the request.
//!
//! Placeholders are per conversation: the same value always becomes the
//! same `<EMAIL_1>`, so the model can still reason about "the same user",
//! and the mapping never leaves this process.

use std::collections::HashMap;

use crate::recognize::{scan, Entity};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Keep,
    Pseudonymise,
    Block,
}

impl Action {
    pub fn parse(s: &str) -> Option<Action> {
        match s.to_ascii_lowercase().as_str() {
            "keep" => Some(Action::Keep),
            "pseudonymise" | "pseudonymize" | "mask" => Some(Action::Pseudonymise),
            "block" => Some(Action::Block),
            _ => None,
        }
    }
}

/// Per-entity actions. Defaults: IP addresses kept (the analyst's main
/// pivot), private keys blocked, everything else pseudonymised.
#[derive(Debug, Clone)]
pub struct Policy {
    actions: HashMap<Entity, Action>,
}

impl Default for Policy {
    fn default() -> Self {
        let mut actions = HashMap::new();
        for e in Entity::ALL {
            actions.insert(e, Action::Pseudonymise);
        }
        actions.insert(Entity::IpAddress, Action::Keep);
        actions.insert(Entity::PrivateKey, Action::Block);
        Policy { actions }
    }
}

impl Policy {
    pub fn set(&mut self, e: Entity, a: Action) {
        self.actions.insert(e, a);
    }
    pub fn action(&self, e: Entity) -> Action {
        self.actions
            .get(&e)
            .copied()
            .unwrap_or(Action::Pseudonymise)
    }
}

/// The request may not be sent: it holds an entity whose action is Block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blocked {
    pub entity: Entity,
}

impl std::fmt::Display for Blocked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the text contains a value of type {} and the guard policy blocks sending it to a model; remove it, or set [guard] entities.{} to pseudonymise or keep",
            self.entity.as_str(),
            self.entity.as_str()
        )
    }
}

impl std::error::Error for Blocked {}

/// One conversation's reversible mapping.
#[derive(Debug, Default, Clone)]
pub struct Pseudonymiser {
    forward: HashMap<String, String>,
    back: HashMap<String, String>,
    counters: HashMap<Entity, usize>,
    /// Replacements made, for the audit record.
    pub replaced: usize,
}

impl Pseudonymiser {
    pub fn new() -> Self {
        Self::default()
    }

    /// Replace entities per `policy`; the result is safe to send.
    pub fn redact(&mut self, text: &str, policy: &Policy) -> Result<String, Blocked> {
        let found = scan(text);
        if let Some(f) = found
            .iter()
            .find(|f| policy.action(f.entity) == Action::Block)
        {
            return Err(Blocked { entity: f.entity });
        }
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for f in found {
            if policy.action(f.entity) != Action::Pseudonymise {
                continue;
            }
            out.push_str(&text[at..f.start]);
            let value = &text[f.start..f.end];
            let ph = match self.forward.get(value) {
                Some(p) => p.clone(),
                None => {
                    let n = self.counters.entry(f.entity).or_insert(0);
                    *n += 1;
                    let p = format!("<{}_{}>", f.entity.as_str(), n);
                    self.forward.insert(value.to_string(), p.clone());
                    self.back.insert(p.clone(), value.to_string());
                    p
                }
            };
            out.push_str(&ph);
            self.replaced += 1;
            at = f.end;
        }
        out.push_str(&text[at..]);
        Ok(out)
    }

    /// Put the original values back into a model's answer for the user.
    /// Placeholders the model invented (not in the mapping) stay as they are.
    pub fn restore(&self, answer: &str) -> String {
        let mut out = String::with_capacity(answer.len());
        let mut rest = answer;
        while let Some(i) = rest.find('<') {
            out.push_str(&rest[..i]);
            let tail = &rest[i..];
            match tail.find('>') {
                Some(j) if self.back.contains_key(&tail[..=j]) => {
                    out.push_str(&self.back[&tail[..=j]]);
                    rest = &tail[j + 1..];
                }
                _ => {
                    out.push('<');
                    rest = &tail[1..];
                }
            }
        }
        out.push_str(rest);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_placeholders_round_trip() {
        let mut p = Pseudonymiser::new();
        let pol = Policy::default();
        let a = p
            .redact("alice@example.com logged in from 203.0.113.9; alice@example.com again, bob@example.com too", &pol)
            .unwrap();
        assert_eq!(
            a,
            "<EMAIL_1> logged in from 203.0.113.9; <EMAIL_1> again, <EMAIL_2> too"
        );
        let b = p.redact("what did alice@example.com do?", &pol).unwrap();
        assert_eq!(b, "what did <EMAIL_1> do?");
        assert_eq!(
            p.restore("<EMAIL_1> created a key; <EMAIL_9> is unknown; a < b"),
            "alice@example.com created a key; <EMAIL_9> is unknown; a < b"
        );
        assert_eq!(p.replaced, 4);
    }

    #[test]
    fn block_and_keep() {
        let mut pol = Policy::default();
        let mut p = Pseudonymiser::new();
        let err = p
            .redact(
                "-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----",
                &pol,
            )
            .unwrap_err();
        assert_eq!(err.entity, Entity::PrivateKey);
        assert!(err.to_string().contains("PRIVATE_KEY"));
        pol.set(Entity::Email, Action::Keep);
        assert_eq!(
            p.redact("mail bob@example.com", &pol).unwrap(),
            "mail bob@example.com"
        );
        assert_eq!(Action::parse("Pseudonymize"), Some(Action::Pseudonymise));
    }
}
