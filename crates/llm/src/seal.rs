//! Sealing the full text of model calls in the audit log.
//!
//! By default the audit log holds hashes only. When a team needs the text
//! (to investigate what a model was told), it is sealed with AES-256-GCM
//! under a key from the environment (`WARDEN_AUDIT_KEY`, 64 hex digits,
//! e.g. from `openssl rand -hex 32`), with a fresh random nonce per record
//! and the record's prompt hash as associated data, so a sealed text
//! cannot be moved to another record without failing to open.

use aws_lc_rs::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM, NONCE_LEN};

/// The environment variable holding the audit key.
pub const KEY_ENV: &str = "WARDEN_AUDIT_KEY";
const PREFIX: &str = "v1.";

/// A 256-bit key. Its `Debug` never shows the bytes.
#[derive(Clone)]
pub struct AuditKey([u8; 32]);

impl std::fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuditKey(..)")
    }
}

impl AuditKey {
    /// Parse 64 hex digits.
    pub fn from_hex(s: &str) -> Result<AuditKey, String> {
        let s = s.trim();
        if s.len() != 64 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(format!(
                "{KEY_ENV} must be 64 hex digits (256 bits), e.g. from `openssl rand -hex 32`; it has {} characters",
                s.len()
            ));
        }
        let mut k = [0u8; 32];
        for (i, byte) in k.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).map_err(|e| e.to_string())?;
        }
        Ok(AuditKey(k))
    }

    /// The key from [`KEY_ENV`], if set.
    pub fn from_env() -> Result<Option<AuditKey>, String> {
        match std::env::var(KEY_ENV) {
            Ok(v) if !v.trim().is_empty() => AuditKey::from_hex(&v).map(Some),
            _ => Ok(None),
        }
    }

    fn key(&self) -> LessSafeKey {
        LessSafeKey::new(UnboundKey::new(&AES_256_GCM, &self.0).expect("32-byte AES-256 key"))
    }

    /// `v1.<nonce>.<ciphertext+tag>`, both base64.
    pub fn seal(&self, plaintext: &[u8], aad: &str) -> Result<String, String> {
        let mut nonce = [0u8; NONCE_LEN];
        aws_lc_rs::rand::fill(&mut nonce).map_err(|_| "no randomness for the nonce".to_string())?;
        let mut buf = plaintext.to_vec();
        self.key()
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(aad.as_bytes()),
                &mut buf,
            )
            .map_err(|_| "sealing failed".to_string())?;
        Ok(format!(
            "{PREFIX}{}.{}",
            aws_smithy_types::base64::encode(nonce),
            aws_smithy_types::base64::encode(&buf)
        ))
    }

    /// Open what [`seal`](Self::seal) produced; fails on a wrong key, a
    /// changed byte or a different `aad`.
    pub fn open(&self, sealed: &str, aad: &str) -> Result<Vec<u8>, String> {
        let rest = sealed.strip_prefix(PREFIX).ok_or("not a v1 sealed text")?;
        let (n, c) = rest.split_once('.').ok_or("sealed text has no nonce")?;
        let n = aws_smithy_types::base64::decode(n).map_err(|e| format!("nonce: {e}"))?;
        let nonce: [u8; NONCE_LEN] = n.try_into().map_err(|_| "nonce has the wrong length")?;
        let mut buf =
            aws_smithy_types::base64::decode(c).map_err(|e| format!("ciphertext: {e}"))?;
        let plain = self
            .key()
            .open_in_place(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(aad.as_bytes()),
                &mut buf,
            )
            .map_err(|_| "cannot open: wrong key, or the record was altered".to_string())?;
        Ok(plain.to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_open_and_tamper() {
        let k = AuditKey::from_hex(&"ab".repeat(32)).unwrap();
        let s = k.seal(b"prompt text", "hash-1").unwrap();
        assert!(s.starts_with("v1.") && !s.contains("prompt"));
        assert_eq!(k.open(&s, "hash-1").unwrap(), b"prompt text");
        assert!(k.open(&s, "hash-2").is_err(), "bound to its record");
        let other = AuditKey::from_hex(&"cd".repeat(32)).unwrap();
        assert!(other.open(&s, "hash-1").is_err(), "wrong key");
        let mut t = s.clone().into_bytes();
        let last = t.len() - 3;
        t[last] = if t[last] == b'A' { b'B' } else { b'A' };
        assert!(k.open(std::str::from_utf8(&t).unwrap(), "hash-1").is_err());
        assert_ne!(
            k.seal(b"x", "a").unwrap(),
            k.seal(b"x", "a").unwrap(),
            "fresh nonce"
        );
        assert!(AuditKey::from_hex("short").unwrap_err().contains("64 hex"));
        assert_eq!(format!("{k:?}"), "AuditKey(..)");
    }
}
