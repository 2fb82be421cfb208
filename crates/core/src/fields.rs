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
    /// (lower-cased key, child)
    children: Vec<(Box<[u8]>, TrieNodeId)>,
    /// Children bucketed by [`bucket`] of their key: most keys of a record
    /// are not wanted, and an empty bucket rejects them after reading three
    /// bytes, without hashing or comparing whole keys.
    buckets: Vec<Vec<(Box<[u8]>, TrieNodeId)>>,
}

const BUCKETS: usize = 64;

/// Bucket of a key from its length and its first and last bytes, ASCII
/// case-folded.
#[inline]
fn bucket(key: &[u8]) -> usize {
    let (Some(f), Some(l)) = (key.first(), key.last()) else {
        return 0;
    };
    let h = key
        .len()
        .wrapping_mul(31)
        .wrapping_add(f.to_ascii_lowercase() as usize * 7)
        .wrapping_add(l.to_ascii_lowercase() as usize * 13);
    h % BUCKETS
}

/// A path trie keyed by case-folded JSON object keys.
#[derive(Debug, Clone)]
pub struct Trie {
    nodes: Vec<TrieNode>,
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
        let n = &self.nodes[node.0 as usize];
        if n.buckets.is_empty() {
            return None;
        }
        n.buckets[bucket(key)]
            .iter()
            .find(|(k, _)| k.len() == key.len() && k.eq_ignore_ascii_case(key))
            .map(|(_, id)| *id)
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
            let found = self.nodes[cur]
                .children
                .iter()
                .find(|(k, _)| **k == *lower)
                .map(|(_, c)| c.0 as usize);
            cur = match found {
                Some(c) => c,
                None => {
                    let new = self.nodes.len();
                    self.nodes.push(TrieNode::default());
                    let node = &mut self.nodes[cur];
                    if node.buckets.is_empty() {
                        node.buckets = vec![Vec::new(); BUCKETS];
                    }
                    node.buckets[bucket(&lower)].push((lower.clone(), TrieNodeId(new as u32)));
                    node.children.push((lower, TrieNodeId(new as u32)));
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
