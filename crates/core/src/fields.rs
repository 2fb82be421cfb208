//! Interned field paths and the trie the JSON scanner walks.
//!
//! The set of paths is known before the first event is read: the standard
//! accessors plus every field any loaded rule mentions. The scanner walks
//! this trie while it reads a record, so it descends only into objects that
//! hold a wanted field and skips everything else without decoding it.
//! Keys are compared ASCII-case-insensitively: SigmaHQ's Okta rules say
//! `eventtype` where Okta writes `eventType`, and both must meet.

use std::collections::HashMap;

/// Index of an interned field path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldId(pub u32);

impl FieldId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Index of a trie node; the root is `TrieNodeId(0)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrieNodeId(pub u32);

#[derive(Debug, Clone, Default)]
struct TrieNode {
    field: Option<FieldId>,
    /// (hash of lower-cased key, lower-cased key, child)
    children: Vec<(u64, Box<[u8]>, TrieNodeId)>,
}

/// A path trie keyed by case-folded JSON object keys.
#[derive(Debug, Clone)]
pub struct Trie {
    nodes: Vec<TrieNode>,
}

/// FNV-1a over ASCII-lower-cased bytes: cheap, allocation-free, and good
/// enough to tell a couple of dozen short keys apart.
#[inline]
pub fn key_hash(key: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in key {
        h ^= b.to_ascii_lowercase() as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

impl Trie {
    pub const ROOT: TrieNodeId = TrieNodeId(0);

    fn new() -> Trie {
        Trie {
            nodes: vec![TrieNode::default()],
        }
    }

    /// The child of `node` for object key `key` (raw, unescaped bytes).
    #[inline]
    pub fn child(&self, node: TrieNodeId, key: &[u8]) -> Option<TrieNodeId> {
        let children = &self.nodes[node.0 as usize].children;
        if children.is_empty() {
            return None;
        }
        let h = key_hash(key);
        children
            .iter()
            .find(|(ch, k, _)| *ch == h && k.eq_ignore_ascii_case(key))
            .map(|(_, _, id)| *id)
    }

    /// The field recorded at `node`, if a path ends there.
    #[inline]
    pub fn field(&self, node: TrieNodeId) -> Option<FieldId> {
        self.nodes[node.0 as usize].field
    }

    /// Whether any wanted path continues below `node`.
    #[inline]
    pub fn has_children(&self, node: TrieNodeId) -> bool {
        !self.nodes[node.0 as usize].children.is_empty()
    }

    fn insert(&mut self, path: &str, id: FieldId) {
        let mut cur = 0usize;
        for seg in path.split('.') {
            let lower: Box<[u8]> = seg.to_ascii_lowercase().into_bytes().into_boxed_slice();
            let h = key_hash(&lower);
            let found = self.nodes[cur]
                .children
                .iter()
                .find(|(ch, k, _)| *ch == h && **k == *lower)
                .map(|(_, _, c)| c.0 as usize);
            cur = match found {
                Some(c) => c,
                None => {
                    let new = self.nodes.len();
                    self.nodes.push(TrieNode::default());
                    self.nodes[cur]
                        .children
                        .push((h, lower, TrieNodeId(new as u32)));
                    new
                }
            };
        }
        if self.nodes[cur].field.is_none() {
            self.nodes[cur].field = Some(id);
        }
    }
}

/// Every field path the current run extracts, each with a stable id.
#[derive(Debug, Clone)]
pub struct FieldRegistry {
    paths: Vec<String>,
    by_lower: HashMap<String, FieldId>,
    trie: Trie,
}

impl Default for FieldRegistry {
    fn default() -> Self {
        Self::new()
    }
}

impl FieldRegistry {
    pub fn new() -> FieldRegistry {
        FieldRegistry {
            paths: Vec::new(),
            by_lower: HashMap::new(),
            trie: Trie::new(),
        }
    }

    /// The id of `path`, registering it if new. Paths are dotted
    /// (`userIdentity.sessionContext.sessionIssuer.arn`) and case-insensitive.
    pub fn intern(&mut self, path: &str) -> FieldId {
        let lower = path.to_ascii_lowercase();
        if let Some(id) = self.by_lower.get(&lower) {
            return *id;
        }
        let id = FieldId(self.paths.len() as u32);
        self.paths.push(path.to_string());
        self.trie.insert(path, id);
        self.by_lower.insert(lower, id);
        id
    }

    pub fn get(&self, path: &str) -> Option<FieldId> {
        self.by_lower.get(&path.to_ascii_lowercase()).copied()
    }

    pub fn path(&self, id: FieldId) -> &str {
        &self.paths[id.index()]
    }

    pub fn len(&self) -> usize {
        self.paths.len()
    }

    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }

    pub fn trie(&self) -> &Trie {
        &self.trie
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intern_is_case_insensitive_and_stable() {
        let mut r = FieldRegistry::new();
        let a = r.intern("userIdentity.arn");
        let b = r.intern("useridentity.ARN");
        assert_eq!(a, b);
        assert_eq!(r.path(a), "userIdentity.arn");
        let c = r.intern("userIdentity");
        assert_ne!(a, c);
    }

    #[test]
    fn trie_walks_case_insensitively() {
        let mut r = FieldRegistry::new();
        let arn = r.intern("userIdentity.arn");
        let t = r.trie();
        let ui = t.child(Trie::ROOT, b"USERIDENTITY").unwrap();
        assert!(t.field(ui).is_none());
        assert!(t.has_children(ui));
        let leaf = t.child(ui, b"arn").unwrap();
        assert_eq!(t.field(leaf), Some(arn));
        assert!(t.child(Trie::ROOT, b"eventName").is_none());
    }
}
